//! `report merge`: combines the JUnit reports, and the JSON summaries, from shards of one run
//! into one report and one summary.
//!
//! A shard given twice (the same file twice, or two files with the same bytes) is refused:
//! its tests would count twice. So is a shard that is the output itself (the merge would
//! replace it) and one larger than [`MAX_SHARD_BYTES`]. The output folder is created when
//! missing.

use std::fs::{self, File};
use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::junit::{set_suite_counts, testsuites, write_atomically};
use super::xml::{self, Element, Node};

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("{path}: {err}", path = .0.display(), err = .1)]
    Io(PathBuf, std::io::Error),
    #[error("{path}: not a valid JUnit report: {err}", path = .0.display(), err = .1)]
    Parse(PathBuf, String),
    #[error("{path}: not a gbcs-harness JSON summary: {err}", path = .0.display(), err = .1)]
    Summary(PathBuf, String),
    #[error("no input reports")]
    NoInputs,
    #[error("{}: larger than {} bytes, more than any shard's report", .path.display(), .limit)]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{}: it is the output of the merge too, which would replace it", .0.display())]
    InputIsOutput(PathBuf),
    #[error(
        "{} and {} are the same shard ({}): merged, its scenarios would count twice",
        .first.display(), .second.display(),
        if *.same_file { "the same file" } else { "the same content" }
    )]
    Duplicate {
        first: PathBuf,
        second: PathBuf,
        same_file: bool,
    },
    #[error(
        "{} has schema_version {}, {} has {}: summaries of different formats cannot be merged",
        .first.display(), .first_version, .second.display(), .second_version
    )]
    SchemaVersion {
        first: PathBuf,
        /// As JSON, or `none`.
        first_version: String,
        second: PathBuf,
        second_version: String,
    },
}

fn shown(v: Option<&Value>) -> String {
    v.map_or_else(|| "none".to_string(), Value::to_string)
}

/// What a merge produced, for the command to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeSummary {
    pub suites: usize,
    pub tests: u64,
    pub failures: u64,
    pub errors: u64,
}

/// A shard larger than this is refused: shards of a run are megabytes, and each is read
/// whole (and parsed) before the merge is written.
pub const MAX_SHARD_BYTES: u64 = 256 * 1024 * 1024;

/// A file's text, refused unread when its size is over `limit`, and read no further than
/// `limit` in case it grows (or is a device with no size).
fn read_limited(path: &Path, limit: u64) -> Result<String, MergeError> {
    let io = |e| MergeError::Io(path.to_path_buf(), e);
    let too_large = || MergeError::TooLarge {
        path: path.to_path_buf(),
        limit,
    };
    let file = File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > limit {
        return Err(too_large());
    }
    // `size` is checked against the limit above, so the capacity is bounded too.
    let mut raw = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut raw)
        .map_err(io)?;
    if raw.len() as u64 > limit {
        return Err(too_large());
    }
    String::from_utf8(raw).map_err(|_| {
        io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not UTF-8 text",
        ))
    })
}

/// Refuses an input that is `out` itself (when `out` exists): the merge would replace it.
/// The command checks each output against every input, of both merges, before writing.
pub fn refuse_output_as_input(out: &Path, inputs: &[PathBuf]) -> Result<(), MergeError> {
    let Ok(out_real) = fs::canonicalize(out) else {
        // No output yet, so no input can be it.
        return Ok(());
    };
    for input in inputs {
        if fs::canonicalize(input).is_ok_and(|real| real == out_real) {
            return Err(MergeError::InputIsOutput(input.clone()));
        }
    }
    Ok(())
}

/// Reads every input once, refusing one given twice: the same file, or the same bytes when
/// they hold a test (`has_tests`; two empty shards of a narrow selection are alike and
/// harmless); and one that is `out` itself.
fn read_shards(
    out: &Path,
    inputs: &[PathBuf],
    has_tests: impl Fn(&str) -> bool,
) -> Result<Vec<(PathBuf, String)>, MergeError> {
    if inputs.is_empty() {
        return Err(MergeError::NoInputs);
    }
    refuse_output_as_input(out, inputs)?;
    let mut seen: Vec<(PathBuf, PathBuf, [u8; 32])> = Vec::new();
    let mut shards = Vec::with_capacity(inputs.len());
    for input in inputs {
        let text = read_limited(input, MAX_SHARD_BYTES)?;
        let real = fs::canonicalize(input).map_err(|e| MergeError::Io(input.clone(), e))?;
        let hash: [u8; 32] = Sha256::digest(text.as_bytes()).into();
        let counts = has_tests(&text);
        if let Some((first, _, _)) = seen
            .iter()
            .find(|(_, r, h)| *r == real || (counts && *h == hash))
        {
            let same_file = seen.iter().any(|(f, r, _)| f == first && *r == real);
            return Err(MergeError::Duplicate {
                first: first.clone(),
                second: input.clone(),
                same_file,
            });
        }
        seen.push((input.clone(), real, hash));
        shards.push((input.clone(), text));
    }
    Ok(shards)
}

