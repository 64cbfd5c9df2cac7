//! `gbcs-harness run`: the Gherkin features against a target, with JUnit and JSON evidence.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use gbcs_harness::runner::profile::DutProfile;
use gbcs_harness::runner::{self, Lab, RunOptions};
use gbcs_harness::transport::Limits;

#[derive(Args)]
pub struct RunArgs {
    /// Feature files or folders (default: features/).
    paths: Vec<PathBuf>,
    /// The target: sim://[?fault=NAME], tcp://HOST:PORT, exec:CMD ARGS, http(s)://HOST/PATH,
    /// replay:DIR (default: the profile's, else sim://).
    #[arg(long)]
    target: Option<String>,
    /// The device-under-test profile (TOML): ids, keys, timeouts, SLAs, capabilities.
    #[arg(long, value_name = "FILE")]
    profile: Option<PathBuf>,
    /// Cucumber tag expression, e.g. '@esme and not @security'.
    #[arg(long, value_name = "EXPR")]
    tags: Option<String>,
    /// The JUnit report, rewritten after every scenario.
    #[arg(long, default_value = "reports/junit.xml")]
    junit: PathBuf,
    /// The JSON summary: passed / failed / not applicable per use case.
    #[arg(long, default_value = "reports/summary.json")]
    json: PathBuf,
    /// Run shard I of N (1-based): a stable split of the scenarios for CI matrices.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    shard: Option<(usize, usize)>,
    /// Scenarios in flight at once (default: 2 on sim://, 1 on a real target).
    #[arg(long, value_name = "N")]
    concurrency: Option<usize>,
    /// Stop at the first failing scenario.
    #[arg(long)]
    fail_fast: bool,
    /// The golden vectors.
    #[arg(long, default_value = "vectors")]
    vectors: PathBuf,
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
    /// Print only the summary.
    #[arg(long, short)]
    quiet: bool,
}

/// A positive number of seconds that fits a `Duration`.
fn parse_seconds(s: &str) -> Result<Duration, String> {
    let secs: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?}: expected a number of seconds"))?;
    if secs <= 0.0 || secs.is_nan() {
        return Err(format!("{s:?}: expected a positive number of seconds"));
    }
    Duration::try_from_secs_f64(secs).map_err(|_| format!("{s:?}: out of range"))
}

fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| format!("{s:?}: expected I/N, e.g. 2/4"))?;
    let i: usize = i
        .trim()
        .parse()
        .map_err(|_| format!("{s:?}: I is not a number"))?;
    let n: usize = n
        .trim()
        .parse()
        .map_err(|_| format!("{s:?}: N is not a number"))?;
    if n == 0 || i == 0 || i > n {
        return Err(format!("{s:?}: need 1 <= I <= N"));
    }
    Ok((i, n))
}

pub fn run(args: RunArgs) -> ExitCode {
    let profile = match &args.profile {
        Some(path) => match DutProfile::load(path) {
            Ok(p) => Some(p),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let mut limits = profile
        .as_ref()
        .map_or_else(Limits::default, |p| p.limits.clone());
    if let Some(s) = args.response_timeout {
        limits.response_timeout = s;
    }
    let mut sla = profile.as_ref().map(|p| p.sla.clone()).unwrap_or_default();
    if let Some(s) = args.sla {
        sla.default = Some(s);
        sla.codes.clear();
    }
    let target = args
        .target
        .clone()
        .or_else(|| profile.as_ref().and_then(|p| p.target.clone()))
        .unwrap_or_else(|| "sim://".into());
    let deadline = args
        .deadline
        .or_else(|| profile.as_ref().and_then(|p| p.run_deadline));
    let concurrency = args
        .concurrency
        .or_else(|| profile.as_ref().and_then(|p| p.concurrency));
    let lab = profile.map(|p| Lab {
        name: p.name,
        keys: p.keys,
        identities: p.identities,
        capabilities: p.capabilities,
        replay_dir: p.recordings,
        state_hook: p.state_hook,
    });
    let options = RunOptions {
        paths: args.paths,
        target,
        tags: args.tags,
        junit: args.junit,
        shard: args.shard,
        concurrency,
        fail_fast: args.fail_fast,
        vectors: args.vectors,
        limits,
        sla,
        deadline,
        quiet: args.quiet,
        lab,
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let junit = options.junit.clone();
    let quiet = options.quiet;
    let summary = match rt.block_on(runner::run(options)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(parent) = args.json.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    match serde_json::to_string_pretty(&summary) {
        Ok(text) => {
            if let Err(e) = std::fs::write(&args.json, text + "\n") {
                eprintln!("error: cannot write {}: {e}", args.json.display());
            }
        }
        Err(e) => eprintln!("error: {e}"),
    }
    if !quiet {
        println!(
            "\n{:<28} {:>6} {:>6} {:>6}",
            "use case", "passed", "failed", "n/a"
        );
        for (uc, t) in &summary.by_use_case {
            println!(
                "{uc:<28} {:>6} {:>6} {:>6}",
                t.passed, t.failed, t.not_applicable
            );
        }
    }
    println!(
        "\n{} scenarios: {} passed, {} failed, {} not applicable ({} feature file errors) in {:.1} s",
        summary.scenarios,
        summary.total.passed,
        summary.total.failed,
        summary.total.not_applicable,
        summary.feature_errors,
        summary.duration_s
    );
    for f in &summary.failures {
        println!("  FAILED {f}");
    }
    println!(
        "JUnit: {}  summary: {}",
        junit.display(),
        args.json.display()
    );
    if summary.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
