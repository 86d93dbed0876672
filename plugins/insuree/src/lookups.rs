//! The text-keyed reference lists (`tblGender`, `tblFamilyTypes`, `tblConfirmationTypes`,
//! `tblIdentificationTypes`): read whole, ordered by `SortOrder` as the original's resolvers, and
//! answered as root lists or as the objects an insuree or family names by code, with their
//! reverse connection (`insurees`, `families`, `insureeSet`) per row.

use crate::specs::{FAMILY, INSUREE};
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::QueryableByName;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity::{self, Access, EntitySpec};
use openimis_sdk::project::fill_answers;
use openimis_sdk::sql_filter::Where;
use openimis_sdk::{ModuleError, SelectionField};
use serde_json::{json, Value};

/// One list: its table, code column, label `(GraphQL name, column)`, the confirmation types'
/// flag column, and its reverse connection `(name, entity, column)`.
pub struct TextList {
    pub table: &'static str,
    pub code: &'static str,
    pub label: (&'static str, &'static str),
    pub flag: Option<&'static str>,
    pub reverse: (&'static str, &'static EntitySpec, &'static str),
}

pub static GENDERS: TextList = TextList {
    table: "tblGender",
    code: "Code",
    label: ("gender", "Gender"),
    flag: None,
    reverse: ("insurees", &INSUREE, "Gender"),
};

pub static FAMILY_TYPES: TextList = TextList {
    table: "tblFamilyTypes",
    code: "FamilyTypeCode",
    label: ("type", "FamilyType"),
    flag: None,
    reverse: ("families", &FAMILY, "FamilyType"),
};

pub static CONFIRMATION_TYPES: TextList = TextList {
    table: "tblConfirmationTypes",
    code: "ConfirmationTypeCode",
    label: ("confirmationtype", "ConfirmationType"),
    flag: Some("is_confirmation_number_required"),
    reverse: ("families", &FAMILY, "ConfirmationType"),
};

pub static IDENTIFICATION_TYPES: TextList = TextList {
    table: "tblIdentificationTypes",
    code: "IdentificationCode",
    label: ("identificationType", "IdentificationTypes"),
    flag: None,
    reverse: ("insureeSet", &INSUREE, "TypeOfId"),
};

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Nullable<Text>)]
    code: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    label: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    alt: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    sort: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    flag: Option<i64>,
}

/// The list's rows (those of `codes` when given), by sort order then code.
pub fn rows(
    conn: &mut DbConnection,
    list: &TextList,
    codes: Option<&[String]>,
) -> Result<Vec<Value>, ModuleError> {
    let mut binds = Vec::new();
    let filter = match codes {
        None => String::new(),
        Some([]) => return Ok(Vec::new()),
        Some(codes) => {
            binds.extend(codes.iter().map(Bind::text));
            let marks = vec!["?"; codes.len()].join(", ");
            format!(r#" WHERE x."{}" IN ({marks})"#, list.code)
        }
    };
    let flag = match list.flag {
        Some(column) => format!(r#"CASE WHEN x."{column}" THEN 1 ELSE 0 END"#),
        None => "NULL".into(),
    };
    let sql = format!(
        r#"SELECT x."{code}" AS code, x."{label}" AS label, x."AltLanguage" AS alt,
             CAST(x."SortOrder" AS BIGINT) AS sort, CAST({flag} AS BIGINT) AS flag
           FROM "{table}" x{filter} ORDER BY x."SortOrder", x."{code}""#,
        code = list.code,
        label = list.label.1,
        table = list.table
    );
    let found: Vec<Row> = db::load(conn, &sql, &binds)?;
    Ok(found
        .into_iter()
        .map(|r| {
            let mut row = json!({"code": r.code, "altLanguage": r.alt, "sortOrder": r.sort});
            row[list.label.0] = json!(r.label);
            if list.flag.is_some() {
                row["isConfirmationNumberRequired"] = json!(r.flag == Some(1));
            }
            row
        })
        .collect())
}

/// Fills each row's reverse connection the selection asks for (one connection per row: the
/// lists hold a handful of codes).
pub fn complete(
    conn: &mut DbConnection,
    list: &TextList,
    rows: &mut [Value],
    sel: &[SelectionField],
    access: &Access,
) -> Result<(), ModuleError> {
    let (name, target, column) = list.reverse;
    fill_answers(rows, sel, name, |field, rows| {
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mut w = Where::new();
            let code = row["code"].as_str().unwrap_or_default();
            w.and(&format!("{} = ?", target.col(column)), [Bind::text(code)]);
            out.push(entity::connection(conn, target, field, w, access)?);
        }
        Ok(out)
    })
}

/// Sets `name` on each row to the object of `list` whose code the row's `code_field` holds.
pub fn attach(
    conn: &mut DbConnection,
    list: &TextList,
    rows: &mut [Value],
    (name, code_field): (&str, &str),
    sel: &[SelectionField],
    access: &Access,
) -> Result<(), ModuleError> {
    let Some(field) = sel.iter().find(|f| f.name == name) else {
        return Ok(());
    };
    let mut codes: Vec<String> = rows
        .iter()
        .filter_map(|r| r[code_field].as_str().map(str::to_owned))
        .collect();
    codes.sort();
    codes.dedup();
    let mut found = self::rows(conn, list, Some(&codes))?;
    complete(conn, list, &mut found, &field.selection, access)?;
    for row in rows.iter_mut() {
        let code = row[code_field].as_str().map(str::to_owned);
        let object = found
            .iter()
            .find(|f| code.is_some() && f["code"].as_str() == code.as_deref());
        row[name] = object.cloned().unwrap_or(Value::Null);
    }
    Ok(())
}
