//! One case per rule of the policy value, each computed by hand from the original's
//! `values.py` (the reasoning beside each case); the first six are the original's
//! `test_values.py`, with the product's amounts read from the database (two places).

use super::*;
use crate::counts::{family_counts, Counts};

fn d(text: &str) -> Option<Decimal> {
    Some(Decimal::parse(text).expect(text))
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect(text)
}

/// test_new_policy_basis's product: no lump sum, 300/200, registration 250, assembly 130.
fn simple() -> Prices {
    Prices {
        lump_sum: d("0.00"),
        premium_adult: d("300.00"),
        premium_child: d("200.00"),
        registration_lump_sum: d("250.00"),
        general_assembly_lump_sum: d("130.00"),
        ..Prices::default()
    }
}

/// test_new_policy_lump_sum_and_cycles' product: lump sum 200, fees 10 and 5, cycles.
fn lump() -> Prices {
    Prices {
        lump_sum: d("200.00"),
        premium_adult: d("300.00"),
        premium_child: d("200.00"),
        registration_lump_sum: d("0.00"),
        registration_fee: d("10.00"),
        general_assembly_lump_sum: d("0.00"),
        general_assembly_fee: d("5.00"),
        has_cycle: true,
        ..Prices::default()
    }
}

/// (rule, prices, [adults, children, other adults, other children], max members, threshold,
/// stage, (enrolment, start, previous expiry), expected value)
type Case = (
    &'static str,
    Prices,
    [i64; 4],
    Option<i64>,
    Option<i64>,
    Stage,
    (&'static str, &'static str, Option<&'static str>),
    &'static str,
);

fn cases() -> Vec<Case> {
    let plain_dates = ("2020-11-10", "2020-11-10", None);
    let cycle_dates = ("2020-11-10", "2021-01-01", None);
    vec![
        // 2 adults × 300 + registration lump 250 + assembly lump 130 = 980.
        (
            "premiums per adult, lump-sum fees",
            simple(),
            [2, 0, 0, 0],
            Some(5),
            None,
            Stage::New,
            plain_dates,
            "980.00",
        ),
        // + 1 child × 200 = 1180.
        (
            "premiums per child",
            simple(),
            [2, 1, 0, 0],
            Some(5),
            None,
            Stage::New,
            plain_dates,
            "1180.00",
        ),
        // Lump sum 200 covers 2 adults (threshold 2); fees per member: 2 × 10 + 2 × 5 = 230.
        (
            "a lump sum, fees per member",
            lump(),
            [2, 0, 0, 0],
            Some(5),
            Some(2),
            Stage::New,
            cycle_dates,
            "230.00",
        ),
        // A child beyond the threshold: 200 + 1 × 200 + 3 × 10 + 3 × 5 = 445.
        (
            "a child beyond the threshold",
            lump(),
            [2, 1, 0, 0],
            Some(5),
            Some(2),
            Stage::New,
            cycle_dates,
            "445.00",
        ),
        // Threshold 1: the second adult is extra: 200 + 300 + 2 × 10 + 2 × 5 = 530.
        (
            "an adult beyond the threshold",
            lump(),
            [2, 0, 0, 0],
            Some(2),
            Some(1),
            Stage::New,
            cycle_dates,
            "530.00",
        ),
        // Max members 2 drops the child before pricing: still 530.
        (
            "members beyond the maximum",
            lump(),
            [2, 1, 0, 0],
            Some(2),
            Some(1),
            Stage::New,
            cycle_dates,
            "530.00",
        ),
        // Without a lump sum, adults beyond the threshold are not priced (the code's counts):
        // 3 adults, threshold 2 → 2 × 300 + 250 + 130 = 980.
        (
            "no lump sum: the threshold's extra unpriced",
            simple(),
            [3, 0, 0, 0],
            None,
            Some(2),
            Stage::New,
            plain_dates,
            "980.00",
        ),
        // Others are priced outside the lump sum: 200 + 1 × 300 + 1 × 200, fees 4 × 10 + 4 × 5.
        (
            "others priced beside the lump sum",
            lump(),
            [1, 1, 1, 1],
            None,
            Some(2),
            Stage::New,
            cycle_dates,
            "760.00",
        ),
        // ... and beside the premiums: 1 × 300 + 1 × 200 + 1 × 300 + 1 × 200 + 250 + 130.
        (
            "others priced beside the premiums",
            simple(),
            [1, 1, 1, 1],
            None,
            None,
            Stage::New,
            plain_dates,
            "1380.00",
        ),
        // A renewal pays no registration: 2 × 300 + 130 = 730.
        (
            "no registration on renewal",
            simple(),
            [2, 0, 0, 0],
            None,
            None,
            Stage::Renewed,
            plain_dates,
            "730.00",
        ),
        // Every amount absent or zero: Python's integers only, `Decimal(0)` → "0".
        (
            "nothing to price",
            Prices::default(),
            [2, 1, 0, 0],
            None,
            None,
            Stage::New,
            plain_dates,
            "0",
        ),
        // Enrolment discount 10 % for 1 month, cycles: start 2021-01-01 − 1 month = 2020-12-01;
        // enrolled 2020-11-10 <= it: 230 − 230 × 10 / 100 = 207.
        (
            "an enrolment discount",
            Prices {
                enrolment_discount: Some((10, 1)),
                ..lump()
            },
            [2, 0, 0, 0],
            None,
            Some(2),
            Stage::New,
            cycle_dates,
            "207.00",
        ),
        // Enrolled 2020-12-15, after 2020-12-01: no discount, 230.
        (
            "an enrolment discount missed",
            Prices {
                enrolment_discount: Some((10, 1)),
                ..lump()
            },
            [2, 0, 0, 0],
            None,
            Some(2),
            Stage::New,
            ("2020-12-15", "2021-01-01", None),
            "230.00",
        ),
        // The enrolment discount needs cycles: 980 undiscounted.
        (
            "no enrolment discount without cycles",
            Prices {
                enrolment_discount: Some((10, 1)),
                ..simple()
            },
            [2, 0, 0, 0],
            None,
            None,
            Stage::New,
            plain_dates,
            "980.00",
        ),
        // Renewal discount 10 % for 1 month: previous expiry 2021-12-31 + 1 day − 1 month =
        // 2021-12-01; enrolled 2021-11-20 <= it: 730 − 73 = 657.
        (
            "a renewal discount",
            Prices {
                renewal_discount: Some((10, 1)),
                ..simple()
            },
            [2, 0, 0, 0],
            None,
            None,
            Stage::Renewed,
            ("2021-11-20", "2022-01-01", Some("2021-12-31")),
            "657.00",
        ),
        // Enrolled 2021-12-20, after 2021-12-01: 730.
        (
            "a renewal discount missed",
            Prices {
                renewal_discount: Some((10, 1)),
                ..simple()
            },
            [2, 0, 0, 0],
            None,
            None,
            Stage::Renewed,
            ("2021-12-20", "2022-01-01", Some("2021-12-31")),
            "730.00",
        ),
        // A discount whose exact quotient has more places: 1234.56 × 7 / 100 = 86.4192;
        // 1234.56 − 86.4192 = 1148.1408 (Python keeps the four places).
        (
            "an exact quotient's places",
            Prices {
                lump_sum: d("1234.56"),
                has_cycle: true,
                enrolment_discount: Some((7, 1)),
                ..Prices::default()
            },
            [1, 0, 0, 0],
            None,
            None,
            Stage::New,
            cycle_dates,
            "1148.1408",
        ),
    ]
}

#[test]
fn the_value_follows_each_rule() {
    for (
        rule,
        prices,
        [a, c, oa, oc],
        max,
        threshold,
        stage,
        (enroll, start, previous),
        expected,
    ) in cases()
    {
        let raw = Counts {
            adults: a,
            children: c,
            other_adults: oa,
            other_children: oc,
        };
        let counts = family_counts(raw, max, threshold);
        let dates = Dates {
            enroll: day(enroll),
            start: day(start),
            previous_expiry: previous.map(day),
        };
        let got = value(&prices, &counts, stage, dates).expect(rule);
        assert_eq!(got.to_string(), expected, "{rule}");
    }
}

#[test]
fn a_renewal_discount_needs_the_previous_policy() {
    let prices = Prices {
        renewal_discount: Some((10, 1)),
        ..simple()
    };
    let counts = family_counts(
        Counts {
            adults: 1,
            ..Counts::default()
        },
        None,
        None,
    );
    let dates = Dates {
        enroll: day("2021-11-20"),
        start: day("2022-01-01"),
        previous_expiry: None,
    };
    let error = value(&prices, &counts, Stage::Renewed, dates).unwrap_err();
    assert_eq!(error, "'NoneType' object has no attribute 'expiry_date'");
}
