//! DUIS documents as a namespace-aware element tree, read with `quick-xml` and written back.
//!
//! The reader does no DTD or entity processing at all: a `<!DOCTYPE` or `<!ENTITY` anywhere in the
//! input is refused ([`XmlError::Doctype`]) before parsing starts, so an XXE document never reaches
//! the file system or the network. Only the five predefined entities and character references are
//! expanded; any other `&name;` is [`XmlError::Entity`]. Input longer than [`MAX_DOCUMENT_BYTES`]
//! is refused before parsing, and so is nesting deeper than [`MAX_DEPTH`]. The input must be
//! UTF-8 (a UTF-8 byte order mark is skipped).
//!
//! Whitespace text is kept as read: XML signatures cover it. Comments and processing
//! instructions inside the root element are kept; those outside it (prolog, epilog) are not.
//! Line ends are normalised as XML 1.0 says (CR LF and CR become LF), and attribute values are
//! normalised (literal tab, LF and CR become spaces; character references are kept).
//!
//! [`Document::to_xml`] writes an XML declaration and the tree, declaring each element's
//! `namespace_decls` and, where an element's or attribute's prefix is not bound to its namespace
//! in scope, the declaration it needs, so every written document is namespace-well-formed.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::fmt::Write as _;

/// The DUIS service request / response namespace (`sr:`).
pub const SR_NS: &str = "http://www.dccinterface.co.uk/ServiceUserGateway";
/// The Message Mapping Catalogue namespace (`ra:`), used in responses and alerts.
pub const RA_NS: &str = "http://www.dccinterface.co.uk/ResponseAndAlert";
/// The XML-DSig namespace (`ds:`).
pub const DS_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
/// The namespace bound to the `xml` prefix by definition.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// The namespace of namespace declarations (`xmlns`), never usable by elements or attributes.
pub const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// The largest document [`parse`] reads: 1 MiB. DUIS documents are a few kilobytes; the largest
/// (firmware updates) are well under this. Larger input is refused before any parsing.
pub const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;
/// Reads a document file of at most [`MAX_DOCUMENT_BYTES`]: only a regular file, and read
/// through the cap, since a device or a FIFO (`/dev/zero`) would never end and a file may
/// grow after its size was read. The error is a one-line reason.
pub fn read_document_file(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_DOCUMENT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(format!("over the {MAX_DOCUMENT_BYTES}-byte document limit"));
    }
    Ok(bytes)
}

/// The deepest element nesting [`parse`] accepts (the root is depth 1).
pub const MAX_DEPTH: usize = 64;

/// A qualified name as written: optional prefix and local part.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QName {
    pub prefix: Option<String>,
    pub local: String,
}

impl QName {
    /// A name with an optional prefix.
    pub fn new(prefix: Option<&str>, local: &str) -> QName {
        QName {
            prefix: prefix.map(str::to_string),
            local: local.to_string(),
        }
    }

    /// The name as written: `prefix:local` or `local`.
    pub fn qualified(&self) -> String {
        match &self.prefix {
            Some(p) => format!("{p}:{}", self.local),
            None => self.local.clone(),
        }
    }
}

impl std::fmt::Display for QName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.prefix {
            Some(p) => write!(f, "{p}:{}", self.local),
            None => f.write_str(&self.local),
        }
    }
}

/// An attribute (never a namespace declaration: those are in [`Element::namespace_decls`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub name: QName,
    /// The resolved namespace URI: `None` for an unprefixed attribute.
    pub namespace: Option<String>,
    /// The normalised value, entities and character references expanded.
    pub value: String,
}

/// An element with its resolved namespace, its own namespace declarations, attributes and
/// children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub name: QName,
    /// The resolved namespace URI (`None`: no namespace).
    pub namespace: Option<String>,
    /// `xmlns` (prefix `None`) and `xmlns:p` declarations made on this element, in order.
    pub namespace_decls: Vec<(Option<String>, String)>,
    /// Attributes in document order, not including namespace declarations.
    pub attributes: Vec<Attribute>,
    pub children: Vec<Node>,
}

