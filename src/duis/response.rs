//! A DUIS response (`sr:Response`): service responses, acknowledgements, device alerts and DCC
//! alerts, read from and written to a [`Document`].
//!
//! The body kinds:
//! - `ResponseMessage` → [`ResponseBody::Message`]: SR, SRV and at most one content element
//!   ([`ResponseContent`]: a GBCS payload, a pre-command, a DSP inventory, another element, or
//!   none);
//! - `DeviceAlertMessage` → [`ResponseBody::DeviceAlert`] (the hex `AlertCode` as a number, the
//!   GBCS payload decoded);
//! - `DCCAlertMessage` → [`ResponseBody::DccAlert`] (its code and the one element inside
//!   `DCCAlert`); one carrying the optional throttling counts is kept whole as
//!   [`ResponseBody::Other`];
//! - anything else (`SMETS1ResponseMessage`) → [`ResponseBody::Other`], the element as read;
//! - an empty `sr:Body` → [`ResponseBody::Acknowledgement`]. The schema requires a body element,
//!   so the acknowledgements the DCC sends (I99, or an error code, synchronously) are
//!   `ResponseMessage`s echoing SR and SRV with no content, as DCC Boxed writes them
//!   (`fixtures/acknowledgement-error.xml`): build one with [`Response::acknowledgement`];
//!   [`Response::is_acknowledgement`] recognises both forms.
//!
//! A `ds:Signature` after the body is skipped. [`Response::to_document`] writes the response
//! unsigned with `schemaVersion="5.4"`; parsing it gives back an equal [`Response`].

use std::time::{SystemTime, UNIX_EPOCH};

use super::request::{
    base64_of, indented, label, new_root, read_request_id, root, sr, trimmed, Request, Seq,
};
use super::request_id::RequestId;
use super::validate::{base64_encode, hex_decode};
use super::xml::{Document, Element, DS_NS, SR_NS};

pub use super::codes::ResponseCode;
pub use super::request::ModelError;

/// A response, acknowledgement or alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub header: ResponseHeader,
    pub body: ResponseBody,
}

/// `sr:Response/sr:Header`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseHeader {
    pub request_id: Option<RequestId>,
    pub response_id: Option<RequestId>,
    pub response_code: ResponseCode,
    /// `xs:dateTime` as written (`2022-08-17T15:45:42.790Z`).
    pub response_date_time: String,
}

/// `sr:Response/sr:Body`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseBody {
    /// An empty `sr:Body` (not schema-valid; see the module documentation).
    Acknowledgement,
    /// `sr:ResponseMessage`.
    Message(ResponseMessage),
    /// `sr:DeviceAlertMessage`.
    DeviceAlert {
        /// `AlertCode`, two bytes of hex, as a number (`8F66` → 0x8F66).
        alert_code: u16,
        throttled_alert_sequence_id: Option<u32>,
        throttled_alert_count: Option<u32>,
        gbcs_payload: Vec<u8>,
    },
    /// `sr:DCCAlertMessage` without throttling counts.
    DccAlert {
        /// `DCCAlertCode`: AD1, N1…N65, N999.
        code: String,
        /// The one element inside `sr:DCCAlert` (e.g. `sr:PowerOutageEvent`).
        body: Element,
    },
    /// Any other body element, as read.
    Other(Element),
}

/// `sr:ResponseMessage`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseMessage {
    pub service_reference: String,
    pub service_reference_variant: String,
    pub content: ResponseContent,
}

/// What a `ResponseMessage` carries after SR and SRV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseContent {
    /// Nothing: an acknowledgement or a bare result.
    None,
    /// `sr:GBCSPayload`: the device's GBCS response, decoded.
    GbcsPayload(Vec<u8>),
    /// `sr:PreCommand`: the transformed command for a critical request (CV 4).
    PreCommand {
        gbcs_version: String,
        gbcs_payload: Vec<u8>,
    },
    /// `sr:DSPInventory`, as read.
    DspInventory(Element),
    /// Any other content element (`DSPScheduleID`, `LocalCommand`, …), as read.
    Other(Element),
}

