//! The User's "receive response" endpoint: where the DCC POSTs asynchronous service responses
//! and alerts. Every document is checked before anything is believed: size, content type,
//! well-formed XML with no DTD (so no external entity is ever fetched), the DCC's XML
//! signature, validity against the DUIS model. A response is handed to the command waiting for its RequestID;
//! a device alert goes on the alert board as the GBCS frame it carries. A document delivered
//! twice is acknowledged and handed over once.
//!
//! The DCC's signature is verified against the certificate its `X509IssuerSerial` names; when
//! the store lacks that certificate but the issuer is that of the DCC's certificates, against
//! the DCC's certificates by key ([`verify_dcc`]: DCC Boxed 1.4.1 and later sign with a
//! certificate, serial 20315062944123339095836004026371736578, that is not in the ZAZ1 store
//! but holds the same key as `dsp-xml-sign-90B3D51F30000002-ds.pem`), as `xmlsec1
//! --pubkey-cert-pem` does. This is no weaker: `KeyInfo` is not covered by the signature,
//! so what is trusted either way is the key of a certificate the store holds as the DCC's;
//! a document signed by any other key is still refused. The last certificate that verified
//! that way is reported ([`CallbackCounts::verified_by_key`]).
//!
//! The listener serves at most [`MAX_CONNECTIONS`] connections at once (a further one waits
//! for a slot) and closes a connection idle for [`IDLE_TIMEOUT`] ([`super::listener`]).
//!
//! Answers: 200 accepted (or a duplicate); 400 malformed, DTD or not a DUIS response; 403
//! unsigned or not signed by the DCC; 404 a response to no request awaiting one; 413 over
//! [`MAX_DOCUMENT_BYTES`]; 415 not XML.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use tokio::sync::oneshot;

use crate::codec::EntityId;
use crate::duis::keys::{normalize_issuer, XmlKeyStore};
use crate::duis::response::{Response, ResponseBody};
use crate::duis::signature::{verify, verify_with_certificate, SignatureError, Signer};
use crate::duis::validate::{validate, DocumentKind};
use crate::duis::xml::Document;
use crate::duis::xml::{parse, MAX_DOCUMENT_BYTES};
use crate::transport::alert_board::AlertBoard;
use crate::transport::TimedFrame;

use super::listener::BoundedListener;

/// Connections the listener serves at once (the DCC's delivery workers, a few dozen at most).
pub const MAX_CONNECTIONS: usize = 64;
/// A connection idle this long is closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

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
    by_key: AtomicU64,
    last_by_key: Mutex<Option<String>>,
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
    /// Documents whose signature named a certificate the store lacks and verified with one of
    /// the DCC's certificates by key ([`verify_dcc`]).
    pub verified_by_key: u64,
    /// The last of those: the certificate named, and the one that verified.
    pub last_verified_by_key: Option<String>,
}

/// How the DCC's signature of a document verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DccSignature {
    /// Who signed, with the issuer and serial the document names.
    pub signer: Signer,
    /// When the named certificate is not in the store: the DCC's certificate whose key
    /// verified (serial, and file when it has one).
    pub by_key: Option<String>,
}

