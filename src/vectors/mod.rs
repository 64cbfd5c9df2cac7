//! Golden vectors: per RTDS variant, the command as a template and the response the recorded
//! reference device gave, with each field's role (ARCHITECTURE.md, Golden vectors).
//!
//! A vector lives in `vectors/<UseCase>/<variant>.json` and is made by `gbcs-harness import`
//! from a folder laid out like the RTDS ([`import`]). The command is kept as a
//! [`CommandTemplate`] (what the use case says, identities and counter left open) so the
//! runner can send it from any remote party to any device. The expected response is the
//! recording, readdressed to the lab's identities and decrypted; it is judged field by field
//! according to [`crate::inspect::roles`]: outcome exactly, device data by type, echoes against what was sent.

pub mod compare;
pub mod corpus_commands;
pub mod features;
pub mod import;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::codec::EntityId;
use crate::command::identities::{DeviceKind, Identities, Party};
use crate::command::template::CommandTemplate;

pub use compare::{compare, Mismatch};

/// Where the vectors are unless told otherwise.
pub const DEFAULT_DIR: &str = "vectors";

/// Who sent a vector's command when it was recorded: a remote party the harness can play
/// (`import-supplier`, `network-operator`, ...), or an entity that is none (a device sending
/// over the HAN), by its id. Written as the party's key or the id in hex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    Party(Party),
    Other(EntityId),
}

impl Sender {
    /// The sender's entity id in a lab: the id it gives the party, or the recorded id.
    pub fn id_in(self, ids: &Identities) -> Option<EntityId> {
        match self {
            Sender::Party(p) => ids.parties.get(&p).copied(),
            Sender::Other(id) => Some(id),
        }
    }
}

impl Serialize for Sender {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Sender::Party(p) => s.serialize_str(p.key()),
            Sender::Other(id) => s.serialize_str(&id.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for Sender {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if let Ok(party) = text.parse() {
            return Ok(Sender::Party(party));
        }
        text.parse().map(Sender::Other).map_err(|_| {
            serde::de::Error::custom(format!(
                "sender {text:?}: neither a remote party nor an entity id"
            ))
        })
    }
}

/// One golden vector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vector {
    pub use_case: String,
    /// The RTDS variant it was imported from, e.g. `ECS17b_4.1.1_SINGLE_SUCCESS`.
    pub variant: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_request: Option<String>,
    /// The kind of device it is sent to (`esme`, `gsme`, `comms-hub`, ...).
    pub device: DeviceKind,
    /// Who sent it when it was recorded.
    pub sender: Sender,
    /// The recording it comes from: `FOLDER/FILE` of the COMMAND, relative to the RTDS root.
    #[serde(default)]
    pub source: String,
    pub command: RecordedCommand,
    /// `None` when the reference device sent no response.
    pub response: Option<ExpectedResponse>,
    /// Alerts the recording shows the command causing at once, by message code (see
    /// `corpus::immediate_alerts`); a future-dated variant's alerts come at execution.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alerts: Vec<RecordedAlert>,
    /// Optional functions (capabilities) a target needs beyond the variant's name, each with
    /// why: what the recording presupposes about the device.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<Need>,
    /// Fields no role covers that are still not compared, each with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub masks: Vec<Mask>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedCommand {
    pub template: CommandTemplate,
    /// The recorded frame, as in the RTDS (its identities, counter and MAC).
    pub hex: String,
    /// The recorded command's payload, readdressed to the lab, decoded: what the recorded
    /// response's echoes refer to.
    pub decoded: Value,
}

/// What the reference device answered, and what of it is judged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpectedResponse {
    /// The response's message code (`0x0027`).
    pub message_code: String,
    /// The recorded frame, as in the RTDS (its identities and keys).
    pub recorded_hex: String,
    /// The recorded payload, readdressed to the lab's identities and decrypted.
    pub decoded: Value,
    /// What is judged: `decoded` with each field in its role ([`crate::inspect::roles::view`]): outcome values
    /// as recorded, device data as `<device data: TYPE>`, echoes as `<what the harness sent>`,
    /// device-data arrays as `{"<any number of>": [element shapes]}`.
    pub expected: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedAlert {
    pub message_code: String,
    pub hex: String,
}

/// A capability a recorded variant presupposes, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    /// A function of `runner::capabilities::FUNCTIONS`, e.g. `device-history`.
    pub function: String,
    pub reason: String,
}

/// A JSON pointer into the decoded response that is not compared, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mask {
    pub pointer: String,
    pub reason: String,
}

