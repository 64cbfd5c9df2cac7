//! UTRN prepayment top-up tokens (primer asn1-and-utrn.md §4): 20 ASCII digits =
//! PPTD (19 digits) ‖ check digit, PPTD = PTUT + base, PTUT = 64 bits of counter, value
//! class, value and a 32-bit MAC. The MAC itself is computed in `crypto::utrn`.

use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

pub const UTRN_DIGITS: usize = 20;
/// PPTD = PTUT + this offset, which makes every token 20 digits starting with `739`.
pub const PPTD_BASE: u64 = 7_394_156_990_786_306_048;
/// The PTUT's top 7 bits are zero.
pub const PTUT_LIMIT: u64 = 1 << 57;
pub const MAX_VALUE: u16 = 0x1FFF;
/// Bits 41..32 of the UTRN counter are the only counter bits in the token.
pub const COUNTER_MASK: u64 = 0x3FF << 32;

/// What `value` counts. Only class 0 (pence) is confirmed by a device response in the
/// corpus; the others are the parser's or inferred from synthetic tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueClass {
    /// Class 0 ✔.
    Pence,
    /// Class 1 (the reference parser's generator; unit not independently confirmed).
    Pounds,
    /// Class 2: meaning unverified (synthetic tokens suggest pence).
    Class2,
    /// Class 3: meaning unverified (synthetic tokens suggest pounds).
    Class3,
}

impl ValueClass {
    pub fn from_bits(b: u8) -> ValueClass {
        match b & 3 {
            0 => ValueClass::Pence,
            1 => ValueClass::Pounds,
            2 => ValueClass::Class2,
            _ => ValueClass::Class3,
        }
    }