/// Creates the folder `out` goes in.
fn create_parent(out: &Path) -> Result<(), MergeError> {
    match out.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => fs::create_dir_all(dir).map_err(|e| MergeError::Io(dir.to_path_buf(), e)),
        None => Ok(()),
    }
}

/// Merges JUnit reports: testsuites with the same name become one (testcases appended in
/// input order, suite properties united), counts are recomputed from the testcases so they
/// are the shard sums and always agree with the content. The output is written atomically,
/// its folder created when missing.
pub fn merge(out: &Path, inputs: &[PathBuf]) -> Result<MergeSummary, MergeError> {
    let mut suites: Vec<Element> = Vec::new();
    for (input, text) in read_shards(out, inputs, |t| t.contains("<testcase"))? {
        let root = xml::parse(&text).map_err(|e| MergeError::Parse(input.clone(), e))?;
        let shard: Vec<Element> = match root.name.as_str() {
            "testsuites" => root
                .elements()
                .filter(|e| e.name == "testsuite")
                .cloned()
                .collect(),
            // Some tools write a single <testsuite> as the root.
            "testsuite" => vec![root],
            other => {
                return Err(MergeError::Parse(
                    input.clone(),
                    format!("root element is <{other}>, expected <testsuites> or <testsuite>"),
                ))
            }
        };
        for suite in shard {
            let name = suite.get_attr("name").unwrap_or_default().to_string();
            match suites
                .iter_mut()
                .find(|s| s.get_attr("name").unwrap_or_default() == name)
            {
                Some(existing) => absorb(existing, suite),
                None => suites.push(suite),
            }
        }
    }
    for s in &mut suites {
        set_suite_counts(s);
    }
    let root = testsuites(suites);
    let n = |k| {
        root.get_attr(k)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let summary = MergeSummary {
        suites: root.elements().count(),
        tests: n("tests"),
        failures: n("failures"),
        errors: n("errors"),
    };
    create_parent(out)?;
    write_atomically(out, &root.to_document()).map_err(|e| MergeError::Io(out.to_path_buf(), e))?;
    Ok(summary)
}

/// What a summary merge produced, for the command to print.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryMerge {
    pub scenarios: u64,
    pub passed: u64,
    pub failed: u64,
    pub not_applicable: u64,
    pub not_run: u64,
    pub exit_code: u64,
    /// Fields the shards disagree on that are not counters (the first shard's value is
    /// kept), e.g. two targets or two harness commits.
    pub differences: Vec<String>,
}

/// Top-level counters, summed across shards.
const COUNTERS: [&str; 6] = [
    "scenarios",
    "passed",
    "failed",
    "not_applicable",
    "not_run",
    "feature_errors",
];
/// Tables of counters by key (`{"ECS17b": {"passed": 2, ...}}`), summed key by key.
const TALLIES: [&str; 2] = ["by_use_case", "by_device"];
/// Lists concatenated in shard order.
const LISTS: [&str; 2] = ["failures", "not_run_scenarios"];

