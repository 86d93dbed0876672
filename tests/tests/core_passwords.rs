//! Passwords over HTTP: legacy and argon2id logins, `changePassword` (yourself with the old
//! password or when locked, others with right 121703), `resetPassword` mailing a token to a local
//! SMTP server, `setPassword` with that token (once), the password policy, and the PROD lockout;
//! on SQLite, and on PostgreSQL too with the `postgres` feature.

use actix_web::test as web_test;
use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};
use openimis_host::runtime::Runtime;
use openimis_host::settings::Database;
use openimis_system_tests::smtp::SmtpServer;
use openimis_system_tests::*;
use serde_json::{json, Value};

const CHANGE: &str = "mutation ($input: ChangePasswordMutationInput!) { changePassword(input: $input) { clientMutationId success error } }";
const RESET: &str = "mutation ($input: ResetPasswordMutationInput!) { resetPassword(input: $input) { clientMutationId success error } }";
const SET: &str = "mutation ($input: SetPasswordMutationInput!) { setPassword(input: $input) { clientMutationId success error } }";
const LOGIN: &str =
    "mutation ($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }";

/// The test's database, on whichever backend the runtime uses.
enum Db {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

impl Db {
    fn open(database: &Database) -> Self {
        match database {
            Database::Sqlite { path } => Db::Sqlite(open_sqlite(path)),
            Database::Postgres { url } => {
                Db::Postgres(PgConnection::establish(url).expect("the test database opens"))
            }
        }
    }

