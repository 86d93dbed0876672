//! [`Day`] and [`Stamp`]: the calendar arithmetic the adjudication needs (openIMIS's
//! `datetimedelta`: a month added is the current month's length in days), without a clock.

use std::fmt;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// A timestamp as the database keeps it (naive, UTC): a day and the time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp {
    pub day: Day,
    /// Microseconds since midnight.
    pub micros: u64,
}

const LAST_SECOND: u64 = 86_399_000_000;

fn leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The days of `month` in `year`.
pub fn month_days(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if leap(year) => 29,
        _ => 28,
    }
}

impl Day {
    /// The leading `YYYY-MM-DD` of a date or timestamp text.
    pub fn parse(text: &str) -> Option<Day> {
        let text = text.trim();
        let head = text.get(..10)?;
        let mut parts = head.split('-');
        let year = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        ((1..=12).contains(&month) && day >= 1 && day <= month_days(year, month)).then_some(Day {
            year,
            month,
            day,
        })
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn ordinal(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day `ordinal` days after 1970-01-01 (the SDK's `civil_from_days`).
    pub fn from_ordinal(z: i64) -> Day {
        let (year, month, day) = openimis_sdk::time::civil_from_days(z);
        Day {
            year: year as i32,
            month,
            day,
        }
    }

    pub fn plus_days(self, days: i64) -> Day {
        Day::from_ordinal(self.ordinal() + days)
    }

    /// `self + datetimedelta(months=n)` for `n ≥ 0`: each month adds the current month's days.
    pub fn plus_months(self, months: i64) -> Day {
        let mut day = self;
        for _ in 0..months.max(0) {
            day = day.plus_days(i64::from(month_days(day.year, day.month)));
        }
        day
    }

    /// Midnight of the day, as Django compares a date with a timestamp column.
    pub fn midnight(self) -> Stamp {
        Stamp {
            day: self,
            micros: 0,
        }
    }

    /// 23:59:59 of the day, core's `filter_validity(validity=day)` bound.
    pub fn last_second(self) -> Stamp {
        Stamp {
            day: self,
            micros: LAST_SECOND,
        }
    }

    /// Full years from `self` (a birth date) to `at`, as the insuree's `age`.
    pub fn years_until(self, at: Day) -> i32 {
        let before_birthday = (at.month, at.day) < (self.month, self.day);
        at.year - self.year - i32::from(before_birthday)
    }
}

impl Stamp {
    /// `YYYY-MM-DD[ T]HH:MM:SS[.ffffff][zone]`, or a bare date (midnight).
    pub fn parse(text: &str) -> Option<Stamp> {
        let day = Day::parse(text)?;
        let rest = text.trim().get(11..).unwrap_or("");
        let mut micros = 0u64;
        if rest.len() >= 8 {
            let h: u64 = rest.get(0..2)?.parse().ok()?;
            let m: u64 = rest.get(3..5)?.parse().ok()?;
            let s: u64 = rest.get(6..8)?.parse().ok()?;
            micros = ((h * 60 + m) * 60 + s) * 1_000_000;
            if let Some(fraction) = rest.get(8..).and_then(|f| f.strip_prefix('.')) {
                let digits: String = fraction.chars().take_while(char::is_ascii_digit).collect();
                let padded = format!("{:0<6}", &digits[..digits.len().min(6)]);
                micros += padded.parse::<u64>().unwrap_or(0);
            }
        }
        Some(Stamp { day, micros })
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Day {
        Day::parse(text).unwrap()
    }

    #[test]
    fn ordinals_round_trip() {
        for text in ["1970-01-01", "2000-02-29", "2024-12-31", "1899-03-01"] {
            assert_eq!(Day::from_ordinal(d(text).ordinal()), d(text));
        }
        assert_eq!(d("1970-01-02").ordinal(), 1);
        assert_eq!(d("2024-03-01").plus_days(-1), d("2024-02-29"));
    }

    #[test]
    fn months_add_the_current_months_length() {
        // core's datetimedelta: 31 January + 1 month = 31 January + 31 days.
        assert_eq!(d("2023-01-31").plus_months(1), d("2023-03-03"));
        assert_eq!(d("2024-01-15").plus_months(6), d("2024-07-15"));
    }

    #[test]
    fn stamps_parse_both_backends() {
        let pg = Stamp::parse("2024-05-06 10:11:12.5+00").unwrap();
        assert_eq!(pg.micros, ((10 * 60 + 11) * 60 + 12) * 1_000_000 + 500_000);
        assert_eq!(
            Stamp::parse("2024-05-06").unwrap(),
            d("2024-05-06").midnight()
        );
        assert!(Stamp::parse("2024-05-06T00:00:01").unwrap() > d("2024-05-06").midnight());
        assert!(d("2024-05-06").last_second() > Stamp::parse("2024-05-06 23:59:58").unwrap());
        assert_eq!(d("2000-05-07").years_until(d("2018-05-06")), 17);
        assert_eq!(d("2000-05-06").years_until(d("2018-05-06")), 18);
    }
}
