//! Real GBCS cryptography: key store, ECDH + KDF, AES-128-GCM MACs and payload decryption,
//! ECDSA P-256 signatures in raw `r ‖ s` form.
//!
//! Backend: aws-lc-rs for ECDSA and ECDH (a P-256 verify costs about a quarter of the pure-Rust
//! `p256` crate's on this machine, see `benches/crypto.rs`), RustCrypto `aes-gcm` for GCM
//! because GBCS truncates tags to 12 bytes, which aws-lc-rs's AEAD API does not offer; the
//! pure-Rust `p256` for deterministic (RFC 6979) signatures that end up in generated files
//! ([`deterministic`]), which aws-lc-rs does not offer either.

pub mod deterministic;
pub mod gcm;
pub mod kdf;
pub mod keystore;
pub mod pki;
pub mod protect;
pub mod utrn;

pub use keystore::{
    CryptoError, KeyMaterialError, KeyStore, KeyStoreError, KeyUsage, RemotePartyRole,
};
