//! Index: passages in tantivy, and the [`Engine`] that every query goes through.
//!
//! This module owns the schema ([`schema`]), building and updating ([`writer`]), the index
//! directory and its generations ([`store`]), the damage check ([`verify`](mod@verify)) and
//! the conversion between [`Passage`] and tantivy documents. Nothing outside it sees tantivy
//! types except [`crate::search`], which builds tantivy queries against these fields: so a
//! change of storage stays here and in the query builders, and ingest never learns what an
//! index is.

pub mod dense;
pub(crate) mod formulaic;
pub(crate) mod manifest;
pub mod schema;
pub mod splits;
pub mod store;
pub mod verify;
pub mod writer;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::directory::MmapDirectory;
use tantivy::query::TermQuery;
use tantivy::schema::document::{DeserializeError, DocumentDeserialize, DocumentDeserializer};
use tantivy::schema::{Field, IndexRecordOption, OwnedValue};
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

pub use schema::Fields;
pub use verify::{verify, VerifyReport};
pub use writer::{
    build, build_with, rebuild, remove_root, roots, BuildOptions, BuildReport, Progress, RootInfo,
};

use crate::error::{Error, Result};
use crate::model::{Citations, DocMeta, Kind, Passage};
use crate::text;

/// What tantivy reports as a bad footer or an old format: here it can only mean a file was cut
/// short or overwritten, since pustaka creates every index with the tantivy it reads with.
const TRUNCATED: &str = "a file of it is truncated or overwritten";

/// Query code (`search`, its citations and reuse) reads through `?`: the error does not know
/// which directory it came from until [`Error::at`] names it, which [`crate::api`] does for
/// every request. Code that opens or writes an index names its directory itself, with
/// `index_error`.
impl From<tantivy::TantivyError> for Error {
    fn from(source: tantivy::TantivyError) -> Error {
        index_error(Path::new(""), source)
    }
}

/// A tantivy error in terms of the index: damage (a missing, truncated or corrupted file) is
/// named as such with what to run, never as tantivy's own words ("created using old tantivy").
pub(crate) fn index_error(dir: &Path, source: tantivy::TantivyError) -> Error {
    use tantivy::TantivyError as T;
    let damage = match &source {
        T::DataCorruption(c) => Some(format!("{c:?}")),
        T::OpenReadError(e) => Some(read_damage(e)),
        T::OpenDirectoryError(e) => Some(e.to_string()),
        T::IncompatibleIndex(_) => Some(TRUNCATED.to_string()),
        T::IoError(e) if is_cut_short(e) => Some(TRUNCATED.to_string()),
        // pustaka stores every document it reads back: one that does not read back is a
        // damaged doc store (a flipped byte decompresses into text that is not UTF-8).
        T::DeserializeError(e) => Some(format!("a stored passage cannot be read: {e}")),
        _ => None,
    };
    match damage {
        Some(what) => Error::Damaged {
            dir: dir.to_path_buf(),
            what,
        },
        None => Error::Index {
            dir: dir.to_path_buf(),
            source,
        },
    }
}

fn is_cut_short(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof
    )
}

fn read_damage(e: &tantivy::directory::error::OpenReadError) -> String {
    use tantivy::directory::error::OpenReadError as R;
    let name = |p: &Path| {
        p.file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned()
    };
    match e {
        R::FileDoesNotExist(p) => format!("its file {} is missing", name(p)),
        R::IoError { io_error, filepath } if is_cut_short(io_error) => {
            format!("its file {} is truncated or overwritten", name(filepath))
        }
        R::IncompatibleIndex(_) => TRUNCATED.to_string(),
        e => e.to_string(),
    }
}

/// Create an empty index in the (new, empty) generation directory `path`.
pub(crate) fn create_index(path: &Path) -> Result<(Index, Fields)> {
    let mmap = MmapDirectory::open(path).map_err(|e| index_error(path, e.into()))?;
    let (schema, _) = schema::build();
    let index = Index::create(mmap, schema, settings()).map_err(|e| index_error(path, e))?;
    with_fields(path, index)
}

/// How a new index stores its passages.
///
/// Small store blocks: a hit decompresses 2 KiB (a passage or a few) instead of tantivy's 16
/// KiB. A page's ten hits lie in blocks of their own, each decompressed for that hit alone, so
/// the block size is paid on every hit; halving 4 KiB took a few per cent off a search for ~6%
/// more index (timed by hand, alternated; 1 KiB took nothing more off for as much more again;
/// `scripts/ab.py 460bea5 0c469be` measures it with the round's other changes).
/// Compressed on the indexing thread: handing each small block to a compressor thread cost a
/// wake-up per block, more than the compression.
fn settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_blocksize: 2048,
        docstore_compress_dedicated_thread: false,
        ..tantivy::IndexSettings::default()
    }
}

