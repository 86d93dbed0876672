//! The few decimal operations a policy value needs, with Python `Decimal`'s exponents: the
//! original answers `str(value)`, so `10000.00`, `980` and `1148.1408` are three different
//! answers, depending on which product amounts (read with two places) took part and on the
//! discount's exact quotient. Values are a coefficient and a number of fraction digits.

use std::fmt;

/// A decimal `coef × 10^-scale`, as Python's `Decimal` keeps it (trailing zeros included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dec {
    coef: i128,
    scale: u32,
}

impl Dec {
    /// A Python `int` taking part in the sum (no fraction digits).
    pub const fn int(n: i64) -> Dec {
        Dec {
            coef: n as i128,
            scale: 0,
        }
    }

    /// A decimal's text as stored or answered ("300.00", "12", "-0.5").
    pub fn parse(text: &str) -> Option<Dec> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all = format!("{whole}{fraction}");
        if all.is_empty() || !all.bytes().all(|b| b.is_ascii_digit()) || all.len() > 30 {
            return None;
        }
        let coef: i128 = all.parse().ok()?;
        Some(Dec {
            coef: if negative { -coef } else { coef },
            scale: fraction.len() as u32,
        })
    }

    /// Whether it is zero (Python's falsy `Decimal`).
    pub fn is_zero(self) -> bool {
        self.coef == 0
    }

    fn at(self, scale: u32) -> i128 {
        self.coef * 10i128.pow(scale - self.scale)
    }

    /// `self + other`: the exponent of the more precise one.
    pub fn add(self, other: Dec) -> Dec {
        let scale = self.scale.max(other.scale);
        Dec {
            coef: self.at(scale) + other.at(scale),
            scale,
        }
    }

    /// `self - other`.
    pub fn sub(self, other: Dec) -> Dec {
        self.add(Dec {
            coef: -other.coef,
            scale: other.scale,
        })
    }

    /// `self × n` for an integer `n`: the exponent is kept (`Decimal('300.00') * 0` is `0.00`).
    pub fn times(self, n: i64) -> Dec {
        Dec {
            coef: self.coef * n as i128,
            scale: self.scale,
        }
    }

    /// `self / 100`, exact: Python keeps the dividend's exponent when the quotient allows it,
    /// else the fewest fraction digits that hold it exactly.
    pub fn per_cent(self) -> Dec {
        let mut out = Dec {
            coef: self.coef,
            scale: self.scale + 2,
        };
        while out.scale > self.scale && out.coef % 10 == 0 {
            out.coef /= 10;
            out.scale -= 1;
        }
        out
    }

    /// Rounded to `places` fraction digits, half away from zero, as PostgreSQL stores a
    /// `numeric(p, places)`.
    pub fn round(self, places: u32) -> Dec {
        if self.scale <= places {
            return Dec {
                coef: self.coef * 10i128.pow(places - self.scale),
                scale: places,
            };
        }
        let divisor = 10i128.pow(self.scale - places);
        let (quotient, rest) = (self.coef / divisor, self.coef % divisor);
        let up = rest.abs() * 2 >= divisor;
        Dec {
            coef: quotient + if up { self.coef.signum() } else { 0 },
            scale: places,
        }
    }

    /// The number of digits before the point.
    pub fn whole_digits(self) -> usize {
        let whole = self.coef.unsigned_abs() / 10u128.pow(self.scale);
        whole.to_string().len()
    }

    /// The value as a float (`PolicyByFamilyOrInsureeGQLType`'s `Float` fields).
    pub fn to_f64(self) -> f64 {
        self.coef as f64 / 10f64.powi(self.scale as i32)
    }
}

impl fmt::Display for Dec {
    /// Python's `str(Decimal)` for the plain notation every amount here has.
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
mod tests {
    use super::Dec;

    fn d(text: &str) -> Dec {
        Dec::parse(text).expect(text)
    }

    #[test]
    fn exponents_follow_python() {
        // Decimal('300.00') * 2 + 0 == Decimal('600.00')
        assert_eq!(d("300.00").times(2).add(Dec::int(0)).to_string(), "600.00");
        // Decimal('300.00') * 0 == Decimal('0.00'): a zero count keeps the places.
        assert_eq!(d("300.00").times(0).to_string(), "0.00");
        // 980 (int arithmetic) * 10 / 100 == Decimal('98')
        assert_eq!(Dec::int(980).times(10).per_cent().to_string(), "98");
        // Decimal('980.00') * 10 / 100 == Decimal('98.00')
        assert_eq!(d("980.00").times(10).per_cent().to_string(), "98.00");
        // Decimal('1234.56') * 7 / 100 == Decimal('86.4192'); minus it: Decimal('1148.1408')
        let discount = d("1234.56").times(7).per_cent();
        assert_eq!(discount.to_string(), "86.4192");
        assert_eq!(d("1234.56").sub(discount).to_string(), "1148.1408");
        // Decimal('1000.10') * 5 / 100 == Decimal('50.005')
        assert_eq!(d("1000.10").times(5).per_cent().to_string(), "50.005");
        assert_eq!(d("0.05").to_string(), "0.05");
        assert_eq!(d("-0.5").to_string(), "-0.5");
        assert_eq!(d("10000.00").to_f64(), 10000.0);
        assert!(Dec::parse("1e3").is_none() && Dec::parse("").is_none());
        assert_eq!(d("10.005").round(2).to_string(), "10.01");
        assert_eq!(d("-10.005").round(2).to_string(), "-10.01");
        assert_eq!(d("10.004").round(2).to_string(), "10.00");
        assert_eq!(d("7").round(2).to_string(), "7.00");
        assert_eq!(d("12345.6").whole_digits(), 5);
    }
}
