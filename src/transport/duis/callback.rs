//! The User's "receive response" endpoint: where the DCC POSTs asynchronous service responses
//! and alerts. Every document is checked before anything is believed: size, content type,
//! well-formed XML with no DTD (so no external entity is ever fetched), the DCC's XML
//! signature, validity against the DUIS model. A response is handed to the command waiting for its RequestID;
//! a device alert goes on the alert board as the GBCS frame it carries. A document delivered
//! twice is acknowledged and handed over once.
//!
//! Answers: 200 accepted (or a duplicate); 400 malformed, DTD or not a DUIS response; 403
//! unsigned or not signed by the DCC; 404 a response to no request awaiting one; 413 over
//! [`MAX_DOCUMENT_BYTES`]; 415 not XML.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use tokio::sync::oneshot;

use crate::codec::EntityId;
use crate::duis::keys::XmlKeyStore;
use crate::duis::response::{Response, ResponseBody};
use crate::duis::signature::verify;
use crate::duis::validate::{validate, DocumentKind};
use crate::duis::xml::{parse, MAX_DOCUMENT_BYTES};
use crate::transport::alert_board::AlertBoard;
use crate::transport::TimedFrame;

/// Requests awaiting their asynchronous response at most.
pub const MAX_AWAITING: usize = 1024;
/// RequestIDs and alerts remembered after delivery, to acknowledge a duplicate without
/// handing it over again.
const REMEMBERED: usize = 4096;

/// A response as it reached the listener.
pub(super) struct Delivery {
    pub response: Response,
    pub at: Instant,
}

/// What the listener shares with the transport.
pub(super) struct Inbox {
    awaiting: Mutex<HashMap<String, oneshot::Sender<Delivery>>>,
    delivered: Mutex<Recent<String>>,
    alerts_seen: Mutex<Recent<Vec<u8>>>,
    board: Arc<AlertBoard>,
    keys: Arc<XmlKeyStore>,
    dcc: EntityId,
    refused: AtomicU64,
    duplicates: AtomicU64,
    /// Why the last document was refused.
    last_refusal: Mutex<Option<String>>,
}

/// What the listener has done so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallbackCounts {
    /// Documents refused (4xx).
    pub refused: u64,
    /// Documents acknowledged but not handed over again (a response or alert already
    /// delivered).
    pub duplicates: u64,
    /// Why the last refused document was refused.
    pub last_refusal: Option<String>,
}

/// A bounded set of what was seen last.
struct Recent<T> {
    order: VecDeque<T>,
    set: HashSet<T>,
}

impl<T: std::hash::Hash + Eq + Clone> Recent<T> {
    fn new() -> Self {
        Recent {
            order: VecDeque::new(),
            set: HashSet::new(),
        }
    }

    /// Whether `item` is new; remembers it.
    fn insert(&mut self, item: T) -> bool {
        if !self.set.insert(item.clone()) {
            return false;
        }
        if self.order.len() == REMEMBERED {
            if let Some(old) = self.order.pop_front() {
                self.set.remove(&old);
            }
        }
        self.order.push_back(item);
        true
    }

