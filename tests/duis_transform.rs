//! The DCC's transform (`dcc::transform`) against the RTDS: each DUIS request template is
//! transformed and compared with the GBCS command the DCC produced for the same name; each
//! binding is shown to carry the request's value (not the skeleton's); requests the transform
//! cannot carry are refused with E12.
//!
//! Data: the templates from `$GBCS_DUIS_DIR/templates` (default `../shared/duis`), the RTDS
//! corpus from `$GBCS_RTDS_DIR` (default `../shared/rtds`), the project's vectors. Absent data
//! skips with a message, and fails instead under `GBCS_REQUIRE_RTDS=1`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use gbcs_harness::codec::asn1::Asn1Body;
use gbcs_harness::codec::dlms::Data;
use gbcs_harness::codec::gbz::{ComponentBody, Value, ZclPayload};
use gbcs_harness::codec::payload::{decode_payload, Payload};
use gbcs_harness::codec::{decode_frame, CraFlag, EntityId, Frame};
use gbcs_harness::command::identities::DeviceKind;
use gbcs_harness::command::template::{Addressing, CommandTemplate, OtherInformationTemplate};
use gbcs_harness::dcc::transform::{
    transform, transform_as, transform_parts, CommandOriginator, Conversion, Options, Params,
    RequestAddress, Skeletons, Slot, TransformError, Transformed, VALUES,
};
use gbcs_harness::duis::codes::ResponseCode;
use gbcs_harness::duis::request::{Request, RequestBody};
use gbcs_harness::duis::xml;
use gbcs_harness::sim::profile::rtds_to_default;
use gbcs_harness::vectors::VectorStore;

/// The number of templates transformed and matching their RTDS command may not fall below
/// this (what the transform reaches today).
const MATCHING_FLOOR: usize = 130;

fn require() -> bool {
    std::env::var("GBCS_REQUIRE_RTDS").is_ok_and(|v| v == "1")
}

fn skip(what: &str) {
    if require() {
        panic!("GBCS_REQUIRE_RTDS=1 but {what} is absent");
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("duis_transform")
        .to_string();
    let _ = writeln!(std::io::stderr(), "{test}: skipped: {what} not found");
}

fn duis_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("GBCS_DUIS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/duis"));
    if dir.join("templates").is_dir() {
        Some(dir)
    } else {
        skip("the DUIS test data ($GBCS_DUIS_DIR/templates)");
        None
    }
}

fn skeletons() -> &'static Skeletons {
    static S: OnceLock<Skeletons> = OnceLock::new();
    S.get_or_init(|| {
        Skeletons::load(&VectorStore::new(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors"),
        ))
        .expect("the project's vectors load")
    })
}

