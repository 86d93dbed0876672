//! Exports (feature `export`): an `…Export` field, the original's `ExportableQueryMixin`. The
//! rows of an entity's list, with the list's own filters, written as a CSV or XLSX file under
//! the host's exports directory and remembered in core's `core_exportablequerymodel`; the field
//! answers the file's name, which core's `GET fetch_export?export=<name>` serves to the same
//! user. Rows are read a page at a time and written as they come: memory does not grow with
//! the export. docs/MODULES.md, "Exports", walks through it.
//!
//! ```ignore
//! static INSUREES: Exportable = Exportable {
//!     model: "Insuree", spec: &INSUREE, aliases: &[("gender", "gender__code")],
//!     stubs: &[("LocationGQLType", &LOCATION_COLUMNS)],
//! };
//! let to = exports::Destination::of(host, &request.context)?;
//! exports::run(conn, &INSUREES, field, list_where, &access, &to)   // Value::String(name)
//! ```
//!
//! What differs from the original: a real XLSX (it wrote CSV text into the `.xlsx` file), an
//! empty result is a header-only file (pandas failed on it), an unknown field or format is an
//! error before anything is written, rows come in key order (the original's are unordered),
//! and `orderBy`/paging arguments are ignored as the original ignores them.

mod cells;
mod columns;
mod csv;
mod names;
mod python;
mod record;
mod request;
mod scan;
mod write;
mod xlsx;

pub use columns::{Column, Exportable};
pub use names::django_path;
pub use record::Destination;
pub use request::{ExportRequest, Format};

use crate::abi::ModuleError;
use crate::db::DbConnection;
use crate::entity::{self, Access, Kind};
use crate::payload::SelectionField;
use crate::sql_filter::Where;
use serde_json::Value;

/// Exports the rows of `exportable` matching `base`, the field's filters and `access` (as
/// `entity::connection` would list them) as `field` asks, for `to`'s user; answers the file
/// name. A bad argument or an unknown field writes nothing.
pub fn run(
    conn: &mut DbConnection,
    exportable: &Exportable,
    field: &SelectionField,
    base: Where,
    access: &Access,
    to: &Destination,
) -> Result<Value, ModuleError> {
    let request = ExportRequest::of(field)?;
    let columns = columns::plan(exportable, &request.paths, &request.fields)?;
    let headers: Vec<String> = columns.iter().map(|c| request.header(&c.path)).collect();
    let spec = exportable.spec;
    let w = entity::filtered(conn, spec, field, base, access)?;

    let extension = request.format.extension();
    let name = format!("{}.{extension}", uuid::Uuid::new_v4());
    let folder = to.folder();
    let dir = to.root.join(&folder);
    std::fs::create_dir_all(&dir).map_err(|e| {
        ModuleError::new(
            "EXPORT_FAILED",
            format!(
                "The exports directory {} is not writable: {e}",
                dir.display()
            ),
        )
    })?;
    let part = dir.join(format!(".{name}.part"));
    let path = dir.join(&name);
    let written = write::file(conn, spec, &w, (&columns, &headers), request.format, &part)
        .and_then(|()| {
            std::fs::rename(&part, &path)
                .map_err(|e| ModuleError::new("EXPORT_FAILED", e.to_string()))
        });
    if let Err(error) = written {
        let _ = std::fs::remove_file(&part);
        return Err(error);
    }

    let exprs: Vec<(&str, Kind)> = columns.iter().map(|c| (c.expr.as_str(), c.kind)).collect();
    // The shape of the original's `str(qs.query.sql_with_params())`: `('SELECT ...', (params,))`.
    let sql_query = format!(
        "({}, {})",
        python::str_repr(&scan::statement(spec, &w, &exprs)),
        python::params(w.binds())
    );
    let content = format!("{folder}/{name}");
    let row = record::Row {
        name: &name,
        model: exportable.model,
        content: &content,
        user: &to.user,
        sql_query: &sql_query,
        file_format: extension,
    };
    if let Err(error) = record::insert(conn, &row) {
        let _ = std::fs::remove_file(&path);
        return Err(error);
    }
    Ok(Value::String(name))
}
