//! A-XDR `Data`: the typed values carried by every DLMS request, response and alert.
//!
//! Values keep their wire form where it is not canonical (boolean bytes, unused bit-string
//! bits, float bit patterns), so re-encoding a decoded value gives the same bytes.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::names::{tag, type_name, unit_name};
use super::obis::ObisCode;
use crate::codec::bytes::Bytes;
use crate::codec::ciphered::CipheredBlock;
use crate::codec::error::{DecodeError, DecodeErrorKind, DecodeResult};
use crate::codec::length::{read_length, write_length};
use crate::codec::reader::Reader;

/// Deepest array/structure/type-description nesting accepted (the corpus needs 7).
pub const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    Null,
    Array(Vec<Data>),
    Structure(Vec<Data>),
    /// The raw byte: the corpus only uses `00`/`FF`, but any non-zero byte means true.
    Boolean(u8),
    BitString(BitString),
    DoubleLong(i32),
    DoubleLongUnsigned(u32),
    OctetString(Bytes),
    /// An octet string holding an encrypted block (dlms.md §7); still octet-string on the wire.
    Ciphered(CipheredData),
    VisibleString(Bytes),
    Utf8String(Bytes),
    Bcd(u8),
    Integer(i8),
    Long(i16),
    Unsigned(u8),
    LongUnsigned(u16),
    CompactArray(CompactArray),
    Long64(i64),
    Long64Unsigned(u64),
    Enum(u8),
    Float32([u8; 4]),
    Float64([u8; 8]),
    DateTime([u8; 12]),
    Date([u8; 5]),
    Time([u8; 4]),
    DontCare,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BitString {
    /// Length in bits; `bytes` holds ⌈bits/8⌉ bytes, first bit = MSB of the first byte.
    pub bits: usize,
    pub bytes: Bytes,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CipheredData {
    pub block: CipheredBlock,
    /// Filled in by `DlmsApdu::decrypt_blocks`; never encoded.
    pub decrypted: Option<Box<Data>>,
}

/// The type description of a compact array (`13`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeDesc {
    Simple(u8),
    Structure(Vec<TypeDesc>),
    Array { count: u16, element: Box<TypeDesc> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompactArray {
    pub element: TypeDesc,
    pub contents: CompactContents,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CompactContents {
    /// One untagged value per element, typed by the description.
    Values(Vec<Data>),
    /// Contents that did not split cleanly into elements of the description; kept verbatim.
    Raw(Bytes),
}

fn too_deep(r: &Reader<'_>, what: &'static str) -> DecodeError {
    r.error(DecodeErrorKind::TooDeep {
        what,
        limit: MAX_DEPTH,
    })
}

/// Fails before allocating when `count` items of at least `min_each` bytes cannot fit.
fn check_count(
    r: &Reader<'_>,
    count: usize,
    min_each: usize,
    what: &'static str,
) -> DecodeResult<()> {
    let needed = count.saturating_mul(min_each);
    if needed > r.remaining() {
        return Err(r.error(DecodeErrorKind::Truncated {
            expected: what,
            needed,
            available: r.remaining(),
        }));
    }
    Ok(())
}

impl Data {
    /// Decodes one tagged value.
    pub fn decode(r: &mut Reader<'_>) -> DecodeResult<Data> {
        decode_tagged(r, 0)
    }

    /// Decodes `bytes` as exactly one tagged value (an encrypted block's plaintext).
    pub fn decode_exact(bytes: &[u8], base: usize) -> DecodeResult<Data> {
        let mut r = Reader::with_base(bytes, base);
        let d = decode_tagged(&mut r, 0)?;
        r.expect_end("A-XDR Data")?;
        Ok(d)
    }

    pub fn tag(&self) -> u8 {
        match self {
            Data::Null => tag::NULL_DATA,
            Data::Array(_) => tag::ARRAY,
            Data::Structure(_) => tag::STRUCTURE,
            Data::Boolean(_) => tag::BOOLEAN,
            Data::BitString(_) => tag::BIT_STRING,
            Data::DoubleLong(_) => tag::DOUBLE_LONG,
            Data::DoubleLongUnsigned(_) => tag::DOUBLE_LONG_UNSIGNED,
            Data::OctetString(_) | Data::Ciphered(_) => tag::OCTET_STRING,
            Data::VisibleString(_) => tag::VISIBLE_STRING,
            Data::Utf8String(_) => tag::UTF8_STRING,
            Data::Bcd(_) => tag::BCD,
            Data::Integer(_) => tag::INTEGER,
            Data::Long(_) => tag::LONG,
            Data::Unsigned(_) => tag::UNSIGNED,
            Data::LongUnsigned(_) => tag::LONG_UNSIGNED,
            Data::CompactArray(_) => tag::COMPACT_ARRAY,
            Data::Long64(_) => tag::LONG64,
            Data::Long64Unsigned(_) => tag::LONG64_UNSIGNED,
            Data::Enum(_) => tag::ENUM,
            Data::Float32(_) => tag::FLOAT32,
            Data::Float64(_) => tag::FLOAT64,
            Data::DateTime(_) => tag::DATE_TIME,
            Data::Date(_) => tag::DATE,
            Data::Time(_) => tag::TIME,
            Data::DontCare => tag::DONT_CARE,
        }
    }

    pub fn type_name(&self) -> &'static str {
        type_name(self.tag()).unwrap_or("unknown")
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.tag());
        self.encode_body(out);
    }

    /// The compact-array form: no tag, and arrays/structures without their counts (the type
    /// description carries them).
    fn encode_untagged(&self, out: &mut Vec<u8>) {
        match self {
            Data::Array(items) | Data::Structure(items) => {
                for item in items {
                    item.encode_untagged(out);
                }
            }
            _ => self.encode_body(out),
        }
    }

    /// Everything after the tag.
    fn encode_body(&self, out: &mut Vec<u8>) {
        match self {
            Data::Null | Data::DontCare => {}
            Data::Array(items) | Data::Structure(items) => {
                write_length(out, items.len());
                for item in items {
                    item.encode(out);
                }
            }
            Data::CompactArray(ca) => {
                ca.element.encode(out);
                let mut contents = Vec::new();
                match &ca.contents {
                    CompactContents::Values(values) => {
                        for v in values {
                            v.encode_untagged(&mut contents);
                        }
                    }
                    CompactContents::Raw(raw) => contents.extend_from_slice(raw.as_slice()),
                }
                write_length(out, contents.len());
                out.extend_from_slice(&contents);
            }
            Data::Boolean(b) | Data::Bcd(b) | Data::Unsigned(b) | Data::Enum(b) => out.push(*b),
            Data::Integer(v) => out.push(*v as u8),
            Data::Long(v) => out.extend_from_slice(&v.to_be_bytes()),
            Data::LongUnsigned(v) => out.extend_from_slice(&v.to_be_bytes()),
            Data::DoubleLong(v) => out.extend_from_slice(&v.to_be_bytes()),
            Data::DoubleLongUnsigned(v) => out.extend_from_slice(&v.to_be_bytes()),
            Data::Long64(v) => out.extend_from_slice(&v.to_be_bytes()),
            Data::Long64Unsigned(v) => out.extend_from_slice(&v.to_be_bytes()),
            Data::Float32(b) => out.extend_from_slice(b),
            Data::Float64(b) => out.extend_from_slice(b),
            Data::DateTime(b) => out.extend_from_slice(b),
            Data::Date(b) => out.extend_from_slice(b),
            Data::Time(b) => out.extend_from_slice(b),
            Data::BitString(bs) => {
                write_length(out, bs.bits);
                out.extend_from_slice(bs.bytes.as_slice());
            }
            Data::OctetString(b) | Data::VisibleString(b) | Data::Utf8String(b) => {
                write_length(out, b.len());
                out.extend_from_slice(b.as_slice());
            }
            Data::Ciphered(c) => {
                write_length(out, c.block.encoded_len());
                c.block.encode(out);
            }
        }
    }

    pub fn encoded(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }

    /// Elements of an array or structure.
    pub fn items(&self) -> Option<&[Data]> {
        match self {
            Data::Array(v) | Data::Structure(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        Some(match *self {
            Data::Unsigned(v) | Data::Enum(v) => v.into(),
            Data::LongUnsigned(v) => v.into(),
            Data::DoubleLongUnsigned(v) => v.into(),
            Data::Long64Unsigned(v) => v,
            Data::Integer(v) => u64::try_from(v).ok()?,
            Data::Long(v) => u64::try_from(v).ok()?,
            Data::DoubleLong(v) => u64::try_from(v).ok()?,
            Data::Long64(v) => u64::try_from(v).ok()?,
            _ => return None,
        })
    }

    pub fn as_octets(&self) -> Option<&[u8]> {
        match self {
            Data::OctetString(b) => Some(b.as_slice()),
            _ => None,
        }
    }

    /// Calls `f` on every ciphered block, including inside containers.
    pub fn for_each_ciphered(&mut self, f: &mut dyn FnMut(&mut CipheredData)) {
        match self {
            Data::Ciphered(c) => f(c),
            Data::Array(items) | Data::Structure(items) => {
                for item in items {
                    item.for_each_ciphered(f);
                }
            }
            Data::CompactArray(CompactArray {
                contents: CompactContents::Values(values),
                ..
            }) => {
                for v in values {
                    v.for_each_ciphered(f);
                }
            }
            _ => {}
        }
    }

    /// Turns the trailing octet string of a Data Protection result (or ECS68 alert body) into
    /// a ciphered block: a structure whose last two elements are an array of protection
    /// parameters (`structure{enum, structure}` each) and an octet string that looks like
    /// `31 ‖ counter ‖ ct ‖ tag`. Position and shape together keep ordinary octet strings
    /// that happen to start with `31` untouched.
    pub(crate) fn mark_protected_block(&mut self) {
        let Data::Structure(items) = self else {
            return;
        };
        let n = items.len();
        if n < 2 || !is_protection_parameters(&items[n - 2]) {
            return;
        }
        let Data::OctetString(bytes) = &items[n - 1] else {
            return;
        };
        if !CipheredBlock::looks_like(bytes.as_slice()) {
            return;
        }
        if let Ok(block) = CipheredBlock::decode(&mut Reader::new(bytes.as_slice())) {
            items[n - 1] = Data::Ciphered(CipheredData {
                block,
                decrypted: None,
            });
        }
    }
}

fn is_protection_parameters(d: &Data) -> bool {
    match d {
        Data::Array(entries) => {
            !entries.is_empty()
                && entries.iter().all(|e| {
                    matches!(e, Data::Structure(f)
                        if f.len() == 2
                            && matches!(f[0], Data::Enum(_))
                            && matches!(f[1], Data::Structure(_)))
                })
        }
        _ => false,
    }
}

fn decode_tagged(r: &mut Reader<'_>, depth: usize) -> DecodeResult<Data> {
    let at = r.offset();
    let t = r.u8("A-XDR Data tag")?;
    match t {
        tag::ARRAY | tag::STRUCTURE => {
            if depth >= MAX_DEPTH {
                return Err(DecodeError::new(
                    at,
                    DecodeErrorKind::TooDeep {
                        what: "A-XDR array/structure",
                        limit: MAX_DEPTH,
                    },
                ));
            }
            let what = if t == tag::ARRAY {
                "array element count"
            } else {
                "structure element count"
            };
            let n = read_length(r, what)?;
            // Every tagged element takes at least its tag byte.
            check_count(r, n, 1, "A-XDR elements")?;
            let mut items = Vec::with_capacity(n);
            for _ in 0..n {
                items.push(decode_tagged(r, depth + 1)?);
            }
            Ok(if t == tag::ARRAY {
                Data::Array(items)
            } else {
                Data::Structure(items)
            })
        }
        tag::COMPACT_ARRAY => {
            if depth >= MAX_DEPTH {
                return Err(DecodeError::new(
                    at,
                    DecodeErrorKind::TooDeep {
                        what: "A-XDR compact array",
                        limit: MAX_DEPTH,
                    },
                ));
            }
            let element = TypeDesc::decode(r, depth + 1)?;
            let len = read_length(r, "compact-array contents length")?;
            let mut body = r.sub(len, "compact-array contents")?;
            let raw = body.peek_rest();
            let contents = match decode_compact_values(&mut body, &element, depth + 1) {
                Ok(values) => CompactContents::Values(values),
                Err(_) => CompactContents::Raw(raw.into()),
            };
            Ok(Data::CompactArray(CompactArray { element, contents }))
        }
        _ => decode_simple(r, t, at),
    }
}

/// The value after the tag of a non-container type (identical tagged and untagged).
fn decode_simple(r: &mut Reader<'_>, t: u8, at: usize) -> DecodeResult<Data> {
    Ok(match t {
        tag::NULL_DATA => Data::Null,
        tag::DONT_CARE => Data::DontCare,
        tag::BOOLEAN => Data::Boolean(r.u8("boolean")?),
        tag::BIT_STRING => {
            let bits = read_length(r, "bit-string length (bits)")?;
            let bytes = r.bytes(bits.div_ceil(8), "bit-string bytes")?;
            Data::BitString(BitString {
                bits,
                bytes: bytes.into(),
            })
        }
        tag::DOUBLE_LONG => Data::DoubleLong(r.i32_be("double-long")?),
        tag::DOUBLE_LONG_UNSIGNED => Data::DoubleLongUnsigned(r.u32_be("double-long-unsigned")?),
        tag::OCTET_STRING => {
            let n = read_length(r, "octet-string length")?;
            Data::OctetString(r.bytes(n, "octet-string bytes")?.into())
        }
        tag::VISIBLE_STRING => {
            let n = read_length(r, "visible-string length")?;
            Data::VisibleString(r.bytes(n, "visible-string bytes")?.into())
        }
        tag::UTF8_STRING => {
            let n = read_length(r, "utf8-string length")?;
            Data::Utf8String(r.bytes(n, "utf8-string bytes")?.into())
        }
        tag::BCD => Data::Bcd(r.u8("bcd")?),
        tag::INTEGER => Data::Integer(r.i8("integer")?),
        tag::LONG => Data::Long(r.i16_be("long")?),
        tag::UNSIGNED => Data::Unsigned(r.u8("unsigned")?),
        tag::LONG_UNSIGNED => Data::LongUnsigned(r.u16_be("long-unsigned")?),
        tag::LONG64 => Data::Long64(r.i64_be("long64")?),
        tag::LONG64_UNSIGNED => Data::Long64Unsigned(r.u64_be("long64-unsigned")?),
        tag::ENUM => Data::Enum(r.u8("enum")?),
        tag::FLOAT32 => Data::Float32(r.array("float32")?),
        tag::FLOAT64 => Data::Float64(r.array("float64")?),
        tag::DATE_TIME => Data::DateTime(r.array("date-time")?),
        tag::DATE => Data::Date(r.array("date")?),
        tag::TIME => Data::Time(r.array("time")?),
        found => {
            return Err(DecodeError::new(
                at,
                DecodeErrorKind::UnexpectedByte {
                    expected: "A-XDR Data tag",
                    found,
                },
            ))
        }
    })
}

/// Upper bound on untagged values decoded per compact array, over its contents length:
/// null-data and empty structures take no bytes, so the contents alone do not bound the
/// number of values a hostile description can ask for.
const COMPACT_VALUE_SLACK: usize = 1024;

fn decode_compact_values(
    r: &mut Reader<'_>,
    element: &TypeDesc,
    depth: usize,
) -> DecodeResult<Vec<Data>> {
    let mut budget = r.remaining().saturating_add(COMPACT_VALUE_SLACK);
    let mut values = Vec::new();
    while !r.is_empty() {
        let before = r.remaining();
        values.push(decode_untagged(r, element, depth, &mut budget)?);
        if r.remaining() == before {
            return Err(r.invalid("compact-array element", "element consumes no bytes"));
        }
    }
    Ok(values)
}

fn decode_untagged(
    r: &mut Reader<'_>,
    desc: &TypeDesc,
    depth: usize,
    budget: &mut usize,
) -> DecodeResult<Data> {
    if depth >= MAX_DEPTH {
        return Err(too_deep(r, "compact-array value"));
    }
    if *budget == 0 {
        return Err(r.invalid("compact-array contents", "too many values"));
    }
    *budget -= 1;
    match desc {
        TypeDesc::Simple(t) => decode_simple(r, *t, r.offset()),
        TypeDesc::Structure(children) => {
            let mut items = Vec::with_capacity(children.len());
            for c in children {
                items.push(decode_untagged(r, c, depth + 1, budget)?);
            }
            Ok(Data::Structure(items))
        }
        TypeDesc::Array { count, element } => {
            let count = usize::from(*count);
            if count > *budget {
                return Err(r.invalid("compact-array contents", "too many values"));
            }
            let mut items = Vec::with_capacity(count);
            for _ in 0..count {
                items.push(decode_untagged(r, element, depth + 1, budget)?);
            }
            Ok(Data::Array(items))
        }
    }
}

impl TypeDesc {
    pub fn decode(r: &mut Reader<'_>, depth: usize) -> DecodeResult<TypeDesc> {
        if depth >= MAX_DEPTH {
            return Err(too_deep(r, "compact-array type description"));
        }
        let at = r.offset();
        let t = r.u8("type-description tag")?;
        match t {
            tag::ARRAY => {
                let count = r.u16_be("type-description array count")?;
                let element = TypeDesc::decode(r, depth + 1)?;
                Ok(TypeDesc::Array {
                    count,
                    element: Box::new(element),
                })
            }
            tag::STRUCTURE => {
                let n = read_length(r, "type-description structure count")?;
                check_count(r, n, 1, "type-description elements")?;
                let mut children = Vec::with_capacity(n);
                for _ in 0..n {
                    children.push(TypeDesc::decode(r, depth + 1)?);
                }
                Ok(TypeDesc::Structure(children))
            }
            // Nested compact arrays have no defined untagged form.
            tag::COMPACT_ARRAY => Err(DecodeError::invalid(
                at,
                "type-description",
                "compact array inside a compact array",
            )),
            t if type_name(t).is_some() => Ok(TypeDesc::Simple(t)),
            found => Err(DecodeError::new(
                at,
                DecodeErrorKind::UnexpectedByte {
                    expected: "type-description tag",
                    found,
                },
            )),
        }
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        match self {
            TypeDesc::Simple(t) => out.push(*t),
            TypeDesc::Structure(children) => {
                out.push(tag::STRUCTURE);
                write_length(out, children.len());
                for c in children {
                    c.encode(out);
                }
            }
            TypeDesc::Array { count, element } => {
                out.push(tag::ARRAY);
                out.extend_from_slice(&count.to_be_bytes());
                element.encode(out);
            }
        }
    }
}

impl Serialize for TypeDesc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            TypeDesc::Simple(t) => s.serialize_str(type_name(*t).unwrap_or("unknown")),
            TypeDesc::Structure(children) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("structure", children)?;
                m.end()
            }
            TypeDesc::Array { count, element } => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("array", element)?;
                m.serialize_entry("count", count)?;
                m.end()
            }
        }
    }
}

