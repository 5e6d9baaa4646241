//! Build and update an index: incremental, atomic, never lost to one bad file.
//!
//! What was indexed from which file (size, modification time, a hash of the decoded text) is
//! kept in the payload of each tantivy commit, so the manifest and the index can never disagree.
//! A re-run re-reads only files whose size or time changed, re-indexes only those whose text
//! changed, and drops files that are gone. Nothing is visible to readers until the commit, so a
//! crash or a bad file mid-run leaves the previous index searchable. A file that cannot be read
//! any more keeps its previous passages: nothing is lost to a transient error.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use super::schema::{Fields, SCHEMA_VERSION};
use super::{create_or_open, index_error, to_document};
use crate::error::{Error, Result};
use crate::ingest::{self, read};
use crate::model::{Document, Passage, Skipped};

/// What the commit payload records.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Manifest {
    pub version: u32,
    /// Keyed by the file's canonical path.
    pub files: BTreeMap<String, FileEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct FileEntry {
    pub len: u64,
    pub mtime: u64,
    pub hash: u64,
    pub docs: Vec<String>,
    pub passages: usize,
    pub languages: BTreeMap<String, usize>,
}

impl Manifest {
    pub(crate) fn of(index: &Index) -> Manifest {
        index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .and_then(|p| serde_json::from_str(&p).ok())
            .unwrap_or_default()
    }

    /// Passages per language over all indexed files, as committed (deleted passages excluded).
    pub(crate) fn languages(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for e in self.files.values() {
            for (l, n) in &e.languages {
                *out.entry(l.clone()).or_default() += n;
            }
        }
        out
    }
}

/// How far a build has come, for a progress bar.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub files_done: usize,
    pub files_total: usize,
    pub bytes_done: u64,
    pub bytes_total: u64,
}

/// What a build did.
#[derive(Debug, Default, Serialize)]
pub struct BuildReport {
    /// Documents and passages in the index after the build.
    pub documents: usize,
    pub passages: usize,
    pub languages: BTreeMap<String, usize>,
    /// Files read and (re)indexed in this run.
    pub indexed_files: usize,
    /// Files whose size and time (or text) had not changed.
    pub unchanged_files: usize,
    /// Files in the index that are gone from the given paths, and were dropped.
    pub removed_files: usize,
    /// Bytes of source read in this run.
    pub bytes_read: u64,
    pub skipped: Vec<Skipped>,
    pub no_text: Vec<Skipped>,
    /// True when the index was made from scratch (new, or an older schema).
    pub rebuilt: bool,
}

/// FNV-1a: a stable hash (std's hasher may change between releases).
fn fnv(hash: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *hash ^= u64::from(b);
        *hash = hash.wrapping_mul(0x100_0000_01b3);
    }
}

fn file_key(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// Passages of one document; a bug that panics on it costs that document, not the run.
fn cut(d: &Document) -> Option<Vec<Passage>> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ingest::passages_of(d))).ok()
}

/// Cut documents into passages on `threads` threads, keeping their order.
fn cut_in_parallel(docs: &[Document], threads: usize) -> Vec<Option<Vec<Passage>>> {
    if threads <= 1 || docs.len() <= 1 {
        return docs.iter().map(cut).collect();
    }
    let next = AtomicUsize::new(0);
    let mut out: Vec<Option<Vec<Passage>>> = vec![None; docs.len()];
    let done: Vec<Vec<(usize, Option<Vec<Passage>>)>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads.min(docs.len()))
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(d) = docs.get(i) else { break };
                        mine.push((i, cut(d)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_default())
            .collect()
    });
    for (i, ps) in done.into_iter().flatten() {
        out[i] = ps;
    }
    out
}

/// Build or update the index at `dir` from `paths`.
pub fn build(
    dir: &Path,
    paths: &[PathBuf],
    progress: &mut dyn FnMut(&Progress),
) -> Result<BuildReport> {
    let (index, fields, fresh) = create_or_open(dir)?;
    let old = Manifest::of(&index);
    if !fresh && old.version != SCHEMA_VERSION {
        return rebuild(dir, paths, progress);
    }
    let mut report = BuildReport {
        rebuilt: fresh,
        ..BuildReport::default()
    };
    update(&index, &fields, dir, old, paths, progress, &mut report)?;
    Ok(report)
}