    fn execute(&mut self, sql: &str) {
        match self {
            Db::Sqlite(conn) => diesel::sql_query(sql).execute(conn),
            Db::Postgres(conn) => diesel::sql_query(sql).execute(conn),
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Adds an interactive user with a locked password (as a new user without one).
    fn add_user(&mut self, username: &str, email: Option<&str>) {
        self.execute(&format!(
            r#"INSERT INTO "tblUsers" ("UUID", "LanguageID", "LastName", "OtherNames", "LoginName", "EmailId", "StoredPassword", "active", "version")
               VALUES ('{}', 'en', 'Clerk', 'One', '{username}', {}, 'locked', TRUE, 1)"#,
            uuid_for(username),
            email.map_or("NULL".to_owned(), |e| format!("'{e}'"))
        ));
        self.execute(&format!(
            r#"INSERT INTO "core_User" ("id", "version", "username", "i_user_id")
               SELECT '{}', 1, '{username}', "id" FROM "tblUsers" WHERE "LoginName" = '{username}'"#,
            uuid_for(&format!("core-{username}"))
        ));
    }

    /// `(StoredPassword, PrivateKey)` of a login name.
    fn stored(&mut self, login: &str) -> (String, Option<String>) {
        let sql = format!(
            r#"SELECT "StoredPassword" AS stored_password, "PrivateKey" AS private_key FROM "tblUsers" WHERE "LoginName" = '{login}'"#
        );
        let rows: Vec<Stored> = match self {
            Db::Sqlite(conn) => diesel::sql_query(&sql).load(conn),
            Db::Postgres(conn) => diesel::sql_query(&sql).load(conn),
        }
        .unwrap();
        let row = rows.into_iter().next().expect("the user exists");
        (row.stored_password.unwrap_or_default(), row.private_key)
    }

    fn set_stored(&mut self, login: &str, stored: &str) {
        self.execute(&format!(
            r#"UPDATE "tblUsers" SET "StoredPassword" = '{stored}' WHERE "LoginName" = '{login}'"#
        ));
    }
}

fn uuid_for(seed: &str) -> String {
    let hex: String = seed
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(16)
        .map(|b| format!("{:02x}", b))
        .collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[derive(diesel::QueryableByName)]
struct Stored {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    stored_password: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    private_key: Option<String>,
}

/// Runs one GraphQL operation (as `token`'s holder when given) and answers the body.
async fn call<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    query: &str,
    variables: Value,
    token: Option<&str>,
) -> Value {
    let request = match token {
        Some(token) => graphql_as(query, variables, token),
        None => graphql_request(query, variables),
    };
    json_of(web_test::call_service(app, request).await).await.1
}

/// The `{success, error}` of a password mutation, checking `clientMutationId` comes back.
async fn password_mutation<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    query: &str,
    input: Value,
    token: Option<&str>,
) -> (bool, Option<String>) {
    let mut input = input;
    input["clientMutationId"] = json!("cm-1");
    let body = call(app, query, json!({ "input": input }), token).await;
    let (_, payload) = body["data"]
        .as_object()
        .and_then(|data| data.iter().next())
        .unwrap_or_else(|| panic!("no payload: {body}"));
    assert_eq!(payload["clientMutationId"], "cm-1", "{body}");
    (
        payload["success"].as_bool().expect("success is a boolean"),
        payload["error"].as_str().map(str::to_owned),
    )
}

/// The login error, or `None` when `tokenAuth` gave a token.
async fn login_error<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    username: &str,
    password: &str,
) -> Option<String> {
    let body = call(app, LOGIN, json!({"u": username, "p": password}), None).await;
    match body["data"]["tokenAuth"]["token"].as_str() {
        Some(_) => None,
        None => Some(
            body["errors"][0]["message"]
                .as_str()
                .unwrap_or("?")
                .to_owned(),
        ),
    }
}

fn core_only() -> Value {
    modules_json(&[json!({"name": "core"})])
}

/// The backend variables (none: SQLite) plus `vars`, with the demo data.
fn start_core(dir: &ModulesDir, backend: &[(String, String)], vars: &[(&str, &str)]) -> Runtime {
    let mut all: Vec<(&str, &str)> = backend
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    all.push(("DEMO_DATASET", "True"));
    all.extend_from_slice(vars);
    start(settings(&core_only(), dir, &all)).expect("core starts")
}

#[actix_rt::test]
async fn change_reset_and_set_passwords_with_a_mailed_token() {
    change_reset_and_set(&[]).await;
}

#[actix_rt::test]
async fn in_prod_repeated_failures_lock_a_username_out() {
    lockout(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn change_reset_and_set_passwords_on_postgres() {
    change_reset_and_set(&postgres_db::fresh_database("passwords")).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn the_lockout_on_postgres() {
    lockout(&postgres_db::fresh_database("lockout")).await;
}

async fn change_reset_and_set(backend: &[(String, String)]) {
    let smtp = SmtpServer::start();
    let port = smtp.port.to_string();
    let dir = ModulesDir::with(&["core"]);
    let runtime = start_core(
        &dir,
        backend,
        &[
            ("EMAIL_HOST", "127.0.0.1"),
            ("EMAIL_PORT", &port),
            ("FRONTEND_URL", "https://imis.example.org/front"),
        ],
    );
    let mut db = Db::open(&runtime.settings.database);
    db.add_user("pwclerk", Some("pwclerk@example.org"));
    db.add_user("pwnomail", None);
    let (_rt, app) = service(runtime).await;
    let admin = login(&app, "Admin", "admin123").await;

    // A locked password never logs in; someone holding 121703 sets it, policy first.
    assert_eq!(
        login_error(&app, "pwclerk", "locked").await.as_deref(),
        Some("INCORRECT_CREDENTIALS")
    );
    let by_admin = |password: &str| json!({"username": "pwclerk", "newPassword": password});
    assert_eq!(
        password_mutation(&app, CHANGE, by_admin("weak"), Some(&admin)).await,
        (false, Some("Failed to change user password".into()))
    );
    assert_eq!(
        password_mutation(&app, CHANGE, by_admin("Clerk-Pass1"), Some(&admin)).await,
        (true, None)
    );
    let (hash, private_key) = db.stored("pwclerk");
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    // A new key with every password, so earlier tokens stop working (see core_tokens).
    assert_eq!(private_key.map(|k| k.len()), Some(64));
    let clerk = login(&app, "pwclerk", "Clerk-Pass1").await;

    // Without 121703 nobody else's password changes; your own needs the old one.
    let admin_before = db.stored("Admin");
    assert_eq!(
        password_mutation(
            &app,
            CHANGE,
            json!({"username": "Admin", "newPassword": "Taken-Over1"}),
            Some(&clerk)
        )
        .await,
        (false, Some("Failed to change user password".into()))
    );
    assert_eq!(db.stored("Admin"), admin_before);
    assert_eq!(
        password_mutation(
            &app,
            CHANGE,
            json!({"oldPassword": "Clerk-Wrong1", "newPassword": "Clerk-Pass2"}),
            Some(&clerk)
        )
        .await,
        (false, Some("Failed to change user password".into()))
    );
    assert_eq!(
        password_mutation(
            &app,
            CHANGE,
            json!({"oldPassword": "Clerk-Pass1", "newPassword": "Clerk-Pass2"}),
            Some(&clerk)
        )
        .await,
        (true, None)
    );
    assert_eq!(
        login_error(&app, "pwclerk", "Clerk-Pass1").await.as_deref(),
        Some("INCORRECT_CREDENTIALS")
    );
    assert_eq!(login_error(&app, "pwclerk", "Clerk-Pass2").await, None);
    // The change ended the clerk's earlier token.
    let clerk = login(&app, "pwclerk", "Clerk-Pass2").await;
    assert_eq!(
        password_mutation(&app, CHANGE, json!({"newPassword": "Anon-Pass1"}), None).await,
        (false, Some("Failed to change user password".into()))
    );
    // A locked stored password lets its (still logged-in) owner choose one without the old.
    db.set_stored("pwclerk", "locked");
    assert_eq!(
        password_mutation(
            &app,
            CHANGE,
            json!({"newPassword": "Clerk-Pass3"}),
            Some(&clerk)
        )
        .await,
        (true, None)
    );
    assert_eq!(login_error(&app, "pwclerk", "Clerk-Pass3").await, None);

    // Reset: unknown users succeed silently, a user without an address fails, by email works.
    assert_eq!(
        password_mutation(&app, RESET, json!({"username": "nobody"}), None).await,
        (true, None)
    );
    assert!(smtp.try_mail().is_none(), "no mail for an unknown user");
    assert_eq!(
        password_mutation(&app, RESET, json!({"username": "pwnomail"}), None).await,
        (false, Some("Failed to reset password.".into()))
    );
    assert_eq!(
        password_mutation(
            &app,
            RESET,
            json!({"username": "pwclerk@example.org"}),
            None
        )
        .await,
        (true, None)
    );
    let mail = smtp.next_mail();
    assert_eq!(mail.to, ["pwclerk@example.org"]);
    assert!(
        mail.data.contains("Subject: [OpenIMIS] Reset Password\r\n"),
        "{}",
        mail.data
    );
    let body = mail.body();
    assert!(body.starts_with("Hello pwclerk,"), "{body}");
    let link = "https://imis.example.org/front/set_password?token=";
    let token: String = body
        .split_once(link)
        .unwrap_or_else(|| panic!("no reset link in {body}"))
        .1
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    assert_eq!(token.len(), 64, "{body}");

    // Set: the token works once, for its own user, and the policy still applies.
    let set = |username: &str, token: &str, password: &str| json!({"username": username, "token": token, "newPassword": password});
    let failed = (false, Some("Failed to set password.".to_owned()));
    assert_eq!(
        password_mutation(&app, SET, set("pwclerk", "0badc0de", "Clerk-Pass4"), None).await,
        failed
    );
    assert_eq!(
        password_mutation(&app, SET, set("Admin", &token, "Clerk-Pass4"), None).await,
        failed
    );
    assert_eq!(
        password_mutation(&app, SET, set("pwclerk", &token, "weak"), None).await,
        failed
    );
    assert_eq!(
        password_mutation(&app, SET, set("pwclerk", &token, "Clerk-Pass4"), None).await,
        (true, None)
    );
    assert_eq!(login_error(&app, "pwclerk", "Clerk-Pass4").await, None);
    assert_eq!(
        password_mutation(&app, SET, set("pwclerk", &token, "Clerk-Pass5"), None).await,
        failed
    );

    // DEV has no lockout: failures never stop a right password.
    for _ in 0..6 {
        assert_eq!(
            login_error(&app, "Admin", "wrong").await.as_deref(),
            Some("INCORRECT_CREDENTIALS")
        );
    }
    assert_eq!(login_error(&app, "Admin", "admin123").await, None);
}

async fn lockout(backend: &[(String, String)]) {
    let dir = ModulesDir::with(&["core"]);
    let runtime = start_core(
        &dir,
        backend,
        &[
            ("MODE", "PROD"),
            ("LOGIN_LOCKOUT_FAILURE_LIMIT", "3"),
            ("LOGIN_LOCKOUT_COOLOFF_TIME", "5"),
        ],
    );
    let (_rt, app) = service(runtime).await;
    // Twelve wrong passwords at once: no more than the limit reach a verdict.
    let racing = (0..12).map(|_| login_error(&app, "racer", "wrong"));
    let answers = futures_util::future::join_all(racing).await;
    let verified = answers
        .iter()
        .filter(|a| a.as_deref() == Some("INCORRECT_CREDENTIALS"))
        .count();
    assert!(
        verified <= 3,
        "{verified} parallel guesses got through: {answers:?}"
    );
    for _ in 0..3 {
        assert_eq!(
            login_error(&app, "Admin", "wrong").await.as_deref(),
            Some("INCORRECT_CREDENTIALS")
        );
    }
    let locked_out = "Too many failed attempts.Try again in 4 minutes.";
    assert_eq!(
        login_error(&app, "Admin", "admin123").await.as_deref(),
        Some(locked_out),
        "the right password is refused too while locked out"
    );
    assert_eq!(
        login_error(&app, "admin", "admin123").await.as_deref(),
        Some(locked_out),
        "login names match without case, and so do their failures"
    );
    assert_eq!(
        password_mutation(
            &app,
            SET,
            json!({"username": "Admin", "token": "0badc0de", "newPassword": "Admin-Pass1"}),
            None
        )
        .await,
        (false, Some(locked_out.to_owned())),
        "setPassword shows the lockout itself"
    );
    assert_eq!(
        login_error(&app, "someone", "wrong").await.as_deref(),
        Some("INCORRECT_CREDENTIALS"),
        "other usernames are not locked out"
    );
}
