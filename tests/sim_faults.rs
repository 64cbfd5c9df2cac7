//! Every fault profile really produces its misbehaviour, and the clean simulator does not.
//! Runs on the default profile (generated test PKI): no corpus needed.

use gbcs_harness::codec::dlms::{Data, DlmsBody};
use gbcs_harness::codec::frame::SignatureField;
use gbcs_harness::codec::{decode_frame, decode_message, CraFlag, EntityId, MessageCode, Payload};
use gbcs_harness::command::builder::Command;
use gbcs_harness::crypto::pki::defaults;
use gbcs_harness::crypto::protect;
use gbcs_harness::inspect::{Inspector, Verdict};
use gbcs_harness::sim::faults::{Fault, FaultSet};
use gbcs_harness::sim::profile::DefaultProfile;
use gbcs_harness::sim::{Exchange, Rejection, Simulator};

const ECS45_READ_SUPPLY_STATUS: u16 = 0x0052;
const ECS42_CLOSE_LOAD_SWITCH: u16 = 0x004F;
const ECS17A_READ_EXPORT_REGISTERS: u16 = 0x0026;
const ECS01A_UPDATE_TARIFF: u16 = 0x0019;

struct Lab {
    profile: DefaultProfile,
}

impl Lab {
    fn new() -> Self {
        Lab {
            profile: DefaultProfile::generate().unwrap(),
        }
    }

    fn sim(&self, fault: Option<Fault>) -> Simulator {
        let mut sim = self.profile.simulator();
        sim.set_faults(fault.into_iter().collect::<FaultSet>());
        sim
    }

    fn inspector(&self) -> Inspector<'_> {
        Inspector::new(self.profile.keys(), Some(self.profile.acb()))
    }

    /// A DLMS access-request from `originator` to `recipient`, MAC'd by the ACB and, when
    /// `signed`, signed by the originator.
    fn command(
        &self,
        originator: EntityId,
        recipient: EntityId,
        code: u16,
        counter: u64,
        body_hex: &str,
        signed: bool,
    ) -> Vec<u8> {
        let body = hex::decode(body_hex.replace(' ', "")).unwrap();
        Command::dlms(MessageCode(code), &body, signed)
            .from(originator)
            .to(recipient)
            .counter(counter)
            .build(self.profile.keys(), Some(self.profile.acb()))
            .unwrap()
    }

    /// ECS45: get IC 70 0-0:96.3.10.255 attribute 3.
    fn read_supply_status(&self, counter: u64) -> Vec<u8> {
        self.command(
            defaults::SUPPLIER,
            defaults::ESME,
            ECS45_READ_SUPPLY_STATUS,
            counter,
            &ecs45_body(),
            false,
        )
    }

    /// ECS42: action IC 9 0-0:10.0.106.255 method 1 with long-unsigned 51, signed by `by`.
    fn close_load_switch(&self, by: EntityId, counter: u64, signed: bool) -> Vec<u8> {
        self.command(
            by,
            defaults::ESME,
            ECS42_CLOSE_LOAD_SWITCH,
            counter,
            "00 01 03 0009 00000A006AFF 01 01 120033",
            signed,
        )
    }
}

fn response(x: &Exchange) -> &[u8] {
    x.response
        .as_deref()
        .unwrap_or_else(|| panic!("expected a response: {:?}", x.rejection))
}

#[test]
fn bad_response_mac() {
    let lab = Lab::new();
    let clean = lab.sim(None).handle(&lab.read_supply_status(10));
    assert_eq!(
        lab.inspector()
            .inspect(response(&clean))
            .unwrap()
            .checks
            .mac,
        Verdict::Valid
    );
    let bad = lab
        .sim(Some(Fault::BadResponseMac))
        .handle(&lab.read_supply_status(10));
    assert_eq!(
        lab.inspector().inspect(response(&bad)).unwrap().checks.mac,
        Verdict::Invalid
    );
}

#[test]
fn missing_response_mac() {
    let lab = Lab::new();
    let x = lab
        .sim(Some(Fault::MissingResponseMac))
        .handle(&lab.read_supply_status(10));
    let i = lab.inspector().inspect(response(&x)).unwrap();
    assert_eq!(
        (i.checks.mac, i.checks.signature),
        (Verdict::NotPresent, Verdict::NotPresent)
    );
    assert!(i.message.frame.general_ciphering.is_none());
}

