//! The arguments of claim lists beyond `specs::CLAIM`'s declared filters (claim.md §4, the
//! original's `resolve_claims` and `resolve_claim_history`): the prefixed filter sets
//! (`icd_`, `admin_`, `healthFacility_`, `insuree_`, `batchRun_`: `views.rs`),
//! `attachmentsCount_Value*` (the view `claim_ClaimAttachmentsCountView`), `items`,
//! `services`, `attachmentStatus`, `careType`, `showRestored`, `jsonExt`, `diagnosisVariance`,
//! `codeIsNot` and `orderBy`'s random `?`. Each is parsed first and becomes a clause of the
//! base `Where` over the claim's alias `c`; the arguments read here are taken out of the field.

use crate::specs::CLAIM;
use crate::views::{
    ADMIN_FILTERS, BATCH_RUN_FILTERS, DIAGNOSIS_FILTERS, FACILITY_FILTERS, INSUREE_FILTERS,
};
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity::{self, EntitySpec};
use openimis_sdk::sql_filter::{bind, As, Where};
use openimis_sdk::{ModuleError, SelectionField};
use serde_json::{Map, Value};

/// The prefixed filter sets: prefix, the claim's column, the view and its key.
const PREFIXED: [(&str, &str, &EntitySpec); 5] = [
    ("icd_", "ICDID", &DIAGNOSIS_FILTERS),
    ("admin_", "ClaimAdminId", &ADMIN_FILTERS),
    ("healthFacility_", "HFID", &FACILITY_FILTERS),
    ("insuree_", "InsureeID", &INSUREE_FILTERS),
    ("batchRun_", "RunID", &BATCH_RUN_FILTERS),
];

/// Which of the original's resolvers reads the arguments.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Resolver {
    /// `claims`: every argument.
    Claims,
    /// `claimHistory`: `careType`, `attachmentStatus` and `codeIsNot` only; the others it
    /// declares are accepted and ignored.
    History,
    /// The filter set alone (`claimWithSameDiagnosis`, the `claim_*` of `claimAttachments`).
    FilterSet,
}

/// The arguments a resolver declares besides the filter set (ignored where it does not read
/// them).
const OWN: [&str; 10] = [
    "diagnosisVariance",
    "codeIsNot",
    "items",
    "services",
    "jsonExt",
    "attachmentStatus",
    "careType",
    "showRestored",
    "rejectionCode",
    "claimUuid",
];

/// The base `Where` of a claim list for `field`'s arguments, which are left to the entity
/// layer's declared filters once those read here are taken out.
pub fn claims(
    conn: &DbConnection,
    field: &mut SelectionField,
    resolver: Resolver,
) -> Result<Where, ModuleError> {
    let mut w = Where::new();
    prefixed(conn, field, &mut w)?;
    attachments_count(field, &mut w)?;
    random_order(field);
    let own: Map<String, Value> = OWN
        .iter()
        .filter_map(|name| Some(((*name).to_owned(), field.args.remove(*name)?)))
        .filter(|(_, value)| !value.is_null())
        .collect();
    let reads = |name: &str| match resolver {
        Resolver::Claims => true,
        Resolver::History => matches!(name, "careType" | "attachmentStatus" | "codeIsNot"),
        Resolver::FilterSet => false,
    };
    for (name, value) in own.iter().filter(|(name, _)| reads(name)) {
        match name.as_str() {
            "items" => lines(
                &mut w,
                name,
                value,
                ("tblClaimItems", "tblItems", "ItemID", "ItemCode"),
            )?,
            "services" => lines(
                &mut w,
                name,
                value,
                ("tblClaimServices", "tblServices", "ServiceID", "ServCode"),
            )?,
            "attachmentStatus" => attachment_status(&mut w, value)?,
            "careType" => {
                // `if care_type:`
                if let Some(care) = value.as_str().filter(|c| !c.is_empty()) {
                    w.and(
                        &format!("{} = ?", CLAIM.col("CareType")),
                        [Bind::text(care)],
                    );
                }
            }
            "showRestored" if value == &Value::Bool(true) => {
                w.and(&format!("{} IS NOT NULL", CLAIM.col("RestoredClaim")), []);
            }
            "jsonExt" => json_contains(conn, &mut w, value)?,
            "diagnosisVariance" => variance(conn, &mut w, value)?,
            "codeIsNot" => {
                if let Some(code) = value.as_str().filter(|c| !c.is_empty()) {
                    let clause = format!("NOT ({} = ?)", CLAIM.col("ClaimCode"));
                    w.and(&clause, [Bind::text(code)]);
                }
            }
            _ => {}
        }
    }
    Ok(w)
}