/// Merges JSON summaries of shards (`run --json`) as JSON objects, so fields this version
/// does not know are kept (the first shard's value). Counters, and the per-use-case and
/// per-device tallies, are summed; `duration_s` is the shards' total; failures and not-run
/// lists are concatenated; `results` are concatenated and sorted by location (file, then line
/// number) and name; `not_covered` is united; `exit_code` is recomputed as `run` computes it.
/// Summaries with different `schema_version`s (or one with and one without) are refused.
pub fn merge_summaries(out: &Path, inputs: &[PathBuf]) -> Result<SummaryMerge, MergeError> {
    let mut merged: Option<(PathBuf, Map<String, Value>)> = None;
    let mut differences = Vec::new();
    let has_tests = |t: &str| {
        serde_json::from_str::<Value>(t)
            .ok()
            .and_then(|v| v.get("scenarios").and_then(Value::as_u64))
            .is_some_and(|n| n > 0)
    };
    for (input, text) in read_shards(out, inputs, has_tests)? {
        let bad = |why: String| MergeError::Summary(input.clone(), why);
        let shard = match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(o)) => o,
            Ok(_) => return Err(bad("not a JSON object".into())),
            Err(e) => return Err(bad(e.to_string())),
        };
        for key in COUNTERS.iter().chain(["results"].iter()) {
            if !shard.contains_key(*key) {
                return Err(bad(format!("no `{key}`")));
            }
        }
        let Some((first, into)) = &mut merged else {
            merged = Some((input.clone(), shard));
            continue;
        };
        if into.get("schema_version") != shard.get("schema_version") {
            return Err(MergeError::SchemaVersion {
                first: first.clone(),
                first_version: shown(into.get("schema_version")),
                second: input.clone(),
                second_version: shown(shard.get("schema_version")),
            });
        }
        fold(into, shard, &mut differences).map_err(bad)?;
    }
    let (_, mut m) = merged.ok_or(MergeError::NoInputs)?;
    if let Some(Value::Array(results)) = m.get_mut("results") {
        results.sort_by_cached_key(result_key);
    }
    let count = |m: &Map<String, Value>, k: &str| m.get(k).and_then(Value::as_u64).unwrap_or(0);
    // As `run` computes it: a signal's status, else 1 when anything failed, was not run or did
    // not parse, or the deadline cut the run.
    let exit_code = match m.get("interrupted").and_then(Value::as_str) {
        Some("SIGINT") => 130,
        Some("SIGTERM") => 143,
        _ if count(&m, "failed") > 0
            || count(&m, "not_run") > 0
            || count(&m, "feature_errors") > 0
            || m.get("deadline_reached") == Some(&Value::Bool(true)) =>
        {
            1
        }
        _ => 0,
    };
    m.insert("exit_code".into(), Value::from(exit_code));
    let summary = SummaryMerge {
        scenarios: count(&m, "scenarios"),
        passed: count(&m, "passed"),
        failed: count(&m, "failed"),
        not_applicable: count(&m, "not_applicable"),
        not_run: count(&m, "not_run"),
        exit_code,
        differences,
    };
    let text = serde_json::to_string_pretty(&Value::Object(m))
        .map_err(|e| MergeError::Summary(out.to_path_buf(), e.to_string()))?;
    create_parent(out)?;
    write_atomically(out, &(text + "\n")).map_err(|e| MergeError::Io(out.to_path_buf(), e))?;
    Ok(summary)
}

/// Folds one shard's summary into the merged one.
fn fold(
    into: &mut Map<String, Value>,
    shard: Map<String, Value>,
    differences: &mut Vec<String>,
) -> Result<(), String> {
    for (key, value) in shard {
        let k = key.as_str();
        let Some(mine) = into.get_mut(k) else {
            into.insert(key, value);
            continue;
        };
        if COUNTERS.contains(&k) {
            *mine = Value::from(add(k, counter(k, mine)?, counter(k, &value)?)?);
        } else if k == "duration_s" {
            let total = mine.as_f64().unwrap_or(0.0) + value.as_f64().unwrap_or(0.0);
            if !total.is_finite() {
                return Err(format!("`{k}` sums to more than a number can hold"));
            }
            *mine = Value::from(total);
        } else if k == "deadline_reached" {
            *mine = Value::Bool(mine.as_bool() == Some(true) || value.as_bool() == Some(true));
        } else if k == "interrupted" {
            if mine.is_null() {
                *mine = value;
            }
        } else if TALLIES.contains(&k) {
            let (Value::Object(table), Value::Object(other)) = (&mut *mine, value) else {
                return Err(format!("`{k}` is not an object"));
            };
            for (name, tally) in other {
                match table.get_mut(&name) {
                    None => {
                        table.insert(name, tally);
                    }
                    Some(Value::Object(t)) => {
                        let Value::Object(o) = tally else {
                            return Err(format!("`{k}.{name}` is not an object"));
                        };
                        for (c, n) in o {
                            let field = format!("{k}.{name}.{c}");
                            let sum = add(
                                &field,
                                t.get(&c).map_or(Ok(0), |v| counter(&field, v))?,
                                counter(&field, &n)?,
                            )?;
                            t.insert(c, Value::from(sum));
                        }
                    }
                    Some(_) => return Err(format!("`{k}.{name}` is not an object")),
                }
            }
        } else if LISTS.contains(&k) || k == "results" || k == "not_covered" {
            let (Value::Array(list), Value::Array(more)) = (&mut *mine, value) else {
                return Err(format!("`{k}` is not a list"));
            };
            for item in more {
                // The SMETS1 services no vector exercises are the same in every shard.
                if k != "not_covered" || !list.contains(&item) {
                    list.push(item);
                }
            }
        } else if k == "exit_code" {
            // Recomputed once everything is folded.
        } else if *mine != value {
            differences.push(format!("{k}: kept {mine}, not {value}"));
        }
    }
    Ok(())
}

