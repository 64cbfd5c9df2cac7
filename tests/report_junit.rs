//! The JUnit report as certification evidence: valid against the common JUnit schema after
//! every scenario, escaped correctly, and mergeable across shards.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

mod common;
use common::junit::{check_valid, xmllint_available, JUNIT_XSD};

use gbcs_harness::report::{
    self, Failure, FailureKind, JunitWriter, Outcome, ScenarioResult, SuiteProperties,
};

fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gbcs-report-it-{tag}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

/// Evaluates an XPath string expression with xmllint; None when xmllint is absent.
fn xpath(path: &Path, expr: &str) -> Option<String> {
    if !xmllint_available() {
        return None;
    }
    let out = Command::new("xmllint")
        .arg("--xpath")
        .arg(expr)
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "xpath {expr} failed");
    // xmllint ends its output with a newline of its own.
    let mut s = String::from_utf8(out.stdout).unwrap();
    if s.ends_with('\n') {
        s.pop();
    }
    Some(s)
}

fn result(feature: &str, name: &str, outcome: Outcome) -> ScenarioResult {
    ScenarioResult {
        feature: feature.into(),
        line: Some(12),
        name: name.into(),
        use_case: Some("ECS17b".into()),
        service_request: Some("4.1.1".into()),
        device: Some("ESME".into()),
        tags: vec!["@smets2".into(), "critical".into()],
        duration: Duration::from_millis(250),
        outcome,
        traffic: Vec::new(),
    }
}

fn failed(kind: FailureKind, message: &str, details: &str) -> Outcome {
    Outcome::Failed(Failure {
        kind,
        step: "Then the response is accepted".into(),
        message: message.into(),
        details: details.into(),
    })
}

fn props() -> SuiteProperties {
    let mut p = SuiteProperties::new("sim:127.0.0.1:7000", "smets2-esme");
    p.commit = Some("0123456789abcdef".into());
    p
}

