//! The reference head-end (`gbcs-harness head-end`): a minimal DCC User system that a head-end
//! suite passes against, with fault modes the suite must catch ([`faults`]). It sends service
//! requests from the DUIS templates when triggered, checks and signs the pre-commands of
//! critical services ([`send`]), and receives and verifies the DCC's responses and alerts
//! ([`receive`]).
//!
//! One HTTP listener (at most [`MAX_CONNECTIONS`] connections, each closed after
//! [`IDLE_TIMEOUT`] idle) serves:
//!
//! - `POST /trigger`, JSON `{"srv": "4.1.1", "user": EUI, "device": EUI, "template": FILE}`
//!   (only `srv` required; at most 64 KiB): 200 with a [`send::TriggerAnswer`] once the
//!   head-end's part is over; 400 `{"error": …}` for a bad trigger (unknown SRV, no template,
//!   no key for the user), 502 when the DCC cannot be reached or does not answer within
//!   [`send::DCC_TIMEOUT`], 503 when [`MAX_TRIGGERS`] are already in progress.
//! - `POST /duis`: the DCC's deliveries ([`receive`]).
//! - `GET /inbox`: `{"received": [InboxEntry, …]}` in arrival order.
//!
//! It sits beside [`crate::dcc`] in the layers: it uses the DCC's transform to know what its
//! requests mean, the `duis://` transport's template index, pre-command comparison, DCC
//! signature rule and bounded listener, and the DUIS model.

pub mod faults;
pub mod receive;
pub mod send;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::crypto::KeyStore;
use crate::dcc::transform::Skeletons;
use crate::duis::keys::{XmlKeyStore, DCC_XML_SIGNER};
use crate::duis::request::Request;
use crate::duis::xml::MAX_DOCUMENT_BYTES;
use crate::transport::duis::listener::BoundedListener;
use crate::transport::duis::templates::TemplateIndex;
use crate::vectors::VectorStore;

pub use crate::transport::duis::{IDLE_TIMEOUT, MAX_CONNECTIONS};
pub use faults::{Fault, Faults};
use receive::{Inbox, InboxEntry, Sent, Verdict};
use send::{Trigger, TriggerError};

/// Largest `POST /trigger` body.
pub const MAX_TRIGGER_BYTES: usize = 64 * 1024;
/// Triggers carried out at once; beyond, 503.
pub const MAX_TRIGGERS: usize = 16;

/// What the head-end is made of.
#[derive(Debug, Clone)]
pub struct HeadEndConfig {
    /// The DCC's base URL: requests go to `{dcc}/api/v1/serviceS|T|D`; a trigger may name
    /// another (`dcc_url`), and must when this is `None`.
    pub dcc: Option<String>,
    /// XML-signing key store: the Users' private keys, the DCC's certificates.
    pub xml_keys: PathBuf,
    /// GBCS key store: the Users' digital-signing keys (pre-commands).
    pub gbcs_keys: PathBuf,
    /// DUIS request templates (`*_REQUEST_DUIS.XML`).
    pub templates: PathBuf,
    /// Golden vectors: what the DCC's transform builds commands from, to check pre-commands.
    pub vectors: PathBuf,
    pub faults: Faults,
}

/// Why the head-end cannot start.
#[derive(Debug, thiserror::Error)]
pub enum HeadEndError {
    #[error("bad DCC URL {url:?}: {reason}")]
    DccUrl { url: String, reason: String },
    #[error("XML key store {dir}: {reason}")]
    XmlKeys { dir: String, reason: String },
    #[error("GBCS key store {dir}: {reason}")]
    GbcsKeys { dir: String, reason: String },
    #[error("{0}")]
    Templates(String),
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

/// The counter of the next request, and of the last (for the `counter-reused` fault).
struct Counter {
    next: u64,
    last: Option<u64>,
}

/// The head-end: shared by the listener's handlers.
pub struct HeadEnd {
    config: HeadEndConfig,
    faults: Faults,
    xml_keys: XmlKeyStore,
    gbcs_keys: KeyStore,
    /// SRV → the first template for it by file name, modelled.
    templates: BTreeMap<String, (PathBuf, Request)>,
    /// The transform's skeletons, or why they could not be read (pre-commands are then
    /// refused: the head-end cannot tell what its requests mean).
    skeletons: Result<Skeletons, String>,
    client: reqwest::Client,
    counter: tokio::sync::Mutex<Counter>,
    triggers: Arc<Semaphore>,
    sent: Mutex<Sent>,
    inbox: Mutex<Inbox>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// A DCC base URL (`http(s)://HOST[:PORT]`), without a trailing slash.
pub fn dcc_base(url: &str) -> Result<String, String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| e.to_string())?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err("expected http(s)://HOST:PORT".into());
    }
    Ok(url.trim_end_matches('/').to_string())
}

