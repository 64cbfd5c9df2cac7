//! Device-under-test profiles (TOML): the transport URL, the device entity ids by type, the
//! remote parties the harness plays and their key material, timeouts, the frame-size limit,
//! SLA overrides and the target's capabilities. `run --profile FILE`; without one, the
//! built-in simulator's profile applies. `profiles/` holds an example for every transport.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use super::state_hook::StateHook;

use crate::codec::{EntityId, MessageCode};
use crate::crypto::KeyStore;
use crate::sim::profile::DefaultProfile;
use crate::transport::Limits;

use super::capabilities::Capabilities;
use crate::command::identities::{DeviceKind, Identities, Party};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutProfile {
    /// Shown in reports.
    pub name: Option<String>,
    /// The transport URL (`run --target` overrides it).
    pub target: Option<String>,
    /// Entity ids by device type (`esme`, `gsme`, `comms-hub`, `gpf`, `ppmid`, `hcalcs`,
    /// `load-controlled-esme`); the built-in simulator's when absent.
    #[serde(default)]
    pub devices: BTreeMap<String, String>,
    /// Entity ids of the remote parties the harness plays (`import-supplier`,
    /// `gas-supplier`, `network-operator`, `access-control-broker`, `recovery`,
    /// `transitional-cos`, `wan-provider`, `load-controller`).
    #[serde(default)]
    pub remote_parties: BTreeMap<String, String>,
    #[serde(default)]
    pub keys: KeysSection,
    #[serde(default)]
    pub timeouts: TimeoutsSection,
    /// The largest frame accepted from or sent to the target, in bytes.
    pub max_frame: Option<usize>,
    #[serde(default)]
    pub sla: SlaSection,
    pub capabilities: Option<CapabilitiesSection>,
    /// Scenarios in flight at once (`run --concurrency` overrides it).
    pub concurrency: Option<usize>,
    /// Recorded exchanges for `When the recorded command "NAME" is sent` (a folder of
    /// `*_GBCS.HEX`, e.g. the RTDS corpus).
    pub recordings: Option<PathBuf>,
    #[serde(default)]
    pub hooks: HooksSection,
}

