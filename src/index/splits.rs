//! Splits: complete pustaka indexes built apart (one per partition of a Spark job, see
//! `contrib/spark/`) and read as one index, listed by a metastore.
//!
//! Why read them as one tantivy index instead of searching each and merging: every figure a
//! ranking reads is then the corpus's, not a split's. tantivy's searcher sums document
//! frequencies and field lengths over all the segments it reads (the global BM25 statistics a
//! [`tantivy::query::Bm25StatisticsProvider`] would have to gather from leaves), and so do
//! pustaka's own corpus-wide figures: a formula's passage count, the typo lexicon, a
//! document's passages for `--per-doc`, the fingerprints `dupes` pairs. A query over N splits
//! therefore ranks exactly as over one index built from the same documents, with no second
//! implementation of any of those to keep in step. [`SplitsDirectory`] makes that possible
//! without copying a byte: it serves each split's segment files from where they lie, and a
//! `meta.json` listing all their segments, written in memory.
//!
//! The metastore is a JSON file beside the splits ([`Metastore`]): what each split holds and a
//! checksum of its files, so a split rebuilt or damaged since the metastore was written is
//! named rather than silently read. Splits never change once listed (the reader never
//! reloads); a new split means a new metastore.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::footer::Footer;
use tantivy::directory::WritePtr;
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle,
};
use tantivy::HasLen;
use tantivy::Index;

use super::manifest::{Manifest, Table};
use super::{schema, store};
use crate::error::{Error, Result};
use crate::text::hash::Fnv;

/// The metastore format written by this version; another is refused, not guessed at.
pub const METASTORE_VERSION: u32 = 1;

/// The list of splits read as one index (`pustaka metastore` writes it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Metastore {
    /// [`METASTORE_VERSION`].
    pub version: u32,
    /// The schema (and analyzers) version every split was built with: splits of two
    /// versions would tokenize the same word two ways.
    pub schema_version: u32,
    /// Documents in all the splits.
    pub documents: usize,
    /// Passages in all the splits.
    pub passages: usize,
    /// The splits, in the order given.
    pub splits: Vec<Split>,
}

/// One split: a complete pustaka index directory.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Split {
    /// Its name: the directory's last component (`split-00003`), unique in a metastore.
    pub id: String,
    /// The index directory, relative to the metastore's directory when it lies under it (so
    /// the splits and their metastore move together), else absolute.
    pub path: String,
    /// Documents it holds.
    pub documents: usize,
    /// Passages it holds.
    pub passages: usize,
    /// The schema version it was built with.
    pub schema_version: u32,
    /// The pustaka that built it (`CARGO_PKG_VERSION`), for a reader to see.
    pub built_by: String,
    /// A hash over its live generation's `meta.json` and every file's name, length and the
    /// checksum tantivy wrote in its footer: changes whenever a file does, and costs a few
    /// reads per file (`pustaka verify` checks the bodies themselves).
    pub checksum: String,
}

/// Write the metastore at `path` listing the index directories `dirs`, and beside it the
/// formulaic flags of the splits read as one ([`super::formulaic::beside_metastore`]). Refuses
/// to replace a file that is not a metastore (or flags) file (pustaka writes only its own
/// files), and writes beside and renames, so a reader sees the old list or the new one.
pub fn write_metastore(path: &Path, dirs: &[PathBuf]) -> Result<Metastore> {
    if dirs.is_empty() {
        return Err(Error::Invalid(
            "give the index directories of the splits to list".into(),
        ));
    }
    if path.exists() && read_metastore(path).is_err() {
        return Err(Error::Invalid(format!(
            "{} exists and is not a pustaka metastore; not replacing it",
            path.display()
        )));
    }
    let flags = super::formulaic::beside_metastore(path);
    super::formulaic::replaceable(&flags)?;
    let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let splits = dirs
        .iter()
        .map(|d| describe(d, &base))
        .collect::<Result<Vec<_>>>()?;
    let meta = Metastore {
        version: METASTORE_VERSION,
        schema_version: schema::SCHEMA_VERSION,
        documents: splits.iter().map(|s| s.documents).sum(),
        passages: splits.iter().map(|s| s.passages).sum(),
        splits,
    };
    let ids: std::collections::BTreeSet<&str> = meta.splits.iter().map(|s| s.id.as_str()).collect();
    if ids.len() != meta.splits.len() {
        return Err(Error::Invalid(
            "two splits have the same directory name; split ids must be unique".into(),
        ));
    }
    let body = serde_json::to_string_pretty(&meta).expect("a metastore serializes") + "\n";
    store::replace_file_beside(path, body.as_bytes())?;
    let engine = super::Engine::open_splits(path)?;
    super::formulaic::write_for_splits(&flags, &engine.searcher(), engine.fields.fp)?;
    Ok(meta)
}

