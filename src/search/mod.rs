//! Search: a query string and filters → ranked hits with snippets.
//!
//! Ranking, in words: every query word is looked for in three forms (its Indonesian root, its
//! English stem, the word itself) and, when it is nowhere in the index, with one typo. A word
//! found in a passage earns a fixed amount weighted by its rarity, so passages that contain more
//! of the query rank first; BM25 over the three fields orders passages that contain the same
//! words, with the exact form counting most. Phrases and prefixes work on the unstemmed field.

pub mod cancel;
pub mod cites;
pub mod claims;
pub mod cognate;
pub mod query;
pub mod reuse;
pub mod snippet;
pub mod typo;

use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur as TOccur,
    PhraseQuery, Query, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{DocSet, Searcher, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::index::{from_document, index_error, Engine};
use crate::model::Kind;
use crate::text::{self, names};
use query::{Atom, FilterField, Occur, ParsedQuery};
use snippet::Matcher;

/// A search as the CLI and the HTTP API take it.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    pub offset: usize,
    pub lang: Option<String>,
    pub doc: Option<String>,
    pub section: Option<String>,
    pub kind: Option<String>,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            limit: DEFAULT_LIMIT,
            offset: 0,
            lang: None,
            doc: None,
            section: None,
            kind: None,
        }
    }
}

/// Hits per page when a request does not say.
pub const DEFAULT_LIMIT: usize = 10;
/// Most hits one request may ask for.
pub const MAX_LIMIT: usize = 100;
/// Deepest page: ranking collects `offset + limit` candidates, so a deep page costs memory.
pub const MAX_OFFSET: usize = 10_000;

/// The one rule for a page of hits, so the CLI and the API accept and refuse the same: `limit`
/// 0 is allowed and answers the count (and the notes) without listing any hit.
pub fn check_page(limit: usize, offset: usize) -> Result<()> {
    if limit > MAX_LIMIT {
        return Err(Error::Invalid(format!(
            "limit must be between 0 and {MAX_LIMIT} (0 counts the matches without listing them)"
        )));
    }
    if offset > MAX_OFFSET {
        return Err(Error::Invalid(format!(
            "offset must be at most {MAX_OFFSET}"
        )));
    }
    Ok(())
}

/// One hit. Field names are a contract that scripts rely on.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub score: f32,
    pub doc: String,
    pub title: String,
    pub chapter: Option<String>,
    pub section: Option<String>,
    pub section_title: Option<String>,
    pub kind: Kind,
    pub lang: String,
    pub page: Option<u32>,
    pub lines: [usize; 2],
    pub bytes: [usize; 2],
    pub text: String,
    /// A window of the text around the matches, HTML-escaped, matches in `<mark>`.
    pub snippet: String,
    /// Byte ranges of the matched words in `text`.
    pub highlights: Vec<[usize; 2]>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub footnotes: Vec<u32>,
    /// What the passage cites, linked to its document's bibliography.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<crate::model::Citation>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    pub query: String,
    pub total: usize,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
    /// Repairs made to the query (an unbalanced quote closed, a stray `:` ignored).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

// Weights, tuned on the development relevance set (see README).
const PRESENCE: f32 = 2.0;
const W_EXACT: f32 = 1.0;
const W_ID: f32 = 0.7;
const W_EN: f32 = 0.5;
const W_FUZZY: f32 = 0.6;
const W_PHRASE: f32 = 2.0;
const W_COGNATE: f32 = 0.8;
/// How much a passage in the query's own language is preferred, when that language is clear.
const LANG_PREFERENCE: f32 = 1.15;
/// Share of passages above which a word is too common to select passages by itself.
const COMMON_SHARE: f32 = 0.2;

