//! The step vocabulary (documented with examples in `features/README.md`). Each step is a
//! regular expression composed from the typed parameters of `params` and a function taking
//! those parameters; a failing step records what failed in the World and panics with one
//! line, which cucumber reports and the report writers classify.

use std::time::Duration;

use cucumber::gherkin::Step as GherkinStep;
use cucumber::step::{Collection, Context};
use futures::future::LocalBoxFuture;
use regex::Regex;
use serde_json::Value;

use crate::codec::{decode_message, EntityId};
use crate::report::FailureKind;
use crate::vectors::{self, Vector};

use cucumber::Parameter as _;

use super::judge::{self, Finding};
use super::params::{
    AlertCode, Captures, Device, ParamError, RemoteParty, SendTable, Tamper, UseCase,
};
use super::world::{HarnessWorld, Outcome, Route};
use crate::command::template::{Addressing, CommandTemplate};

/// An entity id no target has (the harness's test PKI holds its keys, so commands to it are
/// correctly MAC'd): commands to it must be discarded.
pub const UNKNOWN_RECIPIENT: EntityId = crate::crypto::pki::defaults::FOREIGN_ESME;

/// A step function as cucumber calls it: parses the named captures into the typed parameters
/// of `$body` (failing the step with what was expected when one does not parse) and runs it
/// with the step's text, which failures name.
macro_rules! step {
    ($name:ident => $body:ident($($param:ident: $kind:ident),*)) => {
        fn $name<'a>(w: &'a mut HarnessWorld, ctx: Context) -> LocalBoxFuture<'a, ()> {
            Box::pin(async move {
                let step = text(&ctx.step);
                let _captures = Captures::of(&ctx);
                $(
                    let $param = match _captures.$kind(stringify!($param)) {
                        Ok(v) => v,
                        Err(e) => w.fail_now(&step, FailureKind::Assertion, e.to_string()),
                    };
                )*
                $body(w, &step, $($param),*).await
            })
        }
    };
    // Parameters gathered in a struct with a `parse(&Captures)` constructor.
    ($name:ident => $body:ident(struct $ty:ty)) => {
        fn $name<'a>(w: &'a mut HarnessWorld, ctx: Context) -> LocalBoxFuture<'a, ()> {
            Box::pin(async move {
                let step = text(&ctx.step);
                let args = match <$ty>::parse(&Captures::of(&ctx)) {
                    Ok(v) => v,
                    Err(e) => w.fail_now(&step, FailureKind::Assertion, e.to_string()),
                };
                $body(w, &step, args).await
            })
        }
    };
}

step!(given_target_has => target_has(device: required));
step!(when_sends => sends(struct SendStep));
step!(when_sends_elsewhere => sends_to_unknown_recipient(party: required, use_case: required));
step!(when_recorded => sends_recorded(name: required));
step!(when_recorded_alert => recorded_alert_arrives(name: required));
step!(then_valid => valid_response());
step!(then_within_target => within_target());
step!(then_within_seconds => within_seconds(secs: required));
step!(then_matches_vector => matches_vector());
step!(then_field_is => field_is(pointer: required, value: required));
step!(then_alert => alert_arrives(code: required, secs: optional));
step!(then_rejects => rejects());

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("step patterns are constants")
}

