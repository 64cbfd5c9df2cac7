//! How the harness makes a head-end act: the profile's trigger, a command line or an HTTP
//! call, given what to do (service reference variant, User, device, template). The trigger
//! returns when the head-end has done its part (sent its request and, for a critical
//! service, signed or refused the pre-command); what it sent is then in the DCC's journal.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncReadExt};

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

/// What a pull of the trigger gave: shown with the exchange, never judged (what the head-end
/// sent is judged from the DCC's journal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulled {
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
        let mut out: Vec<String> = argv.iter().map(|a| fill(a, r)).collect();
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
                let mut response = call.await.map_err(|e| {
                    if e.is_timeout() {
                        TriggerError::Timeout(timeout.as_secs_f64())
                    } else {
                        http(e.to_string())
                    }
                })?;
                let status = response.status();
                let (body, more) = read_capped(&mut response, MAX_OUTPUT)
                    .await
                    .map_err(|e| http(e.to_string()))?;
                let mut output = bounded(&body);
                if more {
                    output.push_str(&format!(" … (cut at {MAX_OUTPUT} bytes)"));
                }
                Ok(Pulled {
                    status: format!("HTTP {}", status.as_u16()),
                    output,
                })
            }
        }
    }
}

/// `arg` with its placeholders filled in, in one pass: a value that itself holds a
/// placeholder (a template path with `{dcc_url}` in it) is left as it is.
fn fill(arg: &str, r: &TriggerRequest) -> String {
    let values = [
        ("{srv}", r.srv.as_str()),
        ("{user}", r.user.as_str()),
        ("{device}", r.device.as_str()),
        ("{template}", r.template.as_str()),
        ("{dcc_url}", r.dcc_url.as_str()),
    ];
    let mut out = String::with_capacity(arg.len());
    let mut rest = arg;
    while !rest.is_empty() {
        match values.iter().find(|(p, _)| rest.starts_with(p)) {
            Some((p, v)) => {
                out.push_str(v);
                rest = &rest[p.len()..];
            }
            None => {
                let c = rest.chars().next().unwrap_or_default();
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// The first `max` bytes of an HTTP body, and whether there was more (the rest is not read).
pub(super) async fn read_capped(
    response: &mut reqwest::Response,
    max: usize,
) -> Result<(Vec<u8>, bool), reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = max - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body, true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, false))
}

/// The first [`MAX_OUTPUT`] bytes of a stream; the rest is read and dropped, so a chatty
/// trigger never blocks on a full pipe.
async fn keep_and_drain<R: AsyncRead + Unpin>(stream: Option<R>) -> Vec<u8> {
    let mut kept = Vec::new();
    let Some(stream) = stream else {
        return kept;
    };
    let mut head = stream.take(MAX_OUTPUT as u64);
    // A read error ends the output: what was read so far is what is shown.
    if head.read_to_end(&mut kept).await.is_ok() {
        let _ = tokio::io::copy(&mut head.into_inner(), &mut tokio::io::sink()).await;
    }
    kept
}

/// Kills the trigger's whole process group (it was started as the group's leader), so
/// whatever it started dies with it. The leader is not reaped yet, so `pgid` is still its.
#[cfg(unix)]
fn kill_group(pgid: u32) {
    // 0 and 1 would name the harness's own group and init: never those.
    let Some(pgid) = libc::pid_t::try_from(pgid).ok().filter(|p| *p > 1) else {
        return;
    };
    // SAFETY: kill(2) takes two integers and touches no memory of this process; a negative
    // pid names a process group.
    if unsafe { libc::kill(-pgid, libc::SIGKILL) } != 0 {
        eprintln!(
            "head-end run: could not kill the trigger's process group {pgid}: {}",
            std::io::Error::last_os_error()
        );
    }
}

fn bounded(bytes: &[u8]) -> String {
    let cut = &bytes[..bytes.len().min(MAX_OUTPUT)];
    String::from_utf8_lossy(cut).trim().to_string()
}

async fn run_command(argv: &[String], timeout: Duration) -> Result<Pulled, TriggerError> {
    let mut command = tokio::process::Command::new(&argv[0]);
    command
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    // Its own process group, so a timeout kills what it started as well.
    #[cfg(unix)]
    command.process_group(0);
    let mut child = command.spawn().map_err(|e| TriggerError::Start {
        program: argv[0].clone(),
        reason: e.to_string(),
    })?;
    #[cfg(unix)]
    let pgid = child.id();
    let (out, err) = (child.stdout.take(), child.stderr.take());
    let work = async {
        let (o, e) = tokio::join!(keep_and_drain(out), keep_and_drain(err));
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
                status: match status.code() {
                    Some(c) => format!("exit {c}"),
                    None => "killed by a signal".into(),
                },
                output,
            })
        }
        Err(_) => {
            #[cfg(unix)]
            if let Some(pgid) = pgid {
                kill_group(pgid);
            }
            // Reaps the leader (kill_on_drop would leave that to tokio's background reaper).
            let _ = child.start_kill();
            let _ = tokio::time::timeout(Duration::from_secs(5), child.wait()).await;
            Err(TriggerError::Timeout(timeout.as_secs_f64()))
        }
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
        assert_eq!(p.status, "exit 0");
        assert_eq!(p.output, "sent 4.1.1");
        let refuse = Trigger::Command {
            argv: vec!["sh".into(), "-c".into(), "echo no >&2; exit 3".into()],
            base: PathBuf::from("."),
        };
        let p = refuse
            .pull(&request(), Duration::from_secs(10), &client)
            .await
            .unwrap();
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

    #[test]
    fn placeholders_are_filled_in_one_pass() {
        let mut r = request();
        r.template = "/t/{dcc_url}/{srv}.XML".into();
        let argv = vec!["x".into(), "{template}|{dcc_url}|{nope}|é{srv}".into()];
        assert_eq!(
            Trigger::argv(&argv, Path::new("."), &r),
            [
                "x",
                "/t/{dcc_url}/{srv}.XML|http://127.0.0.1:1|{nope}|é4.1.1"
            ]
        );
    }

    #[tokio::test]
    async fn a_chatty_command_trigger_is_not_blocked_by_its_output() {
        let client = reqwest::Client::new();
        let chatty = Trigger::Command {
            argv: vec![
                "sh".into(),
                "-c".into(),
                "head -c 1048576 /dev/zero | tr '\\0' a; head -c 1048576 /dev/zero >&2; exit 0"
                    .into(),
            ],
            base: PathBuf::from("."),
        };
        let p = chatty
            .pull(&request(), Duration::from_secs(20), &client)
            .await
            .unwrap();
        assert_eq!(p.status, "exit 0");
        assert!(p.output.starts_with(&"a".repeat(MAX_OUTPUT)));
        assert!(p.output.len() < 3 * MAX_OUTPUT, "{}", p.output.len());
    }

    /// The processes of group `pgid` that are not zombies.
    #[cfg(target_os = "linux")]
    fn live_in_group(pgid: u32) -> Vec<u32> {
        let mut live = Vec::new();
        for e in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
                continue;
            };
            // pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its ')'.
            let Some((head, tail)) = stat.rsplit_once(')') else {
                continue;
            };
            let fields: Vec<&str> = tail.split_whitespace().collect();
            if fields.get(2) == Some(&pgid.to_string().as_str()) && fields[0] != "Z" {
                live.extend(
                    head.split_whitespace()
                        .next()
                        .and_then(|p| p.parse::<u32>().ok()),
                );
            }
        }
        live
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn a_timed_out_trigger_is_killed_with_what_it_started() {
        let client = reqwest::Client::new();
        let file = std::env::temp_dir().join(format!("gbcs-trigger-pgid-{}", std::process::id()));
        let hang = Trigger::Command {
            argv: vec![
                "sh".into(),
                "-c".into(),
                format!("echo $$ > {}; sleep 30 & sleep 30", file.display()),
            ],
            base: PathBuf::from("."),
        };
        let started = std::time::Instant::now();
        assert_eq!(
            hang.pull(&request(), Duration::from_secs(1), &client).await,
            Err(TriggerError::Timeout(1.0))
        );
        assert!(started.elapsed() < Duration::from_secs(10));
        let pgid: u32 = std::fs::read_to_string(&file)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let _ = std::fs::remove_file(&file);
        // SIGKILL is sent before pull returns but lands when the kernel schedules it: look
        // until the group is gone, for a bounded time.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        let mut live = live_in_group(pgid);
        while !live.is_empty() && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
            live = live_in_group(pgid);
        }
        assert!(live.is_empty(), "still alive in group {pgid}: {live:?}");
    }

    /// Serves one HTTP/1.1 answer with a chunked body of `size` bytes of `x`, once.
    async fn chunked_server(size: usize) -> String {
        use tokio::io::AsyncWriteExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            let mut request = [0u8; 4096];
            let _ = s.read(&mut request).await;
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
            if s.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = vec![b'x'; 16 * 1024];
            let mut left = size;
            while left > 0 {
                let n = left.min(chunk.len());
                let mut frame = format!("{n:x}\r\n").into_bytes();
                frame.extend_from_slice(&chunk[..n]);
                frame.extend_from_slice(b"\r\n");
                // The client may stop reading past its cap: a failed write ends the answer.
                if s.write_all(&frame).await.is_err() {
                    return;
                }
                left -= n;
            }
            let _ = s.write_all(b"0\r\n\r\n").await;
        });
        format!("http://{addr}/")
    }

    #[tokio::test]
    async fn http_bodies_are_read_up_to_a_cap_even_when_chunked() {
        let client = reqwest::Client::new();
        let url = chunked_server(5000).await;
        let mut r = client.get(&url).send().await.unwrap();
        assert_eq!(r.content_length(), None);
        let (body, more) = read_capped(&mut r, 1000).await.unwrap();
        assert_eq!((body.len(), more), (1000, true));
        let url = chunked_server(1000).await;
        let mut r = client.get(&url).send().await.unwrap();
        let (body, more) = read_capped(&mut r, 1000).await.unwrap();
        assert_eq!((body.len(), more), (1000, false));
        // A trigger answering more than it may: its output is cut, the pull still succeeds.
        let url = chunked_server(4 * MAX_OUTPUT).await;
        let http = Trigger::Http { url };
        let p = http
            .pull(&request(), Duration::from_secs(10), &client)
            .await
            .unwrap();
        assert_eq!(p.status, "HTTP 200");
        assert!(p.output.ends_with(&format!("(cut at {MAX_OUTPUT} bytes)")));
        assert!(p.output.len() < MAX_OUTPUT + 100);
    }
}
