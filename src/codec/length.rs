//! The GBCS/A-XDR length encoding used by every outer layer and by DLMS octet strings:
//! `00`–`7F` is the length itself, `81 nn` is 128–255, `82 nn nn` is 256–65535.
//!
//! Only the minimal form is accepted: every length in the RTDS corpus is minimal, and a
//! decoder that accepted several encodings of one value could not be lossless.

use super::error::{DecodeErrorKind, DecodeResult};
use super::reader::Reader;

pub fn read_length(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<usize> {
    let at = r.offset();
    let first = r.u8(what)?;
    let (value, minimal) = match first {
        0x00..=0x7F => return Ok(first as usize),
        0x81 => {
            let v = r.u8(what)? as usize;
            (v, v >= 0x80)
        }
        0x82 => {
            let v = r.u16_be(what)? as usize;
            (v, v >= 0x100)
        }
        _ => {
            return Err(super::error::DecodeError::new(
                at,
                DecodeErrorKind::UnsupportedLengthForm { what, first },
            ))
        }
    };
    if !minimal {
        return Err(super::error::DecodeError::new(
            at,
            DecodeErrorKind::NonMinimalLength { what },
        ));
    }
    Ok(value)
}

/// Reads a length and then that many bytes.
pub fn read_length_prefixed<'a>(r: &mut Reader<'a>, what: &'static str) -> DecodeResult<&'a [u8]> {
    let n = read_length(r, what)?;
    r.bytes(n, what)
}

/// Appends the minimal encoding of `len`.
///
/// GBCS itself never goes beyond `82 nn nn`; a larger value (which only a model or a caller
/// can produce, never the decoder) is written in the BER long form (`83`/`84`), so encoding
/// never fails and the decoder reports such a frame as an unsupported length form.
pub fn write_length(out: &mut Vec<u8>, len: usize) {
    match len {
        0..=0x7F => out.push(len as u8),
        0x80..=0xFF => out.extend_from_slice(&[0x81, len as u8]),
        0x100..=0xFFFF => {
            out.push(0x82);
            out.extend_from_slice(&(len as u16).to_be_bytes());
        }
        0x1_0000..=0xFF_FFFF => {
            out.push(0x83);
            out.extend_from_slice(&(len as u32).to_be_bytes()[1..]);
        }
        _ => {
            out.push(0x84);
            out.extend_from_slice(&(len.min(u32::MAX as usize) as u32).to_be_bytes());
        }
    }
}

pub fn write_length_prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    write_length(out, bytes.len());
    out.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_forms_round_trip() {
        for len in [0usize, 1, 0x7F, 0x80, 0xFF, 0x100, 0x1A8, 0xFFFF] {
            let mut out = Vec::new();
            write_length(&mut out, len);
            let mut r = Reader::new(&out);
            assert_eq!(read_length(&mut r, "len").unwrap(), len);
            assert!(r.is_empty());
        }
    }

    #[test]
    fn oversized_lengths_encode_in_long_form_and_decode_as_unsupported() {
        let mut out = Vec::new();
        write_length(&mut out, 70_000);
        assert_eq!(out, [0x83, 0x01, 0x11, 0x70]);
        let e = read_length(&mut Reader::new(&out), "len").unwrap_err();
        assert!(matches!(e.kind, DecodeErrorKind::UnsupportedLengthForm { first: 0x83, .. }));
    }

    #[test]
    fn non_minimal_and_long_forms_are_rejected() {
        let e = read_length(&mut Reader::new(&[0x81, 0x05]), "len").unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::NonMinimalLength { what: "len" });
        let e = read_length(&mut Reader::new(&[0x82, 0x00, 0xFF]), "len").unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::NonMinimalLength { what: "len" });
        let e = read_length(&mut Reader::new(&[0x83, 1, 0, 0]), "len").unwrap_err();
        assert!(matches!(
            e.kind,
            DecodeErrorKind::UnsupportedLengthForm { first: 0x83, .. }
        ));
    }
}
