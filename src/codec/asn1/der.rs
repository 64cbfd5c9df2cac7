//! A generic, lossless DER TLV layer: tags, lengths, a tree of nodes, and the reader/writer
//! the typed payload schemas are built on.
//!
//! Lossless despite non-minimal lengths: some device responses and alerts in the RTDS corpus
//! encode lengths of 128–255 as `82 00 nn` instead of DER's `81 nn`. Rejecting them would
//! reject genuine traffic, and re-encoding them minimally would change the bytes (and break
//! the signature over them), so each non-minimal length is recorded as a [`LengthHint`]
//! keyed by the TLV's position in encoding order, and the writer replays it.

use serde::{Serialize, Serializer};

use crate::codec::bytes::Bytes;
use crate::codec::error::{DecodeError, DecodeErrorKind, DecodeResult};
use crate::codec::reader::Reader;

/// Deeper nesting than this is refused: GBCS payloads nest at most ~8 levels (certificates
/// included), and a limit keeps recursion on hostile input bounded.
pub const MAX_DEPTH: usize = 32;

/// Lengths are limited to four length octets; anything longer could not fit in a GBCS frame.
const MAX_LENGTH_OCTETS: u8 = 4;

pub const CLASS_UNIVERSAL: u8 = 0;
pub const CLASS_CONTEXT: u8 = 2;

/// A DER identifier: class, primitive/constructed, tag number (any size, minimal encoding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tag {
    pub class: u8,
    pub constructed: bool,
    pub number: u32,
}

impl Tag {
    pub const BOOLEAN: Tag = Tag::universal(1, false);
    pub const INTEGER: Tag = Tag::universal(2, false);
    pub const BIT_STRING: Tag = Tag::universal(3, false);
    pub const OCTET_STRING: Tag = Tag::universal(4, false);
    pub const NULL: Tag = Tag::universal(5, false);
    pub const ENUMERATED: Tag = Tag::universal(10, false);
    pub const GENERALIZED_TIME: Tag = Tag::universal(24, false);
    pub const SEQUENCE: Tag = Tag::universal(16, true);

    pub const fn universal(number: u32, constructed: bool) -> Tag {
        Tag {
            class: CLASS_UNIVERSAL,
            constructed,
            number,
        }
    }

    /// `[n] IMPLICIT`: context class, keeping the constructed bit of the underlying type.
    pub const fn context(number: u32, constructed: bool) -> Tag {
        Tag {
            class: CLASS_CONTEXT,
            constructed,
            number,
        }
    }

    /// Builds a low-number tag from its single identifier octet (e.g. `0x30`, `0xA2`).
    pub const fn from_byte(b: u8) -> Tag {
        Tag {
            class: b >> 6,
            constructed: b & 0x20 != 0,
            number: (b & 0x1F) as u32,
        }
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        let lead = (self.class << 6) | if self.constructed { 0x20 } else { 0 };
        if self.number < 0x1F {
            out.push(lead | self.number as u8);
            return;
        }
        out.push(lead | 0x1F);
        let mut groups = [0u8; 5];
        let mut n = self.number;
        let mut count = 0;
        loop {
            groups[count] = (n & 0x7F) as u8;
            count += 1;
            n >>= 7;
            if n == 0 {
                break;
            }
        }
        for i in (0..count).rev() {
            out.push(groups[i] | if i > 0 { 0x80 } else { 0 });
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(2);
        self.encode(&mut v);
        v
    }

    pub fn read(r: &mut Reader<'_>) -> DecodeResult<Tag> {
        let at = r.offset();
        let first = r.u8("DER tag")?;
        let mut tag = Tag::from_byte(first);
        if first & 0x1F != 0x1F {
            return Ok(tag);
        }
        // High tag numbers: base-128 with continuation bits, minimal (no leading 0x80)
        // and only for numbers that do not fit the short form, or DER would allow two
        // encodings of one tag.
        let mut number: u32 = 0;
        for i in 0.. {
            let b = r.u8("DER tag number")?;
            if i == 0 && b == 0x80 {
                return Err(DecodeError::invalid(
                    at,
                    "DER tag",
                    "tag number has a leading zero group",
                ));
            }
            if number > (u32::MAX >> 7) {
                return Err(DecodeError::invalid(at, "DER tag", "tag number too large"));
            }
            number = (number << 7) | u32::from(b & 0x7F);
            if b & 0x80 == 0 {
                break;
            }
        }
        if number < 0x1F {
            return Err(DecodeError::invalid(
                at,
                "DER tag",
                "high-tag-number form used for a small tag number",
            ));
        }
        tag.number = number;
        Ok(tag)
    }
}

impl Serialize for Tag {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode_upper(self.to_bytes()))
    }
}