// ---- readable views of octet strings -------------------------------------------------------

fn field2(v: u8, max: u8) -> String {
    match v {
        0xFF => "**".to_string(),
        v if v <= max => format!("{v:02}"),
        v => format!("{v:02X}"),
    }
}

fn plausible_date(b: &[u8]) -> bool {
    let (month, day, dow) = (b[2], b[3], b[4]);
    (month <= 12 || month >= 0xFD) && (day <= 31 || day >= 0xFD) && (dow <= 7 || dow == 0xFF)
}

fn plausible_time(b: &[u8]) -> bool {
    let ok = |v: u8, max: u8| v <= max || v == 0xFF;
    ok(b[0], 23) && ok(b[1], 59) && ok(b[2], 59) && ok(b[3], 99)
}

fn date_text(b: &[u8]) -> String {
    let year = u16::from_be_bytes([b[0], b[1]]);
    let year = if year == 0xFFFF {
        "****".to_string()
    } else {
        format!("{year:04}")
    };
    format!("{year}-{}-{}", field2(b[2], 12), field2(b[3], 31))
}

fn time_text(b: &[u8]) -> String {
    let mut s = format!(
        "{}:{}:{}",
        field2(b[0], 23),
        field2(b[1], 59),
        field2(b[2], 59)
    );
    if b[3] != 0 && b[3] != 0xFF {
        s.push_str(&format!(".{}", field2(b[3], 99)));
    }
    s
}

