//! `simulate --listen` against peers that hold connections open: thousands of idle sockets
//! under a low open-file limit, a limit lowered while it runs, connections that fall silent,
//! more connections than `--max-connections`. The server stays up and a client with a real
//! command always gets through.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gbcs_harness::inspect::{Inspector, Verdict};
use gbcs_harness::sim::profile::DefaultProfile;

mod common;
use common::{command, start_server, Server, BIN};

/// Idle connections opened against the server in the flood test.
const FLOOD: usize = 2000;
/// The server's open-file limit in the flood test.
const SERVER_FILES: u64 = 256;
/// How long a fresh client keeps trying to get an answer.
const GET_THROUGH: Duration = Duration::from_secs(20);

fn send(stream: &mut impl Write, frame: &[u8]) -> std::io::Result<()> {
    let mut buf = (frame.len() as u32).to_be_bytes().to_vec();
    buf.extend_from_slice(frame);
    stream.write_all(&buf)
}

fn receive(stream: &mut impl Read) -> Option<Vec<u8>> {
    let mut len = [0u8; 4];
    stream.read_exact(&mut len).ok()?;
    let mut frame = vec![0u8; u32::from_be_bytes(len) as usize];
    stream.read_exact(&mut frame).ok()?;
    Some(frame)
}

/// One command on `stream`, its response if one arrives within 5 s.
fn exchange(mut stream: &TcpStream, frame: &[u8]) -> Option<Vec<u8>> {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    send(&mut stream, frame).ok()?;
    receive(&mut stream)
}

