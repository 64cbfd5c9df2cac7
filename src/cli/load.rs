//! `gbcs-harness load`: drives a simulator (or any target speaking the TCP framing with the
//! default profile's identities) with protected read commands from many connections and
//! reports the exchange rate.
//!
//! Every command is a real ECS45 read (supply status), MAC'd with the ACB's key for its
//! device; every response's MAC is checked. The client and the server derive the same keys
//! from the test PKI seed and the device count.

use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use serde::Serialize;

use gbcs_harness::codec::frame::{
    GeneralSigning, GroupingHeader, OtherInformation, SignatureField,
};
use gbcs_harness::codec::{CraFlag, EntityId, MessageCode};
use gbcs_harness::crypto::pki::defaults;
use gbcs_harness::crypto::protect;
use gbcs_harness::inspect::{Inspector, Verdict};
use gbcs_harness::sim::profile::DefaultProfile;
use gbcs_harness::transport::framing::{read_frame, write_frame, DEFAULT_MAX_FRAME};

#[derive(Args)]
pub struct LoadArgs {
    /// host:port of a `simulate --listen --devices N` server.
    #[arg(long, value_name = "ADDR")]
    target: String,
    /// Extra ESMEs in the server's profile (the same N as its --devices).
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    devices: u64,
    /// Concurrent connections.
    #[arg(long, value_name = "N", default_value_t = 8)]
    connections: usize,
    /// Commands to send in all.
    #[arg(long, value_name = "N", default_value_t = 20_000)]
    requests: u64,
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

/// ECS45 read of supply status (get IC 70 0-0:96.3.10.255 attribute 3).
fn read_supply_status(device: EntityId, counter: u64) -> GeneralSigning {
    let content = gbcs_harness::codec::dlms::read_supply_status(counter);
    GeneralSigning {
        header: GroupingHeader {
            cra: CraFlag::Command,
            counter,
            originator: defaults::SUPPLIER,
            recipient: device,
            date_time: None,
            other_information: OtherInformation::MessageCode {
                message_code: MessageCode::ECS45,
            },
        },
        content: content.into(),
        content_offset: 0,
        signature: SignatureField::Null,
    }
}

/// One connection's share of the load: takes request numbers from `next` until `requests`
/// are claimed, sends each as a MAC'd ECS45 read and checks the response's MAC. A function
/// of its own (rather than inline in `run`) so the connection loop reads on its own.
/// Returns (responses, valid MACs, failures, summed latency).
async fn drive_connection(
    profile: Arc<DefaultProfile>,
    next: Arc<AtomicU64>,
    target: String,
    devices: u64,
    requests: u64,
    counter_base: u64,
) -> Result<(u64, u64, u64, Duration), std::io::Error> {
    let mut stream = tokio::net::TcpStream::connect(&target).await?;
    stream.set_nodelay(true)?;
    let inspector = Inspector::new(profile.keys(), Some(profile.acb()));
    let (mut ok, mut macs, mut failures, mut latency) = (0u64, 0u64, 0u64, Duration::ZERO);
    loop {
        let n = next.fetch_add(1, Ordering::Relaxed);
        if n >= requests {
            break;
        }
        let device = profile
            .extra_esmes()
            .get((n % devices) as usize)
            .copied()
            .unwrap_or(defaults::ESME);
        let gs = read_supply_status(device, counter_base + n);
        let Ok(frame) = protect::wrap_with_mac(profile.keys(), Some(profile.acb()), gs) else {
            failures += 1;
            continue;
        };
        let sent = Instant::now();
        write_frame(&mut stream, &frame.encode()).await?;
        match tokio::time::timeout(
            Duration::from_secs(10),
            read_frame(&mut stream, DEFAULT_MAX_FRAME),
        )
        .await
        {
            Ok(Ok(Some(response))) => {
                latency += sent.elapsed();
                ok += 1;
                match inspector.inspect(&response) {
                    Ok(i) if i.checks.mac == Verdict::Valid => macs += 1,
                    _ => failures += 1,
                }
            }
            _ => {
                failures += 1;
                break;
            }
        }
    }
    Ok((ok, macs, failures, latency))
}

pub fn run(args: LoadArgs) -> ExitCode {
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
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let next = Arc::new(AtomicU64::new(0));
    // Counters must rise across runs too (the devices refuse replays): start from the clock
    // in microseconds, which no earlier run against the same server can have reached.
    let counter_base = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_micros() as u64);
    let t0 = Instant::now();
    let results = runtime.block_on(async {
        let mut tasks = Vec::new();
        for _ in 0..args.connections {
            let profile = profile.clone();
            let next = next.clone();
            let target = args.target.clone();
            let (devices, requests) = (args.devices.max(1), args.requests);
            tasks.push(tokio::spawn(drive_connection(
                profile,
                next,
                target,
                devices,
                requests,
                counter_base,
            )));
        }
        let mut totals = (0u64, 0u64, 0u64, Duration::ZERO);
        for t in tasks {
            match t.await {
                Ok(Ok((ok, macs, failures, latency))) => {
                    totals.0 += ok;
                    totals.1 += macs;
                    totals.2 += failures;
                    totals.3 += latency;
                }
                Ok(Err(e)) => {
                    eprintln!("connection failed: {e}");
                    totals.2 += 1;
                }
                Err(e) => {
                    eprintln!("connection task failed: {e}");
                    totals.2 += 1;
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
        responses: results.0,
        macs_valid: results.1,
        failures: results.2,
        elapsed_s: (elapsed * 1000.0).round() / 1000.0,
        exchanges_per_s: (results.0 as f64 / elapsed).round(),
        mean_latency_us: if results.0 > 0 {
            (results.3.as_secs_f64() * 1e6 / results.0 as f64).round()
        } else {
            0.0
        },
    };
    println!("{}", serde_json::to_string(&summary).unwrap_or_default());
    if summary.failures == 0 && summary.responses == args.requests {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
