//! Key material by entity id and usage, from a folder of PEM files or added in memory.
//!
//! Folder convention (the ZAZ1 store of the RTDS): `<eui>-ds.pem` / `<eui>-ds.key` for
//! digital signature, `<eui>-ka.*` for key agreement, `<eui>-pp-ka.*` for the supplier's
//! prepayment key agreement key; `.pem` is a certificate (or a bare public key), `.key` a
//! PKCS#8 private key. ECDH shared secrets are cached per key pair: they do not depend on the
//! message, and one P-256 agreement costs far more than the rest of a MAC check.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use aws_lc_rs::agreement::{self, ECDH_P256};
use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    EcdsaKeyPair, ParsedPublicKey, ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING,
};
use serde::Serialize;
use x509_cert::der::Decode;
use x509_cert::Certificate;

use crate::codec::ids::EntityId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyUsage {
    DigitalSignature,
    KeyAgreement,
    /// The supplier's prepayment key agreement key (UTRN generation and validation).
    PrepaymentKeyAgreement,
}

impl fmt::Display for KeyUsage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyUsage::DigitalSignature => "digital-signature",
            KeyUsage::KeyAgreement => "key-agreement",
            KeyUsage::PrepaymentKeyAgreement => "prepayment key-agreement",
        })
    }
}

impl KeyUsage {
    fn file_suffix(self) -> &'static str {
        match self {
            KeyUsage::DigitalSignature => "ds",
            KeyUsage::KeyAgreement => "ka",
            KeyUsage::PrepaymentKeyAgreement => "pp-ka",
        }
    }
}

/// Remote party role as carried in an organisation certificate's OU (defined in the codec).
pub use crate::codec::enums::RemotePartyRole;

/// What a certificate says about its subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateInfo {
    /// The entity id in the certificate (x500UniqueIdentifier for organisations, the
    /// hardware module serial in subjectAltName for devices).
    pub subject_entity: Option<EntityId>,
    /// `Some` for organisation certificates (their OU), `None` for device certificates.
    pub role: Option<RemotePartyRole>,
}

struct PublicEntry {
    /// Uncompressed SEC1 point (65 bytes).
    point: Vec<u8>,
    verifier: ParsedPublicKey,
    certificate: Option<CertificateInfo>,
    /// The certificate as loaded, for models that hand it out or read fields the
    /// `CertificateInfo` summary leaves out (a device's CS02e answer, trust-anchor SKIs).
    certificate_der: Option<Vec<u8>>,
}

struct PrivateEntry {
    pkcs8: Vec<u8>,
}

#[derive(Default)]
struct Slot {
    public: Option<Arc<PublicEntry>>,
    private: Option<Arc<PrivateEntry>>,
}

type PairKey = (EntityId, KeyUsage, EntityId, KeyUsage);
type SecretCache = HashMap<PairKey, Result<Arc<[u8; 32]>, CryptoError>>;

/// A note about a key store file that was skipped or looks inconsistent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyStoreNote {
    pub file: String,
    pub note: String,
}

#[derive(Default)]
pub struct KeyStore {
    slots: HashMap<(EntityId, KeyUsage), Slot>,
    shared_secrets: RwLock<SecretCache>,
    signers: RwLock<HashMap<EntityId, Arc<EcdsaKeyPair>>>,
    notes: Vec<KeyStoreNote>,
    /// CA certificates (DER) of the PKI the store's certificates come from: the issuers a
    /// payload's certification path names (CS02b).
    ca_certificates: Vec<Vec<u8>>,
}

impl fmt::Debug for KeyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyStore")
            .field("keys", &self.slots.len())
            .finish()
    }
}

