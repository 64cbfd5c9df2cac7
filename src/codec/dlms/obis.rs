//! OBIS codes: the six-byte logical names of COSEM objects, shown as `A-B:C.D.E.F`.

use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObisCode(pub [u8; 6]);

impl ObisCode {
    pub const fn new(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8) -> Self {
        ObisCode([a, b, c, d, e, f])
    }

    pub fn as_bytes(&self) -> &[u8; 6] {
        &self.0
    }
}

impl fmt::Display for ObisCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a}-{b}:{c}.{d}.{e}.{g}")
    }
}

impl fmt::Debug for ObisCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObisCode({self})")
    }
}

impl Serialize for ObisCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid OBIS code {0:?}: expected A-B:C.D.E.F with each part 0-255")]
pub struct ObisParseError(pub String);

impl FromStr for ObisCode {
    type Err = ObisParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ObisParseError(s.to_string());
        let (a, rest) = s.split_once('-').ok_or_else(err)?;
        let (b, rest) = rest.split_once(':').ok_or_else(err)?;
        let parts: Vec<&str> = [a, b].into_iter().chain(rest.split('.')).collect();
        if parts.len() != 6 {
            return Err(err());
        }
        let mut out = [0u8; 6];
        for (slot, part) in out.iter_mut().zip(parts) {
            *slot = part.parse().map_err(|_| err())?;
        }
        Ok(ObisCode(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_form_round_trips() {
        let o = ObisCode([0, 0, 94, 44, 34, 10]);
        assert_eq!(o.to_string(), "0-0:94.44.34.10");
        assert_eq!("0-0:94.44.34.10".parse::<ObisCode>().unwrap(), o);
        assert_eq!(
            serde_json::to_string(&ObisCode::new(1, 0, 2, 8, 0, 255)).unwrap(),
            "\"1-0:2.8.0.255\""
        );
        for bad in [
            "0-0:94.44.34",
            "0:0-1.2.3.4",
            "0-0:256.1.1.1",
            "0-0:1.2.3.4.5",
        ] {
            assert!(bad.parse::<ObisCode>().is_err(), "{bad}");
        }
    }
}
