//! The enveloped XML signature of DUIS documents, signed and verified over the
//! [`crate::duis::xml`] tree.
//!
//! The profile, as DCC Boxed signs (its signed fixtures) and the RTDS templates show it:
//! one `ds:Signature`, last child of the root, with
//! - `CanonicalizationMethod` exclusive C14N 1.0 (`xml-exc-c14n#`) for `SignedInfo`;
//! - `SignatureMethod` `xmldsig-more#ecdsa-sha256`, `SignatureValue` the raw `r‖s` (64 bytes,
//!   base64), as xmlsec1 and Apache Santuario write it;
//! - one `Reference URI=""` whose only transform is `enveloped-signature`, so the document
//!   without its signature is canonicalised with inclusive Canonical XML 1.0 (XML-DSig's rule
//!   for a node-set reference result), digest `xmlenc#sha256`;
//! - `KeyInfo/X509Data/X509IssuerSerial`: the signer's certificate's issuer (`CN=Z1,OU=07`) and
//!   decimal serial.
//!
//! [`verify`] also accepts a reference with transforms enveloped-signature then exclusive C14N
//! (with or without `InclusiveNamespaces`), and [`sign_with`] can write that form
//! ([`ReferenceTransforms::EnvelopedExcC14n`]). Any other algorithm is refused as
//! [`SignatureError::Unsupported`], naming what was found.

use crate::codec::ids::EntityId;
use crate::duis::c14n::{self, Method, EXC_C14N};
use crate::duis::keys::{
    normalize_serial, XmlCertificate, XmlKeyError, XmlKeyStore, XmlSigningIdentity,
};
use crate::duis::xml::{self, Document, Element, Node, XmlError, DS_NS};

/// The enveloped-signature transform.
pub const ENVELOPED_SIGNATURE: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
/// ECDSA P-256 with SHA-256.
pub const ECDSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
/// The SHA-256 digest method.
pub const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";

/// Who signed a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    /// The EUI of the certificate that verified the signature, when the key store knows it.
    pub eui: Option<EntityId>,
    /// The issuer as the document names it.
    pub issuer: String,
    /// The serial number as the document gives it.
    pub serial: String,
}

