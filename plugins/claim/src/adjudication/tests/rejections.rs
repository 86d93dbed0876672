//! One case per rejection reason the original's `validate_claim` produces (1–5, 7, 9, 10,
//! 11–15, 16, 17, 19, 21; 20 is the mutations' unknown uuid), each on one service line.

use super::super::outcome::{reason as r, Run, PYTHON_EXCEPTION};
use super::super::validate::validate;
use super::*;

/// What a case expects.
struct Case {
    name: &'static str,
    fx: fn() -> Fx,
    /// The error list's codes, in order.
    errors: &'static [i16],
    /// The line's stored rejection reason and status.
    line: (Option<i16>, i16),
    /// The claim's status and rejection reason.
    claim: (i16, Option<i16>),
}

fn one() -> Fx {
    Fx::new().service(200, "V")
}

fn earlier(category: &'static str, product: fn(&mut Product)) -> Fx {
    one().product(product).with(move |c| {
        c.earlier_claims.push(EarlierClaim {
            category: Some(category.into()),
            target_date: d("2024-03-01"),
        })
    })
}

const CASES: &[Case] = &[
    Case {
        name: "1 the service ended",
        fx: || one().with(|c| c.lines[0].medical.ended = true),
        errors: &[r::INVALID_ITEM_OR_SERVICE, r::INVALID_ITEM_OR_SERVICE],
        line: (Some(1), 2),
        claim: (1, Some(1)),
    },
    Case {
        name: "2 not in the price list",
        fx: || one().with(|c| c.price_listed.clear()),
        errors: &[r::INVALID_ITEM_OR_SERVICE, r::NOT_IN_PRICE_LIST],
        line: (Some(2), 2),
        claim: (1, Some(1)),
    },
    Case {
        name: "3 no product covers it",
        fx: || one().with(|c| c.product_lines.clear()),
        errors: &[r::INVALID_ITEM_OR_SERVICE, r::NO_PRODUCT_FOUND],
        line: (Some(3), 2),
        claim: (1, Some(1)),
    },
    Case {
        // The assignment's 3 is a claim error: check_max's statuses are then skipped, the
        // line keeps status passed and the claim is not rejected.
        name: "3 no co-insurance nor fixed product line",
        fx: || one().product_lines(|l| l.limits[0].limitation_type = None),
        errors: &[r::NO_PRODUCT_FOUND],
        line: (Some(3), 1),
        claim: (2, Some(0)),
    },
    Case {
        name: "4 patient category (women only)",
        fx: || one().with(|c| c.lines[0].medical.patient_category = 2 | 4 | 8),
        errors: &[r::INVALID_ITEM_OR_SERVICE, r::CATEGORY_LIMITATION],
        line: (Some(4), 2),
        claim: (1, Some(1)),
    },
    Case {
        name: "5 frequency: provided 10 days before, every 30 days",
        fx: || {
            one().with(|c| {
                c.lines[0].medical.frequency = Some(30);
                c.provided.push(Provided {
                    kind: Kind::Service,
                    medical_id: 200,
                    target_date: d("2024-05-31"),
                    qty: a("1"),
                });
            })
        },
        errors: &[r::INVALID_ITEM_OR_SERVICE, r::FREQUENCY_FAILURE],
        line: (Some(5), 2),
        claim: (1, Some(1)),
    },
    Case {
        name: "7 the insuree ended (lines 7, claim 21)",
        fx: || one().with(|c| c.insuree.valid = false),
        errors: &[r::FAMILY],
        line: (Some(7), 1),
        claim: (1, Some(21)),
    },
    Case {
        name: "7 the family ended",
        fx: || one().with(|c| c.insuree.family_valid = false),
        errors: &[r::FAMILY],
        line: (Some(7), 1),
        claim: (1, Some(21)),
    },
    Case {
        name: "9 claimed before dateFrom (lines 9, claim 21)",
        fx: || one().with(|c| c.claim.date_claimed = d("2024-06-09")),
        errors: &[r::TARGET_DATE],
        line: (Some(9), 1),
        claim: (1, Some(21)),
    },
    Case {
        name: "9 the service starts after the target day's midnight",
        fx: || {
            one().with(|c| {
                c.lines[0].medical.validity_from =
                    super::super::day::Stamp::parse("2024-06-10 08:00:00")
            })
        },
        errors: &[r::INVALID_ITEM_OR_SERVICE, r::TARGET_DATE],
        line: (Some(9), 2),
        claim: (1, Some(1)),
    },
    Case {
        name: "10 an out-patient facility, an in-patient claim",
        fx: || {
            one().with(|c| {
                c.facility.care_type = Some("O".into());
                c.claim.date_to = Some(d("2024-06-12"));
            })
        },
        errors: &[r::INVALID_ITEM_OR_SERVICE, r::CARE_TYPE],
        line: (Some(10), 2),
        claim: (1, Some(1)),
    },
    Case {
        name: "10 an in-patient facility, an out-patient service",
        fx: || {
            one().with(|c| {
                c.facility.care_type = Some("I".into());
                c.lines[0].medical.care_type = Some("O".into());
            })
        },
        errors: &[r::INVALID_ITEM_OR_SERVICE, r::CARE_TYPE],
        line: (Some(10), 2),
        claim: (1, Some(1)),
    },
    Case {
        name: "11 maximum hospitalizations",
        fx: || {
            earlier("H", |p| p.max_no_hospitalization = Some(1)).with(|c| {
                c.claim.date_to = Some(d("2024-06-12"));
            })
        },
        errors: &[r::MAX_HOSPITAL_ADMISSIONS],
        line: (None, 1),
        claim: (2, Some(11)),
    },
    Case {
        name: "12 maximum visits",
        fx: || earlier("V", |p| p.max_no_visits = Some(1)),
        errors: &[r::MAX_VISITS],
        line: (None, 1),
        claim: (2, Some(12)),
    },
    Case {
        name: "13 maximum consultations",
        fx: || {
            earlier("C", |p| p.max_no_consultation = Some(1)).with(|c| {
                c.lines[0].medical.category = Some("C".into());
                c.price_listed
                    .insert((Kind::Service, 200), Some("C".into()));
            })
        },
        errors: &[r::MAX_CONSULTATIONS],
        line: (None, 1),
        claim: (2, Some(13)),
    },
    Case {
        name: "14 maximum surgeries",
        fx: || {
            earlier("S", |p| p.max_no_surgery = Some(1)).with(|c| {
                c.price_listed
                    .insert((Kind::Service, 200), Some("S".into()));
            })
        },
        errors: &[r::MAX_SURGERIES],
        line: (None, 1),
        claim: (2, Some(14)),
    },
    Case {
        name: "15 maximum deliveries",
        fx: || {
            earlier("D", |p| p.max_no_delivery = Some(1)).with(|c| {
                c.price_listed
                    .insert((Kind::Service, 200), Some("D".into()));
            })
        },
        errors: &[r::MAX_DELIVERIES],
        line: (None, 1),
        claim: (2, Some(15)),
    },
    Case {
        name: "16 quantity over the limit",
        fx: || {
            one()
                .product_lines(|l| l.limit_no_adult = Some(a("1")))
                .with(|c| {
                    c.provided.push(Provided {
                        kind: Kind::Service,
                        medical_id: 200,
                        target_date: d("2024-02-01"),
                        qty: a("1"),
                    })
                })
        },
        errors: &[r::INVALID_ITEM_OR_SERVICE, r::QTY_OVER_LIMIT],
        line: (Some(16), 2),
        claim: (1, Some(1)),
    },
    Case {
        name: "17 waiting period (new policy, 6 months for adults)",
        fx: || one().product_lines(|l| l.waiting_period_adult = Some(6)),
        errors: &[r::INVALID_ITEM_OR_SERVICE, r::WAITING_PERIOD_FAIL],
        line: (Some(17), 2),
        claim: (1, Some(1)),
    },
    Case {
        name: "19 maximum antenatal",
        fx: || {
            earlier("A", |p| p.max_no_antenatal = Some(1)).with(|c| {
                c.price_listed
                    .insert((Kind::Service, 200), Some("A".into()));
            })
        },
        errors: &[r::MAX_ANTENATAL],
        line: (None, 1),
        claim: (2, Some(19)),
    },
    Case {
        name: "21 no policy covers the date (lines 7)",
        fx: || one().with(|c| c.policies.clear()),
        errors: &[r::NO_COVERAGE],
        line: (Some(7), 1),
        claim: (1, Some(21)),
    },
    Case {
        name: "7 and 21 together",
        fx: || {
            one().with(|c| {
                c.insuree.valid = false;
                c.policies.clear();
            })
        },
        errors: &[r::FAMILY, r::NO_COVERAGE],
        line: (Some(7), 1),
        claim: (1, Some(21)),
    },
];

