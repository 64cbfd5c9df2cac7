//! The DCC emulator (`simulate --duis`) over real sockets: each check with the request that
//! violates it and the code it gets, each fault profile, the CV 1, CV 8 and CV 4 → CV 5 flows
//! end to end (requests signed with the ZAZ1 XML keys, asynchronous deliveries received by a
//! real HTTP receiver that verifies the DCC's signature), bad input, the CLI on port 0, and
//! the latency and rate the emulator holds (printed, never asserted).
//!
//! Data: `$GBCS_DUIS_DIR` (default `../shared/duis`: templates, ZAZ1 XML keys, fixtures) and
//! `$GBCS_RTDS_DIR/keystore` (default `../shared/rtds`: the ZAZ1 GBCS keys of the RTDS lab,
//! whose ids the templates use). Without them the tests say so and pass, unless
//! `GBCS_REQUIRE_RTDS=1`. Waits are on channels with timeouts, never sleeps.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use tokio::sync::{mpsc, Mutex};

use gbcs_harness::codec::{decode_frame, CraFlag, EntityId};
use gbcs_harness::command::identities::DeviceKind;
use gbcs_harness::crypto::KeyStore;
use gbcs_harness::dcc::emulator::{Emulator, EmulatorConfig};
use gbcs_harness::dcc::faults::DccFaults;
use gbcs_harness::dcc::lab::{self, ZAZ1_OTHER_USER};
use gbcs_harness::dcc::precommand;
use gbcs_harness::dcc::transform::{self, Skeletons};
use gbcs_harness::duis::keys::{XmlKeyStore, DCC_XML_SIGNER};
use gbcs_harness::duis::request::{Request, RequestBody};
use gbcs_harness::duis::request_id::RequestId;
use gbcs_harness::duis::response::{Response, ResponseBody, ResponseContent};
use gbcs_harness::duis::services::{self, CommandVariant, UserRole};
use gbcs_harness::duis::signature::{sign, verify, SignatureError};
use gbcs_harness::duis::validate::validate;
use gbcs_harness::duis::xml::{self, Document, Node, SR_NS};
use gbcs_harness::sim::esme::MeterVariant;
use gbcs_harness::vectors::VectorStore;

// ---------------------------------------------------------------------------------------------
// Test data

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn required() -> bool {
    std::env::var("GBCS_REQUIRE_RTDS").is_ok_and(|v| v == "1")
}