#[test]
fn bad_response_signature() {
    let lab = Lab::new();
    let clean = lab
        .sim(None)
        .handle(&lab.close_load_switch(defaults::SUPPLIER, 10, true));
    assert_eq!(
        lab.inspector()
            .inspect(response(&clean))
            .unwrap()
            .checks
            .signature,
        Verdict::Valid
    );
    let bad = lab
        .sim(Some(Fault::BadResponseSignature))
        .handle(&lab.close_load_switch(defaults::SUPPLIER, 10, true));
    assert_eq!(
        lab.inspector()
            .inspect(response(&bad))
            .unwrap()
            .checks
            .signature,
        Verdict::Invalid
    );
}

#[test]
fn counter_not_echoed() {
    let lab = Lab::new();
    let x = lab
        .sim(Some(Fault::CounterNotEchoed))
        .handle(&lab.read_supply_status(10));
    assert_eq!(decode_frame(response(&x)).unwrap().header().counter, 11);
    let clean = lab.sim(None).handle(&lab.read_supply_status(10));
    assert_eq!(decode_frame(response(&clean)).unwrap().header().counter, 10);
}

#[test]
fn wrong_message_code() {
    let lab = Lab::new();
    let x = lab
        .sim(Some(Fault::WrongMessageCode))
        .handle(&lab.read_supply_status(10));
    let code = decode_frame(response(&x)).unwrap().header().message_code();
    assert_eq!(code, Some(MessageCode(ECS45_READ_SUPPLY_STATUS + 1)));
}

#[test]
fn accept_replay() {
    let lab = Lab::new();
    let command = lab.read_supply_status(10);
    let mut clean = lab.sim(None);
    clean.handle(&command);
    assert!(matches!(
        clean.handle(&command).rejection,
        Some(Rejection::Replay { .. })
    ));
    let mut faulty = lab.sim(Some(Fault::AcceptReplay));
    faulty.handle(&command);
    assert!(
        faulty.handle(&command).response.is_some(),
        "the replay is answered"
    );
}

#[test]
fn accept_unsigned_critical() {
    let lab = Lab::new();
    let unsigned = lab.close_load_switch(defaults::SUPPLIER, 10, false);
    assert!(matches!(
        lab.sim(None).handle(&unsigned).rejection,
        Some(Rejection::MissingSignature { .. })
    ));
    assert!(lab
        .sim(Some(Fault::AcceptUnsignedCritical))
        .handle(&unsigned)
        .response
        .is_some());
    // A signature that does not verify is no better than none: flip a bit of it and re-MAC,
    // so that only the signature is wrong.
    let signed = lab.close_load_switch(defaults::SUPPLIER, 11, true);
    let mut gs = decode_frame(&signed).unwrap().general_signing;
    if let SignatureField::Present(sig) = &mut gs.signature {
        sig.0[5] ^= 0x01;
    }
    let forged = protect::wrap_with_mac(lab.profile.keys(), Some(lab.profile.acb()), gs)
        .unwrap()
        .encode();
    assert!(matches!(
        lab.sim(None).handle(&forged).rejection,
        Some(Rejection::BadSignature { .. })
    ));
    assert!(lab
        .sim(Some(Fault::AcceptUnsignedCritical))
        .handle(&forged)
        .response
        .is_some());
}

#[test]
fn accept_other_recipient() {
    let lab = Lab::new();
    // The foreign ESME has keys in the test PKI but is not simulated: nobody should answer.
    let other = lab.command(
        defaults::SUPPLIER,
        defaults::FOREIGN_ESME,
        ECS45_READ_SUPPLY_STATUS,
        10,
        &ecs45_body(),
        false,
    );
    assert_eq!(
        lab.sim(None).handle(&other).rejection,
        Some(Rejection::UnknownRecipient(defaults::FOREIGN_ESME))
    );
    assert!(lab
        .sim(Some(Fault::AcceptOtherRecipient))
        .handle(&other)
        .response
        .is_some());
}

