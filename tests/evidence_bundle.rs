//! `run --evidence DIR` and `report verify DIR`, through the binary: a bundle a run writes
//! verifies; changing any byte of any file in it, adding a file or removing one, removing a
//! core file with its manifest line, or listing a file behind a link does not;
//! a folder that is not empty, and a harness checkout with uncommitted changes (the folder
//! checked is set with `GBCS_HARNESS_SOURCE_DIR`), stop the run before it starts.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_gbcs-harness");
const FEATURE: &str = "features/electricity/ECS17b.feature";

/// A fresh temporary folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gbcs-evidence-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The harness, run in the checkout (the feature paths are relative to it); every test
/// sends its reports to a scratch folder, since tests run in parallel.
fn harness() -> Command {
    let mut c = Command::new(BIN);
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("GBCS_HARNESS_SOURCE_DIR");
    c
}

fn run_with_evidence(scratch: &Path, bundle: &Path, extra: &[&str]) -> Output {
    evidence_run(harness(), scratch, bundle, extra)
}

/// `c` runs the feature with its reports in `scratch` and its evidence in `bundle`.
fn evidence_run(mut c: Command, scratch: &Path, bundle: &Path, extra: &[&str]) -> Output {
    c.arg("run")
        .arg(FEATURE)
        .arg("--quiet")
        .arg("--junit")
        .arg(scratch.join("junit.xml"))
        .arg("--json")
        .arg(scratch.join("summary.json"))
        .arg("--html")
        .arg(scratch.join("index.html"))
        .arg("--evidence")
        .arg(bundle)
        .args(extra);
    c.output().unwrap()
}

fn verify(bundle: &Path) -> Output {
    Command::new(BIN)
        .args(["report", "verify"])
        .arg(bundle)
        .output()
        .unwrap()
}

/// The bundle's `harness.json`.
fn harness_json(bundle: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(bundle.join("harness.json")).unwrap()).unwrap()
}

