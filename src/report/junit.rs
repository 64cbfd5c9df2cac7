//! The JUnit XML writer: one testsuite per feature, one testcase per scenario, rewritten
//! atomically after every scenario.
//!
//! Each testcase carries its feature file and line (`file`, `line`), the scenario's line
//! traffic in `<system-out>` (passing scenarios too), and a failure as `<failure>` when the
//! target failed the test or `<error>` when the harness could not test
//! ([`FailureKind::is_error`](super::FailureKind::is_error)). Each testsuite has `timestamp`
//! and `hostname`; the root has the totals, `skipped` included. `docs/junit.md` lists where
//! this differs from the strict Jenkins schema.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::xml::{self, Element, Node};
use super::{Outcome, ScenarioResult, TrafficLine};

/// Properties written on every testsuite: what was tested, with what, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct SuiteProperties {
    /// The system under test (simulator address, device name, ...).
    pub target: String,
    /// The test profile used.
    pub profile: String,
    pub harness_version: String,
    /// The harness commit. Not discovered at build time: that needs a build script and
    /// `.git` access, which fail in source tarballs and worktrees. The build may set
    /// `GBCS_HARNESS_COMMIT`, or the runner may fill this in.
    pub commit: Option<String>,
    /// The machine the run is on: the testsuites' `hostname`.
    pub hostname: String,
    /// A head-end under test: its name and version, from the profile's `[head_end]`.
    pub head_end: Option<(String, String)>,
}

impl SuiteProperties {
    pub fn new(target: impl Into<String>, profile: impl Into<String>) -> Self {
        SuiteProperties {
            target: target.into(),
            profile: profile.into(),
            harness_version: env!("CARGO_PKG_VERSION").to_string(),
            commit: option_env!("GBCS_HARNESS_COMMIT").map(str::to_string),
            hostname: hostname(),
            head_end: None,
        }
    }
}

