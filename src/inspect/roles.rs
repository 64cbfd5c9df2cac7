//! What each field of a decoded response means for judging, defined once per wire structure.
//!
//! A golden vector's expectation is the recorded reference device's response. Judging it
//! value for value would fail every conformant device whose readings differ, so each field
//! has a [`Role`]:
//!
//! - [`Role::Outcome`]: protocol and outcome (result, status and response codes, which
//!   objects, attributes and commands, data types, counts of results, which blocks are
//!   encrypted). Judged exactly.
//! - [`Role::DeviceData`]: what the device holds or measures (readings, balances, times, log
//!   entries, identity strings, configuration, credentials it already held). Judged by JSON
//!   type only; arrays of device data may have any length, each element shaped like one the
//!   recording shows.
//! - [`Role::Sent`]: an echo of what the harness sent (a DLMS invoke id, a replacing
//!   certificate's key id). Judged against the command actually sent.
//! - [`Role::Opaque`]: ciphertext, tags and counters of a block: only their presence counts.
//! - [`Role::Ignored`]: decoder bookkeeping, not part of what the device said.
//!
//! The roles are keyed by the field names of the codec's serialised wire types (the same
//! names the decoded JSON carries); the three payload families (DLMS, GBZ, ASN.1) share one
//! vocabulary, so one table serves them all. A field no rule names is device data:
//! an unknown field must never make a conformant device fail.
//!
//! [`view`] turns a decoded payload into its *expectation view*: outcome values kept, device
//! data replaced by its type, echoes checked against the sent command. Two views are then
//! compared with [`reconcile`] (device-data arrays compared as sets of element shapes) and
//! plain equality; the difference is shown as a diff of the two views.

use serde_json::{Map, Value};

/// How a field is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Outcome,
    DeviceData,
    Sent,
    Opaque,
    Ignored,
}

/// How an array's elements are judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayRole {
    /// Same count, element by element (results, components, requested attributes).
    Exact,
    /// Any count; every element shaped like one the recording shows (logs, profiles).
    DeviceData,
}

/// What a device-data leaf reads as in a view: its JSON type.
pub fn device_data_marker(v: &Value) -> Value {
    Value::String(
        match v {
            Value::Null => "<device data: null>",
            Value::Bool(_) => "<device data: bool>",
            Value::Number(_) => "<device data: number>",
            Value::String(_) => "<device data: string>",
            Value::Array(_) => "<device data: array>",
            Value::Object(_) => "<device data: object>",
        }
        .into(),
    )
}

/// What an opaque leaf reads as in a view.
pub const OPAQUE: &str = "<opaque>";
/// What a correct echo of the sent command reads as in a view.
pub const SENT: &str = "<what the harness sent>";
/// The key under which a device-data array lists its distinct element shapes.
pub const ANY_NUMBER_OF: &str = "<any number of>";

