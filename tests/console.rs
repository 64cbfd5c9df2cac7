//! What a person reads from `gbcs-harness run` and `simulate --check`: a FAIL line per failure,
//! PASS lines only with --verbose, not-applicable scenarios counted by reason, the table only
//! for failing use cases, progress and colour only on a terminal (and no colour with
//! NO_COLOR), the exit codes in --help; and the worked example of features/README.md's
//! "Write your own scenario", which must run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_gbcs-harness");
const CRATE: &str = env!("CARGO_MANIFEST_DIR");
/// The worked example of features/README.md, outside features/ so a plain run leaves it out.
const EXAMPLE: &str = "docs/examples/supplier-reads-esme.feature";

/// A fresh folder for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "gbcs-harness-console-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A feature with one scenario that passes, one that fails (an unknown step) and two that
/// do not apply to the simulator (it does not originate HAN commands).
const MIXED: &str = "\
@esme
Feature: console check

  @ECS17b
  Scenario: passes
    When the import supplier sends ECS17b to the ESME
    Then the response is a valid response to that command

  @GCS01a
  Scenario: fails
    When the import supplier sends ECS17b to the ESME
    Then the moon is made of cheese

  @ECS17b @needs-han-originated-commands
  Scenario: does not apply one
    When the import supplier sends ECS17b to the ESME

  @ECS17b @needs-han-originated-commands
  Scenario: does not apply two
    When the import supplier sends ECS17b to the ESME
