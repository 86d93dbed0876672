//! Claim attachments (`claim_ClaimAttachment`) as the original writes them: created by
//! `createClaim`'s `attachments` and `createClaimAttachment` (`create_attachment`), changed by
//! `updateClaimAttachment` (a history copy, then each key sent set), ended by
//! `deleteClaimAttachment` (`delete_history()`).
//! - A URL attachment's address must contain one of `allowed_domains_attachments` (the original
//!   looks in the URL's path, not its host) and takes a valid URL type of that name; the
//!   `claimdoc` type's address is the claimdoc upload page for the claim (the original asks it
//!   with `requests.get` and keeps the final address; here it is built, nothing is fetched).
//! - A FILE attachment takes a valid FILE type; with `claim_attachments_root_path` set its
//!   `document` (base64) is written to `<root>/YYYY/MM/DD/<claim id>/<uuid4>`, whose relative
//!   path becomes its `url`, else the document stays in the row.
//! - Each refusal is the `str()` of what the original raises (`['…']` of a ValidationError,
//!   `ClaimAttachmentType matching query does not exist.`, `'url'` of a missing key).

use crate::claim_lines::Refusal;
use crate::inputs::{given, Column};
use crate::mutation_messages::{
    does_not_exist, key_error, validation, GENERAL_TYPE_INCORRECT, URL_DOMAIN_NOT_ALLOWED,
};
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity::Kind;
use openimis_sdk::sql_filter::date_param;
use openimis_sdk::{time, ModuleError};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

fn db_refusal(e: ModuleError) -> Refusal {
    e.message.to_string()
}

/// The attachment's columns its input keys set as they are.
const PLAIN: &[Column] = &[
    ("type", "type", Kind::Text),
    ("title", "title", Kind::Text),
    ("date", "date", Kind::Date),
    ("filename", "filename", Kind::Text),
    ("mime", "mime", Kind::Text),
    ("url", "url", Kind::Text),
    ("document", "document", Kind::Text),
];

/// The columns every copy carries over (all but `id`, `LegacyID` and `ValidityTo`).
const CARRIED: &[&str] = &[
    "ValidityFrom",
    "claim_id",
    "general_type",
    "type",
    "predefined_type_id",
    "title",
    "date",
    "filename",
    "mime",
    "module",
    "url",
    "document",
];

fn text<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    map.get(key).and_then(Value::as_str)
}

/// `ClaimAttachmentType.objects.get(validity_to__isnull=True, claim_general_type=…,
/// claim_attachment_type=…)`.
fn predefined_type(
    conn: &mut DbConnection,
    general: &str,
    name: Option<&str>,
) -> Result<i64, Refusal> {
    let sql = r#"SELECT CAST("ClaimAttachmentTypeId" AS BIGINT) AS id FROM "claim_ClaimAttachment_ClaimAttachmentType"
                 WHERE "ValidityTo" IS NULL AND "claim_general_type" = ? AND "ClaimAttachmentType" = ?"#;
    let binds = [Bind::text(general), Bind::Text(name.map(str::to_owned))];
    let found = openimis_sdk::entity::ids(conn, sql, &binds).map_err(db_refusal)?;
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(does_not_exist("ClaimAttachmentType")),
        many => Err(format!(
            "get() returned more than one ClaimAttachmentType -- it returned {}!",
            many.len()
        )),
    }
}

/// The URL check of `allowed_domains_attachments`: one of them inside the URL's path.
fn allowed(url: &str, domains: &[String]) -> bool {
    if domains.is_empty() {
        return true;
    }
    let path = url_path(url);
    domains.iter().any(|d| path.contains(d.as_str()))
}

/// `urlparse(url).path`.
fn url_path(url: &str) -> &str {
    let rest = match url.split_once("://") {
        Some((scheme, rest)) if !scheme.is_empty() && !scheme.contains('/') => match rest.find('/')
        {
            Some(i) => &rest[i..],
            None => "",
        },
        _ => url,
    };
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    &rest[..end]
}

#[derive(diesel::QueryableByName)]
struct Facility {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    hf: i32,
}

