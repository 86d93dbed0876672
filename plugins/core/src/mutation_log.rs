//! `core_Mutation_Log`: the services every module's mutations go through (`mutation_log.create`,
//! `mutation_log.finish`, see the SDK's `mutation::run_logged`; `mutation_log.pending` for
//! other modules' `clientMutationId`), the `mutationLogs` query the
//! frontend polls until a mutation's status leaves 0, and the log's links to core users (`user`,
//! `users`; UserGQLType's `mutationlogSet` and `mutations`).

use crate::user_graph::{self, children, field, grouped};
use crate::{unauthorized, user_queries, users, Conn};
use openimis_sdk::db::{self, Bind};
use openimis_sdk::project::fill_answers;
use openimis_sdk::relay::global_id;
use openimis_sdk::sql_filter::{order_by, pk_of, As, Where};
use openimis_sdk::{mutation::SUCCEEDED, time};
use openimis_sdk::{ModuleError, RequestContext, ResolveRequest, SelectionField};
use serde_json::{json, Value};
use std::collections::HashMap;

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

fn load(conn: &mut Conn, filter: &Where, order: &str) -> Result<Vec<Value>, ModuleError> {
    let rows: Vec<LogRow> = db::load(
        conn,
        &format!(
            r#"SELECT CAST(ml."id" AS TEXT) AS id, ml."json_content" AS json_content, CAST(ml."user_id" AS TEXT) AS user_id,
                      CAST(ml."request_date_time" AS TEXT) AS request_date_time, ml."client_mutation_id" AS client_mutation_id,
                      ml."client_mutation_label" AS client_mutation_label, ml."client_mutation_details" AS client_mutation_details,
                      ml."status" AS status, ml."error" AS error, ml."autogenerated_code" AS autogenerated_code,
                      CAST(ml."JsonExt" AS TEXT) AS json_ext
               FROM "core_Mutation_Log" ml WHERE {}{order}"#,
            filter.sql()
        ),
        filter.binds(),
    )?;
    Ok(rows.iter().map(to_json).collect())
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

/// Whether the caller is an IMIS administrator (who reads every log).
fn caller_is_admin(conn: &mut Conn, context: &RequestContext) -> Result<bool, ModuleError> {
    match context.user.get("username").and_then(Value::as_str) {
        Some(username) if !username.is_empty() => users::is_imis_admin(conn, username),
        _ => Ok(false),
    }
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
    );
    Ok(())
}

