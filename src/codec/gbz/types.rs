//! ZCL values: the data types of Read Attributes Responses and the field types of the
//! cluster-specific command layouts, all little-endian (zigbee-gbz.md §7–§8).
//!
//! A [`Value`] remembers its wire width and form, so encoding needs no layout: the decoded
//! model alone reproduces the bytes.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::codec::bytes::Bytes;
use crate::codec::error::DecodeResult;
use crate::codec::reader::Reader;

/// Seconds since 2000-01-01T00:00:00Z, the ZigBee UTCTime epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UtcTime(pub u32);

/// Seconds between the Unix epoch and the ZigBee epoch (2000-01-01).
const ZIGBEE_EPOCH_UNIX: i64 = 946_684_800;

impl UtcTime {
    pub fn unix_seconds(self) -> i64 {
        i64::from(self.0) + ZIGBEE_EPOCH_UNIX
    }

    /// ISO 8601 text, e.g. `2015-01-01T00:00:00Z`.
    pub fn iso(self) -> String {
        let secs = self.unix_seconds();
        let days = secs.div_euclid(86_400);
        let tod = secs.rem_euclid(86_400);
        let (y, m, d) = crate::codec::calendar::civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            tod / 3600,
            (tod / 60) % 60,
            tod % 60
        )
    }
}

impl UtcTime {
    /// The conventional values that are not real times (§8): their ISO text would mislead.
    pub fn special(self) -> Option<&'static str> {
        match self.0 {
            0 => Some("immediate"),
            0xFFFF_FFFF => Some("all_ones (cancel / undefined)"),
            0xFFFF_FFFE => Some("all_ones_minus_one (cancel / latest)"),
            _ => None,
        }
    }
}

impl Serialize for UtcTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let special = self.special();
        let mut m = s.serialize_map(Some(2 + usize::from(special.is_some())))?;
        m.serialize_entry("seconds", &self.0)?;
        m.serialize_entry("iso", &self.iso())?;
        if let Some(note) = special {
            m.serialize_entry("special", note)?;
        }
        m.end()
    }
}

/// Field types of the cluster-specific layouts (§8 notation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    U8,
    U16,
    U24,
    U32,
    U48,
    I32,
    B8,
    B16,
    B32,
    E8,
    Utc,
    Date,
    Ostr,
    Min,
}

/// One decoded value. Widths are kept so that re-encoding is exact.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(u8),
    Uint {
        width: u8,
        value: u64,
    },
    Int {
        width: u8,
        value: i64,
    },
    Bitmap {
        width: u8,
        value: u64,
    },
    Enum {
        width: u8,
        value: u64,
    },
    Utc(UtcTime),
    /// ZCL date: year − 1900, month, day of month, day of week (0xFF = any).
    Date([u8; 4]),
    /// ZCL time of day: hours, minutes, seconds, hundredths.
    TimeOfDay([u8; 4]),
    /// Minutes after midnight (u16), as in day-profile schedule entries.
    Minutes(u16),
    /// u8 length + bytes.
    OctetString(Bytes),
    /// u8 length + characters.
    CharString(Bytes),
    /// u16 length + bytes.
    LongOctetString(Bytes),
    /// u16 length + characters.
    LongCharString(Bytes),
    /// Fixed-size value with no friendlier form here (floats, IEEE address, keys, dataN).
    Opaque(Bytes),
    /// Bytes a layout does not describe further (e.g. an unknown snapshot payload type).
    Raw(Bytes),
    /// A homogeneous list (u48 summations, u16 event ids, ...).
    List(Vec<Value>),
    /// Repeated records of named fields.
    Records(Vec<Fields>),
}

