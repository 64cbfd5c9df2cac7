//! Serving a simulator over length-prefixed streams: TCP (`simulate --listen`, many
//! connections at once) and standard input/output (`simulate --stdio`, for the `exec:`
//! transport).
//!
//! A connection that sends an oversized or truncated frame is closed; a frame the devices
//! discard (bad MAC, replay, garbage) gets no answer, as on a real meter; neither affects
//! other connections. Responses and the alerts a command triggers are written back on the
//! connection that carried the command.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;

use crate::transport::framing::{read_frame, write_frame, FramingError};

use super::simulator::Simulator;

pub type SharedSimulator = Arc<Mutex<Simulator>>;

/// Serves one stream until the peer closes it or breaks the framing.
pub async fn serve_stream<S: AsyncRead + AsyncWrite + Unpin>(
    sim: SharedSimulator,
    mut stream: S,
    max_frame: usize,
) -> Result<(), FramingError> {
    while let Some(frame) = read_frame(&mut stream, max_frame).await? {
        let exchange = {
            // A poisoned lock means a device model panicked on an earlier command; the state
            // is still usable for the others, so keep serving.
            let mut sim = sim.lock().unwrap_or_else(|e| e.into_inner());
            sim.handle(&frame)
        };
        if let Some(delay) = exchange.delay {
            tokio::time::sleep(delay).await;
        }
        for out in exchange.response.iter().chain(exchange.alerts.iter()) {
            write_frame(&mut stream, out).await?;
        }
    }
    Ok(())
}

/// Accepts connections forever, each served on its own task.
pub async fn serve_tcp(
    sim: SharedSimulator,
    listener: TcpListener,
    max_frame: usize,
) -> std::io::Result<()> {
    loop {
        let (socket, _) = listener.accept().await?;
        let _ = socket.set_nodelay(true);
        let sim = sim.clone();
        tokio::spawn(async move {
            // Framing errors end only this connection.
            let _ = serve_stream(sim, socket, max_frame).await;
        });
    }
}