/// A child of an element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Element(Element),
    /// Character data (CDATA sections included), entities expanded.
    Text(String),
    /// A comment's content (between `<!--` and `-->`).
    Comment(String),
    /// A processing instruction's content (between `<?` and `?>`): target, then data.
    ProcessingInstruction(String),
}

/// A document: its root element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub root: Element,
}

/// Why a document was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    #[error("document of {size} bytes is larger than the limit of {max} bytes")]
    TooLarge { size: usize, max: usize },
    #[error("document has a DOCTYPE or entity declaration (DTDs are never processed)")]
    Doctype,
    #[error("reference to entity &{name}; (only the predefined entities and character references are allowed)")]
    Entity { name: String },
    #[error("elements nested deeper than {max} levels")]
    TooDeep { max: usize },
    #[error("malformed XML at byte {offset}: {reason}")]
    Malformed { offset: u64, reason: String },
    #[error("prefix {prefix:?} is not bound to a namespace (at byte {offset})")]
    UnboundPrefix { prefix: String, offset: u64 },
    #[error("attribute {name} appears twice on one element (at byte {offset})")]
    DuplicateAttribute { name: String, offset: u64 },
    #[error("document is not UTF-8: {reason}")]
    Encoding { reason: String },
    #[error("document has no root element")]
    NoRoot,
}

/// Reads a document (see the module documentation for what is refused).
pub fn parse(input: &[u8]) -> Result<Document, XmlError> {
    if input.len() > MAX_DOCUMENT_BYTES {
        return Err(XmlError::TooLarge {
            size: input.len(),
            max: MAX_DOCUMENT_BYTES,
        });
    }
    if contains(input, b"<!DOCTYPE") || contains(input, b"<!ENTITY") {
        return Err(XmlError::Doctype);
    }
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let text = std::str::from_utf8(input).map_err(|e| XmlError::Encoding {
        reason: format!("invalid UTF-8 at byte {}", e.valid_up_to()),
    })?;
    Parser::new(text).run()
}

