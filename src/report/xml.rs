//! A minimal XML element tree with an escaping writer and a quick-xml based reader.
//!
//! Why not `junit-report`: version 0.9.1 (the latest) has no `<properties>` at all — neither
//! on testsuites nor on testcases — and the report must carry the target, profile, harness
//! version and firmware on the suite and the use case, service request, device and tags on
//! each testcase. It would also pull `time` 0.3.55, whose MSRV (1.88) is above ours (1.85).
//! So the harness writes the XML itself. The writer is small on purpose: a tree of elements,
//! attributes and text, one escaping function per context, and nothing else. `quick-xml`
//! (the parser junit-report itself uses, MSRV 1.79, depends only on `memchr`) reads shard
//! files back for `report merge`.

use std::fmt::Write as _;

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

/// An XML element: name, attributes in order, children (elements and text).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
    /// A child element already rendered at its depth (the JUnit writer keeps each suite's
    /// text, so a scenario's result re-renders only its own suite).
    Rendered(String),
}

impl Element {
    pub fn new(name: &str) -> Self {
        Element {
            name: name.to_string(),
            ..Element::default()
        }
    }

    pub fn attr(mut self, key: &str, value: impl Into<String>) -> Self {
        self.set_attr(key, value);
        self
    }

    pub fn set_attr(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        match self.attrs.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.attrs.push((key.to_string(), value)),
        }
    }

    pub fn get_attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn child(mut self, child: Element) -> Self {
        self.children.push(Node::Element(child));
        self
    }

    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.children.push(Node::Text(text.into()));
        self
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) | Node::Rendered(_) => None,
        })
    }

    /// Renders a whole document with the XML declaration.
    pub fn to_document(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        self.render(&mut out, 0);
        out.push('\n');
        out
    }

    /// The element rendered as a child at `depth`, for [`Node::Rendered`].
    pub fn render_at(&self, depth: usize) -> String {
        let mut out = String::new();
        self.render(&mut out, depth);
        out
    }

    fn render(&self, out: &mut String, depth: usize) {
        indent(out, depth);
        out.push('<');
        out.push_str(&self.name);
        for (k, v) in &self.attrs {
            let _ = write!(out, " {k}=\"{}\"", escape_attr(v));
        }
        if self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        // Elements holding text are written inline so that no indentation whitespace leaks
        // into the failure text an assessor reads.
        let has_text = self.children.iter().any(|c| matches!(c, Node::Text(_)));
        for c in &self.children {
            match c {
                Node::Text(t) => out.push_str(&escape_text(t)),
                Node::Rendered(r) => {
                    out.push('\n');
                    out.push_str(r);
                }
                Node::Element(e) if has_text => e.render(out, usize::MAX),
                Node::Element(e) => {
                    out.push('\n');
                    e.render(out, depth + 1);
                }
            }
        }
        if !has_text {
            out.push('\n');
            indent(out, depth);
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }
}

fn indent(out: &mut String, depth: usize) {
    if depth != usize::MAX {
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
}

/// Characters XML 1.0 cannot carry at all, not even as `&#N;`: C0 controls other than tab,
/// LF and CR, and U+FFFE/U+FFFF. Frames and decoder messages can contain such bytes, so they
/// are written as a visible `\xNN` / `\u{NNNN}` instead of making the report unparseable.
fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

fn push_forbidden(out: &mut String, c: char) {
    if (c as u32) < 0x100 {
        let _ = write!(out, "\\x{:02x}", c as u32);
    } else {
        let _ = write!(out, "\\u{{{:04x}}}", c as u32);
    }
}

/// Escapes element text: `&` and `<` must be, `>` is escaped so `]]>` cannot appear, and CR is
/// written as a reference because parsers would otherwise normalise it away.
pub(crate) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c if forbidden(c) => push_forbidden(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// Escapes an attribute value. Besides markup and both quote kinds, whitespace other than
/// space is written as references: attribute-value normalisation would turn a literal tab or
/// newline into a space.
pub(crate) fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if forbidden(c) => push_forbidden(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// How deep elements may nest in a parsed document (the root is depth 1). JUnit needs 5
/// (testsuites, testsuite, testcase, properties, property); the tree is rendered and dropped
/// recursively, so an unbounded depth from an untrusted shard would overflow the stack.
pub(crate) const MAX_DEPTH: usize = 32;

/// Parses a document into its root element. Whitespace-only text between elements is
/// dropped (it is indentation); comments, processing instructions and the declaration too.
/// Elements nested deeper than [`MAX_DEPTH`] are an error.
pub(crate) fn parse(doc: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(doc);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let pos = |r: &Reader<&[u8]>| r.buffer_position();

    loop {
        let ev = reader
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", pos(&reader)))?;
        match ev {
            Event::Start(ref s) | Event::Empty(ref s) => {
                let is_empty = matches!(ev, Event::Empty(_));
                let name = String::from_utf8_lossy(s.name().as_ref()).into_owned();
                let mut el = Element::new(&name);
                for a in s.attributes() {
                    let a = a.map_err(|e| format!("at byte {}: {e}", pos(&reader)))?;
                    let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
                    // Full XML 1.0 attribute-value normalisation, as any consumer would see it.
                    let value = a
                        .normalized_value(XmlVersion::Implicit1_0)
                        .map_err(|e| format!("at byte {}: {e}", pos(&reader)))?;
                    el.attrs.push((key, value.into_owned()));
                }
                if root.is_some() {
                    return Err(format!("second root element <{name}>"));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(format!(
                        "at byte {}: <{name}> is nested more than {MAX_DEPTH} elements deep (the most a report may nest)",
                        pos(&reader)
                    ));
                }
                if is_empty {
                    attach(&mut stack, &mut root, el);
                } else {
                    stack.push(el);
                }
            }
            Event::End(_) => {
                let el = stack.pop().ok_or("unbalanced end tag")?;
                attach(&mut stack, &mut root, el);
            }
            Event::Text(t) => {
                let t = t.decode().map_err(|e| e.to_string())?;
                push_text(&mut stack, &t)?;
            }
            Event::CData(t) => {
                let t = t.decode().map_err(|e| e.to_string())?;
                push_text(&mut stack, &t)?;
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c,
                    None => match r.decode().map_err(|e| e.to_string())?.as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => return Err(format!("unknown entity &{other};")),
                    },
                };
                push_text(&mut stack, c.encode_utf8(&mut [0; 4]))?;
            }
            Event::Eof => break,
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!("unclosed element <{}>", open.name));
    }
    let mut root = root.ok_or("no root element")?;
    drop_indentation(&mut root);
    Ok(root)
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, el: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(Node::Element(el)),
        None => *root = Some(el),
    }
}