";

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(CRATE)
        .arg("run")
        .args(args)
        .arg("--junit")
        .arg(dir.join("junit.xml"))
        .arg("--json")
        .arg(dir.join("summary.json"))
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn piped_output_is_plain_lines_failures_and_not_applicable_reasons() {
    let dir = scratch("piped");
    let feature = dir.join("mixed.feature");
    std::fs::write(&feature, MIXED).unwrap();
    let out = run_in(&dir, &[feature.to_str().unwrap()]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    // No progress line, no colour: this is not a terminal.
    for s in [&stdout, &stderr] {
        assert!(!s.contains('\x1b') && !s.contains('\r'), "{s:?}");
    }
    assert!(!stdout.contains("PASS "), "{stdout}");
    let fail = stdout
        .lines()
        .find(|l| l.starts_with("FAIL "))
        .unwrap_or_else(|| panic!("no FAIL line:\n{stdout}"));
    assert!(fail.contains("no step matches"), "{fail}");
    // The table holds only the use case that failed.
    assert!(stdout.contains("\nGCS01a "), "{stdout}");
    assert!(!stdout.contains("\nECS17b "), "{stdout}");
    // The short table by device: every scenario addresses the ESME.
    assert!(
        stdout
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["esme", "1", "1", "2", "0"]),
        "{stdout}"
    );
    // The not-applicable scenarios are counted by reason.
    assert!(
        stdout.contains("not applicable, by reason:\n      2  the target does not declare han-originated-commands"),
        "{stdout}"
    );
    assert!(
        stdout.contains("4 scenarios: 1 passed, 1 failed, 2 not applicable"),
        "{stdout}"
    );

    let verbose = run_in(&dir, &[feature.to_str().unwrap(), "--verbose"]);
    let v = text(&verbose.stdout);
    assert!(
        v.lines()
            .any(|l| l.starts_with("PASS ") && l.ends_with(")") && l.contains(" passes ")),
        "{v}"
    );
    assert!(v.contains("\nECS17b "), "{v}");

    // --quiet stays as it was: the totals and the failures only.
    let quiet = run_in(&dir, &[feature.to_str().unwrap(), "--quiet"]);
    let q = text(&quiet.stdout);
    assert!(!q.contains("FAIL ") && !q.contains("use case") && !q.contains("by reason"));
    assert!(q.contains("  FAILED ") && q.contains("4 scenarios:"), "{q}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `args` under a pseudo-terminal with `script` (util-linux); `None` without it.
fn on_terminal(args: &[&str], no_color: bool) -> Option<String> {
    let probe = Command::new("script").arg("--version").output().ok()?;
    if !probe.status.success() {
        return None;
    }
    let line = std::iter::once(BIN)
        .chain(args.iter().copied())
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect::<Vec<_>>()
        .join(" ");
    let mut cmd = Command::new("script");
    cmd.current_dir(CRATE)
        .args(["-qec", &line, "/dev/null"])
        .env_remove("NO_COLOR")
        .env("TERM", "xterm");
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    let out = cmd.output().ok()?;
    Some(text(&out.stdout))
}

#[test]
fn on_a_terminal_a_progress_line_and_colour_unless_no_color() {
    let dir = scratch("tty");
    let feature = dir.join("mixed.feature");
    std::fs::write(&feature, MIXED).unwrap();
    let junit = dir.join("junit.xml");
    let json = dir.join("summary.json");
    let args = [
        "run",
        feature.to_str().unwrap(),
        "--junit",
        junit.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ];
    let Some(seen) = on_terminal(&args, false) else {
        eprintln!("no `script` to give the run a terminal: skipping");
        return;
    };
    assert!(
        seen.contains("\r\x1b[2K[4/4] passed 1, failed 1, n/a 2, ETA 00:00"),
        "{seen:?}"
    );
    assert!(seen.contains("\x1b[1;31mFAIL\x1b[0m"), "{seen:?}");
    let plain = on_terminal(&args, true).unwrap();
    assert!(plain.contains("[4/4] passed 1, failed 1"), "{plain:?}");
    assert!(!plain.contains("\x1b[1;"), "{plain:?}");
    assert!(plain.contains("FAIL "), "{plain:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn run_help_lists_the_exit_codes_and_the_console() {
    let out = Command::new(BIN).args(["run", "--help"]).output().unwrap();
    let help = text(&out.stdout);
    for needle in [
        "0    every scenario passed",
        "1    a scenario failed",
        "2    the run could not start",
        "130  stopped by SIGINT",
        "143  stopped by SIGTERM",
        "--verbose",
        "NO_COLOR",
    ] {
        assert!(help.contains(needle), "{needle:?} not in:\n{help}");
    }
}

#[test]
fn simulate_check_starts_with_its_verdict_and_names_the_known_differences() {
    let help = text(
        &Command::new(BIN)
            .args(["simulate", "--help"])
            .output()
            .unwrap()
            .stdout,
    );
    for known in ["GCS15c", "ECS26l", "PCS01", "exit 1"] {
        assert!(help.contains(known), "{known} not in:\n{help}");
    }
    let (Some(dir), Some(keys)) = (
        gbcs_harness::corpus::messages_dir(),
        gbcs_harness::corpus::keystore_dir(),
    ) else {
        eprintln!("RTDS corpus absent: skipping the check itself");
        return;
    };
    let out = Command::new(BIN)
        .args(["simulate", "--check"])
        .arg(&dir)
        .arg("--keys")
        .arg(&keys)
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    let first = stdout.lines().next().unwrap_or_default();
    assert!(first.starts_with("check: "), "{first}");
    assert!(
        !first.contains("NEW"),
        "a difference not known before: {first}"
    );
    if out.status.success() {
        assert!(first.contains("all"), "{first}");
    } else {
        assert!(
            first.contains("differ:") && first.contains("(known)"),
            "{first}"
        );
    }
    // The generated keys come after the results, without their public keys unless asked.
    let keys_at = stdout.find("generated ").unwrap_or(stdout.len());
    let last_result = stdout.rfind("\nok   ").unwrap_or(0);
    assert!(keys_at > last_result, "{stdout}");
    assert!(!stdout.contains("key for 00DB1234567890A0: 04"), "{stdout}");
}

fn run_example(target: &str, dir: &Path) -> (Option<i32>, serde_json::Value, String) {
    let out = run_in(dir, &[EXAMPLE, "--target", target]);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    (out.status.code(), summary, text(&out.stdout))
}

#[test]
fn the_worked_example_of_the_scenario_guide_runs() {
    // The guide shows the example as it is.
    let guide = std::fs::read_to_string(Path::new(CRATE).join("features/README.md")).unwrap();
    let example = std::fs::read_to_string(Path::new(CRATE).join(EXAMPLE)).unwrap();
    let body = &example[example.find("@ECS17b").unwrap()..];
    assert!(
        guide.contains(body),
        "features/README.md does not show {EXAMPLE} as it is"
    );

    let dir = scratch("example");
    let (code, s, stdout) = run_example("sim://", &dir);
    assert_eq!(code, Some(0), "{stdout}");
    assert_eq!(
        (s["passed"].as_u64(), s["failed"].as_u64()),
        (Some(3), Some(0))
    );

    // A device whose responses carry a bad MAC fails the read.
    let (code, s, stdout) = run_example("sim://?fault=bad-response-mac", &dir);
    assert_eq!(code, Some(1), "{stdout}");
    assert_eq!(s["failed"], 1, "{s}");
    assert!(
        stdout.contains("The supplier reads the import energy registers (")
            && stdout.contains("— mac: "),
        "{stdout}"
    );

    // A device that executes a replayed command fails the replay scenario.
    let (code, s, stdout) = run_example("sim://?fault=accept-replay", &dir);
    assert_eq!(code, Some(1), "{stdout}");
    assert_eq!(s["failed"], 1, "{s}");
    assert!(
        stdout.contains("The ESME discards a replayed read (")
            && stdout.contains("— expected-rejection: "),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
