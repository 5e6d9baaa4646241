//! The union of a query's optional words: every form and translation of every word, scored
//! as the sum of the BM25 of each that a passage holds.
//!
//! Why not tantivy's `BooleanQuery::union`: it scores a union of bare term queries with its
//! term scorers inlined, but one clause of another kind (a translation kept to its language,
//! [`InLanguage`](super::in_lang::InLanguage); a phrase; a section's title) turns every
//! scorer of the union into a boxed one, each posting then costing dynamic calls. A search
//! of three Indonesian words, each translated into English, spent 1.6× the samples of its
//! search without translations in the pass over its matches (`saksi korban luka`, perf),
//! where the translations add 55 of its 23,769 matches. Here each clause's scorer is told
//! apart once per segment: a term scorer stays one, a term scorer kept to a language reads
//! the passage's language before it scores, and only the rest are called through a box.
//!
//! The union works as tantivy's buffered union does (whose constructor tantivy keeps to
//! itself): the matches of a window of 4,096 passages gathered clause by clause into a bit set
//! and an array of scores, then handed on in order, each score summed in clause order as
//! tantivy sums it, so that scores come out the same to the bit.

use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    Bm25Weight, BoostQuery, EmptyScorer, EnableScoring, Explanation, Query, Scorer, TermQuery,
    Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, Term, TERMINATED};

use super::columns::{Columns, PerPassage};
use super::in_lang::InLanguage;
use super::looked::Looked;

/// Passages a window spans.
const HORIZON: u32 = 4096;
/// Words of the window's bit set.
const WORDS: usize = HORIZON as usize / 64;

/// One clause of a [`Union`].
pub(crate) enum Part {
    /// A term scored by BM25 times `boost`, in the passages of one language only when `only`
    /// says which.
    Term {
        term: Term,
        boost: Score,
        only: Option<Only>,
    },
    /// Any other query.
    Query(Box<dyn Query>),
}

/// The language a [`Part::Term`] is kept to, and the columns that tell a passage's.
#[derive(Clone)]
pub(crate) struct Only {
    pub(crate) code: u64,
    pub(crate) columns: Arc<Columns>,
}

impl Part {
    /// A term scored by BM25 times `boost`.
    pub(crate) fn term(term: Term, boost: Score) -> Part {
        Part::Term {
            term,
            boost,
            only: None,
        }
    }

    /// The same part with its score multiplied by `by`.
    pub(crate) fn boosted(&self, by: Score) -> Part {
        match self {
            Part::Term { term, boost, only } => Part::Term {
                term: term.clone(),
                boost: boost * by,
                only: only.clone(),
            },
            Part::Query(q) => Part::Query(Box::new(BoostQuery::new(q.box_clone(), by))),
        }
    }

    /// The part as a query of its own, as tantivy and [`InLanguage`] make it.
    pub(crate) fn to_query(&self) -> Box<dyn Query> {
        match self {
            Part::Term { term, boost, only } => {
                let q: Box<dyn Query> =
                    Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs));
                let q = match only {
                    Some(o) => Box::new(InLanguage::new(q, o.code, Arc::clone(&o.columns))),
                    None => q,
                };
                if *boost == 1.0 {
                    q
                } else {
                    Box::new(BoostQuery::new(q, *boost))
                }
            }
            Part::Query(q) => q.box_clone(),
        }
    }
}

