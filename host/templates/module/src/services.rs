//! The business service: what the GraphQL mutation (and other modules' calls) go through, as the
//! original's `services.py`. Validation lives here, not in the GraphQL layer.

use crate::items::{invalid, Items};
use serde_json::Value;

/// Creates and validates items.
pub struct ItemService<'a> {
    items: &'a Items,
}

impl<'a> ItemService<'a> {
    pub fn new(items: &'a Items) -> Self {
        Self { items }
    }

    /// Stores a new item; on failure answers the message key of what is wrong.
    pub fn create(&self, code: &str, name: Option<&str>) -> Result<Value, &'static str> {
        let code = code.trim();
        if let Some(key) = invalid(self.items, code) {
            return Err(key);
        }
        Ok(self.items.insert(code, name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_an_item_with_a_trimmed_code() {
        let items = Items::default();
        let created = ItemService::new(&items).create(" A1 ", Some("First")).unwrap();
        assert_eq!(created["code"], "A1");
        assert_eq!(created["name"], "First");
        assert_eq!(items.matching(None).len(), 1);
    }

    #[test]
    fn refuses_empty_long_and_duplicate_codes() {
        let items = Items::default();
        let service = ItemService::new(&items);
        assert_eq!(service.create("", None), Err("{{name}}.item.code_required"));
        assert_eq!(service.create("123456789", None), Err("{{name}}.item.code_too_long"));
        service.create("A1", None).unwrap();
        assert_eq!(service.create("A1", None), Err("{{name}}.item.code_taken"));
    }
}
