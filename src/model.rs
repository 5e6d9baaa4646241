//! Plain data types that flow between the stages.
//!
//! Stages talk in these types, never in tantivy types, so that text processing can be tested
//! without an index and the index can change without touching ingest.

mod cite;
mod meta;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use cite::{Citation, Citations, Degree, Person, Reference, Style, Work, WorkType};
pub use meta::{is_organisation, surname, Cited, DocMeta};

/// One source document, decoded to text but otherwise untouched.
///
/// A `.txt`/`.md`/`.pdf` file is one document; a `.jsonl` file holds one document per line.
#[derive(Debug, Clone)]
pub struct Document {
    /// Stable id: the path relative to the root it was found under (`000_x.txt`), or the
    /// `id` field of a JSON Lines record. The same corpus gives the same ids, run after run.
    pub id: String,
    /// The file the document came from.
    pub path: PathBuf,
    /// For a JSON Lines record, its 1-based line in `path`; positions of passages are then
    /// relative to the record's `text`, not to the file.
    pub record_line: Option<usize>,
    /// A title given by the source (JSON Lines `title`); ingest prefers the first real title line.
    pub title_hint: Option<String>,
    /// A language given by the source (JSON Lines `lang`).
    pub lang_hint: Option<String>,
    /// The decoded text.
    pub text: String,
    /// How the bytes were decoded (`UTF-8`, `windows-1252`, ...).
    pub encoding: &'static str,
    /// For a PDF, its pages without a text layer: read by OCR, or left out.
    pub scanned: ScannedPages,
}

/// The pages of a PDF (1-based) that have no text layer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScannedPages {
    /// Read by OCR (`--ocr`): their passages are marked [`Passage::ocr`].
    pub ocr: Vec<u32>,
    /// Left empty: read without `--ocr`, or OCR failed on them. An index run with `--ocr`
    /// reads such a file again even when it has not changed.
    pub unread: Vec<u32>,
}

/// What a passage is, so that search can filter and rank by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Running text: a paragraph of the document proper, what a reader quotes.
    Body,
    /// A chapter, section or named-part heading (`BAB II …`, `2.1 Latar Belakang`, `Abstract`).
    Heading,
    /// The abstract (`Abstrak`, `Abstract`), in either language.
    Abstract,
    /// The keyword line (`Kata kunci:`, `Keywords:`).
    Keywords,
    /// A figure or table caption, or a `Sumber:`/`Source:` line under one.
    Caption,
    /// Tabular rows: tab-separated lines kept together.
    Table,
    /// A footnote's text, numbered as its marker in the body.
    Footnote,
    /// One entry of the document's list of references (`DAFTAR PUSTAKA`, `References`).
    Bibliography,
}

impl Kind {
    /// Every kind, in the order of their [`Kind::code`]s; append only, or stored codes change
    /// meaning.
    pub const ALL: [Kind; 8] = [
        Kind::Body,
        Kind::Heading,
        Kind::Abstract,
        Kind::Keywords,
        Kind::Caption,
        Kind::Table,
        Kind::Footnote,
        Kind::Bibliography,
    ];