/// An empty index in memory, made as a build makes one on disk (schema, store settings,
/// analyzers), and the passage documents a build adds to it ([`to_document`]): what the
/// stages bench indexes beside a plain tantivy index, to measure what pustaka's fields cost
/// tantivy itself. Not an API.
#[doc(hidden)]
pub fn bench_index(passages: &[Passage]) -> (Index, Vec<TantivyDocument>) {
    let (schema, fields) = schema::build();
    let index = Index::builder()
        .schema(schema)
        .settings(settings())
        .create_in_ram()
        .expect("an index in memory");
    text::register(&index);
    let docs = passages
        .iter()
        .enumerate()
        .map(|(i, p)| to_document(&fields, p, "bench", i as u64 + 1))
        .collect();
    (index, docs)
}

/// Open the index in the generation directory `path`; reads only.
pub(crate) fn open_index(path: &Path) -> Result<(Index, Fields)> {
    let mmap = MmapDirectory::open(path).map_err(|e| index_error(path, e.into()))?;
    let index = Index::open(mmap).map_err(|e| index_error(path, e))?;
    with_fields(path, index)
}

/// pustaka's analyzers registered on `index` (they are not stored with it) and its fields.
fn with_fields(path: &Path, index: Index) -> Result<(Index, Fields)> {
    text::register(&index);
    let fields = Fields::of(&index.schema()).ok_or_else(|| Error::Version {
        dir: path.to_path_buf(),
        found: "a different schema".into(),
    })?;
    Ok((index, fields))
}

/// Every prefix of a section number: `2.1.1` → `2`, `2.1`, `2.1.1`.
pub(crate) fn section_prefixes(section: &str) -> impl Iterator<Item = &str> {
    section
        .match_indices('.')
        .map(|(i, _)| &section[..i])
        .chain(std::iter::once(section))
}

pub(crate) fn to_document(f: &Fields, p: &Passage, file_key: &str, ord: u64) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_text(f.id, &p.id);
    d.add_text(f.doc, &p.doc);
    d.add_text(f.file, file_key);
    d.add_text(f.title, &p.title);
    if let Some(c) = &p.cite_as {
        d.add_text(f.cite_as, c);
    }
    if let Some(c) = &p.chapter {
        d.add_text(f.chapter, c);
    }
    if let Some(s) = &p.section {
        d.add_text(f.section, s);
        for prefix in section_prefixes(s) {
            d.add_text(f.section_path, prefix);
        }
    }
    if let Some(t) = &p.section_title {
        d.add_text(f.section_title, t);
    }
    if let Some(t) = &p.parent_title {
        d.add_text(f.parent_title, t);
    }
    d.add_text(f.kind, p.kind.as_str());
    d.add_u64(f.kind_code, p.kind.code());
    if p.kind == Kind::Heading {
        d.add_u64(f.title_keys, schema::title_key(&p.text));
    } else {
        for t in [&p.section_title, &p.parent_title].into_iter().flatten() {
            d.add_u64(f.title_keys, schema::title_key(t));
        }
    }
    d.add_text(f.lang, &p.lang);
    d.add_u64(f.lang_code, schema::lang_code(&p.lang));
    d.add_u64(f.page, u64::from(p.page.unwrap_or(0)));
    d.add_u64(f.page_end, u64::from(p.page_end.unwrap_or(0)));
    let [first, last] = p.page_lines.unwrap_or_default();
    d.add_u64(f.page_line_start, first as u64);
    d.add_u64(f.page_line_end, last as u64);
    d.add_u64(f.ord, ord);
    d.add_u64(f.line_start, p.lines[0] as u64);
    d.add_u64(f.line_end, p.lines[1] as u64);
    d.add_u64(f.byte_start, p.bytes[0] as u64);
    d.add_u64(f.byte_end, p.bytes[1] as u64);
    if p.ocr {
        d.add_u64(f.ocr, 1);
    }
    for n in &p.footnotes {
        d.add_u64(f.footnotes, u64::from(*n));
    }
    d.add_text(f.text, &p.text);
    // The three fields' words, read with the fingerprints when the passage was enriched.
    let made;
    let forms = match &p.forms {
        Some(forms) => forms.as_ref(),
        None => {
            made = text::forms(&p.text, |_, _| {});
            &made
        }
    };
    // Indonesian roots of English text are noise (and a share of the indexing work), but
    // English stems of Indonesian text are not: Indonesian scholarship writes its terms in
    // English (`sexual exploitation`, `human trafficking`), and `exploitations` must find them.
    if p.lang != "en" {
        d.add_text(f.text_id, &forms.roots);
    }
    d.add_text(f.text_en, &forms.stems);
    d.add_text(f.text_exact, &forms.exact);
    add_citations(f, &mut d, p);
    for h in &p.fingerprints {
        d.add_u64(f.fp, *h);
    }
    d
}

