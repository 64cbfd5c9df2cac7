//! Locating and reading the RTDS corpus (`*_GBCS.HEX` files, one hex message each).
//!
//! A utility beside the layers: it imports no other module of the crate, and any layer may use
//! it.
//!
//! Tests find the corpus through [`rtds_dir`] (`$GBCS_RTDS_DIR`, default `../shared/rtds`):
//! when it is absent the test is told so on standard error, by name, and skips; with
//! `GBCS_REQUIRE_RTDS=1` (CI) the absence is a failure instead, so a green CI has run every
//! corpus test. The CLI and the transports use the hex-file readers only.

use std::io::Write;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// The RTDS root (the folder holding `RTDS-4.5.0/` and `keystore/`), if present. When it is
/// absent, says which test skips; panics instead when `GBCS_REQUIRE_RTDS=1`.
pub fn rtds_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("GBCS_RTDS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/rtds"));
    if dir.is_dir() {
        return Some(dir);
    }
    // libtest names each test's thread after the test.
    let test = std::thread::current()
        .name()
        .unwrap_or("a corpus test")
        .to_string();
    if std::env::var("GBCS_REQUIRE_RTDS").is_ok_and(|v| v == "1") {
        panic!(
            "{test}: the RTDS corpus is required (GBCS_REQUIRE_RTDS=1) but {} is not a folder: set GBCS_RTDS_DIR",
            dir.display()
        );
    }
    // Written to the stream itself, not through `eprintln!`, which the test harness captures
    // and hides for a test that passes: the skip must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "{test}: skipped: RTDS corpus not found at {} (set GBCS_RTDS_DIR)",
        dir.display()
    );
    None
}

/// The corpus message folder (`RTDS-4.5.0`), if present.
pub fn messages_dir() -> Option<PathBuf> {
    let root = rtds_dir()?;
    let dir = root.join("RTDS-4.5.0");
    if dir.is_dir() {
        Some(dir)
    } else {
        // $GBCS_RTDS_DIR may point straight at the message folder.
        Some(root)
    }
}

/// The key store folder, if present.
pub fn keystore_dir() -> Option<PathBuf> {
    let dir = rtds_dir()?.join("keystore");
    dir.is_dir().then_some(dir)
}

#[derive(Debug, thiserror::Error)]
pub enum HexFileError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: larger than the {limit}-byte limit for one hex message")]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{path}: not hex ({reason})")]
    NotHex { path: PathBuf, reason: String },
}

/// Parses hex text, ignoring whitespace (files may end with a newline or be wrapped).
pub fn parse_hex(text: &str) -> Result<Vec<u8>, hex::FromHexError> {
    let cleaned: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    hex::decode(cleaned)
}

/// The largest hex file read: a GBCS frame stays below 70,000 bytes, 140,000 hex digits.
pub const MAX_HEX_FILE_BYTES: u64 = 1 << 20;