    /// The lowercase name used in JSON, in `kind:` filters and in the index (`body`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Body => "body",
            Kind::Heading => "heading",
            Kind::Abstract => "abstract",
            Kind::Keywords => "keywords",
            Kind::Caption => "caption",
            Kind::Table => "table",
            Kind::Footnote => "footnote",
            Kind::Bibliography => "bibliography",
        }
    }

    /// A stable number for the kind (its place in [`Kind::ALL`]).
    pub fn code(self) -> u64 {
        Kind::ALL.iter().position(|&k| k == self).unwrap_or(0) as u64
    }

    /// The kind of a stored [`Kind::code`]; an unknown code (which an index of the current
    /// schema never holds) reads as [`Kind::Body`] rather than failing the ranking.
    pub fn from_code(code: u64) -> Kind {
        Kind::ALL.get(code as usize).copied().unwrap_or(Kind::Body)
    }

    /// The kind a user named (`Body`, ` footnote`): case and surrounding space ignored; `None`
    /// when no kind has that name, so that the caller can list the names in its error.
    pub fn parse(s: &str) -> Option<Kind> {
        let s = s.trim().to_ascii_lowercase();
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A paragraph-sized piece of a document that knows where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    /// `doc#n`, n counting passages in document order from 1: stable for an unchanged file.
    pub id: String,
    /// The [`Document::id`] of the document it belongs to.
    pub doc: String,
    /// The document's title (the same for all its passages): the source's own, else the first
    /// real title line, else the opening of the first paragraph.
    pub title: String,
    /// How its document is cited, as its header states authors and year (`Saragih & Alfajri
    /// (2023)`); `None` when the text names no author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cite_as: Option<String>,
    /// The chapter it stands in, as headed (`BAB II — KEBIJAKAN LUAR NEGERI FEMINIST MEKSIKO`);
    /// `None` when no chapter heading precedes it.
    pub chapter: Option<String>,
    /// Section number (`2.1.1`), when the source numbers its sections.
    pub section: Option<String>,
    /// Section title, or the named part (`Abstract`, `PENDAHULUAN`, `DAFTAR PUSTAKA`).
    pub section_title: Option<String>,
    /// The title a numbered run of sub-headings stands under (`Dampak Fisik dan Psikologis
    /// Korban` over `2. Post Traumatic Stress Disorder (PTSD)`): what the passage is about even
    /// when neither its text nor its own heading says it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_title: Option<String>,
    /// What the passage is: body text, heading, footnote, bibliography entry, ...
    pub kind: Kind,
    /// ISO 639-1 code (`id`, `en`, ...).
    pub lang: String,
    /// 1-based page, when the source marks pages (form feeds or numbered running footers).
    pub page: Option<u32>,
    /// The page it ends on: `page` itself, or a later one when the paragraph runs over a page
    /// break (it stays one passage, as the reader reads it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_end: Option<u32>,
    /// Its first line within `page` and its last line within `page_end` (1-based, counted
    /// down the page's text as a reader counts lines on a printed page): how a student finds
    /// the quote on the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_lines: Option<[usize; 2]>,
    /// 1-based first and last line in the source (the record's text for JSON Lines).
    pub lines: [usize; 2],
    /// Byte offsets `[start, end)` into the decoded source text.
    pub bytes: [usize; 2],
    /// Cleaned text: lines joined, hyphenation resolved, boilerplate removed, NFKC.
    pub text: String,
    /// Its text was read by OCR from a scanned page (`index --ocr`), so a word may be misread.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ocr: bool,
    /// Footnote numbers whose markers stand in this passage (body) or that this passage is (footnote).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub footnotes: Vec<u32>,
    /// In-text citations, one per cited work, linked to this document's bibliography.
    #[serde(default, skip_serializing_if = "Citations::holds_none")]
    pub citations: Citations,
    /// For a bibliography entry or a footnote: what it references, parsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<Reference>,
    /// Where each source line starts in `text`, as `(offset, line)`: maps a span of the text
    /// (a citation, a reused sentence) back to the line a user opens.
    #[serde(skip)]
    pub line_map: Vec<(usize, usize)>,
    /// Footnote markers in this passage as `(number, offset in text, source line)`.
    #[serde(skip)]
    pub marks: Vec<(u32, usize, usize)>,
    /// Winnowed shingle hashes ([`crate::text::fingerprint`]) of a passage that can carry a
    /// claim (body, abstract, caption, table); empty for the rest and for short passages.
    #[serde(skip)]
    pub fingerprints: Vec<u64>,
    /// Its words as the index's three text fields take them, read once with the fingerprints
    /// ([`crate::text::forms()`]); `None` until enriched, and then made where it is indexed.
    #[serde(skip)]
    pub forms: Option<Box<Forms>>,
}

