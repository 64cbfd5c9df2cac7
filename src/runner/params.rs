//! The typed parameters of the step vocabulary: each is a `cucumber::Parameter` (its regex
//! and name) that parses from the captured text with `FromStr`, and a parse error says what
//! was expected. Steps compose their patterns from these regexes and receive the parsed
//! values, so a step body never sees raw capture text.

use std::fmt;
use std::str::FromStr;

use cucumber::gherkin;
use cucumber::step::Context;

use crate::command::identities::{DeviceKind, Party, UnknownDevice, UnknownParty};
use crate::command::template::Tampering;

/// A remote party the scenario plays, as a feature names it (`import supplier`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, cucumber::Parameter)]
#[param(name = "party", regex = r"[A-Za-z][A-Za-z ]*?")]
pub struct RemoteParty(pub Party);

impl FromStr for RemoteParty {
    type Err = UnknownParty;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(RemoteParty)
    }
}

/// A device of the target, as a feature names it after "the" (`ESME`, `comms hub`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, cucumber::Parameter)]
#[param(name = "device", regex = r"[A-Za-z][A-Za-z -]*?")]
pub struct Device(pub DeviceKind);

impl FromStr for Device {
    type Err = UnknownDevice;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(Device)
    }
}

/// A use case as the RTDS folder spells it (`ECS17b`, `CS02bSupplierBySupplier`).
#[derive(Debug, Clone, PartialEq, Eq, cucumber::Parameter)]
#[param(name = "use_case", regex = r"[A-Za-z0-9-]+")]
pub struct UseCase(pub String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a use case name (letters, digits and '-', e.g. ECS17b)")]
pub struct BadUseCase(pub String);

impl FromStr for UseCase {
    type Err = BadUseCase;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if ok {
            Ok(UseCase(s.to_string()))
        } else {
            Err(BadUseCase(s.to_string()))
        }
    }
}

impl fmt::Display for UseCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a scenario does to a command on purpose, to see the device refuse it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, cucumber::Parameter)]
#[param(
    name = "tamper",
    regex = r"with a bad MAC|with a bad signature|unsigned|with a replayed counter"
)]
pub enum Tamper {
    BadMac,
    BadSignature,
    Unsigned,
    /// The genuine command, then the same bytes again.
    ReplayedCounter,
}

impl Tamper {
    const ALL: [Tamper; 4] = [
        Tamper::BadMac,
        Tamper::BadSignature,
        Tamper::Unsigned,
        Tamper::ReplayedCounter,
    ];

    pub fn phrase(self) -> &'static str {
        match self {
            Tamper::BadMac => "with a bad MAC",
            Tamper::BadSignature => "with a bad signature",
            Tamper::Unsigned => "unsigned",
            Tamper::ReplayedCounter => "with a replayed counter",
        }
    }

    /// Whether it acts on the signature, which only a critical command carries.
    pub fn needs_signature(self) -> bool {
        matches!(self, Tamper::BadSignature | Tamper::Unsigned)
    }
}

impl fmt::Display for Tamper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.phrase())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown tampering {0:?} (with a bad MAC, with a bad signature, unsigned, with a replayed counter)")]
pub struct UnknownTamper(pub String);

impl FromStr for Tamper {
    type Err = UnknownTamper;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Tamper::ALL
            .into_iter()
            .find(|t| t.phrase() == s.trim())
            .ok_or_else(|| UnknownTamper(s.to_string()))
    }
}

/// How the command builder tampers: a replayed counter is a genuine command sent twice, so
/// it builds untampered.
impl From<Option<Tamper>> for Tampering {
    fn from(t: Option<Tamper>) -> Self {
        Tampering {
            bad_mac: t == Some(Tamper::BadMac),
            bad_signature: t == Some(Tamper::BadSignature),
            unsigned: t == Some(Tamper::Unsigned),
        }
    }
}

/// An alert's message code as a feature writes it (`0x8F84`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, cucumber::Parameter)]
#[param(name = "alert_code", regex = r"0x[0-9A-Fa-f]{4}")]
pub struct AlertCode(pub u16);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a message code (0x and four hex digits, e.g. 0x8F84)")]
pub struct BadAlertCode(pub String);

impl FromStr for AlertCode {
    type Err = BadAlertCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.strip_prefix("0x")
            .filter(|h| h.len() == 4)
            .and_then(|h| u16::from_str_radix(h, 16).ok())
            .map(AlertCode)
            .ok_or_else(|| BadAlertCode(s.to_string()))
    }
}

impl fmt::Display for AlertCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:04X}", self.0)
    }
}

