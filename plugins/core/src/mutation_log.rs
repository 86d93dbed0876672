//! `core_Mutation_Log`: the services every module's mutations go through (`mutation_log.create`,
//! `mutation_log.finish`, see the SDK's `mutation::run_logged`; `mutation_log.pending` for
//! other modules' `clientMutationId`), the `mutationLogs` query the
//! frontend polls until a mutation's status leaves 0, and the log's links to core users (`user`,
//! `users`; UserGQLType's `mutationlogSet` and `mutations`).

use crate::{unauthorized, user_queries, Conn};
use openimis_sdk::db::{self, Bind};
use openimis_sdk::entity::Access;
use openimis_sdk::project::{fill_answers, project};
use openimis_sdk::relay::global_id;
use openimis_sdk::sql_filter::{order_by, pk_of, As, Where};
use openimis_sdk::windowed::{node_selection, windowed};
use openimis_sdk::{mutation::SUCCEEDED, time};
use openimis_sdk::{ModuleError, RequestContext, ResolveRequest, SelectionField};
use serde_json::{json, Value};

fn text(payload: &Value, key: &str) -> Bind {
    Bind::Text(payload.get(key).and_then(Value::as_str).map(str::to_owned))
}

/// Inserts a log row with status 0; answers `{id}`.
pub fn create(conn: &mut Conn, payload: &Value) -> Result<Value, ModuleError> {
    let id = uuid::Uuid::new_v4().to_string();
    let uuid = db::uuid_param(conn);
    let stamp = db::timestamp_param(conn);
    db::execute(
        conn,
        &format!(
            r#"INSERT INTO "core_Mutation_Log" ("id", "json_content", "user_id", "request_date_time", "client_mutation_id",
                                                "client_mutation_label", "client_mutation_details", "status")
               VALUES ({uuid}, ?, {uuid}, {stamp}, ?, ?, ?, 0)"#
        ),
        &[
            Bind::text(&id),
            text(payload, "json_content"),
            text(payload, "user_id"),
            Bind::text(time::now()),
            text(payload, "client_mutation_id"),
            text(payload, "client_mutation_label"),
            text(payload, "client_mutation_details"),
        ],
    )?;
    Ok(json!({"id": id}))
}

/// Marks a log 2 (only from 0, so an error already recorded is never overwritten) or 1.
pub fn finish(conn: &mut Conn, payload: &Value) -> Result<Value, ModuleError> {
    let status = payload["status"].as_i64().unwrap_or(1) as i32;
    let id_param = db::uuid_param(conn);
    let only_from_received = if status == SUCCEEDED {
        r#" AND "status" = 0"#
    } else {
        ""
    };
    db::execute(
        conn,
        &format!(
            r#"UPDATE "core_Mutation_Log" SET "status" = ?, "error" = ? WHERE "id" = {id_param}{only_from_received}"#
        ),
        &[
            Bind::Int(Some(status)),
            text(payload, "error"),
            text(payload, "id"),
        ],
    )?;
    Ok(json!({}))
}

/// `mutation_log.fail_received` `{error}`: marks every log still at status 0 failed with
/// `error`; answers `{count}`. The host calls it at startup when no other process serves the
/// database and mutations are not queued in a broker: such logs were left by a process that
/// stopped before their outcome was recorded, and would otherwise stay at 0 for ever.
pub fn fail_received(conn: &mut Conn, payload: &Value) -> Result<Value, ModuleError> {
    let count = db::execute(
        conn,
        r#"UPDATE "core_Mutation_Log" SET "status" = 1, "error" = ? WHERE "status" = 0"#,
        &[text(payload, "error")],
    )?;
    Ok(json!({ "count": count }))
}

#[derive(diesel::QueryableByName)]
struct PendingRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    client_mutation_id: Option<String>,
}

/// How many log ids one `pending` statement binds.
const PENDING_CHUNK: usize = 500;

