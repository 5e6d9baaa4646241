//! Citation data: what `enrich::cite` finds in a document and `search::cites` reports across the
//! corpus. Plain data only; finding, parsing and linking live in `enrich::cite`.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

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

/// A passage's in-text citations, held as the index stores them (JSON) until first looked at.
///
/// Why: a search reads its hits' citations only to write them into the response, and a PLOS
/// passage stores each linked reference's whole author list (27 citations on one hit). Parsing
/// that JSON into strings was 2.4% of a search's CPU on corpus-large (perf), then the response
/// serialized them again. Held as stored, a hit's citations are parsed on the first look
/// through `Deref` and otherwise written out as they are. Any change through `DerefMut`
/// forgets the stored text, so what is written is always what the list holds.
#[derive(Clone, Default)]
pub struct Citations {
    /// The stored JSON, while it is still what the list holds.
    stored: Option<Box<str>>,
    parsed: OnceLock<Vec<Citation>>,
}

impl Citations {
    /// Citations as the index stores them: `json` is parsed when they are first looked at, and
    /// text that does not parse reads as none.
    pub fn stored(json: String) -> Citations {
        Citations {
            stored: Some(json.into_boxed_str()),
            parsed: OnceLock::new(),
        }
    }

    /// Whether there are none, told without parsing the stored text: what serialization asks
    /// of every passage.
    pub fn holds_none(&self) -> bool {
        match (self.parsed.get(), &self.stored) {
            (Some(list), _) => list.is_empty(),
            (None, Some(json)) => json.trim() == "[]",
            (None, None) => true,
        }
    }

    /// The stored text, when nothing has parsed or changed it and it is well-formed JSON.
    fn raw(&self) -> Option<&RawValue> {
        if self.parsed.get().is_some() {
            return None;
        }
        serde_json::from_str(self.stored.as_deref()?).ok()
    }
}

impl std::ops::Deref for Citations {
    type Target = Vec<Citation>;

    fn deref(&self) -> &Vec<Citation> {
        self.parsed.get_or_init(|| {
            self.stored
                .as_deref()
                .and_then(|json| serde_json::from_str(json).ok())
                .unwrap_or_default()
        })
    }
}

impl std::ops::DerefMut for Citations {
    fn deref_mut(&mut self) -> &mut Vec<Citation> {
        let _ = std::ops::Deref::deref(self);
        self.stored = None;
        self.parsed.get_mut().expect("parsed just now")
    }
}

impl From<Vec<Citation>> for Citations {
    fn from(list: Vec<Citation>) -> Citations {
        Citations {
            stored: None,
            parsed: OnceLock::from(list),
        }
    }
}

impl From<Citations> for Vec<Citation> {
    fn from(mut c: Citations) -> Vec<Citation> {
        std::mem::take(&mut *c)
    }
}

