//! Device-under-test profiles (TOML): the transport URL, the device entity ids by type, the
//! remote parties the harness plays and their key material, timeouts, the frame-size limit,
//! SLA overrides and the target's capabilities. `run --profile FILE`; without one, the
//! built-in simulator's profile applies. `profiles/` holds an example for every transport.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use crate::codec::ids::EntityIdParseError;
use crate::codec::{EntityId, MessageCode};
use crate::crypto::pki::PkiError;
use crate::crypto::{KeyMaterialError, KeyStore, KeyStoreError, KeyUsage};
use crate::sim::profile::DefaultProfile;
use crate::transport::Limits;

use super::capabilities::{Capabilities, FUNCTIONS};
use super::state_hook::{StateHook, StateHookError};
use crate::command::identities::{DeviceKind, Identities, Party, UnknownDevice, UnknownParty};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutProfile {
    /// Shown in reports.
    pub name: Option<String>,
    /// The transport URL (`run --target` overrides it).
    pub target: Option<String>,
    /// More instances of the same device (other ports, other processes): scenarios are
    /// shared out between `target` and these (`run --pool` overrides it).
    #[serde(default)]
    pub pool: Vec<String>,
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
    /// The `duis://` transport's settings (paths relative to the profile).
    pub duis: Option<DuisSection>,
    /// A head-end (DCC User system) under test: the harness plays the DCC (target
    /// `head-end:NAME`; see `runner::head_end`).
    pub head_end: Option<super::head_end::HeadEndSection>,
}

/// How the harness reaches a DCC as a DCC User (`duis://` targets). Each setting is folded
/// into the target URL's query unless the URL sets it (see `transport::duis`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DuisSection {
    /// DUIS request templates, `<variant>_REQUEST_DUIS.XML`.
    pub templates: Option<PathBuf>,
    /// XML-signing key store: `xml-sign-<EUI>-ds.{pem,key}` for the Users,
    /// `dsp-xml-sign-<EUI>-ds.pem` for the DCC.
    pub keys: Option<PathBuf>,
    /// The address the asynchronous-response listener binds (`127.0.0.1:0` by default).
    pub callback: Option<String>,
    /// The URL the DCC is configured to POST responses to, when it reaches the listener
    /// through another address.
    pub callback_url: Option<String>,
    /// The RTDS corpus whose recorded commands tell which template a command was built from.
    pub rtds: Option<PathBuf>,
    /// The DCC's XML-signing identity (EUI-64).
    pub dcc: Option<String>,
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
        reason: Box<FieldError>,
    },
    #[error("{path}: key material: {reason}")]
    Keys { path: String, reason: Box<KeyError> },
}

