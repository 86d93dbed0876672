//! The business service: what the GraphQL mutations (and other modules' calls) go through, as the
//! original's `services.py`. Business rules live here, not in the GraphQL layer; the rows are
//! written by `items.rs` through the entity layer.

use crate::items::{self, ItemError, ItemInput};
use openimis_sdk::db::DbConnection;

/// Creates, updates and deletes items on behalf of `audit_user_id`.
pub struct ItemService<'a> {
    conn: &'a mut DbConnection,
    audit_user_id: i64,
}

impl<'a> ItemService<'a> {
    pub fn new(conn: &'a mut DbConnection, audit_user_id: i64) -> Self {
        Self {
            conn,
            audit_user_id,
        }
    }

    /// Codes are stored trimmed.
    fn trimmed(mut input: ItemInput) -> ItemInput {
        input.code = input.code.map(|code| code.trim().to_owned());
        input
    }

    /// Stores a new item; answers its key.
    pub fn create(&mut self, input: ItemInput) -> Result<i64, ItemError> {
        items::create(self.conn, &Self::trimmed(input), self.audit_user_id)
    }

    /// Changes the item `input.uuid` names.
    pub fn update(&mut self, input: ItemInput) -> Result<(), ItemError> {
        items::update(self.conn, &Self::trimmed(input), self.audit_user_id)
    }

    /// Ends the item `input.uuid` names.
    pub fn delete(&mut self, input: ItemInput) -> Result<(), ItemError> {
        items::delete(self.conn, &input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{codes, started};
    use serde_json::json;

    fn input(code: &str) -> ItemInput {
        ItemInput {
            code: Some(code.to_owned()),
            ..Default::default()
        }
    }

    fn refusal<T: std::fmt::Debug>(result: Result<T, ItemError>) -> &'static str {
        match result {
            Err(ItemError::Invalid(key)) => key,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn creates_an_item_with_a_trimmed_code() {
        let (module, _host) = started();
        {
            // SQLite: the pool's one connection, handed back before the query below.
            let conn = &mut *module.connection().unwrap();
            ItemService::new(conn, 7).create(input(" A1 ")).unwrap();
        }
        assert_eq!(codes(&module, json!({"code": "A1"})), ["A1"]);
    }

    #[test]
    fn refuses_empty_long_duplicate_and_unknown() {
        let (module, _host) = started();
        let conn = &mut *module.connection().unwrap();
        let mut service = ItemService::new(conn, 0);
        assert_eq!(
            refusal(service.create(input(" "))),
            "{{name}}.item.code_required"
        );
        assert_eq!(
            refusal(service.create(input("123456789"))),
            "{{name}}.item.code_too_long"
        );
        service.create(input("A1")).unwrap();
        assert_eq!(
            refusal(service.create(input("A1 "))),
            "{{name}}.item.code_taken"
        );
        let unknown = ItemInput {
            uuid: Some("00000000-0000-4000-8000-000000000000".into()),
            ..input("B1")
        };
        assert_eq!(
            refusal(service.update(unknown)),
            "{{name}}.item.not_found"
        );
    }
}
