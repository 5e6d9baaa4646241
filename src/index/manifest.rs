//! The manifest: what was indexed from which file, committed with the segments it describes.
//!
//! The commit payload (a string inside tantivy's `meta.json`) holds the manifest's small part:
//! the schema version, the roots, whether passages carry embeddings, and the name of the
//! generation's file that holds the table of files ([`TABLE_PREFIX`]`<hash>.json`). The table
//! grows with the library (about 240 bytes per file, escaped once more inside `meta.json`),
//! and every command that opens the index parsed `meta.json` three times (tantivy twice, then
//! pustaka's header): on a library of 1,465 files that was a third of a one-shot search's CPU
//! (issue 18). Out of the payload, opening costs the same for ten files or ten thousand; only
//! the commands that need the table (an update, `stats`, `docs`, `verify`) read it.
//!
//! The table is written before the commit that names it, under a name made of its content's
//! hash, so a payload always names the very table it was committed with, and a reader can tell
//! a damaged one. A build keeps the table of the commit before its own (a reader that read the
//! old `meta.json` a moment ago may still want it) and removes older ones, which it wrote.
//! Payloads of indexes made before this kept the table inline, and are still read.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::directory::error::OpenReadError;
use tantivy::directory::Directory as _;
use tantivy::Index;

use crate::text::hash::fnv;

/// How a files table's name begins; then 16 hex digits of its hash and `.json`.
const TABLE_PREFIX: &str = "files-";

/// The manifest of a commit, with its table of files read.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Manifest {
    pub version: u32,
    /// Keyed by the file's canonical path. In the payload only in indexes made before the
    /// table had a file of its own.
    #[serde(default)]
    pub files: BTreeMap<String, FileEntry>,
    /// The canonical paths the index was built from: a run re-scans these (or the ones it is
    /// given) and removes only files under a root it re-scanned.
    #[serde(default)]
    pub roots: Vec<String>,
    /// Every passage carries its sentence embedding (`index --embed`): later runs embed the
    /// passages they add too.
    #[serde(default)]
    pub embedded: bool,
    /// The file of the generation the table was read from; `None` for a manifest not
    /// committed yet, or an older one with the table inline.
    #[serde(default)]
    pub files_table: Option<String>,
}

/// The payload as a commit writes it: the manifest without its table, which it names.
#[derive(Serialize)]
struct Payload<'a> {
    version: u32,
    roots: &'a [String],
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    embedded: bool,
    files_table: &'a str,
}

/// The part of the manifest that opening an index reads: its schema version, and whether its
/// passages carry embeddings. Read from meta.json without tantivy's schema (which opening the
/// index has parsed already), so opening reads nothing else of ours.
#[derive(Debug, Deserialize)]
pub(crate) struct Header {
    pub version: u32,
    #[serde(default)]
    pub embedded: bool,
    /// The roots, which a build falls back on when the table of files is lost.
    #[serde(default)]
    pub roots: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct FileEntry {
    pub len: u64,
    pub mtime: u64,
    pub hash: u64,
    pub docs: Vec<String>,
    pub passages: usize,
    pub languages: BTreeMap<String, usize>,
    /// Scanned pages of the file left unread (read without `--ocr`, or OCR failed on them): a
    /// run with `--ocr` reads the file again even when it has not changed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unread_scans: bool,
}

/// A table of files as a commit stores it: its file name and bytes.
pub(crate) struct Table {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Manifest {
    /// The payload to commit this manifest with, and the table of files it names (to be
    /// written into the generation first).
    pub(crate) fn committed_form(&self) -> (String, Table) {
        let bytes = serde_json::to_vec(&self.files).expect("a table of files serializes");
        let name = table_name(&bytes);
        let payload = serde_json::to_string(&Payload {
            version: self.version,
            roots: &self.roots,
            embedded: self.embedded,
            files_table: &name,
        })
        .expect("a manifest serializes");
        (payload, Table { name, bytes })
    }

