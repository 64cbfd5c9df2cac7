//! Signature, MAC and payload-encryption checks of a decoded frame.

use crate::codec::ciphered::{BlockStats, CipheredBlock, Decryption};
use crate::codec::frame::{Frame, SignatureField};
use crate::codec::ids::EntityId;
use crate::codec::payload::Payload;
use crate::crypto::protect::{self, frame_mac};
use crate::crypto::{gcm, CryptoError, KeyStore};

use super::Verdict;

fn unverifiable(reason: impl Into<String>) -> Verdict {
    Verdict::Unverifiable {
        reason: reason.into(),
    }
}

pub(super) fn check_signature(keys: &KeyStore, frame: &Frame, bytes: &[u8]) -> Verdict {
    let SignatureField::Present(sig) = &frame.general_signing.signature else {
        return Verdict::NotPresent;
    };
    let signer = frame.header().originator;
    match keys.verify(signer, &bytes[frame.spans.signed.clone()], sig.as_slice()) {
        Ok(true) => Verdict::Valid,
        Ok(false) => Verdict::Invalid,
        Err(e) => unverifiable(e.to_string()),
    }
}

pub(super) fn check_mac(
    keys: &KeyStore,
    acb: Option<EntityId>,
    frame: &Frame,
    bytes: &[u8],
) -> Verdict {
    let Some(gc) = &frame.general_ciphering else {
        return Verdict::NotPresent;
    };
    match frame_mac(
        keys,
        acb,
        frame,
        &bytes[frame.spans.general_signing.clone()],
    ) {
        Ok(expected) if gcm::mac_matches(&expected, gc.mac.as_slice()) => Verdict::Valid,
        Ok(_) => Verdict::Invalid,
        Err(e) => unverifiable(e.to_string()),
    }
}

pub(super) fn decrypt_payload(keys: &KeyStore, frame: &Frame, payload: &mut Payload) -> BlockStats {
    let originator = frame.header().originator;
    // Derived on the first block only: most payloads have none.
    let mut key: Option<Result<[u8; 16], CryptoError>> = None;
    let mut decrypt = |block: &CipheredBlock| -> Decryption {
        let key = key.get_or_insert_with(|| protect::encryption_key(keys, frame));
        let Ok(key) = key else {
            return Decryption::NoKey;
        };
        let iv = gcm::iv(&originator, block.invocation_counter);
        match gcm::decrypt(
            key,
            &iv,
            &[block.security_control],
            block.ciphertext.as_slice(),
            block.tag.as_slice(),
        ) {
            Some(plaintext) => Decryption::Plaintext(plaintext),
            None => Decryption::AuthenticationFailed,
        }
    };
    payload.decrypt_blocks(&mut decrypt)
}