/// What is wrong with one field of a profile.
#[derive(Debug, thiserror::Error)]
pub enum FieldError {
    #[error(transparent)]
    Device(#[from] UnknownDevice),
    #[error(transparent)]
    Party(#[from] UnknownParty),
    #[error(transparent)]
    EntityId(#[from] EntityIdParseError),
    #[error("{0} is not a positive number of seconds")]
    Seconds(f64),
    #[error("must be at least 1")]
    Zero,
    #[error("{0} bytes is too small for any GBCS frame")]
    FrameTooSmall(usize),
    #[error("{0}")]
    MessageCode(String),
    #[error("unknown function {0:?} (known: {known})", known = function_names())]
    UnknownFunction(String),
    #[error(transparent)]
    Hook(#[from] StateHookError),
    #[error("{0}")]
    Target(String),
    #[error(transparent)]
    HeadEnd(#[from] super::head_end::settings::SettingsError),
}

/// Why the profile's key material could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{}: {source}", dir.display())]
    Store { dir: PathBuf, source: KeyStoreError },
    #[error("{}: {source}", file.display())]
    Read {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("{name}: expected <eui>-ds.pem, <eui>-ka.pem or <eui>-ds.key")]
    FileName { name: String },
    #[error("{name}: {source}")]
    EntityId {
        name: String,
        source: EntityIdParseError,
    },
    #[error("{name}: {source}")]
    Pem {
        name: String,
        source: KeyMaterialError,
    },
    #[error(transparent)]
    Pki(#[from] PkiError),
    #[error(
        "cannot sign as {party} ({id}): no digital-signature private key ({file}) in the profile's keys"
    )]
    NoSigningKey {
        party: String,
        id: EntityId,
        file: String,
    },
}

/// A profile's target with its relative paths made relative to `base` (the profile's folder),
/// like every other path in a profile: the folder of `replay:DIR`, of `reference:DIR` and its
/// `keys=` store, and the program of `exec:PROGRAM ARGS` when it is a relative path (it has a
/// `/`: `./meter-host`, `build/meter-host`). A program without a `/` is looked up on `PATH`;
/// arguments are passed as written. Other targets are returned as they are. The error is
/// why the target cannot be rewritten (an unterminated quote).
pub fn resolve_target(target: &str, base: &Path) -> Result<String, String> {
    let rebase = |p: &str| -> String {
        let path = Path::new(p);
        if path.is_absolute() || base.as_os_str().is_empty() {
            return p.to_string();
        }
        let rel = path.strip_prefix(".").unwrap_or(path);
        base.join(rel).display().to_string()
    };
    if let Some(dir) = target.strip_prefix("replay:") {
        if dir.is_empty() {
            return Ok(target.to_string());
        }
        return Ok(format!("replay:{}", rebase(dir)));
    }
    if let Some(rest) = target.strip_prefix("reference:") {
        let (dir, query) = match rest.split_once('?') {
            Some((d, q)) => (d, Some(q)),
            None => (rest, None),
        };
        let mut out = format!(
            "reference:{}",
            if dir.is_empty() {
                dir.to_string()
            } else {
                rebase(dir)
            }
        );
        if let Some(q) = query {
            let pairs: Vec<String> = q
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some(("keys", p)) if !p.is_empty() => format!("keys={}", rebase(p)),
                    _ => pair.to_string(),
                })
                .collect();
            out.push('?');
            out.push_str(&pairs.join("&"));
        }
        return Ok(out);
    }
    let Some(command) = target.strip_prefix("exec:") else {
        return Ok(target.to_string());
    };
    // The program is the first word, quoted as the exec: transport reads it.
    let lead = command.len() - command.trim_start().len();
    let body = &command[lead..];
    let mut program = String::new();
    let mut quote: Option<char> = None;
    let mut end = body.len();
    for (i, c) in body.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => program.push(c),
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c.is_whitespace() => {
                end = i;
                break;
            }
            None => program.push(c),
        }
    }
    if quote.is_some() {
        return Err("unterminated quote in the exec: command".into());
    }
    if !program.contains('/') || Path::new(&program).is_absolute() {
        return Ok(target.to_string());
    }
    let resolved = rebase(&program);
    let shown = if !resolved.contains(|c: char| c.is_whitespace() || c == '\'' || c == '"') {
        resolved
    } else if !resolved.contains('\'') {
        format!("'{resolved}'")
    } else if !resolved.contains('"') {
        format!("\"{resolved}\"")
    } else {
        return Err(format!(
            "the program path {resolved:?} cannot be quoted for exec:"
        ));
    };
    Ok(format!("exec:{shown}{}", &body[end..]))
}

fn function_names() -> String {
    FUNCTIONS
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Identities, keys and capabilities of a target (from a device profile, or the default).
#[derive(Clone)]
pub struct Lab {
    pub name: String,
    pub keys: Arc<KeyStore>,
    pub identities: Identities,
    pub capabilities: Capabilities,
    /// Recorded exchanges for `When the recorded command "NAME" is sent`.
    pub replay_dir: Option<PathBuf>,
    /// How to put a real device into a recorded variant's state, if the profile says.
    pub state_hook: Option<StateHook>,
    /// A head-end under test (`[head_end]`).
    pub head_end: Option<super::head_end::HeadEndSettings>,
}

impl std::fmt::Debug for Lab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lab").field("name", &self.name).finish()
    }
}

