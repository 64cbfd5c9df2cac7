//! The summary writer: tallies scenario outcomes per use case and for the run, keeps every
//! scenario's outcome and the failures, and writes the result as the run's JSON summary.
//!
//! The JSON form is described by `docs/summary.schema.json` (JSON Schema draft 2020-12);
//! [`SCHEMA_VERSION`] changes whenever a field is removed or changes meaning.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde::Serialize;

use crate::report::Outcome;

use super::interrupt::Interruption;
use super::writer::{Finished, Record};

/// Counts for one use case (or the whole run).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    pub not_applicable: usize,
    /// Selected, but never finished: the run's deadline passed, a signal stopped it, or
    /// `--fail-fast` ended it first. Any makes the run fail.
    pub not_run: usize,
}

impl Tally {
    /// Counts one scenario by its outcome as the summary names it (`passed`, `failed`,
    /// `not_applicable`, `not_run`).
    fn count(&mut self, outcome: &str) {
        match outcome {
            "passed" => self.passed += 1,
            "failed" => self.failed += 1,
            "not_applicable" => self.not_applicable += 1,
            _ => self.not_run += 1,
        }
    }
}

/// The version of the summary's JSON form (`schema_version`).
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, Serialize)]
pub struct RunSummary {
    /// [`SCHEMA_VERSION`]; 0 only in a summary built by hand (tests).
    pub schema_version: u32,
    /// The harness's version (its crate version).
    pub harness_version: String,
    /// The harness's git commit, when known (`GBCS_HARNESS_COMMIT` at build time, else its
    /// source tree's HEAD).
    pub commit: Option<String>,
    pub target: String,
    /// The profile the run used (its name), or the built-in simulator's.
    pub profile: String,
    pub scenarios: usize,
    #[serde(flatten)]
    pub total: Tally,
    /// Feature files that did not parse.
    pub feature_errors: usize,
    pub duration_s: f64,
    /// The run's deadline passed before every scenario had run.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deadline_reached: bool,
    /// The signal that stopped the run before every scenario had run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interrupted: Option<Interruption>,
    pub by_use_case: BTreeMap<String, Tally>,
    /// The same counts by the device a scenario addresses (`esme`, `gsme`, ...; `(none)`
    /// for scenarios tagged for no device).
    pub by_device: BTreeMap<String, Tally>,
    /// SMETS1 minimum services no golden vector exercises, with the reason: what the run
    /// could not test, whatever it selected.
    pub not_covered: Vec<crate::vectors::features::NotCovered>,
    /// One line per failed scenario: `file:line name — kind: message`.
    pub failures: Vec<String>,
    /// The scenarios counted in `not_run`: `file:line name`.
    #[serde(rename = "not_run_scenarios")]
    pub not_run_list: Vec<String>,
    /// The exit status `run` gives for this summary (see `run --help`).
    pub exit_code: u8,
    /// Every scenario's outcome, by location (feature file, then line), whatever order they
    /// finished in: two runs of one suite list their results alike.
    pub results: Vec<ScenarioLine>,
}

/// One scenario's outcome, for machines (CI dashboards, cross-target comparisons).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ScenarioLine {
    /// `file:line` (the file alone for a feature file that does not parse).
    pub location: String,
    pub name: String,
    /// `passed`, `failed`, `not_applicable`, `not_run` or `skipped`.
    pub outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    /// Why it did not run or does not apply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The feature file, to match results with the scenarios a run selected.
    #[serde(skip)]
    pub feature: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SummaryError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot serialise the summary: {0}")]
    Json(#[from] serde_json::Error),
}

impl RunSummary {
    pub fn success(&self) -> bool {
        self.total.failed == 0
            && self.total.not_run == 0
            && self.feature_errors == 0
            && !self.deadline_reached
            && self.interrupted.is_none()
    }

    /// Writes the summary as pretty JSON, creating the folder it goes in.
    pub fn write_json(&self, path: &Path) -> Result<(), SummaryError> {
        let write = |source| SummaryError::Write {
            path: path.to_path_buf(),
            source,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(write)?;
        }
        let text = serde_json::to_string_pretty(self)?;
        std::fs::write(path, text + "\n").map_err(write)
    }

    /// The exit status of `run` for this summary: 0 success, 1 a failure or scenarios not
    /// run, 130/143 stopped by a signal.
    pub fn exit_status(&self) -> u8 {
        match self.interrupted {
            Some(signal) => signal.exit_code(),
            None if self.success() => 0,
            None => 1,
        }
    }

    /// Adds one finished (or not-applicable) scenario.
    pub fn record(&mut self, done: &Finished) {
        self.add(done);
    }

    /// Adds one selected scenario that never ran, with why.
    pub fn record_not_run(&mut self, done: &Finished, why: &str) {
        let result = &done.result;
        let uc = result.use_case.clone().unwrap_or_else(|| "(none)".into());
        self.by_use_case.entry(uc).or_default().not_run += 1;
        self.total.not_run += 1;
        self.count_device(result.device.as_deref(), "not_run");
        self.scenarios += 1;
        self.not_run_list
            .push(format!("{} {}", done.location(), result.name));
        self.push_result(ScenarioLine {
            location: done.location().to_string(),
            name: result.name.clone(),
            outcome: "not_run",
            failure: None,
            reason: Some(format!("not run: {why}")),
            feature: result.feature.clone(),
        });
    }

