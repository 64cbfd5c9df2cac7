//! A DUIS `RequestID`: `originator:target:counter`, each EUI-64 written as 8 hex octets joined
//! by `-` (`90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1000`), the counter a decimal
//! 0…2^64−1 without leading zeros, as the schema's `RequestIDType` pattern says.
//!
//! Reading is strict: exactly three fields, 8 octets of exactly 2 hex digits each (either case,
//! as the schema allows), a counter of digits only with no sign, no leading zero and no
//! overflow. Writing is upper-case. A response's `ResponseID` is the same triple with the
//! parties swapped ([`RequestId::response_id`]).

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::codec::ids::EntityId;

/// Longest text accepted: two EUIs of 23 characters, two colons, 20 digits.
pub const MAX_REQUEST_ID_LEN: usize = 23 + 1 + 23 + 1 + 20;

/// Identifies a DUIS request: who sent it, which device (or the DCC) it is for, and the
/// originator's counter, which must increase strictly per originator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId {
    /// The User that sent the request (its EUI-64).
    pub originator: EntityId,
    /// The device, or the DCC (`90-B3-D5-1F-30-00-00-02`) for a non-device request.
    pub target: EntityId,
    /// The originator's counter.
    pub counter: u64,
}

/// Why a text is not a `RequestID`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestIdError {
    #[error("request id is {len} characters long, more than the {max} a request id can have")]
    TooLong { len: usize, max: usize },
    #[error(
        "request id {text:?} has {found} ':'-separated fields, not 3 (originator:target:counter)"
    )]
    Fields { text: String, found: usize },
    #[error("{field} {text:?} is not an EUI-64 of 8 hex octets joined by '-': {reason}")]
    Eui {
        field: &'static str,
        text: String,
        reason: &'static str,
    },
    #[error("counter {text:?} is not a decimal number from 0 to 18446744073709551615: {reason}")]
    Counter { text: String, reason: &'static str },
}

/// Parses an EUI-64 written as 8 hex octets joined by `-` (either case).
pub fn parse_eui(field: &'static str, text: &str) -> Result<EntityId, RequestIdError> {
    let fail = |reason| RequestIdError::Eui {
        field,
        text: text.chars().take(64).collect(),
        reason,
    };
    let mut out = [0u8; 8];
    let mut parts = text.split('-');
    for byte in out.iter_mut() {
        let part = parts.next().ok_or_else(|| fail("fewer than 8 octets"))?;
        if part.len() != 2 || !part.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(fail("an octet is not exactly 2 hex digits"));
        }
        *byte = u8::from_str_radix(part, 16).map_err(|_| fail("bad hex"))?;
    }
    if parts.next().is_some() {
        return Err(fail("more than 8 octets"));
    }
    Ok(EntityId(out))
}

/// Writes an EUI-64 as DUIS does: 8 upper-case hex octets joined by `-`.
pub fn format_eui(eui: &EntityId) -> String {
    let mut s = String::with_capacity(23);
    for (i, b) in eui.0.iter().enumerate() {
        if i > 0 {
            s.push('-');
        }
        s.push_str(&format!("{b:02X}"));
    }
    s
}

fn parse_counter(text: &str) -> Result<u64, RequestIdError> {
    let fail = |reason| RequestIdError::Counter {
        text: text.chars().take(32).collect(),
        reason,
    };
    if text.is_empty() {
        return Err(fail("empty"));
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(fail("not only digits"));
    }
    if text.len() > 1 && text.starts_with('0') {
        return Err(fail("leading zero"));
    }
    text.parse::<u64>().map_err(|_| fail("too large"))
}

impl RequestId {
    pub fn new(originator: EntityId, target: EntityId, counter: u64) -> RequestId {
        RequestId {
            originator,
            target,
            counter,
        }
    }

    /// The `ResponseID` of a response to this request: `target:originator:counter`.
    pub fn response_id(&self) -> RequestId {
        RequestId {
            originator: self.target,
            target: self.originator,
            counter: self.counter,
        }
    }

    /// The same request id with another counter.
    pub fn with_counter(&self, counter: u64) -> RequestId {
        RequestId { counter, ..*self }
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            format_eui(&self.originator),
            format_eui(&self.target),
            self.counter
        )
    }
}

impl FromStr for RequestId {
    type Err = RequestIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() > MAX_REQUEST_ID_LEN {
            return Err(RequestIdError::TooLong {
                len: s.len(),
                max: MAX_REQUEST_ID_LEN,
            });
        }
        let fields: Vec<&str> = s.split(':').collect();
        if fields.len() != 3 {
            return Err(RequestIdError::Fields {
                text: s.to_string(),
                found: fields.len(),
            });
        }
        Ok(RequestId {
            originator: parse_eui("originator", fields[0])?,
            target: parse_eui("target", fields[1])?,
            counter: parse_counter(fields[2])?,
        })
    }
}

impl Serialize for RequestId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1000";

    #[test]
    fn round_trips_and_swaps_for_the_response() {
        let id: RequestId = TEXT.parse().unwrap();
        assert_eq!(
            id.originator,
            EntityId([0x90, 0xB3, 0xD5, 0x1F, 0x30, 0x01, 0, 0])
        );
        assert_eq!(id.counter, 1000);
        assert_eq!(id.to_string(), TEXT);
        assert_eq!(
            id.response_id().to_string(),
            "00-DB-12-34-56-78-90-A0:90-B3-D5-1F-30-01-00-00:1000"
        );
        let lower: RequestId = TEXT.to_lowercase().parse().unwrap();
        assert_eq!(lower, id);
        let max = format!("{}:{}", &TEXT[..47], u64::MAX);
        assert_eq!(max.parse::<RequestId>().unwrap().counter, u64::MAX);
        assert_eq!(max.parse::<RequestId>().unwrap().to_string(), max);
    }

    #[test]
    fn refuses_every_malformed_form() {
        let bad = [
            "",
            "90-B3-D5-1F-30-01-00-00:00-07-81-D7-00-00-36-CE::1000",
            "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0",
            "90B3D51F30010000:00-DB-12-34-56-78-90-A0:1",
            "90-B3-D5-1F-30-01-00:00-DB-12-34-56-78-90-A0:1",
            "90-B3-D5-1F-30-01-00-00-00:00-DB-12-34-56-78-90-A0:1",
            "90-B3-D5-1F-30-01-00-0G:00-DB-12-34-56-78-90-A0:1",
            "90-B3-D5-1F-30-01-00-000:00-DB-12-34-56-78-90-A0:1",
            "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:01",
            "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:+1",
            "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:-1",
            "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0: 1",
            "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:18446744073709551616",
            "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:99999999999999999999999",
        ];
        for b in bad {
            assert!(b.parse::<RequestId>().is_err(), "{b:?} accepted");
        }
        assert!(matches!(
            "a:b:c:d".parse::<RequestId>(),
            Err(RequestIdError::Fields { found: 4, .. })
        ));
        assert!(matches!(
            "x".repeat(1000).parse::<RequestId>(),
            Err(RequestIdError::TooLong { .. })
        ));
    }
}
