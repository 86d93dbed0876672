//! Enrolment officers (`tblOfficer`, OfficerGQLType, declared in `entities.rs` with its
//! `substitutionOfficer` and `officerSet`): the `enrolmentOfficers` and
//! `substitutionEnrolmentOfficers` connections as the original filters them.

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