fn read_request(path: &Path) -> Request {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc = xml::parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Request::from_document(&doc).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn params_of(request: &Request) -> Params {
    let RequestBody::Service(body) = &request.body else {
        panic!("not a service request")
    };
    Params::from_element(body).expect("parameters")
}

fn address_of(request: &Request) -> RequestAddress {
    let id = &request.header.request_id;
    RequestAddress {
        originator: id.originator,
        target: id.target,
        counter: id.counter,
    }
}

/// Every RTDS `*_COMMAND_GBCS.HEX` by file stem (`ECS17b_4.1.1_SINGLE_SUCCESS`).
fn rtds_commands() -> Option<BTreeMap<String, PathBuf>> {
    let dir = gbcs_harness::corpus::messages_dir()?;
    let mut out = BTreeMap::new();
    for folder in std::fs::read_dir(&dir).ok()?.flatten() {
        for f in std::fs::read_dir(folder.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = f.file_name().to_string_lossy().into_owned();
            if let Some(stem) = name.strip_suffix("_COMMAND_GBCS.HEX") {
                out.insert(stem.to_string(), f.path());
            }
        }
    }
    Some(out)
}

fn read_frame(path: &Path) -> Frame {
    let bytes = gbcs_harness::corpus::read_hex_file(path).expect("hex");
    decode_frame(&bytes).expect("RTDS command decodes")
}

/// A template's stem, use case (the name's first part) and file.
struct Template {
    stem: String,
    use_case: String,
    path: PathBuf,
}

fn templates(dir: &Path) -> Vec<Template> {
    let mut out: Vec<Template> = std::fs::read_dir(dir.join("templates"))
        .expect("templates folder")
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix("_REQUEST_DUIS.XML")?.to_string();
            let use_case = stem.split('_').next()?.to_string();
            Some(Template {
                stem,
                use_case,
                path: e.path(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.stem.cmp(&b.stem));
    out
}

/// The device kind a template targets: its vector's, else any vector's of its use case, else
/// what the use case's name says (ECS an ESME, GCS a GSME, CCS and DBCH the comms hub);
/// `None` for a non-device request (named by its SRV) and the other CS use cases.
fn target_kind(t: &Template) -> Option<DeviceKind> {
    let sk = skeletons();
    if let Some(v) = sk.vector(&t.use_case, &t.stem) {
        return Some(v.device);
    }
    if let Some((_, d, _)) = sk.routes().find(|(_, _, ucs)| ucs.contains(&t.use_case)) {
        return Some(d);
    }
    let u = t.use_case.as_str();
    if u.starts_with("ECS") {
        Some(DeviceKind::Esme)
    } else if u.starts_with("GCS") {
        Some(DeviceKind::Gsme)
    } else if u.starts_with("CCS") || u.starts_with("DBCH") {
        Some(DeviceKind::CommsHub)
    } else {
        None
    }
}

/// The `RequestID` a recording's request had: the User and counter are the supplementary
/// remote party's of a command the DCC sent in its own name, else the header's.
fn recorded_address(frame: &Frame) -> RequestAddress {
    let h = frame.header();
    let (originator, counter) =
        match CommandTemplate::from_frame(frame).map(|t| t.other_information) {
            Some(
                OtherInformationTemplate::SupplementaryRemotePartyCounter { party, counter }
                | OtherInformationTemplate::SupplementaryOriginatorCounter { party, counter, .. }
                | OtherInformationTemplate::SupplementaryCertificate { party, counter, .. },
            ) if h.originator == DCC => (party, counter),
            _ => (h.originator, h.counter),
        };
    RequestAddress {
        originator,
        target: h.recipient,
        counter,
    }
}

/// The DCC's entity id in the RTDS (its access control broker).
const DCC: EntityId = EntityId([0x90, 0xB3, 0xD5, 0x1F, 0x30, 0x00, 0x00, 0x02]);

/// The command as it goes out with the recording's header (originator, recipient, counter):
/// what `CommandTemplate::general_signing` makes of the transformed template (it sets the DLMS
/// invoke id from the header's counter, which for a DCC-originated command is the DCC's).
fn sent_as(frame: &Frame, mut t: CommandTemplate) -> CommandTemplate {
    let h = frame.header();
    let gs = t.general_signing(Addressing {
        originator: h.originator,
        recipient: h.recipient,
        counter: h.counter,
    });
    t.payload = gs.content;
    t
}

/// Both commands in the lab's identities (the RTDS ids swapped as the vectors swap them).
fn lab(mut t: CommandTemplate) -> CommandTemplate {
    t.readdress(&rtds_to_default());
    t
}

fn first_difference(a: &[u8], b: &[u8]) -> usize {
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()))
}

/// Transforms a template request as the pairing does: the RTDS recording's counter (the
/// templates come from RTDS 4.9.1, the recordings from 4.5.0, whose counters differ), the
/// template's use case when the SRV alone does not choose.
fn transform_template(
    t: &Template,
    request: &Request,
    kind: DeviceKind,
    recorded: Option<&Frame>,
) -> (Result<Transformed, TransformError>, bool) {
    let mut address = address_of(request);
    if let Some(f) = recorded {
        // The templates are RTDS 4.9.1's, the recordings 4.5.0's: counters (and, for CS08,
        // the User) differ; the recording's request is the one to compare with.
        address = recorded_address(f);
    }
    let srv = request.header.service_reference_variant.clone();
    // The DCC knows a twin-element meter from its inventory; the template's name says it.
    let twin = t.stem.contains("_TWIN");
    let options = Options {
        use_case: None,
        twin,
    };
    let first = transform_parts(
        &srv,
        address,
        params_of(request),
        kind,
        options,
        skeletons(),
    );
    match first {
        Err(TransformError::Ambiguous { .. }) => (
            transform_parts(
                &srv,
                address,
                params_of(request),
                kind,
                Options {
                    use_case: Some(&t.use_case),
                    twin,
                },
                skeletons(),
            ),
            true,
        ),
        other => (other, false),
    }
}

#[test]
fn every_template_is_transformed_as_the_rtds_recorded_it_or_refused() {
    let Some(dir) = duis_dir() else { return };
    let Some(rtds) = rtds_commands() else { return };
    let templates = templates(&dir);
    let mut transformed = 0;
    let mut matching = Vec::new();
    let mut unverified = Vec::new();
    let mut by_use_case = 0;
    let mut mismatches = Vec::new();
    let mut refused: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut without: BTreeMap<String, String> = BTreeMap::new();
    for t in &templates {
        let request = read_request(&t.path);
        let Some(kind) = target_kind(t) else {
            let non_device = t.use_case.starts_with(|c: char| c.is_ascii_digit());
            let (reason, why) = if non_device {
                (
                    "non-device request (answered by the DCC, no GBCS command)",
                    "a non-device request: the DCC answers it itself (CV 8), no GBCS command",
                )
            } else {
                (
                    "no vector of the use case (device kind unknown)",
                    "no golden vector of the use case: no recorded command to build from",
                )
            };
            refused.entry(reason).or_default().push(t.stem.clone());
            without.insert(
                format!(
                    "{} ({})",
                    t.use_case, request.header.service_reference_variant
                ),
                why.into(),
            );
            continue;
        };
        let recorded = rtds.get(&t.stem).map(|p| read_frame(p));
        let (result, resolved) = transform_template(t, &request, kind, recorded.as_ref());
        match result {
            Ok(out) => {
                transformed += 1;
                if resolved {
                    by_use_case += 1;
                }
                let Some(frame) = recorded else {
                    unverified.push(format!("{} (as {})", t.stem, out.use_case));
                    continue;
                };
                assert_eq!(out.use_case, t.use_case, "{}", t.stem);
                let expected = lab(CommandTemplate::from_frame(&frame).expect("RTDS template"));
                let got = lab(sent_as(&frame, out.template.clone()));
                if expected.message_code == got.message_code
                    && expected.other_information == got.other_information
                    && expected.payload == got.payload
                    && expected.signed == got.signed
                {
                    matching.push(t.stem.clone());
                } else {
                    let (e, g) = (expected.payload.as_slice(), got.payload.as_slice());
                    let at = first_difference(e, g);
                    mismatches.push(format!(
                        "{} (skeleton {}): code {} vs {}, form equal {}, payload differs at byte {at}:\n  rtds {}\n  made {}",
                        t.stem,
                        out.skeleton,
                        expected.message_code,
                        got.message_code,
                        expected.other_information == got.other_information,
                        hex::encode_upper(e),
                        hex::encode_upper(g)
                    ));
                }
            }
            Err(e) => {
                assert_eq!(e.response_code(), ResponseCode::E12, "{}: {e}", t.stem);
                refused.entry(e.reason()).or_default().push(t.stem.clone());
                without
                    .entry(format!(
                        "{} ({})",
                        t.use_case, request.header.service_reference_variant
                    ))
                    .or_insert_with(|| e.to_string());
            }
        }
    }
    let mut report = String::new();
    report += &format!(
        "templates {}, transformed {transformed} ({by_use_case} with the use case named), matching their RTDS command {}, transformed without a recording to compare {}, mismatching {}\n",
        templates.len(),
        matching.len(),
        unverified.len(),
        mismatches.len()
    );
    for (reason, stems) in &refused {
        report += &format!("refused, {reason}: {}\n", stems.len());
    }
    report += "use cases without a transform, and why:\n";
    for (uc, why) in &without {
        report += &format!("  {uc}: {why}\n");
    }
    report += &format!("matching: {}\n", matching.join(" "));
    report += &format!(
        "transformed, no recording to compare (a template with no RTDS command, or of a use case with no vector, built as the vectors' use case for its SRV and the device the test guessed): {}\n",
        unverified.join(" ")
    );
    let _ = writeln!(std::io::stderr(), "{report}");
    assert!(
        mismatches.is_empty(),
        "{} transforms differ from the RTDS:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    assert!(
        matching.len() >= MATCHING_FLOOR,
        "only {} templates transform to their RTDS command (floor {MATCHING_FLOOR})",
        matching.len()
    );
}

// ---------------------------------------------------------------------------------------------
// Helpers for changing a request's parameters

fn template_named(stem: &str) -> Option<(Template, Request)> {
    let dir = duis_dir()?;
    let t = templates(&dir).into_iter().find(|t| t.stem == stem)?;
    let request = read_request(&t.path);
    Some((t, request))
}

fn body_mut(request: &mut Request) -> &mut xml::Element {
    match &mut request.body {
        RequestBody::Service(body) => body,
        RequestBody::SignedPreCommand { .. } => panic!("not a service request"),
    }
}

/// Sets the text of the element at `path` (local names below the body element).
fn set_leaf(request: &mut Request, path: &[&str], value: &str) {
    let mut e = body_mut(request);
    for name in path {
        e = e
            .child_mut(xml::SR_NS, name)
            .unwrap_or_else(|| panic!("no {name} in the body"));
    }
    e.children = vec![xml::Node::Text(value.to_string())];
}

/// Removes the element at `path`.
fn remove_leaf(request: &mut Request, path: &[&str]) {
    let (last, parents) = path.split_last().expect("a path");
    let mut e = body_mut(request);
    for name in parents {
        e = e.child_mut(xml::SR_NS, name).expect("parent");
    }
    e.children
        .retain(|n| !matches!(n, xml::Node::Element(c) if c.name.local == *last));
}

fn transform_with_counter(
    request: &Request,
    kind: DeviceKind,
    counter: u64,
    use_case: Option<&str>,
) -> Result<Transformed, TransformError> {
    let mut address = address_of(request);
    address.counter = counter;
    transform_parts(
        &request.header.service_reference_variant,
        address,
        params_of(request),
        kind,
        Options {
            use_case,
            twin: false,
        },
        skeletons(),
    )
}

/// Every date-time a payload carries: DLMS date-time octet strings (as text), DLMS
/// double-long-unsigned values and GBZ UTC times (as seconds since 2000).
fn times_in(t: &CommandTemplate) -> (Vec<String>, Vec<u64>) {
    let payload = decode_payload(t.payload.as_slice(), 0, t.message_code, CraFlag::Command)
        .expect("the transformed payload decodes");
    let mut texts = Vec::new();
    let mut seconds = Vec::new();
    fn walk(d: &Data, texts: &mut Vec<String>, seconds: &mut Vec<u64>) {
        match d {
            Data::OctetString(b) if b.len() == 12 => {
                let b = b.as_slice();
                texts.push(format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                    u16::from_be_bytes([b[0], b[1]]),
                    b[2],
                    b[3],
                    b[5],
                    b[6],
                    b[7]
                ));
            }
            Data::DoubleLongUnsigned(v) => seconds.push(u64::from(*v)),
            Data::Array(items) | Data::Structure(items) => {
                items.iter().for_each(|i| walk(i, texts, seconds))
            }
            _ => {}
        }
    }
    match &payload {
        Payload::Dlms(apdu) => {
            for spec in apdu.request_specs().unwrap_or(&[]) {
                if let Some(sel) = &spec.selection {
                    walk(&sel.parameters, &mut texts, &mut seconds);
                }
            }
            for d in apdu.data().unwrap_or(&[]) {
                walk(d, &mut texts, &mut seconds);
            }
        }
        Payload::Gbz(gbz) => {
            for c in &gbz.components {
                if let Some(t) = c.from_date_time {
                    seconds.push(u64::from(t.0));
                }
                if let ComponentBody::Plain {
                    payload: ZclPayload::Command { fields },
                    ..
                } = &c.body
                {
                    for f in &fields.0 {
                        if let Value::Utc(t) = f.value {
                            seconds.push(u64::from(t.0));
                        }
                    }
                }
            }
        }
        Payload::Asn1(_) => {}
    }
    (texts, seconds)
}

