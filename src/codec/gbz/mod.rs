//! ZigBee GBZ content (GSME, GPF, PPMID use cases): the bytes after the grouping header's
//! content length when they start with profile id `01 09` (zigbee-gbz.md).
//!
//! Layers: GBZ header (and the alert header form for CRA 3) → components with a big-endian
//! extended header → a ZCL frame (little-endian) whose payload is a general command, a
//! cluster-specific command with a §9 layout, or raw bytes. Encrypted components keep their
//! ciphered block so encoding is lossless; `decrypt_blocks` adds the decoded plaintext.

pub mod clusters;
pub mod header;
pub mod names;
pub mod types;
pub mod zcl;

use serde::Serialize;

use super::ciphered::{BlockStats, Decryptor};
use super::error::{DecodeError, DecodeResult};
use super::ids::CraFlag;
use super::reader::Reader;

pub use header::ExtHeaderControl;
pub use header::{AlertBody, AlertCode, AlertHeader, ClusterId, Component, ComponentBody};
pub use types::{DataType, Field, Fields, UtcTime, Value};
pub use zcl::{
    AttributeId, AttributeRecord, Direction, FrameControl, Status, ZclHeader, ZclPayload,
};

/// The GBZ profile id that opens every GBZ payload.
pub const PROFILE_ID: u16 = 0x0109;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GbzPayload {
    #[serde(serialize_with = "hex_u16")]
    pub profile_id: u16,
    /// As sent: alerts 0x00CD/0x00CF/0x00F2 say 1 although no component follows.
    pub component_count: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert: Option<AlertHeader>,
    pub components: Vec<Component>,
}

fn hex_u16<S: serde::Serializer>(v: &u16, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&format_args!("0x{v:04X}"))
}

/// What the harness needs to pair commands with responses (§5 TSN rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ComponentSummary {
    pub cluster: u16,
    pub frame_control: u8,
    pub command_id: u8,
    pub tsn: u8,
    pub encrypted: bool,
}

/// Decodes GBZ content; `base` is the absolute offset of `content[0]` in the frame, and
/// alerts (CRA 3) have the alert header form (§3).
pub fn decode(content: &[u8], base: usize, cra: CraFlag) -> DecodeResult<GbzPayload> {
    let mut r = Reader::with_base(content, base);
    let at = r.offset();
    let profile_id = r.u16_be("GBZ profile id")?;
    if profile_id != PROFILE_ID {
        return Err(DecodeError::invalid(
            at,
            "GBZ profile id",
            "expected 0x0109",
        ));
    }
    let component_count = r.u8("GBZ component count")?;
    let alert = if cra == CraFlag::Alert {
        Some(AlertHeader::decode(&mut r, component_count)?)
    } else {
        None
    };
    let mut components = Vec::new();
    let has_components = alert
        .as_ref()
        .is_none_or(|a| a.body == AlertBody::Components);
    if has_components {
        for _ in 0..component_count {
            components.push(Component::decode(&mut r)?);
        }
    }
    r.expect_end("GBZ payload")?;
    Ok(GbzPayload {
        profile_id,
        component_count,
        alert,
        components,
    })
}

impl GbzPayload {
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.profile_id.to_be_bytes());
        out.push(self.component_count);
        if let Some(alert) = &self.alert {
            alert.encode(out);
        }
        for c in &self.components {
            c.encode(out);
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }

    /// Calls `decrypt` once per encrypted component (control bit 0x02) with its CipheredBlock
    /// (the `31 00000000 ‖ ct ‖ tag` part, §6), and decodes each plaintext — the ZCL command
    /// payload, using the clear FC/TSN/command id and the component's cluster — in place.
    ///
    /// Error offsets inside a plaintext count from its first byte: it has no place in the frame.
    pub fn decrypt_blocks(&mut self, decrypt: &mut Decryptor<'_>) -> BlockStats {
        let mut stats = BlockStats::default();
        for c in &mut self.components {
            let cluster = c.cluster.0;
            if let ComponentBody::Encrypted {
                zcl,
                block,
                decrypted,
                ..
            } = &mut c.body
            {
                if let Some(plain) = stats.record(decrypt(block)) {
                    let payload = ZclPayload::decode(&plain, 0, cluster, zcl);
                    if payload.is_raw() {
                        stats.plaintext_undecodable += 1;
                    }
                    *decrypted = Some(payload);
                }
            }
        }
        stats
    }

    /// The alert code, for content sent with CRA 3.
    pub fn alert_code(&self) -> Option<u16> {
        self.alert.as_ref().map(|a| a.alert_code.0)
    }

    /// Cluster, command id, TSN and encryption of every component, in order.
    pub fn component_summaries(&self) -> Vec<ComponentSummary> {
        self.components
            .iter()
            .map(|c| {
                let z = c.zcl();
                ComponentSummary {
                    cluster: c.cluster.0,
                    frame_control: z.frame_control.0,
                    command_id: z.command_id,
                    tsn: z.tsn,
                    encrypted: c.is_encrypted(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