/// `mutation_log.pending` `{ids}` → `{<log id>: clientMutationId}` of the logs among `ids`
/// still at status 0 (received, not yet run); others are absent. Read-only: modules answer
/// their rows' `clientMutationId` from it (the original's `resolve_client_mutation_id`)
/// without reading core's table. Ids that are not uuids match nothing.
pub fn pending(conn: &mut Conn, payload: &Value) -> Result<Value, ModuleError> {
    let ids: Vec<&str> = payload["ids"]
        .as_array()
        .ok_or_else(|| ModuleError::new("BAD_PAYLOAD", "mutation_log.pending needs ids"))?
        .iter()
        .filter_map(Value::as_str)
        .filter(|id| uuid::Uuid::parse_str(id).is_ok())
        .collect();
    let mut answer = serde_json::Map::new();
    for chunk in ids.chunks(PENDING_CHUNK) {
        let rows: Vec<PendingRow> = db::load(
            conn,
            &format!(
                r#"SELECT CAST(ml."id" AS TEXT) AS id, ml."client_mutation_id" AS client_mutation_id
                   FROM "core_Mutation_Log" ml WHERE ml."status" = 0 AND ml."id" IN ({})"#,
                uuid_list(conn, chunk.len())
            ),
            &chunk.iter().map(|id| Bind::text(*id)).collect::<Vec<_>>(),
        )?;
        for row in rows {
            answer.insert(row.id, json!(row.client_mutation_id));
        }
    }
    Ok(Value::Object(answer))
}

#[derive(diesel::QueryableByName)]
struct LogRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    json_content: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    user_id: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    request_date_time: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    client_mutation_id: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    client_mutation_label: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    client_mutation_details: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    status: i32,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    error: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    autogenerated_code: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    json_ext: Option<String>,
}

fn load(
    conn: &mut Conn,
    filter: &Where,
    order: &str,
    window: Option<(usize, usize)>,
) -> Result<Vec<Value>, ModuleError> {
    let limit = window.map_or(String::new(), |(o, l)| format!(" LIMIT {l} OFFSET {o}"));
    let rows: Vec<LogRow> = db::load(
        conn,
        &format!(
            r#"SELECT CAST(ml."id" AS TEXT) AS id, ml."json_content" AS json_content, CAST(ml."user_id" AS TEXT) AS user_id,
                      CAST(ml."request_date_time" AS TEXT) AS request_date_time, ml."client_mutation_id" AS client_mutation_id,
                      ml."client_mutation_label" AS client_mutation_label, ml."client_mutation_details" AS client_mutation_details,
                      ml."status" AS status, ml."error" AS error, ml."autogenerated_code" AS autogenerated_code,
                      CAST(ml."JsonExt" AS TEXT) AS json_ext
               FROM "core_Mutation_Log" ml WHERE {}{order}{limit}"#,
            filter.sql()
        ),
        filter.binds(),
    )?;
    Ok(rows.iter().map(to_json).collect())
}

/// A MutationLogGQLType connection over the logs matching `w`, paged in SQL.
fn connection(
    conn: &mut Conn,
    context: &RequestContext,
    field: &SelectionField,
    w: &Where,
    order: &str,
    access: &Access,
) -> Result<Value, ModuleError> {
    let mut total = 0;
    if field.child("totalCount").is_some() || field.arg("last").is_some() {
        let sql = format!(
            r#"SELECT COUNT(*) AS n FROM "core_Mutation_Log" ml WHERE {}"#,
            w.sql()
        );
        total = db::count(conn, &sql, w.binds())? as usize;
    }
    windowed(
        field,
        "pk",
        || Ok(total),
        |offset, limit| {
            let mut rows = load(conn, w, order, Some((offset, limit)))?;
            complete(conn, context, &mut rows, &node_selection(field), access)?;
            Ok(rows)
        },
    )
}

/// The row as MutationLogGQLType (`pk` = its uuid; `userId` keys the `user`).
fn to_json(r: &LogRow) -> Value {
    json!({
        "id": global_id("MutationLogGQLType", &r.id), "pk": r.id, "jsonContent": r.json_content, "userId": r.user_id,
        "requestDateTime": time::iso(&r.request_date_time), "clientMutationId": r.client_mutation_id,
        "clientMutationLabel": r.client_mutation_label, "clientMutationDetails": r.client_mutation_details,
        "status": r.status, "error": r.error, "autogeneratedCode": r.autogenerated_code, "jsonExt": r.json_ext,
    })
}

/// `?, ?, ...` as uuids (`CAST(? AS uuid)` on PostgreSQL).
fn uuid_list(conn: &Conn, n: usize) -> String {
    vec![db::uuid_param(conn); n].join(", ")
}

