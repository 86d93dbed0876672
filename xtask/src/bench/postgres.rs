//! The real modules on PostgreSQL (issues 3 and 4): core + location on a fresh database with
//! the demo data, measured with a token as the frontend sends them: `tokenAuth` with a modern
//! password hash (the same user again and again, answered from core's memo of verified
//! passwords, and a wrong password, which runs argon2id every time), `users(first:10)`,
//! `locations(first:10)`, `medicalItems(first:10)`, `products(first:10)`, `insurees(first:10)`,
//! a family's `policiesByFamily`, a policy's `premiumsByPolicies`, `payers(first:10)` and
//! `claims(first:10)` with
//! the frontend's selection, and on a generated
//! 100,000-village tree `healthFacilities(first:100)` as a district user (row security on).
//! Each list is followed by its own SQL replayed by pgbench (`pgbench.rs`).

use super::{measure, pgbench};
use crate::tasks::{build_modules, target_dir};
use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The PostgreSQL server the suite uses (`OPENIMIS_BENCH_POSTGRES_URL`, else the local one).
fn server_url() -> String {
    std::env::var("OPENIMIS_BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

struct Database {
    host: String,
    port: String,
    user: String,
    name: String,
}

impl Database {
    /// Drops and creates `openimis_bench` with psql.
    fn fresh() -> Result<Self> {
        let url = server_url();
        let rest = url
            .trim_start_matches("postgres://")
            .trim_start_matches("postgresql://");
        let (user, rest) = rest.split_once('@').unwrap_or(("postgres", rest));
        let host_port = rest.split('/').next().unwrap_or("127.0.0.1:5432");
        let (host, port) = host_port.split_once(':').unwrap_or((host_port, "5432"));
        let db = Self {
            host: host.into(),
            port: port.into(),
            user: user.split(':').next().unwrap_or(user).into(),
            name: "openimis_bench".into(),
        };
        for sql in [
            "DROP DATABASE IF EXISTS openimis_bench",
            "CREATE DATABASE openimis_bench",
        ] {
            let status = Command::new("psql")
                .args([
                    "-h", &db.host, "-p", &db.port, "-U", &db.user, "-d", "postgres", "-qc", sql,
                ])
                .status()
                .context("running psql (PostgreSQL's client)")?;
            if !status.success() {
                bail!("psql: {sql} failed");
            }
        }
        Ok(db)
    }

    /// pgbench's connection arguments for this database.
    fn pgbench_args(&self) -> [&str; 7] {
        [
            "-h", &self.host, "-p", &self.port, "-U", &self.user, &self.name,
        ]
    }

    fn env(&self, cmd: &mut Command) {
        cmd.env("NO_DATABASE", "False")
            .env("DB_HOST", &self.host)
            .env("DB_PORT", &self.port)
            .env("DB_USER", &self.user)
            .env("DB_NAME", &self.name);
    }
}

/// The modern-hash password the bench gives Admin (and its district user) through the API.
const BENCH_PASSWORD: &str = "Bench-Pass-2026!";

const CONF: &str = r#"{"modules": [{"name": "core"}, {"name": "location"}, {"name": "medical"}, {"name": "medical_pricelist"}, {"name": "product"}, {"name": "insuree"}, {"name": "policy"}, {"name": "payer"}, {"name": "contribution"}, {"name": "claim"}]}"#;

/// `measure`, then the statements the same request runs replayed by pgbench on the same
/// database: the rate of the SQL alone, and ours over it.
fn measure_against_sql(
    db: &Database,
    address: &str,
    (name, body): (&str, &str),
    headers: &str,
    seconds: u64,
    dir: &Path,
) -> Result<()> {
    let (rps, ..) = measure(address, name, body, headers, seconds, dir)?;
    let statements = pgbench::statements(address, body, headers)?;
    let n = statements.len();
    match pgbench::rate(&statements, &db.pgbench_args(), seconds, dir)? {
        Some(tps) => println!(
            "| ↳ its {n} SQL statement(s) alone (pgbench) | 8 | {tps:.0} | | | ours / SQL = {:.2} |",
            rps / tps
        ),
        None => println!("| ↳ its {n} SQL statement(s) carry bound values: not replayed | | | | | |"),
    }
    Ok(())
}

fn openimis(dir: &Path, db: &Database) -> Command {
    let mut cmd = Command::new(target_dir().join("release/openimis"));
    cmd.current_dir(dir)
        .env_clear()
        .env("OPENIMIS_CONF_JSON", CONF)
        .env("MODULES_DIR", dir)
        .env("SITE_ROOT", "api")
        .env("MODE", "DEV")
        .env("DEMO_DATASET", "True")
        .env("DJANGO_LOG_LEVEL", "WARNING")
        .env("RUST_LOG", "openimis=info,warn");
    db.env(&mut cmd);
    cmd
}

struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &Path, db: &Database) -> Result<Server> {
    let mut child = openimis(dir, db)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .context("starting target/release/openimis")?;
    let stderr = child.stderr.take().expect("piped");
    let address = BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .find_map(|l| l.split("listening on ").nth(1).map(str::to_owned))
        .context("the server never said where it listens")?;
    Ok(Server { child, address })
}

/// One GraphQL request on its own connection; the response's JSON.
fn graphql(address: &str, query: &str, variables: Value, token: Option<&str>) -> Result<Value> {
    let body = json!({"query": query, "variables": variables}).to_string();
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    let value = crate::load::post_json(address, "/api/graphql", &body, &auth)?;
    if value.get("errors").is_some() {
        bail!("{query}: {value}");
    }
    Ok(value)
}

fn login(address: &str, username: &str, password: &str) -> Result<String> {
    let answer = graphql(
        address,
        "mutation ($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }",
        json!({"u": username, "p": password}),
        None,
    )?;
    answer["data"]["tokenAuth"]["token"]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("login as {username}: {answer}"))
}