/// The `claimdoc` strategy's address for claim `claim`.
fn claimdoc_url(conn: &mut DbConnection, claim: i32) -> Result<String, Refusal> {
    let rows: Vec<Facility> = db::load(
        conn,
        r#"SELECT "HFID" AS hf FROM "tblClaim" WHERE "ClaimID" = ? AND "ValidityTo" IS NULL"#,
        &[Bind::Int(Some(claim))],
    )
    .map_err(db_refusal)?;
    let hf = rows
        .first()
        .map(|r| r.hf)
        .ok_or_else(|| does_not_exist("Claim"))?;
    let token = std::env::var("CLAIMDOC_TOKEN").unwrap_or_else(|_| "testToken".to_owned());
    let token: String = token
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            other => format!("%{other:02X}"),
        })
        .collect();
    Ok(format!(
        "https://claimdoc.hib.gov.np/upload_documents?claim_code={claim}&token={token}&hf_id={hf}"
    ))
}

/// Python's `base64.b64decode` (characters outside the alphabet dropped, padding checked).
pub fn base64_decode(text: &str) -> Result<Vec<u8>, Refusal> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let body: Vec<u8> = text
        .bytes()
        .filter(|b| value(*b).is_some() || *b == b'=')
        .collect();
    let data: Vec<u32> = body
        .iter()
        .take_while(|b| **b != b'=')
        .filter_map(|b| value(*b))
        .collect();
    if data.len() % 4 == 1 || (!body.len().is_multiple_of(4) && !data.len().is_multiple_of(4)) {
        return Err("Incorrect padding".to_owned());
    }
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    for chunk in data.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, v)| acc | (v << (18 - 6 * i)));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    Ok(out)
}

/// `create_file`: the document under `<root>/YYYY/MM/DD/<claim>/<uuid4>`; answers the path
/// relative to the root.
fn create_file(root: &str, claim: i32, document: &str) -> Result<String, Refusal> {
    let now = time::now();
    let dir = format!("{}/{}/{}/{claim}", &now[0..4], &now[5..7], &now[8..10]);
    let relative = format!("{dir}/{}", uuid::Uuid::new_v4());
    let bytes = base64_decode(document)?;
    let full: PathBuf = Path::new(root).join(&dir);
    std::fs::create_dir_all(&full).map_err(|e| e.to_string())?;
    std::fs::write(Path::new(root).join(&relative), bytes).map_err(|e| e.to_string())?;
    Ok(relative)
}

/// Where a new attachment goes and what the configuration allows.
pub struct Place<'a> {
    pub claim: i32,
    pub root: Option<&'a str>,
    pub domains: &'a [String],
}

