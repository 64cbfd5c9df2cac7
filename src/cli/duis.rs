//! `gbcs-harness duis sign|verify|validate`: what the DCC Boxed signing tool does, for Users
//! preparing or checking DUIS documents by hand.
//!
//! - `sign FILE... --keys DIR [--counter keep|now] [--out DIR | --in-place]`: checks each
//!   request against the DUIS model, optionally sets its RequestID counter from the clock (ms
//!   since 1970, strictly increasing across the files of one run, as the signing tool does),
//!   and signs it with the XML-signing key of its RequestID originator (any placeholder
//!   signature is replaced). One FILE without `--out`/`--in-place` is written to standard
//!   output; otherwise one line per file says where it went.
//! - `verify FILE... --keys DIR`: one line per file, `ok FILE signed by <EUI> (<issuer>,
//!   serial <n>)` or `FAIL FILE: <reason>`. A request signed by another EUI than its RequestID
//!   originator fails.
//! - `validate FILE...`: one line per file, `ok FILE (request|response)` or `FAIL FILE:` and
//!   every problem found.
//!
//! Exit status: 0 when every file passes, 1 when any fails, 2 on a usage error (bad options,
//! an unreadable key store). A file larger than `duis::xml::MAX_DOCUMENT_BYTES` (1 MiB) fails
//! alone, unread.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::{Args, Subcommand, ValueEnum};

use gbcs_harness::duis::keys::XmlKeyStore;
use gbcs_harness::duis::request::Request;
use gbcs_harness::duis::request_id::format_eui;
use gbcs_harness::duis::signature;
use gbcs_harness::duis::validate::{validate, DocumentKind};
use gbcs_harness::duis::xml::{self, Document, MAX_DOCUMENT_BYTES, SR_NS};

use super::output::{self, OutputError, Stdout};

#[derive(Args)]
pub struct DuisArgs {
    #[command(subcommand)]
    command: DuisCommand,
}