/// The `| key | value |` table a send step may carry (`vector`, `payload` in hex, `signed`
/// yes/no).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SendTable {
    pub vector: Option<String>,
    pub payload: Option<Vec<u8>>,
    pub signed: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TableError {
    #[error("table row payload: not hex: {0}")]
    NotHex(#[from] hex::FromHexError),
    #[error("unknown parameter {0:?} in the table (vector, payload, signed)")]
    UnknownKey(String),
}

impl SendTable {
    pub fn parse(table: Option<&gherkin::Table>) -> Result<Self, TableError> {
        let mut parsed = SendTable::default();
        let rows = table.map_or(&[][..], |t| &t.rows[..]);
        for row in rows.iter().filter(|r| r.len() >= 2) {
            let value = row[1].trim();
            match row[0].trim() {
                "vector" => {
                    parsed.vector.get_or_insert_with(|| value.to_string());
                }
                "payload" => parsed.payload = Some(hex::decode(value.replace(' ', ""))?),
                "signed" => parsed.signed = Some(value == "yes" || value == "true"),
                other => return Err(TableError::UnknownKey(other.to_string())),
            }
        }
        Ok(parsed)
    }
}

/// A step's captures that did not give the parameter the step needs.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParamError {
    #[error("the step pattern has no {name} parameter")]
    Missing { name: &'static str },
    #[error("{name}: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error(transparent)]
    Table(#[from] TableError),
}

/// The named captures of a matched step, parsed on demand into typed parameters.
pub struct Captures<'c>(&'c Context);

impl<'c> Captures<'c> {
    pub fn of(ctx: &'c Context) -> Self {
        Captures(ctx)
    }

    /// The step's data table, as a send step's parameters.
    pub fn send_table(&self) -> Result<SendTable, ParamError> {
        Ok(SendTable::parse(self.0.step.table.as_ref())?)
    }

    /// The text of a named group; an optional group that did not take part is absent.
    fn text(&self, name: &str) -> Option<&'c str> {
        self.0
            .matches
            .iter()
            .find(|(n, _)| n.as_deref() == Some(name))
            .map(|(_, v)| v.as_str())
    }

    /// A parameter the pattern always captures (it may be empty, as a field value may).
    pub fn required<T>(&self, name: &'static str) -> Result<T, ParamError>
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        let text = self.text(name).ok_or(ParamError::Missing { name })?;
        parse(name, text)
    }

    /// A parameter of an optional part of the pattern.
    pub fn optional<T>(&self, name: &'static str) -> Result<Option<T>, ParamError>
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        match self.text(name).filter(|t| !t.is_empty()) {
            None => Ok(None),
            Some(text) => parse(name, text).map(Some),
        }
    }
}

fn parse<T>(name: &'static str, text: &str) -> Result<T, ParamError>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    text.parse().map_err(|e: T::Err| ParamError::Invalid {
        name,
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cucumber::Parameter as _;

    #[test]
    fn parameters_parse_the_documented_words_and_name_what_they_expect() {
        assert_eq!(
            "gas transporter".parse::<RemoteParty>().unwrap(),
            RemoteParty(Party::NetworkOperator)
        );
        assert_eq!(
            "comms hub".parse::<Device>().unwrap(),
            Device(DeviceKind::CommsHub)
        );
        assert_eq!("0x8F84".parse::<AlertCode>().unwrap(), AlertCode(0x8F84));
        assert!("0x8F8".parse::<AlertCode>().is_err());
        let e = "toaster".parse::<Device>().unwrap_err().to_string();
        assert!(e.contains("ESME"), "{e}");
        for t in Tamper::ALL {
            assert_eq!(t.phrase().parse::<Tamper>().unwrap(), t);
            assert!(regex::Regex::new(&format!("^(?:{})$", Tamper::REGEX))
                .unwrap()
                .is_match(t.phrase()));
        }
        assert!("with a bad hat".parse::<Tamper>().is_err());
    }

    #[test]
    fn a_send_table_parses_its_rows_and_names_a_bad_one() {
        let table = |rows: &[[&str; 2]]| gherkin::Table {
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
            span: Default::default(),
            position: Default::default(),
        };
        let t = SendTable::parse(Some(&table(&[
            ["vector", "ECS17b_4.1.1_SINGLE_SUCCESS"],
            ["payload", "D920 0001"],
            ["signed", "yes"],
        ])))
        .unwrap();
        assert_eq!(t.vector.as_deref(), Some("ECS17b_4.1.1_SINGLE_SUCCESS"));
        assert_eq!(t.payload, Some(vec![0xD9, 0x20, 0x00, 0x01]));
        assert_eq!(t.signed, Some(true));
        assert_eq!(SendTable::parse(None).unwrap(), SendTable::default());
        let e = SendTable::parse(Some(&table(&[["colour", "blue"]]))).unwrap_err();
        assert_eq!(e, TableError::UnknownKey("colour".into()));
        assert!(SendTable::parse(Some(&table(&[["payload", "xyz"]]))).is_err());
    }

    #[test]
    fn tampering_is_one_of_the_kinds_never_several() {
        assert_eq!(Tampering::from(None), Tampering::default());
        assert_eq!(
            Tampering::from(Some(Tamper::ReplayedCounter)),
            Tampering::default()
        );
        let t = Tampering::from(Some(Tamper::Unsigned));
        assert!(t.unsigned && !t.bad_mac && !t.bad_signature);
    }
}
