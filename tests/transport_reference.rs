//! `reference:DIR` against the whole RTDS corpus: every recorded command, readdressed to the
//! lab and sent by the lab's remote parties with a fresh counter, is answered by the
//! recording of its own variant (asked for with `prepare`), addressed to the sender, echoing
//! its counter, protected with the lab's keys as the recording was, and saying what the
//! recording said once its entity ids and counter echoes are the lab's.

mod common;

use std::collections::BTreeMap;

use serde_json::Value;

use common::transport::{limits, rt};
use gbcs_harness::codec::asn1::payloads::CertificateOrCode;
use gbcs_harness::codec::asn1::Asn1Body;
use gbcs_harness::codec::payload::{decode_payload, Payload};
use gbcs_harness::codec::{decode_frame, CraFlag};
use gbcs_harness::corpus::{keystore_dir, messages_dir, read_hex_file};
use gbcs_harness::crypto::pki::certificate_facts;
use gbcs_harness::crypto::{KeyStore, KeyUsage};
use gbcs_harness::inspect::{Inspection, Inspector, Verdict};
use gbcs_harness::runner::judge::{reports_failure, valid_alert, valid_response};
use gbcs_harness::sim::profile::{rtds_to_default, DefaultProfile};
use gbcs_harness::transport::{DeviceState, ReferenceTransport, Transport};
use gbcs_harness::vectors::corpus_commands::corpus_commands;

fn corpus() -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    match (messages_dir(), keystore_dir()) {
        (Some(dir), Some(keys)) => Some((dir, keys)),
        _ => {
            assert!(
                std::env::var("GBCS_REQUIRE_RTDS").as_deref() != Ok("1"),
                "GBCS_REQUIRE_RTDS=1 but the RTDS corpus is absent"
            );
            eprintln!("RTDS corpus not found (set GBCS_RTDS_DIR): skipped");
            None
        }
    }
}

/// The decoded payload without what re-encryption changes (ciphertext and tag).
fn payload_json(inspection: &Inspection) -> Value {
    let mut v = match &inspection.message.payload {
        Ok(p) => serde_json::to_value(p).unwrap_or(Value::Null),
        Err(e) => Value::String(format!("undecodable: {e}")),
    };
    strip(&mut v);
    v
}

fn strip(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.remove("ciphertext");
            map.remove("tag");
            // Signed DER objects are checked on their own (below).
            for k in ["certificate", "certification_request"] {
                if let Some(v) = map.get_mut(k) {
                    *v = Value::String("<signed object>".into());
                }
            }
            map.values_mut().for_each(strip);
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}

/// The 8-byte subject key identifier of a DER certificate.
fn ski(der: &[u8]) -> Option<[u8; 8]> {
    certificate_facts(der)?
        .subject_key_identifier?
        .as_slice()
        .try_into()
        .ok()
}

/// RTDS certificates' key identifiers → the lab's, for the same identities.
fn key_identifiers(rtds: &KeyStore, lab: &KeyStore) -> Vec<([u8; 8], [u8; 8])> {
    let mut out = Vec::new();
    for (from, to) in rtds_to_default() {
        for usage in [
            KeyUsage::DigitalSignature,
            KeyUsage::KeyAgreement,
            KeyUsage::PrepaymentKeyAgreement,
        ] {
            if let (Some(a), Some(b)) = (
                rtds.certificate_der(from, usage).and_then(ski),
                lab.certificate_der(to, usage).and_then(ski),
            ) {
                out.push((a, b));
            }
        }
    }
    out
}