/// Everything a run takes from a profile, resolved: the lab, and the run settings the
/// command line may override.
#[derive(Debug, Clone)]
pub struct ResolvedProfile {
    pub lab: Lab,
    pub target: Option<String>,
    pub pool: Vec<String>,
    pub limits: Limits,
    pub run_deadline: Option<Duration>,
    pub sla: Sla,
    pub concurrency: Option<usize>,
    /// `duis://` settings as URL query pairs (paths resolved), from `[duis]` and the key
    /// store folder of `[keys]`.
    pub duis: Vec<(String, String)>,
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

/// A profile being resolved: where it is (its errors name it) and what its relative paths
/// are relative to.
struct Resolving<'a> {
    path: &'a str,
    base: &'a Path,
}

impl Resolving<'_> {
    fn field(&self, field: impl Into<String>, reason: impl Into<FieldError>) -> ProfileError {
        ProfileError::Field {
            path: self.path.to_string(),
            field: field.into(),
            reason: Box::new(reason.into()),
        }
    }

    fn keys(&self, reason: impl Into<KeyError>) -> ProfileError {
        ProfileError::Keys {
            path: self.path.to_string(),
            reason: Box::new(reason.into()),
        }
    }

    /// A positive number of seconds.
    fn secs(&self, name: &str, v: Option<f64>) -> Result<Option<Duration>, ProfileError> {
        match v {
            None => Ok(None),
            Some(s) if s.is_finite() && s > 0.0 => Ok(Some(Duration::from_secs_f64(s))),
            Some(s) => Err(self.field(name, FieldError::Seconds(s))),
        }
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
        let r = Resolving { path, base };
        if self.concurrency == Some(0) {
            return Err(r.field("concurrency", FieldError::Zero));
        }
        let lab = Lab {
            name: self.name.clone().unwrap_or_else(|| path.to_string()),
            keys: self.key_store(&r, builtin)?,
            identities: self.identities(&r)?,
            capabilities: self.capabilities(&r)?,
            replay_dir: self.recordings.as_ref().map(|d| base.join(d)),
            state_hook: self
                .hooks
                .device_state
                .as_deref()
                .map(StateHook::parse)
                .transpose()
                .map_err(|e| r.field("hooks.device_state", e))?,
            head_end: self
                .head_end
                .as_ref()
                .map(|h| h.resolve(base))
                .transpose()
                .map_err(|e| r.field("head_end", e))?,
        };
        let mut lab = lab;
        if let Some(h) = &lab.head_end {
            // A head-end profile declares what its head-end offers: no device is under test.
            if self.capabilities.is_none() {
                lab.capabilities.devices.clear();
                lab.capabilities.functions.clear();
            }
            lab.capabilities.functions.extend(h.functions());
        }
        self.check_party_keys(&r, &lab)?;
        let on_base = |field: &str, t: &String| {
            resolve_target(t, base).map_err(|reason| r.field(field, FieldError::Target(reason)))
        };
        Ok(ResolvedProfile {
            lab,
            target: self
                .target
                .as_ref()
                .map(|t| on_base("target", t))
                .transpose()?,
            pool: self
                .pool
                .iter()
                .map(|t| on_base("pool", t))
                .collect::<Result<_, _>>()?,
            limits: self.limits(&r)?,
            run_deadline: r.secs("timeouts.run_deadline_s", self.timeouts.run_deadline_s)?,
            sla: self.sla(&r)?,
            concurrency: self.concurrency,
            duis: self.duis_settings(&r)?,
        })
    }

    /// The `[duis]` section as `duis://` query pairs, paths joined to the profile's folder;
    /// the `[keys]` store folder too, for signing pre-commands.
    fn duis_settings(&self, r: &Resolving) -> Result<Vec<(String, String)>, ProfileError> {
        let path = |p: &PathBuf| r.base.join(p).display().to_string();
        let mut out = Vec::new();
        if let Some(d) = &self.duis {
            if let Some(t) = &d.templates {
                out.push(("templates".into(), path(t)));
            }
            if let Some(k) = &d.keys {
                out.push(("xml-keys".into(), path(k)));
            }
            if let Some(c) = &d.callback {
                out.push(("callback".into(), c.clone()));
            }
            if let Some(u) = &d.callback_url {
                out.push(("callback-url".into(), u.clone()));
            }
            if let Some(rtds) = &d.rtds {
                out.push(("rtds".into(), path(rtds)));
            }
            if let Some(dcc) = &d.dcc {
                let id: EntityId = dcc.parse().map_err(|e| r.field("duis.dcc", e))?;
                out.push(("dcc".into(), id.to_string()));
            }
        }
        if let Some(store) = &self.keys.store {
            out.push(("keys".into(), path(store)));
        }
        Ok(out)
    }

    /// Every remote party the profile names can sign as itself: its digital-signature
    /// private key is in the key store (otherwise every scenario it signs for would fail
    /// with the same missing key).
    fn check_party_keys(&self, r: &Resolving, lab: &Lab) -> Result<(), ProfileError> {
        for name in self.remote_parties.keys() {
            let Ok(party) = name.parse::<Party>() else {
                continue;
            };
            let Some(&id) = lab.identities.parties.get(&party) else {
                continue;
            };
            if !lab.keys.has_private(id, KeyUsage::DigitalSignature) {
                return Err(r.keys(KeyError::NoSigningKey {
                    party: name.clone(),
                    id,
                    file: KeyStore::file_name(id, KeyUsage::DigitalSignature, true),
                }));
            }
        }
        Ok(())
    }

    /// The built-in identities with the profile's devices and remote parties over them.
    fn identities(&self, r: &Resolving) -> Result<Identities, ProfileError> {
        let mut identities = Identities::default_lab();
        for (kind, id) in &self.devices {
            let k: DeviceKind = kind.parse().map_err(|e| r.field("devices", e))?;
            let id: EntityId = id
                .parse()
                .map_err(|e| r.field(format!("devices.{kind}"), e))?;
            identities.devices.insert(k, id);
        }
        for (party, id) in &self.remote_parties {
            let p: Party = party.parse().map_err(|e| r.field("remote_parties", e))?;
            let id: EntityId = id
                .parse()
                .map_err(|e| r.field(format!("remote_parties.{party}"), e))?;
            identities.parties.insert(p, id);
            if p == Party::AccessControlBroker {
                identities.acb = id;
            }
        }
        Ok(identities)
    }

    fn key_store(
        &self,
        r: &Resolving,
        builtin: Option<&DefaultProfile>,
    ) -> Result<Arc<KeyStore>, ProfileError> {
        let mut store = match &self.keys.store {
            Some(dir) => {
                let dir = r.base.join(dir);
                KeyStore::load_dir(&dir)
                    .map_err(|source| r.keys(KeyError::Store { dir, source }))?
            }
            None if self.keys.files.is_empty() => {
                return match builtin {
                    Some(p) => Ok(p.shared_keys()),
                    None => Ok(DefaultProfile::generate()
                        .map_err(|e| r.keys(e))?
                        .shared_keys()),
                }
            }
            None => KeyStore::new(),
        };
        for f in &self.keys.files {
            add_file(&mut store, &r.base.join(f)).map_err(|e| r.keys(e))?;
        }
        Ok(Arc::new(store))
    }

    fn limits(&self, r: &Resolving) -> Result<Limits, ProfileError> {
        let mut limits = Limits::default();
        if let Some(d) = r.secs("timeouts.connect_s", self.timeouts.connect_s)? {
            limits.connect_timeout = d;
        }
        if let Some(d) = r.secs("timeouts.response_s", self.timeouts.response_s)? {
            limits.response_timeout = d;
        }
        if let Some(ms) = self.timeouts.alert_grace_ms {
            limits.alert_grace = Duration::from_millis(ms);
        }
        if let Some(n) = self.max_frame {
            if n < 64 {
                return Err(r.field("max_frame", FieldError::FrameTooSmall(n)));
            }
            limits.max_frame = n;
        }
        Ok(limits)
    }

    fn sla(&self, r: &Resolving) -> Result<Sla, ProfileError> {
        let mut sla = Sla {
            default: r.secs("sla.default_s", self.sla.default_s)?,
            codes: BTreeMap::new(),
        };
        for (code, s) in &self.sla.codes {
            let c: MessageCode = code
                .parse()
                .map_err(|e: String| r.field("sla.codes", FieldError::MessageCode(e)))?;
            let d = r
                .secs(&format!("sla.codes.{code}"), Some(*s))?
                .unwrap_or_default();
            sla.codes.insert(c, d);
        }
        Ok(sla)
    }

    fn capabilities(&self, r: &Resolving) -> Result<Capabilities, ProfileError> {
        let Some(c) = &self.capabilities else {
            return Ok(Capabilities::default_lab());
        };
        let mut devices = BTreeSet::new();
        for d in &c.devices {
            let kind: DeviceKind = d.parse().map_err(|e| r.field("capabilities.devices", e))?;
            devices.insert(kind.tag().to_string());
        }
        for f in &c.functions {
            if !FUNCTIONS.iter().any(|(n, _)| n == f) {
                let reason = FieldError::UnknownFunction(f.clone());
                return Err(r.field("capabilities.functions", reason));
            }
        }
        Ok(Capabilities {
            devices,
            functions: c.functions.iter().cloned().collect(),
        })
    }
}

