//! The certificate profile, mirrored from the ZAZ1 store of the RTDS and the issuing CA
//! certificate carried in its CS02b commands.
//!
//! * Root `OU=00, CN=…` and two issuing CAs: organisations' `OU=07, CN=…` (as the RTDS
//!   `OU=07, CN=Z1`) and devices' `CN=…` (as the RTDS `CN=E357`); keyCertSign + cRLSign,
//!   critical basicConstraints (issuing CAs with pathLen 0).
//! * Organisation certificates: subject `OU=<role, 2 hex digits>` (UTF8String) then
//!   x500UniqueIdentifier = BIT STRING `00 ‖ entity id`.
//! * Device certificates: empty subject; critical subjectAltName otherName
//!   hardwareModuleName { hwType, hwSerialNum OCTET STRING(8) = the device id }.
//! * Every end-entity certificate: critical keyUsage (digitalSignature or keyAgreement),
//!   an 8-byte subject key identifier, critical certificate policies, and the issuer's key
//!   identifier in authorityKeyIdentifier.
//!
//! rcgen writes everything but the x500UniqueIdentifier: its distinguished names hold only
//! string values, and GBCS wants a BIT STRING there. Organisation certificates are therefore
//! decoded once more, given that attribute, and signed again by their issuer.
//!
//! Every signature is deterministic (RFC 6979, [`DeterministicSigner`]): rcgen signs through
//! [`CertSigner`] rather than its own aws-lc-rs key pair (random nonce), so a certificate's
//! whole DER, signature included, is a function of the seed.

use std::time::Duration;

use rcgen::string::PrintableString;
use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType, DnValue, IsCa,
    Issuer, KeyIdMethod, KeyUsagePurpose, PublicKeyData, SerialNumber, SignatureAlgorithm,
    SigningKey,
};
use sha2::{Digest, Sha256};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::der::asn1::{Any, BitString, ObjectIdentifier, OctetString, SetOfVec};
use x509_cert::der::{Decode, Encode, Tag};
use x509_cert::ext::pkix::certpolicy::PolicyInformation;
use x509_cert::ext::pkix::name::{GeneralName, OtherName};
use x509_cert::ext::pkix::{CertificatePolicies, SubjectAltName, SubjectKeyIdentifier};
use x509_cert::name::RelativeDistinguishedName;
use x509_cert::Certificate;

use super::derive::DerivedKey;
use super::{CaRole, KeyOwner, PkiError};
use crate::codec::ids::EntityId;
use crate::crypto::deterministic::DeterministicSigner;
use crate::crypto::{KeyUsage, RemotePartyRole};

/// Certificate policy of organisation and CA certificates in the RTDS.
pub(super) const ORGANISATION_POLICY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.826.0.1.8641679.1.2.1.4");
/// Certificate policy of the RTDS device certificates (a different arc from the
/// organisation policy; copied as found).
pub(super) const DEVICE_POLICY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.826.0.1.1800000.1.2.1.4");
/// hwType of every RTDS device certificate, whatever the device type.
pub(super) const HW_TYPE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.826.0.1.8641679.1.2.2.1");
/// id-on-hardwareModuleName (RFC 4108).
pub(super) const HARDWARE_MODULE_NAME: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.8.4");
/// x500UniqueIdentifier.
pub(super) const UNIQUE_IDENTIFIER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.45");

// rcgen names extensions by their arcs.
const ID_CE_SUBJECT_KEY_IDENTIFIER: &[u64] = &[2, 5, 29, 14];
const ID_CE_SUBJECT_ALT_NAME: &[u64] = &[2, 5, 29, 17];
const ID_CE_CERTIFICATE_POLICIES: &[u64] = &[2, 5, 29, 32];

/// A certification authority: its key, certificate and what rcgen needs to issue with it.
pub(super) struct Ca {
    pub role: CaRole,
    pub key: DerivedKey,
    pub der: Vec<u8>,
    issuer: Issuer<'static, CertSigner>,
}

/// A derived key as rcgen's signing key: ECDSA P-256/SHA-256 with an RFC 6979 nonce.
pub(super) struct CertSigner(DeterministicSigner);

impl PublicKeyData for CertSigner {
    fn der_bytes(&self) -> &[u8] {
        self.0.public_point()
    }

    fn algorithm(&self) -> &'static SignatureAlgorithm {
        &rcgen::PKCS_ECDSA_P256_SHA256
    }
}

impl SigningKey for CertSigner {
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        Ok(self.0.sign_asn1(msg))
    }
}

impl Ca {
    fn owner(&self) -> KeyOwner {
        KeyOwner::Ca(self.role)
    }
}

/// The 8-byte key identifier (the size GBCS trust anchor cells carry): the first 8 bytes of
/// SHA-256 over the uncompressed public point.
pub(super) fn key_identifier(point: &[u8]) -> [u8; 8] {
    let digest = Sha256::digest(point);
    let mut id = [0u8; 8];
    id.copy_from_slice(&digest[..8]);
    id
}

