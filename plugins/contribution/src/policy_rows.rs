//! policy's rows as a premium's save reads and changes them inside its own transaction (see
//! `activation.rs` for why contribution writes them): the policy (every column of the
//! original's `Policy` model, so a history copy carries what `save_history()` copies) and the
//! dates of its coverage rows (insuree's `tblInsureePolicy`, updated in place as the
//! original's `queryset.update`).

use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity::{self, *};
use openimis_sdk::sql_filter::Where;
use openimis_sdk::ModuleError;
use serde_json::Value;

pub static POLICY_ROW: EntitySpec = EntitySpec {
    type_name: "PolicyGQLType",
    table: "tblPolicy",
    alias: "apo",
    key: "PolicyID",
    uuid: Some("PolicyUUID"),
    history: Some(HISTORY),
    fields: &[
        text("stage", "PolicyStage"),
        int("status", "PolicyStatus").write(),
        decimal("value", "PolicyValue", 2),
        int("familyId", "FamilyID"),
        date("enrollDate", "EnrollDate"),
        date("startDate", "StartDate"),
        date("effectiveDate", "EffectiveDate").write(),
        date("expiryDate", "ExpiryDate"),
        int("productId", "ProdID"),
        int("officerId", "OfficerID"),
        boolean("offline", "isOffline"),
        uuid("contributionPlanId", "ContributionPlanID"),
        date("creationDate", "creationDate"),
    ],
};

/// The dates `_update_policy_insurees` / `_activate_insurees` set (no history, no audit).
pub static COVERAGE_DATES: EntitySpec = EntitySpec {
    type_name: "InsureePolicyGQLType",
    table: "tblInsureePolicy",
    alias: "aip",
    key: "InsureePolicyID",
    uuid: None,
    history: None,
    fields: &[
        date("startDate", "StartDate").write(),
        date("effectiveDate", "EffectiveDate").write(),
        date("expiryDate", "ExpiryDate").write(),
    ],
};

/// The valid policy whose uuid is `uuid` (`Policy.filter_queryset().filter(uuid=…).first()`).
pub fn valid_policy(conn: &mut DbConnection, uuid: &str) -> Result<Option<Value>, ModuleError> {
    let mut w = Where::new();
    w.and(
        &format!(
            "CAST({} AS TEXT) = ? AND {} IS NULL",
            POLICY_ROW.col("PolicyUUID"),
            POLICY_ROW.col("ValidityTo")
        ),
        [Bind::text(uuid)],
    );
    Ok(entity::find(conn, &POLICY_ROW, &w, "")?.into_iter().next())
}

/// Sets `values` (the writable dates) on the valid coverage rows of policy `pk`.
pub fn set_coverage(conn: &mut DbConnection, pk: i64, values: &Value) -> Result<(), ModuleError> {
    let sql = r#"SELECT "InsureePolicyID" AS id FROM "tblInsureePolicy" WHERE "PolicyId" = ? AND "ValidityTo" IS NULL"#;
    for row in entity::ids(conn, sql, &[Bind::BigInt(Some(pk))])? {
        entity::update_in_place(conn, &COVERAGE_DATES, row, values, None)?;
    }
    Ok(())
}
