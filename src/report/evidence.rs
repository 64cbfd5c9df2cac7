//! The evidence bundle's integrity: a manifest with the SHA-256 of every file
//! (`MANIFEST.sha256`, in `sha256sum` format so `sha256sum -c` checks it too), and [`verify`],
//! which checks a bundle against it: every listed file is there and unchanged, the files
//! every bundle has ([`CORE_FILES`]) are listed, and no file (nor link) is there that is not
//! listed. Folders are not listed, so an added empty folder is not reported. Also the
//! bundle's text renderings that need no other module: a scenario's traffic file and a
//! profile with its secrets elided.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, Read as _};
use std::path::{Component, Path, PathBuf};

use sha2::{Digest as _, Sha256};

use super::{Outcome, ScenarioResult};

/// The manifest's name, at the top of the bundle.
pub const MANIFEST: &str = "MANIFEST.sha256";
/// A manifest longer than this is not read (a bundle lists thousands of files, not millions).
pub const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;
/// The files `run --evidence` always writes at the top of a bundle; [`verify`] requires the
/// manifest to list each of them.
pub const CORE_FILES: [&str; 5] = [
    "junit.xml",
    "summary.json",
    "index.html",
    "profile.toml",
    "harness.json",
];
/// What an elided secret is replaced by.
pub const ELIDED: &str = "<elided>";

/// Why a bundle could not be written or checked at all.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{0} is not an evidence bundle: it is not a folder")]
    NotAFolder(PathBuf),
    #[error("{0} is not an evidence bundle: it has no {MANIFEST}")]
    NoManifest(PathBuf),
    #[error("{path}: a bundle holds only regular files and folders (this is neither)")]
    NotAFile { path: PathBuf },
    #[error("{path}: the file name cannot be written in a manifest (not UTF-8, or a line break or backslash in it)")]
    Unlistable { path: PathBuf },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> EvidenceError + '_ {
    move |source| EvidenceError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Something in a bundle that does not match its manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The file's SHA-256 is not the listed one.
    Changed(String),
    /// A listed file is not there.
    Missing(String),
    /// A file is there that the manifest does not list.
    Unlisted(String),
    /// A listed path is a folder, a link or a device, not a file.
    NotAFile(String),
    /// A listed path goes through a link (`link`, a folder of its path): the file behind it
    /// is not in the bundle, and is not read.
    ThroughLink { path: String, link: String },
    /// One of [`CORE_FILES`] is not in the manifest.
    CoreNotListed(String),
    /// A manifest line that does not parse or names an unsafe path.
    Malformed { line: usize, reason: String },
    /// A file that cannot be read.
    Unreadable { path: String, reason: String },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Changed(p) => write!(f, "{p}: changed (SHA-256 differs from the manifest)"),
            Problem::Missing(p) => write!(f, "{p}: listed in the manifest but missing"),
            Problem::Unlisted(p) => write!(f, "{p}: not listed in the manifest"),
            Problem::NotAFile(p) => write!(f, "{p}: listed in the manifest but not a regular file"),
            Problem::ThroughLink { path, link } => write!(
                f,
                "{path}: listed in the manifest but its path goes through the link {link} (a bundle holds no links)"
            ),
            Problem::CoreNotListed(p) => write!(
                f,
                "{p}: not listed in the manifest, yet every bundle has it"
            ),
            Problem::Malformed { line, reason } => write!(f, "{MANIFEST} line {line}: {reason}"),
            Problem::Unreadable { path, reason } => write!(f, "{path}: cannot be read: {reason}"),
        }
    }
}

/// What [`verify`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verification {
    /// Files the manifest lists.
    pub listed: usize,
    /// Every mismatch: in manifest order, then core files not listed, entries that cannot be
    /// read, and unlisted files by path; empty when the bundle verifies.
    pub problems: Vec<Problem>,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The SHA-256 of a file, lower-case hex, read in blocks (bundles hold large files).