/// Extra readable fields for an octet string whose length gives it a meaning (dlms.md §8).
fn serialize_octet_view<M: SerializeMap>(m: &mut M, b: &[u8]) -> Result<(), M::Error> {
    match b.len() {
        12 if plausible_date(&b[..5]) && plausible_time(&b[5..9]) => {
            serialize_date_time_fields(m, b)?;
        }
        5 if plausible_date(b) => {
            m.serialize_entry("date", &date_text(b))?;
            if (1..=7).contains(&b[4]) {
                m.serialize_entry("day_of_week", &b[4])?;
            }
        }
        4 if plausible_time(b) => m.serialize_entry("time", &time_text(b))?,
        6 => {
            let obis = ObisCode([b[0], b[1], b[2], b[3], b[4], b[5]]);
            m.serialize_entry("obis", &obis)?;
        }
        20 if b.iter().all(u8::is_ascii_digit) => {
            m.serialize_entry("text", std::str::from_utf8(b).unwrap_or_default())?;
        }
        _ => {}
    }
    Ok(())
}

fn serialize_date_time_fields<M: SerializeMap>(m: &mut M, b: &[u8]) -> Result<(), M::Error> {
    m.serialize_entry(
        "date_time",
        &format!("{}T{}", date_text(&b[..5]), time_text(&b[5..9])),
    )?;
    if (1..=7).contains(&b[4]) {
        m.serialize_entry("day_of_week", &b[4])?;
    }
    let deviation = i16::from_be_bytes([b[9], b[10]]);
    if deviation != i16::MIN {
        m.serialize_entry("deviation", &deviation)?;
    }
    if b[11] != 0xFF {
        m.serialize_entry("clock_status", &b[11])?;
    }
    Ok(())
}

