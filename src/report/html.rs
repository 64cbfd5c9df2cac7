//! The HTML report: one self-contained page (inline CSS and a few lines of inline script, no
//! network, no external assets) for a certification engineer. The verdict and the run's
//! identity at the top, then a use case × variant matrix, every failure with its step,
//! message, diff and frames, SMETS1 minimum-service coverage, the not-applicable scenarios by
//! reason, and every scenario's line traffic one click away (`<details>`, no script needed).
//!
//! Pure rendering: an [`HtmlReport`] in, one HTML string out. Scenario names, failure
//! messages, diffs and frame summaries come from the target under test, so every text is
//! escaped, and what is kept of it is bounded ([`clip`]).

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Outcome, ScenarioResult, TrafficLine};

/// Frames kept per scenario; the rest are counted, and the bundle's traffic files hold them.
pub const MAX_FRAMES_SHOWN: usize = 200;
/// Hex characters kept per frame (2 per byte).
pub const MAX_HEX_CHARS: usize = 4096;
/// Characters kept of a failure's details (the diff and frames).
pub const MAX_DETAILS_CHARS: usize = 64 * 1024;
/// Characters kept of a one-line text (names, messages, summaries, reasons).
pub const MAX_LINE_CHARS: usize = 2048;
/// Failures listed under the verdict (all of them are in the failures section).
const FAILURES_IN_HEADER: usize = 10;
/// Characters of a scenario name shown in a matrix cell (the full name is its tooltip).
const CELL_LABEL_CHARS: usize = 48;

/// Everything the page shows.
#[derive(Debug, Clone, Default)]
pub struct HtmlReport {
    pub meta: RunMeta,
    /// Every scenario reported so far, in any order (the page sorts them by location).
    pub scenarios: Vec<ScenarioEntry>,
    /// The SMETS1 minimum services, in catalogue order.
    pub minimum_services: Vec<ServiceCoverage>,
    /// What failed the run beyond its scenarios (its deadline passed, a signal stopped it).
    pub run_problems: Vec<String>,
    /// The run is over; until then the page says it is in progress.
    pub complete: bool,
}

/// Which run this is.
#[derive(Debug, Clone, Default)]
pub struct RunMeta {
    pub target: String,
    pub profile: String,
    pub harness_version: String,
    /// `None`: the harness was not built from a checkout it can still see.
    pub commit: Option<String>,
    /// Whether the checkout had uncommitted changes; `None` when unknown.
    pub dirty: Option<bool>,
    /// RFC 3339, UTC.
    pub started: String,
    pub finished: Option<String>,
    pub command_line: String,
}

/// One scenario's result, where it is, and how many of its frames [`clip`] left out.
#[derive(Debug, Clone)]
pub struct ScenarioEntry {
    pub result: ScenarioResult,
    /// `file:line`, or the feature file.
    pub location: String,
    pub frames_omitted: usize,
}

impl ScenarioEntry {
    /// The entry with its texts and traffic bounded (see [`clip`]).
    pub fn new(mut result: ScenarioResult, location: String) -> Self {
        let frames_omitted = clip(&mut result);
        ScenarioEntry {
            result,
            location: clip_line(location),
            frames_omitted,
        }
    }
}

/// One SMETS1 minimum service and the scenarios that exercise it.
#[derive(Debug, Clone)]
pub struct ServiceCoverage {
    /// Service request number, e.g. `6.6`.
    pub service: String,
    pub title: String,
    /// Why no golden vector exercises it, when none does.
    pub not_covered: Option<String>,
    /// Indexes into [`HtmlReport::scenarios`].
    pub scenarios: Vec<usize>,
}

/// Bounds what a result keeps: at most [`MAX_FRAMES_SHOWN`] frames of at most
/// [`MAX_HEX_CHARS`] hex each, [`MAX_DETAILS_CHARS`] of failure details and
/// [`MAX_LINE_CHARS`] of each one-line text. Returns the number of frames left out.
pub fn clip(result: &mut ScenarioResult) -> usize {
    let omitted = result.traffic.len().saturating_sub(MAX_FRAMES_SHOWN);
    result.traffic.truncate(MAX_FRAMES_SHOWN);
    for line in &mut result.traffic {
        if line.hex.len() > MAX_HEX_CHARS {
            let more = line.hex.len() - MAX_HEX_CHARS;
            line.hex = format!(
                "{}… ({more} hex digits more)",
                truncate_chars(&line.hex, MAX_HEX_CHARS)
            );
        }
        line.summary = clip_line(std::mem::take(&mut line.summary));
    }
    result.name = clip_line(std::mem::take(&mut result.name));
    match &mut result.outcome {
        Outcome::Failed(f) => {
            f.step = clip_line(std::mem::take(&mut f.step));
            f.message = clip_line(std::mem::take(&mut f.message));
            if f.details.chars().count() > MAX_DETAILS_CHARS {
                f.details = format!(
                    "{}\n… (details cut at {MAX_DETAILS_CHARS} characters)",
                    truncate_chars(&f.details, MAX_DETAILS_CHARS)
                );
            }
        }
        Outcome::NotApplicable { reason } | Outcome::NotRun { reason } => {
            *reason = clip_line(std::mem::take(reason));
        }
        Outcome::Passed => {}
    }
    omitted
}