/// Why a document could not be signed or its signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the document has no ds:Signature as a child of its root")]
    Missing,
    #[error("no certificate for issuer {issuer:?} serial {serial}")]
    UnknownSigner { issuer: String, serial: String },
    #[error("the digest of the document does not match the signature's DigestValue")]
    DigestMismatch,
    #[error("the SignatureValue is not a valid signature of SignedInfo by the signer's key")]
    BadSignatureValue,
    #[error("unsupported {what}: {found} (DUIS uses exc-c14n, ecdsa-sha256, sha256, Reference URI=\"\" with the enveloped-signature transform)")]
    Unsupported { what: &'static str, found: String },
    #[error("malformed signature: {what}")]
    Malformed { what: String },
    #[error(transparent)]
    Xml(#[from] XmlError),
    #[error(transparent)]
    Key(#[from] XmlKeyError),
}

fn malformed(what: impl Into<String>) -> SignatureError {
    SignatureError::Malformed { what: what.into() }
}

/// The transforms of the reference a signature is made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReferenceTransforms {
    /// `enveloped-signature` only (inclusive C14N of the result): DCC Boxed's form.
    #[default]
    Enveloped,
    /// `enveloped-signature`, then exclusive C14N.
    EnvelopedExcC14n,
}

/// Signs `doc` as `identity` in the DUIS profile: removes any `ds:Signature` child of the
/// root and appends the new one as the root's last child (prefix `ds`).
pub fn sign(doc: &mut Document, identity: &XmlSigningIdentity) -> Result<(), SignatureError> {
    sign_with(doc, identity, ReferenceTransforms::Enveloped)
}

/// [`sign`] with a choice of reference transforms.
pub fn sign_with(
    doc: &mut Document,
    identity: &XmlSigningIdentity,
    transforms: ReferenceTransforms,
) -> Result<(), SignatureError> {
    let root = &mut doc.root;
    remove_signatures(root);
    // The tree must declare every namespace the writer would, so what is digested here is
    // what a verifier reads back.
    complete_namespace_decls(root, &mut Vec::new());

    let (method, transform_algorithms) = match transforms {
        ReferenceTransforms::Enveloped => (Method::Inclusive, vec![ENVELOPED_SIGNATURE]),
        ReferenceTransforms::EnvelopedExcC14n => {
            (Method::exclusive(), vec![ENVELOPED_SIGNATURE, EXC_C14N])
        }
    };
    let canonical = c14n::canonicalize(root, &Vec::new(), &method, &|_| false);
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, canonical.as_bytes());

    let ds = |local: &str| Element::new(DS_NS, Some("ds"), local);
    let mut transforms_el = ds("Transforms");
    for alg in transform_algorithms {
        transforms_el.push(ds("Transform").with_attribute("Algorithm", alg));
    }
    let signed_info = ds("SignedInfo")
        .with_child(ds("CanonicalizationMethod").with_attribute("Algorithm", EXC_C14N))
        .with_child(ds("SignatureMethod").with_attribute("Algorithm", ECDSA_SHA256))
        .with_child(
            ds("Reference")
                .with_attribute("URI", "")
                .with_child(transforms_el)
                .with_child(ds("DigestMethod").with_attribute("Algorithm", SHA256))
                .with_child(ds("DigestValue").with_text(base64_encode(digest.as_ref()))),
        );
    let cert = &identity.certificate;
    let key_info = ds("KeyInfo").with_child(
        ds("X509Data").with_child(
            ds("X509IssuerSerial")
                .with_child(ds("X509IssuerName").with_text(cert.issuer.clone()))
                .with_child(ds("X509SerialNumber").with_text(cert.serial.clone())),
        ),
    );
    let mut signature = ds("Signature");
    let root_binds_ds = root
        .namespace_decls
        .iter()
        .rev()
        .find(|(p, _)| p.as_deref() == Some("ds"))
        .is_some_and(|(_, uri)| uri == DS_NS);
    if !root_binds_ds {
        signature.declare(Some("ds"), DS_NS);
    }
    let mut context = root.namespace_decls.clone();
    context.extend(signature.namespace_decls.iter().cloned());
    let signed_info_c14n = c14n::exclusive(&signed_info, &context);
    let value = identity.sign(signed_info_c14n.as_bytes())?;
    signature.push(signed_info);
    signature.push(ds("SignatureValue").with_text(base64_encode(&value)));
    signature.push(key_info);
    root.push(signature);
    Ok(())
}

/// Removes every `ds:Signature` child of `root`, with the whitespace text that followed each.
fn remove_signatures(root: &mut Element) {
    let mut kept: Vec<Node> = Vec::with_capacity(root.children.len());
    let mut drop_space = false;
    for node in std::mem::take(&mut root.children) {
        match &node {
            Node::Element(e) if e.is(DS_NS, "Signature") => {
                drop_space = true;
                continue;
            }
            Node::Text(t) if drop_space && t.chars().all(char::is_whitespace) => {
                drop_space = false;
                continue;
            }
            _ => drop_space = false,
        }
        kept.push(node);
    }
    root.children = kept;
}

/// Adds to each element the namespace declarations its name and attributes need and do not
/// have in scope (as [`Document::to_xml`] would write them).
fn complete_namespace_decls(el: &mut Element, scopes: &mut Vec<Vec<(Option<String>, String)>>) {
    let lookup = |scopes: &Vec<Vec<(Option<String>, String)>>,
                  own: &[(Option<String>, String)],
                  p: Option<&str>|
     -> String {
        own.iter()
            .rev()
            .chain(scopes.iter().rev().flat_map(|s| s.iter().rev()))
            .find(|(q, _)| q.as_deref() == p)
            .map(|(_, u)| u.clone())
            .unwrap_or_default()
    };
    let mut wanted: Vec<(Option<String>, String)> = vec![(
        el.name.prefix.clone(),
        el.namespace.clone().unwrap_or_default(),
    )];
    for a in &el.attributes {
        if a.name.prefix.is_some() {
            wanted.push((
                a.name.prefix.clone(),
                a.namespace.clone().unwrap_or_default(),
            ));
        }
    }
    for (p, uri) in wanted {
        if p.as_deref() == Some("xml") || (p.is_some() && uri.is_empty()) {
            continue;
        }
        if lookup(scopes, &el.namespace_decls, p.as_deref()) != uri {
            el.namespace_decls.push((p, uri));
        }
    }
    scopes.push(el.namespace_decls.clone());
    for child in el.elements_mut() {
        complete_namespace_decls(child, scopes);
    }
    scopes.pop();
}