/// Reads a document from text.
pub fn parse_str(input: &str) -> Result<Document, XmlError> {
    parse(input.as_bytes())
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn malformed(offset: u64, reason: impl Into<String>) -> XmlError {
    XmlError::Malformed {
        offset,
        reason: reason.into(),
    }
}

/// A namespace scope: bindings made by one open element.
type Scope = Vec<(Option<String>, String)>;

struct Parser<'a> {
    reader: Reader<&'a [u8]>,
    /// Open elements (the last is the current one).
    stack: Vec<Element>,
    /// Namespace bindings per open element, parallel to `stack`.
    scopes: Vec<Scope>,
    /// Text being gathered for the current element (merged across text, CDATA and references).
    pending: String,
    root: Option<Element>,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Parser<'a> {
        let mut reader = Reader::from_str(text);
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        config.check_comments = true;
        config.trim_text(false);
        Parser {
            reader,
            stack: Vec::new(),
            scopes: Vec::new(),
            pending: String::new(),
            root: None,
        }
    }

    fn offset(&self) -> u64 {
        self.reader.buffer_position()
    }

    fn run(mut self) -> Result<Document, XmlError> {
        loop {
            let event = self
                .reader
                .read_event()
                .map_err(|e| malformed(self.reader.error_position(), e.to_string()))?;
            match event {
                Event::Start(start) => self.start(&start)?,
                Event::End(_) => self.end()?,
                Event::Empty(start) => {
                    // Not produced with expand_empty_elements, handled anyway.
                    self.start(&start)?;
                    self.end()?;
                }
                Event::Text(t) => {
                    let content = t
                        .xml10_content()
                        .map_err(|e| malformed(self.offset(), e.to_string()))?;
                    self.text(&content)?;
                }
                Event::CData(t) => {
                    let content = t
                        .xml10_content()
                        .map_err(|e| malformed(self.offset(), e.to_string()))?;
                    if self.stack.is_empty() {
                        return Err(malformed(self.offset(), "CDATA outside the root element"));
                    }
                    check_chars(&content, self.offset())?;
                    self.pending.push_str(&content);
                }
                Event::GeneralRef(r) => {
                    let name = r
                        .decode()
                        .map_err(|e| malformed(self.offset(), e.to_string()))?
                        .into_owned();
                    let expanded = expand_reference(&name, self.offset())?;
                    if self.stack.is_empty() {
                        return Err(malformed(
                            self.offset(),
                            "reference outside the root element",
                        ));
                    }
                    self.pending.push(expanded);
                }
                Event::Comment(t) => {
                    let content = t
                        .xml10_content()
                        .map_err(|e| malformed(self.offset(), e.to_string()))?
                        .into_owned();
                    check_chars(&content, self.offset())?;
                    if !self.stack.is_empty() {
                        self.flush_text();
                        self.current().children.push(Node::Comment(content));
                    }
                }
                Event::PI(pi) => {
                    let content = std::str::from_utf8(&pi)
                        .map_err(|e| malformed(self.offset(), e.to_string()))?
                        .to_string();
                    if !self.stack.is_empty() {
                        self.flush_text();
                        self.current()
                            .children
                            .push(Node::ProcessingInstruction(content));
                    }
                }
                Event::Decl(decl) => {
                    if let Some(enc) = decl.encoding() {
                        let enc = enc.map_err(|e| malformed(self.offset(), e.to_string()))?;
                        let enc = String::from_utf8_lossy(&enc).to_ascii_lowercase();
                        if enc != "utf-8" && enc != "us-ascii" && enc != "ascii" {
                            return Err(XmlError::Encoding {
                                reason: format!("declared encoding {enc:?} (only UTF-8 is read)"),
                            });
                        }
                    }
                }
                Event::DocType(_) => return Err(XmlError::Doctype),
                Event::Eof => break,
            }
        }
        if !self.stack.is_empty() {
            return Err(malformed(self.offset(), "unclosed element at end of input"));
        }
        self.root
            .map(|root| Document { root })
            .ok_or(XmlError::NoRoot)
    }

    fn current(&mut self) -> &mut Element {
        self.stack.last_mut().expect("an element is open")
    }

    fn flush_text(&mut self) {
        if !self.pending.is_empty() {
            let text = std::mem::take(&mut self.pending);
            if let Some(el) = self.stack.last_mut() {
                el.children.push(Node::Text(text));
            }
        }
    }

    fn text(&mut self, content: &str) -> Result<(), XmlError> {
        if self.stack.is_empty() {
            if content.chars().all(is_xml_space) {
                return Ok(());
            }
            return Err(malformed(self.offset(), "text outside the root element"));
        }
        check_chars(content, self.offset())?;
        self.pending.push_str(content);
        Ok(())
    }

    fn resolve(&self, prefix: Option<&str>, own: &Scope) -> Option<String> {
        if prefix == Some("xml") {
            return Some(XML_NS.to_string());
        }
        let want = prefix.map(str::to_string);
        for scope in std::iter::once(own).chain(self.scopes.iter().rev()) {
            if let Some((_, uri)) = scope.iter().rev().find(|(p, _)| *p == want) {
                return if uri.is_empty() {
                    None
                } else {
                    Some(uri.clone())
                };
            }
        }
        None
    }

    fn start(&mut self, start: &BytesStart<'_>) -> Result<(), XmlError> {
        let offset = self.offset();
        if self.root.is_some() {
            return Err(malformed(offset, "a second root element"));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(XmlError::TooDeep { max: MAX_DEPTH });
        }
        self.flush_text();
        let raw_name = std::str::from_utf8(start.name().as_ref())
            .map_err(|e| malformed(offset, e.to_string()))?
            .to_string();
        let name = split_name(&raw_name, offset)?;

        let mut decls: Scope = Vec::new();
        let mut raw_attrs: Vec<(QName, String)> = Vec::new();
        for attr in start.attributes() {
            let attr = attr.map_err(|e| malformed(offset, e.to_string()))?;
            let key = std::str::from_utf8(attr.key.as_ref())
                .map_err(|e| malformed(offset, e.to_string()))?;
            let raw_value =
                std::str::from_utf8(&attr.value).map_err(|e| malformed(offset, e.to_string()))?;
            let value = normalize_attribute(raw_value, offset)?;
            let qname = split_name(key, offset)?;
            match (qname.prefix.as_deref(), qname.local.as_str()) {
                (None, "xmlns") => {
                    if value == XML_NS || value == XMLNS_NS {
                        return Err(malformed(offset, "reserved namespace as default"));
                    }
                    decls.push((None, value));
                }
                (Some("xmlns"), p) => {
                    if value.is_empty() {
                        return Err(malformed(
                            offset,
                            format!(
                                "xmlns:{p}=\"\" (undeclaring a prefix is not XML 1.0 namespaces)"
                            ),
                        ));
                    }
                    if p == "xmlns" || (p == "xml") != (value == XML_NS) || value == XMLNS_NS {
                        return Err(malformed(
                            offset,
                            format!("reserved prefix or namespace in xmlns:{p}"),
                        ));
                    }
                    if decls.iter().any(|(q, _)| q.as_deref() == Some(p)) {
                        return Err(XmlError::DuplicateAttribute {
                            name: key.to_string(),
                            offset,
                        });
                    }
                    decls.push((Some(p.to_string()), value));
                }
                _ => raw_attrs.push((qname, value)),
            }
        }

        let namespace = match &name.prefix {
            Some(p) => {
                Some(
                    self.resolve(Some(p), &decls)
                        .ok_or_else(|| XmlError::UnboundPrefix {
                            prefix: p.clone(),
                            offset,
                        })?,
                )
            }
            None => self.resolve(None, &decls),
        };
        let mut attributes: Vec<Attribute> = Vec::with_capacity(raw_attrs.len());
        for (qname, value) in raw_attrs {
            let namespace =
                match &qname.prefix {
                    Some(p) => Some(self.resolve(Some(p), &decls).ok_or_else(|| {
                        XmlError::UnboundPrefix {
                            prefix: p.clone(),
                            offset,
                        }
                    })?),
                    None => None,
                };
            if attributes
                .iter()
                .any(|a| a.namespace == namespace && a.name.local == qname.local)
            {
                return Err(XmlError::DuplicateAttribute {
                    name: qname.qualified(),
                    offset,
                });
            }
            attributes.push(Attribute {
                name: qname,
                namespace,
                value,
            });
        }
        self.stack.push(Element {
            name,
            namespace,
            namespace_decls: decls.clone(),
            attributes,
            children: Vec::new(),
        });
        self.scopes.push(decls);
        Ok(())
    }

    fn end(&mut self) -> Result<(), XmlError> {
        self.flush_text();
        let offset = self.offset();
        let element = self
            .stack
            .pop()
            .ok_or_else(|| malformed(offset, "end tag with no open element"))?;
        self.scopes.pop();
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(Node::Element(element)),
            None => self.root = Some(element),
        }
        Ok(())
    }
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn check_chars(s: &str, offset: u64) -> Result<(), XmlError> {
    match s.chars().find(|c| !is_xml_char(*c)) {
        Some(c) => Err(malformed(
            offset,
            format!("character U+{:04X} is not allowed in XML 1.0", c as u32),
        )),
        None => Ok(()),
    }
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '\u{B7}')
}

