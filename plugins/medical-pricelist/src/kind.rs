//! The two price-list kinds, services and items: one set of code, two sets of table, column
//! and type names (the original's `ItemsOrServicesPricelistDetail` pairs).

/// Which price list a row, query or field is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Services,
    Items,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Services, Kind::Items];

    pub fn table(self) -> &'static str {
        match self {
            Kind::Services => "tblPLServices",
            Kind::Items => "tblPLItems",
        }
    }

    /// The list's primary key, also the detail table's reference to it.
    pub fn pk(self) -> &'static str {
        match self {
            Kind::Services => "PLServiceID",
            Kind::Items => "PLItemID",
        }
    }

    pub fn uuid_column(self) -> &'static str {
        match self {
            Kind::Services => "PLServiceUUID",
            Kind::Items => "PLItemUUID",
        }
    }

    pub fn name_column(self) -> &'static str {
        match self {
            Kind::Services => "PLServName",
            Kind::Items => "PLItemName",
        }
    }

    pub fn detail_table(self) -> &'static str {
        match self {
            Kind::Services => "tblPLServicesDetail",
            Kind::Items => "tblPLItemsDetail",
        }
    }

    pub fn detail_pk(self) -> &'static str {
        match self {
            Kind::Services => "PLServiceDetailID",
            Kind::Items => "PLItemDetailID",
        }
    }

    /// The medical module's service or item a detail prices.
    pub fn target_column(self) -> &'static str {
        match self {
            Kind::Services => "ServiceID",
            Kind::Items => "ItemID",
        }
    }

    pub fn type_name(self) -> &'static str {
        match self {
            Kind::Services => "ServicesPricelistGQLType",
            Kind::Items => "ItemsPricelistGQLType",
        }
    }

    pub fn detail_type_name(self) -> &'static str {
        match self {
            Kind::Services => "ServicesPricelistDetailGQLType",
            Kind::Items => "ItemsPricelistDetailGQLType",
        }
    }

    /// The field naming the list: on `HealthFacilityGQLType`, on a detail, and `details`' filter.
    pub fn list_field(self) -> &'static str {
        match self {
            Kind::Services => "servicesPricelist",
            Kind::Items => "itemsPricelist",
        }
    }

    /// The key of location's `health_facilities.pricelist_ids` answer.
    pub fn facility_key(self) -> &'static str {
        match self {
            Kind::Services => "services",
            Kind::Items => "items",
        }
    }

    /// The type named by `name` (a list or a detail type), with whether it is the detail type.
    pub fn of_type(name: &str) -> Option<(Kind, bool)> {
        Kind::ALL.into_iter().find_map(|k| {
            if k.type_name() == name {
                Some((k, false))
            } else if k.detail_type_name() == name {
                Some((k, true))
            } else {
                None
            }
        })
    }
}
