//! The role entitlement the simulator enforces admits every command of the RTDS corpus (which
//! records conformant traffic): the originator's certificate role is entitled to its use case.

use gbcs_harness::codec::{decode_frame, CraFlag};
use gbcs_harness::corpus;
use gbcs_harness::crypto::KeyStore;
use gbcs_harness::sim::access::{acting_role, entitlement};

#[test]
fn every_corpus_command_is_entitled() {
    let (Some(messages), Some(keys)) = (corpus::load_messages(), corpus::keystore_dir()) else {
        return;
    };
    let keys = KeyStore::load_dir(&keys).unwrap();
    let mut checked = 0;
    let mut refused = Vec::new();
    for m in &messages {
        let f = decode_frame(&m.bytes).unwrap();
        let h = f.header();
        // PRECOMMANDs are not sent to devices; HAN-only commands come from devices.
        if h.cra != CraFlag::Command || m.file_name().contains("PRECOMMAND") {
            continue;
        }
        let Some(role) = acting_role(&keys, h) else {
            continue;
        };
        checked += 1;
        let e = entitlement(h.message_code().unwrap());
        if !e.allows(role) {
            refused.push(format!(
                "{}: {role:?} not in {:?} ({:?})",
                m.file_name(),
                e.roles,
                e.rule
            ));
        }
    }
    assert!(checked > 400, "{checked}");
    assert!(
        refused.is_empty(),
        "{} refused:\n{}",
        refused.len(),
        refused.join("\n")
    );
}
