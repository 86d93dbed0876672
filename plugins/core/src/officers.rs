//! Enrolment officers (`tblOfficer`, OfficerGQLType): rows as JSON, nested `substitutionOfficer`,
//! `officerSet` and `userSet`, and the `enrolmentOfficers` / `substitutionEnrolmentOfficers`
//! connections as the original filters them.

use crate::user_graph::{self, field};
use crate::{location_link, user_queries, Conn};
// `#[diesel(embed)]` names the trait unqualified in the code it derives.
use diesel::deserialize::QueryableByName;
use openimis_sdk::db;
use openimis_sdk::project::fill_answers;
use openimis_sdk::relay::global_id;
use openimis_sdk::sql_filter::{order_by, As, Where};
use openimis_sdk::time;
use openimis_sdk::versioned::HistoryColumns;
use openimis_sdk::{HostHandle, ModuleError, SelectionField};
use serde_json::{json, Value};
use std::collections::HashMap;

#[derive(diesel::QueryableByName)]
pub struct OfficerRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub id: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    uuid: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    code: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    last_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    other_names: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    dob: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    phone: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    pub location_id: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    substitution_id: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    works_to: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    veo_code: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    veo_last_name: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    veo_other_names: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    veo_dob: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    veo_phone: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    email: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Bool>)]
    phone_communication: Option<bool>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    address: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Bool>)]
    has_login: Option<bool>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    json_ext: Option<String>,
    #[diesel(embed)]
    history: HistoryColumns,
}

const COLUMNS: &str = r#"o."OfficerID" AS id, o."OfficerUUID" AS uuid, o."Code" AS code, o."LastName" AS last_name,
    o."OtherNames" AS other_names, CAST(o."DOB" AS TEXT) AS dob, o."Phone" AS phone, o."LocationId" AS location_id,
    o."OfficerIDSubst" AS substitution_id, CAST(o."WorksTo" AS TEXT) AS works_to, o."VEOCode" AS veo_code,
    o."VEOLastName" AS veo_last_name, o."VEOOtherNames" AS veo_other_names, CAST(o."VEODOB" AS TEXT) AS veo_dob,
    o."VEOPhone" AS veo_phone, o."AuditUserID" AS audit_user_id, o."EmailId" AS email,
    o."PhoneCommunication" AS phone_communication, o."permanentaddress" AS address, o."HasLogin" AS has_login,
    CAST(o."JsonExt" AS TEXT) AS json_ext, CAST(o."ValidityFrom" AS TEXT) AS validity_from,
    CAST(o."ValidityTo" AS TEXT) AS validity_to, o."LegacyID" AS legacy_id"#;

fn iso(stamp: &Option<String>) -> Value {
    json!(stamp.as_deref().map(time::iso))
}

/// A date column as the original's ISO date (PostgreSQL and SQLite both store `YYYY-MM-DD`).
fn date(value: &Option<String>) -> Value {
    json!(value.as_deref().map(|d| d.get(..10).unwrap_or(d)))
}

/// The row as OfficerGQLType (`pk` = `OfficerID`, the federation key).
pub fn to_json(r: &OfficerRow) -> Value {
    r.history.add_to(json!({
        "pk": r.id, "id": global_id("OfficerGQLType", r.id), "uuid": r.uuid, "code": r.code,
        "lastName": r.last_name, "otherNames": r.other_names, "dob": date(&r.dob), "phone": r.phone,
        "substitutionOfficerId": r.substitution_id, "worksTo": iso(&r.works_to), "veoCode": r.veo_code,
        "veoLastName": r.veo_last_name, "veoOtherNames": r.veo_other_names, "veoDob": date(&r.veo_dob),
        "veoPhone": r.veo_phone, "email": r.email,
        "phoneCommunication": r.phone_communication, "address": r.address, "hasLogin": r.has_login,
        "jsonExt": r.json_ext,
    }))
}

pub fn load(conn: &mut Conn, filter: &Where, order: &str) -> Result<Vec<OfficerRow>, ModuleError> {
    db::load(
        conn,
        &format!(
            r#"SELECT {COLUMNS} FROM "tblOfficer" o WHERE {}{order}"#,
            filter.sql()
        ),
        filter.binds(),
    )
}

