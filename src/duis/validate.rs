//! Checks a document against the DUIS model, returning every problem found, each with the
//! path of the element it concerns.
//!
//! What is checked:
//! - the root: `sr:Request` or `sr:Response` in the DUIS namespace, with a decimal
//!   `schemaVersion` and no other unqualified attribute;
//! - a request's header: its elements in the schema's order, `RequestID` and
//!   `PrecedingServiceRequestID` of the `RequestIDType` form, `FirstInSequence` a boolean,
//!   `CommandVariant` 1…9, `ServiceReference` and `ServiceReferenceVariant` in the catalogue
//!   and consistent (the variant belongs to the reference);
//! - a request's body: one element, `SignedPreCommand` for CV 5, 6, 7 and otherwise the body
//!   element of the service reference variant (`services::ServiceRequest::body`);
//! - a response's header: optional `RequestID` and `ResponseID`, a `ResponseCode` of the
//!   schema, an `xs:dateTime` `ResponseDateTime`; its body: one of `ResponseMessage` (SR and SRV
//!   known and consistent, at most one content element of the schema's choice),
//!   `DeviceAlertMessage`, `DCCAlertMessage` (a DCC alert code of the schema, one `DCCAlert`
//!   child) or `SMETS1ResponseMessage`;
//! - everywhere: text only where text belongs in the parts above; every element the schema
//!   always types base64Binary (`GBCSPayload`, certificates…) or hexBinary (`AlertCode`…)
//!   decodable; an enveloped `ds:Signature` last, with base64 digest and signature values and
//!   a decimal serial number of any size.
//!
//! It is not an XSD engine: a body element's own content is checked only for the binary fields
//! (xmllint against `duis-5.4.xsd` is the full check). Whether a command variant is allowed for
//! the service, or the sender eligible, is the DCC's business check, not the model's.

use std::fmt;

use serde::Serialize;

use super::codes::{is_dcc_alert_code, ResponseCode, BASE64_ELEMENTS, HEX_ELEMENTS};
use super::request::{is_xml_space, label, trimmed};
use super::request_id::RequestId;
use super::services::{self, CommandVariant};
use super::xml::{Document, Element, Node, DS_NS, SR_NS};

/// What a valid document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DocumentKind {
    /// `sr:Request`.
    Request,
    /// `sr:Response` (service response, acknowledgement, device or DCC alert).
    Response,
}

/// One problem found, at an element path such as `/sr:Request/sr:Header/sr:RequestID`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidationError {
    pub path: String,
    pub problem: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.problem)
    }
}

pub use super::base64::{base64_decode, base64_encode, Base64Error};

/// Decodes `xs:hexBinary` text (surrounding whitespace collapsed): an even number of hex digits.
pub fn hex_decode(text: &str) -> Result<Vec<u8>, String> {
    let t = text.trim_matches(is_xml_space);
    if !t.len().is_multiple_of(2) {
        return Err(format!("{} hex digits, not an even number", t.len()));
    }
    hex::decode(t).map_err(|e| format!("not hex: {e}"))
}

/// `xs:date`'s lexical date part, `[-]YYYY-MM-DD`.
const DATE: &str = r"-?([1-9][0-9]{3,}|0[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])";
/// An optional time zone, `Z` or `(+|-)hh:mm` up to 14:00.
const ZONE: &str = r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?";

/// Whether `s` is an `xs:dateTime`: `[-]YYYY-MM-DDThh:mm:ss[.s+][Z|(+|-)hh:mm]`.
pub fn is_date_time(s: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        let time = r"T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)";
        regex::Regex::new(&format!("^{DATE}{time}{ZONE}$")).expect("static regex")
    })
    .is_match(s)
}

/// Whether `s` is an `xs:date`: `[-]YYYY-MM-DD[Z|(+|-)hh:mm]`.
pub fn is_date(s: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(&format!("^{DATE}{ZONE}$")).expect("static regex"))
        .is_match(s)
}

/// Whether `s` is an `xs:dateTime` or an `xs:date`: in a request body, a value a User system
/// fills in from its own clock or plan.
pub fn is_date_or_date_time(s: &str) -> bool {
    is_date_time(s) || is_date(s)
}

