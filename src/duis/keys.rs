//! XML-signing keys and certificates for DUIS: a key store read from a directory laid out like
//! DCC Boxed's (`xml-sign-<EUI>-ds.{pem,key}` for Users, `dsp-xml-sign-<EUI>-ds.{pem,key}` for
//! the DCC), and a self-contained test PKI for those without the ZAZ1 keys.
//!
//! File names (EUI as 16 hex digits):
//! - `[dsp-]xml-sign-<EUI>-ds.pem`: the EUI's XML-signing certificate (PEM);
//! - `[dsp-]xml-sign-<EUI>-ds.key` (DER or PEM) or `.key.pem` (PEM): its P-256 private key,
//!   PKCS#8 or SEC1; with it the EUI can sign ([`XmlKeyStore::identity`]);
//! - `[dsp-]xml-sign-<EUI>-ds<variant>.pem` (e.g. `-pre-1.4.1`): a further certificate of the
//!   same EUI, used to verify documents signed under it (DCC Boxed's key before 1.4.1).
//!
//! Every file read is bounded to [`MAX_KEY_FILE_BYTES`]. Certificates are parsed with
//! `x509-cert`; keys and signatures are aws-lc-rs ECDSA P-256 / SHA-256 with raw `r‖s`
//! signatures. The issuer is written as DCC Boxed and xmlsec1 write `X509IssuerName` (RFC 4514
//! order, `,` between RDNs, no spaces: `CN=Z1,OU=07`); serial numbers are decimal strings of
//! any size.

use crate::codec::ids::EntityId;
use aws_lc_rs::rand::SecureRandom;
use aws_lc_rs::signature::{
    EcdsaKeyPair, KeyPair, UnparsedPublicKey, ECDSA_P256_SHA256_FIXED,
    ECDSA_P256_SHA256_FIXED_SIGNING,
};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use x509_cert::der::{Decode, DecodePem};
use x509_cert::Certificate;

/// The DCC's XML-signing entity (DCC Boxed's `dsp-xml-sign-90B3D51F30000002-ds`): the signer
/// of DCC responses and the target of non-device requests.
pub const DCC_XML_SIGNER: EntityId = EntityId([0x90, 0xB3, 0xD5, 0x1F, 0x30, 0x00, 0x00, 0x02]);

/// The largest key or certificate file [`XmlKeyStore::load`] reads.
pub const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;
/// The most directory entries [`XmlKeyStore::load`] looks at.
pub const MAX_KEY_DIR_ENTRIES: usize = 10_000;

/// id-ecPublicKey and the P-256 curve.
const ID_EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const PRIME256V1: &str = "1.2.840.10045.3.1.7";

/// Why keys could not be loaded or used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlKeyError {
    #[error("{}: {reason}", file.display())]
    Io { file: PathBuf, reason: String },
    #[error("{}: {size} bytes is larger than the limit of {max} bytes", file.display())]
    TooLarge { file: PathBuf, size: u64, max: u64 },
    #[error("{}: not a usable certificate: {reason}", file.display())]
    Certificate { file: PathBuf, reason: String },
    #[error("{}: not a usable P-256 private key: {reason}", file.display())]
    Key { file: PathBuf, reason: String },
    #[error("{}: the private key does not match the certificate {}", file.display(), certificate.display())]
    KeyMismatch { file: PathBuf, certificate: PathBuf },
    #[error("signing failed: {reason}")]
    Sign { reason: String },
    #[error("test PKI: {reason}")]
    TestPki { reason: String },
}

/// A certificate usable to verify XML signatures.
#[derive(Clone, PartialEq, Eq)]
pub struct XmlCertificate {
    /// The EUI the certificate belongs to (from its file name), when known.
    pub eui: Option<EntityId>,
    /// The issuer as `X509IssuerName` carries it: `CN=Z1,OU=07`.
    pub issuer: String,
    /// The serial number in decimal.
    pub serial: String,
    /// The certificate, DER.
    pub der: Vec<u8>,
    /// The file it was read from (none for the test PKI).
    pub file: Option<PathBuf>,
    /// The uncompressed P-256 public point (65 bytes).
    public_key: Vec<u8>,
}

