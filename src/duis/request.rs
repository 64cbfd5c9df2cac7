//! A DUIS service request (`sr:Request`), read from and written to a [`Document`].
//!
//! [`Request::from_document`] reads the structure: the root `sr:Request`, the header elements in
//! the schema's order with their values parsed (RequestID, CommandVariant strictly), and the
//! one body element, kept as an element tree ([`RequestBody::Service`]) or, for a signed
//! pre-command, its GBCS payload decoded ([`RequestBody::SignedPreCommand`]). A `ds:Signature`
//! after the body is skipped: the model is the unsigned request. Whether the request is
//! consistent (the variant known, the body the variant's, the command variant allowed) is
//! [`crate::duis::validate`]'s to say.
//!
//! [`Request::to_document`] writes the request unsigned, `schemaVersion="5.4"` (the version this
//! model and its catalogue follow, whatever the source said), `sr:` declared on the root and the
//! header and body indented. Parsing what it writes gives back an equal [`Request`].

use serde::Serialize;

use super::request_id::{RequestId, RequestIdError};
use super::services::CommandVariantError;
use super::validate::{base64_decode, base64_encode, Base64Error};
use super::xml::{Document, Element, Node, DS_NS, SR_NS};

pub use super::codes::{ResponseCode, UnknownResponseCode};
pub use super::services::CommandVariant;

/// The `schemaVersion` this model writes.
pub const SCHEMA_VERSION: &str = "5.4";

/// A service request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub header: RequestHeader,
    pub body: RequestBody,
}

/// `sr:Request/sr:Header`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestHeader {
    pub request_id: RequestId,
    pub first_in_sequence: Option<bool>,
    pub preceding_request_id: Option<RequestId>,
    pub command_variant: CommandVariant,
    pub service_reference: String,
    pub service_reference_variant: String,
}

/// `sr:Request/sr:Body`: the service request element, or a signed pre-command (CV 5, 6, 7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestBody {
    /// The one body element, e.g. `sr:ReadInstantaneousImportRegisters`, as read.
    Service(Element),
    /// `sr:SignedPreCommand/sr:GBCSPayload`, decoded.
    SignedPreCommand { gbcs_payload: Vec<u8> },
}

impl RequestBody {
    /// The body element's local name (`SignedPreCommand` for a signed pre-command).
    pub fn local_name(&self) -> &str {
        match self {
            RequestBody::Service(e) => &e.name.local,
            RequestBody::SignedPreCommand { .. } => "SignedPreCommand",
        }
    }
}

