//! `gbcs-harness catalogue`: the message codes and use cases the harness knows.

use std::process::ExitCode;

use clap::Args;
use gbcs_harness::codec::catalogue;

use super::output;

#[derive(Args)]
pub struct CatalogueArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: CatalogueArgs) -> ExitCode {
    let entries = catalogue::entries();
    if args.json {
        return match serde_json::to_string_pretty(entries) {
            Ok(s) => output::with_stdout(|out| {
                out.line(s)?;
                Ok(ExitCode::SUCCESS)
            }),
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        };
    }
    output::with_stdout(|out| {
        out.line(format_args!(
            "{:<8} {:<14} {:<9} {:<26} {:<6} title",
            "code", "use case", "SR", "message type", "family"
        ))?;
        for e in entries {
            out.line(format_args!(
                "0x{:04X}   {:<14} {:<9} {:<26} {:<6} {}",
                e.code,
                e.use_case,
                e.service_request.unwrap_or("-"),
                format!("{:?}", e.message_type),
                format!("{:?}", e.family).to_lowercase(),
                e.title
            ))?;
        }
        Ok(ExitCode::SUCCESS)
    })
}
