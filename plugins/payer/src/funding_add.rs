//! `addFunding` (payer.md §5): the valid payer and the valid product of the integer ids (a
//! missing one is the uncaught `DoesNotExist` of the original's `.get()`, an id that is not an
//! integer Django's `ValueError`), then, inside the original's `try`, the funding's
//! `HistoryModel.save`: core's checks, then a `tblFunding` row (status N, version 1, created
//! and updated now by the caller) and its simple_history row in `payer_historicalfunding`
//! (`history_type` `+`). It creates no policy (contribution's `add_fund` is not called) and no
//! `payer_PayerMutation` link, as the original.
//!
//! The spec says any exception becomes `payer.mutation.failed_to_add_funding`; in the
//! original's code only the save sits in the `try`, so the right check (`mutations.rs`) and
//! the two lookups fail as uncaught exceptions (`<class '…DoesNotExist'>`). The code wins.

use crate::choices::PENDING;
use crate::inputs::{int_id, FundingInput};
use crate::messages::ADD_FUNDING_FAILED;
use crate::reads::{valid_payer, valid_product};
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::django::{decimal_error, full_clean, Field};
use openimis_sdk::input::failure;
use openimis_sdk::mutation::threw;
use openimis_sdk::mutation::MutationError;
use openimis_sdk::sql_filter::date_param;
use openimis_sdk::{time, ModuleError};
use std::time::{SystemTime, UNIX_EPOCH};

/// A funding to write.
pub struct NewFunding<'a> {
    pub uuid: String,
    pub payer: i64,
    pub product: i64,
    pub pay_date: &'a str,
    /// The amount as the save stores it ([`saved_amount`]).
    pub amount: String,
    pub receipt: &'a str,
    pub status: &'a str,
    /// The `core_User` id of whoever saves it.
    pub user: &'a str,
    /// `DateCreated`/`DateUpdated`, and the history row's date.
    pub at: String,
}

/// core's `pre_save` receiver formats a non-zero decimal to its places through a float
/// (`"{:.2f}".format(float(x))`); zero stays as it was given.
pub fn saved_amount(text: &str) -> String {
    let value: f64 = text.parse().unwrap_or_default();
    match value == 0.0 {
        true => text.to_owned(),
        false => format!("{value:.2}"),
    }
}

/// A time-ordered uuid (version 7: the milliseconds since the epoch, then random bits), as
/// payer.md §5 says the reference's core keys a new `HistoryModel` row (the older core sources
/// at hand draw a v4 in `set_pk`; the spec describes the installed 1.11 wheels).
pub fn uuid_v7() -> String {
    let mut bytes = *uuid::Uuid::new_v4().as_bytes();
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as u64;
    bytes[..6].copy_from_slice(&ms.to_be_bytes()[2..]);
    bytes[6] = (bytes[6] & 0x0f) | 0x70;
    uuid::Uuid::from_bytes(bytes).hyphenated().to_string()
}

/// The funding's `full_clean()`: the amount's digits, then the receipt.
fn clean(funding: &NewFunding) -> Result<(), String> {
    full_clean(
        "Funding",
        &[
            ("amount", decimal_error(&funding.amount, 18, 2)),
            Field::text("receipt", Some(funding.receipt), 50)
                .required()
                .check(),
        ],
    )
}

