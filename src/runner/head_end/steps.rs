//! The head-end step vocabulary: ask the head-end (through its trigger) to request a
//! service, judge what the DCC received, deliver responses and alerts to it and judge how it
//! answers. Documented with examples in `features/README.md` ("Head-ends under test").

use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cucumber::step::{Collection, Context};
use futures::future::LocalBoxFuture;
use regex::Regex;

use crate::codec::EntityId;
use crate::dcc::emulator::DccAlertRequest;
use crate::dcc::journal::{Entry, Verdict};
use crate::duis::codes::ResponseCode;
use crate::duis::keys::DCC_XML_SIGNER;
use crate::duis::request_id::{format_eui, RequestId};
use crate::duis::services::CommandVariant;
use crate::duis::xml::{self, DS_NS, SR_NS};
use crate::report::{Direction, FailureKind};

use super::super::judge::Finding;
use super::super::params::Device;
use super::super::world::HarnessWorld;
use super::judge::{self, verdict_line, Expected};
use super::stand::{Stand, Template, CALL_TIMEOUT};
use super::trigger::{Pulled, TriggerRequest};

/// DUIS shown in a failure's detail, per document, at most.
const MAX_SHOWN: usize = 4096;
/// How long the DCC's own delivery of a device's response may take to reach the head-end.
const DELIVERY_WAIT: Duration = Duration::from_secs(15);
/// How long after its trigger returned a head-end's first request may still arrive, and how
/// long after a delivery its inbox may take to show it: the contract asks for neither, but a
/// head-end that queues its work is not wrong for it.
const SETTLE: Duration = Duration::from_secs(2);
/// How often the inbox is read while waiting for it to settle.
const INBOX_POLL: Duration = Duration::from_millis(50);

/// A head-end scenario's state.
#[derive(Debug, Default)]
pub struct HeadEndScenario {
    /// The DCC issues pre-commands that differ from the request.
    pub tamper: bool,
    pub asked: Option<Asked>,
    pub delivered: Option<Delivered>,
}

/// What the head-end was asked to do and what the DCC then received.
#[derive(Debug)]
pub struct Asked {
    pub srv: String,
    pub user: EntityId,
    pub device: EntityId,
    pub template: Template,
    pub pulled: Pulled,
    /// Every request the DCC received after the trigger was pulled.
    pub entries: Vec<Entry>,
    /// The highest counter the User used before this request.
    pub previous_counter: Option<u64>,
    /// Deliveries the DCC had finished when the trigger was pulled.
    pub deliveries_before: u64,
}

impl Asked {
    /// The exchange's first request (not a CV 5).
    fn first(&self) -> Option<&Entry> {
        self.entries.iter().find(|e| {
            e.command_variant
                .is_none_or(|cv| !cv.is_signed_pre_command())
        })
    }

    fn request_id(&self) -> Option<RequestId> {
        self.first().and_then(|e| e.request_id)
    }
}

/// What the DCC delivered to the head-end, and how it answered.
#[derive(Debug)]
pub struct Delivered {
    pub what: Delivery,
    /// HTTP status per copy delivered.
    pub statuses: Vec<u16>,
    /// The id the head-end should record it under (RequestID of a response, ResponseID of
    /// an alert).
    pub id: Option<RequestId>,
    pub documents: Vec<String>,
}

/// What the DCC delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Response,
    ResponseTwice,
    BadSignature,
    Unsigned,
    SchemaInvalid,
    Xxe,
    NotXml,
    UnknownRequest,
    DeviceAlert,
    DccAlert,
}

