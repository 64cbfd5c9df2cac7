//! `gbcs-harness decode`: decode, verify and decrypt GBCS messages.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use serde::Serialize;
use serde_json::json;

use gbcs_harness::codec::ids::EntityId;
use gbcs_harness::crypto::KeyStore;
use gbcs_harness::inspect::{Inspection, Inspector, Verdict};

use super::inputs::{self, Input};
use super::output::{self, OutputError, Stdout};
use super::text;

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// One JSON document per message, one per line.
    Json,
    /// An indented, readable form.
    Text,
}

#[derive(Args)]
pub struct DecodeArgs {
    /// Key store folder of `<eui>[-pp]-{ds,ka}.{pem,key}` files.
    #[arg(long, value_name = "DIR")]
    keys: Option<PathBuf>,
    /// Access control broker whose key MACs commands (default: the store's one ACB certificate).
    #[arg(long, value_name = "EUI")]
    acb: Option<EntityId>,
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// Print only one final JSON line of counts instead of each message.
    #[arg(long)]
    summary: bool,
    /// Files, folders (searched for *.HEX), hex strings, or `-` for hex lines on stdin. Each
    /// message is at most 1 MiB of hex; a longer file or line fails alone. Output stops
    /// quietly (exit 0) when its reader closes the pipe.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<String>,
}

#[derive(Default, Serialize)]
struct Summary {
    messages: usize,
    decoded: usize,
    failed: usize,
    signatures_valid: usize,
    signatures_invalid: usize,
    signatures_unverifiable: usize,
    macs_valid: usize,
    macs_invalid: usize,
    macs_unverifiable: usize,
    blocks_decrypted: usize,
    blocks_failed: usize,
    utrns_valid: usize,
    utrns_invalid: usize,
    roundtrip_identical: usize,
    elapsed_ms: f64,
    us_per_message: f64,
    /// Why each failed input failed (the first [`MAX_LISTED_FAILURES`]).
    failures: Vec<FailedInput>,
    /// Failed inputs beyond the listed ones.
    #[serde(skip_serializing_if = "is_zero")]
    failures_not_listed: usize,
}

/// How many failed inputs `--summary` names; the rest are counted.
const MAX_LISTED_FAILURES: usize = 1000;

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// One input that did not decode, and why.
#[derive(Serialize)]
struct FailedInput {
    input: String,
    reason: String,
}

impl Summary {
    /// Counts a failed input, listing it while the list has room.
    fn fail(&mut self, input: &str, reason: String) {
        self.failed += 1;
        if self.failures.len() < MAX_LISTED_FAILURES {
            self.failures.push(FailedInput {
                input: input.to_string(),
                reason,
            });
        } else {
            self.failures_not_listed += 1;
        }
    }

    /// Counts one input; the reason it failed, if it did.
    fn count(&mut self, input: &str, result: &Result<Inspection, String>) -> Option<String> {
        self.messages += 1;
        let i = match result {
            Ok(i) => i,
            Err(e) => {
                self.fail(input, e.clone());
                return Some(e.clone());
            }
        };
        let failed = match &i.message.payload {
            Ok(_) => {
                self.decoded += 1;
                None
            }
            Err(e) => {
                let reason = format!("payload: {e}");
                self.fail(input, reason.clone());
                Some(reason)
            }
        };
        match i.checks.signature {
            Verdict::Valid => self.signatures_valid += 1,
            Verdict::Invalid => self.signatures_invalid += 1,
            Verdict::Unverifiable { .. } => self.signatures_unverifiable += 1,
            Verdict::NotPresent => {}
        }
        match i.checks.mac {
            Verdict::Valid => self.macs_valid += 1,
            Verdict::Invalid => self.macs_invalid += 1,
            Verdict::Unverifiable { .. } => self.macs_unverifiable += 1,
            Verdict::NotPresent => {}
        }
        self.blocks_decrypted += i.checks.decryption.decrypted;
        self.blocks_failed += i.checks.decryption.authentication_failed;
        match i.checks.utrn.as_ref().map(|u| &u.verdict) {
            Some(Verdict::Valid) => self.utrns_valid += 1,
            Some(Verdict::Invalid) => self.utrns_invalid += 1,
            _ => {}
        }
        if i.checks.roundtrip_identical {
            self.roundtrip_identical += 1;
        }
        failed
    }

    fn all_good(&self) -> bool {
        self.failed == 0
            && self.signatures_invalid == 0
            && self.macs_invalid == 0
            && self.blocks_failed == 0
            && self.utrns_invalid == 0
            && self.roundtrip_identical == self.messages
    }
}

pub fn run(args: DecodeArgs) -> ExitCode {
    let keys = match &args.keys {
        None => KeyStore::new(),
        Some(dir) => match KeyStore::load_dir(dir) {
            Ok(k) => k,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let inspector = Inspector::new(&keys, args.acb);
    output::with_stdout(|out| {
        let mut summary = Summary::default();
        // Decoding time only: reading and printing are not the decoder's.
        let mut decoding = Duration::ZERO;
        inputs::each(&args.inputs, |input| {
            let result = match &input.bytes {
                Ok(bytes) => {
                    let started = Instant::now();
                    let result = inspector.inspect(bytes).map_err(|e| e.to_string());
                    decoding += started.elapsed();
                    result
                }
                Err(e) => Err(e.to_string()),
            };
            let failed = summary.count(&input.source, &result);
            if args.summary {
                if let Some(reason) = failed {
                    eprintln!("failed: {}: {reason}", input.source);
                }
                Ok(())
            } else {
                print_message(out, args.format, &input, &result)
            }
        })?;
        summary.elapsed_ms = (decoding.as_secs_f64() * 1e3 * 1000.0).round() / 1000.0;
        if summary.messages > 0 {
            summary.us_per_message =
                (decoding.as_secs_f64() * 1e6 / summary.messages as f64 * 100.0).round() / 100.0;
        }
        if args.summary {
            out.line(serde_json::to_string(&summary).unwrap_or_default())?;
        }
        Ok(if summary.all_good() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    })
}

fn print_message(
    out: &mut Stdout,
    format: Format,
    input: &Input,
    result: &Result<Inspection, String>,
) -> Result<(), OutputError> {
    let length = input.bytes.as_ref().map(Vec::len).ok();
    let value = match result {
        Ok(i) => {
            let mut v =
                serde_json::to_value(i).unwrap_or_else(|e| json!({ "error": e.to_string() }));
            if let Some(obj) = v.as_object_mut() {
                let mut head = serde_json::Map::new();
                head.insert("source".into(), json!(input.source));
                head.insert("length".into(), json!(length));
                head.append(obj);
                v = serde_json::Value::Object(head);
            }
            v
        }
        Err(e) => json!({ "source": input.source, "length": length, "error": e }),
    };
    match format {
        Format::Json => out.line(serde_json::to_string(&value).unwrap_or_default()),
        Format::Text => {
            out.line(format_args!("== {}", input.source))?;
            out.text(text::render(&value))?;
            out.line("")
        }
    }
}