#[test]
fn file_is_complete_and_valid_after_every_scenario() {
    let dir = scratch("each");
    let path = dir.join("junit.xml");
    let mut w = JunitWriter::new(&path, props()).unwrap();
    // Valid before any scenario: a run killed at start-up still leaves a report.
    check_valid(&path);

    let scenarios = [
        result(
            "Read instantaneous",
            "reads import register",
            Outcome::Passed,
        ),
        result(
            "Read instantaneous",
            "rejects a bad MAC",
            failed(
                FailureKind::Mac,
                "response MAC does not verify",
                "expected MAC: 0A0B0C\nactual MAC:   0A0B0D\nframe: DF 09 00 00",
            ),
        ),
        result(
            "Prepayment",
            "top up",
            Outcome::NotApplicable {
                reason: "credit mode only".into(),
            },
        ),
    ];
    for (i, s) in scenarios.into_iter().enumerate() {
        w.record(s).unwrap();
        check_valid(&path);
        let doc = fs::read_to_string(&path).unwrap();
        assert!(
            doc.contains(&format!(
                "<testsuites name=\"gbcs-harness\" tests=\"{}\"",
                i + 1
            )),
            "after scenario {}: {doc}",
            i + 1
        );
        // Only the report itself is in the folder: the temporary file was renamed.
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["junit.xml"]);
    }
    w.set_firmware_version("02.0A.11").unwrap();
    check_valid(&path);

    let doc = fs::read_to_string(&path).unwrap();
    assert!(doc.contains(r#"<property name="firmware_version" value="02.0A.11"/>"#));
    assert!(doc.contains(&format!(
        r#"<property name="harness_version" value="{}"/>"#,
        env!("CARGO_PKG_VERSION")
    )));
    assert!(doc.contains(r#"<property name="service_request" value="4.1.1"/>"#));
    assert!(doc.contains(r#"<property name="tags" value="@smets2 @critical"/>"#));
    assert!(doc.contains(r#"<failure type="mac" message="response MAC does not verify">"#));
    // Not applicable is reported as skipped with the reason, never as passed.
    assert!(doc.contains(r#"<skipped message="not applicable: credit mode only"/>"#));
    if let Some(n) = xpath(
        &path,
        "count(//testsuite[@name='Prepayment']/testcase/skipped)",
    ) {
        assert_eq!(n, "1");
        assert_eq!(
            xpath(&path, "string(//testsuite[@name='Prepayment']/@skipped)").unwrap(),
            "1"
        );
        assert_eq!(
            xpath(&path, "string(//testsuite[1]/@failures)").unwrap(),
            "1"
        );
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn messages_and_details_are_escaped() {
    let dir = scratch("escape");
    let path = dir.join("junit.xml");
    let mut w = JunitWriter::new(&path, props()).unwrap();
    let message = "a < b && c > \"d\" 'e' \u{7}bell\u{0}nul";
    let details = "<frame>&amp; ]]> \"q\" 'a'\n\u{1b}[31mred\r\nDF 00\ttab";
    let mut s = result(
        "Escaping <&> \"'",
        "name with <tag> & \"quotes\"",
        failed(FailureKind::VectorMismatch, message, details),
    );
    s.tags = vec!["x\"y".into()];
    s.device = Some("dev\u{1}ice".into());
    w.record(s).unwrap();
    check_valid(&path);

    let doc = fs::read_to_string(&path).unwrap();
    assert!(doc.contains(
        r#"message="a &lt; b &amp;&amp; c &gt; &quot;d&quot; &apos;e&apos; \x07bell\x00nul""#
    ));
    assert!(doc.contains("&lt;frame&gt;&amp;amp; ]]&gt; \"q\" 'a'\n\\x1b[31mred&#13;\nDF 00\ttab"));
    assert!(doc.contains(r#"type="vector-mismatch""#));
    // No raw control characters other than newline and tab reach the file.
    assert!(!doc
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t'));

    // What a consumer reads back is the original text (controls shown as \xNN).
    if let Some(m) = xpath(&path, "string(//failure/@message)") {
        assert_eq!(m, "a < b && c > \"d\" 'e' \\x07bell\\x00nul");
        let text = xpath(&path, "string(//failure)").unwrap();
        assert!(text.contains("<frame>&amp; ]]> \"q\" 'a'\n\\x1b[31mred\r\nDF 00\ttab"));
        assert_eq!(
            xpath(&path, "string(//testcase/@name)").unwrap(),
            "name with <tag> & \"quotes\""
        );
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn merges_two_shards() {
    let dir = scratch("merge");
    let a = dir.join("shard-a.xml");
    let b = dir.join("shard-b.xml");
    let mut wa = JunitWriter::new(&a, props()).unwrap();
    wa.record(result("Read", "one", Outcome::Passed)).unwrap();
    wa.record(result("Read", "two", Outcome::Passed)).unwrap();
    wa.record(result(
        "Tariff",
        "set tariff",
        Outcome::NotRun {
            reason: "deadline reached".into(),
        },
    ))
    .unwrap();
    wa.set_firmware_version("1.0").unwrap();
    let mut wb = JunitWriter::new(&b, props()).unwrap();
    wb.record(result(
        "Read",
        "three",
        failed(FailureKind::Timeout, "no response in 30 s", ""),
    ))
    .unwrap();
    wb.record(result(
        "Firmware",
        "activate",
        failed(
            FailureKind::ExpectedRejection,
            "command accepted",
            "frame: 00",
        ),
    ))
    .unwrap();

    let out = dir.join("merged.xml");
    let summary = report::merge(&out, &[a.clone(), b.clone()]).unwrap();
    assert_eq!(summary.suites, 3);
    assert_eq!(summary.tests, 5);
    assert_eq!(summary.failures, 2);
    check_valid(&out);

    let doc = fs::read_to_string(&out).unwrap();
    assert!(doc.contains(
        r#"<testsuites name="gbcs-harness" tests="5" failures="2" errors="0" time="1.250">"#
    ));
    assert!(doc.contains(
        r#"<testsuite name="Read" tests="3" failures="1" errors="0" skipped="0" time="0.750">"#
    ));
    assert!(doc.contains(
        r#"<testsuite name="Tariff" tests="1" failures="0" errors="0" skipped="1" time="0.250">"#
    ));
    // Suite properties are united, not duplicated: one target, the firmware from shard A.
    assert_eq!(doc.matches(r#"<property name="target""#).count(), 3);
    assert!(doc.contains(r#"<property name="firmware_version" value="1.0"/>"#));
    // Testcases keep shard order within a merged suite.
    let one = doc.find(r#"name="one""#).unwrap();
    let three = doc.find(r#"name="three""#).unwrap();
    assert!(one < three);
    assert!(doc.contains(r#"<failure type="expected-rejection" message="command accepted">"#));

    // Merging is idempotent with respect to validity: the merged file merges again.
    let again = dir.join("again.xml");
    let s2 = report::merge(&again, std::slice::from_ref(&out)).unwrap();
    assert_eq!(s2, summary);
    check_valid(&again);

    // The subcommand does the same.
    let cli_out = dir.join("cli.xml");
    let status = Command::new(env!("CARGO_BIN_EXE_gbcs-harness"))
        .args(["report", "merge"])
        .arg(&cli_out)
        .arg(&a)
        .arg(&b)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(fs::read_to_string(&cli_out).unwrap(), doc);

    // A broken shard is an error naming the file, not a silently partial merge.
    let broken = dir.join("broken.xml");
    fs::write(&broken, "<testsuites><testsuite name=\"x\" tests=\"1\">").unwrap();
    let err = report::merge(&dir.join("bad.xml"), &[a, broken]).unwrap_err();
    assert!(err.to_string().contains("broken.xml"), "{err}");
    assert!(!dir.join("bad.xml").exists());
    fs::remove_dir_all(&dir).unwrap();
}

/// The schema check must be able to fail, or the validity tests above prove nothing.
#[test]
fn xsd_rejects_invalid_reports() {
    if !xmllint_available() {
        eprintln!("xmllint not found: XSD self-check skipped (install libxml2-utils)");
        return;
    }
    let dir = scratch("xsd");
    let xsd = dir.join("JUnit.xsd");
    fs::write(&xsd, JUNIT_XSD).unwrap();
    let bad = [
        // testsuite without the required `tests`
        r#"<testsuites><testsuite name="a"/></testsuites>"#,
        // testcase without a name
        r#"<testsuites><testsuite name="a" tests="1"><testcase/></testsuite></testsuites>"#,
        // properties after testcases
        r#"<testsuites><testsuite name="a" tests="0"><testcase name="x"/><properties><property name="p" value="v"/></properties></testsuite></testsuites>"#,
        // empty properties
        r#"<testsuites><testsuite name="a" tests="0"><properties/></testsuite></testsuites>"#,
        // non-numeric time
        r#"<testsuites><testsuite name="a" tests="1"><testcase name="x" time="soon"/></testsuite></testsuites>"#,
    ];
    for (i, doc) in bad.iter().enumerate() {
        let p = dir.join(format!("bad{i}.xml"));
        fs::write(&p, doc).unwrap();
        let ok = Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(&xsd)
            .arg(&p)
            .output()
            .unwrap()
            .status
            .success();
        assert!(!ok, "XSD accepted invalid report {doc}");
    }
    fs::remove_dir_all(&dir).unwrap();
}
