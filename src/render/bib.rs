//! A document's bibliography for reference managers: BibTeX, RIS and CSL-JSON.
//!
//! Each entry is read as a [`Work`] (full names, kind of work, journal numbers, publisher) from
//! the entry's text, which the index keeps; the three writers only decide the spelling of each
//! format. Keys are `{work}-{index}`: the work key citations carry, and the entry's place in the
//! bibliography, so they are unique within an export and the same from one run to the next.

use std::fmt::Write as _;

use serde::Serialize;

use crate::enrich::cite::work::describe;
use crate::model::{Degree, Person, Work, WorkType};
use crate::search::cites::{RefEntry, RefsReport};

/// The entries of a report as works, each with its key, in bibliography order.
pub fn works(r: &RefsReport) -> Vec<(String, Work)> {
    let mut out: Vec<(String, Work)> = Vec::with_capacity(r.entries.len());
    for e in &r.entries {
        let previous = out.last().map(|(_, w)| w);
        let w = describe(&e.entry.text, e.sublist.as_deref(), previous);
        out.push((key(e), as_indexed(w, e)));
    }
    out
}

/// The work with what the index keeps where both say something: the export agrees with the
/// refs report even when the index was built by an earlier reading of the same text.
fn as_indexed(mut w: Work, e: &RefEntry) -> Work {
    w.title.clone_from(&e.entry.title);
    w.year.clone_from(&e.entry.year);
    w.url.clone_from(&e.entry.url);
    w.doi.clone_from(&e.doi);
    let families: Vec<&str> = w.authors.iter().map(Person::family).collect();
    if families != e.entry.authors {
        w.authors = e.entry.authors.iter().map(|a| bare_name(a)).collect();
    }
    w
}

/// A surname alone, or a name of several words kept whole.
fn bare_name(a: &str) -> Person {
    match a.contains(' ') {
        true => Person::Literal(a.to_string()),
        false => Person::Name {
            family: a.to_string(),
            given: None,
        },
    }
}

fn key(e: &RefEntry) -> String {
    let work: String = e
        .work
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!("{work}-{}", e.entry.index)
}

