//! A field's django-filter arguments as SQL over an entity: `code`, `code_Icontains`,
//! `uuid_In`, `validityFrom_Gte`, `location_Isnull`, and through `one` relations
//! `location_Parent_Uuid` (an `IN` subquery over the target's key per hop). Values are parsed
//! first ([`super::value`]); `LIKE` patterns escape `%`, `_` and `\`.

use super::spec::{self, EntitySpec, Kind, Lookups, Shape, Target};
use super::value::{bad, bind, placeholder, text_of};
use crate::abi::ModuleError;
use crate::db::{Bind, DbConnection};
use crate::payload::SelectionField;
use crate::sql_filter::Where;
use serde_json::Value;

/// How deep relation prefixes may go (`location_Parent_Parent_Parent_Uuid` is 4).
const MAX_DEPTH: usize = 6;

/// Adds a clause to `w` for each argument of `field` that names a filter of `spec`; other
/// arguments (paging, `orderBy`, a module's own) are left alone.
pub fn apply(
    conn: &DbConnection,
    spec: &EntitySpec,
    field: &SelectionField,
    w: &mut Where,
) -> Result<(), ModuleError> {
    for (name, value) in field.args.iter().filter(|(_, v)| !v.is_null()) {
        let parts: Vec<&str> = name.split('_').collect();
        let at = At {
            conn,
            arg: name,
            value,
        };
        if let Some((sql, binds)) = at.resolve(spec, spec.alias, &parts, 0)? {
            w.and(&sql, binds);
        }
    }
    Ok(())
}

/// `%`, `_` and `\` escaped for `LIKE ... ESCAPE '\'`.
pub fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn lower_first(part: &str) -> String {
    let mut chars = part.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_lowercase().chain(chars).collect::<String>()
    })
}

type Clause = Option<(String, Vec<Bind>)>;

/// One argument being resolved.
struct At<'a> {
    conn: &'a DbConnection,
    arg: &'a str,
    value: &'a Value,
}

