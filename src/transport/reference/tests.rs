use super::*;
use crate::codec::frame::Frame;
use crate::codec::CraFlag;
use crate::command::template::{Addressing, Tampering};
use crate::crypto::pki::defaults;
use crate::inspect::{Inspection, Inspector, Verdict};

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

#[test]
fn urls_are_parsed_and_checked() {
    let o = ReferenceOptions::from_url("reference:/r/RTDS?esme=twin&keys=/k").unwrap();
    assert_eq!(o.dir, PathBuf::from("/r/RTDS"));
    assert_eq!(o.keys, PathBuf::from("/k"));
    assert!(o.twin);
    let o = ReferenceOptions::from_url("reference:/r/RTDS").unwrap();
    assert_eq!(o.keys, PathBuf::from("/r/RTDS/../keystore"));
    assert!(!o.twin);
    for url in [
        "reference:",
        "reference:?esme=twin",
        "reference:/r?esme=triple",
        "reference:/r?colour=red",
        "reference:/r?keys=",
    ] {
        let e = ReferenceOptions::from_url(url).unwrap_err().to_string();
        assert!(e.contains("bad transport URL"), "{url}: {e}");
    }
    let e = ReferenceTransport::from_url("reference:/no/such/folder")
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.starts_with("reference:/no/such/folder: ") && e.contains("not a folder"),
        "{e}"
    );
}

#[test]
fn the_match_key_ignores_what_changes_between_sendings() {
    let code = MessageCode::ECS17B;
    let a = hex::decode("D9200003E80001030009090400000000000003E8090811").unwrap();
    let b = hex::decode("D9200004B00001030009090401000000000000AA090811").unwrap();
    let c = hex::decode("D9200004B00001030109090401000000000000AA090811").unwrap();
    assert_eq!(match_key(code, &a), match_key(code, &b));
    assert_ne!(match_key(code, &a), match_key(code, &c));
    assert_ne!(match_key(code, &a), match_key(MessageCode::ECS17C, &a));
}

fn facts(counter: u64, originator: EntityId, recipient: EntityId) -> CommandFacts {
    CommandFacts {
        message_code: MessageCode::ECS01A,
        counter,
        originator,
        recipient,
        supplementary_counter: None,
        echoes: Asn1Echoes::default(),
        replacing_keys: Vec::new(),
    }
}

#[test]
fn echoes_of_the_recorded_command_are_rewritten() {
    let map = rtds_to_default();
    let rtds = |s: &str| -> EntityId { s.parse().unwrap() };
    let supplier = rtds("90b3d51f30010000");
    let esme = rtds("00db1234567890a0");
    let recorded = facts(0x3E8, supplier, esme);
    // Another party than recorded sends it, to another ESME.
    let actual = facts(
        0x0100_0000_0001,
        defaults::NETWORK_OPERATOR,
        defaults::LOAD_CONTROLLED_ESME,
    );
    let r = Readdress::new(&recorded, actual, None, &map, &[]);
    let mut bytes = Vec::new();
    // Protection parameters: transaction id, then device → party.
    bytes.extend_from_slice(&hex::decode("09090400000000000003E8").unwrap());
    bytes.extend_from_slice(&[0x09, 0x08]);
    bytes.extend_from_slice(&esme.0);
    bytes.extend_from_slice(&[0x09, 0x08]);
    bytes.extend_from_slice(&supplier.0);
    // A future-dated outcome: message code and counter of the command.
    bytes.extend_from_slice(&hex::decode("0913001900000000000003E8").unwrap());
    // The supplier elsewhere is data (a trust anchor, say): the lab's supplier.
    bytes.extend_from_slice(&supplier.0);
    // An echo at the very end is found too.
    bytes.extend_from_slice(&hex::decode("001900000000000003E8").unwrap());
    r.rewrite(&mut bytes);
    let mut want = vec![0x09, 0x09, 0x04];
    want.extend_from_slice(&0x0100_0000_0001u64.to_be_bytes());
    want.extend_from_slice(&[0x09, 0x08]);
    want.extend_from_slice(&defaults::LOAD_CONTROLLED_ESME.0);
    want.extend_from_slice(&[0x09, 0x08]);
    want.extend_from_slice(&defaults::NETWORK_OPERATOR.0);
    want.extend_from_slice(&[0x09, 0x13, 0x00, 0x19]);
    want.extend_from_slice(&0x0100_0000_0001u64.to_be_bytes());
    want.extend_from_slice(&defaults::SUPPLIER.0);
    want.extend_from_slice(&[0x00, 0x19]);
    want.extend_from_slice(&0x0100_0000_0001u64.to_be_bytes());
    assert_eq!(hex::encode(&bytes), hex::encode(&want));
}

