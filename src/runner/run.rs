//! `gbcs-harness run`: select scenarios (tag expression, shard, capabilities), run them
//! against the target with cucumber, and write the evidence.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use cucumber::{parser, runner, Cucumber};

use crate::crypto::pki::PkiError;
use crate::report::{JunitWriter, Outcome, ScenarioResult, SuiteProperties};
use crate::sim::profile::DefaultProfile;
use crate::transport::{self, OpenOptions};
use crate::vectors::VectorStore;

use super::capabilities::Capabilities;
use super::capabilities::HEAD_END_SCHEME;
use super::console::ConsoleWriter;
use super::interrupt::{self, Stop};
use super::junit::{JunitRecorder, SharedJunit};
use super::options::RunOptions;
use super::profile::Lab;
use super::steps;
use super::summary::{RunSummary, SummaryWriter};
use super::tags::{TagExpr, TagExprError};
use super::world::{HarnessWorld, RunContext, Target};
use super::writer::{all_tags, classify, shown_path, Finished, Pending, Record, Scenarios, Tee};
use crate::command::identities::Identities;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Transport(#[from] transport::TransportError),
    #[error("cannot build the built-in test PKI: {0}")]
    Pki(#[from] PkiError),
    /// The message names the expression, the token and its column.
    #[error("--tags: {source}")]
    Tags { expr: String, source: TagExprError },
    #[error("cannot write the report {path}: {source}")]
    Report {
        path: String,
        source: std::io::Error,
    },
    #[error("no feature files under {0}")]
    NoFeatures(String),
    #[error(
        "--pool {0}: sim:// gives every scenario its own simulator; a pool needs another target"
    )]
    PoolOnSim(String),
    #[error("--tags {0:?} selects no scenario (--allow-empty accepts an empty run)")]
    NothingSelected(String),
    #[error("cannot reach {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("{url}: bad transport URL: {reason}")]
    BadTarget { url: String, reason: String },
    #[error("{target}: the profile has no [head_end] section (a head-end run needs one)")]
    NoHeadEnd { target: String },
    #[error("the DCC side of the head-end run: {0}")]
    HeadEnd(#[from] super::head_end::stand::StandError),
}

/// Whether a scenario falls in shard `index` of `count` (1-based): a stable hash of its file
/// and line, so every machine of a CI matrix computes the same split without talking.
pub fn in_shard(path: &str, line: usize, name: &str, (index, count): (usize, usize)) -> bool {
    // FNV-1a: stable across platforms and releases, unlike std's hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path
        .bytes()
        .chain(line.to_string().bytes())
        .chain(name.bytes())
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % count as u64) as usize == index - 1
}