/// The prefixed filter sets, each an `IN` subquery over its view (nothing without arguments).
fn prefixed(
    conn: &DbConnection,
    field: &mut SelectionField,
    w: &mut Where,
) -> Result<(), ModuleError> {
    for (prefix, column, view) in PREFIXED {
        let mut args = entity::take_prefixed(field, prefix);
        args.retain(|_, value| !value.is_null());
        if prefix == "insuree_" {
            if let Some(value) = args.remove("uuid_Iexact") {
                args.insert("uuidText_Iexact".into(), value);
            }
        }
        let selected = (view, view.key);
        entity::narrowed_through(conn, w, &CLAIM.col(column), selected, args)?;
    }
    Ok(())
}

/// `attachmentsCount_Value[_Lt|_Lte|_Gt|_Gte]`: django's join on the view, which has rows only
/// for claims with attachments (any validity).
fn attachments_count(field: &mut SelectionField, w: &mut Where) -> Result<(), ModuleError> {
    for (suffix, op) in [
        ("", "="),
        ("_Lt", "<"),
        ("_Lte", "<="),
        ("_Gt", ">"),
        ("_Gte", ">="),
    ] {
        let name = format!("attachmentsCount_Value{suffix}");
        let Some(value) = field.args.remove(&name).filter(|v| !v.is_null()) else {
            continue;
        };
        let bound = entity::bind(&name, entity::Kind::BigInt, &value)?;
        let clause = format!(
            r#"{} IN (SELECT v."claim_id" FROM "claim_ClaimAttachmentsCountView" v WHERE v."attachments_count" {op} ?)"#,
            CLAIM.col("ClaimID")
        );
        w.and(&clause, [bound]);
    }
    Ok(())
}

/// `orderBy`'s `?` (django's random order) is left out: the order is then the other terms'
/// and the key's. A single string is a list of one.
fn random_order(field: &mut SelectionField) {
    let Some(order) = field.args.get_mut("orderBy") else {
        return;
    };
    if let Value::String(one) = order {
        *order = Value::Array(vec![Value::String(one.clone())]);
    }
    if let Value::Array(items) = order {
        items.retain(|item| item.as_str() != Some("?"));
    }
}

/// `items`/`services`: claims with a line (any validity, as django's join) of one of the codes.
fn lines(
    w: &mut Where,
    name: &str,
    value: &Value,
    (lines, targets, key, code): (&str, &str, &str, &str),
) -> Result<(), ModuleError> {
    let one = std::slice::from_ref(value);
    let codes = value.as_array().map_or(one, Vec::as_slice);
    let binds: Vec<Bind> = codes
        .iter()
        .filter(|c| !c.is_null())
        .map(|c| bind(name, c, As::Text))
        .collect::<Result<_, _>>()?;
    // `if items:`: an empty list is no filter.
    if binds.is_empty() {
        return Ok(());
    }
    let marks = vec!["?"; binds.len()].join(", ");
    let clause = format!(
        r#"{} IN (SELECT l."ClaimID" FROM "{lines}" l JOIN "{targets}" t ON t."{key}" = l."{key}" WHERE t."{code}" IN ({marks}))"#,
        CLAIM.col("ClaimID")
    );
    w.and(&clause, binds);
    Ok(())
}

/// `attachmentStatus`: 1 claims with an attachment (any validity), 2 without; others nothing.
fn attachment_status(w: &mut Where, value: &Value) -> Result<(), ModuleError> {
    let status = match bind("attachmentStatus", value, As::Int)? {
        Bind::BigInt(Some(status)) => status,
        _ => return Ok(()),
    };
    let any = format!(
        r#"EXISTS (SELECT 1 FROM "claim_ClaimAttachment" a WHERE a."claim_id" = {})"#,
        CLAIM.col("ClaimID")
    );
    match status {
        1 => w.and(&any, []),
        2 => w.and(&format!("NOT {any}"), []),
        _ => w,
    };
    Ok(())
}

/// The scalar leaves of a JSON object: `(path, value)`, `$.a.b` for `{"a": {"b": 1}}`.
fn leaves(prefix: &str, value: &Value, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let path = format!("{prefix}.\"{}\"", key.replace('"', ""));
                leaves(&path, inner, out);
            }
        }
        other => out.push((prefix.to_owned(), other.clone())),
    }
}

