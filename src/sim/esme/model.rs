//! Get, set and action semantics over the object table.

use crate::codec::bytes::Bytes;
use crate::codec::ciphered::CipheredBlock;
use crate::codec::dlms::names::class;
use crate::codec::dlms::{
    Data, DataNotification, DlmsApdu, DlmsBody, ObisCode, RequestSpec, Selection,
};
use crate::codec::ids::MessageCode;
use crate::codec::payload::Payload;
use crate::codec::utrn::{Utrn, ValueClass};
use crate::sim::context::{AlertRequest, CommandContext};

use super::logs::{compact, synthetic_value, TIME_OBJECT};
use super::objects::{conforms, dt, linked_tables, obis, os, Attribute, Object};
use super::time::{date_time_with_weekday, parse_activation, parse_date_time, Activation};
use super::{Esme, PendingActivation};

/// Data-access-result / action-result codes the model gives (dlms.md §4; the codec's
/// [`crate::codec::enums::DataAccessResult`], whose numbering action results share for these).
pub mod result {
    use crate::codec::enums::DataAccessResult as R;
    pub const READ_WRITE_DENIED: u8 = R::ReadWriteDenied.to_code();
    pub const OBJECT_UNDEFINED: u8 = R::ObjectUndefined.to_code();
    pub const OBJECT_UNAVAILABLE: u8 = R::ObjectUnavailable.to_code();
    pub const TYPE_UNMATCHED: u8 = R::TypeUnmatched.to_code();
    /// A read whose answer would not fit in one GBCS message (there is no block transfer).
    pub const SCOPE_OF_ACCESS_VIOLATED: u8 = R::ScopeOfAccessViolated.to_code();
    pub const OTHER_REASON: u8 = R::OtherReason.to_code();
}

/// The data of a successful item, or the result code of a failed one.
pub type Outcome = Result<Data, u8>;

/// Message code and alert code of a future-dated execution outcome (DLMS), dlms.md §6.
pub const FUTURE_DATED_MESSAGE_CODE: MessageCode = MessageCode::FDEA_DLMS;
pub const FUTURE_DATED_SUCCESS_ALERT: u16 = 0x8F66;

const CLOCK: ObisCode = ObisCode::new(0, 0, 1, 0, 0, 255);
const DISCONNECTOR_SCRIPTS: ObisCode = ObisCode::new(0, 0, 10, 0, 106, 255);
const TARIFF_SCRIPTS: ObisCode = ObisCode::new(0, 0, 10, 0, 100, 255);
const DISCONNECT_CONTROL: ObisCode = ObisCode::new(0, 0, 96, 3, 10, 255);
const TOKEN_CREDIT: ObisCode = ObisCode::new(0, 0, 19, 10, 0, 255);

/// The attributes whose writing schedules a passive → active switch (dlms.md §6).
pub fn is_activation_time(class: u16, attr: i8) -> bool {
    matches!(
        (class, attr),
        (class::ACTIVITY_CALENDAR, 10)
            | (class::ACCOUNT, 13)
            | (class::CHARGE, 7)
            | (class::GBCS_EXTENDED_DATA, 6)
    )
}

fn zero_like(v: &Data) -> Data {
    match v {
        Data::DoubleLongUnsigned(_) => Data::DoubleLongUnsigned(0),
        Data::DoubleLong(_) => Data::DoubleLong(0),
        Data::LongUnsigned(_) => Data::LongUnsigned(0),
        Data::Long(_) => Data::Long(0),
        Data::Unsigned(_) => Data::Unsigned(0),
        Data::Integer(_) => Data::Integer(0),
        Data::Array(items) => Data::Array(items.iter().map(zero_like).collect()),
        Data::Structure(items) => Data::Structure(items.iter().map(zero_like).collect()),
        other => other.clone(),
    }
}

fn as_i32(d: &Data) -> Result<i32, u8> {
    match *d {
        Data::DoubleLong(v) => Ok(v),
        Data::Long(v) => Ok(v.into()),
        Data::Integer(v) => Ok(v.into()),
        _ => Err(result::TYPE_UNMATCHED),
    }
}