/// JSON of the given ids (any validity), by id.
pub fn by_ids(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, Value>, ModuleError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut filter = Where::new();
    filter.ids(r#"o."OfficerID""#, ids);
    Ok(load(conn, &filter, "")?
        .iter()
        .map(|r| (i64::from(r.id), to_json(r)))
        .collect())
}

/// Adds what `selection` asks of the officers `objects` beyond their row.
pub fn enrich(
    conn: &mut Conn,
    mut objects: Vec<&mut Value>,
    selection: &[SelectionField],
) -> Result<(), ModuleError> {
    if objects.is_empty() {
        return Ok(());
    }
    if field(selection, "substitutionOfficer").is_some() {
        let ids: Vec<i64> = objects
            .iter()
            .filter_map(|o| o["substitutionOfficerId"].as_i64())
            .collect();
        let substitutes = by_ids(conn, &ids)?;
        for object in objects.iter_mut() {
            let id = object["substitutionOfficerId"].as_i64();
            object["substitutionOfficer"] = id
                .and_then(|id| substitutes.get(&id).cloned())
                .unwrap_or(Value::Null);
        }
    }
    fill_answers(
        &mut objects,
        selection,
        "officerSet",
        |officer_set, objects| {
            objects
                .iter()
                .map(|object| {
                    let mut filter = Where::new();
                    filter
                        .and(
                            r#"o."ValidityTo" IS NULL AND o."OfficerIDSubst" = ?"#,
                            [db::Bind::BigInt(object["pk"].as_i64())],
                        )
                        .args(officer_set, FILTERS);
                    let rows: Vec<Value> = load(conn, &filter, r#" ORDER BY o."OfficerID""#)?
                        .iter()
                        .map(to_json)
                        .collect();
                    user_graph::page(officer_set, rows, |_, _| Ok(()))
                })
                .collect()
        },
    )?;
    user_queries::attach_user_sets(conn, objects, "officer_id", selection)
}

/// OfficerGQLType's filter set (`id`, `uuid`, `code`, names, `dob`).
const FILTERS: &[(&str, As, &str)] = &[
    ("id", As::Id, r#"CAST(o."OfficerID" AS TEXT) = ?"#),
    ("uuid", As::Text, r#"o."OfficerUUID" = ?"#),
    ("code", As::Text, r#"o."Code" = ?"#),
    (
        "code_Icontains",
        As::Text,
        r#"LOWER(o."Code") LIKE '%' || LOWER(?) || '%'"#,
    ),
    ("lastName", As::Text, r#"o."LastName" = ?"#),
    (
        "lastName_Icontains",
        As::Text,
        r#"LOWER(o."LastName") LIKE '%' || LOWER(?) || '%'"#,
    ),
    ("otherNames", As::Text, r#"o."OtherNames" = ?"#),
    (
        "otherNames_Icontains",
        As::Text,
        r#"LOWER(o."OtherNames") LIKE '%' || LOWER(?) || '%'"#,
    ),
    ("dob", As::Text, r#"CAST(o."DOB" AS TEXT) = ?"#),
];

/// `orderBy` names of OfficerGQLType.
const ORDERING: &[(&str, &str)] = &[
    ("id", r#"o."OfficerID""#),
    ("uuid", r#"o."OfficerUUID""#),
    ("code", r#"o."Code""#),
    ("last_name", r#"o."LastName""#),
    ("other_names", r#"o."OtherNames""#),
    ("dob", r#"o."DOB""#),
    ("validity_from", r#"o."ValidityFrom""#),
];

fn answer(
    conn: &mut Conn,
    field: &SelectionField,
    filter: &mut Where,
) -> Result<Value, ModuleError> {
    filter
        .and(r#"o."ValidityTo" IS NULL"#, [])
        .args(field, FILTERS);
    let order = order_by(field, ORDERING, r#"o."OfficerID""#)?;
    let rows: Vec<Value> = load(conn, filter, &order)?.iter().map(to_json).collect();
    user_graph::page(field, rows, |window, selection| {
        enrich(conn, window.iter_mut().collect(), selection)
    })
}

/// `enrolmentOfficers(str, ...)`: nothing (null) without `str`; with it, valid officers whose
/// code or names contain it.
pub fn enrolment_officers(conn: &mut Conn, field: &SelectionField) -> Result<Value, ModuleError> {
    if field.arg("str").is_none() {
        return Ok(Value::Null);
    }
    let mut filter = Where::new();
    filter.args(
        field,
        &[("str", As::Text, r#"LOWER(o."Code") LIKE '%' || LOWER(?) || '%' OR LOWER(o."LastName") LIKE '%' || LOWER(?) || '%'
            OR LOWER(o."OtherNames") LIKE '%' || LOWER(?) || '%'"#)],
    );
    answer(conn, field, &mut filter)
}

/// `substitutionEnrolmentOfficers(villagesUuids, officerUuid, str, ...)`: valid officers serving
/// every given village (location's `users.filter`, level 3), except `officerUuid`; `str` is a
/// prefix of the code, the names or the email.
pub fn substitution_officers(
    host: &HostHandle,
    conn: &mut Conn,
    field: &SelectionField,
) -> Result<Value, ModuleError> {
    let villages: Vec<&str> = field
        .arg("villagesUuids")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut serving: Option<Vec<i64>> = None;
    for village in &villages {
        let found = location_link::users_filter(
            host,
            &json!({"parent_location": village, "parent_location_level": 3}),
        )?
        .officer_ids;
        serving = Some(match serving {
            None => found,
            Some(before) => before.into_iter().filter(|id| found.contains(id)).collect(),
        });
    }
    let mut filter = Where::new();
    filter.ids(r#"o."OfficerID""#, &serving.unwrap_or_default());
    filter.args(
        field,
        &[
            ("officerUuid", As::Text, r#"o."OfficerUUID" <> ?"#),
            ("str", As::Text, r#"LOWER(o."Code") LIKE LOWER(?) || '%' OR LOWER(o."LastName") LIKE LOWER(?) || '%'
                OR LOWER(o."OtherNames") LIKE LOWER(?) || '%' OR LOWER(o."EmailId") LIKE LOWER(?) || '%'"#),
        ],
    );
    answer(conn, field, &mut filter)
}
