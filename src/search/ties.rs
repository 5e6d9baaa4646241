//! The first pass of a search: the best matches by BM25, equal scores in document-id and
//! passage order.
//!
//! Why: tantivy breaks ties by where a document sits in the index (segment, then document
//! number), so which of several equally scored passages make the candidate pool, and their order
//! after it, depended on how the index was built: one index and the same documents in splits
//! (issue 19) ranked the same query differently once a tie fell at the pool's cut (a court
//! decision's passages score alike). Ordering ties by the passage's own name makes the answer a
//! function of the documents alone.

use tantivy::collector::{Collector, Count, SegmentCollector};
use tantivy::query::{Bm25StatisticsProvider, Query};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::cancel::{Cancel, Stopping};
use super::group::{DocCounts, Tally};
use crate::error::Result;
use crate::index::Engine;

/// What the first pass finds: the best matches, and how many match in all and per document.
pub(super) struct FirstPass {
    pub(super) top: Vec<(f32, DocAddress)>,
    pub(super) total: usize,
    pub(super) counts: Option<Tally>,
}

/// The most matches kept to hold a tie at the cut whole: past it (a filter alone scores
/// thousands of passages alike) the pool is still in passage order, but which tied passages it
/// holds may depend on the index's layout (the earliest in the index are kept).
const MAX_COLLECTED: usize = 16_384;

impl Engine {
    /// The query's best `want` matches, equal scores in (document id, passage number) order,
    /// counting every match in the same pass: in all, and per
    /// document when `per_doc`. The query's union scores every match it visits anyway (its
    /// clauses are not a flat union of terms, so tantivy cannot skip blocks), so counting
    /// there costs a column read per match, where a pass of its own walked every posting list
    /// again (a tenth of a search).
    pub(super) fn first_pass_counting(
        &self,
        searcher: &Searcher,
        (q, stats): (&dyn Query, &dyn Bm25StatisticsProvider),
        want: usize,
        per_doc: bool,
        cancel: &Cancel,
    ) -> Result<FirstPass> {
        let best = TiedTop::new(want);
        let (top, total, counts) = if per_doc {
            let columns = self.columns(searcher)?;
            let pass = Stopping::new((best, DocCounts { columns }), cancel);
            let (top, counts) = searcher.search_with_statistics_provider(q, &pass, stats)?;
            (top, counts.total(), Some(counts))
        } else {
            let pass = Stopping::new((best, Count), cancel);
            let (top, total) = searcher.search_with_statistics_provider(q, &pass, stats)?;
            (top, total, None)
        };
        let top = self.in_name_order(searcher, top, want)?;
        Ok(FirstPass { top, total, counts })
    }

    /// The first pass over matches scored without a query (`check` counts the fingerprints
    /// a passage shares): the best `want`, equal scores in name order.
    pub(super) fn best_of(
        &self,
        searcher: &Searcher,
        matches: Vec<(f32, DocAddress)>,
        want: usize,
    ) -> Result<Vec<(f32, DocAddress)>> {
        let top = TiedTop::new(want);
        let mut kept = Kept::new(top.want, top.cap);
        kept.matches = matches;
        self.in_name_order(searcher, kept.into_sorted(), want)
    }

    /// The best `want` of `top` (every match scoring as the `want`-th does or better, best
    /// first), with ties in name order.
    fn in_name_order(
        &self,
        searcher: &Searcher,
        mut top: Vec<(f32, DocAddress)>,
        want: usize,
    ) -> Result<Vec<(f32, DocAddress)>> {
        if top.windows(2).any(|w| w[0].0 == w[1].0) {
            self.order_ties(searcher, &mut top)?;
        }
        top.truncate(want);
        Ok(top)
    }

    /// Each run of equal scores in `top` (best first) put in document-id and passage order.
    /// A court's formula passages tie by the dozen (a filter alone, by the thousand), so the
    /// names are compared where the segment's name list holds them (read once per segment and
    /// process), not copied, each run sorted beside its keys.
    fn order_ties(&self, searcher: &Searcher, top: &mut [(f32, DocAddress)]) -> Result<()> {
        let columns = self.columns(searcher)?;
        for run in top.chunk_by_mut(|x, y| x.0 == y.0).filter(|r| r.len() > 1) {
            let mut keyed: Vec<_> = run
                .iter()
                .map(|&(score, a)| {
                    let segment = columns.of(searcher.segment_reader(a.segment_ord));
                    let name = segment.doc_name(a.doc_id).map_or("", |n| n);
                    ((name, segment.ord(a.doc_id)), (score, a))
                })
                .collect();
            keyed.sort_unstable_by(|x, y| x.0.cmp(&y.0));
            for (slot, (_, m)) in run.iter_mut().zip(keyed) {
                *slot = m;
            }
        }
        Ok(())
    }
}

/// Every match scoring at least as the `want`-th best does, best first (equal scores in index
/// order), at most [`MAX_COLLECTED`] of them (or `want`, when more).
///
/// Why not tantivy's top-k: it keeps exactly k matches, so a tie running across the cut was
/// seen only by collecting more and searching again (k × 4, up to 16,384): a court's formula
/// (`keadaan yang meringankan`, `"barang bukti"`) scores hundreds of passages alike, and its
/// searches ran twice or more, half of their time. Keeping ties at the cut as they come answers
/// in one pass what the searches again found.
pub(super) struct TiedTop {
    want: usize,
    cap: usize,
}

