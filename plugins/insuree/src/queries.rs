//! The root queries (insuree.md §4): `insurees`, `families`, `familyMembers`, `insureePolicy`,
//! `insureeStatusReasons`, the reference lists, `insureeNumberValidity`, `canAddInsuree` and
//! `insureeOfficers`. The rights are the manifest's field rights.

use crate::access::Rules;
use crate::config::Config;
use crate::lookups::{self, CONFIRMATION_TYPES, FAMILY_TYPES, GENDERS, IDENTIFICATION_TYPES};
use crate::specs::{
    EDUCATION, FAMILY, INSUREE, INSUREE_POLICY, PROFESSION, RELATION, STATUS_REASON,
};
use crate::{number, places};
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity::{self, Access, Hooks, Kind};
use openimis_sdk::input::str_arg;
use openimis_sdk::project::project;
use openimis_sdk::sql_filter::{text_arg, Where};
use openimis_sdk::{ModuleError, SelectionField};
use serde_json::{json, Map, Value};

/// `clientMutationId`: the rows linked to the logs with that client id.
fn linked_to(w: &mut Where, column: &str, (table, link_column): (&str, &str), client_id: &str) {
    w.and(
        &format!(
            r#"{column} IN (SELECT lk."{link_column}" FROM "{table}" lk JOIN "core_Mutation_Log" ml ON ml."id" = lk."mutation_id" WHERE ml."client_mutation_id" = ?)"#
        ),
        [Bind::text(client_id)],
    );
}

/// `validityTo`, `validityTo_Lt|Lte|Gt|Gte|Isnull` on `column`, taken out of the field.
fn validity_to(
    conn: &DbConnection,
    field: &mut SelectionField,
    w: &mut Where,
    column: &str,
) -> Result<(), ModuleError> {
    for (suffix, op) in [
        ("", "="),
        ("_Lt", "<"),
        ("_Lte", "<="),
        ("_Gt", ">"),
        ("_Gte", ">="),
    ] {
        let name = format!("validityTo{suffix}");
        if let Some(value) = field.args.remove(&name).filter(|v| !v.is_null()) {
            let bound = entity::bind(&name, Kind::DateTime, &value)?;
            w.and(
                &format!("{column} {op} {}", db::timestamp_param(conn)),
                [bound],
            );
        }
    }
    match field.args.remove("validityTo_Isnull") {
        Some(Value::Bool(true)) => w.and(&format!("{column} IS NULL"), []),
        Some(Value::Bool(false)) => w.and(&format!("{column} IS NOT NULL"), []),
        Some(Value::Null) | None => w,
        Some(_) => {
            return Err(ModuleError::new(
                "BAD_ARGUMENT",
                "`validityTo_Isnull` must be true or false",
            ))
        }
    };
    Ok(())
}

/// The field without the arguments starting with `prefix`, and those arguments unprefixed.
fn split_prefixed(field: &SelectionField, prefix: &str) -> (SelectionField, Map<String, Value>) {
    let mut rest = field.clone();
    let taken = entity::take_prefixed(&mut rest, prefix);
    (rest, taken)
}

/// The insurees matching `args` (valid ones, the insuree filters), as a subquery of keys.
fn insuree_keys(
    conn: &DbConnection,
    args: Map<String, Value>,
    access: &Access,
) -> Result<(String, Vec<Bind>), ModuleError> {
    let mut field = SelectionField::new("members");
    field.args = args;
    let mut w = Where::new();
    validity_to(conn, &mut field, &mut w, &INSUREE.col("ValidityTo"))?;
    let w = entity::filtered(conn, &INSUREE, &field, w, access)?;
    let sql = format!(
        r#"SELECT i."InsureeID" FROM "tblInsuree" i WHERE {}"#,
        w.sql()
    );
    Ok((sql, w.binds().to_vec()))
}

