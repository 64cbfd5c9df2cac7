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
                Some(j) => j.children.extend(p.children),
            }
        }
        cases.extend(joined);
    }
    into.children.extend(cases.into_iter().map(Node::Element));
}
