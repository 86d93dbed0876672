//! The entities, declared once: payers (`tblPayer`, a versioned table) with the original's
//! `PayerFilter` (`payers`' own `location`, `search` and row security are `payers.rs`'), and
//! the filter-only view of `tblFunding` the original's `FundingFilter` reads. A funding's key
//! is a uuid (the original's `HistoryModel`), which the entity layer does not load: its rows
//! are read by `funding_rows.rs`.

use openimis_sdk::entity::*;

const TEXT_FILTERS: Lookups = EXACT | ICONTAINS;

pub static PAYER: EntitySpec = EntitySpec {
    type_name: "PayerGQLType",
    table: "tblPayer",
    alias: "py",
    key: "PayerID",
    uuid: Some("PayerUUID"),
    history: Some(HISTORY),
    fields: &[
        // `type` is the original's `filter_type`: `type = value`.
        text("type", "PayerType").filters(EXACT).write(),
        text("name", "PayerName").filters(TEXT_FILTERS).write(),
        text("address", "PayerAddress").write(),
        one("location", "LocationId", Target::Stub("LocationGQLType")).write(),
        text("phone", "Phone").filters(TEXT_FILTERS).write(),
        text("fax", "Fax").write(),
        text("email", "eMail").filters(TEXT_FILTERS).write(),
    ],
};

/// `FundingFilter` (`id` and `uuid` aside, which name the uuid key: `fundings.rs`).
pub static FUNDING_FILTERS: EntitySpec = EntitySpec {
    type_name: "FundingGQLType",
    table: "tblFunding",
    alias: "f",
    key: "UUID",
    uuid: None,
    history: None,
    fields: &[
        one("product", "ProdID", Target::Stub("ProductGQLType")),
        date("payDate", "PaidDate").filters(EXACT | RANGE),
        text("receipt", "Receipt").filters(TEXT_FILTERS),
        decimal("amount", "Amount", 2).filters(EXACT | RANGE),
        text("status", "Status").filters(EXACT),
    ],
};
