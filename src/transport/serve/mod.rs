//! The device side of the transports: a simulator served over length-prefixed streams: TCP (`simulate --listen`, many
//! connections at once) and standard input/output (`simulate --stdio`, for the `exec:`
//! transport).
//!
//! A connection that sends an oversized or truncated frame is closed; a frame the devices
//! discard (bad MAC, replay, garbage) gets no answer, as on a real meter; neither affects
//! other connections. Responses and the alerts a command triggers at once are written back on
//! the connection that carried the command. The served devices' clock runs in real time from
//! the simulator's start date, and future-dated alerts that fall due are sent, unsolicited, to
//! every open connection (the harness listens for alerts on each of its streams).
//!
//! Nothing a peer does ends the TCP server: a connection silent for the idle timeout is
//! closed, at most a bounded number are served at once (see [`connections`]), a peer that
//! stops reading is dropped after a write timeout, and an accept error (out of file
//! descriptors) pauses the accept loop rather than ending it.

pub mod connections;
pub mod http;
pub mod subscribers;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{broadcast, mpsc};

use super::framing::{read_frame, write_frame, FramingError};
use connections::{Admission, Connections, Slot};

use crate::sim::simulator::Simulator;

/// A simulator shared by the connections of one server, with its alert fan-out.
#[derive(Clone)]
pub struct SharedSimulator {
    sim: Arc<Mutex<Simulator>>,
    alerts: broadcast::Sender<Arc<Vec<u8>>>,
}

impl SharedSimulator {
    pub fn new(sim: Simulator) -> Self {
        let (alerts, _) = broadcast::channel(1024);
        SharedSimulator {
            sim: Arc::new(Mutex::new(sim)),
            alerts,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Simulator> {
        // A poisoned lock means a device model panicked on an earlier command; the state is
        // still usable for the others, so keep serving.
        self.sim.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Hands one command to the devices.
    pub fn handle(&self, frame: &[u8]) -> crate::sim::Exchange {
        self.lock().handle(frame)
    }

    /// Future-dated alerts as they fall due (see [`SharedSimulator::start_clock`]).
    pub fn subscribe_alerts(&self) -> broadcast::Receiver<Arc<Vec<u8>>> {
        self.alerts.subscribe()
    }

    /// Moves the devices' clock with wall time, once a second, publishing due alerts.
    pub fn start_clock(&self) -> tokio::task::JoinHandle<()> {
        let shared = self.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            let start_clock = shared.lock().clock();
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                let now = start_clock.saturating_add(started.elapsed().as_secs() as u32);
                let due = shared.lock().advance_to(now);
                for alert in due {
                    // No receiver is fine: nobody is connected to hear it.
                    let _ = shared.alerts.send(Arc::new(alert));
                }
            }
        })
    }
}

/// How a TCP server (`simulate --listen`) treats its connections.
#[derive(Debug, Clone, Copy)]
pub struct ServeOptions {
    /// Largest frame accepted on a connection, in bytes.
    pub max_frame: usize,
    /// A connection that sends no frame for this long is closed.
    pub idle_timeout: Duration,
    /// Connections served at once; lowered to what the file-descriptor limit allows.
    pub max_connections: usize,
}

/// Five minutes: far longer than any pause in a scenario, short enough that abandoned
/// sockets do not pile up.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(300);
/// Well above what a harness run opens, well below a typical file-descriptor limit.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            max_frame: super::framing::DEFAULT_MAX_FRAME,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// How long writing one frame may take: a peer that stops reading cannot hold its task (and
/// the alerts queued for it) forever.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// File descriptors kept back from the connection limit: standard streams, the listener, the
/// runtime's own, a socket accepted only to be closed, connections still closing.
const FD_RESERVE: u64 = 32;
/// The pause after an accept error (out of file descriptors, say), doubling while errors
/// persist, up to [`ACCEPT_BACKOFF_MAX`].
const ACCEPT_BACKOFF_MIN: Duration = Duration::from_millis(10);
const ACCEPT_BACKOFF_MAX: Duration = Duration::from_secs(1);
/// At most one log line per this interval about turned-away connections or accept errors.
const LOG_INTERVAL: Duration = Duration::from_secs(5);

/// Serves one stream until the peer closes it or breaks the framing (standard input/output:
/// no idle timeout, the session lasts as long as its parent wants).
pub async fn serve_stream<S>(
    shared: SharedSimulator,
    stream: S,
    max_frame: usize,
) -> Result<(), FramingError>
where
    S: AsyncRead + AsyncWrite + Send + 'static,
{
    serve_connection(shared, stream, max_frame, None, None).await
}

/// Writes one frame within [`WRITE_TIMEOUT`].
async fn send<W: AsyncWrite + Unpin>(writer: &mut W, frame: &[u8]) -> Result<(), FramingError> {
    match tokio::time::timeout(WRITE_TIMEOUT, write_frame(writer, frame)).await {
        Ok(written) => Ok(written?),
        Err(_) => Err(FramingError::Io(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            "the peer stopped reading",
        ))),
    }
}