const DELIVERIES: &[(&str, Delivery)] = &[
    ("the response to that request", Delivery::Response),
    (
        "the response to that request twice",
        Delivery::ResponseTwice,
    ),
    (
        "a response whose signature does not verify",
        Delivery::BadSignature,
    ),
    ("an unsigned response", Delivery::Unsigned),
    ("a schema-invalid response", Delivery::SchemaInvalid),
    ("an XXE document", Delivery::Xxe),
    ("a document that is not XML", Delivery::NotXml),
    (
        "a response to a request it never sent",
        Delivery::UnknownRequest,
    ),
    ("a device alert", Delivery::DeviceAlert),
    ("a DCC alert", Delivery::DccAlert),
];

impl FromStr for Delivery {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        DELIVERIES
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(_, d)| *d)
            .ok_or_else(|| {
                let names: Vec<_> = DELIVERIES.iter().map(|(n, _)| format!("\"{n}\"")).collect();
                format!(
                    "unknown delivery {s:?}: expected one of {}",
                    names.join(", ")
                )
            })
    }
}

impl Delivery {
    fn name(self) -> &'static str {
        DELIVERIES
            .iter()
            .find(|(_, d)| *d == self)
            .map_or("a delivery", |(n, _)| n)
    }

    fn is_alert(self) -> bool {
        matches!(self, Delivery::DeviceAlert | Delivery::DccAlert)
    }

    /// A conformant User system accepts it (2xx).
    fn acceptable(self) -> bool {
        matches!(
            self,
            Delivery::Response
                | Delivery::ResponseTwice
                | Delivery::DeviceAlert
                | Delivery::DccAlert
        )
    }
}

type Step = for<'a> fn(&'a mut HarnessWorld, Context) -> LocalBoxFuture<'a, ()>;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("step patterns are constants")
}

/// Adds the head-end steps to the vocabulary.
pub fn register(c: Collection<HarnessWorld>) -> Collection<HarnessWorld> {
    let device = <Device as cucumber::Parameter>::REGEX;
    let steps: [(&str, &str, Step); 11] = [
        (
            "given",
            r"^the DCC tampers with the pre-command$",
            given_tamper,
        ),
        (
            "when",
            r"^the head-end is asked to (?P<what>.+) \(SRV (?P<srv>[0-9.]+)\)$",
            when_asked,
        ),
        ("when", r"^the DCC delivers (?P<what>.+)$", when_delivers),
        ("then", "", then_valid_request),
        (
            "then",
            r"^it signs the pre-command it was given$",
            then_signs,
        ),
        (
            "then",
            r"^it refuses to sign a pre-command that does not match its request$",
            then_refuses_to_sign,
        ),
        (
            "then",
            r"^the DCC acknowledges the request with (?P<code>[IEW]\d+)$",
            then_acknowledged,
        ),
        ("then", r"^the head-end accepts it$", then_accepts),
        ("then", r"^the head-end rejects it$", then_rejects),
        ("then", r"^the head-end records it once$", then_records_once),
        (
            "then",
            r"^the head-end records the response to its request$",
            then_records_response,
        ),
    ];
    let valid = format!(
        r"^it sends a valid service request for (?P<srv>[0-9.]+) to the (?P<device>DCC|{device})$"
    );
    let mut c = c;
    for (kind, pattern, f) in steps {
        let pattern = if pattern.is_empty() {
            valid.as_str()
        } else {
            pattern
        };
        c = match kind {
            "given" => c.given(None, re(pattern), f),
            "when" => c.when(None, re(pattern), f),
            _ => c.then(None, re(pattern), f),
        };
    }
    c.then(
        None,
        re(r"^the head-end records the alert$"),
        then_records_alert,
    )
}

fn text(ctx: &Context) -> String {
    format!("{}{}", ctx.step.keyword, ctx.step.value)
}

