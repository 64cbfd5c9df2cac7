//! The ESME object table: every (class, OBIS) pair of dlms.md §10, the objects reached
//! indirectly (Data Protection object lists, the time object, active counterparts of
//! passive tables), and their values in a freshly commissioned meter.
//!
//! Values are built per interface class first (the class defaults below), then the
//! objects whose meaning gives them a particular type or content override attributes.
//! An attribute's default also serves as its type template: a set is accepted when the new
//! value has the same A-XDR type tree (see `conforms`).

use std::collections::BTreeMap;

use crate::codec::dlms::names::tag;
use crate::codec::dlms::{BitString, Data, ObisCode, TypeDesc};
use crate::codec::ids::EntityId;

use super::logs::{Cadence, Column, Log, LogDef};
use super::time::{date_time, date_time_with_weekday, DAY, NEVER};
use super::MeterVariant;

/// The model's notion of "commissioning": the default time stamps of captured values
/// (2014-12-31T00:00:00Z, the day before the RTDS scripts' clock).
pub const COMMISSIONED: u32 = 473_299_200;

#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub value: Data,
    /// Types a set may write: the default's, plus alternatives some objects accept.
    pub templates: Vec<Data>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    pub class: u16,
    pub obis: ObisCode,
    pub attrs: BTreeMap<i8, Attribute>,
    /// The buffer of a profile generic.
    pub log: Option<Log>,
}

pub type ObjectKey = (u16, ObisCode);

/// A device's objects, keyed by (class, logical name).
pub type ObjectTable = BTreeMap<ObjectKey, Object>;

// ---- value helpers ------------------------------------------------------------------------

pub fn obis(s: &str) -> ObisCode {
    s.parse()
        .unwrap_or_else(|_| panic!("object table: bad OBIS {s}"))
}

pub fn os(b: &[u8]) -> Data {
    Data::OctetString(b.to_vec().into())
}

pub fn os_obis(s: &str) -> Data {
    os(obis(s).as_bytes())
}

pub fn dt(secs: u32) -> Data {
    os(&date_time(secs))
}

pub fn never() -> Data {
    os(&NEVER)
}

pub fn u8d(v: u8) -> Data {
    Data::Unsigned(v)
}
pub fn u16d(v: u16) -> Data {
    Data::LongUnsigned(v)
}
pub fn u32d(v: u32) -> Data {
    Data::DoubleLongUnsigned(v)
}
pub fn i32d(v: i32) -> Data {
    Data::DoubleLong(v)
}
pub fn i8d(v: i8) -> Data {
    Data::Integer(v)
}
pub fn en(v: u8) -> Data {
    Data::Enum(v)
}
pub fn boolean(v: bool) -> Data {
    Data::Boolean(if v { 0xFF } else { 0 })
}
pub fn st(items: Vec<Data>) -> Data {
    Data::Structure(items)
}
pub fn arr(items: Vec<Data>) -> Data {
    Data::Array(items)
}
pub fn vs(s: &str) -> Data {
    Data::VisibleString(s.as_bytes().to_vec().into())
}
pub fn utf8(s: &str) -> Data {
    Data::Utf8String(s.as_bytes().to_vec().into())
}
pub fn bits(n: usize, bytes: &[u8]) -> Data {
    Data::BitString(BitString {
        bits: n,
        bytes: bytes.to_vec().into(),
    })
}
/// A scaler-unit structure (units: 27 W, 30 Wh, 32 varh, 254 other, 255 count).
fn su(scaler: i8, unit: u8) -> Data {
    st(vec![i8d(scaler), en(unit)])
}
/// A date (year, month, day, weekday); `FF` fields are wildcards.
fn date(year: u16, month: u8, day: u8) -> Data {
    let [h, l] = year.to_be_bytes();
    os(&[h, l, month, day, 0xFF])
}
/// A time of day (hour, minute, second, hundredths).
fn tod(hour: u8, minute: u8) -> Data {
    os(&[hour, minute, 0, 0])
}
fn u32s(n: usize, v: u32) -> Data {
    arr(vec![u32d(v); n])
}

pub fn simple(t: u8) -> TypeDesc {
    TypeDesc::Simple(t)
}
fn u32_array(count: u16) -> TypeDesc {
    TypeDesc::Array {
        count,
        element: Box::new(simple(tag::DOUBLE_LONG_UNSIGNED)),
    }
}

// ---- type conformance ---------------------------------------------------------------------

/// Whether `new` has the type tree of `template`: same tags, same structure sizes, array
/// elements like the template's first element (any array when the template is empty),
/// strings of any length. A null template accepts anything (type not known).
pub fn conforms(new: &Data, template: &Data) -> bool {
    match (template, new) {
        (Data::Null, _) => true,
        (Data::Structure(t), Data::Structure(n)) => {
            t.len() == n.len() && t.iter().zip(n).all(|(t, n)| conforms(n, t))
        }
        (Data::Array(t), Data::Array(n)) => match t.first() {
            None => true,
            Some(first) => n.iter().all(|e| conforms(e, first)),
        },
        (Data::OctetString(_) | Data::Ciphered(_), Data::OctetString(_)) => true,
        _ => template.tag() == new.tag() && !matches!(new, Data::Ciphered(_)),
    }
}

