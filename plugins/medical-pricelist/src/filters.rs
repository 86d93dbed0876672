//! The django-filter arguments of the price-list types as SQL on alias `pl`, with its location
//! and three ancestors joined as `l0`..`l3` (the `location_` filter set of `LocationGQLType`).

use openimis_sdk::db::Bind;
use openimis_sdk::sql_filter::{pk_of, As, Where};
use openimis_sdk::SelectionField;
use serde_json::Value;

/// The joins the `location_` filters read: the list's location and its ancestors.
pub const LOCATION_JOINS: &str = r#"LEFT JOIN "tblLocations" l0 ON l0."LocationId" = pl."LocationId"
    LEFT JOIN "tblLocations" l1 ON l1."LocationId" = l0."ParentLocationId"
    LEFT JOIN "tblLocations" l2 ON l2."LocationId" = l1."ParentLocationId"
    LEFT JOIN "tblLocations" l3 ON l3."LocationId" = l2."ParentLocationId""#;

fn text(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

/// `column IN (?, ...)` for a list argument; an empty list matches nothing.
fn one_of(field: &SelectionField, arg: &str, column: &str, as_id: bool, w: &mut Where) {
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

/// `exact`, `Istartswith`, `Icontains`, `Iexact` and `Ne` on a location text column.
fn text_lookups(field: &SelectionField, arg: &str, column: &str, w: &mut Where) {
    let lower = format!("LOWER({column})");
    w.args(
        field,
        &[
            (arg, As::Text, &format!("{column} = ?")),
            (
                &format!("{arg}_Istartswith"),
                As::Text,
                &format!("{lower} LIKE LOWER(?) || '%'"),
            ),
            (
                &format!("{arg}_Icontains"),
                As::Text,
                &format!("{lower} LIKE '%' || LOWER(?) || '%'"),
            ),
            (
                &format!("{arg}_Iexact"),
                As::Text,
                &format!("{lower} = LOWER(?)"),
            ),
            (
                &format!("{arg}_Ne"),
                As::Text,
                &format!("{column} IS NULL OR {column} <> ?"),
            ),
        ],
    );
}

/// The price-list filters: `id`, `uuid`, `name*`, `location_Isnull`, `pricelistDate*` and the
/// `location_` set. `date` is the backend's date placeholder (`sql_filter::date_param`).
pub fn pricelist(field: &SelectionField, kind: crate::kind::Kind, date: &str, w: &mut Where) {
    let name = format!(r#"pl."{}""#, kind.name_column());
    let lower = format!("LOWER({name})");
    w.args(
        field,
        &[
            (
                "id",
                As::Id,
                &format!(r#"pl."{}" = CAST(? AS INTEGER)"#, kind.pk()),
            ),
            (
                "uuid",
                As::Text,
                &format!(r#"pl."{}" = ?"#, kind.uuid_column()),
            ),
            ("name", As::Text, &format!("{name} = ?")),
            (
                "name_Icontains",
                As::Text,
                &format!("{lower} LIKE '%' || LOWER(?) || '%'"),
            ),
            (
                "name_Istartswith",
                As::Text,
                &format!("{lower} LIKE LOWER(?) || '%'"),
            ),
            (
                "pricelistDate",
                As::Text,
                &format!(r#"pl."DatePL" = {date}"#),
            ),
            (
                "pricelistDate_Gt",
                As::Text,
                &format!(r#"pl."DatePL" > {date}"#),
            ),
            (
                "pricelistDate_Gte",
                As::Text,
                &format!(r#"pl."DatePL" >= {date}"#),
            ),
            (
                "pricelistDate_Lt",
                As::Text,
                &format!(r#"pl."DatePL" < {date}"#),
            ),
            (
                "pricelistDate_Lte",
                As::Text,
                &format!(r#"pl."DatePL" <= {date}"#),
            ),
        ],
    );
    if let Some(isnull) = field.arg("location_Isnull").and_then(Value::as_bool) {
        let not = if isnull { "" } else { "NOT " };
        w.and(&format!(r#"pl."LocationId" IS {not}NULL"#), []);
    }
    w.args(
        field,
        &[
            (
                "location_Id",
                As::Id,
                r#"l0."LocationId" = CAST(? AS INTEGER)"#,
            ),
            ("location_Uuid", As::Text, r#"l0."LocationUUID" = ?"#),
            ("location_Type", As::Text, r#"l0."LocationType" = ?"#),
            (
                "location_Parent_Id",
                As::Id,
                r#"l1."LocationId" = CAST(? AS INTEGER)"#,
            ),
            ("location_Parent_Uuid", As::Text, r#"l1."LocationUUID" = ?"#),
            (
                "location_Parent_Parent_Uuid",
                As::Text,
                r#"l2."LocationUUID" = ?"#,
            ),
            (
                "location_Parent_Parent_Parent_Uuid",
                As::Text,
                r#"l3."LocationUUID" = ?"#,
            ),
        ],
    );
    one_of(field, "location_Uuid_In", r#"l0."LocationUUID""#, false, w);
    one_of(
        field,
        "location_Parent_Id_In",
        r#"l1."LocationId""#,
        true,
        w,
    );
    one_of(
        field,
        "location_Parent_Uuid_In",
        r#"l1."LocationUUID""#,
        false,
        w,
    );
    one_of(
        field,
        "location_Parent_Parent_Uuid_In",
        r#"l2."LocationUUID""#,
        false,
        w,
    );
    one_of(
        field,
        "location_Parent_Parent_Parent_Uuid_In",
        r#"l3."LocationUUID""#,
        false,
        w,
    );
    text_lookups(field, "location_Code", r#"l0."LocationCode""#, w);
    text_lookups(field, "location_Name", r#"l0."LocationName""#, w);
}
