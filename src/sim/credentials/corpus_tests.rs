//! The RTDS structure check for the ASN.1 security use cases: every ASN.1 command with a
//! recorded response of the same variant is answered by a fresh RTDS device, and the
//! answer's shape is compared with the recording's; the future-dated commands' alerts are
//! compared with the recorded 0x00CA / 0x00CB / 0x0124 alerts.
//!
//! The recordings' non-minimal DER lengths (`30 82 00 9F …`, a quirk of the reference
//! device's encoder) are dropped before comparing: they are encoding, not structure, and a
//! conforming device writes minimal lengths.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::sim::shape::first_difference;

use crate::codec::asn1::{Asn1Body, Asn1Payload};
use crate::codec::ids::MessageCode;
use crate::codec::message::{decode_message, Message};
use crate::codec::payload::Payload;
use crate::sim::context::{AlertRequest, CommandContext};
use crate::sim::shape::shape;
use crate::sim::simulator::DEFAULT_CLOCK;

use super::rtds;

use crate::sim::esme::corpus_tests::{file_name, load};

fn use_case(name: &str) -> String {
    name.split('_').next().unwrap_or_default().to_string()
}

fn context(cmd: &Message) -> CommandContext {
    let h = cmd.frame.header();
    CommandContext {
        message_code: cmd.message_code().unwrap_or(MessageCode(0)),
        counter: h.counter,
        originator: h.originator,
        data_recipient: h
            .other_information
            .supplementary_remote_party()
            .unwrap_or(h.originator),
        device: h.recipient,
        // Every recorded response is dated 2015-01-01T00:00:00Z.
        now: DEFAULT_CLOCK,
    }
}

fn asn1(m: &Message) -> Option<&Asn1Payload> {
    match &m.payload {
        Ok(Payload::Asn1(a)) => Some(a),
        _ => None,
    }
}

fn minimal(a: &Asn1Payload) -> Value {
    shape(&Payload::Asn1(Asn1Payload {
        non_minimal_lengths: Vec::new(),
        ..a.clone()
    }))
}

