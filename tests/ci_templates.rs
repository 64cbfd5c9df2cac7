//! The `ci/` templates work when copied: each is read, a workspace is laid out as the template
//! expects it (the firmware repository with a `Makefile` whose `host` target builds
//! `build/meter-host`, a stand-in that runs `gbcs-harness simulate --stdio`; the harness
//! checkout in `gbcs-harness/`), and the template's commands run from the template's working
//! folders with the template's variables, shard by shard and then the merge. The merged
//! report must count every scenario once.
//!
//! What a CI service does besides running commands is played here: checkouts and clones lay
//! the harness out (its `features/` and `vectors/`), `cargo run ... --` runs the already built
//! harness binary, artefacts are copied between jobs. The YAML is read with a small reader of
//! the block subset the templates use (no YAML crate is in the lock file). `TAGS` is set to a
//! narrow expression, as a user of the template would, to keep the runs short.
//!
//! Where `actionlint` is installed the GitHub workflow is linted too; the GitLab file is
//! checked to be well-formed YAML where Python's PyYAML is available. Without them the test
//! says so and goes on. `make` and `bash` are needed to run the templates at all: without
//! them the test skips with a message.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_gbcs-harness");
/// Narrow enough to run 4 shards per template in a few seconds, wide enough that every shard
/// gets scenarios.
const TAGS: &str = "@SR4.1.1";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

// --- a reader for the block YAML the templates use ---

#[derive(Debug, Clone, PartialEq)]
enum Yaml {
    Map(Vec<(String, Yaml)>),
    List(Vec<Yaml>),
    Str(String),
}

impl Yaml {
    fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn str(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(Yaml::Str(s)) => Some(s),
            _ => None,
        }
    }

    fn list(&self, key: &str) -> &[Yaml] {
        match self.get(key) {
            Some(Yaml::List(l)) => l,
            _ => &[],
        }
    }

    fn entries(&self) -> &[(String, Yaml)] {
        match self {
            Yaml::Map(m) => m,
            _ => &[],
        }
    }

    fn as_str(&self) -> &str {
        match self {
            Yaml::Str(s) => s,
            other => panic!("expected a string, found {other:?}"),
        }
    }
}

struct Reader {
    lines: Vec<String>,
    at: usize,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The line without a trailing comment (a `#` after a blank, outside quotes).
fn uncommented(line: &str) -> &str {
    let mut quote = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && prev.is_whitespace() => return line[..i].trim_end(),
            None => {}
        }
        prev = c;
    }
    line.trim_end()
}

fn scalar(s: &str) -> Yaml {
    let s = s.trim();
    if let Some(inner) = s.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        return Yaml::List(
            inner
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(scalar)
                .collect(),
        );
    }
    if let Some(inner) = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        return Yaml::Str(inner.replace("\\\"", "\"").replace("\\\\", "\\"));
    }
    if let Some(inner) = s.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        return Yaml::Str(inner.replace("''", "'"));
    }
    Yaml::Str(s.to_string())
}

/// `key: rest` (or `key:`), when the text is a mapping entry.
fn split_key(text: &str) -> Option<(&str, &str)> {
    if text.starts_with('"') || text.starts_with('\'') || text.starts_with('[') {
        return None;
    }
    if let Some(k) = text.strip_suffix(':') {
        return (!k.contains(": ")).then_some((k, ""));
    }
    text.split_once(": ")
}

impl Reader {
    fn new(text: &str) -> Self {
        Reader {
            lines: text.lines().map(str::to_string).collect(),
            at: 0,
        }
    }

    /// The next line with content: (indent, text without comment).
    fn peek(&mut self) -> Option<(usize, String)> {
        while self.at < self.lines.len() {
            let l = uncommented(&self.lines[self.at]);
            if !l.trim().is_empty() {
                return Some((indent_of(l), l.trim_start().to_string()));
            }
            self.at += 1;
        }
        None
    }

    fn node(&mut self, indent: usize) -> Yaml {
        match self.peek() {
            Some((_, t)) if t == "-" || t.starts_with("- ") => self.list(indent),
            _ => self.map(indent),
        }
    }

    fn map(&mut self, indent: usize) -> Yaml {
        let mut entries = Vec::new();
        while let Some((i, text)) = self.peek() {
            if i != indent {
                assert!(i < indent, "line {}: unexpected indent", self.at + 1);
                break;
            }
            let (key, rest) = split_key(&text)
                .unwrap_or_else(|| panic!("line {}: expected `key: value`", self.at + 1));
            let (key, rest) = (key.to_string(), rest.trim().to_string());
            self.at += 1;
            entries.push((key, self.value(indent, &rest)));
        }
        Yaml::Map(entries)
    }