#[derive(Subcommand)]
enum DuisCommand {
    /// Sign DUIS requests as their RequestID originator (XML-DSig, the DUIS profile).
    Sign(SignArgs),
    /// Verify the XML signature of DUIS documents and say who signed each.
    Verify(VerifyArgs),
    /// Check DUIS documents against the DUIS model; print every problem.
    Validate(ValidateArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum Counter {
    /// Keep the RequestID's counter.
    Keep,
    /// Set it to the clock in milliseconds (strictly increasing across the files).
    Now,
}

#[derive(Args)]
struct SignArgs {
    /// XML-signing key store: `xml-sign-<EUI>-ds.{pem,key}` (and `dsp-xml-sign-...`) files.
    #[arg(long, value_name = "DIR")]
    keys: PathBuf,
    /// What the RequestID counter becomes.
    #[arg(long, value_enum, default_value = "keep")]
    counter: Counter,
    /// Write each signed file into DIR under its own name.
    #[arg(long, value_name = "DIR", conflicts_with = "in_place")]
    out: Option<PathBuf>,
    /// Replace each file by its signed form.
    #[arg(long)]
    in_place: bool,
    /// DUIS request files.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(Args)]
struct VerifyArgs {
    /// Key store holding the signers' certificates (`xml-sign-<EUI>-ds.pem` …).
    #[arg(long, value_name = "DIR")]
    keys: PathBuf,
    /// DUIS documents.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(Args)]
struct ValidateArgs {
    /// DUIS documents.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

pub fn run(args: DuisArgs) -> ExitCode {
    match args.command {
        DuisCommand::Sign(a) => sign(a),
        DuisCommand::Verify(a) => verify(a),
        DuisCommand::Validate(a) => validate_files(a),
    }
}

fn usage(message: impl std::fmt::Display) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "error: {message}");
    ExitCode::from(2)
}

fn load_keys(dir: &Path) -> Result<XmlKeyStore, ExitCode> {
    XmlKeyStore::load(dir).map_err(|e| usage(format_args!("key store {}: {e}", dir.display())))
}

/// Reads and parses a file, refusing more than `MAX_DOCUMENT_BYTES` before reading it all.
fn read_document(path: &Path) -> Result<Document, String> {
    let file = File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_DOCUMENT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(format!(
            "larger than the limit of {MAX_DOCUMENT_BYTES} bytes"
        ));
    }
    xml::parse(&bytes).map_err(|e| format!("not readable XML: {e}"))
}

fn problems_line(problems: &[gbcs_harness::duis::validate::ValidationError]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Signs one file; the signed XML on success.
fn sign_one(
    path: &Path,
    keys: &XmlKeyStore,
    counter: Counter,
    last: &mut u64,
) -> Result<(String, String), String> {
    let mut doc = read_document(path)?;
    if let Err(problems) = validate(&doc) {
        return Err(format!("not valid: {}", problems_line(&problems)));
    }
    let request = Request::from_document(&doc).map_err(|e| format!("not a DUIS request: {e}"))?;
    let mut id = request.header.request_id;
    if let Counter::Now = counter {
        let n = now_ms().max(last.saturating_add(1));
        *last = n;
        id.counter = n;
        let header = doc
            .root
            .child_mut(SR_NS, "Header")
            .and_then(|h| h.child_mut(SR_NS, "RequestID"))
            .ok_or("no sr:Header/sr:RequestID")?;
        header.children = vec![xml::Node::Text(id.to_string())];
    }
    let identity = keys.identity(id.originator).ok_or_else(|| {
        format!(
            "no XML-signing key for the originator {} in the key store",
            format_eui(&id.originator)
        )
    })?;
    signature::sign(&mut doc, identity).map_err(|e| format!("cannot sign: {e}"))?;
    Ok((doc.to_xml(), format_eui(&id.originator)))
}

fn sign(args: SignArgs) -> ExitCode {
    if args.out.is_none() && !args.in_place && args.files.len() > 1 {
        return usage("several files need --out DIR or --in-place");
    }
    let keys = match load_keys(&args.keys) {
        Ok(k) => k,
        Err(code) => return code,
    };
    if let Some(dir) = &args.out {
        if let Err(e) = std::fs::create_dir_all(dir) {
            return usage(format_args!("--out {}: {e}", dir.display()));
        }
    }
    let to_stdout = args.out.is_none() && !args.in_place;
    output::with_stdout(|out| {
        let mut failed = false;
        let mut last = 0u64;
        for path in &args.files {
            let shown = path.display();
            let result = sign_one(path, &keys, args.counter, &mut last).and_then(|(xml, eui)| {
                if to_stdout {
                    return Ok((xml, eui, None));
                }
                let target = match &args.out {
                    Some(dir) => dir.join(path.file_name().unwrap_or(path.as_os_str())),
                    None => path.clone(),
                };
                std::fs::write(&target, &xml)
                    .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
                Ok((xml, eui, Some(target)))
            });
            match result {
                Ok((xml, _, None)) => out.text(xml)?,
                Ok((_, eui, Some(target))) => out.line(format_args!(
                    "signed {shown} as {eui} -> {}",
                    target.display()
                ))?,
                Err(reason) => {
                    failed = true;
                    let line = format!("FAIL {shown}: {reason}");
                    if to_stdout {
                        let _ = writeln!(std::io::stderr(), "{line}");
                    } else {
                        out.line(line)?;
                    }
                }
            }
        }
        Ok(exit(failed))
    })
}

fn exit(failed: bool) -> ExitCode {
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn verify_one(path: &Path, keys: &XmlKeyStore) -> Result<String, String> {
    let doc = read_document(path)?;
    let signer = signature::verify(&doc, keys).map_err(|e| e.to_string())?;
    if doc.root.is(SR_NS, "Request") {
        if let (Ok(request), Some(eui)) = (Request::from_document(&doc), signer.eui) {
            let originator = request.header.request_id.originator;
            if eui != originator {
                return Err(format!(
                    "signed by {}, not by the request's originator {}",
                    format_eui(&eui),
                    format_eui(&originator)
                ));
            }
        }
    }
    let who = signer
        .eui
        .map(|e| format_eui(&e))
        .unwrap_or_else(|| "an unknown EUI".to_string());
    Ok(format!(
        "signed by {who} ({}, serial {})",
        signer.issuer, signer.serial
    ))
}

fn verify(args: VerifyArgs) -> ExitCode {
    let keys = match load_keys(&args.keys) {
        Ok(k) => k,
        Err(code) => return code,
    };
    each_file(&args.files, |path| verify_one(path, &keys))
}

fn validate_files(args: ValidateArgs) -> ExitCode {
    each_file(&args.files, |path| {
        let doc = read_document(path)?;
        match validate(&doc) {
            Ok(DocumentKind::Request) => Ok("(request)".to_string()),
            Ok(DocumentKind::Response) => Ok("(response)".to_string()),
            Err(problems) => Err(problems_line(&problems)),
        }
    })
}

/// One line per file, `ok FILE what` or `FAIL FILE: why`; exit 1 when any fails.
fn each_file(files: &[PathBuf], check: impl Fn(&Path) -> Result<String, String>) -> ExitCode {
    output::with_stdout(|out: &mut Stdout| -> Result<ExitCode, OutputError> {
        let mut failed = false;
        for path in files {
            match check(path) {
                Ok(what) => out.line(format_args!("ok {} {what}", path.display()))?,
                Err(why) => {
                    failed = true;
                    out.line(format_args!("FAIL {}: {why}", path.display()))?
                }
            }
        }
        Ok(exit(failed))
    })
}