#[test]
fn every_rejection_reason() {
    for case in CASES {
        let fx = (case.fx)();
        let v =
            validate(&fx.ctx, Run::direct(true)).unwrap_or_else(|e| panic!("{}: {e:?}", case.name));
        assert_eq!(
            codes(&v),
            case.errors,
            "{}: errors {:?}",
            case.name,
            v.errors
        );
        let line = line_state(&fx, &v, fx.ctx.lines[0].id);
        assert_eq!(
            (line.rejection_reason, line.status),
            case.line,
            "{}: line",
            case.name
        );
        if case.line.1 == 2 {
            assert_eq!(line.qty_approved, Some(Amount::ZERO), "{}: qty", case.name);
        }
        assert_eq!(
            (v.status, v.rejection_reason),
            case.claim,
            "{}: claim",
            case.name
        );
        assert_eq!(
            v.dedrem.is_some(),
            case.errors.is_empty(),
            "{}: dedrem",
            case.name
        );
    }
}

#[test]
fn messages_are_the_originals_keys() {
    let v = (CASES[1].fx)().validate();
    let json = v.errors_json();
    assert_eq!(
        json,
        serde_json::json!([
            {"code": 1, "message": "claim.validation.all_items_and_services_rejected", "detail": "UUID-1"},
            {"code": 2, "message": "claim.validation.claimservice_in_price_list_validity", "detail": "UUID-1"},
        ])
    );
    // Quantity over limit: no detail, as the original.
    let v = (CASES[17].fx)().validate();
    assert_eq!(
        v.errors[1].to_json(),
        serde_json::json!({"code": 16, "message": "claim.validation.product_family.max_nb_allowed"})
    );
}