/// Reads one hex message. Reads at most [`MAX_HEX_FILE_BYTES`] (+1, to tell a longer file),
/// so a huge file or a link to `/dev/zero` is refused rather than read until memory runs out.
pub fn read_hex_file(path: &Path) -> Result<Vec<u8>, HexFileError> {
    use std::io::Read;
    let io = |source| HexFileError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut text = String::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_HEX_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(io)?;
    if text.len() as u64 > MAX_HEX_FILE_BYTES {
        return Err(HexFileError::TooLarge {
            path: path.to_path_buf(),
            limit: MAX_HEX_FILE_BYTES,
        });
    }
    parse_hex(&text).map_err(|e| HexFileError::NotHex {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

/// One corpus message: its path and bytes.
#[derive(Debug, Clone)]
pub struct CorpusMessage {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl CorpusMessage {
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// Every `*.HEX` file under `dir`, sorted by path so runs are reproducible.
pub fn hex_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("hex"))
        })
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// A recorded COMMAND (not a PRECOMMAND) and where its RESPONSE would be.
#[derive(Debug, Clone)]
pub struct CommandFile {
    pub path: PathBuf,
    /// The use-case folder, e.g. `4.1.1_ECS17b`.
    pub folder: String,
    /// e.g. `ECS17b_4.1.1_SINGLE_SUCCESS_COMMAND_GBCS.HEX`.
    pub file: String,
    /// The RESPONSE beside it (which may not exist).
    pub response: PathBuf,
}

/// Every recorded COMMAND under `dir`, sorted by path.
pub fn command_files(dir: &Path) -> Vec<CommandFile> {
    hex_files(dir)
        .into_iter()
        .filter_map(|path| {
            let file = path.file_name()?.to_string_lossy().into_owned();
            if !file.contains("_COMMAND_") || file.contains("PRECOMMAND") {
                return None;
            }
            let folder = path
                .parent()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let response = path.with_file_name(file.replace("_COMMAND_", "_RESPONSE_"));
            Some(CommandFile {
                path,
                folder,
                file,
                response,
            })
        })
        .collect()
}

/// `ECS08_2.1_8F66_FUTURE_DATED_SUCCESS_ALERT_CALENDAR` → `FUTURE_DATED_SUCCESS` when the
/// use-case prefix is `ECS08_2.1_`: the variant a recorded alert belongs to.
pub fn alert_variant<'a>(stem: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = stem.strip_prefix(prefix)?;
    let (before, _) = rest.split_once("_ALERT")?;
    // An optional four-hex-digit alert code comes first, or `NA` for an alert without one
    // (`DBCH04_6.28_NA_SUCCESS_ALERT_DBCH09`).
    Some(match before.split_once('_') {
        Some((code, v)) if code.len() == 4 && code.chars().all(|c| c.is_ascii_hexdigit()) => v,
        Some(("NA", v)) => v,
        _ => before,
    })
}

/// Alerts a command causes that the RTDS records in a folder of their own, by the use case
/// whose successful command causes them (GBCS: a comms hub whose device log changes sends
/// CS14; a sub-GHz channel scan request ends with the DBCH08 assessment outcome).
pub const CONSEQUENTIAL_ALERTS: &[(&str, &str)] = &[
    ("CCS02", "CS14_NA_8F12_ALERT"),
    ("DBCH05", "DBCH08_NA_8F28_ALERT"),
];

/// The recorded alerts a variant's command causes at once: those of its folder recorded for
/// that variant, and for a successful variant its [`CONSEQUENTIAL_ALERTS`]. Future-dated
/// variants are left out: their alerts come when the command executes, not with the response.
pub fn immediate_alerts(corpus: &Path, command: &Path) -> Vec<PathBuf> {
    let Some(folder) = command.parent() else {
        return Vec::new();
    };
    let Some(base) = command
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix("_COMMAND_GBCS.HEX"))
    else {
        return Vec::new();
    };
    let mut fields = base.splitn(3, '_');
    let (Some(uc), Some(ver), Some(variant)) = (fields.next(), fields.next(), fields.next()) else {
        return Vec::new();
    };
    if variant.contains("FUTURE_DATED") {
        return Vec::new();
    }
    let prefix = format!("{uc}_{ver}_");
    let mut out: Vec<PathBuf> = hex_files(folder)
        .into_iter()
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix("_GBCS.HEX"))
                .is_some_and(|stem| alert_variant(stem, &prefix) == Some(variant))
        })
        .collect();
    let failed = variant.contains("ERROR") || variant.contains("NOT_FOUND");
    if !failed {
        for (_, stem) in CONSEQUENTIAL_ALERTS.iter().filter(|(u, _)| *u == uc) {
            let name = format!("{stem}_GBCS.HEX");
            out.extend(
                hex_files(corpus)
                    .into_iter()
                    .filter(|p| p.file_name().and_then(|n| n.to_str()) == Some(name.as_str())),
            );
        }
    }
    out
}

/// The RTDS message folder for a test that needs it (see [`rtds_dir`] for what happens when
/// it is absent); `test` names it in the messages.
pub fn messages_dir_or_skip(test: &str) -> Option<PathBuf> {
    let found = messages_dir();
    if found.is_none() {
        let _ = writeln!(std::io::stderr(), "{test}: skipped");
    }
    found
}

/// Loads the whole corpus, or `None` (after printing why) when it is absent.
pub fn load_messages() -> Option<Vec<CorpusMessage>> {
    let dir = messages_dir()?;
    let messages = hex_files(&dir)
        .into_iter()
        .map(|path| {
            let bytes = read_hex_file(&path).unwrap_or_else(|e| panic!("{e}"));
            CorpusMessage { path, bytes }
        })
        .collect();
    Some(messages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_larger_than_any_message_is_refused_without_reading_it_all() {
        let e = read_hex_file(Path::new("/dev/zero")).unwrap_err();
        assert!(matches!(e, HexFileError::TooLarge { .. }), "{e}");
    }
}
