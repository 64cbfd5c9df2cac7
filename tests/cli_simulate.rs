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

#[test]
fn published_device_certificates_let_an_outside_checker_verify_the_simulator() {
    use gbcs_harness::codec::EntityId;
    use gbcs_harness::crypto::{KeyStore, KeyUsage};
    use gbcs_harness::inspect::{Inspector, Verdict};
    use gbcs_harness::sim::profile::RtdsProfile;

    let (Some(dir), Some(keys_dir)) = (corpus::messages_dir(), corpus::keystore_dir()) else {
        return;
    };
    let out = std::env::temp_dir().join(format!("gbcs-harness-published-{}", std::process::id()));
    let status = Command::new(env!("CARGO_BIN_EXE_gbcs-harness"))
        .args(["simulate", "--check"])
        .arg(&dir)
        .arg("--keys")
        .arg(&keys_dir)
        .arg("--publish-keys")
        .arg(&out)
        .output()
        .unwrap()
        .status;
    assert!(status.code().is_some());
    let esme: EntityId = "00db1234567890a0".parse().unwrap();
    let published = KeyStore::load_dir(&out).unwrap();
    let cert = published
        .certificate(esme, KeyUsage::DigitalSignature)
        .expect("ESME certificate");
    assert_eq!(cert.subject_entity, Some(esme));
    assert!(out.join("ca/device-ca.pem").is_file());

    // A signed ESME response from the simulator verifies against the published certificate,
    // and the same keys come out of every run (the PKI is seeded).
    let profile = RtdsProfile::load(&keys_dir).unwrap();
    let mut sim = profile.simulator();
    let command =
        corpus::read_hex_file(&dir.join("7.1_ECS42/ECS42_7.1_SUCCESS_COMMAND_GBCS.HEX")).unwrap();
    let response = sim.handle(&command).response.expect("a signed response");
    let i = Inspector::new(&published, None).inspect(&response).unwrap();
    assert_eq!(i.checks.signature, Verdict::Valid);
    let _ = std::fs::remove_dir_all(&out);
}
