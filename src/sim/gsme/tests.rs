use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::*;
use crate::codec::ciphered::CipheredBlock;
use crate::codec::gbz::{self, AlertBody, ComponentBody, ZclPayload};
use crate::codec::ids::{CraFlag, EntityId, MessageCode};
use crate::codec::message::{decode_message, Message};
use crate::codec::payload::Payload;
use crate::sim::context::CommandContext;
use crate::sim::shape as raw_shape;

/// The shape used for comparisons. `sim::shape` keeps the key `tag` as identifying (DER
/// tags), which also keeps the GCM tag bytes of a ciphered `block`; a block's bytes differ
/// on every encryption, so the whole block is made opaque here (its plaintext is compared
/// through `decrypted`).
fn shape(p: &Payload) -> serde_json::Value {
    fn blank(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    if k == "block" {
                        *child = serde_json::Value::String("<opaque>".into());
                    } else {
                        blank(child);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(blank),
            _ => {}
        }
    }
    let mut v = raw_shape(p);
    blank(&mut v);
    v
}

/// The RTDS clock: 2015-01-01T00:00:00Z.
const RTDS_NOW: u32 = 0x1C37_4A80;
const GSME: &str = "00DB1234567890A1";
const GPF: &str = "00DB1234567890A3";

fn eui(s: &str) -> EntityId {
    s.parse().unwrap()
}

fn hx(s: &str) -> Vec<u8> {
    hex::decode(s.replace(' ', "")).unwrap()
}

fn ctx(code: MessageCode, device: EntityId, now: u32) -> CommandContext {
    let supplier = eui("90B3D51F30010000");
    CommandContext {
        message_code: code,
        counter: 1000,
        originator: supplier,
        data_recipient: supplier,
        device,
        now,
    }
}

/// A stand-in for the simulator core's encryption: the model only needs a block back.
fn fake_encrypt(plain: &[u8]) -> CipheredBlock {
    CipheredBlock {
        security_control: 0x31,
        invocation_counter: 0,
        ciphertext: plain.to_vec().into(),
        tag: vec![0; 12].into(),
    }
}

fn command(content_hex: &str) -> gbz::GbzPayload {
    gbz::decode(&hx(content_hex), 0, CraFlag::Command).unwrap()
}

fn run(m: &mut GasMeter, code: MessageCode, now: u32, content_hex: &str) -> GasReply {
    let device = m.device;
    m.handle(
        &ctx(code, device, now),
        &command(content_hex),
        &mut fake_encrypt,
    )
}

/// (cluster, command id, payload) of every response component.
fn answers(r: &GasReply) -> Vec<(u16, u8, ZclPayload)> {
    r.response
        .components
        .iter()
        .map(|c| {
            (
                c.cluster.0,
                c.zcl().command_id,
                c.payload().cloned().expect("model fills decrypted"),
            )
        })
        .collect()
}

fn statuses(r: &GasReply) -> Vec<(u8, u8)> {
    answers(r)
        .into_iter()
        .filter_map(|(_, _, p)| match p {
            ZclPayload::DefaultResponse {
                command_id, status, ..
            } => Some((command_id, status.0)),
            _ => None,
        })
        .collect()
}

fn read_value(r: &GasReply, index: usize, attr: u16) -> (u8, Option<gbz::Value>) {
    let (_, _, p) = &answers(r)[index];
    let ZclPayload::ReadAttributesResponse { records, .. } = p else {
        panic!("not a read attributes response: {p:?}");
    };
    let rec = records.iter().find(|r| r.attribute.id == attr).unwrap();
    (rec.status.0, rec.value.clone())
}

// Commands (GBZ content) built by hand from the §9 layouts.

/// Prepayment ReadAttributes 0x0031 (LowCreditWarningLevel), 0x0010 (EC limit).
const READ_PREPAY: &str = "0109 01 01 0705 0007 00 00 00 3100 1000";
/// Future-dated SetLowCreditWarningLevel (From Date Time 2030-01-15 09:00) 5,000,000.
const SET_LCWL_FUTURE: &str = "0109 01 11 0705 000B 38818890 01 00 09 404B4C00";
/// Immediate EmergencyCreditSetup: limit 7,000,000, threshold 300,000.
const EC_SETUP_NOW: &str = "0109 01 01 0705 0013 01 00 03 804A371C 00000000 C0CF6A00 E0930400";

