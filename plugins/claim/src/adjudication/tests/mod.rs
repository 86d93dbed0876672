//! Table-driven tests of the pure engine: a [`Fx`] fixture builds a [`Context`] as the
//! original's test helpers would (an adult male insuree, one active policy for the year, a
//! product whose lines are 100 % co-insured from the price list, items and services at 100,
//! a facility of both care types), each case changes what it tests.

mod dedrem_rules;
mod original;
mod rejections;

use super::amount::Amount;
use super::context::*;
use super::day::Day;
use super::outcome::{Run, Validation};
use super::validate::{dedrem_alone, validate};
use std::collections::BTreeMap;

pub fn a(text: &str) -> Amount {
    Amount::parse(text).unwrap()
}

pub fn d(text: &str) -> Day {
    Day::parse(text).unwrap()
}

pub const POLICY: i32 = 5;
pub const PRODUCT: i32 = 7;

/// A context under construction.
pub struct Fx {
    pub ctx: Context,
}

impl Fx {
    /// A claim of 2024-06-10 (claimed the next day) without lines.
    pub fn new() -> Fx {
        let claim = Claim {
            id: 1,
            uuid: "UUID-1".into(),
            code: "CODE-1".into(),
            date_from: d("2024-06-10"),
            date_to: None,
            date_claimed: d("2024-06-11"),
            category: None,
            visit_type: None,
            status: 2,
            rejection_reason: Some(0),
            feedback_status: Some(1),
            review_status: Some(1),
        };
        let mut products = BTreeMap::new();
        products.insert(
            PRODUCT,
            Product {
                id: PRODUCT,
                threshold: Some(0),
                ..Product::default()
            },
        );
        let mut policy_rows = BTreeMap::new();
        policy_rows.insert(POLICY, 1);
        Fx {
            ctx: Context {
                claim,
                insuree: Insuree {
                    id: 3,
                    valid: true,
                    family_valid: true,
                    dob: Some(d("1972-08-09")),
                    gender: Some("M".into()),
                },
                facility: HealthFacility {
                    care_type: Some("B".into()),
                    level: Some("D".into()),
                },
                age_of_majority: 18,
                lines: Vec::new(),
                policies: vec![Policy {
                    id: POLICY,
                    product_id: PRODUCT,
                    effective_date: Some(d("2024-01-01")),
                    expiry_date: Some(d("2024-12-31")),
                    stage: Some("N".into()),
                }],
                products,
                product_lines: BTreeMap::new(),
                price_listed: BTreeMap::new(),
                price_overrule: BTreeMap::new(),
                category_services: Vec::new(),
                provided: Vec::new(),
                earlier_claims: Vec::new(),
                earlier_dedrems: Vec::new(),
                policy_rows,
            },
        }
    }

    /// Adds a line of `kind` for medical id `medical` (category for a service), 7 at 11 asked,
    /// price-listed, covered by the product (C 100 %, price list origin, waiting 2/1 months).
    pub fn line(mut self, kind: Kind, medical: i32, category: Option<&str>) -> Fx {
        let id = 10 + self.ctx.lines.len() as i32;
        self.ctx.lines.push(Line {
            kind,
            id,
            medical_id: medical,
            medical: Medical {
                validity_from: Some(d("2019-06-01").midnight()),
                ended: false,
                care_type: Some("B".into()),
                patient_category: 15,
                frequency: None,
                price: Amount::int(100),
                category: category.map(str::to_string),
                name: format!("medical {medical}"),
            },
            state: LineState {
                status: 1,
                qty_provided: Amount::int(7),
                price_asked: Amount::int(11),
                ..LineState::default()
            },
        });
        self.ctx.lines.sort_by_key(|l| (l.kind, l.id));
        self.ctx
            .price_listed
            .insert((kind, medical), category.map(str::to_string));
        self.ctx.price_overrule.insert((kind, medical), None);
        self.ctx
            .product_lines
            .entry(kind)
            .or_default()
            .push(ProductLine {
                id: 100 + medical,
                product_id: PRODUCT,
                medical_id: medical,
                price_origin: Some("P".into()),
                limits: [
                    Limits {
                        limitation_type: Some("C".into()),
                        limit_adult: Some(Amount::int(100)),
                        limit_child: Some(Amount::int(100)),
                    },
                    Limits::default(),
                    Limits::default(),
                ],
                waiting_period_adult: Some(2),
                waiting_period_child: Some(1),
                ..ProductLine::default()
            });
        if let (Kind::Service, Some(c)) = (kind, category) {
            self.ctx.category_services.push(c.to_string());
        }
        self
    }

    pub fn item(self, medical: i32) -> Fx {
        self.line(Kind::Item, medical, None)
    }

    pub fn service(self, medical: i32, category: &str) -> Fx {
        self.line(Kind::Service, medical, Some(category))
    }

    /// Changes the product.
    pub fn product(mut self, change: impl FnOnce(&mut Product)) -> Fx {
        change(self.ctx.products.get_mut(&PRODUCT).unwrap());
        self
    }

    /// Changes every product line.
    pub fn product_lines(mut self, change: impl Fn(&mut ProductLine)) -> Fx {
        for lines in self.ctx.product_lines.values_mut() {
            lines.iter_mut().for_each(&change);
        }
        self
    }

    /// Changes the context.
    pub fn with(mut self, change: impl FnOnce(&mut Context)) -> Fx {
        change(&mut self.ctx);
        self
    }

    pub fn run(&self, run: Run) -> Validation {
        validate(&self.ctx, run).expect("the run succeeds")
    }

    pub fn validate(&self) -> Validation {
        self.run(Run::direct(true))
    }

    pub fn process(&self) -> Validation {
        self.run(Run::processing(true, -1))
    }

    pub fn dedrem_alone(&self, run: Run) -> Validation {
        dedrem_alone(&self.ctx, run).expect("the run succeeds")
    }
}

/// The state written for line `id` (its stored state when unchanged).
pub fn line_state(fx: &Fx, v: &Validation, id: i32) -> LineState {
    v.lines
        .iter()
        .find(|l| l.id == id)
        .map(|l| l.state.clone())
        .unwrap_or_else(|| {
            fx.ctx
                .lines
                .iter()
                .find(|l| l.id == id)
                .unwrap()
                .state
                .clone()
        })
}

/// The findings' codes.
pub fn codes(v: &Validation) -> Vec<i16> {
    v.errors.iter().map(|f| f.code).collect()
}
