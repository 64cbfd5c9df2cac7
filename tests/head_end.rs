//! A head-end under test (`run features/head-end --profile …`), the harness playing the DCC:
//! the reference head-end (`gbcs-harness head-end`, a separate process on real sockets)
//! passes every scenario with `profiles/head-end.toml`; each of its fault modes is caught with
//! a failure of the kind that names it (the kill rate is printed); and head-ends that send
//! nothing, garbage, a flood, or hold the connection fail their scenario with one line while
//! the run goes on and its reports stay valid.
//!
//! Reads the DUIS data from `../shared/duis` and the ZAZ1 key store from
//! `$GBCS_RTDS_DIR/keystore`; without them the tests say so and pass, unless
//! `GBCS_REQUIRE_RTDS=1`.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn shared() -> Option<(PathBuf, PathBuf)> {
    let duis = crate_dir().join("../shared/duis");
    let rtds = std::env::var_os("GBCS_RTDS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate_dir().join("../shared/rtds"));
    let keys = rtds.join("keystore");
    if duis.join("templates").is_dir() && keys.is_dir() {
        return Some((duis, keys));
    }
    assert!(
        std::env::var("GBCS_REQUIRE_RTDS").as_deref() != Ok("1"),
        "DUIS data or the ZAZ1 key store not found ({}, {})",
        duis.display(),
        keys.display()
    );
    eprintln!("skipped: DUIS data or the ZAZ1 key store not found");
    None
}

/// A child process, killed and reaped when dropped.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `gbcs-harness head-end --listen ADDR [--fault F]...`: it and its base URL.
fn reference_head_end(listen: &str, dcc: Option<&str>, faults: &[&str]) -> (Child, String) {
    let mut cmd = Command::new(common::BIN);
    cmd.current_dir(crate_dir())
        .args(["head-end", "--listen", listen])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(dcc) = dcc {
        cmd.args(["--dcc", dcc]);
    }
    for f in faults {
        cmd.args(["--fault", f]);
    }
    let mut child = cmd.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .strip_prefix("head-end listening on ")
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("head-end announced {line:?}"))
        .to_string();
    (Child(child), url)
}

