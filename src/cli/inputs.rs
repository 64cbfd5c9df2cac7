//! Turning command-line INPUT arguments into messages: files, folders (recursed for
//! `*.HEX`), literal hex strings, or `-` for hex messages on standard input, one per line.
//!
//! Inputs are handed over one at a time as they are read, never collected: memory stays
//! that of one message whatever the folder or the stream holds. Every message is bounded by
//! [`MAX_MESSAGE_HEX_BYTES`] of hex text, and a bad one (too long, not hex, not readable)
//! fails alone: the inputs after it are still decoded.

use std::io::{self, BufRead};
use std::path::Path;

use walkdir::WalkDir;

use gbcs_harness::corpus::{read_hex_file, HexFileError, MAX_HEX_FILE_BYTES};

/// The most hex text one message takes, from a file or a line of standard input: the hex
/// file limit, far above the largest GBCS frame (70,000 bytes, 140,000 hex digits).
pub const MAX_MESSAGE_HEX_BYTES: usize = MAX_HEX_FILE_BYTES as usize;

/// One message to decode, or why it could not be read.
pub struct Input {
    pub source: String,
    pub bytes: Result<Vec<u8>, InputError>,
}

/// Why one input gave no message.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read standard input: {0}")]
    Stdin(io::Error),
    #[error("line longer than the {limit}-byte limit for one hex message: skipped")]
    LineTooLong { limit: usize },
    #[error("not hex: byte 0x{byte:02X} at column {column}")]
    NotHexByte { byte: u8, column: usize },
    #[error("not hex: {digits} hex digits, expected an even number")]
    OddDigits { digits: usize },
    #[error(transparent)]
    File(#[from] HexFileError),
    #[error("folder holds no *.HEX files")]
    EmptyFolder,
    #[error("cannot walk the folder: {0}")]
    Walk(walkdir::Error),
    #[error("{arg:?} is neither a file, a folder nor hex ({reason})")]
    NotAnInput {
        arg: String,
        reason: Box<InputError>,
    },
}

/// Hands every input of `args` to `visit` as it is read, in order; stops at the first error
/// `visit` returns and gives it back.
pub fn each<E>(args: &[String], mut visit: impl FnMut(Input) -> Result<(), E>) -> Result<(), E> {
    for arg in args {
        if arg == "-" {
            each_line(io::stdin().lock(), MAX_MESSAGE_HEX_BYTES, &mut visit)?;
            continue;
        }
        let path = Path::new(arg);
        if path.is_dir() {
            each_file(arg, path, &mut visit)?;
        } else if path.is_file() {
            visit(Input {
                source: arg.clone(),
                bytes: read_hex_file(path).map_err(InputError::from),
            })?;
        } else {
            visit(Input {
                source: "argument".into(),
                bytes: parse_hex(arg.as_bytes()).map_err(|reason| InputError::NotAnInput {
                    arg: arg.clone(),
                    reason: Box::new(reason),
                }),
            })?;
        }
    }
    Ok(())
}

/// The `*.HEX` files under `dir`, walked in path order (each folder's entries sorted by
/// name), read one at a time.
fn each_file<E>(
    arg: &str,
    dir: &Path,
    visit: &mut impl FnMut(Input) -> Result<(), E>,
) -> Result<(), E> {
    let mut any = false;
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let source = e
                    .path()
                    .map_or_else(|| arg.to_string(), |p| p.display().to_string());
                visit(Input {
                    source,
                    bytes: Err(InputError::Walk(e)),
                })?;
                continue;
            }
        };
        let is_hex = entry
            .path()
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("hex"));
        if !entry.file_type().is_file() || !is_hex {
            continue;
        }
        any = true;
        visit(Input {
            source: entry.path().display().to_string(),
            bytes: read_hex_file(entry.path()).map_err(InputError::from),
        })?;
    }
    if !any {
        visit(Input {
            source: arg.to_string(),
            bytes: Err(InputError::EmptyFolder),
        })?;
    }
    Ok(())
}

/// One message per non-blank line of `reader`, named `stdin:LINE`. A line longer than
/// `limit` is failed without being held: its bytes are dropped as they arrive.
fn each_line<E>(
    reader: impl BufRead,
    limit: usize,
    visit: &mut impl FnMut(Input) -> Result<(), E>,
) -> Result<(), E> {
    let mut lines = Lines::new(reader, limit);
    let mut number = 0usize;
    loop {
        number += 1;
        let source = format!("stdin:{number}");
        let bytes = match lines.next_line() {
            Ok(None) => return Ok(()),
            Ok(Some(Line::TooLong)) => Err(InputError::LineTooLong { limit }),
            Ok(Some(Line::Text(text))) if text.trim_ascii().is_empty() => continue,
            Ok(Some(Line::Text(text))) => parse_hex(text),
            Err(e) => {
                // A failing stream gives nothing more: report it once and stop reading it.
                return visit(Input {
                    source,
                    bytes: Err(InputError::Stdin(e)),
                });
            }
        };
        visit(Input { source, bytes })?;
    }
}

