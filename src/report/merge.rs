//! `report merge`: combines JUnit reports from shards of one run into one report.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use super::junit::{set_suite_counts, testsuites, write_atomically};
use super::xml::{self, Element, Node};

#[derive(Debug)]
pub enum MergeError {
    Io(PathBuf, std::io::Error),
    Parse(PathBuf, String),
    NoInputs,
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::Io(p, e) => write!(f, "{}: {e}", p.display()),
            MergeError::Parse(p, e) => write!(f, "{}: not a valid JUnit report: {e}", p.display()),
            MergeError::NoInputs => f.write_str("no input reports"),
        }
    }
}

impl std::error::Error for MergeError {}

/// What a merge produced, for the command to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeSummary {
    pub suites: usize,
    pub tests: u64,
    pub failures: u64,
    pub errors: u64,
}

/// Merges JUnit reports: testsuites with the same name become one (testcases appended in
/// input order, suite properties united), counts are recomputed from the testcases so they
/// are the shard sums and always agree with the content. The output is written atomically.
pub fn merge(out: &Path, inputs: &[PathBuf]) -> Result<MergeSummary, MergeError> {
    if inputs.is_empty() {
        return Err(MergeError::NoInputs);
    }
    let mut suites: Vec<Element> = Vec::new();
    for input in inputs {
        let text = fs::read_to_string(input).map_err(|e| MergeError::Io(input.clone(), e))?;
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
    write_atomically(out, &root.to_document()).map_err(|e| MergeError::Io(out.to_path_buf(), e))?;
    Ok(summary)
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
        assert!(matches!(merge(&out, &[a, b]), Err(MergeError::Parse(..))));
        assert!(matches!(merge(&out, &[]), Err(MergeError::NoInputs)));
        fs::remove_dir_all(&dir).unwrap();
    }
}
