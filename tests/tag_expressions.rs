//! `run --tags` parses and evaluates tag expressions as the Cucumber reference implementation
//! (cucumber/tag-expressions) does. The cases are the reference's acceptance data (its
//! testdata: parsing, evaluations, errors), restated here as tables, plus what CI needs: an
//! empty `--tags "$VAR"` runs everything.

use std::path::Path;
use std::process::{Command, Output};

use gbcs_harness::runner::tags::{SyntaxError, TagExpr};

/// Expression → the reference's canonical form.
const PARSING: &[(&str, &str)] = &[
    ("", "true"),
    ("  ", "true"),
    ("\n", "true"),
    ("@a and @b", "( @a and @b )"),
    ("@a or @b", "( @a or @b )"),
    ("not @a", "not ( @a )"),
    ("@a and @b and @c", "( ( @a and @b ) and @c )"),
    (
        "( @a and @b ) or ( @c and @d )",
        "( ( @a and @b ) or ( @c and @d ) )",
    ),
    (
        "not @a or @b and not @c or not @d or @e and @f",
        "( ( ( not ( @a ) or ( @b and not ( @c ) ) ) or not ( @d ) ) or ( @e and @f ) )",
    ),
    (
        r"not @a\(\) or @b and not @c or not @d or @e and @f",
        r"( ( ( not ( @a\(\) ) or ( @b and not ( @c ) ) ) or not ( @d ) ) or ( @e and @f ) )",
    ),
    ("not (@a and @b)", "not ( @a and @b )"),
    ("not (@a or @b)", "not ( @a or @b )"),
    (
        "not (@a and @b) and @c or not (@d or @f)",
        "( ( not ( @a and @b ) and @c ) or not ( @d or @f ) )",
    ),
    (r"@a\\ and @b", r"( @a\\ and @b )"),
    (r"@\\a and @b", r"( @\\a and @b )"),
    (r"@a and @b\\", r"( @a and @b\\ )"),
    (r"( @a and @b\\\\)", r"( @a and @b\\\\ )"),
    (r"@a\\\( and @b\\\)", r"( @a\\\( and @b\\\) )"),
    (r"(@a and @\\b)", r"( @a and @\\b )"),
    ("@x or(@y) ", "( @x or @y )"),
    (r"@x\(1\) or(@y\(2\))", r"( @x\(1\) or @y\(2\) )"),
    (r"@\\x or @y\\ or @z\\", r"( ( @\\x or @y\\ ) or @z\\ )"),
    (
        r"@x\\ or(@y\\\)) or(@z\\)",
        r"( ( @x\\ or @y\\\) ) or @z\\ )",
    ),
    (r"@x\  or @y", r"( @x\  or @y )"),
    // Leading and trailing blanks and line breaks are separators like any other.
    ("  @esme\n", "@esme"),
    ("\t@esme and\n@ECS17b ", "( @esme and @ECS17b )"),
];

