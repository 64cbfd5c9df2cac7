//! Device state beyond plain attributes: calendars, tariffs, logs, snapshots, sample sets,
//! event configuration and future-dated changes waiting for their time.

use std::collections::BTreeMap;

use crate::codec::calendar;

/// Times at or above this are the "cancel" conventions (0xFFFFFFFE / 0xFFFFFFFF, §8), never
/// real execution times.
pub const CANCEL_MIN: u32 = 0xFFFF_FFFE;

pub const SECONDS_PER_DAY: u32 = 86_400;

/// When a command with execution time `t` takes effect, relative to the device clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Now,
    Future(u32),
    Cancel,
}

pub fn when(t: u32, now: u32) -> When {
    if t >= CANCEL_MIN {
        When::Cancel
    } else if t > now {
        When::Future(t)
    } else {
        When::Now
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Calendar {
    pub provider_id: u32,
    pub issuer_event_id: u32,
    pub issuer_calendar_id: u32,
    pub start_time: u32,
    pub calendar_type: u8,
    pub time_reference: u8,
    pub name: Vec<u8>,
    /// Day id → schedule entries (minutes after midnight, price tier or friendly-credit flag).
    pub day_profiles: BTreeMap<u8, Vec<(u16, u8)>>,
    /// Week id → day id for Monday…Sunday.
    pub week_profiles: BTreeMap<u8, [u8; 7]>,
    /// ZCL date (year−1900 or 0xFF, month, day, weekday) → week id.
    pub seasons: Vec<([u8; 4], u8)>,
    pub special_days: Vec<([u8; 4], u8)>,
    pub special_days_start: u32,
    /// Published with a cancellation time: collects the rest of its message, then is dropped.
    pub cancelled: bool,
}

pub const CALENDAR_TOU: u8 = 0x00;
pub const CALENDAR_FRIENDLY_CREDIT: u8 = 0x03;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tariff {
    pub provider_id: u32,
    pub issuer_event_id: u32,
    pub issuer_tariff_id: u32,
    pub start_time: u32,
    /// Tariff type / charging scheme: 0x00 TOU, 0x10 block.
    pub tariff_type: u8,
    pub label: Vec<u8>,
    pub tiers_in_use: u8,
    pub thresholds_in_use: u8,
    pub unit_of_measure: u8,
    pub currency: u16,
    pub trailing_digit: u8,
    pub standing_charge: u32,
    pub tier_block_mode: u8,
    pub threshold_multiplier: u32,
    pub threshold_divisor: u32,
    /// Sub-payload control of the price matrix: 0 = block prices (ids 0–3), 1 = TOU (ids 1–4).
    pub price_control: u8,
    pub prices: BTreeMap<u8, u32>,
    pub thresholds: Vec<u64>,
    pub cancelled: bool,
}

impl Tariff {
    pub fn is_block(&self) -> bool {
        self.tariff_type & 0xF0 == 0x10
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub provider_id: u32,
    pub issuer_event_id: u32,
    pub start_time: u32,
    pub duration: u32,
    pub control: u8,
    pub duration_type: u8,
    pub tariff_type: u8,
    pub resolution: u8,
}

/// One snapshot: the metering and prepayment registers captured together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    pub time: u32,
    pub cause: u32,
    pub summation: u64,
    pub tier_summation: [u64; 4],
    pub block_summation: [u64; 4],
    pub accumulated_debt: i32,
    pub debt_remaining: [u32; 3],
    pub emergency_credit_remaining: i32,
    pub credit_remaining: i32,
}

pub const CAUSE_GENERAL: u32 = 0x0000_0001;
pub const CAUSE_END_OF_BILLING_PERIOD: u32 = 0x0000_0002;
pub const CAUSE_TARIFF_CHANGE: u32 = 0x0000_0008;
pub const CAUSE_CHANGE_OF_TENANCY: u32 = 0x0000_1000;
pub const CAUSE_CHANGE_OF_SUPPLIER: u32 = 0x0000_2000;
pub const CAUSE_CHANGE_OF_MODE: u32 = 0x0000_4000;

/// A series of consumption samples: the half-hourly profile log (id 0), the daily log (id 1)
/// or a sampling session started by StartSampling (id ≥ 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleSet {
    pub id: u16,
    pub sample_type: u8,
    pub start: u32,
    pub interval: u32,
    /// A session stops after this many samples; a log keeps going.
    pub max_samples: Option<u32>,
    /// Logs answer the requested window only; sessions are read from their first sample at or
    /// after the earliest time asked for.
    pub is_log: bool,
    pub seed: u32,
}

impl SampleSet {
    /// Sample k's value: deterministic, so the same read gives the same data.
    pub fn value(&self, k: u32) -> u32 {
        let mut x = self.seed ^ k.wrapping_mul(0x9E37_79B9) ^ u32::from(self.id) << 24;
        x ^= x >> 16;
        x = x.wrapping_mul(0x7FEB_352D);
        x ^= x >> 15;
        // Half-hour gas consumption of a home: up to ~4 m³ in litres.
        x % 4000
    }

    /// Index range of the samples taken by `now`.
    pub fn taken(&self, now: u32) -> u32 {
        if now < self.start {
            return 0;
        }
        let n = (now - self.start) / self.interval + 1;
        self.max_samples.map_or(n, |m| n.min(m))
    }

    /// The interval as the response reports it: daily logs do not fit the u16 field.
    pub fn reported_interval(&self) -> u16 {
        u16::try_from(self.interval).unwrap_or(u16::MAX)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    pub log_id: u8,
    pub event_id: u16,
    pub time: u32,
    pub data: Vec<u8>,
}

pub const LOG_GENERAL: u8 = 3;
pub const LOG_SECURITY: u8 = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopUpRecord {
    pub code: Vec<u8>,
    pub amount: i32,
    pub time: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DebtCollection {
    pub time: u32,
    pub amount: u32,
    /// 0, 1, 2 = debt 1, 2, 3 (the DebtType enumeration of GetDebtRepaymentLog).
    pub debt_type: u8,
    pub outstanding: u32,
}

/// An attribute write waiting for a future execution time.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingWrite {
    pub due: u32,
    /// The command that asked for it (cancellation removes the writes of the same command).
    pub cluster: u16,
    pub command_id: u8,
    pub writes: Vec<(u16, u16, i64)>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DisplayedMessage {
    pub message_id: u32,
    pub control: u8,
    pub start_time: u32,
    pub duration_minutes: u16,
    pub text: Vec<u8>,
}

/// Supplier, tenancy and access settings from Device Management commands.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Administration {
    pub provider_id: u32,
    pub provider_name: Vec<u8>,
    pub provider_contact: Vec<u8>,
    pub tenancy_change_time: u32,
    pub tenancy_change_control: u32,
    pub supplier_change_time: u32,
    pub password_type: u8,
    pub password: Vec<u8>,
}

/// Civil date of a UTCTime (seconds since 2000-01-01): (year, month, day, weekday 1=Mon).
pub fn civil(t: u32) -> (u32, u8, u8, u8) {
    let days = i64::from(t / SECONDS_PER_DAY) + calendar::DAYS_1970_TO_2000;
    let (y, m, d) = calendar::civil_from_days(days);
    (y as u32, m as u8, d as u8, calendar::weekday(days))
}