pub fn run(seconds: u64, dir: &Path) -> Result<()> {
    let db = Database::fresh()?;
    build_modules(
        &[
            ("openimis-core".into(), "core".into()),
            ("openimis-location".into(), "location".into()),
            ("openimis-medical".into(), "medical".into()),
            (
                "openimis-medical-pricelist".into(),
                "medical_pricelist".into(),
            ),
            ("openimis-product".into(), "product".into()),
            ("openimis-insuree".into(), "insuree".into()),
            ("openimis-policy".into(), "policy".into()),
            ("openimis-payer".into(), "payer".into()),
            ("openimis-contribution".into(), "contribution".into()),
            ("openimis-claim".into(), "claim".into()),
        ],
        dir,
    )?;
    println!(
        "\ncore + location + medical + medical_pricelist + product + insuree + policy + payer + contribution + claim on PostgreSQL ({}), demo data, with a token:",
        server_url()
    );
    println!("| scenario | connections | req/s median (min–max of 3) | p50 ms | p99 ms | errors |");
    println!("|---|---|---|---|---|---|");
    {
        let server = serve(dir, &db)?;
        let admin = login(&server.address, "Admin", "admin123")?;
        // A modern hash for the login scenario: Admin's own password, set through the API.
        let password = BENCH_PASSWORD;
        graphql(
            &server.address,
            "mutation ($p: String!) { changePassword(input: {username: \"Admin\", oldPassword: \"admin123\", newPassword: $p}) { success error } }",
            json!({"p": password}),
            Some(&admin),
        )?;
        // A password change ends the tokens issued before it (as the original's per-user key).
        let admin = login(&server.address, "Admin", password)?;
        let bearer = format!("Authorization: Bearer {admin}\r\n");
        let login_body = |password: &str| {
            json!({
                "query": "mutation ($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }",
                "variables": {"u": "Admin", "p": password},
            })
            .to_string()
        };
        measure(
            &server.address,
            "tokenAuth (argon2id, same user: from the memo)",
            &login_body(password),
            "",
            seconds,
            dir,
        )?;
        // DEV has no lockout, so every wrong password is refused by a full argon2id run.
        measure(
            &server.address,
            "tokenAuth, wrong password (argon2id every time)",
            &login_body("Not-The-Pass-2026!"),
            "",
            seconds,
            dir,
        )?;
        let users = r#"{"query":"{ users(first: 10) { totalCount edges { node { id username iUser { id lastName otherNames email } } } } }"}"#;
        measure_against_sql(
            &db,
            &server.address,
            ("users(first:10)", users),
            &bearer,
            seconds,
            dir,
        )?;
        let locations = r#"{"query":"{ locations(first: 10) { edges { node { id uuid code name type parent { id code } } } } }"}"#;
        measure_against_sql(
            &db,
            &server.address,
            ("locations(first:10)", locations),
            &bearer,
            seconds,
            dir,
        )?;
        // The frontend's items page (ops.json medical-01, without its search filter).
        let items = r#"{"query":"{ medicalItems(first: 10, orderBy: [\"code\"]) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { uuid code name type quantity maximumAmount price validityFrom validityTo package } } } }"}"#;
        measure_against_sql(
            &db,
            &server.address,
            ("medicalItems(first:10)", items),
            &bearer,
            seconds,
            dir,
        )?;
        // The frontend's products page (ops.json product-01, without its code filter).
        let products = r#"{"query":"{ products(first: 10, showHistory: false) { edges { node { id uuid name code location { id name uuid code parent { id name uuid code } } dateFrom dateTo maxMembers validityFrom validityTo ageMaximal ageMinimal } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } }"}"#;
        measure_against_sql(
            &db,
            &server.address,
            ("products(first:10)", products),
            &bearer,
            seconds,
            dir,
        )?;
        // The frontend's insurees page (ops.json insuree-02, fetchInsureeSummaries, without its
        // CHFID and gender filters): family and current village with their three parents.
        let insurees = r#"{"query":"{ insurees(first: 10, orderBy: [\"chfId\"]) { totalCount pageInfo { hasNextPage, hasPreviousPage, startCursor, endCursor } edges { node { id,uuid,validityFrom,validityTo,chfId,otherNames,lastName,phone,gender{code},dob,marital,status,family{uuid,location{id, uuid, code, name, type, parent{id,uuid,code,name,type,parent{id,uuid,code,name,type,parent{id,uuid,code,name,type}}}}},currentVillage{id, uuid, code, name, type, parent{id,uuid,code,name,type,parent{id,uuid,code,name,type,parent{id,uuid,code,name,type}}}} } } } }"}"#;
        measure_against_sql(
            &db,
            &server.address,
            ("insurees(first:10)", insurees),
            &bearer,
            seconds,
            dir,
        )?;
        // The frontend's policies of a family (ops.json policy-04, the family page's list): the
        // demo family f0000000-…-021 with its policies' balances, deductibles and ceilings.
        let policies = r#"{"query":"{ policiesByFamily(orderBy: \"expiryDate\", activeOrLastExpiredOnly: false, familyUuid: \"f0000000-0000-4000-8000-000000000021\", first: 5) { totalCount pageInfo { hasNextPage, hasPreviousPage, startCursor, endCursor } edges { node { policyUuid,productCode,productName,officerCode,officerName,enrollDate,effectiveDate,startDate,expiryDate,status,policyValue,balance,ded,dedInPatient,dedOutPatient,ceiling,ceilingInPatient,ceilingOutPatient } } } }"}"#;
        measure_against_sql(
            &db,
            &server.address,
            ("policiesByFamily(first:5), a demo family", policies),
            &bearer,
            seconds,
            dir,
        )?;
        // The frontend's contributions of a policy (ops.json contribution-03, the policy
        // page's list): the demo's active policy 90000000-…-041 with each premium's payer.
        let premiums = r#"{"query":"{ premiumsByPolicies(orderBy: \"-payDate\", policyUuids: [\"90000000-0000-4000-8000-000000000041\"], first: 10) { totalCount pageInfo { hasNextPage, hasPreviousPage, startCursor, endCursor } edges { node { id,uuid,payDate,payer{id, uuid, name},amount,payType,receipt,isPhotoFee } } } }"}"#;
        measure_against_sql(
            &db,
            &server.address,
            ("premiumsByPolicies(first:10), a demo policy", premiums),
            &bearer,
            seconds,
            dir,
        )?;
        // The frontend's payers page (ops.json payer-01, without its name filter).
        let payers = r#"{"query":"{ payers(first: 10, showHistory: false) { edges { node { id uuid name email phone type address location { id name uuid code parent { id name uuid code } } validityFrom validityTo } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } }"}"#;
        measure_against_sql(
            &db,
            &server.address,
            ("payers(first:10)", payers),
            &bearer,
            seconds,
            dir,
        )?;
        // The frontend's health facility claims page (ops.json claim-01, without its status
        // and facility filters): each claim's facility and insuree, its attachments count.
        let claims = r#"{"query":"{ claims(orderBy: [\"-dateClaimed\"], first: 10) { totalCount pageInfo { hasNextPage, hasPreviousPage, startCursor, endCursor } edges { node { uuid,code,jsonExt,dateClaimed,dateProcessed,feedbackStatus,reviewStatus,claimed,approved,status,restoreId,healthFacility { id uuid name code },insuree{id, uuid, chfId, lastName, otherNames, dob},preAuthorization,attachmentsCount } } } }"}"#;
        measure_against_sql(
            &db,
            &server.address,
            ("claims(first:10)", claims),
            &bearer,
            seconds,
            dir,
        )?;
    }

    // 100,000 villages, then a district user's view of the facilities.
    let status = openimis(dir, &db)
        .args(["demo", "--scale", "100000"])
        .status()
        .context("openimis demo --scale")?;
    if !status.success() {
        bail!("openimis demo --scale 100000 failed");
    }
    let server = serve(dir, &db)?;
    let admin = login(&server.address, "Admin", BENCH_PASSWORD)?;
    let token = district_user(&server.address, &admin)?;
    let facilities = r#"{"query":"{ healthFacilities(first: 100) { totalCount edges { node { id code name location { id code } } } } }"}"#;
    measure_against_sql(
        &db,
        &server.address,
        (
            "healthFacilities(first:100), district user, 100k villages",
            facilities,
        ),
        &format!("Authorization: Bearer {token}\r\n"),
        seconds,
        dir,
    )?;
    Ok(())
}

