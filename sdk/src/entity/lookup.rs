//! Rows named for another module: the `*.get` services' lookup by ids, uuids or codes (exactly
//! one), optionally valid at a moment (the original's `filter_validity(validity=t)`), and the
//! validity condition itself, for the rows a service adds to them.

use super::{bind, EntitySpec, Kind};
use crate::db::{self, Bind, DbConnection};
use crate::sql_filter::Where;
use crate::ModuleError;
use serde::Deserialize;
use serde_json::json;

/// What a `*.get` payload names: exactly one of `ids`, `uuids`, `codes`; `valid_at` a date or
/// time (without it, codes name the valid rows only; ids and uuids name any row).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lookup {
    pub ids: Option<Vec<i64>>,
    pub uuids: Option<Vec<String>>,
    pub codes: Option<Vec<String>>,
    pub valid_at: Option<String>,
}

/// `ValidityFrom <= at` and `ValidityTo` null or `>= at` on `spec`'s rows.
pub fn valid_at(
    conn: &DbConnection,
    spec: &EntitySpec,
    at: &str,
    w: &mut Where,
) -> Result<(), ModuleError> {
    let at = bind("valid_at", Kind::DateTime, &json!(at))?;
    let stamp = db::timestamp_param(conn);
    let (from, to) = (spec.col("ValidityFrom"), spec.col("ValidityTo"));
    w.and(
        &format!("{from} <= {stamp} AND ({to} IS NULL OR {to} >= {stamp})"),
        [at.clone(), at],
    );
    Ok(())
}

/// `column IN (?, …)` over texts; an empty list matches nothing.
fn texts_in(column: &str, values: &[String], w: &mut Where) {
    if values.is_empty() {
        w.and("1 = 0", []);
        return;
    }
    let marks = vec!["?"; values.len()].join(", ");
    w.and(
        &format!("{column} IN ({marks})"),
        values.iter().map(|v| Bind::text(v.clone())),
    );
}

impl Lookup {
    /// The condition on `spec`'s rows (`code_column` holds the code), or why the lookup is
    /// malformed (for the service's `BAD_PAYLOAD` error).
    pub fn condition(
        &self,
        conn: &DbConnection,
        spec: &EntitySpec,
        code_column: &str,
    ) -> Result<Where, String> {
        let given = [
            self.ids.is_some(),
            self.uuids.is_some(),
            self.codes.is_some(),
        ];
        if given.iter().filter(|g| **g).count() != 1 {
            return Err("give exactly one of ids, uuids, codes".into());
        }
        let mut w = Where::new();
        if let Some(ids) = &self.ids {
            w.ids(&spec.col(spec.key), ids);
        }
        if let Some(uuids) = &self.uuids {
            let column = spec.uuid.ok_or("no uuids here")?;
            // Text on both sides: the column is a uuid on the original's PostgreSQL tables.
            texts_in(
                &format!("CAST({} AS TEXT)", spec.col(column)),
                uuids,
                &mut w,
            );
        }
        if let Some(codes) = &self.codes {
            texts_in(&spec.col(code_column), codes, &mut w);
            if self.valid_at.is_none() {
                w.and(&format!("{} IS NULL", spec.col("ValidityTo")), []);
            }
        }
        if let Some(at) = &self.valid_at {
            valid_at(conn, spec, at, &mut w).map_err(|e| e.message.to_string())?;
        }
        Ok(w)
    }
}
