//! `check`: a pasted paragraph or a whole draft checked against the corpus. Each paragraph's
//! fingerprints ask the inverted index for the passages sharing them; only those are aligned.

use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

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
        let mut paragraphs = Vec::new();
        let (mut checked, mut reused) = (0, 0);
        // The input is read like a corpus document: a paragraph pasted from a PDF extraction
        // (hard-wrapped, hyphenated, with page headers) is one paragraph, as in the index.
        for para in ingest::passages_of_text(text, None) {
            cancel.check()?;
            let found = self.check_paragraph(&searcher, text, &para, min_similarity, cancel)?;
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
        para: &Passage,
        min_similarity: f32,
        cancel: &Cancel,
    ) -> Result<Option<Vec<Match>>> {
        let words = fingerprint::words(&para.text);
        if words.len() < fingerprint::MIN_WORDS {
            return Ok(None);
        }
        let Some(q) = self.sharing_fingerprints(searcher, &words)? else {
            return Ok(Some(self.translated_matches(input, para)?));
        };
        let mut found =
            self.same_language_matches(searcher, input, para, &q, min_similarity, cancel)?;
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

    /// The passages sharing fingerprints with `para` (the query `q`) that it reuses.
    fn same_language_matches(
        &self,
        searcher: &Searcher,
        input: &str,
        para: &Passage,
        q: &BooleanQuery,
        min_similarity: f32,
        cancel: &Cancel,
    ) -> Result<Vec<Match>> {
        let words = fingerprint::words(&para.text);
        // Shared fingerprints are counted, so scores tie by the dozen: the candidates are
        // the same whichever way the index was built (one index or splits).
        let top = self.first_pass(searcher, q, searcher, CANDIDATES)?;
        let mut found = Vec::new();
        for (_, addr) in top {
            cancel.check()?;
            let p = self.load(addr)?;
            if let Some(al) = align_check(&words, &fingerprint::words(&p.text), min_similarity) {
                found.push(Match::new(input, para, &al, p));
            }
        }
        Ok(found)
    }

    /// A query for the passages sharing the winnowed fingerprints of `words`, each counted
    /// once; fingerprints in no passage or in too many (boilerplate) are left out, and with
    /// none left there is nothing to ask.
    fn sharing_fingerprints(
        &self,
        searcher: &Searcher,
        words: &[Word],
    ) -> Result<Option<BooleanQuery>> {
        let mut terms: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for h in fingerprint::winnow(&fingerprint::shingles(words)) {
            let t = Term::from_field_u64(self.fields.fp, h);
            let df = searcher.doc_freq(&t)?;
            if df == 0 || df as usize > MAX_SHARED {
                continue;
            }
            let term = Box::new(TermQuery::new(t, IndexRecordOption::Basic));
            terms.push((Occur::Should, Box::new(ConstScoreQuery::new(term, 1.0))));
        }
        Ok((!terms.is_empty()).then(|| BooleanQuery::new(terms)))
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
            citations: p.citations,
            translated: false,
        }
    }
}
