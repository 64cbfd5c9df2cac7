//! What a head-end's request must be, judged from what the DCC received (the emulator's
//! journal) against what the scenario asked for. Every failure has its own kind, so a JUnit
//! report says *what* the head-end got wrong: schema, XML signature, RequestID, counter,
//! command variant, role, pre-command, body.

use crate::codec::EntityId;
use crate::dcc::emulator::Check;
use crate::dcc::journal::{Entry, Verdict};
use crate::duis::request::{Request, RequestBody};
use crate::duis::request_id::format_eui;
use crate::duis::services::{self, CommandVariant};
use crate::duis::validate::is_date_or_date_time;
use crate::duis::xml::{self, Element, Node};
use crate::report::FailureKind;

use super::super::judge::Finding;
use super::stand::Template;

fn finding(kind: FailureKind, message: impl Into<String>) -> Finding {
    Finding::new(kind, message)
}

/// What the scenario asked the head-end to send.
pub struct Expected<'a> {
    pub srv: &'a str,
    pub user: EntityId,
    pub device: EntityId,
    pub template: &'a Template,
    /// The highest counter the User used earlier in the run.
    pub previous_counter: Option<u64>,
}

/// Whether a DCC check's failure is the head-end's fault. The transform and unsupported
/// variants are the DCC's own limits (the emulator cannot carry the request out): the
/// request itself passed every check the DCC makes of a User's request.
pub fn blames_the_head_end(check: Check) -> bool {
    !matches!(check, Check::Transform | Check::Unsupported)
}

/// The failure kind a DCC check's refusal is.
pub fn kind_of(check: Check) -> FailureKind {
    match check {
        Check::Schema => FailureKind::DuisSchema,
        Check::Signature => FailureKind::XmlSignature,
        Check::UnknownUser | Check::Role => FailureKind::Role,
        Check::WrongUrl | Check::ServiceVariant => FailureKind::CommandVariant,
        Check::UnknownDevice => FailureKind::RequestId,
        Check::Counter => FailureKind::Counter,
        Check::PreCommandDiffers | Check::PreCommandSignature => FailureKind::PreCommand,
        Check::Transform | Check::Unsupported => FailureKind::Assertion,
    }
}

/// Judges the first request of an exchange (CV 1, 4 or 8: not the CV 5 that follows).
pub fn request(entry: &Entry, want: &Expected) -> Result<Request, Finding> {
    if let Verdict::Http { status, reason } = &entry.verdict {
        return Err(finding(
            FailureKind::DuisSchema,
            format!("the DCC refused it with HTTP {status}: {reason}"),
        ));
    }
    let request = xml::parse(&entry.body)
        .map_err(|e| e.to_string())
        .and_then(|d| Request::from_document(&d).map_err(|e| e.to_string()));
    if let Verdict::Refused {
        check: Check::Schema,
        code,
        reason,
    } = &entry.verdict
    {
        return Err(finding(
            FailureKind::DuisSchema,
            format!("not a valid DUIS request ({code}): {reason}"),
        ));
    }
    let request = request
        .map_err(|e| finding(FailureKind::DuisSchema, format!("not a DUIS request: {e}")))?;
    let h = &request.header;
    if h.request_id.originator != want.user {
        return Err(finding(
            FailureKind::RequestId,
            format!(
                "RequestID {} names originator {}, not the User {}",
                h.request_id,
                format_eui(&h.request_id.originator),
                format_eui(&want.user)
            ),
        ));
    }
    if h.request_id.target != want.device {
        return Err(finding(
            FailureKind::RequestId,
            format!(
                "RequestID {} targets {}, not the device {}",
                h.request_id,
                format_eui(&h.request_id.target),
                format_eui(&want.device)
            ),
        ));
    }
    if h.service_reference_variant != want.srv {
        return Err(finding(
            FailureKind::RequestBody,
            format!(
                "it asked for SRV {}, not {}",
                h.service_reference_variant, want.srv
            ),
        ));
    }
    if let Some(service) = services::find(want.srv) {
        let first = service.first_command_variant();
        if h.command_variant != first {
            return Err(finding(
                FailureKind::CommandVariant,
                format!(
                    "command variant {} for SRV {}{}: it must be sent as {first}",
                    h.command_variant,
                    want.srv,
                    if service.critical { " (critical)" } else { "" },
                ),
            ));
        }
    }
    if let Verdict::Refused {
        check,
        code,
        reason,
    } = &entry.verdict
    {
        if blames_the_head_end(*check) {
            return Err(finding(
                kind_of(*check),
                format!("the DCC refused it ({code}, {check:?}): {reason}"),
            ));
        }
    }
    if let Some(before) = want.previous_counter {
        if h.request_id.counter <= before {
            return Err(finding(
                FailureKind::Counter,
                format!(
                    "counter {} is not above {before}, the User's highest earlier in the run",
                    h.request_id.counter
                ),
            ));
        }
    }
    body(&request, want)?;
    Ok(request)
}

