//! The alert subscribers of `simulate --http`, each served on its own.
//!
//! Every subscriber has its own queue and its own delivery task, so one that answers slowly
//! (or never) delays only its own alerts; each POST has a timeout, and a subscriber's alerts
//! stay in order. Everything is bounded: at most [`MAX_SUBSCRIBERS`] subscribers, at most
//! [`QUEUE_DEPTH`] alerts waiting for each (the oldest is dropped, and counted, when a
//! subscriber cannot keep up).
//!
//! A harness run subscribes a fresh callback and goes away when it ends, so a long-lived
//! server collects dead subscriptions. When the list is full, each subscriber's callback is
//! probed (a TCP connect within [`PROBE_TIMEOUT`]); those that refuse are dropped, and only
//! if all still answer is the new subscription refused.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::header;
use tokio::sync::Notify;

/// Subscriptions accepted; a head-end under test has a handful of listeners at most.
pub const MAX_SUBSCRIBERS: usize = 64;
/// Alerts waiting for one subscriber.
pub const QUEUE_DEPTH: usize = 256;
/// How long one alert POST may take before it is given up on.
pub const CALLBACK_TIMEOUT: Duration = Duration::from_secs(5);
/// How long connecting to a callback may take (within [`CALLBACK_TIMEOUT`]).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a subscriber's callback has to accept a connection when the list is full.
const PROBE_TIMEOUT: Duration = Duration::from_secs(1);
/// The longest callback URL accepted.
pub const MAX_CALLBACK_LEN: usize = 2048;

/// A subscription refused.
#[derive(Debug, thiserror::Error)]
pub enum SubscribeError {
    #[error("expected an http:// or https:// callback URL of at most {MAX_CALLBACK_LEN} bytes")]
    BadCallback,
    #[error("subscriber limit ({MAX_SUBSCRIBERS}) reached")]
    Full,
}

/// The subscribers of one server.
pub struct Subscribers {
    client: reqwest::Client,
    list: Mutex<Vec<Arc<Subscriber>>>,
    /// Held while the callbacks are probed: one probe round at a time, however many
    /// subscriptions arrive at a full list.
    pruning: tokio::sync::Mutex<()>,
}

struct Subscriber {
    url: reqwest::Url,
    queue: Mutex<VecDeque<Bytes>>,
    ready: Notify,
    dropped: AtomicU64,
    /// Set when the subscriber is dropped from the list: its task ends.
    removed: AtomicBool,
}

/// The outcome of adding a callback to the list.
enum Added {
    Yes,
    Full,
}

impl Subscriber {
    fn new(url: reqwest::Url) -> Self {
        Subscriber {
            url,
            queue: Mutex::new(VecDeque::new()),
            ready: Notify::new(),
            dropped: AtomicU64::new(0),
            removed: AtomicBool::new(false),
        }
    }

    /// Whether the callback's host accepts a connection within [`PROBE_TIMEOUT`].
    async fn reachable(&self) -> bool {
        let (Some(host), Some(port)) = (self.url.host_str(), self.url.port_or_known_default())
        else {
            return false;
        };
        // IPv6 literals come bracketed in URLs; the resolver wants them bare.
        let host = host.trim_start_matches('[').trim_end_matches(']');
        matches!(
            tokio::time::timeout(PROBE_TIMEOUT, tokio::net::TcpStream::connect((host, port))).await,
            Ok(Ok(_))
        )
    }

    fn remove(&self) {
        self.removed.store(true, Ordering::Relaxed);
        self.queue().clear();
        self.ready.notify_one();
    }

    fn queue(&self) -> std::sync::MutexGuard<'_, VecDeque<Bytes>> {
        // Pushes and pops only: a poisoned queue is still consistent.
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues `alert`, dropping the oldest waiting one if the queue is full.
    fn push(&self, alert: Bytes) {
        let mut queue = self.queue();
        if queue.len() >= QUEUE_DEPTH {
            queue.pop_front();
            let dropped = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            // Logged at 1, 2, 4, 8… drops: visible, never a flood.
            if dropped.is_power_of_two() {
                eprintln!(
                    "alert subscriber {} is not keeping up: {dropped} alerts dropped",
                    self.url
                );
            }
        }
        queue.push_back(alert);
        drop(queue);
        self.ready.notify_one();
    }

    /// POSTs queued alerts, in order, for as long as the server runs.
    async fn deliver_forever(self: Arc<Self>, client: reqwest::Client) {
        while !self.removed.load(Ordering::Relaxed) {
            let next = self.queue().pop_front();
            let Some(alert) = next else {
                // A push since the pop left a permit: no wake-up is lost.
                self.ready.notified().await;
                continue;
            };
            // A failed or timed-out POST loses that alert only; the next is tried.
            let _ = client
                .post(self.url.clone())
                .header(header::CONTENT_TYPE, "application/octet-stream")
                .body(alert)
                .timeout(CALLBACK_TIMEOUT)
                .send()
                .await;
        }
    }
}