#[test]
fn read_after_set_reflects_the_new_values() {
    let mut m = GasMeter::new(eui(GSME), GasDevice::Gsme);
    let r = run(&mut m, MessageCode::GCS05, RTDS_NOW, EC_SETUP_NOW);
    assert_eq!(statuses(&r), vec![(0x03, 0x00)]);
    let r = run(&mut m, MessageCode::GCS21B, RTDS_NOW, READ_PREPAY);
    let (st, v) = read_value(&r, 0, 0x0010);
    assert_eq!(st, 0);
    assert_eq!(v.and_then(|v| v.as_u64()), Some(7_000_000));
}

#[test]
fn read_after_tariff_publish_reflects_prices() {
    let mut m = GasMeter::new(eui(GSME), GasDevice::Gsme);
    // GCS01b-style immediate TOU tariff: standing charge 22465, tier prices 9600..11000.
    let publish = "0109 02 \
        00 0700 0026 09 00 04 00000000 804A371C 01000000 00000000 00 00 04 00 00 3A03 50 C1570000 FF 010000 010000 \
        01 0700 002A 09 01 05 00000000 804A371C 00000000 01000000 00 01 01 \
        01 80250000 02 D8270000 03 FE290000 04 F82A0000";
    let r = run(&mut m, MessageCode::GCS01B, RTDS_NOW, publish);
    assert_eq!(statuses(&r), vec![(0x04, 0x00), (0x05, 0x00)]);
    let read = "0109 01 01 0700 0009 00 00 00 0103 1004 4004";
    let r = run(&mut m, MessageCode::GCS21F, RTDS_NOW, read);
    assert_eq!(read_value(&r, 0, 0x0301).1.unwrap().as_u64(), Some(22_465));
    assert_eq!(read_value(&r, 0, 0x0410).1.unwrap().as_u64(), Some(9_600));
    assert_eq!(read_value(&r, 0, 0x0440).1.unwrap().as_u64(), Some(11_000));
    // And the tariff answers GetCurrentPrice now.
    let r = run(
        &mut m,
        MessageCode::GCS21F,
        RTDS_NOW,
        "0109 01 01 0700 0004 01 00 00 00",
    );
    assert_eq!(answers(&r)[0].1, 0x00);
    assert_eq!(r.response.components[0].zcl().command, Some("PublishPrice"));
}

#[test]
fn unsupported_attribute_gets_status_0x86() {
    let mut m = GasMeter::new(eui(GSME), GasDevice::Gsme);
    let r = run(
        &mut m,
        MessageCode::GCS13A,
        RTDS_NOW,
        "0109 01 01 0702 0007 00 00 00 0003 3412",
    );
    assert_eq!(read_value(&r, 0, 0x0300).0, 0x00);
    assert_eq!(read_value(&r, 0, 0x1234), (0x86, None));
    // An unsupported attribute is not a failure: nothing is aborted, nothing encrypted.
    assert!(!r.response.components[0].is_encrypted());
}

#[test]
fn consumption_reads_are_encrypted() {
    let mut m = GasMeter::in_service(eui(GPF), GasDevice::Gpf, RTDS_NOW);
    let r = run(
        &mut m,
        MessageCode::GCS13A,
        RTDS_NOW,
        "0109 01 01 0702 000B 00 00 00 0203 0103 0003 0000",
    );
    let c = &r.response.components[0];
    assert!(c.is_encrypted());
    assert_eq!(c.control.0, 0x03);
    let ComponentBody::Encrypted {
        additional_header_frame_counter,
        block,
        ..
    } = &c.body
    else {
        unreachable!()
    };
    assert_eq!(*additional_header_frame_counter, 0);
    // Divisor 1000, multiplier 1, m³, 12345: the plaintext handed to `encrypt`.
    assert_eq!(
        block.ciphertext.as_slice(),
        hx("0203 00 22 E80300 0103 00 22 010000 0003 00 30 01 0000 00 25 393000000000")
    );
}

