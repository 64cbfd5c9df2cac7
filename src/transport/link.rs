//! A length-prefixed stream in both directions (a socket, or a child's stdin/stdout), shared
//! by `tcp://` and `exec:`: one conversation with the device and several commands in flight
//! on it. A response is matched to its command by the command's originator and counter
//! (which GBCS echoes), so while one command waits out the silence a device owes a command
//! it discards, others are sent and answered. Alerts go to the [`AlertBoard`].
//!
//! Frames are read on a task of their own and routed at once, so nothing queues without
//! bound: a waiting command holds at most its one response, and the board keeps a fixed
//! backlog.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{oneshot, Notify};
use tokio::task::JoinHandle;

use super::alert_board::{AlertBoard, AlertMark, ALERT_BACKLOG};
use super::framing::{read_frame, write_frame, FramingError};
use super::{Limits, Received, TimedFrame, TransportError};
use crate::codec::{decode_frame, CraFlag, EntityId};

/// Which command a response answers: the command's originator and its counter.
type Key = (EntityId, u64);

/// Commands whose wait ended unanswered that are remembered, so that a late answer to one
/// is dropped rather than handed to another command.
const EXPIRED_KEPT: usize = 1024;

/// Why the stream stopped, kept so every waiter can be told.
#[derive(Debug, Clone)]
enum Ended {
    /// The peer closed between frames.
    Clean,
    Closed(&'static str),
    TooLarge {
        announced: usize,
        limit: usize,
    },
    Io(std::io::ErrorKind, String),
}

impl From<FramingError> for Ended {
    fn from(e: FramingError) -> Self {
        match e {
            FramingError::Closed(what) => Ended::Closed(what),
            FramingError::TooLarge { announced, limit } => Ended::TooLarge { announced, limit },
            FramingError::Io(e) => Ended::Io(e.kind(), e.to_string()),
        }
    }
}

impl Ended {
    fn error(&self, target: &str) -> TransportError {
        let target = target.to_string();
        match self {
            Ended::Clean => TransportError::Closed {
                target,
                what: "before answering",
            },
            Ended::Closed(what) => TransportError::Closed { target, what },
            Ended::TooLarge { announced, limit } => TransportError::TooLarge {
                target,
                direction: "incoming",
                size: *announced,
                limit: *limit,
            },
            Ended::Io(kind, message) => TransportError::Io {
                target,
                source: std::io::Error::new(*kind, message.clone()),
            },
        }
    }
}

struct Waiter {
    id: u64,
    key: Option<Key>,
    sent: Instant,
    answer: oneshot::Sender<Result<Answer, Ended>>,
}

/// A response, and when the device can first have started on its command.
struct Answer {
    frame: TimedFrame,
    started: Instant,
}

#[derive(Default)]
struct Routes {
    /// Commands in flight, oldest first.
    waiting: VecDeque<Waiter>,
    expired: VecDeque<Key>,
    ended: Option<Ended>,
    next_id: u64,
    /// When the last frame arrived.
    last_frame: Option<Instant>,
    /// When the last response that answered a command in flight arrived.
    last_answer: Option<Instant>,
    /// A command went unanswered and nothing at all has come since it was sent: the stream
    /// may be dead without saying so, and is replaced once no command is in flight on it.
    silent: bool,
}

/// The routing table the reader task and the senders share.
#[derive(Default)]
struct Router {
    routes: Mutex<Routes>,
    /// Woken whenever a frame arrives or a command leaves the table.
    changed: Notify,
}

impl Router {
    fn lock(&self) -> std::sync::MutexGuard<'_, Routes> {
        self.routes.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Hands a frame to the command it answers, or pins it on the board.
    fn route(&self, frame: TimedFrame, board: &AlertBoard) {
        let header = decode_frame(&frame.frame)
            .ok()
            .map(|f| (f.header().cra, f.header().recipient, f.header().counter));
        let mut routes = self.lock();
        routes.last_frame = Some(frame.at);
        routes.silent = false;
        let waiter = match header {
            Some((CraFlag::Alert, ..)) => None,
            Some((CraFlag::Response, recipient, counter)) => {
                let key = (recipient, counter);
                match routes.waiting.iter().position(|w| w.key == Some(key)) {
                    Some(i) => routes.waiting.remove(i),
                    // A late answer to a command that was given up on belongs to nobody.
                    None if routes.expired.contains(&key) => {
                        drop(routes);
                        self.changed.notify_waiters();
                        return;
                    }
                    // An answer that names no command in flight (a counter not echoed,
                    // say) goes to the oldest command, whose checks will say what is wrong.
                    None => routes.waiting.pop_front(),
                }
            }
            // What does not decode is judged as the oldest command's answer rather than
            // vanishing; a frame flagged as a command goes to the board.
            None => routes.waiting.pop_front(),
            Some(_) => None,
        };
        let previous = match &waiter {
            Some(_) => routes.last_answer.replace(frame.at),
            None => None,
        };
        drop(routes);
        self.changed.notify_waiters();
        match waiter {
            Some(w) => {
                // A device that works through its commands one at a time was busy until
                // it sent its previous answer.
                let started = previous.map_or(w.sent, |p| p.max(w.sent));
                // The waiter may have just timed out; its frame then goes nowhere.
                let _ = w.answer.send(Ok(Answer { frame, started }));
            }
            None => board.pin(frame),
        }
    }