/// The harness with its source folder set to `source`.
fn harness_from(source: &Path) -> Command {
    let mut c = harness();
    c.env("GBCS_HARNESS_SOURCE_DIR", source);
    c
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Every file below `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_bundle_verifies_and_any_changed_byte_or_file_does_not() {
    let scratch = scratch("bundle");
    let bundle = scratch.join("bundle");
    let out = run_with_evidence(&scratch, &bundle, &["--allow-dirty"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );

    // What the bundle holds.
    let all = files(&bundle);
    for f in [
        "MANIFEST.sha256",
        "harness.json",
        "index.html",
        "junit.xml",
        "profile.toml",
        "summary.json",
    ] {
        assert!(all.iter().any(|a| a == f), "{f} missing from {all:?}");
    }
    let traffic: Vec<&String> = all.iter().filter(|f| f.starts_with("traffic/")).collect();
    assert_eq!(traffic.len(), 3, "a traffic file per scenario: {all:?}");
    for t in &traffic {
        let body = std::fs::read_to_string(bundle.join(t)).unwrap();
        assert!(body.starts_with("# scenario: ECS17b "), "{t}: {body}");
        // Each scenario sent a command and got its response.
        assert!(
            body.lines().any(|l| l.contains(" sent "))
                && body.lines().any(|l| l.contains(" received ")),
            "{t} has no traffic:\n{body}"
        );
    }
    assert!(
        all.iter()
            .any(|f| f == "vectors/ECS17b/ECS17b_4.1.1_SINGLE_SUCCESS.json"),
        "{all:?}"
    );
    let harness: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(bundle.join("harness.json")).unwrap())
            .unwrap();
    assert_eq!(harness["harness"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(harness["target"], "sim://");
    assert_eq!(harness["exit_code"], 0);
    assert!(harness["command_line"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "--evidence"));
    let profile = std::fs::read_to_string(bundle.join("profile.toml")).unwrap();
    assert!(profile.contains("target = \"sim://\""), "{profile}");
    let manifest = std::fs::read_to_string(bundle.join("MANIFEST.sha256")).unwrap();
    assert_eq!(manifest.lines().count(), all.len() - 1, "{manifest}");

    let ok = verify(&bundle);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    assert_eq!(
        text(&ok.stdout).trim(),
        format!(
            "bundle {} verified: {} files",
            bundle.display(),
            all.len() - 1
        )
    );

    // One byte changed, in any file (the manifest too), at its start, middle and end.
    for f in &all {
        let path = bundle.join(f);
        let original = std::fs::read(&path).unwrap();
        assert!(!original.is_empty(), "{f} is empty");
        for at in [0, original.len() / 2, original.len() - 1] {
            let mut changed = original.clone();
            changed[at] ^= 0x01;
            std::fs::write(&path, &changed).unwrap();
            let out = verify(&bundle);
            assert_eq!(
                out.status.code(),
                Some(1),
                "{f} byte {at} changed, yet: {}",
                text(&out.stdout)
            );
            if f != "MANIFEST.sha256" {
                assert!(
                    text(&out.stderr).contains(&format!("{f}: changed")),
                    "{f}: {}",
                    text(&out.stderr)
                );
            }
        }
        std::fs::write(&path, &original).unwrap();
    }
    assert_eq!(verify(&bundle).status.code(), Some(0));

    // A file added, at the top or below.
    for extra in ["notes.txt", "traffic/extra.txt"] {
        std::fs::write(bundle.join(extra), "added later\n").unwrap();
        let out = verify(&bundle);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            text(&out.stderr).contains(&format!("{extra}: not listed")),
            "{}",
            text(&out.stderr)
        );
        std::fs::remove_file(bundle.join(extra)).unwrap();
    }
    // A file removed.
    let gone = traffic[0].clone();
    let kept = std::fs::read(bundle.join(&gone)).unwrap();
    std::fs::remove_file(bundle.join(&gone)).unwrap();
    let out = verify(&bundle);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(&format!("{gone}: listed in the manifest but missing")),
        "{}",
        text(&out.stderr)
    );
    std::fs::write(bundle.join(&gone), kept).unwrap();
    assert_eq!(verify(&bundle).status.code(), Some(0));

    // The manifest's own format: sha256sum reads it too.
    if Command::new("sha256sum").arg("--version").output().is_ok() {
        let out = Command::new("sha256sum")
            .args(["-c", "--quiet", "MANIFEST.sha256"])
            .current_dir(&bundle)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stdout));
    } else {
        println!("sha256sum not found: its check of the manifest is skipped");
    }

    // Hollowed out: the JUnit report deleted with its manifest line.
    let manifest_path = bundle.join("MANIFEST.sha256");
    let junit = std::fs::read(bundle.join("junit.xml")).unwrap();
    std::fs::remove_file(bundle.join("junit.xml")).unwrap();
    let without: String = manifest
        .lines()
        .filter(|l| !l.ends_with("  junit.xml"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&manifest_path, &without).unwrap();
    let out = verify(&bundle);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr)
            .contains("junit.xml: not listed in the manifest, yet every bundle has it"),
        "{}",
        text(&out.stderr)
    );
    std::fs::write(bundle.join("junit.xml"), junit).unwrap();
    std::fs::write(&manifest_path, &manifest).unwrap();
    assert_eq!(verify(&bundle).status.code(), Some(0));

    // A listed file behind a linked folder (`x -> /etc`, `x/passwd` listed with its real
    // digest) is not read through the link.
    #[cfg(unix)]
    if Path::new("/etc/passwd").is_file() {
        std::os::unix::fs::symlink("/etc", bundle.join("x")).unwrap();
        let digest = Command::new("sha256sum").arg("/etc/passwd").output();
        let digest = match digest {
            Ok(o) if o.status.success() => text(&o.stdout)[..64].to_string(),
            _ => "0".repeat(64),
        };
        std::fs::write(&manifest_path, format!("{manifest}{digest}  x/passwd\n")).unwrap();
        let out = verify(&bundle);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
        assert!(
            text(&out.stderr)
                .contains("x/passwd: listed in the manifest but its path goes through the link x"),
            "{}",
            text(&out.stderr)
        );
        std::fs::remove_file(bundle.join("x")).unwrap();
        std::fs::write(&manifest_path, &manifest).unwrap();
        assert_eq!(verify(&bundle).status.code(), Some(0));
    }

    // Not a bundle at all.
    let out = verify(&scratch);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(verify(&scratch.join("absent")).status.code(), Some(2));
    std::fs::remove_dir_all(&scratch).unwrap();
}

#[test]
fn a_folder_that_is_not_empty_is_refused_before_the_run() {
    let scratch = scratch("not-empty");
    let bundle = scratch.join("bundle");
    std::fs::create_dir_all(&bundle).unwrap();
    std::fs::write(bundle.join("old.txt"), "from before").unwrap();
    let out = run_with_evidence(&scratch, &bundle, &["--allow-dirty"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(files(&bundle), ["old.txt"]);
    assert!(!scratch.join("junit.xml").exists(), "the run started");
    std::fs::remove_dir_all(&scratch).unwrap();
}

fn git(dir: &Path, args: &[&str]) -> bool {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn a_dirty_checkout_is_refused_unless_allowed_and_a_clean_one_is_recorded() {
    let scratch = scratch("dirty");
    let repo = scratch.join("harness-src");
    std::fs::create_dir_all(&repo).unwrap();
    if !git(&repo, &["init", "-q"]) {
        println!("SKIP a_dirty_checkout_is_refused: git is not available");
        return;
    }
    std::fs::write(repo.join("README"), "harness\n").unwrap();
    assert!(git(&repo, &["add", "README"]));
    assert!(git(&repo, &["commit", "-q", "-m", "one"]));
    let head = Command::new("git")
        .arg("-C")
        .arg(&repo)
        .args(["rev-parse", "HEAD"])
        .output()
        .unwrap();
    let head = text(&head.stdout).trim().to_string();

    // Clean: the run goes ahead and names the commit.
    let bundle = scratch.join("clean");
    let out = evidence_run(harness_from(&repo), &scratch, &bundle, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let recorded = harness_json(&bundle);
    assert_eq!(recorded["harness"]["commit"], head.as_str());
    assert_eq!(recorded["harness"]["dirty"], false);
    let html = std::fs::read_to_string(bundle.join("index.html")).unwrap();
    assert!(html.contains(&head), "the HTML report names the commit");

    // Dirty: refused in one line, nothing written.
    std::fs::write(repo.join("patch.rs"), "// not committed\n").unwrap();
    let refused = scratch.join("refused");
    let run = |extra: &[&str]| evidence_run(harness_from(&repo), &scratch, &refused, extra);
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("uncommitted changes")
            && err.contains("patch.rs")
            && err.contains("--allow-dirty"),
        "{err}"
    );
    assert!(!refused.exists(), "nothing is written for a refused run");

    // Allowed: the bundle says so.
    let out = run(&["--allow-dirty"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(harness_json(&refused)["harness"]["dirty"], true);
    assert_eq!(verify(&refused).status.code(), Some(0));

    // Not a checkout: the commit is unknown, and the run is not refused.
    let plain = scratch.join("plain");
    std::fs::create_dir_all(&plain).unwrap();
    let bundle = scratch.join("unknown");
    let mut c = harness_from(&plain);
    c.env("GIT_CEILING_DIRECTORIES", &scratch);
    let out = evidence_run(c, &scratch, &bundle, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let recorded = harness_json(&bundle);
    if option_env!("GBCS_HARNESS_COMMIT").is_none() {
        assert!(recorded["harness"]["commit"].is_null(), "{recorded}");
    }
    assert!(recorded["harness"]["dirty"].is_null(), "{recorded}");
    std::fs::remove_dir_all(&scratch).unwrap();
}
