//! The library's error type: every message names the file, index or parameter at fault and
//! says what to do. `anyhow` is used only at the CLI edge.

use std::path::{Path, PathBuf};

/// Everything that can go wrong in pustaka, sorted by whose move it is next.
///
/// The variant decides how the server answers (`from_error` in [`crate::server`]): the client's
/// mistakes ([`Error::Query`], [`Error::Invalid`]) are a 400 and [`Error::NotFound`] a 404; an
/// index that cannot be read right now ([`Error::NoIndex`], [`Error::Locked`],
/// [`Error::Building`], [`Error::Damaged`], [`Error::Version`], [`Error::Cancelled`]) is a 503,
/// since the request may well succeed once the index is built, repaired or less busy; anything
/// else ([`Error::Internal`], [`Error::Index`], [`Error::Io`]) is a 500. The message is the same
/// for the CLI and the server, and ends with what to run or fix where there is something to do.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No index has been built at `dir` yet (the directory is missing or empty, or an update was
    /// asked of a directory with no live generation). The user builds one; the server answers
    /// 503 until then.
    #[error("no index at {dir}: build one with `pustaka index --index {dir} [PATH...]`")]
    NoIndex {
        /// The index directory as the user gave it.
        dir: PathBuf,
    },
    /// Another `pustaka index` run holds the write lock on `dir`. Writers meet it, and a reader
    /// in the rare case that commits come faster than it can pick them up; waiting and trying
    /// again is the remedy, and the server answers 503.
    #[error("the index at {dir} is in use by another `pustaka index` run; wait for it to finish")]
    Locked {
        /// The index directory whose lock is taken.
        dir: PathBuf,
    },
    /// The first generation of `dir` is still being built by another run, so there is nothing
    /// to search yet. Readers meet it; the server answers 503 until the build publishes.
    #[error("an index is being built at {dir} by another `pustaka index` run; try again when it has finished")]
    Building {
        /// The index directory being built.
        dir: PathBuf,
    },
    /// The index at `dir` cannot be read as it stands: a file missing, truncated or corrupted,
    /// an unreadable manifest, a `CURRENT` naming a generation that is not there. Never the user's query at fault: the message
    /// says to rebuild with `--rebuild` (and to run `pustaka verify` for details); the server
    /// answers 503.
    #[error("the index{} is damaged ({what}); rebuild it with `pustaka index{} --rebuild` (`pustaka verify{}` lists what is wrong)", known(" at ", .dir), known(" --index ", .dir), known(" --index ", .dir))]
    Damaged {
        /// The index directory as the user gave it (not the generation inside it; see
        /// [`Error::at`]).
        dir: PathBuf,
        /// What is wrong, in words (`a file of it is truncated or overwritten`).
        what: String,
    },
    /// The index at `dir` was written by another version of pustaka (an older schema or
    /// directory layout) and is not read, rather than misread. The user rebuilds it with
    /// `--rebuild`; the server answers 503.
    #[error("the index at {dir} was made by another version of pustaka ({found}); rebuild it with `pustaka index --index {dir} --rebuild`")]
    Version {
        /// The index directory as the user gave it.
        dir: PathBuf,
        /// What was found instead of this version (`schema 3`, `the layout of an older
        /// version`).
        found: String,
    },
    /// The splits a metastore lists cannot be read as one index: the metastore is unreadable
    /// or of another format, a split is missing, of another schema version, or changed since
    /// the metastore was written. The user rebuilds the split or lists the splits again; the
    /// server answers 503.
    #[error("the splits of {path}: {what}")]
    Metastore {
        /// The metastore file as the user gave it.
        path: PathBuf,
        /// What is wrong, in words.
        what: String,
    },
    /// tantivy failed on the index at `dir` in a way that is not damage (damage is
    /// [`Error::Damaged`]): a disk full, a permission refused, an error on one of its threads.
    /// Nothing the request can change, so the server answers 500.
    #[error("the index{}: {source}", known(" at ", .dir))]
    Index {
        /// The index directory; empty until [`Error::at`] names it (query code reads tantivy
        /// through `?` and the API names the directory once per answer).
        dir: PathBuf,
        /// tantivy's own error, kept as the source for `{:?}` and error chains.
        #[source]
        source: tantivy::TantivyError,
    },
    /// A file system operation on the index directory failed (creating it, taking its lock,
    /// publishing a generation): usually a permission or a full disk, which the message names
    /// with the path. The server answers 500.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory the operation was on.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The query text cannot be read: bad syntax (an unclosed quote), an unknown filter or a
    /// filter value out of range, or a citation query that names no work or several. The
    /// message says what to change; the server answers 400.
    #[error("query: {0}")]
    Query(String),
    /// A request or argument outside what pustaka accepts: a similarity not between 0 and 1, a
    /// page beyond the limits, a text to check too large, a directory that is not a pustaka
    /// index. The user's to fix, as the message says; the server answers 400.
    #[error("{0}")]
    Invalid(String),
    /// Something asked for by name (a document, a passage) is not in the index. The server
    /// answers 404.
    #[error("{0}")]
    NotFound(String),
    /// The work was stopped before it finished (see [`crate::search::cancel`]): the server
    /// gave up waiting for it, and answers 503 with a message of its own (the request took
    /// longer than it may), since the same request may succeed on a less busy server.
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
            Error::Version { found, .. } => Error::Version {
                dir: dir.to_path_buf(),
                found,
            },
            e => e,
        }
    }
}

/// `{before}DIR` (` at DIR`, ` --index DIR`), or nothing while the directory is not known yet:
/// an error converted from tantivy by `?` learns it only from [`Error::at`], and a message must
/// not read "the index at :".
fn known(before: &str, dir: &Path) -> String {
    if dir.as_os_str().is_empty() {
        String::new()
    } else {
        format!("{before}{}", dir.display())
    }
}

/// The crate's `Result`: [`Error`] unless another error type is named.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_names_the_directory_once_it_is_known() {
        let damaged = |dir: &str| Error::Damaged {
            dir: PathBuf::from(dir),
            what: "a file of it is truncated".into(),
        };
        let unknown = damaged("").to_string();
        assert!(unknown.starts_with("the index is damaged"), "{unknown}");
        assert!(unknown.contains("`pustaka index --rebuild`"), "{unknown}");
        let named = damaged("").at(Path::new("idx")).to_string();
        assert!(named.starts_with("the index at idx is damaged"), "{named}");
        assert!(
            named.contains("`pustaka index --index idx --rebuild`"),
            "{named}"
        );
    }
}
