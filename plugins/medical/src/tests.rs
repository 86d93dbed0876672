//! Unit tests against the SDK's `FakeHost` (a temporary SQLite file, the demo data): the
//! services other modules call, and the import graph.

use crate::Medical;
use openimis_sdk::module_shell::Pooled;
use openimis_sdk::testing::FakeHost;
use openimis_sdk::OpenImisModule;
use serde_json::{json, Value};

fn started() -> (Pooled<Medical>, FakeHost) {
    let host = FakeHost::new()
        .temp_sqlite()
        .service("host", |_, _| Ok(json!({"demo_dataset": true})));
    let module = Pooled::<Medical>::init(host.handle(), json!({})).expect("init");
    host.migrate(&module.migrations())
        .expect("the migrations apply");
    module.ready().expect("ready seeds the demo data");
    (module, host)
}

fn codes(answer: &Value) -> Vec<&str> {
    let rows = answer.as_array().expect("a list of rows");
    rows.iter().filter_map(|r| r["code"].as_str()).collect()
}

#[test]
fn items_and_services_by_ids_uuids_and_codes() {
    let (module, _host) = started();
    let by_code = module
        .service("items.get", json!({"codes": ["0001", "0182", "nope"]}))
        .unwrap();
    assert_eq!(codes(&by_code), ["0182", "0001"], "key order");
    assert_eq!(by_code[0]["id"], 1);
    assert_eq!(by_code[0]["price"], "10.00");
    assert_eq!(by_code[0]["careType"], "O");
    assert_eq!(by_code[0]["validityTo"], Value::Null);
    let by_uuid = module
        .service(
            "services.get",
            json!({"uuids": ["e1000000-0000-4000-8000-000000000092"]}),
        )
        .unwrap();
    assert_eq!(codes(&by_uuid), ["A1"]);
    let by_id = module
        .service("services.get", json!({"ids": [2, 6]}))
        .unwrap();
    assert_eq!(codes(&by_id), ["M1", "M1"], "ids reach history rows too");
    assert_eq!(by_id[1]["legacyId"], 2);
    let icd = module
        .service("diagnoses.get", json!({"codes": ["A000"]}))
        .unwrap();
    assert_eq!(
        icd[0]["name"],
        "Cholera due to Vibrio cholerae 01, biovar cholerae"
    );
}

#[test]
fn valid_at_picks_the_version_of_that_date() {
    let (module, _host) = started();
    let at = |date: &str| {
        module
            .service("services.get", json!({"codes": ["M1"], "valid_at": date}))
            .unwrap()
    };
    assert_eq!(
        at("2016-06-01")[0]["patientCategory"],
        15,
        "the history row"
    );
    assert_eq!(at("2016-06-01").as_array().unwrap().len(), 1);
    assert_eq!(
        at("2020-01-01")[0]["patientCategory"],
        14,
        "the current row"
    );
    assert_eq!(at("2015-01-01"), json!([]));
}

#[test]
fn prices_without_a_price_list_module_are_the_own_prices() {
    let (module, _host) = started();
    let prices = module
        .service("items.prices", json!({"ids": [1, 4], "pricelist_id": 1}))
        .unwrap();
    assert_eq!(
        prices,
        json!({"1": {"price": "10.00", "pricelist_price": null},
               "4": {"price": "1000.00", "pricelist_price": null}})
    );
}

#[test]
fn bad_payloads_and_unknown_methods_say_so() {
    let (module, _host) = started();
    for bad in [
        json!({"ids": [1], "codes": ["0001"]}),
        json!({}),
        json!({"ids": "1"}),
        json!({"codes": ["0001"], "valid_at": "yesterday"}),
    ] {
        let error = module.service("items.get", bad.clone()).unwrap_err();
        assert!(
            matches!(error.code.as_str(), "BAD_PAYLOAD" | "BAD_ARGUMENT"),
            "{bad}: {error:?}"
        );
    }
    let error = module.service("items.nope", json!({})).unwrap_err();
    assert_eq!(error.code.as_str(), "NOT_SUPPORTED");
}

#[test]
fn the_demo_data_is_seeded_once() {
    let (module, _host) = started();
    module.ready().expect("a second start");
    let all = module
        .service(
            "items.get",
            json!({"ids": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]}),
        )
        .unwrap();
    assert_eq!(all.as_array().unwrap().len(), 9);
}
