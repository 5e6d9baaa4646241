//! The requests pustaka answers, with their defaults, bounds and validation, in one place.
//!
//! Why this module: the CLI and the HTTP server used to restate these rules and drifted apart.
//! `search --limit 500` was a 400 over HTTP and silently 100 in the CLI, `check
//! --min-similarity 7` a 400 over HTTP and accepted by the CLI, the default similarity was
//! written five times, `context` and `offset` were bounded only over HTTP. Like meilisearch's
//! request types, each request here is one struct that both front ends fill from what the user
//! typed (`None` where the user said nothing) and answer with [`Search::answer`] and its
//! siblings: what is accepted, every default and every error message come from here, so the
//! same request gets the same answer, or the same error, from both.
//!
//! The engine checks what every caller must respect (a page of hits, a similarity between 0
//! and 1, the size of a text to check) with the constants re-exported here; what only a user's
//! request has (a default when nothing was said, the cap on a listing, an empty text) is decided
//! here. Library callers (tests, reports) may still ask the engine for every pair or citation.

mod cite;
mod manuscript;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::index::{Context, Engine};
use crate::model::{Cited, Passage};
use crate::search::cancel::Cancel;
use crate::search::cites::{CitesRequest, CitesResponse, DocInfo, Page, RefsReport, WorkCount};
use crate::search::dense::W_DENSE;
use crate::search::group::DocsResponse;
use crate::search::reuse::{
    report, CheckResponse, DupesProgress, DupesRequest, DupesResponse, PairKind,
};
use crate::search::{SearchRequest, SearchResponse};

pub use crate::search::cites::{DEFAULT_CITES_LIMIT, MAX_CITES_LIMIT};
pub use crate::search::group::DEFAULT_PER_DOC;
pub use crate::search::reuse::{DEFAULT_MIN_SIMILARITY, MAX_CHECK_BYTES};
pub use crate::search::{check_page, DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET};
pub use manuscript::{Manuscript, ManuscriptText, MEDIA_TYPES};

/// Passages shown before and after a passage when a request does not say.
pub const DEFAULT_CONTEXT: usize = 1;
/// Most passages shown on each side of a passage.
pub const MAX_CONTEXT: usize = 10;
/// Most cited works listed when a request does not say.
pub const DEFAULT_TOP: usize = 20;
/// Most works, or pairs of passages, one request lists.
pub const MAX_LIST: usize = 1000;
/// Pairs of passages listed by dupes when a request does not say.
pub const DEFAULT_PAIRS: usize = 100;
/// Most a search's ranks by meaning may weigh against its ranks by words: past ten times,
/// the words' ranks only break ties among the neighbours, which a larger number says no better.
pub const MAX_DENSE_WEIGHT: f32 = 10.0;

/// A search: words, phrases and filters, and which page of hits.
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// The query as typed (see `pustaka search --help` for the syntax).
    pub query: String,
    /// Hits to list: 0 (the count and notes alone) to [`MAX_LIMIT`]; default [`DEFAULT_LIMIT`].
    pub limit: Option<usize>,
    /// Hits to skip first: at most [`MAX_OFFSET`]; default 0.
    pub offset: Option<usize>,
    /// Only passages in this language (`id`, `en`), as `lang:` in the query. Empty is the
    /// same as absent, for this filter and the three below.
    pub lang: Option<String>,
    /// Only passages of the document with this id or id beginning (`003`), as `doc:`.
    pub doc: Option<String>,
    /// Only passages of this section and its subsections (`2.1`), as `section:`.
    pub section: Option<String>,
    /// Only passages of this kind (`body`, `footnote`, ...), as `kind:`.
    pub kind: Option<String>,
    /// Give each hit its citation ([`Cite`]).
    pub cite: bool,
    /// Passages of one document a page shows before other documents': default
    /// [`DEFAULT_PER_DOC`], 0 for no cap, at most [`MAX_LIMIT`].
    pub per_doc: Option<usize>,
    /// Look for the query's words as typed only, not in their translations.
    pub no_translate: bool,
    /// Rank by words alone, not also by meaning (when the index carries embeddings).
    pub no_dense: bool,
    /// How much the ranks by meaning weigh against those by words, from 0 to
    /// [`MAX_DENSE_WEIGHT`] (1 is equal weight); default [`crate::search::dense::W_DENSE`].
    pub dense_weight: Option<f32>,
    /// When to give up ([`crate::search::SearchRequest::cancel`]); never, by default.
    pub cancel: Cancel,
}

