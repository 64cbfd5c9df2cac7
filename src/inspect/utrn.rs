//! The prepayment top-up token check: a UTRN carried by CS01a (a DLMS action on the token
//! gateway, class 115 method 1) is MAC'd by the supplier's *prepayment* key-agreement key
//! with the device's key-agreement key (GBCS primer, asn1-and-utrn §4).

use serde::Serialize;

use crate::codec::dlms::{DlmsApdu, ObisCode, SpecKind};
use crate::codec::frame::Frame;
use crate::codec::ids::CraFlag;
use crate::codec::payload::Payload;
use crate::codec::utrn::Utrn;
use crate::crypto::kdf::{derive_key, KdfMode};
use crate::crypto::utrn::utrn_mac;
use crate::crypto::{KeyStore, KeyUsage};

use super::Verdict;

/// Token gateway (IC 115) 0-0:19.40.0.255, method 1 = enter a token.
const TOKEN_GATEWAY_CLASS: u16 = 115;
const TOKEN_GATEWAY_OBIS: ObisCode = ObisCode([0, 0, 19, 40, 0, 255]);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UtrnCheck {
    pub token: String,
    /// The decoded token fields, when the digits are a UTRN.
    #[serde(flatten)]
    pub fields: Option<UtrnFields>,
    /// Why the digits are not a UTRN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(flatten)]
    pub verdict: Verdict,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UtrnFields {
    pub counter: u64,
    pub value_class: String,
    pub value: u16,
}

/// The UTRN digits of a CS01a-style token-gateway action in a command, if there is one.
fn dlms_token(apdu: &DlmsApdu) -> Option<&[u8]> {
    let specs = apdu.request_specs()?;
    let data = apdu.data()?;
    specs.iter().zip(data).find_map(|(spec, value)| {
        let (kind, class, obis, method) = spec.target();
        (kind == SpecKind::Action
            && class == TOKEN_GATEWAY_CLASS
            && obis == TOKEN_GATEWAY_OBIS
            && method == 1)
            .then(|| value.as_octets())
            .flatten()
    })
}

pub(super) fn check(keys: &KeyStore, frame: &Frame, payload: &Payload) -> Option<UtrnCheck> {
    let h = frame.header();
    let Payload::Dlms(apdu) = payload else {
        return None;
    };
    if h.cra != CraFlag::Command {
        return None;
    }
    let digits = dlms_token(apdu)?;
    let token = String::from_utf8_lossy(digits).into_owned();
    let utrn = match Utrn::parse(digits) {
        Ok(u) => u,
        Err(e) => {
            return Some(UtrnCheck {
                token,
                fields: None,
                error: Some(e.to_string()),
                verdict: Verdict::Invalid,
            })
        }
    };
    // The token carries counter bits 41..32; the other bits come from the command's
    // originator counter, which the corpus sets equal to the UTRN counter.
    let counter = (h.counter & !(0x3FFu64 << 32)) | utrn.counter();
    let verdict = match keys.shared_secret(
        h.originator,
        KeyUsage::PrepaymentKeyAgreement,
        h.recipient,
        KeyUsage::KeyAgreement,
    ) {
        Err(e) => Verdict::Unverifiable {
            reason: e.to_string(),
        },
        Ok(z) => {
            let key = derive_key(
                &z,
                &h.originator,
                KdfMode::Command as u8,
                counter,
                &h.recipient,
            );
            let mac = utrn_mac(
                &key,
                &h.originator,
                &h.recipient,
                counter,
                utrn.mac_input_high_word(),
            );
            if mac == utrn.mac() {
                Verdict::Valid
            } else {
                Verdict::Invalid
            }
        }
    };
    Some(UtrnCheck {
        token,
        fields: Some(UtrnFields {
            counter,
            value_class: format!("{:?}", utrn.value_class()),
            value: utrn.value(),
        }),
        error: None,
        verdict,
    })
}