/// Writes `funding` and its history row.
pub fn insert(conn: &mut DbConnection, funding: &NewFunding) -> Result<(), ModuleError> {
    let (uuid, ts, date) = (
        db::uuid_param(conn),
        db::timestamp_param(conn),
        date_param(conn),
    );
    let sql = format!(
        r#"INSERT INTO "tblFunding" ("UUID", "isDeleted", "Json_ext", "DateCreated", "DateUpdated",
             "UserCreatedUUID", "UserUpdatedUUID", "version", "ProdID", "Amount", "PaidDate", "Status",
             "PayerID", "Receipt")
           VALUES ({uuid}, ?, NULL, {ts}, {ts}, {uuid}, {uuid}, 1, ?, CAST(? AS NUMERIC), {date}, ?, ?, ?)"#
    );
    let binds = [
        Bind::text(&funding.uuid),
        Bind::Bool(Some(false)),
        Bind::text(&funding.at),
        Bind::text(&funding.at),
        Bind::text(funding.user),
        Bind::text(funding.user),
        Bind::BigInt(Some(funding.product)),
        Bind::text(&funding.amount),
        Bind::text(funding.pay_date),
        Bind::text(funding.status),
        Bind::BigInt(Some(funding.payer)),
        Bind::text(funding.receipt),
    ];
    db::execute(conn, &sql, &binds)?;
    // simple_history's post-save record: the row as saved, `+` for a creation.
    let history = format!(
        r#"INSERT INTO "payer_historicalfunding" ("UUID", "isDeleted", "Json_ext", "DateCreated",
             "DateUpdated", "version", "Amount", "PaidDate", "Status", "Receipt", "history_date",
             "history_change_reason", "history_type", "history_user_id", "PayerID", "ProdID",
             "UserCreatedUUID", "UserUpdatedUUID")
           SELECT "UUID", "isDeleted", "Json_ext", "DateCreated", "DateUpdated", "version", "Amount",
             "PaidDate", "Status", "Receipt", {ts}, NULL, '+', {uuid}, "PayerID", "ProdID",
             "UserCreatedUUID", "UserUpdatedUUID" FROM "tblFunding" WHERE "UUID" = {uuid}"#
    );
    let binds = [
        Bind::text(&funding.at),
        Bind::text(funding.user),
        Bind::text(&funding.uuid),
    ];
    db::execute(conn, &history, &binds).map(drop)
}

/// `AddFundingMutation.async_mutate` after its right check, as `user` (a `core_User` id).
pub fn add(
    conn: &mut DbConnection,
    input: &FundingInput,
    user: &str,
) -> Result<(), Vec<MutationError>> {
    let database = |e: ModuleError| failure(ADD_FUNDING_FAILED, e.message.to_string());
    let payer = int_id(&input.payer_id).ok_or_else(|| vec![threw("ValueError")])?;
    if !valid_payer(conn, payer).map_err(database)? {
        return Err(vec![threw("payer.models.Payer.DoesNotExist")]);
    }
    let product = int_id(&input.product_id).ok_or_else(|| vec![threw("ValueError")])?;
    if !valid_product(conn, product).map_err(database)? {
        return Err(vec![threw("product.models.Product.DoesNotExist")]);
    }
    let amount = match &input.amount {
        serde_json::Value::String(s) => s.trim().to_owned(),
        other => other.to_string(),
    };
    let funding = NewFunding {
        uuid: uuid_v7(),
        payer,
        product,
        pay_date: &input.pay_date,
        amount: saved_amount(&amount),
        receipt: &input.receipt,
        status: PENDING,
        user,
        at: time::now(),
    };
    clean(&funding).map_err(|detail| failure(ADD_FUNDING_FAILED, detail))?;
    insert(conn, &funding).map_err(|e| failure(ADD_FUNDING_FAILED, e.message.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_formatted_through_a_float_as_python_does() {
        // `"{:.2f}".format(float(x))`: correctly rounded, ties to even on the binary value.
        for (given, saved) in [
            ("100000", "100000.00"),
            ("12.5", "12.50"),
            ("0.125", "0.12"),
            ("2.675", "2.67"),
            ("0.375", "0.38"),
            ("-3", "-3.00"),
            ("0", "0"),
            ("0.000", "0.000"),
        ] {
            assert_eq!(saved_amount(given), saved, "{given}");
        }
    }

    #[test]
    fn new_keys_are_version_7() {
        let key = uuid_v7();
        let parsed = uuid::Uuid::parse_str(&key).unwrap();
        assert_eq!(parsed.get_version_num(), 7);
        assert_ne!(key, uuid_v7());
    }
}
