//! The `http://` transport over real sockets: against `simulate --http` (a MAC'd command
//! round-trips and verifies, a discarded one is a timeout, alerts arrive through the callback
//! listener) and against misbehaving head-ends (refused, silent, 500, 404, HTML, oversized
//! bodies, bad alert callbacks), each failing with a one-line error naming the target; and
//! `simulate --http` POSTs a future-dated alert to the callback when it falls due.

use std::time::{Duration, Instant};

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;
use gbcs_harness::codec::{decode_frame, CraFlag};
use gbcs_harness::inspect::{Inspector, Verdict};
use gbcs_harness::sim::profile::DefaultProfile;
use gbcs_harness::transport::{open, HttpTransport, Limits, OpenOptions, Transport};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod common;
use common::seconds_since_2000;
use common::transport::{assert_clear, limits, mac_of, rt};
use common::{activate_calendar_at, command, read_supply_status, start_http_server};

/// A decodable alert frame (the ECS45 read, flagged as an alert).
fn alert_frame(counter: u64) -> Vec<u8> {
    let mut alert = read_supply_status(counter);
    alert.header.cra = CraFlag::Alert;
    let mut frame = Vec::new();
    alert.encode(&mut frame);
    assert_eq!(
        decode_frame(&frame).unwrap().header().cra,
        CraFlag::Alert,
        "test alert decodes"
    );
    frame
}

async fn post_raw(url: &str, body: Vec<u8>) -> (StatusCode, String) {
    let r = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(url)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = StatusCode::from_u16(r.status().as_u16()).unwrap();
    (status, r.text().await.unwrap())
}

/// Serves `app` on 127.0.0.1:0 in the current runtime; returns its base URL.
async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

/// A head-end whose subscribe succeeds and whose command endpoint answers with `answer`.
async fn head_end<H, T>(answer: H) -> String
where
    H: axum::handler::Handler<T, ()>,
    T: 'static,
{
    serve(
        Router::new()
            .route("/gbcs/subscribe", post(|| async { StatusCode::NO_CONTENT }))
            .route("/gbcs/command", post(answer)),
    )
    .await
}

/// A raw server answering every request on every connection with `response`, then closing.
async fn raw_server(response: Vec<u8>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            let response = response.clone();
            tokio::spawn(async move {
                // Read the request head and body, then answer.
                let mut seen = Vec::new();
                let mut buf = [0u8; 4096];
                let body_start = loop {
                    let Ok(n) = s.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    seen.extend_from_slice(&buf[..n]);
                    if let Some(i) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i + 4;
                    }
                };
                let head = String::from_utf8_lossy(&seen[..body_start]).to_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                while seen.len() - body_start < length {
                    let Ok(n) = s.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    seen.extend_from_slice(&buf[..n]);
                }
                let _ = s.write_all(&response).await;
                let _ = s.shutdown().await;
            });
        }
    });
    format!("http://{addr}")
}

#[test]
fn a_command_round_trips_over_http_against_simulate_http() {
    let profile = DefaultProfile::generate().unwrap();
    let (_server, base) = start_http_server(&[]);
    rt().block_on(async {
        let (status, body) = {
            let r = reqwest::get(format!("{base}/health")).await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        };
        assert_eq!((status, body.trim()), (200, "ok"));

        let mut t = open(&base, &OpenOptions::default()).unwrap();
        assert_eq!(t.describe(), base);
        for counter in 1..=3 {
            let r = t
                .exchange(&command(&profile, counter), &limits(5000))
                .await
                .unwrap();
            assert_eq!(r.responses.len(), 1);
            assert_eq!(mac_of(&profile, &r.responses[0].frame), Verdict::Valid);
            assert!(r.alerts.is_empty());
        }

        // A replayed command is discarded by the device: 204, reported as no response.
        let e = t
            .exchange(&command(&profile, 2), &limits(5000))
            .await
            .unwrap_err();
        assert_clear(&e, &base, "HTTP 204");
        // The transport still works after it.
        let r = t
            .exchange(&command(&profile, 10), &limits(5000))
            .await
            .unwrap();
        assert_eq!(mac_of(&profile, &r.responses[0].frame), Verdict::Valid);
    });
}

