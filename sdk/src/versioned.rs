//! Versioned rows as the original keeps them (`VersionedModel.save_history`): before a row
//! changes, a copy of it is inserted with a new id (and a new uuid where the table has one),
//! `LegacyID` = the row's id and `ValidityTo` = now; the row itself keeps its id and uuid.
//! Row structs embed the history columns they read ([`HistoryColumns`]) and answer them as the
//! original's GraphQL types do.

use super::db::{self, Bind, DbConnection};
use super::time;
use crate::abi::ModuleError;
// `#[diesel(embed)]` names the trait unqualified in the code it derives.
use diesel::deserialize::QueryableByName;
use diesel::sql_types::{Integer, Nullable, Text};
use serde_json::{json, Value};

/// Where a versioned table keeps its identity and history columns.
#[derive(Debug, Clone, Copy)]
pub struct VersionedTable<'a> {
    pub table: &'a str,
    /// The integer primary key (`LocationId`).
    pub id: &'a str,
    /// The uuid column (`LocationUUID`), if the table has one.
    pub uuid: Option<&'a str>,
    /// `LegacyID` (the spelling varies between tables).
    pub legacy_id: &'a str,
    /// Every other column the copy carries over unchanged.
    pub columns: &'a [&'a str],
}

#[derive(diesel::QueryableByName)]
struct NewId {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
}