/// This machine's name: the kernel's, else `$HOSTNAME`, else `localhost` (a report is
/// written whether or not the name can be found).
fn hostname() -> String {
    fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

/// Writes the JUnit report incrementally. Every call that changes the report rewrites the
/// whole file through a temporary file and a rename, so the file on disk is always a
/// complete document: a run killed half-way still leaves valid evidence of what it did.
#[derive(Debug)]
pub struct JunitWriter {
    path: PathBuf,
    props: SuiteProperties,
    firmware_version: Option<String>,
    /// Features in first-seen order, each with its scenarios in run order.
    suites: Vec<(String, Vec<ScenarioResult>)>,
    /// When each suite started: its first scenario's start, as far as the writer knows it.
    started: Vec<SystemTime>,
    /// Each suite as last rendered (its count attributes and text), `None` when it changed
    /// since: rewriting the file after every scenario stays linear in the report's size.
    rendered: Vec<Option<(Element, String)>>,
}

impl JunitWriter {
    /// Creates the writer and writes an empty report at once, so a run that dies before its
    /// first scenario still leaves a valid (empty) file rather than a stale one.
    pub fn new(path: impl Into<PathBuf>, props: SuiteProperties) -> io::Result<Self> {
        let mut w = JunitWriter {
            path: path.into(),
            props,
            firmware_version: None,
            suites: Vec::new(),
            started: Vec::new(),
            rendered: Vec::new(),
        };
        remove_stale_temporaries(&w.path);
        w.flush()?;
        Ok(w)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends a scenario result and rewrites the file.
    pub fn record(&mut self, result: ScenarioResult) -> io::Result<()> {
        match self.suites.iter().position(|(f, _)| *f == result.feature) {
            Some(i) => {
                self.suites[i].1.push(result);
                self.rendered[i] = None;
            }
            None => {
                let now = SystemTime::now();
                self.started
                    .push(now.checked_sub(result.duration).unwrap_or(now));
                self.suites.push((result.feature.clone(), vec![result]));
                self.rendered.push(None);
            }
        }
        self.flush()
    }

    /// Records the device firmware version once a scenario has read it; it becomes a suite
    /// property of every testsuite, since the whole run is against one device.
    pub fn set_firmware_version(&mut self, version: impl Into<String>) -> io::Result<()> {
        self.firmware_version = Some(version.into());
        // A suite property of every suite.
        self.rendered.iter_mut().for_each(|r| *r = None);
        self.flush()
    }

    /// The report as it stands, as an XML document.
    pub fn to_xml(&self) -> String {
        let suites = self
            .suites
            .iter()
            .enumerate()
            .map(|(i, (feature, results))| self.suite(i, feature, results))
            .collect();
        testsuites(suites).to_document()
    }

    fn flush(&mut self) -> io::Result<()> {
        for (i, (feature, results)) in self.suites.iter().enumerate() {
            if self.rendered[i].is_none() {
                let suite = self.suite(i, feature, results);
                let text = suite.render_at(1);
                let mut counts = suite;
                counts.children.clear();
                self.rendered[i] = Some((counts, text));
            }
        }
        let counts: Vec<Element> = self
            .rendered
            .iter()
            .flatten()
            .map(|(c, _)| c.clone())
            .collect();
        let mut root = testsuites(counts);
        root.children = self
            .rendered
            .iter()
            .flatten()
            .map(|(_, text)| Node::Rendered(text.clone()))
            .collect();
        write_atomically(&self.path, &root.to_document())
    }

    fn suite(&self, index: usize, feature: &str, results: &[ScenarioResult]) -> Element {
        let mut props = vec![
            ("target", self.props.target.clone()),
            ("profile", self.props.profile.clone()),
            ("harness_version", self.props.harness_version.clone()),
        ];
        if let Some(c) = &self.props.commit {
            props.push(("commit", c.clone()));
        }
        if let Some(v) = &self.firmware_version {
            props.push(("firmware_version", v.clone()));
        }
        if let Some((name, version)) = &self.props.head_end {
            props.push(("head_end", name.clone()));
            props.push(("head_end_version", version.clone()));
        }
        let started = self
            .started
            .get(index)
            .copied()
            .unwrap_or_else(SystemTime::now);
        let mut suite = Element::new("testsuite")
            .attr("name", feature)
            .child(properties(&props));
        for r in results {
            suite = suite.child(testcase(r));
        }
        set_suite_counts(&mut suite);
        // After the counts, so the attributes read name, counts, time, then these.
        suite.set_attr("timestamp", suite_timestamp(started));
        suite.set_attr("hostname", &self.props.hostname);
        suite
    }
}

/// A testsuite's `timestamp`: UTC, to the second, without a zone designator. The Ant and
/// Jenkins schemas take exactly `YYYY-MM-DDTHH:MM:SS` ("timezone may not be specified"),
/// so the `Z` and milliseconds of [`utc_timestamp`](super::utc_timestamp) are dropped.
fn suite_timestamp(t: SystemTime) -> String {
    let full = super::utc_timestamp(t);
    full.get(..19).unwrap_or(&full).to_string()
}

/// The root element with its totals computed from the suites.
pub(crate) fn testsuites(suites: Vec<Element>) -> Element {
    let mut root = Element::new("testsuites").attr("name", "gbcs-harness");
    let (mut tests, mut failures, mut errors, mut skipped, mut time) = (0, 0, 0, 0, 0.0);
    for s in &suites {
        let n = |k| {
            s.get_attr(k)
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0)
        };
        tests += n("tests");
        failures += n("failures");
        errors += n("errors");
        skipped += n("skipped");
        time += s
            .get_attr("time")
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0);
    }
    root.set_attr("tests", tests.to_string());
    root.set_attr("failures", failures.to_string());
    root.set_attr("errors", errors.to_string());
    root.set_attr("skipped", skipped.to_string());
    root.set_attr("time", format!("{time:.3}"));
    for s in suites {
        root = root.child(s);
    }
    root
}

