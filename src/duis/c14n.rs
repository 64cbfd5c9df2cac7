//! XML canonicalisation over the [`crate::duis::xml`] tree, without comments: Exclusive XML
//! Canonicalization 1.0 (`http://www.w3.org/2001/10/xml-exc-c14n#`, with an optional
//! `InclusiveNamespaces PrefixList`) and Canonical XML 1.0
//! (`http://www.w3.org/TR/2001/REC-xml-c14n-20010315`).
//!
//! Both are needed by DUIS signatures: `SignedInfo` is canonicalised with exclusive C14N, and
//! the `Reference URI=""` of DCC Boxed's signatures has only the enveloped-signature transform,
//! so its node-set is turned into octets with inclusive Canonical XML 1.0, as XML-DSig
//! requires for a node-set result.
//!
//! The input is an element subtree (the apex) with the namespace bindings in scope from its
//! ancestors, and a predicate saying which elements are left out with their subtree (the
//! enveloped `Signature`). Output: no XML declaration, empty elements as start and end tags,
//! namespace declarations first (default, then by prefix), attributes ordered by namespace URI
//! then local name (no-namespace first), C14N escaping, line ends as LF (the tree already holds
//! normalised line ends; a CR left in text or attributes is written `&#xD;`).

use crate::duis::xml::{Element, Node};
use std::collections::BTreeMap;

/// The exclusive C14N 1.0 algorithm URI (without comments).
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// The exclusive C14N 1.0 algorithm URI, with comments (recognised, not implemented).
pub const EXC_C14N_WITH_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
/// The Canonical XML 1.0 algorithm URI (without comments).
pub const C14N_10: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";

/// A canonicalisation method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    /// Canonical XML 1.0 without comments.
    Inclusive,
    /// Exclusive XML Canonicalization 1.0 without comments; the prefixes of an
    /// `InclusiveNamespaces PrefixList` (`#default` for the default namespace) are treated as
    /// inclusive C14N treats them.
    Exclusive { inclusive_prefixes: Vec<String> },
}

impl Method {
    /// Exclusive C14N with no inclusive prefixes.
    pub fn exclusive() -> Method {
        Method::Exclusive {
            inclusive_prefixes: Vec::new(),
        }
    }

    /// The method of an algorithm URI (a `Transform` or `CanonicalizationMethod` element's
    /// `Algorithm`), reading an `ec:InclusiveNamespaces PrefixList` child when there is one.
    /// `None` for an algorithm that is not implemented here.
    pub fn from_element(algorithm_element: &Element) -> Option<Method> {
        match algorithm_element.attribute("Algorithm")? {
            EXC_C14N => {
                let inclusive_prefixes = algorithm_element
                    .child(EXC_C14N, "InclusiveNamespaces")
                    .and_then(|e| e.attribute("PrefixList"))
                    .map(|list| list.split_ascii_whitespace().map(str::to_string).collect())
                    .unwrap_or_default();
                Some(Method::Exclusive { inclusive_prefixes })
            }
            C14N_10 => Some(Method::Inclusive),
            _ => None,
        }
    }
}

/// Namespace bindings: prefix (`None`: default namespace) to URI (empty: undeclared default).
pub type Bindings = Vec<(Option<String>, String)>;

/// The namespace bindings in scope at `path` (a list of child-element indices from `root`,
/// see [`path_to`]), from the ancestors of the element at `path` — not including the
/// element's own declarations. Outermost first; later entries override earlier ones.
pub fn ancestor_bindings(root: &Element, path: &[usize]) -> Bindings {
    let mut out = Bindings::new();
    let mut el = root;
    for &i in path {
        out.extend(el.namespace_decls.iter().cloned());
        match el.elements().nth(i) {
            Some(next) => el = next,
            None => break,
        }
    }
    out
}

/// The path (child-element indices) from `root` to the first element, depth first, for which
/// `pred` holds (`Some(vec![])` when it is the root).
pub fn path_to(root: &Element, pred: &dyn Fn(&Element) -> bool) -> Option<Vec<usize>> {
    if pred(root) {
        return Some(Vec::new());
    }
    for (i, child) in root.elements().enumerate() {
        if let Some(mut rest) = path_to(child, pred) {
            rest.insert(0, i);
            return Some(rest);
        }
    }
    None
}

/// Canonicalises the subtree at `apex`, whose ancestors have the namespace bindings
/// `context` (see [`ancestor_bindings`]; empty for a document's root), leaving out each
/// element for which `omit` holds (with its subtree). Comments are never output.
pub fn canonicalize(
    apex: &Element,
    context: &Bindings,
    method: &Method,
    omit: &dyn Fn(&Element) -> bool,
) -> String {
    let mut out = String::new();
    if omit(apex) {
        return out;
    }
    // In-scope bindings at the apex's parent.
    let mut in_scope: BTreeMap<Option<String>, String> = BTreeMap::new();
    for (p, uri) in context {
        in_scope.insert(p.clone(), uri.clone());
    }
    let rendered: BTreeMap<Option<String>, String> = BTreeMap::new();
    write_element(&mut out, apex, &in_scope, &rendered, method, omit, true);
    out
}

