//! `insureesExport` of 100,000 insurees in bounded memory (issue 17, item 2): a real
//! `openimis serve` process on SQLite, 100,000 insurees seeded by one `INSERT … WITH
//! RECURSIVE` (a 900-character address each, so the file is larger than the bound), exported
//! and fetched over HTTP as CSV, then as XLSX; the server's peak resident memory (`VmHWM`)
//! may grow by less than [`BOUND`] while the CSV file it writes and sends is bigger than that.

use openimis_system_tests::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

/// What the export and its download may add to the server's peak memory.
const BOUND: u64 = 64 * 1024 * 1024;
const ROWS: usize = 100_000;
const MODULES: [&str; 5] = [
    "core",
    "location",
    "medical",
    "medical_pricelist",
    "insuree",
];
const FIELDS: &str = r#"fields: ["chfId", "lastName", "otherNames", "gender", "dob", "head", "currentAddress", "currentVillage.code", "relationship", "validityFrom", "jsonExt", "email", "family.uuid"]"#;

/// The `openimis serve` process, its standard error drained by a thread.
struct Server {
    child: Child,
    /// Keeps the draining thread's channel open.
    _lines: Receiver<String>,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(dir: &ModulesDir) -> Self {
        let modules = json!({"modules": MODULES.map(|name| json!({ "name": name }))});
        let mut child = Command::new(openimis_binary())
            // One process, so the child is the server whose memory is measured.
            .args(["serve", "--single", "--bind", "127.0.0.1:0"])
            .current_dir(dir.path())
            .env_clear()
            .env("OPENIMIS_CONF_JSON", modules.to_string())
            .env("MODULES_DIR", dir.path())
            .env("NO_DATABASE", "True")
            .env("SQLITE_PATH", dir.path().join("serve.sqlite3"))
            .env("EXPORTS_ROOT_PATH", dir.path().join("exports"))
            .env("SITE_ROOT", "api")
            .env("MODE", "DEV")
            .env("DEMO_DATASET", "True")
            .env("OPENIMIS_WORKERS", "1")
            .env("OPENIMIS_REQUEST_TIMEOUT", "900")
            .stderr(Stdio::piped())
            .spawn()
            .expect("openimis starts");
        let stderr = child.stderr.take().unwrap();
        let (send, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.contains("listening on ") && send.send(line).is_err() {
                    break;
                }
            }
        });
        let line = lines
            .recv_timeout(Duration::from_secs(120))
            .expect("the server listens");
        let address = line
            .split("listening on ")
            .nth(1)
            .unwrap()
            .trim()
            .to_owned();
        Self {
            child,
            _lines: lines,
            address,
        }
    }

    /// The server's peak resident memory so far, in bytes.
    fn peak(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
        let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        kb * 1024
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(&self.address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(900)))
            .unwrap();
        stream
    }

    /// A GraphQL POST (as `token`'s holder) and its JSON answer.
    fn graphql(&self, query: &str, token: Option<&str>) -> Value {
        let body = json!({ "query": query }).to_string();
        let authorization =
            token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
        let mut stream = self.connect();
        write!(
            stream,
            "POST /api/graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n{authorization}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let body = response.split_once("\r\n\r\n").unwrap().1;
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {response}"))
    }

    /// The file of export `name`, read in chunks and never kept: its size, its line count,
    /// its first line and its last line.
    fn download(&self, token: &str, name: &str) -> (u64, u64, String, String) {
        let mut stream = self.connect();
        write!(
            stream,
            "GET /api/core/fetch_export?export={name} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::with_capacity(1 << 16, stream);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
            head.push_str(&line);
        }
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        let (mut size, mut lines) = (0u64, 0u64);
        let (mut first, mut last) = (String::new(), Vec::new());
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = reader.read_until(b'\n', &mut line).unwrap();
            if n == 0 {
                break;
            }
            size += n as u64;
            lines += 1;
            if lines == 1 {
                first = String::from_utf8_lossy(&line).into_owned();
            }
            last.clone_from(&line);
        }
        (
            size,
            lines,
            first,
            String::from_utf8_lossy(&last).into_owned(),
        )
    }
}

