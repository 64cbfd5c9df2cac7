//! Decoding takes untrusted bytes. Every corpus message cut at every length, and a sample of
//! protected messages with every single bit flipped, must give a typed error or a decode
//! whose protection no longer verifies: never a panic, never a hang, never "valid".

use gbcs_harness::codec::frame::SignatureField;
use gbcs_harness::corpus::{self, CorpusMessage};
use gbcs_harness::crypto::KeyStore;
use gbcs_harness::inspect::{Inspector, Verdict};

fn setup() -> Option<(Vec<CorpusMessage>, KeyStore)> {
    let messages = corpus::load_messages()?;
    let keys = KeyStore::load_dir(&corpus::keystore_dir()?).expect("key store loads");
    Some((messages, keys))
}

fn protected_and_valid(inspector: &Inspector<'_>, bytes: &[u8]) -> bool {
    let Ok(i) = inspector.inspect(bytes) else {
        return false;
    };
    i.checks.signature == Verdict::Valid || i.checks.mac == Verdict::Valid
}

/// A receiver accepts a message only if some protection verifies and none fails.
fn accepted(signature: &Verdict, mac: &Verdict) -> bool {
    let checks = [signature, mac];
    checks.iter().any(|v| **v == Verdict::Valid)
        && checks
            .iter()
            .all(|v| matches!(v, Verdict::Valid | Verdict::NotPresent))
}

#[test]
fn every_truncation_is_an_error_or_unprotected() {
    let Some((messages, keys)) = setup() else {
        return;
    };
    let inspector = Inspector::new(&keys, None);
    let mut cuts = 0usize;
    let mut parsed = 0usize;
    for m in &messages {
        for len in 0..m.bytes.len() {
            cuts += 1;
            match inspector.inspect(&m.bytes[..len]) {
                Err(e) => assert!(
                    e.offset <= len,
                    "{}: offset {} beyond input {len}",
                    m.file_name(),
                    e.offset
                ),
                Ok(i) => {
                    parsed += 1;
                    // The only prefix that is still a frame is a signed `DF` cut right after
                    // its content: it reads as an unsigned PRECOMMAND and proves nothing.
                    assert_eq!(
                        i.message.frame.general_signing.signature,
                        SignatureField::Absent
                    );
                    assert_eq!(i.checks.signature, Verdict::NotPresent, "{}", m.file_name());
                    assert_eq!(i.checks.mac, Verdict::NotPresent, "{}", m.file_name());
                }
            }
        }
    }
    eprintln!("{cuts} truncations, {parsed} still parse as an unsigned General Signing APDU");
}

#[test]
fn every_bit_flip_of_a_protected_sample_is_caught() {
    let Some((messages, keys)) = setup() else {
        return;
    };
    let inspector = Inspector::new(&keys, None);
    // One message in 16 that verifies (signed or MAC'd): about 60 messages, every family.
    let sample: Vec<&CorpusMessage> = messages
        .iter()
        .filter(|m| protected_and_valid(&inspector, &m.bytes))
        .step_by(16)
        .collect();
    assert!(sample.len() >= 50, "sample of {}", sample.len());
    let (mut flips, mut errors) = (0usize, 0usize);
    for m in &sample {
        let mut bytes = m.bytes.clone();
        for i in 0..bytes.len() {
            for bit in 0..8 {
                bytes[i] ^= 1 << bit;
                flips += 1;
                match inspector.inspect(&bytes) {
                    Err(_) => errors += 1,
                    Ok(r) => assert!(
                        !accepted(&r.checks.signature, &r.checks.mac),
                        "{}: flipping bit {bit} of byte {i} still verifies",
                        m.file_name()
                    ),
                }
                bytes[i] ^= 1 << bit;
            }
        }
    }
    eprintln!(
        "{} messages, {flips} bit flips: {errors} typed errors, {} decodes that fail verification",
        sample.len(),
        flips - errors
    );
}