/// Read the metastore at `path`.
pub fn read_metastore(path: &Path) -> Result<Metastore> {
    let bad = |what: String| Error::Metastore {
        path: path.to_path_buf(),
        what,
    };
    let text = std::fs::read_to_string(path).map_err(|e| bad(format!("unreadable ({e})")))?;
    let meta: Metastore =
        serde_json::from_str(&text).map_err(|e| bad(format!("not a metastore ({e})")))?;
    if meta.version != METASTORE_VERSION {
        return Err(bad(format!("metastore format {}", meta.version)));
    }
    Ok(meta)
}

/// A split as the metastore lists it: its counts from its manifest, its checksum.
fn describe(dir: &Path, base: &Path) -> Result<Split> {
    let generation = super::live_generation(dir, store::state(dir))?;
    let manifest = manifest_of(&generation).map_err(|e| e.at(dir))?;
    let abs = std::fs::canonicalize(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let base = std::fs::canonicalize(base).unwrap_or_else(|_| base.to_path_buf());
    let path = abs.strip_prefix(&base).unwrap_or(&abs);
    Ok(Split {
        id: abs
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: path.to_string_lossy().into_owned(),
        documents: manifest.files.values().map(|e| e.docs.len()).sum(),
        passages: manifest.files.values().map(|e| e.passages).sum(),
        schema_version: manifest.version,
        built_by: env!("CARGO_PKG_VERSION").into(),
        checksum: checksum(&generation)?,
    })
}

/// The manifest of the generation at `path`, which must be of this schema version.
fn manifest_of(path: &Path) -> Result<Manifest> {
    let (index, _) = super::open_index(path)?;
    match Manifest::load(&index) {
        Ok(m) if m.version == schema::SCHEMA_VERSION => Ok(m),
        Ok(m) => Err(Error::Version {
            dir: path.to_path_buf(),
            found: format!("schema {}", m.version),
        }),
        Err(what) => Err(Error::Damaged {
            dir: path.to_path_buf(),
            what,
        }),
    }
}

/// [`Split::checksum`] of the generation at `path`. Segment files are mapped, not read: the
/// footer is a few bytes at the end, and `--splits` computes this for every split it opens.
fn checksum(path: &Path) -> Result<String> {
    let io_err = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = MmapDirectory::open(path).map_err(|e| super::index_error(path, e.into()))?;
    let mut h = Fnv::default();
    for name in generation_files(path)? {
        h.write(name.as_bytes());
        if name == "meta.json" {
            let bytes = std::fs::read(path.join(&name)).map_err(io_err)?;
            h.write(&(bytes.len() as u64).to_le_bytes());
            h.write(&bytes);
            continue;
        }
        let file = dir
            .open_read(Path::new(&name))
            .map_err(|e| super::index_error(path, e.into()))?;
        h.write(&(file.len() as u64).to_le_bytes());
        if let Ok((footer, _)) = Footer::extract_footer(file) {
            h.write(&footer.crc.to_le_bytes());
        }
    }
    Ok(format!("{:016x}", h.finish()))
}

/// The files of a generation directory tantivy reads, sorted: `meta.json` and the segment
/// files (not tantivy's `.managed.json` nor lock files, which a reader does not need, nor the
/// split's own formulaic flags, which hold for it alone: [`super::formulaic`]).
fn generation_files(path: &Path) -> Result<Vec<String>> {
    let rd = std::fs::read_dir(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut names: Vec<String> = rd
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n == "meta.json" || super::store::is_segment_file(n))
        .collect();
    names.sort();
    Ok(names)
}

/// A split as `pustaka verify --splits` checks it.
#[derive(Debug, Serialize)]
pub struct SplitReport {
    /// [`Split::id`].
    pub id: String,
    /// The index directory.
    pub path: PathBuf,
    /// What `pustaka verify` finds in it, and whether it is still the split that was listed.
    #[serde(flatten)]
    pub report: super::VerifyReport,
}

/// Check every split the metastore at `metastore` lists as `pustaka verify` checks an index
/// (each file's body against its checksum), and against the checksum the metastore recorded.
pub fn verify(metastore: &Path) -> Result<Vec<SplitReport>> {
    let meta = read_metastore(metastore)?;
    let base = metastore.parent().unwrap_or(Path::new(""));
    let mut out = Vec::with_capacity(meta.splits.len());
    for split in meta.splits {
        let path = base.join(&split.path);
        let mut report = super::verify(&path)?;
        if let Some(g) = report.generation.as_ref().filter(|_| report.ok) {
            if checksum(&path.join(g))? != split.checksum {
                report.problems.push(
                    "it changed since the metastore was written; list the splits again with \
                     `pustaka metastore`"
                        .into(),
                );
                report.ok = false;
            }
        }
        out.push(SplitReport {
            id: split.id,
            path,
            report,
        });
    }
    Ok(out)
}

/// The splits of a metastore opened for reading: the one tantivy [`Index`] over them all,
/// and the generation directories it reads (for sizes).
pub(crate) struct Opened {
    pub index: Index,
    pub generations: Vec<PathBuf>,
}

/// Open the splits listed at `metastore` as one index. Every split must be there, of this
/// schema version, and unchanged since the metastore was written.
pub(crate) fn open(metastore: &Path) -> Result<Opened> {
    let meta = read_metastore(metastore)?;
    let bad = |what: String| Error::Metastore {
        path: metastore.to_path_buf(),
        what,
    };
    if meta.schema_version != schema::SCHEMA_VERSION {
        return Err(bad(format!(
            "its splits are of schema {}, this pustaka reads {}; rebuild them",
            meta.schema_version,
            schema::SCHEMA_VERSION
        )));
    }
    if meta.splits.is_empty() {
        return Err(bad("it lists no split".into()));
    }
    let base = metastore.parent().unwrap_or(Path::new(""));
    let mut parts = Vec::with_capacity(meta.splits.len());
    for split in &meta.splits {
        let dir = base.join(&split.path);
        let generation = super::live_generation(&dir, store::state(&dir))
            .map_err(|e| bad(format!("split {}: {e}", split.id)))?;
        if checksum(&generation)? != split.checksum {
            return Err(bad(format!(
                "split {} at {} changed since the metastore was written; list the splits again \
                 with `pustaka metastore`",
                split.id,
                dir.display()
            )));
        }
        parts.push(generation);
    }
    let dir = SplitsDirectory::new(&parts).map_err(bad)?;
    let index = Index::open(dir).map_err(|e| super::index_error(metastore, e))?;
    Ok(Opened {
        index,
        generations: parts,
    })
}

/// A read-only tantivy [`Directory`] over the generation directories of several splits: each
/// segment file is read from the split that holds it (segment ids are random UUIDs, unique
/// across splits), and `meta.json` is the union of the splits' commits, made in memory, as is
/// the table of files its manifest names.
#[derive(Clone)]
pub(crate) struct SplitsDirectory {
    /// The union `meta.json`.
    meta: Arc<Vec<u8>>,
    /// The union manifest's table of files: its name and bytes.
    table: Arc<(PathBuf, Vec<u8>)>,
    /// Which split (index in `dirs`) holds each file.
    files: Arc<HashMap<PathBuf, usize>>,
    dirs: Arc<Vec<MmapDirectory>>,
}

impl fmt::Debug for SplitsDirectory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SplitsDirectory({} splits)", self.dirs.len())
    }
}

