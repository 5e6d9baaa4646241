//! The fast-field columns a search reads in the segments it ranks in (a passage's language,
//! kind, document and place in it), opened once per set of segments rather than at every
//! search.
//!
//! Why: opening a column parses its codec's header, and a blockwise-linear column reads the
//! header of every block it has; with a string column's dictionary, that was about a twentieth
//! of a search on corpus-large (perf, issue 18), paid again for each column in each segment by
//! each step that read one (the counts per document, the re-ranking, the heading moves, the
//! translations a hit came through). A column is a view of its segment's mapped file, so the
//! set is kept per set of segments ([`BySegments`], the last two): an index reloaded after a
//! merge lets go of the files merged away.
//!
//! The two columns read for every match, not only for the hits shown (a passage's language, by
//! the translations' filter; its document, by the counts per document), are decoded into plain
//! arrays once reading them has cost as much as decoding would ([`SegmentColumns::per_passage`]):
//! a column lookup (a blockwise-linear block's line and bit-unpacking) was about a twelfth of a
//! search on corpus-large (perf, issue 18), an array lookup is a load. A one-shot `pustaka
//! search` reads far fewer passages than a segment holds and never decodes; a server decodes
//! within its first few searches, and keeps five bytes a passage (566 KB for corpus-large's
//! 113,218) for as long as it reads the segment.

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use tantivy::columnar::{Cardinality, Column, ColumnValues, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, Searcher, SegmentReader};

use super::group::{names_of, Names};
use super::memo::BySegments;
use crate::error::Result;
use crate::index::Engine;
use crate::model::Kind;

/// One segment's columns; a column the segment lacks (an index of an older schema) reads as
/// the field's default.
pub(crate) struct SegmentColumns {
    id: SegmentId,
    lang: Option<Arc<dyn ColumnValues<u64>>>,
    kind: Option<Arc<dyn ColumnValues<u64>>>,
    ord: Option<Column<u64>>,
    titles: Option<Column<u64>>,
    /// The `doc` column, and the names behind its ordinals.
    doc: Option<(StrColumn, Names)>,
    max_doc: DocId,
    /// Lookups made in `lang` and `doc` through [`PerPassage`] while they were not decoded.
    lookups: Arc<AtomicU64>,
    decoded: OnceLock<Arc<Decoded>>,
}

/// A segment's per-passage language and document ordinal, decoded from their columns.
pub(crate) struct Decoded {
    /// `lang_code` by passage; `None` when a value does not fit a byte (no schema makes one).
    lang: Option<Box<[u8]>>,
    /// Ordinal in the `doc` column by passage, [`NO_DOC`] for none; `None` when the column
    /// holds several values per passage (no schema makes it).
    doc: Option<Box<[u32]>>,
    /// The passages of each document in the segment with its ordinal, in passage order, when
    /// each document's passages are one run (a build adds a document's passages together, and
    /// a merge keeps their order): `None` when some document's passages are apart. A run is
    /// found in this list ([`PerPassage::doc_run`]), not through `doc` by passage: the list is
    /// a few kilobytes that stay in cache, `doc` is four bytes a passage, and reading it where
    /// a new run began missed the cache so often that counting matches per document was a
    /// twentieth of a search (perf, issue 18).
    runs: Option<Runs>,
}

/// Each document's passages in a segment and its ordinal, in passage order.
type Runs = Box<[(Range<DocId>, u32)]>;

/// The document ordinal of a passage without one.
const NO_DOC: u32 = u32::MAX;

/// How a scorer or collector reads one segment's language and document of each passage it
/// visits: from the decoded arrays when they are made, else from the columns, counting its
/// lookups towards decoding them (added up when it is dropped).
pub(crate) struct PerPassage {
    decoded: Option<Arc<Decoded>>,
    lang: Option<Arc<dyn ColumnValues<u64>>>,
    doc: Option<Column<u64>>,
    lookups: u64,
    counter: Arc<AtomicU64>,
}

impl PerPassage {
    /// The `lang_code` of passage `doc` (0 when unknown).
    #[inline]
    pub(crate) fn lang(&mut self, doc: DocId) -> u64 {
        if let Some(langs) = self.decoded.as_ref().and_then(|d| d.lang.as_ref()) {
            return u64::from(langs[doc as usize]);
        }
        self.lookups += 1;
        self.lang.as_ref().map_or(0, |c| c.get_val(doc))
    }

    /// Whether the segment has a language column at all.
    pub(crate) fn has_lang(&self) -> bool {
        self.lang.is_some()
    }