/// Key identifiers of the certificates a CS02b/g payload installs.
fn replacing(payload: &[u8], code: gbcs_harness::codec::MessageCode) -> Vec<[u8; 8]> {
    match decode_payload(payload, 0, code, CraFlag::Command) {
        Ok(Payload::Asn1(p)) => match *p.body {
            Asn1Body::UpdateSecurityCredentialsCommand(c) => c
                .replacements
                .iter()
                .filter_map(|r| ski(r.replacing_certificate.as_slice()))
                .collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// The recorded payload as the lab's device says it: RTDS ids → lab ids, RTDS key
/// identifiers → the lab's (those of the certificates the command installs first), the
/// recorded command's counter → the new one, the invoke id → the new command's.
fn readdressed(
    recorded: &Value,
    keys: &[([u8; 8], [u8; 8])],
    old_counter: u64,
    new_counter: u64,
    invoke: Option<u64>,
) -> Value {
    let mut text = recorded.to_string();
    let ids = rtds_to_default().into_iter().map(|(f, t)| (f.0, t.0));
    for (from, to) in ids.chain(keys.iter().copied()) {
        for (f, t) in [
            (hex::encode_upper(from), hex::encode_upper(to)),
            (hex::encode(from), hex::encode(to)),
        ] {
            text = text.replace(&f, &t);
        }
    }
    text = text.replace(
        &format!("{old_counter:016X}"),
        &format!("{new_counter:016X}"),
    );
    let mut v: Value = serde_json::from_str(&text).unwrap();
    if let (Some(invoke), Some(slot)) = (invoke, v.pointer_mut("/body/invoke_id")) {
        *slot = Value::from(invoke);
    }
    v
}

/// A CS02c request is the recorded one, untouched (its signature holds); a CS02e certificate
/// is the lab device's own.
fn signed_objects_are_sound(
    variant: &str,
    theirs: &Inspection,
    ours: &Inspection,
    lab: &KeyStore,
    device: gbcs_harness::codec::EntityId,
) {
    let body = |i: &Inspection| match &i.message.payload {
        Ok(Payload::Asn1(p)) => Some(p.body.as_ref().clone()),
        _ => None,
    };
    match (body(theirs), body(ours)) {
        (
            Some(Asn1Body::IssueSecurityCredentialsResponse(a)),
            Some(Asn1Body::IssueSecurityCredentialsResponse(b)),
        ) => assert_eq!(a, b, "{variant}"),
        (_, Some(Asn1Body::ProvideDeviceCertificateResponse(b))) => {
            if let CertificateOrCode::Certificate(cert) = b.result {
                // Each lab PKI signs its certificates afresh: the same facts, not the same bytes.
                let ours = certificate_facts(cert.as_slice()).unwrap();
                let lab = ours
                    .key_usage
                    .and_then(|u| lab.certificate_der(device, u))
                    .and_then(certificate_facts);
                assert_eq!(Some(ours), lab, "{variant}: the lab device's certificate");
            }
        }
        _ => {}
    }
}

#[test]
fn every_corpus_command_is_answered_as_recorded() {
    let Some((dir, keys)) = corpus() else {
        return;
    };
    let profile = DefaultProfile::generate().unwrap();
    let rtds_keys = KeyStore::load_dir(&keys).unwrap();
    let rtds = Inspector::new(&rtds_keys, None);
    let url = format!("reference:{}?keys={}", dir.display(), keys.display());
    let mut t = ReferenceTransport::from_url(&url).unwrap();
    println!(
        "loaded {} recorded commands; skipped {:?}; unanswerable {:?}",
        t.len(),
        t.skipped(),
        t.unanswerable()
    );
    let (commands, not_templates) = corpus_commands(&dir, profile.keys());
    let static_keys = key_identifiers(&rtds_keys, profile.keys());
    let runtime = rt();
    let limits = limits(1000);
    let mut counter = 0x0100_0000_0000_0000u64;
    let mut problems: BTreeMap<String, String> = BTreeMap::new();
    let (mut answered, mut valid, mut same_payload, mut alerts_ok, mut alerts) = (0, 0, 0, 0, 0);
    for c in &commands {
        let variant = c.file.trim_end_matches("_COMMAND_GBCS.HEX").to_string();
        counter += 1;
        let frame = c.build(&profile, counter).unwrap();
        let sent = decode_frame(&frame).unwrap();
        let state = DeviceState {
            use_case: c
                .folder
                .split_once('_')
                .map_or("", |(_, uc)| uc)
                .to_string(),
            variant: variant.clone(),
            device: c.recipient,
        };
        runtime.block_on(t.prepare(&state, &limits)).unwrap();
        let got = match runtime.block_on(t.exchange(&frame, &limits)) {
            Ok(got) => got,
            Err(e) => {
                problems.insert(variant, format!("not answered: {e}"));
                continue;
            }
        };
        answered += 1;
        assert_eq!(got.responses.len(), 1, "{variant}");
        let response = &got.responses[0].frame;
        let ours = match valid_response(profile.keys(), profile.acb(), &sent, response) {
            Ok(i) => i,
            Err(f) => {
                problems.insert(variant, format!("invalid response: {}", f.message));
                continue;
            }
        };
        let recorded_bytes = read_hex_file(c.recorded_response.as_ref().unwrap()).unwrap();
        let theirs = rtds.inspect(&recorded_bytes).unwrap();
        // Protected as the recording was.
        let protection = |i: &Inspection| {
            (
                i.message.frame.general_ciphering.is_some(),
                i.checks.signature != Verdict::NotPresent,
            )
        };
        assert_eq!(protection(&ours), protection(&theirs), "{variant}");
        assert_eq!(ours.checks.decryption.authentication_failed, 0);
        assert_eq!(
            ours.checks.decryption.decrypted, theirs.checks.decryption.decrypted,
            "{variant}"
        );
        valid += 1;
        let recorded_counter = theirs.message.frame.header().counter;
        let invoke = matches!(
            ours.message
                .frame
                .general_signing
                .content
                .as_slice()
                .first(),
            Some(0xDA)
        )
        .then_some(counter & 0xFF_FFFF);
        let recorded_command =
            decode_frame(&read_hex_file(&dir.join(&c.folder).join(&c.file)).unwrap()).unwrap();
        let mut keys: Vec<_> = replacing(
            recorded_command.general_signing.content.as_slice(),
            c.template.message_code,
        )
        .into_iter()
        .zip(replacing(
            c.template.payload.as_slice(),
            c.template.message_code,
        ))
        .collect();
        keys.extend(&static_keys);
        let expected = readdressed(
            &payload_json(&theirs),
            &keys,
            recorded_counter,
            counter,
            invoke,
        );
        signed_objects_are_sound(&variant, &theirs, &ours, profile.keys(), c.recipient);
        if expected == payload_json(&ours) {
            same_payload += 1;
        } else {
            problems.insert(variant.clone(), "payload differs from the recording".into());
        }
        // Recorded alerts of the variant, readdressed and protected again.
        for alert in &got.alerts {
            alerts += 1;
            match valid_alert(profile.keys(), profile.acb(), &alert.frame) {
                // Authenticated with the lab's keys: MAC'd, or signed alone.
                Ok(i)
                    if i.checks.mac == Verdict::Valid
                        || (i.checks.mac == Verdict::NotPresent
                            && i.checks.signature == Verdict::Valid) =>
                {
                    alerts_ok += 1
                }
                Ok(i) => {
                    problems.insert(
                        format!("{variant} alert"),
                        format!(
                            "not authenticated: {:?} {:?}",
                            i.checks.mac, i.checks.signature
                        ),
                    );
                }
                Err(f) => {
                    problems.insert(format!("{variant} alert"), f.message);
                }
            }
        }
    }
    println!(
        "reference: {answered}/{} corpus commands answered ({} files not templates), {valid} \
         valid responses, {same_payload} say what the recording said, {alerts_ok}/{alerts} \
         alerts valid",
        commands.len(),
        not_templates.len()
    );
    for (variant, problem) in &problems {
        println!("  {variant}: {problem}");
    }
    assert!(not_templates.is_empty(), "{not_templates:?}");
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(answered, commands.len());
    assert_eq!(alerts_ok, alerts);
}

/// Without `prepare`, a command shared by several variants gets the nominal one: not an
/// error, not the twin ESME's (with `esme=twin`, the twin ESME's where there is one).
#[test]
fn shared_commands_get_the_nominal_variant_unless_asked() {
    let Some((dir, keys)) = corpus() else {
        return;
    };
    let profile = DefaultProfile::generate().unwrap();
    let (commands, _) = corpus_commands(&dir, profile.keys());
    let runtime = rt();
    let limits = limits(1000);
    let files = gbcs_harness::corpus::hex_files(&dir);
    let rtds_keys = KeyStore::load_dir(&keys).unwrap();
    for twin in [false, true] {
        let query = if twin { "&esme=twin" } else { "" };
        let url = format!("reference:{}?keys={}{query}", dir.display(), keys.display());
        let mut t = ReferenceTransport::from_url(&url).unwrap();
        let (mut shared, mut twins) = (0, 0);
        let mut counter = 0x0200_0000_0000_0000u64;
        for c in &commands {
            counter += 1;
            let frame = c.build(&profile, counter).unwrap();
            let variants = t.variants_of(&frame);
            if variants.len() < 2 {
                continue;
            }
            shared += 1;
            let usable = |v: &&String| !v.contains("ERROR") && !v.contains("NOT_FOUND");
            let expected = variants
                .iter()
                .filter(usable)
                .find(|v| v.contains("_TWIN_") == twin)
                .or_else(|| variants.iter().find(usable))
                .unwrap_or(&variants[0]);
            if twin && expected.contains("_TWIN_") {
                twins += 1;
            }
            let got = match runtime.block_on(t.exchange(&frame, &limits)) {
                Ok(got) => got,
                Err(e) => panic!("{}: {e}", c.file),
            };
            // Variants of one command may sit in different folders (ECS70, ECS70Commission).
            let name = format!("{expected}_RESPONSE_GBCS.HEX");
            let recorded = files
                .iter()
                .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy() == name))
                .unwrap();
            let theirs = Inspector::new(&rtds_keys, None)
                .inspect(&read_hex_file(recorded).unwrap())
                .unwrap();
            let ours = Inspector::new(profile.keys(), Some(profile.acb()))
                .inspect(&got.responses[0].frame)
                .unwrap();
            // The same outcome and the same size as the expected variant's recording.
            let outcome =
                |i: &Inspection| i.message.payload.as_ref().ok().and_then(reports_failure);
            assert_eq!(
                (
                    ours.message.frame.general_signing.content.len(),
                    outcome(&ours)
                ),
                (
                    theirs.message.frame.general_signing.content.len(),
                    outcome(&theirs)
                ),
                "{}: answered from {expected}? variants {variants:?}",
                c.file
            );
        }
        println!(
            "esme={}: {shared} corpus commands are shared by several recorded variants, \
             {twins} answered from a _TWIN_ one",
            if twin { "twin" } else { "single" }
        );
        assert!(shared > 0);
        assert_eq!(twins > 0, twin);
    }
}

#[test]
fn a_missing_folder_or_key_store_is_a_clear_error() {
    let e = gbcs_harness::transport::open("reference:", &Default::default())
        .err()
        .unwrap();
    common::transport::assert_clear(&e, "reference:", "bad transport URL");
    let e = gbcs_harness::transport::open("reference:/no/such/rtds", &Default::default())
        .err()
        .unwrap();
    common::transport::assert_clear(&e, "reference:/no/such/rtds", "not a folder");
    let Some((dir, _)) = corpus() else {
        return;
    };
    let url = format!("reference:{}?keys=/no/such/keystore", dir.display());
    let e = gbcs_harness::transport::open(&url, &Default::default())
        .err()
        .unwrap();
    common::transport::assert_clear(&e, &url, "key store");
}
