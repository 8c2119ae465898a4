//! Error types with the context a user needs: which file, which line.

use std::path::PathBuf;

/// Everything that can go wrong while reading user data.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Input { path: PathBuf, message: String },
    #[error("{path}:{line}: {message}")]
    InputLine {
        path: PathBuf,
        line: u64,
        message: String,
    },
    #[error("{path}: cannot use this model file: {message}")]
    Model { path: PathBuf, message: String },
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// A failed read. A write that failed inside an output sink (see
    /// [`WriteFailure`]) is reported as the write it was, under the output's
    /// own name, whatever the caller took it for.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        match WriteFailure::take(source) {
            Ok(f) => f.into(),
            Err(source) => Error::Io {
                path: path.into(),
                source,
            },
        }
    }
    /// A failed write, named by the path the user gave (never a temporary file's).
    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        match WriteFailure::take(source) {
            Ok(f) => f.into(),
            Err(source) => Error::Write {
                path: path.into(),
                source,
            },
        }
    }
    pub fn input(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.into(),
            message: message.into(),
        }
    }
    pub fn line(path: impl Into<PathBuf>, line: u64, message: impl Into<String>) -> Self {
        Error::InputLine {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}

/// A write error as an output sink reports it: the name the user gave the
/// output and the system's error. Carried inside the `io::Error` a writer
/// returns, so messages name the output even where the error passes through
/// a CSV or JSON writer on its way up.
#[derive(Debug, thiserror::Error)]
#[error("{}: cannot write: {source}", path.display())]
pub struct WriteFailure {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

impl From<WriteFailure> for Error {
    fn from(f: WriteFailure) -> Self {
        Error::Write {
            path: f.path,
            source: f.source,
        }
    }
}

impl WriteFailure {
    /// The failure an `io::Error` carries, or the error itself when it carries none.
    fn take(e: std::io::Error) -> std::result::Result<WriteFailure, std::io::Error> {
        if !e.get_ref().is_some_and(|r| r.is::<WriteFailure>()) {
            return Err(e);
        }
        let kind = e.kind();
        match e.into_inner().map(|b| b.downcast::<WriteFailure>()) {
            Some(Ok(f)) => Ok(*f),
            // Not reached: the check above saw a WriteFailure.
            Some(Err(other)) => Err(std::io::Error::new(kind, other)),
            None => Err(std::io::Error::from(kind)),
        }
    }

    /// An `io::Error` of the same kind that carries the output's name.
    pub fn wrap(path: &std::path::Path, source: std::io::Error) -> std::io::Error {
        std::io::Error::new(
            source.kind(),
            WriteFailure {
                path: path.to_path_buf(),
                source,
            },
        )
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