/// Seconds since 2000-01-01 of a date-time in the years 2000–2099 (test values only).
fn since_2000(y: u64, mo: u64, d: u64, h: u64, mi: u64, s: u64) -> u64 {
    let mut days = 0;
    for year in 2000..y {
        days += if year.is_multiple_of(4) { 366 } else { 365 };
    }
    let months = [
        31,
        if y.is_multiple_of(4) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    days += months[..(mo as usize - 1)].iter().sum::<u64>();
    days += d - 1;
    days * 86_400 + h * 3600 + mi * 60 + s
}

// ---------------------------------------------------------------------------------------------
// No circularity: a changed parameter changes exactly its field

#[test]
fn the_read_log_period_binding_carries_the_users_dates_not_the_skeletons() {
    let start = "2016-02-29T12:34:56.00Z";
    let end = "2016-03-01T01:02:03.00Z";
    let (start_text, end_text) = ("2016-02-29T12:34:56", "2016-03-01T01:02:03");
    let (start_s, end_s) = (
        since_2000(2016, 2, 29, 12, 34, 56),
        since_2000(2016, 3, 1, 1, 2, 3),
    );
    // One of each form: a Data Protection access selection with DLMS date-times (ECS21a), a
    // selective-access range of seconds (ECS35a), a range of DLMS date-times (ECS20b), ZCL
    // earliest/latest (GCS16a), ZCL start/end (CS10b), header from-date-time (GCS15d).
    for stem in [
        "ECS21a_4.6.1_SINGLE_SUCCESS",
        "ECS35a_6.13_SUCCESS",
        "ECS20b_4.4.2_SINGLE_SUCCESS",
        "ECS22b_4.8.1_SINGLE_SUCCESS",
        "ECS66_4.17_SUCCESS",
        "GCS16a_4.6.1_SUCCESS",
        "CS10b_6.13_SUCCESS",
        "GCS15d_4.4.4_SUCCESS",
    ] {
        let Some((t, mut request)) = template_named(stem) else {
            return;
        };
        let kind = target_kind(&t).expect("a device kind");
        let before = transform_with_counter(&request, kind, 1000, None)
            .unwrap_or_else(|e| panic!("{stem}: {e}"));
        set_leaf(&mut request, &["ReadLogPeriod", "StartDateTime"], start);
        set_leaf(&mut request, &["ReadLogPeriod", "EndDateTime"], end);
        let after = transform_with_counter(&request, kind, 1000, None)
            .unwrap_or_else(|e| panic!("{stem}: {e}"));
        assert_ne!(before.template.payload, after.template.payload, "{stem}");
        assert_eq!(before.template.message_code, after.template.message_code);
        let (texts, seconds) = times_in(&after.template);
        let has_text = texts.iter().any(|t| t == start_text) && texts.iter().any(|t| t == end_text);
        let has_seconds = seconds.contains(&start_s) && seconds.contains(&end_s);
        assert!(
            has_text || has_seconds,
            "{stem}: the payload does not carry {start}..{end}: {texts:?} {seconds:?}"
        );
        // Nothing of the skeleton's window is left.
        let (old_texts, old_seconds) = times_in(&before.template);
        for t in &old_texts {
            assert!(
                !texts.contains(t),
                "{stem}: the skeleton's {t} is still there"
            );
        }
        for s in &old_seconds {
            assert!(
                !seconds.contains(s),
                "{stem}: the skeleton's {s} is still there"
            );
        }
        // And the parameters are reported as bound.
        assert!(after
            .bound
            .iter()
            .any(|p| p == "ReadLogPeriod/StartDateTime"));
    }
}

/// Other recordings of the same use case (an ERROR or NOT_FOUND run, not a skeleton) with
/// another window and counter: built from the success skeleton with that recording's values,
/// the command is that recording's.
#[test]
fn a_command_built_from_one_recording_matches_another_recording_of_the_use_case() {
    let Some(rtds) = rtds_commands() else { return };
    type Case<'a> = (&'a str, &'a str, Option<(&'a str, &'a str)>);
    let cases: &[Case] = &[
        (
            "GCS16a_4.6.1_SUCCESS",
            "GCS16a_4.6.1_ERROR",
            Some(("2014-12-29T00:00:04.00Z", "2016-01-01T00:00:03.00Z")),
        ),
        (
            "GCS15d_4.4.4_SUCCESS",
            "GCS15d_4.4.4_ERROR",
            Some(("2014-12-01T00:00:00.00Z", "2014-12-31T00:00:00.00Z")),
        ),
        (
            "GCS15d_4.4.4_SUCCESS",
            "GCS15d_4.4.4_NOT_FOUND",
            Some(("2014-12-31T00:00:00.00Z", "2014-12-31T18:00:00.00Z")),
        ),
        (
            "GCS15e_4.4.5_SUCCESS",
            "GCS15e_4.4.5_NOT_FOUND",
            Some(("2030-12-31T00:00:00.00Z", "3000-12-31T00:00:00.00Z")),
        ),
        (
            "CS10b_6.13_SUCCESS",
            "CS10b_6.13_NOT_FOUND",
            Some(("2020-01-26T00:00:00.00Z", "2020-01-26T07:00:00.00Z")),
        ),
        // No parameter: the counter and the addressing come from the request.
        ("ECS17b_4.1.1_SINGLE_SUCCESS", "ECS17b_4.1.1_ERROR", None),
        ("ECS45_7.4_SUCCESS", "ECS45_7.4_ERROR", None),
        (
            "ECS40_6.2.7_SINGLE_SUCCESS",
            "ECS40_6.2.7_SINGLE_ERROR",
            None,
        ),
    ];
    let mut compared = 0;
    for (stem, other, window) in cases {
        let Some((t, mut request)) = template_named(stem) else {
            return;
        };
        let Some(path) = rtds.get(*other) else {
            panic!("no RTDS recording {other}")
        };
        let frame = read_frame(path);
        if let Some((start, end)) = window {
            set_leaf(&mut request, &["ReadLogPeriod", "StartDateTime"], start);
            set_leaf(&mut request, &["ReadLogPeriod", "EndDateTime"], end);
        }
        let kind = target_kind(&t).expect("kind");
        let address = recorded_address(&frame);
        let out = transform_parts(
            &request.header.service_reference_variant,
            address,
            params_of(&request),
            kind,
            Options::default(),
            skeletons(),
        )
        .unwrap_or_else(|e| panic!("{stem}: {e}"));
        assert_ne!(
            out.skeleton, *other,
            "{stem}: the skeleton must not be the recording compared with"
        );
        let expected = lab(CommandTemplate::from_frame(&frame).expect("template"));
        let got = lab(sent_as(&frame, out.template));
        assert_eq!(
            hex::encode_upper(got.payload.as_slice()),
            hex::encode_upper(expected.payload.as_slice()),
            "{stem} with {other}'s values"
        );
        assert_eq!(
            got.message_code, expected.message_code,
            "{stem} with {other}"
        );
        // The recordings of a use case may disagree on the form (GCS15d: the SUCCESS run
        // names a supplementary remote party, the ERROR run does not): then the form is the
        // skeleton's recording's, and only the payload can be compared.
        let skeleton_form =
            lab(CommandTemplate::from_frame(&read_frame(&rtds[&out.skeleton])).expect("template"))
                .other_information;
        if skeleton_form == expected.other_information {
            assert_eq!(
                got.other_information, expected.other_information,
                "{stem} with {other}"
            );
        } else {
            let _ = writeln!(
                std::io::stderr(),
                "{other}: recorded with another other-information form than {}: {:?} vs {:?}",
                out.skeleton,
                expected.other_information,
                skeleton_form
            );
        }
        compared += 1;
    }
    assert_eq!(compared, cases.len());
}

#[test]
fn the_counter_goes_where_the_command_carries_it() {
    let Some((t, request)) = template_named("ECS17b_4.1.1_SINGLE_SUCCESS") else {
        return;
    };
    let kind = target_kind(&t).expect("kind");
    let counter = 0x0123_4567_89AB_CDEF;
    let out = transform_with_counter(&request, kind, counter, None).expect("transform");
    let payload = decode_payload(
        out.template.payload.as_slice(),
        0,
        out.template.message_code,
        CraFlag::Command,
    )
    .expect("decodes");
    let Payload::Dlms(apdu) = payload else {
        panic!("DLMS")
    };
    assert_eq!(apdu.invoke_id, 0xAB_CDEF);
    let hex = hex::encode_upper(out.template.payload.as_slice());
    assert!(hex.contains("0123456789ABCDEF"), "{hex}");
    assert!(
        !hex.contains("00000000000003E8"),
        "the template's counter 1000 is left: {hex}"
    );
}

// ---------------------------------------------------------------------------------------------
// The public entry point

#[test]
fn transform_takes_a_request_as_the_model_reads_it() {
    let Some((_, request)) = template_named("ECS17b_4.1.1_SINGLE_SUCCESS") else {
        return;
    };
    let Some(rtds) = rtds_commands() else { return };
    let out = transform(&request, DeviceKind::Esme, skeletons()).expect("transform");
    assert_eq!(out.use_case, "ECS17b");
    let frame = read_frame(&rtds["ECS17b_4.1.1_SINGLE_SUCCESS"]);
    // The template's RequestID is the recording's: originator, device and counter 1000.
    assert_eq!(request.header.request_id.counter, frame.header().counter);
    let expected = CommandTemplate::from_frame(&frame).expect("template");
    assert_eq!(
        lab(out.template).payload,
        lab(expected).payload,
        "ECS17b from its request"
    );
    // ECS26b and ECS26k both serve 6.2.1 on an ESME: only the caller can say which.
    let Some((_, request)) = template_named("ECS26b_6.2.1_SUCCESS") else {
        return;
    };
    let e = transform(&request, DeviceKind::Esme, skeletons()).unwrap_err();
    assert!(matches!(e, TransformError::Ambiguous { .. }), "{e}");
    let out = transform_as(&request, "ECS26k", DeviceKind::Esme, skeletons()).expect("ECS26k");
    assert_eq!(out.use_case, "ECS26k");
}

// ---------------------------------------------------------------------------------------------
// Refusals

fn refused(request: &Request, kind: DeviceKind) -> TransformError {
    let e = transform(request, kind, skeletons()).expect_err("refused");
    assert_eq!(e.response_code(), ResponseCode::E12, "{e}");
    e
}

#[test]
fn an_unknown_parameter_is_refused_not_ignored() {
    let Some((_, mut request)) = template_named("ECS17b_4.1.1_SINGLE_SUCCESS") else {
        return;
    };
    body_mut(&mut request)
        .push(xml::Element::new(xml::SR_NS, Some("sr"), "RegisterToRead").with_text("3"));
    let e = refused(&request, DeviceKind::Esme);
    assert_eq!(
        e,
        TransformError::UnusedParameter {
            use_case: "ECS17b".into(),
            path: "RegisterToRead".into()
        }
    );
    // Beside a bound parameter too.
    let Some((_, mut request)) = template_named("ECS35a_6.13_SUCCESS") else {
        return;
    };
    body_mut(&mut request)
        .push(xml::Element::new(xml::SR_NS, Some("sr"), "MaxRecords").with_text("5"));
    let e = refused(&request, DeviceKind::Esme);
    assert!(
        matches!(&e, TransformError::UnusedParameter { path, .. } if path == "MaxRecords"),
        "{e}"
    );
    // An attribute is a parameter like any other.
    let Some((_, mut request)) = template_named("ECS17b_4.1.1_SINGLE_SUCCESS") else {
        return;
    };
    body_mut(&mut request).attributes.push(xml::Attribute {
        name: xml::QName::new(None, "register"),
        namespace: None,
        value: "2".into(),
    });
    let e = refused(&request, DeviceKind::Esme);
    assert!(
        matches!(&e, TransformError::UnusedParameter { path, .. } if path == "@register"),
        "{e}"
    );
}

#[test]
fn a_parameter_out_of_range_is_refused() {
    let Some((_, original)) = template_named("ECS35a_6.13_SUCCESS") else {
        return;
    };
    let bad = |start: &str, end: &str| {
        let mut request = original.clone();
        set_leaf(&mut request, &["ReadLogPeriod", "StartDateTime"], start);
        set_leaf(&mut request, &["ReadLogPeriod", "EndDateTime"], end);
        refused(&request, DeviceKind::Esme)
    };
    // Beyond what the seconds field (a double-long-unsigned since 2000) holds.
    let e = bad("2014-12-31T00:00:00.00Z", "2200-01-01T00:00:00.00Z");
    assert!(
        matches!(&e, TransformError::BadParameter { path, .. } if path == "ReadLogPeriod/EndDateTime"),
        "{e}"
    );
    // Before 2000.
    let e = bad("1999-12-31T23:59:59.00Z", "2015-01-01T00:00:00.00Z");
    assert!(
        matches!(&e, TransformError::BadParameter { path, .. } if path == "ReadLogPeriod/StartDateTime"),
        "{e}"
    );
    // Not a date.
    let e = bad("2015-02-30T00:00:00.00Z", "2015-03-01T00:00:00.00Z");
    assert!(matches!(e, TransformError::BadParameter { .. }), "{e}");
    // An end before the start.
    let e = bad("2015-01-02T00:00:00.00Z", "2015-01-01T00:00:00.00Z");
    assert!(
        matches!(&e, TransformError::BadParameter { path, .. } if path == "ReadLogPeriod/EndDateTime"),
        "{e}"
    );
    // A choice value no use case has.
    let mut request = original.clone();
    set_leaf(&mut request, &["LogToRead"], "Everything");
    let e = refused(&request, DeviceKind::Esme);
    assert!(matches!(e, TransformError::NoTransform { .. }), "{e}");
    // Half a period.
    let mut request = original.clone();
    remove_leaf(&mut request, &["ReadLogPeriod", "EndDateTime"]);
    let e = refused(&request, DeviceKind::Esme);
    assert!(
        matches!(&e, TransformError::UnusedParameter { path, .. } if path == "ReadLogPeriod/StartDateTime"),
        "{e}"
    );
}

#[test]
fn a_request_with_no_transform_is_refused() {
    // A parameter the transform does not bind (a UTRN) is not replaced by the recording's.
    let Some((_, request)) = template_named("CS01a_2.2_SUCCESS") else {
        return;
    };
    let e = refused(&request, DeviceKind::Esme);
    assert!(
        matches!(&e, TransformError::UnusedParameter { path, .. } if path == "UTRN"),
        "{e}"
    );
    // A service on a device that has no such command.
    let Some((_, request)) = template_named("ECS17b_4.1.1_SINGLE_SUCCESS") else {
        return;
    };
    let e = refused(&request, DeviceKind::CommsHub);
    assert!(matches!(e, TransformError::NoTransform { .. }), "{e}");
    // A signed pre-command is the User's command already.
    let mut request = request.clone();
    request.body = RequestBody::SignedPreCommand {
        gbcs_payload: vec![0xDF],
    };
    assert_eq!(
        refused(&request, DeviceKind::Esme),
        TransformError::NotAServiceRequest
    );
}

#[test]
fn the_execution_date_time_goes_where_the_recordings_put_it() {
    // DLMS (ECS02 on a single-element ESME): the immediate skeleton's activation date-time
    // becomes the request's, in the form the future-dated and cancelling recordings (twin
    // meters, not the skeleton) have it.
    let Some((t, request)) = template_named("ECS02_1.6_IMMEDIATE_SINGLE_SUCCESS") else {
        return;
    };
    let kind = target_kind(&t).expect("kind");
    let with = |value: &str| {
        let mut r = request.clone();
        body_mut(&mut r).children.insert(
            0,
            xml::Node::Element(
                xml::Element::new(xml::SR_NS, Some("sr"), "ExecutionDateTime").with_text(value),
            ),
        );
        let out = transform_with_counter(&r, kind, 1000, None).expect("transform");
        assert!(out.bound.iter().any(|p| p == "ExecutionDateTime"));
        hex::encode_upper(out.template.payload.as_slice())
    };
    let immediate = hex::encode_upper(
        transform_with_counter(&request, kind, 1000, None)
            .expect("transform")
            .template
            .payload
            .as_slice(),
    );
    assert!(
        immediate.ends_with("090C0000000000000000008000FF"),
        "{immediate}"
    );
    // As ECS02_1.6_FUTURE_DATED_TWIN_SUCCESS has 2030-01-15T09:00:00Z.
    let future = with("2030-01-15T09:00:00.00Z");
    assert!(future.ends_with("090C07EE010FFF090000008000FF"), "{future}");
    // Another date: exactly that date.
    let other = with("2031-06-30T23:45:01.00Z");
    assert!(other.ends_with("090C07EF061EFF172D01008000FF"), "{other}");
    // As ECS02_1.6_CANCELLATION_TWIN_SUCCESS has it.
    let cancel = with("3000-12-31T00:00:00.00Z");
    assert!(cancel.ends_with("090CFFFFFFFFFFFFFFFFFF8000FF"), "{cancel}");
    // Nothing else changes.
    assert_eq!(immediate.len(), future.len());
    assert_eq!(
        immediate[..immediate.len() - 24],
        future[..future.len() - 24]
    );

    // GBZ (GCS02): the ZCL time 0 of the immediate skeleton.
    let Some((t, mut request)) = template_named("GCS02_1.6_FUTURE_DATED_SUCCESS") else {
        return;
    };
    let kind = target_kind(&t).expect("kind");
    set_leaf(
        &mut request,
        &["ExecutionDateTime"],
        "2031-06-30T23:45:01.00Z",
    );
    let out = transform_with_counter(&request, kind, 1000, None).expect("transform");
    let (_, seconds) = times_in(&out.template);
    assert!(
        seconds.contains(&since_2000(2031, 6, 30, 23, 45, 1)),
        "{seconds:?}"
    );
    assert!(!seconds.contains(&since_2000(2030, 1, 15, 9, 0, 0)));
    // A use case with no future-dated recording takes no execution date-time.
    let Some((_, mut request)) = template_named("ECS17b_4.1.1_SINGLE_SUCCESS") else {
        return;
    };
    body_mut(&mut request).push(
        xml::Element::new(xml::SR_NS, Some("sr"), "ExecutionDateTime")
            .with_text("2030-01-15T09:00:00.00Z"),
    );
    let e = refused(&request, DeviceKind::Esme);
    assert!(
        matches!(&e, TransformError::UnusedParameter { path, .. } if path == "ExecutionDateTime"),
        "{e}"
    );
    // A date-time that is none.
    let Some((_, mut request)) = template_named("GCS02_1.6_FUTURE_DATED_SUCCESS") else {
        return;
    };
    set_leaf(
        &mut request,
        &["ExecutionDateTime"],
        "2030-01-15T25:00:00.00Z",
    );
    let e = refused(&request, DeviceKind::Gsme);
    assert!(matches!(e, TransformError::BadParameter { .. }), "{e}");
}

#[test]
fn a_command_the_dcc_sends_in_its_own_name_names_the_requesting_user() {
    // ECS50 (9.1) goes out from the DCC with the User as supplementary remote party.
    let Some((t, request)) = template_named("ECS50_9.1_SUCCESS") else {
        return;
    };
    let kind = target_kind(&t).expect("kind");
    let mut address = address_of(&request);
    let user: EntityId = "90-B3-D5-1F-30-02-00-00".parse().expect("id");
    address.originator = user;
    address.counter = 4242;
    let out = transform_parts(
        &request.header.service_reference_variant,
        address,
        params_of(&request),
        kind,
        Options::default(),
        skeletons(),
    )
    .expect("transform");
    assert_eq!(out.originator, CommandOriginator::Dcc);
    assert_eq!(
        out.template.other_information,
        OtherInformationTemplate::SupplementaryRemotePartyCounter {
            party: user,
            counter: 4242
        }
    );
}

/// The field a value binding writes, read back from a payload by decoding it.
fn slot_value(t: &CommandTemplate, slot: Slot) -> String {
    let payload =
        decode_payload(t.payload.as_slice(), 0, t.message_code, CraFlag::Command).expect("decodes");
    match (slot, payload) {
        (Slot::Dlms { data, path }, Payload::Dlms(apdu)) => {
            let mut item = apdu.data().and_then(|d| d.get(data)).cloned();
            for i in path {
                item = match item {
                    Some(Data::Array(v) | Data::Structure(v)) => v.get(*i).cloned(),
                    _ => None,
                };
            }
            match item.expect("the slot") {
                Data::OctetString(b) if b.len() == 12 => {
                    let b = b.as_slice();
                    format!(
                        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                        u16::from_be_bytes([b[0], b[1]]),
                        b[2],
                        b[3],
                        b[5],
                        b[6],
                        b[7]
                    )
                }
                Data::OctetString(b) => text_or_hex(b.as_slice()),
                other => other
                    .as_u64()
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| format!("{other:?}")),
            }
        }
        (Slot::Gbz { component, field }, Payload::Gbz(gbz)) => {
            let c = &gbz.components[component];
            let ComponentBody::Plain {
                payload: ZclPayload::Command { fields },
                ..
            } = &c.body
            else {
                panic!("a plain command")
            };
            match fields.get(field).expect("the field") {
                Value::Uint { value, .. } => value.to_string(),
                Value::Int { value, .. } => value.to_string(),
                Value::OctetString(b) | Value::CharString(b) => text_or_hex(b.as_slice()),
                other => format!("{other:?}"),
            }
        }
        (Slot::UnjoinOtherDevice, Payload::Asn1(der)) => match der.body.as_ref() {
            Asn1Body::UnjoinCommand(u) => text_or_hex(u.other_device_entity_identifier.as_slice()),
            other => panic!("not an unjoin: {other:?}"),
        },
        _ => panic!("the slot's family"),
    }
}

