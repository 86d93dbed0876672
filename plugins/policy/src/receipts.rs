//! A new policy's contribution receipt (`PolicyService.create_policy`): a given receipt must be
//! unique among the product's valid premiums; else one is generated as
//! `RE-<productCode>-<enrollDate>-<n>`, n one more than the last such receipt, zero-padded to
//! `contribution_receipt_length` digits. Premiums are contribution's (`tblPremium`): without
//! that table there is none, so any receipt is unique and n is 1.

use crate::reads::has_table;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::input::validation;
use openimis_sdk::ModuleError;

#[derive(diesel::QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    t: Option<String>,
}

fn text(conn: &mut DbConnection, sql: &str, binds: &[Bind]) -> Result<Option<String>, ModuleError> {
    let rows: Vec<Text> = db::load(conn, sql, binds)?;
    Ok(rows.into_iter().next().and_then(|r| r.t))
}

/// The receipt of the premium a paid policy of product `product` enrolled on `enroll` gets:
/// `given`, refused when the product's valid premiums already have it, else a generated one.
/// `Err` carries the failure's detail.
pub fn receipt(
    conn: &mut DbConnection,
    given: Option<&str>,
    product: i64,
    enroll: &str,
    length: usize,
) -> Result<String, String> {
    let premiums = has_table(conn, "tblPremium");
    let fail = |e: ModuleError| e.message.to_string();
    if let Some(given) = given {
        if premiums {
            let sql = r#"SELECT COUNT(*) AS n FROM "tblPremium" pr JOIN "tblPolicy" po ON po."PolicyID" = pr."PolicyID"
                WHERE pr."ValidityTo" IS NULL AND pr."Receipt" = ? AND po."ProdID" = ?"#;
            let binds = [Bind::text(given), Bind::BigInt(Some(product))];
            if db::count(conn, sql, &binds).map_err(fail)? > 0 {
                return Err(validation("Receipt already exist for a given product."));
            }
        }
        return Ok(given.to_owned());
    }
    let sql = r#"SELECT "ProductCode" AS t FROM "tblProduct" WHERE "ProdID" = ?"#;
    let code = text(conn, sql, &[Bind::BigInt(Some(product))]).map_err(fail)?;
    let prefix = format!("RE-{}-{enroll}-", code.unwrap_or_default());
    let last = match premiums {
        true => {
            let sql = r#"SELECT MAX("Receipt") AS t FROM "tblPremium" WHERE "ValidityTo" IS NULL AND LOWER("Receipt") LIKE LOWER(?) ESCAPE '\'"#;
            let pattern = format!("%{}%", escape(&prefix));
            text(conn, sql, &[Bind::text(pattern)]).map_err(fail)?
        }
        false => None,
    };
    let n = match last {
        Some(last) => {
            let tail: String = last
                .chars()
                .rev()
                .take(length)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            tail.parse::<u64>()
                .map_err(|_| format!("invalid literal for int() with base 10: '{tail}'"))?
        }
        None => 0,
    };
    Ok(format!("{prefix}{:0>length$}", n + 1))
}

/// `prefix` with `LIKE`'s wildcards taken literally (the default escape character `\`).
fn escape(prefix: &str) -> String {
    prefix
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