/// Why a document is not the request or response the model expects.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("root element is {found}, not {{{namespace}}}{expected}")]
    Root {
        expected: &'static str,
        namespace: &'static str,
        found: String,
    },
    #[error("{parent} has no {element}")]
    Missing {
        parent: String,
        element: &'static str,
    },
    #[error("{parent} has an unexpected element {found} (expected {expected})")]
    Unexpected {
        parent: String,
        found: String,
        expected: &'static str,
    },
    #[error("{element} has text content {text:?} where only elements belong")]
    StrayText { element: String, text: String },
    #[error("{element}: {source}")]
    RequestId {
        element: &'static str,
        source: RequestIdError,
    },
    #[error("CommandVariant: {0}")]
    CommandVariant(#[from] CommandVariantError),
    #[error("ResponseCode: {0}")]
    ResponseCode(#[from] UnknownResponseCode),
    #[error("{element} value {value:?}: {reason}")]
    Value {
        element: &'static str,
        value: String,
        reason: &'static str,
    },
    #[error("{element} is not base64: {source}")]
    Base64 {
        element: &'static str,
        source: Base64Error,
    },
    #[error("{what} is not modelled")]
    Unsupported { what: &'static str },
}

/// The XML whitespace characters (space, tab, LF, CR).
pub(crate) fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// An element's text with surrounding XML whitespace removed.
pub(crate) fn trimmed(e: &Element) -> String {
    e.text().trim_matches(is_xml_space).to_string()
}

/// A readable name for an element in errors: `sr:Header`.
pub(crate) fn label(e: &Element) -> String {
    e.name.qualified()
}

/// Refuses non-whitespace text directly inside `e` (element-only content).
pub(crate) fn element_only(e: &Element) -> Result<(), ModelError> {
    for n in &e.children {
        if let Node::Text(t) = n {
            if !t.chars().all(is_xml_space) {
                return Err(ModelError::StrayText {
                    element: label(e),
                    text: t.chars().take(40).collect(),
                });
            }
        }
    }
    Ok(())
}

/// Reads child elements in order, for sequences.
pub(crate) struct Seq<'a> {
    parent: &'a Element,
    items: Vec<&'a Element>,
    next: usize,
}

impl<'a> Seq<'a> {
    pub(crate) fn new(parent: &'a Element) -> Result<Seq<'a>, ModelError> {
        element_only(parent)?;
        Ok(Seq {
            parent,
            items: parent.elements().collect(),
            next: 0,
        })
    }

    /// The next element if it is `{namespace}local`.
    pub(crate) fn optional(&mut self, namespace: &str, local: &str) -> Option<&'a Element> {
        let e = *self.items.get(self.next)?;
        if e.is(namespace, local) {
            self.next += 1;
            Some(e)
        } else {
            None
        }
    }

    /// The next element, which must be `{SR}local`.
    pub(crate) fn required(&mut self, local: &'static str) -> Result<&'a Element, ModelError> {
        match self.optional(SR_NS, local) {
            Some(e) => Ok(e),
            None => match self.items.get(self.next) {
                Some(found) => Err(ModelError::Unexpected {
                    parent: label(self.parent),
                    found: label(found),
                    expected: local,
                }),
                None => Err(ModelError::Missing {
                    parent: label(self.parent),
                    element: local,
                }),
            },
        }
    }

    /// The next element, whatever it is.
    pub(crate) fn any(&mut self) -> Option<&'a Element> {
        let e = *self.items.get(self.next)?;
        self.next += 1;
        Some(e)
    }

    /// Refuses any element left.
    pub(crate) fn end(&self, expected: &'static str) -> Result<(), ModelError> {
        match self.items.get(self.next) {
            None => Ok(()),
            Some(found) => Err(ModelError::Unexpected {
                parent: label(self.parent),
                found: label(found),
                expected,
            }),
        }
    }
}

pub(crate) fn read_request_id(e: &Element, element: &'static str) -> Result<RequestId, ModelError> {
    trimmed(e)
        .parse()
        .map_err(|source| ModelError::RequestId { element, source })
}

pub(crate) fn base64_of(e: &Element, element: &'static str) -> Result<Vec<u8>, ModelError> {
    base64_decode(&e.text()).map_err(|source| ModelError::Base64 { element, source })
}

/// `xs:boolean`: true, false, 1, 0 (whitespace collapsed).
pub(crate) fn boolean(e: &Element, element: &'static str) -> Result<bool, ModelError> {
    match trimmed(e).as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        other => Err(ModelError::Value {
            element,
            value: other.chars().take(40).collect(),
            reason: "not an xs:boolean (true, false, 1, 0)",
        }),
    }
}

/// Checks the root is `{SR}local`.
pub(crate) fn root<'a>(doc: &'a Document, local: &'static str) -> Result<&'a Element, ModelError> {
    if doc.root.is(SR_NS, local) {
        Ok(&doc.root)
    } else {
        Err(ModelError::Root {
            expected: local,
            namespace: SR_NS,
            found: match &doc.root.namespace {
                Some(ns) => format!("{{{ns}}}{}", doc.root.name.local),
                None => doc.root.name.local.clone(),
            },
        })
    }
}

/// An `sr:` element with text.
pub(crate) fn sr(local: &str, text: impl Into<String>) -> Element {
    Element::new(SR_NS, Some("sr"), local).with_text(text)
}

