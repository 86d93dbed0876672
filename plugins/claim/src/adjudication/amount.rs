//! [`Amount`]: the exact fixed-point number the adjudication computes with (Python's `Decimal`
//! as the original's arithmetic meets it: sums, products, `/ 100`, `int()`), eight fraction digits.

use openimis_sdk::decimal::Decimal;
use std::fmt;

/// Fraction digits kept: enough for a quantity × a price × a percentage, exactly.
const PLACES: u32 = 8;
const ONE: i128 = 100_000_000;

/// An exact amount, `units / 10^8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(i128);

impl Amount {
    pub const ZERO: Amount = Amount(0);

    /// A whole number.
    pub const fn int(n: i64) -> Amount {
        Amount(n as i128 * ONE)
    }

    /// A number's text as a database answers it (`"100.00"`, `"7"`, `"12.5"`, `"1e-05"`).
    pub fn parse(text: &str) -> Option<Amount> {
        let text = text.trim();
        if text.contains(['e', 'E']) {
            let value: f64 = text.parse().ok()?;
            return Some(Amount((value * ONE as f64).round() as i128));
        }
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty() && fraction.is_empty() {
            return None;
        }
        let whole: i128 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let mut frac = fraction.chars().take(PLACES as usize).collect::<String>();
        if !frac.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        while frac.len() < PLACES as usize {
            frac.push('0');
        }
        let units = whole * ONE + frac.parse::<i128>().ok()?;
        Some(Amount(if negative { -units } else { units }))
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn plus(self, other: Amount) -> Amount {
        Amount(self.0 + other.0)
    }

    pub fn minus(self, other: Amount) -> Amount {
        Amount(self.0 - other.0)
    }

    /// `self × other`, exact while the product has at most eight fraction digits.
    pub fn times(self, other: Amount) -> Amount {
        Amount(self.0 * other.0 / ONE)
    }

    /// `self × n`.
    pub fn times_int(self, n: i64) -> Amount {
        Amount(self.0 * n as i128)
    }

    /// `self / 100` (a percentage as a ratio).
    pub fn per_cent(self) -> Amount {
        Amount(self.0 / 100)
    }

    /// Python's `int(x)`: toward zero.
    pub fn truncated(self) -> Amount {
        Amount(self.0 / ONE * ONE)
    }

    /// The SDK's decimal of the same value, rounded half to even to `places` digits (as
    /// Django's `DecimalField` stores it).
    pub fn to_decimal(self, places: u32) -> Decimal {
        Decimal::parse(&self.to_string())
            .unwrap_or(Decimal::ZERO)
            .round_half_even(places)
    }

    /// The value with two fraction digits, as a `numeric(18, 2)` column keeps it.
    pub fn stored(self) -> Amount {
        Amount::parse(&self.to_decimal(2).to_string()).unwrap_or(self)
    }
}

impl fmt::Display for Amount {
    /// The shortest exact text (`"700"`, `"0.8"`, `"-12.5"`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let units = self.0.unsigned_abs();
        let whole = units / ONE as u128;
        let fraction = units % ONE as u128;
        if fraction == 0 {
            return write!(f, "{sign}{whole}");
        }
        let digits = format!("{fraction:08}");
        write!(f, "{sign}{whole}.{}", digits.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(text: &str) -> Amount {
        Amount::parse(text).unwrap()
    }

    #[test]
    fn parses_the_database_texts() {
        assert_eq!(a("100.00"), Amount::int(100));
        assert_eq!(a("7"), Amount::int(7));
        assert_eq!(a("-12.5").to_string(), "-12.5");
        assert_eq!(a(".5").to_string(), "0.5");
        assert_eq!(a("1e-05").to_string(), "0.00001");
        assert!(Amount::parse("x").is_none());
        assert!(Amount::parse("").is_none());
    }

    #[test]
    fn computes_as_python_decimal() {
        // Decimal('80.00') / 100 * 7 == Decimal('5.60'); int(Decimal('7.5') * Decimal('3')) == 22
        assert_eq!(a("80.00").per_cent().times(Amount::int(7)), a("5.6"));
        assert_eq!(a("7.5").times(a("3")).truncated(), Amount::int(22));
        assert_eq!(a("-7.5").truncated(), Amount::int(-7));
        assert_eq!(a("0.125").stored(), a("0.12"));
        assert_eq!(a("0.135").stored(), a("0.14"));
        assert_eq!(a("1.5").to_decimal(2).to_string(), "1.50");
    }
}