    /// The ordinal of passage `doc`'s document in the `doc` column (its first, for a column of
    /// several values per passage, which the schema does not make).
    #[inline]
    pub(crate) fn doc_ord(&mut self, doc: DocId) -> Option<u64> {
        if let Some(ords) = self.decoded.as_ref().and_then(|d| d.doc.as_ref()) {
            let ord = ords[doc as usize];
            return (ord != NO_DOC).then_some(u64::from(ord));
        }
        self.lookups += 1;
        self.doc.as_ref()?.first(doc)
    }

    /// The document ordinal of passage `doc` and the run of passages that document holds in
    /// the segment, when the arrays are decoded and each document's passages are one run.
    /// For a caller that asks in passage order: `at` is where the last run was found, and the
    /// next is looked for from there, a step or two along the list where a binary search took
    /// ten (counting matches per document asks at every run they reach); asked out of order,
    /// it searches the whole list.
    #[inline]
    pub(crate) fn doc_run(&self, doc: DocId, at: &mut usize) -> Option<(u32, Range<DocId>)> {
        let runs = self.decoded.as_deref()?.runs.as_deref()?;
        let mut k = *at;
        if runs.get(k).is_none_or(|(r, _)| r.start > doc) {
            k = runs.partition_point(|(r, _)| r.end <= doc);
        }
        while runs.get(k).is_some_and(|(r, _)| r.end <= doc) {
            k += 1;
        }
        let (run, ord) = runs.get(k)?;
        *at = k;
        run.contains(&doc).then(|| (*ord, run.clone()))
    }

    /// Whether document ordinals are read one per passage ([`Self::doc_ord`] is the whole
    /// answer); `false` for a column of several values per passage.
    pub(crate) fn one_doc_each(&self) -> bool {
        self.decoded.as_ref().is_some_and(|d| d.doc.is_some())
            || self
                .doc
                .as_ref()
                .is_some_and(|c| c.get_cardinality() != Cardinality::Multivalued)
    }
}

impl Drop for PerPassage {
    fn drop(&mut self) {
        if self.lookups > 0 {
            self.counter.fetch_add(self.lookups, Ordering::Relaxed);
        }
    }
}

impl SegmentColumns {
    fn open(engine: &Engine, reader: &SegmentReader) -> Result<SegmentColumns> {
        let f = &engine.fields;
        let single =
            |field| -> Result<_> { Ok(engine.fast_u64(reader, field)?.first_or_default_col(0)) };
        let doc_field = reader.schema().get_field_name(f.doc);
        let doc = match reader.fast_fields().str(doc_field)? {
            Some(column) => Some((names_of(reader, &column)?, column)),
            None => None,
        };
        Ok(SegmentColumns {
            id: reader.segment_id(),
            lang: single(f.lang_code).ok(),
            kind: single(f.kind_code).ok(),
            ord: engine.fast_u64(reader, f.ord).ok(),
            titles: engine.fast_u64(reader, f.title_keys).ok(),
            doc: doc.map(|(names, column)| (column, names)),
            max_doc: reader.max_doc(),
            lookups: Arc::default(),
            decoded: OnceLock::new(),
        })
    }

    /// The reader of each passage's language and document for one scorer or collector. The
    /// columns are decoded into arrays once the lookups made in them reach the number of
    /// passages in the segment: by then reading them has cost about what decoding them does
    /// (one lookup each), and every later search saves it again (the ski-rental rule).
    pub(crate) fn per_passage(&self) -> PerPassage {
        let decoded = self.decoded.get().cloned().or_else(|| {
            let due = self.lookups.load(Ordering::Relaxed) >= u64::from(self.max_doc);
            due.then(|| Arc::clone(self.decoded.get_or_init(|| Arc::new(self.decode()))))
        });
        PerPassage {
            decoded,
            lang: self.lang.clone(),
            doc: self.doc.as_ref().map(|(c, _)| c.ords().clone()),
            lookups: 0,
            counter: Arc::clone(&self.lookups),
        }
    }

    fn decode(&self) -> Decoded {
        let all = 0..self.max_doc;
        let lang = all
            .clone()
            .map(|d| u8::try_from(self.lang(d)).ok())
            .collect::<Option<Box<[u8]>>>();
        let doc = self.doc.as_ref().and_then(|(c, _)| {
            let ords = c.ords();
            (ords.get_cardinality() != Cardinality::Multivalued).then(|| {
                all.map(|d| {
                    ords.first(d)
                        .and_then(|o| u32::try_from(o).ok())
                        .unwrap_or(NO_DOC)
                })
                .collect()
            })
        });
        let runs = doc
            .as_deref()
            .and_then(|ords| runs_of(ords, self.doc_count()));
        Decoded { lang, doc, runs }
    }

    /// How many document ordinals the `doc` column has.
    fn doc_count(&self) -> usize {
        self.doc.as_ref().map_or(0, |(_, names)| names.len())
    }

