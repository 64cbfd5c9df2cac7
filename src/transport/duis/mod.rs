//! `duis://HOST:PORT[/PATH]`: the harness as a DCC User. Each GBCS command a scenario builds is
//! sent to a DCC (DCC Boxed, or `gbcs-harness simulate --duis`) as the DUIS service request
//! that asks for it, and the device's GBCS response comes back inside the DCC's signed
//! asynchronous response, POSTed to a callback listener this transport runs.
//!
//! For each command: the frame is decoded (originator, recipient, counter, message code); the
//! request template of its variant is taken from the templates folder (the recorded variant
//! the command was built from when an RTDS corpus is given, else the use case's nominal success
//! template); its `RequestID` becomes `originator:recipient:counter`, so the DCC uses the
//! scenario's counter as the GBCS counter and the response echoes it; it is signed with the
//! originator's XML-signing key and POSTed to the URL its command variant goes to. A
//! non-critical request (CV 1) is acknowledged with I99; a critical one goes as CV 4 to
//! `serviceT`, whose I0 carries the pre-command, which is checked against the scenario's
//! command, signed with the originator's GBCS key and sent back as CV 5 (I99). The I0 response
//! that follows, verified as signed by the DCC, gives the GBCS response frame.
//!
//! The DCC's signatures (acknowledgements and callbacks) are verified with the certificate
//! their `X509IssuerSerial` names or, when the store lacks it but the issuer is the DCC's, by
//! the DCC's key ([`verify_dcc`]: DCC Boxed 1.4.1 and later name a certificate the ZAZ1 store
//! does not hold); [`CallbackCounts::verified_by_key`] says when and with which certificate.
//! The callback listener serves a bounded number of connections and closes idle ones.
//!
//! What DUIS cannot express (a tampered MAC, a bad or missing signature on a critical command,
//! a stale counter, a command from a party that is not a DCC User) is refused with the reason,
//! before anything is sent.
//!
//! Settings come from the URL's query (the profile's `[duis]` section is folded into it):
//! `templates=DIR` (default `$GBCS_DUIS_DIR/templates`, `$GBCS_DUIS_DIR` defaulting to
//! `../shared/duis`), `xml-keys=DIR` (XML-signing key store, default `$GBCS_DUIS_DIR/keystore`),
//! `keys=DIR` (the Users' GBCS key store; default the built-in test PKI), `callback=ADDR`
//! (listener address, default `127.0.0.1:0`), `callback-url=URL` (what the DCC is configured
//! to POST to, when it must reach the listener through another address), `rtds=DIR` (the
//! corpus that tells which template a command was built from) and `dcc=EUI` (the DCC's
//! XML-signing identity, default `90-B3-D5-1F-30-00-00-02`).

mod callback;
mod error;
pub mod listener;
pub(crate) mod precommand;
pub(crate) mod templates;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::CONTENT_TYPE;
use tokio::sync::oneshot;

use crate::codec::enums::RemotePartyRole;
use crate::codec::{decode_frame, CraFlag, EntityId, Frame};
use crate::crypto::KeyStore;
use crate::duis::keys::{XmlKeyStore, DCC_XML_SIGNER};
use crate::duis::request::{Request, RequestBody};
use crate::duis::request_id::RequestId;
use crate::duis::response::{Response, ResponseBody, ResponseContent};
use crate::duis::services::{self, CommandVariant, ServiceUrl};
use crate::duis::signature::{sign, verify, SignatureError};
use crate::duis::xml::{parse, MAX_DOCUMENT_BYTES};
use crate::inspect::{Inspector, Verdict};

use super::alert_board::{AlertBoard, AlertMark};
use super::link::refuse_oversized;
use super::{
    AnswerFuture, BoxFuture, Limits, OpenOptions, Received, TimedFrame, Transport, TransportError,
};

pub(crate) use callback::{is_xml_content, request_id_of, response_of};
pub use callback::{
    verify_dcc, CallbackCounts, DccSignature, IDLE_TIMEOUT, MAX_AWAITING, MAX_CONNECTIONS,
};
pub use error::{DuisError, Inexpressible};

use callback::{Delivery, Inbox, Listener};
use templates::TemplateIndex;

/// Where the DUIS test data is when neither the URL nor `$GBCS_DUIS_DIR` says.
pub const DEFAULT_DUIS_DIR: &str = "../shared/duis";
/// The listener's address when the URL does not say.
pub const DEFAULT_CALLBACK: &str = "127.0.0.1:0";