/// Appends `children` to `parent`, each on its own line indented by `depth` levels.
pub(crate) fn indented(mut parent: Element, children: Vec<Element>, depth: usize) -> Element {
    let inner = format!("\n{}", "  ".repeat(depth + 1));
    for child in children {
        parent.children.push(Node::Text(inner.clone()));
        parent.children.push(Node::Element(child));
    }
    parent
        .children
        .push(Node::Text(format!("\n{}", "  ".repeat(depth))));
    parent
}

/// The root element of a document this model writes: `sr:{local}` declaring `sr:`, with the
/// schema version.
pub(crate) fn new_root(local: &str) -> Element {
    let mut root =
        Element::new(SR_NS, Some("sr"), local).with_attribute("schemaVersion", SCHEMA_VERSION);
    root.declare(Some("sr"), SR_NS);
    root
}

impl Request {
    /// Reads a request document (see the module documentation).
    pub fn from_document(doc: &Document) -> Result<Request, ModelError> {
        let root = root(doc, "Request")?;
        let mut top = Seq::new(root)?;
        let header_el = top.required("Header")?;
        let body_el = top.required("Body")?;
        let _signature = top.optional(DS_NS, "Signature");
        top.end("nothing after sr:Body but ds:Signature")?;

        let mut h = Seq::new(header_el)?;
        let request_id = read_request_id(h.required("RequestID")?, "RequestID")?;
        let first_in_sequence = match h.optional(SR_NS, "FirstInSequence") {
            Some(e) => Some(boolean(e, "FirstInSequence")?),
            None => None,
        };
        let preceding_request_id = match h.optional(SR_NS, "PrecedingServiceRequestID") {
            Some(e) => Some(read_request_id(e, "PrecedingServiceRequestID")?),
            None => None,
        };
        let command_variant: CommandVariant = trimmed(h.required("CommandVariant")?).parse()?;
        let service_reference = trimmed(h.required("ServiceReference")?);
        let service_reference_variant = trimmed(h.required("ServiceReferenceVariant")?);
        h.end("nothing after sr:ServiceReferenceVariant")?;

        let mut b = Seq::new(body_el)?;
        let Some(element) = b.any() else {
            return Err(ModelError::Missing {
                parent: label(body_el),
                element: "a request element",
            });
        };
        b.end("one request element only")?;
        let body = if element.is(SR_NS, "SignedPreCommand") {
            let mut s = Seq::new(element)?;
            if s.optional(SR_NS, "ExecutionDateTime").is_some() {
                return Err(ModelError::Unsupported {
                    what: "SignedPreCommand/ExecutionDateTime",
                });
            }
            let payload = base64_of(s.required("GBCSPayload")?, "GBCSPayload")?;
            s.end("nothing after sr:GBCSPayload")?;
            RequestBody::SignedPreCommand {
                gbcs_payload: payload,
            }
        } else {
            RequestBody::Service(element.clone())
        };
        Ok(Request {
            header: RequestHeader {
                request_id,
                first_in_sequence,
                preceding_request_id,
                command_variant,
                service_reference,
                service_reference_variant,
            },
            body,
        })
    }

    /// Writes the request, unsigned (see the module documentation).
    pub fn to_document(&self) -> Document {
        let h = &self.header;
        let mut header = vec![sr("RequestID", h.request_id.to_string())];
        if let Some(first) = h.first_in_sequence {
            header.push(sr("FirstInSequence", first.to_string()));
        }
        if let Some(p) = &h.preceding_request_id {
            header.push(sr("PrecedingServiceRequestID", p.to_string()));
        }
        header.push(sr("CommandVariant", h.command_variant.to_string()));
        header.push(sr("ServiceReference", h.service_reference.clone()));
        header.push(sr(
            "ServiceReferenceVariant",
            h.service_reference_variant.clone(),
        ));
        let header = indented(Element::new(SR_NS, Some("sr"), "Header"), header, 1);
        let element = match &self.body {
            RequestBody::Service(e) => e.clone(),
            RequestBody::SignedPreCommand { gbcs_payload } => indented(
                Element::new(SR_NS, Some("sr"), "SignedPreCommand"),
                vec![sr("GBCSPayload", base64_encode(gbcs_payload))],
                2,
            ),
        };
        let body = indented(Element::new(SR_NS, Some("sr"), "Body"), vec![element], 1);
        Document::new(indented(new_root("Request"), vec![header, body], 0))
    }