impl std::fmt::Debug for XmlCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XmlCertificate")
            .field("eui", &self.eui)
            .field("issuer", &self.issuer)
            .field("serial", &self.serial)
            .field("file", &self.file)
            .finish()
    }
}

impl XmlCertificate {
    /// Reads a certificate (DER) of a P-256 key.
    pub fn from_der(
        der: &[u8],
        eui: Option<EntityId>,
        file: Option<PathBuf>,
    ) -> Result<XmlCertificate, XmlKeyError> {
        let bad = |reason: String| XmlKeyError::Certificate {
            file: file.clone().unwrap_or_default(),
            reason,
        };
        let cert = Certificate::from_der(der).map_err(|e| bad(e.to_string()))?;
        let tbs = &cert.tbs_certificate;
        let spki = &tbs.subject_public_key_info;
        if spki.algorithm.oid.to_string() != ID_EC_PUBLIC_KEY {
            return Err(bad(format!(
                "public key algorithm {} is not EC",
                spki.algorithm.oid
            )));
        }
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<x509_cert::der::asn1::ObjectIdentifier>().ok());
        if curve.map(|c| c.to_string()).as_deref() != Some(PRIME256V1) {
            return Err(bad("the key is not on P-256".to_string()));
        }
        let point = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| bad("public key bit string has unused bits".to_string()))?;
        if point.len() != 65 || point[0] != 4 {
            return Err(bad(
                "public key is not an uncompressed P-256 point".to_string()
            ));
        }
        Ok(XmlCertificate {
            eui,
            issuer: tbs.issuer.to_string(),
            serial: serial_decimal(tbs.serial_number.as_bytes()),
            der: der.to_vec(),
            file,
            public_key: point.to_vec(),
        })
    }

    /// Reads a PEM certificate.
    pub fn from_pem(
        pem: &[u8],
        eui: Option<EntityId>,
        file: Option<PathBuf>,
    ) -> Result<XmlCertificate, XmlKeyError> {
        let cert = Certificate::from_pem(pem).map_err(|e| XmlKeyError::Certificate {
            file: file.clone().unwrap_or_default(),
            reason: e.to_string(),
        })?;
        let der = x509_cert::der::Encode::to_der(&cert).map_err(|e| XmlKeyError::Certificate {
            file: file.clone().unwrap_or_default(),
            reason: e.to_string(),
        })?;
        XmlCertificate::from_der(&der, eui, file)
    }

    /// The uncompressed public point.
    pub fn public_key(&self) -> &[u8] {
        &self.public_key
    }

    /// Whether `signature` (raw `r‖s`, 64 bytes) is this key's ECDSA P-256 / SHA-256 signature
    /// of `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &self.public_key)
            .verify(message, signature)
            .is_ok()
    }

    /// Whether this certificate is the one named by an `X509IssuerSerial` (issuer compared
    /// normalised, serial compared as an integer).
    pub fn matches(&self, issuer: &str, serial: &str) -> bool {
        match (normalize_serial(serial), normalize_serial(&self.serial)) {
            (Some(a), Some(b)) if a == b => {
                normalize_issuer(issuer) == normalize_issuer(&self.issuer)
            }
            _ => false,
        }
    }

    /// The certificate as PEM.
    pub fn to_pem(&self) -> String {
        pem_encode("CERTIFICATE", &self.der)
    }
}

/// An XML-signing identity: an EUI's certificate and private key.
pub struct XmlSigningIdentity {
    pub eui: EntityId,
    pub certificate: XmlCertificate,
    key: EcdsaKeyPair,
    /// PKCS#8 DER of the private key.
    pkcs8: Vec<u8>,
}

impl std::fmt::Debug for XmlSigningIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XmlSigningIdentity")
            .field("eui", &self.eui)
            .field("certificate", &self.certificate)
            .finish_non_exhaustive()
    }
}

impl Clone for XmlSigningIdentity {
    fn clone(&self) -> Self {
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &self.pkcs8)
            .expect("a PKCS#8 document this identity was built from parses again");
        XmlSigningIdentity {
            eui: self.eui,
            certificate: self.certificate.clone(),
            key,
            pkcs8: self.pkcs8.clone(),
        }
    }
}

