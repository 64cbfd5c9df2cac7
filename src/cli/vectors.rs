//! `gbcs-harness vectors verify`: the reference simulator judged by every golden vector.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use gbcs_harness::command::identities::Identities;
use gbcs_harness::command::template::{Addressing, Tampering};
use gbcs_harness::runner::judge;
use gbcs_harness::sim::profile::DefaultProfile;
use gbcs_harness::vectors::{self, VectorStore};

use super::output;

#[derive(Args)]
pub struct VectorsArgs {
    #[command(subcommand)]
    command: VectorsCommand,
}

#[derive(Subcommand)]
enum VectorsCommand {
    /// Send every vector's command to a fresh reference simulator and compare the response.
    Verify {
        #[arg(default_value = "vectors")]
        dir: PathBuf,
    },
}

pub fn run(args: VectorsArgs) -> ExitCode {
    let profile = match DefaultProfile::generate() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: cannot build the test PKI: {e}");
            return ExitCode::from(2);
        }
    };
    match args.command {
        VectorsCommand::Verify { dir } => {
            let store = VectorStore::new(&dir);
            let all = match store.all() {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            output::with_stdout(|out| {
                let ids = Identities::default_lab();
                let (mut ok, mut bad) = (0usize, 0usize);
                for vector in all.values().flatten() {
                    let addressing = Addressing {
                        originator: vector.sender.id_in(&ids).unwrap_or(ids.acb),
                        recipient: ids.devices.get(&vector.device).copied().unwrap_or(ids.acb),
                        counter: 0x0100_0000_0000_0001,
                    };
                    let result = vector
                        .command
                        .template
                        .build(
                            addressing,
                            profile.keys(),
                            Some(profile.acb()),
                            Tampering::default(),
                        )
                        .map_err(|e| e.to_string())
                        .and_then(|frame| {
                            let mut sim = profile.simulator();
                            let x = sim.handle(&frame);
                            let response = x.response.ok_or("no response")?;
                            let command =
                                judge::header_of(&frame).ok_or("command does not decode")?;
                            let i = judge::valid_response(
                                profile.keys(),
                                profile.acb(),
                                &command,
                                &response,
                            )
                            .map_err(|f| format!("{}: {}", f.kind, f.message))?;
                            let payload = i.message.payload.map_err(|e| e.to_string())?;
                            let sent = gbcs_harness::codec::decode_message(&frame)
                                .ok()
                                .and_then(|m| m.payload.ok())
                                .and_then(|p| serde_json::to_value(p).ok())
                                .unwrap_or_default();
                            let actual = vectors::compare::Actual {
                                message_code: i.message.frame.header().message_code(),
                                payload: &payload,
                            };
                            vectors::compare(vector, &sent, actual).map_err(|m| {
                                format!(
                                    "{}\n{}\nresponse: {}",
                                    m.summary,
                                    m.diff,
                                    hex::encode_upper(&response)
                                )
                            })
                        });
                    match result {
                        Ok(()) => ok += 1,
                        Err(e) => {
                            bad += 1;
                            out.line(format_args!(
                                "MISMATCH {}/{}: {e}",
                                vector.use_case, vector.variant
                            ))?;
                        }
                    }
                }
                out.line(format_args!("{ok} vectors verified, {bad} mismatched"))?;
                Ok(if bad == 0 {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                })
            })
        }
    }
}
