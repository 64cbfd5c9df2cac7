//! Test reports: the scenario-result model and the JUnit XML writer and merger.
//!
//! The JUnit file is certification evidence, so it is rewritten whole after every scenario
//! (a killed run still leaves a valid file) and every failure says *what* failed through a
//! stable failure `type` rather than cucumber's generic "Step Panicked".
//!
//! A utility beside the layers: it imports no other module of the crate, and any layer may use
//! it (the failure kinds a judge reports, the writers a run feeds).

pub mod evidence;
pub mod html;
pub mod junit;
pub mod merge;
pub mod traffic;
mod xml;

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use junit::{JunitWriter, SuiteProperties};
pub use merge::merge;
pub use traffic::{Direction, TrafficLine};

/// The result of one Gherkin scenario, as the runner hands it to the report layer.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioResult {
    /// The feature (file) the scenario belongs to; becomes the JUnit testsuite.
    pub feature: String,
    /// The scenario's line in its feature file (an outline's Examples row for each of its
    /// rows); `None` for a feature file that does not parse.
    pub line: Option<usize>,
    /// The scenario name; becomes the JUnit testcase.
    pub name: String,
    /// GBCS use case, e.g. `ECS17b`.
    pub use_case: Option<String>,
    /// DCC service request number, e.g. `4.1.1`.
    pub service_request: Option<String>,
    /// Device under test (type or identifier).
    pub device: Option<String>,
    /// Gherkin tags, without or with the leading `@`.
    pub tags: Vec<String>,
    pub duration: Duration,
    pub outcome: Outcome,
    /// Every frame the scenario sent and received, in order (empty when it sent none).
    pub traffic: Vec<TrafficLine>,
}

impl ScenarioResult {
    /// Where the scenario is, as reports show it: `file:line`, or the file alone when the
    /// line is unknown (a feature file that does not parse).
    pub fn location(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.feature),
            None => self.feature.clone(),
        }
    }
}

/// How a scenario ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Passed,
    Failed(Failure),
    /// The scenario does not apply to this device or profile. Reported as skipped, never as
    /// passed, so an assessor cannot mistake it for evidence of conformance.
    NotApplicable {
        reason: String,
    },
    /// Selected but never run (the run's deadline, a signal, `--fail-fast`): reported as
    /// skipped with why.
    NotRun {
        reason: String,
    },
}

/// What went wrong in a failed scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub kind: FailureKind,
    /// The Gherkin step that failed, e.g. `Then the response MAC verifies`.
    pub step: String,
    /// One line; any line breaks are folded when written.
    pub message: String,
    /// Multi-line detail: the expected/actual diff and the frames in hex.
    pub details: String,
}

/// The class of failure; its [`name`](FailureKind::name) is the JUnit failure `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureKind {
    Mac,
    Signature,
    Timeout,
    VectorMismatch,
    ExpectedRejection,
    Transport,
    Decode,
    Assertion,
    // A head-end (DCC User system) under test: what its DUIS traffic got wrong.
    /// a DUIS document the User's system sent is not schema-valid.
    DuisSchema,
    /// the User's XML signature is missing or not by its own certificate.
    XmlSignature,
    /// the RequestID names the wrong originator or target.
    RequestId,
    /// the RequestID counter does not increase strictly across the run.
    Counter,
    /// a command variant or URL the service does not allow.
    CommandVariant,
    /// the User's role is not eligible for the service.
    Role,
    /// the critical-command flow: CV 4 → CV 5 and the GBCS signature.
    PreCommand,
    /// the request body differs from what the scenario asked for.
    RequestBody,
    /// the User's system answered a DCC delivery with the wrong HTTP status.
    Receipt,
    /// a response was not matched to its request.
    Correlation,
    /// a duplicate delivery was handled more than once.
    Duplicate,
    /// an alert was refused or not recorded.
    AlertHandling,
    /// the User's system sent nothing when asked to.
    NoRequest,
    // The harness could not test (JUnit `<error>`, see `is_error`).
    /// The transport cannot start or reach the target (a child process that does not
    /// start, a connection refused): nothing reached the device.
    Unreachable,
    /// The command cannot be expressed on the way to the device: a DCC refuses the service
    /// request before any command exists (DUIS E12: no transform, an unbound parameter), the
    /// `duis://` transport cannot say what the scenario sends, or the device cannot be put
    /// into the state the scenario needs.
    Inexpressible,
    /// The feature file does not parse: no scenario in it ran.
    FeatureFile,
}