/// `SystemTime` as an `xs:dateTime` in UTC with milliseconds, as DCC Boxed writes
/// `ResponseDateTime`: `2022-08-17T15:45:42.790Z`.
pub fn date_time_utc(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_millis()
    )
}

fn optional_u32(e: Option<&Element>, element: &'static str) -> Result<Option<u32>, ModelError> {
    e.map(|e| {
        trimmed(e).parse::<u32>().map_err(|_| ModelError::Value {
            element,
            value: trimmed(e).chars().take(40).collect(),
            reason: "not an xs:unsignedInt",
        })
    })
    .transpose()
}

impl Response {
    /// Reads a response document (see the module documentation).
    pub fn from_document(doc: &Document) -> Result<Response, ModelError> {
        let root = root(doc, "Response")?;
        let mut top = Seq::new(root)?;
        let header_el = top.required("Header")?;
        let body_el = top.required("Body")?;
        let _signature = top.optional(DS_NS, "Signature");
        top.end("nothing after sr:Body but ds:Signature")?;

        let mut h = Seq::new(header_el)?;
        let request_id = match h.optional(SR_NS, "RequestID") {
            Some(e) => Some(read_request_id(e, "RequestID")?),
            None => None,
        };
        let response_id = match h.optional(SR_NS, "ResponseID") {
            Some(e) => Some(read_request_id(e, "ResponseID")?),
            None => None,
        };
        let response_code: ResponseCode = h.required("ResponseCode")?.text().parse()?;
        let response_date_time = trimmed(h.required("ResponseDateTime")?);
        h.end("nothing after sr:ResponseDateTime")?;

        let mut b = Seq::new(body_el)?;
        let body = match b.any() {
            None => ResponseBody::Acknowledgement,
            Some(e) => {
                b.end("one body element only")?;
                Self::body(e)?
            }
        };
        Ok(Response {
            header: ResponseHeader {
                request_id,
                response_id,
                response_code,
                response_date_time,
            },
            body,
        })
    }

    fn body(e: &Element) -> Result<ResponseBody, ModelError> {
        if e.is(SR_NS, "ResponseMessage") {
            let mut s = Seq::new(e)?;
            let service_reference = trimmed(s.required("ServiceReference")?);
            let service_reference_variant = trimmed(s.required("ServiceReferenceVariant")?);
            let content = match s.any() {
                None => ResponseContent::None,
                Some(c) if c.is(SR_NS, "GBCSPayload") => {
                    ResponseContent::GbcsPayload(base64_of(c, "GBCSPayload")?)
                }
                Some(c) if c.is(SR_NS, "PreCommand") => {
                    let mut p = Seq::new(c)?;
                    let gbcs_version = trimmed(p.required("GBCSVersion")?);
                    let gbcs_payload = base64_of(p.required("GBCSPayload")?, "GBCSPayload")?;
                    p.end("nothing after sr:GBCSPayload")?;
                    ResponseContent::PreCommand {
                        gbcs_version,
                        gbcs_payload,
                    }
                }
                Some(c) if c.is(SR_NS, "DSPInventory") => ResponseContent::DspInventory(c.clone()),
                Some(c) => ResponseContent::Other(c.clone()),
            };
            s.end("one content element only")?;
            return Ok(ResponseBody::Message(ResponseMessage {
                service_reference,
                service_reference_variant,
                content,
            }));
        }
        if e.is(SR_NS, "DeviceAlertMessage") {
            let mut s = Seq::new(e)?;
            let code_el = s.required("AlertCode")?;
            let code = hex_decode(&code_el.text()).ok().filter(|b| b.len() == 2);
            let Some(code) = code else {
                return Err(ModelError::Value {
                    element: "AlertCode",
                    value: code_el.text().chars().take(40).collect(),
                    reason: "not two bytes of hex",
                });
            };
            let throttled_alert_sequence_id = optional_u32(
                s.optional(SR_NS, "ThrottledAlertSequenceId"),
                "ThrottledAlertSequenceId",
            )?;
            let throttled_alert_count = optional_u32(
                s.optional(SR_NS, "ThrottledAlertCount"),
                "ThrottledAlertCount",
            )?;
            let gbcs_payload = base64_of(s.required("GBCSPayload")?, "GBCSPayload")?;
            s.end("nothing after sr:GBCSPayload")?;
            return Ok(ResponseBody::DeviceAlert {
                alert_code: u16::from_be_bytes([code[0], code[1]]),
                throttled_alert_sequence_id,
                throttled_alert_count,
                gbcs_payload,
            });
        }
        if e.is(SR_NS, "DCCAlertMessage") {
            let mut s = Seq::new(e)?;
            let code = trimmed(s.required("DCCAlertCode")?);
            if s.optional(SR_NS, "ThrottledAlertSequenceId").is_some()
                || s.optional(SR_NS, "ThrottledAlertCount").is_some()
            {
                return Ok(ResponseBody::Other(e.clone()));
            }
            let alert = s.required("DCCAlert")?;
            s.end("nothing after sr:DCCAlert")?;
            let mut a = Seq::new(alert)?;
            let Some(inner) = a.any() else {
                return Err(ModelError::Missing {
                    parent: label(alert),
                    element: "an alert element",
                });
            };
            a.end("one alert element only")?;
            return Ok(ResponseBody::DccAlert {
                code,
                body: inner.clone(),
            });
        }
        Ok(ResponseBody::Other(e.clone()))
    }

