//! `gbcs-harness load`: drives a simulator (or any target speaking the TCP framing with the
//! default profile's identities) with protected read commands from many connections and
//! reports the exchange rate.
//!
//! Each connection owns a share of the devices and drives them in turn, one command at a time,
//! so every device sees its counters rise in order whatever the mix of devices and
//! connections. Every command is a real ECS45 read (supply status), MAC'd with the ACB's key for its
//! device; every response's MAC is checked. The client and the server derive the same keys
//! from the test PKI seed and the device count.

use super::output::outln;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use serde::Serialize;

use gbcs_harness::command::builder::Command;
use gbcs_harness::crypto::pki::defaults;
use gbcs_harness::inspect::{Inspector, Verdict};
use gbcs_harness::sim::profile::DefaultProfile;
use gbcs_harness::transport::framing::{read_frame, write_frame, DEFAULT_MAX_FRAME};

/// How long one command may wait for its response before the connection gives up.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long connecting (and writing one command) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Args)]
pub struct LoadArgs {
    /// The `simulate --listen --devices N` server: host:port or tcp://host:port.
    #[arg(long, value_name = "ADDR")]
    target: String,
    /// Extra ESMEs in the server's profile (the same N as its --devices).
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    devices: u64,
    /// Concurrent connections; device d is driven by connection d % N only.
    #[arg(long, value_name = "N", default_value_t = 8)]
    connections: usize,
    /// Commands to send in all.
    #[arg(long, value_name = "N", default_value_t = 20_000)]
    requests: u64,
}

/// A `--target` that names no TCP address.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error(
        "--target {0:?}: expected host:port or tcp://host:port (load speaks the TCP framing only)"
    )]
    NotTcp(String),
}

/// The `host:port` of a `--target` given as `host:port` or `tcp://host:port` (the `run`
/// command's URL form), so one address can be pasted into both commands.
pub fn parse_target(target: &str) -> Result<String, TargetError> {
    let bad = || TargetError::NotTcp(target.to_string());
    let addr = match target.strip_prefix("tcp://") {
        Some(rest) => rest.trim_end_matches('/'),
        None if target.contains("://") || target.contains('/') => return Err(bad()),
        None => target,
    };
    let (host, port) = addr.rsplit_once(':').ok_or_else(bad)?;
    if host.is_empty() || host.contains('/') || port.parse::<u16>().is_err() {
        return Err(bad());
    }
    Ok(addr.to_string())
}

#[derive(Serialize)]
struct LoadSummary {
    devices: u64,
    connections: usize,
    requests: u64,
    responses: u64,
    macs_valid: u64,
    failures: u64,
    elapsed_s: f64,
    exchanges_per_s: f64,
    mean_latency_us: f64,
}

/// The request numbers connection `index` of `connections` sends, in order: those of the
/// devices it owns (device d belongs to connection d % connections), request n going to
/// device n % devices. A device's commands therefore travel on one connection, one at a
/// time, in rising counter order: a device refuses a counter at or below the last one it
/// accepted, so commands to one device racing over two connections would be taken for
/// replays.
fn owned_requests(
    index: usize,
    connections: usize,
    devices: u64,
    requests: u64,
) -> impl Iterator<Item = u64> {
    let owned: Vec<u64> = (index as u64..devices)
        .step_by(connections.max(1))
        .collect();
    (0..)
        .map_while(move |round: u64| round.checked_mul(devices).filter(|&b| b < requests))
        .flat_map(move |base| {
            owned
                .clone()
                .into_iter()
                .map(move |d| base + d)
                .filter(move |&n| n < requests)
        })
}

/// What one connection achieved.
#[derive(Default)]
struct Tally {
    responses: u64,
    macs_valid: u64,
    failures: u64,
    latency: Duration,
}

/// One connection's share of the load (see [`owned_requests`]): sends each as a MAC'd ECS45
/// read and checks the response's MAC. A function of its own (rather than inline in `run`)
/// so the connection loop reads on its own.
async fn drive_connection(
    profile: Arc<DefaultProfile>,
    target: String,
    requests: impl Iterator<Item = u64>,
    devices: u64,
    counter_base: u64,
) -> Result<Tally, std::io::Error> {
    let timed_out =
        |what: &str| std::io::Error::new(std::io::ErrorKind::TimedOut, what.to_string());
    let mut stream = tokio::time::timeout(CONNECT_TIMEOUT, tokio::net::TcpStream::connect(&target))
        .await
        .map_err(|_| timed_out("connect timed out"))??;
    stream.set_nodelay(true)?;
    let inspector = Inspector::new(profile.keys(), Some(profile.acb()));
    let mut tally = Tally::default();
    for n in requests {
        let device = profile
            .extra_esmes()
            .get((n % devices) as usize)
            .copied()
            .unwrap_or(defaults::ESME);
        // ECS45, read the supply status, as the runner builds it.
        let built = Command::ecs45()
            .to(device)
            .counter(counter_base + n)
            .build(profile.keys(), Some(profile.acb()));
        let Ok(frame) = built else {
            tally.failures += 1;
            continue;
        };
        let sent = Instant::now();
        tokio::time::timeout(CONNECT_TIMEOUT, write_frame(&mut stream, &frame))
            .await
            .map_err(|_| timed_out("sending a command timed out"))??;
        match tokio::time::timeout(RESPONSE_TIMEOUT, read_frame(&mut stream, DEFAULT_MAX_FRAME))
            .await
        {
            Ok(Ok(Some(response))) => {
                tally.latency += sent.elapsed();
                tally.responses += 1;
                match inspector.inspect(&response) {
                    Ok(i) if i.checks.mac == Verdict::Valid => tally.macs_valid += 1,
                    _ => tally.failures += 1,
                }
            }
            _ => {
                tally.failures += 1;
                break;
            }
        }
    }
    Ok(tally)
}