/// A counter's sum across shards; one past `u64::MAX` is an error rather than a wrap (or,
/// in a debug build, a panic).
fn add(key: &str, a: u64, b: u64) -> Result<u64, String> {
    a.checked_add(b).ok_or_else(|| {
        format!(
            "`{key}` overflows: the shards' sum is more than {}",
            u64::MAX
        )
    })
}

fn counter(key: &str, v: &Value) -> Result<u64, String> {
    v.as_u64()
        .ok_or_else(|| format!("`{key}` is {v}, not a count"))
}

/// Sort key of one result: its file, then its line as a number (`a:9` before `a:10`), then
/// its name. A location without a line sorts first in its file.
fn result_key(v: &Value) -> (String, u64, String) {
    let location = v.get("location").and_then(Value::as_str).unwrap_or("");
    let name = v
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    match location.rsplit_once(':') {
        Some((file, line)) if line.parse::<u64>().is_ok() => {
            (file.to_string(), line.parse().unwrap_or(0), name)
        }
        _ => (location.to_string(), 0, name),
    }
}

/// Folds `other` into `into`, keeping the schema's child order: properties, testcases,
/// system-out, system-err.
fn absorb(into: &mut Element, other: Element) {
    let mut props: Vec<Element> = Vec::new();
    let mut cases: Vec<Element> = Vec::new();
    let mut out: Vec<Element> = Vec::new();
    let mut err: Vec<Element> = Vec::new();
    let children = std::mem::take(&mut into.children)
        .into_iter()
        .chain(other.children);
    for c in children {
        let Node::Element(e) = c else { continue };
        match e.name.as_str() {
            "properties" => {
                for p in e.elements() {
                    // Identical properties (target, profile, version) appear once; differing
                    // values from different shards are all kept, so none is silently lost.
                    if !props.contains(p) {
                        props.push(p.clone());
                    }
                }
            }
            "testcase" => cases.push(e),
            "system-out" => out.push(e),
            "system-err" => err.push(e),
            _ => cases.push(e),
        }
    }
    if !props.is_empty() {
        into.children.push(Node::Element(Element {
            name: "properties".into(),
            attrs: Vec::new(),
            children: props.into_iter().map(Node::Element).collect(),
        }));
    }
    // The schema allows one system-out and one system-err per suite: join the shards' text.
    for parts in [out, err] {
        let mut joined: Option<Element> = None;
        for p in parts {
            match &mut joined {
                None => joined = Some(p),
                Some(j) => {
                    // One line break between shards' output so their last and first lines
                    // do not run together.
                    j.children.push(Node::Text("\n".into()));
                    j.children.extend(p.children);
                }
            }
        }
        cases.extend(joined);
    }
    into.children.extend(cases.into_iter().map(Node::Element));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_single_suite_roots_and_joins_output() {
        let dir = std::env::temp_dir().join(format!("gbcs-merge-unit-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let a = dir.join("a.xml");
        let b = dir.join("b.xml");
        fs::write(
            &a,
            r#"<testsuite name="A" tests="9"><testcase name="x" time="0.5"><failure type="mac">s</failure></testcase><system-out>out1</system-out></testsuite>"#,
        )
        .unwrap();
        fs::write(
            &b,
            r#"<testsuites><testsuite name="A" tests="1"><testcase name="y" time="0.25"><skipped/></testcase><system-out>out2</system-out></testsuite></testsuites>"#,
        )
        .unwrap();
        let out = dir.join("m.xml");
        let s = merge(&out, &[a.clone(), b.clone()]).unwrap();
        // Counts come from the testcases, not from the (wrong) `tests="9"` of the input.
        assert_eq!((s.suites, s.tests, s.failures), (1, 2, 1));
        let doc = fs::read_to_string(&out).unwrap();
        assert!(
            doc.contains("<system-out>out1\nout2</system-out>\n  </testsuite>"),
            "{doc}"
        );
        assert!(doc.contains(r#"skipped="1" time="0.750""#), "{doc}");

        fs::write(&b, "<html/>").unwrap();
        assert!(matches!(
            merge(&out, &[a.clone(), a.clone()]),
            Err(MergeError::Duplicate {
                same_file: true,
                ..
            })
        ));
        assert!(matches!(merge(&out, &[a, b]), Err(MergeError::Parse(..))));
        assert!(matches!(merge(&out, &[]), Err(MergeError::NoInputs)));
        fs::remove_dir_all(&dir).unwrap();
    }

    fn tmp(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("gbcs-merge-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_shard_over_the_limit_is_refused_naming_the_file() {
        let dir = tmp("limit");
        let small = dir.join("small.xml");
        fs::write(&small, "12345678").unwrap();
        assert_eq!(read_limited(&small, 8).unwrap(), "12345678");
        let err = read_limited(&small, 7).unwrap_err();
        assert!(matches!(&err, MergeError::TooLarge { path, limit: 7 } if *path == small));
        assert!(err.to_string().contains("small.xml"), "{err}");
        // A sparse file just over the real limit: refused by its size, never read.
        let huge = dir.join("huge.xml");
        File::create(&huge)
            .unwrap()
            .set_len(MAX_SHARD_BYTES + 1)
            .unwrap();
        let err = merge(&dir.join("m.xml"), std::slice::from_ref(&huge)).unwrap_err();
        assert!(
            matches!(&err, MergeError::TooLarge { path, .. } if *path == huge),
            "{err}"
        );
        assert!(
            err.to_string().contains(&MAX_SHARD_BYTES.to_string()),
            "{err}"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn counters_that_overflow_are_an_error_naming_the_field() {
        let shard = |n: u64| {
            serde_json::json!({
                "scenarios": n, "passed": n, "failed": 0, "not_applicable": 0, "not_run": 0,
                "feature_errors": 0, "results": [],
                "by_device": {"esme": {"passed": n}}
            })
        };
        let Value::Object(mut into) = shard(u64::MAX) else {
            unreachable!()
        };
        let Value::Object(more) = shard(1) else {
            unreachable!()
        };
        let err = fold(&mut into, more, &mut Vec::new()).unwrap_err();
        assert!(err.contains("`scenarios` overflows"), "{err}");

        let Value::Object(mut into) =
            serde_json::json!({"by_device": {"esme": {"passed": u64::MAX}}})
        else {
            unreachable!()
        };
        let Value::Object(more) = serde_json::json!({"by_device": {"esme": {"passed": 1}}}) else {
            unreachable!()
        };
        let err = fold(&mut into, more, &mut Vec::new()).unwrap_err();
        assert!(err.contains("`by_device.esme.passed` overflows"), "{err}");
    }

    #[test]
    fn an_input_that_is_the_output_is_refused() {
        let dir = tmp("self");
        let a = dir.join("a.xml");
        fs::write(
            &a,
            r#"<testsuites><testsuite name="A"><testcase name="x"/></testsuite></testsuites>"#,
        )
        .unwrap();
        let b = dir.join("b.xml");
        fs::write(
            &b,
            r#"<testsuites><testsuite name="A"><testcase name="y"/></testsuite></testsuites>"#,
        )
        .unwrap();
        // Through another spelling of the same path.
        let same = dir.join(".").join("a.xml");
        let err = merge(&same, &[b.clone(), a.clone()]).unwrap_err();
        assert!(
            matches!(&err, MergeError::InputIsOutput(p) if *p == a),
            "{err}"
        );
        assert!(fs::read_to_string(&a).unwrap().contains(r#"name="x""#));
        // An output that does not exist yet cannot be an input.
        assert!(merge(&dir.join("new.xml"), &[a, b]).is_ok());
        fs::remove_dir_all(&dir).unwrap();
    }
}