/// How much a match counts by the kind of passage: body text is what a reader quotes; a
/// bibliography entry or a caption matching the same words is rarely the answer. A `kind:`
/// filter makes this moot.
fn kind_weight(kind: Kind) -> f32 {
    match kind {
        Kind::Body | Kind::Abstract => 1.0,
        Kind::Table => 0.9,
        Kind::Heading => 0.8,
        Kind::Keywords | Kind::Footnote => 0.7,
        Kind::Caption => 0.6,
        Kind::Bibliography => 0.45,
    }
}

fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// The indexed forms of one query word, and what finding any of them is worth.
struct WordForms {
    terms: Vec<Term>,
    worth: f32,
}

/// Turns parsed queries into tantivy queries for one searcher.
struct Builder<'a> {
    engine: &'a Engine,
    searcher: &'a Searcher,
    matcher: Matcher,
    /// The forms of each query word, to count which words a candidate contains.
    coverage: Vec<WordForms>,
    exact: TextAnalyzer,
    id: TextAnalyzer,
    en: TextAnalyzer,
    num_docs: f32,
    /// Years asked for with `year:`, which `cites:` pairs with.
    cited_years: Vec<String>,
}

impl Builder<'_> {
    fn err(&self, e: tantivy::TantivyError) -> Error {
        index_error(&self.engine.dir, e)
    }

    fn df(&self, term: &Term) -> Result<u64> {
        self.searcher.doc_freq(term).map_err(|e| self.err(e))
    }

    fn idf(&self, df: u64) -> f32 {
        (1.0 + (self.num_docs - df as f32 + 0.5) / (df as f32 + 0.5)).ln()
    }

    fn term(&self, field: Field, text: &str) -> Term {
        Term::from_field_text(field, text)
    }

    /// One query word: presence (weighted by rarity) + BM25 in three forms (+ a typo form).
    /// The queries for one word, each with the document frequency of its rarest form.
    fn word(&mut self, raw: &str) -> Result<Vec<(Box<dyn Query>, u64)>> {
        let f = self.engine.fields.clone();
        let exact = analyze(&mut self.exact, raw);
        let ids = analyze(&mut self.id, raw);
        let ens = analyze(&mut self.en, raw);
        let mut out: Vec<(Box<dyn Query>, u64)> = Vec::new();
        for (k, t) in exact.iter().enumerate() {
            let si = ids.get(k).unwrap_or(t);
            let se = ens.get(k).unwrap_or(t);
            self.matcher.exact.insert(t.clone());
            self.matcher.id.insert(si.clone());
            self.matcher.en.insert(se.clone());
            // A stem equal to the word itself adds nothing the exact field does not have:
            // fold its weight into the exact term instead of scoring the same word twice.
            let mut w_exact = W_EXACT;
            let mut terms = Vec::with_capacity(4);
            if si == t {
                w_exact += W_ID;
            } else {
                terms.push((self.term(f.text_id, si), W_ID));
            }
            if se == t {
                w_exact += W_EN;
            } else {
                terms.push((self.term(f.text_en, se), W_EN));
            }
            terms.insert(0, (self.term(f.text_exact, t), w_exact));
            // An English word also looks for its Indonesian loanword, where the index has it.
            for c in cognate::id_cognates(t) {
                terms.push((self.term(f.text_exact, &c), W_COGNATE));
            }
            let mut found: Vec<(Term, f32, u64)> = Vec::with_capacity(terms.len());
            for (term, w) in terms {
                let df = self.df(&term)?;
                if df > 0 {
                    found.push((term, w, df));
                }
            }
            // A root far broader than the word (`keadaan` → `ada`, in a third of all court
            // passages) would match everything and cost the most: keep the word's rarer forms.
            let common = |df: u64| df as f32 > self.num_docs * COMMON_SHARE;
            if found.iter().any(|x| !common(x.2)) {
                found.retain(|x| !common(x.2));
            }
            // Cognates found are highlighted too.
            for (term, _, _) in &found {
                if term.field() == f.text_exact {
                    if let Some(c) = term.value().as_str() {
                        self.matcher.exact.insert(c.to_string());
                    }
                }
            }
            let mut bm25: Vec<Box<dyn Query>> = found
                .iter()
                .map(|(term, w, _)| {
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                        *w,
                    )) as Box<dyn Query>
                })
                .collect();
            if found.is_empty() {
                // Nowhere in the index: a typo? One edit on words of five letters or more,
                // worth a rare word's presence, below what the exact word would have scored.
                if t.chars().count() >= 5 && !t.chars().all(|c| c.is_ascii_digit()) {
                    let typos = self.engine.typo_terms(self.searcher, t)?;
                    if !typos.is_empty() {
                        for term in &typos {
                            if let Some(c) = term.value().as_str() {
                                self.matcher.exact.insert(c.to_string());
                            }
                        }
                        let any: Vec<Box<dyn Query>> = typos
                            .into_iter()
                            .map(|term| {
                                Box::new(TermQuery::new(term, IndexRecordOption::Basic))
                                    as Box<dyn Query>
                            })
                            .collect();
                        out.push((
                            Box::new(ConstScoreQuery::new(
                                Box::new(BooleanQuery::union(any)),
                                (PRESENCE + W_FUZZY) * self.idf(1),
                            )),
                            1,
                        ));
                    }
                }
                continue;
            }
            // The rarest form decides how much finding the word is worth (see `rerank`).
            let df = found.iter().map(|x| x.2).min().unwrap_or(1);
            self.coverage.push(WordForms {
                terms: found.into_iter().map(|(t, _, _)| t).collect(),
                worth: PRESENCE * self.idf(df),
            });
            let q: Box<dyn Query> = if bm25.len() == 1 {
                bm25.pop().unwrap()
            } else {
                Box::new(BooleanQuery::union(bm25))
            };
            out.push((q, df));
        }
        Ok(out)
    }

    fn phrase(&mut self, text: &str) -> Result<Option<Box<dyn Query>>> {
        let f = self.engine.fields.clone();
        let words = analyze(&mut self.exact, text);
        for w in &words {
            self.matcher.exact.insert(w.clone());
        }
        let terms: Vec<Term> = words.iter().map(|w| self.term(f.text_exact, w)).collect();
        let q: Box<dyn Query> = match terms.len() {
            0 => return Ok(None),
            1 => Box::new(TermQuery::new(
                terms[0].clone(),
                IndexRecordOption::WithFreqs,
            )),
            _ => Box::new(PhraseQuery::new(terms)),
        };
        let mut df = u64::MAX;
        for w in &words {
            df = df.min(self.df(&self.term(f.text_exact, w))?);
        }
        let presence =
            ConstScoreQuery::new(q.box_clone(), PRESENCE * self.idf(df) * words.len() as f32);
        Ok(Some(Box::new(BooleanQuery::union(vec![
            Box::new(BoostQuery::new(q, W_PHRASE)),
            Box::new(presence),
        ]))))
    }

    fn prefix(&mut self, p: &str) -> Result<Option<Box<dyn Query>>> {
        let Some(p) = analyze(&mut self.exact, p).into_iter().next() else {
            return Ok(None);
        };
        self.matcher.prefixes.push(p.clone());
        let re = RegexQuery::from_pattern(
            &format!("{}.*", regex::escape(&p)),
            self.engine.fields.text_exact,
        )
        .map_err(|e| self.err(e))?;
        // Worth as much as finding a word of the prefix's own rarity (the prefix as a word,
        // else a rare word).
        let df = self
            .df(&self.term(self.engine.fields.text_exact, &p))?
            .max(1);
        let worth = (PRESENCE + W_EXACT) * self.idf(df);
        Ok(Some(Box::new(ConstScoreQuery::new(Box::new(re), worth))))
    }

    fn filter(&mut self, field: FilterField, value: &str) -> Result<Box<dyn Query>> {
        let f = &self.engine.fields;
        let exact_terms = |b: &mut Self, field: Field| -> Box<dyn Query> {
            let words = analyze(&mut b.exact, value);
            let qs: Vec<Box<dyn Query>> = words
                .iter()
                .map(|w| {
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, w),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>
                })
                .collect();
            if qs.is_empty() {
                Box::new(AllQuery)
            } else {
                Box::new(BooleanQuery::intersection(qs))
            }
        };
        Ok(match field {
            FilterField::Lang => Box::new(TermQuery::new(
                self.term(f.lang, value),
                IndexRecordOption::Basic,
            )),
            FilterField::Kind => Box::new(TermQuery::new(
                self.term(f.kind, value),
                IndexRecordOption::Basic,
            )),
            FilterField::Section => Box::new(TermQuery::new(
                self.term(f.section_path, value),
                IndexRecordOption::Basic,
            )),
            FilterField::Doc => {
                // An id or its beginning: `doc:003` finds `003_232135048410f2ab.txt`.
                let re = RegexQuery::from_pattern(&format!("{}.*", regex::escape(value)), f.doc)
                    .map_err(|e| self.err(e))?;
                Box::new(re)
            }
            FilterField::Chapter => {
                let field = f.chapter;
                exact_terms(self, field)
            }
            FilterField::Title => {
                let field = f.title;
                exact_terms(self, field)
            }
            FilterField::Cites if !self.cited_years.is_empty() => {
                // With `year:`, one citation must name both: `correacabrera|2016`.
                let key = names::key(value);
                let qs: Vec<Box<dyn Query>> = self
                    .cited_years
                    .iter()
                    .map(|y| {
                        Box::new(TermQuery::new(
                            Term::from_field_text(f.cite_year, &format!("{key}|{y}")),
                            IndexRecordOption::Basic,
                        )) as Box<dyn Query>
                    })
                    .collect();
                Box::new(BooleanQuery::union(qs))
            }
            FilterField::Cites => {
                let field = f.cites;
                exact_terms(self, field)
            }
            FilterField::Year => Box::new(TermQuery::new(
                self.term(f.year, value),
                IndexRecordOption::Basic,
            )),
            FilterField::Work => Box::new(TermQuery::new(
                self.term(f.work, value),
                IndexRecordOption::Basic,
            )),
        })
    }

    /// When nothing matched: which filters match no passage at all, by themselves, so the user
    /// learns that `lang:ms` or `section:9.9` is what emptied the result, not the words.
    fn empty_filters(&mut self, filters: &[query::Filter]) -> Result<Vec<String>> {
        let mut notes = Vec::new();
        for flt in filters.iter().filter(|f| !f.negated) {
            let q = self.filter(flt.field, &flt.value)?;
            if q.count(self.searcher).map_err(|e| self.err(e))? > 0 {
                continue;
            }
            let what = format!("{}:{}", flt.field.name(), flt.value);
            notes.push(match flt.field {
                FilterField::Lang => format!(
                    "{what} matches no passage; the languages in the index are {}",
                    crate::index::writer::Manifest::of(&self.engine.index)
                        .languages()
                        .into_keys()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                FilterField::Kind => format!("{what} matches no passage in this index"),
                FilterField::Doc => format!(
                    "{what} matches no document: doc: takes a document id or its beginning, \
                     as each hit shows it (003_232135048410f2ab.txt, or doc:003)"
                ),
                _ => format!("{what} matches no passage"),
            });
        }
        Ok(notes)
    }

    fn build(&mut self, q: &ParsedQuery) -> Result<Box<dyn Query>> {
        let mut should: Vec<(Box<dyn Query>, u64)> = Vec::new();
        let mut clauses: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        let mut has_must = false;
        for c in &q.clauses {
            let parts: Vec<(Box<dyn Query>, u64)> = match &c.atom {
                Atom::Word(w) => self.word(w)?,
                Atom::Phrase(p) => self.phrase(p)?.into_iter().map(|q| (q, 0)).collect(),
                Atom::Prefix(p) => self.prefix(p)?.into_iter().map(|q| (q, 0)).collect(),
            };
            if c.occur == Occur::Should {
                should.extend(parts);
                continue;
            }
            let parts: Vec<Box<dyn Query>> = parts.into_iter().map(|(q, _)| q).collect();
            match c.occur {
                Occur::Should => {}
                Occur::Must => {
                    has_must = true;
                    if parts.is_empty() {
                        // A required word that is nowhere: nothing can match.
                        return Ok(Box::new(tantivy::query::EmptyQuery));
                    }
                    clauses.extend(parts.into_iter().map(|p| (TOccur::Must, p)));
                }
                Occur::MustNot => clauses.extend(parts.into_iter().map(|p| (TOccur::MustNot, p))),
            }
        }
        let words_given = q.clauses.iter().any(|c| c.occur == Occur::Should);
        // A word in more than a fifth of all passages (`yang`, `dan`, `the`) next to rarer
        // ones does not decide which passages match: scoring its postings would cost most of
        // the query's time for a sliver of score. It still counts in the re-ranking by coverage.
        let common = |df: u64| df as f32 > self.num_docs * COMMON_SHARE;
        if should.iter().any(|(_, df)| !common(*df)) {
            should.retain(|(_, df)| !common(*df));
        }
        let should: Vec<Box<dyn Query>> = should.into_iter().map(|(q, _)| q).collect();
        if !should.is_empty() {
            let union: Box<dyn Query> = Box::new(BooleanQuery::union(should));
            clauses.push((
                if has_must {
                    TOccur::Should
                } else {
                    TOccur::Must
                },
                union,
            ));
        } else if words_given && !has_must {
            // Words were asked for and none is in the index.
            return Ok(Box::new(tantivy::query::EmptyQuery));
        }
        self.cited_years = q
            .filters
            .iter()
            .filter(|f| f.field == FilterField::Year && !f.negated)
            .map(|f| f.value.clone())
            .collect();
        for flt in &q.filters {
            let fq = self.filter(flt.field, &flt.value)?;
            clauses.push((
                if flt.negated {
                    TOccur::MustNot
                } else {
                    TOccur::Must
                },
                fq,
            ));
        }
        if !clauses.iter().any(|(o, _)| *o == TOccur::Must) {
            clauses.push((TOccur::Must, Box::new(AllQuery)));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }
}

/// The query's language as a `lang_code`, when whatlang is fairly sure of it.
fn query_lang(q: &ParsedQuery) -> Option<u64> {
    let words: Vec<&str> = q
        .clauses
        .iter()
        .filter(|c| c.occur != Occur::MustNot)
        .map(|c| match &c.atom {
            Atom::Word(w) | Atom::Phrase(w) | Atom::Prefix(w) => w.as_str(),
        })
        .collect();
    let (lang, confidence) = text::lang::query_language(&words.join(" "))?;
    (confidence >= 0.5)
        .then(|| crate::index::schema::lang_code(lang))
        .filter(|&c| c != 0)
}

/// Most indexed words a typo stands for (the most frequent ones): a short word has many
/// neighbours one edit away, and each is a posting list to merge.
const MAX_TYPO_TERMS: usize = 16;

/// How many candidates are re-ranked by query-word coverage.
const RERANK_POOL: usize = 100;

impl Engine {
    /// The indexed words (exact field) one edit away from `word`, the most frequent first: what
    /// a search takes a word that is nowhere in the index to be a typo of.
    pub fn one_edit_away(&self, word: &str) -> Result<Vec<String>> {
        let searcher = self.searcher();
        Ok(self
            .typo_terms(&searcher, word)?
            .iter()
            .filter_map(|t| t.value().as_str().map(str::to_string))
            .collect())
    }

    /// The indexed words one edit (or one transposition) away from `word`, the most frequent
    /// first. Expanded once here, rather than by a fuzzy query, so that the term dictionary is
    /// walked once per search (not again for the count), and the highlighter can match the
    /// expansions exactly instead of measuring edits against every word it shows.
    fn typo_terms(&self, searcher: &Searcher, word: &str) -> Result<Vec<Term>> {
        let field = self.fields.text_exact;
        let (first, rest) = typo::split_first(word);
        let automaton = typo::AfterPrefix {
            first: first.as_bytes().to_vec(),
            rest: FuzzyTermQuery::new(Term::from_field_text(field, rest), 1, true)
                .automaton()
                .map_err(|e| index_error(&self.dir, e))?,
        };
        let first_edits = typo::first_letter_edits(word);
        let mut found: Vec<Vec<u8>> = Vec::new();
        let mut add = |k: &[u8]| {
            if !found.iter().any(|f| f.as_slice() == k) {
                found.push(k.to_vec());
            }
        };
        for seg in searcher.segment_readers() {
            let inv = seg
                .inverted_index(field)
                .map_err(|e| index_error(&self.dir, e))?;
            let dict = inv.terms();
            let mut stream = dict
                .search(&automaton)
                .into_stream()
                .map_err(|e| index_error(&self.dir, e.into()))?;
            while stream.advance() {
                add(stream.key());
            }
            for w in &first_edits {
                if dict
                    .get(w.as_bytes())
                    .map_err(|e| index_error(&self.dir, e.into()))?
                    .is_some()
                {
                    add(w.as_bytes());
                }
            }
        }
        let mut terms: Vec<(Term, u64)> = Vec::with_capacity(found.len());
        for key in found {
            if let Ok(text) = std::str::from_utf8(&key) {
                let term = Term::from_field_text(field, text);
                let df = searcher
                    .doc_freq(&term)
                    .map_err(|e| index_error(&self.dir, e))?;
                terms.push((term, df));
            }
        }
        terms.sort_by_key(|t| std::cmp::Reverse(t.1));
        terms.truncate(MAX_TYPO_TERMS);
        Ok(terms.into_iter().map(|(t, _)| t).collect())
    }

    /// Add to each candidate what the query words it contains are worth, weigh it by its kind,
    /// and sort again. Membership is read straight from the postings of each word's
    /// indexed forms, seeking only to the candidates: cheap next to scoring every match.
    fn rerank(
        &self,
        searcher: &Searcher,
        mut cands: Vec<(f32, tantivy::DocAddress)>,
        words: &[WordForms],
        query_lang: Option<u64>,
    ) -> Result<Vec<(f32, tantivy::DocAddress)>> {
        if cands.len() < 2 {
            return Ok(cands);
        }
        let err = |e: tantivy::TantivyError| index_error(&self.dir, e);
        let mut order: Vec<usize> = (0..cands.len()).collect();
        order.sort_by_key(|&i| (cands[i].1.segment_ord, cands[i].1.doc_id));
        let mut bonus = vec![0f32; cands.len()];
        let mut weight = vec![1f32; cands.len()];
        for seg_group in order.chunk_by(|&a, &b| cands[a].1.segment_ord == cands[b].1.segment_ord) {
            let reader = searcher.segment_reader(cands[seg_group[0]].1.segment_ord);
            let kinds = reader
                .fast_fields()
                .u64(reader.schema().get_field_name(self.fields.kind_code))
                .map(|c| c.first_or_default_col(0))
                .ok();
            for w in words {
                let mut covered = vec![false; seg_group.len()];
                for term in &w.terms {
                    let inv = reader.inverted_index(term.field()).map_err(err)?;
                    let postings = inv
                        .read_postings(term, IndexRecordOption::Basic)
                        .map_err(|e| err(e.into()))?;
                    let Some(mut postings) = postings else {
                        continue;
                    };
                    for (k, &i) in seg_group.iter().enumerate() {
                        let doc = cands[i].1.doc_id;
                        if !covered[k] && postings.seek(doc) == doc {
                            covered[k] = true;
                        }
                    }
                }
                for (k, &i) in seg_group.iter().enumerate() {
                    if covered[k] {
                        bonus[i] += w.worth;
                    }
                }
            }
            let langs = query_lang.and_then(|_| {
                reader
                    .fast_fields()
                    .u64(reader.schema().get_field_name(self.fields.lang_code))
                    .map(|c| c.first_or_default_col(0))
                    .ok()
            });
            for &i in seg_group {
                let doc = cands[i].1.doc_id;
                weight[i] = kinds
                    .as_ref()
                    .map_or(1.0, |c| kind_weight(Kind::from_code(c.get_val(doc))));
                if let (Some(l), Some(q)) = (&langs, query_lang) {
                    if l.get_val(doc) == q {
                        weight[i] *= LANG_PREFERENCE;
                    }
                }
            }
        }
        for ((c, b), w) in cands.iter_mut().zip(bonus).zip(weight) {
            c.0 = (c.0 + b) * w;
        }
        cands.sort_by(|a, b| b.0.total_cmp(&a.0));
        Ok(cands)
    }

    /// Run a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse> {
        let started = Instant::now();
        check_page(req.limit, req.offset)?;
        let mut parsed = query::parse(&req.query).map_err(Error::Query)?;
        for (field, value) in [
            (FilterField::Lang, &req.lang),
            (FilterField::Doc, &req.doc),
            (FilterField::Section, &req.section),
            (FilterField::Kind, &req.kind),
        ] {
            if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
                let value = query::check_filter(field, v).map_err(Error::Query)?;
                parsed.filters.push(query::Filter {
                    field,
                    value,
                    negated: false,
                });
            }
        }
        if parsed.clauses.is_empty() && parsed.filters.is_empty() {
            return Err(Error::Query(
                "the query is empty; type some words, a \"phrase\", or a filter such as kind:footnote".into(),
            ));
        }
        let limit = req.limit;
        let searcher = self.searcher();
        let mut b = Builder {
            engine: self,
            searcher: &searcher,
            matcher: Matcher::default(),
            coverage: Vec::new(),
            exact: text::exact_analyzer(),
            id: text::indonesian_analyzer(),
            en: text::english_analyzer(),
            num_docs: searcher.num_docs() as f32,
            cited_years: Vec::new(),
        };
        let q = b.build(&parsed)?;
        // Candidates by BM25, then re-ranked by kind and by how many query words each
        // contains; enough candidates that the pages a user turns are stable.
        let wanted = req.offset + limit;
        let top = TopDocs::with_limit(wanted.max(RERANK_POOL)).order_by_score();
        // Counting apart from ranking lets the top-k collector skip what cannot make the cut,
        // and lets the count skip scoring.
        let top = searcher
            .search(&q, &top)
            .map_err(|e| index_error(&self.dir, e))?;
        let total = q.count(&searcher).map_err(|e| index_error(&self.dir, e))?;
        if total == 0 {
            parsed.notes.extend(b.empty_filters(&parsed.filters)?);
        }
        let top = self.rerank(&searcher, top, &b.coverage, query_lang(&parsed))?;
        let top: Vec<(f32, tantivy::DocAddress)> =
            top.into_iter().skip(req.offset).take(limit).collect();
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let d: TantivyDocument = searcher.doc(addr).map_err(|e| index_error(&self.dir, e))?;
            let p = from_document(&self.fields, &d);
            let highlights = snippet::highlights(&p.text, &b.matcher);
            hits.push(Hit {
                snippet: snippet::snippet(&p.text, &highlights),
                highlights,
                id: p.id,
                score,
                doc: p.doc,
                title: p.title,
                chapter: p.chapter,
                section: p.section,
                section_title: p.section_title,
                kind: p.kind,
                lang: p.lang,
                page: p.page,
                lines: p.lines,
                bytes: p.bytes,
                text: p.text,
                footnotes: p.footnotes,
                citations: p.citations,
            });
        }
        Ok(SearchResponse {
            query: req.query.clone(),
            total,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            hits,
            notes: parsed.notes,
        })
    }
}