// ---- class defaults -----------------------------------------------------------------------

fn class_defaults(class: u16) -> Vec<(i8, Data)> {
    match class {
        1 => vec![(2, Data::Null)],
        3 => vec![(2, u32d(0)), (3, su(0, 30))],
        4 => vec![
            (2, u32d(0)),
            (3, su(0, 27)),
            (4, u8d(0)),
            (5, dt(COMMISSIONED)),
        ],
        // Clock time (2) is read from the simulator clock, not stored.
        8 => vec![
            (3, Data::Long(0)),
            (4, u8d(0)),
            (5, os(&[0xFF, 0xFF, 3, 0xFE, 7, 1, 0, 0, 0, 0x80, 0, 0xFF])),
            (6, os(&[0xFF, 0xFF, 10, 0xFE, 7, 2, 0, 0, 0, 0x80, 0, 0xFF])),
            (7, i8d(60)),
            (8, boolean(true)),
            (9, en(1)),
        ],
        9..=11 => vec![(2, arr(vec![]))],
        20 => calendar(),
        21 => vec![
            (2, arr(vec![u32d(u32::MAX)])),
            (3, st(vec![u16d(3), os_obis("1-0:1.8.0.255"), i8d(2)])),
            (4, arr(vec![])),
        ],
        22 => vec![
            (2, st(vec![os_obis("0-0:10.0.1.255"), u16d(1)])),
            (3, en(1)),
            (4, arr(vec![st(vec![tod(12, 0), date(0xFFFF, 0xFF, 1)])])),
        ],
        70 => vec![(2, boolean(true)), (3, en(1)), (4, en(4))],
        71 => vec![
            (2, st(vec![u16d(3), os_obis("1-0:1.7.0.255"), i8d(2)])),
            (3, u32d(0)),
            (4, u32d(0)),
            (5, u32d(0)),
            (6, u32d(30)),
            (7, u32d(30)),
            (8, st(vec![u16d(0), never(), u32d(0)])),
            (9, arr(vec![])),
            (10, boolean(false)),
            (
                11,
                st(vec![
                    st(vec![os_obis("0-0:10.0.106.255"), u16d(0)]),
                    st(vec![os_obis("0-0:10.0.106.255"), u16d(0)]),
                ]),
            ),
        ],
        104 => vec![(2, boolean(false)), (3, u16d(0)), (4, arr(vec![]))],
        111 => account_defaults(),
        112 => credit_defaults(),
        113 => charge_defaults(),
        115 => vec![
            (2, os(&[])),
            (3, never()),
            (4, arr(vec![])),
            (5, en(0)),
            (6, st(vec![en(0), bits(8, &[0x00])])),
        ],
        9000 => vec![(6, never())],
        _ => vec![],
    }
}

/// IC 111 Account attribute defaults, kept out of `class_defaults` because the
/// prepayment classes carry most attributes and would make that table too long to read.
fn account_defaults() -> Vec<(i8, Data)> {
    vec![
        (2, st(vec![en(1), en(1)])),
        (3, u8d(0)),
        (4, bits(8, &[0x80])),
        (5, i32d(0)),
        (6, i32d(0)),
        (7, i32d(0)),
        (8, i32d(0)),
        (9, arr(vec![os_obis("0-0:19.10.0.255")])),
        (10, arr(vec![os_obis("0-0:19.20.0.255")])),
        (
            11,
            arr(vec![st(vec![
                os_obis("0-0:19.20.0.255"),
                os_obis("0-0:19.10.0.255"),
                bits(3, &[0x80]),
            ])]),
        ),
        (
            12,
            arr(vec![st(vec![os_obis("0-0:19.10.0.255"), u8d(100)])]),
        ),
        (13, never()),
        (14, never()),
        (15, st(vec![vs("GBP"), i8d(-2), en(0)])),
        (16, i32d(0)),
        (17, i32d(0)),
        (18, u16d(0)),
        (19, i32d(0)),
    ]
}

/// IC 112 Credit attribute defaults, kept out of `class_defaults` because the
/// prepayment classes carry most attributes and would make that table too long to read.
fn credit_defaults() -> Vec<(i8, Data)> {
    vec![
        (2, i32d(0)),
        (3, en(0)),
        (4, u8d(1)),
        (5, i32d(0)),
        (6, i32d(0)),
        (7, bits(5, &[0x00])),
        (8, en(0)),
        (9, i32d(0)),
        (10, i32d(0)),
        (11, never()),
    ]
}