fn capture(ctx: &Context, name: &str) -> String {
    ctx.matches
        .iter()
        .find(|(n, _)| n.as_deref() == Some(name))
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

fn stand(w: &mut HarnessWorld, step: &str) -> Arc<Stand> {
    match w.ctx().head_end.clone() {
        Some(s) => s,
        None => w.fail_now(
            step,
            FailureKind::Assertion,
            "this step needs a head-end profile (a [head_end] section)",
        ),
    }
}

fn asked<'w>(w: &'w mut HarnessWorld, step: &str) -> &'w Asked {
    if w.head_end.asked.is_none() {
        w.fail_now(
            step,
            FailureKind::Assertion,
            "no request yet: a step `When the head-end is asked to … (SRV …)` comes first",
        );
    }
    w.head_end.asked.as_ref().expect("checked above")
}

/// Fails the step with a finding and the DUIS the DCC received as detail.
fn fail(w: &mut HarnessWorld, step: &str, finding: Finding) -> ! {
    let details = w
        .head_end
        .asked
        .as_ref()
        .map(exchange_details)
        .unwrap_or_default();
    w.fail(step, finding, details)
}

fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_SHOWN)]).into_owned();
    if bytes.len() > MAX_SHOWN {
        format!("{text}… ({} bytes in all)", bytes.len())
    } else {
        text
    }
}

fn exchange_details(a: &Asked) -> String {
    let mut out = format!(
        "asked: SRV {} as {} to {} with {}\ntrigger: {} {}\n",
        a.srv,
        format_eui(&a.user),
        format_eui(&a.device),
        a.template.path.display(),
        a.pulled.status,
        a.pulled.output.lines().next().unwrap_or("")
    );
    if a.entries.is_empty() {
        out.push_str("the DCC received nothing\n");
    }
    for e in &a.entries {
        out.push_str(&format!(
            "DCC received #{} on {}: {}\n{}\n",
            e.seq,
            e.url.path(),
            verdict_line(&e.verdict),
            shown(&e.body)
        ));
    }
    out
}

fn given_tamper<'a>(w: &'a mut HarnessWorld, _ctx: Context) -> LocalBoxFuture<'a, ()> {
    Box::pin(async move {
        w.head_end.tamper = true;
    })
}

fn when_asked<'a>(w: &'a mut HarnessWorld, ctx: Context) -> LocalBoxFuture<'a, ()> {
    Box::pin(async move {
        let step = text(&ctx);
        let srv = capture(&ctx, "srv");
        let stand = stand(w, &step);
        let Some(template) = stand.template(&srv).cloned() else {
            w.fail_now(
                &step,
                FailureKind::Assertion,
                format!("the templates folder holds no request for SRV {srv}"),
            )
        };
        let Some((user, _role)) = stand.user_for(&srv, &template) else {
            w.fail_now(
                &step,
                FailureKind::Assertion,
                format!("none of the profile's [head_end] users is eligible for SRV {srv}"),
            )
        };
        let device = template.request.header.request_id.target;
        // A template for a device the DCC does not have is the profile's mistake, not the
        // head-end's: said before the trigger is pulled.
        if template.request.header.command_variant != CommandVariant::NonDevice
            && !stand.devices.contains_key(&device)
        {
            w.fail_now(
                &step,
                FailureKind::Assertion,
                format!(
                    "the template {} targets {}, which is not a device behind the DCC",
                    template.path.display(),
                    format_eui(&device)
                ),
            )
        }
        stand.emulator.set_tampered_pre_commands(w.head_end.tamper);
        let journal = stand.emulator.journal();
        let mark = journal.mark();
        let deliveries_before = {
            let d = stand.emulator.stats().deliveries;
            d.delivered + d.failed + d.dropped
        };
        let request = TriggerRequest {
            srv: srv.clone(),
            user: format_eui(&user),
            device: format_eui(&device),
            template: std::path::absolute(&template.path)
                .unwrap_or_else(|_| template.path.clone())
                .display()
                .to_string(),
            dcc_url: stand.dcc_url.clone(),
        };
        let pulled = stand
            .settings
            .trigger
            .pull(&request, stand.settings.trigger_timeout, stand.client())
            .await;
        stand.emulator.set_tampered_pre_commands(false);
        let pulled = match pulled {
            Ok(p) => p,
            Err(e) => w.fail_now(
                &step,
                FailureKind::NoRequest,
                format!("the trigger failed: {e}"),
            ),
        };
        let mut entries = journal.since(mark);
        if entries.is_empty() && journal.wait_for(mark, SETTLE, |_| true).await.is_some() {
            entries = journal.since(mark);
        }
        for e in &entries {
            w.note_document(Direction::Received, &e.body, e.at, judge::request_line(e));
        }
        // The counters of this exchange's requests, against the User's earlier ones.
        let mut previous_counter = None;
        for (i, id) in entries.iter().filter_map(|e| e.request_id).enumerate() {
            if id.originator == user {
                let before = stand.note_counter(user, id.counter);
                if i == 0 {
                    previous_counter = before;
                }
            }
        }
        w.head_end.asked = Some(Asked {
            srv,
            user,
            device,
            template,
            pulled,
            entries,
            previous_counter,
            deliveries_before,
        });
        let a = w.head_end.asked.as_ref().expect("just set");
        if a.entries.is_empty() {
            let line = format!(
                "the head-end sent the DCC nothing (trigger: {}{})",
                a.pulled.status,
                a.pulled
                    .output
                    .lines()
                    .next()
                    .map(|l| format!(", {l}"))
                    .unwrap_or_default()
            );
            fail(w, &step, Finding::new(FailureKind::NoRequest, line));
        }
    })
}

