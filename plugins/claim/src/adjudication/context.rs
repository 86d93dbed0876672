//! What the adjudication engine reads: a claim, its lines, and every row of the other modules
//! the original's `validate_claim`/`process_dedrem` query (policies, products, product
//! items/services, price-list entries, earlier claims and ded/rem rows), loaded once.

use super::amount::Amount;
use super::day::{Day, Stamp};
use std::collections::BTreeMap;

/// An item line (`tblClaimItems`) or a service line (`tblClaimServices`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Item,
    Service,
}

/// The claim (`tblClaim`) as the rules read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub id: i32,
    pub uuid: String,
    pub code: String,
    pub date_from: Day,
    pub date_to: Option<Day>,
    pub date_claimed: Day,
    pub category: Option<String>,
    pub visit_type: Option<String>,
    pub status: i16,
    pub rejection_reason: Option<i16>,
    pub feedback_status: Option<i16>,
    pub review_status: Option<i16>,
}

impl Claim {
    /// `get_claim_target_date`: `dateTo`, else `dateFrom`.
    pub fn target_date(&self) -> Day {
        self.date_to.unwrap_or(self.date_from)
    }
}

/// The claim's insuree (`tblInsuree`) and family.
#[derive(Debug, Clone, PartialEq)]
pub struct Insuree {
    pub id: i32,
    /// `ValidityTo` is null.
    pub valid: bool,
    /// The insuree has a family and its `ValidityTo` is null.
    pub family_valid: bool,
    pub dob: Option<Day>,
    /// `Gender` code (`M`, `F`, `O`), null when unknown.
    pub gender: Option<String>,
}

impl Insuree {
    /// `Insuree.is_adult(day)`: `None` without a birth date (falsy for the rules).
    pub fn is_adult(&self, at: Day, majority: i32) -> bool {
        self.dob.is_some_and(|dob| dob.years_until(at) >= majority)
    }
}

/// The claim's health facility (`tblHF`).
#[derive(Debug, Clone, PartialEq)]
pub struct HealthFacility {
    pub care_type: Option<String>,
    pub level: Option<String>,
}

/// An item (`tblItems`) or service (`tblServices`) a line refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct Medical {
    pub validity_from: Option<Stamp>,
    pub ended: bool,
    pub care_type: Option<String>,
    pub patient_category: i32,
    pub frequency: Option<i32>,
    pub price: Amount,
    /// A service's `ServCategory` (null for items).
    pub category: Option<String>,
    pub name: String,
}

/// The columns of a line the adjudication reads and writes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LineState {
    pub status: i16,
    pub rejection_reason: Option<i16>,
    pub qty_provided: Amount,
    pub qty_approved: Option<Amount>,
    pub price_asked: Amount,
    pub price_adjusted: Option<Amount>,
    pub price_approved: Option<Amount>,
    pub price_valuated: Option<Amount>,
    pub product_id: Option<i32>,
    pub policy_id: Option<i32>,
    pub price_origin: Option<String>,
    pub limitation: Option<String>,
    pub limitation_value: Option<Amount>,
    pub deductable_amount: Option<Amount>,
    pub remunerated_amount: Option<Amount>,
    pub exceed_ceiling_amount: Option<Amount>,
}

/// A valid line of the claim (`ValidityTo` null).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub kind: Kind,
    pub id: i32,
    /// `ItemID` or `ServiceID`.
    pub medical_id: i32,
    pub medical: Medical,
    pub state: LineState,
}

/// A policy of `get_valid_policies_qs` (the insuree's active or expired policies covering the
/// target date, joined with its insuree-policy rows: one entry per join row, in that order).
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub id: i32,
    pub product_id: i32,
    pub effective_date: Option<Day>,
    pub expiry_date: Option<Day>,
    pub stage: Option<String>,
}

