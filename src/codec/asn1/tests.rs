use super::values::{CodeKind, Coded, GeneralizedTime, Integer, KeyUsage, Null};
use super::*;
use crate::codec::bytes::Bytes;
use crate::codec::error::DecodeErrorKind;
use crate::codec::frame::decode_frame;

fn hex(s: &str) -> Vec<u8> {
    hex::decode(s.replace(' ', "")).unwrap()
}

fn dec(content: &[u8], code: u16, cra: CraFlag) -> Asn1Payload {
    let p = decode(content, 100, MessageCode(code), cra).unwrap();
    assert_eq!(p.to_bytes(), content, "round trip");
    p
}

fn json(p: &Asn1Payload) -> serde_json::Value {
    serde_json::to_value(p).unwrap()
}

// Primer §3.1 example.
const CS02A_COMMAND: &str = "30 11 30 07 02 01 04 03 02 03 08 30 06 02 01 02 02 01 03";
// Primer §3.6 example (CS03A1).
const CS03A1_COMMAND: &str = "30 10 02 01 00 04 08 00 DB 12 34 56 78 90 9A 02 01 04";
// Primer §3.8 worked bytes.
const CS06_COMMAND: &str =
    "30 26 04 20 AA758690730934FF0685AA758690730934FF0685657788990011223344556677 02 02 03 E8";
const CS06_RESPONSE: &str = "30 09 02 01 00 04 04 01 23 AB CE";
const CS06_ALERT: &str = "30 25 02 03 00 8F 66 18 0F 32303330303131353039303030305A 02 02 03 E9 30 09 02 01 00 04 04 01 23 AB CF";
// Primer §3.11 and the corpus CS09 alert.
const CS09_ALERT: &str =
    "30 1F 02 03 00 8F 8B 18 0F 32303135303130313030303030305A 04 04 12 34 AB CD 02 01 00";
const CCS08_ALERT: &str = "30 29 02 03 00 8F 8A 18 0F 32303135303130313030303030305A 04 08 00 DB 12 34 56 78 90 A4 04 04 01 23 AB CD 02 01 00";

#[test]
fn cs02a_command_worked_example() {
    let p = dec(&hex(CS02A_COMMAND), 0x0008, CraFlag::Command);
    let Asn1Body::ProvideSecurityCredentialsCommand(c) = &*p.body else {
        panic!("{p:?}")
    };
    let cell = &c.authorising_remote_party_ta_cell_identifier;
    assert_eq!(
        cell.remote_party_role,
        Coded::new(CodeKind::RemotePartyRole, 4)
    );
    assert_eq!(cell.key_usage, KeyUsage::key_agreement());
    assert_eq!(cell.cell_usage, None);
    assert_eq!(
        c.remote_party_roles_credentials_required,
        vec![
            Coded::new(CodeKind::RemotePartyRole, 2),
            Coded::new(CodeKind::RemotePartyRole, 3)
        ]
    );
    let j = json(&p);
    assert_eq!(
        j["body"]["structure"],
        "provide_security_credentials_command"
    );
    assert_eq!(
        j["body"]["authorising_remote_party_ta_cell_identifier"]["remote_party_role"]["name"],
        "access_control_broker"
    );
    assert_eq!(
        j["body"]["authorising_remote_party_ta_cell_identifier"]["key_usage"]["name"],
        "keyAgreement"
    );
    assert_eq!(
        j["body"]["remote_party_roles_credentials_required"][1]["name"],
        "network_operator"
    );
    // CS02f carries the same payload.
    assert_eq!(
        dec(&hex(CS02A_COMMAND), 0x011B, CraFlag::Command).body,
        p.body
    );
}

#[test]
fn cs03_join_worked_example() {
    let p = dec(&hex(CS03A1_COMMAND), 0x000D, CraFlag::Command);
    let Asn1Body::JoinCommand(c) = &*p.body else {
        panic!("{p:?}")
    };
    assert_eq!(c.join_method_and_role.as_i64(), Some(0));
    assert_eq!(
        c.other_device_entity_identifier.to_string(),
        "00DB12345678909A"
    );
    assert_eq!(c.other_device_type.as_i64(), Some(4));
    assert_eq!(c.other_device_certificate, None);
    let j = json(&p);
    assert_eq!(
        j["body"]["join_method_and_role"]["name"],
        "method_a_initiator"
    );
    assert_eq!(j["body"]["other_device_type"]["parser_label"], "hcalcs");
    assert_eq!(
        j["body"]["other_device_entity_identifier"],
        "00DB12345678909A"
    );

    let r = dec(&hex("02 01 0B"), 0x00AF, CraFlag::Response);
    assert_eq!(
        json(&r)["body"]["response_code"]["parser_label"],
        "invalid_or_missing_certificate"
    );
}

