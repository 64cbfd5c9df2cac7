//! `gbcs-harness decode` end to end: the acceptance command on the corpus, and the
//! exit codes a CI pipeline relies on.

use std::process::Command;

use gbcs_harness::corpus;

fn harness() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gbcs-harness"))
}

#[test]
fn summary_over_the_corpus_reproduces_the_reference_figures() {
    let (Some(dir), Some(keys)) = (corpus::messages_dir(), corpus::keystore_dir()) else {
        eprintln!("RTDS corpus absent: skipping");
        return;
    };
    let out = harness()
        .args(["decode", "--keys"])
        .arg(&keys)
        .args(["--acb", "90b3d51f30000002", "--summary"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let last = stdout.lines().last().unwrap();
    let s: serde_json::Value = serde_json::from_str(last).unwrap();
    for (field, want) in [
        ("messages", 1104),
        ("decoded", 1104),
        ("failed", 0),
        ("signatures_valid", 427),
        ("signatures_invalid", 0),
        ("macs_valid", 683),
        ("macs_invalid", 0),
        ("macs_unverifiable", 2),
        ("roundtrip_identical", 1104),
    ] {
        assert_eq!(s[field], want, "{field} in {last}");
    }
    assert!(s["elapsed_ms"].as_f64().is_some());
}

#[test]
fn a_tampered_mac_fails_the_run_and_names_the_check() {
    let (Some(dir), Some(keys)) = (corpus::messages_dir(), corpus::keystore_dir()) else {
        return;
    };
    let mut hex =
        std::fs::read_to_string(dir.join("7.4_ECS45/ECS45_7.4_SUCCESS_RESPONSE_GBCS.HEX")).unwrap();
    hex = hex.trim().to_string();
    let last = hex.pop().unwrap();
    hex.push(if last == '0' { '1' } else { '0' });
    let out = harness()
        .arg("decode")
        .arg("--keys")
        .arg(&keys)
        .arg(&hex)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["checks"]["mac"]["verdict"], "invalid");
    assert_eq!(doc["checks"]["signature"]["verdict"], "not_present");
    assert_eq!(doc["use_case"]["use_case"], "ECS45");
}

#[test]
fn undecodable_input_is_reported_with_its_offset_and_fails() {
    // A General Signing APDU cut inside the originator system title.
    let out = harness()
        .args(["decode", "DF0901000000000000000108"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let err = doc["error"].as_str().unwrap();
    assert!(
        err.contains("offset 12") && err.contains("originator-system-title"),
        "{err}"
    );
}

#[test]
fn stdin_and_text_format() {
    let (Some(dir), Some(_)) = (corpus::messages_dir(), corpus::keystore_dir()) else {
        return;
    };
    let hex =
        std::fs::read_to_string(dir.join("7.1_ECS42/ECS42_7.1_SUCCESS_RESPONSE_GBCS.HEX")).unwrap();
    let mut child = harness()
        .args(["decode", "--format", "text", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(hex.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("== stdin:1"), "{text}");
    assert!(text.contains("use_case: ECS42"), "{text}");
    // No key store: the signature cannot be checked, and says why.
    assert!(text.contains("verdict: unverifiable"), "{text}");
}