fn push_text(stack: &mut [Element], t: &str) -> Result<(), String> {
    let Some(parent) = stack.last_mut() else {
        if t.trim().is_empty() {
            return Ok(());
        }
        return Err("text outside the root element".into());
    };
    // References arrive as separate events; join them with the surrounding text.
    if let Some(Node::Text(prev)) = parent.children.last_mut() {
        prev.push_str(t);
    } else {
        parent.children.push(Node::Text(t.to_string()));
    }
    Ok(())
}

fn drop_indentation(el: &mut Element) {
    let has_element = el.children.iter().any(|c| matches!(c, Node::Element(_)));
    if has_element {
        el.children
            .retain(|c| !matches!(c, Node::Text(t) if t.trim().is_empty()));
    }
    for c in &mut el.children {
        if let Node::Element(e) = c {
            drop_indentation(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_controls() {
        assert_eq!(escape_text("a<b&c>d\"'"), "a&lt;b&amp;c&gt;d\"'");
        assert_eq!(
            escape_attr("a<b&c>d\"'\t\n\r"),
            "a&lt;b&amp;c&gt;d&quot;&apos;&#9;&#10;&#13;"
        );
        assert_eq!(
            escape_text("x\u{0}\u{1b}\u{FFFF}y"),
            "x\\x00\\x1b\\u{ffff}y"
        );
        assert_eq!(escape_attr("\u{7}"), "\\x07");
        // Non-ASCII text passes through untouched.
        assert_eq!(escape_text("£ µ"), "£ µ");
    }

    #[test]
    fn round_trips_through_the_parser() {
        let nasty = "<tag> & \"q\" 'a' ]]> \t tab\nline\r\nend";
        let doc = Element::new("root")
            .attr("a", nasty)
            .child(Element::new("t").text(nasty))
            .child(Element::new("empty"))
            .to_document();
        let back = parse(&doc).unwrap();
        assert_eq!(back.get_attr("a"), Some(nasty));
        let t = back.elements().next().unwrap();
        assert_eq!(t.children, vec![Node::Text(nasty.to_string())]);
        assert_eq!(back.elements().count(), 2);
    }

    #[test]
    fn rejects_malformed_documents() {
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("<a>").is_err());
        assert!(parse("<a/><b/>").is_err());
        assert!(parse("<a>&bogus;</a>").is_err());
        assert!(parse("").is_err());
    }

    #[test]
    fn refuses_nesting_deeper_than_the_limit_without_overflowing() {
        let nested = |depth: usize| "<a>".repeat(depth) + &"</a>".repeat(depth);
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
        let err = parse(&nested(MAX_DEPTH + 1)).unwrap_err();
        assert!(err.contains("nested more than 32"), "{err}");
        // Deep enough to overflow a recursive render or drop if it were accepted.
        let err = parse(&nested(100_000)).unwrap_err();
        assert!(err.contains("nested more than 32"), "{err}");
        let empty_too = "<a>".repeat(MAX_DEPTH) + "<b/>" + &"</a>".repeat(MAX_DEPTH);
        assert!(parse(&empty_too).is_err());
    }
}