/// `jsonExt`: the claim's `JsonExt` contains the given JSON (PostgreSQL's `@>`; on SQLite each
/// scalar leaf of the given object at its path, arrays compared as their JSON text).
fn json_contains(conn: &DbConnection, w: &mut Where, value: &Value) -> Result<(), ModuleError> {
    let parsed = match value {
        Value::String(text) => serde_json::from_str(text)
            .map_err(|_| ModuleError::new("BAD_ARGUMENT", "`jsonExt` must be a JSON string"))?,
        other => other.clone(),
    };
    // `if json_ext:`: an empty object or list is no filter.
    let empty = match &parsed {
        Value::Object(map) => map.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Null | Value::Bool(false) => true,
        _ => false,
    };
    if empty {
        return Ok(());
    }
    let column = CLAIM.col("JsonExt");
    if db::backend(conn) == "postgresql" {
        let clause = format!("CAST({column} AS jsonb) @> CAST(? AS jsonb)");
        w.and(&clause, [Bind::text(parsed.to_string())]);
        return Ok(());
    }
    let mut found = Vec::new();
    leaves("$", &parsed, &mut found);
    for (path, leaf) in found {
        let extracted = format!("json_extract({column}, ?)");
        let (clause, bound) = match leaf {
            Value::Bool(b) => (format!("{extracted} = ?"), Bind::BigInt(Some(i64::from(b)))),
            Value::Number(n) => (
                format!("{extracted} = CAST(? AS NUMERIC)"),
                Bind::text(n.to_string()),
            ),
            Value::String(s) => (format!("{extracted} = ?"), Bind::text(s)),
            Value::Null => (format!("{extracted} IS ?"), Bind::Text(None)),
            array => (
                format!("json({extracted}) = json(?)"),
                Bind::text(array.to_string()),
            ),
        };
        w.and(&clause, [Bind::text(&path), bound]);
    }
    Ok(())
}

/// `diagnosisVariance = v` (when not 0): claims whose `claimed` exceeds (1 + v/100) × the
/// average `approved` of the valid claims of the last year with the same ICD code (the
/// original's `gql_query_claim_diagnosis_variance_only_on_existing`, True by default: a
/// diagnosis without such claims matches nothing).
fn variance(conn: &DbConnection, w: &mut Where, value: &Value) -> Result<(), ModuleError> {
    let variance = match bind("diagnosisVariance", value, As::Int)? {
        Bind::BigInt(Some(0)) | Bind::BigInt(None) => return Ok(()),
        Bind::BigInt(Some(v)) => v,
        _ => return Ok(()),
    };
    let factor = 1.0 + variance as f64 / 100.0;
    let date = match db::backend(conn) {
        "postgresql" => "CAST(? AS date)",
        _ => "?",
    };
    let clause = format!(
        r#"{claimed} > CAST(? AS NUMERIC) * (SELECT AVG(va."Approved") FROM "tblClaim" va JOIN "tblICDCodes" vi ON vi."ICDID" = va."ICDID"
            WHERE va."ValidityTo" IS NULL AND va."DateClaimed" > {date}
              AND vi."ICDCode" = (SELECT ci."ICDCode" FROM "tblICDCodes" ci WHERE ci."ICDID" = {icd}))"#,
        claimed = CLAIM.col("Claimed"),
        icd = CLAIM.col("ICDID"),
    );
    w.and(
        &clause,
        [Bind::text(factor.to_string()), Bind::text(last_year())],
    );
    Ok(())
}

/// Today one year ago (`YYYY-MM-DD`; 29 February becomes the 28th, as `relativedelta`).
fn last_year() -> String {
    let today = openimis_sdk::time::now();
    let (year, rest) = today.split_at(4);
    let year: i64 = year.parse().unwrap_or(1970) - 1;
    let day = &rest[1..6];
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let day = if day == "02-29" && !leap {
        "02-28"
    } else {
        day
    };
    format!("{year:04}-{day}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_leaves_are_paths() {
        let mut out = Vec::new();
        leaves("$", &serde_json::json!({"a": {"b": 1}, "c": "x"}), &mut out);
        assert_eq!(
            out,
            vec![
                ("$.\"a\".\"b\"".to_owned(), serde_json::json!(1)),
                ("$.\"c\"".to_owned(), serde_json::json!("x"))
            ]
        );
    }

    #[test]
    fn random_order_is_left_out() {
        let mut field = SelectionField::new("claims");
        field
            .args
            .insert("orderBy".into(), serde_json::json!(["dateClaimed", "?"]));
        random_order(&mut field);
        assert_eq!(field.args["orderBy"], serde_json::json!(["dateClaimed"]));
        field
            .args
            .insert("orderBy".into(), serde_json::json!("-dateFrom"));
        random_order(&mut field);
        assert_eq!(field.args["orderBy"], serde_json::json!(["-dateFrom"]));
    }

    #[test]
    fn last_year_is_a_date() {
        assert_eq!(last_year().len(), 10);
    }
}
