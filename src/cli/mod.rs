//! Subcommands of the `gbcs-harness` binary.

pub mod catalogue;
pub mod decode;
pub mod duis;
pub mod head_end;
pub mod import;
pub mod init;
pub mod inputs;
pub mod load;
pub mod output;
pub mod report;
pub mod run;
pub mod simulate;
pub mod text;
pub mod vectors;

/// The async runtime a command runs on: multi-threaded for servers and runs, one thread for a
/// single request. When it cannot start, the reason is on stderr and the exit code is 2.
pub(crate) fn runtime(
    multi_thread: bool,
) -> Result<tokio::runtime::Runtime, std::process::ExitCode> {
    let mut builder = if multi_thread {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    builder.enable_all().build().map_err(|e| {
        eprintln!("error: cannot start the async runtime: {e}");
        std::process::ExitCode::from(2)
    })
}