/// A range bound: a u32 time (the corpus form) or a 12-byte date-time; a date-time with an
/// unspecified year leaves the bound open.
fn bound(d: &Data, open: u32) -> Result<u32, u8> {
    match d {
        Data::DoubleLongUnsigned(v) => Ok(*v),
        Data::OctetString(b) if b.len() == 12 => Ok(parse_date_time(b.as_slice()).unwrap_or(open)),
        _ => Err(result::TYPE_UNMATCHED),
    }
}

impl Esme {
    fn object(&self, class: u16, logical_name: ObisCode) -> Result<&Object, u8> {
        self.objects
            .get(&(class, logical_name))
            .ok_or(result::OBJECT_UNDEFINED)
    }

    fn object_mut(&mut self, class: u16, logical_name: ObisCode) -> Result<&mut Object, u8> {
        self.objects
            .get_mut(&(class, logical_name))
            .ok_or(result::OBJECT_UNDEFINED)
    }

    fn attr_mut(&mut self, class: u16, name: ObisCode, attr: i8) -> Result<&mut Attribute, u8> {
        self.object_mut(class, name)?
            .attrs
            .get_mut(&attr)
            .ok_or(result::OBJECT_UNAVAILABLE)
    }

    fn stored(&self, class: u16, name: ObisCode, attr: i8) -> Option<&Data> {
        self.objects
            .get(&(class, name))
            .and_then(|o| o.attrs.get(&attr))
            .map(|a| &a.value)
    }

    /// The device clock: the simulator clock moved by any adjustment the meter was given.
    pub fn clock(&self, now: u32) -> u32 {
        let t = i64::from(now) + self.clock_offset;
        t.clamp(0, i64::from(u32::MAX)) as u32
    }

    fn capture_period(o: &Object) -> u32 {
        match o.attrs.get(&4).map(|a| &a.value) {
            Some(Data::DoubleLongUnsigned(p)) => *p,
            _ => 0,
        }
    }

    /// The current value of an attribute.
    pub(super) fn read(&self, now: u32, class: u16, name: ObisCode, attr: i8) -> Outcome {
        let o = self.object(class, name)?;
        let now = self.clock(now);
        match (class, attr) {
            (_, 1) => Ok(os(name.as_bytes())),
            (class::CLOCK, 2) => Ok(dt(now)),
            (class::DATA, 2) if name == TIME_OBJECT => Ok(Data::DoubleLongUnsigned(now)),
            (class::PROFILE_GENERIC, 2) => self.read_range(now, class, name, attr, 0, u32::MAX),
            (class::PROFILE_GENERIC, 7) => {
                let log = o.log.as_ref().ok_or(result::OBJECT_UNAVAILABLE)?;
                let n = log.all_entries(now, Self::capture_period(o)).len();
                Ok(Data::DoubleLongUnsigned(n as u32))
            }
            _ => o
                .attrs
                .get(&attr)
                .map(|a| a.value.clone())
                .ok_or(result::OBJECT_UNAVAILABLE),
        }
    }

    /// The buffer entries of a profile generic stamped within `[from, to]`.
    pub(super) fn read_range(
        &self,
        now: u32,
        class: u16,
        name: ObisCode,
        attr: i8,
        from: u32,
        to: u32,
    ) -> Outcome {
        let o = self.object(class, name)?;
        let log = match (&o.log, attr) {
            (Some(log), 2) => log,
            _ => return Err(result::OBJECT_UNAVAILABLE),
        };
        let rows = log
            .entries(from, to, self.clock(now), Self::capture_period(o))
            .into_iter()
            .map(|(_, row)| row)
            .collect();
        Ok(compact(log.element_type(), rows))
    }

