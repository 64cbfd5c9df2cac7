//! Recording vectors: every COMMAND of the RTDS corpus, addressed to the default devices and
//! sent by the default remote parties, run against a fresh reference simulator.

use std::path::{Path, PathBuf};

use crate::codec::{decode_frame, EntityId};
use crate::corpus::{hex_files, read_hex_file};
use crate::runner::command::CommandTemplate;
use crate::sim::profile::rtds_to_default;

/// One recorded command of the corpus, as a template for the default identities.
#[derive(Debug, Clone)]
pub struct CorpusCommand {
    /// The use-case folder, e.g. `4.1.1_ECS17b`.
    pub folder: String,
    /// The file name without `_GBCS.HEX`'s directory, e.g. `ECS17b_4.1.1_SINGLE_SUCCESS_COMMAND_GBCS.HEX`.
    pub file: String,
    pub template: CommandTemplate,
    pub originator: EntityId,
    pub recipient: EntityId,
    /// The recorded RESPONSE beside it, if any.
    pub recorded_response: Option<PathBuf>,
}

/// The corpus's commands (not PRECOMMANDs), readdressed; files that do not decode or carry an
/// other-information form a template cannot hold are returned by name in the second list.
pub fn corpus_commands(corpus: &Path) -> (Vec<CorpusCommand>, Vec<String>) {
    let map = rtds_to_default();
    let swap = |id: EntityId| map.iter().find(|(f, _)| *f == id).map_or(id, |(_, t)| *t);
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for path in hex_files(corpus) {
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !file.contains("_COMMAND_") || file.contains("PRECOMMAND") {
            continue;
        }
        let folder = path
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
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
        let recorded = path.with_file_name(file.replace("_COMMAND_", "_RESPONSE_"));
        out.push(CorpusCommand {
            folder,
            template,
            originator: swap(frame.header().originator),
            recipient: swap(frame.header().recipient),
            recorded_response: recorded.is_file().then_some(recorded),
            file,
        });
    }
    (out, skipped)
}

#[cfg(test)]
mod experiment {
    use super::*;
    use crate::inspect::Inspector;
    use crate::runner::command::{Addressing, Tampering};
    use crate::sim::profile::DefaultProfile;
    use crate::sim::shape::{first_difference, shape};

    #[test]
    #[ignore]
    fn default_profile_runs_the_corpus() {
        let Some(dir) = crate::corpus::messages_dir() else {
            return;
        };
        let (cmds, skipped) = corpus_commands(&dir);
        println!("{} commands, skipped {skipped:?}", cmds.len());
        let profile = DefaultProfile::generate().unwrap();
        let inspector = Inspector::new(profile.keys(), None);
        let rtds = crate::sim::profile::RtdsProfile::load(&crate::corpus::keystore_dir().unwrap())
            .unwrap();
        let rtds_inspector = Inspector::new(rtds.keys(), None);
        let (mut ok, mut shape_ok) = (0, 0);
        let mut bad_folders = std::collections::BTreeSet::new();
        for c in &cmds {
            let frame = match c.template.build(
                Addressing {
                    originator: c.originator,
                    recipient: c.recipient,
                    counter: 0x0100_0000_0001,
                },
                profile.keys(),
                Some(profile.acb()),
                Tampering::default(),
            ) {
                Ok(f) => f,
                Err(e) => {
                    println!("BUILD {}: {e}", c.file);
                    bad_folders.insert(c.folder.clone());
                    continue;
                }
            };
            let mut sim = profile.simulator();
            let x = sim.handle(&frame);
            let Some(resp) = x.response else {
                println!("REJECT {}: {:?}", c.file, x.rejection);
                bad_folders.insert(c.folder.clone());
                continue;
            };
            ok += 1;
            let Some(rec) = &c.recorded_response else {
                continue;
            };
            let ours = inspector.inspect(&resp).unwrap();
            let theirs = rtds_inspector
                .inspect(&read_hex_file(rec).unwrap())
                .unwrap();
            let d = match (&ours.message.payload, &theirs.message.payload) {
                (Ok(a), Ok(b)) => first_difference(&shape(a), &shape(b), "payload"),
                _ => Some("payload decode".into()),
            };
            match d {
                None => shape_ok += 1,
                Some(d) => {
                    println!("SHAPE {}: {d}", c.file);
                    if !c.file.contains("ERROR") && !c.file.contains("NOT_FOUND") {
                        bad_folders.insert(c.folder.clone());
                    }
                }
            }
        }
        println!(
            "answered {ok}, shape {shape_ok}; folders with problems {}: {bad_folders:?}",
            bad_folders.len()
        );
    }
}
