//! The reference head-end (`gbcs-harness head-end`) against the DCC emulator (`simulate
//! --duis`, RTDS lab), both as processes on real sockets: a triggered request goes out signed
//! and its responses come back into the inbox once; a critical request goes CV 4 → checked
//! pre-command signed → CV 5; a tampered pre-command is refused and nothing more is sent; the
//! receiving side refuses what the DCC did not sign, garbage and strays; `head-end trigger`
//! exits by outcome; and the fault modes each change their one behaviour.
//!
//! Reads the DUIS data from `$GBCS_DUIS_DIR` (default `../shared/duis`) and the ZAZ1 GBCS key
//! store from `$GBCS_RTDS_DIR/keystore` (default `../shared/rtds`); without them the tests say
//! so and pass, unless `GBCS_REQUIRE_RTDS=1`.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use gbcs_harness::codec::EntityId;
use gbcs_harness::command::identities::DeviceKind;
use gbcs_harness::dcc::transform::{transform, Skeletons};
use gbcs_harness::duis::keys::{XmlKeyStore, DCC_XML_SIGNER};
use gbcs_harness::duis::request::Request;
use gbcs_harness::duis::request_id::RequestId;
use gbcs_harness::duis::response::{
    date_time_utc, Response, ResponseBody, ResponseCode, ResponseContent, ResponseHeader,
    ResponseMessage,
};
use gbcs_harness::duis::signature::sign;
use gbcs_harness::duis::xml::parse;
use gbcs_harness::headend::Fault;
use gbcs_harness::vectors::VectorStore;

const SUPPLIER: &str = "90-B3-D5-1F-30-01-00-00";
const ESME: &str = "00-DB-12-34-56-78-90-A0";
const TEMPLATE_4_1_1: &str = "ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS.XML";
/// How long anything asynchronous may take to show.
const WITHIN: Duration = Duration::from_secs(10);

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
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
    assert!(
        std::env::var("GBCS_REQUIRE_RTDS").as_deref() != Ok("1"),
        "{test}: DUIS data or RTDS keystore not found ({}, {})",
        duis.display(),
        keys.display()
    );
    eprintln!(
        "{test}: skipped, DUIS data or RTDS keystore not found ({}, {}; set GBCS_DUIS_DIR, GBCS_RTDS_DIR)",
        duis.display(),
        keys.display()
    );
    None
}

/// A child process, killed and reaped when dropped.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A port nothing listens on now: the emulator must know the head-end's address before the
/// head-end knows the emulator's.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `gbcs-harness ARGS`, returns it and its first line on stdout.
fn start(args: &[String]) -> (Child, String) {
    let mut child = Command::new(common::BIN)
        .current_dir(crate_dir())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (Child(child), line.trim_end().to_string())
}

/// The emulator (RTDS lab) and a head-end delivering to each other.
struct Lab {
    _emulator: Child,
    _head_end: Child,
    /// The head-end's base URL.
    url: String,
    /// The emulator's base URL.
    dcc: String,
    duis: PathBuf,
    client: reqwest::Client,
}

fn lab(duis: &Path, keys: &Path, dcc_faults: &str, faults: &[Fault]) -> Lab {
    let port = free_port();
    let mut args: Vec<String> = ["simulate", "--duis", "127.0.0.1:0", "--response-url"]
        .map(String::from)
        .to_vec();
    args.push(format!("http://127.0.0.1:{port}/duis"));
    args.extend(["--keys".into(), keys.display().to_string()]);
    args.extend([
        "--duis-keys".into(),
        duis.join("keystore").display().to_string(),
    ]);
    if !dcc_faults.is_empty() {
        args.extend(["--duis-faults".into(), dcc_faults.into()]);
    }
    let (emulator, line) = start(&args);
    let dcc = line
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("simulate --duis announced {line:?}"))
        .to_string();
    let mut args: Vec<String> = vec![
        "head-end".into(),
        "--listen".into(),
        format!("127.0.0.1:{port}"),
        "--dcc".into(),
        dcc.clone(),
        "--xml-keys".into(),
        duis.join("keystore").display().to_string(),
        "--gbcs-keys".into(),
        keys.display().to_string(),
        "--templates".into(),
        duis.join("templates").display().to_string(),
    ];
    for f in faults {
        args.extend(["--fault".into(), f.name().into()]);
    }
    let (head_end, line) = start(&args);
    let url = format!("http://127.0.0.1:{port}");
    assert_eq!(
        line,
        format!("head-end listening on {url} (responses to {url}/duis)")
    );
    Lab {
        _emulator: emulator,
        _head_end: head_end,
        url,
        dcc,
        duis: duis.to_path_buf(),
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap(),
    }
}

