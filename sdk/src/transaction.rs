//! One mutation, one transaction: `in_transaction` runs a mutation's writes atomically, so an
//! error or a panic half-way leaves no half-written rows (the panic still reaches
//! `run_logged`'s guard, which records it).

use super::db::DbConnection;
use super::mutation::MutationError;
use diesel::Connection;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

/// Why the transaction rolled back.
enum Abort {
    Refused(Vec<MutationError>),
    Failed(diesel::result::Error),
}

impl From<diesel::result::Error> for Abort {
    fn from(error: diesel::result::Error) -> Self {
        Abort::Failed(error)
    }
}

/// Runs `work` in a transaction on `conn`: committed when it answers `Ok`, rolled back when it
/// answers errors, fails in the database, or panics (the panic is then resumed).
pub fn in_transaction<T>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, Vec<MutationError>>,
) -> Result<T, Vec<MutationError>> {
    let mut panic = None;
    let outcome = conn.transaction::<T, Abort, _>(|conn| {
        match catch_unwind(AssertUnwindSafe(|| work(conn))) {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(errors)) => Err(Abort::Refused(errors)),
            Err(payload) => {
                panic = Some(payload);
                Err(Abort::Refused(Vec::new()))
            }
        }
    });
    if let Some(payload) = panic {
        resume_unwind(payload);
    }
    outcome.map_err(|abort| match abort {
        Abort::Refused(errors) => errors,
        Abort::Failed(error) => vec![MutationError {
            message: "The mutation failed in the database".into(),
            detail: Some(error.to_string()),
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{self, Bind};
    use diesel::connection::SimpleConnection;
    use diesel::SqliteConnection;

    fn connection() -> DbConnection {
        let mut conn = DbConnection::Sqlite(SqliteConnection::establish(":memory:").unwrap());
        conn.batch_execute("CREATE TABLE t (v INTEGER NOT NULL)")
            .unwrap();
        conn
    }

    fn rows(conn: &mut DbConnection) -> i64 {
        db::count(conn, "SELECT COUNT(*) AS n FROM t", &[]).unwrap()
    }

    fn insert(conn: &mut DbConnection, v: Option<i32>) -> Result<(), Vec<MutationError>> {
        db::execute(conn, "INSERT INTO t (v) VALUES (?)", &[Bind::Int(v)])
            .map(drop)
            .map_err(|e| vec![MutationError::new(e.message.to_string())])
    }

    #[test]
    fn commits_on_success() {
        let mut conn = connection();
        in_transaction(&mut conn, |c| insert(c, Some(1))).unwrap();
        assert_eq!(rows(&mut conn), 1);
    }

    #[test]
    fn a_failure_half_way_leaves_nothing() {
        let mut conn = connection();
        let errors = in_transaction(&mut conn, |c| {
            insert(c, Some(1))?;
            insert(c, None)
        })
        .unwrap_err();
        assert!(errors[0].message.contains("NOT NULL"), "{errors:?}");
        assert_eq!(rows(&mut conn), 0);
    }

    #[test]
    fn a_panic_half_way_leaves_nothing_and_still_panics() {
        let mut conn = connection();
        let caught = catch_unwind(AssertUnwindSafe(|| {
            in_transaction(&mut conn, |c| -> Result<(), _> {
                insert(c, Some(1))?;
                panic!("boom")
            })
        }));
        assert!(caught.is_err());
        assert_eq!(rows(&mut conn), 0);
        in_transaction(&mut conn, |c| insert(c, Some(2))).unwrap();
        assert_eq!(rows(&mut conn), 1, "the connection is usable afterwards");
    }
}
