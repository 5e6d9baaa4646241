//! Breadth over depth: on a corpus of hundreds of documents one of them can hold the ten best
//! passages for a query, and a first page that shows only it hides that other documents discuss
//! the subject too. The passage stays the unit of a hit, but a page shows at most `per_doc`
//! passages of one document before the next-best passages of other documents
//! ([`spread`]); each document's last hit on a page says how many more of its passages match
//! (`more`). `search --docs` ranks documents instead: their best passage and how many match
//! ([`Engine::search_docs`]).
//!
//! Match counts per document come from the first pass over every match ([`DocCounts`] beside
//! the top-k collector), the pass that scores each match anyway, so `more` costs no query of
//! its own.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::columns::{Columns, PerPassage};
use super::memo::BySegment;
use crate::error::Result;
use crate::index::Engine;

/// Passages of one document a page shows before other documents' when a request does not say.
pub const DEFAULT_PER_DOC: usize = 3;

/// The order in which ranked hits are shown when a page shows at most `cap` passages of one
/// document before the others': positions into `docs` (the document of each hit, best first).
/// A document's first `cap` hits keep their rank among the first `cap` of every document; its
/// next `cap` come after all of those, and so on, so nothing is dropped, only deferred. A cap of
/// 0 keeps the ranked order.
///
/// Placed by counting the hits of each round, not by a stable sort on the round: the order is
/// the same, in time linear in the hits (the sort was most of this step, perf).
pub fn spread<S: AsRef<str>>(docs: &[S], cap: usize) -> Vec<usize> {
    if cap == 0 {
        return (0..docs.len()).collect();
    }
    let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
    let rounds: Vec<usize> = docs
        .iter()
        .map(|d| {
            let n = seen.entry(d.as_ref()).or_insert(0);
            *n += 1;
            (*n - 1) / cap
        })
        .collect();
    // Where each round's hits begin in the order.
    let mut next = vec![0; rounds.iter().max().map_or(0, |&r| r + 1)];
    for &r in &rounds {
        if let Some(n) = next.get_mut(r + 1) {
            *n += 1;
        }
    }
    for r in 1..next.len() {
        next[r] += next[r - 1];
    }
    let mut order = vec![0; docs.len()];
    for (i, &r) in rounds.iter().enumerate() {
        order[next[r]] = i;
        next[r] += 1;
    }
    order
}

/// How many matches of each document were not shown on this page or the ones before it, for
/// the last hit of each document on the page (`None` for the other hits): `shown` is the
/// document of every hit up to the end of this page, in shown order; `page` the range of this
/// page in it; `count` the matches of a document.
pub fn more_after(
    shown: &[&str],
    page: std::ops::Range<usize>,
    count: impl Fn(&str) -> usize,
) -> Vec<usize> {
    let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
    for d in shown {
        *seen.entry(d).or_insert(0) += 1;
    }
    let mut out = vec![0; page.len()];
    let mut last: FxHashMap<&str, usize> = FxHashMap::default();
    for (k, i) in page.clone().enumerate() {
        last.insert(shown[i], k);
    }
    for (doc, k) in last {
        out[k] = count(doc).saturating_sub(seen[doc]);
    }
    out
}

/// The names of a segment's documents, by the term ordinal of its `doc` column. The column's
/// dictionary is sorted, so the ordinal of a name is found by binary search.
///
/// Each name shared (`Arc<str>`): a search names its hundred candidates by document
/// ([`Engine::docs_of`]), and a `String` each was 0.8% of its CPU (perf, corpus-large).
pub(crate) type Names = Arc<[Arc<str>]>;

/// The names of the documents in one segment's `doc` column, read once per segment and
/// process ([`super::memo`]): naming one ordinal through the column (`StrColumn::ord_to_str`)
/// decompresses a dictionary block with a new zstd context every time, which was most of a
/// search's CPU when it named its candidates and every document that matched (issue 18). One
/// pass over the dictionary reads each block once.
pub(crate) fn names_of(reader: &SegmentReader, column: &StrColumn) -> Result<Names> {
    /// Segments whose names are kept: many more than an index has.
    static NAMES: BySegment<Names> = BySegment::new(256);
    NAMES.get_or_make(reader.segment_id(), || {
        let mut names = Vec::with_capacity(column.num_terms());
        let mut terms = column
            .dictionary()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while terms.advance() {
            let name = std::str::from_utf8(terms.key()).map_err(|e| {
                tantivy::TantivyError::InternalError(format!("a document id is not UTF-8: {e}"))
            })?;
            names.push(Arc::from(name));
        }
        Ok(names.into())
    })
}

