//! The business service: what the GraphQL mutation (and other modules' calls) go through, as the
//! original's `services.py`. Business rules live here, not in the GraphQL layer.

use crate::items::{self, ItemError};
use openimis_sdk::db::DbConnection;

/// Creates items.
pub struct ItemService<'a> {
    conn: &'a mut DbConnection,
}

impl<'a> ItemService<'a> {
    pub fn new(conn: &'a mut DbConnection) -> Self {
        Self { conn }
    }

    /// Stores a new item under its trimmed code; answers its uuid.
    pub fn create(&mut self, code: &str, name: Option<&str>) -> Result<String, ItemError> {
        items::create(self.conn, code.trim(), name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(result: Result<String, ItemError>) -> &'static str {
        match result {
            Err(ItemError::Invalid(key)) => key,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn creates_an_item_with_a_trimmed_code() {
        let (module, _host) = crate::tests::started();
        let conn = &mut *module.connection().unwrap();
        let uuid = ItemService::new(conn).create(" A1 ", Some("First")).unwrap();
        let rows = items::list(conn, None).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (&rows[0]["uuid"], &rows[0]["code"], &rows[0]["name"]),
            (&serde_json::json!(uuid), &serde_json::json!("A1"), &serde_json::json!("First"))
        );
    }

    #[test]
    fn refuses_empty_long_and_duplicate_codes() {
        let (module, _host) = crate::tests::started();
        let conn = &mut *module.connection().unwrap();
        let mut service = ItemService::new(conn);
        assert_eq!(refusal(service.create(" ", None)), "{{name}}.item.code_required");
        assert_eq!(refusal(service.create("123456789", None)), "{{name}}.item.code_too_long");
        service.create("A1", None).unwrap();
        assert_eq!(refusal(service.create("A1", None)), "{{name}}.item.code_taken");
    }
}
