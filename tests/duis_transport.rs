//! The `duis://` transport, the harness as a DCC User: the request it builds for a command
//! (template, RequestID, command variant, XML signature), what it refuses because DUIS cannot
//! express it, and its callback listener's refusals, over real HTTP. The end-to-end parity of
//! `run --target duis://` against `simulate --duis` with `run --target sim://` is in
//! `duis_parity_with_sim`.
//!
//! The DUIS test data (templates, ZAZ1 keys, fixtures) is read from `$GBCS_DUIS_DIR` (default
//! `../shared/duis`); without it the tests say so and pass, unless `GBCS_REQUIRE_RTDS=1`.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use gbcs_harness::codec::EntityId;
use gbcs_harness::command::identities::{DeviceKind, Identities, Party};
use gbcs_harness::command::template::{Addressing, Tampering};
use gbcs_harness::crypto::KeyStore;
use gbcs_harness::duis::keys::{XmlKeyStore, DCC_XML_SIGNER};
use gbcs_harness::duis::request::Request;
use gbcs_harness::duis::request_id::RequestId;
use gbcs_harness::duis::response::{
    date_time_utc, Response, ResponseBody, ResponseCode, ResponseContent, ResponseHeader,
    ResponseMessage,
};
use gbcs_harness::duis::services::CommandVariant;
use gbcs_harness::duis::signature::{sign, verify};
use gbcs_harness::duis::xml::parse;
use gbcs_harness::sim::profile::DefaultProfile;
use gbcs_harness::transport::{DuisTransport, Limits, OpenOptions, Transport, TransportError};
use gbcs_harness::vectors::VectorStore;

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The DUIS test data, or `None` (with a message) when it is absent and not required.
pub fn duis_dir(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("GBCS_DUIS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate_dir().join("../shared/duis"));
    if dir.join("templates").is_dir() {
        return Some(dir);
    }
    if std::env::var("GBCS_REQUIRE_RTDS").is_ok_and(|v| v == "1") {
        panic!("{test}: DUIS test data not found at {}", dir.display());
    }
    eprintln!(
        "{test}: skipped, DUIS test data not found at {} (set GBCS_DUIS_DIR)",
        dir.display()
    );
    None
}

/// The built-in lab: its GBCS keys and identities, and XML-signing keys for its Users and
/// the DCC.
struct Lab {
    keys: Arc<KeyStore>,
    ids: Identities,
    xml: Arc<XmlKeyStore>,
}

fn lab() -> Lab {
    let keys = DefaultProfile::generate().unwrap().shared_keys();
    let ids = Identities::default_lab();
    let users = [
        ids.parties[&Party::ImportSupplier],
        ids.parties[&Party::GasSupplier],
        ids.parties[&Party::NetworkOperator],
        DCC_XML_SIGNER,
    ];
    Lab {
        keys,
        ids,
        xml: Arc::new(XmlKeyStore::test_pki(&users)),
    }
}

impl Lab {
    fn supplier(&self) -> EntityId {
        self.ids.parties[&Party::ImportSupplier]
    }

    fn esme(&self) -> EntityId {
        self.ids.devices[&DeviceKind::Esme]
    }

    /// A golden vector's command, addressed as a scenario addresses it.
    fn command(&self, use_case: &str, variant: &str, from: EntityId, counter: u64) -> Vec<u8> {
        self.command_tampered(use_case, variant, from, counter, Tampering::default())
    }

    fn command_tampered(
        &self,
        use_case: &str,
        variant: &str,
        from: EntityId,
        counter: u64,
        tamper: Tampering,
    ) -> Vec<u8> {
        let vector = VectorStore::new(crate_dir().join("vectors"))
            .variant(use_case, variant)
            .unwrap();
        let to = Addressing {
            originator: from,
            recipient: self.esme(),
            counter,
        };
        vector
            .command
            .template
            .build(to, &self.keys, Some(self.ids.acb), tamper)
            .unwrap()
    }

    /// A transport to a DCC that is not there: what it refuses, it refuses before sending.
    fn transport(&self, duis: &Path, extra: &str) -> DuisTransport {
        let url = format!(
            "duis://127.0.0.1:9?templates={}{extra}",
            duis.join("templates").display()
        );
        DuisTransport::with_key_stores(
            &url,
            OpenOptions::default(),
            self.xml.clone(),
            self.keys.clone(),
        )
        .unwrap()
    }
}

fn limits() -> Limits {
    Limits {
        connect_timeout: Duration::from_secs(2),
        response_timeout: Duration::from_secs(5),
        ..Limits::default()
    }
}

#[test]
fn a_command_becomes_its_variants_request_with_the_commands_id_signed_by_its_originator() {
    let Some(duis) = duis_dir("a_command_becomes_its_variants_request") else {
        return;
    };
    let lab = lab();
    let mut t = lab.transport(&duis, "");
    let frame = lab.command(
        "ECS17b",
        "ECS17b_4.1.1_SINGLE_SUCCESS",
        lab.supplier(),
        4242,
    );
    let xml = t.request_for(&frame).unwrap();
    let doc = parse(xml.as_bytes()).unwrap();
    let signer = verify(&doc, &lab.xml).unwrap();
    assert_eq!(signer.eui, Some(lab.supplier()));
    let request = Request::from_document(&doc).unwrap();
    assert_eq!(
        request.header.request_id,
        RequestId::new(lab.supplier(), lab.esme(), 4242)
    );
    assert_eq!(
        request.header.command_variant,
        CommandVariant::NonCriticalWan
    );
    assert_eq!(request.header.service_reference_variant, "4.1.1");
    assert_eq!(
        request.body.local_name(),
        "ReadInstantaneousImportRegisters"
    );

    // A critical use case goes first as a transform request (CV 4).
    let frame = lab.command(
        "ECS01a",
        "ECS01a_1.1.1_IMMEDIATE_TOU_SUCCESS",
        lab.supplier(),
        4243,
    );
    let xml = t.request_for(&frame).unwrap();
    let request = Request::from_document(&parse(xml.as_bytes()).unwrap()).unwrap();
    assert_eq!(request.header.command_variant, CommandVariant::Transform);
    assert_eq!(request.header.service_reference_variant, "1.1.1");
    assert_eq!(request.header.request_id.counter, 4243);
}

#[test]
fn with_the_rtds_corpus_the_template_is_the_variant_the_command_was_built_from() {
    let Some(duis) = duis_dir("with_the_rtds_corpus_the_template_is_the_variant") else {
        return;
    };
    let rtds = crate_dir().join("../shared/rtds/RTDS-4.5.0");
    if !rtds.is_dir() {
        eprintln!(
            "with_the_rtds_corpus...: skipped, no RTDS corpus at {}",
            rtds.display()
        );
        return;
    }
    let lab = lab();
    let mut t = lab.transport(&duis, &format!("&rtds={}", rtds.display()));
    // Without the corpus, the nominal template (IMMEDIATE); with it, the FUTURE_DATED one.
    let frame = lab.command(
        "ECS01a",
        "ECS01a_1.1.1_FUTURE_DATED_TOU_BLOCK_SUCCESS",
        lab.supplier(),
        77,
    );
    let xml = t.request_for(&frame).unwrap();
    let body = Request::from_document(&parse(xml.as_bytes()).unwrap())
        .unwrap()
        .to_document()
        .to_xml();
    assert!(body.contains("ExecutionDateTime"), "{body}");
}

#[test]
fn the_shipped_duis_profile_folds_its_settings_into_the_target() {
    let Some(_) = duis_dir("the_shipped_duis_profile_folds_its_settings") else {
        return;
    };
    let profile = crate_dir().join("profiles/duis.toml");
    let p = gbcs_harness::runner::profile::DutProfile::load(&profile).unwrap();
    let o = gbcs_harness::runner::options::resolve(Some(p), Default::default());
    assert!(
        o.target.starts_with("duis://127.0.0.1:8079/?"),
        "{}",
        o.target
    );
    for key in ["templates=", "xml-keys=", "rtds=", "callback=", "keys="] {
        assert!(o.target.contains(key), "{key}: {}", o.target);
    }
    let t = DuisTransport::new(&o.target, OpenOptions::default()).unwrap();
    assert!(t
        .settings()
        .templates
        .join("ECS45_7.4_SUCCESS_REQUEST_DUIS.XML")
        .is_file());
    assert!(t.settings().xml_keys.is_dir());
}

#[tokio::test]
async fn what_duis_cannot_express_is_refused_before_anything_is_sent() {
    let Some(duis) = duis_dir("what_duis_cannot_express_is_refused") else {
        return;
    };
    let lab = lab();
    let mut t = lab.transport(&duis, "");
    let refusal = |r: Result<_, TransportError>| match r {
        Err(e @ TransportError::Duis { .. }) => e.to_string(),
        Err(e) => panic!("expected a DUIS refusal, got {e}"),
        Ok(_) => panic!("expected a DUIS refusal"),
    };
    let bad_mac = Tampering {
        bad_mac: true,
        ..Tampering::default()
    };
    let frame = lab.command_tampered(
        "ECS17b",
        "ECS17b_4.1.1_SINGLE_SUCCESS",
        lab.supplier(),
        10,
        bad_mac,
    );
    let e = refusal(t.exchange(&frame, &limits()).await);
    assert!(e.contains("MAC"), "{e}");

    let unsigned = Tampering {
        unsigned: true,
        ..Tampering::default()
    };
    let frame = lab.command_tampered(
        "ECS01a",
        "ECS01a_1.1.1_IMMEDIATE_TOU_SUCCESS",
        lab.supplier(),
        11,
        unsigned,
    );
    let e = refusal(t.exchange(&frame, &limits()).await);
    assert!(e.contains("signature is missing"), "{e}");

    let frame = lab.command("ECS17b", "ECS17b_4.1.1_SINGLE_SUCCESS", lab.ids.acb, 12);
    let e = refusal(t.exchange(&frame, &lab_limits_quick()).await);
    assert!(e.contains("not a DCC User"), "{e}");

    // A command that is expressible is sent: here to a DCC that is not there.
    let frame = lab.command("ECS17b", "ECS17b_4.1.1_SINGLE_SUCCESS", lab.supplier(), 20);
    let e = t.exchange(&frame, &lab_limits_quick()).await.unwrap_err();
    assert!(
        matches!(
            e,
            TransportError::Connect { .. } | TransportError::Timeout { .. }
        ),
        "{e}"
    );
    // The same counter again is stale: the DCC would refuse it.
    let e = refusal(t.exchange(&frame, &limits()).await);
    assert!(e.contains("not above 20"), "{e}");
}

fn lab_limits_quick() -> Limits {
    Limits {
        connect_timeout: Duration::from_millis(500),
        response_timeout: Duration::from_secs(2),
        ..Limits::default()
    }
}

/// A response or alert as the DCC sends it, signed by `signer` (unsigned when `None`).
fn dcc_document(
    lab: &Lab,
    body: ResponseBody,
    id: Option<RequestId>,
    signer: Option<EntityId>,
) -> String {
    let response = Response {
        header: ResponseHeader {
            request_id: id,
            response_id: id.map(|i| i.response_id()),
            response_code: ResponseCode::I0,
            response_date_time: date_time_utc(SystemTime::now()),
        },
        body,
    };
    let mut doc = response.to_document();
    if let Some(eui) = signer {
        sign(&mut doc, lab.xml.identity(eui).unwrap()).unwrap();
    }
    doc.to_xml()
}

#[tokio::test]
async fn the_callback_accepts_only_what_the_dcc_signed_for_a_request_it_awaits() {
    let Some(duis) = duis_dir("the_callback_accepts_only_what_the_dcc_signed") else {
        return;
    };
    let lab = lab();
    let mut t = lab.transport(&duis, "");
    let url = t.callback_url().await.unwrap();
    let client = reqwest::Client::new();
    let post = |body: Vec<u8>, content_type: &'static str| {
        let (client, url) = (client.clone(), url.clone());
        async move {
            let r = client
                .post(&url)
                .header("content-type", content_type)
                .body(body)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (status, r.text().await.unwrap())
        }
    };
    let xxe = std::fs::read(duis.join("fixtures/duis-xxe.xml")).unwrap();
    let (status, text) = post(xxe, "application/xml").await;
    assert_eq!(status, 400, "{text}");
    assert!(text.to_lowercase().contains("doctype"), "{text}");

    let message = ResponseBody::Message(ResponseMessage {
        service_reference: "4.1".into(),
        service_reference_variant: "4.1.1".into(),
        content: ResponseContent::GbcsPayload(vec![0xDF, 0x09]),
    });
    let id = RequestId::new(lab.supplier(), lab.esme(), 99);
    let good = dcc_document(&lab, message.clone(), Some(id), Some(DCC_XML_SIGNER));
    let (status, text) = post(good.clone().into_bytes(), "text/plain").await;
    assert_eq!(status, 415, "{text}");
    let (status, text) = post(vec![b' '; 2 << 20], "application/xml").await;
    assert_eq!(status, 413, "{text}");
    let unsigned = dcc_document(&lab, message.clone(), Some(id), None);
    let (status, text) = post(unsigned.into_bytes(), "application/xml").await;
    assert_eq!(status, 403, "{text}");
    let by_user = dcc_document(&lab, message.clone(), Some(id), Some(lab.supplier()));
    let (status, text) = post(by_user.into_bytes(), "application/xml").await;
    assert_eq!(status, 403, "{text}");
    assert!(text.contains("not the DCC"), "{text}");
    let mut tampered = good.clone();
    tampered = tampered.replacen(":99<", ":98<", 1);
    let (status, text) = post(tampered.into_bytes(), "application/xml").await;
    assert_eq!(status, 403, "{text}");
    // Signed by the DCC, but not a valid DUIS response.
    let nonsense = ResponseBody::Other(gbcs_harness::duis::xml::Element::new(
        gbcs_harness::duis::xml::SR_NS,
        Some("sr"),
        "Nonsense",
    ));
    let invalid = dcc_document(&lab, nonsense, Some(id), Some(DCC_XML_SIGNER));
    let (status, text) = post(invalid.into_bytes(), "application/xml").await;
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("not valid DUIS"), "{text}");
    // Correctly signed by the DCC, but no request awaits it.
    let (status, text) = post(good.into_bytes(), "application/xml").await;
    assert_eq!(status, 404, "{text}");

    // A device alert goes on the alert board as its GBCS frame, once however often it comes.
    let frame = lab.command("ECS17b", "ECS17b_4.1.1_SINGLE_SUCCESS", lab.supplier(), 5);
    let alert = ResponseBody::DeviceAlert {
        alert_code: 0x8F66,
        throttled_alert_sequence_id: None,
        throttled_alert_count: None,
        gbcs_payload: frame.clone(),
    };
    let doc = dcc_document(&lab, alert, None, Some(DCC_XML_SIGNER));
    for _ in 0..2 {
        let (status, text) = post(doc.clone().into_bytes(), "application/xml").await;
        assert_eq!(status, 200, "{text}");
    }
    let got = t.alerts(Duration::from_secs(2)).await.unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].frame, frame);
    assert!(t
        .alerts(Duration::from_millis(100))
        .await
        .unwrap()
        .is_empty());
}

