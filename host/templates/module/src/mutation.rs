//! `create{{Pascal}}Item`: the original's mutation shape. The input carries `clientMutationId`
//! and `clientMutationLabel`; the payload answers `clientMutationId` and `internalId`.

use crate::items::Items;
use crate::locale;
use openimis_plugin_api::sdk::project::project;
use openimis_plugin_api::{ModuleError, SelectionField};
use serde_json::{json, Value};

/// Answers `create{{Pascal}}Item(input: ...)`.
pub fn create_item(
    items: &Items,
    field: &SelectionField,
    language: &str,
) -> Result<Value, ModuleError> {
    let input = field.arg("input").cloned().unwrap_or(Value::Null);
    let text = |name: &str| input.get(name).and_then(Value::as_str).map(str::to_owned);
    let code = text("code").unwrap_or_default();
    let client_mutation_id = text("clientMutationId");
    let _label = text("clientMutationLabel")
        .unwrap_or_else(|| locale::message(language, "{{name}}.mutation.create_item").replace("{code}", &code));
    // TODO(core): record in core_Mutation_Log through the SDK (client mutation id and label,
    // status, error), as the original's `OpenIMISMutation` does; that helper lands with core.
{{#business}}
    let created = crate::services::ItemService::new(items)
        .create(&code, text("name").as_deref())
        .map_err(|key| ModuleError::new("VALIDATION", locale::message(language, key)))?;
{{/business}}
{{#calculation}}
    if let Some(key) = crate::items::invalid(items, &code) {
        return Err(ModuleError::new("VALIDATION", locale::message(language, key)));
    }
    let created = items.insert(&code, text("name").as_deref());
{{/calculation}}
    let payload = json!({
        "clientMutationId": client_mutation_id,
        "internalId": created["uuid"],
    });
    Ok(project(&field.selection, &payload, "internalId"))
}