#[test]
fn variant_names_are_classified_by_their_words() {
    let v = |name: &str| Variant {
        name: name.into(),
        recorded: facts(0, EntityId([0; 8]), EntityId([0; 8])),
        answer: Err(ReferenceError::Lab("test".into())),
    };
    assert!(v("ECS17b_4.1.1_ERROR").is_error());
    assert!(v("GCS13a_4.1.1_NOT_FOUND").is_error());
    assert!(v("ECS26b_6.2.1_IMMEDIATE_SINGLE_ERROR").is_error());
    assert!(!v("ECS17b_4.1.1_SINGLE_SUCCESS").is_error());
    assert!(v("ECS17b_4.1.1_TWIN_SUCCESS").is_twin());
    assert!(!v("ECS17b_4.1.1_SINGLE_SUCCESS").is_twin());
}

/// The inspection of `response` as the answer to `sent`: a response echoing its counter and
/// message code, from the device to the sender, whose MAC and signature do not fail.
fn answer(profile: &DefaultProfile, sent: &Frame, response: &[u8]) -> Inspection {
    let inspection = Inspector::new(profile.keys(), Some(profile.acb()))
        .inspect(response)
        .unwrap();
    let (c, r) = (sent.header(), inspection.message.frame.header());
    assert_eq!(r.cra, CraFlag::Response);
    assert_eq!(r.counter, c.counter);
    assert_eq!(r.message_code(), c.message_code());
    assert_eq!((r.originator, r.recipient), (c.recipient, c.originator));
    assert!(!matches!(inspection.checks.signature, Verdict::Invalid));
    assert!(!matches!(inspection.checks.mac, Verdict::Invalid));
    inspection
}

/// The lab's command for a recorded one, as the suite sends it.
fn lab_command(
    profile: &DefaultProfile,
    recorded: &Path,
    counter: u64,
    originator: Option<EntityId>,
) -> Vec<u8> {
    let frame = decode_frame(&read_message(recorded).unwrap()).unwrap();
    let mut template = CommandTemplate::from_frame(&frame).unwrap();
    let map = rtds_to_default();
    template.readdress(&map);
    let swap = |id: EntityId| map.iter().find(|(f, _)| *f == id).map_or(id, |(_, t)| *t);
    template
        .build(
            Addressing {
                originator: originator.unwrap_or(swap(frame.header().originator)),
                recipient: swap(frame.header().recipient),
                counter,
            },
            profile.keys(),
            Some(profile.acb()),
            Tampering::default(),
        )
        .unwrap()
}

/// The ECS17b folder (single, twin, error), or `None` when the corpus is absent.
fn ecs17b() -> Option<(PathBuf, PathBuf)> {
    let (Some(dir), Some(keys)) = (crate::corpus::messages_dir(), crate::corpus::keystore_dir())
    else {
        assert!(
            std::env::var("GBCS_REQUIRE_RTDS").as_deref() != Ok("1"),
            "GBCS_REQUIRE_RTDS=1 but the RTDS corpus is absent"
        );
        eprintln!("RTDS corpus not found (set GBCS_RTDS_DIR): skipped");
        return None;
    };
    Some((dir.join("4.1.1_ECS17b"), keys))
}

fn open(folder: &Path, keys: &Path, query: &str) -> ReferenceTransport {
    let url = format!(
        "reference:{}?keys={}{query}",
        folder.display(),
        keys.display()
    );
    ReferenceTransport::from_url(&url).unwrap()
}

