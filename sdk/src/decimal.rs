//! An exact decimal as Python's `Decimal` keeps it: a coefficient and a number of fraction
//! digits (trailing zeros included, so `10000.00`, `980` and `1148.1408` print as the original's
//! `str(value)` does), compared by value (`5000 == 5000.00`). For amounts and policy values:
//! sums, differences, products, percentages and the two roundings the original meets.

use serde_json::Value;
use std::cmp::Ordering;
use std::fmt;

/// The most digits a decimal may have.
const MAX_DIGITS: usize = 30;

/// A decimal `coef × 10^-scale`.
#[derive(Debug, Clone, Copy)]
pub struct Decimal {
    coef: i128,
    scale: u32,
}

impl Decimal {
    pub const ZERO: Decimal = Decimal { coef: 0, scale: 0 };

    /// A Python `int` taking part in a sum (no fraction digits).
    pub const fn int(n: i64) -> Decimal {
        Decimal {
            coef: n as i128,
            scale: 0,
        }
    }

    /// A decimal's text as stored or answered ("300.00", "12", "-0.5"): digits, an optional
    /// point and a leading `-`; no `+`, no exponent, at most 30 digits.
    pub fn parse(text: &str) -> Option<Decimal> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all = format!("{whole}{fraction}");
        if all.is_empty() || all.len() > MAX_DIGITS || !all.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let coef: i128 = all.parse().ok()?;
        Some(Decimal {
            coef: if negative { -coef } else { coef },
            scale: fraction.len() as u32,
        })
    }

    /// A GraphQL `Decimal` input: a string (a leading `+` allowed, as `Decimal("+5")`) or a
    /// number sent in variables; anything else is `None`.
    pub fn of_value(value: &Value) -> Option<Decimal> {
        match value {
            Value::String(s) => {
                let s = s.trim();
                match s.strip_prefix('+') {
                    Some(rest) if !rest.starts_with(|c: char| c.is_ascii_digit() || c == '.') => {
                        None
                    }
                    Some(rest) => Decimal::parse(rest),
                    None => Decimal::parse(s),
                }
            }
            Value::Number(n) => Decimal::parse(&n.to_string()),
            _ => None,
        }
    }

    /// Whether it is zero (Python's falsy `Decimal`).
    pub fn is_zero(self) -> bool {
        self.coef == 0
    }

    fn at(self, scale: u32) -> i128 {
        self.coef * 10i128.pow(scale - self.scale)
    }

    /// `self + other`: the exponent of the more precise one.
    pub fn plus(self, other: Decimal) -> Decimal {
        let scale = self.scale.max(other.scale);
        Decimal {
            coef: self.at(scale) + other.at(scale),
            scale,
        }
    }

    /// `self - other`.
    pub fn minus(self, other: Decimal) -> Decimal {
        self.plus(Decimal {
            coef: -other.coef,
            scale: other.scale,
        })
    }

    /// `self × n` for an integer `n`: the exponent is kept (`Decimal('300.00') * 0` is `0.00`).
    pub fn times(self, n: i64) -> Decimal {
        Decimal {
            coef: self.coef * n as i128,
            scale: self.scale,
        }
    }

    /// `self × other`, exact (Python's `Decimal` product: the fraction digits add up, so
    /// `12.50 × 10.00` is `125.0000`).
    pub fn product(self, other: Decimal) -> Decimal {
        Decimal {
            coef: self.coef * other.coef,
            scale: self.scale + other.scale,
        }
    }

    /// `self / 100`, exact: Python keeps the dividend's exponent when the quotient allows it,
    /// else the fewest fraction digits that hold it exactly.
    pub fn per_cent(self) -> Decimal {
        let mut out = Decimal {
            coef: self.coef,
            scale: self.scale + 2,
        };
        while out.scale > self.scale && out.coef % 10 == 0 {
            out.coef /= 10;
            out.scale -= 1;
        }
        out
    }

    /// The same value with `places` fraction digits, when it has no more (no rounding).
    fn padded(self, places: u32) -> Option<Decimal> {
        (self.scale <= places).then(|| Decimal {
            coef: self.at(places),
            scale: places,
        })
    }

    /// Rounded to `places` fraction digits, half to even, as Django's `DecimalField` stores it.
    pub fn round_half_even(self, places: u32) -> Decimal {
        if let Some(exact) = self.padded(places) {
            return exact;
        }
        let unit = 10i128.pow(self.scale - places);
        let (quotient, remainder) = (self.coef.div_euclid(unit), self.coef.rem_euclid(unit));
        let twice = remainder * 2;
        let up = twice > unit || (twice == unit && quotient % 2 != 0);
        Decimal {
            coef: quotient + i128::from(up),
            scale: places,
        }
    }

    /// Rounded to `places` fraction digits, half away from zero, as PostgreSQL stores a
    /// `numeric(p, places)`.
    pub fn round_half_up(self, places: u32) -> Decimal {
        if let Some(exact) = self.padded(places) {
            return exact;
        }
        let divisor = 10i128.pow(self.scale - places);
        let (quotient, rest) = (self.coef / divisor, self.coef % divisor);
        let up = rest.abs() * 2 >= divisor;
        Decimal {
            coef: quotient + if up { self.coef.signum() } else { 0 },
            scale: places,
        }
    }

    /// How many digits it has before the point.
    pub fn whole_digits(self) -> usize {
        let whole = self.coef.unsigned_abs() / 10u128.pow(self.scale);
        whole.to_string().len()
    }

    /// The nearest float, as graphene's `Float` answers a sum.
    pub fn to_f64(self) -> f64 {
        self.to_string().parse().unwrap_or(0.0)
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        let scale = self.scale.max(other.scale);
        self.at(scale).cmp(&other.at(scale))
    }
}

impl fmt::Display for Decimal {
    /// Python's `str(Decimal)` for the plain notation (no exponent).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.coef < 0 { "-" } else { "" };
        let digits = self.coef.unsigned_abs().to_string();
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
mod tests;
