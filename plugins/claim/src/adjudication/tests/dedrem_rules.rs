//! One case per ded/rem rule: deductibles and ceilings per treatment, insuree and policy,
//! general, in-patient and out-patient; the policy ceiling's extra members and cap; category
//! ceilings; ceiling exclusions; co-insurance and fixed limits; relative prices; several
//! policies. Each on an item (line 10) and a service (line 11), 7 × 100 each, processed.

use super::super::outcome::{status, DedRemRow, Run, PYTHON_EXCEPTION};
use super::super::validate::validate;
use super::*;

fn two() -> Fx {
    Fx::new().item(300).service(200, "V")
}

/// A line's (deducted, valuated, remunerated, exceed ceiling).
type Amounts = (&'static str, &'static str, &'static str, &'static str);

struct Case {
    name: &'static str,
    fx: fn() -> Fx,
    /// ded_g, rem_g, and whether the row is in-patient (ded_ip/rem_ip) or out-patient.
    row: (&'static str, &'static str, bool),
    item: Amounts,
    service: Amounts,
}

const PLAIN: Amounts = ("0", "700", "700", "0");

fn row(case: &Case) -> DedRemRow {
    let (ded, rem, ip) = case.row;
    let both = (Some(a(ded)), Some(a(rem)));
    let (ip, op) = if ip {
        (both, (None, None))
    } else {
        ((None, None), both)
    };
    DedRemRow {
        policy_id: POLICY,
        ded_g: a(ded),
        rem_g: a(rem),
        ded_ip: ip.0,
        rem_ip: ip.1,
        ded_op: op.0,
        rem_op: op.1,
        ..DedRemRow::default()
    }
}

fn earlier(insuree: i32, ded_g: &str, rem_g: &str) -> EarlierDedRem {
    EarlierDedRem {
        policy_id: POLICY,
        insuree_id: Some(insuree),
        ded_g: Some(a(ded_g)),
        rem_g: Some(a(rem_g)),
        ..EarlierDedRem::default()
    }
}

fn inpatient(c: &mut Context) {
    c.claim.date_to = Some(d("2024-06-12"));
}