    /// The manifest a commit's `payload` holds, its table read by `read_file` (a file of the
    /// generation by name); what is wrong, in words, when it cannot be read.
    pub(crate) fn from_payload(
        payload: &str,
        read_file: impl FnOnce(&str) -> std::io::Result<Vec<u8>>,
    ) -> Result<Manifest, String> {
        let mut m: Manifest = serde_json::from_str(payload)
            .map_err(|_| "its manifest (the commit payload) is unreadable".to_string())?;
        let Some(name) = &m.files_table else {
            return Ok(m);
        };
        if !is_table(name) {
            return Err(format!("its manifest names no table of files ({name:?})"));
        }
        let bytes = read_file(name).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!("its table of files {name} is missing"),
            _ => format!("its table of files {name} is unreadable ({e})"),
        })?;
        if table_name(&bytes) != *name {
            return Err(format!("its table of files {name} is damaged"));
        }
        m.files = serde_json::from_slice(&bytes)
            .map_err(|_| format!("its table of files {name} is damaged"))?;
        Ok(m)
    }

    /// The manifest of the last commit of `index`, or what is wrong with it.
    pub(crate) fn load(index: &Index) -> Result<Manifest, String> {
        Manifest::of_commit(index, last_payload(index)?)
    }

    /// The manifest in the payload of a commit of `index` (as its `meta.json` was read), its
    /// table read from the index's directory.
    pub(crate) fn of_commit(index: &Index, payload: Option<String>) -> Result<Manifest, String> {
        let payload = payload.ok_or("its manifest (the commit payload) is missing")?;
        Manifest::from_payload(&payload, |name| {
            index
                .directory()
                .atomic_read(Path::new(name))
                .map_err(|e| match e {
                    OpenReadError::FileDoesNotExist(_) => std::io::ErrorKind::NotFound.into(),
                    e => std::io::Error::other(e),
                })
        })
    }

    /// The manifest of the last commit, or `None` when it is missing or unreadable.
    pub(crate) fn read(index: &Index) -> Option<Manifest> {
        Manifest::load(index).ok()
    }

