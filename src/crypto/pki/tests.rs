use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

use aws_lc_rs::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_ASN1};
use x509_cert::der::asn1::{ObjectIdentifier, OctetString};
use x509_cert::der::{Decode, Encode, Tag, Tagged};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, CertificatePolicies, KeyUsage as X509KeyUsage,
    KeyUsages, SubjectAltName, SubjectKeyIdentifier,
};
use x509_cert::ext::Extension;
use x509_cert::Certificate;

use super::defaults::*;
use super::profile::{
    DEVICE_POLICY, HARDWARE_MODULE_NAME, HW_TYPE, ORGANISATION_POLICY, UNIQUE_IDENTIFIER,
};
use super::*;

const OU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.11");
const KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const SKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const SAN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
const BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const POLICIES: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.32");
const AKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");

const DS: KeyUsage = KeyUsage::DigitalSignature;
const KA: KeyUsage = KeyUsage::KeyAgreement;
const PP_KA: KeyUsage = KeyUsage::PrepaymentKeyAgreement;

/// Generated once: several tests read the same default PKI.
fn default_pki() -> &'static TestPki {
    static PKI: OnceLock<TestPki> = OnceLock::new();
    PKI.get_or_init(|| {
        let start = Instant::now();
        let pki = TestPki::generate(&TestPki::default_profile()).unwrap();
        eprintln!("default profile generated in {:?}", start.elapsed());
        pki
    })
}

/// A fresh folder under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("gbcs-pki-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn parse(der: &[u8]) -> Certificate {
    Certificate::from_der(der).unwrap()
}

fn extension(cert: &Certificate, oid: ObjectIdentifier) -> Option<&Extension> {
    cert.tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == oid)
}

fn key_identifier_of(cert: &Certificate) -> Vec<u8> {
    let ext = extension(cert, SKI).expect("subject key identifier");
    SubjectKeyIdentifier::from_der(ext.extn_value.as_bytes())
        .unwrap()
        .0
        .as_bytes()
        .to_vec()
}

fn key_usages(cert: &Certificate) -> X509KeyUsage {
    let ext = extension(cert, KEY_USAGE).expect("key usage");
    assert!(ext.critical, "keyUsage is critical");
    X509KeyUsage::from_der(ext.extn_value.as_bytes()).unwrap()
}

fn policies(cert: &Certificate) -> Vec<ObjectIdentifier> {
    let ext = extension(cert, POLICIES).expect("certificate policies");
    assert!(ext.critical, "certificatePolicies is critical");
    CertificatePolicies::from_der(ext.extn_value.as_bytes())
        .unwrap()
        .0
        .into_iter()
        .map(|p| p.policy_identifier)
        .collect()
}

/// (attribute type, value tag, value bytes) of every subject attribute, in order.
fn subject_attributes(cert: &Certificate) -> Vec<(ObjectIdentifier, Tag, Vec<u8>)> {
    cert.tbs_certificate
        .subject
        .0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .map(|atv| (atv.oid, atv.value.tag(), atv.value.value().to_vec()))
        .collect()
}

/// Checks the issuer name, authority key identifier and signature of `cert` against `ca`.
fn assert_issued_by(cert: &Certificate, ca: &Certificate) {
    assert_eq!(cert.tbs_certificate.issuer, ca.tbs_certificate.subject);
    let aki = extension(cert, AKI).expect("authority key identifier");
    let aki = AuthorityKeyIdentifier::from_der(aki.extn_value.as_bytes()).unwrap();
    assert_eq!(
        aki.key_identifier.map(|k| k.as_bytes().to_vec()),
        Some(key_identifier_of(ca))
    );
    let ca_point = ca
        .tbs_certificate
        .subject_public_key_info
        .subject_public_key
        .raw_bytes();
    let tbs = cert.tbs_certificate.to_der().unwrap();
    UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, ca_point)
        .verify(&tbs, cert.signature.raw_bytes())
        .expect("signature verifies with the issuer's key");
}

