//! The ZCL frame inside a component (§5) and its payload: general commands (§7) or a
//! cluster-specific command (§9). Everything here is little-endian.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::codec::bytes::Bytes;
use crate::codec::error::{DecodeError, DecodeResult};
use crate::codec::reader::Reader;

use super::clusters;
use super::names;
use super::types::{DataType, Fields, Value};

/// The ZCL frame control byte; every bit is kept, named ones are shown decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameControl(pub u8);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    ClientToServer,
    ServerToClient,
}

impl FrameControl {
    /// Bits 0–1: 0 = general (profile-wide), 1 = cluster-specific.
    pub fn frame_type(self) -> u8 {
        self.0 & 0x03
    }
    pub fn is_cluster_specific(self) -> bool {
        self.frame_type() == 1
    }
    pub fn is_general(self) -> bool {
        self.frame_type() == 0
    }
    pub fn manufacturer_specific(self) -> bool {
        self.0 & 0x04 != 0
    }
    pub fn server_to_client(self) -> bool {
        self.0 & 0x08 != 0
    }
    pub fn direction(self) -> Direction {
        if self.server_to_client() {
            Direction::ServerToClient
        } else {
            Direction::ClientToServer
        }
    }
    pub fn disable_default_response(self) -> bool {
        self.0 & 0x10 != 0
    }
}

impl Serialize for FrameControl {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let frame_type = match self.frame_type() {
            0 => "general",
            1 => "cluster_specific",
            _ => "reserved",
        };
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("raw", &format!("0x{:02X}", self.0))?;
        m.serialize_entry("frame_type", frame_type)?;
        m.serialize_entry("manufacturer_specific", &self.manufacturer_specific())?;
        m.serialize_entry("direction", &self.direction())?;
        m.serialize_entry("disable_default_response", &self.disable_default_response())?;
        m.end()
    }
}

/// Name of command `id` of `cluster` under frame control `fc`.
pub fn command_name(cluster: u16, fc: FrameControl, id: u8) -> Option<&'static str> {
    match fc.frame_type() {
        0 => names::general_command_name(id),
        1 if !fc.manufacturer_specific() => {
            clusters::lookup(cluster, fc.server_to_client(), id).map(|c| c.name)
        }
        _ => None,
    }
}

/// Frame control, TSN and command id, plus the manufacturer code when FC bit 2 asks for one.
#[derive(Debug, Clone, PartialEq)]
pub struct ZclHeader {
    pub frame_control: FrameControl,
    pub manufacturer_code: Option<u16>,
    pub tsn: u8,
    pub command_id: u8,
    /// Command name, resolved from the cluster at decode time.
    pub command: Option<&'static str>,
}

impl ZclHeader {
    pub fn new(cluster: u16, frame_control: u8, tsn: u8, command_id: u8) -> Self {
        let fc = FrameControl(frame_control);
        ZclHeader {
            frame_control: fc,
            manufacturer_code: None,
            tsn,
            command_id,
            command: command_name(cluster, fc, command_id),
        }
    }

    /// Reads a plaintext ZCL header (the manufacturer code is only present there).
    pub fn decode(r: &mut Reader<'_>, cluster: u16) -> DecodeResult<Self> {
        let fc = FrameControl(r.u8("ZCL frame control")?);
        let manufacturer_code = if fc.manufacturer_specific() {
            Some(r.u16_le("ZCL manufacturer code")?)
        } else {
            None
        };
        let tsn = r.u8("ZCL transaction sequence number")?;
        let command_id = r.u8("ZCL command id")?;
        Ok(ZclHeader {
            manufacturer_code,
            ..ZclHeader::new(cluster, fc.0, tsn, command_id)
        })
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.frame_control.0);
        if let Some(code) = self.manufacturer_code {
            out.extend_from_slice(&code.to_le_bytes());
        }
        out.push(self.tsn);
        out.push(self.command_id);
    }
}

impl Serialize for ZclHeader {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("frame_control", &self.frame_control)?;
        m.serialize_entry("direction", &self.frame_control.direction())?;
        if let Some(code) = self.manufacturer_code {
            m.serialize_entry("manufacturer_code", &format!("0x{code:04X}"))?;
        }
        m.serialize_entry("tsn", &self.tsn)?;
        m.serialize_entry("command_id", &format!("0x{:02X}", self.command_id))?;
        m.serialize_entry("command", &self.command)?;
        m.end()
    }
}

/// A ZCL status code, shown by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status(pub u8);

impl Status {
    pub const SUCCESS: Status = Status(0x00);
    /// The status, typed.
    pub fn kind(self) -> crate::codec::enums::ZclStatus {
        crate::codec::enums::ZclStatus::from_code(self.0)
    }
    pub fn name(self) -> Option<&'static str> {
        names::status_name(self.0)
    }
}

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.name() {
            Some(n) => s.serialize_str(n),
            None => s.collect_str(&format_args!("0x{:02X}", self.0)),
        }
    }
}

/// An attribute id with its §10 name when known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttributeId {
    pub id: u16,
    pub name: Option<&'static str>,
}

impl AttributeId {
    pub fn new(cluster: u16, id: u16) -> Self {
        AttributeId {
            id,
            name: names::attribute_name(cluster, id),
        }
    }
}

impl Serialize for AttributeId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("id", &format!("0x{:04X}", self.id))?;
        m.serialize_entry("name", &self.name)?;
        m.end()
    }
}

/// One Read Attributes Response record: a value follows only when the status is SUCCESS.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributeRecord {
    pub attribute: AttributeId,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_type: Option<DataType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

