//! `gbcs-harness simulate`: the reference device simulator.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use gbcs_harness::sim::check::{check, VariantClass};
use gbcs_harness::sim::profile::RtdsProfile;

#[derive(Args)]
pub struct SimulateArgs {
    /// Send every recorded COMMAND under DIR to a fresh RTDS-profile simulator and compare its
    /// responses with the recorded RESPONSEs.
    #[arg(long, value_name = "DIR")]
    check: PathBuf,
    /// The ZAZ1 key store of the corpus (remote parties' keys, devices' certificates).
    #[arg(long, value_name = "DIR")]
    keys: PathBuf,
    /// Also list every exchange, not only the use cases that do not match.
    #[arg(long)]
    verbose: bool,
}

pub fn run(args: SimulateArgs) -> ExitCode {
    let profile = match RtdsProfile::load(&args.keys) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    for g in &profile.generated {
        println!(
            "generated {} key for {} (the store has no device private key): {}",
            g.usage, g.entity, g.public_key
        );
    }
    let report = check(&profile, &args.check);
    for uc in &report.use_cases {
        let judged = uc
            .exchanges
            .iter()
            .any(|x| x.recorded && x.variant == VariantClass::Nominal);
        let mark = match (judged, uc.matching) {
            (false, _) => "n/a ",
            (true, true) => "ok  ",
            (true, false) => "DIFF",
        };
        let matched = uc
            .exchanges
            .iter()
            .filter(|x| x.structure_match == Some(true) && x.response_valid)
            .count();
        println!("{mark} {:<48} {matched}/{}", uc.folder, uc.exchanges.len());
        for x in &uc.exchanges {
            let interesting = !uc.matching || args.verbose;
            if interesting && (args.verbose || x.problem.is_some()) {
                println!(
                    "       {:<70} {:?} {}",
                    x.command,
                    x.variant,
                    x.problem.as_deref().unwrap_or("matches")
                );
            }
        }
    }
    println!(
        "{}",
        serde_json::to_string(&report.summary).unwrap_or_default()
    );
    if report.summary.use_cases_matching == report.summary.use_cases {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
