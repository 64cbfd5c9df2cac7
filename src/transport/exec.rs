//! `exec:CMD ARGS`: a firmware host build as a child process, framed on stdin/stdout. Its
//! standard error is captured for the report. The child is spawned on first use, killed
//! and reaped after a timeout or when the transport is dropped, and spawned afresh after it
//! has exited.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::process::{Child, Command};

use super::alert_board::{AlertBoard, AlertMark};
use super::link::{refuse_oversized, Link, Peer};
use super::{
    AnswerFuture, BoxFuture, Limits, OpenOptions, Received, TimedFrame, Transport, TransportError,
};

/// Standard error kept per transport; a chatty child must not exhaust memory.
const STDERR_LIMIT: usize = 1 << 20;

/// The child and the conversation on its stdin/stdout.
struct Running {
    child: Arc<tokio::sync::Mutex<Child>>,
    link: Link,
}

pub struct ExecTransport {
    argv: Vec<String>,
    options: OpenOptions,
    running: Option<Running>,
    stderr: Arc<Mutex<Vec<u8>>>,
    /// Unasked frames, kept across respawns.
    board: Arc<AlertBoard>,
    /// How far [`Transport::alerts`] has read the board.
    read: AlertMark,
}

/// Splits `CMD ARGS` on whitespace, honouring single and double quotes (no escapes beyond
/// that: a URL is not a shell).
pub(crate) fn split_command(s: &str) -> Result<Vec<String>, String> {
    let mut argv = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                in_word = true;
            }
            None if c.is_whitespace() => {
                if in_word {
                    argv.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            None => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if quote.is_some() {
        return Err("unterminated quote".into());
    }
    if in_word {
        argv.push(cur);
    }
    Ok(argv)
}

impl ExecTransport {
    pub fn new(argv: Vec<String>, options: OpenOptions) -> Self {
        let board = Arc::new(AlertBoard::default());
        ExecTransport {
            argv,
            options,
            running: None,
            stderr: Arc::default(),
            read: board.mark(),
            board,
        }
    }

    fn target(&self) -> String {
        self.describe()
    }

    fn spawn(&mut self, limits: &Limits) -> Result<(), TransportError> {
        let mut child = Command::new(&self.argv[0])
            .args(&self.argv[1..])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Dropping the transport (or this child) must not leave a process behind; tokio
            // reaps a killed child in the background.
            .kill_on_drop(true)
            .spawn()
            .map_err(|source| TransportError::Spawn {
                target: self.target(),
                source,
            })?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let mut err = child.stderr.take().expect("piped");
        let sink = self.stderr.clone();
        tokio::spawn(async move {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf).await {
                if n == 0 {
                    break;
                }
                let mut s = sink.lock().unwrap_or_else(|e| e.into_inner());
                let room = STDERR_LIMIT.saturating_sub(s.len());
                s.extend_from_slice(&buf[..n.min(room)]);
            }
        });
        let link = Link::new(
            self.target(),
            stdout,
            stdin,
            limits.max_frame,
            self.board.clone(),
            // Starting a firmware build counts like connecting to one.
            Peer::Child {
                startup: limits.connect_timeout,
            },
        );
        self.running = Some(Running {
            child: Arc::new(tokio::sync::Mutex::new(child)),
            link,
        });
        Ok(())
    }

    /// A fresh child when there is none or the last one's stream has ended.
    fn ready(&mut self, limits: &Limits) -> Result<&mut Link, TransportError> {
        if self.running.as_ref().is_some_and(|r| r.link.is_dead()) {
            // It exited or broke the framing: start a fresh one (kill_on_drop reaps it).
            self.running = None;
        }
        if self.running.is_none() {
            self.spawn(limits)?;
        }
        Ok(&mut self.running.as_mut().expect("spawned above").link)
    }

    async fn do_submit(
        &mut self,
        frame: &[u8],
        limits: &Limits,
    ) -> Result<AnswerFuture, TransportError> {
        refuse_oversized(&self.target(), frame, limits)?;
        let submitted = self.ready(limits)?.submit(frame, limits).await;
        let child = self
            .running
            .as_ref()
            .map(|r| r.child.clone())
            .expect("spawned above");
        let explainer = Explainer {
            target: self.target(),
            child,
            stderr: self.stderr.clone(),
        };
        match submitted {
            Ok(wait) => Ok(Box::pin(async move {
                match wait.wait().await {
                    Err(e) => Err(explainer.explain(e).await),
                    answered => answered,
                }
            })),
            Err(e) => Err(explainer.explain(e).await),
        }
    }

    async fn do_exchange(
        &mut self,
        frame: &[u8],
        limits: &Limits,
    ) -> Result<Received, TransportError> {
        self.do_submit(frame, limits).await?.await
    }

    async fn do_alerts(&mut self, wait: Duration) -> Result<Vec<TimedFrame>, TransportError> {
        let limits = self.options.limits.clone();
        // Alerts come on the child's stdout: start it if nothing has yet.
        self.ready(&limits)?;
        Ok(self.board.read_on(&mut self.read, wait).await)
    }
}

