//! A profile's way of putting a real device into the state a recorded variant needs (an RTDS
//! `_ERROR_` or `NOT_FOUND` variant, a twin-element meter): a command to run or a URL to POST
//! to, before the scenario's command is sent. Transports with their own channel (`sim://`,
//! `reference:`) need none.
//!
//! ```toml
//! [hooks]
//! device_state = "./bench/set-state {variant} {use_case} {device}"   # exit 0 when done
//! # or
//! device_state = "http://127.0.0.1:8080/state"   # POST {"use_case","variant","device"}, 2xx
//! ```

use std::time::Duration;

use tokio::io::AsyncReadExt;

use crate::transport::split_command;
use crate::transport::DeviceState;

/// How much of a failing hook's standard error is kept, from its end.
const STDERR_TAIL: usize = 4096;

/// How a profile puts the device into a state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateHook {
    /// A command line; `{variant}`, `{use_case}` and `{device}` are replaced in each argument.
    Command(Vec<String>),
    /// An HTTP endpoint that takes a JSON POST.
    Http(String),
}

#[derive(Debug, thiserror::Error)]
pub enum StateHookError {
    #[error("hooks.device_state: {0}")]
    Parse(String),
    #[error("device-state hook `{command}`: cannot start: {source}")]
    Spawn {
        command: String,
        source: std::io::Error,
    },
    #[error("device-state hook `{command}` exited with {status}{stderr}")]
    Failed {
        command: String,
        status: String,
        /// The last line of its standard error, prefixed with "; stderr: ", or empty.
        stderr: String,
    },
    #[error("device-state hook `{command}` did not finish within {ms} ms")]
    Timeout { command: String, ms: u128 },
    #[error("device-state hook {url}: {reason}")]
    Http { url: String, reason: String },
}

impl StateHook {
    pub fn parse(text: &str) -> Result<Self, StateHookError> {
        let text = text.trim();
        if text.starts_with("http://") || text.starts_with("https://") {
            return Ok(StateHook::Http(text.to_string()));
        }
        let argv = split_command(text).map_err(StateHookError::Parse)?;
        if argv.is_empty() {
            return Err(StateHookError::Parse(
                "expected a command line or an http(s):// URL".into(),
            ));
        }
        Ok(StateHook::Command(argv))
    }

    /// Runs the hook for one state, bounded by `timeout`.
    pub async fn apply(
        &self,
        state: &DeviceState,
        timeout: Duration,
    ) -> Result<(), StateHookError> {
        match self {
            StateHook::Command(argv) => run_command(argv, state, timeout).await,
            StateHook::Http(url) => post(url, state, timeout).await,
        }
    }
}

fn fill(arg: &str, state: &DeviceState) -> String {
    arg.replace("{variant}", &state.variant)
        .replace("{use_case}", &state.use_case)
        .replace("{device}", &state.device.to_string())
}

async fn run_command(
    argv: &[String],
    state: &DeviceState,
    timeout: Duration,
) -> Result<(), StateHookError> {
    let args: Vec<String> = argv.iter().map(|a| fill(a, state)).collect();
    let command = args.join(" ");
    let Some((program, rest)) = args.split_first() else {
        return Err(StateHookError::Parse("empty command".into()));
    };
    let mut child = tokio::process::Command::new(program)
        .args(rest)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|source| StateHookError::Spawn {
            command: command.clone(),
            source,
        })?;
    // Only the tail of its standard error is kept: a hook may write without end.
    let stderr = child.stderr.take();
    let tail = async move {
        let mut tail: Vec<u8> = Vec::new();
        if let Some(mut stderr) = stderr {
            let mut chunk = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut chunk).await {
                if n == 0 {
                    break;
                }
                tail.extend_from_slice(&chunk[..n]);
                let excess = tail.len().saturating_sub(STDERR_TAIL);
                tail.drain(..excess);
            }
        }
        tail
    };
    let waited = tokio::time::timeout(timeout, async {
        let (status, tail) = tokio::join!(child.wait(), tail);
        status.map(|s| (s, tail))
    })
    .await;
    let (status, tail) = match waited {
        Err(_) => {
            return Err(StateHookError::Timeout {
                command,
                ms: timeout.as_millis(),
            })
        }
        Ok(Err(source)) => return Err(StateHookError::Spawn { command, source }),
        Ok(Ok(done)) => done,
    };
    if status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&tail)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map_or_else(String::new, |l| format!("; stderr: {}", l.trim()));
    Err(StateHookError::Failed {
        command,
        status: status.to_string(),
        stderr,
    })
}

async fn post(url: &str, state: &DeviceState, timeout: Duration) -> Result<(), StateHookError> {
    let fail = |reason: String| StateHookError::Http {
        url: url.to_string(),
        reason,
    };
    let client = reqwest::Client::builder()
        .timeout(timeout)
        .build()
        .map_err(|e| fail(e.to_string()))?;
    let body = serde_json::json!({
        "use_case": state.use_case,
        "variant": state.variant,
        "device": state.device.to_string(),
    });
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .map_err(|e| fail(e.to_string()))?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(fail(format!("HTTP {}", response.status())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> DeviceState {
        DeviceState {
            use_case: "ECS17b".into(),
            variant: "ECS17b_4.1.1_ERROR".into(),
            device: "00DB5100000000AA".parse().unwrap(),
        }
    }

    #[test]
    fn urls_and_command_lines_are_told_apart() {
        assert_eq!(
            StateHook::parse("http://127.0.0.1:9/state").unwrap(),
            StateHook::Http("http://127.0.0.1:9/state".into())
        );
        assert_eq!(
            StateHook::parse("./set {variant} '{device}'").unwrap(),
            StateHook::Command(vec!["./set".into(), "{variant}".into(), "{device}".into()])
        );
        assert!(StateHook::parse("  ").is_err());
        assert!(StateHook::parse("'unterminated").is_err());
    }

    #[tokio::test]
    async fn a_command_hook_gets_the_variant_and_its_failure_is_reported() {
        let ok = StateHook::parse("sh -c 'test \"$0\" = ECS17b_4.1.1_ERROR' {variant}").unwrap();
        ok.apply(&state(), Duration::from_secs(10)).await.unwrap();
        let bad = StateHook::parse("sh -c 'echo no such state >&2; exit 3'").unwrap();
        let e = bad
            .apply(&state(), Duration::from_secs(10))
            .await
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("exit status: 3") && e.contains("no such state"),
            "{e}"
        );
        // A hook that floods its standard error is read to the end, keeping only the tail.
        let flood = StateHook::parse(
            "sh -c 'head -c 20000000 /dev/zero | tr \"\\\\0\" x >&2; echo >&2; echo last words >&2; exit 5'",
        )
        .unwrap();
        let e = flood
            .apply(&state(), Duration::from_secs(30))
            .await
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("last words") && e.len() < 1000,
            "{}",
            &e[..e.len().min(300)]
        );
        let missing = StateHook::parse("./no-such-hook-binary").unwrap();
        let e = missing.apply(&state(), Duration::from_secs(10)).await;
        assert!(matches!(e, Err(StateHookError::Spawn { .. })));
    }
}