/// The parts of a signature, checked against the DUIS profile.
struct Parsed<'d> {
    signature: &'d Element,
    signed_info: &'d Element,
    reference_method: Method,
    digest: Vec<u8>,
    value: Vec<u8>,
    issuer: Option<String>,
    serial: Option<String>,
}

fn required<'e>(parent: &'e Element, local: &str) -> Result<&'e Element, SignatureError> {
    parent
        .child(DS_NS, local)
        .ok_or_else(|| malformed(format!("no ds:{local} in ds:{}", parent.name.local)))
}

fn algorithm(el: &Element) -> Result<&str, SignatureError> {
    el.attribute("Algorithm")
        .ok_or_else(|| malformed(format!("ds:{} has no Algorithm", el.name.local)))
}

fn parse_signature(doc: &Document) -> Result<Parsed<'_>, SignatureError> {
    let mut signatures = doc.root.children_named(DS_NS, "Signature");
    let signature = signatures.next().ok_or(SignatureError::Missing)?;
    if signatures.next().is_some() {
        return Err(malformed("more than one ds:Signature in the root"));
    }
    let signed_info = required(signature, "SignedInfo")?;
    let c14n_method = algorithm(required(signed_info, "CanonicalizationMethod")?)?;
    if c14n_method != EXC_C14N {
        return Err(SignatureError::Unsupported {
            what: "CanonicalizationMethod",
            found: c14n_method.to_string(),
        });
    }
    let signature_method = algorithm(required(signed_info, "SignatureMethod")?)?;
    if signature_method != ECDSA_SHA256 {
        return Err(SignatureError::Unsupported {
            what: "SignatureMethod",
            found: signature_method.to_string(),
        });
    }
    let references: Vec<&Element> = signed_info.children_named(DS_NS, "Reference").collect();
    let reference = match references.as_slice() {
        [one] => *one,
        [] => return Err(malformed("no ds:Reference in ds:SignedInfo")),
        more => {
            return Err(SignatureError::Unsupported {
                what: "number of References",
                found: more.len().to_string(),
            })
        }
    };
    match reference.attribute("URI") {
        Some("") => {}
        other => {
            return Err(SignatureError::Unsupported {
                what: "Reference URI",
                found: other.map_or("(none)".to_string(), |u| format!("{u:?}")),
            })
        }
    }
    let transforms: Vec<&Element> = match reference.child(DS_NS, "Transforms") {
        Some(t) => t.children_named(DS_NS, "Transform").collect(),
        None => Vec::new(),
    };
    let algorithms: Vec<&str> = transforms
        .iter()
        .map(|t| algorithm(t))
        .collect::<Result<_, _>>()?;
    let reference_method = match algorithms.as_slice() {
        [ENVELOPED_SIGNATURE] => Method::Inclusive,
        [ENVELOPED_SIGNATURE, EXC_C14N] => {
            Method::from_element(transforms[1]).unwrap_or_else(Method::exclusive)
        }
        _ => {
            return Err(SignatureError::Unsupported {
                what: "Transforms",
                found: if algorithms.is_empty() {
                    "(none)".to_string()
                } else {
                    algorithms.join(", ")
                },
            })
        }
    };
    let digest_method = algorithm(required(reference, "DigestMethod")?)?;
    if digest_method != SHA256 {
        return Err(SignatureError::Unsupported {
            what: "DigestMethod",
            found: digest_method.to_string(),
        });
    }
    let digest = base64_decode(&required(reference, "DigestValue")?.text())
        .map_err(|e| malformed(format!("DigestValue: {e}")))?;
    if digest.len() != 32 {
        return Err(malformed(format!(
            "DigestValue of {} bytes, not 32",
            digest.len()
        )));
    }
    let value = base64_decode(&required(signature, "SignatureValue")?.text())
        .map_err(|e| malformed(format!("SignatureValue: {e}")))?;
    if value.len() != 64 {
        return Err(malformed(format!(
            "SignatureValue of {} bytes, not 64 (raw r‖s)",
            value.len()
        )));
    }
    let issuer_serial = signature
        .child(DS_NS, "KeyInfo")
        .and_then(|k| k.child(DS_NS, "X509Data"))
        .and_then(|d| d.child(DS_NS, "X509IssuerSerial"));
    let issuer = issuer_serial
        .and_then(|s| s.child(DS_NS, "X509IssuerName"))
        .map(|e| e.text().trim().to_string());
    let serial = issuer_serial
        .and_then(|s| s.child(DS_NS, "X509SerialNumber"))
        .map(|e| e.text().trim().to_string());
    Ok(Parsed {
        signature,
        signed_info,
        reference_method,
        digest,
        value,
        issuer,
        serial,
    })
}

