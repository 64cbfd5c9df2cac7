use crate::codec::bytes::Bytes;
use crate::codec::ciphered::CipheredBlock;
use crate::codec::dlms::{
    self, AccessRequest, Data, DlmsApdu, DlmsBody, ObisCode, RequestSpec, Selection, SpecKind,
};
use crate::codec::ids::{EntityId, MessageCode};
use crate::codec::payload::Payload;
use crate::sim::context::CommandContext;
use crate::sim::shape::shape;

use super::objects::{never, obis, os};
use super::time::{date_time, from_civil};
use super::{result, Esme, EsmeReply};

const NOW: u32 = 473_385_600; // 2015-01-01T00:00:00Z

fn esme_id() -> EntityId {
    "00DB1234567890A0".parse().unwrap()
}

fn ctx(counter: u64, now: u32) -> CommandContext {
    CommandContext {
        message_code: MessageCode::ECS01A,
        counter,
        originator: "90B3D51F30010000".parse().unwrap(),
        data_recipient: "90B3D51F30010000".parse().unwrap(),
        device: esme_id(),
        now,
    }
}

fn spec(kind: SpecKind, class_id: u16, name: &str, id: i8) -> RequestSpec {
    RequestSpec {
        kind,
        class_id,
        obis: obis(name),
        id,
        selection: None,
    }
}

fn request(items: Vec<(RequestSpec, Data)>) -> DlmsApdu {
    let (specs, data) = items.into_iter().unzip();
    DlmsApdu {
        invoke_id: 0x3E8,
        flags: 0x20,
        date_time: Bytes::default(),
        body: DlmsBody::AccessRequest(AccessRequest { specs, data }),
    }
}

/// A stand-in for the core's encryption: the "ciphertext" is the plaintext.
fn clear(plaintext: &[u8]) -> CipheredBlock {
    CipheredBlock {
        security_control: 0x31,
        invocation_counter: 0,
        ciphertext: plaintext.to_vec().into(),
        tag: vec![0; 12].into(),
    }
}

fn run(esme: &mut Esme, c: &CommandContext, items: Vec<(RequestSpec, Data)>) -> EsmeReply {
    esme.handle(c, &request(items), &mut clear)
}

fn outcomes(reply: &EsmeReply) -> Vec<(u8, u8, Data)> {
    let DlmsBody::AccessResponse(r) = &reply.response.body else {
        panic!("not an access-response")
    };
    r.results
        .iter()
        .zip(&r.data)
        .map(|(res, d)| (res.choice, res.code, d.clone()))
        .collect()
}

fn get(name: &str, class_id: u16, attr: i8) -> (RequestSpec, Data) {
    (spec(SpecKind::Get, class_id, name, attr), Data::Null)
}

fn set(name: &str, class_id: u16, attr: i8, v: Data) -> (RequestSpec, Data) {
    (spec(SpecKind::Set, class_id, name, attr), v)
}

#[test]
fn header_mirrors_the_request_and_get_after_set() {
    let mut e = Esme::new(esme_id());
    let c = ctx(0x0000_0001_0203_04E8, NOW);
    let reply = run(
        &mut e,
        &c,
        vec![
            set("0-0:17.0.1.255", 71, 4, Data::DoubleLongUnsigned(999)),
            get("0-0:17.0.1.255", 71, 4),
        ],
    );
    assert_eq!(reply.response.invoke_id, 0x0203_04E8 & 0x00FF_FFFF);
    assert_eq!(reply.response.flags, 0x20);
    assert_eq!(
        outcomes(&reply),
        vec![(2, 0, Data::Null), (1, 0, Data::DoubleLongUnsigned(999))]
    );
    // State persists across requests; the response round-trips through the codec.
    let reply = run(&mut e, &c, vec![get("0-0:17.0.1.255", 71, 4)]);
    assert_eq!(outcomes(&reply)[0].2, Data::DoubleLongUnsigned(999));
    let bytes = reply.response.encoded();
    assert_eq!(dlms::decode(&bytes, 0).unwrap(), reply.response);
}