/// The transport's settings, from the URL's query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuisSettings {
    pub templates: PathBuf,
    pub xml_keys: PathBuf,
    pub gbcs_keys: Option<PathBuf>,
    pub callback: String,
    pub callback_url: Option<String>,
    pub rtds: Option<PathBuf>,
    pub dcc: EntityId,
}

impl DuisSettings {
    /// The defaults: the DUIS test data folder, the built-in PKI, a loopback listener.
    pub fn defaults() -> Self {
        let dir = std::env::var_os("GBCS_DUIS_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DUIS_DIR));
        DuisSettings {
            templates: dir.join("templates"),
            xml_keys: dir.join("keystore"),
            gbcs_keys: None,
            callback: DEFAULT_CALLBACK.into(),
            callback_url: None,
            rtds: None,
            dcc: DCC_XML_SIGNER,
        }
    }
}

/// The query keys a `duis://` URL takes.
pub const QUERY_KEYS: &[&str] = &[
    "templates",
    "xml-keys",
    "keys",
    "callback",
    "callback-url",
    "rtds",
    "dcc",
];

/// Splits `duis://HOST:PORT[/PATH][?QUERY]` into the DCC's base URL and the settings.
pub fn parse_url(url: &str) -> Result<(String, DuisSettings), TransportError> {
    let bad = |reason: String| TransportError::BadUrl {
        url: url.to_string(),
        reason,
    };
    let rest = url
        .strip_prefix("duis://")
        .ok_or_else(|| bad("expected duis://HOST:PORT[/PATH]".into()))?;
    let parsed = reqwest::Url::parse(&format!("http://{rest}")).map_err(|e| bad(e.to_string()))?;
    if parsed.host_str().is_none_or(str::is_empty) || parsed.port().is_none() {
        return Err(bad("expected duis://HOST:PORT[/PATH]".into()));
    }
    if parsed.fragment().is_some() {
        return Err(bad("no fragment expected".into()));
    }
    let mut settings = DuisSettings::defaults();
    for (k, v) in parsed.query_pairs() {
        let v = v.into_owned();
        match k.as_ref() {
            "templates" => settings.templates = v.into(),
            "xml-keys" => settings.xml_keys = v.into(),
            "keys" => settings.gbcs_keys = Some(v.into()),
            "callback" => settings.callback = v,
            "callback-url" => settings.callback_url = Some(v),
            "rtds" => settings.rtds = Some(v.into()),
            "dcc" => settings.dcc = v.parse().map_err(|e| bad(format!("dcc={v}: {e}")))?,
            other => {
                return Err(bad(format!(
                    "unknown setting {other:?} (known: {})",
                    QUERY_KEYS.join(", ")
                )))
            }
        }
    }
    let mut base = parsed.clone();
    base.set_query(None);
    Ok((base.as_str().trim_end_matches('/').to_string(), settings))
}

/// What is loaded on first use.
struct Loaded {
    templates: TemplateIndex,
    xml_keys: Arc<XmlKeyStore>,
    keys: Arc<KeyStore>,
}

pub struct DuisTransport {
    /// The URL without its query, as reports show the target.
    url: String,
    /// The DCC's base URL: endpoints are `{base}/api/v1/serviceS|T|D`.
    base: String,
    settings: DuisSettings,
    /// Key stores given in memory (tests, tools) instead of the settings' folders.
    preset: (Option<Arc<XmlKeyStore>>, Option<Arc<KeyStore>>),
    loaded: Option<Arc<Loaded>>,
    listener: Option<Listener>,
    client: crate::transport::http::ClientCache,
    board: Arc<AlertBoard>,
    read: AlertMark,
    /// The last counter sent per originator: the DCC refuses one that is not above it.
    last_counter: HashMap<EntityId, u64>,
}

/// A command turned into the DUIS request for it.
struct Planned {
    command: Frame,
    request: Request,
    request_id: RequestId,
    critical: bool,
    originator: EntityId,
    counter: u64,
}

impl DuisTransport {
    /// Checks the URL; nothing is loaded, bound or connected until first use. (Every limit
    /// comes with each exchange: `options` holds nothing more this transport needs.)
    pub fn new(url: &str, _options: OpenOptions) -> Result<Self, TransportError> {
        let (base, settings) = parse_url(url)?;
        let board = Arc::new(AlertBoard::default());
        Ok(DuisTransport {
            // Reports and errors name the DCC; the settings in the query are the profile's.
            url: url.split('?').next().unwrap_or(url).to_string(),
            base,
            settings,
            preset: (None, None),
            loaded: None,
            listener: None,
            client: Default::default(),
            read: board.mark(),
            board,
            last_counter: HashMap::new(),
        })
    }