impl<'a> IntoIterator for &'a Citations {
    type Item = &'a Citation;
    type IntoIter = std::slice::Iter<'a, Citation>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Citations {
    type Item = &'a mut Citation;
    type IntoIter = std::slice::IterMut<'a, Citation>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl PartialEq for Citations {
    fn eq(&self, other: &Citations) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for Citations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl Serialize for Citations {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.raw() {
            Some(raw) => raw.serialize(s),
            None => (**self).serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Citations {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Citations, D::Error> {
        Vec::<Citation>::deserialize(d).map(Citations::from)
    }
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

/// A name as reference managers take it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Person {
    /// A person: the family name, and the given names or initials as the entry writes them
    /// (`M. A.`, `JA`, `Barry`), when it gives any.
    Name {
        /// `Al Ghifari`, `van der Heijden`.
        family: String,
        /// `M. A.`, `Barry`; `None` for a bare surname (`Anita`).
        given: Option<String>,
    },
    /// An organisation, or a name written whole that cannot be split safely
    /// (`United Nations Office on Drugs and Crime`): kept as one name, never split at `and`.
    Literal(String),
}

impl Person {
    /// The name the index keeps for this author: the family name, or the whole literal name.
    pub fn family(&self) -> &str {
        match self {
            Person::Name { family, .. } => family,
            Person::Literal(s) => s,
        }
    }
}

/// The degree a thesis was written for; it decides `@phdthesis` or `@mastersthesis`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Degree {
    /// `Disertasi`, `PhD thesis`, `doctoral dissertation`.
    Doctoral,
    /// `Tesis`, `Master's thesis`.
    Masters,
    /// `Skripsi`: the undergraduate thesis of Indonesian universities.
    Bachelor,
}

/// What kind of work a bibliography entry describes, as far as the entry shows it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum WorkType {
    /// A journal article: volume, issue or pages after a journal name, or a journal sub-list.
    Article,
    /// A book: `Place: Publisher`, an edition.
    Book,
    /// A chapter in an edited book: `In Editor (Ed.), Book (pp. 1–20)`.
    Chapter,
    /// A report or document an organisation issued.
    Report,
    /// A thesis (`Skripsi`, `Tesis`, `Disertasi`).
    Thesis(Degree),
    /// A web page: an address and nothing that says journal, book or report.
    Web,
    /// Anything else.
    #[default]
    Other,
}

/// A bibliography entry read in the detail reference managers want: derived from the entry's
/// text when it is exported, not kept in the index.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Work {
    /// The kind of work, which decides the export's entry type.
    pub kind: WorkType,
    /// Authors with their given names, in order; a ditto entry's are the previous entry's.
    pub authors: Vec<Person>,
    /// Editors of the book a chapter is in.
    pub editors: Vec<Person>,
    /// `2021`, `2023a`, as the index keeps it.
    pub year: Option<String>,
    /// The title, as the index keeps it.
    pub title: Option<String>,
    /// The journal, the book a chapter is in, or the site a page is on.
    pub container: Option<String>,
    /// `3`, `XLIV`.
    pub volume: Option<String>,
    /// The issue (`2`), or a report's number.
    pub issue: Option<String>,
    /// `126`, `1–9`, `e116`.
    pub pages: Option<String>,
    /// The publisher; for a report the institution, for a thesis the university.
    pub publisher: Option<String>,
    /// Where it was published (`New York`).
    pub place: Option<String>,
    /// `3rd`, as written.
    pub edition: Option<String>,
    /// The kind of thesis as written (`Skripsi`, `PhD thesis`).
    pub genre: Option<String>,
    /// The DOI, bare.
    pub doi: Option<String>,
    /// The web address.
    pub url: Option<String>,
    /// When a web page was read: year, month, day.
    pub accessed: Option<[u16; 3]>,
    /// The access note as written (`diakses 27 Oktober 2016`).
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The citations of the seed corpus's first thesis, each passage's list as the index
    /// stores it (JSON) beside the list itself.
    fn stored_lists() -> Vec<(Vec<Citation>, String)> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/000_fcc74d82d28cc91d.txt"
        );
        let text = std::fs::read_to_string(path).unwrap();
        crate::ingest::passages_of_text(&text, None)
            .into_iter()
            .map(|p| Vec::from(p.citations))
            .filter(|list| !list.is_empty())
            .map(|list| {
                let json = serde_json::to_string(&list).unwrap();
                (list, json)
            })
            .collect()
    }

    #[test]
    fn stored_citations_read_and_write_as_the_list_they_hold() {
        let lists = stored_lists();
        assert!(lists.len() >= 20, "{} passages cite", lists.len());
        for (list, json) in lists {
            let stored = Citations::stored(json.clone());
            assert!(!stored.holds_none());
            // Written out unparsed: the stored text itself, as the list would be written.
            assert_eq!(serde_json::to_string(&stored).unwrap(), json);
            assert!(stored.parsed.get().is_none(), "writing parsed the text");
            assert_eq!(*stored, list);
            assert_eq!(serde_json::to_string(&stored).unwrap(), json);
        }
    }

    #[test]
    fn a_changed_list_is_written_as_changed_and_bad_text_reads_as_none() {
        let (list, json) = stored_lists().swap_remove(0);
        let mut stored = Citations::stored(json);
        stored[0].work = "changed-2000".into();
        let written: Vec<Citation> =
            serde_json::from_str(&serde_json::to_string(&stored).unwrap()).unwrap();
        assert_eq!(written[0].work, "changed-2000");
        assert_eq!(written[1..], list[1..]);
        stored.clear();
        assert!(stored.holds_none());

        let bad = Citations::stored("[{\"authors\": [\"Clark\"".into());
        assert_eq!(serde_json::to_string(&bad).unwrap(), "[]");
        assert!(bad.is_empty());
        assert!(Citations::stored(" [] ".into()).holds_none());
        assert!(Citations::default().holds_none());
    }
}
