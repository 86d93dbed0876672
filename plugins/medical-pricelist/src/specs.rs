//! The entities: each price-list kind (services, items) is a list and its details declared
//! once by [`pricelist!`], with the names the queries and location's types use; and the columns
//! of location's `tblLocations` the `location_` filters read (location answers that type: a
//! list's `location` is a stub).

use crate::manifest::{QUERY_ITEMS_PRICELISTS, QUERY_SERVICES_PRICELISTS};
use openimis_sdk::entity::*;

/// One price-list kind: its two entities and the names around them.
pub struct Pricelist {
    pub list: &'static EntitySpec,
    pub detail: &'static EntitySpec,
    /// The field naming a list: on `HealthFacilityGQLType`, on a detail, `details`' filter.
    pub field: &'static str,
    /// A detail's medical service or item (its rows carry `<target>Pk`).
    pub target: &'static str,
    /// The kind's key in location's `health_facilities.pricelist_ids` and in `pricelists`.
    pub key: &'static str,
    /// The right to read any list of the kind.
    pub right: u32,
}

/// `KIND = LIST, DETAIL { list type, table, key, uuid, name; detail type, table, key; field,
/// target (column, type); key, right }`.
macro_rules! pricelist {
    ($kind:ident = $list:ident, $detail:ident {
        $list_type:literal, $table:literal, $key:literal, $uuid:literal, $name:literal;
        $detail_type:literal, $detail_table:literal, $detail_key:literal;
        $field:literal, $target:literal ($target_column:literal, $target_type:literal);
        $facility_key:literal, $right:expr }) => {
        pub static $list: EntitySpec = EntitySpec {
            type_name: $list_type,
            table: $table,
            alias: "pl",
            key: $key,
            uuid: Some($uuid),
            history: Some(HISTORY),
            fields: &[
                text("name", $name)
                    .filters(EXACT | ICONTAINS | ISTARTSWITH)
                    .write(),
                date("pricelistDate", "DatePL")
                    .filters(EXACT | RANGE)
                    .write(),
                one("location", "LocationId", Target::Stub("LocationGQLType")).write(),
                many_paged("details", &$detail, $key),
            ],
        };
        pub static $detail: EntitySpec = EntitySpec {
            type_name: $detail_type,
            table: $detail_table,
            alias: "d",
            key: $detail_key,
            uuid: None,
            history: Some(HISTORY),
            fields: &[
                one($field, $key, Target::Local(&$list)).write(),
                one($target, $target_column, Target::Stub($target_type)).write(),
                decimal("priceOverrule", "PriceOverule", 2).write(),
            ],
        };
        pub static $kind: Pricelist = Pricelist {
            list: &$list,
            detail: &$detail,
            field: $field,
            target: $target,
            key: $facility_key,
            right: $right,
        };
    };
}

pricelist!(SERVICES = SERVICES_LIST, SERVICES_DETAIL {
    "ServicesPricelistGQLType", "tblPLServices", "PLServiceID", "PLServiceUUID", "PLServName";
    "ServicesPricelistDetailGQLType", "tblPLServicesDetail", "PLServiceDetailID";
    "servicesPricelist", "service" ("ServiceID", "ServiceGQLType"); "services", QUERY_SERVICES_PRICELISTS });

pricelist!(ITEMS = ITEMS_LIST, ITEMS_DETAIL {
    "ItemsPricelistGQLType", "tblPLItems", "PLItemID", "PLItemUUID", "PLItemName";
    "ItemsPricelistDetailGQLType", "tblPLItemsDetail", "PLItemDetailID";
    "itemsPricelist", "item" ("ItemID", "ItemGQLType"); "items", QUERY_ITEMS_PRICELISTS });

pub static ALL: [&Pricelist; 2] = [&SERVICES, &ITEMS];

/// The list or detail entity whose type is `name`.
pub fn of_type(name: &str) -> Option<&'static EntitySpec> {
    ALL.iter()
        .flat_map(|k| [k.list, k.detail])
        .find(|spec| spec.type_name == name)
}

/// The four columns of location's `tblLocations` the `location_` filters read (the old joins'
/// columns; location declares and answers the type).
static LOCATION: EntitySpec = EntitySpec {
    type_name: "LocationGQLType",
    table: "tblLocations",
    alias: "l",
    key: "LocationId",
    uuid: Some("LocationUUID"),
    history: None,
    fields: &[
        text("code", "LocationCode").filters(TEXT | NE),
        text("name", "LocationName").filters(TEXT | NE),
        text("type", "LocationType").filters(EXACT),
        one("parent", "ParentLocationId", Target::Local(&LOCATION)),
    ],
};

/// A list's `location` as a relation to [`LOCATION`], read for its `location_` filters alone.
pub static BY_LOCATION: EntitySpec = EntitySpec {
    alias: "pl",
    fields: &[one("location", "LocationId", Target::Local(&LOCATION))],
    ..LOCATION
};