impl TiedTop {
    pub(super) fn new(want: usize) -> TiedTop {
        TiedTop::capped(want, MAX_COLLECTED)
    }

    /// At most `cap` matches kept, or `want` when that is more.
    fn capped(want: usize, cap: usize) -> TiedTop {
        TiedTop {
            want: want.max(1),
            cap: cap.max(want.max(1)),
        }
    }
}

/// One segment's matches at or above its floor, in [`TiedTop`]'s terms.
pub(super) struct SegmentTiedTop {
    segment: SegmentOrdinal,
    kept: Kept<DocId>,
}

/// Matches as (score, doc), culled to those scoring at least as the `want`-th best, and to
/// `cap` of them (best score, then first in the index).
struct Kept<D> {
    matches: Vec<(Score, D)>,
    want: usize,
    cap: usize,
    /// Scores below it are not kept, nor equal to it when the `bool` says so: the cap was
    /// reached with ties at that score, and a later match would come after all of them and be
    /// culled (so the check only spares the buffer from growing again).
    floor: Option<(Score, bool)>,
    /// Size at which the matches are culled next.
    cull_at: usize,
}

impl<D: Ord + Copy> Kept<D> {
    fn new(want: usize, cap: usize) -> Self {
        Kept {
            matches: Vec::new(),
            want,
            cap,
            floor: None,
            cull_at: 2 * want,
        }
    }

    #[inline]
    fn push(&mut self, score: Score, doc: D) {
        if let Some((floor, strict)) = self.floor {
            if score < floor || (strict && score == floor) {
                return;
            }
        }
        self.matches.push((score, doc));
        if self.matches.len() >= self.cull_at {
            self.cull();
            self.cull_at = (2 * self.matches.len()).max(2 * self.want);
        }
    }

    /// Drop what scores below the `want`-th best, then past the cap.
    fn cull(&mut self) {
        if self.matches.len() > self.want {
            let (_, nth, _) = self
                .matches
                .select_nth_unstable_by(self.want - 1, |a, b| b.0.total_cmp(&a.0));
            let floor = nth.0;
            self.matches.retain(|m| m.0 >= floor);
            self.floor = Some((floor, false));
        }
        if self.matches.len() > self.cap {
            self.matches.sort_unstable_by(best_first);
            self.matches.truncate(self.cap);
            self.floor = self.matches.last().map(|m| (m.0, true));
        }
    }

    fn into_culled(mut self) -> Vec<(Score, D)> {
        self.cull();
        self.matches
    }

    fn into_sorted(self) -> Vec<(Score, D)> {
        let mut matches = self.into_culled();
        matches.sort_unstable_by(best_first);
        matches
    }
}

/// Higher score first, then the earlier in the index (as tantivy breaks ties).
fn best_first<D: Ord>(a: &(Score, D), b: &(Score, D)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
}

impl Collector for TiedTop {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = SegmentTiedTop;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(SegmentTiedTop {
            segment,
            kept: Kept::new(self.want, self.cap),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    /// A segment keeps what scores at least as its own `want`-th best, which is never above
    /// the index's: every match the whole index keeps is among them.
    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all = Kept::new(self.want, self.cap);
        all.matches = fruits.into_iter().flatten().collect();
        Ok(all.into_sorted())
    }
}

impl SegmentCollector for SegmentTiedTop {
    type Fruit = Vec<(Score, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.kept.push(score, doc);
    }

    fn harvest(self) -> Self::Fruit {
        let segment = self.segment;
        // In no order: the merge sorts what it keeps.
        self.kept
            .into_culled()
            .into_iter()
            .map(|(score, doc)| (score, DocAddress::new(segment, doc)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter, Term};

    /// Passages in three segments, most of them alike (a court's formula) so that they tie,
    /// some longer or repeating the word so that they score above or below the formula.
    fn formula_index() -> (Index, Term) {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for k in 0..600 {
            let body = match k % 7 {
                0 => "barang bukti dirampas untuk negara".to_string(),
                1 => format!("barang bukti barang bukti nomor {k}"),
                2 => format!("keterangan saksi {k} tentang barang yang hilang dan bukti lain"),
                _ => "barang bukti dikembalikan".to_string(),
            };
            writer.add_document(doc!(text => body)).unwrap();
            if k % 250 == 249 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        (index, Term::from_field_text(text, "bukti"))
    }

    #[test]
    fn ties_at_the_cut_are_kept_whole_up_to_the_cap() {
        let (index, term) = formula_index();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        let q = TermQuery::new(term, IndexRecordOption::WithFreqs);
        // Every match in tantivy's order (score, then place in the index).
        let all: Vec<(f32, DocAddress)> = searcher
            .search(&q, &TopDocs::with_limit(10_000).order_by_score())
            .unwrap();
        assert_eq!(all.len(), 600);
        let mut runs = 0;
        for want in [1, 5, 86, 90, 100, 300, 599, 600, 700] {
            for cap in [want, want + 3, 200, 16_384] {
                let got = searcher.search(&q, &TiedTop::capped(want, cap)).unwrap();
                let at_cut = all[want.min(all.len()) - 1].0;
                let whole: Vec<_> = all.iter().copied().filter(|m| m.0 >= at_cut).collect();
                let expected = &whole[..whole.len().min(cap.max(want))];
                assert_eq!(got, expected, "want {want}, cap {cap}");
                runs += usize::from(whole.len() > want);
            }
        }
        // The cases hold ties across the cut, not only clean cuts.
        assert!(runs >= 16, "{runs}");
    }
}