impl XmlSigningIdentity {
    /// An identity from a certificate and a private key (DER: PKCS#8 or SEC1); the key must be
    /// the certificate's.
    pub fn new(
        eui: EntityId,
        certificate: XmlCertificate,
        key_der: &[u8],
        key_file: Option<PathBuf>,
    ) -> Result<XmlSigningIdentity, XmlKeyError> {
        let file = key_file.unwrap_or_default();
        let key = EcdsaKeyPair::from_private_key_der(&ECDSA_P256_SHA256_FIXED_SIGNING, key_der)
            .map_err(|e| XmlKeyError::Key {
                file: file.clone(),
                reason: e.to_string(),
            })?;
        if key.public_key().as_ref() != certificate.public_key() {
            return Err(XmlKeyError::KeyMismatch {
                file,
                certificate: certificate.file.clone().unwrap_or_default(),
            });
        }
        let pkcs8 = key
            .to_pkcs8v1()
            .map_err(|_| XmlKeyError::Key {
                file,
                reason: "cannot re-encode as PKCS#8".into(),
            })?
            .as_ref()
            .to_vec();
        Ok(XmlSigningIdentity {
            eui,
            certificate,
            key,
            pkcs8,
        })
    }

    /// ECDSA P-256 / SHA-256 signature of `message`, raw `r‖s`.
    pub fn sign(&self, message: &[u8]) -> Result<[u8; 64], XmlKeyError> {
        let rng = aws_lc_rs::rand::SystemRandom::new();
        let sig = self
            .key
            .sign(&rng, message)
            .map_err(|e| XmlKeyError::Sign {
                reason: e.to_string(),
            })?;
        sig.as_ref().try_into().map_err(|_| XmlKeyError::Sign {
            reason: format!("signature of {} bytes, not 64", sig.as_ref().len()),
        })
    }

    /// The private key as PKCS#8 PEM (for `xmlsec1 --privkey-pem` and the like).
    pub fn private_key_pem(&self) -> String {
        pem_encode("PRIVATE KEY", &self.pkcs8)
    }
}

/// XML-signing identities and certificates.
#[derive(Debug, Clone, Default)]
pub struct XmlKeyStore {
    identities: BTreeMap<EntityId, XmlSigningIdentity>,
    /// The main certificate of each EUI.
    primary: BTreeMap<EntityId, XmlCertificate>,
    /// Every certificate (main and variants), in load order.
    certificates: Vec<XmlCertificate>,
    /// The test PKI's CA certificate (DER), for [`XmlKeyStore::test_pki`] stores.
    ca_der: Option<Vec<u8>>,
}

/// What a key store file name says.
struct KeyFileName {
    eui: EntityId,
    /// `""` for the main certificate, e.g. `-pre-1.4.1` for a variant.
    variant: String,
}

/// Parses `[dsp-]xml-sign-<EUI>-ds<variant>.pem` (not `.key.pem`).
fn certificate_file_name(name: &str) -> Option<KeyFileName> {
    let stem = name.strip_suffix(".pem")?;
    if stem.ends_with(".key") {
        return None;
    }
    let rest = stem.strip_prefix("dsp-").unwrap_or(stem);
    let rest = rest.strip_prefix("xml-sign-")?;
    let (eui, variant) = rest.split_at_checked(16)?;
    if !eui.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let variant = variant.strip_prefix("-ds")?;
    Some(KeyFileName {
        eui: eui.parse().ok()?,
        variant: variant.to_string(),
    })
}