/// Fields that are protocol or outcome in every family, with why.
const OUTCOME: &[(&str, &str)] = &[
    ("family", "payload family: DLMS, GBZ or DER"),
    ("kind", "which APDU, command or payload structure"),
    ("type", "DLMS data type (GBCS fixes each attribute's type)"),
    ("structure", "which ASN.1 response structure"),
    ("form", "GBZ component form / other-information form"),
    ("result", "DLMS data-access / action result"),
    ("status", "ZCL status or ASN.1 outcome status"),
    ("response_code", "ASN.1 response code"),
    ("join_response_code", "ASN.1 join response code"),
    ("parser_label", "name of a response code"),
    ("name", "name of a coded value"),
    ("id", "cluster or attribute identifier (what was asked for)"),
    ("command", "ZCL command name"),
    ("command_id", "ZCL command identifier"),
    ("data_type", "ZCL data type of an attribute"),
    ("frame_type", "ZCL frame type"),
    ("direction", "ZCL direction"),
    ("manufacturer_specific", "ZCL frame control"),
    (
        "encrypted",
        "whether GBCS requires this component encrypted",
    ),
    ("last", "GBZ last-component flag"),
    ("from_date_time", "GBZ from-date-time flag"),
    ("profile_id", "GBZ profile"),
    ("component_count", "number of GBZ components"),
    ("additional_header_control", "GBZ additional header control"),
    (
        "tsn",
        "ZCL transaction sequence number (echo of the command's)",
    ),
    (
        "tsns",
        "which requests a folded GBZ log run answers, in order",
    ),
    (
        "total_number_of_commands",
        "GBZ multi-command response bookkeeping",
    ),
    ("command_index", "GBZ multi-command response bookkeeping"),
    ("security_control", "how a block is protected"),
    ("flags", "DLMS access-response flags"),
    ("obis", "which COSEM object"),
    ("class", "which COSEM interface class"),
    ("class_id", "which COSEM interface class"),
    ("attribute", "which COSEM attribute"),
    ("method", "which COSEM method"),
    (
        "command_accepted",
        "the device accepted a future-dated or deferred command",
    ),
    (
        "remote_party_role",
        "which trust anchor cell (echo of the command)",
    ),
    ("key_usage", "which trust anchor cell (echo of the command)"),
    (
        "cell_usage",
        "which trust anchor cell (echo of the command)",
    ),
    ("credentials_replacement_mode", "echo of the command's mode"),
    ("seq_number_usage", "which specialist sequence number"),
    ("device_type", "the device's type"),
    ("element", "a compact array's element types"),
];

/// Fields whose value must be what the harness sent.
const SENT_FIELDS: &[(&str, &str)] = &[
    ("invoke_id", "DLMS invoke id: the command's"),
    (
        "replacing_subject_key_identifier",
        "the key id of the certificate the harness sent",
    ),
    (
        "replacing_subject_unique_id",
        "the entity id of the certificate the harness sent",
    ),
    (
        "authorising_remote_party_seq_number",
        "the sequence number of the command",
    ),
];

/// Fields that are device data even where a generic rule would say otherwise.
const DEVICE_DATA: &[(&str, &str)] = &[
    (
        "raw",
        "a control byte: its meaning is judged in its decoded flags (frame type, direction, \
         encrypted, ...), and its disable-default-response bit is not pinned in a response",
    ),
    (
        "disable_default_response",
        "not pinned in a response: the RTDS device sets it both ways for the same ZCL command \
         (ReadAttributesResponse: 15 set, 29 clear)",
    ),
    (
        "bits",
        "a DLMS bit-string's length is configuration (a schedule's special-day bitmap grows \
         with the special-day table); ASN.1 key-usage bits are judged whole with their name",
    ),
    ("value", "a reading, setting or log value"),
    ("date_time", "a time the device holds"),
    (
        "additional_header_frame_counter",
        "the device's own frame counter",
    ),
    (
        "existing_subject_key_identifier",
        "a credential the device already held",
    ),
    (
        "existing_subject_unique_id",
        "a credential the device already held",
    ),
    ("firmware_version", "the device's firmware"),
    ("scaler_unit", "derived from a register's scaler and unit"),
];

/// Ciphered block internals: present or not, never compared.
const OPAQUE_FIELDS: &[&str] = &["ciphertext", "tag", "invocation_counter"];

/// Decoder bookkeeping: how the device encoded, not what it said.
const IGNORED_FIELDS: &[&str] = &["non_minimal_lengths"];

/// Arrays whose count and order are protocol.
const EXACT_ARRAYS: &[&str] = &[
    "tsns",
    "results",
    "data",
    "components",
    "records",
    "replacement_outcomes",
    "remote_party_seq_number_changes",
    "specialist_floor_seq_numbers",
    "restore_outcomes",
];

