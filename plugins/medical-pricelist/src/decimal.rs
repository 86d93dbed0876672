//! `Decimal` answers as the original's `DecimalField(decimal_places=2)`: text with exactly two
//! fraction digits ("12.50"), whatever form the backend returns (SQLite keeps `12.5` or `12`).

/// The stored number `text` with `places` fraction digits (padded, or cut without rounding,
/// since the column holds no more digits than that).
pub fn fixed(text: &str, places: usize) -> String {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits: String = fraction
        .chars()
        .chain(std::iter::repeat('0'))
        .take(places)
        .collect();
    if places == 0 {
        whole.to_owned()
    } else {
        format!("{whole}.{digits}")
    }
}

#[cfg(test)]
mod tests {
    use super::fixed;

    #[test]
    fn pads_and_keeps_two_places() {
        assert_eq!(fixed("12", 2), "12.00");
        assert_eq!(fixed("12.5", 2), "12.50");
        assert_eq!(fixed("1234.56", 2), "1234.56");
        assert_eq!(fixed("-3.1", 2), "-3.10");
    }
}
