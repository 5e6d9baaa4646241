//! The library's error type: every message names the file, index or parameter at fault and
//! says what to do. `anyhow` is used only at the CLI edge.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no index at {dir}: build one with `pustaka index --index {dir} [PATH...]`")]
    NoIndex { dir: PathBuf },
    #[error("the index at {dir} is in use by another `pustaka index` run; wait for it to finish")]
    Locked { dir: PathBuf },
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
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
