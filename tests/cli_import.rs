//! `gbcs-harness import`: vectors from recordings, and refusal of bad recordings with one line
//! per file, a non-zero exit and nothing written.

use std::path::{Path, PathBuf};
use std::process::Command;

use gbcs_harness::corpus::messages_dir_or_skip;
use gbcs_harness::vectors::{Vector, VectorStore};

const BIN: &str = env!("CARGO_BIN_EXE_gbcs-harness");

/// A scratch folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("gbcs-import-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Copies some use-case folders of the corpus into `to` (a test fixture outside the project).
fn copy_folders(corpus: &Path, folders: &[&str], to: &Path) {
    for f in folders {
        let dst = to.join(f);
        std::fs::create_dir_all(&dst).unwrap();
        for e in std::fs::read_dir(corpus.join(f)).unwrap().flatten() {
            std::fs::copy(e.path(), dst.join(e.file_name())).unwrap();
        }
    }
}

fn import(recordings: &Path, keys: &Path, vectors: &Path) -> std::process::Output {
    Command::new(BIN)
        .arg("import")
        .arg(recordings)
        .arg("--keys")
        .arg(keys)
        .arg("--vectors")
        .arg(vectors)
        // Not the checkout's features/ (the default, relative to the working directory).
        .arg("--features")
        .arg(vectors.with_file_name("features"))
        .output()
        .unwrap()
}

#[test]
fn recordings_become_vectors_whose_expectation_is_the_recorded_response() {
    let Some(corpus) = messages_dir_or_skip("import") else {
        return;
    };
    let keys = corpus.join("..").join("keystore");
    let scratch = Scratch::new("ok");
    let recordings = scratch.0.join("rec");
    copy_folders(
        &corpus,
        &["4.1.1_ECS17b", "11.3_CS06", "4.1.1_GCS13a"],
        &recordings,
    );
    let out_dir = scratch.0.join("vectors");
    std::fs::create_dir_all(&out_dir).unwrap();
    std::fs::write(out_dir.join("README.md"), "kept").unwrap();
    let out = import(&recordings, &keys, &out_dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = VectorStore::new(&out_dir);
    let all = store.all().unwrap();
    assert_eq!(
        all.keys().cloned().collect::<Vec<_>>(),
        ["CS06", "ECS17b", "GCS13a"]
    );
    let v: Vector = store.variant("ECS17b", "ECS17b_4.1.1_ERROR").unwrap();
    let r = v.response.as_ref().unwrap();
    // The expected response is the recording's own frame, readdressed to the lab: the RTDS
    // ESME (00DB1234567890A0) becomes the lab's, and readings show as device data.
    let recorded =
        std::fs::read_to_string(corpus.join("4.1.1_ECS17b/ECS17b_4.1.1_ERROR_RESPONSE_GBCS.HEX"))
            .unwrap();
    assert_eq!(r.recorded_hex, recorded.trim().to_ascii_uppercase());
    let decoded = r.decoded.to_string();
    assert!(!decoded.contains("00DB1234567890A0"), "{decoded}");
    assert_eq!(r.expected["body"]["invoke_id"], "<what the harness sent>");
    assert_eq!(v.source, "4.1.1_ECS17b/ECS17b_4.1.1_ERROR_COMMAND_GBCS.HEX");
    assert_eq!(
        std::fs::read_to_string(out_dir.join("README.md")).unwrap(),
        "kept"
    );
}

#[test]
fn bad_recordings_are_named_one_per_line_and_nothing_is_written() {
    let Some(corpus) = messages_dir_or_skip("import") else {
        return;
    };
    let keys = corpus.join("..").join("keystore");
    let scratch = Scratch::new("bad");
    let recordings = scratch.0.join("rec");
    copy_folders(&corpus, &["4.1.1_ECS17b", "7.4_ECS45"], &recordings);
    // A command without its response, and a file that is not hex.
    std::fs::remove_file(recordings.join("7.4_ECS45/ECS45_7.4_SUCCESS_RESPONSE_GBCS.HEX")).unwrap();
    std::fs::write(
        recordings.join("4.1.1_ECS17b/ECS17b_4.1.1_BROKEN_COMMAND_GBCS.HEX"),
        "not hex at all",
    )
    .unwrap();
    // An unknown message code: the ECS17b command with its code bytes changed.
    let cmd = std::fs::read_to_string(
        recordings.join("4.1.1_ECS17b/ECS17b_4.1.1_SINGLE_SUCCESS_COMMAND_GBCS.HEX"),
    )
    .unwrap();
    let unknown = cmd.trim().to_ascii_uppercase().replacen("0027", "7FFF", 1);
    let dir = recordings.join("9.9_XYZ99");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("XYZ99_9.9_SUCCESS_COMMAND_GBCS.HEX"), unknown).unwrap();

    let out_dir = scratch.0.join("vectors");
    let out = import(&recordings, &keys, &out_dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("7.4_ECS45/ECS45_7.4_SUCCESS_COMMAND_GBCS.HEX: no RESPONSE recorded"),
        "{stderr}"
    );
    assert!(
        stderr.contains("ECS17b_4.1.1_BROKEN_COMMAND_GBCS.HEX"),
        "{stderr}"
    );
    assert!(
        stderr.contains("XYZ99_9.9_SUCCESS_COMMAND_GBCS.HEX"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!out_dir.exists(), "vectors were written despite the errors");
}

#[test]
fn a_folder_without_recordings_is_an_error() {
    let scratch = Scratch::new("empty");
    let out = import(&scratch.0, &scratch.0, &scratch.0.join("v"));
    assert_ne!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("error:"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
