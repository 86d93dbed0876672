//! `createPolicy`, `updatePolicy` and `renewPolicy` inside the mutation's transaction, as the
//! original's `CreateRenewOrUpdatePolicyMutation.do_mutate` and `PolicyService`:
//! - a `uuid` names a valid idle policy to change (`validate_idle_policy`), for renew too;
//! - `enrollDate` must not be after today;
//! - without a `uuid` a row is inserted (status 1, stage N or R), its receipt checked or
//!   generated, every valid family member covered (`tblInsureePolicy`), and `isPaid` refused
//!   (below); with one, the row is copied to history, its dates, value, family, product and
//!   officer set (stage R and status 1 for a renewal, `ValidityFrom` now) and the members it
//!   covers refreshed, each coverage row with its own history copy;
//! - a renewal then withdraws the renewed policy's renewal proposals (`renewals.rs`);
//! - the saved policy is linked to the log (`policy_PolicyMutation`).
//!
//! Where the spec and the code differ, the code wins:
//! - `updatePolicy` always fails. `do_mutate` reads `data["stage"]` after the save to decide
//!   whether it renewed, and only create and renew put a stage in `data`: an update raises
//!   `KeyError('stage')`, recorded as `failed_to_update_policy` with the detail `'stage'`, and
//!   the transaction rolls the update back. The spec describes the update as if it went
//!   through; the same update does go through as a renewal with a `uuid`.
//! - `renewPolicy` with a `uuid` updates that policy (which must be idle) rather than creating
//!   one, and its refusals say `failed_to_update_policy`, as `validate_idle_policy` words them.
//!
//! `isPaid` makes the original create a premium through contribution's `premium_action`
//! (update ignores it): a new policy saved with `isPaid: true` is answered with what that
//! premium needs (`paid.rs`), which contribution's service creates once this transaction has
//! committed. Without the contribution module it fails with a message naming it, and nothing
//! is written. `payerUuid` is accepted and only used by that premium.

use crate::coverage::{cover, members};
use crate::inputs::Checked;
use crate::links::link;
use crate::paid::{unavailable, Paid};
use crate::receipts::receipt;
use crate::renewals::withdraw;
use crate::specs::POLICY;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::input::{failure, validation};
use openimis_sdk::mutation::MutationError;
use openimis_sdk::sql_filter::Where;
use openimis_sdk::ModuleError;
use serde_json::{json, Value};

type Errors = Vec<MutationError>;

/// `Policy.STATUS_IDLE`.
const IDLE: i64 = 1;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Create,
    Update,
    Renew,
}

impl Kind {
    /// The log's message for this mutation's failures.
    pub fn message(self) -> &'static str {
        match self {
            Kind::Create => "policy.mutation.failed_to_create_policy",
            Kind::Update => "policy.mutation.failed_to_update_policy",
            Kind::Renew => "policy.mutation.failed_to_renew_policy",
        }
    }

    /// The stage the mutation puts in `data`: none for an update.
    fn stage(self) -> Option<&'static str> {
        match self {
            Kind::Create => Some("N"),
            Kind::Update => None,
            Kind::Renew => Some("R"),
        }
    }
}

/// One save: what, from which input, by whom, the receipt length and the log to link.
pub struct Saving<'a> {
    pub kind: Kind,
    pub input: &'a Checked,
    pub audit: i64,
    pub receipt_length: usize,
    pub log: Option<&'a str>,
    /// Whether the contribution module runs (it creates the premium of `isPaid`).
    pub contribution: bool,
}

/// The stored policy `pk` as the entity layer answers it.
fn row_of(conn: &mut DbConnection, pk: i64) -> Result<Value, ModuleError> {
    let mut w = Where::new();
    w.and(
        &format!("{} = ?", POLICY.col("PolicyID")),
        [Bind::BigInt(Some(pk))],
    );
    let rows = entity::find(conn, &POLICY, &w, "")?;
    Ok(rows.into_iter().next().unwrap_or(Value::Null))
}

/// `validate_idle_policy`: the valid policy `uuid` names, which must be idle.
fn idle_policy(conn: &mut DbConnection, uuid: &str) -> Result<i64, Errors> {
    let message = Kind::Update.message();
    let found = entity::pk_by_uuid(conn, &POLICY, uuid).map_err(entity::failed(message))?;
    let Some(pk) = found else {
        return Err(failure(message, "policy.validation.id_does_not_exist"));
    };
    let row = row_of(conn, pk).map_err(entity::failed(message))?;
    if row["status"].as_i64() != Some(IDLE) {
        return Err(failure(message, "policy.mutation.policy_not_idle"));
    }
    Ok(pk)
}