/// Citation fields: names, name–year pairs, years and work keys of what the passage cites.
fn add_citations(f: &Fields, d: &mut TantivyDocument, p: &Passage) {
    let mut years: Vec<String> = Vec::new();
    let mut pairs: Vec<String> = Vec::new();
    let mut works: Vec<&str> = Vec::new();
    for c in &p.citations {
        let names: Vec<&str> = c
            .authors
            .iter()
            .map(String::as_str)
            .chain(c.abbrev.as_deref())
            .collect();
        for n in &names {
            d.add_text(f.cites, n);
            // `cites:unodc` finds `United Nations Office on Drugs and Crime`.
            if let Some(a) = text::names::acronym(n).filter(|a| a.len() >= 3) {
                d.add_text(f.cites, &a);
            }
            if let Some(y) = &c.year {
                pairs.extend(schema::cite_year_terms(n, y));
            }
        }
        years.extend(c.year.as_ref().map(|y| y.chars().take(4).collect()));
        works.push(&c.work);
    }
    if let Some(r) = &p.reference {
        works.push(&r.work);
    }
    years.sort();
    years.dedup();
    pairs.sort();
    pairs.dedup();
    works.sort_unstable();
    works.dedup();
    for y in &years {
        d.add_text(f.year, y);
    }
    for t in &pairs {
        d.add_text(f.cite_year, t);
    }
    for w in works.into_iter().filter(|w| !w.is_empty()) {
        d.add_text(f.work, w);
    }
    if !p.citations.is_empty() {
        d.add_text(f.cited, "y");
        d.add_text(
            f.citations,
            serde_json::to_string(&p.citations).unwrap_or_default(),
        );
    }
    if let Some(r) = &p.reference {
        d.add_text(f.reference, serde_json::to_string(r).unwrap_or_default());
    }
}

/// A passage's stored fields as tantivy reads them, each value owned. A passage is made by
/// moving its strings out ([`Stored::into_passage`]); through a `TantivyDocument` every string
/// was copied twice (into the document's arena, then out of it) and every field found by a
/// scan of the document, 7% of a search's CPU with its ten hits (perf).
pub(crate) struct Stored(Vec<(Field, OwnedValue)>);

impl DocumentDeserialize for Stored {
    fn deserialize<'de, D>(mut d: D) -> std::result::Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        let mut values = Vec::with_capacity(d.size_hint());
        while let Some(value) = d.next_field()? {
            values.push(value);
        }
        Ok(Stored(values))
    }
}

impl Stored {
    /// The first string of `field`, moved out.
    fn take(&mut self, field: Field) -> Option<String> {
        self.0.iter_mut().find_map(|(f, v)| match v {
            OwnedValue::Str(s) if *f == field => Some(std::mem::take(s)),
            _ => None,
        })
    }

    /// The first number of `field`, 0 when it has none.
    fn number(&self, field: Field) -> u64 {
        self.numbers(field).next().unwrap_or(0)
    }

