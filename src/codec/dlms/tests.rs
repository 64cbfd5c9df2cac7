//! Worked examples from dlms.md, hostile-input checks and the corpus round trip.

use serde_json::json;

use super::*;
use crate::codec::bytes::Bytes;
use crate::codec::ciphered::{CipheredBlock, Decryption};
use crate::codec::error::DecodeErrorKind;

fn h(s: &str) -> Vec<u8> {
    hex::decode(s.split_whitespace().collect::<String>()).unwrap()
}

/// dlms.md §9.1.
const ECS17B_COMMAND: &str = "D9 20 0003E8 00 01 03 001E 00002B0208FF 01 01
    0202 0101 0205 120001 0906 00005E2C220A 0F02 120000 0202 1600 00
    0101 0202 1602 0205 0909 0400000000000003E8 0908 90B3D51F30010000 0908 00DB1234567890A0
    0900 0202 1602 0202 090102 0900";

/// dlms.md §9.2.
const ECS17B_RESPONSE: &str = "DA 20 0003E8 00 00 01
    0202 0101 0202 1602 0205 0909 0400000000000003E8 0908 00DB1234567890A0 0908 90B3D51F30010000
    0900 0202 1602 0202 090102 0900
    092B 3100000000 E3035372DDD0648ADEDB866DFF001F09450DEBD034C36C6101DC 1D3CB50D35311B344436F883
    01 03 00";

/// The 26-byte plaintext of the ECS17b response block (dlms.md §9.2).
const ECS17B_PLAINTEXT: &str = "0201 0204 060000000A 02020F00161E 060000000A 02020F001620";

/// dlms.md §6: future-dated execution alert (ECS01a).
const FUTURE_DATED_ALERT: &str = "0F 20 0007DE 00 0203 128F66 090C 07EE010FFF090000008000FF
    0913 0019 00000000000003F0 2328 00005E2C0200 06";

fn round_trip(content: &[u8]) -> DlmsApdu {
    let apdu = decode(content, 0).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        hex::encode_upper(apdu.encoded()),
        hex::encode_upper(content),
        "re-encoding differs"
    );
    apdu
}

#[test]
fn ecs17b_command() {
    let bytes = h(ECS17B_COMMAND);
    assert_eq!(bytes.len(), 97);
    let apdu = round_trip(&bytes);
    assert_eq!(apdu.kind(), ApduKind::AccessRequest);
    assert_eq!(apdu.invoke_id(), 0x3E8);
    assert_eq!(apdu.flags, 0x20);
    let specs = apdu.request_specs().unwrap();
    assert_eq!(specs.len(), 1);
    assert_eq!(specs[0].kind, SpecKind::Action);
    assert_eq!(specs[0].class_id, 30);
    assert_eq!(specs[0].obis.to_string(), "0-0:43.2.8.255");
    assert_eq!(specs[0].id, 1);
    assert_eq!(
        specs[0].target(),
        (SpecKind::Action, 30, "0-0:43.2.8.255".parse().unwrap(), 1)
    );

    let v = serde_json::to_value(&apdu).unwrap();
    assert_eq!(v["kind"], "access_request");
    assert_eq!(v["flags"], "20");
    assert_eq!(
        v["specs"][0],
        json!({"kind":"action","class_id":30,"class":"data_protection","obis":"0-0:43.2.8.255","method":1})
    );
    let entry = &v["data"][0]["value"][0]["value"][0]["value"];
    assert_eq!(entry[1]["obis"], "0-0:94.44.34.10");
    assert_eq!(entry[2], json!({"type":"integer","value":2}));
    // No ciphered block in a command.
    assert!(!serde_json::to_string(&v).unwrap().contains("ciphered"));
}

#[test]
fn ecs17b_response_holds_a_ciphered_block() {
    let bytes = h(ECS17B_RESPONSE);
    assert_eq!(bytes.len(), 110);
    let apdu = round_trip(&bytes);
    assert_eq!(apdu.kind(), ApduKind::AccessResponse);
    let results = apdu.results().unwrap();
    assert_eq!(results.len(), 1);
    assert!(results[0].is_action() && results[0].is_success());
    let Data::Structure(items) = &apdu.data().unwrap()[0] else {
        panic!("action result is not a structure")
    };
    let Data::Ciphered(c) = &items[1] else {
        panic!("last element not ciphered: {:?}", items[1])
    };
    assert_eq!(c.block.security_control, 0x31);
    assert_eq!(c.block.invocation_counter, 0);
    assert_eq!(c.block.ciphertext.len(), 26);
    assert_eq!(c.block.tag, Bytes(h("1D3CB50D35311B344436F883")));
    let v = serde_json::to_value(&apdu).unwrap();
    assert_eq!(v["results"], json!([{"kind":"action","result":"success"}]));
    assert_eq!(v["data"][0]["value"][1]["type"], "octet_string");
    assert!(v["data"][0]["value"][1].get("decrypted").is_none());
}

