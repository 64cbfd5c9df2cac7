//! `run --evidence DIR`: the evidence bundle a test house can file. Before the run,
//! [`prepare`] refuses a folder that is not empty and a harness checkout with uncommitted
//! changes (evidence must name the exact harness), unless told to allow it. During the run,
//! [`TrafficRecorder`] writes each scenario's line traffic (`traffic/<slug>.txt`) and copies
//! the golden vectors of the use cases that ran (`vectors/<use case>/`) as scenarios finish,
//! so a run cut short still leaves them. After it, [`assemble`] adds the JUnit report, the
//! JSON summary and the HTML report (refusing one not written since the run started: an
//! earlier run's), the profile with its secrets elided, `harness.json` and the SHA-256
//! manifest that `gbcs-harness report verify` checks.
//!
//! Layout:
//!
//! ```text
//! DIR/junit.xml  summary.json  index.html  profile.toml  harness.json  MANIFEST.sha256
//! DIR/traffic/<feature>-<line>-<scenario>-<digest>.txt
//!     one per scenario a writer received (none for one not run: deadline, signal,
//!     --fail-fast); the digest is of its file:line, so the name is the same run to run
//! DIR/vectors/<use case>/<variant>.json
//!     the vector folders of the use cases run
//! ```

use std::collections::HashSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::report::evidence::{self as bundle, EvidenceError};
use crate::report::{utc_timestamp, Outcome};

use super::writer::{Finished, Record};

/// Names the folder whose git checkout the harness reports and checks for uncommitted
/// changes; default: the folder the harness was built from. Tests point it at a repository
/// of their own.
pub const SOURCE_DIR_ENV: &str = "GBCS_HARNESS_SOURCE_DIR";

/// How long a `git` query may take before the checkout counts as unknown.
const GIT_TIMEOUT: Duration = Duration::from_secs(20);
/// How much older than the bundle's start a report may look and still count as this run's:
/// the reports may be on another file system than the bundle, dated in coarser steps (FAT
/// dates files to 2 seconds).
const STALE_SLACK: Duration = Duration::from_secs(2);
/// Output kept of a `git` query (a porcelain status of a very dirty tree is cut here).
const GIT_OUTPUT_LIMIT: u64 = 1024 * 1024;

