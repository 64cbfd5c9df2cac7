//! `http://host:port[/prefix]` and `https://…`: a head-end (or its test stub) speaking the
//! head-end test API described in README.md ("Head-end test API"). Each command is a
//! `POST {base}/gbcs/command` whose 200 body is the response frame; alerts come back as
//! `POST /alerts` callbacks to a small listener this transport runs on 127.0.0.1, whose URL
//! it registers with `POST {base}/gbcs/subscribe` on first use.
//!
//! Like every transport this one moves opaque frames: a body that is not GBCS is still handed
//! to the checker, except one the head-end labels as HTML or JSON (an error page, not a frame).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};
use tokio::sync::Notify;

use crate::codec::decode_frame;

use super::alert_board::{AlertBoard, AlertMark};
use super::{BoxFuture, Limits, OpenOptions, Received, TimedFrame, Transport, TransportError};

/// How much of an error body is read, and how much of its first line is quoted.
const ERROR_BODY_READ: usize = 4096;
const ERROR_BODY_QUOTE: usize = 120;

pub struct HttpTransport {
    url: String,
    /// The URL without a trailing slash: endpoints are `{base}/gbcs/...`.
    base: String,
    options: OpenOptions,
    /// The client, and the connect timeout it was built with.
    client: ClientCache,
    listener: Option<Listener>,
    /// Whether the head-end has been told the current listener's URL.
    subscribed: bool,
    /// Alerts the head-end POSTed back, bounded, kept across listener restarts.
    board: Arc<AlertBoard>,
    /// How far exchanges and [`Transport::alerts`] have read the board.
    read: AlertMark,
}

/// The alert callback listener: an axum server on its own task.
struct Listener {
    url: String,
    queue: Arc<AlertQueue>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What the callback listener hands over: alerts on the board, and the first bad callback.
struct AlertQueue {
    board: Arc<AlertBoard>,
    /// Why the first bad callback since the last call was refused.
    bad: Mutex<Option<String>>,
    refused: Notify,
}

impl AlertQueue {
    fn bad(&self) -> std::sync::MutexGuard<'_, Option<String>> {
        self.bad.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[derive(Clone)]
struct ListenerState {
    queue: Arc<AlertQueue>,
    max_frame: usize,
}

async fn accept_alert(State(state): State<ListenerState>, body: Body) -> (StatusCode, String) {
    let refuse = |reason: String| {
        state.queue.bad().get_or_insert_with(|| reason.clone());
        state.queue.refused.notify_one();
        (StatusCode::BAD_REQUEST, format!("{reason}\n"))
    };
    let bytes = match axum::body::to_bytes(body, state.max_frame).await {
        Ok(b) => b,
        Err(_) => {
            return refuse(format!(
                "body larger than the {}-byte limit (or unreadable)",
                state.max_frame
            ))
        }
    };
    let at = Instant::now();
    if bytes.is_empty() {
        return refuse("empty body".into());
    }
    if let Err(e) = decode_frame(&bytes) {
        return refuse(one_line(&format!("not a GBCS frame: {e}"), 200));
    }
    state.queue.board.pin(TimedFrame {
        frame: bytes.to_vec(),
        at,
    });
    (StatusCode::NO_CONTENT, String::new())
}

/// The first line of `text`, cut to `max` characters.
fn one_line(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    if line.chars().count() > max {
        format!("{}…", line.chars().take(max).collect::<String>())
    } else {
        line.to_string()
    }
}

/// The innermost I/O error under a reqwest error, if any (e.g. "Connection refused").
fn io_source(e: &reqwest::Error) -> Option<&std::io::Error> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    let mut found = None;
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            found = Some(io);
        }
        source = s.source();
    }
    found
}

/// A reqwest error and its causes on one line.
/// The HTTP client of an HTTP-speaking transport (`http://`, `duis://`), kept while the connect
/// timeout it was built with holds. It never uses a proxy: the harness talks to the head-end or
/// DCC it was pointed at, never through one it did not ask for.
#[derive(Default)]
pub(crate) struct ClientCache(Option<(Duration, reqwest::Client)>);

impl ClientCache {
    pub(crate) fn get(
        &mut self,
        target: &str,
        connect_timeout: Duration,
    ) -> Result<reqwest::Client, TransportError> {
        if let Some((timeout, client)) = &self.0 {
            if *timeout == connect_timeout {
                return Ok(client.clone());
            }
        }
        let client = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .no_proxy()
            .tcp_nodelay(true)
            .build()
            .map_err(|e| TransportError::Io {
                target: target.to_string(),
                source: std::io::Error::other(chain(&e)),
            })?;
        self.0 = Some((connect_timeout, client.clone()));
        Ok(client)
    }

    /// The client last built, if any.
    pub(crate) fn built(&self) -> Option<reqwest::Client> {
        self.0.as_ref().map(|(_, c)| c.clone())
    }
}

fn chain(e: &reqwest::Error) -> String {
    one_line(&error_chain(e).replace('\n', " "), 400)
}

/// An error and its causes, each once, joined by `: ` (reqwest's own message often leaves
/// out the cause a user needs: refused, reset, a certificate problem).
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}