    pub(super) fn get_with_selection(
        &self,
        now: u32,
        spec: &RequestSpec,
        sel: &Selection,
    ) -> Outcome {
        let o = self.object(spec.class_id, spec.obis)?;
        let log = match (&o.log, spec.id) {
            (Some(log), 2) => log,
            _ => return Err(result::OBJECT_UNAVAILABLE),
        };
        let clock = self.clock(now);
        match sel.selector {
            // Range: {restricting object, from, to, selected values}.
            1 => {
                let [restricting, from, to, selected] =
                    sel.parameters.items().ok_or(result::TYPE_UNMATCHED)?
                else {
                    return Err(result::TYPE_UNMATCHED);
                };
                match restricting.items() {
                    Some([Data::LongUnsigned(1), Data::OctetString(n), Data::Integer(2), _])
                        if n.as_slice() == TIME_OBJECT.as_bytes() => {}
                    Some([Data::LongUnsigned(8), Data::OctetString(n), Data::Integer(2), _])
                        if n.as_slice() == CLOCK.as_bytes() => {}
                    _ => return Err(result::OBJECT_UNAVAILABLE),
                }
                let rows = log.entries(
                    bound(from, 0)?,
                    bound(to, u32::MAX)?,
                    clock,
                    Self::capture_period(o),
                );
                let columns = select_columns(log, selected)?;
                Ok(project(log, rows.into_iter().map(|r| r.1), &columns))
            }
            // Entry: {from entry, to entry (0 = last), from value, to value (0 = last)}.
            2 => {
                let [Data::DoubleLongUnsigned(first), Data::DoubleLongUnsigned(last), Data::LongUnsigned(c0), Data::LongUnsigned(c1)] =
                    sel.parameters.items().ok_or(result::TYPE_UNMATCHED)?
                else {
                    return Err(result::TYPE_UNMATCHED);
                };
                let all = log.all_entries(clock, Self::capture_period(o));
                let first = (*first).max(1) as usize;
                let last = if *last == 0 {
                    all.len()
                } else {
                    (*last as usize).min(all.len())
                };
                let n = log.def.columns.len();
                let c0 = usize::from(*c0).max(1);
                let c1 = if *c1 == 0 { n } else { usize::from(*c1).min(n) };
                let columns: Vec<usize> = (c0 - 1..c1).collect();
                let rows: Vec<Data> = all
                    .into_iter()
                    .skip(first - 1)
                    .take((last + 1).saturating_sub(first))
                    .map(|r| r.1)
                    .collect();
                Ok(project(log, rows.into_iter(), &columns))
            }
            _ => Err(result::OBJECT_UNAVAILABLE),
        }
    }

    pub(super) fn write(
        &mut self,
        ctx: &CommandContext,
        spec: &RequestSpec,
        value: &Data,
        alerts: &mut Vec<AlertRequest>,
    ) -> Result<(), u8> {
        let (class, name, attr) = (spec.class_id, spec.obis, spec.id);
        self.object(class, name)?;
        match (class, attr) {
            (_, 1) | (class::PROFILE_GENERIC, 2) | (class::PROFILE_GENERIC, 7) => {
                return Err(result::READ_WRITE_DENIED)
            }
            (class::CLOCK, 2) => {
                let Data::OctetString(b) = value else {
                    return Err(result::TYPE_UNMATCHED);
                };
                let t = parse_date_time(b.as_slice()).ok_or(result::TYPE_UNMATCHED)?;
                self.clock_offset = i64::from(t) - i64::from(ctx.now);
                return Ok(());
            }
            _ => {}
        }
        let a = self.attr_mut(class, name, attr)?;
        if !a.templates.iter().any(|t| conforms(value, t)) {
            return Err(result::TYPE_UNMATCHED);
        }
        if is_activation_time(class, attr) {
            let Data::OctetString(b) = value else {
                return Err(result::TYPE_UNMATCHED);
            };
            let activation = parse_activation(b.as_slice()).ok_or(result::TYPE_UNMATCHED)?;
            a.value = value.clone();
            self.pending
                .retain(|p| (p.class_id, p.obis, p.attribute) != (class, name, attr));
            let now = self.clock(ctx.now);
            match activation {
                Activation::Never => {}
                Activation::Now => self.activate(class, name, attr),
                Activation::At(t) if t <= now => self.activate(class, name, attr),
                Activation::At(t) => {
                    self.pending.push(PendingActivation {
                        class_id: class,
                        obis: name,
                        attribute: attr,
                        due: t,
                        message_code: ctx.message_code,
                        counter: ctx.counter,
                    });
                    alerts.push(future_dated_alert(ctx, spec, b.as_slice(), t));
                }
            }
            return Ok(());
        }
        a.value = value.clone();
        Ok(())
    }