/// Whether `s` is an `xs:decimal`.
fn is_decimal(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    !(int.is_empty() && frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

struct Checker {
    problems: Vec<ValidationError>,
}

impl Checker {
    fn problem(&mut self, path: &str, problem: impl Into<String>) {
        // Bounded: a hostile document cannot make the list grow without end.
        if self.problems.len() < 1000 {
            self.problems.push(ValidationError {
                path: path.to_string(),
                problem: problem.into(),
            });
        }
    }

    /// Non-whitespace text directly inside an element-only element.
    fn element_only(&mut self, e: &Element, path: &str) {
        for n in &e.children {
            if let Node::Text(t) = n {
                if !t.chars().all(is_xml_space) {
                    let t: String = t.trim_matches(is_xml_space).chars().take(40).collect();
                    self.problem(path, format!("text {t:?} where only elements belong"));
                }
            }
        }
    }

    /// A simple-content element: no child elements.
    fn simple(&mut self, e: &Element, path: &str) {
        if let Some(child) = e.elements().next() {
            self.problem(
                path,
                format!("element {} inside a text-only element", label(child)),
            );
        }
    }

    /// Walks `children` against a sequence of `(local, min, max)` in the DUIS namespace;
    /// returns the elements found per entry.
    fn sequence<'a>(
        &mut self,
        parent: &'a Element,
        path: &str,
        spec: &[(&'static str, usize, usize)],
    ) -> Vec<Vec<&'a Element>> {
        self.element_only(parent, path);
        let items: Vec<&Element> = parent.elements().collect();
        let mut found = vec![Vec::new(); spec.len()];
        let mut i = 0;
        for (k, &(local, min, max)) in spec.iter().enumerate() {
            while i < items.len() && found[k].len() < max && items[i].is(SR_NS, local) {
                found[k].push(items[i]);
                i += 1;
            }
            if found[k].len() < min {
                let at = items
                    .get(i)
                    .map(|e| format!(" (found {} instead)", label(e)))
                    .unwrap_or_default();
                self.problem(path, format!("missing sr:{local}{at}"));
            }
        }
        // At the root, a trailing ds:Signature is checked by `trailing_signature`.
        let at_root = path.matches('/').count() == 1;
        for extra in &items[i.min(items.len())..] {
            if !(at_root && extra.is(DS_NS, "Signature")) {
                self.problem(
                    path,
                    format!(
                        "unexpected element {} (out of order or not allowed)",
                        label(extra)
                    ),
                );
            }
        }
        found
    }

    fn request_id(&mut self, e: &Element, path: &str) -> Option<RequestId> {
        self.simple(e, path);
        match trimmed(e).parse::<RequestId>() {
            Ok(id) => Some(id),
            Err(err) => {
                self.problem(path, err.to_string());
                None
            }
        }
    }

    /// The binary-typed elements anywhere below `e`.
    fn binaries(&mut self, e: &Element, path: &str, depth: usize) {
        if depth > 64 {
            return;
        }
        for child in e.elements() {
            let p = format!("{path}/{}", label(child));
            let local = child.name.local.as_str();
            if child.namespace.as_deref() == Some(SR_NS) {
                if BASE64_ELEMENTS.contains(&local) {
                    self.simple(child, &p);
                    if let Err(err) = base64_decode(&child.text()) {
                        self.problem(&p, format!("not base64: {err}"));
                    }
                } else if HEX_ELEMENTS.contains(&local) {
                    self.simple(child, &p);
                    if let Err(err) = hex_decode(&child.text()) {
                        self.problem(&p, format!("not hexBinary: {err}"));
                    }
                }
            }
            self.binaries(child, &p, depth + 1);
        }
    }

    fn root(&mut self, root: &Element, path: &str) {
        match root.attribute("schemaVersion") {
            None => self.problem(path, "no schemaVersion attribute"),
            Some(v) if !is_decimal(v.trim_matches(is_xml_space)) => {
                self.problem(path, format!("schemaVersion {v:?} is not a decimal"))
            }
            Some(_) => {}
        }
        for a in &root.attributes {
            if a.namespace.is_none() && a.name.local != "schemaVersion" {
                self.problem(path, format!("unexpected attribute {}", a.name.local));
            }
        }
    }

    fn signature(&mut self, sig: &Element, path: &str) {
        let p = format!("{path}/{}", label(sig));
        let mut found = 0;
        for (local, base64) in [("DigestValue", true), ("SignatureValue", true)] {
            if let Some(e) = descendant(sig, DS_NS, local) {
                found += 1;
                if base64 {
                    if let Err(err) = base64_decode(&e.text()) {
                        self.problem(&format!("{p}/ds:{local}"), format!("not base64: {err}"));
                    }
                }
            }
        }
        if found < 2 || sig.child(DS_NS, "SignedInfo").is_none() {
            self.problem(
                &p,
                "signature without SignedInfo, DigestValue or SignatureValue",
            );
        }
        if let Some(serial) = descendant(sig, DS_NS, "X509SerialNumber") {
            let s = trimmed(serial);
            let digits = s.strip_prefix(['+', '-']).unwrap_or(&s);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                self.problem(
                    &format!("{p}/ds:X509SerialNumber"),
                    format!(
                        "{:?} is not an integer",
                        s.chars().take(40).collect::<String>()
                    ),
                );
            }
        }
    }

    /// The SR and SRV of a header or response message; returns the SRV if known.
    fn service_reference(
        &mut self,
        sr_el: Option<&Element>,
        srv_el: Option<&Element>,
        path: &str,
    ) -> Option<&'static services::ServiceRequest> {
        let sr = sr_el.map(|e| {
            self.simple(e, &format!("{path}/sr:ServiceReference"));
            e.text()
        });
        let srv = srv_el.map(|e| {
            self.simple(e, &format!("{path}/sr:ServiceReferenceVariant"));
            e.text()
        });
        if let Some(sr) = &sr {
            if !services::is_reference(sr) {
                self.problem(
                    &format!("{path}/sr:ServiceReference"),
                    format!("{:?} is not a service reference of the catalogue", clip(sr)),
                );
            }
        }
        let service = srv.as_deref().and_then(services::find);
        if let (Some(srv), None) = (&srv, service) {
            self.problem(
                &format!("{path}/sr:ServiceReferenceVariant"),
                format!(
                    "{:?} is not a service reference variant of the catalogue",
                    clip(srv)
                ),
            );
        }
        if let (Some(sr), Some(s)) = (&sr, service) {
            if s.reference != sr {
                self.problem(
                    path,
                    format!(
                        "ServiceReferenceVariant {} belongs to service reference {}, not {:?}",
                        s.variant,
                        s.reference,
                        clip(sr)
                    ),
                );
            }
        }
        service
    }

    fn request(&mut self, root: &Element) {
        let path = format!("/{}", label(root));
        self.root(root, &path);
        let top = self.sequence(root, &path, &[("Header", 1, 1), ("Body", 1, 1)]);
        self.trailing_signature(root, &path);
        let mut cv = None;
        let mut service = None;
        if let Some(header) = top[0].first() {
            let hp = format!("{path}/sr:Header");
            let h = self.sequence(
                header,
                &hp,
                &[
                    ("RequestID", 1, 1),
                    ("FirstInSequence", 0, 1),
                    ("PrecedingServiceRequestID", 0, 1),
                    ("CommandVariant", 1, 1),
                    ("ServiceReference", 1, 1),
                    ("ServiceReferenceVariant", 1, 1),
                ],
            );
            if let Some(e) = h[0].first() {
                self.request_id(e, &format!("{hp}/sr:RequestID"));
            }
            if let Some(e) = h[1].first() {
                let p = format!("{hp}/sr:FirstInSequence");
                self.simple(e, &p);
                if !matches!(trimmed(e).as_str(), "true" | "false" | "1" | "0") {
                    self.problem(&p, format!("{:?} is not a boolean", clip(&trimmed(e))));
                }
            }
            if let Some(e) = h[2].first() {
                self.request_id(e, &format!("{hp}/sr:PrecedingServiceRequestID"));
            }
            if let Some(e) = h[3].first() {
                let p = format!("{hp}/sr:CommandVariant");
                self.simple(e, &p);
                match trimmed(e).parse::<CommandVariant>() {
                    Ok(v) => cv = Some(v),
                    Err(err) => self.problem(&p, err.to_string()),
                }
            }
            service = self.service_reference(h[4].first().copied(), h[5].first().copied(), &hp);
        }
        if let Some(body) = top[1].first() {
            let bp = format!("{path}/sr:Body");
            self.element_only(body, &bp);
            let elements: Vec<&Element> = body.elements().collect();
            match elements.as_slice() {
                [] => self.problem(&bp, "no request element"),
                [e] => self.request_body(e, &bp, cv, service),
                [_, extra, ..] => self.problem(
                    &bp,
                    format!("more than one request element ({})", label(extra)),
                ),
            }
            self.binaries(body, &bp, 0);
        }
    }

    fn request_body(
        &mut self,
        e: &Element,
        bp: &str,
        cv: Option<CommandVariant>,
        service: Option<&'static services::ServiceRequest>,
    ) {
        let p = format!("{bp}/{}", label(e));
        if e.namespace.as_deref() != Some(SR_NS) {
            self.problem(&p, "request element not in the DUIS namespace");
            return;
        }
        let local = e.name.local.as_str();
        let signed = local == "SignedPreCommand";
        match cv {
            Some(cv) if cv.is_signed_pre_command() && !signed => self.problem(
                &p,
                format!("CommandVariant {cv} carries a SignedPreCommand, not {local}"),
            ),
            Some(cv) if !cv.is_signed_pre_command() && signed => self.problem(
                &p,
                format!("a SignedPreCommand is for CommandVariant 5, 6 or 7, not {cv}"),
            ),
            _ => {}
        }
        if signed {
            let s = self.sequence(e, &p, &[("ExecutionDateTime", 0, 1), ("GBCSPayload", 1, 1)]);
            if let Some(t) = s[0].first() {
                if !is_date_time(&trimmed(t)) {
                    self.problem(&format!("{p}/sr:ExecutionDateTime"), "not an xs:dateTime");
                }
            }
        } else if let Some(s) = service {
            if !s.has_body(local) {
                self.problem(
                    &p,
                    format!(
                        "ServiceReferenceVariant {} takes sr:{}, not sr:{local}",
                        s.variant,
                        s.body.join(" or sr:")
                    ),
                );
            }
        } else if services::by_body(local).is_none() {
            self.problem(
                &p,
                format!("sr:{local} is no request element of the schema"),
            );
        }
    }

    /// A `ds:Signature` may only be the root's last element.
    fn trailing_signature(&mut self, root: &Element, path: &str) {
        let elements: Vec<&Element> = root.elements().collect();
        for (i, e) in elements.iter().enumerate() {
            if e.is(DS_NS, "Signature") {
                if i + 1 != elements.len() {
                    self.problem(path, "ds:Signature is not the last element");
                }
                self.signature(e, path);
            }
        }
    }

    fn response(&mut self, root: &Element) {
        let path = format!("/{}", label(root));
        self.root(root, &path);
        let top = self.sequence(root, &path, &[("Header", 1, 1), ("Body", 1, 1)]);
        self.trailing_signature(root, &path);
        if let Some(header) = top[0].first() {
            let hp = format!("{path}/sr:Header");
            let h = self.sequence(
                header,
                &hp,
                &[
                    ("RequestID", 0, 1),
                    ("ResponseID", 0, 1),
                    ("ResponseCode", 1, 1),
                    ("ResponseDateTime", 1, 1),
                ],
            );
            if let Some(e) = h[0].first() {
                self.request_id(e, &format!("{hp}/sr:RequestID"));
            }
            if let Some(e) = h[1].first() {
                self.request_id(e, &format!("{hp}/sr:ResponseID"));
            }
            if let Some(e) = h[2].first() {
                let p = format!("{hp}/sr:ResponseCode");
                self.simple(e, &p);
                if ResponseCode::lookup(&e.text()).is_none() {
                    self.problem(
                        &p,
                        format!("{:?} is not a DUIS response code", clip(&e.text())),
                    );
                }
            }
            if let Some(e) = h[3].first() {
                let p = format!("{hp}/sr:ResponseDateTime");
                self.simple(e, &p);
                if !is_date_time(&trimmed(e)) {
                    self.problem(&p, format!("{:?} is not an xs:dateTime", clip(&trimmed(e))));
                }
            }
        }
        if let Some(body) = top[1].first() {
            let bp = format!("{path}/sr:Body");
            self.element_only(body, &bp);
            let elements: Vec<&Element> = body.elements().collect();
            match elements.as_slice() {
                [] => self.problem(&bp, "empty body"),
                [e] => self.response_body(e, &bp),
                [_, extra, ..] => self.problem(
                    &bp,
                    format!("more than one body element ({})", label(extra)),
                ),
            }
            self.binaries(body, &bp, 0);
        }
    }

    fn response_body(&mut self, e: &Element, bp: &str) {
        let p = format!("{bp}/{}", label(e));
        let local = if e.namespace.as_deref() == Some(SR_NS) {
            e.name.local.as_str()
        } else {
            ""
        };
        match local {
            "ResponseMessage" => {
                self.element_only(e, &p);
                let items: Vec<&Element> = e.elements().collect();
                let sr = items.first().filter(|x| x.is(SR_NS, "ServiceReference"));
                let srv = items
                    .get(1)
                    .filter(|x| x.is(SR_NS, "ServiceReferenceVariant"));
                if sr.is_none() {
                    self.problem(&p, "missing sr:ServiceReference first");
                }
                if srv.is_none() {
                    self.problem(&p, "missing sr:ServiceReferenceVariant second");
                }
                self.service_reference(sr.copied(), srv.copied(), &p);
                let rest = &items[items.len().min(2)..];
                if rest.len() > 1 {
                    self.problem(&p, "more than one content element");
                }
                for c in rest {
                    let cl = c.name.local.as_str();
                    if !c.is(SR_NS, cl) || !RESPONSE_CONTENT.contains(&cl) {
                        self.problem(&p, format!("unexpected element {}", label(c)));
                    } else if cl == "PreCommand" {
                        self.sequence(
                            c,
                            &format!("{p}/sr:PreCommand"),
                            &[("GBCSVersion", 1, 1), ("GBCSPayload", 1, 1)],
                        );
                    }
                }
            }
            "DeviceAlertMessage" => {
                self.sequence(
                    e,
                    &p,
                    &[
                        ("AlertCode", 1, 1),
                        ("ThrottledAlertSequenceId", 0, 1),
                        ("ThrottledAlertCount", 0, 1),
                        ("GBCSPayload", 1, 1),
                    ],
                );
                self.unsigned_ints(e, &p);
            }
            "DCCAlertMessage" => {
                let s = self.sequence(
                    e,
                    &p,
                    &[
                        ("DCCAlertCode", 1, 1),
                        ("ThrottledAlertSequenceId", 0, 1),
                        ("ThrottledAlertCount", 0, 1),
                        ("DCCAlert", 1, 1),
                    ],
                );
                if let Some(code) = s[0].first() {
                    if !is_dcc_alert_code(&code.text()) {
                        self.problem(
                            &format!("{p}/sr:DCCAlertCode"),
                            format!("{:?} is not a DCC alert code", clip(&code.text())),
                        );
                    }
                }
                if let Some(alert) = s[3].first() {
                    let ap = format!("{p}/sr:DCCAlert");
                    self.element_only(alert, &ap);
                    if alert.elements().count() != 1 {
                        self.problem(&ap, "not exactly one alert element");
                    }
                }
                self.unsigned_ints(e, &p);
            }
            "SMETS1ResponseMessage" => {}
            _ => self.problem(
                &p,
                "not ResponseMessage, DeviceAlertMessage, DCCAlertMessage or SMETS1ResponseMessage",
            ),
        }
    }

    fn unsigned_ints(&mut self, e: &Element, p: &str) {
        for local in ["ThrottledAlertSequenceId", "ThrottledAlertCount"] {
            if let Some(c) = e.child(SR_NS, local) {
                if trimmed(c).parse::<u32>().is_err() {
                    self.problem(&format!("{p}/sr:{local}"), "not an xs:unsignedInt");
                }
            }
        }
    }
}

