//! A query kept to the passages of one language, told by the `lang_code` column rather than by
//! intersecting with the posting list of a `lang` term.
//!
//! Why: a translation is looked for only in passages of its own language (an English word in
//! an Indonesian passage is not the passage's meaning). As an intersection with the `lang`
//! term, each of the translation's passages cost a seek in a posting list that holds most of
//! the index (94,581 of corpus-large's 113,218 passages are Indonesian), decoding a block of it
//! at nearly every step; aligning and seeking those lists was about a twentieth of a search
//! with translations (perf, issue 18). Reading the passage's language from its column (opened
//! once per set of segments, [`super::columns`]) is a lookup: a fiftieth. The scores are the inner query's, as
//! they were (the filter scored 0).

use std::sync::Arc;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use super::columns::{Columns, PerPassage};

/// `query`, matching only passages whose `lang_code` is `code`.
pub(crate) struct InLanguage {
    query: Box<dyn Query>,
    code: u64,
    columns: Arc<Columns>,
}

impl InLanguage {
    /// `columns` must be those of the searcher the query runs with.
    pub(crate) fn new(query: Box<dyn Query>, code: u64, columns: Arc<Columns>) -> InLanguage {
        InLanguage {
            query,
            code,
            columns,
        }
    }
}

impl std::fmt::Debug for InLanguage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InLanguage")
            .field("query", &self.query)
            .field("code", &self.code)
            .finish()
    }
}

impl Clone for InLanguage {
    fn clone(&self) -> Self {
        InLanguage {
            query: self.query.box_clone(),
            code: self.code,
            columns: Arc::clone(&self.columns),
        }
    }
}

impl Query for InLanguage {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(LangWeight {
            weight: self.query.weight(scoring)?,
            code: self.code,
            columns: Arc::clone(&self.columns),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

struct LangWeight {
    weight: Box<dyn Weight>,
    code: u64,
    columns: Arc<Columns>,
}

impl Weight for LangWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let Some(lang) = self.columns.langs(reader) else {
            return Ok(Box::new(tantivy::query::EmptyScorer));
        };
        let mut scorer = LangScorer {
            inner: self.weight.scorer(reader, boost)?,
            lang,
            code: self.code,
        };
        scorer.settle();
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let lang = self.columns.of(reader).lang(doc);
        if lang != self.code {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match: its language is {lang}, not {}",
                self.code
            )));
        }
        self.weight.explain(reader, doc)
    }
}

struct LangScorer {
    inner: Box<dyn Scorer>,
    lang: PerPassage,
    code: u64,
}

impl LangScorer {
    /// Moves on from the inner scorer's current passage to the first in the language.
    fn settle(&mut self) -> DocId {
        let mut doc = self.inner.doc();
        while doc != TERMINATED && self.lang.lang(doc) != self.code {
            doc = self.inner.advance();
        }
        doc
    }
}

impl DocSet for LangScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance();
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target);
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for LangScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::Engine;
    use crate::testing::seed_engine;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::IndexRecordOption;

    /// What a translation was before: the query intersected with the language's term, which
    /// scores nothing.
    fn intersected(engine: &Engine, q: Box<dyn Query>, lang: &str) -> BooleanQuery {
        let term = Term::from_field_text(engine.fields.lang, lang);
        let filter = TermQuery::new(term, IndexRecordOption::Basic);
        BooleanQuery::new(vec![
            (Occur::Must, q),
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(filter), 0.0)),
            ),
        ])
    }

    #[test]
    fn the_column_keeps_the_same_passages_with_the_same_scores_as_the_language_term() {
        let (engine, dir) = seed_engine("in-lang");
        let searcher = engine.searcher();
        let columns = engine.columns(&searcher).unwrap();
        let f = &engine.fields;
        let term = |field, text: &str| Term::from_field_text(field, text);
        let queries: Vec<Box<dyn Query>> = vec![
            Box::new(TermQuery::new(
                term(f.text_exact, "trafficking"),
                IndexRecordOption::WithFreqs,
            )),
            Box::new(TermQuery::new(
                term(f.text_id, "dagang"),
                IndexRecordOption::WithFreqs,
            )),
            Box::new(TermQuery::new(
                term(f.text_en, "secur"),
                IndexRecordOption::WithFreqs,
            )),
            Box::new(PhraseQuery::new(vec![
                term(f.text_exact, "human"),
                term(f.text_exact, "security"),
            ])),
        ];
        let mut narrowed = 0;
        for q in &queries {
            let all = searcher.search(q.as_ref(), &Count).unwrap();
            let mut kept = 0;
            for lang in ["id", "en"] {
                let code = crate::index::schema::lang_code(lang);
                let filtered = InLanguage::new(q.box_clone(), code, Arc::clone(&columns));
                let before = intersected(&engine, q.box_clone(), lang);
                let top = || TopDocs::with_limit(10_000).order_by_score();
                let (got, want) = (
                    searcher.search(&filtered, &(top(), Count)).unwrap(),
                    searcher.search(&before, &(top(), Count)).unwrap(),
                );
                assert_eq!(got, want, "{q:?} in {lang}");
                kept += got.1;
            }
            assert!(kept <= all, "{q:?}");
            narrowed += usize::from(kept > 0 && in_both_languages(&searcher, q.as_ref(), &engine));
        }
        assert!(
            narrowed >= 2,
            "the seed corpus has words in passages of both languages"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    /// Whether `q` matches passages of both languages (so that the filter has work to do).
    fn in_both_languages(searcher: &tantivy::Searcher, q: &dyn Query, engine: &Engine) -> bool {
        ["id", "en"].iter().all(|lang| {
            let q = intersected(engine, q.box_clone(), lang);
            searcher.search(&q, &Count).unwrap() > 0
        })
    }
}
