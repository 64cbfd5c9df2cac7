//! Applying GBCS protection to outgoing frames, and the rule that names the key pair of a
//! MAC (shared by the checks in `inspect`).
//!
//! A remote party signs a General Signing APDU with its digital-signature key; the DCC
//! access control broker wraps every command in a General Ciphering frame MAC'd with its
//! key-agreement key and the recipient device's. A device MACs (or signs) its responses and
//! alerts with its own keys and the recipient's.

use crate::codec::catalogue::{self, Origin};
use crate::codec::ciphered::CipheredBlock;
use crate::codec::frame::{
    mac_aad, Frame, FrameSpans, GeneralCiphering, GeneralSigning, SignatureField,
};
use crate::codec::ids::{CraFlag, EntityId};

use super::kdf::{derive_key, KdfMode};
use super::{gcm, CryptoError, KeyStore, KeyUsage};

/// Security control byte of a MAC-only General Ciphering frame.
pub const AUTHENTICATION_ONLY: u8 = 0x11;
/// Security control byte of an encrypted-and-authenticated payload block.
pub const AUTHENTICATED_ENCRYPTION: u8 = 0x31;

/// The two key-agreement keys whose shared secret MACs a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MacKeyPair {
    /// The remote side (the ACB for commands, the recipient for responses and alerts).
    pub remote: EntityId,
    /// The device side.
    pub device: EntityId,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtectError {
    #[error("commands are MAC'd with the access control broker's key: no ACB given")]
    NoAccessControlBroker,
    #[error("no MAC rule for CRA flag 0x{0:02X}")]
    UnknownCra(u8),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

/// Which pair MACs a frame with this grouping header (GBCS primer, framing §6.1).
pub fn mac_key_pair(frame: &Frame, acb: Option<EntityId>) -> Result<MacKeyPair, ProtectError> {
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
        CraFlag::Command => Ok(MacKeyPair {
            remote: acb.ok_or(ProtectError::NoAccessControlBroker)?,
            device: h.recipient,
        }),
        CraFlag::Response | CraFlag::Alert => Ok(MacKeyPair {
            remote: h.recipient,
            device: h.originator,
        }),
        CraFlag::Other(b) => Err(ProtectError::UnknownCra(b)),
    }
}

/// The 12-byte MAC of a General Ciphering frame over the given General Signing bytes.
pub fn frame_mac(
    keys: &KeyStore,
    acb: Option<EntityId>,
    frame: &Frame,
    general_signing: &[u8],
) -> Result<[u8; 12], ProtectError> {
    let pair = mac_key_pair(frame, acb)?;
    let z = keys.shared_secret(
        pair.remote,
        KeyUsage::KeyAgreement,
        pair.device,
        KeyUsage::KeyAgreement,
    )?;
    let h = frame.header();
    let key = derive_key(&z, &h.originator, h.cra.to_byte(), h.counter, &h.recipient);
    let (sc, ic) = frame
        .general_ciphering
        .as_ref()
        .map_or((AUTHENTICATION_ONLY, 0), |gc| {
            (gc.security_control, gc.invocation_counter)
        });
    Ok(gcm::mac(
        &key,
        &gcm::iv(&h.originator, ic),
        &mac_aad(sc, ic, general_signing),
    ))
}

/// Signs a General Signing APDU with its originator's digital-signature key.
pub fn sign(keys: &KeyStore, gs: &mut GeneralSigning) -> Result<(), CryptoError> {
    let sig = keys.sign(gs.header.originator, &gs.signed_bytes())?;
    gs.signature = SignatureField::Present(sig.to_vec().into());
    Ok(())
}

/// Wraps a General Signing APDU in a MAC'd General Ciphering frame. An APDU without a
/// signature field (a PRECOMMAND) gets the null signature an unsigned message carries.
pub fn wrap_with_mac(
    keys: &KeyStore,
    acb: Option<EntityId>,
    mut gs: GeneralSigning,
) -> Result<Frame, ProtectError> {
    if gs.signature == SignatureField::Absent {
        gs.signature = SignatureField::Null;
    }
    let mut frame = Frame {
        general_ciphering: Some(GeneralCiphering {
            security_control: AUTHENTICATION_ONLY,
            invocation_counter: 0,
            mac: vec![0; 12].into(),
        }),
        general_signing: gs,
        spans: FrameSpans::default(),
    };
    let mut gs_bytes = Vec::new();
    frame.general_signing.encode(&mut gs_bytes);
    let mac = frame_mac(keys, acb, &frame, &gs_bytes)?;
    if let Some(gc) = frame.general_ciphering.as_mut() {
        gc.mac = mac.to_vec().into();
    }
    Ok(frame)
}

/// Encrypts device data for the frame's recipient (or its supplementary remote party), as a
/// device does in a response or alert (framing §6.4).
pub fn encrypt_block(
    keys: &KeyStore,
    frame: &Frame,
    invocation_counter: u32,
    plaintext: &[u8],
) -> Result<CipheredBlock, CryptoError> {
    let key = encryption_key(keys, frame)?;
    let iv = gcm::iv(&frame.header().originator, invocation_counter);
    let mut sealed = gcm::encrypt(&key, &iv, &[AUTHENTICATED_ENCRYPTION], plaintext);
    let tag = sealed.split_off(sealed.len() - 12);
    Ok(CipheredBlock {
        security_control: AUTHENTICATED_ENCRYPTION,
        invocation_counter,
        ciphertext: sealed.into(),
        tag: tag.into(),
    })
}

/// The key that encrypts device data in a frame's payload: the device's key with the
/// supplementary remote party's if named, else the recipient's; the counter is the
/// supplementary originator counter when present, else the frame's counter.
pub fn encryption_key(keys: &KeyStore, frame: &Frame) -> Result<[u8; 16], CryptoError> {
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
