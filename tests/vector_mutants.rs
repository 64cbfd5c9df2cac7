//! The golden step must be right both ways. Every vector's recorded response, as the
//! reference device gave it, passes its own vector (no false failures); mutants of it in
//! protocol and outcome fields fail it (no false passes): a result or status code changed, a
//! result added or dropped, a data type changed, an encrypted block sent in the clear, a wrong
//! message code, a replacing certificate's key id changed, an echo changed.
//!
//! Mutants are made on the decoded form the golden step judges, with values the codec can
//! produce (result and status names from their code tables, type names from the type lists).

use std::path::Path;

use serde_json::{Map, Value};

use gbcs_harness::codec::MessageCode;
use gbcs_harness::vectors::compare::compare_json;
use gbcs_harness::vectors::{Vector, VectorStore};

const DLMS_RESULTS: &[&str] = &[
    "success",
    "hardware_fault",
    "temporary_failure",
    "read_write_denied",
    "object_undefined",
    "object_unavailable",
    "type_unmatched",
    "other_reason",
];

const ZCL_STATUSES: &[&str] = &[
    "SUCCESS",
    "FAILURE",
    "NOT_AUTHORIZED",
    "HARDWARE_FAILURE",
    "UNSUPPORTED_ATTRIBUTE",
    "INVALID_VALUE",
    "NOT_FOUND",
];

/// Another DLMS data type, of a different JSON shape or width.
fn other_dlms_type(t: &str) -> &'static str {
    match t {
        "unsigned" => "long_unsigned",
        "long_unsigned" => "double_long_unsigned",
        "double_long_unsigned" => "long64_unsigned",
        "long64_unsigned" => "double_long_unsigned",
        "integer" => "long",
        "long" => "double_long",
        "double_long" => "long64",
        "long64" => "double_long",
        "enum" => "unsigned",
        "boolean" => "unsigned",
        "octet_string" => "visible_string",
        "visible_string" => "octet_string",
        "bit_string" => "octet_string",
        "structure" => "array",
        "array" => "structure",
        "null_data" => "unsigned",
        _ => "null_data",
    }
}

/// Another ZCL data type.
fn other_zcl_type(t: &str) -> &'static str {
    match t {
        "uint8" => "uint16",
        "uint16" => "uint24",
        "uint24" => "uint32",
        "uint32" => "uint48",
        "uint48" => "uint56",
        "enum8" => "uint8",
        "bitmap8" => "bitmap16",
        "octstr" => "string",
        _ => "uint8",
    }
}

struct Mutant {
    what: String,
    payload: Value,
    message_code: Option<MessageCode>,
}

/// Every single-point mutation of `v` in an outcome field, with where it was made.
fn mutate(root: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut pointers = Vec::new();
    collect(root, String::new(), &mut pointers);
    for (pointer, kind) in pointers {
        let mut m = root.clone();
        let Some(slot) = m.pointer_mut(&pointer) else {
            continue;
        };
        let what = match kind {
            Kind::DlmsResult => {
                let now = slot.as_str().unwrap_or_default().to_string();
                let next = DLMS_RESULTS
                    .iter()
                    .find(|r| **r != now)
                    .copied()
                    .unwrap_or("other_reason");
                *slot = Value::String(next.into());
                format!("result {now} -> {next}")
            }
            Kind::ZclStatus => {
                let now = slot.as_str().unwrap_or_default().to_string();
                let next = ZCL_STATUSES
                    .iter()
                    .find(|r| **r != now)
                    .copied()
                    .unwrap_or("FAILURE");
                *slot = Value::String(next.into());
                format!("status {now} -> {next}")
            }
            Kind::CodedValue => {
                let Some(obj) = slot.as_object_mut() else {
                    continue;
                };
                let n = obj.get("value").and_then(Value::as_i64).unwrap_or(0);
                obj.insert("value".into(), Value::from(n + 1));
                for label in ["name", "parser_label"] {
                    if obj.contains_key(label) {
                        obj.insert(label.into(), Value::String(format!("code_{}", n + 1)));
                    }
                }
                format!("coded value {n} -> {}", n + 1)
            }
            Kind::DlmsType => {
                let now = slot.as_str().unwrap_or_default().to_string();
                let next = other_dlms_type(&now);
                *slot = Value::String(next.into());
                format!("data type {now} -> {next}")
            }
            Kind::ZclType => {
                let now = slot.as_str().unwrap_or_default().to_string();
                let next = other_zcl_type(&now);
                *slot = Value::String(next.into());
                format!("ZCL data type {now} -> {next}")
            }
            Kind::Dropped => {
                let Some(items) = slot.as_array_mut() else {
                    continue;
                };
                items.pop();
                "an element dropped".into()
            }
            Kind::Added => {
                let Some(items) = slot.as_array_mut() else {
                    continue;
                };
                let first = items[0].clone();
                items.push(first);
                "an element added".into()
            }
            Kind::DlmsPlain => {
                let Some(plain) = slot.get("decrypted").cloned() else {
                    continue;
                };
                *slot = plain;
                "encrypted block sent in the clear".into()
            }
            Kind::GbzPlain => {
                let Some(component) = slot.as_object_mut() else {
                    continue;
                };
                if let Some(Value::Object(control)) = component.get_mut("control") {
                    control.insert("encrypted".into(), Value::Bool(false));
                }
                if let Some(Value::Object(body)) = component.get_mut("body") {
                    body.insert("form".into(), Value::String("plain".into()));
                    body.remove("block");
                    body.remove("additional_header_control");
                    body.remove("additional_header_frame_counter");
                    if let Some(d) = body.remove("decrypted") {
                        body.insert("payload".into(), d);
                    }
                }
                "encrypted component sent in the clear".into()
            }
            Kind::KeyId => {
                let Some(s) = slot.as_str() else { continue };
                let mut chars: Vec<char> = s.chars().collect();
                if let Some(last) = chars.last_mut() {
                    *last = if *last == '0' { '1' } else { '0' };
                }
                *slot = Value::String(chars.into_iter().collect());
                "replacing key id changed".into()
            }
            Kind::Echo => {
                let n = slot.as_u64().unwrap_or(0);
                *slot = Value::from(n.wrapping_add(1) & 0xFF);
                format!("echo {pointer} changed")
            }
            Kind::Accepted => {
                let Some(parent) = slot.as_object_mut() else {
                    continue;
                };
                parent.remove("command_accepted");
                parent.insert("execution_outcome".into(), Value::Object(Map::new()));
                "command accepted -> executed".into()
            }
        };
        out.push((format!("{what} at {pointer}"), m));
    }
    out
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    DlmsResult,
    ZclStatus,
    CodedValue,
    DlmsType,
    ZclType,
    Dropped,
    Added,
    DlmsPlain,
    GbzPlain,
    KeyId,
    Echo,
    Accepted,
}

