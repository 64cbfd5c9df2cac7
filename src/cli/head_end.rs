//! `gbcs-harness head-end`: the reference head-end (a minimal DCC User system) that the
//! head-end features are judged against, with fault modes; and `head-end trigger`, the
//! command-line trigger that asks a running head-end to send a service request.
//!
//! - `head-end --listen ADDR [--dcc URL] [--xml-keys DIR] [--gbcs-keys DIR] [--templates DIR]
//!   [--vectors DIR] [--fault NAME]...`: serves `POST /trigger`, `POST /duis` and `GET /inbox`
//!   ([`gbcs_harness::headend`]); the first line on stdout is `head-end listening on
//!   http://IP:PORT (responses to http://IP:PORT/duis)`. Exit 2 when it cannot start.
//! - `head-end --list-faults`: one fault mode per line, its name, two spaces, what it does.
//! - `head-end trigger --url URL --srv SRV [--user EUI] [--device EUI] [--template FILE]`:
//!   prints the head-end's JSON answer; exit 0 when the request was sent, 1 when the head-end
//!   refused (a pre-command it would not sign), 2 for anything else (unreachable, an HTTP
//!   error, not the expected JSON), with one line on stderr whenever the exit is not 0.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};

use gbcs_harness::headend::send::{Outcome, Trigger, TriggerAnswer};
use gbcs_harness::headend::{Fault, HeadEnd, HeadEndConfig};

use super::output::outln;

/// How long `head-end trigger` waits for the head-end's answer.
const TRIGGER_TIMEOUT: Duration = Duration::from_secs(60);
/// The head-end's answer is read up to this size.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct HeadEndArgs {
    #[command(subcommand)]
    command: Option<HeadEndCommand>,
    /// Address to serve on (port 0: any free port; the first line on stdout says which).
    #[arg(long, value_name = "ADDR", required_unless_present = "list_faults")]
    listen: Option<String>,
    /// The DCC's base URL (requests go to URL/api/v1/serviceS|T|D), e.g. http://127.0.0.1:8570;
    /// a trigger naming its own (`dcc_url`) overrides it.
    #[arg(long, value_name = "URL")]
    dcc: Option<String>,
    /// XML-signing key store: the Users' private keys and the DCC's certificates.
    #[arg(long, value_name = "DIR", default_value = "../shared/duis/keystore")]
    xml_keys: PathBuf,
    /// GBCS key store: the Users' digital-signing keys, for pre-commands.
    #[arg(long, value_name = "DIR", default_value = "../shared/rtds/keystore")]
    gbcs_keys: PathBuf,
    /// DUIS request templates (`*_REQUEST_DUIS.XML`).
    #[arg(long, value_name = "DIR", default_value = "../shared/duis/templates")]
    templates: PathBuf,
    /// Golden vectors: what a request means, to check the pre-commands the DCC returns.
    #[arg(long, value_name = "DIR", default_value = "vectors")]
    vectors: PathBuf,
    /// Misbehave in one way (repeatable; see --list-faults).
    #[arg(long = "fault", value_name = "NAME")]
    faults: Vec<Fault>,
    /// List the fault modes, one per line.
    #[arg(long)]
    list_faults: bool,
}

#[derive(Subcommand)]
enum HeadEndCommand {
    /// Ask a running head-end to send a service request (POST /trigger); print its answer.
    Trigger(TriggerArgs),
}

#[derive(Args)]
struct TriggerArgs {
    /// The head-end's base URL, e.g. http://127.0.0.1:8571.
    #[arg(long, value_name = "URL")]
    url: String,
    /// Service reference variant, e.g. 4.1.1.
    #[arg(long, value_name = "SRV")]
    srv: String,
    /// The User sending it (EUI-64; default the template's RequestID originator).
    #[arg(long, value_name = "EUI")]
    user: Option<String>,
    /// The target device (EUI-64; default the template's RequestID target).
    #[arg(long, value_name = "EUI")]
    device: Option<String>,
    /// The request template (default the head-end's first template for the SRV by name).
    #[arg(long, value_name = "FILE")]
    template: Option<PathBuf>,
    /// The DCC's base URL for this request (default the head-end's --dcc).
    #[arg(long, value_name = "URL")]
    dcc_url: Option<String>,
}