impl Lab {
    async fn trigger(&self, body: Value) -> (u16, Value) {
        let r = self
            .client
            .post(format!("{}/trigger", self.url))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        (status, value)
    }

    async fn inbox(&self) -> Vec<Value> {
        let text = self
            .client
            .get(format!("{}/inbox", self.url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        v["received"].as_array().unwrap().clone()
    }

    /// The inbox once `until` holds of it; fails after [`WITHIN`].
    async fn inbox_when(&self, what: &str, until: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + WITHIN;
        loop {
            let inbox = self.inbox().await;
            if until(&inbox) {
                return inbox;
            }
            assert!(
                Instant::now() < deadline,
                "{what}: not in the inbox within {WITHIN:?}: {inbox:?}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// POSTs a document to the head-end's `/duis`: status and text.
    async fn deliver(&self, body: impl Into<Vec<u8>>, content_type: &str) -> (u16, String) {
        self.post_document(body.into(), content_type, "keep-alive")
            .await
    }

    /// As [`Lab::deliver`], on a connection closed after the answer.
    async fn deliver_alone(&self, body: impl Into<Vec<u8>>, content_type: &str) -> (u16, String) {
        self.post_document(body.into(), content_type, "close").await
    }

    async fn post_document(
        &self,
        body: Vec<u8>,
        content_type: &str,
        connection: &str,
    ) -> (u16, String) {
        let r = self
            .client
            .post(format!("{}/duis", self.url))
            .header("content-type", content_type)
            .header("connection", connection)
            .body(body)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// The emulator's statistics.
    async fn emulator_stats(&self) -> Value {
        let text = self
            .client
            .get(format!("{}/emulator/stats", self.dcc))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        serde_json::from_str(&text).unwrap()
    }

    async fn dcc_requests(&self) -> u64 {
        self.emulator_stats().await["requests"].as_u64().unwrap()
    }

    /// A trigger for 4.1.1 with its nominal template (the first by name for 4.1.1 is a
    /// future-dated variant the emulator refuses).
    fn read_4_1_1(&self) -> Value {
        json!({"srv": "4.1.1", "template": self.template(TEMPLATE_4_1_1)})
    }

    /// The emulator's delivery counts.
    async fn deliveries(&self) -> Value {
        self.emulator_stats().await["deliveries"].clone()
    }

    fn template(&self, name: &str) -> String {
        self.duis.join("templates").join(name).display().to_string()
    }
}

/// Entries of the inbox for a request id.
fn entries_for<'a>(inbox: &'a [Value], id: &str) -> Vec<&'a Value> {
    inbox.iter().filter(|e| e["request_id"] == id).collect()
}

fn skeletons() -> &'static Skeletons {
    static S: OnceLock<Skeletons> = OnceLock::new();
    S.get_or_init(|| Skeletons::load(&VectorStore::new(crate_dir().join("vectors"))).unwrap())
}

/// The first template by name of a critical service from the supplier to the ESME that the
/// DCC's transform builds: its file and SRV.
fn critical_template(duis: &Path) -> (String, String) {
    let mut names: Vec<PathBuf> = std::fs::read_dir(duis.join("templates"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    let (supplier, esme): (EntityId, EntityId) = (
        "90b3d51f30010000".parse().unwrap(),
        "00db1234567890a0".parse().unwrap(),
    );
    for path in names {
        let Ok(r) = parse(&std::fs::read(&path).unwrap())
            .map_err(|e| e.to_string())
            .and_then(|d| Request::from_document(&d).map_err(|e| e.to_string()))
        else {
            continue;
        };
        let Some(service) = r.service() else { continue };
        if service.critical
            && r.header.request_id.originator == supplier
            && r.header.request_id.target == esme
            && transform(&r, DeviceKind::Esme, skeletons()).is_ok()
        {
            return (path.display().to_string(), service.variant.to_string());
        }
    }
    panic!("no critical ESME template with a transform");
}

/// A response as the DCC sends it (I0 to `id`), signed by the DCC unless `signed` is false.
fn dcc_response(keys: &XmlKeyStore, id: RequestId, body: ResponseBody, signed: bool) -> String {
    let response = Response {
        header: ResponseHeader {
            request_id: Some(id),
            response_id: Some(id.response_id()),
            response_code: ResponseCode::I0,
            response_date_time: date_time_utc(SystemTime::now()),
        },
        body,
    };
    let mut doc = response.to_document();
    if signed {
        sign(&mut doc, keys.identity(DCC_XML_SIGNER).unwrap()).unwrap();
    }
    doc.to_xml()
}

fn message() -> ResponseBody {
    ResponseBody::Message(ResponseMessage {
        service_reference: "4.1".into(),
        service_reference_variant: "4.1.1".into(),
        content: ResponseContent::GbcsPayload(vec![0xDF, 0x09]),
    })
}

/// `head-end trigger ARGS`: exit code, stdout, stderr.
fn cli_trigger(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(common::BIN)
        .current_dir(crate_dir())
        .args(["head-end", "trigger"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

fn counter_of(id: &Value) -> u64 {
    id.as_str()
        .unwrap()
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reference_head_end_sends_signs_checked_pre_commands_and_receives_once() {
    let Some((duis, keys)) = data("the_reference_head_end_sends") else {
        return;
    };
    let started = now_ms();
    let lab = lab(&duis, &keys, "", &[]);

    // A non-critical request: CV 1, I99 at once, the I0 later, recorded once.
    let (status, a) = lab
        .trigger(json!({"srv": "4.1.1", "user": SUPPLIER, "device": ESME,
                        "template": lab.template(TEMPLATE_4_1_1)}))
        .await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["outcome"], "sent", "{a}");
    assert_eq!(a["command_variant"], 1, "{a}");
    assert_eq!(a["acknowledgement"], "I99", "{a}");
    assert!(a["pre_command"].is_null() && a["reason"].is_null(), "{a}");
    let id = a["request_id"].as_str().unwrap().to_string();
    assert!(id.starts_with(&format!("{SUPPLIER}:{ESME}:")), "{id}");
    assert!(counter_of(&a["request_id"]) >= started, "{id}");
    let inbox = lab
        .inbox_when("the 4.1.1 response", |i| !entries_for(i, &id).is_empty())
        .await;
    let got = entries_for(&inbox, &id);
    assert_eq!(got.len(), 1, "{inbox:?}");
    assert_eq!(got[0]["kind"], "response");
    assert_eq!(got[0]["response_code"], "I0");
    assert_eq!(got[0]["deliveries"], 1);

    // The user and device from the template; the counter strictly increases.
    let (status, b) = lab.trigger(lab.read_4_1_1()).await;
    assert_eq!((status, &b["outcome"]), (200, &json!("sent")), "{b}");
    assert!(counter_of(&b["request_id"]) > counter_of(&a["request_id"]));

    // A critical request: CV 4, the pre-command checked and signed, CV 5 accepted.
    let (template, srv) = critical_template(&duis);
    let (status, c) = lab.trigger(json!({"srv": srv, "template": template})).await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["command_variant"], 4, "{c}");
    assert_eq!(c["pre_command"], "signed", "{c}");
    assert_eq!(c["outcome"], "sent", "{c}");
    assert_eq!(c["acknowledgement"], "I99", "{c}");
    let critical_id = c["request_id"].as_str().unwrap().to_string();
    lab.inbox_when("the critical response", |i| {
        entries_for(i, &critical_id)
            .iter()
            .any(|e| e["response_code"] == "I0")
    })
    .await;

    // The receiving side.
    let xml_keys = XmlKeyStore::load(&duis.join("keystore")).unwrap();
    let sent_id: RequestId = id.parse().unwrap();
    let good = dcc_response(&xml_keys, sent_id, message(), true);
    let xxe = std::fs::read(duis.join("fixtures/duis-xxe.xml")).unwrap();
    let (status, text) = lab.deliver(xxe, "application/xml").await;
    assert_eq!(status, 400, "{text}");
    let (status, text) = lab.deliver(good.clone(), "text/plain").await;
    assert_eq!(status, 415, "{text}");
    // A server may answer 413 before reading the body and then close the connection: the
    // oversized document goes on a connection of its own, so the next delivery is not sent
    // down one that is closing.
    let (status, text) = lab
        .deliver_alone(vec![b' '; 2 << 20], "application/xml")
        .await;
    assert_eq!(status, 413, "{text}");
    let unsigned = dcc_response(&xml_keys, sent_id, message(), false);
    let (status, text) = lab.deliver(unsigned, "application/xml").await;
    assert_eq!(status, 403, "{text}");
    let tampered = good.replacen("<sr:ServiceReference>4.1<", "<sr:ServiceReference>4.2<", 1);
    assert_ne!(tampered, good);
    let (status, text) = lab.deliver(tampered, "application/xml").await;
    assert_eq!(status, 403, "{text}");
    let stray = dcc_response(&xml_keys, sent_id.with_counter(7), message(), true);
    let (status, text) = lab.deliver(stray, "application/xml").await;
    assert_eq!(status, 404, "{text}");
    // A copy of a response already received: 200, one more delivery of the same entry.
    let (status, text) = lab.deliver(good, "application/xml").await;
    assert_eq!(status, 200, "{text}");
    let inbox = lab.inbox().await;
    let got = entries_for(&inbox, &id);
    assert_eq!(got.len(), 1, "{inbox:?}");
    assert_eq!(got[0]["deliveries"], 2, "{inbox:?}");
    // A DCC alert, as the emulator sends it.
    let r = lab
        .client
        .post(format!("{}/emulator/dcc-alert", lab.dcc))
        .body(json!({"code": "N24", "event": "power-outage"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 202);
    lab.inbox_when("the DCC alert", |i| {
        i.iter().any(|e| e["kind"] == "dcc_alert")
    })
    .await;

    // Bad triggers.
    let (status, e) = lab.trigger(json!({"srv": "99.9.9"})).await;
    assert_eq!(status, 400, "{e}");
    assert!(e["error"].as_str().unwrap().contains("99.9.9"), "{e}");
    let (status, e) = lab
        .trigger(json!({"srv": "4.1.1", "user": "00-00-00-00-00-00-00-01"}))
        .await;
    assert_eq!(status, 400, "{e}");
    assert!(e["error"].as_str().unwrap().contains("key"), "{e}");
    let (status, e) = lab.trigger(json!({"srv": "4.1.1", "colour": "blue"})).await;
    assert_eq!(status, 400, "{e}");
    // A template that is no file is refused at once (read, /dev/zero would never end).
    for path in ["/dev/zero", "/"] {
        let (status, e) = lab.trigger(json!({"srv": "4.1.1", "template": path})).await;
        assert_eq!(status, 400, "{e}");
        assert!(
            e["error"].as_str().unwrap().contains("not a regular file"),
            "{e}"
        );
    }

    // The command-line trigger.
    let t = lab.template(TEMPLATE_4_1_1);
    let (code, out, err) = cli_trigger(&["--url", &lab.url, "--srv", "4.1.1", "--template", &t]);
    assert_eq!(code, 0, "{out}{err}");
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["outcome"], "sent");
    let (code, _, err) = cli_trigger(&["--url", &lab.url, "--srv", "99.9.9"]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    let nobody = format!("http://127.0.0.1:{}", free_port());
    let (code, _, err) = cli_trigger(&["--url", &nobody, "--srv", "4.1.1"]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_pre_command_is_refused_and_nothing_more_is_sent() {
    let Some((duis, keys)) = data("a_tampered_pre_command_is_refused") else {
        return;
    };
    let lab = lab(&duis, &keys, "tampered-pre-command", &[]);
    let (template, srv) = critical_template(&duis);
    let before = lab.dcc_requests().await;
    let (status, a) = lab.trigger(json!({"srv": srv, "template": template})).await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["outcome"], "refused", "{a}");
    assert_eq!(a["pre_command"], "refused", "{a}");
    assert_eq!(a["acknowledgement"], "I0", "{a}");
    let reason = a["reason"].as_str().unwrap();
    assert!(
        reason.contains("payload") && !reason.contains('\n'),
        "{reason}"
    );
    // The CV 4 only: no CV 5 followed.
    assert_eq!(lab.dcc_requests().await, before + 1);
    let (code, out, err) =
        cli_trigger(&["--url", &lab.url, "--srv", &srv, "--template", &template]);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_fault_mode_changes_its_one_behaviour() {
    let Some((duis, keys)) = data("each_fault_mode_changes_its_one_behaviour") else {
        return;
    };
    let out = Command::new(common::BIN)
        .args(["head-end", "--list-faults"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let listed: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split("  ").next().unwrap().to_string())
        .collect();
    let names: Vec<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
    assert_eq!(listed, names);

    // The sending side's faults, each against the same DCC: what the DCC makes of them.
    let (template, srv) = critical_template(&duis);
    let lab_of = |faults: &[Fault]| lab(&duis, &keys, "", faults);
    let xml_keys = XmlKeyStore::load(&duis.join("keystore")).unwrap();

    let l = lab_of(&[Fault::UnsignedRequest]);
    let (_, a) = l.trigger(l.read_4_1_1()).await;
    assert_eq!(a["outcome"], "sent", "{a}");
    assert_ne!(a["acknowledgement"], "I99", "{a}");

    let l = lab_of(&[Fault::CounterReused]);
    let (_, a) = l.trigger(l.read_4_1_1()).await;
    let (_, b) = l.trigger(l.read_4_1_1()).await;
    assert_eq!(a["request_id"], b["request_id"]);
    assert_eq!(a["acknowledgement"], "I99", "{a}");
    assert_eq!(b["acknowledgement"], "E12", "{b}");

    let l = lab_of(&[Fault::WrongCommandVariant]);
    let (_, a) = l.trigger(json!({"srv": srv, "template": template})).await;
    assert_eq!(a["command_variant"], 1, "{a}");
    let (_, b) = l.trigger(l.read_4_1_1()).await;
    assert_eq!(b["acknowledgement"], "I99", "{b}");

    let l = lab(
        &duis,
        &keys,
        "tampered-pre-command",
        &[Fault::SignsTamperedPreCommand],
    );
    let (_, a) = l.trigger(json!({"srv": srv, "template": template})).await;
    assert_eq!(a["pre_command"], "signed", "{a}");

    let l = lab_of(&[Fault::WrongOriginator]);
    let (_, a) = l.trigger(l.read_4_1_1()).await;
    assert!(
        !a["request_id"].as_str().unwrap().starts_with(SUPPLIER),
        "{a}"
    );
    assert_eq!(a["acknowledgement"], "E2", "{a}");

    // The receiving side's faults, all on one head-end (they touch different checks).
    let l = lab_of(&[
        Fault::AcceptsBadSignature,
        Fault::AcceptsGarbage,
        Fault::AcceptsUnknownRequest,
        Fault::DropsAlerts,
        Fault::CountsDuplicates,
    ]);
    let stray: RequestId = format!("{SUPPLIER}:{ESME}:7").parse().unwrap();
    let unsigned = dcc_response(&xml_keys, stray, message(), false);
    let (status, _) = l.deliver(unsigned, "application/xml").await;
    assert_eq!(status, 200);
    let xxe = std::fs::read(duis.join("fixtures/duis-xxe.xml")).unwrap();
    assert_eq!(l.deliver(xxe, "application/xml").await.0, 200);
    let good = dcc_response(&xml_keys, stray, message(), true);
    assert_eq!(l.deliver(good.clone(), "application/xml").await.0, 200);
    let inbox = l.inbox().await;
    // The unsigned one and the signed one (same kind, id and code) as two entries.
    assert_eq!(
        entries_for(&inbox, &stray.to_string()).len(),
        2,
        "{inbox:?}"
    );
    let r = l
        .client
        .post(format!("{}/emulator/dcc-alert", l.dcc))
        .body(json!({"code": "N24"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 202);
    // The alert is refused (the emulator counts a failed delivery) and never recorded.
    let deadline = Instant::now() + WITHIN;
    while l.deliveries().await["failed"].as_u64().unwrap() == 0 {
        assert!(Instant::now() < deadline, "the DCC alert was not refused");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let inbox = l.inbox().await;
    assert!(inbox.iter().all(|e| e["kind"] == "response"), "{inbox:?}");
}
