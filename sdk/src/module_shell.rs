//! A module with tables declared over the SDK: what its `OpenImisModule` impl used to say again
//! (the host handle and a [`ModulePool`] kept together, the pool built in `ready` with the demo
//! seed, the SDL handed over) is [`Pooled`]'s; the module says only its name, its state, its
//! SDL, its migrations and how it answers ([`PooledModule`]), each hook given the [`Shell`]:
//!
//! ```ignore
//! impl PooledModule for Payer {
//!     const NAME: &'static str = "payer";
//!     fn init(_config: Value) -> Result<Self, ModuleError> { Ok(Payer) }
//!     fn schema(&self) -> &str { include_str!("../schema/payer.graphql") }
//!     fn seed(&self, _host: &HostHandle, conn: &mut DbConnection) -> Result<(), ModuleError> {
//!         demo::seed(conn)
//!     }
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
        let text = format!("{} has no root field {name}", self.name);
        ModuleError::new("NOT_SUPPORTED", text)
    }
}

/// A module with tables, as [`Pooled`] runs it. The hooks not declared answer as
/// `OpenImisModule`'s defaults do.
pub trait PooledModule: Send + Sync + Sized + 'static {
    /// The module's logical name (its pool's, its `NOT_SUPPORTED` texts').
    const NAME: &'static str;

    /// The module's own state, from its `config` block. Must not do I/O.
    fn init(config: Value) -> Result<Self, ModuleError>;

    /// The GraphQL SDL the module contributes.
    fn schema(&self) -> &str;

    /// The demo data, written in `ready` with `DEMO_DATASET=True` (none by default).
    fn seed(&self, _host: &HostHandle, _conn: &mut DbConnection) -> Result<(), ModuleError> {
        Ok(())
    }

    /// Resolves one root field.
    fn resolve(&self, shell: &Shell, request: ResolveRequest) -> Result<Value, ModuleError>;

    /// Resolves entities of one type by key.
    fn entities(
        &self,
        _shell: &Shell,
        request: EntitiesRequest,
    ) -> Result<Vec<Value>, ModuleError> {
        let text = format!(
            "this module has no graphql_entities for {}",
            request.type_name
        );
        Err(ModuleError::new("NOT_SUPPORTED", text))
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
