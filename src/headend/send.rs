//! The head-end's sending side (`POST /trigger`): a service request built from a template,
//! signed as its User and sent to the DCC; for a critical service, the pre-command the DCC
//! returns is checked against what the request means, signed with the User's GBCS key and
//! sent back as command variant 5.
//!
//! The request is the template's body and SR/SRV, with `RequestID` = user:device:counter (the
//! counter from the clock in ms at start, +1 per request, never reused; requests leave in
//! counter order) and the service's first command variant
//! ([`crate::duis::services::ServiceRequest::first_command_variant`]). The pre-command
//! check: it is a bare General-Signing APDU not yet signed, and equals the command the DCC's
//! transform ([`crate::dcc::transform`]) builds from this very request for some device kind
//! (message code, originator, recipient, counter and payload; [`differences`] names what
//! differs). Without the golden vectors the transform builds from, every pre-command is
//! refused: the head-end cannot tell what its request means.
//!
//! The default template for an SRV is the first by file name in the templates folder (for
//! 4.1.1 that is `ECS17b_4.1.1_DSP_FUTURE_DATED_…`): pass `template` for another variant.

use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::http::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde::{Deserialize, Serialize};

use crate::codec::{decode_frame, EntityId};
use crate::command::identities::DeviceKind;
use crate::command::template::Addressing;
use crate::crypto::KeyUsage;
use crate::dcc::precommand;
use crate::dcc::transform::{transform_with, CommandOriginator, Options};
use crate::duis::keys::DCC_XML_SIGNER;
use crate::duis::request::{Request, RequestBody};
use crate::duis::request_id::{format_eui, parse_eui, RequestId};
use crate::duis::response::{Response, ResponseBody, ResponseContent};
use crate::duis::services::{self, CommandVariant, ServiceUrl};
use crate::duis::signature::{sign, verify, SignatureError};
use crate::duis::validate::is_date_or_date_time;
use crate::duis::xml::{parse, read_document_file, Element, Node, MAX_DOCUMENT_BYTES};
use crate::transport::duis::precommand::differences;
use crate::transport::duis::verify_dcc;

use super::faults::Fault;
use super::HeadEnd;

/// How long one call to the DCC may take.
pub const DCC_TIMEOUT: Duration = Duration::from_secs(10);

/// `POST /trigger`'s body.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    pub srv: String,
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub device: Option<String>,
    #[serde(default)]
    pub template: Option<PathBuf>,
    /// The DCC's base URL for this request (the harness's trigger sends where it serves
    /// the DCC); else the head-end's `--dcc`.
    #[serde(default)]
    pub dcc_url: Option<String>,
}

/// Whether the head-end's part went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every request it meant to send was sent (whatever the DCC answered).
    Sent,
    /// It refused to go on (a pre-command it would not sign).
    Refused,
}

/// What happened to the pre-command of a critical request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PreCommandOutcome {
    Signed,
    Refused,
}

/// `POST /trigger`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggerAnswer {
    pub request_id: String,
    /// The command variant of the first request sent.
    pub command_variant: u8,
    pub outcome: Outcome,
    /// The response code of the DCC's last synchronous answer, if it was a DUIS document.
    pub acknowledgement: Option<String>,
    pub pre_command: Option<PreCommandOutcome>,
    /// Why, in one line, when something did not go as a success would.
    pub reason: Option<String>,
}

