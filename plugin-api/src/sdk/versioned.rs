//! Versioned rows as the original keeps them (`VersionedModel.save_history`): before a row
//! changes, a copy of it is inserted with a new id (and a new uuid where the table has one),
//! `LegacyID` = the row's id and `ValidityTo` = now; the row itself keeps its id and uuid.

use super::db::{self, Bind, DbConnection};
use crate::abi::ModuleError;

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
            ", ?",
            vec![Bind::text(new_uuid)],
        ),
        None => (String::new(), "", Vec::new()),
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

    #[test]
    fn the_copy_gets_a_new_id_and_uuid_and_points_back() {
        let pool = db::pool(&crate::abi::DatabaseInfo {
            url: ":memory:".into(),
            backend: "sqlite".into(),
            pool_size: 1,
        })
        .unwrap();
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
}
