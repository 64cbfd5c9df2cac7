//! A length-prefixed stream in both directions (a socket, or a child's stdin/stdout), shared
//! by `tcp://` and `exec:`.

use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::framing::{read_frame, write_frame, FramingError};
use super::{Limits, Received, TimedFrame, TransportError};

enum Incoming {
    Frame(TimedFrame),
    /// The reader stopped: `Ok` for a clean close between frames.
    Ended(Result<(), FramingError>),
}

pub(crate) struct Link {
    target: String,
    writer: Box<dyn AsyncWrite + Send + Unpin>,
    frames: mpsc::UnboundedReceiver<Incoming>,
    reader: JoinHandle<()>,
    /// Set once the reader has stopped; the owner then reconnects or respawns.
    pub(crate) dead: bool,
}

impl Drop for Link {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

impl Link {
    pub(crate) fn new<R, W>(target: String, reader: R, writer: W, max_frame: usize) -> Self
    where
        R: AsyncRead + Send + Unpin + 'static,
        W: AsyncWrite + Send + Unpin + 'static,
    {
        // Frames are read on their own task and handed over by channel: cancelling a
        // half-done read on timeout would lose bytes and desynchronise the stream, whereas a
        // channel receive can be cancelled safely. Alerts arriving between exchanges wait
        // in the channel.
        let (tx, frames) = mpsc::unbounded_channel();
        let reader = tokio::spawn(async move {
            let mut reader = reader;
            loop {
                let next = read_frame(&mut reader, max_frame).await;
                let at = Instant::now();
                let msg = match next {
                    Ok(Some(frame)) => Incoming::Frame(TimedFrame { frame, at }),
                    Ok(None) => Incoming::Ended(Ok(())),
                    Err(e) => Incoming::Ended(Err(e)),
                };
                let end = matches!(msg, Incoming::Ended(_));
                if tx.send(msg).is_err() || end {
                    break;
                }
            }
        });
        Link {
            target,
            writer: Box::new(writer),
            frames,
            reader,
            dead: false,
        }
    }

    /// Moves frames that arrived since the last call into `pending` (they are unsolicited:
    /// nothing was asked). Returns the reader's end, if it has stopped.
    pub(crate) fn drain(&mut self, pending: &mut Vec<TimedFrame>) -> Option<TransportError> {
        while let Ok(msg) = self.frames.try_recv() {
            match msg {
                Incoming::Frame(f) => pending.push(f),
                Incoming::Ended(r) => {
                    self.dead = true;
                    return Some(self.ended(r));
                }
            }
        }
        None
    }

    fn ended(&self, r: Result<(), FramingError>) -> TransportError {
        let target = self.target.clone();
        match r {
            Ok(()) => TransportError::Closed {
                target,
                what: "before answering",
            },
            Err(FramingError::Closed(what)) => TransportError::Closed { target, what },
            Err(FramingError::TooLarge { announced, limit }) => TransportError::TooLarge {
                target,
                direction: "incoming",
                size: announced,
                limit,
            },
            Err(FramingError::Io(source)) => TransportError::Io { target, source },
        }
    }

    fn timeout(&self, d: Duration, what: &'static str) -> TransportError {
        TransportError::Timeout {
            target: self.target.clone(),
            ms: d.as_millis(),
            what,
        }
    }

    pub(crate) async fn exchange(
        &mut self,
        frame: &[u8],
        limits: &Limits,
    ) -> Result<Received, TransportError> {
        if frame.len() > limits.max_frame {
            return Err(TransportError::TooLarge {
                target: self.target.clone(),
                direction: "outgoing",
                size: frame.len(),
                limit: limits.max_frame,
            });
        }
        // A peer that stops reading fills the socket buffer; the write must not hang.
        match tokio::time::timeout(
            limits.response_timeout,
            write_frame(&mut self.writer, frame),
        )
        .await
        {
            Err(_) => return Err(self.timeout(limits.response_timeout, "sending the command")),
            Ok(Err(source)) => {
                self.dead = true;
                return Err(TransportError::Io {
                    target: self.target.clone(),
                    source,
                });
            }
            Ok(Ok(())) => {}
        }
        let mut received = Received::default();
        let mut last = Instant::now();
        let mut answered = false;
        loop {
            let deadline = last
                + if answered {
                    limits.alert_grace
                } else {
                    limits.response_timeout
                };
            match tokio::time::timeout_at(deadline.into(), self.frames.recv()).await {
                Err(_) if answered || !received.alerts.is_empty() => return Ok(received),
                Err(_) => {
                    return Err(self.timeout(limits.response_timeout, "waiting for a response"))
                }
                Ok(Some(Incoming::Frame(f))) => {
                    last = f.at;
                    received.push(f);
                    answered = !received.responses.is_empty();
                }
                Ok(Some(Incoming::Ended(r))) => {
                    self.dead = true;
                    if answered {
                        return Ok(received);
                    }
                    return Err(self.ended(r));
                }
                Ok(None) => {
                    self.dead = true;
                    if answered {
                        return Ok(received);
                    }
                    return Err(self.ended(Ok(())));
                }
            }
        }
    }

    /// Waits up to `wait` for the first frame, then takes whatever else is already there.
    pub(crate) async fn alerts(
        &mut self,
        wait: Duration,
        out: &mut Vec<TimedFrame>,
    ) -> Result<(), TransportError> {
        if out.is_empty() {
            match tokio::time::timeout(wait, self.frames.recv()).await {
                Err(_) => return Ok(()),
                Ok(Some(Incoming::Frame(f))) => out.push(f),
                Ok(Some(Incoming::Ended(r))) => {
                    self.dead = true;
                    return Err(self.ended(r));
                }
                Ok(None) => {
                    self.dead = true;
                    return Err(self.ended(Ok(())));
                }
            }
        }
        match self.drain(out) {
            // What arrived before the close is still worth returning.
            Some(e) if out.is_empty() => Err(e),
            _ => Ok(()),
        }
    }
}
