//! `gbcs-harness decode` end to end: the acceptance command on the corpus, and the
//! exit codes a CI pipeline relies on.

use std::process::Command;

use gbcs_harness::corpus;

fn harness() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gbcs-harness"))
}

#[test]
fn summary_over_the_corpus_reproduces_the_reference_figures() {
    let (Some(dir), Some(keys)) = (corpus::messages_dir(), corpus::keystore_dir()) else {
        eprintln!("RTDS corpus absent: skipping");
        return;
    };
    let out = harness()
        .args(["decode", "--keys"])
        .arg(&keys)
        .args(["--acb", "90b3d51f30000002", "--summary"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let last = stdout.lines().last().unwrap();
    let s: serde_json::Value = serde_json::from_str(last).unwrap();
    for (field, want) in [
        ("messages", 1104),
        ("decoded", 1104),
        ("failed", 0),
        ("signatures_valid", 427),
        ("signatures_invalid", 0),
        ("macs_valid", 683),
        ("macs_invalid", 0),
        ("macs_unverifiable", 2),
        ("roundtrip_identical", 1104),
    ] {
        assert_eq!(s[field], want, "{field} in {last}");
    }
    assert!(s["elapsed_ms"].as_f64().is_some());
}

#[test]
fn a_tampered_mac_fails_the_run_and_names_the_check() {
    let (Some(dir), Some(keys)) = (corpus::messages_dir(), corpus::keystore_dir()) else {
        return;
    };
    let mut hex =
        std::fs::read_to_string(dir.join("7.4_ECS45/ECS45_7.4_SUCCESS_RESPONSE_GBCS.HEX")).unwrap();
    hex = hex.trim().to_string();
    let last = hex.pop().unwrap();
    hex.push(if last == '0' { '1' } else { '0' });
    let out = harness()
        .arg("decode")
        .arg("--keys")
        .arg(&keys)
        .arg(&hex)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["checks"]["mac"]["verdict"], "invalid");
    assert_eq!(doc["checks"]["signature"]["verdict"], "not_present");
    assert_eq!(doc["use_case"]["use_case"], "ECS45");
}

#[test]
fn undecodable_input_is_reported_with_its_offset_and_fails() {
    // A General Signing APDU cut inside the originator system title.
    let out = harness()
        .args(["decode", "DF0901000000000000000108"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let err = doc["error"].as_str().unwrap();
    assert!(
        err.contains("offset 12") && err.contains("originator-system-title"),
        "{err}"
    );
}

#[test]
fn stdin_and_text_format() {
    let (Some(dir), Some(_)) = (corpus::messages_dir(), corpus::keystore_dir()) else {
        return;
    };
    let hex =
        std::fs::read_to_string(dir.join("7.1_ECS42/ECS42_7.1_SUCCESS_RESPONSE_GBCS.HEX")).unwrap();
    let mut child = harness()
        .args(["decode", "--format", "text", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(hex.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("== stdin:1"), "{text}");
    assert!(text.contains("use_case: ECS42"), "{text}");
    // No key store: the signature cannot be checked, and says why.
    assert!(text.contains("verdict: unverifiable"), "{text}");
}

/// One corpus message as a hex line, or `None` (skipping) without the corpus.
fn corpus_line(relative: &str) -> Option<String> {
    let dir = corpus::messages_dir()?;
    Some(
        std::fs::read_to_string(dir.join(relative))
            .unwrap()
            .trim()
            .to_string(),
    )
}

const ECS42_RESPONSE: &str = "7.1_ECS42/ECS42_7.1_SUCCESS_RESPONSE_GBCS.HEX";

/// How long a test waits for the harness to answer before failing.
const ANSWER_WITHIN: std::time::Duration = std::time::Duration::from_secs(60);

/// Runs `decode ARGS -` on `stdin`, written from a thread (it may exceed the pipe buffer).
fn decode_stdin(args: &[&str], stdin: Vec<u8>) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = harness()
        .arg("decode")
        .args(args)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || input.write_all(&stdin));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out
}

fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8(stdout.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_closed_pipe_ends_decode_quietly() {
    use std::io::{BufRead, Read};
    use std::process::Stdio;
    let Some(dir) = corpus::messages_dir() else {
        return;
    };
    // The corpus decodes to megabytes of JSON: far more than a pipe holds, so the harness
    // is still writing when the reader goes away.
    let mut child = harness()
        .arg("decode")
        .arg(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.starts_with("{\"source\""), "{first}");
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn a_line_that_is_not_utf8_fails_alone() {
    let Some(good) = corpus_line(ECS42_RESPONSE) else {
        return;
    };
    let mut stdin = format!("{good}\n").into_bytes();
    stdin.extend(b"DF\xff\xfe09\n");
    stdin.extend(format!("{good}\r\n").bytes());
    let out = decode_stdin(&[], stdin);
    assert_eq!(out.status.code(), Some(1), "the bad line fails the run");
    let docs = json_lines(&out.stdout);
    assert_eq!(docs.len(), 3, "{docs:?}");
    for (i, doc) in docs.iter().enumerate() {
        assert_eq!(doc["source"], format!("stdin:{}", i + 1));
    }
    assert_eq!(docs[0]["use_case"]["use_case"], "ECS42");
    assert_eq!(docs[1]["error"], "not hex: byte 0xFF at column 3");
    assert_eq!(docs[2]["use_case"]["use_case"], "ECS42");
}

#[test]
fn an_over_long_line_fails_alone_and_is_never_held() {
    use std::io::{BufRead, Write};
    use std::process::Stdio;
    let Some(good) = corpus_line(ECS42_RESPONSE) else {
        return;
    };
    // 128 MiB of hex digits on one line: 128 times the limit.
    const LONG: usize = 128 << 20;
    // The harness's own footprint (a debug build, the allocator's segments) is about 25 MiB
    // whatever the line's length; holding the line would take more than the line itself.
    const PEAK_KIB: u64 = 64 * 1024;
    let mut child = harness()
        .args(["decode", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let line = good.clone();
    let writer = std::thread::spawn(move || -> std::io::Result<std::process::ChildStdin> {
        stdin.write_all(format!("{line}\n").as_bytes())?;
        let block = vec![b'A'; 1 << 20];
        for _ in 0..LONG / block.len() {
            stdin.write_all(&block)?;
        }
        stdin.write_all(format!("\n{line}\n").as_bytes())?;
        // Standard input stays open: what follows is decoded as it arrives.
        Ok(stdin)
    });
    let (lines, received) = std::sync::mpsc::channel();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    std::thread::spawn(move || loop {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap_or(0) == 0 || lines.send(line).is_err() {
            return;
        }
    });
    let mut docs = Vec::new();
    for _ in 0..3 {
        let line = received
            .recv_timeout(ANSWER_WITHIN)
            .expect("each line is decoded before the input ends");
        docs.push(serde_json::from_str::<serde_json::Value>(&line).unwrap());
    }
    // Peak memory while still running: far below the line's size.
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let peak_kib: Option<u64> = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
    drop(writer.join().unwrap().unwrap());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(docs[0]["use_case"]["use_case"], "ECS42");
    assert_eq!(docs[1]["source"], "stdin:2");
    assert_eq!(
        docs[1]["error"],
        "line longer than the 1048576-byte limit for one hex message: skipped"
    );
    assert_eq!(docs[2]["source"], "stdin:3");
    assert_eq!(docs[2]["use_case"]["use_case"], "ECS42");
    if let Some(kib) = peak_kib {
        eprintln!("peak resident memory with a 128 MiB line: {kib} KiB");
        assert!(kib < PEAK_KIB, "peak {kib} KiB");
    }
}

#[test]
fn the_summary_counts_bad_lines_as_failed_and_good_ones_as_decoded() {
    let Some(good) = corpus_line(ECS42_RESPONSE) else {
        return;
    };
    let mut stdin = format!("{good}\n").into_bytes();
    stdin.extend(b"\xff\n");
    stdin.extend(std::iter::repeat_n(b'0', (1 << 20) + 2));
    stdin.extend(format!("\n\n{good}\nABC\n").bytes());
    let out = decode_stdin(&["--summary"], stdin);
    assert_eq!(out.status.code(), Some(1));
    let docs = json_lines(&out.stdout);
    assert_eq!(docs.len(), 1, "{docs:?}");
    assert_eq!(docs[0]["messages"], 5, "{}", docs[0]);
    assert_eq!(docs[0]["decoded"], 2, "{}", docs[0]);
    assert_eq!(docs[0]["failed"], 3, "{}", docs[0]);
}

#[cfg(unix)]
#[test]
fn files_are_bounded_and_a_folder_is_decoded_file_by_file() {
    let Some(good) = corpus_line(ECS42_RESPONSE) else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("gbcs-decode-files-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("b")).unwrap();
    std::fs::write(dir.join("a.HEX"), &good).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join("b/zero.HEX")).unwrap();
    std::fs::write(dir.join("b/huge.hex"), vec![b'0'; (1 << 20) + 2]).unwrap();
    std::fs::write(dir.join("c.HEX"), format!("{good}\n")).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a message").unwrap();
    // The walk does not follow links; named on the command line, the link is no file.
    let out = harness()
        .arg("decode")
        .arg(&dir)
        .arg(dir.join("b/zero.HEX"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let docs = json_lines(&out.stdout);
    let sources: Vec<String> = docs
        .iter()
        .map(|d| {
            let s = d["source"].as_str().unwrap();
            s.strip_prefix(dir.to_str().unwrap())
                .unwrap_or(s)
                .to_string()
        })
        .collect();
    assert_eq!(sources[..3], ["/a.HEX", "/b/huge.hex", "/c.HEX"]);
    let err = docs[1]["error"].as_str().unwrap();
    assert!(err.contains("larger than the 1048576-byte limit"), "{err}");
    assert_eq!(docs[0]["use_case"]["use_case"], "ECS42");
    assert_eq!(docs[2]["use_case"]["use_case"], "ECS42");
    assert_eq!(docs.len(), 4);
    let err = docs[3]["error"].as_str().unwrap();
    assert!(err.contains("is neither a file, a folder nor hex"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn a_key_store_entry_linked_to_dev_zero_is_refused() {
    let dir = std::env::temp_dir().join(format!("gbcs-decode-keys-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join("90b3d51f30010000-ka.pem")).unwrap();
    let out = harness()
        .args(["decode", "--keys"])
        .arg(&dir)
        .arg("DF09")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("90b3d51f30010000-ka.pem") && stderr.contains("65536-byte limit"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
