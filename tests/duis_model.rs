//! The DUIS model against the shared DUIS data: every RTDS request template parses into a
//! `Request`, is written back, means the same and validates against `duis-5.4.xsd` with
//! xmllint (the oracle) and against our model; the bad fixtures are refused with their reason;
//! the DCC Boxed responses parse into the right body kinds; alerts and acknowledgements we write
//! are schema-valid.
//!
//! Data: `$GBCS_DUIS_DIR` (default `../shared/duis`). Absent, each test says so and skips;
//! with `GBCS_REQUIRE_RTDS=1` the absence fails instead. xmllint runs as a process.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use gbcs_harness::duis::request::{CommandVariant, Request, RequestBody};
use gbcs_harness::duis::request_id::RequestId;
use gbcs_harness::duis::response::{
    Response, ResponseBody, ResponseCode, ResponseContent, ResponseHeader,
};
use gbcs_harness::duis::validate::{validate, DocumentKind};
use gbcs_harness::duis::xml::{self, Element, XmlError, SR_NS};

fn duis_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("GBCS_DUIS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/duis"));
    if dir.join("templates").is_dir() {
        return Some(dir);
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("a DUIS test")
        .to_string();
    if std::env::var("GBCS_REQUIRE_RTDS").is_ok_and(|v| v == "1") {
        panic!("{test}: the DUIS data is required (GBCS_REQUIRE_RTDS=1) but {} has no templates: set GBCS_DUIS_DIR", dir.display());
    }
    let _ = writeln!(
        std::io::stderr(),
        "{test}: skipped: DUIS data not found at {} (set GBCS_DUIS_DIR)",
        dir.display()
    );
    None
}