fn then_valid_request<'a>(w: &'a mut HarnessWorld, ctx: Context) -> LocalBoxFuture<'a, ()> {
    Box::pin(async move {
        let step = text(&ctx);
        let srv = capture(&ctx, "srv");
        // `the DCC` for a non-device service (command variant 8), else a device type.
        let named = capture(&ctx, "device");
        let device: Option<Device> = match named.as_str() {
            "DCC" => None,
            other => match other.parse() {
                Ok(d) => Some(d),
                Err(e) => w.fail_now(&step, FailureKind::Assertion, format!("{e}")),
            },
        };
        let stand = stand(w, &step);
        let a = asked(w, &step);
        let kind = stand.devices.get(&a.device).copied();
        let verdict = match a.first() {
            None => Err(Finding::new(
                FailureKind::NoRequest,
                "the head-end sent no service request (only signed pre-commands)",
            )),
            Some(first) => judge::request(
                first,
                &Expected {
                    srv: &srv,
                    user: a.user,
                    device: a.device,
                    template: &a.template,
                    previous_counter: a.previous_counter,
                },
            )
            .map(|_| ()),
        };
        let verdict = verdict.and_then(|()| match (device, kind) {
            (None, _) if a.device == DCC_XML_SIGNER => Ok(()),
            (Some(Device(want)), Some(k)) if k == want => Ok(()),
            (want, other) => Err(Finding::new(
                FailureKind::RequestId,
                format!(
                    "it targets {} ({}), not the {}",
                    format_eui(&a.device),
                    other.map_or("not a device behind the DCC", |k| k.tag()),
                    want.map_or("DCC", |d| d.0.tag())
                ),
            )),
        });
        if let Err(f) = verdict {
            fail(w, &step, f);
        }
    })
}

fn first_cv4(w: &mut HarnessWorld, step: &str) -> (Entry, Vec<Entry>) {
    let a = asked(w, step);
    let first = a.first().cloned();
    let entries = a.entries.clone();
    match first {
        Some(f) if f.command_variant == Some(CommandVariant::Transform) => (f, entries),
        Some(f) => fail(
            w,
            step,
            Finding::new(
                FailureKind::CommandVariant,
                format!(
                    "the request was sent as command variant {}, not 4 (a critical service's pre-command flow)",
                    f.command_variant.map_or("(unreadable)".into(), |c| c.to_string())
                ),
            ),
        ),
        None => fail(
            w,
            step,
            Finding::new(FailureKind::NoRequest, "the head-end sent no service request"),
        ),
    }
}

