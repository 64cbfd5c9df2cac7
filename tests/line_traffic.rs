//! Line traffic as evidence: every frame a scenario sent and received, passing scenarios
//! too, in its JUnit testcase's `<system-out>`, one line per frame (`at direction transport
//! summary`) and its hex on the next; and what the harness could not test as `<error>`.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::junit::check_valid;

const BIN: &str = env!("CARGO_BIN_EXE_gbcs-harness");
const EXAMPLE: &str = "docs/examples/supplier-reads-esme.feature";

fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gbcs-traffic-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs the harness from the checkout; returns the exit code and the JUnit report's path.
fn run(dir: &Path, args: &[&str]) -> (Option<i32>, PathBuf) {
    let junit = dir.join("junit.xml");
    let out = Command::new(BIN)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--quiet"])
        .arg("--junit")
        .arg(&junit)
        .arg("--json")
        .arg(dir.join("summary.json"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        junit.exists(),
        "run {args:?} wrote no JUnit: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), junit)
}

/// One testcase's XML, by name.
fn testcase<'a>(doc: &'a str, name: &str) -> &'a str {
    let start = doc
        .find(&format!("<testcase name=\"{name}\""))
        .unwrap_or_else(|| panic!("no testcase {name}:\n{doc}"));
    let len = doc[start..].find("</testcase>").unwrap();
    &doc[start..start + len]
}

/// The frames of a testcase's `<system-out>`: (header line, hex).
fn frames(case: &str) -> Vec<(String, String)> {
    let Some(start) = case.find("<system-out>") else {
        return Vec::new();
    };
    let body = &case[start + "<system-out>".len()..case.find("</system-out>").unwrap()];
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(
        lines.len() % 2,
        0,
        "a header and a hex line per frame:\n{body}"
    );
    lines
        .chunks(2)
        .map(|pair| {
            let hex = pair[1].strip_prefix("    ").expect("hex is indented");
            (pair[0].to_string(), hex.to_string())
        })
        .collect()
}

/// `2026-12-02T18:43:51.123Z`.
fn is_rfc3339_ms_utc(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 24
        && s.ends_with('Z')
        && b[4] == b'-'
        && b[10] == b'T'
        && b[19] == b'.'
        && s[..4].bytes().all(|c| c.is_ascii_digit())
}

#[test]
fn a_passing_scenario_has_its_sent_and_received_frames_in_system_out() {
    let dir = scratch("pass");
    let (code, junit) = run(&dir, &["--target", "sim://", EXAMPLE]);
    assert_eq!(code, Some(0));
    check_valid(&junit);
    let doc = std::fs::read_to_string(&junit).unwrap();
    let case = testcase(&doc, "The supplier reads the import energy registers");
    assert!(!case.contains("<failure"), "{case}");
    assert!(
        case.contains(&format!(" file=\"{EXAMPLE}\" line=\"14\"")),
        "{case}"
    );
    let frames = frames(case);
    assert_eq!(frames.len(), 2, "one command, one response: {frames:#?}");
    let (sent, sent_hex) = &frames[0];
    let (received, received_hex) = &frames[1];
    let fields: Vec<&str> = sent.splitn(4, ' ').collect();
    assert!(is_rfc3339_ms_utc(fields[0]), "{sent}");
    assert_eq!(&fields[1..3], ["sent", "sim"], "{sent}");
    // The decoded summary names the use case, message code and CRA flag.
    assert!(
        fields[3].starts_with("ECS17b 0x") && fields[3].contains(" command counter "),
        "{sent}"
    );
    let fields: Vec<&str> = received.splitn(4, ' ').collect();
    assert_eq!(&fields[1..3], ["received", "sim"], "{received}");
    assert!(
        fields[3].starts_with("ECS17b 0x") && fields[3].contains(" response counter "),
        "{received}"
    );
    assert!(fields[3].contains("reports success"), "{received}");
    // The response echoes the command's counter.
    let counter = |s: &str| {
        s.split(" counter ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .map(str::to_string)
    };
    assert_eq!(counter(sent), counter(received));
    for hex in [sent_hex, received_hex] {
        assert!(hex.len() > 40 && hex.len() % 2 == 0, "{hex}");
        assert!(
            hex.bytes()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)),
            "{hex}"
        );
    }
    // The General Ciphering frame starts with DD; the response is a different frame.
    assert!(sent_hex.starts_with("DD") && sent_hex != received_hex);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_replay_sends_the_same_frame_twice_and_a_failing_scenario_keeps_its_traffic() {
    let dir = scratch("replay");
    let (code, junit) = run(&dir, &["--target", "sim://?fault=accept-replay", EXAMPLE]);
    assert_eq!(code, Some(1));
    check_valid(&junit);
    let doc = std::fs::read_to_string(&junit).unwrap();
    let case = testcase(&doc, "The ESME discards a replayed read");
    assert!(case.contains("<failure "), "{case}");
    let frames = frames(case);
    let sent: Vec<&(String, String)> = frames
        .iter()
        .filter(|(h, _)| h.split(' ').nth(1) == Some("sent"))
        .collect();
    assert_eq!(sent.len(), 2, "{frames:#?}");
    assert_eq!(sent[0].1, sent[1].1, "a replay is the same bytes again");
    // The device that accepts the replay answers both.
    assert!(
        frames
            .iter()
            .filter(|(h, _)| h.split(' ').nth(1) == Some("received"))
            .count()
            == 2,
        "{frames:#?}"
    );
    // Offsets are not in the JUnit, but the order is: sent before its answer.
    assert_eq!(frames[0].0.split(' ').nth(1), Some("sent"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_feature_file_that_does_not_parse_is_an_error_not_a_failure() {
    let dir = scratch("parse");
    let feature = dir.join("broken.feature");
    std::fs::write(
        &feature,
        "Feature: a\n  Scenario: x\n    Given y\nFeature: b\n",
    )
    .unwrap();
    let (code, junit) = run(&dir, &["--target", "sim://", feature.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    check_valid(&junit);
    let doc = std::fs::read_to_string(&junit).unwrap();
    assert!(doc.contains("<error type=\"feature-file\""), "{doc}");
    assert!(!doc.contains("<failure"), "{doc}");
    assert!(doc.contains(" errors=\"1\""), "{doc}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The case: an `exec:` target whose program exists but cannot start (here a script
/// with a missing interpreter) is "could not test", not a verdict on the device.
#[cfg(unix)]
#[test]
fn a_target_that_cannot_start_is_an_error_not_a_failure() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = scratch("spawn");
    let program = dir.join("meter");
    std::fs::write(&program, "#!/nonexistent/interpreter\n").unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    let target = format!("exec:{}", program.display());
    let (code, junit) = run(&dir, &["--target", &target, EXAMPLE]);
    assert_eq!(code, Some(1));
    check_valid(&junit);
    let doc = std::fs::read_to_string(&junit).unwrap();
    assert_eq!(
        doc.matches("<error type=\"unreachable\"").count(),
        3,
        "{doc}"
    );
    assert!(!doc.contains("<failure"), "{doc}");
    assert!(doc.contains("cannot start the child process"), "{doc}");
    let _ = std::fs::remove_dir_all(&dir);
}
