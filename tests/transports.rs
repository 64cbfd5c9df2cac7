//! Transports over real sockets and processes: each answers a MAC'd default-profile command,
//! and each fault (refused, reset, silence, oversized or truncated frames, a dying child)
//! fails with a one-line error naming the transport, after which the transport still works.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use gbcs_harness::inspect::Verdict;
use gbcs_harness::sim::profile::DefaultProfile;

mod common;
use common::transport::{assert_clear, limits, mac_of, rt};
use common::{command, start_server};
use gbcs_harness::transport::{open, Limits, OpenOptions, TransportError};

const BIN: &str = env!("CARGO_BIN_EXE_gbcs-harness");

#[test]
fn sim_answers_and_injects_faults() {
    let profile = DefaultProfile::generate().unwrap();
    rt().block_on(async {
        let mut t = open("sim://", &OpenOptions::default()).unwrap();
        let r = t
            .exchange(&command(&profile, 1), &limits(1000))
            .await
            .unwrap();
        assert_eq!(r.responses.len(), 1);
        assert_eq!(mac_of(&profile, &r.responses[0].frame), Verdict::Valid);

        let mut t = open("sim://?fault=bad-response-mac", &OpenOptions::default()).unwrap();
        let r = t
            .exchange(&command(&profile, 1), &limits(1000))
            .await
            .unwrap();
        assert_eq!(mac_of(&profile, &r.responses[0].frame), Verdict::Invalid);

        // A command the device discards gets no answer: a timeout, not a panic.
        let e = t.exchange(b"garbage", &limits(100)).await.unwrap_err();
        assert_clear(&e, "sim://", "timeout after 100 ms");
    });
}

#[test]
fn tcp_and_exec_answer_like_sim_and_overheads_are_printed() {
    let profile = DefaultProfile::generate().unwrap();
    let (_server, addr) = start_server(&[]);
    rt().block_on(async {
        let urls = [
            "sim://".to_string(),
            format!("tcp://{addr}"),
            format!("exec:{BIN} simulate --stdio"),
        ];
        // No alert grace: the loop then measures the round trip alone, the same for all.
        let l = Limits {
            alert_grace: Duration::ZERO,
            ..limits(5000)
        };
        let mut per_exchange = Vec::new();
        for url in &urls {
            let mut t = open(url, &OpenOptions::default()).unwrap();
            assert_eq!(&t.describe(), url);
            // The first exchange connects or spawns; time the rest.
            let r = t.exchange(&command(&profile, 1), &l).await.unwrap();
            assert_eq!(r.responses.len(), 1, "{url}");
            assert_eq!(
                mac_of(&profile, &r.responses[0].frame),
                Verdict::Valid,
                "{url}"
            );
            const N: u64 = 50;
            let started = Instant::now();
            for counter in 2..2 + N {
                let r = t.exchange(&command(&profile, counter), &l).await.unwrap();
                assert_eq!(r.responses.len(), 1, "{url}");
            }
            per_exchange.push((url, started.elapsed() / N as u32));
            if let Some(stderr) = t.stderr() {
                println!("{url} stderr so far: {} bytes", stderr.len());
            }
        }
        let base = per_exchange[0].1;
        for (url, each) in &per_exchange {
            println!(
                "{url:60} {:>9.3} ms/exchange, +{:.3} ms over sim://",
                each.as_secs_f64() * 1e3,
                each.saturating_sub(base).as_secs_f64() * 1e3
            );
        }
    });
}

