//! The crypto backend choice: one ECDSA P-256 verify and one ECDH with aws-lc-rs and with
//! the pure-Rust `p256` crate, on the same corpus key and message.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

use gbcs_harness::codec::{decode_frame, EntityId};
use gbcs_harness::corpus;
use gbcs_harness::crypto::{gcm, kdf, KeyStore, KeyUsage};

fn backends(c: &mut Criterion) {
    let (Some(dir), Some(keys_dir)) = (corpus::messages_dir(), corpus::keystore_dir()) else {
        eprintln!("RTDS corpus absent: no crypto benchmarks");
        return;
    };
    let bytes = corpus::read_hex_file(&dir.join("7.1_ECS42/ECS42_7.1_SUCCESS_COMMAND_GBCS.HEX"))
        .expect("ECS42 command");
    let frame = decode_frame(&bytes).expect("decodes");
    let signed = &bytes[frame.spans.signed.clone()];
    let sig = frame
        .general_signing
        .signature
        .signature()
        .expect("signed")
        .to_vec();
    let supplier: EntityId = "90b3d51f30010000".parse().unwrap();
    let esme: EntityId = "00db1234567890a0".parse().unwrap();
    let keys = KeyStore::load_dir(&keys_dir).expect("key store");
    let point = keys
        .public_point(supplier, KeyUsage::DigitalSignature)
        .expect("supplier DS key")
        .to_vec();

    let mut g = c.benchmark_group("ecdsa_p256_verify");
    g.bench_function("aws-lc-rs", |b| {
        b.iter(|| {
            assert!(keys
                .verify(supplier, black_box(signed), black_box(&sig))
                .unwrap())
        })
    });
    {
        use p256::ecdsa::signature::Verifier;
        let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).unwrap();
        let s = p256::ecdsa::Signature::from_slice(&sig).unwrap();
        g.bench_function("p256", |b| {
            b.iter(|| assert!(vk.verify(black_box(signed), black_box(&s)).is_ok()))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("ecdh_p256");
    let ka_pem = std::fs::read_to_string(keys_dir.join("90b3d51f30010000-ka.key")).unwrap();
    let esme_ka = keys
        .public_point(esme, KeyUsage::KeyAgreement)
        .unwrap()
        .to_vec();
    {
        use aws_lc_rs::agreement::{self, ECDH_P256};
        let (_, der) = x509_cert::der::pem::decode_vec(ka_pem.as_bytes()).unwrap();
        let own = agreement::PrivateKey::from_private_key_der(&ECDH_P256, &der).unwrap();
        g.bench_function("aws-lc-rs", |b| {
            b.iter(|| {
                let peer = agreement::UnparsedPublicKey::new(&ECDH_P256, black_box(&esme_ka));
                agreement::agree(&own, peer, (), |z| Ok(z[0])).unwrap()
            })
        });
    }
    {
        use p256::pkcs8::DecodePrivateKey;
        let own = p256::SecretKey::from_pkcs8_pem(&ka_pem).unwrap();
        let peer = p256::PublicKey::from_sec1_bytes(&esme_ka).unwrap();
        g.bench_function("p256", |b| {
            b.iter(|| {
                p256::ecdh::diffie_hellman(own.to_nonzero_scalar(), black_box(&peer).as_affine())
                    .raw_secret_bytes()[0]
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("mac");
    let z = keys
        .shared_secret(
            supplier,
            KeyUsage::KeyAgreement,
            esme,
            KeyUsage::KeyAgreement,
        )
        .unwrap();
    g.bench_function("kdf_and_gcm_mac_146_byte_frame", |b| {
        b.iter(|| {
            let key = kdf::derive_key(&z, &supplier, 1, 1000, &esme);
            gcm::mac(&key, &gcm::iv(&supplier, 0), black_box(&bytes[8..134]))
        })
    });
    g.finish();
}

criterion_group!(benches, backends);
criterion_main!(benches);