#[test]
fn decrypt_blocks_decodes_the_plaintext_in_place() {
    let mut apdu = decode(&h(ECS17B_RESPONSE), 0).unwrap();
    let original = apdu.encoded();
    let mut seen = Vec::new();
    let mut decryptor = |b: &CipheredBlock| {
        seen.push(b.tag.clone());
        Decryption::Plaintext(h(ECS17B_PLAINTEXT))
    };
    let stats = apdu.decrypt_blocks(&mut decryptor);
    assert_eq!((stats.blocks, stats.decrypted), (1, 1));
    assert_eq!(seen, vec![Bytes(h("1D3CB50D35311B344436F883"))]);
    let Data::Structure(items) = &apdu.data().unwrap()[0] else {
        panic!()
    };
    let Data::Ciphered(c) = &items[1] else {
        panic!()
    };
    let plain = c.decrypted.as_deref().expect("decrypted");
    assert_eq!(plain.encoded(), h(ECS17B_PLAINTEXT));
    // Decryption does not change the wire form.
    assert_eq!(apdu.encoded(), original);
    let v = serde_json::to_value(&apdu).unwrap();
    let reg = &v["data"][0]["value"][1]["decrypted"]["value"][0]["value"];
    assert_eq!(reg[0], json!({"type":"double_long_unsigned","value":10}));
    assert_eq!(reg[1]["scaler_unit"]["unit"], "Wh");

    let stats = apdu.decrypt_blocks(&mut |_: &CipheredBlock| Decryption::Plaintext(vec![0x02]));
    assert_eq!((stats.decrypted, stats.plaintext_undecodable), (1, 1));
    let stats = apdu.decrypt_blocks(&mut |_: &CipheredBlock| Decryption::NoKey);
    assert_eq!((stats.blocks, stats.no_key), (1, 1));
}

#[test]
fn error_responses() {
    // dlms.md §5: ECS17b ERROR, one failed action.
    let apdu = round_trip(&h("DA 20 0003E9 00 00 01 00 01 0301"));
    assert_eq!(apdu.invoke_id(), 0x3E9);
    assert_eq!(
        serde_json::to_value(apdu.results().unwrap()).unwrap(),
        json!([{"kind":"action","result":"hardware_fault"}])
    );
    // ECS04b: ok, failed, not attempted.
    let apdu = round_trip(&h("DA 20 0003E9 00 00 03 00 00 00 03 0300 0301 03FA"));
    let names: Vec<_> = apdu
        .results()
        .unwrap()
        .iter()
        .map(|r| r.result_name().unwrap())
        .collect();
    assert_eq!(names, ["success", "hardware_fault", "other_reason"]);
    let v = serde_json::to_value(&apdu).unwrap();
    assert_eq!(v["data"][0], json!({"type":"null_data"}));
    // Unknown codes keep their number.
    let apdu = round_trip(&h("DA 20 000001 00 00 01 00 01 0107"));
    assert_eq!(
        serde_json::to_value(apdu.results().unwrap()).unwrap(),
        json!([{"kind":"get","code":7}])
    );
}

#[test]
fn future_dated_alert() {
    let apdu = round_trip(&h(FUTURE_DATED_ALERT));
    assert_eq!(apdu.kind(), ApduKind::DataNotification);
    assert_eq!(apdu.invoke_id(), 0x7DE);
    assert_eq!(apdu.alert_code(), Some(0x8F66));
    let v = serde_json::to_value(&apdu).unwrap();
    assert_eq!(v["kind"], "data_notification");
    assert_eq!(v["alert_code"], "0x8F66");
    assert_eq!(v["body"]["value"][1]["date_time"], "2030-01-15T09:00:00");
    assert_eq!(
        v["body"]["value"][2]["value"],
        "001900000000000003F0232800005E2C020006"
    );
}