    /// What opening the index needs of the manifest of the last commit ([`Header`]), or `None`
    /// when it is missing or unreadable.
    pub(crate) fn header(index: &Index) -> Option<Header> {
        /// tantivy's meta.json, of which only our payload is read.
        #[derive(Deserialize)]
        struct Meta {
            payload: Option<String>,
        }
        let bytes = index.directory().atomic_read(Path::new("meta.json")).ok()?;
        let meta: Meta = serde_json::from_slice(&bytes).ok()?;
        serde_json::from_str(&meta.payload?).ok()
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

/// The last manifest an engine read, kept by its table's name: a server answering `docs`,
/// `refs` or a document's file reads the table once per commit, not once per request (megabytes
/// for a library of ten thousand files). The name is the table's hash, so what is kept is never
/// stale; a payload with its table inline (an older index) is read every time.
#[derive(Debug, Default)]
pub(crate) struct Kept(Mutex<Option<(String, Arc<Manifest>)>>);

impl Kept {
    /// The manifest of the last commit of `index` ([`Manifest::load`]), from what is kept when
    /// its table is the one kept. Tried twice: a build keeps only the table of the commit
    /// before its own, so a reader that read `meta.json` just before two commits landed finds
    /// its table gone, and reads the newest commit instead.
    pub(crate) fn load(&self, index: &Index) -> Result<Arc<Manifest>, String> {
        let once = || self.of_commit(index, last_payload(index)?);
        once().or_else(|_| once())
    }

    /// [`Manifest::of_commit`], from what is kept when the payload names the table kept.
    pub(crate) fn of_commit(
        &self,
        index: &Index,
        payload: Option<String>,
    ) -> Result<Arc<Manifest>, String> {
        /// The payload's name of its table, and nothing else.
        #[derive(Deserialize)]
        struct Named {
            files_table: Option<String>,
        }
        let name = payload
            .as_deref()
            .and_then(|p| serde_json::from_str::<Named>(p).ok())
            .and_then(|n| n.files_table);
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let (Some(name), Some((k, m))) = (&name, &*kept) {
            if k == name {
                return Ok(m.clone());
            }
        }
        let m = Arc::new(Manifest::of_commit(index, payload)?);
        if let Some(name) = name {
            *kept = Some((name, m.clone()));
        }
        Ok(m)
    }
}

/// The payload of the last commit of `index`, as its `meta.json` holds it now.
fn last_payload(index: &Index) -> Result<Option<String>, String> {
    let metas = index
        .load_metas()
        .map_err(|e| format!("its meta.json is unreadable ({e})"))?;
    Ok(metas.payload)
}

/// The name of the table whose content is `bytes`.
fn table_name(bytes: &[u8]) -> String {
    format!("{TABLE_PREFIX}{:016x}.json", fnv(bytes))
}

/// Whether `name` is a files table's name (or, with `.tmp`, one being written): the only
/// files of a generation [`prune_tables`] may remove.
fn is_table(name: &str) -> bool {
    let name = name.strip_suffix(".tmp").unwrap_or(name);
    name.strip_prefix(TABLE_PREFIX)
        .and_then(|rest| rest.strip_suffix(".json"))
        .is_some_and(|hex| hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Remove the files tables of `generation` other than `keep` (and tables half written by a run
/// that died); returns how many were removed. Only pustaka writes files of that name.
pub(crate) fn prune_tables(generation: &Path, keep: &[&str]) -> usize {
    let Ok(rd) = std::fs::read_dir(generation) else {
        return 0;
    };
    rd.filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| is_table(n) && !keep.contains(&n.as_str()))
        .filter(|n| std::fs::remove_file(generation.join(n)).is_ok())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        let entry = FileEntry {
            len: 10,
            mtime: 3,
            hash: 7,
            docs: vec!["a.txt".into()],
            passages: 2,
            languages: [("id".to_string(), 2)].into(),
            unread_scans: false,
        };
        Manifest {
            version: 9,
            files: [("/c/a.txt".to_string(), entry)].into(),
            roots: vec!["/c".into()],
            embedded: true,
            files_table: None,
        }
    }

    #[test]
    fn the_payload_names_its_table_and_the_table_is_read_back_whole() {
        let m = manifest();
        let (payload, table) = m.committed_form();
        assert!(!payload.contains("a.txt"), "the table stays out: {payload}");
        assert!(is_table(&table.name), "{}", table.name);
        let read = Manifest::from_payload(&payload, |name| {
            assert_eq!(name, table.name);
            Ok(table.bytes.clone())
        })
        .unwrap();
        assert_eq!(read.files["/c/a.txt"].docs, ["a.txt"]);
        assert_eq!((read.version, read.embedded), (9, true));
        assert_eq!(read.roots, ["/c"]);
        assert_eq!(read.files_table.as_deref(), Some(table.name.as_str()));
        let header: Header = serde_json::from_str(&payload).unwrap();
        assert_eq!((header.version, header.roots), (9, vec!["/c".to_string()]));
    }

    #[test]
    fn a_damaged_or_missing_table_is_named_and_an_inline_one_still_read() {
        let (payload, table) = manifest().committed_form();
        let mut bad = table.bytes.clone();
        bad[3] ^= 0x20;
        let err = Manifest::from_payload(&payload, |_| Ok(bad)).unwrap_err();
        assert!(
            err.contains("damaged") && err.contains(&table.name),
            "{err}"
        );
        let gone = || Err(std::io::Error::from(std::io::ErrorKind::NotFound));
        let err = Manifest::from_payload(&payload, |_| gone()).unwrap_err();
        assert!(
            err.contains(&table.name) && err.contains("missing"),
            "{err}"
        );
        // The payload of an index made before the table had its own file.
        let inline = r#"{"version":9,"files":{"/c/a.txt":{"len":1,"mtime":2,"hash":3,
            "docs":["a.txt"],"passages":1,"languages":{"en":1}}},"roots":["/c"]}"#;
        let old = Manifest::from_payload(inline, |_| panic!("no table to read")).unwrap();
        assert_eq!(old.files["/c/a.txt"].passages, 1);
    }

    #[test]
    fn pruning_removes_only_other_tables() {
        let dir = std::env::temp_dir().join(format!("pustaka-prune-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let names = [
            "files-0000000000000001.json",
            "files-0000000000000002.json",
            "files-0000000000000003.json.tmp",
            "files-notes.json",
            "meta.json",
            "formulaic.flags",
        ];
        for n in names {
            std::fs::write(dir.join(n), "x").unwrap();
        }
        assert_eq!(prune_tables(&dir, &["files-0000000000000001.json"]), 2);
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "files-0000000000000001.json",
                "files-notes.json",
                "formulaic.flags",
                "meta.json"
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