/// A 16-byte serial number (as in the RTDS) that follows from the key, so that it is
/// deterministic and distinct for every certified key; positive, hence the cleared top bit.
fn serial_number(point: &[u8]) -> SerialNumber {
    let mut h = Sha256::new();
    h.update(b"serial");
    h.update(point);
    let mut serial = h.finalize()[..16].to_vec();
    serial[0] &= 0x7f;
    SerialNumber::from(serial)
}

fn rcgen_key(key: &DerivedKey, owner: KeyOwner) -> Result<CertSigner, PkiError> {
    DeterministicSigner::from_pkcs8(&key.pkcs8)
        .map(CertSigner)
        .map_err(|_| PkiError::Certificate {
            owner,
            source: rcgen::Error::CouldNotParseKeyPair,
        })
}

fn printable(owner: KeyOwner, text: &str) -> Result<DnValue, PkiError> {
    PrintableString::try_from(text)
        .map(DnValue::PrintableString)
        .map_err(|source| PkiError::Certificate { owner, source })
}

fn der_of(owner: KeyOwner, value: &impl Encode) -> Result<Vec<u8>, PkiError> {
    value
        .to_der()
        .map_err(|source| PkiError::Der { owner, source })
}

/// Fixed dates keep certificate contents a function of the seed alone. Nothing expires:
/// 9999-12-31T23:59:59Z is RFC 5280's "no well-defined expiration date", which the RTDS
/// device certificates use too.
fn with_validity(params: &mut CertificateParams) {
    params.not_before = rcgen::date_time_ymd(2024, 1, 1);
    params.not_after = rcgen::date_time_ymd(9999, 12, 31) + Duration::from_secs(86_399);
}

fn policies_extension(
    owner: KeyOwner,
    policy: ObjectIdentifier,
) -> Result<CustomExtension, PkiError> {
    let policies = CertificatePolicies(vec![PolicyInformation {
        policy_identifier: policy,
        policy_qualifiers: None,
    }]);
    let mut ext =
        CustomExtension::from_oid_content(ID_CE_CERTIFICATE_POLICIES, der_of(owner, &policies)?);
    ext.set_criticality(true);
    Ok(ext)
}

/// rcgen writes a subject key identifier only for CA certificates (or with a
/// basicConstraints CA:FALSE, which GBCS end-entity certificates do not carry).
fn key_identifier_extension(owner: KeyOwner, id: &[u8; 8]) -> Result<CustomExtension, PkiError> {
    let ski = SubjectKeyIdentifier(
        OctetString::new(id.to_vec()).map_err(|source| PkiError::Der { owner, source })?,
    );
    Ok(CustomExtension::from_oid_content(
        ID_CE_SUBJECT_KEY_IDENTIFIER,
        der_of(owner, &ski)?,
    ))
}

/// subjectAltName otherName hardwareModuleName ::= SEQUENCE { hwType OID,
/// hwSerialNum OCTET STRING }; rcgen's otherName holds only UTF8 strings.
fn device_name_extension(owner: KeyOwner, device: EntityId) -> Result<CustomExtension, PkiError> {
    let der = |source| PkiError::Der { owner, source };
    let mut module = HW_TYPE.to_der().map_err(der)?;
    module.extend(
        OctetString::new(device.as_bytes().to_vec())
            .and_then(|s| s.to_der())
            .map_err(der)?,
    );
    let san = SubjectAltName(vec![GeneralName::OtherName(OtherName {
        type_id: HARDWARE_MODULE_NAME,
        value: Any::new(Tag::Sequence, module).map_err(der)?,
    })]);
    let mut ext = CustomExtension::from_oid_content(ID_CE_SUBJECT_ALT_NAME, der_of(owner, &san)?);
    ext.set_criticality(true);
    Ok(ext)
}

fn ca_params(
    role: CaRole,
    key: &DerivedKey,
    key_identifier: [u8; 8],
) -> Result<CertificateParams, PkiError> {
    let owner = KeyOwner::Ca(role);
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    let (ou, cn, constraints, policies) = match role {
        CaRole::Root => (
            Some("00"),
            "TA",
            BasicConstraints::Unconstrained,
            vec![ORGANISATION_POLICY, DEVICE_POLICY],
        ),
        CaRole::OrganisationCa => (
            Some("07"),
            "T1",
            BasicConstraints::Constrained(0),
            vec![ORGANISATION_POLICY],
        ),
        CaRole::DeviceCa => (
            None,
            "TD1",
            BasicConstraints::Constrained(0),
            vec![DEVICE_POLICY],
        ),
    };
    if let Some(ou) = ou {
        dn.push(DnType::OrganizationalUnitName, printable(owner, ou)?);
    }
    dn.push(DnType::CommonName, printable(owner, cn)?);
    params.distinguished_name = dn;
    params.serial_number = Some(serial_number(&key.point));
    with_validity(&mut params);
    params.is_ca = IsCa::Ca(constraints);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    // The root is its own authority; the issuing CAs name the root's key.
    params.use_authority_key_identifier_extension = role != CaRole::Root;
    params.key_identifier_method = KeyIdMethod::PreSpecified(key_identifier.to_vec());
    let policies = CertificatePolicies(
        policies
            .into_iter()
            .map(|policy_identifier| PolicyInformation {
                policy_identifier,
                policy_qualifiers: None,
            })
            .collect(),
    );
    let mut ext =
        CustomExtension::from_oid_content(ID_CE_CERTIFICATE_POLICIES, der_of(owner, &policies)?);
    ext.set_criticality(true);
    params.custom_extensions = vec![ext];
    Ok(params)
}

