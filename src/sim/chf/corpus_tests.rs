//! The RTDS structure check for the hub: every DLMS command addressed to the CHF with a
//! recorded response of the same variant is answered by a fresh `Chf`, and the answer's
//! shape is compared with the recording's. The alerts the hub raises are compared with the
//! recorded CS14 / DBCH alerts the same way.

use std::collections::BTreeMap;

use crate::codec::dlms::{DlmsApdu, DlmsBody, RequestSpec, SpecKind};
use crate::codec::ids::EntityId;
use crate::codec::message::decode_message;
use crate::codec::payload::Payload;
use crate::crypto::protect;
use crate::inspect::Inspector;
use crate::sim::esme::corpus_tests::{
    context, file_name, load, redecrypt, use_case, Corpus, Tally,
};
use crate::sim::esme::objects::{obis, os};
use crate::sim::shape::first_difference;
use crate::sim::shape::shape;

use super::{Chf, ChfReply, HAN_DEVICE_LOG};

const CHF: &str = "00DB1234567890A2";

fn hub() -> EntityId {
    CHF.parse().unwrap()
}

#[test]
fn rtds_chf_responses_match_in_structure() {
    let Some(c) = load() else { return };
    let inspector = Inspector::new(&c.keys, None);
    let mut ok: BTreeMap<String, Tally> = BTreeMap::new();
    let mut err: BTreeMap<String, Tally> = BTreeMap::new();
    let mut mismatches = Vec::new();
    let mut error_mismatches = Vec::new();
    for pair in c.pairs() {
        let (path, name, response_path, response_bytes) = (
            pair.command_path,
            pair.name,
            pair.response_path,
            pair.response,
        );
        let stem = name.trim_end_matches("_COMMAND_GBCS.HEX");
        let cmd = decode_message(&c.files[path]).expect("command decodes");
        if cmd.frame.header().recipient != hub() {
            continue;
        }
        let Ok(Payload::Dlms(request)) = &cmd.payload else {
            continue;
        };
        if !matches!(request.body, DlmsBody::AccessRequest(_)) {
            continue;
        }
        let recorded = inspector.inspect(response_bytes).expect("response decodes");
        let Ok(recorded_payload) = &recorded.message.payload else {
            panic!("{}: response does not decode", response_path.display())
        };
        let frame = &recorded.message.frame;
        let ctx = context(&cmd, Some(frame));
        let mut encrypt = |plaintext: &[u8]| {
            protect::encrypt_block(&c.keys, frame, 0, plaintext).expect("RTDS keys encrypt")
        };
        let mut response = Chf::new(ctx.device)
            .handle(&ctx, request, &mut encrypt)
            .response;
        redecrypt(&c.keys, frame, &mut response);
        let mine = shape(&Payload::Dlms(response));
        let theirs = shape(recorded_payload);
        let is_error = name.contains("ERROR");
        let tally = if is_error { &mut err } else { &mut ok }
            .entry(use_case(path))
            .or_default();
        tally.total += 1;
        if mine == theirs {
            tally.matched += 1;
        } else {
            let why = first_difference(&mine, &theirs, "").unwrap_or_default();
            let line = format!("{stem}: {why}");
            if is_error {
                error_mismatches.push(line);
            } else {
                mismatches.push(line);
            }
        }
    }
    println!("CHF use case: matched/total (non-ERROR) | matched/total (ERROR)");
    let cases: std::collections::BTreeSet<&String> = ok.keys().chain(err.keys()).collect();
    for uc in cases {
        let f = |m: &BTreeMap<String, Tally>| {
            m.get(uc)
                .map(|t| format!("{}/{}", t.matched, t.total))
                .unwrap_or_else(|| "-".into())
        };
        println!("  {uc:<24} {:>7} | {:>7}", f(&ok), f(&err));
    }
    let sum = |m: &BTreeMap<String, Tally>| {
        m.values()
            .fold((0, 0), |(a, b), t| (a + t.matched, b + t.total))
    };
    let (m, t) = sum(&ok);
    let (em, et) = sum(&err);
    println!("CHF non-ERROR exchanges: {m}/{t} match; ERROR exchanges: {em}/{et} match");
    println!("non-ERROR mismatches:");
    for l in &mismatches {
        println!("  {l}");
    }
    println!("ERROR mismatches (recorded device failures, not produced by a healthy model):");
    for l in &error_mismatches {
        println!("  {l}");
    }
    assert!(t >= 12, "expected the RTDS CHF DLMS pairs, found {t}");
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

/// The recorded alert of a folder, decoded (and decrypted where needed).
fn recorded_alert(c: &Corpus, inspector: &Inspector, suffix: &str) -> Payload {
    let path = c
        .files
        .keys()
        .find(|p| file_name(p).ends_with(suffix))
        .unwrap_or_else(|| panic!("no {suffix} in the corpus"));
    let m = inspector.inspect(&c.files[path]).expect("alert decodes");
    m.message.payload.expect("alert payload decodes")
}

fn command(c: &Corpus, suffix: &str) -> (crate::sim::CommandContext, DlmsApdu) {
    let path = c
        .files
        .keys()
        .find(|p| file_name(p).ends_with(suffix))
        .unwrap_or_else(|| panic!("no {suffix} in the corpus"));
    let cmd = decode_message(&c.files[path]).expect("command decodes");
    let Ok(Payload::Dlms(apdu)) = cmd.payload.clone() else {
        panic!("{suffix}: not DLMS")
    };
    (context(&cmd, None), apdu)
}

fn no_encryption(_: &[u8]) -> crate::codec::ciphered::CipheredBlock {
    unreachable!("the hub's alerts and these commands carry nothing encrypted")
}

fn only_alert_shape(reply: &ChfReply) -> serde_json::Value {
    let [a] = &reply.alerts[..] else {
        panic!("expected one alert, got {:?}", reply.alerts)
    };
    shape(&a.payload)
}

#[test]
fn hub_alerts_have_the_recorded_structure() {
    let Some(c) = load() else { return };
    let inspector = Inspector::new(&c.keys, None);

    // DBCH04 → DBCH09 (new sub-GHz configuration).
    let (ctx, apdu) = command(&c, "DBCH04_6.28_SUCCESS_COMMAND_GBCS.HEX");
    let reply = Chf::new(hub()).handle(&ctx, &apdu, &mut no_encryption);
    let theirs = shape(&recorded_alert(&c, &inspector, "_ALERT_DBCH09_GBCS.HEX"));
    assert_eq!(only_alert_shape(&reply), theirs);

    // DBCH05 → DBCH08 (channel scan outcome).
    let (ctx, apdu) = command(&c, "DBCH05_6.29_SUCCESS_COMMAND_GBCS.HEX");
    let reply = Chf::new(hub()).handle(&ctx, &apdu, &mut no_encryption);
    let theirs = shape(&recorded_alert(
        &c,
        &inspector,
        "DBCH08_NA_8F28_ALERT_GBCS.HEX",
    ));
    assert_eq!(only_alert_shape(&reply), theirs);

    // CS14: RTDS records a two-device log, so the GSME joins a hub that logs the ESME.
    let ids: Vec<EntityId> = ["00DB1234567890A0", "00DB1234567890A1"]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    let mut chf = Chf::with_device_logs(hub(), &ids[..1], &[]);
    let (mut ctx, _) = command(&c, "CCS02_8.11_SUCCESS_COMMAND_GBCS.HEX");
    ctx.device = hub();
    let add = DlmsApdu {
        invoke_id: 1,
        flags: 0x20,
        date_time: Default::default(),
        body: DlmsBody::AccessRequest(crate::codec::dlms::AccessRequest {
            specs: vec![RequestSpec {
                kind: SpecKind::Action,
                class_id: 104,
                obis: obis(HAN_DEVICE_LOG),
                id: 1,
                selection: None,
            }],
            data: vec![os(ids[1].as_bytes())],
        }),
    };
    let reply = chf.handle(&ctx, &add, &mut no_encryption);
    assert_eq!(reply.response.results().map(|r| r[0].code), Some(0));
    let theirs = shape(&recorded_alert(
        &c,
        &inspector,
        "CS14_NA_8F12_ALERT_GBCS.HEX",
    ));
    let mine = only_alert_shape(&reply);
    assert_eq!(
        mine,
        theirs,
        "{}",
        first_difference(&mine, &theirs, "").unwrap_or_default()
    );
}
