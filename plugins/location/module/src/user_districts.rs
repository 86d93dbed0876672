//! `userDistricts` as the original's `get_user_districts`: every valid district for IMIS
//! administrators (and for everyone under `no_location_check`), else the user's own valid
//! districts by code; only interactive users have districts. `ROW_SECURITY` plays no part.

use crate::security::Settings;
use crate::specs::LOCATION;
use crate::Conn;
use openimis_sdk::db::Bind;
use openimis_sdk::entity::{self, Access};
use openimis_sdk::project::project;
use openimis_sdk::sql_filter::Where;
use openimis_sdk::{ModuleError, ResolveRequest};
use serde_json::{json, Value};

pub fn resolve(
    conn: &mut Conn,
    request: &ResolveRequest,
    settings: Settings,
) -> Result<Value, ModuleError> {
    let context = &request.context;
    let Some(user) = context.interactive_user_id() else {
        let text = "Only Interactive Users are registered for districts";
        return Err(ModuleError::new("NOT_INTERACTIVE", text));
    };
    // IMIS administrators hold every right: only holders of 121906 may be one.
    let every_district = settings.no_location_check
        || (context.holds(crate::manifest::REGIONS_AND_DISTRICTS) && context.is_imis_admin);
    let mut w = Where::new();
    w.and(r#"l."ValidityTo" IS NULL AND l."LocationType" = 'D'"#, []);
    let mut order = "";
    if !every_district {
        w.and(
            r#"l."LocationId" IN (SELECT "LocationId" FROM "tblUsersDistricts" WHERE "UserID" = ? AND "ValidityTo" IS NULL)"#,
            [Bind::BigInt(Some(user))],
        );
        order = r#"l."LocationCode""#;
    }
    let districts = entity::find(conn, &LOCATION, &w, order)?;
    let ids: Vec<i64> = districts
        .iter()
        .filter_map(|d| d["parentPk"].as_i64())
        .collect();
    let regions = entity::loaded(conn, &LOCATION, &ids, &[], &Access::open())?;
    let brief =
        |l: &Value| json!({"id": l["id"], "uuid": l["uuid"], "code": l["code"], "name": l["name"]});
    let list = districts.iter().map(|d| {
        let mut value = brief(d);
        let parent = regions.iter().find(|r| r["pk"] == d["parentPk"]);
        value["parent"] = parent.map_or(Value::Null, brief);
        project(&request.field.selection, &value, "id")
    });
    Ok(Value::Array(list.collect()))
}
