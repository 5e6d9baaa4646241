//! Citation queries over the index: where a work is cited, which works are cited most, and a
//! document's bibliography checked against its citations.
//!
//! These read the citations stored with each passage (extracted at index time), so they agree
//! with `cites:` in search and cost no re-parsing; the CLI and the server both call them.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use crate::error::{Error, Result};
use crate::index::Engine;
use crate::model::{Citation, DocMeta, Kind, Location, Passage, Reference, Style};
use crate::text::names;

/// Which citations to list; every field narrows.
#[derive(Debug, Clone, Default)]
pub struct CitesRequest {
    /// A cited author or organisation: surname, full name or abbreviation.
    pub author: Option<String>,
    /// A cited year (`2016`).
    pub year: Option<String>,
    /// A document id or its beginning (`003`).
    pub doc: Option<String>,
    /// A work key (`correa-cabrera-2016`).
    pub work: Option<String>,
    /// Which citations to list ([`Page::new`]); `None` lists all (for the library's own use:
    /// a large corpus has tens of thousands).
    pub page: Option<Page>,
}

/// Citations listed when a request does not say.
pub const DEFAULT_CITES_LIMIT: usize = 100;
/// Most citations one request lists: 13,285 of them made an 11.5 MB reply.
pub const MAX_CITES_LIMIT: usize = 1000;

/// A page of citations, validated once for the CLI and the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Citations to list: 0 (the count alone) to [`MAX_CITES_LIMIT`].
    pub limit: usize,
    /// Citations to skip first, counted over all that match.
    pub offset: usize,
}

impl Page {
    /// `limit` defaults to [`DEFAULT_CITES_LIMIT`] and may be 0 (the count alone) up to
    /// [`MAX_CITES_LIMIT`]; `offset` defaults to 0.
    pub fn new(limit: Option<usize>, offset: Option<usize>) -> Result<Page> {
        let limit = limit.unwrap_or(DEFAULT_CITES_LIMIT);
        if limit > MAX_CITES_LIMIT {
            return Err(Error::Invalid(format!(
                "limit must be between 0 and {MAX_CITES_LIMIT} (0 counts the citations without listing them)"
            )));
        }
        Ok(Page {
            limit,
            offset: offset.unwrap_or(0),
        })
    }

    fn holds(&self, i: usize) -> bool {
        i >= self.offset && i - self.offset < self.limit
    }
}

/// A bibliography entry as shown next to a citation.
#[derive(Debug, Clone, Serialize)]
pub struct EntryRef {
    /// 0-based place of the entry in its document's bibliography: what `uncited` lists.
    pub index: usize,
    /// `doc#n` of the bibliography passage that is the entry.
    pub passage_id: String,
    /// 1-based first and last source line of the entry.
    pub lines: [usize; 2],
    /// The entry as it reads in the document (cleaned passage text).
    pub text: String,
    /// Authors as the entry gives them: surnames of persons, full names of organisations.
    pub authors: Vec<String>,
    /// `2021`, `2023a`; null for `n.d.` or when the entry gives none.
    pub year: Option<String>,
    /// The work's title; null when the entry's title could not be told apart.
    pub title: Option<String>,
    /// The first web address in the entry; null when it gives none.
    pub url: Option<String>,
}

/// One citation at one place.
#[derive(Debug, Clone, Serialize)]
pub struct Occurrence {
    /// Cited names as written; for a numbered or footnote citation, the authors of the entry it
    /// points at.
    pub authors: Vec<String>,
    /// The cited year (`2016`, `2023a`); null when the citation gives none.
    pub year: Option<String>,
    /// The citation as it stands in the text (`(Breuning, 2007; SRE, 2020)`, `[3]`).
    pub raw: String,
    /// How it is written: `parenthetical`, `narrative`, `source`, `cue`, `numbered`, `footnote`.
    pub style: Style,
    /// Reference or footnote number; absent for author–year citations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// The citing passage.
    #[serde(flatten)]
    pub at: Location,
    /// The line the citation itself stands on.
    pub line: usize,
    /// Corpus-wide key of the cited work (`correa-cabrera-2016`): what `work:` and `--work`
    /// take.
    pub work: String,
    /// The linked bibliography entry, or null.
    pub entry: Option<EntryRef>,
}

/// The answer to [`CitesRequest`]: the count of every matching citation and the page asked for.
#[derive(Debug, Clone, Serialize)]
pub struct CitesResponse {
    /// Citations matching, listed or not.
    pub total: usize,
    /// The page listed (absent when all are).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    /// Citations skipped before the page (absent when all are listed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
    /// The page of citations, in document and passage order.
    pub citations: Vec<Occurrence>,
}