impl HeadEnd {
    /// Loads the key stores, the templates and the golden vectors (whose absence only
    /// warns: pre-commands are then refused).
    pub fn load(config: HeadEndConfig) -> Result<Arc<HeadEnd>, HeadEndError> {
        let mut config = config;
        config.dcc = config
            .dcc
            .as_deref()
            .map(|u| {
                dcc_base(u).map_err(|reason| HeadEndError::DccUrl {
                    url: u.to_string(),
                    reason,
                })
            })
            .transpose()?;
        let xml_keys = XmlKeyStore::load(&config.xml_keys).map_err(|e| HeadEndError::XmlKeys {
            dir: config.xml_keys.display().to_string(),
            reason: e.to_string(),
        })?;
        if xml_keys.certificates_of(DCC_XML_SIGNER).is_empty() {
            return Err(HeadEndError::XmlKeys {
                dir: config.xml_keys.display().to_string(),
                reason: format!(
                    "no certificate of the DCC ({DCC_XML_SIGNER}) to verify its signatures"
                ),
            });
        }
        let gbcs_keys =
            KeyStore::load_dir(&config.gbcs_keys).map_err(|e| HeadEndError::GbcsKeys {
                dir: config.gbcs_keys.display().to_string(),
                reason: e.to_string(),
            })?;
        let index = TemplateIndex::load(&config.templates, None)
            .map_err(|e| HeadEndError::Templates(e.to_string()))?;
        let mut files: Vec<PathBuf> = index.files.values().cloned().collect();
        files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
        let mut templates = BTreeMap::new();
        let mut unreadable = 0;
        for file in files {
            match send::read_template(&file) {
                Ok(r) => {
                    templates
                        .entry(r.header.service_reference_variant.clone())
                        .or_insert((file, r));
                }
                Err(e) => {
                    unreadable += 1;
                    eprintln!("head-end: skipped {e}");
                }
            }
        }
        if unreadable > 0 {
            eprintln!("head-end: {unreadable} template(s) skipped");
        }
        let skeletons = Skeletons::load(&VectorStore::new(&config.vectors)).map_err(|e| {
            let why = format!("golden vectors in {}: {e}", config.vectors.display());
            eprintln!("head-end: warning: {why}; pre-commands will be refused");
            why
        });
        let client = reqwest::Client::builder()
            .timeout(send::DCC_TIMEOUT)
            .connect_timeout(send::DCC_TIMEOUT)
            .build()
            .map_err(|e| HeadEndError::Client(e.to_string()))?;
        Ok(Arc::new(HeadEnd {
            faults: config.faults.clone(),
            config,
            xml_keys,
            gbcs_keys,
            templates,
            skeletons,
            client,
            counter: tokio::sync::Mutex::new(Counter {
                next: now_millis(),
                last: None,
            }),
            triggers: Arc::new(Semaphore::new(MAX_TRIGGERS)),
            sent: Mutex::new(Sent::default()),
            inbox: Mutex::new(Inbox::default()),
        }))
    }

    /// The SRVs with a template in the templates folder.
    pub fn services(&self) -> impl Iterator<Item = &str> {
        self.templates.keys().map(String::as_str)
    }

