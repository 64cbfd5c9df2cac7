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

const MERGE_HELP: &str = "\
Each list starts with the file to write, then the shards' files, e.g.
  gbcs-harness report merge reports/junit.xml shards/junit-*.xml \\
      --json reports/summary.json shards/summary-*.json

JUnit: suites of the same name become one, counts are recomputed from the testcases.
Summaries: counters and the tallies by use case and by device are summed, results are
sorted by location, failures concatenated, exit_code recomputed; fields this version does
not know are kept (the first shard's value; a difference is reported). Summaries with
different schema_version are refused. The folders of the outputs are created.

Exit status:
  0    merged (whatever the shards' verdicts: the merged summary's exit_code has it)
  2    refused, in one line: an input is missing or malformed, a shard is given twice (the
       same file, or the same content), or the summaries' schema_version differ. The
       refused output is not written (nor the summary when the JUnit merge is refused).
       Also refused: an input that is an output (it would be replaced), a shard too
       large or nested too deep to be a report, counters whose sum overflows";

#[derive(Subcommand)]
enum ReportCommand {
    /// Merge the JUnit reports (and the JSON summaries) of the shards of one run.
    #[command(after_help = MERGE_HELP)]
    Merge {
        /// The merged JUnit report to write, then the shards' JUnit reports.
        #[arg(value_names = ["OUT.xml", "IN.xml"], num_args = 2.., required_unless_present = "json")]
        junit: Vec<PathBuf>,
        /// The merged JSON summary to write, then the shards' summaries (`run --json`).
        #[arg(long, value_names = ["OUT.json", "IN.json"], num_args = 2..)]
        json: Option<Vec<PathBuf>>,
    },
    /// Check an evidence bundle (`run --evidence DIR`) against its MANIFEST.sha256: every
    /// listed file present and unchanged, the files every bundle has listed, no file
    /// unlisted, no link. Exit 0 verified, 1 a mismatch (each named), 2 DIR is not a bundle.
    Verify {
        /// The bundle's folder.
        dir: PathBuf,
    },
}

pub fn run(args: ReportArgs) -> ExitCode {
    match args.command {
        ReportCommand::Merge { junit, json } => merge(&junit, json.as_deref().unwrap_or(&[])),
        ReportCommand::Verify { dir } => verify(&dir),
    }
}

/// Problems printed by `report verify` before the rest are only counted.
const VERIFY_PROBLEMS_SHOWN: usize = 50;

/// Checks an evidence bundle against its manifest: exit 0 verified, 1 a mismatch (each named
/// on standard error), 2 not a bundle.
fn verify(dir: &std::path::Path) -> ExitCode {
    let v = match report::evidence::verify(dir) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if !v.ok() {
        eprintln!(
            "bundle {} does not verify: {} problems",
            dir.display(),
            v.problems.len()
        );
        for p in v.problems.iter().take(VERIFY_PROBLEMS_SHOWN) {
            eprintln!("  {p}");
        }
        if v.problems.len() > VERIFY_PROBLEMS_SHOWN {
            eprintln!(
                "  ... and {} more",
                v.problems.len() - VERIFY_PROBLEMS_SHOWN
            );
        }
        return ExitCode::from(1);
    }
    output::with_stdout(|stdout| {
        stdout.line(format_args!(
            "bundle {} verified: {} files",
            dir.display(),
            v.listed
        ))?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Merges the JUnit reports, then the summaries; a refusal stops there, with exit 2.
fn merge(junit: &[PathBuf], json: &[PathBuf]) -> ExitCode {
    // Every output against every input of both merges, before either writes: the JUnit
    // output could be a summary shard, and a refused summary merge should find nothing
    // written.
    let (junit_out, junit_in) = junit
        .split_first()
        .map_or((None, &[][..]), |(o, i)| (Some(o), i));
    let (json_out, json_in) = json
        .split_first()
        .map_or((None, &[][..]), |(o, i)| (Some(o), i));
    for (out, inputs) in [
        (junit_out, junit_in),
        (junit_out, json_in),
        (json_out, json_in),
        (json_out, junit_in),
    ] {
        if let Some(out) = out {
            if let Err(e) = report::merge::refuse_output_as_input(out, inputs) {
                return refused(&e);
            }
        }
    }
    let mut lines = Vec::new();
    if let Some((out, inputs)) = junit.split_first() {
        match report::merge(out, inputs) {
            Ok(s) => lines.push(format!(
                "{}: {} suites, {} tests, {} failures, {} errors",
                out.display(),
                s.suites,
                s.tests,
                s.failures,
                s.errors
            )),
            Err(e) => return refused(&e),
        }
    }
    if let Some((out, inputs)) = json.split_first() {
        match report::merge::merge_summaries(out, inputs) {
            Ok(s) => {
                for d in &s.differences {
                    eprintln!("warning: the shards' summaries differ in {d}");
                }
                lines.push(format!(
                    "{}: {} scenarios, {} passed, {} failed, {} not applicable, {} not run, exit_code {}",
                    out.display(),
                    s.scenarios,
                    s.passed,
                    s.failed,
                    s.not_applicable,
                    s.not_run,
                    s.exit_code
                ));
            }
            Err(e) => return refused(&e),
        }
    }
    output::with_stdout(|stdout| {
        for l in &lines {
            stdout.line(format_args!("{l}"))?;
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn refused(e: &report::merge::MergeError) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(2)
}