/// IC 113 Charge attribute defaults, kept out of `class_defaults` because the
/// prepayment classes carry most attributes and would make that table too long to read.
fn charge_defaults() -> Vec<(i8, Data)> {
    vec![
        (2, i32d(0)),
        (3, en(1)),
        (4, u8d(1)),
        (5, unit_charge(0, &[0])),
        (6, unit_charge(0, &[0])),
        (7, never()),
        (8, u32d(86_400)),
        (9, bits(2, &[0x00])),
        (10, never()),
        (11, i32d(0)),
        (12, i32d(0)),
        (13, u16d(0)),
    ]
}

/// A unit charge: {charge per unit scaling {commodity scale, price scale}, commodity
/// {class, logical name, attribute}, charge table [{index, charge per unit}]}.
fn unit_charge(first_index: u8, prices: &[i16]) -> Data {
    st(vec![
        st(vec![i8d(3), i8d(-5)]),
        st(vec![u16d(3), os_obis("1-0:1.8.0.255"), i8d(2)]),
        arr(prices
            .iter()
            .enumerate()
            .map(|(i, p)| st(vec![os(&[first_index + i as u8 + 1]), Data::Long(*p)]))
            .collect()),
    ])
}

/// Activity calendar, active (2–5) and passive (6–9): four seasons, a weekday/weekend pair of
/// week profiles and four day profiles switching tariff scripts at 00:00 and 12:00.
fn calendar() -> Vec<(i8, Data)> {
    let seasons = arr(vec![
        season(b"spring", 3, 21, 1),
        season(b"summer", 6, 21, 1),
        season(b"fall", 9, 23, 2),
        season(b"winter", 12, 21, 2),
    ]);
    let weeks = arr(vec![
        st(vec![
            os(&[1]),
            u8d(1),
            u8d(1),
            u8d(1),
            u8d(1),
            u8d(1),
            u8d(2),
            u8d(2),
        ]),
        st(vec![
            os(&[2]),
            u8d(3),
            u8d(3),
            u8d(3),
            u8d(3),
            u8d(3),
            u8d(4),
            u8d(4),
        ]),
    ]);
    let days = arr((1..=4u8)
        .map(|id| {
            let tariff = |k: u8| 200 + u16::from((id + k - 1) % 4 + 1);
            st(vec![
                u8d(id),
                arr(vec![
                    st(vec![
                        tod(0, 0),
                        os_obis("0-0:10.0.100.255"),
                        u16d(tariff(0)),
                    ]),
                    st(vec![
                        tod(12, 0),
                        os_obis("0-0:10.0.100.255"),
                        u16d(tariff(1)),
                    ]),
                ]),
            ])
        })
        .collect());
    vec![
        (2, os(b"standard")),
        (3, seasons.clone()),
        (4, weeks.clone()),
        (5, days.clone()),
        (6, os(b"standard")),
        (7, seasons),
        (8, weeks),
        (9, days),
        (10, never()),
    ]
}

fn season(name: &[u8], month: u8, day: u8, week: u8) -> Data {
    st(vec![
        os(name),
        os(&[0xFF, 0xFF, month, day, 0xFF, 0, 0, 0, 0, 0x80, 0, 0xFF]),
        os(&[week]),
    ])
}

/// Special days: Christmas Day, Boxing Day, New Year's Day (recurring every year).
fn special_days() -> Data {
    arr(vec![
        st(vec![u16d(1), date(0xFFFF, 12, 25), u8d(1)]),
        st(vec![u16d(2), date(0xFFFF, 12, 26), u8d(2)]),
        st(vec![u16d(3), date(0xFFFF, 1, 1), u8d(3)]),
    ])
}

/// A schedule entry: {index, enable, script table, selector, switch time, validity window,
/// weekdays, special days, begin date, end date}.
fn schedule_entry(index: u16, script_table: &str, selector: u16, hour: u8, minute: u8) -> Data {
    st(vec![
        u16d(index),
        boolean(true),
        os_obis(script_table),
        u16d(selector),
        tod(hour, minute),
        u16d(0xFFFF),
        bits(7, &[0xFE]),
        bits(0, &[]),
        date(0xFFFF, 1, 0xFF),
        date(0xFFFF, 0xFF, 0xFF),
    ])
}

/// An entry of the ZigBee active-device table: {EUI-64, status bits, three RSSI/LQI readings,
/// counters, last communication time (with weekday), flags}.
pub fn han_device(eui: [u8; 8], last_seen: u32) -> Data {
    st(vec![
        os(&eui),
        bits(8, &[0xC8]),
        i8d(-35),
        i8d(-50),
        i8d(-90),
        u8d(1),
        u8d(40),
        u8d(200),
        os(&date_time_with_weekday(last_seen)),
        u8d(1),
        u8d(0),
        u8d(100),
        u8d(1),
        u8d(1),
    ])
}

// ---- the table ----------------------------------------------------------------------------

/// Builds an object table: class defaults first, then each object's own values.
#[derive(Default)]
pub struct Builder {
    objects: ObjectTable,
}

