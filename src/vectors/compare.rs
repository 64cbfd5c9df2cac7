//! Judging a response against a golden vector: the message code, then the decoded payload
//! role by role ([`crate::inspect::roles`]); a mismatch is a unified diff of the two expectation views.

use serde_json::Value;
use similar::TextDiff;

use super::Vector;
use crate::codec::payload::Payload;
use crate::codec::MessageCode;
use crate::inspect::roles::{self, SentValues};

/// What a masked field reads as in the view, on both sides.
pub const MASKED: &str = "<masked>";

/// A response that does not match its vector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// One line: the message code, or the first JSON pointer that differs.
    pub summary: String,
    /// Unified diff, expected (`vector`) then actual (`response`), of the expectation views.
    pub diff: String,
}

/// What the device answered.
#[derive(Debug, Clone, Copy)]
pub struct Actual<'a> {
    pub message_code: Option<MessageCode>,
    pub payload: &'a Payload,
}

/// Judges a response against the vector. `sent` is the decoded payload of the command that
/// was actually sent (echoes are judged against it).
pub fn compare(vector: &Vector, sent: &Value, actual: Actual<'_>) -> Result<(), Mismatch> {
    let payload = serde_json::to_value(actual.payload).unwrap_or(Value::Null);
    compare_json(vector, sent, actual.message_code, &payload)
}

/// The same, on the response payload's decoded JSON form.
pub fn compare_json(
    vector: &Vector,
    sent: &Value,
    message_code: Option<MessageCode>,
    actual: &Value,
) -> Result<(), Mismatch> {
    let Some(expected) = &vector.response else {
        return Err(Mismatch {
            summary: "the reference device sent no response to this command".into(),
            diff: String::new(),
        });
    };
    let code = message_code.map(|c| c.to_string());
    if code.as_deref() != Some(expected.message_code.as_str()) {
        return Err(Mismatch {
            summary: format!(
                "response message code {} where the reference device answered {}",
                code.as_deref().unwrap_or("(none)"),
                expected.message_code
            ),
            diff: String::new(),
        });
    }
    let masks: Vec<&str> = vector.masks.iter().map(|m| m.pointer.as_str()).collect();
    compare_decoded(
        &expected.decoded,
        actual,
        &SentValues::from_payload(sent),
        &masks,
    )
}

/// The comparison on decoded payloads (JSON form of both sides).
pub fn compare_decoded(
    expected: &Value,
    actual: &Value,
    sent: &SentValues,
    masks: &[&str],
) -> Result<(), Mismatch> {
    let (mut e, mut a) = (expected.clone(), actual.clone());
    roles::fold_log_runs(&mut e, &mut a);
    for pointer in masks {
        mask(&mut e, pointer);
        mask(&mut a, pointer);
    }
    let e = roles::view(&e, None);
    let mut a = roles::view(&a, Some(sent));
    roles::reconcile(&e, &mut a);
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
                    None => return Some(format!("{here} (missing from the response)")),
                    Some(yv) => {
                        if let Some(d) = first_difference(xv, yv, &here) {
                            return Some(d);
                        }
                    }
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| format!("{at}/{k} (not in the vector)"))
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

    fn response(value: u64, result: &str) -> Value {
        json!({"family": "dlms", "body": {"kind": "access_response", "invoke_id": 1,
            "flags": "20", "data": [{"type": "long_unsigned", "value": value}],
            "results": [{"kind": "get", "result": result}]}})
    }

    fn sent() -> SentValues {
        SentValues::from_payload(&json!({"family": "dlms", "body": {"invoke_id": 1}}))
    }

    #[test]
    fn masked_fields_are_not_compared() {
        let e = response(1, "success");
        let a = response(1, "hardware_fault");
        assert!(compare_decoded(&e, &a, &sent(), &[]).is_err());
        assert!(compare_decoded(&e, &a, &sent(), &["/body/results/0/result"]).is_ok());
    }

    #[test]
    fn a_mismatch_names_the_pointer_and_shows_a_diff() {
        let e = response(41, "success");
        let a = response(42, "temporary_failure");
        let m = compare_decoded(&e, &a, &sent(), &[]).unwrap_err();
        assert_eq!(
            m.summary,
            "response differs from the vector at /body/results/0/result"
        );
        assert!(
            m.diff.contains("-        \"result\": \"success\""),
            "{}",
            m.diff
        );
        assert!(
            m.diff
                .contains("+        \"result\": \"temporary_failure\""),
            "{}",
            m.diff
        );
        // Readings are shown by type, on both sides: they are not what failed.
        assert!(!m.diff.contains("41"), "{}", m.diff);
    }
}
