//! Turning the model's answers into GBZ response components. Payloads are written as ZCL
//! bytes and decoded back with the codec, so a response has exactly the structure (field
//! names, lists, records) a received one would have.

use crate::codec::ciphered::CipheredBlock;
use crate::codec::gbz::{
    ClusterId, Component, ComponentBody, ExtHeaderControl, GbzPayload, ZclHeader, ZclPayload,
    PROFILE_ID,
};

/// Little-endian ZCL field writer.
#[derive(Debug, Default)]
pub struct W(pub Vec<u8>);

impl W {
    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.0.push(v);
        self
    }
    pub fn u16(&mut self, v: u16) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    pub fn u24(&mut self, v: u32) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes()[..3]);
        self
    }
    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    pub fn u48(&mut self, v: u64) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes()[..6]);
        self
    }
    pub fn i32(&mut self, v: i32) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    /// A u8-length-prefixed string; longer input is cut at 255 bytes, the field's limit.
    pub fn ostr(&mut self, b: &[u8]) -> &mut Self {
        let b = &b[..b.len().min(255)];
        self.0.push(b.len() as u8);
        self.0.extend_from_slice(b);
        self
    }
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.0.extend_from_slice(b);
        self
    }
}

/// ZCL status codes the model uses (the codec's [`crate::codec::enums::ZclStatus`]).
pub mod status {
    use crate::codec::enums::ZclStatus as S;
    pub const SUCCESS: u8 = S::Success.to_code();
    pub const FAILURE: u8 = S::Failure.to_code();
    pub const MALFORMED_COMMAND: u8 = S::MalformedCommand.to_code();
    pub const UNSUP_CLUSTER_COMMAND: u8 = S::UnsupClusterCommand.to_code();
    pub const UNSUP_GENERAL_COMMAND: u8 = S::UnsupGeneralCommand.to_code();
    pub const UNSUPPORTED_ATTRIBUTE: u8 = S::UnsupportedAttribute.to_code();
    pub const INVALID_VALUE: u8 = S::InvalidValue.to_code();
    pub const NOT_FOUND: u8 = S::NotFound.to_code();
    pub const HARDWARE_FAILURE: u8 = S::HardwareFailure.to_code();
    /// ZCL UNSUPPORTED_CLUSTER, which the codec's table (the statuses the RTDS shows) lacks.
    pub const UNSUPPORTED_CLUSTER: u8 = S::Unknown(0xC3).to_code();
}

pub const GENERAL_READ_ATTRIBUTES: u8 = 0x00;
pub const GENERAL_READ_ATTRIBUTES_RESPONSE: u8 = 0x01;
pub const GENERAL_DEFAULT_RESPONSE: u8 = 0x0B;

/// Frame control bits (§5).
pub const FC_CLUSTER_SPECIFIC: u8 = 0x01;
pub const FC_SERVER_TO_CLIENT: u8 = 0x08;
pub const FC_DISABLE_DEFAULT_RESPONSE: u8 = 0x10;

/// One response component, before framing.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub cluster: u16,
    pub frame_control: u8,
    pub tsn: u8,
    pub command_id: u8,
    pub payload: Vec<u8>,
    pub encrypt: bool,
    /// The command failed (abort rule §5): later components get `FF 01`.
    pub failure: bool,
}

impl Answer {
    /// A Default Response to a command sent with frame control `command_fc`: general frame,
    /// opposite direction, payload `<command id> <status>`.
    pub fn default_response(cluster: u16, command_fc: u8, tsn: u8, command_id: u8, st: u8) -> Self {
        Answer {
            cluster,
            frame_control: (command_fc & FC_SERVER_TO_CLIENT) ^ FC_SERVER_TO_CLIENT,
            tsn,
            command_id: GENERAL_DEFAULT_RESPONSE,
            payload: vec![command_id, st],
            encrypt: false,
            failure: st != status::SUCCESS && st != status::NOT_FOUND,
        }
    }

    /// A cluster-specific server-to-client reply (the GSME's Publish* and *Response commands).
    pub fn server(cluster: u16, tsn: u8, command_id: u8, payload: Vec<u8>, encrypt: bool) -> Self {
        Answer {
            cluster,
            frame_control: FC_CLUSTER_SPECIFIC | FC_SERVER_TO_CLIENT | FC_DISABLE_DEFAULT_RESPONSE,
            tsn,
            command_id,
            payload,
            encrypt,
            failure: false,
        }
    }
}

/// Frames the answers as a GBZ payload: last-component bit on the final one, encrypted
/// components with the §6 additional header and their ordinal as frame counter.
pub fn assemble(
    answers: Vec<Answer>,
    encrypt: &mut dyn FnMut(&[u8]) -> CipheredBlock,
) -> GbzPayload {
    let count = answers.len();
    let mut encrypted_ordinal = 0u8;
    let components = answers
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let mut control = if i + 1 == count {
                ExtHeaderControl::LAST
            } else {
                0
            };
            let zcl = ZclHeader::new(a.cluster, a.frame_control, a.tsn, a.command_id);
            let payload = ZclPayload::decode(&a.payload, 0, a.cluster, &zcl);
            let body = if a.encrypt {
                control |= ExtHeaderControl::ENCRYPTED;
                let block = encrypt(&a.payload);
                let counter = encrypted_ordinal;
                encrypted_ordinal = encrypted_ordinal.wrapping_add(1);
                ComponentBody::Encrypted {
                    additional_header_control: 0,
                    additional_header_frame_counter: counter,
                    zcl,
                    block,
                    // The plaintext the block carries, for callers that inspect the answer;
                    // encoding uses the block only.
                    decrypted: Some(payload),
                }
            } else {
                ComponentBody::Plain { zcl, payload }
            };
            Component {
                control: ExtHeaderControl(control),
                cluster: ClusterId(a.cluster),
                from_date_time: None,
                body,
            }
        })
        .collect::<Vec<_>>();
    GbzPayload {
        profile_id: PROFILE_ID,
        // A payload has at most 255 components: a response mirrors its command's count.
        component_count: components.len().min(255) as u8,
        alert: None,
        components,
    }
}
