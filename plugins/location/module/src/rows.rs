//! The rows location reads (`tblLocations`, `tblHF`, catchments, user districts, officer
//! villages, legal forms, sub-levels), their SQL column lists and their GraphQL JSON.

use crate::Conn;
// `#[diesel(embed)]` names the trait unqualified in the code it derives.
use diesel::deserialize::QueryableByName;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::relay::global_id;
use openimis_sdk::time;
use openimis_sdk::versioned::{HistoryColumns, HistoryColumnsNullableAudit};
use openimis_sdk::ModuleError;
use serde_json::{json, Value};

type Int = diesel::sql_types::Integer;
type BigInt = diesel::sql_types::BigInt;
type Text = diesel::sql_types::Text;
type Opt<T> = diesel::sql_types::Nullable<T>;

fn iso(stamp: &Option<String>) -> Value {
    stamp
        .as_deref()
        .map_or(Value::Null, |s| json!(time::iso(s)))
}

fn json_ext(text: &Option<String>) -> Value {
    text.as_deref().map_or(Value::Null, |t| json!(t))
}

pub use openimis_sdk::sql_filter::id_list;

/// The columns of a location row read from alias `l`.
pub const LOCATION_COLUMNS: &str = r#"l."LocationId" AS id, l."LocationUUID" AS uuid, l."LocationCode" AS code,
    l."LocationName" AS name, l."ParentLocationId" AS parent_id, l."LocationType" AS type_code,
    l."MalePopulation" AS male_population, l."FemalePopulation" AS female_population,
    l."OtherPopulation" AS other_population, l."Families" AS families,
    CAST(l."ValidityFrom" AS TEXT) AS validity_from, CAST(l."ValidityTo" AS TEXT) AS validity_to,
    l."LegacyID" AS legacy_id, l."AuditUserId" AS audit_user_id, CAST(l."JsonExt" AS TEXT) AS json_ext"#;

#[derive(diesel::QueryableByName, Debug, Clone)]
pub struct LocationRow {
    #[diesel(sql_type = Int)]
    pub id: i32,
    #[diesel(sql_type = Text)]
    pub uuid: String,
    #[diesel(sql_type = Opt<Text>)]
    pub code: Option<String>,
    #[diesel(sql_type = Opt<Text>)]
    pub name: Option<String>,
    #[diesel(sql_type = Opt<Int>)]
    pub parent_id: Option<i32>,
    #[diesel(sql_type = Text)]
    pub type_code: String,
    #[diesel(sql_type = Opt<Int>)]
    pub male_population: Option<i32>,
    #[diesel(sql_type = Opt<Int>)]
    pub female_population: Option<i32>,
    #[diesel(sql_type = Opt<Int>)]
    pub other_population: Option<i32>,
    #[diesel(sql_type = Opt<Int>)]
    pub families: Option<i32>,
    #[diesel(embed)]
    pub history: HistoryColumnsNullableAudit,
    #[diesel(sql_type = Opt<Text>)]
    pub json_ext: Option<String>,
}

impl LocationRow {
    /// The scalar fields of `LocationGQLType` (plus `pk`, the entity key).
    pub fn to_json(&self) -> Value {
        self.history.add_to(json!({
            "pk": self.id, "id": global_id("LocationGQLType", self.id), "uuid": self.uuid,
            "code": self.code, "name": self.name, "type": self.type_code,
            "malePopulation": self.male_population, "femalePopulation": self.female_population,
            "otherPopulation": self.other_population, "families": self.families,
            "jsonExt": json_ext(&self.json_ext), "clientMutationId": null,
            "parentPk": self.parent_id,
        }))
    }
}

/// Locations by id (history rows included: a HF history row may point at one).
pub fn locations_by_id(conn: &mut Conn, ids: &[i32]) -> Result<Vec<LocationRow>, ModuleError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    db::load(
        conn,
        &format!(
            r#"SELECT {LOCATION_COLUMNS} FROM "tblLocations" l WHERE l."LocationId" IN ({})"#,
            id_list(ids)
        ),
        &[],
    )
}

