//! The simulator end to end on corpus commands: security pipeline, device model, response
//! framing, MAC and payload encryption, judged by the same inspector the harness uses.

use gbcs_harness::codec::{decode_frame, CraFlag, EntityId};
use gbcs_harness::corpus;
use gbcs_harness::crypto::KeyStore;
use gbcs_harness::inspect::{Inspector, Verdict};
use gbcs_harness::sim::gsme::{GasDevice, GasMeter};
use gbcs_harness::sim::{shape, Simulator};

fn id(s: &str) -> EntityId {
    s.parse().unwrap()
}

#[test]
fn a_gas_proxy_answers_a_consumption_read_with_an_encrypted_maced_response() {
    let (Some(dir), Some(keys_dir)) = (corpus::messages_dir(), corpus::keystore_dir()) else {
        return;
    };
    let keys = KeyStore::load_dir(&keys_dir).unwrap();
    let gpf = id("00db1234567890a3");
    let mut sim = Simulator::new(
        KeyStore::load_dir(&keys_dir).unwrap(),
        id("90b3d51f30000002"),
    );
    let now = sim.clock();
    sim.add_device(
        gpf,
        Box::new(GasMeter::in_service(gpf, GasDevice::Gpf, now)),
    );

    let folder = dir.join("4.1.1_GCS13a");
    let command =
        corpus::read_hex_file(&folder.join("GCS13a_4.1.1_SUCCESS_RELIABLE_GPF_COMMAND_GBCS.HEX"))
            .unwrap();
    let recorded =
        corpus::read_hex_file(&folder.join("GCS13a_4.1.1_SUCCESS_RELIABLE_GPF_RESPONSE_GBCS.HEX"))
            .unwrap();
    let exchange = sim.handle(&command);
    assert_eq!(exchange.rejection, None);
    let response = exchange.response.expect("a response");

    let inspector = Inspector::new(&keys, None);
    let ours = inspector.inspect(&response).unwrap();
    assert_eq!(ours.checks.mac, Verdict::Valid);
    assert_eq!(
        ours.checks.decryption.decrypted, 1,
        "{:?}",
        ours.checks.decryption
    );
    let f = decode_frame(&response).unwrap();
    assert_eq!(f.header().cra, CraFlag::Response);
    assert_eq!(
        f.header().counter,
        decode_frame(&command).unwrap().header().counter
    );

    let theirs = inspector.inspect(&recorded).unwrap();
    assert_eq!(
        shape(ours.message.payload.as_ref().unwrap()),
        shape(theirs.message.payload.as_ref().unwrap()),
        "same structure as the recorded response"
    );
    // The same command again is a replay.
    assert!(sim.handle(&command).rejection.is_some());
}
