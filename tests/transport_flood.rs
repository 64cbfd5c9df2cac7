//! A target that floods the harness with frames it never asked for costs the harness a fixed
//! amount of memory, and the command waiting at the time fails saying so. One test in its own
//! binary, so the process's peak memory is this test's alone.

use std::io::Write;
use std::net::TcpListener;

use gbcs_harness::codec::CraFlag;
use gbcs_harness::sim::profile::DefaultProfile;
use gbcs_harness::transport::{open, OpenOptions, TransportError};

mod common;
use common::command;
use common::transport::{limits, rt};

/// What the flooders send in all over TCP.
const FLOOD_BYTES: usize = 200 << 20;
/// How much the harness's peak memory may grow while flooded (before the board was bounded,
/// 200 MB sent grew it by about 2 GB): the alert board's backlog of 256 frames of 60 kB is
/// 15 MB, a reader's copy of it as much again; the rest is slack for buffers and the
/// allocator.
const MEMORY_BOUND: u64 = 80 << 20;

/// One alert of 60 kB, length-prefixed as the transports frame it.
fn framed_alert() -> Vec<u8> {
    let mut gs = common::read_supply_status(1);
    gs.header.cra = CraFlag::Alert;
    gs.content = vec![0u8; 60_000].into();
    let mut frame = Vec::new();
    gs.encode(&mut frame);
    let mut out = (frame.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(&frame);
    out
}

/// The process's peak resident memory so far, in bytes (Linux).
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM in /proc/self/status");
    let kb: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap();
    kb * 1024
}

#[test]
fn flooding_tcp_and_exec_targets_keep_the_harness_memory_bounded() {
    let profile = DefaultProfile::generate().unwrap();
    let alert = framed_alert();
    let runtime = rt();
    let before = peak_rss();

    // tcp://: 200 MB of alerts as soon as a command arrives.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let flood = alert.clone();
    let flooder = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut sent = 0;
        while sent < FLOOD_BYTES {
            if s.write_all(&flood).is_err() {
                break;
            }
            sent += flood.len();
        }
        sent
    });
    runtime.block_on(async {
        let url = format!("tcp://{addr}");
        let mut t = open(&url, &OpenOptions::default()).unwrap();
        let e = t
            .exchange(&command(&profile, 1), &limits(2_000))
            .await
            .unwrap_err();
        assert!(matches!(e, TransportError::Flooded { .. }), "{e}");
        println!("tcp:// as reported: {e}");
        // Keep reading until the flooder has sent everything.
        let sent = tokio::task::spawn_blocking(move || flooder.join().unwrap())
            .await
            .unwrap();
        assert!(sent >= FLOOD_BYTES, "the whole flood was taken in");
    });
    let after_tcp = peak_rss();

    // exec:: a child that writes alerts to its stdout without end.
    let file = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("flood-{}.bin", std::process::id()));
    std::fs::write(&file, alert.repeat(100)).unwrap();
    runtime.block_on(async {
        let url = format!("exec:sh -c 'while cat {f}; do :; done'", f = file.display());
        let mut t = open(&url, &OpenOptions::default()).unwrap();
        let e = t
            .exchange(&command(&profile, 1), &limits(3_000))
            .await
            .unwrap_err();
        assert!(matches!(e, TransportError::Flooded { .. }), "{e}");
        println!("exec: as reported: {e}");
    });
    let after_exec = peak_rss();
    let _ = std::fs::remove_file(&file);

    println!(
        "peak RSS: {} MB before, {} MB after tcp:// ({} MB sent), {} MB after exec:",
        before >> 20,
        after_tcp >> 20,
        FLOOD_BYTES >> 20,
        after_exec >> 20
    );
    assert!(
        after_exec - before < MEMORY_BOUND,
        "peak memory grew by {} MB",
        (after_exec - before) >> 20
    );
}
