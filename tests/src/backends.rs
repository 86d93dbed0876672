//! A suite on both databases, declared once: `on_sqlite_and_postgres!(body: name,
//! name_on_postgres, "database")` is the test `name` running `body(&[])` on SQLite and, with
//! `--features postgres`, the test `name_on_postgres` running `body` on a fresh PostgreSQL
//! database `database` (`postgres_db::fresh_database`). Doc comments before the names go on
//! both tests.

/// See the module's documentation.
#[macro_export]
macro_rules! on_sqlite_and_postgres {
    ($(#[$meta:meta])* $body:ident: $sqlite:ident, $postgres:ident, $database:literal) => {
        $(#[$meta])*
        #[actix_rt::test]
        async fn $sqlite() {
            $body(&[]).await;
        }

        $(#[$meta])*
        #[cfg(feature = "postgres")]
        #[actix_rt::test]
        async fn $postgres() {
            $body(&$crate::postgres_db::fresh_database($database)).await;
        }
    };
}
