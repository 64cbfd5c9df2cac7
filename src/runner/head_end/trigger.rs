//! How the harness makes a head-end act: the profile's trigger, a command line or an HTTP
//! call, given what to do (service reference variant, User, device, template). The trigger
//! returns when the head-end has done its part (sent its request and, for a critical
//! service, signed or refused the pre-command); what it sent is then in the DCC's journal.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::AsyncReadExt;

/// Output kept from a trigger (stdout, stderr or an HTTP body), at most.
const MAX_OUTPUT: usize = 64 * 1024;

/// The profile's `[head_end.trigger]`: exactly one of `command` and `url`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerSection {
    /// A program and its arguments, with placeholders `{srv}`, `{user}`, `{device}`,
    /// `{template}`, `{dcc_url}`; run once per request, done when it exits (0: it sent).
    pub command: Option<Vec<String>>,
    /// An HTTP endpoint POSTed a JSON object `{srv, user, device, template, dcc_url}`;
    /// done when it answers (2xx: it acted).
    pub url: Option<String>,
}

/// What the head-end is asked to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TriggerRequest {
    /// Service reference variant, e.g. `4.1.1`.
    pub srv: String,
    /// The DCC User (EUI-64, `90-B3-D5-1F-30-01-00-00`).
    pub user: String,
    /// The target device (EUI-64).
    pub device: String,
    /// The request template for the service (absolute path).
    pub template: String,
    /// The DCC's base URL (where the harness serves DUIS).
    pub dcc_url: String,
}

/// A resolved trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger {
    Command { argv: Vec<String>, base: PathBuf },
    Http { url: String },
}

/// What a pull of the trigger gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulled {
    /// The head-end says it acted (exit 0, HTTP 2xx).
    pub acted: bool,
    /// A line saying what came back: exit status or HTTP status.
    pub status: String,
    /// What it printed or answered (bounded).
    pub output: String,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TriggerError {
    #[error("[head_end.trigger] needs exactly one of `command` and `url`")]
    NotOne,
    #[error("[head_end.trigger] command is empty")]
    EmptyCommand,
    #[error("cannot start the trigger {program:?}: {reason}")]
    Start { program: String, reason: String },
    #[error("the trigger did not finish within {0:.0} s (killed)")]
    Timeout(f64),
    #[error("the trigger's HTTP call to {url} failed: {reason}")]
    Http { url: String, reason: String },
}

impl Trigger {
    /// The trigger a profile section names; a relative program path (`./x`) is relative to
    /// `base` (the profile's folder).
    pub fn from_section(s: &TriggerSection, base: &Path) -> Result<Trigger, TriggerError> {
        match (&s.command, &s.url) {
            (Some(argv), None) => {
                if argv.is_empty() || argv[0].trim().is_empty() {
                    return Err(TriggerError::EmptyCommand);
                }
                Ok(Trigger::Command {
                    argv: argv.clone(),
                    base: base.to_path_buf(),
                })
            }
            (None, Some(url)) => Ok(Trigger::Http { url: url.clone() }),
            _ => Err(TriggerError::NotOne),
        }
    }

    /// The arguments with their placeholders filled in.
    fn argv(argv: &[String], base: &Path, r: &TriggerRequest) -> Vec<String> {
        let mut out: Vec<String> = argv
            .iter()
            .map(|a| {
                a.replace("{srv}", &r.srv)
                    .replace("{user}", &r.user)
                    .replace("{device}", &r.device)
                    .replace("{template}", &r.template)
                    .replace("{dcc_url}", &r.dcc_url)
            })
            .collect();
        if out[0].starts_with("./") || out[0].starts_with("../") {
            out[0] = base.join(&out[0]).display().to_string();
        }
        out
    }

    /// Pulls the trigger and waits (at most `timeout`) until the head-end says it is done.
    pub async fn pull(
        &self,
        request: &TriggerRequest,
        timeout: Duration,
        client: &reqwest::Client,
    ) -> Result<Pulled, TriggerError> {
        match self {
            Trigger::Command { argv, base } => {
                run_command(&Self::argv(argv, base, request), timeout).await
            }
            Trigger::Http { url } => {
                let body = serde_json::to_vec(request).map_err(|e| TriggerError::Http {
                    url: url.clone(),
                    reason: e.to_string(),
                })?;
                let call = client
                    .post(url)
                    .header("Content-Type", "application/json")
                    .body(body)
                    .timeout(timeout)
                    .send();
                let http = |reason: String| TriggerError::Http {
                    url: url.clone(),
                    reason,
                };
                let response = call.await.map_err(|e| {
                    if e.is_timeout() {
                        TriggerError::Timeout(timeout.as_secs_f64())
                    } else {
                        http(e.to_string())
                    }
                })?;
                let status = response.status();
                let body = response.bytes().await.map_err(|e| http(e.to_string()))?;
                Ok(Pulled {
                    acted: status.is_success(),
                    status: format!("HTTP {}", status.as_u16()),
                    output: bounded(&body),
                })
            }
        }
    }
}