const CASES: &[Case] = &[
    Case {
        name: "no deductible, no ceiling",
        fx: two,
        row: ("0", "1400", false),
        item: PLAIN,
        service: PLAIN,
    },
    Case {
        name: "deductible per treatment",
        fx: || two().product(|p| p.ded_treatment = Some(a("300"))),
        row: ("300", "1100", false),
        item: ("300", "400", "400", "0"),
        service: PLAIN,
    },
    Case {
        name: "a line deducted in full keeps its value (the original's)",
        fx: || two().product(|p| p.ded_treatment = Some(a("1000"))),
        row: ("1000", "1100", false),
        item: ("700", "700", "700", "0"),
        service: ("300", "400", "400", "0"),
    },
    Case {
        name: "deductible per insuree, less the insuree's earlier use",
        fx: || {
            two()
                .product(|p| p.ded_insuree = Some(a("500")))
                .with(|c| c.earlier_dedrems = vec![earlier(3, "200", "0"), earlier(99, "100", "0")])
        },
        row: ("300", "1100", false),
        item: ("300", "400", "400", "0"),
        service: PLAIN,
    },
    Case {
        name: "deductible per policy, less every earlier use",
        fx: || {
            two()
                .product(|p| p.ded_policy = Some(a("500")))
                .with(|c| c.earlier_dedrems = vec![earlier(3, "200", "0"), earlier(99, "100", "0")])
        },
        row: ("200", "1200", false),
        item: ("200", "500", "500", "0"),
        service: PLAIN,
    },
    Case {
        name: "ceiling per treatment",
        fx: || two().product(|p| p.max_treatment = Some(a("1000"))),
        row: ("0", "1000", false),
        item: PLAIN,
        service: ("0", "300", "300", "400"),
    },
    Case {
        name: "ceiling per insuree, less the insuree's earlier use",
        fx: || {
            two()
                .product(|p| p.max_insuree = Some(a("1000")))
                .with(|c| c.earlier_dedrems = vec![earlier(3, "0", "500"), earlier(99, "0", "450")])
        },
        row: ("0", "500", false),
        item: ("0", "500", "500", "200"),
        service: ("0", "0", "0", "700"),
    },
    Case {
        name: "policy ceiling plus extra members, capped",
        fx: || {
            two().product(|p| {
                p.max_policy = Some(a("800"));
                p.threshold = Some(0);
                p.max_policy_extra_member = Some(a("100"));
                p.max_ceiling_policy = Some(a("850"));
            })
        },
        row: ("0", "850", false),
        item: PLAIN,
        service: ("0", "150", "150", "550"),
    },
    Case {
        name: "policy ceiling at its threshold",
        fx: || {
            two().product(|p| {
                p.max_policy = Some(a("800"));
                p.threshold = Some(1);
                p.max_policy_extra_member = Some(a("100"));
            })
        },
        row: ("0", "800", false),
        item: PLAIN,
        service: ("0", "100", "100", "600"),
    },
    Case {
        name: "in-patient deductible and ceiling (interpretation I, dateTo set)",
        fx: || {
            two()
                .product(|p| {
                    p.ceiling_interpretation = Some("I".into());
                    p.ded_ip_treatment = Some(a("100"));
                    p.max_ip_treatment = Some(a("1000"));
                    p.max_op_treatment = Some(a("50"));
                })
                .with(inpatient)
        },
        row: ("100", "1000", true),
        item: ("100", "600", "600", "0"),
        service: ("0", "400", "400", "300"),
    },
    Case {
        name: "hospital ceiling at a hospital (interpretation H, level H)",
        fx: || {
            two()
                .product(|p| {
                    p.ceiling_interpretation = Some("H".into());
                    p.max_ip_treatment = Some(a("500"));
                    p.max_op_treatment = Some(a("1000"));
                })
                .with(|c| c.facility.level = Some("H".into()))
        },
        row: ("0", "500", true),
        item: ("0", "500", "500", "200"),
        service: ("0", "0", "0", "700"),
    },
    Case {
        name: "out-patient deductible and ceiling",
        fx: || {
            two().product(|p| {
                p.ceiling_interpretation = Some("I".into());
                p.ded_op_insuree = Some(a("50"));
                p.max_op_treatment = Some(a("1000"));
                p.max_ip_treatment = Some(a("10"));
            })
        },
        row: ("50", "1000", false),
        item: ("50", "650", "650", "0"),
        service: ("0", "350", "350", "350"),
    },
    Case {
        name: "out-patient policy ceiling with a null threshold",
        fx: || {
            two().product(|p| {
                p.threshold = None;
                p.max_op_policy = Some(a("900"));
                p.max_policy_extra_member_op = Some(a("100"));
            })
        },
        row: ("0", "900", false),
        item: PLAIN,
        service: ("0", "200", "200", "500"),
    },
    Case {
        name: "category ceiling (delivery 55)",
        fx: || {
            two()
                .product(|p| p.max_amount_delivery = Some(a("55")))
                .with(|c| {
                    c.price_listed
                        .insert((Kind::Service, 200), Some("D".into()));
                })
        },
        row: ("0", "55", false),
        item: ("0", "55", "55", "0"),
        service: ("0", "0", "0", "0"),
    },
    Case {
        name: "no category ceiling for visits",
        fx: || two().product(|p| p.max_amount_consultation = Some(a("55"))),
        row: ("0", "1400", false),
        item: PLAIN,
        service: PLAIN,
    },
    Case {
        name: "ceiling exclusion (adult, out-patient N)",
        fx: || {
            two()
                .product(|p| p.max_treatment = Some(a("1000")))
                .with(|c| {
                    c.product_lines.get_mut(&Kind::Item).unwrap()[0].ceiling_exclusion_adult =
                        Some("N".into())
                })
        },
        row: ("0", "700", false),
        item: PLAIN,
        service: PLAIN,
    },
    Case {
        name: "a child's exclusion is never read (`is_adult` is not called)",
        fx: || {
            two()
                .product(|p| p.max_treatment = Some(a("1000")))
                .with(|c| {
                    c.insuree.dob = Some(d("2020-01-01"));
                    c.product_lines.get_mut(&Kind::Item).unwrap()[0].ceiling_exclusion_child =
                        Some("B".into())
                })
        },
        row: ("0", "1000", false),
        item: PLAIN,
        service: ("0", "300", "300", "400"),
    },
    Case {
        name: "co-insurance 80 %",
        fx: || two().product_lines(|l| l.limits[0].limit_adult = Some(a("80"))),
        row: ("0", "1120", false),
        item: ("0", "560", "560", "0"),
        service: ("0", "560", "560", "0"),
    },
    Case {
        name: "fixed limit of 50 a unit",
        fx: || {
            two().product_lines(|l| {
                l.limits[0].limitation_type = Some("F".into());
                l.limits[0].limit_adult = Some(a("50"));
            })
        },
        row: ("0", "700", false),
        item: ("0", "350", "350", "0"),
        service: ("0", "350", "350", "0"),
    },
    Case {
        name: "int() drops a line value's fraction",
        fx: || {
            two().with(|c| {
                c.lines[0].state.qty_provided = a("1.5");
                c.price_overrule.insert((Kind::Item, 300), Some(a("3.33")));
            })
        },
        row: ("0", "704", false),
        item: ("0", "4", "4", "0"),
        service: PLAIN,
    },
    Case {
        name: "the claim's price for a claim-priced line (origin O)",
        fx: || two().product_lines(|l| l.price_origin = Some("O".into())),
        row: ("0", "154", false),
        item: ("0", "77", "77", "0"),
        service: ("0", "77", "77", "0"),
    },
    Case {
        name: "an approved price and quantity",
        fx: || {
            two().with(|c| {
                c.lines[0].state.price_approved = Some(a("37"));
                c.lines[0].state.qty_approved = Some(a("1"));
            })
        },
        row: ("0", "737", false),
        item: ("0", "37", "37", "0"),
        service: PLAIN,
    },
];