fn then_signs<'a>(w: &'a mut HarnessWorld, ctx: Context) -> LocalBoxFuture<'a, ()> {
    Box::pin(async move {
        let step = text(&ctx);
        let (first, entries) = first_cv4(w, &step);
        if let Err(f) = judge::signed_pre_command(&first, &entries) {
            fail(w, &step, f);
        }
    })
}

fn then_refuses_to_sign<'a>(w: &'a mut HarnessWorld, ctx: Context) -> LocalBoxFuture<'a, ()> {
    Box::pin(async move {
        let step = text(&ctx);
        let (first, entries) = first_cv4(w, &step);
        if let Err(f) = judge::refused_pre_command(&first, &entries) {
            fail(w, &step, f);
        }
    })
}

fn then_acknowledged<'a>(w: &'a mut HarnessWorld, ctx: Context) -> LocalBoxFuture<'a, ()> {
    Box::pin(async move {
        let step = text(&ctx);
        let want = capture(&ctx, "code");
        let a = asked(w, &step);
        let got = a.first().map(|e| verdict_line(&e.verdict));
        let ok = matches!(
            a.first().map(|e| &e.verdict),
            Some(Verdict::Accepted { code }) if code.as_str() == want
        );
        if !ok {
            let line = format!(
                "the DCC answered {}, not {want}",
                got.unwrap_or_else(|| "nothing".into())
            );
            fail(w, &step, Finding::new(FailureKind::Correlation, line));
        }
    })
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// The documents a delivery is made of, and the id the head-end should record it under.
fn documents(
    stand: &Stand,
    what: Delivery,
    asked: Option<&Asked>,
) -> Result<(Vec<Vec<u8>>, Option<RequestId>), String> {
    let sent = asked.and_then(Asked::request_id);
    let srv = asked.map_or("4.1.1", |a| a.srv.as_str());
    let user = asked
        .map(|a| a.user)
        .or_else(|| stand.settings.users.keys().next().copied())
        .ok_or("no DCC User")?;
    let device = asked
        .map(|a| a.device)
        .or_else(|| stand.devices.keys().next().copied())
        .ok_or("no device")?;
    let need_sent =
        || sent.ok_or("no request of the head-end's to answer (the trigger step comes first)");
    let e = &stand.emulator;
    let response = |id: &RequestId| e.response_to(id, srv, ResponseCode::I0).into_bytes();
    Ok(match what {
        Delivery::Response => {
            let id = need_sent()?;
            (vec![response(&id)], Some(id))
        }
        Delivery::ResponseTwice => {
            let id = need_sent()?;
            let doc = response(&id);
            (vec![doc.clone(), doc], Some(id))
        }
        Delivery::BadSignature => {
            let id = need_sent()?;
            let text = String::from_utf8(response(&id)).map_err(|e| e.to_string())?;
            (vec![spoil(&text)?.into_bytes()], Some(id))
        }
        Delivery::Unsigned => {
            let id = need_sent()?;
            let mut doc = xml::parse(&response(&id)).map_err(|e| e.to_string())?;
            doc.root.remove_children(DS_NS, "Signature");
            (vec![doc.to_xml().into_bytes()], Some(id))
        }
        Delivery::SchemaInvalid => {
            let id = need_sent()?;
            let mut doc = xml::parse(&response(&id)).map_err(|e| e.to_string())?;
            doc.root.remove_children(DS_NS, "Signature");
            // A response code outside the schema's enumeration, correctly signed: only a
            // schema check finds it.
            if let Some(code) = doc
                .root
                .child_mut(SR_NS, "Header")
                .and_then(|h| h.child_mut(SR_NS, "ResponseCode"))
            {
                code.children = vec![xml::Node::Text("Q99".into())];
            }
            (vec![e.signed(doc).into_bytes()], Some(id))
        }
        Delivery::Xxe => (
            vec![format!(
                "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<sr:Response xmlns:sr=\"{SR_NS}\">&x;</sr:Response>\n"
            )
            .into_bytes()],
            None,
        ),
        Delivery::NotXml => (vec![b"this is not XML\n".to_vec()], None),
        Delivery::UnknownRequest => {
            // A counter the head-end never reached: far above anything it sent.
            let base = sent.map_or(now_ms(), |id| id.counter);
            let id = RequestId::new(user, device, base.saturating_add(1_000_000_000));
            (vec![response(&id)], Some(id))
        }
        Delivery::DeviceAlert => {
            let frame = stand.alert_frame().ok_or("no recorded device alert in the golden vectors")?;
            let doc = e
                .device_alert(&frame, Some(user))
                .ok_or("the recorded device alert does not decode")?;
            let id = response_id(&doc);
            (vec![doc.into_bytes()], id)
        }
        Delivery::DccAlert => {
            let doc = e.dcc_alert_document(&DccAlertRequest {
                code: "N24".into(),
                device: Some(format_eui(&device)),
                recipient: Some(format_eui(&user)),
                event: Some("power-outage".into()),
            })?;
            let id = response_id(&doc);
            (vec![doc.into_bytes()], id)
        }
    })
}