// ---------------------------------------------------------------------------------------------
// End to end: `run --target duis://` against `simulate --duis`, and the same features on
// `sim://`.

/// A child process, killed and reaped when dropped.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A folder under the system's temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!("{name}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes the lab's XML-signing identities as a key store folder both processes read:
/// `xml-sign-<EUI>-ds.{pem,key}` for the Users, `dsp-xml-sign-<EUI>-ds.{pem,key}` for the DCC.
fn write_xml_keys(lab: &Lab, dir: &Path) {
    lab.xml.write(dir).unwrap();
}

/// A port nothing listens on now (the callback must be known before the emulator starts).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One scenario's outcome in a run summary.
#[derive(Debug, Clone)]
struct Line {
    outcome: String,
    failure: Option<String>,
    /// Why it does not apply (`not_applicable`).
    reason: Option<String>,
}

/// `run` with `args`, its summary's scenarios by location and name.
fn run_features(
    features: &[&str],
    target: &str,
    profile: &Path,
    out: &Path,
) -> std::collections::BTreeMap<(String, String), Line> {
    let json = out.join("summary.json");
    let status = std::process::Command::new(common::BIN)
        .current_dir(crate_dir())
        .arg("run")
        .args(features)
        .args(["--target", target, "--quiet", "--profile"])
        .arg(profile)
        .arg("--json")
        .arg(&json)
        .arg("--junit")
        .arg(out.join("junit.xml"))
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(
        status.code().is_some_and(|c| c == 0 || c == 1),
        "run --target {target}: {status}"
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    summary["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                (
                    r["location"].as_str().unwrap().to_string(),
                    r["name"].as_str().unwrap().to_string(),
                ),
                Line {
                    outcome: r["outcome"].as_str().unwrap().to_string(),
                    failure: r["failure"].as_str().map(str::to_string),
                    reason: r["reason"].as_str().map(str::to_string),
                },
            )
        })
        .collect()
}

