//! The same feature suite over every transport to the reference simulator gives the same
//! per-scenario outcomes: in process (`sim://`), over TCP (`simulate --listen` as a separate
//! process), as a child process (`exec:` the harness's own `simulate --stdio`) and through the
//! head-end test API (`http://` against `simulate --http`).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::process::Command;

use common::{start_http_server, start_server, BIN};

/// Runs the suite against `target`; scenario (`file:line name`) → outcome.
fn outcomes(tag: &str, target: &str) -> BTreeMap<String, String> {
    let dir = std::env::temp_dir().join(format!("gbcs-xport-{tag}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let json = dir.join("summary.json");
    let out = Command::new(BIN)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--quiet", "--target", target])
        // Only sim:// has a device-state channel and a twin-element meter without a profile.
        .args([
            "--tags",
            "not @needs-device-state-errors and not @needs-twin-element",
        ])
        // A discarded command is only known as such when the wait runs out: keep it short,
        // but not so short that a debug-built device on a busy machine misses it (the
        // waits overlap: commands stay in flight together on tcp:// and exec:).
        .args(["--response-timeout", "2"])
        .arg("--junit")
        .arg(dir.join("junit.xml"))
        .arg("--json")
        .arg(&json)
        .output()
        .unwrap();
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&json).unwrap()).unwrap();
    println!(
        "{target}: exit {:?}, {} passed, {} failed, {} not applicable, {:.1} s",
        out.status.code(),
        summary["passed"],
        summary["failed"],
        summary["not_applicable"],
        summary["duration_s"].as_f64().unwrap_or(0.0)
    );
    summary["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let outcome = match r["failure"].as_str() {
                Some(f) => format!("failed ({f})"),
                None => r["outcome"].as_str().unwrap().to_string(),
            };
            (
                format!(
                    "{} {}",
                    r["location"].as_str().unwrap(),
                    r["name"].as_str().unwrap()
                ),
                outcome,
            )
        })
        .collect()
}

#[test]
fn the_suite_gives_identical_outcomes_over_every_transport() {
    let (_tcp_server, tcp_addr) = start_server(&[]);
    let (_http_server, http_addr) = start_http_server(&[]);
    let targets = [
        ("sim", "sim://".to_string()),
        ("tcp", format!("tcp://{tcp_addr}")),
        ("exec", format!("exec:{BIN} simulate --stdio")),
        ("http", http_addr.clone()),
    ];
    // The shared targets spend their time waiting out discarded commands: run them at once.
    let results: Vec<(String, BTreeMap<String, String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = targets
            .iter()
            .map(|(tag, url)| s.spawn(move || (url.clone(), outcomes(tag, url))))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let (reference_url, reference) = &results[0];
    assert!(reference.len() > 400, "{} scenarios", reference.len());
    assert!(
        reference
            .values()
            .all(|o| o == "passed" || o == "not_applicable"),
        "{reference_url}: {:?}",
        reference
            .iter()
            .filter(|(_, o)| o.starts_with("failed"))
            .collect::<Vec<_>>()
    );
    for (url, got) in &results[1..] {
        let differing: Vec<String> = reference
            .keys()
            .chain(got.keys())
            .filter(|k| reference.get(*k) != got.get(*k))
            .map(|k| {
                format!(
                    "{k}: {reference_url} {:?} vs {url} {:?}",
                    reference.get(k),
                    got.get(k)
                )
            })
            .collect();
        assert!(differing.is_empty(), "{}", differing.join("\n"));
    }
}

/// `run --pool`: the scenarios are shared out between the instances, and an instance that
/// cannot be reached fails its own scenarios, naming it, while the others pass.
#[test]
fn a_pool_shares_the_scenarios_out_between_device_instances() {
    let (_first, first) = start_server(&[]);
    let (_second, second) = start_server(&[]);
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("tcp://{}", l.local_addr().unwrap())
    };
    let run = |pool: &str, tag: &str| {
        let dir = std::env::temp_dir().join(format!("gbcs-pool-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let json = dir.join("summary.json");
        Command::new(BIN)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["run", "--quiet", "--target", &format!("tcp://{first}")])
            .args(["--pool", pool, "--concurrency", "2"])
            .args(["--tags", "(@ECS45 or @ECS52 or @ECS66 or @ECS20a or @ECS21a or @ECS17a) and not @needs-device-state-errors"])
            .arg("--junit")
            .arg(dir.join("junit.xml"))
            .arg("--json")
            .arg(&json)
            .output()
            .unwrap();
        let summary: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&json).unwrap()).unwrap();
        let _ = fs::remove_dir_all(&dir);
        summary
    };
    let both = run(&format!("tcp://{second}"), "live");
    let ran = both["passed"].as_u64().unwrap();
    assert!(ran >= 6, "{both}");
    assert_eq!(both["failed"], 0, "{both}");

    let half = run(&dead, "dead");
    let failed = half["failed"].as_u64().unwrap();
    let passed = half["passed"].as_u64().unwrap();
    assert_eq!(passed + failed, ran, "{half}");
    assert!(failed > 0 && passed > 0, "shared out: {half}");
    for r in half["results"].as_array().unwrap() {
        if let Some(failure) = r["failure"].as_str() {
            assert!(failure.contains(&dead), "{failure}");
            assert!(failure.contains("cannot connect"), "{failure}");
        }
    }
}
