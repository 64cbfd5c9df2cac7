//! Signature, MAC and payload-encryption checks of a decoded frame.

use crate::codec::catalogue::{self, Origin};
use crate::codec::ciphered::{BlockStats, CipheredBlock, Decryption};
use crate::codec::frame::{mac_aad, Frame, SignatureField};
use crate::codec::ids::{CraFlag, EntityId};
use crate::codec::payload::Payload;
use crate::crypto::kdf::{derive_key, KdfMode};
use crate::crypto::{gcm, CryptoError, KeyStore, KeyUsage};

use super::Verdict;

/// The two key-agreement keys whose shared secret MACs a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MacKeyPair {
    /// The remote side (ACB for commands, the recipient for responses and alerts).
    pub remote: EntityId,
    /// The device side.
    pub device: EntityId,
}

/// Which pair MACs this frame, or why none can be named.
pub fn mac_key_pair(frame: &Frame, acb: Option<EntityId>) -> Result<MacKeyPair, String> {
    let h = frame.header();
    let han_only = h
        .message_code()
        .and_then(catalogue::lookup)
        .is_some_and(|e| e.origin == Origin::HanOnly);
    match h.cra {
        // HAN-only commands go device to device: no remote party is involved.
        CraFlag::Command if han_only => Ok(MacKeyPair {
            remote: h.originator,
            device: h.recipient,
        }),
        CraFlag::Command => match acb {
            Some(acb) => Ok(MacKeyPair {
                remote: acb,
                device: h.recipient,
            }),
            None => Err(
                "commands are MAC'd with the access control broker's key: none given (--acb)"
                    .into(),
            ),
        },
        CraFlag::Response | CraFlag::Alert => Ok(MacKeyPair {
            remote: h.recipient,
            device: h.originator,
        }),
        CraFlag::Other(b) => Err(format!("no MAC rule for CRA flag 0x{b:02X}")),
    }
}

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
    let pair = match mac_key_pair(frame, acb) {
        Ok(p) => p,
        Err(reason) => return unverifiable(reason),
    };
    let z = match keys.shared_secret(
        pair.remote,
        KeyUsage::KeyAgreement,
        pair.device,
        KeyUsage::KeyAgreement,
    ) {
        Ok(z) => z,
        Err(e) => return unverifiable(e.to_string()),
    };
    let h = frame.header();
    let tid = h.transaction_id();
    let key = derive_key(&z, &h.originator, tid[0], h.counter, &h.recipient);
    let iv = gcm::iv(&h.originator, gc.invocation_counter);
    let aad = mac_aad(
        gc.security_control,
        gc.invocation_counter,
        &bytes[frame.spans.general_signing.clone()],
    );
    if gcm::mac_matches(&gcm::mac(&key, &iv, &aad), gc.mac.as_slice()) {
        Verdict::Valid
    } else {
        Verdict::Invalid
    }
}

/// The key that encrypts device data in this frame's payload (framing §6.4): the device's
/// key with the supplementary remote party's, if named, else the recipient's; the counter
/// is the supplementary originator counter when present, else the frame's counter.
fn encryption_key(keys: &KeyStore, frame: &Frame) -> Result<[u8; 16], CryptoError> {
    let h = frame.header();
    let oi = &h.other_information;
    let remote = oi.supplementary_remote_party().unwrap_or(h.recipient);
    let counter = oi.supplementary_originator_counter().unwrap_or(h.counter);
    let z = keys.shared_secret(
        remote,
        KeyUsage::KeyAgreement,
        h.originator,
        KeyUsage::KeyAgreement,
    )?;
    Ok(derive_key(
        &z,
        &h.originator,
        KdfMode::Encryption as u8,
        counter,
        &remote,
    ))
}

pub(super) fn decrypt_payload(keys: &KeyStore, frame: &Frame, payload: &mut Payload) -> BlockStats {
    let originator = frame.header().originator;
    // Derived on the first block only: most payloads have none.
    let mut key: Option<Result<[u8; 16], CryptoError>> = None;
    let mut decrypt = |block: &CipheredBlock| -> Decryption {
        let key = key.get_or_insert_with(|| encryption_key(keys, frame));
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