    /// Writes the response, unsigned (see the module documentation).
    pub fn to_document(&self) -> Document {
        let h = &self.header;
        let mut header = Vec::new();
        if let Some(id) = &h.request_id {
            header.push(sr("RequestID", id.to_string()));
        }
        if let Some(id) = &h.response_id {
            header.push(sr("ResponseID", id.to_string()));
        }
        header.push(sr("ResponseCode", h.response_code.as_str()));
        header.push(sr("ResponseDateTime", h.response_date_time.clone()));
        let header = indented(Element::new(SR_NS, Some("sr"), "Header"), header, 1);
        let body = Element::new(SR_NS, Some("sr"), "Body");
        let body = match Self::body_element(&self.body) {
            None => body,
            Some(e) => indented(body, vec![e], 1),
        };
        Document::new(indented(new_root("Response"), vec![header, body], 0))
    }

    /// The body's element; none for an acknowledgement (an empty body).
    fn body_element(body: &ResponseBody) -> Option<Element> {
        let el = |local: &str| Element::new(SR_NS, Some("sr"), local);
        Some(match body {
            ResponseBody::Acknowledgement => return None,
            ResponseBody::Message(m) => {
                let mut items = vec![
                    sr("ServiceReference", m.service_reference.clone()),
                    sr(
                        "ServiceReferenceVariant",
                        m.service_reference_variant.clone(),
                    ),
                ];
                match &m.content {
                    ResponseContent::None => {}
                    ResponseContent::GbcsPayload(p) => {
                        items.push(sr("GBCSPayload", base64_encode(p)))
                    }
                    ResponseContent::PreCommand {
                        gbcs_version,
                        gbcs_payload,
                    } => items.push(indented(
                        el("PreCommand"),
                        vec![
                            sr("GBCSVersion", gbcs_version.clone()),
                            sr("GBCSPayload", base64_encode(gbcs_payload)),
                        ],
                        3,
                    )),
                    ResponseContent::DspInventory(e) | ResponseContent::Other(e) => {
                        items.push(e.clone())
                    }
                }
                indented(el("ResponseMessage"), items, 2)
            }
            ResponseBody::DeviceAlert {
                alert_code,
                throttled_alert_sequence_id,
                throttled_alert_count,
                gbcs_payload,
            } => {
                let mut items = vec![sr("AlertCode", format!("{alert_code:04X}"))];
                if let Some(n) = throttled_alert_sequence_id {
                    items.push(sr("ThrottledAlertSequenceId", n.to_string()));
                }
                if let Some(n) = throttled_alert_count {
                    items.push(sr("ThrottledAlertCount", n.to_string()));
                }
                items.push(sr("GBCSPayload", base64_encode(gbcs_payload)));
                indented(el("DeviceAlertMessage"), items, 2)
            }
            ResponseBody::DccAlert { code, body } => indented(
                el("DCCAlertMessage"),
                vec![
                    sr("DCCAlertCode", code.clone()),
                    indented(el("DCCAlert"), vec![body.clone()], 3),
                ],
                2,
            ),
            ResponseBody::Other(e) => e.clone(),
        })
    }