impl Value {
    /// The numeric value of integer-like values (for counts and switch selectors).
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Value::Bool(v) => Some(u64::from(v)),
            Value::Uint { value, .. } | Value::Bitmap { value, .. } | Value::Enum { value, .. } => {
                Some(value)
            }
            Value::Int { value, .. } => u64::try_from(value).ok(),
            Value::Utc(t) => Some(u64::from(t.0)),
            Value::Minutes(m) => Some(u64::from(m)),
            _ => None,
        }
    }

    pub fn has_raw(&self) -> bool {
        match self {
            Value::Raw(_) => true,
            Value::List(items) => items.iter().any(Value::has_raw),
            Value::Records(recs) => recs.iter().any(Fields::has_raw),
            _ => false,
        }
    }

    pub fn decode(r: &mut Reader<'_>, ty: Ty, what: &'static str) -> DecodeResult<Value> {
        Ok(match ty {
            Ty::U8 => uint(r, 1, what)?,
            Ty::U16 => uint(r, 2, what)?,
            Ty::U24 => uint(r, 3, what)?,
            Ty::U32 => uint(r, 4, what)?,
            Ty::U48 => uint(r, 6, what)?,
            Ty::I32 => int(r, 4, what)?,
            Ty::B8 => bitmap(r, 1, what)?,
            Ty::B16 => bitmap(r, 2, what)?,
            Ty::B32 => bitmap(r, 4, what)?,
            Ty::E8 => enumeration(r, 1, what)?,
            Ty::Utc => Value::Utc(UtcTime(r.u32_le(what)?)),
            Ty::Date => Value::Date(r.array::<4>(what)?),
            Ty::Ostr => Value::OctetString(short_string(r, what)?),
            Ty::Min => Value::Minutes(r.u16_le(what)?),
        })
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Value::Bool(v) => out.push(*v),
            Value::Uint { width, value }
            | Value::Bitmap { width, value }
            | Value::Enum { width, value } => put_le(out, *value, *width),
            Value::Int { width, value } => put_le(out, *value as u64, *width),
            Value::Utc(t) => out.extend_from_slice(&t.0.to_le_bytes()),
            Value::Date(b) | Value::TimeOfDay(b) => out.extend_from_slice(b),
            Value::Minutes(m) => out.extend_from_slice(&m.to_le_bytes()),
            Value::OctetString(b) | Value::CharString(b) => {
                // Decoded strings never exceed 255 bytes; the length byte is their count.
                out.push(b.len() as u8);
                out.extend_from_slice(b.as_slice());
            }
            Value::LongOctetString(b) | Value::LongCharString(b) => {
                out.extend_from_slice(&(b.len() as u16).to_le_bytes());
                out.extend_from_slice(b.as_slice());
            }
            Value::Opaque(b) | Value::Raw(b) => out.extend_from_slice(b.as_slice()),
            Value::List(items) => items.iter().for_each(|v| v.encode(out)),
            Value::Records(recs) => recs.iter().for_each(|f| f.encode(out)),
        }
    }
}

fn put_le(out: &mut Vec<u8>, value: u64, width: u8) {
    let bytes = value.to_le_bytes();
    out.extend_from_slice(&bytes[..usize::from(width).min(8)]);
}

fn uint(r: &mut Reader<'_>, width: u8, what: &'static str) -> DecodeResult<Value> {
    let value = r.uint_le(usize::from(width), what)?;
    Ok(Value::Uint { width, value })
}

fn int(r: &mut Reader<'_>, width: u8, what: &'static str) -> DecodeResult<Value> {
    let raw = r.uint_le(usize::from(width), what)?;
    let shift = 64 - 8 * u32::from(width);
    let value = ((raw << shift) as i64) >> shift;
    Ok(Value::Int { width, value })
}

fn bitmap(r: &mut Reader<'_>, width: u8, what: &'static str) -> DecodeResult<Value> {
    let value = r.uint_le(usize::from(width), what)?;
    Ok(Value::Bitmap { width, value })
}

fn enumeration(r: &mut Reader<'_>, width: u8, what: &'static str) -> DecodeResult<Value> {
    let value = r.uint_le(usize::from(width), what)?;
    Ok(Value::Enum { width, value })
}