    fn numbers(&self, field: Field) -> impl Iterator<Item = u64> + '_ {
        self.0.iter().filter_map(move |(f, v)| match v {
            OwnedValue::U64(n) if *f == field => Some(*n),
            _ => None,
        })
    }

    /// The passage these fields store.
    pub(crate) fn into_passage(mut self, f: &Fields) -> Passage {
        let n = |field| self.number(field);
        let (page, page_end) = (n(f.page), n(f.page_end));
        let page_lines = nonzero(n(f.page_line_start)).zip(nonzero(n(f.page_line_end)));
        let lines = [n(f.line_start) as usize, n(f.line_end) as usize];
        let bytes = [n(f.byte_start) as usize, n(f.byte_end) as usize];
        let ocr = n(f.ocr) == 1;
        let footnotes = self.numbers(f.footnotes).map(|v| v as u32).collect();
        Passage {
            id: self.take(f.id).unwrap_or_default(),
            doc: self.take(f.doc).unwrap_or_default(),
            title: self.take(f.title).unwrap_or_default(),
            cite_as: self.take(f.cite_as),
            chapter: self.take(f.chapter),
            section: self.take(f.section),
            section_title: self.take(f.section_title),
            parent_title: self.take(f.parent_title),
            kind: self
                .take(f.kind)
                .and_then(|k| Kind::parse(&k))
                .unwrap_or(Kind::Body),
            lang: self.take(f.lang).unwrap_or_default(),
            page: nonzero(page).map(|p| p as u32),
            page_end: nonzero(page_end).map(|p| p as u32),
            page_lines: page_lines.map(|(a, b)| [a as usize, b as usize]),
            lines,
            bytes,
            text: self.take(f.text).unwrap_or_default(),
            ocr,
            footnotes,
            citations: self
                .take(f.citations)
                .map(Citations::stored)
                .unwrap_or_default(),
            reference: self
                .take(f.reference)
                .and_then(|j| serde_json::from_str(&j).ok()),
            line_map: Vec::new(),
            marks: Vec::new(),
            fingerprints: Vec::new(),
            forms: None,
        }
    }
}

/// A stored number that is 0 for "none".
fn nonzero(v: u64) -> Option<u64> {
    (v != 0).then_some(v)
}

/// The directory of the live generation, or why there is none to read, in the words a user
/// needs (build one, wait for the build, rebuild an old or damaged one).
pub(crate) fn live_generation(dir: &Path, state: store::State) -> Result<PathBuf> {
    let d = || dir.to_path_buf();
    match state {
        store::State::Ready { path, .. } => Ok(path),
        store::State::Absent => Err(Error::NoIndex { dir: d() }),
        store::State::Building => Err(Error::Building { dir: d() }),
        store::State::Legacy => Err(Error::Version {
            dir: d(),
            found: "the layout of an older version".into(),
        }),
        store::State::Broken(what) => Err(Error::Damaged { dir: d(), what }),
        store::State::Foreign(_) => Err(Error::Invalid(format!(
            "{} is not a pustaka index; give --index the directory of one",
            dir.display()
        ))),
    }
}

/// An opened index: the one entry point for queries, shared by the CLI and the server.
///
/// Its state is private to `index`. The query modules (`search`, its `cites` and `reuse`) add
/// their methods in their own `impl Engine` blocks, but reach the index only through
/// `searcher()`, `fetch()`, `fast_u64()` and the field handles: how a
/// stored document becomes a [`Passage`], and which directory and generation are open, stay here.
pub struct Engine {
    /// The index directory as the user named it (messages, reopening).
    dir: PathBuf,
    /// The live generation directory inside it, as it was when opened; over splits, the
    /// live generation of each split.
    generations: Vec<PathBuf>,
    index: Index,
    reader: IndexReader,
    pub(crate) fields: Fields,
    /// The sentence embeddings of the segments read so far ([`dense`]).
    vectors: dense::VectorCache,
    /// Whether the passages carry embeddings (`index --embed`), as the manifest says when the
    /// index is opened: a generation keeps it for life (adding embeddings rebuilds), and
    /// every search asks.
    embedded: bool,
    /// The manifest last read, for the commands and requests that read it.
    manifest: manifest::Kept,
}

/// The file a document was read from ([`Engine::source_of`]).
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Its canonical path, as the index recorded it.
    pub path: PathBuf,
    /// Its size in bytes, the same as when it was indexed.
    pub len: u64,
}

/// How many passages in a row on other pages end the walk over a page ([`Engine::page_context`]).
const PAGE_GAP: usize = 3;
/// How far the walk over a page goes each way: more passages than any page holds.
const MAX_PAGE_PASSAGES: usize = 200;

/// A passage id's document and number (`003_x.txt#7` → `003_x.txt`, 7).
fn split_id(id: &str) -> Option<(&str, usize)> {
    let (doc, n) = id.rsplit_once('#')?;
    Some((doc, n.parse().ok()?))
}

/// A passage with the passages around it, for `pustaka show`.
#[derive(Debug, Serialize)]
pub struct Context {
    /// The passage asked for.
    pub passage: Passage,
    /// Up to `around` passages just before it in its document, in document order; fewer at
    /// the document's start.
    pub before: Vec<Passage>,
    /// Up to `around` passages just after it, in document order; fewer at the document's end.
    pub after: Vec<Passage>,
}

