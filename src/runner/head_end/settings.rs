//! The profile's `[head_end]` section: who the head-end is, where the harness serves the DCC,
//! where the DCC delivers, the key material, the Users and the trigger.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::codec::EntityId;
use crate::duis::services::UserRole;

use super::trigger::{Trigger, TriggerError, TriggerSection};

/// How long a trigger may take unless the profile says.
pub const DEFAULT_TRIGGER_TIMEOUT: Duration = Duration::from_secs(60);

/// `[head_end]` as written (paths relative to the profile).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadEndSection {
    /// The head-end's name and version, for the report.
    pub name: Option<String>,
    pub version: Option<String>,
    /// Where the harness serves the DCC's DUIS interface (`IP:PORT`; port 0 picks one, passed
    /// to the trigger as `{dcc_url}`). Default `127.0.0.1:0`.
    pub dcc_listen: Option<String>,
    /// The head-end's URL for asynchronous responses and alerts.
    pub callback: String,
    /// Where the head-end tells what it received (`GET`, JSON; see `features/README.md`).
    /// Without it, the scenarios that need it are not applicable.
    pub inbox: Option<String>,
    /// XML-signing key store: the DCC's private key, the Users' certificates.
    pub xml_keys: PathBuf,
    /// GBCS key store: the devices behind the DCC and the Users' digital-signing
    /// certificates (CV 5 signatures); the RTDS ZAZ1 store.
    pub gbcs_keys: PathBuf,
    /// DUIS request templates, `<variant>_REQUEST_DUIS.XML`.
    pub templates: PathBuf,
    /// The head-end's DCC Users: EUI-64 → role (`IS`, `ES`, `GS`, `ED`, `GT`, `OU`, ...).
    #[serde(default)]
    pub users: BTreeMap<String, String>,
    pub trigger: TriggerSection,
    /// How long one trigger may take, in seconds (default 60).
    pub trigger_timeout_s: Option<f64>,
}

/// `[head_end]` resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadEndSettings {
    pub name: String,
    pub version: String,
    pub dcc_listen: SocketAddr,
    pub callback: String,
    pub inbox: Option<String>,
    pub xml_keys: PathBuf,
    pub gbcs_keys: PathBuf,
    pub templates: PathBuf,
    pub users: BTreeMap<EntityId, UserRole>,
    pub trigger: Trigger,
    pub trigger_timeout: Duration,
}

/// Why a `[head_end]` section is unusable (the profile loader names the file).
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("head_end.dcc_listen {0:?} is not IP:PORT")]
    Listen(String),
    #[error("head_end.{field} {url:?} is not an http(s) URL")]
    Url { field: &'static str, url: String },
    #[error("head_end.users: {0:?} is not an EUI-64")]
    User(String),
    #[error("head_end.users: {eui}: {reason}")]
    Role { eui: String, reason: String },
    #[error("head_end.users names no DCC User")]
    NoUser,
    #[error("head_end.trigger_timeout_s must be a positive number of seconds")]
    Timeout,
    #[error(transparent)]
    Trigger(#[from] TriggerError),
}

fn http_url(field: &'static str, url: &str) -> Result<String, SettingsError> {
    match reqwest::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
            Ok(url.to_string())
        }
        _ => Err(SettingsError::Url {
            field,
            url: url.to_string(),
        }),
    }
}

