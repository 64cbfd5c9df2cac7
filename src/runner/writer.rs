//! The evidence writer: a cucumber `Writer` that turns events into one JUnit testcase per
//! scenario (rewritten after each, so a killed run leaves a valid file), a console line per
//! scenario, and the per-use-case summary.

use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cucumber::event::{self, Cucumber, StepError};
use cucumber::gherkin;
use cucumber::{parser, Event};
use serde::Serialize;

use crate::codec::catalogue;
use crate::report::{Failure, FailureKind, JunitWriter, Outcome, ScenarioResult};

use super::world::HarnessWorld;
use crate::command::identities::DeviceKind;

/// Counts for one use case (or the whole run).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    pub not_applicable: usize,
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
    pub by_use_case: BTreeMap<String, Tally>,
    /// SMETS1 minimum services no golden vector exercises, with the reason: what the run
    /// could not test, whatever it selected.
    pub not_covered: Vec<crate::vectors::features::NotCovered>,
    /// One line per failed scenario: `file:line name — kind: message`.
    pub failures: Vec<String>,
    /// Every scenario's outcome, in the order they finished.
    pub results: Vec<ScenarioLine>,
}

/// One scenario's outcome, for machines (CI dashboards, cross-target comparisons).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ScenarioLine {
    /// `file:line`, or the file for not-applicable scenarios found before running.
    pub location: String,
    pub name: String,
    /// `passed`, `failed`, `not_applicable` or `skipped`.
    pub outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

impl RunSummary {
    pub fn success(&self) -> bool {
        self.total.failed == 0 && self.feature_errors == 0 && !self.deadline_reached
    }
}

#[derive(Default)]
struct InFlight {
    started: Option<Instant>,
    failure: Option<Failure>,
}

/// Results produced outside cucumber's events (not-applicable scenarios found by the filter).
pub type Pending = Arc<Mutex<Vec<ScenarioResult>>>;

pub struct EvidenceWriter {
    junit: JunitWriter,
    summary: Arc<Mutex<RunSummary>>,
    in_flight: HashMap<(PathBuf, usize, String), InFlight>,
    pending: Pending,
    started: Instant,
    quiet: bool,
    firmware_version: Option<String>,
}

impl EvidenceWriter {
    pub fn new(junit: JunitWriter, target: String, pending: Pending, quiet: bool) -> Self {
        EvidenceWriter {
            junit,
            summary: Arc::new(Mutex::new(RunSummary {
                target,
                ..RunSummary::default()
            })),
            in_flight: HashMap::new(),
            pending,
            started: Instant::now(),
            quiet,
            firmware_version: None,
        }
    }

    /// The summary as it stands; shared, so a run cut short by its deadline still has it.
    pub fn summary(&self) -> Arc<Mutex<RunSummary>> {
        self.summary.clone()
    }

    pub fn junit_path(&self) -> PathBuf {
        self.junit.path().to_path_buf()
    }

    fn drain_pending(&mut self) {
        let pending: Vec<ScenarioResult> =
            std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        for r in pending {
            self.record(r, None);
        }
    }

    fn record(&mut self, result: ScenarioResult, location: Option<String>) {
        let uc = result.use_case.clone().unwrap_or_else(|| "(none)".into());
        let mut summary = self.summary.lock().unwrap_or_else(|e| e.into_inner());
        let summary = &mut *summary;
        let tally = summary.by_use_case.entry(uc.clone()).or_default();
        let (mark, tail) = match &result.outcome {
            Outcome::Passed => {
                tally.passed += 1;
                summary.total.passed += 1;
                ("PASS", String::new())
            }
            Outcome::Failed(f) => {
                tally.failed += 1;
                summary.total.failed += 1;
                let line = format!(
                    "{} {} — {}: {}",
                    location.clone().unwrap_or_else(|| result.feature.clone()),
                    result.name,
                    f.kind,
                    f.message
                );
                summary.failures.push(line);
                ("FAIL", format!(" — {}: {}", f.kind, f.message))
            }
            Outcome::NotApplicable { reason } => {
                tally.not_applicable += 1;
                summary.total.not_applicable += 1;
                ("N/A ", format!(" — {reason}"))
            }
            Outcome::Skipped => ("SKIP", String::new()),
        };
        summary.scenarios += 1;
        summary.results.push(ScenarioLine {
            location: location.clone().unwrap_or_else(|| result.feature.clone()),
            name: result.name.clone(),
            outcome: match &result.outcome {
                Outcome::Passed => "passed",
                Outcome::Failed(_) => "failed",
                Outcome::NotApplicable { .. } => "not_applicable",
                Outcome::Skipped => "skipped",
            },
            failure: match &result.outcome {
                Outcome::Failed(f) => Some(format!("{}: {}", f.kind, f.message)),
                _ => None,
            },
        });
        if !self.quiet && mark != "N/A " {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(
                out,
                "{mark} {uc:<12} {}{} ({} ms){tail}",
                location
                    .as_deref()
                    .map(|l| format!("{l} "))
                    .unwrap_or_default(),
                result.name,
                result.duration.as_millis()
            );
        }
        if let Err(e) = self.junit.record(result) {
            eprintln!("cannot write {}: {e}", self.junit.path().display());
        }
    }