/// Counts the matches of a query per document, reading the `doc` fast field of each match.
pub(crate) struct DocCounts {
    pub(crate) columns: Arc<Columns>,
}

pub(crate) struct SegmentDocCounts {
    column: Option<StrColumn>,
    per_passage: PerPassage,
    /// Whether `per_passage` gives each passage's one document, told once per segment: the
    /// column's cardinality does not change between matches.
    one_doc_each: bool,
    names: Names,
    /// Matches by term ordinal of `column`.
    counts: Vec<usize>,
    /// The document of the last match, its passages and the matches among them not yet in
    /// `counts`: matches come in passage order and a document's passages are one run
    /// ([`PerPassage::doc_run`]), so most matches are a comparison and an increment of a
    /// local count, where reading the passage's document ordinal and adding to its count in
    /// memory, match after match, was a twelfth of a search (perf, issue 18).
    run: Option<(u32, Range<DocId>, usize)>,
    /// Where the last run was found ([`PerPassage::doc_run`]).
    at: usize,
}

/// Matches per document, as [`DocCounts`] finds them: kept by segment and term ordinal, so
/// that only the documents a page names are looked up by name.
#[derive(Default)]
pub(crate) struct Tally(Vec<(Names, Vec<usize>)>);

impl Tally {
    /// Matches in all.
    pub(crate) fn total(&self) -> usize {
        self.0.iter().flat_map(|(_, c)| c).sum()
    }

    /// Matches in the document `doc`.
    pub(crate) fn of(&self, doc: &str) -> usize {
        self.0
            .iter()
            .filter_map(|(names, counts)| {
                let i = names.binary_search_by(|n| n.as_ref().cmp(doc)).ok()?;
                counts.get(i).copied()
            })
            .sum()
    }

    /// Matches of every document that has one.
    pub(crate) fn into_map(self) -> HashMap<String, usize> {
        let mut all = HashMap::new();
        for (names, counts) in &self.0 {
            for (name, &n) in names.iter().zip(counts).filter(|(_, &n)| n > 0) {
                *all.entry(name.to_string()).or_insert(0) += n;
            }
        }
        all
    }
}

impl Collector for DocCounts {
    type Fruit = Tally;
    type Child = SegmentDocCounts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let segment = self.columns.of(reader);
        let docs = segment.docs();
        let column = docs.map(|(c, _)| c.clone());
        let names = docs.map_or_else(Names::default, |(_, n)| n.clone());
        let per_passage = segment.per_passage();
        Ok(SegmentDocCounts {
            counts: vec![0; names.len()],
            column,
            one_doc_each: per_passage.one_doc_each(),
            per_passage,
            names,
            run: None,
            at: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(Tally(fruits.into_iter().flat_map(|t| t.0).collect()))
    }
}

impl SegmentCollector for SegmentDocCounts {
    type Fruit = Tally;

    /// One match, as the first pass hands them over while it scores them
    /// ([`Engine::first_pass_counting`](crate::index::Engine)): counted in the run of its
    /// document's passages when the columns are decoded and each document is one run
    /// ([`PerPassage::doc_run`]); else its one document read one passage at a time
    /// ([`PerPassage`]; batching column reads for `first_vals` was no faster), or a column of
    /// several values per row (which the schema does not make) through its iterator.
    #[inline]
    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some((_, passages, n)) = &mut self.run {
            if passages.contains(&doc) {
                *n += 1;
                return;
            }
        }
        self.end_run();
        if let Some((ord, passages)) = self.per_passage.doc_run(doc, &mut self.at) {
            self.run = Some((ord, passages, 1));
            return;
        }
        if self.one_doc_each {
            if let Some(n) = self
                .per_passage
                .doc_ord(doc)
                .and_then(|o| self.counts.get_mut(o as usize))
            {
                *n += 1;
            }
            return;
        }
        let Some(column) = &self.column else { return };
        for ord in column.term_ords(doc) {
            if let Some(n) = self.counts.get_mut(ord as usize) {
                *n += 1;
            }
        }
    }