#[test]
fn replay_answers_a_recorded_command() {
    let Some(dir) = gbcs_harness::corpus::messages_dir() else {
        eprintln!("RTDS corpus absent; skipping");
        return;
    };
    let folder = dir.join("2.1_ECS08");
    let command = gbcs_harness::corpus::read_hex_file(
        &folder.join("ECS08_2.1_IMMEDIATE_SUCCESS_COMMAND_GBCS.HEX"),
    )
    .unwrap();
    let response = gbcs_harness::corpus::read_hex_file(
        &folder.join("ECS08_2.1_IMMEDIATE_SUCCESS_RESPONSE_GBCS.HEX"),
    )
    .unwrap();
    let future = gbcs_harness::corpus::read_hex_file(
        &folder.join("ECS08_2.1_FUTURE_DATED_SUCCESS_COMMAND_GBCS.HEX"),
    )
    .unwrap();
    rt().block_on(async {
        let url = format!("replay:{}", dir.display());
        let mut t = open(&url, &OpenOptions::default()).unwrap();
        let r = t.exchange(&command, &limits(100)).await.unwrap();
        assert_eq!(r.responses.len(), 1);
        assert_eq!(r.responses[0].frame, response);
        assert!(r.alerts.is_empty());
        // The future-dated variant brings its recorded execution alerts.
        let r = t.exchange(&future, &limits(100)).await.unwrap();
        assert_eq!(r.responses.len(), 1);
        assert!(r.alerts.len() >= 2, "{} alerts", r.alerts.len());

        let e = t
            .exchange(b"\xDF\x09nothing", &limits(100))
            .await
            .unwrap_err();
        assert_clear(&e, "replay:", "no recorded response");
    });
}

/// What a misbehaving test peer does with one connection.
#[derive(Clone, Copy)]
enum Peer {
    /// Reads the length prefix, sends part of a frame, then resets the connection.
    ResetMidFrame,
    /// Reads the command and never answers.
    Silent,
    /// Announces a frame of 4 GiB.
    Huge,
    /// A length prefix announcing 50 bytes, three bytes of garbage, then a clean close.
    ShortThenClose,
    /// Answers each frame with the same bytes (they decode as a command: a "response").
    Echo,
}

fn read_framed(s: &mut TcpStream) -> Option<Vec<u8>> {
    let mut len = [0u8; 4];
    s.read_exact(&mut len).ok()?;
    let mut frame = vec![0u8; u32::from_be_bytes(len) as usize];
    s.read_exact(&mut frame).ok()?;
    Some(frame)
}