pub async fn run(options: RunOptions) -> Result<RunSummary, RunError> {
    let builtin = Arc::new(DefaultProfile::generate()?);
    let mut lab = match options.lab.clone() {
        Some(l) => l,
        None => Lab {
            name: "built-in simulator (default test PKI)".into(),
            keys: builtin.shared_keys(),
            identities: Identities::default_lab(),
            capabilities: Capabilities::for_target(&options.target),
            replay_dir: None,
            state_hook: None,
            head_end: None,
        },
    };
    lab.capabilities.imply_from_target(&options.target);
    let target = open_target(&options, builtin)?;
    let with_head_end = lab.head_end.is_some() || options.target.starts_with(HEAD_END_SCHEME);
    // A head-end is one system: its requests, counters and inbox cannot be told apart
    // between scenarios running at once, so its scenarios run one at a time.
    let concurrency = if with_head_end {
        if options.concurrency.is_some_and(|n| n > 1) {
            eprintln!("note: a head-end's scenarios run one at a time; concurrency ignored");
        }
        1
    } else {
        options
            .concurrency
            .unwrap_or_else(|| default_concurrency(&target))
            .max(1)
    };
    let tags = match &options.tags {
        Some(expr) => Some(TagExpr::parse(expr).map_err(|source| RunError::Tags {
            expr: expr.clone(),
            source,
        })?),
        None => None,
    };
    let with_replay = lab.replay_dir.is_some() || options.target.starts_with("replay:");
    let paths = feature_paths(&options.paths, with_replay, with_head_end);
    let planned = plan_scenarios(&paths, tags.as_ref(), options.shard).await?;
    super::console::expect_scenarios(planned.scenarios.len());
    if let (Some(expr), 0) = (&options.tags, planned.tag_matches) {
        if !options.allow_empty {
            return Err(RunError::NothingSelected(expr.clone()));
        }
    }
    preflight(&options).await?;
    let mut ctx = context(&options, &lab, target);
    ctx.head_end = start_head_end(&options, &lab).await?;
    let ctx = Arc::new(ctx);
    let junit = JunitRecorder::new(
        open_junit(&options.junit, &options.target, &lab)?,
        ctx.clone(),
    );
    let junit_handle = junit.shared();
    let html =
        super::html::HtmlRecorder::new(&options.html, &options.target, &lab.name).map_err(|e| {
            RunError::Report {
                path: e.path.display().to_string(),
                source: e.source,
            }
        })?;
    let html_handle = html.shared();
    let evidence = options
        .evidence
        .as_ref()
        .map(|sink| super::evidence::TrafficRecorder::new(sink, &options.vectors));
    let summary = SummaryWriter::new(options.target.clone(), lab.name.clone());
    let shared_summary = summary.summary();
    let console = (!options.quiet).then_some(ConsoleWriter);
    let pending = Pending::default();
    let writer = Scenarios::new(
        Tee(summary, Tee(console, Tee(junit, Tee(html, evidence)))),
        pending.clone(),
    )
    .with_traffic(ctx.traffic.clone());
    let plan = Plan {
        ctx,
        concurrency,
        fail_fast: options.fail_fast,
        tags,
        caps: lab.capabilities.clone(),
        shard: options.shard,
        pending: pending.clone(),
    };
    let started = std::time::Instant::now();
    let work = run_paths(paths, writer, plan, shared_summary.clone());
    let finished = interrupt::until_stopped(work, options.deadline).await;
    let mut summary = shared_summary
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    summary.not_covered =
        crate::vectors::features::not_covered(&VectorStore::new(&options.vectors));
    let why_not_run = match finished {
        Ok(result) => {
            result?;
            "--fail-fast stopped the run"
        }
        Err(Stop::Deadline) => {
            summary.deadline_reached = true;
            summary.duration_s = started.elapsed().as_secs_f64();
            "deadline reached"
        }
        Err(Stop::Signal(signal)) => {
            summary.interrupted = Some(signal);
            summary.duration_s = started.elapsed().as_secs_f64();
            match signal {
                interrupt::Interruption::Sigint => "interrupted by SIGINT",
                interrupt::Interruption::Sigterm => "interrupted by SIGTERM",
            }
        }
    };
    account_for_the_rest(
        &mut summary,
        &pending,
        (&junit_handle, &html_handle),
        planned,
        why_not_run,
    );
    if summary.deadline_reached {
        summary.failures.push(format!(
            "run deadline of {:.0} s reached: {} scenarios not run",
            options.deadline.unwrap_or_default().as_secs_f64(),
            summary.total.not_run
        ));
    }
    if let Some(signal) = summary.interrupted {
        summary.failures.push(format!(
            "run interrupted by {signal}: {} scenarios not run",
            summary.total.not_run
        ));
    }
    if let Err(e) = html_handle.finish(&summary) {
        eprintln!("error: {e}");
    }
    Ok(summary)
}

/// After the run, whatever the reports do not yet hold: the not-applicable scenarios the
/// filter found but no writer received (the run was cut), and the selected scenarios that
/// never finished, reported as not run (JUnit `<skipped>`, `not_run` in the summary).
fn account_for_the_rest(
    summary: &mut RunSummary,
    pending: &Pending,
    (junit, html): (&SharedJunit, &super::html::SharedHtml),
    planned: Planned,
    why: &'static str,
) {
    let leftover: Vec<ScenarioResult> =
        std::mem::take(&mut *pending.lock().unwrap_or_else(|e| e.into_inner()));
    let mut for_junit = Vec::new();
    for result in leftover {
        summary.record(&Finished {
            result: result.clone(),
            location: None,
        });
        for_junit.push(result);
    }
    // What was reported, by feature file and name (a scenario outline's rows may share one).
    let mut reported: HashMap<(String, String), usize> = HashMap::new();
    for line in &summary.results {
        *reported
            .entry((line.feature.clone(), line.name.clone()))
            .or_default() += 1;
    }
    for p in planned.scenarios {
        if let Some(n) = reported
            .get_mut(&(p.feature.clone(), p.name.clone()))
            .filter(|n| **n > 0)
        {
            *n -= 1;
            continue;
        }
        let (use_case, service_request, device) = classify(&p.tags);
        let location = format!("{}:{}", p.feature, p.line);
        let done = Finished {
            result: ScenarioResult {
                feature: p.feature,
                line: Some(p.line),
                name: p.name,
                use_case,
                service_request,
                device,
                tags: p.tags,
                duration: Duration::ZERO,
                outcome: Outcome::NotRun {
                    reason: why.to_string(),
                },
                traffic: Vec::new(),
            },
            location: Some(location),
        };
        summary.record_not_run(&done, why);
        for_junit.push(done.result);
    }
    for r in &for_junit {
        html.add(r.clone(), r.location());
    }
    let mut w = junit.lock().unwrap_or_else(|e| e.into_inner());
    for r in for_junit {
        if let Err(e) = w.record(r) {
            eprintln!("cannot write {}: {e}", w.path().display());
            break;
        }
    }
}

