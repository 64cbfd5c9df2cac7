//! The HTML report in a real browser: a run against a device that accepts replayed commands
//! (`sim://?fault=accept-replay`) writes the page, headless Chromium renders it, and the test
//! checks what is on the page (the FAIL verdict, the use case × variant matrix with the
//! failed use case, the failure's message and details, every scenario with its traffic) and
//! that a screenshot is a real PNG of the window's size. Chromium (`chromium` or
//! `chromium-browser` on PATH) is optional: without it the browser checks skip with a
//! message, unless `GBCS_REQUIRE_CHROMIUM=1`. The page's own checks (self-contained, nothing
//! loaded from the network) always run.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_gbcs-harness");
/// `protection.feature` holds the replay scenario this fault fails; the others pass.
const FEATURES: &[&str] = &[
    "features/security/protection.feature",
    "features/electricity/ECS17b.feature",
    "features/smets1/SR4.1-read-instantaneous-import-register-values.feature",
];
const FAILED: &str = "A replayed command is discarded";
/// How long Chromium may take to render the page before the test gives up on it.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(120);

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gbcs-html-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs the features against the faulty simulator; returns the page and the JSON summary.
fn run_report(dir: &Path) -> (String, serde_json::Value) {
    let out = Command::new(BIN)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .arg("run")
        .args(FEATURES)
        .args(["--target", "sim://?fault=accept-replay", "--quiet"])
        .arg("--html")
        .arg(dir.join("index.html"))
        .arg("--junit")
        .arg(dir.join("junit.xml"))
        .arg("--json")
        .arg(dir.join("summary.json"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the replay scenario fails:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
    let summary =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    (html, summary)
}

/// The values of every `attr="..."` in the page.
fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            &rest[..rest.find('"').unwrap_or(rest.len())]
        })
        .collect()
}

/// The browser on PATH, or `None` (the test then skips, unless Chromium is required).
fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser"].iter().find_map(|name| {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(name))
                .find(|p| p.is_file())
        })
    });
    if found.is_none() {
        assert!(
            std::env::var("GBCS_REQUIRE_CHROMIUM").as_deref() != Ok("1"),
            "GBCS_REQUIRE_CHROMIUM=1 but neither chromium nor chromium-browser is on PATH"
        );
        println!("SKIP html_report browser checks: chromium not found on PATH (apt-get install chromium)");
    }
    found
}

/// Headless Chromium with no network use of its own, its profile in `profile`, killed if it
/// does not finish within [`BROWSER_TIMEOUT`].
fn browse(browser: &Path, profile: &Path, args: &[String]) -> Output {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .env("HOME", profile)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (mut stdout, mut stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    let err_reader = std::thread::spawn(move || {
        let mut e = Vec::new();
        let _ = stderr.read_to_end(&mut e);
        e
    });
    std::thread::spawn(move || {
        let mut o = Vec::new();
        let _ = stdout.read_to_end(&mut o);
        let _ = tx.send(o);
    });
    let stdout = match rx.recv_timeout(BROWSER_TIMEOUT) {
        Ok(o) => o,
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {BROWSER_TIMEOUT:?}");
        }
    };
    let status = child.wait().unwrap();
    Output {
        status,
        stdout,
        stderr: err_reader.join().unwrap_or_default(),
    }
}