#[test]
fn the_base_url_may_carry_a_path_prefix() {
    rt().block_on(async {
        let app = Router::new().nest(
            "/he/api",
            Router::new()
                .route("/gbcs/subscribe", post(|| async { StatusCode::NOT_FOUND }))
                .route(
                    "/gbcs/command",
                    post(|body: axum::body::Bytes| async move { body }),
                ),
        );
        let base = format!("{}/he/api/", serve(app).await);
        let mut t = open(&base, &OpenOptions::default()).unwrap();
        // The 404 on subscribe is a head-end without alerts: tolerated.
        let r = t.exchange(b"not gbcs", &limits(2000)).await.unwrap();
        assert_eq!(
            r.responses[0].frame, b"not gbcs",
            "a non-GBCS body is still a response, for the checker to judge"
        );
    });
}

#[test]
fn alerts_arrive_through_the_callback_listener() {
    let profile = DefaultProfile::generate().unwrap();
    let (_server, base) = start_http_server(&[]);
    rt().block_on(async {
        let mut t = HttpTransport::new(&base, OpenOptions::default()).unwrap();
        let callback = t.callback_url().await.unwrap();
        assert!(callback.starts_with("http://127.0.0.1:"), "{callback}");
        assert!(callback.ends_with("/alerts"), "{callback}");

        // Nothing yet: alerts() waits and returns empty.
        let started = Instant::now();
        assert!(t
            .alerts(Duration::from_millis(100))
            .await
            .unwrap()
            .is_empty());
        assert!(started.elapsed() >= Duration::from_millis(90));

        // An alert arriving between calls is returned by alerts(), early.
        let (status, _) = post_raw(&callback, alert_frame(1)).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let started = Instant::now();
        let got = t.alerts(Duration::from_secs(5)).await.unwrap();
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].frame, alert_frame(1));

        // ... or by the next exchange, beside its response.
        let (status, _) = post_raw(&callback, alert_frame(2)).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let r = t
            .exchange(&command(&profile, 1), &limits(5000))
            .await
            .unwrap();
        assert_eq!(r.responses.len(), 1);
        assert_eq!(r.alerts.len(), 1);
        assert_eq!(r.alerts[0].frame, alert_frame(2));

        // Bad callback bodies: 400 with a reason, and the next call fails naming the target.
        for (body, says) in [
            (Vec::new(), "empty body"),
            (b"garbage".to_vec(), "not a GBCS frame"),
            (vec![0xDF; 70_001], "larger than"),
        ] {
            let (status, reason) = post_raw(&callback, body).await;
            assert_eq!(status, StatusCode::BAD_REQUEST);
            assert!(reason.contains(says), "{reason}");
            assert_eq!(reason.trim().lines().count(), 1, "{reason}");
            let e = t
                .exchange(&command(&profile, 2), &limits(5000))
                .await
                .unwrap_err();
            assert_clear(&e, &base, "alert callback with a bad body");
            assert_clear(&e, &base, says);
        }
        let (status, _) = post_raw(&callback, b"junk".to_vec()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let e = t.alerts(Duration::from_millis(50)).await.unwrap_err();
        assert_clear(&e, &base, "alert callback");
        // The error is reported once; the transport goes on.
        let r = t
            .exchange(&command(&profile, 3), &limits(5000))
            .await
            .unwrap();
        assert_eq!(mac_of(&profile, &r.responses[0].frame), Verdict::Valid);
    });
}

