//! The console: what a person watching `gbcs-harness run` reads.
//!
//! - A `FAIL` line on standard output for every failed scenario as it finishes, with its
//!   one-line reason (`ERROR` where the harness could not test: JUnit's `<error>`); `PASS`
//!   lines only with `--verbose`.
//! - On a terminal (standard error), one progress line rewritten in place:
//!   `[n/N] passed p, failed f, n/a a, ETA mm:ss`; never in piped output, so CI logs get
//!   plain lines only.
//! - Colour only when standard output is a terminal and `NO_COLOR` is not set.
//! - At the end: the per-use-case table for the use cases that failed (every use case with
//!   `--verbose`), the not-applicable scenarios counted by reason (one line per reason, so
//!   none is dropped silently), the totals, every failure, and where the evidence is.
//!
//! The run hands finished scenarios to [`ConsoleWriter`]; how they are shown is set once per
//! process with [`configure`] (by `gbcs-harness run`, from its flags and the terminal).

use std::collections::BTreeMap;
use std::io::{IsTerminal as _, Write};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::report::Outcome;

use super::summary::RunSummary;
use super::writer::{Finished, Record};

/// How the console shows a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConsoleSettings {
    /// A `PASS` line per passed scenario, and the whole per-use-case table.
    pub verbose: bool,
    /// ANSI colour on standard output.
    pub colour: bool,
    /// The progress line on standard error.
    pub progress: bool,
}

impl ConsoleSettings {
    /// The settings for this process's terminal: colour when standard output is a terminal
    /// and `NO_COLOR` is unset or empty (<https://no-color.org>) and `TERM` is not `dumb`;
    /// progress when standard error is a terminal.
    pub fn detect(verbose: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
        ConsoleSettings {
            verbose,
            colour: std::io::stdout().is_terminal() && !no_color && !dumb,
            progress: std::io::stderr().is_terminal() && !dumb,
        }
    }
}

/// What the console has shown so far in this process.
#[derive(Debug, Default)]
struct Console {
    settings: ConsoleSettings,
    progress: Progress,
    /// The progress line is on the screen (to be cleared before any other line).
    shown: bool,
}

static CONSOLE: Mutex<Option<Console>> = Mutex::new(None);

fn with_console<T>(f: impl FnOnce(&mut Console) -> T) -> T {
    let mut guard = CONSOLE.lock().unwrap_or_else(|e| e.into_inner());
    f(guard.get_or_insert_with(Console::default))
}

/// Sets how the console shows the run (before it starts). Without it: plain lines, no
/// `PASS` lines, no progress, no colour.
pub fn configure(settings: ConsoleSettings) {
    with_console(|c| c.settings = settings);
}

/// The number of scenarios the run selected (the `N` of the progress line), known before
/// the first one finishes. Zero leaves the progress line without a total or estimate.
pub fn expect_scenarios(total: usize) {
    with_console(|c| c.progress.total = total);
}

/// The counts behind the progress line.
#[derive(Debug, Default, Clone)]
pub struct Progress {
    pub total: usize,
    pub passed: usize,
    pub failed: usize,
    pub not_applicable: usize,
    pub not_run: usize,
    /// When the first scenario finished or the count was set: the clock of the estimate.
    started: Option<Instant>,
}

impl Progress {
    pub fn new(total: usize) -> Self {
        Progress {
            total,
            ..Progress::default()
        }
    }

    pub fn done(&self) -> usize {
        self.passed + self.failed + self.not_applicable + self.not_run
    }

    pub fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Passed => self.passed += 1,
            Outcome::Failed(_) => self.failed += 1,
            Outcome::NotApplicable { .. } => self.not_applicable += 1,
            Outcome::NotRun { .. } => self.not_run += 1,
        }
    }

    /// The time left: the time per scenario that ran (not-applicable ones take none) times
    /// the scenarios left. `None` before any ran, or without a total.
    pub fn eta(&self, elapsed: Duration) -> Option<Duration> {
        let ran = self.passed + self.failed;
        if ran == 0 || self.total == 0 {
            return None;
        }
        let left = self.total.saturating_sub(self.done());
        Some(elapsed.mul_f64(left as f64 / ran as f64))
    }

    /// `[n/N] passed p, failed f, n/a a, ETA mm:ss`.
    pub fn line(&self, elapsed: Duration) -> String {
        let total = if self.total == 0 {
            "?".to_string()
        } else {
            self.total.to_string()
        };
        let eta = match self.eta(elapsed) {
            Some(left) => {
                let s = left.as_secs();
                format!("{:02}:{:02}", s / 60, s % 60)
            }
            None => "--:--".into(),
        };
        format!(
            "[{}/{total}] passed {}, failed {}, n/a {}, ETA {eta}",
            self.done(),
            self.passed,
            self.failed,
            self.not_applicable
        )
    }
}

