//! Stopping a run early: at its deadline, or on SIGINT (Ctrl-C) or SIGTERM (a CI job
//! cancelled, a container stopped). Either way the run ends in order: what finished stays in
//! the reports, and the exit status says why it stopped.

use std::future::Future;
use std::time::Duration;

use serde::Serialize;

/// The signal that stopped a run. Named as the shell names it in the JSON summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Interruption {
    #[serde(rename = "SIGINT")]
    Sigint,
    #[serde(rename = "SIGTERM")]
    Sigterm,
}

/// Signal numbers, the same on every Unix that matters here (POSIX fixes them in practice).
const SIGINT_NUMBER: u8 = 2;
const SIGTERM_NUMBER: u8 = 15;
/// The shell reports a process ended by signal N as 128 + N.
const SIGNALLED_EXIT_BASE: u8 = 128;

impl Interruption {
    pub fn name(self) -> &'static str {
        match self {
            Interruption::Sigint => "SIGINT",
            Interruption::Sigterm => "SIGTERM",
        }
    }

    /// The exit status of a run it stopped: the shell's 128 + signal number (130 for SIGINT,
    /// 143 for SIGTERM), so callers see the signal as if the process had died of it.
    pub fn exit_code(self) -> u8 {
        SIGNALLED_EXIT_BASE
            + match self {
                Interruption::Sigint => SIGINT_NUMBER,
                Interruption::Sigterm => SIGTERM_NUMBER,
            }
    }
}

impl std::fmt::Display for Interruption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a run stopped before its scenarios were done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The `--deadline` passed.
    Deadline,
    Signal(Interruption),
}

/// Runs `work` until it finishes, `deadline` passes or SIGINT/SIGTERM arrives; `work` is
/// dropped (cancelled) in the last two cases. The signals are caught from this call on, so
/// they no longer kill the process outright; if they cannot be caught, the run goes on
/// without (and says so).
pub async fn until_stopped<T>(
    work: impl Future<Output = T>,
    deadline: Option<Duration>,
) -> Result<T, Stop> {
    race(work, deadline, signals()).await
}

async fn race<T>(
    work: impl Future<Output = T>,
    deadline: Option<Duration>,
    signals: impl Future<Output = Interruption>,
) -> Result<T, Stop> {
    let deadline = async {
        match deadline {
            Some(d) => tokio::time::sleep(d).await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        done = work => Ok(done),
        () = deadline => Err(Stop::Deadline),
        signal = signals => Err(Stop::Signal(signal)),
    }
}

/// The first SIGINT or SIGTERM from now on. The handlers are installed at once (not when
/// the future is first polled), and stay for the process's life: a second signal while the
/// reports are written does not cut them short.
#[cfg(unix)]
fn signals() -> impl Future<Output = Interruption> {
    use tokio::signal::unix::{signal, SignalKind};
    let int = signal(SignalKind::interrupt());
    let term = signal(SignalKind::terminate());
    async move {
        let (mut int, mut term) = match (int, term) {
            (Ok(i), Ok(t)) => (i, t),
            (Err(e), _) | (_, Err(e)) => {
                eprintln!("warning: cannot catch SIGINT/SIGTERM ({e}): a signal kills the run without its summary");
                return std::future::pending().await;
            }
        };
        tokio::select! {
            _ = int.recv() => Interruption::Sigint,
            _ = term.recv() => Interruption::Sigterm,
        }
    }
}

/// Ctrl-C only where there is no SIGTERM.
#[cfg(not(unix))]
fn signals() -> impl Future<Output = Interruption> {
    async {
        match tokio::signal::ctrl_c().await {
            Ok(()) => Interruption::Sigint,
            Err(_) => std::future::pending().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_shell() {
        assert_eq!(Interruption::Sigint.exit_code(), 130);
        assert_eq!(Interruption::Sigterm.exit_code(), 143);
        assert_eq!(
            serde_json::to_string(&Interruption::Sigterm).unwrap(),
            "\"SIGTERM\""
        );
    }

    // Through `race`, not `until_stopped`: the test process keeps its own Ctrl-C.
    #[tokio::test]
    async fn the_first_of_work_deadline_and_signal_wins() {
        let never = std::future::pending::<Interruption>;
        let work = std::future::pending::<()>;
        let r = race(work(), Some(Duration::from_millis(10)), never()).await;
        assert_eq!(r, Err(Stop::Deadline));
        let r = race(work(), None, async { Interruption::Sigterm }).await;
        assert_eq!(r, Err(Stop::Signal(Interruption::Sigterm)));
        assert_eq!(race(async { 7 }, None, never()).await, Ok(7));
    }
}
