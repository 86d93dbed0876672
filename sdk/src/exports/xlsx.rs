//! A real XLSX file (the original writes CSV text into its `.xlsx` file, a bug fixed here),
//! through rust_xlsxwriter's constant-memory worksheet: each row goes to a temporary file
//! beside the export as it is written, and `save` zips them. The layout is the CSV's (an
//! unnamed index column, a header row); cells are typed: numbers, booleans, dates and
//! datetimes (with a number format), text.

use super::cells::moment;
use super::python;
use crate::abi::ModuleError;
use crate::entity::{fixed, Cell, Kind};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use std::path::Path;

/// An XLSX workbook being written, one sheet.
pub struct XlsxOut {
    workbook: Workbook,
    date: Format,
    datetime: Format,
}

fn failed(error: XlsxError) -> ModuleError {
    match error {
        XlsxError::RowColumnLimitError => ModuleError::new(
            "EXPORT_TOO_LARGE",
            "An XLSX sheet holds at most 1,048,575 rows: export as csv",
        ),
        other => ModuleError::new("EXPORT_FAILED", format!("The XLSX file failed: {other}")),
    }
}

impl XlsxOut {
    /// A workbook whose rows wait in temporary files under `dir`.
    pub fn new(dir: &Path) -> Result<Self, ModuleError> {
        let mut workbook = Workbook::new();
        workbook.set_tempdir(dir).map_err(failed)?;
        workbook
            .add_worksheet_with_constant_memory()
            .map_err(failed)?;
        Ok(Self {
            workbook,
            date: Format::new().set_num_format("yyyy-mm-dd"),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
        })
    }

    /// The header row: an empty index cell, then `headers`.
    pub fn header(&mut self, headers: &[String]) -> Result<(), ModuleError> {
        let sheet = self.workbook.worksheet_from_index(0).map_err(failed)?;
        for (i, header) in headers.iter().enumerate() {
            sheet.write_string(0, col(i + 1)?, header).map_err(failed)?;
        }
        Ok(())
    }

    /// Row `index` (0-based, below the header) of `cells` of `kinds`.
    pub fn row(&mut self, index: u64, kinds: &[Kind], cells: &[Cell]) -> Result<(), ModuleError> {
        let row = u32::try_from(index + 1).map_err(|_| failed(XlsxError::RowColumnLimitError))?;
        let (date, datetime) = (&self.date, &self.datetime);
        let sheet = self.workbook.worksheet_from_index(0).map_err(failed)?;
        sheet.write_number(row, 0, index as f64).map_err(failed)?;
        for (i, (kind, cell)) in kinds.iter().zip(cells).enumerate() {
            let c = col(i + 1)?;
            let written = match (kind, cell) {
                (_, Cell::Null) => continue,
                (_, Cell::Int(n)) => sheet.write_number(row, c, *n as f64),
                (_, Cell::Bool(b)) => sheet.write_boolean(row, c, *b),
                (Kind::Decimal(places), Cell::Text(t)) => {
                    let text = fixed(t, *places as usize);
                    match text.parse::<f64>() {
                        Ok(n) => sheet.write_number(row, c, n),
                        Err(_) => sheet.write_string(row, c, &text),
                    }
                }
                (Kind::Date | Kind::DateTime, Cell::Text(t)) => {
                    let (day, clock, micros) = moment(t);
                    let (text, format) = match kind {
                        Kind::Date => (day, date),
                        _ => (format!("{day}T{clock}.{:03}", micros / 1000), datetime),
                    };
                    match ExcelDateTime::parse_from_str(&text) {
                        Ok(at) => sheet.write_datetime_with_format(row, c, &at, format),
                        Err(_) => sheet.write_string(row, c, t),
                    }
                }
                (Kind::Json, Cell::Text(t)) => match python::json_text(t) {
                    Some(text) => sheet.write_string(row, c, &text),
                    None => continue,
                },
                (_, Cell::Text(t)) => sheet.write_string(row, c, t),
            };
            written.map_err(failed)?;
        }
        Ok(())
    }

    /// Writes the file at `path`.
    pub fn save(mut self, path: &Path) -> Result<(), ModuleError> {
        self.workbook.save(path).map_err(failed)
    }
}

fn col(i: usize) -> Result<u16, ModuleError> {
    u16::try_from(i).map_err(|_| failed(XlsxError::RowColumnLimitError))
}
