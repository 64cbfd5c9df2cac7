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

pub mod http;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{broadcast, mpsc};

use super::framing::{read_frame, write_frame, FramingError};

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

/// Serves one stream until the peer closes it or breaks the framing.
pub async fn serve_stream<S>(
    shared: SharedSimulator,
    stream: S,
    max_frame: usize,
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
    let result = loop {
        tokio::select! {
            frame = frames.recv() => {
                let frame = match frame {
                    None => break Ok(()),
                    Some(Err(e)) => break Err(e),
                    Some(Ok(frame)) => frame,
                };
                let exchange = shared.lock().handle(&frame);
                if let Some(delay) = exchange.delay {
                    tokio::time::sleep(delay).await;
                }
                for out in exchange.response.iter().chain(exchange.alerts.iter()) {
                    if let Err(e) = write_frame(&mut writer, out).await {
                        return Err(e.into());
                    }
                }
            }
            alert = alerts.recv() => match alert {
                Ok(alert) => write_frame(&mut writer, &alert).await?,
                // A connection too slow to keep up loses the oldest alerts, not the server.
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => {}
            },
        }
    };
    reading.abort();
    result
}

/// Accepts connections forever, each served on its own task.
pub async fn serve_tcp(
    shared: SharedSimulator,
    listener: TcpListener,
    max_frame: usize,
) -> std::io::Result<()> {
    loop {
        let (socket, _) = listener.accept().await?;
        let _ = socket.set_nodelay(true);
        let shared = shared.clone();
        tokio::spawn(async move {
            // Framing errors end only this connection.
            let _ = serve_stream(shared, socket, max_frame).await;
        });
    }
}