fn bounded(bytes: &[u8]) -> String {
    let cut = &bytes[..bytes.len().min(MAX_OUTPUT)];
    String::from_utf8_lossy(cut).trim().to_string()
}

async fn run_command(argv: &[String], timeout: Duration) -> Result<Pulled, TriggerError> {
    let mut child = tokio::process::Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| TriggerError::Start {
            program: argv[0].clone(),
            reason: e.to_string(),
        })?;
    let mut out = child.stdout.take().map(|o| o.take(MAX_OUTPUT as u64));
    let mut err = child.stderr.take().map(|e| e.take(MAX_OUTPUT as u64));
    let work = async {
        let (mut o, mut e) = (Vec::new(), Vec::new());
        let read_out = async {
            if let Some(s) = out.as_mut() {
                let _ = s.read_to_end(&mut o).await;
            }
        };
        let read_err = async {
            if let Some(s) = err.as_mut() {
                let _ = s.read_to_end(&mut e).await;
            }
        };
        tokio::join!(read_out, read_err);
        let status = child.wait().await;
        (status, o, e)
    };
    match tokio::time::timeout(timeout, work).await {
        Ok((status, o, e)) => {
            let status = status.map_err(|e| TriggerError::Start {
                program: argv[0].clone(),
                reason: e.to_string(),
            })?;
            let mut output = bounded(&o);
            let stderr = bounded(&e);
            if !stderr.is_empty() {
                output.push_str("\nstderr: ");
                output.push_str(&stderr);
            }
            Ok(Pulled {
                acted: status.success(),
                status: match status.code() {
                    Some(c) => format!("exit {c}"),
                    None => "killed by a signal".into(),
                },
                output,
            })
        }
        Err(_) => Err(TriggerError::Timeout(timeout.as_secs_f64())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> TriggerRequest {
        TriggerRequest {
            srv: "4.1.1".into(),
            user: "90-B3-D5-1F-30-01-00-00".into(),
            device: "00-DB-12-34-56-78-90-A0".into(),
            template: "/t/ECS17b.XML".into(),
            dcc_url: "http://127.0.0.1:1".into(),
        }
    }

    #[test]
    fn a_trigger_is_a_command_or_a_url() {
        let base = Path::new("/profiles");
        let cmd = TriggerSection {
            command: Some(vec![
                "./send".into(),
                "{srv}".into(),
                "--to={device}".into(),
            ]),
            url: None,
        };
        let t = Trigger::from_section(&cmd, base).unwrap();
        let Trigger::Command { argv, base } = &t else {
            panic!("a command")
        };
        assert_eq!(
            Trigger::argv(argv, base, &request()),
            ["/profiles/./send", "4.1.1", "--to=00-DB-12-34-56-78-90-A0"]
        );
        assert_eq!(
            Trigger::from_section(&TriggerSection::default(), base),
            Err(TriggerError::NotOne)
        );
        let both = TriggerSection {
            command: Some(vec!["x".into()]),
            url: Some("http://h/t".into()),
        };
        assert_eq!(
            Trigger::from_section(&both, base),
            Err(TriggerError::NotOne)
        );
        let empty = TriggerSection {
            command: Some(vec![]),
            url: None,
        };
        assert_eq!(
            Trigger::from_section(&empty, base),
            Err(TriggerError::EmptyCommand)
        );
    }

    #[tokio::test]
    async fn a_command_trigger_reports_its_exit_and_output_and_is_bounded_in_time() {
        let client = reqwest::Client::new();
        let echo = Trigger::Command {
            argv: vec!["sh".into(), "-c".into(), "echo sent {srv}; exit 0".into()],
            base: PathBuf::from("."),
        };
        let p = echo
            .pull(&request(), Duration::from_secs(10), &client)
            .await
            .unwrap();
        assert!(p.acted);
        assert_eq!(p.output, "sent 4.1.1");
        let refuse = Trigger::Command {
            argv: vec!["sh".into(), "-c".into(), "echo no >&2; exit 3".into()],
            base: PathBuf::from("."),
        };
        let p = refuse
            .pull(&request(), Duration::from_secs(10), &client)
            .await
            .unwrap();
        assert!(!p.acted);
        assert_eq!(p.status, "exit 3");
        assert!(p.output.contains("stderr: no"));
        let hang = Trigger::Command {
            argv: vec!["sleep".into(), "30".into()],
            base: PathBuf::from("."),
        };
        assert_eq!(
            hang.pull(&request(), Duration::from_millis(200), &client)
                .await,
            Err(TriggerError::Timeout(0.2))
        );
        let missing = Trigger::Command {
            argv: vec!["/nonexistent/trigger".into()],
            base: PathBuf::from("."),
        };
        assert!(matches!(
            missing
                .pull(&request(), Duration::from_secs(1), &client)
                .await,
            Err(TriggerError::Start { .. })
        ));
    }
}
