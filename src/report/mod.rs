//! Test reports: the scenario-result model and the JUnit XML writer and merger.
//!
//! The JUnit file is certification evidence, so it is rewritten whole after every scenario
//! (a killed run still leaves a valid file) and every failure says *what* failed through a
//! stable failure `type` rather than cucumber's generic "Step Panicked".
//!
//! A utility beside the layers: it imports no other module of the crate, and any layer may use
//! it (the failure kinds a judge reports, the writers a run feeds).

pub mod junit;
pub mod merge;
pub mod traffic;
mod xml;

use std::fmt;
use std::time::Duration;

pub use junit::{JunitWriter, SuiteProperties};
pub use merge::merge;
pub use traffic::{Direction, TrafficLine};

/// The result of one Gherkin scenario, as the runner hands it to the report layer.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioResult {
    /// The feature (file) the scenario belongs to; becomes the JUnit testsuite.
    pub feature: String,
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
}

impl FailureKind {
    pub const ALL: [FailureKind; 8] = [
        FailureKind::Mac,
        FailureKind::Signature,
        FailureKind::Timeout,
        FailureKind::VectorMismatch,
        FailureKind::ExpectedRejection,
        FailureKind::Transport,
        FailureKind::Decode,
        FailureKind::Assertion,
    ];

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
        }
    }
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
                "assertion"
            ]
        );
        for n in &names {
            assert_eq!(*n, n.to_lowercase());
        }
    }
}