#[test]
fn ecs17b_is_answered_readdressed_re_encrypted_and_with_the_variant_prepared() {
    let Some((folder, keys)) = ecs17b() else {
        return;
    };
    let mut t = open(&folder, &keys, "");
    assert_eq!(t.len(), 3);
    assert!(t.skipped().is_empty() && t.unanswerable().is_empty());
    let profile = DefaultProfile::generate().unwrap();
    let limits = Limits::default();
    let single = folder.join("ECS17b_4.1.1_SINGLE_SUCCESS_COMMAND_GBCS.HEX");
    let counter = 0x0100_0000_0000_0042;
    let command = lab_command(&profile, &single, counter, None);
    assert_eq!(
        t.variants_of(&command),
        ["ECS17b_4.1.1_ERROR", "ECS17b_4.1.1_SINGLE_SUCCESS"]
    );
    let got = block_on(t.exchange(&command, &limits)).unwrap();
    assert_eq!((got.responses.len(), got.alerts.len()), (1, 0));
    let sent = decode_frame(&command).unwrap();
    let inspection = answer(&profile, &sent, &got.responses[0].frame);
    assert_eq!(inspection.checks.decryption.decrypted, 1);
    let content = inspection.message.frame.general_signing.content.as_slice();
    // The invoke id and the transaction id carry the new counter; the party is the sender.
    assert_eq!(content[2..5], [0x00, 0x00, 0x42]);
    let mut txid = vec![0x09, 0x09, 0x04];
    txid.extend_from_slice(&counter.to_be_bytes());
    txid.extend_from_slice(&[0x09, 0x08]);
    txid.extend_from_slice(&defaults::ESME.0);
    txid.extend_from_slice(&[0x09, 0x08]);
    txid.extend_from_slice(&defaults::SUPPLIER.0);
    assert!(find(content, &txid).is_some(), "{}", hex::encode(content));

    // The ERROR variant, asked for, answers the same command once; then the nominal again.
    let state = DeviceState {
        use_case: "ECS17b".into(),
        variant: "ECS17b_4.1.1_ERROR".into(),
        device: defaults::ESME,
    };
    block_on(t.prepare(&state, &limits)).unwrap();
    let command = lab_command(&profile, &single, counter + 1, None);
    let got = block_on(t.exchange(&command, &limits)).unwrap();
    let sent = decode_frame(&command).unwrap();
    let error = answer(&profile, &sent, &got.responses[0].frame);
    assert_eq!(error.checks.decryption.blocks, 0);
    let command = lab_command(&profile, &single, counter + 2, None);
    let got = block_on(t.exchange(&command, &limits)).unwrap();
    let nominal = Inspector::new(profile.keys(), Some(profile.acb()))
        .inspect(&got.responses[0].frame)
        .unwrap();
    assert_eq!(nominal.checks.decryption.decrypted, 1);

    // An unknown variant is refused; a variant the next command lacks is an error naming both.
    let unknown = DeviceState {
        variant: "ECS17b_4.1.1_NO_SUCH".into(),
        ..state.clone()
    };
    let e = block_on(t.prepare(&unknown, &limits)).unwrap_err();
    assert!(e.to_string().contains("ECS17b_4.1.1_NO_SUCH"), "{e}");
    let elsewhere = DeviceState {
        device: defaults::FOREIGN_ESME,
        ..state.clone()
    };
    let e = block_on(t.prepare(&elsewhere, &limits)).unwrap_err();
    assert!(e.to_string().contains("not one of the devices"), "{e}");
    let twin_state = DeviceState {
        variant: "ECS17b_4.1.1_TWIN_SUCCESS".into(),
        ..state
    };
    block_on(t.prepare(&twin_state, &limits)).unwrap();
    let command = lab_command(&profile, &single, counter + 3, None);
    let e = block_on(t.exchange(&command, &limits))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("TWIN_SUCCESS") && e.contains("ECS17b_4.1.1_SINGLE_SUCCESS"),
        "{e}"
    );
}

