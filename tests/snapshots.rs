//! Pins the decoded JSON (frame, payload, decrypted blocks and check verdicts) of one
//! representative corpus message per payload family and frame form. A change to the decoded
//! model shows up here as a reviewable diff (`cargo insta review`).

use gbcs_harness::corpus;
use gbcs_harness::crypto::KeyStore;
use gbcs_harness::inspect::Inspector;

const REPRESENTATIVES: &[&str] = &[
    // DLMS: signed critical command (action), MAC'd response with an encrypted Data
    // Protection result, future-dated data-notification alert, UTRN top-up.
    "7.1_ECS42/ECS42_7.1_SUCCESS_COMMAND_GBCS.HEX",
    "4.1.1_ECS17b/ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX",
    "1.1.1_ECS01a/ECS01a_1.1.1_8F66_FUTURE_DATED_TOU_BLOCK_SUCCESS_ALERT_CURRENCY_UNIT_GBCS.HEX",
    "2.2_CS01a/CS01a_2.2_SUCCESS_COMMAND_GBCS.HEX",
    // GBZ: read attributes, encrypted read-attributes response, future-dated alert.
    "4.1.1_GCS13a/GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_COMMAND_GBCS.HEX",
    "4.1.1_GCS13a/GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE_GBCS.HEX",
    "1.1.1_GCS01a/GCS01a_1.1.1_8F66_FUTURE_DATED_BLOCK_SUCCESS_ALERT_PUBLISH_PRICE_MATRIX_GBCS.HEX",
    // ASN.1: join command (PRECOMMAND form: no signature field), firmware activation alert.
    "8.7.1_CS03A1/CS03A1_8.7.1_SUCCESS_PRECOMMAND_GBCS.HEX",
    "11.3_CS06/CS06_11.3_8F66_FUTURE_DATED_SUCCESS_ALERT_GBCS.HEX",
    // Frame forms: supplementary remote party in an alert; HAN-only command whose MAC the
    // store cannot check.
    "NA_ECS100/ECS100_NA_8F85_SUPPLEMENTARY_REMOTE_PARTY_ALERT_GBCS.HEX",
    "NA_PCS01/PCS01_NA_SUCCESS_COMMAND_GBCS.HEX",
];

#[test]
fn representative_messages_decode_as_pinned() {
    let (Some(dir), Some(keys)) = (corpus::messages_dir(), corpus::keystore_dir()) else {
        eprintln!("RTDS corpus absent: skipping snapshots");
        return;
    };
    let keys = KeyStore::load_dir(&keys).expect("key store loads");
    let inspector = Inspector::new(&keys, None);
    for rel in REPRESENTATIVES {
        let bytes = corpus::read_hex_file(&dir.join(rel)).expect("corpus file");
        let inspection = inspector.inspect(&bytes).expect("decodes");
        let name = rel
            .rsplit('/')
            .next()
            .unwrap()
            .trim_end_matches("_GBCS.HEX");
        insta::assert_json_snapshot!(name, inspection);
    }
}
