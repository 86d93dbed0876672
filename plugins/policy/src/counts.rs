//! A family's members counted as the policy value counts them (the original's `values.py`:
//! `count_member`, `family_counts`): adults and children against the majority date, capped at
//! the product's maximum of members, then split by its threshold.
//!
//! Where the spec and the original's code differ, the code is followed:
//! - An adult is born strictly *before* the majority date (`dob >= majority_date` is a child),
//!   where the spec says "on or before".
//! - "Other" (not related to the head, relation 7) never counts: the original compares the
//!   member's `relationship` (a `Relation` instance or `None`) with the integer 7, which is
//!   never equal, so every member is "related". `other_*` stay in the capping and pricing
//!   formulas (and their tests), always zero when counted from members.

use chrono::NaiveDate;

/// A member as the count reads it: its birth date (its relation never counts, see above).
#[derive(Debug, Clone)]
pub struct Member {
    pub dob: Option<NaiveDate>,
}

/// Members by age and relation, before any cap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub adults: i64,
    pub children: i64,
    pub other_adults: i64,
    pub other_children: i64,
}

/// `family_counts`' answer: what the lump sum covers, what is priced beyond it, the total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FamilyCounts {
    pub adults: i64,
    pub extra_adults: i64,
    pub other_adults: i64,
    pub children: i64,
    pub extra_children: i64,
    pub other_children: i64,
    pub total: i64,
}

/// Whether a member counts as "other" (see the module's note: never, in the original).
fn is_other(_member: &Member) -> bool {
    false
}

/// `count_member` over the members; a member without a birth date is the original's
/// `TypeError` (it compares `None` with a date).
pub fn count(members: &[Member], majority_date: NaiveDate) -> Result<Counts, String> {
    let mut counts = Counts::default();
    for member in members {
        let dob = member.dob.ok_or_else(|| {
            "'>=' not supported between instances of 'NoneType' and 'datetime.date'".to_owned()
        })?;
        let child = dob >= majority_date;
        let slot = match (is_other(member), child) {
            (false, false) => &mut counts.adults,
            (false, true) => &mut counts.children,
            (true, false) => &mut counts.other_adults,
            (true, true) => &mut counts.other_children,
        };
        *slot += 1;
    }
    Ok(counts)
}

