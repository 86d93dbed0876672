//! The file itself: a first pass over the shaped columns (see `cells`) when there are any, then
//! the header and every row, page by page, into a CSV stream or the XLSX workbook.

use super::cells::{self, Shape};
use super::columns::Column;
use super::csv::CsvOut;
use super::request::Format;
use super::scan::scan;
use super::xlsx::XlsxOut;
use crate::abi::ModuleError;
use crate::db::DbConnection;
use crate::entity::{EntitySpec, Kind};
use crate::sql_filter::Where;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

fn io_failed(error: std::io::Error) -> ModuleError {
    ModuleError::new(
        "EXPORT_FAILED",
        format!("The export file could not be written: {error}"),
    )
}

/// The shape of each column (default for the columns that print alone).
fn shapes(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    w: &Where,
    columns: &[Column],
) -> Result<Vec<Shape>, ModuleError> {
    let mut shapes = vec![Shape::default(); columns.len()];
    let shaped: Vec<usize> = (0..columns.len())
        .filter(|&i| cells::shaped(columns[i].kind))
        .collect();
    if shaped.is_empty() {
        return Ok(shapes);
    }
    let exprs: Vec<(&str, Kind)> = shaped
        .iter()
        .map(|&i| (columns[i].expr.as_str(), columns[i].kind))
        .collect();
    scan(conn, spec, w, &exprs, |cells| {
        for (&i, cell) in shaped.iter().zip(cells) {
            shapes[i].observe(columns[i].kind, cell);
        }
        Ok(())
    })?;
    Ok(shapes)
}

/// Writes the rows of `spec` matching `w` as `columns` under `headers` to `path`.
pub fn file(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    w: &Where,
    (columns, headers): (&[Column], &[String]),
    format: Format,
    path: &Path,
) -> Result<(), ModuleError> {
    let exprs: Vec<(&str, Kind)> = columns.iter().map(|c| (c.expr.as_str(), c.kind)).collect();
    let kinds: Vec<Kind> = columns.iter().map(|c| c.kind).collect();
    let mut index: u64 = 0;
    match format {
        Format::Csv => {
            let shapes = shapes(conn, spec, w, columns)?;
            let mut out = CsvOut::new(BufWriter::new(File::create(path).map_err(io_failed)?));
            let header = std::iter::once(None).chain(headers.iter().map(|h| Some(h.as_str())));
            out.record(header).map_err(io_failed)?;
            scan(conn, spec, w, &exprs, |cells| {
                let texts: Vec<Option<String>> = kinds
                    .iter()
                    .zip(&shapes)
                    .zip(cells)
                    .map(|((kind, shape), cell)| cells::text(*kind, shape, cell))
                    .collect();
                let number = index.to_string();
                index += 1;
                let line = std::iter::once(Some(number.as_str()))
                    .chain(texts.iter().map(|t| t.as_deref()));
                out.record(line).map_err(io_failed)
            })?;
            out.finish().map_err(io_failed)?;
        }
        Format::Xlsx => {
            let dir = path.parent().unwrap_or(Path::new("."));
            let mut out = XlsxOut::new(dir)?;
            out.header(headers)?;
            scan(conn, spec, w, &exprs, |cells| {
                out.row(index, &kinds, cells)?;
                index += 1;
                Ok(())
            })?;
            out.save(path)?;
        }
    }
    Ok(())
}
