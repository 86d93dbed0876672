//! The checks of one line, in the original's order (`validate_claimitems`/`services`): the
//! item/service valid (1) and already valid at the target date (9), in the price list (2),
//! the care type (10), the patient category (4), the frequency (5), then per covering product
//! the waiting period (17) and the quantity limit (16, or the quantity cut to what is left),
//! and no product at all (3).

use super::amount::Amount;
use super::context::{Context, Kind, Line, LineState};
use super::coverage::Coverages;
use super::day::Day;
use super::outcome::{python_error, reason, Finding};
use super::state::rejected;
use openimis_sdk::ModuleError;
use std::collections::BTreeMap;

/// Earlier provided quantities per item/service: (target date, quantity).
pub type History = BTreeMap<(Kind, i32), Vec<(Day, Amount)>>;

/// One check of a line: a finding when it rejects the line.
type Step<'a> = fn(&Checks<'a>, &Line, &mut LineState) -> Result<Option<Finding>, ModuleError>;

/// What the checks of every line share.
pub struct Checks<'a> {
    pub ctx: &'a Context,
    pub target: Day,
    pub adult: bool,
    pub coverages: &'a Coverages<'a>,
    pub history: &'a History,
}

fn by_kind(kind: Kind, item: &'static str, service: &'static str) -> &'static str {
    match kind {
        Kind::Item => item,
        Kind::Service => service,
    }
}

impl<'a> Checks<'a> {
    fn finding(&self, code: i16, message: &'static str) -> Finding {
        Finding {
            code,
            message,
            detail: Some(self.ctx.claim.uuid.clone()),
        }
    }

    /// Runs every check on `line` (its in-memory `state`), in order, stopping at the first
    /// that rejects it but for the product ones, which all run; sets the line's status.
    pub fn check(&self, line: &Line, state: &mut LineState) -> Result<Vec<Finding>, ModuleError> {
        let mut out = Vec::new();
        if rejected(state.rejection_reason) {
            return Ok(out);
        }
        let steps: [Step<'a>; 5] = [
            Self::validity,
            Self::price_list,
            Self::care_type,
            Self::patient_category,
            Self::frequency,
        ];
        for step in steps {
            if let Some(finding) = step(self, line, state)? {
                out.push(finding);
            }
            if rejected(state.rejection_reason) {
                break;
            }
        }
        if !rejected(state.rejection_reason) {
            out.extend(self.product_family(line, state));
        }
        if rejected(state.rejection_reason) {
            state.status = super::outcome::status::LINE_REJECTED;
        } else {
            state.rejection_reason = Some(0);
            state.status = super::outcome::status::PASSED;
        }
        Ok(out)
    }

    fn reject(&self, state: &mut LineState, code: i16, message: &'static str) -> Option<Finding> {
        state.rejection_reason = Some(code);
        Some(self.finding(code, message))
    }

    /// 1: the item/service ended; 9: it starts after the target date (its `ValidityFrom`
    /// after the target day's midnight, as Django compares a timestamp with a date).
    fn validity(&self, line: &Line, state: &mut LineState) -> Result<Option<Finding>, ModuleError> {
        if line.medical.ended {
            let message = by_kind(
                line.kind,
                "claim.validation.claimitem_validity",
                "claim.validation.claimservice_validity",
            );
            return Ok(self.reject(state, reason::INVALID_ITEM_OR_SERVICE, message));
        }
        if line
            .medical
            .validity_from
            .is_some_and(|from| from > self.target.midnight())
        {
            let message = by_kind(
                line.kind,
                "claim.validation.item_future_validity",
                "claim.validation.service_future_validity",
            );
            return Ok(self.reject(state, reason::TARGET_DATE, message));
        }
        Ok(None)
    }

    /// 2: no entry in the health facility's price list valid at the target date.
    fn price_list(
        &self,
        line: &Line,
        state: &mut LineState,
    ) -> Result<Option<Finding>, ModuleError> {
        if self
            .ctx
            .price_listed
            .contains_key(&(line.kind, line.medical_id))
        {
            return Ok(None);
        }
        let message = by_kind(
            line.kind,
            "claim.validation.claimitem_in_price_list_validity",
            "claim.validation.claimservice_in_price_list_validity",
        );
        Ok(self.reject(state, reason::NOT_IN_PRICE_LIST, message))
    }

    /// 10: an out-patient facility and an in-patient claim or item/service, or an in-patient
    /// facility and an out-patient item/service (a facility without care type is "both").
    fn care_type(
        &self,
        line: &Line,
        state: &mut LineState,
    ) -> Result<Option<Finding>, ModuleError> {
        let facility = self
            .ctx
            .facility
            .care_type
            .as_deref()
            .filter(|c| !c.is_empty());
        let facility = facility.unwrap_or("B");
        let care = line.medical.care_type.as_deref();
        let inpatient = self.target != self.ctx.claim.date_from;
        let wrong = (facility == "O" && (inpatient || care == Some("I")))
            || (facility == "I" && care == Some("O"));
        Ok(if wrong {
            self.reject(
                state,
                reason::CARE_TYPE,
                "claim.validation.claimdetail_care_type_validity",
            )
        } else {
            None
        })
    }