/// Tags, and whether the expression selects them.
type Cases = &'static [(&'static [&'static str], bool)];

/// Expression → its cases.
const EVALUATIONS: &[(&str, Cases)] = &[
    ("not @x", &[(&["@x"], false), (&["@y"], true)]),
    (
        "@x and @y",
        &[(&["@x", "@y"], true), (&["@x"], false), (&["@y"], false)],
    ),
    (
        "@x or @y",
        &[
            (&[], false),
            (&["@x", "@y"], true),
            (&["@x"], true),
            (&["@y"], true),
        ],
    ),
    (
        r"@x\(1\) or @y\(2\)",
        &[(&["@x(1)"], true), (&["@y(2)"], true)],
    ),
    (
        r"@x\\ or @y\\\) or @z\\",
        &[
            (&[r"@x\"], true),
            (&[r"@y\)"], true),
            (&[r"@z\"], true),
            (&["@x"], false),
            (&["@y)"], false),
            (&["@z"], false),
        ],
    ),
    (
        r"@\\x or @y\\ or @z\\",
        &[
            (&[r"@\x"], true),
            (&[r"@y\"], true),
            (&[r"@z\"], true),
            (&["@x"], false),
            (&["@y"], false),
            (&["@z"], false),
        ],
    ),
    (
        "not (@x and @y)",
        &[(&["@x", "@y"], false), (&["@x"], true)],
    ),
    ("", &[(&[], true), (&["@x"], true)]),
    ("x and y", &[(&["x", "y"], true), (&["x"], false)]),
];

/// Expression → the reference's message (what follows it names the token and column).
const ERRORS: &[(&str, &str)] = &[
    ("@a @b or", "Expected operator."),
    ("@a and (@b not)", "Expected operator."),
    ("@a and (@b @c) or", "Expected operator."),
    ("@a and or", "Expected operand."),
    ("or or", "Expected operand."),
    ("@a @b", "Expected operator."),
    ("( @a and @b ) )", "Unmatched )."),
    ("( ( @a and @b )", "Unmatched (."),
    (r"@x or @\y or @z", "Illegal escape before \"y\"."),
    (r"@x\ or @y", "Expected operator."),
    (
        "@a,@b",
        "An invalid tag combination operator was detected. The use of a comma (\",\") to combine tags is not supported.",
    ),
    (
        "(@a ,@b)",
        "An invalid tag combination operator was detected.",
    ),
    // The cases the harness's old parser got wrong or explained with parser internals.
    ("@esme or@gsme", "Expected operator."),
    ("@a and", "Expected operand."),
    ("( @a", "Unmatched (."),
    ("@a )", "Unmatched )."),
    ("not", "Expected operand."),
    ("@a and not", "Expected operand."),
    (r"@a\", "Illegal escape at the end of the expression."),
];

#[test]
fn parses_as_the_reference_formats() {
    for (expr, formatted) in PARSING {
        let parsed = TagExpr::parse(expr).unwrap_or_else(|e| panic!("{expr:?}: {e}"));
        assert_eq!(parsed.to_string(), *formatted, "{expr:?}");
        // The canonical form parses to the same expression (`true` is a tag named so).
        if !parsed.is_empty() {
            assert_eq!(
                TagExpr::parse(formatted).ok(),
                Some(parsed),
                "{formatted:?}"
            );
        }
    }
}

#[test]
fn evaluates_as_the_reference() {
    for (expr, cases) in EVALUATIONS {
        let parsed = TagExpr::parse(expr).unwrap_or_else(|e| panic!("{expr:?}: {e}"));
        for (tags, want) in *cases {
            assert_eq!(parsed.eval(tags), *want, "{expr:?} on {tags:?}");
        }
    }
}

#[test]
fn errors_use_the_reference_words_and_name_the_token() {
    for (expr, words) in ERRORS {
        let e = TagExpr::parse(expr).expect_err(expr);
        let msg = e.to_string();
        let head = format!(
            "Tag expression \"{expr}\" could not be parsed because of syntax error: {words}"
        );
        assert!(msg.starts_with(&head), "{expr:?}: {msg}");
        // No parser internals (the old parser printed `expected one of ")", "and", ...`).
        assert!(!msg.contains("expected one of"), "{msg}");
        assert!(!msg.contains("stack"), "{msg}");
        assert!(!msg.contains('\n'), "{msg}");
    }
    let e = TagExpr::parse("@esme or@gsme").unwrap_err();
    assert_eq!(e.kind, SyntaxError::ExpectedOperator);
    assert_eq!((e.column, e.found.as_deref()), (7, Some("or@gsme")));
    assert_eq!(
        e.to_string(),
        "Tag expression \"@esme or@gsme\" could not be parsed because of syntax error: \
         Expected operator. Found \"or@gsme\" at column 7."
    );
    let e = TagExpr::parse("( @a and @b ) )").unwrap_err();
    assert_eq!(e.column, 15);
    let e = TagExpr::parse("x and ( ( @a and @b )").unwrap_err();
    assert!(
        e.to_string()
            .ends_with("The \"(\" at column 7 is not closed."),
        "{e}"
    );
    let e = TagExpr::parse("@a and").unwrap_err();
    assert!(
        e.to_string().ends_with("Found the end of the expression."),
        "{e}"
    );
}

#[test]
fn scenario_tags_from_gherkin_match_with_the_at_sign() {
    // Gherkin parsers hand over `esme` for `@esme`; the expression names `@esme`.
    let e = TagExpr::parse("@esme and not @security").unwrap();
    assert!(e.selects(&["ECS17b", "esme"]));
    assert!(!e.selects(&["esme", "security"]));
    assert!(!e.selects(&["gsme"]));
    assert!(TagExpr::parse(" ").unwrap().selects::<&str>(&[]));
}

// --- through `gbcs-harness run` ---

fn harness(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gbcs-harness"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("the harness binary runs")
}

fn scratch(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("gbcs-tags-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The scenarios a run wrote to its summary.
fn scenarios(json: &Path) -> u64 {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    v["scenarios"].as_u64().unwrap()
}

const EXAMPLE: &str = "docs/examples/supplier-reads-esme.feature";

#[test]
fn run_with_an_empty_or_blank_expression_runs_everything() {
    let dir = scratch("empty");
    let mut counts = Vec::new();
    for (i, tags) in [None, Some(""), Some("  \n"), Some(" @esme\n")]
        .into_iter()
        .enumerate()
    {
        let json = dir.join(format!("s{i}.json"));
        let junit = dir.join(format!("j{i}.xml"));
        let mut args = vec![
            "run",
            EXAMPLE,
            "--quiet",
            "--json",
            json.to_str().unwrap(),
            "--junit",
            junit.to_str().unwrap(),
        ];
        if let Some(t) = tags {
            args.extend(["--tags", t]);
        }
        let out = harness(&args);
        assert!(
            out.status.success(),
            "--tags {tags:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        counts.push(scenarios(&json));
    }
    assert_eq!(counts, [3, 3, 3, 3]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn run_refuses_a_bad_expression_in_one_line() {
    let out = harness(&["run", EXAMPLE, "--quiet", "--tags", "@esme or@gsme"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(
            "Tag expression \"@esme or@gsme\" could not be parsed because of syntax error: Expected operator."
        ),
        "{err}"
    );
    // A valid expression that selects nothing is a different error, still exit 2.
    let out = harness(&["run", EXAMPLE, "--quiet", "--tags", "@gsme"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("selects no scenario"));
}