impl Subscribers {
    pub fn new() -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .no_proxy()
            .connect_timeout(CONNECT_TIMEOUT)
            .build()?;
        Ok(Subscribers {
            client,
            list: Mutex::new(Vec::new()),
            pruning: tokio::sync::Mutex::new(()),
        })
    }

    fn list(&self) -> std::sync::MutexGuard<'_, Vec<Arc<Subscriber>>> {
        self.list.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds `callback` (once: subscribing again changes nothing) and starts its delivery
    /// task; at a full list, first drops the subscribers whose callbacks no longer answer.
    /// Must be called inside the server's runtime.
    pub async fn subscribe(&self, callback: &str) -> Result<(), SubscribeError> {
        if callback.len() > MAX_CALLBACK_LEN {
            return Err(SubscribeError::BadCallback);
        }
        let url = reqwest::Url::parse(callback).map_err(|_| SubscribeError::BadCallback)?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(SubscribeError::BadCallback);
        }
        if let Added::Yes = self.add(&url) {
            return Ok(());
        }
        // A probe round already running will make whatever room there is to make.
        let Ok(_probing) = self.pruning.try_lock() else {
            return Err(SubscribeError::Full);
        };
        self.prune().await;
        match self.add(&url) {
            Added::Yes => Ok(()),
            Added::Full => Err(SubscribeError::Full),
        }
    }

    fn add(&self, url: &reqwest::Url) -> Added {
        let mut list = self.list();
        if list.iter().any(|s| s.url == *url) {
            return Added::Yes;
        }
        if list.len() >= MAX_SUBSCRIBERS {
            return Added::Full;
        }
        let subscriber = Arc::new(Subscriber::new(url.clone()));
        list.push(subscriber.clone());
        tokio::spawn(subscriber.deliver_forever(self.client.clone()));
        Added::Yes
    }

    /// Drops the subscribers whose callbacks refuse a connection (probed all at once).
    async fn prune(&self) {
        let list: Vec<Arc<Subscriber>> = self.list().clone();
        let alive = futures::future::join_all(list.iter().map(|s| s.reachable())).await;
        let dead: Vec<&Arc<Subscriber>> = list
            .iter()
            .zip(alive)
            .filter_map(|(s, alive)| (!alive).then_some(s))
            .collect();
        if dead.is_empty() {
            return;
        }
        self.list()
            .retain(|s| !dead.iter().any(|d| Arc::ptr_eq(s, d)));
        for d in &dead {
            d.remove();
        }
        eprintln!("{} alert subscribers no longer answer: dropped", dead.len());
    }

    /// Queues `alerts`, in order, for every subscriber; returns at once.
    pub fn deliver(&self, alerts: &[Bytes]) {
        if alerts.is_empty() {
            return;
        }
        for subscriber in self.list().iter() {
            for alert in alerts {
                subscriber.push(alert.clone());
            }
        }
    }

    /// Subscribers now.
    pub fn len(&self) -> usize {
        self.list().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn subscriptions_are_checked_deduplicated_and_capped_and_dead_ones_make_room() {
        let subscribers = Subscribers::new().unwrap();
        for bad in ["", "ftp://h/x", "not a url", "http://"] {
            assert!(
                matches!(
                    subscribers.subscribe(bad).await,
                    Err(SubscribeError::BadCallback)
                ),
                "{bad}"
            );
        }
        let long = format!("http://h/{}", "x".repeat(MAX_CALLBACK_LEN));
        assert!(subscribers.subscribe(&long).await.is_err());
        // Callbacks that accept connections: all alive.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let live = listener.local_addr().unwrap();
        for i in 0..MAX_SUBSCRIBERS {
            subscribers
                .subscribe(&format!("http://{live}/{i}"))
                .await
                .unwrap();
        }
        subscribers
            .subscribe(&format!("http://{live}/0"))
            .await
            .unwrap();
        assert_eq!(subscribers.len(), MAX_SUBSCRIBERS);
        assert!(matches!(
            subscribers
                .subscribe(&format!("http://{live}/one-more"))
                .await,
            Err(SubscribeError::Full)
        ));
        // Their listener gone, they refuse connections: a newcomer takes their place.
        drop(listener);
        subscribers
            .subscribe(&format!("http://{live}/one-more"))
            .await
            .unwrap();
        assert_eq!(subscribers.len(), 1);
    }

    #[test]
    fn a_full_queue_drops_its_oldest_alert() {
        let subscriber = Subscriber::new(reqwest::Url::parse("http://127.0.0.1:9/").unwrap());
        for i in 0..QUEUE_DEPTH + 3 {
            subscriber.push(Bytes::from(i.to_be_bytes().to_vec()));
        }
        let queue = subscriber.queue();
        assert_eq!(queue.len(), QUEUE_DEPTH);
        assert_eq!(queue[0], Bytes::from(3usize.to_be_bytes().to_vec()));
        assert_eq!(subscriber.dropped.load(Ordering::Relaxed), 3);
    }
}
