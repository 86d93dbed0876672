//! The original's enums (`product/enums.py`): the stored one-letter codes and their GraphQL
//! names, both ways.

/// `(GraphQL name, stored code)` of one enum.
pub type Enum = &'static [(&'static str, &'static str)];

pub const CARE_TYPE: Enum = &[("IN_PATIENT", "I"), ("OUT_PATIENT", "O"), ("BOTH", "B")];
pub const CEILING_INTERPRETATION: Enum = &[("CLAIM_TYPE", "I"), ("HEALTH_FACILITY_TYPE", "H")];
pub const CEILING_TYPE: Enum = &[("TREATMENT", "T"), ("POLICY", "P"), ("INSUREE", "I")];
pub const PRICE_ORIGIN: Enum = &[("PRICELIST", "P"), ("PROVIDER", "O"), ("RELATIVE", "R")];
pub const LIMIT_TYPE: Enum = &[("CO_INSURANCE", "C"), ("FIXED_AMOUNT", "F")];
pub const CEILING_EXCLUSION: Enum = &[("HOSPITAL", "H"), ("NON_HOSPITAL", "N"), ("BOTH", "B")];

/// The GraphQL name of a stored code (`None` for a code the enum lacks, as graphene answers).
pub fn name_of(e: Enum, code: &str) -> Option<&'static str> {
    e.iter().find(|(_, c)| *c == code).map(|(n, _)| *n)
}

/// The stored code of a GraphQL name.
pub fn code_of(e: Enum, name: &str) -> Option<&'static str> {
    e.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}