fn read_bounded(file: &Path) -> Result<Vec<u8>, XmlKeyError> {
    let io = |e: std::io::Error| XmlKeyError::Io {
        file: file.to_path_buf(),
        reason: e.to_string(),
    };
    let f = std::fs::File::open(file).map_err(io)?;
    let mut out = Vec::new();
    f.take(MAX_KEY_FILE_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(io)?;
    if out.len() as u64 > MAX_KEY_FILE_BYTES {
        return Err(XmlKeyError::TooLarge {
            file: file.to_path_buf(),
            size: out.len() as u64,
            max: MAX_KEY_FILE_BYTES,
        });
    }
    Ok(out)
}

/// A private key file's DER: PEM (`PRIVATE KEY` or `EC PRIVATE KEY`) or DER as is.
fn key_der(bytes: &[u8], file: &Path) -> Result<Vec<u8>, XmlKeyError> {
    let trimmed = bytes.trim_ascii_start();
    if trimmed.starts_with(b"-----BEGIN") {
        let (label, der) =
            x509_cert::der::pem::decode_vec(trimmed).map_err(|e| XmlKeyError::Key {
                file: file.to_path_buf(),
                reason: e.to_string(),
            })?;
        if label != "PRIVATE KEY" && label != "EC PRIVATE KEY" {
            return Err(XmlKeyError::Key {
                file: file.to_path_buf(),
                reason: format!("PEM label {label:?}"),
            });
        }
        Ok(der)
    } else {
        Ok(bytes.to_vec())
    }
}

impl XmlKeyStore {
    /// An empty key store.
    pub fn new() -> XmlKeyStore {
        XmlKeyStore::default()
    }

    /// Reads every `[dsp-]xml-sign-<EUI>-ds*.pem` certificate of `dir` and, for main
    /// certificates, the private key beside it when there is one (see the module
    /// documentation). Other files are ignored. Any unreadable or invalid key file is an error
    /// naming the file.
    pub fn load(dir: &Path) -> Result<XmlKeyStore, XmlKeyError> {
        let io = |e: std::io::Error| XmlKeyError::Io {
            file: dir.to_path_buf(),
            reason: e.to_string(),
        };
        let mut names: Vec<String> = Vec::new();
        for entry in std::fs::read_dir(dir)
            .map_err(io)?
            .take(MAX_KEY_DIR_ENTRIES)
        {
            let entry = entry.map_err(io)?;
            if let Some(name) = entry.file_name().to_str() {
                names.push(name.to_string());
            }
        }
        names.sort();
        let mut store = XmlKeyStore::new();
        for name in &names {
            let Some(parsed) = certificate_file_name(name) else {
                continue;
            };
            let file = dir.join(name);
            let cert = XmlCertificate::from_pem(
                &read_bounded(&file)?,
                Some(parsed.eui),
                Some(file.clone()),
            )?;
            if parsed.variant.is_empty() {
                let stem = name.trim_end_matches(".pem");
                let key_file = [format!("{stem}.key"), format!("{stem}.key.pem")]
                    .into_iter()
                    .map(|n| dir.join(n))
                    .find(|p| p.is_file());
                if let Some(key_file) = key_file {
                    let der = key_der(&read_bounded(&key_file)?, &key_file)?;
                    let identity =
                        XmlSigningIdentity::new(parsed.eui, cert.clone(), &der, Some(key_file))?;
                    store.identities.insert(parsed.eui, identity);
                }
                store.primary.insert(parsed.eui, cert.clone());
            }
            store.certificates.push(cert);
        }
        Ok(store)
    }

    /// Writes the identities as a key store folder [`XmlKeyStore::load`] reads back:
    /// `xml-sign-<EUI>-ds.{pem,key}` for the Users and `dsp-xml-sign-<EUI>-ds.{pem,key}` for
    /// the DCC. This is how a test PKI made in one process (the DCC emulator's) reaches
    /// another (the harness as a User). The folder is created if need be.
    pub fn write(&self, dir: &Path) -> Result<(), XmlKeyError> {
        let io = |file: &Path, e: std::io::Error| XmlKeyError::Io {
            file: file.to_path_buf(),
            reason: e.to_string(),
        };
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        for (eui, identity) in &self.identities {
            let prefix = if *eui == DCC_XML_SIGNER { "dsp-" } else { "" };
            let stem = format!("{prefix}xml-sign-{eui}-ds");
            for (extension, text) in [
                ("pem", identity.certificate.to_pem()),
                ("key", identity.private_key_pem()),
            ] {
                let file = dir.join(format!("{stem}.{extension}"));
                std::fs::write(&file, text).map_err(|e| io(&file, e))?;
            }
        }
        Ok(())
    }

    /// A fresh, self-contained test PKI: a test CA (`CN=ZT,OU=07`) issuing one P-256
    /// XML-signing certificate per EUI (random 128-bit serials, like ZAZ1's), private keys
    /// included.
    pub fn test_pki(euis: &[EntityId]) -> XmlKeyStore {
        Self::try_test_pki(euis).expect("rcgen and aws-lc-rs generate P-256 test certificates")
    }

    /// [`XmlKeyStore::test_pki`], reporting a failure instead of panicking.
    pub fn try_test_pki(euis: &[EntityId]) -> Result<XmlKeyStore, XmlKeyError> {
        use rcgen::{
            BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
            KeyUsagePurpose,
        };
        let fail = |e: rcgen::Error| XmlKeyError::TestPki {
            reason: e.to_string(),
        };
        let rng = aws_lc_rs::rand::SystemRandom::new();
        let serial = || -> Result<rcgen::SerialNumber, XmlKeyError> {
            let mut bytes = [0u8; 16];
            rng.fill(&mut bytes).map_err(|e| XmlKeyError::TestPki {
                reason: e.to_string(),
            })?;
            bytes[0] = (bytes[0] & 0x7F) | 0x10;
            Ok(rcgen::SerialNumber::from_slice(&bytes))
        };
        let validity = |p: &mut CertificateParams| {
            p.not_before = rcgen::date_time_ymd(2024, 1, 1);
            p.not_after = rcgen::date_time_ymd(2124, 1, 1);
        };

        let ca_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).map_err(fail)?;
        let mut ca = CertificateParams::default();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::OrganizationalUnitName, "07");
        dn.push(DnType::CommonName, "ZT");
        ca.distinguished_name = dn;
        ca.serial_number = Some(serial()?);
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign];
        validity(&mut ca);
        let ca_cert = ca.self_signed(&ca_key).map_err(fail)?;
        let issuer = Issuer::new(ca, ca_key);

        let mut store = XmlKeyStore::new();
        store.ca_der = Some(ca_cert.der().to_vec());
        for &eui in euis {
            let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).map_err(fail)?;
            let mut params = CertificateParams::default();
            let mut dn = DistinguishedName::new();
            dn.push(
                DnType::OrganizationalUnitName,
                if eui == DCC_XML_SIGNER { "89" } else { "87" },
            );
            dn.push(DnType::CommonName, eui.to_string());
            params.distinguished_name = dn;
            params.serial_number = Some(serial()?);
            params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
            params.use_authority_key_identifier_extension = true;
            validity(&mut params);
            let cert = params.signed_by(&key, &issuer).map_err(fail)?;
            let xml_cert = XmlCertificate::from_der(cert.der(), Some(eui), None)?;
            let identity =
                XmlSigningIdentity::new(eui, xml_cert.clone(), key.serialized_der(), None)?;
            store.add_identity(identity);
        }
        Ok(store)
    }

    /// Adds (or replaces) an identity; its certificate becomes the EUI's main certificate.
    pub fn add_identity(&mut self, identity: XmlSigningIdentity) {
        let cert = identity.certificate.clone();
        self.primary.insert(identity.eui, cert.clone());
        self.certificates.retain(|c| c.der != cert.der);
        self.certificates.push(cert);
        self.identities.insert(identity.eui, identity);
    }

    /// Adds a certificate usable for verification (the EUI's main one if it has none yet).
    pub fn add_certificate(&mut self, certificate: XmlCertificate) {
        if let Some(eui) = certificate.eui {
            self.primary
                .entry(eui)
                .or_insert_with(|| certificate.clone());
        }
        if !self.certificates.iter().any(|c| c.der == certificate.der) {
            self.certificates.push(certificate);
        }
    }

    /// The signing identity of `eui`.
    pub fn identity(&self, eui: EntityId) -> Option<&XmlSigningIdentity> {
        self.identities.get(&eui)
    }

    /// The main certificate of `eui`.
    pub fn certificate_of(&self, eui: EntityId) -> Option<&XmlCertificate> {
        self.primary.get(&eui)
    }

    /// Every certificate of `eui` (main first, then variants).
    pub fn certificates_of(&self, eui: EntityId) -> Vec<&XmlCertificate> {
        let mut out: Vec<&XmlCertificate> = self.primary.get(&eui).into_iter().collect();
        for c in &self.certificates {
            if c.eui == Some(eui) && !out.iter().any(|o| o.der == c.der) {
                out.push(c);
            }
        }
        out
    }

    /// Every certificate.
    pub fn certificates(&self) -> impl Iterator<Item = &XmlCertificate> {
        self.certificates.iter()
    }

    /// The EUIs that can sign.
    pub fn signers(&self) -> impl Iterator<Item = EntityId> + '_ {
        self.identities.keys().copied()
    }

    /// The certificate named by an `X509IssuerSerial`.
    pub fn find(&self, issuer: &str, serial: &str) -> Option<&XmlCertificate> {
        self.certificates.iter().find(|c| c.matches(issuer, serial))
    }

    /// The test PKI's CA certificate (DER), for a store made by [`XmlKeyStore::test_pki`].
    pub fn ca_certificate_der(&self) -> Option<&[u8]> {
        self.ca_der.as_deref()
    }
}

