//! Dispatch of General Signing content to its payload codec.
//!
//! The first content bytes identify the family (GBZ starts with profile id `01 09`, DLMS with
//! an xDLMS tag, DER with a universal tag), which is more reliable than the message code:
//! 0x1001 occurs with both DLMS and GBZ bodies. ASN.1 structures then need the code and CRA.

use serde::Serialize;

use super::asn1::{self, Asn1Payload};
use super::catalogue::PayloadFamily;
use super::ciphered::{BlockStats, Decryptor};
use super::dlms::{self, DlmsApdu};
use super::error::{DecodeError, DecodeErrorKind, DecodeResult};
use super::gbz::{self, GbzPayload};
use super::ids::{CraFlag, MessageCode};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "family", content = "body", rename_all = "snake_case")]
pub enum Payload {
    Dlms(DlmsApdu),
    Gbz(GbzPayload),
    Asn1(Asn1Payload),
}

/// The family a content's leading bytes announce, if any.
pub fn detect_family(content: &[u8]) -> Option<PayloadFamily> {
    match content {
        [0x01, 0x09, ..] => Some(PayloadFamily::Gbz),
        [0xD9 | 0xDA | 0x0F, ..] => Some(PayloadFamily::Dlms),
        [0x30 | 0x02 | 0x04 | 0x05, ..] => Some(PayloadFamily::Asn1),
        _ => None,
    }
}

/// Decodes content; `base` is the absolute offset of `content[0]` within the frame.
pub fn decode_payload(
    content: &[u8],
    base: usize,
    code: MessageCode,
    cra: CraFlag,
) -> DecodeResult<Payload> {
    match detect_family(content) {
        Some(PayloadFamily::Gbz) => gbz::decode(content, base, cra).map(Payload::Gbz),
        Some(PayloadFamily::Dlms) => dlms::decode(content, base).map(Payload::Dlms),
        Some(PayloadFamily::Asn1) => asn1::decode(content, base, code, cra).map(Payload::Asn1),
        _ => Err(match content.first() {
            None => DecodeError::new(
                base,
                DecodeErrorKind::Truncated {
                    expected: "payload (DLMS, GBZ or DER)",
                    needed: 1,
                    available: 0,
                },
            ),
            Some(&found) => DecodeError::new(
                base,
                DecodeErrorKind::UnexpectedByte {
                    expected: "payload tag (GBZ 01 09, DLMS D9/DA/0F or DER 30/02/04/05)",
                    found,
                },
            ),
        }),
    }
}

impl Payload {
    pub fn family(&self) -> PayloadFamily {
        match self {
            Payload::Dlms(_) => PayloadFamily::Dlms,
            Payload::Gbz(_) => PayloadFamily::Gbz,
            Payload::Asn1(_) => PayloadFamily::Asn1,
        }
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Payload::Dlms(p) => p.encode(out),
            Payload::Gbz(p) => p.encode(out),
            Payload::Asn1(p) => p.encode(out),
        }
    }

    /// Walks the payload's ciphered blocks (DER payloads have none).
    pub fn decrypt_blocks(&mut self, decrypt: &mut Decryptor<'_>) -> BlockStats {
        match self {
            Payload::Dlms(p) => p.decrypt_blocks(decrypt),
            Payload::Gbz(p) => p.decrypt_blocks(decrypt),
            Payload::Asn1(_) => BlockStats::default(),
        }
    }
}