/// `family_counts`: caps at `max_members` (adults first, then children, other children, other
/// adults), then splits by `threshold` (adults beyond it are extra; children beyond it,
/// counted after the remaining adults, are extra). Zero or absent means no cap / threshold.
pub fn family_counts(
    raw: Counts,
    max_members: Option<i64>,
    threshold: Option<i64>,
) -> FamilyCounts {
    let Counts {
        mut adults,
        mut children,
        mut other_adults,
        mut other_children,
    } = raw;
    if let Some(max) = max_members.filter(|&m| m != 0) {
        let over_adults = (adults - max).max(0);
        let over_children = (adults + children - over_adults - max).max(0);
        let over_other_children =
            (adults + children + other_children - over_adults - over_children - max).max(0);
        let over_other_adults = (adults + other_adults + children + other_children
            - over_adults
            - over_other_children
            - over_children
            - max)
            .max(0);
        adults -= over_adults;
        children -= over_children;
        other_children -= over_other_children;
        other_adults -= over_other_adults;
    }
    let (mut extra_adults, mut extra_children) = (0, 0);
    if let Some(threshold) = threshold.filter(|&t| t != 0) {
        extra_adults = (adults - threshold).max(0);
        extra_children = (children + adults - extra_adults - threshold).max(0);
    }
    FamilyCounts {
        adults: adults - extra_adults,
        extra_adults,
        other_adults,
        children: children - extra_children,
        extra_children,
        other_children,
        total: adults + other_adults + children + other_children,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect(text)
    }

    /// A member; the relation is the one the original compares with 7, to no effect.
    fn member(dob: &str, _relationship: Option<i64>) -> Member {
        Member {
            dob: Some(day(dob)),
        }
    }

    #[test]
    fn members_are_counted_against_the_majority_date() {
        let majority = day("2007-06-01");
        let members = [
            member("1985-05-05", None),    // the head: adult
            member("1989-09-09", Some(8)), // a spouse: adult
            member("2007-05-31", Some(4)), // a day before the majority date: adult
            member("2007-06-01", Some(4)), // on the majority date: a child in the code
            member("2015-01-01", Some(7)), // relation 7: still "related" in the code
            member("1970-01-01", Some(7)), // relation 7, adult: related too
        ];
        let counts = count(&members, majority).unwrap();
        assert_eq!(
            counts,
            Counts {
                adults: 4,
                children: 2,
                other_adults: 0,
                other_children: 0
            }
        );
        let missing = [Member { dob: None }];
        assert!(
            count(&missing, majority).is_err(),
            "the original's TypeError"
        );
    }

    /// (rule, raw counts [adults, children, other adults, other children], max members,
    /// threshold, expected [adults, extra adults, other adults, children, extra children,
    /// other children, total])
    type Case = (&'static str, [i64; 4], Option<i64>, Option<i64>, [i64; 7]);

    const CASES: &[Case] = &[
        // Nothing capped, no threshold: all in the base counts. total 2 + 1 = 3.
        (
            "no cap, no threshold",
            [2, 1, 0, 0],
            None,
            None,
            [2, 0, 0, 1, 0, 0, 3],
        ),
        // Zero is no cap (Python's falsy 0).
        (
            "a zero cap is none",
            [2, 1, 0, 0],
            Some(0),
            Some(0),
            [2, 0, 0, 1, 0, 0, 3],
        ),
        // Max 2 with 2 adults + 1 child: over_adults = max(0, 2−2) = 0; over_children =
        // max(0, 2+1−0−2) = 1: the child is dropped; total 2 (the original's third test).
        (
            "the cap drops children after adults",
            [2, 1, 0, 0],
            Some(2),
            None,
            [2, 0, 0, 0, 0, 0, 2],
        ),
        // Max 2 with 3 adults: over_adults = 1, over_children = max(0, 3+1−1−2) = 1.
        (
            "the cap drops adults first",
            [3, 1, 0, 0],
            Some(2),
            None,
            [2, 0, 0, 0, 0, 0, 2],
        ),
        // Max 4: 2 adults, 1 child, 2 other children, 1 other adult: over_adults 0,
        // over_children max(0, 3−4) = 0, over_other_children max(0, 5−4) = 1,
        // over_other_adults max(0, 6−0−1−0−4) = 1: one other child, no other adult kept.
        (
            "then other children, then other adults",
            [2, 1, 1, 2],
            Some(4),
            None,
            [2, 0, 0, 1, 0, 1, 4],
        ),
        // Threshold 2 with 2 adults + 1 child: extra_adults max(0, 2−2) = 0; extra_children
        // max(0, 1+2−0−2) = 1 (the original's second test: the child beyond the threshold).
        (
            "a child beyond the threshold",
            [2, 1, 0, 0],
            None,
            Some(2),
            [2, 0, 0, 0, 1, 0, 3],
        ),
        // Threshold 1 with 3 adults, 2 children: extra_adults 2; extra_children
        // max(0, 2+3−2−1) = 2: only one adult in the base.
        (
            "adults beyond the threshold",
            [3, 2, 0, 0],
            None,
            Some(1),
            [1, 2, 0, 0, 2, 0, 5],
        ),
        // Cap 2, threshold 1, 2 adults + 1 child: cap drops the child, then 1 extra adult
        // (the original's third test: 200 + 300 for the adult beyond the threshold).
        (
            "cap then threshold",
            [2, 1, 0, 0],
            Some(2),
            Some(1),
            [1, 1, 0, 0, 0, 0, 2],
        ),
        // Others are never in the threshold: 1 adult, 2 other adults, threshold 1.
        (
            "others outside the threshold",
            [1, 0, 2, 1],
            None,
            Some(1),
            [1, 0, 2, 0, 0, 1, 4],
        ),
    ];

    #[test]
    fn caps_and_thresholds_follow_each_rule() {
        for (rule, [a, c, oa, oc], max, threshold, expected) in CASES {
            let raw = Counts {
                adults: *a,
                children: *c,
                other_adults: *oa,
                other_children: *oc,
            };
            let got = family_counts(raw, *max, *threshold);
            let got = [
                got.adults,
                got.extra_adults,
                got.other_adults,
                got.children,
                got.extra_children,
                got.other_children,
                got.total,
            ];
            assert_eq!(&got, expected, "{rule}");
        }
    }
}