impl Part {
    /// The passages the part matches in each segment of `searcher`, ascending: a term's read
    /// a block of postings at a time (through a scorer, each passage cost dynamic calls), any
    /// other query through its scorer. Unscored; passages deleted but not yet merged away are
    /// in, as a scorer gives them.
    pub(crate) fn matches(
        &self,
        searcher: &Searcher,
        looked: &Looked,
    ) -> tantivy::Result<Vec<Vec<DocId>>> {
        let Part::Term { term, only, .. } = self else {
            let weight = self
                .to_query()
                .weight(EnableScoring::disabled_from_searcher(searcher))?;
            let lists = searcher.segment_readers().iter().map(|reader| {
                let mut scorer = weight.scorer(reader, 1.0)?;
                let mut list = Vec::with_capacity(scorer.size_hint() as usize);
                drive(scorer.as_mut(), &mut |doc, _| list.push(doc), || false);
                Ok(list)
            });
            return lists.collect();
        };
        let lists = searcher.segment_readers().iter().map(|reader| {
            let mut list = Vec::new();
            let Some(info) = looked.info(reader, term)? else {
                return Ok(list);
            };
            let index = reader.inverted_index(term.field())?;
            let mut block =
                index.read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
            let mut langs = match only {
                Some(o) => match o.columns.langs(reader) {
                    Some(l) => Some((l, o.code)),
                    None => return Ok(list),
                },
                None => None,
            };
            list.reserve(info.doc_freq as usize);
            while !block.docs().is_empty() {
                match &mut langs {
                    None => list.extend_from_slice(block.docs()),
                    Some((l, code)) => {
                        list.extend(block.docs().iter().filter(|&&d| l.lang(d) == *code));
                    }
                }
                block.advance();
            }
            Ok(list)
        });
        lists.collect()
    }
}

impl Clone for Part {
    fn clone(&self) -> Self {
        match self {
            Part::Term { term, boost, only } => Part::Term {
                term: term.clone(),
                boost: *boost,
                only: only.clone(),
            },
            Part::Query(q) => Part::Query(q.box_clone()),
        }
    }
}

impl std::fmt::Debug for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Part::Term { term, boost, only } => f
                .debug_struct("Term")
                .field("term", term)
                .field("boost", boost)
                .field("only", &only.as_ref().map(|o| o.code))
                .finish(),
            Part::Query(q) => q.fmt(f),
        }
    }
}

/// Passages matching any of the parts, scored by the sum of the scores of those that match.
#[derive(Debug, Clone)]
pub(crate) struct Union {
    parts: Vec<Part>,
    /// Where its terms' dictionary entries are looked up: the search's own table when it
    /// has one ([`Union::looking_up_in`]).
    looked: Looked,
}

impl Union {
    pub(crate) fn new(parts: Vec<Part>) -> Union {
        Union {
            parts,
            looked: Looked::default(),
        }
    }

    /// The same union, its terms' dictionary entries looked up in `looked`, the search's.
    pub(crate) fn looking_up_in(self, looked: Looked) -> Union {
        Union { looked, ..self }
    }

    /// One query for any of `parts`: the part itself when there is one.
    pub(crate) fn of(mut parts: Vec<Part>) -> Box<dyn Query> {
        if parts.len() == 1 {
            parts.pop().unwrap().to_query()
        } else {
            Box::new(Union::new(parts))
        }
    }
}

impl Query for Union {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let mut weights = Vec::with_capacity(self.parts.len());
        for part in &self.parts {
            weights.push(match (part, &scoring) {
                (
                    Part::Term { term, boost, only },
                    EnableScoring::Enabled {
                        statistics_provider,
                        ..
                    },
                ) => PartWeight::Term {
                    term: term.clone(),
                    bm25: Bm25Weight::for_terms(*statistics_provider, std::slice::from_ref(term))?
                        .boost_by(*boost),
                    only: only.clone(),
                },
                // Unscored (a count), any part is as good as its query.
                _ => PartWeight::Other(part.to_query().weight(scoring)?),
            });
        }
        Ok(Box::new(UnionWeight {
            weights,
            looked: self.looked.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for part in &self.parts {
            match part {
                Part::Term { term, .. } => visitor(term, false),
                Part::Query(q) => q.query_terms(visitor),
            }
        }
    }
}

enum PartWeight {
    Term {
        term: Term,
        bm25: Bm25Weight,
        only: Option<Only>,
    },
    Other(Box<dyn Weight>),
}

impl PartWeight {
    /// The part's scorer in one segment; `None` where nothing matches it.
    fn clause(
        &self,
        reader: &SegmentReader,
        boost: Score,
        looked: &Looked,
    ) -> tantivy::Result<Option<Clause>> {
        let (term, bm25, only) = match self {
            PartWeight::Other(w) => {
                let s = w.scorer(reader, boost)?;
                return Ok((s.doc() != TERMINATED).then_some(Clause::Other(s)));
            }
            PartWeight::Term { term, bm25, only } => (term, bm25, only),
        };
        let Some(postings) = looked.postings(reader, term, IndexRecordOption::WithFreqs)? else {
            return Ok(None);
        };
        let norms = match reader.fieldnorms_readers().get_field(term.field())? {
            Some(norms) => norms,
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        let term = TermPostings {
            postings,
            norms,
            bm25: bm25.boost_by(boost),
        };
        Ok(Some(match only {
            None => Clause::Term(term),
            Some(o) => {
                let Some(langs) = o.columns.langs(reader) else {
                    return Ok(None);
                };
                Clause::TermIn {
                    term,
                    langs,
                    code: o.code,
                }
            }
        }))
    }
}

struct UnionWeight {
    weights: Vec<PartWeight>,
    looked: Looked,
}

impl UnionWeight {
    /// The union's scorer in one segment; `None` where no part matches.
    fn union_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<UnionScorer>> {
        let mut clauses = Vec::with_capacity(self.weights.len());
        for w in &self.weights {
            clauses.extend(w.clause(reader, boost, &self.looked)?);
        }
        clauses.retain(|c| c.doc() != TERMINATED);
        Ok((!clauses.is_empty()).then(|| UnionScorer::new(clauses)))
    }
}

impl Weight for UnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.union_scorer(reader, boost)? {
            Some(union) => Box::new(union),
            None => Box::new(EmptyScorer),
        })
    }