    /// The `lang_code` of passage `doc` (0 when unknown).
    pub(crate) fn lang(&self, doc: DocId) -> u64 {
        self.lang.as_ref().map_or(0, |c| c.get_val(doc))
    }

    /// The kind of passage `doc`.
    pub(crate) fn kind(&self, doc: DocId) -> Kind {
        self.kind
            .as_ref()
            .map_or(Kind::Body, |c| Kind::from_code(c.get_val(doc)))
    }

    /// The number of passage `doc` in its document (0 when unknown).
    pub(crate) fn ord(&self, doc: DocId) -> u64 {
        self.ord.as_ref().and_then(|c| c.first(doc)).unwrap_or(0)
    }

    /// Whether passage `doc` has `key` among its [`crate::index::schema::title_key`]s: a
    /// heading's key is that of its text, another passage's those of the titles it is beneath.
    pub(crate) fn has_title_key(&self, doc: DocId, key: u64) -> bool {
        self.titles
            .as_ref()
            .is_some_and(|c| c.values_for_doc(doc).any(|k| k == key))
    }

    /// The first of passage `doc`'s title keys (a heading's: that of its text).
    pub(crate) fn title_key(&self, doc: DocId) -> Option<u64> {
        self.titles.as_ref()?.first(doc)
    }

    /// The `doc` column and the names behind its ordinals, when the segment has one.
    pub(crate) fn docs(&self) -> Option<(&StrColumn, &Names)> {
        self.doc.as_ref().map(|(c, n)| (c, n))
    }

    /// The ordinal of passage `doc`'s document in [`Self::docs`].
    fn doc_ord(&self, doc: DocId) -> Option<u64> {
        self.doc.as_ref()?.0.term_ords(doc).next()
    }

    /// The id of passage `doc`'s document.
    pub(crate) fn doc_name(&self, doc: DocId) -> Option<&Arc<str>> {
        let names = &self.doc.as_ref()?.1;
        names.get(self.doc_ord(doc)? as usize)
    }
}

/// Each document's passages with its ordinal, in passage order, when `ords` (a document
/// ordinal by passage, each below `count`) holds each ordinal in one run; `None` otherwise.
/// Passages without a document are in no run.
fn runs_of(ords: &[u32], count: usize) -> Option<Runs> {
    let mut seen = vec![false; count];
    let mut runs = Vec::new();
    let mut start = 0;
    for run_of_one in ords.chunk_by(|a, b| a == b) {
        let len = run_of_one.len() as DocId;
        let ord = run_of_one[0];
        if ord != NO_DOC {
            if std::mem::replace(seen.get_mut(ord as usize)?, true) {
                return None;
            }
            runs.push((start..start + len, ord));
        }
        start += len;
    }
    Some(runs.into_boxed_slice())
}

/// The columns of every segment a searcher reads.
pub(crate) struct Columns(Vec<SegmentColumns>);

impl Columns {
    /// The columns of the segment `reader` reads. Looked up by segment id, not by position:
    /// two searchers may hold the same segments in another order.
    pub(crate) fn of(&self, reader: &SegmentReader) -> &SegmentColumns {
        let id = reader.segment_id();
        self.0
            .iter()
            .find(|c| c.id == id)
            .expect("the columns of every segment of the searcher they were opened for")
    }

    /// How the passages of `reader` tell their language, for a query kept to one language;
    /// `None` for a segment without a language column (an older schema), where no passage is
    /// in any language and such a query matches nothing.
    pub(crate) fn langs(&self, reader: &SegmentReader) -> Option<PerPassage> {
        let langs = self.of(reader).per_passage();
        langs.has_lang().then_some(langs)
    }
}

