//! GBZ alert header (§3) and use-case components with their extended header (§4, §6).
//! Header fields are big-endian, unlike the ZCL inside.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::codec::bytes::Bytes;
use crate::codec::ciphered::CipheredBlock;
use crate::codec::error::DecodeResult;
use crate::codec::reader::Reader;

use super::names;
use super::types::UtcTime;
use super::zcl::{command_name, FrameControl, ZclHeader, ZclPayload};

/// A cluster id, shown with its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClusterId(pub u16);

impl ClusterId {
    pub fn name(self) -> Option<&'static str> {
        names::cluster_name(self.0)
    }
}

impl Serialize for ClusterId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("id", &format!("0x{:04X}", self.0))?;
        m.serialize_entry("name", &self.name())?;
        m.end()
    }
}

/// Extended Header Control byte; every bit is kept, the three known ones are shown decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtHeaderControl(pub u8);

impl ExtHeaderControl {
    pub const LAST: u8 = 0x01;
    pub const ENCRYPTED: u8 = 0x02;
    pub const FROM_DATE_TIME: u8 = 0x10;

    pub fn last(self) -> bool {
        self.0 & Self::LAST != 0
    }
    pub fn encrypted(self) -> bool {
        self.0 & Self::ENCRYPTED != 0
    }
    pub fn from_date_time(self) -> bool {
        self.0 & Self::FROM_DATE_TIME != 0
    }
}

impl Serialize for ExtHeaderControl {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("raw", &format!("0x{:02X}", self.0))?;
        m.serialize_entry("last", &self.last())?;
        m.serialize_entry("encrypted", &self.encrypted())?;
        m.serialize_entry("from_date_time", &self.from_date_time())?;
        m.end()
    }
}

/// A GBZ use-case component: extended header, then a clear or encrypted ZCL command.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    pub control: ExtHeaderControl,
    pub cluster: ClusterId,
    /// Present exactly when control bit 4 is set (start of a log window, or the execution
    /// time of a future-dated command that has no time field of its own).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_date_time: Option<UtcTime>,
    pub body: ComponentBody,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum ComponentBody {
    Plain {
        zcl: ZclHeader,
        payload: ZclPayload,
    },
    /// §6: the ZCL header travels in clear, the command payload is AES-GCM ciphertext.
    Encrypted {
        additional_header_control: u8,
        additional_header_frame_counter: u8,
        zcl: ZclHeader,
        block: CipheredBlock,
        /// The decoded plaintext payload, once [`super::GbzPayload::decrypt_blocks`] ran.
        #[serde(skip_serializing_if = "Option::is_none")]
        decrypted: Option<ZclPayload>,
    },
}

impl Component {
    pub fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let control = ExtHeaderControl(r.u8("extended header control")?);
        let cluster = ClusterId(r.u16_be("extended header cluster id")?);
        let length = r.u16_be("extended header GBZ command length")?;
        let mut c = r.sub(usize::from(length), "GBZ component (command length)")?;
        // Bits 1 and 4 never combine in the corpus; if they do, the From Date Time is read
        // first, as it sits right after the length field in the clear form.
        let from_date_time = if control.from_date_time() {
            Some(UtcTime(c.u32_be("from date time")?))
        } else {
            None
        };
        let body = if control.encrypted() {
            let additional_header_control = c.u8("additional header control")?;
            let additional_header_frame_counter = c.u8("additional header frame counter")?;
            let fc = c.u8("ZCL frame control")?;
            let tsn = c.u8("ZCL transaction sequence number")?;
            let cmd = c.u8("ZCL command id")?;
            let ciphered_len = c.u16_be("ciphered information length")?;
            let mut cr = c.sub(usize::from(ciphered_len), "ciphered information")?;
            c.expect_end("ciphered information")?;
            let block = CipheredBlock::decode(&mut cr)?;
            ComponentBody::Encrypted {
                additional_header_control,
                additional_header_frame_counter,
                zcl: ZclHeader::new(cluster.0, fc, tsn, cmd),
                block,
                decrypted: None,
            }
        } else {
            let zcl = ZclHeader::decode(&mut c, cluster.0)?;
            let base = c.offset();
            let payload = ZclPayload::decode(c.rest(), base, cluster.0, &zcl);
            ComponentBody::Plain { zcl, payload }
        };
        Ok(Component {
            control,
            cluster,
            from_date_time,
            body,
        })
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        let mut inner = Vec::new();
        if let Some(t) = self.from_date_time {
            inner.extend_from_slice(&t.0.to_be_bytes());
        }
        match &self.body {
            ComponentBody::Plain { zcl, payload } => {
                zcl.encode(&mut inner);
                payload.encode(&mut inner);
            }
            ComponentBody::Encrypted {
                additional_header_control,
                additional_header_frame_counter,
                zcl,
                block,
                ..
            } => {
                inner.push(*additional_header_control);
                inner.push(*additional_header_frame_counter);
                // The clear header of an encrypted component has no manufacturer code.
                inner.extend_from_slice(&[zcl.frame_control.0, zcl.tsn, zcl.command_id]);
                inner.extend_from_slice(&(block.encoded_len() as u16).to_be_bytes());
                block.encode(&mut inner);
            }
        }
        out.push(self.control.0);
        out.extend_from_slice(&self.cluster.0.to_be_bytes());
        out.extend_from_slice(&(inner.len() as u16).to_be_bytes());
        out.extend_from_slice(&inner);
    }

    pub fn zcl(&self) -> &ZclHeader {
        match &self.body {
            ComponentBody::Plain { zcl, .. } | ComponentBody::Encrypted { zcl, .. } => zcl,
        }
    }

    pub fn is_encrypted(&self) -> bool {
        matches!(self.body, ComponentBody::Encrypted { .. })
    }

    /// The decoded command payload: the clear one, or the decrypted one if available.
    pub fn payload(&self) -> Option<&ZclPayload> {
        match &self.body {
            ComponentBody::Plain { payload, .. } => Some(payload),
            ComponentBody::Encrypted { decrypted, .. } => decrypted.as_ref(),
        }
    }
}

