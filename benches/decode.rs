//! Decode cost and decode+verify cost per message over the RTDS corpus, on one core.
//!
//! Both groups report time per message (throughput = the corpus's message count). The
//! key store's shared-secret cache is warm after the first pass, as it is in any real run:
//! ECDH depends only on the key pair, not on the message.

/// Same allocator as the binary, so the figures are those of `gbcs-harness decode`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

use gbcs_harness::codec::decode_message;
use gbcs_harness::corpus;
use gbcs_harness::crypto::KeyStore;
use gbcs_harness::inspect::Inspector;

fn corpus_benches(c: &mut Criterion) {
    let (Some(messages), Some(keys_dir)) = (corpus::load_messages(), corpus::keystore_dir()) else {
        eprintln!("RTDS corpus absent: no decode benchmarks");
        return;
    };
    let keys = KeyStore::load_dir(&keys_dir).expect("key store");
    let inspector = Inspector::new(&keys, None);

    let mut group = c.benchmark_group("rtds_corpus");
    group.throughput(Throughput::Elements(messages.len() as u64));
    group.sample_size(20);
    group.bench_function("decode", |b| {
        b.iter(|| {
            for m in &messages {
                black_box(decode_message(black_box(&m.bytes)).ok());
            }
        })
    });
    group.bench_function("decode_verify_decrypt_roundtrip", |b| {
        b.iter(|| {
            for m in &messages {
                black_box(inspector.inspect(black_box(&m.bytes)).ok());
            }
        })
    });
    // Signature verification alone over every signed corpus message: the floor under
    // decode+verify, since about a third of the messages carry a signature.
    let signed: Vec<(gbcs_harness::codec::EntityId, Vec<u8>, Vec<u8>)> = messages
        .iter()
        .filter_map(|m| {
            let f = gbcs_harness::codec::decode_frame(&m.bytes).ok()?;
            let sig = f.general_signing.signature.signature()?.to_vec();
            Some((
                f.header().originator,
                m.bytes[f.spans.signed.clone()].to_vec(),
                sig,
            ))
        })
        .collect();
    group.bench_function("signature_verify_only", |b| {
        b.iter(|| {
            for (signer, data, sig) in &signed {
                black_box(keys.verify(*signer, data, sig).ok());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, corpus_benches);
criterion_main!(benches);