#[derive(Debug, thiserror::Error)]
pub enum VectorError {
    #[error("no vector for {use_case} in {dir}: import it with `gbcs-harness import` (expected {dir}/{use_case}/<variant>.json)")]
    Missing { use_case: String, dir: String },
    #[error(
        "no vector {variant} for {use_case}: expected {path}; import it with `gbcs-harness import`"
    )]
    MissingVariant {
        use_case: String,
        variant: String,
        path: String,
    },
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not a vector: {source}")]
    Parse {
        path: String,
        source: serde_json::Error,
    },
}

impl Vector {
    pub fn path(dir: &Path, use_case: &str, variant: &str) -> PathBuf {
        dir.join(use_case).join(format!("{variant}.json"))
    }

    pub fn load(path: &Path) -> Result<Vector, VectorError> {
        let text = std::fs::read_to_string(path).map_err(|source| VectorError::Read {
            path: path.display().to_string(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| VectorError::Parse {
            path: path.display().to_string(),
            source,
        })
    }

    pub fn save(&self, dir: &Path) -> std::io::Result<PathBuf> {
        let path = Self::path(dir, &self.use_case, &self.variant);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        text.push('\n');
        std::fs::write(&path, text)?;
        Ok(path)
    }

    /// Whether this variant records a device in a failing state (RTDS `_ERROR_`,
    /// `NOT_FOUND`), which the device must be put into before the command.
    pub fn is_device_state_error(&self) -> bool {
        self.variant.contains("_ERROR") || self.variant.contains("NOT_FOUND")
    }

    /// Whether this variant was recorded from a twin-element meter.
    pub fn is_twin(&self) -> bool {
        self.variant.contains("_TWIN")
    }

    /// Whether the device must be prepared (see `Transport::prepare`) before the command.
    pub fn needs_device_state(&self) -> bool {
        self.is_device_state_error() || self.is_twin()
    }
}

/// The vectors of one folder, by use case then variant name, loaded lazily.
#[derive(Debug, Clone)]
pub struct VectorStore {
    dir: PathBuf,
}

impl VectorStore {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        VectorStore { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A named variant of a use case.
    pub fn variant(&self, use_case: &str, variant: &str) -> Result<Vector, VectorError> {
        let path = Vector::path(&self.dir, use_case, variant);
        if !path.is_file() {
            return Err(VectorError::MissingVariant {
                use_case: use_case.into(),
                variant: variant.into(),
                path: path.display().to_string(),
            });
        }
        Vector::load(&path)
    }

    /// The variant names recorded for a use case, sorted.
    pub fn variants(&self, use_case: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.join(use_case))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.strip_suffix(".json").map(str::to_string)
            })
            .collect();
        names.sort();
        names
    }

    /// The vector a scenario means when it names only the use case: the first success
    /// variant for a single-element meter, else the first recorded.
    pub fn default_variant(&self, use_case: &str) -> Result<Vector, VectorError> {
        let names = self.variants(use_case);
        let pick = names
            .iter()
            .find(|n| n.contains("SUCCESS") && !n.contains("TWIN"))
            .or_else(|| names.iter().find(|n| !n.contains("ERROR")))
            .or_else(|| names.first())
            .ok_or_else(|| VectorError::Missing {
                use_case: use_case.into(),
                dir: self.dir.display().to_string(),
            })?;
        self.variant(use_case, pick)
    }

    /// Every vector, by use case (for `vectors verify`).
    pub fn all(&self) -> Result<BTreeMap<String, Vec<Vector>>, VectorError> {
        let mut out: BTreeMap<String, Vec<Vector>> = BTreeMap::new();
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map_err(|source| VectorError::Read {
                path: self.dir.display().to_string(),
                source,
            })?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for d in dirs {
            let use_case = d
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            for variant in self.variants(&use_case) {
                out.entry(use_case.clone())
                    .or_default()
                    .push(self.variant(&use_case, &variant)?);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sender_is_a_party_key_or_an_entity_id() {
        let party: Sender = serde_json::from_str("\"network-operator\"").unwrap();
        assert_eq!(party, Sender::Party(Party::NetworkOperator));
        assert_eq!(
            serde_json::to_string(&party).unwrap(),
            "\"network-operator\""
        );
        let device: Sender = serde_json::from_str("\"00DB510000000005\"").unwrap();
        assert_eq!(
            serde_json::to_string(&device).unwrap(),
            "\"00DB510000000005\""
        );
        assert!(matches!(device, Sender::Other(_)));
        let e = serde_json::from_str::<Sender>("\"milkman\"").unwrap_err();
        assert!(
            e.to_string()
                .contains("neither a remote party nor an entity id"),
            "{e}"
        );
    }
}
