//! The summary writer: tallies scenario outcomes per use case and for the run, keeps every
//! scenario's outcome and the failures, and writes the result as the run's JSON summary.

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

#[derive(Debug, Clone, Default, Serialize)]
pub struct RunSummary {
    pub target: String,
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
    /// Every scenario's outcome, in the order they finished.
    pub results: Vec<ScenarioLine>,
}

/// One scenario's outcome, for machines (CI dashboards, cross-target comparisons).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ScenarioLine {
    /// `file:line`, or the file for not-applicable scenarios found before running.
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
        self.results.push(ScenarioLine {
            location: done.location().to_string(),
            name: result.name.clone(),
            outcome: "not_run",
            failure: None,
            reason: Some(format!("not run: {why}")),
            feature: result.feature.clone(),
        });
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
        self.results.push(ScenarioLine {
            location: done.location().to_string(),
            name: result.name.clone(),
            outcome,
            failure,
            reason,
            feature: result.feature.clone(),
        });
    }
}

/// Tallies what the run reports. The summary is shared, so a run cut short by its deadline
/// or a signal still has what finished.
pub struct SummaryWriter {
    summary: Arc<Mutex<RunSummary>>,
    started: Instant,
}

impl SummaryWriter {
    pub fn new(target: String) -> Self {
        SummaryWriter {
            summary: Arc::new(Mutex::new(RunSummary {
                target,
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
