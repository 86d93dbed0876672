//! What an input does to a list's details, in the original's order: each added service or
//! item gets a detail (a valid one is kept, its audit user renewed), each removed one's valid
//! detail ends (`delete_history`), and each price overrule gives a valid detail its new price
//! from now on (a history copy first). A uuid no service or item has, or an overrule of one the
//! list lacks, refuses the whole input with the original's text.

use crate::pricelist_input::PricelistInput;
use crate::references::{self, missing};
use crate::refusal::Refused;
use crate::specs::Pricelist;
use crate::versions::change_from_now;
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity::delete_history;
use openimis_sdk::entity::{self, Kind};
use serde_json::json;

/// The id of the kind's medical row with `uuid`, or the original's text.
fn medical_row(conn: &mut DbConnection, kind: &Pricelist, uuid: &str) -> Result<i64, Refused> {
    let [.., model] = kind.models;
    references::medical(conn, kind, uuid)?.ok_or_else(|| Refused::Rule(missing(model)))
}

/// Applies `input`'s added, removed and overruled details to list `list`.
pub fn apply(
    conn: &mut DbConnection,
    kind: &Pricelist,
    list: i64,
    input: &PricelistInput,
    audit: i64,
) -> Result<(), Refused> {
    for uuid in &input.added_details {
        let medical = medical_row(conn, kind, uuid)?;
        match references::valid_detail(conn, kind, list, medical)? {
            Some(detail) => {
                entity::update_in_place(conn, kind.detail, detail, &json!({}), Some(audit))?
            }
            None => {
                let values = json!({ kind.field: list, kind.target: medical });
                entity::insert(conn, kind.detail, &values, audit)?;
            }
        }
    }
    for uuid in &input.removed_details {
        let Some(medical) = references::medical(conn, kind, uuid)? else {
            continue;
        };
        if let Some(detail) = references::valid_detail(conn, kind, list, medical)? {
            delete_history(conn, kind.detail, detail)?;
        }
    }
    for overrule in input.price_overrules.iter().flatten() {
        let medical = references::medical(conn, kind, &overrule.uuid)?;
        let detail = match medical {
            Some(medical) => references::valid_detail(conn, kind, list, medical)?,
            None => None,
        };
        let [_, detail_model, _] = kind.models;
        let detail = detail.ok_or_else(|| Refused::Rule(missing(detail_model)))?;
        let price = entity::bind("price", Kind::Decimal(2), &overrule.price)?;
        change_from_now(
            conn,
            kind.detail,
            detail,
            ("PriceOverule", "CAST(? AS NUMERIC)", price),
        )?;
    }
    Ok(())
}