fn text_or_hex(b: &[u8]) -> String {
    if b.iter().all(|c| (0x20..0x7F).contains(c)) {
        String::from_utf8_lossy(b).into_owned()
    } else {
        hex::encode_upper(b)
    }
}

#[test]
fn each_value_binding_carries_the_users_value_not_the_skeletons() {
    let Some(dir) = duis_dir() else { return };
    let all = templates(&dir);
    let mut checked = 0;
    for (use_case, path, slot, conversion) in VALUES {
        let t = all
            .iter()
            .find(|t| t.use_case == *use_case)
            .unwrap_or_else(|| panic!("no template of {use_case}"));
        let mut request = read_request(&t.path);
        let kind = target_kind(t).expect("kind");
        let names: Vec<&str> = path.split('/').collect();
        let before = transform_with_counter(&request, kind, 1000, None)
            .unwrap_or_else(|e| panic!("{}: {e}", t.stem));
        let old = slot_value(&before.template, *slot);
        let (new, expected) = match conversion {
            Conversion::Integer => {
                let n: i64 = old.parse().expect("an integer");
                let m = if n > 1 { n - 1 } else { n + 1 };
                (m.to_string(), m.to_string())
            }
            Conversion::Ascii => ("Z-9 test".to_string(), "Z-9 test".to_string()),
            Conversion::DateTime => (
                "2016-02-29T12:34:56.00Z".to_string(),
                "2016-02-29T12:34:56".to_string(),
            ),
            Conversion::EntityId => (
                "01-23-45-67-89-AB-CD-EF".to_string(),
                "0123456789ABCDEF".to_string(),
            ),
            Conversion::Boolean {
                when_true,
                when_false,
            } => {
                if old == "Boolean(255)" {
                    (when_false.to_string(), "Boolean(0)".to_string())
                } else {
                    (when_true.to_string(), "Boolean(255)".to_string())
                }
            }
        };
        assert_ne!(old, expected, "{use_case} {path}");
        set_leaf(&mut request, &names, &new);
        let after = transform_with_counter(&request, kind, 1000, None)
            .unwrap_or_else(|e| panic!("{} {path} = {new}: {e}", t.stem));
        assert_eq!(
            slot_value(&after.template, *slot),
            expected,
            "{use_case} {path}"
        );
        assert!(after.bound.iter().any(|p| p == path), "{use_case} {path}");
        // Only that field changed: setting the old value back gives the first command.
        set_leaf(
            &mut request,
            &names,
            &old_text(&read_request(&t.path), &names),
        );
        let back = transform_with_counter(&request, kind, 1000, None).expect("transform");
        assert_eq!(back.template, before.template, "{use_case} {path}");
        // A value the field cannot hold is refused.
        let bad = match conversion {
            Conversion::Integer => "99999999999999999999999",
            Conversion::Ascii => "caf\u{e9}",
            Conversion::DateTime => "2015-13-01T00:00:00Z",
            Conversion::EntityId => "00-DB-12-34",
            Conversion::Boolean { .. } => "Maybe",
        };
        set_leaf(&mut request, &names, bad);
        let e = transform(&request, kind, skeletons()).expect_err("refused");
        assert!(
            matches!(&e, TransformError::BadParameter { path: p, .. } if p == path),
            "{use_case} {path}: {e}"
        );
        checked += 1;
    }
    assert_eq!(checked, VALUES.len());
}

