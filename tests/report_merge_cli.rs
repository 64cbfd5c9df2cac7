//! `gbcs-harness report merge`: JUnit reports and JSON summaries of shards become one of each;
//! the output folder is created; a shard given twice is refused (exit 2, one line) rather than
//! counted twice; summaries of different schema versions are refused.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_gbcs-harness");

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gbcs-merge-cli-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn harness(cwd: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("the harness binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn refused_in_one_line(o: &Output, says: &str) {
    assert_eq!(o.status.code(), Some(2), "{}", stderr(o));
    let e = stderr(o);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(e.contains(says), "{e}");
}

const SHARD_A: &str = r#"<testsuites><testsuite name="Read" tests="1"><testcase name="one" time="0.5"/></testsuite></testsuites>"#;
const SHARD_B: &str = r#"<testsuites><testsuite name="Read" tests="1"><testcase name="two" time="0.5"><failure type="mac" message="bad">x</failure></testcase></testsuite></testsuites>"#;

fn tally(p: u64, f: u64, na: u64, nr: u64) -> Value {
    json!({"passed": p, "failed": f, "not_applicable": na, "not_run": nr})
}

fn summary_a() -> Value {
    json!({
        "schema_version": 1,
        "harness_version": "0.1.0",
        "target": "sim://",
        "scenarios": 3, "passed": 2, "failed": 0, "not_applicable": 1, "not_run": 0,
        "feature_errors": 0,
        "duration_s": 1.5,
        "by_use_case": {"ECS17b": tally(2, 0, 0, 0), "GCS01a": tally(0, 0, 1, 0)},
        "by_device": {"esme": tally(2, 0, 0, 0), "gsme": tally(0, 0, 1, 0)},
        "not_covered": [{"service": "6.6", "title": "t", "reason": "r"}],
        "failures": [],
        "not_run_scenarios": [],
        "exit_code": 0,
        "lab_notes": {"kept": true},
        "results": [
            {"location": "features/b.feature:10", "name": "b10", "outcome": "passed"},
            {"location": "features/a.feature:10", "name": "a10", "outcome": "passed"},
            {"location": "features/gas.feature", "name": "na", "outcome": "not_applicable", "reason": "no GSME"}
        ]
    })
}

fn summary_b() -> Value {
    json!({
        "schema_version": 1,
        "harness_version": "0.1.0",
        "target": "sim://",
        "scenarios": 2, "passed": 1, "failed": 1, "not_applicable": 0, "not_run": 0,
        "feature_errors": 0,
        "duration_s": 2.0,
        "by_use_case": {"ECS17b": tally(1, 1, 0, 0)},
        "by_device": {"esme": tally(1, 1, 0, 0)},
        "not_covered": [{"service": "6.6", "title": "t", "reason": "r"}],
        "failures": ["features/a.feature:9 a9 — mac: bad"],
        "not_run_scenarios": [],
        "exit_code": 1,
        "results": [
            {"location": "features/a.feature:9", "name": "a9", "outcome": "failed", "failure": "mac: bad"},
            {"location": "features/a.feature:100", "name": "a100", "outcome": "passed"}
        ]
    })
}

fn write_json(path: &Path, v: &Value) {
    fs::write(path, serde_json::to_string_pretty(v).unwrap()).unwrap();
}

#[test]
fn merges_junit_and_summaries_into_a_new_folder() {
    let dir = scratch("both");
    fs::write(dir.join("junit-1.xml"), SHARD_A).unwrap();
    fs::write(dir.join("junit-2.xml"), SHARD_B).unwrap();
    write_json(&dir.join("summary-1.json"), &summary_a());
    write_json(&dir.join("summary-2.json"), &summary_b());
    let o = harness(
        &dir,
        &[
            "report",
            "merge",
            "out/deeper/junit.xml",
            "junit-1.xml",
            "junit-2.xml",
            "--json",
            "out/other/summary.json",
            "summary-1.json",
            "summary-2.json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("2 tests, 1 failures"), "{stdout}");
    assert!(
        stdout.contains("5 scenarios, 3 passed, 1 failed"),
        "{stdout}"
    );
    let junit = fs::read_to_string(dir.join("out/deeper/junit.xml")).unwrap();
    assert!(junit.contains(r#"tests="2" failures="1""#), "{junit}");

    let m: Value =
        serde_json::from_str(&fs::read_to_string(dir.join("out/other/summary.json")).unwrap())
            .unwrap();
    assert_eq!(
        (
            &m["scenarios"],
            &m["passed"],
            &m["failed"],
            &m["not_applicable"]
        ),
        (&json!(5), &json!(3), &json!(1), &json!(1))
    );
    assert_eq!(m["duration_s"], json!(3.5));
    assert_eq!(m["by_use_case"]["ECS17b"], tally(3, 1, 0, 0));
    assert_eq!(m["by_use_case"]["GCS01a"], tally(0, 0, 1, 0));
    assert_eq!(m["by_device"]["esme"], tally(3, 1, 0, 0));
    // Fields this version does not know, and identical ones, are kept.
    assert_eq!(m["schema_version"], json!(1));
    assert_eq!(m["harness_version"], json!("0.1.0"));
    assert_eq!(m["lab_notes"], json!({"kept": true}));
    assert_eq!(m["not_covered"].as_array().unwrap().len(), 1);
    assert_eq!(m["failures"], json!(["features/a.feature:9 a9 — mac: bad"]));
    // Sorted by file, then line as a number, then name.
    let order: Vec<&str> = m["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["a9", "a10", "a100", "b10", "na"]);
    // Recomputed: a failure in any shard fails the merged run.
    assert_eq!(m["exit_code"], json!(1));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn exit_code_is_recomputed_not_copied() {
    let dir = scratch("exit");
    let mut b = summary_b();
    b["failed"] = json!(0);
    b["passed"] = json!(2);
    b["by_use_case"]["ECS17b"] = tally(2, 0, 0, 0);
    b["failures"] = json!([]);
    b["exit_code"] = json!(1); // wrong on purpose: merge must not trust it
    write_json(&dir.join("a.json"), &summary_a());
    write_json(&dir.join("b.json"), &b);
    let o = harness(
        &dir,
        &["report", "merge", "--json", "m.json", "a.json", "b.json"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let m: Value = serde_json::from_str(&fs::read_to_string(dir.join("m.json")).unwrap()).unwrap();
    assert_eq!(m["exit_code"], json!(0));
    // A signal in one shard gives the merged run the signal's status.
    b["interrupted"] = json!("SIGTERM");
    write_json(&dir.join("b.json"), &b);
    let o = harness(
        &dir,
        &["report", "merge", "--json", "m.json", "a.json", "b.json"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let m: Value = serde_json::from_str(&fs::read_to_string(dir.join("m.json")).unwrap()).unwrap();
    assert_eq!(m["exit_code"], json!(143));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_shard_given_twice_is_refused() {
    let dir = scratch("twice");
    fs::write(dir.join("a.xml"), SHARD_A).unwrap();
    fs::write(dir.join("b.xml"), SHARD_B).unwrap();
    fs::write(dir.join("copy-of-a.xml"), SHARD_A).unwrap();
    // The same path twice (as a shell glob plus a name can give it).
    let o = harness(
        &dir,
        &["report", "merge", "m.xml", "a.xml", "b.xml", "./a.xml"],
    );
    refused_in_one_line(&o, "are the same shard (the same file)");
    assert!(!dir.join("m.xml").exists());
    // Another file with the same content (an artefact downloaded twice).
    let o = harness(
        &dir,
        &[
            "report",
            "merge",
            "m.xml",
            "a.xml",
            "b.xml",
            "copy-of-a.xml",
        ],
    );
    refused_in_one_line(&o, "are the same shard (the same content)");
    assert!(!dir.join("m.xml").exists());
    // Summaries too.
    write_json(&dir.join("s.json"), &summary_a());
    let o = harness(
        &dir,
        &["report", "merge", "--json", "m.json", "s.json", "s.json"],
    );
    refused_in_one_line(&o, "s.json and s.json are the same shard");
    assert!(!dir.join("m.json").exists());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_input_that_is_the_output_is_refused_and_left_alone() {
    let dir = scratch("self");
    fs::write(dir.join("a.xml"), SHARD_A).unwrap();
    fs::write(dir.join("b.xml"), SHARD_B).unwrap();
    // `merge a.xml a.xml b.xml` (the output named among the shards, e.g. by a glob).
    let o = harness(&dir, &["report", "merge", "a.xml", "./a.xml", "b.xml"]);
    refused_in_one_line(&o, "a.xml: it is the output of the merge too");
    assert_eq!(fs::read_to_string(dir.join("a.xml")).unwrap(), SHARD_A);
    // A summary shard that is the JUnit output: refused before the JUnit merge writes it.
    write_json(&dir.join("s.json"), &summary_a());
    let summary = fs::read_to_string(dir.join("s.json")).unwrap();
    let o = harness(
        &dir,
        &[
            "report", "merge", "s.json", "a.xml", "b.xml", "--json", "m.json", "s.json",
        ],
    );
    refused_in_one_line(&o, "s.json: it is the output of the merge too");
    assert_eq!(fs::read_to_string(dir.join("s.json")).unwrap(), summary);
    assert!(!dir.join("m.json").exists());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_deeply_nested_shard_is_refused_without_a_crash() {
    let dir = scratch("deep");
    fs::write(dir.join("a.xml"), SHARD_A).unwrap();
    let depth = 100_000;
    let deep = format!(
        "<testsuites><testsuite name=\"Read\"><testcase name=\"x\"><system-out>{}{}</system-out></testcase></testsuite></testsuites>",
        "<d>".repeat(depth),
        "</d>".repeat(depth)
    );
    fs::write(dir.join("deep.xml"), deep).unwrap();
    let o = harness(&dir, &["report", "merge", "m.xml", "a.xml", "deep.xml"]);
    refused_in_one_line(&o, "deep.xml: not a valid JUnit report");
    assert!(stderr(&o).contains("nested more than 32"), "{}", stderr(&o));
    assert!(!dir.join("m.xml").exists());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn summaries_of_different_schema_versions_are_refused() {
    let dir = scratch("schema");
    let mut b = summary_b();
    b["schema_version"] = json!(2);
    write_json(&dir.join("a.json"), &summary_a());
    write_json(&dir.join("b.json"), &b);
    let o = harness(
        &dir,
        &["report", "merge", "--json", "m.json", "a.json", "b.json"],
    );
    refused_in_one_line(&o, "schema_version 1, b.json has 2");
    // A summary without one (an older harness) is a different format too.
    b.as_object_mut().unwrap().remove("schema_version");
    write_json(&dir.join("b.json"), &b);
    let o = harness(
        &dir,
        &["report", "merge", "--json", "m.json", "a.json", "b.json"],
    );
    refused_in_one_line(&o, "b.json has none");
    assert!(!dir.join("m.json").exists());
    // Not a summary at all.
    fs::write(dir.join("c.json"), "[1, 2]").unwrap();
    let o = harness(
        &dir,
        &["report", "merge", "--json", "m.json", "a.json", "c.json"],
    );
    refused_in_one_line(&o, "c.json: not a gbcs-harness JSON summary");
    fs::remove_dir_all(&dir).unwrap();
}

/// Real shards of a real run merge into what one unsharded run reports.
#[test]
fn shards_of_a_run_merge_into_the_whole_run() {
    let dir = scratch("shards");
    let example =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples/supplier-reads-esme.feature");
    let example = example.to_str().unwrap();
    let vectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
    let vectors = vectors.to_str().unwrap();
    for i in 1..=2 {
        let shard = format!("{i}/2");
        let junit = format!("shards/junit-{i}.xml");
        let json = format!("shards/summary-{i}.json");
        let o = harness(
            &dir,
            &[
                "run",
                example,
                "--quiet",
                "--allow-empty",
                "--shard",
                &shard,
                "--junit",
                &junit,
                "--json",
                &json,
                "--vectors",
                vectors,
            ],
        );
        assert!(o.status.success(), "shard {shard}: {}", stderr(&o));
    }
    let o = harness(
        &dir,
        &[
            "report",
            "merge",
            "reports/junit.xml",
            "shards/junit-1.xml",
            "shards/junit-2.xml",
            "--json",
            "reports/summary.json",
            "shards/summary-1.json",
            "shards/summary-2.json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let m: Value =
        serde_json::from_str(&fs::read_to_string(dir.join("reports/summary.json")).unwrap())
            .unwrap();
    assert_eq!(
        (&m["scenarios"], &m["passed"]),
        (&json!(3), &json!(3)),
        "{m}"
    );
    assert_eq!(m["results"].as_array().unwrap().len(), 3);
    assert_eq!(m["exit_code"], json!(0));
    valid_against_the_published_schema(&dir.join("reports/summary.json"));
    let junit = fs::read_to_string(dir.join("reports/junit.xml")).unwrap();
    assert_eq!(junit.matches("<testcase ").count(), 3, "{junit}");
    fs::remove_dir_all(&dir).unwrap();
}

/// The merged summary is a summary: it validates against `docs/summary.schema.json`, with
/// Python's `jsonschema` where installed (`tests/summary_schema.rs` validates `run`'s own
/// summaries without it).
fn valid_against_the_published_schema(summary: &Path) {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/summary.schema.json");
    let check = Command::new("python3")
        .args([
            "-c",
            "import json, sys, jsonschema; \
             jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))",
        ])
        .arg(summary)
        .arg(&schema)
        .output();
    match check {
        Ok(o) if o.status.success() => {}
        Ok(o) if String::from_utf8_lossy(&o.stderr).contains("No module named") => {
            eprintln!("python3 jsonschema not installed: the merged summary is not validated")
        }
        Ok(o) => panic!(
            "the merged summary fails {}:\n{}",
            schema.display(),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(_) => eprintln!("python3 not installed: the merged summary is not validated"),
    }
}