fn year4(y: &Option<String>) -> Option<String> {
    y.as_deref()
        .map(|y| {
            y.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .filter(|y| y.len() == 4)
}

/// One line: reference managers read a field to the end of its line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
// BibTeX

/// BibTeX: one record per entry; uncited entries and unmatched citations as comments.
pub fn refs_bibtex(r: &RefsReport) -> String {
    let mut out = format!(
        "% bibliography of {} — {}\n",
        no_at(&r.doc),
        no_at(&one_line(&r.title))
    );
    let _ = writeln!(out, "% {}\n", super::cites::refs_summary(r));
    for ((key, w), e) in works(r).iter().zip(&r.entries) {
        if e.cited == 0 {
            out.push_str("% never cited\n");
        }
        out.push_str(&bibtex_entry(key, w));
        out.push('\n');
    }
    for o in &r.unmatched {
        let _ = writeln!(
            out,
            "% unmatched citation: {} ({}) at {} line {}: {}",
            o.authors.join(", "),
            o.year.as_deref().unwrap_or("n.d."),
            o.at.passage_id,
            o.line,
            one_line(&o.raw)
        );
    }
    out
}

/// Classic BibTeX starts an entry at any `@`, comment or not.
fn no_at(s: &str) -> String {
    s.replace('@', "(at)")
}

fn bibtex_type(w: &Work) -> &'static str {
    match w.kind {
        WorkType::Article => "article",
        WorkType::Book => "book",
        WorkType::Chapter => "incollection",
        WorkType::Report => "techreport",
        WorkType::Thesis(Degree::Doctoral) => "phdthesis",
        WorkType::Thesis(_) => "mastersthesis",
        WorkType::Web | WorkType::Other => "misc",
    }
}

/// The fields of one record, in the order BibTeX styles print them.
fn bibtex_fields(w: &Work) -> Vec<(&'static str, String)> {
    let text = |v: &Option<String>| v.as_deref().map(tex);
    let container = match w.kind {
        WorkType::Article => "journal",
        _ => "booktitle",
    };
    let publisher = match w.kind {
        WorkType::Report => "institution",
        WorkType::Thesis(_) => "school",
        WorkType::Web | WorkType::Other => "howpublished",
        _ => "publisher",
    };
    let number = w.issue.as_deref().filter(|_| w.kind != WorkType::Book);
    let fields = [
        ("author", bib_names(&w.authors)),
        ("editor", bib_names(&w.editors)),
        (
            "title",
            w.title.as_deref().map(|t| format!("{{{}}}", tex(t))),
        ),
        (container, text(&w.container)),
        ("year", year4(&w.year)),
        ("volume", text(&w.volume)),
        ("number", number.map(tex)),
        ("pages", w.pages.as_deref().map(bib_pages)),
        ("edition", text(&w.edition)),
        (publisher, text(&w.publisher)),
        ("address", text(&w.place)),
        ("type", text(&w.genre)),
        ("doi", w.doi.as_deref().map(verbatim)),
        ("url", w.url.as_deref().map(verbatim)),
        (
            "urldate",
            w.accessed.map(|[y, m, d]| format!("{y}-{m:02}-{d:02}")),
        ),
        ("note", text(&w.note)),
    ];
    fields
        .into_iter()
        .filter_map(|(k, v)| Some((k, v.filter(|v| !v.is_empty())?)))
        .collect()
}

fn bibtex_entry(key: &str, w: &Work) -> String {
    let mut out = format!("@{}{{{key},\n", bibtex_type(w));
    for (k, v) in bibtex_fields(w) {
        let _ = writeln!(out, "  {k} = {{{v}}},");
    }
    out.push_str("}\n");
    out
}

/// `Al Ghifari, M. A. and Wibawa, S. and {United Nations Office on Drugs and Crime}`.
fn bib_names(people: &[Person]) -> Option<String> {
    let names: Vec<String> = people.iter().map(bib_name).collect();
    (!names.is_empty()).then(|| names.join(" and "))
}

/// `Family, Given`; a family name BibTeX would misread (a comma, an `and`) in braces, and an
/// organisation whole in braces so that BibTeX neither splits it into first and last names nor
/// into two authors at its `and`.
fn bib_name(p: &Person) -> String {
    match p {
        Person::Name { family, given } => {
            let family = if family.contains(',') || family.contains(" and ") {
                format!("{{{}}}", tex(family))
            } else {
                tex(family)
            };
            match given {
                Some(g) => format!("{family}, {}", tex(g)),
                None => family,
            }
        }
        Person::Literal(s) => format!("{{{}}}", tex(s)),
    }
}

/// `1–9` → `1--9`, the page range BibTeX styles expect.
fn bib_pages(p: &str) -> String {
    tex(&p
        .replace(['–', '—'], "-")
        .replace("--", "-")
        .replace('-', "--"))
}

/// Text for a BibTeX field: LaTeX's special characters escaped, and braces dropped. In BibTeX a
/// brace is markup (and one stray `}` ends the field early, since BibTeX counts braces even
/// after a backslash); in an entry's text it is an extraction's leftover, not the author's.
fn tex(s: &str) -> String {
    let s = one_line(&s.replace(['{', '}'], " "));
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '\\' => out.push_str("\\textbackslash{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\^{}"),
            c => out.push(c),
        }
    }
    out
}

/// Web addresses and DOIs are read verbatim (`%`, `_`, `#` stay as they are); only braces that
/// do not pair up are dropped.
fn verbatim(s: &str) -> String {
    let s = one_line(s);
    let paired = paired_braces(&s);
    s.char_indices()
        .filter(|&(i, c)| !matches!(c, '{' | '}') || paired.contains(&i))
        .map(|(_, c)| c)
        .collect()
}

