//! The first hour with the harness (issue 15), end to end through the built binary: results
//! that look like success only when they are (an empty tag selection, `--concurrency 0`,
//! `decode --summary`, a run cut by its deadline), a target checked once before any
//! scenario, a profile's keys checked when it loads, and paths that mean the same from
//! wherever the command runs.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::junit::check_valid;
use common::{start_server, BIN};

fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gbcs-first-hour-{tag}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

struct Ran {
    out: Output,
    dir: PathBuf,
}

impl Ran {
    fn code(&self) -> Option<i32> {
        self.out.status.code()
    }
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    fn summary(&self) -> serde_json::Value {
        let text = fs::read_to_string(self.dir.join("summary.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }
    fn junit(&self) -> PathBuf {
        self.dir.join("junit.xml")
    }
}

/// `gbcs-harness run ARGS` from `cwd`, its reports in a scratch folder.
fn run_in(cwd: &Path, tag: &str, args: &[&str]) -> Ran {
    let dir = scratch(tag);
    let out = Command::new(BIN)
        .current_dir(cwd)
        .arg("run")
        .args(args)
        .arg("--junit")
        .arg(dir.join("junit.xml"))
        .arg("--json")
        .arg(dir.join("summary.json"))
        .output()
        .unwrap();
    Ran { out, dir }
}

fn run(tag: &str, args: &[&str]) -> Ran {
    run_in(crate_dir(), tag, args)
}

/// A refused run: exit 2, nothing on stdout, one line on stderr containing each of `words`.
fn assert_refused_in_one_line(r: &Ran, words: &[&str]) -> String {
    assert_eq!(r.code(), Some(2), "{}\n{}", r.stdout(), r.stderr());
    assert!(r.stdout().is_empty(), "{}", r.stdout());
    let err = r.stderr();
    assert_eq!(err.lines().count(), 1, "{err}");
    for w in words {
        assert!(err.contains(w), "{w:?} not in {err}");
    }
    err
}

/// A port nothing listens on: bound, then released.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[test]
fn a_tag_expression_that_selects_nothing_is_an_error_unless_allowed() {
    let r = run("notag", &["--tags", "@nosuchtag"]);
    assert_refused_in_one_line(&r, &["@nosuchtag", "selects no scenario"]);
    let r = run("notag-allowed", &["--tags", "@nosuchtag", "--allow-empty"]);
    assert_eq!(r.code(), Some(0), "{}{}", r.stdout(), r.stderr());
    assert_eq!(r.summary()["scenarios"], 0);
}

#[test]
fn concurrency_zero_is_a_usage_error() {
    let r = run("conc0", &["--concurrency", "0", "--tags", "@ECS01a"]);
    assert_eq!(r.code(), Some(2), "{}", r.stderr());
    assert!(r.stderr().contains("--concurrency"), "{}", r.stderr());
    assert!(!r.dir.join("summary.json").exists());
}

#[test]
fn decode_summary_names_the_reason_for_every_failed_input() {
    let missing = "/nonexistent/gbcs-first-hour/x.HEX";
    let out = Command::new(BIN)
        .args(["decode", "--summary", missing, "0011"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["failed"], 2, "{summary}");
    let failures = summary["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 2, "{summary}");
    assert!(failures[0]["reason"].as_str().unwrap().contains(missing));
    assert!(!failures[1]["reason"].as_str().unwrap().is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(err.contains(missing), "{err}");
}

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

#[test]
fn a_deadline_reports_what_it_cut_as_not_run_and_the_counts_agree_with_the_exit_code() {
    let target = silent_target();
    let r = run(
        "deadline",
        &[
            "--target",
            &target,
            "--tags",
            "@smets1",
            "--response-timeout",
            "1",
            "--concurrency",
            "2",
            "--deadline",
            "2",
        ],
    );
    assert_eq!(r.code(), Some(1), "{}{}", r.stdout(), r.stderr());
    let s = r.summary();
    assert_eq!(s["exit_code"], 1, "{s}");
    assert_eq!(s["deadline_reached"], true);
    let count = |k: &str| s[k].as_u64().unwrap();
    assert!(count("not_run") > 0, "{s}");
    assert_eq!(
        count("scenarios"),
        count("passed") + count("failed") + count("not_applicable") + count("not_run"),
        "{s}"
    );
    let listed = s["not_run_scenarios"].as_array().unwrap();
    assert_eq!(listed.len() as u64, count("not_run"));
    let not_run_results = s["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["outcome"] == "not_run")
        .inspect(|l| assert_eq!(l["reason"], "not run: deadline reached", "{l}"))
        .count();
    assert_eq!(not_run_results as u64, count("not_run"));
    // Every selected scenario is in the JUnit report, the ones not run as skipped.
    check_valid(&r.junit());
    let doc = fs::read_to_string(r.junit()).unwrap();
    assert_eq!(doc.matches("<testcase ").count() as u64, count("scenarios"));
    assert_eq!(
        doc.matches(r#"<skipped message="not run: deadline reached""#)
            .count() as u64,
        count("not_run"),
        "{doc}"
    );
    assert!(r.stdout().contains("not run"), "{}", r.stdout());
}

#[test]
fn an_unreachable_target_is_one_line_and_exit_2() {
    let url = format!("tcp://127.0.0.1:{}", closed_port());
    let r = run("unreachable", &["--target", &url]);
    let err = assert_refused_in_one_line(&r, &[]);
    assert_eq!(
        err.trim_end(),
        format!("error: cannot reach {url}: Connection refused")
    );

    let r = run("badport", &["--target", "tcp://127.0.0.1:99999"]);
    assert_refused_in_one_line(&r, &["99999", "out of range"]);

    let r = run("noexec", &["--target", "exec:./nonexistent-binary --stdio"]);
    assert_refused_in_one_line(&r, &["cannot reach exec:", "nonexistent-binary"]);

    let url = format!("http://127.0.0.1:{}/he", closed_port());
    let r = run("nohttp", &["--target", &url]);
    assert_refused_in_one_line(&r, &["cannot reach", &url]);
}

#[test]
fn a_profile_naming_a_party_without_its_key_fails_when_it_loads() {
    let dir = scratch("profile-keys");
    let profile = dir.join("device.toml");
    fs::write(
        &profile,
        "target = \"sim://\"\n[remote_parties]\nimport-supplier = \"90B3D51F30010099\"\n",
    )
    .unwrap();
    let r = run(
        "profile-keys-run",
        &["--profile", profile.to_str().unwrap(), "--tags", "@ECS01a"],
    );
    assert_refused_in_one_line(
        &r,
        &[
            "import-supplier",
            "90B3D51F30010099",
            "no digital-signature private key",
        ],
    );
}

/// The scenario locations a run's summary lists.
fn scenario_count(r: &Ran) -> u64 {
    r.summary()["scenarios"].as_u64().unwrap()
}

#[test]
fn run_features_is_the_same_run_as_a_plain_run() {
    // @ECS01a is in the electricity features and in replay/.
    let plain = run("plain", &["--tags", "@ECS01a"]);
    let named = run("named", &["features", "--tags", "@ECS01a"]);
    assert_eq!(plain.code(), Some(0), "{}", plain.stdout());
    assert_eq!(named.code(), Some(0), "{}", named.stdout());
    assert!(scenario_count(&plain) > 0);
    assert_eq!(scenario_count(&plain), scenario_count(&named));
    // replay/ runs when named.
    let replay = run(
        "replay-named",
        &["features/replay", "--tags", "@ECS01a", "--target", "sim://"],
    );
    assert!(scenario_count(&replay) > 0, "{}", replay.stdout());
}

#[test]
fn run_from_outside_the_repository_finds_the_vectors_beside_the_features() {
    let root = crate_dir();
    let outside = root.parent().unwrap();
    let features = Path::new(root.file_name().unwrap()).join("features");
    let r = run_in(
        outside,
        "outside",
        &[features.to_str().unwrap(), "--tags", "@ECS01a"],
    );
    assert_eq!(r.code(), Some(0), "{}{}", r.stdout(), r.stderr());
    let s = r.summary();
    assert!(s["passed"].as_u64().unwrap() > 0, "{s}");
    assert_eq!(s["failed"], 0, "{s}");
}

#[test]
fn load_takes_the_same_tcp_url_as_run() {
    let (_server, addr) = start_server(&["--devices", "2"]);
    let out = Command::new(BIN)
        .args([
            "load",
            "--target",
            &format!("tcp://{addr}"),
            "--devices",
            "2",
            "--connections",
            "1",
            "--requests",
            "20",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The RTDS ZAZ1 key store (`$GBCS_RTDS_DIR/keystore`, default `../shared/rtds`), or `None`
/// with a message (a failure when `GBCS_REQUIRE_RTDS=1`).
fn rtds_keystore(test: &str) -> Option<PathBuf> {
    let rtds = std::env::var_os("GBCS_RTDS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate_dir().join("../shared/rtds"));
    let keys = rtds.join("keystore");
    if keys.is_dir() {
        return Some(keys);
    }
    assert!(
        std::env::var_os("GBCS_REQUIRE_RTDS").is_none_or(|v| v != "1"),
        "{test}: the RTDS key store {} is required (GBCS_REQUIRE_RTDS=1)",
        keys.display()
    );
    eprintln!(
        "{test}: skipped, RTDS key store not found at {} (set GBCS_RTDS_DIR)",
        keys.display()
    );
    None
}

/// README "Test your own device", step by step, from a folder outside the checkout: a
/// device with other identities (`simulate --keys`, the RTDS lab) publishes its
/// certificates, `init` writes and checks a profile for it, and the command `init` prints
/// gives a JUnit with passing scenarios.
#[test]
fn init_writes_a_profile_that_tests_another_device_identity() {
    let Some(keys) = rtds_keystore("init_writes_a_profile_that_tests_another_device_identity")
    else {
        return;
    };
    let work = scratch("init");
    let certs = work.join("certs");
    let keys = keys.to_str().unwrap();
    let (_device, addr) =
        start_server(&["--keys", keys, "--publish-keys", certs.to_str().unwrap()]);
    let target = format!("tcp://{addr}");

    let init = Command::new(BIN)
        .current_dir(&work)
        .args(["init", "mydevice", "--target", &target, "--keys", keys])
        .args(["--device-certs", "certs"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&init.stdout).into_owned();
    assert_eq!(
        init.status.code(),
        Some(0),
        "{said}{}",
        String::from_utf8_lossy(&init.stderr)
    );
    assert!(said.contains("checks passed"), "{said}");
    let next = said
        .lines()
        .find_map(|l| l.strip_prefix("next: gbcs-harness "))
        .expect("a next command")
        .to_string();
    let profile = fs::read_to_string(work.join("mydevice/device.toml")).unwrap();
    assert!(
        profile.contains(&target) && profile.contains("00DB1234567890A0"),
        "{profile}"
    );

    // Again: the profile is kept unless --force.
    let again = Command::new(BIN)
        .current_dir(&work)
        .args(["init", "mydevice"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));

    let run = Command::new(BIN)
        .current_dir(&work)
        .args(next.split_whitespace())
        .args(["--tags", "@ECS45 or @ECS01a", "--quiet"])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&run.stdout).into_owned();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{out}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(work.join("mydevice/summary.json")).unwrap())
            .unwrap();
    assert!(summary["passed"].as_u64().unwrap() >= 5, "{summary}");
    assert_eq!(summary["failed"], 0, "{summary}");
    check_valid(&work.join("mydevice/junit.xml"));

    // A target that does not answer: the profile is written, the check names it, exit 1.
    let closed = format!("tcp://127.0.0.1:{}", closed_port());
    let down = Command::new(BIN)
        .current_dir(&work)
        .args(["init", "down", "--target", &closed])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&down.stdout).into_owned();
    assert_eq!(down.status.code(), Some(1), "{said}");
    assert!(
        said.contains(&format!("check failed: cannot reach {closed}")),
        "{said}"
    );
    assert!(work.join("down/device.toml").is_file());
}

#[test]
fn fail_fast_reports_what_it_did_not_run() {
    let r = run(
        "fail-fast",
        &[
            "--target",
            "sim://?fault=accept-replay",
            "--fail-fast",
            "--tags",
            "@security or @smets1",
        ],
    );
    assert_eq!(r.code(), Some(1), "{}", r.stdout());
    let s = r.summary();
    let count = |k: &str| s[k].as_u64().unwrap();
    assert!(count("failed") >= 1 && count("not_run") > 0, "{s}");
    assert_eq!(s["exit_code"], 1);
    assert_eq!(
        count("scenarios"),
        count("passed") + count("failed") + count("not_applicable") + count("not_run"),
        "{s}"
    );
    assert!(s["results"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["reason"] == "not run: --fail-fast stopped the run"));
}
