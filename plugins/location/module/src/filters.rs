//! The django-filter arguments of `LocationGQLType` and `HealthFacilityGQLType` as SQL, under an
//! argument prefix (`location_` for a HF's location, `parent_` chains for ancestors).

use openimis_sdk::db::Bind;
use openimis_sdk::sql_filter::{pk_of, Where};
use openimis_sdk::SelectionField;
use serde_json::Value;

fn text(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

/// `exact`, `Istartswith`, `Icontains`, `Iexact` (and `Ne`, `Isnull` where the original has
/// them) on one text column.
fn text_lookups(
    field: &SelectionField,
    arg: &str,
    column: &str,
    with_ne: bool,
    with_isnull: bool,
    w: &mut Where,
) {
    let lower = format!("LOWER({column})");
    let lookups = [
        (String::new(), format!("{column} = ?")),
        (
            "_Istartswith".into(),
            format!("{lower} LIKE LOWER(?) || '%'"),
        ),
        (
            "_Icontains".into(),
            format!("{lower} LIKE '%' || LOWER(?) || '%'"),
        ),
        ("_Iexact".into(), format!("{lower} = LOWER(?)")),
    ];
    for (suffix, clause) in lookups {
        if let Some(v) = field.arg(&format!("{arg}{suffix}")) {
            w.and(&clause, [Bind::Text(Some(text(v)))]);
        }
    }
    if with_ne {
        if let Some(v) = field.arg(&format!("{arg}_Ne")) {
            w.and(
                &format!("{column} IS NULL OR {column} <> ?"),
                [Bind::Text(Some(text(v)))],
            );
        }
    }
    if with_isnull {
        if let Some(v) = field.arg(&format!("{arg}_Isnull")).and_then(Value::as_bool) {
            w.and(
                &format!("{column} IS {}NULL", if v { "" } else { "NOT " }),
                [],
            );
        }
    }
}

/// `column IN (?, ?, ...)` for a list argument (an empty list matches nothing).
fn list(field: &SelectionField, arg: &str, column: &str, as_id: bool, w: &mut Where) {
    let Some(items) = field.arg(arg).and_then(Value::as_array) else {
        return;
    };
    if items.is_empty() {
        w.and("1 = 0", []);
        return;
    }
    let marks = vec![if as_id { "CAST(? AS INTEGER)" } else { "?" }; items.len()].join(", ");
    let binds = items.iter().map(|v| {
        let t = text(v);
        Bind::Text(Some(if as_id { pk_of(&t) } else { t }))
    });
    w.and(&format!("{column} IN ({marks})"), binds);
}

/// The filter set of `LocationGQLType` on table alias `alias`: `code`, `parent_Uuid`, ... or,
/// under a prefix, `location_Code`, `location_Parent_Uuid`, ... (the original's 22 arguments).
pub fn location(field: &SelectionField, prefix: &str, alias: &str, w: &mut Where) {
    let col = |c: &str| format!(r#"{alias}."{c}""#);
    // graphene names a related filter `location_Uuid`: the part after a prefix is capitalised.
    let arg = |base: &str| match prefix {
        "" => base.to_owned(),
        _ => format!("{prefix}{}{}", base[..1].to_uppercase(), &base[1..]),
    };
    if let Some(v) = field.arg(&arg("id")) {
        w.and(
            &format!("{} = CAST(? AS INTEGER)", col("LocationId")),
            [Bind::Text(Some(pk_of(&text(v))))],
        );
    }
    if let Some(v) = field.arg(&arg("uuid")) {
        w.and(
            &format!("{} = ?", col("LocationUUID")),
            [Bind::Text(Some(text(v)))],
        );
    }
    list(field, &arg("uuid_In"), &col("LocationUUID"), false, w);
    text_lookups(field, &arg("code"), &col("LocationCode"), true, false, w);
    text_lookups(field, &arg("name"), &col("LocationName"), true, false, w);
    if let Some(v) = field.arg(&arg("type")) {
        w.and(
            &format!("{} = ?", col("LocationType")),
            [Bind::Text(Some(text(v)))],
        );
    }
    // parent_Uuid, parent_Parent_Uuid, parent_Parent_Parent_Uuid (and _In), parent_Id (and _In).
    let ancestors = |depth: usize, target: &str| -> String {
        let mut inner = target.to_owned();
        for _ in 1..depth {
            inner = format!(
                r#"SELECT "LocationId" FROM "tblLocations" WHERE "ParentLocationId" IN ({inner})"#
            );
        }
        format!("{} IN ({inner})", col("ParentLocationId"))
    };
    for (depth, path) in [
        (1, "parent_"),
        (2, "parent_Parent_"),
        (3, "parent_Parent_Parent_"),
    ] {
        let by_uuid = r#"SELECT "LocationId" FROM "tblLocations" WHERE "LocationUUID" = ?"#;
        if let Some(v) = field.arg(&arg(&format!("{path}Uuid"))) {
            w.and(&ancestors(depth, by_uuid), [Bind::Text(Some(text(v)))]);
        }
        if let Some(items) = field
            .arg(&arg(&format!("{path}Uuid_In")))
            .and_then(Value::as_array)
        {
            let marks = vec!["?"; items.len().max(1)].join(", ");
            let target = format!(
                r#"SELECT "LocationId" FROM "tblLocations" WHERE "LocationUUID" IN ({marks})"#
            );
            let mut binds: Vec<Bind> = items.iter().map(|v| Bind::Text(Some(text(v)))).collect();
            if binds.is_empty() {
                binds.push(Bind::Text(None));
            }
            w.and(&ancestors(depth, &target), binds);
        }
    }
    if let Some(v) = field.arg(&arg("parent_Id")) {
        w.and(
            &format!("{} = CAST(? AS INTEGER)", col("ParentLocationId")),
            [Bind::Text(Some(pk_of(&text(v))))],
        );
    }
    list(
        field,
        &arg("parent_Id_In"),
        &col("ParentLocationId"),
        true,
        w,
    );
}

/// The filter set of `HealthFacilityGQLType` on alias `h`, its location joined as `hl`.
pub fn health_facility(field: &SelectionField, prefix: &str, w: &mut Where) {
    let p = |a: &str| format!("{prefix}{a}");
    if let Some(v) = field.arg(&p("id")) {
        w.and(
            r#"h."HfID" = CAST(? AS INTEGER)"#,
            [Bind::Text(Some(pk_of(&text(v))))],
        );
    }
    if let Some(v) = field.arg(&p("uuid")) {
        w.and(r#"h."HfUUID" = ?"#, [Bind::Text(Some(text(v)))]);
    }
    text_lookups(field, &p("code"), r#"h."HFCode""#, false, false, w);
    text_lookups(field, &p("fax"), r#"h."Fax""#, false, true, w);
    text_lookups(field, &p("email"), r#"h."eMail""#, false, true, w);
    text_lookups(field, &p("name"), r#"h."HFName""#, false, false, w);
    text_lookups(field, &p("phone"), r#"h."Phone""#, false, false, w);
    for (arg, column) in [
        ("level", r#"h."HFLevel""#),
        ("subLevel", r#"h."HFSublevel""#),
        ("careType", r#"h."HFCareType""#),
        ("legalForm_Code", r#"h."LegalForm""#),
        ("status", r#"h."status""#),
    ] {
        if let Some(v) = field.arg(&p(arg)) {
            w.and(&format!("{column} = ?"), [Bind::Text(Some(text(v)))]);
        }
    }
    if let Some(v) = field.arg(&p("subLevel_Isnull")).and_then(Value::as_bool) {
        w.and(
            &format!(r#"h."HFSublevel" IS {}NULL"#, if v { "" } else { "NOT " }),
            [],
        );
    }
    location(field, &p("location_"), "hl", w);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(args: Value) -> SelectionField {
        let mut f = SelectionField::new("locations");
        f.args = args.as_object().unwrap().clone();
        f
    }

    #[test]
    fn ancestors_nest_one_subquery_per_level() {
        let mut w = Where::new();
        location(
            &field(json!({"parent_Parent_Uuid": "u", "code_Icontains": "R1", "type": "V"})),
            "",
            "l",
            &mut w,
        );
        assert_eq!(
            w.sql(),
            r#"1 = 1 AND (LOWER(l."LocationCode") LIKE '%' || LOWER(?) || '%') AND (l."LocationType" = ?) AND (l."ParentLocationId" IN (SELECT "LocationId" FROM "tblLocations" WHERE "ParentLocationId" IN (SELECT "LocationId" FROM "tblLocations" WHERE "LocationUUID" = ?)))"#
        );
        assert_eq!(
            w.binds(),
            [Bind::text("R1"), Bind::text("V"), Bind::text("u")]
        );
    }

    #[test]
    fn health_facility_location_arguments_use_the_joined_location() {
        let mut w = Where::new();
        health_facility(
            &field(
                json!({"location_Uuid": "d", "email_Isnull": true, "id": "SGVhbHRoRmFjaWxpdHlHUUxUeXBlOjc="}),
            ),
            "",
            &mut w,
        );
        assert_eq!(
            w.sql(),
            r#"1 = 1 AND (h."HfID" = CAST(? AS INTEGER)) AND (h."eMail" IS NULL) AND (hl."LocationUUID" = ?)"#
        );
        assert_eq!(w.binds()[0], Bind::text("7"));
    }
}