    /// The reader stopped: every command in flight is told why.
    fn end(&self, why: Ended) {
        let mut routes = self.lock();
        routes.ended = Some(why.clone());
        for w in routes.waiting.drain(..) {
            let _ = w.answer.send(Err(why.clone()));
        }
        drop(routes);
        self.changed.notify_waiters();
    }

    /// A command's wait ended unanswered: forget it, and remember its key. `sent` is when
    /// it was written, to tell a silent stream from a busy one.
    fn expire(&self, id: u64, key: Option<Key>, sent: Option<Instant>) {
        let mut routes = self.lock();
        routes.waiting.retain(|w| w.id != id);
        if let Some(sent) = sent {
            if routes.last_frame.is_none_or(|at| at < sent) {
                routes.silent = true;
            }
        }
        if let Some(key) = key {
            if routes.expired.len() == EXPIRED_KEPT {
                routes.expired.pop_front();
            }
            routes.expired.push_back(key);
        }
        drop(routes);
        self.changed.notify_waiters();
    }

    /// Until a device that is starting has sent its first frame, one command at a time:
    /// otherwise every command's timeout would run out together while it starts. Waits at
    /// most `limit`.
    async fn first_frame_or_idle(&self, limit: Duration) {
        let until = super::deadline_after(limit);
        loop {
            let changed = self.changed.notified();
            {
                let routes = self.lock();
                if routes.last_frame.is_some()
                    || routes.waiting.is_empty()
                    || routes.ended.is_some()
                {
                    return;
                }
            }
            if tokio::time::timeout_at(until.into(), changed)
                .await
                .is_err()
            {
                return;
            }
        }
    }
}

pub(crate) struct Link {
    target: String,
    writer: Box<dyn AsyncWrite + Send + Unpin>,
    router: Arc<Router>,
    board: Arc<AlertBoard>,
    reader: JoinHandle<()>,
    /// Set when a write failed; the owner then reconnects or respawns.
    broken: bool,
    peer: Peer,
}

/// What is at the other end of the stream.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Peer {
    /// A socket's peer: up when connected. A connection that falls silent with nothing in
    /// flight may be half-open, and is replaced.
    Socket,
    /// A child process: it may take `startup` to start, on top of its first answer's
    /// timeout; it is replaced only when it exits or breaks the framing (a silent child is
    /// discarding commands, as a device must).
    Child { startup: Duration },
}