pub fn run(args: LoadArgs) -> ExitCode {
    let target = match parse_target(&args.target) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if args.connections == 0 {
        eprintln!("error: --connections must be at least 1");
        return ExitCode::from(2);
    }
    let started = Instant::now();
    let profile = match DefaultProfile::scaled(args.devices) {
        Ok(p) => Arc::new(p),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    eprintln!(
        "keys for {} devices derived in {:.1?}",
        args.devices,
        started.elapsed()
    );
    let runtime = match super::runtime(true) {
        Ok(r) => r,
        Err(code) => return code,
    };
    // Counters must rise across runs too (the devices refuse replays): start from the clock
    // in microseconds, which no earlier run against the same server can have reached.
    let counter_base = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_micros() as u64);
    let devices = args.devices.max(1);
    let t0 = Instant::now();
    let results = runtime.block_on(async {
        let mut tasks = Vec::new();
        for index in 0..args.connections {
            let requests = owned_requests(index, args.connections, devices, args.requests);
            tasks.push(tokio::spawn(drive_connection(
                profile.clone(),
                target.clone(),
                requests,
                devices,
                counter_base,
            )));
        }
        let mut totals = Tally::default();
        for t in tasks {
            match t.await {
                Ok(Ok(tally)) => {
                    totals.responses += tally.responses;
                    totals.macs_valid += tally.macs_valid;
                    totals.failures += tally.failures;
                    totals.latency += tally.latency;
                }
                Ok(Err(e)) => {
                    eprintln!("connection failed: {e}");
                    totals.failures += 1;
                }
                Err(e) => {
                    eprintln!("connection task failed: {e}");
                    totals.failures += 1;
                }
            }
        }
        totals
    });
    let elapsed = t0.elapsed().as_secs_f64();
    let summary = LoadSummary {
        devices: args.devices,
        connections: args.connections,
        requests: args.requests,
        responses: results.responses,
        macs_valid: results.macs_valid,
        failures: results.failures,
        elapsed_s: (elapsed * 1000.0).round() / 1000.0,
        exchanges_per_s: (results.responses as f64 / elapsed).round(),
        mean_latency_us: if results.responses > 0 {
            (results.latency.as_secs_f64() * 1e6 / results.responses as f64).round()
        } else {
            0.0
        },
    };
    outln!("{}", serde_json::to_string(&summary).unwrap_or_default());
    if summary.failures == 0 && summary.responses == args.requests {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_device_belongs_to_one_connection_and_its_requests_stay_in_order() {
        let (connections, devices, requests) = (3usize, 4u64, 19u64);
        let mut seen = Vec::new();
        for c in 0..connections {
            let mine: Vec<u64> = owned_requests(c, connections, devices, requests).collect();
            assert!(mine.windows(2).all(|w| w[0] < w[1]), "{mine:?}");
            assert!(
                mine.iter()
                    .all(|n| (n % devices) as usize % connections == c),
                "{mine:?}"
            );
            seen.extend(mine);
        }
        seen.sort_unstable();
        assert_eq!(seen, (0..requests).collect::<Vec<_>>());
        // More connections than devices: the spare ones get nothing.
        assert_eq!(owned_requests(5, 8, 4, 100).count(), 0);
    }

    #[test]
    fn targets_are_host_port_or_tcp_urls() {
        assert_eq!(parse_target("127.0.0.1:4059").unwrap(), "127.0.0.1:4059");
        assert_eq!(
            parse_target("tcp://localhost:4059/").unwrap(),
            "localhost:4059"
        );
        assert_eq!(parse_target("tcp://[::1]:4059").unwrap(), "[::1]:4059");
        for bad in [
            "http://h:1",
            "h",
            "tcp://h",
            "tcp://:1",
            "h:port",
            "h:1/x",
            "exec:x",
        ] {
            let e = parse_target(bad).unwrap_err().to_string();
            assert!(
                e.contains("expected host:port or tcp://host:port"),
                "{bad}: {e}"
            );
        }
    }
}
