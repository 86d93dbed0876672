//! A claim's items and services as `createClaim`/`updateClaim` write them (the original's
//! `process_child_relation` with its hooks): the quantities checked against medical's
//! `maximum_amount` (`mutation.claim_item_service_maximum_amount_overshoot`), each line's
//! claimed amount (`calcul_amount_service`: a service with `manualPrice` counts its price, a
//! package the sum of its sub-lines), a line named by `id` revived and overwritten with what was
//! sent, any other line created passed (1), a new package service with its sub-lines
//! (`tblClaimServicesItems` / `tblClaimServicesService`).
//! medical's `tblItems`/`tblServices` are read directly, inside the save's transaction (a
//! service call there would wait for the transaction's own lock on SQLite).

use crate::claim_copy::{returning_id, LineTable, ITEMS, SERVICES};
use crate::inputs::{given, placeholder, Column, LineInput, SubLineInput};
use crate::mutation_messages::{
    does_not_exist, key_error, validation, MAXIMUM_OVERSHOOT, NONE_COMPARED,
};
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::decimal::Decimal;
use openimis_sdk::entity::Kind;
use openimis_sdk::{time, ModuleError};

/// Why a line could not be saved: the `str()` of the exception the original raises.
pub type Refusal = String;

fn db_refusal(e: ModuleError) -> Refusal {
    e.message.to_string()
}

const DEC: Kind = Kind::Decimal(2);

/// The keys of `ClaimItemInputType` and `ClaimServiceInputType` both carry.
const COMMON: &[Column] = &[
    ("status", "", Kind::Int),
    ("qtyProvided", "QtyProvided", DEC),
    ("qtyApproved", "QtyApproved", DEC),
    ("priceAsked", "PriceAsked", DEC),
    ("priceAdjusted", "PriceAdjusted", DEC),
    ("priceApproved", "PriceApproved", DEC),
    ("priceValuated", "PriceValuated", DEC),
    ("explanation", "Explanation", Kind::Text),
    ("justification", "Justification", Kind::Text),
    ("rejectionReason", "RejectionReason", Kind::Int),
    ("validityFromReview", "ValidityFromReview", Kind::DateTime),
    ("validityToReview", "ValidityToReview", Kind::DateTime),
    ("limitationValue", "LimitationValue", DEC),
    ("limitation", "Limitation", Kind::Text),
    ("remuneratedAmount", "RemuneratedAmount", DEC),
    ("deductableAmount", "DeductableAmount", DEC),
    ("exceedCeilingAmount", "ExceedCeilingAmount", DEC),
    ("priceOrigin", "PriceOrigin", Kind::Text),
    (
        "exceedCeilingAmountCategory",
        "ExceedCeilingAmountCategory",
        DEC,
    ),
];

/// `ClaimServiceInputType`'s keys beyond the common ones.
const SERVICE_ONLY: &[Column] = &[
    ("serviceId", "ServiceID", Kind::Int),
    ("legacyId", "LegacyID", Kind::Int),
    ("validityTo", "ValidityTo", Kind::DateTime),
    ("auditUserIdReview", "AuditUserIDReview", Kind::Int),
    ("policyId", "PolicyID", Kind::Int),
];

/// Items or services: where they live and what their input carries.
pub struct Kin {
    pub table: &'static LineTable,
    /// `tblItems` / `tblServices` and their key.
    medical: (&'static str, &'static str),
    /// `ClaimItem` / `ClaimService`, as the original's errors name them.
    pub model: &'static str,
    own: &'static [Column],
}

pub const ITEM: Kin = Kin {
    table: &ITEMS,
    medical: ("tblItems", "ItemID"),
    model: "ClaimItem",
    own: &[("itemId", "ItemID", Kind::Int)],
};

pub const SERVICE: Kin = Kin {
    table: &SERVICES,
    medical: ("tblServices", "ServiceID"),
    model: "ClaimService",
    own: SERVICE_ONLY,
};

impl Kin {
    fn is_service(&self) -> bool {
        self.table.table == SERVICES.table
    }

