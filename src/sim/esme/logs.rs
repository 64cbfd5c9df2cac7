//! Profile generic (IC 7) buffers.
//!
//! A simulated meter has no real consumption, so each log is filled from a deterministic
//! synthetic history: an entry at every point of its cadence up to the clock, values derived
//! from the time. What a log *stores* is therefore a function of time, its definition and
//! the commands it has seen (a reset empties it up to that moment, a capture adds an entry),
//! which keeps memory flat however long the simulation runs.
//!
//! Cadences of event-style logs (no capture period) are the model's own choice: they are
//! set so the query windows the RTDS scripts use see as many entries as the reference device
//! recorded, since entry counts are part of a response's structure.

use crate::codec::dlms::names::tag;
use crate::codec::dlms::{CompactArray, CompactContents, Data, ObisCode, TypeDesc};

use super::time::month_start;

/// The time column of every log: IC 1 0-0:94.44.100.255 attribute 2, also the restricting
/// object of every range selection in the corpus.
pub const TIME_OBJECT: ObisCode = ObisCode::new(0, 0, 94, 44, 100, 255);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    /// Every `period` seconds, at times ≡ `phase` (mod period).
    Every { period: u32, phase: u32 },
    /// The log's capture period (attribute 4), aligned to the epoch.
    CapturePeriod,
    /// 00:00 on the first of each month (billing data).
    Monthly,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub class: u16,
    pub obis: ObisCode,
    pub attr: i8,
    pub ty: TypeDesc,
}

impl Column {
    pub fn time() -> Column {
        Column {
            class: 1,
            obis: TIME_OBJECT,
            attr: 2,
            ty: TypeDesc::Simple(tag::DOUBLE_LONG_UNSIGNED),
        }
    }

    /// The capture-object descriptor of attribute 3: {class, logical name, attribute, data index}.
    pub fn descriptor(&self) -> Data {
        Data::Structure(vec![
            Data::LongUnsigned(self.class),
            Data::OctetString(self.obis.as_bytes().to_vec().into()),
            Data::Integer(self.attr),
            Data::LongUnsigned(0),
        ])
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogDef {
    pub columns: Vec<Column>,
    pub cadence: Cadence,
    /// An entry stamped `t` exists from `t + delay` on (logs that record a closed period).
    pub delay: u32,
    /// Buffer depth (attribute 8): older entries have been overwritten.
    pub capacity: u32,
}

/// One log's state on top of its definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Log {
    pub def: LogDef,
    /// Entries stamped at or before this time were erased by a reset.
    pub cleared_through: Option<u32>,
    /// Entries added by the capture method, oldest first.
    pub captured: Vec<(u32, Vec<Data>)>,
}

/// Upper bound on synthetic entries produced for one read, whatever the capacity says.
const MAX_ENTRIES: usize = 20_000;

impl Log {
    pub fn new(def: LogDef) -> Log {
        Log {
            def,
            cleared_through: None,
            captured: Vec::new(),
        }
    }

    pub fn element_type(&self) -> TypeDesc {
        TypeDesc::Structure(self.def.columns.iter().map(|c| c.ty.clone()).collect())
    }

    fn synthetic_times(&self, from: u32, to: u32, now: u32, capture_period: u32) -> Vec<u32> {
        let Some(last) = now.checked_sub(self.def.delay) else {
            return Vec::new();
        };
        let to = to.min(last);
        let mut times = Vec::new();
        let cap = (self.def.capacity as usize).min(MAX_ENTRIES);
        match self.def.cadence {
            Cadence::Every { .. } | Cadence::CapturePeriod => {
                let (period, phase) = match self.def.cadence {
                    Cadence::Every { period, phase } => (period, phase),
                    _ => (capture_period, 0),
                };
                if period == 0 || to < phase {
                    return times;
                }
                let newest = phase + (to - phase) / period * period;
                let oldest_kept = newest.saturating_sub(period.saturating_mul(cap as u32 - 1));
                let start = from.max(oldest_kept).max(phase);
                let mut t = phase + (start - phase).div_ceil(period) * period;
                while t <= to && times.len() < cap {
                    times.push(t);
                    match t.checked_add(period) {
                        Some(n) => t = n,
                        None => break,
                    }
                }
            }
            Cadence::Monthly => {
                let mut t = month_start(to);
                while t >= from && times.len() < cap {
                    times.push(t);
                    if t == 0 {
                        break;
                    }
                    t = month_start(t - 1);
                }
                times.reverse();
            }
        }
        times
    }

    /// The buffer entries stamped within `[from, to]`, oldest first.
    pub fn entries(&self, from: u32, to: u32, now: u32, capture_period: u32) -> Vec<(u32, Data)> {
        if from > to {
            return Vec::new();
        }
        let mut rows: Vec<(u32, Data)> = self
            .synthetic_times(from, to, now, capture_period)
            .into_iter()
            .map(|t| (t, self.synthetic_row(t)))
            .collect();
        rows.extend(
            self.captured
                .iter()
                .filter(|(t, _)| (from..=to).contains(t) && *t <= now)
                .map(|(t, v)| (*t, Data::Structure(v.clone()))),
        );
        if let Some(c) = self.cleared_through {
            rows.retain(|(t, _)| *t > c);
        }
        rows.sort_by_key(|(t, _)| *t);
        let cap = (self.def.capacity as usize).min(MAX_ENTRIES);
        if rows.len() > cap {
            rows.drain(..rows.len() - cap);
        }
        rows
    }

    /// Every entry the buffer holds at `now`.
    pub fn all_entries(&self, now: u32, capture_period: u32) -> Vec<(u32, Data)> {
        self.entries(0, u32::MAX, now, capture_period)
    }

