//! Deliberate non-conformance: each fault is one realistic defect a certification must catch,
//! switched on per run (`simulate --fault NAME`, `sim://?fault=NAME`) so the harness can prove
//! it detects it.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use crate::codec::dlms::{Data, DlmsBody};
use crate::codec::gbz::{ComponentBody, ZclPayload};
use crate::codec::payload::Payload;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fault {
    BadResponseMac,
    MissingResponseMac,
    BadResponseSignature,
    CounterNotEchoed,
    AcceptReplay,
    AcceptUnsignedCritical,
    AcceptOtherRecipient,
    AcceptUnauthorisedRole,
    WrongMessageCode,
    TruncatedResponse,
    MissingAlert,
    WrongRegisterValue,
    LateResponse,
}

impl Fault {
    pub const ALL: &'static [Fault] = &[
        Fault::BadResponseMac,
        Fault::MissingResponseMac,
        Fault::BadResponseSignature,
        Fault::CounterNotEchoed,
        Fault::AcceptReplay,
        Fault::AcceptUnsignedCritical,
        Fault::AcceptOtherRecipient,
        Fault::AcceptUnauthorisedRole,
        Fault::WrongMessageCode,
        Fault::TruncatedResponse,
        Fault::MissingAlert,
        Fault::WrongRegisterValue,
        Fault::LateResponse,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Fault::BadResponseMac => "bad-response-mac",
            Fault::MissingResponseMac => "missing-response-mac",
            Fault::BadResponseSignature => "bad-response-signature",
            Fault::CounterNotEchoed => "counter-not-echoed",
            Fault::AcceptReplay => "accept-replay",
            Fault::AcceptUnsignedCritical => "accept-unsigned-critical",
            Fault::AcceptOtherRecipient => "accept-other-recipient",
            Fault::AcceptUnauthorisedRole => "accept-unauthorised-role",
            Fault::WrongMessageCode => "wrong-message-code",
            Fault::TruncatedResponse => "truncated-response",
            Fault::MissingAlert => "missing-alert",
            Fault::WrongRegisterValue => "wrong-register-value",
            Fault::LateResponse => "late-response",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Fault::BadResponseMac => "MAC'd responses and alerts carry a MAC that does not verify",
            Fault::MissingResponseMac => {
                "non-critical responses are sent as a bare General Signing APDU, unprotected"
            }
            Fault::BadResponseSignature => {
                "signed responses and alerts carry a signature that does not verify"
            }
            Fault::CounterNotEchoed => "responses carry the command's counter plus one",
            Fault::AcceptReplay => "a command whose counter is not above the last one is executed",
            Fault::AcceptUnsignedCritical => {
                "a critical command without a valid signature is executed"
            }
            Fault::AcceptOtherRecipient => {
                "a command addressed to another device is executed and answered"
            }
            Fault::AcceptUnauthorisedRole => {
                "a command from a role not entitled to the use case is executed"
            }
            Fault::WrongMessageCode => "responses carry a message code other than the command's",
            Fault::TruncatedResponse => "response payloads are cut short (protection still valid)",
            Fault::MissingAlert => "alerts a command should trigger are never sent",
            Fault::WrongRegisterValue => {
                "the first numeric value read from the device is off by one"
            }
            Fault::LateResponse => {
                "responses are held past the WAN traffic model's response-time target"
            }
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown fault {0:?} (see `gbcs-harness simulate --list-faults`)")]
pub struct UnknownFault(pub String);

impl FromStr for Fault {
    type Err = UnknownFault;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Fault::ALL
            .iter()
            .copied()
            .find(|f| f.name() == s)
            .ok_or_else(|| UnknownFault(s.to_string()))
    }
}

/// The faults switched on for a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaultSet(BTreeSet<Fault>);

impl FaultSet {
    pub fn none() -> Self {
        FaultSet::default()
    }

    pub fn has(&self, fault: Fault) -> bool {
        self.0.contains(&fault)
    }

    pub fn insert(&mut self, fault: Fault) {
        self.0.insert(fault);
    }

    pub fn iter(&self) -> impl Iterator<Item = Fault> + '_ {
        self.0.iter().copied()
    }
}

impl FromIterator<Fault> for FaultSet {
    fn from_iter<I: IntoIterator<Item = Fault>>(iter: I) -> Self {
        FaultSet(iter.into_iter().collect())
    }
}

/// Adds one to the first number found (depth first), as a meter with a corrupted register
/// would report it. Returns whether anything changed.
pub fn bump_first_number(data: &mut Data) -> bool {
    match data {
        Data::DoubleLongUnsigned(v) => *v = v.wrapping_add(1),
        Data::DoubleLong(v) => *v = v.wrapping_add(1),
        Data::LongUnsigned(v) => *v = v.wrapping_add(1),
        Data::Long(v) => *v = v.wrapping_add(1),
        Data::Long64Unsigned(v) => *v = v.wrapping_add(1),
        Data::Long64(v) => *v = v.wrapping_add(1),
        Data::Unsigned(v) => *v = v.wrapping_add(1),
        Data::Array(items) | Data::Structure(items) => {
            return items.iter_mut().any(bump_first_number);
        }
        _ => return false,
    }
    true
}

/// Applies [`bump_first_number`] to the data a response carries in clear.
pub fn corrupt_reading(payload: &mut Payload) -> bool {
    match payload {
        Payload::Dlms(apdu) => match &mut apdu.body {
            DlmsBody::AccessResponse(r) => r.data.iter_mut().any(bump_first_number),
            DlmsBody::DataNotification(n) => bump_first_number(&mut n.body),
            DlmsBody::AccessRequest(_) => false,
        },
        Payload::Gbz(gbz) => gbz.components.iter_mut().any(|c| match &mut c.body {
            ComponentBody::Plain {
                payload: ZclPayload::ReadAttributesResponse { records, .. },
                ..
            } => records.iter_mut().any(|r| match &mut r.value {
                Some(crate::codec::gbz::types::Value::Uint { value, .. }) => {
                    *value = value.wrapping_add(1);
                    true
                }
                _ => false,
            }),
            _ => false,
        }),
        Payload::Asn1(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let names: BTreeSet<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(names.len(), Fault::ALL.len());
        for f in Fault::ALL {
            assert_eq!(f.name().parse::<Fault>().unwrap(), *f);
        }
        assert!("no-such-fault".parse::<Fault>().is_err());
    }

    #[test]
    fn corrupting_a_reading_changes_the_first_number() {
        let mut d = Data::Structure(vec![
            Data::OctetString(vec![1].into()),
            Data::DoubleLongUnsigned(10),
        ]);
        assert!(bump_first_number(&mut d));
        assert_eq!(
            d,
            Data::Structure(vec![
                Data::OctetString(vec![1].into()),
                Data::DoubleLongUnsigned(11)
            ])
        );
        assert!(!bump_first_number(&mut Data::Null));
    }
}
