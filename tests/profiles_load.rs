//! The shipped profiles load with the harness's own loader, and every relative path in a
//! profile (keys, recordings, and the `replay:`/`reference:` folder and `exec:` program of its
//! target) is relative to the profile's folder, so a profile works from any working folder.
//!
//! The RTDS profiles point at `../shared` beside the checkout (their paths are fixed in the
//! files); where it is absent the tests that need it say so and skip, and fail with
//! `GBCS_REQUIRE_RTDS=1`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use gbcs_harness::runner::profile::{resolve_target, DutProfile};

const BIN: &str = env!("CARGO_BIN_EXE_gbcs-harness");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Whether the shared data the RTDS profiles name is beside the checkout; skips (or fails
/// under `GBCS_REQUIRE_RTDS=1`) when not.
fn shared_present(test: &str) -> bool {
    let dir = root().join("../shared/rtds");
    if dir.join("RTDS-4.5.0").is_dir() && dir.join("keystore").is_dir() {
        return true;
    }
    if std::env::var("GBCS_REQUIRE_RTDS").is_ok_and(|v| v == "1") {
        panic!(
            "{test}: the RTDS is required (GBCS_REQUIRE_RTDS=1) but {} is absent",
            dir.display()
        );
    }
    eprintln!(
        "{test}: skipped: the RTDS profiles' data is not at {}",
        dir.display()
    );
    false
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gbcs-profiles-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn every_shipped_profile_loads() {
    let mut names: Vec<PathBuf> = fs::read_dir(root().join("profiles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    names.sort();
    assert!(names.len() >= 7, "{names:?}");
    let needs_shared = |p: &Path| {
        let text = fs::read_to_string(p).unwrap();
        text.contains("../shared/")
    };
    let shared = shared_present("every_shipped_profile_loads");
    for p in &names {
        if needs_shared(p) && !shared {
            continue;
        }
        let r = DutProfile::load(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert!(r.target.is_some(), "{}", p.display());
    }
}

#[test]
fn tcp_profile_reads_max_frame_as_the_top_level_key() {
    let tcp = DutProfile::load(&root().join("profiles/tcp.toml")).unwrap();
    assert_eq!(tcp.limits.max_frame, 70_000);
    assert_eq!(tcp.target.as_deref(), Some("tcp://127.0.0.1:4059"));
    // The defect the file had: after `[timeouts]` the key belongs to that table, and the
    // loader refuses it by name rather than ignoring the limit.
    let dir = scratch("maxframe");
    let bad = dir.join("bad.toml");
    fs::write(&bad, "[timeouts]\nresponse_s = 10\nmax_frame = 70000\n").unwrap();
    let e = DutProfile::load(&bad).expect_err("refused").to_string();
    assert!(e.contains("max_frame"), "{e}");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn target_paths_are_relative_to_the_profile_folder() {
    let base = Path::new("/lab/profiles");
    let cases = [
        ("replay:../rtds", "replay:/lab/profiles/../rtds"),
        ("replay:/abs/rtds", "replay:/abs/rtds"),
        (
            "reference:rtds?esme=twin&keys=../keys",
            "reference:/lab/profiles/rtds?esme=twin&keys=/lab/profiles/../keys",
        ),
        (
            "exec:./meter-host --gbcs-stdio",
            "exec:/lab/profiles/meter-host --gbcs-stdio",
        ),
        (
            "exec:  build/x a 'b c'",
            "exec:/lab/profiles/build/x a 'b c'",
        ),
        ("exec:'./my host' -v", "exec:'/lab/profiles/my host' -v"),
        // A bare name is looked up on PATH; an absolute program stays.
        ("exec:meter-host ./arg", "exec:meter-host ./arg"),
        ("exec:/opt/meter-host", "exec:/opt/meter-host"),
        ("tcp://127.0.0.1:4059", "tcp://127.0.0.1:4059"),
        ("sim://?fault=accept-replay", "sim://?fault=accept-replay"),
    ];
    for (given, want) in cases {
        assert_eq!(resolve_target(given, base).unwrap(), want, "{given}");
    }
    // A profile in the working folder leaves `./x` as it is (not a PATH lookup of `x`).
    assert_eq!(
        resolve_target("exec:./x", Path::new("")).unwrap(),
        "exec:./x"
    );
    assert!(resolve_target("exec:'./x", base).is_err());
}

#[test]
fn rtds_profile_replays_from_another_working_folder() {
    if !shared_present("rtds_profile_replays_from_another_working_folder") {
        return;
    }
    let profile = root().join("profiles/rtds.toml");
    let r = DutProfile::load(&profile).unwrap();
    let target = r.target.unwrap();
    let dir = target.strip_prefix("replay:").expect("a replay: target");
    assert_eq!(
        fs::canonicalize(dir).unwrap(),
        fs::canonicalize(root().join("../shared/rtds/RTDS-4.5.0")).unwrap()
    );
    // The same target as the recordings the profile names.
    assert_eq!(
        fs::canonicalize(dir).unwrap(),
        fs::canonicalize(r.lab.replay_dir.unwrap()).unwrap()
    );

    // From a folder that is neither the checkout nor the profile's: one use case's recorded
    // exchanges (its Examples tag) judged offline.
    let elsewhere = scratch("rtds-cwd");
    let json = elsewhere.join("summary.json");
    let out = Command::new(BIN)
        .current_dir(&elsewhere)
        .arg("run")
        .arg(root().join("features/replay"))
        .arg("--profile")
        .arg(&profile)
        .args(["--tags", "@ECS01a", "--quiet", "--junit", "j.xml", "--json"])
        .arg(&json)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["passed"], 5, "{v}");
    fs::remove_dir_all(&elsewhere).unwrap();
}

#[test]
fn exec_program_is_relative_to_the_profile_folder() {
    let lab = scratch("exec");
    let profile_dir = lab.join("device");
    fs::create_dir_all(profile_dir.join("build")).unwrap();
    let host = profile_dir.join("build/meter-host");
    fs::write(&host, format!("#!/bin/sh\nexec '{BIN}' simulate --stdio\n")).unwrap();
    make_executable(&host);
    let profile = profile_dir.join("device.toml");
    fs::write(
        &profile,
        "# the firmware stand-in, relative to this file\n\
         target = \"exec:./build/meter-host --gbcs-stdio-ignored\"\n",
    )
    .unwrap();
    // The stand-in ignores its arguments: `exec` replaces the shell with the simulator.
    let elsewhere = lab.join("cwd");
    fs::create_dir_all(&elsewhere).unwrap();
    let out = Command::new(BIN)
        .current_dir(&elsewhere)
        .arg("run")
        .arg(root().join("docs/examples/supplier-reads-esme.feature"))
        .arg("--profile")
        .arg(&profile)
        .arg("--vectors")
        .arg(root().join("vectors"))
        .args(["--quiet", "--junit", "j.xml", "--json", "s.json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(elsewhere.join("s.json")).unwrap()).unwrap();
    assert_eq!(
        (v["passed"].as_u64(), v["failed"].as_u64()),
        (Some(3), Some(0)),
        "{v}"
    );
    fs::remove_dir_all(&lab).unwrap();
}

fn make_executable(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut perm = fs::metadata(p).unwrap().permissions();
    perm.set_mode(0o755);
    fs::set_permissions(p, perm).unwrap();
}

/// `init --target exec:./x` means `./x` from where init runs: the profile it writes names the
/// program absolutely, so the profile (whose relative paths are its own) still finds it.
#[test]
fn init_writes_a_relative_exec_program_so_the_profile_finds_it() {
    let lab = scratch("init-exec");
    fs::create_dir_all(lab.join("build")).unwrap();
    let host = lab.join("build/meter-host");
    fs::write(&host, format!("#!/bin/sh\nexec '{BIN}' simulate --stdio\n")).unwrap();
    make_executable(&host);
    let init = Command::new(BIN)
        .current_dir(&lab)
        .args([
            "init",
            "dev",
            "--target",
            "exec:./build/meter-host --gbcs-stdio",
        ])
        .output()
        .unwrap();
    assert!(
        init.status.success(),
        "{}{}",
        String::from_utf8_lossy(&init.stdout),
        String::from_utf8_lossy(&init.stderr)
    );
    let text = fs::read_to_string(lab.join("dev/device.toml")).unwrap();
    let written = format!("exec:{}/build/meter-host --gbcs-stdio", lab.display());
    assert!(text.contains(&written), "{text}");
    let elsewhere = lab.join("dev");
    let out = Command::new(BIN)
        .current_dir(&elsewhere)
        .arg("run")
        .arg(root().join("docs/examples/supplier-reads-esme.feature"))
        .args([
            "--profile",
            "device.toml",
            "--quiet",
            "--json",
            "s.json",
            "--junit",
            "j.xml",
        ])
        .arg("--vectors")
        .arg(root().join("vectors"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    fs::remove_dir_all(&lab).unwrap();
}
