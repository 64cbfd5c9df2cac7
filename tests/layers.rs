//! The library's layers point one way: a module imports only its own layer and those below.
//!
//! Ranks, lowest first: `corpus`, `report` and `codec` 0, `crypto` 1, `inspect` and `duis` 2, `command` 3,
//! `sim` 4, `transport` 5, `vectors` 6, `runner`, `dcc` and `headend` 7. `corpus` and `report` are utilities any layer
//! may use, so they import no other module of the crate at all. The binary (`main.rs`, `cli/`) sits on top of them all and is not checked. Every
//! `crate::<module>` reference counts, in `use` statements and in paths, test code included;
//! comments do not.

use std::path::{Path, PathBuf};

/// The rank of each top-level module of the library.
const RANKS: &[(&str, u8)] = &[
    ("corpus", 0),
    ("report", 0),
    ("codec", 0),
    ("crypto", 1),
    ("inspect", 2),
    ("duis", 2),
    ("command", 3),
    ("sim", 4),
    ("transport", 5),
    ("vectors", 6),
    ("runner", 7),
    ("dcc", 7),
    ("headend", 7),
];

/// Modules beside the layers: any layer may use them, they use no other module.
const UTILITIES: &[&str] = &["corpus", "report"];

fn rank(module: &str) -> Option<u8> {
    RANKS
        .iter()
        .find(|(name, _)| *name == module)
        .map(|(_, rank)| *rank)
}

/// Every `.rs` file under `dir`, sorted.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file under `src/` belongs to (`src/codec/gbz/mod.rs` → `codec`,
/// `src/corpus.rs` → `corpus`); `None` for `lib.rs` and `main.rs`.
fn module_of(relative: &Path) -> Option<String> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    match first.strip_suffix(".rs") {
        Some("lib" | "main") => None,
        Some(stem) => Some(stem.to_string()),
        None => Some(first.to_string()),
    }
}

/// `source` with comments blanked out (line, doc and block comments), string and character
/// literals kept as they are, and line breaks kept so line numbers still hold.
fn strip_comments(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let mut block_depth = 0usize;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if block_depth > 0 {
            if c == '*' && next == Some('/') {
                block_depth -= 1;
                i += 2;
            } else if c == '/' && next == Some('*') {
                block_depth += 1;
                i += 2;
            } else {
                if c == '\n' {
                    out.push('\n');
                }
                i += 1;
            }
            continue;
        }
        match (c, next) {
            ('/', Some('/')) => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ('/', Some('*')) => {
                block_depth = 1;
                i += 2;
            }
            ('\'', _) if next == Some('\\') || chars.get(i + 2) == Some(&'\'') => {
                // A character literal (`'"'`, `'\''`), not a lifetime.
                let end = if next == Some('\\') {
                    (i + 3..chars.len())
                        .find(|&j| chars[j] == '\'')
                        .unwrap_or(chars.len() - 1)
                } else {
                    i + 2
                };
                out.extend(&chars[i..=end]);
                i = end + 1;
            }
            ('r', Some('"' | '#')) if i == 0 || !is_ident(chars[i - 1]) => {
                // A raw string: `r"…"` or `r#"…"#`, which may hold a `"`.
                let hashes = chars[i + 1..].iter().take_while(|c| **c == '#').count();
                if chars.get(i + 1 + hashes) != Some(&'"') {
                    out.push(c);
                    i += 1;
                    continue;
                }
                let closing: Vec<char> = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                let body = i + 2 + hashes;
                let end = (body..chars.len())
                    .find(|&j| chars[j..].starts_with(&closing))
                    .map_or(chars.len(), |j| j + closing.len());
                out.extend(&chars[i..end]);
                i = end;
            }
            ('"', _) => {
                // A string literal: copied through so a `//` inside it is not a comment.
                out.push(c);
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        out.push(chars[i]);
                        i += 1;
                    }
                    out.push(chars[i]);
                    i += 1;
                }
                if i < chars.len() {
                    out.push('"');
                    i += 1;
                }
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The top-level modules `line` names through `crate::`: `crate::codec::X` gives `codec`,
/// `crate::{codec::X, crypto::{Y, Z}}` gives `codec` and `crypto`.
fn referenced_modules(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        let preceded_by_ident = rest[..at].chars().next_back().is_some_and(is_ident);
        let after = &rest[at + "crate::".len()..];
        rest = after;
        if preceded_by_ident {
            continue; // e.g. `gbcs_harness_crate::`, not this crate
        }
        let after = after.trim_start();
        if let Some(group) = after.strip_prefix('{') {
            // The first segment of each top-level item of the group.
            let mut depth = 0usize;
            let mut start = true;
            for (index, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    _ if start && is_ident(c) => {
                        let name: String = group[index..]
                            .chars()
                            .take_while(|c| is_ident(*c))
                            .collect();
                        found.push(name);
                        start = false;
                    }
                    _ if start && !c.is_whitespace() => start = false,
                    _ => {}
                }
            }
        } else {
            let name: String = after.chars().take_while(|c| is_ident(*c)).collect();
            if !name.is_empty() {
                found.push(name);
            }
        }
    }
    found
}

