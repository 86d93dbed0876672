//! The claim's category (`get_claim_category`) and the category maximums per product
//! (`check_claim_max_no_category`, reasons 11–15 and 19).

use super::context::{Claim, EarlierClaim, Product};
use super::day::Day;
use super::outcome::reason;

/// The first of S, D, A, H, C, O, V among `categories` (H added when `dateFrom ≠ dateTo`),
/// else V; a claim that already has a category keeps it (the original returns
/// `claim.category` first).
pub fn claim_category<'a>(claim: &Claim, categories: impl IntoIterator<Item = &'a str>) -> String {
    if let Some(category) = claim.category.as_deref().filter(|c| !c.is_empty()) {
        return category.to_string();
    }
    let mut present: Vec<&str> = categories.into_iter().collect();
    if claim.date_from != claim.target_date() {
        present.push("H");
    }
    ["S", "D", "A", "H", "C", "O", "V"]
        .into_iter()
        .find(|c| present.contains(c))
        .unwrap_or("V")
        .to_string()
}

/// A category's maximum: the product's limit, its reason and message key.
fn maximum(category: &str, product: &Product) -> Option<(Option<i32>, i16, &'static str)> {
    Some(match category {
        "C" => (
            product.max_no_consultation,
            reason::MAX_CONSULTATIONS,
            "claim.validation.product_family.max_nb_consultation",
        ),
        "S" => (
            product.max_no_surgery,
            reason::MAX_SURGERIES,
            "claim.validation.product_family.max_nb_surgeries",
        ),
        "D" => (
            product.max_no_delivery,
            reason::MAX_DELIVERIES,
            "claim.validation.product_family.max_nb_deliveries",
        ),
        "A" => (
            product.max_no_antenatal,
            reason::MAX_ANTENATAL,
            "claim.validation.product_family.max_nb_antenatal",
        ),
        "H" => (
            product.max_no_hospitalization,
            reason::MAX_HOSPITAL_ADMISSIONS,
            "claim.validation.product_family.max_nb_hospitalizations",
        ),
        "V" => (
            product.max_no_visits,
            reason::MAX_VISITS,
            "claim.validation.product_family.max_nb_visits",
        ),
        _ => return None,
    })
}

/// Whether the insuree's earlier claims of `category` within the policy's period reach the
/// product's maximum: the reason and message when they do. Earlier claims without a category
/// never count (the original filters `category = 'V'` in SQL before adding the null ones).
pub fn over_maximum(
    category: &str,
    product: &Product,
    effective: Option<Day>,
    expiry: Option<Day>,
    earlier: &[EarlierClaim],
) -> Option<(i16, &'static str)> {
    let (max, code, message) = maximum(category, product)?;
    let max = max.filter(|m| *m >= 0)?;
    let within = |d: Day| effective.is_some_and(|f| f <= d) && expiry.is_some_and(|t| d <= t);
    let count = earlier
        .iter()
        .filter(|c| c.category.as_deref() == Some(category) && within(c.target_date))
        .count();
    (count as i64 >= i64::from(max)).then_some((code, message))
}