    /// 4: the item/service's patient categories (1 male, 2 female, 4 adult, 8 minor) do not
    /// hold the insuree's; 0 is everyone. Without gender or birth date the original raises.
    fn patient_category(
        &self,
        line: &Line,
        state: &mut LineState,
    ) -> Result<Option<Finding>, ModuleError> {
        let categories = line.medical.patient_category;
        if categories == 0 {
            return Ok(None);
        }
        let insuree = &self.ctx.insuree;
        let gender = insuree.gender.as_deref().filter(|g| !g.is_empty());
        let Some(gender) = gender else {
            return Err(python_error(
                "NotImplementedError",
                "core.insuree.unknown_gender",
            ));
        };
        if insuree.dob.is_none() {
            return Err(python_error(
                "NotImplementedError",
                "core.insuree.unknown_dob",
            ));
        }
        let sex = if matches!(gender, "M" | "O") { 1 } else { 2 };
        let age = if insuree.is_adult(self.target, self.ctx.age_of_majority) {
            4
        } else {
            8
        };
        let mask = sex | age;
        Ok(if categories & mask != mask {
            self.reject(
                state,
                reason::CATEGORY_LIMITATION,
                "claim.validation.claimdetail_limitation_validity",
            )
        } else {
            None
        })
    }

    /// 5: an earlier provision of the item/service on or after the target date minus its
    /// frequency in days (only items/services whose history was read: see `History`).
    fn frequency(
        &self,
        line: &Line,
        state: &mut LineState,
    ) -> Result<Option<Finding>, ModuleError> {
        let Some(days) = line.medical.frequency.filter(|f| *f != 0) else {
            return Ok(None);
        };
        let since = self.target.plus_days(-i64::from(days));
        let history = self.history.get(&(line.kind, line.medical_id));
        let hit = history.is_some_and(|h| h.iter().any(|(day, _)| *day >= since));
        let message = by_kind(
            line.kind,
            "claim.validation.claimitem_frequency_validity",
            "claim.validation.claimservice_frequency_validity",
        );
        Ok(if hit {
            self.reject(state, reason::FREQUENCY_FAILURE, message)
        } else {
            None
        })
    }

    /// 17 and 16 per covering product (every one, as the original loops without stopping),
    /// 3 when none covers it.
    fn product_family(&self, line: &Line, state: &mut LineState) -> Vec<Finding> {
        let mut out = Vec::new();
        let coverages = self.coverages.of(line.kind, line.medical_id);
        let history = self.history.get(&(line.kind, line.medical_id));
        for coverage in coverages {
            let (product_line, policy) = (coverage.line, coverage.policy);
            // The original passes the policy's effective date as both the policy's and the
            // insuree-policy's: only a new policy (stage N) has a waiting period.
            let waiting = if policy.stage.as_deref() == Some("N") {
                if self.adult {
                    product_line.waiting_period_adult
                } else {
                    product_line.waiting_period_child
                }
            } else {
                None
            };
            if let (Some(months), Some(effective)) =
                (waiting.filter(|w| *w != 0), policy.effective_date)
            {
                if self.target < effective.plus_months(i64::from(months)) {
                    state.rejection_reason = Some(reason::WAITING_PERIOD_FAIL);
                    out.push(self.finding(
                        reason::WAITING_PERIOD_FAIL,
                        "claim.validation.product_family.waiting_period",
                    ));
                }
            }
            let limit = if self.adult {
                product_line.limit_no_adult
            } else {
                product_line.limit_no_child
            };
            let Some(limit) = limit.filter(|l| *l >= Amount::ZERO) else {
                continue;
            };
            let within = |day: &Day| {
                policy.effective_date.is_some_and(|f| f <= *day)
                    && policy.expiry_date.is_some_and(|t| *day <= t)
            };
            let total = history
                .map(|h| {
                    h.iter()
                        .filter(|(d, _)| within(d))
                        .fold(Amount::ZERO, |s, (_, q)| s.plus(*q))
                })
                .unwrap_or(Amount::ZERO);
            let asked = state.qty_approved.unwrap_or(state.qty_provided);
            if total.plus(asked) > limit {
                if total < limit {
                    let left = limit.minus(total);
                    match state.qty_approved {
                        None => state.qty_provided = left,
                        Some(_) => state.qty_approved = Some(left),
                    }
                } else {
                    state.rejection_reason = Some(reason::QTY_OVER_LIMIT);
                    out.push(Finding {
                        code: reason::QTY_OVER_LIMIT,
                        message: "claim.validation.product_family.max_nb_allowed",
                        detail: None,
                    });
                }
            }
        }
        if coverages.is_empty() {
            state.rejection_reason = Some(reason::NO_PRODUCT_FOUND);
            out.push(self.finding(
                reason::NO_PRODUCT_FOUND,
                "claim.validation.product_family.no_product_found",
            ));
        }
        out
    }
}
