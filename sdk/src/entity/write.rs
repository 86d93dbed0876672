//! The write side: typed mutation input, and `insert`/`update`/`delete` of an entity's declared
//! writable fields from values keyed by GraphQL names (`serde_json::to_value(&input)`), with the
//! original's versioning (a history copy before an update, a soft delete), inside the caller's
//! transaction.

use super::row::{load_cells, Cells};
use super::spec::{EntitySpec, History, Shape};
use super::value::{bind, placeholder};
use crate::abi::ModuleError;
use crate::db::{self, Bind, DbConnection};
use crate::mutation::MutationError;
use crate::time;
use crate::versioned::{save_history, VersionedTable};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The mutation's `input` as `T`, or the error the log records.
pub fn input<T: DeserializeOwned>(map: &Map<String, Value>) -> Result<T, MutationError> {
    serde_json::from_value(Value::Object(map.clone())).map_err(|e| MutationError {
        message: "invalid input".into(),
        detail: Some(e.to_string()),
    })
}

/// A module error as the errors a mutation records under `message`.
pub fn failed(message: &str) -> impl Fn(ModuleError) -> Vec<MutationError> + '_ {
    move |e| {
        vec![MutationError {
            message: message.into(),
            detail: Some(e.message.to_string()),
        }]
    }
}