    /// The scored pass over the matches, the union's calls made directly (through the box of
    /// [`Weight::scorer`], each match cost three dynamic calls).
    fn for_each(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        if let Some(mut union) = self.union_scorer(reader, 1.0)? {
            union.drain(callback, || false);
        }
        Ok(())
    }

    /// The sum of the explanations of the parts that match, as the score is their sum.
    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut parts = Vec::new();
        for w in &self.weights {
            let Some(mut clause) = w.clause(reader, 1.0, &self.looked)? else {
                continue;
            };
            if clause.seek(doc) != doc {
                continue;
            }
            parts.push(match (w, &clause) {
                (PartWeight::Other(w), _) => w.explain(reader, doc)?,
                (_, Clause::Term(t) | Clause::TermIn { term: t, .. }) => t.explain(),
                (_, Clause::Other(_)) => unreachable!("a term part makes a term clause"),
            });
        }
        if parts.is_empty() {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let mut out = Explanation::new("sum of", parts.iter().map(Explanation::value).sum());
        for p in parts {
            out.add_detail(p);
        }
        Ok(out)
    }
}

/// A term's postings in one segment, scored as tantivy's term scorer scores them.
struct TermPostings {
    postings: SegmentPostings,
    norms: FieldNormReader,
    bm25: Bm25Weight,
}

impl TermPostings {
    #[inline]
    fn score(&self) -> Score {
        let doc = self.postings.doc();
        self.bm25
            .score(self.norms.fieldnorm_id(doc), self.postings.term_freq())
    }

    fn explain(&self) -> Explanation {
        let doc = self.postings.doc();
        self.bm25
            .explain(self.norms.fieldnorm_id(doc), self.postings.term_freq())
    }
}

/// Hands each match of `scorer` to `callback` until it ends or `stop` says to (asked once a
/// match: a stop that looks at a clock counts matches itself).
#[inline]
pub(crate) fn drive<S: Scorer + ?Sized>(
    scorer: &mut S,
    mut callback: impl FnMut(DocId, Score),
    mut stop: impl FnMut() -> bool,
) {
    let mut doc = scorer.doc();
    while doc != TERMINATED && !stop() {
        callback(doc, scorer.score());
        doc = scorer.advance();
    }
}

/// One part's scorer in a segment, told apart so that the common kinds are called directly.
enum Clause {
    Term(TermPostings),
    /// A term whose passages count only in the language `code`.
    TermIn {
        term: TermPostings,
        langs: PerPassage,
        code: u64,
    },
    Other(Box<dyn Scorer>),
}

impl Clause {
    fn doc(&self) -> DocId {
        match self {
            Clause::Term(t) | Clause::TermIn { term: t, .. } => t.postings.doc(),
            Clause::Other(s) => s.doc(),
        }
    }