impl Builder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn finish(self) -> ObjectTable {
        self.objects
    }

    pub fn add(&mut self, class: u16, logical_name: &str, attrs: Vec<(i8, Data)>) {
        let key = (class, obis(logical_name));
        let obj = self.objects.entry(key).or_insert_with(|| Object {
            class,
            obis: key.1,
            attrs: class_defaults(class)
                .into_iter()
                .map(|(id, v)| {
                    (
                        id,
                        Attribute {
                            templates: vec![v.clone()],
                            value: v,
                        },
                    )
                })
                .collect(),
            log: None,
        });
        for (id, v) in attrs {
            obj.attrs.insert(
                id,
                Attribute {
                    templates: vec![v.clone()],
                    value: v,
                },
            );
        }
    }

    /// Lets a set write another type as well (objects the corpus writes in two forms).
    pub fn alt(&mut self, class: u16, logical_name: &str, attr: i8, template: Data) {
        if let Some(a) = self
            .objects
            .get_mut(&(class, obis(logical_name)))
            .and_then(|o| o.attrs.get_mut(&attr))
        {
            a.templates.push(template);
        }
    }

    pub fn log(
        &mut self,
        logical_name: &str,
        columns: Vec<Column>,
        cadence: Cadence,
        capacity: u32,
    ) {
        self.log_delayed(logical_name, columns, cadence, 0, capacity);
    }

    pub fn log_delayed(
        &mut self,
        logical_name: &str,
        columns: Vec<Column>,
        cadence: Cadence,
        delay: u32,
        capacity: u32,
    ) {
        let period = match cadence {
            Cadence::Every { period, .. } => period,
            Cadence::CapturePeriod => 3600,
            Cadence::Monthly => 0,
        };
        let def = LogDef {
            columns,
            cadence,
            delay,
            capacity,
        };
        self.add(
            7,
            logical_name,
            vec![
                (3, arr(def.columns.iter().map(Column::descriptor).collect())),
                (4, u32d(period)),
                (5, en(1)),
                (6, st(vec![u16d(0), os(&[0; 6]), i8d(0), u16d(0)])),
                (8, u32d(capacity)),
            ],
        );
        if let Some(o) = self.objects.get_mut(&(7, obis(logical_name))) {
            o.log = Some(Log::new(def));
        }
    }
}

pub fn col(class: u16, logical_name: &str, attr: i8, ty: TypeDesc) -> Column {
    Column {
        class,
        obis: obis(logical_name),
        attr,
        ty,
    }
}

fn u32_col(class: u16, logical_name: &str) -> Column {
    col(class, logical_name, 2, simple(tag::DOUBLE_LONG_UNSIGNED))
}

pub fn every(period: u32, phase: u32) -> Cadence {
    Cadence::Every { period, phase }
}

/// Columns of the billing and daily read logs: import total(s), 48 TOU registers (plus 4 for
/// the secondary element of a twin meter) and four 8-register block matrices. The capture
/// objects named here are the model's (the corpus only shows the types).
fn consumption_columns(variant: MeterVariant) -> Vec<Column> {
    let mut c = vec![Column::time(), u32_col(3, "1-0:1.8.0.255")];
    if variant == MeterVariant::TwinElement {
        c.push(u32_col(3, "1-0:1.8.0.2"));
    }
    c.push(col(1, "0-0:94.44.34.1", 2, u32_array(48)));
    if variant == MeterVariant::TwinElement {
        c.push(col(1, "0-0:94.44.34.3", 2, u32_array(4)));
    }
    for n in 1..=4 {
        c.push(col(3, &format!("1-0:1.8.{n}.255"), 2, u32_array(8)));
    }
    c
}

/// Prepayment columns of the billing data log: the three credits, aggregated debt and the
/// two debt charges' remaining amounts.
fn prepayment_columns() -> Vec<Column> {
    let i32c = |class, name: &str, attr| col(class, name, attr, simple(tag::DOUBLE_LONG));
    vec![
        i32c(112, "0-0:19.10.0.255", 2),
        i32c(112, "0-0:19.10.1.255", 2),
        i32c(112, "0-0:19.10.2.255", 2),
        i32c(111, "0-0:19.0.0.255", 8),
        i32c(113, "0-0:19.20.1.255", 12),
        i32c(113, "0-0:19.20.2.255", 12),
    ]
}

/// Builds the ESME object table. Objects are added group by group, in the same order as
/// always (later groups may add alternatives to objects an earlier group created), each
/// group in a helper of its own so that no single function holds the whole table.
pub fn build(device: EntityId, variant: MeterVariant) -> ObjectTable {
    let twin = variant == MeterVariant::TwinElement;
    let mut b = Builder::new();

    add_configuration_data(&mut b);
    add_han_channel_data(&mut b);
    add_metering_data(&mut b, twin);
    add_identity_and_threshold_data(&mut b, device);
    add_registers(&mut b);
    add_phase_and_billing_profiles(&mut b, variant);
    add_interval_and_event_profiles(&mut b, twin);
    add_schedules(&mut b);
    add_control_objects(&mut b, device);
    add_prepayment_objects(&mut b);
    add_extended_data(&mut b);

    b.finish()
}