    pub fn finish(&mut self) {
        self.drain_pending();
        self.summary
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .duration_s = self.started.elapsed().as_secs_f64();
    }

    /// A scenario that read the device's firmware version left it in the run context; it
    /// becomes a suite property of the report.
    fn note_firmware_version(&mut self) {
        let Some(ctx) = super::world::installed() else {
            return;
        };
        let version = ctx
            .firmware_version
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Some(v) = version {
            if self.firmware_version.as_deref() != Some(v.as_str()) {
                let _ = self.junit.set_firmware_version(v.clone());
                self.firmware_version = Some(v);
            }
        }
    }
}

/// The use case, service request and device a scenario's tags name.
pub fn classify(tags: &[String]) -> (Option<String>, Option<String>, Option<String>) {
    let mut use_case = None;
    let mut sr = None;
    let mut device = None;
    for t in tags {
        let t = t.trim_start_matches('@');
        if let Some(n) = t.strip_prefix("SR") {
            if n.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                sr.get_or_insert_with(|| n.to_string());
                continue;
            }
        }
        if DeviceKind::ALL.iter().any(|d| d.tag() == t) {
            device.get_or_insert_with(|| t.to_string());
            continue;
        }
        if use_case.is_none() && is_use_case_tag(t) {
            use_case = Some(t.to_string());
        }
    }
    (use_case, sr, device)
}

fn is_use_case_tag(t: &str) -> bool {
    catalogue::by_use_case(t).next().is_some()
        || t.starts_with("CS")
        || t.starts_with("ECS")
        || t.starts_with("GCS")
        || t.starts_with("CCS")
        || t.starts_with("PCS")
        || t.starts_with("DBCH")
        || t.starts_with("FDRA")
        || t.starts_with("SMETS1-")
}

/// A feature file as reports show it: relative to the working directory when it lies below
/// it, so reports and shard splits do not depend on where the checkout is.
pub fn shown_path(path: Option<&std::path::Path>, fallback: &str) -> String {
    let Some(path) = path else {
        return fallback.to_string();
    };
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(|p| p.to_path_buf()));
    relative.as_deref().unwrap_or(path).display().to_string()
}

pub fn all_tags(
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
) -> Vec<String> {
    let mut tags: Vec<String> = feature.tags.clone();
    if let Some(r) = rule {
        tags.extend(r.tags.iter().cloned());
    }
    tags.extend(scenario.tags.iter().cloned());
    tags
}

fn key(feature: &gherkin::Feature, scenario: &gherkin::Scenario) -> (PathBuf, usize, String) {
    (
        feature.path.clone().unwrap_or_default(),
        scenario.position.line,
        scenario.name.clone(),
    )
}

pub fn location(feature: &gherkin::Feature, scenario: &gherkin::Scenario) -> String {
    format!(
        "{}:{}",
        shown_path(feature.path.as_deref(), &feature.name),
        scenario.position.line
    )
}

fn parse_error(e: &gherkin::ParseFileError) -> (String, String) {
    match e {
        gherkin::ParseFileError::Reading { path, source } => {
            (shown_path(Some(path), ""), format!("cannot read: {source}"))
        }
        gherkin::ParseFileError::Parsing {
            path,
            error,
            source,
        } => (
            shown_path(Some(path), ""),
            match error {
                Some(env) => format!("{source} ({env})"),
                None => source.to_string(),
            },
        ),
    }
}

fn panic_text(info: &event::Info) -> String {
    if let Some(s) = info.downcast_ref::<String>() {
        s.clone()
    } else if let Some(s) = info.downcast_ref::<&str>() {
        s.to_string()
    } else {
        "step panicked".into()
    }
}