    /// Switches passive values to active for one activation-time attribute.
    pub(super) fn activate(&mut self, class: u16, name: ObisCode, attr: i8) {
        let copy = |esme: &mut Esme, from: (u16, ObisCode, i8), to: (u16, ObisCode, i8)| {
            if let Some(v) = esme.stored(from.0, from.1, from.2).cloned() {
                if let Ok(a) = esme.attr_mut(to.0, to.1, to.2) {
                    a.value = v;
                }
            }
        };
        match (class, attr) {
            (class::ACTIVITY_CALENDAR, 10) => {
                for (passive, active) in [(6, 2), (7, 3), (8, 4), (9, 5)] {
                    copy(self, (20, name, passive), (20, name, active));
                }
            }
            (class::CHARGE, 7) => copy(self, (class::CHARGE, name, 6), (class::CHARGE, name, 5)),
            // The passive account (B = 1) becomes the active one (B = 0).
            (class::ACCOUNT, 13) if name.0[1] == 1 => {
                let mut active = name;
                active.0[1] = 0;
                let ids: Vec<i8> = self
                    .objects
                    .get(&(111, name))
                    .map(|o| o.attrs.keys().copied().collect())
                    .unwrap_or_default();
                for id in ids.into_iter().filter(|id| !matches!(id, 13 | 14)) {
                    copy(self, (111, name, id), (111, active, id));
                }
            }
            (class::GBCS_EXTENDED_DATA, 6) => {
                copy(self, (9000, name, 4), (9000, name, 2));
                for (table_class, passive, active) in linked_tables(&name) {
                    copy(
                        self,
                        (*table_class, obis(passive), 2),
                        (*table_class, obis(active), 2),
                    );
                }
            }
            _ => {}
        }
    }

