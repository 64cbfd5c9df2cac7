//! Turning command-line INPUT arguments into messages: files, folders (recursed for
//! `*.HEX`), literal hex strings, or `-` for hex messages on standard input, one per line.

use std::io::Read;
use std::path::Path;

use gbcs_harness::corpus::{hex_files, parse_hex, read_hex_file};

/// One message to decode, or why it could not be read.
pub struct Input {
    pub source: String,
    pub bytes: Result<Vec<u8>, String>,
}

pub fn collect(args: &[String]) -> Vec<Input> {
    let mut out = Vec::new();
    for arg in args {
        if arg == "-" {
            let mut text = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut text) {
                out.push(Input {
                    source: "stdin".into(),
                    bytes: Err(format!("cannot read standard input: {e}")),
                });
                continue;
            }
            for (n, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                out.push(Input {
                    source: format!("stdin:{}", n + 1),
                    bytes: parse_hex(line).map_err(|e| format!("not hex: {e}")),
                });
            }
            continue;
        }
        let path = Path::new(arg);
        if path.is_dir() {
            let files = hex_files(path);
            if files.is_empty() {
                out.push(Input {
                    source: arg.clone(),
                    bytes: Err("folder holds no *.HEX files".into()),
                });
            }
            for file in files {
                out.push(Input {
                    source: file.display().to_string(),
                    bytes: read_hex_file(&file).map_err(|e| e.to_string()),
                });
            }
        } else if path.is_file() {
            out.push(Input {
                source: arg.clone(),
                bytes: read_hex_file(path).map_err(|e| e.to_string()),
            });
        } else {
            out.push(Input {
                source: "argument".into(),
                bytes: parse_hex(arg)
                    .map_err(|e| format!("{arg:?} is neither a file, a folder nor hex ({e})")),
            });
        }
    }
    out
}
