//! Comparing a response with a golden vector: on the decoded payload, masked fields elided,
//! value for value or on the type tree; a mismatch is a unified diff of the canonical JSON.

use serde_json::Value;
use similar::TextDiff;

use super::{MatchMode, Vector};
use crate::codec::payload::Payload;

/// What a masked field reads as in the canonical JSON, on both sides.
pub const MASKED: &str = "<masked>";

/// A response that does not match its vector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// One line: the first JSON pointer that differs.
    pub summary: String,
    /// Unified diff, expected (`vector`) then actual (`response`), masked fields elided.
    pub diff: String,
}

/// Compares a decoded response payload with the vector's recorded one.
pub fn compare(vector: &Vector, actual: &Payload) -> Result<(), Mismatch> {
    let expected = match &vector.response {
        Some(r) => r.decoded.clone(),
        None => Value::Null,
    };
    let actual = serde_json::to_value(actual).unwrap_or(Value::Null);
    compare_values(&expected, &actual, vector.match_mode, &vector.masks)
}

/// The comparison on JSON values (the decoded form of both sides).
pub fn compare_values(
    expected: &Value,
    actual: &Value,
    mode: MatchMode,
    masks: &[String],
) -> Result<(), Mismatch> {
    let (mut e, mut a) = (expected.clone(), actual.clone());
    for pointer in masks {
        mask(&mut e, pointer);
        mask(&mut a, pointer);
    }
    if mode == MatchMode::Shape {
        e = shape_of(&e);
        a = shape_of(&a);
    }
    if e == a {
        return Ok(());
    }
    let left = serde_json::to_string_pretty(&e).unwrap_or_default();
    let right = serde_json::to_string_pretty(&a).unwrap_or_default();
    let diff = TextDiff::from_lines(&left, &right)
        .unified_diff()
        .context_radius(3)
        .header("vector", "response")
        .to_string();
    let summary = first_difference(&e, &a, "")
        .map(|p| format!("response differs from the vector at {p}"))
        .unwrap_or_else(|| "response differs from the vector".into());
    Err(Mismatch { summary, diff })
}

fn shape_of(v: &Value) -> Value {
    crate::sim::shape::shape_json(v)
}

/// Replaces the value at `pointer` (and only there) with [`MASKED`]; a pointer that does not
/// resolve is ignored (the field is absent on that side).
fn mask(v: &mut Value, pointer: &str) {
    if let Some(slot) = v.pointer_mut(pointer) {
        *slot = Value::String(MASKED.into());
    }
}

/// The JSON pointer of the first difference.
fn first_difference(e: &Value, a: &Value, at: &str) -> Option<String> {
    match (e, a) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, xv) in x {
                let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                match y.get(k) {
                    None => return Some(here),
                    Some(yv) => {
                        if let Some(d) = first_difference(xv, yv, &here) {
                            return Some(d);
                        }
                    }
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| format!("{at}/{k}"))
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (xv, yv)) in x.iter().zip(y).enumerate() {
                if let Some(d) = first_difference(xv, yv, &format!("{at}/{i}")) {
                    return Some(d);
                }
            }
            (x.len() != y.len()).then(|| format!("{at} ({} vs {} items)", x.len(), y.len()))
        }
        _ => (e != a).then(|| if at.is_empty() { "/".into() } else { at.into() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masked_fields_are_not_compared() {
        let e = json!({"a": 1, "b": {"t": "2015-01-01"}});
        let a = json!({"a": 1, "b": {"t": "2016-02-02"}});
        assert!(compare_values(&e, &a, MatchMode::Exact, &[]).is_err());
        assert!(compare_values(&e, &a, MatchMode::Exact, &["/b/t".into()]).is_ok());
    }

    #[test]
    fn a_mismatch_names_the_pointer_and_shows_a_diff() {
        let e = json!({"data": [{"value": 41}]});
        let a = json!({"data": [{"value": 42}]});
        let m = compare_values(&e, &a, MatchMode::Exact, &[]).unwrap_err();
        assert_eq!(
            m.summary,
            "response differs from the vector at /data/0/value"
        );
        assert!(m.diff.contains("-      \"value\": 41"), "{}", m.diff);
        assert!(m.diff.contains("+      \"value\": 42"), "{}", m.diff);
    }

    #[test]
    fn shape_ignores_values_but_not_types_or_counts() {
        let e = json!({"type": "double_long_unsigned", "value": 41});
        let a = json!({"type": "double_long_unsigned", "value": 42});
        assert!(compare_values(&e, &a, MatchMode::Shape, &[]).is_ok());
        let b = json!({"type": "long_unsigned", "value": 41});
        assert!(compare_values(&e, &b, MatchMode::Shape, &[]).is_err());
        let c = json!([1, 2]);
        let d = json!([1]);
        assert!(compare_values(&c, &d, MatchMode::Shape, &[]).is_err());
    }
}
