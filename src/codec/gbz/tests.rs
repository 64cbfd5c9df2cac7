//! Worked examples (§13, §14, PCS01), hostile input, and the corpus round trip.

use super::*;
use crate::codec::ciphered::{CipheredBlock, Decryption};

fn hx(s: &str) -> Vec<u8> {
    let cleaned: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    hex::decode(cleaned).unwrap()
}

const GCS13A_COMMAND: &str = "0109 01 01 0702 000B 00 00 00 0203 0103 0003 0000";
const GCS13A_RESPONSE: &str = "0109 01 03 0702 0035 00 00 18 00 01 002E 3100000000
    4F09E4C663039DBC1AC6E41687ACF517E94A67906E819BAEADE786602F C6BE7509E30300A9CCBA6CDA";
const GCS13A_PLAINTEXT: &str =
    "0203 00 22 E80300  0103 00 22 010000  0003 00 30 01  0000 00 25 393000000000";
const FUTURE_DATED_ALERT: &str = "0109 01 8F66 38818890 0E 006B 00000000000003ED 0700 09 05";
const GENERIC_ALERT: &str = "0109 00 8F30 1C374A80";
const PCS01_COMMAND: &str =
    "0109 01 01 0705 0019 01 00 04 02 14 3733393431363536383830393530383034343835";
const PCS01_RESPONSE: &str = "0109 01 01 0705 000D 09 00 03 00 28E61E00 02 C80B4500";

fn round_trip(content: &[u8], cra: CraFlag) -> GbzPayload {
    let p = decode(content, 100, cra).unwrap();
    assert_eq!(p.to_bytes(), content, "re-encoding differs");
    p
}

fn fields(p: &GbzPayload, i: usize) -> &Fields {
    match p.components[i].payload() {
        Some(ZclPayload::Command { fields }) => fields,
        other => panic!("component {i} is not a typed command: {other:?}"),
    }
}

fn num(f: &Fields, name: &str) -> u64 {
    f.get(name)
        .and_then(Value::as_u64)
        .unwrap_or_else(|| panic!("no numeric field {name}"))
}

#[test]
fn gcs13a_command_reads_four_metering_attributes() {
    let p = round_trip(&hx(GCS13A_COMMAND), CraFlag::Command);
    assert_eq!(p.component_count, 1);
    let c = &p.components[0];
    assert!(c.control.last() && !c.control.encrypted());
    assert_eq!(c.cluster, ClusterId(0x0702));
    assert_eq!(c.zcl().command, Some("ReadAttributes"));
    assert_eq!(c.zcl().frame_control.direction(), Direction::ClientToServer);
    let Some(ZclPayload::ReadAttributes { attributes }) = c.payload() else {
        panic!("not ReadAttributes");
    };
    let ids: Vec<_> = attributes.iter().map(|a| (a.id, a.name.unwrap())).collect();
    assert_eq!(
        ids,
        [
            (0x0302, "Divisor"),
            (0x0301, "Multiplier"),
            (0x0300, "UnitOfMeasure"),
            (0x0000, "CurrentSummationDelivered"),
        ]
    );
    let json = serde_json::to_string(&p).unwrap();
    assert!(
        json.contains("\"Metering\"") && json.contains("client_to_server"),
        "{json}"
    );
}