/// One line of input, without its end of line.
enum Line<'a> {
    Text(&'a [u8]),
    /// Longer than the limit; its content is gone.
    TooLong,
}

/// Bounded line reader: holds at most `limit` bytes of a line, whatever the input.
struct Lines<R> {
    reader: R,
    limit: usize,
    line: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    fn new(reader: R, limit: usize) -> Self {
        Lines {
            reader,
            limit,
            line: Vec::new(),
        }
    }

    /// The next line, `None` at the end of the input.
    fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        self.line.clear();
        let (mut read_any, mut too_long) = (false, false);
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                break;
            }
            read_any = true;
            let end = chunk.iter().position(|&b| b == b'\n');
            let part = &chunk[..end.unwrap_or(chunk.len())];
            if !too_long {
                if self.line.len() + part.len() > self.limit {
                    too_long = true;
                    // Give the memory back: the next lines are most likely short.
                    self.line = Vec::new();
                } else {
                    self.line.extend_from_slice(part);
                }
            }
            let used = part.len() + usize::from(end.is_some());
            self.reader.consume(used);
            if end.is_some() {
                break;
            }
        }
        if !read_any {
            return Ok(None);
        }
        if too_long {
            return Ok(Some(Line::TooLong));
        }
        let text = self.line.strip_suffix(b"\r").unwrap_or(&self.line);
        Ok(Some(Line::Text(text)))
    }
}

/// Decodes hex text, ignoring ASCII whitespace (files may end with a newline or be
/// wrapped). Works on bytes, so text that is not UTF-8 is named by its first bad byte.
pub fn parse_hex(text: &[u8]) -> Result<Vec<u8>, InputError> {
    let mut out = Vec::with_capacity(text.len() / 2);
    let mut high: Option<u8> = None;
    let mut digits = 0usize;
    for (i, &b) in text.iter().enumerate() {
        if b.is_ascii_whitespace() {
            continue;
        }
        let nibble = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => {
                return Err(InputError::NotHexByte {
                    byte: b,
                    column: i + 1,
                })
            }
        };
        digits += 1;
        match high.take() {
            None => high = Some(nibble),
            Some(h) => out.push(h << 4 | nibble),
        }
    }
    if high.is_some() {
        return Err(InputError::OddDigits { digits });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message `each_line` yields from `text`, as `(source, bytes or error text)`.
    fn lines(text: &[u8], limit: usize) -> Vec<(String, Result<Vec<u8>, String>)> {
        let mut out = Vec::new();
        // A tiny buffer: lines cross many chunks.
        let reader = io::BufReader::with_capacity(3, text);
        each_line(reader, limit, &mut |i: Input| -> Result<(), ()> {
            out.push((i.source, i.bytes.map_err(|e| e.to_string())));
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn a_bad_line_fails_alone() {
        let got = lines(b"0A0B\n\xff\xfe01\r\n\n  \nzz\n0c 0d\r\n0", 64);
        assert_eq!(got.len(), 5, "{got:?}");
        assert_eq!(got[0], ("stdin:1".into(), Ok(vec![0x0A, 0x0B])));
        assert_eq!(got[1].0, "stdin:2");
        assert_eq!(got[1].1, Err("not hex: byte 0xFF at column 1".to_string()));
        assert_eq!(
            got[2],
            (
                "stdin:5".into(),
                Err("not hex: byte 0x7A at column 1".into())
            )
        );
        assert_eq!(got[3], ("stdin:6".into(), Ok(vec![0x0C, 0x0D])));
        assert_eq!(
            got[4],
            (
                "stdin:7".into(),
                Err("not hex: 1 hex digits, expected an even number".into())
            )
        );
    }

    #[test]
    fn a_line_over_the_limit_is_dropped_not_held() {
        let mut text = b"0102\n".to_vec();
        text.extend(std::iter::repeat_n(b'A', 100));
        text.extend(b"\n0304\n");
        let got = lines(&text, 10);
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].1, Ok(vec![1, 2]));
        assert_eq!(
            got[1].1,
            Err("line longer than the 10-byte limit for one hex message: skipped".into())
        );
        assert_eq!(got[2], ("stdin:3".into(), Ok(vec![3, 4])));
        // Exactly the limit is accepted.
        assert_eq!(
            lines(b"0123456789", 10)[0].1,
            Ok(vec![1, 0x23, 0x45, 0x67, 0x89])
        );
    }
}
