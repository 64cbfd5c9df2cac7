//! Moving GBCS frames to and from targets, chosen by URL (see ARCHITECTURE.md, Transports):
//! `sim://`, `tcp://host:port`, `exec:CMD ARGS`, `replay:DIR`, `reference:DIR`,
//! `http(s)://host:port[/prefix]` and `duis://host:port` (a DCC, reached as a DCC User: see
//! [`duis`]). A transport moves opaque
//! frames and timestamps them; it reads no more than a frame's grouping header (to tell a
//! response from an alert, and match a response to its command), so the checker sees exactly
//! what the target sent.

pub mod alert_board;
pub mod duis;
pub mod framing;

mod exec;
mod http;
mod link;
mod reference;
mod replay;
pub mod serve;
mod sim;
mod tcp;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::codec::{decode_frame, CraFlag, EntityId};

pub use alert_board::{AlertBoard, AlertMark};
pub use duis::{DuisError, DuisTransport};
pub(crate) use exec::split_command;
pub use exec::ExecTransport;
pub use http::{error_chain, HttpTransport};
pub use reference::{match_key, ReferenceError, ReferenceOptions, ReferenceTransport, Skipped};
pub use replay::ReplayTransport;
pub use sim::{faults_in_url, SimTransport};
pub use tcp::TcpTransport;

/// A boxed future, so `Box<dyn Transport>` works without the `async-trait` crate.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The answer to a command already handed to the target: awaited without holding the
/// transport, so other commands can be sent meanwhile.
pub type AnswerFuture = BoxFuture<'static, Result<Received, TransportError>>;

/// Commands in flight on one conversation with a device when neither the profile nor the
/// command line says: enough that the silences owed to discarded commands overlap.
pub const DEFAULT_IN_FLIGHT: usize = 16;

/// One frame as it arrived, with when it arrived (for SLA timing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimedFrame {
    pub frame: Vec<u8>,
    pub at: Instant,
}

impl TimedFrame {
    pub fn now(frame: Vec<u8>) -> Self {
        TimedFrame {
            frame,
            at: Instant::now(),
        }
    }
}

/// What came back for one command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Received {
    pub responses: Vec<TimedFrame>,
    pub alerts: Vec<TimedFrame>,
    /// When the device can first have started on the command, if later than when it was
    /// sent: with several commands in flight, when it sent the frame before the response
    /// (it was busy with earlier commands until then). Response times count from here.
    pub started: Option<Instant>,
}

impl Received {
    /// Files a frame by its CRA flag. A frame that does not decode counts as a response, so
    /// the checker gets to judge it rather than it vanishing among the alerts.
    pub fn push(&mut self, frame: TimedFrame) {
        if is_alert(&frame.frame) {
            self.alerts.push(frame);
        } else {
            self.responses.push(frame);
        }
    }
}

pub fn is_alert(frame: &[u8]) -> bool {
    decode_frame(frame).is_ok_and(|f| f.header().cra == CraFlag::Alert)
}

/// The instant `wait` from now, or as far as the clock reaches when `wait` is absurdly long
/// (a timeout from a profile or a step's text must not overflow the clock and panic).
pub fn deadline_after(wait: Duration) -> Instant {
    const FAR: Duration = Duration::from_secs(100 * 365 * 86_400);
    let now = Instant::now();
    now.checked_add(wait.min(FAR))
        .or_else(|| now.checked_add(Duration::from_secs(86_400)))
        .unwrap_or(now)
}

/// Per-exchange limits; every wait a transport does is bounded by one of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    pub max_frame: usize,
    pub connect_timeout: Duration,
    /// How long to wait for the first frame, and for each further frame until a response.
    pub response_timeout: Duration,
    /// After a response, how long to keep listening for alerts the command triggered
    /// (transports that answer one command at a time; `tcp://` and `exec:` keep every alert
    /// on their [`AlertBoard`] instead, for the steps that expect one).
    pub alert_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_frame: framing::DEFAULT_MAX_FRAME,
            connect_timeout: Duration::from_secs(5),
            response_timeout: Duration::from_secs(10),
            alert_grace: Duration::from_millis(100),
        }
    }
}

/// Settings used outside an exchange (connecting to listen for alerts, reading a corpus).
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    pub limits: Limits,
}

