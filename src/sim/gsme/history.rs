//! Generated history for a device that has been in service, and the defaults every device
//! starts with. Values follow simple rules (daily snapshots at 09:00, weekly top-ups, …) so
//! reads over a time window give predictable, plausible answers; none are recorded data.

use std::collections::BTreeMap;

use crate::codec::utrn::{Utrn, ValueClass};

use super::attributes::{METERING, PREPAYMENT, PRICE};
use super::model::take_snapshot;
use super::state::{
    Calendar, DebtCollection, EventRecord, Period, SampleSet, Tariff, TopUpRecord,
    CALENDAR_FRIENDLY_CREDIT, CALENDAR_TOU, CAUSE_CHANGE_OF_SUPPLIER, CAUSE_END_OF_BILLING_PERIOD,
    CAUSE_GENERAL, CAUSE_TARIFF_CHANGE, LOG_GENERAL, LOG_SECURITY, SECONDS_PER_DAY,
};
use super::GasMeter;

const HOUR: u32 = 3_600;
const DAY: u32 = SECONDS_PER_DAY;
/// A profile log holds 13 months; the daily log more than that.
const LOG_DAYS: u32 = 396;
const HALF_HOUR: u32 = 1_800;

/// The GSME event set (GBCS event / alert codes in the 0x81xx group) with the configuration
/// bits a commissioned meter uses: bit 0–1 logging, bit 3 alert to WAN, bit 4 alert to HAN.
const EVENT_CONFIGURATION: &[(u16, u8)] = &[
    (0x810D, 0x18),
    (0x810E, 0x08),
    (0x8119, 0x18),
    (0x8145, 0x03),
    (0x8154, 0x03),
    (0x8155, 0x03),
    (0x8161, 0x03),
    (0x8162, 0x03),
    (0x8168, 0x10),
    (0x8183, 0x0B),
    (0x8184, 0x0B),
    (0x81A0, 0x0B),
    (0x81A1, 0x0B),
    (0x81A4, 0x0B),
    (0x81A5, 0x0B),
    (0x81A6, 0x0B),
    (0x81A7, 0x0B),
    (0x81A8, 0x0B),
    (0x81A9, 0x0B),
    (0x81AA, 0x1B),
    (0x81AB, 0x1B),
    (0x81AC, 0x0B),
    (0x81AD, 0x0B),
    (0x81AE, 0x0B),
    (0x81AF, 0x0B),
    (0x81B0, 0x0B),
    (0x81B1, 0x0B),
    (0x81B2, 0x0B),
    (0x81B3, 0x0B),
    (0x81B4, 0x0B),
    (0x81B5, 0x0B),
    (0x81B6, 0x0B),
    (0x81B9, 0x0B),
    (0x81BA, 0x0B),
    (0x81BC, 0x0B),
    (0x81BD, 0x0B),
    (0x81BE, 0x0B),
    (0x81BF, 0x0B),
    (0x81C0, 0x0B),
    (0x81C2, 0x0B),
    (0x81C3, 0x0B),
    (0x81C4, 0x1B),
    (0x81C5, 0x0B),
    (0x81C6, 0x03),
];

/// Security-log events a meter records in normal operation (GBCS 0x8Fxx security events).
const SECURITY_EVENTS: &[u16] = &[
    0x8F0C, 0x8F1C, 0x8F1E, 0x8F3E, 0x8F3F, 0x8F43, 0x8F47, 0x8F48, 0x8F49, 0x8F4A, 0x8F4B, 0x8F4C,
    0x8F4D, 0x8F4E, 0x8F4F, 0x8F51, 0x8F52, 0x8F53, 0x8F5B, 0x8F60, 0x8F63, 0x8F64, 0x8F70, 0x8F72,
    0x8F73, 0x8F74, 0x8F78, 0x8F82,
];

pub(super) fn default_event_configuration() -> BTreeMap<u16, u8> {
    EVENT_CONFIGURATION.iter().copied().collect()
}

/// The device's own logs begin at commissioning: the half-hourly profile log (sample id 0)
/// and the daily log (sample id 1), aligned to their interval.
pub(super) fn start_logs(m: &mut GasMeter, start: u32) {
    for (id, interval) in [(0u16, HALF_HOUR), (1, DAY)] {
        if m.sample_sets.iter().any(|s| s.id == id) {
            continue;
        }
        m.sample_sets.push(SampleSet {
            id,
            sample_type: 0,
            start: start - start % interval,
            interval,
            max_samples: None,
            is_log: true,
            seed: u32::from_be_bytes(m.device.as_bytes()[4..].try_into().unwrap_or([0; 4])),
        });
    }
}