/// The alert header form used when the CRA flag is 3 (§3).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertHeader {
    pub alert_code: AlertCode,
    pub timestamp: UtcTime,
    pub body: AlertBody,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlertCode(pub u16);

impl Serialize for AlertCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("code", &format!("0x{:04X}", self.0))?;
        m.serialize_entry("name", &names::alert_code_name(self.0))?;
        m.end()
    }
}

/// What follows the 9-byte alert header, by alert type.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AlertBody {
    /// Generic critical / non-critical alert (0x1000 / 0x1001): nothing follows.
    Empty,
    /// 0x00CD: outcome of a future-dated command, identifying the executed component.
    FutureDatedOutcome {
        /// Length of the rest of the body (14).
        length: u8,
        #[serde(serialize_with = "hex_u16")]
        original_message_code: u16,
        original_originator_counter: u64,
        cluster: ClusterId,
        /// Informational: RTDS sometimes sends a different FC than the command used.
        frame_control: FrameControl,
        #[serde(serialize_with = "hex_u8")]
        command_id: u8,
        command: Option<&'static str>,
    },
    /// 0x00CF: firmware distribution receipt, `09 20` + the calculated manufacturer hash.
    FirmwareHash { hash: Bytes },
    /// 0x00F2: meter integrity issue warning with a 2-byte "other info" code.
    OtherInfo {
        #[serde(serialize_with = "hex_u16")]
        code: u16,
    },
    /// GBZ components follow (GCS53-style alerts); they are in `GbzPayload::components`.
    Components,
    /// A body whose form is not known; kept as bytes.
    Raw { bytes: Bytes },
}

fn hex_u8<S: Serializer>(v: &u8, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&format_args!("0x{v:02X}"))
}

fn hex_u16<S: Serializer>(v: &u16, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&format_args!("0x{v:04X}"))
}

const FUTURE_DATED_BODY_LEN: u8 = 14;
const FIRMWARE_HASH_LEN: u8 = 0x20;
/// DLMS octet-string tag that prefixes the firmware hash.
const OCTET_STRING_TAG: u8 = 0x09;

/// Alert codes whose body form the primer fixes (§3); other codes are recognised by shape.
const FUTURE_DATED_CODES: [u16; 2] = [0x8F66, 0x8F67];
const FIRMWARE_RECEIPT_CODE: u16 = 0x8F72;
const METER_INTEGRITY_CODE: u16 = 0x81A0;

