//! Identifiers of GBCS: the grouping header's entity ids, message codes and CRA flags, and the
//! device types of the deviceType enumeration.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An EUI-64 entity identifier (device or remote party system title).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityId(pub [u8; 8]);

impl EntityId {
    pub fn as_bytes(&self) -> &[u8; 8] {
        &self.0
    }
    pub fn as_u64(&self) -> u64 {
        u64::from_be_bytes(self.0)
    }
}

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", hex::encode_upper(self.0))
    }
}

impl fmt::Debug for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EntityId({self})")
    }
}

impl Serialize for EntityId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for EntityId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid entity id {0:?}: expected 16 hex digits (dashes allowed)")]
pub struct EntityIdParseError(pub String);

impl FromStr for EntityId {
    type Err = EntityIdParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let cleaned: String = s.chars().filter(|c| *c != '-' && *c != ':').collect();
        let bytes = hex::decode(&cleaned).map_err(|_| EntityIdParseError(s.to_string()))?;
        let arr: [u8; 8] = bytes
            .try_into()
            .map_err(|_| EntityIdParseError(s.to_string()))?;
        Ok(EntityId(arr))
    }
}

/// A GBCS message code (first two bytes of other-information).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MessageCode(pub u16);

impl fmt::Display for MessageCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:04X}", self.0)
    }
}

impl fmt::Debug for MessageCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MessageCode({self})")
    }
}

impl Serialize for MessageCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for MessageCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl FromStr for MessageCode {
    type Err = String;
    /// `0x00A1`, `00A1` or `0xa1`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits = s.trim().trim_start_matches("0x").trim_start_matches("0X");
        u16::from_str_radix(digits, 16)
            .map(MessageCode)
            .map_err(|_| format!("invalid message code {s:?}: expected hex such as 0x0052"))
    }
}

/// Command / response / alert flag: the first byte of the transaction id.
///
/// The same byte position carries `04` in the key-derivation input of encrypted payloads;
/// any other value is kept as `Other` so nothing is lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CraFlag {
    Command,
    Response,
    Alert,
    Other(u8),
}

impl CraFlag {
    pub fn from_byte(b: u8) -> Self {
        match b {
            1 => CraFlag::Command,
            2 => CraFlag::Response,
            3 => CraFlag::Alert,
            other => CraFlag::Other(other),
        }
    }

    pub fn to_byte(self) -> u8 {
        match self {
            CraFlag::Command => 1,
            CraFlag::Response => 2,
            CraFlag::Alert => 3,
            CraFlag::Other(b) => b,
        }
    }
}