    fn note_sent(&self, request_id: &str) {
        lock(&self.sent).insert(request_id.to_string());
    }

    /// What the inbox holds now.
    pub fn inbox(&self) -> Vec<InboxEntry> {
        lock(&self.inbox).entries()
    }

    /// Checks and records one delivery: the status and text to answer with.
    pub fn deliver(&self, content_type: Option<&str>, body: &[u8]) -> (StatusCode, String) {
        let verdict = receive::check(
            content_type,
            body,
            &self.xml_keys,
            DCC_XML_SIGNER,
            &self.faults,
            |id| lock(&self.sent).contains(id),
        );
        match verdict {
            Verdict::Record(kind, id, code) => {
                let as_new = self.faults.has(Fault::CountsDuplicates);
                lock(&self.inbox).record(kind, id, code, as_new);
                (StatusCode::OK, String::new())
            }
            Verdict::Answer(status, text) => {
                if !status.is_success() {
                    eprintln!("head-end: delivery refused ({}): {text}", status.as_u16());
                }
                (status, format!("{text}\n"))
            }
        }
    }

    /// The HTTP interface.
    pub fn router(self: &Arc<Self>) -> Router {
        Router::new()
            .route("/trigger", post(trigger))
            .route("/duis", post(duis))
            .route("/inbox", get(inbox))
            .with_state(self.clone())
    }

    /// Serves on `listener` until it fails: at most [`MAX_CONNECTIONS`] connections at once,
    /// each closed after [`IDLE_TIMEOUT`] idle.
    pub async fn serve(self: Arc<Self>, listener: TcpListener) -> std::io::Result<()> {
        self.serve_bounded(listener, MAX_CONNECTIONS, IDLE_TIMEOUT)
            .await
    }

    /// As [`HeadEnd::serve`], with the bounds given.
    pub async fn serve_bounded(
        self: Arc<Self>,
        listener: TcpListener,
        max_connections: usize,
        idle: Duration,
    ) -> std::io::Result<()> {
        let app = self.router();
        let listener = BoundedListener::new(listener, max_connections, idle).named("head-end");
        axum::serve(listener, app).await
    }
}

fn json(status: StatusCode, value: &impl serde::Serialize) -> Response {
    let body = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn json_error(status: StatusCode, error: &str) -> Response {
    json(status, &serde_json::json!({ "error": error }))
}

async fn trigger(State(h): State<Arc<HeadEnd>>, body: Body) -> Response {
    let Ok(bytes) = axum::body::to_bytes(body, MAX_TRIGGER_BYTES).await else {
        return json_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("trigger over {MAX_TRIGGER_BYTES} bytes"),
        );
    };
    let t: Trigger = match serde_json::from_slice(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let e = TriggerError::BadJson(e.to_string());
            return json_error(e.status(), &e.to_string());
        }
    };
    match h.trigger(t).await {
        Ok(answer) => json(StatusCode::OK, &answer),
        Err(e) => json_error(e.status(), &e.to_string()),
    }
}

async fn duis(State(h): State<Arc<HeadEnd>>, headers: HeaderMap, body: Body) -> Response {
    let Ok(bytes) = axum::body::to_bytes(body, MAX_DOCUMENT_BYTES).await else {
        let reason = format!("body over the {MAX_DOCUMENT_BYTES}-byte DUIS document limit");
        eprintln!("head-end: delivery refused (413): {reason}");
        return (StatusCode::PAYLOAD_TOO_LARGE, format!("{reason}\n")).into_response();
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    // Parsing, canonicalisation and signature checks are CPU work: off the async threads.
    let worker = h.clone();
    match tokio::task::spawn_blocking(move || worker.deliver(content_type.as_deref(), &bytes)).await
    {
        Ok(answer) => answer.into_response(),
        Err(e) => {
            eprintln!("head-end: delivery handling failed: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response()
        }
    }
}

async fn inbox(State(h): State<Arc<HeadEnd>>) -> Response {
    json(
        StatusCode::OK,
        &serde_json::json!({ "received": h.inbox() }),
    )
}