    /// The value after `key:` or `-` on a line indented `indent`.
    fn value(&mut self, indent: usize, rest: &str) -> Yaml {
        if matches!(rest, ">" | "|" | ">-" | "|-") {
            return self.block_scalar(indent, rest.starts_with('>'));
        }
        if !rest.is_empty() {
            return scalar(rest);
        }
        match self.peek() {
            Some((i, _)) if i > indent => self.node(i),
            _ => Yaml::Str(String::new()),
        }
    }

    fn list(&mut self, indent: usize) -> Yaml {
        let mut items = Vec::new();
        while let Some((i, text)) = self.peek() {
            if i != indent || !(text == "-" || text.starts_with("- ")) {
                assert!(i <= indent, "line {}: unexpected indent", self.at + 1);
                break;
            }
            let rest = text[1..].trim_start().to_string();
            if split_key(&rest).is_some() {
                // `- key: value` opens a mapping indented where `key` stands.
                let inner = indent + (text.len() - rest.len());
                self.lines[self.at] = format!("{}{rest}", " ".repeat(inner));
                items.push(self.map(inner));
            } else {
                self.at += 1;
                items.push(self.value(indent, &rest));
            }
        }
        Yaml::List(items)
    }

    /// A `>` (folded) or `|` (literal) block: the lines indented deeper than `indent`.
    fn block_scalar(&mut self, indent: usize, folded: bool) -> Yaml {
        let mut body = Vec::new();
        while self.at < self.lines.len() {
            let l = &self.lines[self.at];
            if !l.trim().is_empty() && indent_of(l) <= indent {
                break;
            }
            body.push(l.trim().to_string());
            self.at += 1;
        }
        while body.last().is_some_and(|l| l.is_empty()) {
            body.pop();
        }
        Yaml::Str(body.join(if folded { " " } else { "\n" }) + "\n")
    }
}

fn read_yaml(path: &Path) -> Yaml {
    let text = fs::read_to_string(path).unwrap();
    let mut r = Reader::new(&text);
    let doc = r.node(0);
    assert!(
        r.peek().is_none(),
        "{}: not read to the end",
        path.display()
    );
    doc
}

// --- the machinery a CI service provides ---

struct Lab {
    dir: PathBuf,
    shims: PathBuf,
}

