//! `check`: a pasted paragraph or a whole draft checked against the corpus. The passages
//! sharing each paragraph's fingerprints are found in one read of the fingerprint column for
//! the whole draft ([`super::holders`]); only those are aligned.

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::{DocAddress, Searcher};

use std::collections::HashMap;

use super::report::{self, Checked, ReportOptions};
use super::{
    align_check, char_span, fraction, Alignment, CheckResponse, Match, DEFAULT_MIN_SIMILARITY,
    MAX_CHECK_BYTES, MAX_SHARED,
};
use crate::error::{Error, Result};
use crate::index::Engine;
use crate::ingest;
use crate::model::Passage;
use crate::search::cancel::Cancel;
use crate::text::fingerprint::{self, Word};

use super::holders::Holders;

/// Passages of the corpus aligned with each checked paragraph: the best-scoring candidates.
const CANDIDATES: usize = 30;

impl Engine {
    /// Check a pasted paragraph or a whole draft: for each of its paragraphs that reuses corpus
    /// text, the passages it reuses, with the matching stretches on both sides, and the report
    /// with the default filters.
    pub fn check(&self, text: &str, min_similarity: f32) -> Result<CheckResponse> {
        let opts = ReportOptions::default();
        self.check_cancellable(text, min_similarity, &opts, &Cancel::never())
    }