/// The request body is the template's, but for the values the head-end chooses: date-times
/// (compared by type) and the device id (the one asked for).
fn body(request: &Request, want: &Expected) -> Result<(), Finding> {
    let (RequestBody::Service(got), RequestBody::Service(template)) =
        (&request.body, &want.template.request.body)
    else {
        return Err(finding(
            FailureKind::RequestBody,
            format!(
                "body {} where the template has {}",
                request.body.local_name(),
                want.template.request.body.local_name()
            ),
        ));
    };
    let ids = (
        format_eui(&want.template.request.header.request_id.target),
        format_eui(&want.device),
    );
    compare(template, got, &format!("/{}", template.name.local), &ids)
        .map_err(|m| finding(FailureKind::RequestBody, m))
}

fn elements(e: &Element) -> Vec<&Element> {
    e.children
        .iter()
        .filter_map(|n| match n {
            Node::Element(c) => Some(c),
            _ => None,
        })
        .collect()
}

fn compare(
    want: &Element,
    got: &Element,
    path: &str,
    (template_device, device): &(String, String),
) -> Result<(), String> {
    if want.name.local != got.name.local || want.namespace != got.namespace {
        return Err(format!(
            "{path}: element {} where the template has {}",
            got.name.local, want.name.local
        ));
    }
    attributes(want, got, path)?;
    let (w, g) = (elements(want), elements(got));
    if w.is_empty() && g.is_empty() {
        let (a, b) = (want.text(), got.text());
        let (a, b) = (a.trim(), b.trim());
        let chosen = (is_date_or_date_time(a) && is_date_or_date_time(b))
            || (a.eq_ignore_ascii_case(template_device) && b.eq_ignore_ascii_case(device));
        if a != b && !chosen {
            return Err(format!("{path} is {b:?}, not {a:?}"));
        }
        return Ok(());
    }
    if w.len() != g.len() {
        return Err(format!(
            "{path} has {} elements, the template {}",
            g.len(),
            w.len()
        ));
    }
    for (i, (a, b)) in w.iter().zip(&g).enumerate() {
        compare(
            a,
            b,
            &format!("{path}/{}[{i}]", a.name.local),
            &(template_device.clone(), device.clone()),
        )?;
    }
    Ok(())
}

