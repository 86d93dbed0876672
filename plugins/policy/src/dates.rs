//! A policy's start and expiry dates from its product (the original's `values.py`:
//! `set_start_date`, `cycle_start`, `set_expiry_date`), as pure functions. Months are added as
//! `relativedelta` adds them: the day is kept, or the month's last day when it has fewer.
//! The Nepali secondary calendar (`CoreConfig.secondary_calendar == 'Nepal'`) is not served:
//! cycles are read in the Gregorian calendar.

use chrono::{Datelike, Months, NaiveDate};

/// A policy's stage: `N` new, `R` renewed; another text is neither (the original compares).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    New,
    Renewed,
    Other,
}

impl Stage {
    pub fn of(text: &str) -> Stage {
        match text {
            "N" => Stage::New,
            "R" => Stage::Renewed,
            _ => Stage::Other,
        }
    }
}

/// What of a product the dates depend on (`tblProduct`'s columns as product's service answers
/// them; an absent or zero period is none, as Python's falsy values).
#[derive(Debug, Clone, Default)]
pub struct Periods {
    pub administration_period: Option<i64>,
    pub grace_period_enrolment: Option<i64>,
    pub grace_period_renewal: Option<i64>,
    /// `start_cycle_1..4`, "DD-MM".
    pub start_cycles: [Option<String>; 4],
    pub insurance_period: i64,
}

impl Periods {
    /// `Product.has_cycle()`: any start cycle set.
    pub fn has_cycle(&self) -> bool {
        self.start_cycles
            .iter()
            .any(|c| c.as_deref().is_some_and(|c| !c.is_empty()))
    }
}

/// `date + months` (negative: back), the day clamped to the month's end.
pub fn add_months(date: NaiveDate, months: i64) -> NaiveDate {
    let n = Months::new(months.unsigned_abs().min(u32::MAX as u64) as u32);
    let moved = match months >= 0 {
        true => date.checked_add_months(n),
        false => date.checked_sub_months(n),
    };
    moved.unwrap_or(date)
}

/// A start cycle "DD-MM" in `year` (`strptime("%d-%m-%Y")`).
fn cycle_in(cycle: &str, year: i32) -> Result<NaiveDate, String> {
    let text = format!("{cycle}-{year}");
    NaiveDate::parse_from_str(&text, "%d-%m-%Y")
        .map_err(|_| format!("time data '{text}' does not match format '%d-%m-%Y'"))
}

/// `set_start_date`: the enrolment date, moved by the administration period for a new
/// policy; with cycles, the first of the product's cycles (in their order 1..4) on or after
/// that date less the grace period, in that date's year, else cycle 1 of the next year.
pub fn start_date(periods: &Periods, stage: Stage, enroll: NaiveDate) -> Result<NaiveDate, String> {
    let mut reference = enroll;
    if let (Stage::New, Some(months)) = (stage, periods.administration_period) {
        reference = add_months(reference, months);
    }
    if !periods.has_cycle() {
        return Ok(reference);
    }
    let grace = match stage {
        Stage::New => periods.grace_period_enrolment,
        Stage::Renewed => periods.grace_period_renewal,
        Stage::Other => None,
    };
    let reference = add_months(reference, -grace.unwrap_or(0));
    for cycle in periods.start_cycles.iter().flatten() {
        if cycle.is_empty() {
            continue;
        }
        let start = cycle_in(cycle, reference.year())?;
        if reference <= start {
            return Ok(start);
        }
    }
    // The original formats `start_cycle_1` even when it is empty, and fails the same way.
    let first = periods.start_cycles[0].as_deref().unwrap_or("None");
    cycle_in(first, reference.year() + 1)
}

