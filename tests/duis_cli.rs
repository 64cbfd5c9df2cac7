//! `gbcs-harness duis sign|verify|validate`, run as the built binary on temporary copies of
//! the RTDS request templates, with the ZAZ1 XML-signing keys of `$GBCS_DUIS_DIR/keystore`
//! (default `../shared/duis`; absent, each test says so and skips; with `GBCS_REQUIRE_RTDS=1`
//! the absence fails instead).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_gbcs-harness");

const SUPPLIER: &[&str] = &[
    "ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS.XML",
    "CCS01_8.11_SUCCESS_REQUEST_DUIS.XML",
    "8.2_READ_INVENTORY_REQUEST_DUIS.XML",
];
/// Sent by the network operator 90-B3-D5-1F-30-02-00-00.
const NETWORK_OPERATOR: &str = "ECS17a_4.2_SUCCESS_REQUEST_DUIS.XML";

fn duis_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("GBCS_DUIS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/duis"));
    if dir.join("templates").is_dir() && dir.join("keystore").is_dir() {
        return Some(dir);
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("a DUIS test")
        .to_string();
    if std::env::var("GBCS_REQUIRE_RTDS").is_ok_and(|v| v == "1") {
        panic!("{test}: the DUIS data is required (GBCS_REQUIRE_RTDS=1) but {} is incomplete: set GBCS_DUIS_DIR", dir.display());
    }
    let _ = writeln!(
        std::io::stderr(),
        "{test}: skipped: DUIS data not found at {} (set GBCS_DUIS_DIR)",
        dir.display()
    );
    None
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gbcs-duis-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies templates into `dir`; their paths there.
fn copies(duis: &Path, dir: &Path, names: &[&str]) -> Vec<PathBuf> {
    names
        .iter()
        .map(|n| {
            let to = dir.join(n);
            std::fs::copy(duis.join("templates").join(n), &to).unwrap();
            to
        })
        .collect()
}

fn run(args: &[&str], files: &[PathBuf]) -> Output {
    Command::new(BIN)
        .arg("duis")
        .args(args)
        .args(files)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn request_id(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let start = text.find("<sr:RequestID>").unwrap() + "<sr:RequestID>".len();
    text[start..start + text[start..].find('<').unwrap()].to_string()
}

#[test]
fn sign_in_place_then_verify_names_the_signer() {
    let Some(duis) = duis_dir() else { return };
    let keys = duis.join("keystore");
    let keys = keys.to_str().unwrap();
    let dir = temp_dir("sign");
    let mut names = SUPPLIER.to_vec();
    names.push(NETWORK_OPERATOR);
    let files = copies(&duis, &dir, &names);
    let before: Vec<String> = files.iter().map(|f| request_id(f)).collect();

    let signed = run(&["sign", "--keys", keys, "--in-place"], &files);
    assert_eq!(
        signed.status.code(),
        Some(0),
        "{}{}",
        stdout(&signed),
        String::from_utf8_lossy(&signed.stderr)
    );
    assert_eq!(stdout(&signed).lines().count(), files.len());
    assert!(
        stdout(&signed).lines().all(|l| l.starts_with("signed ")),
        "{}",
        stdout(&signed)
    );
    let after: Vec<String> = files.iter().map(|f| request_id(f)).collect();
    assert_eq!(before, after, "--counter keep is the default");

    let verified = run(&["verify", "--keys", keys], &files);
    assert_eq!(verified.status.code(), Some(0), "{}", stdout(&verified));
    let lines: Vec<String> = stdout(&verified).lines().map(String::from).collect();
    assert_eq!(lines.len(), files.len());
    for (line, file) in lines.iter().zip(&files) {
        let eui = if file.ends_with(NETWORK_OPERATOR) {
            "90-B3-D5-1F-30-02-00-00"
        } else {
            "90-B3-D5-1F-30-01-00-00"
        };
        let head = format!("ok {} signed by {eui} (", file.display());
        assert!(
            line.starts_with(&head) && line.contains(", serial "),
            "{line}"
        );
    }

    // xmlsec1, when installed, accepts what we signed.
    let cert = duis.join("keystore/xml-sign-90B3D51F30010000-ds.pem");
    if let Ok(out) = Command::new("xmlsec1")
        .arg("--verify")
        .arg("--pubkey-cert-pem")
        .arg(&cert)
        .arg(&files[0])
        .output()
    {
        assert!(
            out.status.success(),
            "xmlsec1: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // The signed requests are still valid DUIS.
    let valid = run(&["validate"], &files);
    assert_eq!(valid.status.code(), Some(0), "{}", stdout(&valid));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_tampered_file_fails_verification_with_exit_1() {
    let Some(duis) = duis_dir() else { return };
    let keys = duis.join("keystore");
    let keys = keys.to_str().unwrap();
    let dir = temp_dir("tamper");
    let files = copies(&duis, &dir, &SUPPLIER[..2]);
    assert!(run(&["sign", "--keys", keys, "--in-place"], &files)
        .status
        .success());
    let text = std::fs::read_to_string(&files[1]).unwrap();
    std::fs::write(
        &files[1],
        text.replace("<sr:JoinTimePeriod>90<", "<sr:JoinTimePeriod>91<"),
    )
    .unwrap();
    let out = run(&["verify", "--keys", keys], &files);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let lines: Vec<String> = stdout(&out).lines().map(String::from).collect();
    assert!(lines[0].starts_with("ok "), "{lines:?}");
    assert!(
        lines[1].starts_with(&format!("FAIL {}: ", files[1].display()))
            && lines[1].contains("digest"),
        "{lines:?}"
    );
    // An unsigned template (a placeholder signature) fails too.
    let placeholder = copies(&duis, &dir, &[SUPPLIER[2]]);
    let out = run(&["verify", "--keys", keys], &placeholder);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn counter_now_sets_increasing_counters_from_the_clock() {
    let Some(duis) = duis_dir() else { return };
    let keys = duis.join("keystore");
    let dir = temp_dir("now");
    let files = copies(&duis, &dir, SUPPLIER);
    let out_dir = dir.join("out");
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let out = run(
        &[
            "sign",
            "--keys",
            keys.to_str().unwrap(),
            "--counter",
            "now",
            "--out",
            out_dir.to_str().unwrap(),
        ],
        &files,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let counters: Vec<u64> = SUPPLIER
        .iter()
        .map(|n| {
            request_id(&out_dir.join(n))
                .rsplit(':')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    assert!(counters[0] >= started, "{counters:?} from {started}");
    assert!(counters.windows(2).all(|w| w[0] < w[1]), "{counters:?}");
    // The originals are untouched.
    assert!(request_id(&files[0]).ends_with(":1000"));
    let verified = run(
        &["verify", "--keys", keys.to_str().unwrap()],
        &SUPPLIER.iter().map(|n| out_dir.join(n)).collect::<Vec<_>>(),
    );
    assert_eq!(verified.status.code(), Some(0), "{}", stdout(&verified));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn one_file_signs_to_stdout_and_a_missing_key_fails() {
    let Some(duis) = duis_dir() else { return };
    let keys = duis.join("keystore");
    let keys = keys.to_str().unwrap();
    let dir = temp_dir("stdout");
    let files = copies(
        &duis,
        &dir,
        &[
            SUPPLIER[0],
            "ECS47e_7.16_APC_INPUT_SUCCESS_REQUEST_DUIS.XML",
        ],
    );
    let out = run(&["sign", "--keys", keys], &files[..1]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.starts_with("<?xml") && text.contains("<ds:SignatureValue>"),
        "{text}"
    );
    // 90-B3-D5-1F-30-01-00-08 has no key in the ZAZ1 store.
    let out = run(
        &[
            "sign",
            "--keys",
            keys,
            "--out",
            dir.join("o").to_str().unwrap(),
        ],
        &files,
    );
    assert_eq!(out.status.code(), Some(1));
    let lines = stdout(&out);
    assert!(
        lines.lines().next().unwrap().starts_with("signed "),
        "{lines}"
    );
    assert!(
        lines
            .lines()
            .nth(1)
            .unwrap()
            .contains("no XML-signing key for the originator 90-B3-D5-1F-30-01-00-08"),
        "{lines}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn validate_fails_a_bad_fixture_and_passes_a_good_one() {
    let Some(duis) = duis_dir() else { return };
    let fixtures = duis.join("fixtures");
    let bad = fixtures.join("readfw-response-invalid.xml");
    let good = fixtures.join("readfw-response.xml");
    let out = run(&["validate"], &[good.clone(), bad.clone()]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<String> = stdout(&out).lines().map(String::from).collect();
    assert_eq!(lines[0], format!("ok {} (response)", good.display()));
    assert!(
        lines[1].starts_with(&format!("FAIL {}: ", bad.display()))
            && lines[1].contains("11.2.11.2"),
        "{lines:?}"
    );
    let request = fixtures.join("ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS-invalid.XML");
    let xxe = fixtures.join("duis-xxe.xml");
    let out = run(&["validate"], &[request, xxe]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("sr:RequestID") && text.contains("DOCTYPE"),
        "{text}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let Some(duis) = duis_dir() else { return };
    let keys = duis.join("keystore");
    let dir = temp_dir("usage");
    let files = copies(&duis, &dir, &SUPPLIER[..2]);
    // Several files with neither --out nor --in-place.
    let out = run(&["sign", "--keys", keys.to_str().unwrap()], &files);
    assert_eq!(out.status.code(), Some(2));
    // No such key store.
    let out = run(
        &["verify", "--keys", dir.join("none").to_str().unwrap()],
        &files,
    );
    assert_eq!(out.status.code(), Some(2));
    // --out with --in-place, and no file at all.
    let out = run(&["sign", "--keys", "k", "--out", "o", "--in-place"], &files);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(run(&["validate"], &[]).status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}
