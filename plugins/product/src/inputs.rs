//! The mutations' typed inputs (`ProductInputType` with its create/update/duplicate forms, the
//! covered items and services, the relative prices, the delete input). The product's plain
//! columns are declared once in [`scalars!`]: a typed field each, and the values a save writes
//! (the fields the input names, plus graphene's `default_value`s; absent others keep the
//! stored value on update, as the original's `setattr` loop over the given keys).

use crate::amount::Amount;
use serde::Deserialize;
use serde_json::{json, Map, Value};

macro_rules! scalars {
    ($( $field:ident: $ty:ty = $name:literal $(, default $d:expr)?; )*) => {
        /// The product's plain columns, each under its GraphQL (and entity field) name.
        #[derive(Debug, Deserialize)]
        pub struct Scalars {
            $( #[serde(rename = $name, default)] pub $field: Option<$ty>, )*
        }

        impl Scalars {
            /// The values a save writes, by entity field name.
            pub fn values(&self, raw: &Map<String, Value>) -> Map<String, Value> {
                let mut out = Map::new();
                $(
                    let default: Option<Value> = None $( .or(Some(json!($d))) )?;
                    if raw.contains_key($name) {
                        out.insert($name.into(), json!(self.$field));
                    } else if let Some(d) = default {
                        out.insert($name.into(), d);
                    }
                )*
                out
            }
        }
    };
}

scalars! {
    code: String = "code";
    name: String = "name";
    insurance_period: i64 = "insurancePeriod";
    administration_period: i64 = "administrationPeriod";
    max_members: i64 = "maxMembers", default 0;
    max_installments: i64 = "maxInstallments";
    recurrence: i64 = "recurrence";
    acc_code_remuneration: String = "accCodeRemuneration";
    acc_code_premiums: String = "accCodePremiums";
    lump_sum: Amount = "lumpSum", default "0";
    premium_adult: Amount = "premiumAdult", default "0";
    premium_child: Amount = "premiumChild", default "0";
    threshold: i64 = "threshold";
    share_contribution: Amount = "shareContribution";
    grace_period_renewal: i64 = "gracePeriodRenewal", default 0;
    grace_period_payment: i64 = "gracePeriodPayment", default 0;
    grace_period_enrolment: i64 = "gracePeriodEnrolment", default 0;
    registration_lump_sum: Amount = "registrationLumpSum";
    registration_fee: Amount = "registrationFee";
    general_assembly_lump_sum: Amount = "generalAssemblyLumpSum";
    general_assembly_fee: Amount = "generalAssemblyFee";
    start_cycle_1: String = "startCycle1";
    start_cycle_2: String = "startCycle2";
    start_cycle_3: String = "startCycle3";
    start_cycle_4: String = "startCycle4";
    renewal_discount_perc: i64 = "renewalDiscountPerc", default 0;
    renewal_discount_period: i64 = "renewalDiscountPeriod", default 0;
    enrolment_discount_perc: i64 = "enrolmentDiscountPerc", default 0;
    enrolment_discount_period: i64 = "enrolmentDiscountPeriod", default 0;
    max_ceiling_policy: Amount = "maxCeilingPolicy";
    max_ceiling_policy_ip: Amount = "maxCeilingPolicyIp";
    max_ceiling_policy_op: Amount = "maxCeilingPolicyOp";
    max_policy_extra_member: Amount = "maxPolicyExtraMember";
    max_policy_extra_member_op: Amount = "maxPolicyExtraMemberOp";
    max_policy_extra_member_ip: Amount = "maxPolicyExtraMemberIp";
    max_no_consultation: i64 = "maxNoConsultation";
    max_no_surgery: i64 = "maxNoSurgery";
    max_no_delivery: i64 = "maxNoDelivery";
    max_no_hospitalization: i64 = "maxNoHospitalization";
    max_no_visits: i64 = "maxNoVisits";
    max_no_antenatal: i64 = "maxNoAntenatal";
    max_amount_consultation: Amount = "maxAmountConsultation";
    max_amount_surgery: Amount = "maxAmountSurgery";
    max_amount_delivery: Amount = "maxAmountDelivery";
    max_amount_hospitalization: Amount = "maxAmountHospitalization";
    max_amount_antenatal: Amount = "maxAmountAntenatal";
    age_minimal: i64 = "ageMinimal";
    age_maximal: i64 = "ageMaximal";
}

impl Scalars {
    /// `startCycle1..4` as given.
    pub fn start_cycles(&self) -> [&Option<String>; 4] {
        [
            &self.start_cycle_1,
            &self.start_cycle_2,
            &self.start_cycle_3,
            &self.start_cycle_4,
        ]
    }
}

/// `Option<Option<T>>`: absent (`None`), sent as null (`Some(None)`), or a value.
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// `ProductInputType` and its forms (`uuid` names the updated product, or the duplicated one).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductInput {
    #[serde(flatten)]
    pub scalars: Scalars,
    pub uuid: Option<String>,
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    pub location_uuid: Option<String>,
    pub conversion_product_uuid: Option<String>,
    pub ceiling_interpretation: Option<String>,
    pub ceiling_type: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub deductible: Option<Option<Amount>>,
    #[serde(default, deserialize_with = "present")]
    pub deductible_ip: Option<Option<Amount>>,
    #[serde(default, deserialize_with = "present")]
    pub deductible_op: Option<Option<Amount>>,
    #[serde(default, deserialize_with = "present")]
    pub ceiling: Option<Option<Amount>>,
    #[serde(default, deserialize_with = "present")]
    pub ceiling_ip: Option<Option<Amount>>,
    #[serde(default, deserialize_with = "present")]
    pub ceiling_op: Option<Option<Amount>>,
    pub relative_prices: Option<Vec<Option<RelativePrices>>>,
    pub items: Option<Vec<DetailInput>>,
    pub services: Option<Vec<DetailInput>>,
}

/// `RelativePricesInput`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelativePrices {
    pub care_type: Option<String>,
    pub periods: Vec<Amount>,
}

/// `ProductItemInput` / `ProductServiceInput`; `target` is `itemUuid` or `serviceUuid` (or the
/// original's `item_id`/`service_id`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DetailInput {
    #[serde(default, deserialize_with = "present")]
    pub price_origin: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub limitation_type: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub limitation_type_r: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub limitation_type_e: Option<Option<String>>,
    pub waiting_period_adult: Option<i64>,
    pub waiting_period_child: Option<i64>,
    pub limit_no_adult: Option<i64>,
    pub limit_no_child: Option<i64>,
    pub limit_adult: Option<Amount>,
    pub limit_child: Option<Amount>,
    pub limit_adult_r: Option<Amount>,
    pub limit_child_r: Option<Amount>,
    pub limit_adult_e: Option<Amount>,
    pub limit_child_e: Option<Amount>,
    pub ceiling_exclusion_adult: Option<String>,
    pub ceiling_exclusion_child: Option<String>,
    #[serde(alias = "itemUuid", alias = "serviceUuid")]
    pub target_uuid: Option<String>,
    #[serde(
        alias = "itemId",
        alias = "serviceId",
        default,
        deserialize_with = "openimis_sdk::input::int"
    )]
    pub target_id: Option<i64>,
}

/// `deleteProduct`.
#[derive(Debug, Deserialize)]
pub struct DeleteInput {
    #[serde(default, deserialize_with = "openimis_sdk::input::strings")]
    pub uuids: Vec<String>,
}