/// One scenario the tags and shard select (before capabilities), as the parser finds it.
struct PlannedScenario {
    feature: String,
    line: usize,
    name: String,
    tags: Vec<String>,
}

/// The scenarios a run selects, known before any runs.
struct Planned {
    scenarios: Vec<PlannedScenario>,
    /// Scenarios the tag expression matches, whatever the shard.
    tag_matches: usize,
}

/// Parses the feature files the way the run will, and lists what the tags and shard select:
/// so an expression that selects nothing stops the run, and a run cut short knows what it
/// did not run. Files that do not parse are left to the run, which reports them.
async fn plan_scenarios(
    paths: &[PathBuf],
    tags: Option<&TagExpr>,
    shard: Option<(usize, usize)>,
) -> Result<Planned, RunError> {
    use cucumber::Parser as _;
    use futures::StreamExt as _;
    let mut planned = Planned {
        scenarios: Vec::new(),
        tag_matches: 0,
    };
    for path in paths {
        if !path.exists() {
            return Err(RunError::NoFeatures(path.display().to_string()));
        }
        let features: Vec<_> = parser::Basic::new()
            .parse(path, Default::default())
            .collect()
            .await;
        for feature in features.into_iter().flatten() {
            let file = shown_path(feature.path.as_deref(), &feature.name);
            let scenarios = feature.scenarios.iter().map(|s| (None, s)).chain(
                feature
                    .rules
                    .iter()
                    .flat_map(|r| r.scenarios.iter().map(move |s| (Some(r), s))),
            );
            for (rule, scenario) in scenarios {
                let all = all_tags(&feature, rule, scenario);
                if tags.is_some_and(|op| !op.selects(&all)) {
                    continue;
                }
                planned.tag_matches += 1;
                if let Some(s) = shard {
                    if !in_shard(&file, scenario.position.line, &scenario.name, s) {
                        continue;
                    }
                }
                planned.scenarios.push(PlannedScenario {
                    feature: file.clone(),
                    line: scenario.position.line,
                    name: scenario.name.clone(),
                    tags: all,
                });
            }
        }
    }
    Ok(planned)
}

/// Tries every device instance once before any scenario, so a target that cannot be reached
/// at all is one line and exit 2 rather than a failure per scenario: `tcp://`, `http(s)://`
/// and `duis://` are connected to (and the connection closed), `exec:`'s program must exist
/// and be executable; other targets are in-process. A bad URL is refused whatever the
/// others do. With a pool, the run goes on while one instance answers: the others get a
/// warning line and their scenarios fail naming them.
async fn preflight(options: &RunOptions) -> Result<(), RunError> {
    let mut unreachable = Vec::new();
    let mut instances = 0;
    for url in std::iter::once(&options.target).chain(&options.pool) {
        instances += 1;
        match reach(url, options.limits.connect_timeout).await {
            Ok(()) => {}
            Err(e @ RunError::Unreachable { .. }) => unreachable.push(e),
            Err(e) => return Err(e),
        }
    }
    if unreachable.len() == instances && !unreachable.is_empty() {
        return Err(unreachable.swap_remove(0));
    }
    for e in unreachable {
        eprintln!("warning: {e}; its scenarios will fail");
    }
    Ok(())
}

/// Tries one target once, as `run` does before any scenario (see `preflight`): a bad URL
/// is [`RunError::BadTarget`], one that cannot be reached [`RunError::Unreachable`].
pub async fn check_target(url: &str, timeout: Duration) -> Result<(), RunError> {
    reach(url, timeout).await
}