/// A work with how often, and from how many documents, it is cited.
#[derive(Debug, Clone, Serialize)]
pub struct WorkCount {
    /// Corpus-wide key of the work (`correa-cabrera-2016`).
    pub work: String,
    /// As a linked bibliography entry spells them, else as the first citation wrote them.
    pub authors: Vec<String>,
    /// The year, from a linked entry when there is one; null when no citation gives one.
    pub year: Option<String>,
    /// From a linked bibliography entry; null when no citation of the work is linked to one.
    pub title: Option<String>,
    /// Citation occurrences.
    pub citations: usize,
    /// Distinct passages that cite it.
    pub passages: usize,
    /// Distinct documents that cite it: how widely it is used, where `citations` says how
    /// often.
    pub documents: usize,
    /// Ids of those documents, sorted.
    pub docs: Vec<String>,
}

/// One bibliography entry with the citations that point at it.
#[derive(Debug, Clone, Serialize)]
pub struct RefEntry {
    /// The entry as a citation shows it; its fields appear at the top level.
    #[serde(flatten)]
    pub entry: EntryRef,
    /// Journal, book, publisher or site the work appeared in; null when not told apart.
    pub container: Option<String>,
    /// The DOI, bare (`10.24198/…`); null when the entry gives none.
    pub doi: Option<String>,
    /// The sub-list the entry stands under (`Buku`, `Situs Elektronik`); null in a single list.
    pub sublist: Option<String>,
    /// Written with a ditto mark (`—.`): its authors were taken from the entry before.
    pub ditto: bool,
    /// The entry's number in a numbered list (`[3]`); null in an author–year list.
    pub number: Option<u32>,
    /// Corpus-wide key of the work, the same key its citations carry.
    pub work: String,
    /// How many citations in the document link to this entry.
    pub cited: usize,
    /// Ids of the passages that cite it.
    pub cited_by: Vec<String>,
}

/// A document's bibliography checked against its citations.
#[derive(Debug, Clone, Serialize)]
pub struct RefsReport {
    /// The document's full id (the request may have named only its beginning).
    pub doc: String,
    /// The document's title.
    pub title: String,
    /// Every parsed bibliography entry, in the order of the bibliography.
    pub entries: Vec<RefEntry>,
    /// Citations that match no entry.
    pub unmatched: Vec<Occurrence>,
    /// Indices of entries no citation points at.
    pub uncited: Vec<usize>,
}

/// A document of the index with what its text says about itself: for `docs`, pickers and
/// citations.
#[derive(Debug, Clone, Serialize)]
pub struct DocInfo {
    /// The document id, what `doc:` and `--doc` take.
    pub id: String,
    /// Its title, as its first passage carries it; empty if it has none.
    pub title: String,
    /// Authors and year as a citation names it (`Saragih & Alfajri (2023)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cite_as: Option<String>,
    /// Authors, affiliation, year, journal, keywords, abstract, as far as the text states them.
    #[serde(flatten)]
    pub meta: DocMeta,
}

impl Engine {
    /// Every document with its title and metadata, sorted by id.
    pub fn documents(&self) -> Result<Vec<DocInfo>> {
        let mut out = Vec::new();
        for id in self.doc_ids()? {
            out.extend(self.document(&id)?);
        }
        Ok(out)
    }

    /// One document with its title and metadata; `None` when the index does not hold it.
    pub fn document(&self, id: &str) -> Result<Option<DocInfo>> {
        Ok(self.doc_head(id)?.map(|(first, meta)| DocInfo {
            id: id.to_string(),
            title: first.title,
            cite_as: meta.cite_as(),
            meta,
        }))
    }

