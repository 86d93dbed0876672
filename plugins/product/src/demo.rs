//! Demo data (`DEMO_DATASET=True`): products of the original demo's shape, saved through the
//! mutations' own path into an empty `tblProduct`. `BASIC` (uuid `c0000000-…-71`, the one the
//! frontend's recorded operations address) covers Region 1 with a lump sum, two of medical's
//! demo items and its general consultation; `FCUL0001` is a national fixed-cycle product
//! priced per adult and child.

use crate::inputs::ProductInput;
use crate::save::save;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::ModuleError;
use serde_json::{json, Value};

fn products() -> [Value; 2] {
    let limits = json!({"priceOrigin": "PRICELIST", "limitationType": "CO_INSURANCE",
        "limitationTypeR": "CO_INSURANCE", "limitationTypeE": "CO_INSURANCE",
        "limitAdult": "100", "limitChild": "100", "limitAdultR": "100", "limitChildR": "100",
        "limitAdultE": "100", "limitChildE": "100"});
    let with = |key: &str, uuid: &str| {
        let mut detail = limits.clone();
        detail[key] = json!(uuid);
        detail
    };
    [
        json!({"uuid": "c0000000-0000-4000-8000-000000000071", "code": "BASIC", "name": "Basic Cover",
            "locationUuid": "2ea0e0a0-0000-4000-8000-000000000001", "dateFrom": "2017-01-01",
            "dateTo": "2030-12-31", "insurancePeriod": 12, "maxMembers": 6, "lumpSum": "10000",
            "threshold": 6, "gracePeriodEnrolment": 1, "gracePeriodRenewal": 1, "maxInstallments": 3,
            "ceilingType": "INSUREE", "ceilingInterpretation": "CLAIM_TYPE", "ceiling": "500000",
            "deductible": "0", "ageMinimal": 0, "ageMaximal": 99, "accCodePremiums": "PREM",
            "relativePrices": [{"careType": "BOTH", "periods": ["100"]}],
            "items": [with("itemUuid", "5b086a53-09ec-49e8-b8c6-dc5a127c2694"),
                      with("itemUuid", "e0000000-0000-4000-8000-000000000091")],
            "services": [with("serviceUuid", "e1000000-0000-4000-8000-000000000092")]}),
        json!({"uuid": "c0000000-0000-4000-8000-000000000072", "code": "FCUL0001",
            "name": "Fixed Cycle Cover Ultha", "dateFrom": "2017-01-01", "dateTo": "2030-12-31",
            "insurancePeriod": 12, "maxMembers": 9999, "lumpSum": "0", "premiumAdult": "1000",
            "premiumChild": "500", "startCycle1": "01-01", "startCycle2": "01-07",
            "gracePeriodEnrolment": 2, "enrolmentDiscountPerc": 10, "enrolmentDiscountPeriod": 1,
            "ceilingType": "TREATMENT", "ceilingInterpretation": "HEALTH_FACILITY_TYPE",
            "deductibleIp": "100", "ceilingIp": "20000", "ceilingOp": "5000"}),
    ]
}

/// Seeds the demo products into an empty `tblProduct`.
pub fn seed(conn: &mut DbConnection) -> Result<(), ModuleError> {
    if db::count(conn, r#"SELECT COUNT(*) AS n FROM "tblProduct""#, &[])? > 0 {
        return Ok(());
    }
    for raw in products() {
        let map = raw.as_object().cloned().unwrap_or_default();
        let mut input: ProductInput = serde_json::from_value(raw)
            .map_err(|e| ModuleError::new("DEMO_FAILED", e.to_string()))?;
        let uuid = input.uuid.take();
        let pk = save(conn, &input, &map, 1, None)
            .map_err(|e| ModuleError::new("DEMO_FAILED", format!("{e:?}")))?;
        let stamp = db::timestamp_param(conn);
        let sql = format!(
            r#"UPDATE "tblProduct" SET "ProdUUID" = {}, "ValidityFrom" = {stamp} WHERE "ProdID" = ?"#,
            db::uuid_param(conn)
        );
        let binds = [
            Bind::Text(uuid),
            Bind::text("2018-03-20 05:14:12"),
            Bind::BigInt(Some(pk)),
        ];
        db::execute(conn, &sql, &binds)?;
    }
    Ok(())
}
