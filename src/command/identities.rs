//! Who is who in a run: the devices of the target by kind, and the remote parties the harness
//! plays, by the names a feature uses for them.
//!
//! At the device a role is the remote party whose certificate signs or originates a command
//! (GBCS primer, framing §5): suppliers, network operators and the access control broker
//! originate; every other DCC user (export supplier, registered supplier agent, other user)
//! reaches a device through the ACB. So a feature's "export supplier" is played by the ACB,
//! and telling it apart from an other user is the DCC's check, not the device's.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::codec::enums::DeviceType;
use crate::codec::EntityId;
use crate::crypto::pki::defaults;
use crate::crypto::RemotePartyRole;

/// A kind of device a scenario addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeviceKind {
    Esme,
    /// The second ESME: the one an HCALCS switches (RTDS CS02g's load-controlled meter).
    LoadControlledEsme,
    Gsme,
    CommsHub,
    Gpf,
    Ppmid,
    Hcalcs,
}

impl DeviceKind {
    pub const ALL: [DeviceKind; 7] = [
        DeviceKind::Esme,
        DeviceKind::LoadControlledEsme,
        DeviceKind::Gsme,
        DeviceKind::CommsHub,
        DeviceKind::Gpf,
        DeviceKind::Ppmid,
        DeviceKind::Hcalcs,
    ];

    /// The tag and profile key: `esme`, `gsme`, `comms-hub`, ...
    pub fn tag(self) -> &'static str {
        match self {
            DeviceKind::Esme => "esme",
            DeviceKind::LoadControlledEsme => "load-controlled-esme",
            DeviceKind::Gsme => "gsme",
            DeviceKind::CommsHub => "comms-hub",
            DeviceKind::Gpf => "gpf",
            DeviceKind::Ppmid => "ppmid",
            DeviceKind::Hcalcs => "hcalcs",
        }
    }

    /// How a feature names it after "the": `ESME`, `comms hub`, ...
    pub fn phrase(self) -> &'static str {
        match self {
            DeviceKind::Esme => "ESME",
            DeviceKind::LoadControlledEsme => "load-controlled ESME",
            DeviceKind::Gsme => "GSME",
            DeviceKind::CommsHub => "comms hub",
            DeviceKind::Gpf => "GPF",
            DeviceKind::Ppmid => "PPMID",
            DeviceKind::Hcalcs => "HCALCS",
        }
    }
}

impl fmt::Display for DeviceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.phrase())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown device {0:?} (ESME, load-controlled ESME, GSME, comms hub, GPF, PPMID, HCALCS)")]
pub struct UnknownDevice(pub String);

impl DeviceKind {
    /// The GBCS device type of the lab device this kind names (a load-controlled ESME is an
    /// ESME on the wire).
    pub fn device_type(self) -> DeviceType {
        match self {
            DeviceKind::Esme | DeviceKind::LoadControlledEsme => DeviceType::Esme,
            DeviceKind::Gsme => DeviceType::Gsme,
            DeviceKind::CommsHub => DeviceType::CommsHub,
            DeviceKind::Gpf => DeviceType::Gpf,
            DeviceKind::Ppmid => DeviceType::Ppmid,
            DeviceKind::Hcalcs => DeviceType::Hcalcs,
        }
    }
}

/// Written as its tag (`esme`, `comms-hub`, ...), as profiles and vectors name it.
impl serde::Serialize for DeviceKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.tag())
    }
}

impl<'de> serde::Deserialize<'de> for DeviceKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl FromStr for DeviceKind {
    type Err = UnknownDevice;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let k = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Ok(match k.as_str() {
            "esme" | "electricity-meter" => DeviceKind::Esme,
            "load-controlled-esme" => DeviceKind::LoadControlledEsme,
            "gsme" | "gas-meter" => DeviceKind::Gsme,
            "comms-hub" | "chf" | "communications-hub" | "communications-hub-function" => {
                DeviceKind::CommsHub
            }
            "gpf" | "gas-proxy-function" => DeviceKind::Gpf,
            "ppmid" => DeviceKind::Ppmid,
            "hcalcs" => DeviceKind::Hcalcs,
            _ => return Err(UnknownDevice(s.to_string())),
        })
    }
}

/// A remote party a scenario acts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Party {
    ImportSupplier,
    GasSupplier,
    NetworkOperator,
    AccessControlBroker,
    Recovery,
    TransitionalCos,
    WanProvider,
    LoadController,
}