#[test]
fn every_dedrem_rule() {
    for case in CASES {
        let fx = (case.fx)();
        let v = validate(&fx.ctx, Run::processing(true, -1))
            .unwrap_or_else(|e| panic!("{}: {e:?}", case.name));
        assert!(v.errors.is_empty(), "{}: {:?}", case.name, v.errors);
        let done = v.dedrem.as_ref().expect("ded/rem ran");
        let mut rows = done.rows.clone();
        if case.name.starts_with("category ceiling") {
            assert_eq!(rows[0].rem_delivery, a("55"), "{}: rem_delivery", case.name);
            rows[0].rem_delivery = Amount::ZERO;
        }
        assert_eq!(rows, vec![row(case)], "{}: row", case.name);
        for (id, (ded, val, rem, exceed)) in [(10, case.item), (11, case.service)] {
            let s = line_state(&fx, &v, id);
            let got = (
                s.deductable_amount,
                s.price_valuated,
                s.remunerated_amount,
                s.exceed_ceiling_amount,
            );
            let want = (Some(a(ded)), Some(a(val)), Some(a(rem)), Some(a(exceed)));
            assert_eq!(got, want, "{}: line {id}", case.name);
        }
        assert_eq!(v.status, status::VALUATED, "{}", case.name);
        let processed = v.claim.processed.as_ref().unwrap();
        assert_eq!(processed.approved, a(case.row.1), "{}: approved", case.name);
        assert_eq!(processed.remunerated, Some(a(case.row.1)), "{}", case.name);
    }
}

#[test]
fn relative_prices_leave_the_claim_processed() {
    let fx = two()
        .product_lines(|l| l.price_origin = Some("R".into()))
        .with(|c| c.claim.feedback_status = Some(4));
    let v = fx.process();
    let done = v.dedrem.as_ref().unwrap();
    assert!(done.relative_prices);
    assert_eq!(v.status, status::PROCESSED);
    let s = line_state(&fx, &v, 10);
    assert_eq!(
        (s.price_valuated, s.remunerated_amount, s.price_adjusted),
        (None, None, Some(a("100")))
    );
    let processed = v.claim.processed.as_ref().unwrap();
    assert_eq!(
        (processed.approved, processed.remunerated),
        (a("1400"), None)
    );
    assert_eq!(
        processed.feedback_status,
        Some(16),
        "selected feedback is bypassed"
    );
}