/// Breaks a signed document's signature by changing its response date-time after signing.
fn spoil(text: &str) -> Result<String, String> {
    let open = "ResponseDateTime>";
    let start = text.find(open).ok_or("no ResponseDateTime to change")? + open.len();
    let end = start
        + text[start..]
            .find('<')
            .ok_or("unterminated ResponseDateTime")?;
    Ok(format!(
        "{}2000-01-01T00:00:00.000Z{}",
        &text[..start],
        &text[end..]
    ))
}

fn response_id(doc: &str) -> Option<RequestId> {
    let d = xml::parse(doc.as_bytes()).ok()?;
    d.root
        .child(SR_NS, "Header")?
        .child(SR_NS, "ResponseID")?
        .text()
        .trim()
        .parse()
        .ok()
}

fn when_delivers<'a>(w: &'a mut HarnessWorld, ctx: Context) -> LocalBoxFuture<'a, ()> {
    Box::pin(async move {
        let step = text(&ctx);
        let what: Delivery = match capture(&ctx, "what").parse() {
            Ok(d) => d,
            Err(e) => w.fail_now(&step, FailureKind::Assertion, e),
        };
        let stand = stand(w, &step);
        let (docs, id) = match documents(&stand, what, w.head_end.asked.as_ref()) {
            Ok(d) => d,
            Err(e) => w.fail_now(
                &step,
                FailureKind::Assertion,
                format!("cannot make {}: {e}", what.name()),
            ),
        };
        let mut statuses = Vec::new();
        for doc in &docs {
            let at = Instant::now();
            let answered = stand.deliver(doc.clone()).await;
            let head_end = match &answered {
                Ok(status) => format!("HTTP {status}"),
                Err(e) => e.clone(),
            };
            w.note_document(
                Direction::Sent,
                doc,
                at,
                format!(
                    "DUIS delivery of {} to {}; head-end: {head_end}",
                    what.name(),
                    stand.settings.callback
                ),
            );
            match answered {
                Ok(s) => statuses.push(s),
                Err(e) => {
                    let kind = if what.is_alert() {
                        FailureKind::AlertHandling
                    } else {
                        FailureKind::Receipt
                    };
                    w.fail_now(
                        &step,
                        kind,
                        format!(
                            "the head-end did not answer {} at {}: {e}",
                            what.name(),
                            stand.settings.callback
                        ),
                    )
                }
            }
        }
        w.head_end.delivered = Some(Delivered {
            what,
            statuses,
            id,
            documents: docs.iter().map(|d| shown(d)).collect(),
        });
    })
}