/// Sets a testsuite's count attributes from its testcases. Used by the writer and by merge,
/// so the counts always agree with the testcases actually present.
pub(crate) fn set_suite_counts(suite: &mut Element) {
    let (mut tests, mut failures, mut errors, mut skipped, mut time) = (0, 0, 0, 0, 0.0);
    for tc in suite.elements().filter(|e| e.name == "testcase") {
        tests += 1;
        let has = |n: &str| tc.elements().any(|e| e.name == n);
        if has("failure") {
            failures += 1;
        } else if has("error") {
            errors += 1;
        } else if has("skipped") {
            skipped += 1;
        }
        time += tc
            .get_attr("time")
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0);
    }
    suite.set_attr("tests", tests.to_string());
    suite.set_attr("failures", failures.to_string());
    suite.set_attr("errors", errors.to_string());
    suite.set_attr("skipped", skipped.to_string());
    suite.set_attr("time", format!("{time:.3}"));
}

fn properties(props: &[(&str, String)]) -> Element {
    props.iter().fold(Element::new("properties"), |p, (k, v)| {
        p.child(Element::new("property").attr("name", *k).attr("value", v))
    })
}

fn seconds(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64())
}

/// Folds a message onto one line: JUnit viewers show `message` as a single-line summary.
fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" | ")
}

fn testcase(r: &ScenarioResult) -> Element {
    let mut tc = Element::new("testcase")
        .attr("name", &r.name)
        .attr("classname", &r.feature)
        .attr("time", seconds(r.duration))
        .attr("file", &r.feature);
    if let Some(line) = r.line {
        tc = tc.attr("line", line.to_string());
    }

    let mut props = Vec::new();
    for (k, v) in [
        ("use_case", &r.use_case),
        ("service_request", &r.service_request),
        ("device", &r.device),
    ] {
        if let Some(v) = v {
            props.push((k, v.clone()));
        }
    }
    // The DCC User role a head-end scenario acts as: its `@needs-user-ROLE` tag.
    if let Some(role) = r
        .tags
        .iter()
        .find_map(|t| t.trim_start_matches('@').strip_prefix("needs-user-"))
    {
        props.push(("user_role", role.to_string()));
    }
    if !r.tags.is_empty() {
        let tags: Vec<String> = r
            .tags
            .iter()
            .map(|t| {
                if t.starts_with('@') {
                    t.clone()
                } else {
                    format!("@{t}")
                }
            })
            .collect();
        props.push(("tags", tags.join(" ")));
    }
    // The common schema requires at least one <property> inside <properties>.
    if !props.is_empty() {
        tc = tc.child(properties(&props));
    }

    match &r.outcome {
        Outcome::Passed => {}
        Outcome::Failed(f) => {
            // A feature file that does not parse has no step.
            let mut text = if f.step.is_empty() {
                String::new()
            } else {
                format!("Step: {}\n", f.step)
            };
            if !f.details.is_empty() {
                text.push('\n');
                text.push_str(&f.details);
                if !f.details.ends_with('\n') {
                    text.push('\n');
                }
            }
            // The harness could not test: JUnit's "error", not a verdict on the target.
            let element = if f.kind.is_error() {
                "error"
            } else {
                "failure"
            };
            tc = tc.child(
                Element::new(element)
                    .attr("type", f.kind.name())
                    .attr("message", one_line(&f.message))
                    .text(text),
            );
        }
        Outcome::NotApplicable { reason } => {
            tc = tc.child(
                Element::new("skipped")
                    .attr("message", format!("not applicable: {}", one_line(reason))),
            );
        }
        Outcome::NotRun { reason } => {
            tc = tc.child(
                Element::new("skipped").attr("message", format!("not run: {}", one_line(reason))),
            );
        }
    }
    if !r.traffic.is_empty() {
        tc = tc.child(Element::new("system-out").text(traffic_text(&r.traffic)));
    }
    tc
}

/// The line traffic as a testcase's standard output: per frame one line `at direction
/// transport summary`, then its hex indented on the next.
pub fn traffic_text(traffic: &[TrafficLine]) -> String {
    let mut out = String::new();
    for t in traffic {
        out.push_str(&t.at);
        out.push(' ');
        out.push_str(t.direction.name());
        out.push(' ');
        out.push_str(&t.transport);
        out.push(' ');
        out.push_str(&one_line(&t.summary));
        out.push_str("\n    ");
        out.push_str(&t.hex);
        out.push('\n');
    }
    out
}

