//! `gbcs-harness init DIR`: the first step of testing one's own device. Writes a commented
//! device profile (target, entity ids, where the keys come from, capabilities), checks what
//! it can (the profile loads, every remote party can sign, every device has a certificate,
//! the target answers) and prints the command to run next.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use gbcs_harness::command::identities::{DeviceKind, Identities, Party};
use gbcs_harness::crypto::{KeyStore, KeyUsage};
use gbcs_harness::runner::profile::{DutProfile, ResolvedProfile};

/// The file `init` writes in DIR.
pub const PROFILE_FILE: &str = "device.toml";

/// The Smart DCC Reference Test Data Set identities: the ids the ZAZ1 key store's remote
/// parties and `simulate --keys` devices use.
const RTDS_DEVICES: [(&str, &str); 7] = [
    ("esme", "00DB1234567890A0"),
    ("gsme", "00DB1234567890A1"),
    ("comms-hub", "00DB1234567890A2"),
    ("gpf", "00DB1234567890A3"),
    ("ppmid", "00DB1234567890A4"),
    ("hcalcs", "00DB1234567890A5"),
    ("load-controlled-esme", "00DB1234567890A6"),
];
const RTDS_PARTIES: [(&str, &str); 8] = [
    ("import-supplier", "90B3D51F30010000"),
    ("gas-supplier", "90B3D51F30030000"),
    ("network-operator", "90B3D51F30020000"),
    ("access-control-broker", "90B3D51F30000002"),
    ("recovery", "90B3D51F30000001"),
    ("transitional-cos", "90B3D51F30000004"),
    ("wan-provider", "90B3D51F30000007"),
    ("load-controller", "90B3D51F30010008"),
];

const EXIT_CODES: &str = "\
Exit status:
  0    the profile was written and every check passed
  1    the profile was written, but a check failed (each failure is one line)
  2    nothing was written (DIR already holds a profile, or cannot be written)";