/// `file:line: <module> imports <higher module>` for every upward reference under `src/`.
fn upward_references(root: &Path) -> Vec<String> {
    let src = root.join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut violations = Vec::new();
    for path in files {
        let relative = path.strip_prefix(&src).expect("under src");
        let Some(module) = module_of(relative) else {
            continue;
        };
        if module == "cli" {
            continue;
        }
        let own = rank(&module).unwrap_or_else(|| {
            panic!(
                "src/{} is in module `{module}`, which has no layer rank",
                relative.display()
            )
        });
        let source = std::fs::read_to_string(&path).expect("readable source");
        // A `use crate::{…}` group may span lines: join each statement onto its first line.
        let stripped = strip_comments(&source);
        let lines: Vec<&str> = stripped.lines().collect();
        let mut index = 0;
        while index < lines.len() {
            let mut text = lines[index].to_string();
            let first = index;
            if text.contains("crate::{") {
                let mut depth: isize = 0;
                let mut end = index;
                loop {
                    depth += lines[end].matches('{').count() as isize
                        - lines[end].matches('}').count() as isize;
                    if depth <= 0 || end + 1 >= lines.len() {
                        break;
                    }
                    end += 1;
                    text.push(' ');
                    text.push_str(lines[end]);
                }
                index = end;
            }
            for target in referenced_modules(&text) {
                let Some(target_rank) = rank(&target) else {
                    continue; // `crate::self`-like paths, macros
                };
                let utility_reaching_out = UTILITIES.contains(&module.as_str()) && target != module;
                if target_rank > own || utility_reaching_out {
                    violations.push(format!(
                        "src/{}:{}: {module} imports {target}",
                        relative.display(),
                        first + 1
                    ));
                }
            }
            index += 1;
        }
    }
    violations
}

#[test]
fn no_module_imports_a_higher_layer() {
    let violations = upward_references(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(
        violations.is_empty(),
        "{} upward import(s) (ranks: {RANKS:?}):\n{}",
        violations.len(),
        violations.join("\n")
    );
}

#[test]
fn references_are_found_in_paths_and_groups_but_not_comments() {
    assert_eq!(referenced_modules("use crate::codec::Bytes;"), ["codec"]);
    assert_eq!(
        referenced_modules("use crate::{codec::{A, B}, crypto::KeyStore};"),
        ["codec", "crypto"]
    );
    assert_eq!(
        referenced_modules("let x = crate::sim::shape(&a);"),
        ["sim"]
    );
    assert!(referenced_modules("use other_crate::sim;").is_empty());
    let stripped =
        strip_comments("// crate::sim\n/* crate::runner */ let s = \"//\"; crate::codec::X");
    assert_eq!(referenced_modules(&stripped), ["codec"]);
    assert_eq!(stripped.lines().count(), 2);
}