fn templates(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("templates"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")))
        .collect();
    files.sort();
    files
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gbcs-duis-model-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn read_doc(path: &Path) -> xml::Document {
    xml::parse(&std::fs::read(path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs xmllint on `files` (in batches) against the DUIS schema; returns the files it refused
/// with its messages.
fn xmllint(schema: &Path, files: &[PathBuf]) -> Vec<String> {
    let mut refused = Vec::new();
    for batch in files.chunks(100) {
        let out = Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(schema)
            .args(batch)
            .output()
            .expect("xmllint is installed (libxml2-utils)");
        let stderr = String::from_utf8_lossy(&out.stderr);
        for f in batch {
            let ok = format!("{} validates", f.display());
            if !stderr.lines().any(|l| l == ok) {
                let msgs: Vec<&str> = stderr
                    .lines()
                    .filter(|l| l.starts_with(&f.display().to_string()))
                    .collect();
                refused.push(format!("{}: {}", f.display(), msgs.join(" | ")));
            }
        }
    }
    refused
}

#[test]
fn all_templates_parse_reserialise_validate_and_mean_the_same() {
    let Some(dir) = duis_dir() else { return };
    let out = temp_dir("templates");
    let files = templates(&dir);
    assert_eq!(files.len(), 297, "the RTDS copy has 297 templates");
    let mut written = Vec::new();
    let mut cvs = std::collections::BTreeMap::new();
    for f in &files {
        let doc = read_doc(f);
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        assert_eq!(validate(&doc), Ok(DocumentKind::Request), "{name}");
        let request = Request::from_document(&doc).unwrap_or_else(|e| panic!("{name}: {e}"));
        let service = request
            .service()
            .unwrap_or_else(|| panic!("{name}: unknown SRV"));
        assert!(
            service.allows(request.header.command_variant),
            "{name}: CV {} for {}",
            request.header.command_variant,
            service.variant
        );
        *cvs.entry(request.header.command_variant.as_u8())
            .or_insert(0) += 1;
        let text = request.to_document().to_xml();
        let again = xml::parse_str(&text).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
        assert_eq!(validate(&again), Ok(DocumentKind::Request), "{name}");
        assert_eq!(
            Request::from_document(&again).unwrap(),
            request,
            "{name} means something else once written"
        );
        let path = out.join(&name);
        std::fs::write(&path, text).unwrap();
        written.push(path);
    }
    let refused = xmllint(&dir.join("schema/duis-5.4.xsd"), &written);
    assert!(
        refused.is_empty(),
        "xmllint refused {} of 297:\n{}",
        refused.len(),
        refused.join("\n")
    );
    assert_eq!(cvs.values().sum::<i32>(), 297);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn every_template_request_id_round_trips() {
    let Some(dir) = duis_dir() else { return };
    let mut n = 0;
    for f in templates(&dir) {
        let doc = read_doc(&f);
        let header = doc.root.child(SR_NS, "Header").unwrap();
        for local in ["RequestID", "PrecedingServiceRequestID"] {
            if let Some(e) = header.child(SR_NS, local) {
                let text = e.text().trim().to_string();
                let id: RequestId = text
                    .parse()
                    .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
                assert_eq!(id.to_string(), text.to_uppercase());
                assert_eq!(id.to_string().parse::<RequestId>().unwrap(), id);
                assert_eq!(id.response_id().response_id(), id);
                n += 1;
            }
        }
    }
    assert!(n >= 297, "{n} request ids");
}

#[test]
fn bad_fixtures_are_rejected_with_their_reason() {
    let Some(dir) = duis_dir() else { return };
    let fixtures = dir.join("fixtures");
    let cases = [
        (
            "readfw-response-invalid.xml",
            "sr:ServiceReference",
            "11.2.11.2",
        ),
        (
            "ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS-invalid.XML",
            "sr:RequestID",
            "fields, not 3",
        ),
    ];
    for (name, path, reason) in cases {
        let problems = validate(&read_doc(&fixtures.join(name))).expect_err(name);
        assert!(
            problems
                .iter()
                .any(|p| p.path.ends_with(path) && p.problem.contains(reason)),
            "{name}: {problems:?}"
        );
    }
    // The valid originals pass.
    for name in [
        "readfw-response.xml",
        "ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS.XML",
        "ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS-signed.XML",
        "ECS50_9.1_SUCCESS_REQUEST_DUIS.XML",
    ] {
        assert!(validate(&read_doc(&fixtures.join(name))).is_ok(), "{name}");
    }
}

#[test]
fn xxe_fixture_is_refused_by_the_parser() {
    let Some(dir) = duis_dir() else { return };
    let bytes = std::fs::read(dir.join("fixtures/duis-xxe.xml")).unwrap();
    assert_eq!(xml::parse(&bytes), Err(XmlError::Doctype));
}

#[test]
fn response_fixtures_parse_into_the_right_body_kinds() {
    let Some(dir) = duis_dir() else { return };
    let fixtures = dir.join("fixtures");
    let expect = [
        ("readfw-response.xml", "GBCSPayload"),
        ("readfw-response-resigned.xml", "GBCSPayload"),
        ("readfw-response-badsignature.xml", "GBCSPayload"),
        ("readfw-response-no-signature.xml", "GBCSPayload"),
        ("readfw-response-no-serial.xml", "GBCSPayload"),
        ("readfw-response-nonexist-serial.xml", "GBCSPayload"),
        ("boxed-message.xml", "GBCSPayload"),
        ("boxed-message2.xml", "GBCSPayload"),
        ("read-inventory-response-5.4.xml", "DSPInventory"),
        ("read-inventory-response-4g.xml", "DSPInventory"),
        ("acknowledgement-error.xml", "None"),
    ];
    let out = temp_dir("responses");
    let mut written = Vec::new();
    for (name, kind) in expect {
        let doc = read_doc(&fixtures.join(name));
        let r = Response::from_document(&doc).unwrap_or_else(|e| panic!("{name}: {e}"));
        let ResponseBody::Message(m) = &r.body else {
            panic!("{name}: {:?}", r.body)
        };
        let found = match &m.content {
            ResponseContent::GbcsPayload(p) => {
                assert_eq!(p.first(), Some(&0xDD), "{name}: a GBCS response starts DD");
                "GBCSPayload"
            }
            ResponseContent::DspInventory(e) => {
                assert!(e.child(SR_NS, "Device").is_some(), "{name}");
                "DSPInventory"
            }
            ResponseContent::None => "None",
            other => panic!("{name}: {other:?}"),
        };
        assert_eq!(found, kind, "{name}");
        assert!(validate(&doc).is_ok(), "{name}: {:?}", validate(&doc));
        let text = r.to_document().to_xml();
        let again = xml::parse_str(&text).unwrap();
        assert_eq!(Response::from_document(&again).unwrap(), r, "{name}");
        let path = out.join(name);
        std::fs::write(&path, text).unwrap();
        written.push(path);
    }
    let ack =
        Response::from_document(&read_doc(&fixtures.join("acknowledgement-error.xml"))).unwrap();
    assert!(ack.is_acknowledgement());
    assert_eq!(ack.header.response_code, ResponseCode::E65);
    assert_eq!(ack.header.response_id, None);
    // Written without the signature (whose 38-digit serial libxml2 refuses), every one is
    // schema-valid.
    let refused = xmllint(&dir.join("schema/duis-5.4.xsd"), &written);
    assert!(refused.is_empty(), "{}", refused.join("\n"));
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn alerts_and_acknowledgements_we_write_are_schema_valid() {
    let Some(dir) = duis_dir() else { return };
    let request = Request::from_document(&read_doc(
        &dir.join("templates/ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS.XML"),
    ))
    .unwrap();
    let when = "2026-12-02T16:00:00.000Z".to_string();
    let id = request.header.request_id;
    let header = ResponseHeader {
        request_id: None,
        response_id: Some(id.response_id()),
        response_code: ResponseCode::I0,
        response_date_time: when.clone(),
    };
    let mut power = Element::new(SR_NS, Some("sr"), "PowerOutageEvent");
    power.push(
        Element::new(SR_NS, Some("sr"), "CommsHubDeviceID").with_text("00-DB-12-34-56-78-90-A3"),
    );
    power.push(Element::new(SR_NS, Some("sr"), "StartDateTime").with_text(when.clone()));
    power.push(Element::new(SR_NS, Some("sr"), "MPxN").with_text("1312345678111"));
    let documents = [
        (
            "ack-i99",
            Response::acknowledgement(&request, ResponseCode::I99, when.clone()),
        ),
        (
            "ack-e13",
            Response::acknowledgement(&request, ResponseCode::E13, when.clone()),
        ),
        (
            "device-alert",
            Response {
                header: header.clone(),
                body: ResponseBody::DeviceAlert {
                    alert_code: 0x8F84,
                    throttled_alert_sequence_id: None,
                    throttled_alert_count: None,
                    gbcs_payload: vec![0xDF, 0x09, 0x01, 0x02, 0x03],
                },
            },
        ),
        (
            "throttled-device-alert",
            Response {
                header: header.clone(),
                body: ResponseBody::DeviceAlert {
                    alert_code: 0x8F66,
                    throttled_alert_sequence_id: Some(7),
                    throttled_alert_count: Some(2),
                    gbcs_payload: vec![0xDD, 0x00],
                },
            },
        ),
        (
            "dcc-alert",
            Response {
                header: ResponseHeader {
                    response_id: None,
                    ..header.clone()
                },
                body: ResponseBody::DccAlert {
                    code: "N24".into(),
                    body: power,
                },
            },
        ),
        (
            "pre-command",
            Response {
                header: ResponseHeader {
                    request_id: Some(id),
                    ..header.clone()
                },
                body: ResponseBody::Message(gbcs_harness::duis::response::ResponseMessage {
                    service_reference: "4.1".into(),
                    service_reference_variant: "4.1.1".into(),
                    content: ResponseContent::PreCommand {
                        gbcs_version: "4.0".into(),
                        gbcs_payload: vec![0xDF, 0x09, 0x00],
                    },
                }),
            },
        ),
    ];
    let out = temp_dir("written");
    let mut written = Vec::new();
    for (name, r) in &documents {
        let text = r.to_document().to_xml();
        let doc = xml::parse_str(&text).unwrap();
        assert_eq!(validate(&doc), Ok(DocumentKind::Response), "{name}: {text}");
        assert_eq!(&Response::from_document(&doc).unwrap(), r, "{name}");
        let path = out.join(format!("{name}.xml"));
        std::fs::write(&path, text).unwrap();
        written.push(path);
    }
    // A signed pre-command request (CV 5) is schema-valid too.
    let mut cv5 = request.clone();
    cv5.header.command_variant = CommandVariant::SignedPreCommandWan;
    cv5.body = RequestBody::SignedPreCommand {
        gbcs_payload: vec![0xDF, 0x09, 0xAA],
    };
    let path = out.join("cv5.xml");
    std::fs::write(&path, cv5.to_document().to_xml()).unwrap();
    written.push(path);
    let refused = xmllint(&dir.join("schema/duis-5.4.xsd"), &written);
    assert!(refused.is_empty(), "{}", refused.join("\n"));
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn validate_reports_every_problem_with_its_path() {
    let Some(dir) = duis_dir() else { return };
    let original =
        std::fs::read_to_string(dir.join("templates/CCS01_8.11_SUCCESS_REQUEST_DUIS.XML")).unwrap();
    let check = |text: String, path: &str, needle: &str| {
        let problems = validate(&xml::parse_str(&text).unwrap()).expect_err(needle);
        assert!(
            problems
                .iter()
                .any(|p| p.path.ends_with(path) && p.problem.contains(needle)),
            "{needle}: {problems:?}"
        );
        problems.len()
    };
    // The body of another variant.
    check(
        original.replace("UpdateHANDeviceLog>", "ReadInventory>"),
        "sr:ReadInventory",
        "takes sr:UpdateHANDeviceLog",
    );
    // A variant of another reference.
    check(
        original.replace(
            "<sr:ServiceReferenceVariant>8.11<",
            "<sr:ServiceReferenceVariant>4.1.1<",
        ),
        "sr:Header",
        "belongs to service reference 4.1",
    );
    // CV 5 with a service body.
    check(
        original.replace("<sr:CommandVariant>1<", "<sr:CommandVariant>5<"),
        "sr:UpdateHANDeviceLog",
        "SignedPreCommand",
    );
    // Header out of order, and two problems at once.
    let swapped = original
        .replace("<sr:CommandVariant>1</sr:CommandVariant>", "")
        .replace(
            "</sr:ServiceReferenceVariant>",
            "</sr:ServiceReferenceVariant><sr:CommandVariant>1</sr:CommandVariant>",
        )
        .replace(
            "ZGVmYXVsdA==</ds:DigestValue>",
            "ZGVmYXVsdA=</ds:DigestValue>",
        );
    let n = check(swapped.clone(), "sr:Header", "missing sr:CommandVariant");
    assert!(n >= 2);
    check(swapped, "ds:DigestValue", "not base64");
    // A wrong namespace, and a stray text.
    check(
        original.replace(
            "xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\"",
            "xmlns:sr=\"urn:other\"",
        ),
        "sr:Request",
        "not in the DUIS namespace",
    );
    check(
        original.replace("<sr:Body>", "<sr:Body>oops"),
        "sr:Body",
        "text \"oops\"",
    );
    // Responses: an unknown code, a bad date, bad base64.
    let response = std::fs::read_to_string(dir.join("fixtures/boxed-message2.xml")).unwrap();
    check(
        response.replace(">I0<", ">I7<"),
        "sr:ResponseCode",
        "not a DUIS response code",
    );
    check(
        response.replace("2022-06-16T16:34:15.844Z", "yesterday"),
        "sr:ResponseDateTime",
        "xs:dateTime",
    );
    check(
        response.replace("3QAAAA", "3Q*AAA"),
        "sr:GBCSPayload",
        "not base64",
    );
}

#[test]
fn snapshot_of_a_parsed_request_and_response() {
    let Some(dir) = duis_dir() else { return };
    let request = Request::from_document(&read_doc(
        &dir.join("templates/ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS.XML"),
    ))
    .unwrap();
    insta::assert_debug_snapshot!("duis_request_ecs17b", request);
    let response =
        Response::from_document(&read_doc(&dir.join("fixtures/boxed-message2.xml"))).unwrap();
    insta::assert_debug_snapshot!("duis_response_boxed_message2", response);
}

/// Every element path of a tree, as child-element indices from the root.
fn element_paths(e: &Element, prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    for (i, child) in e.elements().enumerate() {
        prefix.push(i);
        out.push(prefix.clone());
        element_paths(child, prefix, out);
        prefix.pop();
    }
}

/// Removes the element at `path` (child-element indices from the root).
fn remove_at(root: &mut Element, path: &[usize]) {
    let (last, parents) = path.split_last().unwrap();
    let mut e = root;
    for &i in parents {
        e = e.elements_mut().nth(i).unwrap();
    }
    let mut seen = 0;
    let mut index = None;
    for (k, n) in e.children.iter().enumerate() {
        if let xml::Node::Element(_) = n {
            if seen == *last {
                index = Some(k);
                break;
            }
            seen += 1;
        }
    }
    e.children.remove(index.unwrap());
}

#[test]
fn removing_any_element_never_panics_and_a_required_header_element_is_missed() {
    let Some(dir) = duis_dir() else { return };
    let mut mutants = 0;
    for f in templates(&dir).iter().step_by(7) {
        let doc = read_doc(f);
        let mut paths = Vec::new();
        element_paths(&doc.root, &mut Vec::new(), &mut paths);
        for path in paths {
            let mut m = doc.clone();
            remove_at(&mut m.root, &path);
            mutants += 1;
            let verdict = validate(&m);
            if let Ok(r) = Request::from_document(&m) {
                let _ = r.to_document().to_xml();
            }
            // The header is the root's first element; its RequestID, CommandVariant,
            // ServiceReference and ServiceReferenceVariant are required, as is the body.
            let removed_required = match path.as_slice() {
                [0] | [1] => true,
                [0, _] => {
                    let header = doc.root.elements().next().unwrap();
                    let local = &header.elements().nth(path[1]).unwrap().name.local;
                    local != "FirstInSequence" && local != "PrecedingServiceRequestID"
                }
                [1, 0] => true,
                _ => false,
            };
            if removed_required {
                assert!(
                    verdict.is_err(),
                    "{} without {path:?} accepted",
                    f.display()
                );
            }
        }
    }
    assert!(mutants > 300, "{mutants} mutants");
}

/// Our model and xmllint agree on header-level mutants: each is valid for both or for neither.
#[test]
fn validate_agrees_with_xmllint_on_header_mutants() {
    let Some(dir) = duis_dir() else { return };
    let request =
        std::fs::read_to_string(dir.join("templates/ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS.XML"))
            .unwrap();
    let response = std::fs::read_to_string(dir.join("fixtures/boxed-message2.xml")).unwrap();
    let id = "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1000";
    let header_end = "<sr:CommandVariant>";
    let cases: Vec<(&str, String, bool)> = vec![
        ("as is", request.clone(), true),
        ("lower-case id", request.replace(id, &id.to_lowercase()), true),
        ("double colon", request.replace(":1000<", "::1000<"), false),
        ("counter 2^64", request.replace(":1000<", ":18446744073709551616<"), false),
        ("counter u64::MAX", request.replace(":1000<", ":18446744073709551615<"), true),
        ("leading zero", request.replace(":1000<", ":01000<"), false),
        ("7 octets", request.replace("90-B3-D5-1F-30-01-00-00:", "90-B3-D5-1F-30-01-00:"), false),
        ("CV 0", request.replace(">1</sr:CommandVariant>", ">0</sr:CommandVariant>"), false),
        ("CV 10", request.replace(">1</sr:CommandVariant>", ">10</sr:CommandVariant>"), false),
        ("CV spaced", request.replace(">1</sr:CommandVariant>", "> 1 </sr:CommandVariant>"), true),
        ("SR spaced", request.replace(">4.1</sr:ServiceReference>", ">4.1 </sr:ServiceReference>"), false),
        ("SRV unknown", request.replace(">4.1.1</sr:ServiceReferenceVariant>", ">4.1.9</sr:ServiceReferenceVariant>"), false),
        ("first in sequence 1", request.replace(header_end, &format!("<sr:FirstInSequence>1</sr:FirstInSequence>{header_end}")), true),
        ("first in sequence yes", request.replace(header_end, &format!("<sr:FirstInSequence>yes</sr:FirstInSequence>{header_end}")), false),
        ("preceding id", request.replace(header_end, &format!("<sr:PrecedingServiceRequestID>{id}</sr:PrecedingServiceRequestID>{header_end}")), true),
        ("preceding before first", request.replace(header_end, &format!("<sr:PrecedingServiceRequestID>{id}</sr:PrecedingServiceRequestID><sr:FirstInSequence>true</sr:FirstInSequence>{header_end}")), false),
        ("schemaVersion five", request.replace("schemaVersion=\"5.4\"", "schemaVersion=\"five\""), false),
        ("no schemaVersion", request.replace(" schemaVersion=\"5.4\"", ""), false),
        ("text in header", request.replace("<sr:Header>", "<sr:Header>x"), false),
        ("unknown body", request.replace("sr:ReadInstantaneousImportRegisters", "sr:ReadNothing"), false),
        ("no body element", request.replace("<sr:ReadInstantaneousImportRegisters/>", ""), false),
        ("response as is", response.clone(), true),
        ("code spaced", response.replace(">I0<", ">I0 <"), false),
        ("code unknown", response.replace(">I0<", ">E14<"), false),
        ("no time zone", response.replace("15.844Z<", "15.844<"), true),
        ("bad time", response.replace("T16:34", "T25:34"), false),
        ("no response id", response.replace(&response[response.find("<sr:ResponseID>").unwrap()..response.find("<sr:ResponseCode>").unwrap()], ""), true),
        ("bad base64", response.replace("3QAAAAAAAEUR", "3QAAAAAAAEU"), false),
    ];
    let out = temp_dir("differential");
    let mut files = Vec::new();
    for (i, (name, text, valid)) in cases.iter().enumerate() {
        let doc = xml::parse_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            validate(&doc).is_ok(),
            *valid,
            "{name}: {:?}",
            validate(&doc)
        );
        let path = out.join(format!("{i:02}.xml"));
        std::fs::write(&path, text).unwrap();
        files.push(path);
    }
    let refused = xmllint(&dir.join("schema/duis-5.4.xsd"), &files);
    for (i, (name, _, valid)) in cases.iter().enumerate() {
        let by_xmllint = !refused
            .iter()
            .any(|r| r.starts_with(&files[i].display().to_string()));
        assert_eq!(by_xmllint, *valid, "xmllint on {name}: {refused:?}");
    }
    let _ = std::fs::remove_dir_all(&out);
}