#[test]
fn abort_rule_fails_later_components_with_ff_01() {
    let mut m = GasMeter::new(eui(GSME), GasDevice::Gsme);
    m.inject_fault(Fault {
        component: 1,
        attribute: None,
    });
    // Three EC setups: the second fails, the third is aborted.
    let three = "0109 03 \
        00 0705 0013 01 00 03 804A371C 00000000 C0CF6A00 E0930400 \
        00 0705 0013 01 01 03 804A371C 00000000 C0CF6A00 E0930400 \
        01 0705 0013 01 02 03 804A371C 00000000 C0CF6A00 E0930400";
    let r = run(&mut m, MessageCode::GCS05, RTDS_NOW, three);
    assert_eq!(statuses(&r), vec![(0x03, 0x00), (0x03, 0xC0), (0xFF, 0x01)]);
    let tsns: Vec<u8> = r.response.components.iter().map(|c| c.zcl().tsn).collect();
    assert_eq!(tsns, vec![0, 1, 2]);
    // Prepayment Default Responses go server to client (FC 0x08).
    assert!(r
        .response
        .components
        .iter()
        .all(|c| c.zcl().frame_control.0 == 0x08));
    assert_eq!(r.response.components[2].control.0, 0x01);

    // Without a fault an unsupported command aborts in the same way.
    let unknown_then_read = "0109 02 00 0705 0003 01 00 7F 01 0705 0005 00 01 00 3100";
    let r = run(&mut m, MessageCode::GCS21B, RTDS_NOW, unknown_then_read);
    assert_eq!(statuses(&r), vec![(0x7F, 0x81), (0xFF, 0x01)]);
}

#[test]
fn unknown_cluster_and_malformed_commands_get_default_responses() {
    let mut m = GasMeter::new(eui(GSME), GasDevice::Gsme);
    // Identify cluster read, then a truncated EmergencyCreditSetup.
    let r = run(
        &mut m,
        MessageCode::CCS01,
        RTDS_NOW,
        "0109 01 01 0003 0005 00 00 00 0000",
    );
    assert_eq!(statuses(&r), vec![(0x00, 0xC3)]);
    let r = run(
        &mut m,
        MessageCode::CCS01,
        RTDS_NOW,
        "0109 01 01 0705 0006 01 00 03 804A37",
    );
    assert_eq!(statuses(&r), vec![(0x03, 0x80)]);
}

#[test]
fn empty_logs_and_snapshots_are_not_found() {
    let mut m = GasMeter::new(eui(GSME), GasDevice::Gsme);
    // GetTopUpLog (+FDT), GetDebtRepaymentLog (+FDT), GetPrepaySnapshot, GetEventLog.
    let gets = "0109 04 \
        10 0705 000C 1C0E6C00 01 00 08 FEFFFFFF 05 \
        10 0705 000D 1C0E6C00 01 01 0A FEFFFFFF 0A 02 \
        00 0705 0010 01 02 07 006C0E1C 804A371C 00 01000000 \
        01 0709 0011 01 03 00 04 0000 00F9351C 804A371C 00 0000";
    let r = run(&mut m, MessageCode::GCS15E, RTDS_NOW, gets);
    assert_eq!(
        statuses(&r),
        vec![(0x08, 0x8B), (0x0A, 0x8B), (0x07, 0x8B), (0x00, 0x8B)]
    );
    // The same requests of an in-service meter find data.
    let mut m = GasMeter::in_service(eui(GSME), GasDevice::Gsme, RTDS_NOW);
    let r = run(&mut m, MessageCode::GCS15E, RTDS_NOW, gets);
    let names: Vec<_> = r
        .response
        .components
        .iter()
        .map(|c| c.zcl().command)
        .collect();
    assert_eq!(
        names,
        vec![
            Some("PublishTopUpLog"),
            Some("PublishDebtLog"),
            Some("PublishPrepaySnapshot"),
            Some("PublishEventLog")
        ]
    );
}

