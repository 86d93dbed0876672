//! What every read of claim's types applies (claim.md §2, the original's `Claim.get_queryset`
//! and `ClaimGQLType` resolvers):
//! - row security on claim lists (root lists and nested connections, not `claimHistory`, not a
//!   claim reached by key or through a `one` hop): a user with a facility (`tblUsers.HFID`,
//!   core's `location_roles`) sees that facility's claims, any other interactive user those of
//!   the facilities of his districts (location's `row_security.scope`), technical users all;
//! - a claim's `items` and `services` are its valid lines that are no history (`LegacyID` null);
//! - computed per batch of claims: `attachmentsCount` (valid attachments that are no history),
//!   `clientMutationId`, `dateProcessedTo` (declared without a resolver: null), `attachments`;
//!   `items`, `services`, `attachmentsCount` and `clientMutationId` fail alone (`unauthorized`)
//!   without 111001, as the original's resolvers;
//! - `ClaimAttachmentTypeGQLType.typeDropdown`; the plain `id` (the key) of the types that are
//!   no relay node (lines, sub-lines, feedback).

use crate::attachments::{self, OF_CLAIM, OF_TYPE};
use crate::manifest::QUERY;
use crate::specs::{
    ATTACHMENT_TYPE, CLAIM, CLAIM_ITEM, CLAIM_SERVICE, FEEDBACK, SERVICE_ITEM, SERVICE_SERVICE,
};
use diesel::sql_types::BigInt;
use openimis_sdk::db::{self, DbConnection};
use openimis_sdk::entity::{EntitySpec, Hooks, Reach};
use openimis_sdk::mutation_link::client_mutation_fields;
use openimis_sdk::payload::field_error;
use openimis_sdk::project::fill_answers;
use openimis_sdk::sql_filter::{id_list, Where};
use openimis_sdk::{HostHandle, ModuleError, RequestContext, SelectionField};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::collections::HashMap;

/// The link table of claims and mutation logs.
pub const LINKS: (&str, &str) = ("claim_ClaimMutation", "claim_id");

/// The reads of one request.
pub struct Rules<'a> {
    host: &'a HostHandle,
    context: &'a RequestContext,
    /// Whether claim lists follow `Claim.get_queryset` (every list but `claimHistory`'s).
    secured: bool,
    /// The facilities whose claims the user may list (`None`: all), asked once.
    facilities: RefCell<Option<Option<Vec<i64>>>>,
}

impl<'a> Rules<'a> {
    pub fn new(host: &'a HostHandle, context: &'a RequestContext) -> Self {
        Rules {
            host,
            context,
            secured: true,
            facilities: RefCell::new(None),
        }
    }

    /// The rules of `claimHistory`: no row security (the original returns its queryset as is).
    pub fn unsecured(mut self) -> Self {
        self.secured = false;
        self
    }

    /// The facilities whose claims the user may list; `None` when nothing restricts him.
    fn facilities(&self) -> Result<Option<Vec<i64>>, ModuleError> {
        if let Some(known) = self.facilities.borrow().as_ref() {
            return Ok(known.clone());
        }
        let found = self.ask_facilities()?;
        *self.facilities.borrow_mut() = Some(found.clone());
        Ok(found)
    }

    fn ask_facilities(&self) -> Result<Option<Vec<i64>>, ModuleError> {
        // Technical users are not restricted.
        let Some(user) = self.context.interactive_user_id() else {
            return Ok(None);
        };
        let roles: Value = self
            .host
            .call("core", "location_roles", &json!({ "user_id": user }))?;
        if let Some(facility) = roles["health_facility_id"].as_i64() {
            return Ok(Some(vec![facility]));
        }
        let scope: Value = self.host.call(
            "location",
            "row_security.scope",
            &json!({"user_id": user, "rights": self.context.rights}),
        )?;
        if scope["all"] == true {
            return Ok(None);
        }
        let ids = scope["health_facility_ids"]
            .as_array()
            .into_iter()
            .flatten();
        Ok(Some(ids.filter_map(Value::as_i64).collect()))
    }