impl At<'_> {
    fn resolve(
        &self,
        spec: &EntitySpec,
        alias: &str,
        parts: &[&str],
        depth: usize,
    ) -> Result<Clause, ModuleError> {
        // A field named with `_` (a django path answered by one column, `legalForm_Code`)
        // matches its whole name first.
        let whole = (2..=parts.len()).rev().filter(|_| depth == 0);
        for k in whole {
            if let Some(field) = spec.field(&parts[..k].join("_")) {
                if let Shape::Scalar(kind) = field.shape {
                    let column = format!(r#"{alias}."{}""#, field.column);
                    return self.lookup(&column, kind, field.lookups, &parts[k..]);
                }
            }
        }
        let Some((head, rest)) = parts.split_first() else {
            return Ok(None);
        };
        let head = if depth == 0 {
            (*head).to_owned()
        } else {
            lower_first(head)
        };
        let col = |c: &str| format!(r#"{alias}."{c}""#);
        match head.as_str() {
            "id" => return self.lookup(&col(spec.key), Kind::BigInt, spec::EXACT | spec::IN, rest),
            "uuid" if spec.uuid.is_some() => {
                let column = col(spec.uuid.unwrap_or_default());
                return self.lookup(&column, Kind::Uuid, spec::EXACT | spec::IN, rest);
            }
            _ => {}
        }
        let Some(field) = spec.field(&head) else {
            return Ok(None);
        };
        match field.shape {
            Shape::Scalar(kind) => self.lookup(&col(field.column), kind, field.lookups, rest),
            Shape::One(target) => {
                let fk = col(field.column);
                match rest {
                    [] | ["Id"] => self.lookup(&fk, Kind::BigInt, spec::EXACT, &[]),
                    ["In"] | ["Id", "In"] => self.lookup(&fk, Kind::BigInt, spec::IN, &["In"]),
                    ["Isnull"] => self.lookup(&fk, Kind::BigInt, spec::ISNULL, rest),
                    _ => match target {
                        Target::Local(inner) if depth < MAX_DEPTH => {
                            let sub = format!("s{depth}");
                            let found = self.resolve(inner, &sub, rest, depth + 1)?;
                            Ok(found.map(|(sql, binds)| {
                                let sql = format!(
                                    r#"{fk} IN (SELECT {sub}."{key}" FROM "{table}" {sub} WHERE {sql})"#,
                                    key = inner.key,
                                    table = inner.table
                                );
                                (sql, binds)
                            }))
                        }
                        _ => Ok(None),
                    },
                }
            }
            Shape::Many { .. } => Ok(None),
        }
    }

    /// The clause of lookup `rest` (`[]` is `exact`) on `column`, if `allowed`.
    fn lookup(
        &self,
        column: &str,
        kind: Kind,
        allowed: Lookups,
        rest: &[&str],
    ) -> Result<Clause, ModuleError> {
        let (needed, op) = match rest {
            [] => (spec::EXACT, "="),
            ["Iexact"] => (spec::IEXACT, "iexact"),
            ["Icontains"] => (spec::ICONTAINS, "icontains"),
            ["Istartswith"] => (spec::ISTARTSWITH, "istartswith"),
            ["Isnull"] => (spec::ISNULL, "isnull"),
            ["In"] => (spec::IN, "in"),
            ["Ne"] => (spec::NE, "ne"),
            ["Gt"] => (spec::RANGE, ">"),
            ["Gte"] => (spec::RANGE, ">="),
            ["Lt"] => (spec::RANGE, "<"),
            ["Lte"] => (spec::RANGE, "<="),
            _ => return Ok(None),
        };
        if allowed & needed == 0 {
            return Ok(None);
        }
        let (arg, value) = (self.arg, self.value);
        // The original's uuid columns are `uuid` or `varchar(36)`: compare them as text.
        let text_column;
        let (column, mark) = match kind {
            Kind::Uuid => {
                text_column = format!("CAST({column} AS TEXT)");
                (text_column.as_str(), "?")
            }
            _ => (column, placeholder(self.conn, kind)),
        };
        let like = |pattern: String| -> Result<Clause, ModuleError> {
            Ok(Some((
                format!(r#"LOWER({column}) LIKE LOWER(?) ESCAPE '\'"#),
                vec![Bind::Text(Some(pattern))],
            )))
        };
        match op {
            "iexact" => Ok(Some((
                format!("LOWER({column}) = LOWER(?)"),
                vec![Bind::Text(Some(text_of(arg, value)?))],
            ))),
            "icontains" => like(format!("%{}%", escape_like(&text_of(arg, value)?))),
            "istartswith" => like(format!("{}%", escape_like(&text_of(arg, value)?))),
            "isnull" => {
                let is = value
                    .as_bool()
                    .ok_or_else(|| bad(arg, "must be true or false"))?;
                let not = if is { "" } else { "NOT " };
                Ok(Some((format!("{column} IS {not}NULL"), Vec::new())))
            }
            "in" => {
                // GraphQL's input coercion: one value given for a list is a list of one (the
                // frontend sends `packagetype_In: S`).
                let one = std::slice::from_ref(value);
                let items = value.as_array().map_or(one, Vec::as_slice);
                if items.is_empty() {
                    return Ok(Some(("1 = 0".into(), Vec::new())));
                }
                let binds = items
                    .iter()
                    .map(|item| bind(arg, kind, item))
                    .collect::<Result<Vec<_>, _>>()?;
                let marks = vec![mark; binds.len()].join(", ");
                Ok(Some((format!("{column} IN ({marks})"), binds)))
            }
            "ne" => Ok(Some((
                format!("{column} IS NULL OR {column} <> {mark}"),
                vec![bind(arg, kind, value)?],
            ))),
            op => Ok(Some((
                format!("{column} {op} {mark}"),
                vec![bind(arg, kind, value)?],
            ))),
        }
    }
}
