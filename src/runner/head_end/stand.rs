//! The DCC side of a head-end run: the DCC emulator served on the profile's address (its
//! journal is what the head-end sent), the request templates by service, deliveries to the
//! head-end's response URL, and the head-end's inbox.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Deserialize;

use crate::codec::EntityId;
use crate::command::identities::DeviceKind;
use crate::dcc::emulator::{Emulator, EmulatorConfig, EmulatorError};
use crate::dcc::faults::DccFaults;
use crate::dcc::lab;
use crate::dcc::transform::Skeletons;
use crate::duis::keys::XmlKeyStore;
use crate::duis::request::Request;
use crate::duis::services::{self, UserRole};
use crate::duis::xml::{self, MAX_DOCUMENT_BYTES};
use crate::vectors::VectorStore;

use super::settings::HeadEndSettings;
use super::trigger::read_capped;

/// Templates read at most from the templates folder.
const MAX_TEMPLATES: usize = 10_000;
/// Connections the DCC side serves at once, and how long one may idle.
const MAX_CONNECTIONS: usize = 64;
const IDLE: Duration = Duration::from_secs(30);
/// How long a delivery to the head-end or a look at its inbox may take.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// One request template.
#[derive(Debug, Clone)]
pub struct Template {
    pub path: PathBuf,
    pub request: Request,
}

/// What the head-end says it received (`GET inbox`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct InboxEntry {
    /// `response`, `device_alert` or `dcc_alert`.
    pub kind: String,
    pub request_id: String,
    pub response_code: String,
}

#[derive(Debug, Deserialize)]
struct Inbox {
    received: Vec<InboxEntry>,
}

#[derive(Debug, thiserror::Error)]
pub enum StandError {
    #[error("the DCC's GBCS lab over {dir}: {reason}")]
    Lab { dir: String, reason: String },
    #[error("the XML key store {dir}: {reason}")]
    XmlKeys { dir: String, reason: String },
    #[error("the golden vectors: {0}")]
    Vectors(String),
    #[error("the templates folder {dir}: {reason}")]
    Templates { dir: String, reason: String },
    #[error(transparent)]
    Emulator(#[from] EmulatorError),
    #[error("cannot serve the DCC on {addr}: {reason}")]
    Listen { addr: String, reason: String },
}

/// The DCC side for one run.
pub struct Stand {
    pub settings: HeadEndSettings,
    pub emulator: Arc<Emulator>,
    /// The base URL the head-end reaches the DCC at.
    pub dcc_url: String,
    /// The devices behind the DCC.
    pub devices: BTreeMap<EntityId, DeviceKind>,
    templates: BTreeMap<String, Vec<Template>>,
    client: reqwest::Client,
    server: tokio::task::JoinHandle<()>,
    /// The highest RequestID counter seen from each User over the run.
    counters: Mutex<BTreeMap<EntityId, u64>>,
    /// A recorded device alert (GBCS frame) from the golden vectors, to deliver as one.
    alert: Option<Vec<u8>>,
}

impl Drop for Stand {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Stand {
    /// Starts the DCC side: the RTDS lab over the profile's GBCS key store, its XML key store,
    /// the profile's Users, the transform's skeletons from `vectors`; served on
    /// `dcc_listen`, delivering to the head-end's `callback`.
    pub async fn start(
        settings: HeadEndSettings,
        vectors: &VectorStore,
    ) -> Result<Arc<Stand>, StandError> {
        let lab = lab::rtds_lab(&settings.gbcs_keys).map_err(|reason| StandError::Lab {
            dir: settings.gbcs_keys.display().to_string(),
            reason,
        })?;
        let xml_keys = XmlKeyStore::load(&settings.xml_keys).map_err(|e| StandError::XmlKeys {
            dir: settings.xml_keys.display().to_string(),
            reason: e.to_string(),
        })?;
        let skeletons = Skeletons::load(vectors).map_err(|e| StandError::Vectors(e.to_string()))?;
        let templates = load_templates(&settings.templates)?;
        let devices = lab.devices.clone();
        let alert = recorded_alert(vectors);
        let emulator = Emulator::start(EmulatorConfig {
            simulator: lab.simulator,
            gbcs_keys: lab.gbcs_keys,
            acb: lab.acb,
            devices: lab.devices,
            // The DCC knows the head-end's Users only: any other originator is E1.
            roles: settings.users.clone(),
            xml_keys,
            skeletons,
            faults: DccFaults::none(),
            response_url: settings.callback.clone(),
            delivery_timeout: CALL_TIMEOUT,
        })?;
        let listen = |reason: String| StandError::Listen {
            addr: settings.dcc_listen.to_string(),
            reason,
        };
        let listener = tokio::net::TcpListener::bind(settings.dcc_listen)
            .await
            .map_err(|e| listen(e.to_string()))?;
        let local = listener.local_addr().map_err(|e| listen(e.to_string()))?;
        let serving = emulator.clone();
        let server = tokio::spawn(async move {
            if let Err(e) = serving.serve(listener, MAX_CONNECTIONS, IDLE).await {
                eprintln!("head-end run: the DCC side stopped serving: {e}");
            }
        });
        let client = reqwest::Client::builder()
            .timeout(CALL_TIMEOUT)
            .build()
            .map_err(|e| listen(e.to_string()))?;
        Ok(Arc::new(Stand {
            settings,
            emulator,
            dcc_url: format!("http://{local}"),
            devices,
            templates,
            client,
            server,
            counters: Mutex::new(BTreeMap::new()),
            alert,
        }))
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// The template the scenarios use for a service: the plainest one (see [`rank`]), the
    /// first by file name among equals.
    pub fn template(&self, srv: &str) -> Option<&Template> {
        self.templates
            .get(srv)?
            .iter()
            .min_by_key(|t| (rank(&t.path), t.path.clone()))
    }

    /// The services the templates hold a request for.
    pub fn services(&self) -> impl Iterator<Item = &str> {
        self.templates.keys().map(String::as_str)
    }

    /// The User to act as for `srv`: the template's own originator when it is one of the
    /// head-end's Users and eligible, else the first eligible User.
    pub fn user_for(&self, srv: &str, template: &Template) -> Option<(EntityId, UserRole)> {
        let service = services::find(srv)?;
        let own = template.request.header.request_id.originator;
        let eligible =
            |(id, role): (&EntityId, &UserRole)| service.eligible(*role).then_some((*id, *role));
        self.settings
            .users
            .get_key_value(&own)
            .and_then(eligible)
            .or_else(|| self.settings.users.iter().find_map(eligible))
    }

    /// A recorded device alert to deliver.
    pub fn alert_frame(&self) -> Option<Vec<u8>> {
        self.alert.clone()
    }

    /// Notes a counter seen from `user`; the highest seen before it, if any.
    pub fn note_counter(&self, user: EntityId, counter: u64) -> Option<u64> {
        let mut counters = self.counters.lock().unwrap_or_else(|e| e.into_inner());
        let before = counters.get(&user).copied();
        if before.is_none_or(|b| counter > b) {
            counters.insert(user, counter);
        }
        before
    }

    /// POSTs a document to the head-end's response URL: the HTTP status it answered.
    pub async fn deliver(&self, body: Vec<u8>) -> Result<u16, String> {
        let response = self
            .client
            .post(&self.settings.callback)
            .header("Content-Type", "application/xml")
            .body(body)
            .send()
            .await
            .map_err(|e| describe(&e))?;
        Ok(response.status().as_u16())
    }

    /// What the head-end says it received.
    pub async fn inbox(&self) -> Result<Vec<InboxEntry>, String> {
        let url = self
            .settings
            .inbox
            .as_deref()
            .ok_or("the profile names no [head_end] inbox")?;
        let mut response = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| describe(&e))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("the inbox {url} answered HTTP {}", status.as_u16()));
        }
        let too_big = || format!("the inbox {url} is larger than {MAX_DOCUMENT_BYTES} bytes");
        if response
            .content_length()
            .is_some_and(|n| n > MAX_DOCUMENT_BYTES as u64)
        {
            return Err(too_big());
        }
        // A chunked answer names no length: the cap holds while reading.
        let (body, more) = read_capped(&mut response, MAX_DOCUMENT_BYTES)
            .await
            .map_err(|e| describe(&e))?;
        if more {
            return Err(too_big());
        }
        serde_json::from_slice::<Inbox>(&body)
            .map(|i| i.received)
            .map_err(|e| format!("the inbox {url} is not {{\"received\": [...]}}: {e}"))
    }
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        format!("no answer within {:.0} s", CALL_TIMEOUT.as_secs_f64())
    } else if e.is_connect() {
        "connection refused or unreachable".into()
    } else {
        let mut text = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            text.push_str(": ");
            text.push_str(&s.to_string());
            source = s.source();
        }
        text
    }
}