impl SplitsDirectory {
    fn new(generations: &[PathBuf]) -> std::result::Result<SplitsDirectory, String> {
        let mut files = HashMap::new();
        let mut dirs = Vec::new();
        let mut metas = Vec::new();
        for (i, g) in generations.iter().enumerate() {
            let dir = MmapDirectory::open(g).map_err(|e| format!("{}: {e}", g.display()))?;
            let names = generation_files(g).map_err(|e| e.to_string())?;
            for name in names.into_iter().filter(|n| n != "meta.json") {
                if files.insert(PathBuf::from(&name), i).is_some() {
                    return Err(format!(
                        "the file {name} is in two splits: a split listed twice"
                    ));
                }
            }
            let meta = std::fs::read(g.join("meta.json"))
                .map_err(|e| format!("{}: {e}", g.join("meta.json").display()))?;
            let meta = serde_json::from_slice(&meta)
                .map_err(|e| format!("{}: {e}", g.join("meta.json").display()))?;
            metas.push((meta, g.as_path()));
            dirs.push(dir);
        }
        let (meta, table) = union_meta(metas)?;
        Ok(SplitsDirectory {
            meta: Arc::new(meta),
            table: Arc::new((PathBuf::from(table.name), table.bytes)),
            files: Arc::new(files),
            dirs: Arc::new(dirs),
        })
    }

