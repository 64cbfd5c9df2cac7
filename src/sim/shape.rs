//! The structure of a decoded payload with its values removed, for comparing a simulator's
//! response with a recorded one: same tree of DLMS / ZCL / DER types and element counts, and
//! the same identifying fields (which object, which command, which result), while readings,
//! times, counters and ciphertext may differ.

use serde_json::{Map, Value};

use crate::codec::payload::Payload;

/// Keys whose values identify *what* a node is rather than carry device data; they are kept.
const IDENTIFYING_KEYS: &[&str] = &[
    "family",
    "kind",
    "type",
    "form",
    "class_id",
    "class",
    "obis",
    "attribute",
    "method",
    "result",
    "cluster",
    "command",
    "direction",
    "name",
    "status",
    "frame_type",
    "schema",
    "tag",
];

/// Keys dropped from the shape: how a device chose to encode, not what it said (RTDS devices
/// write some DER lengths in a non-minimal form; the decoder records where, for lossless
/// re-encoding).
const IGNORED_KEYS: &[&str] = &["non_minimal_lengths"];

/// Keys whose whole subtree is device data or cryptographic material: replaced by a marker.
const OPAQUE_KEYS: &[&str] = &["ciphered", "block", "ciphertext", "mac", "raw"];

/// The shape of a payload: its JSON form with data values replaced by their JSON type.
pub fn shape(payload: &Payload) -> Value {
    let value = serde_json::to_value(payload).unwrap_or(Value::Null);
    strip(&value, None)
}

/// The same for a payload already in its JSON form (a stored golden vector).
pub fn shape_json(value: &Value) -> Value {
    strip(value, None)
}

fn strip(v: &Value, key: Option<&str>) -> Value {
    if key.is_some_and(|k| OPAQUE_KEYS.contains(&k)) {
        return Value::String("<opaque>".into());
    }
    match v {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, child) in map {
                if IGNORED_KEYS.contains(&k.as_str()) {
                    continue;
                }
                let kept = if IDENTIFYING_KEYS.contains(&k.as_str())
                    && !child.is_object()
                    && !child.is_array()
                {
                    child.clone()
                } else {
                    strip(child, Some(k))
                };
                out.insert(k.clone(), kept);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|c| strip(c, None)).collect()),
        Value::Null => Value::String("null".into()),
        Value::Bool(_) => Value::String("bool".into()),
        Value::Number(_) => Value::String("number".into()),
        Value::String(_) => Value::String("string".into()),
    }
}

/// The first place two shapes differ, as a JSON path and the two sides (shortened), or
/// `None` when they are the same. `ours` is the simulator's side, `recorded` the reference.
pub fn first_difference(ours: &Value, recorded: &Value, path: &str) -> Option<String> {
    let short = |v: &Value| {
        let s = v.to_string();
        match s.char_indices().nth(80) {
            Some((cut, _)) => format!("{}…", &s[..cut]),
            None => s,
        }
    };
    match (ours, recorded) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) => {
                        if let Some(d) = first_difference(va, vb, &format!("{path}.{k}")) {
                            return Some(d);
                        }
                    }
                    None => return Some(format!("{path}.{k}: ours has it, the recording not")),
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| format!("{path}.{k}: the recording has it, ours not"))
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(format!("{path}: {} items vs {} recorded", x.len(), y.len()));
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (va, vb))| first_difference(va, vb, &format!("{path}[{i}]")))
        }
        _ if ours == recorded => None,
        _ => Some(format!(
            "{path}: {} vs recorded {}",
            short(ours),
            short(recorded)
        )),
    }
}

/// Keys that carry an outcome or an echo of the command rather than device data, beyond
/// those [`shape`] keeps: ASN.1 response codes (`parser_label`), ZCL attribute ids and data
/// types, the GBZ encryption flag and component count, ZCL command ids.
const OUTCOME_KEYS: &[&str] = &[
    "parser_label",
    "id",
    "data_type",
    "encrypted",
    "command_id",
    "component_count",
];

/// The payload as judged by field role (ARCHITECTURE.md, golden vectors): outcome and
/// protocol fields keep their values, device data keeps only its type. Stricter than
/// [`shape`] on outcomes (an ASN.1 response code is a number there), laxer on device data
/// arrays (see [`first_outcome_difference`]).
pub fn outcome_shape(payload: &Payload) -> Value {
    let value = serde_json::to_value(payload).unwrap_or(Value::Null);
    strip_outcome(&value, None)
}