pub fn run(args: HeadEndArgs) -> ExitCode {
    if let Some(HeadEndCommand::Trigger(t)) = args.command {
        return trigger(t);
    }
    if args.list_faults {
        for f in Fault::ALL {
            outln!("{}  {}", f.name(), f.description());
        }
        return ExitCode::SUCCESS;
    }
    let Some(listen) = args.listen else {
        eprintln!("error: head-end needs --listen");
        return ExitCode::from(2);
    };
    let dcc = args.dcc;
    let faults = args.faults.iter().copied().collect();
    let config = HeadEndConfig {
        dcc,
        xml_keys: args.xml_keys,
        gbcs_keys: args.gbcs_keys,
        templates: args.templates,
        vectors: args.vectors,
        faults,
    };
    if !config.faults.is_empty() {
        eprintln!("head-end faults: {}", config.faults);
    }
    let runtime = match super::runtime(true) {
        Ok(r) => r,
        Err(code) => return code,
    };
    runtime.block_on(async move {
        let head_end = match HeadEnd::load(config) {
            Ok(h) => h,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
        let listener = match tokio::net::TcpListener::bind(&listen).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: cannot listen on {listen}: {e}");
                return ExitCode::from(2);
            }
        };
        match listener.local_addr() {
            Ok(local) => {
                outln!("head-end listening on http://{local} (responses to http://{local}/duis)")
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
        match head_end.serve(listener).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        }
    })
}

/// `head-end trigger`.
fn trigger(args: TriggerArgs) -> ExitCode {
    // A relative template means the same file to the head-end as here.
    let template = match args.template.map(std::path::absolute).transpose() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: --template: {e}");
            return ExitCode::from(2);
        }
    };
    let body = Trigger {
        srv: args.srv,
        user: args.user,
        device: args.device,
        template,
        dcc_url: args.dcc_url,
    };
    let url = format!("{}/trigger", args.url.trim_end_matches('/'));
    let runtime = match super::runtime(false) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let got = runtime.block_on(post(&url, &body));
    let (status, text) = match got {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {url}: {e}");
            return ExitCode::from(2);
        }
    };
    let shown = text.trim_end();
    if !shown.is_empty() {
        outln!("{shown}");
    }
    if !status.is_success() {
        let error = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_string))
            .unwrap_or_else(|| one_line(&text));
        eprintln!("error: the head-end answered HTTP {status}: {error}");
        return ExitCode::from(2);
    }
    match serde_json::from_str::<TriggerAnswer>(&text) {
        Ok(a) if a.outcome == Outcome::Sent => ExitCode::SUCCESS,
        Ok(a) => {
            eprintln!(
                "refused: {}",
                a.reason.as_deref().unwrap_or("(no reason given)")
            );
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: the head-end's answer is not a trigger answer: {e}");
            ExitCode::from(2)
        }
    }
}

/// POSTs the trigger; the status and body (bounded), within [`TRIGGER_TIMEOUT`].
async fn post(url: &str, body: &Trigger) -> Result<(reqwest::StatusCode, String), String> {
    let json = serde_json::to_string(body).map_err(|e| e.to_string())?;
    let client = reqwest::Client::builder()
        .timeout(TRIGGER_TIMEOUT)
        .build()
        .map_err(|e| e.to_string())?;
    let work = async {
        let mut response = client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(json)
            .send()
            .await
            .map_err(|e| error_chain(&e))?;
        let status = response.status();
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| error_chain(&e))? {
            if bytes.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(format!("answer over {MAX_ANSWER_BYTES} bytes"));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
    };
    tokio::time::timeout(TRIGGER_TIMEOUT, work)
        .await
        .unwrap_or_else(|_| Err(format!("no answer within {} s", TRIGGER_TIMEOUT.as_secs())))
}

/// An error and its causes on one line.
fn error_chain(e: &reqwest::Error) -> String {
    one_line(&gbcs_harness::transport::error_chain(e))
}

fn one_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    line.chars().take(200).collect()
}
