//! What a run is told: a device profile's settings with the command line's over them,
//! resolved into one [`RunOptions`].

use std::path::PathBuf;
use std::time::Duration;

use super::evidence::EvidenceSink;
use super::profile::{Lab, ResolvedProfile, Sla};
use crate::transport::Limits;

/// The target a run takes when neither the command line nor the profile names one.
pub const DEFAULT_TARGET: &str = "sim://";

/// Everything `run` needs, resolved.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub paths: Vec<PathBuf>,
    pub target: String,
    /// More instances of the target's device; scenarios are shared out between them all.
    pub pool: Vec<String>,
    pub tags: Option<String>,
    pub junit: PathBuf,
    /// The HTML report, written at the start, during the run while cheap, and at the end.
    pub html: PathBuf,
    /// The evidence bundle's folder (`run --evidence`), prepared before the run: each
    /// scenario's traffic and the vectors used go there as scenarios finish.
    pub evidence: Option<EvidenceSink>,
    /// 1-based shard index and shard count.
    pub shard: Option<(usize, usize)>,
    pub concurrency: Option<usize>,
    pub fail_fast: bool,
    pub vectors: PathBuf,
    pub limits: Limits,
    pub sla: Sla,
    /// The whole run stops here; the report keeps what finished.
    pub deadline: Option<Duration>,
    pub quiet: bool,
    /// A tag expression that selects no scenario is accepted (an empty run) instead of
    /// refused.
    pub allow_empty: bool,
    /// The harness side's identities and keys; `None` is the built-in simulator's.
    pub lab: Option<Lab>,
}

/// What the command line says; `None` leaves a setting to the profile (or the default).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub paths: Vec<PathBuf>,
    pub target: Option<String>,
    /// Replaces the profile's pool; a `target` given without one leaves the profile's
    /// pool out (it belongs to the profile's target).
    pub pool: Vec<String>,
    pub tags: Option<String>,
    pub junit: PathBuf,
    pub html: PathBuf,
    pub evidence: Option<EvidenceSink>,
    pub shard: Option<(usize, usize)>,
    pub concurrency: Option<usize>,
    pub fail_fast: bool,
    /// `None`: the `vectors/` beside the features folder found (see [`default_vectors`]).
    pub vectors: Option<PathBuf>,
    pub response_timeout: Option<Duration>,
    pub deadline: Option<Duration>,
    /// Replaces every response-time target, the profile's per-code ones included.
    pub sla: Option<Duration>,
    pub quiet: bool,
    pub allow_empty: bool,
}

/// The features a run takes when none are named: `features/` in the working folder, else
/// the harness's own (its source tree's, when that is still there).
pub fn default_features() -> PathBuf {
    let here = PathBuf::from("features");
    if here.is_dir() {
        return here;
    }
    let own = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("features");
    if own.is_dir() {
        own
    } else {
        here
    }
}

/// The golden vectors a run uses when `--vectors` is not given: the `vectors/` folder
/// beside the `features/` folder the first feature path lies in (so `run main/features`
/// from outside the checkout finds `main/vectors`), else `vectors/` in the working folder.
pub fn default_vectors(paths: &[PathBuf]) -> PathBuf {
    let first = paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("features"));
    let absolute = std::path::absolute(&first).unwrap_or(first);
    for dir in absolute.ancestors() {
        if dir.file_name().is_some_and(|n| n == "features") {
            if let Some(beside) = dir.parent().map(|p| p.join("vectors")) {
                if beside.is_dir() {
                    return beside;
                }
            }
        }
    }
    PathBuf::from("vectors")
}

/// The command line over the profile over the defaults.
pub fn resolve(profile: Option<ResolvedProfile>, cli: Overrides) -> RunOptions {
    let duis = profile.as_ref().map(|p| p.duis.clone()).unwrap_or_default();
    let (lab, mut limits, mut sla, target, deadline, concurrency) = match profile {
        Some(p) => (
            Some(p.lab),
            p.limits,
            p.sla,
            (p.target, p.pool),
            p.run_deadline,
            p.concurrency,
        ),
        None => (
            None,
            Limits::default(),
            Sla::default(),
            (None, Vec::new()),
            None,
            None,
        ),
    };
    let (profile_target, profile_pool) = target;
    let pool = match (&cli.target, cli.pool.is_empty()) {
        (_, false) => cli.pool,
        (None, true) => profile_pool,
        (Some(_), true) => Vec::new(),
    };
    if let Some(s) = cli.response_timeout {
        limits.response_timeout = s;
    }
    if let Some(s) = cli.sla {
        sla = Sla {
            default: Some(s),
            codes: Default::default(),
        };
    }
    let paths = if cli.paths.is_empty() {
        vec![default_features()]
    } else {
        cli.paths
    };
    let vectors = cli.vectors.unwrap_or_else(|| default_vectors(&paths));
    RunOptions {
        paths,
        target: with_duis_settings(
            cli.target
                .or(profile_target)
                .unwrap_or_else(|| DEFAULT_TARGET.into()),
            &duis,
        ),
        pool,
        tags: cli.tags,
        junit: cli.junit,
        html: cli.html,
        evidence: cli.evidence,
        shard: cli.shard,
        concurrency: cli.concurrency.or(concurrency),
        fail_fast: cli.fail_fast,
        vectors,
        limits,
        sla,
        deadline: cli.deadline.or(deadline),
        quiet: cli.quiet,
        allow_empty: cli.allow_empty,
        lab,
    }
}