/// Why a bundle cannot be started or finished.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("--evidence {0}: the folder is not empty (a bundle goes in an empty or new folder)")]
    NotEmpty(PathBuf),
    #[error("--evidence {0}: not a folder")]
    NotAFolder(PathBuf),
    #[error("--evidence: the harness checkout {dir} has uncommitted changes ({count} paths, e.g. {first}); commit them, or pass --allow-dirty to record the run as made from a dirty tree")]
    Dirty {
        dir: String,
        count: usize,
        first: String,
    },
    #[error("--evidence {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("--evidence: {0}")]
    Evidence(#[from] EvidenceError),
    #[error("--evidence: cannot write harness.json: {0}")]
    Json(#[from] serde_json::Error),
    #[error("--evidence: {count} files could not be written during the run, first: {first}")]
    DuringRun { count: usize, first: String },
    #[error("--evidence: {path} was last written before this run started: it is an earlier run's report, not this run's {name} (its writing must have failed), so it is not put in the bundle")]
    Stale { path: PathBuf, name: &'static str },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> BundleError + '_ {
    move |source| BundleError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Which harness ran: its version and, when it can see the checkout it was built from, the
/// commit and whether the tree had uncommitted changes.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HarnessInfo {
    pub name: &'static str,
    pub version: &'static str,
    /// The full commit hash; `None` ("commit unknown") when the harness's source folder is
    /// not a git checkout and the build did not set `GBCS_HARNESS_COMMIT`.
    pub commit: Option<String>,
    /// Whether `git status --porcelain` listed anything; `None` when unknown.
    pub dirty: Option<bool>,
    /// The folder checked (see [`SOURCE_DIR_ENV`]).
    pub source_dir: String,
    /// How many paths `git status --porcelain` listed.
    #[serde(skip_serializing_if = "is_zero")]
    pub changed: usize,
    /// The first 50 of them, as git lists them (status, path).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl HarnessInfo {
    /// Asks git about the harness's source folder, once per process and folder: a run with
    /// `--evidence` needs it before the run and the HTML report at its start, and both must
    /// name the same state of the checkout.
    pub fn detect() -> HarnessInfo {
        static DETECTED: Mutex<Option<HarnessInfo>> = Mutex::new(None);
        let dir = std::env::var_os(SOURCE_DIR_ENV)
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        // Held while git runs, so a second caller waits for the answer instead of asking.
        let mut cached = DETECTED.lock().unwrap_or_else(|e| e.into_inner());
        match cached.as_ref() {
            Some(info) if Path::new(&info.source_dir) == dir => info.clone(),
            _ => {
                let info = Self::ask_git(&dir);
                *cached = Some(info.clone());
                info
            }
        }
    }

    fn ask_git(dir: &Path) -> HarnessInfo {
        let head = git(dir, &["rev-parse", "--verify", "HEAD"])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let (dirty, changed, changes) = match head
            .as_ref()
            .and_then(|_| git(dir, &["status", "--porcelain"]))
        {
            Some(status) => {
                let lines: Vec<String> = status
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string)
                    .collect();
                let n = lines.len();
                (Some(n > 0), n, lines.into_iter().take(50).collect())
            }
            None => (None, 0, Vec::new()),
        };
        HarnessInfo {
            name: "gbcs-harness",
            version: env!("CARGO_PKG_VERSION"),
            commit: head.or_else(|| option_env!("GBCS_HARNESS_COMMIT").map(str::to_string)),
            dirty,
            source_dir: dir.display().to_string(),
            changed,
            changes,
        }
    }
}

/// `git --no-optional-locks -C dir ARGS`, its standard output when it succeeds within
/// [`GIT_TIMEOUT`]; `None` when git is missing, fails (not a checkout) or hangs. Without
/// `--no-optional-locks`, `git status` takes `.git/index.lock` to refresh the index, and a
/// developer's own git command in the checkout could fail on it during a run.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let mut child = Command::new("git")
        .arg("--no-optional-locks")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let stdout = child.stdout.take()?;
    // Read on a thread, so the wait for its end has a timeout; git closes its output as it
    // exits, and a killed git closes it too.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut stdout = stdout;
        let mut out = Vec::new();
        let read = (&mut stdout).take(GIT_OUTPUT_LIMIT).read_to_end(&mut out);
        // The rest is drained, so git never blocks on a full pipe.
        let _ = std::io::copy(&mut stdout, &mut std::io::sink());
        let _ = tx.send(read.map(|_| out));
    });
    let out = match rx.recv_timeout(GIT_TIMEOUT) {
        Ok(Ok(out)) => out,
        _ => {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
    };
    let status = child.wait().ok()?;
    status
        .success()
        .then(|| String::from_utf8_lossy(&out).into_owned())
}

/// A bundle being written.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub dir: PathBuf,
    pub harness: HarnessInfo,
    pub started: String,
    /// When the bundle was started, by the clock of its file system (the mtime of the
    /// `traffic` folder as created): reports are dated by that clock, and its coarser
    /// ticks would make a report written just after the start look older than the wall
    /// clock's `now`.
    started_at: SystemTime,
    pub command_line: Vec<String>,
    sink: EvidenceSink,
}

impl Bundle {
    /// Where the run writes its part of the bundle (`RunOptions::evidence`).
    pub fn sink(&self) -> EvidenceSink {
        self.sink.clone()
    }
}

/// The bundle's folder as the run sees it, with what its writer met; shared with the
/// [`Bundle`] so [`assemble`] knows whether the run's part is complete.
#[derive(Debug, Clone)]
pub struct EvidenceSink {
    pub dir: PathBuf,
    written: Arc<Mutex<Written>>,
}

impl EvidenceSink {
    fn lock(&self) -> std::sync::MutexGuard<'_, Written> {
        self.written.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// An error if any file of the run's part could not be written.
    fn check(&self) -> Result<(), BundleError> {
        let w = self.lock();
        match w.errors.first() {
            None => Ok(()),
            Some(first) => Err(BundleError::DuringRun {
                count: w.errors.len() + w.errors_dropped,
                first: first.clone(),
            }),
        }
    }
}

