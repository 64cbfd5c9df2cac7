//! Every RTDS message decodes at the frame level and re-encodes byte-identically.

use gbcs_harness::codec::{decode_frame, frame::SignatureField};
use gbcs_harness::corpus;

#[test]
fn every_corpus_frame_round_trips() {
    let Some(messages) = corpus::load_messages() else {
        return;
    };
    assert_eq!(messages.len(), 1104, "RTDS 4.5.0 has 1104 messages");
    let mut precommands = 0;
    for m in &messages {
        let frame = decode_frame(&m.bytes).unwrap_or_else(|e| panic!("{}: {e}", m.path.display()));
        assert_eq!(frame.encode(), m.bytes, "{}", m.path.display());
        if frame.general_signing.signature == SignatureField::Absent {
            precommands += 1;
            assert!(m.file_name().contains("PRECOMMAND"), "{}", m.path.display());
        }
    }
    assert_eq!(precommands, 162);
}
