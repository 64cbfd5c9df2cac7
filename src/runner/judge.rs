//! Judging what came back for a command: is it a valid response to *that* command (CRA,
//! counter, entity ids, message code, MAC, signature), did it come in time, is it a
//! rejection. Pure functions over frames and keys; the steps turn a verdict into a failure.

use std::time::Duration;

use crate::codec::catalogue;
use crate::codec::{decode_frame, CraFlag, Frame, Payload};
use crate::crypto::KeyStore;
use crate::inspect::{Inspection, Inspector, Verdict};
use crate::report::FailureKind;

/// A failed check: what class of failure, one line saying what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: FailureKind,
    pub message: String,
}

impl Finding {
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Self {
        Finding {
            kind,
            message: message.into(),
        }
    }
}

/// Checks `response` against the command it answers. Returns the inspection (decoded,
/// verified) when everything holds.
pub fn valid_response(
    keys: &KeyStore,
    acb: crate::codec::EntityId,
    command: &Frame,
    response: &[u8],
) -> Result<Inspection, Finding> {
    let inspector = Inspector::new(keys, Some(acb));
    let inspection = inspector.inspect(response).map_err(|e| {
        Finding::new(
            FailureKind::Decode,
            format!("response frame does not decode: {e}"),
        )
    })?;
    let (c, r) = (command.header(), inspection.message.frame.header());
    if r.cra != CraFlag::Response {
        return Err(Finding::new(
            FailureKind::Assertion,
            format!("expected a response (CRA flag 2), got CRA flag {:?}", r.cra),
        ));
    }
    if r.counter != c.counter {
        return Err(Finding::new(
            FailureKind::Assertion,
            format!(
                "response counter {} is not the command's counter {} (must be echoed)",
                r.counter, c.counter
            ),
        ));
    }
    if r.message_code() != c.message_code() {
        return Err(Finding::new(
            FailureKind::Assertion,
            format!(
                "response message code {} is not the command's {}",
                opt(r.message_code()),
                opt(c.message_code())
            ),
        ));
    }
    if r.originator != c.recipient || r.recipient != c.originator {
        return Err(Finding::new(
            FailureKind::Assertion,
            format!(
                "response goes from {} to {}; expected from the device {} to the sender {}",
                r.originator, r.recipient, c.recipient, c.originator
            ),
        ));
    }
    let signed_command = command.general_signing.signature.signature().is_some();
    // A response the device signed is authenticated without a MAC (RTDS CS02bACBByACB
    // answers a MAC'd command with a bare, signed General Signing APDU).
    let signed_response = inspection.checks.signature == Verdict::Valid;
    match (&inspection.checks.signature, signed_command) {
        (Verdict::Invalid, _) => {
            return Err(Finding::new(
                FailureKind::Signature,
                "response signature does not verify with the device's certificate",
            ))
        }
        (Verdict::NotPresent, true) => {
            return Err(Finding::new(
                FailureKind::Signature,
                "response to a critical (signed) command is not signed",
            ))
        }
        (Verdict::Unverifiable { reason }, true) => {
            return Err(Finding::new(
                FailureKind::Signature,
                format!("response signature cannot be checked: {reason}"),
            ))
        }
        _ => {}
    }
    match &inspection.checks.mac {
        Verdict::Invalid => {
            return Err(Finding::new(
                FailureKind::Mac,
                "response MAC does not verify (AES-GCM tag over the General Signing APDU)",
            ))
        }
        Verdict::NotPresent if !signed_command && !signed_response => {
            return Err(Finding::new(
                FailureKind::Mac,
                "response is not MAC'd: a bare General Signing APDU where GBCS requires General Ciphering",
            ))
        }
        Verdict::Unverifiable { reason } if !signed_command && !signed_response => {
            return Err(Finding::new(
                FailureKind::Mac,
                format!("response MAC cannot be checked: {reason}"),
            ))
        }
        _ => {}
    }
    if let Err(e) = &inspection.message.payload {
        return Err(Finding::new(
            FailureKind::Decode,
            format!("response payload does not decode: {e}"),
        ));
    }
    if inspection.checks.decryption.authentication_failed > 0 {
        return Err(Finding::new(
            FailureKind::Mac,
            "an encrypted block of the response does not decrypt (tag check failed)",
        ));
    }
    Ok(inspection)
}

/// Checks an alert's protection: it must verify with the device's keys.
pub fn valid_alert(
    keys: &KeyStore,
    acb: crate::codec::EntityId,
    alert: &[u8],
) -> Result<Inspection, Finding> {
    let inspection = Inspector::new(keys, Some(acb))
        .inspect(alert)
        .map_err(|e| {
            Finding::new(
                FailureKind::Decode,
                format!("alert frame does not decode: {e}"),
            )
        })?;
    if inspection.checks.signature == Verdict::Invalid {
        return Err(Finding::new(
            FailureKind::Signature,
            "alert signature does not verify",
        ));
    }
    if inspection.checks.mac == Verdict::Invalid {
        return Err(Finding::new(FailureKind::Mac, "alert MAC does not verify"));
    }
    Ok(inspection)
}

/// The response-time target for a message code: the WAN traffic model's, unless overridden.
pub fn response_target(code: crate::codec::MessageCode, overridden: Option<Duration>) -> Duration {
    overridden.unwrap_or_else(|| {
        let seconds = catalogue::lookup(code).map_or(60, |e| {
            catalogue::traffic::response_target(e).max_response_s
        });
        Duration::from_secs(u64::from(seconds))
    })
}

/// Whether a decoded payload reports a failure: a DLMS result, a ZCL status or an ASN.1
/// response code other than success (read from the typed payload, see
/// [`Payload::reported_failures`]); the first one, as `field = name`.
pub fn reports_failure(payload: &Payload) -> Option<String> {
    payload.reported_failures().first().map(ToString::to_string)
}

fn opt(code: Option<crate::codec::MessageCode>) -> String {
    code.map_or_else(|| "(none)".into(), |c| c.to_string())
}

/// Decodes just the frame (for callers that only need the header).
pub fn header_of(bytes: &[u8]) -> Option<Frame> {
    decode_frame(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::payload::decode_payload;
    use crate::codec::{CraFlag, MessageCode};

    fn response(code: MessageCode, hex: &str) -> Payload {
        decode_payload(&hex::decode(hex).unwrap(), 0, code, CraFlag::Response).unwrap()
    }

    #[test]
    fn failures_are_found_in_any_payload_family() {
        let ok = response(MessageCode::ECS45, "DA2000000100000100010100");
        assert_eq!(reports_failure(&ok), None);
        let fault = response(MessageCode::ECS45, "DA2000000100000200000201000301");
        assert_eq!(
            reports_failure(&fault),
            Some("result = hardware_fault".into())
        );
        // GBZ: one component, a ZCL Default Response with NOT_AUTHORIZED.
        let zcl = response(MessageCode::GCS38, "010901010702000508000B007E");
        assert_eq!(
            reports_failure(&zcl),
            Some("status = NOT_AUTHORIZED".into())
        );
        // ASN.1: a CS07 read that failed; a CS03 join refused (a parser-only label).
        let cs07 = response(MessageCode::CS07, "3003020101");
        assert_eq!(
            reports_failure(&cs07),
            Some("response_code = read_failure".into())
        );
        let join = response(MessageCode::CS03A1, "020103");
        assert_eq!(
            reports_failure(&join),
            Some("response_code = incompatible_with_existing_entry".into())
        );
    }
}