/// Why a trigger was not carried out.
#[derive(Debug, thiserror::Error)]
pub enum TriggerError {
    #[error("bad trigger: {0}")]
    BadJson(String),
    #[error("unknown service reference variant {0:?}")]
    UnknownSrv(String),
    #[error("no template for SRV {srv} in {dir}")]
    NoTemplate { srv: String, dir: String },
    #[error("template {file}: {reason}")]
    Template { file: String, reason: String },
    #[error("template {file} is a request for SRV {found}, not {srv}")]
    TemplateSrv {
        file: String,
        found: String,
        srv: String,
    },
    #[error("{0}")]
    BadEui(String),
    #[error("no XML-signing key for the user {user} in {dir}")]
    NoXmlKey { user: String, dir: String },
    #[error("no GBCS digital-signing key for the user {user} in {dir}: SRV {srv} is critical")]
    NoGbcsKey {
        user: String,
        dir: String,
        srv: String,
    },
    #[error("cannot sign the request {request_id}: {reason}")]
    Sign { request_id: String, reason: String },
    #[error("{limit} triggers are already being carried out")]
    Busy { limit: usize },
    #[error("the DCC at {url} did not answer {what} within {ms} ms")]
    Timeout { url: String, what: String, ms: u128 },
    #[error("cannot reach the DCC at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("no DCC URL: the trigger names none (dcc_url) and the head-end has no --dcc")]
    NoDcc,
    #[error("dcc_url {url:?}: {reason}")]
    DccUrl { url: String, reason: String },
}

impl TriggerError {
    /// The HTTP status `POST /trigger` answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            TriggerError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            TriggerError::Timeout { .. } | TriggerError::Unreachable { .. } => {
                StatusCode::BAD_GATEWAY
            }
            TriggerError::Sign { .. } => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

/// The DCC's synchronous answer to one request.
enum Ack {
    /// A DUIS response, and whether the DCC signed it (`Err`: why not).
    Duis {
        response: Box<Response>,
        signed: Result<(), String>,
    },
    /// Something else: an HTTP error with a text body, an unreadable document.
    Other(String),
}

/// I0 or I99: the request was carried out or accepted.
fn accepted(code: crate::duis::codes::ResponseCode) -> bool {
    code.is_success() || code.is_acknowledgement()
}

/// The first line of `text`, shortened.
fn one_line(text: &str) -> String {
    const MAX: usize = 200;
    let line = text.lines().next().unwrap_or("").trim();
    if line.chars().count() > MAX {
        format!("{}…", line.chars().take(MAX).collect::<String>())
    } else {
        line.to_string()
    }
}

/// A template read (bounded in size) and modelled. Any path is accepted (the harness passes
/// the shared templates' absolute paths), but only a regular file, read through a cap: a
/// device or a FIFO (`/dev/zero`) would never end.
pub(super) fn read_template(path: &Path) -> Result<Request, TriggerError> {
    let fail = |reason: String| TriggerError::Template {
        file: path.display().to_string(),
        reason,
    };
    let bytes = read_document_file(path).map_err(fail)?;
    let doc = parse(&bytes).map_err(|e| fail(e.to_string()))?;
    Request::from_document(&doc).map_err(|e| fail(e.to_string()))
}

/// Changes one parameter value of a body (the `wrong-body` fault): the first leaf with text
/// that is not a date-time (the judge masks those), its last digit (kept a digit, so the value
/// keeps its type), else a boolean flipped, else its last letter. Whether anything changed (a
/// body without such a parameter has nothing to).
pub(super) fn change_one_value(body: &mut Element) -> bool {
    fn leaf(e: &mut Element) -> Option<&mut Element> {
        let has_children = e.elements().next().is_some();
        if !has_children {
            let text = e.text();
            let text = text.trim();
            return (!text.is_empty() && !is_date_or_date_time(text)).then_some(e);
        }
        e.elements_mut().find_map(leaf)
    }
    let Some(target) = body.elements_mut().find_map(leaf) else {
        return false;
    };
    let text = target.text();
    let trimmed = text.trim();
    let changed = if let Some(i) = trimmed.rfind(|c: char| c.is_ascii_digit()) {
        let d = trimmed.as_bytes()[i];
        let new = if d == b'9' { b'8' } else { d + 1 };
        let mut s = trimmed.to_string();
        s.replace_range(i..=i, &(new as char).to_string());
        s
    } else if trimmed == "true" {
        "false".into()
    } else if trimmed == "false" {
        "true".into()
    } else if let Some(i) = trimmed.rfind(|c: char| c.is_ascii_alphabetic()) {
        let c = trimmed.as_bytes()[i];
        let new = match c {
            b'z' => b'y',
            b'Z' => b'Y',
            c => c + 1,
        };
        let mut s = trimmed.to_string();
        s.replace_range(i..=i, &(new as char).to_string());
        s
    } else {
        return false;
    };
    target.children.retain(|n| !matches!(n, Node::Text(_)));
    target.children.push(Node::Text(changed));
    true
}

