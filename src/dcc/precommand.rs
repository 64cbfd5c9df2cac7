//! The critical-command flow on the GBCS side: the pre-command a CV 4 request is answered
//! with (a General-Signing APDU whose signature field is empty, a trailing `00`), the User's
//! signature over it as a CV 5 request carries it back (`00` dropped, `40` and a raw P-256
//! `r ‖ s` over the bytes after the `DF` tag appended), and the check that what comes back is
//! exactly what was issued, signed by the originator's GBCS digital-signing key.

use crate::codec::frame::{GeneralSigning, SignatureField};
use crate::codec::EntityId;
use crate::command::template::{Addressing, CommandTemplate};
use crate::crypto::protect::{self, ProtectError};
use crate::crypto::{CryptoError, KeyStore};

/// The General-Signing tag a pre-command starts with.
pub const GENERAL_SIGNING_TAG: u8 = 0xDF;
/// The signature length byte of a signed pre-command.
pub const SIGNATURE_LENGTH: u8 = 0x40;

/// Why a signed pre-command is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreCommandError {
    #[error("signed pre-command is {got} bytes; the pre-command issued was {issued} bytes, so {expected} were expected")]
    Length {
        got: usize,
        issued: usize,
        expected: usize,
    },
    #[error("signed pre-command differs from the pre-command issued at byte {offset}")]
    Differs { offset: usize },
    #[error("signed pre-command has signature length 0x{0:02X}, not 0x40")]
    SignatureLength(u8),
    #[error("the signature of {originator} over the pre-command does not verify")]
    BadSignature { originator: EntityId },
    #[error("cannot check the signature: {0}")]
    NoKey(String),
    #[error("the pre-command issued is not a General-Signing APDU")]
    NotIssued,
}

/// The pre-command for `template` addressed as `to`: the APDU and its bytes (`DF … 00`). With
/// `tamper`, the last payload byte is changed after the fact (the `tampered-pre-command`
/// fault), so the pre-command no longer says what the request asked.
pub fn issue(
    template: &CommandTemplate,
    to: Addressing,
    tamper: bool,
) -> (GeneralSigning, Vec<u8>) {
    let mut gs = template.general_signing(to);
    gs.signature = SignatureField::Null;
    if tamper {
        let mut content = gs.content.as_slice().to_vec();
        if let Some(last) = content.last_mut() {
            *last ^= 0x01;
        }
        gs.content = content.into();
    }
    let mut bytes = Vec::new();
    gs.encode(&mut bytes);
    (gs, bytes)
}

/// Signs a pre-command as its originator would (what a User's system does between CV 4 and
/// CV 5): drops the empty signature field (`00`, absent before DCC Boxed 1.4.1) and appends
/// `40` and the signature over the bytes after the `DF` tag.
pub fn sign(
    pre_command: &[u8],
    keys: &KeyStore,
    originator: EntityId,
) -> Result<Vec<u8>, CryptoError> {
    let body = unsigned_body(pre_command);
    let covered = body.get(1..).unwrap_or_default();
    let sig = keys.sign(originator, covered)?;
    let mut out = Vec::with_capacity(body.len() + 65);
    out.extend_from_slice(body);
    out.push(SIGNATURE_LENGTH);
    out.extend_from_slice(&sig);
    Ok(out)
}

/// The pre-command without its empty signature field: the APDU's own lengths say where its
/// content ends (a content ending in a zero byte is not mistaken for an empty signature).
fn unsigned_body(pre_command: &[u8]) -> &[u8] {
    if let Ok(frame) = crate::codec::decode_frame(pre_command) {
        if frame.general_ciphering.is_none() {
            let n = 1 + frame.general_signing.signed_bytes().len();
            if let Some(body) = pre_command.get(..n) {
                return body;
            }
        }
    }
    match pre_command.split_last() {
        Some((0, rest)) => rest,
        _ => pre_command,
    }
}