#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("{url}: bad transport URL: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("{target}: cannot connect: {source}")]
    Connect {
        target: String,
        source: std::io::Error,
    },
    #[error("{target}: timeout after {ms} ms {what}")]
    Timeout {
        target: String,
        ms: u128,
        what: &'static str,
    },
    #[error("{target}: {direction} frame of {size} bytes is larger than the {limit}-byte limit")]
    TooLarge {
        target: String,
        direction: &'static str,
        size: usize,
        limit: usize,
    },
    #[error("{target}: flooded: {dropped} unsolicited frames arrived beyond the {limit}-frame backlog and were dropped")]
    Flooded {
        target: String,
        dropped: u64,
        limit: usize,
    },
    #[error("{target}: peer closed the connection {what}")]
    Closed { target: String, what: &'static str },
    #[error("{target}: {source}")]
    Io {
        target: String,
        source: std::io::Error,
    },
    #[error("{target}: cannot start the child process: {source}")]
    Spawn {
        target: String,
        source: std::io::Error,
    },
    #[error("{target}: child exited with {status}{stderr}")]
    ChildExited {
        target: String,
        status: String,
        /// The last line of its standard error, prefixed with "; stderr: ", or empty.
        stderr: String,
    },
    #[error("{target}: no recorded response for command {command}")]
    NoRecordedResponse { target: String, command: String },
    #[error("{target}: no way to put the device into the state of {variant} (declare a device-state hook in the profile)")]
    NoStateControl { target: String, variant: String },
    #[error("{target}: cannot put the device into the state of {variant}: {reason}")]
    StateControl {
        target: String,
        variant: String,
        reason: String,
    },
    #[error("{target}: cannot read the recordings: {reason}")]
    Replay { target: String, reason: String },
    #[error("{target}: {source}")]
    Reference {
        target: String,
        source: ReferenceError,
    },
    #[error("{target}: HTTP {status} from {endpoint}: {body}")]
    HttpStatus {
        target: String,
        status: String,
        endpoint: &'static str,
        /// The first line of the body, shortened.
        body: String,
    },
    #[error("{target}: non-GBCS body (content-type {content_type})")]
    NonGbcsBody {
        target: String,
        content_type: String,
    },
    #[error("{target}: alert callback with a bad body: {reason}")]
    BadAlertCallback { target: String, reason: String },
    #[error("{target}: cannot start the alert callback listener: {source}")]
    Listener {
        target: String,
        source: std::io::Error,
    },
    #[error("{target}: {source}")]
    Duis {
        target: String,
        source: Box<DuisError>,
    },
}

/// The state a scenario needs the device in before its command: the recorded variant whose
/// outcome the device must reproduce (an RTDS `_ERROR_` or `NOT_FOUND` variant, a `_TWIN_`
/// meter). It applies to the next command the device receives, then lapses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceState {
    /// The use case, e.g. `ECS17b`.
    pub use_case: String,
    /// The recorded variant, e.g. `ECS17b_4.1.1_ERROR`.
    pub variant: String,
    /// The device that must be in that state.
    pub device: EntityId,
}

/// A way of reaching a device under test.
pub trait Transport: Send {
    /// Sends one command frame and collects what comes back, until `response_timeout` has
    /// passed since the last frame, or a response arrived and then `alert_grace` passed (for
    /// alerts the command triggers). Nothing at all coming back is a timeout error; alerts
    /// without a response are returned as they are, for the checker to judge.
    fn exchange<'a>(
        &'a mut self,
        frame: &'a [u8],
        limits: &'a Limits,
    ) -> BoxFuture<'a, Result<Received, TransportError>>;

    /// Hands one command to the target and returns the wait for its answer. A transport that
    /// keeps several commands in flight (`tcp://`, `exec:`) returns once the command is
    /// written, so the caller can send the next one meanwhile; commands reach the device in
    /// the order they are submitted. Others answer at once.
    fn submit<'a>(
        &'a mut self,
        frame: &'a [u8],
        limits: &'a Limits,
    ) -> BoxFuture<'a, Result<AnswerFuture, TransportError>> {
        Box::pin(async move {
            let answer = self.exchange(frame, limits).await;
            Ok(Box::pin(std::future::ready(answer)) as AnswerFuture)
        })
    }

    /// Whether several commands can be in flight at once: [`Transport::submit`] returns as
    /// soon as the command is on its way and answers are matched to commands.
    fn overlaps(&self) -> bool {
        false
    }

    /// Where the transport pins the frames that answer no command (alerts above all), for
    /// any scenario to read without holding the transport. `None` for transports whose
    /// [`Transport::alerts`] is the only way.
    fn alert_board(&self) -> Option<Arc<AlertBoard>> {
        None
    }

    /// Waits up to `wait` for unsolicited alerts; returns early once some have arrived.
    fn alerts(&mut self, wait: Duration) -> BoxFuture<'_, Result<Vec<TimedFrame>, TransportError>>;

    /// The target, as a URL, for reports: e.g. `tcp://127.0.0.1:4059`.
    fn describe(&self) -> String;

    /// Puts the device into the state a recorded variant needs (see [`DeviceState`]). A
    /// transport without such a channel says so; a profile can supply one instead (a hook).
    fn prepare<'a>(
        &'a mut self,
        state: &'a DeviceState,
        _limits: &'a Limits,
    ) -> BoxFuture<'a, Result<(), TransportError>> {
        let target = self.describe();
        let variant = state.variant.clone();
        Box::pin(async move { Err(TransportError::NoStateControl { target, variant }) })
    }

    /// What the target wrote to its standard error so far (`exec:` only).
    fn stderr(&self) -> Option<String> {
        None
    }
}

