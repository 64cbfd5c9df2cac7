//! The critical-command flow's User side: before signing the DCC's pre-command, check that it
//! says what the scenario's command says (the DCC's "Parse & Correlate"), then sign it with the
//! originator's GBCS digital-signing key as GBCS signs a critical command.

use crate::codec::frame::{SignatureField, GENERAL_SIGNING_TAG, SIGNATURE_LEN};
use crate::codec::{decode_frame, Frame};
use crate::crypto::KeyStore;

/// Why a pre-command is not the command the scenario built.
pub(crate) fn differences(command: &Frame, precommand: &[u8]) -> Result<Frame, String> {
    let pre = decode_frame(precommand).map_err(|e| format!("it does not decode: {e}"))?;
    if pre.general_ciphering.is_some() {
        return Err("it is MAC'd (a pre-command is a bare General Signing APDU)".into());
    }
    if matches!(pre.general_signing.signature, SignatureField::Present(_)) {
        return Err("it is already signed".into());
    }
    let (want, got) = (command.header(), pre.header());
    let mut diffs = Vec::new();
    if got.message_code() != want.message_code() {
        diffs.push(format!(
            "message code {} instead of {}",
            shown(got.message_code()),
            shown(want.message_code())
        ));
    }
    if got.recipient != want.recipient {
        diffs.push(format!(
            "recipient {} instead of {}",
            got.recipient, want.recipient
        ));
    }
    if got.originator != want.originator {
        diffs.push(format!(
            "originator {} instead of {}",
            got.originator, want.originator
        ));
    }
    if got.counter != want.counter {
        diffs.push(format!(
            "counter {} instead of {}",
            got.counter, want.counter
        ));
    }
    if got.cra != want.cra {
        diffs.push(format!("CRA flag {:?} instead of {:?}", got.cra, want.cra));
    }
    let (a, b) = (
        command.general_signing.content.as_slice(),
        pre.general_signing.content.as_slice(),
    );
    if a != b {
        let at = a
            .iter()
            .zip(b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        diffs.push(format!(
            "payload of {} bytes differing from the command's {} bytes at offset {at}",
            b.len(),
            a.len()
        ));
    }
    if diffs.is_empty() {
        Ok(pre)
    } else {
        Err(diffs.join("; "))
    }
}

fn shown(code: Option<crate::codec::MessageCode>) -> String {
    code.map_or_else(|| "(none)".into(), |c| c.to_string())
}

/// The pre-command signed by its originator: the bytes after `DF` through the content,
/// signed, then `40` and the 64-byte `r ‖ s` in place of the empty signature field.
pub(super) fn sign(pre: &Frame, keys: &KeyStore) -> Result<Vec<u8>, String> {
    let signed = pre.general_signing.signed_bytes();
    let signature = keys
        .sign(pre.header().originator, &signed)
        .map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(signed.len() + 2 + SIGNATURE_LEN);
    out.push(GENERAL_SIGNING_TAG);
    out.extend_from_slice(&signed);
    out.push(SIGNATURE_LEN as u8);
    out.extend_from_slice(&signature);
    Ok(out)
}
