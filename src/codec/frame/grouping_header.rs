//! The grouping header of a General Signing APDU: transaction id (CRA flag + originator
//! counter), originator and recipient entity ids, optional date-time, other-information.

use serde::Serialize;

use crate::codec::bytes::Bytes;
use crate::codec::error::DecodeResult;
use crate::codec::ids::{CraFlag, EntityId, MessageCode};
use crate::codec::length::{read_length, write_length};
use crate::codec::reader::Reader;

pub const TRANSACTION_ID_LEN: u8 = 9;
pub const SYSTEM_TITLE_LEN: u8 = 8;
pub const DATE_TIME_LEN: u8 = 12;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupingHeader {
    pub cra: CraFlag,
    pub counter: u64,
    pub originator: EntityId,
    pub recipient: EntityId,
    /// DLMS date-time (12 bytes), present only in some responses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_time: Option<DateTime12>,
    pub other_information: OtherInformation,
}

impl GroupingHeader {
    pub fn message_code(&self) -> Option<MessageCode> {
        self.other_information.message_code()
    }

    /// The 9-byte transaction id: CRA flag ‖ counter (also the KDF's mode ‖ counter).
    pub fn transaction_id(&self) -> [u8; 9] {
        let mut t = [0u8; 9];
        t[0] = self.cra.to_byte();
        t[1..].copy_from_slice(&self.counter.to_be_bytes());
        t
    }

    pub(super) fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        r.expect_u8(TRANSACTION_ID_LEN, "transaction-id length 0x09")?;
        let cra = CraFlag::from_byte(r.u8("CRA flag")?);
        let counter = r.u64_be("originator counter")?;
        r.expect_u8(SYSTEM_TITLE_LEN, "originator-system-title length 0x08")?;
        let originator = EntityId(r.array("originator-system-title")?);
        r.expect_u8(SYSTEM_TITLE_LEN, "recipient-system-title length 0x08")?;
        let recipient = EntityId(r.array("recipient-system-title")?);
        let date_time = match r.u8("date-time length (0x00 or 0x0C)")? {
            0 => None,
            DATE_TIME_LEN => Some(DateTime12(r.array("date-time")?)),
            found => {
                return Err(crate::codec::DecodeError::new(
                    r.offset() - 1,
                    crate::codec::DecodeErrorKind::UnexpectedByte {
                        expected: "date-time length (0x00 or 0x0C)",
                        found,
                    },
                ))
            }
        };
        let len = read_length(r, "other-information length")?;
        let mut oi = r.sub(len, "other-information")?;
        let other_information = OtherInformation::decode(&mut oi)?;
        Ok(GroupingHeader {
            cra,
            counter,
            originator,
            recipient,
            date_time,
            other_information,
        })
    }

    pub(super) fn encode(&self, out: &mut Vec<u8>) {
        out.push(TRANSACTION_ID_LEN);
        out.extend_from_slice(&self.transaction_id());
        out.push(SYSTEM_TITLE_LEN);
        out.extend_from_slice(self.originator.as_bytes());
        out.push(SYSTEM_TITLE_LEN);
        out.extend_from_slice(self.recipient.as_bytes());
        match &self.date_time {
            None => out.push(0),
            Some(dt) => {
                out.push(DATE_TIME_LEN);
                out.extend_from_slice(&dt.0);
            }
        }
        let mut oi = Vec::new();
        self.other_information.encode(&mut oi);
        write_length(out, oi.len());
        out.extend_from_slice(&oi);
    }
}

/// A 12-byte DLMS date-time as carried in the grouping header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime12(pub [u8; 12]);

impl Serialize for DateTime12 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let b = &self.0;
        let year = u16::from_be_bytes([b[0], b[1]]);
        let text = format!(
            "{year:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            b[2], b[3], b[5], b[6], b[7]
        );
        let mut st = s.serialize_struct("DateTime12", 3)?;
        st.serialize_field("text", &text)?;
        st.serialize_field("clock_status", &b[11])?;
        st.serialize_field("raw", &hex::encode_upper(b))?;
        st.end()
    }
}

/// Other-information: the message code, then forms distinguished by their length
/// (GBCS primer, framing §4.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum OtherInformation {
    /// 2 bytes: the message code alone.
    MessageCode { message_code: MessageCode },
    /// 10 bytes: code + supplementary remote party id.
    SupplementaryRemoteParty {
        message_code: MessageCode,
        supplementary_remote_party: EntityId,
    },
    /// 18 bytes: code + supplementary remote party id + its counter (ACB-originated commands).
    SupplementaryRemotePartyCounter {
        message_code: MessageCode,
        supplementary_remote_party: EntityId,
        supplementary_remote_party_counter: u64,
    },
    /// 26 bytes: the 18-byte form + supplementary originator counter.
    SupplementaryOriginatorCounter {
        message_code: MessageCode,
        supplementary_remote_party: EntityId,
        supplementary_remote_party_counter: u64,
        supplementary_originator_counter: u64,
    },
    /// More than 26 bytes: the 18-byte form + the supplementary party's DER certificate.
    SupplementaryCertificate {
        message_code: MessageCode,
        supplementary_remote_party: EntityId,
        supplementary_remote_party_counter: u64,
        certificate: Bytes,
    },
    /// Any other length: kept as it is.
    Unrecognised {
        #[serde(skip_serializing_if = "Option::is_none")]
        message_code: Option<MessageCode>,
        raw: Bytes,
    },
}

