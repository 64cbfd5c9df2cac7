//! Each security rule, shown by sending the violating command and seeing it discarded.

use super::*;
use crate::codec::decode_frame;
use crate::codec::frame::SignatureField;
use crate::codec::message::decode_message;
use crate::corpus;
use crate::crypto::KeyUsage;
use crate::inspect::{Inspector, Verdict};
use crate::sim::model::ModelReply;

/// A test double that answers every DLMS command with one fixed access-response (the
/// recorded ECS42 success), so these tests exercise the pipeline, not a device model.
struct FixedDlmsAnswer;

impl DeviceModel for FixedDlmsAnswer {
    fn handle(
        &mut self,
        ctx: &CommandContext,
        request: &crate::codec::payload::Payload,
        _encrypt: &mut dyn FnMut(&[u8]) -> CipheredBlock,
    ) -> Option<ModelReply> {
        let crate::codec::payload::Payload::Dlms(_) = request else {
            return None;
        };
        let invoke = crate::codec::dlms::long_invoke_id_and_priority(ctx.counter);
        let mut content = vec![0xDA];
        content.extend_from_slice(&invoke.to_be_bytes());
        content.extend_from_slice(&[0x00, 0x00, 0x01, 0x00, 0x01, 0x03, 0x00]);
        let payload =
            crate::codec::payload::decode_payload(&content, 0, ctx.message_code, CraFlag::Response)
                .ok()?;
        Some(ModelReply {
            payload,
            alerts: Vec::new(),
        })
    }
}

fn id(s: &str) -> EntityId {
    s.parse().unwrap()
}

const ESME: &str = "00db1234567890a0";
const ACB: &str = "90b3d51f30000002";

struct Fixture {
    sim: Simulator,
    dir: std::path::PathBuf,
}

fn fixture() -> Option<Fixture> {
    let dir = corpus::messages_dir()?;
    let mut keys = KeyStore::load_dir(&corpus::keystore_dir()?).ok()?;
    // The corpus has no device private keys: the ESME signs with a generated key whose public
    // half replaces the published certificate's in this store.
    keys.generate(id(ESME), KeyUsage::DigitalSignature).ok()?;
    let mut sim = Simulator::new(keys, id(ACB));
    sim.add_device(id(ESME), Box::new(FixedDlmsAnswer));
    Some(Fixture { sim, dir })
}

fn read(f: &Fixture, rel: &str) -> Vec<u8> {
    corpus::read_hex_file(&f.dir.join(rel)).unwrap()
}

const ECS42_COMMAND: &str = "7.1_ECS42/ECS42_7.1_SUCCESS_COMMAND_GBCS.HEX";
const ECS42_PRECOMMAND: &str = "7.1_ECS42/ECS42_7.1_SUCCESS_PRECOMMAND_GBCS.HEX";
const ECS45_COMMAND: &str = "7.4_ECS45/ECS45_7.4_SUCCESS_COMMAND_GBCS.HEX";

#[test]
fn a_valid_critical_command_gets_a_signed_response_echoing_it() {
    let Some(mut f) = fixture() else { return };
    let command = read(&f, ECS42_COMMAND);
    let x = f.sim.handle(&command);
    assert_eq!(x.rejection, None);
    let response = x.response.expect("a response");
    let inspector = Inspector::new(f.sim.keys(), None);
    let i = inspector.inspect(&response).unwrap();
    assert_eq!(i.checks.signature, Verdict::Valid);
    assert_eq!(
        i.checks.mac,
        Verdict::NotPresent,
        "critical responses are signed, not MAC'd"
    );
    let (c, r) = (
        decode_frame(&command).unwrap(),
        decode_frame(&response).unwrap(),
    );
    assert_eq!(r.header().cra, CraFlag::Response);
    assert_eq!(r.header().counter, c.header().counter);
    assert_eq!(r.header().message_code(), c.header().message_code());
    assert_eq!(r.header().originator, c.header().recipient);
    assert_eq!(r.header().recipient, c.header().originator);
}

#[test]
fn a_non_critical_command_gets_a_maced_response() {
    let Some(mut f) = fixture() else { return };
    let x = f.sim.handle(&read(&f, ECS45_COMMAND));
    let response = x.response.expect("a response");
    let i = Inspector::new(f.sim.keys(), None)
        .inspect(&response)
        .unwrap();
    assert_eq!(i.checks.mac, Verdict::Valid);
    assert_eq!(i.checks.signature, Verdict::NotPresent);
}

