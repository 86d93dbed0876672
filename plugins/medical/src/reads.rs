//! Clauses and hooks every read of medical's entities shares: the access (the package rows'
//! plain `id`), the `str` search, the `pricelistUuid` restriction (medical_pricelist's tables
//! read in SQL), the `clientMutationId` link, and a code's availability.

use crate::item_or_service::ItemOrService;
use crate::specs::{SERVICE_ITEM, SERVICE_SERVICE};
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity::{escape_like, Access, EntitySpec};
use openimis_sdk::sql_filter::Where;
use openimis_sdk::{HostHandle, ModuleError, SelectionField};
use serde_json::{json, Value};

/// The package types are not relay nodes in the original: their `id` is the plain key.
fn plain_ids(
    _: &mut DbConnection,
    spec: &EntitySpec,
    rows: &mut [Value],
    _: &[SelectionField],
) -> Result<(), ModuleError> {
    let plain = [&SERVICE_ITEM, &SERVICE_SERVICE]
        .iter()
        .any(|s| std::ptr::eq(*s, spec));
    if plain {
        for row in rows.iter_mut() {
            row["id"] = json!(row["pk"].as_i64().map(|pk| pk.to_string()));
        }
    }
    Ok(())
}

/// Every medical row is open to whoever may call the field (the original has no row security
/// here); the package rows answer their plain ids.
pub fn access() -> Access<'static> {
    Access::open().extend(&plain_ids)
}

/// `str`: the code or the name contains it, case-insensitive.
pub fn code_or_name_contains(spec: &EntitySpec, code: &str, name: &str, text: &str) -> Where {
    let pattern = format!("%{}%", escape_like(text));
    let like = |column: &str| format!(r"LOWER({}) LIKE LOWER(?) ESCAPE '\'", spec.col(column));
    let mut w = Where::new();
    w.and(
        &format!("{} OR {}", like(code), like(name)),
        [Bind::text(pattern.clone()), Bind::text(pattern)],
    );
    w
}

/// Rows appearing in the details of the price list `uuid` (only valid details when
/// `valid_details`). medical_pricelist owns those tables: without it no list exists.
pub fn in_pricelist(
    host: &HostHandle,
    kind: &ItemOrService,
    uuid: &str,
    valid_details: bool,
) -> Where {
    let mut w = Where::new();
    if !host.is_loaded("medical_pricelist") {
        w.and("1 = 0", []);
        return w;
    }
    let valid = if valid_details {
        r#" AND d."ValidityTo" IS NULL"#
    } else {
        ""
    };
    let (key, list_key) = (kind.key(), kind.pricelist_key);
    w.and(
        &format!(
            r#"{col} IN (SELECT d."{key}" FROM "{detail}" d JOIN "{list}" pl ON pl."{list_key}" = d."{list_key}"
               WHERE LOWER(CAST(pl."{uuid_col}" AS TEXT)) = ?{valid})"#,
            col = kind.spec.col(key),
            detail = kind.detail_table,
            list = kind.pricelist_table,
            uuid_col = kind.pricelist_uuid,
        ),
        [Bind::text(uuid)],
    );
    w
}

/// Rows linked (`medical_*Mutation`) to a mutation logged with `client_mutation_id`.
pub fn mutated_by(kind: &ItemOrService, client_mutation_id: &str) -> Where {
    let mut w = Where::new();
    w.and(
        &format!(
            r#"{col} IN (SELECT m."{link}" FROM "{table}" m JOIN "core_Mutation_Log" ml ON ml."id" = m."mutation_id"
               WHERE ml."client_mutation_id" = ?)"#,
            col = kind.spec.col(kind.key()),
            link = kind.link_column,
            table = kind.link_table,
        ),
        [Bind::text(client_mutation_id)],
    );
    w
}

/// Whether no valid row of the kind has `code` (`check_unique_code_item`/`_service`).
pub fn code_free(
    conn: &mut DbConnection,
    kind: &ItemOrService,
    code: &str,
) -> Result<bool, ModuleError> {
    let sql = format!(
        r#"SELECT COUNT(*) AS n FROM "{}" WHERE "{}" = ? AND "ValidityTo" IS NULL"#,
        kind.spec.table, kind.code_column
    );
    Ok(db::count(conn, &sql, &[Bind::text(code)])? == 0)
}

/// Merges `other`'s clause into `w`.
pub fn and(mut w: Where, other: &Where) -> Where {
    w.and(other.sql(), other.binds().iter().cloned());
    w
}