async fn reach(url: &str, timeout: Duration) -> Result<(), RunError> {
    let bad = |reason: String| RunError::BadTarget {
        url: url.to_string(),
        reason,
    };
    let addr = if let Some(rest) = url.strip_prefix("tcp://") {
        let addr = rest.trim_end_matches('/');
        check_port(addr).map_err(bad)?;
        addr.to_string()
    } else if url.starts_with("http://")
        || url.starts_with("https://")
        || url.starts_with("duis://")
    {
        let as_http = url.replacen("duis://", "http://", 1);
        let parsed = reqwest::Url::parse(&as_http).map_err(|e| bad(e.to_string()))?;
        let host = parsed
            .host_str()
            .ok_or_else(|| bad("no host".into()))?
            .to_string();
        let port = parsed
            .port_or_known_default()
            .ok_or_else(|| bad("no port".into()))?;
        format!("{host}:{port}")
    } else if let Some(rest) = url.strip_prefix("exec:") {
        return check_program(rest).map_err(|reason| RunError::Unreachable {
            url: url.to_string(),
            reason,
        });
    } else {
        return Ok(());
    };
    // A duis:// URL carries the profile's settings in its query; the address is enough.
    let shown = match url.split_once('?') {
        Some((base, _)) if url.starts_with("duis://") => base.trim_end_matches('/'),
        _ => url,
    };
    let unreachable = |reason: String| RunError::Unreachable {
        url: shown.to_string(),
        reason,
    };
    match tokio::time::timeout(timeout, tokio::net::TcpStream::connect(&addr)).await {
        Ok(Ok(_stream)) => Ok(()),
        Ok(Err(e)) => Err(unreachable(io_reason(&e))),
        Err(_) => Err(unreachable(format!(
            "no connection within {:.1} s",
            timeout.as_secs_f64()
        ))),
    }
}

/// An I/O error as a person reads it: `Connection refused`, without `(os error 111)`.
fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// `host:port` with a port from 1 to 65535.
fn check_port(addr: &str) -> Result<(), String> {
    let Some((host, port)) = addr.rsplit_once(':') else {
        return Err("expected tcp://host:port".into());
    };
    if host.is_empty() {
        return Err("expected tcp://host:port (no host)".into());
    }
    match port.parse::<u32>() {
        Ok(p) if (1..=65535).contains(&p) => Ok(()),
        Ok(p) => Err(format!("port {p} is out of range (1 to 65535)")),
        Err(_) => Err(format!("port {port:?} is not a number")),
    }
}

/// The program of an `exec:` command line exists and may be run: a path (with a `/`)
/// as it is, otherwise looked up in `PATH`.
fn check_program(command: &str) -> Result<(), String> {
    let command = command.trim_start();
    let program = match command.chars().next() {
        Some(q @ ('\'' | '"')) => command[1..].split(q).next().unwrap_or_default(),
        _ => command.split_whitespace().next().unwrap_or_default(),
    };
    if program.is_empty() {
        return Err("no program".into());
    }
    let candidates: Vec<PathBuf> = if program.contains('/') {
        vec![PathBuf::from(program)]
    } else {
        std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).map(|d| d.join(program)).collect())
            .unwrap_or_default()
    };
    let mut found_but_not_executable = None;
    for c in &candidates {
        match std::fs::metadata(c) {
            Ok(m) if m.is_file() && is_executable(&m) => return Ok(()),
            Ok(_) => found_but_not_executable = Some(c.display().to_string()),
            Err(_) => {}
        }
    }
    Err(match found_but_not_executable {
        Some(p) => format!("{p} is not an executable file"),
        None if program.contains('/') => format!("{program}: no such file"),
        None => format!("{program}: not found in PATH"),
    })
}

#[cfg(unix)]
fn is_executable(m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    m.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_: &std::fs::Metadata) -> bool {
    true
}

