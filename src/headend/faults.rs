//! The reference head-end's fault modes (`head-end --fault NAME`, repeatable): each is one real
//! way a DCC User's system goes wrong, switched on alone so a head-end suite can be shown to
//! catch it. Each changes one behaviour and nothing else.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// One fault mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fault {
    /// Requests go without an XML signature.
    UnsignedRequest,
    /// Every request reuses the previous request's counter.
    CounterReused,
    /// Critical services are sent as command variant 1 instead of 4.
    WrongCommandVariant,
    /// Whatever pre-command comes back is signed, unchecked.
    SignsTamperedPreCommand,
    /// The RequestID's originator is not the User whose key signs.
    WrongOriginator,
    /// One parameter value of the body differs from the template's.
    WrongBody,
    /// Deliveries whose signature is missing or does not verify are accepted.
    AcceptsBadSignature,
    /// Deliveries that are not XML, carry a DOCTYPE or are not valid DUIS are accepted.
    AcceptsGarbage,
    /// A response to a RequestID never sent is accepted.
    AcceptsUnknownRequest,
    /// Alerts are answered 500 and not recorded.
    DropsAlerts,
    /// A duplicate delivery is recorded as a new inbox entry.
    CountsDuplicates,
}

impl Fault {
    pub const ALL: [Fault; 11] = [
        Fault::UnsignedRequest,
        Fault::CounterReused,
        Fault::WrongCommandVariant,
        Fault::SignsTamperedPreCommand,
        Fault::WrongOriginator,
        Fault::WrongBody,
        Fault::AcceptsBadSignature,
        Fault::AcceptsGarbage,
        Fault::AcceptsUnknownRequest,
        Fault::DropsAlerts,
        Fault::CountsDuplicates,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Fault::UnsignedRequest => "unsigned-request",
            Fault::CounterReused => "counter-reused",
            Fault::WrongCommandVariant => "wrong-command-variant",
            Fault::SignsTamperedPreCommand => "signs-tampered-pre-command",
            Fault::WrongOriginator => "wrong-originator",
            Fault::WrongBody => "wrong-body",
            Fault::AcceptsBadSignature => "accepts-bad-signature",
            Fault::AcceptsGarbage => "accepts-garbage",
            Fault::AcceptsUnknownRequest => "accepts-unknown-request",
            Fault::DropsAlerts => "drops-alerts",
            Fault::CountsDuplicates => "counts-duplicates",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Fault::UnsignedRequest => "send service requests without an XML signature",
            Fault::CounterReused => "reuse the previous request's RequestID counter",
            Fault::WrongCommandVariant => {
                "send critical services as command variant 1 instead of 4"
            }
            Fault::SignsTamperedPreCommand => {
                "sign whatever pre-command the DCC returns, without checking it"
            }
            Fault::WrongOriginator => {
                "put another EUI than the signing User's as the RequestID originator"
            }
            Fault::WrongBody => {
                "change one parameter value of the request body from the template's"
            }
            Fault::AcceptsBadSignature => {
                "answer 200 to deliveries whose XML signature is missing or does not verify"
            }
            Fault::AcceptsGarbage => {
                "answer 200 to deliveries that are not XML (content type or body), carry a DOCTYPE (XXE) or are not valid DUIS"
            }
            Fault::AcceptsUnknownRequest => {
                "answer 200 to a response for a RequestID this head-end never sent"
            }
            Fault::DropsAlerts => "answer 500 to device and DCC alerts and do not record them",
            Fault::CountsDuplicates => "record a duplicate delivery as a new inbox entry",
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown head-end fault {0:?} (see head-end --list-faults)")]
pub struct UnknownFault(pub String);

impl FromStr for Fault {
    type Err = UnknownFault;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Fault::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| UnknownFault(s.chars().take(64).collect()))
    }
}

/// The fault modes switched on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults(BTreeSet<Fault>);

impl Faults {
    pub fn none() -> Faults {
        Faults::default()
    }

    pub fn has(&self, fault: Fault) -> bool {
        self.0.contains(&fault)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<Fault> for Faults {
    fn from_iter<I: IntoIterator<Item = Fault>>(iter: I) -> Self {
        Faults(iter.into_iter().collect())
    }
}

impl fmt::Display for Faults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.0.iter().map(|x| x.name()).collect();
        f.write_str(&names.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fault_parses_by_its_name_and_nothing_else_does() {
        for f in Fault::ALL {
            assert_eq!(f.name().parse::<Fault>().unwrap(), f);
            assert!(!f.description().contains('\n'));
        }
        let names: BTreeSet<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(names.len(), Fault::ALL.len());
        assert!("sleepy".parse::<Fault>().is_err());
        assert!("".parse::<Fault>().is_err());
        let set: Faults = [Fault::DropsAlerts, Fault::WrongBody].into_iter().collect();
        assert_eq!(set.to_string(), "wrong-body,drops-alerts");
        assert!(set.has(Fault::WrongBody) && !set.has(Fault::CountsDuplicates));
    }
}
