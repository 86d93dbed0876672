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
mod args;
mod fetch;
mod filter;
mod find;
mod hooks;
mod linked;
mod load;
mod lookup;
mod order;
mod prefixed;
mod relations;
mod requests;
mod row;
mod spec;
mod through;
mod uuid_keys;
pub(crate) mod value;
pub mod views;
mod write;

pub use access::{Access, ExtendHook, Reach, RowsHook};
pub use args::{args_only, count, with_args};
pub use filter::escape_like;
pub use find::{every_field, find, ids, loaded, update_in_place};
pub use hooks::Hooks;
pub use linked::{fill_linked, pairs};
pub use load::{by_keys, connection, extended_by_keys, filtered, list};
pub use lookup::{valid_at, Lookup};
pub use prefixed::{prefixed, take_prefixed};
pub use relations::{complete, many_listed as children_of};
pub use requests::{logged_in, no_entities, no_root_field};
pub use row::fixed;
#[cfg(feature = "export")]
pub(crate) use row::{extra, load_cells, Cell, Cells};
pub use spec::*;
pub use through::narrowed_through;
pub use uuid_keys::by_uuid_keys;
pub use value::bind;
pub use write::{
    copy_to_history, delete, delete_history, failed, input, insert, pk_by_uuid, restamp, update,
};

#[cfg(test)]
mod tests;