#[test]
fn refused_and_silent_head_ends_fail_clearly() {
    rt().block_on(async {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("http://127.0.0.1:{port}");
        let mut t = open(&url, &OpenOptions::default()).unwrap();
        let e = t.exchange(b"cmd", &limits(500)).await.unwrap_err();
        assert_clear(&e, &url, "cannot connect");
        assert_clear(&e, &url, "refused");

        // Accepts connections, never answers.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((s, _)) = listener.accept().await {
                held.push(s);
            }
        });
        let mut t = open(&url, &OpenOptions::default()).unwrap();
        let started = Instant::now();
        let e = t.exchange(b"cmd", &limits(300)).await.unwrap_err();
        assert_clear(&e, &url, "timeout after 300 ms");
        assert!(started.elapsed() < Duration::from_secs(3));

        // Subscribed, but the command is never answered.
        let url = head_end(|| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            StatusCode::OK
        })
        .await;
        let mut t = open(&url, &OpenOptions::default()).unwrap();
        let e = t.exchange(b"cmd", &limits(300)).await.unwrap_err();
        assert_clear(&e, &url, "timeout after 300 ms waiting for a response");
    });
}

#[test]
fn error_statuses_and_non_gbcs_bodies_fail_clearly() {
    rt().block_on(async {
        let url = head_end(|| async {
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("device table locked: {}\nat line 2", "x".repeat(300)),
            )
        })
        .await;
        let mut t = open(&url, &OpenOptions::default()).unwrap();
        let e = t.exchange(b"cmd", &limits(2000)).await.unwrap_err();
        assert_clear(
            &e,
            &url,
            "HTTP 500 Internal Server Error from /gbcs/command",
        );
        assert_clear(&e, &url, "device table locked");
        assert!(!e.to_string().contains("line 2"), "{e}");
        assert!(e.to_string().len() < url.len() + 250, "{e}");

        // No routes at all: the subscribe 404 is tolerated, the command's is not.
        let url = serve(Router::new()).await;
        let mut t = open(&url, &OpenOptions::default()).unwrap();
        let e = t.exchange(b"cmd", &limits(2000)).await.unwrap_err();
        assert_clear(&e, &url, "HTTP 404 Not Found from /gbcs/command");

        // A subscribe refused otherwise fails the exchange.
        let url = serve(Router::new().route(
            "/gbcs/subscribe",
            post(|| async { (StatusCode::FORBIDDEN, "no callbacks for you") }),
        ))
        .await;
        let mut t = open(&url, &OpenOptions::default()).unwrap();
        let e = t.exchange(b"cmd", &limits(2000)).await.unwrap_err();
        assert_clear(
            &e,
            &url,
            "HTTP 403 Forbidden from /gbcs/subscribe: no callbacks",
        );

        let url = head_end(|| async {
            (
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                "<html><body>Login</body></html>",
            )
                .into_response()
        })
        .await;
        let mut t = open(&url, &OpenOptions::default()).unwrap();
        let e = t.exchange(b"cmd", &limits(2000)).await.unwrap_err();
        assert_clear(&e, &url, "non-GBCS body (content-type text/html");

        let url = head_end(|| async {
            (
                [(header::CONTENT_TYPE, "application/json")],
                "{\"ok\":true}",
            )
                .into_response()
        })
        .await;
        let mut t = open(&url, &OpenOptions::default()).unwrap();
        let e = t.exchange(b"cmd", &limits(2000)).await.unwrap_err();
        assert_clear(&e, &url, "non-GBCS body (content-type application/json)");

        // An empty 200: the head-end got nothing from the device.
        let url = head_end(|| async { StatusCode::OK }).await;
        let mut t = open(&url, &OpenOptions::default()).unwrap();
        let e = t.exchange(b"cmd", &limits(2000)).await.unwrap_err();
        assert_clear(&e, &url, "empty HTTP 200");
    });
}

#[test]
fn oversized_responses_are_refused() {
    rt().block_on(async {
        let small = Limits {
            max_frame: 64,
            ..limits(2000)
        };
        // Announced by Content-Length.
        let url = head_end(|| async { vec![0xDFu8; 65] }).await;
        let mut t = open(&url, &OpenOptions::default()).unwrap();
        let e = t.exchange(b"cmd", &small).await.unwrap_err();
        assert_clear(&e, &url, "incoming frame of 65 bytes is larger than the 64-byte limit");

        // Chunked, with no length announced: caught while streaming.
        let mut response =
            b"HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n".to_vec();
        for _ in 0..3 {
            response.extend_from_slice(b"28\r\n");
            response.extend_from_slice(&[0xDF; 40]);
            response.extend_from_slice(b"\r\n");
        }
        response.extend_from_slice(b"0\r\n\r\n");
        let url = raw_server(response).await;
        let mut t = open(&url, &OpenOptions::default()).unwrap();
        let e = t.exchange(b"cmd", &small).await.unwrap_err();
        assert_clear(&e, &url, "larger than the 64-byte limit");
        // Within the limit the same stream is a response.
        let r = t.exchange(b"cmd", &limits(2000)).await.unwrap();
        assert_eq!(r.responses[0].frame, vec![0xDF; 120]);

        // An outgoing frame over the limit is refused before it is sent.
        let e = t.exchange(&[0u8; 65], &small).await.unwrap_err();
        assert_clear(&e, &url, "outgoing frame of 65 bytes");
    });
}