#[test]
fn another_sender_gets_the_answer_and_bad_commands_get_none() {
    let Some((folder, keys)) = ecs17b() else {
        return;
    };
    let mut t = open(&folder, &keys, "&esme=twin");
    let profile = DefaultProfile::generate().unwrap();
    let limits = Limits::default();
    let single = folder.join("ECS17b_4.1.1_SINGLE_SUCCESS_COMMAND_GBCS.HEX");
    // The supplier's template sent by the network operator: answered to the network operator.
    let command = lab_command(&profile, &single, 7, Some(defaults::NETWORK_OPERATOR));
    let got = block_on(t.exchange(&command, &limits)).unwrap();
    let sent = decode_frame(&command).unwrap();
    let r = answer(&profile, &sent, &got.responses[0].frame);
    assert_eq!(
        r.message.frame.header().recipient,
        defaults::NETWORK_OPERATOR
    );
    let mut party = vec![0x09, 0x08];
    party.extend_from_slice(&defaults::NETWORK_OPERATOR.0);
    let content = r.message.frame.general_signing.content.as_slice();
    assert!(find(content, &party).is_some());

    // The same counter again is a replay; a flipped MAC is not authentic: no answer.
    let e = block_on(t.exchange(&command, &limits)).unwrap_err();
    assert!(matches!(e, TransportError::Timeout { .. }), "{e}");
    assert!(t.last_discard().unwrap().contains("counter"));
    let mut forged = lab_command(&profile, &single, 8, None);
    let n = forged.len();
    forged[n - 1] ^= 1;
    let e = block_on(t.exchange(&forged, &limits)).unwrap_err();
    assert!(matches!(e, TransportError::Timeout { .. }), "{e}");
    assert_eq!(t.last_discard(), Some("MAC does not verify"));

    // Nor does a frame that does not decode.
    let e = block_on(t.exchange(b"garbage", &limits)).unwrap_err();
    assert!(matches!(e, TransportError::Timeout { .. }), "{e}");
    assert!(t.last_discard().unwrap().starts_with("does not decode"));

    // Nor does a command for a device the reference device is not.
    let frame = decode_frame(&read_message(&single).unwrap()).unwrap();
    let mut template = CommandTemplate::from_frame(&frame).unwrap();
    template.readdress(&rtds_to_default());
    let foreign = template
        .build(
            Addressing {
                originator: defaults::SUPPLIER,
                recipient: defaults::FOREIGN_ESME,
                counter: 20,
            },
            profile.keys(),
            Some(profile.acb()),
            Tampering::default(),
        )
        .unwrap();
    let e = block_on(t.exchange(&foreign, &limits)).unwrap_err();
    assert!(matches!(e, TransportError::Timeout { .. }), "{e}");
    assert!(t.last_discard().unwrap().contains("not one of the devices"));

    // A command with no recording says so.
    let other = crate::corpus::messages_dir()
        .unwrap()
        .join("7.4_ECS45/ECS45_7.4_SUCCESS_COMMAND_GBCS.HEX");
    if other.is_file() {
        let command = lab_command(&profile, &other, 9, None);
        let e = block_on(t.exchange(&command, &limits)).unwrap_err();
        assert!(
            matches!(e, TransportError::NoRecordedResponse { .. }),
            "{e}"
        );
        assert!(e.to_string().contains("ECS45"), "{e}");
    }
}

#[test]
fn an_undecryptable_recording_is_an_error_at_exchange_not_a_panic() {
    let Some((folder, keys)) = ecs17b() else {
        return;
    };
    let tmp = std::env::temp_dir().join(format!("gbcs-reference-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    for name in [
        "ECS17b_4.1.1_SINGLE_SUCCESS_COMMAND_GBCS.HEX",
        "ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX",
    ] {
        let mut text = std::fs::read_to_string(folder.join(name)).unwrap();
        if name.contains("RESPONSE") {
            // Flip a bit inside the ciphertext of the one encrypted block.
            let bytes = crate::corpus::parse_hex(&text).unwrap();
            let rec =
                load_recording(&KeyStore::load_dir(&keys).unwrap(), &folder.join(name)).unwrap();
            let b = &rec.blocks[0];
            let at = frame_content_offset(&bytes) + b.offset + 10;
            let mut bytes = bytes;
            bytes[at] ^= 0x01;
            text = hex::encode_upper(bytes);
        }
        std::fs::write(tmp.join(name), text).unwrap();
    }
    let mut t = open(&tmp, &keys, "");
    let unanswerable = t.unanswerable();
    assert_eq!(unanswerable.len(), 1, "{unanswerable:?}");
    assert!(
        unanswerable[0].1.contains("cannot be decrypted"),
        "{unanswerable:?}"
    );
    let profile = DefaultProfile::generate().unwrap();
    let command = lab_command(
        &profile,
        &tmp.join("ECS17b_4.1.1_SINGLE_SUCCESS_COMMAND_GBCS.HEX"),
        1,
        None,
    );
    let e = block_on(t.exchange(&command, &Limits::default())).unwrap_err();
    assert!(e.to_string().contains("cannot be decrypted"), "{e}");
    let _ = std::fs::remove_dir_all(&tmp);
}

/// Where the General Signing content starts in a frame's bytes.
fn frame_content_offset(bytes: &[u8]) -> usize {
    decode_frame(bytes).unwrap().general_signing.content_offset
}