/// A `duis://` target with the profile's `[duis]` settings folded into its query, each
/// unless the URL sets it already; any other target as it is.
pub fn with_duis_settings(target: String, settings: &[(String, String)]) -> String {
    let Some(rest) = target.strip_prefix("duis://") else {
        return target;
    };
    if settings.is_empty() {
        return target;
    }
    // Parsed as http to edit the query; a URL that does not parse is left for the
    // transport to refuse with its reason.
    let Ok(mut url) = reqwest::Url::parse(&format!("http://{rest}")) else {
        return target;
    };
    let given: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
    {
        let mut query = url.query_pairs_mut();
        for (k, v) in settings {
            if !given.contains(k) {
                query.append_pair(k, v);
            }
        }
    }
    match url.as_str().strip_prefix("http://") {
        Some(rest) => format!("duis://{rest}"),
        None => target,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::MessageCode;
    use crate::runner::profile::DutProfile;
    use std::path::Path;

    fn profile(text: &str) -> ResolvedProfile {
        let p: DutProfile = toml::from_str(text).unwrap();
        p.resolve("t.toml", Path::new("."), None).unwrap()
    }

    const PROFILE: &str = "name = \"bench\"\ntarget = \"tcp://127.0.0.1:4059\"\nconcurrency = 3\n[timeouts]\nresponse_s = 2\nrun_deadline_s = 60\n[sla]\ndefault_s = 30\n[sla.codes]\n\"0x0052\" = 12\n";

    #[test]
    fn without_a_profile_or_options_the_run_is_the_built_in_simulator() {
        let o = resolve(None, Overrides::default());
        assert_eq!(o.target, "sim://");
        assert_eq!(o.limits, Limits::default());
        assert_eq!(o.sla, Sla::default());
        assert!(o.lab.is_none() && o.deadline.is_none() && o.concurrency.is_none());
    }

    #[test]
    fn the_profile_fills_what_the_command_line_leaves_out() {
        let o = resolve(Some(profile(PROFILE)), Overrides::default());
        assert_eq!(o.target, "tcp://127.0.0.1:4059");
        assert_eq!(o.concurrency, Some(3));
        assert_eq!(o.deadline, Some(Duration::from_secs(60)));
        assert_eq!(o.limits.response_timeout, Duration::from_secs(2));
        assert_eq!(
            o.sla.for_code(MessageCode::ECS45),
            Some(Duration::from_secs(12))
        );
        assert_eq!(o.lab.map(|l| l.name).as_deref(), Some("bench"));
    }

    #[test]
    fn the_command_line_wins_and_its_sla_replaces_every_target() {
        let cli = Overrides {
            target: Some("sim://?fault=late-response".into()),
            concurrency: Some(1),
            deadline: Some(Duration::from_secs(5)),
            response_timeout: Some(Duration::from_secs(7)),
            sla: Some(Duration::from_secs(1)),
            ..Overrides::default()
        };
        let o = resolve(Some(profile(PROFILE)), cli);
        assert_eq!(o.target, "sim://?fault=late-response");
        assert_eq!(o.concurrency, Some(1));
        assert_eq!(o.deadline, Some(Duration::from_secs(5)));
        assert_eq!(o.limits.response_timeout, Duration::from_secs(7));
        assert_eq!(
            o.sla.for_code(MessageCode::ECS45),
            Some(Duration::from_secs(1))
        );
    }

    #[test]
    fn a_duis_target_takes_the_profiles_duis_settings_unless_it_sets_them() {
        let text = "target = \"duis://127.0.0.1:8079\"\n[duis]\ntemplates = \"t\"\ncallback = \"127.0.0.1:9000\"\n";
        let o = resolve(Some(profile(text)), Overrides::default());
        assert!(
            o.target.starts_with("duis://127.0.0.1:8079/?"),
            "{}",
            o.target
        );
        assert!(
            o.target.contains("templates=.%2Ft") || o.target.contains("templates=t"),
            "{}",
            o.target
        );
        assert!(
            o.target.contains("callback=127.0.0.1%3A9000"),
            "{}",
            o.target
        );
        let cli = Overrides {
            target: Some("duis://10.0.0.1:8079?callback=0.0.0.0%3A7000".into()),
            ..Overrides::default()
        };
        let o = resolve(Some(profile(text)), cli);
        assert!(o.target.contains("callback=0.0.0.0%3A7000"), "{}", o.target);
        assert!(!o.target.contains("9000"), "{}", o.target);
        // Other targets are left alone.
        let cli = Overrides {
            target: Some("tcp://127.0.0.1:4059".into()),
            ..Overrides::default()
        };
        assert_eq!(
            resolve(Some(profile(text)), cli).target,
            "tcp://127.0.0.1:4059"
        );
    }

    #[test]
    fn a_pool_goes_with_its_target() {
        let with_pool = format!("pool = [\"tcp://127.0.0.1:4060\"]\n{PROFILE}");
        let o = resolve(Some(profile(&with_pool)), Overrides::default());
        assert_eq!(o.pool, ["tcp://127.0.0.1:4060"]);
        // Another target on the command line: the profile's pool was for its own target.
        let cli = Overrides {
            target: Some("tcp://10.0.0.1:4059".into()),
            ..Overrides::default()
        };
        assert!(resolve(Some(profile(&with_pool)), cli).pool.is_empty());
        let cli = Overrides {
            pool: vec!["tcp://127.0.0.1:4061".into()],
            ..Overrides::default()
        };
        assert_eq!(
            resolve(Some(profile(&with_pool)), cli).pool,
            ["tcp://127.0.0.1:4061"]
        );
    }
}
