//! The DCC emulator (`simulate --duis ADDR --response-url URL`), compatible with DCC Boxed's
//! interface: `POST /api/v1/serviceS` (send command), `/api/v1/serviceT` (transform) and
//! `/api/v1/serviceD` (non-device), body a signed DUIS request (`Content-Type:
//! application/xml`); the synchronous answer is a DUIS response (`application/xml`, signed by
//! the DCC's XML key), and device responses and alerts follow asynchronously, POSTed to the
//! User's response URL ([`super::delivery`]).
//!
//! # Checks, in order, and what each failure gets
//!
//! | check | answer |
//! |---|---|
//! | method and path | 405 / 404 |
//! | `Content-Type` is `application/xml` (parameters allowed) | HTTP 415 |
//! | body at most [`MAX_DOCUMENT_BYTES`] (1 MiB) | HTTP 413 |
//! | well-formed XML with no DOCTYPE or entity (XXE) | HTTP 400 (text) |
//! | valid against the DUIS model ([`validate`]) and readable as a request; an error acknowledgement echoes SR and SRV only when the SRV is one of the catalogue's (else its body is empty) | E11 |
//! | signed (enveloped XML-DSig) by a certificate the DCC knows, and the signer is the RequestID's originator | E2 |
//! | the originator is a DCC User with a role | E1 |
//! | the command variant is sent to its URL (1, 3, 5, 7 → serviceS; 4 → serviceT; 2, 6, 8 → serviceD) | E13 |
//! | the service reference variant's SR matches and the SRV allows the command variant (an SRV the schema does not enumerate already failed the schema check, E11) | E12 |
//! | the originator's role is eligible for the service | E3 |
//! | the target is a known device (the simulator's devices), or the DCC for CV 8 | E19 |
//! | the counter is strictly above the originator's last accepted (CV 5–7: the RequestID of an outstanding pre-command, same SR and SRV) | E12 |
//! | (CV 5) the signed pre-command is exactly the pre-command issued, with a signature length of 0x40 | E5 |
//! | (CV 5) the User's GBCS signature over it verifies with the originator's digital-signing key | E4 |
//! | the transform builds a command ([`TransformError::response_code`]) | E12 |
//! | (CV 4) the use case is one the DCC sends in its own name (nothing for the User to sign) | E12 |
//! | command variants 2, 3, 6, 7 (local delivery: DCC Boxed does not support 3 and 7 either) and non-device services other than 8.2 | E12 |
//!
//! The DUIS primer names the classes (E1–E5 authorisation, E11–E12 validation, E13 wrong URL,
//! E19 no such device); within a class the choice above is the emulator's and is the one place
//! to change ([`Check::code`]).
//!
//! # Flows
//!
//! - CV 1: I99 at once; the command goes to the simulated device and its response comes back
//!   as an I0 `ResponseMessage` with `GBCSPayload`; alerts it triggers come as
//!   `DeviceAlertMessage`s. A device that discards the command (no response) gives an E20
//!   response instead.
//! - A use case the DCC sends in its own name ([`CommandOriginator::Dcc`]: CCS05–07, CS07, CS08,
//!   DBCH01–05, ECS21c, ECS26i/n, ECS35d, ECS50, ECS61d, GCS15d, GCS31, GCS36, the CS03
//!   non-critical joins, ...), as CV 1: the command goes from the access control broker, MAC'd
//!   as it, with the DCC's own counter for the device (strictly increasing, above the
//!   emulator's start time in ms; [`Emulator::dcc_counter_of`]), the User and the request's
//!   counter in the other-information; the device's response comes back to the User as the
//!   response to its `RequestID`.
//! - The transform is told a target is twin-element when the lab says so
//!   ([`Emulator::start_with_twins`]); `GET /emulator/stats` counts the skeletons used.
//! - CV 4: I0 with `PreCommand` (`GBCSVersion`, `GBCSPayload` = the General-Signing APDU with
//!   an empty signature, `… 00`); CV 5 with the same RequestID carries the signed pre-command
//!   back: I99, then as CV 1.
//! - CV 8 (8.2 Read Inventory): I0 with `DSPInventory`, the simulated devices.
//! - Future-dated device alerts, as the devices' clock reaches them: `DeviceAlertMessage`s.
//! - DCC alerts on demand: `POST /emulator/dcc-alert`, JSON `{"code": "N…", "device":
//!   "EUI", "event": "command-failure" | "power-outage", "recipient": "EUI"}` (only `code`
//!   required): 202, and the `DCCAlertMessage` is delivered. `GET /emulator/stats`: counts.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::{broadcast, Semaphore};

use crate::codec::calendar::civil_from_days;
use crate::codec::frame::GeneralSigning;
use crate::codec::payload::{decode_payload, Payload};
use crate::codec::{decode_frame, EntityId};
use crate::command::identities::DeviceKind;
use crate::command::template::{Addressing, CommandTemplate, Tampering};
use crate::crypto::KeyStore;
use crate::duis::codes::{is_dcc_alert_code, ResponseCode};
use crate::duis::keys::{XmlKeyStore, DCC_XML_SIGNER};
use crate::duis::request::{Request, RequestBody};
use crate::duis::request_id::RequestId;
use crate::duis::services::{self, CommandVariant, ServiceUrl, UserRole};
use crate::duis::validate::{base64_encode, validate};
use crate::duis::xml::{self, Document, Element, Node, MAX_DOCUMENT_BYTES, SR_NS};
use crate::duis::{request_id, signature};
use crate::sim::Simulator;
use crate::transport::duis::listener::BoundedListener;
use crate::transport::serve::SharedSimulator;

use super::journal::{Entry as JournalEntry, Journal, Verdict};

use super::delivery::{Delivery, DeliveryCounts, DeliveryError};
use super::faults::DccFaults;
use super::precommand::{self, PreCommandError};
use super::transform::{self, CommandOriginator, Options, Skeletons, TransformError};

/// The `schemaVersion` of the documents the emulator writes.
pub const SCHEMA_VERSION: &str = "5.4";
/// The GBCS version named in a pre-command.
pub const GBCS_VERSION: &str = "4.0";
/// Pre-commands waiting for their CV 5 (the oldest is forgotten beyond this).
pub const MAX_PENDING_PRE_COMMANDS: usize = 4096;
/// Device jobs (a command on its way to a device and back) in flight at once; beyond, 503.
pub const MAX_JOBS: usize = 1024;

