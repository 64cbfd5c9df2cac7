//! The PKCS#10 request the credentials model issues for CS02c.

use rcgen::{CertificateParams, CustomExtension, DistinguishedName, KeyPair, KeyUsagePurpose};

use crate::codec::ids::EntityId;
use crate::crypto::KeyUsage;

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
