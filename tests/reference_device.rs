//! The recorded reference device (`reference:` over the RTDS) is an independent, conformant
//! device: the whole suite run against it must fail nothing, error and twin variants included.
//! A failure here is a wrong expectation in the harness, not a device defect.

mod common;

use std::fs;
use std::process::Command;

use common::BIN;
use gbcs_harness::corpus::messages_dir_or_skip;

fn run_against(target: &str, tag: &str) -> serde_json::Value {
    let dir = std::env::temp_dir().join(format!("gbcs-reference-{tag}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let json = dir.join("summary.json");
    let out = Command::new(BIN)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--quiet", "--target", target, "--junit"])
        .arg(dir.join("junit.xml"))
        .arg("--json")
        .arg(&json)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&json).unwrap()).unwrap();
    let _ = fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(0), "{target}:\n{stdout}");
    summary
}

#[test]
fn the_reference_device_fails_no_golden_step() {
    let Some(corpus) = messages_dir_or_skip("reference device") else {
        return;
    };
    let target = format!("reference:{}", corpus.display());
    let s = run_against(&target, "single");
    let results = s["results"].as_array().unwrap();
    let count = |outcome: &str| results.iter().filter(|r| r["outcome"] == outcome).count();
    println!(
        "{target}: {} passed, {} failed, {} not applicable",
        count("passed"),
        count("failed"),
        count("not_applicable")
    );
    assert_eq!(count("failed"), 0);
    // Error and twin variants run too: what does not apply is only what needs the device to
    // raise events or to send over the HAN.
    let error_variants = results
        .iter()
        .filter(|r| {
            let n = r["name"].as_str().unwrap_or_default();
            (n.contains("_ERROR") || n.contains("NOT_FOUND") || n.contains("_TWIN_"))
                && r["outcome"] == "passed"
        })
        .count();
    assert!(
        error_variants >= 150,
        "{error_variants} error/twin variants passed"
    );
    assert!(
        count("not_applicable") * 10 <= results.len(),
        "{} of {} not applicable",
        count("not_applicable"),
        results.len()
    );
}
