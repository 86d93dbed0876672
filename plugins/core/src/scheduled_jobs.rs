//! `GET /api/core/scheduled_jobs`: the host's scheduled jobs (service `scheduler.jobs`), one
//! line each as the original describes its APScheduler jobs.

use crate::users::json_response;
use openimis_sdk::{HostHandle, HttpResponse, ModuleError};
use serde_json::Value;

/// `name: <module>.<job>, trigger: cron[<cron>], next run: <UTC time>, handler: <module>.job.<job>`
fn describe(job: &Value) -> String {
    let text = |key: &str| job[key].as_str().unwrap_or_default().to_owned();
    let (module, name) = (text("module"), text("name"));
    format!(
        "name: {module}.{name}, trigger: cron[{}], next run: {}, handler: {module}.job.{name}",
        text("cron"),
        job["next_run"].as_str().unwrap_or("None")
    )
}

pub fn http(host: &HostHandle) -> Result<HttpResponse, ModuleError> {
    let jobs: Vec<Value> = host.call("host", "scheduler.jobs", &Value::Null)?;
    let lines: Vec<Value> = jobs.iter().map(|j| Value::String(describe(j))).collect();
    Ok(json_response(200, &Value::Array(lines)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_job_reads_as_the_original_describes_it() {
        let job = serde_json::json!({"module": "policy", "name": "renewal", "cron": "30 8 * * *", "next_run": "2026-01-02T08:30:00+00:00"});
        assert_eq!(
            super::describe(&job),
            "name: policy.renewal, trigger: cron[30 8 * * *], next run: 2026-01-02T08:30:00+00:00, handler: policy.job.renewal"
        );
    }
}
