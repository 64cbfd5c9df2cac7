//! The commands a scenario sends: a [`CommandTemplate`] is what a use case says (its
//! message code, other-information form and payload), and [`CommandTemplate::build`] turns it
//! into a frame from one remote party to one device, with a fresh counter, signed when the
//! use case is critical and MAC'd as every command is.

use serde::{Deserialize, Serialize};

use crate::codec::bytes::Bytes;
use crate::codec::frame::{
    DateTime12, Frame, GeneralSigning, GroupingHeader, OtherInformation, SignatureField,
};
use crate::codec::{CraFlag, EntityId, MessageCode};
use crate::crypto::protect::{self, ProtectError};
use crate::crypto::{CryptoError, KeyStore};

/// A use case's command with its identities and counter left open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandTemplate {
    pub message_code: MessageCode,
    /// Other-information beyond the message code (supplementary remote party, its counter,
    /// its certificate), as the use case needs it.
    pub other_information: OtherInformationTemplate,
    /// The payload (DLMS, GBZ or DER), as the device is to receive it.
    pub payload: Bytes,
    /// Critical commands carry the originator's signature.
    pub signed: bool,
}

/// The other-information forms a command can carry; the remote party and counter fields of a
/// supplementary party are filled when the command is built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum OtherInformationTemplate {
    MessageCode,
    SupplementaryRemoteParty {
        party: EntityId,
    },
    SupplementaryRemotePartyCounter {
        party: EntityId,
        counter: u64,
    },
    SupplementaryOriginatorCounter {
        party: EntityId,
        counter: u64,
        originator_counter: u64,
    },
    SupplementaryCertificate {
        party: EntityId,
        counter: u64,
        certificate: Bytes,
    },
}

/// Who sends a command to whom, with which counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Addressing {
    pub originator: EntityId,
    pub recipient: EntityId,
    pub counter: u64,
}

/// What a scenario may do to a command on purpose, to see the device refuse it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tampering {
    /// Flip one bit of the MAC after computing it.
    pub bad_mac: bool,
    /// Flip one bit of the signature after computing it.
    pub bad_signature: bool,
    /// Send a critical command with a null signature.
    pub unsigned: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("cannot sign as {originator}: {source}")]
    Sign {
        originator: EntityId,
        source: CryptoError,
    },
    #[error("cannot MAC the command: {0}")]
    Mac(#[from] ProtectError),
}

impl CommandTemplate {
    /// The template of a recorded command frame (its identities and counter are replaced
    /// when it is built again).
    pub fn from_frame(frame: &Frame) -> Option<Self> {
        let gs = &frame.general_signing;
        let message_code = gs.header.message_code()?;
        let other_information = match &gs.header.other_information {
            OtherInformation::MessageCode { .. } => OtherInformationTemplate::MessageCode,
            OtherInformation::SupplementaryRemoteParty {
                supplementary_remote_party,
                ..
            } => OtherInformationTemplate::SupplementaryRemoteParty {
                party: *supplementary_remote_party,
            },
            OtherInformation::SupplementaryRemotePartyCounter {
                supplementary_remote_party,
                supplementary_remote_party_counter,
                ..
            } => OtherInformationTemplate::SupplementaryRemotePartyCounter {
                party: *supplementary_remote_party,
                counter: *supplementary_remote_party_counter,
            },
            OtherInformation::SupplementaryOriginatorCounter {
                supplementary_remote_party,
                supplementary_remote_party_counter,
                supplementary_originator_counter,
                ..
            } => OtherInformationTemplate::SupplementaryOriginatorCounter {
                party: *supplementary_remote_party,
                counter: *supplementary_remote_party_counter,
                originator_counter: *supplementary_originator_counter,
            },
            OtherInformation::SupplementaryCertificate {
                supplementary_remote_party,
                supplementary_remote_party_counter,
                certificate,
                ..
            } => OtherInformationTemplate::SupplementaryCertificate {
                party: *supplementary_remote_party,
                counter: *supplementary_remote_party_counter,
                certificate: certificate.clone(),
            },
            OtherInformation::Unrecognised { .. } => return None,
        };
        Some(CommandTemplate {
            message_code,
            other_information,
            payload: gs.content.clone(),
            signed: matches!(gs.signature, SignatureField::Present(_)),
        })
    }

    /// Replaces every entity id the template mentions (in other-information and, byte for
    /// byte, in the payload: joins, whitelists and device logs name devices by EUI-64).
    pub fn readdress(&mut self, map: &[(EntityId, EntityId)]) {
        let swap = |id: &mut EntityId| {
            if let Some((_, to)) = map.iter().find(|(from, _)| from == id) {
                *id = *to;
            }
        };
        match &mut self.other_information {
            OtherInformationTemplate::MessageCode => {}
            OtherInformationTemplate::SupplementaryRemoteParty { party }
            | OtherInformationTemplate::SupplementaryRemotePartyCounter { party, .. }
            | OtherInformationTemplate::SupplementaryOriginatorCounter { party, .. }
            | OtherInformationTemplate::SupplementaryCertificate { party, .. } => swap(party),
        }
        let mut payload = self.payload.as_slice().to_vec();
        for (from, to) in map {
            replace_all(&mut payload, &from.0, &to.0);
        }
        self.payload = payload.into();
    }

