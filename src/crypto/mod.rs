//! Real GBCS cryptography: key store, ECDH + KDF, AES-128-GCM MACs and payload decryption,
//! ECDSA P-256 signatures in raw `r ‖ s` form.
//!
//! Backend: aws-lc-rs for ECDSA and ECDH (a P-256 verify costs about a quarter of the pure-Rust
//! `p256` crate's on this machine, see `benches/crypto.rs`), RustCrypto `aes-gcm` for GCM
//! because GBCS truncates tags to 12 bytes, which aws-lc-rs's AEAD API does not offer.

pub mod gcm;
pub mod kdf;
pub mod keystore;
pub mod pki;
pub mod protect;
pub mod utrn;

pub use keystore::{
    CryptoError, KeyMaterialError, KeyStore, KeyStoreError, KeyUsage, RemotePartyRole,
};
