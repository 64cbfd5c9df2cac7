//! A subcommand's standard output. A reader that stops early (`gbcs-harness decode DIR | head`)
//! closes the pipe; `println!` panics on that, while this writer reports it as
//! [`OutputError::Closed`], which ends the command quietly with success: nobody wants the
//! rest.

use std::fmt::Display;
use std::io::{self, Write};
use std::process::ExitCode;

/// Why standard output took no more.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The reader closed the pipe: the output is no longer wanted.
    #[error("standard output closed by its reader")]
    Closed,
    #[error("cannot write to standard output: {0}")]
    Io(io::Error),
}

impl From<io::Error> for OutputError {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            OutputError::Closed
        } else {
            OutputError::Io(e)
        }
    }
}

impl OutputError {
    /// The exit status of a command whose output stopped: success when the reader closed
    /// the pipe (`| head` got what it wanted), 2 with a message for any other failure.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            OutputError::Closed => ExitCode::SUCCESS,
            OutputError::Io(_) => {
                // Not `eprintln!`, which panics when standard error is closed too.
                let _ = writeln!(io::stderr(), "error: {self}");
                ExitCode::from(2)
            }
        }
    }
}

/// Standard output, locked for the command's life. Line-buffered like `println!`, so a
/// streamed decode shows each message as it is decoded.
pub struct Stdout {
    out: io::StdoutLock<'static>,
}

impl Stdout {
    pub fn new() -> Self {
        Stdout {
            out: io::stdout().lock(),
        }
    }

    /// Writes `text` and a newline.
    pub fn line(&mut self, text: impl Display) -> Result<(), OutputError> {
        writeln!(self.out, "{text}")?;
        Ok(())
    }

    /// Writes `text` as it is.
    pub fn text(&mut self, text: impl Display) -> Result<(), OutputError> {
        write!(self.out, "{text}")?;
        Ok(())
    }

    /// Flushes what is buffered: the last chance to learn that the reader went away.
    pub fn flush(&mut self) -> Result<(), OutputError> {
        self.out.flush()?;
        Ok(())
    }
}

/// Runs `write` over standard output and flushes it; a closed pipe ends it with success.
pub fn with_stdout(write: impl FnOnce(&mut Stdout) -> Result<ExitCode, OutputError>) -> ExitCode {
    let mut out = Stdout::new();
    match write(&mut out).and_then(|code| out.flush().map(|()| code)) {
        Ok(code) => code,
        Err(e) => e.exit_code(),
    }
}

/// `println!` for lines that are a side note of a command that goes on (a server's
/// address, a load summary): a closed standard output loses the line instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}
pub(crate) use outln;