/// The rows the input's keys name must exist (any validity, as a foreign key): the original
/// fails on a missing product or family with Django's `DoesNotExist` text when it reads them,
/// and on a missing officer with the foreign key's violation at commit; the officer's is
/// worded like the others here.
fn references(conn: &mut DbConnection, input: &Checked) -> Result<(), String> {
    let checks = [
        ("tblProduct", "ProdID", input.product, "Product"),
        ("tblFamilies", "FamilyID", input.family, "Family"),
        ("tblOfficer", "OfficerID", input.officer, "Officer"),
    ];
    for (table, key, id, model) in checks {
        let sql = format!(r#"SELECT COUNT(*) AS n FROM "{table}" WHERE "{key}" = ?"#);
        let n =
            db::count(conn, &sql, &[Bind::BigInt(Some(id))]).map_err(|e| e.message.to_string())?;
        if n == 0 {
            return Err(format!("{model} matching query does not exist."));
        }
    }
    Ok(())
}

/// The columns every save sets from the input.
fn values(input: &Checked, stage: Option<&str>) -> Value {
    let mut values = json!({
        "enrollDate": input.enroll_date.to_string(), "startDate": input.start_date.to_string(),
        "expiryDate": input.expiry_date.to_string(), "value": input.value,
        "product": input.product, "family": input.family, "officer": input.officer,
    });
    if let Some(stage) = stage {
        values["stage"] = json!(stage);
        values["status"] = json!(IDLE);
    }
    if let Some(plan) = &input.contribution_plan {
        values["contributionPlanId"] = json!(plan);
    }
    values
}

/// `update_policy`: history copy, the fields set, the covered members refreshed.
fn update(conn: &mut DbConnection, s: &Saving, pk: i64) -> Result<Value, ModuleError> {
    let stored = row_of(conn, pk)?;
    let family = stored["familyPk"].as_i64().unwrap_or_default();
    let covered = members(conn, Some(pk), family)?;
    entity::copy_to_history(conn, &POLICY, pk)?;
    let values = values(s.input, s.kind.stage());
    entity::update_in_place(conn, &POLICY, pk, &values, Some(s.audit))?;
    entity::restamp(conn, &POLICY, pk)?;
    let row = row_of(conn, pk)?;
    cover(conn, &row, &covered, s.audit)?;
    Ok(row)
}

/// `create_policy`: the row, its receipt, its coverage, and the premium `isPaid` asks for.
fn create(conn: &mut DbConnection, s: &Saving) -> Result<(Value, Option<Paid>), Errors> {
    let message = s.kind.message();
    let failed = entity::failed(message);
    let mut values = values(s.input, s.kind.stage());
    values["creationDate"] = json!(today().to_string());
    let pk = entity::insert(conn, &POLICY, &values, s.audit).map_err(&failed)?;
    let enroll = s.input.enroll_date.to_string();
    let given = s.input.receipt.as_deref();
    let receipt = receipt(conn, given, s.input.product, &enroll, s.receipt_length)
        .map_err(|detail| failure(message, detail))?;
    let row = row_of(conn, pk).map_err(&failed)?;
    let covered = members(conn, None, s.input.family).map_err(&failed)?;
    cover(conn, &row, &covered, s.audit).map_err(&failed)?;
    if !s.input.is_paid {
        return Ok((row, None));
    }
    let paid = Paid {
        policy: pk,
        uuid: row["uuid"].as_str().unwrap_or_default().to_owned(),
        value: s.input.value.clone(),
        receipt,
        enroll,
        payer: s.input.payer.clone(),
        audit: s.audit,
    };
    match s.contribution {
        true => Ok((row, Some(paid))),
        false => Err(failure(message, unavailable(&paid))),
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Saves one policy as `s` says, inside the caller's transaction; answers the premium a new
/// policy saved with `isPaid` is to get.
pub fn save(conn: &mut DbConnection, s: &Saving) -> Result<Option<Paid>, Errors> {
    let message = s.kind.message();
    let current = match &s.input.uuid {
        Some(uuid) => Some(idle_policy(conn, uuid)?),
        None => None,
    };
    if s.input.enroll_date > today() {
        let detail = validation("policy.enroll_date_in_the_future");
        return Err(failure(message, detail));
    }
    references(conn, s.input).map_err(|detail| failure(message, detail))?;
    let (row, paid) = match current {
        Some(pk) => (update(conn, s, pk).map_err(entity::failed(message))?, None),
        None => create(conn, s)?,
    };
    if s.kind == Kind::Update {
        // `data["stage"]`: see the file's comment.
        return Err(failure(message, "'stage'"));
    }
    if s.kind == Kind::Renew {
        withdraw(conn, s.input.family, s.input.product).map_err(entity::failed(message))?;
    }
    if let Some(log) = s.log {
        let pk = row["pk"].as_i64().unwrap_or_default();
        link(conn, pk, log).map_err(entity::failed(message))?;
    }
    Ok(paid)
}
