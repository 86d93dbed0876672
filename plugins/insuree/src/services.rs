//! The services other modules call (`host.call("insuree", method, payload)`): insurees by CHF
//! id, key or uuid (policy and claim), a family's members at a moment, and `canAddInsuree`'s
//! answer. Documented in docs/MODULES.md, "## insuree".

use crate::config::Config;
use crate::number;
use crate::specs::INSUREE;
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::sql_filter::{id_list, Where};
use openimis_sdk::{ModuleError, SelectionField};
use serde::Deserialize;
use serde_json::{json, Value};

fn bad(why: impl Into<String>) -> ModuleError {
    ModuleError::new("BAD_PAYLOAD", why.into())
}

/// A row as other modules read it: GraphQL names, foreign keys as `<name>Id`.
fn shaped(row: &Value) -> Value {
    json!({
        "id": row["pk"], "uuid": row["uuid"], "chfId": row["chfId"], "lastName": row["lastName"],
        "otherNames": row["otherNames"], "gender": row["gender_Code"], "dob": row["dob"], "head": row["head"],
        "marital": row["marital"], "familyId": row["familyPk"], "currentVillageId": row["currentVillagePk"],
        "healthFacilityId": row["healthFacilityPk"], "status": row["status"], "statusDate": row["statusDate"],
        "cardIssued": row["cardIssued"], "photoId": row["photoPk"], "photoDate": row["photoDate"],
        "validityFrom": row["validityFrom"], "validityTo": row["validityTo"], "legacyId": row["legacyId"],
    })
}

/// `valid_at`: rows valid at that moment; else the current ones.
fn validity(conn: &DbConnection, w: &mut Where, at: Option<&str>) -> Result<(), ModuleError> {
    match at {
        Some(at) => entity::valid_at(conn, &INSUREE, at, w),
        None => {
            w.and(&format!("{} IS NULL", INSUREE.col("ValidityTo")), []);
            Ok(())
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GetInsurees {
    ids: Option<Vec<i64>>,
    uuids: Option<Vec<String>>,
    chf_ids: Option<Vec<String>>,
    valid_at: Option<String>,
}

/// `insurees.get`: exactly one of `ids` (any validity), `uuids` (any validity), `chf_ids`
/// (valid ones, or valid at `valid_at`).
fn get(conn: &mut DbConnection, payload: Value) -> Result<Value, ModuleError> {
    let ask: GetInsurees = serde_json::from_value(payload).map_err(|e| bad(e.to_string()))?;
    let mut w = Where::new();
    match (ask.ids, ask.uuids, ask.chf_ids) {
        (Some(ids), None, None) => w.and(
            &format!("{} IN ({})", INSUREE.col("InsureeID"), id_list(&ids)),
            [],
        ),
        (None, Some(uuids), None) | (None, None, Some(uuids)) if uuids.is_empty() => {
            w.and("1 = 0", [])
        }
        (None, Some(uuids), None) => {
            let marks = vec!["LOWER(?)"; uuids.len()].join(", ");
            w.and(
                &format!("LOWER({}) IN ({marks})", INSUREE.col("InsureeUUID")),
                uuids.iter().map(Bind::text),
            )
        }
        (None, None, Some(chf_ids)) => {
            let marks = vec!["?"; chf_ids.len()].join(", ");
            w.and(
                &format!("{} IN ({marks})", INSUREE.col("CHFID")),
                chf_ids.iter().map(Bind::text),
            );
            validity(conn, &mut w, ask.valid_at.as_deref())?;
            &mut w
        }
        _ => return Err(bad("insurees.get needs exactly one of ids, uuids, chf_ids")),
    };
    let rows = entity::find(conn, &INSUREE, &w, "")?;
    Ok(Value::Array(rows.iter().map(shaped).collect()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Members {
    family_id: i64,
    at: Option<String>,
}

/// `family.members`: the family's members valid now (or at `at`), head first, then by birth.
fn members(conn: &mut DbConnection, payload: Value) -> Result<Value, ModuleError> {
    let ask: Members = serde_json::from_value(payload).map_err(|e| bad(e.to_string()))?;
    let mut w = Where::new();
    w.and(
        &format!("{} = ?", INSUREE.col("FamilyID")),
        [Bind::BigInt(Some(ask.family_id))],
    );
    validity(conn, &mut w, ask.at.as_deref())?;
    let order = format!("{} DESC, {}", INSUREE.col("IsHead"), INSUREE.col("DOB"));
    let rows = entity::find(conn, &INSUREE, &w, &order)?;
    Ok(Value::Array(rows.iter().map(shaped).collect()))
}

/// `canAddInsuree(familyId)`: the warnings of the family's policies already at their product's
/// maximum of members. Policies are policy's tables: without them there is no warning.
pub fn can_add_insuree(
    conn: &mut DbConnection,
    field: &SelectionField,
) -> Result<Value, ModuleError> {
    let family = field
        .arg("familyId")
        .and_then(Value::as_i64)
        .unwrap_or_default();
    let sql = r#"SELECT p."ProductCode" AS code, CAST(po."StartDate" AS TEXT) AS start, CAST(p."MemberCount" AS BIGINT) AS max,
          (SELECT COUNT(*) FROM "tblInsuree" m WHERE m."FamilyID" = po."FamilyID" AND m."ValidityTo" IS NULL) AS n
        FROM "tblPolicy" po JOIN "tblProduct" p ON p."ProdID" = po."ProdID"
        WHERE po."FamilyID" = ? AND po."ValidityTo" IS NULL AND po."PolicyStatus" NOT IN (4, 8) AND po."ExpiryDate" >= CURRENT_DATE"#;
    #[derive(diesel::QueryableByName)]
    struct Full {
        #[diesel(sql_type = diesel::sql_types::Text)]
        code: String,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        start: Option<String>,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        max: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let Ok(found) = openimis_sdk::db::load::<Full>(conn, sql, &[Bind::BigInt(Some(family))]) else {
        return Ok(json!([]));
    };
    let warnings: Vec<String> = found
        .iter()
        .filter(|p| p.n >= p.max)
        .map(|p| {
            let start = p.start.as_deref().unwrap_or_default();
            let start = start.get(..10).unwrap_or(start);
            format!(
                "Policy {} - {start} covers max {} insurees. Current family members count: {}",
                p.code, p.max, p.n
            )
        })
        .collect();
    Ok(json!(warnings))
}

/// Answers one of insuree's services.
pub fn call(
    conn: &mut DbConnection,
    config: &Config,
    method: &str,
    payload: Value,
) -> Result<Value, ModuleError> {
    match method {
        "insurees.get" => get(conn, payload),
        "family.members" => members(conn, payload),
        "insuree_number.validate" => {
            let number = payload["number"]
                .as_str()
                .ok_or_else(|| bad("insuree_number.validate needs a number"))?;
            Ok(json!(number::validate(
                conn,
                config,
                Some(number),
                payload["uuid"].as_str()
            )?))
        }
        other => Err(ModuleError::new(
            "NOT_SUPPORTED",
            format!("insuree has no service {other}"),
        )),
    }
}