/// The role of a leaf field.
pub fn role_of(key: &str) -> Role {
    if IGNORED_FIELDS.contains(&key) {
        Role::Ignored
    } else if OPAQUE_FIELDS.contains(&key) {
        Role::Opaque
    } else if SENT_FIELDS.iter().any(|(k, _)| *k == key) {
        Role::Sent
    } else if DEVICE_DATA.iter().any(|(k, _)| *k == key) {
        Role::DeviceData
    } else if OUTCOME.iter().any(|(k, _)| *k == key) {
        Role::Outcome
    } else {
        Role::DeviceData
    }
}

/// Why a field has its role, for reviewers (`gbcs-harness import --explain`, docs).
pub fn reason(key: &str) -> &'static str {
    OUTCOME
        .iter()
        .chain(SENT_FIELDS)
        .chain(DEVICE_DATA)
        .find(|(k, _)| *k == key)
        .map_or("not named by any rule: device data", |(_, r)| r)
}

/// The role of an array under `key`, inside `parent` (a DLMS data node's `value` is an
/// array of device data when the node's type is `array`, a fixed structure otherwise).
pub fn array_role(key: &str, parent: &Map<String, Value>) -> ArrayRole {
    if key == "value" {
        return match parent.get("type").and_then(Value::as_str) {
            Some("structure") => ArrayRole::Exact,
            _ => ArrayRole::DeviceData,
        };
    }
    if EXACT_ARRAYS.contains(&key) {
        ArrayRole::Exact
    } else {
        ArrayRole::DeviceData
    }
}

/// What the harness sent, for judging echoes: the sent command's decoded payload.
#[derive(Debug, Clone, Default)]
pub struct SentValues {
    /// `(key, value)` of every leaf of the sent payload.
    leaves: Vec<(String, Value)>,
    /// Every hex string of the sent payload (certificates carry key ids inside).
    hex: Vec<String>,
}

impl SentValues {
    pub fn from_payload(decoded: &Value) -> Self {
        let mut out = SentValues::default();
        out.collect(decoded, "");
        out
    }

    fn collect(&mut self, v: &Value, key: &str) {
        match v {
            Value::Object(map) => map.iter().for_each(|(k, c)| self.collect(c, k)),
            Value::Array(items) => items.iter().for_each(|c| self.collect(c, key)),
            Value::String(s) if s.len() >= 8 && s.chars().all(|c| c.is_ascii_hexdigit()) => {
                self.hex.push(s.to_ascii_uppercase());
                self.leaves.push((key.to_string(), v.clone()));
            }
            _ => self.leaves.push((key.to_string(), v.clone())),
        }
    }

    /// Whether `value`, found under `key` in a response, is something the harness sent: the
    /// same field of the command, or (a hex value) part of a hex string it sent.
    pub fn contains(&self, key: &str, value: &Value) -> bool {
        if self.leaves.iter().any(|(k, v)| k == key && v == value) {
            return true;
        }
        match value {
            Value::String(s) if s.len() >= 8 && s.chars().all(|c| c.is_ascii_hexdigit()) => {
                let s = s.to_ascii_uppercase();
                self.hex.iter().any(|h| h.contains(&s))
            }
            _ => false,
        }
    }
}

/// The expectation view of a decoded payload (`{"family": .., "body": ..}`). With `sent`,
/// echoes are checked and read [`SENT`] when right, `<not sent: VALUE>` when wrong; without
/// (the recorded side) they read [`SENT`].
pub fn view(decoded: &Value, sent: Option<&SentValues>) -> Value {
    walk(decoded, None, sent)
}