#[test]
fn future_dated_command_is_scheduled_with_an_alert() {
    let mut m = GasMeter::new(eui(GSME), GasDevice::Gsme);
    let r = run(&mut m, MessageCode::GCS05, RTDS_NOW, SET_LCWL_FUTURE);
    assert_eq!(statuses(&r), vec![(0x09, 0x00)]);
    assert_eq!(r.alerts.len(), 1);
    let alert = &r.alerts[0];
    assert_eq!(alert.message_code, MessageCode::FDEA_ZIGBEE);
    assert_eq!(alert.due, Some(0x3881_8890));
    let Payload::Gbz(p) = &alert.payload else {
        panic!()
    };
    let mut bytes = Vec::new();
    p.encode(&mut bytes);
    // Alert 0x8F66 at the due time, GCS05, counter 1000, Prepayment, FC 01, command 09.
    assert_eq!(
        bytes,
        hx("0109 01 8F66 38818890 0E 006F 00000000000003E8 0705 01 09")
    );
    // Not applied yet…
    let r = run(&mut m, MessageCode::GCS21B, RTDS_NOW, READ_PREPAY);
    assert_eq!(read_value(&r, 0, 0x0031).1.unwrap().as_u64(), Some(0));
    // …but once the clock passes the execution time.
    let r = run(&mut m, MessageCode::GCS21B, 0x3881_8890, READ_PREPAY);
    assert_eq!(
        read_value(&r, 0, 0x0031).1.unwrap().as_u64(),
        Some(5_000_000)
    );
}

#[test]
fn cancellation_removes_a_pending_change() {
    let mut m = GasMeter::new(eui(GSME), GasDevice::Gsme);
    run(&mut m, MessageCode::GCS05, RTDS_NOW, SET_LCWL_FUTURE);
    let cancel = "0109 01 11 0705 000B FFFFFFFF 01 00 09 404B4C00";
    let r = run(&mut m, MessageCode::GCS05, RTDS_NOW, cancel);
    assert!(r.alerts.is_empty());
    assert_eq!(statuses(&r), vec![(0x09, 0x00)]);
    let r = run(&mut m, MessageCode::GCS21B, 0x3900_0000, READ_PREPAY);
    assert_eq!(read_value(&r, 0, 0x0031).1.unwrap().as_u64(), Some(0));
}

#[test]
fn consumer_top_up_adds_credit_once() {
    let mut m = GasMeter::in_service(eui(GSME), GasDevice::Gsme, RTDS_NOW);
    // PCS01: UTRN for 2025 pence from the PPMID.
    let top_up = "0109 01 01 0705 0019 01 00 04 02 14 3733393431363536383830393530383034343835";
    let r = run(&mut m, MessageCode::PCS01, RTDS_NOW, top_up);
    let (cluster, cmd, p) = &answers(&r)[0];
    assert_eq!((*cluster, *cmd), (0x0705, 0x03));
    assert_eq!(r.response.components[0].zcl().frame_control.0, 0x09);
    let ZclPayload::Command { fields } = p else {
        panic!()
    };
    assert_eq!(fields.get("result_type").unwrap().as_u64(), Some(0));
    assert_eq!(
        fields.get("top_up_value").unwrap().as_u64(),
        Some(2_025_000)
    );
    assert_eq!(
        fields.get("credit_remaining").unwrap().as_u64(),
        Some(4_525_000)
    );
    // The same token again is a duplicate.
    let r = run(&mut m, MessageCode::PCS01, RTDS_NOW, top_up);
    let ZclPayload::Command { fields } = &answers(&r)[0].2 else {
        panic!()
    };
    assert_eq!(fields.get("result_type").unwrap().as_u64(), Some(2));
}

#[test]
fn gpf_refuses_valve_commands() {
    let mut m = GasMeter::new(eui(GPF), GasDevice::Gpf);
    let change_supply = "0109 01 01 0702 0015 01 00 0B 00000000 804A371C 00000000 00000000 01 01";
    let r = run(&mut m, MessageCode::GCS39, RTDS_NOW, change_supply);
    assert_eq!(statuses(&r), vec![(0x0B, 0x81)]);
}

#[test]
fn get_day_profiles_answers_with_one_publish_per_day_on_the_same_tsn() {
    let mut m = GasMeter::in_service(eui(GSME), GasDevice::Gsme, RTDS_NOW);
    // GetDayProfiles of the current TOU calendar, all days; then GetSeasons.
    let gets = "0109 02 00 0707 000D 01 07 01 00000000 FFFFFFFF 01 00 \
        01 0707 000B 01 08 03 00000000 FFFFFFFF";
    let r = run(&mut m, MessageCode::GCS21F, RTDS_NOW, gets);
    let seen: Vec<(Option<&str>, u8, u8)> = r
        .response
        .components
        .iter()
        .map(|c| (c.zcl().command, c.zcl().tsn, c.zcl().frame_control.0))
        .collect();
    let day = (Some("PublishDayProfile"), 7, 0x19);
    assert_eq!(
        seen,
        vec![day, day, day, day, (Some("PublishSeasons"), 8, 0x19)]
    );
}