/// `set_expiry_date`: start + the insurance period (in years when a multiple of 12) − 1 day.
pub fn expiry_date(start: NaiveDate, insurance_period: i64) -> NaiveDate {
    // relativedelta(years=n) and relativedelta(months=12n) land on the same day.
    let end = add_months(start, insurance_period);
    end.pred_opt().unwrap_or(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect(text)
    }

    fn cycles(list: &[&str]) -> [Option<String>; 4] {
        let mut out: [Option<String>; 4] = Default::default();
        for (slot, c) in out.iter_mut().zip(list) {
            *slot = Some((*c).to_owned());
        }
        out
    }

    /// (rule, periods, stage, enrolment date, expected start, expected expiry)
    type Case = (
        &'static str,
        Periods,
        Stage,
        &'static str,
        &'static str,
        &'static str,
    );

    fn cases() -> Vec<Case> {
        let plain = Periods {
            insurance_period: 12,
            ..Periods::default()
        };
        let cycled = Periods {
            grace_period_enrolment: Some(1),
            grace_period_renewal: Some(2),
            start_cycles: cycles(&["01-01", "01-06"]),
            insurance_period: 12,
            ..Periods::default()
        };
        vec![
            // No cycle: start = enrolment; 12 months = 1 year: 2020-11-10 + 1y − 1d = 2021-11-09
            // (the original's test_new_policy_basis).
            (
                "no cycle",
                plain.clone(),
                Stage::New,
                "2020-11-10",
                "2020-11-10",
                "2021-11-09",
            ),
            // The first of a month: 2020-11-01 + 1y − 1d = 2021-10-31 (same test, second part).
            (
                "no cycle, first of a month",
                plain.clone(),
                Stage::New,
                "2020-11-01",
                "2020-11-01",
                "2021-10-31",
            ),
            // Cycles 01-01, 01-06, grace 1 month: reference 2020-10-10; 01-01-2020 < it,
            // 01-06-2020 < it: none this year, so cycle 1 of 2021 (test_new_policy_lump_sum_and_cycles).
            (
                "no cycle left this year: cycle 1 of the next",
                cycled.clone(),
                Stage::New,
                "2020-11-10",
                "2021-01-01",
                "2021-12-31",
            ),
            // Enrolled 2021-01-11, grace 1 month: reference 2020-12-11, in 2020; 01-01-2020 and
            // 01-06-2020 are before it, so cycle 1 of 2021 (the same test's second part: "shift
            // date in 1st cycle grace period").
            (
                "within the grace period of a cycle",
                cycled.clone(),
                Stage::New,
                "2021-01-11",
                "2021-01-01",
                "2021-12-31",
            ),
            // Enrolled 2021-03-15, grace 1: reference 2021-02-15; 01-01-2021 is before it,
            // 01-06-2021 after: cycle 2.
            (
                "the next cycle of the year",
                cycled.clone(),
                Stage::New,
                "2021-03-15",
                "2021-06-01",
                "2022-05-31",
            ),
            // Enrolled exactly on a cycle + grace: 2021-07-01 − 1 month = 2021-06-01 <= 01-06: cycle 2.
            (
                "a cycle on the reference day",
                cycled.clone(),
                Stage::New,
                "2021-07-01",
                "2021-06-01",
                "2022-05-31",
            ),
            // A renewal takes the renewal grace (2 months): 2021-07-20 − 2 = 2021-05-20 → 01-06-2021.
            (
                "renewal grace",
                cycled.clone(),
                Stage::Renewed,
                "2021-07-20",
                "2021-06-01",
                "2022-05-31",
            ),
            // The same date as a new policy (grace 1): 2021-06-20 → after both cycles → 2022-01-01.
            (
                "enrolment grace on the same date",
                cycled.clone(),
                Stage::New,
                "2021-07-20",
                "2022-01-01",
                "2022-12-31",
            ),
            // Administration period 1 month, cycles, grace 1, 6 months: 2021-01-10 + 1 = 2021-02-10,
            // − 1 = 2021-01-10: after 01-01, before 01-06 → 2021-06-01; + 6 months − 1 day =
            // 2021-11-30 (test_new_policy_admin_period_max_members_insurance_period).
            (
                "administration period",
                Periods {
                    administration_period: Some(1),
                    insurance_period: 6,
                    ..cycled.clone()
                },
                Stage::New,
                "2021-01-10",
                "2021-06-01",
                "2021-11-30",
            ),
            // Same product, 2021-12-11: + 1 = 2022-01-11, − 1 = 2021-12-11 → none in 2021 →
            // 01-01-2022; expiry 2022-06-30 (the same test's second part).
            (
                "administration period into the next year",
                Periods {
                    administration_period: Some(1),
                    insurance_period: 6,
                    ..cycled.clone()
                },
                Stage::New,
                "2021-12-11",
                "2022-01-01",
                "2022-06-30",
            ),
            // A renewal has no administration period: 2021-01-10 − 2 = 2020-11-10 → 2021-01-01.
            (
                "no administration period on renewal",
                Periods {
                    administration_period: Some(1),
                    insurance_period: 6,
                    ..cycled.clone()
                },
                Stage::Renewed,
                "2021-01-10",
                "2021-01-01",
                "2021-06-30",
            ),
            // Cycles are taken in their order, not sorted: 01-06 first, then 01-01: 2021-02-15
            // (grace 0) → 01-06-2021 comes first and qualifies.
            (
                "cycles in their order",
                Periods {
                    start_cycles: cycles(&["01-06", "01-01"]),
                    insurance_period: 12,
                    ..Periods::default()
                },
                Stage::New,
                "2021-02-15",
                "2021-06-01",
                "2022-05-31",
            ),
            // Month-end clamping: administration 1 month from 2021-01-31 → 2021-02-28.
            (
                "a month's last day",
                Periods {
                    administration_period: Some(1),
                    insurance_period: 1,
                    ..Periods::default()
                },
                Stage::New,
                "2021-01-31",
                "2021-02-28",
                "2021-03-27",
            ),
            // 18 months is not a multiple of 12: months. 2020-02-29 + 18 = 2021-08-29 − 1.
            (
                "an insurance period in months",
                Periods {
                    insurance_period: 18,
                    ..Periods::default()
                },
                Stage::New,
                "2020-02-29",
                "2020-02-29",
                "2021-08-28",
            ),
            // 12 months from a 29 February: 2021-02-28 − 1 day = 2021-02-27 (relativedelta(years=1)).
            (
                "a leap day plus a year",
                plain.clone(),
                Stage::New,
                "2020-02-29",
                "2020-02-29",
                "2021-02-27",
            ),
            // Another stage: no administration period, no grace.
            (
                "another stage",
                Periods {
                    administration_period: Some(1),
                    ..cycled
                },
                Stage::Other,
                "2021-06-01",
                "2021-06-01",
                "2022-05-31",
            ),
        ]
    }

    #[test]
    fn start_and_expiry_follow_each_rule() {
        for (rule, periods, stage, enroll, start, expiry) in cases() {
            let got = start_date(&periods, stage, day(enroll)).expect(rule);
            assert_eq!(got, day(start), "{rule}: start");
            assert_eq!(
                expiry_date(got, periods.insurance_period),
                day(expiry),
                "{rule}: expiry"
            );
        }
    }

    #[test]
    fn a_malformed_cycle_is_the_originals_error() {
        let periods = Periods {
            start_cycles: cycles(&["31-02"]),
            insurance_period: 12,
            ..Periods::default()
        };
        let error = start_date(&periods, Stage::New, day("2021-01-01")).unwrap_err();
        assert_eq!(
            error,
            "time data '31-02-2021' does not match format '%d-%m-%Y'"
        );
        // Only cycle 2 set, none left this year: cycle 1 ("None") of the next year fails.
        let mut only_second: [Option<String>; 4] = Default::default();
        only_second[1] = Some("01-02".into());
        let periods = Periods {
            start_cycles: only_second,
            insurance_period: 12,
            ..Periods::default()
        };
        assert!(start_date(&periods, Stage::New, day("2021-03-01")).is_err());
    }
}
