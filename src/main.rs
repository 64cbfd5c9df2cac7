//! `gbcs-harness`: conformance and interoperability test harness for GB smart metering.

mod cli;

/// The decoder builds many small trees; mimalloc roughly halves their allocation cost.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

#[derive(Parser)]
#[command(name = "gbcs-harness", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write a commented profile for your own device, check it, print the command to run.
    Init(cli::init::InitArgs),
    /// Run the Gherkin features against a target; write JUnit and a JSON summary.
    Run(cli::run::RunArgs),
    /// Decode GBCS messages, verify their signatures and MACs, decrypt what the keys allow.
    Decode(cli::decode::DecodeArgs),
    /// The reference device simulator: served over TCP or stdio, or checked against a corpus.
    Simulate(cli::simulate::SimulateArgs),
    /// Drive a simulator with protected commands from many connections; report the rate.
    Load(cli::load::LoadArgs),
    /// List the project's catalogue of message codes and use cases.
    Catalogue(cli::catalogue::CatalogueArgs),
    /// Judge the reference simulator by every golden vector (`vectors verify`).
    Vectors(cli::vectors::VectorsArgs),
    /// Golden vectors from recordings laid out like the RTDS: the expected response is the
    /// recorded one, readdressed to the lab and judged field by field by its role.
    Import(cli::import::ImportArgs),
    /// Work with test reports (merge JUnit shards).
    Report(cli::report::ReportArgs),
    /// DUIS documents: sign requests as their originator, verify signatures, validate.
    Duis(cli::duis::DuisArgs),
    /// The reference head-end (a DCC User system) the head-end features are judged against,
    /// with fault modes; `head-end trigger` asks a running one to send a request.
    HeadEnd(cli::head_end::HeadEndArgs),
    /// Print a shell completion script: `gbcs-harness completions bash > /etc/bash_completion.d/gbcs-harness`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Init(args) => cli::init::run(args),
        Command::Run(args) => cli::run::run(args),
        Command::Vectors(args) => cli::vectors::run(args),
        Command::Import(args) => cli::import::run(args),
        Command::Decode(args) => cli::decode::run(args),
        Command::Simulate(args) => cli::simulate::run(args),
        Command::Load(args) => cli::load::run(args),
        Command::Catalogue(args) => cli::catalogue::run(args),
        Command::Report(args) => cli::report::run(args),
        Command::Duis(args) => cli::duis::run(args),
        Command::HeadEnd(args) => cli::head_end::run(args),
        Command::Completions { shell } => {
            // Generated into memory, then written as any output is (quiet on a broken pipe).
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "gbcs-harness", &mut script);
            cli::output::with_stdout(|out| {
                out.text(String::from_utf8_lossy(&script))?;
                Ok(ExitCode::SUCCESS)
            })
        }
    }
}
