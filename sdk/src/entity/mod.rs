//! The entity layer (feature `db`): one `static` [`EntitySpec`] per table gives its rows and
//! their JSON, django-style filters, `orderBy`, SQL-paged connections, entities by key, the
//! relations between entities (`one`, `many`) and the versioned writes.
//!
//! ```ignore
//! static BOOK: EntitySpec = EntitySpec {
//!     type_name: "BookType", table: "demo_Book", alias: "b", key: "BookId",
//!     uuid: Some("BookUUID"), history: Some(HISTORY),
//!     fields: &[
//!         text("title", "Title").filters(TEXT).write(),
//!         one("shelf", "ShelfId", Target::Local(&SHELF)).write(),
//!     ],
//! };
//! entity::connection(conn, &BOOK, field, Where::new(), &Access::open())
//! ```

mod access;
mod fetch;
mod filter;
mod load;
mod order;
mod relations;
mod row;
mod spec;
mod value;
mod write;

pub use access::{Access, ExtendHook, RowsHook};
pub use filter::escape_like;
pub use load::{by_keys, connection, filtered, list};
pub use relations::complete;
pub use row::fixed;
pub use spec::*;
pub use value::bind;
pub use write::{delete, failed, input, insert, pk_by_uuid, update};

#[cfg(test)]
mod tests;
