//! Which DUIS request template stands for a GBCS command: the templates folder
//! (`<variant>_REQUEST_DUIS.XML`, the RTDS naming) indexed by variant, and, when an RTDS corpus
//! is given, the recorded commands by their match key, so that a command built from a golden
//! vector finds the template of the very variant it was built from.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::codec::catalogue::lookup;
use crate::codec::{decode_frame, MessageCode};
use crate::duis::xml::read_document_file;
use crate::transport::match_key;

use super::error::DuisError;

/// The suffix of a template file after its variant.
const TEMPLATE_SUFFIX: &str = "_REQUEST_DUIS.XML";
/// The suffix of a recorded command after its variant.
const COMMAND_SUFFIX: &str = "_COMMAND_GBCS.HEX";
/// Recorded command files larger than this are not commands (hex of a 70 kB frame at most).
const MAX_COMMAND_FILE: u64 = 256 * 1024;
/// Templates indexed at most: a folder holding more is not a templates folder.
const MAX_TEMPLATES: usize = 10_000;

pub(crate) struct TemplateIndex {
    dir: PathBuf,
    /// Variant (file name without `_REQUEST_DUIS.XML`) → file.
    pub(crate) files: BTreeMap<String, PathBuf>,
    /// Match key of a recorded command → the variants recorded with it that have a template.
    recorded: HashMap<Vec<u8>, Vec<String>>,
}

/// The template chosen for a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chosen {
    pub variant: String,
    pub file: PathBuf,
}

impl TemplateIndex {
    /// Indexes `dir`, and the recorded commands under `rtds` when given.
    pub(crate) fn load(dir: &Path, rtds: Option<&Path>) -> Result<Self, DuisError> {
        let shown = dir.display().to_string();
        let entries = std::fs::read_dir(dir).map_err(|e| DuisError::Templates {
            dir: shown.clone(),
            reason: e.to_string(),
        })?;
        let mut files = BTreeMap::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(variant) = name.strip_suffix(TEMPLATE_SUFFIX) {
                if files.len() == MAX_TEMPLATES {
                    return Err(DuisError::Templates {
                        dir: shown,
                        reason: format!("more than {MAX_TEMPLATES} templates"),
                    });
                }
                files.insert(variant.to_string(), entry.path());
            }
        }
        if files.is_empty() {
            return Err(DuisError::Templates {
                dir: shown,
                reason: format!("no *{TEMPLATE_SUFFIX} file"),
            });
        }
        let mut index = TemplateIndex {
            dir: dir.to_path_buf(),
            files,
            recorded: HashMap::new(),
        };
        if let Some(rtds) = rtds {
            index.index_recordings(rtds)?;
        }
        Ok(index)
    }

    pub(super) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Reads every recorded command under `rtds` whose variant has a template.
    fn index_recordings(&mut self, rtds: &Path) -> Result<(), DuisError> {
        if !rtds.is_dir() {
            return Err(DuisError::Templates {
                dir: rtds.display().to_string(),
                reason: "not a folder (the RTDS corpus the templates are matched with)".into(),
            });
        }
        for entry in walkdir::WalkDir::new(rtds)
            .max_depth(3)
            .into_iter()
            .flatten()
        {
            let name = entry.file_name().to_string_lossy();
            let Some(variant) = name.strip_suffix(COMMAND_SUFFIX) else {
                continue;
            };
            if !self.files.contains_key(variant)
                || entry
                    .metadata()
                    .map_or(true, |m| m.len() > MAX_COMMAND_FILE)
            {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let hex: String = text.split_whitespace().collect();
            let Ok(bytes) = hex::decode(hex) else {
                continue;
            };
            let Ok(frame) = decode_frame(&bytes) else {
                continue;
            };
            let Some(code) = frame.header().message_code() else {
                continue;
            };
            let key = match_key(code, frame.general_signing.content.as_slice());
            let list = self.recorded.entry(key).or_default();
            list.push(variant.to_string());
            list.sort_by_key(|v| (rank(v), v.clone()));
        }
        Ok(())
    }

    /// The template for a command with this code and payload: the recorded variant whose
    /// command it is, else the use case's nominal success template.
    pub(super) fn choose(&self, code: MessageCode, payload: &[u8]) -> Option<Chosen> {
        let chosen = |variant: &String| Chosen {
            variant: variant.clone(),
            file: self.files[variant].clone(),
        };
        if let Some(list) = self.recorded.get(&match_key(code, payload)) {
            if let Some(v) = list.first() {
                return Some(chosen(v));
            }
        }
        let entry = lookup(code)?;
        let mode = mode_of(entry.title);
        self.files
            .keys()
            .filter(|v| v.contains("_SUCCESS"))
            .filter(|v| {
                let uc = v.split('_').next().unwrap_or("");
                uc.eq_ignore_ascii_case(entry.use_case)
                    || uc
                        .get(..entry.use_case.len())
                        .is_some_and(|p| p.eq_ignore_ascii_case(entry.use_case))
                        && mode
                            .as_deref()
                            .is_some_and(|m| uc[entry.use_case.len()..].eq_ignore_ascii_case(m))
            })
            .min_by_key(|v| (rank(v), (*v).clone()))
            .map(chosen)
    }

    /// Reads a template, bounded.
    pub(crate) fn read(&self, chosen: &Chosen) -> Result<Vec<u8>, DuisError> {
        let fail = |reason: String| DuisError::Template {
            file: chosen.file.display().to_string(),
            reason,
        };
        read_document_file(&chosen.file).map_err(fail)
    }
}

/// Nominal variants first: a success, single-element, immediate, the device in its
/// ordinary state.
fn rank(variant: &str) -> u8 {
    let mut r = 0;
    if !variant.contains("SUCCESS") {
        r += 8;
    }
    if variant.contains("_ERROR") || variant.contains("NOT_FOUND") {
        r += 4;
    }
    if variant.contains("_TWIN_") {
        r += 2;
    }
    if variant.contains("FUTURE_DATED") || variant.contains("CANCELLATION") {
        r += 1;
    }
    r
}

/// The mode a catalogue title gives in parentheses (`supplierBySupplier` of "Update
/// Security Credentials (supplierBySupplier)"): how the RTDS tells apart the use cases that
/// share an id.
fn mode_of(title: &str) -> Option<String> {
    let open = title.rfind('(')?;
    let close = title[open..].find(')')? + open;
    Some(title[open + 1..close].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nominal_variants_come_first() {
        let mut v = [
            "ECS17b_4.1.1_TWIN_SUCCESS",
            "ECS17b_4.1.1_ERROR",
            "ECS17b_4.1.1_SINGLE_SUCCESS",
        ];
        v.sort_by_key(|v| (rank(v), v.to_string()));
        assert_eq!(v[0], "ECS17b_4.1.1_SINGLE_SUCCESS");
        assert_eq!(
            mode_of("Update Security Credentials (supplierBySupplier)").as_deref(),
            Some("supplierBySupplier")
        );
        assert_eq!(mode_of("Read Tariff"), None);
    }
}
