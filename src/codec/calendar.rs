//! Proleptic Gregorian calendar arithmetic (Howard Hinnant's days-from-civil algorithms),
//! shared by every place that turns GBCS times (seconds since 2000-01-01, DLMS date-times,
//! GeneralizedTime) into dates and back.

/// Days from 1970-01-01 to 2000-01-01, the GBZ/UTCTime epoch.
pub const DAYS_1970_TO_2000: i64 = 10_957;

/// (year, month 1–12, day 1–31) of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Days since 1970-01-01 of (year, month 1–12, day).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// ISO weekday (Monday 1 … Sunday 7) of a day count since 1970-01-01 (a Thursday).
pub fn weekday(days: i64) -> u8 {
    ((days + 3).rem_euclid(7) + 1) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(DAYS_1970_TO_2000), (2000, 1, 1));
        // 2015-01-01, the RTDS "now", was a Thursday.
        let d = days_from_civil(2015, 1, 1);
        assert_eq!(d, DAYS_1970_TO_2000 + 473_385_600 / 86_400);
        assert_eq!(weekday(d), 4);
        assert_eq!(weekday(DAYS_1970_TO_2000), 6, "2000-01-01 was a Saturday");
        for days in [-1000, 0, 59, 60, 11_016, 20_000, 2_932_896] {
            let (y, m, dd) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, dd), days);
        }
    }
}
