//! Search: a query string and filters → ranked hits with snippets.
//!
//! Ranking, in words: every query word is looked for in three forms (its Indonesian root, its
//! English stem, the word itself) and, when it is nowhere in the index, with one typo. A word
//! found in a passage earns a fixed amount weighted by its rarity, so passages that contain more
//! of the query rank first; BM25 over the three fields orders passages that contain the same
//! words, with the exact form counting most. Phrases and prefixes work on the unstemmed field.
//!
//! This module owns every question asked of a built index, each answered by a method on
//! [`Engine`]: [`Engine::search`] here, from the query syntax ([`query`]) through the tantivy
//! query (`builder`, with [`typo`] and [`cognate`] for words the index lacks) and the formula
//! ([`rank`], applied by `rerank`) to the snippets ([`snippet`]); citations ([`cites`]); reuse
//! and restated claims ([`reuse`], [`claims`]), which can be stopped ([`cancel`]). Defaults and
//! bounds a user's request gets are decided in [`crate::api`]; what is here holds for every
//! caller. What a search learns of the index rather than of its query (the names of a segment's
//! documents, which passages are formulas, whether there are embeddings) is kept for the next
//! query on the same segments (`memo`), so that a query pays for its own words only.

mod builder;
pub mod cancel;
pub mod cites;
pub mod claims;
pub mod cognate;
mod columns;
pub mod dense;
pub mod formula;
pub mod group;
mod held;
mod in_lang;
mod looked;
mod memo;
mod prefix;
pub mod query;
pub mod rank;
mod rerank;
pub mod reuse;
pub mod snippet;
mod ties;
pub mod typo;
mod union;

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::time::Instant;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::index::schema::lexicon_lang_code;
use crate::index::Engine;
use crate::model::Passage;
use crate::text;
use builder::Builder;
use cancel::Cancel;
use query::{Atom, FilterField, Occur, ParsedQuery};

/// A search as the engine takes it, every value given ([`crate::api::Search`] fills the
/// defaults).
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query as typed, in the syntax of [`query`]; may hold filters of its own.
    pub query: String,
    /// Hits to list: 0 (the count and notes alone) to [`MAX_LIMIT`].
    pub limit: usize,
    /// Hits to skip first, in rank order: at most [`MAX_OFFSET`].
    pub offset: usize,
    /// Only passages in this language (`id`, `en`): the same as `lang:` in the query.
    pub lang: Option<String>,
    /// Only passages of the document with this id or id beginning: the same as `doc:`.
    pub doc: Option<String>,
    /// Only passages of this section or its subsections (`2.1`): the same as `section:`.
    pub section: Option<String>,
    /// Only passages of this kind (`body`, `footnote`, ...): the same as `kind:`.
    pub kind: Option<String>,
    /// At most this many passages of one document before other documents' ([`group`]); 0
    /// shows them in rank order. Moot when the query names a document.
    pub per_doc: usize,
    /// Look for each word in its translations too (English ↔ Indonesian, from
    /// [`crate::text::lexicon`]); off, a query finds only what its own words say.
    pub translate: bool,
    /// How much the ranks of the passages nearest the query's meaning ([`dense`]) weigh against
    /// the ranks by words, when the index carries sentence embeddings ([`dense::W_DENSE`] by
    /// default; 1 is equal weight). 0, or an index without them, ranks by words alone: the
    /// passages found by meaning alone are not fused at all, rather than listed after every
    /// word match.
    pub dense_weight: f32,
    /// When to give up: never for the CLI; for the server, the request's timeout, or the slice
    /// of time a search may take on a thread that also reads requests. A search that runs out
    /// answers [`Error::Cancelled`], never a partial page.
    pub cancel: Cancel,
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
            per_doc: 0,
            translate: true,
            dense_weight: dense::W_DENSE,
            cancel: Cancel::never(),
        }
    }
}

/// Hits per page when a request does not say.
pub const DEFAULT_LIMIT: usize = 10;
/// Most hits one request may ask for.
pub const MAX_LIMIT: usize = 100;
/// Candidates `search --docs` ranks documents by: a document whose best passage is further
/// down comes after these, ordered by how many of its passages match.
pub const DOCS_POOL: usize = 1000;
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