#[test]
fn accept_unauthorised_role() {
    let lab = Lab::new();
    let by_operator = lab.close_load_switch(defaults::NETWORK_OPERATOR, 10, true);
    assert!(matches!(
        lab.sim(None).handle(&by_operator).rejection,
        Some(Rejection::NotEntitled { .. })
    ));
    assert!(lab
        .sim(Some(Fault::AcceptUnauthorisedRole))
        .handle(&by_operator)
        .response
        .is_some());
}

#[test]
fn truncated_response() {
    let lab = Lab::new();
    let x = lab
        .sim(Some(Fault::TruncatedResponse))
        .handle(&lab.read_supply_status(10));
    let i = lab.inspector().inspect(response(&x)).unwrap();
    assert_eq!(i.checks.mac, Verdict::Valid, "protection is intact");
    assert!(i.message.payload.is_err(), "the payload is not");
}

/// The export energy register as ECS17a reads it (get IC 3 1-0:2.8.0.255 attribute 2), by
/// the network operator (SR 4.2 is for export suppliers and distributors, not the importer).
fn read_register(lab: &Lab, sim: &mut Simulator) -> u64 {
    let command = lab.command(
        defaults::NETWORK_OPERATOR,
        defaults::ESME,
        ECS17A_READ_EXPORT_REGISTERS,
        10,
        "00 01 01 0003 0100020800FF 02 01 00",
        false,
    );
    let x = sim.handle(&command);
    let message = decode_message(response(&x)).unwrap();
    let Ok(Payload::Dlms(apdu)) = message.payload else {
        panic!("DLMS")
    };
    let DlmsBody::AccessResponse(r) = apdu.body else {
        panic!("access-response")
    };
    assert!(r.results[0].is_success(), "{:?}", r.results);
    match r.data[0] {
        Data::DoubleLongUnsigned(v) => u64::from(v),
        Data::Long64Unsigned(v) => v,
        ref other => panic!("{other:?}"),
    }
}

#[test]
fn wrong_register_value() {
    let lab = Lab::new();
    let clean = read_register(&lab, &mut lab.sim(None));
    let faulty = read_register(&lab, &mut lab.sim(Some(Fault::WrongRegisterValue)));
    assert_eq!(faulty, clean + 1);
}

#[test]
fn missing_alert() {
    let lab = Lab::new();
    // ECS01a-style: set the activity calendar's activation time (IC 20 0-0:13.0.0.255
    // attribute 10) to 2030-01-15 09:00:00, which must raise a future-dated execution alert.
    let future_dated = lab.command(
        defaults::SUPPLIER,
        defaults::ESME,
        ECS01A_UPDATE_TARIFF,
        10,
        "00 01 02 0014 00000D0000FF 0A 01 090C 07EE010F02090000008000FF",
        true,
    );
    let due = 0x3881_8890;
    let mut clean = lab.sim(None);
    assert!(clean.handle(&future_dated).response.is_some());
    let alerts = clean.advance_to(due);
    assert_eq!(
        alerts.len(),
        1,
        "the clean device sends the execution alert"
    );
    let alert = decode_frame(&alerts[0]).unwrap();
    assert_eq!(alert.header().cra, CraFlag::Alert);
    assert_eq!(alert.header().message_code(), Some(MessageCode(0x00CC)));
    let mut faulty = lab.sim(Some(Fault::MissingAlert));
    assert!(faulty.handle(&future_dated).response.is_some());
    assert!(faulty.advance_to(due).is_empty());
}

#[test]
fn late_response() {
    let lab = Lab::new();
    assert_eq!(
        lab.sim(None).handle(&lab.read_supply_status(10)).delay,
        None
    );
    let x = lab
        .sim(Some(Fault::LateResponse))
        .handle(&lab.read_supply_status(10));
    // ECS45 is a meter reading: the traffic model's target is 60 s.
    assert_eq!(x.delay, Some(std::time::Duration::from_secs(61)));
}

#[test]
fn every_fault_has_a_test_here() {
    // Keeps this file honest when a fault is added.
    assert_eq!(Fault::ALL.len(), 13);
}

/// The ECS45 read after its tag and invoke id (the body `command` frames).
fn ecs45_body() -> String {
    hex::encode(&gbcs_harness::codec::dlms::read_supply_status(0)[5..])
}