#[test]
fn a_written_folder_loads_with_every_role_and_id_recognised() {
    let pki = default_pki();
    let dir = TempDir::new("load");
    pki.write_dir(&dir.0).unwrap();
    let store = KeyStore::load_dir(&dir.0).unwrap();
    assert_eq!(store.notes(), &[], "no skipped files, no mismatches");

    for &(entity, role) in pki.remote_parties() {
        assert_eq!(store.role(entity), Some(role), "{entity}");
        let mut usages = vec![DS, KA];
        if role == RemotePartyRole::Supplier {
            usages.push(PP_KA);
        }
        for usage in usages {
            let cert = store.certificate(entity, usage).expect("certificate");
            assert_eq!(cert.subject_entity, Some(entity), "{entity} {usage}");
            assert_eq!(cert.role, Some(role));
            assert!(store.has_private(entity, usage));
        }
        if role != RemotePartyRole::Supplier {
            assert!(!store.has_public(entity, PP_KA), "{entity}");
        }
    }
    for &(entity, _) in pki.devices() {
        assert_eq!(store.role(entity), None, "devices have no role");
        for usage in [DS, KA] {
            let cert = store.certificate(entity, usage).expect("certificate");
            assert_eq!(cert.subject_entity, Some(entity), "{entity} {usage}");
            assert!(store.has_private(entity, usage));
        }
    }
    assert_eq!(
        store.entities_with_role(RemotePartyRole::AccessControlBroker),
        vec![ACCESS_CONTROL_BROKER]
    );
    assert_eq!(
        store.entities_with_role(RemotePartyRole::Supplier),
        vec![SUPPLIER, GAS_SUPPLIER]
    );
    for role in [CaRole::Root, CaRole::OrganisationCa, CaRole::DeviceCa] {
        let pem = std::fs::read_to_string(dir.0.join("ca").join(role.file_name())).unwrap();
        let (label, der) = x509_cert::der::pem::decode_vec(pem.as_bytes()).unwrap();
        assert_eq!(label, "CERTIFICATE");
        assert_eq!(der, pki.ca_certificate_der(role));
    }
    // What was loaded is what was generated.
    let generated = pki.key_store();
    for &(entity, _) in pki.devices() {
        assert_eq!(
            store.public_point(entity, KA),
            generated.public_point(entity, KA)
        );
    }
}

#[test]
fn views_hold_only_their_own_private_keys() {
    let pki = default_pki();
    let remote = pki.remote_party_view();
    let esme = pki.device_view(ESME);
    for &(entity, role) in pki.remote_parties() {
        assert!(remote.has_private(entity, DS) && remote.has_private(entity, KA));
        assert!(!esme.has_private(entity, KA));
        assert!(esme.has_public(entity, DS) && esme.has_public(entity, KA));
        assert_eq!(esme.role(entity), Some(role));
    }
    for &(device, _) in pki.devices() {
        assert!(!remote.has_private(device, KA));
        assert!(remote.has_public(device, KA));
        assert_eq!(esme.has_private(device, KA), device == ESME);
        assert_eq!(esme.has_private(device, DS), device == ESME);
    }
    let unknown = pki.device_view(EntityId([0x00, 0xDB, 0, 0, 0, 0, 0, 0x99]));
    assert!(!unknown.has_private(ESME, KA));
    assert!(unknown.has_public(ESME, KA));
}

#[test]
fn signatures_and_shared_secrets_agree_across_views() {
    let pki = default_pki();
    let remote = pki.remote_party_view();
    let esme = pki.device_view(ESME);
    let message = b"grouping header and content";
    let sig = remote.sign(SUPPLIER, message).unwrap();
    assert!(esme.verify(SUPPLIER, message, &sig).unwrap());
    assert!(!esme.verify(NETWORK_OPERATOR, message, &sig).unwrap());
    // The device cannot sign as the supplier.
    assert!(esme.sign(SUPPLIER, message).is_err());

    for party in [ACCESS_CONTROL_BROKER, SUPPLIER, NETWORK_OPERATOR] {
        let z_remote = remote.shared_secret(party, KA, ESME, KA).unwrap();
        let z_device = esme.shared_secret(ESME, KA, party, KA).unwrap();
        assert_eq!(z_remote, z_device, "{party}");
    }
    // The prepayment key is a key of its own.
    let z_pp = remote.shared_secret(SUPPLIER, PP_KA, ESME, KA).unwrap();
    assert_eq!(esme.shared_secret(ESME, KA, SUPPLIER, PP_KA).unwrap(), z_pp);
    assert_ne!(z_pp, remote.shared_secret(SUPPLIER, KA, ESME, KA).unwrap());
}

