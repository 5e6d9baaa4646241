//! The first pass of a search: the best matches by BM25, equal scores in document-id and
//! passage order.
//!
//! Why: tantivy breaks ties by where a document sits in the index (segment, then document
//! number), so which of several equally scored passages make the candidate pool, and their order
//! after it, depended on how the index was built: one index and the same documents in splits
//! (issue 19) ranked the same query differently once a tie fell at the pool's cut (a court
//! decision's passages score alike). Ordering ties by the passage's own name makes the answer a
//! function of the documents alone.

use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{Bm25StatisticsProvider, Query};
use tantivy::{DocAddress, Searcher};

use std::collections::HashMap;

use super::group::{DocCounts, Tally};
use crate::error::Result;
use crate::index::Engine;

/// What the first pass finds: the best matches, and how many match in all and per document.
pub(super) struct FirstPass {
    pub(super) top: Vec<(f32, DocAddress)>,
    pub(super) total: usize,
    pub(super) counts: Option<Tally>,
}

/// Matches collected beyond the pool at first: a tie at the cut (a court's formula passages
/// score alike) usually ends within them, which spares a second search.
const MARGIN: usize = 32;
/// The most matches collected to see a tie at the cut to its end: past it (a filter alone
/// scores thousands of passages alike) the pool is still in passage order, but which tied
/// passages it holds may depend on the index's layout.
const MAX_COLLECTED: usize = 16_384;

impl Engine {
    /// The query's best `want` matches, equal scores in (document id, passage number) order.
    /// A few matches more than wanted are collected to see whether a tie runs across the cut
    /// and where it ends; only when it runs past them are more collected. Only tied matches
    /// are named, so a query without ties costs a few more matches.
    pub(super) fn first_pass(
        &self,
        searcher: &Searcher,
        q: &dyn Query,
        stats: &dyn Bm25StatisticsProvider,
        want: usize,
    ) -> Result<Vec<(f32, DocAddress)>> {
        let limit = want + MARGIN;
        let top = searcher.search_with_statistics_provider(q, &best(limit), stats)?;
        self.whole_ties((searcher, q, stats), top, want, limit)
    }

    /// [`Engine::first_pass`], counting every match in the same pass: in all, and per
    /// document when `per_doc`. The query's union scores every match it visits anyway (its
    /// clauses are not a flat union of terms, so tantivy cannot skip blocks), so counting
    /// there costs a column read per match, where a pass of its own walked every posting list
    /// again (a tenth of a search).
    pub(super) fn first_pass_counting(
        &self,
        searcher: &Searcher,
        q: &dyn Query,
        stats: &dyn Bm25StatisticsProvider,
        want: usize,
        per_doc: bool,
    ) -> Result<FirstPass> {
        let limit = want + MARGIN;
        let (top, total, counts) = if per_doc {
            let columns = self.columns(searcher)?;
            let (top, counts) = searcher.search_with_statistics_provider(
                q,
                &(best(limit), DocCounts { columns }),
                stats,
            )?;
            (top, counts.total(), Some(counts))
        } else {
            let (top, total) =
                searcher.search_with_statistics_provider(q, &(best(limit), Count), stats)?;
            (top, total, None)
        };
        let top = self.whole_ties((searcher, q, stats), top, want, limit)?;
        Ok(FirstPass { top, total, counts })
    }

    /// The best `want` of `top` (the best `limit` matches of the query), collecting more first
    /// while a tie at the cut runs past what was collected, and with ties in name order.
    fn whole_ties(
        &self,
        (searcher, q, stats): (&Searcher, &dyn Query, &dyn Bm25StatisticsProvider),
        mut top: Vec<(f32, DocAddress)>,
        want: usize,
        mut limit: usize,
    ) -> Result<Vec<(f32, DocAddress)>> {
        while !whole_tie_at_cut(&top, want, limit) && limit < MAX_COLLECTED {
            limit = (limit * 4).min(MAX_COLLECTED);
            top = searcher.search_with_statistics_provider(q, &best(limit), stats)?;
        }
        if top.windows(2).any(|w| w[0].0 == w[1].0) {
            self.order_ties(searcher, &mut top)?;
        }
        top.truncate(want);
        Ok(top)
    }

    /// Each run of equal scores in `top` (best first) put in document-id and passage order.
    /// A court's formula passages tie by the dozen, so the names are compared where the
    /// segment's name list holds them (read once per segment and process), not copied.
    fn order_ties(&self, searcher: &Searcher, top: &mut [(f32, DocAddress)]) -> Result<()> {
        let columns = self.columns(searcher)?;
        let mut keys: HashMap<DocAddress, (&str, u64)> = HashMap::new();
        for run in top.chunk_by(|x, y| x.0 == y.0).filter(|r| r.len() > 1) {
            for &(_, a) in run {
                let segment = columns.of(searcher.segment_reader(a.segment_ord));
                let name = segment.doc_name(a.doc_id).unwrap_or("");
                keys.insert(a, (name, segment.ord(a.doc_id)));
            }
        }
        let named = |a: &DocAddress| keys[a];
        for run in top.chunk_by_mut(|x, y| x.0 == y.0).filter(|r| r.len() > 1) {
            run.sort_by(|x, y| named(&x.1).cmp(&named(&y.1)));
        }
        Ok(())
    }
}

/// The best `limit` matches by score.
fn best(limit: usize) -> impl Collector<Fruit = Vec<(f32, DocAddress)>> {
    TopDocs::with_limit(limit).order_by_score()
}

/// Whether `top` (at most `limit` matches, best first) holds every match scoring as the
/// `want`-th does: it holds every match there is, or its last scores less than the `want`-th
/// (top-k keeps every match scoring above its last).
fn whole_tie_at_cut(top: &[(f32, DocAddress)], want: usize, limit: usize) -> bool {
    if top.len() < limit || top.len() <= want {
        return true;
    }
    let cut = top[want - 1].0;
    top.last().is_some_and(|&(last, _)| last < cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(scores: &[f32]) -> Vec<(f32, DocAddress)> {
        scores
            .iter()
            .enumerate()
            .map(|(i, &s)| (s, DocAddress::new(0, i as u32)))
            .collect()
    }

    #[test]
    fn a_tie_running_past_what_was_collected_asks_for_more() {
        // Fewer matches than asked: all are there.
        assert!(whole_tie_at_cut(&scored(&[3.0, 2.0]), 2, 4));
        // The tie at the cut (2.0) ends before the last collected (1.0).
        assert!(whole_tie_at_cut(&scored(&[3.0, 2.0, 2.0, 1.0]), 2, 4));
        // The last collected still scores 2.0: more 2.0s may lie beyond.
        assert!(!whole_tie_at_cut(&scored(&[3.0, 2.0, 2.0, 2.0]), 2, 4));
        // No tie at the cut, but the last equals the cut only when it is the cut.
        assert!(whole_tie_at_cut(&scored(&[3.0, 2.0, 1.0, 0.5]), 2, 4));
    }
}
