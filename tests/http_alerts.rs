//! `simulate --http` alert callbacks against subscribers that misbehave: one that accepts the
//! connection and never answers does not hold up a healthy one; subscriptions are capped, and
//! callbacks that no longer answer make room for new ones.

use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use gbcs_harness::codec::{decode_frame, CraFlag, MessageCode};
use tokio::sync::mpsc;

use gbcs_harness::sim::profile::DefaultProfile;
// The simulator's callback timeout: a serial delivery would hold the second subscriber's
// alert this long behind a silent first one.
use gbcs_harness::transport::serve::subscribers::{CALLBACK_TIMEOUT, MAX_SUBSCRIBERS};

mod common;
use common::seconds_since_2000;
use common::transport::rt;
use common::{activate_calendar_at, command, start_http_server};

/// How long the test waits for the future-dated alert to fall due and arrive.
const ALERT_WAIT: Duration = Duration::from_secs(15);

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn subscribe(base: &str, callback: &str) -> (u16, String) {
    let r = client()
        .post(format!("{base}/gbcs/subscribe"))
        .body(serde_json::json!({ "callback": callback }).to_string())
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn post_command(base: &str, frame: Vec<u8>) -> Vec<u8> {
    let r = client()
        .post(format!("{base}/gbcs/command"))
        .body(frame)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    r.bytes().await.unwrap().to_vec()
}

#[test]
fn a_silent_subscriber_does_not_hold_up_a_healthy_one() {
    let profile = DefaultProfile::generate().unwrap();
    let (_server, base) = start_http_server(&[]);
    rt().block_on(async {
        // Subscriber 1 accepts connections and never answers; it reports when it is called.
        let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let silent_url = format!("http://{}/alerts", silent.local_addr().unwrap());
        let (called_tx, mut called) = mpsc::channel::<Instant>(4);
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((socket, _)) = silent.accept().await {
                let _ = called_tx.try_send(Instant::now());
                held.push(socket);
            }
        });
        // Subscriber 2 answers at once and hands over what it got.
        let (got_tx, mut got) = mpsc::channel::<(Instant, Bytes)>(4);
        let healthy = Router::new().route(
            "/alerts",
            post(move |body: Bytes| async move {
                let _ = got_tx.try_send((Instant::now(), body));
                StatusCode::NO_CONTENT
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let healthy_url = format!("http://{}/alerts", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, healthy).await });

        // The silent one first: a serial delivery would reach the healthy one only after it.
        assert_eq!(subscribe(&base, &silent_url).await.0, 204);
        assert_eq!(subscribe(&base, &healthy_url).await.0, 204);

        // A future-dated calendar activation: its execution alert goes to both when due.
        let response = post_command(&base, command(&profile, 300)).await;
        let device_now = seconds_since_2000(
            decode_frame(&response)
                .unwrap()
                .header()
                .date_time
                .as_ref()
                .unwrap(),
        );
        post_command(&base, activate_calendar_at(&profile, 301, device_now + 2)).await;

        let silent_called = tokio::time::timeout(ALERT_WAIT, called.recv())
            .await
            .expect("the silent subscriber is called")
            .unwrap();
        let (healthy_at, alert) = tokio::time::timeout(ALERT_WAIT, got.recv())
            .await
            .expect("the healthy subscriber gets the alert")
            .unwrap();
        let frame = decode_frame(&alert).unwrap();
        assert_eq!(frame.header().cra, CraFlag::Alert);
        assert_eq!(frame.header().message_code(), Some(MessageCode(0x00CC)));
        let behind = healthy_at.saturating_duration_since(silent_called);
        assert!(
            behind < CALLBACK_TIMEOUT / 2,
            "the healthy subscriber waited {behind:?} behind the silent one"
        );
    });
}

#[test]
fn subscriptions_beyond_the_cap_are_refused_with_503_until_some_go_away() {
    let (_server, base) = start_http_server(&[]);
    rt().block_on(async {
        // Callbacks on a port that accepts connections (the kernel's backlog accepts them):
        // alive when the server probes them.
        let live = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = live.local_addr().unwrap();
        for i in 0..MAX_SUBSCRIBERS {
            let (status, body) = subscribe(&base, &format!("http://{addr}/cb/{i}")).await;
            assert_eq!(status, 204, "subscription {i}: {body}");
        }
        // Subscribing again is no new subscription.
        assert_eq!(
            subscribe(&base, &format!("http://{addr}/cb/0")).await.0,
            204
        );
        let (status, body) = subscribe(&base, &format!("http://{addr}/one-too-many")).await;
        assert_eq!(status, 503);
        assert_eq!(body.lines().count(), 1, "{body}");
        assert!(
            body.contains(&format!("subscriber limit ({MAX_SUBSCRIBERS})")),
            "{body}"
        );
        // A bad callback is still a 400, not a 503.
        assert_eq!(subscribe(&base, "ftp://127.0.0.1/x").await.0, 400);

        // The subscribers' listener goes away (as a finished harness run's does): they no
        // longer answer, and a newcomer gets in.
        drop(live);
        let (status, body) = subscribe(&base, &format!("http://{addr}/newcomer")).await;
        assert_eq!(status, 204, "{body}");
        let health = client().get(format!("{base}/health")).send().await.unwrap();
        assert_eq!(health.status().as_u16(), 200);
    });
}
