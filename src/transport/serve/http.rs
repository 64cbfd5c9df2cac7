//! Serving a simulator as a head-end test API (`simulate --http`), the contract `http://`
//! targets implement (README.md, "Head-end test API"):
//!
//! - `POST /gbcs/command`, body the command frame: 200 with the response frame
//!   (`application/octet-stream`), or 204 when the devices send nothing back (a bad MAC, a
//!   replay, garbage), after the `late-response` delay if any; 413 for a body over the limit.
//! - `POST /gbcs/subscribe`, body `{"callback": "http://…"}`: 204; alerts (those a command
//!   triggers at once, and future-dated ones as they fall due) are then POSTed to every
//!   subscribed callback as raw frames, each subscriber on its own (see [`super::subscribers`]:
//!   a slow callback delays only itself). 400 for a body that is not such JSON; 503 when
//!   [`MAX_SUBSCRIBERS`](super::subscribers::MAX_SUBSCRIBERS) callbacks are subscribed and
//!   all still accept connections.
//! - `GET /health`: 200 `ok`.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::broadcast;

use super::subscribers::{SubscribeError, Subscribers};
use super::SharedSimulator;

#[derive(Clone)]
struct AppState {
    shared: SharedSimulator,
    subscribers: Arc<Subscribers>,
    max_frame: usize,
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
    let alerts: Vec<Bytes> = exchange.alerts.into_iter().map(Bytes::from).collect();
    state.subscribers.deliver(&alerts);
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

async fn subscribe(State(state): State<AppState>, body: Bytes) -> Response {
    let callback = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("callback")?.as_str().map(str::to_string));
    let Some(url) = callback else {
        return (
            StatusCode::BAD_REQUEST,
            "expected {\"callback\": \"http://host:port/path\"}\n",
        )
            .into_response();
    };
    match state.subscribers.subscribe(&url).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e @ SubscribeError::BadCallback) => {
            (StatusCode::BAD_REQUEST, format!("{e}\n")).into_response()
        }
        Err(e @ SubscribeError::Full) => {
            (StatusCode::SERVICE_UNAVAILABLE, format!("{e}\n")).into_response()
        }
    }
}

/// Serves the head-end test API on `listener` until it fails. The caller starts the
/// simulator's clock ([`SharedSimulator::start_clock`]) so future-dated alerts fall due.
pub async fn serve_http(
    shared: SharedSimulator,
    listener: TcpListener,
    max_frame: usize,
) -> std::io::Result<()> {
    let state = AppState {
        shared: shared.clone(),
        subscribers: Arc::new(Subscribers::new().map_err(std::io::Error::other)?),
        max_frame,
    };
    let mut due = shared.subscribe_alerts();
    let forwarding = state.clone();
    let forwarder = tokio::spawn(async move {
        loop {
            match due.recv().await {
                Ok(alert) => forwarding
                    .subscribers
                    .deliver(&[Bytes::from(alert.as_ref().clone())]),
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    });
    let result = axum::serve(listener, app(state)).await;
    forwarder.abort();
    result
}
