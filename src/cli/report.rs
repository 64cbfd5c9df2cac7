//! `gbcs-harness report`: operations on finished reports.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use gbcs_harness::report;

use super::output;

#[derive(Args)]
pub struct ReportArgs {
    #[command(subcommand)]
    command: ReportCommand,
}

#[derive(Subcommand)]
enum ReportCommand {
    /// Merge JUnit reports from shards of one run into one report.
    Merge {
        /// The merged report to write.
        out: PathBuf,
        /// The shard reports, in order.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
}

pub fn run(args: ReportArgs) -> ExitCode {
    match args.command {
        ReportCommand::Merge { out, inputs } => match report::merge(&out, &inputs) {
            Ok(s) => output::with_stdout(|stdout| {
                stdout.line(format_args!(
                    "{}: {} suites, {} tests, {} failures, {} errors",
                    out.display(),
                    s.suites,
                    s.tests,
                    s.failures,
                    s.errors
                ))?;
                Ok(ExitCode::SUCCESS)
            }),
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
    }
}