fn split_name(raw: &str, offset: u64) -> Result<QName, XmlError> {
    let valid_part = |s: &str| {
        let mut chars = s.chars();
        matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_') && chars.all(is_name_char)
    };
    let (prefix, local) = match raw.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, raw),
    };
    if !valid_part(local) || prefix.is_some_and(|p| !valid_part(p)) {
        return Err(malformed(offset, format!("invalid name {raw:?}")));
    }
    Ok(QName::new(prefix, local))
}

/// Expands `&name;` (name without `&` and `;`): the five predefined entities and character
/// references; anything else is [`XmlError::Entity`].
fn expand_reference(name: &str, offset: u64) -> Result<char, XmlError> {
    let c = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => {
            let Some(num) = name.strip_prefix('#') else {
                return Err(XmlError::Entity {
                    name: name.chars().take(64).collect(),
                });
            };
            let code = match num.strip_prefix('x') {
                Some(hex) if !hex.is_empty() && hex.len() <= 8 => u32::from_str_radix(hex, 16).ok(),
                None if !num.is_empty() && num.len() <= 10 => num.parse::<u32>().ok(),
                _ => None,
            };
            let c = code.and_then(char::from_u32).filter(|c| is_xml_char(*c));
            return c
                .ok_or_else(|| malformed(offset, format!("invalid character reference &{name};")));
        }
    };
    Ok(c)
}

