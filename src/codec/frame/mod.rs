//! The outer GBCS frame: an optional General Ciphering wrapper (`DD`, MAC only) around a
//! General Signing APDU (`DF`: grouping header, content, signature field).

mod grouping_header;

use std::ops::Range;

use serde::Serialize;

pub use grouping_header::{DateTime12, GroupingHeader, OtherInformation};

use super::bytes::Bytes;
use super::error::{DecodeError, DecodeErrorKind, DecodeResult};
use super::length::{read_length, write_length};
use super::reader::Reader;

pub const GENERAL_CIPHERING_TAG: u8 = 0xDD;
pub const GENERAL_SIGNING_TAG: u8 = 0xDF;
pub const MAC_LEN: usize = 12;
pub const SIGNATURE_LEN: usize = 64;

/// A decoded GBCS frame. `spans` locate the protected byte ranges in the decoded input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Frame {
    /// `None` when the frame is a bare General Signing APDU.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub general_ciphering: Option<GeneralCiphering>,
    pub general_signing: GeneralSigning,
    #[serde(skip)]
    pub spans: FrameSpans,
}

/// The MAC-only General Ciphering wrapper. The five octet strings and key-info before the
/// ciphered content are always empty in GBCS (a non-empty transaction id would mean General
/// Block Transfer, which GBCS does not use here), so only the security header and MAC vary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GeneralCiphering {
    /// `0x11` = authentication only.
    pub security_control: u8,
    pub invocation_counter: u32,
    pub mac: Bytes,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GeneralSigning {
    pub header: GroupingHeader,
    pub content: Bytes,
    /// Absolute offset of the first content byte in the frame (for payload error offsets).
    #[serde(skip)]
    pub content_offset: usize,
    pub signature: SignatureField,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "form", content = "value", rename_all = "snake_case")]
pub enum SignatureField {
    /// No signature length byte at all: a PRECOMMAND awaiting the remote party's signature.
    Absent,
    /// Length `00`: an unsigned message.
    Null,
    /// Length `40` and a raw ECDSA P-256 `r ‖ s`.
    Present(Bytes),
}

impl SignatureField {
    pub fn signature(&self) -> Option<&[u8]> {
        match self {
            SignatureField::Present(b) => Some(b.as_slice()),
            _ => None,
        }
    }
}

/// Byte ranges of a decoded frame that cryptographic checks cover.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrameSpans {
    /// The General Signing APDU from its `DF` tag through the signature field (MAC AAD).
    pub general_signing: Range<usize>,
    /// From the byte after `DF` through the last content byte (what the signature covers).
    pub signed: Range<usize>,
}

/// The General Ciphering header as GBCS sends it: tag and six empty fields.
const GENERAL_CIPHERING_PREFIX: [u8; 7] = [GENERAL_CIPHERING_TAG, 0, 0, 0, 0, 0, 0];
const GENERAL_CIPHERING_FIELDS: [&str; 6] = [
    "empty transaction-id (General Block Transfer is not supported)",
    "empty originator-system-title",
    "empty recipient-system-title",
    "empty date-time",
    "empty other-information",
    "absent key-info",
];

/// Decodes a complete frame; trailing bytes are an error.
pub fn decode_frame(bytes: &[u8]) -> DecodeResult<Frame> {
    let mut r = Reader::new(bytes);
    match r.peek() {
        Some(GENERAL_CIPHERING_TAG) => decode_general_ciphering(&mut r),
        Some(GENERAL_SIGNING_TAG) => {
            let (general_signing, spans) = decode_general_signing(&mut r)?;
            r.expect_end("General Signing APDU")?;
            Ok(Frame {
                general_ciphering: None,
                general_signing,
                spans,
            })
        }
        Some(found) => Err(DecodeError::new(
            0,
            DecodeErrorKind::UnexpectedByte {
                expected: "General Ciphering (0xDD) or General Signing (0xDF) tag",
                found,
            },
        )),
        None => Err(r.error(DecodeErrorKind::Truncated {
            expected: "GBCS frame",
            needed: 1,
            available: 0,
        })),
    }
}