/// Every step of the vocabulary. Patterns are composed from the parameters' own regexes, and
/// their group names are the step functions' parameter names.
pub fn collection() -> Collection<HarnessWorld> {
    let (party, uc, device, tamper, code) = (
        RemoteParty::REGEX,
        UseCase::REGEX,
        Device::REGEX,
        Tamper::REGEX,
        AlertCode::REGEX,
    );
    let send = format!(
        r#"^(?:the )?(?P<party>{party}) sends (?P<use_case>{uc}) to the (?P<device>{device})(?: using vector "(?P<variant>[^"]+)")?(?: (?P<tamper>{tamper}))?$"#
    );
    let elsewhere = format!(
        r"^(?:the )?(?P<party>{party}) sends (?P<use_case>{uc}) addressed to a device the target does not have$"
    );
    let alert = format!(r"^an alert (?P<code>{code}) arrives(?: within (?P<secs>\d+) seconds?)?$");
    let steps = Collection::new()
        .given(
            None,
            re(r"^the target has an? (?P<device>.+)$"),
            given_target_has,
        )
        .when(None, re(&send), when_sends)
        .when(None, re(&elsewhere), when_sends_elsewhere)
        .when(
            None,
            re(r#"^the recorded command "(?P<name>[^"]+)" is sent$"#),
            when_recorded,
        )
        .when(
            None,
            re(r#"^the recorded alert "(?P<name>[^"]+)" arrives$"#),
            when_recorded_alert,
        )
        .then(
            None,
            re(r"^the response is a valid response to that command$"),
            then_valid,
        )
        .then(
            None,
            re(r"^a response arrives within the WAN target$"),
            then_within_target,
        )
        .then(
            None,
            re(r"^a response arrives within (?P<secs>\d+(?:\.\d+)?) seconds?$"),
            then_within_seconds,
        )
        .then(
            None,
            re(r"^the response matches the golden vector$"),
            then_matches_vector,
        )
        .then(
            None,
            re(r#"^the response field "(?P<pointer>[^"]*)" is "(?P<value>[^"]*)"$"#),
            then_field_is,
        )
        .then(None, re(&alert), then_alert)
        .then(None, re(r"^the device rejects the command$"), then_rejects);
    super::head_end::steps::register(steps)
}

fn text(step: &GherkinStep) -> String {
    format!("{}{}", step.keyword, step.value)
}

fn device_id(w: &mut HarnessWorld, step: &str, Device(kind): Device) -> EntityId {
    match w.ctx().identities.devices.get(&kind) {
        Some(id) => *id,
        None => w.fail_now(
            step,
            FailureKind::Assertion,
            format!("the profile names no {kind} entity id"),
        ),
    }
}

fn party_id(w: &mut HarnessWorld, step: &str, RemoteParty(party): RemoteParty) -> EntityId {
    match w.ctx().identities.parties.get(&party) {
        Some(id) => *id,
        None => w.fail_now(
            step,
            FailureKind::Assertion,
            format!("the profile names no {party} entity id"),
        ),
    }
}

async fn target_has(w: &mut HarnessWorld, step: &str, device: Device) {
    device_id(w, step, device);
}

/// The vector and template a send step means: a named variant, the use case's default one,
/// or a table's `vector`/`payload`/`signed` rows.
fn vector_for(
    w: &mut HarnessWorld,
    step: &str,
    uc: &str,
    variant: Option<&str>,
    table: &SendTable,
) -> (Vector, CommandTemplate) {
    let found = match table.vector.as_deref().or(variant) {
        Some(v) => w.ctx().vectors.variant(uc, v),
        None => w.ctx().vectors.default_variant(uc),
    };
    let vector = match found {
        Ok(v) => v,
        Err(e) => w.fail_now(step, FailureKind::Assertion, e.to_string()),
    };
    let mut template = vector.command.template.clone();
    if let Some(payload) = &table.payload {
        template.payload = payload.clone().into();
    }
    if let Some(signed) = table.signed {
        template.signed = signed;
    }
    (vector, template)
}

/// `When the <party> sends <use case> to the <device> [using vector "<variant>"] [<tamper>]`.
struct SendStep {
    party: RemoteParty,
    use_case: UseCase,
    device: Device,
    variant: Option<String>,
    tamper: Option<Tamper>,
    table: SendTable,
}

impl SendStep {
    fn parse(c: &Captures) -> Result<Self, ParamError> {
        Ok(SendStep {
            party: c.required("party")?,
            use_case: c.required("use_case")?,
            device: c.required("device")?,
            variant: c.optional("variant")?,
            tamper: c.optional("tamper")?,
            table: c.send_table()?,
        })
    }
}

async fn sends(w: &mut HarnessWorld, step: &str, send: SendStep) {
    let SendStep {
        party,
        use_case: UseCase(uc),
        device,
        variant,
        tamper,
        table,
    } = send;
    let (vector, template) = vector_for(w, step, &uc, variant.as_deref(), &table);
    let originator = party_id(w, step, party);
    let recipient = device_id(w, step, device);
    if let Some(t) = tamper.filter(|t| t.needs_signature() && !template.signed) {
        let how = t.phrase();
        w.fail_now(
            step,
            FailureKind::Assertion,
            format!("{uc} is not a critical command: it carries no signature to {how:?}"),
        );
    }
    let route = Route {
        originator,
        recipient,
    };
    w.send_template(step, &uc, Some(vector), template, route, tamper)
        .await;
}

async fn sends_to_unknown_recipient(
    w: &mut HarnessWorld,
    step: &str,
    party: RemoteParty,
    use_case: UseCase,
) {
    let uc = use_case.0;
    let (vector, template) = vector_for(w, step, &uc, None, &SendTable::default());
    let originator = party_id(w, step, party);
    let route = Route {
        originator,
        recipient: UNKNOWN_RECIPIENT,
    };
    w.send_template(step, &uc, Some(vector), template, route, None)
        .await;
}

/// A recorded frame `NAME_GBCS.HEX` from the run's recordings.
fn recorded_frame(w: &mut HarnessWorld, step: &str, file: &str) -> Vec<u8> {
    let Some(dir) = w.ctx().replay_dir.clone() else {
        w.fail_now(
            step,
            FailureKind::Assertion,
            "recorded frames need a replay:DIR target or a profile naming the recordings",
        )
    };
    let found = crate::corpus::hex_files(&dir)
        .into_iter()
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy() == file));
    let Some(path) = found else {
        w.fail_now(
            step,
            FailureKind::Assertion,
            format!("no recording {file} under {}", dir.display()),
        )
    };
    match crate::corpus::read_hex_file(&path) {
        Ok(f) => f,
        Err(e) => w.fail_now(
            step,
            FailureKind::Decode,
            format!("{}: {e}", path.display()),
        ),
    }
}

/// An alert as the device recorded it, handed to the alert checks (offline judging).
async fn recorded_alert_arrives(w: &mut HarnessWorld, step: &str, name: String) {
    let frame = recorded_frame(w, step, &format!("{name}_GBCS.HEX"));
    w.transcript
        .push(format!("  alert    {}", hex::encode_upper(&frame)));
    w.alerts.push(crate::transport::TimedFrame::now(frame));
}

async fn sends_recorded(w: &mut HarnessWorld, step: &str, name: String) {
    let file = format!("{name}_COMMAND_GBCS.HEX");
    let frame = recorded_frame(w, step, &file);
    let Some(decoded) = judge::header_of(&frame) else {
        w.fail_now(step, FailureKind::Decode, format!("{file} does not decode"))
    };
    let h = decoded.header();
    let addressing = Addressing {
        originator: h.originator,
        recipient: h.recipient,
        counter: h.counter,
    };
    // Recordings are named `<use case>_<service request>_...`.
    let use_case = name.split('_').next().unwrap_or(&name).to_string();
    w.send_frame(&use_case, None, None, addressing, None, frame)
        .await;
}

/// The first response to the last command, or a failure saying why there is none.
fn first_response(w: &mut HarnessWorld, step: &str) -> (Vec<u8>, std::time::Instant) {
    let Some(sent) = &w.sent else {
        w.fail_now(
            step,
            FailureKind::Assertion,
            "no command was sent before this step",
        )
    };
    match &sent.outcome {
        Outcome::TimedOut(e) => {
            let message = e.to_string();
            w.fail_now(step, FailureKind::Timeout, message)
        }
        Outcome::TransportFailed(e) => {
            let message = e.to_string();
            w.fail_now(step, FailureKind::Transport, message)
        }
        Outcome::Answered(r) => match r.responses.first() {
            Some(f) => (f.frame.clone(), f.at),
            None => {
                let n = r.alerts.len();
                w.fail_now(
                    step,
                    FailureKind::Timeout,
                    format!("no response to {} ({n} alert(s) only)", sent.use_case),
                )
            }
        },
    }
}

/// Judges the last response as a response to the last command (once; later steps reuse it).
fn judged(w: &mut HarnessWorld, step: &str) -> crate::inspect::Inspection {
    if let Some(i) = w.sent.as_ref().and_then(|s| s.judged.clone()) {
        return i;
    }
    let (response, _) = first_response(w, step);
    let Some(command) = w.sent.as_ref().and_then(|s| s.decoded.clone()) else {
        w.fail_now(
            step,
            FailureKind::Assertion,
            "the command sent does not decode",
        )
    };
    let keys = w.ctx().keys.clone();
    match judge::valid_response(&keys, w.ctx().identities.acb, &command, &response) {
        Ok(inspection) => {
            note_firmware_version(w, &command, &inspection);
            if let Some(s) = w.sent.as_mut() {
                s.judged = Some(inspection.clone());
            }
            inspection
        }
        Err(finding) => w.fail(step, finding, String::new()),
    }
}

/// Keeps the firmware version a valid response reported, for the report's suite properties.
fn note_firmware_version(
    w: &HarnessWorld,
    command: &crate::codec::Frame,
    inspection: &crate::inspect::Inspection,
) {
    let Some(code) = command.header().message_code() else {
        return;
    };
    // The report has one firmware-version property: the ESME's / comms hub's (ECS52), the
    // device a run is about; GCS38 and CS08 read the others' (`reads_firmware_version`).
    if !code.reads_firmware_version() || code != crate::codec::MessageCode::ECS52 {
        return;
    }
    let Ok(payload) = &inspection.message.payload else {
        return;
    };
    if let Some(version) = payload.firmware_version() {
        let device = command.header().recipient;
        w.ctx()
            .note_firmware_version(format!("{version} ({device})"));
    }
}

async fn valid_response(w: &mut HarnessWorld, step: &str) {
    judged(w, step);
    // Alerts that came with it must verify too.
    let alerts: Vec<Vec<u8>> = w.alerts.iter().map(|a| a.frame.clone()).collect();
    let keys = w.ctx().keys.clone();
    for alert in alerts {
        if let Err(f) = judge::valid_alert(&keys, w.ctx().identities.acb, &alert) {
            w.fail(step, f, String::new());
        }
    }
}

fn check_time(w: &mut HarnessWorld, step: &str, limit: Duration, what: &str) {
    let (_, at) = first_response(w, step);
    let sent_at = w.sent.as_ref().map(|s| s.sent_at).unwrap_or(at);
    let took = at.saturating_duration_since(sent_at);
    if took > limit {
        w.fail_now(
            step,
            FailureKind::Timeout,
            format!(
                "late response: {:.1} s after the command, {what} is {:.1} s",
                took.as_secs_f64(),
                limit.as_secs_f64()
            ),
        );
    }
}

async fn within_target(w: &mut HarnessWorld, step: &str) {
    let Some(code) = w.last_code() else {
        w.fail_now(
            step,
            FailureKind::Assertion,
            "no command was sent before this step",
        )
    };
    let limit = judge::response_target(code, w.ctx().sla.for_code(code));
    check_time(w, step, limit, "the WAN traffic model's target");
}

async fn within_seconds(w: &mut HarnessWorld, step: &str, secs: f64) {
    let Ok(limit) = Duration::try_from_secs_f64(secs) else {
        w.fail_now(
            step,
            FailureKind::Assertion,
            format!("{secs} seconds is out of range"),
        )
    };
    check_time(w, step, limit, "the limit");
}

async fn matches_vector(w: &mut HarnessWorld, step: &str) {
    let inspection = judged(w, step);
    let Some(vector) = w.sent.as_ref().and_then(|s| s.vector.clone()) else {
        w.fail_now(
            step,
            FailureKind::Assertion,
            "the last command was not sent from a vector",
        )
    };
    let Ok(payload) = &inspection.message.payload else {
        w.fail_now(
            step,
            FailureKind::Decode,
            "response payload does not decode",
        )
    };
    // Echoes are judged against the command actually sent, as it decodes.
    let sent = w
        .sent
        .as_ref()
        .and_then(|s| decode_message(&s.frame).ok())
        .and_then(|m| m.payload.ok())
        .map_or(Value::Null, |p| {
            serde_json::to_value(p).unwrap_or(Value::Null)
        });
    let actual = vectors::compare::Actual {
        message_code: inspection.message.frame.header().message_code(),
        payload,
    };
    if let Err(m) = vectors::compare(&vector, &sent, actual) {
        let recorded = vector
            .response
            .as_ref()
            .map_or_else(|| "(none)".to_string(), |r| r.recorded_hex.clone());
        let details = format!(
            "vector {}/{} (recorded in {})\n{}\nthe reference device's response, as recorded: {recorded}",
            vector.use_case, vector.variant, vector.source, m.diff
        );
        w.fail(
            step,
            Finding::new(FailureKind::VectorMismatch, m.summary),
            details,
        );
    }
}

async fn field_is(w: &mut HarnessWorld, step: &str, pointer: String, wanted: String) {
    let inspection = judged(w, step);
    let json = match &inspection.message.payload {
        Ok(p) => serde_json::to_value(p).unwrap_or(Value::Null),
        Err(_) => w.fail_now(
            step,
            FailureKind::Decode,
            "response payload does not decode",
        ),
    };
    let got = match json.pointer(&pointer) {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => w.fail_now(
            step,
            FailureKind::Assertion,
            format!("the response has no field {pointer}"),
        ),
    };
    if got != wanted {
        w.fail_now(
            step,
            FailureKind::Assertion,
            format!("field {pointer} is {got:?}, expected {wanted:?}"),
        );
    }
}

/// How long `Then an alert ... arrives` waits when the step names no time.
const DEFAULT_ALERT_WAIT_S: u64 = 5;

async fn alert_arrives(w: &mut HarnessWorld, step: &str, code: AlertCode, secs: Option<u64>) {
    let wanted = code.0;
    let wait = Duration::from_secs(secs.unwrap_or(DEFAULT_ALERT_WAIT_S));
    let deadline = crate::transport::deadline_after(wait);
    loop {
        let keys = w.ctx().keys.clone();
        let acb = w.ctx().identities.acb;
        let seen: Vec<Vec<u8>> = w.alerts.iter().map(|a| a.frame.clone()).collect();
        for alert in &seen {
            let frame = judge::header_of(alert);
            if frame
                .as_ref()
                .and_then(|f| f.header().message_code())
                .is_some_and(|c| c.0 == wanted)
            {
                if let Err(f) = judge::valid_alert(&keys, acb, alert) {
                    w.fail(step, f, String::new());
                }
                return;
            }
        }
        let now = std::time::Instant::now();
        if now >= deadline {
            let codes: Vec<String> = seen
                .iter()
                .filter_map(|a| judge::header_of(a).and_then(|f| f.header().message_code()))
                .map(|c| c.to_string())
                .collect();
            w.fail_now(
                step,
                FailureKind::Timeout,
                format!(
                    "no alert {code} within {} s (alerts seen: {})",
                    wait.as_secs(),
                    if codes.is_empty() {
                        "none".into()
                    } else {
                        codes.join(", ")
                    }
                ),
            );
        }
        match w.wait_alerts(deadline - now).await {
            Ok(more) => w.alerts.extend(more),
            Err(e) => w.fail_now(step, FailureKind::Transport, e.to_string()),
        }
    }
}

fn describe_tamper(sent: &super::world::Sent) -> String {
    match sent.tamper {
        Some(Tamper::BadMac) => "a command with a bad MAC".into(),
        Some(Tamper::BadSignature) => "a critical command with a bad signature".into(),
        Some(Tamper::Unsigned) => "an unsigned critical command".into(),
        // A replay is the genuine command again: it is told by its counter.
        None | Some(Tamper::ReplayedCounter) => {
            if sent.addressing.recipient == UNKNOWN_RECIPIENT {
                format!("a command addressed to another device ({UNKNOWN_RECIPIENT})")
            } else {
                format!(
                    "{} from {} (counter {})",
                    sent.use_case, sent.addressing.originator, sent.addressing.counter
                )
            }
        }
    }
}

async fn rejects(w: &mut HarnessWorld, step: &str) {
    let Some(sent) = &w.sent else {
        w.fail_now(
            step,
            FailureKind::Assertion,
            "no command was sent before this step",
        )
    };
    let what = describe_tamper(sent);
    let response = match &sent.outcome {
        Outcome::TimedOut(_) => return, // nothing came back: discarded
        Outcome::TransportFailed(e) => {
            let message = format!("while checking the device rejects {what}: {e}");
            w.fail_now(step, FailureKind::Transport, message)
        }
        Outcome::Answered(r) => match r.responses.first() {
            None => return,
            Some(f) => f.frame.clone(),
        },
    };
    let keys = w.ctx().keys.clone();
    let inspection =
        crate::inspect::Inspector::new(&keys, Some(w.ctx().identities.acb)).inspect(&response);
    if let Ok(i) = inspection {
        if let Ok(p) = &i.message.payload {
            if judge::reports_failure(p).is_some() {
                return;
            }
        }
    }
    w.fail_now(
        step,
        FailureKind::ExpectedRejection,
        format!("the device executed and answered {what}; it must discard it"),
    );
}
