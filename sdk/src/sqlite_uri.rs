//! The one way every library in the process opens the SQLite file: a URI that selects
//! SQLite's `unix-dotfile` locking on Unix.
//!
//! Every library (the host and each module) links its own copy of SQLite, and POSIX record
//! locks never conflict inside one process, so with SQLite's default `unix` VFS one copy cannot
//! see another's locks: a reader in one module takes a writer's open rollback journal in another
//! for a hot journal and rolls it back under the writer ("disk I/O error", a lost mutation).
//! Dot-file locks are a directory next to the database, which every copy (and every process)
//! sees. On Windows the OS locks are per handle, so the plain path is right there.

use std::path::Path;

/// The URI (or path) to give `SqliteConnection::establish` for the database file `path`.
pub fn sqlite_uri(path: &Path) -> String {
    let path = path.display().to_string();
    if cfg!(unix) {
        format!("file:{}?vfs=unix-dotfile", escape(&path))
    } else {
        path
    }
}

/// The lock directory the `unix-dotfile` VFS holds while a connection reads or writes `path`.
pub fn sqlite_lock_dir(path: &Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    name.into()
}

/// Percent-escapes what a SQLite URI path cannot hold literally.
fn escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '%' | '?' | '#' => out.push_str(&format!("%{:02X}", c as u32)),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_path_becomes_a_dotfile_uri_with_its_special_characters_escaped() {
        assert_eq!(
            sqlite_uri(Path::new("/srv/imis/db.sqlite3")),
            "file:/srv/imis/db.sqlite3?vfs=unix-dotfile"
        );
        assert_eq!(
            sqlite_uri(Path::new("data/100%?#.db")),
            "file:data/100%25%3F%23.db?vfs=unix-dotfile"
        );
    }

    #[test]
    fn the_lock_directory_sits_next_to_the_database() {
        assert_eq!(
            sqlite_lock_dir(Path::new("/srv/db.sqlite3")),
            Path::new("/srv/db.sqlite3.lock")
        );
    }
}