impl Engine {
    /// The columns of every segment `searcher` reads, opened the first time its set of
    /// segments is searched.
    pub(crate) fn columns(&self, searcher: &Searcher) -> Result<Arc<Columns>> {
        static OPEN: BySegments<Arc<Columns>> = BySegments::new(2);
        OPEN.get_or_make(searcher, || {
            let segments = searcher
                .segment_readers()
                .iter()
                .map(|r| SegmentColumns::open(self, r))
                .collect::<Result<_>>()?;
            Ok(Arc::new(Columns(segments)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl PerPassage {
        fn is_decoded(&self) -> bool {
            self.decoded.is_some()
        }
    }

    /// Every passage's language and document, read through `p`.
    fn read_all(p: &mut PerPassage, max_doc: DocId) -> Vec<(u64, Option<u64>)> {
        (0..max_doc).map(|d| (p.lang(d), p.doc_ord(d))).collect()
    }

    #[test]
    fn a_documents_passages_are_one_run_or_there_are_no_runs() {
        let runs = runs_of(&[0, 0, 2, NO_DOC, 1, 1, 1], 4).unwrap();
        assert_eq!(&*runs, &[(0..2, 0), (2..3, 2), (4..7, 1)]);
        // Document 0 again after another: no runs (counted per passage instead).
        assert!(runs_of(&[0, 1, 0], 2).is_none());
        // An ordinal past the column's names: no runs.
        assert!(runs_of(&[0, 5], 2).is_none());
    }

    /// A passage's run is found by where it sits, a passage without a document in none.
    #[test]
    fn each_passage_finds_its_documents_run() {
        let ords = [0, 0, 2, NO_DOC, 1, 1, 1, 3];
        let p = PerPassage {
            decoded: Some(Arc::new(Decoded {
                lang: None,
                doc: Some(ords.into()),
                runs: runs_of(&ords, 4),
            })),
            lang: None,
            doc: None,
            lookups: 0,
            counter: Arc::default(),
        };
        let found: Vec<_> = (0..9).map(|d| p.doc_run(d, &mut 0)).collect();
        let mut at = 0;
        let in_order: Vec<_> = (0..9).map(|d| p.doc_run(d, &mut at)).collect();
        assert_eq!(in_order, found);
        // Asked out of order, from a place past the passage: found all the same.
        assert_eq!(p.doc_run(1, &mut at), Some((0, 0..2)));
        assert_eq!(p.doc_run(5, &mut 3), Some((1, 4..7)));
        assert_eq!(
            found,
            [
                Some((0, 0..2)),
                Some((0, 0..2)),
                Some((2, 2..3)),
                None,
                Some((1, 4..7)),
                Some((1, 4..7)),
                Some((1, 4..7)),
                Some((3, 7..8)),
                None,
            ]
        );
    }

    /// The matches per document counted a passage at a time (from the columns, before they
    /// are decoded) and a run at a time (after) are the same.
    #[test]
    fn counts_per_document_are_the_same_by_runs() {
        use crate::search::group::DocCounts;
        let (engine, dir) = crate::testing::seed_engine("runs");
        let searcher = engine.searcher();
        let columns = engine.columns(&searcher).unwrap();
        let field = engine.fields.text_exact;
        let term = tantivy::Term::from_field_text(field, "perdagangan");
        let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
        let count = |collector: DocCounts| searcher.search(&query, &collector).unwrap().into_map();
        let collector = || DocCounts {
            columns: Arc::clone(&columns),
        };
        let by_passage = count(collector());
        for reader in searcher.segment_readers() {
            let segment = columns.of(reader);
            assert!(!segment.per_passage().is_decoded());
            read_all(&mut segment.per_passage(), reader.max_doc());
            assert!(segment.per_passage().is_decoded());
        }
        let by_run = count(collector());
        assert_eq!(by_run, by_passage);
        assert!(by_passage.len() > 1, "{by_passage:?}");
        assert!(by_passage.values().any(|&n| n > 1), "{by_passage:?}");
        drop(engine);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn decoding_waits_for_a_segments_worth_of_lookups_and_reads_the_same_values() {
        let (engine, dir) = crate::testing::seed_engine("columns");
        let searcher = engine.searcher();
        let columns = engine.columns(&searcher).unwrap();
        for reader in searcher.segment_readers() {
            let segment = columns.of(reader);
            let max_doc = reader.max_doc();
            // Fewer lookups than passages: still read from the columns.
            let mut first = segment.per_passage();
            assert!(!first.is_decoded());
            let from_columns = read_all(&mut first, max_doc);
            let mut again = segment.per_passage();
            assert!(
                !again.is_decoded(),
                "decoded before the first reader was done"
            );
            drop(first);
            // The first reader's lookups (one per passage) are now counted: decoded.
            let mut decoded = segment.per_passage();
            assert!(decoded.is_decoded());
            assert_eq!(read_all(&mut decoded, max_doc), from_columns);
            assert_eq!(read_all(&mut again, max_doc), from_columns);
            // The seed corpus has passages in both languages and in several documents.
            let langs: std::collections::BTreeSet<u64> = from_columns.iter().map(|v| v.0).collect();
            assert!(langs.contains(&1) && langs.contains(&2), "{langs:?}");
            assert!(from_columns.iter().any(|v| v.1 != from_columns[0].1));
            assert!(from_columns.iter().all(|v| v.1.is_some()));
            // Each passage's run is every passage of its document, and only those.
            for d in 0..max_doc {
                let (ord, run) = decoded.doc_run(d, &mut 0).expect("one run per document");
                assert_eq!(Some(u64::from(ord)), from_columns[d as usize].1);
                assert!(run.contains(&d));
                let same = |p: DocId| from_columns[p as usize].1 == from_columns[d as usize].1;
                assert!(run.clone().all(same));
                assert!((0..max_doc).filter(|p| !run.contains(p)).all(|p| !same(p)));
            }
        }
        drop(engine);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