/// IC 1 Data objects for configuration: version identifier, auxiliary load control
/// switch settings, configuration flags and their timestamps. The IC 1 group is split in
/// four only to keep each helper short; the order of additions is unchanged.
fn add_configuration_data(b: &mut Builder) {
    // IC 1 Data: identities, configuration, snapshots.
    b.add(1, "0-0:0.2.1.255", vec![(2, os(&[0x01, 0x00, 0xA0, 0x00]))]);
    b.add(1, "0-0:94.44.0.1", vec![(2, u16d(0))]);
    b.add(1, "0-0:94.44.0.4", vec![(2, boolean(true))]);
    for n in 11..=15 {
        let text = format!("Auxiliary load control switch {}", n - 10);
        b.add(1, &format!("0-0:94.44.0.{n}"), vec![(2, vs(&text))]);
    }
    for n in 21..=25 {
        b.add(1, &format!("0-0:94.44.0.{n}"), vec![(2, os(&[0; 8]))]);
    }
    for n in 31..=35 {
        b.add(1, &format!("0-0:94.44.0.{n}"), vec![(2, utf8("{}"))]);
    }
    b.add(1, "0-0:94.44.3.1", vec![(2, os(&[]))]);
    b.add(1, "0-0:94.44.3.2", vec![(2, os(&[]))]);
    for n in 0..=2 {
        b.add(1, &format!("0-0:94.44.5.{n}"), vec![(2, dt(COMMISSIONED))]);
    }
    for n in 1..=5 {
        b.add(1, &format!("0-0:94.44.6.{n}"), vec![(2, boolean(true))]);
    }
    b.add(1, "0-0:94.44.7.255", vec![(2, boolean(true))]);
}

/// IC 1 Data objects describing the HAN radio: channel masks and link parameters.
fn add_han_channel_data(b: &mut Builder) {
    let channel_mask = |b0: u8| bits(32, &[b0, 0, 0, 3]);
    b.add(
        1,
        "0-0:94.44.10.0",
        vec![(
            2,
            st(vec![
                channel_mask(0xE0),
                channel_mask(0xE8),
                channel_mask(0xF0),
                channel_mask(0xF8),
                u16d(125),
                u16d(200),
                u8d(4),
                u16d(6),
                u8d(6),
                u8d(10),
                u16d(5050),
                u8d(125),
                u16d(90),
                u16d(5000),
                u16d(3000),
            ]),
        )],
    );
    b.add(1, "0-0:94.44.10.1", vec![(2, u8d(0))]);
    b.add(1, "0-0:94.44.10.2", vec![(2, bits(32, &[0xE0, 0, 0, 1]))]);
}

/// IC 1 Data objects carrying meter readings and timers: the structured register
/// snapshots (whose shape depends on the twin element), the u32 clock and the
/// time-or-duration settings.
fn add_metering_data(b: &mut Builder, twin: bool) {
    let wh = || su(0, 30);
    let varh = || su(0, 32);
    b.add(
        1,
        "0-0:94.44.34.1",
        vec![(
            2,
            if twin {
                st(vec![u32s(48, 0), u32s(4, 0)])
            } else {
                st(vec![u32s(48, 0)])
            },
        )],
    );
    b.add(1, "0-0:94.44.34.2", vec![(2, st(vec![u32s(64, 0)]))]);
    b.add(
        1,
        "0-0:94.44.34.10",
        vec![(
            2,
            if twin {
                st(vec![u32d(0), wh(), u32d(0), varh(), u32d(0)])
            } else {
                st(vec![u32d(0), wh(), u32d(0), varh()])
            },
        )],
    );
    b.add(1, "0-0:94.44.34.11", vec![(2, os(b"0000000000000"))]);
    b.add(
        1,
        "0-0:94.44.34.20",
        vec![(2, st(vec![u32d(0), su(0, 27), u32d(0)]))],
    );
    b.add(1, "0-0:94.44.34.30", vec![(2, st(vec![i32d(0); 6]))]);
    // Clock as a u32: read from the simulator clock.
    b.add(1, "0-0:94.44.100.255", vec![(2, u32d(0))]);
    for name in [
        "0-0:94.44.117.1",
        "0-0:94.44.117.2",
        "0-0:94.44.119.1",
        "0-0:94.44.119.2",
        "0-0:94.44.119.3",
        "0-0:94.44.119.4",
        "0-0:94.44.121.1",
        "0-0:94.44.121.2",
        "0-0:94.44.121.3",
        "0-0:94.44.121.4",
    ] {
        b.add(1, name, vec![(2, never())]);
    }
    // Written either as a time or as a duration in minutes (ECS47a vs ECS47Activate/Deactivate).
    b.alt(1, "0-0:94.44.117.1", 2, u16d(0));
    b.alt(1, "0-0:94.44.119.2", 2, u16d(0));
}