/// How plain a template is, by the RTDS variant in its file name: a plain success first, then
/// a variant with no marker, then the rest (future-dated, cancellation, twin-element, DSP and
/// error variants ask for more than the service itself).
pub fn rank(path: &Path) -> u8 {
    const SPECIAL: [&str; 6] = [
        "FUTURE_DATED",
        "CANCELLATION",
        "TWIN",
        "DSP",
        "ERROR",
        "FAIL",
    ];
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if SPECIAL.iter().any(|s| name.contains(s)) {
        2
    } else if name.contains("SUCCESS") {
        0
    } else {
        1
    }
}

/// The first recorded alert of the golden vectors (by use case and variant).
fn recorded_alert(vectors: &VectorStore) -> Option<Vec<u8>> {
    let all = vectors.all().ok()?;
    all.values()
        .flatten()
        .flat_map(|v| &v.alerts)
        .find_map(|a| hex::decode(&a.hex).ok())
}

/// The templates folder by service reference variant, each service's templates by file name.
fn load_templates(dir: &Path) -> Result<BTreeMap<String, Vec<Template>>, StandError> {
    let failed = |reason: String| StandError::Templates {
        dir: dir.display().to_string(),
        reason,
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| failed(e.to_string()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with("_REQUEST_DUIS.XML"))
        })
        .take(MAX_TEMPLATES + 1)
        .collect();
    if files.len() > MAX_TEMPLATES {
        return Err(failed(format!("more than {MAX_TEMPLATES} templates")));
    }
    files.sort();
    let mut by_srv: BTreeMap<String, Vec<Template>> = BTreeMap::new();
    for path in files {
        let Ok(bytes) = xml::read_document_file(&path) else {
            continue;
        };
        let Ok(request) = xml::parse(&bytes)
            .map_err(|e| e.to_string())
            .and_then(|d| Request::from_document(&d).map_err(|e| e.to_string()))
        else {
            continue;
        };
        by_srv
            .entry(request.header.service_reference_variant.clone())
            .or_default()
            .push(Template { path, request });
    }
    if by_srv.is_empty() {
        return Err(failed("no readable *_REQUEST_DUIS.XML template".into()));
    }
    Ok(by_srv)
}
