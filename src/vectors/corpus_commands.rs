//! The recorded commands of a corpus as templates for the lab: every COMMAND of an RTDS-style
//! folder, its entity ids swapped for the default profile's and its certificates re-issued by
//! the lab's test PKI, so the runner (and `reference:`) can send it from the lab's parties.

use std::path::{Path, PathBuf};

use crate::codec::{decode_frame, EntityId};
use crate::command::credentials::reissue_certificates;
use crate::command::template::{Addressing, CommandTemplate, Tampering};
use crate::corpus::{command_files, read_hex_file, CommandFile};
use crate::crypto::KeyStore;
use crate::sim::profile::{rtds_to_default, DefaultProfile};

/// One recorded command of the corpus, as a template for the default identities.
#[derive(Debug, Clone)]
pub struct CorpusCommand {
    /// The recorded COMMAND file.
    pub path: PathBuf,
    /// The use-case folder, e.g. `4.1.1_ECS17b`.
    pub folder: String,
    /// The file name without `_GBCS.HEX`'s directory, e.g. `ECS17b_4.1.1_SINGLE_SUCCESS_COMMAND_GBCS.HEX`.
    pub file: String,
    pub template: CommandTemplate,
    pub originator: EntityId,
    pub recipient: EntityId,
    /// The recorded RESPONSE beside it, if any.
    pub recorded_response: Option<PathBuf>,
    /// Why the certificates of a security-credentials command could not be re-issued for
    /// the default PKI (the command is then kept with the recorded ones).
    pub reissue_error: Option<String>,
}

/// The corpus's commands (not PRECOMMANDs), readdressed, with the certificates of
/// security-credentials commands re-issued from `keys` (the default profile's store); files
/// that do not decode or carry an other-information form a template cannot hold are
/// returned by name in the second list.
pub fn corpus_commands(corpus: &Path, keys: &KeyStore) -> (Vec<CorpusCommand>, Vec<String>) {
    let map = rtds_to_default();
    let swap = |id: EntityId| map.iter().find(|(f, _)| *f == id).map_or(id, |(_, t)| *t);
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for CommandFile {
        path,
        folder,
        file,
        response,
    } in command_files(corpus)
    {
        let Some(frame) = read_hex_file(&path)
            .ok()
            .and_then(|b| decode_frame(&b).ok())
        else {
            skipped.push(file);
            continue;
        };
        let Some(mut template) = CommandTemplate::from_frame(&frame) else {
            skipped.push(file);
            continue;
        };
        template.readdress(&map);
        let reissue_error = reissue_certificates(&mut template, keys, &map)
            .err()
            .map(|e| e.to_string());
        out.push(CorpusCommand {
            path,
            folder,
            template,
            originator: swap(frame.header().originator),
            recipient: swap(frame.header().recipient),
            recorded_response: response.is_file().then_some(response),
            reissue_error,
            file,
        });
    }
    (out, skipped)
}

impl CorpusCommand {
    /// The command as the default profile's remote party sends it, with this counter.
    pub fn build(&self, profile: &DefaultProfile, counter: u64) -> Result<Vec<u8>, String> {
        self.template
            .build(
                Addressing {
                    originator: self.originator,
                    recipient: self.recipient,
                    counter,
                },
                profile.keys(),
                Some(profile.acb()),
                Tampering::default(),
            )
            .map_err(|e| e.to_string())
    }
}