    /// The same, with the XML-signing and GBCS key stores given instead of read from the
    /// settings' folders.
    pub fn with_key_stores(
        url: &str,
        options: OpenOptions,
        xml_keys: Arc<XmlKeyStore>,
        keys: Arc<KeyStore>,
    ) -> Result<Self, TransportError> {
        let mut t = Self::new(url, options)?;
        t.preset = (Some(xml_keys), Some(keys));
        Ok(t)
    }

    pub fn settings(&self) -> &DuisSettings {
        &self.settings
    }

    /// The signed DUIS request the transport would send first for a command (CV 1, or CV 4
    /// for a critical one), or why DUIS cannot express the command. Nothing is sent.
    pub fn request_for(&mut self, frame: &[u8]) -> Result<String, TransportError> {
        let loaded = self.loaded()?;
        let planned = self.plan(frame, &loaded).map_err(|e| self.fail(e))?;
        self.signed_xml(&planned.request, &loaded)
            .map_err(|e| self.fail(e))
    }

    fn fail(&self, e: impl Into<DuisError>) -> TransportError {
        TransportError::Duis {
            target: self.url.clone(),
            source: Box::new(e.into()),
        }
    }

    /// Loads the templates and key stores once.
    fn loaded(&mut self) -> Result<Arc<Loaded>, TransportError> {
        if let Some(l) = &self.loaded {
            return Ok(l.clone());
        }
        let s = &self.settings;
        let templates = TemplateIndex::load(&s.templates, s.rtds.as_deref());
        let xml_keys = match &self.preset.0 {
            Some(k) => Ok(k.clone()),
            None => XmlKeyStore::load(&s.xml_keys)
                .map(Arc::new)
                .map_err(|e| DuisError::XmlKeys {
                    dir: s.xml_keys.display().to_string(),
                    reason: e.to_string(),
                }),
        };
        let keys = match &self.preset.1 {
            Some(k) => Ok(k.clone()),
            None => gbcs_keys(s.gbcs_keys.as_deref()),
        };
        let loaded = Arc::new(Loaded {
            templates: templates.map_err(|e| self.fail(e))?,
            xml_keys: xml_keys.map_err(|e| self.fail(e))?,
            keys: keys.map_err(|e| self.fail(e))?,
        });
        self.loaded = Some(loaded.clone());
        Ok(loaded)
    }

    /// The callback listener's URL, starting it if needed (for tests and diagnostics).
    pub async fn callback_url(&mut self) -> Result<String, TransportError> {
        Ok(self.inbox().await?.1)
    }

    /// What the callback listener has refused and deduplicated so far (zero before it
    /// starts).
    pub fn callback_counts(&self) -> CallbackCounts {
        self.listener
            .as_ref()
            .map(|l| l.inbox.counts())
            .unwrap_or_default()
    }

    /// Starts the listener unless it runs.
    async fn inbox(&mut self) -> Result<(Arc<Inbox>, String), TransportError> {
        if self.listener.as_ref().is_some_and(Listener::is_finished) {
            self.listener = None;
        }
        if self.listener.is_none() {
            let loaded = self.loaded()?;
            let inbox = Arc::new(Inbox::new(
                self.board.clone(),
                loaded.xml_keys.clone(),
                self.settings.dcc,
            ));
            let listener = Listener::start(
                &self.settings.callback,
                self.settings.callback_url.as_deref(),
                inbox,
            )
            .await
            .map_err(|source| TransportError::Listener {
                target: self.url.clone(),
                source,
            })?;
            self.listener = Some(listener);
        }
        let l = self.listener.as_ref().expect("started above");
        Ok((l.inbox.clone(), l.url.clone()))
    }

