//! The reverse relations claim adds to other modules' types (claim.md §4 ↗, the original's
//! related names): each a spec over the owner's table holding only claim's fields, answered by
//! key with `entity::extended_by_keys` (the objects are not read). `ClaimAdminGQLType.claimSet`
//! and the other claim connections follow `Claim.get_queryset` (`access.rs`).

use crate::specs::{CLAIM, CLAIM_ITEM, CLAIM_SERVICE, DEDREM, SERVICE_ITEM, SERVICE_SERVICE};
use openimis_sdk::entity::*;

/// A spec of another module's type: only the relations claim adds.
const fn extended(
    type_name: &'static str,
    table: &'static str,
    key: &'static str,
    fields: &'static [Field],
) -> EntitySpec {
    EntitySpec {
        type_name,
        table,
        alias: "x",
        key,
        uuid: None,
        history: None,
        fields,
    }
}

/// core's claim administrators: their claims.
pub static CLAIM_ADMIN: EntitySpec = extended(
    "ClaimAdminGQLType",
    "tblClaimAdmin",
    "ClaimAdminId",
    &[many_paged("claimSet", &CLAIM, "ClaimAdminId")],
);

/// core's interactive users: the claims they adjusted.
pub static INTERACTIVE_USER: EntitySpec = extended(
    "InteractiveUserGQLType",
    "tblUsers",
    "id",
    &[many_paged("claimSet", &CLAIM, "Adjuster")],
);

/// medical's diagnoses: the claims naming them as main or secondary diagnosis.
pub static DIAGNOSIS: EntitySpec = extended(
    "DiagnosisGQLType",
    "tblICDCodes",
    "ICDID",
    &[
        many_paged("claimIcds", &CLAIM, "ICDID"),
        many_paged("claimIcd1s", &CLAIM, "ICDID1"),
        many_paged("claimIcd2s", &CLAIM, "ICDID2"),
        many_paged("claimIcd3s", &CLAIM, "ICDID3"),
        many_paged("claimIcd4s", &CLAIM, "ICDID4"),
    ],
);

/// location's facilities: their claims and the claims referred from and to them.
pub static FACILITY: EntitySpec = extended(
    "HealthFacilityGQLType",
    "tblHF",
    "HfID",
    &[
        many_paged("claimSet", &CLAIM, "HFID"),
        many_paged("referFromHF", &CLAIM, "ReferFrom"),
        many_paged("referToHF", &CLAIM, "ReferTo"),
    ],
);

/// insuree's insurees: their claims and ded/rem rows.
pub static INSUREE: EntitySpec = extended(
    "InsureeGQLType",
    "tblInsuree",
    "InsureeID",
    &[
        many_paged("claimSet", &CLAIM, "InsureeID"),
        many_paged("claimDedRems", &DEDREM, "InsureeID"),
    ],
);

/// medical's items: the claim lines and package sub-lines of them.
pub static ITEM: EntitySpec = extended(
    "ItemGQLType",
    "tblItems",
    "ItemID",
    &[
        many("claimitemSet", &CLAIM_ITEM, "ItemID"),
        many("serviceItems", &SERVICE_ITEM, "ItemID"),
    ],
);

/// medical's services: the claim lines and package sub-lines of them.
pub static SERVICE: EntitySpec = extended(
    "ServiceGQLType",
    "tblServices",
    "ServiceID",
    &[
        many("claimserviceSet", &CLAIM_SERVICE, "ServiceID"),
        many("serviceServices", &SERVICE_SERVICE, "ServiceId"),
    ],
);

/// policy's policies: their ded/rem rows and the claim lines they cover.
pub static POLICY: EntitySpec = extended(
    "PolicyGQLType",
    "tblPolicy",
    "PolicyID",
    &[
        many_paged("claimDedRems", &DEDREM, "PolicyID"),
        many("claimitemSet", &CLAIM_ITEM, "PolicyID"),
        many("claimserviceSet", &CLAIM_SERVICE, "PolicyID"),
    ],
);

/// product's products: the claim lines they cover.
pub static PRODUCT: EntitySpec = extended(
    "ProductGQLType",
    "tblProduct",
    "ProdID",
    &[
        many("claimItems", &CLAIM_ITEM, "ProdID"),
        many("claimServices", &CLAIM_SERVICE, "ProdID"),
    ],
);
