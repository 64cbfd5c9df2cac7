use crate::codec::bytes::Bytes;
use crate::codec::ciphered::CipheredBlock;
use crate::codec::dlms::{AccessRequest, Data, DlmsApdu, DlmsBody, RequestSpec, SpecKind};
use crate::codec::ids::{EntityId, MessageCode};
use crate::codec::payload::Payload;
use crate::sim::context::{AlertRequest, CommandContext};
use crate::sim::esme::objects::{obis, os};
use crate::sim::esme::result;

use super::*;

const NOW: u32 = 473_385_600; // 2015-01-01T00:00:00Z

fn hub() -> EntityId {
    "00DB1234567890A2".parse().unwrap()
}

fn eui(s: &str) -> Vec<u8> {
    s.parse::<EntityId>().unwrap().as_bytes().to_vec()
}

fn ctx(counter: u64) -> CommandContext {
    CommandContext {
        message_code: MessageCode::CCS01,
        counter,
        originator: "90B3D51F30010000".parse().unwrap(),
        data_recipient: "90B3D51F30010000".parse().unwrap(),
        device: hub(),
        now: NOW,
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

fn clear(plaintext: &[u8]) -> CipheredBlock {
    CipheredBlock {
        security_control: 0x31,
        invocation_counter: 0,
        ciphertext: plaintext.to_vec().into(),
        tag: vec![0; 12].into(),
    }
}

fn run(chf: &mut Chf, counter: u64, items: Vec<(RequestSpec, Data)>) -> ChfReply {
    let (specs, data) = items.into_iter().unzip();
    let request = DlmsApdu {
        invoke_id: crate::codec::dlms::invoke_id_from_counter(counter),
        flags: 0x20,
        date_time: Bytes::default(),
        body: DlmsBody::AccessRequest(AccessRequest { specs, data }),
    };
    chf.handle(&ctx(counter), &request, &mut clear)
}

/// (result choice, result code, data) per item.
fn outcomes(reply: &ChfReply) -> Vec<(u8, u8, Data)> {
    let DlmsBody::AccessResponse(r) = &reply.response.body else {
        panic!("not an access-response")
    };
    r.results
        .iter()
        .zip(&r.data)
        .map(|(res, d)| (res.choice, res.code, d.clone()))
        .collect()
}

fn add(device: &str) -> (RequestSpec, Data) {
    (
        spec(SpecKind::Action, 104, HAN_DEVICE_LOG, 1),
        Data::Structure(vec![os(&eui(device)), os(&[0x5A; 16])]),
    )
}

fn remove(device: &str) -> (RequestSpec, Data) {
    (
        spec(SpecKind::Action, 104, HAN_DEVICE_LOG, 2),
        os(&eui(device)),
    )
}

fn read_log() -> (RequestSpec, Data) {
    (spec(SpecKind::Get, 104, HAN_DEVICE_LOG, 4), Data::Null)
}

/// The device EUIs a CS14 alert reports.
fn alerted_devices(a: &AlertRequest) -> Vec<Vec<u8>> {
    assert_eq!(a.message_code, DEVICE_LOG_CHANGED);
    let Payload::Dlms(apdu) = &a.payload else {
        panic!("not DLMS")
    };
    let DlmsBody::DataNotification(n) = &apdu.body else {
        panic!("not a data-notification")
    };
    let [Data::LongUnsigned(code), Data::OctetString(ts), log] = n.body.items().unwrap() else {
        panic!("alert body {:?}", n.body)
    };
    assert_eq!(*code, DEVICE_LOG_CHANGED_ALERT);
    assert_eq!(ts.len(), 12);
    let [Data::OctetString(_), Data::OctetString(pan), Data::Array(entries)] = log.items().unwrap()
    else {
        panic!("device log {log:?}")
    };
    assert_eq!(pan.len(), 8);
    entries
        .iter()
        .map(|e| match e.items().unwrap() {
            [Data::OctetString(d), Data::OctetString(key)] => {
                assert_eq!(key.len(), 16);
                d.as_slice().to_vec()
            }
            other => panic!("entry {other:?}"),
        })
        .collect()
}

#[test]
fn new_hub_logs_its_rtds_neighbours() {
    let chf = Chf::new(hub());
    assert_eq!(
        chf.device_log(HAN_DEVICE_LOG),
        [eui("00DB1234567890A0"), eui("00DB1234567890A1")]
    );
    assert_eq!(
        chf.device_log(OTHER_DEVICE_LOG),
        [eui("00DB1234567890A3"), eui("00DB1234567890A4")]
    );
}

#[test]
fn added_device_is_read_back_and_alerted() {
    let mut chf = Chf::new(hub());
    let reply = run(&mut chf, 0x3E8, vec![add("00DB1234567890B7")]);
    assert_eq!(reply.response.invoke_id, 0x3E8);
    assert_eq!(outcomes(&reply), [(3, 0, Data::Null)]);
    assert_eq!(reply.alerts.len(), 1);
    let want = [
        eui("00DB1234567890A0"),
        eui("00DB1234567890A1"),
        eui("00DB1234567890B7"),
    ];
    assert_eq!(alerted_devices(&reply.alerts[0]), want);

    let reply = run(&mut chf, 0x3E9, vec![read_log()]);
    assert!(reply.alerts.is_empty(), "a read changes nothing");
    let [(1, 0, Data::Array(entries))] = &outcomes(&reply)[..] else {
        panic!("{:?}", outcomes(&reply))
    };
    let read: Vec<Vec<u8>> = entries.iter().filter_map(device_eui).collect();
    assert_eq!(read, want);
    // The new entry has the layout of the others (CCS06 reads 14-field entries).
    assert!(entries
        .iter()
        .all(|e| e.items().map(<[Data]>::len) == Some(14)));
}

#[test]
fn adding_a_logged_device_again_keeps_one_entry() {
    let mut chf = Chf::new(hub());
    let reply = run(&mut chf, 1, vec![add("00DB1234567890A1")]);
    assert_eq!(outcomes(&reply)[0].1, 0);
    assert_eq!(chf.device_log(HAN_DEVICE_LOG).len(), 2);
}

#[test]
fn removing_devices() {
    let mut chf = Chf::new(hub());
    // An unknown device: nothing to remove, the log and its watchers are left alone.
    let reply = run(&mut chf, 1, vec![remove("00DB1234567890FF")]);
    assert_eq!(outcomes(&reply), [(3, 0, Data::Null)]);
    assert!(reply.alerts.is_empty());
    assert_eq!(chf.device_log(HAN_DEVICE_LOG).len(), 2);

    // A logged one (CCS02): gone, and CS14 reports the remaining log.
    let reply = run(&mut chf, 2, vec![remove("00DB1234567890A0")]);
    assert_eq!(outcomes(&reply), [(3, 0, Data::Null)]);
    assert_eq!(alerted_devices(&reply.alerts[0]), [eui("00DB1234567890A1")]);
    assert_eq!(chf.device_log(HAN_DEVICE_LOG), [eui("00DB1234567890A1")]);
}

#[test]
fn emptied_log_can_grow_again() {
    let mut chf = Chf::with_device_logs(hub(), &[], &[]);
    let reply = run(&mut chf, 1, vec![add("00DB1234567890A0")]);
    assert_eq!(outcomes(&reply)[0].1, 0);
    assert_eq!(chf.device_log(HAN_DEVICE_LOG), [eui("00DB1234567890A0")]);
}

#[test]
fn malformed_device_is_type_unmatched() {
    let mut chf = Chf::new(hub());
    let reply = run(
        &mut chf,
        1,
        vec![(
            spec(SpecKind::Action, 104, HAN_DEVICE_LOG, 2),
            os(&[1, 2, 3]),
        )],
    );
    assert_eq!(outcomes(&reply), [(3, result::TYPE_UNMATCHED, Data::Null)]);
    assert!(reply.alerts.is_empty());
}

#[test]
fn set_of_wrong_type_fails_and_breaks_the_request() {
    let mut chf = Chf::new(hub());
    let reply = run(
        &mut chf,
        1,
        vec![
            (
                spec(SpecKind::Set, 1, SUB_GHZ_CONFIGURATION, 2),
                Data::Unsigned(3),
            ),
            read_log(),
        ],
    );
    assert_eq!(
        outcomes(&reply),
        [
            (2, result::TYPE_UNMATCHED, Data::Null),
            (1, result::OTHER_REASON, Data::Null),
        ]
    );
    assert!(reply.alerts.is_empty(), "a refused write announces nothing");
    assert_eq!(
        chf.attribute(NOW, 1, obis(SUB_GHZ_CONFIGURATION), 2),
        Ok(sub_ghz_defaults())
    );
}

#[test]
fn unknown_object_is_undefined() {
    let mut chf = Chf::new(hub());
    // The ESME's import register is not a hub object.
    let reply = run(
        &mut chf,
        1,
        vec![
            (spec(SpecKind::Get, 1, "0-0:96.1.1.255", 2), Data::Null),
            (spec(SpecKind::Get, 3, "1-0:1.8.0.255", 2), Data::Null),
        ],
    );
    assert_eq!(
        outcomes(&reply),
        [
            (1, 0, os(hub().as_bytes())),
            (1, result::OBJECT_UNDEFINED, Data::Null),
        ]
    );
}

#[test]
fn new_sub_ghz_configuration_is_stored_and_alerted() {
    let mut chf = Chf::new(hub());
    let Data::Structure(mut config) = sub_ghz_defaults() else {
        unreachable!()
    };
    config[4] = Data::LongUnsigned(130);
    let config = Data::Structure(config);
    let reply = run(
        &mut chf,
        1,
        vec![(
            spec(SpecKind::Set, 1, SUB_GHZ_CONFIGURATION, 2),
            config.clone(),
        )],
    );
    assert_eq!(outcomes(&reply), [(2, 0, Data::Null)]);
    assert_eq!(
        chf.attribute(NOW, 1, obis(SUB_GHZ_CONFIGURATION), 2),
        Ok(config.clone())
    );
    let [a] = &reply.alerts[..] else {
        panic!("{:?}", reply.alerts)
    };
    assert_eq!(a.message_code, CONFIGURATION_CHANGED);
    let Payload::Dlms(DlmsApdu {
        body: DlmsBody::DataNotification(n),
        ..
    }) = &a.payload
    else {
        panic!("not a data-notification")
    };
    assert_eq!(
        n.body.items().map(|i| (i[0].clone(), i[2].clone())),
        Some((Data::LongUnsigned(CONFIGURATION_CHANGED_ALERT), config))
    );
}

#[test]
fn channel_scan_request_raises_the_outcome_alert() {
    let mut chf = Chf::new(hub());
    let reply = run(
        &mut chf,
        1,
        vec![(
            spec(SpecKind::Set, 1, CHANNEL_SCAN_REQUEST, 2),
            Data::Unsigned(0),
        )],
    );
    assert_eq!(outcomes(&reply), [(2, 0, Data::Null)]);
    assert_eq!(reply.alerts.len(), 1);
    assert_eq!(reply.alerts[0].message_code, CHANNEL_SCAN_OUTCOME);
}

#[test]
fn backup_of_both_logs() {
    let mut chf = Chf::new(hub());
    let reply = run(
        &mut chf,
        1,
        vec![
            (spec(SpecKind::Action, 104, HAN_DEVICE_LOG, 4), Data::Null),
            (spec(SpecKind::Action, 104, OTHER_DEVICE_LOG, 4), Data::Null),
        ],
    );
    let o = outcomes(&reply);
    assert!(o.iter().all(|(c, r, _)| (*c, *r) == (3, 0)), "{o:?}");
    let devices = |d: &Data| -> Vec<Vec<u8>> {
        match d.items() {
            Some([_, _, Data::Array(e)]) => e
                .iter()
                .filter_map(|x| x.items()?.first()?.as_octets().map(<[u8]>::to_vec))
                .collect(),
            _ => panic!("{d:?}"),
        }
    };
    assert_eq!(
        devices(&o[1].2),
        [eui("00DB1234567890A3"), eui("00DB1234567890A4")]
    );
    assert!(reply.alerts.is_empty());
}