/// Byte offsets of the braces in `s` that open and close a pair.
fn paired_braces(s: &str) -> Vec<usize> {
    let mut open = Vec::new();
    let mut paired = Vec::new();
    for (i, c) in s.char_indices() {
        match c {
            '{' => open.push(i),
            '}' => {
                if let Some(o) = open.pop() {
                    paired.extend([o, i]);
                }
            }
            _ => {}
        }
    }
    paired
}

// ---------------------------------------------------------------------------------------------
// RIS

/// RIS: one record per entry, `TY` to `ER`, in bibliography order.
pub fn refs_ris(r: &RefsReport) -> String {
    let mut out = String::new();
    for (key, w) in works(r) {
        for (tag, value) in ris_fields(&key, &w) {
            let _ = writeln!(out, "{tag}  - {}", one_line(&value));
        }
        out.push_str("ER  - \n\n");
    }
    out
}

fn ris_type(w: &Work) -> &'static str {
    match w.kind {
        WorkType::Article => "JOUR",
        WorkType::Book => "BOOK",
        WorkType::Chapter => "CHAP",
        WorkType::Report => "RPRT",
        WorkType::Thesis(_) => "THES",
        WorkType::Web => "ELEC",
        WorkType::Other => "GEN",
    }
}

/// `Family, Given`, `Family`, or the organisation's name.
fn ris_name(p: &Person) -> String {
    match p {
        Person::Name {
            family,
            given: Some(g),
        } => format!("{family}, {g}"),
        Person::Name { family, .. } => family.clone(),
        Person::Literal(s) => s.clone(),
    }
}

fn ris_fields(key: &str, w: &Work) -> Vec<(&'static str, String)> {
    let mut f: Vec<(&'static str, String)> =
        vec![("TY", ris_type(w).into()), ("ID", key.to_string())];
    f.extend(w.authors.iter().map(|a| ("AU", ris_name(a))));
    f.extend(w.editors.iter().map(|a| ("ED", ris_name(a))));
    let (start, end) = w.pages.as_deref().map(split_pages).unzip();
    let optional = [
        ("TI", w.title.clone()),
        ("T2", w.container.clone()),
        ("PY", year4(&w.year)),
        ("VL", w.volume.clone()),
        ("IS", w.issue.clone()),
        ("SP", start),
        ("EP", end.flatten()),
        ("ET", w.edition.clone()),
        ("PB", w.publisher.clone()),
        ("CY", w.place.clone()),
        ("M3", w.genre.clone()),
        ("DO", w.doi.clone()),
        ("UR", w.url.clone()),
        (
            "Y2",
            w.accessed.map(|[y, m, d]| format!("{y}/{m:02}/{d:02}")),
        ),
        ("N1", w.note.clone()),
    ];
    f.extend(
        optional
            .into_iter()
            .filter_map(|(t, v)| Some((t, v.filter(|v| !v.trim().is_empty())?))),
    );
    f
}

/// `437–467` → first and last page; `e116` → first only.
fn split_pages(p: &str) -> (String, Option<String>) {
    match p.split_once(['-', '–', '—']) {
        Some((a, b)) => (
            a.trim().to_string(),
            Some(b.trim_matches(['-', '–', '—', ' ']).to_string()).filter(|b| !b.is_empty()),
        ),
        None => (p.trim().to_string(), None),
    }
}

// ---------------------------------------------------------------------------------------------
// CSL-JSON

/// A name in CSL-JSON.
#[derive(Serialize)]
struct CslName {
    #[serde(skip_serializing_if = "Option::is_none")]
    family: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    given: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    literal: Option<String>,
}

/// A date in CSL-JSON: `{"date-parts": [[2021]]}`.
#[derive(Serialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: Vec<Vec<u16>>,
}

/// One item of CSL-JSON, with the variables this export fills.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct CslItem {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<CslName>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    editor: Vec<CslName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<CslDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    container_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    volume: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    edition: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher_place: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    genre: Option<String>,
    #[serde(rename = "DOI", skip_serializing_if = "Option::is_none")]
    doi: Option<String>,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accessed: Option<CslDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