/// The RTDS variant a scenario's name ends with, if any.
fn variant_of(name: &str) -> Option<String> {
    let open = name.rfind('(')?;
    Some(name[open + 1..].trim_end_matches(')').to_string())
}

/// Whether the template of a scenario's variant transforms for the device the scenario
/// addresses (`None`: the scenario names no variant with a template).
fn variant_transforms(
    name: &str,
    variants: &std::collections::BTreeMap<String, Vec<DeviceKind>>,
) -> Option<bool> {
    let variant = variant_of(name)?;
    let devices = variants.get(&variant)?;
    let use_case = variant.split('_').next()?;
    let vector = VectorStore::new(crate_dir().join("vectors"))
        .variant(use_case, &variant)
        .ok()?;
    Some(devices.contains(&vector.device))
}

/// The use case a scenario exercises: the RTDS variant its name ends with, else the feature.
fn use_case_of(location: &str, name: &str) -> String {
    if let Some(open) = name.rfind('(') {
        let variant = name[open + 1..].trim_end_matches(')');
        if let Some(uc) = variant.split('_').next().filter(|s| !s.is_empty()) {
            return uc.to_string();
        }
    }
    Path::new(location.split(':').next().unwrap_or(location))
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}

/// Whether the catalogue calls a use case critical (signed by its originator).
fn is_critical(use_case: &str) -> bool {
    gbcs_harness::codec::catalogue::by_use_case(use_case).any(|e| e.message_type.is_critical())
}