#[test]
fn a_category_maximum_raises_under_processing_claim() {
    // processing_claim hands a QuerySet: `policies.remove(plc)` raises AttributeError.
    let fx = earlier("V", |p| p.max_no_visits = Some(1));
    let err = validate(&fx.ctx, Run::processing(false, 1)).unwrap_err();
    assert_eq!(err.code.as_str(), PYTHON_EXCEPTION);
    assert_eq!(
        err.message.as_str(),
        "The mutation threw a <class 'AttributeError'>, check logs for details"
    );
    // Below the maximum it runs.
    let fx = earlier("V", |p| p.max_no_visits = Some(2));
    assert!(validate(&fx.ctx, Run::processing(false, 1))
        .unwrap()
        .errors
        .is_empty());
}

#[test]
fn a_policy_over_its_maximum_is_dropped_when_another_covers() {
    // Two policies of two products; the first is over its visits: dropped silently (the
    // claim keeps the reason in memory), the second covers the line.
    let fx = earlier("V", |p| p.max_no_visits = Some(1)).with(|c| {
        let mut other = c.products[&PRODUCT].clone();
        other.id = 8;
        other.max_no_visits = None;
        c.products.insert(8, other);
        c.policies.push(Policy {
            id: 6,
            product_id: 8,
            ..c.policies[0].clone()
        });
        c.policy_rows.insert(6, 1);
        let mut line = c.product_lines[&Kind::Service][0].clone();
        line.id = 999;
        line.product_id = 8;
        c.product_lines.get_mut(&Kind::Service).unwrap().push(line);
    });
    let v = fx.validate();
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    assert_eq!(v.rejection_reason, Some(r::MAX_VISITS));
    let line = line_state(&fx, &v, 10);
    assert_eq!((line.product_id, line.policy_id), (Some(8), Some(6)));
}

#[test]
fn a_quantity_over_the_limit_is_cut_to_what_is_left() {
    let fx = one()
        .product_lines(|l| l.limit_no_adult = Some(a("5")))
        .with(|c| {
            c.provided.push(Provided {
                kind: Kind::Service,
                medical_id: 200,
                target_date: d("2024-02-01"),
                qty: a("2"),
            })
        });
    let v = fx.validate();
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    let line = line_state(&fx, &v, 10);
    assert_eq!((line.status, line.qty_provided), (1, a("3")));
    // Earlier provisions outside the policy's period do not count.
    let fx = one()
        .product_lines(|l| l.limit_no_adult = Some(a("1")))
        .with(|c| {
            c.provided.push(Provided {
                kind: Kind::Service,
                medical_id: 200,
                target_date: d("2023-12-31"),
                qty: a("4"),
            })
        });
    assert_eq!(line_state(&fx, &fx.validate(), 10).qty_provided, a("1"));
}

#[test]
fn a_child_has_the_childs_waiting_period() {
    let fx = one()
        .product_lines(|l| {
            l.waiting_period_adult = Some(6);
            l.waiting_period_child = Some(0);
        })
        .with(|c| c.insuree.dob = Some(d("2022-06-10")));
    assert!(fx.validate().errors.is_empty());
    // A renewed policy has no waiting period at all.
    let fx = one()
        .product_lines(|l| l.waiting_period_adult = Some(6))
        .with(|c| c.policies[0].stage = Some("R".into()));
    assert!(fx.validate().errors.is_empty());
}

#[test]
fn without_check_max_a_rejected_line_is_not_saved() {
    let fx = (CASES[1].fx)();
    let v = fx.run(Run {
        check_max: false,
        ..Run::direct(false)
    });
    // Not saved: the stored line keeps status passed, so the claim is not "all rejected".
    assert!(codes(&v).is_empty());
    assert_eq!(line_state(&fx, &v, 10).rejection_reason, None);
}