/// `create_attachment(claim_id, data)`.
pub fn create(
    conn: &mut DbConnection,
    place: &Place,
    data: &Map<String, Value>,
) -> Result<(), Refusal> {
    let mut data = data.clone();
    if data.contains_key("clientMutationDetails") {
        return Err(
            "ClaimAttachment() got unexpected keyword arguments: 'client_mutation_details'"
                .to_owned(),
        );
    }
    let general = text(&data, "generalType")
        .filter(|g| !g.is_empty())
        .unwrap_or("FILE")
        .to_owned();
    let predefined = text(&data, "predefinedType")
        .filter(|p| !p.is_empty())
        .unwrap_or("default")
        .to_owned();
    let type_id = match general.as_str() {
        "URL" => {
            let url = url_of(&data)?;
            if !allowed(&url, place.domains) {
                return Err(validation(URL_DOMAIN_NOT_ALLOWED));
            }
            if predefined == "claimdoc" {
                let address = claimdoc_url(conn, place.claim)?;
                data.insert("url".into(), Value::from(address.clone()));
                data.insert("document".into(), Value::from(address));
            }
            predefined_type(conn, "URL", Some(&predefined))?
        }
        "FILE" => {
            if let Some(root) = place.root.filter(|r| !r.is_empty()) {
                let document = data
                    .remove("document")
                    .ok_or_else(|| key_error("document"))?;
                let document = document.as_str().unwrap_or_default();
                let path = create_file(root, place.claim, document)?;
                data.insert("url".into(), Value::from(path));
            }
            predefined_type(conn, "FILE", Some(&predefined))?
        }
        _ => return Err(validation(GENERAL_TYPE_INCORRECT)),
    };
    let mut cols = given(conn, PLAIN, &data).map_err(db_refusal)?;
    let uuid = db::uuid_param(conn);
    let now = time::now();
    cols.push((
        r#""id""#.into(),
        uuid,
        Bind::text(uuid::Uuid::new_v4().to_string()),
    ));
    cols.push((r#""claim_id""#.into(), "?", Bind::Int(Some(place.claim))));
    cols.push((r#""general_type""#.into(), "?", Bind::text(&general)));
    cols.push((
        r#""predefined_type_id""#.into(),
        "?",
        Bind::BigInt(Some(type_id)),
    ));
    cols.push((r#""module""#.into(), "?", Bind::text("claim")));
    cols.push((
        r#""ValidityFrom""#.into(),
        db::timestamp_param(conn),
        Bind::text(&now),
    ));
    if !data.contains_key("date") {
        cols.push((r#""date""#.into(), date_param(conn), Bind::text(&now[..10])));
    }
    let names: Vec<&str> = cols.iter().map(|c| c.0.as_str()).collect();
    let marks: Vec<&str> = cols.iter().map(|c| c.1).collect();
    let binds: Vec<Bind> = cols.iter().map(|c| c.2.clone()).collect();
    let sql = format!(
        r#"INSERT INTO "claim_ClaimAttachment" ({}) VALUES ({})"#,
        names.join(", "),
        marks.join(", ")
    );
    db::execute(conn, &sql, &binds)
        .map(drop)
        .map_err(db_refusal)
}

/// `urlparse(data["url"])`: a missing key is a `KeyError`.
fn url_of(data: &Map<String, Value>) -> Result<String, Refusal> {
    match data.get("url") {
        None => Err(key_error("url")),
        Some(Value::String(url)) => Ok(url.clone()),
        Some(_) => Err("'NoneType' object has no attribute 'decode'".to_owned()),
    }
}

/// A valid attachment the caller may reach, by id, with its claim's key.
#[derive(Debug, diesel::QueryableByName)]
pub struct Found {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub id: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub claim: i32,
}

/// The valid attachment `id` whose claim's facility passes `facility_condition` (on `c."HFID"`).
pub fn find(
    conn: &mut DbConnection,
    id: &str,
    facility_condition: &str,
) -> Result<Option<Found>, ModuleError> {
    let sql = format!(
        r#"SELECT CAST(a."id" AS TEXT) AS id, a."claim_id" AS claim FROM "claim_ClaimAttachment" a
           JOIN "tblClaim" c ON c."ClaimID" = a."claim_id"
           WHERE LOWER(CAST(a."id" AS TEXT)) = ? AND a."ValidityTo" IS NULL AND {facility_condition}"#
    );
    let rows: Vec<Found> = db::load(conn, &sql, &[Bind::text(id.to_lowercase())])?;
    Ok(rows.into_iter().next())
}

/// `attachment.save_history()` (`UUIDVersionedModel`): a copy with a new id, `LegacyID` the
/// attachment's id, ended now.
pub fn copy(conn: &mut DbConnection, id: &str) -> Result<(), ModuleError> {
    let uuid = db::uuid_param(conn);
    let stamp = db::timestamp_param(conn);
    let list: String = CARRIED.iter().map(|c| format!(r#", "{c}""#)).collect();
    let sql = format!(
        r#"INSERT INTO "claim_ClaimAttachment" ("id", "LegacyID", "ValidityTo"{list})
           SELECT {uuid}, "id", {stamp}{list} FROM "claim_ClaimAttachment" WHERE CAST("id" AS TEXT) = ?"#
    );
    let binds = [
        Bind::text(uuid::Uuid::new_v4().to_string()),
        Bind::text(time::now()),
        Bind::text(id),
    ];
    db::execute(conn, &sql, &binds).map(drop)
}

/// `attachment.delete_history()`.
pub fn delete(conn: &mut DbConnection, id: &str) -> Result<(), ModuleError> {
    copy(conn, id)?;
    let stamp = db::timestamp_param(conn);
    let sql = format!(
        r#"UPDATE "claim_ClaimAttachment" SET "ValidityFrom" = {stamp}, "ValidityTo" = {stamp} WHERE CAST("id" AS TEXT) = ?"#
    );
    let now = time::now();
    db::execute(
        conn,
        &sql,
        &[Bind::text(&now), Bind::text(&now), Bind::text(id)],
    )
    .map(drop)
}

/// `UpdateAttachmentMutation` once the attachment is found: the type resolved as on creation
/// (with the original's slips: `general_type` is required, a FILE with a root path reads a
/// `claim_id` the input never has), a history copy, then every key sent set.
pub fn update(
    conn: &mut DbConnection,
    found: &Found,
    place: &Place,
    data: &Map<String, Value>,
) -> Result<(), Refusal> {
    let mut data = data.clone();
    let general = match data.get("generalType") {
        None => return Err(key_error("general_type")),
        Some(g) => g.as_str().unwrap_or_default().to_owned(),
    };
    let mut type_id = None;
    match general.as_str() {
        "URL" => {
            let url = url_of(&data)?;
            if !allowed(&url, place.domains) {
                return Err(validation(URL_DOMAIN_NOT_ALLOWED));
            }
            let predefined = match data.get("predefinedType") {
                None => return Err(key_error("predefined_type")),
                Some(p) => p.as_str().map(str::to_owned),
            };
            if predefined.as_deref() == Some("claimdoc") {
                let address = claimdoc_url(conn, found.claim)?;
                data.insert("url".into(), Value::from(address.clone()));
                data.insert("document".into(), Value::from(address));
            }
            type_id = Some(predefined_type(conn, "URL", predefined.as_deref())?);
        }
        "FILE" => {
            if place.root.is_some_and(|r| !r.is_empty()) {
                return Err(key_error("claim_id"));
            }
            let predefined = match data.get("predefinedType") {
                None => return Err(key_error("predefined_type")),
                Some(p) => p.as_str().map(str::to_owned),
            };
            type_id = Some(predefined_type(conn, "FILE", predefined.as_deref())?);
        }
        _ => {
            if let Some(p) = data.get("predefinedType") {
                return Err(format!(
                    r#"Cannot assign "{}": "ClaimAttachment.predefined_type" must be a "ClaimAttachmentType" instance."#,
                    openimis_sdk::python::repr(p)
                ));
            }
        }
    }
    copy(conn, &found.id).map_err(db_refusal)?;
    let mut sets = given(conn, PLAIN, &data).map_err(db_refusal)?;
    sets.push((r#""general_type""#.into(), "?", Bind::text(&general)));
    sets.push((r#""module""#.into(), "?", Bind::text("claim")));
    if let Some(type_id) = type_id {
        sets.push((
            r#""predefined_type_id""#.into(),
            "?",
            Bind::BigInt(Some(type_id)),
        ));
    }
    let assignments: Vec<String> = sets.iter().map(|(c, m, _)| format!("{c} = {m}")).collect();
    let mut binds: Vec<Bind> = sets.into_iter().map(|s| s.2).collect();
    binds.push(Bind::text(&found.id));
    let sql = format!(
        r#"UPDATE "claim_ClaimAttachment" SET {} WHERE CAST("id" AS TEXT) = ?"#,
        assignments.join(", ")
    );
    db::execute(conn, &sql, &binds)
        .map(drop)
        .map_err(db_refusal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_in_their_path_and_documents_decode_as_python() {
        assert_eq!(url_path("https://host.org/a/b?x=1"), "/a/b");
        assert_eq!(url_path("https://host.org"), "");
        assert!(allowed(
            "https://x.org/docs.example.org/f",
            &["docs.example.org".into()]
        ));
        assert!(!allowed(
            "https://docs.example.org/f",
            &["docs.example.org".into()]
        ));
        assert!(allowed("anything", &[]));
        assert_eq!(base64_decode("JVBERi0xLjQK").unwrap(), b"%PDF-1.4\n");
        assert_eq!(base64_decode("aGk=").unwrap(), b"hi");
        assert_eq!(base64_decode("aG k=\n").unwrap(), b"hi");
        assert_eq!(base64_decode("aGk").unwrap_err(), "Incorrect padding");
    }
}