/// The command payload after the ZCL header.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ZclPayload {
    ReadAttributes {
        attributes: Vec<AttributeId>,
    },
    ReadAttributesResponse {
        records: Vec<AttributeRecord>,
        /// From the first record whose data type has no known length: it cannot be skipped.
        #[serde(skip_serializing_if = "Option::is_none")]
        undecoded: Option<Bytes>,
    },
    DefaultResponse {
        #[serde(serialize_with = "hex_u8")]
        command_id: u8,
        /// The answered command, looked up as a cluster-specific command of the opposite
        /// direction; absent for the `FF` abort marker and unknown ids.
        command: Option<&'static str>,
        status: Status,
    },
    /// A cluster-specific command decoded by its §9 layout.
    Command {
        fields: Fields,
    },
    /// Payload kept as bytes: no known layout, or the bytes did not fit it (`reason`).
    Raw {
        bytes: Bytes,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<DecodeError>,
    },
}

fn hex_u8<S: Serializer>(v: &u8, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&format_args!("0x{v:02X}"))
}

impl ZclPayload {
    /// Decodes the payload bytes of a command; never fails, falling back to [`ZclPayload::Raw`].
    pub fn decode(payload: &[u8], base: usize, cluster: u16, header: &ZclHeader) -> ZclPayload {
        let mut r = Reader::with_base(payload, base);
        let fc = header.frame_control;
        let typed = if fc.manufacturer_specific() {
            None
        } else if fc.is_general() {
            match header.command_id {
                0x00 => Some(read_attributes(&mut r, cluster)),
                0x01 => Some(read_attributes_response(&mut r, cluster)),
                0x0B => Some(default_response(&mut r, cluster, fc)),
                _ => None,
            }
        } else if fc.is_cluster_specific() {
            clusters::lookup(cluster, fc.server_to_client(), header.command_id).map(|spec| {
                clusters::decode_layout(&mut r, spec.layout)
                    .map(|fields| ZclPayload::Command { fields })
            })
        } else {
            None
        };
        match typed {
            Some(Ok(p)) => p,
            Some(Err(e)) => ZclPayload::Raw {
                bytes: payload.into(),
                reason: Some(e),
            },
            None => ZclPayload::Raw {
                bytes: payload.into(),
                reason: None,
            },
        }
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        match self {
            ZclPayload::ReadAttributes { attributes } => {
                for a in attributes {
                    out.extend_from_slice(&a.id.to_le_bytes());
                }
            }
            ZclPayload::ReadAttributesResponse { records, undecoded } => {
                for rec in records {
                    out.extend_from_slice(&rec.attribute.id.to_le_bytes());
                    out.push(rec.status.0);
                    if let Some(t) = rec.data_type {
                        out.push(t.0);
                    }
                    if let Some(v) = &rec.value {
                        v.encode(out);
                    }
                }
                if let Some(rest) = undecoded {
                    out.extend_from_slice(rest.as_slice());
                }
            }
            ZclPayload::DefaultResponse {
                command_id, status, ..
            } => out.extend_from_slice(&[*command_id, status.0]),
            ZclPayload::Command { fields } => fields.encode(out),
            ZclPayload::Raw { bytes, .. } => out.extend_from_slice(bytes.as_slice()),
        }
    }

    /// Whether the payload was not (or not completely) decoded by a known layout.
    pub fn is_raw(&self) -> bool {
        match self {
            ZclPayload::Raw { .. }
            | ZclPayload::ReadAttributesResponse {
                undecoded: Some(_), ..
            } => true,
            ZclPayload::Command { fields } => fields.has_raw(),
            _ => false,
        }
    }
}

fn read_attributes(r: &mut Reader<'_>, cluster: u16) -> DecodeResult<ZclPayload> {
    let mut attributes = Vec::new();
    while !r.is_empty() {
        attributes.push(AttributeId::new(cluster, r.u16_le("attribute id")?));
    }
    Ok(ZclPayload::ReadAttributes { attributes })
}

fn read_attributes_response(r: &mut Reader<'_>, cluster: u16) -> DecodeResult<ZclPayload> {
    let mut records = Vec::new();
    while !r.is_empty() {
        let record_start = r.clone();
        let attribute = AttributeId::new(cluster, r.u16_le("attribute id")?);
        let status = Status(r.u8("attribute status")?);
        if status != Status::SUCCESS {
            records.push(AttributeRecord {
                attribute,
                status,
                data_type: None,
                value: None,
            });
            continue;
        }
        let data_type = DataType(r.u8("attribute data type")?);
        match data_type.decode_value(r)? {
            Some(value) => records.push(AttributeRecord {
                attribute,
                status,
                data_type: Some(data_type),
                value: Some(value),
            }),
            None => {
                let mut rest = record_start;
                return Ok(ZclPayload::ReadAttributesResponse {
                    records,
                    undecoded: Some(rest.rest().into()),
                });
            }
        }
    }
    Ok(ZclPayload::ReadAttributesResponse {
        records,
        undecoded: None,
    })
}

fn default_response(
    r: &mut Reader<'_>,
    cluster: u16,
    fc: FrameControl,
) -> DecodeResult<ZclPayload> {
    let command_id = r.u8("default response command id")?;
    let status = Status(r.u8("default response status")?);
    r.expect_end("default response")?;
    let command = clusters::lookup(cluster, !fc.server_to_client(), command_id).map(|c| c.name);
    Ok(ZclPayload::DefaultResponse {
        command_id,
        command,
        status,
    })
}