/// A length that was not written in its minimal form, so the writer can reproduce it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LengthHint {
    /// Position of the TLV in encoding (pre-order) order, counting only TLVs the structure
    /// encodes field by field (opaque blobs such as certificates are copied whole).
    pub tlv: usize,
    /// Absolute offset of the TLV in the frame, for the reader of a report.
    pub offset: usize,
    /// Number of length octets after the `8n` form byte (e.g. 2 for `82 00 DE`).
    pub length_octets: u8,
}

/// One TLV header as read, with where it started and where its content starts.
#[derive(Debug, Clone, Copy)]
pub struct Header {
    pub tag: Tag,
    pub len: usize,
    pub offset: usize,
    /// Length octets after the form byte when the long form was used, 0 for short form.
    pub length_octets: u8,
    /// Whether the long form was longer than needed.
    pub non_minimal: bool,
}

/// Reads a tag and a definite length and checks the content is present.
pub fn read_header(r: &mut Reader<'_>) -> DecodeResult<Header> {
    let offset = r.offset();
    let tag = Tag::read(r)?;
    let len_at = r.offset();
    let first = r.u8("DER length")?;
    let (len, length_octets) = if first < 0x80 {
        (first as usize, 0)
    } else if first == 0x80 {
        return Err(DecodeError::invalid(
            len_at,
            "DER length",
            "indefinite length is not allowed in DER",
        ));
    } else {
        let n = first & 0x7F;
        if n > MAX_LENGTH_OCTETS {
            return Err(DecodeError::new(
                len_at,
                DecodeErrorKind::UnsupportedLengthForm {
                    what: "DER length",
                    first,
                },
            ));
        }
        let b = r.bytes(n as usize, "DER length octets")?;
        let v = b.iter().fold(0usize, |acc, &x| (acc << 8) | x as usize);
        (v, n)
    };
    let non_minimal = length_octets > 0 && length_octets != minimal_length_octets(len);
    if len > r.remaining() {
        return Err(r.error(DecodeErrorKind::Truncated {
            expected: "DER content",
            needed: len,
            available: r.remaining(),
        }));
    }
    Ok(Header {
        tag,
        len,
        offset,
        length_octets,
        non_minimal,
    })
}

/// Length octets after the form byte in the minimal encoding (0 = short form).
pub fn minimal_length_octets(len: usize) -> u8 {
    if len < 0x80 {
        0
    } else {
        let bits = usize::BITS - len.leading_zeros();
        bits.div_ceil(8) as u8
    }
}

/// Writes a length with `octets` length octets (0 = short form), or minimally when that
/// form cannot hold it (a hint that no longer fits after an edit must not corrupt output).
pub fn write_length(out: &mut Vec<u8>, len: usize, octets: u8) {
    let minimal = minimal_length_octets(len);
    let octets = if octets < minimal || octets > 8 {
        minimal
    } else {
        octets
    };
    if octets == 0 {
        out.push(len as u8);
        return;
    }
    out.push(0x80 | octets);
    let be = (len as u64).to_be_bytes();
    out.extend_from_slice(&be[8 - octets as usize..]);
}

// ---------------------------------------------------------------------------------------
// Generic tree
// ---------------------------------------------------------------------------------------

/// A DER element of the generic (schema-less) view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DerNode {
    pub tag: Tag,
    #[serde(flatten)]
    pub value: DerValue,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DerValue {
    /// Content octets of a primitive element, as hex.
    Primitive(Bytes),
    Constructed(Vec<DerNode>),
}

/// Parses a sequence of one or more TLVs covering all of `r`.
pub fn parse_tree(r: &mut Reader<'_>, hints: &mut Vec<LengthHint>) -> DecodeResult<Vec<DerNode>> {
    if r.is_empty() {
        return Err(r.invalid("ASN.1 content", "empty"));
    }
    let mut counter = 0;
    parse_nodes(r, 0, &mut counter, hints)
}

