use super::*;
use crate::codec::ids::{CraFlag, EntityId, MessageCode};

const ECS42_COMMAND: &str = "DD00000000000081891100000000DF090100000000000003E80890B3D51F300100000800DB1234567890A00002004F15D9200003E8000103000900000A006AFF010112003340A76D84F6E53D8D1B7B58B8B4A69C06A1C449C48B2742AE7D9C96D24BA8E4E7C9D7FBF0595F1DFCE16F42AE59167191D02B8E5C67A50EC442A30A0A5B701D0E58EFD36E695298259FADF662FA";

fn hex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

#[test]
fn decodes_the_signed_ecs42_command() {
    let bytes = hex(ECS42_COMMAND);
    let f = decode_frame(&bytes).unwrap();
    let h = f.header();
    assert_eq!(h.cra, CraFlag::Command);
    assert_eq!(h.counter, 1000);
    assert_eq!(
        h.originator,
        "90b3d51f30010000".parse::<EntityId>().unwrap()
    );
    assert_eq!(h.recipient, "00db1234567890a0".parse::<EntityId>().unwrap());
    assert_eq!(h.message_code(), Some(MessageCode(0x004F)));
    assert_eq!(f.general_signing.content.len(), 21);
    assert_eq!(f.general_signing.content_offset, 48);
    assert!(matches!(
        f.general_signing.signature,
        SignatureField::Present(_)
    ));
    let gc = f.general_ciphering.as_ref().unwrap();
    assert_eq!(gc.mac.to_string(), "EFD36E695298259FADF662FA");
    // Offsets from the primer's worked example (framing §7.1).
    assert_eq!(f.spans.general_signing, 14..134);
    assert_eq!(f.spans.signed, 15..69);
    assert_eq!(f.encode(), bytes);
}

#[test]
fn precommand_has_no_signature_field() {
    let bytes = hex(ECS42_COMMAND);
    let pre = &bytes[14..69];
    let f = decode_frame(pre).unwrap();
    assert_eq!(f.general_signing.signature, SignatureField::Absent);
    assert!(f.general_ciphering.is_none());
    assert_eq!(f.encode(), pre);
}

#[test]
fn every_truncation_is_a_typed_error() {
    let bytes = hex(ECS42_COMMAND);
    for len in 0..bytes.len() {
        let result = decode_frame(&bytes[..len]);
        // A cut inside the DD wrapper can never parse; a bare DF cut right after its content
        // is a valid PRECOMMAND, which is not reachable from a DD prefix.
        assert!(result.is_err(), "prefix of {len} bytes decoded");
    }
}

#[test]
fn block_transfer_transaction_id_is_rejected_with_offset() {
    let mut bytes = hex(ECS42_COMMAND);
    bytes[1] = 0x01;
    let e = decode_frame(&bytes).unwrap_err();
    assert_eq!(e.offset, 1);
    assert!(e.to_string().contains("General Block Transfer"), "{e}");
}

#[test]
fn other_information_forms_by_length() {
    let mut bytes = hex(ECS42_COMMAND)[14..69].to_vec();
    // Replace the 2-byte other-information (at offset 30 of the GS) by the 18-byte form.
    let oi_at = 30;
    assert_eq!(bytes[oi_at], 2);
    let mut oi = vec![18, 0x00, 0x4F];
    oi.extend_from_slice(&hex("90B3D51F30010000"));
    oi.extend_from_slice(&7u64.to_be_bytes());
    bytes.splice(oi_at..oi_at + 3, oi);
    let f = decode_frame(&bytes).unwrap();
    match &f.header().other_information {
        OtherInformation::SupplementaryRemotePartyCounter {
            supplementary_remote_party_counter,
            ..
        } => assert_eq!(*supplementary_remote_party_counter, 7),
        other => panic!("{other:?}"),
    }
    assert_eq!(f.encode(), bytes);
}
