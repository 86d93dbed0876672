//! The entities: each price-list kind (services, items) is a list and its details declared
//! once by [`pricelist!`], with the names, rights and texts the queries, the mutations and
//! medical's types use (medical's service or item seen as the parent of its details); and the columns
//! of location's `tblLocations` the `location_` filters read (location answers that type: a
//! list's `location` is a stub).

use crate::manifest::{
    ITEMS_PRICELIST_WRITES, QUERY_ITEMS_PRICELISTS, QUERY_SERVICES_PRICELISTS,
    SERVICES_PRICELIST_WRITES,
};
use openimis_sdk::entity::*;

/// One price-list kind: its two entities, medical's rows its details name, and the names,
/// rights and texts around them.
pub struct Pricelist {
    pub list: &'static EntitySpec,
    pub detail: &'static EntitySpec,
    /// Medical's service or item as the parent of its details (`pricelistDetails`, added to
    /// medical's type), and the table its uuids are looked up in.
    pub medical: &'static EntitySpec,
    /// The field naming a list: on `HealthFacilityGQLType`, on a detail, `details`' filter.
    pub field: &'static str,
    /// A detail's medical service or item (its rows carry `<target>Pk`).
    pub target: &'static str,
    /// The kind in root field names: `Services` (`createServicesPricelist`), `Items`.
    pub kind: &'static str,
    /// The kind's key in location's `health_facilities.pricelist_ids` and in `pricelists`.
    pub key: &'static str,
    /// The right to read any list of the kind.
    pub right: u32,
    /// The rights to create, update and delete lists of the kind.
    pub writes: [u32; 3],
    /// The original's model names in its "matching query does not exist." texts: the list,
    /// the detail, the medical row.
    pub models: [&'static str; 3],
    /// The refusal of a name another valid list of the kind has.
    pub duplicated: &'static str,
    /// The original's link table between a list and core's mutation log.
    pub links: &'static str,
}

/// `KIND = LIST, DETAIL, MEDICAL { list: type, table, key, uuid, name; detail: type, table,
/// key; target: field = type, table, key, uuid } { the other fields of [`Pricelist`] }`.
macro_rules! pricelist {
    ($kind:ident = $list:ident, $detail:ident, $medical:ident {
        list: $list_type:literal, $table:literal, $key:literal, $uuid:literal, $name:literal;
        detail: $detail_type:literal, $detail_table:literal, $detail_key:literal;
        target: $target:literal = $target_type:literal, $target_table:literal,
            $target_column:literal, $target_uuid:literal;
        } { field: $field:literal, $($rest:tt)* }) => {
        pub static $list: EntitySpec = EntitySpec {
            type_name: $list_type,
            table: $table,
            alias: "pl",
            key: $key,
            uuid: Some($uuid),
            history: Some(HISTORY),
            fields: &[
                text("name", $name)
                    .filters(EXACT | ICONTAINS | ISTARTSWITH)
                    .write(),
                date("pricelistDate", "DatePL")
                    .filters(EXACT | RANGE)
                    .write(),
                one("location", "LocationId", Target::Stub("LocationGQLType")).write(),
                many_paged("details", &$detail, $key),
            ],
        };
        pub static $detail: EntitySpec = EntitySpec {
            type_name: $detail_type,
            table: $detail_table,
            alias: "d",
            key: $detail_key,
            uuid: None,
            history: Some(HISTORY),
            fields: &[
                one($field, $key, Target::Local(&$list)).write(),
                one($target, $target_column, Target::Stub($target_type)).write(),
                decimal("priceOverrule", "PriceOverule", 2).write(),
            ],
        };
        /// Medical's type, as far as this module reads it: its key, its uuid, and the
        /// details naming it.
        pub static $medical: EntitySpec = EntitySpec {
            type_name: $target_type,
            table: $target_table,
            alias: "m",
            key: $target_column,
            uuid: Some($target_uuid),
            history: None,
            fields: &[many_paged("pricelistDetails", &$detail, $target_column)],
        };
        pub static $kind: Pricelist = Pricelist {
            list: &$list,
            detail: &$detail,
            medical: &$medical,
            field: $field,
            target: $target,
            $($rest)*
        };
    };
}

pricelist!(SERVICES = SERVICES_LIST, SERVICES_DETAIL, SERVICE {
    list: "ServicesPricelistGQLType", "tblPLServices", "PLServiceID", "PLServiceUUID", "PLServName";
    detail: "ServicesPricelistDetailGQLType", "tblPLServicesDetail", "PLServiceDetailID";
    target: "service" = "ServiceGQLType", "tblServices", "ServiceID", "ServiceUUID";
} {
    field: "servicesPricelist",
    kind: "Services",
    key: "services",
    right: QUERY_SERVICES_PRICELISTS,
    writes: SERVICES_PRICELIST_WRITES,
    models: ["ServicesPricelist", "ServicesPricelistDetail", "Service"],
    duplicated: "mutation.service_name_duplicated",
    links: "medical_ServicesPricelistMutation",
});

pricelist!(ITEMS = ITEMS_LIST, ITEMS_DETAIL, ITEM {
    list: "ItemsPricelistGQLType", "tblPLItems", "PLItemID", "PLItemUUID", "PLItemName";
    detail: "ItemsPricelistDetailGQLType", "tblPLItemsDetail", "PLItemDetailID";
    target: "item" = "ItemGQLType", "tblItems", "ItemID", "ItemUUID";
} {
    field: "itemsPricelist",
    kind: "Items",
    key: "items",
    right: QUERY_ITEMS_PRICELISTS,
    writes: ITEMS_PRICELIST_WRITES,
    models: ["ItemsPricelist", "ItemsPricelistDetail", "Item"],
    duplicated: "mutation.item_name_duplicated",
    links: "medical_ItemsPricelistMutation",
});

pub static ALL: [&Pricelist; 2] = [&SERVICES, &ITEMS];

/// The list or detail entity whose type is `name`.
pub fn of_type(name: &str) -> Option<&'static EntitySpec> {
    ALL.iter()
        .flat_map(|k| [k.list, k.detail])
        .find(|spec| spec.type_name == name)
}

/// The kind whose details name medical's type `name` (`ServiceGQLType`, `ItemGQLType`).
pub fn of_medical_type(name: &str) -> Option<&'static Pricelist> {
    ALL.into_iter().find(|kind| kind.medical.type_name == name)
}

/// The four columns of location's `tblLocations` the `location_` filters read (the old joins'
/// columns; location declares and answers the type).
static LOCATION: EntitySpec = EntitySpec {
    type_name: "LocationGQLType",
    table: "tblLocations",
    alias: "l",
    key: "LocationId",
    uuid: Some("LocationUUID"),
    history: None,
    fields: &[
        text("code", "LocationCode").filters(TEXT | NE),
        text("name", "LocationName").filters(TEXT | NE),
        text("type", "LocationType").filters(EXACT),
        one("parent", "ParentLocationId", Target::Local(&LOCATION)),
    ],
};

/// A list's `location` as a relation to [`LOCATION`], read for its `location_` filters alone.
pub static BY_LOCATION: EntitySpec = EntitySpec {
    alias: "pl",
    fields: &[one("location", "LocationId", Target::Local(&LOCATION))],
    ..LOCATION
};
