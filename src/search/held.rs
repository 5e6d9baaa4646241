//! Which indexed fields a segment holds terms of, so that a search never asks a segment about a
//! field it lacks.
//!
//! Why: tantivy answers the first question about a field a segment lacks
//! (`SegmentReader::inverted_index`) with an empty term dictionary that it builds once per
//! process, through an FST builder that allocates and fills a registry of 20,000 cells: about
//! 0.6 ms, an eighth of a one-shot `pustaka search` (perf, corpus-large, whose PLOS segment has
//! no `parent_title`), to learn that there is no term. Every query word is looked up in the
//! fields of a passage's context (section title, parent title, chapter, title), and a corpus
//! without numbered sections has no parent titles, so nearly every process paid it. Asking
//! the segment's field table first costs microseconds, once per segment and process.

use std::sync::Arc;

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::Field;
use tantivy::{DocId, Score, SegmentReader, Term};

use super::memo::BySegment;

/// Whether the segment `reader` reads holds any term of `field`.
pub(crate) fn holds(reader: &SegmentReader, field: Field) -> bool {
    /// The indexed fields with terms, by segment: many more segments than an index has.
    static HELD: BySegment<Arc<[Field]>> = BySegment::new(256);
    let held = HELD.get_or_make(reader.segment_id(), || -> tantivy::Result<_> {
        let schema = reader.schema();
        Ok(reader
            .fields_metadata()?
            .iter()
            .filter(|m| m.term_dictionary_size.is_some_and(|b| b.get_bytes() > 0))
            .filter_map(|m| schema.get_field(&m.field_name).ok())
            .collect())
    });
    // Unknown, ask tantivy: slower, never wrong.
    held.map_or(true, |fields| fields.contains(&field))
}

/// A query on one field that finds nothing in segments without that field, without asking
/// them ([`holds`]).
#[derive(Debug)]
pub(crate) struct WhereHeld {
    field: Field,
    query: Box<dyn Query>,
}

impl WhereHeld {
    pub(crate) fn new(field: Field, query: Box<dyn Query>) -> WhereHeld {
        WhereHeld { field, query }
    }
}

impl Clone for WhereHeld {
    fn clone(&self) -> Self {
        WhereHeld {
            field: self.field,
            query: self.query.box_clone(),
        }
    }
}

impl Query for WhereHeld {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(HeldWeight {
            field: self.field,
            weight: self.query.weight(scoring)?,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

struct HeldWeight {
    field: Field,
    weight: Box<dyn Weight>,
}

impl Weight for HeldWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        if holds(reader, self.field) {
            self.weight.scorer(reader, boost)
        } else {
            Ok(Box::new(EmptyScorer))
        }
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if holds(reader, self.field) {
            self.weight.explain(reader, doc)
        } else {
            Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match: its segment has no such field"
            )))
        }
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        if holds(reader, self.field) {
            self.weight.count(reader)
        } else {
            Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::looked::Looked;
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, Schema, STRING, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    /// Two segments: theses with chapters, then articles without (as a PLOS segment has no
    /// parent titles).
    fn two_segments() -> (Index, Field, Field) {
        let mut schema = Schema::builder();
        let title = schema.add_text_field("title", TEXT);
        let chapter = schema.add_text_field("chapter", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer
            .add_document(
                doc!(title => "Kebijakan luar negeri feminis Meksiko", chapter => "BAB II"),
            )
            .unwrap();
        writer
            .add_document(doc!(title => "Perdagangan manusia di Meksiko", chapter => "BAB III"))
            .unwrap();
        writer.commit().unwrap();
        writer
            .add_document(doc!(title => "Malaria parasite gene expression"))
            .unwrap();
        writer.commit().unwrap();
        (index, title, chapter)
    }

    #[test]
    fn a_segment_without_the_field_is_not_asked_and_counts_stay_tantivys() {
        let (index, title, chapter) = two_segments();
        let searcher = index.reader().unwrap().searcher();
        let segments = searcher.segment_readers();
        assert_eq!(segments.len(), 2);
        let with: Vec<bool> = segments.iter().map(|r| holds(r, chapter)).collect();
        let first_has_chapters = segments[0].num_docs() == 2;
        assert_eq!(with, [first_has_chapters, !first_has_chapters]);
        assert!(segments.iter().all(|r| holds(r, title)));
        for term in [
            Term::from_field_text(chapter, "BAB II"),
            Term::from_field_text(chapter, "BAB IX"),
            Term::from_field_text(title, "meksiko"),
            Term::from_field_text(title, "malaria"),
        ] {
            let expected = searcher.doc_freq(&term).unwrap();
            // Asked twice: the second answer is the search's table's.
            let looked = Looked::default();
            for _ in 0..2 {
                assert_eq!(
                    looked.doc_freq(&searcher, &term).unwrap(),
                    expected,
                    "{term:?}"
                );
            }
            let plain = TermQuery::new(term.clone(), IndexRecordOption::Basic);
            let wrapped = WhereHeld::new(term.field(), Box::new(plain.clone()));
            assert_eq!(
                searcher.search(&wrapped, &Count).unwrap(),
                searcher.search(&plain, &Count).unwrap()
            );
            let top = TopDocs::with_limit(5).order_by_score();
            assert_eq!(
                searcher.search(&wrapped, &top).unwrap(),
                searcher.search(&plain, &top).unwrap()
            );
        }
    }
}