/// Build a fresh index beside `dir` and swap it in only when it is complete.
pub fn rebuild(
    dir: &Path,
    paths: &[PathBuf],
    progress: &mut dyn FnMut(&Progress),
) -> Result<BuildReport> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".into());
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fresh_dir = parent.join(format!(".{name}.new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&fresh_dir);
    let io = |e, p: &Path| Error::Io {
        path: p.to_path_buf(),
        source: e,
    };
    std::fs::create_dir_all(&fresh_dir).map_err(|e| io(e, &fresh_dir))?;
    let (index, fields, _) = create_or_open(&fresh_dir)?;
    let mut report = BuildReport {
        rebuilt: true,
        ..BuildReport::default()
    };
    let built = update(
        &index,
        &fields,
        &fresh_dir,
        Manifest::default(),
        paths,
        progress,
        &mut report,
    );
    drop(index);
    if let Err(e) = built {
        let _ = std::fs::remove_dir_all(&fresh_dir);
        return Err(e);
    }
    // Keep files that are not ours (the README in the bundled `index/`).
    let old_dir = parent.join(format!(".{name}.old-{}", std::process::id()));
    if dir.exists() {
        std::fs::rename(dir, &old_dir).map_err(|e| io(e, dir))?;
    }
    std::fs::rename(&fresh_dir, dir).map_err(|e| io(e, dir))?;
    if old_dir.exists() {
        for keep in ["README.md", ".gitkeep"] {
            let _ = std::fs::rename(old_dir.join(keep), dir.join(keep));
        }
        let _ = std::fs::remove_dir_all(&old_dir);
    }
    Ok(report)
}

#[allow(clippy::too_many_arguments)]
fn update(
    index: &Index,
    fields: &Fields,
    dir: &Path,
    old: Manifest,
    paths: &[PathBuf],
    progress: &mut dyn FnMut(&Progress),
    report: &mut BuildReport,
) -> Result<()> {
    let (files, skipped) = read::discover(paths);
    report.skipped = skipped;
    let mut manifest = Manifest {
        version: SCHEMA_VERSION,
        files: BTreeMap::new(),
    };
    let mut todo = Vec::new();
    let mut seen = HashSet::new();
    for f in files {
        let key = file_key(&f.path);
        if !seen.insert(key.clone()) {
            continue;
        }
        match old.files.get(&key) {
            Some(e) if e.len == f.len && e.mtime == f.mtime && f.mtime != 0 => {
                manifest.files.insert(key, e.clone());
                report.unchanged_files += 1;
            }
            _ => todo.push((key, f)),
        }
    }
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8);
    let mut writer: IndexWriter = index
        .writer_with_num_threads(threads, 50_000_000 * threads)
        .map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => Error::Locked {
                dir: dir.to_path_buf(),
            },
            e => index_error(dir, e),
        })?;
    for key in old.files.keys().filter(|k| !seen.contains(*k)) {
        writer.delete_term(Term::from_field_text(fields.file, key));
        report.removed_files += 1;
    }
    let mut p = Progress {
        files_total: todo.len(),
        bytes_total: todo.iter().map(|(_, f)| f.len).sum(),
        ..Progress::default()
    };
    progress(&p);
    // Files are read one after another; their documents are cut into passages by `threads`
    // workers a batch at a time, and each batch goes to the writer (whose own threads do the
    // analysis) in document order, so the same corpus always makes the same index.
    let mut doc_ids: HashSet<String> = manifest
        .files
        .values()
        .flat_map(|e| e.docs.iter().cloned())
        .collect();
    for (key, file) in todo {
        p.files_done += 1;
        p.bytes_done += file.len;
        report.bytes_read += file.len;
        let (docs, bad) = match read::read_file(&file) {
            Ok(read) => read,
            Err(skip) => {
                // Unreadable now: keep what the index had from it.
                if let Some(e) = old.files.get(&key) {
                    manifest.files.insert(key.clone(), e.clone());
                }
                report.skipped.push(skip);
                progress(&p);
                continue;
            }
        };
        report.skipped.extend(bad);
        let mut hash = 0xcbf2_9ce4_8422_2325u64;
        for d in &docs {
            fnv(&mut hash, d.id.as_bytes());
            fnv(&mut hash, d.text.as_bytes());
        }
        if let Some(e) = old.files.get(&key).filter(|e| e.hash == hash) {
            // Touched but not changed.
            let mut e = e.clone();
            (e.len, e.mtime) = (file.len, file.mtime);
            manifest.files.insert(key, e);
            report.unchanged_files += 1;
            progress(&p);
            continue;
        }
        if let Some(e) = old.files.get(&key) {
            writer.delete_term(Term::from_field_text(fields.file, &key));
            for d in &e.docs {
                doc_ids.remove(d);
            }
        }
        let mut entry = FileEntry {
            len: file.len,
            mtime: file.mtime,
            hash,
            docs: Vec::new(),
            passages: 0,
            languages: BTreeMap::new(),
        };
        for batch in docs.chunks(threads * 4) {
            for (d, passages) in batch.iter().zip(cut_in_parallel(batch, threads)) {
                let Some(passages) = passages else {
                    report.skipped.push(Skipped {
                        path: d.path.clone(),
                        line: d.record_line,
                        reason: format!(
                            "document {:?} could not be cut into passages (an internal error; please report it with this document)",
                            d.id
                        ),
                    });
                    continue;
                };
                if !doc_ids.insert(d.id.clone()) {
                    report.skipped.push(Skipped {
                        path: d.path.clone(),
                        line: d.record_line,
                        reason: format!(
                            "document id {:?} is already taken by another file; rename one of them",
                            d.id
                        ),
                    });
                    continue;
                }
                if passages.is_empty() {
                    report.no_text.push(Skipped {
                        path: d.path.clone(),
                        line: d.record_line,
                        reason: format!(
                            "document {:?} has no text beyond page headers, footers and watermarks (a scanned PDF without a text layer?)",
                            d.id
                        ),
                    });
                }
                for (ord, passage) in passages.iter().enumerate() {
                    *entry.languages.entry(passage.lang.clone()).or_default() += 1;
                    let doc: TantivyDocument = to_document(fields, passage, &key, ord as u64 + 1);
                    writer.add_document(doc).map_err(|e| index_error(dir, e))?;
                }
                entry.passages += passages.len();
                entry.docs.push(d.id.clone());
            }
        }
        report.indexed_files += 1;
        manifest.files.insert(key, entry);
        progress(&p);
    }
    let payload = serde_json::to_string(&manifest).map_err(|e| Error::Invalid(e.to_string()))?;
    let mut prepared = writer.prepare_commit().map_err(|e| index_error(dir, e))?;
    prepared.set_payload(&payload);
    prepared.commit().map_err(|e| index_error(dir, e))?;
    writer
        .wait_merging_threads()
        .map_err(|e| index_error(dir, e))?;
    for e in manifest.files.values() {
        report.documents += e.docs.len();
        report.passages += e.passages;
        for (l, n) in &e.languages {
            *report.languages.entry(l.clone()).or_default() += n;
        }
    }
    Ok(())
}