#[test]
fn cs04_unjoin_worked_example() {
    let p = dec(
        &hex("04 08 01 02 03 04 05 06 07 08"),
        0x0010,
        CraFlag::Command,
    );
    assert_eq!(
        *p.body,
        Asn1Body::UnjoinCommand(UnjoinCommand {
            other_device_entity_identifier: Bytes(hex("0102030405060708")),
        })
    );
    let r = dec(&hex("02 01 01"), 0x000F, CraFlag::Response);
    assert_eq!(
        json(&r)["body"]["response_code"]["parser_label"],
        "not_in_device_log"
    );
}

#[test]
fn cs06_worked_examples() {
    let p = dec(&hex(CS06_COMMAND), 0x0012, CraFlag::Command);
    let Asn1Body::ActivateFirmwareCommand(c) = &*p.body else {
        panic!("{p:?}")
    };
    assert_eq!(c.manufacturer_image_hash.len(), 32);
    assert_eq!(c.originator_counter.as_i64(), Some(1000));
    assert_eq!(c.execution_date_time, None);

    let p = dec(&hex(CS06_RESPONSE), 0x0012, CraFlag::Response);
    assert_eq!(
        *p.body,
        Asn1Body::ActivateFirmwareResponse(ActivateFirmwareResponse {
            result: ActivateFirmwareResult::ExecutionOutcome(FirmwareExecutionOutcome {
                response_code: Coded::new(CodeKind::FirmwareActivation, 0),
                firmware_version: Bytes(hex("0123ABCE")),
            })
        })
    );
    let p = dec(&hex("05 00"), 0x0012, CraFlag::Response);
    assert!(matches!(
        *p.body,
        Asn1Body::ActivateFirmwareResponse(ActivateFirmwareResponse {
            result: ActivateFirmwareResult::CommandAccepted(Null)
        })
    ));

    let p = dec(&hex(CS06_ALERT), 0x00CA, CraFlag::Alert);
    let Asn1Body::ActivateFirmwareAlert(a) = &*p.body else {
        panic!("{p:?}")
    };
    assert_eq!(a.alert_code.as_i64(), Some(0x8F66));
    assert_eq!(
        a.execution_date_time,
        GeneralizedTime("20300115090000Z".into())
    );
    assert_eq!(a.originator_counter.as_i64(), Some(1001));
    assert_eq!(a.execution_outcome.firmware_version.to_string(), "0123ABCF");
    let j = json(&p);
    assert_eq!(j["body"]["alert_code"]["hex"], "0x8F66");
    assert_eq!(j["body"]["execution_date_time"], "20300115090000Z");
}

#[test]
fn ccs08_worked_example() {
    let p = dec(&hex(CCS08_ALERT), 0x0128, CraFlag::Alert);
    assert_eq!(
        *p.body,
        Asn1Body::FirmwareTransferAlert(FirmwareTransferAlert {
            alert_code: Coded::new(CodeKind::AlertCode, 0x8F8A),
            execution_date_time: GeneralizedTime("20150101000000Z".into()),
            entity_identifier: Bytes(hex("00DB1234567890A4")),
            firmware_version: Bytes(hex("0123ABCD")),
            response_code: Coded::new(CodeKind::Plain, 0),
        })
    );
}

#[test]
fn cs07_error_response_and_null_command() {
    let p = dec(&hex("30 03 02 01 01"), 0x0013, CraFlag::Response);
    let Asn1Body::ReadDeviceJoinDetailsResponse(r) = &*p.body else {
        panic!("{p:?}")
    };
    assert_eq!(r.device_log_entries, None);
    assert_eq!(json(&p)["body"]["response_code"]["name"], "read_failure");
    let p = dec(&hex("05 00"), 0x0013, CraFlag::Command);
    assert!(matches!(*p.body, Asn1Body::ReadDeviceJoinDetailsCommand(_)));
}

#[test]
fn cs08_alert_parser_layout() {
    // The CS09 layout under the CS08 code, as the reference parser expects.
    let bytes = hex(&CS09_ALERT.replace("8F 8B", "8F 8C"));
    let p = dec(&bytes, 0x0129, CraFlag::Alert);
    let j = json(&p);
    assert_eq!(j["body"]["structure"], "read_firmware_version_alert");
    assert_eq!(j["body"]["result"]["name"], "success");
    let p = dec(&hex(CS09_ALERT), 0x012B, CraFlag::Alert);
    assert_eq!(json(&p)["body"]["activate_image_result"], 0);
}

