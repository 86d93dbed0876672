//! CSV as `DataFrame.to_csv()` writes it with Python's `csv` module: fields joined by `,`,
//! lines ended by `\n`, a field quoted (`"`, inner quotes doubled) only when it holds a `,`, a
//! `"` or a `\n` (a lone `\r` is not quoted: Python's QUOTE_MINIMAL looks at the line
//! terminator `to_csv` passes, `\n`), an empty field left empty.

use std::io::{self, Write};

/// A CSV stream over `W`.
pub struct CsvOut<W: Write> {
    out: W,
}

impl<W: Write> CsvOut<W> {
    pub fn new(out: W) -> Self {
        Self { out }
    }

    /// One line of `fields` (`None` is empty).
    pub fn record<'a>(
        &mut self,
        fields: impl IntoIterator<Item = Option<&'a str>>,
    ) -> io::Result<()> {
        for (i, field) in fields.into_iter().enumerate() {
            if i > 0 {
                self.out.write_all(b",")?;
            }
            let field = field.unwrap_or_default();
            if field.contains([',', '"', '\n']) {
                self.out.write_all(b"\"")?;
                self.out.write_all(field.replace('"', "\"\"").as_bytes())?;
                self.out.write_all(b"\"")?;
            } else {
                self.out.write_all(field.as_bytes())?;
            }
        }
        self.out.write_all(b"\n")
    }

    /// The stream, flushed.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::CsvOut;

    #[test]
    fn fields_are_quoted_as_pythons_csv_quotes_them() {
        let mut out = CsvOut::new(Vec::new());
        out.record([None, Some("id"), Some("a,b")]).unwrap();
        out.record([Some("0"), Some("He said \"hi\""), Some("x\ny")])
            .unwrap();
        out.record([Some("1"), Some("\r"), Some(" s "), None])
            .unwrap();
        let text = String::from_utf8(out.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            ",id,\"a,b\"\n0,\"He said \"\"hi\"\"\",\"x\ny\"\n1,\r, s ,\n"
        );
    }
}
