//! Deterministic ECDSA P-256/SHA-256 (RFC 6979): the nonce is derived from the private key
//! and the message, so the same key and message always give the same signature.
//!
//! Used where a signature ends up in a generated file (the test PKI's certificates, which
//! `import` writes into vectors inside re-issued security-credentials payloads), so that
//! regenerating from the same inputs gives byte-identical files. aws-lc-rs draws a fresh
//! random nonce per signature and offers no RFC 6979, hence the pure-Rust `p256` here; every
//! verification stays with aws-lc-rs (the signatures are ordinary ECDSA).

use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use p256::pkcs8::DecodePrivateKey;

/// A P-256 private key that signs deterministically.
#[derive(Clone)]
pub struct DeterministicSigner {
    key: SigningKey,
    /// The uncompressed public point (`04 ‖ x ‖ y`).
    point: Vec<u8>,
}

/// The key is not a PKCS#8 P-256 private key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a PKCS#8 P-256 private key: {reason}")]
pub struct SignerKeyError {
    pub reason: String,
}

impl DeterministicSigner {
    /// From a PKCS#8 (v1 or v2) DER private key.
    pub fn from_pkcs8(der: &[u8]) -> Result<Self, SignerKeyError> {
        let key = SigningKey::from_pkcs8_der(der).map_err(|e| SignerKeyError {
            reason: e.to_string(),
        })?;
        let point = key
            .verifying_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec();
        Ok(DeterministicSigner { key, point })
    }

    /// The uncompressed public point.
    pub fn public_point(&self) -> &[u8] {
        &self.point
    }

    fn signature(&self, message: &[u8]) -> Signature {
        // RFC 6979 nonce, SHA-256 digest: exactly the RFC's output (not low-S normalised).
        self.key.sign(message)
    }

    /// The raw `r ‖ s` signature (GBCS form).
    pub fn sign_fixed(&self, message: &[u8]) -> [u8; 64] {
        self.signature(message).to_bytes().into()
    }

    /// The ASN.1 DER `ECDSA-Sig-Value` (X.509 form).
    pub fn sign_asn1(&self, message: &[u8]) -> Vec<u8> {
        self.signature(message).to_der().as_bytes().to_vec()
    }
}

impl std::fmt::Debug for DeterministicSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the private key.
        f.debug_struct("DeterministicSigner")
            .field("point", &hex::encode_upper(&self.point))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::signature::{
        UnparsedPublicKey, ECDSA_P256_SHA256_ASN1, ECDSA_P256_SHA256_FIXED,
    };
    use p256::pkcs8::EncodePrivateKey;

    /// RFC 6979 A.2.5: P-256, SHA-256, message "sample".
    #[test]
    fn rfc6979_test_vector() {
        let x = hex::decode("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721")
            .unwrap();
        let key = SigningKey::from_slice(&x).unwrap();
        let der = key.to_pkcs8_der().unwrap();
        let signer = DeterministicSigner::from_pkcs8(der.as_bytes()).unwrap();
        let sig = signer.sign_fixed(b"sample");
        assert_eq!(
            hex::encode_upper(sig),
            "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716\
             F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"
        );
        assert_eq!(signer.sign_fixed(b"sample"), sig);
    }

    #[test]
    fn aws_lc_verifies_both_forms_and_they_repeat() {
        let key = SigningKey::from_slice(&[7u8; 32]).unwrap();
        let der = key.to_pkcs8_der().unwrap();
        let signer = DeterministicSigner::from_pkcs8(der.as_bytes()).unwrap();
        let point = signer.public_point().to_vec();
        for msg in [&b""[..], b"grouping header and content", &[0xA5; 1000]] {
            let fixed = signer.sign_fixed(msg);
            assert_eq!(fixed, signer.sign_fixed(msg));
            UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &point)
                .verify(msg, &fixed)
                .unwrap();
            let asn1 = signer.sign_asn1(msg);
            assert_eq!(asn1, signer.sign_asn1(msg));
            UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, &point)
                .verify(msg, &asn1)
                .unwrap();
        }
    }

    #[test]
    fn garbage_is_refused() {
        assert!(DeterministicSigner::from_pkcs8(b"not a key").is_err());
    }
}