    pub fn bits(self) -> u8 {
        match self {
            ValueClass::Pence => 0,
            ValueClass::Pounds => 1,
            ValueClass::Class2 => 2,
            ValueClass::Class3 => 3,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum UtrnError {
    #[error("UTRN must be {UTRN_DIGITS} digits, got {len} characters")]
    WrongLength { len: usize },
    #[error("UTRN character {position} is 0x{byte:02X}, not a decimal digit")]
    NonDigit { position: usize, byte: u8 },
    #[error("UTRN check digit is {found}, expected {expected}")]
    BadCheckDigit { expected: u8, found: u8 },
    #[error("UTRN PPTD {pptd} is outside {PPTD_BASE}..{PPTD_BASE}+2^57")]
    PtutOutOfRange { pptd: u64 },
    #[error("UTRN value {value} exceeds {MAX_VALUE}")]
    ValueOutOfRange { value: u16 },
}

/// A decoded UTRN. Fields are derived from `ptut`; construct with [`Utrn::parse`] or
/// [`Utrn::build`] so they stay consistent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Utrn {
    ptut: u64,
}

impl Utrn {
    /// Parses the 20 ASCII digits as carried in CS01a / PCS01 / GCS15e.
    pub fn parse(digits: &[u8]) -> Result<Utrn, UtrnError> {
        if digits.len() != UTRN_DIGITS {
            return Err(UtrnError::WrongLength { len: digits.len() });
        }
        let mut d = [0u8; UTRN_DIGITS];
        for (i, &b) in digits.iter().enumerate() {
            if !b.is_ascii_digit() {
                return Err(UtrnError::NonDigit {
                    position: i,
                    byte: b,
                });
            }
            d[i] = b - b'0';
        }
        let expected = check_digit(&d[..19]);
        if expected != d[19] {
            return Err(UtrnError::BadCheckDigit {
                expected,
                found: d[19],
            });
        }
        // 19 digits are at most 9_999_999_999_999_999_999 < u64::MAX: no overflow.
        let pptd = d[..19].iter().fold(0u64, |acc, &x| acc * 10 + u64::from(x));
        let ptut = pptd
            .checked_sub(PPTD_BASE)
            .filter(|p| *p < PTUT_LIMIT)
            .ok_or(UtrnError::PtutOutOfRange { pptd })?;
        Ok(Utrn { ptut })
    }

    /// Builds a token. Only bits 41..32 of `counter` travel in it (the corpus counters have
    /// zero low 32 bits and zero bits 63..42).
    ///
    /// # Panics
    /// If `value` exceeds 8191 (13 bits); use [`Utrn::try_build`] for unchecked input.
    pub fn build(counter: u64, value_class: ValueClass, value: u16, mac: u32) -> Utrn {
        Utrn::try_build(counter, value_class, value, mac)
            .unwrap_or_else(|e| panic!("Utrn::build: {e}"))
    }

    pub fn try_build(
        counter: u64,
        value_class: ValueClass,
        value: u16,
        mac: u32,
    ) -> Result<Utrn, UtrnError> {
        if value > MAX_VALUE {
            return Err(UtrnError::ValueOutOfRange { value });
        }
        let high = high_word(counter, value_class, value);
        Ok(Utrn {
            ptut: (u64::from(high) << 32) | u64::from(mac),
        })
    }

    /// PTUT: the 64-bit token before the PPTD offset.
    pub fn ptut(&self) -> u64 {
        self.ptut
    }

    pub fn pptd(&self) -> u64 {
        self.ptut + PPTD_BASE
    }

    pub fn check_digit(&self) -> u8 {
        check_digit(&pptd_digits(self.pptd()))
    }

    /// Counter bits 41..32, as a 10-bit number.
    pub fn counter_bits(&self) -> u16 {
        ((self.ptut >> 47) & 0x3FF) as u16
    }

    /// The UTRN counter as the corpus tokens use it: bits 41..32 from the token, all other
    /// bits zero. How a device rebuilds bits 63..42 is unverified.
    pub fn counter(&self) -> u64 {
        u64::from(self.counter_bits()) << 32
    }

    pub fn value_class(&self) -> ValueClass {
        ValueClass::from_bits((self.ptut >> 45) as u8)
    }

    pub fn value(&self) -> u16 {
        ((self.ptut >> 32) & 0x1FFF) as u16
    }

    pub fn mac(&self) -> u32 {
        self.ptut as u32
    }

    /// H: PTUT bits 63..32, the last 4 bytes of the MAC's associated data.
    pub fn mac_input_high_word(&self) -> u32 {
        (self.ptut >> 32) as u32
    }

    /// The 20 ASCII digits.
    pub fn digits(&self) -> [u8; UTRN_DIGITS] {
        let pptd = pptd_digits(self.pptd());
        let mut out = [0u8; UTRN_DIGITS];
        for (o, d) in out.iter_mut().zip(pptd.iter()) {
            *o = b'0' + d;
        }
        out[19] = b'0' + check_digit(&pptd);
        out
    }
}

/// PTUT bits 63..32 for a counter, class and value.
pub fn high_word(counter: u64, value_class: ValueClass, value: u16) -> u32 {
    let counter_bits = ((counter & COUNTER_MASK) >> 32) as u32;
    (counter_bits << 15) | (u32::from(value_class.bits()) << 13) | u32::from(value & MAX_VALUE)
}

fn pptd_digits(mut pptd: u64) -> [u8; 19] {
    let mut d = [0u8; 19];
    for slot in d.iter_mut().rev() {
        *slot = (pptd % 10) as u8;
        pptd /= 10;
    }
    d
}

// Verhoeff tables (primer §4.3). The multiplication table D is the dihedral group D5; the
// permutation rows P and the start row 4 with the non-standard INV are GBCS's variant.
const D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INV: [u8; 10] = [1, 2, 6, 7, 5, 8, 3, 0, 9, 4];

/// The check digit over PPTD digits (values 0..=9), left to right.
pub fn check_digit(digits: &[u8]) -> u8 {
    let mut c = 0usize;
    let mut k = 4usize;
    for &d in digits {
        c = D[c][P[k][usize::from(d % 10)] as usize] as usize;
        k = (k + 1) % 8;
    }
    INV[c]
}

impl fmt::Display for Utrn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.digits();
        // Digits are ASCII by construction.
        f.write_str(std::str::from_utf8(&d).unwrap_or_default())
    }
}

impl FromStr for Utrn {
    type Err = UtrnError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Utrn::parse(s.as_bytes())
    }
}

impl Serialize for Utrn {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct View {
            digits: String,
            pptd: u64,
            check_digit: u8,
            ptut: String,
            counter_bits_41_32: u16,
            value_class: ValueClass,
            value: u16,
            mac: String,
        }
        View {
            digits: self.to_string(),
            pptd: self.pptd(),
            check_digit: self.check_digit(),
            ptut: format!("{:016X}", self.ptut),
            counter_bits_41_32: self.counter_bits(),
            value_class: self.value_class(),
            value: self.value(),
            mac: format!("{:08X}", self.mac()),
        }
        .serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_corpus_tokens() {
        // Primer §4.1 table.
        for (token, counter_bits, class, value, mac) in [
            (
                "73946144332040217315",
                3,
                ValueClass::Pounds,
                10,
                0x9CD0_29E3,
            ),
            (
                "73948959061972833313",
                5,
                ValueClass::Pounds,
                10,
                0x2697_2203,
            ),
            ("73941656880950804485", 0, ValueClass::Pence, 2025, 0),
            (
                "73942316567647575864",
                0,
                ValueClass::Class2,
                1000,
                0x871F_5652,
            ),
        ] {
            let u: Utrn = token.parse().unwrap();
            assert_eq!(u.counter_bits(), counter_bits, "{token}");
            assert_eq!(u.value_class(), class, "{token}");
            assert_eq!(u.value(), value, "{token}");
            assert_eq!(u.mac(), mac, "{token}");
            assert_eq!(u.to_string(), token);
            assert_eq!(
                Utrn::build(u.counter(), class, value, mac),
                u,
                "{token} rebuilt"
            );
        }
    }