#[test]
fn hand_built_structure_encodes() {
    // A simulator builds a structure rather than decoding one.
    let body = Asn1Body::SetClockResponse(SetClockResponse {
        device_time: GeneralizedTime("20240101000000Z".into()),
        device_time_status: Coded::new(CodeKind::DeviceTimeStatus, 0),
    });
    let p = Asn1Payload {
        body: Box::new(body),
        non_minimal_lengths: vec![],
    };
    let bytes = p.to_bytes();
    assert_eq!(
        bytes,
        hex("30 14 18 0F 32303234303130313030303030305A 02 01 00")
    );
    assert_eq!(dec(&bytes, 0x007F, CraFlag::Response), p);
    let big = Integer(Bytes(hex("00FFFFFFFFFFFFFFFF")));
    assert_eq!(serde_json::to_value(&big).unwrap(), "00FFFFFFFFFFFFFFFF");
}

#[test]
fn unknown_code_and_schema_mismatch_fall_back_losslessly() {
    let p = dec(&hex(CS03A1_COMMAND), 0x4242, CraFlag::Command);
    let Asn1Body::Generic(g) = &*p.body else {
        panic!("{p:?}")
    };
    assert!(g.schema_mismatch.is_none());
    assert_eq!(g.elements.len(), 1);

    // A join command sent under the CS02a code: valid DER, wrong shape.
    let p = dec(&hex(CS03A1_COMMAND), 0x0008, CraFlag::Command);
    let Asn1Body::Generic(g) = &*p.body else {
        panic!("{p:?}")
    };
    let e = g.schema_mismatch.as_ref().unwrap();
    assert_eq!(e.offset, 102, "{e}"); // base 100 + 2: the INTEGER where a SEQUENCE belongs
    let j = json(&p);
    assert_eq!(j["body"]["structure"], "generic");
    assert_eq!(j["body"]["elements"][0]["tag"], "30");
    assert_eq!(
        j["body"]["elements"][0]["constructed"][1]["primitive"],
        "00DB12345678909A"
    );

    // Trailing bytes after the typed structure also fall back.
    let mut two = hex("02 01 00");
    two.extend(hex("02 01 00"));
    let p = dec(&two, 0x000F, CraFlag::Response);
    assert!(!p.is_typed());
}

#[test]
fn non_minimal_lengths_are_kept() {
    // CS02b response with the outer SEQUENCE length written `82 00 xx` as some devices do.
    let content = hex("30 82 00 04 05 00 30 00");
    let p = decode(&content, 0, MessageCode(0x0102), CraFlag::Response).unwrap();
    assert!(!p.is_typed(), "30 00 is not an ExecutionOutcome");
    assert_eq!(p.to_bytes(), content);
    let p = dec(&hex("30 82 00 02 05 00"), 0x0102, CraFlag::Response);
    assert!(p.is_typed());
    assert_eq!(p.non_minimal_lengths.len(), 1);
    assert_eq!(p.non_minimal_lengths[0].length_octets, 2);
    assert_eq!(p.non_minimal_lengths[0].offset, 100);
}

#[test]
fn invalid_der_is_an_error_with_offset() {
    let e = decode(
        &hex("30 05 02 01 00"),
        40,
        MessageCode(0x0013),
        CraFlag::Response,
    )
    .unwrap_err();
    assert_eq!(e.offset, 42);
    assert!(matches!(e.kind, DecodeErrorKind::Truncated { .. }), "{e}");
    let e = decode(&[], 40, MessageCode(0x0013), CraFlag::Response).unwrap_err();
    assert_eq!(e.offset, 40);
}

#[test]
fn every_truncation_is_an_error_not_a_panic() {
    for sample in [
        CS02A_COMMAND,
        CS03A1_COMMAND,
        CS06_COMMAND,
        CS06_ALERT,
        CCS08_ALERT,
    ] {
        let bytes = hex(sample);
        for n in 0..bytes.len() {
            for (code, cra) in [
                (0x0008, CraFlag::Command),
                (0x000D, CraFlag::Command),
                (0x0012, CraFlag::Command),
                (0x00CA, CraFlag::Alert),
                (0x0128, CraFlag::Alert),
            ] {
                assert!(
                    decode(&bytes[..n], 0, MessageCode(code), cra).is_err(),
                    "{sample} cut at {n}"
                );
            }
        }
    }
}