impl EvidenceWriter {
    fn on_scenario(
        &mut self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
        ev: &event::Scenario<HarnessWorld>,
    ) {
        let k = key(feature, scenario);
        match ev {
            event::Scenario::Started => {
                self.in_flight.insert(
                    k,
                    InFlight {
                        started: Some(Instant::now()),
                        failure: None,
                    },
                );
            }
            event::Scenario::Step(step, ev) | event::Scenario::Background(step, ev) => {
                let entry = self.in_flight.entry(k).or_default();
                if entry.failure.is_some() {
                    return;
                }
                let step_text = format!("{}{}", step.keyword, step.value);
                let at = format!(
                    "{}:{}",
                    shown_path(feature.path.as_deref(), &feature.name),
                    step.position.line
                );
                match ev {
                    event::Step::Skipped => {
                        entry.failure = Some(Failure {
                            kind: FailureKind::Assertion,
                            step: step_text.clone(),
                            message: format!(
                                "{at}: no step matches `{step_text}` (see features/README.md for the vocabulary)"
                            ),
                            details: String::new(),
                        });
                    }
                    event::Step::Failed(_, _, world, err) => {
                        let from_world = world.as_ref().and_then(|w| w.failure.clone());
                        entry.failure = Some(match (from_world, err) {
                            (Some(f), _) => f,
                            (None, StepError::Panic(info)) => Failure {
                                kind: FailureKind::Assertion,
                                step: step_text.clone(),
                                message: panic_text(info),
                                details: String::new(),
                            },
                            (None, other) => Failure {
                                kind: FailureKind::Assertion,
                                step: step_text.clone(),
                                message: format!("{at}: {other}"),
                                details: String::new(),
                            },
                        });
                    }
                    _ => {}
                }
            }
            event::Scenario::Finished => {
                let state = self.in_flight.remove(&k).unwrap_or_default();
                let tags = all_tags(feature, rule, scenario);
                let (use_case, service_request, device) = classify(&tags);
                let result = ScenarioResult {
                    feature: shown_path(feature.path.as_deref(), &feature.name),
                    name: scenario.name.clone(),
                    use_case,
                    service_request,
                    device,
                    tags,
                    duration: state.started.map_or(Duration::ZERO, |s| s.elapsed()),
                    outcome: match state.failure {
                        Some(f) => Outcome::Failed(f),
                        None => Outcome::Passed,
                    },
                };
                self.record(result, Some(location(feature, scenario)));
                self.note_firmware_version();
            }
            _ => {}
        }
    }
}

impl cucumber::Writer<HarnessWorld> for EvidenceWriter {
    type Cli = cucumber::cli::Empty;

    async fn handle_event(
        &mut self,
        event: parser::Result<Event<Cucumber<HarnessWorld>>>,
        _cli: &Self::Cli,
    ) {
        self.drain_pending();
        let ev = match event {
            Ok(ev) => ev.value,
            Err(e) => {
                self.summary
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .feature_errors += 1;
                let (file, message) = match &e {
                    parser::Error::Parsing(p) => parse_error(p),
                    parser::Error::ExampleExpansion(x) => (
                        shown_path(x.path.as_deref(), ""),
                        format!("line {}: {}", x.pos.line, x.name),
                    ),
                };
                self.record(
                    ScenarioResult {
                        feature: file.clone(),
                        name: "feature file".into(),
                        use_case: None,
                        service_request: None,
                        device: None,
                        tags: Vec::new(),
                        duration: Duration::ZERO,
                        outcome: Outcome::Failed(Failure {
                            kind: FailureKind::Assertion,
                            step: String::new(),
                            message: format!("{file}: {message}"),
                            details: String::new(),
                        }),
                    },
                    Some(file),
                );
                return;
            }
        };
        match ev {
            Cucumber::Feature(feature, event::Feature::Scenario(scenario, ev)) => {
                self.on_scenario(&feature, None, &scenario, &ev.event);
            }
            Cucumber::Feature(
                feature,
                event::Feature::Rule(rule, event::Rule::Scenario(scenario, ev)),
            ) => {
                self.on_scenario(&feature, Some(&rule), &scenario, &ev.event);
            }
            Cucumber::Finished => self.finish(),
            _ => {}
        }
    }
}

// Events of concurrent scenarios interleave; this writer keys its state by scenario, so it
// takes them as they come and reports each scenario as soon as it finishes.
impl cucumber::writer::Normalized for EvidenceWriter {}