impl Search {
    /// The request as the engine takes it, defaults filled in and bounds checked.
    fn request(&self) -> Result<SearchRequest> {
        let per_doc = self.per_doc.unwrap_or(DEFAULT_PER_DOC);
        if per_doc > MAX_LIMIT {
            return Err(Error::Invalid(format!(
                "per_doc must be between 0 (no cap) and {MAX_LIMIT}"
            )));
        }
        let dense_weight = self.dense_weight.unwrap_or(W_DENSE);
        if !(0.0..=MAX_DENSE_WEIGHT).contains(&dense_weight) {
            return Err(Error::Invalid(format!(
                "dense_weight must be between 0 and {MAX_DENSE_WEIGHT} (1 weighs meaning as much as words)"
            )));
        }
        Ok(SearchRequest {
            query: self.query.clone(),
            limit: self.limit.unwrap_or(DEFAULT_LIMIT),
            offset: self.offset.unwrap_or(0),
            lang: self.lang.clone(),
            doc: self.doc.clone(),
            section: self.section.clone(),
            kind: self.kind.clone(),
            per_doc,
            translate: !self.no_translate,
            dense_weight: if self.no_dense { 0.0 } else { dense_weight },
            cancel: self.cancel.clone(),
        })
    }

    /// Documents ranked by their best passage (`search --docs`); the page counts documents.
    pub fn answer_docs(&self, engine: &Engine) -> Result<DocsResponse> {
        let mut answer = engine
            .search_docs(&self.request()?)
            .map_err(named(engine))?;
        if self.cite {
            for d in &mut answer.docs {
                d.best.cite = Some(Cite::of(engine, &d.best.passage)?);
            }
        }
        Ok(answer)
    }

    /// The hits of the requested page.
    pub fn answer(&self, engine: &Engine) -> Result<SearchResponse> {
        let mut answer = engine.search(&self.request()?).map_err(named(engine))?;
        if self.cite {
            for hit in &mut answer.hits {
                hit.cite = Some(Cite::of(engine, &hit.passage)?);
            }
        }
        Ok(answer)
    }
}

/// How to cite one passage: its document in APA and BibTeX, and an in-text citation with the
/// passage's page or lines.
#[derive(Debug, Clone, Default)]
pub struct Cite {
    /// The passage id (`004_ee0b6ec72090fab7.txt#12`).
    pub id: String,
}

impl Cite {
    /// The citation, or [`Error::NotFound`] naming the id.
    pub fn answer(&self, engine: &Engine) -> Result<Cited> {
        let passage = engine
            .passage(self.id.trim())
            .map_err(named(engine))?
            .ok_or_else(|| no_passage(&self.id))?;
        Cite::of(engine, &passage)
    }

    fn of(engine: &Engine, passage: &Passage) -> Result<Cited> {
        let doc = engine
            .document(&passage.doc)
            .map_err(named(engine))?
            .ok_or_else(|| no_passage(&passage.id))?;
        Ok(cite::cite(passage, &doc))
    }
}

/// One passage with the passages around it.
#[derive(Debug, Clone, Default)]
pub struct Show {
    /// The passage id, as search answers it (`003_232135048410f2ab.txt#7`).
    pub id: String,
    /// Passages before and after: at most [`MAX_CONTEXT`]; default [`DEFAULT_CONTEXT`].
    pub context: Option<usize>,
    /// Instead of `context`: every passage on the passage's page (or pages), as printed.
    pub page: bool,
}