/// IC 1 Data objects identifying the device, plus alert filters and voltage thresholds.
fn add_identity_and_threshold_data(b: &mut Builder, device: EntityId) {
    b.add(1, "0-0:96.1.1.255", vec![(2, os(device.as_bytes()))]);
    b.add(1, "0-0:96.1.2.255", vec![(2, os(b"S"))]);
    b.add(1, "0-0:96.1.4.255", vec![(2, os(b"SIMESME1"))]);
    b.add(1, "0-0:96.1.6.255", vec![(2, os(b"SIM"))]);
    b.add(1, "0-3:96.13.1.255", vec![(2, os(&[]))]);
    // Alert filters: 256-bit masks.
    for n in 11..=18 {
        b.add(
            1,
            &format!("0-30:97.98.{n}.255"),
            vec![(2, bits(256, &[0; 32]))],
        );
        b.add(
            1,
            &format!("0-33:97.98.{n}.255"),
            vec![(2, bits(256, &[0; 32]))],
        );
    }
    b.add(1, "1-0:0.0.2.255", vec![(2, os(b"0000000000000"))]);
    // Voltage thresholds (average RMS over/under voltage, per phase).
    for phase in [32, 52, 72] {
        b.add(1, &format!("1-0:{phase}.31.0.4"), vec![(2, u32d(207))]);
        b.add(1, &format!("1-0:{phase}.35.0.4"), vec![(2, u32d(253))]);
    }
}

/// IC 3 Registers and IC 4 extended registers (energy totals, excursion counts,
/// maximum demand).
fn add_registers(b: &mut Builder) {
    let wh = || su(0, 30);
    let varh = || su(0, 32);

    // IC 3 Register.
    b.add(3, "0-0:94.44.1.8", vec![(2, u32d(0)), (3, su(-5, 254))]);
    b.add(3, "0-0:94.44.42.255", vec![(2, u32d(0)), (3, su(0, 255))]);
    b.add(3, "1-0:1.8.0.255", vec![(3, wh())]);
    b.add(3, "1-0:1.8.0.2", vec![(3, wh())]);
    for n in 1..=4 {
        b.add(
            3,
            &format!("1-0:1.8.{n}.255"),
            vec![(2, u32s(8, 0)), (3, wh())],
        );
    }
    b.add(3, "1-0:2.8.0.255", vec![(3, wh())]);
    b.add(3, "1-0:4.8.0.255", vec![(3, varh())]);
    for phase in [32, 52, 72] {
        // Counts of voltage excursions.
        b.add(3, &format!("1-0:{phase}.32.0.4"), vec![(3, su(0, 255))]);
        b.add(3, &format!("1-0:{phase}.36.0.4"), vec![(3, su(0, 255))]);
    }

    // IC 4 Extended register: maximum demand.
    for name in ["1-0:1.6.0.255", "1-0:1.6.1.255", "1-0:2.6.0.255"] {
        b.add(4, name, vec![]);
    }
}

/// IC 7 Profile generic, first half: per-phase voltage logs, monthly billing logs and
/// the daily logs.
fn add_phase_and_billing_profiles(b: &mut Builder, variant: MeterVariant) {
    // IC 7 Profile generic.
    for phase in [32, 52, 72] {
        b.log(
            &format!("1-0:{phase}.24.0.255"),
            vec![Column::time(), u32_col(3, &format!("1-0:{phase}.7.0.255"))],
            Cadence::CapturePeriod,
            1440,
        );
    }
    let two = |c: Column| vec![Column::time(), c];
    b.log(
        "0-0:98.1.0.255",
        consumption_columns(variant),
        Cadence::Monthly,
        12,
    );
    let mut prepayment = vec![Column::time()];
    prepayment.extend(prepayment_columns());
    b.log("0-0:98.1.1.255", prepayment, Cadence::Monthly, 12);
    let mut billing = consumption_columns(variant);
    billing.extend(prepayment_columns());
    b.log("0-0:98.1.2.255", billing, Cadence::Monthly, 12);
    b.log(
        "0-0:98.1.4.255",
        two(u32_col(113, "0-0:19.20.1.255")),
        every(DAY, 0),
        731,
    );
    b.log(
        "0-0:98.1.5.255",
        two(u32_col(112, "0-0:19.10.0.255")),
        every(DAY, 0),
        731,
    );
    b.log(
        "0-0:98.1.9.255",
        consumption_columns(variant),
        every(DAY, 0),
        731,
    );
    // Daily export reads stamp the day they close: the current day is not yet logged.
    b.log_delayed(
        "0-0:98.1.10.255",
        two(u32_col(3, "1-0:2.8.0.255")),
        every(DAY, 0),
        DAY,
        731,
    );
}

