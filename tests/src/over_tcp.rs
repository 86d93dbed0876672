//! Requests to a server started as a process (`openimis serve`), over a plain TCP connection:
//! one HTTP/1.1 request per connection, closed after the answer.

use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;

/// `method path` with `body` (JSON when not empty) and extra `headers` (`Name: value\r\n`
/// lines): the status and the answer's JSON (`Null` when it is not JSON).
pub fn request(address: &str, method: &str, path: &str, headers: &str, body: &str) -> (u16, Value) {
    let mut stream = TcpStream::connect(address).unwrap();
    let content = if body.is_empty() {
        String::new()
    } else {
        format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        )
    };
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\n{content}{headers}Connection: close\r\n\r\n{body}"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let answer = response.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    (status, serde_json::from_str(answer).unwrap_or(Value::Null))
}

/// A GraphQL POST of `query` with `variables` to `/api/graphql`, as `token`'s holder when
/// given.
pub fn graphql(address: &str, query: &str, variables: Value, token: Option<&str>) -> (u16, Value) {
    let body = serde_json::json!({ "query": query, "variables": variables }).to_string();
    let authorization = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    request(address, "POST", "/api/graphql", &authorization, &body)
}

/// `/ht/live`: the serving generation and the pid of its process.
pub fn live(address: &str) -> (u64, u32) {
    let (status, body) = request(address, "GET", "/ht/live", "", "");
    assert_eq!(status, 200, "{body}");
    (
        body["generation"].as_u64().unwrap(),
        u32::try_from(body["pid"].as_u64().unwrap()).unwrap(),
    )
}