#[test]
fn a_seed_fixes_keys_and_certificate_contents() {
    let spec = TestPki::default_profile();
    let a = default_pki();
    let b = TestPki::generate(&spec).unwrap();
    let (sa, sb) = (a.key_store(), b.key_store());
    let tbs = |der: &[u8]| parse(der).tbs_certificate.to_der().unwrap();
    // Whole certificates, signatures included: they are deterministic (RFC 6979).
    for &(entity, _) in a.devices() {
        for usage in [DS, KA] {
            assert_eq!(
                sa.public_point(entity, usage),
                sb.public_point(entity, usage)
            );
            assert_eq!(
                a.certificate_der(entity, usage).unwrap(),
                b.certificate_der(entity, usage).unwrap()
            );
        }
    }
    for &(entity, _) in a.remote_parties() {
        for usage in [DS, KA] {
            assert_eq!(
                a.certificate_der(entity, usage),
                b.certificate_der(entity, usage)
            );
        }
    }
    for role in [CaRole::Root, CaRole::OrganisationCa, CaRole::DeviceCa] {
        assert_eq!(a.ca_certificate_der(role), b.ca_certificate_der(role));
    }

    let other = TestPki::generate(&PkiSpec {
        seed: b"another seed".to_vec(),
        ..spec
    })
    .unwrap();
    let so = other.key_store();
    for &(entity, _) in a.remote_parties() {
        assert_ne!(sa.public_point(entity, KA), so.public_point(entity, KA));
    }
    assert_ne!(
        tbs(a.ca_certificate_der(CaRole::Root)),
        tbs(other.ca_certificate_der(CaRole::Root))
    );
}

#[test]
fn organisation_certificates_follow_the_gbcs_profile() {
    let pki = default_pki();
    let ca = parse(pki.ca_certificate_der(CaRole::OrganisationCa));
    for &(entity, role) in pki.remote_parties() {
        for (usage, bit) in [
            (DS, KeyUsages::DigitalSignature),
            (KA, KeyUsages::KeyAgreement),
            (PP_KA, KeyUsages::KeyAgreement),
        ] {
            let Some(der) = pki.certificate_der(entity, usage) else {
                assert_eq!(usage, PP_KA);
                continue;
            };
            let cert = parse(der);
            let mut unique_id = vec![0u8];
            unique_id.extend(entity.as_bytes());
            assert_eq!(
                subject_attributes(&cert),
                vec![
                    (
                        OU,
                        Tag::Utf8String,
                        format!("{:02X}", profile::role_code(role)).into_bytes()
                    ),
                    (UNIQUE_IDENTIFIER, Tag::BitString, unique_id),
                ],
                "{entity} {usage}"
            );
            assert_eq!(key_usages(&cert), X509KeyUsage(bit.into()));
            assert_eq!(key_identifier_of(&cert).len(), 8);
            assert_eq!(policies(&cert), vec![ORGANISATION_POLICY]);
            assert!(extension(&cert, SAN).is_none());
            assert!(extension(&cert, BASIC_CONSTRAINTS).is_none());
            assert_issued_by(&cert, &ca);
        }
    }
}

#[test]
fn device_certificates_follow_the_gbcs_profile() {
    let pki = default_pki();
    let ca = parse(pki.ca_certificate_der(CaRole::DeviceCa));
    for &(entity, _) in pki.devices() {
        for (usage, bit) in [
            (DS, KeyUsages::DigitalSignature),
            (KA, KeyUsages::KeyAgreement),
        ] {
            let cert = parse(pki.certificate_der(entity, usage).unwrap());
            assert!(cert.tbs_certificate.subject.0.is_empty(), "empty subject");
            assert_eq!(key_usages(&cert), X509KeyUsage(bit.into()));
            let san = extension(&cert, SAN).expect("subjectAltName");
            assert!(san.critical);
            let names = SubjectAltName::from_der(san.extn_value.as_bytes()).unwrap();
            let [GeneralName::OtherName(name)] = names.0.as_slice() else {
                panic!("one otherName: {names:?}");
            };
            assert_eq!(name.type_id, HARDWARE_MODULE_NAME);
            assert_eq!(name.value.tag(), Tag::Sequence);
            let mut module = HW_TYPE.to_der().unwrap();
            module.extend(
                OctetString::new(entity.as_bytes().to_vec())
                    .unwrap()
                    .to_der()
                    .unwrap(),
            );
            assert_eq!(name.value.value(), module.as_slice());
            assert_eq!(key_identifier_of(&cert).len(), 8);
            assert_eq!(policies(&cert), vec![DEVICE_POLICY]);
            assert_issued_by(&cert, &ca);
        }
    }
}

