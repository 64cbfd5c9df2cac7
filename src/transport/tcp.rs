//! `tcp://host:port`: a device, emulator or gateway on a socket. Connects on first use and
//! again whenever the peer has closed or broken the stream, so one misbehaving exchange
//! fails only itself.

use std::time::Duration;

use tokio::net::TcpStream;

use super::link::Link;
use super::{BoxFuture, Limits, OpenOptions, Received, TimedFrame, Transport, TransportError};

pub struct TcpTransport {
    addr: String,
    options: OpenOptions,
    link: Option<Link>,
    /// Unsolicited frames that arrived between exchanges, for [`Transport::alerts`].
    pending: Vec<TimedFrame>,
}

impl TcpTransport {
    pub fn new(addr: &str, options: OpenOptions) -> Self {
        TcpTransport {
            addr: addr.to_string(),
            options,
            link: None,
            pending: Vec::new(),
        }
    }

    async fn connected(&mut self, limits: &Limits) -> Result<&mut Link, TransportError> {
        if let Some(link) = &mut self.link {
            // A close noticed here belongs to no exchange: just reconnect.
            if link.drain(&mut self.pending).is_some() || link.dead {
                self.link = None;
            }
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
            self.link = Some(Link::new(target, r, w, limits.max_frame));
        }
        Ok(self.link.as_mut().expect("connected above"))
    }

    async fn do_exchange(
        &mut self,
        frame: &[u8],
        limits: &Limits,
    ) -> Result<Received, TransportError> {
        let link = self.connected(limits).await?;
        let result = link.exchange(frame, limits).await;
        // After an error (including a timeout, whose late answer would otherwise be taken
        // for the next command's) the stream is not trusted again.
        if result.is_err() || link.dead {
            self.link = None;
        }
        result
    }

    async fn do_alerts(&mut self, wait: Duration) -> Result<Vec<TimedFrame>, TransportError> {
        let limits = self.options.limits.clone();
        self.connected(&limits).await?;
        let mut out = std::mem::take(&mut self.pending);
        let link = self.link.as_mut().expect("connected above");
        let link_result = link.alerts(wait, &mut out).await;
        if link_result.is_err() || self.link.as_ref().is_some_and(|l| l.dead) {
            self.link = None;
        }
        link_result.map(|()| out)
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

    fn alerts(&mut self, wait: Duration) -> BoxFuture<'_, Result<Vec<TimedFrame>, TransportError>> {
        Box::pin(self.do_alerts(wait))
    }

    fn describe(&self) -> String {
        format!("tcp://{}", self.addr)
    }
}
