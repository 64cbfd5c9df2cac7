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
}