/// A product (`tblProduct`): its limits, deductibles and ceilings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Product {
    pub id: i32,
    pub ded_treatment: Option<Amount>,
    pub ded_insuree: Option<Amount>,
    pub ded_policy: Option<Amount>,
    pub ded_ip_treatment: Option<Amount>,
    pub ded_ip_insuree: Option<Amount>,
    pub ded_ip_policy: Option<Amount>,
    pub ded_op_treatment: Option<Amount>,
    pub ded_op_insuree: Option<Amount>,
    pub ded_op_policy: Option<Amount>,
    pub max_treatment: Option<Amount>,
    pub max_insuree: Option<Amount>,
    pub max_policy: Option<Amount>,
    pub max_ip_treatment: Option<Amount>,
    pub max_ip_insuree: Option<Amount>,
    pub max_ip_policy: Option<Amount>,
    pub max_op_treatment: Option<Amount>,
    pub max_op_insuree: Option<Amount>,
    pub max_op_policy: Option<Amount>,
    pub threshold: Option<i32>,
    pub max_policy_extra_member: Option<Amount>,
    pub max_policy_extra_member_ip: Option<Amount>,
    pub max_policy_extra_member_op: Option<Amount>,
    pub max_ceiling_policy: Option<Amount>,
    pub max_ceiling_policy_ip: Option<Amount>,
    pub max_ceiling_policy_op: Option<Amount>,
    pub max_no_consultation: Option<i32>,
    pub max_no_surgery: Option<i32>,
    pub max_no_delivery: Option<i32>,
    pub max_no_hospitalization: Option<i32>,
    pub max_no_visits: Option<i32>,
    pub max_no_antenatal: Option<i32>,
    pub max_amount_consultation: Option<Amount>,
    pub max_amount_surgery: Option<Amount>,
    pub max_amount_delivery: Option<Amount>,
    pub max_amount_hospitalization: Option<Amount>,
    pub max_amount_antenatal: Option<Amount>,
    pub ceiling_interpretation: Option<String>,
}

/// The limit columns of one visit type (`O`, `E`, `R`) of a product item/service.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Limits {
    pub limitation_type: Option<String>,
    pub limit_adult: Option<Amount>,
    pub limit_child: Option<Amount>,
}

/// A valid product item (`tblProductItems`) or product service (`tblProductServices`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProductLine {
    pub id: i32,
    pub product_id: i32,
    pub medical_id: i32,
    pub price_origin: Option<String>,
    /// Visit type `O` (the default), `E` and `R`.
    pub limits: [Limits; 3],
    pub waiting_period_adult: Option<i32>,
    pub waiting_period_child: Option<i32>,
    pub limit_no_adult: Option<Amount>,
    pub limit_no_child: Option<Amount>,
    pub ceiling_exclusion_adult: Option<String>,
    pub ceiling_exclusion_child: Option<String>,
}

/// A line of another claim of the insuree that counts for frequencies and quantity limits:
/// passed, not rejected, valid, its claim valid and beyond "entered".
#[derive(Debug, Clone, PartialEq)]
pub struct Provided {
    pub kind: Kind,
    pub medical_id: i32,
    /// `COALESCE(DateTo, DateFrom)` of its claim.
    pub target_date: Day,
    /// `COALESCE(QtyApproved, QtyProvided)`.
    pub qty: Amount,
}

/// Another valid claim of the insuree beyond "entered", for the category maximums.
#[derive(Debug, Clone, PartialEq)]
pub struct EarlierClaim {
    pub category: Option<String>,
    pub target_date: Day,
}

/// A `tblClaimDedRem` row of another claim on one of the policies (any validity).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EarlierDedRem {
    pub policy_id: i32,
    pub insuree_id: Option<i32>,
    pub ded_g: Option<Amount>,
    pub ded_ip: Option<Amount>,
    pub ded_op: Option<Amount>,
    pub rem_g: Option<Amount>,
    pub rem_ip: Option<Amount>,
    pub rem_op: Option<Amount>,
}

/// Everything one adjudication run reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    pub claim: Claim,
    pub insuree: Insuree,
    pub facility: HealthFacility,
    /// core's `age_of_majority` (18).
    pub age_of_majority: i32,
    /// Valid lines of the claim, items then services, each by id.
    pub lines: Vec<Line>,
    pub policies: Vec<Policy>,
    /// The policies' products, by id.
    pub products: BTreeMap<i32, Product>,
    /// Valid product items/services of those products for the lines' items/services, by id.
    pub product_lines: BTreeMap<Kind, Vec<ProductLine>>,
    /// Items/services with a price-list entry valid at the target date (core's
    /// `filter_validity`: 23:59:59), and the category of the service that entry names.
    pub price_listed: BTreeMap<(Kind, i32), Option<String>>,
    /// The price-list entry `process_dedrem` takes (`get_queryset_valid_at_date`, at
    /// midnight): its `PriceOverule`; absent when there is none.
    pub price_overrule: BTreeMap<(Kind, i32), Option<Amount>>,
    /// The categories `get_claim_category` reads when no services are handed to it: the
    /// services of the claim's lines valid at the target date (23:59:59), both valid then.
    pub category_services: Vec<String>,
    pub provided: Vec<Provided>,
    pub earlier_claims: Vec<EarlierClaim>,
    pub earlier_dedrems: Vec<EarlierDedRem>,
    /// `get_policy_members`: the policy's valid rows covering the target date (0 or 1).
    pub policy_rows: BTreeMap<i32, i64>,
}