    /// Inserts a result in location order (after results at the same location).
    fn push_result(&mut self, line: ScenarioLine) {
        let key = location_order(&line.location);
        let at = self
            .results
            .partition_point(|r| location_order(&r.location) <= key);
        self.results.insert(at, line);
    }

    fn count_device(&mut self, device: Option<&str>, outcome: &str) {
        self.by_device
            .entry(device.unwrap_or("(none)").to_string())
            .or_default()
            .count(outcome);
    }

    fn add(&mut self, done: &Finished) {
        let result = &done.result;
        let uc = result.use_case.clone().unwrap_or_else(|| "(none)".into());
        let tally = self.by_use_case.entry(uc).or_default();
        let (outcome, failure) = match &result.outcome {
            Outcome::Passed => {
                tally.passed += 1;
                self.total.passed += 1;
                ("passed", None)
            }
            Outcome::Failed(f) => {
                tally.failed += 1;
                self.total.failed += 1;
                let line = format!(
                    "{} {} — {}: {}",
                    done.location(),
                    result.name,
                    f.kind,
                    f.message
                );
                self.failures.push(line);
                ("failed", Some(format!("{}: {}", f.kind, f.message)))
            }
            Outcome::NotApplicable { reason } => {
                tally.not_applicable += 1;
                self.total.not_applicable += 1;
                ("not_applicable", Some(reason.clone()))
            }
            Outcome::NotRun { reason } => ("not_run", Some(format!("not run: {reason}"))),
        };
        let (failure, reason) = match outcome {
            "not_applicable" | "not_run" => (None, failure),
            _ => (failure, None),
        };
        self.count_device(result.device.as_deref(), outcome);
        self.scenarios += 1;
        self.push_result(ScenarioLine {
            location: done.location().to_string(),
            name: result.name.clone(),
            outcome,
            failure,
            reason,
            feature: result.feature.clone(),
        });
    }
}

/// The order of `file:line` locations: by file, then by line as a number (`a:9` before
/// `a:10`); a bare file comes before its lines.
fn location_order(location: &str) -> (&str, usize) {
    match location.rsplit_once(':') {
        Some((file, line)) if line.bytes().all(|b| b.is_ascii_digit()) && !line.is_empty() => {
            (file, line.parse().unwrap_or(usize::MAX))
        }
        _ => (location, 0),
    }
}

/// Tallies what the run reports. The summary is shared, so a run cut short by its deadline
/// or a signal still has what finished.
pub struct SummaryWriter {
    summary: Arc<Mutex<RunSummary>>,
    started: Instant,
}

impl SummaryWriter {
    /// A summary of a run against `target` with the profile named `profile`.
    pub fn new(target: String, profile: String) -> Self {
        SummaryWriter {
            summary: Arc::new(Mutex::new(RunSummary {
                schema_version: SCHEMA_VERSION,
                harness_version: env!("CARGO_PKG_VERSION").to_string(),
                commit: option_env!("GBCS_HARNESS_COMMIT")
                    .map(str::to_string)
                    .or_else(super::run::git_commit),
                target,
                profile,
                ..RunSummary::default()
            })),
            started: Instant::now(),
        }
    }

    pub fn summary(&self) -> Arc<Mutex<RunSummary>> {
        self.summary.clone()
    }

    fn with<T>(&self, f: impl FnOnce(&mut RunSummary) -> T) -> T {
        f(&mut self.summary.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Record for SummaryWriter {
    fn scenario(&mut self, done: &Finished) {
        self.with(|s| s.add(done));
    }

    fn feature_error(&mut self, done: &Finished) {
        self.with(|s| {
            s.feature_errors += 1;
            s.add(done);
        });
    }

    fn finish(&mut self) {
        let elapsed = self.started.elapsed().as_secs_f64();
        self.with(|s| s.duration_s = elapsed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::ScenarioResult;
    use std::time::Duration;

    fn done(feature: &str, line: Option<usize>, name: &str, outcome: Outcome) -> Finished {
        let result = ScenarioResult {
            feature: feature.into(),
            line,
            name: name.into(),
            use_case: None,
            service_request: None,
            device: None,
            tags: Vec::new(),
            duration: Duration::ZERO,
            outcome,
            traffic: Vec::new(),
        };
        Finished {
            location: line.map(|l| format!("{feature}:{l}")),
            result,
        }
    }

    #[test]
    fn results_are_in_location_order_with_lines_compared_as_numbers() {
        let mut s = RunSummary::default();
        let na = || Outcome::NotApplicable {
            reason: "the target has no gsme".into(),
        };
        s.record(&done("b.feature", Some(3), "b3", Outcome::Passed));
        s.record(&done("a.feature", Some(10), "a10", Outcome::Passed));
        // Not applicable: no location from cucumber, the line from the result.
        let mut a9 = done("a.feature", Some(9), "a9", na());
        a9.location = None;
        s.record(&a9);
        s.record(&done("a.feature", None, "feature file", Outcome::Passed));
        let order: Vec<_> = s.results.iter().map(|r| r.location.as_str()).collect();
        assert_eq!(
            order,
            ["a.feature", "a.feature:9", "a.feature:10", "b.feature:3"]
        );
        let a9 = &s.results[1];
        assert_eq!(a9.outcome, "not_applicable");
        assert_eq!(a9.reason.as_deref(), Some("the target has no gsme"));
    }
}