    /// The line's columns the input's keys set (`status` into the table's status column).
    pub fn columns(&self) -> Vec<Column> {
        let status = self.table.status;
        self.own
            .iter()
            .copied()
            .chain(COMMON.iter().map(|c| match c.0 {
                "status" => ("status", status, Kind::Int),
                _ => *c,
            }))
            .collect()
    }

    fn medical_id(&self, line: &LineInput) -> Option<i64> {
        match self.is_service() {
            true => line.typed.service_id,
            false => line.typed.item_id,
        }
    }
}

/// Python's `a or b` over decimals: `None` and zero are falsy.
fn or(values: &[Option<Decimal>]) -> Option<Decimal> {
    let last = values.last().copied().flatten();
    values
        .iter()
        .copied()
        .flatten()
        .find(|d| !d.is_zero())
        .or(last)
}

/// `str(TypeError)` of `a * b` when either is `None` (the values are floats by then).
fn product_error(a: Option<Decimal>, b: Option<Decimal>) -> Refusal {
    let name = |d: Option<Decimal>| if d.is_some() { "float" } else { "NoneType" };
    format!(
        "unsupported operand type(s) for *: '{}' and '{}'",
        name(a),
        name(b)
    )
}

/// `generic_amount_claimdetail`: `(price_approved or price_adjusted or price_asked) ×
/// (qty_approved or qty_provided) or 0`.
fn generic_amount(
    prices: &[Option<Decimal>],
    quantities: &[Option<Decimal>],
) -> Result<Decimal, Refusal> {
    let (price, qty) = (or(prices), or(quantities));
    match (price, qty) {
        (Some(p), Some(q)) => Ok(p.product(q)),
        (p, q) => Err(product_error(p, q)),
    }
}

fn sub_amount(sub: &SubLineInput) -> Result<Decimal, Refusal> {
    generic_amount(&[sub.price_asked.flatten()], &[sub.qty_provided.flatten()])
}

#[derive(diesel::QueryableByName)]
struct Medical {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    maximum: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Bool>)]
    manual: Option<bool>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    price: String,
}