/// Splits `90b3d51f30010000-pp-ka.pem` into (entity, usage, is_private).
fn parse_file_name(name: &str) -> Option<(EntityId, KeyUsage, bool)> {
    let (stem, ext) = name.rsplit_once('.')?;
    let private = match ext.to_ascii_lowercase().as_str() {
        "pem" => false,
        "key" => true,
        _ => return None,
    };
    let (eui, usage) = stem.split_once('-')?;
    let usage = match usage.to_ascii_lowercase().as_str() {
        "ds" => KeyUsage::DigitalSignature,
        "ka" => KeyUsage::KeyAgreement,
        "pp-ka" => KeyUsage::PrepaymentKeyAgreement,
        _ => return None,
    };
    Some((eui.parse().ok()?, usage, private))
}

/// The largest key file read: a PEM certificate or key is a few kilobytes.
pub const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;

/// Reads one key file, at most [`MAX_KEY_FILE_BYTES`] (+1, to tell a longer file): the size
/// the metadata gives is no bound (a link to `/dev/zero` says 0), the read itself is.
fn read_key_file(path: &Path) -> Result<String, KeyStoreError> {
    use std::io::Read;
    let failed = |source| KeyStoreError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut text = String::new();
    std::fs::File::open(path)
        .map_err(failed)?
        .take(MAX_KEY_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(failed)?;
    if text.len() as u64 > MAX_KEY_FILE_BYTES {
        return Err(KeyStoreError::TooLarge {
            path: path.to_path_buf(),
            limit: MAX_KEY_FILE_BYTES,
        });
    }
    Ok(text)
}

impl KeyStore {
    pub fn new() -> Self {
        KeyStore::default()
    }

    /// Loads every `<eui>[-pp]-{ds,ka}.{pem,key}` file of `dir`; other files are noted.
    pub fn load_dir(dir: &Path) -> Result<Self, KeyStoreError> {
        let mut store = KeyStore::new();
        let read = std::fs::read_dir(dir).map_err(|source| KeyStoreError::Folder {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut paths: Vec<PathBuf> = read.filter_map(Result::ok).map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let Some((entity, usage, private)) = parse_file_name(&name) else {
                if path.is_file() {
                    store.note(&name, "not a <eui>[-pp]-{ds,ka}.{pem,key} file: ignored");
                }
                continue;
            };
            let text = read_key_file(&path)?;
            let result = if private {
                store.add_private_pem(entity, usage, &text)
            } else {
                store.add_public_pem(entity, usage, &text)
            };
            if let Err(source) = result {
                return Err(KeyStoreError::Material { path, source });
            }
            if let Some(cert_entity) = store
                .certificate(entity, usage)
                .and_then(|c| c.subject_entity)
            {
                if cert_entity != entity && !private {
                    store.note(
                        &name,
                        &format!("certificate subject is {cert_entity}, not the {entity} of its file name"),
                    );
                }
            }
        }
        Ok(store)
    }

    fn note(&mut self, file: &str, note: &str) {
        self.notes.push(KeyStoreNote {
            file: file.to_string(),
            note: note.to_string(),
        });
    }

    pub fn notes(&self) -> &[KeyStoreNote] {
        &self.notes
    }

    /// Adds a certificate or bare public key in PEM form.
    pub fn add_public_pem(
        &mut self,
        entity: EntityId,
        usage: KeyUsage,
        pem: &str,
    ) -> Result<(), KeyMaterialError> {
        let (label, der) = decode_pem(pem)?;
        match label {
            "CERTIFICATE" => self.add_certificate_der(entity, usage, &der),
            "PUBLIC KEY" => {
                let spki =
                    x509_cert::spki::SubjectPublicKeyInfoOwned::from_der(&der).map_err(|e| {
                        KeyMaterialError::Der {
                            what: "SubjectPublicKeyInfo",
                            reason: e.to_string(),
                        }
                    })?;
                let point = spki.subject_public_key.raw_bytes().to_vec();
                self.add_public_point(entity, usage, &point, None)
            }
            other => Err(KeyMaterialError::UnexpectedLabel {
                found: other.to_string(),
                expected: "CERTIFICATE or PUBLIC KEY",
            }),
        }
    }

    pub fn add_certificate_der(
        &mut self,
        entity: EntityId,
        usage: KeyUsage,
        der: &[u8],
    ) -> Result<(), KeyMaterialError> {
        let cert = Certificate::from_der(der).map_err(|e| KeyMaterialError::Der {
            what: "X.509 certificate",
            reason: e.to_string(),
        })?;
        let point = cert
            .tbs_certificate
            .subject_public_key_info
            .subject_public_key
            .raw_bytes()
            .to_vec();
        let info = certificate_info(&cert);
        self.insert_public(entity, usage, &point, Some(info), Some(der.to_vec()))
    }

    /// Adds a CA certificate (DER), one a certification path may carry.
    pub fn add_ca_certificate_der(&mut self, der: &[u8]) -> Result<(), KeyMaterialError> {
        Certificate::from_der(der).map_err(|e| KeyMaterialError::Der {
            what: "X.509 CA certificate",
            reason: e.to_string(),
        })?;
        if !self.ca_certificates.iter().any(|c| c.as_slice() == der) {
            self.ca_certificates.push(der.to_vec());
        }
        Ok(())
    }

    /// The CA certificates (DER) added with [`KeyStore::add_ca_certificate_der`].
    pub fn ca_certificates(&self) -> impl Iterator<Item = &[u8]> {
        self.ca_certificates.iter().map(Vec::as_slice)
    }

    /// Adds an uncompressed P-256 public point.
    pub fn add_public_point(
        &mut self,
        entity: EntityId,
        usage: KeyUsage,
        point: &[u8],
        certificate: Option<CertificateInfo>,
    ) -> Result<(), KeyMaterialError> {
        self.insert_public(entity, usage, point, certificate, None)
    }

    fn insert_public(
        &mut self,
        entity: EntityId,
        usage: KeyUsage,
        point: &[u8],
        certificate: Option<CertificateInfo>,
        certificate_der: Option<Vec<u8>>,
    ) -> Result<(), KeyMaterialError> {
        let verifier = ParsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point).map_err(|e| {
            KeyMaterialError::NotP256 {
                what: "public key",
                reason: e.to_string(),
            }
        })?;
        self.slots.entry((entity, usage)).or_default().public = Some(Arc::new(PublicEntry {
            point: point.to_vec(),
            verifier,
            certificate,
            certificate_der,
        }));
        self.invalidate(entity);
        Ok(())
    }

    /// Adds a PKCS#8 private key in PEM form; its public key is added too if missing.
    pub fn add_private_pem(
        &mut self,
        entity: EntityId,
        usage: KeyUsage,
        pem: &str,
    ) -> Result<(), KeyMaterialError> {
        let (label, der) = decode_pem(pem)?;
        if label != "PRIVATE KEY" && label != "EC PRIVATE KEY" {
            return Err(KeyMaterialError::UnexpectedLabel {
                found: label.to_string(),
                expected: "PRIVATE KEY or EC PRIVATE KEY",
            });
        }
        self.add_private_der(entity, usage, &der)
    }

    /// Adds a PKCS#8 (or SEC1) DER private key.
    pub fn add_private_der(
        &mut self,
        entity: EntityId,
        usage: KeyUsage,
        der: &[u8],
    ) -> Result<(), KeyMaterialError> {
        let key = agreement::PrivateKey::from_private_key_der(&ECDH_P256, der).map_err(|e| {
            KeyMaterialError::NotP256 {
                what: "private key",
                reason: e.to_string(),
            }
        })?;
        let point = key
            .compute_public_key()
            .map_err(|_| KeyMaterialError::NotP256 {
                what: "private key",
                reason: "cannot compute its public key".into(),
            })?
            .as_ref()
            .to_vec();
        let pkcs8 = der.to_vec();
        let has_public = self
            .slots
            .get(&(entity, usage))
            .is_some_and(|s| s.public.is_some());
        if !has_public {
            self.add_public_point(entity, usage, &point, None)?;
        }
        self.slots.entry((entity, usage)).or_default().private =
            Some(Arc::new(PrivateEntry { pkcs8 }));
        self.invalidate(entity);
        Ok(())
    }

    /// Forgets cached secrets and signers that involve `entity` (its keys changed).
    fn invalidate(&mut self, entity: EntityId) {
        self.shared_secrets
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|k, _| k.0 != entity && k.2 != entity);
        self.signers
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&entity);
    }

    pub fn has_public(&self, entity: EntityId, usage: KeyUsage) -> bool {
        self.slots
            .get(&(entity, usage))
            .is_some_and(|s| s.public.is_some())
    }

    /// The PKCS#8 (or SEC1) DER of a private key the store holds.
    pub fn private_key_der(&self, entity: EntityId, usage: KeyUsage) -> Option<&[u8]> {
        Some(
            self.slots
                .get(&(entity, usage))?
                .private
                .as_ref()?
                .pkcs8
                .as_slice(),
        )
    }

    pub fn has_private(&self, entity: EntityId, usage: KeyUsage) -> bool {
        self.slots
            .get(&(entity, usage))
            .is_some_and(|s| s.private.is_some())
    }

    pub fn certificate(&self, entity: EntityId, usage: KeyUsage) -> Option<&CertificateInfo> {
        self.slots
            .get(&(entity, usage))?
            .public
            .as_ref()?
            .certificate
            .as_ref()
    }

    /// The DER of the certificate held for an entity's key (`None` for a bare public key).
    pub fn certificate_der(&self, entity: EntityId, usage: KeyUsage) -> Option<&[u8]> {
        self.slots
            .get(&(entity, usage))?
            .public
            .as_ref()?
            .certificate_der
            .as_deref()
    }

    /// The role an entity's certificates declare (organisation certificates only).
    pub fn role(&self, entity: EntityId) -> Option<RemotePartyRole> {
        [KeyUsage::DigitalSignature, KeyUsage::KeyAgreement]
            .into_iter()
            .find_map(|u| self.certificate(entity, u).and_then(|c| c.role))
    }

    /// Entities whose certificates declare `role`, in id order.
    pub fn entities_with_role(&self, role: RemotePartyRole) -> Vec<EntityId> {
        let mut out: Vec<EntityId> = self
            .slots
            .iter()
            .filter(|((e, _), s)| {
                s.public
                    .as_ref()
                    .and_then(|p| p.certificate.as_ref())
                    .is_some_and(|c| c.role == Some(role) && c.subject_entity == Some(*e))
            })
            .map(|((e, _), _)| *e)
            .collect();
        out.sort();
        out.dedup();
        out
    }

    pub fn public_point(&self, entity: EntityId, usage: KeyUsage) -> Option<&[u8]> {
        Some(
            self.slots
                .get(&(entity, usage))?
                .public
                .as_ref()?
                .point
                .as_slice(),
        )
    }

    /// Verifies a raw `r ‖ s` ECDSA P-256/SHA-256 signature by `entity`'s DS key.
    pub fn verify(
        &self,
        entity: EntityId,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, CryptoError> {
        let entry = self
            .slots
            .get(&(entity, KeyUsage::DigitalSignature))
            .and_then(|s| s.public.as_ref())
            .ok_or(CryptoError::NoPublicKey {
                entity,
                usage: KeyUsage::DigitalSignature,
            })?;
        Ok(entry.verifier.verify_sig(message, signature).is_ok())
    }

    /// Signs with `entity`'s DS private key, giving a raw 64-byte `r ‖ s`.
    pub fn sign(&self, entity: EntityId, message: &[u8]) -> Result<[u8; 64], CryptoError> {
        let signer = self.signer(entity)?;
        let sig = signer
            .sign(&SystemRandom::new(), message)
            .map_err(|_| CryptoError::SigningFailed { entity })?;
        sig.as_ref()
            .try_into()
            .map_err(|_| CryptoError::SigningFailed { entity })
    }

    fn signer(&self, entity: EntityId) -> Result<Arc<EcdsaKeyPair>, CryptoError> {
        if let Some(s) = self
            .signers
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&entity)
        {
            return Ok(s.clone());
        }
        let usage = KeyUsage::DigitalSignature;
        let private = self
            .slots
            .get(&(entity, usage))
            .and_then(|s| s.private.as_ref())
            .ok_or(CryptoError::NoPrivateKey { entity, usage })?;
        let pair =
            EcdsaKeyPair::from_private_key_der(&ECDSA_P256_SHA256_FIXED_SIGNING, &private.pkcs8)
                .map_err(|e| CryptoError::KeyRejected {
                    entity,
                    usage,
                    reason: e.to_string(),
                })?;
        let pair = Arc::new(pair);
        self.signers
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(entity, pair.clone());
        Ok(pair)
    }

    /// The ECDH shared secret Z of (a, usage_a) and (b, usage_b), using whichever side's
    /// private key the store holds. Cached, including the "no key" outcome.
    pub fn shared_secret(
        &self,
        a: EntityId,
        usage_a: KeyUsage,
        b: EntityId,
        usage_b: KeyUsage,
    ) -> Result<Arc<[u8; 32]>, CryptoError> {
        let key = if (a, usage_a) <= (b, usage_b) {
            (a, usage_a, b, usage_b)
        } else {
            (b, usage_b, a, usage_a)
        };
        if let Some(r) = self
            .shared_secrets
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return r.clone();
        }
        let result = self
            .agree(a, usage_a, b, usage_b)
            .or_else(|first| match first {
                CryptoError::NoPrivateKey { .. } => self.agree(b, usage_b, a, usage_a),
                other => Err(other),
            })
            .map_err(|e| match e {
                CryptoError::NoPrivateKey { .. } => CryptoError::NoPrivateKeyForPair {
                    a,
                    b,
                    usage: usage_a,
                },
                other => other,
            })
            .map(Arc::new);
        self.shared_secrets
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, result.clone());
        result
    }

    fn agree(
        &self,
        own: EntityId,
        own_usage: KeyUsage,
        peer: EntityId,
        peer_usage: KeyUsage,
    ) -> Result<[u8; 32], CryptoError> {
        let private = self
            .slots
            .get(&(own, own_usage))
            .and_then(|s| s.private.as_ref())
            .ok_or(CryptoError::NoPrivateKey {
                entity: own,
                usage: own_usage,
            })?;
        let peer_point = self
            .public_point(peer, peer_usage)
            .ok_or(CryptoError::NoPublicKey {
                entity: peer,
                usage: peer_usage,
            })?;
        let key = agreement::PrivateKey::from_private_key_der(&ECDH_P256, &private.pkcs8).map_err(
            |e| CryptoError::KeyRejected {
                entity: own,
                usage: own_usage,
                reason: e.to_string(),
            },
        )?;
        let peer_key = agreement::UnparsedPublicKey::new(&ECDH_P256, peer_point);
        agreement::agree(
            &key,
            peer_key,
            CryptoError::AgreementFailed { a: own, b: peer },
            |z| {
                z.try_into()
                    .map_err(|_| CryptoError::AgreementFailed { a: own, b: peer })
            },
        )
    }

    /// Generates a fresh P-256 key for (entity, usage), replacing what the store held for it,
    /// and returns its public point.
    pub fn generate(
        &mut self,
        entity: EntityId,
        usage: KeyUsage,
    ) -> Result<Vec<u8>, KeyMaterialError> {
        let failed = |e: aws_lc_rs::error::Unspecified| KeyMaterialError::NotP256 {
            what: "generated key",
            reason: e.to_string(),
        };
        let key = agreement::PrivateKey::generate(&ECDH_P256).map_err(failed)?;
        let der: Pkcs8V1Der<'static> = key.as_der().map_err(failed)?;
        // A new identity: its public half replaces any certificate held for (entity, usage).
        let point = key.compute_public_key().map_err(failed)?.as_ref().to_vec();
        self.add_public_point(entity, usage, &point, None)?;
        self.add_private_der(entity, usage, der.as_ref())?;
        Ok(self
            .public_point(entity, usage)
            .unwrap_or_default()
            .to_vec())
    }

    pub fn file_name(entity: EntityId, usage: KeyUsage, private: bool) -> String {
        format!(
            "{}-{}.{}",
            hex::encode(entity.as_bytes()),
            usage.file_suffix(),
            if private { "key" } else { "pem" }
        )
    }
}