/// Checks that a bundle may be written to `dir` (absent or empty; the harness checkout clean
/// unless `allow_dirty`) and creates it.
pub fn prepare(dir: &Path, allow_dirty: bool) -> Result<Bundle, BundleError> {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => {
            let mut entries = std::fs::read_dir(dir).map_err(io_error(dir))?;
            if entries.next().is_some() {
                return Err(BundleError::NotEmpty(dir.to_path_buf()));
            }
        }
        Ok(_) => return Err(BundleError::NotAFolder(dir.to_path_buf())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(dir)(e)),
    }
    let harness = HarnessInfo::detect();
    if harness.dirty == Some(true) && !allow_dirty {
        return Err(BundleError::Dirty {
            dir: harness.source_dir.clone(),
            count: harness.changed,
            // Without git's two status letters.
            first: harness
                .changes
                .first()
                .map(|l| l.get(3..).unwrap_or(l).to_string())
                .unwrap_or_default(),
        });
    }
    let traffic = dir.join("traffic");
    std::fs::create_dir_all(&traffic).map_err(io_error(&traffic))?;
    let now = SystemTime::now();
    let started_at = std::fs::metadata(&traffic)
        .and_then(|m| m.modified())
        .unwrap_or(now);
    Ok(Bundle {
        dir: dir.to_path_buf(),
        harness,
        started: utc_timestamp(now),
        started_at,
        command_line: std::env::args().collect(),
        sink: EvidenceSink {
            dir: dir.to_path_buf(),
            written: Arc::default(),
        },
    })
}

/// What the recorder did, shared so the bundle can be finished after the run.
#[derive(Debug, Default)]
struct Written {
    slugs: HashSet<String>,
    use_cases: HashSet<String>,
    errors: Vec<String>,
    errors_dropped: usize,
}

/// Writes each reported scenario's traffic file and copies the vector folders of the use
/// cases that ran, as they finish.
pub struct TrafficRecorder {
    sink: EvidenceSink,
    vectors: PathBuf,
}

/// Errors kept of a bundle being written (the count goes on).
const ERRORS_KEPT: usize = 20;

impl TrafficRecorder {
    /// A recorder for the bundle of `sink`, copying vectors from `vectors`.
    pub fn new(sink: &EvidenceSink, vectors: &Path) -> TrafficRecorder {
        TrafficRecorder {
            sink: sink.clone(),
            vectors: vectors.to_path_buf(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Written> {
        self.sink.lock()
    }

    fn note(&self, error: String) {
        let mut w = self.lock();
        if w.errors.len() < ERRORS_KEPT {
            eprintln!("warning: evidence bundle: {error}");
            w.errors.push(error);
        } else {
            w.errors_dropped += 1;
        }
    }

    fn write_traffic(&self, done: &Finished) {
        let slug = {
            let mut w = self.lock();
            let base = bundle::slug(&done.result);
            let mut slug = base.clone();
            let mut n = 2;
            while !w.slugs.insert(slug.clone()) {
                slug = format!("{base}-{n}");
                n += 1;
            }
            slug
        };
        let path = self.sink.dir.join("traffic").join(format!("{slug}.txt"));
        if let Err(e) = std::fs::write(&path, bundle::traffic_file(&done.result)) {
            self.note(format!("{}: {e}", path.display()));
        }
    }

    /// Copies `vectors/<tag>/` for each tag of a scenario that ran that names a vector
    /// folder: the scenarios tag the use cases they send (generated ones by the vector's
    /// use case), so these folders hold every vector the run could have used.
    fn copy_vectors(&self, done: &Finished) {
        if !matches!(done.result.outcome, Outcome::Passed | Outcome::Failed(_)) {
            return;
        }
        for tag in &done.result.tags {
            let name = tag.trim_start_matches('@');
            if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
                continue;
            }
            let from = self.vectors.join(name);
            if !from.is_dir() || !self.lock().use_cases.insert(name.to_string()) {
                continue;
            }
            if let Err(e) = copy_files(&from, &self.sink.dir.join("vectors").join(name)) {
                self.note(e.to_string());
            }
        }
    }
}

/// The regular files of `from` (not its subfolders) into `to`.
fn copy_files(from: &Path, to: &Path) -> Result<(), BundleError> {
    std::fs::create_dir_all(to).map_err(io_error(to))?;
    for entry in std::fs::read_dir(from).map_err(io_error(from))? {
        let entry = entry.map_err(io_error(from))?;
        let ft = entry.file_type().map_err(io_error(&entry.path()))?;
        if ft.is_file() {
            let dest = to.join(entry.file_name());
            std::fs::copy(entry.path(), &dest).map_err(io_error(&dest))?;
        }
    }
    Ok(())
}

impl Record for TrafficRecorder {
    fn scenario(&mut self, done: &Finished) {
        self.write_traffic(done);
        self.copy_vectors(done);
    }
}

/// What the run wrote, for [`assemble`].
#[derive(Debug, Clone)]
pub struct RunOutputs<'a> {
    pub junit: &'a Path,
    pub json: &'a Path,
    pub html: &'a Path,
    /// The profile file given, `None` for the built-in default.
    pub profile: Option<&'a Path>,
    pub target: &'a str,
    pub vectors: &'a Path,
    pub exit_code: u8,
}

#[derive(Serialize)]
struct HarnessJson<'a> {
    harness: &'a HarnessInfo,
    command_line: &'a [String],
    target: &'a str,
    profile: String,
    started: &'a str,
    finished: String,
    exit_code: u8,
    vectors: VectorsNote,
}

