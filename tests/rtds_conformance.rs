//! The decoder and verifier on the whole RTDS 4.5.0 corpus reproduce the independent
//! figures of the GBCS primer: 1104 messages, 427 valid signatures, 683 of 685 MACs valid and
//! 2 unverifiable (the HAN-only PCS01 pair), 57 encrypted blocks decrypted, every message
//! round-trips byte for byte, and both CS01a top-up tokens (UTRNs) verify.

use gbcs_harness::corpus;
use gbcs_harness::crypto::KeyStore;
use gbcs_harness::inspect::{Inspector, Verdict};

#[derive(Default, Debug)]
struct Tally {
    messages: usize,
    payload_decoded: usize,
    signatures_valid: usize,
    signatures_invalid: usize,
    macs_valid: usize,
    macs_invalid: usize,
    macs_unverifiable: Vec<String>,
    blocks: usize,
    decrypted: usize,
    roundtrip: usize,
    utrns_valid: usize,
}

#[test]
fn rtds_corpus_verifies() {
    let (Some(messages), Some(keys)) = (corpus::load_messages(), corpus::keystore_dir()) else {
        eprintln!("RTDS corpus or key store absent: skipping");
        return;
    };
    let keys = KeyStore::load_dir(&keys).expect("key store loads");
    let inspector = Inspector::new(&keys, None);
    assert_eq!(
        inspector.acb(),
        Some("90b3d51f30000002".parse().unwrap()),
        "the store's one ACB certificate is the default"
    );
    let mut t = Tally::default();
    let mut problems = Vec::new();
    for m in &messages {
        t.messages += 1;
        let name = m
            .path
            .strip_prefix(m.path.parent().unwrap().parent().unwrap())
            .unwrap()
            .display()
            .to_string();
        let i = match inspector.inspect(&m.bytes) {
            Ok(i) => i,
            Err(e) => {
                problems.push(format!("{name}: frame: {e}"));
                continue;
            }
        };
        match &i.message.payload {
            Ok(_) => t.payload_decoded += 1,
            Err(e) => problems.push(format!("{name}: payload: {e}")),
        }
        match &i.checks.signature {
            Verdict::Valid => t.signatures_valid += 1,
            Verdict::Invalid => {
                t.signatures_invalid += 1;
                problems.push(format!("{name}: invalid signature"));
            }
            Verdict::Unverifiable { reason } => {
                problems.push(format!("{name}: signature unverifiable: {reason}"))
            }
            Verdict::NotPresent => {}
        }
        match &i.checks.mac {
            Verdict::Valid => t.macs_valid += 1,
            Verdict::Invalid => {
                t.macs_invalid += 1;
                problems.push(format!("{name}: invalid MAC"));
            }
            Verdict::Unverifiable { .. } => t.macs_unverifiable.push(name.clone()),
            Verdict::NotPresent => {}
        }
        if let Some(u) = &i.checks.utrn {
            match &u.verdict {
                Verdict::Valid => t.utrns_valid += 1,
                other => problems.push(format!("{name}: UTRN {}: {other:?}", u.token)),
            }
        }
        t.blocks += i.checks.decryption.blocks;
        t.decrypted += i.checks.decryption.decrypted;
        if i.checks.roundtrip_identical {
            t.roundtrip += 1;
        } else {
            problems.push(format!("{name}: does not round-trip"));
        }
    }
    eprintln!("{t:#?}");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert_eq!(t.messages, 1104);
    assert_eq!(t.payload_decoded, 1104);
    assert_eq!(t.signatures_valid, 427);
    assert_eq!(t.signatures_invalid, 0);
    assert_eq!(t.macs_valid, 683);
    assert_eq!(t.macs_invalid, 0);
    assert_eq!(t.macs_unverifiable.len(), 2);
    assert!(
        t.macs_unverifiable.iter().all(|n| n.contains("PCS01")),
        "{:?}",
        t.macs_unverifiable
    );
    assert_eq!((t.blocks, t.decrypted), (57, 57));
    assert_eq!(t.roundtrip, 1104);
    // The two genuine CS01a tokens verify with the supplier's prepayment key.
    assert_eq!(t.utrns_valid, 2);
}

#[test]
fn a_forged_utrn_is_invalid_even_with_a_correct_check_digit() {
    use gbcs_harness::codec::utrn::Utrn;
    let (Some(dir), Some(keys)) = (corpus::messages_dir(), corpus::keystore_dir()) else {
        return;
    };
    let keys = KeyStore::load_dir(&keys).unwrap();
    let inspector = Inspector::new(&keys, None);
    let genuine =
        corpus::read_hex_file(&dir.join("2.2_CS01a/CS01a_2.2_SUCCESS_COMMAND_GBCS.HEX")).unwrap();
    let token = b"73946144332040217315";
    let at = genuine
        .windows(20)
        .position(|w| w == token)
        .expect("token in the command");
    let real = Utrn::parse(token).unwrap();
    let forged = Utrn::build(
        real.counter(),
        real.value_class(),
        real.value(),
        real.mac() ^ 1,
    );
    let mut bytes = genuine.clone();
    bytes[at..at + 20].copy_from_slice(&forged.digits());

    let i = inspector.inspect(&bytes).unwrap();
    let utrn = i.checks.utrn.as_ref().expect("token found");
    assert_eq!(utrn.verdict, Verdict::Invalid);
    assert!(i.is_failure());
    // The untouched command verifies.
    let ok = inspector.inspect(&genuine).unwrap();
    assert_eq!(ok.checks.utrn.as_ref().unwrap().verdict, Verdict::Valid);
    assert!(!ok.is_failure());
}