impl HeadEndSection {
    pub fn resolve(&self, base: &Path) -> Result<HeadEndSettings, SettingsError> {
        let listen = self.dcc_listen.as_deref().unwrap_or("127.0.0.1:0");
        let dcc_listen = listen
            .parse()
            .map_err(|_| SettingsError::Listen(listen.to_string()))?;
        let mut users = BTreeMap::new();
        for (eui, role) in &self.users {
            let id: EntityId = eui.parse().map_err(|_| SettingsError::User(eui.clone()))?;
            let role: UserRole = role.parse().map_err(|reason: String| SettingsError::Role {
                eui: eui.clone(),
                reason,
            })?;
            users.insert(id, role);
        }
        if users.is_empty() {
            return Err(SettingsError::NoUser);
        }
        // try_: a number of seconds too large for a Duration is an error, not a panic.
        let trigger_timeout = match self.trigger_timeout_s {
            None => DEFAULT_TRIGGER_TIMEOUT,
            Some(s) if s > 0.0 => {
                Duration::try_from_secs_f64(s).map_err(|_| SettingsError::Timeout)?
            }
            Some(_) => return Err(SettingsError::Timeout),
        };
        Ok(HeadEndSettings {
            name: self.name.clone().unwrap_or_else(|| "head-end".into()),
            version: self.version.clone().unwrap_or_else(|| "unknown".into()),
            dcc_listen,
            callback: http_url("callback", &self.callback)?,
            inbox: self
                .inbox
                .as_deref()
                .map(|u| http_url("inbox", u))
                .transpose()?,
            xml_keys: base.join(&self.xml_keys),
            gbcs_keys: base.join(&self.gbcs_keys),
            templates: base.join(&self.templates),
            users,
            trigger: Trigger::from_section(&self.trigger, base)?,
            trigger_timeout,
        })
    }
}

impl HeadEndSettings {
    /// The capabilities a head-end profile declares: `head-end`, `head-end-inbox` with an
    /// inbox, and `user-<ROLE>` for each role its Users hold.
    pub fn functions(&self) -> Vec<String> {
        let mut out = vec!["head-end".to_string()];
        if self.inbox.is_some() {
            out.push("head-end-inbox".into());
        }
        for role in self.users.values() {
            out.push(format!("user-{}", role.abbreviation()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(text: &str) -> HeadEndSection {
        toml::from_str(text).unwrap()
    }

    const GOOD: &str = r#"
name = "acme HES"
version = "2.1"
dcc_listen = "127.0.0.1:8570"
callback = "http://127.0.0.1:8571/duis"
inbox = "http://127.0.0.1:8571/inbox"
xml_keys = "keys/xml"
gbcs_keys = "keys/gbcs"
templates = "templates"
[users]
"90-B3-D5-1F-30-01-00-00" = "IS"
"90-B3-D5-1F-30-02-00-00" = "ED"
[trigger]
url = "http://127.0.0.1:8571/trigger"
"#;

    #[test]
    fn a_section_resolves_relative_to_the_profile_and_declares_capabilities() {
        let s = section(GOOD).resolve(Path::new("/p")).unwrap();
        assert_eq!(s.name, "acme HES");
        assert_eq!(s.xml_keys, Path::new("/p/keys/xml"));
        assert_eq!(s.users.len(), 2);
        assert_eq!(s.trigger_timeout, DEFAULT_TRIGGER_TIMEOUT);
        assert_eq!(
            s.functions(),
            ["head-end", "head-end-inbox", "user-IS", "user-ED"]
        );
    }

    #[test]
    fn bad_sections_say_what_is_wrong() {
        let bad = |from: &str, to: &str| {
            section(&GOOD.replace(from, to))
                .resolve(Path::new("."))
                .unwrap_err()
                .to_string()
        };
        assert!(bad("127.0.0.1:8570", "localhost").contains("dcc_listen"));
        assert!(bad("http://127.0.0.1:8571/duis", "ftp://x/duis").contains("callback"));
        assert!(bad(
            "\"90-B3-D5-1F-30-02-00-00\" = \"ED\"",
            "\"nobody\" = \"ED\""
        )
        .contains("nobody"));
        assert!(bad("= \"ED\"", "= \"KING\"").contains("90-B3-D5-1F-30-02-00-00"));
        assert!(bad("url = ", "command = [\"x\"]\nurl = ").contains("exactly one"));
    }

    #[test]
    fn a_trigger_timeout_is_a_positive_duration_that_fits() {
        let timeout = |t: &str| {
            section(&format!("trigger_timeout_s = {t}\n{GOOD}"))
                .resolve(Path::new("."))
                .map(|s| s.trigger_timeout)
        };
        assert_eq!(timeout("2.5").unwrap(), Duration::from_millis(2500));
        for bad in ["1e20", "0", "-1", "inf", "nan"] {
            assert!(matches!(timeout(bad), Err(SettingsError::Timeout)), "{bad}");
        }
    }
}
