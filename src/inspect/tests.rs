//! Inspection of the RTDS corpus and of generated frames with real keys: the codec's encrypted
//! payloads decrypt (through the inspector) to typed plaintexts, and a command protected by
//! the test PKI's remote parties verifies on its device.

use crate::codec::ciphered::BlockStats;
use crate::codec::dlms::{CipheredData, CompactContents, Data};
use crate::codec::frame::{decode_frame, SignatureField};
use crate::codec::ids::CraFlag;
use crate::codec::payload::Payload;
use crate::crypto::pki::defaults::{ACCESS_CONTROL_BROKER, ESME, GSME, SUPPLIER};
use crate::crypto::pki::TestPki;
use crate::crypto::{protect, KeyStore};
use crate::inspect::{Inspector, Verdict};

fn has_raw_compact_array(d: &Data) -> bool {
    match d {
        Data::CompactArray(ca) => matches!(ca.contents, CompactContents::Raw(_)),
        Data::Array(items) | Data::Structure(items) => items.iter().any(has_raw_compact_array),
        _ => false,
    }
}

/// With the corpus key store, every DLMS ciphered block decrypts and its plaintext decodes.
#[test]
fn corpus_blocks_decrypt_and_decode() {
    let (Some(messages), Some(dir)) = (
        crate::corpus::load_messages(),
        crate::corpus::keystore_dir(),
    ) else {
        return;
    };
    let keys = KeyStore::load_dir(&dir).expect("key store loads");
    let inspector = Inspector::new(&keys, None);
    let mut stats = BlockStats::default();
    let mut compact_in_plaintext = 0;
    for m in &messages {
        let Ok(i) = inspector.inspect(&m.bytes) else {
            continue;
        };
        let Ok(Payload::Dlms(apdu)) = &i.message.payload else {
            continue;
        };
        stats.add(i.checks.decryption);
        let mut apdu = apdu.clone();
        let mut visit = |c: &mut CipheredData| {
            if let Some(d) = &c.decrypted {
                assert!(!has_raw_compact_array(d), "{}", m.file_name());
                compact_in_plaintext += usize::from(matches!(
                    d.items().and_then(|x| x.first()),
                    Some(Data::CompactArray(_))
                ));
            }
        };
        for d in apdu.data_mut() {
            d.for_each_ciphered(&mut visit);
        }
    }
    eprintln!(
        "DLMS blocks: {stats:?}; {compact_in_plaintext} plaintexts lead with a compact array"
    );
    assert_eq!(stats.blocks, 17);
    assert_eq!(stats.decrypted, 17);
    assert_eq!(stats.plaintext_undecodable, 0);
}

/// With the corpus key store (shared crypto, via the inspector), all 40 encrypted
/// components decrypt and their plaintexts decode by the typed layouts.
#[test]
fn corpus_encrypted_components_decrypt_to_typed_payloads() {
    let (Some(messages), Some(dir)) = (
        crate::corpus::load_messages(),
        crate::corpus::keystore_dir(),
    ) else {
        eprintln!("corpus or keystore absent: skipping");
        return;
    };
    let keys = KeyStore::load_dir(&dir).expect("key store loads");
    let inspector = Inspector::new(&keys, None);
    let mut total = BlockStats::default();
    let mut failures = Vec::new();
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    for m in &messages {
        let Ok(i) = inspector.inspect(&m.bytes) else {
            continue;
        };
        let Ok(Payload::Gbz(p)) = &i.message.payload else {
            continue;
        };
        total.add(i.checks.decryption);
        for c in p.components.iter().filter(|c| c.is_encrypted()) {
            let name = format!("{:?}/{:?}", c.cluster.name(), c.zcl().command);
            match c.payload() {
                Some(pl) if !pl.is_raw() => *kinds.entry(name).or_default() += 1,
                pl => failures.push(format!("{}: {name}: {pl:?}", m.file_name())),
            }
        }
        assert!(i.checks.roundtrip_identical, "{}", m.file_name());
    }
    eprintln!("encrypted GBZ components: {total:?}");
    for (k, n) in &kinds {
        eprintln!("  {k}: {n}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!((total.blocks, total.decrypted), (40, 40));
    assert_eq!(total.plaintext_undecodable, 0);
}

/// The ECS42 PRECOMMAND of the GBCS primer (framing §7.1), readdressed to the default
/// profile: signed and MAC'd with the remote-party view, checked with the device's view.
#[test]
fn a_command_protected_by_the_remote_parties_verifies_on_the_device() {
    const ECS42_PRECOMMAND: &str = "DF0901000000000000 03E8 0890B3D51F30010000 0800DB1234567890A0 \
        00 02 004F 15 D9200003E800010300090000 0A006AFF01011200 33";
    let pre: String = ECS42_PRECOMMAND.split_whitespace().collect();
    let pre = decode_frame(&hex::decode(pre).unwrap()).unwrap();
    assert_eq!(pre.general_signing.signature, SignatureField::Absent);
    let mut gs = pre.general_signing;
    gs.header.originator = SUPPLIER;
    gs.header.recipient = ESME;

    let pki = TestPki::generate(&TestPki::default_profile()).unwrap();
    let remote = pki.remote_party_view();
    protect::sign(&remote, &mut gs).unwrap();
    let command = protect::wrap_with_mac(&remote, Some(ACCESS_CONTROL_BROKER), gs.clone())
        .unwrap()
        .encode();

    let esme = pki.device_view(ESME);
    let inspector = Inspector::new(&esme, None);
    assert_eq!(inspector.acb(), Some(ACCESS_CONTROL_BROKER));
    let i = inspector.inspect(&command).unwrap();
    assert_eq!(i.checks.signature, Verdict::Valid);
    assert_eq!(i.checks.mac, Verdict::Valid);

    // Another device holds no key of the pair: it cannot judge the MAC.
    let gsme = pki.device_view(GSME);
    let i = Inspector::new(&gsme, None).inspect(&command).unwrap();
    assert_eq!(i.checks.signature, Verdict::Valid);
    assert!(
        matches!(i.checks.mac, Verdict::Unverifiable { .. }),
        "{:?}",
        i.checks.mac
    );

    // The device's answer, MAC'd from its side, verifies at the remote party.
    let mut response = gs;
    response.header.cra = CraFlag::Response;
    response.header.originator = ESME;
    response.header.recipient = SUPPLIER;
    response.signature = SignatureField::Null;
    let response = protect::wrap_with_mac(&esme, None, response)
        .unwrap()
        .encode();
    let i = Inspector::new(&remote, None).inspect(&response).unwrap();
    assert_eq!(i.checks.mac, Verdict::Valid);
}