/// Fills `m` as a prepayment meter in service for 13 months up to `now`.
pub(super) fn seed(m: &mut GasMeter, now: u32) {
    let start = now.saturating_sub(LOG_DAYS * DAY);
    m.commissioned_at = Some(start);
    m.clock = now;
    start_logs(m, start);
    seed_attributes(m);
    let tariff_change = now.saturating_sub(31 * DAY);
    seed_tariff_and_calendars(m, tariff_change);
    m.billing_periods.push(Period {
        provider_id: 0,
        issuer_event_id: tariff_change,
        start_time: tariff_change,
        duration: 1,
        control: 0,
        duration_type: 0x23,
        tariff_type: 0,
        resolution: 0,
    });

    // A sampling session started four hours ago: 6-minute samples, 41 at most.
    m.sample_sets.push(SampleSet {
        id: 2,
        sample_type: 0,
        start: now.saturating_sub(4 * HOUR),
        interval: 360,
        max_samples: Some(41),
        is_log: false,
        seed: 0x5EED,
    });

    seed_snapshots(m, now, tariff_change);
    seed_prepayment_history(m, now);
    seed_events(m, now);
}

fn seed_attributes(m: &mut GasMeter) {
    let a = &mut m.attributes;
    a.set(METERING, 0x0000, 12_345);
    for (i, v) in [1_000, 2_000, 3_000, 4_000].into_iter().enumerate() {
        a.set(METERING, 0x0100 + 2 * i as u16, v);
    }
    for block in 0..4u16 {
        a.set(METERING, 0x0700 + block, i64::from(block));
    }
    a.set(METERING, 0x0205, 2_900);
    a.set(METERING, 0x0A00, 3_500_000);
    a.set(METERING, 0x0B10, 200);
    a.set(METERING, 0x0B14, 10);
    a.set(METERING, 0x0B15, 3_600);
    a.set_bytes(METERING, 0x0307, b"1234567890");
    a.set(PRICE, 0x0302, 1_022_640);
    a.set(PRICE, 0x0303, 0x60);
    a.set(PRICE, 0x0304, 39_500);
    a.set(PRICE, 0x0306, 0x30);

    // Prepayment mode, credit £25.00, emergency credit £10.00 below £2.00.
    a.set(PREPAYMENT, 0x0000, 0x0C97);
    a.set(PREPAYMENT, 0x0001, 2_500_000);
    a.set(PREPAYMENT, 0x0006, 1_000_000);
    a.set(PREPAYMENT, 0x0010, 1_000_000);
    a.set(PREPAYMENT, 0x0011, 200_000);
    a.set(PREPAYMENT, 0x0021, 10_000_000);
    a.set(PREPAYMENT, 0x0022, 5_000_000);
    a.set(PREPAYMENT, 0x0031, 500_000);
    a.set(PREPAYMENT, 0x0040, -5_000_000);
    // Debt 1 and 2 recovered by time (daily), debt 3 by a share of each top-up.
    a.set(PREPAYMENT, 0x0211, 3_000_000);
    a.set(PREPAYMENT, 0x0216, 1);
    a.set(PREPAYMENT, 0x0217, 500_000);
    a.set(PREPAYMENT, 0x0221, 1_000_000);
    a.set(PREPAYMENT, 0x0226, 1);
    a.set(PREPAYMENT, 0x0227, 200_000);
    a.set(PREPAYMENT, 0x0231, 2_000_000);
    a.set(PREPAYMENT, 0x0232, 1);
    a.set(PREPAYMENT, 0x0239, 1_000);
}

fn seed_tariff_and_calendars(m: &mut GasMeter, start: u32) {
    m.tariffs.push(Tariff {
        issuer_event_id: start,
        issuer_tariff_id: 1,
        start_time: start,
        tariff_type: 0x00,
        tiers_in_use: 4,
        unit_of_measure: 0,
        currency: 826,
        trailing_digit: 0x50,
        standing_charge: 22_465,
        tier_block_mode: 0xFF,
        threshold_multiplier: 1,
        threshold_divisor: 1_000,
        price_control: 1,
        prices: [(1, 9_600), (2, 10_200), (3, 10_750), (4, 11_000)]
            .into_iter()
            .collect(),
        ..Tariff::default()
    });
    // Any year, month, day: ZCL dates with 0xFF wildcards.
    let date = |month: u8, day: u8| [0xFF, month, day, 0xFF];
    // TOU: tiers 1/2 weekday/weekend in winter, 3/4 in summer.
    m.calendars.push(Calendar {
        issuer_event_id: start,
        issuer_calendar_id: start,
        start_time: start,
        calendar_type: CALENDAR_TOU,
        day_profiles: (1..=4u8).map(|d| (d, vec![(0, d)])).collect(),
        week_profiles: [(1, [1, 1, 1, 1, 1, 2, 2]), (2, [3, 3, 3, 3, 3, 4, 4])]
            .into_iter()
            .collect(),
        seasons: vec![(date(10, 26), 1), (date(3, 29), 2)],
        special_days: vec![(date(12, 25), 2), (date(12, 26), 2), (date(1, 1), 2)],
        ..Calendar::default()
    });
    // Friendly credit: on overnight and in the evening, off in the day.
    let profile = |off: u16, on: u16| vec![(0, 1), (off * 60, 0), (on * 60, 1)];
    m.calendars.push(Calendar {
        issuer_event_id: start,
        issuer_calendar_id: start.wrapping_add(1),
        start_time: start,
        calendar_type: CALENDAR_FRIENDLY_CREDIT,
        day_profiles: [
            (1, profile(8, 18)),
            (2, profile(7, 17)),
            (3, profile(8, 14)),
            (4, profile(7, 13)),
        ]
        .into_iter()
        .collect(),
        week_profiles: [(1, [1, 1, 1, 1, 1, 3, 3]), (2, [2, 2, 2, 2, 2, 4, 4])]
            .into_iter()
            .collect(),
        seasons: vec![(date(3, 29), 2), (date(10, 26), 1)],
        special_days: vec![
            (date(12, 25), 3),
            (date(12, 26), 3),
            (date(1, 1), 3),
            (date(5, 4), 4),
        ],
        ..Calendar::default()
    });
    m.sync_price_attributes();
}