/// The decimal form of a DER INTEGER's content octets (two's complement, big-endian).
pub fn serial_decimal(bytes: &[u8]) -> String {
    let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
    let mut magnitude: Vec<u8> = bytes.to_vec();
    if negative {
        // Two's complement negation.
        for b in magnitude.iter_mut() {
            *b = !*b;
        }
        for b in magnitude.iter_mut().rev() {
            let (v, carry) = b.overflowing_add(1);
            *b = v;
            if !carry {
                break;
            }
        }
    }
    // Repeated division by 10^9 over base-256 digits.
    let mut digits: Vec<u32> = Vec::new(); // base 10^9, least significant first
    for &byte in &magnitude {
        let mut carry = byte as u64;
        for d in digits.iter_mut() {
            let v = (*d as u64) * 256 + carry;
            *d = (v % 1_000_000_000) as u32;
            carry = v / 1_000_000_000;
        }
        while carry > 0 {
            digits.push((carry % 1_000_000_000) as u32);
            carry /= 1_000_000_000;
        }
    }
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    match digits.split_last() {
        None => out.push('0'),
        Some((top, rest)) => {
            out.push_str(&top.to_string());
            for d in rest.iter().rev() {
                out.push_str(&format!("{d:09}"));
            }
        }
    }
    out
}