/// IC 7 Profile generic, second half: half-hourly interval logs and the event logs.
fn add_interval_and_event_profiles(b: &mut Builder, twin: bool) {
    let two = |c: Column| vec![Column::time(), c];
    let mut half_hourly = vec![Column::time(), u32_col(3, "1-0:1.8.0.255")];
    if twin {
        half_hourly.push(u32_col(3, "1-0:1.8.0.2"));
    }
    b.log("0-0:99.1.0.255", half_hourly, every(1800, 0), 19_000);
    b.log(
        "0-0:99.1.1.255",
        vec![
            Column::time(),
            u32_col(3, "1-0:1.8.0.255"),
            u32_col(3, "1-0:3.8.0.255"),
        ],
        every(1800, 0),
        19_000,
    );
    b.log(
        "0-0:99.1.2.255",
        two(u32_col(3, "1-0:2.8.0.255")),
        every(1800, 0),
        19_000,
    );
    b.log(
        "0-0:99.1.3.255",
        two(u32_col(3, "1-0:1.8.0.255")),
        every(DAY, 0),
        731,
    );
    let event_code = || col(1, "0-0:96.11.0.255", 2, simple(tag::LONG_UNSIGNED));
    b.log(
        "0-0:99.98.0.255",
        vec![
            Column::time(),
            event_code(),
            col(1, "0-0:96.11.0.254", 2, simple(tag::OCTET_STRING)),
        ],
        every(2700, 0),
        100,
    );
    b.log(
        "0-0:99.98.1.255",
        vec![Column::time(), event_code()],
        every(2700, 0),
        100,
    );
    b.log(
        "0-17:99.98.2.255",
        vec![
            Column::time(),
            event_code(),
            col(1, "0-17:96.3.10.255", 2, simple(tag::ENUM)),
            u32_col(1, "0-17:96.3.11.255"),
        ],
        every(61_200, 3600),
        100,
    );
    // Boost periods are logged once the day they belong to has closed.
    b.log_delayed(
        "0-0:99.98.20.255",
        vec![Column::time(), u32_col(1, "0-0:94.44.7.0")],
        every(DAY, 0),
        DAY,
        31,
    );
    b.log(
        "0-0:94.44.10.3",
        vec![
            Column::time(),
            event_code(),
            col(1, "0-0:94.44.10.2", 2, simple(tag::OCTET_STRING)),
        ],
        every(90_000, 0),
        100,
    );
}

/// IC 8 clock and the time-driven objects: script tables, schedules, special days,
/// activity calendars, register monitors and single action schedules.
fn add_schedules(b: &mut Builder) {
    // IC 8 Clock.
    b.add(8, "0-0:1.0.0.255", vec![]);

    // IC 9 Script tables: tariff, auxiliary controllers, disconnector, APC limits, billing.
    for name in [
        "0-0:10.0.1.255",
        "0-0:10.0.100.255",
        "0-0:10.0.103.255",
        "0-0:10.0.106.255",
        "0-0:10.0.107.255",
        "0-0:10.128.100.255",
    ] {
        b.add(9, name, vec![]);
    }

    // IC 10 Schedules.
    let tariff_schedule = arr(vec![
        schedule_entry(1, "0-0:10.128.100.255", 1, 12, 0),
        schedule_entry(2, "0-0:10.128.100.255", 2, 9, 0),
    ]);
    b.add(10, "0-0:12.0.0.255", vec![(2, tariff_schedule.clone())]);
    for name in ["0-0:12.0.1.255", "0-1:12.0.1.255"] {
        b.add(10, name, vec![(2, tariff_schedule.clone())]);
    }
    let aux_schedule = arr((1..=6u16)
        .map(|i| {
            let hour = 9 + (i - 1) as u8 / 2;
            let minute = if i % 2 == 0 { 30 } else { 0 };
            schedule_entry(i, "0-0:10.0.103.255", 8500 + i, hour, minute)
        })
        .collect());
    for name in ["0-0:12.0.2.255", "0-1:12.0.2.255"] {
        b.add(10, name, vec![(2, aux_schedule.clone())]);
    }

    // IC 11 Special days tables, active (B=0) and passive (B=1).
    for n in 0..=3 {
        b.add(11, &format!("0-0:11.0.{n}.255"), vec![(2, special_days())]);
        b.add(11, &format!("0-1:11.0.{n}.255"), vec![(2, special_days())]);
    }

    // IC 20 Activity calendars.
    b.add(20, "0-0:13.0.0.255", vec![]);
    b.add(20, "0-0:13.0.1.255", vec![]);

    // IC 21 Register monitors: import power thresholds, block thresholds.
    b.add(
        21,
        "0-0:16.0.0.255",
        vec![(2, arr(vec![u32d(2300), u32d(4600)]))],
    );
    for n in 11..=18 {
        b.add(21, &format!("0-0:16.1.{n}.255"), vec![]);
    }

    // IC 22 Single action schedules: billing calendar, and its twin.
    b.add(22, "0-0:15.0.0.255", vec![]);
    b.add(22, "0-0:15.1.0.255", vec![]);
}

