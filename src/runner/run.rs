//! `gbcs-harness run`: select scenarios (tag expression, shard, capabilities), run them
//! against the target with cucumber, and write the evidence.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::tag::Ext as _;
use cucumber::{parser, runner, Cucumber};

use crate::crypto::pki::PkiError;
use crate::report::{JunitWriter, Outcome, ScenarioResult, SuiteProperties};
use crate::sim::profile::DefaultProfile;
use crate::transport::{self, OpenOptions};
use crate::vectors::VectorStore;

use super::capabilities::Capabilities;
use super::console::ConsoleWriter;
use super::interrupt::{self, Stop};
use super::junit::JunitRecorder;
use super::options::RunOptions;
use super::profile::Lab;
use super::steps;
use super::summary::{RunSummary, SummaryWriter};
use super::world::{HarnessWorld, RunContext, Target};
use super::writer::{all_tags, classify, shown_path, Pending, Record, Scenarios, Tee};
use crate::command::identities::Identities;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Transport(#[from] transport::TransportError),
    #[error("cannot build the built-in test PKI: {0}")]
    Pki(#[from] PkiError),
    #[error("bad --tags expression {expr:?}: {source}")]
    Tags {
        expr: String,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
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
        },
    };
    lab.capabilities.imply_from_target(&options.target);
    let target = open_target(&options, builtin)?;
    let concurrency = options
        .concurrency
        .unwrap_or_else(|| default_concurrency(&target))
        .max(1);
    let ctx = Arc::new(context(&options, &lab, target));
    let tags = match &options.tags {
        Some(expr) => Some(expr.parse::<TagOperation>().map_err(|e| RunError::Tags {
            expr: expr.clone(),
            source: Box::new(e),
        })?),
        None => None,
    };
    let junit = open_junit(&options.junit, &options.target, &lab.name)?;
    let summary = SummaryWriter::new(options.target.clone());
    let shared_summary = summary.summary();
    let console = (!options.quiet).then_some(ConsoleWriter);
    let pending = Pending::default();
    let writer = Scenarios::new(
        Tee(
            summary,
            Tee(console, JunitRecorder::new(junit, ctx.clone())),
        ),
        pending.clone(),
    );
    let plan = Plan {
        ctx,
        concurrency,
        fail_fast: options.fail_fast,
        tags,
        caps: lab.capabilities.clone(),
        shard: options.shard,
        pending,
    };
    let paths = if options.paths.is_empty() {
        default_paths(Path::new("features"))
    } else {
        options.paths.clone()
    };
    let started = std::time::Instant::now();
    let work = run_paths(paths, writer, plan);
    let finished = interrupt::until_stopped(work, options.deadline).await;
    let mut summary = shared_summary
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    summary.not_covered =
        crate::vectors::features::not_covered(&VectorStore::new(&options.vectors));
    match finished {
        Ok(result) => result?,
        Err(Stop::Deadline) => {
            summary.deadline_reached = true;
            summary.duration_s = started.elapsed().as_secs_f64();
            summary.failures.push(format!(
                "run deadline of {:.0} s reached: the scenarios still running or not started are not in the report",
                options.deadline.unwrap_or_default().as_secs_f64()
            ));
        }
        Err(Stop::Signal(signal)) => {
            summary.interrupted = Some(signal);
            summary.duration_s = started.elapsed().as_secs_f64();
            summary.failures.push(format!(
                "run interrupted by {signal}: the scenarios still running or not started are not in the report"
            ));
        }
    }
    Ok(summary)
}

/// `sim://` gives every scenario its own simulator; anything else is one connection.
fn open_target(options: &RunOptions, builtin: Arc<DefaultProfile>) -> Result<Target, RunError> {
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
fn open_junit(path: &Path, target: &str, profile: &str) -> Result<JunitWriter, RunError> {
    let failed = |source| RunError::Report {
        path: path.display().to_string(),
        source,
    };
    let mut props = SuiteProperties::new(target, profile);
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
    tags: Option<TagOperation>,
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
            if !op.eval(all.iter()) {
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
                name: scenario.name.clone(),
                use_case,
                service_request,
                device,
                tags: all,
                duration: Duration::ZERO,
                outcome: Outcome::NotApplicable { reason },
            });
        false
    }
}

async fn run_paths<R: Record>(
    paths: Vec<PathBuf>,
    mut writer: Scenarios<R>,
    plan: Plan,
) -> Result<(), RunError> {
    let plan = Arc::new(plan);
    for path in paths {
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
            .before(move |_, _, _, world: &mut HarnessWorld| {
                world.attach(ctx.clone());
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

/// The folders of `features/` a plain `run` takes: all but `replay/`, which judges recorded
/// exchanges and is run on its own with a recordings profile.
fn default_paths(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n != "replay"))
        .collect();
    dirs.sort();
    if dirs.is_empty() {
        vec![root.to_path_buf()]
    } else {
        dirs
    }
}

/// The commit the harness was built from: its source tree's HEAD, when that tree is still
/// there (a release build can set `GBCS_HARNESS_COMMIT` instead). Never the current
/// directory's, which is the user's own project.
fn git_commit() -> Option<String> {
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