/// Writes `contents` to `path` by writing a temporary file in the same folder (so the rename
/// stays on one filesystem and is atomic) and renaming it over the target. Readers see the
/// old file or the new one, never a partial one.
pub(crate) fn write_atomically(path: &Path, contents: &str) -> io::Result<()> {
    let (dir, file_name) = folder_and_name(path)?;
    let tmp = dir.join(format!(
        "{}{}{TEMPORARY_SUFFIX}",
        temporary_prefix(file_name),
        std::process::id()
    ));

    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(contents.as_bytes())?;
        // Durable before it becomes visible: a crash after the rename must not leave an
        // empty file in place of the report.
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// The temporary copy of report `NAME` written by process PID is `.NAME.PID.tmp`.
const TEMPORARY_SUFFIX: &str = ".tmp";

fn temporary_prefix(file_name: &std::ffi::OsStr) -> String {
    format!(".{}.", file_name.to_string_lossy())
}

fn folder_and_name(path: &Path) -> io::Result<(&Path, &std::ffi::OsStr)> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let file_name = path.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "report path has no file name")
    })?;
    Ok((dir, file_name))
}

/// Removes the temporary copies of `path` left by processes that died while writing it
/// (killed outright, or a power cut). A copy whose process still runs belongs to another run
/// writing the same report at this moment: it stays. Best effort: a copy that cannot be
/// removed harms nothing but the folder's tidiness.
fn remove_stale_temporaries(path: &Path) {
    let Ok((dir, file_name)) = folder_and_name(path) else {
        return;
    };
    let prefix = temporary_prefix(file_name);
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name();
        let pid = name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|n| n.strip_suffix(TEMPORARY_SUFFIX))
            .and_then(|n| n.parse::<u32>().ok());
        if pid.is_some_and(|p| p != std::process::id() && !process_exists(p)) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether a process runs with this id: it has an entry in `/proc`.