#[test]
fn a_replayed_command_is_discarded() {
    let Some(mut f) = fixture() else { return };
    let command = read(&f, ECS42_COMMAND);
    assert!(f.sim.handle(&command).response.is_some());
    let x = f.sim.handle(&command);
    assert_eq!(x.response, None);
    assert!(
        matches!(
            x.rejection,
            Some(Rejection::Replay {
                last: 1000,
                received: 1000,
                ..
            })
        ),
        "{x:?}"
    );
}

#[test]
fn a_command_with_a_bad_mac_is_discarded() {
    let Some(mut f) = fixture() else { return };
    let mut command = read(&f, ECS45_COMMAND);
    let last = command.len() - 1;
    command[last] ^= 0x01;
    let x = f.sim.handle(&command);
    assert_eq!((x.response, x.rejection), (None, Some(Rejection::BadMac)));
}

#[test]
fn an_unsigned_critical_command_is_discarded() {
    let Some(mut f) = fixture() else { return };
    let pre = decode_frame(&read(&f, ECS42_PRECOMMAND)).unwrap();
    let keys = KeyStore::load_dir(&corpus::keystore_dir().unwrap()).unwrap();
    let unsigned = protect::wrap_with_mac(&keys, Some(id(ACB)), pre.general_signing).unwrap();
    assert_eq!(unsigned.general_signing.signature, SignatureField::Null);
    let x = f.sim.handle(&unsigned.encode());
    assert_eq!(x.response, None);
    assert_eq!(
        x.rejection,
        Some(Rejection::MissingSignature {
            use_case: "ECS42".into()
        })
    );
}

#[test]
fn a_command_for_another_device_is_discarded() {
    let Some(mut f) = fixture() else { return };
    let keys = KeyStore::load_dir(&corpus::keystore_dir().unwrap()).unwrap();
    let mut gs = decode_frame(&read(&f, ECS45_COMMAND))
        .unwrap()
        .general_signing;
    gs.header.recipient = id("00db1234567890a1");
    let command = protect::wrap_with_mac(&keys, Some(id(ACB)), gs)
        .unwrap()
        .encode();
    let x = f.sim.handle(&command);
    assert_eq!(
        x.rejection,
        Some(Rejection::UnknownRecipient(id("00db1234567890a1")))
    );
}

#[test]
fn a_role_not_entitled_is_refused_even_with_valid_crypto() {
    let Some(mut f) = fixture() else { return };
    let keys = KeyStore::load_dir(&corpus::keystore_dir().unwrap()).unwrap();
    // ECS42 (close the load switch) signed, correctly, by the network operator.
    let mut gs = decode_frame(&read(&f, ECS42_PRECOMMAND))
        .unwrap()
        .general_signing;
    gs.header.originator = id("90b3d51f30020000");
    protect::sign(&keys, &mut gs).unwrap();
    let command = protect::wrap_with_mac(&keys, Some(id(ACB)), gs)
        .unwrap()
        .encode();
    let x = f.sim.handle(&command);
    assert_eq!(x.response, None);
    assert_eq!(
        x.rejection,
        Some(Rejection::NotEntitled {
            role: RemotePartyRole::NetworkOperator,
            use_case: "ECS42".into()
        })
    );
}

#[test]
fn a_signature_by_someone_else_is_refused() {
    let Some(mut f) = fixture() else { return };
    let keys = KeyStore::load_dir(&corpus::keystore_dir().unwrap()).unwrap();
    let mut gs = decode_frame(&read(&f, ECS42_PRECOMMAND))
        .unwrap()
        .general_signing;
    gs.header.originator = id("90b3d51f30020000");
    protect::sign(&keys, &mut gs).unwrap();
    gs.header.originator = id("90b3d51f30010000");
    let command = protect::wrap_with_mac(&keys, Some(id(ACB)), gs)
        .unwrap()
        .encode();
    let x = f.sim.handle(&command);
    assert_eq!(
        x.rejection,
        Some(Rejection::BadSignature {
            originator: id("90b3d51f30010000")
        })
    );
}

#[test]
fn responses_and_alerts_are_not_commands() {
    let Some(mut f) = fixture() else { return };
    let x = f
        .sim
        .handle(&read(&f, "7.4_ECS45/ECS45_7.4_SUCCESS_RESPONSE_GBCS.HEX"));
    assert_eq!(x.rejection, Some(Rejection::NotACommand(CraFlag::Response)));
    let x = f.sim.handle(&[0xDD, 0x01]);
    assert!(matches!(x.rejection, Some(Rejection::Undecodable(_))));
}