pub fn sha256_file(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// Every file below `dir` except the manifest, by its path relative to `dir` with `/`
/// separators, sorted bytewise (the manifest's order). Links and other non-files are an
/// error: a bundle must not point outside itself.
fn bundle_files(dir: &Path) -> Result<BTreeMap<String, PathBuf>, EvidenceError> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false).min_depth(1) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            EvidenceError::Io {
                path,
                source: e.into(),
            }
        })?;
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        let relative = relative_name(dir, entry.path())?;
        if !ft.is_file() {
            return Err(EvidenceError::NotAFile {
                path: entry.path().to_path_buf(),
            });
        }
        if relative != MANIFEST {
            files.insert(relative, entry.path().to_path_buf());
        }
    }
    Ok(files)
}

fn relative_name(dir: &Path, path: &Path) -> Result<String, EvidenceError> {
    let unlistable = || EvidenceError::Unlistable {
        path: path.to_path_buf(),
    };
    let rel = path.strip_prefix(dir).map_err(|_| unlistable())?;
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_str().ok_or_else(unlistable)?),
            _ => return Err(unlistable()),
        }
    }
    let name = parts.join("/");
    if name.contains(['\n', '\r', '\\']) {
        return Err(unlistable());
    }
    Ok(name)
}

/// Writes `dir/MANIFEST.sha256`: one line `<sha256>  <path>` per file below `dir`, sorted by
/// path. Returns the number of files listed.
pub fn write_manifest(dir: &Path) -> Result<usize, EvidenceError> {
    let files = bundle_files(dir)?;
    let mut text = String::with_capacity(files.len() * 100);
    for (name, path) in &files {
        let digest = sha256_file(path).map_err(io_error(path))?;
        let _ = writeln!(text, "{digest}  {name}");
    }
    let manifest = dir.join(MANIFEST);
    std::fs::write(&manifest, text).map_err(io_error(&manifest))?;
    Ok(files.len())
}

/// A manifest path that stays inside the bundle: relative, no `.` or `..`, no empty parts.
fn safe_path(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("no path".into());
    }
    if name.starts_with('/') || name.contains('\\') {
        return Err(format!("{name:?} is not a relative path inside the bundle"));
    }
    if name
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return Err(format!("{name:?} is not a relative path inside the bundle"));
    }
    if name == MANIFEST {
        return Err(format!("{MANIFEST} cannot list itself"));
    }
    Ok(())
}

/// One manifest line: 64 hex digits, two spaces (or a space and `*`, `sha256sum`'s binary
/// mark), the path.
fn parse_line(line: &str) -> Result<(String, &str), String> {
    let (digest, rest) = line
        .split_at_checked(64)
        .ok_or_else(|| "expected `<sha256>  <path>`".to_string())?;
    if !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("expected `<sha256>  <path>`: the digest is not 64 hex digits".into());
    }
    let name = rest
        .strip_prefix("  ")
        .or_else(|| rest.strip_prefix(" *"))
        .ok_or_else(|| "expected two spaces between the digest and the path".to_string())?;
    safe_path(name)?;
    Ok((digest.to_ascii_lowercase(), name))
}

/// What a walk of the bundle that follows no link finds, by path relative to the bundle.
#[derive(Default)]
struct Found {
    /// Regular files (the manifest among them).
    files: BTreeMap<String, PathBuf>,
    folders: BTreeSet<String>,
    /// Links, devices and anything else that is neither a file nor a folder.
    others: BTreeSet<String>,
}

impl Found {
    /// The link (or device) a listed name goes through on its way to the file, if any: the
    /// walk does not enter links, so a file behind one is outside what the bundle holds.
    fn crossing<'a>(&self, name: &'a str) -> Option<&'a str> {
        name.match_indices('/')
            .map(|(i, _)| &name[..i])
            .find(|prefix| self.others.contains(*prefix))
    }
}

