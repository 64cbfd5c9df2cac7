//! The console writer: one line per scenario that ran as it finishes, and the run's table of
//! use cases and totals at the end.

use std::io::Write as _;
use std::path::Path;

use crate::report::Outcome;

use super::summary::RunSummary;
use super::writer::{Finished, Record};

/// Prints `PASS`/`FAIL` lines; not-applicable scenarios are left to the summary (there are
/// many, and they say nothing about the device).
pub struct ConsoleWriter;

impl Record for ConsoleWriter {
    fn scenario(&mut self, done: &Finished) {
        let result = &done.result;
        let (mark, tail) = match &result.outcome {
            Outcome::Passed => ("PASS", String::new()),
            Outcome::Failed(f) => ("FAIL", format!(" — {}: {}", f.kind, f.message)),
            Outcome::NotApplicable { .. } => return,
            Outcome::NotRun { reason } => ("NOT RUN", format!(" — {reason}")),
        };
        let uc = result.use_case.as_deref().unwrap_or("(none)");
        let at = done
            .location
            .as_deref()
            .map(|l| format!("{l} "))
            .unwrap_or_default();
        let _ = writeln!(
            std::io::stdout().lock(),
            "{mark} {uc:<12} {at}{} ({} ms){tail}",
            result.name,
            result.duration.as_millis()
        );
    }
}

/// The end of a run on the console: the per-use-case table (unless `quiet`), the totals,
/// every failure and where the evidence is. A closed standard output (`run | head`) stops
/// the printing quietly: the evidence is in the files.
pub fn print_summary(summary: &RunSummary, quiet: bool, junit: &Path, json: &Path) {
    let _ = write_summary(&mut std::io::stdout().lock(), summary, quiet, junit, json);
}

fn write_summary(
    out: &mut impl std::io::Write,
    summary: &RunSummary,
    quiet: bool,
    junit: &Path,
    json: &Path,
) -> std::io::Result<()> {
    if !quiet {
        writeln!(
            out,
            "\n{:<28} {:>6} {:>6} {:>6}",
            "use case", "passed", "failed", "n/a"
        )?;
        for (uc, t) in &summary.by_use_case {
            writeln!(
                out,
                "{uc:<28} {:>6} {:>6} {:>6}",
                t.passed, t.failed, t.not_applicable
            )?;
        }
    }
    writeln!(
 out,
        "\n{} scenarios: {} passed, {} failed, {} not applicable, {} not run ({} feature file errors) in {:.1} s",
        summary.scenarios,
        summary.total.passed,
        summary.total.failed,
        summary.total.not_applicable,
        summary.total.not_run,
        summary.feature_errors,
        summary.duration_s
    )?;
    for f in &summary.failures {
        writeln!(out, "  FAILED {f}")?;
    }
    writeln!(
        out,
        "JUnit: {}  summary: {}",
        junit.display(),
        json.display()
    )?;
    Ok(())
}
