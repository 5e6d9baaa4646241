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

use std::sync::Arc;

use tantivy::columnar::{Column, ColumnValues, StrColumn};
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
        })
    }

    /// The `lang_code` of passage `doc` (0 when unknown).
    pub(crate) fn lang(&self, doc: DocId) -> u64 {
        self.lang.as_ref().map_or(0, |c| c.get_val(doc))
    }

    /// The `lang_code` column itself, for a filter that reads it per passage
    /// ([`super::in_lang`]); `None` when the segment has none.
    pub(crate) fn lang_column(&self) -> Option<Arc<dyn ColumnValues<u64>>> {
        self.lang.clone()
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
    pub(crate) fn doc_name(&self, doc: DocId) -> Option<&str> {
        let names = &self.doc.as_ref()?.1;
        names.get(self.doc_ord(doc)? as usize).map(|n| &**n)
    }
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
