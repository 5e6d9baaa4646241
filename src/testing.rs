//! Helpers for the unit tests of every module.

use std::path::PathBuf;

/// An empty directory of this process's own under the system's temporary directory, named
/// after `name` (emptied first, when a run before left it).
pub(crate) fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pustaka-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The seed corpus (`corpus/`: theses in Indonesian that quote English, and English papers)
/// indexed into a scratch directory named after `name`, and the engine reading it; the caller
/// removes the directory when done.
pub(crate) fn seed_engine(name: &str) -> (crate::index::Engine, PathBuf) {
    let dir = scratch(name);
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    crate::index::build(&dir, &[corpus], &mut |_| {}).unwrap();
    (crate::index::Engine::open(&dir).unwrap(), dir)
}