/// Checks the digest and the signature value of `parsed` with `certificate`.
fn check(
    doc: &Document,
    parsed: &Parsed<'_>,
    certificate: &XmlCertificate,
) -> Result<(), SignatureError> {
    let signature = parsed.signature;
    let canonical = c14n::canonicalize(&doc.root, &Vec::new(), &parsed.reference_method, &|e| {
        std::ptr::eq(e, signature)
    });
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, canonical.as_bytes());
    if digest.as_ref() != parsed.digest.as_slice() {
        return Err(SignatureError::DigestMismatch);
    }
    let method = Method::from_element(required(parsed.signed_info, "CanonicalizationMethod")?)
        .unwrap_or_else(Method::exclusive);
    let mut context = doc.root.namespace_decls.clone();
    context.extend(signature.namespace_decls.iter().cloned());
    let signed_info = c14n::canonicalize(parsed.signed_info, &context, &method, &|_| false);
    if !certificate.verify(signed_info.as_bytes(), &parsed.value) {
        return Err(SignatureError::BadSignatureValue);
    }
    Ok(())
}

/// Verifies the enveloped signature of `doc` with the certificate its `X509IssuerSerial` names
/// in `keys`, and says who signed.
pub fn verify(doc: &Document, keys: &XmlKeyStore) -> Result<Signer, SignatureError> {
    let parsed = parse_signature(doc)?;
    let issuer = parsed
        .issuer
        .clone()
        .ok_or_else(|| malformed("no KeyInfo/X509Data/X509IssuerSerial/X509IssuerName"))?;
    let serial = parsed
        .serial
        .clone()
        .ok_or_else(|| malformed("no KeyInfo/X509Data/X509IssuerSerial/X509SerialNumber"))?;
    if normalize_serial(&serial).is_none() {
        return Err(malformed(format!(
            "X509SerialNumber {serial:?} is not an integer"
        )));
    }
    let certificate = keys
        .find(&issuer, &serial)
        .ok_or_else(|| SignatureError::UnknownSigner {
            issuer: issuer.clone(),
            serial: serial.clone(),
        })?;
    check(doc, &parsed, certificate)?;
    Ok(Signer {
        eui: certificate.eui,
        issuer,
        serial,
    })
}

/// Verifies the enveloped signature of `doc` with `certificate`, whatever its `KeyInfo` says
/// (as `xmlsec1 --pubkey-cert-pem` and DCC Boxed's signing tool given a certificate do). The
/// signer is the certificate's.
pub fn verify_with_certificate(
    doc: &Document,
    certificate: &XmlCertificate,
) -> Result<Signer, SignatureError> {
    let parsed = parse_signature(doc)?;
    check(doc, &parsed, certificate)?;
    Ok(Signer {
        eui: certificate.eui,
        issuer: certificate.issuer.clone(),
        serial: certificate.serial.clone(),
    })
}