/// A head-end profile for a head-end at `url` (reference-style endpoints), the DCC side on
/// any free port (the trigger tells the head-end where: `dcc_url`), with `trigger` as its
/// trigger.
fn profile(dir: &Path, url: &str, trigger: &str) -> PathBuf {
    let (duis, keys) = shared().expect("checked by the caller");
    let text = format!(
        r#"name = "test head-end"
target = "head-end:test"
concurrency = 1
[head_end]
name = "reference"
version = "test"
dcc_listen = "127.0.0.1:0"
callback = "{url}/duis"
inbox = "{url}/inbox"
xml_keys = "{xml}"
gbcs_keys = "{keys}"
templates = "{templates}"
trigger_timeout_s = 30
[head_end.users]
"90-B3-D5-1F-30-01-00-00" = "IS"
"90-B3-D5-1F-30-02-00-00" = "ED"
"00-DB-12-34-56-78-00-04" = "OU"
[head_end.trigger]
{trigger}
"#,
        xml = duis.join("keystore").display(),
        keys = keys.display(),
        templates = duis.join("templates").display(),
    );
    let path = dir.join("head-end.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// `run PATHS --profile PROFILE`: exit code and summary.
fn run(paths: &[&str], profile: &Path, out: &Path) -> (i32, Value) {
    let junit = out.join("junit.xml");
    let json = out.join("summary.json");
    let status = Command::new(common::BIN)
        .current_dir(crate_dir())
        .arg("run")
        .args(paths)
        .arg("--profile")
        .arg(profile)
        .arg("--junit")
        .arg(&junit)
        .arg("--json")
        .arg(&json)
        .arg("--quiet")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let summary: Value = serde_json::from_slice(&std::fs::read(&json).unwrap_or_default())
        .unwrap_or_else(|e| {
            panic!(
                "no summary ({e}); stderr: {}",
                String::from_utf8_lossy(&status.stderr)
            )
        });
    common::junit::check_valid(&junit);
    (status.status.code().unwrap_or(-1), summary)
}

fn failures(summary: &Value) -> Vec<(String, String)> {
    summary["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"] == "failed")
        .map(|r| {
            (
                r["location"].as_str().unwrap_or("").to_string(),
                r["failure"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn count(summary: &Value, what: &str) -> u64 {
    summary[what].as_u64().unwrap()
}

#[test]
fn the_reference_head_end_passes_every_scenario_with_the_shipped_profile() {
    if shared().is_none() {
        return;
    }
    // profiles/head-end.toml as shipped: the DCC on 127.0.0.1:8570, the head-end on :8571.
    let (_head_end, url) = reference_head_end("127.0.0.1:8571", Some("http://127.0.0.1:8570"), &[]);
    assert_eq!(url, "http://127.0.0.1:8571");
    let out = tempfile_dir("shipped");
    let (code, summary) = run(
        &["features/head-end"],
        &crate_dir().join("profiles/head-end.toml"),
        &out,
    );
    assert_eq!(failures(&summary), Vec::<(String, String)>::new());
    assert_eq!(code, 0);
    assert!(count(&summary, "passed") >= 139, "{summary}");
    // Not applicable only for the roles the profile's Users do not hold.
    for r in summary["results"].as_array().unwrap() {
        if r["outcome"] == "not_applicable" {
            let reason = r["reason"].as_str().unwrap();
            assert!(reason.contains("does not declare user-"), "{reason}");
        }
    }
    // The evidence: one testcase per scenario, with the head-end and the service request.
    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    for property in [
        r#"<property name="head_end" value="gbcs-harness head-end"/>"#,
        r#"<property name="head_end_version" value="reference"/>"#,
        r#"<property name="service_request" value="4.1.1"/>"#,
        r#"<property name="user_role" value="IS"/>"#,
    ] {
        assert!(junit.contains(property), "{property} in the JUnit report");
    }
    // The DUIS exchanged is the line traffic of passing scenarios too: what the DCC received
    // with its verdict, and what the DCC delivered with the head-end's answer.
    for line in [
        "received duis DUIS request #",
        "SRV 4.1.1 CV 1 RequestID 90-B3-D5-1F-30-01-00-00:",
        "sent duis DUIS delivery of ",
    ] {
        assert!(junit.contains(line), "{line} in the JUnit system-out");
    }
}

/// A folder under the target directory, emptied.
fn tempfile_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("head-end-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Each fault mode of the reference head-end and the failure kind that must name it.
const KILLS: &[(&str, &str)] = &[
    ("unsigned-request", "xml-signature"),
    ("counter-reused", "counter"),
    ("wrong-command-variant", "command-variant"),
    ("signs-tampered-pre-command", "pre-command"),
    ("wrong-originator", "request-id"),
    ("wrong-body", "request-body"),
    ("accepts-bad-signature", "receipt"),
    ("accepts-garbage", "receipt"),
    ("accepts-unknown-request", "receipt"),
    ("drops-alerts", "alert-handling"),
    ("counts-duplicates", "duplicate"),
];

#[test]
fn every_fault_mode_of_the_reference_head_end_is_caught_by_name() {
    if shared().is_none() {
        return;
    }
    let listed = Command::new(common::BIN)
        .args(["head-end", "--list-faults"])
        .output()
        .unwrap();
    let names: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    let expected: Vec<&str> = KILLS.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        names, expected,
        "every listed fault has an expected failure kind"
    );

    // The clean head-end first: no failure, so every failure below is the fault's.
    let out = tempfile_dir("clean");
    let (head_end, url) = reference_head_end("127.0.0.1:0", None, &[]);
    let p = profile(&out, &url, &format!("url = \"{url}/trigger\""));
    let (code, summary) = run(&["features/head-end"], &p, &out);
    assert_eq!(failures(&summary), Vec::<(String, String)>::new());
    assert_eq!(code, 0);
    drop(head_end);

    let mut table = Vec::new();
    let mut killed = 0;
    for (fault, kind) in KILLS {
        let out = tempfile_dir(fault);
        let (head_end, url) = reference_head_end("127.0.0.1:0", None, &[fault]);
        let p = profile(&out, &url, &format!("url = \"{url}/trigger\""));
        let (code, summary) = run(&["features/head-end"], &p, &out);
        drop(head_end);
        let fails = failures(&summary);
        let named = fails
            .iter()
            .filter(|(_, f)| f.starts_with(&format!("{kind}:")))
            .count();
        table.push(format!(
            "{fault:<28} {:>3} failed, {named:>3} as {kind}",
            fails.len()
        ));
        if named > 0 && code == 1 {
            killed += 1;
        }
    }
    println!(
        "kill rate: {killed}/{} fault modes\n{}",
        KILLS.len(),
        table.join("\n")
    );
    assert_eq!(killed, KILLS.len(), "{}", table.join("\n"));
}

#[test]
fn a_command_line_trigger_drives_the_head_end_as_the_http_one_does() {
    if shared().is_none() {
        return;
    }
    let out = tempfile_dir("command-trigger");
    let (_head_end, url) = reference_head_end("127.0.0.1:0", None, &[]);
    let trigger = format!(
        "command = [{bin:?}, \"head-end\", \"trigger\", \"--url\", \"{url}\", \"--srv\", \"{{srv}}\", \"--user\", \"{{user}}\", \"--device\", \"{{device}}\", \"--template\", \"{{template}}\", \"--dcc-url\", \"{{dcc_url}}\"]",
        bin = common::BIN
    );
    let p = profile(&out, &url, &trigger);
    let (code, summary) = run(
        &[
            "features/head-end/critical-commands.feature",
            "features/head-end/responses.feature",
        ],
        &p,
        &out,
    );
    assert_eq!(failures(&summary), Vec::<(String, String)>::new());
    assert_eq!(code, 0);
    assert!(count(&summary, "passed") >= 15, "{summary}");
}

/// What a misbehaving head-end does when triggered, or with what the DCC delivers.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Bad {
    /// Says it acted, sends nothing.
    Silent,
    /// Sends the DCC something that is not a DUIS document.
    Garbage,
    /// Sends the DCC 300 requests at once.
    Flood,
    /// Never answers the trigger.
    HoldsTrigger,
    /// Never answers a delivery to its response URL.
    HoldsCallback,
}

async fn bad_head_end(bad: Bad) -> (String, tokio::task::JoinHandle<()>) {
    use axum::routing::{get, post};
    // No idle connections kept: the DCC side serves at most 64 at once, and a flood over
    // kept-alive connections waits for them to idle out.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let trigger = move |body: axum::body::Bytes| {
        let client = client.clone();
        async move {
            let t: Value = serde_json::from_slice(&body).unwrap_or_default();
            let dcc = t["dcc_url"].as_str().unwrap_or_default().to_string();
            let url = format!("{dcc}/api/v1/serviceS");
            let post = |body: &'static str| {
                client
                    .post(&url)
                    .header("Content-Type", "application/xml")
                    .body(body)
                    .send()
            };
            match bad {
                Bad::Garbage => {
                    let _ = post("<<<garbage").await;
                }
                Bad::Flood => {
                    let all = (0..300).map(|_| post("<sr:Request xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\"/>"));
                    let _ = futures::future::join_all(all).await;
                }
                Bad::HoldsTrigger => std::future::pending::<()>().await,
                Bad::Silent | Bad::HoldsCallback => {}
            }
            "{}"
        }
    };
    let callback = move || async move {
        if bad == Bad::HoldsCallback {
            std::future::pending::<()>().await;
        }
        "ok"
    };
    let app = axum::Router::new()
        .route("/trigger", post(trigger))
        .route("/duis", post(move |_: axum::body::Bytes| callback()))
        .route("/inbox", get(|| async { r#"{"received": []}"# }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, server)
}

const BAD_INPUT_FEATURE: &str = r#"@head-end @needs-head-end @needs-user-IS
Feature: a head-end that misbehaves
  Scenario: it is asked for a read
    When the head-end is asked to read the instantaneous import registers (SRV 4.1.1)
    Then it sends a valid service request for 4.1.1 to the ESME

  Scenario: it is sent a DCC alert
    When the DCC delivers a DCC alert
    Then the head-end accepts it
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_misbehaving_head_end_fails_its_scenario_in_one_line_and_the_run_goes_on() {
    if shared().is_none() {
        return;
    }
    let cases = [
        (
            Bad::Silent,
            "no-request: the head-end sent the DCC nothing",
            true,
        ),
        (
            Bad::Garbage,
            "duis-schema: the DCC refused it with HTTP 400",
            true,
        ),
        (Bad::Flood, "duis-schema: ", true),
        (
            Bad::HoldsTrigger,
            "no-request: the trigger failed: the trigger did not finish within 2 s",
            true,
        ),
        (Bad::HoldsCallback, "no-request", false),
    ];
    for (bad, first_failure, alert_passes) in cases {
        let (url, server) = bad_head_end(bad).await;
        let out = tempfile_dir(&format!("bad-{bad:?}"));
        let feature = out.join("bad.feature");
        std::fs::write(&feature, BAD_INPUT_FEATURE).unwrap();
        let p = profile(&out, &url, &format!("url = \"{url}/trigger\""));
        if bad == Bad::HoldsTrigger {
            let text = std::fs::read_to_string(&p).unwrap();
            std::fs::write(
                &p,
                text.replace("trigger_timeout_s = 30", "trigger_timeout_s = 2"),
            )
            .unwrap();
        }
        let feature = feature.display().to_string();
        let (code, summary) =
            tokio::task::spawn_blocking(move || run(&[feature.as_str()], &p, &out))
                .await
                .unwrap();
        server.abort();
        assert_eq!(code, 1, "{bad:?}");
        let fails = failures(&summary);
        assert!(
            fails[0].1.starts_with(first_failure),
            "{bad:?}: {}",
            fails[0].1
        );
        for (_, f) in &fails {
            assert!(!f.contains('\n'), "{bad:?}: one line: {f}");
        }
        // The run went on to the second scenario, judged on its own.
        assert_eq!(count(&summary, "scenarios"), 2, "{bad:?}");
        assert_eq!(
            fails.len(),
            if alert_passes { 1 } else { 2 },
            "{bad:?}: {fails:?}"
        );
        if !alert_passes {
            assert!(
                fails[1]
                    .1
                    .starts_with("alert-handling: the head-end did not answer a DCC alert"),
                "{bad:?}: {}",
                fails[1].1
            );
        }
    }
}