#[test]
fn a_malformed_payload_is_not_executed() {
    let Some(mut f) = fixture() else { return };
    let keys = KeyStore::load_dir(&corpus::keystore_dir().unwrap()).unwrap();
    let mut gs = decode_frame(&read(&f, ECS45_COMMAND))
        .unwrap()
        .general_signing;
    let mut content = gs.content.0.clone();
    content.truncate(content.len() - 3);
    gs.content = content.into();
    let command = protect::wrap_with_mac(&keys, Some(id(ACB)), gs)
        .unwrap()
        .encode();
    assert!(decode_message(&command).unwrap().payload.is_err());
    let x = f.sim.handle(&command);
    assert!(
        matches!(x.rejection, Some(Rejection::MalformedPayload(_))),
        "{x:?}"
    );
}

#[test]
fn clock_to_dlms_date_time() {
    // 2015-01-01T00:00:00Z was a Thursday.
    assert_eq!(
        hex::encode_upper(dlms_date_time(DEFAULT_CLOCK).0),
        "07DF0101040000000080000".to_string() + "0"
    );
    // 2030-01-15T09:00:00Z (the RTDS future date, 0x38818890), a Tuesday.
    assert_eq!(
        hex::encode_upper(dlms_date_time(0x3881_8890).0),
        "07EE010F02090000008000".to_string() + "00"
    );
}

/// A DLMS hardware fault: the items before the failed object's go to the model, the failed
/// one answers hardware_fault and the rest other_reason, all with null data; a command that
/// does not touch the object is left alone.
#[test]
fn a_dlms_hardware_fault_cuts_the_request_at_the_failed_item() {
    use crate::codec::bytes::Bytes;
    use crate::codec::dlms::{AccessResponse, DlmsApdu, ObisCode, RequestSpec};
    let spec = |kind, class_id, obis: ObisCode, id| RequestSpec {
        kind,
        class_id,
        obis,
        id,
        selection: None,
    };
    let clock = ObisCode::new(0, 0, 1, 0, 0, 255);
    let supply = ObisCode::new(0, 0, 96, 3, 10, 255);
    let request = Payload::Dlms(DlmsApdu {
        invoke_id: 1,
        flags: 0x20,
        date_time: Bytes::default(),
        body: DlmsBody::AccessRequest(AccessRequest {
            specs: vec![
                spec(SpecKind::Get, 8, clock, 2),
                spec(SpecKind::Set, 70, supply, 3),
                spec(SpecKind::Action, 70, supply, 1),
            ],
            data: vec![Data::Null, Data::Enum(1), Data::Null],
        }),
    });
    let failure = DeviceFailure::DlmsHardwareFault {
        class_id: 70,
        obis: supply,
        id: 3,
    };
    let (cut, choices) = dlms_failure_split(&failure, &request).unwrap();
    let Payload::Dlms(DlmsApdu {
        body: DlmsBody::AccessRequest(cut),
        ..
    }) = cut
    else {
        panic!()
    };
    assert_eq!((cut.specs.len(), cut.data.len()), (1, 1));
    assert_eq!(choices, [2, 3]);
    let mut response = Payload::Dlms(DlmsApdu {
        invoke_id: 1,
        flags: 0x20,
        date_time: Bytes::default(),
        body: DlmsBody::AccessResponse(AccessResponse {
            request_specs: None,
            data: vec![Data::OctetString(vec![0; 12].into())],
            results: vec![AccessResult {
                choice: AccessResult::GET,
                code: AccessResult::SUCCESS,
            }],
        }),
    });
    append_dlms_failure(&mut response, &choices);
    let Payload::Dlms(DlmsApdu {
        body: DlmsBody::AccessResponse(r),
        ..
    }) = response
    else {
        panic!()
    };
    let codes: Vec<(u8, u8)> = r.results.iter().map(|x| (x.choice, x.code)).collect();
    assert_eq!(codes, [(1, 0), (2, 1), (3, 250)]);
    assert_eq!(r.data[1..], [Data::Null, Data::Null]);
    let elsewhere = DeviceFailure::DlmsHardwareFault {
        class_id: 8,
        obis: clock,
        id: 3,
    };
    assert!(dlms_failure_split(&elsewhere, &request).is_none());
}