    fn contains(&self, item: &T) -> bool {
        self.set.contains(item)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Inbox {
    pub(super) fn new(board: Arc<AlertBoard>, keys: Arc<XmlKeyStore>, dcc: EntityId) -> Self {
        Inbox {
            awaiting: Mutex::new(HashMap::new()),
            delivered: Mutex::new(Recent::new()),
            alerts_seen: Mutex::new(Recent::new()),
            board,
            keys,
            dcc,
            refused: AtomicU64::new(0),
            duplicates: AtomicU64::new(0),
            last_refusal: Mutex::new(None),
        }
    }

    pub(super) fn counts(&self) -> CallbackCounts {
        CallbackCounts {
            refused: self.refused.load(Ordering::Relaxed),
            duplicates: self.duplicates.load(Ordering::Relaxed),
            last_refusal: lock(&self.last_refusal).clone(),
        }
    }

    fn note_refusal(&self, reason: &str) {
        *lock(&self.last_refusal) = Some(reason.to_string());
        self.refused.fetch_add(1, Ordering::Relaxed);
    }

    /// Registers a request that awaits its asynchronous response.
    pub(super) fn expect(
        &self,
        request_id: &str,
    ) -> Result<oneshot::Receiver<Delivery>, super::DuisError> {
        let mut awaiting = lock(&self.awaiting);
        awaiting.retain(|_, tx| !tx.is_closed());
        if awaiting.contains_key(request_id) {
            return Err(super::DuisError::DuplicateRequest {
                request_id: request_id.to_string(),
            });
        }
        if awaiting.len() >= MAX_AWAITING {
            return Err(super::DuisError::Busy {
                limit: MAX_AWAITING,
            });
        }
        let (tx, rx) = oneshot::channel();
        awaiting.insert(request_id.to_string(), tx);
        Ok(rx)
    }

    /// Forgets a request (its wait ended).
    pub(super) fn forget(&self, request_id: &str) {
        lock(&self.awaiting).remove(request_id);
    }

    /// Checks one POSTed document and routes it.
    fn accept(&self, content_type: Option<&str>, body: &[u8]) -> (StatusCode, String) {
        let at = Instant::now();
        let refuse = |status: StatusCode, reason: String| {
            self.note_refusal(&reason);
            (status, format!("{reason}\n"))
        };
        let xml = content_type.is_some_and(|ct| {
            let ct = ct.to_ascii_lowercase();
            ct.starts_with("application/xml") || ct.starts_with("text/xml")
        });
        if !xml {
            return refuse(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "content type {} is not application/xml",
                    content_type.unwrap_or("(none)")
                ),
            );
        }
        let doc = match parse(body) {
            Ok(d) => d,
            Err(e) => return refuse(StatusCode::BAD_REQUEST, format!("not accepted XML: {e}")),
        };
        match verify(&doc, &self.keys) {
            Ok(signer) if signer.eui == Some(self.dcc) => {}
            Ok(signer) => {
                return refuse(
                    StatusCode::FORBIDDEN,
                    format!(
                        "signed by {} (issuer {}, serial {}), not the DCC {}",
                        signer
                            .eui
                            .map_or("an unknown party".into(), |e| e.to_string()),
                        signer.issuer,
                        signer.serial,
                        self.dcc
                    ),
                )
            }
            Err(e) => return refuse(StatusCode::FORBIDDEN, format!("signature: {e}")),
        }
        match validate(&doc) {
            Ok(DocumentKind::Response) => {}
            Ok(DocumentKind::Request) => {
                return refuse(StatusCode::BAD_REQUEST, "a request, not a response".into())
            }
            Err(problems) => {
                let first = problems.first().map_or_else(String::new, |p| p.to_string());
                return refuse(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "not valid DUIS ({} problem(s); first: {first})",
                        problems.len()
                    ),
                );
            }
        }
        let response = match Response::from_document(&doc) {
            Ok(r) => r,
            Err(e) => return refuse(StatusCode::BAD_REQUEST, format!("not a DUIS response: {e}")),
        };
        if let ResponseBody::DeviceAlert { gbcs_payload, .. } = &response.body {
            if gbcs_payload.is_empty() {
                return refuse(StatusCode::BAD_REQUEST, "device alert without GBCS".into());
            }
            if lock(&self.alerts_seen).insert(gbcs_payload.clone()) {
                self.board.pin(TimedFrame {
                    frame: gbcs_payload.clone(),
                    at,
                });
            } else {
                self.duplicates.fetch_add(1, Ordering::Relaxed);
            }
            return (StatusCode::OK, String::new());
        }
        if matches!(response.body, ResponseBody::DccAlert { .. }) {
            // A DCC alert carries no GBCS for the scenarios; it is acknowledged.
            return (StatusCode::OK, String::new());
        }
        let Some(id) = request_id_of(&response) else {
            return refuse(
                StatusCode::BAD_REQUEST,
                "a response with neither RequestID nor ResponseID".into(),
            );
        };
        let waiter = lock(&self.awaiting).remove(&id);
        match waiter {
            Some(tx) => {
                lock(&self.delivered).insert(id);
                // The waiter may have just given up; the response then goes nowhere.
                let _ = tx.send(Delivery { response, at });
                (StatusCode::OK, String::new())
            }
            None if lock(&self.delivered).contains(&id) => {
                self.duplicates.fetch_add(1, Ordering::Relaxed);
                (StatusCode::OK, String::new())
            }
            None => refuse(
                StatusCode::NOT_FOUND,
                format!("no request {id} awaits a response"),
            ),
        }
    }
}

/// The RequestID a response answers, as the request wrote it.
pub(super) fn request_id_of(response: &Response) -> Option<String> {
    if let Some(id) = &response.header.request_id {
        return Some(id.to_string());
    }
    response
        .header
        .response_id
        .as_ref()
        .map(|r| r.response_id().to_string())
}

/// The listener, running on its own task until dropped.
pub(super) struct Listener {
    pub url: String,
    pub inbox: Arc<Inbox>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Listener {
    pub(super) fn is_finished(&self) -> bool {
        self.task.is_finished()
    }

    /// Binds `addr` and serves every path (the DCC is configured with a full URL).
    pub(super) async fn start(
        addr: &str,
        public_url: Option<&str>,
        inbox: Arc<Inbox>,
    ) -> std::io::Result<Listener> {
        let socket = tokio::net::TcpListener::bind(addr).await?;
        let bound = socket.local_addr()?;
        let app = Router::new()
            .route("/", post(accept))
            .route("/{*path}", post(accept))
            .with_state(inbox.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(socket, app).await;
        });
        Ok(Listener {
            url: public_url.map_or_else(|| format!("http://{bound}/"), str::to_string),
            inbox,
            task,
        })
    }
}

async fn accept(
    State(inbox): State<Arc<Inbox>>,
    headers: HeaderMap,
    body: Body,
) -> (StatusCode, String) {
    let Ok(bytes) = axum::body::to_bytes(body, MAX_DOCUMENT_BYTES).await else {
        let reason = format!("body over the {MAX_DOCUMENT_BYTES}-byte DUIS document limit");
        inbox.note_refusal(&reason);
        return (StatusCode::PAYLOAD_TOO_LARGE, format!("{reason}\n"));
    };
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    inbox.accept(content_type, &bytes)
}