    /// The DUIS request for a command, or why DUIS cannot express it.
    fn plan(&self, frame: &[u8], loaded: &Loaded) -> Result<Planned, DuisError> {
        let command =
            decode_frame(frame).map_err(|e| Inexpressible::NotGbcs(one_line(&e.to_string())))?;
        let header = command.header().clone();
        if header.cra != CraFlag::Command {
            return Err(Inexpressible::NotACommand(format!("{:?}", header.cra)).into());
        }
        let code = header
            .message_code()
            .filter(|c| c.entry().is_some())
            .ok_or_else(|| {
                Inexpressible::UnknownUseCase(
                    header
                        .message_code()
                        .map_or_else(|| "(none)".into(), |c| c.to_string()),
                )
            })?;
        if let Some(role) = loaded.keys.role(header.originator) {
            if !matches!(
                role,
                RemotePartyRole::Supplier | RemotePartyRole::NetworkOperator
            ) {
                return Err(Inexpressible::NotAUser {
                    originator: header.originator,
                    role: format!("{role:?}"),
                }
                .into());
            }
        }
        let inspection = Inspector::new(&loaded.keys, None)
            .inspect(frame)
            .map_err(|e| Inexpressible::NotGbcs(one_line(&e.to_string())))?;
        if inspection.checks.mac == Verdict::Invalid {
            return Err(Inexpressible::BadMac.into());
        }
        if let Some(&last) = self.last_counter.get(&header.originator) {
            if header.counter <= last {
                return Err(Inexpressible::StaleCounter {
                    originator: header.originator,
                    counter: header.counter,
                    last,
                }
                .into());
            }
        }
        let chosen = loaded
            .templates
            .choose(code, command.general_signing.content.as_slice())
            .ok_or_else(|| DuisError::NoTemplate {
                use_case: code.use_case().unwrap_or("?").to_string(),
                code: code.to_string(),
                dir: loaded.templates.dir().display().to_string(),
            })?;
        let template_error = |reason: String| DuisError::Template {
            file: chosen.file.display().to_string(),
            reason,
        };
        let bytes = loaded.templates.read(&chosen)?;
        let doc = parse(&bytes).map_err(|e| template_error(e.to_string()))?;
        let mut request =
            Request::from_document(&doc).map_err(|e| template_error(e.to_string()))?;
        let service = services::find(&request.header.service_reference_variant);
        let critical = service.map_or_else(
            || code.entry().is_some_and(|e| e.message_type.is_critical()),
            |s| s.critical,
        );
        if critical {
            match inspection.checks.signature {
                Verdict::Invalid => return Err(Inexpressible::BadSignature("invalid").into()),
                Verdict::NotPresent => return Err(Inexpressible::BadSignature("missing").into()),
                Verdict::Valid | Verdict::Unverifiable { .. } => {}
            }
        }
        let request_id = RequestId {
            originator: header.originator,
            target: header.recipient,
            counter: header.counter,
        };
        request.header.request_id = request_id;
        request.header.command_variant = if critical {
            CommandVariant::Transform
        } else {
            CommandVariant::NonCriticalWan
        };
        Ok(Planned {
            command,
            request,
            request_id,
            critical,
            originator: header.originator,
            counter: header.counter,
        })
    }

    /// Signs a request as its originator.
    fn signed_xml(&self, request: &Request, loaded: &Loaded) -> Result<String, DuisError> {
        let originator = request.header.request_id.originator;
        let identity = loaded
            .xml_keys
            .identity(originator)
            .ok_or_else(|| DuisError::NoXmlKey {
                eui: originator,
                dir: self.settings.xml_keys.display().to_string(),
            })?;
        let mut doc = request.to_document();
        sign(&mut doc, identity).map_err(|e| DuisError::Sign {
            request_id: request.header.request_id.to_string(),
            reason: e.to_string(),
        })?;
        Ok(doc.to_xml())
    }