#[test]
fn without_processing_only_the_adjusted_price_is_written() {
    let fx = two();
    let v = fx.run(Run::processing(false, 9));
    let s = line_state(&fx, &v, 10);
    assert_eq!(
        (s.price_adjusted, s.price_valuated, s.remunerated_amount),
        (Some(a("100")), None, None)
    );
    assert_eq!(v.status, status::ENTERED);
    assert_eq!(v.dedrem.unwrap().rows[0].rem_g, a("1400"));
    assert!(v.claim.processed.is_none());
}

/// Two policies (products 7 and 8), the item covered by the first, the service by the second.
fn two_policies() -> Fx {
    two().with(|c| {
        let mut other = c.products[&PRODUCT].clone();
        other.id = 8;
        other.max_treatment = Some(a("1000"));
        c.products.insert(8, other);
        c.policies.push(Policy {
            id: 6,
            product_id: 8,
            ..c.policies[0].clone()
        });
        c.policy_rows.insert(6, 1);
        c.product_lines.get_mut(&Kind::Service).unwrap()[0].product_id = 8;
    })
}

#[test]
fn every_policy_values_every_line_and_the_last_one_stays() {
    let fx = two_policies();
    let v = fx.process();
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    let done = v.dedrem.as_ref().unwrap();
    // set((6, 5)) iterates 5 then 6; both rows value both lines.
    let rows: Vec<(i32, Amount)> = done.rows.iter().map(|r| (r.policy_id, r.rem_g)).collect();
    assert_eq!(rows, vec![(5, a("1400")), (6, a("1000"))]);
    assert_eq!(line_state(&fx, &v, 11).price_valuated, Some(a("300")));
    assert_eq!(done.remunerated.to_string(), "2400.00");
    assert_eq!(line_state(&fx, &v, 10).policy_id, Some(5));
    assert_eq!(line_state(&fx, &v, 11).policy_id, Some(6));
}

#[test]
fn the_originals_exceptions() {
    let cases: Vec<(&str, Fx, &str)> = vec![
        (
            "a deductible on one policy only (merge_deductible)",
            two_policies().product(|p| p.ded_treatment = Some(a("10"))),
            "The mutation threw a <class 'AttributeError'>, check logs for details",
        ),
        (
            "a null threshold with a policy ceiling",
            two().product(|p| {
                p.threshold = None;
                p.max_policy = Some(a("10"));
            }),
            "The mutation threw a <class 'TypeError'>, check logs for details",
        ),
        (
            "no price-list entry at midnight of the target day",
            two().with(|c| {
                c.price_overrule.remove(&(Kind::Item, 300));
            }),
            "The mutation threw a <class 'AttributeError'>, check logs for details",
        ),
        (
            "an earlier row without the summed column",
            two()
                .product(|p| p.max_op_insuree = Some(a("10")))
                .with(|c| {
                    c.earlier_dedrems = vec![earlier(3, "0", "0")];
                }),
            "The mutation threw a <class 'TypeError'>, check logs for details",
        ),
    ];
    for (name, fx, message) in cases {
        let err = validate(&fx.ctx, Run::processing(true, -1)).unwrap_err();
        assert_eq!(err.code.as_str(), PYTHON_EXCEPTION, "{name}");
        assert_eq!(err.message.as_str(), message, "{name}");
    }
}

#[test]
fn dedrem_alone_reads_the_stored_lines() {
    // As the original's tests call it after validate_claim: the lines already assigned.
    let fx = two();
    let validated = fx.run(Run::direct(true));
    let mut stored = fx.ctx.clone();
    for write in &validated.lines {
        let line = stored.lines.iter_mut().find(|l| l.id == write.id).unwrap();
        line.state = write.state.clone();
    }
    let again = Fx { ctx: stored }.dedrem_alone(Run::processing(true, -1));
    assert!(again.errors.is_empty());
    assert_eq!(again.dedrem.unwrap().rows[0].rem_g, a("1400"));
    // Without any policy it rejects the claim with 21.
    let none = two()
        .with(|c| c.policies.clear())
        .dedrem_alone(Run::direct(true));
    assert_eq!(
        (codes(&none), none.status, none.rejection_reason),
        (vec![21], 1, Some(21))
    );
}
