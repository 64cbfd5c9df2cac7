//! `simulate --check`: every recorded COMMAND of a corpus folder is sent to a fresh simulator
//! and its response is judged against the recorded RESPONSE: it must decode, verify (MAC or
//! signature) with the shared key store, echo the command's message code and counter, and
//! have the recorded structure (same tree of DLMS / ZCL / DER types and element counts;
//! values may differ).
//!
//! Variants named ERROR or NOT_FOUND record what a device answered in a particular state
//! (a failing component, an empty log): the simulator is put into that state where it models
//! it (`sim::state`), as a tester would; they are reported but do not decide a use case's
//! verdict.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::codec::{decode_frame, CraFlag, Payload};
use crate::corpus::{command_files, read_hex_file};
use crate::inspect::roles::{self, SentValues};
use crate::inspect::{Inspector, Verdict};

use super::esme::MeterVariant;
use super::profile::RtdsProfile;
use super::shape::{first_difference, shape};
use super::state::state_for_variant;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VariantClass {
    Nominal,
    DeviceStateDependent,
}

impl VariantClass {
    fn of(file_name: &str) -> Self {
        if file_name.contains("_ERROR_") || file_name.contains("NOT_FOUND") {
            VariantClass::DeviceStateDependent
        } else {
            VariantClass::Nominal
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ExchangeCheck {
    pub command: String,
    pub variant: VariantClass,
    /// The folder records a response to this command.
    pub recorded: bool,
    pub accepted: bool,
    pub response_valid: bool,
    /// `None` when there is nothing to compare (no recorded response, or no response).
    pub structure_match: Option<bool>,
    /// Judged by field role: outcome fields (result and status codes, response codes,
    /// encryption, echoes) exact, device data by type, DLMS arrays of any length.
    pub outcome_match: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome_problem: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UseCaseVerdict {
    pub folder: String,
    pub matching: bool,
    pub exchanges: Vec<ExchangeCheck>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckSummary {
    pub commands: usize,
    pub accepted: usize,
    pub responses_valid: usize,
    pub structure_match: usize,
    /// Exchanges whose response matches the recording by field role.
    pub outcome_match: usize,
    /// The same, over nominal variants only, and how many nominal variants were recorded.
    pub nominal: usize,
    pub nominal_outcome_match: usize,
    pub use_cases: usize,
    pub use_cases_matching: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub use_cases: Vec<UseCaseVerdict>,
    pub summary: CheckSummary,
}

/// Checks every COMMAND under `corpus` (folders of `*_GBCS.HEX` files).
pub fn check(profile: &RtdsProfile, corpus: &Path) -> CheckReport {
    let inspector = Inspector::new(profile.keys(), None);
    let mut folders: BTreeMap<String, Vec<ExchangeCheck>> = BTreeMap::new();
    for c in command_files(corpus) {
        let check = check_one(profile, &inspector, &c.path, &c.response, &c.file);
        folders.entry(c.folder).or_default().push(check);
    }

    let mut summary = CheckSummary::default();
    let mut use_cases = Vec::new();
    for (folder, exchanges) in folders {
        for x in &exchanges {
            summary.commands += 1;
            summary.accepted += usize::from(x.accepted);
            summary.responses_valid += usize::from(x.response_valid);
            summary.structure_match += usize::from(x.structure_match == Some(true));
            summary.outcome_match += usize::from(x.outcome_match == Some(true));
            if x.variant == VariantClass::Nominal && x.recorded {
                summary.nominal += 1;
                summary.nominal_outcome_match += usize::from(x.outcome_match == Some(true));
            }
        }
        let nominal: Vec<&ExchangeCheck> = exchanges
            .iter()
            .filter(|x| x.variant == VariantClass::Nominal && x.recorded)
            .collect();
        if nominal.is_empty() {
            // Nothing a healthy device should reproduce: not a use case for this check.
            use_cases.push(UseCaseVerdict {
                folder,
                matching: false,
                exchanges,
            });
            continue;
        }
        let matching = nominal
            .iter()
            .all(|x| x.response_valid && x.structure_match == Some(true));
        summary.use_cases += 1;
        summary.use_cases_matching += usize::from(matching);
        use_cases.push(UseCaseVerdict {
            folder,
            matching,
            exchanges,
        });
    }
    CheckReport { use_cases, summary }
}

fn check_one(
    profile: &RtdsProfile,
    inspector: &Inspector<'_>,
    command_path: &Path,
    recorded_path: &Path,
    name: &str,
) -> ExchangeCheck {
    let mut x = ExchangeCheck {
        command: name.to_string(),
        variant: VariantClass::of(name),
        recorded: recorded_path.is_file(),
        accepted: false,
        response_valid: false,
        structure_match: None,
        outcome_match: None,
        problem: None,
        outcome_problem: None,
    };
    let command = match read_hex_file(command_path) {
        Ok(b) => b,
        Err(e) => {
            x.problem = Some(e.to_string());
            return x;
        }
    };
    // RTDS names the meter configuration of a recording in the variant (`_TWIN_`): the
    // check gives the simulator the same configuration, as a tester would.
    let mut simulator = if name.contains("_TWIN_") {
        profile.simulator_with(MeterVariant::TwinElement)
    } else {
        profile.simulator()
    };
    // Likewise the failing state a failure variant records, where the simulator models it
    // (`sim::state`); one it does not model meets a healthy device.
    if x.variant == VariantClass::DeviceStateDependent {
        if let (Ok(Some(state)), Ok(frame)) = (state_for_variant(name), decode_frame(&command)) {
            simulator.set_device_state(frame.header().recipient, state);
        }
    }
    let exchange = simulator.handle(&command);
    let Some(response) = exchange.response else {
        x.problem = Some(match exchange.rejection {
            Some(r) => format!("rejected: {r}"),
            None => "no response".into(),
        });
        return x;
    };
    x.accepted = true;
    let ours = match inspector.inspect(&response) {
        Ok(i) => i,
        Err(e) => {
            x.problem = Some(format!("response does not decode: {e}"));
            return x;
        }
    };
    let verified = [&ours.checks.signature, &ours.checks.mac]
        .iter()
        .any(|v| **v == Verdict::Valid)
        && !ours.is_failure();
    let echoes = decode_frame(&command).ok().is_some_and(|c| {
        let (c, r) = (c.header(), ours.message.frame.header());
        r.cra == CraFlag::Response
            && r.counter == c.counter
            && r.message_code() == c.message_code()
            && r.originator == c.recipient
            && r.recipient == c.originator
    });
    x.response_valid = verified && echoes;
    if !verified {
        x.problem = Some(format!(
            "response protection: signature {:?}, MAC {:?}",
            ours.checks.signature, ours.checks.mac
        ));
    } else if !echoes {
        x.problem = Some("response does not echo counter, code and ids".into());
    }
    let Ok(recorded) = read_hex_file(recorded_path) else {
        return x;
    };
    let theirs = match inspector.inspect(&recorded) {
        Ok(i) => i,
        Err(e) => {
            x.problem = Some(format!("recorded response does not decode: {e}"));
            return x;
        }
    };
    let difference = match (&ours.message.payload, &theirs.message.payload) {
        (Ok(a), Ok(b)) => first_difference(&shape(a), &shape(b), "payload"),
        (Err(e), _) => Some(format!("our payload does not decode: {e}")),
        (_, Err(e)) => Some(format!("the recorded payload does not decode: {e}")),
    };
    x.structure_match = Some(difference.is_none());
    let outcome = match (&ours.message.payload, &theirs.message.payload) {
        (Ok(a), Ok(b)) => {
            let sent = inspector
                .inspect(&command)
                .ok()
                .and_then(|i| i.message.payload.ok())
                .map_or(Value::Null, |p| {
                    serde_json::to_value(p).unwrap_or(Value::Null)
                });
            outcome_difference(a, b, &SentValues::from_payload(&sent))
        }
        _ => Some("a payload does not decode".into()),
    };
    x.outcome_match = Some(outcome.is_none() && x.response_valid);
    x.outcome_problem = outcome;
    if let (Some(d), None) = (difference, &x.problem) {
        x.problem = Some(format!("structure differs at {d}"));
    }
    x
}

/// Where our payload does not carry the recorded outcome, judged by field role
/// ([`roles::view`], [`roles::reconcile`]): outcome fields exactly, device data by type (arrays
/// of it of any length), echoes against the command sent. `None` when it carries it.
fn outcome_difference(ours: &Payload, recorded: &Payload, sent: &SentValues) -> Option<String> {
    let json = |p: &Payload| serde_json::to_value(p).unwrap_or(Value::Null);
    let expected = roles::view(&json(recorded), None);
    let mut actual = roles::view(&json(ours), Some(sent));
    roles::reconcile(&expected, &mut actual);
    (actual != expected).then(|| {
        first_difference(&actual, &expected, "payload").unwrap_or_else(|| "payload".into())
    })
}