/// One check the DCC makes, and the code its failure gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Check {
    Schema,
    Signature,
    UnknownUser,
    WrongUrl,
    ServiceVariant,
    Role,
    UnknownDevice,
    Counter,
    PreCommandDiffers,
    PreCommandSignature,
    Transform,
    Unsupported,
}

impl Check {
    /// The DUIS response code of a failed check (see the module table).
    pub fn code(self) -> ResponseCode {
        match self {
            Check::Schema => ResponseCode::E11,
            Check::Signature => ResponseCode::E2,
            Check::UnknownUser => ResponseCode::E1,
            Check::WrongUrl => ResponseCode::E13,
            Check::ServiceVariant => ResponseCode::E12,
            Check::Role => ResponseCode::E3,
            Check::UnknownDevice => ResponseCode::E19,
            Check::Counter => ResponseCode::E12,
            Check::PreCommandDiffers => ResponseCode::E5,
            Check::PreCommandSignature => ResponseCode::E4,
            Check::Transform => ResponseCode::E12,
            Check::Unsupported => ResponseCode::E12,
        }
    }
}

/// What the emulator is made of.
pub struct EmulatorConfig {
    /// The devices behind the DCC (its clock is started by [`Emulator::start`]).
    pub simulator: Simulator,
    /// The GBCS key store: remote parties' certificates (CV 5 signatures), the ACB's key.
    pub gbcs_keys: Arc<KeyStore>,
    /// The access control broker that MACs commands.
    pub acb: EntityId,
    /// The inventory: each simulated device and its kind.
    pub devices: BTreeMap<EntityId, DeviceKind>,
    /// DCC Users by EUI and their role.
    pub roles: BTreeMap<EntityId, UserRole>,
    /// The XML-signing certificates of Users, and the DCC's identity (private key included).
    pub xml_keys: XmlKeyStore,
    /// The transform's skeletons (the golden vectors).
    pub skeletons: Skeletons,
    pub faults: DccFaults,
    /// Where asynchronous responses and alerts go.
    pub response_url: String,
    /// How long one delivery POST may take.
    pub delivery_timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error(transparent)]
    Delivery(#[from] DeliveryError),
    #[error("the XML key store has no private key for the DCC ({DCC_XML_SIGNER}): responses cannot be signed")]
    NoDccKey,
}

/// A pre-command issued for a CV 4, waiting for its CV 5.
struct Pending {
    issued: GeneralSigning,
    bytes: Vec<u8>,
    service_reference: String,
    service_reference_variant: String,
}

#[derive(Default)]
struct RequestState {
    /// Highest counter accepted from each originator.
    last_counter: HashMap<EntityId, u64>,
    pending: HashMap<RequestId, Pending>,
    order: VecDeque<RequestId>,
}

/// Counts since start.
#[derive(Debug, Default)]
struct Counts {
    requests: AtomicU64,
    by_code: Mutex<BTreeMap<String, u64>>,
    http_errors: AtomicU64,
    device_jobs: AtomicU64,
    /// Commands built, by the recorded variant that was their skeleton (bounded: the
    /// skeletons are the golden vectors).
    skeletons: Mutex<BTreeMap<String, u64>>,
}

/// A snapshot of what the emulator has done (`GET /emulator/stats`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct EmulatorStats {
    pub requests: u64,
    pub by_code: BTreeMap<String, u64>,
    pub http_errors: u64,
    pub device_jobs: u64,
    /// Commands transformed, by the recorded variant that was their skeleton (a
    /// twin-element meter's from the use case's `_TWIN` recording).
    pub skeletons: BTreeMap<String, u64>,
    pub deliveries: DeliveryCounts,
}

/// The emulator: shared by the server's handlers and its background tasks.
pub struct Emulator {
    sim: SharedSimulator,
    gbcs_keys: Arc<KeyStore>,
    acb: EntityId,
    devices: BTreeMap<EntityId, DeviceKind>,
    roles: BTreeMap<EntityId, UserRole>,
    xml_keys: XmlKeyStore,
    skeletons: Skeletons,
    faults: DccFaults,
    delivery: Delivery,
    state: Mutex<RequestState>,
    jobs: Arc<Semaphore>,
    /// Orders User commands into the device: held from accepting a counter until its command
    /// has been handed over.
    handoff: std::sync::Mutex<()>,
    counts: Counts,
    /// Counter of the DCC's own messages (DCC alerts).
    dcc_counter: AtomicU64,
    /// The twin-element meters (the transform builds their commands from twin recordings).
    twin_element: BTreeSet<EntityId>,
    /// The last counter of a command the DCC sent in its own name, per device; held while
    /// such a command is built and handed to the device, so they reach it in counter order.
    dcc_device_counters: Mutex<HashMap<EntityId, u64>>,
    /// The floor of those counters (the start time in ms: above any earlier run's).
    dcc_counter_floor: u64,
    /// Every request received and what the checks made of it.
    journal: Journal,
    /// Pre-commands are tampered with (set at run time; `--duis-faults tampered-pre-command`
    /// sets it for good).
    tamper_pre_commands: AtomicBool,
    /// The response code of the last asynchronous responses sent, by the RequestID they
    /// answer (the newest [`MAX_FINAL_CODES`]): what a User system should have recorded.
    final_codes: Mutex<VecDeque<(RequestId, ResponseCode)>>,
}

/// Final response codes remembered (see [`Emulator::final_code`]).
const MAX_FINAL_CODES: usize = 1024;

/// What the synchronous handling of one request produced.
enum Outcome {
    /// An HTTP error, no DUIS document.
    Http(StatusCode, String),
    /// A DUIS response, and maybe work for later.
    Duis { xml: String, job: Option<DeviceJob> },
}

/// A command on its way to a device; the answer goes to the response URL (the requesting
/// User's `RequestID`, whoever the command's header names as its originator).
struct DeviceJob {
    command: JobCommand,
    request_id: RequestId,
    service_reference: String,
    service_reference_variant: String,
}

/// What goes to the device.
enum JobCommand {
    /// A frame built from the User's `RequestID` (originator and counter), already handed to
    /// the device when the request was accepted (so it reached the device in counter order):
    /// what the device did with it.
    Answered(crate::sim::Exchange),
    /// A command the DCC sends in its own name: addressed from the ACB with the DCC's next
    /// counter for the device when it is handed over ([`Emulator::dcc_frame`]).
    Dcc {
        template: CommandTemplate,
        target: EntityId,
    },
}