/// Which logs the caller may read, as the original's `MutationLogGQLType.get_queryset`: none
/// when anonymous, all for an IMIS administrator, else their own.
fn restrict_to_caller(
    conn: &mut Conn,
    context: &RequestContext,
    is_admin: bool,
    filter: &mut Where,
) {
    if is_admin {
        return;
    }
    let own = context
        .user_id()
        .unwrap_or("00000000-0000-0000-0000-000000000000")
        .to_owned();
    filter.and(
        &format!(r#"ml."user_id" = {}"#, db::uuid_param(conn)),
        [Bind::text(own)],
    );
}

/// A naive timestamp argument as the database compares it (`2024-01-02 10:00:00`).
fn stamp_of(value: &Value) -> Bind {
    Bind::Text(value.as_str().map(|s| s.replacen('T', " ", 1)))
}

/// MutationLogGQLType's filter set (the `mutationLogs` arguments, and those of every
/// `mutationlogSet`).
fn apply_filters(
    conn: &Conn,
    field: &SelectionField,
    filter: &mut Where,
) -> Result<(), ModuleError> {
    if let Some(id) = field.arg("id").and_then(Value::as_str) {
        let id = pk_of(id);
        if uuid::Uuid::parse_str(&id).is_err() {
            return Err(ModuleError::new("INVALID_ID", "['Enter a valid UUID.']"));
        }
        filter.and(
            &format!(r#"ml."id" = {}"#, db::uuid_param(conn)),
            [Bind::text(id)],
        );
    }
    if let Some(user) = field.arg("user").and_then(Value::as_str) {
        filter.and(
            &format!(r#"ml."user_id" = {}"#, db::uuid_param(conn)),
            [Bind::text(pk_of(user))],
        );
    }
    let stamp = db::timestamp_param(conn);
    for (arg, op) in [
        ("requestDateTime", "="),
        ("requestDateTime_Gte", ">="),
        ("requestDateTime_Lte", "<="),
    ] {
        if let Some(value) = field.arg(arg) {
            filter.and(
                &format!(r#"ml."request_date_time" {op} {stamp}"#),
                [stamp_of(value)],
            );
        }
    }
    filter.args(
        field,
        &[
            (
                "clientMutationId",
                As::Text,
                r#"ml."client_mutation_id" = ?"#,
            ),
            (
                "clientMutationLabel",
                As::Text,
                r#"ml."client_mutation_label" = ?"#,
            ),
            ("status", As::Int, r#"ml."status" = ?"#),
            ("status_Gte", As::Int, r#"ml."status" >= ?"#),
        ],
    )?;
    Ok(())
}

/// `mutationLogs(...)`: the user's own logs (all of them for an IMIS administrator), filtered
/// as the original's filter set, newest first when `orderBy: "-request_date_time"`.
pub fn query(
    conn: &mut Conn,
    request: &ResolveRequest,
    is_admin: bool,
    access: &Access,
) -> Result<Value, ModuleError> {
    let (context, field) = (&request.context, &request.field);
    if context.user_id().is_none() && field.child("totalCount").is_some() {
        return Err(unauthorized());
    }
    let mut filter = Where::new();
    restrict_to_caller(conn, context, is_admin, &mut filter);
    apply_filters(conn, field, &mut filter)?;
    let order = order_by(field, ORDERING, r#"ml."request_date_time", ml."id""#)?;
    connection(conn, context, field, &filter, &order, access)
}

const ORDERING: &[(&str, &str)] = &[
    ("id", r#"ml."id""#),
    ("request_date_time", r#"ml."request_date_time""#),
    ("client_mutation_id", r#"ml."client_mutation_id""#),
    ("client_mutation_label", r#"ml."client_mutation_label""#),
    ("status", r#"ml."status""#),
];

#[derive(diesel::QueryableByName)]
struct UserMutationRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    core_user_id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    mutation_id: String,
}

/// UserMutationGQLType JSON of the `core_UserMutation` rows whose `column` (`core_user_id` or
/// `mutation_id`) is one of `ids`, with the `coreUser` and `mutation` the selection asks for
/// (each loaded once for all rows, for each alias's own sub-selection).
fn user_mutations(
    conn: &mut Conn,
    context: &RequestContext,
    column: &str,
    ids: &[String],
    selection: &[SelectionField],
    access: &Access,
) -> Result<Vec<Value>, ModuleError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<UserMutationRow> = db::load(
        conn,
        &format!(
            r#"SELECT CAST(um."id" AS TEXT) AS id, CAST(um."core_user_id" AS TEXT) AS core_user_id,
                      CAST(um."mutation_id" AS TEXT) AS mutation_id
               FROM "core_UserMutation" um WHERE um."{column}" IN ({}) ORDER BY um."id""#,
            uuid_list(conn, ids.len())
        ),
        &ids.iter().map(Bind::text).collect::<Vec<_>>(),
    )?;
    let mut out: Vec<Value> = rows
        .iter()
        .map(|r| json!({"id": r.id, "coreUserId": r.core_user_id, "mutationId": r.mutation_id}))
        .collect();
    fill_answers(&mut out, selection, "coreUser", |f, out| {
        let ids: Vec<String> = out.iter().map(|r| text_of(&r["coreUserId"])).collect();
        user_queries::by_keys(conn, &ids, &f.selection, access)
    })?;
    fill_answers(&mut out, selection, "mutation", |f, out| {
        let ids: Vec<String> = out.iter().map(|r| text_of(&r["mutationId"])).collect();
        let mut filter = Where::new();
        filter.and(
            &format!(r#"ml."id" IN ({})"#, uuid_list(conn, ids.len())),
            ids.iter().map(Bind::text),
        );
        let mut found = load(conn, &filter, "", None)?;
        complete(conn, context, &mut found, &f.selection, access)?;
        Ok(ids
            .iter()
            .map(|id| {
                found
                    .iter()
                    .find(|l| l["pk"].as_str() == Some(id))
                    .map_or(Value::Null, |l| project(&f.selection, l, "pk"))
            })
            .collect())
    })?;
    Ok(out)
}

fn text_of(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

fn text_pks(objects: &[Value]) -> Vec<String> {
    objects.iter().map(|o| text_of(&o["pk"])).collect()
}

/// For each row, the items of `all` whose `key` is the row's `pk`, shaped for `sel`.
fn grouped(rows: &[Value], all: &[Value], key: &str, sel: &[SelectionField]) -> Vec<Value> {
    rows.iter()
        .map(|row| {
            let own = all.iter().filter(|m| m[key] == row["pk"]);
            Value::Array(own.map(|m| project(sel, m, "id")).collect())
        })
        .collect()
}

/// Completes logs for `sel`: the `user` who asked and the `users` the mutation touched
/// (`core_UserMutation`), one query each for all of them.
fn complete(
    conn: &mut Conn,
    context: &RequestContext,
    rows: &mut [Value],
    sel: &[SelectionField],
    access: &Access,
) -> Result<(), ModuleError> {
    fill_answers(rows, sel, "user", |f, rows| {
        let ids: Vec<String> = rows.iter().map(|r| text_of(&r["userId"])).collect();
        user_queries::by_keys(conn, &ids, &f.selection, access)
    })?;
    fill_answers(rows, sel, "users", |f, rows| {
        let ids = text_pks(rows);
        let all = user_mutations(conn, context, "mutation_id", &ids, &f.selection, access)?;
        Ok(grouped(rows, &all, "mutationId", &f.selection))
    })
}

/// Sets UserGQLType's `mutationlogSet` (the logs each user asked for, as far as the caller may
/// read them: one connection paged in SQL per user) and `mutations` (the `core_UserMutation`
/// rows that touched each user) on the core users `rows`, when selected.
pub fn attach_to_users(
    conn: &mut Conn,
    context: &RequestContext,
    is_admin: bool,
    rows: &mut [Value],
    selection: &[SelectionField],
    access: &Access,
) -> Result<(), ModuleError> {
    fill_answers(rows, selection, "mutationlogSet", |set, rows| {
        rows.iter()
            .map(|row| {
                let mut filter = Where::new();
                filter.and(
                    &format!(r#"ml."user_id" = {}"#, db::uuid_param(conn)),
                    [Bind::text(text_of(&row["pk"]))],
                );
                if context.is_authenticated() {
                    restrict_to_caller(conn, context, is_admin, &mut filter);
                } else {
                    filter.and("1 = 0", []);
                }
                apply_filters(conn, set, &mut filter)?;
                let order = r#" ORDER BY ml."request_date_time", ml."id""#;
                connection(conn, context, set, &filter, order, access)
            })
            .collect()
    })?;
    fill_answers(rows, selection, "mutations", |f, rows| {
        let ids = text_pks(rows);
        let all = user_mutations(conn, context, "core_user_id", &ids, &f.selection, access)?;
        Ok(grouped(rows, &all, "coreUserId", &f.selection))
    })
}