fn collect(v: &Value, at: String, out: &mut Vec<(String, Kind)>) {
    match v {
        Value::Object(map) => {
            if map.contains_key("ciphered") && map.contains_key("decrypted") {
                out.push((at.clone(), Kind::DlmsPlain));
            }
            if map.get("control").and_then(|c| c.get("encrypted")) == Some(&Value::Bool(true)) {
                out.push((at.clone(), Kind::GbzPlain));
            }
            if map.contains_key("command_accepted") {
                out.push((at.clone(), Kind::Accepted));
            }
            for (k, child) in map {
                let here = format!("{at}/{k}");
                match (k.as_str(), child) {
                    ("result", Value::String(_)) => out.push((here.clone(), Kind::DlmsResult)),
                    ("status", Value::String(_)) => out.push((here.clone(), Kind::ZclStatus)),
                    ("status" | "response_code" | "join_response_code", Value::Object(_)) => {
                        out.push((here.clone(), Kind::CodedValue))
                    }
                    ("type", Value::String(_)) => out.push((here.clone(), Kind::DlmsType)),
                    ("data_type", Value::String(_)) => out.push((here.clone(), Kind::ZclType)),
                    ("replacing_subject_key_identifier", Value::String(_)) => {
                        out.push((here.clone(), Kind::KeyId))
                    }
                    ("invoke_id" | "tsn", Value::Number(_)) => out.push((here.clone(), Kind::Echo)),
                    (
                        "results" | "records" | "components" | "replacement_outcomes",
                        Value::Array(items),
                    ) if !items.is_empty() => {
                        out.push((here.clone(), Kind::Dropped));
                        out.push((here.clone(), Kind::Added));
                    }
                    _ => {}
                }
                collect(child, here, out);
            }
        }
        Value::Array(items) => {
            for (i, c) in items.iter().enumerate() {
                collect(c, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn vectors() -> Vec<Vector> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
    VectorStore::new(dir)
        .all()
        .expect("the project's vectors load")
        .into_values()
        .flatten()
        .collect()
}

#[test]
fn the_recording_passes_its_own_vector_and_outcome_mutants_fail_it() {
    let vectors = vectors();
    assert!(vectors.len() >= 400, "{} vectors", vectors.len());
    let (mut total, mut survivors) = (0usize, Vec::new());
    for v in &vectors {
        let Some(r) = &v.response else { continue };
        let code: MessageCode = r.message_code.parse().expect("message code");
        let sent = &v.command.decoded;
        // The reference device itself: no false failure.
        if let Err(m) = compare_json(v, sent, Some(code), &r.decoded) {
            panic!(
                "{}: the recording fails its own vector: {}\n{}",
                v.variant, m.summary, m.diff
            );
        }
        let mut mutants: Vec<Mutant> = mutate(&r.decoded)
            .into_iter()
            .map(|(what, payload)| Mutant {
                what,
                payload,
                message_code: Some(code),
            })
            .collect();
        mutants.push(Mutant {
            what: "wrong message code".into(),
            payload: r.decoded.clone(),
            message_code: Some(MessageCode(code.0 ^ 0x0001)),
        });
        for m in mutants {
            total += 1;
            if compare_json(v, sent, m.message_code, &m.payload).is_ok() {
                survivors.push(format!("{}: {}", v.variant, m.what));
            }
        }
    }
    let killed = total - survivors.len();
    println!(
        "{total} mutants of {} recorded responses, {killed} killed ({:.2}%), {} survived:",
        vectors.len(),
        100.0 * killed as f64 / total as f64,
        survivors.len()
    );
    for s in &survivors {
        println!("  survivor {s}");
    }
    assert!(total >= 2000, "only {total} mutants");
    assert!(
        killed * 100 >= total * 99,
        "{} of {total} mutants survived",
        survivors.len()
    );
}
