//! Reading `/api/organisationUnits` page by page (ureq, blocking, basic auth). A page that is
//! not the DHIS2 shape, an HTTP error or a timeout is an error naming the page: the sync then
//! writes nothing.

use crate::config::Dhis2Config;
use base64::Engine;
use openimis_sdk::ModuleError;
use serde::Deserialize;

/// One organisation unit, as the sync needs it.
#[derive(Debug, Clone, Deserialize)]
pub struct OrgUnit {
    pub id: String,
    #[serde(default)]
    pub code: Option<String>,
    pub name: String,
    pub level: u32,
    #[serde(default)]
    pub parent: Option<ParentRef>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ParentRef {
    pub id: String,
}

#[derive(Debug, Deserialize)]
struct Pager {
    page: u32,
    #[serde(rename = "pageCount")]
    page_count: u32,
}

#[derive(Debug, Deserialize)]
struct Page {
    pager: Pager,
    #[serde(rename = "organisationUnits")]
    organisation_units: Vec<OrgUnit>,
}

/// Every organisation unit, all pages.
pub fn organisation_units(config: &Dhis2Config) -> Result<Vec<OrgUnit>, ModuleError> {
    if config.base_url.is_empty() {
        return Err(ModuleError::new(
            "DHIS2_NOT_CONFIGURED",
            "location-dhis2: config.base_url is not set",
        ));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(config.timeout()))
        .timeout_per_call(Some(config.timeout()))
        .http_status_as_error(false)
        .build()
        .into();
    let base = config.base_url.trim_end_matches('/');
    let mut units = Vec::new();
    let mut page = 1;
    loop {
        let url = format!("{base}/api/organisationUnits?paging=true&page={page}&pageSize={}&fields=id,code,name,level,parent[id]", config.page_size);
        let mut call = agent.get(&url).header("Accept", "application/json");
        if let Some(user) = &config.username {
            let pair = format!("{user}:{}", config.password.as_deref().unwrap_or_default());
            call = call.header(
                "Authorization",
                &format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                ),
            );
        }
        let mut response = call.call().map_err(|e| failure(page, &e))?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(ModuleError::new(
                "DHIS2_HTTP",
                format!("DHIS2 answered HTTP {status} for page {page} of organisation units"),
            ));
        }
        let body = response
            .body_mut()
            .read_to_string()
            .map_err(|e| failure(page, &e))?;
        let parsed: Page = serde_json::from_str(&body).map_err(|e| {
            ModuleError::new(
                "DHIS2_MALFORMED",
                format!("DHIS2 page {page} of organisation units is not the expected shape: {e}"),
            )
        })?;
        units.extend(parsed.organisation_units);
        if parsed.pager.page >= parsed.pager.page_count {
            return Ok(units);
        }
        page = parsed.pager.page + 1;
    }
}

/// A transport failure: a timeout says so, anything else names the cause.
fn failure(page: u32, error: &ureq::Error) -> ModuleError {
    let cause = error.to_string();
    let timed_out = matches!(error, ureq::Error::Timeout(_))
        || matches!(error, ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut || e.kind() == std::io::ErrorKind::WouldBlock);
    if timed_out {
        ModuleError::new(
            "DHIS2_TIMEOUT",
            format!("DHIS2 did not answer page {page} of organisation units in time: {cause}"),
        )
    } else {
        ModuleError::new(
            "DHIS2_UNREACHABLE",
            format!("DHIS2 page {page} of organisation units failed: {cause}"),
        )
    }
}