    /// Moves to `target` or the first match after it; for a term kept to a language, the
    /// first passage in it.
    fn seek(&mut self, target: DocId) -> DocId {
        match self {
            Clause::Term(t) => t.postings.seek(target),
            Clause::TermIn { term, langs, code } => {
                let mut doc = term.postings.seek(target);
                while doc != TERMINATED && langs.lang(doc) != *code {
                    doc = term.postings.advance();
                }
                doc
            }
            Clause::Other(s) => s.seek(target),
        }
    }

    fn size_hint(&self) -> u32 {
        match self {
            Clause::Term(t) | Clause::TermIn { term: t, .. } => t.postings.size_hint(),
            Clause::Other(s) => s.size_hint(),
        }
    }

    /// Adds the clause's matches in `window` to it and moves the clause past the window.
    fn fill(&mut self, window: &mut Window) {
        let end = window.start + HORIZON;
        match self {
            Clause::Term(t) => {
                let mut doc = t.postings.doc();
                while doc < end {
                    window.add(doc, t.score());
                    doc = t.postings.advance();
                }
            }
            Clause::TermIn { term, langs, code } => {
                let mut doc = term.postings.doc();
                while doc < end {
                    if langs.lang(doc) == *code {
                        window.add(doc, term.score());
                    }
                    doc = term.postings.advance();
                }
            }
            Clause::Other(s) => {
                let mut doc = s.doc();
                while doc < end {
                    window.add(doc, s.score());
                    doc = s.advance();
                }
            }
        }
    }
}

/// The passages of one window that match, and their scores so far.
struct Window {
    start: DocId,
    bits: Box<[u64; WORDS]>,
    scores: Box<[Score; HORIZON as usize]>,
    /// The word of `bits` read next.
    word: usize,
}

impl Window {
    #[inline]
    fn add(&mut self, doc: DocId, score: Score) {
        let at = (doc - self.start) as usize;
        self.bits[at / 64] |= 1 << (at % 64);
        self.scores[at] += score;
    }
}

/// The scorer of [`Union`].
pub(crate) struct UnionScorer {
    clauses: Vec<Clause>,
    window: Window,
    doc: DocId,
    score: Score,
}

impl UnionScorer {
    fn new(clauses: Vec<Clause>) -> UnionScorer {
        let mut union = UnionScorer {
            clauses,
            window: Window {
                start: 0,
                bits: Box::new([0; WORDS]),
                scores: Box::new([0.0; HORIZON as usize]),
                word: WORDS,
            },
            doc: 0,
            score: 0.0,
        };
        union.advance();
        union
    }

    /// Gathers the next window that holds a match, starting at the first passage any clause
    /// is on; `false` when every clause has ended.
    fn refill(&mut self) -> bool {
        loop {
            let Some(start) = self.clauses.iter().map(Clause::doc).min() else {
                return false;
            };
            if start == TERMINATED {
                self.clauses.clear();
                return false;
            }
            self.window.start = start;
            self.window.word = 0;
            for c in &mut self.clauses {
                c.fill(&mut self.window);
            }
            self.clauses.retain(|c| c.doc() != TERMINATED);
            // A window where every passage a clause was on is in another language is empty.
            if self.window.bits.iter().any(|&w| w != 0) {
                return true;
            }
        }
    }

    /// The next match in the window, its bit and score cleared.
    #[inline]
    fn next_in_window(&mut self) -> bool {
        let w = &mut self.window;
        while w.word < WORDS {
            let bits = w.bits[w.word];
            if bits != 0 {
                let at = w.word * 64 + bits.trailing_zeros() as usize;
                w.bits[w.word] = bits & (bits - 1);
                self.doc = w.start + at as DocId;
                self.score = std::mem::take(&mut w.scores[at]);
                return true;
            }
            w.word += 1;
        }
        false
    }