/// Adds one PEM file named as in a key store (`<eui>-ds.pem`, `<eui>-ka.key`, ...).
fn add_file(store: &mut KeyStore, file: &Path) -> Result<(), KeyError> {
    let text = std::fs::read_to_string(file).map_err(|source| KeyError::Read {
        file: file.to_path_buf(),
        source,
    })?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some((entity, rest)) = name.split_once('-') else {
        return Err(KeyError::FileName { name });
    };
    let entity: EntityId = match entity.parse() {
        Ok(e) => e,
        Err(source) => return Err(KeyError::EntityId { name, source }),
    };
    let usage = if rest.starts_with("ds") {
        KeyUsage::DigitalSignature
    } else {
        KeyUsage::KeyAgreement
    };
    let result = if rest.ends_with(".key") {
        store.add_private_pem(entity, usage, &text).map(|_| ())
    } else {
        store.add_public_pem(entity, usage, &text).map(|_| ())
    };
    result.map_err(|source| KeyError::Pem { name, source })
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
    fn the_shipped_transport_profiles_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles");
        for name in ["sim.toml", "tcp.toml", "exec.toml", "http.toml"] {
            let r = DutProfile::load(&dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(r.target.is_some(), "{name}");
        }
        let tcp = DutProfile::load(&dir.join("tcp.toml")).unwrap();
        assert_eq!(tcp.limits.max_frame, 70_000);
        assert_eq!(tcp.concurrency, Some(16));
    }

    #[test]
    fn an_empty_profile_is_the_built_in_simulator() {
        let r = resolve("").unwrap();
        assert_eq!(r.lab.identities, Identities::default_lab());
        assert_eq!(r.lab.capabilities, Capabilities::default_lab());
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
            r.lab.identities.devices[&DeviceKind::Esme].to_string(),
            "00DB1234567890A0"
        );
        assert_eq!(
            r.sla.for_code(MessageCode::ECS45),
            Some(Duration::from_secs(12))
        );
        assert_eq!(
            r.sla.for_code(MessageCode::ECS46A),
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