/// Exclusive C14N of `apex` (no inclusive prefixes), nothing left out.
pub fn exclusive(apex: &Element, context: &Bindings) -> String {
    canonicalize(apex, context, &Method::exclusive(), &|_| false)
}

fn write_element(
    out: &mut String,
    el: &Element,
    parent_scope: &BTreeMap<Option<String>, String>,
    rendered: &BTreeMap<Option<String>, String>,
    method: &Method,
    omit: &dyn Fn(&Element) -> bool,
    apex: bool,
) {
    let mut scope = parent_scope.clone();
    for (p, uri) in &el.namespace_decls {
        scope.insert(p.clone(), uri.clone());
    }
    // The namespace declarations to output: prefix -> URI.
    let mut emit: BTreeMap<Option<String>, String> = BTreeMap::new();
    match method {
        Method::Inclusive => {
            // Every namespace node of the element not already rendered with the same value by
            // the nearest output ancestor; at the apex, every in-scope binding.
            let candidates: Vec<(&Option<String>, &String)> = if apex {
                scope.iter().collect()
            } else {
                el.namespace_decls.iter().map(|(p, u)| (p, u)).collect()
            };
            for (p, uri) in candidates {
                consider(&mut emit, rendered, p, uri);
            }
        }
        Method::Exclusive { inclusive_prefixes } => {
            // Visibly utilised: the element's prefix (or the default) and its prefixed
            // attributes' prefixes, with the URI the tree resolved them to.
            let el_uri = el.namespace.clone().unwrap_or_default();
            consider(&mut emit, rendered, &el.name.prefix, &el_uri);
            for a in &el.attributes {
                if a.name.prefix.is_some() {
                    let uri = a.namespace.clone().unwrap_or_default();
                    consider(&mut emit, rendered, &a.name.prefix, &uri);
                }
            }
            // InclusiveNamespaces prefixes: as inclusive C14N treats them.
            for name in inclusive_prefixes {
                let p = if name == "#default" {
                    None
                } else {
                    Some(name.clone())
                };
                let own = el.namespace_decls.iter().any(|(q, _)| *q == p);
                if apex || own {
                    if let Some(uri) = scope.get(&p) {
                        let uri = uri.clone();
                        consider(&mut emit, rendered, &p, &uri);
                    }
                }
            }
        }
    }
    emit.remove(&Some("xml".to_string()));

    out.push('<');
    out.push_str(&el.name.qualified());
    // BTreeMap order: None (default) first, then prefixes in lexical (code point) order.
    for (p, uri) in &emit {
        match p {
            Some(p) => {
                out.push_str(" xmlns:");
                out.push_str(p);
            }
            None => out.push_str(" xmlns"),
        }
        out.push_str("=\"");
        escape_attribute(out, uri);
        out.push('"');
    }
    let mut attrs: Vec<_> = el.attributes.iter().collect();
    attrs.sort_by(|a, b| {
        let ka = (a.namespace.as_deref().unwrap_or(""), a.name.local.as_str());
        let kb = (b.namespace.as_deref().unwrap_or(""), b.name.local.as_str());
        ka.cmp(&kb)
    });
    for a in attrs {
        out.push(' ');
        out.push_str(&a.name.qualified());
        out.push_str("=\"");
        escape_attribute(out, &a.value);
        out.push('"');
    }
    out.push('>');

    let mut child_rendered = rendered.clone();
    for (p, uri) in emit {
        child_rendered.insert(p, uri);
    }
    for child in &el.children {
        match child {
            Node::Element(e) => {
                if !omit(e) {
                    write_element(out, e, &scope, &child_rendered, method, omit, false);
                }
            }
            Node::Text(t) => escape_text(out, t),
            Node::Comment(_) => {}
            Node::ProcessingInstruction(pi) => {
                let pi = pi.trim_start();
                let (target, data) = match pi.find([' ', '\t', '\n', '\r']) {
                    Some(i) => (
                        &pi[..i],
                        pi[i..].trim_start_matches([' ', '\t', '\n', '\r']),
                    ),
                    None => (pi, ""),
                };
                out.push_str("<?");
                out.push_str(target);
                if !data.is_empty() {
                    out.push(' ');
                    out.push_str(data);
                }
                out.push_str("?>");
            }
        }
    }
    out.push_str("</");
    out.push_str(&el.name.qualified());
    out.push('>');
}

