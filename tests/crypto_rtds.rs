//! Cryptography checked against the RTDS corpus and the ZAZ1 key store: shared secrets of the
//! primer's worked examples, MAC generation that reproduces corpus bytes, signing that the
//! verifier accepts, and payload encryption that reproduces a device's ciphertext.

use gbcs_harness::codec::frame::SignatureField;
use gbcs_harness::codec::{decode_frame, decode_message, EntityId, Payload};
use gbcs_harness::corpus;
use gbcs_harness::crypto::keystore::RemotePartyRole;
use gbcs_harness::crypto::{protect, KeyStore, KeyUsage};
use gbcs_harness::inspect::{Inspector, Verdict};

fn id(s: &str) -> EntityId {
    s.parse().unwrap()
}

fn setup() -> Option<(std::path::PathBuf, KeyStore)> {
    let dir = corpus::messages_dir()?;
    let keys = KeyStore::load_dir(&corpus::keystore_dir()?).expect("key store loads");
    Some((dir, keys))
}

fn read(dir: &std::path::Path, rel: &str) -> Vec<u8> {
    corpus::read_hex_file(&dir.join(rel)).unwrap()
}

#[test]
fn shared_secrets_of_the_worked_examples() {
    let Some((_, keys)) = setup() else { return };
    let ka = KeyUsage::KeyAgreement;
    let esme = id("00db1234567890a0");
    // framing §7.1: ACB private × ESME certificate.
    let z = keys
        .shared_secret(id("90b3d51f30000002"), ka, esme, ka)
        .unwrap();
    assert_eq!(
        hex::encode(*z),
        "ed342441df01551a6beaff3b54adc981f4c6a7e71dff4c3e1cc80b3c9f4e5ac0"
    );
    // framing §7.2: supplier private × ESME certificate; same pair named from either end.
    let z = keys
        .shared_secret(esme, ka, id("90b3d51f30010000"), ka)
        .unwrap();
    assert_eq!(
        hex::encode(*z),
        "42da8fad4c8c9d613976f39f1e79ccc88571efa43933d57146b533bc6d253e0f"
    );
    // Two devices: no private key on either side.
    let err = keys
        .shared_secret(id("00db1234567890a4"), ka, id("00db1234567890a1"), ka)
        .unwrap_err();
    assert!(
        err.to_string().contains("no private key for either side"),
        "{err}"
    );
}

#[test]
fn key_store_reads_roles_device_ids_and_notes_quirks() {
    let Some((_, keys)) = setup() else { return };
    assert_eq!(
        keys.role(id("90b3d51f30010000")),
        Some(RemotePartyRole::Supplier)
    );
    assert_eq!(
        keys.role(id("90b3d51f30020000")),
        Some(RemotePartyRole::NetworkOperator)
    );
    assert_eq!(
        keys.entities_with_role(RemotePartyRole::AccessControlBroker),
        vec![id("90b3d51f30000002")]
    );
    let device = keys
        .certificate(id("00db1234567890a0"), KeyUsage::KeyAgreement)
        .unwrap();
    assert_eq!(device.subject_entity, Some(id("00db1234567890a0")));
    assert_eq!(device.role, None);
    // The store's one mislabelled certificate is reported, not silently trusted.
    assert!(keys
        .notes()
        .iter()
        .any(|n| n.file == "90b3d51f30000007-ka.pem" && n.note.contains("90B3D51F30030000")));
}

#[test]
fn mac_generation_reproduces_the_corpus_command() {
    let Some((dir, keys)) = setup() else { return };
    let acb = Some(id("90b3d51f30000002"));
    for rel in [
        "7.1_ECS42/ECS42_7.1_SUCCESS_COMMAND_GBCS.HEX",
        "4.1.1_ECS17b/ECS17b_4.1.1_SINGLE_SUCCESS_COMMAND_GBCS.HEX",
        "4.1.1_GCS13a/GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_COMMAND_GBCS.HEX",
    ] {
        let bytes = read(&dir, rel);
        let frame = decode_frame(&bytes).unwrap();
        let rebuilt = protect::wrap_with_mac(&keys, acb, frame.general_signing.clone()).unwrap();
        assert_eq!(rebuilt.encode(), bytes, "{rel}");
    }
    // A device's response MAC, generated from the remote party's side of the pair.
    let bytes = read(&dir, "7.4_ECS45/ECS45_7.4_SUCCESS_RESPONSE_GBCS.HEX");
    let frame = decode_frame(&bytes).unwrap();
    let mac = protect::frame_mac(
        &keys,
        None,
        &frame,
        &bytes[frame.spans.general_signing.clone()],
    )
    .unwrap();
    assert_eq!(hex::encode_upper(mac), "DC09EDAAD858471A9DA83683");
}

#[test]
fn signing_a_precommand_gives_a_command_the_verifier_accepts() {
    let Some((dir, keys)) = setup() else { return };
    let inspector = Inspector::new(&keys, None);
    let pre = decode_frame(&read(
        &dir,
        "7.1_ECS42/ECS42_7.1_SUCCESS_PRECOMMAND_GBCS.HEX",
    ))
    .unwrap();
    assert_eq!(pre.general_signing.signature, SignatureField::Absent);
    let mut gs = pre.general_signing.clone();
    protect::sign(&keys, &mut gs).unwrap();
    let frame = protect::wrap_with_mac(&keys, inspector.acb(), gs).unwrap();
    let bytes = frame.encode();
    let i = inspector.inspect(&bytes).unwrap();
    assert_eq!(i.checks.signature, Verdict::Valid);
    assert_eq!(i.checks.mac, Verdict::Valid);
    // Signed by someone else: the signature no longer verifies as the supplier's.
    let mut forged = pre.general_signing.clone();
    forged.header.originator = id("90b3d51f30020000");
    protect::sign(&keys, &mut forged).unwrap();
    forged.header.originator = id("90b3d51f30010000");
    let bytes = protect::wrap_with_mac(&keys, inspector.acb(), forged)
        .unwrap()
        .encode();
    let i = inspector.inspect(&bytes).unwrap();
    assert_eq!(i.checks.signature, Verdict::Invalid);
    assert_eq!(
        i.checks.mac,
        Verdict::Valid,
        "the ACB MAC covers whatever it is given"
    );
}

#[test]
fn encryption_reproduces_the_device_ciphertext() {
    let Some((dir, keys)) = setup() else { return };
    let inspector = Inspector::new(&keys, None);
    let bytes = read(
        &dir,
        "4.1.1_ECS17b/ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX",
    );
    let message = decode_message(&bytes).unwrap();
    // The ECS17b plaintext of dlms.md §9.2.
    let plaintext = hex::decode("02010204060000000A02020F00161E060000000A02020F001620").unwrap();
    let block = protect::encrypt_block(&keys, &message.frame, 0, &plaintext).unwrap();
    let mut expected = Vec::new();
    block.encode(&mut expected);
    let content = message.frame.general_signing.content.as_slice();
    assert!(
        content
            .windows(expected.len())
            .any(|w| w == expected.as_slice()),
        "re-encryption gives the corpus block"
    );
    assert!(matches!(message.payload, Ok(Payload::Dlms(_))));
    assert_eq!(
        inspector
            .inspect(&bytes)
            .unwrap()
            .checks
            .decryption
            .decrypted,
        1
    );
}