#[cfg(target_os = "linux")]
fn process_exists(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

/// Without `/proc`, every writer is taken to be alive: nothing is removed.
#[cfg(not(target_os = "linux"))]
fn process_exists(_pid: u32) -> bool {
    true
}

/// Whether a report parses, as `report merge` would read it (the same parser and nesting
/// limit; merge calls the parser itself, for the tree); exposed for tests of the generated
/// files.
pub fn parse_report(doc: &str) -> Result<(), String> {
    xml::parse(doc).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Failure, FailureKind};

    fn scenario(feature: &str, name: &str, outcome: Outcome) -> ScenarioResult {
        ScenarioResult {
            feature: feature.into(),
            line: Some(7),
            name: name.into(),
            use_case: Some("ECS17b".into()),
            service_request: Some("4.1.1".into()),
            device: Some("ESME".into()),
            tags: vec!["smoke".into(), "@ECS17b".into()],
            duration: Duration::from_millis(1234),
            outcome,
            traffic: Vec::new(),
        }
    }

    fn tmpdir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("gbcs-report-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn the_file_rewritten_suite_by_suite_is_the_whole_report() {
        let dir = tmpdir("cache");
        let path = dir.join("junit.xml");
        let mut w = JunitWriter::new(&path, SuiteProperties::new("sim://", "default")).unwrap();
        for (i, feature) in [
            "a.feature",
            "b.feature",
            "a.feature",
            "c.feature",
            "b.feature",
        ]
        .iter()
        .enumerate()
        {
            w.record(scenario(feature, &format!("s{i}"), Outcome::Passed))
                .unwrap();
            assert_eq!(fs::read_to_string(&path).unwrap(), w.to_xml());
        }
        w.set_firmware_version("0100A000").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), w.to_xml());
        assert!(w.to_xml().matches("firmware_version").count() == 3);
    }

    #[test]
    fn writes_suites_cases_properties_and_outcomes() {
        let dir = tmpdir("unit");
        let path = dir.join("junit.xml");
        let mut props = SuiteProperties::new("sim:127.0.0.1:7000", "smets2");
        props.commit = Some("abc123".into());
        let mut w = JunitWriter::new(&path, props).unwrap();
        assert!(fs::read_to_string(&path).unwrap().contains("<testsuites"));

        w.record(scenario("Read", "passes", Outcome::Passed))
            .unwrap();
        w.record(scenario(
            "Read",
            "fails",
            Outcome::Failed(Failure {
                kind: FailureKind::Mac,
                step: "Then the MAC verifies".into(),
                message: "MAC mismatch\nsecond line".into(),
                details: "expected: 00 11\nactual:   00 12".into(),
            }),
        ))
        .unwrap();
        w.record(scenario(
            "Other",
            "n/a",
            Outcome::NotApplicable {
                reason: "SMETS1 only".into(),
            },
        ))
        .unwrap();
        w.set_firmware_version("1.2.3").unwrap();

        let doc = fs::read_to_string(&path).unwrap();
        let root = xml::parse(&doc).unwrap();
        assert_eq!(root.get_attr("tests"), Some("3"));
        assert_eq!(root.get_attr("failures"), Some("1"));
        let suites: Vec<_> = root.elements().collect();
        assert_eq!(suites.len(), 2);
        assert_eq!(suites[0].get_attr("name"), Some("Read"));
        assert_eq!(suites[0].get_attr("tests"), Some("2"));
        assert_eq!(suites[0].get_attr("time"), Some("2.468"));
        assert_eq!(suites[1].get_attr("skipped"), Some("1"));
        assert!(doc.contains(r#"<property name="firmware_version" value="1.2.3"/>"#));
        assert!(doc.contains(r#"<property name="commit" value="abc123"/>"#));
        assert!(doc.contains(r#"<property name="tags" value="@smoke @ECS17b"/>"#));
        assert!(doc.contains(r#"<property name="use_case" value="ECS17b"/>"#));
        assert!(doc.contains(
            r#"<failure type="mac" message="MAC mismatch | second line">Step: Then the MAC verifies"#
        ));
        assert!(doc.contains("actual:   00 12\n</failure>"));
        assert!(doc.contains(r#"<skipped message="not applicable: SMETS1 only"/>"#));
        // No temporary file is left behind.
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_head_end_run_names_the_head_end_and_each_scenario_its_user_role() {
        let mut props = SuiteProperties::new("head-end:he", "head-end");
        props.head_end = Some(("Acme HES".into(), "2.4".into()));
        let dir = tmpdir("head-end");
        let mut w = JunitWriter::new(dir.join("junit.xml"), props).unwrap();
        let mut result = scenario("he.feature", "reads", Outcome::Passed);
        result.tags = vec!["@SR4.1.1".into(), "@needs-user-IS".into()];
        w.record(result).unwrap();
        w.record(scenario("he.feature", "no role", Outcome::Passed))
            .unwrap();
        let doc = w.to_xml();
        assert!(doc.contains(r#"<property name="head_end" value="Acme HES"/>"#));
        assert!(doc.contains(r#"<property name="head_end_version" value="2.4"/>"#));
        assert_eq!(
            doc.matches(r#"<property name="user_role" value="IS"/>"#)
                .count(),
            1
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn opening_removes_the_temporary_copies_of_dead_writers_only() {
        let dir = tmpdir("stale");
        let path = dir.join("junit.xml");
        let dead = {
            let mut child = std::process::Command::new("true").spawn().unwrap();
            child.wait().unwrap();
            child.id()
        };
        let tmp = |pid: u32| dir.join(format!(".junit.xml.{pid}.tmp"));
        // Process 1 (init) always runs; other names are not the writer's.
        let kept = [
            tmp(1),
            dir.join(format!(".other.xml.{dead}.tmp")),
            dir.join(".junit.xml.x.tmp"),
        ];
        for f in kept.iter().chain([&tmp(dead)]) {
            fs::write(f, "<testsuites").unwrap();
        }
        JunitWriter::new(&path, SuiteProperties::new("sim://", "default")).unwrap();
        assert!(!tmp(dead).exists());
        for f in &kept {
            assert!(f.exists(), "{}", f.display());
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn one_line_folds_breaks() {
        assert_eq!(one_line("a\r\n\n  b  \nc"), "a | b | c");
        assert_eq!(one_line("plain"), "plain");
    }
}
