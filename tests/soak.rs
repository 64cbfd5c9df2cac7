//! A soak: the harness's `run` of the electricity and security features (every scenario that
//! applies to the simulator: reads, writes, prepayment, alerts, and the commands a device must
//! discard, which leave their waits behind), three rounds over, against
//! `simulate --listen` (`tcp://`) and `simulate --http` (`http://`), while `load` drives the
//! TCP server's extra devices at the same time. No scenario may fail, `load` must get every
//! answer, and the servers' resident memory and open files must not grow from round 1 to
//! round 3 beyond the tolerances below (a leak per connection, per scenario or per
//! subscription shows up as steady growth).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{start_http_server, start_server, Server, BIN};

const ROUNDS: usize = 3;
/// The feature folders each round runs.
const FEATURES: [&str; 2] = ["features/electricity", "features/security"];
/// Scenarios needing a device in a failing state or a twin-element meter do not apply to
/// `simulate`'s devices. CS01a's top-up code (UTRN) is single-use: a device that keeps its
/// state between rounds rightly refuses it the second time.
const TAGS: &str = "not @needs-device-state-errors and not @needs-twin-element and not @CS01a";
/// Rounds must pass at least this many scenarios (each round the same number).
const AT_LEAST_PASSING: u64 = 150;
/// A discarded command is known as such when its wait runs out; the waits overlap.
const RESPONSE_TIMEOUT_S: &str = "2";
/// The extra ESMEs the TCP server simulates and `load` drives.
const LOAD_DEVICES: &str = "50";
/// Commands `load` sends per round: it runs through most of the round in a debug build.
const LOAD_REQUESTS: u64 = 10_000;
/// Resident-memory growth allowed from round 1 to round 3: allocator pools settling after
/// the first rounds, not a leak (measured: ~2 MiB).
const RSS_GROWTH_KIB: u64 = 16 * 1024;
/// Open-file growth allowed from round 1 to round 3: connections still being closed.
const FD_GROWTH: usize = 4;
/// The whole run of one round may not take longer (the harness stops itself then).
const RUN_DEADLINE_S: &str = "60";
/// How long to wait for the servers' open files to settle after a round.
const SETTLE: Duration = Duration::from_secs(5);

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Resident memory (KiB) and open files of process `pid`.
fn sample(pid: u32) -> (u64, usize) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let rss = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/PID/status");
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .count();
    (rss, fds)
}

/// `gbcs-harness run` of the soak's scenarios against `target`: its JSON summary.
fn run(target: &str, out: &Path) -> serde_json::Value {
    let json = out.join("summary.json");
    let result = Command::new(BIN)
        .arg("run")
        .args(FEATURES.map(|f| repo().join(f)))
        .args(["--target", target, "--tags", TAGS, "--quiet"])
        .args(["--response-timeout", RESPONSE_TIMEOUT_S])
        .arg("--vectors")
        .arg(repo().join("vectors"))
        .arg("--json")
        .arg(&json)
        .arg("--junit")
        .arg(out.join("junit.xml"))
        .args(["--deadline", RUN_DEADLINE_S])
        .output()
        .unwrap();
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json).unwrap_or_default()).unwrap_or_else(|e| {
            panic!(
                "no summary from run against {target} ({e}): {}",
                String::from_utf8_lossy(&result.stderr)
            )
        });
    assert!(result.status.success(), "run against {target}: {summary}");
    summary
}

fn start_load(addr: &str) -> Child {
    Command::new(BIN)
        .args(["load", "--target", addr, "--devices", LOAD_DEVICES])
        .args([
            "--connections",
            "4",
            "--requests",
            &LOAD_REQUESTS.to_string(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Checks a round's summary; returns how many scenarios passed.
fn assert_clean(summary: &serde_json::Value, target: &str, round: usize) -> u64 {
    let at = format!("round {round} against {target}");
    assert_eq!(summary["failed"], 0, "{at}: {summary}");
    assert_eq!(summary["feature_errors"], 0, "{at}: {summary}");
    let passed = summary["passed"].as_u64().unwrap_or(0);
    assert!(passed >= AT_LEAST_PASSING, "{at}: {passed} passed");
    assert_eq!(
        summary["failures"].as_array().map(Vec::len),
        Some(0),
        "{at}: {summary}"
    );
    passed
}

#[test]
fn repeated_runs_under_load_neither_fail_nor_leak() {
    let started = Instant::now();
    let (tcp, tcp_addr) = start_server(&["--devices", LOAD_DEVICES]);
    let (http, http_url) = start_http_server(&["--devices", LOAD_DEVICES]);
    let servers: [(&Server, String); 2] = [(&tcp, format!("tcp://{tcp_addr}")), (&http, http_url)];
    let out = std::env::temp_dir().join(format!("gbcs-soak-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();

    let mut samples = Vec::new();
    let mut passing = None;
    for round in 1..=ROUNDS {
        let load = start_load(&tcp_addr);
        for (_, target) in &servers {
            let passed = assert_clean(&run(target, &out), target, round);
            assert_eq!(
                *passing.get_or_insert(passed),
                passed,
                "round {round} against {target}: every round and target passes the same"
            );
        }
        let load = load.wait_with_output().unwrap();
        let summary: serde_json::Value = serde_json::from_slice(&load.stdout).unwrap();
        assert!(load.status.success(), "round {round}: load {summary}");
        assert_eq!(
            summary["responses"], LOAD_REQUESTS,
            "round {round}: {summary}"
        );
        assert_eq!(summary["failures"], 0, "round {round}: {summary}");
        let round_samples: Vec<(u64, usize)> =
            servers.iter().map(|(s, _)| sample(s.0.id())).collect();
        eprintln!(
            "round {round} at {:.1?}: load {} exchanges/s; (RSS KiB, open files) tcp {:?} http {:?}",
            started.elapsed(),
            summary["exchanges_per_s"],
            round_samples[0],
            round_samples[1]
        );
        samples.push(round_samples);
    }

    for (i, (server, target)) in servers.iter().enumerate() {
        let (rss_first, fds_first) = samples[0][i];
        let (rss_last, _) = samples[ROUNDS - 1][i];
        assert!(
            rss_last <= rss_first + RSS_GROWTH_KIB,
            "{target}: resident memory grew from {rss_first} KiB to {rss_last} KiB"
        );
        // Connections of the last round may still be closing: wait for them, bounded.
        let deadline = Instant::now() + SETTLE;
        let mut fds_last = sample(server.0.id()).1;
        while fds_last > fds_first + FD_GROWTH && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
            fds_last = sample(server.0.id()).1;
        }
        assert!(
            fds_last <= fds_first + FD_GROWTH,
            "{target}: open files grew from {fds_first} to {fds_last}"
        );
    }
    let _ = std::fs::remove_dir_all(&out);
}