    #[test]
    fn worked_check_fields() {
        // Primer §4.2: C = 3 << 32, class 1, value 10 → H = 0x0001A00A.
        let u = Utrn::build(0x0000_0003_0000_0000, ValueClass::Pounds, 10, 0x9CD0_29E3);
        assert_eq!(u.mac_input_high_word(), 0x0001_A00A);
        assert_eq!(u.ptut(), 0x0001_A00A_9CD0_29E3);
        assert_eq!(u.pptd(), 7_394_614_433_204_021_731);
        assert_eq!(u.check_digit(), 5);
        assert_eq!(u.to_string(), "73946144332040217315");
        assert_eq!(u.counter(), 0x0000_0003_0000_0000);
        assert_eq!(high_word(0x1_0000_0000, ValueClass::Pounds, 100), 0xA064);
        let j = serde_json::to_value(u).unwrap();
        assert_eq!(j["value_class"], "pounds");
        assert_eq!(j["mac"], "9CD029E3");
        assert_eq!(j["ptut"], "0001A00A9CD029E3");
    }

    #[test]
    fn reference_vectors_have_valid_check_digits() {
        for (token, counter, class, value) in [
            (
                "73943333457189043313",
                0x1_0000_0000u64,
                ValueClass::Pounds,
                100,
            ),
            (
                "73947252416745201637",
                0x4_0000_0000,
                ValueClass::Pence,
                1234,
            ),
        ] {
            let u: Utrn = token.parse().unwrap();
            assert_eq!(u.counter(), counter);
            assert_eq!(u.value_class(), class);
            assert_eq!(u.value(), value);
        }
    }

    #[test]
    fn errors() {
        assert_eq!(
            "7394614433204021731".parse::<Utrn>(),
            Err(UtrnError::WrongLength { len: 19 })
        );
        assert_eq!(
            "7394614433204021731X".parse::<Utrn>(),
            Err(UtrnError::NonDigit {
                position: 19,
                byte: b'X'
            })
        );
        assert_eq!(
            "73946144332040217316".parse::<Utrn>(),
            Err(UtrnError::BadCheckDigit {
                expected: 5,
                found: 6
            })
        );
        // A single-digit change anywhere is caught.
        let good = b"73946144332040217315";
        for i in 0..19 {
            for d in b'0'..=b'9' {
                if d == good[i] {
                    continue;
                }
                let mut t = *good;
                t[i] = d;
                assert!(
                    matches!(Utrn::parse(&t), Err(UtrnError::BadCheckDigit { .. })),
                    "{}",
                    String::from_utf8_lossy(&t)
                );
            }
        }
        // PPTD below the base, and above base + 2^57, with valid check digits.
        for pptd in [0u64, PPTD_BASE - 1, PPTD_BASE + PTUT_LIMIT] {
            let d = pptd_digits(pptd);
            let mut t: Vec<u8> = d.iter().map(|x| b'0' + x).collect();
            t.push(b'0' + check_digit(&d));
            assert_eq!(Utrn::parse(&t), Err(UtrnError::PtutOutOfRange { pptd }));
        }
        assert_eq!(
            Utrn::try_build(0, ValueClass::Pence, 8192, 0),
            Err(UtrnError::ValueOutOfRange { value: 8192 })
        );
    }

    #[test]
    fn extremes_round_trip() {
        for u in [
            Utrn::build(0, ValueClass::Pence, 0, 0),
            Utrn::build(u64::MAX, ValueClass::Class3, MAX_VALUE, u32::MAX),
        ] {
            assert_eq!(Utrn::parse(&u.digits()), Ok(u));
        }
        assert_eq!(
            Utrn::build(u64::MAX, ValueClass::Class3, MAX_VALUE, u32::MAX).ptut(),
            PTUT_LIMIT - 1
        );
    }
}
