//! Enrolment officers (`tblOfficer`, OfficerGQLType, declared in `entities.rs` with its
//! `substitutionOfficer` and `officerSet`): the `enrolmentOfficers` and
//! `substitutionEnrolmentOfficers` connections as the original filters them, and the service
//! `officers.connection` that answers other modules' officer lists (insuree's
//! `insureeOfficers`, policy's `policyOfficers`; docs/MODULES.md, "core's services").

use crate::entities::OFFICER;
use crate::{location_link, Conn};
use openimis_sdk::entity::{self, Access};
use openimis_sdk::sql_filter::{As, Where};
use openimis_sdk::{icontains_any, istartswith_any, HostHandle, ModuleError, SelectionField};
use serde_json::{json, Value};

/// `enrolmentOfficers(str, ...)`: nothing (null) without `str`; with it, valid officers whose
/// code or names contain it.
pub fn enrolment_officers(
    conn: &mut Conn,
    field: &SelectionField,
    access: &Access,
) -> Result<Value, ModuleError> {
    if field.arg("str").is_none() {
        return Ok(Value::Null);
    }
    let mut w = Where::new();
    w.args(
        field,
        &[(
            "str",
            As::Text,
            icontains_any!(r#"o."Code""#, r#"o."LastName""#, r#"o."OtherNames""#),
        )],
    )?;
    entity::connection(conn, &OFFICER, field, w, access)
}

/// `substitutionEnrolmentOfficers(villagesUuids, officerUuid, str, ...)`: valid officers serving
/// every given village (location's `users.filter`, level 3), except `officerUuid`; `str` is a
/// prefix of the code, the names or the email.
pub fn substitution_officers(
    host: &HostHandle,
    conn: &mut Conn,
    field: &SelectionField,
    access: &Access,
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
    let mut w = Where::new();
    w.ids(r#"o."OfficerID""#, &serving.unwrap_or_default());
    w.args(
        field,
        &[
            ("officerUuid", As::Text, r#"o."OfficerUUID" <> ?"#),
            (
                "str",
                As::Text,
                istartswith_any!(
                    r#"o."Code""#,
                    r#"o."LastName""#,
                    r#"o."OtherNames""#,
                    r#"o."EmailId""#
                ),
            ),
        ],
    )?;
    entity::connection(conn, &OFFICER, field, w, access)
}

/// `officers.connection` `{field, serving?, search?}`: the valid officers as the connection
/// `field` (another module's root field typed `OfficerGQLTypeConnection`) asks for them, with
/// its own filters (`code`, `lastName`, `otherNames` and their `_Icontains`, `dob`, `uuid`);
/// `serving`, a list of location's `users.filter` payloads, keeps the officers serving a
/// village under any of them; `search` keeps those whose code or names contain it. Nodes are answered by
/// key; the host completes them from core.
pub fn connection_service(
    host: &HostHandle,
    conn: &mut Conn,
    payload: &Value,
) -> Result<Value, ModuleError> {
    let field: SelectionField = serde_json::from_value(payload["field"].clone())
        .map_err(|e| openimis_sdk::service::bad_payload("core", "officers.connection", e))?;
    let mut w = Where::new();
    if let Some(serving) = payload["serving"].as_array() {
        let mut ids = Vec::new();
        for filter in serving {
            ids.extend(location_link::users_filter(host, filter)?.officer_ids);
        }
        ids.sort_unstable();
        ids.dedup();
        w.ids(r#"o."OfficerID""#, &ids);
    }
    if let Some(search) = payload["search"].as_str() {
        let mut args = SelectionField::new("search");
        args.args.insert("search".into(), json!(search));
        w.args(
            &args,
            &[(
                "search",
                As::Text,
                icontains_any!(r#"o."Code""#, r#"o."LastName""#, r#"o."OtherNames""#),
            )],
        )?;
    }
    entity::connection(conn, &OFFICER, &field, w, &Access::open())
}