fn serialize_text<M: SerializeMap>(m: &mut M, b: &[u8]) -> Result<(), M::Error> {
    match std::str::from_utf8(b) {
        Ok(text) => m.serialize_entry("value", text),
        Err(_) => m.serialize_entry("hex", &Bytes::from(b)),
    }
}

fn scaler_unit(items: &[Data]) -> Option<(i8, u8)> {
    match items {
        [Data::Integer(scaler), Data::Enum(unit)] => Some((*scaler, *unit)),
        _ => None,
    }
}

struct ScalerUnit(i8, u8);

impl Serialize for ScalerUnit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("scaler", &self.0)?;
        match unit_name(self.1) {
            Some(name) => m.serialize_entry("unit", name)?,
            None => m.serialize_entry("unit", &self.1)?,
        }
        m.end()
    }
}

impl Serialize for CipheredData {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("type", "octet_string")?;
        m.serialize_entry("ciphered", &self.block)?;
        if let Some(d) = &self.decrypted {
            m.serialize_entry("decrypted", d)?;
        }
        m.end()
    }
}

/// A value without its type tag: compact-array elements, whose types the element
/// description already gives (structures and arrays become JSON arrays).
struct Plain<'a>(&'a Data);

impl Serialize for Plain<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Data::Array(items) | Data::Structure(items) => s.collect_seq(items.iter().map(Plain)),
            Data::Null | Data::DontCare => s.serialize_unit(),
            Data::Boolean(b) => s.serialize_bool(*b != 0),
            Data::DoubleLong(v) => s.serialize_i32(*v),
            Data::DoubleLongUnsigned(v) => s.serialize_u32(*v),
            Data::Integer(v) => s.serialize_i8(*v),
            Data::Long(v) => s.serialize_i16(*v),
            Data::Bcd(v) | Data::Unsigned(v) | Data::Enum(v) => s.serialize_u8(*v),
            Data::LongUnsigned(v) => s.serialize_u16(*v),
            Data::Long64(v) => s.serialize_i64(*v),
            Data::Long64Unsigned(v) => s.serialize_u64(*v),
            Data::Float32(b) => s.serialize_f32(f32::from_be_bytes(*b)),
            Data::Float64(b) => s.serialize_f64(f64::from_be_bytes(*b)),
            Data::VisibleString(b) | Data::Utf8String(b) => match std::str::from_utf8(b.as_slice())
            {
                Ok(text) => s.serialize_str(text),
                Err(_) => b.serialize(s),
            },
            Data::OctetString(b) => b.serialize(s),
            Data::BitString(bs) => bs.bytes.serialize(s),
            Data::DateTime(b) => s.collect_str(&hex::encode_upper(b)),
            Data::Date(b) => s.collect_str(&hex::encode_upper(b)),
            Data::Time(b) => s.collect_str(&hex::encode_upper(b)),
            // Never inside a compact array; fall back to the tagged form.
            Data::Ciphered(_) | Data::CompactArray(_) => self.0.serialize(s),
        }
    }
}

