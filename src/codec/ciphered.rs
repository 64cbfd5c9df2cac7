//! The encrypted-and-authenticated block that carries device data inside DLMS results
//! and GBZ components: `security control (31) ‖ invocation counter (4) ‖ ciphertext ‖ tag (12)`.
//!
//! The codec only frames it; decryption is done by `crypto` and handed back to the payload
//! decoders through a callback, so the codec itself stays pure.

use serde::Serialize;

use super::bytes::Bytes;
use super::error::DecodeResult;
use super::reader::Reader;

pub const GCM_TAG_LEN: usize = 12;
pub const SECURITY_HEADER_LEN: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CipheredBlock {
    /// Security control byte; `0x31` = authenticated and encrypted.
    pub security_control: u8,
    pub invocation_counter: u32,
    pub ciphertext: Bytes,
    pub tag: Bytes,
}

impl CipheredBlock {
    /// Decodes a block that occupies exactly the reader's remaining bytes.
    pub fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let security_control = r.u8("security control byte")?;
        let invocation_counter = r.u32_be("invocation counter")?;
        let remaining = r.remaining();
        if remaining < GCM_TAG_LEN {
            return Err(r.invalid("ciphered block", "shorter than the 12-byte GCM tag"));
        }
        let ciphertext = r.bytes(remaining - GCM_TAG_LEN, "ciphertext")?.into();
        let tag = r.bytes(GCM_TAG_LEN, "GCM tag")?.into();
        Ok(CipheredBlock {
            security_control,
            invocation_counter,
            ciphertext,
            tag,
        })
    }

    /// Whether `bytes` looks like a ciphered block (security control 0x31 and room for a tag).
    pub fn looks_like(bytes: &[u8]) -> bool {
        bytes.len() >= SECURITY_HEADER_LEN + GCM_TAG_LEN && bytes[0] == 0x31
    }

    pub fn encoded_len(&self) -> usize {
        SECURITY_HEADER_LEN + self.ciphertext.len() + self.tag.len()
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.security_control);
        out.extend_from_slice(&self.invocation_counter.to_be_bytes());
        out.extend_from_slice(self.ciphertext.as_slice());
        out.extend_from_slice(self.tag.as_slice());
    }
}

/// What the caller's decryptor could do with one block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decryption {
    Plaintext(Vec<u8>),
    /// No key material for this block's key pair.
    NoKey,
    /// A key was derived but the GCM tag did not verify.
    AuthenticationFailed,
}

/// The decryptor a payload decoder calls for each ciphered block it holds.
pub type Decryptor<'a> = dyn FnMut(&CipheredBlock) -> Decryption + 'a;

/// Counts reported by a payload after walking its ciphered blocks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BlockStats {
    pub blocks: usize,
    pub decrypted: usize,
    pub no_key: usize,
    pub authentication_failed: usize,
    /// Decrypted, but the plaintext did not decode as the expected structure.
    pub plaintext_undecodable: usize,
}

impl BlockStats {
    pub fn add(&mut self, other: BlockStats) {
        self.blocks += other.blocks;
        self.decrypted += other.decrypted;
        self.no_key += other.no_key;
        self.authentication_failed += other.authentication_failed;
        self.plaintext_undecodable += other.plaintext_undecodable;
    }

    /// Book-keeping for one block: returns the plaintext when there is one.
    pub fn record(&mut self, outcome: Decryption) -> Option<Vec<u8>> {
        self.blocks += 1;
        match outcome {
            Decryption::Plaintext(p) => {
                self.decrypted += 1;
                Some(p)
            }
            Decryption::NoKey => {
                self.no_key += 1;
                None
            }
            Decryption::AuthenticationFailed => {
                self.authentication_failed += 1;
                None
            }
        }
    }
}