    /// The supplementary remote party the command names, if any.
    pub fn supplementary_party(&self) -> Option<EntityId> {
        match &self.other_information {
            OtherInformationTemplate::MessageCode => None,
            OtherInformationTemplate::SupplementaryRemoteParty { party }
            | OtherInformationTemplate::SupplementaryRemotePartyCounter { party, .. }
            | OtherInformationTemplate::SupplementaryOriginatorCounter { party, .. }
            | OtherInformationTemplate::SupplementaryCertificate { party, .. } => Some(*party),
        }
    }

    /// The General Signing APDU, unprotected: the counter goes into the transaction id and,
    /// for DLMS payloads, into the low 24 bits of the long-invoke-id, as devices echo it.
    pub fn general_signing(&self, to: Addressing) -> GeneralSigning {
        let message_code = self.message_code;
        let other_information = match &self.other_information {
            OtherInformationTemplate::MessageCode => OtherInformation::MessageCode { message_code },
            OtherInformationTemplate::SupplementaryRemoteParty { party } => {
                OtherInformation::SupplementaryRemoteParty {
                    message_code,
                    supplementary_remote_party: *party,
                }
            }
            OtherInformationTemplate::SupplementaryRemotePartyCounter { party, counter } => {
                OtherInformation::SupplementaryRemotePartyCounter {
                    message_code,
                    supplementary_remote_party: *party,
                    supplementary_remote_party_counter: *counter,
                }
            }
            OtherInformationTemplate::SupplementaryOriginatorCounter {
                party,
                counter,
                originator_counter,
            } => OtherInformation::SupplementaryOriginatorCounter {
                message_code,
                supplementary_remote_party: *party,
                supplementary_remote_party_counter: *counter,
                supplementary_originator_counter: *originator_counter,
            },
            OtherInformationTemplate::SupplementaryCertificate {
                party,
                counter,
                certificate,
            } => OtherInformation::SupplementaryCertificate {
                message_code,
                supplementary_remote_party: *party,
                supplementary_remote_party_counter: *counter,
                certificate: certificate.clone(),
            },
        };
        let mut payload = self.payload.as_slice().to_vec();
        if payload.len() >= 5 && payload[0] == DLMS_ACCESS_REQUEST {
            let low = crate::codec::dlms::invoke_id_from_counter(to.counter).to_be_bytes();
            payload[2..5].copy_from_slice(&low[1..]);
        }
        GeneralSigning {
            header: GroupingHeader {
                cra: CraFlag::Command,
                counter: to.counter,
                originator: to.originator,
                recipient: to.recipient,
                date_time: None::<DateTime12>,
                other_information,
            },
            content: payload.into(),
            content_offset: 0,
            signature: SignatureField::Null,
        }
    }

    /// The protected frame: signed if critical (unless `tamper.unsigned`), MAC'd with the
    /// key pair the recipient will use (through the ACB when `acb` is given).
    pub fn build(
        &self,
        to: Addressing,
        keys: &KeyStore,
        acb: Option<EntityId>,
        tamper: Tampering,
    ) -> Result<Vec<u8>, BuildError> {
        let mut gs = self.general_signing(to);
        if self.signed && !tamper.unsigned {
            protect::sign(keys, &mut gs).map_err(|source| BuildError::Sign {
                originator: to.originator,
                source,
            })?;
            if tamper.bad_signature {
                if let SignatureField::Present(sig) = &gs.signature {
                    let mut sig = sig.as_slice().to_vec();
                    sig[10] ^= 0x01;
                    gs.signature = SignatureField::Present(sig.into());
                }
            }
        }
        let mut frame = protect::wrap_with_mac(keys, acb, gs)?.encode();
        if tamper.bad_mac {
            // The MAC is the last 12 bytes of a General Ciphering frame.
            let n = frame.len();
            frame[n - 1] ^= 0x01;
        }
        Ok(frame)
    }
}

/// The xDLMS access-request tag: its long-invoke-id follows.
const DLMS_ACCESS_REQUEST: u8 = 0xD9;

fn replace_all(haystack: &mut [u8], from: &[u8], to: &[u8]) {
    debug_assert_eq!(from.len(), to.len());
    if from.is_empty() || haystack.len() < from.len() {
        return;
    }
    let mut i = 0;
    while i + from.len() <= haystack.len() {
        if &haystack[i..i + from.len()] == from {
            haystack[i..i + from.len()].copy_from_slice(to);
            i += from.len();
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_every_occurrence_without_overlap() {
        let mut b = vec![1, 2, 1, 2, 1, 9];
        replace_all(&mut b, &[1, 2], &[7, 7]);
        assert_eq!(b, vec![7, 7, 7, 7, 1, 9]);
    }
}