impl Serialize for Data {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if let Data::Ciphered(c) = self {
            return c.serialize(s);
        }
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("type", self.type_name())?;
        match self {
            Data::Null | Data::DontCare | Data::Ciphered(_) => {}
            Data::Array(items) => m.serialize_entry("value", items)?,
            Data::Structure(items) => {
                m.serialize_entry("value", items)?;
                if let Some((scaler, unit)) = scaler_unit(items) {
                    m.serialize_entry("scaler_unit", &ScalerUnit(scaler, unit))?;
                }
            }
            Data::Boolean(b) => {
                m.serialize_entry("value", &(*b != 0))?;
                if *b != 0 && *b != 0xFF {
                    m.serialize_entry("raw", b)?;
                }
            }
            Data::BitString(bs) => {
                m.serialize_entry("bits", &bs.bits)?;
                m.serialize_entry("value", &bs.bytes)?;
                if bs.bits <= 64 {
                    let binary: String = (0..bs.bits)
                        .map(|i| {
                            // A hand-built value may have fewer bytes than its bit count.
                            let byte = bs.bytes.as_slice().get(i / 8).copied().unwrap_or(0);
                            if byte & (0x80 >> (i % 8)) != 0 {
                                '1'
                            } else {
                                '0'
                            }
                        })
                        .collect();
                    m.serialize_entry("binary", &binary)?;
                }
            }
            Data::DoubleLong(v) => m.serialize_entry("value", v)?,
            Data::DoubleLongUnsigned(v) => m.serialize_entry("value", v)?,
            Data::OctetString(b) => {
                m.serialize_entry("value", b)?;
                serialize_octet_view(&mut m, b.as_slice())?;
            }
            Data::VisibleString(b) | Data::Utf8String(b) => serialize_text(&mut m, b.as_slice())?,
            Data::Bcd(v) | Data::Unsigned(v) | Data::Enum(v) => m.serialize_entry("value", v)?,
            Data::Integer(v) => m.serialize_entry("value", v)?,
            Data::Long(v) => m.serialize_entry("value", v)?,
            Data::LongUnsigned(v) => m.serialize_entry("value", v)?,
            Data::Long64(v) => m.serialize_entry("value", v)?,
            Data::Long64Unsigned(v) => m.serialize_entry("value", v)?,
            Data::Float32(b) => m.serialize_entry("value", &f32::from_be_bytes(*b))?,
            Data::Float64(b) => m.serialize_entry("value", &f64::from_be_bytes(*b))?,
            Data::DateTime(b) => {
                m.serialize_entry("value", &Bytes::from(&b[..]))?;
                if plausible_date(&b[..5]) && plausible_time(&b[5..9]) {
                    serialize_date_time_fields(&mut m, b)?;
                }
            }
            Data::Date(b) => {
                m.serialize_entry("value", &Bytes::from(&b[..]))?;
                if plausible_date(b) {
                    m.serialize_entry("date", &date_text(b))?;
                }
            }
            Data::Time(b) => {
                m.serialize_entry("value", &Bytes::from(&b[..]))?;
                if plausible_time(b) {
                    m.serialize_entry("time", &time_text(b))?;
                }
            }
            Data::CompactArray(ca) => {
                m.serialize_entry("element", &ca.element)?;
                match &ca.contents {
                    CompactContents::Values(v) => {
                        let plain: Vec<Plain<'_>> = v.iter().map(Plain).collect();
                        m.serialize_entry("value", &plain)?;
                    }
                    CompactContents::Raw(raw) => m.serialize_entry("raw", raw)?,
                }
            }
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round_trip(hex_str: &str) -> Data {
        let bytes = hex::decode(hex_str.replace(' ', "")).unwrap();
        let d = Data::decode_exact(&bytes, 0).unwrap();
        assert_eq!(hex::encode_upper(d.encoded()), hex::encode_upper(&bytes));
        d
    }

    #[test]
    fn scaler_unit_and_integers() {
        // The ECS17b plaintext (dlms.md §9.2).
        let d = round_trip("0201 0204 060000000A 02020F00161E 060000000A 02020F001620");
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(
            v["value"][0]["value"][0],
            json!({"type":"double_long_unsigned","value":10})
        );
        assert_eq!(
            v["value"][0]["value"][1]["scaler_unit"],
            json!({"scaler":0,"unit":"Wh"})
        );
        assert_eq!(v["value"][0]["value"][3]["scaler_unit"]["unit"], "varh");
    }

    #[test]
    fn octet_string_views() {
        let d = round_trip("09 0C 07DF0101FF000000008000FF");
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(v["date_time"], "2015-01-01T00:00:00");
        assert!(v.get("deviation").is_none() && v.get("clock_status").is_none());
        let never = serde_json::to_value(round_trip("09 0C FFFFFFFFFFFFFFFFFF8000FF")).unwrap();
        assert_eq!(never["date_time"], "****-**-**T**:**:**");
        let obis = serde_json::to_value(round_trip("09 06 00005E2C220A")).unwrap();
        assert_eq!(obis["obis"], "0-0:94.44.34.10");
        let status = serde_json::to_value(round_trip("09 0C 07DF0101FF090000008000 02")).unwrap();
        assert_eq!(status["date_time"], "2015-01-01T09:00:00");
        assert_eq!(status["clock_status"], 2);
    }

    #[test]
    fn bit_string_length_is_in_bits() {
        let d = round_trip("04 0C ABC0");
        assert_eq!(
            serde_json::to_value(&d).unwrap(),
            json!({"type":"bit_string","bits":12,"value":"ABC0","binary":"101010111100"})
        );
        let long = format!("04 820100 {}", "00".repeat(32));
        assert!(matches!(
            round_trip(&long),
            Data::BitString(BitString { bits: 256, .. })
        ));
    }

    #[test]
    fn strings_booleans_and_negative_integers() {
        let v = serde_json::to_value(round_trip("02 04 0A03414243 0C02C3A9 03FF 0FFB")).unwrap();
        assert_eq!(v["value"][0]["value"], "ABC");
        assert_eq!(v["value"][1]["value"], "é");
        assert_eq!(v["value"][2]["value"], true);
        assert_eq!(v["value"][3]["value"], -5);
        round_trip("03 01");
        round_trip("14 FFFFFFFFFFFFFFFF");
        round_trip("17 3F800000");
        round_trip("19 07DF0101FF000000008000FF");
    }

    #[test]
    fn compact_array_with_nested_array_description() {
        // Element: structure{u32, array(2) of u16, octet-string}.
        let d = round_trip(
            "13 02 03 06 01 0002 12 09 13 00000001 0002 0003 01 AA 00000004 0005 0006 00",
        );
        let Data::CompactArray(ca) = &d else {
            panic!("{d:?}")
        };
        let CompactContents::Values(values) = &ca.contents else {
            panic!("{ca:?}")
        };
        assert_eq!(values.len(), 2);
        assert_eq!(
            values[1],
            Data::Structure(vec![
                Data::DoubleLongUnsigned(4),
                Data::Array(vec![Data::LongUnsigned(5), Data::LongUnsigned(6)]),
                Data::OctetString(Bytes(vec![])),
            ])
        );
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(
            v["element"],
            json!({"structure":["double_long_unsigned",{"array":"long_unsigned","count":2},"octet_string"]})
        );
        assert_eq!(v["value"], json!([[1, [2, 3], "AA"], [4, [5, 6], ""]]));
    }

    #[test]
    fn compact_array_that_does_not_fit_its_description_is_kept_raw() {
        let d = round_trip("13 02 02 06 06 05 0000000100");
        assert!(matches!(
            d,
            Data::CompactArray(CompactArray {
                contents: CompactContents::Raw(_),
                ..
            })
        ));
        // Zero-size elements would never consume the contents.
        round_trip("13 00 01 AA");
        // A description asking for 65535 × 65535 values over 3 bytes: raw, not an allocation.
        round_trip("13 01 FFFF 01 FFFF 00 03 010203");
    }

    #[test]
    fn hostile_counts_and_depth_are_errors() {
        let e = Data::decode_exact(&[0x01, 0x81, 0xFF, 0x00, 0x00], 10).unwrap_err();
        assert_eq!(e.offset, 13);
        assert!(matches!(
            e.kind,
            DecodeErrorKind::Truncated { needed: 255, .. }
        ));
        let mut deep = [0x01, 0x01].repeat(100);
        deep.push(0x00);
        let e = Data::decode_exact(&deep, 0).unwrap_err();
        assert!(matches!(e.kind, DecodeErrorKind::TooDeep { .. }), "{e}");
        let mut ok = [0x02, 0x01].repeat(7);
        ok.push(0x00);
        Data::decode_exact(&ok, 0).unwrap();
        let e = Data::decode_exact(&[0x07], 5).unwrap_err();
        assert_eq!(e.offset, 5);
        assert!(matches!(
            e.kind,
            DecodeErrorKind::UnexpectedByte { found: 7, .. }
        ));
        let deep_desc: Vec<u8> = [0x01, 0x00, 0x01].repeat(40);
        let mut ca = vec![0x13];
        ca.extend_from_slice(&deep_desc);
        ca.extend_from_slice(&[0x11, 0x00]);
        let e = Data::decode_exact(&ca, 0).unwrap_err();
        assert!(matches!(e.kind, DecodeErrorKind::TooDeep { .. }), "{e}");
    }
}