/// The status and response codes of a payload, in order. Codes whose only label is the
/// reference parser's reach the shape as a bare "string", so the shape alone cannot tell a
/// join's 0 from its 3; this list can.
fn codes(a: &Asn1Payload) -> Vec<i64> {
    fn walk(v: &Value, key: Option<&str>, out: &mut Vec<i64>) {
        match v {
            Value::Object(m) => {
                if key.is_some_and(|k| {
                    matches!(
                        k,
                        "response_code" | "status" | "join_response_code" | "alert_code"
                    )
                }) {
                    out.extend(m.get("value").and_then(Value::as_i64));
                }
                for (k, c) in m {
                    walk(c, Some(k), out);
                }
            }
            Value::Array(items) => items.iter().for_each(|c| walk(c, None, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&serde_json::to_value(a).unwrap_or_default(), None, &mut out);
    out
}

#[derive(Default)]
struct Tally {
    matched: usize,
    total: usize,
}

fn report(
    what: &str,
    ok: &BTreeMap<String, Tally>,
    err: &BTreeMap<String, Tally>,
) -> ((usize, usize), (usize, usize)) {
    let sum = |m: &BTreeMap<String, Tally>| {
        m.values()
            .fold((0, 0), |(a, b), t| (a + t.matched, b + t.total))
    };
    println!("{what}: use case: matched/total (non-ERROR) | matched/total (ERROR)");
    let cases: BTreeSet<&String> = ok.keys().chain(err.keys()).collect();
    for uc in cases {
        let f = |m: &BTreeMap<String, Tally>| {
            m.get(uc)
                .map(|t| format!("{}/{}", t.matched, t.total))
                .unwrap_or_else(|| "-".into())
        };
        println!("  {uc:<40} {:>7} | {:>7}", f(ok), f(err));
    }
    (sum(ok), sum(err))
}

#[test]
fn rtds_asn1_responses_match_in_structure() {
    let Some(c) = load() else { return };
    let mut ok: BTreeMap<String, Tally> = BTreeMap::new();
    let mut err: BTreeMap<String, Tally> = BTreeMap::new();
    let (mut mismatches, mut error_mismatches) = (Vec::new(), Vec::new());
    let mut code_differences = Vec::new();
    for pair in c.pairs() {
        let (path, name, _response_path, response_bytes) = (
            pair.command_path,
            pair.name,
            pair.response_path,
            pair.response,
        );
        let stem = name.trim_end_matches("_COMMAND_GBCS.HEX");
        let cmd = decode_message(&c.files[path]).expect("command decodes");
        let Some(request) = asn1(&cmd) else { continue };
        let recorded = decode_message(response_bytes).expect("response decodes");
        let recorded = asn1(&recorded).expect("recorded response is ASN.1");
        let ctx = context(&cmd);
        let mut device = rtds::credentials(&c.keys, ctx.device);
        let answer = device.handle(&ctx, request).map(|(response, _)| response);
        if let Some(a) = &answer {
            if codes(a) != codes(recorded) {
                code_differences.push(format!(
                    "{stem}: codes {:?} vs recorded {:?}",
                    codes(a),
                    codes(recorded)
                ));
            }
        }
        let mine = answer.as_ref().map(minimal);
        let theirs = minimal(recorded);
        let is_error = name.contains("ERROR");
        let tally = if is_error { &mut err } else { &mut ok }
            .entry(use_case(&name))
            .or_default();
        tally.total += 1;
        let why = match &mine {
            None => Some("model does not handle it".to_string()),
            Some(mine) if *mine == theirs => None,
            Some(mine) => Some(first_difference(mine, &theirs, "").unwrap_or_default()),
        };
        match why {
            None => tally.matched += 1,
            Some(why) if is_error => error_mismatches.push(format!("{stem}: {why}")),
            Some(why) => mismatches.push(format!("{stem}: {why}")),
        }
    }
    let ((m, t), (em, et)) = report("ASN.1 responses", &ok, &err);
    println!("non-ERROR exchanges: {m}/{t} match; ERROR exchanges: {em}/{et} match");
    println!("non-ERROR mismatches:");
    for l in &mismatches {
        println!("  {l}");
    }
    println!("ERROR mismatches (recorded device states a fresh device does not have):");
    for l in &error_mismatches {
        println!("  {l}");
    }
    println!("status/response code values that differ (shape-equal or not):");
    for l in &code_differences {
        println!("  {l}");
    }
    assert!(
        code_differences.iter().all(|l| l.contains("ERROR")),
        "non-ERROR code differences"
    );
    assert!(t >= 36, "expected the RTDS ASN.1 pairs, found {t}");
    assert!(
        mismatches.is_empty(),
        "{} non-ERROR mismatches",
        mismatches.len()
    );
}

/// The command counter an ASN.1 future-dated alert quotes.
fn quoted_counter(a: &Asn1Payload) -> Option<i64> {
    match &*a.body {
        Asn1Body::UpdateSecurityCredentialsAlert(x) => x
            .execution_outcome
            .authorising_remote_party_seq_number
            .as_i64(),
        Asn1Body::ActivateFirmwareAlert(x) => x.originator_counter.as_i64(),
        _ => None,
    }
}

#[test]
fn future_dated_asn1_commands_raise_the_recorded_alerts() {
    let Some(c) = load() else { return };
    let mut by_folder: BTreeMap<PathBuf, Vec<&PathBuf>> = BTreeMap::new();
    for p in c.files.keys() {
        by_folder
            .entry(p.parent().unwrap_or(Path::new("")).to_path_buf())
            .or_default()
            .push(p);
    }
    let mut ok: BTreeMap<String, Tally> = BTreeMap::new();
    let mut err: BTreeMap<String, Tally> = BTreeMap::new();
    let mut lines = Vec::new();
    for files in by_folder.values() {
        let mut raised: Vec<AlertRequest> = Vec::new();
        for p in files {
            let n = file_name(p);
            if !(n.contains("FUTURE_DATED") && n.ends_with("_COMMAND_GBCS.HEX")) {
                continue;
            }
            let cmd = decode_message(&c.files[*p]).expect("command decodes");
            let Some(request) = asn1(&cmd) else { continue };
            let ctx = context(&cmd);
            let mut device = rtds::credentials(&c.keys, ctx.device);
            let (_, alerts) = device.handle(&ctx, request).expect("handled");
            assert_eq!(alerts.len(), 1, "{n}: one alert");
            assert!(alerts[0].due.is_some_and(|d| d > ctx.now), "{n}: due later");
            raised.extend(alerts);
        }
        for p in files {
            let name = file_name(p);
            if !name.contains("_ALERT_") {
                continue;
            }
            let m = decode_message(&c.files[*p]).expect("alert decodes");
            let Some(recorded) = asn1(&m) else { continue };
            let Some(counter) = quoted_counter(recorded) else {
                continue;
            };
            let code = m.message_code().unwrap_or(MessageCode(0));
            let tally = if name.contains("ERROR") {
                &mut err
            } else {
                &mut ok
            }
            .entry(use_case(&name))
            .or_default();
            tally.total += 1;
            let found = raised.iter().find(|r| match &r.payload {
                Payload::Asn1(a) => quoted_counter(a) == Some(counter),
                _ => false,
            });
            let Some(r) = found else {
                lines.push(format!("{name}: no alert raised for counter {counter}"));
                continue;
            };
            let Payload::Asn1(mine) = &r.payload else {
                unreachable!()
            };
            let (mine, theirs) = (minimal(mine), minimal(recorded));
            if r.message_code != code {
                lines.push(format!(
                    "{name}: message code {} vs recorded {code}",
                    r.message_code
                ));
            } else if mine != theirs {
                lines.push(format!(
                    "{name}: {}",
                    first_difference(&mine, &theirs, "").unwrap_or_default()
                ));
            } else {
                tally.matched += 1;
            }
        }
    }
    let ((m, t), (em, et)) = report("future-dated ASN.1 alerts", &ok, &err);
    println!("non-ERROR alerts: {m}/{t} match; ERROR alerts: {em}/{et} match");
    for l in &lines {
        println!("  {l}");
    }
    assert!(t >= 3, "expected the RTDS 8F66 ASN.1 alerts, found {t}");
    assert_eq!(m, t, "non-ERROR alert mismatches");
}

/// The model behind the security pipeline: recorded commands to the RTDS ESME get protected,
/// decodable ASN.1 responses, and a future-dated activation's alert comes out when due.
#[test]
fn simulator_runs_the_model_on_recorded_commands() {
    use crate::codec::ids::EntityId;
    use crate::crypto::KeyUsage;
    use crate::sim::profile::{RTDS_ACB, RTDS_ESME};
    use crate::sim::Simulator;

    let Some(mut c) = load() else { return };
    let esme: EntityId = RTDS_ESME.parse().unwrap();
    let device = rtds::credentials(&c.keys, esme);
    // The store has no device private keys; the ESME signs its critical answers with one
    // made up here, as the RTDS profile does.
    c.keys
        .generate(esme, KeyUsage::DigitalSignature)
        .expect("key generation");
    let mut sim = Simulator::new(c.keys, RTDS_ACB.parse::<EntityId>().unwrap());
    sim.add_device(esme, Box::new(device));
    let file = |suffix: &str| {
        c.files
            .iter()
            .find(|(p, _)| file_name(p).ends_with(suffix))
            .map(|(_, b)| b.clone())
            .unwrap_or_else(|| panic!("{suffix} in the corpus"))
    };
    for name in [
        "CS02aMAC_6.24.1_SUCCESS_COMMAND_GBCS.HEX",
        "CS06_11.3_FUTURE_DATED_SUCCESS_COMMAND_GBCS.HEX",
    ] {
        let exchange = sim.handle(&file(name));
        assert_eq!(exchange.rejection, None, "{name}");
        let response = decode_message(&exchange.response.expect("response")).unwrap();
        assert!(asn1(&response).is_some_and(Asn1Payload::is_typed), "{name}");
    }
    let alerts = sim.advance_to(u32::MAX);
    assert_eq!(alerts.len(), 1);
    let alert = decode_message(&alerts[0]).unwrap();
    assert_eq!(alert.message_code(), Some(MessageCode::FDFAA));
    assert!(asn1(&alert).is_some_and(Asn1Payload::is_typed));
}