/// A rejection: the check that failed, and why (logged).
struct Refusal {
    check: Check,
    reason: String,
    /// A code other than the check's (the transform's own).
    code: Option<ResponseCode>,
}

fn refuse(check: Check, reason: impl Into<String>) -> Refusal {
    Refusal {
        check,
        reason: reason.into(),
        code: None,
    }
}

/// What the header said, as far as it could be read (for error acknowledgements).
#[derive(Default, Clone)]
struct HeaderEcho {
    request_id: Option<RequestId>,
    service_reference_variant: String,
    command_variant: Option<CommandVariant>,
}

/// What an accepted request produced, for the journal.
#[derive(Default)]
struct Noted {
    /// The code answered, when not I99.
    code: Option<ResponseCode>,
    pre_command: Option<Vec<u8>>,
}

impl Emulator {
    /// Starts the emulator's background work (delivery workers, the devices' clock, alert
    /// forwarding) on the current tokio runtime.
    pub fn start(config: EmulatorConfig) -> Result<Arc<Emulator>, EmulatorError> {
        Self::start_with_twins(config, BTreeSet::new())
    }

    /// As [`Emulator::start`], naming the twin-element meters of the lab
    /// ([`super::lab::Lab::twin_element`]): the transform builds their commands from the
    /// use cases' twin recordings.
    pub fn start_with_twins(
        config: EmulatorConfig,
        twin_element: BTreeSet<EntityId>,
    ) -> Result<Arc<Emulator>, EmulatorError> {
        if config.xml_keys.identity(DCC_XML_SIGNER).is_none() {
            return Err(EmulatorError::NoDccKey);
        }
        let delivery = Delivery::start(&config.response_url, config.delivery_timeout)?;
        let sim = SharedSimulator::new(config.simulator);
        let emulator = Arc::new(Emulator {
            sim,
            gbcs_keys: config.gbcs_keys,
            acb: config.acb,
            devices: config.devices,
            roles: config.roles,
            xml_keys: config.xml_keys,
            skeletons: config.skeletons,
            faults: config.faults,
            delivery,
            state: Mutex::new(RequestState::default()),
            jobs: Arc::new(Semaphore::new(MAX_JOBS)),
            handoff: std::sync::Mutex::new(()),
            counts: Counts::default(),
            dcc_counter: AtomicU64::new(now_millis()),
            twin_element,
            dcc_device_counters: Mutex::new(HashMap::new()),
            dcc_counter_floor: now_millis(),
            journal: Journal::new(),
            tamper_pre_commands: AtomicBool::new(false),
            final_codes: Mutex::new(VecDeque::new()),
        });
        emulator.sim.start_clock();
        let mut due = emulator.sim.subscribe_alerts();
        let weak = Arc::downgrade(&emulator);
        tokio::spawn(async move {
            loop {
                match due.recv().await {
                    Ok(alert) => match weak.upgrade() {
                        Some(e) => e.deliver_alert(&alert),
                        None => return,
                    },
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        eprintln!("duis: {n} future-dated alerts lost (lagging)");
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                }
            }
        });
        Ok(emulator)
    }

    /// The HTTP interface.
    pub fn router(self: &Arc<Self>) -> Router {
        Router::new()
            .route(ServiceUrl::SendCommand.path(), post(service_s))
            .route(ServiceUrl::Transform.path(), post(service_t))
            .route(ServiceUrl::NonDevice.path(), post(service_d))
            .route("/emulator/dcc-alert", post(dcc_alert))
            .route("/emulator/stats", get(stats))
            .route("/health", get(|| async { "ok\n" }))
            .with_state(self.clone())
    }

    /// Serves on `listener` until it fails, at most `max_connections` at once, closing
    /// connections idle for `idle`.
    pub async fn serve(
        self: Arc<Self>,
        listener: TcpListener,
        max_connections: usize,
        idle: Duration,
    ) -> std::io::Result<()> {
        let app = self.router();
        axum::serve(BoundedListener::new(listener, max_connections, idle), app).await
    }

    pub fn stats(&self) -> EmulatorStats {
        EmulatorStats {
            requests: self.counts.requests.load(Ordering::Relaxed),
            by_code: self
                .counts
                .by_code
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone(),
            http_errors: self.counts.http_errors.load(Ordering::Relaxed),
            device_jobs: self.counts.device_jobs.load(Ordering::Relaxed),
            skeletons: self
                .counts
                .skeletons
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone(),
            deliveries: self.delivery.stats(),
        }
    }

    /// Waits (at most `within`) until the delivery counts satisfy `until`.
    pub async fn wait_for_deliveries(
        &self,
        within: Duration,
        until: impl FnMut(&DeliveryCounts) -> bool,
    ) -> DeliveryCounts {
        self.delivery.wait_for(within, until).await
    }

    fn count_code(&self, code: ResponseCode) {
        *self
            .counts
            .by_code
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(code.as_str().to_string())
            .or_default() += 1;
    }

    fn lock_state(&self) -> std::sync::MutexGuard<'_, RequestState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    // -----------------------------------------------------------------------------------------
    // Synchronous handling