/// ANSI colours, used only when the settings allow.
#[derive(Clone, Copy)]
enum Colour {
    Red,
    Green,
    Yellow,
}

fn paint(text: &str, colour: Colour, on: bool) -> String {
    if !on {
        return text.to_string();
    }
    let code = match colour {
        Colour::Red => "31",
        Colour::Green => "32",
        Colour::Yellow => "33",
    };
    format!("\x1b[1;{code}m{text}\x1b[0m")
}

/// Clears the progress line from standard error, if it is showing.
fn clear_progress(c: &mut Console) {
    if c.shown {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
        c.shown = false;
    }
}

fn draw_progress(c: &mut Console) {
    if !c.settings.progress {
        return;
    }
    let elapsed = c.progress.started.map_or(Duration::ZERO, |s| s.elapsed());
    let line = c.progress.line(elapsed);
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\r\x1b[2K{line}");
    let _ = err.flush();
    c.shown = true;
}

/// The line a scenario gets, if any: `FAIL`/`ERROR`/`NOT RUN` always, `PASS` when verbose,
/// nothing for a not-applicable one (they are counted by reason at the end).
pub fn scenario_line(done: &Finished, verbose: bool, colour: bool) -> Option<String> {
    let result = &done.result;
    let (mark, paint_as, tail) = match &result.outcome {
        Outcome::Passed if verbose => ("PASS", Colour::Green, String::new()),
        Outcome::Passed => return None,
        Outcome::Failed(f) => {
            // The harness could not test (unreachable, inexpressible, a feature file that
            // does not parse): not a verdict on the target, as in the JUnit.
            let mark = if f.kind.is_error() { "ERROR" } else { "FAIL" };
            (mark, Colour::Red, format!(" — {}: {}", f.kind, f.message))
        }
        Outcome::NotApplicable { .. } => return None,
        Outcome::NotRun { reason } => ("NOT RUN", Colour::Yellow, format!(" — {reason}")),
    };
    let uc = result.use_case.as_deref().unwrap_or("(none)");
    let at = done
        .location
        .as_deref()
        .map(|l| format!("{l} "))
        .unwrap_or_default();
    Some(format!(
        "{} {uc:<12} {at}{} ({} ms){tail}",
        paint(mark, paint_as, colour),
        result.name,
        result.duration.as_millis()
    ))
}

/// The console's [`Record`]er: a line per failed scenario as it finishes (and per passed
/// one with `--verbose`), and the progress line on a terminal. See the module's notes.
pub struct ConsoleWriter;

impl Record for ConsoleWriter {
    fn scenario(&mut self, done: &Finished) {
        with_console(|c| {
            c.progress.started.get_or_insert_with(Instant::now);
            c.progress.add(&done.result.outcome);
            if let Some(line) = scenario_line(done, c.settings.verbose, c.settings.colour) {
                clear_progress(c);
                // A closed standard output (`run | head`) stops the lines quietly: the
                // evidence is in the files.
                let _ = writeln!(std::io::stdout().lock(), "{line}");
            }
            draw_progress(c);
        });
    }

    fn finish(&mut self) {
        with_console(clear_progress);
    }
}

/// The end of a run on the console (see the module's notes). `quiet` prints only the
/// totals, the failures and where the evidence is. A closed standard output stops the
/// printing quietly.
pub fn print_summary(summary: &RunSummary, quiet: bool, junit: &Path, json: &Path) {
    let settings = with_console(|c| {
        clear_progress(c);
        c.settings
    });
    let _ = write_summary(
        &mut std::io::stdout().lock(),
        summary,
        SummaryStyle {
            quiet,
            verbose: settings.verbose,
            colour: settings.colour,
        },
        junit,
        json,
    );
}

/// How much of the summary to print.
#[derive(Debug, Clone, Copy, Default)]
pub struct SummaryStyle {
    pub quiet: bool,
    pub verbose: bool,
    pub colour: bool,
}

/// The not-applicable scenarios of a run by reason, most first (then by reason).
pub fn not_applicable_by_reason(summary: &RunSummary) -> Vec<(String, usize)> {
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    for line in summary
        .results
        .iter()
        .filter(|l| l.outcome == "not_applicable")
    {
        let reason = line
            .reason
            .clone()
            .unwrap_or_else(|| "(no reason given)".into());
        *by.entry(reason).or_default() += 1;
    }
    let mut out: Vec<(String, usize)> = by.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// Writes the end of a run (see [`print_summary`]).
pub fn write_summary(
    out: &mut impl Write,
    summary: &RunSummary,
    style: SummaryStyle,
    junit: &Path,
    json: &Path,
) -> std::io::Result<()> {
    if !style.quiet {
        let rows: Vec<_> = summary
            .by_use_case
            .iter()
            .filter(|(_, t)| style.verbose || t.failed > 0 || t.not_run > 0)
            .collect();
        if !rows.is_empty() {
            writeln!(
                out,
                "\n{:<28} {:>6} {:>6} {:>6} {:>7}",
                "use case", "passed", "failed", "n/a", "not run"
            )?;
            for (uc, t) in rows {
                writeln!(
                    out,
                    "{uc:<28} {:>6} {:>6} {:>6} {:>7}",
                    t.passed, t.failed, t.not_applicable, t.not_run
                )?;
            }
        }
        if !summary.by_device.is_empty() {
            writeln!(
                out,
                "\n{:<28} {:>6} {:>6} {:>6} {:>7}",
                "device", "passed", "failed", "n/a", "not run"
            )?;
            for (device, t) in &summary.by_device {
                writeln!(
                    out,
                    "{device:<28} {:>6} {:>6} {:>6} {:>7}",
                    t.passed, t.failed, t.not_applicable, t.not_run
                )?;
            }
        }
        let reasons = not_applicable_by_reason(summary);
        if !reasons.is_empty() {
            writeln!(out, "\nnot applicable, by reason:")?;
            for (reason, n) in reasons {
                writeln!(out, "  {n:>5}  {reason}")?;
            }
        }
    }
    let totals = format!(
        "{} scenarios: {} passed, {} failed, {} not applicable, {} not run ({} feature file errors) in {:.1} s",
        summary.scenarios,
        summary.total.passed,
        summary.total.failed,
        summary.total.not_applicable,
        summary.total.not_run,
        summary.feature_errors,
        summary.duration_s
    );
    let colour = if summary.success() {
        Colour::Green
    } else {
        Colour::Red
    };
    writeln!(out, "\n{}", paint(&totals, colour, style.colour))?;
    for f in &summary.failures {
        writeln!(out, "  {} {f}", paint("FAILED", Colour::Red, style.colour))?;
    }
    writeln!(
        out,
        "JUnit: {}  summary: {}",
        junit.display(),
        json.display()
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Failure, FailureKind, ScenarioResult};
    use crate::runner::summary::{ScenarioLine, Tally};

    fn finished(outcome: Outcome) -> Finished {
        Finished {
            result: ScenarioResult {
                feature: "f.feature".into(),
                line: Some(1),
                name: "a scenario".into(),
                use_case: Some("ECS17b".into()),
                service_request: None,
                device: None,
                tags: Vec::new(),
                duration: Duration::from_millis(12),
                outcome,
                traffic: Vec::new(),
            },
            location: Some("f.feature:3".into()),
        }
    }

    #[test]
    fn pass_lines_only_when_verbose_and_failures_always() {
        let pass = finished(Outcome::Passed);
        assert_eq!(scenario_line(&pass, false, false), None);
        assert_eq!(
            scenario_line(&pass, true, false).unwrap(),
            "PASS ECS17b       f.feature:3 a scenario (12 ms)"
        );
        let fail = finished(Outcome::Failed(Failure {
            kind: FailureKind::Mac,
            step: String::new(),
            message: "the MAC does not verify".into(),
            details: String::new(),
        }));
        let line = scenario_line(&fail, false, false).unwrap();
        assert!(line.starts_with("FAIL ECS17b"), "{line}");
        assert!(line.ends_with("— mac: the MAC does not verify"), "{line}");
        let coloured = scenario_line(&fail, false, true).unwrap();
        assert!(coloured.starts_with("\x1b[1;31mFAIL\x1b[0m"), "{coloured}");
        let unreachable = finished(Outcome::Failed(Failure {
            kind: FailureKind::Unreachable,
            step: String::new(),
            message: "connection refused".into(),
            details: String::new(),
        }));
        let line = scenario_line(&unreachable, false, false).unwrap();
        assert!(line.starts_with("ERROR ECS17b"), "{line}");
        let na = finished(Outcome::NotApplicable {
            reason: "the target has no gsme".into(),
        });
        assert_eq!(scenario_line(&na, true, false), None);
    }

    #[test]
    fn the_progress_line_counts_and_estimates() {
        let mut p = Progress::new(10);
        assert_eq!(
            p.line(Duration::ZERO),
            "[0/10] passed 0, failed 0, n/a 0, ETA --:--"
        );
        p.add(&Outcome::Passed);
        p.add(&Outcome::NotApplicable { reason: "x".into() });
        p.add(&Outcome::Failed(Failure {
            kind: FailureKind::Timeout,
            step: String::new(),
            message: String::new(),
            details: String::new(),
        }));
        // Two ran in 40 s: 20 s each, 7 left.
        assert_eq!(
            p.line(Duration::from_secs(40)),
            "[3/10] passed 1, failed 1, n/a 1, ETA 02:20"
        );
        assert_eq!(
            Progress::new(0).line(Duration::ZERO),
            "[0/?] passed 0, failed 0, n/a 0, ETA --:--"
        );
    }

    fn summary() -> RunSummary {
        let mut s = RunSummary {
            scenarios: 5,
            ..RunSummary::default()
        };
        s.total = Tally {
            passed: 2,
            failed: 1,
            not_applicable: 2,
            not_run: 0,
        };
        s.by_use_case.insert(
            "ECS17b".into(),
            Tally {
                passed: 1,
                failed: 1,
                ..Tally::default()
            },
        );
        s.by_use_case.insert(
            "GCS01a".into(),
            Tally {
                passed: 1,
                not_applicable: 2,
                ..Tally::default()
            },
        );
        for reason in ["the target has no gsme", "the target has no gsme"] {
            s.results.push(ScenarioLine {
                location: "g.feature".into(),
                name: "n".into(),
                outcome: "not_applicable",
                failure: None,
                reason: Some(reason.into()),
                feature: "g.feature".into(),
            });
        }
        s.failures.push("f.feature:3 a scenario — mac: bad".into());
        s
    }

    fn written(style: SummaryStyle) -> String {
        let mut out = Vec::new();
        write_summary(
            &mut out,
            &summary(),
            style,
            Path::new("j.xml"),
            Path::new("s.json"),
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_summary_shows_failing_use_cases_and_not_applicable_reasons() {
        let text = written(SummaryStyle::default());
        assert!(text.contains("\nECS17b "), "{text}");
        assert!(!text.contains("GCS01a"), "{text}");
        assert!(
            text.contains("not applicable, by reason:\n      2  the target has no gsme\n"),
            "{text}"
        );
        assert!(text.contains("5 scenarios: 2 passed, 1 failed"), "{text}");
        assert!(!text.contains('\x1b'), "{text}");

        let verbose = written(SummaryStyle {
            verbose: true,
            ..SummaryStyle::default()
        });
        assert!(verbose.contains("\nGCS01a "), "{verbose}");

        let quiet = written(SummaryStyle {
            quiet: true,
            ..SummaryStyle::default()
        });
        assert!(!quiet.contains("use case"), "{quiet}");
        assert!(!quiet.contains("by reason"), "{quiet}");
        assert!(quiet.contains("  FAILED f.feature:3"), "{quiet}");
    }
}
