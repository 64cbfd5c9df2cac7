//! The gas meter (GSME) and gas proxy function (GPF) device model: a pure, stateful ZCL model
//! that answers GBZ commands as a conformant SMETS2 device would (zigbee-gbz.md).
//!
//! State is held per cluster as typed attributes ([`attributes`]) plus the structures that
//! are not attributes ([`state`]: calendars, tariffs, logs, snapshots, sample sets, event
//! configuration, future-dated changes). Commands read and change that state
//! ([`model`]); answers are framed by [`wire`], which decodes every payload it writes with the
//! codec so responses have the codec's structure.
//!
//! The model never touches keys: components that must be encrypted are handed to the
//! caller's `encrypt` closure as plaintext ZCL payloads.

pub mod attributes;
mod history;
mod model;
pub mod state;
pub mod wire;

use crate::sim::state::DeviceFailure;
use std::collections::{BTreeMap, BTreeSet};

use crate::codec::ciphered::CipheredBlock;
use crate::codec::gbz::GbzPayload;
use crate::codec::ids::EntityId;

use super::context::{AlertRequest, CommandContext};

pub use attributes::{Attribute, Attributes};

/// Which gas device the model plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GasDevice {
    Gsme,
    Gpf,
}

impl GasDevice {
    /// The RTDS convention for the test devices: EUIs ending `A1` are the GSME, `A3` the GPF.
    /// Anything else is taken as a GSME.
    pub fn from_entity(id: EntityId) -> GasDevice {
        if id.as_bytes()[7] == 0xA3 {
            GasDevice::Gpf
        } else {
            GasDevice::Gsme
        }
    }
}

/// A gas device is one of the GBCS device types (defined in the codec).
impl From<GasDevice> for crate::codec::enums::DeviceType {
    fn from(d: GasDevice) -> Self {
        match d {
            GasDevice::Gsme => crate::codec::enums::DeviceType::Gsme,
            GasDevice::Gpf => crate::codec::enums::DeviceType::Gpf,
        }
    }
}

/// The model's answer to one GBZ command payload.
#[derive(Debug, Clone, PartialEq)]
pub struct GasReply {
    pub response: GbzPayload,
    /// Alerts the command triggers (future-dated execution outcomes), each with its due time.
    pub alerts: Vec<AlertRequest>,
}

/// A hardware fault to play on the next command payload: component `component` (0-based)
/// fails with 0xC0, or only attribute `attribute` of it when it is a Read Attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fault {
    pub component: usize,
    pub attribute: Option<u16>,
}

/// The device state of one GSME or GPF.
#[derive(Debug, Clone)]
pub struct GasMeter {
    pub device: EntityId,
    pub kind: GasDevice,
    pub attributes: Attributes,
    /// Set on the first command seen: the start of the device's own logs.
    pub commissioned_at: Option<u32>,
    /// The device clock as last seen in a command context.
    pub clock: u32,
    pub calendars: Vec<state::Calendar>,
    pub tariffs: Vec<state::Tariff>,
    pub billing_periods: Vec<state::Period>,
    pub block_periods: Vec<state::Period>,
    pub snapshots: Vec<state::Snapshot>,
    pub sample_sets: Vec<state::SampleSet>,
    pub events: Vec<state::EventRecord>,
    pub event_configuration: BTreeMap<u16, u8>,
    pub top_ups: Vec<state::TopUpRecord>,
    pub debt_collections: Vec<state::DebtCollection>,
    pub pending: Vec<state::PendingWrite>,
    pub message: Option<state::DisplayedMessage>,
    pub administration: state::Administration,
    pub used_utrn_counters: BTreeSet<u64>,
    pub emergency_credit_selected: bool,
    faults: Vec<Fault>,
    /// Attributes (cluster, id) that cannot be read during the next command payload.
    attribute_faults: Vec<(u16, u16)>,
    /// The next command payload finds no log, profile or snapshot entries (a tester's
    /// state: every Get command answers NOT_FOUND).
    pub(crate) no_records: bool,
}

