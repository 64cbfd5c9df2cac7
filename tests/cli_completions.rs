//! `gbcs-harness completions SHELL`: a script the shell itself accepts, naming the subcommands
//! and their options.

use std::process::Command;

fn completions(shell: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gbcs-harness"))
        .args(["completions", shell])
        .output()
        .expect("run gbcs-harness")
}

#[test]
fn bash_completion_parses_and_names_the_subcommands_and_options() {
    let out = completions("bash");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let script = String::from_utf8(out.stdout).unwrap();
    for word in [
        "run",
        "simulate",
        "duis",
        "init",
        "--target",
        "--profile",
        "--tags",
    ] {
        assert!(
            script.contains(word),
            "{word} missing from the bash completion"
        );
    }
    // bash parses it without running it (`-n`); bash is on every machine this runs on.
    let dir = std::env::temp_dir().join(format!("gbcs-completions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("gbcs-harness.bash");
    std::fs::write(&file, &script).unwrap();
    let checked = Command::new("bash").arg("-n").arg(&file).output();
    let _ = std::fs::remove_dir_all(&dir);
    let checked = checked.expect("bash");
    assert!(
        checked.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&checked.stderr)
    );
}

#[test]
fn every_shell_gets_a_script_and_an_unknown_one_is_a_usage_error() {
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let out = completions(shell);
        assert!(out.status.success(), "{shell}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("gbcs-harness"),
            "{shell}"
        );
    }
    let out = completions("tcsh");
    assert_eq!(out.status.code(), Some(2));
}