    /// Hands every match from the current one on to `callback`, until they end or `stop` says
    /// to (asked before each), leaving the scorer spent. The same matches and scores as
    /// [`drive`] over [`DocSet::advance`], but a window's bits are read in a loop of their own
    /// with `callback` inlined in it: through `advance`, each match cost a call into the
    /// scorer and one into the callback, a third of the pass's samples (perf, issue 18).
    #[inline]
    pub(crate) fn drain(
        &mut self,
        mut callback: impl FnMut(DocId, Score),
        mut stop: impl FnMut() -> bool,
    ) {
        if self.doc == TERMINATED || stop() {
            return;
        }
        callback(self.doc, self.score);
        loop {
            let w = &mut self.window;
            while w.word < WORDS {
                let mut bits = std::mem::take(&mut w.bits[w.word]);
                while bits != 0 {
                    let at = w.word * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    let score = std::mem::take(&mut w.scores[at]);
                    if stop() {
                        w.bits[w.word] = bits;
                        self.clear_window();
                        self.doc = TERMINATED;
                        return;
                    }
                    callback(w.start + at as DocId, score);
                }
                w.word += 1;
            }
            if !self.refill() {
                self.doc = TERMINATED;
                return;
            }
        }
    }

    /// Empties the rest of the window.
    fn clear_window(&mut self) {
        let w = &mut self.window;
        for word in w.word..WORDS {
            let mut bits = std::mem::take(&mut w.bits[word]);
            while bits != 0 {
                w.scores[word * 64 + bits.trailing_zeros() as usize] = 0.0;
                bits &= bits - 1;
            }
        }
        w.word = WORDS;
    }
}

impl DocSet for UnionScorer {
    fn advance(&mut self) -> DocId {
        loop {
            if self.next_in_window() {
                return self.doc;
            }
            if !self.refill() {
                self.doc = TERMINATED;
                return TERMINATED;
            }
        }
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        if target < self.window.start + HORIZON {
            while self.doc < target {
                self.advance();
            }
            return self.doc;
        }
        self.clear_window();
        for c in &mut self.clauses {
            if c.doc() < target {
                c.seek(target);
            }
        }
        self.advance()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.clauses
            .iter()
            .map(Clause::size_hint)
            .fold(0u32, u32::saturating_add)
    }
}

impl Scorer for UnionScorer {
    fn score(&mut self) -> Score {
        self.score
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::Engine;
    use crate::testing::seed_engine;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, Occur, PhraseQuery};
    use tantivy::{DocAddress, Searcher};

    /// A word's forms as a search asks for them: terms of the three text fields (the roots'
    /// and stems' fields keep no lengths), boosted, one kept to English, one phrase kept to
    /// Indonesian, and a term no segment holds.
    fn parts(engine: &Engine, searcher: &Searcher) -> Vec<Part> {
        let f = &engine.fields;
        let columns = engine.columns(searcher).unwrap();
        let code = |lang| crate::index::schema::lang_code(lang);
        let term = |field, text: &str| Term::from_field_text(field, text);
        let phrase = PhraseQuery::new(vec![
            term(f.text_exact, "perdagangan"),
            term(f.text_exact, "orang"),
        ]);
        vec![
            Part::term(term(f.text_exact, "trafficking"), 1.0),
            Part::term(term(f.text_id, "dagang"), 0.7),
            Part::Term {
                term: term(f.text_en, "secur"),
                boost: 0.5,
                only: Some(Only {
                    code: code("en"),
                    columns: Arc::clone(&columns),
                }),
            },
            Part::term(term(f.text_exact, "migran"), 1.3),
            Part::Query(Box::new(InLanguage::new(
                Box::new(phrase),
                code("id"),
                columns,
            ))),
            Part::term(term(f.text_exact, "zzzunheardof"), 1.0),
        ]
    }

    /// Every match with its score, best first (ties in address order), and the count.
    fn all(searcher: &Searcher, q: &dyn Query) -> (Vec<(Score, DocAddress)>, usize) {
        let top = TopDocs::with_limit(100_000).order_by_score();
        searcher.search(q, &(top, Count)).unwrap()
    }

