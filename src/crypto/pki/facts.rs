//! The facts of an X.509 certificate a GBCS party acts on: its subject, key usage, subject key
//! identifier and public point, and whether an issuer's key signed it.
//!
//! Certificates arrive from the network (CS02b replacements, CS02d, CS03C), so every reader
//! here returns `None` (or `false`) on anything unexpected instead of failing.

use aws_lc_rs::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_ASN1};
use x509_cert::der::{Decode, Encode};
use x509_cert::Certificate;

use crate::codec::ids::EntityId;
use crate::crypto::KeyUsage;

const UNIQUE_IDENTIFIER: &str = "2.5.4.45";
const KEY_USAGE: &str = "2.5.29.15";
const SUBJECT_KEY_IDENTIFIER: &str = "2.5.29.14";
const SUBJECT_ALT_NAME: &str = "2.5.29.17";

/// The facts of a certificate a trust anchor cell or a device key slot records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertFacts {
    /// x500UniqueIdentifier (organisations) or the hwSerialNum of subjectAltName (devices).
    pub subject: Option<EntityId>,
    /// `None` when the keyUsage extension is absent or is neither GBCS usage alone.
    pub key_usage: Option<KeyUsage>,
    pub subject_key_identifier: Option<Vec<u8>>,
    /// Uncompressed public point.
    pub point: Vec<u8>,
}

/// The facts of `der`; `None` when it is not a certificate.
pub fn certificate_facts(der: &[u8]) -> Option<CertFacts> {
    let cert = Certificate::from_der(der).ok()?;
    let tbs = &cert.tbs_certificate;
    let mut subject = tbs
        .subject
        .0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .find_map(|atv| {
            let value = atv.value.value();
            (atv.oid.to_string() == UNIQUE_IDENTIFIER && value.len() == 9 && value[0] == 0)
                .then(|| value[1..].try_into().ok().map(EntityId))
                .flatten()
        });
    let extension = |oid: &str| {
        tbs.extensions
            .iter()
            .flatten()
            .find(|e| e.extn_id.to_string() == oid)
            .map(|e| e.extn_value.as_bytes())
    };
    if subject.is_none() {
        // hardwareModuleName ends the extension with hwSerialNum OCTET STRING(8).
        subject = extension(SUBJECT_ALT_NAME).and_then(|v| {
            let n = v.len();
            (n >= 10 && v[n - 10] == 0x04 && v[n - 9] == 0x08)
                .then(|| v[n - 8..].try_into().ok().map(EntityId))
                .flatten()
        });
    }
    let key_usage = match extension(KEY_USAGE) {
        Some([0x03, 0x02, 0x07, 0x80]) => Some(KeyUsage::DigitalSignature),
        Some([0x03, 0x02, 0x03, 0x08]) => Some(KeyUsage::KeyAgreement),
        _ => None,
    };
    let subject_key_identifier = extension(SUBJECT_KEY_IDENTIFIER).and_then(|v| match v {
        [0x04, len, rest @ ..] if usize::from(*len) == rest.len() => Some(rest.to_vec()),
        _ => None,
    });
    Some(CertFacts {
        subject,
        key_usage,
        subject_key_identifier,
        point: tbs
            .subject_public_key_info
            .subject_public_key
            .raw_bytes()
            .to_vec(),
    })
}

/// Whether `issuer`'s key signed `der` (ECDSA P-256 / SHA-256, the only GBCS algorithm). A
/// device checks this against the certification path a CS02b command carries before it
/// trusts a replacing certificate.
pub fn signed_by(der: &[u8], issuer: &[u8]) -> bool {
    let (Ok(cert), Ok(issuer)) = (Certificate::from_der(der), Certificate::from_der(issuer)) else {
        return false;
    };
    let Ok(tbs) = cert.tbs_certificate.to_der() else {
        return false;
    };
    let Some(signature) = cert.signature.as_bytes() else {
        return false;
    };
    let point = issuer
        .tbs_certificate
        .subject_public_key_info
        .subject_public_key
        .raw_bytes();
    UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, point)
        .verify(&tbs, signature)
        .is_ok()
}