/// Runs `f` over the insurees `insurees` lists, before paging: validity (`validityTo*`, lifted
/// by `uuid`), `parentLocation`, `clientMutationId`, and the row security `ignoreLocation`
/// lifts; `f` gets the field, the `WHERE` of these arguments and the access. `insureesExport`
/// writes the same rows.
pub fn with_insuree_list<R>(
    conn: &mut DbConnection,
    field: &SelectionField,
    rules: &Rules,
    f: impl FnOnce(&mut DbConnection, &SelectionField, Where, &Access) -> Result<R, ModuleError>,
) -> Result<R, ModuleError> {
    let mut field = field.clone();
    let mut w = Where::new();
    validity_to(conn, &mut field, &mut w, &INSUREE.col("ValidityTo"))?;
    if field.arg("uuid").is_some_and(|v| !v.is_null()) {
        field.args.insert("showHistory".into(), json!(true));
    }
    if let Some(parent) = places::parent(&field)? {
        places::insuree_under(
            &mut w,
            &parent,
            (&INSUREE.col("CurrentVillage"), &INSUREE.col("FamilyID")),
        );
    }
    if let Some(client_id) = text_arg(&field, "clientMutationId")? {
        linked_to(
            &mut w,
            &INSUREE.col("InsureeID"),
            ("insuree_InsureeMutation", "insuree_id"),
            &client_id,
        );
    }
    let ignore = field.arg("ignoreLocation") == Some(&Value::Bool(true));
    let open = Rules {
        allowed: None,
        ..*rules
    };
    let rules = if ignore { &open } else { rules };
    rules.apply(|access| f(conn, &field, w, access))
}

pub fn insurees(
    conn: &mut DbConnection,
    field: &SelectionField,
    rules: &Rules,
) -> Result<Value, ModuleError> {
    with_insuree_list(conn, field, rules, |conn, field, w, access| {
        entity::connection(conn, &INSUREE, field, w, access)
    })
}