/// A head-end run (`head-end:NAME`): the head-end's trigger is tried, then the DCC side is
/// started. `None` for any other target.
async fn start_head_end(
    options: &RunOptions,
    lab: &Lab,
) -> Result<Option<Arc<super::head_end::Stand>>, RunError> {
    use super::head_end::trigger::Trigger;
    if !options.target.starts_with(HEAD_END_SCHEME) {
        return Ok(None);
    }
    let Some(settings) = lab.head_end.clone() else {
        return Err(RunError::NoHeadEnd {
            target: options.target.clone(),
        });
    };
    match &settings.trigger {
        Trigger::Http { url } => reach(url, options.limits.connect_timeout).await?,
        Trigger::Command { argv, base } => {
            let program = match argv[0].as_str() {
                p if p.starts_with("./") || p.starts_with("../") => {
                    base.join(p).display().to_string()
                }
                p => p.to_string(),
            };
            check_program(&program).map_err(|reason| RunError::Unreachable {
                url: format!("the [head_end] trigger {program}"),
                reason,
            })?;
        }
    }
    let vectors = VectorStore::new(&options.vectors);
    Ok(Some(
        super::head_end::Stand::start(settings, &vectors).await?,
    ))
}

/// `sim://` gives every scenario its own simulator; anything else is one connection.
fn open_target(options: &RunOptions, builtin: Arc<DefaultProfile>) -> Result<Target, RunError> {
    if options.target.starts_with(HEAD_END_SCHEME) {
        // No device is under test: the head-end's scenarios talk to the DCC side
        // (`RunContext::head_end`); device scenarios do not apply (the profile declares no
        // device), and the simulator stands by unused.
        return Ok(Target::FreshSimulator {
            url: options.target.clone(),
            profile: builtin,
            faults: Default::default(),
        });
    }
    if options.target.starts_with("sim://") {
        if let Some(extra) = options.pool.first() {
            return Err(RunError::PoolOnSim(extra.clone()));
        }
        return Ok(Target::FreshSimulator {
            url: options.target.clone(),
            profile: builtin,
            faults: transport::faults_in_url(&options.target)?,
        });
    }
    let open = OpenOptions {
        limits: options.limits.clone(),
    };
    let transports = std::iter::once(&options.target)
        .chain(&options.pool)
        .map(|url| transport::open(url, &open))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Target::shared(options.target.clone(), transports))
}

/// Scenarios at once when neither the profile nor the command line says. A fresh simulator
/// per scenario gains little past two on this work; a conversation that matches answers to
/// commands keeps [`transport::DEFAULT_IN_FLIGHT`] commands in flight per device instance;
/// any other shared device takes one scenario at a time per instance.
fn default_concurrency(target: &Target) -> usize {
    match target {
        Target::FreshSimulator { .. } => 2,
        shared if shared.overlaps() => transport::DEFAULT_IN_FLIGHT * shared.instances(),
        shared => shared.instances(),
    }
}

fn context(options: &RunOptions, lab: &Lab, target: Target) -> RunContext {
    let mut ctx = RunContext::new(
        target,
        lab.keys.clone(),
        lab.identities.clone(),
        lab.capabilities.clone(),
        VectorStore::new(&options.vectors),
        options.limits.clone(),
    );
    ctx.sla = options.sla.clone();
    ctx.state_hook = lab.state_hook.clone();
    ctx.replay_dir = lab
        .replay_dir
        .clone()
        .or_else(|| options.target.strip_prefix("replay:").map(PathBuf::from));
    ctx
}

/// The JUnit report, written empty at once (a run that dies early leaves a valid file).
fn open_junit(path: &Path, target: &str, lab: &Lab) -> Result<JunitWriter, RunError> {
    let failed = |source| RunError::Report {
        path: path.display().to_string(),
        source,
    };
    let mut props = SuiteProperties::new(target, &lab.name);
    props.head_end = lab
        .head_end
        .as_ref()
        .map(|h| (h.name.clone(), h.version.clone()));
    props.commit = option_env!("GBCS_HARNESS_COMMIT")
        .map(str::to_string)
        .or_else(git_commit);
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(failed)?;
    }
    JunitWriter::new(path, props).map_err(failed)
}

/// Which scenarios run, how many at once, and where the not-applicable ones go.
struct Plan {
    /// Handed to every scenario's World before its first step.
    ctx: Arc<RunContext>,
    concurrency: usize,
    fail_fast: bool,
    tags: Option<TagExpr>,
    caps: Capabilities,
    shard: Option<(usize, usize)>,
    pending: Pending,
}