fn parse_nodes(
    r: &mut Reader<'_>,
    depth: usize,
    counter: &mut usize,
    hints: &mut Vec<LengthHint>,
) -> DecodeResult<Vec<DerNode>> {
    if depth > MAX_DEPTH {
        return Err(r.error(DecodeErrorKind::TooDeep {
            what: "DER element",
            limit: MAX_DEPTH,
        }));
    }
    let mut nodes = Vec::new();
    // Each iteration consumes at least the two header bytes, so the loop terminates.
    while !r.is_empty() {
        let h = read_header(r)?;
        let index = *counter;
        *counter += 1;
        if h.non_minimal {
            hints.push(LengthHint {
                tlv: index,
                offset: h.offset,
                length_octets: h.length_octets,
            });
        }
        let mut sub = r.sub(h.len, "DER content")?;
        let value = if h.tag.constructed {
            DerValue::Constructed(parse_nodes(&mut sub, depth + 1, counter, hints)?)
        } else {
            DerValue::Primitive(sub.rest().into())
        };
        nodes.push(DerNode { tag: h.tag, value });
    }
    Ok(nodes)
}

/// Checks that `bytes` is exactly one well-formed DER element (used for opaque blobs).
pub fn validate_single(bytes: &[u8], base: usize) -> DecodeResult<()> {
    let mut r = Reader::with_base(bytes, base);
    let mut ignored = Vec::new();
    let mut counter = 0;
    let h = read_header(&mut r)?;
    let mut sub = r.sub(h.len, "DER content")?;
    if h.tag.constructed {
        parse_nodes(&mut sub, 1, &mut counter, &mut ignored)?;
    }
    r.expect_end("DER element")
}

// ---------------------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------------------

/// Writes TLVs in order, replaying recorded non-minimal length forms.
pub struct DerWriter<'h> {
    out: Vec<u8>,
    hints: &'h [LengthHint],
    counter: usize,
}

impl<'h> DerWriter<'h> {
    pub fn new(hints: &'h [LengthHint]) -> Self {
        DerWriter {
            out: Vec::new(),
            hints,
            counter: 0,
        }
    }

    pub fn finish(self) -> Vec<u8> {
        self.out
    }

    fn next_form(&mut self) -> u8 {
        let index = self.counter;
        self.counter += 1;
        self.hints
            .iter()
            .find(|h| h.tlv == index)
            .map_or(0, |h| h.length_octets)
    }

    pub fn primitive(&mut self, tag: Tag, content: &[u8]) {
        let form = self.next_form();
        tag.encode(&mut self.out);
        write_length(&mut self.out, content.len(), form);
        self.out.extend_from_slice(content);
    }

    /// Writes a constructed element whose content `f` writes.
    pub fn constructed(&mut self, tag: Tag, f: impl FnOnce(&mut Self)) {
        let form = self.next_form();
        // Children are written into a fresh buffer because the header needs their length.
        let outer = std::mem::take(&mut self.out);
        f(self);
        let content = std::mem::replace(&mut self.out, outer);
        tag.encode(&mut self.out);
        write_length(&mut self.out, content.len(), form);
        self.out.extend_from_slice(&content);
    }

    /// Copies an already-encoded element (certificate, CSR) without counting its insides.
    pub fn raw(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }

    pub fn nodes(&mut self, nodes: &[DerNode]) {
        for n in nodes {
            match &n.value {
                DerValue::Primitive(b) => self.primitive(n.tag, b.as_slice()),
                DerValue::Constructed(children) => {
                    self.constructed(n.tag, |w| w.nodes(children));
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Schema-driven reading
// ---------------------------------------------------------------------------------------

/// State shared by a schema decoder: the TLV counter and the hints it records.
#[derive(Debug, Default)]
pub struct SchemaCtx {
    counter: usize,
    pub hints: Vec<LengthHint>,
}

impl SchemaCtx {
    /// Reads the next header, which must carry `tag`, and returns a reader over its content.
    pub fn expect<'a>(
        &mut self,
        r: &mut Reader<'a>,
        tag: Tag,
        what: &'static str,
    ) -> DecodeResult<Reader<'a>> {
        let at = r.offset();
        let h = read_header(r)?;
        if h.tag != tag {
            return Err(DecodeError::new(
                at,
                DecodeErrorKind::UnexpectedByte {
                    expected: what,
                    found: h.tag.to_bytes()[0],
                },
            ));
        }
        let index = self.counter;
        self.counter += 1;
        if h.non_minimal {
            self.hints.push(LengthHint {
                tlv: index,
                offset: h.offset,
                length_octets: h.length_octets,
            });
        }
        r.sub(h.len, what)
    }

    /// The next element whole (header included), not broken down: certificates and the
    /// PKCS#10 request are opaque to the payload layer.
    pub fn opaque<'a>(
        &mut self,
        r: &mut Reader<'a>,
        tag: Tag,
        what: &'static str,
    ) -> DecodeResult<&'a [u8]> {
        let at = r.offset();
        let mut look = r.clone();
        let h = read_header(&mut look)?;
        if h.tag != tag {
            return Err(DecodeError::new(
                at,
                DecodeErrorKind::UnexpectedByte {
                    expected: what,
                    found: h.tag.to_bytes()[0],
                },
            ));
        }
        let total = look.offset() - at + h.len;
        let bytes = r.bytes(total, what)?;
        validate_single(bytes, at)?;
        Ok(bytes)
    }
}

/// The tag of the next element without consuming it (for OPTIONAL fields and CHOICEs).
pub fn peek_tag(r: &Reader<'_>) -> Option<Tag> {
    let mut look = r.clone();
    Tag::read(&mut look).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(bytes: &[u8]) -> (Vec<DerNode>, Vec<LengthHint>) {
        let mut hints = Vec::new();
        let nodes = parse_tree(&mut Reader::new(bytes), &mut hints).unwrap();
        let mut w = DerWriter::new(&hints);
        w.nodes(&nodes);
        assert_eq!(w.finish(), bytes);
        (nodes, hints)
    }

    #[test]
    fn tree_round_trips_including_non_minimal_lengths() {
        round_trip(&hex::decode("30113007020104030203083006020104020103").unwrap());
        let mut long = vec![0x30, 0x82, 0x00, 0x83, 0x04, 0x81, 0x80];
        long.extend_from_slice(&[0xAB; 0x80]);
        let (_, hints) = round_trip(&long);
        assert_eq!(
            hints,
            vec![LengthHint {
                tlv: 0,
                offset: 0,
                length_octets: 2
            }]
        );
    }

    #[test]
    fn high_tag_numbers_round_trip() {
        let bytes = [0x9F, 0x81, 0x00, 0x01, 0x07];
        let (nodes, _) = round_trip(&bytes);
        assert_eq!(nodes[0].tag.number, 128);
        assert_eq!(nodes[0].tag.class, CLASS_CONTEXT);
        // Number 5 must use the low form.
        let e = parse_tree(&mut Reader::new(&[0x9F, 0x05, 0x00]), &mut Vec::new()).unwrap_err();
        assert!(matches!(e.kind, DecodeErrorKind::Invalid { .. }), "{e}");
    }

    #[test]
    fn rejects_non_der() {
        for (bytes, offset) in [
            (&[0x30, 0x80, 0x00, 0x00][..], 1),    // indefinite length
            (&[0x30, 0x03, 0x02, 0x01][..], 2),    // content truncated
            (&[0x30, 0x85, 1, 0, 0, 0, 0][..], 1), // over-long length
            (&[0x30, 0x02, 0x02, 0x05][..], 4),    // child runs past its parent
        ] {
            let e = parse_tree(&mut Reader::with_base(bytes, 0), &mut Vec::new()).unwrap_err();
            assert_eq!(e.offset, offset, "{bytes:02X?}: {e}");
        }
    }

    #[test]
    fn depth_limit() {
        let mut nested = vec![0x30, 0x00];
        for _ in 0..40 {
            let mut outer = vec![0x30, nested.len() as u8];
            outer.extend_from_slice(&nested);
            nested = outer;
        }
        let e = parse_tree(&mut Reader::new(&nested), &mut Vec::new()).unwrap_err();
        assert!(matches!(e.kind, DecodeErrorKind::TooDeep { .. }), "{e}");
    }

    #[test]
    fn length_writer_forms() {
        let mut out = Vec::new();
        write_length(&mut out, 0x7F, 0);
        write_length(&mut out, 0x80, 0);
        write_length(&mut out, 0x100, 0);
        write_length(&mut out, 0xDE, 2);
        write_length(&mut out, 0x1_0000, 1); // hint too small: minimal instead
        assert_eq!(
            out,
            [0x7F, 0x81, 0x80, 0x82, 0x01, 0x00, 0x82, 0x00, 0xDE, 0x83, 0x01, 0x00, 0x00]
        );
    }
}
