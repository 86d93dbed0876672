//! What an entity exports: its declaration ([`Exportable`]) and each requested django path
//! made an SQL expression over the spec's alias, as `values_list` reads it: a column, a foreign
//! key's value (`family` is the family's id), or a column of the row a `one` relation names
//! (`family__uuid`, `current_village__parent__code`) through a correlated subquery; a stub
//! relation is followed through the spec the exportable declares for that type.

use crate::abi::ModuleError;
use crate::entity::{EntitySpec, Kind, Shape, Target};
use crate::mutation::snake_case;

/// How deep a path may follow relations (`current_village__parent__parent__parent__code` is 4).
const MAX_DEPTH: usize = 6;

/// An entity a module serves an `…Export` field for.
#[derive(Debug)]
pub struct Exportable {
    /// The original's model name: `core_exportablequerymodel.model` and the download's file
    /// name (`export_Insuree_31_12_2025.csv`).
    pub model: &'static str,
    pub spec: &'static EntitySpec,
    /// Django paths the spec answers under another name, `(path, declared path)`:
    /// `("gender", "gender__code")` where the spec declares the code as `gender_Code`.
    pub aliases: &'static [(&'static str, &'static str)],
    /// Another module's types a stub relation may be followed into, each with a spec of its
    /// table as far as exports read it (`("LocationGQLType", &LOCATION_COLUMNS)`).
    pub stubs: &'static [(&'static str, &'static EntitySpec)],
}

/// One column of the file: the django path, its SQL expression and how it is read.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub path: String,
    pub expr: String,
    pub kind: Kind,
}

/// The columns of `paths` (django paths, with the `fields` they came from for the error), in
/// order; the first path naming no column is an `EXPORT_UNKNOWN_FIELD` error.
pub fn plan(
    exportable: &Exportable,
    paths: &[String],
    fields: &[String],
) -> Result<Vec<Column>, ModuleError> {
    paths
        .iter()
        .zip(fields)
        .map(|(path, field)| {
            let declared = exportable
                .aliases
                .iter()
                .find(|(from, _)| from == path)
                .map_or(path.as_str(), |(_, to)| to);
            let parts: Vec<&str> = declared.split("__").collect();
            let spec = exportable.spec;
            match resolve(exportable, spec, spec.alias, &parts, 0) {
                Some((expr, kind)) => Ok(Column {
                    path: path.clone(),
                    expr,
                    kind,
                }),
                None => Err(ModuleError::new(
                    "EXPORT_UNKNOWN_FIELD",
                    format!(
                        "Cannot resolve keyword '{path}' into field: `{field}` is not an exportable field of {}",
                        exportable.model
                    ),
                )),
            }
        })
        .collect()
}

/// The expression and kind of `parts` on `alias` (a table of `spec`).
fn resolve(
    exportable: &Exportable,
    spec: &EntitySpec,
    alias: &str,
    parts: &[&str],
    depth: usize,
) -> Option<(String, Kind)> {
    let col = |c: &str| format!(r#"{alias}."{c}""#);
    let (head, rest) = parts.split_first()?;
    let history = spec.history;
    let plain = match *head {
        "id" | "pk" => Some((col(spec.key), Kind::BigInt)),
        "uuid" => spec.uuid.map(|u| (col(u), Kind::Uuid)),
        "validity_from" => history.map(|_| (col("ValidityFrom"), Kind::DateTime)),
        "validity_to" => history.map(|_| (col("ValidityTo"), Kind::DateTime)),
        "legacy_id" => history.map(|h| (col(h.legacy_id), Kind::Int)),
        "audit_user_id" => history.map(|h| (col(h.audit_user), Kind::Int)),
        _ => None,
    };
    if let Some(found) = plain {
        return rest.is_empty().then_some(found);
    }
    // A field whose django name spans parts (`gender__code` for `gender_Code`) wins.
    for k in (1..=parts.len()).rev() {
        let name = parts[..k].join("__");
        let Some(field) = spec
            .fields
            .iter()
            .find(|f| !matches!(f.shape, Shape::Many { .. }) && snake_case(f.name) == name)
        else {
            continue;
        };
        let fk = col(field.column);
        return match (field.shape, &parts[k..]) {
            (Shape::Scalar(kind), []) => Some((fk, kind)),
            (Shape::One(_), [] | ["id"] | ["pk"]) => Some((fk, Kind::BigInt)),
            (Shape::One(target), rest) if depth < MAX_DEPTH => {
                let inner = match target {
                    Target::Local(inner) => inner,
                    Target::Stub(type_name) => exportable
                        .stubs
                        .iter()
                        .find(|(t, _)| *t == type_name)
                        .map(|(_, s)| *s)?,
                };
                let sub = format!("xp{depth}");
                let (expr, kind) = resolve(exportable, inner, &sub, rest, depth + 1)?;
                Some((
                    format!(
                        r#"(SELECT {expr} FROM "{}" {sub} WHERE {sub}."{}" = {fk})"#,
                        inner.table, inner.key
                    ),
                    kind,
                ))
            }
            _ => None,
        };
    }
    None
}