/// One hit: a passage, and why it was found. Field names are a contract that scripts rely on:
/// the passage's own fields are flattened in beside the score, so a hit reads like a passage.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// The passage found; its fields appear at the top level of the hit.
    #[serde(flatten)]
    pub passage: Passage,
    /// The passage's final score ([`rank::score`]): higher ranks first. Comparable only
    /// between hits of the same query on the same index.
    pub score: f32,
    /// A window of the text around the matches, HTML-escaped, matches in `<mark>`.
    pub snippet: String,
    /// Byte ranges of the matched words in `text`.
    pub highlights: Vec<[usize; 2]>,
    /// Text the corpus repeats in many documents (a court's formula): ranked low
    /// ([`formula`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub formulaic: bool,
    /// On a document's last hit of a page, when passages per document are capped: how many
    /// more of its passages match and were not shown on this page or before ([`group`]).
    #[serde(skip_serializing_if = "is_zero")]
    pub more: usize,
    /// How to cite the passage (APA, BibTeX, in-text with its page or lines), when the request
    /// asked for it (`search --cite`, `cite=1`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cite: Option<crate::model::Cited>,
    /// Query words this passage holds only in translation, each with the translation found
    /// (`women` as `perempuan`): why an English query found an Indonesian paragraph.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<Via>,
}

/// A query word matched through its translation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Via {
    /// The query word (or words) as analyzed: `women`, `human trafficking`.
    pub word: String,
    /// The translation the passage holds, as the lexicon lists it: `perempuan`.
    #[serde(rename = "as")]
    pub to: String,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A hit is read as the passage it is (`hit.text`, `hit.lines`): the score and snippet are
/// what it adds, not a second copy of the passage's fields.
impl std::ops::Deref for Hit {
    type Target = Passage;
    fn deref(&self) -> &Passage {
        &self.passage
    }
}

/// The answer to a [`SearchRequest`]: how many passages match and the page of them asked for.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    /// The query as the request gave it (not as repaired: see `notes`).
    pub query: String,
    /// Passages matching, listed or not: what pages are counted against.
    pub total: usize,
    /// Time spent in the engine, in milliseconds (not counting rendering or the network).
    pub took_ms: f64,
    /// The requested page of hits, best first; empty when `limit` is 0 or past the end.
    pub hits: Vec<Hit>,
    /// Repairs made to the query (an unbalanced quote closed, a stray `:` ignored) and, when
    /// nothing matched, which filters match no passage by themselves.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Query words no passage holds, each with the indexed words one edit away that were
    /// searched for instead (also said in `notes`), so a page can show "results for …".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
}

/// A query word taken for a typo: what was typed, and the words searched for instead, the most
/// frequent first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correction {
    /// The word as analyzed (lower case, folded): `perdagngan`.
    pub word: String,
    /// The indexed words one edit away: `perdagangan`.
    pub to: Vec<String>,
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

/// The request's query with its filter fields added as filters, as if typed (`lang:id`).
fn parse_request(req: &SearchRequest) -> Result<ParsedQuery> {
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
            "the query is empty; type some words, a \"phrase\", or a filter such as kind:footnote"
                .into(),
        ));
    }
    Ok(parsed)
}

/// A query's candidates, re-ranked, with what the page needs to show them.
struct Ranked {
    /// The query as parsed, with the notes of its repairs.
    parsed: ParsedQuery,
    /// The re-ranked candidates: score, address, formulaic.
    top: Vec<(f32, tantivy::DocAddress, bool)>,
    /// How many of `top` were re-ranked; the rest keep the first pass's order.
    window: usize,
    /// Passages matching in all.
    total: usize,
    /// Matches per document, when asked for.
    counts: Option<group::Tally>,
    /// The document of each candidate of `top`, in the same order.
    docs: Vec<std::sync::Arc<str>>,
    /// Passages already read from the store while ranking.
    matcher: snippet::Matcher,
    corrections: Vec<Correction>,
    /// The translations the query was looked for in.
    via: Vec<builder::Translation>,
    /// The term dictionary entries the search looked up, for `via`'s postings.
    looked: looked::Looked,
}

/// Whether the query keeps to one document (`doc:` given), which makes a cap per document moot.
fn names_a_document(q: &ParsedQuery) -> bool {
    q.filters
        .iter()
        .any(|f| f.field == FilterField::Doc && !f.negated)
}

