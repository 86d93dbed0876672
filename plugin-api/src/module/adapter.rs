//! Turns an [`OpenImisModule`] into the ABI's `Module` trait object: JSON text in and out, and
//! every call under the panic guard.

use super::{guard::guard, guard::guard_or, host::HostHandle, logger, to_text, OpenImisModule};
use crate::abi::{
    HostBox, HttpRequest, HttpResponse, Migration, Module, ModuleBox, ModuleError, Module_TO,
};
use abi_stable::{
    sabi_trait::TD_Opaque,
    std_types::{RBox, ROption, RResult, RStr, RString, RVec},
};
use serde::de::DeserializeOwned;

/// Wraps a module so the host can call it through the stable ABI.
pub struct Adapter<M: OpenImisModule>(M);

fn decode<T: DeserializeOwned>(text: RStr<'_>) -> Result<T, ModuleError> {
    serde_json::from_str(text.as_str())
        .map_err(|e| ModuleError::new("BAD_REQUEST", format!("malformed request from host: {e}")))
}

fn encode(value: &impl serde::Serialize) -> Result<RString, ModuleError> {
    to_text(value).map(RString::from)
}

impl<M: OpenImisModule> Module for Adapter<M> {
    fn ready(&self) -> RResult<(), ModuleError> {
        guard(|| self.0.ready()).into()
    }

    fn graphql_sdl(&self) -> RString {
        guard_or(RString::new(), || self.0.schema().into())
    }

    fn graphql_resolve(&self, request: RStr<'_>) -> RResult<RString, ModuleError> {
        guard(|| self.0.resolve_text(decode(request)?).map(RString::from)).into()
    }

    fn graphql_entities(&self, request: RStr<'_>) -> RResult<RString, ModuleError> {
        guard(|| self.0.entities_text(decode(request)?).map(RString::from)).into()
    }

    fn http(&self, request: HttpRequest) -> RResult<HttpResponse, ModuleError> {
        guard(|| self.0.http(request)).into()
    }

    fn migrations(&self) -> RVec<Migration> {
        guard_or(RVec::new(), || self.0.migrations().into())
    }

    fn handle_exception(&self, error: ModuleError) -> ROption<HttpResponse> {
        guard_or(None, || self.0.handle_exception(&error)).into()
    }

    fn service(&self, method: RStr<'_>, payload: RStr<'_>) -> RResult<RString, ModuleError> {
        guard(|| {
            if let Some(answer) = super::profile::reserved_service(method.as_str())
                .or_else(|| super::pool_state::reserved_service(method.as_str()))
            {
                return encode(&answer?);
            }
            encode(&self.0.service(method.as_str(), decode(payload)?)?)
        })
        .into()
    }

    fn on_event(&self, event: RStr<'_>, payload: RStr<'_>) {
        guard_or((), || {
            if let Ok(value) = decode(payload) {
                self.0.on_event(event.as_str(), value);
            }
        })
    }

    fn shutdown(&self) {
        guard_or((), || self.0.shutdown())
    }
}

/// The body of the exported `init`: installs the log bridge, builds the module, boxes it.
pub fn init_module<M: OpenImisModule>(
    host: HostBox,
    config: RStr<'_>,
) -> RResult<ModuleBox, ModuleError> {
    logger::install(&host);
    guard(|| {
        let config = decode(config)?;
        let module = M::init(HostHandle::new(host), config)?;
        Ok(Module_TO::from_value(Adapter(module), TD_Opaque))
    })
    .into()
}

/// Boxes an already built module (for the fake host and in-process tests).
pub fn box_module<M: OpenImisModule>(module: M) -> ModuleBox {
    Module_TO::from_value(Adapter(module), TD_Opaque)
}

#[doc(hidden)]
pub type Boxed = RBox<()>;