/// The DUIS data and the RTDS GBCS key store, or `None` with a message.
fn data(test: &str) -> Option<(PathBuf, PathBuf)> {
    let duis = std::env::var_os("GBCS_DUIS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate_dir().join("../shared/duis"));
    let rtds = std::env::var_os("GBCS_RTDS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate_dir().join("../shared/rtds"));
    let keys = rtds.join("keystore");
    if duis.join("templates").is_dir() && duis.join("keystore").is_dir() && keys.is_dir() {
        return Some((duis, keys));
    }
    if required() {
        panic!(
            "{test}: DUIS data or RTDS keystore not found ({}, {})",
            duis.display(),
            keys.display()
        );
    }
    eprintln!(
        "{test}: skipped, DUIS data or RTDS keystore not found ({}, {}; set GBCS_DUIS_DIR, GBCS_RTDS_DIR)",
        duis.display(),
        keys.display()
    );
    None
}

fn skeletons() -> &'static Skeletons {
    static S: OnceLock<Skeletons> = OnceLock::new();
    S.get_or_init(|| {
        Skeletons::load(&VectorStore::new(crate_dir().join("vectors"))).expect("vectors load")
    })
}

fn eui(s: &str) -> EntityId {
    s.parse().unwrap()
}

const SUPPLIER: &str = "90b3d51f30010000";
const NETWORK_OPERATOR: &str = "90b3d51f30020000";
const ESME: &str = "00db1234567890a0";
const CV1_TEMPLATE: &str = "ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS.XML";
const INVENTORY_TEMPLATE: &str = "8.2_READ_INVENTORY_REQUEST_DUIS.XML";

fn read_request(dir: &Path, name: &str) -> Request {
    let bytes = std::fs::read(dir.join("templates").join(name)).unwrap();
    Request::from_document(&xml::parse(&bytes).unwrap()).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The User's receiver

/// One asynchronous delivery as the receiver saw it.
#[derive(Debug)]
struct Delivered {
    at: Instant,
    xml: String,
    signature: Result<EntityId, String>,
    response: Response,
}

/// A real HTTP receiver for the emulator's deliveries; verifies the DCC's XML signature and
/// answers 400 when it fails (as a User's system would), passing everything on.
struct Receiver {
    url: String,
    rx: Mutex<mpsc::UnboundedReceiver<Delivered>>,
}

#[derive(Clone)]
struct ReceiverState {
    keys: Arc<XmlKeyStore>,
    tx: mpsc::UnboundedSender<Delivered>,
}

async fn receive(State(s): State<ReceiverState>, body: Bytes) -> StatusCode {
    let at = Instant::now();
    let xml_text = String::from_utf8_lossy(&body).to_string();
    let Ok(doc) = xml::parse(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    let signature = match verify(&doc, &s.keys) {
        Ok(signer) => signer.eui.ok_or_else(|| "no EUI".to_string()),
        Err(e) => Err(e.to_string()),
    };
    let Ok(response) = Response::from_document(&doc) else {
        return StatusCode::BAD_REQUEST;
    };
    let ok = signature.as_ref().is_ok_and(|e| *e == DCC_XML_SIGNER);
    let _ = s.tx.send(Delivered {
        at,
        xml: xml_text,
        signature,
        response,
    });
    if ok {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    }
}

impl Receiver {
    async fn start(keys: XmlKeyStore) -> Receiver {
        let (tx, rx) = mpsc::unbounded_channel();
        let state = ReceiverState {
            keys: Arc::new(keys),
            tx,
        };
        let app = Router::new()
            .route("/smartdcc/duis", post(receive))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver {
            url: format!("http://{addr}/smartdcc/duis"),
            rx: Mutex::new(rx),
        }
    }

    async fn next(&self, within: Duration) -> Option<Delivered> {
        tokio::time::timeout(within, self.rx.lock().await.recv())
            .await
            .ok()
            .flatten()
    }

    /// The next delivery answering `id` (device alerts in between are skipped).
    async fn response_to(&self, id: &RequestId, within: Duration) -> Delivered {
        let until = Instant::now() + within;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            let d = self
                .next(left)
                .await
                .unwrap_or_else(|| panic!("no delivery for {id} within {within:?}"));
            if d.response.header.request_id.as_ref() == Some(id) {
                return d;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The emulator under test

struct Setup {
    duis: PathBuf,
    base: String,
    client: reqwest::Client,
    receiver: Receiver,
    xml_keys: XmlKeyStore,
    gbcs_keys: KeyStore,
    emulator: Arc<Emulator>,
    counter: AtomicU64,
}

#[derive(Default)]
struct Options {
    faults: &'static str,
    roles: Vec<(EntityId, Option<UserRole>)>,
    /// The lab's ESME is twin-element.
    twin: bool,
}

async fn setup(test: &str) -> Option<Setup> {
    setup_with(test, Options::default()).await
}

async fn setup_with(test: &str, options: Options) -> Option<Setup> {
    let (duis, keystore) = data(test)?;
    let xml_keys = XmlKeyStore::load(&duis.join("keystore")).expect("ZAZ1 XML keys load");
    let receiver = Receiver::start(xml_keys.clone()).await;
    let variant = if options.twin {
        MeterVariant::TwinElement
    } else {
        MeterVariant::SingleElement
    };
    let mut lab = lab::rtds_lab_with(&keystore, variant).expect("RTDS lab loads");
    for (id, role) in options.roles {
        match role {
            Some(r) => lab.roles.insert(id, r),
            None => lab.roles.remove(&id),
        };
    }
    let faults: DccFaults = options.faults.parse().unwrap();
    let emulator = Emulator::start_with_twins(
        EmulatorConfig {
            simulator: lab.simulator,
            gbcs_keys: lab.gbcs_keys,
            acb: lab.acb,
            devices: lab.devices,
            roles: lab.roles,
            xml_keys: xml_keys.clone(),
            skeletons: skeletons().clone(),
            faults,
            response_url: receiver.url.clone(),
            delivery_timeout: Duration::from_secs(5),
        },
        lab.twin_element,
    )
    .expect("emulator starts");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let serving = emulator.clone();
    tokio::spawn(async move {
        let _ = serving.serve(listener, 64, Duration::from_secs(30)).await;
    });
    Some(Setup {
        duis,
        base: format!("http://{addr}"),
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap(),
        receiver,
        xml_keys,
        gbcs_keys: KeyStore::load_dir(&keystore).unwrap(),
        emulator,
        counter: AtomicU64::new(1_000_000),
    })
}

const WAIT: Duration = Duration::from_secs(20);

impl Setup {
    /// A template with a fresh counter.
    fn request(&self, name: &str) -> Request {
        let mut r = read_request(&self.duis, name);
        r.header.request_id.counter = self.counter.fetch_add(1, Ordering::Relaxed);
        r
    }

    fn signed(&self, request: &Request, signer: EntityId) -> String {
        let mut doc = request.to_document();
        sign(
            &mut doc,
            self.xml_keys.identity(signer).expect("signer key"),
        )
        .unwrap();
        doc.to_xml()
    }

    async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> (StatusCode, String) {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("emulator answers");
        let status = StatusCode::from_u16(r.status().as_u16()).unwrap();
        (status, r.text().await.unwrap_or_default())
    }

    /// Posts a document; the synchronous DUIS response, checked valid and DCC-signed.
    async fn post_xml(&self, path: &str, xml: String) -> Response {
        let (status, text) = self
            .post_raw(path, "application/xml", xml.into_bytes())
            .await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let doc = xml::parse(text.as_bytes()).unwrap();
        assert!(
            validate(&doc).is_ok(),
            "emulator's answer is not valid DUIS: {text}"
        );
        let signer = verify(&doc, &self.xml_keys).expect("the answer is signed by the DCC");
        assert_eq!(signer.eui, Some(DCC_XML_SIGNER));
        Response::from_document(&doc).unwrap()
    }

    /// Signs `request` as `signer` and posts it to the URL of its command variant.
    async fn send_as(&self, request: &Request, signer: EntityId) -> Response {
        let path = request.header.command_variant.url().unwrap().path();
        self.post_xml(path, self.signed(request, signer)).await
    }

    async fn send(&self, request: &Request) -> Response {
        self.send_as(request, request.header.request_id.originator)
            .await
    }

    async fn code_of(&self, request: &Request) -> String {
        self.send(request).await.header.response_code.to_string()
    }
}

fn pre_command_of(r: &Response) -> Vec<u8> {
    match &r.body {
        ResponseBody::Message(m) => match &m.content {
            ResponseContent::PreCommand { gbcs_payload, .. } => gbcs_payload.clone(),
            other => panic!("no pre-command: {other:?}"),
        },
        other => panic!("not a response message: {other:?}"),
    }
}

fn gbcs_of(d: &Delivered) -> Vec<u8> {
    match &d.response.body {
        ResponseBody::Message(m) => match &m.content {
            ResponseContent::GbcsPayload(p) => p.clone(),
            other => panic!("no GBCS payload: {other:?}\n{}", d.xml),
        },
        other => panic!("not a response message: {other:?}"),
    }
}

/// The CV 5 request carrying `signed` for the CV 4 `request`.
fn cv5(request: &Request, signed: Vec<u8>) -> Request {
    let mut r = request.clone();
    r.header.command_variant = CommandVariant::SignedPreCommandWan;
    r.body = RequestBody::SignedPreCommand {
        gbcs_payload: signed,
    };
    r
}

/// A critical request to the ESME the transform builds, as a CV 4 (the first template, by
/// name, of a critical service with a transform for an ESME).
fn critical_template(duis: &Path) -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let mut names: Vec<String> = std::fs::read_dir(duis.join("templates"))
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().to_string()))
            .collect();
        names.sort();
        for name in names {
            let r = read_request(duis, &name);
            let Some(service) = r.service() else { continue };
            let from_supplier = r.header.request_id.originator == eui(SUPPLIER);
            if service.critical
                && from_supplier
                && r.header.request_id.target == eui(ESME)
                && r.header.command_variant == CommandVariant::Transform
                && service.eligible(UserRole::ImportSupplier)
                && transform::transform(&r, DeviceKind::Esme, skeletons()).is_ok()
            {
                return name;
            }
        }
        panic!("no critical ESME template with a transform");
    })
}

// ---------------------------------------------------------------------------------------------
// Flows

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cv1_is_acknowledged_then_the_device_response_arrives_signed_by_the_dcc() {
    let Some(s) = setup("cv1_flow").await else {
        return;
    };
    let request = s.request(CV1_TEMPLATE);
    let id = request.header.request_id;
    let sent = Instant::now();
    let ack = s.send(&request).await;
    assert_eq!(ack.header.response_code.as_str(), "I99");
    assert_eq!(ack.header.request_id, Some(id));
    let d = s.receiver.response_to(&id, WAIT).await;
    eprintln!("cv1: request → async response {:?}", d.at - sent);
    assert_eq!(d.signature, Ok(DCC_XML_SIGNER), "{}", d.xml);
    assert_eq!(d.response.header.response_code.as_str(), "I0");
    assert_eq!(d.response.header.response_id, Some(id.response_id()));
    assert!(validate(&xml::parse(d.xml.as_bytes()).unwrap()).is_ok());
    let frame = decode_frame(&gbcs_of(&d)).expect("the GBCS payload is a frame");
    let h = frame.header();
    assert_eq!(h.cra, CraFlag::Response);
    assert_eq!(h.originator, eui(ESME));
    assert_eq!(h.recipient, eui(SUPPLIER));
    assert_eq!(
        h.counter, id.counter,
        "the RequestID counter is the GBCS counter"
    );
}

/// The DCC's access control broker, the originator of what the DCC sends in its own name.
const ACB: &str = "90b3d51f30000002";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_the_dcc_sends_in_its_own_name_goes_from_the_acb_and_answers_the_user() {
    let Some(s) = setup("dcc_originated").await else {
        return;
    };
    // ECS50 (9.1): the DCC sends it from its ACB, with the User and the request's counter in
    // the other-information; the device's response goes back to the User's RequestID.
    let mut counters = Vec::new();
    for _ in 0..3 {
        let mut request = s.request("ECS50_9.1_SUCCESS_REQUEST_DUIS.XML");
        // 9.1 is an other user's.
        request.header.request_id.originator = eui(ZAZ1_OTHER_USER);
        let id = request.header.request_id;
        let ack = s.send(&request).await;
        assert_eq!(ack.header.response_code.as_str(), "I99", "{ack:?}");
        let d = s.receiver.response_to(&id, WAIT).await;
        assert_eq!(d.signature, Ok(DCC_XML_SIGNER), "{}", d.xml);
        assert_eq!(d.response.header.response_code.as_str(), "I0", "{}", d.xml);
        assert_eq!(d.response.header.response_id, Some(id.response_id()));
        let frame = decode_frame(&gbcs_of(&d)).expect("the GBCS payload is a frame");
        let h = frame.header();
        assert_eq!(h.cra, CraFlag::Response);
        assert_eq!(h.originator, eui(ESME));
        assert_eq!(h.recipient, eui(ACB), "the device answers the DCC's ACB");
        let dcc = s.emulator.dcc_counter_of(eui(ESME)).expect("a DCC counter");
        assert_eq!(h.counter, dcc, "the response carries the DCC's counter");
        assert_ne!(h.counter, id.counter);
        counters.push(dcc);
    }
    assert!(
        counters.windows(2).all(|w| w[0] < w[1]),
        "the DCC's counter rises strictly per device: {counters:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_twin_element_meter_gets_the_command_of_the_twin_recording() {
    for twin in [false, true] {
        let options = Options {
            twin,
            ..Options::default()
        };
        let Some(s) = setup_with("twin_element", options).await else {
            return;
        };
        let request = s.request("ECS17b_4.1.1_TWIN_SUCCESS_REQUEST_DUIS.XML");
        let id = request.header.request_id;
        assert_eq!(s.code_of(&request).await, "I99");
        let d = s.receiver.response_to(&id, WAIT).await;
        assert_eq!(d.response.header.response_code.as_str(), "I0", "{}", d.xml);
        let expected = if twin {
            "ECS17b_4.1.1_TWIN_SUCCESS"
        } else {
            "ECS17b_4.1.1_SINGLE_SUCCESS"
        };
        let built = s.emulator.stats().skeletons;
        assert_eq!(built.get(expected), Some(&1), "twin {twin}: {built:?}");
        assert_eq!(built.len(), 1, "{built:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cv8_read_inventory_answers_the_simulated_devices() {
    let Some(s) = setup("cv8_flow").await else {
        return;
    };
    let request = s.request(INVENTORY_TEMPLATE);
    let r = s.send(&request).await;
    assert_eq!(r.header.response_code.as_str(), "I0");
    let ResponseBody::Message(m) = &r.body else {
        panic!("{r:?}")
    };
    let ResponseContent::DspInventory(inventory) = &m.content else {
        panic!("{m:?}")
    };
    let ids: Vec<String> = inventory
        .elements()
        .filter_map(|d| d.child(SR_NS, "DeviceID").map(|e| e.text()))
        .collect();
    assert!(
        ids.contains(&"00-DB-12-34-56-78-90-A0".to_string()),
        "{ids:?}"
    );
    assert!(
        ids.contains(&"00-DB-12-34-56-78-90-A2".to_string()),
        "{ids:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cv4_pre_command_signed_by_the_user_then_cv5_reaches_the_device() {
    let Some(s) = setup("cv4_cv5_flow").await else {
        return;
    };
    let request = s.request(critical_template(&s.duis));
    let id = request.header.request_id;
    let sent = Instant::now();
    let r = s.send(&request).await;
    assert_eq!(r.header.response_code.as_str(), "I0", "{r:?}");
    let pre = pre_command_of(&r);
    assert_eq!(pre[0], 0xDF);
    assert_eq!(*pre.last().unwrap(), 0x00, "empty signature field");
    // What the pre-command says is what was asked (the User's Parse & Correlate).
    let expected = transform::transform(&request, DeviceKind::Esme, skeletons()).unwrap();
    let to = gbcs_harness::command::template::Addressing {
        originator: id.originator,
        recipient: id.target,
        counter: id.counter,
    };
    assert_eq!(pre, precommand::issue(&expected.template, to, false).1);
    let signed = precommand::sign(&pre, &s.gbcs_keys, id.originator).unwrap();
    let ack = s.send(&cv5(&request, signed)).await;
    assert_eq!(ack.header.response_code.as_str(), "I99", "{ack:?}");
    let d = s.receiver.response_to(&id, WAIT).await;
    eprintln!("cv4→cv5: request → async response {:?}", d.at - sent);
    assert_eq!(d.signature, Ok(DCC_XML_SIGNER));
    assert_eq!(d.response.header.response_code.as_str(), "I0", "{}", d.xml);
    let frame = decode_frame(&gbcs_of(&d)).unwrap();
    assert_eq!(frame.header().cra, CraFlag::Response);
    assert_eq!(frame.header().counter, id.counter);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_alert_reaches_the_user_as_a_device_alert_message() {
    let Some(s) = setup("device_alert").await else {
        return;
    };
    // DBCH05 (6.29) to the comms hub: the hub answers and raises an alert (DBCH08's).
    let request = s.request("DBCH05_6.29_SUCCESS_REQUEST_DUIS.XML");
    let id = request.header.request_id;
    assert_eq!(s.code_of(&request).await, "I99");
    let mut response = None;
    let mut alert = None;
    while response.is_none() || alert.is_none() {
        let d = s
            .receiver
            .next(WAIT)
            .await
            .expect("the response and the alert");
        assert_eq!(d.signature, Ok(DCC_XML_SIGNER), "{}", d.xml);
        assert!(
            validate(&xml::parse(d.xml.as_bytes()).unwrap()).is_ok(),
            "{}",
            d.xml
        );
        match &d.response.body {
            ResponseBody::DeviceAlert { .. } => alert = Some(d),
            ResponseBody::Message(_) => {
                assert_eq!(d.response.header.request_id, Some(id));
                response = Some(d);
            }
            other => panic!("unexpected delivery {other:?}"),
        }
    }
    let alert = alert.unwrap();
    let ResponseBody::DeviceAlert {
        alert_code,
        gbcs_payload,
        ..
    } = &alert.response.body
    else {
        unreachable!()
    };
    let frame = decode_frame(gbcs_payload).expect("the alert is a GBCS frame");
    assert_eq!(frame.header().cra, CraFlag::Alert);
    assert_eq!(frame.header().originator, id.target);
    assert_ne!(*alert_code, 0);
    eprintln!(
        "device alert {alert_code:04X} from {}",
        frame.header().originator
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dcc_alerts_are_delivered_on_demand() {
    let Some(s) = setup("dcc_alert").await else {
        return;
    };
    for (code, event) in [("N1", "power-outage"), ("N24", "command-failure")] {
        let r = s
            .client
            .post(format!("{}/emulator/dcc-alert", s.base))
            .header("content-type", "application/json")
            .body(serde_json::json!({"code": code, "event": event, "device": "00-DB-12-34-56-78-90-A2"}).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 202);
        let d = s.receiver.next(WAIT).await.expect("a DCC alert");
        assert_eq!(d.signature, Ok(DCC_XML_SIGNER));
        assert!(
            validate(&xml::parse(d.xml.as_bytes()).unwrap()).is_ok(),
            "{}",
            d.xml
        );
        let ResponseBody::DccAlert { code: got, .. } = &d.response.body else {
            panic!("{:?}", d.response.body)
        };
        assert_eq!(got, code);
    }
    let r = s
        .client
        .post(format!("{}/emulator/dcc-alert", s.base))
        .header("content-type", "application/json")
        .body(serde_json::json!({"code": "N32"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400, "N32 is no DCC alert code");
}

// ---------------------------------------------------------------------------------------------
// One test per check

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_content_type_is_415() {
    let Some(s) = setup("content_type").await else {
        return;
    };
    let xml = s.signed(&s.request(CV1_TEMPLATE), eui(SUPPLIER));
    let (status, _) = s
        .post_raw("/api/v1/serviceS", "text/plain", xml.into_bytes())
        .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_is_413() {
    let Some(s) = setup("oversized").await else {
        return;
    };
    let mut body =
        b"<sr:Request xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\">".to_vec();
    body.resize(xml::MAX_DOCUMENT_BYTES + 1, b' ');
    let (status, _) = s
        .post_raw("/api/v1/serviceS", "application/xml", body)
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_xxe_are_400() {
    let Some(s) = setup("malformed").await else {
        return;
    };
    let xxe = std::fs::read(s.duis.join("fixtures/duis-xxe.xml")).unwrap();
    for body in [
        xxe,
        b"<sr:Request".to_vec(),
        b"\xff\xfe".to_vec(),
        Vec::new(),
    ] {
        let (status, text) = s
            .post_raw("/api/v1/serviceS", "application/xml", body)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schema_invalid_is_e11() {
    let Some(s) = setup("schema").await else {
        return;
    };
    let invalid = std::fs::read(
        s.duis
            .join("fixtures/ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS-invalid.XML"),
    )
    .unwrap();
    let r = s
        .post_xml("/api/v1/serviceS", String::from_utf8(invalid).unwrap())
        .await;
    assert_eq!(r.header.response_code.as_str(), "E11");
    // Signed documents whose header breaks the schema.
    let request = s.request(CV1_TEMPLATE);
    let good = s.signed(&request, eui(SUPPLIER));
    for (from, to) in [
        (">1</sr:CommandVariant>", ">10</sr:CommandVariant>"),
        ("<sr:ServiceReference>4.1</sr:ServiceReference>", ""),
        ("<sr:Header>", "<sr:Header><sr:Unexpected/>"),
    ] {
        assert!(good.contains(from), "{from}");
        let bad = good.replace(from, to);
        let (status, text) = s
            .post_raw("/api/v1/serviceS", "application/xml", bad.into_bytes())
            .await;
        assert_eq!(status, StatusCode::OK);
        let r = Response::from_document(&xml::parse(text.as_bytes()).unwrap()).unwrap();
        assert_eq!(r.header.response_code.as_str(), "E11", "{from} → {to}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsigned_and_badly_signed_are_e2() {
    let Some(s) = setup("signature").await else {
        return;
    };
    // Unsigned.
    let unsigned = s.request(CV1_TEMPLATE).to_document().to_xml();
    let r = s.post_xml("/api/v1/serviceS", unsigned).await;
    assert_eq!(r.header.response_code.as_str(), "E2");
    // The templates' placeholder signatures.
    let placeholder = std::fs::read_to_string(s.duis.join("templates").join(CV1_TEMPLATE)).unwrap();
    assert_eq!(
        s.post_xml("/api/v1/serviceS", placeholder)
            .await
            .header
            .response_code
            .as_str(),
        "E2"
    );
    // Changed after signing.
    let request = s.request(CV1_TEMPLATE);
    let counter = request.header.request_id.counter;
    let xml = s
        .signed(&request, eui(SUPPLIER))
        .replace(&format!(":{counter}<"), &format!(":{}<", counter + 7));
    assert_eq!(
        s.post_xml("/api/v1/serviceS", xml)
            .await
            .header
            .response_code
            .as_str(),
        "E2"
    );
    // Signed by another User than the originator.
    let request = s.request(CV1_TEMPLATE);
    let r = s.send_as(&request, eui(NETWORK_OPERATOR)).await;
    assert_eq!(r.header.response_code.as_str(), "E2");
    // None of these used up a counter: the same request, properly signed, is accepted.
    assert_eq!(s.code_of(&request).await, "I99");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_originator_without_a_user_role_is_e1() {
    let other = eui(ZAZ1_OTHER_USER);
    let options = Options {
        roles: vec![(other, None)],
        ..Options::default()
    };
    let Some(s) = setup_with("unknown_user", options).await else {
        return;
    };
    let mut request = s.request(CV1_TEMPLATE);
    request.header.request_id.originator = other;
    assert_eq!(s.code_of(&request).await, "E1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_variant_sent_to_the_wrong_url_is_e13() {
    let Some(s) = setup("wrong_url").await else {
        return;
    };
    let request = s.request(CV1_TEMPLATE);
    for path in ["/api/v1/serviceT", "/api/v1/serviceD"] {
        let r = s.post_xml(path, s.signed(&request, eui(SUPPLIER))).await;
        assert_eq!(r.header.response_code.as_str(), "E13", "{path}");
    }
    let inventory = s.request(INVENTORY_TEMPLATE);
    let r = s
        .post_xml("/api/v1/serviceS", s.signed(&inventory, eui(SUPPLIER)))
        .await;
    assert_eq!(r.header.response_code.as_str(), "E13");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_variant_the_service_does_not_allow_is_e12() {
    let Some(s) = setup("cv_not_allowed").await else {
        return;
    };
    // A critical service as CV 1.
    let mut request = s.request(critical_template(&s.duis));
    request.header.command_variant = CommandVariant::NonCriticalWan;
    assert_eq!(s.code_of(&request).await, "E12");
    // The SRV of another SR.
    let mut request = s.request(CV1_TEMPLATE);
    request.header.service_reference = "4.2".into();
    let code = s.code_of(&request).await;
    assert!(code == "E12" || code == "E11", "{code}");
    // An SRV the schema does not enumerate is a schema failure (E11), answered with an empty
    // body: there is no valid SRV to echo.
    let mut request = s.request(CV1_TEMPLATE);
    request.header.service_reference_variant = "4.1.99".into();
    let (status, text) = s
        .post_raw(
            "/api/v1/serviceS",
            "application/xml",
            s.signed(&request, eui(SUPPLIER)).into_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let r = Response::from_document(&xml::parse(text.as_bytes()).unwrap()).unwrap();
    assert_eq!(r.header.response_code.as_str(), "E11");
    assert_eq!(r.header.request_id, Some(request.header.request_id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ineligible_role_is_e3() {
    let Some(s) = setup("role").await else { return };
    let request = s.request(CV1_TEMPLATE);
    let service = services::find(&request.header.service_reference_variant).unwrap();
    let role = UserRole::ALL
        .into_iter()
        .find(|r| !service.eligible(*r))
        .expect("some role is not eligible for 4.1.1");
    // The network operator's key, given a role the service refuses.
    let options = Options {
        roles: vec![(eui(NETWORK_OPERATOR), Some(role))],
        ..Options::default()
    };
    drop(s);
    let Some(s) = setup_with("role", options).await else {
        return;
    };
    let mut request = s.request(CV1_TEMPLATE);
    request.header.request_id.originator = eui(NETWORK_OPERATOR);
    assert_eq!(s.code_of(&request).await, "E3", "role {role}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_device_is_e19() {
    let Some(s) = setup("unknown_device").await else {
        return;
    };
    let mut request = s.request(CV1_TEMPLATE);
    request.header.request_id.target = eui("00db1234567890ff");
    assert_eq!(s.code_of(&request).await, "E19");
    // A non-device request must target the DCC.
    let mut request = s.request(INVENTORY_TEMPLATE);
    request.header.request_id.target = eui(ESME);
    assert_eq!(s.code_of(&request).await, "E19");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_or_repeated_counter_is_e12() {
    let Some(s) = setup("counter").await else {
        return;
    };
    let request = s.request(CV1_TEMPLATE);
    assert_eq!(s.code_of(&request).await, "I99");
    assert_eq!(s.code_of(&request).await, "E12", "repeated");
    let mut older = request.clone();
    older.header.request_id.counter -= 1;
    assert_eq!(s.code_of(&older).await, "E12", "stale");
    let mut newer = request.clone();
    newer.header.request_id.counter += 1;
    assert_eq!(s.code_of(&newer).await, "I99");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_pre_command_for_no_transform_is_e12() {
    let Some(s) = setup("cv5_without_cv4").await else {
        return;
    };
    let request = s.request(critical_template(&s.duis));
    let r = cv5(&request, vec![0xDF, 0x09, 0x00]);
    assert_eq!(s.code_of(&r).await, "E12");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_pre_command_that_differs_is_e5_and_a_bad_gbcs_signature_e4() {
    let Some(s) = setup("cv5_checks").await else {
        return;
    };
    let request = s.request(critical_template(&s.duis));
    let originator = request.header.request_id.originator;
    let pre = pre_command_of(&s.send(&request).await);
    let signed = precommand::sign(&pre, &s.gbcs_keys, originator).unwrap();
    // One byte of the command changed (and signed by the User: the content is what differs).
    let mut changed = pre.clone();
    let n = changed.len();
    changed[n - 2] ^= 0x01;
    let changed = precommand::sign(&changed, &s.gbcs_keys, originator).unwrap();
    assert_eq!(s.code_of(&cv5(&request, changed)).await, "E5");
    // The signature of another party.
    let other = precommand::sign(&pre, &s.gbcs_keys, eui(NETWORK_OPERATOR)).unwrap();
    assert_eq!(s.code_of(&cv5(&request, other)).await, "E4");
    // A signature bit flipped.
    let mut flipped = signed.clone();
    let n = flipped.len();
    flipped[n - 5] ^= 0x01;
    assert_eq!(s.code_of(&cv5(&request, flipped)).await, "E4");
    // The right one still goes through, once.
    assert_eq!(s.code_of(&cv5(&request, signed.clone())).await, "I99");
    assert_eq!(s.code_of(&cv5(&request, signed)).await, "E12", "used once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_the_transform_refuses_gets_its_code() {
    let Some(s) = setup("transform").await else {
        return;
    };
    let mut request = s.request(CV1_TEMPLATE);
    if let RequestBody::Service(body) = &mut request.body {
        // The right shape for the schema, but a value the transform cannot carry.
        if let Some(t) = body.child_mut(SR_NS, "ExecutionDateTime") {
            t.children = vec![Node::Text("2015-01-15T09:00:00.00Z".into())];
        }
    }
    let expected = transform::transform(&request, DeviceKind::Esme, skeletons());
    let code = s.code_of(&request).await;
    match expected {
        Ok(_) => assert_eq!(code, "I99"),
        Err(e) => assert_eq!(code, e.response_code().as_str()),
    }
    // A template to a device kind the use case does not serve: the transform refuses.
    let mut request = s.request(CV1_TEMPLATE);
    request.header.request_id.target = eui("00db1234567890a2"); // the comms hub
    let e = transform::transform(&request, DeviceKind::CommsHub, skeletons()).unwrap_err();
    assert_eq!(s.code_of(&request).await, e.response_code().as_str());
}

// ---------------------------------------------------------------------------------------------
// Fault profiles

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_e_code_answers_the_service_with_the_code() {
    let o = Options {
        faults: "e-code:4.1.1=E20",
        ..Options::default()
    };
    let Some(s) = setup_with("fault_e_code", o).await else {
        return;
    };
    assert_eq!(s.code_of(&s.request(CV1_TEMPLATE)).await, "E20");
    assert_eq!(
        s.code_of(&s.request(INVENTORY_TEMPLATE)).await,
        "I0",
        "other services unaffected"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_late_response_delays_the_delivery() {
    let o = Options {
        faults: "late-response=700",
        ..Options::default()
    };
    let Some(s) = setup_with("fault_late", o).await else {
        return;
    };
    let request = s.request(CV1_TEMPLATE);
    let sent = Instant::now();
    assert_eq!(s.code_of(&request).await, "I99");
    let d = s
        .receiver
        .response_to(&request.header.request_id, WAIT)
        .await;
    eprintln!("late-response=700: delivered after {:?}", d.at - sent);
    // A lower bound only: the delay cannot be shorter than asked.
    assert!(d.at - sent >= Duration::from_millis(700));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_no_response_acknowledges_and_delivers_nothing() {
    let o = Options {
        faults: "no-response",
        ..Options::default()
    };
    let Some(s) = setup_with("fault_no_response", o).await else {
        return;
    };
    assert_eq!(s.code_of(&s.request(CV1_TEMPLATE)).await, "I99");
    assert!(s.receiver.next(Duration::from_secs(2)).await.is_none());
    assert_eq!(
        s.emulator.stats().device_jobs,
        1,
        "the command went to the device"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_bad_dcc_signature_is_caught_by_the_receiver() {
    let o = Options {
        faults: "bad-dcc-signature",
        ..Options::default()
    };
    let Some(s) = setup_with("fault_bad_sig", o).await else {
        return;
    };
    let request = s.request(CV1_TEMPLATE);
    let path = request.header.command_variant.url().unwrap().path();
    let (status, text) = s
        .post_raw(
            path,
            "application/xml",
            s.signed(&request, eui(SUPPLIER)).into_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let ack = xml::parse(text.as_bytes()).unwrap();
    assert!(
        matches!(
            verify(&ack, &s.xml_keys),
            Err(SignatureError::DigestMismatch)
        ),
        "the acknowledgement too"
    );
    let d = s
        .receiver
        .response_to(&request.header.request_id, WAIT)
        .await;
    assert!(d.signature.is_err(), "{}", d.xml);
    let counts = s
        .emulator
        .wait_for_deliveries(WAIT, |c| c.failed >= 1)
        .await;
    assert_eq!(counts.failed, 1, "the receiver answered 400, counted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_unsigned_response_has_no_signature() {
    let o = Options {
        faults: "unsigned-response",
        ..Options::default()
    };
    let Some(s) = setup_with("fault_unsigned", o).await else {
        return;
    };
    let request = s.request(CV1_TEMPLATE);
    let path = request.header.command_variant.url().unwrap().path();
    let (_, text) = s
        .post_raw(
            path,
            "application/xml",
            s.signed(&request, eui(SUPPLIER)).into_bytes(),
        )
        .await;
    assert!(!text.contains("Signature"), "{text}");
    let d = s
        .receiver
        .response_to(&request.header.request_id, WAIT)
        .await;
    assert!(!d.xml.contains("Signature"));
    let doc: Document = xml::parse(d.xml.as_bytes()).unwrap();
    assert!(matches!(
        verify(&doc, &s.xml_keys),
        Err(SignatureError::Missing)
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_duplicate_delivery_delivers_twice() {
    let o = Options {
        faults: "duplicate-delivery",
        ..Options::default()
    };
    let Some(s) = setup_with("fault_duplicate", o).await else {
        return;
    };
    let request = s.request(CV1_TEMPLATE);
    assert_eq!(s.code_of(&request).await, "I99");
    let id = request.header.request_id;
    let a = s.receiver.response_to(&id, WAIT).await;
    let b = s.receiver.response_to(&id, WAIT).await;
    assert_eq!(a.xml, b.xml);
    assert_eq!(a.signature, Ok(DCC_XML_SIGNER));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_tampered_pre_command_differs_from_the_request() {
    let o = Options {
        faults: "tampered-pre-command",
        ..Options::default()
    };
    let Some(s) = setup_with("fault_tampered", o).await else {
        return;
    };
    let request = s.request(critical_template(&s.duis));
    let id = request.header.request_id;
    let pre = pre_command_of(&s.send(&request).await);
    let expected = transform::transform(&request, DeviceKind::Esme, skeletons()).unwrap();
    let to = gbcs_harness::command::template::Addressing {
        originator: id.originator,
        recipient: id.target,
        counter: id.counter,
    };
    let honest = precommand::issue(&expected.template, to, false).1;
    assert_eq!(pre.len(), honest.len());
    assert_ne!(
        pre, honest,
        "a User that checks before signing refuses this one"
    );
}

// ---------------------------------------------------------------------------------------------
// Bad input, the CLI, figures

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_never_stops_the_emulator() {
    let Some(s) = setup("bad_input").await else {
        return;
    };
    let xxe = std::fs::read(s.duis.join("fixtures/duis-xxe.xml")).unwrap();
    let good = s.signed(&s.request(CV1_TEMPLATE), eui(SUPPLIER));
    let truncated = good.as_bytes()[..good.len() / 2].to_vec();
    let deep = "<a>".repeat(10_000).into_bytes();
    let mut nul = good.clone().into_bytes();
    nul[100] = 0;
    for path in ["/api/v1/serviceS", "/api/v1/serviceT", "/api/v1/serviceD"] {
        for body in [
            xxe.clone(),
            truncated.clone(),
            deep.clone(),
            nul.clone(),
            vec![0xFF; 4096],
        ] {
            let (status, _) = s.post_raw(path, "application/xml", body).await;
            assert!(
                status.is_client_error() || status == StatusCode::OK,
                "{status}"
            );
        }
    }
    let (status, _) = s
        .post_raw("/api/v1/nothing", "application/xml", good.into_bytes())
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Still serving.
    let request = s.request(CV1_TEMPLATE);
    assert_eq!(s.code_of(&request).await, "I99");
    s.receiver
        .response_to(&request.header.request_id, WAIT)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_receiver_is_counted_and_the_emulator_keeps_serving() {
    let Some(s) = setup("dead_receiver").await else {
        return;
    };
    drop(s);
    // An emulator whose response URL refuses connections.
    let Some((duis, keystore)) = data("dead_receiver") else {
        return;
    };
    let xml_keys = XmlKeyStore::load(&duis.join("keystore")).unwrap();
    let lab = lab::rtds_lab(&keystore).unwrap();
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/gone", dead.local_addr().unwrap());
    drop(dead);
    let emulator = Emulator::start(EmulatorConfig {
        simulator: lab.simulator,
        gbcs_keys: lab.gbcs_keys,
        acb: lab.acb,
        devices: lab.devices,
        roles: lab.roles,
        xml_keys: xml_keys.clone(),
        skeletons: skeletons().clone(),
        faults: DccFaults::none(),
        response_url: url,
        delivery_timeout: Duration::from_secs(2),
    })
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let serving = emulator.clone();
    tokio::spawn(async move { serving.serve(listener, 8, Duration::from_secs(5)).await });
    let client = reqwest::Client::new();
    let mut counter = 5_000_000u64;
    let post = |n: u64| {
        let mut request = read_request(&duis, CV1_TEMPLATE);
        request.header.request_id.counter = n;
        let mut doc = request.to_document();
        sign(&mut doc, xml_keys.identity(eui(SUPPLIER)).unwrap()).unwrap();
        client
            .post(format!("{base}/api/v1/serviceS"))
            .header("content-type", "application/xml")
            .body(doc.to_xml())
            .send()
    };
    for _ in 0..3 {
        counter += 1;
        let r = post(counter).await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
    }
    let counts = emulator.wait_for_deliveries(WAIT, |c| c.failed >= 3).await;
    assert_eq!(counts.failed, 3);
    assert_eq!(counts.delivered, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_are_closed_and_connections_are_bounded() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Some((duis, keystore)) = data("idle") else {
        return;
    };
    let receiver = Receiver::start(XmlKeyStore::load(&duis.join("keystore")).unwrap()).await;
    let lab = lab::rtds_lab(&keystore).unwrap();
    let emulator = Emulator::start(EmulatorConfig {
        simulator: lab.simulator,
        gbcs_keys: lab.gbcs_keys,
        acb: lab.acb,
        devices: lab.devices,
        roles: lab.roles,
        xml_keys: XmlKeyStore::load(&duis.join("keystore")).unwrap(),
        skeletons: skeletons().clone(),
        faults: DccFaults::none(),
        response_url: receiver.url.clone(),
        delivery_timeout: Duration::from_secs(2),
    })
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { emulator.serve(listener, 1, Duration::from_secs(1)).await });
    // The one slot is taken by a silent connection; a second waits for it.
    let mut silent = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut second = tokio::net::TcpStream::connect(addr).await.unwrap();
    second
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    // The silent one is closed at the idle timeout ...
    let mut buf = [0u8; 16];
    let closed = tokio::time::timeout(WAIT, silent.read(&mut buf)).await;
    assert!(
        matches!(closed, Ok(Ok(0)) | Ok(Err(_))),
        "the idle connection is closed: {closed:?}"
    );
    // ... and then the second is served.
    let mut answer = Vec::new();
    tokio::time::timeout(WAIT, second.read_to_end(&mut answer))
        .await
        .expect("served once the slot is free")
        .unwrap();
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
}

struct Killed(Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_serves_on_port_0_and_answers_a_read_inventory() {
    let Some((duis, keystore)) = data("cli") else {
        return;
    };
    let xml_keys = XmlKeyStore::load(&duis.join("keystore")).unwrap();
    let receiver = Receiver::start(xml_keys.clone()).await;
    let mut child = Killed(
        Command::new(env!("CARGO_BIN_EXE_gbcs-harness"))
            .args([
                "simulate",
                "--duis",
                "127.0.0.1:0",
                "--response-url",
                &receiver.url,
            ])
            .arg("--keys")
            .arg(&keystore)
            .arg("--duis-keys")
            .arg(duis.join("keystore"))
            .arg("--vectors")
            .arg(crate_dir().join("vectors"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let stdout = child.0.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    })
    .await
    .unwrap()
    .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .expect(&line)
        .to_string();
    let mut request = read_request(&duis, INVENTORY_TEMPLATE);
    request.header.request_id.counter = 42;
    let mut doc = request.to_document();
    sign(&mut doc, xml_keys.identity(eui(SUPPLIER)).unwrap()).unwrap();
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/serviceD"))
        .header("content-type", "application/xml")
        .body(doc.to_xml())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let doc = xml::parse(r.text().await.unwrap().as_bytes()).unwrap();
    let response = Response::from_document(&doc).unwrap();
    assert_eq!(response.header.response_code.as_str(), "I0");
    // A CV 1 through the CLI reaches the receiver.
    let mut request = read_request(&duis, CV1_TEMPLATE);
    request.header.request_id.counter = 43;
    let mut doc = request.to_document();
    sign(&mut doc, xml_keys.identity(eui(SUPPLIER)).unwrap()).unwrap();
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/serviceS"))
        .header("content-type", "application/xml")
        .body(doc.to_xml())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let d = receiver.response_to(&request.header.request_id, WAIT).await;
    assert_eq!(d.signature, Ok(DCC_XML_SIGNER));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn latency_and_rate_through_the_emulator() {
    let as_supplier = |u: &str| (eui(u), Some(UserRole::ImportSupplier));
    let options = Options {
        roles: vec![as_supplier(NETWORK_OPERATOR), as_supplier(ZAZ1_OTHER_USER)],
        ..Options::default()
    };
    let Some(s) = setup_with("figures", options).await else {
        return;
    };
    let s = Arc::new(s);
    // Latency: sequential CV 1 requests, request sent → async response received.
    let mut latencies = Vec::new();
    for _ in 0..30 {
        let request = s.request(CV1_TEMPLATE);
        let sent = Instant::now();
        assert_eq!(s.code_of(&request).await, "I99");
        let d = s
            .receiver
            .response_to(&request.header.request_id, WAIT)
            .await;
        latencies.push(d.at - sent);
    }
    latencies.sort();
    eprintln!(
        "latency request → async response over {} CV 1: median {:?}, p90 {:?}, max {:?}",
        latencies.len(),
        latencies[latencies.len() / 2],
        latencies[latencies.len() * 9 / 10],
        latencies[latencies.len() - 1]
    );
    // Rate: the counter must rise strictly per originator, so each User sends in order; three
    // Users (all given the import supplier's role) send at once, 100 requests each, and the
    // clock stops when every asynchronous response has been delivered.
    let per_user = 100usize;
    let users = [SUPPLIER, NETWORK_OPERATOR, ZAZ1_OTHER_USER];
    let n = per_user * users.len();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for user in users {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let mut codes: BTreeMap<String, usize> = BTreeMap::new();
            for _ in 0..per_user {
                let mut r = s.request(CV1_TEMPLATE);
                r.header.request_id.originator = eui(user);
                *codes.entry(s.code_of(&r).await).or_default() += 1;
            }
            codes
        }));
    }
    let mut acks: BTreeMap<String, usize> = BTreeMap::new();
    for t in tasks {
        for (code, k) in t.await.unwrap() {
            *acks.entry(code).or_default() += k;
        }
    }
    let acked = started.elapsed();
    assert_eq!(acks.get("I99"), Some(&n), "{acks:?}");
    let mut delivered: BTreeMap<String, usize> = BTreeMap::new();
    let mut count = 0;
    while count < n {
        let d = s
            .receiver
            .next(WAIT)
            .await
            .expect("every response is delivered");
        if d.response.header.request_id.is_some() {
            *delivered
                .entry(d.response.header.response_code.to_string())
                .or_default() += 1;
            count += 1;
        }
    }
    let all = started.elapsed();
    eprintln!(
        "rate: {n} CV 1 from {} Users acknowledged in {acked:?} ({:.0}/s); all responses delivered in {all:?} ({:.0}/s), codes {delivered:?}; stats {:?}",
        users.len(),
        n as f64 / acked.as_secs_f64(),
        n as f64 / all.as_secs_f64(),
        s.emulator.stats()
    );
}
