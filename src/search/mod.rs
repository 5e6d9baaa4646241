//! Search: a query string and filters → ranked hits with snippets.
//!
//! Ranking, in words: every query word is looked for in three forms (its Indonesian root, its
//! English stem, the word itself) and, when it is nowhere in the index, with one typo. A word
//! found in a passage earns a fixed amount weighted by its rarity, so passages that contain more
//! of the query rank first; BM25 over the three fields orders passages that contain the same
//! words, with the exact form counting most. Phrases and prefixes work on the unstemmed field.

pub mod cognate;
pub mod query;
pub mod snippet;

use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur as TOccur,
    PhraseQuery, Query, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{Searcher, TantivyDocument, Term};

use crate::analysis;
use crate::error::{Error, Result};
use crate::index::{from_document, index_error, Engine};
use crate::model::Kind;
use query::{Atom, FilterField, Occur, ParsedQuery};
use snippet::Matcher;

/// A search as the CLI and the HTTP API take it.
#[derive(Debug, Clone, Default, Deserialize)]
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

/// Most hits one request may ask for.
pub const MAX_LIMIT: usize = 100;

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

/// Turns parsed queries into tantivy queries for one searcher.
struct Builder<'a> {
    engine: &'a Engine,
    searcher: &'a Searcher,
    matcher: Matcher,
    exact: TextAnalyzer,
    id: TextAnalyzer,
    en: TextAnalyzer,
    num_docs: f32,
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
    fn word(&mut self, raw: &str) -> Result<Vec<Box<dyn Query>>> {
        let f = self.engine.fields.clone();
        let exact = analyze(&mut self.exact, raw);
        let ids = analyze(&mut self.id, raw);
        let ens = analyze(&mut self.en, raw);
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        for (k, t) in exact.iter().enumerate() {
            let si = ids.get(k).unwrap_or(t);
            let se = ens.get(k).unwrap_or(t);
            let mut terms = vec![
                (self.term(f.text_exact, t), W_EXACT),
                (self.term(f.text_id, si), W_ID),
                (self.term(f.text_en, se), W_EN),
            ];
            let mut dfs = Vec::with_capacity(4);
            for (term, _) in &terms {
                dfs.push(self.df(term)?);
            }
            // An English word also looks for its Indonesian loanword, where the index has it.
            for c in cognate::id_cognates(t) {
                let term = self.term(f.text_exact, &c);
                let df = self.df(&term)?;
                if df > 0 {
                    terms.push((term, W_COGNATE));
                    dfs.push(df);
                    self.matcher.exact.insert(c);
                }
            }
            let mut any: Vec<Box<dyn Query>> = Vec::new();
            let mut bm25: Vec<Box<dyn Query>> = Vec::new();
            for ((term, w), df) in terms.into_iter().zip(&dfs) {
                if *df == 0 {
                    continue;
                }
                any.push(Box::new(TermQuery::new(
                    term.clone(),
                    IndexRecordOption::Basic,
                )));
                bm25.push(Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                    w,
                )));
            }
            self.matcher.exact.insert(t.clone());
            self.matcher.id.insert(si.clone());
            self.matcher.en.insert(se.clone());
            let typo = dfs[..3].iter().all(|&d| d == 0)
                && t.chars().count() >= 5
                && !t.chars().all(|c| c.is_ascii_digit());
            if typo {
                let fuzzy = FuzzyTermQuery::new(self.term(f.text_exact, t), 1, true);
                any.push(Box::new(fuzzy.clone()));
                bm25.push(Box::new(BoostQuery::new(Box::new(fuzzy), W_FUZZY)));
                self.matcher.fuzzy.push(t.clone());
            }
            if any.is_empty() {
                continue;
            }
            // The rarest form decides how much finding the word is worth.
            let df = dfs.iter().copied().filter(|&d| d > 0).min().unwrap_or(1);
            let presence =
                ConstScoreQuery::new(Box::new(BooleanQuery::union(any)), PRESENCE * self.idf(df));
            bm25.push(Box::new(presence));
            out.push(Box::new(BooleanQuery::union(bm25)));
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
        })
    }

    fn build(&mut self, q: &ParsedQuery) -> Result<Box<dyn Query>> {
        let mut should: Vec<Box<dyn Query>> = Vec::new();
        let mut clauses: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        let mut has_must = false;
        for c in &q.clauses {
            let parts: Vec<Box<dyn Query>> = match &c.atom {
                Atom::Word(w) => self.word(w)?,
                Atom::Phrase(p) => self.phrase(p)?.into_iter().collect(),
                Atom::Prefix(p) => self.prefix(p)?.into_iter().collect(),
            };
            match c.occur {
                Occur::Should => should.extend(parts),
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

impl Engine {
    /// Run a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse> {
        let started = Instant::now();
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
        let limit = req.limit.clamp(1, MAX_LIMIT);
        let searcher = self.searcher();
        let mut b = Builder {
            engine: self,
            searcher: &searcher,
            matcher: Matcher::default(),
            exact: analysis::exact_analyzer(),
            id: analysis::indonesian_analyzer(),
            en: analysis::english_analyzer(),
            num_docs: searcher.num_docs() as f32,
        };
        let q = b.build(&parsed)?;
        let kind_code = self.fields.kind_code;
        let top = TopDocs::with_limit(limit)
            .and_offset(req.offset)
            .tweak_score(move |seg: &tantivy::SegmentReader| {
                let kinds = seg
                    .fast_fields()
                    .u64(seg.schema().get_field_name(kind_code))
                    .map(|c| c.first_or_default_col(0))
                    .ok();
                move |doc: tantivy::DocId, score: tantivy::Score| match &kinds {
                    Some(k) => score * kind_weight(Kind::from_code(k.get_val(doc))),
                    None => score,
                }
            });
        let (top, total) = searcher
            .search(&q, &(top, Count))
            .map_err(|e| index_error(&self.dir, e))?;
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