/// The valid location with `uuid`, if any.
pub fn location_by_uuid(conn: &mut Conn, uuid: &str) -> Result<Option<LocationRow>, ModuleError> {
    let rows: Vec<LocationRow> = db::load(
        conn,
        &format!(
            r#"SELECT {LOCATION_COLUMNS} FROM "tblLocations" l WHERE l."LocationUUID" = ? AND l."ValidityTo" IS NULL"#
        ),
        &[Bind::text(uuid)],
    )?;
    Ok(rows.into_iter().next())
}

/// The columns of a health facility row read from alias `h`.
pub const HF_COLUMNS: &str = r#"h."HfID" AS id, h."HfUUID" AS uuid, h."HFCode" AS code, h."HFName" AS name,
    h."AccCode" AS acc_code, h."LegalForm" AS legal_form, h."HFLevel" AS level, h."HFSublevel" AS sub_level,
    h."LocationId" AS location_id, h."HFAddress" AS address, h."Phone" AS phone, h."Fax" AS fax,
    h."eMail" AS email, h."HFCareType" AS care_type, h."PLServiceID" AS services_pricelist_id,
    h."PLItemID" AS items_pricelist_id, h."OffLine" AS offline, h."AuditUserID" AS audit_user_id,
    CAST(h."ContractStartDate" AS TEXT) AS contract_start_date, CAST(h."ContractEndDate" AS TEXT) AS contract_end_date,
    h."status" AS status, CAST(h."ValidityFrom" AS TEXT) AS validity_from, CAST(h."ValidityTo" AS TEXT) AS validity_to,
    h."LegacyID" AS legacy_id, CAST(h."JsonExt" AS TEXT) AS json_ext"#;

#[derive(diesel::QueryableByName, Debug, Clone)]
pub struct HfRow {
    #[diesel(sql_type = Int)]
    pub id: i32,
    #[diesel(sql_type = Text)]
    pub uuid: String,
    #[diesel(sql_type = Text)]
    pub code: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Opt<Text>)]
    pub acc_code: Option<String>,
    #[diesel(sql_type = Text)]
    pub legal_form: String,
    #[diesel(sql_type = Text)]
    pub level: String,
    #[diesel(sql_type = Opt<Text>)]
    pub sub_level: Option<String>,
    #[diesel(sql_type = Int)]
    pub location_id: i32,
    #[diesel(sql_type = Opt<Text>)]
    pub address: Option<String>,
    #[diesel(sql_type = Opt<Text>)]
    pub phone: Option<String>,
    #[diesel(sql_type = Opt<Text>)]
    pub fax: Option<String>,
    #[diesel(sql_type = Opt<Text>)]
    pub email: Option<String>,
    #[diesel(sql_type = Text)]
    pub care_type: String,
    #[diesel(sql_type = Opt<Int>)]
    pub services_pricelist_id: Option<i32>,
    #[diesel(sql_type = Opt<Int>)]
    pub items_pricelist_id: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub offline: bool,
    #[diesel(sql_type = Opt<Text>)]
    pub contract_start_date: Option<String>,
    #[diesel(sql_type = Opt<Text>)]
    pub contract_end_date: Option<String>,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(embed)]
    pub history: HistoryColumns,
    #[diesel(sql_type = Opt<Text>)]
    pub json_ext: Option<String>,
}

impl HfRow {
    /// The scalar fields of `HealthFacilityGQLType` (plus `pk`).
    pub fn to_json(&self) -> Value {
        self.history.add_to(json!({
            "pk": self.id, "id": global_id("HealthFacilityGQLType", self.id), "uuid": self.uuid,
            "code": self.code, "name": self.name, "accCode": self.acc_code, "level": self.level,
            "address": self.address, "phone": self.phone, "fax": self.fax, "email": self.email,
            "careType": self.care_type, "offline": self.offline,
            "contractStartDate": self.contract_start_date.as_deref().map(|d| d.get(..10).unwrap_or(d)),
            "contractEndDate": self.contract_end_date.as_deref().map(|d| d.get(..10).unwrap_or(d)),
            "status": self.status, "jsonExt": json_ext(&self.json_ext), "clientMutationId": null,
            "legalFormCode": self.legal_form, "subLevelCode": self.sub_level, "locationPk": self.location_id,
            "servicesPricelistPk": self.services_pricelist_id, "itemsPricelistPk": self.items_pricelist_id,
        }))
    }
}

