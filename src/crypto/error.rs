use crate::codec::ids::EntityId;

use super::keystore::KeyUsage;

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
    #[error("{path}: {source}")]
    Material {
        path: std::path::PathBuf,
        source: KeyMaterialError,
    },
}
