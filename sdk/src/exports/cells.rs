//! A read cell as the original's file shows it. The original builds a pandas DataFrame from
//! `values_list` and calls `to_csv()`; pandas picks each column's dtype from all its values,
//! so some cells print by what the whole column holds ([`Shape`], gathered by a first pass):
//! - an integer column holding a null is `float64`: `5.0` (`1e+17` from 1e16 on), null empty;
//! - a datetime column is `datetime64`: `YYYY-MM-DD` when every value is at midnight, else
//!   `YYYY-MM-DD HH:MM:SS` with `.fff` or `.ffffff` when any value has a fraction (the finest);
//! - dates print `YYYY-MM-DD`, booleans `True`/`False`, decimals with their places, a JSON
//!   column as Python prints the `dict`; null is empty.

use super::python;
use crate::entity::{fixed, Cell, Kind};
use crate::time;

/// What a whole column holds, where it decides how its cells print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub has_null: bool,
    /// Every datetime value at 00:00:00.
    pub midnight: bool,
    /// Fraction digits a datetime column prints: 0, 3 or 6.
    pub fraction: u8,
}

impl Default for Shape {
    fn default() -> Self {
        Shape {
            has_null: false,
            midnight: true,
            fraction: 0,
        }
    }
}

/// Whether cells of `kind` print by their column's [`Shape`].
pub fn shaped(kind: Kind) -> bool {
    matches!(kind, Kind::Int | Kind::BigInt | Kind::DateTime)
}

/// A stored timestamp as `(YYYY-MM-DD, HH:MM:SS, microseconds)`.
pub fn moment(stored: &str) -> (String, String, u32) {
    let iso = time::iso(stored);
    let date = iso.get(..10).unwrap_or(&iso).to_owned();
    let clock = iso.get(11..19).unwrap_or("00:00:00").to_owned();
    let micros = iso
        .get(20..26)
        .and_then(|f| f.parse().ok())
        .unwrap_or_default();
    (date, clock, micros)
}

impl Shape {
    /// Takes `cell` of a `kind` column into account.
    pub fn observe(&mut self, kind: Kind, cell: &Cell) {
        match (kind, cell) {
            (_, Cell::Null) => self.has_null = true,
            (Kind::DateTime, Cell::Text(t)) => {
                let (_, clock, micros) = moment(t);
                if clock != "00:00:00" || micros != 0 {
                    self.midnight = false;
                }
                let digits = match micros {
                    0 => 0,
                    m if m % 1000 == 0 => 3,
                    _ => 6,
                };
                self.fraction = self.fraction.max(digits);
            }
            _ => {}
        }
    }
}

/// The text of `cell` of a `kind` column shaped `shape`; `None` for an empty cell.
pub fn text(kind: Kind, shape: &Shape, cell: &Cell) -> Option<String> {
    Some(match (kind, cell) {
        (_, Cell::Null) => return None,
        (Kind::Int | Kind::BigInt, Cell::Int(n)) if shape.has_null => python::float(*n as f64),
        (_, Cell::Int(n)) => n.to_string(),
        (_, Cell::Bool(b)) => if *b { "True" } else { "False" }.to_owned(),
        (Kind::Decimal(places), Cell::Text(t)) => fixed(t, places as usize),
        (Kind::Date, Cell::Text(t)) => t.get(..10).unwrap_or(t).to_owned(),
        (Kind::DateTime, Cell::Text(t)) => {
            let (date, clock, micros) = moment(t);
            match (shape.midnight, shape.fraction) {
                (true, _) => date,
                (false, 3) => format!("{date} {clock}.{:03}", micros / 1000),
                (false, 6) => format!("{date} {clock}.{micros:06}"),
                _ => format!("{date} {clock}"),
            }
        }
        (Kind::Json, Cell::Text(t)) => return python::json_text(t),
        (_, Cell::Text(t)) => t.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape_of(kind: Kind, cells: &[Cell]) -> Shape {
        let mut shape = Shape::default();
        for cell in cells {
            shape.observe(kind, cell);
        }
        shape
    }

    #[test]
    fn cells_print_as_pandas_prints_their_column() {
        let ints = [Cell::Int(5), Cell::Null];
        let shape = shape_of(Kind::BigInt, &ints);
        assert_eq!(text(Kind::BigInt, &shape, &ints[0]).as_deref(), Some("5.0"));
        let full = shape_of(Kind::BigInt, &ints[..1]);
        assert_eq!(text(Kind::BigInt, &full, &ints[0]).as_deref(), Some("5"));

        let days = [
            Cell::Text("2020-01-02 00:00:00+00".into()),
            Cell::Text("2020-01-03 00:00:00".into()),
        ];
        let shape = shape_of(Kind::DateTime, &days);
        assert_eq!(
            text(Kind::DateTime, &shape, &days[0]).as_deref(),
            Some("2020-01-02")
        );
        let times = [
            Cell::Text("2020-01-03 04:05:06.12".into()),
            Cell::Text("2020-01-03 04:05:06.123456".into()),
            Cell::Text("2020-01-03 00:00:00".into()),
        ];
        let shape = shape_of(Kind::DateTime, &times);
        let printed: Vec<_> = times
            .iter()
            .map(|c| text(Kind::DateTime, &shape, c).unwrap())
            .collect();
        assert_eq!(
            printed,
            [
                "2020-01-03 04:05:06.120000",
                "2020-01-03 04:05:06.123456",
                "2020-01-03 00:00:00.000000"
            ]
        );
        let millis = [Cell::Text("2020-01-02 03:04:05.001".into())];
        let shape = shape_of(Kind::DateTime, &millis);
        assert_eq!(
            text(Kind::DateTime, &shape, &millis[0]).as_deref(),
            Some("2020-01-02 03:04:05.001")
        );
        assert_eq!(
            text(Kind::Bool, &Shape::default(), &Cell::Bool(true)).as_deref(),
            Some("True")
        );
        assert_eq!(
            text(
                Kind::Decimal(2),
                &Shape::default(),
                &Cell::Text("12.5".into())
            )
            .as_deref(),
            Some("12.50")
        );
        assert_eq!(
            text(
                Kind::Date,
                &Shape::default(),
                &Cell::Text("1999-12-31".into())
            )
            .as_deref(),
            Some("1999-12-31")
        );
    }
}