#[test]
fn gcs13a_response_is_encrypted_and_decrypts_to_read_attributes_response() {
    let content = hx(GCS13A_RESPONSE);
    let mut p = round_trip(&content, CraFlag::Response);
    let c = &p.components[0];
    let ComponentBody::Encrypted {
        additional_header_control,
        additional_header_frame_counter,
        zcl,
        block,
        decrypted,
    } = &c.body
    else {
        panic!("not encrypted");
    };
    assert_eq!(
        (*additional_header_control, *additional_header_frame_counter),
        (0, 0)
    );
    assert_eq!(
        (zcl.frame_control.0, zcl.tsn, zcl.command_id),
        (0x18, 0, 0x01)
    );
    assert_eq!(zcl.command, Some("ReadAttributesResponse"));
    assert_eq!(block.security_control, 0x31);
    assert_eq!(block.ciphertext.len(), 29);
    assert!(decrypted.is_none());
    let expected_ct = block.ciphertext.clone();

    let plaintext = hx(GCS13A_PLAINTEXT);
    let mut calls = 0;
    let stats = p.decrypt_blocks(&mut |b: &CipheredBlock| {
        calls += 1;
        assert_eq!(b.ciphertext, expected_ct);
        Decryption::Plaintext(plaintext.clone())
    });
    assert_eq!(calls, 1);
    assert_eq!(
        (stats.blocks, stats.decrypted, stats.plaintext_undecodable),
        (1, 1, 0)
    );
    let Some(ZclPayload::ReadAttributesResponse { records, undecoded }) = p.components[0].payload()
    else {
        panic!("plaintext not decoded");
    };
    assert!(undecoded.is_none());
    let got: Vec<_> = records
        .iter()
        .map(|r| {
            (
                r.attribute.id,
                r.status,
                r.value.as_ref().and_then(Value::as_u64),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (0x0302, Status::SUCCESS, Some(1000)),
            (0x0301, Status::SUCCESS, Some(1)),
            (0x0300, Status::SUCCESS, Some(1)),
            (0x0000, Status::SUCCESS, Some(12345)),
        ]
    );
    assert_eq!(records[3].data_type.unwrap().name(), Some("uint48"));
    // The decrypted view is extra: encoding still gives the ciphertext bytes.
    assert_eq!(p.to_bytes(), content);
    let json = serde_json::to_string(&p).unwrap();
    assert!(
        json.contains("\"decrypted\"") && json.contains("\"uint24\""),
        "{json}"
    );
}

#[test]
fn decrypt_blocks_counts_missing_keys_and_bad_tags() {
    let mut p = decode(&hx(GCS13A_RESPONSE), 0, CraFlag::Response).unwrap();
    let stats = p.decrypt_blocks(&mut |_| Decryption::NoKey);
    assert_eq!((stats.blocks, stats.no_key), (1, 1));
    let stats = p.decrypt_blocks(&mut |_| Decryption::AuthenticationFailed);
    assert_eq!((stats.blocks, stats.authentication_failed), (1, 1));
    assert!(p.components[0].payload().is_none());
    // A plaintext that does not fit the layout is kept raw and reported.
    let stats = p.decrypt_blocks(&mut |_| Decryption::Plaintext(vec![0x02, 0x03, 0x00, 0x22]));
    assert_eq!(stats.plaintext_undecodable, 1);
    assert!(p.components[0].payload().unwrap().is_raw());
}

#[test]
fn error_variant_attribute_status_has_no_value() {
    // ERROR variant of GCS13a: first record `02 03 C0`.
    let payload = hx("0203 C0 0103 00 22 010000");
    let header = ZclHeader::new(0x0702, 0x18, 0, 0x01);
    let p = ZclPayload::decode(&payload, 0, 0x0702, &header);
    let ZclPayload::ReadAttributesResponse { records, .. } = &p else {
        panic!("{p:?}");
    };
    assert_eq!(records[0].status.name(), Some("HARDWARE_FAILURE"));
    assert!(records[0].value.is_none());
    let mut out = Vec::new();
    p.encode(&mut out);
    assert_eq!(out, payload);
}

#[test]
fn unknown_data_type_keeps_the_rest_raw() {
    let payload = hx("0003 00 30 01  0000 00 48 0102 0304");
    let header = ZclHeader::new(0x0702, 0x08, 0, 0x01);
    let p = ZclPayload::decode(&payload, 0, 0x0702, &header);
    let ZclPayload::ReadAttributesResponse { records, undecoded } = &p else {
        panic!("{p:?}");
    };
    assert_eq!(records.len(), 1);
    assert_eq!(undecoded.as_ref().unwrap().as_slice(), &payload[5..]);
    assert!(p.is_raw());
    let mut out = Vec::new();
    p.encode(&mut out);
    assert_eq!(out, payload);
}

#[test]
fn future_dated_alert_names_the_executed_component() {
    let p = round_trip(&hx(FUTURE_DATED_ALERT), CraFlag::Alert);
    assert_eq!(p.alert_code(), Some(0x8F66));
    assert!(p.components.is_empty());
    let a = p.alert.as_ref().unwrap();
    assert_eq!(a.timestamp.iso(), "2030-01-15T09:00:00Z");
    let AlertBody::FutureDatedOutcome {
        original_message_code,
        original_originator_counter,
        cluster,
        command,
        ..
    } = &a.body
    else {
        panic!("{:?}", a.body);
    };
    assert_eq!(*original_message_code, 0x006B);
    assert_eq!(*original_originator_counter, 1005);
    assert_eq!(cluster.name(), Some("Price"));
    assert_eq!(*command, Some("PublishPriceMatrix"));
    let json = serde_json::to_string(&p).unwrap();
    assert!(json.contains("PublishPriceMatrix") && json.contains("2030-01-15T09:00:00Z"));
}

#[test]
fn calendar_alert_with_client_fc_still_names_the_command() {
    // GCS05 calendar alerts carry FC 01 although the command used 09 (§3).
    let content = hx("0109 01 8F66 38818890 0E 006F 00000000000003E9 0707 01 00");
    let p = round_trip(&content, CraFlag::Alert);
    let AlertBody::FutureDatedOutcome { command, .. } = &p.alert.unwrap().body else {
        panic!();
    };
    assert_eq!(*command, Some("PublishCalendar"));
}

#[test]
fn generic_alert_is_nine_bytes() {
    let p = round_trip(&hx(GENERIC_ALERT), CraFlag::Alert);
    let a = p.alert.as_ref().unwrap();
    assert_eq!(a.alert_code, AlertCode(0x8F30));
    assert_eq!(a.timestamp.iso(), "2015-01-01T00:00:00Z");
    assert_eq!(a.body, AlertBody::Empty);
    assert_eq!(p.component_count, 0);
}

#[test]
fn other_alert_bodies() {
    let p = round_trip(&hx("0109 01 81A0 1C374A80 0005"), CraFlag::Alert);
    assert_eq!(p.alert.unwrap().body, AlertBody::OtherInfo { code: 5 });
    let mut fdra = hx("0109 01 8F72 1C374A80 09 20");
    fdra.extend_from_slice(&[0xA1; 32]);
    let p = round_trip(&fdra, CraFlag::Alert);
    assert!(matches!(
        p.alert.unwrap().body,
        AlertBody::FirmwareHash { .. }
    ));
    // An unknown code with components after the header (GCS53 form).
    let mut gcs53 = hx("0109 01 8F99 1C374A80");
    gcs53.extend_from_slice(&hx(PCS01_RESPONSE)[3..]);
    let p = round_trip(&gcs53, CraFlag::Alert);
    assert_eq!(p.alert.as_ref().unwrap().body, AlertBody::Components);
    assert_eq!(p.components.len(), 1);
    // An unknown code with an unknown body is kept.
    let p = round_trip(&hx("0109 00 8F99 1C374A80 ABCDEF"), CraFlag::Alert);
    assert!(matches!(p.alert.unwrap().body, AlertBody::Raw { .. }));
}

#[test]
fn pcs01_top_up_and_response() {
    let p = round_trip(&hx(PCS01_COMMAND), CraFlag::Command);
    assert_eq!(p.components[0].zcl().command, Some("ConsumerTopUp"));
    let f = fields(&p, 0);
    assert_eq!(num(f, "originating_device"), 2);
    let Some(Value::OctetString(code)) = f.get("top_up_code") else {
        panic!();
    };
    assert_eq!(code.as_slice(), b"73941656880950804485");

    let p = round_trip(&hx(PCS01_RESPONSE), CraFlag::Response);
    assert_eq!(p.components[0].zcl().command, Some("ConsumerTopUpResponse"));
    let f = fields(&p, 0);
    assert_eq!(
        f.get("top_up_value"),
        Some(&Value::Int {
            width: 4,
            value: 2_025_000
        })
    );
    assert_eq!(
        f.get("credit_remaining"),
        Some(&Value::Int {
            width: 4,
            value: 4_525_000
        })
    );
    let json = serde_json::to_value(&p).unwrap();
    let payload = &json["components"][0]["body"]["payload"];
    assert_eq!(payload["kind"], "command");
    assert_eq!(payload["fields"]["top_up_value"], 2_025_000);
}

#[test]
fn from_date_time_precedes_the_zcl_frame() {
    // GCS05 SetLowCreditWarningLevel with a From Date Time.
    let content = hx("0109 01 11 0705 000B 38818890 01 02 09 404B4C00");
    let p = round_trip(&content, CraFlag::Command);
    let c = &p.components[0];
    assert_eq!(c.from_date_time.unwrap().iso(), "2030-01-15T09:00:00Z");
    assert_eq!(num(fields(&p, 0), "low_credit_warning_level"), 5_000_000);
}

#[test]
fn unknown_command_is_kept_raw_with_its_ids() {
    let content = hx("0109 01 01 0705 0006 01 07 7F AABBCC");
    let p = round_trip(&content, CraFlag::Command);
    let c = &p.components[0];
    assert_eq!(c.zcl().command_id, 0x7F);
    assert_eq!(
        c.payload(),
        Some(&ZclPayload::Raw {
            bytes: hx("AABBCC").into(),
            reason: None
        })
    );
}

#[test]
fn known_command_with_wrong_length_is_kept_raw_with_reason() {
    let content = hx("0109 01 01 0705 0006 01 00 04 02 14 31");
    let p = round_trip(&content, CraFlag::Command);
    let Some(ZclPayload::Raw { reason, .. }) = p.components[0].payload() else {
        panic!();
    };
    let err = reason.as_ref().unwrap();
    assert_eq!(err.offset, 100 + 3 + 5 + 3 + 2);
    assert!(err.to_string().contains("top_up_code"), "{err}");
}

#[test]
fn wrong_profile_and_trailing_bytes_are_errors() {
    assert!(decode(&hx("0108 00"), 0, CraFlag::Command).is_err());
    let mut c = hx(PCS01_RESPONSE);
    c.push(0);
    let err = decode(&c, 7, CraFlag::Response).unwrap_err();
    assert_eq!(err.offset, 7 + c.len() - 1);
}

#[test]
fn every_truncation_is_an_error() {
    let samples = [
        (GCS13A_COMMAND, CraFlag::Command),
        (GCS13A_RESPONSE, CraFlag::Response),
        (FUTURE_DATED_ALERT, CraFlag::Alert),
        (GENERIC_ALERT, CraFlag::Alert),
        (PCS01_COMMAND, CraFlag::Command),
        (PCS01_RESPONSE, CraFlag::Response),
    ];
    for (hex_text, cra) in samples {
        let full = hx(hex_text);
        for n in 0..full.len() {
            assert!(
                decode(&full[..n], 0, cra).is_err(),
                "{hex_text} truncated to {n} bytes decoded"
            );
        }
    }
}

#[test]
fn mutated_inputs_never_panic_and_round_trip_when_accepted() {
    let samples = [
        GCS13A_COMMAND,
        GCS13A_RESPONSE,
        FUTURE_DATED_ALERT,
        PCS01_COMMAND,
        PCS01_RESPONSE,
    ];
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for s in samples {
        let base = hx(s);
        for _ in 0..2000 {
            let mut m = base.clone();
            for _ in 0..1 + next() % 3 {
                let i = (next() as usize) % m.len();
                m[i] = next() as u8;
            }
            for cra in [CraFlag::Command, CraFlag::Alert] {
                if let Ok(p) = decode(&m, 0, cra) {
                    assert_eq!(p.to_bytes(), m);
                    let _ = serde_json::to_string(&p).unwrap();
                }
            }
        }
    }
}

// ---- corpus ----

/// Content bytes, their absolute offset and the CRA flag of a corpus frame.
fn frame_content(frame: &[u8]) -> Option<(Vec<u8>, usize, CraFlag)> {
    let f = crate::codec::frame::decode_frame(frame).ok()?;
    let gs = f.general_signing;
    Some((gs.content.0, gs.content_offset, gs.header.cra))
}

/// Every (cluster, cluster-specific?, server→client?, command) of §12.
const SECTION_12: &[(u16, bool, bool, u8)] = &[
    (0x0000, false, false, 0x00),
    (0x0000, false, true, 0x01),
    (0x0700, false, false, 0x00),
    (0x0700, false, false, 0x0B),
    (0x0700, false, true, 0x01),
    (0x0700, false, true, 0x0B),
    (0x0700, true, false, 0x00),
    (0x0700, true, false, 0x0B),
    (0x0700, true, true, 0x00),
    (0x0700, true, true, 0x01),
    (0x0700, true, true, 0x04),
    (0x0700, true, true, 0x05),
    (0x0700, true, true, 0x06),
    (0x0700, true, true, 0x09),
    (0x0702, false, false, 0x00),
    (0x0702, false, true, 0x01),
    (0x0702, false, true, 0x0B),
    (0x0702, true, false, 0x06),
    (0x0702, true, false, 0x07),
    (0x0702, true, false, 0x08),
    (0x0702, true, false, 0x0B),
    (0x0702, true, false, 0x0D),
    (0x0702, true, false, 0x0E),
    (0x0702, true, true, 0x06),
    (0x0702, true, true, 0x07),
    (0x0702, true, true, 0x0C),
    (0x0702, true, true, 0x0D),
    (0x0703, false, false, 0x0B),
    (0x0703, true, true, 0x00),
    (0x0705, false, false, 0x00),
    (0x0705, false, true, 0x01),
    (0x0705, false, true, 0x0B),
    (0x0705, true, false, 0x00),
    (0x0705, true, false, 0x02),
    (0x0705, true, false, 0x03),
    (0x0705, true, false, 0x04),
    (0x0705, true, false, 0x05),
    (0x0705, true, false, 0x06),
    (0x0705, true, false, 0x07),
    (0x0705, true, false, 0x08),
    (0x0705, true, false, 0x09),
    (0x0705, true, false, 0x0A),
    (0x0705, true, false, 0x0B),
    (0x0705, true, false, 0x0C),
    (0x0705, true, true, 0x01),
    (0x0705, true, true, 0x02),
    (0x0705, true, true, 0x03),
    (0x0705, true, true, 0x05),
    (0x0705, true, true, 0x06),
    (0x0707, false, false, 0x0B),
    (0x0707, false, true, 0x0B),
    (0x0707, true, false, 0x01),
    (0x0707, true, false, 0x02),
    (0x0707, true, false, 0x03),
    (0x0707, true, false, 0x04),
    (0x0707, true, true, 0x00),
    (0x0707, true, true, 0x01),
    (0x0707, true, true, 0x02),
    (0x0707, true, true, 0x03),
    (0x0707, true, true, 0x04),
    (0x0708, false, false, 0x0B),
    (0x0708, false, true, 0x0B),
    (0x0708, true, false, 0x04),
    (0x0708, true, true, 0x00),
    (0x0708, true, true, 0x01),
    (0x0708, true, true, 0x02),
    (0x0708, true, true, 0x03),
    (0x0708, true, true, 0x04),
    (0x0708, true, true, 0x05),
    (0x0708, true, true, 0x06),
    (0x0709, false, true, 0x0B),
    (0x0709, true, false, 0x00),
    (0x0709, true, false, 0x01),
    (0x0709, true, true, 0x01),
    (0x0709, true, true, 0x02),
];

#[test]
fn corpus_gbz_round_trips_and_section_12_is_typed() {
    use std::collections::BTreeMap;
    let Some(messages) = crate::corpus::load_messages() else {
        return;
    };
    let mut payloads = 0;
    let mut components = 0;
    let mut typed = 0;
    let mut encrypted = 0;
    let mut alerts = 0;
    // (cluster, cluster-specific, s2c, cmd) → (count, raw count)
    let mut seen: BTreeMap<(u16, bool, bool, u8), (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for m in &messages {
        let Some((content, offset, cra)) = frame_content(&m.bytes) else {
            continue;
        };
        if !content.starts_with(&[0x01, 0x09]) {
            continue;
        }
        payloads += 1;
        let p = match decode(&content, offset, cra) {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{}: {e}", m.file_name()));
                continue;
            }
        };
        if p.to_bytes() != content {
            failures.push(format!("{}: re-encoding differs", m.file_name()));
        }
        serde_json::to_string(&p).unwrap();
        alerts += usize::from(p.alert.is_some());
        for c in &p.components {
            components += 1;
            let z = c.zcl();
            let key = (
                c.cluster.0,
                z.frame_control.is_cluster_specific(),
                z.frame_control.server_to_client(),
                z.command_id,
            );
            let entry = seen.entry(key).or_default();
            entry.0 += 1;
            if c.is_encrypted() {
                encrypted += 1;
                continue;
            }
            match c.payload() {
                Some(pl) if !pl.is_raw() => typed += 1,
                pl => {
                    entry.1 += 1;
                    if SECTION_12.contains(&key) {
                        failures.push(format!("{}: {key:04X?} raw: {pl:?}", m.file_name()));
                    }
                }
            }
        }
    }
    eprintln!(
        "GBZ corpus: {payloads} payloads ({alerts} alerts), {components} components, \
         {typed} typed clear, {encrypted} encrypted, {} raw",
        components - typed - encrypted
    );
    for (k, (n, raw)) in &seen {
        eprintln!("  {k:04X?}: {n} ({raw} raw)");
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(payloads, 309);
    assert_eq!(components, 1155);
    assert_eq!(encrypted, 40);
    let unseen: Vec<_> = SECTION_12
        .iter()
        .filter(|k| !seen.contains_key(k))
        .collect();
    assert!(unseen.is_empty(), "§12 rows not seen: {unseen:04X?}");
}

#[test]
fn unknown_snapshot_payload_type_is_reported_as_partly_raw() {
    // PublishSnapshot with payload type 9 (not in the corpus): header typed, rest kept.
    let payload = hx("01000000 804A371C 01 00 01 01000000 09 AABB");
    let header = ZclHeader::new(0x0702, 0x09, 0, 0x06);
    let p = ZclPayload::decode(&payload, 0, 0x0702, &header);
    let ZclPayload::Command { fields } = &p else {
        panic!("{p:?}");
    };
    assert_eq!(
        fields.get("snapshot_payload"),
        Some(&Value::Raw(hx("AABB").into()))
    );
    assert!(p.is_raw());
    let mut out = Vec::new();
    p.encode(&mut out);
    assert_eq!(out, payload);
}

#[test]
fn json_of_worked_examples() {
    let mut response = decode(&hx(GCS13A_RESPONSE), 0, CraFlag::Response).unwrap();
    response.decrypt_blocks(&mut |_| Decryption::Plaintext(hx(GCS13A_PLAINTEXT)));
    insta::assert_json_snapshot!("gcs13a_response_decrypted", response);
    let alert = decode(&hx(FUTURE_DATED_ALERT), 0, CraFlag::Alert).unwrap();
    insta::assert_json_snapshot!("future_dated_alert", alert);
    let top_up = decode(&hx(PCS01_COMMAND), 0, CraFlag::Command).unwrap();
    insta::assert_json_snapshot!("pcs01_command", top_up);
}