/// Inserts the history copy of row `id` (ended at `now`, a naive UTC timestamp; `new_uuid` for
/// tables with a uuid column) and answers the copy's id.
pub fn save_history(
    conn: &mut DbConnection,
    table: &VersionedTable,
    id: i32,
    now: &str,
    new_uuid: &str,
) -> Result<i32, ModuleError> {
    let stamp = db::timestamp_param(conn);
    let carried: String = table
        .columns
        .iter()
        .map(|c| format!(r#", "{c}""#))
        .collect();
    let (uuid_column, uuid_value, uuid_bind) = match table.uuid {
        Some(column) => (
            format!(r#", "{column}""#),
            format!(", {}", db::uuid_param(conn)),
            vec![Bind::text(new_uuid)],
        ),
        None => (String::new(), String::new(), Vec::new()),
    };
    let sql = format!(
        r#"INSERT INTO "{t}" ("ValidityTo", "{legacy}"{uuid_column}{carried})
           SELECT {stamp}, "{pk}"{uuid_value}{carried} FROM "{t}" WHERE "{pk}" = ?"#,
        t = table.table,
        legacy = table.legacy_id,
        pk = table.id,
    );
    let mut binds = vec![Bind::text(now)];
    binds.extend(uuid_bind);
    binds.push(Bind::Int(Some(id)));
    if db::execute(conn, &sql, &binds)? != 1 {
        return Err(ModuleError::new(
            "NOT_FOUND",
            format!("{} has no row {id} to copy to history", table.table),
        ));
    }
    let rows: Vec<NewId> = db::load(
        conn,
        &format!(
            r#"SELECT CAST(MAX("{pk}") AS INTEGER) AS id FROM "{t}" WHERE "{legacy}" = ?"#,
            t = table.table,
            pk = table.id,
            legacy = table.legacy_id
        ),
        &[Bind::Int(Some(id))],
    )?;
    rows.first()
        .map(|r| r.id)
        .ok_or_else(|| ModuleError::new("NOT_FOUND", "the history copy vanished"))
}

/// The history columns of a row whose `AuditUserID` is NOT NULL, read under the aliases
/// `validity_from`, `validity_to` (both `CAST(.. AS TEXT)`), `legacy_id` and `audit_user_id`.
/// Embed it in a row struct with `#[diesel(embed)]`.
#[derive(diesel::QueryableByName, Debug, Clone, PartialEq, Eq)]
pub struct HistoryColumns {
    #[diesel(embed)]
    pub validity: Validity,
    #[diesel(sql_type = Integer)]
    pub audit_user_id: i32,
}

/// [`HistoryColumns`] of a table whose `AuditUserID` is nullable (`tblLocations`, ...).
#[derive(diesel::QueryableByName, Debug, Clone, PartialEq, Eq)]
pub struct HistoryColumnsNullableAudit {
    #[diesel(embed)]
    pub validity: Validity,
    #[diesel(sql_type = Nullable<Integer>)]
    pub audit_user_id: Option<i32>,
}

/// The columns every versioned table has alike: `ValidityFrom` (NOT NULL), `ValidityTo` (null
/// while the row is valid) and `LegacyID` (the row a history copy was taken from).
#[derive(diesel::QueryableByName, Debug, Clone, PartialEq, Eq)]
pub struct Validity {
    #[diesel(sql_type = Text)]
    pub validity_from: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub validity_to: Option<String>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub legacy_id: Option<i32>,
}

impl HistoryColumns {
    /// `object` (a JSON object) with `validityFrom`, `validityTo` (ISO, null while valid),
    /// `legacyId` and `auditUserId` added.
    pub fn add_to(&self, object: Value) -> Value {
        self.validity.add_to(object, json!(self.audit_user_id))
    }
}

impl HistoryColumnsNullableAudit {
    /// As [`HistoryColumns::add_to`]; `auditUserId` is null where the column is.
    pub fn add_to(&self, object: Value) -> Value {
        self.validity.add_to(object, json!(self.audit_user_id))
    }
}

impl Validity {
    /// `object` with `validityFrom`, `validityTo`, `legacyId` and `auditUserId` (given) added.
    pub fn add_to(&self, mut object: Value, audit_user_id: Value) -> Value {
        if let Some(fields) = object.as_object_mut() {
            let from = time::iso(&self.validity_from);
            fields.insert("validityFrom".into(), json!(from));
            let to = self.validity_to.as_deref().map(time::iso);
            fields.insert("validityTo".into(), json!(to));
            fields.insert("legacyId".into(), json!(self.legacy_id));
            fields.insert("auditUserId".into(), audit_user_id);
        }
        object
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(diesel::QueryableByName, Debug, PartialEq)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        id: i32,
        #[diesel(sql_type = diesel::sql_types::Text)]
        uuid: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
        legacy: Option<i32>,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        until: Option<String>,
    }

    fn memory_pool() -> db::DbPool {
        db::pool(&crate::abi::DatabaseInfo {
            url: ":memory:".into(),
            backend: "sqlite".into(),
            pool_size: 1,
        })
        .unwrap()
    }

    #[test]
    fn the_copy_gets_a_new_id_and_uuid_and_points_back() {
        let pool = memory_pool();
        let mut conn = db::connection(&pool).unwrap();
        db::execute(&mut conn, r#"CREATE TABLE "t" ("Id" INTEGER PRIMARY KEY AUTOINCREMENT, "Uuid" text NOT NULL, "Name" text NOT NULL, "LegacyID" int NULL, "ValidityTo" datetime NULL)"#, &[]).unwrap();
        db::execute(
            &mut conn,
            r#"INSERT INTO "t" ("Uuid", "Name") VALUES ('u1', 'first')"#,
            &[],
        )
        .unwrap();
        let table = VersionedTable {
            table: "t",
            id: "Id",
            uuid: Some("Uuid"),
            legacy_id: "LegacyID",
            columns: &["Name"],
        };
        let copy = save_history(&mut conn, &table, 1, "2026-01-02 03:04:05.000006", "u2").unwrap();
        assert_eq!(copy, 2);
        let rows: Vec<Row> = db::load(&mut conn, r#"SELECT "Id" AS id, "Uuid" AS uuid, "Name" AS name, "LegacyID" AS legacy, CAST("ValidityTo" AS TEXT) AS until FROM "t" ORDER BY "Id""#, &[]).unwrap();
        assert_eq!(rows[0].legacy, None);
        assert_eq!(
            (
                rows[1].name.as_str(),
                rows[1].legacy,
                rows[1].until.as_deref()
            ),
            ("first", Some(1), Some("2026-01-02 03:04:05.000006"))
        );
        assert_eq!(rows[1].uuid, "u2");
        assert!(save_history(&mut conn, &table, 9, "2026-01-02 03:04:05", "u3").is_err());
    }

    #[derive(diesel::QueryableByName, Debug)]
    struct Embedding {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        id: i32,
        #[diesel(embed)]
        history: HistoryColumns,
        #[diesel(embed)]
        nullable: HistoryColumnsNullableAudit,
    }

    #[test]
    fn embedded_history_columns_read_by_alias_and_answer_graphql_fields() {
        let pool = memory_pool();
        let mut conn = db::connection(&pool).unwrap();
        let rows: Vec<Embedding> = db::load(
            &mut conn,
            r#"SELECT 7 AS id, '2020-01-02 03:04:05.5' AS validity_from, NULL AS validity_to,
                NULL AS legacy_id, 3 AS audit_user_id"#,
            &[],
        )
        .unwrap();
        let row = &rows[0];
        assert_eq!(row.id, 7);
        assert_eq!(row.history.audit_user_id, 3);
        assert_eq!(row.nullable.audit_user_id, Some(3));
        assert_eq!(
            row.history.add_to(json!({"pk": 7})),
            json!({"pk": 7, "validityFrom": "2020-01-02T03:04:05.500000", "validityTo": null,
                   "legacyId": null, "auditUserId": 3})
        );
        let ended = HistoryColumnsNullableAudit {
            validity: Validity {
                validity_from: "2020-01-02 03:04:05".into(),
                validity_to: Some("2021-05-06 07:08:09.123456".into()),
                legacy_id: Some(4),
            },
            audit_user_id: None,
        };
        assert_eq!(
            ended.add_to(json!({})),
            json!({"validityFrom": "2020-01-02T03:04:05", "validityTo": "2021-05-06T07:08:09.123456",
                   "legacyId": 4, "auditUserId": null})
        );
    }
}