pub fn health_facilities_by_id(conn: &mut Conn, ids: &[i32]) -> Result<Vec<HfRow>, ModuleError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    db::load(
        conn,
        &format!(
            r#"SELECT {HF_COLUMNS} FROM "tblHF" h WHERE h."HfID" IN ({})"#,
            id_list(ids)
        ),
        &[],
    )
}

#[derive(diesel::QueryableByName, Debug, Clone)]
pub struct CatchmentRow {
    #[diesel(sql_type = Int)]
    pub id: i32,
    #[diesel(sql_type = Int)]
    pub health_facility_id: i32,
    #[diesel(sql_type = Int)]
    pub location_id: i32,
    #[diesel(sql_type = Opt<Int>)]
    pub catchment: Option<i32>,
    #[diesel(sql_type = Opt<Text>)]
    pub validity_from: Option<String>,
    #[diesel(sql_type = Opt<Text>)]
    pub validity_to: Option<String>,
    #[diesel(sql_type = Opt<Int>)]
    pub legacy_id: Option<i32>,
    #[diesel(sql_type = Opt<Int>)]
    pub audit_user_id: Option<i32>,
}

impl CatchmentRow {
    pub fn to_json(&self) -> Value {
        json!({
            "pk": self.id, "id": global_id("HealthFacilityCatchmentGQLType", self.id), "legacyId": self.legacy_id,
            "catchment": self.catchment, "validityFrom": iso(&self.validity_from),
            "validityTo": iso(&self.validity_to), "auditUserId": self.audit_user_id,
            "healthFacilityPk": self.health_facility_id, "locationPk": self.location_id,
        })
    }
}

/// Valid catchments whose `column` (`HFID` or `LocationId`) is one of `ids`.
pub fn catchments_where(
    conn: &mut Conn,
    column: &str,
    ids: &[i32],
) -> Result<Vec<CatchmentRow>, ModuleError> {
    db::load(
        conn,
        &format!(
            r#"SELECT "HFCatchmentId" AS id, "HFID" AS health_facility_id, "LocationId" AS location_id, "Catchment" AS catchment,
                CAST("ValidityFrom" AS TEXT) AS validity_from, CAST("ValidityTo" AS TEXT) AS validity_to,
                "LegacyId" AS legacy_id, "AuditUserId" AS audit_user_id
               FROM "tblHFCatchment" WHERE "ValidityTo" IS NULL AND "{column}" IN ({}) ORDER BY "HFCatchmentId""#,
            id_list(ids)
        ),
        &[],
    )
}

/// A row of `tblUsersDistricts` or `tblOfficerVillages`: who, where, and the version columns.
#[derive(diesel::QueryableByName, Debug, Clone)]
pub struct AssignmentRow {
    #[diesel(sql_type = Int)]
    pub id: i32,
    #[diesel(sql_type = BigInt)]
    pub holder_id: i64,
    #[diesel(sql_type = Int)]
    pub location_id: i32,
    #[diesel(embed)]
    pub history: HistoryColumnsNullableAudit,
}

/// Which assignment table: the user↔district links or the officer↔village links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assignment {
    UserDistricts,
    OfficerVillages,
}

impl Assignment {
    fn sql(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            Assignment::UserDistricts => (
                "tblUsersDistricts",
                "UserDistrictID",
                "UserID",
                "UserDistrictType",
            ),
            Assignment::OfficerVillages => (
                "tblOfficerVillages",
                "OfficerVillageId",
                "OfficerId",
                "OfficerVillageGQLType",
            ),
        }
    }

    /// Valid rows whose `LocationId` (or holder, when `by_holder`) is one of `ids`.
    pub fn load(
        self,
        conn: &mut Conn,
        by_holder: bool,
        ids: &[i64],
    ) -> Result<Vec<AssignmentRow>, ModuleError> {
        let (table, pk, holder, _) = self.sql();
        let column = if by_holder { holder } else { "LocationId" };
        let list = if ids.is_empty() {
            "NULL".to_owned()
        } else {
            ids.iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        db::load(
            conn,
            &format!(
                r#"SELECT "{pk}" AS id, CAST("{holder}" AS BIGINT) AS holder_id, "LocationId" AS location_id,
                    CAST(COALESCE("ValidityFrom", CURRENT_TIMESTAMP) AS TEXT) AS validity_from, CAST("ValidityTo" AS TEXT) AS validity_to,
                    "LegacyID" AS legacy_id, "AuditUserID" AS audit_user_id
                   FROM "{table}" WHERE "ValidityTo" IS NULL AND "{holder}" IS NOT NULL AND "LocationId" IS NOT NULL
                   AND "{column}" IN ({list}) ORDER BY "{pk}""#
            ),
            &[],
        )
    }

    pub fn to_json(self, row: &AssignmentRow) -> Value {
        let (_, _, _, type_name) = self.sql();
        let mut value = row.history.add_to(json!({
            "pk": row.id, "id": global_id(type_name, row.id), "holderPk": row.holder_id, "locationPk": row.location_id,
        }));
        value["auditUserId"] = json!(row.history.audit_user_id.unwrap_or(0));
        value
    }
}

