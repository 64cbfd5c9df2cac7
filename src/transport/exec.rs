//! `exec:CMD ARGS`: a firmware host build as a child process, framed on stdin/stdout. Its
//! standard error is captured for the report. The child is spawned on first use, killed
//! and reaped after a timeout or when the transport is dropped, and spawned afresh after it
//! has exited.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::process::{Child, Command};

use super::link::Link;
use super::{BoxFuture, Limits, OpenOptions, Received, TimedFrame, Transport, TransportError};

/// Standard error kept per transport; a chatty child must not exhaust memory.
const STDERR_LIMIT: usize = 1 << 20;

pub struct ExecTransport {
    argv: Vec<String>,
    options: OpenOptions,
    running: Option<(Child, Link)>,
    stderr: Arc<Mutex<Vec<u8>>>,
    pending: Vec<TimedFrame>,
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
        ExecTransport {
            argv,
            options,
            running: None,
            stderr: Arc::default(),
            pending: Vec::new(),
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
        let link = Link::new(self.target(), stdout, stdin, limits.max_frame);
        self.running = Some((child, link));
        Ok(())
    }

    /// Turns "the stream ended" into "the child exited with …" when that is what happened.
    async fn explain(&mut self, error: TransportError) -> TransportError {
        let Some((mut child, link)) = self.running.take() else {
            return error;
        };
        drop(link);
        let closed = matches!(
            error,
            TransportError::Closed { .. } | TransportError::Io { .. }
        );
        if closed {
            // Its stdout closed, so it is exiting or has exited; give it a moment.
            if let Ok(Ok(status)) = tokio::time::timeout(Duration::from_secs(1), child.wait()).await
            {
                // Let the stderr task catch up with the child's last words.
                tokio::time::sleep(Duration::from_millis(20)).await;
                return TransportError::ChildExited {
                    target: self.target(),
                    status: status.to_string(),
                    stderr: self.last_stderr_line(),
                };
            }
        }
        // Timeout or broken framing: the child is not trusted again.
        let _ = child.kill().await;
        error
    }

    fn last_stderr_line(&self) -> String {
        let s = self.stderr.lock().unwrap_or_else(|e| e.into_inner());
        let text = String::from_utf8_lossy(&s);
        match text.lines().rev().find(|l| !l.trim().is_empty()) {
            Some(line) => format!("; stderr: {}", line.trim()),
            None => String::new(),
        }
    }

    fn ready(&mut self, limits: &Limits) -> Result<(), TransportError> {
        if let Some((_, link)) = &mut self.running {
            if link.drain(&mut self.pending).is_some() || link.dead {
                // It exited between exchanges: start a fresh one (kill_on_drop reaps it).
                self.running = None;
            }
        }
        if self.running.is_none() {
            self.spawn(limits)?;
        }
        Ok(())
    }

    async fn do_exchange(
        &mut self,
        frame: &[u8],
        limits: &Limits,
    ) -> Result<Received, TransportError> {
        self.ready(limits)?;
        let (_, link) = self.running.as_mut().expect("spawned above");
        match link.exchange(frame, limits).await {
            Ok(r) => Ok(r),
            Err(e) => Err(self.explain(e).await),
        }
    }

    async fn do_alerts(&mut self, wait: Duration) -> Result<Vec<TimedFrame>, TransportError> {
        let limits = self.options.limits.clone();
        self.ready(&limits)?;
        let mut out = std::mem::take(&mut self.pending);
        let (_, link) = self.running.as_mut().expect("spawned above");
        match link.alerts(wait, &mut out).await {
            Ok(()) => Ok(out),
            Err(e) => Err(self.explain(e).await),
        }
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