impl HeadEnd {
    /// Carries out one trigger: the answer once the head-end's part is over.
    pub async fn trigger(&self, t: Trigger) -> Result<TriggerAnswer, TriggerError> {
        let service =
            services::find(&t.srv).ok_or_else(|| TriggerError::UnknownSrv(one_line(&t.srv)))?;
        let dcc = match &t.dcc_url {
            Some(u) => super::dcc_base(u).map_err(|reason| TriggerError::DccUrl {
                url: one_line(u),
                reason,
            })?,
            None => self.config.dcc.clone().ok_or(TriggerError::NoDcc)?,
        };
        let mut request = match &t.template {
            Some(path) => {
                // Off the async threads: a file read may block (a slow or network disk).
                let file = path.clone();
                let r = tokio::task::spawn_blocking(move || read_template(&file))
                    .await
                    .map_err(|e| TriggerError::Template {
                        file: path.display().to_string(),
                        reason: e.to_string(),
                    })??;
                if r.header.service_reference_variant != service.variant {
                    return Err(TriggerError::TemplateSrv {
                        file: path.display().to_string(),
                        found: r.header.service_reference_variant,
                        srv: service.variant.into(),
                    });
                }
                r
            }
            None => self
                .templates
                .get(service.variant)
                .map(|(_, r)| r.clone())
                .ok_or_else(|| TriggerError::NoTemplate {
                    srv: service.variant.into(),
                    dir: self.config.templates.display().to_string(),
                })?,
        };
        let eui = |field: &'static str, text: &Option<String>, default: EntityId| match text {
            Some(t) => parse_eui(field, t.trim()).map_err(|e| TriggerError::BadEui(e.to_string())),
            None => Ok(default),
        };
        let template_id = request.header.request_id;
        let user = eui("user", &t.user, template_id.originator)?;
        let device = eui("device", &t.device, template_id.target)?;
        let identity =
            self.xml_keys
                .identity(user)
                .cloned()
                .ok_or_else(|| TriggerError::NoXmlKey {
                    user: format_eui(&user),
                    dir: self.config.xml_keys.display().to_string(),
                })?;
        let cv = if self.faults.has(Fault::WrongCommandVariant) && service.critical {
            CommandVariant::NonCriticalWan
        } else {
            service.first_command_variant()
        };
        if cv == CommandVariant::Transform
            && !self.gbcs_keys.has_private(user, KeyUsage::DigitalSignature)
        {
            return Err(TriggerError::NoGbcsKey {
                user: format_eui(&user),
                dir: self.config.gbcs_keys.display().to_string(),
                srv: service.variant.into(),
            });
        }
        if self.faults.has(Fault::WrongBody) {
            let changed = match &mut request.body {
                RequestBody::Service(body) => change_one_value(body),
                RequestBody::SignedPreCommand { .. } => false,
            };
            if !changed {
                eprintln!(
                    "head-end: wrong-body: the body of SRV {} has no parameter to change",
                    service.variant
                );
            }
        }
        let originator = if self.faults.has(Fault::WrongOriginator) {
            self.other_than(user)
        } else {
            user
        };
        let _busy = self
            .triggers
            .clone()
            .try_acquire_owned()
            .map_err(|_| TriggerError::Busy {
                limit: super::MAX_TRIGGERS,
            })?;
        request.header.command_variant = cv;
        // Held until the first request is answered: requests reach the DCC in counter order.
        let mut counter = self.counter.lock().await;
        let n = match (counter.last, self.faults.has(Fault::CounterReused)) {
            (Some(last), true) => last,
            _ => {
                let n = counter.next;
                counter.next = counter.next.saturating_add(1);
                n
            }
        };
        counter.last = Some(n);
        let id = RequestId::new(originator, device, n);
        request.header.request_id = id;
        let id_text = id.to_string();
        self.note_sent(&id_text);
        let ack = self.post(&request, &identity, &dcc).await;
        drop(counter);
        let ack = ack?;
        let mut answer = TriggerAnswer {
            request_id: id_text.clone(),
            command_variant: cv.as_u8(),
            outcome: Outcome::Sent,
            acknowledgement: None,
            pre_command: None,
            reason: None,
        };
        let (response, signed) = match ack {
            Ack::Other(why) => {
                answer.reason = Some(why);
                return Ok(answer);
            }
            Ack::Duis { response, signed } => (response, signed),
        };
        let code = response.header.response_code;
        answer.acknowledgement = Some(code.as_str().to_string());
        if cv != CommandVariant::Transform || code.as_str() != "I0" {
            answer.reason = match signed {
                Err(why) => Some(format!("the acknowledgement is not the DCC's: {why}")),
                Ok(()) if !accepted(code) => {
                    Some(format!("the DCC answered {code} ({})", code.description()))
                }
                Ok(()) => None,
            };
            return Ok(answer);
        }
        // CV 4, I0: the pre-command.
        let refuse = |mut answer: TriggerAnswer, why: String| {
            answer.outcome = Outcome::Refused;
            answer.pre_command = Some(PreCommandOutcome::Refused);
            answer.reason = Some(one_line(&why));
            eprintln!("head-end: {id_text}: pre-command refused: {why}");
            answer
        };
        if let Err(why) = signed {
            return Ok(refuse(
                answer,
                format!("the PreCommand is not signed by the DCC: {why}"),
            ));
        }
        let pre = match &response.body {
            ResponseBody::Message(m) => match &m.content {
                ResponseContent::PreCommand { gbcs_payload, .. } => gbcs_payload.clone(),
                _ => return Ok(refuse(answer, "an I0 to CV 4 without a PreCommand".into())),
            },
            _ => {
                return Ok(refuse(
                    answer,
                    "an I0 to CV 4 without a ResponseMessage".into(),
                ))
            }
        };
        if !self.faults.has(Fault::SignsTamperedPreCommand) {
            if let Err(why) = self.check_pre_command(&request, &pre) {
                return Ok(refuse(
                    answer,
                    format!("it does not say what the request says: {why}"),
                ));
            }
        }
        let signed_pre = match precommand::sign(&pre, &self.gbcs_keys, user) {
            Ok(s) => s,
            Err(e) => return Ok(refuse(answer, format!("cannot sign it as {user}: {e}"))),
        };
        let mut cv5 = request;
        cv5.header.command_variant = CommandVariant::SignedPreCommandWan;
        cv5.body = RequestBody::SignedPreCommand {
            gbcs_payload: signed_pre,
        };
        answer.pre_command = Some(PreCommandOutcome::Signed);
        match self.post(&cv5, &identity, &dcc).await? {
            Ack::Other(why) => {
                answer.acknowledgement = None;
                answer.reason = Some(why);
            }
            Ack::Duis { response, signed } => {
                let code = response.header.response_code;
                answer.acknowledgement = Some(code.as_str().to_string());
                answer.reason = match signed {
                    Err(why) => Some(format!("the acknowledgement is not the DCC's: {why}")),
                    Ok(()) if !accepted(code) => Some(format!(
                        "the DCC answered {code} ({}) to the signed pre-command",
                        code.description()
                    )),
                    Ok(()) => None,
                };
            }
        }
        Ok(answer)
    }

    /// Another EUI than `user` for the RequestID (the `wrong-originator` fault): another
    /// User the XML key store can sign for, else `user` with its last octet changed.
    fn other_than(&self, user: EntityId) -> EntityId {
        self.xml_keys
            .signers()
            .find(|e| *e != user && *e != DCC_XML_SIGNER)
            .unwrap_or_else(|| {
                let mut b = user.0;
                b[7] ^= 0x01;
                EntityId(b)
            })
    }

    /// Whether a pre-command is the command the DCC's transform builds from `request`.
    fn check_pre_command(&self, request: &Request, pre: &[u8]) -> Result<(), String> {
        let skeletons = self
            .skeletons
            .as_ref()
            .map_err(|e| format!("the head-end cannot tell what its request means: {e}"))?;
        let id = request.header.request_id;
        let to = Addressing {
            originator: id.originator,
            recipient: id.target,
            counter: id.counter,
        };
        let srv = request.header.service_reference_variant.as_str();
        let mut closest: Option<String> = None;
        for kind in DeviceKind::ALL {
            for use_case in skeletons.use_cases(srv, kind) {
                for twin in [false, true] {
                    let options = Options {
                        use_case: Some(use_case),
                        twin,
                    };
                    let Ok(t) = transform_with(request, kind, options, skeletons) else {
                        continue;
                    };
                    if t.originator != CommandOriginator::User {
                        continue;
                    }
                    let (_, bytes) = precommand::issue(&t.template, to, false);
                    let Ok(expected) = decode_frame(&bytes) else {
                        continue;
                    };
                    match differences(&expected, pre) {
                        Ok(_) => return Ok(()),
                        // The fewest differences say best what is wrong.
                        Err(d) => {
                            if closest.as_ref().is_none_or(|c| d.len() < c.len()) {
                                closest = Some(d);
                            }
                        }
                    }
                }
            }
        }
        Err(closest.unwrap_or_else(|| {
            format!("the head-end cannot build the command SRV {srv} means for any device")
        }))
    }

    /// Signs (unless the `unsigned-request` fault) and POSTs a request to the URL of its
    /// command variant; the DCC's answer, read up to 1 MiB.
    async fn post(
        &self,
        request: &Request,
        identity: &crate::duis::keys::XmlSigningIdentity,
        dcc: &str,
    ) -> Result<Ack, TriggerError> {
        let mut doc = request.to_document();
        if !self.faults.has(Fault::UnsignedRequest) {
            sign(&mut doc, identity).map_err(|e| TriggerError::Sign {
                request_id: request.header.request_id.to_string(),
                reason: e.to_string(),
            })?;
        }
        let path = request
            .header
            .command_variant
            .url()
            .map_or(ServiceUrl::SendCommand.path(), ServiceUrl::path);
        let url = format!("{dcc}{path}");
        let what = format!(
            "the CV {} request {}",
            request.header.command_variant, request.header.request_id
        );
        let timeout = || TriggerError::Timeout {
            url: url.clone(),
            what: what.clone(),
            ms: DCC_TIMEOUT.as_millis(),
        };
        let failed = |e: reqwest::Error| {
            if e.is_timeout() {
                return timeout();
            }
            let text = crate::transport::error_chain(&e);
            TriggerError::Unreachable {
                url: url.clone(),
                reason: one_line(&text),
            }
        };
        let work = async {
            let mut response = self
                .client
                .post(&url)
                .header(CONTENT_TYPE, "application/xml")
                .body(doc.to_xml())
                .send()
                .await
                .map_err(failed)?;
            let status = response.status();
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(failed)? {
                if body.len() + chunk.len() > MAX_DOCUMENT_BYTES {
                    return Ok(Ack::Other(format!(
                        "the DCC's answer (HTTP {status}) is over the {MAX_DOCUMENT_BYTES}-byte limit"
                    )));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(self.read_ack(status, &body))
        };
        tokio::time::timeout(DCC_TIMEOUT, work)
            .await
            .unwrap_or_else(|_| Err(timeout()))
    }

    /// The DCC's synchronous answer: a DUIS response, verified as the DCC's (an error
    /// acknowledgement may come unsigned), or why it is not one.
    fn read_ack(&self, status: reqwest::StatusCode, body: &[u8]) -> Ack {
        let doc = match parse(body) {
            Ok(d) => d,
            Err(e) => {
                return Ack::Other(format!(
                    "the DCC answered HTTP {status}: {}",
                    if status.is_success() {
                        format!("not a DUIS document ({e})")
                    } else {
                        one_line(&String::from_utf8_lossy(body))
                    }
                ))
            }
        };
        let response = match Response::from_document(&doc) {
            Ok(r) => r,
            Err(e) => {
                return Ack::Other(format!(
                    "the DCC answered HTTP {status} with no DUIS response: {e}"
                ))
            }
        };
        let error = !accepted(response.header.response_code);
        let signed =
            if error && matches!(verify(&doc, &self.xml_keys), Err(SignatureError::Missing)) {
                Ok(())
            } else {
                verify_dcc(&doc, &self.xml_keys, DCC_XML_SIGNER).map(|_| ())
            };
        Ack::Duis {
            response: Box::new(response),
            signed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duis::xml::{parse_str, SR_NS};

    fn body(xml: &str) -> Element {
        parse_str(xml).unwrap().root
    }

    #[test]
    fn wrong_body_changes_exactly_one_value_and_keeps_its_kind() {
        // The date-time comes first but is the head-end's choice (the judge masks it): the
        // value changed is the next one.
        let mut b = body(&format!(
            r#"<sr:Body xmlns:sr="{SR_NS}"><sr:X><sr:A>2023-01-01T00:00:09Z</sr:A><sr:B>7</sr:B><sr:C>3</sr:C></sr:X></sr:Body>"#
        ));
        assert!(change_one_value(&mut b));
        let x = b.child(SR_NS, "X").unwrap();
        assert_eq!(x.child(SR_NS, "A").unwrap().text(), "2023-01-01T00:00:09Z");
        assert_eq!(x.child(SR_NS, "B").unwrap().text(), "8");
        assert_eq!(x.child(SR_NS, "C").unwrap().text(), "3");
        // Only date-times (and dates): nothing the judge compares, so nothing is changed.
        let mut b = body(&format!(
            r#"<sr:Body xmlns:sr="{SR_NS}"><sr:X><sr:A>2023-01-01T00:00:09Z</sr:A><sr:D>2023-01-01</sr:D></sr:X></sr:Body>"#
        ));
        assert!(!change_one_value(&mut b));
        let x = b.child(SR_NS, "X").unwrap();
        assert_eq!(x.child(SR_NS, "A").unwrap().text(), "2023-01-01T00:00:09Z");
        let mut b = body(&format!(
            r#"<sr:Body xmlns:sr="{SR_NS}"><sr:Y><sr:F>true</sr:F></sr:Y></sr:Body>"#
        ));
        assert!(change_one_value(&mut b));
        assert_eq!(
            b.child(SR_NS, "Y")
                .unwrap()
                .child(SR_NS, "F")
                .unwrap()
                .text(),
            "false"
        );
        let mut b = body(&format!(
            r#"<sr:Body xmlns:sr="{SR_NS}"><sr:ReadInstantaneousImportRegisters/></sr:Body>"#
        ));
        assert!(!change_one_value(&mut b));
    }

    #[test]
    fn trigger_errors_say_which_status_they_get() {
        assert_eq!(
            TriggerError::UnknownSrv("9.9.9".into()).status(),
            StatusCode::BAD_REQUEST
        );
        let t = TriggerError::Timeout {
            url: "http://dcc".into(),
            what: "x".into(),
            ms: 10_000,
        };
        assert_eq!(t.status(), StatusCode::BAD_GATEWAY);
        assert!(t.to_string().contains("10000 ms"));
    }

    #[test]
    fn a_template_is_a_bounded_regular_file() {
        let not_file = |path: &str| match read_template(Path::new(path)) {
            Err(TriggerError::Template { reason, .. }) => reason,
            other => panic!("{path}: {other:?}"),
        };
        // Would never end if read: refused before reading.
        assert_eq!(not_file("/dev/zero"), "not a regular file");
        assert_eq!(not_file("/"), "not a regular file");
        let dir = std::env::temp_dir().join(format!("gbcs-headend-tpl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let big = dir.join("BIG_REQUEST_DUIS.XML");
        std::fs::write(&big, vec![b' '; MAX_DOCUMENT_BYTES + 1]).unwrap();
        let reason = not_file(big.to_str().unwrap());
        let _ = std::fs::remove_dir_all(&dir);
        assert!(reason.contains("document limit"), "{reason}");
    }
}