#[test]
fn type_mismatch_unknown_object_and_break_on_error() {
    let mut e = Esme::new(esme_id());
    let c = ctx(1000, NOW);
    let reply = run(
        &mut e,
        &c,
        vec![
            get("1-0:2.8.0.255", 3, 2),
            set("0-0:17.0.1.255", 71, 4, Data::LongUnsigned(5)),
            get("1-0:2.8.0.255", 3, 3),
            (
                spec(SpecKind::Action, 3, "1-0:32.32.0.4", 1),
                Data::Integer(0),
            ),
        ],
    );
    let codes: Vec<(u8, u8)> = outcomes(&reply).iter().map(|o| (o.0, o.1)).collect();
    assert_eq!(
        codes,
        vec![
            (1, 0),
            (2, result::TYPE_UNMATCHED),
            (1, result::OTHER_REASON),
            (3, result::OTHER_REASON)
        ]
    );
    // The rejected write left the value alone.
    assert_eq!(
        e.attribute(NOW, 71, obis("0-0:17.0.1.255"), 4),
        Ok(Data::DoubleLongUnsigned(287))
    );

    let reply = run(&mut e, &c, vec![get("0-0:99.99.99.255", 1, 2)]);
    assert_eq!(outcomes(&reply)[0].1, result::OBJECT_UNDEFINED);
    // A known object with an attribute or method it does not have.
    let reply = run(
        &mut e,
        &c,
        vec![
            (spec(SpecKind::Action, 1, "0-0:94.44.0.4", 9), Data::Null),
            get("0-0:94.44.0.4", 1, 2),
        ],
    );
    let codes: Vec<u8> = outcomes(&reply).iter().map(|o| o.1).collect();
    assert_eq!(
        codes,
        vec![result::OBJECT_UNAVAILABLE, result::OTHER_REASON]
    );
    // Logical names are read-only.
    let reply = run(
        &mut e,
        &c,
        vec![
            set("0-0:94.44.0.4", 1, 1, os(&[0; 6])),
            get("0-0:94.44.0.4", 1, 1),
        ],
    );
    assert_eq!(outcomes(&reply)[0].1, result::READ_WRITE_DENIED);
}

fn activation_time(secs: u32) -> Data {
    os(&date_time(secs))
}

#[test]
fn future_dated_activation_schedules_alerts_then_switches() {
    let mut e = Esme::new(esme_id());
    let c = ctx(0x3F0, NOW);
    let due = from_civil(2030, 1, 15, 9, 0, 0).unwrap();
    let charge = "0-0:19.20.4.255";
    let passive = e.attribute(NOW, 113, obis(charge), 6).unwrap();
    let Data::Structure(mut fields) = passive else {
        panic!()
    };
    fields[2] = Data::Array(vec![Data::Structure(vec![os(&[]), Data::Long(20_000)])]);
    let new_charge = Data::Structure(fields);
    let reply = run(
        &mut e,
        &c,
        vec![
            set(charge, 113, 6, new_charge.clone()),
            set(charge, 113, 7, activation_time(due)),
        ],
    );
    assert!(outcomes(&reply).iter().all(|o| o.1 == 0));
    assert_eq!(reply.alerts.len(), 1);
    let alert = &reply.alerts[0];
    assert_eq!(alert.message_code, MessageCode::FDEA_DLMS);
    assert_eq!(alert.due, Some(due));
    let Payload::Dlms(apdu) = &alert.payload else {
        panic!()
    };
    assert_eq!(apdu.alert_code(), Some(0x8F66));
    let DlmsBody::DataNotification(n) = &apdu.body else {
        panic!()
    };
    let descriptor = n.body.items().unwrap()[2].as_octets().unwrap().to_vec();
    assert_eq!(
        hex::encode_upper(descriptor),
        "001900000000000003F000710000131404FF07"
    );
    // Not active yet; a later command after the due time finds it switched.
    assert_ne!(
        e.attribute(NOW, 113, obis(charge), 5),
        Ok(new_charge.clone())
    );
    assert_eq!(e.pending_activations().len(), 1);
    let later = ctx(0x3F1, due + 1);
    run(&mut e, &later, vec![get(charge, 113, 5)]);
    assert_eq!(e.attribute(due + 1, 113, obis(charge), 5), Ok(new_charge));
    assert!(e.pending_activations().is_empty());
}

