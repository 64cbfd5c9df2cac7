//! `tcp://host:port`: a device, emulator or gateway on a socket. Connects on first use and
//! again whenever the peer has closed or broken the stream, so one misbehaving exchange
//! fails only the commands in flight on it. Several commands may be in flight at once
//! (see `link`).

use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpStream;

use super::alert_board::{AlertBoard, AlertMark};
use super::link::{refuse_oversized, Link, Peer};
use super::{
    AnswerFuture, BoxFuture, Limits, OpenOptions, Received, TimedFrame, Transport, TransportError,
};

pub struct TcpTransport {
    addr: String,
    options: OpenOptions,
    link: Option<Link>,
    /// Unasked frames, kept across reconnections.
    board: Arc<AlertBoard>,
    /// How far [`Transport::alerts`] has read the board.
    read: AlertMark,
}

impl TcpTransport {
    pub fn new(addr: &str, options: OpenOptions) -> Self {
        let board = Arc::new(AlertBoard::default());
        TcpTransport {
            addr: addr.to_string(),
            options,
            read: board.mark(),
            link: None,
            board,
        }
    }

    async fn connected(&mut self, limits: &Limits) -> Result<&mut Link, TransportError> {
        if self.link.as_ref().is_some_and(Link::is_dead) {
            self.link = None;
        }
        if self.link.is_none() {
            let target = self.describe();
            let stream =
                match tokio::time::timeout(limits.connect_timeout, TcpStream::connect(&self.addr))
                    .await
                {
                    Err(_) => {
                        return Err(TransportError::Timeout {
                            target,
                            ms: limits.connect_timeout.as_millis(),
                            what: "connecting",
                        })
                    }
                    Ok(Err(source)) => return Err(TransportError::Connect { target, source }),
                    Ok(Ok(s)) => s,
                };
            // Frames are small and latency is what is being measured.
            let _ = stream.set_nodelay(true);
            let (r, w) = stream.into_split();
            self.link = Some(Link::new(
                target,
                r,
                w,
                limits.max_frame,
                self.board.clone(),
                Peer::Socket,
            ));
        }
        Ok(self.link.as_mut().expect("connected above"))
    }

    async fn do_submit(
        &mut self,
        frame: &[u8],
        limits: &Limits,
    ) -> Result<AnswerFuture, TransportError> {
        refuse_oversized(&self.describe(), frame, limits)?;
        let link = self.connected(limits).await?;
        let wait = link.submit(frame, limits).await?;
        Ok(Box::pin(wait.wait()))
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
        // Alerts come on the connection: open it if nothing has yet.
        self.connected(&limits).await?;
        Ok(self.board.read_on(&mut self.read, wait).await)
    }
}

impl Transport for TcpTransport {
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
        format!("tcp://{}", self.addr)
    }
}
