//! The second pass of ranking: the top candidates by BM25 get what the query words they contain
//! are worth, weighed by their kind, their language and whether they are a formula the corpus
//! repeats ([`super::rank::score`], [`super::formula`]).

use tantivy::schema::IndexRecordOption;

use tantivy::{DocAddress, DocSet, Searcher, SegmentReader};

use super::builder::WordForms;
use super::formula::FormulaCheck;
use super::looked::Looked;
use super::rank;
use crate::error::Result;
use crate::index::Engine;
use crate::model::Kind;

/// How many candidates are re-ranked by query-word coverage: the window of a passage search.
/// Past it, candidates keep the order of the first pass, so a deeper page never reorders the
/// pages before it (re-ranking 200 candidates for page 2 lifted passages of the first pass's
/// second hundred above those page 1 had shown, and page 2 repeated 12 of page 1's hits).
pub(super) const POOL: usize = 100;

impl Engine {
    /// Add to each candidate what the query words it contains are worth, weigh it by its kind,
    /// language and formula, and sort the first `window` again; each candidate comes back with
    /// whether it is formulaic. Those past the window keep their order (see [`POOL`]), their
    /// scores capped so that scores never rise down the list. Membership is read straight from
    /// the postings of each word's indexed forms, seeking only to the candidates: cheap next to
    /// scoring every match.
    pub(super) fn rerank(
        &self,
        searcher: &Searcher,
        cands: Vec<(f32, DocAddress)>,
        (words, looked): (&[WordForms], &Looked),
        query_lang: Option<u64>,
        window: usize,
    ) -> Result<Vec<(f32, DocAddress, bool)>> {
        let order = by_address(cands.iter().map(|c| c.1));
        let mut ranked: Vec<(f32, DocAddress, bool)> =
            cands.iter().map(|&(s, a)| (s, a, false)).collect();
        let formulas = FormulaCheck::new(self, searcher)?;
        let columns = self.columns(searcher)?;
        for group in order.chunk_by(|&a, &b| cands[a].1.segment_ord == cands[b].1.segment_ord) {
            let reader = searcher.segment_reader(cands[group[0]].1.segment_ord);
            let docs: Vec<u32> = group.iter().map(|&i| cands[i].1.doc_id).collect();
            let segment = columns.of(reader);
            let doc_langs: Vec<u64> = docs.iter().map(|&d| segment.lang(d)).collect();
            let worth = self.worth_found(reader, &docs, &doc_langs, (words, looked))?;
            let norms = reader.get_fieldnorms_reader(self.fields.text_exact)?;
            for (k, &i) in group.iter().enumerate() {
                let doc = docs[k];
                let kind = segment.kind(doc);
                let same_lang = query_lang.is_some_and(|q| doc_langs[k] == q);
                let formulaic = formulas.formulaic(reader, cands[i].1);
                let words = norms.fieldnorm(doc);
                ranked[i].0 = rank::score(cands[i].0, worth[k], kind, same_lang, formulaic)
                    * rank::length_weight(words);
                ranked[i].2 = formulaic;
            }
        }
        let window = window.min(ranked.len());
        ranked[..window].sort_by(|a, b| b.0.total_cmp(&a.0));
        for i in window.max(1)..ranked.len() {
            ranked[i].0 = ranked[i].0.min(ranked[i - 1].0);
        }
        Ok(ranked)
    }

    /// What the query words each of `docs` (ascending, one segment, in the languages `langs`)
    /// contains are worth. Membership is read straight from the postings of each word's
    /// indexed forms, seeking only to the candidates: cheap next to scoring every match.
    fn worth_found(
        &self,
        reader: &SegmentReader,
        docs: &[u32],
        langs: &[u64],
        (words, looked): (&[WordForms], &Looked),
    ) -> Result<Vec<f32>> {
        let mut worth = vec![0f32; docs.len()];
        for w in words {
            let mut share = vec![0f32; docs.len()];
            for term in &w.terms {
                mark((reader, looked), term, docs, &mut share, 1.0)?;
            }
            for (term, lang) in &w.kept {
                let in_lang = |k: usize| langs[k] == *lang;
                mark_where((reader, looked), term, docs, &mut share, 1.0, in_lang)?;
            }
            for (term, lang) in &w.translated {
                let in_lang = |k: usize| langs[k] == *lang;
                mark_where(
                    (reader, looked),
                    term,
                    docs,
                    &mut share,
                    rank::TRANSLATION_SHARE,
                    in_lang,
                )?;
            }
            for (term, at) in &w.context {
                mark(
                    (reader, looked),
                    term,
                    docs,
                    &mut share,
                    rank::context_share(*at),
                )?;
            }
            for (k, s) in share.into_iter().enumerate() {
                worth[k] += s * w.worth;
            }
        }
        Ok(worth)
    }

