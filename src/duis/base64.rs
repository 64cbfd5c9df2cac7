//! Base64 as `xs:base64Binary` has it: the standard alphabet with padding, XML whitespace
//! skipped on reading, one line on writing.

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        out.push(B64[(n >> 18) as usize & 63] as char);
        out.push(B64[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            B64[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            B64[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

/// Why base64 text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Base64Error {
    #[error("invalid base64 character {0:?}")]
    Character(char),
    #[error("base64 text of {0} significant characters is not a multiple of 4")]
    Length(usize),
    #[error("misplaced base64 padding")]
    Padding,
}

/// Standard base64 with padding; XML whitespace (space, tab, CR, LF) anywhere is skipped, as
/// `xs:base64Binary` allows.
pub fn base64_decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    let mut symbols: Vec<u8> = Vec::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ' ' | '\t' | '\r' | '\n' => {}
            'A'..='Z' | 'a'..='z' | '0'..='9' | '+' | '/' | '=' => symbols.push(c as u8),
            other => return Err(Base64Error::Character(other)),
        }
    }
    if !symbols.len().is_multiple_of(4) {
        return Err(Base64Error::Length(symbols.len()));
    }
    let mut out = Vec::with_capacity(symbols.len() / 4 * 3);
    let quads = symbols.len() / 4;
    for (i, quad) in symbols.chunks(4).enumerate() {
        let pad = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || quad[..4 - pad].contains(&b'=') || (pad > 0 && i + 1 != quads) {
            return Err(Base64Error::Padding);
        }
        let mut n: u32 = 0;
        for &c in &quad[..4 - pad] {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                _ => 63,
            };
            n = n << 6 | v as u32;
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Ok(out)
}
