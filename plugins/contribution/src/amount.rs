//! Premium amounts and policy values as Python's `Decimal` compares them: exact, with the
//! digits given (the original compares the unrounded input with the policy's balance, and
//! stores it rounded to the column's two places, half to even as Django's `DecimalField`).

use serde_json::Value;
use std::cmp::Ordering;
use std::fmt;

/// The most digits an amount may have (`numeric(18,2)` holds 16 before the point).
const MAX_DIGITS: usize = 30;

/// A decimal `coef × 10^-scale`.
#[derive(Debug, Clone, Copy)]
pub struct Amount {
    coef: i128,
    scale: u32,
}

impl Amount {
    pub const ZERO: Amount = Amount { coef: 0, scale: 0 };

    /// A decimal's text as sent or stored ("5000", "300.00", "-0.5"); no exponent.
    pub fn parse(text: &str) -> Option<Amount> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all = format!("{whole}{fraction}");
        if all.is_empty() || all.len() > MAX_DIGITS || !all.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let coef: i128 = all.parse().ok()?;
        Some(Amount {
            coef: if negative { -coef } else { coef },
            scale: fraction.len() as u32,
        })
    }

    /// A GraphQL `Decimal`: a string, or a number sent in variables.
    pub fn of_value(value: &Value) -> Option<Amount> {
        match value {
            Value::String(s) => Amount::parse(s),
            Value::Number(n) => Amount::parse(&n.to_string()),
            _ => None,
        }
    }

    fn at(self, scale: u32) -> i128 {
        self.coef * 10i128.pow(scale - self.scale)
    }

    pub fn add(self, other: Amount) -> Amount {
        let scale = self.scale.max(other.scale);
        Amount {
            coef: self.at(scale) + other.at(scale),
            scale,
        }
    }

    pub fn sub(self, other: Amount) -> Amount {
        self.add(Amount {
            coef: -other.coef,
            scale: other.scale,
        })
    }

    /// Rounded to `places` fraction digits, half to even.
    pub fn rounded(self, places: u32) -> Amount {
        if self.scale <= places {
            return Amount {
                coef: self.at(places),
                scale: places,
            };
        }
        let unit = 10i128.pow(self.scale - places);
        let (quotient, remainder) = (self.coef.div_euclid(unit), self.coef.rem_euclid(unit));
        let twice = remainder * 2;
        let up = twice > unit || (twice == unit && quotient % 2 != 0);
        Amount {
            coef: quotient + i128::from(up),
            scale: places,
        }
    }

    /// How many digits it has before the point.
    pub fn whole_digits(self) -> usize {
        let whole = (self.coef / 10i128.pow(self.scale)).unsigned_abs();
        whole.to_string().len()
    }

    /// As graphene's `Float` answers a sum.
    pub fn to_f64(self) -> f64 {
        self.to_string().parse().unwrap_or(0.0)
    }
}

impl PartialEq for Amount {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Amount {}

impl PartialOrd for Amount {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Amount {
    fn cmp(&self, other: &Self) -> Ordering {
        let scale = self.scale.max(other.scale);
        self.at(scale).cmp(&other.at(scale))
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.coef.unsigned_abs().to_string();
        let sign = if self.coef < 0 { "-" } else { "" };
        let scale = self.scale as usize;
        if scale == 0 {
            return write!(f, "{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (whole, fraction) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{whole}.{fraction}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn a(text: &str) -> Amount {
        Amount::parse(text).unwrap()
    }

    #[test]
    fn parses_compares_and_prints_exactly() {
        assert_eq!(a("5000"), a("5000.00"));
        assert!(a("5000.001") > a("5000"));
        assert_eq!(a("10000.00").sub(a("5000")).to_string(), "5000.00");
        assert_eq!(a("0.5").to_string(), "0.5");
        assert_eq!(a("-0.05").to_string(), "-0.05");
        assert_eq!(Amount::of_value(&json!(12.5)).unwrap().to_string(), "12.5");
        for bad in ["", "1e5", "abc", "1.2.3", "-", "1 000"] {
            assert!(Amount::parse(bad).is_none(), "{bad}");
        }
        assert!(Amount::of_value(&json!(true)).is_none());
    }

    #[test]
    fn rounds_half_to_even_at_two_places() {
        for (given, stored) in [
            ("5000", "5000.00"),
            ("1.005", "1.00"),
            ("1.015", "1.02"),
            ("1.0151", "1.02"),
            ("-1.005", "-1.00"),
            ("2.675", "2.68"),
        ] {
            assert_eq!(a(given).rounded(2).to_string(), stored, "{given}");
        }
        assert_eq!(a("12345678901234567.5").whole_digits(), 17);
        assert_eq!(a("0.5").whole_digits(), 1);
    }
}