/// A passage's words as each analyzer makes them, each a pre-analyzed text
/// ([`crate::text::forms()`]): one piece per token, ended by a space.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Forms {
    /// Lowercase, folded words (the `EXACT` analyzer's).
    pub exact: String,
    /// Their Indonesian roots (the `ID` analyzer's), those that differ from their word.
    pub roots: String,
    /// Their English stems (the `EN` analyzer's), those that differ from their word.
    pub stems: String,
}

impl Passage {
    /// Its place in its document, counting from 1: the `n` of its id `doc#n`.
    pub fn number(&self) -> usize {
        self.id
            .rsplit_once('#')
            .and_then(|(_, n)| n.parse().ok())
            .unwrap_or(0)
    }

    /// The source line of a byte offset in `text`.
    pub fn line_at(&self, offset: usize) -> usize {
        let k = self.line_map.partition_point(|&(o, _)| o <= offset);
        match k {
            0 => self.lines[0],
            k => self.line_map[k - 1].1,
        }
    }
}

/// Where a passage stands, as every answer that points into the corpus names it: a search hit,
/// a citation, a reused pair, a matched paragraph. One type, so that a client reads the same
/// fields under the same names in every response (they are flattened into it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// `doc#n`: what `show` takes.
    pub passage_id: String,
    /// The document id ([`Document::id`]): what `doc:` and `refs` take.
    pub doc: String,
    /// The document's title.
    pub title: String,
    /// Authors and year, as a citation names the document (`Saragih & Alfajri (2023)`); absent
    /// when its text names no author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cite_as: Option<String>,
    /// The chapter heading the passage stands under; null outside chapters.
    pub chapter: Option<String>,
    /// Section number (`2.1.1`); null when the source does not number its sections.
    pub section: Option<String>,
    /// Section title or named part (`PENDAHULUAN`); null before the first heading.
    pub section_title: Option<String>,
    /// 1-based page; null when the source marks no pages.
    pub page: Option<u32>,
    /// The page it ends on (a later one when it runs over a page break); absent without pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_end: Option<u32>,
    /// First line within `page` and last line within `page_end`; absent without pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_lines: Option<[usize; 2]>,
    /// 1-based first and last line in the source.
    pub lines: [usize; 2],
}

impl Passage {
    /// Where this passage stands.
    pub fn location(&self) -> Location {
        Location {
            passage_id: self.id.clone(),
            doc: self.doc.clone(),
            title: self.title.clone(),
            cite_as: self.cite_as.clone(),
            chapter: self.chapter.clone(),
            section: self.section.clone(),
            section_title: self.section_title.clone(),
            page: self.page,
            page_end: self.page_end,
            page_lines: self.page_lines,
            lines: self.lines,
        }
    }
}

/// A file or record that could not be ingested, and why; reported, never fatal.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    /// The file as it was reached (a path given, or one found under a directory given).
    pub path: PathBuf,
    /// 1-based line for a bad JSON Lines record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Why, in words a user can act on (`empty file`, `duplicate id "a" (first used on line
    /// 3); record skipped`).
    pub reason: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.path.display(), l, self.reason),
            None => write!(f, "{}: {}", self.path.display(), self.reason),
        }
    }
}

/// What an ingest run saw: counts, languages, and every file or record it had to skip.
#[derive(Debug, Default, Serialize)]
pub struct IngestReport {
    /// Source files found under the paths given, including those that then could not be read
    /// (a JSON Lines file counts once, however many records it holds).
    pub files: usize,
    /// Documents ingested: one per text file, one per good JSON Lines record.
    pub documents: usize,
    /// Passages produced across all documents.
    pub passages: usize,
    /// Passages per language code.
    pub languages: BTreeMap<String, usize>,
    /// Files and records that could not be read, each with its reason; the run goes on.
    pub skipped: Vec<Skipped>,
    /// Documents that were read but hold no text once page furniture is gone (a scanned PDF
    /// without a text layer, say): not errors, but a user should know they are not searchable.
    pub no_text: Vec<Skipped>,
}
