//! Shared by the integration tests that work on an index of the seed corpus and on the CLI.
#![allow(dead_code)] // each test crate uses its own subset

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh index of `corpus/` in the test's scratch directory `name`.
pub fn seed_index(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    pustaka::index::build(&dir, &[manifest_dir().join("corpus")], &mut |_| {}).unwrap();
    dir
}

/// Run the `pustaka` binary on `index` with `args`, feeding `stdin`; stdout, stderr, success.
pub fn run_cli(index: &Path, args: &[&str], stdin: Option<&[u8]>) -> (String, String, bool) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pustaka"))
        .arg("--index")
        .arg(index)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    )
}
