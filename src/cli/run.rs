//! `gbcs-harness run`: the Gherkin features against a target, with JUnit and JSON evidence.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use gbcs_harness::runner::console::{self, print_summary, ConsoleSettings};
use gbcs_harness::runner::evidence::{self, EvidenceSink, RunOutputs};
use gbcs_harness::runner::profile::DutProfile;
use gbcs_harness::runner::{self, Overrides};

/// The exit statuses of `run`, shown by `run --help`.
const EXIT_CODES: &str = "\
Console:
  standard output gets a FAIL line per failed scenario as it finishes (with its reason), then
  the use cases that had failures, the not-applicable scenarios counted by reason, the
  totals and every failure; --verbose adds a PASS line per passed scenario and every use
  case to the table, --quiet prints only the totals and the failures. On a terminal,
  standard error shows a progress line ([n/N] passed, failed, n/a, ETA) rewritten in place,
  and the marks are in colour unless NO_COLOR is set; piped output is plain lines.

Exit status:
  0    every scenario passed or was not applicable
  1    a scenario failed, a feature file did not parse, or selected scenarios were not run
       (the --deadline passed, or --fail-fast stopped the run); the JSON summary's
       \"not_run\" counts them and its \"exit_code\" is this status; or the --evidence
       bundle could not be completed
  2    the run could not start: a bad profile, target URL, tags or features; a target that
       cannot be reached at all (tried once before any scenario); --tags selecting no
       scenario (unless --allow-empty); --evidence DIR not empty, or the harness checkout
       has uncommitted changes (unless --allow-dirty)
  130  stopped by SIGINT (Ctrl-C)
  143  stopped by SIGTERM

On SIGINT or SIGTERM the run stops its scenarios and writes the JUnit report and the JSON
summary with what finished, and the selected scenarios it did not run as not run; the
summary's \"interrupted\" names the signal.";

/// How long the runtime waits, once the run has stopped, for work still running outside it
/// (a blocking read of a hung child process) before the process exits anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

#[derive(Args)]
#[command(after_help = EXIT_CODES)]
pub struct RunArgs {
    /// Feature files or folders (default: features/). A folder holding replay/ stands for
    /// its other folders: replay/ runs when named, or with a profile's recordings or a
    /// replay: target.
    paths: Vec<PathBuf>,
    /// The target: sim://[?fault=NAME], tcp://HOST:PORT, exec:CMD ARGS, http(s)://HOST/PATH,
    /// replay:DIR (default: the profile's, else sim://).
    #[arg(long)]
    target: Option<String>,
    /// Another instance of the same device (another port or process); repeat for more.
    /// Scenarios are shared out between the target and the pool, so --concurrency spreads
    /// over them (default: the profile's pool, unless --target is given).
    #[arg(long, value_name = "URL")]
    pool: Vec<String>,
    /// The device-under-test profile (TOML): ids, keys, timeouts, SLAs, capabilities.
    #[arg(long, value_name = "FILE")]
    profile: Option<PathBuf>,
    /// Cucumber tag expression, e.g. '@esme and not @security' (as the Cucumber reference
    /// parses it; an empty or blank one selects every scenario).
    #[arg(long, value_name = "EXPR")]
    tags: Option<String>,
    /// Accept a --tags expression that selects no scenario (an empty run exits 0); without
    /// it, that is an error (exit 2).
    #[arg(long)]
    allow_empty: bool,
    /// The JUnit report, rewritten after every scenario.
    #[arg(long, default_value = "reports/junit.xml")]
    junit: PathBuf,
    /// The JSON summary: passed / failed / not applicable per use case.
    #[arg(long, default_value = "reports/summary.json")]
    json: PathBuf,
    /// The HTML report (one self-contained page): the verdict, a use case × variant
    /// matrix, SMETS1 coverage, every failure with its diff and frames, every scenario's
    /// traffic.
    #[arg(long, value_name = "FILE", default_value = "reports/index.html")]
    html: PathBuf,
    /// Write an evidence bundle to DIR (absent or empty): the JUnit report, the JSON summary,
    /// the HTML report, each scenario's traffic, the profile (secrets elided), the vectors
    /// used, harness.json and MANIFEST.sha256 (`report verify DIR` checks it). Refused when
    /// the harness checkout (its source folder, or $GBCS_HARNESS_SOURCE_DIR) has uncommitted
    /// changes, unless --allow-dirty.
    #[arg(long, value_name = "DIR")]
    evidence: Option<PathBuf>,
    /// With --evidence: run from a harness checkout with uncommitted changes anyway
    /// (harness.json records it as dirty).
    #[arg(long, requires = "evidence")]
    allow_dirty: bool,
    /// Run shard I of N (1-based): a stable split of the scenarios for CI matrices.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    shard: Option<(usize, usize)>,
    /// Scenarios in flight at once (default: 2 on sim://; 16 per instance over tcp:// and
    /// exec:, whose answers are matched to commands; 1 per instance on other targets).
    #[arg(long, value_name = "N", value_parser = parse_concurrency)]
    concurrency: Option<usize>,
    /// Stop at the first failing scenario.
    #[arg(long)]
    fail_fast: bool,
    /// The golden vectors (default: the vectors/ folder beside the features/ folder the
    /// first path lies in, else ./vectors).
    #[arg(long, value_name = "DIR")]
    vectors: Option<PathBuf>,
    /// How long to wait for a response to each command, in seconds (default: the profile's,
    /// else 10).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    response_timeout: Option<Duration>,
    /// Stop the whole run after this many seconds (the report keeps what finished).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    deadline: Option<Duration>,
    /// Replace the WAN traffic model's response-time targets with this many seconds.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    sla: Option<Duration>,
    /// Print only the totals and the failures: no per-scenario lines, no table.
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print a PASS line per passed scenario, and every use case in the table.
    #[arg(long, short)]
    verbose: bool,
}