    /// POSTs a signed request and reads the DCC's synchronous answer, verified.
    async fn post(
        &self,
        client: &reqwest::Client,
        request: &Request,
        loaded: &Loaded,
        limits: &Limits,
    ) -> Result<Response, TransportError> {
        let xml = self.signed_xml(request, loaded).map_err(|e| self.fail(e))?;
        // The transport sends CV 1, 4 and 5 only, each of which has a URL.
        let path = request
            .header
            .command_variant
            .url()
            .map_or(ServiceUrl::SendCommand.path(), ServiceUrl::path);
        let target = self.url.clone();
        let work = async {
            let mut response = client
                .post(format!("{}{path}", self.base))
                .header(CONTENT_TYPE, "application/xml")
                .body(xml)
                .send()
                .await
                .map_err(|e| request_error(&target, &e, limits))?;
            let status = response.status();
            let mut body = Vec::new();
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(|e| request_error(&target, &e, limits))?
            {
                if body.len() + chunk.len() > MAX_DOCUMENT_BYTES {
                    return Err(TransportError::TooLarge {
                        target: target.clone(),
                        direction: "incoming",
                        size: body.len() + chunk.len(),
                        limit: MAX_DOCUMENT_BYTES,
                    });
                }
                body.extend_from_slice(&chunk);
            }
            Ok((status, body))
        };
        let (status, body) = match tokio::time::timeout(limits.response_timeout, work).await {
            Ok(r) => r?,
            Err(_) => {
                return Err(TransportError::Timeout {
                    target,
                    ms: limits.response_timeout.as_millis(),
                    what: "waiting for the DCC's acknowledgement",
                })
            }
        };
        let document = parse(&body);
        if !status.is_success() && document.is_err() {
            return Err(TransportError::HttpStatus {
                target,
                status: status.to_string(),
                endpoint: path,
                body: one_line(&String::from_utf8_lossy(&body)),
            });
        }
        let bad = |reason: String| {
            self.fail(DuisError::BadResponse {
                what: "acknowledgement",
                reason,
            })
        };
        let doc = document.map_err(|e| bad(format!("HTTP {status}: {e}")))?;
        let response = Response::from_document(&doc).map_err(|e| bad(e.to_string()))?;
        let success = is_success(&response);
        // An error acknowledgement may come unsigned; nothing in it is acted upon.
        let unsigned_error =
            !success && matches!(verify(&doc, &loaded.xml_keys), Err(SignatureError::Missing));
        if !unsigned_error {
            match callback::verify_dcc(&doc, &loaded.xml_keys, self.settings.dcc) {
                Ok(s) => {
                    if let (Some(how), Some(l)) = (s.by_key, &self.listener) {
                        l.inbox.note_by_key(how);
                    }
                }
                Err(reason) => {
                    return Err(self.fail(DuisError::BadSignature {
                        what: "acknowledgement",
                        reason,
                    }))
                }
            }
        }
        if !success {
            return Err(self.fail(refused(&response, &request.header.request_id, path)));
        }
        Ok(response)
    }

    async fn do_submit(
        &mut self,
        frame: &[u8],
        limits: &Limits,
    ) -> Result<AnswerFuture, TransportError> {
        refuse_oversized(&self.url, frame, limits)?;
        let loaded = self.loaded()?;
        let planned = self.plan(frame, &loaded).map_err(|e| self.fail(e))?;
        let (inbox, _) = self.inbox().await?;
        let client = self.client.get(&self.url, limits.connect_timeout)?;
        let key = planned.request_id.to_string();
        let answer = inbox.expect(&key).map_err(|e| self.fail(e))?;
        let mark = self.board.mark();
        let refused = inbox.counts().refused;
        self.last_counter
            .insert(planned.originator, planned.counter);
        let sent = self.send(&client, planned, &loaded, limits).await;
        if let Err(e) = sent {
            inbox.forget(&key);
            return Err(e);
        }
        let wait = Answer {
            target: self.url.clone(),
            key,
            answer,
            inbox,
            board: self.board.clone(),
            mark,
            refused,
            timeout: limits.response_timeout,
        };
        Ok(Box::pin(wait.wait()))
    }

    /// Sends the request: CV 1 (acknowledged I99), or CV 4 → pre-command → CV 5 (I99).
    async fn send(
        &self,
        client: &reqwest::Client,
        planned: Planned,
        loaded: &Loaded,
        limits: &Limits,
    ) -> Result<(), TransportError> {
        let ack = self.post(client, &planned.request, loaded, limits).await?;
        let id = planned.request_id.to_string();
        if !planned.critical {
            return self.expect_code(&ack, "I99", &id);
        }
        self.expect_code(&ack, "I0", &id)?;
        let pre = match &ack.body {
            ResponseBody::Message(m) => match &m.content {
                ResponseContent::PreCommand { gbcs_payload, .. } => gbcs_payload.clone(),
                _ => {
                    return Err(self.fail(DuisError::BadResponse {
                        what: "transform response",
                        reason: format!("I0 to {id} without a PreCommand"),
                    }))
                }
            },
            _ => {
                return Err(self.fail(DuisError::BadResponse {
                    what: "transform response",
                    reason: format!("I0 to {id} without a ResponseMessage"),
                }))
            }
        };
        let pre = precommand::differences(&planned.command, &pre).map_err(|difference| {
            self.fail(DuisError::PreCommandDiffers {
                request_id: id.clone(),
                difference,
            })
        })?;
        let signed = precommand::sign(&pre, &loaded.keys).map_err(|reason| {
            self.fail(DuisError::PreCommandSign {
                request_id: id.clone(),
                originator: planned.originator,
                reason,
            })
        })?;
        let mut cv5 = planned.request;
        cv5.header.command_variant = CommandVariant::SignedPreCommandWan;
        cv5.body = RequestBody::SignedPreCommand {
            gbcs_payload: signed,
        };
        let ack = self.post(client, &cv5, loaded, limits).await?;
        self.expect_code(&ack, "I99", &id)
    }

