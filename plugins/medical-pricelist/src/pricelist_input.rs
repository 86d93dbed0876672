//! A price-list mutation's input, typed: the original's `ItemsOrServicesPricelistInputType`
//! with its `DetailPriceOverruleType`s, the delete's `uuids`, and the rule its model's
//! `full_clean` applies to the name, and the date its GraphQL type checks.

use openimis_sdk::django::{full_clean, Field};
use openimis_sdk::input::strings;
use serde::Deserialize;
use serde_json::Value;

/// `create<Kind>Pricelist` / `update<Kind>Pricelist`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PricelistInput {
    /// The list an update changes (ignored on create, whose input has none).
    pub uuid: Option<String>,
    pub name: String,
    pub pricelist_date: String,
    /// The uuid of the location the list applies to; none clears it.
    pub location_id: Option<String>,
    /// Medical services or items (by uuid) the list gains.
    #[serde(default, deserialize_with = "strings")]
    pub added_details: Vec<String>,
    /// Medical services or items (by uuid) the list loses.
    #[serde(default, deserialize_with = "strings")]
    pub removed_details: Vec<String>,
    #[serde(default)]
    pub price_overrules: Option<Vec<PriceOverrule>>,
    pub client_mutation_id: Option<String>,
}

/// A new price for the list's detail of one medical service or item.
#[derive(Debug, Deserialize)]
pub struct PriceOverrule {
    pub uuid: String,
    /// A decimal (number or text); none clears the overrule.
    #[serde(default)]
    pub price: Value,
}

/// `delete<Kind>Pricelist`.
#[derive(Debug, Deserialize)]
pub struct DeleteInput {
    #[serde(default, deserialize_with = "strings")]
    pub uuids: Vec<String>,
}

impl PricelistInput {
    /// The original's refusal of the name when its model (`ServicesPricelist`) is saved: the
    /// global pre-save validator's `full_clean` (blank, over 100 characters), in its words.
    pub fn name_refusal(&self, model: &str) -> Option<String> {
        let name = Field::text("name", Some(&self.name), 100).required();
        full_clean(model, &[name.check()]).err()
    }

    /// The refusal of a `pricelistDate` that is no calendar date (the original's GraphQL
    /// `Date` refuses it before the mutation runs).
    pub fn date_refusal(&self) -> Option<String> {
        let date = chrono::NaiveDate::parse_from_str(&self.pricelist_date, "%Y-%m-%d");
        date.is_err()
            .then(|| "`pricelistDate` must be a date (YYYY-MM-DD)".to_owned())
    }

    /// Whether the client named its mutation (the original links the list to the log then).
    pub fn names_its_mutation(&self) -> bool {
        self.client_mutation_id
            .as_deref()
            .is_some_and(|id| !id.is_empty())
    }
}