/// Arbitrary component bytes for every cluster and command id never make the model panic,
/// and every command component gets at least one answer.
#[test]
fn arbitrary_commands_get_answers_not_panics() {
    let mut seed = 0x1234_5678u32;
    let mut next = move || {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (seed >> 24) as u8
    };
    let clusters = [
        0x0000u16, 0x0003, 0x0700, 0x0702, 0x0703, 0x0705, 0x0707, 0x0708, 0x0709,
    ];
    for kind in [GasDevice::Gsme, GasDevice::Gpf] {
        let mut m = GasMeter::in_service(eui(GSME), kind, RTDS_NOW);
        for round in 0..3000u32 {
            let cluster = clusters[round as usize % clusters.len()];
            let fc = [0x00, 0x01, 0x08, 0x09, 0x04][usize::from(next()) % 5];
            let cmd = (round / 9) as u8 % 0x10;
            let len = usize::from(next()) % 40;
            let mut content = vec![0x01, 0x09, 0x01, 0x01];
            content.extend_from_slice(&cluster.to_be_bytes());
            content.extend_from_slice(&((3 + len) as u16).to_be_bytes());
            content.extend_from_slice(&[fc, 0, cmd]);
            content.extend((0..len).map(|_| next()));
            let Ok(request) = gbz::decode(&content, 0, CraFlag::Command) else {
                continue;
            };
            let now = RTDS_NOW.wrapping_add(u32::from(next()) << 16);
            let device = m.device;
            let r = m.handle(
                &ctx(MessageCode::CCS01, device, now),
                &request,
                &mut fake_encrypt,
            );
            assert!(!r.response.components.is_empty(), "{content:02X?}");
            let bytes = r.response.to_bytes();
            assert!(gbz::decode(&bytes, 0, CraFlag::Response).is_ok());
        }
    }
}

// ---------------------------------------------------------------------------------------
// Corpus structure check

#[derive(Default)]
struct Tally {
    matched: usize,
    total: usize,
}

/// Files of one exchange: `<UC>_<SR>_<VARIANT>_COMMAND_GBCS.HEX` and its RESPONSE.
fn exchanges(dir: &Path) -> Vec<(String, String, PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for path in crate::corpus::hex_files(dir) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix("_COMMAND_GBCS.HEX") else {
            continue;
        };
        if stem.ends_with("_PRE") || name.contains("PRECOMMAND") {
            continue;
        }
        let response = path.with_file_name(format!("{stem}_RESPONSE_GBCS.HEX"));
        if !response.is_file() {
            continue;
        }
        let mut parts = stem.splitn(3, '_');
        let use_case = parts.next().unwrap_or_default().to_string();
        let _sr = parts.next();
        let variant = parts.next().unwrap_or_default().to_string();
        out.push((use_case, variant, path, response));
    }
    out
}

fn context_of(message: &Message, now: u32) -> CommandContext {
    let h = message.frame.header();
    let oi = &h.other_information;
    CommandContext {
        message_code: h.message_code().unwrap_or(MessageCode(0)),
        counter: h.counter,
        originator: h.originator,
        data_recipient: oi.supplementary_remote_party().unwrap_or(h.originator),
        device: h.recipient,
        now,
    }
}

/// The first place two shapes differ, as a short path.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, path: &str) -> String {
    crate::sim::shape::first_difference(a, b, path).unwrap_or_else(|| format!("{path}: ?"))
}

