//! Reads a [`Context`] for one claim: the claim, insuree, facility, valid lines, the insuree's
//! policies at the target date and their products, product lines, price-list entries, earlier
//! claims, lines and ded/rem rows. Portable SQL (every value as text); the date filters of
//! the original's querysets are applied here, on parsed dates.

use super::context::*;
use super::day::{Day, Stamp};
use super::outcome::python_error;
use super::rows::{ints, marks, select, Text};
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::ModuleError;
use std::collections::BTreeMap;

/// core's `age_of_majority` default.
const AGE_OF_MAJORITY: i32 = 18;

/// `filter_validity(validity=day)`: from ≤ day 23:59:59 and (to null or ≥ it).
pub fn valid_at(from: Option<Stamp>, to: Option<Stamp>, at: Stamp) -> bool {
    from.is_some_and(|f| f <= at) && to.is_none_or(|t| t >= at)
}

fn missing(what: &str) -> ModuleError {
    python_error("DoesNotExist", what)
}

/// Loads everything claim `claim_id`'s adjudication reads.
pub fn load(conn: &mut DbConnection, claim_id: i32) -> Result<Context, ModuleError> {
    let (claim, insuree_id, hf_id) = claim(conn, claim_id)?;
    let target = claim.target_date();
    let insuree = insuree(conn, insuree_id)?;
    let (facility, lists) = facility(conn, hf_id)?;
    let lines = lines(conn, claim_id)?;
    let policies = policies(conn, insuree_id, target)?;
    let product_ids: Vec<i32> = dedup(policies.iter().map(|p| p.product_id));
    let policy_ids: Vec<i32> = dedup(policies.iter().map(|p| p.id));
    let ids = |kind: Kind| {
        dedup(
            lines
                .iter()
                .filter(|l| l.kind == kind)
                .map(|l| l.medical_id),
        )
    };
    let (item_ids, service_ids) = (ids(Kind::Item), ids(Kind::Service));
    let mut product_lines = BTreeMap::new();
    product_lines.insert(
        Kind::Item,
        product_lines_of(conn, Kind::Item, &product_ids, &item_ids)?,
    );
    product_lines.insert(
        Kind::Service,
        product_lines_of(conn, Kind::Service, &product_ids, &service_ids)?,
    );
    let mut price_listed = BTreeMap::new();
    let mut price_overrule = BTreeMap::new();
    for (kind, list, ids) in [
        (Kind::Item, lists.0, &item_ids),
        (Kind::Service, lists.1, &service_ids),
    ] {
        for (id, entries) in price_entries(conn, kind, list, ids)? {
            if entries
                .iter()
                .any(|e| valid_at(e.from, e.to, target.last_second()))
            {
                let category = lines
                    .iter()
                    .find(|l| l.kind == kind && l.medical_id == id)
                    .and_then(|l| l.medical.category.clone());
                price_listed.insert((kind, id), category);
            }
            if let Some(overrule) = entry_at(&entries, target) {
                price_overrule.insert((kind, id), overrule);
            }
        }
    }
    Ok(Context {
        category_services: category_services(conn, claim_id, target)?,
        provided: provided(conn, &claim, insuree_id, &item_ids, &service_ids)?,
        earlier_claims: earlier_claims(conn, insuree_id, claim_id)?,
        earlier_dedrems: earlier_dedrems(conn, &policy_ids, claim_id)?,
        policy_rows: policy_rows(conn, &policy_ids, target)?,
        products: products(conn, &product_ids)?,
        claim,
        insuree,
        facility,
        age_of_majority: AGE_OF_MAJORITY,
        lines,
        policies,
        product_lines,
        price_listed,
        price_overrule,
    })
}