fn old_text(request: &Request, names: &[&str]) -> String {
    let RequestBody::Service(mut e) = request.body.clone() else {
        panic!("service")
    };
    for n in names {
        e = e.child(xml::SR_NS, n).expect("element").clone();
    }
    e.text()
}

#[test]
fn the_clock_synchronisation_carries_the_users_time_and_tolerance() {
    for stem in ["ECS70_6.11_SUCCESS", "ECS70Commission_8.1.1_SUCCESS"] {
        let Some((t, mut request)) = template_named(stem) else {
            return;
        };
        let kind = target_kind(&t).expect("kind");
        set_leaf(
            &mut request,
            &["CurrentDateTime"],
            "2016-02-29T23:59:30.00Z",
        );
        set_leaf(&mut request, &["TolerancePeriod"], "45");
        let out = transform_with_counter(&request, kind, 1000, None)
            .unwrap_or_else(|e| panic!("{stem}: {e}"));
        let (texts, _) = times_in(&out.template);
        assert!(
            texts.contains(&"2016-02-29T23:59:30".to_string()),
            "{texts:?}"
        );
        assert!(
            texts.contains(&"2016-03-01T00:00:15".to_string()),
            "{texts:?}"
        );
        assert!(
            !texts.contains(&"2014-12-31T23:59:10".to_string()),
            "{texts:?}"
        );
        for bad in ["-1", "86401", "1.5", ""] {
            let mut r = request.clone();
            set_leaf(&mut r, &["TolerancePeriod"], bad);
            let e = refused(&r, kind);
            assert!(
                matches!(&e, TransformError::BadParameter { path, .. } if path == "TolerancePeriod"),
                "{stem} tolerance {bad:?}: {e}"
            );
        }
    }
}