impl HttpTransport {
    /// Checks the URL; nothing is connected or started until first use.
    pub fn new(url: &str, options: OpenOptions) -> Result<Self, TransportError> {
        let bad = |reason: &str| TransportError::BadUrl {
            url: url.to_string(),
            reason: reason.to_string(),
        };
        let parsed = reqwest::Url::parse(url).map_err(|e| bad(&e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(bad("expected http:// or https://"));
        }
        if parsed.host_str().is_none_or(str::is_empty) {
            return Err(bad("expected http://host:port[/prefix]"));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(bad("no query or fragment expected"));
        }
        let board = Arc::new(AlertBoard::default());
        Ok(HttpTransport {
            url: url.to_string(),
            base: url.trim_end_matches('/').to_string(),
            options,
            client: ClientCache::default(),
            listener: None,
            subscribed: false,
            read: board.mark(),
            board,
        })
    }

    /// The URL the head-end is told to POST alerts to, starting the listener if needed
    /// (for tests and diagnostics).
    pub async fn callback_url(&mut self) -> Result<String, TransportError> {
        self.listener().await?;
        Ok(self.listener.as_ref().expect("started above").url.clone())
    }

    /// Starts the callback listener unless it runs (a listener whose runtime has gone is
    /// replaced, and the head-end told again).
    async fn listener(&mut self) -> Result<&Listener, TransportError> {
        if self.listener.as_ref().is_some_and(|l| l.task.is_finished()) {
            self.listener = None;
        }
        if self.listener.is_none() {
            let socket = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .map_err(|source| TransportError::Listener {
                    target: self.url.clone(),
                    source,
                })?;
            let addr = socket
                .local_addr()
                .map_err(|source| TransportError::Listener {
                    target: self.url.clone(),
                    source,
                })?;
            let queue = Arc::new(AlertQueue {
                board: self.board.clone(),
                bad: Mutex::default(),
                refused: Notify::new(),
            });
            let app = Router::new()
                .route("/alerts", post(accept_alert))
                .with_state(ListenerState {
                    queue: queue.clone(),
                    max_frame: self.options.limits.max_frame,
                });
            let task = tokio::spawn(async move {
                let _ = axum::serve(socket, app).await;
            });
            self.listener = Some(Listener {
                url: format!("http://{addr}/alerts"),
                queue,
                task,
            });
            self.subscribed = false;
        }
        Ok(self.listener.as_ref().expect("started above"))
    }

    /// Starts the listener and registers it with the head-end, once.
    async fn ready(&mut self, limits: &Limits) -> Result<Arc<AlertQueue>, TransportError> {
        let callback = self.listener().await?.url.clone();
        let queue = self.listener.as_ref().expect("started").queue.clone();
        if !self.subscribed {
            let client = self.client.get(&self.url, limits.connect_timeout)?;
            let body = serde_json::json!({ "callback": callback }).to_string();
            let request = client
                .post(format!("{}/gbcs/subscribe", self.base))
                .header(CONTENT_TYPE, "application/json")
                .body(body)
                .send();
            let response = self
                .timed(limits, "subscribing for alerts", async {
                    request.await.map_err(|e| self.request_error(&e, limits))
                })
                .await?;
            let status = response.status();
            // 404: a head-end without alerts.
            if !(status.is_success() || status == reqwest::StatusCode::NOT_FOUND) {
                return Err(self.status_error(status, "/gbcs/subscribe", response).await);
            }
            self.subscribed = true;
        }
        Ok(queue)
    }

    /// Runs `work` under the response timeout.
    async fn timed<T>(
        &self,
        limits: &Limits,
        what: &'static str,
        work: impl std::future::Future<Output = Result<T, TransportError>>,
    ) -> Result<T, TransportError> {
        match tokio::time::timeout(limits.response_timeout, work).await {
            Ok(r) => r,
            Err(_) => Err(TransportError::Timeout {
                target: self.url.clone(),
                ms: limits.response_timeout.as_millis(),
                what,
            }),
        }
    }

    fn request_error(&self, e: &reqwest::Error, limits: &Limits) -> TransportError {
        let target = self.url.clone();
        if e.is_connect() && e.is_timeout() {
            return TransportError::Timeout {
                target,
                ms: limits.connect_timeout.as_millis(),
                what: "connecting",
            };
        }
        if e.is_connect() {
            let source = match io_source(e) {
                Some(io) => std::io::Error::new(io.kind(), io.to_string()),
                None => std::io::Error::other(chain(e)),
            };
            return TransportError::Connect { target, source };
        }
        TransportError::Io {
            target,
            source: std::io::Error::other(chain(e)),
        }
    }

    async fn status_error(
        &self,
        status: reqwest::StatusCode,
        endpoint: &'static str,
        mut response: reqwest::Response,
    ) -> TransportError {
        let mut body = Vec::new();
        while body.len() < ERROR_BODY_READ {
            match response.chunk().await {
                Ok(Some(c)) => body.extend_from_slice(&c),
                _ => break,
            }
        }
        body.truncate(ERROR_BODY_READ);
        let body = one_line(&String::from_utf8_lossy(&body), ERROR_BODY_QUOTE);
        TransportError::HttpStatus {
            target: self.url.clone(),
            status: status.to_string(),
            endpoint,
            body: if body.is_empty() {
                "(empty body)".into()
            } else {
                body
            },
        }
    }

    /// The error recorded by a bad callback since the last call, if any.
    fn take_bad(&self, queue: &AlertQueue) -> Result<(), TransportError> {
        match queue.bad().take() {
            Some(reason) => Err(TransportError::BadAlertCallback {
                target: self.url.clone(),
                reason,
            }),
            None => Ok(()),
        }
    }

    /// POSTs the command and reads the response frame.
    async fn command(&self, frame: &[u8], limits: &Limits) -> Result<TimedFrame, TransportError> {
        let target = self.url.clone();
        let client = self.client.built().expect("ready() built the client");
        let no_response = |what| TransportError::Timeout {
            target: target.clone(),
            ms: limits.response_timeout.as_millis(),
            what,
        };
        let mut response = client
            .post(format!("{}/gbcs/command", self.base))
            .header(CONTENT_TYPE, "application/octet-stream")
            .body(frame.to_vec())
            .send()
            .await
            .map_err(|e| self.request_error(&e, limits))?;
        let status = response.status();
        if status == reqwest::StatusCode::NO_CONTENT {
            return Err(no_response(
                "waiting for a response (HTTP 204: the head-end got none from the device)",
            ));
        }
        if status != reqwest::StatusCode::OK {
            return Err(self.status_error(status, "/gbcs/command", response).await);
        }
        if let Some(ct) = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
        {
            let lower = ct.to_ascii_lowercase();
            if lower.starts_with("text/html") || lower.starts_with("application/json") {
                return Err(TransportError::NonGbcsBody {
                    target,
                    content_type: one_line(ct, 80),
                });
            }
        }
        let too_large = |size| TransportError::TooLarge {
            target: target.clone(),
            direction: "incoming",
            size,
            limit: limits.max_frame,
        };
        let announced = response
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if let Some(size) = announced.filter(|&n| n > limits.max_frame) {
            return Err(too_large(size));
        }
        let mut body = Vec::with_capacity(announced.unwrap_or(0));
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.request_error(&e, limits))?
        {
            if body.len() + chunk.len() > limits.max_frame {
                return Err(too_large(body.len() + chunk.len()));
            }
            body.extend_from_slice(&chunk);
        }
        let at = Instant::now();
        if body.is_empty() {
            return Err(no_response(
                "waiting for a response (empty HTTP 200: the head-end got none from the device)",
            ));
        }
        Ok(TimedFrame { frame: body, at })
    }