pub fn families(
    conn: &mut DbConnection,
    field: &SelectionField,
    rules: &Rules,
) -> Result<Value, ModuleError> {
    let (field, head) = split_prefixed(field, "headInsuree_");
    let (mut field, members) = split_prefixed(&field, "members_");
    let mut w = Where::new();
    if let Some(parent) = places::parent(&field)? {
        places::under(&mut w, &parent, &FAMILY.col("LocationId"));
    }
    if let Some(client_id) = text_arg(&field, "clientMutationId")? {
        linked_to(
            &mut w,
            &FAMILY.col("FamilyID"),
            ("insuree_FamilyMutation", "family_id"),
            &client_id,
        );
    }
    match field.args.remove("nullAsFalsePoverty") {
        Some(Value::Bool(true)) => w.and(
            &format!("{} = ?", FAMILY.col("Poverty")),
            [Bind::Bool(Some(true))],
        ),
        Some(Value::Bool(false)) => w.and(
            &format!("{0} IS NULL OR {0} = ?", FAMILY.col("Poverty")),
            [Bind::Bool(Some(false))],
        ),
        _ => &mut w,
    };
    if let Some(officer) = text_arg(&field, "officer")? {
        officer_families(conn, &mut w, &officer);
    }
    let open = Access::open();
    if !head.is_empty() {
        let (sql, binds) = insuree_keys(conn, head, &open)?;
        w.and(&format!("{} IN ({sql})", FAMILY.col("InsureeID")), binds);
    }
    if !members.is_empty() {
        let (sql, binds) = insuree_keys(conn, members, &open)?;
        let sql =
            format!(r#"SELECT mi."FamilyID" FROM "tblInsuree" mi WHERE mi."InsureeID" IN ({sql})"#);
        w.and(&format!("{} IN ({sql})", FAMILY.col("FamilyID")), binds);
    }
    rules.apply(|access| entity::connection(conn, &FAMILY, &field, w, access))
}

/// `officer`: the families with a policy sold by that officer (`tblPolicy` is policy's table:
/// without it no family has one).
fn officer_families(conn: &mut DbConnection, w: &mut Where, officer: &str) {
    let exists = db::count(
        conn,
        r#"SELECT COUNT(*) AS n FROM "tblPolicy" WHERE 1 = 0"#,
        &[],
    )
    .is_ok();
    if !exists {
        w.and("1 = 0", []);
        return;
    }
    w.and(
        &format!(
            r#"{} IN (SELECT po."FamilyID" FROM "tblPolicy" po JOIN "tblOfficer" o ON o."OfficerID" = po."OfficerID" WHERE LOWER(CAST(o."OfficerUUID" AS TEXT)) = LOWER(?))"#,
            FAMILY.col("FamilyID")
        ),
        [Bind::text(officer)],
    );
}

/// `familyMembers(familyUuid)`: the family's valid members, by `-head` then `dob` unless ordered.
pub fn family_members(
    conn: &mut DbConnection,
    field: &SelectionField,
    rules: &Rules,
) -> Result<Value, ModuleError> {
    let mut field = field.clone();
    let uuid = str_arg(&field, "familyUuid").to_owned();
    if field.arg("orderBy").is_none_or(Value::is_null) {
        field.args.insert("orderBy".into(), json!(["-head", "dob"]));
    }
    field.args.remove("showHistory");
    let mut w = Where::new();
    validity_to(conn, &mut field, &mut w, &INSUREE.col("ValidityTo"))?;
    w.and(
        &format!(
            r#"{} IN (SELECT fm."FamilyID" FROM "tblFamilies" fm WHERE LOWER(fm."FamilyUUID") = LOWER(?))"#,
            INSUREE.col("FamilyID")
        ),
        [Bind::text(uuid)],
    );
    rules.apply(|access| entity::connection(conn, &INSUREE, &field, w, access))
}

/// `insureePolicy`: the coverage rows, on the insurees' places; an `additionalFilter` needs a
/// receiver of the original's signal, which no module here registers: `unauthorized`.
pub fn insuree_policy(
    conn: &mut DbConnection,
    field: &SelectionField,
    rules: &Rules,
) -> Result<Value, ModuleError> {
    if field.arg("additionalFilter").is_some_and(|v| !v.is_null()) {
        return Err(ModuleError::new("UNAUTHORIZED", "unauthorized"));
    }
    let (field, insuree) = split_prefixed(field, "insuree_");
    let (field, _policy) = split_prefixed(&field, "policy_");
    let mut w = Where::new();
    if let Some(parent) = places::parent(&field)? {
        let mut inner = Where::new();
        places::insuree_under(
            &mut inner,
            &parent,
            (r#"pi."CurrentVillage""#, r#"pi."FamilyID""#),
        );
        let sql = format!(
            r#"SELECT pi."InsureeID" FROM "tblInsuree" pi WHERE {}"#,
            inner.sql()
        );
        w.and(
            &format!("{} IN ({sql})", INSUREE_POLICY.col("InsureeID")),
            inner.binds().to_vec(),
        );
    }
    rules.apply(|access| {
        let (sql, binds) = insuree_keys(conn, insuree, access)?;
        w.and(
            &format!("{} IN ({sql})", INSUREE_POLICY.col("InsureeID")),
            binds,
        );
        entity::connection(conn, &INSUREE_POLICY, &field, w, access)
    })
}

/// `str`: django's `Q(code__icontains) | Q(status_reason__icontains)`.
const REASON_SEARCH: &str = openimis_sdk::icontains_any!(r#"sr."Code""#, r#"sr."StatusReason""#);

/// `insureeStatusReasons(str, code, insureeStatusReason…, statusType)`.
pub fn status_reasons(
    conn: &mut DbConnection,
    field: &SelectionField,
    rules: &Rules,
) -> Result<Value, ModuleError> {
    let mut w = Where::new();
    if let Some(text) = text_arg(field, "str")?.filter(|t| !t.is_empty()) {
        w.and(REASON_SEARCH, [Bind::text(text.clone()), Bind::text(text)]);
    }
    rules.apply(|access| entity::connection(conn, &STATUS_REASON, field, w, access))
}

/// The reference lists, ordered by `SortOrder`.
pub fn reference_list(
    conn: &mut DbConnection,
    field: &SelectionField,
    rules: &Rules,
) -> Result<Value, ModuleError> {
    let text_list = match field.name.as_str() {
        "insureeGenders" => Some(&GENDERS),
        "familyTypes" => Some(&FAMILY_TYPES),
        "confirmationTypes" => Some(&CONFIRMATION_TYPES),
        "identificationTypes" => Some(&IDENTIFICATION_TYPES),
        _ => None,
    };
    if let Some(list) = text_list {
        let mut rows = lookups::rows(conn, list, None)?;
        rules.apply(|access| lookups::complete(conn, list, &mut rows, &field.selection, access))?;
        return Ok(project(&field.selection, &Value::Array(rows), "code"));
    }
    let spec = match field.name.as_str() {
        "educations" => &EDUCATION,
        "professions" => &PROFESSION,
        _ => &RELATION,
    };
    let mut ordered = field.clone();
    ordered.args.insert("orderBy".into(), json!(["sortOrder"]));
    rules.apply(|access| entity::list(conn, spec, &ordered, Where::new(), access))
}

/// `insureeNumberValidity(insureeNumber)`.
pub fn number_validity(
    conn: &mut DbConnection,
    config: &Config,
    field: &SelectionField,
) -> Result<Value, ModuleError> {
    let number = str_arg(field, "insureeNumber");
    let errors = number::validate(conn, config, Some(number), None)?;
    let answer = match errors.first() {
        None => json!({"isValid": true, "errorCode": null, "errorMessage": null}),
        Some(e) => {
            json!({"isValid": false, "errorCode": e["errorCode"], "errorMessage": e["message"]})
        }
    };
    Ok(project(&field.selection, &answer, "isValid"))
}