#[derive(Serialize)]
struct VectorsNote {
    source: String,
    selection: &'static str,
}

/// Finishes the bundle: copies the reports in, writes `profile.toml` and `harness.json`,
/// then the manifest. Returns the number of files the manifest lists.
pub fn assemble(bundle: &Bundle, out: &RunOutputs<'_>) -> Result<usize, BundleError> {
    let dir = &bundle.dir;
    for (from, name) in [
        (out.junit, "junit.xml"),
        (out.json, "summary.json"),
        (out.html, "index.html"),
    ] {
        // A report whose final write failed (the error was printed) is still on disk from
        // an earlier run, or absent; only this run's may go in.
        let modified = std::fs::metadata(from)
            .and_then(|m| m.modified())
            .map_err(io_error(from))?;
        // Checked: a file dated at the end of time would overflow the addition.
        let stale = modified
            .checked_add(STALE_SLACK)
            .is_some_and(|m| m < bundle.started_at);
        if stale {
            return Err(BundleError::Stale {
                path: from.to_path_buf(),
                name,
            });
        }
        let to = dir.join(name);
        if same_file(from, &to) {
            continue;
        }
        std::fs::copy(from, &to).map_err(io_error(from))?;
    }
    let profile_text = match out.profile {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(io_error(path))?;
            let elided = bundle::elide_profile(&text).map_err(|e| BundleError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()),
            })?;
            // In a comment, a line break in the path or target would start a TOML line.
            let one_line = |s: &str| s.replace(['\r', '\n'], " ");
            format!(
                "# The profile this run used ({}), as loaded. Settings whose names say secret,\n# password, token, key, credential or private (key stores and key files among them) are\n# replaced by \"{}\"; comments are not kept. The target run: {}\n{elided}",
                one_line(&path.display().to_string()),
                bundle::ELIDED,
                one_line(out.target)
            )
        }
        None => format!(
            "# No --profile: the built-in lab. The harness plays the remote parties with the\n# built-in test identities and a test PKI it generates in process (no key files), and the\n# target is the command line's, else sim:// (the built-in simulator with the same PKI).\nname = \"built-in simulator (default test PKI)\"\ntarget = {}\n",
            toml_string(out.target)
        ),
    };
    let path = dir.join("profile.toml");
    std::fs::write(&path, profile_text).map_err(io_error(&path))?;
    let json = HarnessJson {
        harness: &bundle.harness,
        command_line: &bundle.command_line,
        target: out.target,
        profile: out
            .profile
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "(built-in)".into()),
        started: &bundle.started,
        finished: utc_timestamp(SystemTime::now()),
        exit_code: out.exit_code,
        vectors: VectorsNote {
            source: out.vectors.display().to_string(),
            selection: "the vector folders of the use cases the scenarios that ran are tagged with (every vector they could have used)",
        },
    };
    let path = dir.join("harness.json");
    std::fs::write(&path, serde_json::to_string_pretty(&json)? + "\n").map_err(io_error(&path))?;
    let files = bundle::write_manifest(dir)?;
    bundle.sink.check()?;
    Ok(files)
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_that_is_not_empty_is_refused() {
        let dir = std::env::temp_dir().join(format!("gbcs-bundle-prep-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("x"), "").unwrap();
        assert!(matches!(prepare(&dir, true), Err(BundleError::NotEmpty(_))));
        assert!(matches!(
            prepare(&dir.join("x"), true),
            Err(BundleError::NotAFolder(_))
        ));
        let fresh = dir.join("new");
        let b = prepare(&fresh, true).unwrap();
        assert!(fresh.join("traffic").is_dir());
        assert_eq!(b.harness.version, env!("CARGO_PKG_VERSION"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A prepared bundle in `<tmp>/bundle` and fresh reports in `<tmp>/reports`.
    fn bundle_and_reports(tag: &str) -> (PathBuf, Bundle, [PathBuf; 3]) {
        let tmp = std::env::temp_dir().join(format!("gbcs-bundle-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        let reports = tmp.join("reports");
        std::fs::create_dir_all(&reports).unwrap();
        let bundle = prepare(&tmp.join("bundle"), true).unwrap();
        let files = ["junit.xml", "summary.json", "index.html"].map(|name| reports.join(name));
        for f in &files {
            std::fs::write(f, "report").unwrap();
        }
        (tmp, bundle, files)
    }

    fn outputs<'a>(
        reports: &'a [PathBuf; 3],
        profile: Option<&'a Path>,
        target: &'a str,
    ) -> RunOutputs<'a> {
        RunOutputs {
            junit: &reports[0],
            json: &reports[1],
            html: &reports[2],
            profile,
            target,
            vectors: Path::new("vectors"),
            exit_code: 0,
        }
    }

    #[test]
    fn a_report_older_than_the_run_is_refused_not_bundled() {
        let (tmp, bundle, reports) = bundle_and_reports("stale");
        // What a failed final write leaves: the file of an earlier run.
        let old = SystemTime::now() - Duration::from_secs(3600);
        let summary = reports[1].clone();
        std::fs::File::options()
            .write(true)
            .open(&summary)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let err = assemble(&bundle, &outputs(&reports, None, "sim://")).unwrap_err();
        assert!(
            matches!(&err, BundleError::Stale { path, name: "summary.json" } if *path == summary),
            "{err}"
        );
        assert!(err.to_string().contains("before this run started"), "{err}");
        assert!(!bundle.dir.join("summary.json").exists());
        // Written by this run: bundled, and the bundle verifies.
        std::fs::write(&summary, "{}").unwrap();
        assemble(&bundle, &outputs(&reports, None, "sim://")).unwrap();
        let v = crate::report::evidence::verify(&bundle.dir).unwrap();
        assert!(v.ok(), "{:?}", v.problems);
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn line_breaks_in_the_profile_path_or_target_stay_in_the_comment() {
        let (tmp, bundle, reports) = bundle_and_reports("header");
        let profile = tmp.join("lab\nname = 1.toml");
        std::fs::write(&profile, "name = \"bench\"\n").unwrap();
        let target = "tcp://dut:1\r\ntarget = \"elsewhere\"";
        assemble(&bundle, &outputs(&reports, Some(&profile), target)).unwrap();
        let text = std::fs::read_to_string(bundle.dir.join("profile.toml")).unwrap();
        let table: toml::Table = text.parse().unwrap_or_else(|e| panic!("{e}\n{text}"));
        // Only the profile's own settings: nothing from the comment became one.
        assert_eq!(
            table,
            "name = \"bench\"".parse::<toml::Table>().unwrap(),
            "{text}"
        );
        assert!(text.contains("tcp://dut:1  target"), "{text}");
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}