fn tools_present() -> bool {
    let ok = |tool: &str| {
        Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    for tool in ["bash", "make"] {
        if !ok(tool) {
            eprintln!("ci_templates: skipped: `{tool}` is not installed");
            return false;
        }
    }
    true
}

fn write_executable(path: &Path, text: &str) {
    fs::write(path, text).unwrap();
    let mut p = fs::metadata(path).unwrap().permissions();
    p.set_mode(0o755);
    fs::set_permissions(path, p).unwrap();
}

impl Lab {
    fn new(name: &str) -> Lab {
        let dir = std::env::temp_dir().join(format!("gbcs-ci-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let shims = dir.join("shims");
        fs::create_dir_all(&shims).unwrap();
        // `cargo run [OPTIONS] -- ARGS` runs the harness already built for this test.
        write_executable(
            &shims.join("cargo"),
            &format!(
                "#!/bin/sh\n[ \"$1\" = run ] || {{ echo \"cargo stand-in: only run\" >&2; exit 1; }}\n\
                 while [ \"$#\" -gt 0 ] && [ \"$1\" != -- ]; do shift; done\nshift\nexec '{BIN}' \"$@\"\n"
            ),
        );
        // `git clone [OPTIONS] REPO DIR` lays the harness checkout out from REPO.
        write_executable(
            &shims.join("git"),
            "#!/bin/sh\n[ \"$1\" = clone ] || { echo \"git stand-in: only clone\" >&2; exit 1; }\n\
             shift\nwhile [ \"$#\" -gt 2 ]; do shift; done\n\
             mkdir -p \"$2\" && ln -s \"$1/features\" \"$2/features\" && ln -s \"$1/vectors\" \"$2/vectors\"\n",
        );
        Lab { dir, shims }
    }

    /// A fresh checkout of the firmware repository: a Makefile whose `host` target builds
    /// the stand-in host build from its source.
    fn firmware(&self, name: &str) -> PathBuf {
        let ws = self.dir.join(name);
        fs::create_dir_all(&ws).unwrap();
        fs::write(
            ws.join("Makefile"),
            "host:\n\tmkdir -p build\n\tcp meter-host.sh build/meter-host\n\tchmod +x build/meter-host\n",
        )
        .unwrap();
        // The firmware stand-in: the harness's simulator on stdin/stdout, whatever its
        // arguments.
        fs::write(
            ws.join("meter-host.sh"),
            format!("#!/bin/sh\nexec '{BIN}' simulate --stdio\n"),
        )
        .unwrap();
        ws
    }

    /// Runs a script as the CI service would (bash, stop at the first failure).
    fn sh(&self, cwd: &Path, script: &str, env: &BTreeMap<String, String>) {
        let path = format!(
            "{}:{}",
            self.shims.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let out = Command::new("bash")
            .args(["-e", "-c", script])
            .current_dir(cwd)
            .env("PATH", path)
            .envs(env)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "in {}:\n{script}\nexit {:?}\nstdout:\n{}\nstderr:\n{}",
            cwd.display(),
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Lays the harness checkout out in `dir`, as a checkout of its repository would.
fn harness_checkout(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    for part in ["features", "vectors"] {
        std::os::unix::fs::symlink(root().join(part), dir.join(part)).unwrap();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// Replaces `${{ NAME }}` expressions from `values`.
fn expand(text: &str, values: &BTreeMap<String, String>) -> String {
    let mut out = text.to_string();
    for (k, v) in values {
        out = out.replace(&format!("${{{{ {k} }}}}"), v);
    }
    assert!(
        !out.contains("${{"),
        "an expression the test does not know: {out}"
    );
    out
}

/// The scenarios of a run as one unsharded run counts them, from a workspace laid out alike.
fn unsharded_count(lab: &Lab, target: &str) -> u64 {
    let ws = lab.firmware("unsharded");
    lab.sh(&ws, "make host", &BTreeMap::new());
    harness_checkout(&ws.join("gbcs-harness"));
    let json = ws.join("summary.json");
    let out = Command::new(BIN)
        .current_dir(ws.join("gbcs-harness"))
        .args(["run", "--quiet", "--tags", TAGS, "--junit"])
        .arg(ws.join("junit.xml"))
        .arg("--json")
        .arg(&json)
        .arg("--target")
        .arg(target.replace("$WS", ws.to_str().unwrap()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(json).unwrap()).unwrap();
    v["scenarios"].as_u64().unwrap()
}

/// The merged report counts every scenario once: as many testcases as an unsharded run has
/// scenarios, none twice, and the merged summary agrees.
fn assert_counted_once(junit: &Path, summary: &Path, expected: u64) {
    let doc = fs::read_to_string(junit).unwrap();
    let mut cases: Vec<String> = Vec::new();
    let mut suite = String::new();
    for part in doc.split('<').skip(1) {
        let attr = |name: &str| {
            part.split_once(&format!(" {name}=\""))
                .and_then(|(_, rest)| rest.split_once('"'))
                .map(|(v, _)| v.to_string())
                .unwrap_or_default()
        };
        if part.starts_with("testsuite ") {
            suite = attr("name");
        } else if part.starts_with("testcase ") {
            cases.push(format!(
                "{suite} / {} / {}",
                attr("classname"),
                attr("name")
            ));
        }
    }
    assert!(expected > 0);
    assert_eq!(cases.len() as u64, expected, "{doc}");
    let mut unique = cases.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), cases.len(), "a testcase appears twice");
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(summary).unwrap()).unwrap();
    assert_eq!(v["scenarios"].as_u64(), Some(expected), "{v}");
    assert_eq!(
        v["results"].as_array().map(Vec::len),
        Some(expected as usize)
    );
    assert_eq!(v["exit_code"], 0, "{v}");
}

#[test]
fn github_actions_template_runs_green_in_its_workspace() {
    let path = root().join("ci/github-actions.yml");
    lint_github(&path);
    if !tools_present() {
        return;
    }
    let doc = read_yaml(&path);
    let lab = Lab::new("github");
    let jobs = doc.get("jobs").expect("jobs");
    let conformance = jobs.get("conformance").expect("a conformance job");
    let merge = jobs.get("merge").expect("a merge job");
    assert_eq!(merge.str("needs"), Some("conformance"));
    let shards: Vec<String> = conformance
        .get("strategy")
        .and_then(|s| s.get("matrix"))
        .map(|m| {
            m.list("shard")
                .iter()
                .map(|s| s.as_str().to_string())
                .collect()
        })
        .expect("a shard matrix");
    assert_eq!(shards.len(), 4);

    let artefacts = lab.dir.join("artefacts");
    let mut target_shape = String::new();
    let mut run_job = |job: &Yaml, ws: &Path, matrix: Option<&str>| {
        let mut exprs = BTreeMap::new();
        exprs.insert("github.workspace".to_string(), ws.display().to_string());
        if let Some(s) = matrix {
            exprs.insert("matrix.shard".into(), s.to_string());
        }
        let mut env = BTreeMap::new();
        for (k, v) in doc.get("env").expect("env").entries() {
            env.insert(k.clone(), expand(v.as_str(), &exprs));
        }
        for (k, v) in &env {
            exprs.insert(format!("env.{k}"), v.clone());
        }
        // The user's choice: narrow the run.
        env.insert("TAGS".into(), TAGS.into());
        env.insert("GITHUB_WORKSPACE".into(), ws.display().to_string());
        target_shape = env["TARGET"].replace(ws.to_str().unwrap(), "$WS");
        for step in job.list("steps") {
            let with = |k: &str| {
                step.get("with")
                    .and_then(|w| w.str(k))
                    .map(|v| expand(v, &exprs))
            };
            if let Some(uses) = step.str("uses") {
                let action = uses.split('@').next().unwrap();
                match action {
                    "actions/checkout" => match with("repository") {
                        // The harness, where the template puts it.
                        Some(_) => harness_checkout(&ws.join(with("path").unwrap_or_default())),
                        None => assert!(with("path").is_none() && ws.join("Makefile").exists()),
                    },
                    "dtolnay/rust-toolchain" => {}
                    "actions/upload-artifact" => {
                        let name = with("name").expect("artefact name");
                        copy_dir(
                            &ws.join(with("path").expect("artefact path")),
                            &artefacts.join(name),
                        );
                    }
                    "actions/download-artifact" => {
                        let prefix = with("pattern").expect("a pattern");
                        let prefix = prefix.strip_suffix('*').expect("pattern PREFIX*");
                        assert_eq!(with("merge-multiple").as_deref(), Some("true"));
                        let into = ws.join(with("path").expect("a download path"));
                        for a in fs::read_dir(&artefacts).unwrap() {
                            let a = a.unwrap();
                            if a.file_name().to_str().unwrap().starts_with(prefix) {
                                copy_dir(&a.path(), &into);
                            }
                        }
                    }
                    other => panic!("the test does not know the action {other}"),
                }
            } else if let Some(run) = step.str("run") {
                let cwd = ws.join(step.str("working-directory").unwrap_or(""));
                lab.sh(&cwd, &expand(run, &exprs), &env);
            }
        }
    };
    for s in &shards {
        let ws = lab.firmware(&format!("shard-{s}"));
        run_job(conformance, &ws, Some(s));
    }
    // The merge job checks out the harness alone.
    let ws = lab.dir.join("merge");
    fs::create_dir_all(&ws).unwrap();
    run_job(merge, &ws, None);

    let expected = unsharded_count(&lab, &target_shape);
    assert_counted_once(
        &ws.join("reports/junit.xml"),
        &ws.join("reports/summary.json"),
        expected,
    );
    // The evidence artefact is the merged pair.
    let evidence = artefacts.join("gbcs-conformance-evidence");
    assert!(evidence.join("junit.xml").exists() && evidence.join("summary.json").exists());
    fs::remove_dir_all(&lab.dir).unwrap();
}

#[test]
fn gitlab_template_runs_green_and_publishes_one_junit() {
    let path = root().join("ci/gitlab-ci.yml");
    well_formed_yaml(&path);
    if !tools_present() {
        return;
    }
    let doc = read_yaml(&path);
    let lab = Lab::new("gitlab");
    let conformance = doc.get("gbcs-conformance").expect("gbcs-conformance");
    let evidence = doc.get("gbcs-evidence").expect("gbcs-evidence");
    let nodes: usize = conformance.str("parallel").unwrap().parse().unwrap();
    assert_eq!(nodes, 4);

    // Only the merged report is published as JUnit, or every test counts twice.
    let junit_reports: Vec<(&str, &str)> = doc
        .entries()
        .iter()
        .filter_map(|(job, j)| {
            let r = j.get("artifacts")?.get("reports")?.str("junit")?;
            Some((job.as_str(), r))
        })
        .collect();
    assert_eq!(junit_reports.len(), 1, "{junit_reports:?}");
    assert_eq!(junit_reports[0].0, "gbcs-evidence");

    let variables = |project: &Path, node: Option<usize>| {
        let mut env = BTreeMap::new();
        env.insert("CI_PROJECT_DIR".to_string(), project.display().to_string());
        if let Some(i) = node {
            env.insert("CI_NODE_INDEX".into(), i.to_string());
            env.insert("CI_NODE_TOTAL".into(), nodes.to_string());
        }
        for (k, v) in doc.get("variables").expect("variables").entries() {
            // GitLab expands variables used in variables.
            let mut value = v.as_str().to_string();
            for (name, known) in env.clone() {
                value = value.replace(&format!("${name}"), &known);
            }
            env.insert(k.clone(), value);
        }
        // The user's choices: the harness repository, and a narrow run.
        env.insert("HARNESS_REPO".into(), root().display().to_string());
        env.insert("TAGS".into(), TAGS.into());
        env
    };
    let script = |job: &Yaml| -> String {
        job.list("script")
            .iter()
            .map(|l| l.as_str().trim_end().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let paths = |job: &Yaml| -> Vec<String> {
        job.get("artifacts")
            .map(|a| {
                a.list("paths")
                    .iter()
                    .map(|p| p.as_str().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut target_shape = String::new();
    let mut projects = Vec::new();
    for i in 1..=nodes {
        let project = lab.firmware(&format!("node-{i}"));
        let env = variables(&project, Some(i));
        target_shape = env["TARGET"].replace(project.to_str().unwrap(), "$WS");
        lab.sh(&project, &script(conformance), &env);
        projects.push(project);
    }
    // The next stage gets the earlier stage's artefacts at the same paths.
    let project = lab.firmware("evidence");
    for p in paths(conformance) {
        for node in &projects {
            copy_dir(&node.join(&p), &project.join(&p));
        }
    }
    lab.sh(&project, &script(evidence), &variables(&project, None));
    let merged = project.join(junit_reports[0].1);
    let summary = merged.with_file_name("summary.json");
    assert!(
        paths(evidence)
            .iter()
            .any(|p| merged.starts_with(project.join(p))),
        "the merged report is kept as an artefact"
    );
    let expected = unsharded_count(&lab, &target_shape);
    assert_counted_once(&merged, &summary, expected);
    fs::remove_dir_all(&lab.dir).unwrap();
}

#[test]
fn the_yaml_reader_reads_what_the_templates_use() {
    let doc = Reader::new(
        "a: 1 # note\nb:\n  c: \"x # y\"\n  d: [1, 2]\nl:\n  - k: v\n    m: >\n      one\n      two\n  - plain\n  - >\n    folded # kept\n",
    )
    .node(0);
    assert_eq!(doc.str("a"), Some("1"));
    assert_eq!(doc.get("b").unwrap().str("c"), Some("x # y"));
    assert_eq!(doc.get("b").unwrap().list("d").len(), 2);
    let l = doc.list("l");
    assert_eq!(l[0].str("k"), Some("v"));
    assert_eq!(l[0].str("m"), Some("one two\n"));
    assert_eq!(l[1], Yaml::Str("plain".into()));
    assert_eq!(l[2], Yaml::Str("folded # kept\n".into()));
}

/// actionlint, where installed, must accept the workflow.
fn lint_github(path: &Path) {
    match Command::new("actionlint").arg(path).output() {
        Ok(o) => assert!(
            o.status.success(),
            "actionlint:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(_) => eprintln!("actionlint not installed: the GitHub workflow is not linted"),
    }
    well_formed_yaml(path);
}

/// A full YAML parser, where one is on the machine (Python's PyYAML), must read the file.
fn well_formed_yaml(path: &Path) {
    let check = Command::new("python3")
        .args(["-c", "import sys, yaml; yaml.safe_load(open(sys.argv[1]))"])
        .arg(path)
        .output();
    match check {
        Ok(o) if o.status.success() => {}
        Ok(o) if String::from_utf8_lossy(&o.stderr).contains("No module named") => {
            eprintln!(
                "PyYAML not installed: {} not checked as YAML",
                path.display()
            )
        }
        Ok(o) => panic!(
            "{} is not valid YAML:\n{}",
            path.display(),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(_) => eprintln!(
            "python3 not installed: {} not checked as YAML",
            path.display()
        ),
    }
    eprintln!(
        "no GitLab CI / GitHub workflow schema validator installed: {} not checked against its schema",
        path.display()
    );
}