#[test]
fn arbitrary_bytes_never_panic() {
    // A cheap deterministic fuzz: mutate the worked examples byte by byte.
    let mut seed: u32 = 0x1234_5678;
    for sample in [CS02A_COMMAND, CS06_ALERT, CCS08_ALERT, CS03A1_COMMAND] {
        let base = hex(sample);
        for _ in 0..2000 {
            let mut b = base.clone();
            for _ in 0..3 {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let i = (seed >> 8) as usize % b.len();
                b[i] = (seed >> 20) as u8;
            }
            if let Ok(p) = decode(&b, 0, MessageCode(0x0008), CraFlag::Command) {
                assert_eq!(p.to_bytes(), b);
            }
        }
    }
}

/// One corpus content: file name, message code, CRA, absolute content offset, bytes.
type CorpusContent = (String, MessageCode, CraFlag, usize, Vec<u8>);

/// The content bytes of every corpus message whose content is DER.
fn corpus_asn1_contents() -> Option<Vec<CorpusContent>> {
    let messages = crate::corpus::load_messages()?;
    let mut out = Vec::new();
    for m in &messages {
        let frame = decode_frame(&m.bytes).unwrap_or_else(|e| panic!("{}: {e}", m.path.display()));
        let gs = &frame.general_signing;
        let content = gs.content.as_slice();
        if !matches!(content.first(), Some(0x30 | 0x02 | 0x04 | 0x05)) {
            continue;
        }
        let code = gs.header.message_code().expect("message code");
        out.push((
            m.file_name(),
            code,
            gs.header.cra,
            gs.content_offset,
            content.to_vec(),
        ));
    }
    Some(out)
}

#[test]
fn corpus_round_trips_and_decodes_typed() {
    let Some(contents) = corpus_asn1_contents() else {
        return;
    };
    let mut fallback = Vec::new();
    let mut non_minimal = 0;
    for (name, code, cra, offset, content) in &contents {
        let p = decode(content, *offset, *code, *cra)
            .unwrap_or_else(|e| panic!("{name} {code} {cra:?}: {e}"));
        assert_eq!(&p.to_bytes(), content, "{name}");
        if !p.non_minimal_lengths.is_empty() {
            non_minimal += 1;
        }
        if let Asn1Body::Generic(g) = &*p.body {
            fallback.push(format!("{name} {code} {cra:?}: {:?}", g.schema_mismatch));
        }
        // The JSON view must serialize.
        serde_json::to_string(&p).unwrap();
    }
    eprintln!(
        "ASN.1 corpus: {} contents, {} typed, {} generic, {} with non-minimal lengths",
        contents.len(),
        contents.len() - fallback.len(),
        fallback.len(),
        non_minimal
    );
    assert_eq!(contents.len(), 149);
    assert!(fallback.is_empty(), "fell back:\n{}", fallback.join("\n"));
    assert_eq!(non_minimal, 16);
}

#[test]
fn corpus_truncations_and_mutations_never_panic() {
    let Some(contents) = corpus_asn1_contents() else {
        return;
    };
    // Every prefix, and each of the first 64 bytes changed in turn (tags and lengths).
    for (name, code, cra, _, content) in &contents {
        for n in 0..content.len() {
            assert!(
                decode(&content[..n], 0, *code, *cra).is_err(),
                "{name} cut at {n}"
            );
        }
        for i in 1..content.len().min(64) {
            let mut b = content.clone();
            b[i] = b[i].wrapping_add(1);
            if let Ok(p) = decode(&b, 0, *code, *cra) {
                assert_eq!(p.to_bytes(), b, "{name} byte {i} changed");
            }
        }
    }
}

#[test]
fn corpus_cross_checks() {
    let Some(contents) = corpus_asn1_contents() else {
        return;
    };
    for (name, code, _, _, content) in &contents {
        let p = decode(content, 0, *code, CraFlag::Command).unwrap();
        // credentialsReplacementMode follows the message code (primer §3.2).
        if let Asn1Body::UpdateSecurityCredentialsCommand(c) = &*p.body {
            let mode = c
                .authorising_remote_party_control
                .credentials_replacement_mode
                .as_i64();
            let expected = match code.0 {
                0x0102 => 2,
                0x0103 => 3,
                0x0104 => 4,
                0x0105 => 5,
                0x0106 => 6,
                0x0108 => 8,
                0x0125 => 10,
                0x0126 => 11,
                _ => continue,
            };
            assert_eq!(mode, Some(expected), "{name}");
            assert!(
                c.authorising_remote_party_control
                    .credentials_replacement_mode
                    .label()
                    .is_some(),
                "{name}"
            );
        }
    }
}
