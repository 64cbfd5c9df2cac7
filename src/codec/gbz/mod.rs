//! ZigBee GBZ content (GSME, GPF, PPMID use cases). PLACEHOLDER: being written.
use serde::Serialize;

use super::bytes::Bytes;
use super::ciphered::{BlockStats, Decryptor};
use super::error::DecodeResult;
use super::ids::CraFlag;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GbzPayload {
    pub raw: Bytes,
}

/// Decodes GBZ content; alerts (CRA 3) have the alert header form.
pub fn decode(content: &[u8], _base: usize, _cra: CraFlag) -> DecodeResult<GbzPayload> {
    Ok(GbzPayload {
        raw: content.into(),
    })
}

impl GbzPayload {
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.raw.as_slice());
    }

    pub fn decrypt_blocks(&mut self, _decrypt: &mut Decryptor<'_>) -> BlockStats {
        BlockStats::default()
    }
}