/// Serves one connection until the peer closes it, breaks the framing, stays silent past
/// `idle_timeout`, or a newer connection takes its `slot`.
async fn serve_connection<S>(
    shared: SharedSimulator,
    stream: S,
    max_frame: usize,
    idle_timeout: Option<Duration>,
    slot: Option<Slot>,
) -> Result<(), FramingError>
where
    S: AsyncRead + AsyncWrite + Send + 'static,
{
    let (mut reader, mut writer) = tokio::io::split(stream);
    // Frames are read on their own task: a read interrupted half-way by an alert would lose
    // bytes and desynchronise the stream, whereas a channel receive can be interrupted safely.
    let (frames_tx, mut frames) = mpsc::channel::<Result<Vec<u8>, FramingError>>(16);
    let reading = tokio::spawn(async move {
        loop {
            let next = read_frame(&mut reader, max_frame).await;
            let end = !matches!(next, Ok(Some(_)));
            let sent = match next {
                Ok(Some(frame)) => frames_tx.send(Ok(frame)).await,
                Ok(None) => Ok(()),
                Err(e) => frames_tx.send(Err(e)).await,
            };
            if end || sent.is_err() {
                break;
            }
        }
    });
    let mut alerts = shared.alerts.subscribe();
    let idle_deadline = || idle_timeout.map(|d| tokio::time::Instant::now() + d);
    let mut idle_until = idle_deadline();
    let replaced = async {
        match &slot {
            Some(slot) => slot.replaced().await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(replaced);
    let result = loop {
        tokio::select! {
            frame = frames.recv() => {
                let frame = match frame {
                    None => break Ok(()),
                    Some(Err(e)) => break Err(e),
                    Some(Ok(frame)) => frame,
                };
                idle_until = idle_deadline();
                if let Some(slot) = &slot {
                    slot.touch();
                }
                let exchange = shared.lock().handle(&frame);
                if let Some(delay) = exchange.delay {
                    tokio::time::sleep(delay).await;
                }
                let mut written = Ok(());
                for out in exchange.response.iter().chain(exchange.alerts.iter()) {
                    written = send(&mut writer, out).await;
                    if written.is_err() {
                        break;
                    }
                }
                if let Err(e) = written {
                    break Err(e);
                }
            }
            alert = alerts.recv() => match alert {
                Ok(alert) => {
                    if let Err(e) = send(&mut writer, &alert).await {
                        break Err(e);
                    }
                }
                // A connection too slow to keep up loses the oldest alerts, not the server.
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => {}
            },
            () = sleep_until_some(idle_until) => break Ok(()),
            () = &mut replaced => break Ok(()),
        }
    };
    reading.abort();
    result
}

/// Sleeps until `deadline`, or forever without one.
async fn sleep_until_some(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// An accept error that concerns only the connection being accepted (the peer gave up
/// before it was taken): the next accept may succeed at once.
fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionAborted | ConnectionReset | ConnectionRefused | Interrupted | WouldBlock
    )
}

/// The soft limit on open files of this process, where the platform says (Linux's
/// `/proc/self/limits`); `None` when unknown or unlimited.
fn open_files_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.trim_start_matches("Max open files")
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The connection limit: `wanted`, lowered so that the connections and
/// [`FD_RESERVE`] fit under the file-descriptor limit `fds` (when known).
fn connection_limit(wanted: usize, fds: Option<u64>) -> usize {
    match fds {
        Some(fds) => {
            let room = usize::try_from(fds.saturating_sub(FD_RESERVE)).unwrap_or(usize::MAX);
            wanted.min(room).max(1)
        }
        None => wanted.max(1),
    }
}

/// Rate-limits the server's complaints to one line per [`LOG_INTERVAL`].
struct Complaints {
    last: Option<Instant>,
}

impl Complaints {
    fn say(&mut self, line: impl FnOnce() -> String) {
        if self.last.is_none_or(|t| t.elapsed() >= LOG_INTERVAL) {
            self.last = Some(Instant::now());
            eprintln!("{}", line());
        }
    }
}

/// Accepts connections forever, each served on its own task, at most
/// `options.max_connections` at once (see [`connections`]). An accept error never ends the
/// server: out of file descriptors, it pauses (briefly, bounded) and accepts again.
pub async fn serve_tcp(shared: SharedSimulator, listener: TcpListener, options: ServeOptions) {
    let fds = open_files_limit();
    let limit = connection_limit(options.max_connections, fds);
    if limit < options.max_connections {
        eprintln!(
            "serving at most {limit} connections at once (open-file limit {})",
            fds.unwrap_or_default()
        );
    }
    let registry = Connections::new(limit);
    let mut complaints = Complaints { last: None };
    let mut backoff = ACCEPT_BACKOFF_MIN;
    loop {
        let socket = match listener.accept().await {
            Ok((socket, _)) => socket,
            Err(e) if is_connection_error(&e) => continue,
            Err(e) => {
                complaints.say(|| format!("accept failed ({e}): pausing {backoff:?}"));
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(ACCEPT_BACKOFF_MAX);
                continue;
            }
        };
        backoff = ACCEPT_BACKOFF_MIN;
        let slot = match registry.admit() {
            Admission::Admitted(slot) | Admission::Replaced(slot) => slot,
            Admission::Refused => {
                drop(socket);
                let turnover = registry.turnover();
                complaints.say(|| {
                    format!(
                        "connection limit ({limit}) reached: {} connections refused, {} idle ones replaced so far",
                        turnover.refused, turnover.replaced
                    )
                });
                continue;
            }
        };
        let _ = socket.set_nodelay(true);
        let shared = shared.clone();
        let (max_frame, idle) = (options.max_frame, options.idle_timeout);
        tokio::spawn(async move {
            // Framing errors end only this connection.
            let _ = serve_connection(shared, socket, max_frame, Some(idle), Some(slot)).await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_limit_fits_under_the_file_limit() {
        assert_eq!(connection_limit(1024, None), 1024);
        assert_eq!(connection_limit(1024, Some(20_000)), 1024);
        assert_eq!(connection_limit(1024, Some(256)), 256 - FD_RESERVE as usize);
        assert_eq!(connection_limit(1024, Some(8)), 1);
        assert_eq!(connection_limit(0, None), 1);
    }

    #[test]
    fn this_process_has_a_file_limit_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(open_files_limit().is_some_and(|n| n > 0));
        }
    }
}