/// Opens the transport a URL names. Nothing is connected or spawned yet: that happens on
/// first use, inside a runtime and under the exchange's timeouts.
pub fn open(url: &str, options: &OpenOptions) -> Result<Box<dyn Transport>, TransportError> {
    let bad = |reason: &str| TransportError::BadUrl {
        url: url.to_string(),
        reason: reason.to_string(),
    };
    if url.starts_with("sim://") {
        Ok(Box::new(SimTransport::from_query(url)?))
    } else if let Some(rest) = url.strip_prefix("tcp://") {
        let addr = rest.trim_end_matches('/');
        if addr.is_empty() || !addr.contains(':') {
            return Err(bad("expected tcp://host:port"));
        }
        Ok(Box::new(TcpTransport::new(addr, options.clone())))
    } else if let Some(rest) = url.strip_prefix("exec:") {
        let argv = exec::split_command(rest).map_err(|r| bad(&r))?;
        if argv.is_empty() {
            return Err(bad("expected exec:CMD ARGS"));
        }
        Ok(Box::new(ExecTransport::new(argv, options.clone())))
    } else if url.starts_with("http://") || url.starts_with("https://") {
        Ok(Box::new(HttpTransport::new(url, options.clone())?))
    } else if let Some(rest) = url.strip_prefix("replay:") {
        if rest.is_empty() {
            return Err(bad("expected replay:DIR"));
        }
        Ok(Box::new(ReplayTransport::load(std::path::Path::new(rest))?))
    } else if url.starts_with("reference:") {
        Ok(Box::new(ReferenceTransport::from_url(url)?))
    } else if url.starts_with("duis://") {
        Ok(Box::new(DuisTransport::new(url, options.clone())?))
    } else {
        Err(bad(
            "unknown scheme (sim://, tcp://, exec:, replay:, reference:, http://, https://, duis://)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked() {
        let o = OpenOptions::default();
        for url in [
            "ftp://x",
            "tcp://",
            "tcp://nohost",
            "exec:",
            "exec:'open",
            "replay:",
            "reference:",
            "reference:?keys=x",
        ] {
            let e = open(url, &o).err().expect(url).to_string();
            assert!(e.contains("bad transport URL"), "{e}");
            assert!(!e.contains('\n'));
        }
        let e = open("sim://?fault=no-such-fault", &o).err().unwrap();
        assert!(e.to_string().contains("no-such-fault"), "{e}");
        assert_eq!(
            open("tcp://127.0.0.1:9", &o).unwrap().describe(),
            "tcp://127.0.0.1:9"
        );
        for url in ["http://127.0.0.1:9/he", "https://head-end.test"] {
            assert_eq!(open(url, &o).unwrap().describe(), url);
        }
        let e = open("http://", &o).err().unwrap().to_string();
        assert!(e.contains("bad transport URL"), "{e}");
    }

    #[test]
    fn an_absurd_wait_does_not_overflow_the_clock() {
        let far = deadline_after(Duration::MAX);
        assert!(far > Instant::now() + Duration::from_secs(3600));
        let soon = deadline_after(Duration::from_millis(5));
        assert!(soon <= Instant::now() + Duration::from_millis(5));
    }

    #[test]
    fn undecodable_frames_count_as_responses() {
        let mut r = Received::default();
        r.push(TimedFrame::now(b"garbage".to_vec()));
        assert_eq!(r.responses.len(), 1);
        assert!(r.alerts.is_empty());
    }
}