/// A listener whose connections behave as `script` says, in order, then echo.
fn misbehaving_peer(script: Vec<Peer>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        let mut script = script.into_iter();
        for conn in listener.incoming() {
            let Ok(mut s) = conn else { return };
            let behaviour = script.next().unwrap_or(Peer::Echo);
            std::thread::spawn(move || match behaviour {
                Peer::ResetMidFrame => {
                    let mut len = [0u8; 4];
                    let _ = s.read_exact(&mut len);
                    let _ = s.write_all(&[0, 0, 0, 50, 0xDD, 0x00]);
                    std::thread::sleep(Duration::from_millis(50));
                    // Closing with the command's body still unread makes the kernel send
                    // a reset instead of a clean close.
                    drop(s);
                }
                Peer::Silent => {
                    let _ = read_framed(&mut s);
                    std::thread::sleep(Duration::from_secs(3));
                }
                Peer::Huge => {
                    let _ = read_framed(&mut s);
                    let _ = s.write_all(&u32::MAX.to_be_bytes());
                    std::thread::sleep(Duration::from_millis(500));
                }
                Peer::ShortThenClose => {
                    let _ = read_framed(&mut s);
                    let _ = s.write_all(&[0, 0, 0, 50, 1, 2, 3]);
                    let _ = s.shutdown(Shutdown::Both);
                }
                Peer::Echo => {
                    while let Some(f) = read_framed(&mut s) {
                        let mut out = (f.len() as u32).to_be_bytes().to_vec();
                        out.extend_from_slice(&f);
                        if s.write_all(&out).is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    addr
}

#[test]
fn tcp_faults_fail_clearly_and_the_transport_reconnects() {
    rt().block_on(async {
        // Connection refused: a port that was just free.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("tcp://127.0.0.1:{port}");
        let mut t = open(&url, &OpenOptions::default()).unwrap();
        let e = t.exchange(b"cmd", &limits(300)).await.unwrap_err();
        assert_clear(&e, &url, "refused");

        let addr = misbehaving_peer(vec![
            Peer::ResetMidFrame,
            Peer::Silent,
            Peer::Huge,
            Peer::ShortThenClose,
        ]);
        let url = format!("tcp://{addr}");
        let mut t = open(&url, &OpenOptions::default()).unwrap();
        let cmd = b"a command body long enough to stay unread".to_vec();
        let l = limits(300);

        let e = t.exchange(&cmd, &l).await.unwrap_err();
        assert!(
            matches!(e, TransportError::Io { .. } | TransportError::Closed { .. }),
            "{e}"
        );
        assert_clear(&e, &url, "");
        let e = t.exchange(&cmd, &l).await.unwrap_err();
        assert_clear(&e, &url, "timeout after 300 ms waiting for a response");
        let e = t.exchange(&cmd, &l).await.unwrap_err();
        assert_clear(&e, &url, "larger than the");
        let e = t.exchange(&cmd, &l).await.unwrap_err();
        assert_clear(&e, &url, "closed the connection inside a frame");

        // An outgoing frame over the limit is refused before it is sent.
        let small = Limits {
            max_frame: 8,
            ..l.clone()
        };
        let e = t.exchange(&cmd, &small).await.unwrap_err();
        assert_clear(&e, &url, "larger than the 8-byte limit");

        // After all that, the same transport reconnects and works.
        let r = t.exchange(&cmd, &l).await.unwrap();
        assert_eq!(
            r.responses[0].frame, cmd,
            "undecodable frames count as responses"
        );
        let r = t.exchange(&cmd, &l).await.unwrap();
        assert_eq!(r.responses.len(), 1);
    });
}

#[test]
fn exec_faults_fail_clearly_and_the_child_is_replaced() {
    let profile = DefaultProfile::generate().unwrap();
    let marker = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("exec-crash-once-{}", std::process::id()));
    let _ = std::fs::remove_file(&marker);
    rt().block_on(async {
        // Crashes on the first start (saying why on stderr), then serves properly.
        let url = format!(
            "exec:sh -c 'if [ -e {m} ]; then exec {BIN} simulate --stdio; else touch {m}; echo boom >&2; exit 3; fi'",
            m = marker.display()
        );
        let mut t = open(&url, &OpenOptions::default()).unwrap();
        let l = limits(5000);
        let e = t.exchange(&command(&profile, 1), &l).await.unwrap_err();
        assert_clear(&e, "exec:sh", "child exited with exit status: 3; stderr: boom");
        assert!(t.stderr().unwrap().contains("boom"));
        let r = t.exchange(&command(&profile, 2), &l).await.unwrap();
        assert_eq!(mac_of(&profile, &r.responses[0].frame), Verdict::Valid);

        // Killed by a signal mid-exchange.
        let mut t = open("exec:sh -c 'head -c 4 >/dev/null; kill -9 $$'", &OpenOptions::default())
            .unwrap();
        let e = t.exchange(b"cmd", &l).await.unwrap_err();
        assert_clear(&e, "exec:sh", "signal: 9");

        // Never answers: a timeout (the child is killed with the transport, not left behind).
        let mut t = open("exec:sleep 30", &OpenOptions::default()).unwrap();
        let started = Instant::now();
        let e = t.exchange(b"cmd", &limits(300)).await.unwrap_err();
        assert_clear(&e, "exec:sleep 30", "timeout after 300 ms");
        assert!(started.elapsed() < Duration::from_secs(10));

        // A command that does not exist.
        let mut t = open("exec:/nonexistent/firmware-host", &OpenOptions::default()).unwrap();
        let e = t.exchange(b"cmd", &l).await.unwrap_err();
        assert_clear(&e, "exec:/nonexistent", "cannot start the child process");
    });
    let _ = std::fs::remove_file(&marker);
}

/// A command the devices discard: the default read with its MAC spoilt.
fn discarded_command(profile: &DefaultProfile, counter: u64) -> Vec<u8> {
    let mut frame = command(profile, counter);
    let last = frame.len() - 1;
    frame[last] ^= 0xFF;
    frame
}

#[test]
fn tcp_and_exec_answer_later_commands_while_an_earlier_one_waits_out_its_silence() {
    use futures::FutureExt as _;

    let profile = DefaultProfile::generate().unwrap();
    let (_server, addr) = start_server(&[]);
    rt().block_on(async {
        for url in [
            format!("tcp://{addr}"),
            format!("exec:{BIN} simulate --stdio"),
        ] {
            let mut t = open(&url, &OpenOptions::default()).unwrap();
            let l = limits(30_000);
            let base = 1_000_000;
            // A child is sent one command at a time until it has answered once (it may
            // still be starting): start it first.
            t.exchange(&command(&profile, base - 1), &l).await.unwrap();
            let mut silent = t
                .submit(&discarded_command(&profile, base), &l)
                .await
                .unwrap();
            // Later commands, each with a higher counter, answered while the first waits.
            let mut answers = Vec::new();
            for counter in base + 1..base + 6 {
                answers.push(t.submit(&command(&profile, counter), &l).await.unwrap());
            }
            for (n, answer) in answers.into_iter().enumerate() {
                let r = answer.await.unwrap();
                assert_eq!(r.responses.len(), 1, "{url}");
                let header = gbcs_harness::codec::decode_frame(&r.responses[0].frame)
                    .unwrap()
                    .header()
                    .clone();
                assert_eq!(
                    header.counter,
                    base + 1 + n as u64,
                    "{url}: matched by counter"
                );
                assert_eq!(mac_of(&profile, &r.responses[0].frame), Verdict::Valid);
            }
            assert!(
                (&mut silent).now_or_never().is_none(),
                "{url}: the discarded command is still waiting out its 30 s"
            );
        }
    });
}

/// A device that answers every command 300 ms late, echoing its counter: the command with
/// its header turned into a response's.
fn late_answering_peer() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut s) = conn else { return };
            std::thread::spawn(move || {
                while let Some(f) = read_framed(&mut s) {
                    let Ok(mut frame) = gbcs_harness::codec::decode_frame(&f) else {
                        return;
                    };
                    let h = &mut frame.general_signing.header;
                    h.cra = gbcs_harness::codec::CraFlag::Response;
                    std::mem::swap(&mut h.originator, &mut h.recipient);
                    let answer = frame.encode();
                    std::thread::sleep(Duration::from_millis(300));
                    let mut out = (answer.len() as u32).to_be_bytes().to_vec();
                    out.extend_from_slice(&answer);
                    if s.write_all(&out).is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

#[test]
fn a_late_answer_is_dropped_not_taken_for_the_next_command() {
    let profile = DefaultProfile::generate().unwrap();
    let addr = late_answering_peer();
    rt().block_on(async {
        let url = format!("tcp://{addr}");
        let mut t = open(&url, &OpenOptions::default()).unwrap();
        let first = t
            .submit(&command(&profile, 2_000_000), &limits(50))
            .await
            .unwrap();
        let second = t
            .submit(&command(&profile, 2_000_001), &limits(5_000))
            .await
            .unwrap();
        let e = first.await.unwrap_err();
        assert_clear(&e, &url, "timeout after 50 ms");
        // The first answer arrives at 300 ms, after its command was given up on.
        let r = second.await.unwrap();
        assert_eq!(r.responses.len(), 1);
        let counter = gbcs_harness::codec::decode_frame(&r.responses[0].frame)
            .unwrap()
            .header()
            .counter;
        assert_eq!(counter, 2_000_001, "the late answer went nowhere");
    });
}
