//! ASN.1 DER content (security credentials, join, firmware, logs). PLACEHOLDER: being written.
use serde::Serialize;

use super::bytes::Bytes;
use super::error::DecodeResult;
use super::ids::{CraFlag, MessageCode};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Asn1Payload {
    pub raw: Bytes,
}

/// Decodes DER content; the structure depends on the message code and the CRA flag.
pub fn decode(
    content: &[u8],
    _base: usize,
    _code: MessageCode,
    _cra: CraFlag,
) -> DecodeResult<Asn1Payload> {
    Ok(Asn1Payload {
        raw: content.into(),
    })
}

impl Asn1Payload {
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.raw.as_slice());
    }
}
