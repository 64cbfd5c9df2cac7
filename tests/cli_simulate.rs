//! `gbcs-harness simulate --check` on the RTDS corpus: every recorded command is answered by
//! a fresh simulator and judged against the recorded response. The floor below rises as
//! device models land; it must never fall.

use std::process::Command;

use gbcs_harness::corpus;

/// Use cases whose nominal exchanges all match today (of 181 judged; the three others are
/// GCS15c, ECS26l and PCS01: see the README).
const MATCHING_FLOOR: u64 = 178;

#[test]
fn check_against_the_corpus() {
    let (Some(dir), Some(keys)) = (corpus::messages_dir(), corpus::keystore_dir()) else {
        eprintln!("RTDS corpus absent: skipping");
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_gbcs-harness"))
        .args(["simulate", "--check"])
        .arg(&dir)
        .arg("--keys")
        .arg(&keys)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let summary: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    eprintln!("{summary}");
    assert_eq!(summary["commands"], 427);
    let (judged, matching) = (
        summary["use_cases"].as_u64().unwrap(),
        summary["use_cases_matching"].as_u64().unwrap(),
    );
    assert!(matching >= MATCHING_FLOOR, "{matching} < {MATCHING_FLOOR}");
    // Every accepted command got a response that decodes and verifies.
    assert_eq!(summary["accepted"], summary["responses_valid"]);
    // The exit code says whether every judged use case matched.
    assert_eq!(out.status.success(), judged == matching);
    // The generated device keys are announced.
    assert!(
        stdout.contains("generated digital-signature key for 00DB1234567890A0"),
        "{stdout}"
    );
}