/// The content elements a `ResponseMessage` may carry after SR and SRV.
pub const RESPONSE_CONTENT: &[&str] = &[
    "CINMessage",
    "DSPInventory",
    "DSPOptIn",
    "DSPSchedulesRead",
    "DSPScheduledMessage",
    "DSPScheduleID",
    "DSPUpdateFirmwareWarning",
    "DSPUpdatePPMIDFirmwareWarning",
    "DSPWANMatrix",
    "FutureDatedDeviceAlertMessage",
    "GBCSPayload",
    "LocalCommand",
    "PreCommand",
];

fn descendant<'a>(e: &'a Element, ns: &str, local: &str) -> Option<&'a Element> {
    for c in e.elements() {
        if c.is(ns, local) {
            return Some(c);
        }
        if let Some(d) = descendant(c, ns, local) {
            return Some(d);
        }
    }
    None
}

fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Checks `doc` against the DUIS model (see the module documentation): the kind of document
/// when it passes, else every problem found.
pub fn validate(doc: &Document) -> Result<DocumentKind, Vec<ValidationError>> {
    let mut c = Checker {
        problems: Vec::new(),
    };
    let root = &doc.root;
    let kind = if root.namespace.as_deref() != Some(SR_NS) {
        c.problem(
            &format!("/{}", label(root)),
            format!(
                "root element is not in the DUIS namespace {SR_NS} (it is in {})",
                root.namespace.as_deref().unwrap_or("no namespace")
            ),
        );
        None
    } else if root.name.local == "Request" {
        c.request(root);
        Some(DocumentKind::Request)
    } else if root.name.local == "Response" {
        c.response(root);
        Some(DocumentKind::Response)
    } else {
        c.problem(
            &format!("/{}", label(root)),
            "root element is neither sr:Request nor sr:Response",
        );
        None
    };
    match kind {
        Some(kind) if c.problems.is_empty() => Ok(kind),
        _ => Err(c.problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_date_times_follow_the_xsd_lexical_forms() {
        for s in [
            "2024-01-31T00:00:00Z",
            "2024-02-29T23:59:59.5+14:00",
            "2024-01-31T24:00:00",
        ] {
            assert!(is_date_time(s) && !is_date(s), "{s}");
        }
        for s in ["2024-01-31", "2024-01-31Z", "-0001-12-01-05:30"] {
            assert!(is_date(s) && !is_date_time(s), "{s}");
        }
        for s in [
            "2024-13-01",
            "2024-01-31T25:00:00",
            "2024-01-31+15:00",
            "2024-1-31",
            "",
        ] {
            assert!(!is_date_or_date_time(s), "{s}");
        }
    }

    #[test]
    fn base64_round_trips_and_refuses_bad_text() {
        for n in 0..20usize {
            let bytes: Vec<u8> = (0..n as u8).map(|b| b.wrapping_mul(37)).collect();
            let text = base64_encode(&bytes);
            assert_eq!(base64_decode(&text).unwrap(), bytes);
        }
        assert_eq!(base64_decode("ZGVm\r\nYXVsdA==").unwrap(), b"default");
        assert_eq!(base64_encode(b"default"), "ZGVmYXVsdA==");
        for bad in ["ZGVmYXVsdA=", "ZG=mYXVs", "ZGVm*XVs", "ZGVmYX===", "é"] {
            assert!(base64_decode(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn date_times_and_decimals() {
        for good in [
            "2022-08-17T15:45:42.790Z",
            "2022-08-17T15:45:42",
            "2022-08-17T15:45:42+01:00",
        ] {
            assert!(is_date_time(good), "{good}");
        }
        for bad in [
            "2022-08-17",
            "2022-13-17T15:45:42Z",
            "2022-08-17 15:45:42Z",
            "",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
        assert!(is_decimal("5.4") && is_decimal("5") && is_decimal("-.5"));
        assert!(!is_decimal("5.4.1") && !is_decimal("") && !is_decimal("."));
    }
}
