//! Helpers shared by the integration tests: the simulator as a separate process, and the
//! protected ECS45 read every simulator test sends. (Each test binary includes this module and
//! uses part of it.)
#![allow(dead_code)]

pub mod junit;
pub mod transport;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use gbcs_harness::codec::frame::GeneralSigning;
use gbcs_harness::codec::MessageCode;
use gbcs_harness::command::builder::Command as GbcsCommand;
use gbcs_harness::sim::profile::DefaultProfile;

pub const BIN: &str = env!("CARGO_BIN_EXE_gbcs-harness");

/// A `simulate --listen` child, killed and reaped when dropped.
pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `gbcs-harness simulate MODE 127.0.0.1:0 EXTRA...` and returns it with what it
/// announced on its first line (`listening on WHERE`).
fn start_simulator(mode: &str, extra: &[&str]) -> (Server, String) {
    let mut child = Command::new(BIN)
        .args(["simulate", mode, "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let announced = line
        .trim()
        .strip_prefix("listening on ")
        .expect("address line")
        .to_string();
    (Server(child), announced)
}

/// `simulate --listen`: the TCP address.
pub fn start_server(extra: &[&str]) -> (Server, String) {
    start_simulator("--listen", extra)
}

/// `simulate --http`: the base URL (`http://ADDR`).
pub fn start_http_server(extra: &[&str]) -> (Server, String) {
    let (server, url) = start_simulator("--http", extra);
    assert!(url.starts_with("http://"), "{url}");
    (server, url)
}

/// ECS45 (read supply status: get IC 70 0-0:96.3.10.255 attribute 3) from the default supplier
/// to the default ESME, unprotected.
pub fn read_supply_status(counter: u64) -> GeneralSigning {
    GbcsCommand::ecs45().counter(counter).general_signing()
}

/// The same read, MAC'd by the default ACB: a command the default simulator accepts.
pub fn command(profile: &DefaultProfile, counter: u64) -> Vec<u8> {
    GbcsCommand::ecs45()
        .counter(counter)
        .build(profile.keys(), Some(profile.acb()))
        .unwrap()
}

/// ECS01a-style, signed and MAC'd: activate the ESME's passive calendar (IC 20
/// 0-0:13.0.0.255 attribute 10) at `when` (seconds since 2000 on the device's clock), so its
/// future-dated execution alert falls due then.
pub fn activate_calendar_at(profile: &DefaultProfile, counter: u64, when: u32) -> Vec<u8> {
    let mut body = hex::decode("000102001400000D0000FF0A01090C").unwrap();
    body.extend_from_slice(&gbcs_harness::sim::simulator::dlms_date_time(when).0);
    GbcsCommand::dlms(MessageCode::ECS01A, &body, true)
        .counter(counter)
        .build(profile.keys(), Some(profile.acb()))
        .unwrap()
}

/// Seconds since 2000-01-01 of a grouping-header date-time.
pub fn seconds_since_2000(dt: &gbcs_harness::codec::frame::DateTime12) -> u32 {
    use gbcs_harness::codec::calendar::{days_from_civil, DAYS_1970_TO_2000};
    let b = dt.0;
    let days = days_from_civil(
        i64::from(u16::from_be_bytes([b[0], b[1]])),
        u32::from(b[2]),
        u32::from(b[3]),
    );
    ((days - DAYS_1970_TO_2000) * 86_400) as u32
        + u32::from(b[5]) * 3600
        + u32::from(b[6]) * 60
        + u32::from(b[7])
}