fn seed_snapshots(m: &mut GasMeter, now: u32, tariff_change: u32) {
    let at = |m: &mut GasMeter, t: u32, cause: u32, k: u32| {
        let clock = m.clock;
        m.clock = t;
        take_snapshot(m, cause);
        // Registers were lower in the past; vary them so snapshots differ.
        if let Some(s) = m.snapshots.last_mut() {
            s.summation = s.summation.saturating_sub(u64::from(k) * 40);
            s.credit_remaining -= (k as i32 % 7) * 10_000;
        }
        m.clock = clock;
    };
    // Daily snapshots at 09:00 for 60 days, monthly billing snapshots for a year.
    for k in (0..60).rev() {
        if let Some(t) = now.checked_sub(15 * HOUR + k * DAY) {
            at(m, t, CAUSE_GENERAL, k);
        }
    }
    for k in (0..12).rev() {
        if let Some(t) = now.checked_sub(k * 31 * DAY) {
            at(m, t, CAUSE_END_OF_BILLING_PERIOD, k);
        }
    }
    at(m, tariff_change, CAUSE_TARIFF_CHANGE, 1);
    at(m, now, CAUSE_CHANGE_OF_SUPPLIER, 0);
    m.snapshots.sort_by_key(|s| s.time);
}

fn seed_prepayment_history(m: &mut GasMeter, now: u32) {
    // Weekly £10 top-ups, the last three days ago.
    for k in (0..12u32).rev() {
        let Some(time) = now.checked_sub(3 * DAY + 7 * DAY * k) else {
            continue;
        };
        let counter = u64::from(k + 1) << 32;
        let utrn = Utrn::build(counter, ValueClass::Pence, 1_000, 0x1234_5678 ^ k);
        m.used_utrn_counters.insert(utrn.counter());
        m.top_ups.push(TopUpRecord {
            code: utrn.digits().to_vec(),
            amount: 1_000_000,
            time,
        });
    }
    // Debt 1 collected daily at midnight, debt 3 every third day at 19:00.
    for k in (0..60u32).rev() {
        if let Some(time) = now.checked_sub(k * DAY) {
            m.debt_collections.push(DebtCollection {
                time,
                amount: 5_000,
                debt_type: 0,
                outstanding: 3_000_000 + k * 5_000,
            });
        }
        if k % 3 == 0 {
            if let Some(time) = now.checked_sub(5 * HOUR + k * DAY) {
                m.debt_collections.push(DebtCollection {
                    time,
                    amount: 80_000 + (k % 5) * 30_000,
                    debt_type: 2,
                    outstanding: 0,
                });
            }
        }
    }
    m.debt_collections.sort_by_key(|d| d.time);
}

fn seed_events(m: &mut GasMeter, now: u32) {
    // 32 security events over the last day, a few general events before that.
    for k in 0..32u32 {
        if let Some(time) = now.checked_sub(DAY - k * 2_700) {
            m.events.push(EventRecord {
                log_id: LOG_SECURITY,
                event_id: SECURITY_EVENTS[k as usize % SECURITY_EVENTS.len()],
                time,
                data: Vec::new(),
            });
        }
    }
    for k in 2..12u32 {
        if let Some(time) = now.checked_sub(k * DAY + 10 * HOUR) {
            m.events.push(EventRecord {
                log_id: LOG_GENERAL,
                event_id: 0x8119,
                time,
                data: Vec::new(),
            });
        }
    }
    m.events.sort_by_key(|e| e.time);
}