    fn extend_claims(
        &self,
        conn: &mut DbConnection,
        rows: &mut [Value],
        sel: &[SelectionField],
    ) -> Result<(), ModuleError> {
        if !self.context.holds(QUERY) {
            for name in ["items", "services", "attachmentsCount", "clientMutationId"] {
                fill_answers(rows, sel, name, |_, rows| -> Result<_, ModuleError> {
                    Ok(rows
                        .iter()
                        .map(|_| field_error("UNAUTHORIZED", "unauthorized"))
                        .collect())
                })?;
            }
        } else {
            if sel.iter().any(|f| f.name == "attachmentsCount") {
                attachments_count(conn, rows)?;
            }
            client_mutation_fields(Some(self.host), conn, LINKS, "claim", rows, sel)?;
        }
        for row in rows.iter_mut() {
            row["dateProcessedTo"] = Value::Null;
        }
        self.apply(|access| attachments::fill(conn, &OF_CLAIM, rows, sel, access))
    }
}

impl Hooks for Rules<'_> {
    fn rows(&self, spec: &EntitySpec, reach: Reach, w: &mut Where) -> Result<(), ModuleError> {
        let listed = matches!(reach, Reach::List | Reach::Children);
        if std::ptr::eq(spec, &CLAIM) && listed && self.secured {
            if let Some(ids) = self.facilities()? {
                w.and(&format!("{} IN ({})", spec.col("HFID"), id_list(&ids)), []);
            }
        }
        let lines = std::ptr::eq(spec, &CLAIM_ITEM) || std::ptr::eq(spec, &CLAIM_SERVICE);
        if lines && reach == Reach::Children {
            w.and(&format!("{} IS NULL", spec.col("LegacyID")), []);
        }
        Ok(())
    }

    fn extend(
        &self,
        conn: &mut DbConnection,
        spec: &EntitySpec,
        rows: &mut [Value],
        sel: &[SelectionField],
    ) -> Result<(), ModuleError> {
        if std::ptr::eq(spec, &CLAIM) {
            return self.extend_claims(conn, rows, sel);
        }
        if std::ptr::eq(spec, &ATTACHMENT_TYPE) {
            return self.apply(|access| attachments::fill(conn, &OF_TYPE, rows, sel, access));
        }
        let plain: [&EntitySpec; 5] = [
            &CLAIM_ITEM,
            &CLAIM_SERVICE,
            &FEEDBACK,
            &SERVICE_ITEM,
            &SERVICE_SERVICE,
        ];
        if plain.iter().any(|p| std::ptr::eq(spec, *p)) {
            for row in rows.iter_mut() {
                row["id"] = json!(row["pk"].as_i64().map(|pk| pk.to_string()));
            }
        }
        Ok(())
    }
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    claim: i64,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// `attachmentsCount`: each claim's valid attachments that are no history.
fn attachments_count(conn: &mut DbConnection, rows: &mut [Value]) -> Result<(), ModuleError> {
    let ids: Vec<i64> = rows.iter().filter_map(|r| r["pk"].as_i64()).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        r#"SELECT CAST(a."claim_id" AS BIGINT) AS claim, COUNT(*) AS n FROM "claim_ClaimAttachment" a
           WHERE a."claim_id" IN ({}) AND a."LegacyID" IS NULL AND a."ValidityTo" IS NULL
           GROUP BY a."claim_id""#,
        id_list(&ids)
    );
    let counts: Vec<Count> = db::load(conn, &sql, &[])?;
    let by_claim: HashMap<i64, i64> = counts.into_iter().map(|c| (c.claim, c.n)).collect();
    for row in rows.iter_mut() {
        let pk = row["pk"].as_i64().unwrap_or_default();
        row["attachmentsCount"] = json!(by_claim.get(&pk).copied().unwrap_or(0));
    }
    Ok(())
}