/// Verifies a document's signature as the DCC's (`dcc`): with the certificate its
/// `X509IssuerSerial` names; or, when the store has no such certificate but the issuer is
/// that of one of the DCC's certificates, with each of the DCC's certificates by key (as
/// `xmlsec1 --pubkey-cert-pem`). A signer other than the DCC is an error here.
pub fn verify_dcc(
    doc: &Document,
    keys: &XmlKeyStore,
    dcc: EntityId,
) -> Result<DccSignature, String> {
    match verify(doc, keys) {
        Ok(signer) if signer.eui == Some(dcc) => Ok(DccSignature {
            signer,
            by_key: None,
        }),
        Ok(signer) => Err(format!(
            "signed by {} (issuer {}, serial {}), not the DCC {dcc}",
            signer
                .eui
                .map_or("an unknown party".into(), |e| e.to_string()),
            signer.issuer,
            signer.serial,
        )),
        Err(SignatureError::UnknownSigner { issuer, serial }) => {
            let named = normalize_issuer(&issuer);
            let candidates: Vec<_> = keys
                .certificates_of(dcc)
                .into_iter()
                .filter(|c| normalize_issuer(&c.issuer) == named)
                .collect();
            if candidates.is_empty() {
                return Err(format!(
                    "signature: {}",
                    SignatureError::UnknownSigner { issuer, serial }
                ));
            }
            let mut last = None;
            for c in candidates {
                match verify_with_certificate(doc, c) {
                    Ok(_) => {
                        let file = c
                            .file
                            .as_ref()
                            .map(|f| format!(" ({})", f.display()))
                            .unwrap_or_default();
                        return Ok(DccSignature {
                            by_key: Some(format!(
                                "certificate {issuer} #{serial} is not in the store; verified by the key of the DCC's certificate #{}{file}",
                                c.serial
                            )),
                            signer: Signer {
                                eui: Some(dcc),
                                issuer,
                                serial,
                            },
                        });
                    }
                    Err(e) => last = Some(e),
                }
            }
            Err(format!(
                "signature: certificate {issuer} #{serial} is not in the store and no key of the DCC's verifies it ({})",
                last.map(|e| e.to_string()).unwrap_or_default()
            ))
        }
        Err(e) => Err(format!("signature: {e}")),
    }
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
            by_key: AtomicU64::new(0),
            last_by_key: Mutex::new(None),
        }
    }

    pub(super) fn counts(&self) -> CallbackCounts {
        CallbackCounts {
            refused: self.refused.load(Ordering::Relaxed),
            duplicates: self.duplicates.load(Ordering::Relaxed),
            last_refusal: lock(&self.last_refusal).clone(),
            verified_by_key: self.by_key.load(Ordering::Relaxed),
            last_verified_by_key: lock(&self.last_by_key).clone(),
        }
    }

    /// A signature verified by the DCC's key rather than the certificate it names.
    pub(super) fn note_by_key(&self, how: String) {
        *lock(&self.last_by_key) = Some(how);
        self.by_key.fetch_add(1, Ordering::Relaxed);
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
        if !is_xml_content(content_type) {
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
        let by_key = match verify_dcc(&doc, &self.keys, self.dcc) {
            Ok(s) => s.by_key,
            Err(reason) => return refuse(StatusCode::FORBIDDEN, reason),
        };
        let response = match response_of(&doc) {
            Ok(r) => r,
            Err(reason) => return refuse(StatusCode::BAD_REQUEST, reason),
        };
        if let Some(how) = by_key {
            self.note_by_key(how);
        }
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

/// Whether a delivery's content type is XML (`application/xml` or `text/xml`, any
/// parameters): DUIS is posted as XML and nothing else is read.
pub(crate) fn is_xml_content(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|ct| {
        let ct = ct.to_ascii_lowercase();
        ct.starts_with("application/xml") || ct.starts_with("text/xml")
    })
}

/// A delivered document as a DUIS response: schema-valid, a response rather than a request,
/// and readable as one. The error is the one-line reason a receiver answers 400 with.
pub(crate) fn response_of(doc: &Document) -> Result<Response, String> {
    match validate(doc) {
        Ok(DocumentKind::Response) => {}
        Ok(DocumentKind::Request) => return Err("a request, not a response".into()),
        Err(problems) => {
            let first = problems.first().map_or_else(String::new, |p| p.to_string());
            return Err(format!(
                "not valid DUIS ({} problem(s); first: {first})",
                problems.len()
            ));
        }
    }
    Response::from_document(doc).map_err(|e| format!("not a DUIS response: {e}"))
}

/// The RequestID a response answers, as the request wrote it.
pub(crate) fn request_id_of(response: &Response) -> Option<String> {
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

    /// Binds `addr` and serves every path (the DCC is configured with a full URL), at most
    /// [`MAX_CONNECTIONS`] connections at once, each closed after [`IDLE_TIMEOUT`] idle.
    pub(super) async fn start(
        addr: &str,
        public_url: Option<&str>,
        inbox: Arc<Inbox>,
    ) -> std::io::Result<Listener> {
        Self::start_bounded(addr, public_url, inbox, MAX_CONNECTIONS, IDLE_TIMEOUT).await
    }

    /// As [`Listener::start`], with the bounds given.
    pub(super) async fn start_bounded(
        addr: &str,
        public_url: Option<&str>,
        inbox: Arc<Inbox>,
        max_connections: usize,
        idle: Duration,
    ) -> std::io::Result<Listener> {
        let socket = tokio::net::TcpListener::bind(addr).await?;
        let bound = socket.local_addr()?;
        let socket = BoundedListener::new(socket, max_connections, idle).named("duis callback");
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duis::keys::DCC_XML_SIGNER;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    const NOT_XML: &[u8] =
        b"POST / HTTP/1.1\r\nHost: dcc\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi";

    /// Reads until the peer closes (or errs): what it sent.
    async fn read_to_close(s: &mut TcpStream, within: Duration) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let mut buf = [0u8; 1024];
        tokio::time::timeout(within, async {
            loop {
                match s.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => out.extend_from_slice(&buf[..n]),
                }
            }
        })
        .await
        .ok()?;
        Some(out)
    }

    /// `$GBCS_DUIS_DIR` (default `../shared/duis`), or `None` with a message (a failure
    /// when `GBCS_REQUIRE_RTDS=1`).
    fn duis_dir(test: &str) -> Option<std::path::PathBuf> {
        let dir = std::env::var_os("GBCS_DUIS_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/duis")
            });
        if dir.join("keystore").is_dir() && dir.join("fixtures").is_dir() {
            return Some(dir);
        }
        assert!(
            std::env::var("GBCS_REQUIRE_RTDS").as_deref() != Ok("1"),
            "{test}: DUIS data not found in {}",
            dir.display()
        );
        eprintln!(
            "{test}: skipped, DUIS data not found in {} (set GBCS_DUIS_DIR)",
            dir.display()
        );
        None
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn responses_signed_by_dcc_boxed_1_4_1_verify_by_the_dcc_key_only_when_awaited() {
        let Some(dir) = duis_dir("boxed_1_4_1_signatures") else {
            return;
        };
        let keys = Arc::new(XmlKeyStore::load(&dir.join("keystore")).unwrap());
        let dcc = crate::duis::keys::DCC_XML_SIGNER;
        let inbox = Arc::new(Inbox::new(
            Arc::new(AlertBoard::default()),
            keys.clone(),
            dcc,
        ));
        let listener = Listener::start("127.0.0.1:0", None, inbox.clone())
            .await
            .unwrap();
        let client = reqwest::Client::new();
        let post = |body: Vec<u8>| {
            let request = client
                .post(&listener.url)
                .header("content-type", "application/xml")
                .body(body);
            async move {
                let r = request.send().await.unwrap();
                (r.status().as_u16(), r.text().await.unwrap_or_default())
            }
        };
        let fixture = |name: &str| std::fs::read(dir.join("fixtures").join(name)).unwrap();
        for name in [
            "readfw-response-resigned.xml",
            "read-inventory-response-5.4.xml",
        ] {
            let bytes = fixture(name);
            let doc = parse(&bytes).unwrap();
            // The certificate named is not in the store; the DCC's current key verifies it.
            assert!(matches!(
                verify(&doc, &keys),
                Err(SignatureError::UnknownSigner { .. })
            ));
            let how = verify_dcc(&doc, &keys, dcc).unwrap();
            assert_eq!(how.signer.eui, Some(dcc));
            assert_eq!(how.signer.serial, "20315062944123339095836004026371736578");
            let by = how.by_key.expect("verified by key");
            assert!(
                by.contains("dsp-xml-sign-90B3D51F30000002-ds.pem"),
                "{name}: {by}"
            );
            let id = request_id_of(&Response::from_document(&doc).unwrap()).unwrap();
            // Awaited by nobody: refused.
            let (status, text) = post(bytes.clone()).await;
            assert_eq!(status, 404, "{name}: {text}");
            // Awaited: accepted and handed over, and the certificate that verified reported.
            let before = inbox.counts().verified_by_key;
            let rx = inbox.expect(&id).unwrap();
            let (status, text) = post(bytes.clone()).await;
            assert_eq!(status, 200, "{name}: {text}");
            let delivered = tokio::time::timeout(Duration::from_secs(5), rx)
                .await
                .expect("handed over")
                .unwrap();
            assert_eq!(request_id_of(&delivered.response).as_deref(), Some(&*id));
            let counts = inbox.counts();
            assert_eq!(counts.verified_by_key, before + 1);
            assert_eq!(counts.last_verified_by_key.as_deref(), Some(&*by));
            // The same document with its content changed: refused whatever is awaited.
            let text = String::from_utf8(bytes).unwrap();
            let spoiled = text.replacen("<sr:ResponseCode>I0<", "<sr:ResponseCode>I99<", 1);
            assert_ne!(spoiled, text);
            let _rx = inbox.expect(&format!("{id}-spoiled")).ok();
            let (status, reason) = post(spoiled.into_bytes()).await;
            assert_eq!(status, 403, "{name}: {reason}");
        }
        // A certificate of another issuer than the DCC's is not tried by key.
        let bytes = fixture("readfw-response-resigned.xml");
        let text = String::from_utf8(bytes).unwrap();
        let other = text.replacen(">CN=Z1,OU=07<", ">CN=Elsewhere,OU=07<", 1);
        assert_ne!(other, text);
        let e = verify_dcc(&parse(other.as_bytes()).unwrap(), &keys, dcc).unwrap_err();
        assert!(e.contains("no certificate"), "{e}");
        // A badly signed response is still refused.
        let e = verify_dcc(
            &parse(&fixture("readfw-response-badsignature.xml")).unwrap(),
            &keys,
            dcc,
        )
        .unwrap_err();
        assert!(e.starts_with("signature"), "{e}");
        // The pre-1.4.1 response names a certificate the store has: verified as named.
        let old = verify_dcc(&parse(&fixture("readfw-response.xml")).unwrap(), &keys, dcc).unwrap();
        assert_eq!(old.by_key, None);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_callback_listener_bounds_connections_and_closes_idle_ones() {
        let inbox = Arc::new(Inbox::new(
            Arc::new(AlertBoard::default()),
            Arc::new(XmlKeyStore::test_pki(&[DCC_XML_SIGNER])),
            DCC_XML_SIGNER,
        ));
        let idle = Duration::from_millis(800);
        let listener = Listener::start_bounded("127.0.0.1:0", None, inbox, 2, idle)
            .await
            .unwrap();
        let addr = listener
            .url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        // Two silent connections take both slots.
        let mut held = Vec::new();
        for _ in 0..2 {
            held.push(TcpStream::connect(&addr).await.unwrap());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        // A third is not served while they are held...
        let mut third = TcpStream::connect(&addr).await.unwrap();
        third.write_all(NOT_XML).await.unwrap();
        let mut buf = [0u8; 64];
        let early = tokio::time::timeout(Duration::from_millis(300), third.read(&mut buf)).await;
        assert!(early.is_err(), "served beyond the bound: {early:?}");
        // ...the idle ones are closed after the idle timeout, and then it is.
        for s in &mut held {
            let got = read_to_close(s, Duration::from_secs(5)).await;
            assert_eq!(got, Some(Vec::new()), "an idle connection stays open");
        }
        let mut answer = Vec::new();
        let n = tokio::time::timeout(Duration::from_secs(5), third.read(&mut buf))
            .await
            .expect("the waiting connection is served once a slot frees")
            .unwrap();
        answer.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&answer);
        assert!(text.starts_with("HTTP/1.1 415"), "{text}");
        // A served connection that then goes quiet is closed too.
        assert!(read_to_close(&mut third, Duration::from_secs(5))
            .await
            .is_some());
    }
}