    fn handle(self: &Arc<Self>, url: ServiceUrl, headers: &HeaderMap, body: &[u8]) -> Outcome {
        self.counts.requests.fetch_add(1, Ordering::Relaxed);
        let xml_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .eq_ignore_ascii_case("application/xml")
            })
            .unwrap_or(false);
        if !xml_type {
            return self.refused_http(
                url,
                body,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "expected Content-Type: application/xml".into(),
            );
        }
        let doc = match xml::parse(body) {
            Ok(d) => d,
            Err(e) => {
                return self.refused_http(
                    url,
                    body,
                    StatusCode::BAD_REQUEST,
                    format!("not a DUIS document: {e}"),
                )
            }
        };
        let echo = header_echo(&doc);
        let mut noted = Noted::default();
        let result = self.check_and_run(url, &doc, &echo, &mut noted);
        let verdict = match &result {
            Ok(_) => Verdict::Accepted {
                code: noted.code.unwrap_or(ResponseCode::I99),
            },
            Err(r) => Verdict::Refused {
                check: r.check,
                code: r.code.unwrap_or_else(|| r.check.code()),
                reason: r.reason.clone(),
            },
        };
        self.journal.record(JournalEntry {
            seq: 0,
            url,
            body: body.to_vec(),
            request_id: echo.request_id,
            service_reference_variant: echo.service_reference_variant.clone(),
            command_variant: echo.command_variant,
            verdict,
            pre_command: noted.pre_command,
            at: Instant::now(),
        });
        match result {
            Ok(outcome) => outcome,
            Err(r) => {
                let code = r.code.unwrap_or_else(|| r.check.code());
                eprintln!(
                    "duis: {} {}: {code} ({:?}: {})",
                    url.path(),
                    echo.request_id
                        .map(|id| id.to_string())
                        .unwrap_or_else(|| "(no request id)".into()),
                    r.check,
                    r.reason
                );
                self.ack(&echo, code, None)
            }
        }
    }

    /// An HTTP refusal, journalled.
    fn refused_http(
        &self,
        url: ServiceUrl,
        body: &[u8],
        status: StatusCode,
        reason: String,
    ) -> Outcome {
        self.journal.record(JournalEntry {
            seq: 0,
            url,
            body: body.to_vec(),
            request_id: None,
            service_reference_variant: String::new(),
            command_variant: None,
            verdict: Verdict::Http {
                status: status.as_u16(),
                reason: reason.clone(),
            },
            pre_command: None,
            at: Instant::now(),
        });
        Outcome::Http(status, format!("{reason}\n"))
    }

    /// A synchronous DUIS response: the request's header echoed, `code`, and a
    /// `ResponseMessage` (SR, SRV, and `content` if any).
    fn ack(&self, echo: &HeaderEcho, code: ResponseCode, content: Option<Element>) -> Outcome {
        self.count_code(code);
        // SR and SRV are echoed when they name a service of the catalogue; a request whose
        // SRV is not one (refused E11) gets an empty body, there being nothing valid to echo.
        // (When the SR does not match the SRV, the catalogue's SR for the SRV is written.)
        let message = services::find(&echo.service_reference_variant).map(|service| {
            let mut message = Element::new(SR_NS, Some("sr"), "ResponseMessage");
            message.push(sr("ServiceReference", service.reference));
            message.push(sr("ServiceReferenceVariant", service.variant));
            if let Some(c) = content {
                message.push(c);
            }
            message
        });
        let doc = response_document(echo.request_id.as_ref(), None, code, message);
        Outcome::Duis {
            xml: self.finish(doc),
            job: None,
        }
    }

    fn check_and_run(
        self: &Arc<Self>,
        url: ServiceUrl,
        doc: &Document,
        echo: &HeaderEcho,
        noted: &mut Noted,
    ) -> Result<Outcome, Refusal> {
        if let Err(errors) = validate(doc) {
            let first = errors.first().map(|e| e.to_string()).unwrap_or_default();
            return Err(refuse(
                Check::Schema,
                format!("{} schema errors, first: {first}", errors.len()),
            ));
        }
        let request =
            Request::from_document(doc).map_err(|e| refuse(Check::Schema, e.to_string()))?;
        let id = request.header.request_id;
        let signer = signature::verify(doc, &self.xml_keys)
            .map_err(|e| refuse(Check::Signature, e.to_string()))?;
        if signer.eui != Some(id.originator) {
            return Err(refuse(
                Check::Signature,
                format!(
                    "signed by {} ({} #{}), not by the originator {}",
                    signer
                        .eui
                        .map(|e| request_id::format_eui(&e))
                        .unwrap_or_else(|| "an unnamed certificate".into()),
                    signer.issuer,
                    signer.serial,
                    request_id::format_eui(&id.originator)
                ),
            ));
        }
        let role = *self
            .roles
            .get(&id.originator)
            .ok_or_else(|| refuse(Check::UnknownUser, "the originator has no DCC User role"))?;
        let cv = request.header.command_variant;
        if cv.url() != Some(url) {
            return Err(refuse(
                Check::WrongUrl,
                format!(
                    "command variant {cv} goes to {}",
                    cv.url().map(|u| u.path()).unwrap_or("no URL")
                ),
            ));
        }
        let srv = request.header.service_reference_variant.as_str();
        let service = services::find(srv)
            .ok_or_else(|| refuse(Check::ServiceVariant, format!("unknown SRV {srv:?}")))?;
        if service.reference != request.header.service_reference {
            return Err(refuse(
                Check::ServiceVariant,
                format!(
                    "SRV {srv} belongs to SR {}, not {}",
                    service.reference, request.header.service_reference
                ),
            ));
        }
        if !service.allows(cv) {
            return Err(refuse(
                Check::ServiceVariant,
                format!("SRV {srv} does not allow command variant {cv}"),
            ));
        }
        if !service.eligible(role) {
            return Err(refuse(
                Check::Role,
                format!("role {role} is not eligible for SRV {srv}"),
            ));
        }
        let device = if cv == CommandVariant::NonDevice {
            if id.target != DCC_XML_SIGNER {
                return Err(refuse(
                    Check::UnknownDevice,
                    "a non-device request targets the DCC",
                ));
            }
            None
        } else {
            Some(*self.devices.get(&id.target).ok_or_else(|| {
                refuse(Check::UnknownDevice, "the target is not in the inventory")
            })?)
        };
        if cv.is_signed_pre_command() {
            return self.signed_pre_command(&request, echo);
        }
        // Held until the command has reached the device: requests checked side by side reach
        // it in the order their counters were accepted, as a device requires.
        let _handoff = self
            .handoff
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.accept_counter(&id)?;
        if let Some(code) = self.faults.e_code(srv) {
            noted.code = Some(code);
            return Ok(self.ack(echo, code, None));
        }
        match (cv, device) {
            (CommandVariant::NonDevice, _) => self.non_device(&request, echo),
            (CommandVariant::NonCriticalWan, Some(kind)) => {
                let t = self.transform(&request, kind)?;
                let command = match t.originator {
                    CommandOriginator::User => {
                        let frame = t
                            .template
                            .build(
                                addressing(&id),
                                &self.gbcs_keys,
                                Some(self.acb),
                                Tampering::default(),
                            )
                            .map_err(|e| refuse(Check::Transform, e.to_string()))?;
                        JobCommand::Answered(self.sim.handle(&frame))
                    }
                    CommandOriginator::Dcc => {
                        // Built now to refuse what cannot be (no ACB key): the counter it
                        // goes with is the one current when the device gets it.
                        let trial = self.dcc_addressing(id.target, self.dcc_counter_floor);
                        t.template
                            .build(trial, &self.gbcs_keys, Some(self.acb), Tampering::default())
                            .map_err(|e| refuse(Check::Transform, e.to_string()))?;
                        JobCommand::Dcc {
                            template: t.template,
                            target: id.target,
                        }
                    }
                };
                self.accepted(&request, echo, command)
            }
            (CommandVariant::Transform, Some(kind)) => {
                let t = self.transform(&request, kind)?;
                if t.originator == CommandOriginator::Dcc {
                    // The DCC signs what it sends in its own name: nothing for the User to sign.
                    return Err(refuse(
                        Check::Unsupported,
                        format!(
                            "{} is sent by the DCC in its own name: no pre-command (send it as command variant 1)",
                            t.use_case
                        ),
                    ));
                }
                let (issued, bytes) = precommand::issue(
                    &t.template,
                    addressing(&id),
                    self.faults.tampered_pre_command
                        || self.tamper_pre_commands.load(Ordering::Relaxed),
                );
                noted.code = Some(ResponseCode::I0);
                noted.pre_command = Some(bytes.clone());
                let mut pre = Element::new(SR_NS, Some("sr"), "PreCommand");
                pre.push(sr("GBCSVersion", GBCS_VERSION));
                pre.push(sr("GBCSPayload", &base64_encode(&bytes)));
                self.remember(
                    id,
                    Pending {
                        issued,
                        bytes,
                        service_reference: request.header.service_reference.clone(),
                        service_reference_variant: srv.to_string(),
                    },
                );
                Ok(self.ack(echo, ResponseCode::I0, Some(pre)))
            }
            _ => Err(refuse(
                Check::Unsupported,
                format!("command variant {cv} is not supported by this emulator"),
            )),
        }
    }

    fn transform(
        &self,
        request: &Request,
        kind: DeviceKind,
    ) -> Result<transform::Transformed, Refusal> {
        let options = Options {
            twin: self
                .twin_element
                .contains(&request.header.request_id.target),
            ..Options::default()
        };
        let t = transform::transform_with(request, kind, options, &self.skeletons).map_err(
            |e: TransformError| Refusal {
                check: Check::Transform,
                reason: format!("{e} ({})", e.reason()),
                code: Some(e.response_code()),
            },
        )?;
        *self
            .counts
            .skeletons
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(t.skeleton.clone())
            .or_default() += 1;
        Ok(t)
    }

    /// A command from the DCC (its access control broker) to `target` with `counter`.
    fn dcc_addressing(&self, target: EntityId, counter: u64) -> Addressing {
        Addressing {
            originator: self.acb,
            recipient: target,
            counter,
        }
    }

    /// Hands a command the DCC sends in its own name to the device: addressed from the ACB
    /// with the DCC's next counter for the device (strictly above the last, and above the
    /// emulator's start time in ms), MAC'd as the ACB. The counters' lock is held until the
    /// device has taken it, so concurrent commands reach it in counter order.
    fn send_dcc_command(
        &self,
        template: &CommandTemplate,
        target: EntityId,
    ) -> Result<crate::sim::Exchange, String> {
        let mut counters = self
            .dcc_device_counters
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let last = counters.get(&target).copied().unwrap_or(0);
        let counter = last
            .checked_add(1)
            .ok_or("the DCC's counter for the device is exhausted")?
            .max(self.dcc_counter_floor);
        let frame = template
            .build(
                self.dcc_addressing(target, counter),
                &self.gbcs_keys,
                Some(self.acb),
                Tampering::default(),
            )
            .map_err(|e| e.to_string())?;
        counters.insert(target, counter);
        Ok(self.sim.handle(&frame))
    }

    /// Every request received so far and the verdict of the checks.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// From now on, pre-commands differ from their request (one payload byte) — or not.
    pub fn set_tampered_pre_commands(&self, on: bool) {
        self.tamper_pre_commands.store(on, Ordering::Relaxed);
    }

    /// A DCC-signed asynchronous response to `request_id` (`code`, an empty
    /// `ResponseMessage` for `srv` when it names a service): what the DCC delivers to a User.
    pub fn response_to(&self, request_id: &RequestId, srv: &str, code: ResponseCode) -> String {
        let message = services::find(srv).map(|service| {
            let mut message = Element::new(SR_NS, Some("sr"), "ResponseMessage");
            message.push(sr("ServiceReference", service.reference));
            message.push(sr("ServiceReferenceVariant", service.variant));
            message
        });
        let response_id =
            RequestId::new(request_id.target, request_id.originator, request_id.counter);
        self.finish(response_document(
            Some(request_id),
            Some(&response_id),
            code,
            message,
        ))
    }

    /// A device alert (a GBCS alert frame) as the DCC delivers it: a DCC-signed
    /// `DeviceAlertMessage`, to `to` when given (else to the frame's recipient); `None` when
    /// the frame does not decode.
    pub fn device_alert(&self, frame: &[u8], to: Option<EntityId>) -> Option<String> {
        let mut doc = self.alert_document(frame)?;
        if let Some(user) = to {
            // The alert as delivered to `user`: its ResponseID names it as the recipient.
            let header = doc.root.child_mut(SR_NS, "Header")?;
            let id = header.child_mut(SR_NS, "ResponseID")?;
            let old: RequestId = id.text().trim().parse().ok()?;
            let new = RequestId::new(old.originator, user, old.counter);
            id.children = vec![Node::Text(new.to_string())];
        }
        Some(self.finish(doc))
    }

    /// A DCC alert as the DCC delivers it (DCC-signed), without delivering it.
    pub fn dcc_alert_document(&self, request: &DccAlertRequest) -> Result<String, String> {
        self.dcc_alert_doc(request).map(|doc| self.finish(doc))
    }

    /// Signs a document as the DCC (for documents a test shapes itself).
    pub fn signed(&self, doc: Document) -> String {
        self.finish(doc)
    }

    /// The DCC's last counter for `device` (commands it sent in its own name), if any.
    pub fn dcc_counter_of(&self, device: EntityId) -> Option<u64> {
        self.dcc_device_counters
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&device)
            .copied()
    }

    /// Records the counter as accepted, if strictly above the originator's last.
    fn accept_counter(&self, id: &RequestId) -> Result<(), Refusal> {
        let mut state = self.lock_state();
        let last = state.last_counter.get(&id.originator).copied();
        if let Some(last) = last.filter(|l| id.counter <= *l) {
            return Err(refuse(
                Check::Counter,
                format!(
                    "counter {} is not above the last accepted {last}",
                    id.counter
                ),
            ));
        }
        state.last_counter.insert(id.originator, id.counter);
        Ok(())
    }

    fn remember(&self, id: RequestId, pending: Pending) {
        let mut state = self.lock_state();
        if state.pending.insert(id, pending).is_none() {
            state.order.push_back(id);
        }
        while state.order.len() > MAX_PENDING_PRE_COMMANDS {
            if let Some(old) = state.order.pop_front() {
                state.pending.remove(&old);
            }
        }
    }

    fn signed_pre_command(
        self: &Arc<Self>,
        request: &Request,
        echo: &HeaderEcho,
    ) -> Result<Outcome, Refusal> {
        let id = request.header.request_id;
        let RequestBody::SignedPreCommand { gbcs_payload } = &request.body else {
            return Err(refuse(
                Check::Schema,
                "CV 5 without a SignedPreCommand body",
            ));
        };
        if request.header.command_variant != CommandVariant::SignedPreCommandWan {
            return Err(refuse(
                Check::Unsupported,
                "only CV 5 (WAN delivery) is supported for signed pre-commands",
            ));
        }
        // Taken out only once it checks: a refused CV 5 may be corrected and sent again.
        let issued = {
            let state = self.lock_state();
            let Some(p) = state.pending.get(&id) else {
                return Err(refuse(
                    Check::Counter,
                    "no pre-command is outstanding for this request id",
                ));
            };
            if p.service_reference != request.header.service_reference
                || p.service_reference_variant != request.header.service_reference_variant
            {
                return Err(refuse(
                    Check::Counter,
                    format!(
                        "the pre-command was issued for SRV {}, not {}",
                        p.service_reference_variant, request.header.service_reference_variant
                    ),
                ));
            }
            (p.issued.clone(), p.bytes.clone())
        };
        let sig = precommand::check(&issued.1, gbcs_payload, &self.gbcs_keys, id.originator)
            .map_err(|e| {
                let check = match e {
                    PreCommandError::BadSignature { .. } | PreCommandError::NoKey(_) => {
                        Check::PreCommandSignature
                    }
                    _ => Check::PreCommandDiffers,
                };
                refuse(check, e.to_string())
            })?;
        {
            let mut state = self.lock_state();
            if state.pending.remove(&id).is_none() {
                // A concurrent CV 5 with the same id took it.
                return Err(refuse(Check::Counter, "the pre-command was already used"));
            }
            state.order.retain(|o| *o != id);
        }
        if let Some(code) = self
            .faults
            .e_code(&request.header.service_reference_variant)
        {
            return Ok(self.ack(echo, code, None));
        }
        let frame = precommand::frame(issued.0, sig, &self.gbcs_keys, self.acb)
            .map_err(|e| refuse(Check::Transform, e.to_string()))?;
        let exchange = self.sim.handle(&frame);
        self.accepted(request, echo, JobCommand::Answered(exchange))
    }

    /// I99, and the frame queued for the device.
    fn accepted(
        self: &Arc<Self>,
        request: &Request,
        echo: &HeaderEcho,
        command: JobCommand,
    ) -> Result<Outcome, Refusal> {
        let Outcome::Duis { xml, .. } = self.ack(echo, ResponseCode::I99, None) else {
            unreachable!("ack is always a DUIS response")
        };
        Ok(Outcome::Duis {
            xml,
            job: Some(DeviceJob {
                command,
                request_id: request.header.request_id,
                service_reference: request.header.service_reference.clone(),
                service_reference_variant: request.header.service_reference_variant.clone(),
            }),
        })
    }

    fn non_device(&self, request: &Request, echo: &HeaderEcho) -> Result<Outcome, Refusal> {
        if request.header.service_reference_variant != "8.2" {
            return Err(refuse(
                Check::Unsupported,
                format!(
                    "non-device service {} is not emulated (only 8.2 Read Inventory)",
                    request.header.service_reference_variant
                ),
            ));
        }
        let RequestBody::Service(body) = &request.body else {
            return Err(refuse(Check::Schema, "8.2 without a ReadInventory body"));
        };
        let wanted = body
            .child(SR_NS, "DeviceID")
            .map(|e| request_id::parse_eui("DeviceID", e.text().trim()));
        let devices: Vec<(EntityId, DeviceKind)> = match wanted {
            Some(Ok(id)) if self.devices.contains_key(&id) => {
                // One premises: every device behind the same comms hub.
                self.devices.iter().map(|(k, v)| (*k, *v)).collect()
            }
            Some(_) => {
                return Err(refuse(
                    Check::UnknownDevice,
                    "ReadInventory names no device in the inventory",
                ))
            }
            None => self.devices.iter().map(|(k, v)| (*k, *v)).collect(),
        };
        let mut inventory = Element::new(SR_NS, Some("sr"), "DSPInventory");
        for (id, kind) in devices.into_iter().take(17) {
            inventory.push(inventory_device(id, kind));
        }
        Ok(self.ack(echo, ResponseCode::I0, Some(inventory)))
    }

    // -----------------------------------------------------------------------------------------
    // Asynchronous work

    /// Signs (or, by fault, does not sign or spoils the signature of) a document.
    fn finish(&self, mut doc: Document) -> String {
        if !self.faults.unsigned_response {
            if let Some(identity) = self.xml_keys.identity(DCC_XML_SIGNER) {
                if let Err(e) = signature::sign(&mut doc, identity) {
                    eprintln!("duis: cannot sign a response: {e}");
                }
            }
            if self.faults.bad_dcc_signature {
                spoil(&mut doc);
            }
        }
        doc.to_xml()
    }

    fn note_final_code(&self, id: RequestId, code: ResponseCode) {
        let mut codes = self.final_codes.lock().unwrap_or_else(|e| e.into_inner());
        if codes.len() >= MAX_FINAL_CODES {
            codes.pop_front();
        }
        codes.push_back((id, code));
    }

    /// The code of the asynchronous response sent for request `id` (I0 with the device's
    /// answer, E20 when the device gave none), if one was sent lately.
    pub fn final_code(&self, id: &RequestId) -> Option<ResponseCode> {
        let codes = self.final_codes.lock().unwrap_or_else(|e| e.into_inner());
        codes.iter().rev().find(|(i, _)| i == id).map(|(_, c)| *c)
    }

    fn deliver(&self, doc: Document) {
        let xml = self.finish(doc);
        if self.faults.duplicate_delivery {
            self.delivery.send(xml.clone());
        }
        self.delivery.send(xml);
    }

    /// Runs a job under the permit taken before its request was checked.
    fn spawn_job(self: &Arc<Self>, job: DeviceJob, permit: tokio::sync::OwnedSemaphorePermit) {
        self.counts.device_jobs.fetch_add(1, Ordering::Relaxed);
        let me = self.clone();
        tokio::spawn(async move {
            let _permit = permit;
            me.run_job(job).await;
        });
    }

    async fn run_job(&self, job: DeviceJob) {
        let exchange = match &job.command {
            JobCommand::Answered(exchange) => exchange.clone(),
            JobCommand::Dcc { template, target } => {
                match self.send_dcc_command(template, *target) {
                    Ok(exchange) => exchange,
                    Err(e) => {
                        eprintln!(
                            "duis: cannot send the DCC's command of {}: {e}",
                            job.request_id
                        );
                        Default::default()
                    }
                }
            }
        };
        if let Some(r) = &exchange.rejection {
            eprintln!(
                "duis: device discarded the command of {}: {r}",
                job.request_id
            );
        }
        let delay =
            exchange.delay.unwrap_or_default() + self.faults.late_response.unwrap_or_default();
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        if self.faults.no_response {
            return;
        }
        let mut message = Element::new(SR_NS, Some("sr"), "ResponseMessage");
        message.push(sr("ServiceReference", &job.service_reference));
        message.push(sr(
            "ServiceReferenceVariant",
            &job.service_reference_variant,
        ));
        let code = match &exchange.response {
            Some(frame) => {
                message.push(sr("GBCSPayload", &base64_encode(frame)));
                ResponseCode::I0
            }
            None => ResponseCode::E20,
        };
        self.note_final_code(job.request_id, code);
        let response_id = job.request_id.response_id();
        self.deliver(response_document(
            Some(&job.request_id),
            Some(&response_id),
            code,
            Some(message),
        ));
        for alert in &exchange.alerts {
            self.deliver_alert(alert);
        }
    }

    /// A device alert frame as a `DeviceAlertMessage` to the User.
    fn deliver_alert(&self, frame: &[u8]) {
        if let Some(doc) = self.alert_document(frame) {
            self.deliver(doc);
        }
    }

    /// The `DeviceAlertMessage` for an alert frame from the devices.
    fn alert_document(&self, frame: &[u8]) -> Option<Document> {
        let (code, response_id) = match decode_frame(frame) {
            Ok(f) => {
                let h = f.header();
                let code = decode_payload(
                    f.general_signing.content.as_slice(),
                    0,
                    h.message_code().unwrap_or(crate::codec::MessageCode(0)),
                    h.cra,
                )
                .ok()
                .and_then(|p| match p {
                    Payload::Dlms(a) => a.alert_code(),
                    Payload::Gbz(g) => g.alert_code(),
                    Payload::Asn1(_) => None,
                })
                .or_else(|| h.message_code().map(|m| m.0))
                .unwrap_or(0);
                (code, RequestId::new(h.originator, h.recipient, h.counter))
            }
            Err(e) => {
                eprintln!("duis: an alert from the devices does not decode: {e}");
                return None;
            }
        };
        let mut message = Element::new(SR_NS, Some("sr"), "DeviceAlertMessage");
        message.push(sr("AlertCode", &format!("{code:04X}")));
        message.push(sr("GBCSPayload", &base64_encode(frame)));
        Some(response_document(
            None,
            Some(&response_id),
            ResponseCode::I0,
            Some(message),
        ))
    }

    /// A DCC alert to a User.
    pub fn dcc_alert(&self, request: &DccAlertRequest) -> Result<(), String> {
        let doc = self.dcc_alert_doc(request)?;
        self.deliver(doc);
        Ok(())
    }

    fn dcc_alert_doc(&self, request: &DccAlertRequest) -> Result<Document, String> {
        if !is_dcc_alert_code(&request.code) {
            return Err(format!("{:?} is not a DCC alert code", request.code));
        }
        let parse = |what: &'static str, s: &Option<String>| -> Result<Option<EntityId>, String> {
            s.as_deref()
                .map(|t| request_id::parse_eui(what, t).map_err(|e| e.to_string()))
                .transpose()
        };
        let device = parse("device", &request.device)?
            .or_else(|| self.devices.keys().next().copied())
            .ok_or("no device to name")?;
        let recipient = parse("recipient", &request.recipient)?
            .or_else(|| self.roles.keys().next().copied())
            .ok_or("no DCC User to send it to")?;
        let counter = self.dcc_counter.fetch_add(1, Ordering::Relaxed);
        let event = match request.event.as_deref().unwrap_or("command-failure") {
            "command-failure" => {
                let mut e = Element::new(SR_NS, Some("sr"), "CommandFailure");
                let failed = RequestId::new(recipient, device, counter);
                e.push(sr("CommandRequestID", &failed.to_string()));
                e.push(sr("DeviceID", &request_id::format_eui(&device)));
                e
            }
            "power-outage" => {
                let mut e = Element::new(SR_NS, Some("sr"), "PowerOutageEvent");
                e.push(sr("CommsHubDeviceID", &request_id::format_eui(&device)));
                e.push(sr("StartDateTime", &date_time_now()));
                e.push(sr("MPxN", "1234567890123"));
                e
            }
            other => {
                return Err(format!(
                    "unknown event {other:?} (command-failure, power-outage)"
                ))
            }
        };
        let mut alert = Element::new(SR_NS, Some("sr"), "DCCAlert");
        alert.push(event);
        let mut message = Element::new(SR_NS, Some("sr"), "DCCAlertMessage");
        message.push(sr("DCCAlertCode", &request.code));
        message.push(alert);
        let response_id = RequestId::new(DCC_XML_SIGNER, recipient, counter);
        Ok(response_document(
            None,
            Some(&response_id),
            ResponseCode::I0,
            Some(message),
        ))
    }
}