/// What an index holds.
#[derive(Debug, Serialize)]
pub struct Stats {
    /// The index directory as the user named it.
    pub dir: PathBuf,
    /// Source files indexed (a JSON Lines file counts once).
    pub files: usize,
    /// Documents indexed across those files.
    pub documents: usize,
    /// Passages searchable now (deleted ones excluded).
    pub passages: u64,
    /// Passages per language code (`id`, `en`, ...).
    pub languages: BTreeMap<String, usize>,
    /// Passages per kind name (`body`, `footnote`, ...); kinds with none are left out.
    pub kinds: BTreeMap<String, u64>,
    /// tantivy segments the searcher reads: many small ones after many updates slow queries.
    pub segments: usize,
    /// Bytes on disk of the live generation (the files of this index, not of older ones).
    pub size_bytes: u64,
    /// Words indexed per analyzed text field (`text_exact`, `text_id`, `text_en`, `title`,
    /// ...): tantivy's work in a build grows with them, so they say what each field costs.
    pub tokens: BTreeMap<String, u64>,
}

/// Tokens indexed in each text field that an analyzer splits into words (not the `raw` ones,
/// one token a value), over every segment.
fn tokens_per_field(searcher: &Searcher) -> BTreeMap<String, u64> {
    let schema = searcher.schema();
    let mut out = BTreeMap::new();
    for (field, entry) in schema.fields() {
        let tantivy::schema::FieldType::Str(options) = entry.field_type() else {
            continue;
        };
        if options
            .get_indexing_options()
            .is_none_or(|i| i.tokenizer() == "raw")
        {
            continue;
        }
        let n = searcher
            .segment_readers()
            .iter()
            .filter_map(|r| r.inverted_index(field).ok())
            .map(|ii| ii.total_num_tokens())
            .sum();
        out.insert(entry.name().to_string(), n);
    }
    out
}

/// Whether an open engine follows the commits made to its index after it opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Follow {
    /// A server's: a re-index while it runs is picked up without a restart (tantivy polls
    /// meta.json from a thread of its own every half second).
    Commits,
    /// A command's that answers and exits: the commit it opened is all it reads. It starts no
    /// watcher thread, whose first poll, finding no earlier checksum to compare with, reloads
    /// every segment while the command runs.
    Opened,
}

impl Engine {
    /// Open the index at `dir` for searching, following its commits ([`Follow::Commits`]).
    /// Never writes: an index being built, of an older version or damaged is an error that says
    /// what to run.
    pub fn open(dir: &Path) -> Result<Engine> {
        Engine::open_following(dir, Follow::Commits)
    }

    /// [`Engine::open`], following the index's commits or not.
    pub fn open_following(dir: &Path, follow: Follow) -> Result<Engine> {
        match Engine::open_once(dir, follow) {
            // A rebuild may publish and sweep between reading CURRENT and opening its files.
            Err(Error::Damaged { .. }) if store::current_generation(dir).is_some() => {
                Engine::open_once(dir, follow)
            }
            r => r,
        }
    }

    fn open_once(dir: &Path, follow: Follow) -> Result<Engine> {
        let path = live_generation(dir, store::state(dir))?;
        let (index, fields) = open_index(&path).map_err(|e| e.at(dir))?;
        let embedded = match manifest::Manifest::header(&index) {
            Some(m) if m.version == schema::SCHEMA_VERSION => m.embedded,
            Some(m) => {
                return Err(Error::Version {
                    dir: dir.to_path_buf(),
                    found: format!("schema {}", m.version),
                })
            }
            None => {
                return Err(Error::Damaged {
                    dir: dir.to_path_buf(),
                    what: "its manifest is missing or unreadable".into(),
                })
            }
        };
        // Picks up a new commit (a re-index while a server runs) without a restart; a reader
        // never sees a half-built index because tantivy only exposes committed segments.
        let policy = match follow {
            Follow::Commits => ReloadPolicy::OnCommitWithDelay,
            Follow::Opened => ReloadPolicy::Manual,
        };
        let reader = index
            .reader_builder()
            .reload_policy(policy)
            .try_into()
            .map_err(|e| index_error(dir, e))?;
        Ok(Engine {
            dir: dir.to_path_buf(),
            generations: vec![path],
            index,
            reader,
            fields,
            vectors: dense::VectorCache::default(),
            embedded,
            manifest: manifest::Kept::default(),
        })
    }

