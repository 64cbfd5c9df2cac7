//! `gbcs-harness import` is deterministic: the same recordings give byte-identical vectors and
//! features, run after run (no random ECDSA nonce in the re-issued certificates, no clock, no
//! map order), and the project's committed `vectors/` and generated `features/` are exactly
//! what an import of the RTDS writes, so a regeneration's diff is reviewed like a snapshot.
//!
//! Needs the RTDS corpus: skipped with a message without it, failing under
//! `GBCS_REQUIRE_RTDS=1`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use gbcs_harness::corpus::messages_dir_or_skip;

const BIN: &str = env!("CARGO_BIN_EXE_gbcs-harness");

/// A scratch folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "gbcs-import-deterministic-{name}-{}",
            std::process::id()
        ));
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

/// Imports `corpus` into `<into>/vectors` and `<into>/features`.
fn import(corpus: &Path, into: &Path) -> (PathBuf, PathBuf) {
    let (vectors, features) = (into.join("vectors"), into.join("features"));
    let out = Command::new(BIN)
        .arg("import")
        .arg(corpus)
        .arg("--keys")
        .arg(corpus.join("..").join("keystore"))
        .arg("--vectors")
        .arg(&vectors)
        .arg("--features")
        .arg(&features)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (vectors, features)
}

/// Every file under `dir` that `keep` accepts, by path relative to `dir`, with its bytes.
fn files(dir: &Path, keep: impl Fn(&Path, &[u8]) -> bool) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let bytes = std::fs::read(e.path()).unwrap();
            keep(e.path(), &bytes).then(|| {
                let rel = e.path().strip_prefix(dir).unwrap();
                (rel.to_string_lossy().replace('\\', "/"), bytes)
            })
        })
        .collect()
}

/// What an import writes into a vectors folder: its use-case folders (not its README).
fn vector_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir, |p, _| {
        p.parent().is_some_and(|parent| parent != dir) && p.extension().is_some_and(|x| x == "json")
    })
}

/// What an import writes into a features folder: the files that say they are generated
/// (hand-written features have no `@generated` first line).
fn generated_features(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir, |_, bytes| bytes.starts_with(b"# @generated"))
}

/// The first difference between two trees, as a message naming the file and the first
/// differing line.
fn first_difference(
    what: &str,
    a: &BTreeMap<String, Vec<u8>>,
    b: &BTreeMap<String, Vec<u8>>,
) -> Option<String> {
    if let Some(name) = a.keys().find(|k| !b.contains_key(*k)) {
        return Some(format!("{what}: {name} only in the first"));
    }
    if let Some(name) = b.keys().find(|k| !a.contains_key(*k)) {
        return Some(format!("{what}: {name} only in the second"));
    }
    let differing: Vec<&String> = a.keys().filter(|k| a[*k] != b[*k]).collect();
    let name = differing.first()?;
    let (x, y) = (
        String::from_utf8_lossy(&a[*name]),
        String::from_utf8_lossy(&b[*name]),
    );
    let line = x
        .lines()
        .zip(y.lines())
        .enumerate()
        .find(|(_, (l, r))| l != r)
        .map(|(i, (l, r))| {
            let cut = |s: &str| s.chars().take(160).collect::<String>();
            format!("line {}:\n  {}\n  {}", i + 1, cut(l), cut(r))
        })
        .unwrap_or_else(|| "(lengths differ)".into());
    Some(format!(
        "{what}: {} file(s) differ, first {name} at {line}",
        differing.len()
    ))
}

#[test]
fn importing_twice_writes_byte_identical_files() {
    let Some(corpus) = messages_dir_or_skip("import_deterministic") else {
        return;
    };
    let scratch = Scratch::new("twice");
    let (v1, f1) = import(&corpus, &scratch.0.join("first"));
    let (v2, f2) = import(&corpus, &scratch.0.join("second"));
    let (a, b) = (vector_files(&v1), vector_files(&v2));
    assert!(a.len() > 100, "only {} vectors imported", a.len());
    if let Some(d) = first_difference("vectors", &a, &b) {
        panic!("{d}");
    }
    let (a, b) = (files(&f1, |_, _| true), files(&f2, |_, _| true));
    assert!(!a.is_empty(), "no features generated");
    if let Some(d) = first_difference("features", &a, &b) {
        panic!("{d}");
    }
}

#[test]
fn the_committed_vectors_and_generated_features_are_what_import_writes() {
    let Some(corpus) = messages_dir_or_skip("import_deterministic") else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = Scratch::new("committed");
    let (vectors, features) = import(&corpus, &scratch.0);
    let stale = "regenerate with `gbcs-harness import ../shared/rtds/RTDS-4.5.0` from the \
                 crate root and review the diff";
    if let Some(d) = first_difference(
        "vectors (project, then fresh import)",
        &vector_files(&root.join("vectors")),
        &vector_files(&vectors),
    ) {
        panic!("{d}\n{stale}");
    }
    if let Some(d) = first_difference(
        "generated features (project, then fresh import)",
        &generated_features(&root.join("features")),
        &files(&features, |_, _| true),
    ) {
        panic!("{d}\n{stale}");
    }
}