/// A value of `--shard`, `--response-timeout`, `--sla` or `--deadline` that does not parse.
#[derive(Debug, thiserror::Error)]
enum ArgError {
    #[error("{0:?}: expected a number of seconds")]
    NotSeconds(String),
    #[error("{0:?}: expected a positive number of seconds")]
    NotPositive(String),
    #[error("{0:?}: out of range")]
    OutOfRange(String),
    #[error("{0:?}: expected I/N, e.g. 2/4")]
    NotShard(String),
    #[error("{0:?}: {1} is not a number")]
    NotNumber(String, &'static str),
    #[error("{0:?}: need 1 <= I <= N")]
    ShardRange(String),
    #[error("{0:?}: expected a whole number of scenarios, at least 1")]
    NotConcurrency(String),
}

/// At least one scenario at a time.
fn parse_concurrency(s: &str) -> Result<usize, ArgError> {
    match s.trim().parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(ArgError::NotConcurrency(s.into())),
    }
}

/// A positive number of seconds that fits a `Duration`.
fn parse_seconds(s: &str) -> Result<Duration, ArgError> {
    let secs: f64 = s
        .trim()
        .parse()
        .map_err(|_| ArgError::NotSeconds(s.into()))?;
    if secs <= 0.0 || secs.is_nan() {
        return Err(ArgError::NotPositive(s.into()));
    }
    Duration::try_from_secs_f64(secs).map_err(|_| ArgError::OutOfRange(s.into()))
}

fn parse_shard(s: &str) -> Result<(usize, usize), ArgError> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| ArgError::NotShard(s.into()))?;
    let number = |v: &str, what| {
        v.trim()
            .parse::<usize>()
            .map_err(|_| ArgError::NotNumber(s.into(), what))
    };
    let (i, n) = (number(i, "I")?, number(n, "N")?);
    if n == 0 || i == 0 || i > n {
        return Err(ArgError::ShardRange(s.into()));
    }
    Ok((i, n))
}

impl RunArgs {
    /// The options the command line sets, for [`runner::resolve`] to put over the profile.
    fn overrides(self, evidence: Option<EvidenceSink>) -> Overrides {
        Overrides {
            paths: self.paths,
            target: self.target,
            pool: self.pool,
            tags: self.tags,
            junit: self.junit,
            html: self.html,
            evidence,
            shard: self.shard,
            concurrency: self.concurrency,
            fail_fast: self.fail_fast,
            vectors: self.vectors,
            response_timeout: self.response_timeout,
            deadline: self.deadline,
            sla: self.sla,
            quiet: self.quiet,
            allow_empty: self.allow_empty,
        }
    }
}

/// Exit status: see [`EXIT_CODES`].
pub fn run(args: RunArgs) -> ExitCode {
    let profile = match args.profile.as_deref().map(DutProfile::load).transpose() {
        Ok(p) => p,
        Err(e) => return cannot_start(&e),
    };
    let bundle = match args.evidence.as_deref() {
        Some(dir) => match evidence::prepare(dir, args.allow_dirty) {
            Ok(b) => Some(b),
            Err(e) => return cannot_start(&e),
        },
        None => None,
    };
    let (json, html, profile_path) = (args.json.clone(), args.html.clone(), args.profile.clone());
    let settings = ConsoleSettings::detect(args.verbose);
    console::configure(settings);
    let options = runner::resolve(profile, args.overrides(bundle.as_ref().map(|b| b.sink())));
    let (junit, quiet) = (options.junit.clone(), options.quiet);
    let (target, vectors) = (options.target.clone(), options.vectors.clone());
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return cannot_start(&format!("cannot start the runtime: {e}")),
    };
    let ran = rt.block_on(runner::run(options));
    rt.shutdown_timeout(SHUTDOWN_GRACE);
    let mut summary = match ran {
        Ok(s) => s,
        Err(e) => return cannot_start(&e),
    };
    summary.exit_code = summary.exit_status();
    if let Err(e) = summary.write_json(&json) {
        eprintln!("error: {e}");
    }
    print_summary(&summary, quiet, &junit, &json);
    let mut status = summary.exit_code;
    if let Some(bundle) = &bundle {
        let outputs = RunOutputs {
            junit: &junit,
            json: &json,
            html: &html,
            profile: profile_path.as_deref(),
            target: &target,
            vectors: &vectors,
            exit_code: status,
        };
        match evidence::assemble(bundle, &outputs) {
            Ok(files) => println!(
                "evidence: {} ({files} files; check with gbcs-harness report verify {})",
                bundle.dir.display(),
                bundle.dir.display()
            ),
            Err(e) => {
                eprintln!("error: {e}");
                // A run whose evidence is incomplete is not a passing run.
                status = status.max(1);
            }
        }
    }
    ExitCode::from(status)
}

fn cannot_start(e: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(2)
}