fn clip_line(s: String) -> String {
    if s.chars().count() <= MAX_LINE_CHARS {
        s
    } else {
        format!("{}…", truncate_chars(&s, MAX_LINE_CHARS))
    }
}

fn truncate_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Text made safe for HTML element content and attribute values: markup characters as
/// entities, and control characters (which HTML forbids) as U+FFFD, tab and line breaks kept.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            '\r' => {}
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The run's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
    /// Nothing has failed yet, but the run is not over.
    InProgress,
}

impl Verdict {
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Fail => "FAIL",
            Verdict::InProgress => "IN PROGRESS",
        }
    }

    fn class(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::InProgress => "running",
        }
    }
}

/// Outcome counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub passed: usize,
    pub failed: usize,
    pub not_applicable: usize,
    pub not_run: usize,
}

impl Counts {
    fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Passed => self.passed += 1,
            Outcome::Failed(_) => self.failed += 1,
            Outcome::NotApplicable { .. } => self.not_applicable += 1,
            Outcome::NotRun { .. } => self.not_run += 1,
        }
    }

    fn of<'a>(entries: impl IntoIterator<Item = &'a ScenarioEntry>) -> Counts {
        let mut c = Counts::default();
        for e in entries {
            c.add(&e.result.outcome);
        }
        c
    }

    pub fn total(&self) -> usize {
        self.passed + self.failed + self.not_applicable + self.not_run
    }
}

impl HtmlReport {
    pub fn counts(&self) -> Counts {
        Counts::of(&self.scenarios)
    }

    /// FAIL when a scenario failed or was not run, or the run itself failed; PASS when the
    /// run is over without any of those; in progress otherwise.
    pub fn verdict(&self) -> Verdict {
        let c = self.counts();
        if c.failed > 0 || c.not_run > 0 || !self.run_problems.is_empty() {
            Verdict::Fail
        } else if self.complete {
            Verdict::Pass
        } else {
            Verdict::InProgress
        }
    }
}

/// The status of one scenario, as the page shows it.
fn status(outcome: &Outcome) -> (&'static str, &'static str, &'static str) {
    // (CSS class, mark, word)
    match outcome {
        Outcome::Passed => ("pass", "✓", "passed"),
        Outcome::Failed(_) => ("fail", "✗", "failed"),
        Outcome::NotApplicable { .. } => ("na", "–", "not applicable"),
        Outcome::NotRun { .. } => ("notrun", "○", "not run"),
    }
}

/// `file:line` → (file, line) for sorting; a bare file sorts before its scenarios.
fn location_key(location: &str) -> (&str, usize) {
    match location.rsplit_once(':') {
        Some((file, line)) => match line.parse() {
            Ok(n) => (file, n),
            Err(_) => (location, 0),
        },
        None => (location, 0),
    }
}

