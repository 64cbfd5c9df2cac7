//! A recorded CS02b command whose certificates `command::credentials` re-issues from the
//! default profile's store is accepted by the simulator with success; re-issuing is idempotent
//! and refuses truncated payloads. Reads the RTDS corpus (skips when it is absent).

use gbcs_harness::codec::asn1::Asn1Body;
use gbcs_harness::codec::{decode_frame, EntityId, MessageCode, Payload};
use gbcs_harness::command::credentials::reissue_certificates;
use gbcs_harness::command::template::{
    Addressing, CommandTemplate, OtherInformationTemplate, Tampering,
};
use gbcs_harness::corpus::{messages_dir, read_hex_file};
use gbcs_harness::crypto::pki::defaults::SUPPLIER;
use gbcs_harness::inspect::Inspector;
use gbcs_harness::sim::profile::{rtds_to_default, DefaultProfile};

const CS02B: &str =
    "6.15.1_CS02bSupplierBySupplier/CS02bSupplierBySupplier_6.15.1_IMMEDIATE_SUCCESS_COMMAND_GBCS.HEX";

/// The recorded CS02b command as a template readdressed to the default identities, with
/// its originator and recipient.
fn recorded_cs02b() -> Option<(CommandTemplate, EntityId, EntityId)> {
    let Some(dir) = messages_dir() else {
        println!("RTDS corpus absent: skipping");
        return None;
    };
    let path = dir.join(CS02B);
    if !path.is_file() {
        println!("{} absent: skipping", path.display());
        return None;
    }
    let frame = decode_frame(&read_hex_file(&path).unwrap()).unwrap();
    let mut template = CommandTemplate::from_frame(&frame).unwrap();
    let map = rtds_to_default();
    template.readdress(&map);
    let swap = |id: EntityId| map.iter().find(|(f, _)| *f == id).map_or(id, |(_, t)| *t);
    Some((
        template,
        swap(frame.header().originator),
        swap(frame.header().recipient),
    ))
}

#[test]
fn reissued_cs02b_is_accepted_with_success() {
    let Some((mut template, originator, recipient)) = recorded_cs02b() else {
        return;
    };
    let profile = DefaultProfile::generate().unwrap();
    let n = reissue_certificates(&mut template, profile.keys(), &rtds_to_default()).unwrap();
    assert_eq!(n, 4, "three supplier certificates and the issuing CA");

    let frame = template
        .build(
            Addressing {
                originator,
                recipient,
                counter: 0x0100_0000_0001,
            },
            profile.keys(),
            Some(profile.acb()),
            Tampering::default(),
        )
        .unwrap();
    let mut sim = profile.simulator();
    let response = sim.handle(&frame).response.expect("a response");
    let inspected = Inspector::new(profile.keys(), None)
        .inspect(&response)
        .unwrap();
    let Payload::Asn1(payload) = inspected.message.payload.unwrap() else {
        panic!("not an ASN.1 response");
    };
    let Asn1Body::UpdateSecurityCredentialsResponse(r) = *payload.body else {
        panic!("not a CS02b response: {:?}", payload.body);
    };
    let outcome = r.execution_outcome.expect("an immediate outcome");
    assert_eq!(outcome.replacement_outcomes.len(), 3);
    for o in &outcome.replacement_outcomes {
        assert_eq!(o.status.as_i64(), Some(0), "{o:?}");
        assert_eq!(
            o.replacing_subject_unique_id.as_slice(),
            SUPPLIER.as_bytes()
        );
    }
}

#[test]
fn reissuing_twice_changes_nothing_more() {
    let Some((mut template, _, _)) = recorded_cs02b() else {
        return;
    };
    let profile = DefaultProfile::generate().unwrap();
    reissue_certificates(&mut template, profile.keys(), &rtds_to_default()).unwrap();
    let once = template.clone();
    reissue_certificates(&mut template, profile.keys(), &rtds_to_default()).unwrap();
    assert_eq!(template, once);
}

fn template(code: u16, payload: Vec<u8>) -> CommandTemplate {
    CommandTemplate {
        message_code: MessageCode(code),
        other_information: OtherInformationTemplate::MessageCode,
        payload: payload.into(),
        signed: true,
    }
}

#[test]
fn truncated_payloads_are_errors() {
    let profile = DefaultProfile::generate().unwrap();
    let map = rtds_to_default();
    let full = recorded_cs02b()
        .map(|(t, _, _)| t.payload.as_slice().to_vec())
        .unwrap_or_else(|| hex::decode("3082010030").unwrap());
    for cut in [0, 1, 2, 5, full.len() / 2, full.len() - 1] {
        let mut t = template(0x0102, full[..cut].to_vec());
        let before = t.clone();
        let e = reissue_certificates(&mut t, profile.keys(), &map);
        assert!(e.is_err(), "cut at {cut}: {e:?}");
        assert_eq!(t, before);
    }
    // A CS02d whose certificate is not a certificate.
    let mut t = template(0x000B, hex::decode("3003020101").unwrap());
    assert!(reissue_certificates(&mut t, profile.keys(), &map).is_err());
}