fn strip_outcome(v: &Value, key: Option<&str>) -> Value {
    match v {
        // A DLMS octet string is device data whatever it looks like: the decoder also shows
        // six-byte ones as an OBIS code (season names in ECS24b read as one), which is not a
        // logical name here.
        Value::Object(map) if map.get("type").and_then(Value::as_str) == Some("octet_string") => {
            let mut out = Map::new();
            out.insert("type".into(), Value::String("octet_string".into()));
            Value::Object(out)
        }
        Value::Object(map) if !key.is_some_and(|k| OPAQUE_KEYS.contains(&k)) => {
            let mut out = Map::new();
            for (k, child) in map {
                if IGNORED_KEYS.contains(&k.as_str()) {
                    continue;
                }
                let keep = (IDENTIFYING_KEYS.contains(&k.as_str())
                    || OUTCOME_KEYS.contains(&k.as_str()))
                    && !child.is_object()
                    && !child.is_array();
                let kept = if keep {
                    child.clone()
                } else {
                    strip_outcome(child, Some(k))
                };
                out.insert(k.clone(), kept);
            }
            Value::Object(out)
        }
        Value::Array(items) if !key.is_some_and(|k| OPAQUE_KEYS.contains(&k)) => {
            Value::Array(items.iter().map(|c| strip_outcome(c, None)).collect())
        }
        _ => strip(v, key),
    }
}

/// Whether a node is a DLMS array of device data (a log buffer, a list of readings): its
/// length is the device's business, only its element type is judged.
fn is_data_array(v: &Map<String, Value>) -> bool {
    matches!(
        v.get("type").and_then(Value::as_str),
        Some("array" | "compact_array")
    )
}

/// The first difference between two outcome shapes ([`outcome_shape`]): like
/// [`first_difference`], except that DLMS arrays may differ in length as long as every
/// element has the type of the recording's first element.
pub fn first_outcome_difference(ours: &Value, recorded: &Value, path: &str) -> Option<String> {
    match (ours, recorded) {
        (Value::Object(x), Value::Object(y)) if is_data_array(x) && is_data_array(y) => {
            for (k, va) in x {
                let Some(vb) = y.get(k) else {
                    return Some(format!("{path}.{k}: ours has it, the recording not"));
                };
                let here = format!("{path}.{k}");
                let d = match (k.as_str(), va, vb) {
                    ("value", Value::Array(a), Value::Array(b)) => match b.first() {
                        Some(first) => a.iter().enumerate().find_map(|(i, e)| {
                            first_outcome_difference(e, first, &format!("{here}[{i}]"))
                        }),
                        None => None,
                    },
                    _ => first_outcome_difference(va, vb, &here),
                };
                if d.is_some() {
                    return d;
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| format!("{path}.{k}: the recording has it, ours not"))
        }
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) => {
                        if let Some(d) = first_outcome_difference(va, vb, &format!("{path}.{k}")) {
                            return Some(d);
                        }
                    }
                    None => return Some(format!("{path}.{k}: ours has it, the recording not")),
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| format!("{path}.{k}: the recording has it, ours not"))
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(format!("{path}: {} items vs {} recorded", x.len(), y.len()));
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (va, vb))| first_outcome_difference(va, vb, &format!("{path}[{i}]")))
        }
        _ => first_difference(ours, recorded, path),
    }
}

/// Whether two payloads have the same shape.
pub fn shapes_match(a: &Payload, b: &Payload) -> bool {
    shape(a) == shape(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::dlms;

    fn dlms(hex: &str) -> Payload {
        Payload::Dlms(dlms::decode(&hex::decode(hex).unwrap(), 0).unwrap())
    }

    #[test]
    fn values_differ_shape_matches() {
        // ECS45 response: enum 1, get success — and the same with enum 2 and another invoke id.
        let a = dlms("DA200003E80000011601010100");
        let b = dlms("DA200007D00000011602010100");
        assert!(shapes_match(&a, &b));
    }

    #[test]
    fn types_results_and_counts_matter() {
        let a = dlms("DA200003E80000011601010100");
        // long-unsigned instead of enum
        assert!(!shapes_match(&a, &dlms("DA200003E8000001120001010100")));
        // a failed get (hardware fault) instead of success
        assert!(!shapes_match(&a, &dlms("DA200003E800000100010101")));
    }

    #[test]
    fn outcome_shape_keeps_response_codes_and_lets_data_arrays_vary() {
        let code = |n: u8| serde_json::json!({"result": {"response_code": {"value": n, "parser_label": if n == 0 {"success"} else {"activation_failure"}}}});
        let (a, b) = (strip_outcome(&code(0), None), strip_outcome(&code(3), None));
        assert_eq!(shape_json(&code(0)), shape_json(&code(3)));
        assert!(first_outcome_difference(&a, &b, "p").is_some());
        // A log of 1 entry against one of 4 with the same element type: device data.
        let log = |n: usize| {
            let e = serde_json::json!({"type": "structure", "value": [{"type": "double_long_unsigned", "value": 7}]});
            strip_outcome(
                &serde_json::json!({"type": "array", "value": vec![e; n]}),
                None,
            )
        };
        assert_eq!(first_outcome_difference(&log(1), &log(4), "p"), None);
        let other = strip_outcome(
            &serde_json::json!({"type": "array", "value": [{"type": "long", "value": 1}]}),
            None,
        );
        assert!(first_outcome_difference(&other, &log(4), "p").is_some());
        // Octet strings are device data even when they decode as a logical name.
        let name = |obis: &str| {
            strip_outcome(
                &serde_json::json!({"type": "octet_string", "value": "73756D6D6572", "obis": obis}),
                None,
            )
        };
        assert_eq!(
            name("115-117:109.109.101.114"),
            name("115-112:114.105.110.103")
        );
    }
}
