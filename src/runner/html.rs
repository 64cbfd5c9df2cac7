//! The HTML report writer: collects every scenario's result (bounded, see
//! [`crate::report::html::clip`]) and writes the page (`run --html`, default
//! `reports/index.html`) when the run ends, with the SMETS1 minimum-service coverage and the
//! run's own problems. It writes the page at the start too, and again during the run while
//! that stays cheap: at most every [`MIN_REWRITE_INTERVAL`], and never more often than
//! twenty times the last write took, so rewriting costs the run at most about 5 %.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use crate::codec::catalogue;
use crate::report::html::{self, HtmlReport, RunMeta, ScenarioEntry, ServiceCoverage};
use crate::report::{utc_timestamp, ScenarioResult};

use super::evidence::HarnessInfo;
use super::summary::RunSummary;
use super::writer::{Finished, Record};

/// The page is rewritten during the run at most this often.
pub const MIN_REWRITE_INTERVAL: Duration = Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
#[error("cannot write the HTML report {path}: {source}")]
pub struct HtmlError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

struct State {
    path: PathBuf,
    report: HtmlReport,
    last_write: Instant,
    last_cost: Duration,
    /// A failed rewrite during the run is reported once; the final write reports its own.
    warned: bool,
}

impl State {
    fn write(&mut self) -> Result<(), HtmlError> {
        let began = Instant::now();
        let page = html::render(&self.report);
        let written = write_page(&self.path, &page);
        self.last_cost = began.elapsed();
        self.last_write = Instant::now();
        written
    }

    fn rewrite_if_cheap(&mut self) {
        let wait = MIN_REWRITE_INTERVAL.max(self.last_cost * 20);
        if self.last_write.elapsed() < wait {
            return;
        }
        if let Err(e) = self.write() {
            if !self.warned {
                eprintln!("warning: {e}");
                self.warned = true;
            }
        }
    }
}

fn write_page(path: &Path, page: &str) -> Result<(), HtmlError> {
    let failed = |source| HtmlError {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(failed)?;
    }
    // Through a temporary file and a rename: a reader never sees half a page.
    crate::report::junit::write_atomically(path, page).map_err(failed)
}

/// The HTML report of a run, shared so the end of the run can add what no writer received
/// and write the final page.
#[derive(Clone)]
pub struct SharedHtml(Arc<Mutex<State>>);

/// The [`Record`] writer half.
pub struct HtmlRecorder(SharedHtml);

impl HtmlRecorder {
    /// Writes the page at once (a run that dies early leaves a page saying it is in
    /// progress, not a stale one).
    pub fn new(path: &Path, target: &str, profile: &str) -> Result<HtmlRecorder, HtmlError> {
        let harness = HarnessInfo::detect();
        let meta = RunMeta {
            target: target.to_string(),
            profile: profile.to_string(),
            harness_version: harness.version.to_string(),
            commit: harness.commit,
            dirty: harness.dirty,
            started: utc_timestamp(SystemTime::now()),
            finished: None,
            command_line: command_line(),
        };
        let mut state = State {
            path: path.to_path_buf(),
            report: HtmlReport {
                meta,
                ..HtmlReport::default()
            },
            last_write: Instant::now(),
            last_cost: Duration::ZERO,
            warned: false,
        };
        state.write()?;
        Ok(HtmlRecorder(SharedHtml(Arc::new(Mutex::new(state)))))
    }

    pub fn shared(&self) -> SharedHtml {
        self.0.clone()
    }
}

/// The process's command line, each argument quoted for a POSIX shell when it needs it.
fn command_line() -> String {
    std::env::args()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c))
            {
                a
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl SharedHtml {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds a result no writer received (not applicable or not run when the run was cut).
    pub fn add(&self, result: ScenarioResult, location: String) {
        self.lock()
            .report
            .scenarios
            .push(ScenarioEntry::new(result, location));
    }

    /// Writes the final page: the run's problems and SMETS1 coverage from its summary.
    pub fn finish(&self, summary: &RunSummary) -> Result<(), HtmlError> {
        let mut state = self.lock();
        let report = &mut state.report;
        report.run_problems.clear();
        if summary.deadline_reached {
            report.run_problems.push(format!(
                "The run's deadline passed: {} scenarios were not run.",
                summary.total.not_run
            ));
        }
        if let Some(signal) = summary.interrupted {
            report.run_problems.push(format!(
                "The run was interrupted by {signal}: {} scenarios were not run.",
                summary.total.not_run
            ));
        }
        if summary.feature_errors > 0 {
            report.run_problems.push(format!(
                "{} feature files did not parse (listed as failed scenarios).",
                summary.feature_errors
            ));
        }
        report.minimum_services = minimum_services(&report.scenarios, summary);
        report.meta.finished = Some(utc_timestamp(SystemTime::now()));
        report.complete = true;
        state.write()
    }
}

/// Each SMETS1 minimum service with the scenarios of its generated feature (tagged
/// `@smets1`, named `<service> <title>: ...`) and, when no vector exercises it, why.
fn minimum_services(entries: &[ScenarioEntry], summary: &RunSummary) -> Vec<ServiceCoverage> {
    catalogue::smets1_minimum_services()
        .iter()
        .map(|s| {
            let prefix = format!("{} {}:", s.service_request, s.name);
            let scenarios = entries
                .iter()
                .enumerate()
                .filter(|(_, e)| {
                    e.result.name.starts_with(&prefix)
                        && e.result
                            .tags
                            .iter()
                            .any(|t| t.trim_start_matches('@') == "smets1")
                })
                .map(|(i, _)| i)
                .collect();
            ServiceCoverage {
                service: s.service_request.to_string(),
                title: s.name.to_string(),
                not_covered: summary
                    .not_covered
                    .iter()
                    .find(|n| n.service == s.service_request && n.title == s.name)
                    .map(|n| n.reason.clone()),
                scenarios,
            }
        })
        .collect()
}

impl Record for HtmlRecorder {
    fn scenario(&mut self, done: &Finished) {
        let mut state = self.0.lock();
        state
            .report
            .scenarios
            .push(ScenarioEntry::new(done.result.clone(), done.location()));
        state.rewrite_if_cheap();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Outcome;

    #[test]
    fn smets1_scenarios_are_counted_under_their_service() {
        let s = &catalogue::smets1_minimum_services()[0];
        let result = |name: String, tags: Vec<String>| ScenarioResult {
            feature: "features/smets1/x.feature".into(),
            line: Some(1),
            name,
            use_case: None,
            service_request: None,
            device: None,
            tags,
            duration: Duration::ZERO,
            outcome: Outcome::Passed,
            traffic: Vec::new(),
        };
        let entries = vec![
            ScenarioEntry::new(
                result(
                    format!("{} {}: ECS01a x", s.service_request, s.name),
                    vec!["@smets1".into()],
                ),
                "a:1".into(),
            ),
            // The same name outside a SMETS1 feature does not count.
            ScenarioEntry::new(
                result(
                    format!("{} {}: ECS01a x", s.service_request, s.name),
                    vec![],
                ),
                "a:2".into(),
            ),
        ];
        let rows = minimum_services(&entries, &RunSummary::default());
        assert_eq!(rows.len(), catalogue::smets1_minimum_services().len());
        assert_eq!(rows[0].scenarios, [0]);
        assert!(rows[0].not_covered.is_none());
    }
}