/// A CA certificate: self-signed for the root, else signed by `parent`.
pub(super) fn certification_authority(
    role: CaRole,
    key: DerivedKey,
    parent: Option<&Ca>,
) -> Result<Ca, PkiError> {
    let owner = KeyOwner::Ca(role);
    let key_identifier = key_identifier(&key.point);
    let params = ca_params(role, &key, key_identifier)?;
    let signing_key = rcgen_key(&key, owner)?;
    let certificate = match parent {
        Some(parent) => params.signed_by(&signing_key, &parent.issuer),
        None => params.self_signed(&signing_key),
    }
    .map_err(|source| PkiError::Certificate { owner, source })?;
    Ok(Ca {
        role,
        der: certificate.der().to_vec(),
        issuer: Issuer::new(params, signing_key),
        key,
    })
}

fn end_entity_params(
    owner: KeyOwner,
    usage: KeyUsage,
    key: &DerivedKey,
    policy: ObjectIdentifier,
) -> Result<CertificateParams, PkiError> {
    let mut params = CertificateParams::default();
    params.distinguished_name = DistinguishedName::new();
    params.serial_number = Some(serial_number(&key.point));
    with_validity(&mut params);
    params.key_usages = vec![match usage {
        KeyUsage::DigitalSignature => KeyUsagePurpose::DigitalSignature,
        KeyUsage::KeyAgreement | KeyUsage::PrepaymentKeyAgreement => KeyUsagePurpose::KeyAgreement,
    }];
    params.use_authority_key_identifier_extension = true;
    params.custom_extensions = vec![
        key_identifier_extension(owner, &key_identifier(&key.point))?,
        policies_extension(owner, policy)?,
    ];
    Ok(params)
}

fn issue(
    params: &CertificateParams,
    key: &DerivedKey,
    ca: &Ca,
    owner: KeyOwner,
) -> Result<Vec<u8>, PkiError> {
    let subject_key = rcgen_key(key, owner)?;
    params
        .signed_by(&subject_key, &ca.issuer)
        .map(|c| c.der().to_vec())
        .map_err(|source| PkiError::Certificate { owner, source })
}

/// An organisation certificate of `entity` in `role`.
pub(super) fn organisation_certificate(
    ca: &Ca,
    entity: EntityId,
    role: RemotePartyRole,
    usage: KeyUsage,
    key: &DerivedKey,
) -> Result<Vec<u8>, PkiError> {
    let owner = KeyOwner::Entity(entity, usage);
    let mut params = end_entity_params(owner, usage, key, ORGANISATION_POLICY)?;
    params.distinguished_name.push(
        DnType::OrganizationalUnitName,
        format!("{:02X}", role_code(role)),
    );
    let der = issue(&params, key, ca, owner)?;
    with_unique_identifier(&der, entity, ca, owner)
}

/// A device certificate of `device`.
pub(super) fn device_certificate(
    ca: &Ca,
    device: EntityId,
    usage: KeyUsage,
    key: &DerivedKey,
) -> Result<Vec<u8>, PkiError> {
    let owner = KeyOwner::Entity(device, usage);
    let mut params = end_entity_params(owner, usage, key, DEVICE_POLICY)?;
    params
        .custom_extensions
        .insert(1, device_name_extension(owner, device)?);
    issue(&params, key, ca, owner)
}

/// Appends x500UniqueIdentifier = BIT STRING `00 ‖ entity` to the subject and signs the
/// changed certificate again with `ca`'s key.
fn with_unique_identifier(
    der: &[u8],
    entity: EntityId,
    ca: &Ca,
    owner: KeyOwner,
) -> Result<Vec<u8>, PkiError> {
    let der_error = |source| PkiError::Der { owner, source };
    let mut cert = Certificate::from_der(der).map_err(der_error)?;
    let unique_id = BitString::from_bytes(entity.as_bytes())
        .and_then(|bits| Any::encode_from(&bits))
        .map_err(der_error)?;
    let rdn = SetOfVec::try_from(vec![AttributeTypeAndValue {
        oid: UNIQUE_IDENTIFIER,
        value: unique_id,
    }])
    .map_err(der_error)?;
    cert.tbs_certificate
        .subject
        .0
        .push(RelativeDistinguishedName(rdn));
    let tbs = cert.tbs_certificate.to_der().map_err(der_error)?;
    let signer = DeterministicSigner::from_pkcs8(&ca.key.pkcs8).map_err(|_| PkiError::Signing {
        owner,
        issuer: ca.owner(),
    })?;
    let signature = signer.sign_asn1(&tbs);
    cert.signature = BitString::from_bytes(&signature).map_err(der_error)?;
    cert.to_der().map_err(der_error)
}

/// The OU number of a role.
pub(super) fn role_code(role: RemotePartyRole) -> u8 {
    role.code()
}