/// Polls fresh connections until one gets a response with a valid MAC to a real command.
/// Counters rise from `counter` (the device refuses replays).
fn fresh_client_gets_an_answer(addr: &str, counter: &mut u64) {
    let profile = DefaultProfile::generate().unwrap();
    let inspector = Inspector::new(profile.keys(), Some(profile.acb()));
    let deadline = Instant::now() + GET_THROUGH;
    let mut attempts = 0;
    while Instant::now() < deadline {
        attempts += 1;
        *counter += 1;
        let answer = TcpStream::connect(addr)
            .ok()
            .and_then(|s| exchange(&s, &command(&profile, *counter)));
        if let Some(response) = answer {
            let i = inspector.inspect(&response).unwrap();
            assert_eq!(i.checks.mac, Verdict::Valid);
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("no answer on a fresh connection after {attempts} attempts in {GET_THROUGH:?}");
}

/// The soft open-file limit of process `pid` (`self` for this one).
fn open_files_limit(pid: &str) -> (u64, u64) {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .unwrap();
    let mut n = line
        .trim_start_matches("Max open files")
        .split_whitespace()
        .map(|v| v.parse().unwrap_or(u64::MAX));
    (n.next().unwrap(), n.next().unwrap())
}

/// Sets process `pid`'s open-file limits with util-linux `prlimit`.
fn set_open_files_limit(pid: u32, soft: u64, hard: u64) {
    let status = Command::new("prlimit")
        .args([
            "--pid",
            &pid.to_string(),
            &format!("--nofile={soft}:{hard}"),
        ])
        .status()
        .expect("prlimit (util-linux) runs");
    assert!(
        status.success(),
        "prlimit --pid {pid} --nofile={soft}:{hard}"
    );
}

/// Makes room in this test process for `needed` more sockets.
fn room_for(needed: u64) {
    let (soft, hard) = open_files_limit("self");
    let wanted = needed + 256;
    if soft < wanted {
        assert!(
            hard >= wanted,
            "the test needs {wanted} open files; the hard limit is {hard}"
        );
        set_open_files_limit(std::process::id(), wanted, hard);
    }
}

/// Whether the server still holds `s` open (no end of stream waiting to be read).
fn held_open(mut s: &TcpStream) -> bool {
    s.set_nonblocking(true).unwrap();
    let mut byte = [0u8; 1];
    let open = matches!(s.read(&mut byte), Err(e) if e.kind() == ErrorKind::WouldBlock);
    s.set_nonblocking(false).unwrap();
    open
}

fn assert_alive(server: &mut Server) {
    assert!(
        server.0.try_wait().unwrap().is_none(),
        "the server exited: {:?}",
        server.0.try_wait()
    );
}

#[test]
fn two_thousand_idle_connections_under_a_low_file_limit() {
    room_for(FLOOD as u64);
    // The server under a 256-file limit, set by the shell it is started from.
    let mut child = Command::new("sh")
        .args([
            "-c",
            &format!("ulimit -n {SERVER_FILES} && exec \"$0\" \"$@\""),
        ])
        .args([BIN, "simulate", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let mut server = Server(child);
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    let pid = server.0.id().to_string();
    assert_eq!(open_files_limit(&pid).0, SERVER_FILES);

    let target: SocketAddr = addr.parse().unwrap();
    let mut idle = Vec::with_capacity(FLOOD);
    let mut unconnected = 0;
    for _ in 0..FLOOD {
        match TcpStream::connect_timeout(&target, Duration::from_secs(5)) {
            Ok(s) => idle.push(s),
            Err(_) => unconnected += 1,
        }
    }
    eprintln!("{} connected, {unconnected} not", idle.len());
    assert_alive(&mut server);

    // Beyond the limit the server closes connections at once: the ones it holds fit under
    // its file limit.
    let deadline = Instant::now() + GET_THROUGH;
    let mut held = idle.len();
    while Instant::now() < deadline {
        held = idle.iter().filter(|s| held_open(s)).count();
        if held < SERVER_FILES as usize {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!("the server holds {held} of them");
    assert!(held < SERVER_FILES as usize, "{held} connections held");
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .count();
    assert!(fds <= SERVER_FILES as usize, "{fds} open files");

    // With all those still open, a real client gets through, and the server is still up.
    fresh_client_gets_an_answer(&addr, &mut 0);
    assert_alive(&mut server);
    drop(idle);
}

#[test]
fn running_out_of_files_pauses_the_server_rather_than_ending_it() {
    const LOWERED: u64 = 64;
    let log = std::env::temp_dir().join(format!("gbcs-server-limits-{}.err", std::process::id()));
    let mut child = Command::new(BIN)
        .args(["simulate", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let mut server = Server(child);
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    // Lowered after it started: its connection limit (1024) no longer fits, so accepting
    // fails with "too many open files".
    set_open_files_limit(server.0.id(), LOWERED, LOWERED);

    let target: SocketAddr = addr.parse().unwrap();
    let held: Vec<TcpStream> = (0..2 * LOWERED)
        .filter_map(|_| TcpStream::connect_timeout(&target, Duration::from_secs(5)).ok())
        .collect();
    // The accept loop hits the limit; poll its log for the pause.
    let deadline = Instant::now() + GET_THROUGH;
    let mut said = String::new();
    while Instant::now() < deadline && !said.contains("accept failed") {
        std::thread::sleep(Duration::from_millis(100));
        said = std::fs::read_to_string(&log).unwrap_or_default();
    }
    assert!(said.contains("accept failed"), "{said}");
    assert_alive(&mut server);

    // Once the peers let go, it serves again.
    drop(held);
    fresh_client_gets_an_answer(&addr, &mut 0);
    assert_alive(&mut server);
    let _ = std::fs::remove_file(&log);
}

#[test]
fn a_silent_connection_is_closed_after_the_idle_timeout() {
    let profile = DefaultProfile::generate().unwrap();
    let (_server, addr) = start_server(&["--idle-timeout", "1"]);
    let mut s = TcpStream::connect(&addr).unwrap();
    assert!(exchange(&s, &command(&profile, 1)).is_some());
    let silent_from = Instant::now();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut byte = [0u8; 1];
    let read = s.read(&mut byte);
    assert!(matches!(read, Ok(0)), "closed by the server: {read:?}");
    assert!(
        silent_from.elapsed() >= Duration::from_millis(900),
        "not before the timeout: {:?}",
        silent_from.elapsed()
    );
    // The server itself carries on.
    let again = TcpStream::connect(&addr).unwrap();
    assert!(exchange(&again, &command(&profile, 2)).is_some());
}

#[test]
fn no_more_than_max_connections_are_served_and_an_idle_one_gives_way() {
    let profile = DefaultProfile::generate().unwrap();
    let (_server, addr) = start_server(&["--max-connections", "2"]);
    let mut counter = 0u64;
    let mut next = || {
        counter += 1;
        command(&profile, counter)
    };
    let a = TcpStream::connect(&addr).unwrap();
    assert!(exchange(&a, &next()).is_some());
    let b = TcpStream::connect(&addr).unwrap();
    assert!(exchange(&b, &next()).is_some());

    // A third, at the limit: refused, or served in place of an idle one; never all three.
    let c = TcpStream::connect(&addr).unwrap();
    let served = [&a, &b, &c]
        .into_iter()
        .filter(|s| exchange(s, &next()).is_some())
        .count();
    assert!(served <= 2, "{served} connections served at once");
    drop(c);

    // Once a and b have been idle a while, a newcomer takes the idlest one's place.
    let mut counter = 1000;
    fresh_client_gets_an_answer(&addr, &mut counter);
}
