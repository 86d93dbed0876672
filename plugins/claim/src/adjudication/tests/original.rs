//! The scenarios of the original's `claim/tests/test_validations.py` (1.11.0), on the pure
//! engine: the same insuree, product, price list and lines as its helpers make, the same
//! expectations. (`test_set_status` is a mutation; `test_submit_claim_with_different_
//! packatypes` needs `verify_quantities`, off by default and not carried; the price-list
//! history and late-policy ones are in `tests/tests/claim_adjudication.rs`, on a database.)

use super::super::category::claim_category;
use super::super::outcome::{reason as r, status, Run};
use super::*;

fn category(services: &[&str], date_to: Option<&str>) -> String {
    let mut fx = Fx::new();
    fx.ctx.claim.date_to = date_to.map(d);
    claim_category(&fx.ctx.claim, services.iter().copied())
}

/// A claim `n` (uuid `UUID-n`) of the same insuree for one service of `category`.
fn claim_for(category: &str) -> Fx {
    Fx::new().service(200, category)
}

/// What a processed earlier claim leaves for the next one: its category and provision.
fn after_first(fx: Fx, first_category: &'static str) -> Fx {
    fx.with(move |c| {
        c.earlier_claims.push(EarlierClaim {
            category: Some(first_category.into()),
            target_date: c.claim.target_date(),
        });
        c.provided.push(Provided {
            kind: Kind::Service,
            medical_id: 200,
            target_date: c.claim.target_date(),
            qty: a("7"),
        });
    })
}