#[test]
fn now_applies_at_once_and_never_cancels() {
    let mut e = Esme::new(esme_id());
    let c = ctx(1, NOW);
    let name = "0-0:94.44.128.6";
    let due = NOW + 86_400;
    let reply = run(
        &mut e,
        &c,
        vec![
            set(name, 9000, 4, Data::DoubleLongUnsigned(42)),
            set(name, 9000, 6, activation_time(due)),
        ],
    );
    assert_eq!(reply.alerts.len(), 1);
    let reply = run(&mut e, &c, vec![set(name, 9000, 6, never())]);
    assert!(reply.alerts.is_empty());
    assert!(e.pending_activations().is_empty());
    e.run_due(due + 10);
    assert_eq!(
        e.attribute(due + 10, 9000, obis(name), 2),
        Ok(Data::DoubleLongUnsigned(0))
    );
    // "now": all-zero date and time.
    let mut now = [0u8; 12];
    now[9] = 0x80;
    now[11] = 0xFF;
    let reply = run(&mut e, &c, vec![set(name, 9000, 6, os(&now))]);
    assert!(reply.alerts.is_empty());
    assert_eq!(
        e.attribute(NOW, 9000, obis(name), 2),
        Ok(Data::DoubleLongUnsigned(42))
    );
    // A linked passive table switches with its activation object.
    let days = Data::Array(vec![]);
    run(
        &mut e,
        &c,
        vec![
            set("0-1:11.0.0.255", 11, 2, days.clone()),
            set("0-0:94.44.128.29", 9000, 6, os(&now)),
        ],
    );
    assert_eq!(e.attribute(NOW, 11, obis("0-0:11.0.0.255"), 2), Ok(days));
    // A time that is not a time is refused.
    let reply = run(&mut e, &c, vec![set(name, 9000, 6, os(&[0x07; 12]))]);
    assert_eq!(outcomes(&reply)[0].1, result::TYPE_UNMATCHED);
}

#[test]
fn calendar_activation_copies_passive_to_active() {
    let mut e = Esme::new(esme_id());
    let c = ctx(1, NOW);
    let cal = "0-0:13.0.0.255";
    run(
        &mut e,
        &c,
        vec![
            set(cal, 20, 6, os(b"new")),
            set(cal, 20, 10, activation_time(NOW - 10)),
        ],
    );
    assert_eq!(e.attribute(NOW, 20, obis(cal), 2), Ok(os(b"new")));
}

#[test]
fn profile_selection_and_reset() {
    let mut e = Esme::new(esme_id());
    let c = ctx(1, NOW);
    let range = |from: u32, to: u32| Selection {
        selector: 1,
        parameters: Data::Structure(vec![
            Data::Structure(vec![
                Data::LongUnsigned(1),
                os(&[0, 0, 94, 44, 100, 255]),
                Data::Integer(2),
                Data::LongUnsigned(0),
            ]),
            Data::DoubleLongUnsigned(from),
            Data::DoubleLongUnsigned(to),
            Data::Array(vec![]),
        ]),
    };
    let mut s = spec(SpecKind::GetWithSelection, 7, "0-0:99.1.2.255", 2);
    s.selection = Some(range(NOW - 86_400, NOW));
    let reply = run(&mut e, &c, vec![(s.clone(), Data::Null)]);
    let (choice, code, data) = outcomes(&reply).remove(0);
    assert_eq!((choice, code), (1, 0));
    let Data::CompactArray(ca) = data else {
        panic!()
    };
    let dlms::CompactContents::Values(rows) = ca.contents else {
        panic!()
    };
    assert_eq!(rows.len(), 49);
    // A window in the future is empty but keeps the entry type.
    s.selection = Some(range(NOW + 1, NOW + 100));
    let reply = run(&mut e, &c, vec![(s.clone(), Data::Null)]);
    assert!(matches!(&outcomes(&reply)[0].2, Data::CompactArray(ca)
        if ca.contents == dlms::CompactContents::Values(vec![])));
    // Reset empties the log up to now.
    let ev = "0-0:99.98.0.255";
    let reply = run(
        &mut e,
        &c,
        vec![(spec(SpecKind::Action, 7, ev, 1), Data::Integer(0))],
    );
    assert_eq!(outcomes(&reply)[0].1, 0);
    assert_eq!(
        e.attribute(NOW, 7, obis(ev), 7),
        Ok(Data::DoubleLongUnsigned(0))
    );
    // Malformed selection parameters are a type mismatch, not a panic.
    s.selection = Some(Selection {
        selector: 1,
        parameters: Data::Null,
    });
    let reply = run(&mut e, &c, vec![(s, Data::Null)]);
    assert_eq!(outcomes(&reply)[0].1, result::TYPE_UNMATCHED);
}