impl Plan {
    /// Whether a scenario runs: it matches the tags and the shard, and applies to the
    /// target (one that does not is reported as not applicable instead).
    fn selects(
        &self,
        feature: &cucumber::gherkin::Feature,
        rule: Option<&cucumber::gherkin::Rule>,
        scenario: &cucumber::gherkin::Scenario,
    ) -> bool {
        let all = all_tags(feature, rule, scenario);
        if let Some(op) = &self.tags {
            if !op.selects(&all) {
                return false;
            }
        }
        let file = shown_path(feature.path.as_deref(), &feature.name);
        if let Some(s) = self.shard {
            if !in_shard(&file, scenario.position.line, &scenario.name, s) {
                return false;
            }
        }
        let Some(reason) = self.caps.missing_for(all.iter()) else {
            return true;
        };
        let (use_case, service_request, device) = classify(&all);
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(ScenarioResult {
                feature: file,
                line: Some(scenario.position.line),
                name: scenario.name.clone(),
                use_case,
                service_request,
                device,
                tags: all,
                duration: Duration::ZERO,
                outcome: Outcome::NotApplicable { reason },
                traffic: Vec::new(),
            });
        false
    }
}

/// Runs each feature path in turn; with `--fail-fast`, a failure in one path also stops the
/// paths after it (what they select is then reported as not run).
async fn run_paths<R: Record>(
    paths: Vec<PathBuf>,
    mut writer: Scenarios<R>,
    plan: Plan,
    summary: Arc<std::sync::Mutex<RunSummary>>,
) -> Result<(), RunError> {
    let plan = Arc::new(plan);
    let failed = || {
        let s = summary.lock().unwrap_or_else(|e| e.into_inner());
        s.total.failed > 0 || s.feature_errors > 0
    };
    for path in paths {
        if plan.fail_fast && failed() {
            break;
        }
        if !path.exists() {
            return Err(RunError::NoFeatures(path.display().to_string()));
        }
        let plan_here = plan.clone();
        let filter = move |feature: &cucumber::gherkin::Feature,
                           rule: Option<&cucumber::gherkin::Rule>,
                           scenario: &cucumber::gherkin::Scenario| {
            plan_here.selects(feature, rule, scenario)
        };
        let ctx = plan.ctx.clone();
        let mut runner = runner::Basic::default()
            .steps(steps::collection())
            .max_concurrent_scenarios(plan.concurrency)
            .before(move |feature, _, scenario, world: &mut HarnessWorld| {
                world.attach(ctx.clone());
                let at = super::writer::location(feature, scenario);
                world.keep_traffic_as(super::world::traffic_key(&at, &scenario.name));
                Box::pin(async {})
            });
        if plan.fail_fast {
            runner = runner.fail_fast();
        }
        writer = Cucumber::<_, _, _, _, _, cucumber::cli::Empty>::custom(
            parser::Basic::new(),
            runner,
            writer,
        )
        .with_default_cli()
        .filter_run(path, filter)
        .await;
    }
    writer.finish();
    Ok(())
}

/// The feature paths a run takes: the ones named (default `features/`), where a folder that
/// holds special-purpose folders stands for its other folders and files. `replay/` judges
/// recorded exchanges, so it runs only when named itself or when the run has recordings (a
/// profile's `recordings`, or a `replay:` target); `head-end/` judges a head-end, so it runs
/// only when named itself or when the target is one. `run` and `run features` are one run.
pub fn feature_paths(named: &[PathBuf], with_replay: bool, with_head_end: bool) -> Vec<PathBuf> {
    let defaults = [PathBuf::from("features")];
    let named = if named.is_empty() {
        &defaults[..]
    } else {
        named
    };
    let left_out: Vec<&str> = [("replay", with_replay), ("head-end", with_head_end)]
        .into_iter()
        .filter(|(_, wanted)| !wanted)
        .map(|(folder, _)| folder)
        .collect();
    let mut out = Vec::new();
    for path in named {
        if !path.is_dir() || !left_out.iter().any(|f| path.join(f).is_dir()) {
            out.push(path.clone());
            continue;
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| !left_out.contains(&n))
                    && (p.is_dir()
                        || p.extension()
                            .is_some_and(|e| e.eq_ignore_ascii_case("feature")))
            })
            .collect();
        entries.sort();
        out.extend(entries);
    }
    out
}

/// The commit the harness was built from: its source tree's HEAD, when that tree is still
/// there (a release build can set `GBCS_HARNESS_COMMIT` instead). Never the current
/// directory's, which is the user's own project.
pub(crate) fn git_commit() -> Option<String> {
    let out = std::process::Command::new("git")
        .args([
            "-C",
            env!("CARGO_MANIFEST_DIR"),
            "rev-parse",
            "--short=12",
            "HEAD",
        ])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
}