fn decode_general_ciphering(r: &mut Reader<'_>) -> DecodeResult<Frame> {
    r.expect_u8(GENERAL_CIPHERING_TAG, "General Ciphering tag 0xDD")?;
    for what in GENERAL_CIPHERING_FIELDS {
        r.expect_u8(0, what)?;
    }
    let len = read_length(r, "ciphered-content length")?;
    let mut cc = r.sub(len, "ciphered content")?;
    r.expect_end("ciphered content")?;
    let security_control = cc.u8("security control byte")?;
    let invocation_counter = cc.u32_be("invocation counter")?;
    if cc.remaining() < MAC_LEN {
        return Err(cc.error(DecodeErrorKind::Truncated {
            expected: "General Signing APDU and 12-byte MAC",
            needed: MAC_LEN,
            available: cc.remaining(),
        }));
    }
    let mut gs = cc.sub(cc.remaining() - MAC_LEN, "General Signing APDU")?;
    let (general_signing, spans) = decode_general_signing(&mut gs)?;
    gs.expect_end("General Signing APDU")?;
    let mac = cc.bytes(MAC_LEN, "MAC")?.into();
    Ok(Frame {
        general_ciphering: Some(GeneralCiphering {
            security_control,
            invocation_counter,
            mac,
        }),
        general_signing,
        spans,
    })
}

fn decode_general_signing(r: &mut Reader<'_>) -> DecodeResult<(GeneralSigning, FrameSpans)> {
    let start = r.offset();
    r.expect_u8(GENERAL_SIGNING_TAG, "General Signing tag 0xDF")?;
    let header = GroupingHeader::decode(r)?;
    let content_len = read_length(r, "content length")?;
    let content_offset = r.offset();
    let content = r.bytes(content_len, "content")?.into();
    let signed_end = r.offset();
    let signature = match r.peek() {
        None => SignatureField::Absent,
        Some(0) => {
            r.u8("signature length")?;
            SignatureField::Null
        }
        Some(0x40) => {
            r.u8("signature length")?;
            SignatureField::Present(r.bytes(SIGNATURE_LEN, "signature r ‖ s")?.into())
        }
        Some(found) => {
            return Err(r.error(DecodeErrorKind::UnexpectedByte {
                expected: "signature length (0x00 or 0x40) or end of APDU",
                found,
            }))
        }
    };
    let spans = FrameSpans {
        general_signing: start..r.offset(),
        signed: start + 1..signed_end,
    };
    Ok((
        GeneralSigning {
            header,
            content,
            content_offset,
            signature,
        },
        spans,
    ))
}

impl GeneralSigning {
    /// The bytes a signature covers: everything after the `DF` tag through the content.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.content.len());
        self.header.encode(&mut out);
        write_length(&mut out, self.content.len());
        out.extend_from_slice(self.content.as_slice());
        out
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        out.push(GENERAL_SIGNING_TAG);
        out.extend_from_slice(&self.signed_bytes());
        match &self.signature {
            SignatureField::Absent => {}
            SignatureField::Null => out.push(0),
            SignatureField::Present(sig) => {
                out.push(sig.len() as u8);
                out.extend_from_slice(sig.as_slice());
            }
        }
    }
}

impl Frame {
    pub fn header(&self) -> &GroupingHeader {
        &self.general_signing.header
    }

    /// Encodes the frame. For a General Ciphering frame the stored MAC is written as it is;
    /// `crypto` computes a new one over [`Frame::mac_aad`] when building commands.
    pub fn encode(&self) -> Vec<u8> {
        let mut gs = Vec::with_capacity(self.general_signing.content.len() + 128);
        self.general_signing.encode(&mut gs);
        match &self.general_ciphering {
            None => gs,
            Some(gc) => {
                let mut out = Vec::with_capacity(gs.len() + 24);
                out.extend_from_slice(&GENERAL_CIPHERING_PREFIX);
                write_length(&mut out, 5 + gs.len() + gc.mac.len());
                out.push(gc.security_control);
                out.extend_from_slice(&gc.invocation_counter.to_be_bytes());
                out.extend_from_slice(&gs);
                out.extend_from_slice(gc.mac.as_slice());
                out
            }
        }
    }
}

/// The additional authenticated data of a General Ciphering MAC: the security header, one
/// constant zero byte, and the General Signing APDU. (The primer's check on the corpus shows
/// the sixth byte is required; its GBCS name is not known, so it is emitted as a constant.)
pub fn mac_aad(security_control: u8, invocation_counter: u32, general_signing: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(6 + general_signing.len());
    aad.push(security_control);
    aad.extend_from_slice(&invocation_counter.to_be_bytes());
    aad.push(0);
    aad.extend_from_slice(general_signing);
    aad
}

#[cfg(test)]
mod tests;