/// Turns "the stream ended" into "the child exited with …" when that is what happened.
struct Explainer {
    target: String,
    child: Arc<tokio::sync::Mutex<Child>>,
    stderr: Arc<Mutex<Vec<u8>>>,
}

impl Explainer {
    async fn explain(&self, error: TransportError) -> TransportError {
        if !matches!(
            error,
            TransportError::Closed { .. } | TransportError::Io { .. }
        ) {
            return error;
        }
        // Its stdout closed, so it is exiting or has exited; give it a moment.
        let mut child = self.child.lock().await;
        match tokio::time::timeout(Duration::from_secs(1), child.wait()).await {
            Ok(Ok(status)) => {
                // Let the stderr task catch up with the child's last words.
                tokio::time::sleep(Duration::from_millis(20)).await;
                TransportError::ChildExited {
                    target: self.target.clone(),
                    status: status.to_string(),
                    stderr: last_line(&self.stderr),
                }
            }
            _ => {
                // Still running with its stdout closed: it is not trusted again.
                let _ = child.kill().await;
                error
            }
        }
    }
}

fn last_line(stderr: &Mutex<Vec<u8>>) -> String {
    let s = stderr.lock().unwrap_or_else(|e| e.into_inner());
    let text = String::from_utf8_lossy(&s);
    match text.lines().rev().find(|l| !l.trim().is_empty()) {
        Some(line) => format!("; stderr: {}", line.trim()),
        None => String::new(),
    }
}

impl Transport for ExecTransport {
    fn exchange<'a>(
        &'a mut self,
        frame: &'a [u8],
        limits: &'a Limits,
    ) -> BoxFuture<'a, Result<Received, TransportError>> {
        Box::pin(self.do_exchange(frame, limits))
    }

    fn submit<'a>(
        &'a mut self,
        frame: &'a [u8],
        limits: &'a Limits,
    ) -> BoxFuture<'a, Result<AnswerFuture, TransportError>> {
        Box::pin(self.do_submit(frame, limits))
    }

    fn overlaps(&self) -> bool {
        true
    }

    fn alert_board(&self) -> Option<Arc<AlertBoard>> {
        Some(self.board.clone())
    }

    fn alerts(&mut self, wait: Duration) -> BoxFuture<'_, Result<Vec<TimedFrame>, TransportError>> {
        Box::pin(self.do_alerts(wait))
    }

    fn describe(&self) -> String {
        format!("exec:{}", self.argv.join(" "))
    }

    fn stderr(&self) -> Option<String> {
        let s = self.stderr.lock().unwrap_or_else(|e| e.into_inner());
        Some(String::from_utf8_lossy(&s).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::split_command;

    #[test]
    fn commands_split_like_a_simple_shell() {
        assert_eq!(
            split_command(r#" sh -c "exit 3" 'a b' "#).unwrap(),
            ["sh", "-c", "exit 3", "a b"]
        );
        assert_eq!(split_command("x ''").unwrap(), ["x", ""]);
        assert!(split_command("x 'y").is_err());
    }
}