impl Show {
    /// The passage and its neighbours (or its page), or [`Error::NotFound`] naming the id;
    /// the page of a passage without one (a text or Word file) is an error saying so.
    pub fn answer(&self, engine: &Engine) -> Result<Context> {
        if self.page {
            if self.context.is_some() {
                return Err(invalid("give either a page or a context, not both"));
            }
            let c = (engine.page_context(&self.id).map_err(named(engine))?)
                .ok_or_else(|| no_passage(&self.id))?;
            if c.passage.page.is_none() {
                return Err(invalid(format!(
                    "{} has no page: its source has none (a text or Word file); show its \
                     neighbours with a context instead",
                    self.id
                )));
            }
            return Ok(c);
        }
        let around = self.context.unwrap_or(DEFAULT_CONTEXT);
        if around > MAX_CONTEXT {
            return Err(invalid(format!("context must be at most {MAX_CONTEXT}")));
        }
        engine
            .context(&self.id, around)
            .map_err(named(engine))?
            .ok_or_else(|| no_passage(&self.id))
    }
}

/// Citations: who cites a work, where.
#[derive(Debug, Clone, Default)]
pub struct Cites {
    /// Only citations of this author or organisation: surname, full name or abbreviation.
    pub author: Option<String>,
    /// Only citations of this year: four digits (`2016`), else an error saying so.
    pub year: Option<String>,
    /// Only citations in the document with this id or id beginning (`003`).
    pub doc: Option<String>,
    /// Only citations of this work key (`correa-cabrera-2016`), any case.
    pub work: Option<String>,
    /// Citations to list: 0 (the count alone) to [`crate::search::cites::MAX_CITES_LIMIT`].
    pub limit: Option<usize>,
    /// Citations to skip first.
    pub offset: Option<usize>,
}

impl Cites {
    /// The requested page of citations, with the total.
    pub fn answer(&self, engine: &Engine) -> Result<CitesResponse> {
        engine
            .citations(&CitesRequest {
                author: self.author.clone(),
                year: self.year.clone(),
                doc: self.doc.clone(),
                work: self.work.clone(),
                page: Some(Page::new(self.limit, self.offset)?),
            })
            .map_err(named(engine))
    }
}

/// The most cited works across the corpus.
#[derive(Debug, Clone, Default)]
pub struct Top {
    /// Works to list: 1 to [`MAX_LIST`]; default [`DEFAULT_TOP`].
    pub n: Option<usize>,
    /// Only works of this cited author or organisation (as `cites --author`).
    pub author: Option<String>,
    /// Only works cited with this year.
    pub year: Option<String>,
    /// Only citations in this document (its id or the beginning of it).
    pub doc: Option<String>,
}

/// The answer to [`Top`]: an object, so that fields can be added without breaking scripts.
#[derive(Debug, Clone, Serialize)]
pub struct TopWorks {
    /// The works, cited by the most documents first (then by more passages, more citations,
    /// then by key).
    pub works: Vec<WorkCount>,
}

impl Top {
    /// The `n` most cited works, with how many documents cite each.
    pub fn answer(&self, engine: &Engine) -> Result<TopWorks> {
        let n = self.n.unwrap_or(DEFAULT_TOP);
        if n == 0 || n > MAX_LIST {
            return Err(invalid(format!("n must be between 1 and {MAX_LIST}")));
        }
        let some = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let among = CitesRequest {
            author: some(&self.author),
            year: some(&self.year),
            doc: some(&self.doc),
            ..CitesRequest::default()
        };
        Ok(TopWorks {
            works: engine.top_works(n, &among).map_err(named(engine))?,
        })
    }
}

/// A document's bibliography against its citations.
#[derive(Debug, Clone, Default)]
pub struct Refs {
    /// A document id or the beginning of it.
    pub doc: String,
}

impl Refs {
    /// The document's bibliography with its citations; an empty `doc` is refused, and an
    /// unknown or ambiguous one is an error that says what the index holds.
    pub fn answer(&self, engine: &Engine) -> Result<RefsReport> {
        if self.doc.trim().is_empty() {
            return Err(invalid(
                "name a document: its id or the beginning of it, e.g. 004",
            ));
        }
        engine.refs(self.doc.trim()).map_err(named(engine))
    }
}