#[test]
fn actions_change_state() {
    let mut e = Esme::new(esme_id());
    let c = ctx(1, NOW);
    let dc = ObisCode::new(0, 0, 96, 3, 10, 255);
    run(
        &mut e,
        &c,
        vec![(
            spec(SpecKind::Action, 70, "0-0:96.3.10.255", 1),
            Data::Integer(0),
        )],
    );
    assert_eq!(e.attribute(NOW, 70, dc, 3), Ok(Data::Enum(0)));
    run(
        &mut e,
        &c,
        vec![(
            spec(SpecKind::Action, 9, "0-0:10.0.106.255", 1),
            Data::LongUnsigned(54),
        )],
    );
    assert_eq!(e.attribute(NOW, 70, dc, 3), Ok(Data::Enum(2)));
    // Credit adjustment.
    let credit = ObisCode::new(0, 0, 19, 10, 1, 255);
    run(
        &mut e,
        &c,
        vec![
            (
                spec(SpecKind::Action, 112, "0-0:19.10.1.255", 2),
                Data::DoubleLong(500),
            ),
            (
                spec(SpecKind::Action, 112, "0-0:19.10.1.255", 1),
                Data::DoubleLong(-200),
            ),
        ],
    );
    assert_eq!(e.attribute(NOW, 112, credit, 2), Ok(Data::DoubleLong(300)));
    // Register reset.
    let reg = ObisCode::new(1, 0, 32, 32, 0, 4);
    run(
        &mut e,
        &c,
        vec![set("1-0:32.32.0.4", 3, 2, Data::DoubleLongUnsigned(7))],
    );
    run(
        &mut e,
        &c,
        vec![(
            spec(SpecKind::Action, 3, "1-0:32.32.0.4", 1),
            Data::Integer(0),
        )],
    );
    assert_eq!(e.attribute(NOW, 3, reg, 2), Ok(Data::DoubleLongUnsigned(0)));
    // Clock: preset + adjust moves the device time.
    let preset = NOW + 3600;
    run(
        &mut e,
        &c,
        vec![
            (
                spec(SpecKind::Action, 8, "0-0:1.0.0.255", 5),
                Data::Structure(vec![
                    activation_time(preset),
                    activation_time(NOW - 10),
                    activation_time(NOW + 10),
                ]),
            ),
            (
                spec(SpecKind::Action, 8, "0-0:1.0.0.255", 4),
                Data::Integer(0),
            ),
        ],
    );
    assert_eq!(
        e.attribute(NOW, 8, ObisCode::new(0, 0, 1, 0, 0, 255), 2),
        Ok(activation_time(preset))
    );
    // A UTRN that fails its check digit is refused and recorded as rejected.
    let reply = run(
        &mut e,
        &c,
        vec![(
            spec(SpecKind::Action, 115, "0-0:19.40.0.255", 1),
            os(b"00000000000000000001"),
        )],
    );
    assert_eq!(outcomes(&reply)[0].1, result::OTHER_REASON);
}

#[test]
fn data_protection_encrypts_the_requested_values() {
    let mut e = Esme::new(esme_id());
    let c = ctx(0x3E8, NOW);
    let entry = Data::Structure(vec![
        Data::LongUnsigned(3),
        os(&[1, 0, 2, 8, 0, 255]),
        Data::Integer(2),
        Data::LongUnsigned(0),
        Data::Structure(vec![Data::Enum(0), Data::Null]),
    ]);
    let param = Data::Structure(vec![Data::Array(vec![entry]), Data::Array(vec![])]);
    let mut seen = Vec::new();
    let mut encrypt = |p: &[u8]| {
        seen = p.to_vec();
        clear(p)
    };
    let reply = e.handle(
        &c,
        &request(vec![(
            spec(SpecKind::Action, 30, "0-0:43.2.8.255", 1),
            param,
        )]),
        &mut encrypt,
    );
    let (choice, code, data) = outcomes(&reply).remove(0);
    assert_eq!((choice, code), (3, 0));
    // Plaintext: one structure holding the register's value.
    assert_eq!(hex::encode_upper(&seen), "02010600000000");
    let items = data.items().unwrap();
    let params = items[0].items().unwrap()[0].items().unwrap()[1]
        .items()
        .unwrap();
    assert_eq!(
        params[0].as_octets().unwrap(),
        hex::decode("0400000000000003E8").unwrap()
    );
    assert_eq!(params[1].as_octets().unwrap(), esme_id().as_bytes());
    assert!(matches!(&items[1], Data::Ciphered(cd) if cd.block.ciphertext.as_slice() == seen));
    // The shape of an encoded-and-decoded reply equals the model's (protected block detected).
    let decoded = dlms::decode(&reply.response.encoded(), 0).unwrap();
    let mut mine = reply.response.clone();
    if let DlmsBody::AccessResponse(r) = &mut mine.body {
        for d in &mut r.data {
            d.for_each_ciphered(&mut |c| c.decrypted = None);
        }
    }
    assert_eq!(shape(&Payload::Dlms(decoded)), shape(&Payload::Dlms(mine)));
}