    /// The acknowledgement the DCC answers a request with, synchronously: `code` (I99 when
    /// accepted, an E code when not), the request's RequestID, SR and SRV echoed, no content.
    pub fn acknowledgement(request: &Request, code: ResponseCode, date_time: String) -> Response {
        Response {
            header: ResponseHeader {
                request_id: Some(request.header.request_id),
                response_id: None,
                response_code: code,
                response_date_time: date_time,
            },
            body: ResponseBody::Message(ResponseMessage {
                service_reference: request.header.service_reference.clone(),
                service_reference_variant: request.header.service_reference_variant.clone(),
                content: ResponseContent::None,
            }),
        }
    }

    /// A response with no content element: an empty body, or a `ResponseMessage` with SR and
    /// SRV only (what the DCC answers synchronously).
    pub fn is_acknowledgement(&self) -> bool {
        matches!(
            &self.body,
            ResponseBody::Acknowledgement
                | ResponseBody::Message(ResponseMessage {
                    content: ResponseContent::None,
                    ..
                })
        )
    }

    /// The GBCS payload a response or alert carries (`GBCSPayload` of a response message or a
    /// device alert, the pre-command's), if any.
    pub fn gbcs_payload(&self) -> Option<&[u8]> {
        match &self.body {
            ResponseBody::Message(m) => match &m.content {
                ResponseContent::GbcsPayload(p) => Some(p),
                ResponseContent::PreCommand { gbcs_payload, .. } => Some(gbcs_payload),
                _ => None,
            },
            ResponseBody::DeviceAlert { gbcs_payload, .. } => Some(gbcs_payload),
            _ => None,
        }
    }

    /// A short name of the body kind: `Acknowledgement`, `ResponseMessage`, `DeviceAlertMessage`,
    /// `DCCAlertMessage`, or the other element's local name.
    pub fn body_kind(&self) -> &str {
        match &self.body {
            ResponseBody::Acknowledgement => "Acknowledgement",
            ResponseBody::Message(_) => "ResponseMessage",
            ResponseBody::DeviceAlert { .. } => "DeviceAlertMessage",
            ResponseBody::DccAlert { .. } => "DCCAlertMessage",
            ResponseBody::Other(e) => &e.name.local,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duis::xml::parse_str;

    #[test]
    fn date_time_is_utc_with_milliseconds() {
        let t = UNIX_EPOCH + std::time::Duration::from_millis(1_660_751_142_790);
        assert_eq!(date_time_utc(t), "2022-08-17T15:45:42.790Z");
        assert_eq!(date_time_utc(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let leap = UNIX_EPOCH + std::time::Duration::from_secs(951_782_400);
        assert_eq!(date_time_utc(leap), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn alerts_round_trip() {
        let header = ResponseHeader {
            request_id: None,
            response_id: Some(
                "00-DB-12-34-56-78-90-A0:90-B3-D5-1F-30-01-00-00:1"
                    .parse()
                    .unwrap(),
            ),
            response_code: ResponseCode::I0,
            response_date_time: "2022-08-17T15:45:42.790Z".into(),
        };
        let device = Response {
            header: header.clone(),
            body: ResponseBody::DeviceAlert {
                alert_code: 0x8F66,
                throttled_alert_sequence_id: Some(3),
                throttled_alert_count: None,
                gbcs_payload: vec![0xDD, 0, 1, 2],
            },
        };
        let dcc = Response {
            header,
            body: ResponseBody::DccAlert {
                code: "N24".into(),
                body: Element::new(SR_NS, Some("sr"), "RecoveryComplete"),
            },
        };
        for r in [device, dcc] {
            let xml = r.to_document().to_xml();
            let again = Response::from_document(&parse_str(&xml).unwrap()).unwrap();
            assert_eq!(again, r, "{xml}");
        }
    }
}
