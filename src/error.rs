//! The library's error type: every message names the file, index or parameter at fault and
//! says what to do. `anyhow` is used only at the CLI edge.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no index at {dir}: build one with `pustaka index --index {dir} [PATH...]`")]
    NoIndex { dir: PathBuf },
    #[error("the index at {dir} is in use by another `pustaka index` run; wait for it to finish")]
    Locked { dir: PathBuf },
    #[error("an index is being built at {dir} by another `pustaka index` run; try again when it has finished")]
    Building { dir: PathBuf },
    #[error("the index at {dir} is damaged ({what}); rebuild it with `pustaka index --index {dir} --rebuild` (`pustaka verify --index {dir}` lists what is wrong)")]
    Damaged { dir: PathBuf, what: String },
    #[error("the index at {dir} was made by another version of pustaka ({found}); rebuild it with `pustaka index --index {dir} --rebuild`")]
    Version { dir: PathBuf, found: String },
    #[error("index at {dir}: {source}")]
    Index {
        dir: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("query: {0}")]
    Query(String),
    #[error("{0}")]
    Invalid(String),
    /// Something asked for by name (a document, a passage) is not in the index.
    #[error("{0}")]
    NotFound(String),
    /// The work was stopped before it finished (see [`crate::search::cancel`]): the server
    /// gave up waiting for it.
    #[error("the work was cancelled before it finished")]
    Cancelled,
    /// A bug of ours met while doing the work (a panic caught in [`crate::par::map`]): never
    /// the user's mistake, so the server answers 500, not 400, and the message says to report it.
    #[error("internal error: {0} (a bug in pustaka; please report it)")]
    Internal(String),
}

impl Error {
    /// The same error about the index directory `dir` instead of a generation inside it, so
    /// messages name the directory the user gave.
    pub fn at(self, dir: &std::path::Path) -> Error {
        match self {
            Error::Damaged { what, .. } => Error::Damaged {
                dir: dir.to_path_buf(),
                what,
            },
            Error::Index { source, .. } => Error::Index {
                dir: dir.to_path_buf(),
                source,
            },
            e => e,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
