//! Verify an index: every file of the live generation against its checksum, and the manifest
//! against what the segments hold.
//!
//! tantivy's own `Index::validate_checksum` skips files that are missing or that its
//! `.managed.json` forgot, which are exactly the damages seen in practice (a deleted or
//! truncated segment file), so the files are listed from the committed segments here and each
//! is read and checked. The same check runs before every `pustaka index`, so a damaged index is
//! rebuilt instead of being reported "unchanged".

use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::directory::footer::Footer;
use tantivy::directory::FileSlice;
use tantivy::index::SegmentComponent;
use tantivy::Index;

use super::store::{self, State};
use super::{manifest::Manifest, open_index};
use crate::error::Result;

/// What `pustaka verify` found.
#[derive(Debug, Serialize)]
pub struct VerifyReport {
    /// True when nothing is wrong.
    pub ok: bool,
    /// The live generation, when there is one.
    pub generation: Option<String>,
    /// Documents the manifest records; 0 when there is no live generation to read.
    pub documents: usize,
    /// Passages the manifest records, which the segments must hold as many of; 0 when there
    /// is no live generation to read.
    pub passages: usize,
    /// Segment files read and checked.
    pub files_checked: usize,
    /// What is wrong, one line each; empty when `ok`.
    pub problems: Vec<String>,
    /// What is worth knowing but harmless (leftovers the next `pustaka index` removes).
    pub notes: Vec<String>,
}

/// Check the index at `dir`. Reads only.
pub fn verify(dir: &Path) -> Result<VerifyReport> {
    let mut report = VerifyReport {
        ok: false,
        generation: None,
        documents: 0,
        passages: 0,
        files_checked: 0,
        problems: Vec::new(),
        notes: Vec::new(),
    };
    match store::state(dir) {
        State::Ready { generation, path } => {
            report.notes = leftovers(dir, &generation);
            report.generation = Some(generation);
            let checked = checked(&path);
            report.files_checked = checked.files;
            report.documents = checked.documents;
            report.passages = checked.passages;
            report.problems = checked.problems;
        }
        State::Absent => report.problems.push("there is no index here".into()),
        State::Building => report
            .problems
            .push("a first build is under way; no index is live yet".into()),
        State::Legacy => report
            .problems
            .push("it is in the layout of an older pustaka; rebuild it".into()),
        State::Broken(why) => report.problems.push(why),
        State::Foreign(_) => report
            .problems
            .push("this directory is not a pustaka index".into()),
    }
    report.ok = report.problems.is_empty();
    Ok(report)
}

/// An error naming what is wrong, unless the live generation passes every check.
///
/// `serve` runs it before it listens: a flipped bit in a stored document or a postings file
/// otherwise came back as a 200 with whatever the damaged bytes decode to (3 of 9 kinds of
/// damage in `tests/it/faults.rs`), for as long as the server ran.
pub fn ensure_sound(dir: &Path) -> Result<()> {
    let report = verify(dir)?;
    if report.ok {
        return Ok(());
    }
    Err(crate::error::Error::Damaged {
        dir: dir.to_path_buf(),
        what: report.problems.join("; "),
    })
}

/// What is wrong with the generation at `path`; empty when it is sound.
pub(crate) fn check_generation(path: &Path) -> Vec<String> {
    checked(path).problems
}

#[derive(Default)]
struct Checked {
    files: usize,
    documents: usize,
    passages: usize,
    problems: Vec<String>,
}

/// Corrupt files can make tantivy panic as easily as fail, so a panic is a finding too.
fn checked(path: &Path) -> Checked {
    std::panic::catch_unwind(|| check(path)).unwrap_or_else(|_| Checked {
        problems: vec!["reading it failed unexpectedly (a file is corrupted)".into()],
        ..Checked::default()
    })
}

fn check(path: &Path) -> Checked {
    let mut c = Checked::default();
    let index = match open_index(path) {
        Ok((index, _)) => index,
        Err(e) => {
            c.problems.push(cause(e));
            return c;
        }
    };
    for (file, problem) in segment_files(&index) {
        c.files += 1;
        if let Some(p) = problem.or_else(|| checksum_problem(&path.join(&file))) {
            c.problems.push(format!("{}: {p}", file.display()));
        }
    }
    let manifest = match Manifest::load(&index) {
        Ok(m) => m,
        Err(why) => {
            c.problems.push(why);
            return c;
        }
    };
    c.documents = manifest.files.values().map(|e| e.docs.len()).sum();
    c.passages = manifest.files.values().map(|e| e.passages).sum();
    if c.problems.is_empty() {
        c.problems.extend(count_problem(&index, c.passages));
    }
    c
}

/// Every file the committed segments need, each with a problem found without reading it.
fn segment_files(index: &Index) -> Vec<(PathBuf, Option<String>)> {
    let Ok(metas) = index.searchable_segment_metas() else {
        return vec![(PathBuf::from("meta.json"), Some("unreadable".into()))];
    };
    let mut files = Vec::new();
    for seg in metas {
        for component in [
            SegmentComponent::Postings,
            SegmentComponent::Positions,
            SegmentComponent::Terms,
            SegmentComponent::Store,
            SegmentComponent::FastFields,
            SegmentComponent::FieldNorms,
        ] {
            files.push((seg.relative_path(component), None));
        }
        if seg.has_deletes() {
            files.push((seg.relative_path(SegmentComponent::Delete), None));
        }
    }
    files
}

/// Whether the file's body still has the checksum its footer recorded when it was written.
fn checksum_problem(path: &Path) -> Option<String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some("missing".into()),
        Err(e) => return Some(format!("unreadable ({e})")),
    };
    let (footer, body) = match Footer::extract_footer(FileSlice::from(bytes)) {
        Ok(f) => f,
        Err(_) => return Some("truncated or overwritten (no valid footer)".into()),
    };
    let body = body.read_bytes().ok()?;
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(body.as_slice());
    (hasher.finalize() != footer.crc).then(|| "fails its checksum (corrupted)".into())
}

/// The manifest says how many passages were committed; the segments must hold as many.
fn count_problem(index: &Index, passages: usize) -> Option<String> {
    let reader = match index.reader() {
        Ok(r) => r,
        Err(e) => return Some(cause(super::index_error(Path::new(""), e))),
    };
    let n = reader.searcher().num_docs() as usize;
    (n != passages)
        .then(|| format!("its segments hold {n} passages where its manifest records {passages}"))
}

/// An opening error as a finding: the damage itself, without the advice around it.
fn cause(e: crate::Error) -> String {
    match e {
        crate::Error::Damaged { what, .. } => what,
        e => format!("it cannot be opened: {e}"),
    }
}

/// Generations other than the live one: a run that died or a rebuild that was replaced.
fn leftovers(dir: &Path, live: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("gen-") && n != live)
                .map(|n| {
                    format!(
                        "{n} is left from an interrupted run; the next `pustaka index` removes it"
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}
