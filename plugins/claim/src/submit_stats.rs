//! `ClaimSubmissionStatsMixin`: after `submitClaims` and `processClaims`, the counts of the
//! claims their `uuids` name (any validity) and of all their lines, by status, stored in the
//! mutation log's `JsonExt` as `{"claim_stats": {...}}` (added to an object already there).
//! The original finds its log by `clientMutationId`; here it is the log being run. core offers
//! no service for this, and the row must change with the mutation's own rows: it is written in
//! the mutation's transaction (`core_Mutation_Log."JsonExt"`, a column the original's core
//! declares), as the stats are (jsonb keeps its own key order; the text written is `json.dumps`').

use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::ModuleError;
use serde_json::Value;

#[derive(Debug, Default, diesel::QueryableByName)]
struct Counts {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    submitted: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    checked: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    processed: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    valuated: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    rejected: i64,
}

#[derive(Debug, Default, diesel::QueryableByName)]
struct LineCounts {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    passed: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    rejected: i64,
}

/// Which mutation's stats (`_parse_submission_stats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Submit,
    Process,
}

fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

fn line_counts(
    conn: &mut DbConnection,
    table: &str,
    status: &str,
    uuids: &[String],
) -> Result<LineCounts, ModuleError> {
    let sql = format!(
        r#"SELECT CAST(COALESCE(SUM(CASE WHEN l."{status}" = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS passed,
                  CAST(COALESCE(SUM(CASE WHEN l."{status}" = 2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS rejected
           FROM "{table}" l JOIN "tblClaim" c ON c."ClaimID" = l."ClaimID"
           WHERE CAST(c."ClaimUUID" AS TEXT) IN ({})"#,
        marks(uuids.len())
    );
    let binds: Vec<Bind> = uuids.iter().map(Bind::text).collect();
    Ok(db::load(conn, &sql, &binds)?
        .into_iter()
        .next()
        .unwrap_or_default())
}

/// The stats as the original's dict prints (`json.dumps`: its key order, `", "`, `": "`).
pub fn stats(conn: &mut DbConnection, kind: Kind, uuids: &[String]) -> Result<String, ModuleError> {
    let binds: Vec<Bind> = uuids.iter().map(Bind::text).collect();
    let counts = match uuids.is_empty() {
        true => Counts::default(),
        false => {
            let sql = format!(
                r#"SELECT CAST(COUNT(c."ClaimUUID") AS BIGINT) AS submitted,
                     CAST(COALESCE(SUM(CASE WHEN c."ClaimStatus" = 4 THEN 1 ELSE 0 END), 0) AS BIGINT) AS checked,
                     CAST(COALESCE(SUM(CASE WHEN c."ClaimStatus" = 8 THEN 1 ELSE 0 END), 0) AS BIGINT) AS processed,
                     CAST(COALESCE(SUM(CASE WHEN c."ClaimStatus" = 16 THEN 1 ELSE 0 END), 0) AS BIGINT) AS valuated,
                     CAST(COALESCE(SUM(CASE WHEN c."ClaimStatus" = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS rejected
                   FROM "tblClaim" c WHERE CAST(c."ClaimUUID" AS TEXT) IN ({})"#,
                marks(uuids.len())
            );
            db::load(conn, &sql, &binds)?
                .into_iter()
                .next()
                .unwrap_or_default()
        }
    };
    Ok(match kind {
        Kind::Submit => {
            let (items, services) = match uuids.is_empty() {
                true => (LineCounts::default(), LineCounts::default()),
                false => (
                    line_counts(conn, "tblClaimItems", "ClaimItemStatus", uuids)?,
                    line_counts(conn, "tblClaimServices", "ClaimServiceStatus", uuids)?,
                ),
            };
            format!(
                r#"{{"submitted": {}, "checked": {}, "rejected": {}, "items_passed": {}, "items_rejected": {}, "services_passed": {}, "services_rejected": {}, "header": "Claims submitted"}}"#,
                counts.submitted,
                counts.checked,
                counts.rejected,
                items.passed,
                items.rejected,
                services.passed,
                services.rejected
            )
        }
        Kind::Process => format!(
            r#"{{"submitted": {}, "processed": {}, "valuated": {}, "rejected": {}, "header": "Submitted to process"}}"#,
            counts.submitted, counts.processed, counts.valuated, counts.rejected
        ),
    })
}

#[derive(diesel::QueryableByName)]
struct Ext {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    json_ext: Option<String>,
}

/// Writes `{"claim_stats": <stats>}` into log `log`'s `JsonExt` (beside what an object there
/// already holds).
pub fn record(conn: &mut DbConnection, log: &str, stats: &str) -> Result<(), ModuleError> {
    let uuid = db::uuid_param(conn);
    let rows: Vec<Ext> = db::load(
        conn,
        &format!(
            r#"SELECT CAST("JsonExt" AS TEXT) AS json_ext FROM "core_Mutation_Log" WHERE "id" = {uuid}"#
        ),
        &[Bind::text(log)],
    )?;
    let existing = rows.into_iter().next().and_then(|r| r.json_ext);
    let text = match existing.as_deref().map(serde_json::from_str::<Value>) {
        Some(Ok(Value::Object(mut map))) => {
            let parsed: Value = serde_json::from_str(stats).unwrap_or(Value::Null);
            map.insert("claim_stats".into(), parsed);
            Value::Object(map).to_string()
        }
        _ => format!(r#"{{"claim_stats": {stats}}}"#),
    };
    let json = match db::backend(conn) {
        "postgresql" => "CAST(? AS jsonb)",
        _ => "?",
    };
    let sql = format!(r#"UPDATE "core_Mutation_Log" SET "JsonExt" = {json} WHERE "id" = {uuid}"#);
    db::execute(conn, &sql, &[Bind::text(text), Bind::text(log)]).map(drop)
}
