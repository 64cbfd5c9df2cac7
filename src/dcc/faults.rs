//! Deliberate misbehaviour of the DCC emulator (`simulate --duis ... --duis-faults LIST`), like
//! the device simulator's fault profiles: each is one way a real DCC (or a broken test DCC)
//! can let a User's system down, switched on so the User's system can be shown to notice.
//!
//! `LIST` is comma-separated; each item is one of:
//!
//! - `e-code:<SRV>=<code>`: every request for service reference variant `SRV` that passes the
//!   checks is answered with `code` (e.g. `e-code:4.1.1=E20`) instead of being carried out.
//! - `late-response=<ms>`: asynchronous responses are delivered this late.
//! - `no-response`: requests are acknowledged (I99) but no asynchronous response ever comes.
//! - `bad-dcc-signature`: deliveries carry a DCC signature that does not verify.
//! - `unsigned-response`: deliveries carry no signature at all.
//! - `duplicate-delivery`: every asynchronous delivery is sent twice.
//! - `tampered-pre-command`: the pre-command of a CV 4 differs from the request (one payload
//!   byte changed); a User that checks before signing refuses it.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use crate::duis::codes::ResponseCode;

/// One line per fault profile, for `--list-faults` and the docs.
pub const FAULT_PROFILES: &[(&str, &str)] = &[
    (
        "e-code:<SRV>=<code>",
        "answer every otherwise valid request for SRV with this DUIS response code",
    ),
    (
        "late-response=<ms>",
        "deliver asynchronous responses this many milliseconds late",
    ),
    (
        "no-response",
        "acknowledge (I99) but never deliver the asynchronous response",
    ),
    (
        "bad-dcc-signature",
        "deliver responses whose DCC XML signature does not verify",
    ),
    (
        "unsigned-response",
        "deliver responses with no XML signature",
    ),
    (
        "duplicate-delivery",
        "deliver every asynchronous message twice",
    ),
    (
        "tampered-pre-command",
        "issue CV 4 pre-commands that differ from the request (one payload byte)",
    ),
];

/// The longest `late-response` accepted: ten minutes.
pub const MAX_LATE_RESPONSE: Duration = Duration::from_secs(600);

/// The fault profiles switched on for one emulator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DccFaults {
    /// Service reference variant → response code to answer with.
    pub e_codes: BTreeMap<String, ResponseCode>,
    pub late_response: Option<Duration>,
    pub no_response: bool,
    pub bad_dcc_signature: bool,
    pub unsigned_response: bool,
    pub duplicate_delivery: bool,
    pub tampered_pre_command: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FaultParseError {
    #[error("unknown DCC fault {0:?} (see --list-faults)")]
    Unknown(String),
    #[error("bad DCC fault {item:?}: {reason}")]
    Bad { item: String, reason: String },
}

impl DccFaults {
    pub fn none() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The code a fault imposes on requests for `srv`, if any.
    pub fn e_code(&self, srv: &str) -> Option<ResponseCode> {
        self.e_codes.get(srv).copied()
    }
}

impl FromStr for DccFaults {
    type Err = FaultParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut faults = DccFaults::default();
        for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let bad = |reason: &str| FaultParseError::Bad {
                item: item.to_string(),
                reason: reason.to_string(),
            };
            if let Some(rest) = item.strip_prefix("e-code:") {
                let (srv, code) = rest
                    .split_once('=')
                    .ok_or_else(|| bad("expected e-code:<SRV>=<code>"))?;
                let srv = srv.trim();
                let code = code.trim();
                let srv_ok = !srv.is_empty()
                    && srv.len() <= 16
                    && srv.chars().all(|c| c.is_ascii_digit() || c == '.');
                if !srv_ok {
                    return Err(bad("SRV must look like 4.1.1"));
                }
                let code: ResponseCode = code.parse().map_err(|_| {
                    bad("code must be a DUIS response code of the schema, like E20")
                })?;
                faults.e_codes.insert(srv.to_string(), code);
            } else if let Some(ms) = item.strip_prefix("late-response=") {
                let ms: u64 = ms
                    .trim()
                    .parse()
                    .map_err(|_| bad("expected late-response=<milliseconds>"))?;
                let d = Duration::from_millis(ms);
                if d > MAX_LATE_RESPONSE {
                    return Err(bad("at most 600000 ms"));
                }
                faults.late_response = Some(d);
            } else {
                match item {
                    "no-response" => faults.no_response = true,
                    "bad-dcc-signature" => faults.bad_dcc_signature = true,
                    "unsigned-response" => faults.unsigned_response = true,
                    "duplicate-delivery" => faults.duplicate_delivery = true,
                    "tampered-pre-command" => faults.tampered_pre_command = true,
                    _ => return Err(FaultParseError::Unknown(item.to_string())),
                }
            }
        }
        Ok(faults)
    }
}

impl fmt::Display for DccFaults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut items: Vec<String> = self
            .e_codes
            .iter()
            .map(|(srv, code)| format!("e-code:{srv}={code}"))
            .collect();
        if let Some(d) = self.late_response {
            items.push(format!("late-response={}", d.as_millis()));
        }
        for (on, name) in [
            (self.no_response, "no-response"),
            (self.bad_dcc_signature, "bad-dcc-signature"),
            (self.unsigned_response, "unsigned-response"),
            (self.duplicate_delivery, "duplicate-delivery"),
            (self.tampered_pre_command, "tampered-pre-command"),
        ] {
            if on {
                items.push(name.to_string());
            }
        }
        f.write_str(&items.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_profile_and_writes_it_back() {
        let text = "e-code:4.1.1=E20,late-response=250,no-response,bad-dcc-signature,\
                    unsigned-response,duplicate-delivery,tampered-pre-command";
        let f: DccFaults = text.parse().unwrap();
        assert_eq!(f.e_code("4.1.1"), Some(ResponseCode::E20));
        assert_eq!(f.late_response, Some(Duration::from_millis(250)));
        assert!(f.no_response && f.bad_dcc_signature && f.unsigned_response);
        assert!(f.duplicate_delivery && f.tampered_pre_command);
        assert_eq!(f.to_string().parse::<DccFaults>().unwrap(), f);
        assert!("".parse::<DccFaults>().unwrap().is_empty());
    }

    #[test]
    fn refuses_unknown_or_malformed_items() {
        for bad in [
            "sleepy",
            "e-code:4.1.1",
            "e-code:=E1",
            "e-code:4.1.1=X1",
            "e-code:4.1.1=E14",
            "late-response=soon",
            "late-response=99999999",
        ] {
            assert!(bad.parse::<DccFaults>().is_err(), "{bad}");
        }
    }
}