#[test]
fn ca_certificates_form_a_chain() {
    let pki = default_pki();
    let root = parse(pki.ca_certificate_der(CaRole::Root));
    // Self-signed: issuer = subject, signature by its own key.
    assert_eq!(root.tbs_certificate.issuer, root.tbs_certificate.subject);
    let root_point = root
        .tbs_certificate
        .subject_public_key_info
        .subject_public_key
        .raw_bytes();
    UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, root_point)
        .verify(
            &root.tbs_certificate.to_der().unwrap(),
            root.signature.raw_bytes(),
        )
        .unwrap();
    for (role, ou, path_len) in [
        (CaRole::Root, Some("00"), None),
        (CaRole::OrganisationCa, Some("07"), Some(0)),
        (CaRole::DeviceCa, None, Some(0)),
    ] {
        let cert = parse(pki.ca_certificate_der(role));
        if role != CaRole::Root {
            assert_issued_by(&cert, &root);
        }
        let attributes = subject_attributes(&cert);
        assert_eq!(
            attributes
                .iter()
                .find(|a| a.0 == OU)
                .map(|a| (a.1, a.2.as_slice())),
            ou.map(|ou| (Tag::PrintableString, ou.as_bytes())),
            "{role}"
        );
        assert_eq!(
            key_usages(&cert),
            X509KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign)
        );
        let bc = extension(&cert, BASIC_CONSTRAINTS).expect("basicConstraints");
        assert!(bc.critical);
        let bc = BasicConstraints::from_der(bc.extn_value.as_bytes()).unwrap();
        assert!(bc.ca);
        assert_eq!(bc.path_len_constraint, path_len, "{role}");
        assert_eq!(key_identifier_of(&cert).len(), 8);
    }
}

/// The extensions (id, critical) and subject attribute types of the generated certificates
/// are those of the RTDS certificates of the same kind, when the RTDS store is present.
#[test]
fn certificates_have_the_shape_of_the_rtds_ones() {
    let Some(dir) = crate::corpus::keystore_dir() else {
        eprintln!("RTDS key store absent: certificate shapes not compared");
        return;
    };
    let load = |name: &str| {
        let pem = std::fs::read_to_string(dir.join(name)).unwrap();
        parse(&x509_cert::der::pem::decode_vec(pem.as_bytes()).unwrap().1)
    };
    let shape = |cert: &Certificate| {
        let mut exts: Vec<(String, bool)> = cert
            .tbs_certificate
            .extensions
            .iter()
            .flatten()
            .map(|e| (e.extn_id.to_string(), e.critical))
            .collect();
        exts.sort();
        let subject: Vec<(ObjectIdentifier, Tag)> = subject_attributes(cert)
            .into_iter()
            .map(|(oid, tag, _)| (oid, tag))
            .collect();
        (exts, subject)
    };
    let pki = default_pki();
    for (rtds, entity, usage) in [
        ("90b3d51f30020000-ds.pem", NETWORK_OPERATOR, DS),
        ("90b3d51f30000002-ka.pem", ACCESS_CONTROL_BROKER, KA),
        ("90b3d51f30010000-pp-ka.pem", SUPPLIER, PP_KA),
        ("00db123456789001-ka.pem", ESME, KA),
        ("00db123456789001-ds.pem", GSME, DS),
    ] {
        let ours = parse(pki.certificate_der(entity, usage).unwrap());
        assert_eq!(shape(&ours), shape(&load(rtds)), "{rtds}");
    }
}

#[test]
fn an_entity_named_twice_is_refused() {
    let mut spec = TestPki::default_profile();
    spec.devices.push((SUPPLIER, DeviceType::Esme));
    assert!(matches!(
        TestPki::generate(&spec),
        Err(PkiError::DuplicateEntity(e)) if e == SUPPLIER
    ));
}

#[test]
fn default_ids_are_not_rtds_ids() {
    let spec = TestPki::default_profile();
    let ids = spec
        .remote_parties
        .iter()
        .map(|(e, _)| *e)
        .chain(spec.devices.iter().map(|(e, _)| *e));
    for id in ids {
        let b = id.as_bytes();
        if b[..2] == [0x00, 0xDB] {
            assert_ne!(b[2..7], [0x12, 0x34, 0x56, 0x78, 0x90], "{id}");
        } else {
            assert_eq!(b[..4], [0x90, 0xB3, 0xD5, 0x1F], "{id}");
            assert_ne!(b[4] >> 4, 3, "{id}");
        }
    }
}

#[test]
fn every_view_holds_the_ca_certificates() {
    let pki = default_pki();
    let ca = [CaRole::Root, CaRole::OrganisationCa, CaRole::DeviceCa]
        .map(|role| pki.ca_certificate_der(role).to_vec());
    for store in [
        pki.key_store(),
        pki.remote_party_view(),
        pki.device_view(defaults::ESME),
    ] {
        let held: Vec<Vec<u8>> = store.ca_certificates().map(<[u8]>::to_vec).collect();
        assert_eq!(held, ca.to_vec());
    }
}