#[derive(Args)]
#[command(after_help = EXIT_CODES)]
pub struct InitArgs {
    /// The folder for the profile (device.toml) and the run's reports; created if needed.
    dir: PathBuf,
    /// How the harness reaches the device: tcp://HOST:PORT (4-byte length + frame),
    /// exec:CMD ARGS (the same framing on stdin/stdout), http(s)://HOST/PATH.
    #[arg(long, default_value = "tcp://127.0.0.1:4059")]
    target: String,
    /// The remote parties' key store (`<eui>-{ds,ka}.{pem,key}`): your own PKI, or the
    /// RTDS ZAZ1 store. With it the profile takes the RTDS ids (edit them to yours);
    /// without it, the built-in test PKI and ids of `simulate --listen`.
    #[arg(long, value_name = "DIR")]
    keys: Option<PathBuf>,
    /// Your device certificates (`<eui>-ds.pem`, `<eui>-ka.pem`), e.g. what
    /// `simulate --keys DIR --publish-keys CERTS` wrote.
    #[arg(long, value_name = "DIR")]
    device_certs: Option<PathBuf>,
    /// Replace a profile already in DIR.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, thiserror::Error)]
enum InitError {
    #[error("{0} already exists (--force replaces it)")]
    Exists(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

pub fn run(args: InitArgs) -> ExitCode {
    let profile = args.dir.join(PROFILE_FILE);
    match write_profile(&args, &profile) {
        Ok(()) => println!("wrote {}", profile.display()),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    let problems = check(&profile);
    for p in &problems {
        println!("check failed: {p}");
    }
    if problems.is_empty() {
        println!("checks passed: the profile loads, every remote party can sign, every device has a certificate, the target answers");
    }
    let dir = args.dir.display();
    println!(
        "next: gbcs-harness run --profile {} --junit {dir}/junit.xml --json {dir}/summary.json",
        profile.display()
    );
    if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> InitError + '_ {
    move |source| InitError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn write_profile(args: &InitArgs, profile: &Path) -> Result<(), InitError> {
    if profile.exists() && !args.force {
        return Err(InitError::Exists(profile.display().to_string()));
    }
    std::fs::create_dir_all(&args.dir).map_err(io_error(&args.dir))?;
    let certs = match &args.device_certs {
        Some(d) => certificate_files(d)?,
        None => Vec::new(),
    };
    let text = profile_text(args, &certs);
    std::fs::write(profile, text).map_err(io_error(profile))
}

/// The PEM files of a certificate folder, named as a key store names them.
fn certificate_files(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io_error(dir))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with("-ds.pem") || n.ends_with("-ka.pem"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// A path as the profile writes it: absolute, so the profile works from any folder.
fn absolute(p: &Path) -> String {
    p.canonicalize()
        .or_else(|_| std::path::absolute(p))
        .unwrap_or_else(|_| p.to_path_buf())
        .display()
        .to_string()
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn profile_text(args: &InitArgs, certs: &[PathBuf]) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# The device under test, for `gbcs-harness run --profile {PROFILE_FILE}` (written by\n\
         # `gbcs-harness init`). Relative paths are relative to this file. Every key is\n\
         # described in README.md, \"Device-under-test profile\".\n"
    );
    let _ = writeln!(t, "name = \"my device\"");
    let _ = writeln!(
        t,
        "\n# How the harness reaches the device: tcp://HOST:PORT (a 4-byte big-endian length,\n\
         # then the GBCS frame, both ways), exec:CMD ARGS (the same framing on the program's\n\
         # stdin/stdout) or http(s)://HOST/PATH (a head-end test API). `run` tries it once\n\
         # before any scenario.\ntarget = {}",
        // A relative exec:/replay:/reference: path was typed relative to the working folder;
        // in the profile it would be relative to the profile, so it is written absolute.
        quoted(
            &std::env::current_dir()
                .ok()
                .and_then(
                    |cwd| gbcs_harness::runner::profile::resolve_target(&args.target, &cwd).ok()
                )
                .unwrap_or_else(|| args.target.clone())
        )
    );
    let _ = writeln!(
        t,
        "# Scenarios in flight at once: answers are matched to commands by originator and\n\
         # counter. 1 runs one scenario at a time (a device that cannot overlap).\nconcurrency = 4"
    );
    let _ = writeln!(
        t,
        "\n[timeouts]\nconnect_s = 5\n# How long each command waits for its response.\nresponse_s = 10\n\
         # The whole run stops here; scenarios it cuts are reported as not run.\nrun_deadline_s = 3600"
    );
    write_keys(&mut t, args, certs);
    write_ids(&mut t, args.keys.is_some());
    let devices: Vec<String> = DeviceKind::ALL.iter().map(|d| quoted(d.tag())).collect();
    let _ = writeln!(
        t,
        "\n# What the device is and can do: a scenario needing anything else is reported as not\n\
         # applicable, with the reason. Remove the device types you do not make. Optional\n\
         # functions: prepayment, twin-element, device-state-errors, device-history,\n\
         # device-events, recordings (see `src/runner/capabilities.rs`).\n\
         [capabilities]\ndevices = [{}]\nfunctions = [\"prepayment\"]",
        devices.join(", ")
    );
    t
}

fn write_keys(t: &mut String, args: &InitArgs, certs: &[PathBuf]) {
    let _ = writeln!(
        t,
        "\n# Key material. The harness signs and MACs as the remote parties, so it needs their\n\
         # private keys (`<eui>-ds.key`, `<eui>-ka.key`), and it checks the device's signatures,\n\
         # so it needs the device certificates (`<eui>-ds.pem`, `<eui>-ka.pem`). Your device\n\
         # must trust the remote parties' certificates (load them into it as you would on a\n\
         # real network)."
    );
    match &args.keys {
        None => {
            let _ = writeln!(
                t,
                "# No [keys]: the built-in test PKI of `gbcs-harness simulate --listen`, whose\n\
                 # ids are below. For your own PKI, give a key store folder:\n\
                 # [keys]\n# store = \"keys\"\n# files = [\"certs/00db1234567890a0-ds.pem\"]"
            );
        }
        Some(store) => {
            let _ = writeln!(
                t,
                "[keys]\n# The remote parties' keys (and any certificates) as a key-store folder.\nstore = {}",
                quoted(&absolute(store))
            );
            if !certs.is_empty() {
                let files: Vec<String> = certs.iter().map(|f| quoted(&absolute(f))).collect();
                let _ = writeln!(
                    t,
                    "# The device certificates (e.g. from `simulate --keys DIR --publish-keys CERTS`).\nfiles = [\n    {},\n]",
                    files.join(",\n    ")
                );
            }
        }
    }
}

/// `key = "id"` lines of a profile table.
type Ids = Vec<(String, String)>;

fn write_ids(t: &mut String, rtds: bool) {
    let (devices, parties): (Ids, Ids) = if rtds {
        (
            RTDS_DEVICES
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            RTDS_PARTIES
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    } else {
        let lab = Identities::default_lab();
        (
            lab.devices
                .iter()
                .map(|(k, v)| (k.tag().to_string(), hex_id(*v)))
                .collect(),
            Party::ALL
                .iter()
                .filter_map(|p| {
                    lab.parties
                        .get(p)
                        .map(|id| (p.key().to_string(), hex_id(*id)))
                })
                .collect(),
        )
    };
    let _ = writeln!(
        t,
        "\n# Your devices' entity ids (EUI-64, 16 hex digits), by type.\n[devices]"
    );
    for (k, v) in devices {
        let _ = writeln!(t, "{k} = \"{v}\"");
    }
    let _ = writeln!(
        t,
        "\n# The remote parties the harness plays. Each needs its digital-signature private key\n\
         # in [keys]: the profile is refused when it loads otherwise.\n[remote_parties]"
    );
    for (k, v) in parties {
        let _ = writeln!(t, "{k} = \"{v}\"");
    }
}

fn hex_id(id: gbcs_harness::codec::EntityId) -> String {
    hex::encode_upper(id.as_bytes())
}

/// Every check that fails, one line each.
fn check(profile: &Path) -> Vec<String> {
    let resolved = match DutProfile::load(profile) {
        Ok(r) => r,
        Err(e) => return vec![e.to_string()],
    };
    let mut problems = missing_certificates(&resolved);
    if let Some(target) = &resolved.target {
        if let Err(e) = reach(target, &resolved) {
            problems.push(e);
        }
    }
    problems
}

/// Devices whose signatures the harness could not check.
fn missing_certificates(r: &ResolvedProfile) -> Vec<String> {
    let keys: &KeyStore = &r.lab.keys;
    let capable = &r.lab.capabilities.devices;
    r.lab
        .identities
        .devices
        .iter()
        .filter(|(kind, _)| capable.contains(kind.tag()))
        .filter(|(_, id)| !keys.has_public(**id, KeyUsage::DigitalSignature))
        .map(|(kind, id)| {
            format!(
                "{} ({}): no certificate ({}) in the profile's keys: its signed responses cannot be checked (--device-certs, or [keys] files)",
                kind.tag(),
                hex_id(*id),
                KeyStore::file_name(*id, KeyUsage::DigitalSignature, false)
            )
        })
        .collect()
}

fn reach(target: &str, r: &ResolvedProfile) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    rt.block_on(gbcs_harness::runner::run::check_target(
        target,
        r.limits.connect_timeout,
    ))
    .map_err(|e| e.to_string())
}