fn short_string(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Bytes> {
    let n = r.u8(what)?;
    Ok(r.bytes(usize::from(n), what)?.into())
}

fn long_string(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Bytes> {
    let n = r.u16_le(what)?;
    Ok(r.bytes(usize::from(n), what)?.into())
}

/// Printable ASCII text of `b`, when it is entirely printable (MPRNs, UTRNs, labels).
fn ascii_text(b: &[u8]) -> Option<&str> {
    if b.iter().all(|c| (0x20..0x7F).contains(c)) {
        std::str::from_utf8(b).ok()
    } else {
        None
    }
}

fn serialize_string<S: Serializer>(s: S, b: &Bytes) -> Result<S::Ok, S::Error> {
    let text = ascii_text(b.as_slice());
    let mut m = s.serialize_map(Some(1 + usize::from(text.is_some())))?;
    m.serialize_entry("hex", b)?;
    if let Some(t) = text {
        m.serialize_entry("text", t)?;
    }
    m.end()
}

fn date_text(b: &[u8; 4]) -> String {
    let year = if b[0] == 0xFF {
        "****".to_string()
    } else {
        (1900 + u32::from(b[0])).to_string()
    };
    let part = |v: u8| match v {
        0xFF => "**".to_string(),
        1..=31 => format!("{v:02}"),
        other => format!("x{other:02X}"),
    };
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let dow = match b[3] {
        d @ 1..=7 => DAYS[usize::from(d - 1)].to_string(),
        0xFF => "*".to_string(),
        other => format!("x{other:02X}"),
    };
    format!("{year}-{}-{} {dow}", part(b[1]), part(b[2]))
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Bool(0) => s.serialize_bool(false),
            Value::Bool(1) => s.serialize_bool(true),
            Value::Bool(v) => s.serialize_u8(*v),
            Value::Uint { value, .. } | Value::Enum { value, .. } => s.serialize_u64(*value),
            Value::Int { value, .. } => s.serialize_i64(*value),
            Value::Bitmap { width, value } => {
                let digits = usize::from(*width) * 2;
                s.collect_str(&format_args!("0x{value:0digits$X}"))
            }
            Value::Utc(t) => t.serialize(s),
            Value::Date(b) => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("hex", &hex::encode_upper(b))?;
                m.serialize_entry("text", &date_text(b))?;
                m.end()
            }
            Value::TimeOfDay(b) => s.collect_str(&format_args!(
                "{:02}:{:02}:{:02}.{:02}",
                b[0], b[1], b[2], b[3]
            )),
            Value::Minutes(mins) => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("minutes", mins)?;
                m.serialize_entry("time", &format!("{:02}:{:02}", mins / 60, mins % 60))?;
                m.end()
            }
            Value::OctetString(b) | Value::LongOctetString(b) => serialize_string(s, b),
            Value::CharString(b) | Value::LongCharString(b) => serialize_string(s, b),
            Value::Opaque(b) | Value::Raw(b) => b.serialize(s),
            Value::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for v in items {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Value::Records(recs) => recs.serialize(s),
        }
    }
}

/// Named fields in wire order, shown as a JSON object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fields(pub Vec<Field>);

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: &'static str,
    pub value: Value,
}

impl Fields {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|f| f.name == name).map(|f| &f.value)
    }

    pub fn push(&mut self, name: &'static str, value: Value) {
        self.0.push(Field { name, value });
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        self.0.iter().for_each(|f| f.value.encode(out));
    }

    /// Whether some part was kept as undescribed bytes (a layout branch not known here).
    pub fn has_raw(&self) -> bool {
        self.0.iter().any(|f| f.value.has_raw())
    }
}

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for f in &self.0 {
            m.serialize_entry(f.name, &f.value)?;
        }
        m.end()
    }
}

/// A ZCL attribute data type code (Read Attributes Response records).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataType(pub u8);