    /// The one document `prefix` names (an id or its unique beginning).
    pub fn resolve_doc(&self, prefix: &str) -> Result<String> {
        let ids = self.doc_ids()?;
        if let Some(id) = ids.iter().find(|d| *d == prefix) {
            return Ok(id.clone());
        }
        let hits: Vec<&String> = ids.iter().filter(|d| d.starts_with(prefix)).collect();
        match hits.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(Error::NotFound(format!(
                "no document {prefix:?} in the index ({} documents; `pustaka stats` lists them by file)",
                ids.len()
            ))),
            many => Err(Error::Query(format!(
                "doc {prefix:?} is ambiguous: {} documents start with it, e.g. {}",
                many.len(),
                many.iter().take(3).map(|s| s.to_string()).collect::<Vec<_>>().join(", ")
            ))),
        }
    }

    /// Stored passages matching `q`, in document order.
    fn passages_where(&self, q: &dyn Query) -> Result<Vec<Passage>> {
        let searcher = self.searcher();
        let addrs = searcher.search(q, &DocSetCollector)?;
        let mut out = Vec::with_capacity(addrs.len());
        for a in addrs {
            out.push(self.fetch(&searcher, a)?);
        }
        out.sort_by(|a, b| a.doc.cmp(&b.doc).then(a.number().cmp(&b.number())));
        Ok(out)
    }

    fn term(&self, field: tantivy::schema::Field, v: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, v),
            IndexRecordOption::Basic,
        ))
    }

    fn doc_query(&self, prefix: &str) -> Box<dyn Query> {
        super::prefix::beginning_with(self.fields.doc, prefix)
    }

    /// The bibliography of a document, by entry index.
    fn bibliography(&self, doc: &str) -> Result<BTreeMap<usize, (Passage, Reference)>> {
        let q = BooleanQuery::new(vec![
            (Occur::Must, self.term(self.fields.doc, doc)),
            (
                Occur::Must,
                self.term(self.fields.kind, Kind::Bibliography.as_str()),
            ),
        ]);
        let mut out = BTreeMap::new();
        for p in self.passages_where(&q)? {
            if let Some(r) = p.reference.clone() {
                if let Some(i) = r.index {
                    out.insert(i, (p, r));
                }
            }
        }
        Ok(out)
    }

    /// Citation occurrences, filtered; in document and passage order.
    pub fn citations(&self, req: &CitesRequest) -> Result<CitesResponse> {
        let mut must: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, self.term(self.fields.cited, "y"))];
        if let Some(d) = req.doc.as_deref().filter(|d| !d.is_empty()) {
            must.push((Occur::Must, self.doc_query(d)));
        }
        if let Some(w) = req.work.as_deref().filter(|w| !w.is_empty()) {
            must.push((Occur::Must, self.term(self.fields.work, &w.to_lowercase())));
        }
        let year = match req.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
            Some(y) if y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()) => {
                must.push((Occur::Must, self.term(self.fields.year, y)));
                Some(y.to_string())
            }
            Some(y) => {
                return Err(Error::Query(format!(
                    "year {y:?} is not a year; use four digits, e.g. --year 2016"
                )))
            }
            None => None,
        };
        let author = req
            .author
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(names::Name::new);
        let q = BooleanQuery::new(must);
        let mut bibs: BTreeMap<String, BTreeMap<usize, (Passage, Reference)>> = BTreeMap::new();
        let mut out = Vec::new();
        let mut total = 0;
        for p in self.passages_where(&q)? {
            for c in &p.citations {
                if year
                    .as_deref()
                    .is_some_and(|y| !c.year.as_deref().is_some_and(|cy| cy.starts_with(y)))
                {
                    continue;
                }
                if req
                    .work
                    .as_deref()
                    .is_some_and(|w| !w.is_empty() && c.work != w.to_lowercase())
                {
                    continue;
                }
                if let Some(a) = &author {
                    if !cites_author(c, a) {
                        continue;
                    }
                }
                total += 1;
                if req.page.is_some_and(|pg| !pg.holds(total - 1)) {
                    continue;
                }
                let entry = match c.entry {
                    Some(i) => {
                        if !bibs.contains_key(&p.doc) {
                            bibs.insert(p.doc.clone(), self.bibliography(&p.doc)?);
                        }
                        bibs.get(&p.doc)
                            .and_then(|b| b.get(&i))
                            .map(|(bp, r)| entry_ref(i, bp, r))
                    }
                    None => None,
                };
                out.push(occurrence(&p, c, entry));
            }
        }
        Ok(CitesResponse {
            total,
            limit: req.page.map(|pg| pg.limit),
            offset: req.page.map(|pg| pg.offset),
            citations: out,
        })
    }

    /// The `n` most cited works across the corpus, or among the citations `among` selects
    /// (an author, a year, a document; its page is ignored): by how many documents cite each,
    /// then passages, then citations.
    pub fn top_works(&self, n: usize, among: &CitesRequest) -> Result<Vec<WorkCount>> {
        let all = self.citations(&CitesRequest {
            page: None,
            ..among.clone()
        })?;
        let mut by: BTreeMap<String, (WorkCount, BTreeSet<String>, BTreeSet<String>)> =
            BTreeMap::new();
        for o in all.citations {
            let e = by.entry(o.work.clone()).or_insert_with(|| {
                (
                    WorkCount {
                        work: o.work.clone(),
                        authors: o.authors.clone(),
                        year: o.year.clone(),
                        title: None,
                        citations: 0,
                        passages: 0,
                        documents: 0,
                        docs: Vec::new(),
                    },
                    BTreeSet::new(),
                    BTreeSet::new(),
                )
            });
            e.0.citations += 1;
            e.1.insert(o.at.doc.clone());
            e.2.insert(o.at.passage_id.clone());
            if let Some(en) = &o.entry {
                // A bibliography's spelling of the work beats a citation's abbreviation.
                if e.0.title.is_none() {
                    e.0.title = en.title.clone();
                    e.0.authors = en.authors.clone();
                    e.0.year = en.year.clone().or(e.0.year.clone());
                }
            }
        }
        let mut works: Vec<WorkCount> = by
            .into_values()
            .map(|(mut w, docs, passages)| {
                w.documents = docs.len();
                w.passages = passages.len();
                w.docs = docs.into_iter().collect();
                w
            })
            .collect();
        // Breadth first: a work one article cites forty times is that article's topic, one that
        // ten documents cite is the field's reference.
        works.sort_by(|a, b| {
            b.documents
                .cmp(&a.documents)
                .then(b.passages.cmp(&a.passages))
                .then(b.citations.cmp(&a.citations))
                .then(a.work.cmp(&b.work))
        });
        works.truncate(n);
        Ok(works)
    }

    /// A document's bibliography with how often each entry is cited, the citations that match
    /// no entry and the entries never cited: the editor's check.
    pub fn refs(&self, doc: &str) -> Result<RefsReport> {
        let doc = self.resolve_doc(doc)?;
        let passages = self.passages_where(&*self.term(self.fields.doc, &doc))?;
        let title = passages
            .first()
            .map(|p| p.title.clone())
            .unwrap_or_default();
        let mut entries: Vec<RefEntry> = Vec::new();
        for p in &passages {
            if p.kind != Kind::Bibliography {
                continue;
            }
            let Some(r) = &p.reference else { continue };
            let Some(i) = r.index else { continue };
            entries.push(RefEntry {
                entry: entry_ref(i, p, r),
                container: r.container.clone(),
                doi: r.doi.clone(),
                sublist: r.sublist.clone(),
                ditto: r.ditto,
                number: r.number,
                work: r.work.clone(),
                cited: 0,
                cited_by: Vec::new(),
            });
        }
        entries.sort_by_key(|e| e.entry.index);
        let mut unmatched = Vec::new();
        for p in &passages {
            for c in &p.citations {
                match c
                    .entry
                    .and_then(|i| entries.iter_mut().find(|e| e.entry.index == i))
                {
                    Some(e) => {
                        e.cited += 1;
                        if !e.cited_by.contains(&p.id) {
                            e.cited_by.push(p.id.clone());
                        }
                    }
                    None => unmatched.push(occurrence(p, c, None)),
                }
            }
        }
        let uncited = entries
            .iter()
            .filter(|e| e.cited == 0)
            .map(|e| e.entry.index)
            .collect();
        Ok(RefsReport {
            doc,
            title,
            entries,
            unmatched,
            uncited,
        })
    }
}

/// Whether a citation names `who` (surname, full name, abbreviation, or a word of a name).
fn cites_author(c: &Citation, who: &names::Name) -> bool {
    let k = &who.key;
    c.authors.iter().chain(c.abbrev.as_ref()).any(|a| {
        let author = names::Name::new(a);
        who.matches(&author) > 0
            || author.key.contains(k.as_str()) && k.len() >= 3
            || author.acronym() == Some(k.as_str())
    })
}

fn entry_ref(index: usize, p: &Passage, r: &Reference) -> EntryRef {
    EntryRef {
        index,
        passage_id: p.id.clone(),
        lines: p.lines,
        text: p.text.clone(),
        authors: r.authors.clone(),
        year: r.year.clone(),
        title: r.title.clone(),
        url: r.url.clone(),
    }
}

fn occurrence(p: &Passage, c: &Citation, entry: Option<EntryRef>) -> Occurrence {
    Occurrence {
        authors: c.authors.clone(),
        year: c.year.clone(),
        raw: c.raw.clone(),
        style: c.style,
        number: c.number,
        at: p.location(),
        line: c.line,
        work: c.work.clone(),
        entry,
    }
}