/// Checks that `signed` is exactly `issued` signed by `originator`; gives the signature.
pub fn check(
    issued: &[u8],
    signed: &[u8],
    keys: &KeyStore,
    originator: EntityId,
) -> Result<[u8; 64], PreCommandError> {
    let body = unsigned_body(issued);
    if body.first() != Some(&GENERAL_SIGNING_TAG) {
        return Err(PreCommandError::NotIssued);
    }
    let expected = body.len() + 65;
    if let Some(offset) = body.iter().zip(signed.iter()).position(|(a, b)| a != b) {
        return Err(PreCommandError::Differs { offset });
    }
    if signed.len() != expected {
        return Err(PreCommandError::Length {
            got: signed.len(),
            issued: issued.len(),
            expected,
        });
    }
    let length = signed[body.len()];
    if length != SIGNATURE_LENGTH {
        return Err(PreCommandError::SignatureLength(length));
    }
    let mut sig = [0u8; 64];
    sig.copy_from_slice(&signed[body.len() + 1..]);
    match keys.verify(originator, &body[1..], &sig) {
        Ok(true) => Ok(sig),
        Ok(false) => Err(PreCommandError::BadSignature { originator }),
        Err(e) => Err(PreCommandError::NoKey(e.to_string())),
    }
}

/// The command frame the device receives: the issued APDU with the User's signature, MAC'd
/// through the access control broker.
pub fn frame(
    mut issued: GeneralSigning,
    signature: [u8; 64],
    keys: &KeyStore,
    acb: EntityId,
) -> Result<Vec<u8>, ProtectError> {
    issued.signature = SignatureField::Present(signature.to_vec().into());
    Ok(protect::wrap_with_mac(keys, Some(acb), issued)?.encode())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{dlms, MessageCode};
    use crate::command::template::OtherInformationTemplate;
    use crate::crypto::pki::defaults::{ESME, SUPPLIER};
    use crate::sim::profile::DefaultProfile;

    fn issued() -> (GeneralSigning, Vec<u8>, DefaultProfile) {
        let profile = DefaultProfile::generate().unwrap();
        let template = CommandTemplate {
            message_code: MessageCode::ECS45,
            other_information: OtherInformationTemplate::MessageCode,
            payload: dlms::read_supply_status(0).into(),
            signed: true,
        };
        let to = Addressing {
            originator: SUPPLIER,
            recipient: ESME,
            counter: 9,
        };
        let (gs, bytes) = issue(&template, to, false);
        (gs, bytes, profile)
    }

    #[test]
    fn a_pre_command_signed_by_its_originator_is_accepted_and_nothing_else_is() {
        let (_, pre, profile) = issued();
        assert_eq!(pre[0], 0xDF);
        assert_eq!(*pre.last().unwrap(), 0);
        let signed = sign(&pre, profile.keys(), SUPPLIER).unwrap();
        assert_eq!(signed.len(), pre.len() + 64);
        assert!(check(&pre, &signed, profile.keys(), SUPPLIER).is_ok());
        // Without the trailing 00 (DCC Boxed before 1.4.1) it signs the same bytes.
        let old = sign(&pre[..pre.len() - 1], profile.keys(), SUPPLIER).unwrap();
        assert!(check(&pre, &old, profile.keys(), SUPPLIER).is_ok());

        let mut changed = signed.clone();
        changed[20] ^= 1;
        assert!(matches!(
            check(&pre, &changed, profile.keys(), SUPPLIER),
            Err(PreCommandError::Differs { offset: 20 })
        ));
        let mut bad_sig = signed.clone();
        let n = bad_sig.len();
        bad_sig[n - 3] ^= 1;
        assert!(matches!(
            check(&pre, &bad_sig, profile.keys(), SUPPLIER),
            Err(PreCommandError::BadSignature { .. })
        ));
        assert!(matches!(
            check(&pre, &signed[..signed.len() - 1], profile.keys(), SUPPLIER),
            Err(PreCommandError::Length { .. })
        ));
        assert!(check(&pre, &[], profile.keys(), SUPPLIER).is_err());
    }
}