/// A decimal integer's canonical form (sign, no leading zeros, no surrounding space), or
/// `None` if it is not a decimal integer (of at most 200 digits).
pub fn normalize_serial(s: &str) -> Option<String> {
    let s = s.trim();
    let (negative, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if digits.is_empty() || digits.len() > 200 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = digits.trim_start_matches('0');
    Some(match (negative, digits.is_empty()) {
        (_, true) => "0".to_string(),
        (true, false) => format!("-{digits}"),
        (false, false) => digits.to_string(),
    })
}

/// An RFC 4514-style name normalised for comparison: RDNs split at unescaped `,` or `;`,
/// space around RDNs, types and values dropped, types upper-cased (OIDs of CN, OU, O, C named).
pub fn normalize_issuer(name: &str) -> String {
    let mut rdns: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in name.chars() {
        if escaped {
            current.push(c);
            escaped = false;
        } else if c == '\\' {
            current.push(c);
            escaped = true;
        } else if c == ',' || c == ';' {
            rdns.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    rdns.push(current);
    rdns.iter()
        .map(|rdn| match rdn.split_once('=') {
            Some((t, v)) => {
                let t = t.trim().to_ascii_uppercase();
                let t = match t.trim_start_matches("OID.") {
                    "2.5.4.3" => "CN".to_string(),
                    "2.5.4.11" => "OU".to_string(),
                    "2.5.4.10" => "O".to_string(),
                    "2.5.4.6" => "C".to_string(),
                    other => other.to_string(),
                };
                format!("{t}={}", v.trim())
            }
            None => rdn.trim().to_string(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// PEM with 64-character lines.
fn pem_encode(label: &str, der: &[u8]) -> String {
    let b64 = crate::duis::signature::base64_encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eui(s: &str) -> EntityId {
        s.parse().unwrap()
    }

    #[test]
    fn serials_in_decimal_of_any_size() {
        assert_eq!(serial_decimal(&[]), "0");
        assert_eq!(serial_decimal(&[0x00]), "0");
        assert_eq!(serial_decimal(&[0x01, 0x00]), "256");
        assert_eq!(serial_decimal(&[0xFF]), "-1");
        assert_eq!(serial_decimal(&[0xFF, 0x00]), "-256");
        let big = hex::decode("7DAC7283AAD29BDD23C9EFBFDDB52A41").unwrap();
        assert_eq!(
            serial_decimal(&big),
            "167048897159233642262001557408276884033"
        );
        let big = hex::decode("00F4889EF197D41E9016966F9D5AB0402F").unwrap();
        assert_eq!(
            serial_decimal(&big),
            u128::from_str_radix("F4889EF197D41E9016966F9D5AB0402F", 16)
                .unwrap()
                .to_string()
        );
        assert_eq!(normalize_serial(" 007 "), Some("7".into()));
        assert_eq!(normalize_serial("+0"), Some("0".into()));
        assert_eq!(normalize_serial("-00"), Some("0".into()));
        assert_eq!(normalize_serial("1e3"), None);
        assert_eq!(normalize_serial(""), None);
    }

    #[test]
    fn issuers_compare_normalised() {
        assert_eq!(
            normalize_issuer("CN=Z1,OU=07"),
            normalize_issuer("cn = Z1, OU=07")
        );
        assert_eq!(
            normalize_issuer("2.5.4.3=Z1;OID.2.5.4.11=07"),
            "CN=Z1,OU=07"
        );
        assert_ne!(
            normalize_issuer("CN=Z1,OU=07"),
            normalize_issuer("CN=U1, OU=07")
        );
        assert_ne!(
            normalize_issuer("CN=Z1,OU=07"),
            normalize_issuer("OU=07,CN=Z1")
        );
    }

    #[test]
    fn a_written_store_reads_back_with_the_same_keys() {
        let users = [
            DCC_XML_SIGNER,
            EntityId([0x90, 0xB3, 0xD5, 0x1F, 0x50, 0x01, 0, 0]),
        ];
        let store = XmlKeyStore::test_pki(&users);
        let dir = std::env::temp_dir().join(format!("xml-keys-write-{}", std::process::id()));
        store.write(&dir).unwrap();
        let back = XmlKeyStore::load(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        let back = back.unwrap();
        for eui in users {
            let (a, b) = (back.identity(eui).unwrap(), store.identity(eui).unwrap());
            assert_eq!(a.certificate.der, b.certificate.der);
            assert_eq!(a.private_key_pem(), b.private_key_pem());
        }
    }

    #[test]
    fn file_names() {
        let p = certificate_file_name("dsp-xml-sign-90B3D51F30000002-ds-pre-1.4.1.pem").unwrap();
        assert_eq!(p.eui, DCC_XML_SIGNER);
        assert_eq!(p.variant, "-pre-1.4.1");
        let p = certificate_file_name("xml-sign-90B3D51F30010000-ds.pem").unwrap();
        assert_eq!(p.eui, eui("90B3D51F30010000"));
        assert!(p.variant.is_empty());
        assert!(certificate_file_name("dsp-xml-sign-90B3D51F30000002-ds.key.pem").is_none());
        assert!(certificate_file_name("xml-sign-90B3D51F3001000-ds.pem").is_none());
        assert!(certificate_file_name("xml-sign-90B3D51F30010000-ds.key").is_none());
        assert!(certificate_file_name("other.pem").is_none());
    }

    #[test]
    fn test_pki_signs_and_verifies() {
        let a = eui("90B3D51F30010000");
        let store = XmlKeyStore::test_pki(&[a, DCC_XML_SIGNER]);
        let id = store.identity(a).unwrap();
        let sig = id.sign(b"message").unwrap();
        let cert = store.certificate_of(a).unwrap();
        assert!(cert.verify(b"message", &sig));
        assert!(!cert.verify(b"messagf", &sig));
        assert!(!store
            .certificate_of(DCC_XML_SIGNER)
            .unwrap()
            .verify(b"message", &sig));
        assert_eq!(cert.issuer, "CN=ZT,OU=07");
        assert!(cert.serial.len() >= 37, "{}", cert.serial);
        assert_eq!(
            store
                .find("CN=ZT, OU=07", &format!("00{}", cert.serial))
                .map(|c| c.eui),
            Some(Some(a))
        );
        assert!(store.find("CN=ZT,OU=08", &cert.serial).is_none());
        // The PEM forms read back.
        let pem = cert.to_pem();
        let back = XmlCertificate::from_pem(pem.as_bytes(), Some(a), None).unwrap();
        assert_eq!(back.serial, cert.serial);
        let clone = id.clone();
        assert!(cert.verify(b"x", &clone.sign(b"x").unwrap()));
        assert!(id
            .private_key_pem()
            .starts_with("-----BEGIN PRIVATE KEY-----\n"));
    }

    #[test]
    fn loads_the_shared_keystore() {
        let dir = std::env::var("GBCS_DUIS_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/duis"))
            .join("keystore");
        if !dir.is_dir() {
            eprintln!("skipped: no key store at {}", dir.display());
            return;
        }
        let store = XmlKeyStore::load(&dir).unwrap();
        for e in [
            "90B3D51F30010000",
            "90B3D51F30020000",
            "00DB123456780004",
            "90B3D51F30000002",
        ] {
            assert!(store.identity(eui(e)).is_some(), "{e}");
        }
        let dcc = store.certificate_of(DCC_XML_SIGNER).unwrap();
        assert_eq!(dcc.issuer, "CN=Z1,OU=07");
        assert_eq!(dcc.serial, "167048897159233642262001557408276884033");
        let all = store.certificates_of(DCC_XML_SIGNER);
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].serial, "50669612984035780968362471400449834504");
        assert!(store
            .find("CN=Z1,OU=07", "50669612984035780968362471400449834504")
            .is_some());
    }

    #[test]
    fn bad_files_are_named() {
        let dir = std::env::temp_dir().join(format!("gbcs-xmlkeys-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let cert = dir.join("xml-sign-90B3D51F30010000-ds.pem");
        std::fs::write(
            &cert,
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        match XmlKeyStore::load(&dir) {
            Err(XmlKeyError::Certificate { file, .. }) => assert_eq!(file, cert),
            other => panic!("{other:?}"),
        }
        std::fs::write(&cert, vec![b'A'; MAX_KEY_FILE_BYTES as usize + 10]).unwrap();
        assert!(matches!(
            XmlKeyStore::load(&dir),
            Err(XmlKeyError::TooLarge { .. })
        ));
        // A key that is not the certificate's.
        let store = XmlKeyStore::test_pki(&[eui("90B3D51F30010000"), eui("90B3D51F30020000")]);
        std::fs::write(
            &cert,
            store
                .certificate_of(eui("90B3D51F30010000"))
                .unwrap()
                .to_pem(),
        )
        .unwrap();
        let key = dir.join("xml-sign-90B3D51F30010000-ds.key");
        std::fs::write(
            &key,
            store
                .identity(eui("90B3D51F30020000"))
                .unwrap()
                .private_key_pem(),
        )
        .unwrap();
        assert!(matches!(
            XmlKeyStore::load(&dir),
            Err(XmlKeyError::KeyMismatch { .. })
        ));
        std::fs::write(&key, b"garbage").unwrap();
        assert!(
            matches!(XmlKeyStore::load(&dir), Err(XmlKeyError::Key { ref file, .. }) if *file == key)
        );
        std::fs::write(
            &key,
            store
                .identity(eui("90B3D51F30010000"))
                .unwrap()
                .private_key_pem(),
        )
        .unwrap();
        let loaded = XmlKeyStore::load(&dir).unwrap();
        assert!(loaded.identity(eui("90B3D51F30010000")).is_some());
        std::fs::remove_dir_all(&dir).ok();
    }
}