impl GasMeter {
    /// A freshly commissioned device: default configuration, zero registers, empty logs, no
    /// tariff, calendar, snapshot or sampling session yet.
    pub fn new(device: EntityId, kind: GasDevice) -> Self {
        GasMeter {
            device,
            kind,
            attributes: Attributes::commissioned(device, kind),
            commissioned_at: None,
            clock: 0,
            calendars: Vec::new(),
            tariffs: Vec::new(),
            billing_periods: Vec::new(),
            block_periods: Vec::new(),
            snapshots: Vec::new(),
            sample_sets: Vec::new(),
            events: Vec::new(),
            event_configuration: history::default_event_configuration(),
            top_ups: Vec::new(),
            debt_collections: Vec::new(),
            pending: Vec::new(),
            message: None,
            administration: state::Administration::default(),
            used_utrn_counters: BTreeSet::new(),
            emergency_credit_selected: false,
            faults: Vec::new(),
            attribute_faults: Vec::new(),
            no_records: false,
        }
    }

    /// A device that has been in service for a year up to `now`: a prepayment meter with a
    /// TOU tariff and calendar, a friendly-credit calendar, consumption and debt history,
    /// top-ups, snapshots, security events and a running sampling session. Its contents are
    /// generated (see `history`), not recorded.
    pub fn in_service(device: EntityId, kind: GasDevice, now: u32) -> Self {
        let mut m = GasMeter::new(device, kind);
        history::seed(&mut m, now);
        m
    }

    /// Answers a GBZ command payload. `encrypt` turns the plaintext ZCL command payload of a
    /// component that must be encrypted into its ciphered block.
    pub fn handle(
        &mut self,
        ctx: &CommandContext,
        request: &GbzPayload,
        encrypt: &mut dyn FnMut(&[u8]) -> CipheredBlock,
    ) -> GasReply {
        self.advance(ctx.now);
        let mut faults = std::mem::take(&mut self.faults);
        // An unreadable attribute fails the first Read Attributes of the payload that asks
        // for it.
        for (cluster, attribute) in std::mem::take(&mut self.attribute_faults) {
            let reading = request.components.iter().position(|c| {
                c.cluster.0 == cluster
                    && matches!(c.payload(), Some(crate::codec::gbz::ZclPayload::ReadAttributes { attributes })
                        if attributes.iter().any(|a| a.id == attribute))
            });
            if let Some(component) = reading {
                faults.push(Fault {
                    component,
                    attribute: Some(attribute),
                });
            }
        }
        let mut alerts = Vec::new();
        let answers = model::answer_payload(self, ctx, request, &faults, &mut alerts);
        self.end_of_message();
        self.no_records = false;
        GasReply {
            response: wire::assemble(answers, encrypt),
            alerts,
        }
    }

