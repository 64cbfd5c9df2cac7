//! Importing golden vectors from recordings: a folder laid out like the RTDS
//! (`<SR>_<UseCase>/<UseCase>_<SR>_<VARIANT>_{COMMAND,RESPONSE}_GBCS.HEX`) becomes one vector
//! per recorded command. The expected response is the **recorded** one, from the reference
//! device that made the recording: decrypted with the recording's key store, its entity ids
//! swapped for the lab's, each field in its role ([`crate::inspect::roles`]). The simulator
//! plays no part in it.

use std::path::Path;

use serde_json::Value;

use super::corpus_commands::{corpus_commands, CorpusCommand};
use super::{ExpectedResponse, Mask, Need, RecordedAlert, RecordedCommand, Sender, Vector};
use crate::codec::catalogue;
use crate::codec::{decode_frame, EntityId};
use crate::command::identities::Identities;
use crate::corpus::{immediate_alerts, read_hex_file};
use crate::crypto::KeyStore;
use crate::inspect::roles;
use crate::inspect::Inspector;
use crate::sim::profile::{rtds_to_default, DefaultProfile};

/// What a few recordings presuppose or get wrong, found by judging them: each becomes a need
/// (a capability the target must declare) or a mask on that variant's vector, with its reason,
/// so it is visible in the vector file and in the features.
enum Note {
    Needs(&'static str),
    Mask(&'static [&'static str]),
}

const RECORDING_NOTES: &[(&str, Note, &str)] = &[
    (
        "GCS15c_4.4.3_SUCCESS",
        Note::Needs("device-history"),
        "the recorded GSME publishes billing snapshots of 2015-02-01 and 2015-03-01, later \
         than the RTDS clock (2015-01-01) the lab's devices start at: a device must hold that \
         history to reproduce it",
    ),
    (
        "GCS20r_6.2.10_ERROR",
        Note::Mask(&[
            "/body/components/0/body/zcl/frame_control/direction",
            "/body/components/0/body/zcl/direction",
            // The decoder names the refused command from the direction: null here.
            "/body/components/0/body/payload/command",
        ]),
        "the recorded Default Response from the GSME (a Device Management client) goes \
         server-to-client, against ZCL and against the same device's GCS20 answers \
         (client-to-server): the direction is not judged here",
    ),
];

/// Why one recorded file could not become a vector.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportProblem {
    #[error("{file}: does not decode as a GBCS command")]
    UndecodableCommand { file: String },
    #[error("{file}: no RESPONSE recorded beside it (expected {response})")]
    MissingResponse { file: String, response: String },
    #[error("{file}: cannot read: {reason}")]
    Unreadable { file: String, reason: String },
    #[error("{file}: the response does not decode: {reason}")]
    UndecodableResponse { file: String, reason: String },
    #[error("{file}: message code {code} is not in the catalogue")]
    UnknownMessageCode { file: String, code: String },
    #[error("{file}: folder {folder} does not name a use case (expected <SR>_<UseCase>)")]
    UnknownUseCase { file: String, folder: String },
    #[error("{file}: the response's blocks do not decrypt with the recording's keys: {reason}")]
    Undecryptable { file: String, reason: String },
    #[error("{file}: the certificates cannot be re-issued for the lab: {reason}")]
    Credentials { file: String, reason: String },
    #[error("{file}: the command goes to {recipient}, which is none of the lab's devices")]
    NotALabDevice { file: String, recipient: EntityId },
}

/// What an import made, and what it could not.
#[derive(Debug, Default)]
pub struct Imported {
    pub vectors: Vec<Vector>,
    pub problems: Vec<ImportProblem>,
}

/// The vectors of every recorded command under `corpus`. `recording_keys` is the key store the
/// recording was protected with (the RTDS's ZAZ1 store), `acb` its access control broker;
/// `lab` gives the identities and certificates the vectors are readdressed to.
pub fn import(
    corpus: &Path,
    recording_keys: &KeyStore,
    acb: Option<EntityId>,
    lab: &DefaultProfile,
) -> Imported {
    let (commands, undecodable) = corpus_commands(corpus, lab.keys());
    let mut out = Imported {
        problems: undecodable
            .into_iter()
            .map(|file| ImportProblem::UndecodableCommand { file })
            .collect(),
        ..Imported::default()
    };
    let ids = Identities::default_lab();
    let map = rtds_to_default();
    let recorded = Inspector::new(recording_keys, acb);
    for c in commands {
        match import_one(corpus, &c, &recorded, &ids, &map) {
            Ok(v) => out.vectors.push(v),
            Err(p) => out.problems.push(p),
        }
    }
    out.vectors
        .sort_by(|a, b| (&a.use_case, &a.variant).cmp(&(&b.use_case, &b.variant)));
    out
}

