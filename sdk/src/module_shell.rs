//! A module with tables declared over the SDK: what its `OpenImisModule` impl used to say again
//! (the host handle and a [`ModulePool`] kept together, the pool built in `ready` with the demo
//! seed, the SDL handed over) is [`Pooled`]'s; the module says only its name, its state, its
//! SDL, its seed, its migrations and how it answers ([`PooledModule`]), each hook given the
//! [`Shell`]:
//!
//! ```ignore
//! impl PooledModule for Payer {
//!     const NAME: &'static str = "payer";
//!     const SCHEMA: &'static str = include_str!("../schema/payer.graphql");
//!     const SEED: Seed = demo::seed;
//!     const ENTITIES: Option<Entities> = Some(entities::resolve);
//!     fn init(_config: Value) -> Result<Self, ModuleError> { Ok(Payer) }
//!     fn resolve(&self, shell: &Shell, request: ResolveRequest) -> Result<Value, ModuleError> { .. }
//!     fn migrations(&self) -> Vec<Migration> { migrations![..] }
//! }
//! openimis_sdk::export_module!(Pooled<Payer>, manifest::manifest());
//! ```

use crate::db::{DbConnection, PooledConnection};
use crate::module_pool::ModulePool;
use crate::{EntitiesRequest, HostHandle, Migration, ModuleError, OpenImisModule, ResolveRequest};
use serde_json::Value;

/// What every hook of a pooled module is given: the host and the module's pool.
pub struct Shell {
    pub host: HostHandle,
    pub pool: ModulePool,
    name: &'static str,
}

impl Shell {
    /// A connection from the pool ([`ModulePool::connection`]).
    pub fn connection(&self) -> Result<PooledConnection, ModuleError> {
        self.pool.connection()
    }

    /// `NOT_SUPPORTED`: the module has no root field `name`.
    pub fn no_root_field(&self, name: &str) -> ModuleError {
        crate::entity::no_root_field(self.name, name)
    }
}

/// A module's demo seed: its rows written in `ready` with `DEMO_DATASET=True`.
pub type Seed = fn(&mut DbConnection) -> Result<(), ModuleError>;

/// A module's entities by key over one connection.
pub type Entities = fn(&mut DbConnection, &EntitiesRequest) -> Result<Vec<Value>, ModuleError>;

fn no_seed(_conn: &mut DbConnection) -> Result<(), ModuleError> {
    Ok(())
}

/// A module with tables, as [`Pooled`] runs it: its name, SDL, seed and entities declared as
/// constants (or, where they need more, as the hooks), its state, answers and migrations. The
/// hooks not declared answer as `OpenImisModule`'s defaults do.
pub trait PooledModule: Send + Sync + Sized + 'static {
    /// The module's logical name (its pool's, its `NOT_SUPPORTED` texts').
    const NAME: &'static str;
    /// The GraphQL SDL the module contributes (`include_str!("../schema/x.graphql")`).
    const SCHEMA: &'static str = "";
    /// The demo data (`demo::seed`); none by default.
    const SEED: Seed = no_seed;
    /// Entities by key over a connection (`entities::resolve`); none by default.
    const ENTITIES: Option<Entities> = None;

    /// The module's own state, from its `config` block. Must not do I/O.
    fn init(config: Value) -> Result<Self, ModuleError>;

    /// The SDL, when it is built rather than declared: [`Self::SCHEMA`] by default.
    fn schema(&self) -> &str {
        Self::SCHEMA
    }

    /// The seed, when it needs the host: [`Self::SEED`] by default.
    fn seed(&self, _host: &HostHandle, conn: &mut DbConnection) -> Result<(), ModuleError> {
        (Self::SEED)(conn)
    }

    /// Resolves one root field.
    fn resolve(&self, shell: &Shell, request: ResolveRequest) -> Result<Value, ModuleError>;

    /// Resolves entities of one type by key: [`Self::ENTITIES`] on a connection by default.
    fn entities(&self, shell: &Shell, request: EntitiesRequest) -> Result<Vec<Value>, ModuleError> {
        match Self::ENTITIES {
            Some(entities) => entities(&mut *shell.connection()?, &request),
            None => {
                let text = format!(
                    "this module has no graphql_entities for {}",
                    request.type_name
                );
                Err(ModuleError::new("NOT_SUPPORTED", text))
            }
        }
    }

    /// Answers another module's `Host::call`.
    fn service(&self, _shell: &Shell, method: &str, _payload: Value) -> Result<Value, ModuleError> {
        let text = format!("this module has no service for {method}");
        Err(ModuleError::new("NOT_SUPPORTED", text))
    }

    /// The module's migrations.
    fn migrations(&self) -> Vec<Migration>;
}

/// The `OpenImisModule` of a [`PooledModule`]: `export_module!(Pooled<Payer>, ...)`.
pub struct Pooled<M> {
    shell: Shell,
    module: M,
}

impl<M: PooledModule> OpenImisModule for Pooled<M> {
    fn init(host: HostHandle, config: Value) -> Result<Self, ModuleError> {
        let pool = ModulePool::new(M::NAME);
        let shell = Shell {
            host,
            pool,
            name: M::NAME,
        };
        let module = M::init(config)?;
        Ok(Self { shell, module })
    }

    fn ready(&self) -> Result<(), ModuleError> {
        let (host, module) = (&self.shell.host, &self.module);
        self.shell
            .pool
            .ready(host, |conn| module.seed(host, conn))?;
        Ok(())
    }

    fn schema(&self) -> &str {
        self.module.schema()
    }

    fn resolve(&self, request: ResolveRequest) -> Result<Value, ModuleError> {
        self.module.resolve(&self.shell, request)
    }

    fn entities(&self, request: EntitiesRequest) -> Result<Vec<Value>, ModuleError> {
        self.module.entities(&self.shell, request)
    }

    fn service(&self, method: &str, payload: Value) -> Result<Value, ModuleError> {
        self.module.service(&self.shell, method, payload)
    }

    fn migrations(&self) -> Vec<Migration> {
        self.module.migrations()
    }
}
