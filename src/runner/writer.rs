//! The report writers, composed the way cucumber-rs composes writers: [`Scenarios`] is the
//! cucumber `Writer` that turns the events of concurrent scenarios into one [`Finished`]
//! result per scenario (and per feature file that does not parse), and hands each to a
//! [`Record`]er: the summary (`summary`), the console (`console`) and the JUnit report
//! (`junit`), each one concern, joined with [`Tee`].

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cucumber::event::{self, Cucumber, StepError};
use cucumber::gherkin;
use cucumber::{parser, Event};

use crate::codec::catalogue;
use crate::report::{Failure, FailureKind, Outcome, ScenarioResult};

use super::world::{traffic_key, HarnessWorld, TrafficBook};
use crate::command::identities::DeviceKind;

/// One scenario's result as the writers receive it.
#[derive(Debug, Clone)]
pub struct Finished {
    pub result: ScenarioResult,
    /// `file:line` of a scenario cucumber ran (or the file of one that does not parse);
    /// `None` for one the capability filter found not applicable before running.
    pub location: Option<String>,
}

impl Finished {
    /// Where it is, as reports show it: `file:line` (not-applicable scenarios included), or
    /// the file of a feature file that does not parse.
    pub fn location(&self) -> String {
        self.location
            .clone()
            .unwrap_or_else(|| self.result.location())
    }
}

/// A writer of finished scenarios.
pub trait Record {
    fn scenario(&mut self, done: &Finished);

    /// A feature file that does not parse, reported as a failed scenario.
    fn feature_error(&mut self, done: &Finished) {
        self.scenario(done);
    }

    /// The run (or one of its feature paths) is over.
    fn finish(&mut self) {}
}

/// Two writers, one after the other, like `cucumber::writer::Tee`.
pub struct Tee<L, R>(pub L, pub R);

impl<L: Record, R: Record> Record for Tee<L, R> {
    fn scenario(&mut self, done: &Finished) {
        self.0.scenario(done);
        self.1.scenario(done);
    }

    fn feature_error(&mut self, done: &Finished) {
        self.0.feature_error(done);
        self.1.feature_error(done);
    }

    fn finish(&mut self) {
        self.0.finish();
        self.1.finish();
    }
}

/// A writer that may be left out (the console in a quiet run).
impl<T: Record> Record for Option<T> {
    fn scenario(&mut self, done: &Finished) {
        if let Some(w) = self {
            w.scenario(done);
        }
    }

    fn feature_error(&mut self, done: &Finished) {
        if let Some(w) = self {
            w.feature_error(done);
        }
    }

    fn finish(&mut self) {
        if let Some(w) = self {
            w.finish();
        }
    }
}

#[derive(Default)]
struct InFlight {
    started: Option<Instant>,
    failure: Option<Failure>,
}

/// Results produced outside cucumber's events (not-applicable scenarios found by the filter).
pub type Pending = Arc<Mutex<Vec<ScenarioResult>>>;

/// The cucumber `Writer`: scenario results out of cucumber events, for a [`Record`]er.
pub struct Scenarios<R> {
    out: R,
    in_flight: HashMap<(PathBuf, usize, String), InFlight>,
    pending: Pending,
    /// Where the scenarios' Worlds keep their line traffic; without it results carry none.
    traffic: Option<Arc<TrafficBook>>,
}

impl<R: Record> Scenarios<R> {
    pub fn new(out: R, pending: Pending) -> Self {
        Scenarios {
            out,
            in_flight: HashMap::new(),
            pending,
            traffic: None,
        }
    }

    /// Takes each finished scenario's line traffic from `book` (the run context's).
    pub fn with_traffic(mut self, book: Arc<TrafficBook>) -> Self {
        self.traffic = Some(book);
        self
    }

    fn drain_pending(&mut self) {
        let pending: Vec<ScenarioResult> =
            std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        for result in pending {
            self.out.scenario(&Finished {
                result,
                location: None,
            });
        }
    }

    pub fn finish(&mut self) {
        self.drain_pending();
        self.out.finish();
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

/// A use case is tagged as the RTDS folder spells it, which always starts with a capital
/// (`ECS17b`, `CS02bSupplierBySupplier`, `GNCA-DLMS`, `MIIWA-ZigBee`); the harness's own
/// tags (devices, `needs-…`, `security`, `smets1`) are lower case. Service-request tags
/// (`SR4.1.1`) are taken before this is asked.
fn is_use_case_tag(t: &str) -> bool {
    catalogue::by_use_case(t).next().is_some() || t.starts_with(|c: char| c.is_ascii_uppercase())
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

impl<R: Record> Scenarios<R> {
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
                let location = location(feature, scenario);
                let traffic = self
                    .traffic
                    .as_ref()
                    .map(|book| book.take(&traffic_key(&location, &scenario.name)))
                    .unwrap_or_default();
                let result = ScenarioResult {
                    feature: shown_path(feature.path.as_deref(), &feature.name),
                    line: Some(scenario.position.line),
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
                    traffic,
                };
                self.out.scenario(&Finished {
                    result,
                    location: Some(location),
                });
            }
            _ => {}
        }
    }
}

impl<R: Record> cucumber::Writer<HarnessWorld> for Scenarios<R> {
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
                let (file, line, message) = match &e {
                    parser::Error::Parsing(p) => {
                        let (file, message) = parse_error(p);
                        (file, None, message)
                    }
                    parser::Error::ExampleExpansion(x) => (
                        shown_path(x.path.as_deref(), ""),
                        Some(x.pos.line),
                        format!("line {}: {}", x.pos.line, x.name),
                    ),
                };
                self.out.feature_error(&Finished {
                    result: ScenarioResult {
                        feature: file.clone(),
                        line,
                        name: "feature file".into(),
                        use_case: None,
                        service_request: None,
                        device: None,
                        tags: Vec::new(),
                        duration: Duration::ZERO,
                        // No scenario of it ran: the harness could not test (JUnit <error>).
                        outcome: Outcome::Failed(Failure {
                            kind: FailureKind::FeatureFile,
                            step: String::new(),
                            message: format!("{file}: {message}"),
                            details: String::new(),
                        }),
                        traffic: Vec::new(),
                    },
                    location: Some(file),
                });
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
impl<R: Record> cucumber::writer::Normalized for Scenarios<R> {}