impl DataType {
    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0x00 => "nodata",
            0x08 => "data8",
            0x09 => "data16",
            0x0A => "data24",
            0x0B => "data32",
            0x0C => "data40",
            0x0D => "data48",
            0x0E => "data56",
            0x0F => "data64",
            0x10 => "bool",
            0x18 => "bitmap8",
            0x19 => "bitmap16",
            0x1A => "bitmap24",
            0x1B => "bitmap32",
            0x1C => "bitmap40",
            0x1D => "bitmap48",
            0x1E => "bitmap56",
            0x1F => "bitmap64",
            0x20 => "uint8",
            0x21 => "uint16",
            0x22 => "uint24",
            0x23 => "uint32",
            0x24 => "uint40",
            0x25 => "uint48",
            0x26 => "uint56",
            0x27 => "uint64",
            0x28 => "int8",
            0x29 => "int16",
            0x2A => "int24",
            0x2B => "int32",
            0x2C => "int40",
            0x2D => "int48",
            0x2E => "int56",
            0x2F => "int64",
            0x30 => "enum8",
            0x31 => "enum16",
            0x38 => "semi_float",
            0x39 => "float",
            0x3A => "double",
            0x41 => "octet_string",
            0x42 => "character_string",
            0x43 => "long_octet_string",
            0x44 => "long_character_string",
            0xE0 => "time_of_day",
            0xE1 => "date",
            0xE2 => "utc_time",
            0xE8 => "cluster_id",
            0xE9 => "attribute_id",
            0xEA => "bacnet_oid",
            0xF0 => "ieee_address",
            0xF1 => "security_key_128",
            _ => return None,
        })
    }

    /// Decodes a value of this type, or `Ok(None)` for a type whose length is unknown here
    /// (arrays, structures, unassigned codes): such a value cannot be skipped.
    pub fn decode_value(self, r: &mut Reader<'_>) -> DecodeResult<Option<Value>> {
        const W: &str = "attribute value";
        let code = self.0;
        let width = |base: u8| code - base + 1;
        Ok(Some(match code {
            0x00 => Value::Opaque(Bytes::default()),
            0x08..=0x0F => Value::Opaque(r.bytes(usize::from(width(0x08)), W)?.into()),
            0x10 => Value::Bool(r.u8(W)?),
            0x18..=0x1F => bitmap(r, width(0x18), W)?,
            0x20..=0x27 => uint(r, width(0x20), W)?,
            0x28..=0x2F => int(r, width(0x28), W)?,
            0x30 => enumeration(r, 1, W)?,
            0x31 => enumeration(r, 2, W)?,
            0x38 => Value::Opaque(r.bytes(2, W)?.into()),
            0x39 => Value::Opaque(r.bytes(4, W)?.into()),
            0x3A => Value::Opaque(r.bytes(8, W)?.into()),
            0x41 => Value::OctetString(short_string(r, W)?),
            0x42 => Value::CharString(short_string(r, W)?),
            0x43 => Value::LongOctetString(long_string(r, W)?),
            0x44 => Value::LongCharString(long_string(r, W)?),
            0xE0 => Value::TimeOfDay(r.array::<4>(W)?),
            0xE1 => Value::Date(r.array::<4>(W)?),
            0xE2 => Value::Utc(UtcTime(r.u32_le(W)?)),
            0xE8 | 0xE9 => uint(r, 2, W)?,
            0xEA => uint(r, 4, W)?,
            0xF0 => Value::Opaque(r.bytes(8, W)?.into()),
            0xF1 => Value::Opaque(r.bytes(16, W)?.into()),
            _ => return Ok(None),
        }))
    }
}

impl Serialize for DataType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.name() {
            Some(n) => s.serialize_str(n),
            None => s.collect_str(&format_args!("0x{:02X}", self.0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_iso_matches_primer_times() {
        assert_eq!(UtcTime(0x1C37_4A80).iso(), "2015-01-01T00:00:00Z");
        assert_eq!(UtcTime(0x3881_8890).iso(), "2030-01-15T09:00:00Z");
        assert_eq!(UtcTime(0).iso(), "2000-01-01T00:00:00Z");
    }

    #[test]
    fn signed_values_sign_extend_and_round_trip() {
        let bytes = [0xFF, 0xFF, 0xFF, 0xFF];
        let v = Value::decode(&mut Reader::new(&bytes), Ty::I32, "x").unwrap();
        assert_eq!(
            v,
            Value::Int {
                width: 4,
                value: -1
            }
        );
        let mut out = Vec::new();
        v.encode(&mut out);
        assert_eq!(out, bytes);
    }

    #[test]
    fn every_named_type_decodes_from_enough_bytes() {
        let data = [0x02u8; 600];
        for code in 0..=0xFFu8 {
            let dt = DataType(code);
            let mut r = Reader::new(&data);
            let v = dt.decode_value(&mut r).unwrap();
            assert_eq!(v.is_some(), dt.name().is_some(), "type 0x{code:02X}");
            if let Some(v) = v {
                let mut out = Vec::new();
                v.encode(&mut out);
                assert_eq!(out.len(), data.len() - r.remaining(), "type 0x{code:02X}");
            }
        }
    }

    #[test]
    fn date_text_handles_wildcards() {
        assert_eq!(date_text(&[115, 1, 1, 4]), "2015-01-01 Thu");
        assert_eq!(date_text(&[0xFF, 0xFF, 0xFF, 0xFF]), "****-**-** *");
    }
}
