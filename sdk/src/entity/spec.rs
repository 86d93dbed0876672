//! The declaration of an entity: its table, key, history columns and fields, as `static` data
//! built with the `const fn`s below (`text("code", "HFCode").filters(TEXT).write()`).

/// How a column is read, bound and answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    BigInt,
    Text,
    Bool,
    /// A decimal answered as text with this many fraction digits ("12.50").
    Decimal(u8),
    /// `YYYY-MM-DD`.
    Date,
    /// A naive timestamp answered in ISO form (`sdk::time::iso`).
    DateTime,
    /// A uuid kept as text (`varchar(36)`).
    Uuid,
    /// `JsonExt`: answered as its text, as the original's `JSONString`.
    Json,
}

/// What a `one` relation points at.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// An entity of this module: loaded and completed for its sub-selection.
    Local(&'static EntitySpec),
    /// Another module's type: answered as a stub `{"pk": fk}` (the host's `__key`).
    Stub(&'static str),
}

/// What a field is.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    Scalar(Kind),
    /// A foreign key `column` of this table.
    One(Target),
    /// The rows of `target` whose `column` is this row's key (valid rows only); `paged`
    /// answers a connection with its own filters, order and paging, else a plain list.
    Many {
        target: &'static EntitySpec,
        column: &'static str,
        paged: bool,
    },
}

/// Lookups a field accepts as filter arguments (`code`, `code_Icontains`, ...).
pub type Lookups = u16;
pub const EXACT: Lookups = 1;
pub const IEXACT: Lookups = 2;
pub const ICONTAINS: Lookups = 4;
pub const ISTARTSWITH: Lookups = 8;
pub const ISNULL: Lookups = 16;
pub const IN: Lookups = 32;
/// `_Gt`, `_Gte`, `_Lt`, `_Lte`.
pub const RANGE: Lookups = 64;
/// `_Ne` (`IS NULL OR <>`), as location's code and name have it.
pub const NE: Lookups = 128;
/// `exact`, `Iexact`, `Icontains`, `Istartswith`: django-filter's usual text set.
pub const TEXT: Lookups = EXACT | IEXACT | ICONTAINS | ISTARTSWITH;

/// One GraphQL field of the entity.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The GraphQL name (`contractStartDate`).
    pub name: &'static str,
    /// The column (the foreign key for `one`; unused by `many`).
    pub column: &'static str,
    pub shape: Shape,
    pub lookups: Lookups,
    /// Written by `insert`/`update` when the values name it.
    pub writable: bool,
}

const fn scalar(name: &'static str, column: &'static str, kind: Kind) -> Field {
    Field {
        name,
        column,
        shape: Shape::Scalar(kind),
        lookups: 0,
        writable: false,
    }
}

pub const fn int(name: &'static str, column: &'static str) -> Field {
    scalar(name, column, Kind::Int)
}
pub const fn bigint(name: &'static str, column: &'static str) -> Field {
    scalar(name, column, Kind::BigInt)
}
pub const fn text(name: &'static str, column: &'static str) -> Field {
    scalar(name, column, Kind::Text)
}
pub const fn boolean(name: &'static str, column: &'static str) -> Field {
    scalar(name, column, Kind::Bool)
}
pub const fn decimal(name: &'static str, column: &'static str, places: u8) -> Field {
    scalar(name, column, Kind::Decimal(places))
}
pub const fn date(name: &'static str, column: &'static str) -> Field {
    scalar(name, column, Kind::Date)
}
pub const fn datetime(name: &'static str, column: &'static str) -> Field {
    scalar(name, column, Kind::DateTime)
}
pub const fn uuid(name: &'static str, column: &'static str) -> Field {
    scalar(name, column, Kind::Uuid)
}
pub const fn json(name: &'static str, column: &'static str) -> Field {
    scalar(name, column, Kind::Json)
}

/// A foreign key `column` to `target`: filters `name`, `name_Id`, `name_In`, `name_Isnull` and,
/// for a local target, its own filters under the prefix (`location_Parent_Uuid`); `orderBy`
/// `name__code`; written from `name` or `nameId` in the values.
pub const fn one(name: &'static str, column: &'static str, target: Target) -> Field {
    Field {
        name,
        column,
        shape: Shape::One(target),
        lookups: EXACT | IN | ISNULL,
        writable: false,
    }
}

/// The plain list of `target` rows whose `column` is this row's key.
pub const fn many(name: &'static str, target: &'static EntitySpec, column: &'static str) -> Field {
    Field {
        name,
        column,
        shape: Shape::Many {
            target,
            column,
            paged: false,
        },
        lookups: 0,
        writable: false,
    }
}

/// As [`many`], answered as a connection (filters, `orderBy`, paging per parent).
pub const fn many_paged(
    name: &'static str,
    target: &'static EntitySpec,
    column: &'static str,
) -> Field {
    let mut field = many(name, target, column);
    field.shape = Shape::Many {
        target,
        column,
        paged: true,
    };
    field
}

impl Field {
    /// Accepts these lookups as filter arguments.
    pub const fn filters(mut self, lookups: Lookups) -> Self {
        self.lookups = lookups;
        self
    }

    /// Written by `insert`/`update`.
    pub const fn write(mut self) -> Self {
        self.writable = true;
        self
    }

    /// The field's scalar kind (a foreign key is an integer); `None` for `many`.
    pub fn kind(&self) -> Option<Kind> {
        match self.shape {
            Shape::Scalar(kind) => Some(kind),
            Shape::One(_) => Some(Kind::BigInt),
            Shape::Many { .. } => None,
        }
    }
}

/// The history columns of a versioned table (`VersionedModel`).
#[derive(Debug, Clone, Copy)]
pub struct History {
    pub legacy_id: &'static str,
    pub audit_user: &'static str,
}

/// The columns versioned tables share, with the usual spelling.
pub const HISTORY: History = History {
    legacy_id: "LegacyID",
    audit_user: "AuditUserID",
};

/// One entity: a table and the GraphQL type its rows answer.
#[derive(Debug)]
pub struct EntitySpec {
    pub type_name: &'static str,
    pub table: &'static str,
    /// The table's alias in every statement (and in a module's own clauses: `h."LocationId"`).
    pub alias: &'static str,
    /// The integer primary key, answered as `pk` and in the relay `id`.
    pub key: &'static str,
    /// The uuid column (text), answered as `uuid`; a new v4 on insert.
    pub uuid: Option<&'static str>,
    /// Versioned tables: `ValidityFrom`/`ValidityTo` plus these; only valid rows are listed
    /// unless `showHistory: true`, updates keep a history copy, deletes end the row.
    pub history: Option<History>,
    pub fields: &'static [Field],
}

impl EntitySpec {
    /// The declared field called `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// `alias."column"`.
    pub fn col(&self, column: &str) -> String {
        format!(r#"{}."{column}""#, self.alias)
    }
}

/// A module's type declared through the SDK: `E::SPEC` names its spec.
pub trait Entity {
    const SPEC: &'static EntitySpec;
}
