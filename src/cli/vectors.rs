//! `gbcs-harness vectors record|verify`: golden vectors from the reference simulator.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use gbcs_harness::runner::command::{Addressing, Tampering};
use gbcs_harness::runner::identities::Identities;
use gbcs_harness::runner::judge;
use gbcs_harness::sim::profile::DefaultProfile;
use gbcs_harness::vectors::{self, record, VectorStore};

#[derive(Args)]
pub struct VectorsArgs {
    #[command(subcommand)]
    command: VectorsCommand,
}

#[derive(Subcommand)]
enum VectorsCommand {
    /// Record a vector for every command of an RTDS-style corpus, addressed to the built-in
    /// simulator's devices and sent by its remote parties. Review the diff like a snapshot.
    Record {
        /// The corpus: folders of *_COMMAND_GBCS.HEX files (default: $GBCS_RTDS_DIR/RTDS-4.5.0).
        #[arg(long)]
        from: Option<PathBuf>,
        /// Where to write them.
        #[arg(long, default_value = "vectors")]
        out: PathBuf,
    },
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
        VectorsCommand::Record { from, out } => {
            let Some(corpus) = from.or_else(gbcs_harness::corpus::messages_dir) else {
                eprintln!("error: no corpus: pass --from DIR or set GBCS_RTDS_DIR");
                return ExitCode::from(2);
            };
            let (recorded, problems) = record::record_from_corpus(&corpus, &profile);
            for v in &recorded {
                if let Err(e) = v.save(&out) {
                    eprintln!("error: cannot write {}/{}: {e}", out.display(), v.use_case);
                    return ExitCode::from(2);
                }
            }
            for (file, why) in &problems {
                eprintln!("not recorded: {file}: {why}");
            }
            println!(
                "{} vectors recorded into {}, {} commands not recorded",
                recorded.len(),
                out.display(),
                problems.len()
            );
            ExitCode::SUCCESS
        }
        VectorsCommand::Verify { dir } => {
            let store = VectorStore::new(&dir);
            let all = match store.all() {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            let ids = Identities::default_lab();
            let (mut ok, mut bad) = (0usize, 0usize);
            for vector in all.values().flatten() {
                let addressing = Addressing {
                    originator: vector
                        .sender
                        .parse::<gbcs_harness::runner::identities::Party>()
                        .ok()
                        .and_then(|p| ids.parties.get(&p).copied())
                        .or_else(|| vector.sender.parse().ok())
                        .unwrap_or(ids.acb),
                    recipient: vector
                        .device
                        .parse::<gbcs_harness::runner::identities::DeviceKind>()
                        .ok()
                        .and_then(|d| ids.devices.get(&d).copied())
                        .or_else(|| vector.device.parse().ok())
                        .unwrap_or(ids.acb),
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
                        let command = judge::header_of(&frame).ok_or("command does not decode")?;
                        let i = judge::valid_response(
                            profile.keys(),
                            profile.acb(),
                            &command,
                            &response,
                        )
                        .map_err(|f| format!("{}: {}", f.kind, f.message))?;
                        let payload = i.message.payload.map_err(|e| e.to_string())?;
                        vectors::compare(vector, &payload).map_err(|m| {
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
                        println!("MISMATCH {}/{}: {e}", vector.use_case, vector.variant);
                    }
                }
            }
            println!("{ok} vectors verified, {bad} mismatched");
            if bad == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    }
}