    pub(super) fn act(
        &mut self,
        ctx: &CommandContext,
        spec: &RequestSpec,
        param: &Data,
        encrypt: &mut dyn FnMut(&[u8]) -> CipheredBlock,
    ) -> Outcome {
        let (class, name, method) = (spec.class_id, spec.obis, spec.id);
        self.object(class, name)?;
        let now = self.clock(ctx.now);
        match (class, method) {
            // Register / extended register reset.
            (class::REGISTER, 1) | (class::EXTENDED_REGISTER, 1) => {
                let a = self.attr_mut(class, name, 2)?;
                a.value = zero_like(&a.value);
                if class == 4 {
                    self.attr_mut(4, name, 5)?.value = dt(now);
                }
                Ok(Data::Null)
            }
            (class::PROFILE_GENERIC, 1) => {
                self.log_mut(name)?.clear(now);
                Ok(Data::Null)
            }
            (class::PROFILE_GENERIC, 2) => {
                let columns = self.log_mut(name)?.def.columns.clone();
                let row = columns
                    .iter()
                    .map(|c| match self.read(ctx.now, c.class, c.obis, c.attr) {
                        Ok(v) if c.obis != TIME_OBJECT => v,
                        _ if c.obis == TIME_OBJECT => Data::DoubleLongUnsigned(now),
                        _ => synthetic_value(&c.ty, now),
                    })
                    .collect();
                self.log_mut(name)?.capture(now, row);
                Ok(Data::Null)
            }
            (class::CLOCK, 1..=6) => self.clock_method(ctx, method, param),
            (class::SCRIPT_TABLE, 1) => {
                let Data::LongUnsigned(script) = param else {
                    return Err(result::TYPE_UNMATCHED);
                };
                self.execute_script(name, *script, now);
                Ok(Data::Null)
            }
            (class::DATA_PROTECTION, 1) => self.get_protected_attributes(ctx, param, encrypt),
            (class::DISCONNECT_CONTROL, 1) => {
                self.set_supply(false, 0);
                Ok(Data::Null)
            }
            (class::DISCONNECT_CONTROL, 2) => {
                self.set_supply(true, 1);
                Ok(Data::Null)
            }
            (class::ZIGBEE_NETWORK_CONTROL, 1..=4) => self.han_method(name, method, param, now),
            (class::CREDIT, 1..=3) => {
                let a = self.attr_mut(class::CREDIT, name, 2)?;
                let current = as_i32(&a.value).unwrap_or(0);
                match method {
                    1 => a.value = Data::DoubleLong(current.saturating_add(as_i32(param)?)),
                    2 => a.value = Data::DoubleLong(as_i32(param)?),
                    _ => {
                        // invoke_credit: the credit becomes "in use".
                        self.attr_mut(class::CREDIT, name, 8)?.value = Data::Enum(3);
                    }
                }
                Ok(Data::Null)
            }
            (class::CHARGE, 1..=5) => self.charge_method(name, method, param, now),
            (class::TOKEN_GATEWAY, 1) => self.enter_token(name, param, now),
            _ => Err(result::OBJECT_UNAVAILABLE),
        }
    }

    /// Clock methods (IC 8), kept apart from `act` so the dispatcher stays one screen long;
    /// only called for methods 1..=6, the fallback arm mirrors `act`'s own.
    fn clock_method(&mut self, ctx: &CommandContext, method: i8, param: &Data) -> Outcome {
        match method {
            // adjust_to_quarter / measuring period / minute: the model keeps whole seconds.
            1..=3 => Ok(Data::Null),
            4 => {
                if let Some(preset) = self.clock_preset.take() {
                    self.clock_offset = i64::from(preset) - i64::from(ctx.now);
                }
                Ok(Data::Null)
            }
            // preset_adjusting_time {preset time, validity start, validity end}; an
            // unspecified preset time leaves the clock as it is.
            5 => match param.items() {
                Some([Data::OctetString(t), Data::OctetString(_), Data::OctetString(_)]) => {
                    self.clock_preset = parse_date_time(t.as_slice());
                    Ok(Data::Null)
                }
                _ => Err(result::TYPE_UNMATCHED),
            },
            6 => match param {
                Data::Long(shift) => {
                    self.clock_offset += i64::from(*shift);
                    Ok(Data::Null)
                }
                _ => Err(result::TYPE_UNMATCHED),
            },
            _ => Err(result::OBJECT_UNAVAILABLE),
        }
    }

    /// Charge methods (IC 113): update unit charge, activate passive unit charge, collect,
    /// update/set total amount remaining. Only called for methods 1..=5; the fallback arm
    /// mirrors `act`'s own.
    fn charge_method(&mut self, name: ObisCode, method: i8, param: &Data, now: u32) -> Outcome {
        match method {
            1 => {
                let a = self.attr_mut(113, name, 6)?;
                if !a.templates.iter().any(|t| conforms(param, t)) {
                    return Err(result::TYPE_UNMATCHED);
                }
                a.value = param.clone();
                Ok(Data::Null)
            }
            2 => {
                self.activate(113, name, 7);
                Ok(Data::Null)
            }
            3 => {
                self.attr_mut(113, name, 10)?.value = dt(now);
                Ok(Data::Null)
            }
            4 | 5 => {
                let v = as_i32(param)?;
                let a = self.attr_mut(113, name, 12)?;
                let current = as_i32(&a.value).unwrap_or(0);
                a.value = Data::DoubleLong(if method == 4 {
                    current.saturating_add(v)
                } else {
                    v
                });
                Ok(Data::Null)
            }
            _ => Err(result::OBJECT_UNAVAILABLE),
        }
    }

