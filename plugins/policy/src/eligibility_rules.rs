//! The arithmetic of the original's `NativeEligibilityService` (policy/services.py), without
//! any read: an item's or service's waiting-period end and remaining limit over the groups of
//! its query (`get_eligibility`), the remaining counts of a product (`total_*_left`), and
//! whether an item or a service is covered now (`is_item_ok`, `is_service_ok`).

use chrono::NaiveDate;

/// One group of `get_eligibility`'s query: `(insuree policy's effective date, product,
/// waiting period, limit)`, its `min_date` (effective date + waiting period, in months) and
/// `left` (the limit less the quantities claimed; `None` without a limit).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Group {
    pub min_date: Option<NaiveDate>,
    pub left: Option<f64>,
}

/// `get_eligibility`'s answer from its groups: `min_date` the earliest end of a waiting period
/// already over (else the earliest one); `left` none when a group whose waiting period is
/// over has no limit, else the largest `left` of the groups whose waiting period is over or
/// unknown. No group (no claim of the item or service: the query's inner joins) answers
/// nothing.
pub fn limits(groups: &[Group], today: NaiveDate) -> (Option<NaiveDate>, Option<f64>) {
    let over = |g: &&Group| g.min_date.is_some_and(|d| d <= today);
    let min_date = groups
        .iter()
        .filter(over)
        .filter_map(|g| g.min_date)
        .min()
        .or_else(|| groups.iter().filter_map(|g| g.min_date).min());
    if groups.iter().filter(over).any(|g| g.left.is_none()) {
        return (min_date, None);
    }
    let left = groups
        .iter()
        .filter(|g| g.min_date.is_none_or(|d| d <= today))
        .filter_map(|g| g.left)
        .fold(None, |max: Option<f64>, l| {
            Some(max.map_or(l, |m| m.max(l)))
        });
    (min_date, left)
}

/// `max − used`, none without a maximum, a negative remainder answered as 0.
pub fn left(max: Option<i64>, used: i64) -> Option<i64> {
    max.map(|m| (m - used).max(0))
}

/// graphene's `Int` of a remainder (`int(Decimal)`: truncated towards zero), computed at the
/// quantities' two decimals.
pub fn as_int(left: Option<f64>) -> Option<i64> {
    left.map(|l| ((l * 100.0).round() / 100.0).trunc() as i64)
}

/// Whether a waiting period ends after today (`min_date > now`).
fn waiting(min_date: Option<NaiveDate>, today: NaiveDate) -> bool {
    min_date.is_some_and(|d| d > today)
}

/// `is_item_ok`: no limit used up, no waiting period running.
pub fn item_ok(left: Option<f64>, min_date: Option<NaiveDate>, today: NaiveDate) -> bool {
    !(left == Some(0.0) || waiting(min_date, today))
}

/// What `is_service_ok` reads for a surgery, consultation or delivery: the product's count of
/// that category left and its amount.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Category {
    pub total_left: Option<i64>,
    pub amount: Option<f64>,
}

/// `is_service_ok` of a requested service: for a surgery, consultation or delivery (`category`
/// given) none of that category left or an amount at or below 0 also refuses; any other
/// category only looks at the service's limit and waiting period.
pub fn service_ok(
    category: Option<Category>,
    left: Option<f64>,
    min_date: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    let refused = left == Some(0.0) || waiting(min_date, today);
    let by_category =
        category.is_some_and(|c| c.total_left == Some(0) || c.amount.is_some_and(|a| a <= 0.0));
    !(refused || by_category)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn group(min_date: Option<&str>, left: Option<f64>) -> Group {
        Group {
            min_date: min_date.map(day),
            left,
        }
    }

    #[test]
    fn limits_follow_get_eligibility() {
        let today = day("2024-06-15");
        type Case = (&'static str, Vec<Group>, Option<&'static str>, Option<f64>);
        let cases: Vec<Case> = vec![
            ("no claim: nothing", vec![], None, None),
            (
                "limit 12, 7 claimed, no waiting",
                vec![group(Some("2024-06-01"), Some(5.0))],
                Some("2024-06-01"),
                Some(5.0),
            ),
            (
                "waiting until July: its date, no limit counted",
                vec![group(Some("2024-07-01"), Some(5.0))],
                Some("2024-07-01"),
                None,
            ),
            (
                "a group over without limit: unlimited",
                vec![
                    group(Some("2024-01-01"), None),
                    group(Some("2024-02-01"), Some(3.0)),
                ],
                Some("2024-01-01"),
                None,
            ),
            (
                "two waiting periods, one over: its date and its left",
                vec![
                    group(Some("2024-09-01"), Some(9.0)),
                    group(Some("2024-03-01"), Some(2.0)),
                ],
                Some("2024-03-01"),
                Some(2.0),
            ),
            (
                "the largest left of the groups over or unknown",
                vec![
                    group(None, Some(8.0)),
                    group(Some("2024-03-01"), Some(-1.0)),
                    group(Some("2024-12-01"), Some(20.0)),
                ],
                Some("2024-03-01"),
                Some(8.0),
            ),
            (
                "a group of unknown date without limit does not make it unlimited",
                vec![group(None, None), group(Some("2024-03-01"), Some(1.0))],
                Some("2024-03-01"),
                Some(1.0),
            ),
        ];
        for (name, groups, min_date, left) in cases {
            assert_eq!(limits(&groups, today), (min_date.map(day), left), "{name}");
        }
    }

    #[test]
    fn remainders_and_verdicts() {
        let today = day("2024-06-15");
        for (max, used, expected) in [
            (None, 3, None),
            (Some(5), 3, Some(2)),
            (Some(2), 3, Some(0)),
            (Some(0), 0, Some(0)),
        ] {
            assert_eq!(left(max, used), expected, "{max:?} − {used}");
        }
        for (raw, int) in [
            (None, None),
            (Some(5.0), Some(5)),
            (Some(4.999999), Some(5)),
        ] {
            assert_eq!(as_int(raw), int);
        }
        assert_eq!(as_int(Some(-1.5)), Some(-1));
        let soon = Some(day("2024-07-01"));
        let past = Some(day("2024-06-15"));
        for (left, min_date, ok) in [
            (None, None, true),
            (Some(0.0), None, false),
            (Some(1.0), soon, false),
            (Some(1.0), past, true),
            (Some(-2.0), None, true),
        ] {
            assert_eq!(item_ok(left, min_date, today), ok, "{left:?} {min_date:?}");
        }
        let surgery = |total_left, amount| Some(Category { total_left, amount });
        for (category, left, min_date, ok) in [
            (None, None, None, true),
            (None, Some(0.0), None, false),
            (None, None, soon, false),
            (surgery(None, None), Some(3.0), past, true),
            (surgery(Some(0), None), Some(3.0), None, false),
            (surgery(Some(1), Some(0.0)), None, None, false),
            (surgery(Some(1), Some(10.0)), None, None, true),
        ] {
            assert_eq!(
                service_ok(category, left, min_date, today),
                ok,
                "{category:?} {left:?} {min_date:?}"
            );
        }
    }
}
