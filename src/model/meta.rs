//! What a document says about itself: who wrote it, when, where it appeared.

use serde::{Deserialize, Serialize};

/// A document's header fields, as far as its text states them (the fields GROBID extracts from a
/// paper's first page). Every field is optional: a thesis chapter names no author, a court
/// decision no journal, and a guess would end up in someone's reference list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocMeta {
    /// Authors as printed, in order (`Eriston Saragih`, `Alfajri`); for a court decision, the
    /// court.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// The authors' affiliation line(s), without affiliation marks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affiliations: Vec<String>,
    /// Contact addresses printed in the header.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<String>,
    /// Year of publication (of the decision, for a court decision).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// Where the year comes from, so that a reader can weigh it: `stated` (a journal line, a
    /// date), `case number` (the year a court registered the case), or `latest cited work` (the
    /// text states none; a work is not older than what it cites, and a recent article is
    /// usually published the year of its latest reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_basis: Option<String>,
    /// Journal name (`JOM FISIP`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<String>,
    /// Journal volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    /// Journal issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    /// A DOI printed in the header or on a running line, bare (`10.1371/journal.pone.0068090`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    /// Keywords, from every keyword line (both languages), in order, without repeats.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// The first abstract's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abstract_text: Option<String>,
}

/// A passage's citation, ready to paste.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cited {
    /// The passage cited (`doc#n`).
    pub passage_id: String,
    /// The parenthetical citation with the passage's place: `(Saragih & Alfajri, 2023, p. 5)`;
    /// lines stand in for a page where the source marks no pages: `(…, 2023, ll. 120–134)`.
    pub in_text: String,
    /// The document's APA 7 reference-list entry.
    pub apa: String,
    /// The document as a BibTeX record, the passage's place in its `note`.
    pub bibtex: String,
}

impl DocMeta {
    /// How the work is named beside a passage and in a parenthetical citation: `Saragih &
    /// Alfajri (2023)`, `Zon et al. (2004)`, `Pengadilan Negeri Nunukan (2020)`; `None` without
    /// authors (a file name says more than `n.d.`).
    pub fn cite_as(&self) -> Option<String> {
        let names = self.short_authors()?;
        Some(match self.year {
            Some(y) => format!("{names} ({y})"),
            None => format!("{names} (n.d.)"),
        })
    }

    /// The authors as a citation names them: one or two surnames, else the first `et al.`.
    pub fn short_authors(&self) -> Option<String> {
        let s: Vec<&str> = self.authors.iter().map(|a| surname(a)).collect();
        match s.as_slice() {
            [] => None,
            [one] => Some(one.to_string()),
            [a, b] => Some(format!("{a} & {b}")),
            [a, ..] => Some(format!("{a} et al.")),
        }
    }
}

/// The name a citation uses for an author: the last word of a person's name (`Saragih`), a
/// single name as it is (`Alfajri`), an organisation whole (`Pengadilan Negeri Nunukan`,
/// `the International Sheep Genomics Consortium`).
pub fn surname(author: &str) -> &str {
    if is_organisation(author) {
        return author;
    }
    author.rsplit(' ').next().unwrap_or(author)
}

/// An author that is a body, not a person: a court, a consortium, a group.
pub fn is_organisation(author: &str) -> bool {
    const BODIES: [&str; 12] = [
        "pengadilan",
        "mahkamah",
        "consortium",
        "group",
        "committee",
        "network",
        "organization",
        "organisation",
        "collaboration",
        "initiative",
        "kementerian",
        "the ",
    ];
    let lower = author.to_lowercase();
    BODIES.iter().any(|b| lower.contains(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(authors: &[&str], year: Option<u16>) -> DocMeta {
        DocMeta {
            authors: authors.iter().map(|s| s.to_string()).collect(),
            year,
            ..DocMeta::default()
        }
    }

    #[test]
    fn cite_as_names_one_two_or_the_first_et_al() {
        let m = meta(&["Eriston Saragih", "Alfajri"], Some(2023));
        assert_eq!(m.cite_as().as_deref(), Some("Saragih & Alfajri (2023)"));
        let m = meta(
            &["Leonard I Zon", "Laurie Zoloth", "Suzanne Kadereit"],
            None,
        );
        assert_eq!(m.cite_as().as_deref(), Some("Zon et al. (n.d.)"));
        let m = meta(&["Pengadilan Negeri Nunukan"], Some(2020));
        assert_eq!(
            m.cite_as().as_deref(),
            Some("Pengadilan Negeri Nunukan (2020)")
        );
        assert_eq!(meta(&[], Some(2017)).cite_as(), None);
    }
}
