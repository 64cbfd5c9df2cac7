//! `gbcs-harness run` end to end: the whole feature suite against the built-in simulator,
//! the evidence it writes, the coverage of the features, and the fault-detection matrix.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::junit::check_valid;
use common::BIN;
use gbcs_harness::codec::catalogue;
use gbcs_harness::sim::faults::Fault;

fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gbcs-run-{tag}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

struct Ran {
    code: Option<i32>,
    stdout: String,
    junit: String,
    summary: serde_json::Value,
    junit_path: PathBuf,
}

fn run(tag: &str, args: &[&str]) -> Ran {
    let dir = scratch(tag);
    let junit = dir.join("junit.xml");
    let json = dir.join("summary.json");
    let out = Command::new(BIN)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("run")
        .arg("--quiet")
        .arg("--junit")
        .arg(&junit)
        .arg("--json")
        .arg(&json)
        .args(args)
        .output()
        .unwrap();
    Ran {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        junit: fs::read_to_string(&junit).unwrap_or_default(),
        summary: fs::read_to_string(&json)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default(),
        junit_path: junit,
    }
}

#[test]
fn the_suite_passes_on_the_simulator_with_one_valid_testcase_per_scenario() {
    let r = run("clean", &[]);
    assert_eq!(r.code, Some(0), "{}", r.stdout);
    let s = &r.summary;
    assert_eq!(s["failed"], 0, "{}", r.stdout);
    assert_eq!(s["feature_errors"], 0);
    let scenarios = s["scenarios"].as_u64().unwrap();
    assert!(scenarios > 400, "{scenarios} scenarios");
    assert_eq!(r.junit.matches("<testcase ").count() as u64, scenarios);
    // Not-applicable scenarios are skipped with their reason, never passed.
    let na = s["not_applicable"].as_u64().unwrap();
    assert_eq!(
        r.junit.matches("<skipped message=\"not applicable").count() as u64,
        na
    );
    assert!(r.junit.contains("name=\"use_case\""), "testcase properties");
    check_valid(&r.junit_path);
    println!(
        "{scenarios} scenarios: {} passed, {na} not applicable, {} s",
        s["passed"], s["duration_s"]
    );
}

fn feature_tags() -> Vec<(PathBuf, BTreeSet<String>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("features");
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&root).into_iter().flatten() {
        let p = entry.path();
        if p.extension().is_some_and(|e| e == "feature") {
            let text = fs::read_to_string(p).unwrap();
            // The feature's own tags: the lines of tags before `Feature:`.
            let mut tags = BTreeSet::new();
            for line in text.lines() {
                let line = line.trim();
                if line.starts_with("Feature:") {
                    break;
                }
                tags.extend(
                    line.split_whitespace()
                        .filter_map(|t| t.strip_prefix('@'))
                        .map(str::to_string),
                );
            }
            out.push((p.to_path_buf(), tags));
        }
    }
    out
}

#[test]
fn every_rtds_folder_and_smets1_service_has_a_feature() {
    let features = feature_tags();
    for s in catalogue::smets1_minimum_services() {
        let sr = format!("SR{}", s.service_request);
        assert!(
            features
                .iter()
                .any(|(_, t)| t.contains("smets1") && t.contains(&sr)),
            "no @smets1 @{sr} feature for {}",
            s.name
        );
    }
    let Some(corpus) = gbcs_harness::corpus::messages_dir() else {
        eprintln!("RTDS corpus not found (set GBCS_RTDS_DIR): folder coverage not checked");
        return;
    };
    let mut folders = 0;
    for entry in fs::read_dir(&corpus).unwrap().flatten() {
        if !entry.path().is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let (sr, uc) = name.split_once('_').unwrap();
        let found = features
            .iter()
            .any(|(_, t)| t.contains(uc) && (sr == "NA" || t.contains(&format!("SR{sr}"))));
        assert!(
            found,
            "no feature tagged @{uc} @SR{sr} for RTDS folder {name}"
        );
        folders += 1;
    }
    assert!(folders > 150);
}

/// Words the first failure must contain for each fault: the message names the defect.
fn defect_words(fault: Fault) -> &'static [&'static str] {
    match fault {
        Fault::BadResponseMac => &["mac:", "MAC does not verify"],
        Fault::MissingResponseMac => &["mac:", "not MAC'd"],
        Fault::BadResponseSignature => &["signature:", "does not verify"],
        Fault::CounterNotEchoed => &["counter", "echoed"],
        Fault::AcceptReplay => &["expected-rejection:"],
        Fault::AcceptUnsignedCritical => &["expected-rejection:", "unsigned critical"],
        Fault::AcceptOtherRecipient => &["expected-rejection:", "another device"],
        Fault::AcceptUnauthorisedRole => &["expected-rejection:"],
        Fault::WrongMessageCode => &["message code"],
        Fault::TruncatedResponse => &["decode"],
        Fault::MissingAlert => &["no alert"],
        Fault::WrongRegisterValue => &["vector-mismatch:"],
        Fault::LateResponse => &["timeout:"],
    }
}

#[test]
fn every_fault_profile_is_detected_and_named() {
    let mut killed = 0;
    let mut report = Vec::new();
    for fault in Fault::ALL {
        let target = format!("sim://?fault={}", fault.name());
        let r = run(
            fault.name(),
            &[
                "--target",
                &target,
                "--fail-fast",
                "--response-timeout",
                "3",
            ],
        );
        let failures: Vec<String> = r.summary["failures"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|f| f.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let named = failures
            .iter()
            .any(|f| defect_words(*fault).iter().all(|w| f.contains(w)));
        check_valid(&r.junit_path);
        if r.code == Some(1) && named {
            killed += 1;
        }
        report.push(format!(
            "{:<26} exit {:?}: {}",
            fault.name(),
            r.code,
            failures
                .first()
                .map(String::as_str)
                .unwrap_or("(no failure)")
        ));
    }
    let total = Fault::ALL.len();
    println!("fault kill rate: {killed}/{total}\n{}", report.join("\n"));
    assert_eq!(killed, total, "{}", report.join("\n"));
}