    /// The catalogue entry of the request's service reference variant, if known.
    pub fn service(&self) -> Option<&'static super::services::ServiceRequest> {
        super::services::find(&self.header.service_reference_variant)
    }
}

impl RequestHeader {
    /// The request id's counter.
    pub fn counter(&self) -> u64 {
        self.request_id.counter
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duis::xml::parse_str;

    const REQUEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.0">
  <sr:Header>
    <sr:RequestID>90-B3-D5-1F-30-01-00-00:00-07-81-D7-00-00-36-CE:1000</sr:RequestID>
    <sr:CommandVariant>1</sr:CommandVariant>
    <sr:ServiceReference>4.1</sr:ServiceReference>
    <sr:ServiceReferenceVariant>4.1.1</sr:ServiceReferenceVariant>
  </sr:Header>
  <sr:Body>
    <sr:ReadInstantaneousImportRegisters/>
  </sr:Body>
</sr:Request>"#;

    #[test]
    fn reads_and_writes_back_the_same_request() {
        let r = Request::from_document(&parse_str(REQUEST).unwrap()).unwrap();
        assert_eq!(r.header.counter(), 1000);
        assert_eq!(r.header.command_variant, CommandVariant::NonCriticalWan);
        assert_eq!(r.body.local_name(), "ReadInstantaneousImportRegisters");
        let xml = r.to_document().to_xml();
        assert!(xml.contains("schemaVersion=\"5.4\""), "{xml}");
        let again = Request::from_document(&parse_str(&xml).unwrap()).unwrap();
        assert_eq!(again, r);
        assert_eq!(
            r.service().unwrap().name,
            "Read Instantaneous Import Registers"
        );
    }

    #[test]
    fn signed_pre_command_round_trips() {
        let mut r = Request::from_document(&parse_str(REQUEST).unwrap()).unwrap();
        r.header.command_variant = CommandVariant::SignedPreCommandWan;
        r.body = RequestBody::SignedPreCommand {
            gbcs_payload: vec![0xDF, 0x09, 0, 1, 2, 255],
        };
        let xml = r.to_document().to_xml();
        assert!(
            xml.contains("<sr:GBCSPayload>3wkAAQL/</sr:GBCSPayload>"),
            "{xml}"
        );
        assert_eq!(
            Request::from_document(&parse_str(&xml).unwrap()).unwrap(),
            r
        );
    }

    #[test]
    fn refuses_misplaced_or_bad_header_elements() {
        let swapped = REQUEST.replace(
            "<sr:CommandVariant>1</sr:CommandVariant>\n    <sr:ServiceReference>4.1</sr:ServiceReference>",
            "<sr:ServiceReference>4.1</sr:ServiceReference>\n    <sr:CommandVariant>1</sr:CommandVariant>",
        );
        assert!(matches!(
            Request::from_document(&parse_str(&swapped).unwrap()),
            Err(ModelError::Unexpected { .. })
        ));
        let bad_id = REQUEST.replace("36-CE:1000", "36-CE::1000");
        assert!(matches!(
            Request::from_document(&parse_str(&bad_id).unwrap()),
            Err(ModelError::RequestId { .. })
        ));
        let bad_cv = REQUEST.replace(">1</sr:CommandVariant>", ">10</sr:CommandVariant>");
        assert!(matches!(
            Request::from_document(&parse_str(&bad_cv).unwrap()),
            Err(ModelError::CommandVariant(_))
        ));
        let two = REQUEST.replace(
            "<sr:ReadInstantaneousImportRegisters/>",
            "<sr:ReadInstantaneousImportRegisters/><sr:ReadInstantaneousImportRegisters/>",
        );
        assert!(Request::from_document(&parse_str(&two).unwrap()).is_err());
        let response = REQUEST.replace("sr:Request", "sr:Response");
        assert!(matches!(
            Request::from_document(&parse_str(&response).unwrap()),
            Err(ModelError::Root { .. })
        ));
    }
}
