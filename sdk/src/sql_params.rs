//! Two leaf helpers for SQL parameters, shared by `sql_filter` and the entity layer's values
//! (so neither imports the other): a date's placeholder per backend, and the key inside a relay
//! global id.

use crate::db::{self, DbConnection};
use crate::relay::parse_global_id;

/// The placeholder for a `date` column: `CAST(? AS date)` on PostgreSQL, `?` on SQLite (a
/// cast there would give the text numeric affinity and keep only the year).
pub fn date_param(conn: &DbConnection) -> &'static str {
    match db::backend(conn) {
        "postgresql" => "CAST(? AS date)",
        _ => "?",
    }
}

/// The pk inside a relay global id, or `id` itself when it is not one.
pub fn pk_of(id: &str) -> String {
    match parse_global_id(id) {
        Some((type_name, pk)) if type_name.ends_with("Type") => pk,
        _ => id.to_owned(),
    }
}