fn import_one(
    corpus: &Path,
    c: &CorpusCommand,
    recorded: &Inspector<'_>,
    ids: &Identities,
    map: &[(EntityId, EntityId)],
) -> Result<Vector, ImportProblem> {
    let file = format!("{}/{}", c.folder, c.file);
    let (service_request, use_case) = checked_use_case(c, &file)?;
    let (command_bytes, command_decoded) = recorded_command(c, recorded, map, &file)?;
    let response = recorded_response(c, recorded, map, &file)?;
    let variant = c.file.trim_end_matches("_COMMAND_GBCS.HEX").to_string();
    let alerts = recorded_alerts(corpus, &c.path, &file)?;
    let (needs, masks) = notes_for(&variant);
    Ok(Vector {
        use_case,
        variant,
        service_request: (service_request != "NA").then_some(service_request),
        device: ids
            .device_of(c.recipient)
            .ok_or_else(|| ImportProblem::NotALabDevice {
                file: file.clone(),
                recipient: c.recipient,
            })?,
        sender: ids
            .party_of(c.originator)
            .map_or(Sender::Other(c.originator), Sender::Party),
        source: file,
        command: RecordedCommand {
            template: c.template.clone(),
            hex: hex::encode_upper(&command_bytes),
            decoded: command_decoded,
        },
        response: Some(response),
        alerts,
        needs,
        masks,
    })
}

/// The service request and use case the folder names, once the command is known to be one
/// the lab can send: a catalogued message code, certificates re-issued.
fn checked_use_case(c: &CorpusCommand, file: &str) -> Result<(String, String), ImportProblem> {
    let (service_request, use_case) = c
        .folder
        .split_once('_')
        .map(|(sr, uc)| (sr.to_string(), uc.to_string()))
        .filter(|(_, uc)| !uc.is_empty())
        .ok_or_else(|| ImportProblem::UnknownUseCase {
            file: file.to_string(),
            folder: c.folder.clone(),
        })?;
    let code = c.template.message_code;
    if catalogue::lookup(code).is_none() {
        return Err(ImportProblem::UnknownMessageCode {
            file: file.to_string(),
            code: code.to_string(),
        });
    }
    if let Some(reason) = &c.reissue_error {
        return Err(ImportProblem::Credentials {
            file: file.to_string(),
            reason: reason.clone(),
        });
    }
    Ok((service_request, use_case))
}

/// The command as recorded, and its payload readdressed: what the recorded response's echoes
/// refer to.
fn recorded_command(
    c: &CorpusCommand,
    recorded: &Inspector<'_>,
    map: &[(EntityId, EntityId)],
    file: &str,
) -> Result<(Vec<u8>, Value), ImportProblem> {
    let bytes = read_hex_file(&c.path).map_err(|e| ImportProblem::Unreadable {
        file: file.to_string(),
        reason: e.to_string(),
    })?;
    let mut decoded = recorded
        .inspect(&bytes)
        .ok()
        .and_then(|i| i.message.payload.ok())
        .map_or(Value::Null, |p| {
            serde_json::to_value(p).unwrap_or(Value::Null)
        });
    readdress_json(&mut decoded, map);
    Ok((bytes, decoded))
}