/// Walks `dir` once, following no link. Entries that cannot be read or named are problems.
fn walk(dir: &Path, problems: &mut Vec<Problem>) -> Found {
    let mut found = Found::default();
    for entry in walkdir::WalkDir::new(dir).follow_links(false).min_depth(1) {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(Problem::Unreadable {
                    path: e
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let name = match relative_name(dir, entry.path()) {
            Ok(n) => n,
            // Never listable, so never listed: reported as unlisted under its full path.
            Err(_) => entry.path().display().to_string(),
        };
        let ft = entry.file_type();
        if ft.is_dir() {
            found.folders.insert(name);
        } else if ft.is_file() {
            found.files.insert(name, entry.path().to_path_buf());
        } else {
            found.others.insert(name);
        }
    }
    found
}

/// Checks the bundle in `dir` against its manifest. An error means `dir` is not a bundle at
/// all (no folder, no manifest); a bundle that does not match comes back with its
/// [`Problem`]s. The bundle is walked once without following links, and only the regular
/// files found are read, so no manifest line can make it read a file outside the bundle.
pub fn verify(dir: &Path) -> Result<Verification, EvidenceError> {
    let meta = std::fs::metadata(dir).map_err(io_error(dir))?;
    if !meta.is_dir() {
        return Err(EvidenceError::NotAFolder(dir.to_path_buf()));
    }
    let manifest_path = dir.join(MANIFEST);
    match std::fs::symlink_metadata(&manifest_path) {
        Ok(m) if m.is_file() => {}
        Ok(_) => {
            return Err(EvidenceError::NotAFile {
                path: manifest_path,
            })
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(EvidenceError::NoManifest(dir.to_path_buf()))
        }
        Err(e) => return Err(io_error(&manifest_path)(e)),
    }
    let mut out = Verification::default();
    let mut raw = Vec::new();
    File::open(&manifest_path)
        .and_then(|f| f.take(MAX_MANIFEST_BYTES + 1).read_to_end(&mut raw))
        .map_err(io_error(&manifest_path))?;
    if raw.len() as u64 > MAX_MANIFEST_BYTES {
        out.problems.push(Problem::Malformed {
            line: 0,
            reason: format!("longer than {MAX_MANIFEST_BYTES} bytes"),
        });
        return Ok(out);
    }
    let Ok(text) = String::from_utf8(raw) else {
        out.problems.push(Problem::Malformed {
            line: 0,
            reason: "not UTF-8".into(),
        });
        return Ok(out);
    };
    let mut walk_problems = Vec::new();
    let found = walk(dir, &mut walk_problems);
    let mut listed = BTreeSet::new();
    let lines: Vec<&str> = match text.strip_suffix('\n') {
        Some(body) => body.split('\n').collect(),
        None if text.is_empty() => Vec::new(),
        None => {
            out.problems.push(Problem::Malformed {
                line: text.split('\n').count(),
                reason: "the last line does not end with a line break".into(),
            });
            text.split('\n').collect()
        }
    };
    for (i, line) in lines.iter().enumerate() {
        let (digest, name) = match parse_line(line) {
            Ok(x) => x,
            Err(reason) => {
                out.problems.push(Problem::Malformed {
                    line: i + 1,
                    reason,
                });
                continue;
            }
        };
        if !listed.insert(name.to_string()) {
            out.problems.push(Problem::Malformed {
                line: i + 1,
                reason: format!("{name} is listed twice"),
            });
            continue;
        }
        out.listed += 1;
        let Some(path) = found.files.get(name) else {
            let problem = if let Some(link) = found.crossing(name) {
                Problem::ThroughLink {
                    path: name.into(),
                    link: link.into(),
                }
            } else if found.others.contains(name) || found.folders.contains(name) {
                Problem::NotAFile(name.into())
            } else {
                Problem::Missing(name.into())
            };
            out.problems.push(problem);
            continue;
        };
        match sha256_file(path) {
            Ok(actual) if actual == digest => {}
            Ok(_) => out.problems.push(Problem::Changed(name.into())),
            Err(e) => out.problems.push(Problem::Unreadable {
                path: name.into(),
                reason: e.to_string(),
            }),
        }
    }
    // A manifest that drops a file the run always writes (with its line) would otherwise
    // verify: an empty manifest of an emptied bundle most of all.
    for core in CORE_FILES {
        if !listed.contains(core) {
            out.problems.push(Problem::CoreNotListed(core.into()));
        }
    }
    out.problems.extend(walk_problems);
    // Whatever else is there: files not listed, and links or devices (never listed).
    for name in found.files.keys().chain(&found.others) {
        if name != MANIFEST && !listed.contains(name) {
            out.problems.push(Problem::Unlisted(name.clone()));
        }
    }
    Ok(out)
}

/// A scenario's traffic file: a few `#` lines naming the scenario and its outcome, then its
/// frames as the JUnit `system-out` shows them (a line per frame, its hex indented below).
pub fn traffic_file(result: &ScenarioResult) -> String {
    let one_line = |s: &str| s.replace(['\r', '\n'], " ");
    let mut out = String::new();
    let _ = writeln!(out, "# scenario: {}", one_line(&result.name));
    let _ = writeln!(out, "# location: {}", one_line(&result.location()));
    let outcome = match &result.outcome {
        Outcome::Passed => "passed".to_string(),
        Outcome::Failed(f) => format!("failed: {}: {}", f.kind, one_line(&f.message)),
        Outcome::NotApplicable { reason } => format!("not applicable: {}", one_line(reason)),
        Outcome::NotRun { reason } => format!("not run: {}", one_line(reason)),
    };
    let _ = writeln!(out, "# outcome: {outcome}");
    let _ = writeln!(out, "# frames: {}", result.traffic.len());
    out.push_str(&super::junit::traffic_text(&result.traffic));
    out
}

/// A file name for a scenario's traffic: its feature file's name, line and scenario name,
/// lower case, `[a-z0-9-]` only, cut to leave room for a dash and 8 hex digits of the
/// SHA-256 of its location (`file:line`, the file's whole path), at most 120 characters in
/// all. The digest tells apart scenarios whose readable part is alike (same file name and
/// line in two folders, names cut short), and depends on nothing but the scenario, so the
/// name is the same run to run. Two results at one location get one name: the caller
/// numbers repeats.
pub fn slug(result: &ScenarioResult) -> String {
    const MAX: usize = 120;
    const DIGEST: usize = 8;
    let file = Path::new(&result.feature)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let line = result.line.map(|l| l.to_string()).unwrap_or_default();
    let raw = format!("{file}-{line}-{}", result.name);
    let mut out = String::with_capacity(MAX);
    for c in raw.chars() {
        if out.len() >= MAX - DIGEST - 1 {
            break;
        }
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        out.push_str("scenario");
    }
    let digest = Sha256::digest(result.location().as_bytes());
    out.push('-');
    out.push_str(&hex::encode(&digest[..DIGEST / 2]));
    out
}

/// Whether a setting's name says it holds a secret or points at key material.
pub fn is_secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "secret",
        "password",
        "passwd",
        "token",
        "key",
        "credential",
        "private",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// A TOML profile with every setting (or table) whose name says it is secret or key
/// material replaced by [`ELIDED`], at any depth. Comments are not kept.
pub fn elide_profile(text: &str) -> Result<String, toml::de::Error> {
    let mut table: toml::Table = text.parse()?;
    elide_table(&mut table);
    Ok(toml::to_string(&table).unwrap_or_default())
}

fn elide_table(table: &mut toml::Table) {
    for (name, value) in table.iter_mut() {
        if is_secret_name(name) {
            *value = toml::Value::String(ELIDED.into());
        } else {
            elide_value(value);
        }
    }
}

fn elide_value(value: &mut toml::Value) {
    match value {
        toml::Value::Table(t) => elide_table(t),
        toml::Value::Array(items) => items.iter_mut().for_each(elide_value),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn tmp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "gbcs-evidence-{name}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("traffic")).unwrap();
        std::fs::write(dir.join("a.txt"), "alpha\n").unwrap();
        std::fs::write(dir.join("traffic/b.txt"), "beta\n").unwrap();
        for core in CORE_FILES {
            std::fs::write(dir.join(core), core).unwrap();
        }
        dir
    }

    /// `dir`'s manifest rewritten to the lines `keep` accepts.
    fn keep_lines(dir: &Path, keep: impl Fn(&str) -> bool) {
        let text = std::fs::read_to_string(dir.join(MANIFEST)).unwrap();
        let kept: String = text
            .lines()
            .filter(|l| keep(l))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(dir.join(MANIFEST), kept).unwrap();
    }

    #[test]
    fn a_written_manifest_verifies_and_lists_sorted_paths() {
        let dir = tmp("ok");
        assert_eq!(write_manifest(&dir).unwrap(), 7);
        let text = std::fs::read_to_string(dir.join(MANIFEST)).unwrap();
        let names: Vec<&str> = text.lines().map(|l| &l[66..]).collect();
        assert_eq!(
            names,
            [
                "a.txt",
                "harness.json",
                "index.html",
                "junit.xml",
                "profile.toml",
                "summary.json",
                "traffic/b.txt"
            ]
        );
        // `printf 'alpha\n' | sha256sum`
        assert!(text.starts_with(
            "b6a98d9ce9a2d9149288fa3df42d377c3e42737afdcdaf714e33c0a100b51060  a.txt\n"
        ));
        let v = verify(&dir).unwrap();
        assert!(v.ok(), "{:?}", v.problems);
        assert_eq!(v.listed, 7);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_hollowed_out_bundle_does_not_verify() {
        let dir = tmp("hollow");
        write_manifest(&dir).unwrap();
        // The JUnit report deleted together with its manifest line.
        std::fs::remove_file(dir.join("junit.xml")).unwrap();
        keep_lines(&dir, |l| !l.ends_with("  junit.xml"));
        let v = verify(&dir).unwrap();
        assert_eq!(v.problems, [Problem::CoreNotListed("junit.xml".into())]);
        assert!(v.problems[0].to_string().contains("every bundle has it"));
        // Everything deleted, the manifest emptied.
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                std::fs::remove_dir_all(p).unwrap();
            } else {
                std::fs::remove_file(p).unwrap();
            }
        }
        std::fs::write(dir.join(MANIFEST), "").unwrap();
        let v = verify(&dir).unwrap();
        let expected: Vec<Problem> = CORE_FILES
            .iter()
            .map(|c| Problem::CoreNotListed(c.to_string()))
            .collect();
        assert_eq!(v.problems, expected);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_listed_path_through_a_linked_folder_is_not_followed() {
        let dir = tmp("link");
        let outside = dir.with_extension("outside");
        let _ = std::fs::remove_dir_all(&outside);
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("passwd"), "root:x:0:0\n").unwrap();
        write_manifest(&dir).unwrap();
        // `x -> outside` and a manifest line with the right digest of the file behind it.
        std::os::unix::fs::symlink(&outside, dir.join("x")).unwrap();
        let digest = sha256_file(&outside.join("passwd")).unwrap();
        let mut text = std::fs::read_to_string(dir.join(MANIFEST)).unwrap();
        text.push_str(&format!("{digest}  x/passwd\n"));
        std::fs::write(dir.join(MANIFEST), text).unwrap();
        let v = verify(&dir).unwrap();
        assert_eq!(
            v.problems,
            [
                Problem::ThroughLink {
                    path: "x/passwd".into(),
                    link: "x".into()
                },
                Problem::Unlisted("x".into()),
            ]
        );
        assert!(v.problems[0]
            .to_string()
            .contains("goes through the link x"));
        std::fs::remove_dir_all(&dir).unwrap();
        std::fs::remove_dir_all(&outside).unwrap();
    }

    #[test]
    fn a_changed_missing_or_extra_file_is_named() {
        let dir = tmp("bad");
        write_manifest(&dir).unwrap();
        std::fs::write(dir.join("a.txt"), "alphb\n").unwrap();
        std::fs::remove_file(dir.join("traffic/b.txt")).unwrap();
        std::fs::write(dir.join("traffic/c.txt"), "new\n").unwrap();
        let v = verify(&dir).unwrap();
        assert_eq!(
            v.problems,
            [
                Problem::Changed("a.txt".into()),
                Problem::Missing("traffic/b.txt".into()),
                Problem::Unlisted("traffic/c.txt".into()),
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_manifest_cannot_point_outside_the_bundle() {
        let dir = tmp("escape");
        let digest = "0".repeat(64);
        std::fs::write(
            dir.join(MANIFEST),
            format!("{digest}  ../etc/passwd\n{digest}  /etc/passwd\n"),
        )
        .unwrap();
        let v = verify(&dir).unwrap();
        assert!(matches!(v.problems[0], Problem::Malformed { line: 1, .. }));
        assert!(matches!(v.problems[1], Problem::Malformed { line: 2, .. }));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_folder_without_a_manifest_is_not_a_bundle() {
        let dir = tmp("none");
        assert!(matches!(verify(&dir), Err(EvidenceError::NoManifest(_))));
        assert!(matches!(
            verify(&dir.join("a.txt")),
            Err(EvidenceError::NotAFolder(_))
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn secrets_and_key_material_are_elided_at_any_depth() {
        let text = "name = \"bench\"\ntarget = \"tcp://x:1\"\napi_token = \"t0k\"\n[keys]\nstore = \"/k\"\n[duis]\nkeys = \"/d\"\ncallback = \"127.0.0.1:9\"\n[[peers]]\npassword = \"p\"\nhost = \"h\"\n";
        let out = elide_profile(text).unwrap();
        for secret in ["t0k", "/k", "/d", "\"p\""] {
            assert!(!out.contains(secret), "{secret} left in:\n{out}");
        }
        for kept in ["bench", "tcp://x:1", "127.0.0.1:9", "host = \"h\""] {
            assert!(out.contains(kept), "{kept} lost:\n{out}");
        }
        assert_eq!(out.matches(ELIDED).count(), 4, "{out}");
    }

    #[test]
    fn slugs_are_plain_and_bounded() {
        let r = ScenarioResult {
            feature: "features/security/protection.feature".into(),
            line: Some(13),
            name: "A replayed command is discarded / <script> ✓".into(),
            use_case: None,
            service_request: None,
            device: None,
            tags: vec![],
            duration: Duration::ZERO,
            outcome: Outcome::Passed,
            traffic: vec![],
        };
        let s = slug(&r);
        let (readable, digest) = s.rsplit_once('-').unwrap();
        assert_eq!(
            readable,
            "protection-13-a-replayed-command-is-discarded-script"
        );
        assert_eq!(digest.len(), 8);
        assert!(s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
        // The same file name, line and scenario in another folder: another name, whichever
        // finishes first, and the same one every time.
        let twin = ScenarioResult {
            feature: "features/gas/protection.feature".into(),
            ..r.clone()
        };
        assert_ne!(slug(&twin), s);
        assert_eq!(slug(&twin), slug(&twin.clone()));
        // Names cut at the same place differ by their location.
        let long = ScenarioResult {
            name: "x".repeat(1000),
            ..r.clone()
        };
        let long_elsewhere = ScenarioResult {
            feature: "features/gas/protection.feature".into(),
            name: "x".repeat(999),
            ..r
        };
        assert!(slug(&long).len() <= 120);
        assert_ne!(slug(&long), slug(&long_elsewhere));
    }
}