    fn expect_code(&self, ack: &Response, code: &str, id: &str) -> Result<(), TransportError> {
        let got = ack.header.response_code.as_str();
        if got == code {
            return Ok(());
        }
        Err(self.fail(DuisError::BadResponse {
            what: "acknowledgement",
            reason: format!("{got} to {id} where {code} was due"),
        }))
    }

    async fn do_exchange(
        &mut self,
        frame: &[u8],
        limits: &Limits,
    ) -> Result<Received, TransportError> {
        self.do_submit(frame, limits).await?.await
    }

    async fn do_alerts(&mut self, wait: Duration) -> Result<Vec<TimedFrame>, TransportError> {
        // Alerts come to the listener: start it if nothing has yet.
        self.inbox().await?;
        Ok(self.board.read_on(&mut self.read, wait).await)
    }
}

/// The wait for one request's asynchronous response.
struct Answer {
    target: String,
    key: String,
    answer: oneshot::Receiver<Delivery>,
    inbox: Arc<Inbox>,
    board: Arc<AlertBoard>,
    mark: AlertMark,
    /// Documents the listener had refused when the request was sent.
    refused: u64,
    timeout: Duration,
}

impl Answer {
    async fn wait(self) -> Result<Received, TransportError> {
        let got = tokio::time::timeout(self.timeout, self.answer).await;
        self.inbox.forget(&self.key);
        let alerts = self.board.since(self.mark).frames;
        let fail = |e: DuisError| TransportError::Duis {
            target: self.target.clone(),
            source: Box::new(e),
        };
        let delivery = match got {
            Ok(Ok(d)) => d,
            Ok(Err(_)) => {
                return Err(TransportError::Closed {
                    target: self.target,
                    what: "(the callback listener stopped) before the response",
                })
            }
            Err(_) if !alerts.is_empty() => {
                return Ok(Received {
                    responses: Vec::new(),
                    alerts,
                    started: None,
                })
            }
            Err(_) => {
                // A response the listener refused (bad signature, ...) is why nothing came:
                // say so rather than report the silence a discarded command gets.
                let counts = self.inbox.counts();
                if counts.refused > self.refused {
                    return Err(fail(DuisError::RefusedDelivery {
                        request_id: self.key.clone(),
                        ms: self.timeout.as_millis(),
                        refused: counts.refused - self.refused,
                        reason: counts.last_refusal.unwrap_or_default(),
                    }));
                }
                return Err(TransportError::Timeout {
                    target: self.target,
                    ms: self.timeout.as_millis(),
                    what: "waiting for the DCC's asynchronous response",
                });
            }
        };
        let response = &delivery.response;
        if !is_success(response) {
            return Err(fail(refused(response, &self.key, "the response URL")));
        }
        let frame = match &response.body {
            ResponseBody::Message(m) => match &m.content {
                ResponseContent::GbcsPayload(p) if !p.is_empty() => p.clone(),
                _ => {
                    return Err(fail(DuisError::BadResponse {
                        what: "service response",
                        reason: format!("{} without a GBCS payload", self.key),
                    }))
                }
            },
            _ => {
                return Err(fail(DuisError::BadResponse {
                    what: "service response",
                    reason: format!("{} without a ResponseMessage", self.key),
                }))
            }
        };
        Ok(Received {
            responses: vec![TimedFrame {
                frame,
                at: delivery.at,
            }],
            alerts,
            started: None,
        })
    }
}

impl Transport for DuisTransport {
    fn exchange<'a>(
        &'a mut self,
        frame: &'a [u8],
        limits: &'a Limits,
    ) -> BoxFuture<'a, Result<Received, TransportError>> {
        Box::pin(self.do_exchange(frame, limits))
    }

    fn submit<'a>(
        &'a mut self,
        frame: &'a [u8],
        limits: &'a Limits,
    ) -> BoxFuture<'a, Result<AnswerFuture, TransportError>> {
        Box::pin(self.do_submit(frame, limits))
    }

    /// Responses are matched to requests by RequestID, so several can be awaited at once.
    fn overlaps(&self) -> bool {
        true
    }

    fn alert_board(&self) -> Option<Arc<AlertBoard>> {
        Some(self.board.clone())
    }

    fn alerts(&mut self, wait: Duration) -> BoxFuture<'_, Result<Vec<TimedFrame>, TransportError>> {
        Box::pin(self.do_alerts(wait))
    }

    fn describe(&self) -> String {
        self.url.clone()
    }
}