/// `(column, placeholder, bind)` of each writable field `values` names (`name`, or `nameId`
/// for a foreign key).
pub(super) fn written(
    conn: &DbConnection,
    spec: &EntitySpec,
    values: &Value,
) -> Result<Vec<(String, &'static str, Bind)>, ModuleError> {
    let mut out = Vec::new();
    for field in spec.fields.iter().filter(|f| f.writable) {
        let Some(kind) = field.kind() else { continue };
        let id_name = format!("{}Id", field.name);
        let value = match field.shape {
            Shape::One(_) => values.get(field.name).or_else(|| values.get(&id_name)),
            _ => values.get(field.name),
        };
        if let Some(value) = value {
            let value = match value {
                Value::Object(o) => o.get("pk").or_else(|| o.get("id")).unwrap_or(&Value::Null),
                v => v,
            };
            let b = bind(field.name, kind, value)?;
            out.push((format!(r#""{}""#, field.column), placeholder(conn, kind), b));
        }
    }
    Ok(out)
}

/// Inserts a row from `values` (a new v4 uuid unless `values.uuid` is given; `ValidityFrom`
/// now and the audit user on versioned tables) and answers its key.
pub fn insert(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    values: &Value,
    audit_user_id: i64,
) -> Result<i64, ModuleError> {
    let mut cols = written(conn, spec, values)?;
    if let Some(uuid) = spec.uuid {
        let given = values
            .get("uuid")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let uuid_value = given.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let mark = db::uuid_param(conn);
        cols.push((format!(r#""{uuid}""#), mark, Bind::Text(Some(uuid_value))));
    }
    if let Some(h) = spec.history {
        let stamp = db::timestamp_param(conn);
        cols.push((r#""ValidityFrom""#.into(), stamp, Bind::text(time::now())));
        cols.push((
            format!(r#""{}""#, h.audit_user),
            "?",
            Bind::BigInt(Some(audit_user_id)),
        ));
    }
    let names: Vec<&str> = cols.iter().map(|c| c.0.as_str()).collect();
    let marks: Vec<&str> = cols.iter().map(|c| c.1).collect();
    let binds: Vec<Bind> = cols.iter().map(|c| c.2.clone()).collect();
    let sql = format!(
        r#"INSERT INTO "{}" ({}) VALUES ({}) RETURNING CAST("{}" AS BIGINT) AS l0"#,
        spec.table,
        names.join(", "),
        marks.join(", "),
        spec.key
    );
    let rows: Vec<Cells> = load_cells(conn, &sql, &binds)?;
    rows.first()
        .and_then(|r| r.0.first())
        .and_then(|c| c.int())
        .ok_or_else(|| {
            ModuleError::new(
                "INSERT_FAILED",
                format!("no row inserted into {}", spec.table),
            )
        })
}

/// The key of the valid row with `uuid`, if any.
pub fn pk_by_uuid(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    uuid: &str,
) -> Result<Option<i64>, ModuleError> {
    let Some(column) = spec.uuid else {
        return Ok(None);
    };
    let valid = if spec.history.is_some() {
        r#" AND "ValidityTo" IS NULL"#
    } else {
        ""
    };
    let sql = format!(
        r#"SELECT CAST("{}" AS BIGINT) AS l0 FROM "{}" WHERE CAST("{column}" AS TEXT) = ?{valid}"#,
        spec.key, spec.table
    );
    let rows: Vec<Cells> = load_cells(conn, &sql, &[Bind::text(uuid)])?;
    Ok(rows.first().and_then(|r| r.0.first()).and_then(|c| c.int()))
}

fn not_found(spec: &EntitySpec, pk: i64) -> ModuleError {
    ModuleError::new(
        "NOT_FOUND",
        format!("{} has no valid row {pk}", spec.type_name),
    )
}

/// The columns a history copy carries over from the row: every declared column once (two
/// fields may read one column, a filter under another name), `ValidityFrom` and the audit
/// user; never the ones the copy sets itself (the key, the new uuid, `ValidityTo`, the legacy
/// id), which a module may declare as fields too (a `validityTo` filter).
pub(super) fn history_columns(spec: &EntitySpec, h: History) -> Vec<&'static str> {
    let own =
        |c: &str| c == spec.key || Some(c) == spec.uuid || c == "ValidityTo" || c == h.legacy_id;
    let mut carried: Vec<&'static str> = spec
        .fields
        .iter()
        .filter(|f| f.kind().is_some())
        .map(|f| f.column)
        .collect();
    carried.extend(["ValidityFrom", h.audit_user]);
    let mut seen = std::collections::HashSet::new();
    carried.retain(|c| !own(c) && seen.insert(*c));
    carried
}

/// Copies row `pk` of a versioned `spec` to history (`ValidityTo` now, `LegacyID` the row's
/// key, a new uuid; the declared columns carried over) and answers the copy's key.
pub fn copy_to_history(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    pk: i64,
) -> Result<i64, ModuleError> {
    let Some(h) = spec.history else {
        return Err(not_found(spec, pk));
    };
    let carried = history_columns(spec, h);
    let table = VersionedTable {
        table: spec.table,
        id: spec.key,
        uuid: spec.uuid,
        legacy_id: h.legacy_id,
        columns: &carried,
    };
    let id = i32::try_from(pk).map_err(|_| not_found(spec, pk))?;
    let copy = save_history(
        conn,
        &table,
        id,
        &time::now(),
        &uuid::Uuid::new_v4().to_string(),
    )?;
    Ok(i64::from(copy))
}

/// The original's `delete_history()` of row `pk`: a history copy, then the row ends with
/// `ValidityFrom = ValidityTo = now`.
pub fn delete_history(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    pk: i64,
) -> Result<(), ModuleError> {
    copy_to_history(conn, spec, pk)?;
    let stamp = db::timestamp_param(conn);
    let sql = format!(
        r#"UPDATE "{}" SET "ValidityFrom" = {stamp}, "ValidityTo" = {stamp} WHERE "{}" = ?"#,
        spec.table, spec.key
    );
    let now = time::now();
    let binds = [Bind::text(&now), Bind::text(&now), Bind::BigInt(Some(pk))];
    db::execute(conn, &sql, &binds).map(drop)
}

/// `ValidityFrom = now` on row `pk`, as the original's versioned models set on every save.
pub fn restamp(conn: &mut DbConnection, spec: &EntitySpec, pk: i64) -> Result<(), ModuleError> {
    let stamp = db::timestamp_param(conn);
    let sql = format!(
        r#"UPDATE "{}" SET "ValidityFrom" = {stamp} WHERE "{}" = ?"#,
        spec.table, spec.key
    );
    let binds = [Bind::text(time::now()), Bind::BigInt(Some(pk))];
    db::execute(conn, &sql, &binds).map(drop)
}

/// Updates row `pk` with the writable fields `values` names; a versioned row is copied to
/// history first (`save_history`) and must be valid; the audit user is set.
pub fn update(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    pk: i64,
    values: &Value,
    audit_user_id: i64,
) -> Result<(), ModuleError> {
    let cols = written(conn, spec, values)?;
    let key = format!(r#""{}""#, spec.key);
    if spec.history.is_some() {
        let valid = db::count(
            conn,
            &format!(
                r#"SELECT COUNT(*) AS n FROM "{}" WHERE {key} = ? AND "ValidityTo" IS NULL"#,
                spec.table
            ),
            &[Bind::BigInt(Some(pk))],
        )?;
        if valid == 0 {
            return Err(not_found(spec, pk));
        }
        copy_to_history(conn, spec, pk)?;
    }
    match set_columns(conn, spec, pk, cols, Some(audit_user_id))? {
        Some(0) => Err(not_found(spec, pk)),
        _ => Ok(()),
    }
}

/// `UPDATE` of row `pk` with `cols`, plus the audit user on a versioned table; `None` when
/// there is nothing to set, else the rows changed.
pub(super) fn set_columns(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    pk: i64,
    mut cols: Vec<(String, &'static str, Bind)>,
    audit_user_id: Option<i64>,
) -> Result<Option<usize>, ModuleError> {
    if let Some(h) = spec.history {
        let audit = format!(r#""{}""#, h.audit_user);
        cols.push((audit, "?", Bind::BigInt(audit_user_id)));
    }
    if cols.is_empty() {
        return Ok(None);
    }
    let sets: Vec<String> = cols.iter().map(|(c, m, _)| format!("{c} = {m}")).collect();
    let mut binds: Vec<Bind> = cols.into_iter().map(|c| c.2).collect();
    binds.push(Bind::BigInt(Some(pk)));
    let sql = format!(
        r#"UPDATE "{}" SET {} WHERE "{}" = ?"#,
        spec.table,
        sets.join(", "),
        spec.key
    );
    db::execute(conn, &sql, &binds).map(Some)
}

/// Deletes row `pk`: a versioned row ends (`ValidityTo` = now, as the original's soft delete),
/// another is removed.
pub fn delete(conn: &mut DbConnection, spec: &EntitySpec, pk: i64) -> Result<(), ModuleError> {
    let key = format!(r#""{}""#, spec.key);
    let deleted = if spec.history.is_some() {
        let stamp = db::timestamp_param(conn);
        db::execute(
            conn,
            &format!(
                r#"UPDATE "{}" SET "ValidityTo" = {stamp} WHERE {key} = ? AND "ValidityTo" IS NULL"#,
                spec.table
            ),
            &[Bind::text(time::now()), Bind::BigInt(Some(pk))],
        )?
    } else {
        db::execute(
            conn,
            &format!(r#"DELETE FROM "{}" WHERE {key} = ?"#, spec.table),
            &[Bind::BigInt(Some(pk))],
        )?
    };
    match deleted {
        0 => Err(not_found(spec, pk)),
        _ => Ok(()),
    }
}
