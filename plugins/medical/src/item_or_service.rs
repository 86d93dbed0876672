//! What differs between items and services where the original shares one code path
//! (`ItemOrService`, `update_or_create_item_or_service`, `set_item_or_service_deleted`): the
//! entity, its rights, its mutation link table, its price-list tables and its history rule.

use crate::manifest::{
    ADD_ITEMS, ADD_SERVICES, DELETE_ITEMS, DELETE_SERVICES, QUERY_ITEMS, QUERY_SERVICES,
    UPDATE_ITEMS, UPDATE_SERVICES,
};
use crate::specs::{ITEM, SERVICE};
use openimis_sdk::entity::EntitySpec;

/// One of the two kinds of medical acts.
#[derive(Debug)]
pub struct ItemOrService {
    pub spec: &'static EntitySpec,
    /// `item` / `service`: the original's message keys (`item.mutation.failed_to_create_item`).
    pub noun: &'static str,
    /// The original's model name, in its "matching query does not exist." texts.
    pub model: &'static str,
    pub code_column: &'static str,
    pub query_right: u32,
    pub add_right: u32,
    pub update_right: u32,
    pub delete_right: u32,
    /// `medical_ItemMutation` and its row column.
    pub link_table: &'static str,
    pub link_column: &'static str,
    /// medical_pricelist's list table, its key and uuid, and the detail table naming this kind.
    pub pricelist_table: &'static str,
    pub pricelist_key: &'static str,
    pub pricelist_uuid: &'static str,
    pub detail_table: &'static str,
    /// The fields the original's `__eq__` compares (`pre_save` keeps history when one differs).
    pub compared: &'static [&'static str],
    /// The optional text compared with `""` equal to null (`package`, `category`).
    pub compared_optional: &'static str,
}

pub static ITEMS: ItemOrService = ItemOrService {
    spec: &ITEM,
    noun: "item",
    model: "Item",
    code_column: "ItemCode",
    query_right: QUERY_ITEMS,
    add_right: ADD_ITEMS,
    update_right: UPDATE_ITEMS,
    delete_right: DELETE_ITEMS,
    link_table: "medical_ItemMutation",
    link_column: "item_id",
    pricelist_table: "tblPLItems",
    pricelist_key: "PLItemID",
    pricelist_uuid: "PLItemUUID",
    detail_table: "tblPLItemsDetail",
    compared: &[
        "code",
        "name",
        "type",
        "price",
        "careType",
        "patientCategory",
        "quantity",
        "frequency",
    ],
    compared_optional: "package",
};

pub static SERVICES: ItemOrService = ItemOrService {
    spec: &SERVICE,
    noun: "service",
    model: "Service",
    code_column: "ServCode",
    query_right: QUERY_SERVICES,
    add_right: ADD_SERVICES,
    update_right: UPDATE_SERVICES,
    delete_right: DELETE_SERVICES,
    link_table: "medical_ServiceMutation",
    link_column: "service_id",
    pricelist_table: "tblPLServices",
    pricelist_key: "PLServiceID",
    pricelist_uuid: "PLServiceUUID",
    detail_table: "tblPLServicesDetail",
    compared: &[
        "code",
        "name",
        "type",
        "level",
        "price",
        "careType",
        "patientCategory",
        "frequency",
    ],
    compared_optional: "category",
};

impl ItemOrService {
    /// The table's key column (`ItemID`), also the detail table's column naming the row.
    pub fn key(&self) -> &'static str {
        self.spec.key
    }
}
