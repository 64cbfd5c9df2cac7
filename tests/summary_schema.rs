//! `summary.json` against its published schema, `docs/summary.schema.json`: real summaries of
//! `sim://` runs (one passing, one failing, one cut by its deadline) validate, and the
//! validator rejects summaries that break the schema (so the passing checks prove something).
//!
//! The validator is written here for the keywords the schema uses (`type`, `const`, `enum`,
//! `required`, `properties`, `additionalProperties`, `items`, `$ref` to `#/$defs`,
//! `minimum`, `minLength`, `pattern`, `allOf`, `if`/`then`): the `jsonschema` crate (0.61,
//! default features off) would add 28 crates to the lock file and about 70 s to a clean
//! debug build for one test. A keyword the schema starts using that this validator does not
//! know fails the test, so the two cannot drift apart silently.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_gbcs-harness");
const EXAMPLE: &str = "docs/examples/supplier-reads-esme.feature";

fn schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/summary.schema.json");
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gbcs-summary-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs the harness from the checkout and returns its exit code and summary.
fn run(tag: &str, args: &[&str]) -> (Option<i32>, Value) {
    let dir = scratch(tag);
    let json = dir.join("summary.json");
    let out = Command::new(BIN)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("run")
        .arg("--quiet")
        .arg("--json")
        .arg(&json)
        .arg("--junit")
        .arg(dir.join("junit.xml"))
        .args(args)
        .output()
        .unwrap();
    let text = std::fs::read_to_string(&json).unwrap_or_else(|e| {
        panic!(
            "run {args:?} wrote no summary ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let _ = std::fs::remove_dir_all(&dir);
    (out.status.code(), serde_json::from_str(&text).unwrap())
}

/// The schema's errors for `value`, each with its JSON pointer; empty when it validates.
fn validate(schema: &Value, value: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    check(schema, schema, value, "", &mut errors);
    errors
}

fn check(root: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(rules) = schema.as_object() else {
        if schema == &Value::Bool(false) {
            errors.push(format!("{at}: no value is allowed here"));
        }
        return;
    };
    for (keyword, rule) in rules {
        match keyword.as_str() {
            "$schema" | "$id" | "title" | "description" | "$defs" => {}
            "$ref" => {
                let name = rule
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/$defs/"))
                    .unwrap_or_else(|| panic!("unsupported $ref {rule}"));
                let target = &root["$defs"][name];
                assert!(!target.is_null(), "$ref to a missing definition {name}");
                check(root, target, value, at, errors);
                return;
            }
            "type" => {
                let allowed: Vec<&str> = match rule {
                    Value::String(t) => vec![t.as_str()],
                    Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                    _ => panic!("bad type rule {rule}"),
                };
                if !allowed.iter().any(|t| has_type(value, t)) {
                    push(errors, at, format!("{value} is not of type {allowed:?}"));
                }
            }
            "const" => {
                if value != rule {
                    push(errors, at, format!("{value} is not {rule}"));
                }
            }
            "enum" => {
                if !rule.as_array().unwrap().contains(value) {
                    push(errors, at, format!("{value} is not one of {rule}"));
                }
            }
            "minimum" => {
                if value.as_f64().is_some_and(|v| v < rule.as_f64().unwrap()) {
                    push(errors, at, format!("{value} is below {rule}"));
                }
            }
            "minLength" => {
                let min = rule.as_u64().unwrap() as usize;
                if value.as_str().is_some_and(|s| s.chars().count() < min) {
                    push(errors, at, format!("{value} is shorter than {min}"));
                }
            }
            "pattern" => {
                let re = regex::Regex::new(rule.as_str().unwrap()).unwrap();
                if value.as_str().is_some_and(|s| !re.is_match(s)) {
                    push(errors, at, format!("{value} does not match {rule}"));
                }
            }
            "required" => {
                if let Some(obj) = value.as_object() {
                    for name in rule.as_array().unwrap().iter().filter_map(Value::as_str) {
                        if !obj.contains_key(name) {
                            push(errors, at, format!("missing required property {name}"));
                        }
                    }
                }
            }
            "properties" => {
                if let Some(obj) = value.as_object() {
                    for (name, sub) in rule.as_object().unwrap() {
                        if let Some(v) = obj.get(name) {
                            check(root, sub, v, &format!("{at}/{name}"), errors);
                        }
                    }
                }
            }
            "additionalProperties" => {
                if let Some(obj) = value.as_object() {
                    let declared = schema.get("properties").and_then(Value::as_object);
                    for (name, v) in obj {
                        if declared.is_some_and(|d| d.contains_key(name)) {
                            continue;
                        }
                        match rule {
                            Value::Bool(false) => {
                                push(errors, at, format!("property {name} is not allowed"))
                            }
                            other => check(root, other, v, &format!("{at}/{name}"), errors),
                        }
                    }
                }
            }
            "items" => {
                if let Some(items) = value.as_array() {
                    for (i, v) in items.iter().enumerate() {
                        check(root, rule, v, &format!("{at}/{i}"), errors);
                    }
                }
            }
            "allOf" => {
                for sub in rule.as_array().unwrap() {
                    check(root, sub, value, at, errors);
                }
            }
            "if" => {
                let mut probe = Vec::new();
                check(root, rule, value, at, &mut probe);
                if probe.is_empty() {
                    if let Some(then) = schema.get("then") {
                        check(root, then, value, at, errors);
                    }
                }
            }
            "then" => {}
            other => panic!("the schema uses {other}, which this validator does not know"),
        }
    }
}

fn push(errors: &mut Vec<String>, at: &str, why: String) {
    errors.push(format!("{at}: {why}"));
}

fn has_type(value: &Value, t: &str) -> bool {
    match t {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "number" => value.is_number(),
        "integer" => value.is_u64() || value.is_i64(),
        other => panic!("unknown type {other}"),
    }
}

fn assert_valid(what: &str, summary: &Value) {
    let errors = validate(&schema(), summary);
    assert!(
        errors.is_empty(),
        "{what}: the summary fails docs/summary.schema.json:\n{}\n{summary:#}",
        errors.join("\n")
    );
}

/// `file:line` as (file, line), for the order check.
fn location(r: &Value) -> (String, u64) {
    let loc = r["location"].as_str().unwrap();
    let (file, line) = loc
        .rsplit_once(':')
        .unwrap_or_else(|| panic!("{loc} is not file:line"));
    (file.to_string(), line.parse().unwrap())
}

#[test]
fn a_passing_run_validates_and_names_the_harness() {
    let (code, summary) = run("pass", &["--target", "sim://", EXAMPLE]);
    assert_eq!(code, Some(0), "{summary:#}");
    assert_valid("passing run", &summary);
    assert_eq!(summary["schema_version"], 1);
    assert_eq!(summary["harness_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(summary["target"], "sim://");
    assert_eq!(summary["passed"], 3);
    // The example is tagged @ECS17b: its scenarios are counted under it, not `(none)`.
    assert_eq!(summary["by_use_case"]["ECS17b"]["passed"], 3, "{summary:#}");
    assert!(summary["by_use_case"].get("(none)").is_none());
    let results = summary["results"].as_array().unwrap();
    let order: Vec<_> = results.iter().map(location).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "results are not in location order");
}

#[test]
fn a_failing_run_validates_with_its_failure() {
    let (code, summary) = run("fail", &["--target", "sim://?fault=accept-replay", EXAMPLE]);
    assert_eq!(code, Some(1), "{summary:#}");
    assert_valid("failing run", &summary);
    let failed: Vec<_> = summary["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1, "{summary:#}");
    assert!(failed[0]["failure"].as_str().unwrap().contains(':'));
}

#[test]
fn a_run_cut_by_its_deadline_validates_with_located_not_run_and_not_applicable_results() {
    // A target that accepts connections and never answers: the deadline, not the response
    // timeout, ends the run.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming().flatten() {
            held.push(conn);
        }
    });
    let target = format!("tcp://{addr}");
    let (code, summary) = run(
        "deadline",
        &[
            "--target",
            &target,
            "--tags",
            "@ECS17b or @GCS01a",
            "--response-timeout",
            "30",
            "--deadline",
            "1",
        ],
    );
    assert_eq!(code, Some(1), "{summary:#}");
    assert_valid("run cut by its deadline", &summary);
    assert_eq!(summary["deadline_reached"], true);
    let results = summary["results"].as_array().unwrap();
    let order: Vec<_> = results.iter().map(location).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "results are not in location order");
    let with = |outcome: &'static str| results.iter().filter(move |r| r["outcome"] == outcome);
    assert!(with("not_run").count() > 0, "{summary:#}");
    // The plain tcp:// target declares no gas meter: located and justified.
    let na: Vec<_> = with("not_applicable").collect();
    assert!(!na.is_empty(), "{summary:#}");
    for r in na {
        location(r);
        assert!(r["reason"].as_str().is_some_and(|s| !s.is_empty()), "{r}");
    }
}

/// A way of breaking a valid summary.
type Breaks = fn(&mut Value);

/// The validator must be able to fail, or the checks above prove nothing.
#[test]
fn summaries_that_break_the_schema_are_rejected() {
    let schema = schema();
    let good = json!({
        "schema_version": 1, "harness_version": "0.1.0", "commit": null,
        "target": "sim://", "profile": "p", "scenarios": 2, "passed": 1, "failed": 1,
        "not_applicable": 0, "not_run": 0, "feature_errors": 0, "duration_s": 0.5,
        "by_use_case": {"ECS17b": {"passed": 1, "failed": 1, "not_applicable": 0, "not_run": 0}},
        "by_device": {}, "not_covered": [], "failures": ["a.feature:3 x — mac: bad"],
        "not_run_scenarios": [], "exit_code": 1,
        "results": [
            {"location": "a.feature:2", "name": "p", "outcome": "passed"},
            {"location": "a.feature:3", "name": "x", "outcome": "failed", "failure": "mac: bad"}
        ]
    });
    assert!(
        validate(&schema, &good).is_empty(),
        "{:?}",
        validate(&schema, &good)
    );
    let broken: [(&str, Breaks); 8] = [
        ("no schema_version", |v| {
            v.as_object_mut().unwrap().remove("schema_version");
        }),
        ("schema_version 2", |v| v["schema_version"] = json!(2)),
        ("an unknown top-level property", |v| v["extra"] = json!(1)),
        ("a negative count", |v| v["passed"] = json!(-1)),
        ("an unknown outcome", |v| {
            v["results"][0]["outcome"] = json!("skipped")
        }),
        ("a failed result without its failure", |v| {
            v["results"][1].as_object_mut().unwrap().remove("failure");
        }),
        ("a not-applicable result without its reason", |v| {
            v["results"][0]["outcome"] = json!("not_applicable")
        }),
        ("a tally with a misspelt count", |v| {
            v["by_use_case"]["ECS17b"]["pased"] = json!(1)
        }),
    ];
    for (what, breaks) in broken {
        let mut v = good.clone();
        breaks(&mut v);
        assert!(
            !validate(&schema, &v).is_empty(),
            "the validator accepted {what}"
        );
    }
}