    async fn do_exchange(
        &mut self,
        frame: &[u8],
        limits: &Limits,
    ) -> Result<Received, TransportError> {
        if frame.len() > limits.max_frame {
            return Err(TransportError::TooLarge {
                target: self.url.clone(),
                direction: "outgoing",
                size: frame.len(),
                limit: limits.max_frame,
            });
        }
        let queue = self.ready(limits).await?;
        self.take_bad(&queue)?;
        let response = self
            .timed(
                limits,
                "waiting for a response",
                self.command(frame, limits),
            )
            .await?;
        if !limits.alert_grace.is_zero() {
            tokio::time::sleep(limits.alert_grace).await;
        }
        self.take_bad(&queue)?;
        let since = self.board.since(self.read);
        self.read = since.next;
        let mut received = Received {
            responses: vec![response],
            alerts: since.frames,
            started: None,
        };
        received.alerts.sort_by_key(|a| a.at);
        Ok(received)
    }

    async fn do_alerts(&mut self, wait: Duration) -> Result<Vec<TimedFrame>, TransportError> {
        let limits = self.options.limits.clone();
        let queue = self.ready(&limits).await?;
        self.take_bad(&queue)?;
        let since = tokio::select! {
            since = self.board.wait_since(self.read, wait) => since,
            () = queue.refused.notified() => self.board.since(self.read),
        };
        self.take_bad(&queue)?;
        self.read = since.next;
        Ok(since.frames)
    }
}

impl Transport for HttpTransport {
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

    fn alert_board(&self) -> Option<Arc<AlertBoard>> {
        Some(self.board.clone())
    }

    fn describe(&self) -> String {
        self.url.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_lines_are_cut() {
        assert_eq!(one_line("  a\nb", 10), "a");
        assert_eq!(one_line(&"x".repeat(200), 5), "xxxxx…");
        assert_eq!(one_line("", 5), "");
    }

    #[test]
    fn urls_are_checked() {
        let o = OpenOptions::default();
        assert!(HttpTransport::new("http://127.0.0.1:8080/he/api/", o.clone()).is_ok());
        for url in [
            "http://",
            "http://h:1/?x=1",
            "http://h:1/#f",
            "http://h:notaport",
        ] {
            let e = HttpTransport::new(url, o.clone()).err().expect(url);
            assert!(e.to_string().contains("bad transport URL"), "{e}");
        }
    }
}