/// How a bibliography is written out: the names the CLI's `refs --format` and the API's
/// `format` take, decided here once so that the two accept the same names and write the same
/// bytes (`render::refs` writes every format for both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefsFormat {
    /// For a person at a terminal: each entry, how often it is cited, what does not match.
    Text,
    /// The [`RefsReport`] as JSON.
    Json,
    /// One row per entry, then one per citation that matches no entry.
    Csv,
    /// BibTeX records with full names and entry types (`@article`, `@book`, ...).
    Bibtex,
    /// RIS records (`TY` to `ER`), as EndNote, Zotero and Mendeley import them.
    Ris,
    /// CSL-JSON: an array of CSL items, as citeproc processors and Zotero read them.
    CslJson,
}

impl RefsFormat {
    /// Every format, in the order help lists them.
    pub const ALL: [RefsFormat; 6] = [
        RefsFormat::Text,
        RefsFormat::Json,
        RefsFormat::Csv,
        RefsFormat::Bibtex,
        RefsFormat::Ris,
        RefsFormat::CslJson,
    ];

    /// The name a request gives (`csl-json`).
    pub fn name(self) -> &'static str {
        match self {
            RefsFormat::Text => "text",
            RefsFormat::Json => "json",
            RefsFormat::Csv => "csv",
            RefsFormat::Bibtex => "bibtex",
            RefsFormat::Ris => "ris",
            RefsFormat::CslJson => "csl-json",
        }
    }

    /// One line of help for the format.
    pub fn about(self) -> &'static str {
        match self {
            RefsFormat::Text => "each entry, how often it is cited, citations without an entry",
            RefsFormat::Json => "the report as JSON",
            RefsFormat::Csv => "one row per entry, then per unmatched citation",
            RefsFormat::Bibtex => "BibTeX: @article, @book, @incollection, @techreport, ...",
            RefsFormat::Ris => "RIS (EndNote, Zotero, Mendeley)",
            RefsFormat::CslJson => "CSL-JSON (citeproc, Zotero, Pandoc)",
        }
    }

    /// The media type the server answers the format with.
    pub fn content_type(self) -> &'static str {
        match self {
            RefsFormat::Text => "text/plain; charset=utf-8",
            RefsFormat::Json => "application/json; charset=utf-8",
            RefsFormat::Csv => "text/csv; charset=utf-8",
            RefsFormat::Bibtex => "application/x-bibtex; charset=utf-8",
            RefsFormat::Ris => "application/x-research-info-systems; charset=utf-8",
            RefsFormat::CslJson => "application/vnd.citationstyles.csl+json; charset=utf-8",
        }
    }
}

impl std::str::FromStr for RefsFormat {
    type Err = Error;

    /// A format by name, any case; an unknown name is an error that lists the names.
    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim();
        RefsFormat::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let names: Vec<&str> = RefsFormat::ALL.iter().map(|f| f.name()).collect();
                invalid(format!(
                    "unknown format {s:?}; format must be one of {}",
                    names.join(", ")
                ))
            })
    }
}

/// The documents of the index, with their titles and what their texts say about them
/// (authors, year, journal, keywords, abstract).
#[derive(Debug, Clone, Serialize)]
pub struct Docs {
    /// Every document, sorted by id.
    pub docs: Vec<DocInfo>,
}

impl Docs {
    /// Every document of the index; the request has nothing to say, so this takes no `self`.
    pub fn answer(engine: &Engine) -> Result<Docs> {
        Ok(Docs {
            docs: engine.documents().map_err(named(engine))?,
        })
    }
}

/// The original file of a document, as `/api/docs/{doc}/file` serves it: a hit links to it (a
/// PDF at its page), so a reader checks a quotation against the source.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// The document id (`003_232135048410f2ab.txt`).
    pub doc: String,
}

/// Largest original file served whole: a PDF of a book is tens of megabytes; the cap keeps a
/// request from holding a disk image in memory.
pub const MAX_SOURCE_BYTES: u64 = 256 * 1024 * 1024;

/// A document's original file: its bytes and their media type.
#[derive(Debug, Clone)]
pub struct SourceBytes {
    /// The media type, from the file's extension (`application/pdf`, `text/plain`, Word's and
    /// OpenDocument's own).
    pub media_type: &'static str,
    /// The file's bytes, as indexed.
    pub bytes: Vec<u8>,
}