/// OID 2.5.4.11 organizationalUnitName.
const OU: &str = "2.5.4.11";
/// OID 2.5.4.45 x500UniqueIdentifier.
const UNIQUE_ID: &str = "2.5.4.45";
/// OID 2.5.29.17 subjectAltName.
const SUBJECT_ALT_NAME: &str = "2.5.29.17";

fn certificate_info(cert: &Certificate) -> CertificateInfo {
    let mut info = CertificateInfo {
        subject_entity: None,
        role: None,
    };
    for rdn in cert.tbs_certificate.subject.0.iter() {
        for atv in rdn.0.iter() {
            let oid = atv.oid.to_string();
            let value = atv.value.value();
            if oid == OU {
                if let Ok(text) = std::str::from_utf8(value) {
                    if let Ok(code) = u8::from_str_radix(text.trim(), 16) {
                        info.role = Some(RemotePartyRole::from_code(code));
                    }
                }
            } else if oid == UNIQUE_ID && value.len() == 9 && value[0] == 0 {
                // BIT STRING with zero unused bits, then the 8-byte entity id.
                info.subject_entity = value[1..].try_into().ok().map(EntityId);
            }
        }
    }
    if info.subject_entity.is_none() {
        // Device certificates: subjectAltName otherName hardwareModuleName, whose
        // hwSerialNum OCTET STRING(8) is the device id and ends the extension.
        let san = cert
            .tbs_certificate
            .extensions
            .iter()
            .flatten()
            .find(|e| e.extn_id.to_string() == SUBJECT_ALT_NAME);
        if let Some(ext) = san {
            let v = ext.extn_value.as_bytes();
            if v.len() >= 10 && v[v.len() - 10] == 0x04 && v[v.len() - 9] == 0x08 {
                info.subject_entity = v[v.len() - 8..].try_into().ok().map(EntityId);
            }
        }
    }
    info
}