    /// [`Engine::check`] with the report's filters `opts`, stopping with [`Error::Cancelled`]
    /// soon after `cancel` is set.
    pub fn check_cancellable(
        &self,
        text: &str,
        min_similarity: f32,
        opts: &ReportOptions,
        cancel: &Cancel,
    ) -> Result<CheckResponse> {
        let started = std::time::Instant::now();
        fraction("min-similarity", min_similarity, DEFAULT_MIN_SIMILARITY)?;
        if text.len() > MAX_CHECK_BYTES {
            return Err(Error::Invalid(format!(
                "the text to check is {} bytes; the limit is {} bytes (check a draft in parts)",
                text.len(),
                MAX_CHECK_BYTES
            )));
        }
        let searcher = self.searcher();
        // The input is read like a corpus document: a paragraph pasted from a PDF extraction
        // (hard-wrapped, hyphenated, with page headers) is one paragraph, as in the index.
        let input: Vec<(Passage, Vec<Word>, Vec<u64>)> = ingest::passages_of_text(text, None)
            .into_iter()
            .map(|p| {
                let words = fingerprint::words(&p.text);
                let fingerprints = checked_fingerprints(&words);
                (p, words, fingerprints)
            })
            .collect();
        let wanted: FxHashSet<u64> = input
            .iter()
            .flat_map(|(_, _, fps)| fps.iter().copied())
            .collect();
        let holders = self.fingerprint_holders(&searcher, &wanted, MAX_SHARED, cancel)?;
        let mut paragraphs = Vec::new();
        let (mut checked, mut reused) = (0, 0);
        for (para, words, fingerprints) in input {
            cancel.check()?;
            let c = Checking {
                para: &para,
                words: &words,
                fingerprints: &fingerprints,
                holders: &holders,
            };
            let found = self.check_paragraph(&searcher, text, &c, min_similarity, cancel)?;
            checked += usize::from(found.is_some());
            let found = found.unwrap_or_default();
            reused += usize::from(!found.is_empty());
            paragraphs.push(self.checked(text, para, found)?);
        }
        let report = report::build(&paragraphs, opts);
        let mut matches: Vec<Match> = paragraphs.into_iter().flat_map(|c| c.matches).collect();
        matches.sort_by(|a, b| {
            a.input_span[0]
                .cmp(&b.input_span[0])
                .then(b.similarity.total_cmp(&a.similarity))
        });
        Ok(CheckResponse {
            matches,
            paragraphs: checked,
            reused,
            report,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }

    /// Paragraph `para` of `input` with its matches and, for each matched document, whether
    /// the paragraph cites it.
    fn checked(&self, input: &str, para: Passage, matches: Vec<Match>) -> Result<Checked> {
        let mut cites = HashMap::new();
        for m in &matches {
            if !cites.contains_key(&m.at.doc) {
                let c = self.cites_document(&para.citations, &m.at.doc)?;
                cites.insert(m.at.doc.clone(), c);
            }
        }
        Ok(Checked {
            span: char_span(input, para.bytes),
            paragraph: para,
            matches,
            cites,
        })
    }

    /// The passages one paragraph of the input reuses; `None` for a paragraph too short to
    /// check.
    fn check_paragraph(
        &self,
        searcher: &Searcher,
        input: &str,
        c: &Checking<'_>,
        min_similarity: f32,
        cancel: &Cancel,
    ) -> Result<Option<Vec<Match>>> {
        let para = c.para;
        if c.words.len() < fingerprint::MIN_WORDS {
            return Ok(None);
        }
        let Some(sharing) = c.sharing() else {
            return Ok(Some(self.translated_matches(input, para)?));
        };
        let mut found =
            self.same_language_matches(searcher, input, c, sharing, min_similarity, cancel)?;
        cancel.check()?;
        // A translation shares names and numbers with its source, which fingerprints can
        // catch: the translated alignment, when it finds the same passage, is the better
        // account of it.
        for t in self.translated_matches(input, para)? {
            match found
                .iter()
                .position(|m| m.at.passage_id == t.at.passage_id)
            {
                Some(i) => found[i] = t,
                None => found.push(t),
            }
        }
        Ok(Some(found))
    }

    /// The passages among `sharing` (with how many fingerprints each shares) that the
    /// paragraph reuses: the best-sharing [`CANDIDATES`] are aligned.
    fn same_language_matches(
        &self,
        searcher: &Searcher,
        input: &str,
        c: &Checking<'_>,
        sharing: Vec<(f32, DocAddress)>,
        min_similarity: f32,
        cancel: &Cancel,
    ) -> Result<Vec<Match>> {
        // Shared fingerprints are counted, so scores tie by the dozen: the candidates are
        // the same whichever way the index was built (one index or splits).
        let top = self.best_of(searcher, sharing, CANDIDATES)?;
        let mut found = Vec::new();
        for (_, addr) in top {
            cancel.check()?;
            let p = self.load(addr)?;
            if let Some(al) = align_check(c.words, &fingerprint::words(&p.text), min_similarity) {
                found.push(Match::new(input, c.para, &al, p));
            }
        }
        Ok(found)
    }
}

/// The fingerprints of a checked paragraph's `words`: none for a paragraph too short to check.
fn checked_fingerprints(words: &[Word]) -> Vec<u64> {
    if words.len() < fingerprint::MIN_WORDS {
        return Vec::new();
    }
    fingerprint::winnow(&fingerprint::shingles(words))
}

/// One paragraph of the checked text, its content words and fingerprints, and what the index
/// holds of the draft's fingerprints.
struct Checking<'a> {
    para: &'a Passage,
    words: &'a [Word],
    fingerprints: &'a [u64],
    holders: &'a Holders,
}

impl Checking<'_> {
    /// The passages sharing the paragraph's fingerprints, each with how many it shares;
    /// fingerprints in no passage or in too many (boilerplate, [`MAX_SHARED`]) are left out,
    /// and with none left there is nothing to ask (`None`).
    fn sharing(&self) -> Option<Vec<(f32, DocAddress)>> {
        let mut shared: FxHashMap<DocAddress, u32> = FxHashMap::default();
        let mut usable = false;
        for &h in self.fingerprints {
            let df = self.holders.df(h);
            if df == 0 || df as usize > MAX_SHARED {
                continue;
            }
            usable = true;
            for &addr in self.holders.held(h) {
                *shared.entry(addr).or_insert(0) += 1;
            }
        }
        usable.then(|| shared.into_iter().map(|(a, n)| (n as f32, a)).collect())
    }
}

impl Match {
    /// Paragraph `para` of the checked text `input` reusing passage `p` as `al` aligns them.
    fn new(input: &str, para: &Passage, al: &Alignment, p: Passage) -> Match {
        Match {
            input_span: char_span(input, para.bytes),
            input_text: para.text.clone(),
            input_spans: al
                .spans_a
                .iter()
                .map(|&sp| char_span(&para.text, sp))
                .collect(),
            input_cited: !para.citations.is_empty(),
            cites_source: None,
            similarity: al.similarity,
            containment: al.containment,
            spans: al
                .spans_b
                .iter()
                .map(|&sp| char_span(&p.text, sp))
                .collect(),
            at: p.location(),
            text: p.text,
            citations: p.citations.into(),
            translated: false,
        }
    }
}
