//! DLMS/COSEM content (ESME and comms-hub use cases). PLACEHOLDER: being written.
use serde::Serialize;

use super::bytes::Bytes;
use super::ciphered::{BlockStats, Decryptor};
use super::error::DecodeResult;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DlmsApdu {
    pub raw: Bytes,
}

/// Decodes DLMS content; `base` is the absolute offset of `content[0]` in the frame.
pub fn decode(content: &[u8], _base: usize) -> DecodeResult<DlmsApdu> {
    Ok(DlmsApdu {
        raw: content.into(),
    })
}

impl DlmsApdu {
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.raw.as_slice());
    }

    /// Calls `decrypt` for every ciphered block and decodes the plaintexts in place.
    pub fn decrypt_blocks(&mut self, _decrypt: &mut Decryptor<'_>) -> BlockStats {
        BlockStats::default()
    }
}
