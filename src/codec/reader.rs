//! A bounds-checked cursor over untrusted bytes.
//!
//! Every read checks the remaining length first and fails with a [`DecodeError`] naming the
//! absolute offset and what was being read, so no decoder built on it can panic on short input
//! or allocate from a length it has not checked against the bytes actually present.

use super::error::{DecodeError, DecodeErrorKind, DecodeResult};

#[derive(Debug, Clone)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    /// Absolute offset of `data[0]` within the whole frame, for error messages.
    base: usize,
}

macro_rules! int_readers {
    ($($name:ident: $ty:ty, $n:expr, $conv:ident;)*) => {
        $(
            pub fn $name(&mut self, what: &'static str) -> DecodeResult<$ty> {
                let b = self.array::<$n>(what)?;
                Ok(<$ty>::$conv(b))
            }
        )*
    };
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader::with_base(data, 0)
    }

    /// A reader whose first byte sits at absolute offset `base` of the enclosing frame.
    pub fn with_base(data: &'a [u8], base: usize) -> Self {
        Reader { data, pos: 0, base }
    }

    /// Absolute offset of the next byte to be read.
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    pub fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// The byte `n` positions ahead of the cursor, if present.
    pub fn peek_at(&self, n: usize) -> Option<u8> {
        self.data.get(self.pos.checked_add(n)?).copied()
    }

    /// The unread bytes, without consuming them.
    pub fn peek_rest(&self) -> &'a [u8] {
        &self.data[self.pos..]
    }

    pub fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(self.offset(), kind)
    }

    pub fn invalid(&self, what: &'static str, reason: &'static str) -> DecodeError {
        DecodeError::invalid(self.offset(), what, reason)
    }

    pub fn bytes(&mut self, n: usize, what: &'static str) -> DecodeResult<&'a [u8]> {
        if n > self.remaining() {
            return Err(self.error(DecodeErrorKind::Truncated {
                expected: what,
                needed: n,
                available: self.remaining(),
            }));
        }
        let out = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    pub fn array<const N: usize>(&mut self, what: &'static str) -> DecodeResult<[u8; N]> {
        let b = self.bytes(N, what)?;
        let mut out = [0u8; N];
        out.copy_from_slice(b);
        Ok(out)
    }

    pub fn u8(&mut self, what: &'static str) -> DecodeResult<u8> {
        Ok(self.array::<1>(what)?[0])
    }

    pub fn i8(&mut self, what: &'static str) -> DecodeResult<i8> {
        Ok(self.u8(what)? as i8)
    }

    int_readers! {
        u16_be: u16, 2, from_be_bytes;
        u16_le: u16, 2, from_le_bytes;
        i16_be: i16, 2, from_be_bytes;
        i16_le: i16, 2, from_le_bytes;
        u32_be: u32, 4, from_be_bytes;
        u32_le: u32, 4, from_le_bytes;
        i32_be: i32, 4, from_be_bytes;
        i32_le: i32, 4, from_le_bytes;
        u64_be: u64, 8, from_be_bytes;
        i64_be: i64, 8, from_be_bytes;
        u64_le: u64, 8, from_le_bytes;
    }

    /// Unsigned little-endian integer of 3 to 8 bytes (ZCL uint24, uint40, uint48, ...).
    pub fn uint_le(&mut self, width: usize, what: &'static str) -> DecodeResult<u64> {
        debug_assert!((1..=8).contains(&width));
        let b = self.bytes(width, what)?;
        Ok(b.iter()
            .rev()
            .fold(0u64, |acc, &x| (acc << 8) | u64::from(x)))
    }

    /// Consumes one byte that must equal `value`.
    pub fn expect_u8(&mut self, value: u8, what: &'static str) -> DecodeResult<()> {
        let at = self.offset();
        let found = self.u8(what)?;
        if found != value {
            return Err(DecodeError::new(
                at,
                DecodeErrorKind::UnexpectedByte {
                    expected: what,
                    found,
                },
            ));
        }
        Ok(())
    }

    /// A reader over the next `n` bytes (keeping absolute offsets), consuming them here.
    pub fn sub(&mut self, n: usize, what: &'static str) -> DecodeResult<Reader<'a>> {
        let base = self.offset();
        let data = self.bytes(n, what)?;
        Ok(Reader::with_base(data, base))
    }

    /// Consumes and returns everything that is left.
    pub fn rest(&mut self) -> &'a [u8] {
        let out = &self.data[self.pos..];
        self.pos = self.data.len();
        out
    }

    /// Fails unless every byte has been consumed.
    pub fn expect_end(&self, after: &'static str) -> DecodeResult<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.error(DecodeErrorKind::TrailingBytes {
                after,
                count: self.remaining(),
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_report_absolute_offsets() {
        let data = [1, 2, 3, 4];
        let mut r = Reader::with_base(&data, 100);
        assert_eq!(r.u16_be("x").unwrap(), 0x0102);
        let err = r.u32_be("counter").unwrap_err();
        assert_eq!(err.offset, 102);
        assert!(err.to_string().contains("counter"), "{err}");
    }

    #[test]
    fn huge_length_is_an_error_not_an_allocation() {
        let mut r = Reader::new(&[0u8; 3]);
        assert!(r.bytes(usize::MAX, "blob").is_err());
        assert_eq!(r.remaining(), 3);
    }

    #[test]
    fn little_endian_widths() {
        let mut r = Reader::new(&[0x39, 0x30, 0, 0, 0, 0]);
        assert_eq!(r.uint_le(6, "u48").unwrap(), 12345);
    }
}
