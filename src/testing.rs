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
