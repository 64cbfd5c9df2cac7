//! A profile's device-state hook, end to end: before an RTDS error variant the runner runs the
//! hook with the variant, and a hook that fails fails that scenario with its standard error.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{start_server, BIN};

fn run_with_hook(dir: &Path, target: &str, hook: &str) -> (Option<i32>, serde_json::Value) {
    let profile = dir.join("dut.toml");
    fs::write(
        &profile,
        format!(
            "target = \"{target}\"\n\n[capabilities]\ndevices = [\"esme\"]\nfunctions = [\"device-state-errors\"]\n\n[hooks]\ndevice_state = {hook:?}\n"
        ),
    )
    .unwrap();
    let json = dir.join("summary.json");
    let out = Command::new(BIN)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "run",
            "--quiet",
            "--tags",
            "@ECS17b and @needs-device-state-errors",
        ])
        .args(["--response-timeout", "2"])
        .arg("--profile")
        .arg(&profile)
        .arg("--junit")
        .arg(dir.join("junit.xml"))
        .arg("--json")
        .arg(&json)
        .output()
        .unwrap();
    let summary = serde_json::from_str(&fs::read_to_string(&json).unwrap()).unwrap();
    (out.status.code(), summary)
}

#[test]
fn the_hook_runs_with_the_variant_and_its_failure_fails_the_scenario() {
    let dir = std::env::temp_dir().join(format!("gbcs-state-hook-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let (_server, addr) = start_server(&[]);
    let target = format!("tcp://{addr}");

    // A hook that records what it was asked; the served simulator has no such state, so the
    // scenario then fails on the device's answer, not on the hook.
    let asked = dir.join("asked.txt");
    let hook = format!(
        "sh -c 'echo \"$0 $1\" >> {}' {{variant}} {{device}}",
        asked.display()
    );
    let (_, summary) = run_with_hook(&dir, &target, &hook);
    let text = fs::read_to_string(&asked).unwrap();
    assert!(text.contains("ECS17b_4.1.1_ERROR 00DB"), "{text}");
    assert_eq!(summary["scenarios"], 1, "{summary}");
    assert!(
        !summary["failures"]
            .to_string()
            .contains("device-state hook"),
        "{summary}"
    );

    // A hook that fails: the scenario fails with the hook's exit status and last stderr line.
    let (code, summary) =
        run_with_hook(&dir, &target, "sh -c 'echo meter unreachable >&2; exit 4'");
    assert_eq!(code, Some(1), "{summary}");
    let failures = summary["failures"].to_string();
    assert!(
        failures.contains("exit status: 4") && failures.contains("meter unreachable"),
        "{failures}"
    );
    let _ = fs::remove_dir_all(&dir);
}