    fn log_mut(&mut self, name: ObisCode) -> Result<&mut super::logs::Log, u8> {
        self.object_mut(7, name)?
            .log
            .as_mut()
            .ok_or(result::OBJECT_UNAVAILABLE)
    }

    fn set_supply(&mut self, output: bool, state: u8) {
        if let Ok(a) = self.attr_mut(70, DISCONNECT_CONTROL, 2) {
            a.value = Data::Boolean(if output { 0xFF } else { 0 });
        }
        if let Ok(a) = self.attr_mut(70, DISCONNECT_CONTROL, 3) {
            a.value = Data::Enum(state);
        }
    }

    fn execute_script(&mut self, table: ObisCode, script: u16, now: u32) {
        self.executed_scripts.push((table, script, now));
        if self.executed_scripts.len() > 64 {
            self.executed_scripts.remove(0);
        }
        // Script ids of the corpus: ECS42 closes the load switch with 51, ECS44 arms it
        // with 54; 52 (open) is the model's completion of that numbering.
        match (table, script) {
            (DISCONNECTOR_SCRIPTS, 51) => self.set_supply(true, 1),
            (DISCONNECTOR_SCRIPTS, 52) => self.set_supply(false, 0),
            (DISCONNECTOR_SCRIPTS, 54) => self.set_supply(false, 2),
            // ECS05: reset the tariff block counter matrix.
            (TARIFF_SCRIPTS, 99) => {
                for n in 1..=4 {
                    if let Ok(a) = self.attr_mut(3, ObisCode::new(1, 0, 1, 8, n, 255), 2) {
                        a.value = zero_like(&a.value);
                    }
                }
            }
            _ => {}
        }
    }

    fn han_method(&mut self, name: ObisCode, method: i8, param: &Data, now: u32) -> Outcome {
        let devices = self.attr_mut(104, name, 4)?;
        let Data::Array(list) = &mut devices.value else {
            return Err(result::OTHER_REASON);
        };
        match method {
            1 | 2 => {
                // A device may be named with its install code as well ({EUI, code}).
                let eui = match param {
                    Data::OctetString(eui) => eui,
                    Data::Structure(f) if method == 1 => match f.first() {
                        Some(Data::OctetString(eui)) => eui,
                        _ => return Err(result::TYPE_UNMATCHED),
                    },
                    _ => return Err(result::TYPE_UNMATCHED),
                };
                let eui: [u8; 8] = eui
                    .as_slice()
                    .try_into()
                    .map_err(|_| result::TYPE_UNMATCHED)?;
                list.retain(|e| device_eui(e).as_deref() != Some(&eui[..]));
                if method == 1 {
                    // Any non-empty template gives the entry layout, so a log that
                    // starts empty can still grow.
                    let entry = devices
                        .templates
                        .iter()
                        .filter_map(|t| t.items())
                        .find_map(|t| t.first());
                    if let Some(Data::Structure(fields)) = entry {
                        let mut fields = fields.clone();
                        fields[0] = os(&eui);
                        if let Some(f) = fields.get_mut(8) {
                            *f = os(&date_time_with_weekday(now));
                        }
                        list.push(Data::Structure(fields));
                    }
                }
                Ok(Data::Null)
            }
            3 => {
                list.clear();
                Ok(Data::Null)
            }
            _ => Ok(device_log_backup(list, now)),
        }
    }