impl AlertHeader {
    /// Reads the alert code, timestamp and body. With a non-zero `component_count`, a body
    /// of an unknown alert code that parses as exactly that many components is left unread
    /// and marked [`AlertBody::Components`].
    pub fn decode(r: &mut Reader<'_>, component_count: u8) -> DecodeResult<AlertHeader> {
        let alert_code = AlertCode(r.u16_be("alert code")?);
        let timestamp = UtcTime(r.u32_be("alert timestamp")?);
        let code = alert_code.0;
        let body = if FUTURE_DATED_CODES.contains(&code) {
            future_dated(r)?
        } else if code == FIRMWARE_RECEIPT_CODE {
            firmware_hash(r)?
        } else if code == METER_INTEGRITY_CODE {
            AlertBody::OtherInfo {
                code: r.u16_be("meter integrity other info")?,
            }
        } else {
            by_shape(r, component_count)
        };
        Ok(AlertHeader {
            alert_code,
            timestamp,
            body,
        })
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.alert_code.0.to_be_bytes());
        out.extend_from_slice(&self.timestamp.0.to_be_bytes());
        match &self.body {
            AlertBody::Empty | AlertBody::Components => {}
            AlertBody::FutureDatedOutcome {
                length,
                original_message_code,
                original_originator_counter,
                cluster,
                frame_control,
                command_id,
                ..
            } => {
                out.push(*length);
                out.extend_from_slice(&original_message_code.to_be_bytes());
                out.extend_from_slice(&original_originator_counter.to_be_bytes());
                out.extend_from_slice(&cluster.0.to_be_bytes());
                out.push(frame_control.0);
                out.push(*command_id);
            }
            AlertBody::FirmwareHash { hash } => {
                out.push(OCTET_STRING_TAG);
                out.push(hash.len() as u8);
                out.extend_from_slice(hash.as_slice());
            }
            AlertBody::OtherInfo { code } => out.extend_from_slice(&code.to_be_bytes()),
            AlertBody::Raw { bytes } => out.extend_from_slice(bytes.as_slice()),
        }
    }
}

fn future_dated(r: &mut Reader<'_>) -> DecodeResult<AlertBody> {
    let at = r.offset();
    let length = r.u8("future-dated alert body length")?;
    if length != FUTURE_DATED_BODY_LEN {
        return Err(crate::codec::error::DecodeError::new(
            at,
            crate::codec::error::DecodeErrorKind::UnexpectedByte {
                expected: "future-dated alert body length 0x0E",
                found: length,
            },
        ));
    }
    let original_message_code = r.u16_be("original message code")?;
    let original_originator_counter = r.u64_be("original originator counter")?;
    let cluster = ClusterId(r.u16_be("executed component cluster id")?);
    let frame_control = FrameControl(r.u8("executed component frame control")?);
    let command_id = r.u8("executed component command id")?;
    // The FC byte is not reliable (§3), so fall back to the other direction for the name.
    let command = command_name(cluster.0, frame_control, command_id)
        .or_else(|| command_name(cluster.0, FrameControl(frame_control.0 ^ 0x08), command_id));
    Ok(AlertBody::FutureDatedOutcome {
        length,
        original_message_code,
        original_originator_counter,
        cluster,
        frame_control,
        command_id,
        command,
    })
}

fn firmware_hash(r: &mut Reader<'_>) -> DecodeResult<AlertBody> {
    r.expect_u8(
        OCTET_STRING_TAG,
        "octet-string tag 0x09 before the firmware hash",
    )?;
    r.expect_u8(FIRMWARE_HASH_LEN, "firmware hash length 0x20")?;
    let hash = r
        .bytes(usize::from(FIRMWARE_HASH_LEN), "firmware hash")?
        .into();
    Ok(AlertBody::FirmwareHash { hash })
}

/// Body of an alert code the primer does not fix: recognised by its exact shape, so a
/// lookalike that does not fit is kept raw rather than misread.
fn by_shape(r: &mut Reader<'_>, component_count: u8) -> AlertBody {
    let rest = r.peek_rest();
    let n = rest.len();
    if n == 0 {
        return AlertBody::Empty;
    }
    if n == 1 + usize::from(FUTURE_DATED_BODY_LEN) && rest[0] == FUTURE_DATED_BODY_LEN {
        let mut t = r.clone();
        if let Ok(body) = future_dated(&mut t) {
            *r = t;
            return body;
        }
    }
    if n == 2 + usize::from(FIRMWARE_HASH_LEN) && rest[..2] == [OCTET_STRING_TAG, FIRMWARE_HASH_LEN]
    {
        let mut t = r.clone();
        if let Ok(body) = firmware_hash(&mut t) {
            *r = t;
            return body;
        }
    }
    if component_count > 0 && components_fit(rest, component_count) {
        return AlertBody::Components;
    }
    AlertBody::Raw {
        bytes: r.rest().into(),
    }
}

/// Whether `bytes` are exactly `count` well-formed component headers and bodies.
fn components_fit(bytes: &[u8], count: u8) -> bool {
    let mut r = Reader::new(bytes);
    for _ in 0..count {
        if Component::decode(&mut r).is_err() {
            return false;
        }
    }
    r.is_empty()
}