impl Engine {
    /// The query's best `pool` candidates (at least [`rerank::POOL`]), the first `window` of
    /// them re-ranked, the count of all matches and, with `per_doc`, how many match in each
    /// document.
    fn rank(
        &self,
        searcher: &tantivy::Searcher,
        req: &SearchRequest,
        (pool, window): (usize, usize),
        per_doc: bool,
    ) -> Result<Ranked> {
        check_page(req.limit, req.offset)?;
        let mut parsed = parse_request(req)?;
        let mut b = Builder::new(self, searcher);
        b.translate = req.translate;
        let q = b.build(&parsed)?;
        let want = pool.max(rerank::POOL);
        let pass = self.first_pass_counting(searcher, (&q, &b), want, per_doc, &req.cancel)?;
        req.cancel.check()?;
        let (top, total, counts) = (pass.top, pass.total, pass.counts);
        if total == 0 {
            parsed.notes.extend(b.empty_filters(&parsed.filters)?);
        }
        let words = (&b.coverage[..], &b.looked);
        let mut top = self.rerank(searcher, top, words, query_lang(&parsed), window)?;
        let tail = top.split_off(window.min(top.len()));
        if req.dense_weight > 0.0 {
            let (fused, note) =
                self.with_neighbours(searcher, &mut b, (&parsed, req.dense_weight), top)?;
            top = fused;
            parsed.notes.extend(note);
        }
        let window = top.len();
        top.extend(tail);
        let docs = self.headings_below_their_paragraphs(searcher, &mut top, window)?;
        for c in &b.corrections {
            parsed.notes.push(format!(
                "no passage holds {:?}; showing results for {}",
                c.word,
                c.to.join(", ")
            ));
        }
        Ok(Ranked {
            parsed,
            top,
            window,
            total,
            counts,
            docs,
            matcher: std::mem::take(&mut b.matcher),
            corrections: std::mem::take(&mut b.corrections),
            via: std::mem::take(&mut b.via),
            looked: b.looked,
        })
    }