fn dedup(values: impl Iterator<Item = i32>) -> Vec<i32> {
    let mut out: Vec<i32> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

pub fn claim(conn: &mut DbConnection, claim_id: i32) -> Result<(Claim, i32, i32), ModuleError> {
    let cols = [
        r#""ClaimID""#,
        r#""ClaimUUID""#,
        r#""ClaimCode""#,
        r#""DateFrom""#,
        r#""DateTo""#,
        r#""DateClaimed""#,
        r#""ClaimCategory""#,
        r#""VisitType""#,
        r#""ClaimStatus""#,
        r#""RejectionReason""#,
        r#""FeedbackStatus""#,
        r#""ReviewStatus""#,
        r#""InsureeID""#,
        r#""HFID""#,
    ];
    let rows = select(
        conn,
        &cols,
        r#"FROM "tblClaim" WHERE "ClaimID" = ?"#,
        &ints([claim_id]),
    )?;
    let r = rows
        .first()
        .ok_or_else(|| missing("Claim matching query does not exist."))?;
    let date_from = r
        .day(3)
        .ok_or_else(|| missing("the claim has no dateFrom"))?;
    let claim = Claim {
        id: claim_id,
        uuid: r.text(1).unwrap_or_default(),
        code: r.text(2).unwrap_or_default(),
        date_from,
        date_to: r.day(4),
        date_claimed: r.day(5).unwrap_or(date_from),
        category: r.text(6),
        visit_type: r.text(7),
        status: r.int(8).unwrap_or(2) as i16,
        rejection_reason: r.int(9).map(|v| v as i16),
        feedback_status: r.int(10).map(|v| v as i16),
        review_status: r.int(11).map(|v| v as i16),
    };
    Ok((
        claim,
        r.int(12).unwrap_or_default(),
        r.int(13).unwrap_or_default(),
    ))
}

fn insuree(conn: &mut DbConnection, insuree_id: i32) -> Result<Insuree, ModuleError> {
    let cols = [
        r#"CASE WHEN i."ValidityTo" IS NULL THEN 1 ELSE 0 END"#,
        r#"CASE WHEN f."FamilyID" IS NOT NULL AND f."ValidityTo" IS NULL THEN 1 ELSE 0 END"#,
        r#"i."DOB""#,
        r#"i."Gender""#,
    ];
    let rest = r#"FROM "tblInsuree" i LEFT JOIN "tblFamilies" f ON f."FamilyID" = i."FamilyID" WHERE i."InsureeID" = ?"#;
    let rows = select(conn, &cols, rest, &ints([insuree_id]))?;
    let r = rows
        .first()
        .ok_or_else(|| missing("Insuree matching query does not exist."))?;
    Ok(Insuree {
        id: insuree_id,
        valid: r.int(0) == Some(1),
        family_valid: r.int(1) == Some(1),
        dob: r.day(2),
        gender: r.text(3),
    })
}

type Lists = (Option<i32>, Option<i32>);

fn facility(conn: &mut DbConnection, hf_id: i32) -> Result<(HealthFacility, Lists), ModuleError> {
    let cols = [
        r#""HFCareType""#,
        r#""HFLevel""#,
        r#""PLItemID""#,
        r#""PLServiceID""#,
    ];
    let rows = select(
        conn,
        &cols,
        r#"FROM "tblHF" WHERE "HfID" = ?"#,
        &ints([hf_id]),
    )?;
    let r = rows
        .first()
        .ok_or_else(|| missing("HealthFacility matching query does not exist."))?;
    let facility = HealthFacility {
        care_type: r.text(0),
        level: r.text(1),
    };
    Ok((facility, (r.int(2), r.int(3))))
}

/// The line columns, after `kind`-specific `id`, `medical id`, `status` columns.
const LINE_STATE: [&str; 16] = [
    r#"l."RejectionReason""#,
    r#"l."QtyProvided""#,
    r#"l."QtyApproved""#,
    r#"l."PriceAsked""#,
    r#"l."PriceAdjusted""#,
    r#"l."PriceApproved""#,
    r#"l."PriceValuated""#,
    r#"l."ProdID""#,
    r#"l."PolicyID""#,
    r#"l."PriceOrigin""#,
    r#"l."Limitation""#,
    r#"l."LimitationValue""#,
    r#"l."DeductableAmount""#,
    r#"l."RemuneratedAmount""#,
    r#"l."ExceedCeilingAmount""#,
    r#"l."ValidityFrom""#,
];

/// The table, id, medical id, status and medical table/columns of a line kind.
struct Shape {
    table: &'static str,
    id: &'static str,
    medical_id: &'static str,
    status: &'static str,
    medical: &'static str,
    medical_cols: [&'static str; 8],
}

fn shape(kind: Kind) -> Shape {
    match kind {
        Kind::Item => Shape {
            table: "tblClaimItems",
            id: "ClaimItemID",
            medical_id: "ItemID",
            status: "ClaimItemStatus",
            medical: "tblItems",
            medical_cols: [
                r#"m."ValidityFrom""#,
                r#"m."ValidityTo""#,
                r#"m."ItemCareType""#,
                r#"m."ItemPatCat""#,
                r#"m."ItemFrequency""#,
                r#"m."ItemPrice""#,
                "NULL",
                r#"m."ItemName""#,
            ],
        },
        Kind::Service => Shape {
            table: "tblClaimServices",
            id: "ClaimServiceID",
            medical_id: "ServiceID",
            status: "ClaimServiceStatus",
            medical: "tblServices",
            medical_cols: [
                r#"m."ValidityFrom""#,
                r#"m."ValidityTo""#,
                r#"m."ServCareType""#,
                r#"m."ServPatCat""#,
                r#"m."ServFrequency""#,
                r#"m."ServPrice""#,
                r#"m."ServCategory""#,
                r#"m."ServName""#,
            ],
        },
    }
}

fn lines(conn: &mut DbConnection, claim_id: i32) -> Result<Vec<Line>, ModuleError> {
    let mut out = Vec::new();
    for kind in [Kind::Item, Kind::Service] {
        let s = shape(kind);
        let head = [
            format!(r#"l."{}""#, s.id),
            format!(r#"l."{}""#, s.medical_id),
            format!(r#"l."{}""#, s.status),
        ];
        let mut cols: Vec<&str> = head.iter().map(String::as_str).collect();
        cols.extend(LINE_STATE);
        cols.extend(s.medical_cols);
        let rest = format!(
            r#"FROM "{}" l JOIN "{}" m ON m."{}" = l."{}" WHERE l."ClaimID" = ? AND l."ValidityTo" IS NULL ORDER BY l."{}""#,
            s.table, s.medical, s.medical_id, s.medical_id, s.id
        );
        for r in select(conn, &cols, &rest, &ints([claim_id]))? {
            out.push(line(kind, &r));
        }
    }
    Ok(out)
}

fn line(kind: Kind, r: &Text) -> Line {
    let state = LineState {
        status: r.int(2).unwrap_or(1) as i16,
        rejection_reason: r.int(3).map(|v| v as i16),
        qty_provided: r.amount(4).unwrap_or_default(),
        qty_approved: r.amount(5),
        price_asked: r.amount(6).unwrap_or_default(),
        price_adjusted: r.amount(7),
        price_approved: r.amount(8),
        price_valuated: r.amount(9),
        product_id: r.int(10),
        policy_id: r.int(11),
        price_origin: r.text(12),
        limitation: r.text(13),
        limitation_value: r.amount(14),
        deductable_amount: r.amount(15),
        remunerated_amount: r.amount(16),
        exceed_ceiling_amount: r.amount(17),
    };
    // 18 is the line's own ValidityFrom (unused); the medical columns follow.
    Line {
        kind,
        id: r.int(0).unwrap_or_default(),
        medical_id: r.int(1).unwrap_or_default(),
        medical: Medical {
            validity_from: r.stamp(19),
            ended: r.get(20).is_some(),
            care_type: r.text(21),
            patient_category: r.int(22).unwrap_or(0),
            frequency: r.int(23),
            price: r.amount(24).unwrap_or_default(),
            category: r.text(25),
            name: r.text(26).unwrap_or_default(),
        },
        state,
    }
}

/// `get_valid_policies_qs(insuree, target)`: one entry per (policy, insuree-policy) row.
fn policies(
    conn: &mut DbConnection,
    insuree_id: i32,
    target: Day,
) -> Result<Vec<Policy>, ModuleError> {
    let cols = [
        r#"p."PolicyID""#,
        r#"p."ProdID""#,
        r#"p."EffectiveDate""#,
        r#"p."ExpiryDate""#,
        r#"p."PolicyStage""#,
        r#"p."ValidityFrom""#,
        r#"p."ValidityTo""#,
        r#"ip."ValidityFrom""#,
        r#"ip."ValidityTo""#,
        r#"ip."EffectiveDate""#,
        r#"ip."ExpiryDate""#,
    ];
    let rest = r#"FROM "tblPolicy" p JOIN "tblInsureePolicy" ip ON ip."PolicyId" = p."PolicyID"
        WHERE ip."InsureeID" = ? AND p."PolicyStatus" IN (2, 8)
        ORDER BY p."PolicyID", ip."InsureePolicyID""#;
    let at = target.last_second();
    let covers = |from: Option<Day>, to: Option<Day>| {
        from.is_some_and(|f| f <= target) && to.is_some_and(|t| t >= target)
    };
    Ok(select(conn, &cols, rest, &ints([insuree_id]))?
        .into_iter()
        .filter(|r| valid_at(r.stamp(5), r.stamp(6), at) && valid_at(r.stamp(7), r.stamp(8), at))
        .filter(|r| covers(r.day(2), r.day(3)) && covers(r.day(9), r.day(10)))
        .map(|r| Policy {
            id: r.int(0).unwrap_or_default(),
            product_id: r.int(1).unwrap_or_default(),
            effective_date: r.day(2),
            expiry_date: r.day(3),
            stage: r.text(4),
        })
        .collect())
}

const PRODUCT: [&str; 38] = [
    "ProdID",
    "DedTreatment",
    "DedInsuree",
    "DedPolicy",
    "DedIPTreatment",
    "DedIPInsuree",
    "DedIPPolicy",
    "DedOPTreatment",
    "DedOPInsuree",
    "DedOPPolicy",
    "MaxTreatment",
    "MaxInsuree",
    "MaxPolicy",
    "MaxIPTreatment",
    "MaxIPInsuree",
    "MaxIPPolicy",
    "MaxOPTreatment",
    "MaxOPInsuree",
    "MaxOPPolicy",
    "Threshold",
    "MaxPolicyExtraMember",
    "MaxPolicyExtraMemberIP",
    "MaxPolicyExtraMemberOP",
    "MaxCeilingPolicy",
    "MaxCeilingPolicyIP",
    "MaxCeilingPolicyOP",
    "MaxNoConsultation",
    "MaxNoSurgery",
    "MaxNoDelivery",
    "MaxNoHospitalizaion",
    "MaxNoVisits",
    "MaxNoAntenatal",
    "MaxAmountConsultation",
    "MaxAmountSurgery",
    "MaxAmountDelivery",
    "MaxAmountHospitalization",
    "MaxAmountAntenatal",
    "CeilingInterpretation",
];

fn products(conn: &mut DbConnection, ids: &[i32]) -> Result<BTreeMap<i32, Product>, ModuleError> {
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let quoted: Vec<String> = PRODUCT.iter().map(|c| format!(r#""{c}""#)).collect();
    let cols: Vec<&str> = quoted.iter().map(String::as_str).collect();
    let rest = format!(
        r#"FROM "tblProduct" WHERE "ProdID" IN ({})"#,
        marks(ids.len())
    );
    let mut out = BTreeMap::new();
    for r in select(conn, &cols, &rest, &ints(ids.iter().copied()))? {
        let a = |i| r.amount(i);
        let n = |i| r.int(i);
        let product = Product {
            id: n(0).unwrap_or_default(),
            ded_treatment: a(1),
            ded_insuree: a(2),
            ded_policy: a(3),
            ded_ip_treatment: a(4),
            ded_ip_insuree: a(5),
            ded_ip_policy: a(6),
            ded_op_treatment: a(7),
            ded_op_insuree: a(8),
            ded_op_policy: a(9),
            max_treatment: a(10),
            max_insuree: a(11),
            max_policy: a(12),
            max_ip_treatment: a(13),
            max_ip_insuree: a(14),
            max_ip_policy: a(15),
            max_op_treatment: a(16),
            max_op_insuree: a(17),
            max_op_policy: a(18),
            threshold: n(19),
            max_policy_extra_member: a(20),
            max_policy_extra_member_ip: a(21),
            max_policy_extra_member_op: a(22),
            max_ceiling_policy: a(23),
            max_ceiling_policy_ip: a(24),
            max_ceiling_policy_op: a(25),
            max_no_consultation: n(26),
            max_no_surgery: n(27),
            max_no_delivery: n(28),
            max_no_hospitalization: n(29),
            max_no_visits: n(30),
            max_no_antenatal: n(31),
            max_amount_consultation: a(32),
            max_amount_surgery: a(33),
            max_amount_delivery: a(34),
            max_amount_hospitalization: a(35),
            max_amount_antenatal: a(36),
            ceiling_interpretation: r.text(37),
        };
        out.insert(product.id, product);
    }
    Ok(out)
}

fn product_lines_of(
    conn: &mut DbConnection,
    kind: Kind,
    products: &[i32],
    medical: &[i32],
) -> Result<Vec<ProductLine>, ModuleError> {
    if products.is_empty() || medical.is_empty() {
        return Ok(Vec::new());
    }
    let (table, id, medical_id) = match kind {
        Kind::Item => ("tblProductItems", "ProdItemID", "ItemID"),
        Kind::Service => ("tblProductServices", "ProdServiceID", "ServiceID"),
    };
    let id_col = format!(r#""{id}""#);
    let medical_col = format!(r#""{medical_id}""#);
    let cols = [
        id_col.as_str(),
        r#""ProdID""#,
        medical_col.as_str(),
        r#""PriceOrigin""#,
        r#""LimitationType""#,
        r#""LimitAdult""#,
        r#""LimitChild""#,
        r#""LimitationTypeE""#,
        r#""LimitAdultE""#,
        r#""LimitChildE""#,
        r#""LimitationTypeR""#,
        r#""LimitAdultR""#,
        r#""LimitChildR""#,
        r#""WaitingPeriodAdult""#,
        r#""WaitingPeriodChild""#,
        r#""LimitNoAdult""#,
        r#""LimitNoChild""#,
        r#""CeilingExclusionAdult""#,
        r#""CeilingExclusionChild""#,
    ];
    let rest = format!(
        r#"FROM "{table}" WHERE "ValidityTo" IS NULL AND "ProdID" IN ({}) AND "{medical_id}" IN ({}) ORDER BY "{id}""#,
        marks(products.len()),
        marks(medical.len())
    );
    let binds: Vec<Bind> = ints(products.iter().chain(medical).copied());
    let limits = |r: &Text, i: usize| Limits {
        limitation_type: r.text(i),
        limit_adult: r.amount(i + 1),
        limit_child: r.amount(i + 2),
    };
    Ok(select(conn, &cols, &rest, &binds)?
        .iter()
        .map(|r| ProductLine {
            id: r.int(0).unwrap_or_default(),
            product_id: r.int(1).unwrap_or_default(),
            medical_id: r.int(2).unwrap_or_default(),
            price_origin: r.text(3),
            limits: [limits(r, 4), limits(r, 7), limits(r, 10)],
            waiting_period_adult: r.int(13),
            waiting_period_child: r.int(14),
            limit_no_adult: r.amount(15),
            limit_no_child: r.amount(16),
            ceiling_exclusion_adult: r.text(17),
            ceiling_exclusion_child: r.text(18),
        })
        .collect())
}

/// A price-list entry's validity and overrule.
struct Entry {
    from: Option<Stamp>,
    to: Option<Stamp>,
    overrule: Option<super::amount::Amount>,
}

/// The entries of the facility's (valid) price list for `ids`, per item/service, by id.
fn price_entries(
    conn: &mut DbConnection,
    kind: Kind,
    list: Option<i32>,
    ids: &[i32],
) -> Result<BTreeMap<i32, Vec<Entry>>, ModuleError> {
    let Some(list) = list.filter(|_| !ids.is_empty()) else {
        return Ok(BTreeMap::new());
    };
    let (detail, head, detail_id, list_id, medical_id) = match kind {
        Kind::Item => (
            "tblPLItemsDetail",
            "tblPLItems",
            "PLItemDetailID",
            "PLItemID",
            "ItemID",
        ),
        Kind::Service => (
            "tblPLServicesDetail",
            "tblPLServices",
            "PLServiceDetailID",
            "PLServiceID",
            "ServiceID",
        ),
    };
    let medical_col = format!(r#"d."{medical_id}""#);
    let cols = [
        medical_col.as_str(),
        r#"d."PriceOverule""#,
        r#"d."ValidityFrom""#,
        r#"d."ValidityTo""#,
    ];
    let rest = format!(
        r#"FROM "{detail}" d JOIN "{head}" h ON h."{list_id}" = d."{list_id}"
           WHERE h."{list_id}" = ? AND h."ValidityTo" IS NULL AND d."{medical_id}" IN ({})
           ORDER BY d."{detail_id}""#,
        marks(ids.len())
    );
    let binds = ints(std::iter::once(list).chain(ids.iter().copied()));
    let mut out: BTreeMap<i32, Vec<Entry>> = BTreeMap::new();
    for r in select(conn, &cols, &rest, &binds)? {
        out.entry(r.int(0).unwrap_or_default())
            .or_default()
            .push(Entry {
                overrule: r.amount(1),
                from: r.stamp(2),
                to: r.stamp(3),
            });
    }
    Ok(out)
}

/// `get_queryset_valid_at_date(entries, target).first()`: an entry ended on or after the
/// target day's midnight and started by then, else a current one started by then.
fn entry_at(entries: &[Entry], target: Day) -> Option<Option<super::amount::Amount>> {
    let at = target.midnight();
    let started = |e: &&Entry| e.from.is_some_and(|f| f <= at);
    entries
        .iter()
        .filter(started)
        .find(|e| e.to.is_some_and(|t| t >= at))
        .or_else(|| entries.iter().filter(started).find(|e| e.to.is_none()))
        .map(|e| e.overrule)
}

pub fn category_services(
    conn: &mut DbConnection,
    claim_id: i32,
    target: Day,
) -> Result<Vec<String>, ModuleError> {
    let cols = [
        r#"s."ServCategory""#,
        r#"l."ValidityFrom""#,
        r#"l."ValidityTo""#,
        r#"s."ValidityFrom""#,
        r#"s."ValidityTo""#,
    ];
    let rest = r#"FROM "tblClaimServices" l JOIN "tblServices" s ON s."ServiceID" = l."ServiceID" WHERE l."ClaimID" = ? ORDER BY l."ClaimServiceID""#;
    let at = target.last_second();
    Ok(select(conn, &cols, rest, &ints([claim_id]))?
        .into_iter()
        .filter(|r| valid_at(r.stamp(1), r.stamp(2), at) && valid_at(r.stamp(3), r.stamp(4), at))
        .filter_map(|r| r.text(0))
        .collect())
}

/// The insuree's earlier passed quantities of the claim's items and services.
fn provided(
    conn: &mut DbConnection,
    claim: &Claim,
    insuree_id: i32,
    items: &[i32],
    services: &[i32],
) -> Result<Vec<Provided>, ModuleError> {
    let mut out = Vec::new();
    for (kind, ids) in [(Kind::Item, items), (Kind::Service, services)] {
        if ids.is_empty() {
            continue;
        }
        let s = shape(kind);
        let cols = [
            format!(r#"l."{}""#, s.medical_id),
            r#"COALESCE(c."DateTo", c."DateFrom")"#.to_string(),
            r#"COALESCE(l."QtyApproved", l."QtyProvided")"#.to_string(),
        ];
        let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
        let rest = format!(
            r#"FROM "{}" l JOIN "tblClaim" c ON c."ClaimID" = l."ClaimID"
               WHERE c."InsureeID" = ? AND c."ClaimStatus" > 2 AND c."ValidityTo" IS NULL
               AND l."ValidityTo" IS NULL AND l."{}" = 1
               AND (l."RejectionReason" = 0 OR l."RejectionReason" IS NULL)
               AND c."ClaimID" <> ? AND l."{}" IN ({}) ORDER BY l."{}""#,
            s.table,
            s.status,
            s.medical_id,
            marks(ids.len()),
            s.id
        );
        let binds = ints(
            [insuree_id, claim.id]
                .into_iter()
                .chain(ids.iter().copied()),
        );
        for r in select(conn, &cols, &rest, &binds)? {
            if let Some(target_date) = r.day(1) {
                out.push(Provided {
                    kind,
                    medical_id: r.int(0).unwrap_or_default(),
                    target_date,
                    qty: r.amount(2).unwrap_or_default(),
                });
            }
        }
    }
    Ok(out)
}

fn earlier_claims(
    conn: &mut DbConnection,
    insuree_id: i32,
    claim_id: i32,
) -> Result<Vec<EarlierClaim>, ModuleError> {
    let cols = [r#""ClaimCategory""#, r#"COALESCE("DateTo", "DateFrom")"#];
    let rest = r#"FROM "tblClaim" WHERE "InsureeID" = ? AND "ValidityTo" IS NULL AND "ClaimStatus" > 2 AND "ClaimID" <> ?"#;
    Ok(select(conn, &cols, rest, &ints([insuree_id, claim_id]))?
        .into_iter()
        .filter_map(|r| {
            Some(EarlierClaim {
                category: r.text(0),
                target_date: r.day(1)?,
            })
        })
        .collect())
}

fn earlier_dedrems(
    conn: &mut DbConnection,
    policies: &[i32],
    claim_id: i32,
) -> Result<Vec<EarlierDedRem>, ModuleError> {
    if policies.is_empty() {
        return Ok(Vec::new());
    }
    let cols = [
        r#""PolicyID""#,
        r#""InsureeID""#,
        r#""DedG""#,
        r#""DedIP""#,
        r#""DedOP""#,
        r#""RemG""#,
        r#""RemIP""#,
        r#""RemOP""#,
    ];
    let rest = format!(
        r#"FROM "tblClaimDedRem" WHERE "PolicyID" IN ({}) AND "ClaimID" <> ? ORDER BY "ExpenditureID""#,
        marks(policies.len())
    );
    let binds = ints(policies.iter().copied().chain([claim_id]));
    Ok(select(conn, &cols, &rest, &binds)?
        .into_iter()
        .map(|r| EarlierDedRem {
            policy_id: r.int(0).unwrap_or_default(),
            insuree_id: r.int(1),
            ded_g: r.amount(2),
            ded_ip: r.amount(3),
            ded_op: r.amount(4),
            rem_g: r.amount(5),
            rem_ip: r.amount(6),
            rem_op: r.amount(7),
        })
        .collect())
}

/// `get_policy_members`: the policy's valid rows covering the target date.
fn policy_rows(
    conn: &mut DbConnection,
    policies: &[i32],
    target: Day,
) -> Result<BTreeMap<i32, i64>, ModuleError> {
    if policies.is_empty() {
        return Ok(BTreeMap::new());
    }
    let cols = [r#""PolicyID""#, r#""EffectiveDate""#, r#""ExpiryDate""#];
    let rest = format!(
        r#"FROM "tblPolicy" WHERE "PolicyID" IN ({}) AND "ValidityTo" IS NULL"#,
        marks(policies.len())
    );
    let mut out: BTreeMap<i32, i64> = policies.iter().map(|p| (*p, 0)).collect();
    for r in select(conn, &cols, &rest, &ints(policies.iter().copied()))? {
        let covers = r.day(1).is_some_and(|f| f <= target) && r.day(2).is_some_and(|t| t >= target);
        if covers {
            *out.entry(r.int(0).unwrap_or_default()).or_default() += 1;
        }
    }
    Ok(out)
}