/// Orders names with their numbers as numbers (`ECS2` before `ECS10`).
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (na, nb) = (&a[..da], &b[..db]);
                let trim = |n: &[u8]| -> usize { n.iter().take_while(|c| **c == b'0').count() };
                let (na, nb) = (&na[trim(na)..], &nb[trim(nb)..]);
                let ord = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if ord != Ordering::Equal {
                    return ord;
                }
                a = &a[da..];
                b = &b[db..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

const STYLE: &str = r#"
:root{--pass:#1a7f37;--fail:#cf222e;--na:#6e7781;--notrun:#9a6700;--bg:#fff;--fg:#1f2328;--mute:#59636e;--line:#d1d9e0}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1200px;margin:0 auto;padding:0 16px 48px}
header.verdict{padding:16px;border-bottom:4px solid var(--line)}
header.verdict.pass{background:#dafbe1;border-color:var(--pass)}
header.verdict.fail{background:#ffebe9;border-color:var(--fail)}
header.verdict.running{background:#fff8c5;border-color:var(--notrun)}
#verdict-word{font-size:40px;font-weight:700;letter-spacing:.04em;margin:0 .4em 0 0}
header.pass #verdict-word{color:var(--pass)}header.fail #verdict-word{color:var(--fail)}header.running #verdict-word{color:var(--notrun)}
.headline{display:flex;flex-wrap:wrap;align-items:baseline;max-width:1200px;margin:0 auto}
.counts span{margin-right:1em;font-size:16px}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;max-width:1200px;margin:8px auto 0}
dl.meta dt{color:var(--mute)}dl.meta dd{margin:0;overflow-wrap:anywhere}
.failed-list{max-width:1200px;margin:8px auto 0}.failed-list ul{margin:4px 0;padding-left:20px}.failed-list a{color:var(--fail);font-weight:600}
nav{max-width:1200px;margin:8px auto;padding:0 16px}nav a{margin-right:1em}
h2{border-bottom:1px solid var(--line);padding-bottom:4px;margin-top:32px}
h3{margin:20px 0 6px;font-size:15px;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.cells{display:flex;flex-wrap:wrap;gap:3px}
.cell{display:inline-block;padding:1px 6px;border-radius:4px;font-size:12px;text-decoration:none;color:#fff;max-width:100%;overflow-wrap:anywhere}
.cell.pass{background:var(--pass)}.cell.fail{background:var(--fail)}.cell.na{background:var(--na)}.cell.notrun{background:var(--notrun)}
.mark.pass{color:var(--pass)}.mark.fail{color:var(--fail)}.mark.na{color:var(--na)}.mark.notrun{color:var(--notrun)}
tr.fail td:first-child{border-left:4px solid var(--fail)}
.failure{border:1px solid var(--fail);border-radius:6px;padding:8px 12px;margin:12px 0}
.failure h3{margin-top:0}
pre{background:#f6f8fa;border:1px solid var(--line);padding:8px;overflow:auto;max-height:480px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px}
code,pre,.hex{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace}
.hex{font-size:11px;overflow-wrap:anywhere;word-break:break-all;color:#444}
table.traffic td{font-size:12px}
details{margin:2px 0}
details>summary{cursor:pointer}
details.scenario{border-left:3px solid var(--line);padding-left:8px}
details.scenario.fail{border-color:var(--fail)}details.scenario.pass{border-color:var(--pass)}details.scenario.notrun{border-color:var(--notrun)}
.mute{color:var(--mute)}
.problem{color:var(--fail);font-weight:600}
footer{color:var(--mute);margin-top:40px;font-size:12px}
@media print{nav{display:none}pre{max-height:none}}
"#;

/// Opens the `<details>` a link points at, so a matrix cell shows its scenario expanded.
/// The page works without it.
const SCRIPT: &str = "function o(){var h=location.hash.slice(1);if(!h)return;var e=document.getElementById(h);for(;e;e=e.parentElement){if(e.tagName==='DETAILS')e.open=true}}addEventListener('hashchange',o);o();";

/// The page.
pub fn render(report: &HtmlReport) -> String {
    let mut out = String::with_capacity(64 * 1024 + report.scenarios.len() * 2048);
    // Sorted by location once; anchors are the indexes into `report.scenarios`, so ids never
    // carry text from the target.
    let mut order: Vec<usize> = (0..report.scenarios.len()).collect();
    order.sort_by(|&a, &b| {
        let (ea, eb) = (&report.scenarios[a], &report.scenarios[b]);
        let (fa, la) = location_key(&ea.location);
        let (fb, lb) = location_key(&eb.location);
        ea.result
            .feature
            .cmp(&eb.result.feature)
            .then_with(|| fa.cmp(fb))
            .then_with(|| la.cmp(&lb))
            .then_with(|| ea.result.name.cmp(&eb.result.name))
    });
    let verdict = report.verdict();
    let counts = report.counts();
    head(&mut out, report, verdict);
    header(&mut out, report, verdict, counts, &order);
    out.push_str("<nav><a href=\"#matrix\">Use cases</a><a href=\"#failures\">Failures</a><a href=\"#smets1\">SMETS1 minimum services</a><a href=\"#not-applicable\">Not applicable</a><a href=\"#scenarios\">All scenarios</a></nav>\n<main>\n");
    problems(&mut out, report);
    matrix(&mut out, report, &order);
    failures(&mut out, report, &order);
    smets1(&mut out, report);
    not_applicable(&mut out, report, &order);
    not_run(&mut out, report, &order);
    all_scenarios(&mut out, report, &order);
    let _ = writeln!(
        out,
        "<footer>Written by gbcs-harness {} ({}). This page is self-contained: it loads nothing from the network.</footer>\n</main>\n<script>{SCRIPT}</script>\n</body>\n</html>",
        escape(&report.meta.harness_version),
        match &report.meta.finished {
            Some(at) => format!("run finished {}", escape(at)),
            None => "run in progress; rewritten as it goes".into(),
        }
    );
    out
}

fn head(out: &mut String, report: &HtmlReport, verdict: Verdict) {
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{} — gbcs-harness against {}</title>\n<style>{STYLE}</style>\n</head>\n<body>",
        verdict.word(),
        escape(&report.meta.target)
    );
}

fn header(out: &mut String, report: &HtmlReport, verdict: Verdict, c: Counts, order: &[usize]) {
    let m = &report.meta;
    let _ = write!(
        out,
        "<header id=\"verdict\" class=\"verdict {cls}\" data-verdict=\"{word}\">\n<div class=\"headline\"><h1 id=\"verdict-word\">{word}</h1><div class=\"counts\"><span id=\"count-passed\">{} passed</span><span id=\"count-failed\">{} failed</span><span id=\"count-na\">{} not applicable</span><span id=\"count-notrun\">{} not run</span><span class=\"mute\">{} scenarios</span></div></div>\n<dl class=\"meta\">",
        c.passed,
        c.failed,
        c.not_applicable,
        c.not_run,
        c.total(),
        cls = verdict.class(),
        word = verdict.word(),
    );
    let commit = match (&m.commit, m.dirty) {
        (Some(c), Some(true)) => format!("{} (with uncommitted changes)", escape(c)),
        (Some(c), _) => escape(c),
        (None, _) => "unknown".into(),
    };
    let rows: [(&str, String); 7] = [
        ("Target", format!("<code>{}</code>", escape(&m.target))),
        ("Profile", escape(&m.profile)),
        (
            "Harness",
            format!("gbcs-harness {}, commit {commit}", escape(&m.harness_version)),
        ),
        ("Started", escape(&m.started)),
        (
            "Finished",
            m.finished
                .as_deref()
                .map_or_else(|| "in progress".into(), escape),
        ),
        ("Command", format!("<code>{}</code>", escape(&m.command_line))),
        (
            "Verdict rule",
            "PASS when no scenario failed and every selected scenario ran; not applicable scenarios are not evidence of conformance".into(),
        ),
    ];
    for (k, v) in rows {
        let _ = write!(out, "<dt>{k}</dt><dd>{v}</dd>");
    }
    out.push_str("</dl>\n");
    // The failures named at the top: on a large run the matrix pushes them far down.
    let failed: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| matches!(report.scenarios[i].result.outcome, Outcome::Failed(_)))
        .collect();
    if !failed.is_empty() {
        out.push_str("<div class=\"failed-list\"><strong>Failed:</strong><ul>");
        for &i in failed.iter().take(FAILURES_IN_HEADER) {
            let e = &report.scenarios[i];
            if let Outcome::Failed(f) = &e.result.outcome {
                let _ = write!(
                    out,
                    "<li><a href=\"#f-{i}\">✗ {}</a> <code>{}</code> — {}: {}</li>",
                    escape(&e.result.name),
                    escape(&e.location),
                    f.kind,
                    escape(&f.message)
                );
            }
        }
        if failed.len() > FAILURES_IN_HEADER {
            let _ = write!(
                out,
                "<li><a href=\"#failures\">… and {} more</a></li>",
                failed.len() - FAILURES_IN_HEADER
            );
        }
        out.push_str("</ul></div>\n");
    }
    out.push_str("</header>\n");
}

fn problems(out: &mut String, report: &HtmlReport) {
    if report.run_problems.is_empty() {
        return;
    }
    out.push_str("<section id=\"problems\"><h2>The run</h2><ul>");
    for p in &report.run_problems {
        let _ = write!(out, "<li class=\"problem\">{}</li>", escape(p));
    }
    out.push_str("</ul></section>\n");
}

/// The label of a scenario in its use case's row: its name without the use case in front.
/// A SMETS1 minimum-service scenario (`<service> <title>: <use case> <case> (<variant>)`)
/// shows as `SR<service>: <case> (<variant>)`.
fn cell_label(entry: &ScenarioEntry) -> String {
    let r = &entry.result;
    let mut name = r.name.as_str();
    let mut service = None;
    if r.tags.iter().any(|t| t.trim_start_matches('@') == "smets1") {
        if let (Some(sr), Some((_, rest))) = (&r.service_request, name.split_once(": ")) {
            service = Some(sr.as_str());
            name = rest;
        }
    }
    let short = r
        .use_case
        .as_deref()
        .and_then(|uc| name.strip_prefix(uc))
        .map(str::trim_start)
        .filter(|s| !s.is_empty())
        .unwrap_or(name);
    let short = match service {
        Some(sr) => format!("SR{sr}: {short}"),
        None => short.to_string(),
    };
    if short.chars().count() > CELL_LABEL_CHARS {
        format!("{}…", truncate_chars(&short, CELL_LABEL_CHARS))
    } else {
        short
    }
}

/// A cell's tooltip: the status, the full name, and why it failed or does not apply.
fn cell_title(entry: &ScenarioEntry) -> String {
    let (_, _, word) = status(&entry.result.outcome);
    let why = match &entry.result.outcome {
        Outcome::Failed(f) => format!(": {}: {}", f.kind, f.message),
        Outcome::NotApplicable { reason } | Outcome::NotRun { reason } => format!(": {reason}"),
        Outcome::Passed => String::new(),
    };
    format!("{} — {word}{why}", entry.result.name)
}

fn matrix(out: &mut String, report: &HtmlReport, order: &[usize]) {
    // Rows: the use case, else the feature file for scenarios tagged with none.
    let mut rows: BTreeMap<(bool, String), Vec<usize>> = BTreeMap::new();
    for &i in order {
        let r = &report.scenarios[i].result;
        let key = match &r.use_case {
            Some(uc) => (false, uc.clone()),
            None => (true, r.feature.clone()),
        };
        rows.entry(key).or_default().push(i);
    }
    let mut rows: Vec<_> = rows.into_iter().collect();
    rows.sort_by(|((na, a), _), ((nb, b), _)| na.cmp(nb).then_with(|| natural_cmp(a, b)));
    let _ = writeln!(
        out,
        "<section id=\"matrix\"><h2>Use cases × variants</h2>\n<p class=\"mute\">One row per use case, one cell per scenario: <span class=\"cell pass\">✓ passed</span> <span class=\"cell fail\">✗ failed</span> <span class=\"cell na\">– not applicable</span> <span class=\"cell notrun\">○ not run</span>. A cell links to its scenario; hover for the reason.</p>\n<table class=\"matrix\"><thead><tr><th>Use case</th><th>Passed</th><th>Failed</th><th>N/A</th><th>Not run</th><th>Variants</th></tr></thead><tbody>"
    );
    for ((no_use_case, key), members) in rows {
        let c = Counts::of(members.iter().map(|&i| &report.scenarios[i]));
        let row_class = if c.failed > 0 {
            "fail"
        } else if c.not_run > 0 {
            "notrun"
        } else if c.passed > 0 {
            "pass"
        } else {
            "na"
        };
        let label = if no_use_case {
            format!("<span class=\"mute\">(no use case)</span> {}", escape(&key))
        } else {
            escape(&key)
        };
        let _ = write!(
            out,
            "<tr class=\"uc {row_class}\" data-use-case=\"{}\"><td>{label}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td><div class=\"cells\">",
            escape(&key),
            c.passed,
            c.failed,
            c.not_applicable,
            c.not_run
        );
        for i in members {
            let e = &report.scenarios[i];
            let (cls, mark, _) = status(&e.result.outcome);
            let _ = write!(
                out,
                "<a class=\"cell {cls}\" href=\"#s-{i}\" title=\"{}\">{mark} {}</a>",
                escape(&cell_title(e)),
                escape(&cell_label(e))
            );
        }
        out.push_str("</div></td></tr>\n");
    }
    out.push_str("</tbody></table></section>\n");
}

fn smets1(out: &mut String, report: &HtmlReport) {
    let services = &report.minimum_services;
    let covered = services.iter().filter(|s| s.not_covered.is_none()).count();
    let _ = writeln!(
        out,
        "<section id=\"smets1\"><h2>SMETS1 minimum services</h2>\n<p>{covered} of {} minimum services are exercised by golden vectors; the others cannot be tested by this harness, for the reason given.</p>\n<table><thead><tr><th>Service</th><th>Title</th><th>In this run</th></tr></thead><tbody>",
        services.len()
    );
    for s in services {
        let cell = match &s.not_covered {
            Some(reason) => format!(
                "<span class=\"mark na\">not covered</span>: {}",
                escape(reason)
            ),
            None if s.scenarios.is_empty() => {
                "<span class=\"mute\">not selected in this run</span>".into()
            }
            None => {
                let c = Counts::of(s.scenarios.iter().filter_map(|&i| report.scenarios.get(i)));
                let mut parts = Vec::new();
                for (n, cls, word) in [
                    (c.passed, "pass", "passed"),
                    (c.failed, "fail", "failed"),
                    (c.not_applicable, "na", "not applicable"),
                    (c.not_run, "notrun", "not run"),
                ] {
                    if n > 0 {
                        parts.push(format!("<span class=\"mark {cls}\">{n} {word}</span>"));
                    }
                }
                parts.join(", ")
            }
        };
        let row = if s
            .scenarios
            .iter()
            .filter_map(|&i| report.scenarios.get(i))
            .any(|e| matches!(e.result.outcome, Outcome::Failed(_)))
        {
            " class=\"fail\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<tr{row}><td>{}</td><td>{}</td><td>{cell}</td></tr>",
            escape(&s.service),
            escape(&s.title)
        );
    }
    out.push_str("</tbody></table></section>\n");
}

fn traffic_table(out: &mut String, traffic: &[TrafficLine], omitted: usize) {
    if traffic.is_empty() {
        out.push_str("<p class=\"mute\">No frames sent or received.</p>");
        return;
    }
    out.push_str("<table class=\"traffic\"><thead><tr><th>+ms</th><th>Dir</th><th>Transport</th><th>Frame</th></tr></thead><tbody>");
    for t in traffic {
        let _ = write!(
            out,
            "<tr><td class=\"n\" title=\"{}\">{}</td><td>{} {}</td><td>{}</td><td>{}<div class=\"hex\">{}</div></td></tr>",
            escape(&t.at),
            t.offset_ms,
            escape(t.direction.arrow()),
            t.direction.name(),
            escape(&t.transport),
            escape(&t.summary),
            escape(&t.hex)
        );
    }
    out.push_str("</tbody></table>");
    if omitted > 0 {
        let _ = write!(
            out,
            "<p class=\"mute\">… and {omitted} more frames, not shown here (the evidence bundle's traffic file has every frame).</p>"
        );
    }
}

fn failures(out: &mut String, report: &HtmlReport, order: &[usize]) {
    let failed: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| matches!(report.scenarios[i].result.outcome, Outcome::Failed(_)))
        .collect();
    let _ = writeln!(
        out,
        "<section id=\"failures\"><h2>Failures ({})</h2>",
        failed.len()
    );
    if failed.is_empty() {
        out.push_str("<p>No scenario failed.</p>");
    }
    for i in failed {
        let e = &report.scenarios[i];
        let Outcome::Failed(f) = &e.result.outcome else {
            continue;
        };
        let _ = writeln!(
            out,
            "<div class=\"failure\" id=\"f-{i}\"><h3>✗ {}</h3>\n<dl class=\"meta\"><dt>Where</dt><dd><code>{}</code> (<a href=\"#s-{i}\">scenario</a>)</dd><dt>Use case</dt><dd>{}</dd><dt>Kind</dt><dd>{}</dd><dt>Step</dt><dd>{}</dd><dt>Message</dt><dd>{}</dd></dl>",
            escape(&e.result.name),
            escape(&e.location),
            escape(e.result.use_case.as_deref().unwrap_or("(none)")),
            f.kind,
            escape(if f.step.is_empty() { "(none)" } else { &f.step }),
            escape(&f.message)
        );
        if !f.details.is_empty() {
            let _ = writeln!(out, "<pre class=\"diff\">{}</pre>", escape(&f.details));
        }
        let _ = write!(
            out,
            "<details open><summary>Frames ({})</summary>",
            e.result.traffic.len() + e.frames_omitted
        );
        traffic_table(out, &e.result.traffic, e.frames_omitted);
        out.push_str("</details></div>\n");
    }
    out.push_str("</section>\n");
}

/// The reasons of `kind` (not applicable or not run), each with its scenarios.
fn by_reason<'a>(
    report: &'a HtmlReport,
    order: &[usize],
    pick: impl Fn(&'a Outcome) -> Option<&'a str>,
) -> Vec<(&'a str, Vec<usize>)> {
    let mut by: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &i in order {
        if let Some(reason) = pick(&report.scenarios[i].result.outcome) {
            by.entry(reason).or_default().push(i);
        }
    }
    let mut v: Vec<_> = by.into_iter().collect();
    v.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(b.0)));
    v
}

fn reason_list(out: &mut String, report: &HtmlReport, groups: Vec<(&str, Vec<usize>)>) {
    out.push_str("<ul class=\"reasons\">");
    for (reason, members) in groups {
        let _ = write!(
            out,
            "<li><details><summary><strong>{}</strong>: {} scenarios</summary><ul>",
            escape(reason),
            members.len()
        );
        for i in members {
            let e = &report.scenarios[i];
            let _ = write!(
                out,
                "<li><a href=\"#s-{i}\">{}</a> <span class=\"mute\">{}</span></li>",
                escape(&e.result.name),
                escape(&e.location)
            );
        }
        out.push_str("</ul></details></li>");
    }
    out.push_str("</ul>");
}

fn not_applicable(out: &mut String, report: &HtmlReport, order: &[usize]) {
    let groups = by_reason(report, order, |o| match o {
        Outcome::NotApplicable { reason } => Some(reason.as_str()),
        _ => None,
    });
    let n: usize = groups.iter().map(|g| g.1.len()).sum();
    let _ = write!(
        out,
        "<section id=\"not-applicable\"><h2>Not applicable ({n}), by reason</h2>\n<p class=\"mute\">Scenarios this device or profile cannot run, each with its justification. They count neither as passed nor as failed.</p>"
    );
    if n == 0 {
        out.push_str("<p>None.</p>");
    } else {
        reason_list(out, report, groups);
    }
    out.push_str("</section>\n");
}

fn not_run(out: &mut String, report: &HtmlReport, order: &[usize]) {
    let groups = by_reason(report, order, |o| match o {
        Outcome::NotRun { reason } => Some(reason.as_str()),
        _ => None,
    });
    if groups.is_empty() {
        return;
    }
    let n: usize = groups.iter().map(|g| g.1.len()).sum();
    let _ = write!(
        out,
        "<section id=\"not-run\"><h2>Not run ({n})</h2>\n<p class=\"problem\">Selected but never run: the run is incomplete.</p>"
    );
    reason_list(out, report, groups);
    out.push_str("</section>\n");
}

fn all_scenarios(out: &mut String, report: &HtmlReport, order: &[usize]) {
    out.push_str("<section id=\"scenarios\"><h2>All scenarios</h2>\n<p class=\"mute\">Grouped by feature file. Open a scenario for its outcome and its line traffic.</p>\n");
    let mut feature: Option<&str> = None;
    for &i in order {
        let e = &report.scenarios[i];
        if feature != Some(e.result.feature.as_str()) {
            feature = Some(e.result.feature.as_str());
            let _ = writeln!(out, "<h3>{}</h3>", escape(&e.result.feature));
        }
        let (cls, mark, word) = status(&e.result.outcome);
        let _ = writeln!(
            out,
            "<details class=\"scenario {cls}\" id=\"s-{i}\"><summary><span class=\"mark {cls}\">{mark} {word}</span> {} <span class=\"mute\">{} · {:.2} s · {} frames</span></summary>",
            escape(&e.result.name),
            escape(&e.location),
            e.result.duration.as_secs_f64(),
            e.result.traffic.len() + e.frames_omitted
        );
        match &e.result.outcome {
            Outcome::Failed(f) => {
                let _ = write!(
                    out,
                    "<p><strong>{}</strong> at <em>{}</em>: {} (<a href=\"#f-{i}\">failure</a>)</p>",
                    f.kind,
                    escape(&f.step),
                    escape(&f.message)
                );
            }
            Outcome::NotApplicable { reason } => {
                let _ = write!(out, "<p>Not applicable: {}</p>", escape(reason));
            }
            Outcome::NotRun { reason } => {
                let _ = write!(out, "<p>Not run: {}</p>", escape(reason));
            }
            Outcome::Passed => {}
        }
        if !e.result.tags.is_empty() {
            let tags: Vec<String> = e
                .result
                .tags
                .iter()
                .map(|t| escape(&format!("@{}", t.trim_start_matches('@'))))
                .collect();
            let _ = write!(out, "<p class=\"mute\">{}</p>", tags.join(" "));
        }
        traffic_table(out, &e.result.traffic, e.frames_omitted);
        out.push_str("</details>\n");
    }
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Direction, Failure, FailureKind};
    use std::time::Duration;

    fn result(name: &str, use_case: &str, outcome: Outcome) -> ScenarioResult {
        ScenarioResult {
            feature: "features/x.feature".into(),
            line: Some(1),
            name: name.into(),
            use_case: Some(use_case.into()),
            service_request: None,
            device: None,
            tags: vec!["@esme".into()],
            duration: Duration::from_millis(5),
            outcome,
            traffic: Vec::new(),
        }
    }

    fn frame(hex: &str) -> TrafficLine {
        TrafficLine {
            at: "2026-12-02T18:43:51.123Z".into(),
            offset_ms: 0,
            direction: Direction::Sent,
            transport: "sim".into(),
            hex: hex.into(),
            summary: "ECS17b counter 1".into(),
        }
    }

    fn report(scenarios: Vec<ScenarioEntry>) -> HtmlReport {
        HtmlReport {
            meta: RunMeta {
                target: "sim://".into(),
                ..RunMeta::default()
            },
            scenarios,
            complete: true,
            ..HtmlReport::default()
        }
    }

    #[test]
    fn markup_from_the_target_is_escaped_everywhere() {
        let evil = "<script>alert(1)</script>\"'&\u{0}";
        let mut r = result(
            evil,
            "ECS17b",
            Outcome::Failed(Failure {
                kind: FailureKind::VectorMismatch,
                step: evil.into(),
                message: evil.into(),
                details: format!("- expected\n+ {evil}"),
            }),
        );
        let mut f = frame(evil);
        f.summary = evil.into();
        r.traffic.push(f);
        let html = render(&report(vec![ScenarioEntry::new(r, evil.into())]));
        assert!(!html.contains("<script>alert"), "unescaped markup");
        assert!(!html.contains('\u{0}'));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;\u{FFFD}"));
        // The only script is the page's own.
        assert_eq!(html.matches("<script>").count(), 1);
    }

    #[test]
    fn the_verdict_follows_failures_not_run_and_completion() {
        let pass = ScenarioEntry::new(result("a", "ECS17b", Outcome::Passed), "f:1".into());
        let na = ScenarioEntry::new(
            result(
                "b",
                "ECS17b",
                Outcome::NotApplicable {
                    reason: "no gsme".into(),
                },
            ),
            "f:2".into(),
        );
        let mut r = report(vec![pass.clone(), na.clone()]);
        assert_eq!(r.verdict(), Verdict::Pass);
        r.complete = false;
        assert_eq!(r.verdict(), Verdict::InProgress);
        r.scenarios.push(ScenarioEntry::new(
            result(
                "c",
                "ECS17b",
                Outcome::NotRun {
                    reason: "deadline reached".into(),
                },
            ),
            "f:3".into(),
        ));
        assert_eq!(r.verdict(), Verdict::Fail);
        let mut r = report(vec![pass, na]);
        r.run_problems.push("interrupted".into());
        assert_eq!(r.verdict(), Verdict::Fail);
        let html = render(&r);
        assert!(html.contains("data-verdict=\"FAIL\""));
        assert!(
            html.contains("no gsme"),
            "the not-applicable reason is shown"
        );
    }

    #[test]
    fn traffic_and_details_are_bounded() {
        let mut r = result(
            "big",
            "ECS17b",
            Outcome::Failed(Failure {
                kind: FailureKind::Assertion,
                step: "s".into(),
                message: "m".repeat(10_000),
                details: "d".repeat(MAX_DETAILS_CHARS * 2),
            }),
        );
        r.traffic = (0..MAX_FRAMES_SHOWN + 5)
            .map(|_| frame(&"AB".repeat(MAX_HEX_CHARS)))
            .collect();
        let e = ScenarioEntry::new(r, "f:1".into());
        assert_eq!(e.frames_omitted, 5);
        assert_eq!(e.result.traffic.len(), MAX_FRAMES_SHOWN);
        assert!(e.result.traffic[0].hex.len() < MAX_HEX_CHARS + 64);
        let html = render(&report(vec![e]));
        assert!(html.contains("and 5 more frames"));
        assert!(html.contains("details cut at"));
        // Two tables of the frames (failure and scenario), each bounded.
        assert!(html.len() < 2 * MAX_FRAMES_SHOWN * (MAX_HEX_CHARS + 512) + MAX_DETAILS_CHARS * 2);
    }

    #[test]
    fn use_cases_sort_with_their_numbers() {
        let mut v = vec!["ECS10", "ECS2", "CS02a", "ECS17b", "ECS1"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["CS02a", "ECS1", "ECS2", "ECS10", "ECS17b"]);
    }

    #[test]
    fn the_page_loads_nothing_from_elsewhere() {
        let html = render(&report(vec![ScenarioEntry::new(
            result("a http://evil.example/x.js", "ECS17b", Outcome::Passed),
            "f:1".into(),
        )]));
        assert!(!html.contains(" src="));
        assert!(!html.contains("href=\"http"));
        assert!(!html.contains("url("));
        assert!(html.contains("default-src 'none'"));
    }
}