    /// Moves the device clock to `now`, applying future-dated changes whose time has come.
    pub fn advance(&mut self, now: u32) {
        if self.commissioned_at.is_none() {
            self.commissioned_at = Some(now);
            history::start_logs(self, now);
        }
        self.clock = self.clock.max(now);
        let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.pending)
            .into_iter()
            .partition(|p| p.due <= now);
        self.pending = later;
        for p in due {
            for (cluster, id, v) in p.writes {
                self.attributes.set(cluster, id, v);
            }
        }
        self.sync_price_attributes();
    }

    /// Makes component `fault.component` of the next command payload fail (fault injection for
    /// error scenarios; a healthy device never fails on its own).
    pub fn inject_fault(&mut self, fault: Fault) {
        self.faults.push(fault);
    }

    /// Puts the device into a failing state for its next command payload (see
    /// [`DeviceFailure`]); `false` for a state of another wire family.
    pub fn fail_next(&mut self, failure: &DeviceFailure) -> bool {
        match failure {
            DeviceFailure::ZclCommandFault { component } => self.inject_fault(Fault {
                component: *component,
                attribute: None,
            }),
            DeviceFailure::ZclAttributeFault { cluster, attribute } => {
                self.attribute_faults.push((*cluster, *attribute))
            }
            DeviceFailure::ZclNoRecords => self.no_records = true,
            _ => return false,
        }
        true
    }

    /// The value of a numeric attribute (0 if unsupported).
    pub fn attribute(&self, cluster: u16, id: u16) -> i64 {
        self.attributes.int(cluster, id)
    }

    fn end_of_message(&mut self) {
        self.calendars.retain(|c| !c.cancelled);
        self.tariffs.retain(|t| !t.cancelled);
        self.sync_price_attributes();
    }

    /// The calendar of `calendar_type` in force at the device clock.
    pub fn active_calendar(&self, calendar_type: u8) -> Option<&state::Calendar> {
        self.calendars
            .iter()
            .filter(|c| c.calendar_type == calendar_type && c.start_time <= self.clock)
            .max_by_key(|c| c.start_time)
    }

    /// The tariff in force at the device clock.
    pub fn active_tariff(&self) -> Option<&state::Tariff> {
        self.tariffs
            .iter()
            .filter(|t| t.start_time <= self.clock)
            .max_by_key(|t| t.start_time)
    }

    /// Price attributes mirror the active tariff, so a future-dated tariff shows in reads
    /// only once its start time has passed.
    fn sync_price_attributes(&mut self) {
        use attributes::PRICE;
        let Some(t) = self.active_tariff().cloned() else {
            return;
        };
        let a = &mut self.attributes;
        a.set(PRICE, 0x0301, i64::from(t.standing_charge));
        a.set(PRICE, 0x0615, i64::from(t.unit_of_measure));
        a.set(PRICE, 0x0616, i64::from(t.currency));
        a.set(PRICE, 0x0617, i64::from(t.trailing_digit));
        a.set(PRICE, 0x0202, i64::from(t.threshold_multiplier));
        a.set(PRICE, 0x0203, i64::from(t.threshold_divisor));
        for (i, th) in t.thresholds.iter().take(3).enumerate() {
            a.set(PRICE, 0x0100 + i as u16, *th as i64);
        }
        for (&id, &price) in &t.prices {
            let attr = if t.price_control == 0 {
                // Block prices: tier in the high nibble (0 = no tier), block − 1 in the low.
                0x0400 + 0x10 * u16::from(id >> 4) + u16::from(id & 0x0F)
            } else {
                // TOU prices: ids 1–4 are tiers 1–4, block 1.
                0x0400 + 0x10 * u16::from(id)
            };
            a.set(PRICE, attr, i64::from(price));
        }
    }

    /// The TOU price tier in force at the device clock (1 when no calendar says otherwise).
    pub fn current_tier(&self) -> u8 {
        let Some(cal) = self.active_calendar(state::CALENDAR_TOU) else {
            return 1;
        };
        let (year, month, day, weekday) = state::civil(self.clock);
        let minutes = ((self.clock % state::SECONDS_PER_DAY) / 60) as u16;
        let date_matches = |d: &[u8; 4]| {
            (d[0] == 0xFF || u32::from(d[0]) + 1900 == year)
                && (d[1] == 0xFF || d[1] == month)
                && (d[2] == 0xFF || d[2] == day)
        };
        let day_id = cal
            .special_days
            .iter()
            .find(|(d, _)| date_matches(d))
            .map(|(_, id)| *id)
            .or_else(|| {
                let mut seasons = cal.seasons.clone();
                seasons.sort_by_key(|(d, _)| (d[1], d[2]));
                let week_id = seasons
                    .iter()
                    .rev()
                    .find(|(d, _)| (d[1], d[2]) <= (month, day))
                    .or(seasons.last())
                    .map(|(_, w)| *w)?;
                cal.week_profiles
                    .get(&week_id)
                    .map(|w| w[usize::from(weekday - 1)])
            });
        day_id
            .and_then(|id| cal.day_profiles.get(&id))
            .and_then(|entries| {
                entries
                    .iter()
                    .filter(|(start, _)| *start <= minutes)
                    .max_by_key(|(start, _)| *start)
                    .map(|(_, tier)| *tier)
            })
            .filter(|t| *t > 0)
            .unwrap_or(1)
    }
}

#[cfg(test)]
mod tests;