/// Parses `input` (see [`xml::parse`]) and verifies it with [`verify`].
pub fn verify_bytes(
    input: &[u8],
    keys: &XmlKeyStore,
) -> Result<(Document, Signer), SignatureError> {
    let doc = xml::parse(input)?;
    let signer = verify(&doc, keys)?;
    Ok((doc, signer))
}

pub use super::base64::{base64_decode, base64_encode, Base64Error};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duis::xml::{parse, SR_NS};

    fn eui(s: &str) -> EntityId {
        s.parse().unwrap()
    }

    const REQUEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<sr:Request xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" schemaVersion="5.4">
  <sr:Header>
    <sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1000</sr:RequestID>
    <sr:CommandVariant>1</sr:CommandVariant>
  </sr:Header>
  <sr:Body><sr:ReadInstantaneousImportRegisters/></sr:Body>
  <ds:Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><!-- placeholder --><ds:SignedInfo/></ds:Signature>
</sr:Request>"#;

    #[test]
    fn base64_round_trip_and_errors() {
        for n in 0..70usize {
            let data: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(base64_decode(&base64_encode(&data)).unwrap(), data);
        }
        assert_eq!(base64_encode(b"default"), "ZGVmYXVsdA==");
        assert_eq!(base64_decode("ZGVm\r\n YXVs dA==").unwrap(), b"default");
        assert!(base64_decode("ZGVmYXVsdA=").is_err());
        assert!(base64_decode("ZG=mYXVs").is_err());
        assert!(base64_decode("ZA==ZA==").is_err());
        assert!(base64_decode("Z===").is_err());
        assert!(base64_decode("ZGVm*XVs").is_err());
    }

    #[test]
    fn sign_then_verify_in_both_forms() {
        let supplier = eui("90B3D51F30010000");
        let keys = XmlKeyStore::test_pki(&[supplier]);
        let id = keys.identity(supplier).unwrap();
        for form in [
            ReferenceTransforms::Enveloped,
            ReferenceTransforms::EnvelopedExcC14n,
        ] {
            let mut doc = parse(REQUEST.as_bytes()).unwrap();
            sign_with(&mut doc, id, form).unwrap();
            assert_eq!(doc.root.children_named(DS_NS, "Signature").count(), 1);
            assert!(
                matches!(doc.root.children.last(), Some(Node::Element(e)) if e.is(DS_NS, "Signature"))
            );
            let signer = verify(&doc, &keys).unwrap();
            assert_eq!(signer.eui, Some(supplier));
            // And after writing and reading back.
            let xml = doc.to_xml();
            let (_, signer) = verify_bytes(xml.as_bytes(), &keys).unwrap();
            assert_eq!(signer.eui, Some(supplier));
            // One text value changed after signing.
            let tampered = xml.replace(">1</sr:CommandVariant>", ">2</sr:CommandVariant>");
            assert_eq!(
                verify_bytes(tampered.as_bytes(), &keys).unwrap_err(),
                SignatureError::DigestMismatch
            );
            // SignedInfo changed (digest method text kept, a harmless attribute added).
            let tampered = xml.replace("<ds:Reference URI=\"\"", "<ds:Reference Id=\"x\" URI=\"\"");
            assert_eq!(
                verify_bytes(tampered.as_bytes(), &keys).unwrap_err(),
                SignatureError::BadSignatureValue
            );
        }
    }

    #[test]
    fn mangled_signed_documents_never_panic() {
        let supplier = eui("90B3D51F30010000");
        let keys = XmlKeyStore::test_pki(&[supplier]);
        let mut doc = parse(REQUEST.as_bytes()).unwrap();
        sign(&mut doc, keys.identity(supplier).unwrap()).unwrap();
        let xml = doc.to_xml().into_bytes();
        let mut accepted: Vec<usize> = Vec::new();
        for i in (0..xml.len()).step_by(3) {
            let mut cut = xml.clone();
            cut.truncate(i);
            let _ = verify_bytes(&cut, &keys);
            for b in [b'<', b'>', b'&', b'"', b'=', b'0', b'x', 0xFF] {
                if xml[i] == b {
                    continue;
                }
                let mut m = xml.clone();
                m[i] = b;
                if verify_bytes(&m, &keys).is_ok() {
                    accepted.push(i);
                }
            }
        }
        // Only the XML declaration is outside what the signature covers.
        let declaration = xml.iter().position(|&b| b == b'\n').unwrap();
        assert!(
            accepted.iter().all(|&i| i < declaration),
            "mutants accepted at {accepted:?}"
        );
    }

    #[test]
    fn built_documents_sign_and_read_back() {
        let supplier = eui("90B3D51F30010000");
        let keys = XmlKeyStore::test_pki(&[supplier]);
        let mut root =
            Element::new(SR_NS, Some("sr"), "Request").with_attribute("schemaVersion", "5.4");
        root.push(Element::new(SR_NS, Some("sr"), "Header").with_text("x & y"));
        let mut doc = Document::new(root);
        sign(&mut doc, keys.identity(supplier).unwrap()).unwrap();
        let (_, signer) = verify_bytes(doc.to_xml().as_bytes(), &keys).unwrap();
        assert_eq!(signer.eui, Some(supplier));
    }

    #[test]
    fn wrong_signer_and_profile_refused() {
        let (a, b) = (eui("90B3D51F30010000"), eui("90B3D51F30020000"));
        let keys = XmlKeyStore::test_pki(&[a, b]);
        let other = XmlKeyStore::test_pki(&[a]);
        let mut doc = parse(REQUEST.as_bytes()).unwrap();
        sign(&mut doc, keys.identity(a).unwrap()).unwrap();
        assert!(matches!(
            verify(&doc, &other),
            Err(SignatureError::UnknownSigner { .. })
        ));
        assert_eq!(
            verify_with_certificate(&doc, keys.certificate_of(b).unwrap()).unwrap_err(),
            SignatureError::BadSignatureValue
        );
        let xml = doc.to_xml();
        for (from, to, what) in [
            (
                ECDSA_SHA256,
                "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                "SignatureMethod",
            ),
            (
                SHA256,
                "http://www.w3.org/2000/09/xmldsig#sha1",
                "DigestMethod",
            ),
            ("URI=\"\"", "URI=\"#x\"", "Reference URI"),
            (EXC_C14N, c14n::C14N_10, "CanonicalizationMethod"),
            (
                ENVELOPED_SIGNATURE,
                "http://www.w3.org/TR/1999/REC-xpath-19991116",
                "Transforms",
            ),
        ] {
            let bad = xml.replace(from, to);
            match verify_bytes(bad.as_bytes(), &keys) {
                Err(SignatureError::Unsupported { what: w, .. }) => assert_eq!(w, what),
                other => panic!("{what}: {other:?}"),
            }
        }
        // Malformed parts never panic.
        for (from, to) in [
            ("<ds:SignatureValue>", "<ds:SignatureValue>!!"),
            ("<ds:SignatureValue>", "<ds:SignatureValue>AAAA"),
            ("<ds:DigestValue>", "<ds:DigestValue>AAAA"),
            ("<ds:X509SerialNumber>", "<ds:X509SerialNumber>x"),
            ("<ds:SignedInfo>", "<ds:SignedInf>"),
        ] {
            let bad = xml.replacen(from, to, 1).replace(
                "</ds:SignedInfo>",
                if from == "<ds:SignedInfo>" {
                    "</ds:SignedInf>"
                } else {
                    "</ds:SignedInfo>"
                },
            );
            assert!(
                matches!(
                    verify_bytes(bad.as_bytes(), &keys),
                    Err(SignatureError::Malformed { .. })
                ),
                "{from}"
            );
        }
        let unsigned = xml.split("<ds:Signature").next().unwrap().to_string() + "</sr:Request>";
        assert_eq!(
            verify_bytes(unsigned.as_bytes(), &keys).unwrap_err(),
            SignatureError::Missing
        );
    }
}