    fn harvest(mut self) -> Self::Fruit {
        self.end_run();
        Tally(vec![(self.names, self.counts)])
    }
}

impl SegmentDocCounts {
    /// Add the matches of the run under way to its document's count.
    fn end_run(&mut self) {
        if let Some((ord, _, n)) = self.run.take() {
            if let Some(count) = self.counts.get_mut(ord as usize) {
                *count += n;
            }
        }
    }
}

/// One document in the answer of `search --docs`.
#[derive(Debug, Clone, Serialize)]
pub struct DocHit {
    /// The document id, as `doc:` takes it.
    pub doc: String,
    /// Its title, as the index holds it.
    pub title: String,
    /// How many of its passages match the query.
    pub matches: usize,
    /// Its best passage for the query, with snippet and score: what the document is ranked by.
    pub best: super::Hit,
}

/// The answer of `search --docs`: documents ranked by their best passage.
#[derive(Debug, Clone, Serialize)]
pub struct DocsResponse {
    /// The query as the request gave it.
    pub query: String,
    /// Documents with at least one matching passage.
    pub total_docs: usize,
    /// Matching passages in all of them.
    pub total: usize,
    /// Time spent in the engine, in milliseconds.
    pub took_ms: f64,
    /// The requested page of documents, best first.
    pub docs: Vec<DocHit>,
    /// As in a passage search: repairs and filters that match nothing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// As in a passage search: words taken for typos.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<super::Correction>,
}

impl Engine {
    /// The document of each of `addrs`, read from the `doc` fast field.
    pub(crate) fn docs_of(
        &self,
        searcher: &Searcher,
        addrs: &[DocAddress],
    ) -> Result<Vec<Arc<str>>> {
        let columns = self.columns(searcher)?;
        Ok(addrs
            .iter()
            .map(|a| {
                let segment = columns.of(searcher.segment_reader(a.segment_ord));
                segment
                    .doc_name(a.doc_id)
                    .cloned()
                    .unwrap_or_else(|| Arc::from(""))
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_gives_way_after_its_cap() {
        let docs = ["a", "a", "a", "a", "b", "a", "c", "b"];
        let order = spread(&docs, 2);
        let shown: Vec<&str> = order.iter().map(|&i| docs[i]).collect();
        assert_eq!(shown, ["a", "a", "b", "c", "b", "a", "a", "a"]);
        assert_eq!(order, [0, 1, 4, 6, 7, 2, 3, 5]);
    }

    /// The placing by counts gives the order a stable sort on each hit's round gives.
    #[test]
    fn the_order_is_a_stable_sort_by_round() {
        let names = ["a", "b", "c", "d", "e"];
        let mut x = 7u64;
        for len in [0, 1, 2, 9, 40, 300] {
            let docs: Vec<&str> = (0..len)
                .map(|_| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    // Skewed: most hits from the first documents, as a ranked list often is.
                    names[(((x >> 33) % 15) + 1).ilog2() as usize % names.len()]
                })
                .collect();
            for cap in [1, 2, 3, 7] {
                let mut seen: HashMap<&str, usize> = HashMap::new();
                let rounds: Vec<usize> = docs
                    .iter()
                    .map(|d| {
                        let n = seen.entry(d).or_insert(0);
                        *n += 1;
                        (*n - 1) / cap
                    })
                    .collect();
                let mut expected: Vec<usize> = (0..docs.len()).collect();
                expected.sort_by_key(|&i| rounds[i]);
                assert_eq!(spread(&docs, cap), expected, "{docs:?} cap {cap}");
            }
        }
    }

    #[test]
    fn no_cap_keeps_the_rank_order() {
        let docs = ["a", "a", "b"];
        assert_eq!(spread(&docs, 0), [0, 1, 2]);
        assert_eq!(spread(&docs, 5), [0, 1, 2]);
    }

    #[test]
    fn more_is_said_once_per_document_on_its_last_hit() {
        let counts: HashMap<String, usize> = [("a".to_string(), 7), ("b".to_string(), 2)].into();
        // Page 2 of 2 hits: a b | a b.
        let count = |d: &str| counts.get(d).copied().unwrap_or(0);
        let shown = ["a", "b", "a", "b"];
        assert_eq!(more_after(&shown, 2..4, count), [5, 0]);
        assert_eq!(more_after(&shown[..2], 0..2, count), [6, 1]);
    }
}