fn spec_of(class_id: u16, obis: ObisCode, attr: i8) -> RequestSpec {
    RequestSpec {
        kind: SpecKind::Get,
        class_id,
        obis,
        id: attr,
        selection: None,
    }
}

#[test]
fn every_modelled_attribute_reads_and_writes_back() {
    let mut e = Esme::new(esme_id());
    let c = ctx(1, NOW);
    let objects: Vec<(u16, ObisCode)> = e.objects().collect();
    assert!(objects.len() >= 171);
    for (class_id, name) in objects {
        for attr in 1..=20i8 {
            let Ok(v) = e.attribute(NOW, class_id, name, attr) else {
                continue;
            };
            if super::model::encoded_size(&v) > super::model::MAX_RESPONSE_DATA {
                // Too big for one message (a whole half-hourly buffer): refused, not sent.
                let reply = run(
                    &mut e,
                    &c,
                    vec![(spec_of(class_id, name, attr), Data::Null)],
                );
                assert_eq!(outcomes(&reply)[0].1, result::SCOPE_OF_ACCESS_VIOLATED);
                continue;
            }
            // Encodes and decodes as one A-XDR value.
            assert_eq!(Data::decode_exact(&v.encoded(), 0).unwrap(), v);
            let writable = !matches!((class_id, attr), (_, 1) | (7, 2) | (7, 7) | (8, 2));
            if writable && !matches!(v, Data::CompactArray(_)) {
                let s = RequestSpec {
                    kind: SpecKind::Set,
                    class_id,
                    obis: name,
                    id: attr,
                    selection: None,
                };
                let reply = run(&mut e, &c, vec![(s, v.clone())]);
                assert_eq!(outcomes(&reply)[0].1, 0, "{class_id} {name} {attr}");
            }
        }
    }
}

#[test]
fn hostile_requests_get_error_results() {
    let mut e = Esme::new(esme_id());
    let c = ctx(1, NOW);
    // Missing data items, selective set, action parameters of the wrong type.
    let mut req = request(vec![]);
    if let DlmsBody::AccessRequest(r) = &mut req.body {
        r.specs.push(spec(SpecKind::Set, 71, "0-0:17.0.1.255", 4));
    }
    let reply = e.handle(&c, &req, &mut clear);
    assert_eq!(outcomes(&reply)[0].1, result::TYPE_UNMATCHED);
    for (s, d) in [
        (
            spec(SpecKind::SetWithSelection, 7, "0-0:99.1.2.255", 2),
            Data::Null,
        ),
        (
            spec(SpecKind::GetWithSelection, 7, "0-0:99.1.2.255", 2),
            Data::Null,
        ),
        (spec(SpecKind::Action, 9, "0-0:10.0.106.255", 1), os(b"x")),
        (spec(SpecKind::Action, 30, "0-0:43.2.8.255", 1), Data::Null),
        (spec(SpecKind::Action, 104, "0-0:30.3.0.255", 2), Data::Null),
        (spec(SpecKind::Action, 8, "0-0:1.0.0.255", 5), Data::Null),
    ] {
        let reply = run(&mut e, &c, vec![(s.clone(), d)]);
        assert_ne!(outcomes(&reply)[0].1, 0, "{s:?}");
    }
    // Byte-level fuzz: any decodable access-request gets a same-length answer.
    let mut seed = 0x1234_5678u32;
    let base = hex::decode("D9200003E800020100010000600100FF02010008000000000000000300").unwrap();
    for _ in 0..2000 {
        let mut bytes = base.clone();
        for _ in 0..3 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let i = (seed >> 8) as usize % bytes.len();
            bytes[i] = (seed >> 20) as u8;
        }
        if let Ok(apdu) = dlms::decode(&bytes, 0) {
            let reply = e.handle(&c, &apdu, &mut clear);
            if let (Some(specs), Some(results)) = (apdu.request_specs(), reply.response.results()) {
                assert_eq!(specs.len(), results.len());
            }
        }
    }
}