impl Peer {
    fn startup(self) -> Duration {
        match self {
            Peer::Socket => Duration::ZERO,
            Peer::Child { startup } => startup,
        }
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

/// A command on its way: wait for its answer without holding the link.
pub(crate) struct AnswerWait {
    target: String,
    id: u64,
    key: Option<Key>,
    answer: oneshot::Receiver<Result<Answer, Ended>>,
    router: Arc<Router>,
    board: Arc<AlertBoard>,
    mark: AlertMark,
    sent: Instant,
    /// Commands in flight when this one was sent.
    ahead: u32,
    /// Extra time for the first command to a device that is starting.
    starting: Duration,
    limits: Limits,
}

impl AnswerWait {
    /// The command's response (and the alerts that came while it was awaited), or why there
    /// is none: silence until the response timeout, a closed stream, a flood. The timeout
    /// runs from the later of the command and the device's last answer to another command:
    /// a device still working through earlier commands is busy, not silent. It is never
    /// extended past one timeout per command that was ahead of this one.
    pub(crate) async fn wait(mut self) -> Result<Received, TransportError> {
        let timeout = self.limits.response_timeout.saturating_add(self.starting);
        let after = |from: Instant, wait: Duration| from.checked_add(wait).unwrap_or(from);
        let cap = after(
            self.sent,
            timeout.saturating_mul(self.ahead.saturating_add(1)),
        );
        let answer = loop {
            let last = self.router.lock().last_answer;
            let deadline = after(last.map_or(self.sent, |l| l.max(self.sent)), timeout).min(cap);
            match tokio::time::timeout_at(deadline.into(), &mut self.answer).await {
                Ok(answer) => break Ok(answer),
                Err(_) if deadline < cap && self.router.lock().last_answer != last => continue,
                Err(elapsed) => break Err(elapsed),
            }
        };
        let dropped = self.board.dropped_since(self.mark);
        if dropped > 0 {
            self.router.expire(self.id, self.key, None);
            return Err(TransportError::Flooded {
                target: self.target,
                dropped,
                limit: ALERT_BACKLOG,
            });
        }
        let since = self.board.since(self.mark);
        let received = |responses, started| Received {
            responses,
            alerts: since.frames.clone(),
            started,
        };
        match answer {
            Ok(Ok(Ok(Answer { frame, started }))) => Ok(received(vec![frame], Some(started))),
            Ok(Ok(Err(ended))) if since.frames.is_empty() => Err(ended.error(&self.target)),
            // Alerts without a response are returned as they are, for the checks to judge.
            Ok(Ok(Err(_))) => Ok(received(Vec::new(), None)),
            Ok(Err(_)) => Err(Ended::Clean.error(&self.target)),
            Err(_) => {
                self.router.expire(self.id, self.key, Some(self.sent));
                if since.frames.is_empty() {
                    Err(TransportError::Timeout {
                        target: self.target,
                        ms: self.limits.response_timeout.as_millis(),
                        what: "waiting for a response",
                    })
                } else {
                    Ok(received(Vec::new(), None))
                }
            }
        }
    }
}

/// An outgoing frame over the limit is refused before anything is connected or sent.
pub(crate) fn refuse_oversized(
    target: &str,
    frame: &[u8],
    limits: &Limits,
) -> Result<(), TransportError> {
    if frame.len() > limits.max_frame {
        return Err(TransportError::TooLarge {
            target: target.to_string(),
            direction: "outgoing",
            size: frame.len(),
            limit: limits.max_frame,
        });
    }
    Ok(())
}

impl Link {
    pub(crate) fn new<R, W>(
        target: String,
        reader: R,
        writer: W,
        max_frame: usize,
        board: Arc<AlertBoard>,
        peer: Peer,
    ) -> Self
    where
        R: AsyncRead + Send + Unpin + 'static,
        W: AsyncWrite + Send + Unpin + 'static,
    {
        // A half-done read cannot be cancelled without desynchronising the stream, so the
        // reader runs on its own and routes each frame as it completes.
        let router = Arc::new(Router::default());
        let (routing, pinning) = (router.clone(), board.clone());
        let reader = tokio::spawn(async move {
            let mut reader = reader;
            loop {
                match read_frame(&mut reader, max_frame).await {
                    Ok(Some(frame)) => routing.route(
                        TimedFrame {
                            frame,
                            at: Instant::now(),
                        },
                        &pinning,
                    ),
                    Ok(None) => return routing.end(Ended::Clean),
                    Err(e) => return routing.end(e.into()),
                }
            }
        });
        Link {
            target,
            writer: Box::new(writer),
            router,
            board,
            reader,
            broken: false,
            peer,
        }
    }

    /// Whether the stream should carry no more commands: the peer closed it or broke the
    /// framing, a write failed, or (a socket) it fell silent with nothing in flight.
    pub(crate) fn is_dead(&self) -> bool {
        let routes = self.router.lock();
        let half_open =
            matches!(self.peer, Peer::Socket) && routes.silent && routes.waiting.is_empty();
        self.broken || routes.ended.is_some() || half_open
    }

    /// Writes one command and returns the wait for its answer. Commands reach the peer in
    /// the order they are submitted.
    pub(crate) async fn submit(
        &mut self,
        frame: &[u8],
        limits: &Limits,
    ) -> Result<AnswerWait, TransportError> {
        refuse_oversized(&self.target, frame, limits)?;
        if !self.peer.startup().is_zero() {
            self.router
                .first_frame_or_idle(limits.response_timeout)
                .await;
        }
        let key = decode_frame(frame)
            .ok()
            .map(|f| (f.header().originator, f.header().counter));
        let (answer_tx, answer) = oneshot::channel();
        let sent = Instant::now();
        let (id, ahead, starting) = {
            let mut routes = self.router.lock();
            if let Some(ended) = &routes.ended {
                return Err(ended.error(&self.target));
            }
            let ahead = u32::try_from(routes.waiting.len()).unwrap_or(u32::MAX);
            let starting = match routes.last_frame {
                None => self.peer.startup(),
                Some(_) => Duration::ZERO,
            };
            let id = routes.next_id;
            routes.next_id += 1;
            routes.waiting.push_back(Waiter {
                id,
                key,
                sent,
                answer: answer_tx,
            });
            (id, ahead, starting)
        };
        let mark = self.board.mark();
        // A peer that stops reading fills the socket buffer; the write must not hang.
        let written = tokio::time::timeout(
            limits.response_timeout,
            write_frame(&mut self.writer, frame),
        )
        .await;
        let failed = match written {
            Ok(Ok(())) => None,
            Err(_) => Some(TransportError::Timeout {
                target: self.target.clone(),
                ms: limits.response_timeout.as_millis(),
                what: "sending the command",
            }),
            Ok(Err(source)) => Some(TransportError::Io {
                target: self.target.clone(),
                source,
            }),
        };
        if let Some(e) = failed {
            self.broken = true;
            self.router.expire(id, None, None);
            return Err(e);
        }
        Ok(AnswerWait {
            target: self.target.clone(),
            id,
            key,
            answer,
            router: self.router.clone(),
            board: self.board.clone(),
            mark,
            sent,
            ahead,
            starting,
            limits: limits.clone(),
        })
    }
}
