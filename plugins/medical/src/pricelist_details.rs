//! medical_pricelist's detail rows naming an item or a service, read and ended here in SQL as
//! the original's `pricelist_details` reverse relation is (that module loads after this one
//! and owns the tables; without it there are no details).

use crate::item_or_service::ItemOrService;
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity::delete_history as end;
use openimis_sdk::entity::*;
use openimis_sdk::sql_filter::Where;
use openimis_sdk::{HostHandle, ModuleError};

/// The columns of `tblPLItemsDetail` the history copy carries.
static ITEM_DETAILS: EntitySpec = EntitySpec {
    type_name: "ItemsPricelistDetailGQLType",
    table: "tblPLItemsDetail",
    alias: "pld",
    key: "PLItemDetailID",
    uuid: None,
    history: Some(HISTORY),
    fields: &[
        int("pricelist", "PLItemID"),
        int("target", "ItemID"),
        decimal("priceOverrule", "PriceOverule", 2),
    ],
};

/// The columns of `tblPLServicesDetail` the history copy carries.
static SERVICE_DETAILS: EntitySpec = EntitySpec {
    type_name: "ServicesPricelistDetailGQLType",
    table: "tblPLServicesDetail",
    alias: "pld",
    key: "PLServiceDetailID",
    uuid: None,
    history: Some(HISTORY),
    fields: &[
        int("pricelist", "PLServiceID"),
        int("target", "ServiceID"),
        decimal("priceOverrule", "PriceOverule", 2),
    ],
};

/// The detail entity of `kind`.
pub fn details_of(kind: &ItemOrService) -> &'static EntitySpec {
    if kind.detail_table == ITEM_DETAILS.table {
        &ITEM_DETAILS
    } else {
        &SERVICE_DETAILS
    }
}

/// Ends every valid price-list detail of row `pk` (`delete_history` on each, as the
/// original's `set_item_or_service_deleted`).
pub fn end_details(
    host: &HostHandle,
    conn: &mut DbConnection,
    kind: &ItemOrService,
    pk: i64,
) -> Result<(), ModuleError> {
    if !host.is_loaded("medical_pricelist") {
        return Ok(());
    }
    let spec = details_of(kind);
    let mut w = Where::new();
    w.and(
        &format!(
            r#"{} = ? AND {} IS NULL"#,
            spec.col(kind.key()),
            spec.col("ValidityTo")
        ),
        [Bind::BigInt(Some(pk))],
    );
    for detail in find(conn, spec, &w, "")? {
        if let Some(id) = detail["pk"].as_i64() {
            end(conn, spec, id)?;
        }
    }
    Ok(())
}
