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
use std::sync::mpsc;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use super::schema::{Fields, SCHEMA_VERSION};
use super::{create_or_open, index_error, to_document};
use crate::error::{Error, Result};
use crate::ingest::{self, read};
use crate::model::{Passage, Skipped};

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

/// A file's documents with their passages, and the records it had to skip.
type FilePassages = (Vec<(crate::model::Document, Vec<Passage>)>, Vec<Skipped>);

/// One file, read and cut into passages by a worker.
struct Ingested {
    key: String,
    file: read::SourceFile,
    result: std::result::Result<FilePassages, Skipped>,
}

fn ingest_file(key: String, file: read::SourceFile) -> Ingested {
    let result = read::read_file(&file).map(|(docs, bad)| {
        let out = docs
            .into_iter()
            .map(|d| {
                let ps = ingest::passages_of(&d);
                (d, ps)
            })
            .collect();
        (out, bad)
    });
    Ingested { key, file, result }
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
        .writer_with_num_threads(threads, 64_000_000 * threads)
        .map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => Error::Locked {
                dir: dir.to_path_buf(),
            },
            e => index_error(dir, e),
        })?;
    let mut deletions = false;
    for key in old.files.keys().filter(|k| !seen.contains(*k)) {
        writer.delete_term(Term::from_field_text(fields.file, key));
        report.removed_files += 1;
        deletions = true;
    }
    let mut p = Progress {
        files_total: todo.len(),
        bytes_total: todo.iter().map(|(_, f)| f.len).sum(),
        ..Progress::default()
    };
    progress(&p);
    // Workers read and cut files into passages; this thread hands them to the writer, whose own
    // threads do the analysis. Files come back in any order; the manifest keys them.
    let queue = Mutex::new(todo.into_iter());
    let (tx, rx) = mpsc::sync_channel::<Ingested>(threads * 2);
    let mut doc_ids: HashSet<String> = manifest
        .files
        .values()
        .flat_map(|e| e.docs.iter().cloned())
        .collect();
    std::thread::scope(|s| -> Result<()> {
        for _ in 0..threads {
            let tx = tx.clone();
            let queue = &queue;
            s.spawn(move || loop {
                let next = queue.lock().map(|mut q| q.next()).ok().flatten();
                let Some((key, file)) = next else { break };
                if tx.send(ingest_file(key, file)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        for done in rx {
            p.files_done += 1;
            p.bytes_done += done.file.len;
            report.bytes_read += done.file.len;
            match done.result {
                Ok((docs, bad)) => {
                    report.skipped.extend(bad);
                    let mut hash = 0xcbf2_9ce4_8422_2325u64;
                    for (d, _) in &docs {
                        fnv(&mut hash, d.id.as_bytes());
                        fnv(&mut hash, d.text.as_bytes());
                    }
                    if let Some(e) = old.files.get(&done.key).filter(|e| e.hash == hash) {
                        // Touched but not changed.
                        let mut e = e.clone();
                        (e.len, e.mtime) = (done.file.len, done.file.mtime);
                        manifest.files.insert(done.key, e);
                        report.unchanged_files += 1;
                        progress(&p);
                        continue;
                    }
                    if old.files.contains_key(&done.key) {
                        writer.delete_term(Term::from_field_text(fields.file, &done.key));
                        deletions = true;
                        for d in &old.files[&done.key].docs {
                            doc_ids.remove(d);
                        }
                    }
                    let mut entry = FileEntry {
                        len: done.file.len,
                        mtime: done.file.mtime,
                        hash,
                        docs: Vec::new(),
                        passages: 0,
                        languages: BTreeMap::new(),
                    };
                    for (d, passages) in docs {
                        if !doc_ids.insert(d.id.clone()) {
                            report.skipped.push(Skipped {
                                path: d.path.clone(),
                                line: d.record_line,
                                reason: format!("document id {:?} is already taken by another file; rename one of them", d.id),
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
                            let doc: TantivyDocument =
                                to_document(fields, passage, &done.key, ord as u64 + 1);
                            writer.add_document(doc).map_err(|e| index_error(dir, e))?;
                        }
                        entry.passages += passages.len();
                        entry.docs.push(d.id);
                    }
                    report.indexed_files += 1;
                    manifest.files.insert(done.key, entry);
                }
                Err(skip) => {
                    // Unreadable now: keep what the index had from it.
                    if let Some(e) = old.files.get(&done.key) {
                        manifest.files.insert(done.key.clone(), e.clone());
                    }
                    report.skipped.push(skip);
                }
            }
            progress(&p);
        }
        Ok(())
    })?;
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
