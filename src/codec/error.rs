//! The one error type every decoder returns: where it went wrong and what was expected.

use serde::Serialize;

/// A decoding failure at an absolute byte offset of the message being decoded.
///
/// Offsets are counted from the first byte of the whole frame (nested decoders carry a
/// base offset), so a tester can find the byte in a hex dump.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("at offset {offset}: {kind}")]
pub struct DecodeError {
    pub offset: usize,
    pub kind: DecodeErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum DecodeErrorKind {
    #[error("expected {expected} ({needed} bytes) but only {available} bytes remain")]
    Truncated {
        expected: &'static str,
        needed: usize,
        available: usize,
    },
    #[error("expected {expected}, found 0x{found:02X}")]
    UnexpectedByte { expected: &'static str, found: u8 },
    #[error("{count} unexpected trailing bytes after {after}")]
    TrailingBytes { after: &'static str, count: usize },
    #[error("non-minimal length encoding for {what}")]
    NonMinimalLength { what: &'static str },
    #[error("unsupported length form 0x{first:02X} for {what}")]
    UnsupportedLengthForm { what: &'static str, first: u8 },
    #[error("invalid {what}: {reason}")]
    Invalid {
        what: &'static str,
        reason: &'static str,
    },
    #[error("{what} nested deeper than {limit} levels")]
    TooDeep { what: &'static str, limit: usize },
}

impl DecodeError {
    pub fn new(offset: usize, kind: DecodeErrorKind) -> Self {
        DecodeError { offset, kind }
    }

    pub fn invalid(offset: usize, what: &'static str, reason: &'static str) -> Self {
        DecodeError::new(offset, DecodeErrorKind::Invalid { what, reason })
    }
}

pub type DecodeResult<T> = Result<T, DecodeError>;