impl Party {
    pub const ALL: [Party; 8] = [
        Party::ImportSupplier,
        Party::GasSupplier,
        Party::NetworkOperator,
        Party::AccessControlBroker,
        Party::Recovery,
        Party::TransitionalCos,
        Party::WanProvider,
        Party::LoadController,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Party::ImportSupplier => "import-supplier",
            Party::GasSupplier => "gas-supplier",
            Party::NetworkOperator => "network-operator",
            Party::AccessControlBroker => "access-control-broker",
            Party::Recovery => "recovery",
            Party::TransitionalCos => "transitional-cos",
            Party::WanProvider => "wan-provider",
            Party::LoadController => "load-controller",
        }
    }

    pub fn phrase(self) -> &'static str {
        match self {
            Party::ImportSupplier => "import supplier",
            Party::GasSupplier => "gas supplier",
            Party::NetworkOperator => "network operator",
            Party::AccessControlBroker => "access control broker",
            Party::Recovery => "recovery party",
            Party::TransitionalCos => "transitional CoS party",
            Party::WanProvider => "WAN provider",
            Party::LoadController => "load controller",
        }
    }

    /// The role the device sees in this party's certificate.
    /// A DCC User that sends service requests over DUIS in the lab (the suppliers and the
    /// network operator); the other parties are the DCC's own roles, and the load controller
    /// has no DUIS identity in the lab's key stores.
    pub fn is_dcc_user(self) -> bool {
        matches!(
            self,
            Party::ImportSupplier | Party::GasSupplier | Party::NetworkOperator
        )
    }

    pub fn role(self) -> RemotePartyRole {
        match self {
            Party::ImportSupplier | Party::GasSupplier => RemotePartyRole::Supplier,
            Party::NetworkOperator => RemotePartyRole::NetworkOperator,
            Party::AccessControlBroker => RemotePartyRole::AccessControlBroker,
            Party::Recovery => RemotePartyRole::Recovery,
            Party::TransitionalCos => RemotePartyRole::TransitionalCos,
            Party::WanProvider => RemotePartyRole::WanProvider,
            Party::LoadController => RemotePartyRole::LoadController,
        }
    }
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.phrase())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown remote party {0:?} (import supplier, gas supplier, network operator, electricity distributor, gas transporter, access control broker, export supplier, registered supplier agent, other user, recovery party, transitional CoS party, WAN provider, load controller)")]
pub struct UnknownParty(pub String);

impl FromStr for Party {
    type Err = UnknownParty;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let k = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Ok(match k.as_str() {
            "import-supplier" | "supplier" | "electricity-supplier" => Party::ImportSupplier,
            "gas-supplier" => Party::GasSupplier,
            "network-operator" | "electricity-distributor" | "gas-transporter" => {
                Party::NetworkOperator
            }
            // DCC users without a device role of their own reach the device through the ACB.
            "access-control-broker"
            | "acb"
            | "export-supplier"
            | "registered-supplier-agent"
            | "other-user" => Party::AccessControlBroker,
            "recovery-party" | "recovery" => Party::Recovery,
            "transitional-cos-party" | "transitional-cos" => Party::TransitionalCos,
            "wan-provider" => Party::WanProvider,
            "load-controller" => Party::LoadController,
            _ => return Err(UnknownParty(s.to_string())),
        })
    }
}

/// The entity ids of a target's devices and of the remote parties the harness plays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identities {
    pub devices: BTreeMap<DeviceKind, EntityId>,
    pub parties: BTreeMap<Party, EntityId>,
    /// The ACB whose key MACs commands on their way to the device.
    pub acb: EntityId,
}

impl Identities {
    /// The built-in simulator's identities (the default test PKI).
    pub fn default_lab() -> Self {
        use defaults::*;
        Identities {
            devices: [
                (DeviceKind::Esme, ESME),
                (DeviceKind::LoadControlledEsme, LOAD_CONTROLLED_ESME),
                (DeviceKind::Gsme, GSME),
                (DeviceKind::CommsHub, COMMS_HUB),
                (DeviceKind::Gpf, GPF),
                (DeviceKind::Ppmid, PPMID),
                (DeviceKind::Hcalcs, HCALCS),
            ]
            .into_iter()
            .collect(),
            parties: [
                (Party::ImportSupplier, SUPPLIER),
                (Party::GasSupplier, GAS_SUPPLIER),
                (Party::NetworkOperator, NETWORK_OPERATOR),
                (Party::AccessControlBroker, ACCESS_CONTROL_BROKER),
                (Party::Recovery, RECOVERY),
                (Party::TransitionalCos, TRANSITIONAL_COS),
                (Party::WanProvider, WAN_PROVIDER),
                (Party::LoadController, LOAD_CONTROLLER),
            ]
            .into_iter()
            .collect(),
            acb: ACCESS_CONTROL_BROKER,
        }
    }

    pub fn party_of(&self, id: EntityId) -> Option<Party> {
        self.parties
            .iter()
            .find(|(_, v)| **v == id)
            .map(|(k, _)| *k)
    }

    pub fn device_of(&self, id: EntityId) -> Option<DeviceKind> {
        self.devices
            .iter()
            .find(|(_, v)| **v == id)
            .map(|(k, _)| *k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dcc_users_without_a_device_role_are_played_by_the_acb() {
        for user in ["export supplier", "registered supplier agent", "other user"] {
            assert_eq!(user.parse::<Party>().unwrap(), Party::AccessControlBroker);
        }
        assert_eq!(
            "gas transporter".parse::<Party>().unwrap(),
            Party::NetworkOperator
        );
        assert!("milkman".parse::<Party>().is_err());
    }

    #[test]
    fn every_default_identity_is_distinct() {
        let ids = Identities::default_lab();
        let mut all: Vec<EntityId> = ids
            .devices
            .values()
            .chain(ids.parties.values())
            .copied()
            .collect();
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n);
    }

    #[test]
    fn a_device_kind_is_its_tag_in_files_and_a_device_type_on_the_wire() {
        for kind in DeviceKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("{:?}", kind.tag()));
            assert_eq!(serde_json::from_str::<DeviceKind>(&json).unwrap(), kind);
        }
        assert_eq!(
            DeviceKind::LoadControlledEsme.device_type(),
            DeviceType::Esme
        );
        assert_eq!(DeviceKind::CommsHub.device_type(), DeviceType::CommsHub);
        assert!(serde_json::from_str::<DeviceKind>("\"toaster\"").is_err());
    }
}