    #[test]
    fn the_union_finds_and_scores_what_tantivys_union_of_the_parts_does() {
        let (engine, dir) = seed_engine("union-scores");
        let searcher = engine.searcher();
        let parts = parts(&engine, &searcher);
        let theirs = || -> Box<dyn Query> {
            Box::new(BooleanQuery::union(
                parts.iter().map(Part::to_query).collect(),
            ))
        };
        let ours = || -> Box<dyn Query> { Box::new(Union::new(parts.clone())) };
        let (got, want) = (
            all(&searcher, ours().as_ref()),
            all(&searcher, theirs().as_ref()),
        );
        assert!(
            want.1 > 100,
            "the seed corpus holds these words: {}",
            want.1
        );
        assert_eq!(got, want);
        let boosted = |q: Box<dyn Query>| BoostQuery::new(q, 2.0);
        assert_eq!(
            all(&searcher, &boosted(ours())),
            all(&searcher, &boosted(theirs()))
        );

        // Driven by seeks: within a required word's passages, and beside a required word.
        let f = &engine.fields;
        let lang = TermQuery::new(
            Term::from_field_text(f.lang, "id"),
            IndexRecordOption::Basic,
        );
        let perempuan = TermQuery::new(
            Term::from_field_text(f.text_exact, "perempuan"),
            IndexRecordOption::WithFreqs,
        );
        for (other, occur) in [(lang, Occur::Must), (perempuan, Occur::Should)] {
            let with = |union: Box<dyn Query>| {
                let (required, optional) = match occur {
                    Occur::Must => (union, Box::new(other.clone()) as Box<dyn Query>),
                    _ => (Box::new(other.clone()) as Box<dyn Query>, union),
                };
                BooleanQuery::new(vec![(Occur::Must, required), (occur, optional)])
            };
            let (got, want) = (
                all(&searcher, &with(ours())),
                all(&searcher, &with(theirs())),
            );
            assert!(want.1 > 10, "{occur:?}: {}", want.1);
            assert_eq!(got, want, "{occur:?}");
        }

        // Each score explained as the sum of the parts that match.
        let weight = ours()
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .unwrap();
        for (score, addr) in got.0.iter().step_by(37) {
            let reader = searcher.segment_reader(addr.segment_ord);
            let explained = weight.explain(reader, addr.doc_id).unwrap().value();
            assert!((explained - score).abs() < 1e-4, "{explained} vs {score}");
        }
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_part_matches_the_passages_its_query_does() {
        let (engine, dir) = seed_engine("union-matches");
        let searcher = engine.searcher();
        for part in parts(&engine, &searcher) {
            let lists = part.matches(&searcher, &Looked::default()).unwrap();
            let mut got = std::collections::HashSet::new();
            for (segment, list) in lists.iter().enumerate() {
                assert!(list.windows(2).all(|w| w[0] < w[1]), "{part:?}");
                got.extend(list.iter().map(|&d| DocAddress::new(segment as u32, d)));
            }
            let want = searcher
                .search(
                    part.to_query().as_ref(),
                    &tantivy::collector::DocSetCollector,
                )
                .unwrap();
            assert_eq!(got, want, "{part:?}");
        }
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_part_kept_to_a_language_matches_only_passages_in_it() {
        let (engine, dir) = seed_engine("union-kept");
        let searcher = engine.searcher();
        let f = &engine.fields;
        let columns = engine.columns(&searcher).unwrap();
        let trafficking = Term::from_field_text(f.text_exact, "trafficking");
        let kept = |lang| Part::Term {
            term: trafficking.clone(),
            boost: 1.0,
            only: Some(Only {
                code: crate::index::schema::lang_code(lang),
                columns: Arc::clone(&columns),
            }),
        };
        let everywhere = all(
            &searcher,
            &Union::new(vec![Part::term(trafficking.clone(), 1.0)]),
        );
        let (en, id) = (
            all(&searcher, &Union::new(vec![kept("en")])),
            all(&searcher, &Union::new(vec![kept("id")])),
        );
        assert!(
            en.1 > 0 && id.1 > 0,
            "the word is in passages of both: {en:?} {id:?}"
        );
        assert!(en.1 + id.1 <= everywhere.1);
        for (lang, (hits, _)) in [("en", &en), ("id", &id)] {
            for (_, addr) in hits {
                let passage = engine.fetch(&searcher, *addr).unwrap();
                assert_eq!(passage.lang, lang, "{}", passage.id);
            }
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
