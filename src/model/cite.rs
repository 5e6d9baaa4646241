//! Citation data: what `enrich::cite` finds in a document and `search::cites` reports across the
//! corpus. Plain data only; finding, parsing and linking live in `enrich::cite`.

use serde::{Deserialize, Serialize};

/// How a citation is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    /// `(Breuning, 2007; Gobierno de México, 2020)`
    Parenthetical,
    /// `Correa-Cabrera (2016)`
    Narrative,
    /// `sumber: (SRE, 2024)`, `Sumber: Rosenberg, 2003.`
    Source,
    /// `menurut (minangwan)`: a name given as the source, without a year.
    Cue,
    /// `[3]`, `[3]–[5]`, `[2,7]`
    Numbered,
    /// A footnote marker whose note is a reference.
    Footnote,
}

/// One cited work at one place in a passage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Citation {
    /// Cited names as written (surnames, organisations); for numbered and footnote citations,
    /// the authors of the reference they point at.
    pub authors: Vec<String>,
    /// `2016`, `2023a`; `None` when the citation gives none.
    pub year: Option<String>,
    /// The citation as it stands in the text: `(Breuning, 2007; Gobierno de México, 2020)`,
    /// `[3]–[5]`, or the footnote's text.
    pub raw: String,
    /// How it is written, which decides how it was linked (by name and year, by number, by
    /// footnote).
    pub style: Style,
    /// An abbreviation the citation declares (`Inter-Parliamentary Union [IPU]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abbrev: Option<String>,
    /// Reference number (`[3]`) or footnote number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// 1-based source line where `raw` starts (a group that wraps starts on this line).
    pub line: usize,
    /// Byte span `[start, end)` in the passage text.
    pub span: [usize; 2],
    /// Index of the linked entry in the document's bibliography.
    pub entry: Option<usize>,
    /// Corpus-wide key of the cited work (`correa-cabrera-2016`).
    pub work: String,
}

/// One parsed bibliography entry or footnote reference.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// Surnames of persons, full names of organisations, in order.
    pub authors: Vec<String>,
    /// `2021`, `2023a`; `None` for `n.d.`, `t.thn.` or when the entry gives none.
    pub year: Option<String>,
    /// The work's title as the entry gives it; `None` when it could not be told apart.
    pub title: Option<String>,
    /// Journal, book, publisher or site the work appeared in.
    pub container: Option<String>,
    /// The first web address in the entry (`https://…`, `www.…`), without angle brackets or
    /// trailing punctuation; a `doi.org` link stays here too.
    pub url: Option<String>,
    /// The DOI the entry gives, bare (`10.24198/padmir.v3i2.33698`), whether written as a link
    /// or not.
    pub doi: Option<String>,
    /// An abbreviation the entry declares for its author (`Secretaría … [SRE]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abbrev: Option<String>,
    /// The entry's number in a numbered list (`3.` or `[3]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// Written with a ditto mark (`—.`, `- .`): the authors are the previous entry's.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ditto: bool,
    /// Place in the document's bibliography (0-based); `None` for a footnote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// The sub-list the entry stands under (`Buku`, `Situs Elektronik`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sublist: Option<String>,
    /// Corpus-wide key of the work.
    #[serde(default)]
    pub work: String,
}