/// XML 1.0 attribute-value normalisation for CDATA attributes: references expanded, literal
/// tab / LF / CR (and CR LF) become a space; `<` is refused.
fn normalize_attribute(raw: &str, offset: u64) -> Result<String, XmlError> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find(['&', '<', '\t', '\n', '\r']) {
        out.push_str(&rest[..i]);
        let c = rest.as_bytes()[i];
        match c {
            b'&' => {
                let after = &rest[i + 1..];
                let end = after
                    .find(';')
                    .ok_or_else(|| malformed(offset, "unterminated reference in attribute"))?;
                out.push(expand_reference(&after[..end], offset)?);
                rest = &after[end + 1..];
            }
            b'<' => return Err(malformed(offset, "'<' in attribute value")),
            b'\r' => {
                out.push(' ');
                rest = rest[i + 1..].strip_prefix('\n').unwrap_or(&rest[i + 1..]);
            }
            _ => {
                out.push(' ');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    check_chars(&out, offset)?;
    Ok(out)
}

impl Document {
    /// A document with this root.
    pub fn new(root: Element) -> Document {
        Document { root }
    }

    /// The document as XML: `<?xml version="1.0" encoding="UTF-8"?>`, a newline, the root
    /// element, a newline.
    pub fn to_xml(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let mut scopes: Vec<Scope> = Vec::new();
        write_element(&mut out, &self.root, &mut scopes);
        out.push('\n');
        out
    }
}

fn in_scope<'s>(scopes: &'s [Scope], prefix: Option<&str>) -> Option<&'s str> {
    if prefix == Some("xml") {
        return Some(XML_NS);
    }
    scopes
        .iter()
        .rev()
        .flat_map(|s| s.iter().rev())
        .find(|(p, _)| p.as_deref() == prefix)
        .map(|(_, uri)| uri.as_str())
}

fn write_element(out: &mut String, el: &Element, scopes: &mut Vec<Scope>) {
    let mut decls: Scope = el.namespace_decls.clone();
    // Declarations the element's and attributes' names need but do not have in scope.
    let need = |prefix: Option<&String>, ns: Option<&String>, decls: &mut Scope| {
        if prefix.map(String::as_str) == Some("xml") {
            return;
        }
        let want = ns.map(String::as_str).unwrap_or("");
        let have = decls
            .iter()
            .rev()
            .find(|(p, _)| p.as_ref() == prefix)
            .map(|(_, u)| u.as_str())
            .or_else(|| in_scope(scopes, prefix.map(String::as_str)))
            .unwrap_or("");
        if have != want && !(prefix.is_some() && want.is_empty()) {
            decls.push((prefix.cloned(), want.to_string()));
        }
    };
    need(el.name.prefix.as_ref(), el.namespace.as_ref(), &mut decls);
    for a in &el.attributes {
        if a.name.prefix.is_some() {
            need(a.name.prefix.as_ref(), a.namespace.as_ref(), &mut decls);
        }
    }
    out.push('<');
    out.push_str(&el.name.qualified());
    for (prefix, uri) in &decls {
        match prefix {
            Some(p) => {
                let _ = write!(out, " xmlns:{p}=\"");
            }
            None => out.push_str(" xmlns=\""),
        }
        escape_attribute(out, uri);
        out.push('"');
    }
    for a in &el.attributes {
        out.push(' ');
        out.push_str(&a.name.qualified());
        out.push_str("=\"");
        escape_attribute(out, &a.value);
        out.push('"');
    }
    if el.children.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    scopes.push(decls);
    for child in &el.children {
        match child {
            Node::Element(e) => write_element(out, e, scopes),
            Node::Text(t) => escape_text(out, t),
            Node::Comment(c) => {
                out.push_str("<!--");
                out.push_str(c);
                out.push_str("-->");
            }
            Node::ProcessingInstruction(p) => {
                out.push_str("<?");
                out.push_str(p);
                out.push_str("?>");
            }
        }
    }
    scopes.pop();
    out.push_str("</");
    out.push_str(&el.name.qualified());
    out.push('>');
}