    /// UTRN entry (CS01a): a valid, unused token credits the meter. The token's MAC is the
    /// security pipeline's to check (the model holds no keys).
    fn enter_token(&mut self, name: ObisCode, param: &Data, now: u32) -> Outcome {
        let Data::OctetString(digits) = param else {
            return Err(result::TYPE_UNMATCHED);
        };
        let parsed = Utrn::parse(digits.as_slice()).ok();
        let fresh = parsed.is_some_and(|u| !self.used_tokens.contains(&u.counter()));
        let status = if fresh { 0 } else { 1 };
        self.attr_mut(115, name, 2)?.value = param.clone();
        self.attr_mut(115, name, 3)?.value = dt(now);
        self.attr_mut(115, name, 6)?.value = Data::Structure(vec![
            Data::Enum(status),
            Data::BitString(crate::codec::dlms::BitString {
                bits: 8,
                bytes: Bytes(vec![0]),
            }),
        ]);
        let Some(utrn) = parsed.filter(|_| fresh) else {
            return Err(result::OTHER_REASON);
        };
        self.used_tokens.push(utrn.counter());
        let pence = match utrn.value_class() {
            ValueClass::Pounds | ValueClass::Class3 => i32::from(utrn.value()) * 100,
            ValueClass::Pence | ValueClass::Class2 => i32::from(utrn.value()),
        };
        let credit = self.attr_mut(class::CREDIT, TOKEN_CREDIT, 2)?;
        let current = as_i32(&credit.value).unwrap_or(0);
        credit.value = Data::DoubleLong(current.saturating_add(pence));
        Ok(Data::Null)
    }
}

/// The EUI-64 of a device-log entry (its first field).
pub(crate) fn device_eui(entry: &Data) -> Option<Vec<u8>> {
    entry
        .items()
        .and_then(|f| f.first())
        .and_then(|d| d.as_octets())
        .map(<[u8]>::to_vec)
}

/// A device log as backup / CS14 alert data: {time, PAN id, [{device, link key}]}. Link
/// keys are derived from the EUI so a device's entry is stable across backups.
pub(crate) fn device_log_backup(list: &[Data], now: u32) -> Data {
    let entries = list
        .iter()
        .filter_map(device_eui)
        .map(|eui| {
            let key: Vec<u8> = (0..16u8)
                .map(|i| eui[usize::from(i) % eui.len().max(1)] ^ i.wrapping_mul(0x3B))
                .collect();
            Data::Structure(vec![os(&eui), os(&key)])
        })
        .collect();
    Data::Structure(vec![
        dt(now),
        os(&[0, 1, 2, 3, 4, 5, 6, 7]),
        Data::Array(entries),
    ])
}

/// Which capture columns a range selection asks for (all when the list is empty).
fn select_columns(log: &super::logs::Log, selected: &Data) -> Result<Vec<usize>, u8> {
    let Data::Array(wanted) = selected else {
        return Err(result::TYPE_UNMATCHED);
    };
    if wanted.is_empty() {
        return Ok((0..log.def.columns.len()).collect());
    }
    wanted
        .iter()
        .map(|w| {
            let Some([Data::LongUnsigned(class), Data::OctetString(n), Data::Integer(attr), _]) =
                w.items()
            else {
                return Err(result::TYPE_UNMATCHED);
            };
            log.def
                .columns
                .iter()
                .position(|c| {
                    c.class == *class
                        && c.obis.as_bytes()[..] == n.as_slice()[..]
                        && c.attr == *attr
                })
                .ok_or(result::OBJECT_UNAVAILABLE)
        })
        .collect()
}

fn project(log: &super::logs::Log, rows: impl Iterator<Item = Data>, columns: &[usize]) -> Data {
    let all =
        columns.len() == log.def.columns.len() && columns.iter().enumerate().all(|(i, c)| i == *c);
    if all {
        return compact(log.element_type(), rows.collect());
    }
    let element = crate::codec::dlms::TypeDesc::Structure(
        columns
            .iter()
            .map(|&c| log.def.columns[c].ty.clone())
            .collect(),
    );
    let rows = rows
        .map(|r| match r {
            Data::Structure(values) => Data::Structure(
                columns
                    .iter()
                    .filter_map(|&c| values.get(c).cloned())
                    .collect(),
            ),
            other => other,
        })
        .collect();
    compact(element, rows)
}

