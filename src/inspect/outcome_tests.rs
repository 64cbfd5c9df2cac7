//! The typed outcome accessors (`codec::outcome`) checked on the RTDS with its keys: they sit
//! here because decrypting the corpus needs `crypto` and `inspect`, above the codec.

use serde_json::Value as Json;

use crate::codec::outcome::*;
use crate::codec::CraFlag;
use crate::corpus::{hex_files, messages_dir_or_skip, read_hex_file};

/// The JSON search the runner's judge used before the typed accessors: the first key named
/// `result`, `status` or `response_code` whose value (or its `name`) is not "success".
fn legacy_failure(payload: &Json) -> Option<String> {
    match payload {
        Json::Object(map) => {
            for (k, v) in map {
                let text = match v {
                    Json::String(s) => Some(s.as_str()),
                    Json::Object(o) => o.get("name").and_then(Json::as_str),
                    _ => None,
                };
                if matches!(k.as_str(), "result" | "status" | "response_code") {
                    if let Some(t) = text {
                        if !t.eq_ignore_ascii_case("success") {
                            return Some(format!("{k} = {t}"));
                        }
                    }
                }
                if let Some(found) = legacy_failure(v) {
                    return Some(found);
                }
            }
            None
        }
        Json::Array(items) => items.iter().find_map(legacy_failure),
        _ => None,
    }
}

/// The JSON search the runner used for the firmware version: the first string under a
/// `value` or `version` key.
fn legacy_version(v: &Json) -> Option<String> {
    match v {
        Json::Object(map) => map.iter().find_map(|(k, child)| match child {
            Json::String(s) if k == "value" || k == "version" => Some(s.clone()),
            _ => legacy_version(child),
        }),
        Json::Array(items) => items.iter().find_map(legacy_version),
        _ => None,
    }
}

/// Renames every key the legacy search keyed on, as a serde rename would.
fn rename_keys(v: &Json) -> Json {
    match v {
        Json::Object(map) => Json::Object(
            map.iter()
                .map(|(k, c)| {
                    let k = match k.as_str() {
                        "result" => "outcome".to_string(),
                        "status" => "state".to_string(),
                        "response_code" => "code".to_string(),
                        "value" => "content".to_string(),
                        other => other.to_string(),
                    };
                    (k, rename_keys(c))
                })
                .collect(),
        ),
        Json::Array(items) => Json::Array(items.iter().map(rename_keys).collect()),
        other => other.clone(),
    }
}

/// On every RTDS response the typed accessors find what the JSON search found (and more:
/// ASN.1 codes the tables label only from the reference parser, which the JSON shows as
/// `parser_label`, not `name`); and what they find does not depend on the JSON form.
#[test]
fn accessors_find_what_the_json_search_found_on_every_rtds_response() {
    let Some(dir) = messages_dir_or_skip("accessors_find_what_the_json_search_found") else {
        return;
    };
    let Some(keys_dir) = crate::corpus::keystore_dir() else {
        return;
    };
    let keys = crate::crypto::KeyStore::load_dir(&keys_dir).expect("key store loads");
    let inspector = crate::inspect::Inspector::new(&keys, None);
    let (mut responses, mut failing, mut extra, mut versions) = (0, 0, 0, 0);
    for path in hex_files(&dir) {
        let bytes = read_hex_file(&path).unwrap();
        let Ok(i) = inspector.inspect(&bytes) else {
            continue;
        };
        if i.message.frame.header().cra != CraFlag::Response {
            continue;
        }
        let Ok(payload) = &i.message.payload else {
            continue;
        };
        responses += 1;
        let name = path.display().to_string();
        let json = serde_json::to_value(payload).unwrap();
        let found = payload.reported_failures();
        match legacy_failure(&json) {
            Some(old) => {
                failing += 1;
                assert!(
                    found.iter().any(|f| f.to_string() == old),
                    "{name}: JSON search found {old}, accessor {found:?}"
                );
            }
            None => {
                for f in &found {
                    // Only codes the JSON did not name: parser-only labels or unknown numbers.
                    let named = match &f.code {
                        ReportedCode::Asn1(c) => {
                            matches!(
                                c.label(),
                                Some(crate::codec::asn1::values::Label::Verified(_))
                            )
                        }
                        ReportedCode::DataAccess(r) => r.name().is_some(),
                        ReportedCode::Action(r) => r.name().is_some(),
                        ReportedCode::DlmsChoice { .. } => false,
                        ReportedCode::Zcl(_) => true,
                    };
                    assert!(!named, "{name}: accessor found {f} the JSON search did not");
                    extra += 1;
                }
            }
        }
        let code = i.message.frame.header().message_code();
        if code.is_some_and(|c| c.reads_firmware_version()) {
            let typed = payload.firmware_version();
            if let Some(old) = legacy_version(&json) {
                assert_eq!(typed.as_deref(), Some(old.as_str()), "{name}");
            }
            versions += usize::from(typed.is_some());
        }
        // A renamed serde field changes what the JSON search sees, never the accessors.
        let renamed = rename_keys(&json);
        assert_eq!(legacy_failure(&renamed), None, "{name}");
        assert_eq!(payload.reported_failures(), found, "{name}");
    }
    eprintln!(
        "{responses} responses: {failing} reported failures the JSON search found, \
         {extra} more the accessors find; {versions} firmware versions read"
    );
    assert!(responses > 400, "{responses}");
    assert!(failing > 10, "{failing}");
    assert_eq!(versions, 3, "ECS52, GCS38 and CS08 success responses");
}