fn delivered<'w>(w: &'w mut HarnessWorld, step: &str) -> &'w Delivered {
    if w.head_end.delivered.is_none() {
        w.fail_now(
            step,
            FailureKind::Assertion,
            "nothing delivered yet: a step `When the DCC delivers …` comes first",
        );
    }
    w.head_end.delivered.as_ref().expect("checked above")
}

fn fail_delivery(w: &mut HarnessWorld, step: &str, kind: FailureKind, line: String) -> ! {
    let details = w
        .head_end
        .delivered
        .as_ref()
        .map(|d| {
            d.documents
                .iter()
                .zip(&d.statuses)
                .map(|(doc, s)| format!("delivered (answered HTTP {s}):\n{doc}"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();
    w.fail(step, Finding::new(kind, line), details)
}

fn then_accepts<'a>(w: &'a mut HarnessWorld, ctx: Context) -> LocalBoxFuture<'a, ()> {
    Box::pin(async move {
        let step = text(&ctx);
        let d = delivered(w, &step);
        let (what, statuses) = (d.what, d.statuses.clone());
        if let Some(bad) = statuses.iter().find(|s| !(200..300).contains(*s)) {
            let kind = if what.is_alert() {
                FailureKind::AlertHandling
            } else {
                FailureKind::Receipt
            };
            let line = format!(
                "the head-end answered HTTP {bad} to {}: it must accept it (2xx)",
                what.name()
            );
            fail_delivery(w, &step, kind, line);
        }
        if !what.acceptable() {
            let line = format!(
                "{} is not something a User system should accept",
                what.name()
            );
            fail_delivery(w, &step, FailureKind::Assertion, line);
        }
    })
}

fn then_rejects<'a>(w: &'a mut HarnessWorld, ctx: Context) -> LocalBoxFuture<'a, ()> {
    Box::pin(async move {
        let step = text(&ctx);
        let d = delivered(w, &step);
        let (what, statuses) = (d.what, d.statuses.clone());
        for s in statuses {
            let line = match s {
                400..=499 => continue,
                200..=299 => format!("the head-end accepted (HTTP {s}) {}: it must refuse it (4xx)", what.name()),
                _ => format!(
                    "the head-end answered HTTP {s} to {}: a refusal is a 4xx, not an error of its own",
                    what.name()
                ),
            };
            fail_delivery(w, &step, FailureKind::Receipt, line);
        }
    })
}

/// The head-end's inbox once `settled` holds of it, or as it is after [`SETTLE`]; the step
/// fails when it cannot be read.
async fn inbox(
    w: &mut HarnessWorld,
    step: &str,
    kind: FailureKind,
    settled: impl Fn(&[super::stand::InboxEntry]) -> bool,
) -> Vec<super::stand::InboxEntry> {
    let stand = stand(w, step);
    let deadline = Instant::now() + SETTLE;
    loop {
        match stand.inbox().await {
            Ok(i) if settled(&i) || Instant::now() >= deadline => return i,
            Ok(_) => tokio::time::sleep(INBOX_POLL).await,
            Err(e) => w.fail_now(
                step,
                kind,
                format!("cannot read what the head-end received: {e}"),
            ),
        }
    }
}

fn same_id(text: &str, id: &RequestId) -> bool {
    text.trim().parse::<RequestId>().is_ok_and(|got| got == *id)
}

