//! Shared by the integration tests that work on an index of the seed corpus and on the CLI.
#![allow(dead_code)] // each test crate uses its own subset

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The fields of a search hit that scripts rely on, in the CLI's `--json` and in `/api/search`.
pub const HIT_KEYS: [&str; 13] = [
    "id",
    "score",
    "doc",
    "title",
    "chapter",
    "section",
    "section_title",
    "kind",
    "lang",
    "page",
    "lines",
    "text",
    "snippet",
];

pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The two files of corpus-large, where the repository's parent keeps them; `None` (and a note
/// saying why the test is skipped) on a clone without them.
pub fn corpus_large() -> Option<[PathBuf; 2]> {
    let dir = manifest_dir().join("../shared/corpus-large");
    let files = [
        dir.join("id_court_decisions.jsonl"),
        dir.join("en_plos_fulltext.jsonl"),
    ];
    if files.iter().all(|f| f.is_file()) {
        Some(files)
    } else {
        eprintln!(
            "skipping: ../shared/corpus-large not found (CI has it; a user's clone does not)"
        );
        None
    }
}

/// A copy of the seed corpus's files in `dest` (created), for tests that change the corpus.
pub fn copy_seed_corpus(dest: &Path) {
    fs::create_dir_all(dest).unwrap();
    for f in fs::read_dir(manifest_dir().join("corpus")).unwrap() {
        let f = f.unwrap().path();
        fs::copy(&f, dest.join(f.file_name().unwrap())).unwrap();
    }
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
