//! Serving a simulator as a head-end test API (`simulate --http`), the contract `http://`
//! targets implement (README.md, "Head-end test API"):
//!
//! - `POST /gbcs/command`, body the command frame: 200 with the response frame
//!   (`application/octet-stream`), or 204 when the devices send nothing back (a bad MAC, a
//!   replay, garbage), after the `late-response` delay if any; 413 for a body over the limit.
//! - `POST /gbcs/subscribe`, body `{"callback": "http://…"}`: 204; alerts (those a command
//!   triggers at once, and future-dated ones as they fall due) are then POSTed to every
//!   subscribed callback as raw frames. 400 for a body that is not such JSON.
//! - `GET /health`: 200 `ok`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::broadcast;

use super::SharedSimulator;

/// How long one alert callback may take before it is given up on.
const CALLBACK_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Clone)]
struct AppState {
    shared: SharedSimulator,
    callbacks: Arc<Mutex<Vec<String>>>,
    client: reqwest::Client,
    max_frame: usize,
}

impl AppState {
    /// POSTs the alerts, in order, to every callback, on a task of their own.
    fn deliver(&self, alerts: Vec<Vec<u8>>) {
        if alerts.is_empty() {
            return;
        }
        let callbacks = self
            .callbacks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let client = self.client.clone();
        tokio::spawn(async move {
            for callback in callbacks {
                for alert in &alerts {
                    let sent = client
                        .post(&callback)
                        .header(header::CONTENT_TYPE, "application/octet-stream")
                        .body(alert.clone())
                        .timeout(CALLBACK_TIMEOUT)
                        .send()
                        .await;
                    // A callback that has gone away loses its alerts; the others still get them.
                    if sent.is_err() {
                        break;
                    }
                }
            }
        });
    }
}

/// The head-end test API over `shared`. Future-dated alerts reach subscribers only while
/// [`serve_http`] runs (it forwards the simulator's alert broadcast).
fn app(state: AppState) -> Router {
    Router::new()
        .route("/gbcs/command", post(command))
        .route("/gbcs/subscribe", post(subscribe))
        .route("/health", get(|| async { "ok\n" }))
        .with_state(state)
}

async fn command(State(state): State<AppState>, body: Body) -> Response {
    let Ok(frame) = axum::body::to_bytes(body, state.max_frame).await else {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "command larger than the {}-byte limit (or unreadable)\n",
                state.max_frame
            ),
        )
            .into_response();
    };
    let exchange = state.shared.handle(&frame);
    if let Some(delay) = exchange.delay {
        tokio::time::sleep(delay).await;
    }
    state.deliver(exchange.alerts);
    match exchange.response {
        Some(response) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/octet-stream")],
            response,
        )
            .into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    }
}

async fn subscribe(State(state): State<AppState>, body: axum::body::Bytes) -> Response {
    let callback = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("callback")?.as_str().map(str::to_string));
    match callback {
        Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
            let mut callbacks = state.callbacks.lock().unwrap_or_else(|e| e.into_inner());
            if !callbacks.contains(&url) {
                callbacks.push(url);
            }
            StatusCode::NO_CONTENT.into_response()
        }
        _ => (
            StatusCode::BAD_REQUEST,
            "expected {\"callback\": \"http://host:port/path\"}\n",
        )
            .into_response(),
    }
}

/// Serves the head-end test API on `listener` until it fails. The caller starts the
/// simulator's clock ([`SharedSimulator::start_clock`]) so future-dated alerts fall due.
pub async fn serve_http(
    shared: SharedSimulator,
    listener: TcpListener,
    max_frame: usize,
) -> std::io::Result<()> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .map_err(std::io::Error::other)?;
    let state = AppState {
        shared: shared.clone(),
        callbacks: Arc::new(Mutex::new(Vec::new())),
        client,
        max_frame,
    };
    let mut due = shared.subscribe_alerts();
    let forwarding = state.clone();
    let forwarder = tokio::spawn(async move {
        loop {
            match due.recv().await {
                Ok(alert) => forwarding.deliver(vec![alert.as_ref().clone()]),
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    });
    let result = axum::serve(listener, app(state)).await;
    forwarder.abort();
    result
}