/// A short description of a payload's components: cluster/command/status per component.
fn summary(p: &Payload) -> String {
    let Payload::Gbz(g) = p else {
        return "not GBZ".into();
    };
    g.components
        .iter()
        .map(|c| {
            let name = c.zcl().command.unwrap_or("?");
            match c.payload() {
                Some(ZclPayload::DefaultResponse {
                    command_id, status, ..
                }) => format!("DR({command_id:02X},{:02X})", status.0),
                _ => name.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first recorded 0xC0 in a response, as the fault that produces it.
fn recorded_fault(recorded: &gbz::GbzPayload, command: &gbz::GbzPayload) -> Option<Fault> {
    for c in &recorded.components {
        let tsn = c.zcl().tsn;
        let attribute = match c.payload() {
            Some(ZclPayload::DefaultResponse { status, .. }) if status.0 == 0xC0 => None,
            Some(ZclPayload::ReadAttributesResponse { records, .. }) => {
                match records.iter().find(|r| r.status.0 == 0xC0) {
                    Some(r) => Some(r.attribute.id),
                    None => continue,
                }
            }
            _ => continue,
        };
        let component = command.components.iter().position(|k| k.zcl().tsn == tsn)?;
        return Some(Fault {
            component,
            attribute,
        });
    }
    None
}

struct Corpus {
    keys: crate::crypto::KeyStore,
}

impl Corpus {
    fn load() -> Option<Corpus> {
        let (Some(_), Some(kdir)) = (crate::corpus::messages_dir(), crate::corpus::keystore_dir())
        else {
            eprintln!("RTDS corpus or key store absent: skipping the GSME corpus check");
            return None;
        };
        let keys = crate::crypto::KeyStore::load_dir(&kdir).expect("key store loads");
        Some(Corpus { keys })
    }

    fn inspect(&self, bytes: &[u8]) -> Message {
        crate::inspect::Inspector::new(&self.keys, None)
            .inspect(bytes)
            .expect("frame decodes")
            .message
    }

    /// Runs the model on a command and returns its response as a recorded response would be
    /// seen: encrypted with the RTDS keys in the recorded response's frame, encoded, then
    /// decoded and decrypted by the inspector.
    fn respond(
        &self,
        meter: &mut GasMeter,
        command: &Message,
        recorded: &Message,
    ) -> (Payload, GasReply) {
        let Ok(Payload::Gbz(request)) = &command.payload else {
            panic!("not GBZ")
        };
        let ctx = context_of(command, RTDS_NOW);
        let frame = recorded.frame.clone();
        let keys = &self.keys;
        let mut encrypt = |plain: &[u8]| {
            crate::crypto::protect::encrypt_block(keys, &frame, 0, plain)
                .expect("RTDS keys encrypt the response")
        };
        let reply = meter.handle(&ctx, request, &mut encrypt);
        let mine = Message {
            frame: recorded.frame.clone(),
            payload: Ok(Payload::Gbz(reply.response.clone())),
        };
        let seen = self.inspect(&mine.encode());
        (seen.payload.expect("model response decodes"), reply)
    }
}

#[test]
fn corpus_responses_match_recorded_structure() {
    let Some(corpus) = Corpus::load() else {
        return;
    };
    let dir = crate::corpus::messages_dir().unwrap();
    let mut per_uc: BTreeMap<String, (Tally, Tally, Tally)> = BTreeMap::new();
    let mut mismatches = Vec::new();
    let mut error_notes = Vec::new();
    for (uc, variant, cmd_path, resp_path) in exchanges(&dir) {
        let cmd = decode_message(&crate::corpus::read_hex_file(&cmd_path).unwrap()).unwrap();
        let Ok(Payload::Gbz(request)) = &cmd.payload else {
            continue;
        };
        let recorded = corpus.inspect(&crate::corpus::read_hex_file(&resp_path).unwrap());
        let Ok(recorded_payload) = &recorded.payload else {
            continue;
        };
        let device = cmd.frame.header().recipient;
        let kind = GasDevice::from_entity(device);
        let fresh_meter = || {
            if variant.contains("NOT_FOUND") {
                GasMeter::new(device, kind)
            } else {
                GasMeter::in_service(device, kind, RTDS_NOW)
            }
        };
        let expected = shape(recorded_payload);
        let (mine, _) = corpus.respond(&mut fresh_meter(), &cmd, &recorded);
        let same = shape(&mine) == expected;
        let error = variant.contains("ERROR");
        let entry = per_uc.entry(uc.clone()).or_default();
        let tally = if error { &mut entry.1 } else { &mut entry.0 };
        tally.total += 1;
        tally.matched += usize::from(same);
        if !same {
            let line = format!(
                "{uc} {variant}: {}\n      model:    {}\n      recorded: {}",
                first_difference(&shape(&mine), &expected, ""),
                summary(&mine),
                summary(recorded_payload)
            );
            if error {
                error_notes.push(line);
            } else {
                mismatches.push(line);
            }
        }
        if error {
            // The same exchange with the recorded hardware fault injected.
            let Payload::Gbz(rec) = recorded_payload else {
                continue;
            };
            if let Some(fault) = recorded_fault(rec, request) {
                let mut meter = fresh_meter();
                meter.inject_fault(fault);
                let (mine, _) = corpus.respond(&mut meter, &cmd, &recorded);
                entry.2.total += 1;
                entry.2.matched += usize::from(shape(&mine) == expected);
                if shape(&mine) != expected {
                    error_notes.push(format!(
                        "{uc} {variant} (fault injected): {}",
                        first_difference(&shape(&mine), &expected, "")
                    ));
                }
            }
        }
    }
    let mut sums = [0usize; 6];
    eprintln!("use case: non-ERROR matched/total | ERROR healthy | ERROR with injected fault");
    for (uc, (ok, err, fault)) in &per_uc {
        eprintln!(
            "  {uc:8} {}/{} | {}/{} | {}/{}",
            ok.matched, ok.total, err.matched, err.total, fault.matched, fault.total
        );
        for (i, v) in [
            ok.matched,
            ok.total,
            err.matched,
            err.total,
            fault.matched,
            fault.total,
        ]
        .into_iter()
        .enumerate()
        {
            sums[i] += v;
        }
    }
    eprintln!(
        "  total    {}/{} | {}/{} | {}/{}",
        sums[0], sums[1], sums[2], sums[3], sums[4], sums[5]
    );
    for m in &mismatches {
        eprintln!("MISMATCH {m}");
    }
    for m in &error_notes {
        eprintln!("ERROR variant: {m}");
    }
    assert!(sums[1] > 0, "no GBZ exchanges found");
    assert!(
        mismatches.len() <= KNOWN_NON_ERROR_MISMATCHES,
        "{} non-ERROR mismatches",
        mismatches.len()
    );
}

/// GCS15c SUCCESS asks for billing snapshots after the RTDS clock (2015-01-01) and RTDS
/// answers with snapshots dated February and March 2015; a device cannot hold snapshots
/// from its future, so the model answers NOT_FOUND there.
const KNOWN_NON_ERROR_MISMATCHES: usize = 1;

#[test]
fn corpus_future_dated_alerts_match_recorded_alerts() {
    let Some(corpus) = Corpus::load() else {
        return;
    };
    let dir = crate::corpus::messages_dir().unwrap();
    // Recorded 0x00CD alerts by (folder, original counter).
    let mut recorded: BTreeMap<(PathBuf, u64), Vec<(String, Payload)>> = BTreeMap::new();
    for path in crate::corpus::hex_files(&dir) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.contains("FUTURE_DATED") || !name.contains("_ALERT_") {
            continue;
        }
        let m = corpus.inspect(&crate::corpus::read_hex_file(&path).unwrap());
        let Ok(p @ Payload::Gbz(g)) = &m.payload else {
            continue;
        };
        let Some(AlertBody::FutureDatedOutcome {
            original_originator_counter,
            ..
        }) = g.alert.as_ref().map(|a| &a.body)
        else {
            continue;
        };
        let folder = path.parent().unwrap().to_path_buf();
        recorded
            .entry((folder, *original_originator_counter))
            .or_default()
            .push((name, p.clone()));
    }
    let (mut matched, mut total, mut produced) = (0, 0, 0);
    let mut notes = Vec::new();
    for path in crate::corpus::hex_files(&dir) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with("_COMMAND_GBCS.HEX") || name.contains("PRECOMMAND") {
            continue;
        }
        let cmd = decode_message(&crate::corpus::read_hex_file(&path).unwrap()).unwrap();
        let Ok(Payload::Gbz(request)) = &cmd.payload else {
            continue;
        };
        let h = cmd.frame.header();
        let mut meter =
            GasMeter::in_service(h.recipient, GasDevice::from_entity(h.recipient), RTDS_NOW);
        let reply = meter.handle(&context_of(&cmd, RTDS_NOW), request, &mut fake_encrypt);
        produced += reply.alerts.len();
        let key = (path.parent().unwrap().to_path_buf(), h.counter);
        let expected = recorded.get(&key).cloned().unwrap_or_default();
        if expected.is_empty() && !reply.alerts.is_empty() {
            notes.push(format!(
                "{name}: {} alerts, none recorded",
                reply.alerts.len()
            ));
        }
        for (alert_name, alert) in expected {
            total += 1;
            let Payload::Gbz(g) = &alert else { continue };
            let want = g.alert.as_ref().map(|a| &a.body);
            let Some(AlertBody::FutureDatedOutcome {
                cluster,
                command_id,
                ..
            }) = want
            else {
                continue;
            };
            let mine = reply.alerts.iter().find(|a| {
                matches!(&a.payload, Payload::Gbz(p) if matches!(
                    p.alert.as_ref().map(|x| &x.body),
                    Some(AlertBody::FutureDatedOutcome { cluster: c, command_id: i, .. })
                        if c == cluster && i == command_id
                ))
            });
            match mine {
                Some(a) if shape(&a.payload) == shape(&alert) => {
                    matched += 1;
                    let Payload::Gbz(p) = &a.payload else {
                        continue;
                    };
                    assert_eq!(a.due, Some(p.alert.as_ref().unwrap().timestamp.0));
                }
                Some(a) => notes.push(format!(
                    "{alert_name}: {}",
                    first_difference(&shape(&a.payload), &shape(&alert), "")
                )),
                None => notes.push(format!("{alert_name}: not produced")),
            }
        }
    }
    eprintln!(
        "future-dated alerts: {matched}/{total} recorded alerts matched ({produced} produced)"
    );
    for n in &notes {
        eprintln!("  {n}");
    }
    assert!(total > 0);
    // The two GCS05 calendar alerts carry FC 01 although the command used FC 09 (§3, §15).
    assert!(matched + 2 >= total, "{matched}/{total}");
}

/// Tester states (`sim::state`): an in-service meter told it holds no records answers its log
/// and snapshot Gets NOT_FOUND (not a failure: nothing is aborted), once; an unreadable
/// attribute fails its Read Attributes record with 0xC0 and aborts the rest; a failed
/// command component answers 0xC0.
#[test]
fn tester_states_apply_to_the_next_payload_only() {
    use crate::sim::state::DeviceFailure;
    let gets = "0109 02 \
        10 0705 000C 1C0E6C00 01 00 08 FEFFFFFF 05 \
        01 0705 0010 01 01 07 006C0E1C 804A371C 00 01000000";
    let mut m = GasMeter::in_service(eui(GSME), GasDevice::Gsme, RTDS_NOW);
    assert!(m.fail_next(&DeviceFailure::ZclNoRecords));
    let r = run(&mut m, MessageCode::GCS15E, RTDS_NOW, gets);
    assert_eq!(statuses(&r), vec![(0x08, 0x8B), (0x07, 0x8B)]);
    let r = run(&mut m, MessageCode::GCS15E, RTDS_NOW, gets);
    assert!(statuses(&r).is_empty(), "healthy again: {:?}", statuses(&r));

    // Read Divisor (0x0302) and Multiplier (0x0301) of Metering, then the same again.
    let reads = "0109 02 \
        00 0702 0007 00 00 00 0203 0103 \
        01 0702 0007 00 01 00 0203 0103";
    let mut m = GasMeter::new(eui(GSME), GasDevice::Gsme);
    assert!(m.fail_next(&DeviceFailure::ZclAttributeFault {
        cluster: 0x0702,
        attribute: 0x0301
    }));
    let r = run(&mut m, MessageCode::GCS13A, RTDS_NOW, reads);
    assert_eq!(read_value(&r, 0, 0x0302).0, 0x00);
    assert_eq!(read_value(&r, 0, 0x0301), (0xC0, None));
    assert_eq!(statuses(&r), vec![(0xFF, 0x01)]);

    let mut m = GasMeter::new(eui(GSME), GasDevice::Gsme);
    assert!(m.fail_next(&DeviceFailure::ZclCommandFault { component: 0 }));
    let r = run(&mut m, MessageCode::GCS13A, RTDS_NOW, reads);
    assert_eq!(statuses(&r), vec![(0x00, 0xC0), (0xFF, 0x01)]);
    // A DLMS state is not the gas meter's.
    assert!(!m.fail_next(&DeviceFailure::NoFirmwareImage));
}