#[derive(diesel::QueryableByName, Debug, Clone)]
pub struct CodeRow {
    #[diesel(sql_type = Text)]
    pub code: String,
    #[diesel(sql_type = Opt<Text>)]
    pub label: Option<String>,
    #[diesel(sql_type = Opt<Int>)]
    pub sort_order: Option<i32>,
    #[diesel(sql_type = Opt<Text>)]
    pub alt_language: Option<String>,
}

/// Legal forms (`tblLegalForms`) as `HealthFacilityLegalFormGQLType`, by code.
pub fn legal_forms(conn: &mut Conn) -> Result<Vec<(String, Value)>, ModuleError> {
    let rows: Vec<CodeRow> = db::load(
        conn,
        r#"SELECT "LegalFormCode" AS code, "LegalForms" AS label, "SortOrder" AS sort_order, "AltLanguage" AS alt_language FROM "tblLegalForms""#,
        &[],
    )?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let value = json!({"code": r.code, "legalForm": r.label, "sortOrder": r.sort_order, "altLanguage": r.alt_language});
            (r.code, value)
        })
        .collect())
}

/// Sub-levels (`tblHFSublevel`) as `HealthFacilitySubLevelGQLType`, by code.
pub fn sub_levels(conn: &mut Conn) -> Result<Vec<(String, Value)>, ModuleError> {
    let rows: Vec<CodeRow> = db::load(
        conn,
        r#"SELECT "HFSublevel" AS code, "HFSublevelDesc" AS label, "SortOrder" AS sort_order, "AltLanguage" AS alt_language FROM "tblHFSublevel""#,
        &[],
    )?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let value = json!({"code": r.code, "healthFacilitySubLevel": r.label, "sortOrder": r.sort_order, "altLanguage": r.alt_language});
            (r.code, value)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use openimis_sdk::versioned::Validity;

    fn history(audit_user_id: Option<i32>) -> HistoryColumnsNullableAudit {
        HistoryColumnsNullableAudit {
            validity: Validity {
                validity_from: "2019-03-04 05:06:07.25".into(),
                validity_to: None,
                legacy_id: None,
            },
            audit_user_id,
        }
    }

    #[test]
    fn a_location_answers_null_history_fields_as_null() {
        let row = LocationRow {
            id: 5,
            uuid: "u".into(),
            code: Some("R1".into()),
            name: None,
            parent_id: None,
            type_code: "R".into(),
            male_population: None,
            female_population: None,
            other_population: None,
            families: None,
            history: history(None),
            json_ext: None,
        };
        let value = row.to_json();
        assert_eq!(value["validityFrom"], json!("2019-03-04T05:06:07.250000"));
        for key in ["validityTo", "legacyId", "auditUserId", "jsonExt"] {
            assert_eq!(value.get(key), Some(&Value::Null), "{key}");
        }
        assert_eq!(value["code"], json!("R1"));
    }

    #[test]
    fn an_assignment_without_audit_user_answers_zero() {
        let row = AssignmentRow {
            id: 1,
            holder_id: 2,
            location_id: 3,
            history: history(None),
        };
        let value = Assignment::UserDistricts.to_json(&row);
        assert_eq!(value["auditUserId"], json!(0));
        assert_eq!(value["validityTo"], Value::Null);
        let audited = AssignmentRow {
            history: history(Some(9)),
            ..row
        };
        assert_eq!(
            Assignment::OfficerVillages.to_json(&audited)["auditUserId"],
            json!(9)
        );
    }
}