/// Text escaping for the writer: `&`, `<`, `>`, and CR as a character reference (so it survives
/// line-end normalisation when read back).
fn escape_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
}

/// Attribute escaping for the writer: `&`, `<`, `"`, and tab / LF / CR as character references
/// (so they survive attribute-value normalisation when read back).
fn escape_attribute(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
}

impl Element {
    /// An element in `namespace` (empty: no namespace) written with `prefix`. It declares
    /// nothing itself: declare namespaces on the root with [`Element::declare`] (the writer adds
    /// any declaration still missing where it is needed).
    pub fn new(namespace: &str, prefix: Option<&str>, local: &str) -> Element {
        Element {
            name: QName::new(prefix, local),
            namespace: (!namespace.is_empty()).then(|| namespace.to_string()),
            namespace_decls: Vec::new(),
            attributes: Vec::new(),
            children: Vec::new(),
        }
    }

    /// Whether this element is `{namespace}local` (empty namespace: no namespace).
    pub fn is(&self, namespace: &str, local: &str) -> bool {
        self.name.local == local && self.namespace.as_deref().unwrap_or("") == namespace
    }

    /// The first child element `{namespace}local`.
    pub fn child(&self, namespace: &str, local: &str) -> Option<&Element> {
        self.elements().find(|e| e.is(namespace, local))
    }

    /// The first child element `{namespace}local`, mutable.
    pub fn child_mut(&mut self, namespace: &str, local: &str) -> Option<&mut Element> {
        self.elements_mut().find(|e| e.is(namespace, local))
    }