    fn synthetic_row(&self, t: u32) -> Data {
        let values = self
            .def
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == 0 && c.obis == TIME_OBJECT {
                    Data::DoubleLongUnsigned(t)
                } else {
                    synthetic_value(&c.ty, mix(t, i as u32))
                }
            })
            .collect();
        Data::Structure(values)
    }

    /// A row captured now from the given values (one per column).
    pub fn capture(&mut self, t: u32, values: Vec<Data>) {
        self.captured.push((t, values));
        let cap = (self.def.capacity as usize).min(MAX_ENTRIES);
        if self.captured.len() > cap {
            self.captured.remove(0);
        }
    }

    pub fn clear(&mut self, now: u32) {
        self.cleared_through = Some(now);
        self.captured.clear();
    }
}

/// The response form of a set of rows: a compact array of the log's entry type (the form
/// every corpus buffer read uses), empty when no entry falls in range.
pub fn compact(element: TypeDesc, rows: Vec<Data>) -> Data {
    Data::CompactArray(CompactArray {
        element,
        contents: CompactContents::Values(rows),
    })
}

fn mix(t: u32, column: u32) -> u32 {
    let mut x = t ^ column.wrapping_mul(0x9E37_79B9);
    x ^= x >> 16;
    x = x.wrapping_mul(0x7FEB_352D);
    x ^= x >> 15;
    x = x.wrapping_mul(0x846C_A68B);
    x ^ (x >> 16)
}

/// A plausible value of a type: small readings, so sums and deltas stay readable.
pub fn synthetic_value(ty: &TypeDesc, seed: u32) -> Data {
    match ty {
        TypeDesc::Structure(children) => Data::Structure(
            children
                .iter()
                .enumerate()
                .map(|(i, c)| synthetic_value(c, mix(seed, i as u32 + 1)))
                .collect(),
        ),
        TypeDesc::Array { count, element } => Data::Array(
            (0..u32::from(*count))
                .map(|i| synthetic_value(element, mix(seed, i + 1)))
                .collect(),
        ),
        TypeDesc::Simple(t) => match *t {
            tag::DOUBLE_LONG_UNSIGNED => Data::DoubleLongUnsigned(seed % 256),
            tag::DOUBLE_LONG => Data::DoubleLong((seed % 256) as i32),
            tag::LONG_UNSIGNED => Data::LongUnsigned(0x8F00 | (seed % 0x80) as u16),
            tag::LONG => Data::Long((seed % 256) as i16),
            tag::UNSIGNED => Data::Unsigned((seed % 256) as u8),
            tag::INTEGER => Data::Integer((seed % 100) as i8),
            tag::ENUM => Data::Enum((seed % 2) as u8),
            tag::BOOLEAN => Data::Boolean(if seed.is_multiple_of(2) { 0 } else { 0xFF }),
            tag::OCTET_STRING => Data::OctetString(Vec::new().into()),
            tag::VISIBLE_STRING => Data::VisibleString(Vec::new().into()),
            _ => Data::Null,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u32col() -> Column {
        Column {
            class: 3,
            obis: ObisCode::new(1, 0, 1, 8, 0, 255),
            attr: 2,
            ty: TypeDesc::Simple(tag::DOUBLE_LONG_UNSIGNED),
        }
    }

    fn log(cadence: Cadence, delay: u32, capacity: u32) -> Log {
        Log::new(LogDef {
            columns: vec![Column::time(), u32col()],
            cadence,
            delay,
            capacity,
        })
    }

    const NOW: u32 = 473_385_600; // 2015-01-01

    #[test]
    fn periodic_ranges_are_inclusive() {
        let half_hourly = log(
            Cadence::Every {
                period: 1800,
                phase: 0,
            },
            0,
            20_000,
        );
        assert_eq!(half_hourly.entries(NOW - 86_400, NOW, NOW, 0).len(), 49);
        assert!(half_hourly
            .entries(NOW + 1, NOW + 10_000, NOW, 0)
            .is_empty());
        // A closed-period log does not yet hold today's entry.
        let daily = log(
            Cadence::Every {
                period: 86_400,
                phase: 0,
            },
            86_400,
            731,
        );
        let rows = daily.entries(NOW - 31 * 86_400 - 3600, NOW, NOW, 0);
        assert_eq!(rows.len(), 31);
        assert_eq!(rows.last().unwrap().0, NOW - 86_400);
    }

    #[test]
    fn monthly_capacity_reset_and_capture() {
        let mut billing = log(Cadence::Monthly, 0, 12);
        let rows = billing.entries(NOW - 91 * 86_400, NOW + 100 * 86_400, NOW, 0);
        let times: Vec<u32> = rows.iter().map(|r| r.0).collect();
        assert_eq!(times, vec![468_115_200, 470_707_200, 473_385_600]);
        assert_eq!(billing.all_entries(NOW, 0).len(), 12);
        billing.clear(NOW);
        assert!(billing.all_entries(NOW + 10, 0).is_empty());
        billing.capture(
            NOW + 5,
            vec![
                Data::DoubleLongUnsigned(NOW + 5),
                Data::DoubleLongUnsigned(1),
            ],
        );
        assert_eq!(billing.all_entries(NOW + 10, 0).len(), 1);
    }

    #[test]
    fn capture_period_drives_cadence() {
        let profile = log(Cadence::CapturePeriod, 0, 1440);
        assert_eq!(profile.entries(NOW - 172_860, NOW, NOW, 3600).len(), 49);
        assert!(profile.entries(NOW - 172_860, NOW, NOW, 0).is_empty());
    }
}