/// Security and supply control: IC 30 data protection, IC 70 disconnect control,
/// IC 71 limiters and IC 104 ZigBee network control.
fn add_control_objects(b: &mut Builder, device: EntityId) {
    // IC 30 Data protection.
    for n in [1, 2, 3, 4, 5, 7, 8, 9, 10] {
        b.add(30, &format!("0-0:43.2.{n}.255"), vec![]);
    }

    // IC 70 Disconnect control.
    b.add(70, "0-0:96.3.10.255", vec![]);

    // IC 71 Limiters.
    for (n, normal) in [(1, 287), (2, 180), (3, 216), (4, 253)] {
        b.add(71, &format!("0-0:17.0.{n}.255"), vec![(4, u32d(normal))]);
    }

    // IC 104 ZigBee network control (HAN and the second radio).
    let mut eui = *device.as_bytes();
    let mut neighbours = |base: u8| {
        (0..2u8)
            .map(|i| {
                eui[7] = base.wrapping_add(i);
                han_device(eui, COMMISSIONED + DAY - 600 * (u32::from(i) + 1))
            })
            .collect::<Vec<_>>()
    };
    b.add(104, "0-0:30.3.0.255", vec![(4, arr(neighbours(0xB0)))]);
    b.add(104, "0-0:30.3.1.255", vec![(4, arr(neighbours(0xC0)))]);
}

/// Prepayment: IC 111 account, IC 112 credits, IC 113 charges and IC 115 token gateway.
fn add_prepayment_objects(b: &mut Builder) {
    // IC 111 Account: active (B=0) and passive (B=1, switched by attribute 13).
    b.add(111, "0-0:19.0.0.255", vec![]);
    b.add(111, "0-1:19.0.0.255", vec![]);

    // IC 112 Credits: token credit, emergency credit, accumulated debt credit.
    for (n, credit_type) in [(0, 0), (1, 2), (2, 3)] {
        b.add(
            112,
            &format!("0-0:19.10.{n}.255"),
            vec![(3, en(credit_type))],
        );
    }

    // IC 113 Charges: TOU/block prices, time-based debts, payment-based debt, standing charge.
    for n in 0..=5 {
        b.add(113, &format!("0-0:19.20.{n}.255"), vec![]);
    }
    // Secondary-element TOU prices (four rates).
    let secondary = || {
        st(vec![
            st(vec![i8d(3), i8d(-5)]),
            st(vec![u16d(3), os_obis("1-20:1.8.0.255"), i8d(2)]),
            arr((1..=4u8)
                .map(|i| st(vec![os(&[i]), Data::Long(1000 * (9 + i16::from(i)))]))
                .collect()),
        ])
    };
    b.add(
        113,
        "0-0:19.20.5.255",
        vec![(5, secondary()), (6, secondary())],
    );

    // IC 115 Token gateway.
    b.add(115, "0-0:19.40.0.255", vec![]);
}

/// IC 9000 GBCS extended data objects.
fn add_extended_data(b: &mut Builder) {
    // IC 9000 GBCS extended data: active value (2), passive value (4), activation time (6).
    let ext = |b: &mut Builder, name: &str, value: Option<Data>| {
        let attrs = match value {
            Some(v) => vec![(2, v.clone()), (4, v)],
            None => vec![],
        };
        b.add(9000, name, attrs);
    };
    ext(b, "0-0:63.1.1.255", None);
    ext(b, "0-0:94.44.0.3", Some(boolean(false)));
    ext(b, "0-0:94.44.2.0", Some(boolean(false)));
    for name in ["0-0:94.44.2.10", "0-0:94.44.2.20"] {
        ext(b, name, Some(i32d(0)));
    }
    for n in [2, 3, 9, 13, 22] {
        ext(b, &format!("0-0:94.44.128.{n}"), Some(i32d(0)));
    }
    ext(b, "0-0:94.44.128.12", Some(u16d(0)));
    for n in [6, 7, 8] {
        ext(b, &format!("0-0:94.44.128.{n}"), Some(u32d(0)));
    }
    for n in [26, 28, 29, 30, 31, 35] {
        ext(b, &format!("0-0:94.44.128.{n}"), None);
    }
    for name in ["0-0:96.13.0.255", "0-0:96.13.1.255"] {
        ext(b, name, Some(os(&[])));
    }
}

/// Tables a 9000 activation-time object switches besides its own value: the passive table
/// written by the same use case becomes active (inferred from which use cases write them
/// together: ECS01a/c, ECS08, ECS46c).
pub fn linked_tables(activation: &ObisCode) -> &'static [(u16, &'static str, &'static str)] {
    match activation.as_bytes() {
        [0, 0, 94, 44, 128, 26] => &[(10, "0-1:12.0.2.255", "0-0:12.0.2.255")],
        [0, 0, 94, 44, 128, 28] => &[(10, "0-1:12.0.1.255", "0-0:12.0.1.255")],
        [0, 0, 94, 44, 128, 29] => &[(11, "0-1:11.0.0.255", "0-0:11.0.0.255")],
        [0, 0, 94, 44, 128, 30] => &[(11, "0-1:11.0.1.255", "0-0:11.0.1.255")],
        [0, 0, 94, 44, 128, 31] => &[(11, "0-1:11.0.2.255", "0-0:11.0.2.255")],
        [0, 0, 94, 44, 128, 35] => &[(11, "0-1:11.0.3.255", "0-0:11.0.3.255")],
        _ => &[],
    }
}