/// The valid item or service `id` (`Item.objects.get(id=…, validity_to__isnull=True)`).
fn medical(conn: &mut DbConnection, kin: &Kin, id: Option<i64>) -> Result<Medical, Refusal> {
    let (table, key) = kin.medical;
    let (manual, price) = match kin.is_service() {
        true => (r#"m."manualPrice""#, r#"m."ServPrice""#),
        false => ("CAST(NULL AS BOOLEAN)", r#"m."ItemPrice""#),
    };
    let sql = format!(
        r#"SELECT CAST(m."MaximumAmount" AS TEXT) AS maximum, {manual} AS manual,
           CAST({price} AS TEXT) AS price FROM "{table}" m WHERE m."{key}" = ? AND m."ValidityTo" IS NULL"#
    );
    let rows: Vec<Medical> = db::load(conn, &sql, &[Bind::BigInt(id)]).map_err(db_refusal)?;
    let model = if kin.is_service() { "Service" } else { "Item" };
    rows.into_iter().next().ok_or_else(|| does_not_exist(model))
}

/// `__check_if_maximum_amount_overshoot`: a quantity over its item's or service's
/// `int(maximum_amount)` (a maximum of 0 or none is no limit) refuses the whole save.
fn check_maximum(conn: &mut DbConnection, kin: &Kin, lines: &[&LineInput]) -> Result<(), Refusal> {
    for line in lines {
        let found = medical(conn, kin, kin.medical_id(line))?;
        let maximum = found
            .maximum
            .as_deref()
            .and_then(Decimal::parse)
            .filter(|m| !m.is_zero())
            .map(|m| m.to_f64().trunc() as i64);
        let Some(maximum) = maximum else { continue };
        match line.typed.qty_provided {
            None => return Err(NONE_COMPARED.to_owned()),
            Some(q) if q > Decimal::int(maximum) => return Err(validation(MAXIMUM_OVERSHOOT)),
            Some(_) => {}
        }
    }
    Ok(())
}

/// `calcul_amount_service`: what a line adds to the claim's `claimed`.
fn claimed_amount(
    conn: &mut DbConnection,
    kin: &Kin,
    line: &LineInput,
) -> Result<Decimal, Refusal> {
    let t = &line.typed;
    if kin.is_service() {
        let found = medical(conn, kin, t.service_id)?;
        if found.manual == Some(true) {
            return Ok(Decimal::parse(&found.price).unwrap_or(Decimal::ZERO));
        }
    }
    let total = generic_amount(
        &[t.price_approved, t.price_adjusted, t.price_asked],
        &[t.qty_approved, t.qty_provided],
    )?;
    if !kin.is_service() {
        return Ok(total);
    }
    let mut subs = Decimal::ZERO;
    let mut found = false;
    for set in [&t.service_item_set, &t.service_service_set] {
        for sub in set.iter().flatten() {
            found = true;
            if let Some(sub) = sub {
                subs = subs.plus(sub_amount(sub)?);
            }
        }
    }
    Ok(if found { subs } else { total })
}

/// Saves the `lines` of `kin` on claim `claim` (after its old lines were ended) and answers
/// what they add to `claimed`.
pub fn save_lines(
    conn: &mut DbConnection,
    kin: &Kin,
    claim: i32,
    lines: &[&LineInput],
    audit: i32,
) -> Result<Decimal, Refusal> {
    check_maximum(conn, kin, lines)?;
    let mut claimed = Decimal::ZERO;
    for line in lines {
        claimed = claimed.plus(claimed_amount(conn, kin, line)?);
        match line.typed.id.filter(|id| *id != 0) {
            Some(id) => revive(conn, kin, claim, id, line, audit)?,
            None => create(conn, kin, claim, line, audit)?,
        }
    }
    Ok(claimed)
}

/// The line `id` of claim `claim` (any validity), overwritten with what was sent, made valid
/// again from now; a service's package sub-lines get the quantities asked.
fn revive(
    conn: &mut DbConnection,
    kin: &Kin,
    claim: i32,
    id: i64,
    line: &LineInput,
    audit: i32,
) -> Result<(), Refusal> {
    let lt = kin.table;
    let exists = format!(
        r#"SELECT COUNT(*) AS n FROM "{}" WHERE "{}" = ? AND "ClaimID" = ?"#,
        lt.table, lt.key
    );
    let binds = [Bind::BigInt(Some(id)), Bind::Int(Some(claim))];
    if db::count(conn, &exists, &binds).map_err(db_refusal)? == 0 {
        return Err(does_not_exist(kin.model));
    }
    let mut sets = given(conn, &kin.columns(), &line.raw).map_err(db_refusal)?;
    let now = time::now();
    let stamp = db::timestamp_param(conn);
    sets.retain(|(c, _, _)| c != r#""ValidityTo""#);
    sets.push((r#""ValidityFrom""#.into(), stamp, Bind::text(&now)));
    sets.push((r#""AuditUserID""#.into(), "?", Bind::Int(Some(audit))));
    sets.push((r#""ClaimID""#.into(), "?", Bind::Int(Some(claim))));
    sets.push((r#""ValidityTo""#.into(), stamp, Bind::Text(None)));
    if kin.is_service() {
        quantities_asked(conn, claim, line)?;
    }
    let assignments: Vec<String> = sets.iter().map(|(c, m, _)| format!("{c} = {m}")).collect();
    let mut binds: Vec<Bind> = sets.into_iter().map(|s| s.2).collect();
    binds.push(Bind::BigInt(Some(id)));
    let sql = format!(
        r#"UPDATE "{}" SET {} WHERE "{}" = ?"#,
        lt.table,
        assignments.join(", "),
        lt.key
    );
    db::execute(conn, &sql, &binds)
        .map(drop)
        .map_err(db_refusal)
}

/// `service_update_hook`: each sub-line sent sets `qty_displayed` (its `qty_asked`) on the
/// claim's first line of that service, found by the sub item's or sub service's code.
fn quantities_asked(conn: &mut DbConnection, claim: i32, line: &LineInput) -> Result<(), Refusal> {
    let t = &line.typed;
    let sets = [
        (
            &t.service_item_set,
            "tblClaimServicesItems",
            "ClaimServiceID",
            "ItemID",
            ("tblItems", "ItemID", "ItemCode"),
        ),
        (
            &t.service_service_set,
            "tblClaimServicesService",
            "claimServiceID",
            "ServiceId",
            ("tblServices", "ServiceID", "ServCode"),
        ),
    ];
    for (set, table, parent, child, (medical, key, code)) in sets {
        let Some(set) = set else { continue };
        for sub in set {
            let Some(sub) = sub else {
                return Err("'NoneType' object is not subscriptable".to_owned());
            };
            let asked = sub.qty_asked.ok_or_else(|| key_error("qty_asked"))?;
            let sub_code = sub
                .sub_item_code
                .as_deref()
                .or(sub.sub_service_code.as_deref());
            let target = format!(
                r#"SELECT CAST(x."{pk}" AS BIGINT) AS id FROM "{table}" x
                   WHERE x."{child}" = (SELECT m."{key}" FROM "{medical}" m WHERE m."{code}" = ? ORDER BY m."{key}" LIMIT 1)
                   AND x."{parent}" = (SELECT s."ClaimServiceID" FROM "tblClaimServices" s
                       WHERE s."ClaimID" = ? AND s."ServiceID" = ? ORDER BY s."ClaimServiceID" LIMIT 1)
                   ORDER BY x."{pk}""#,
                pk = if table == "tblClaimServicesItems" {
                    "idCsi"
                } else {
                    "idCss"
                },
            );
            let binds = [
                Bind::Text(sub_code.map(str::to_owned)),
                Bind::Int(Some(claim)),
                Bind::BigInt(t.service_id),
            ];
            let found = openimis_sdk::entity::ids(conn, &target, &binds).map_err(db_refusal)?;
            let Some(row) = found.first() else {
                return Err("'NoneType' object has no attribute 'qty_displayed'".to_owned());
            };
            let pk = if table == "tblClaimServicesItems" {
                "idCsi"
            } else {
                "idCss"
            };
            let sql = format!(r#"UPDATE "{table}" SET "qty_displayed" = ? WHERE "{pk}" = ?"#);
            let shown = Bind::BigInt(asked.map(|q| q.to_f64().trunc() as i64));
            db::execute(conn, &sql, &[shown, Bind::BigInt(Some(*row))]).map_err(db_refusal)?;
        }
    }
    Ok(())
}

/// A new line of claim `claim`: what was sent, passed (1), valid from now; an item is
/// `available`; a service's package sub-lines are created with it (`service_create_hook`).
fn create(
    conn: &mut DbConnection,
    kin: &Kin,
    claim: i32,
    line: &LineInput,
    audit: i32,
) -> Result<(), Refusal> {
    let lt = kin.table;
    let mut cols = given(conn, &kin.columns(), &line.raw).map_err(db_refusal)?;
    let status = format!(r#""{}""#, lt.status);
    cols.retain(|(c, _, _)| *c != status);
    let now = time::now();
    cols.push((status, "?", Bind::Int(Some(1))));
    cols.push((
        r#""ValidityFrom""#.into(),
        db::timestamp_param(conn),
        Bind::text(&now),
    ));
    cols.push((r#""AuditUserID""#.into(), "?", Bind::Int(Some(audit))));
    cols.push((r#""ClaimID""#.into(), "?", Bind::Int(Some(claim))));
    if !kin.is_service() {
        cols.push((r#""Availability""#.into(), "?", Bind::Bool(Some(true))));
    }
    let names: Vec<&str> = cols.iter().map(|c| c.0.as_str()).collect();
    let marks: Vec<&str> = cols.iter().map(|c| c.1).collect();
    let binds: Vec<Bind> = cols.iter().map(|c| c.2.clone()).collect();
    let sql = format!(
        r#"INSERT INTO "{}" ({}) VALUES ({}) RETURNING CAST("{}" AS BIGINT) AS id"#,
        lt.table,
        names.join(", "),
        marks.join(", "),
        lt.key
    );
    let created = returning_id(conn, &sql, &binds).map_err(db_refusal)?;
    if kin.is_service() {
        sub_lines(conn, created, line)?;
    }
    Ok(())
}

/// The package's sub-lines of new service line `service`: each names its item or service by
/// code (the first row with that code, any validity), with the quantity asked as
/// `qty_displayed`, the quantity provided and the price asked (all three required, as the
/// original reads them with `[…]`).
fn sub_lines(conn: &mut DbConnection, service: i64, line: &LineInput) -> Result<(), Refusal> {
    let t = &line.typed;
    let sets = [
        (
            t.service_item_set.as_ref(),
            line.has("serviceItemSet"),
            "tblClaimServicesItems",
            "ClaimServiceID",
            "ItemID",
            ("tblItems", "ItemID", "ItemCode"),
        ),
        (
            t.service_service_set.as_ref(),
            line.has("serviceServiceSet"),
            "tblClaimServicesService",
            "claimServiceID",
            "ServiceId",
            ("tblServices", "ServiceID", "ServCode"),
        ),
    ];
    for (set, sent, table, parent, child, (medical, key, code)) in sets {
        let set = match (set, sent) {
            (Some(set), _) => set,
            (None, true) => return Err("'NoneType' object is not iterable".to_owned()),
            (None, false) => continue,
        };
        for sub in set {
            let Some(sub) = sub else {
                return Err("'NoneType' object is not subscriptable".to_owned());
            };
            let asked = sub.qty_asked.ok_or_else(|| key_error("qty_asked"))?;
            let provided = sub.qty_provided.ok_or_else(|| key_error("qty_provided"))?;
            let price = sub.price_asked.ok_or_else(|| key_error("price_asked"))?;
            let sub_code = sub
                .sub_item_code
                .as_deref()
                .or(sub.sub_service_code.as_deref());
            let whole = |q: Option<Decimal>| Bind::BigInt(q.map(|q| q.to_f64().trunc() as i64));
            let price = Bind::Text(price.map(|p| p.round_half_even(2).to_string()));
            let sql = format!(
                r#"INSERT INTO "{table}" ("{child}", "{parent}", "qty_displayed", "qty_provided", "price", "created_date")
                   VALUES ((SELECT m."{key}" FROM "{medical}" m WHERE m."{code}" = ? ORDER BY m."{key}" LIMIT 1),
                           ?, ?, ?, {}, {})"#,
                placeholder(conn, Kind::Decimal(2)),
                db::timestamp_param(conn),
            );
            let binds = [
                Bind::Text(sub_code.map(str::to_owned)),
                Bind::BigInt(Some(service)),
                whole(asked),
                whole(provided),
                price,
                Bind::text(time::now()),
            ];
            db::execute(conn, &sql, &binds).map_err(db_refusal)?;
        }
    }
    Ok(())
}

/// Ends every line of claim `claim` (`claim.items.update(validity_to=now)`, ended ones too).
pub fn end_lines(conn: &mut DbConnection, claim: i32) -> Result<(), Refusal> {
    let now = time::now();
    for lt in [&ITEMS, &SERVICES] {
        let sql = format!(
            r#"UPDATE "{}" SET "ValidityTo" = {} WHERE "ClaimID" = ?"#,
            lt.table,
            db::timestamp_param(conn)
        );
        db::execute(conn, &sql, &[Bind::text(&now), Bind::Int(Some(claim))]).map_err(db_refusal)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn products_and_truthiness_as_python() {
        assert_eq!(d("12.50").product(d("10.00")).to_string(), "125.0000");
        assert_eq!(d("-1.5").product(d("2")).to_string(), "-3.0");
        assert_eq!(d("0.01").product(d("0.01")).to_string(), "0.0001");
        assert_eq!(or(&[Some(d("0.00")), None, Some(d("3"))]), Some(d("3")));
        assert_eq!(or(&[None, Some(d("0"))]), Some(d("0")));
        let amount = generic_amount(&[None, None, Some(d("12.50"))], &[None, Some(d("10"))]);
        assert_eq!(amount.unwrap(), d("125"));
        assert_eq!(
            generic_amount(&[None, None, None], &[Some(d("1"))]).unwrap_err(),
            "unsupported operand type(s) for *: 'NoneType' and 'float'"
        );
    }
}