/// CSL-JSON: an array of items, as citeproc processors and Zotero read them.
pub fn refs_csl(r: &RefsReport) -> String {
    let items: Vec<CslItem> = works(r).into_iter().map(|(k, w)| csl_item(k, w)).collect();
    let mut out = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}

/// CSL has no type for "anything else": `article` is its generic one (what Zotero gives a
/// document); a page with an address is a `webpage`.
fn csl_type(w: &Work) -> &'static str {
    match w.kind {
        WorkType::Article => "article-journal",
        WorkType::Book => "book",
        WorkType::Chapter => "chapter",
        WorkType::Report => "report",
        WorkType::Thesis(_) => "thesis",
        WorkType::Web => "webpage",
        WorkType::Other if w.url.is_some() => "webpage",
        WorkType::Other => "article",
    }
}

fn csl_name(p: &Person) -> CslName {
    match p {
        Person::Name { family, given } => CslName {
            family: Some(family.clone()),
            given: given.clone(),
            literal: None,
        },
        Person::Literal(s) => CslName {
            family: None,
            given: None,
            literal: Some(s.clone()),
        },
    }
}

fn csl_item(id: String, w: Work) -> CslItem {
    let report = w.kind == WorkType::Report;
    let year = year4(&w.year).and_then(|y| y.parse().ok());
    CslItem {
        id,
        kind: csl_type(&w),
        author: w.authors.iter().map(csl_name).collect(),
        editor: w.editors.iter().map(csl_name).collect(),
        issued: year.map(|y| CslDate {
            date_parts: vec![vec![y]],
        }),
        title: w.title.as_deref().map(one_line),
        container_title: w.container,
        volume: w.volume,
        issue: w.issue.clone().filter(|_| !report),
        number: w.issue.filter(|_| report),
        page: w.pages.map(|p| p.replace(['–', '—'], "-")),
        // `3rd` → `3`: CSL styles write the ordinal themselves.
        edition: w.edition.map(|e| {
            let digits: String = e.chars().filter(char::is_ascii_digit).collect();
            if digits.is_empty() {
                e
            } else {
                digits
            }
        }),
        publisher: w.publisher,
        publisher_place: w.place,
        genre: w.genre,
        doi: w.doi,
        url: w.url,
        accessed: w.accessed.map(|d| CslDate {
            date_parts: vec![d.to_vec()],
        }),
        note: w.note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tex_escapes_specials_and_keeps_braces_balanced() {
        assert_eq!(tex("Kekerasan & Perdagangan"), "Kekerasan \\& Perdagangan");
        assert_eq!(tex("50% of a_b #1"), "50\\% of a\\_b \\#1");
        assert_eq!(tex("a } b { c"), "a b c");
        assert_eq!(tex("{Libraries Unlimited}"), "Libraries Unlimited");
        assert_eq!(
            verbatim("https://x.org/a_b%20c#d}"),
            "https://x.org/a_b%20c#d"
        );
    }

    #[test]
    fn names_for_bibtex() {
        let names = [
            Person::Name {
                family: "Al Ghifari".into(),
                given: Some("M. A.".into()),
            },
            Person::Name {
                family: "Wibawa".into(),
                given: Some("S.".into()),
            },
            Person::Literal("United Nations Office on Drugs and Crime".into()),
        ];
        assert_eq!(
            bib_names(&names).unwrap(),
            "Al Ghifari, M. A. and Wibawa, S. and {United Nations Office on Drugs and Crime}"
        );
        assert_eq!(ris_name(&names[1]), "Wibawa, S.");
    }

    #[test]
    fn pages_split_and_joined() {
        assert_eq!(bib_pages("1–9"), "1--9");
        assert_eq!(bib_pages("645.e1-5"), "645.e1--5");
        assert_eq!(split_pages("437–467"), ("437".into(), Some("467".into())));
        assert_eq!(split_pages("e116"), ("e116".into(), None));
    }
}
