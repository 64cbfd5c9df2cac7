//! The comms hub's object table: its device logs (IC 104), identity, sub-GHz (DBCH) objects
//! and logs, in a freshly installed hub. Built with the ESME table's builder so class
//! defaults, type templates and log buffers behave alike.

use crate::codec::dlms::names::tag;
use crate::codec::dlms::Data;
use crate::codec::ids::EntityId;
use crate::sim::esme::logs::Column;
use crate::sim::esme::objects::{
    arr, bits, col, every, han_device, os, simple, st, u16d, u32d, u8d, Builder, ObjectTable,
    COMMISSIONED,
};
use crate::sim::esme::time::DAY;

/// The hub's HAN device log (CCS01/02/04/06/07) and its second log (read by CCS07 only).
pub const HAN_DEVICE_LOG: &str = "0-0:30.3.0.255";
pub const OTHER_DEVICE_LOG: &str = "0-0:30.3.1.255";
/// Sub-GHz configuration (DBCH03 reads, DBCH04 writes), channel scan request (DBCH05) and
/// current channel (DBCH01).
pub const SUB_GHZ_CONFIGURATION: &str = "0-0:94.44.10.0";
pub const CHANNEL_SCAN_REQUEST: &str = "0-0:94.44.10.1";
pub const SUB_GHZ_CHANNEL: &str = "0-0:94.44.10.2";

/// Identity values of the simulated hub (ECS26i/n): model and firmware version strings.
const MODEL: &[u8] = b"SIMCHF01";
const FIRMWARE_VERSION: &[u8] = b"1.0";

/// A channel mask: 32 bits, the page bits first, the allowed channels last.
fn channel_mask(page: u8, channels: u8) -> Data {
    bits(32, &[page, 0, 0, channels])
}

/// The sub-GHz configuration a hub ships with: four channel masks, then duty-cycle and
/// timing parameters (field meanings unverified; the types are those DBCH03/04 carry).
pub fn sub_ghz_defaults() -> Data {
    st(vec![
        channel_mask(0xE0, 3),
        channel_mask(0xE8, 3),
        channel_mask(0xF0, 3),
        channel_mask(0xF8, 3),
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
    ])
}

fn device_log(devices: &[EntityId]) -> Data {
    arr(devices
        .iter()
        .enumerate()
        .map(|(i, d)| han_device(*d.as_bytes(), COMMISSIONED + DAY - 600 * (i as u32 + 1)))
        .collect())
}

pub fn build(device: EntityId, han: &[EntityId], other: &[EntityId]) -> ObjectTable {
    let mut b = Builder::new();

    // Identity (ECS26i: id, model, firmware; ECS26n: model, firmware).
    b.add(1, "0-0:96.1.1.255", vec![(2, os(device.as_bytes()))]);
    b.add(1, "0-0:96.1.4.255", vec![(2, os(MODEL))]);
    b.add(1, "0-0:96.1.6.255", vec![(2, os(FIRMWARE_VERSION))]);

    // Clock, and the u32 time object every range selection restricts on.
    b.add(8, "0-0:1.0.0.255", vec![]);
    b.add(1, "0-0:94.44.100.255", vec![(2, u32d(0))]);

    // Sub-GHz (DBCH01–05).
    b.add(1, SUB_GHZ_CONFIGURATION, vec![(2, sub_ghz_defaults())]);
    b.add(1, CHANNEL_SCAN_REQUEST, vec![(2, u8d(0))]);
    b.add(1, SUB_GHZ_CHANNEL, vec![(2, channel_mask(0xE0, 1))]);

    // Logs. Cadences as the ESME model's, chosen so the RTDS query windows see the number
    // of entries the reference hub recorded.
    let event_code = || col(1, "0-0:96.11.0.255", 2, simple(tag::LONG_UNSIGNED));
    b.log(
        "0-0:99.98.1.255",
        vec![Column::time(), event_code()],
        every(2700, 0),
        100,
    );
    b.log(
        "0-0:94.44.10.3",
        vec![
            Column::time(),
            event_code(),
            col(1, SUB_GHZ_CHANNEL, 2, simple(tag::OCTET_STRING)),
        ],
        every(90_000, 0),
        100,
    );

    // Device logs. The extra template keeps the entry layout known when a log is empty.
    let layout = arr(vec![han_device([0; 8], COMMISSIONED)]);
    for (name, devices) in [(HAN_DEVICE_LOG, han), (OTHER_DEVICE_LOG, other)] {
        b.add(104, name, vec![(4, device_log(devices))]);
        b.alt(104, name, 4, layout.clone());
    }

    b.finish()
}
