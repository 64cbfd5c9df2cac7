//! What the target implements (like a PICS statement): device types and optional functions.
//! A scenario tagged for a device type the target lacks, or `@needs-<function>` for a
//! function it lacks, is reported as not applicable — never as passed.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::command::identities::DeviceKind;

/// The target scheme of a head-end run (`head-end:NAME`): the harness plays the DCC, and
/// no device is under test.
pub const HEAD_END_SCHEME: &str = "head-end:";

/// Optional functions scenarios may need, with what each means.
pub const FUNCTIONS: &[(&str, &str)] = &[
    (
        "prepayment",
        "prepayment mode, credit and debt (ECS/GCS prepayment use cases)",
    ),
    (
        "twin-element",
        "a twin-element electricity meter (RTDS _TWIN_ variants)",
    ),
    (
        "device-state-errors",
        "a way to put the device into the failing state an RTDS _ERROR_/NOT_FOUND variant recorded",
    ),
    (
        "device-history",
        "the device history a recording presupposes (GCS15c: billing snapshots later than the RTDS clock)",
    ),
    (
        "device-events",
        "a way to make the device raise an event alert (billing calendar, tamper, supply events)",
    ),
    (
        "recordings",
        "recorded exchanges to replay (a replay:DIR target and a profile naming the recordings)",
    ),
    (
        "direct-gbcs",
        "the harness's own GBCS frames reach the device as built: tampered, replayed or misaddressed commands, and commands of the DCC's own roles (every target but a DCC reached over DUIS, which builds and protects each command itself; implied by the target)",
    ),
    (
        "head-end",
        "a head-end (DCC User system) under test, driven through the profile's [head_end] trigger while the harness plays the DCC",
    ),
    (
        "head-end-inbox",
        "the head-end tells what it received ([head_end] inbox): responses matched to requests, duplicates, alerts",
    ),
    (
        "user-IS",
        "a head-end User in the import supplier role",
    ),
    (
        "user-GS",
        "a head-end User in the gas supplier role",
    ),
    (
        "user-ED",
        "a head-end User in the electricity network operator role",
    ),
    (
        "user-GT",
        "a head-end User in the gas transporter role",
    ),
    (
        "user-ES",
        "a head-end User in the export supplier role",
    ),
    (
        "user-RSA",
        "a head-end User in the registered supplier agent role",
    ),
    (
        "user-OU",
        "a head-end User in the other user role",
    ),
    (
        "han-originated-commands",
        "commands a HAN device (PPMID) originates to a meter, MAC'd with a device-to-device key",
    ),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    /// Device-type tags (`esme`, `gsme`, `comms-hub`, ...).
    pub devices: BTreeSet<String>,
    /// Optional-function names from [`FUNCTIONS`].
    pub functions: BTreeSet<String>,
}

impl Capabilities {
    /// The built-in simulator: every device type, prepayment; a single-element ESME, no
    /// failure injection, no HAN-originated commands.
    pub fn default_lab() -> Self {
        Capabilities {
            devices: DeviceKind::ALL
                .iter()
                .map(|d| d.tag().to_string())
                .collect(),
            functions: ["prepayment"].iter().map(|s| s.to_string()).collect(),
        }
    }

    /// What a target offers without a profile: the default lab, and for `sim://` and
    /// `reference:` (which have their own state channel and twin-element meter) the
    /// device-state errors and twin-element variants too.
    pub fn for_target(url: &str) -> Self {
        let mut caps = Self::default_lab();
        if url.starts_with("sim://") || url.starts_with("reference:") {
            caps.functions.insert("device-state-errors".into());
            caps.functions.insert("twin-element".into());
        }
        // The recorded device has its own history.
        if url.starts_with("reference:") {
            caps.functions.insert("device-history".into());
        }
        caps
    }

    /// Adds what the target's scheme implies: every transport but `duis://` hands the
    /// harness's GBCS frames to the device as they were built (`direct-gbcs`).
    pub fn imply_from_target(&mut self, url: &str) {
        if !url.starts_with("duis://") && !url.starts_with(HEAD_END_SCHEME) {
            self.functions.insert("direct-gbcs".into());
        }
    }

    /// Why a scenario with these tags does not apply, or `None` when it does.
    pub fn missing_for<'a>(&self, tags: impl IntoIterator<Item = &'a String>) -> Option<String> {
        for tag in tags {
            let tag = tag.trim_start_matches('@');
            if let Some(function) = tag.strip_prefix("needs-") {
                if !self.functions.contains(function) {
                    let what = FUNCTIONS
                        .iter()
                        .find(|(n, _)| *n == function)
                        .map_or(function, |(_, d)| *d);
                    return Some(format!("the target does not declare {function}: {what}"));
                }
            } else if DeviceKind::ALL.iter().any(|d| d.tag() == tag) && !self.devices.contains(tag)
            {
                return Some(format!("the target has no {tag}"));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_device_or_function_makes_a_scenario_not_applicable() {
        let mut caps = Capabilities::default_lab();
        let tags = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(caps.missing_for(&tags(&["ECS17b", "esme"])), None);
        assert!(caps
            .missing_for(&tags(&["needs-twin-element"]))
            .unwrap()
            .contains("twin-element"));
        assert!(caps
            .missing_for(&tags(&["needs-direct-gbcs"]))
            .unwrap()
            .contains("direct-gbcs"));
        caps.imply_from_target("tcp://127.0.0.1:4059");
        assert_eq!(caps.missing_for(&tags(&["needs-direct-gbcs"])), None);
        caps.devices.remove("gsme");
        assert_eq!(
            caps.missing_for(&tags(&["gsme"])).as_deref(),
            Some("the target has no gsme")
        );
    }
}