/// The GBCS key store the Users sign pre-commands with: a folder, or the built-in test PKI.
fn gbcs_keys(dir: Option<&Path>) -> Result<Arc<KeyStore>, DuisError> {
    match dir {
        Some(dir) => KeyStore::load_dir(dir)
            .map(Arc::new)
            .map_err(|e| DuisError::GbcsKeys {
                dir: dir.display().to_string(),
                reason: e.to_string(),
            }),
        None => crate::sim::profile::DefaultProfile::generate()
            .map(|p| p.shared_keys())
            .map_err(|e| DuisError::GbcsKeys {
                dir: "(built-in test PKI)".into(),
                reason: e.to_string(),
            }),
    }
}

/// I0 or I99: the request was carried out or accepted.
fn is_success(response: &Response) -> bool {
    matches!(response.header.response_code.as_str(), "I0" | "I99")
}

fn refused(response: &Response, request_id: &impl ToString, endpoint: &str) -> DuisError {
    let code = &response.header.response_code;
    DuisError::Refused {
        code: code.as_str().to_string(),
        description: code.description().to_string(),
        request_id: request_id.to_string(),
        endpoint: endpoint.to_string(),
    }
}

fn request_error(target: &str, e: &reqwest::Error, limits: &Limits) -> TransportError {
    let target = target.to_string();
    if e.is_connect() && e.is_timeout() {
        return TransportError::Timeout {
            target,
            ms: limits.connect_timeout.as_millis(),
            what: "connecting",
        };
    }
    let text = super::error_chain(e);
    let io = std::io::Error::other(one_line(&text));
    if e.is_connect() {
        TransportError::Connect { target, source: io }
    } else {
        TransportError::Io { target, source: io }
    }
}

/// The first line of `text`, shortened.
fn one_line(text: &str) -> String {
    const MAX: usize = 200;
    let line = text.lines().next().unwrap_or("").trim();
    if line.chars().count() > MAX {
        format!("{}…", line.chars().take(MAX).collect::<String>())
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_and_settings_read_from_the_query() {
        let (base, s) = parse_url(
            "duis://dcc.test:8079/boxed?templates=/t&xml-keys=/x&keys=/k&callback=0.0.0.0%3A8099&callback-url=http://me:8099/duis&rtds=/r&dcc=90B3D51F30000002",
        )
        .unwrap();
        assert_eq!(base, "http://dcc.test:8079/boxed");
        assert_eq!(s.templates, PathBuf::from("/t"));
        assert_eq!(s.xml_keys, PathBuf::from("/x"));
        assert_eq!(s.gbcs_keys, Some(PathBuf::from("/k")));
        assert_eq!(s.callback, "0.0.0.0:8099");
        assert_eq!(s.callback_url.as_deref(), Some("http://me:8099/duis"));
        assert_eq!(s.rtds, Some(PathBuf::from("/r")));
        assert_eq!(s.dcc, DCC_XML_SIGNER);
        let (base, s) = parse_url("duis://127.0.0.1:8079").unwrap();
        assert_eq!(base, "http://127.0.0.1:8079");
        assert_eq!(s.callback, DEFAULT_CALLBACK);
        for url in [
            "duis://",
            "duis://host",
            "duis://host:8079?colour=blue",
            "duis://host:8079?dcc=nothex",
            "duis://host:8079#f",
        ] {
            let e = parse_url(url).expect_err(url).to_string();
            assert!(e.contains("bad transport URL"), "{e}");
            assert!(!e.contains('\n'), "{e}");
        }
    }
}