/// The body of `POST /emulator/dcc-alert`.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct DccAlertRequest {
    pub code: String,
    #[serde(default)]
    pub device: Option<String>,
    #[serde(default)]
    pub recipient: Option<String>,
    #[serde(default)]
    pub event: Option<String>,
}

fn addressing(id: &RequestId) -> Addressing {
    Addressing {
        originator: id.originator,
        recipient: id.target,
        counter: id.counter,
    }
}

/// Breaks a signed document's signature: the response date-time changes after signing.
fn spoil(doc: &mut Document) {
    if let Some(h) = doc.root.child_mut(SR_NS, "Header") {
        if let Some(t) = h.child_mut(SR_NS, "ResponseDateTime") {
            t.children = vec![Node::Text("2000-01-01T00:00:00.000Z".into())];
        }
    }
}

fn sr(local: &str, text: &str) -> Element {
    Element::new(SR_NS, Some("sr"), local).with_text(text)
}

/// An `sr:Response` with this header and body element.
fn response_document(
    request_id: Option<&RequestId>,
    response_id: Option<&RequestId>,
    code: ResponseCode,
    body: Option<Element>,
) -> Document {
    let mut root =
        Element::new(SR_NS, Some("sr"), "Response").with_attribute("schemaVersion", SCHEMA_VERSION);
    root.declare(Some("sr"), SR_NS);
    let mut header = Element::new(SR_NS, Some("sr"), "Header");
    if let Some(id) = request_id {
        header.push(sr("RequestID", &id.to_string()));
    }
    if let Some(id) = response_id {
        header.push(sr("ResponseID", &id.to_string()));
    }
    header.push(sr("ResponseCode", code.as_str()));
    header.push(sr("ResponseDateTime", &date_time_now()));
    let mut b = Element::new(SR_NS, Some("sr"), "Body");
    if let Some(body) = body {
        b.push(body);
    }
    root.push(header);
    root.push(b);
    Document::new(root)
}

