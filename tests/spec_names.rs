//! Spec names, not numbers: outside the codec (`src/codec/`, whose catalogue generates the
//! names), message codes and remote-party roles are written by name (`MessageCode::ECS17B`,
//! `RemotePartyRole::Supplier`), never as numbers. Fails naming every `file:line` that does.
//!
//! What counts as a number written for a spec name (in code, not in `//` comments, string
//! literals included as written):
//!
//! 1. `MessageCode(0x…)`: a message code built from a literal, when the catalogue lists it
//!    (a deliberately unknown code such as `MessageCode(0x7777)` is not a spec name).
//! 2. A four-digit hex literal of a catalogued message code (`0x0000`–`0x01FF`,
//!    `0x1000`, `0x1001`, and only codes the catalogue lists) used as a code: on a line that
//!    mentions a message code (case-insensitive `message_code`, `MessageCode`, `code.0`,
//!    `alert_code`), or as a pattern of a `match` whose scrutinee mentions a code (the arms up
//!    to the closing brace of that match). Hex literals elsewhere (ZCL cluster and attribute
//!    ids, OBIS bytes, bit masks) are not message codes and are not flagged.
//! 3. A role number: `RemotePartyRole::from_code(<digits>)`, `CodeKind::RemotePartyRole,
//!    <digits>` and `CodeKind::DeviceType, <digits>` (a role or device type built from a
//!    literal).

use std::path::{Path, PathBuf};

use gbcs_harness::codec::catalogue;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code part of a line: up to a `//` comment.
fn code_part(line: &str) -> &str {
    match line.find("//") {
        Some(i) => &line[..i],
        None => line,
    }
}

/// Every `0x` literal of exactly four hex digits on the line, with its value.
fn hex4_literals(code: &str) -> Vec<u16> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 6 <= b.len() {
        let boundary_before = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        if boundary_before && &b[i..i + 2] == b"0x" {
            let digits = &code[i + 2..i + 6];
            let boundary_after = b
                .get(i + 6)
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'_'));
            if boundary_after && digits.bytes().all(|c| c.is_ascii_hexdigit()) {
                out.push(u16::from_str_radix(digits, 16).unwrap());
            }
        }
        i += 1;
    }
    out
}

/// The value of a `MessageCode(0x…)` on the line, if any.
fn built_code(code: &str) -> Option<u16> {
    let at = code.find("MessageCode(0x")? + "MessageCode(0x".len();
    let digits: String = code[at..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit() || *c == '_')
        .filter(|c| *c != '_')
        .collect();
    u16::from_str_radix(&digits, 16).ok()
}

fn is_catalogued_code(v: u16) -> bool {
    (v < 0x0200 || v == 0x1000 || v == 0x1001)
        && catalogue::lookup(gbcs_harness::codec::MessageCode(v)).is_some()
}

fn findings_in(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    // Brace depth at which an open `match` on a code closes, if inside one.
    let mut depth: i64 = 0;
    let mut code_match_until: Option<i64> = None;
    for (n, line) in text.lines().enumerate() {
        let code = code_part(line);
        let lower = code.to_ascii_lowercase();
        let mentions_code = ["message_code", "messagecode", "code.0", "alert_code"]
            .iter()
            .any(|m| lower.contains(m));
        if let Some(v) = built_code(code).filter(|v| is_catalogued_code(*v)) {
            found.push((
                n + 1,
                format!("MessageCode(0x{v:04X}) built from a literal"),
            ));
            continue;
        }
        let in_code_match = code_match_until.is_some();
        for v in hex4_literals(code) {
            if is_catalogued_code(v) && (mentions_code || in_code_match) {
                found.push((
                    n + 1,
                    format!(
                        "0x{v:04X} written for message code {}",
                        catalogue::lookup(gbcs_harness::codec::MessageCode(v))
                            .map_or("?", |e| e.use_case)
                    ),
                ));
            }
        }
        for pattern in [
            "RemotePartyRole::from_code(",
            "CodeKind::RemotePartyRole,",
            "CodeKind::DeviceType,",
        ] {
            if let Some(at) = code.find(pattern) {
                let rest = code[at + pattern.len()..].trim_start();
                if rest.starts_with(|c: char| c.is_ascii_digit()) {
                    found.push((n + 1, format!("role or device type number after {pattern}")));
                }
            }
        }
        let opened = code_match_until.is_none() && lower.contains("match ") && mentions_code;
        if opened {
            code_match_until = Some(depth);
        }
        for c in code.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
        }
        if !opened && code_match_until.is_some_and(|d| depth <= d) {
            code_match_until = None;
        }
    }
    found
}

/// Files left as they are, with the reason.
const ALLOWED: &[&str] = &[];

#[test]
fn the_patterns_find_numbers_and_not_names() {
    let bad = "let c = MessageCode(0x0027);\n\
               match (ctx.message_code.0, body) {\n    (0x000A, b) => 1,\n    _ => 2,\n}\n\
               let r = RemotePartyRole::from_code(2);\n\
               code(CodeKind::RemotePartyRole, 4)\n";
    let lines: Vec<usize> = findings_in(bad).into_iter().map(|(n, _)| n).collect();
    assert_eq!(lines, vec![1, 3, 6, 7]);
    let good = "let c = MessageCode::ECS17B;\n\
                a.set(METERING, 0x0014, 2); // SupplyStatus\n\
                (0x0702, 0x0014) => x,\n\
                let r = RemotePartyRole::Supplier; // code 0x0027 in a comment\n\
                match Utrn::parse(&code) {\n    Ok(u) => m.int(PREPAYMENT, 0x0022),\n}\n\
                let mask = counter & 0x00FF_FFFF;\n";
    assert_eq!(findings_in(good), vec![]);
}

#[test]
fn no_message_code_or_role_numbers_outside_the_codec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let codec = root.join("src").join("codec");
    let mut report = Vec::new();
    for file in files
        .iter()
        .filter(|f| !f.starts_with(&codec) && !ALLOWED.iter().any(|a| root.join(a) == **f))
    {
        let text = std::fs::read_to_string(file).unwrap();
        for (line, what) in findings_in(&text) {
            report.push(format!(
                "{}:{line}: {what}",
                file.strip_prefix(root).unwrap().display()
            ));
        }
    }
    assert!(
        report.is_empty(),
        "{} numbers written for spec names (use MessageCode::NAME, RemotePartyRole::NAME):\n{}",
        report.len(),
        report.join("\n")
    );
}