/// Creates (as Admin, through the API) a role holding only 121101 (health facilities) and a
/// user of one generated district with it; answers that user's token.
fn district_user(address: &str, admin: &str) -> Result<String> {
    let districts = graphql(
        address,
        r#"{ locations(type: "D", code_Icontains: "S", first: 1) { edges { node { id code } } } }"#,
        json!(null),
        Some(admin),
    )?;
    let global = districts["data"]["locations"]["edges"][0]["node"]["id"]
        .as_str()
        .with_context(|| format!("no generated district: {districts}"))?;
    let district: i64 = decode_global_id(global)?;
    graphql(
        address,
        r#"mutation { createRole(input: {clientMutationId: "bench-role", name: "Bench HF reader", isSystem: false, isBlocked: false, rightsId: [121101]}) { internalId } }"#,
        json!(null),
        Some(admin),
    )?;
    let roles = graphql(
        address,
        r#"{ role(name: "Bench HF reader") { edges { node { id } } } }"#,
        json!(null),
        Some(admin),
    )?;
    let role: i64 = decode_global_id(
        roles["data"]["role"]["edges"][0]["node"]["id"]
            .as_str()
            .with_context(|| format!("the bench role was not created: {roles}"))?,
    )?;
    let password = BENCH_PASSWORD;
    graphql(
        address,
        "mutation ($i: CreateUserMutationInput!) { createUser(input: $i) { internalId } }",
        json!({"i": {
            "clientMutationId": "bench-user", "username": "benchd1", "userTypes": ["INTERACTIVE"],
            "lastName": "Bench", "otherNames": "District", "email": "bench@example.org",
            "language": "en", "roles": [role], "districts": [district], "password": password,
        }}),
        Some(admin),
    )?;
    login(address, "benchd1", password)
}

/// `base64("Type:pk")` → pk.
fn decode_global_id(id: &str) -> Result<i64> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut bytes = Vec::new();
    for c in id.bytes().filter(|c| *c != b'=') {
        let v = ALPHABET
            .iter()
            .position(|a| *a == c)
            .with_context(|| format!("not base64: {id}"))? as u32;
        bits = (bits << 6) | v;
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    let text = String::from_utf8(bytes)?;
    text.rsplit(':')
        .next()
        .and_then(|pk| pk.parse().ok())
        .with_context(|| format!("not a global id: {text}"))
}
