//! `sim://[?fault=NAME&fault=NAME]`: the reference simulator in-process, with the default
//! profile's devices and keys (deterministic, so commands built from
//! [`DefaultProfile::generate`] elsewhere are accepted).

use std::time::{Duration, Instant};

use crate::sim::faults::{Fault, FaultSet};
use crate::sim::profile::DefaultProfile;
use crate::sim::simulator::Simulator;

use super::{BoxFuture, Limits, Received, TimedFrame, Transport, TransportError};

pub struct SimTransport {
    url: String,
    sim: Simulator,
    /// The devices' clock runs in real time from this instant, as in `simulate --listen`,
    /// so future-dated alerts fall due.
    started: Instant,
    start_clock: u32,
}

/// The fault profiles a `sim://[?fault=NAME&fault=NAME]` URL asks for.
pub fn faults_in_url(url: &str) -> Result<FaultSet, TransportError> {
    let bad = |reason: String| TransportError::BadUrl {
        url: url.to_string(),
        reason,
    };
    let rest = url
        .strip_prefix("sim://")
        .ok_or_else(|| bad("expected sim://".into()))?;
    let query = rest.trim_start_matches('/');
    let query = match query.strip_prefix('?') {
        Some(q) => q,
        None if query.is_empty() => "",
        None => return Err(bad("expected sim:// or sim://?fault=NAME".into())),
    };
    let mut faults = FaultSet::none();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("fault", name)) => faults.insert(
                name.parse::<Fault>()
                    .map_err(|_| bad(format!("unknown fault {name:?}")))?,
            ),
            _ => return Err(bad(format!("unknown parameter {pair:?}"))),
        }
    }
    Ok(faults)
}

impl SimTransport {
    pub(crate) fn from_query(url: &str) -> Result<Self, TransportError> {
        let faults = faults_in_url(url)?;
        let bad = |reason: String| TransportError::BadUrl {
            url: url.to_string(),
            reason,
        };
        let profile = DefaultProfile::generate()
            .map_err(|e| bad(format!("cannot build the default profile: {e}")))?;
        let mut sim = profile.simulator();
        sim.set_faults(faults);
        Ok(Self::with_simulator(url, sim))
    }

    /// Wraps a simulator built elsewhere (another profile, more devices).
    pub fn with_simulator(url: &str, sim: Simulator) -> Self {
        SimTransport {
            url: url.to_string(),
            start_clock: sim.clock(),
            sim,
            started: Instant::now(),
        }
    }

    fn tick(&mut self) -> Vec<Vec<u8>> {
        let now = self
            .start_clock
            .saturating_add(self.started.elapsed().as_secs() as u32);
        if now > self.sim.clock() {
            self.sim.advance_to(now)
        } else {
            Vec::new()
        }
    }

    async fn do_exchange(
        &mut self,
        frame: &[u8],
        limits: &Limits,
    ) -> Result<Received, TransportError> {
        let target = self.url.clone();
        let timeout = || TransportError::Timeout {
            target: target.clone(),
            ms: limits.response_timeout.as_millis(),
            what: "waiting for a response",
        };
        if frame.len() > limits.max_frame {
            return Err(TransportError::TooLarge {
                target: self.url.clone(),
                direction: "outgoing",
                size: frame.len(),
                limit: limits.max_frame,
            });
        }
        let mut received = Received::default();
        // Alerts that fell due since the last call reach the harness before this answer.
        for alert in self.tick() {
            received.push(TimedFrame::now(alert));
        }
        let exchange = self.sim.handle(frame);
        if let Some(delay) = exchange.delay {
            if delay > limits.response_timeout {
                // A real device this late would be given up on at the timeout.
                tokio::time::sleep(limits.response_timeout).await;
                return Err(timeout());
            }
            tokio::time::sleep(delay).await;
        }
        for out in exchange.response.into_iter().chain(exchange.alerts) {
            received.push(TimedFrame::now(out));
        }
        // A discarded command (bad MAC, replay) gets no answer, as from a real meter. The
        // simulator knows nothing will come, so it does not sit out the timeout.
        if received.responses.is_empty() && received.alerts.is_empty() {
            return Err(timeout());
        }
        Ok(received)
    }

    async fn do_alerts(&mut self, wait: Duration) -> Result<Vec<TimedFrame>, TransportError> {
        let until = Instant::now() + wait;
        loop {
            let due = self.tick();
            if !due.is_empty() {
                return Ok(due.into_iter().map(TimedFrame::now).collect());
            }
            let now = Instant::now();
            if now >= until {
                return Ok(Vec::new());
            }
            // The clock moves in whole seconds; polling faster than that finds nothing new.
            tokio::time::sleep((until - now).min(Duration::from_millis(250))).await;
        }
    }
}

impl Transport for SimTransport {
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
        self.url.clone()
    }
}
