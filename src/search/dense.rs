//! Search by meaning: when the index carries sentence embeddings (`index --embed`), a query of
//! plain words is also embedded and the passages nearest it join the ranking by reciprocal-rank
//! fusion, so a passage that says the same thing in other words, or in the other language,
//! can rank though it shares no word with the query.
//!
//! Why fusion by rank and not by score: BM25 scores and cosines live on scales that do not
//! compare, and the rank of each list is what both agree on. Why only for plain words: a
//! phrase, a `+required` or `-excluded` word, or a prefix is a demand on the words
//! themselves, which a nearest neighbour cannot honour. Filters (`lang:`, `doc:`, `kind:`) do
//! hold for the neighbours too.

use std::collections::{HashMap, HashSet};

use tantivy::collector::DocSetCollector;
use tantivy::{DocAddress, Searcher};

use super::builder::Builder;
use super::memo::BySegments;
use super::query::{Atom, Occur, ParsedQuery};
use crate::error::Result;
use crate::index::Engine;
use crate::text::embed::Embedder;

/// Neighbours taken into the fusion: as many as BM25's candidates.
const NEIGHBOURS: usize = super::rerank::POOL;
/// The reciprocal-rank constant: 60, as in the paper that introduced the fusion (Cormack et
/// al., 2009); larger flattens the difference between the first ranks.
const RRF_K: f32 = 60.0;
/// How much a neighbour's rank weighs against a word match's rank, unless a request says
/// (`--dense-weight`). On the development set (README, "Across languages";
/// `scripts/across_languages.sh dense` scores this weight and 1) no weight beats words alone
/// overall: equal weight costs 0.08 nDCG@10 (names, keywords and bibliography entries the
/// words found are pushed down by passages merely on the subject), a fifth 0.05 while
/// cross-lingual queries gain 0.02. A fifth nudges; it is why the layer is opt-in.
pub const W_DENSE: f32 = 0.2;

/// Candidates as ranking passes them on: score, address, formulaic.
type Ranked = Vec<(f32, DocAddress, bool)>;

/// The query's words when it is plain words only (what may be searched by meaning).
fn plain_words(q: &ParsedQuery) -> Option<String> {
    let mut words = Vec::new();
    for c in &q.clauses {
        match (&c.atom, c.occur) {
            (Atom::Word(w), Occur::Should) => words.push(w.as_str()),
            _ => return None,
        }
    }
    (!words.is_empty()).then(|| words.join(" "))
}

/// Ranked lists merged by reciprocal rank: each candidate's score is the sum over the lists it
/// is in of `weight / (RRF_K + rank)`, the words' weight 1 and the neighbours' `weight`; the
/// formulaic mark of a word-matched candidate stays.
pub fn fuse(
    words: &[(f32, DocAddress, bool)],
    neighbours: &[(f32, DocAddress)],
    weight: f32,
) -> Ranked {
    let mut fused: HashMap<DocAddress, (f32, bool)> = HashMap::new();
    for (rank, &(_, addr, formulaic)) in words.iter().enumerate() {
        fused.insert(addr, (1.0 / (RRF_K + rank as f32 + 1.0), formulaic));
    }
    for (rank, &(_, addr)) in neighbours.iter().enumerate() {
        fused.entry(addr).or_insert((0.0, false)).0 += weight / (RRF_K + rank as f32 + 1.0);
    }
    let mut out: Ranked = fused.into_iter().map(|(a, (s, f))| (s, a, f)).collect();
    out.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.segment_ord.cmp(&b.1.segment_ord))
            .then(a.1.doc_id.cmp(&b.1.doc_id))
    });
    out
}

impl Engine {
    /// `top` (ranked by words) fused with the passages nearest the query's meaning, when the
    /// index has embeddings and the query is plain words; a note when the index has them but
    /// the engine to embed the query is not installed.
    pub(super) fn with_neighbours(
        &self,
        searcher: &Searcher,
        b: &mut Builder,
        (parsed, weight): (&ParsedQuery, f32),
        top: Ranked,
    ) -> Result<(Ranked, Option<String>)> {
        let Some(words) = plain_words(parsed) else {
            return Ok((top, None));
        };
        if !self.embedded(searcher) {
            return Ok((top, None));
        }
        let embedder = match Embedder::configured() {
            Some(Ok(e)) => e,
            _ => {
                let note = "this index holds sentence embeddings, but the engine to embed the \
                            query is not installed (see the README on PUSTAKA_E5): searched by \
                            words only";
                return Ok((top, Some(note.to_string())));
            }
        };
        let q = embedder.query(&words).map_err(crate::Error::Internal)?;
        let allowed: Option<HashSet<DocAddress>> = match b.filters_only(parsed)? {
            Some(f) => Some(searcher.search(&f, &DocSetCollector)?),
            None => None,
        };
        let keep = |a: DocAddress| allowed.as_ref().is_none_or(|s| s.contains(&a));
        let neighbours = self.nearest(searcher, &q, NEIGHBOURS, &keep)?;
        Ok((fuse(&top, &neighbours, weight), None))
    }

    /// Whether the index carries embeddings ([`Engine::has_embeddings`]), asked once per set
    /// of segments ([`super::memo`]): the answer is the manifest's, which is read from disk
    /// and parsed whole, a tenth of a search's CPU once the rest was cheap (issue 18); and it
    /// changes only with the segments (`index --embed` rebuilds, an update keeps it). An index
    /// without segments is asked every time: all empty indexes share that key.
    fn embedded(&self, searcher: &Searcher) -> bool {
        /// Sets of segments whose answer is kept, as for formulaic passages.
        static EMBEDDED: BySegments<bool> = BySegments::new(4);
        if searcher.segment_readers().is_empty() {
            return self.has_embeddings();
        }
        EMBEDDED.get_or_insert_with(searcher, || self.has_embeddings())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(doc: u32) -> DocAddress {
        DocAddress::new(0, doc)
    }

    #[test]
    fn a_passage_high_in_both_lists_leads_and_one_in_either_joins() {
        let words = vec![(9.0, at(1), false), (8.0, at(2), true), (7.0, at(3), false)];
        let neighbours = vec![(0.9, at(2)), (0.8, at(4))];
        let fused = fuse(&words, &neighbours, W_DENSE);
        let order: Vec<u32> = fused.iter().map(|x| x.1.doc_id).collect();
        // 2 is in both lists; 4 is a neighbour only, weighing a fifth of a word match.
        assert_eq!(order, vec![2, 1, 3, 4]);
        // The formulaic mark of a word match is kept; a neighbour alone is not formulaic.
        assert!(fused[0].2);
        assert!(!fused[3].2);
        // At equal weight the second neighbour outranks the third word match.
        let equal: Vec<u32> = fuse(&words, &neighbours, 1.0)
            .iter()
            .map(|x| x.1.doc_id)
            .collect();
        assert_eq!(equal, vec![2, 1, 4, 3]);
    }
}