impl Source {
    /// The file the document was read from, if it is the document's own, unchanged since it
    /// was indexed, and not over [`MAX_SOURCE_BYTES`].
    pub fn answer(&self, engine: &Engine) -> Result<SourceBytes> {
        let file = engine.source_of(self.doc.trim()).map_err(named(engine))?;
        if file.len > MAX_SOURCE_BYTES {
            return Err(invalid(format!(
                "{} is {} MB, over the {} MB served whole",
                file.path.display(),
                file.len >> 20,
                MAX_SOURCE_BYTES >> 20
            )));
        }
        let bytes = std::fs::read(&file.path)
            .map_err(|e| Error::NotFound(format!("{}: {e}", file.path.display())))?;
        Ok(SourceBytes {
            media_type: media_type(&file.path, &bytes),
            bytes,
        })
    }
}

/// The media type of an original file by its extension; text is said to be UTF-8 only when it
/// is, so a browser does not misread a Latin-1 extraction.
fn media_type(path: &std::path::Path, bytes: &[u8]) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let utf8 = std::str::from_utf8(bytes).is_ok();
    match (ext.as_str(), utf8) {
        ("pdf", _) => "application/pdf",
        ("docx", _) => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("odt", _) => "application/vnd.oasis.opendocument.text",
        ("md", true) => "text/markdown; charset=utf-8",
        (_, true) => "text/plain; charset=utf-8",
        (_, false) => "text/plain",
    }
}

/// Passages that repeat or nearly repeat each other.
#[derive(Debug, Clone, Default)]
pub struct Dupes {
    /// From 0 to 1; default [`DEFAULT_MIN_SIMILARITY`].
    pub min_similarity: Option<f32>,
    /// Only pairs from two different documents.
    pub cross_doc: bool,
    /// Pairs to list: 1 to [`MAX_LIST`]; default [`DEFAULT_PAIRS`].
    pub limit: Option<usize>,
    /// Also restated claims.
    pub claims: bool,
    /// From 0 to 1; default [`crate::search::claims::MIN_SCORE`].
    pub min_claim: Option<f32>,
    /// Also pairs of formulaic passages (text the corpus repeats in many documents).
    pub formulaic: bool,
    /// Also pairs of passages that translate each other (a search per passage: slower).
    pub translated: bool,
    /// Only pairs of this kind (and the pass that finds them turned on).
    pub kind: Option<PairKind>,
    /// Align every candidate, so the counts and groups are complete (slower).
    pub count_all: bool,
}

impl Dupes {
    /// The pairs, most distinctive first; stops with [`Error::Cancelled`] once `cancel` is
    /// set.
    pub fn answer(&self, engine: &Engine, cancel: &Cancel) -> Result<DupesResponse> {
        self.answer_observed(engine, cancel, &|_| {})
    }

    /// [`Dupes::answer`], telling `progress` how far the long steps are.
    pub fn answer_observed(
        &self,
        engine: &Engine,
        cancel: &Cancel,
        progress: &(dyn Fn(DupesProgress) + Sync),
    ) -> Result<DupesResponse> {
        let limit = self.limit.unwrap_or(DEFAULT_PAIRS);
        if limit == 0 || limit > MAX_LIST {
            return Err(invalid(format!("limit must be between 1 and {MAX_LIST}")));
        }
        let req = DupesRequest {
            min_similarity: self.min_similarity.unwrap_or(DEFAULT_MIN_SIMILARITY),
            cross_doc: self.cross_doc,
            limit: Some(limit),
            claims: self.claims,
            min_claim: self.min_claim.unwrap_or(crate::search::claims::MIN_SCORE),
            formulaic: self.formulaic,
            translated: self.translated,
            kind: self.kind,
            count_all: self.count_all,
        };
        engine
            .dupes_observed(&req, cancel, progress)
            .map_err(named(engine))
    }
}

/// Candidate pairs found outside pustaka (the Spark job's corpus-wide join of fingerprints),
/// aligned as `dupes` aligns its own: the reuse pairs among them, all of them.
#[derive(Debug, Clone, Default)]
pub struct Align {
    /// Passage ids, two by two.
    pub pairs: Vec<(String, String)>,
    /// From 0 to 1, as [`Dupes::min_similarity`].
    pub min_similarity: f32,
    /// Also pairs of formulaic passages.
    pub formulaic: bool,
}