/// The 0x00CC alert announcing a future-dated activation: {alert code, activation time,
/// original message code ‖ originator counter ‖ class ‖ OBIS ‖ attribute}.
fn future_dated_alert(
    ctx: &CommandContext,
    spec: &RequestSpec,
    activation_time: &[u8],
    due: u32,
) -> AlertRequest {
    let mut descriptor = Vec::with_capacity(19);
    descriptor.extend_from_slice(&ctx.message_code.0.to_be_bytes());
    descriptor.extend_from_slice(&ctx.counter.to_be_bytes());
    descriptor.extend_from_slice(&spec.class_id.to_be_bytes());
    descriptor.extend_from_slice(spec.obis.as_bytes());
    descriptor.push(spec.id as u8);
    let body = Data::Structure(vec![
        Data::LongUnsigned(FUTURE_DATED_SUCCESS_ALERT),
        os(activation_time),
        os(&descriptor),
    ]);
    AlertRequest {
        message_code: FUTURE_DATED_MESSAGE_CODE,
        // The simulator core assigns the invoke id from the device's alert counter.
        payload: Payload::Dlms(DlmsApdu {
            invoke_id: 0,
            flags: 0x20,
            date_time: Bytes::default(),
            body: DlmsBody::DataNotification(DataNotification { body }),
        }),
        due: Some(due),
    }
}

/// Data bytes one response may carry: every GBCS length field, the content's included, is
/// at most 65535 bytes, and the frame and APDU headers need some room.
pub const MAX_RESPONSE_DATA: usize = 60_000;

fn length_size(n: usize) -> usize {
    match n {
        0..=127 => 1,
        128..=255 => 2,
        _ => 3,
    }
}

fn body_size(d: &Data) -> usize {
    match d {
        Data::Null | Data::DontCare => 0,
        Data::Array(v) | Data::Structure(v) => {
            length_size(v.len()) + v.iter().map(encoded_size).sum::<usize>()
        }
        Data::Boolean(_) | Data::Bcd(_) | Data::Unsigned(_) | Data::Enum(_) | Data::Integer(_) => 1,
        Data::Long(_) | Data::LongUnsigned(_) => 2,
        Data::DoubleLong(_) | Data::DoubleLongUnsigned(_) | Data::Float32(_) | Data::Time(_) => 4,
        Data::Long64(_) | Data::Long64Unsigned(_) | Data::Float64(_) => 8,
        Data::Date(_) => 5,
        Data::DateTime(_) => 12,
        Data::BitString(b) => length_size(b.bits) + b.bytes.len(),
        Data::OctetString(b) | Data::VisibleString(b) | Data::Utf8String(b) => {
            length_size(b.len()) + b.len()
        }
        Data::Ciphered(c) => length_size(c.block.encoded_len()) + c.block.encoded_len(),
        Data::CompactArray(ca) => {
            let contents = match &ca.contents {
                crate::codec::dlms::CompactContents::Values(v) => v.iter().map(untagged_size).sum(),
                crate::codec::dlms::CompactContents::Raw(r) => r.len(),
            };
            desc_size(&ca.element) + length_size(contents) + contents
        }
    }
}

fn untagged_size(d: &Data) -> usize {
    match d {
        Data::Array(v) | Data::Structure(v) => v.iter().map(untagged_size).sum(),
        _ => body_size(d),
    }
}

fn desc_size(t: &crate::codec::dlms::TypeDesc) -> usize {
    match t {
        crate::codec::dlms::TypeDesc::Simple(_) => 1,
        crate::codec::dlms::TypeDesc::Structure(c) => {
            1 + length_size(c.len()) + c.iter().map(desc_size).sum::<usize>()
        }
        crate::codec::dlms::TypeDesc::Array { element, .. } => 3 + desc_size(element),
    }
}

/// The A-XDR size of a value, computed without encoding it (the codec refuses to encode
/// lengths above 65535, so oversized answers must be caught first).
pub fn encoded_size(d: &Data) -> usize {
    1 + body_size(d)
}
