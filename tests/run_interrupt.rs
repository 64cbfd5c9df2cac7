//! `gbcs-harness run` stopped by SIGTERM or SIGINT half-way through a run against a device
//! that never answers: it exits with the shell's code for the signal and leaves a JSON
//! summary of what finished (saying it was interrupted), a well-formed JUnit report with the
//! same scenarios, and no temporary file.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::junit::check_valid;
use common::BIN;

/// How long a scenario may take to fail against the silent target before the test gives up.
const FIRST_FAILURE_WITHIN: Duration = Duration::from_secs(60);
/// How long the run may take to stop once signalled (it stops at once; this is the bound).
const STOP_WITHIN: Duration = Duration::from_secs(30);
/// Between two looks at the JUnit report.
const POLL_EVERY: Duration = Duration::from_millis(50);

/// A TCP target that accepts connections and never answers.
fn silent_target() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming().flatten() {
            held.push(conn);
        }
    });
    format!("tcp://{addr}")
}

fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gbcs-interrupt-{tag}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

/// The id of a process that has exited.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    child.wait().unwrap();
    child.id()
}

/// Waits, bounded, until the report holds a scenario that ran against the target and failed.
fn wait_for_a_failed_scenario(junit: &Path) {
    let started = Instant::now();
    loop {
        let doc = fs::read_to_string(junit).unwrap_or_default();
        if doc.contains("<failure ") {
            return;
        }
        assert!(
            started.elapsed() < FIRST_FAILURE_WITHIN,
            "no scenario finished within {FIRST_FAILURE_WITHIN:?}:\n{doc}"
        );
        std::thread::sleep(POLL_EVERY);
    }
}

fn send(signal: &str, pid: u32) {
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(status.success(), "kill -{signal} {pid}");
}

/// Runs against the silent target, sends `signal` once a scenario has failed, and checks
/// everything the run leaves.
fn interrupted_by(signal: &str, want_code: i32) {
    let dir = scratch(signal);
    let junit = dir.join("junit.xml");
    let json = dir.join("summary.json");
    // A temporary copy left by a writer killed outright: the run removes it.
    let stale = dir.join(format!(".junit.xml.{}.tmp", dead_pid()));
    fs::write(&stale, "<testsuites").unwrap();
    let child = Command::new(BIN)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--quiet", "--tags", "@smets1"])
        .args(["--target", &silent_target()])
        .args(["--response-timeout", "0.5"])
        .arg("--junit")
        .arg(&junit)
        .arg("--json")
        .arg(&json)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let (done, finished) = mpsc::channel::<Output>();
    std::thread::spawn(move || {
        let _ = done.send(child.wait_with_output().unwrap());
    });

    wait_for_a_failed_scenario(&junit);
    assert!(!stale.exists(), "the stale temporary copy is still there");
    send(signal, pid);
    let name = format!("SIG{signal}");
    let out = match finished.recv_timeout(STOP_WITHIN) {
        Ok(out) => out,
        Err(_) => {
            send("KILL", pid);
            panic!("the run did not stop within {STOP_WITHIN:?} of {signal}");
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(want_code), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!("run interrupted by {name}")),
        "{stdout}"
    );

    let summary: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(&json).expect("the summary is written on a signal"),
    )
    .unwrap();
    assert_eq!(summary["interrupted"], name, "{summary}");
    let results = summary["results"].as_array().unwrap();
    assert!(
        results.iter().any(|r| r["outcome"] == "failed"),
        "{summary}"
    );
    assert_eq!(summary["scenarios"].as_u64(), Some(results.len() as u64));
    assert!(summary["failures"]
        .to_string()
        .contains(&format!("interrupted by {name}")));

    // The JUnit report holds the same scenarios, and no temporary file is left.
    let doc = fs::read_to_string(&junit).unwrap();
    assert_eq!(doc.matches("<testcase ").count(), results.len(), "{doc}");
    let left: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    check_valid(&junit);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn sigterm_stops_the_run_with_its_reports_and_exit_143() {
    interrupted_by("TERM", 143);
}

#[test]
fn sigint_stops_the_run_with_its_reports_and_exit_130() {
    interrupted_by("INT", 130);
}
