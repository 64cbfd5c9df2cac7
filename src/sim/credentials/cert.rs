//! What the credentials model needs from X.509 certificates, and the PKCS#10 request it
//! issues for CS02c.
//!
//! Certificates arrive from the network (CS02b replacements, CS02d, CS03C), so every reader
//! here returns `None` on anything unexpected instead of failing.

use aws_lc_rs::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_ASN1};
use rcgen::{CertificateParams, CustomExtension, DistinguishedName, KeyPair, KeyUsagePurpose};
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

pub fn facts(der: &[u8]) -> Option<CertFacts> {
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

/// subjectAltName with otherName hardwareModuleName { hwType, hwSerialNum = device id }, as
/// the RTDS device certificates carry it (the CSR asks for the same name).
fn device_alt_name(device: EntityId) -> Vec<u8> {
    // hwType 1.2.826.0.1.8641679.1.2.2.1
    const HW_TYPE: [u8; 13] = [
        0x2A, 0x86, 0x3A, 0x00, 0x01, 0x84, 0x8F, 0xB9, 0x0F, 0x01, 0x02, 0x02, 0x01,
    ];
    // id-on-hardwareModuleName 1.3.6.1.5.5.7.8.4
    const HW_MODULE_NAME: [u8; 8] = [0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x08, 0x04];
    let tlv = |tag: u8, content: &[u8]| {
        let mut v = vec![tag, content.len() as u8];
        v.extend_from_slice(content);
        v
    };
    let module = [tlv(0x06, &HW_TYPE), tlv(0x04, device.as_bytes())].concat();
    let other_name = [tlv(0x06, &HW_MODULE_NAME), tlv(0xA0, &tlv(0x30, &module))].concat();
    tlv(0x30, &tlv(0xA0, &other_name))
}

/// The certification request for a freshly generated key. The private half is dropped: the
/// model never signs or agrees keys (the simulator's key store does), it only has to
/// recognise the public key when CS02d brings its certificate.
pub struct IssuedRequest {
    pub csr: Vec<u8>,
    pub point: Vec<u8>,
}

/// A PKCS#10 request for a new P-256 key of `usage`, naming `device` in subjectAltName.
/// `None` when key generation or signing fails (CS02c codes 2 and 3).
pub fn certification_request(device: EntityId, usage: KeyUsage) -> Option<IssuedRequest> {
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).ok()?;
    let mut params = CertificateParams::default();
    params.distinguished_name = DistinguishedName::new();
    params.key_usages = vec![match usage {
        KeyUsage::DigitalSignature => KeyUsagePurpose::DigitalSignature,
        _ => KeyUsagePurpose::KeyAgreement,
    }];
    let mut san = CustomExtension::from_oid_content(&[2, 5, 29, 17], device_alt_name(device));
    san.set_criticality(true);
    params.custom_extensions = vec![san];
    let csr = params.serialize_request(&key).ok()?;
    Some(IssuedRequest {
        csr: csr.der().to_vec(),
        point: key.public_key_raw().to_vec(),
    })
}