fn walk(v: &Value, key: Option<&str>, sent: Option<&SentValues>) -> Value {
    match v {
        Value::Object(map) => {
            let mut out = Map::new();
            // A replacement that failed echoes nothing it was sent (RTDS CS02b _ERROR_: the
            // "replacing" key id is the one the device kept).
            let failed = map
                .get("status")
                .and_then(|s| s.get("value"))
                .and_then(Value::as_u64)
                .is_some_and(|code| code != 0);
            for (k, child) in map {
                if role_of(k) == Role::Ignored {
                    continue;
                }
                match child {
                    Value::Array(items) => {
                        let elements = items.iter().map(|c| walk(c, Some(k), sent));
                        let value = match array_role(k, map) {
                            ArrayRole::Exact => Value::Array(elements.collect()),
                            ArrayRole::DeviceData => any_number_of(elements),
                        };
                        out.insert(k.clone(), value);
                    }
                    Value::Object(inner) if is_exact_subtree(k, inner) => {
                        out.insert(k.clone(), child.clone());
                    }
                    Value::Object(_) => {
                        out.insert(k.clone(), walk(child, Some(k), sent));
                    }
                    leaf => match role_of(k) {
                        Role::Ignored => {}
                        Role::Opaque => {
                            out.insert(k.clone(), Value::String(OPAQUE.into()));
                        }
                        Role::Outcome => {
                            out.insert(k.clone(), leaf.clone());
                        }
                        Role::DeviceData => {
                            out.insert(k.clone(), device_data_marker(leaf));
                        }
                        Role::Sent if failed => {
                            out.insert(k.clone(), device_data_marker(leaf));
                        }
                        Role::Sent => {
                            let shown = match sent {
                                Some(s) if !s.contains(k, leaf) => {
                                    Value::String(format!("<not sent: {leaf}>"))
                                }
                                _ => Value::String(SENT.into()),
                            };
                            out.insert(k.clone(), shown);
                        }
                    },
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|c| walk(c, key, sent)).collect()),
        leaf => match key.map(role_of) {
            Some(Role::Outcome) => leaf.clone(),
            _ => device_data_marker(leaf),
        },
    }
}

/// A coded value of an outcome field (`{"value": 0, "name": "success"}`) is judged whole, code
/// and name; so is a compact array's element type description.
fn is_exact_subtree(key: &str, inner: &Map<String, Value>) -> bool {
    const CODED: &[&str] = &["value", "name", "parser_label", "bits"];
    key == "element"
        || (role_of(key) == Role::Outcome && inner.keys().all(|k| CODED.contains(&k.as_str())))
}

/// GBZ log reads (billing snapshots, calendars, logs) answer with one `Publish…` component per
/// entry found and a Default Response for each one not found, so how many of each a device
/// sends is device data. Where the recording's response has such a run of components of one
/// cluster, the run is folded into one `{"log": {"id", "entries"}}` element on both
/// sides (entries then compare as a device-data array); other components keep their count and
/// order. Returns whether anything was folded.
pub fn fold_log_runs(expected: &mut Value, actual: &mut Value) -> bool {
    let Some(folded) = log_clusters(expected) else {
        return false;
    };
    if folded.is_empty() {
        return false;
    }
    fold(expected, &folded);
    fold(actual, &folded);
    true
}

/// The clusters whose runs in this GBZ response are log reads (hold a `Publish…` command).
fn log_clusters(v: &Value) -> Option<Vec<Value>> {
    let components = v.pointer("/body/components")?.as_array()?;
    let mut out = Vec::new();
    for c in components {
        let publishes = c
            .pointer("/body/zcl/command")
            .and_then(Value::as_str)
            .is_some_and(|name| name.starts_with("Publish"));
        let cluster = c.pointer("/cluster/id").cloned().unwrap_or(Value::Null);
        if publishes && !out.contains(&cluster) {
            out.push(cluster);
        }
    }
    Some(out)
}

fn fold(v: &mut Value, clusters: &[Value]) {
    let Some(components) = v
        .pointer_mut("/body/components")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    let mut out: Vec<Value> = Vec::new();
    for mut c in components.drain(..) {
        let cluster = c.pointer("/cluster/id").cloned().unwrap_or(Value::Null);
        if !clusters.contains(&cluster) {
            out.push(c);
            continue;
        }
        let same_run = out
            .last()
            .and_then(|l| l.pointer("/log/id"))
            .is_some_and(|id| *id == cluster);
        if !same_run {
            out.push(serde_json::json!({"log": {"id": cluster, "tsns": [], "entries": []}}));
        }
        // Which requests were answered, in order, is protocol: the distinct transaction
        // numbers of the run. How many components answer each is the log's business.
        let tsn = c
            .pointer_mut("/body/zcl")
            .and_then(Value::as_object_mut)
            .and_then(|zcl| zcl.remove("tsn"))
            .unwrap_or(Value::Null);
        let Some(log) = out.last_mut().and_then(|l| l.get_mut("log")) else {
            continue;
        };
        if let Some(Value::Array(tsns)) = log.get_mut("tsns") {
            if tsns.last() != Some(&tsn) {
                tsns.push(tsn);
            }
        }
        if let Some(Value::Array(entries)) = log.get_mut("entries") {
            entries.push(c);
        }
    }
    *components = out;
    // The component count then follows the log: it is device data like the entries.
    if let Some(count) = v.pointer_mut("/body/component_count") {
        *count = Value::String("<varies with the log>".into());
    }
}

/// A device-data array: its distinct element views, in a stable order.
fn any_number_of(elements: impl Iterator<Item = Value>) -> Value {
    let mut distinct: Vec<Value> = Vec::new();
    for e in elements {
        if !distinct.contains(&e) {
            distinct.push(e);
        }
    }
    distinct.sort_by_key(|v| v.to_string());
    let mut m = Map::new();
    m.insert(ANY_NUMBER_OF.into(), Value::Array(distinct));
    Value::Object(m)
}

/// Rewrites `actual` where it satisfies `expected` under the tolerant rules, so that plain
/// equality (and the diff) shows only real differences: a device-data array matches when
/// every distinct element shape it has is one the recording shows (any, when the recording
/// has none).
pub fn reconcile(expected: &Value, actual: &mut Value) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            if let (Some(Value::Array(want)), Some(Value::Array(got))) =
                (e.get(ANY_NUMBER_OF), a.get_mut(ANY_NUMBER_OF))
            {
                if e.len() == 1 && (want.is_empty() || got.iter().all(|g| want.contains(g))) {
                    *got = want.clone();
                }
                return;
            }
            for (k, ev) in e {
                if let Some(av) = a.get_mut(k) {
                    reconcile(ev, av);
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            for (ev, av) in e.iter().zip(a.iter_mut()) {
                reconcile(ev, av);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn get_response(reading: u64, result: &str) -> Value {
        json!({"family": "dlms", "body": {"kind": "access_response", "invoke_id": 7,
            "flags": "20",
            "data": [{"type": "double_long_unsigned", "value": reading}],
            "results": [{"kind": "get", "result": result}]}})
    }

    fn judged(expected: &Value, actual: &Value, sent: &SentValues) -> bool {
        let e = view(expected, None);
        let mut a = view(actual, Some(sent));
        reconcile(&e, &mut a);
        e == a
    }

    #[test]
    fn readings_are_device_data_results_are_outcome() {
        let sent = SentValues::from_payload(&json!({"body": {"invoke_id": 7}}));
        let recorded = get_response(10, "success");
        assert!(judged(&recorded, &get_response(99_999, "success"), &sent));
        assert!(!judged(
            &recorded,
            &get_response(10, "hardware_fault"),
            &sent
        ));
    }

    #[test]
    fn invoke_id_must_be_the_sent_one() {
        let recorded = get_response(10, "success");
        let other = SentValues::from_payload(&json!({"body": {"invoke_id": 8}}));
        assert!(!judged(&recorded, &recorded, &other));
        let v = view(&recorded, Some(&other));
        assert_eq!(v["body"]["invoke_id"], json!("<not sent: 7>"));
    }

    #[test]
    fn data_types_and_structure_counts_are_outcome() {
        let sent = SentValues::from_payload(&json!({"body": {"invoke_id": 7}}));
        let recorded = get_response(10, "success");
        let mut retyped = recorded.clone();
        retyped["body"]["data"][0]["type"] = json!("long_unsigned");
        assert!(!judged(&recorded, &retyped, &sent));
        let structure = |n: usize| {
            let items: Vec<Value> = (0..n)
                .map(|i| json!({"type": "unsigned", "value": i}))
                .collect();
            json!({"family": "dlms", "body": {"kind": "access_response", "invoke_id": 7,
                "flags": "20", "data": [{"type": "structure", "value": items}],
                "results": [{"kind": "get", "result": "success"}]}})
        };
        assert!(!judged(&structure(2), &structure(3), &sent));
    }

    #[test]
    fn log_arrays_may_have_any_length_but_their_elements_keep_their_shape() {
        let sent = SentValues::from_payload(&json!({"body": {"invoke_id": 7}}));
        let log = |entries: Vec<Value>| {
            json!({"family": "dlms", "body": {"kind": "access_response", "invoke_id": 7,
                "flags": "20", "data": [{"type": "array", "value": entries}],
                "results": [{"kind": "get", "result": "success"}]}})
        };
        let entry = |t: &str| json!({"type": "structure", "value": [{"type": t, "value": 1}]});
        let recorded = log(vec![entry("unsigned"), entry("unsigned")]);
        assert!(judged(&recorded, &log(vec![]), &sent));
        assert!(judged(&recorded, &log(vec![entry("unsigned"); 5]), &sent));
        assert!(!judged(&recorded, &log(vec![entry("long")]), &sent));
        // An empty recording says nothing about element shape.
        assert!(judged(&log(vec![]), &log(vec![entry("long")]), &sent));
    }

    #[test]
    fn a_replacing_key_id_must_be_in_a_sent_certificate() {
        let response = |kid: &str| {
            json!({"family": "asn1", "body": {"body": {
                "structure": "update_security_credentials_response",
                "replacement_outcomes": [{"status": {"value": 0, "name": "success"},
                    "existing_subject_key_identifier": "1111111111111111",
                    "replacing_subject_key_identifier": kid}]}}})
        };
        let sent = SentValues::from_payload(&json!({"body": {"body": {
            "replacements": [{"replacing_certificate": "3082AA040843046B4FB7C4F11B30"}]}}}));
        let recorded = response("43046B4FB7C4F11B");
        assert!(judged(&recorded, &recorded, &sent));
        assert!(!judged(&recorded, &response("43046B4FB7C4F11C"), &sent));
        // The key id the device already held is its own business.
        let mut other = recorded.clone();
        other["body"]["body"]["replacement_outcomes"][0]["existing_subject_key_identifier"] =
            json!("2222222222222222");
        assert!(judged(&recorded, &other, &sent));
    }

    #[test]
    fn an_encrypted_block_sent_plain_is_caught_and_ciphertext_is_not_compared() {
        let sent = SentValues::from_payload(&json!({"body": {"invoke_id": 7}}));
        let ciphered = |ct: &str| {
            json!({"family": "dlms", "body": {"kind": "access_response", "invoke_id": 7,
                "flags": "20", "data": [{"type": "octet_string",
                    "ciphered": {"security_control": 49, "invocation_counter": 0,
                                 "ciphertext": ct, "tag": "00"},
                    "decrypted": {"type": "unsigned", "value": 1}}],
                "results": [{"kind": "get", "result": "success"}]}})
        };
        assert!(judged(&ciphered("AA"), &ciphered("BBBB"), &sent));
        let plain = json!({"family": "dlms", "body": {"kind": "access_response", "invoke_id": 7,
            "flags": "20", "data": [{"type": "unsigned", "value": 1}],
            "results": [{"kind": "get", "result": "success"}]}});
        assert!(!judged(&ciphered("AA"), &plain, &sent));
    }

    #[test]
    fn bookkeeping_is_ignored() {
        let sent = SentValues::default();
        let a = json!({"family": "asn1", "body": {"body": {"structure": "x",
            "non_minimal_lengths": [{"offset": 3}]}}});
        let b = json!({"family": "asn1", "body": {"body": {"structure": "x"}}});
        assert!(judged(&a, &b, &sent));
    }
}