impl OtherInformation {
    pub fn message_code(&self) -> Option<MessageCode> {
        match self {
            OtherInformation::MessageCode { message_code }
            | OtherInformation::SupplementaryRemoteParty { message_code, .. }
            | OtherInformation::SupplementaryRemotePartyCounter { message_code, .. }
            | OtherInformation::SupplementaryOriginatorCounter { message_code, .. }
            | OtherInformation::SupplementaryCertificate { message_code, .. } => {
                Some(*message_code)
            }
            OtherInformation::Unrecognised { message_code, .. } => *message_code,
        }
    }

    pub fn supplementary_remote_party(&self) -> Option<EntityId> {
        match self {
            OtherInformation::SupplementaryRemoteParty {
                supplementary_remote_party,
                ..
            }
            | OtherInformation::SupplementaryRemotePartyCounter {
                supplementary_remote_party,
                ..
            }
            | OtherInformation::SupplementaryOriginatorCounter {
                supplementary_remote_party,
                ..
            }
            | OtherInformation::SupplementaryCertificate {
                supplementary_remote_party,
                ..
            } => Some(*supplementary_remote_party),
            _ => None,
        }
    }

    pub fn supplementary_originator_counter(&self) -> Option<u64> {
        match self {
            OtherInformation::SupplementaryOriginatorCounter {
                supplementary_originator_counter,
                ..
            } => Some(*supplementary_originator_counter),
            _ => None,
        }
    }

    /// Decodes the whole of `r` (the other-information field).
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let len = r.remaining();
        if !matches!(len, 2 | 10 | 18 | 26) && len <= 26 {
            let raw = r.rest();
            let message_code =
                (raw.len() >= 2).then(|| MessageCode(u16::from_be_bytes([raw[0], raw[1]])));
            return Ok(OtherInformation::Unrecognised {
                message_code,
                raw: raw.into(),
            });
        }
        let message_code = MessageCode(r.u16_be("message code")?);
        if len == 2 {
            return Ok(OtherInformation::MessageCode { message_code });
        }
        let supplementary_remote_party = EntityId(r.array("supplementary remote party id")?);
        if len == 10 {
            return Ok(OtherInformation::SupplementaryRemoteParty {
                message_code,
                supplementary_remote_party,
            });
        }
        let supplementary_remote_party_counter = r.u64_be("supplementary remote party counter")?;
        match len {
            18 => Ok(OtherInformation::SupplementaryRemotePartyCounter {
                message_code,
                supplementary_remote_party,
                supplementary_remote_party_counter,
            }),
            26 => Ok(OtherInformation::SupplementaryOriginatorCounter {
                message_code,
                supplementary_remote_party,
                supplementary_remote_party_counter,
                supplementary_originator_counter: r.u64_be("supplementary originator counter")?,
            }),
            _ => Ok(OtherInformation::SupplementaryCertificate {
                message_code,
                supplementary_remote_party,
                supplementary_remote_party_counter,
                certificate: r.rest().into(),
            }),
        }
    }

    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            OtherInformation::MessageCode { message_code } => {
                out.extend_from_slice(&message_code.0.to_be_bytes())
            }
            OtherInformation::SupplementaryRemoteParty {
                message_code,
                supplementary_remote_party,
            } => {
                out.extend_from_slice(&message_code.0.to_be_bytes());
                out.extend_from_slice(supplementary_remote_party.as_bytes());
            }
            OtherInformation::SupplementaryRemotePartyCounter {
                message_code,
                supplementary_remote_party,
                supplementary_remote_party_counter,
            } => {
                out.extend_from_slice(&message_code.0.to_be_bytes());
                out.extend_from_slice(supplementary_remote_party.as_bytes());
                out.extend_from_slice(&supplementary_remote_party_counter.to_be_bytes());
            }
            OtherInformation::SupplementaryOriginatorCounter {
                message_code,
                supplementary_remote_party,
                supplementary_remote_party_counter,
                supplementary_originator_counter,
            } => {
                out.extend_from_slice(&message_code.0.to_be_bytes());
                out.extend_from_slice(supplementary_remote_party.as_bytes());
                out.extend_from_slice(&supplementary_remote_party_counter.to_be_bytes());
                out.extend_from_slice(&supplementary_originator_counter.to_be_bytes());
            }
            OtherInformation::SupplementaryCertificate {
                message_code,
                supplementary_remote_party,
                supplementary_remote_party_counter,
                certificate,
            } => {
                out.extend_from_slice(&message_code.0.to_be_bytes());
                out.extend_from_slice(supplementary_remote_party.as_bytes());
                out.extend_from_slice(&supplementary_remote_party_counter.to_be_bytes());
                out.extend_from_slice(certificate.as_slice());
            }
            OtherInformation::Unrecognised { raw, .. } => out.extend_from_slice(raw.as_slice()),
        }
    }
}