    fn holder(&self, path: &Path) -> Option<&MmapDirectory> {
        self.files.get(path).map(|&i| &self.dirs[i])
    }
}

/// One `meta.json` for the commits of all splits: their segments together, the largest
/// opstamp, and one manifest whose files are the splits' (keyed by split, since two
/// partitions may have read files of the same temporary path), with its table of files.
/// Each split's meta.json comes with its generation directory, where its table is.
fn union_meta(
    metas: Vec<(serde_json::Value, &Path)>,
) -> std::result::Result<(Vec<u8>, Table), String> {
    let mut segments = Vec::new();
    let mut opstamp = 0u64;
    let mut manifest = Manifest {
        version: schema::SCHEMA_VERSION,
        embedded: true,
        ..Manifest::default()
    };
    let mut first = None;
    for (i, (mut m, generation)) in metas.into_iter().enumerate() {
        let payload = m["payload"]
            .as_str()
            .ok_or("a split's manifest is missing")?;
        let payload = Manifest::from_payload(payload, |name| std::fs::read(generation.join(name)))
            .map_err(|e| format!("{}: {e}", generation.display()))?;
        manifest.embedded &= payload.embedded;
        manifest.roots.extend(payload.roots);
        for (key, entry) in payload.files {
            manifest.files.insert(format!("split{i}:{key}"), entry);
        }
        if let Some(s) = m["segments"].as_array_mut() {
            segments.append(s);
        }
        opstamp = opstamp.max(m["opstamp"].as_u64().unwrap_or(0));
        first.get_or_insert(m);
    }
    let mut meta = first.ok_or("no split")?;
    meta["segments"] = serde_json::Value::Array(segments);
    meta["opstamp"] = opstamp.into();
    let (payload, table) = manifest.committed_form();
    meta["payload"] = payload.into();
    Ok((
        serde_json::to_vec(&meta).expect("meta.json serializes"),
        table,
    ))
}

/// The error a write into a split meets: splits are read-only once listed.
fn read_only(path: &Path) -> Arc<io::Error> {
    Arc::new(io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("splits are read-only ({})", path.display()),
    ))
}

impl Directory for SplitsDirectory {
    fn get_file_handle(
        &self,
        path: &Path,
    ) -> std::result::Result<Arc<dyn FileHandle>, OpenReadError> {
        match self.holder(path) {
            Some(d) => d.get_file_handle(path),
            None => Err(OpenReadError::FileDoesNotExist(path.to_path_buf())),
        }
    }

    fn delete(&self, path: &Path) -> std::result::Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: read_only(path),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> std::result::Result<bool, OpenReadError> {
        Ok(path == Path::new("meta.json") || path == self.table.0 || self.files.contains_key(path))
    }

    fn open_write(&self, path: &Path) -> std::result::Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: read_only(path),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> std::result::Result<Vec<u8>, OpenReadError> {
        if path == Path::new("meta.json") {
            return Ok(self.meta.as_ref().clone());
        }
        if path == self.table.0 {
            return Ok(self.table.1.clone());
        }
        match self.holder(path) {
            Some(d) => d.atomic_read(path),
            None => Err(OpenReadError::FileDoesNotExist(path.to_path_buf())),
        }
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("splits are read-only ({})", path.display()),
        ))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    /// No lock is needed, nor could one be written: nothing writes to splits once listed.
    fn acquire_lock(&self, _lock: &Lock) -> std::result::Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}