/// Adds `prefix = uri` to `emit` unless the nearest output ancestor rendered the same; an empty
/// default (`xmlns=""`) is output only to undo a rendered non-empty default.
fn consider(
    emit: &mut BTreeMap<Option<String>, String>,
    rendered: &BTreeMap<Option<String>, String>,
    prefix: &Option<String>,
    uri: &str,
) {
    let before = rendered.get(prefix).map(String::as_str);
    let needed = match prefix {
        None if uri.is_empty() => before.is_some_and(|b| !b.is_empty()),
        Some(_) if uri.is_empty() => false,
        _ => before != Some(uri),
    };
    if needed {
        emit.insert(prefix.clone(), uri.to_string());
    }
}

fn escape_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            _ => out.push(c),
        }
    }
}

fn escape_attribute(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duis::xml::{parse, DS_NS};

    const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<a:Root xmlns:a="urn:a" xmlns:unused="urn:u" xmlns="urn:d" z="1" a:y="&lt;&amp;&quot;&#9;&#10;&#13;" b="2">
  <!-- comment -->
  <Child xmlns:b="urn:b" b:attr="v">text &amp; &lt; &gt; &#13; "q"</Child>
  <a:Empty/>
  <n xmlns=""><m xmlns="urn:d"/></n>
  <?pi   some data ?>
  <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo xmlns:x="urn:x"><ds:X a="1"/></ds:SignedInfo></ds:Signature>
</a:Root>"#;

    // Expected outputs: `xmllint --exc-c14n` / `xmllint --c14n` of DOC with the Signature
    // element deleted (its surrounding whitespace kept), minus the comment xmllint keeps.
    const EXC_ROOT: &str = "<a:Root xmlns:a=\"urn:a\" b=\"2\" z=\"1\" a:y=\"&lt;&amp;&quot;&#x9;&#xA;&#xD;\">\n  \n  <Child xmlns=\"urn:d\" xmlns:b=\"urn:b\" b:attr=\"v\">text &amp; &lt; &gt; &#xD; \"q\"</Child>\n  <a:Empty></a:Empty>\n  <n><m xmlns=\"urn:d\"></m></n>\n  <?pi some data ?>\n  \n</a:Root>";
    const INC_ROOT: &str = "<a:Root xmlns=\"urn:d\" xmlns:a=\"urn:a\" xmlns:unused=\"urn:u\" b=\"2\" z=\"1\" a:y=\"&lt;&amp;&quot;&#x9;&#xA;&#xD;\">\n  \n  <Child xmlns:b=\"urn:b\" b:attr=\"v\">text &amp; &lt; &gt; &#xD; \"q\"</Child>\n  <a:Empty></a:Empty>\n  <n xmlns=\"\"><m xmlns=\"urn:d\"></m></n>\n  <?pi some data ?>\n  \n</a:Root>";

    fn is_sig(e: &Element) -> bool {
        e.is(DS_NS, "Signature")
    }

    #[test]
    fn exclusive_document_without_signature() {
        let doc = parse(DOC.as_bytes()).unwrap();
        let m = Method::exclusive();
        assert_eq!(canonicalize(&doc.root, &Vec::new(), &m, &is_sig), EXC_ROOT);
    }

    #[test]
    fn inclusive_document_without_signature() {
        let doc = parse(DOC.as_bytes()).unwrap();
        let m = Method::Inclusive;
        assert_eq!(canonicalize(&doc.root, &Vec::new(), &m, &is_sig), INC_ROOT);
    }

    #[test]
    fn exclusive_subtree_takes_only_used_namespaces() {
        let doc = parse(DOC.as_bytes()).unwrap();
        let path = path_to(&doc.root, &|e| e.is(DS_NS, "SignedInfo")).unwrap();
        assert_eq!(path, vec![3, 0]);
        let ctx = ancestor_bindings(&doc.root, &path);
        let si = doc.root.descendant(DS_NS, "SignedInfo").unwrap();
        assert_eq!(
            exclusive(si, &ctx),
            "<ds:SignedInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:X a=\"1\"></ds:X></ds:SignedInfo>"
        );
        // With an inclusive prefix list, in-scope `a` and the default are rendered on the apex.
        let m = Method::Exclusive {
            inclusive_prefixes: vec!["a".into(), "#default".into(), "nope".into()],
        };
        assert_eq!(
            canonicalize(si, &ctx, &m, &|_| false),
            "<ds:SignedInfo xmlns=\"urn:d\" xmlns:a=\"urn:a\" xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:X a=\"1\"></ds:X></ds:SignedInfo>"
        );
    }

    #[test]
    fn method_from_transform_element() {
        let doc = parse(
            br#"<T Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"><ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="sr #default"/></T>"#,
        )
        .unwrap();
        assert_eq!(
            Method::from_element(&doc.root),
            Some(Method::Exclusive {
                inclusive_prefixes: vec!["sr".into(), "#default".into()]
            })
        );
        let other = parse(br#"<T Algorithm="urn:other"/>"#).unwrap();
        assert_eq!(Method::from_element(&other.root), None);
    }
}