/// The reference device's response: decoded, decrypted with the recording's keys (every
/// block, or it is a problem), readdressed, and its expectation view.
fn recorded_response(
    c: &CorpusCommand,
    recorded: &Inspector<'_>,
    map: &[(EntityId, EntityId)],
    file: &str,
) -> Result<ExpectedResponse, ImportProblem> {
    let problem = |reason: String| ImportProblem::UndecodableResponse {
        file: file.to_string(),
        reason,
    };
    let path = c.recorded_response.as_ref().ok_or_else(|| {
        let stem = c.file.replace("_COMMAND_", "_RESPONSE_");
        ImportProblem::MissingResponse {
            file: file.to_string(),
            response: format!("{}/{stem}", c.folder),
        }
    })?;
    let bytes = read_hex_file(path).map_err(|e| ImportProblem::Unreadable {
        file: file.to_string(),
        reason: e.to_string(),
    })?;
    let inspection = recorded
        .inspect(&bytes)
        .map_err(|e| problem(e.to_string()))?;
    let blocks = &inspection.checks.decryption;
    if blocks.decrypted < blocks.blocks {
        return Err(ImportProblem::Undecryptable {
            file: file.to_string(),
            reason: format!(
                "{} of {} block(s) decrypted ({} without a key, {} failed authentication, {} undecodable)",
                blocks.decrypted,
                blocks.blocks,
                blocks.no_key,
                blocks.authentication_failed,
                blocks.plaintext_undecodable
            ),
        });
    }
    let payload = inspection
        .message
        .payload
        .as_ref()
        .map_err(|e| problem(e.to_string()))?;
    let message_code = inspection
        .message
        .frame
        .header()
        .message_code()
        .or_else(|| decode_frame(&bytes).ok()?.header().message_code())
        .unwrap_or(c.template.message_code)
        .to_string();
    let mut decoded = serde_json::to_value(payload).unwrap_or(Value::Null);
    readdress_json(&mut decoded, map);
    // The stored view shows what is judged, log runs folded as the comparison folds them.
    let mut folded = decoded.clone();
    roles::fold_log_runs(&mut folded, &mut Value::Null);
    let expected = roles::view(&folded, None);
    Ok(ExpectedResponse {
        message_code,
        recorded_hex: hex::encode_upper(&bytes),
        decoded,
        expected,
    })
}

/// The alerts the recording shows the command causing at once, by message code.
fn recorded_alerts(
    corpus: &Path,
    command: &Path,
    file: &str,
) -> Result<Vec<RecordedAlert>, ImportProblem> {
    immediate_alerts(corpus, command)
        .iter()
        .map(|path| {
            let unreadable = |reason: String| ImportProblem::Unreadable {
                file: format!("{file} (alert {})", path.display()),
                reason,
            };
            let bytes = read_hex_file(path).map_err(|e| unreadable(e.to_string()))?;
            let code = decode_frame(&bytes)
                .ok()
                .and_then(|f| f.header().message_code())
                .ok_or_else(|| unreadable("does not decode as a GBCS alert".into()))?;
            Ok(RecordedAlert {
                message_code: code.to_string(),
                hex: hex::encode_upper(&bytes),
            })
        })
        .collect()
}

/// The needs and masks the notes give a variant, each with the note's reason.
fn notes_for(variant: &str) -> (Vec<Need>, Vec<Mask>) {
    let (mut needs, mut masks) = (Vec::new(), Vec::new());
    for (_, note, reason) in RECORDING_NOTES.iter().filter(|(v, _, _)| *v == variant) {
        let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
        match note {
            Note::Needs(function) => needs.push(Need {
                function: function.to_string(),
                reason,
            }),
            Note::Mask(pointers) => masks.extend(pointers.iter().map(|p| Mask {
                pointer: p.to_string(),
                reason: reason.clone(),
            })),
        }
    }
    (needs, masks)
}

/// Swaps the recording's entity ids for the lab's wherever a hex string holds one (payload
/// fields that name a device or remote party: ids in logs, certificates' subjects, echoes).
pub fn readdress_json(v: &mut Value, map: &[(EntityId, EntityId)]) {
    match v {
        Value::String(s) if s.len() >= 16 && s.chars().all(|c| c.is_ascii_hexdigit()) => {
            let mut upper = s.to_ascii_uppercase();
            for (from, to) in map {
                let (f, t) = (hex::encode_upper(from.0), hex::encode_upper(to.0));
                // Only at byte boundaries: an id is whole bytes.
                let mut at = 0;
                while let Some(i) = upper[at..].find(&f) {
                    let i = at + i;
                    if i % 2 == 0 {
                        upper.replace_range(i..i + f.len(), &t);
                    }
                    at = i + 2;
                }
            }
            *s = upper;
        }
        Value::Array(items) => items.iter_mut().for_each(|c| readdress_json(c, map)),
        Value::Object(m) => m.values_mut().for_each(|c| readdress_json(c, map)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_are_swapped_at_byte_boundaries_only() {
        let a: EntityId = "00DB1234567890A0".parse().unwrap();
        let b: EntityId = "00DB5100000000AA".parse().unwrap();
        let mut v = json!({"x": "0100DB1234567890A0", "y": "000DB1234567890A00", "n": 3});
        readdress_json(&mut v, &[(a, b)]);
        assert_eq!(v["x"], "0100DB5100000000AA");
        assert_eq!(v["y"], "000DB1234567890A00");
    }
}