/// What the header says, read as leniently as possible.
fn header_echo(doc: &Document) -> HeaderEcho {
    let Some(h) = doc.root.child(SR_NS, "Header") else {
        return HeaderEcho::default();
    };
    let text = |local: &str| -> String {
        h.child(SR_NS, local)
            .map(|e| e.text().trim().chars().take(64).collect())
            .unwrap_or_default()
    };
    HeaderEcho {
        request_id: text("RequestID").parse().ok(),
        service_reference_variant: text("ServiceReferenceVariant"),
        command_variant: text("CommandVariant")
            .parse::<u8>()
            .ok()
            .and_then(CommandVariant::from_u8),
    }
}

fn inventory_device(id: EntityId, kind: DeviceKind) -> Element {
    let device_type = match kind {
        DeviceKind::Esme | DeviceKind::LoadControlledEsme => "ESME",
        DeviceKind::Gsme => "GSME",
        DeviceKind::CommsHub => "CHF",
        DeviceKind::Gpf => "GPF",
        DeviceKind::Ppmid => "PPMID",
        DeviceKind::Hcalcs => "HCALCS",
    };
    let mut d = Element::new(SR_NS, Some("sr"), "Device");
    d.push(sr("DeviceID", &request_id::format_eui(&id)));
    d.push(sr("DeviceType", device_type));
    d.push(sr("DeviceStatus", "Commissioned"));
    d.push(sr("DeviceManufacturer", "FFFE"));
    d.push(sr("DeviceModel", "GBCSHARNESS"));
    d.push(sr("CPLStatus", "Active"));
    d.push(sr("CSPRegion", "Central"));
    d.push(sr("DeviceGBCSVersion", "4.0"));
    d
}

fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Now, as `xs:dateTime` in UTC with milliseconds.
fn date_time_now() -> String {
    let ms = now_millis();
    let secs = (ms / 1000) as i64;
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        s / 3600,
        (s / 60) % 60,
        s % 60,
        ms % 1000
    )
}

// ---------------------------------------------------------------------------------------------
// Handlers

async fn service_s(State(e): State<Arc<Emulator>>, headers: HeaderMap, body: Body) -> Response {
    service(e, ServiceUrl::SendCommand, headers, body).await
}

async fn service_t(State(e): State<Arc<Emulator>>, headers: HeaderMap, body: Body) -> Response {
    service(e, ServiceUrl::Transform, headers, body).await
}

async fn service_d(State(e): State<Arc<Emulator>>, headers: HeaderMap, body: Body) -> Response {
    service(e, ServiceUrl::NonDevice, headers, body).await
}

async fn service(e: Arc<Emulator>, url: ServiceUrl, headers: HeaderMap, body: Body) -> Response {
    let Ok(bytes) = axum::body::to_bytes(body, MAX_DOCUMENT_BYTES).await else {
        e.counts.http_errors.fetch_add(1, Ordering::Relaxed);
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request larger than the {MAX_DOCUMENT_BYTES}-byte limit (or unreadable)\n"),
        )
            .into_response();
    };
    // A permit for the device job the request may become, taken before anything is checked:
    // at the limit the request is refused untouched, never after its command reached a device.
    let Ok(permit) = e.jobs.clone().try_acquire_owned() else {
        e.counts.http_errors.fetch_add(1, Ordering::Relaxed);
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("{MAX_JOBS} commands already in flight\n"),
        )
            .into_response();
    };
    // Parsing, canonicalisation and signature checks are CPU work: off the async threads.
    let worker = e.clone();
    let outcome = tokio::task::spawn_blocking(move || worker.handle(url, &headers, &bytes)).await;
    match outcome {
        Ok(Outcome::Duis { xml, job }) => {
            if let Some(job) = job {
                e.spawn_job(job, permit);
            }
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/xml")],
                xml,
            )
                .into_response()
        }
        Ok(Outcome::Http(status, text)) => {
            e.counts.http_errors.fetch_add(1, Ordering::Relaxed);
            (status, text).into_response()
        }
        Err(join) => {
            e.counts.http_errors.fetch_add(1, Ordering::Relaxed);
            eprintln!("duis: request handling failed: {join}");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response()
        }
    }
}

async fn dcc_alert(State(e): State<Arc<Emulator>>, body: Bytes) -> Response {
    let request = match serde_json::from_slice::<DccAlertRequest>(&body) {
        Ok(r) => r,
        Err(err) => {
            return (
                StatusCode::BAD_REQUEST,
                format!("expected {{\"code\": \"N…\", \"device\": \"EUI\"}}: {err}\n"),
            )
                .into_response()
        }
    };
    match e.dcc_alert(&request) {
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        Err(why) => (StatusCode::BAD_REQUEST, format!("{why}\n")).into_response(),
    }
}

async fn stats(State(e): State<Arc<Emulator>>) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_string(&e.stats()).unwrap_or_default(),
    )
        .into_response()
}