impl FailureKind {
    pub const ALL: [FailureKind; 24] = [
        FailureKind::Mac,
        FailureKind::Signature,
        FailureKind::Timeout,
        FailureKind::VectorMismatch,
        FailureKind::ExpectedRejection,
        FailureKind::Transport,
        FailureKind::Decode,
        FailureKind::Assertion,
        FailureKind::DuisSchema,
        FailureKind::XmlSignature,
        FailureKind::RequestId,
        FailureKind::Counter,
        FailureKind::CommandVariant,
        FailureKind::Role,
        FailureKind::PreCommand,
        FailureKind::RequestBody,
        FailureKind::Receipt,
        FailureKind::Correlation,
        FailureKind::Duplicate,
        FailureKind::AlertHandling,
        FailureKind::NoRequest,
        FailureKind::Unreachable,
        FailureKind::Inexpressible,
        FailureKind::FeatureFile,
    ];

    /// Whether the harness could not test rather than the target failing the test: JUnit
    /// writes these as `<error>` instead of `<failure>`, so dashboards do not count them
    /// against the device.
    pub const fn is_error(self) -> bool {
        matches!(
            self,
            FailureKind::Unreachable | FailureKind::Inexpressible | FailureKind::FeatureFile
        )
    }

    /// Stable lower-case name. CI dashboards and assessors filter on these, so they must
    /// never change once released.
    pub const fn name(self) -> &'static str {
        match self {
            FailureKind::Mac => "mac",
            FailureKind::Signature => "signature",
            FailureKind::Timeout => "timeout",
            FailureKind::VectorMismatch => "vector-mismatch",
            FailureKind::ExpectedRejection => "expected-rejection",
            FailureKind::Transport => "transport",
            FailureKind::Decode => "decode",
            FailureKind::Assertion => "assertion",
            FailureKind::DuisSchema => "duis-schema",
            FailureKind::XmlSignature => "xml-signature",
            FailureKind::RequestId => "request-id",
            FailureKind::Counter => "counter",
            FailureKind::CommandVariant => "command-variant",
            FailureKind::Role => "role",
            FailureKind::PreCommand => "pre-command",
            FailureKind::RequestBody => "request-body",
            FailureKind::Receipt => "receipt",
            FailureKind::Correlation => "correlation",
            FailureKind::Duplicate => "duplicate",
            FailureKind::AlertHandling => "alert-handling",
            FailureKind::NoRequest => "no-request",
            FailureKind::Unreachable => "unreachable",
            FailureKind::Inexpressible => "inexpressible",
            FailureKind::FeatureFile => "feature-file",
        }
    }
}

/// A moment as RFC 3339 in UTC with milliseconds (`2026-12-02T18:43:51.123Z`), the form the
/// JUnit `timestamp` and the line traffic use. Written here rather than pulling a date crate
/// for one format: the civil date comes from the day count (Howard Hinnant's algorithm).
pub fn utc_timestamp(t: SystemTime) -> String {
    // Before 1970 only on a broken clock: shown as the epoch rather than failing a report.
    let since = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        since.subsec_millis()
    )
}

/// Year, month (1–12) and day (1–31) of the day `days` after 1970-01-01.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    // Shifted to start on 0000-03-01 so the leap day is the last of the year.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_kind_names_are_stable_and_distinct() {
        let names: Vec<_> = FailureKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(
            names,
            [
                "mac",
                "signature",
                "timeout",
                "vector-mismatch",
                "expected-rejection",
                "transport",
                "decode",
                "assertion",
                "duis-schema",
                "xml-signature",
                "request-id",
                "counter",
                "command-variant",
                "role",
                "pre-command",
                "request-body",
                "receipt",
                "correlation",
                "duplicate",
                "alert-handling",
                "no-request",
                "unreachable",
                "inexpressible",
                "feature-file",
            ]
        );
        for n in &names {
            assert_eq!(*n, n.to_lowercase());
        }
        let errors: Vec<_> = FailureKind::ALL.iter().filter(|k| k.is_error()).collect();
        assert_eq!(
            errors,
            [
                &FailureKind::Unreachable,
                &FailureKind::Inexpressible,
                &FailureKind::FeatureFile
            ]
        );
    }

    #[test]
    fn timestamps_are_rfc3339_utc_with_milliseconds() {
        let at = |ms: u64| utc_timestamp(UNIX_EPOCH + Duration::from_millis(ms));
        assert_eq!(at(0), "1970-01-01T00:00:00.000Z");
        // A leap day, a year's last millisecond, and 2100 (no leap day).
        assert_eq!(at(951_782_400_001), "2000-02-29T00:00:00.001Z");
        assert_eq!(at(1_798_761_599_999), "2026-12-31T23:59:59.999Z");
        assert_eq!(at(4_107_542_400_000), "2100-03-01T00:00:00.000Z");
        assert_eq!(at(1_764_701_031_123), "2025-12-02T18:43:51.123Z");
    }
}
