//! The simulator served over real sockets and pipes (`simulate --listen`, `--stdio`), with
//! misbehaving peers: an oversized frame, a frame cut short, garbage. Each affects only its
//! own connection; the server keeps answering the others.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::process::{Command, Stdio};
use std::time::Duration;

use gbcs_harness::codec::{CraFlag, MessageCode};
use gbcs_harness::inspect::{Inspector, Verdict};
use gbcs_harness::sim::profile::DefaultProfile;

mod common;
use common::seconds_since_2000;
use common::{activate_calendar_at, command, start_server};

fn send(stream: &mut impl Write, frame: &[u8]) {
    let mut buf = (frame.len() as u32).to_be_bytes().to_vec();
    buf.extend_from_slice(frame);
    stream.write_all(&buf).unwrap();
}

fn receive(stream: &mut impl Read) -> Option<Vec<u8>> {
    let mut len = [0u8; 4];
    stream.read_exact(&mut len).ok()?;
    let mut frame = vec![0u8; u32::from_be_bytes(len) as usize];
    stream.read_exact(&mut frame).ok()?;
    Some(frame)
}

fn connect(addr: &str) -> TcpStream {
    let s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s
}

#[test]
fn tcp_server_answers_and_survives_bad_peers() {
    let profile = DefaultProfile::generate().unwrap();
    let inspector = Inspector::new(profile.keys(), Some(profile.acb()));
    let (_server, addr) = start_server(&[]);

    let mut good = connect(&addr);
    send(&mut good, &command(&profile, 100));
    let response = receive(&mut good).expect("a response");
    assert_eq!(
        inspector.inspect(&response).unwrap().checks.mac,
        Verdict::Valid
    );

    // An oversized announcement: the server closes that connection.
    let mut big = connect(&addr);
    big.write_all(&u32::MAX.to_be_bytes()).unwrap();
    let mut byte = [0u8; 1];
    assert_eq!(big.read(&mut byte).unwrap_or(0), 0, "connection closed");

    // A frame cut short, then the peer hangs up.
    let mut cut = connect(&addr);
    cut.write_all(&[0, 0, 0, 50, 0xDD, 0]).unwrap();
    cut.shutdown(Shutdown::Write).unwrap();
    assert_eq!(cut.read(&mut byte).unwrap_or(0), 0, "connection closed");

    // Garbage in a well-formed frame: discarded without an answer, connection still usable.
    let mut odd = connect(&addr);
    send(&mut odd, b"not a GBCS frame");
    odd.set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    assert!(receive(&mut odd).is_none(), "no answer to garbage");
    odd.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    send(&mut odd, &command(&profile, 101));
    assert!(
        receive(&mut odd).is_some(),
        "the same connection still works"
    );

    // The first connection is unaffected by all of that.
    send(&mut good, &command(&profile, 102));
    assert!(receive(&mut good).is_some());
}

#[test]
fn stdio_session_answers_framed_commands() {
    let profile = DefaultProfile::generate().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gbcs-harness"))
        .args(["simulate", "--stdio"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    send(&mut stdin, &command(&profile, 7));
    let response = receive(&mut stdout).expect("a response");
    let i = Inspector::new(profile.keys(), Some(profile.acb()))
        .inspect(&response)
        .unwrap();
    assert_eq!(i.checks.mac, Verdict::Valid);
    drop(stdin);
    assert!(
        child.wait().unwrap().success(),
        "exits cleanly when stdin closes"
    );
}

/// `gbcs-harness load` against `target`: its JSON summary, after checking it exited 0.
fn load(target: &str, devices: &str, connections: &str, requests: &str) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_gbcs-harness"))
        .args(["load", "--target", target, "--devices", devices])
        .args(["--connections", connections, "--requests", requests])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
}

fn assert_all_answered(summary: &serde_json::Value, requests: u64) {
    assert_eq!(summary["responses"], requests, "{summary}");
    assert_eq!(summary["macs_valid"], requests, "{summary}");
    assert_eq!(summary["failures"], 0, "{summary}");
}

#[test]
fn load_client_against_a_scaled_server() {
    let (_server, addr) = start_server(&["--devices", "50"]);
    // A second run must not be taken for a replay of the first.
    for summary in [load(&addr, "50", "4", "400"), load(&addr, "50", "4", "400")] {
        assert_all_answered(&summary, 400);
    }
}

/// Many commands per device: they must reach each device in counter order (a device refuses
/// a counter it has passed, silently, and the client would wait out its response timeout),
/// whatever the mix of devices and connections.
#[test]
fn load_keeps_each_devices_commands_in_order() {
    let (_server, addr) = start_server(&["--devices", "4"]);
    assert_all_answered(&load(&format!("tcp://{addr}"), "4", "2", "400"), 400);
    // Four connections, one device: three connections stay idle rather than race.
    assert_all_answered(&load(&addr, "1", "4", "400"), 400);
}

#[test]
fn load_refuses_a_target_that_is_not_tcp() {
    let out = Command::new(env!("CARGO_BIN_EXE_gbcs-harness"))
        .args(["load", "--target", "http://127.0.0.1:1", "--devices", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("expected host:port or tcp://host:port"),
        "{stderr}"
    );
}

#[test]
fn a_future_dated_alert_arrives_on_the_stream_when_due() {
    use gbcs_harness::codec::decode_frame;

    let profile = DefaultProfile::generate().unwrap();
    let (_server, addr) = start_server(&[]);
    let mut s = connect(&addr);
    // The device's clock, from the date-time of a response.
    send(&mut s, &command(&profile, 300));
    let response = receive(&mut s).unwrap();
    let device_now = seconds_since_2000(
        decode_frame(&response)
            .unwrap()
            .header()
            .date_time
            .as_ref()
            .unwrap(),
    );
    // ECS01a-style: activate the passive calendar in 3 s.
    let future_dated = activate_calendar_at(&profile, 301, device_now + 3);
    send(&mut s, &future_dated);
    let accepted = receive(&mut s).expect("the command's response");
    assert_eq!(
        decode_frame(&accepted).unwrap().header().cra,
        CraFlag::Response
    );

    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let alert = receive(&mut s).expect("the future-dated execution alert");
    let frame = decode_frame(&alert).unwrap();
    assert_eq!(frame.header().cra, CraFlag::Alert);
    assert_eq!(frame.header().message_code(), Some(MessageCode(0x00CC)));
    let i = Inspector::new(profile.keys(), Some(profile.acb()))
        .inspect(&alert)
        .unwrap();
    assert_eq!(
        i.checks.signature,
        Verdict::Valid,
        "a critical alert is signed by the meter"
    );
}