/// Fifty exchanges each way answer with a valid MAC; the per-exchange times are printed for
/// the README's figures (`--nocapture`), never asserted.
#[test]
fn http_answers_like_sim_and_its_overhead_is_printed() {
    let profile = DefaultProfile::generate().unwrap();
    let (_server, base) = start_http_server(&[]);
    rt().block_on(async {
        let l = Limits {
            alert_grace: Duration::ZERO,
            ..limits(5000)
        };
        let mut per_exchange = Vec::new();
        for url in ["sim://".to_string(), base.clone()] {
            let mut t = open(&url, &OpenOptions::default()).unwrap();
            let r = t.exchange(&command(&profile, 1), &l).await.unwrap();
            assert_eq!(mac_of(&profile, &r.responses[0].frame), Verdict::Valid);
            const N: u64 = 50;
            let started = Instant::now();
            for counter in 2..2 + N {
                let r = t.exchange(&command(&profile, counter), &l).await.unwrap();
                assert_eq!(r.responses.len(), 1, "{url}");
                assert_eq!(mac_of(&profile, &r.responses[0].frame), Verdict::Valid);
            }
            per_exchange.push((url, started.elapsed() / N as u32));
        }
        let base_time = per_exchange[0].1;
        for (url, each) in &per_exchange {
            println!(
                "{url:40} {:>9.3} ms/exchange, +{:.3} ms over sim://",
                each.as_secs_f64() * 1e3,
                each.saturating_sub(base_time).as_secs_f64() * 1e3
            );
        }
    });
}

#[test]
fn simulate_http_posts_a_future_dated_alert_to_the_callback() {
    use gbcs_harness::codec::MessageCode;

    let profile = DefaultProfile::generate().unwrap();
    let (_server, base) = start_http_server(&[]);
    rt().block_on(async {
        let mut t = open(&base, &OpenOptions::default()).unwrap();
        // The device's clock, from the date-time of a response.
        let r = t
            .exchange(&command(&profile, 300), &limits(5000))
            .await
            .unwrap();
        let device_now = seconds_since_2000(
            decode_frame(&r.responses[0].frame)
                .unwrap()
                .header()
                .date_time
                .as_ref()
                .unwrap(),
        );
        // ECS01a-style: activate the passive calendar in 2 s.
        let future_dated = activate_calendar_at(&profile, 301, device_now + 2);
        let r = t.exchange(&future_dated, &limits(5000)).await.unwrap();
        assert_eq!(
            decode_frame(&r.responses[0].frame).unwrap().header().cra,
            CraFlag::Response
        );

        let mut alerts = r.alerts;
        let deadline = Instant::now() + Duration::from_secs(10);
        while alerts.is_empty() && Instant::now() < deadline {
            alerts = t.alerts(Duration::from_secs(1)).await.unwrap();
        }
        let [alert] = &alerts[..] else {
            panic!("one execution alert expected, got {}", alerts.len())
        };
        let frame = decode_frame(&alert.frame).unwrap();
        assert_eq!(frame.header().cra, CraFlag::Alert);
        assert_eq!(frame.header().message_code(), Some(MessageCode(0x00CC)));
        let i = Inspector::new(profile.keys(), Some(profile.acb()))
            .inspect(&alert.frame)
            .unwrap();
        assert_eq!(i.checks.signature, Verdict::Valid);
    });
}