    /// All child elements `{namespace}local`, in order.
    pub fn children_named<'s>(
        &'s self,
        namespace: &'s str,
        local: &'s str,
    ) -> impl Iterator<Item = &'s Element> + 's {
        self.elements().filter(move |e| e.is(namespace, local))
    }

    /// Child elements in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            _ => None,
        })
    }

    /// Child elements in order, mutable.
    pub fn elements_mut(&mut self) -> impl Iterator<Item = &mut Element> {
        self.children.iter_mut().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            _ => None,
        })
    }

    /// The direct text children joined (not the text of descendants).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for n in &self.children {
            if let Node::Text(t) = n {
                out.push_str(t);
            }
        }
        out
    }

    /// The value of the unqualified (no-namespace) attribute `local`.
    pub fn attribute(&self, local: &str) -> Option<&str> {
        self.attribute_ns("", local)
    }

    /// The value of attribute `{namespace}local` (empty namespace: unqualified).
    pub fn attribute_ns(&self, namespace: &str, local: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.name.local == local && a.namespace.as_deref().unwrap_or("") == namespace)
            .map(|a| a.value.as_str())
    }

    /// Sets (or adds) the unqualified attribute `local`.
    pub fn set_attribute(&mut self, local: &str, value: impl Into<String>) {
        let value = value.into();
        match self
            .attributes
            .iter_mut()
            .find(|a| a.name.local == local && a.namespace.is_none())
        {
            Some(a) => a.value = value,
            None => self.attributes.push(Attribute {
                name: QName::new(None, local),
                namespace: None,
                value,
            }),
        }
    }

    /// With the unqualified attribute `local` set.
    pub fn with_attribute(mut self, local: &str, value: impl Into<String>) -> Element {
        self.set_attribute(local, value);
        self
    }

    /// Declares `prefix` (None: the default namespace) as `namespace` on this element
    /// (replacing a declaration of the same prefix here).
    pub fn declare(&mut self, prefix: Option<&str>, namespace: &str) {
        let prefix = prefix.map(str::to_string);
        match self.namespace_decls.iter_mut().find(|(p, _)| *p == prefix) {
            Some(d) => d.1 = namespace.to_string(),
            None => self.namespace_decls.push((prefix, namespace.to_string())),
        }
    }

    /// With `prefix` declared as `namespace` on this element.
    pub fn with_declaration(mut self, prefix: Option<&str>, namespace: &str) -> Element {
        self.declare(prefix, namespace);
        self
    }

    /// Appends a child element.
    pub fn push(&mut self, child: Element) {
        self.children.push(Node::Element(child));
    }

    /// With a child element appended.
    pub fn with_child(mut self, child: Element) -> Element {
        self.push(child);
        self
    }

    /// Appends a text node.
    pub fn push_text(&mut self, text: impl Into<String>) {
        self.children.push(Node::Text(text.into()));
    }

    /// With a text child appended.
    pub fn with_text(mut self, text: impl Into<String>) -> Element {
        self.push_text(text);
        self
    }

    /// Removes the child elements `{namespace}local`; returns how many were removed.
    pub fn remove_children(&mut self, namespace: &str, local: &str) -> usize {
        let before = self.children.len();
        self.children
            .retain(|n| !matches!(n, Node::Element(e) if e.is(namespace, local)));
        before - self.children.len()
    }

    /// The first descendant (depth first, this element excluded) `{namespace}local`.
    pub fn descendant(&self, namespace: &str, local: &str) -> Option<&Element> {
        for e in self.elements() {
            if e.is(namespace, local) {
                return Some(e);
            }
            if let Some(d) = e.descendant(namespace, local) {
                return Some(d);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_resolve_with_scope() {
        let doc = parse(
            br#"<?xml version="1.0"?><a:r xmlns:a="urn:a" xmlns="urn:d" x="1" a:y="2"><b><a:c xmlns:a="urn:other"/></b><n xmlns=""/></a:r>"#,
        )
        .unwrap();
        let r = &doc.root;
        assert!(r.is("urn:a", "r"));
        assert_eq!(r.attribute("x"), Some("1"));
        assert_eq!(r.attribute_ns("urn:a", "y"), Some("2"));
        assert_eq!(r.attribute("y"), None);
        let b = r.child("urn:d", "b").unwrap();
        assert!(b.child("urn:other", "c").is_some());
        assert!(r.child("", "n").is_some());
        assert_eq!(r.namespace_decls.len(), 2);
    }

    #[test]
    fn unbound_prefix_refused() {
        assert!(matches!(
            parse(b"<a:r/>"),
            Err(XmlError::UnboundPrefix { ref prefix, .. }) if prefix == "a"
        ));
        assert!(matches!(
            parse(br#"<r p:x="1"/>"#),
            Err(XmlError::UnboundPrefix { .. })
        ));
        // Scope ends with the element that declared it.
        assert!(matches!(
            parse(br#"<r><a xmlns:p="urn:p"/><p:b/></r>"#),
            Err(XmlError::UnboundPrefix { .. })
        ));
    }

    #[test]
    fn doctype_and_entities_refused() {
        let xxe = br#"<?xml version="1.0"?><!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]><r>&xxe;</r>"#;
        assert_eq!(parse(xxe), Err(XmlError::Doctype));
        assert_eq!(parse(b"<!DOCTYPE r><r/>"), Err(XmlError::Doctype));
        assert!(parse(b"<!doctype r><r/>").is_err());
        assert_eq!(
            parse(b"<r><![CDATA[<!ENTITY x 'y'>]]></r>"),
            Err(XmlError::Doctype)
        );
        assert!(
            matches!(parse(b"<r>&xxe;</r>"), Err(XmlError::Entity { ref name }) if name == "xxe")
        );
        assert!(matches!(
            parse(b"<r a='&foo;'/>"),
            Err(XmlError::Entity { .. })
        ));
        let doc =
            parse(b"<r a='&lt;&#x41;&#66;&quot;'>&amp;&lt;&gt;&apos;&quot;&#169;</r>").unwrap();
        assert_eq!(doc.root.text(), "&<>'\"\u{a9}");
        assert_eq!(doc.root.attribute("a"), Some("<AB\""));
        assert!(parse(b"<r>&#0;</r>").is_err());
        assert!(parse(b"<r>&#xD800;</r>").is_err());
    }

    #[test]
    fn limits() {
        let big = vec![b' '; MAX_DOCUMENT_BYTES + 1];
        assert!(matches!(parse(&big), Err(XmlError::TooLarge { .. })));
        let deep = |n: usize| "<a>".repeat(n) + &"</a>".repeat(n);
        assert!(parse(deep(MAX_DEPTH).as_bytes()).is_ok());
        assert_eq!(
            parse(deep(MAX_DEPTH + 1).as_bytes()),
            Err(XmlError::TooDeep { max: MAX_DEPTH })
        );
    }

    #[test]
    fn malformed_never_panics() {
        for bad in [
            &b""[..],
            b"<",
            b"<r>",
            b"</r>",
            b"<r></s>",
            b"<r/><s/>",
            b"text<r/>",
            b"<r a='1' a='2'/>",
            b"<r xmlns:p='urn:x' xmlns:q='urn:x' p:a='1' q:a='2'/>",
            b"<r a=1/>",
            b"<r>&</r>",
            b"<r>&amp</r>",
            b"\xff\xfe<r/>",
            b"<r xmlns:p=''/>",
            b"<r>\x01</r>",
            b"<1r/>",
            b"<a:b:c xmlns:a='u'/>",
        ] {
            assert!(parse(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn whitespace_comments_and_line_ends_kept() {
        let doc = parse(b"<r>\r\n  <a> x </a><!-- c --><?pi d?>\r</r>").unwrap();
        assert_eq!(doc.root.children.len(), 5);
        assert_eq!(doc.root.children[0], Node::Text("\n  ".into()));
        assert_eq!(doc.root.children[2], Node::Comment(" c ".into()));
        assert_eq!(
            doc.root.children[3],
            Node::ProcessingInstruction("pi d".into())
        );
        assert_eq!(doc.root.children[4], Node::Text("\n".into()));
        let doc = parse(b"<r a='x\ty\r\nz'><![CDATA[<&>]]>t</r>").unwrap();
        assert_eq!(doc.root.attribute("a"), Some("x y z"));
        assert_eq!(doc.root.text(), "<&>t");
    }

    #[test]
    fn writer_escapes_and_round_trips() {
        let mut root = Element::new(SR_NS, Some("sr"), "Request")
            .with_declaration(Some("sr"), SR_NS)
            .with_attribute("a", "x&<\">\t\n\r'");
        root.push(Element::new(SR_NS, Some("sr"), "T").with_text("a&b<c>d\re"));
        root.push(Element::new("", None, "plain"));
        root.push(Element::new(DS_NS, Some("ds"), "Signature"));
        root.push(Element::new(RA_NS, None, "Defaulted").with_child(Element::new("", None, "n")));
        let doc = Document::new(root);
        let xml = doc.to_xml();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sr:Request"));
        assert!(
            xml.contains(r#"a="x&amp;&lt;&quot;>&#9;&#10;&#13;'""#),
            "{xml}"
        );
        assert!(xml.contains("a&amp;b&lt;c&gt;d&#13;e"), "{xml}");
        assert!(xml.contains(r#"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>"#));
        assert!(xml.contains(r#"<n xmlns=""/>"#), "{xml}");
        let back = parse(xml.as_bytes()).unwrap();
        assert_eq!(back.root.attribute("a"), doc.root.attribute("a"));
        assert_eq!(back.root.elements().next().unwrap().text(), "a&b<c>d\re");
        assert!(back.root.child(DS_NS, "Signature").is_some());
        assert!(back
            .root
            .child(RA_NS, "Defaulted")
            .unwrap()
            .child("", "n")
            .is_some());
        // Reading what was written and writing it again changes nothing.
        assert_eq!(
            back.to_xml(),
            parse(back.to_xml().as_bytes()).unwrap().to_xml()
        );
    }

    #[test]
    fn duis_xxe_fixture_refused() {
        let dir = std::env::var("GBCS_DUIS_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|_| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/duis")
            });
        let Ok(bytes) = std::fs::read(dir.join("fixtures/duis-xxe.xml")) else {
            eprintln!("skipped: no DUIS fixtures at {}", dir.display());
            return;
        };
        assert_eq!(parse(&bytes), Err(XmlError::Doctype));
    }
}
