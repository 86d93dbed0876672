//! The arguments every `…Export` field adds to its list's (`fileFormat`, `fields`,
//! `fieldsColumns`, as core's `ExportableQueryMixin` adds them), read and checked before
//! anything is written.

use super::names::django_path;
use super::python;
use crate::abi::ModuleError;
use crate::payload::SelectionField;
use serde_json::{Map, Value};

/// The file an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// The extension, also `core_exportablequerymodel.file_format`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// What an `…Export` field asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRequest {
    pub format: Format,
    /// The columns, as django paths (`chf_id`, `gender__code`), in the order asked.
    pub paths: Vec<String>,
    /// `fields` as sent (`chfId`, `gender.code`), in the same order.
    pub fields: Vec<String>,
    /// `fieldsColumns`: a header per django path.
    pub headers: Map<String, Value>,
}

fn bad(message: String) -> ModuleError {
    ModuleError::new("BAD_ARGUMENT", message)
}

impl ExportRequest {
    /// The request `field` carries; a clear error for a format, a `fields` or a
    /// `fieldsColumns` that is not one.
    pub fn of(field: &SelectionField) -> Result<Self, ModuleError> {
        let format = match field.arg("fileFormat") {
            None | Some(Value::Null) => Format::Csv,
            Some(Value::String(s)) if s.eq_ignore_ascii_case("csv") => Format::Csv,
            Some(Value::String(s)) if s.eq_ignore_ascii_case("xlsx") => Format::Xlsx,
            Some(other) => {
                return Err(ModuleError::new(
                    "EXPORT_BAD_FORMAT",
                    format!("Unsupported file format {other}: `fileFormat` must be csv or xlsx"),
                ))
            }
        };
        let fields: Vec<String> = match field.arg("fields") {
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
                    other => Err(bad(format!("`fields` holds {other}, not a field name"))),
                })
                .collect::<Result<_, _>>()?,
            Some(Value::String(s)) if !s.trim().is_empty() => vec![s.trim().to_owned()],
            _ => Vec::new(),
        };
        if fields.is_empty() {
            return Err(bad("`fields` must name at least one field".into()));
        }
        // The original runs `json.loads` on it (the frontend sends a JSON string); an object is
        // taken as it is.
        let headers = match field.arg("fieldsColumns") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(map)) => map.clone(),
            Some(Value::String(text)) => match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(map)) => map,
                Ok(Value::Null) => Map::new(),
                _ => {
                    return Err(bad(
                        "`fieldsColumns` must be a JSON object of column names".into()
                    ))
                }
            },
            Some(_) => {
                return Err(bad(
                    "`fieldsColumns` must be a JSON object of column names".into()
                ))
            }
        };
        Ok(Self {
            format,
            paths: fields.iter().map(|f| django_path(f)).collect(),
            fields,
            headers,
        })
    }

    /// The header of column `path`: `fieldsColumns[path]` when Python holds it true (the
    /// original's `column_names.get(column) or column`), else the path itself.
    pub fn header(&self, path: &str) -> String {
        match self.headers.get(path) {
            Some(value) if python::truthy(value) => match value {
                Value::String(s) => s.clone(),
                other => python::repr(other),
            },
            _ => path.to_owned(),
        }
    }
}