    /// Open the splits the metastore at `metastore` lists as one index ([`splits`]): every
    /// query ranks as over one index of all their documents. Never writes, never reloads
    /// (splits do not change once listed).
    pub fn open_splits(metastore: &Path) -> Result<Engine> {
        let opened = splits::open(metastore)?;
        let index = opened.index;
        text::register(&index);
        let embedded = manifest::Manifest::header(&index).is_some_and(|m| m.embedded);
        let fields = Fields::of(&index.schema()).ok_or_else(|| Error::Metastore {
            path: metastore.to_path_buf(),
            what: "its splits have a different schema".into(),
        })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| index_error(metastore, e))?;
        Ok(Engine {
            dir: metastore.to_path_buf(),
            generations: opened.generations,
            index,
            reader,
            fields,
            vectors: dense::VectorCache::default(),
            embedded,
            manifest: manifest::Kept::default(),
        })
    }

    /// Open the index at `dir`, building it from `corpus` first only if there is no index
    /// there at all: an index of an older version, damaged or being built is never replaced
    /// by a read.
    pub fn open_or_build(
        dir: &Path,
        corpus: &[PathBuf],
        follow: Follow,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<(Engine, Option<BuildReport>)> {
        if store::state(dir) != store::State::Absent {
            return Engine::open_following(dir, follow).map(|e| (e, None));
        }
        let report = build(dir, corpus, progress)?;
        Ok((Engine::open_following(dir, follow)?, Some(report)))
    }

    /// The manifest of the commit the reader sees now.
    pub(crate) fn manifest(&self) -> Result<std::sync::Arc<manifest::Manifest>> {
        self.manifest.load(&self.index).map_err(self.damaged())
    }

    /// The error for a manifest that cannot be read, `what` saying why.
    fn damaged(&self) -> impl Fn(String) -> Error + '_ {
        |what| Error::Damaged {
            dir: self.dir.clone(),
            what,
        }
    }

    /// Every document id in the index, sorted: read from the manifest, not by scanning
    /// passages, so that naming a document costs nothing.
    pub fn doc_ids(&self) -> Result<Vec<String>> {
        let m = self.manifest()?;
        let mut ids: Vec<String> = m.files.values().flat_map(|f| f.docs.clone()).collect();
        ids.sort();
        Ok(ids)
    }

    /// The file a document was read from, when it is the document's own file (a text file or a
    /// PDF, not one record of a JSON Lines file) and still the file that was indexed (same size
    /// and time): what `/api/docs/{doc}/file` serves. The path comes from the index's
    /// manifest, never from a request, so only files the user indexed can be read this way.
    pub fn source_of(&self, doc: &str) -> Result<SourceFile> {
        let m = self.manifest()?;
        let Some((path, entry)) = m
            .files
            .iter()
            .find(|(_, f)| f.docs.iter().any(|d| d == doc))
        else {
            return Err(Error::NotFound(format!(
                "no document {doc:?} in the index (see `pustaka docs`)"
            )));
        };
        let path = PathBuf::from(path);
        if entry.docs.len() != 1
            || crate::ingest::read::Format::of(&path).is_none_or(|f| !f.whole_file())
        {
            return Err(Error::NotFound(format!(
                "{doc} is one record of {}: it has no file of its own",
                path.display()
            )));
        }
        let meta = std::fs::metadata(&path).map_err(|e| {
            Error::NotFound(format!(
                "{}: {e}; the file was indexed but is gone",
                path.display()
            ))
        })?;
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs());
        if meta.len() != entry.len || mtime != entry.mtime {
            return Err(Error::NotFound(format!(
                "{} changed since it was indexed; run `pustaka index` again",
                path.display()
            )));
        }
        Ok(SourceFile {
            path,
            len: meta.len(),
        })
    }

    /// Passages per language code in the index.
    pub fn languages(&self) -> Result<std::collections::BTreeMap<String, usize>> {
        Ok(self.manifest()?.languages())
    }

    /// The index directory as the user named it (not the generation inside it), for messages.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Identifies what the reader currently sees: its segments and their deletes. A reload
    /// that finds nothing new (the reader's watcher may reload spuriously) keeps the same value,
    /// so caches keyed on it stay warm; any commit it picks up changes it.
    pub fn generation(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for (id, deletes) in self.reader.searcher().generation().segments() {
            id.hash(&mut h);
            deletes.hash(&mut h);
        }
        h.finish()
    }

    pub(crate) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// The formulaic flags kept for exactly the segments `searcher` reads ([`formulaic`]), by
    /// segment: by the build, in a generation directory, or for splits beside their metastore
    /// (`self.dir` is then that file); `None` when there are none (the caller counts them).
    pub(crate) fn formulaic_flags(
        &self,
        searcher: &Searcher,
    ) -> Option<Vec<formulaic::SegmentFlags>> {
        let kept = || {
            self.generations
                .iter()
                .find_map(|g| formulaic::read(g, searcher))
        };
        let for_splits = || {
            let path = formulaic::beside_metastore(&self.dir);
            self.dir
                .is_file()
                .then(|| formulaic::read_file(&path, searcher))
                .flatten()
        };
        kept().or_else(for_splits)
    }

    /// Make the newest commit visible now (otherwise it shows within a second).
    pub fn reload(&self) -> Result<()> {
        self.reader.reload().map_err(|e| index_error(&self.dir, e))
    }

    /// One passage by id.
    pub fn passage(&self, id: &str) -> Result<Option<Passage>> {
        Ok(self.stored(id)?.map(|d| d.into_passage(&self.fields)))
    }

    /// The stored fields of the passage with this id: one term lookup, one document read.
    fn stored(&self, id: &str) -> Result<Option<Stored>> {
        let searcher = self.searcher();
        match self.address(&searcher, id)? {
            Some(addr) => Ok(Some(
                searcher.doc(addr).map_err(|e| index_error(&self.dir, e))?,
            )),
            None => Ok(None),
        }
    }

    /// Where the passage with this id is in `searcher`'s segments: one term lookup.
    pub(crate) fn address(
        &self,
        searcher: &Searcher,
        id: &str,
    ) -> Result<Option<tantivy::DocAddress>> {
        let q = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher
            .search(&q, &TopDocs::with_limit(1).order_by_score())
            .map_err(|e| index_error(&self.dir, e))?;
        Ok(top.first().map(|&(_, addr)| addr))
    }

    /// The first passage of document `doc` with what the document says about itself (authors,
    /// year, journal …), stored on that passage; `None` for a document the index does not hold.
    pub fn doc_head(&self, doc: &str) -> Result<Option<(Passage, DocMeta)>> {
        let Some(mut d) = self.stored(&format!("{doc}#1"))? else {
            return Ok(None);
        };
        let meta = d
            .take(self.fields.meta)
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default();
        Ok(Some((d.into_passage(&self.fields), meta)))
    }

    /// A u64 fast field of one segment, by its handle: fast fields are looked up by name in
    /// tantivy, and the name belongs to the schema's field table, not to the caller.
    pub(crate) fn fast_u64(
        &self,
        reader: &tantivy::SegmentReader,
        field: tantivy::schema::Field,
    ) -> Result<tantivy::columnar::Column<u64>> {
        Ok(reader
            .fast_fields()
            .u64(reader.schema().get_field_name(field))?)
    }

    /// The stored passage at `addr`: every read of a stored document goes through here, so
    /// the mapping from tantivy's document to a [`Passage`] has one home.
    pub(crate) fn fetch(&self, searcher: &Searcher, addr: tantivy::DocAddress) -> Result<Passage> {
        let d: Stored = searcher.doc(addr).map_err(|e| index_error(&self.dir, e))?;
        Ok(d.into_passage(&self.fields))
    }

    /// A passage with up to `around` passages before and after it in its document.
    pub fn context(&self, id: &str, around: usize) -> Result<Option<Context>> {
        let Some(passage) = self.passage(id)? else {
            return Ok(None);
        };
        let (doc, n) = match id.rsplit_once('#') {
            Some((d, n)) => (d, n.parse::<usize>().unwrap_or(0)),
            None => {
                return Ok(Some(Context {
                    passage,
                    before: vec![],
                    after: vec![],
                }))
            }
        };
        let mut before = Vec::new();
        for k in (n.saturating_sub(around).max(1)..n).rev() {
            if let Some(p) = self.passage(&format!("{doc}#{k}"))? {
                before.insert(0, p);
            }
        }
        let mut after = Vec::new();
        for k in n + 1..=n + around {
            match self.passage(&format!("{doc}#{k}"))? {
                Some(p) => after.push(p),
                None => break,
            }
        }
        Ok(Some(Context {
            passage,
            before,
            after,
        }))
    }

    /// A passage with the passages of its document on the same page or pages (`page` to
    /// `page_end`), in document order: the printed page it stands on, for a reader to see it
    /// in. Walks out from the passage until [`PAGE_GAP`] passages in a row are on other pages
    /// (a page's footnotes may follow a paragraph that runs on to the next page), at most
    /// [`MAX_PAGE_PASSAGES`] each way. `Ok(None)` when there is no such passage; a passage
    /// without a page gets no neighbours.
    pub fn page_context(&self, id: &str) -> Result<Option<Context>> {
        let Some(passage) = self.passage(id)? else {
            return Ok(None);
        };
        let (Some((doc, n)), Some(first)) = (split_id(id), passage.page) else {
            return Ok(Some(Context {
                passage,
                before: vec![],
                after: vec![],
            }));
        };
        let last = passage.page_end.unwrap_or(first);
        let on_page = |p: &Passage| {
            p.page
                .is_some_and(|a| a <= last && p.page_end.unwrap_or(a) >= first)
        };
        let from = n.saturating_sub(MAX_PAGE_PASSAGES).max(1);
        let mut before = self.walk_page(doc, (from..n).rev(), &on_page)?;
        before.reverse();
        let after = self.walk_page(doc, n + 1..=n + MAX_PAGE_PASSAGES, &on_page)?;
        Ok(Some(Context {
            passage,
            before,
            after,
        }))
    }

    /// The passages of `doc` numbered `ks` that are `on_page`, in the order walked, until the
    /// document ends or [`PAGE_GAP`] passages in a row are on other pages.
    fn walk_page(
        &self,
        doc: &str,
        ks: impl Iterator<Item = usize>,
        on_page: &dyn Fn(&Passage) -> bool,
    ) -> Result<Vec<Passage>> {
        let (mut out, mut misses) = (Vec::new(), 0);
        for k in ks {
            let Some(p) = self.passage(&format!("{doc}#{k}"))? else {
                break;
            };
            if on_page(&p) {
                misses = 0;
                out.push(p);
            } else {
                misses += 1;
                if misses == PAGE_GAP {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// Counts over the whole index, every figure from one generation: the reader follows
    /// commits a moment after they land, so the newest manifest on disk is used only when its
    /// segments are the searcher's (under re-indexing one reply in 481 used to mix two commits).
    pub fn stats(&self) -> Result<Stats> {
        let (searcher, manifest) = self.snapshot()?;
        let mut kinds = BTreeMap::new();
        for k in Kind::ALL {
            let q = TermQuery::new(
                Term::from_field_text(self.fields.kind, k.as_str()),
                IndexRecordOption::Basic,
            );
            let n = q.count(&searcher).map_err(|e| index_error(&self.dir, e))? as u64;
            if n > 0 {
                kinds.insert(k.as_str().to_string(), n);
            }
        }
        let size_bytes = self
            .generations
            .iter()
            .filter_map(|g| std::fs::read_dir(g).ok())
            .flat_map(|rd| rd.filter_map(|e| e.ok()?.metadata().ok()))
            .map(|m| m.len())
            .sum();
        Ok(Stats {
            dir: self.dir.clone(),
            files: manifest.files.len(),
            documents: manifest.files.values().map(|e| e.docs.len()).sum(),
            passages: searcher.num_docs(),
            languages: manifest.languages(),
            kinds,
            segments: searcher.segment_readers().len(),
            size_bytes,
            tokens: tokens_per_field(&searcher),
        })
    }

    /// The searcher together with the manifest of the very commit it reads.
    fn snapshot(&self) -> Result<(Searcher, std::sync::Arc<manifest::Manifest>)> {
        /// Attempts to catch the searcher and the newest commit agreeing while commits come.
        const TRIES: usize = 5;
        for _ in 0..TRIES {
            let searcher = self.searcher();
            let metas = self
                .index
                .load_metas()
                .map_err(|e| index_error(&self.dir, e))?;
            let mut on_disk: Vec<_> = metas
                .segments
                .iter()
                .map(|s| (s.id(), s.num_deleted_docs()))
                .collect();
            let mut seen: Vec<_> = searcher
                .segment_readers()
                .iter()
                .map(|s| (s.segment_id(), s.num_deleted_docs()))
                .collect();
            on_disk.sort_unstable();
            seen.sort_unstable();
            if on_disk == seen {
                let manifest = self
                    .manifest
                    .of_commit(&self.index, metas.payload)
                    .map_err(self.damaged())?;
                return Ok((searcher, manifest));
            }
            // A commit the reader has not picked up yet: pick it up now and look again.
            self.reload()?;
        }
        // Commits faster than a reload: say so rather than mix them.
        Err(Error::Locked {
            dir: self.dir.clone(),
        })
    }
}

use tantivy::query::Query as _;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_passage_that_does_not_read_back_is_named_damage() {
        let e = tantivy::schema::document::DeserializeError::Custom(
            "stream did not contain valid UTF-8".into(),
        );
        let err = index_error(Path::new("idx"), tantivy::TantivyError::from(e)).to_string();
        assert!(
            err.starts_with("the index at idx is damaged") && err.contains("--rebuild"),
            "{err}"
        );
    }
}