/// The page's visible text, roughly: tags dropped, entities for `&<>` decoded.
fn visible_text(dom: &str) -> String {
    let body = dom.split("<body").nth(1).unwrap_or(dom);
    let body = body.split_once('>').map_or(body, |(_, rest)| rest);
    let body = body.split("<script").next().unwrap_or(body);
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_report_renders_in_chromium_with_the_verdict_matrix_and_failure() {
    let dir = scratch("chromium");
    let (html, summary) = run_report(&dir);
    let scenarios = summary["scenarios"].as_u64().unwrap() as usize;
    assert_eq!(summary["failed"], 1, "{summary}");

    // Self-contained: every link is to the page itself, nothing is loaded from elsewhere.
    assert!(attribute_values(&html, "src").is_empty(), "no src= at all");
    for href in attribute_values(&html, "href") {
        assert!(href.starts_with('#'), "a link leaves the page: {href}");
    }
    // No address of anywhere else at all (this run's names and frames contain none).
    for banned in ["http://", "https://", "url(", "@import"] {
        assert!(!html.contains(banned), "{banned} in the page");
    }
    assert!(
        html.contains("default-src 'none'"),
        "the page forbids loading anything"
    );

    let Some(browser) = chromium() else {
        return;
    };
    let page = dir.join("index.html");
    let url = format!("file://{}", page.display());
    let out = browse(
        &browser,
        &dir.join("profile-dom"),
        &["--dump-dom".into(), url.clone()],
    );
    assert!(out.status.success(), "chromium: {}", text(&out.stderr));
    let dom = text(&out.stdout);
    assert!(dom.len() > 1000, "chromium rendered nothing: {dom}");
    let shown = visible_text(&dom);

    // The verdict, at the top, with the counts.
    assert!(dom.contains("data-verdict=\"FAIL\""), "verdict attribute");
    let first_words: String = shown.chars().take(200).collect();
    assert!(
        first_words.starts_with("FAIL") && first_words.contains("1 failed"),
        "the page opens with the verdict: {first_words}"
    );
    assert!(shown.contains("sim://?fault=accept-replay"), "the target");

    // The matrix: ECS17b's row has the failed scenario among its cells.
    let row_start = dom
        .find("data-use-case=\"ECS17b\"")
        .expect("a matrix row for ECS17b");
    let row = &dom[row_start..row_start + dom[row_start..].find("</tr>").unwrap()];
    assert!(row.contains(FAILED), "ECS17b's row: {row}");
    assert!(
        row.contains("cell fail"),
        "ECS17b's row has a failed cell: {row}"
    );
    let tr_open = &dom[..row_start];
    let tr_open = &tr_open[tr_open.rfind("<tr").unwrap()..];
    assert!(
        tr_open.contains("fail"),
        "the row is marked failed: {tr_open}"
    );

    // The failure: its step, message and details (the frames in hex), as the browser shows
    // them.
    let failures = shown
        .split("Failures (1)")
        .nth(1)
        .expect("the failures section");
    assert!(
        failures.starts_with(&format!(" ✗ {FAILED}")),
        "{}",
        &failures[..200]
    );
    assert!(
        failures.contains("Then the device rejects the command"),
        "the step"
    );
    assert!(failures.contains("it must discard it"), "the message");
    let pre_start = dom.find("<pre class=\"diff\">").expect("the details");
    let pre = &dom[pre_start..pre_start + dom[pre_start..].find("</pre>").unwrap()];
    assert!(
        pre.contains("frames:") && pre.contains("DD0000"),
        "details: {pre}"
    );

    // Every scenario is there, each with its traffic a click away.
    assert_eq!(
        dom.matches("<details class=\"scenario ").count(),
        scenarios,
        "a <details> per scenario"
    );
    assert!(
        dom.matches("class=\"hex\"").count() >= 2 * scenarios,
        "every scenario's frames (a command and its response at least)"
    );
    // SMETS1 coverage: the service the run exercised.
    assert!(
        shown.contains("Read Instantaneous Import Register Values"),
        "SMETS1 coverage"
    );

    // A screenshot: a PNG of the window's size, with something on it.
    let shot = dir.join("x.png");
    let out = browse(
        &browser,
        &dir.join("profile-shot"),
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000".into(),
            url,
        ],
    );
    assert!(out.status.success(), "chromium: {}", text(&out.stderr));
    let png = std::fs::read(&shot).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&png[12..16], b"IHDR");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (1280, 2000));
    // A blank page of that size compresses to a few kilobytes; this one has text and colour.
    assert!(png.len() > 50_000, "screenshot of {} bytes", png.len());
    std::fs::remove_dir_all(&dir).unwrap();
}