    /// The hit for one candidate: its passage with snippet and highlights.
    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        (score, addr, formulaic): (f32, tantivy::DocAddress, bool),
        highlighter: &snippet::Highlighter,
    ) -> Result<Hit> {
        let passage = self.fetch(searcher, addr)?;
        let highlights = highlighter.highlights_in(&passage.text, &passage.lang);
        Ok(Hit {
            via: Vec::new(),
            snippet: snippet::snippet(&passage.text, &highlights),
            highlights,
            passage,
            score,
            formulaic,
            more: 0,
            cite: None,
        })
    }

    /// For each of `addrs`, the translations among `via` that its passage holds (in the
    /// translation's language) while it holds none of the word's own forms; one per query word
    /// and translation. Postings are read once per segment and term, seeking to the passages.
    fn vias(
        &self,
        searcher: &tantivy::Searcher,
        addrs: &[tantivy::DocAddress],
        (via, looked): (&[builder::Translation], &looked::Looked),
    ) -> Result<Vec<Vec<Via>>> {
        let mut out = vec![Vec::new(); addrs.len()];
        if via.is_empty() {
            return Ok(out);
        }
        let order = rerank::by_address(addrs.iter().copied());
        let columns = self.columns(searcher)?;
        for group in order.chunk_by(|&a, &b| addrs[a].segment_ord == addrs[b].segment_ord) {
            let reader = searcher.segment_reader(addrs[group[0]].segment_ord);
            let docs: Vec<u32> = group.iter().map(|&i| addrs[i].doc_id).collect();
            let segment = columns.of(reader);
            let langs: Vec<u64> = docs.iter().map(|&d| segment.lang(d)).collect();
            // Only a passage in a translation's language can have been found through it: its
            // forms are read for those passages alone (none, for English words on a page of
            // Indonesian passages).
            let mut held: HashMap<(&tantivy::Term, u64), Vec<f32>> = HashMap::new();
            for t in via {
                let code = lexicon_lang_code(t.lang);
                for term in t.terms.iter().chain(&t.own) {
                    if let Entry::Vacant(e) = held.entry((term, code)) {
                        let mut marks = vec![0f32; docs.len()];
                        let in_lang = |k: usize| langs[k] == code;
                        rerank::mark_where(
                            (reader, looked),
                            term,
                            &docs,
                            &mut marks,
                            1.0,
                            in_lang,
                        )?;
                        e.insert(marks);
                    }
                }
            }
            for (k, &i) in group.iter().enumerate() {
                let lang = langs[k];
                let holds = |term| held[&(term, lang)][k] > 0.0;
                for t in via
                    .iter()
                    .filter(|t| lexicon_lang_code(t.lang) == lang && t.terms.iter().any(holds))
                {
                    let v = Via {
                        word: t.word.clone(),
                        to: t.to.clone(),
                    };
                    let own = t.own.iter().any(holds);
                    if !own && !out[i].contains(&v) {
                        out[i].push(v);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Run a search: candidates by BM25, re-ranked by what the query words they contain are
    /// worth ([`rank`]), spread over documents ([`group`]), then the requested page with
    /// snippets.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse> {
        let started = Instant::now();
        let searcher = self.searcher();
        // Enough candidates that the pages a user turns are stable.
        let end = req.offset + req.limit;
        let cap = req.per_doc;
        let mut r = self.rank(&searcher, req, (end, rerank::POOL), cap > 0)?;
        if names_a_document(&r.parsed) {
            r.counts = None;
        }
        let mut more = Vec::new();
        if let Some(counts) = &r.counts {
            let docs = &r.docs;
            // Spread within the window only, for the reason it is re-ranked alone.
            let w = r.window.min(docs.len());
            let order: Vec<usize> = group::spread(&docs[..w], cap)
                .into_iter()
                .chain(w..docs.len())
                .collect();
            r.top = order.iter().map(|&i| r.top[i]).collect();
            let shown: Vec<&str> = order.iter().take(end).map(|&i| &*docs[i]).collect();
            let page = req.offset.min(shown.len())..shown.len();
            more = group::more_after(&shown, page, |d| counts.of(d));
        }
        let page: Vec<_> = r.top.iter().skip(req.offset).take(req.limit).collect();
        let addrs: Vec<_> = page.iter().map(|c| c.1).collect();
        let mut vias = self.vias(&searcher, &addrs, (&r.via, &r.looked))?;
        let mut hits = Vec::with_capacity(page.len());
        let highlighter = snippet::Highlighter::new(&r.matcher);
        for (k, cand) in page.into_iter().enumerate() {
            req.cancel.check()?;
            let mut hit = self.hit(&searcher, *cand, &highlighter)?;
            hit.more = more.get(k).copied().unwrap_or(0);
            hit.via = std::mem::take(&mut vias[k]);
            hits.push(hit);
        }
        Ok(SearchResponse {
            query: req.query.clone(),
            total: r.total,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            hits,
            notes: r.parsed.notes,
            corrections: r.corrections,
        })
    }

    /// Documents ranked by their best passage, each with how many of its passages match; the
    /// page is `offset`/`limit` over documents. A document none of whose passages is among the
    /// best [`DOCS_POOL`] candidates comes after those that have one, by how many match.
    pub fn search_docs(&self, req: &SearchRequest) -> Result<group::DocsResponse> {
        let started = Instant::now();
        let searcher = self.searcher();
        let r = self.rank(&searcher, req, (DOCS_POOL, DOCS_POOL), true)?;
        let counts = r.counts.map(group::Tally::into_map).unwrap_or_default();
        let docs = &r.docs;
        let mut best: Vec<(String, Option<usize>)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, d) in docs.iter().enumerate() {
            if seen.insert(d.clone()) {
                best.push((d.to_string(), Some(i)));
            }
        }
        let mut rest: Vec<(&String, &usize)> = counts
            .iter()
            .filter(|(d, _)| !seen.contains(d.as_str()))
            .collect();
        rest.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        best.extend(rest.into_iter().map(|(d, _)| (d.clone(), None)));
        let mut out = Vec::new();
        let highlighter = snippet::Highlighter::new(&r.matcher);
        for (doc, at) in best.into_iter().skip(req.offset).take(req.limit) {
            req.cancel.check()?;
            let cand = match at {
                Some(i) => Some(r.top[i]),
                None => self.best_in(&searcher, req, &doc)?,
            };
            let Some(cand) = cand else { continue };
            let mut hit = self.hit(&searcher, cand, &highlighter)?;
            hit.via = self
                .vias(&searcher, &[cand.1], (&r.via, &r.looked))?
                .remove(0);
            out.push(group::DocHit {
                title: hit.passage.title.clone(),
                matches: counts.get(&doc).copied().unwrap_or(0),
                doc,
                best: hit,
            });
        }
        Ok(group::DocsResponse {
            query: req.query.clone(),
            total_docs: counts.len(),
            total: r.total,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            docs: out,
            notes: r.parsed.notes,
            corrections: r.corrections,
        })
    }

    /// The best candidate of one document for the request's query.
    fn best_in(
        &self,
        searcher: &tantivy::Searcher,
        req: &SearchRequest,
        doc: &str,
    ) -> Result<Option<(f32, tantivy::DocAddress, bool)>> {
        let one = SearchRequest {
            doc: Some(doc.to_string()),
            limit: 1,
            offset: 0,
            ..req.clone()
        };
        Ok(self
            .rank(searcher, &one, (1, rerank::POOL), false)?
            .top
            .into_iter()
            .next())
    }
}