fn then_records_once<'a>(w: &'a mut HarnessWorld, ctx: Context) -> LocalBoxFuture<'a, ()> {
    Box::pin(async move {
        let step = text(&ctx);
        let d = delivered(w, &step);
        let Some(id) = d.id else {
            w.fail_now(
                &step,
                FailureKind::Assertion,
                "the delivery names no request",
            );
        };
        let kind = if d.what.is_alert() {
            "alert"
        } else {
            "response"
        };
        let count = |entries: &[super::stand::InboxEntry]| {
            entries
                .iter()
                .filter(|e| e.kind.contains(kind) && same_id(&e.request_id, &id))
                .count()
        };
        // Settled only once a second copy shows: a head-end that records late must have its
        // time to show a duplicate too.
        let entries = inbox(w, &step, FailureKind::Duplicate, |i| count(i) > 1).await;
        let n = count(&entries);
        if n != 1 {
            let line = if n == 0 {
                format!("the head-end recorded no {kind} for {id}")
            } else {
                format!("the head-end recorded the {kind} for {id} {n} times: a duplicate delivery must be handled once")
            };
            let kind = if n == 0 {
                FailureKind::Correlation
            } else {
                FailureKind::Duplicate
            };
            fail_delivery(w, &step, kind, line);
        }
    })
}

fn then_records_alert<'a>(w: &'a mut HarnessWorld, ctx: Context) -> LocalBoxFuture<'a, ()> {
    Box::pin(async move {
        let step = text(&ctx);
        let d = delivered(w, &step);
        let (what, id) = (d.what, d.id);
        if !what.is_alert() {
            w.fail_now(
                &step,
                FailureKind::Assertion,
                "the last delivery was not an alert",
            );
        }
        let wanted = if what == Delivery::DeviceAlert {
            "device_alert"
        } else {
            "dcc_alert"
        };
        let recorded = |entries: &[super::stand::InboxEntry]| {
            entries
                .iter()
                .any(|e| e.kind == wanted && id.is_none_or(|id| same_id(&e.request_id, &id)))
        };
        let found = recorded(&inbox(w, &step, FailureKind::AlertHandling, recorded).await);
        if !found {
            let line = format!(
                "the head-end did not record {} ({})",
                what.name(),
                id.map_or_else(|| "no id".into(), |i| i.to_string())
            );
            fail_delivery(w, &step, FailureKind::AlertHandling, line);
        }
    })
}

fn then_records_response<'a>(w: &'a mut HarnessWorld, ctx: Context) -> LocalBoxFuture<'a, ()> {
    Box::pin(async move {
        let step = text(&ctx);
        let stand = stand(w, &step);
        let a = asked(w, &step);
        let (Some(id), before) = (a.request_id(), a.deliveries_before) else {
            fail(
                w,
                &step,
                Finding::new(FailureKind::NoRequest, "the head-end sent no request"),
            );
        };
        // The DCC's own delivery of the device's response: wait until it has been made.
        stand
            .emulator
            .wait_for_deliveries(DELIVERY_WAIT, |c| {
                c.delivered + c.failed + c.dropped > before
            })
            .await;
        let answered = |entries: &[super::stand::InboxEntry]| {
            entries.iter().any(|e| {
                e.kind == "response" && same_id(&e.request_id, &id) && e.response_code != "I99"
            })
        };
        let entries = inbox(w, &step, FailureKind::Correlation, answered).await;
        let mine: Vec<_> = entries
            .iter()
            .filter(|e| e.kind == "response" && same_id(&e.request_id, &id))
            .collect();
        let line = match mine.as_slice() {
            [] => format!(
                "the head-end recorded no response for its request {id} (the DCC delivered it to {}; waited at most {:.0} s)",
                stand.settings.callback,
                DELIVERY_WAIT.as_secs_f64().max(CALL_TIMEOUT.as_secs_f64())
            ),
            [one] => match stand.emulator.final_code(&id) {
                Some(sent) if one.response_code == sent.as_str() => return,
                Some(sent) => format!(
                    "the head-end recorded {} for {id}, where the DCC's later response is {}",
                    one.response_code,
                    sent.as_str()
                ),
                None if one.response_code != "I99" => return,
                None => format!(
                    "the head-end recorded {} where the response is the later I0",
                    one.response_code
                ),
            },
            many => format!("the head-end recorded {} responses for {id}", many.len()),
        };
        fail(w, &step, Finding::new(FailureKind::Correlation, line));
    })
}