/// How the harness acts on the device beyond GBCS (see `state_hook`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HooksSection {
    /// Puts the device into the state of a recorded variant: a command line with
    /// `{variant}`, `{use_case}`, `{device}`, or an http(s):// URL that takes a JSON POST.
    pub device_state: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeysSection {
    /// A key-store folder: `<eui>[-pp]-{ds,ka}.{pem,key}` (certificates and private keys).
    pub store: Option<PathBuf>,
    /// Further PEM files (certificates or private keys), named as in a key store.
    #[serde(default)]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeoutsSection {
    pub connect_s: Option<f64>,
    /// How long each step waits for a response.
    pub response_s: Option<f64>,
    /// After a response, how long to keep listening for alerts the command triggered.
    pub alert_grace_ms: Option<u64>,
    /// The whole run stops here; scenarios not run are reported as not run.
    pub run_deadline_s: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaSection {
    /// Replaces every WAN traffic-model response target.
    pub default_s: Option<f64>,
    /// Per message code (`"0x0052" = 12.0`).
    #[serde(default)]
    pub codes: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapabilitiesSection {
    pub devices: Vec<String>,
    #[serde(default)]
    pub functions: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Parse {
        path: String,
        source: Box<toml::de::Error>,
    },
    #[error("{path}: {field}: {reason}")]
    Field {
        path: String,
        field: String,
        reason: String,
    },
    #[error("{path}: key material: {reason}")]
    Keys { path: String, reason: String },
}

/// Everything a run takes from a profile, resolved.
pub struct ResolvedProfile {
    pub name: String,
    pub target: Option<String>,
    pub keys: Arc<KeyStore>,
    pub identities: Identities,
    pub capabilities: Capabilities,
    pub limits: Limits,
    pub run_deadline: Option<Duration>,
    pub sla: Sla,
    pub concurrency: Option<usize>,
    pub recordings: Option<PathBuf>,
    pub state_hook: Option<StateHook>,
}

/// Response-time targets: the WAN traffic model's unless overridden.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sla {
    pub default: Option<Duration>,
    pub codes: BTreeMap<MessageCode, Duration>,
}

impl Sla {
    pub fn for_code(&self, code: MessageCode) -> Option<Duration> {
        self.codes.get(&code).copied().or(self.default)
    }
}

impl DutProfile {
    pub fn load(path: &Path) -> Result<ResolvedProfile, ProfileError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ProfileError::Read {
            path: shown.clone(),
            source,
        })?;
        let profile: DutProfile = toml::from_str(&text).map_err(|e| ProfileError::Parse {
            path: shown.clone(),
            source: Box::new(e),
        })?;
        // Relative paths in a profile are relative to the profile file.
        let base = path.parent().unwrap_or(Path::new("."));
        profile.resolve(&shown, base, None)
    }

    /// Resolves ids, keys and limits. `builtin` is the built-in simulator's profile, used for
    /// what the file leaves out (and generated on demand when not given).
    pub fn resolve(
        &self,
        path: &str,
        base: &Path,
        builtin: Option<&DefaultProfile>,
    ) -> Result<ResolvedProfile, ProfileError> {
        let field = |field: &str, reason: String| ProfileError::Field {
            path: path.to_string(),
            field: field.to_string(),
            reason,
        };
        let mut identities = Identities::default_lab();
        for (kind, id) in &self.devices {
            let k: DeviceKind =
                kind.parse()
                    .map_err(|e: crate::command::identities::UnknownDevice| {
                        field("devices", e.to_string())
                    })?;
            let id: EntityId = id
                .parse()
                .map_err(|e: crate::codec::ids::EntityIdParseError| {
                    field(&format!("devices.{kind}"), e.to_string())
                })?;
            identities.devices.insert(k, id);
        }
        for (party, id) in &self.remote_parties {
            let p: Party =
                party
                    .parse()
                    .map_err(|e: crate::command::identities::UnknownParty| {
                        field("remote_parties", e.to_string())
                    })?;
            let id: EntityId = id
                .parse()
                .map_err(|e: crate::codec::ids::EntityIdParseError| {
                    field(&format!("remote_parties.{party}"), e.to_string())
                })?;
            identities.parties.insert(p, id);
            if p == Party::AccessControlBroker {
                identities.acb = id;
            }
        }
        let keys = match &self.keys.store {
            Some(dir) => {
                let dir = base.join(dir);
                let mut store = KeyStore::load_dir(&dir).map_err(|e| ProfileError::Keys {
                    path: path.to_string(),
                    reason: format!("{}: {e}", dir.display()),
                })?;
                self.add_files(&mut store, base, path)?;
                Arc::new(store)
            }
            None if self.keys.files.is_empty() => match builtin {
                Some(p) => p.shared_keys(),
                None => DefaultProfile::generate()
                    .map_err(|e| ProfileError::Keys {
                        path: path.to_string(),
                        reason: e.to_string(),
                    })?
                    .shared_keys(),
            },
            None => {
                let mut store = KeyStore::new();
                self.add_files(&mut store, base, path)?;
                Arc::new(store)
            }
        };
        let secs = |name: &str, v: Option<f64>| -> Result<Option<Duration>, ProfileError> {
            match v {
                None => Ok(None),
                Some(s) if s.is_finite() && s > 0.0 => Ok(Some(Duration::from_secs_f64(s))),
                Some(s) => Err(field(
                    name,
                    format!("{s} is not a positive number of seconds"),
                )),
            }
        };
        let mut limits = Limits::default();
        if let Some(d) = secs("timeouts.connect_s", self.timeouts.connect_s)? {
            limits.connect_timeout = d;
        }
        if let Some(d) = secs("timeouts.response_s", self.timeouts.response_s)? {
            limits.response_timeout = d;
        }
        if let Some(ms) = self.timeouts.alert_grace_ms {
            limits.alert_grace = Duration::from_millis(ms);
        }
        if let Some(n) = self.max_frame {
            if n < 64 {
                return Err(field(
                    "max_frame",
                    format!("{n} bytes is too small for any GBCS frame"),
                ));
            }
            limits.max_frame = n;
        }
        let mut sla = Sla {
            default: secs("sla.default_s", self.sla.default_s)?,
            codes: BTreeMap::new(),
        };
        for (code, s) in &self.sla.codes {
            let c: MessageCode = code.parse().map_err(|e: String| field("sla.codes", e))?;
            let d = secs(&format!("sla.codes.{code}"), Some(*s))?.unwrap_or_default();
            sla.codes.insert(c, d);
        }
        let capabilities = match &self.capabilities {
            None => Capabilities::default_lab(),
            Some(c) => {
                for d in &c.devices {
                    d.parse::<DeviceKind>()
                        .map_err(|e| field("capabilities.devices", e.to_string()))?;
                }
                for f in &c.functions {
                    if !super::capabilities::FUNCTIONS.iter().any(|(n, _)| n == f) {
                        return Err(field(
                            "capabilities.functions",
                            format!(
                                "unknown function {f:?} (known: {})",
                                super::capabilities::FUNCTIONS
                                    .iter()
                                    .map(|(n, _)| *n)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                    }
                }
                Capabilities {
                    devices: c
                        .devices
                        .iter()
                        .filter_map(|d| d.parse::<DeviceKind>().ok())
                        .map(|d| d.tag().to_string())
                        .collect(),
                    functions: c.functions.iter().cloned().collect(),
                }
            }
        };
        Ok(ResolvedProfile {
            name: self.name.clone().unwrap_or_else(|| path.to_string()),
            target: self.target.clone(),
            keys,
            identities,
            capabilities,
            limits,
            run_deadline: secs("timeouts.run_deadline_s", self.timeouts.run_deadline_s)?,
            sla,
            concurrency: self.concurrency,
            recordings: self.recordings.as_ref().map(|r| base.join(r)),
            state_hook: self
                .hooks
                .device_state
                .as_deref()
                .map(StateHook::parse)
                .transpose()
                .map_err(|e| field("hooks.device_state", e.to_string()))?,
        })
    }

    fn add_files(&self, store: &mut KeyStore, base: &Path, path: &str) -> Result<(), ProfileError> {
        for f in &self.keys.files {
            let file = base.join(f);
            let text = std::fs::read_to_string(&file).map_err(|e| ProfileError::Keys {
                path: path.to_string(),
                reason: format!("{}: {e}", file.display()),
            })?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (entity, rest) = name.split_once('-').ok_or_else(|| ProfileError::Keys {
                path: path.to_string(),
                reason: format!("{name}: expected <eui>-ds.pem, <eui>-ka.pem or <eui>-ds.key"),
            })?;
            let entity: EntityId =
                entity
                    .parse()
                    .map_err(
                        |e: crate::codec::ids::EntityIdParseError| ProfileError::Keys {
                            path: path.to_string(),
                            reason: format!("{name}: {e}"),
                        },
                    )?;
            let usage = if rest.starts_with("ds") {
                crate::crypto::KeyUsage::DigitalSignature
            } else {
                crate::crypto::KeyUsage::KeyAgreement
            };
            let result = if rest.ends_with(".key") {
                store.add_private_pem(entity, usage, &text).map(|_| ())
            } else {
                store.add_public_pem(entity, usage, &text).map(|_| ())
            };
            result.map_err(|e| ProfileError::Keys {
                path: path.to_string(),
                reason: format!("{name}: {e}"),
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(text: &str) -> Result<ResolvedProfile, ProfileError> {
        let p: DutProfile = toml::from_str(text).map_err(|e| ProfileError::Parse {
            path: "t.toml".into(),
            source: Box::new(e),
        })?;
        p.resolve("t.toml", Path::new("."), None)
    }

    #[test]
    fn an_empty_profile_is_the_built_in_simulator() {
        let r = resolve("").unwrap();
        assert_eq!(r.identities, Identities::default_lab());
        assert_eq!(r.capabilities, Capabilities::default_lab());
        assert_eq!(r.limits, Limits::default());
    }

    #[test]
    fn fields_override_and_errors_name_the_field() {
        let r = resolve(
            "target = \"tcp://127.0.0.1:4059\"\nmax_frame = 4096\n[devices]\nesme = \"00DB1234567890A0\"\n[timeouts]\nresponse_s = 2.5\n[sla]\ndefault_s = 30\n[sla.codes]\n\"0x0052\" = 12\n",
        )
        .unwrap();
        assert_eq!(r.target.as_deref(), Some("tcp://127.0.0.1:4059"));
        assert_eq!(r.limits.max_frame, 4096);
        assert_eq!(r.limits.response_timeout, Duration::from_millis(2500));
        assert_eq!(
            r.identities.devices[&DeviceKind::Esme].to_string(),
            "00DB1234567890A0"
        );
        assert_eq!(
            r.sla.for_code(MessageCode(0x52)),
            Some(Duration::from_secs(12))
        );
        assert_eq!(
            r.sla.for_code(MessageCode(0x53)),
            Some(Duration::from_secs(30))
        );

        let e = resolve("[devices]\nesme = \"nothex\"\n")
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("devices.esme"), "{e}");
        let e = resolve("[timeouts]\nresponse_s = -1\n")
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("timeouts.response_s"), "{e}");
        let e = resolve("[capabilities]\ndevices = [\"esme\"]\nfunctions = [\"teleport\"]\n")
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("teleport"), "{e}");
        let e = resolve("colour = \"blue\"\n").err().unwrap().to_string();
        assert!(e.contains("colour"), "{e}");
    }
}