    /// Move each heading among the first `end` candidates to just below the best-ranked
    /// paragraph beneath it, when one is among them too: a heading holds its section's subject in
    /// few words, so it matches a query about that subject better than any paragraph does,
    /// yet the paragraphs are what a reader came for, and they are found through the heading
    /// anyway ([`rank::Context`]). Which candidate stands beneath a heading is told by their
    /// title keys, a column: nothing is read from the store (reading the candidates to compare
    /// their titles was a tenth of a search on corpus-large). Returns the document of every
    /// candidate, in the new order, which the caller needs again (the cap per document,
    /// `search --docs`).
    pub(super) fn headings_below_their_paragraphs(
        &self,
        searcher: &Searcher,
        top: &mut Vec<(f32, DocAddress, bool)>,
        end: usize,
    ) -> Result<Vec<std::sync::Arc<str>>> {
        let end = end.min(top.len());
        let addrs: Vec<DocAddress> = top.iter().map(|t| t.1).collect();
        let mut docs = self.docs_of(searcher, &addrs)?;
        let columns = self.columns(searcher)?;
        let segment = |a: DocAddress| columns.of(searcher.segment_reader(a.segment_ord));
        let mut moved = std::collections::HashSet::new();
        let mut i = 0;
        while i < end {
            let h = top[i].1;
            if segment(h).kind(h.doc_id) != Kind::Heading || !moved.insert(h) {
                i += 1;
                continue;
            }
            let key = segment(h).title_key(h.doc_id);
            let mut beneath = None;
            for j in (i + 1..end).filter(|&j| docs[j] == docs[i]) {
                let p = top[j].1;
                // Equal keys are taken for equal titles: two titles of one document would
                // have to share a 64-bit hash to move a heading below a passage of another
                // section.
                if segment(p).kind(p.doc_id) != Kind::Heading
                    && key.is_some_and(|k| segment(p).has_title_key(p.doc_id, k))
                {
                    beneath = Some(j);
                    break;
                }
            }
            match beneath {
                Some(j) => {
                    let h = top.remove(i);
                    top.insert(j, (top[j - 1].0, h.1, h.2));
                    let d = docs.remove(i);
                    docs.insert(j, d);
                }
                None => i += 1,
            }
        }
        Ok(docs)
    }
}

/// Raise to `share` the share of each of `docs` (ascending, one segment) that `term` is in,
/// reading its postings and seeking only to those documents.
pub(super) fn mark(
    (reader, looked): (&SegmentReader, &Looked),
    term: &tantivy::Term,
    docs: &[u32],
    share: &mut [f32],
    value: f32,
) -> Result<()> {
    mark_where((reader, looked), term, docs, share, value, |_| true)
}

/// [`mark`] for the `k`th of `docs` only where `keep(k)`: a translation counts in passages of
/// its language alone, and when none of `docs` is in it (English words for candidates that
/// are all Indonesian passages) its postings are not opened at all, sparing a term dictionary
/// lookup and a block of postings per translated form and segment.
pub(super) fn mark_where(
    (reader, looked): (&SegmentReader, &Looked),
    term: &tantivy::Term,
    docs: &[u32],
    share: &mut [f32],
    value: f32,
    keep: impl Fn(usize) -> bool,
) -> Result<()> {
    // A segment without the term's field has no entry for it ([`Looked::info`] asks it first).
    if !(0..docs.len()).any(&keep) {
        return Ok(());
    }
    let Some(mut postings) = looked.postings(reader, term, IndexRecordOption::Basic)? else {
        return Ok(());
    };
    for (k, &doc) in docs.iter().enumerate() {
        if share[k] < value && keep(k) && postings.doc() <= doc && postings.seek(doc) == doc {
            share[k] = value;
        }
    }
    Ok(())
}

/// Positions into `addrs` in the order of the index (segment, then passage), so that each
/// segment's postings are read once, seeking forward. Addresses are distinct, so an unstable
/// sort of them with their positions gives the one order there is. A stable sort of positions
/// by a key looked up through them made the search's sorting 2.7% of its samples on
/// corpus-large, 1.3% after (perf, 2026-12-07; the rest is other sorts).
pub(super) fn by_address(addrs: impl Iterator<Item = DocAddress>) -> Vec<usize> {
    let mut keyed: Vec<(u32, u32, u32)> = addrs
        .enumerate()
        .map(|(i, a)| (a.segment_ord, a.doc_id, i as u32))
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, _, i)| i as usize).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::seed_engine;
    use tantivy::collector::DocSetCollector;
    use tantivy::query::TermQuery;

    /// `mark_where` marks what `mark` marks, among the passages it keeps only, and marks
    /// nothing when it keeps none.
    #[test]
    fn a_kept_mark_is_the_mark_among_the_kept() {
        let (engine, dir) = seed_engine("mark-where");
        let searcher = engine.searcher();
        let term = tantivy::Term::from_field_text(engine.fields.text_exact, "trafficking");
        let query = TermQuery::new(term.clone(), IndexRecordOption::Basic);
        let holding = searcher.search(&query, &DocSetCollector).unwrap();
        assert!(holding.len() > 10, "{}", holding.len());
        let mut checked = 0;
        let looked = Looked::default();
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            // Every third passage of the segment, so that some hold the word and some do not.
            let docs: Vec<u32> = (0..reader.max_doc()).step_by(3).collect();
            let held = |k: usize| holding.contains(&DocAddress::new(ord as u32, docs[k]));
            let mut all = vec![0f32; docs.len()];
            mark((reader, &looked), &term, &docs, &mut all, 0.5).unwrap();
            assert!((0..docs.len()).all(|k| (all[k] == 0.5) == held(k)));
            let even = |k: usize| k.is_multiple_of(2);
            let mut kept = vec![0f32; docs.len()];
            mark_where((reader, &looked), &term, &docs, &mut kept, 0.5, even).unwrap();
            assert!((0..docs.len()).all(|k| kept[k] == if even(k) { all[k] } else { 0.0 }));
            let mut none = vec![0f32; docs.len()];
            mark_where((reader, &looked), &term, &docs, &mut none, 0.5, |_| false).unwrap();
            assert!(none.iter().all(|&m| m == 0.0));
            checked += (0..docs.len()).filter(|&k| even(k) && held(k)).count();
        }
        assert!(checked > 0);
        drop(engine);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