#[test]
fn get_with_selection() {
    // dlms.md §3: range selector over a profile generic.
    let content = h("D9 20 000001 00 01 04 0007 0000620104FF 02 01
        0204 0204 120001 0906 00005E2C64FF 0F02 120000 06 1C37A080 06 1C38F200 0100
        01 00");
    let apdu = round_trip(&content);
    let spec = &apdu.request_specs().unwrap()[0];
    assert_eq!(spec.kind, SpecKind::GetWithSelection);
    assert_eq!(spec.class_name(), Some("profile_generic"));
    let v = serde_json::to_value(spec).unwrap();
    assert_eq!(v["kind"], "get_with_selection");
    assert_eq!(v["attribute"], 2);
    assert_eq!(v["selector"], 1);
    assert_eq!(v["parameters"]["value"][1]["value"], 473_407_616);
}

#[test]
fn every_truncation_is_an_error() {
    for sample in [
        ECS17B_COMMAND,
        ECS17B_RESPONSE,
        FUTURE_DATED_ALERT,
        "DA 20 0003E9 00 00 03 00 00 00 03 0300 0301 03FA",
    ] {
        let bytes = h(sample);
        for len in 0..bytes.len() {
            let e = decode(&bytes[..len], 100)
                .err()
                .unwrap_or_else(|| panic!("prefix of {len} bytes decoded"));
            assert!(e.offset >= 100 && e.offset <= 100 + len, "{e}");
        }
        // Trailing garbage is reported, not dropped.
        let mut long = bytes.clone();
        long.push(0);
        let e = decode(&long, 0).unwrap_err();
        assert!(
            matches!(e.kind, DecodeErrorKind::TrailingBytes { .. }),
            "{e}"
        );
    }
}

#[test]
fn hostile_inputs() {
    // 255 specs announced, 3 bytes present.
    let e = decode(&h("D9 20000001 00 81FF 010203"), 7).unwrap_err();
    assert!(matches!(e.kind, DecodeErrorKind::Truncated { .. }), "{e}");
    assert_eq!(e.offset, 7 + 8);
    // Deeply nested notification body.
    let mut deep = h("0F 20000001 00");
    deep.extend([0x02, 0x01].repeat(64));
    deep.push(0x00);
    let e = decode(&deep, 0).unwrap_err();
    assert!(matches!(e.kind, DecodeErrorKind::TooDeep { .. }), "{e}");
    // Unknown APDU and spec choice.
    let e = decode(&h("C0 01"), 3).unwrap_err();
    assert_eq!(e.offset, 3);
    assert!(matches!(
        e.kind,
        DecodeErrorKind::UnexpectedByte { found: 0xC0, .. }
    ));
    let e = decode(&h("D9 20000001 00 01 09 0001 000000000000 02 01 00"), 0).unwrap_err();
    assert_eq!(e.offset, 7);
    // Bad OPTIONAL flag.
    let e = decode(&h("DA 20000001 00 02 00 00"), 0).unwrap_err();
    assert_eq!(e.offset, 6);
    // Arbitrary byte soup never panics.
    let mut x: u32 = 0x1234_5678;
    for _ in 0..20_000 {
        let mut buf = vec![[0xD9, 0xDA, 0x0F][(x % 3) as usize]];
        for _ in 0..(x % 40) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            buf.push(x as u8);
        }
        if let Ok(a) = decode(&buf, 0) {
            assert_eq!(a.encoded(), buf);
        }
        x = x.wrapping_mul(2_654_435_761).wrapping_add(1);
    }
}

/// The content of a corpus frame and its absolute offset.
fn frame_content(frame: &[u8]) -> Option<(Vec<u8>, usize)> {
    let f = crate::codec::frame::decode_frame(frame).ok()?;
    Some((
        f.general_signing.content.0,
        f.general_signing.content_offset,
    ))
}

fn has_raw_compact_array(d: &Data) -> bool {
    match d {
        Data::CompactArray(ca) => matches!(ca.contents, CompactContents::Raw(_)),
        Data::Array(items) | Data::Structure(items) => items.iter().any(has_raw_compact_array),
        _ => false,
    }
}

#[test]
fn corpus_round_trip() {
    let Some(messages) = crate::corpus::load_messages() else {
        return;
    };
    let mut total = 0;
    let mut failures = Vec::new();
    let mut blocks = 0;
    let mut alerts_with_code = 0;
    for m in &messages {
        let Some((content, base)) = frame_content(&m.bytes) else {
            continue;
        };
        if !matches!(content.first(), Some(0xD9 | 0xDA | 0x0F)) {
            continue;
        }
        total += 1;
        match decode(&content, base) {
            Ok(mut apdu) => {
                if apdu.encoded() != content {
                    failures.push(format!("{}: re-encoding differs", m.file_name()));
                }
                if apdu.kind() == ApduKind::DataNotification && apdu.alert_code().is_some() {
                    alerts_with_code += 1;
                }
                if apdu
                    .data()
                    .unwrap_or_default()
                    .iter()
                    .any(has_raw_compact_array)
                {
                    failures.push(format!("{}: compact array kept raw", m.file_name()));
                }
                blocks += apdu
                    .decrypt_blocks(&mut |_: &CipheredBlock| Decryption::NoKey)
                    .blocks;
                serde_json::to_string(&apdu).unwrap();
            }
            Err(e) => failures.push(format!("{}: {e}", m.file_name())),
        }
    }
    eprintln!(
        "{}/{total} DLMS contents round-trip; {blocks} ciphered blocks; {alerts_with_code} alerts",
        total - failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(total, 646);
    assert_eq!(alerts_with_code, 59);
    assert_eq!(blocks, 17);
}

#[test]
fn the_ecs45_read_is_the_recorded_one() {
    assert_eq!(
        hex::encode_upper(super::read_supply_status(0x0102_0304)),
        "D920020304000101004600006003 0AFF030100".replace(' ', "")
    );
}