const SCENARIOS: &[(&str, fn())] = &[
    ("test_get_claim_category_S", || {
        assert_eq!(category(&["S"], None), "S")
    }),
    ("test_get_claim_category_D", || {
        assert_eq!(category(&["D"], None), "D")
    }),
    ("test_get_claim_category_mix", || {
        assert_eq!(category(&["H", "O", "A", "S"], None), "S")
    }),
    ("test_get_claim_category_some_invalid", || {
        // The ended lines' services are not read (the loader's validity filter).
        assert_eq!(category(&["S"], None), "S")
    }),
    ("test_get_claim_category_null", || {
        assert_eq!(category(&[], None), "V")
    }),
    ("(hospitalization when dateTo differs)", || {
        assert_eq!(category(&["C", "V"], Some("2024-06-12")), "H")
    }),
    ("test_validate_pricelist_hf1", || {
        let fx = Fx::new()
            .item(300)
            .service(200, "S")
            .with(|c| c.price_listed.clear());
        let v = fx.validate();
        assert!(codes(&v).contains(&r::INVALID_ITEM_OR_SERVICE));
        assert_eq!(
            line_state(&fx, &v, 10).rejection_reason,
            Some(r::NOT_IN_PRICE_LIST)
        );
    }),
    ("test_validate_policy", || {
        let fx = Fx::new()
            .item(300)
            .service(200, "S")
            .with(|c| c.insuree.family_valid = false);
        let v = fx.validate();
        assert!(codes(&v).contains(&r::FAMILY));
        assert_eq!(line_state(&fx, &v, 10).rejection_reason, Some(r::FAMILY));
    }),
    ("test_validate_max_visits (the first visit)", || {
        let fx = claim_for("V").product(|p| p.max_no_visits = Some(1));
        assert!(fx.validate().errors.is_empty());
    }),
    ("test_validate_patient_category", || {
        let fx = claim_for("V").with(|c| c.lines[0].medical.patient_category = 1);
        let v = fx.validate();
        assert_eq!(
            codes(&v),
            vec![r::INVALID_ITEM_OR_SERVICE, r::CATEGORY_LIMITATION]
        );
        assert_eq!(line_state(&fx, &v, 10).rejection_reason, Some(4));
    }),
    ("test_frequency", || {
        let first = claim_for("C").with(|c| c.lines[0].medical.frequency = Some(180));
        assert!(first.run(Run::processing(false, 1)).errors.is_empty());
        let second = after_first(first, "C");
        assert!(!second.run(Run::processing(false, 1)).errors.is_empty());
    }),
    ("test_limit_no", || {
        let first = claim_for("C").product_lines(|l| l.limit_no_adult = Some(a("1")));
        let first = first.with(|c| c.lines[0].state.qty_provided = a("1"));
        assert!(first.validate().errors.is_empty());
        let second = after_first(first, "C");
        assert!(!second.validate().errors.is_empty());
    }),
    ("test_limit_delivery", || {
        let first = claim_for("D").product(|p| p.max_no_delivery = Some(1));
        assert!(first.validate().errors.is_empty());
        assert_eq!(
            codes(&after_first(first, "D").validate()),
            vec![r::MAX_DELIVERIES]
        );
    }),
    ("test_limit_hospital", || {
        let first = claim_for("H").product(|p| p.max_no_hospitalization = Some(1));
        assert!(first.validate().errors.is_empty());
        let second = after_first(first, "H").validate();
        assert_eq!(codes(&second), vec![r::MAX_HOSPITAL_ADMISSIONS]);
    }),
    ("test_limit_surgery", || {
        let first = claim_for("S").product(|p| p.max_no_surgery = Some(1));
        assert!(first.validate().errors.is_empty());
        assert_eq!(
            codes(&after_first(first, "S").validate()),
            vec![r::MAX_SURGERIES]
        );
    }),
    ("test_limit_visit", || {
        let first = claim_for("V").product(|p| p.max_no_visits = Some(1));
        assert!(first.validate().errors.is_empty());
        assert_eq!(
            codes(&after_first(first, "V").validate()),
            vec![r::MAX_VISITS]
        );
    }),
    ("test_waiting_period", || {
        let adult = claim_for("C")
            .product_lines(|l| {
                l.waiting_period_adult = Some(6);
                l.waiting_period_child = Some(0);
            })
            .with(|c| {
                c.claim.date_from = d("2024-01-03");
                c.claim.date_claimed = d("2024-01-04");
            });
        let v = adult.validate();
        assert_eq!(v.errors.len(), 2);
        assert_eq!(
            line_state(&adult, &v, 10).rejection_reason,
            Some(r::WAITING_PERIOD_FAIL)
        );
        let later = adult.with(|c| {
            c.claim.date_from = d("2024-07-02");
            c.claim.date_claimed = d("2024-07-03");
        });
        assert!(later.validate().errors.is_empty());
        let child = later.with(|c| c.insuree.dob = Some(d("2022-07-02")));
        assert!(child.validate().errors.is_empty());
    }),
    ("test_submit_claim_dedrem", || {
        let fx = Fx::new().item(300).service(200, "V");
        let v = fx.process();
        assert!(v.errors.is_empty());
        let item = line_state(&fx, &v, 10);
        assert_eq!(item.price_adjusted, Some(a("100")));
        assert_eq!(item.price_valuated, Some(a("700")));
        assert_eq!(item.deductable_amount, Some(a("0")));
        assert_eq!(item.exceed_ceiling_amount, Some(a("0")));
        assert_eq!(item.remunerated_amount, Some(a("700")));
        assert_eq!(v.status, status::VALUATED);
        let rows = v.dedrem.unwrap().rows;
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!((row.policy_id, item.policy_id), (POLICY, Some(POLICY)));
        assert_eq!(
            (row.ded_g, row.rem_g, row.rem_op, row.rem_ip),
            (a("0"), a("1400"), Some(a("1400")), None)
        );
        assert_eq!(
            (row.rem_surgery, row.rem_consult, row.rem_hospitalization),
            (a("0"), a("0"), a("0"))
        );
    }),
    ("test_submit_claim_dedrem_limit_delivery", || {
        let fx = Fx::new()
            .item(300)
            .service(200, "D")
            .product(|p| p.max_amount_delivery = Some(a("55")));
        let v = fx.process();
        let item = line_state(&fx, &v, 10);
        assert_eq!(
            (
                item.price_adjusted,
                item.price_valuated,
                item.remunerated_amount
            ),
            (Some(a("100")), Some(a("55")), Some(a("55")))
        );
        assert_eq!(v.dedrem.unwrap().rows[0].rem_g, a("55"));
    }),
    ("test_submit_claim_dedrem_limit_consultation", || {
        let fx = Fx::new().item(300).service(200, "C").product(|p| {
            p.max_amount_consultation = Some(a("55"));
            p.ceiling_interpretation = Some("I".into());
        });
        let fx = fx.with(|c| {
            c.lines
                .iter_mut()
                .for_each(|l| l.state.price_asked = a("100"));
        });
        let v = fx.process();
        let item = line_state(&fx, &v, 10);
        assert_eq!(
            (item.price_valuated, item.remunerated_amount),
            (Some(a("55")), Some(a("55")))
        );
        assert_eq!(v.dedrem.unwrap().rows[0].rem_g, a("55"));
        assert_eq!(v.status, status::VALUATED);
    }),
    ("test_submit_claim_dedrem_limit_antenatal", || {
        let fx = Fx::new()
            .item(300)
            .service(200, "A")
            .product(|p| p.max_amount_antenatal = Some(a("55")));
        let v = fx.process();
        assert_eq!(line_state(&fx, &v, 10).price_valuated, Some(a("55")));
        assert_eq!(v.dedrem.unwrap().rows[0].rem_g, a("55"));
    }),
    ("test_review_reject_update_dedrem", || {
        let fx = Fx::new().item(300).service(200, "A").with(|c| {
            c.lines[0].state.qty_provided = a("3");
            c.lines[1].state.qty_provided = a("2");
        });
        let v = fx.validate();
        assert_eq!(v.dedrem.as_ref().unwrap().rows[0].rem_g, a("500"));
        // The review approves 1 at 37 and 1 at 53; update_claims_dedrems re-runs it.
        let reviewed = fx.with(|c| {
            let (item, service) = (&mut c.lines[0].state, ("37", "53"));
            item.qty_approved = Some(a("1"));
            item.price_approved = Some(a(service.0));
            let s = &mut c.lines[1].state;
            s.qty_approved = Some(a("1"));
            s.price_approved = Some(a(service.1));
        });
        let v = reviewed.run(Run::processing(false, 1));
        assert_eq!(v.dedrem.unwrap().rows[0].rem_g, a("90"));
    }),
    ("test_review_reject_delete_dedrem", || {
        let fx = Fx::new().item(300).service(200, "A").with(|c| {
            for l in &mut c.lines {
                l.state.status = 2;
                l.state.rejection_reason = Some(-1);
                l.state.qty_approved = Some(a("0"));
                l.state.price_approved = Some(a("0"));
            }
        });
        let v = fx.run(Run::processing(false, 1));
        assert_eq!(
            (v.status, v.rejection_reason),
            (status::REJECTED, Some(r::INVALID_ITEM_OR_SERVICE))
        );
        assert_eq!(codes(&v), vec![r::INVALID_ITEM_OR_SERVICE]);
        let item = line_state(&fx, &v, 10);
        assert_eq!((item.status, item.rejection_reason), (2, Some(-1)));
        assert!(
            v.dedrem.is_none(),
            "no ded/rem: processing_claim deletes the rows"
        );
    }),
    ("test_validate_claimitem_future_validity", || {
        let fx = Fx::new().item(300).with(|c| {
            c.lines[0].medical.validity_from = Some(d("2024-07-10").midnight());
        });
        let v = fx.validate();
        assert!(codes(&v).contains(&r::TARGET_DATE));
        assert_eq!(
            line_state(&fx, &v, 10).rejection_reason,
            Some(r::TARGET_DATE)
        );
    }),
    ("test_validate_claimservice_future_validity", || {
        let fx = claim_for("D").with(|c| {
            c.lines[0].medical.validity_from = Some(d("2024-07-10").midnight());
        });
        let v = fx.validate();
        assert!(codes(&v).contains(&r::TARGET_DATE));
        assert_eq!(
            line_state(&fx, &v, 10).rejection_reason,
            Some(r::TARGET_DATE)
        );
    }),
];

#[test]
fn the_originals_scenarios() {
    for (name, scenario) in SCENARIOS {
        if let Err(panic) = std::panic::catch_unwind(scenario) {
            panic!("{name}: {:?}", panic.downcast_ref::<String>());
        }
    }
}