/// Use cases with a DUIS template that the emulator's transform turns into a command.
/// Also which variants' own templates transform (by variant: whether it does).
type Transformable = (
    std::collections::BTreeSet<String>,
    Vec<(String, String)>,
    std::collections::BTreeMap<String, Vec<DeviceKind>>,
);

fn transformable(duis: &Path) -> Transformable {
    use gbcs_harness::dcc::transform::{transform, Skeletons};
    let skeletons = Skeletons::load(&VectorStore::new(crate_dir().join("vectors"))).unwrap();
    let mut ok = std::collections::BTreeSet::new();
    let mut without = std::collections::BTreeMap::<String, String>::new();
    let mut variants = std::collections::BTreeMap::<String, Vec<DeviceKind>>::new();
    let mut names: Vec<_> = std::fs::read_dir(duis.join("templates"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    for path in names {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let use_case = name.split('_').next().unwrap_or("").to_string();
        if use_case.starts_with(|c: char| c.is_ascii_digit()) {
            continue; // a non-device request
        }
        let Ok(request) = parse(&std::fs::read(&path).unwrap())
            .map_err(|e| e.to_string())
            .and_then(|d| Request::from_document(&d).map_err(|e| e.to_string()))
        else {
            continue;
        };
        // The device kind picks the use case (1.6 is ECS02 on an ESME, GCS02 on a GSME).
        let results: Vec<_> = DeviceKind::ALL
            .iter()
            .map(|d| transform(&request, *d, &skeletons))
            .collect();
        let devices: Vec<DeviceKind> = DeviceKind::ALL
            .iter()
            .zip(&results)
            .filter(|(_, r)| r.as_ref().is_ok_and(|t| t.use_case == use_case))
            .map(|(d, _)| *d)
            .collect();
        let done = !devices.is_empty();
        if let Some(variant) = name.strip_suffix("_REQUEST_DUIS.XML") {
            variants.insert(variant.to_string(), devices);
        }
        if done {
            ok.insert(use_case.clone());
            without.remove(&use_case);
        } else if !ok.contains(&use_case) {
            // The most telling reason: one that is not "no such command for this device".
            let why = results
                .iter()
                .filter_map(|r| r.as_ref().err())
                .min_by_key(|e| e.reason() == "no-transform")
                .map_or("transformed to another use case", |e| e.reason());
            without.entry(use_case).or_insert_with(|| why.to_string());
        }
    }
    (ok, without.into_iter().collect(), variants)
}

/// `simulate --duis` over the lab's XML keys (in `keys`), delivering to a callback port chosen
/// now: the emulator, its address and the callback port.
fn start_emulator(keys: &Path, extra: &[&str]) -> (Child, String, u16) {
    let port = free_port();
    let mut child = std::process::Command::new(common::BIN)
        .current_dir(crate_dir())
        .args(["simulate", "--duis", "127.0.0.1:0", "--response-url"])
        .arg(format!("http://127.0.0.1:{port}/duis"))
        .arg("--duis-keys")
        .arg(keys)
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let child = Child(child);
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("simulate --duis announced {line:?}"))
        .to_string();
    (child, addr, port)
}

/// A transport to an emulator started with `faults`, and the emulator.
fn emulated(lab: &Lab, duis: &Path, tmp: &TempDir, faults: &str) -> (Child, DuisTransport) {
    let keys = tmp.0.join("xml-keys");
    write_xml_keys(lab, &keys);
    let extra: Vec<&str> = if faults.is_empty() {
        Vec::new()
    } else {
        vec!["--duis-faults", faults]
    };
    let (child, addr, port) = start_emulator(&keys, &extra);
    let url = format!(
        "duis://{addr}?callback=127.0.0.1:{port}&templates={}",
        duis.join("templates").display()
    );
    let t = DuisTransport::with_key_stores(
        &url,
        OpenOptions::default(),
        lab.xml.clone(),
        lab.keys.clone(),
    )
    .unwrap();
    (child, t)
}

/// The response's header echoes the command: code, counter, and the parties swapped.
fn assert_answers(response: &[u8], command: &[u8]) {
    let (r, c) = (
        gbcs_harness::codec::decode_frame(response).unwrap(),
        gbcs_harness::codec::decode_frame(command).unwrap(),
    );
    assert_eq!(r.header().counter, c.header().counter);
    assert_eq!(r.header().recipient, c.header().originator);
    assert_eq!(r.header().originator, c.header().recipient);
    assert_eq!(r.header().message_code(), c.header().message_code());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_critical_and_critical_commands_come_back_from_the_dcc_as_the_devices_response() {
    let Some(duis) = duis_dir("non_critical_and_critical_commands_come_back") else {
        return;
    };
    let lab = lab();
    let tmp = TempDir::new("gbcs-duis-flows");
    let (_emulator, mut t) = emulated(&lab, &duis, &tmp, "");
    let counter = 1_000_000;
    // CV 1: I99, then the response.
    let frame = lab.command(
        "ECS17b",
        "ECS17b_4.1.1_SINGLE_SUCCESS",
        lab.supplier(),
        counter,
    );
    let got = t.exchange(&frame, &limits()).await.unwrap();
    assert_eq!(got.responses.len(), 1);
    assert_answers(&got.responses[0].frame, &frame);
    // CV 4: the pre-command, checked and signed; CV 5: I99; then the response.
    let frame = lab.command("ECS42", "ECS42_7.1_SUCCESS", lab.supplier(), counter + 1);
    let got = t.exchange(&frame, &limits()).await.unwrap();
    assert_eq!(got.responses.len(), 1);
    assert_answers(&got.responses[0].frame, &frame);
    // Several requests awaited at once: each answer goes to its own command.
    let mut waits = Vec::new();
    let mut frames = Vec::new();
    for i in 0..8 {
        let frame = lab.command(
            "ECS17b",
            "ECS17b_4.1.1_SINGLE_SUCCESS",
            lab.supplier(),
            counter + 10 + i,
        );
        waits.push(t.submit(&frame, &limits()).await.unwrap());
        frames.push(frame);
    }
    for (wait, frame) in waits.into_iter().zip(&frames) {
        let got = wait.await.unwrap();
        assert_answers(&got.responses[0].frame, frame);
    }
    // Figures (not asserted): request to asynchronous response, one at a time, and the rate
    // with 16 requests in flight.
    let n = 50;
    let started = std::time::Instant::now();
    for i in 0..n {
        let frame = lab.command(
            "ECS17b",
            "ECS17b_4.1.1_SINGLE_SUCCESS",
            lab.supplier(),
            counter + 100 + i,
        );
        t.exchange(&frame, &limits()).await.unwrap();
    }
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0 / n as f64;
    let total = 400;
    let started = std::time::Instant::now();
    let mut in_flight = std::collections::VecDeque::new();
    for i in 0..total {
        let frame = lab.command(
            "ECS17b",
            "ECS17b_4.1.1_SINGLE_SUCCESS",
            lab.supplier(),
            counter + 1000 + i,
        );
        in_flight.push_back(t.submit(&frame, &limits()).await.unwrap());
        if in_flight.len() == 16 {
            in_flight.pop_front().unwrap().await.unwrap();
        }
    }
    for wait in in_flight {
        wait.await.unwrap();
    }
    let rate = total as f64 / started.elapsed().as_secs_f64();
    eprintln!(
        "duis transport figures: {latency_ms:.1} ms per request to its asynchronous response (CV 1, one at a time, {n} requests); {rate:.0} requests/s with 16 in flight ({total} requests; debug build)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pre_command_that_differs_from_the_command_is_not_signed() {
    let Some(duis) = duis_dir("a_pre_command_that_differs_from_the_command") else {
        return;
    };
    let lab = lab();
    let tmp = TempDir::new("gbcs-duis-tampered");
    let (_emulator, mut t) = emulated(&lab, &duis, &tmp, "tampered-pre-command");
    let frame = lab.command("ECS42", "ECS42_7.1_SUCCESS", lab.supplier(), 2_000_000);
    let e = t.exchange(&frame, &limits()).await.unwrap_err().to_string();
    assert!(e.contains("does not say what the command says"), "{e}");
    assert!(e.contains("payload"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_dcc_did_not_sign_is_not_believed() {
    let Some(duis) = duis_dir("what_the_dcc_did_not_sign_is_not_believed") else {
        return;
    };
    let lab = lab();
    for fault in ["bad-dcc-signature", "unsigned-response"] {
        let tmp = TempDir::new("gbcs-duis-unsigned");
        let (_emulator, mut t) = emulated(&lab, &duis, &tmp, fault);
        let frame = lab.command(
            "ECS17b",
            "ECS17b_4.1.1_SINGLE_SUCCESS",
            lab.supplier(),
            3_000_000,
        );
        let quick = Limits {
            response_timeout: Duration::from_secs(2),
            ..limits()
        };
        let e = t.exchange(&frame, &quick).await.unwrap_err();
        // The acknowledgement or the delivery is refused; no response is handed over.
        assert!(
            matches!(
                e,
                TransportError::Timeout { .. } | TransportError::Duis { .. }
            ),
            "{fault}: {e}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_delivery_is_handed_over_once_and_an_error_code_is_named() {
    let Some(duis) = duis_dir("a_duplicate_delivery_is_handed_over_once") else {
        return;
    };
    let lab = lab();
    let tmp = TempDir::new("gbcs-duis-dup");
    let (_emulator, mut t) = emulated(&lab, &duis, &tmp, "duplicate-delivery,e-code:7.4=E20");
    for counter in [4_000_000, 4_000_001] {
        let frame = lab.command(
            "ECS17b",
            "ECS17b_4.1.1_SINGLE_SUCCESS",
            lab.supplier(),
            counter,
        );
        let got = t.exchange(&frame, &limits()).await.unwrap();
        assert_eq!(got.responses.len(), 1);
        assert_answers(&got.responses[0].frame, &frame);
    }
    // The second copies may still be on their way: wait for them, bounded.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let mut counts = t.callback_counts();
    while counts.duplicates < 2 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
        counts = t.callback_counts();
    }
    assert_eq!(counts.duplicates, 2, "{counts:?}");
    assert_eq!(counts.refused, 0, "{counts:?}");
    let frame = lab.command("ECS45", "ECS45_7.4_SUCCESS", lab.supplier(), 4_000_002);
    let e = t.exchange(&frame, &limits()).await.unwrap_err().to_string();
    assert!(e.contains("E20"), "{e}");
}

#[test]
fn duis_parity_with_sim() {
    let Some(duis) = duis_dir("duis_parity_with_sim") else {
        return;
    };
    let lab = lab();
    let tmp = TempDir::new("gbcs-duis-parity");
    let keys = tmp.0.join("xml-keys");
    write_xml_keys(&lab, &keys);
    let (_emulator, addr, port) = start_emulator(&keys, &[]);
    let rtds = std::env::var_os("GBCS_RTDS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate_dir().join("../shared/rtds"))
        .join("RTDS-4.5.0");
    // The built-in identities (those of sim://), with the XML keys written for them; the
    // capabilities of profiles/duis.toml.
    let profile = tmp.0.join("duis.toml");
    std::fs::write(
        &profile,
        format!(
            "name = \"DCC emulator over DUIS\"\nconcurrency = 16\n[duis]\ntemplates = {:?}\nkeys = {:?}\nrtds = {:?}\ncallback = \"127.0.0.1:{port}\"\n[capabilities]\ndevices = [\"esme\", \"load-controlled-esme\", \"gsme\", \"comms-hub\", \"gpf\", \"ppmid\", \"hcalcs\"]\nfunctions = [\"prepayment\"]\n",
            duis.join("templates"),
            keys,
            rtds
        ),
    )
    .unwrap();
    let target = format!("duis://{addr}");
    let features = [
        "features/electricity",
        "features/gas",
        "features/comms-hub",
        "features/smets1",
        "features/security",
    ];
    let started = std::time::Instant::now();
    let via_duis = run_features(&features, &target, &profile, &tmp.0.join("duis"));
    let duis_s = started.elapsed().as_secs_f64();
    let started = std::time::Instant::now();
    let on_sim = run_features(&features, "sim://", &profile, &tmp.0.join("sim"));
    let sim_s = started.elapsed().as_secs_f64();
    let (transformable, without, variants) = transformable(&duis);

    let (mut compared, mut agreeing, mut both_passed) = (0, 0, 0);
    // The same features pass on sim://: agreement is agreement on passing.
    let sim_failed: Vec<_> = on_sim
        .iter()
        .filter(|(_, l)| l.outcome == "failed")
        .map(|(k, l)| format!("{} {}: {:?}", k.0, k.1, l.failure))
        .collect();
    assert!(sim_failed.is_empty(), "on sim://: {sim_failed:#?}");
    let mut differing = Vec::new();
    // Differences DUIS explains: the transport refused what DUIS cannot express (commands
    // of the DCC's own roles, tampered commands), or the DCC refused a User its role does
    // not entitle (E1-E5: the DCC's access control, which a device does not play).
    let mut inexpressible = std::collections::BTreeMap::<String, usize>::new();
    let mut unauthorised = std::collections::BTreeMap::<String, usize>::new();
    let mut excused = std::collections::BTreeMap::<String, usize>::new();
    // Not run through DUIS by design: scenarios whose sender is not a DCC User are tagged
    // @needs-direct-gbcs (src/vectors/features.rs), a capability every target but duis://
    // implies; the run reports them not applicable, at their `file:line`.
    let mut direct = std::collections::BTreeMap::<String, usize>::new();
    let needs_direct = |key: &(String, String)| {
        via_duis.get(key).is_some_and(|l| {
            l.outcome == "not_applicable"
                && l.reason
                    .as_deref()
                    .is_some_and(|r| r.contains("direct-gbcs"))
        })
    };
    let mut critical_passed = std::collections::BTreeSet::new();
    for (key, sim) in &on_sim {
        if needs_direct(key) {
            *direct.entry(use_case_of(&key.0, &key.1)).or_default() += 1;
            continue;
        }
        let Some(d) = via_duis.get(key) else {
            differing.push(format!("{} {}: not run through DUIS", key.0, key.1));
            continue;
        };
        let use_case = use_case_of(&key.0, &key.1);
        compared += 1;
        let failure = d.failure.as_deref().unwrap_or("");
        if d.outcome == "passed" && is_critical(&use_case) {
            critical_passed.insert(use_case.clone());
        }
        if d.outcome == sim.outcome {
            agreeing += 1;
            if d.outcome == "passed" {
                both_passed += 1;
            }
        } else if failure.contains("DUIS cannot express this command") {
            *inexpressible.entry(use_case).or_default() += 1;
        } else if ["E1 ", "E2 ", "E3 ", "E4 ", "E5 "]
            .iter()
            .any(|c| failure.contains(&format!("the DCC answered {c}")))
        {
            *unauthorised.entry(use_case).or_default() += 1;
        } else if !variant_transforms(&key.1, &variants)
            .unwrap_or_else(|| transformable.contains(&use_case))
        {
            *excused.entry(use_case).or_default() += 1;
        } else {
            differing.push(format!(
                "{} {} [{use_case}]: sim {} / duis {}: {}",
                key.0,
                key.1,
                sim.outcome,
                d.outcome,
                d.failure
                    .as_deref()
                    .or(sim.failure.as_deref())
                    .unwrap_or("")
            ));
        }
    }
    let sum = |m: &std::collections::BTreeMap<String, usize>| m.values().sum::<usize>();
    let direct_n = sum(&direct);
    eprintln!(
        "duis parity: {compared} scenarios compared, {agreeing} agree ({both_passed} passed on both); not run through DUIS, needing direct GBCS (sender not a DCC User): {direct_n} {direct:?}; differing: {} not expressible in DUIS {inexpressible:?}, {} refused by the DCC's access control {unauthorised:?}, {} whose variant has no template or no transform {excused:?}, {} unexplained; run through DUIS {duis_s:.1} s, on sim:// {sim_s:.1} s",
        sum(&inexpressible),
        sum(&unauthorised),
        sum(&excused),
        differing.len(),
    );
    eprintln!("critical use cases passed through CV 4/5: {critical_passed:?}");
    eprintln!(
        "use cases with a template but no transform ({}): {}",
        without.len(),
        without
            .iter()
            .map(|(u, why)| format!("{u} ({why})"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert!(compared > 0 && both_passed > 0);
    assert!(
        differing.is_empty(),
        "{} scenarios differ:\n{}",
        differing.len(),
        differing.join("\n")
    );
}