/// 100,000 insurees `B00000001`… in one statement, each with a 900-character address.
fn seed(database: &std::path::Path) {
    sqlite_execute(
        database,
        &format!(
            r#"INSERT INTO "tblInsuree" ("AuditUserID", "CHFID", "CardIssued", "CurrentAddress", "CurrentVillage",
                 "DOB", "Gender", "InsureeUUID", "IsHead", "LastName", "OtherNames", "Relationship",
                 "ValidityFrom", "JsonExt", "status", "Email")
               WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {ROWS})
               SELECT 1, printf('B%08d', i), 1,
                 '"Plot ' || i || '", ' || replace(hex(zeroblob(445)), '0', 'x'),
                 (SELECT MIN("LocationId") FROM "tblLocations" WHERE "LocationType" = 'V'),
                 date('1950-01-01', '+' || (i % 20000) || ' days'),
                 CASE WHEN i % 2 = 0 THEN 'M' ELSE 'F' END,
                 printf('b0000000-0000-4000-8000-%012d', i), 0, 'Load', printf('Person %d', i),
                 CASE WHEN i % 3 = 0 THEN NULL ELSE 4 END,
                 '2024-01-01 10:00:00.5', '{{"k": ' || i || ', "tag": "x"}}', 'AC',
                 printf('p%d@example.org', i)
               FROM n"#
        ),
    );
}

#[test]
fn a_hundred_thousand_insurees_export_in_bounded_memory() {
    let dir = ModulesDir::with(&MODULES);
    let server = Server::start(&dir);
    seed(&dir.path().join("serve.sqlite3"));
    let login = server.graphql(
        r#"mutation { tokenAuth(username: "Admin", password: "admin123") { token } }"#,
        None,
    );
    let token = login["data"]["tokenAuth"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{login}"))
        .to_owned();
    let export = |filter: &str| {
        let answer = server.graphql(
            &format!("{{ insureesExport({filter}, {FIELDS}) }}"),
            Some(&token),
        );
        answer["data"]["insureesExport"]
            .as_str()
            .unwrap_or_else(|| panic!("{answer}"))
            .to_owned()
    };

    // Warm up every path once (statements, pools, buffers), then measure.
    let small = export(r#"chfId_Istartswith: "B0000001""#);
    assert_eq!(server.download(&token, &small).1, 11);
    let before = server.peak();

    let name = export(r#"chfId_Istartswith: "B""#);
    let (size, lines, first, last) = server.download(&token, &name);
    let after = server.peak();

    assert_eq!(lines, ROWS as u64 + 1, "a header and every insuree");
    assert!(first.starts_with(",chf_id,last_name,"), "{first}");
    assert!(
        last.starts_with("99999,B00100000,Load,Person 100000,M,"),
        "{last}"
    );
    assert!(
        size > BOUND,
        "the file ({size} bytes) is bigger than the bound, or the test proves nothing"
    );
    // The same rows as a real XLSX: rows go to a temporary file, then into the zip.
    let started = std::time::Instant::now();
    let book = export(r#"chfId_Istartswith: "B", fileFormat: "xlsx""#);
    let (book_size, _, _, _) = server.download(&token, &book);
    let after_book = server.peak();
    eprintln!(
        "xlsx: {} MiB in {:?}, peak {} MiB",
        book_size >> 20,
        started.elapsed(),
        after_book >> 20
    );
    assert!(book_size > 1 << 20, "{book_size} bytes");
    let grown_by_book = after_book.saturating_sub(before);
    assert!(
        grown_by_book < BOUND,
        "the server's peak memory grew by {} MiB (from {} MiB) writing the XLSX",
        grown_by_book >> 20,
        before >> 20
    );
    let grown = after.saturating_sub(before);
    eprintln!(
        "peak memory {} MiB before, {} MiB after exporting and sending {} MiB",
        before >> 20,
        after >> 20,
        size >> 20
    );
    assert!(
        grown < BOUND,
        "the server's peak memory grew by {} MiB (from {} MiB) exporting and sending {} MiB",
        grown >> 20,
        before >> 20,
        size >> 20
    );
}