#[test]
fn text_beside_child_elements_is_a_parameter_too() {
    let Some((_, mut request)) = template_named("ECS35a_6.13_SUCCESS") else {
        return;
    };
    body_mut(&mut request)
        .child_mut(xml::SR_NS, "ReadLogPeriod")
        .expect("ReadLogPeriod")
        .children
        .push(xml::Node::Text("all of it".into()));
    let e = refused(&request, DeviceKind::Esme);
    assert!(
        matches!(&e, TransformError::UnusedParameter { path, .. } if path == "ReadLogPeriod/#text"),
        "{e}"
    );
}

#[test]
fn a_gas_billing_calendar_built_from_the_other_use_cases_recording_matches() {
    // GCS25 (monthly) and GCS25a (six-monthly) serve 6.8 on a GSME with the same commands:
    // each request, built on the other's skeleton, gives its own recording's payload.
    let Some(rtds) = rtds_commands() else { return };
    for (stem, other_use_case) in [
        ("GCS25_6.8_SUCCESS", "GCS25a"),
        ("GCS25a_6.8_SUCCESS", "GCS25"),
    ] {
        let Some((t, request)) = template_named(stem) else {
            return;
        };
        let frame = read_frame(&rtds[stem]);
        let out = transform_parts(
            &request.header.service_reference_variant,
            recorded_address(&frame),
            params_of(&request),
            target_kind(&t).expect("kind"),
            Options {
                use_case: Some(other_use_case),
                twin: false,
            },
            skeletons(),
        )
        .unwrap_or_else(|e| panic!("{stem}: {e}"));
        assert!(out.skeleton.starts_with(other_use_case), "{}", out.skeleton);
        let expected = lab(CommandTemplate::from_frame(&frame).expect("template"));
        let got = lab(sent_as(&frame, out.template));
        assert_eq!(
            hex::encode_upper(got.payload.as_slice()),
            hex::encode_upper(expected.payload.as_slice()),
            "{stem} built on {other_use_case}'s skeleton"
        );
    }
    // A periodicity no recording shows is refused, not guessed.
    let Some((t, mut request)) = template_named("GCS25_6.8_SUCCESS") else {
        return;
    };
    set_leaf(
        &mut request,
        &["GasBillingCalendar", "Periodicity"],
        "Quarterly",
    );
    let e = transform_with_counter(&request, target_kind(&t).expect("kind"), 1, Some("GCS25"))
        .expect_err("refused");
    assert!(
        matches!(&e, TransformError::BadParameter { path, .. } if path == "GasBillingCalendar/Periodicity"),
        "{e}"
    );
}
