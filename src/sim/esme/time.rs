//! DLMS date-times (12-byte octet strings) and the model's clock: seconds since
//! 2000-01-01T00:00:00Z, the epoch of the u32 times in profile buffers (dlms.md §3).

/// Days from 1970-01-01 to 2000-01-01.
const EPOCH_DAYS_FROM_1970: i64 = 10_957;
pub const DAY: u32 = 86_400;

/// What an activation-time attribute asks for (dlms.md §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// All-zero date and time: apply at once.
    Now,
    /// All-`FF` date and time: never (cancels a pending activation).
    Never,
    At(u32),
}

use crate::codec::calendar::{civil_from_days, days_from_civil};

/// (year, month, day, hour, minute, second) of a model time.
pub fn civil(secs: u32) -> (u16, u8, u8, u8, u8, u8) {
    let days = i64::from(secs / DAY) + EPOCH_DAYS_FROM_1970;
    let (y, m, d) = civil_from_days(days);
    let rem = secs % DAY;
    (
        y as u16,
        m as u8,
        d as u8,
        (rem / 3600) as u8,
        (rem / 60 % 60) as u8,
        (rem % 60) as u8,
    )
}

/// The model time of a calendar date and time; `None` outside the u32 range.
pub fn from_civil(y: u16, mo: u8, d: u8, h: u8, mi: u8, s: u8) -> Option<u32> {
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    let days = days_from_civil(i64::from(y), u32::from(mo), u32::from(d)) - EPOCH_DAYS_FROM_1970;
    let secs = days * i64::from(DAY) + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s);
    u32::try_from(secs).ok()
}

/// DLMS day of week: 1 = Monday … 7 = Sunday (2000-01-01 was a Saturday).
pub fn day_of_week(secs: u32) -> u8 {
    ((secs / DAY + 5) % 7 + 1) as u8
}

/// A DLMS date-time with the day of week, deviation and status left unspecified, as every
/// device time in the corpus is written.
pub fn date_time(secs: u32) -> [u8; 12] {
    let (y, mo, d, h, mi, s) = civil(secs);
    let [yh, yl] = y.to_be_bytes();
    [yh, yl, mo, d, 0xFF, h, mi, s, 0x00, 0x80, 0x00, 0xFF]
}

/// The same with the day of week filled in (the ZigBee network tables carry one).
pub fn date_time_with_weekday(secs: u32) -> [u8; 12] {
    let mut b = date_time(secs);
    b[4] = day_of_week(secs);
    b
}

pub const NEVER: [u8; 12] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0xFF,
];

/// Reads a 12-byte date-time as a model time. Wildcards, out-of-range fields and deviation
/// are not interpreted (every corpus time is UTC with deviation unspecified).
pub fn parse_date_time(b: &[u8]) -> Option<u32> {
    let b: &[u8; 12] = b.try_into().ok()?;
    let year = u16::from_be_bytes([b[0], b[1]]);
    let hundredths = b[8];
    if year == 0xFFFF || hundredths > 99 && hundredths != 0xFF {
        return None;
    }
    from_civil(year, b[2], b[3], b[5], b[6], b[7])
}

/// Classifies an activation-time value. Anything that is neither "now", "never" nor a
/// readable time is `None` (the set is refused).
pub fn parse_activation(b: &[u8]) -> Option<Activation> {
    if b.len() != 12 {
        return None;
    }
    if b[..9].iter().all(|&x| x == 0) {
        return Some(Activation::Now);
    }
    if b[..9].iter().all(|&x| x == 0xFF) {
        return Some(Activation::Never);
    }
    parse_date_time(b).map(Activation::At)
}

/// The first day of the month `secs` falls in, at 00:00.
pub fn month_start(secs: u32) -> u32 {
    let (y, m, _, _, _, _) = civil(secs);
    from_civil(y, m, 1, 0, 0, 0).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_epoch_dates() {
        // dlms.md §3: 473385600 = 2015-01-01.
        assert_eq!(from_civil(2015, 1, 1, 0, 0, 0), Some(473_385_600));
        assert_eq!(civil(473_385_600), (2015, 1, 1, 0, 0, 0));
        assert_eq!(
            date_time(473_385_600),
            [0x07, 0xDF, 1, 1, 0xFF, 0, 0, 0, 0, 0x80, 0, 0xFF]
        );
        // 2014-12-31 was a Wednesday.
        assert_eq!(day_of_week(473_299_200), 3);
        assert_eq!(month_start(473_385_599), 470_707_200);
    }

    #[test]
    fn activation_values() {
        let now = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0xFF];
        assert_eq!(parse_activation(&now), Some(Activation::Now));
        assert_eq!(parse_activation(&NEVER), Some(Activation::Never));
        let t = hex::decode("07EE010FFF090000008000FF").unwrap();
        assert_eq!(
            parse_activation(&t),
            Some(Activation::At(from_civil(2030, 1, 15, 9, 0, 0).unwrap()))
        );
        assert_eq!(parse_activation(&[1, 2, 3]), None);
        assert_eq!(parse_date_time(&[0xFF; 12]), None);
    }
}