/// The attributes (`index`, `identifier`, ...) as the template has them: the same set, by
/// namespace and local name (prefixes are the writer's choice), with the same values.
fn attributes(want: &Element, got: &Element, path: &str) -> Result<(), String> {
    let key = |a: &xml::Attribute| (a.namespace.clone(), a.name.local.clone());
    let mut w: Vec<_> = want.attributes.iter().map(|a| (key(a), &a.value)).collect();
    let mut g: Vec<_> = got.attributes.iter().map(|a| (key(a), &a.value)).collect();
    w.sort();
    g.sort();
    if w == g {
        return Ok(());
    }
    let shown = |attrs: &[((Option<String>, String), &String)]| {
        attrs
            .iter()
            .map(|((_, name), value)| format!("{name}={value:?}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    Err(format!(
        "{path} has attributes [{}], the template [{}]",
        shown(&g),
        shown(&w)
    ))
}

/// The DCC must have issued a pre-command for the request (it did not when it refused the
/// request): otherwise there is nothing to judge, and the request's verdict says why.
fn no_pre_command(first: &Entry) -> Result<(), Finding> {
    if first.pre_command.is_some() {
        return Ok(());
    }
    let kind = match &first.verdict {
        Verdict::Refused { check, .. } if !blames_the_head_end(*check) => FailureKind::Assertion,
        _ => FailureKind::PreCommand,
    };
    Err(finding(
        kind,
        format!(
            "the DCC issued no pre-command for the request: {}",
            verdict_line(&first.verdict)
        ),
    ))
}

/// A verdict in one line.
pub fn verdict_line(v: &Verdict) -> String {
    match v {
        Verdict::Accepted { code } => format!("accepted, {code}"),
        Verdict::Refused {
            check,
            code,
            reason,
        } => format!("refused {code} ({check:?}): {reason}"),
        Verdict::Http { status, reason } => format!("HTTP {status}: {reason}"),
    }
}

/// A request the DCC received, in one line for the line traffic: where it was posted, its
/// service, command variant and RequestID as written, and the DCC's verdict.
pub fn request_line(e: &Entry) -> String {
    let srv = if e.service_reference_variant.is_empty() {
        "(no service)"
    } else {
        &e.service_reference_variant
    };
    let cv = e.command_variant.map_or_else(
        || "(no command variant)".to_string(),
        |cv| format!("CV {cv}"),
    );
    let id = e
        .request_id
        .map_or_else(|| "(no RequestID)".to_string(), |id| id.to_string());
    format!(
        "DUIS request #{} to {}: SRV {srv} {cv} RequestID {id}; DCC: {}",
        e.seq,
        e.url.path(),
        verdict_line(&e.verdict)
    )
}

/// The CV 5 that signed the pre-command of `first` (a CV 4), judged: sent, and accepted by the
/// DCC's checks (exactly the pre-command issued, signed by the User's GBCS key).
pub fn signed_pre_command(first: &Entry, later: &[Entry]) -> Result<(), Finding> {
    no_pre_command(first)?;
    let Some(cv5) = later.iter().find(|e| answers_pre_command(first, e)) else {
        return Err(finding(
            FailureKind::PreCommand,
            "the head-end never sent the signed pre-command (CV 5) for its request",
        ));
    };
    match &cv5.verdict {
        Verdict::Accepted { .. } => Ok(()),
        Verdict::Refused {
            check,
            code,
            reason,
        } if blames_the_head_end(*check) => Err(finding(
            match check {
                Check::Schema => FailureKind::DuisSchema,
                Check::Signature => FailureKind::XmlSignature,
                _ => FailureKind::PreCommand,
            },
            format!("the DCC refused the signed pre-command ({code}, {check:?}): {reason}"),
        )),
        Verdict::Refused { .. } => Ok(()),
        Verdict::Http { status, reason } => Err(finding(
            FailureKind::DuisSchema,
            format!("the signed pre-command was refused with HTTP {status}: {reason}"),
        )),
    }
}

/// Whether `e` is the signed pre-command (CV 5, 6 or 7) that answers `first`'s: sent after
/// it, under its RequestID. A resent CV 4 under the same RequestID is not one.
fn answers_pre_command(first: &Entry, e: &Entry) -> bool {
    e.seq > first.seq
        && e.request_id == first.request_id
        && e.command_variant
            .is_some_and(CommandVariant::is_signed_pre_command)
}

/// After the DCC issued a pre-command that differs from the request, the head-end must not
/// have signed it.
pub fn refused_pre_command(first: &Entry, later: &[Entry]) -> Result<(), Finding> {
    no_pre_command(first)?;
    match later.iter().find(|e| answers_pre_command(first, e)) {
        None => Ok(()),
        Some(_) => Err(finding(
            FailureKind::PreCommand,
            "the head-end signed and sent (CV 5) a pre-command that differs from its request",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_are_recognised_as_chosen_values() {
        for s in [
            "2024-01-31",
            "2024-01-31T00:00:00Z",
            "2024-01-31T10:20:30.123+01:00",
            "2024-01-31Z",
        ] {
            assert!(is_date_or_date_time(s), "{s}");
        }
        for s in [
            "",
            "2024-1-31",
            "20240131",
            "1234",
            "2024-01-31T1",
            "00-DB-12-34",
        ] {
            assert!(!is_date_or_date_time(s), "{s}");
        }
    }

    fn el(xml: &str) -> Element {
        xml::parse(xml.as_bytes()).unwrap().root
    }

    #[test]
    fn bodies_match_but_for_chosen_values() {
        let ids = (
            "00-DB-12-34-56-78-90-A0".to_string(),
            "00-DB-12-34-56-78-90-A6".to_string(),
        );
        let t = el("<a xmlns='u'><From>2024-01-01T00:00:00Z</From><N>5</N><D>00-DB-12-34-56-78-90-A0</D></a>");
        let same = el("<a xmlns='u'><From>2026-12-02T18:00:00Z</From><N>5</N><D>00-DB-12-34-56-78-90-A6</D></a>");
        assert_eq!(compare(&t, &same, "/a", &ids), Ok(()));
        let value = el("<a xmlns='u'><From>2026-12-02T18:00:00Z</From><N>6</N><D>00-DB-12-34-56-78-90-A6</D></a>");
        assert_eq!(
            compare(&t, &value, "/a", &ids).unwrap_err(),
            "/a/N[1] is \"6\", not \"5\""
        );
        let missing = el("<a xmlns='u'><From>2026-12-02T18:00:00Z</From><N>5</N></a>");
        assert!(compare(&t, &missing, "/a", &ids)
            .unwrap_err()
            .contains("has 2 elements"));
        let renamed = el("<a xmlns='u'><To>2026-12-02T18:00:00Z</To><N>5</N><D>x</D></a>");
        assert!(compare(&t, &renamed, "/a", &ids)
            .unwrap_err()
            .contains("element To"));
    }

    #[test]
    fn attributes_are_compared_by_name_and_value_whatever_their_order() {
        let ids = (String::new(), String::new());
        let t = el("<a xmlns='u'><P index='1' id='x'>5</P></a>");
        let reordered = el("<a xmlns='u'><P id='x' index='1'>5</P></a>");
        assert_eq!(compare(&t, &reordered, "/a", &ids), Ok(()));
        let renumbered = el("<a xmlns='u'><P index='2' id='x'>5</P></a>");
        let e = compare(&t, &renumbered, "/a", &ids).unwrap_err();
        assert!(e.starts_with("/a/P[0] has attributes"), "{e}");
        assert!(e.contains("index=\"2\""), "{e}");
        let dropped = el("<a xmlns='u'><P index='1'>5</P></a>");
        assert!(compare(&t, &dropped, "/a", &ids).is_err());
    }

    fn journalled(seq: u64, cv: CommandVariant, counter: u64) -> Entry {
        let id = crate::duis::request_id::RequestId {
            originator: EntityId([0x90, 0xB3, 0xD5, 0x1F, 0x30, 0x01, 0, 0]),
            target: EntityId([0, 0xDB, 0x12, 0x34, 0x56, 0x78, 0x90, 0xA0]),
            counter,
        };
        Entry {
            seq,
            url: cv.url().expect("a variant with a URL"),
            body: Vec::new(),
            request_id: Some(id),
            service_reference_variant: "7.1".into(),
            command_variant: Some(cv),
            verdict: Verdict::Accepted {
                code: crate::duis::codes::ResponseCode::I0,
            },
            pre_command: None,
            at: std::time::Instant::now(),
        }
    }

    #[test]
    fn a_resent_request_is_not_the_signed_pre_command() {
        let first = journalled(1, CommandVariant::Transform, 10);
        let resent = journalled(2, CommandVariant::Transform, 10);
        let signed = journalled(3, CommandVariant::SignedPreCommandWan, 10);
        let other = journalled(4, CommandVariant::SignedPreCommandWan, 11);
        assert!(!answers_pre_command(&first, &resent));
        assert!(answers_pre_command(&first, &signed));
        assert!(!answers_pre_command(&first, &other));
        assert!(
            !answers_pre_command(&signed, &first),
            "only what came after"
        );
    }
}