impl Align {
    /// The reuse pairs among the candidates; a passage id not in the index is an error.
    pub fn answer(&self, engine: &Engine) -> Result<DupesResponse> {
        let req = DupesRequest {
            min_similarity: self.min_similarity,
            formulaic: self.formulaic,
            ..DupesRequest::default()
        };
        engine
            .dupes_of_pairs(&self.pairs, &req, &Cancel::never())
            .map_err(named(engine))
    }
}

/// The rule a join outside pustaka applies to find `dupes`' candidates: pairs of passages
/// sharing a fingerprint that 2 to `max_shared` passages hold (a fingerprint held by more is
/// boilerplate and pairs nothing). Printed by `pustaka align --rules`, so the job never holds
/// a copy of the figure.
#[derive(Debug, Clone, Serialize)]
pub struct AlignRules {
    /// [`crate::search::reuse::MAX_SHARED`].
    pub max_shared: usize,
}

impl AlignRules {
    /// The rules of this version.
    pub fn current() -> AlignRules {
        AlignRules {
            max_shared: crate::search::reuse::MAX_SHARED,
        }
    }
}

/// A text checked for reuse of corpus passages.
#[derive(Debug, Clone, Default)]
pub struct Check {
    /// The text: a paragraph or a whole draft, at most [`MAX_CHECK_BYTES`].
    pub text: String,
    /// From 0 to 1; default [`DEFAULT_MIN_SIMILARITY`].
    pub min_similarity: Option<f32>,
    /// The report leaves out stretches of fewer words: 1 to [`MAX_MIN_WORDS`]; default
    /// [`report::DEFAULT_MIN_WORDS`].
    pub min_words: Option<usize>,
    /// The report counts stretches inside quotation marks.
    pub include_quotes: bool,
    /// The report counts the manuscript's bibliography.
    pub include_bibliography: bool,
    /// The report leaves out the matches of these documents (ids or their starts).
    pub exclude_docs: Vec<String>,
    /// What of the manuscript could not be read ([`ManuscriptText::notes`]): the report
    /// names it ([`report::Report::unread`]).
    pub unread: Vec<String>,
}

/// Largest `min_words` a check takes: a longer bar would leave out whole copied paragraphs.
pub const MAX_MIN_WORDS: usize = 200;

impl Check {
    /// Each paragraph of the text that reuses corpus passages, with those passages, and the
    /// report over the whole text.
    pub fn answer(&self, engine: &Engine, cancel: &Cancel) -> Result<CheckResponse> {
        if self.text.trim().is_empty() {
            return Err(invalid("the text to check is empty"));
        }
        let min = self.min_similarity.unwrap_or(DEFAULT_MIN_SIMILARITY);
        let min_words = self.min_words.unwrap_or(report::DEFAULT_MIN_WORDS);
        if !(1..=MAX_MIN_WORDS).contains(&min_words) {
            return Err(invalid(format!(
                "min-words must be between 1 and {MAX_MIN_WORDS}"
            )));
        }
        let opts = report::ReportOptions {
            min_words,
            include_quotes: self.include_quotes,
            include_bibliography: self.include_bibliography,
            exclude_docs: self
                .exclude_docs
                .iter()
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty())
                .collect(),
        };
        let mut resp = engine
            .check_cancellable(&self.text, min, &opts, cancel)
            .map_err(named(engine))?;
        resp.report.unread = self.unread.clone();
        Ok(resp)
    }
}

/// Names the engine's index directory in an error about the index: query code reads tantivy
/// through `?`, which cannot know the directory, so every answer passes through here.
fn named(engine: &Engine) -> impl Fn(Error) -> Error + '_ {
    move |e| e.at(engine.dir())
}

fn no_passage(id: &str) -> Error {
    Error::NotFound(format!(
        "no passage {id:?}; ids look like 003_232135048410f2ab.txt#7 (see `pustaka search`)"
    ))
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::Invalid(msg.into())
}
