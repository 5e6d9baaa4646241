//! The term dictionary entries one search has looked up, so that it looks each up once.
//!
//! Why: a search asks a segment's term dictionary about the same term several times. Building
//! the query asks each form and translation of a word for its document frequency; choosing a
//! translation's sense reads its postings; the first pass opens the postings of every term it
//! scores; re-ranking and `via` open them again to tell which candidates hold the term. Each of
//! these walked the dictionary's FST down to the same entry: `Fst::get` was 4.7% of a search's
//! samples on corpus-large, 2.9% with this table, whose own lookups (a hash and a lock) are
//! 1.9% (perf, 2026-12-07): a small saving, but a hashed term costs less than the walk and the
//! stages after the first ask it more, the more terms a query has. Kept for one search only: a
//! search made faster by the entries of the searches before it would measure the queries a
//! bench repeats, not the ones a user types.

use std::sync::{Arc, Mutex, PoisonError};

use rustc_hash::FxHashMap;
use tantivy::index::SegmentId;
use tantivy::postings::{SegmentPostings, TermInfo};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, SegmentReader, Term};

use super::held;

/// The term dictionary entries of one search, by term and segment; cloned, it is the same
/// table (the first pass reads it from tantivy's weights, which must be `Send + Sync`).
#[derive(Clone, Default)]
pub(crate) struct Looked(Arc<Mutex<Table>>);

/// Each term's entries, by segment (an index has a few).
type Table = FxHashMap<Term, Vec<(SegmentId, Option<TermInfo>)>>;

impl Looked {
    /// `term`'s entry in the segment `reader` reads, `None` when the segment lacks it.
    pub(crate) fn info(
        &self,
        reader: &SegmentReader,
        term: &Term,
    ) -> tantivy::Result<Option<TermInfo>> {
        let id = reader.segment_id();
        let mut table = self.table();
        let by_segment = match table.get_mut(term) {
            Some(by_segment) => {
                if let Some((_, info)) = by_segment.iter().find(|(s, _)| *s == id) {
                    return Ok(info.clone());
                }
                by_segment
            }
            None => table.entry(term.clone()).or_default(),
        };
        let info = if held::holds(reader, term.field()) {
            reader.inverted_index(term.field())?.get_term_info(term)?
        } else {
            None
        };
        by_segment.push((id, info.clone()));
        Ok(info)
    }

    fn table(&self) -> std::sync::MutexGuard<'_, Table> {
        // A panic elsewhere while the table was held left it whole: entries are only added.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `term`'s postings in the segment `reader` reads, as `InvertedIndexReader::read_postings`
    /// gives them.
    pub(crate) fn postings(
        &self,
        reader: &SegmentReader,
        term: &Term,
        option: IndexRecordOption,
    ) -> tantivy::Result<Option<SegmentPostings>> {
        let Some(info) = self.info(reader, term)? else {
            return Ok(None);
        };
        let index = reader.inverted_index(term.field())?;
        Ok(Some(index.read_postings_from_terminfo(&info, option)?))
    }

    /// Passages holding `term` in all segments of `searcher`, as `Searcher::doc_freq` counts
    /// them (deleted passages included).
    pub(crate) fn doc_freq(&self, searcher: &Searcher, term: &Term) -> tantivy::Result<u64> {
        let mut df = 0;
        for reader in searcher.segment_readers() {
            df += self
                .info(reader, term)?
                .map_or(0, |i| u64::from(i.doc_freq));
        }
        Ok(df)
    }
}

impl std::fmt::Debug for Looked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Looked({} terms)", self.table().len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::postings::Postings;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, DocSet, Index, IndexWriter, TERMINATED};

    /// Each segment's passages and frequencies of `term` read through `postings`.
    fn read(mut p: Option<SegmentPostings>) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        while let Some(p) = p.as_mut().filter(|p| p.doc() != TERMINATED) {
            out.push((p.doc(), p.term_freq()));
            p.advance();
        }
        out
    }

    /// Entries are kept by segment: the same term in two segments is two entries, each
    /// giving the postings tantivy gives, asked once or again; a term a segment lacks is none.
    #[test]
    fn entries_are_the_segments_own_asked_once_or_again() {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for batch in [
            &["korban luka berat", "saksi korban", "luka"][..],
            &["saksi", "korban korban korban"][..],
        ] {
            for t in batch {
                writer.add_document(doc!(text => *t)).unwrap();
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let looked = Looked::default();
        for word in ["korban", "luka", "berat", "tiada"] {
            let term = Term::from_field_text(text, word);
            for reader in searcher.segment_readers() {
                let tantivy = reader.inverted_index(text).unwrap();
                let want = read(
                    tantivy
                        .read_postings(&term, IndexRecordOption::WithFreqs)
                        .unwrap(),
                );
                for _ in 0..2 {
                    let got = looked.postings(reader, &term, IndexRecordOption::WithFreqs);
                    assert_eq!(read(got.unwrap()), want, "{word}");
                }
            }
            let df = looked.doc_freq(&searcher, &term).unwrap();
            assert_eq!(df, searcher.doc_freq(&term).unwrap(), "{word}");
        }
        assert_eq!(looked.table().len(), 4);
        assert!(looked
            .table()
            .values()
            .all(|by_segment| by_segment.len() == 2));
    }
}
