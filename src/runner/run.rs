//! `gbcs-harness run`: select scenarios (tag expression, shard, capabilities), run them
//! against the target with cucumber, and write the evidence.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::tag::Ext as _;
use cucumber::{parser, runner, Cucumber};

use crate::crypto::KeyStore;
use crate::report::{JunitWriter, Outcome, ScenarioResult, SuiteProperties};
use crate::sim::profile::DefaultProfile;
use crate::transport::{self, Limits, OpenOptions};
use crate::vectors::VectorStore;

use super::capabilities::Capabilities;
use super::state_hook::StateHook;
use super::steps;
use super::world::{install, RunContext, Target};
use super::writer::{all_tags, classify, shown_path, EvidenceWriter, Pending, RunSummary};
use crate::command::identities::Identities;

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub paths: Vec<PathBuf>,
    pub target: String,
    pub tags: Option<String>,
    pub junit: PathBuf,
    /// 1-based shard index and shard count.
    pub shard: Option<(usize, usize)>,
    pub concurrency: Option<usize>,
    pub fail_fast: bool,
    pub vectors: PathBuf,
    pub limits: Limits,
    pub sla: super::profile::Sla,
    /// The whole run stops here; the report keeps what finished.
    pub deadline: Option<Duration>,
    pub quiet: bool,
    /// The harness side's identities and keys; `None` is the built-in simulator's.
    pub lab: Option<Lab>,
}

/// Identities, keys and capabilities of a target (from a device profile, or the default).
#[derive(Clone)]
pub struct Lab {
    pub name: String,
    pub keys: Arc<KeyStore>,
    pub identities: Identities,
    pub capabilities: Capabilities,
    pub replay_dir: Option<PathBuf>,
    /// How to put a real device into a recorded variant's state, if the profile says.
    pub state_hook: Option<StateHook>,
}

impl std::fmt::Debug for Lab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lab").field("name", &self.name).finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Transport(#[from] transport::TransportError),
    #[error("cannot build the built-in test PKI: {0}")]
    Pki(String),
    #[error("bad --tags expression {expr:?}: {reason}")]
    Tags { expr: String, reason: String },
    #[error("cannot write the report {path}: {source}")]
    Report {
        path: String,
        source: std::io::Error,
    },
    #[error("no feature files under {0}")]
    NoFeatures(String),
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
    let profile = Arc::new(DefaultProfile::generate().map_err(|e| RunError::Pki(e.to_string()))?);
    let lab = match options.lab.clone() {
        Some(l) => l,
        None => Lab {
            name: "built-in simulator (default test PKI)".into(),
            keys: profile.shared_keys(),
            identities: Identities::default_lab(),
            capabilities: Capabilities::for_target(&options.target),
            replay_dir: None,
            state_hook: None,
        },
    };
    let target = if options.target.starts_with("sim://") {
        let faults = transport::faults_in_url(&options.target)?;
        Target::FreshSimulator {
            url: options.target.clone(),
            profile: profile.clone(),
            faults,
        }
    } else {
        let open = OpenOptions {
            limits: options.limits.clone(),
        };
        Target::Shared {
            url: options.target.clone(),
            transport: Arc::new(tokio::sync::Mutex::new(transport::open(
                &options.target,
                &open,
            )?)),
        }
    };
    let fresh = matches!(target, Target::FreshSimulator { .. });
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
    install(Arc::new(ctx));

    let tags = match &options.tags {
        Some(expr) => Some(expr.parse::<TagOperation>().map_err(|e| RunError::Tags {
            expr: expr.clone(),
            reason: e.to_string(),
        })?),
        None => None,
    };

    let mut props = SuiteProperties::new(options.target.clone(), lab.name.clone());
    props.commit = option_env!("GBCS_HARNESS_COMMIT")
        .map(str::to_string)
        .or_else(git_commit);
    if let Some(parent) = options.junit.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| RunError::Report {
            path: options.junit.display().to_string(),
            source,
        })?;
    }
    let junit = JunitWriter::new(&options.junit, props).map_err(|source| RunError::Report {
        path: options.junit.display().to_string(),
        source,
    })?;
    let pending: Pending = Arc::new(Mutex::new(Vec::new()));
    let writer = EvidenceWriter::new(
        junit,
        options.target.clone(),
        pending.clone(),
        options.quiet,
    );

    // A real device is one physical thing: one scenario at a time unless told otherwise.
    let concurrency = options
        .concurrency
        .unwrap_or(if fresh { 2 } else { 1 })
        .max(1);
    let caps = lab.capabilities.clone();
    let shard = options.shard;

    let paths = if options.paths.is_empty() {
        default_paths(Path::new("features"))
    } else {
        options.paths.clone()
    };
    let summary = writer.summary();
    let started = std::time::Instant::now();
    let work = run_paths(
        paths,
        writer,
        concurrency,
        options.fail_fast,
        tags,
        caps,
        shard,
        pending,
    );
    let finished = match options.deadline {
        Some(deadline) => tokio::time::timeout(deadline, work).await.ok(),
        None => Some(work.await),
    };
    let mut summary = summary.lock().unwrap_or_else(|e| e.into_inner()).clone();
    summary.not_covered =
        crate::vectors::features::not_covered(&VectorStore::new(&options.vectors));
    match finished {
        Some(Err(e)) => return Err(e),
        Some(Ok(())) => {}
        None => {
            summary.deadline_reached = true;
            summary.duration_s = started.elapsed().as_secs_f64();
            summary.failures.push(format!(
                "run deadline of {:.0} s reached: the scenarios still running or not started are not in the report",
                options.deadline.unwrap_or_default().as_secs_f64()
            ));
        }
    }
    Ok(summary)
}

#[allow(clippy::too_many_arguments)]
async fn run_paths(
    paths: Vec<PathBuf>,
    mut writer: EvidenceWriter,
    concurrency: usize,
    fail_fast: bool,
    tags: Option<TagOperation>,
    caps: Capabilities,
    shard: Option<(usize, usize)>,
    pending: Pending,
) -> Result<(), RunError> {
    for path in paths {
        if !path.exists() {
            return Err(RunError::NoFeatures(path.display().to_string()));
        }
        let tags = tags.clone();
        let caps = caps.clone();
        let pending = pending.clone();
        let filter = move |feature: &cucumber::gherkin::Feature,
                           rule: Option<&cucumber::gherkin::Rule>,
                           scenario: &cucumber::gherkin::Scenario| {
            let all = all_tags(feature, rule, scenario);
            if let Some(op) = &tags {
                if !op.eval(all.iter()) {
                    return false;
                }
            }
            let file = shown_path(feature.path.as_deref(), &feature.name);
            if let Some(s) = shard {
                if !in_shard(&file, scenario.position.line, &scenario.name, s) {
                    return false;
                }
            }
            if let Some(reason) = caps.missing_for(all.iter()) {
                let (use_case, service_request, device) = classify(&all);
                pending
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
                return false;
            }
            true
        };
        let mut runner = runner::Basic::default()
            .steps(steps::collection())
            .max_concurrent_scenarios(concurrency);
        if fail_fast {
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
