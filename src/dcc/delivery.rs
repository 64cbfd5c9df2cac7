//! Asynchronous delivery to the User's response URL: a bounded queue drained by a few workers,
//! each POST (`application/xml`) with a timeout. A delivery that fails (refused connection,
//! timeout, a non-2xx answer) is logged and counted, never retried: the emulator keeps
//! serving whatever the User's receiver does. A full queue drops the new message (counted).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch, Mutex};

/// Messages waiting for delivery.
pub const QUEUE_DEPTH: usize = 4096;
/// POSTs in flight at once.
pub const WORKERS: usize = 8;
/// How long one POST may take by default.
pub const DEFAULT_DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// What happened to the deliveries so far.
#[derive(Debug)]
pub struct DeliveryStats {
    pub delivered: AtomicU64,
    pub failed: AtomicU64,
    pub dropped: AtomicU64,
    /// The counts after every change, for those who wait on them.
    changes: watch::Sender<DeliveryCounts>,
}

impl Default for DeliveryStats {
    fn default() -> Self {
        DeliveryStats {
            delivered: AtomicU64::new(0),
            failed: AtomicU64::new(0),
            dropped: AtomicU64::new(0),
            changes: watch::Sender::new(DeliveryCounts::default()),
        }
    }
}

/// A snapshot of [`DeliveryStats`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DeliveryCounts {
    pub delivered: u64,
    pub failed: u64,
    pub dropped: u64,
}

impl DeliveryStats {
    fn count(&self, which: &AtomicU64) {
        which.fetch_add(1, Ordering::Relaxed);
        self.changes.send_replace(self.snapshot());
    }

    pub fn snapshot(&self) -> DeliveryCounts {
        DeliveryCounts {
            delivered: self.delivered.load(Ordering::Relaxed),
            failed: self.failed.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error("bad response URL {url:?}: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

/// The delivery queue of one emulator.
#[derive(Clone)]
pub struct Delivery {
    tx: mpsc::Sender<String>,
    stats: Arc<DeliveryStats>,
    url: reqwest::Url,
}

impl Delivery {
    /// Starts the workers (on the current tokio runtime).
    pub fn start(url: &str, timeout: Duration) -> Result<Delivery, DeliveryError> {
        let parsed = reqwest::Url::parse(url).map_err(|e| DeliveryError::BadUrl {
            url: url.to_string(),
            reason: e.to_string(),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(DeliveryError::BadUrl {
                url: url.to_string(),
                reason: "expected http:// or https://".into(),
            });
        }
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .build()
            .map_err(|e| DeliveryError::Client(e.to_string()))?;
        let (tx, rx) = mpsc::channel::<String>(QUEUE_DEPTH);
        let rx = Arc::new(Mutex::new(rx));
        let stats = Arc::new(DeliveryStats::default());
        for _ in 0..WORKERS {
            let rx = rx.clone();
            let client = client.clone();
            let stats = stats.clone();
            let url = parsed.clone();
            tokio::spawn(async move {
                loop {
                    let next = rx.lock().await.recv().await;
                    let Some(body) = next else { return };
                    post(&client, &url, body, &stats).await;
                }
            });
        }
        Ok(Delivery {
            tx,
            stats,
            url: parsed,
        })
    }

    /// Queues one document; dropped (and counted) when the queue is full.
    pub fn send(&self, document: String) {
        if self.tx.try_send(document).is_err() {
            self.stats.count(&self.stats.dropped);
            eprintln!("duis: delivery queue full, message dropped");
        }
    }

    pub fn stats(&self) -> DeliveryCounts {
        self.stats.snapshot()
    }

    /// Waits until the counts satisfy `until`, at most `within`; the counts then.
    pub async fn wait_for(
        &self,
        within: Duration,
        until: impl FnMut(&DeliveryCounts) -> bool,
    ) -> DeliveryCounts {
        let mut rx = self.stats.changes.subscribe();
        let _ = tokio::time::timeout(within, rx.wait_for(until)).await;
        self.stats.snapshot()
    }

    pub fn url(&self) -> &reqwest::Url {
        &self.url
    }
}

async fn post(client: &reqwest::Client, url: &reqwest::Url, body: String, stats: &DeliveryStats) {
    let result = client
        .post(url.clone())
        .header(reqwest::header::CONTENT_TYPE, "application/xml")
        .body(body)
        .send()
        .await;
    match result {
        Ok(r) if r.status().is_success() => {
            stats.count(&stats.delivered);
        }
        Ok(r) => {
            stats.count(&stats.failed);
            eprintln!("duis: delivery to {url} answered {}", r.status());
        }
        Err(e) => {
            stats.count(&stats.failed);
            eprintln!("duis: delivery to {url} failed: {e}");
        }
    }
}
