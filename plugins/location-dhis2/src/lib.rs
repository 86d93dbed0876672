//! `location-dhis2`: the `location` module's replacement. It IS [`location::Location`] (same
//! logical name, types, root fields, services and tables, by delegation) plus a sync of the
//! location tree and health facilities from a DHIS2 server's organisation units: the service
//! `dhis2.sync` and the route `POST /api/location/dhis2/sync[?dry_run=true]`.

mod client;
mod config;
mod sync;

use location::Location;
use openimis_sdk::{
    EntitiesRequest, HostHandle, HttpRequest, HttpResponse, Migration, ModuleError, OpenImisModule,
    RequestContext, ResolveRequest,
};
use serde_json::{json, Value};

pub use config::Dhis2Config;

/// The replacement: the reference module plus its DHIS2 configuration.
pub struct LocationDhis2 {
    inner: Location,
    dhis2: Dhis2Config,
}

/// Rights a sync needs: it creates regions, districts and the levels below (121902 + 121906).
const SYNC_RIGHTS: [u32; 2] = [
    location::manifest::CREATE_LOCATIONS,
    location::manifest::REGIONS_AND_DISTRICTS,
];

impl LocationDhis2 {
    fn sync(&self, dry_run: bool) -> Result<Value, ModuleError> {
        let units = client::organisation_units(&self.dhis2)?;
        sync::apply(&mut *self.inner.connection()?, &self.dhis2, &units, dry_run)
    }
}

fn json_response(status: u16, body: &Value) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("content-type".into(), "application/json".into()).into()].into(),
        body: body.to_string().into_bytes().into(),
    }
}

impl OpenImisModule for LocationDhis2 {
    fn init(host: HostHandle, config: Value) -> Result<Self, ModuleError> {
        let dhis2 = Dhis2Config::from_json(&config)?;
        Ok(Self {
            inner: Location::init(host, config)?,
            dhis2,
        })
    }

    fn ready(&self) -> Result<(), ModuleError> {
        self.inner.ready()
    }

    fn schema(&self) -> &str {
        self.inner.schema()
    }

    fn resolve(&self, request: ResolveRequest) -> Result<Value, ModuleError> {
        self.inner.resolve(request)
    }

    fn entities(&self, request: EntitiesRequest) -> Result<Vec<Value>, ModuleError> {
        self.inner.entities(request)
    }

    fn http(&self, request: HttpRequest) -> Result<HttpResponse, ModuleError> {
        if request.path.as_str().trim_end_matches('/') != "dhis2/sync" {
            return self.inner.http(request);
        }
        if request.method.as_str() != "POST" {
            return Ok(json_response(
                405,
                &json!({"detail": "Method not allowed: use POST"}),
            ));
        }
        let context: RequestContext =
            serde_json::from_str(request.context.as_str()).unwrap_or_default();
        if !context.is_authenticated() {
            return Ok(json_response(
                401,
                &json!({"detail": "Authentication credentials were not provided."}),
            ));
        }
        if !SYNC_RIGHTS.iter().all(|r| context.holds(*r)) {
            return Ok(json_response(403, &json!({"detail": "unauthorized"})));
        }
        let dry_run = request
            .query
            .as_str()
            .split('&')
            .any(|p| p == "dry_run=true" || p == "dry_run=1");
        match self.sync(dry_run) {
            Ok(report) => Ok(json_response(200, &report)),
            Err(e) => Ok(json_response(
                502,
                &json!({"detail": e.message.as_str(), "code": e.code.as_str()}),
            )),
        }
    }

    fn migrations(&self) -> Vec<Migration> {
        self.inner.migrations()
    }

    fn service(&self, method: &str, payload: Value) -> Result<Value, ModuleError> {
        match method {
            "dhis2.sync" => self.sync(payload["dry_run"] == true),
            _ => self.inner.service(method, payload),
        }
    }
}

/// The manifest: location's, under another implementation id.
pub fn manifest() -> openimis_sdk::Manifest {
    location::manifest::manifest()
        .implementation("location-dhis2")
        .description(
            "location, plus a sync of the tree and facilities from DHIS2 organisation units",
        )
}

openimis_sdk::export_module!(LocationDhis2, manifest());