/// `mutationLogs(...)`: the user's own logs (all of them for an IMIS administrator), filtered
/// as the original's filter set, newest first when `orderBy: "-request_date_time"`.
pub fn query(
    conn: &mut Conn,
    request: &ResolveRequest,
    is_admin: bool,
) -> Result<Value, ModuleError> {
    let (context, field) = (&request.context, &request.field);
    if context.user_id().is_none() && field.child("totalCount").is_some() {
        return Err(unauthorized());
    }
    let mut filter = Where::new();
    restrict_to_caller(conn, context, is_admin, &mut filter);
    apply_filters(conn, field, &mut filter)?;
    let order = order_by(field, ORDERING, r#"ml."request_date_time", ml."id""#)?;
    let rows = load(conn, &filter, &order)?;
    user_graph::page(field, rows, |window, selection| {
        enrich(conn, context, window.iter_mut().collect(), selection)
    })
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
/// (each loaded once for all rows and enriched for its own sub-selection).
fn user_mutations(
    conn: &mut Conn,
    context: &RequestContext,
    column: &str,
    ids: &[String],
    selection: &[SelectionField],
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
    let mut users = HashMap::new();
    if field(selection, "coreUser").is_some() {
        let ids: Vec<String> = rows.iter().map(|r| r.core_user_id.clone()).collect();
        users = user_queries::by_ids(conn, context, &ids, &children(selection, "coreUser"))?;
    }
    let mut logs = HashMap::new();
    if field(selection, "mutation").is_some() {
        let ids: Vec<String> = rows.iter().map(|r| r.mutation_id.clone()).collect();
        let mut filter = Where::new();
        filter.and(
            &format!(r#"ml."id" IN ({})"#, uuid_list(conn, ids.len())),
            ids.iter().map(Bind::text),
        );
        let mut found = load(conn, &filter, "")?;
        enrich(
            conn,
            context,
            found.iter_mut().collect(),
            &children(selection, "mutation"),
        )?;
        logs = found
            .into_iter()
            .map(|l| (l["pk"].as_str().unwrap_or_default().to_owned(), l))
            .collect();
    }
    Ok(rows
        .iter()
        .map(|r| {
            json!({
                "id": r.id, "coreUserId": r.core_user_id, "mutationId": r.mutation_id,
                "coreUser": users.get(&r.core_user_id), "mutation": logs.get(&r.mutation_id),
            })
        })
        .collect())
}

fn text_pks(objects: &[&mut Value]) -> Vec<String> {
    objects
        .iter()
        .filter_map(|o| o["pk"].as_str().map(str::to_owned))
        .collect()
}

/// Adds what `selection` asks of the logs `objects` beyond their row: the `user` who asked
/// and the `users` the mutation touched (`core_UserMutation`), one query each for all of them.
pub fn enrich(
    conn: &mut Conn,
    context: &RequestContext,
    mut objects: Vec<&mut Value>,
    selection: &[SelectionField],
) -> Result<(), ModuleError> {
    let ids = text_pks(&objects);
    if ids.is_empty() {
        return Ok(());
    }
    if field(selection, "user").is_some() {
        let user_ids: Vec<String> = objects
            .iter()
            .filter_map(|o| o["userId"].as_str().map(str::to_owned))
            .collect();
        let users = user_queries::by_ids(conn, context, &user_ids, &children(selection, "user"))?;
        for object in objects.iter_mut() {
            let own = object["userId"]
                .as_str()
                .and_then(|id| users.get(id).cloned());
            object["user"] = own.unwrap_or(Value::Null);
        }
    }
    if field(selection, "users").is_some() {
        let all = user_mutations(
            conn,
            context,
            "mutation_id",
            &ids,
            &children(selection, "users"),
        )?;
        for object in objects.iter_mut() {
            object["users"] = all
                .iter()
                .filter(|m| m["mutationId"] == object["pk"])
                .cloned()
                .collect();
        }
    }
    Ok(())
}

/// Sets UserGQLType's `mutationlogSet` (the logs each user asked for, as far as the caller may
/// read them) and `mutations` (the `core_UserMutation` rows that touched each user) on the core
/// user `objects`, when selected; one query each for all of them.
pub fn attach_to_users(
    conn: &mut Conn,
    context: &RequestContext,
    mut objects: Vec<&mut Value>,
    selection: &[SelectionField],
) -> Result<(), ModuleError> {
    let ids = text_pks(&objects);
    if ids.is_empty() {
        return Ok(());
    }
    fill_answers(&mut objects, selection, "mutationlogSet", |set, _| {
        let mut filter = Where::new();
        filter.and(
            &format!(r#"ml."user_id" IN ({})"#, uuid_list(conn, ids.len())),
            ids.iter().map(Bind::text),
        );
        if context.is_authenticated() {
            let is_admin = caller_is_admin(conn, context)?;
            restrict_to_caller(conn, context, is_admin, &mut filter);
        } else {
            filter.and("1 = 0", []);
        }
        apply_filters(conn, set, &mut filter)?;
        let rows = load(
            conn,
            &filter,
            r#" ORDER BY ml."request_date_time", ml."id""#,
        )?;
        let groups = grouped(&ids, rows, |r| r["userId"].as_str().map(str::to_owned));
        user_graph::pages(set, groups, |window, sel| {
            enrich(conn, context, window.iter_mut().collect(), sel)
        })
    })?;
    if field(selection, "mutations").is_some() {
        let all = user_mutations(
            conn,
            context,
            "core_user_id",
            &ids,
            &children(selection, "mutations"),
        )?;
        for object in objects.iter_mut() {
            object["mutations"] = all
                .iter()
                .filter(|m| m["coreUserId"] == object["pk"])
                .cloned()
                .collect();
        }
    }
    Ok(())
}