fn decode_pem(pem: &str) -> Result<(&str, Vec<u8>), KeyMaterialError> {
    x509_cert::der::pem::decode_vec(pem.as_bytes())
        .map_err(|e| KeyMaterialError::Pem(e.to_string()))
}

/// Why a key store operation (a key look-up, an agreement, a signature) failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("no {usage} public key for {entity}")]
    NoPublicKey { entity: EntityId, usage: KeyUsage },
    #[error("no {usage} private key for {entity}")]
    NoPrivateKey { entity: EntityId, usage: KeyUsage },
    #[error("no private key for either side of the {usage} pair {a} / {b}")]
    NoPrivateKeyForPair {
        a: EntityId,
        b: EntityId,
        usage: KeyUsage,
    },
    #[error("{usage} key of {entity} rejected: {reason}")]
    KeyRejected {
        entity: EntityId,
        usage: KeyUsage,
        reason: String,
    },
    #[error("ECDH between {a} and {b} failed")]
    AgreementFailed { a: EntityId, b: EntityId },
    #[error("signing with the key of {entity} failed")]
    SigningFailed { entity: EntityId },
}

/// Why a piece of key material could not be added to a store.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyMaterialError {
    #[error("not PEM: {0}")]
    Pem(String),
    #[error("unexpected PEM label {found:?} (expected {expected})")]
    UnexpectedLabel {
        found: String,
        expected: &'static str,
    },
    #[error("not a DER {what}: {reason}")]
    Der { what: &'static str, reason: String },
    #[error("not a P-256 {what}: {reason}")]
    NotP256 { what: &'static str, reason: String },
}

/// Why a key store folder could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyStoreError {
    #[error("cannot read key store folder {path}: {source}")]
    Folder {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: larger than the {limit}-byte limit for one key file")]
    TooLarge {
        path: std::path::PathBuf,
        limit: u64,
    },
    #[error("{path}: {source}")]
    Material {
        path: std::path::PathBuf,
        source: KeyMaterialError,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> EntityId {
        s.parse().unwrap()
    }

    #[test]
    fn in_memory_keys_agree_from_either_side() {
        let (a, b) = (id("90b3d51f30010000"), id("00db1234567890a0"));
        let ka = KeyUsage::KeyAgreement;
        let mut remote_side = KeyStore::new();
        let a_point = remote_side.generate(a, ka).unwrap();
        let mut device_side = KeyStore::new();
        let b_point = device_side.generate(b, ka).unwrap();
        remote_side.add_public_point(b, ka, &b_point, None).unwrap();
        device_side.add_public_point(a, ka, &a_point, None).unwrap();
        let z1 = remote_side.shared_secret(a, ka, b, ka).unwrap();
        let z2 = device_side.shared_secret(b, ka, a, ka).unwrap();
        assert_eq!(z1, z2);
        // Cached: asking again gives the same secret without a new agreement.
        assert_eq!(remote_side.shared_secret(b, ka, a, ka).unwrap(), z1);
    }

    #[test]
    fn sign_and_verify_raw_signatures() {
        let e = id("90b3d51f30010000");
        let mut store = KeyStore::new();
        store.generate(e, KeyUsage::DigitalSignature).unwrap();
        let sig = store.sign(e, b"grouping header and content").unwrap();
        assert!(store
            .verify(e, b"grouping header and content", &sig)
            .unwrap());
        assert!(!store
            .verify(e, b"grouping header and contenT", &sig)
            .unwrap());
        let mut bad = sig;
        bad[63] ^= 1;
        assert!(!store
            .verify(e, b"grouping header and content", &bad)
            .unwrap());
        assert_eq!(
            store.verify(id("00db1234567890a0"), b"x", &sig),
            Err(CryptoError::NoPublicKey {
                entity: id("00db1234567890a0"),
                usage: KeyUsage::DigitalSignature
            })
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_linked_to_dev_zero_is_refused_by_name_and_limit() {
        let dir = std::env::temp_dir().join(format!("gbcs-keystore-zero-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("90b3d51f30010000-ds.pem");
        std::os::unix::fs::symlink("/dev/zero", &file).unwrap();
        let err = KeyStore::load_dir(&dir).unwrap_err();
        assert!(
            matches!(&err, KeyStoreError::TooLarge { path, limit: MAX_KEY_FILE_BYTES } if *path == file),
            "{err}"
        );
        let text = err.to_string();
        assert!(
            text.contains("90b3d51f30010000-ds.pem") && text.contains("65536-byte limit"),
            "{text}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn file_names_follow_the_store_convention() {
        assert_eq!(
            parse_file_name("90b3d51f30010000-pp-ka.key"),
            Some((
                id("90b3d51f30010000"),
                KeyUsage::PrepaymentKeyAgreement,
                true
            ))
        );
        assert_eq!(
            parse_file_name("00DB1234567890A0-ds.pem"),
            Some((id("00db1234567890a0"), KeyUsage::DigitalSignature, false))
        );
        assert_eq!(parse_file_name("README.txt"), None);
        assert_eq!(parse_file_name("zz-ka.pem"), None);
        assert_eq!(
            KeyStore::file_name(
                id("90b3d51f30010000"),
                KeyUsage::PrepaymentKeyAgreement,
                true
            ),
            "90b3d51f30010000-pp-ka.key"
        );
    }
}
