//! A bibliography entry read for reference managers: the authors' full names, the kind of work,
//! and the journal, volume, issue and pages, or the place, publisher and edition.
//!
//! Why here and at export time: the index keeps what search and citation linking need
//! (surnames, year, title, container) and the entry's own text. What a reference manager needs
//! besides is read again from that text when a bibliography is exported, so the index and its
//! schema stay as they are and a better reading needs no re-index.
//!
//! The kind of work is decided from what the entry shows, strongest evidence first: a thesis
//! named as such, a chapter (`In Editor (Ed.), Book`), a journal's volume, issue or pages, a
//! place and publisher (a book, or a report when an organisation wrote it), then the sub-list
//! the entry stands under (`Buku`, `Artikel Jurnal`, `Situs Elektronik`), a web address, a DOI.

use std::sync::LazyLock;

use regex::Regex;

use super::reference::{self, fields, is_organisation, Line, Reading, YEAR};
use crate::model::{Degree, Person, Work, WorkType};
use crate::text::{dates, names};

/// The entry `text` as a [`Work`]. `sublist` is the heading the entry stands under; `previous`
/// is the entry before it, whose authors a ditto entry (`—.`) takes.
pub fn describe(text: &str, sublist: Option<&str>, previous: Option<&Work>) -> Work {
    let Line::Entry(reading) = reference::read_line(text, None) else {
        return Work::default();
    };
    let Reading {
        reference: r,
        names,
        tail,
    } = *reading;
    let authors = match (r.ditto, previous) {
        (true, Some(p)) => p.authors.clone(),
        _ => names,
    };
    let (accessed, note) = access_date(text);
    let mut w = Work {
        authors,
        year: r.year,
        title: r.title,
        doi: r.doi,
        url: r.url,
        accessed,
        note,
        ..Work::default()
    };
    let tail = clean_tail(&tail);
    read_kind(&mut w, &tail, sublist.and_then(hint), r.number.is_some());
    w
}

/// What a sub-list heading says its entries are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hint {
    Journal,
    Book,
    Report,
    Web,
    Thesis,
    Other,
}

/// `Artikel Jurnal`, `Buku:`, `Laporan dan Dokumen Resmi`, `Situs Elektronik`, `Berita`,
/// `Perjanjian Internasional` (laws and treaties are none of the kinds above).
fn hint(sublist: &str) -> Option<Hint> {
    let s = names::fold(sublist);
    let has = |words: &[&str]| words.iter().any(|w| s.contains(w));
    [
        (
            Hint::Journal,
            &["jurnal", "journal", "artikel", "article"][..],
        ),
        (Hint::Thesis, &["skripsi", "tesis", "thesis", "disertasi"]),
        (Hint::Book, &["buku", "book"]),
        (Hint::Report, &["laporan", "report", "dokumen", "document"]),
        (
            Hint::Web,
            &[
                "situs", "internet", "website", "web", "online", "berita", "news", "media",
            ],
        ),
        (
            Hint::Other,
            &[
                "perjanjian",
                "undang",
                "peraturan",
                "hukum",
                "treat",
                "law",
                "konvensi",
            ],
        ),
    ]
    .into_iter()
    .find(|(_, words)| has(words))
    .map(|(h, _)| h)
}

/// Decide the kind of work and fill its fields, strongest evidence first (see the module doc).
fn read_kind(w: &mut Work, tail: &str, hint: Option<Hint>, numbered: bool) {
    let org = by_organisation(&w.authors);
    if as_thesis(w, tail, hint) || as_chapter(w, tail) {
        return;
    }
    let loc = locator(tail, w.year.as_deref());
    let journal = loc.as_ref().map(|l| journal_name(&tail[..l.start]));
    if let (Some(l), Some(name)) = (&loc, &journal) {
        let open = matches!(hint, None | Some(Hint::Journal));
        if l.strong() && (name.is_some() || (open && !org)) {
            return article(w, name.clone(), loc);
        }
    }
    if hint == Some(Hint::Other) {
        return other(w, tail);
    }
    let reportish = org || hint == Some(Hint::Report) || report_title(w.title.as_deref());
    if imprint(tail).is_some() || edition(tail).is_some() {
        return book_or_report(w, tail, reportish, loc);
    }
    let name = journal.flatten().or_else(|| name_field(tail));
    match hint {
        Some(Hint::Journal) if name.is_some() => article(w, name, loc),
        Some(Hint::Book) => book_or_report(w, tail, false, loc),
        Some(Hint::Report) => book_or_report(w, tail, true, loc),
        Some(Hint::Web) => web(w),
        _ if w.url.is_some() => web(w),
        _ if w.doi.is_some() || (numbered && name.is_some()) => article(w, name, loc),
        _ if org => book_or_report(w, tail, true, loc),
        _ => other(w, tail),
    }
}

/// Every author is an organisation (`UNODC`, `International Labour Organization`).
fn by_organisation(authors: &[Person]) -> bool {
    !authors.is_empty()
        && authors
            .iter()
            .all(|a| matches!(a, Person::Literal(s) if is_organisation(s)))
}

static REPORT_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:report|laporan|working paper|policy brief|factbook|fact sheet)\b")
        .unwrap()
});

fn report_title(title: Option<&str>) -> bool {
    title.is_some_and(|t| REPORT_WORDS.is_match(t))
}

fn article(w: &mut Work, journal: Option<String>, loc: Option<Locator>) {
    w.kind = WorkType::Article;
    w.container = journal;
    if let Some(l) = loc {
        (w.volume, w.issue, w.pages) = (l.volume, l.issue, l.pages);
    }
}

/// A book, or a report when an organisation issued it: the institution is the publisher, else
/// the organisation (a name written whole) that wrote it.
fn book_or_report(w: &mut Work, tail: &str, report: bool, loc: Option<Locator>) {
    let (place, publisher) = imprint(tail).unzip();
    w.place = place;
    w.edition = edition(tail).or_else(|| w.title.as_deref().and_then(edition));
    if report {
        w.kind = WorkType::Report;
        let author = match w.authors.first() {
            Some(Person::Literal(a)) => Some(a.clone()),
            _ => None,
        };
        w.publisher = publisher.or(author).or_else(|| name_field(tail));
        w.issue = loc.and_then(|l| l.issue);
    } else {
        w.kind = WorkType::Book;
        w.publisher = publisher.or_else(|| name_field(tail));
    }
}

fn web(w: &mut Work) {
    w.kind = WorkType::Web;
    w.publisher = w.url.as_deref().map(host);
}

/// Anything else: what it was published by, if the entry says.
fn other(w: &mut Work, tail: &str) {
    w.kind = WorkType::Other;
    let (place, publisher) = imprint(tail).unzip();
    w.place = place;
    w.publisher = publisher.or_else(|| w.url.as_deref().map(host));
}

/// `https://www.iom.int/about` → `www.iom.int`.
fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or(rest)
        .to_string()
}

static THESIS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:ph\.?\s?d\.?|doctoral|master'?s?|magister|undergraduate|sarjana)\s+)?(?:skripsi|tesis|disertasi|thesis|dissertation)\b").unwrap()
});
static SCHOOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:universitas|university|universiteit|institut|institute|sekolah tinggi|politeknik|college|UIN|IAIN|STAIN)\b").unwrap()
});

/// `Skripsi. Universitas Indonesia`, `[Doctoral dissertation, University of Leeds]`.
fn as_thesis(w: &mut Work, tail: &str, hint: Option<Hint>) -> bool {
    let title = w.title.clone().unwrap_or_default();
    let found = THESIS.find(tail).or_else(|| THESIS.find(&title));
    if found.is_none() && hint != Some(Hint::Thesis) {
        return false;
    }
    let genre = found.map(|m| m.as_str().to_string());
    let folded = genre.as_deref().map(names::fold).unwrap_or_default();
    let degree = if folded.contains("skripsi")
        || folded.contains("undergraduate")
        || folded.contains("sarjana")
    {
        Degree::Bachelor
    } else if ["disertasi", "dissertation", "doctoral", "ph"]
        .iter()
        .any(|d| folded.contains(d))
    {
        Degree::Doctoral
    } else {
        Degree::Masters
    };
    w.kind = WorkType::Thesis(degree);
    w.genre = genre;
    let (place, _) = imprint(tail).unzip();
    w.place = place;
    w.publisher = school(tail).or_else(|| school(&title));
    true
}

/// The comma- or bracket-separated part of `s` that names a university.
fn school(s: &str) -> Option<String> {
    s.split([',', '.', '[', ']', '(', ')', ';'])
        .map(str::trim)
        .find(|part| SCHOOL.is_match(part) && !THESIS.is_match(part))
        .map(str::to_string)
}

static CHAPTER_APA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:In|Dalam)\s*:?\s+(?P<eds>[^()]+?)\s*\((?:[Ee]ds?|[Ee]d\(s\)|[Pp]eny(?:unting)?|[Ee]ditors?)\.?\)\s*,?\s*(?P<book>[^()]+?)(?:\s*\((?:(?:pp?|hlm|hal)\.?\s*)?(?P<pages>[^)]*\d[^)]*)\))?\s*[.,]\s*(?P<rest>.*)$").unwrap()
});
static CHAPTER_VANCOUVER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:In|Dalam)\s*:?\s+(?P<eds>[^.:()]+?),?\s+(?:editors?|eds?)\.?[.,]\s*(?P<book>[^.]+?)[.,]\s*(?P<rest>.*)$").unwrap()
});
static CHAPTER_PAGES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:pp?|hlm|hal)\.?\s*(?P<p>\d+\s*[-–]\s*\d+)").unwrap());
static CHAPTER_CHICAGO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:In|Dalam)\s+(?P<book>.+?),\s*(?:edited by|eds?\.|disunting oleh|diedit oleh|penyunting)\s+(?P<eds>.+?)(?:,\s*(?:pp?\.\s*|hlm\.\s*)?(?P<pages>\d+\s*[-–]\s*\d+))?\.\s*(?P<rest>.*)$").unwrap()
});
static CHAPTER_PLAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:In|Dalam)\s*:?\s+(?P<book>\p{Lu}[^.]+?)(?:,\s*(?:pp?\.\s*|hlm\.\s*)?(?P<pages>\d+\s*[-–]\s*\d+))?\.\s*(?P<rest>.*)$").unwrap()
});

/// `In A. Editor & B. Editor (Eds.), Book (pp. 1–20). Publisher.`, `In: Carrier JC, Musick JA,
/// editors. Book. Place: Publisher. pp. 139–164.`, `In Book, edited by A. Editor, 1–20. Place:
/// Publisher, 2001.`, `In Great Decisions. Foreign Policy Association.`
fn as_chapter(w: &mut Work, tail: &str) -> bool {
    let Some(m) = [
        &CHAPTER_APA,
        &CHAPTER_VANCOUVER,
        &CHAPTER_CHICAGO,
        &CHAPTER_PLAIN,
    ]
    .iter()
    .find_map(|re| re.captures(tail)) else {
        return false;
    };
    w.kind = WorkType::Chapter;
    w.container = Some(trim_field(&m["book"]).to_string());
    w.editors = m
        .name("eds")
        .map(|e| editor_names(e.as_str()))
        .unwrap_or_default();
    let rest = &m["rest"];
    w.pages = m
        .name("pages")
        .or_else(|| CHAPTER_PAGES.captures(rest).and_then(|c| c.name("p")))
        .map(|p| p.as_str().trim().to_string());
    let (place, publisher) = imprint(rest).unzip();
    w.place = place;
    w.publisher = publisher.or_else(|| name_field(rest));
    true
}

/// Editors as chapters name them, given names first (`A. Editor & B. Editor`), or inverted
/// like authors (`Editor, A., & Other, B.`).
fn editor_names(s: &str) -> Vec<Person> {
    let s = s.trim();
    if s.contains(", ") && s.split(", ").nth(1).is_some_and(is_initials) {
        return reference::split_names(s).0;
    }
    s.split(" & ")
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" dan "))
        .flat_map(|p| p.split(", "))
        .map(|p| p.trim().trim_matches(',').trim())
        .filter(|p| p.chars().any(char::is_alphabetic))
        .map(given_first)
        .collect()
}

fn is_initials(p: &str) -> bool {
    let p = p.trim();
    !p.is_empty()
        && p.split_whitespace().all(|w| {
            w.trim_end_matches(['.', ',', '&'])
                .chars()
                .all(char::is_uppercase)
        })
}

/// `Richard J. Estes` → family `Estes`, given `Richard J.`; in Vancouver style, `Carrier JC`
/// → family `Carrier`, given `JC`.
fn given_first(name: &str) -> Person {
    if let Some((family, initials)) = name
        .rsplit_once(' ')
        .filter(|(_, i)| (1..=4).contains(&i.len()) && i.chars().all(|c| c.is_ascii_uppercase()))
    {
        return Person::Name {
            family: family.to_string(),
            given: Some(initials.to_string()),
        };
    }
    match name.rsplit_once(' ') {
        Some((given, family)) => Person::Name {
            family: family.to_string(),
            given: Some(given.trim().to_string()),
        },
        None => Person::Name {
            family: name.to_string(),
            given: None,
        },
    }
}

/// Where in a tail the journal's numbers are, and what they say.
#[derive(Debug, Clone, Default, PartialEq)]
struct Locator {
    /// Byte offset in the tail where the numbers start: before it is the journal's name.
    start: usize,
    volume: Option<String>,
    issue: Option<String>,
    pages: Option<String>,
}

impl Locator {
    /// A volume or an issue, or a page range after a name: a journal's, not the page a book
    /// is cited at (`Hlmn 2`).
    fn strong(&self) -> bool {
        self.volume.is_some()
            || self.issue.is_some()
            || self
                .pages
                .as_deref()
                .is_some_and(|p| p.contains(['-', '–']))
    }
}

static TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\([^()]*\)|[^\s,;:()]+|[,;:]").unwrap());
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[eS]?\d+[a-zA-Z]?|\d+\.e\d+)$").unwrap());
static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[eS]?\d+(?:\.e\d+)?[a-z]?\s*[-–—]+\s*[eS]?\d+(?:\.e?\d+)?[a-z]?$").unwrap()
});
static ROMAN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[IVXLC]{1,7}$").unwrap());
static YEAR_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^\(?{YEAR}[a-z]?\)?$")).unwrap());

/// What a word of a locator is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Volume,
    Issue,
    Pages,
    Number,
    Roman,
    Paren,
    Colon,
    Separator,
    Word,
}

fn token_kind(t: &str) -> Tok {
    let bare = t.trim_end_matches('.');
    match names::fold(bare).as_str() {
        "vol" | "volume" | "jilid" => return Tok::Volume,
        "no" | "nomor" | "number" | "issue" | "iss" | "edisi" => return Tok::Issue,
        "p" | "pp" | "hlm" | "hlmn" | "hal" | "halaman" | "pages" | "page" => return Tok::Pages,
        _ => {}
    }
    match t {
        ":" => Tok::Colon,
        "," | ";" => Tok::Separator,
        _ if t.starts_with('(') => Tok::Paren,
        _ if NUMBER.is_match(bare) || RANGE.is_match(bare) => Tok::Number,
        _ if ROMAN.is_match(bare) => Tok::Roman,
        _ => Tok::Word,
    }
}

/// The journal's numbers in a tail: `3(2), 126`, `vol. XIII, no. 3 (2005)`, `22 437 467`,
/// `86:3200–3203`, `2015;65(1):5–29`, `Volume 314, Number 5, hlmn 516-518`. A year equal to
/// the entry's is passed over. `None` when there is no volume, issue or page.
fn locator(tail: &str, year: Option<&str>) -> Option<Locator> {
    let toks: Vec<(usize, &str)> = TOKEN
        .find_iter(tail)
        .map(|m| (m.start(), m.as_str()))
        .collect();
    let begin = (0..toks.len()).find(|&i| starts_locator(&toks, i))?;
    let mut loc = Locator {
        start: toks[begin].0,
        ..Locator::default()
    };
    let mut scan = Scan::default();
    for &(_, t) in &toks[begin..] {
        if !scan.take(&mut loc, t, year) {
            break;
        }
    }
    (loc.volume.is_some() || loc.issue.is_some() || loc.pages.is_some()).then_some(loc)
}

/// Whether the numbers start at word `i`: a marker, a number, a bracket with a number, or a
/// roman volume followed by its issue (`XLIV, no. 10`).
fn starts_locator(toks: &[(usize, &str)], i: usize) -> bool {
    let t = toks[i].1;
    match token_kind(t) {
        Tok::Volume | Tok::Issue | Tok::Pages | Tok::Number => true,
        Tok::Paren => t.contains(|c: char| c.is_ascii_digit()),
        Tok::Roman => {
            toks[i + 1..]
                .iter()
                .map(|&(_, n)| token_kind(n))
                .find(|&k| k != Tok::Separator)
                == Some(Tok::Issue)
        }
        _ => false,
    }
}

/// The state of reading a locator, word by word.
#[derive(Debug, Default)]
struct Scan {
    /// The marker just read (`vol.`, `no.`, `pp.`, or `:` before pages).
    pending: Option<Tok>,
    /// A full stop closed the locator (`…, 126.` then a PubMed id).
    closed: bool,
    /// The last word was a number, with no separator since (`437 467` is a range).
    after_number: bool,
}

impl Scan {
    /// Read one word into `loc`; false where the locator ends.
    fn take(&mut self, loc: &mut Locator, t: &str, year: Option<&str>) -> bool {
        if self.closed {
            return false;
        }
        let kind = token_kind(t);
        let bare = t.trim_end_matches('.');
        match kind {
            Tok::Volume | Tok::Issue | Tok::Pages => self.pending = Some(kind),
            Tok::Colon => self.pending = Some(Tok::Pages),
            Tok::Separator => self.after_number = false,
            Tok::Paren => return self.paren(loc, t, year),
            Tok::Number | Tok::Roman => {
                if !self.number(loc, bare, year, kind) {
                    return false;
                }
                self.closed = t.ends_with('.');
                return true;
            }
            Tok::Word => return false,
        }
        if !matches!(kind, Tok::Separator) {
            self.after_number = false;
        }
        true
    }

    /// `(2)` after a volume is its issue; `(2005)` the year; `(Vol. 6, Issue 2)` is read inside.
    fn paren(&mut self, loc: &mut Locator, t: &str, year: Option<&str>) -> bool {
        let inner = t.trim_start_matches('(').trim_end_matches(')').trim();
        self.after_number = false;
        if YEAR_ONLY.is_match(inner) {
            return true;
        }
        if inner
            .split_whitespace()
            .any(|w| token_kind(w) == Tok::Volume)
        {
            let mut inside = Scan::default();
            for m in TOKEN.find_iter(inner) {
                if !inside.take(loc, m.as_str(), year) {
                    break;
                }
            }
            return true;
        }
        if loc.volume.is_some() && loc.issue.is_none() && inner.len() <= 12 {
            loc.issue = Some(inner.to_string());
            return true;
        }
        false
    }

    /// A number where the marker before it, or its place, says what it is.
    fn number(&mut self, loc: &mut Locator, n: &str, year: Option<&str>, kind: Tok) -> bool {
        let pending = self.pending.take();
        let after_number = std::mem::replace(&mut self.after_number, true);
        let is_year = year.is_some_and(|y| y.get(..4) == Some(n)) && pending.is_none();
        let range = RANGE.is_match(n);
        let slot = match pending {
            Some(Tok::Volume) => &mut loc.volume,
            Some(Tok::Issue) => &mut loc.issue,
            Some(Tok::Pages) => &mut loc.pages,
            _ if is_year && loc.pages.is_none() => return true,
            _ if kind == Tok::Roman && loc.volume.is_some() => return false,
            _ if loc.volume.is_none() && loc.pages.is_none() && !range => &mut loc.volume,
            _ if loc.pages.is_none() && kind == Tok::Number => &mut loc.pages,
            _ => return self.end_page(loc, n, after_number),
        };
        if slot.is_some() {
            return false;
        }
        *slot = Some(n.to_string());
        true
    }

    /// `437 467`: a second page number right after the first is where the article ends.
    fn end_page(&mut self, loc: &mut Locator, n: &str, after_number: bool) -> bool {
        match &mut loc.pages {
            Some(p) if after_number && !p.contains(['-', '–']) && NUMBER.is_match(n) => {
                p.push('–');
                p.push_str(n);
                true
            }
            _ => false,
        }
    }
}

/// The journal's name before its numbers: `Padjadjaran Journal of International Relations`.
fn journal_name(before: &str) -> Option<String> {
    let s = trim_field(before);
    let s = s
        .strip_prefix("In ")
        .or_else(|| s.strip_prefix("Dalam "))
        .unwrap_or(s);
    let s = trim_field(s);
    // `CA: a cancer journal for clinicians` has a colon too; `London: Routledge` is no journal.
    (s.chars().any(char::is_alphabetic) && imprint_parts(s).is_none()).then(|| s.to_string())
}

fn trim_field(s: &str) -> &str {
    s.trim()
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | ';' | ':'))
        .trim()
}

static PAGE_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)[,.]?\s*\b(?:hlmn?|hal|halaman|pp?)\b\.?\s*:?\s*\d+(?:\s*[-–]\s*\d+)?\s*[.;]?\s*$",
    )
    .unwrap()
});
static TRAILING_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"[,.]?\s*\(?{YEAR}[a-z]?\)?\s*[.;]?\s*$")).unwrap());
static IMPRINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<place>\p{Lu}[\p{L}.'’ -]{1,40}?(?:,\s*\p{Lu}[\p{L}.]{1,20})?)\s*:\s*(?P<pub>\p{L}[^:]{1,120}?)$").unwrap()
});

/// `Place: Publisher` in one of the tail's sentences: `New York: Routledge`, `Cambridge :
/// Cambridge University Press, 2009`, `Bloomington: iUniverse. Hlmn: 117`.
fn imprint(tail: &str) -> Option<(String, String)> {
    let tail = without_edition(tail);
    fields(&tail).iter().find_map(|f| imprint_parts(f))
}

fn imprint_parts(field: &str) -> Option<(String, String)> {
    let f = PAGE_REF.replace(field.trim(), "");
    let f = TRAILING_YEAR.replace(&f, "");
    let f = trim_field(&f);
    let m = IMPRINT.captures(f)?;
    if !is_place(&m["place"]) {
        return None;
    }
    let publisher = trim_field(&m["pub"]);
    // `iUniverse` is a name; `CA: a cancer journal` is a journal's, not a place and publisher.
    let first = publisher.split_whitespace().next().unwrap_or("");
    first
        .contains(char::is_uppercase)
        .then(|| (m["place"].trim().to_string(), publisher.to_string()))
}

/// `New York`, `Rio de Janeiro`, `Washington, D.C.`; not `Journal of Applied Research on
/// Children` (before the colon of a journal's subtitle).
fn is_place(s: &str) -> bool {
    let city = s.split(',').next().unwrap_or(s);
    let words: Vec<&str> = city.split_whitespace().collect();
    words.len() <= 3
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || matches!(*w, "de" | "da" | "do" | "del" | "di" | "am")
        })
}

/// The first sentence of a tail that is a name and nothing else: `IOM Publications`, `Refuge,
/// 2017` (a journal or a publisher, as the kind of work says), without its year or page.
fn name_field(tail: &str) -> Option<String> {
    fields(&without_edition(tail)).iter().find_map(|f| {
        let f = PAGE_REF.replace(f.trim(), "");
        let f = TRAILING_YEAR.replace(&f, "");
        let f = trim_field(&f);
        let name = f.chars().next().is_some_and(char::is_alphabetic)
            && !f.contains(|c: char| c.is_ascii_digit() || c == ':');
        name.then(|| f.to_string())
    })
}

static EDITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\(?\b(?:(?P<n>\d{1,2}(?:st|nd|rd|th))\b\.?(?:\s*(?:ed|edn|edition)\b\.?)?|edisi\s+(?:ke-?\s*)?(?P<m>\d{1,2})\b)\)?\.?").unwrap()
});

/// `3rd ed.`, `3rd.`, `(2nd ed.)`, `Edisi ke-2`: the edition as written (`3rd`, `2`).
fn edition(s: &str) -> Option<String> {
    let m = EDITION.captures(s)?;
    m.name("n").or(m.name("m")).map(|g| g.as_str().to_string())
}

fn without_edition(s: &str) -> String {
    EDITION.replace_all(s, "").into_owned()
}

static DOI_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bdoi\s*:?\s*10\.\S+|\b10\.\d{4,9}/\S+").unwrap());
static DATABASE_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:pubmed|pmid|pmcid)\s*:?\s*\w+\.?|\s\d{6,9}\.?\s*$").unwrap()
});
static ACCESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\(?\b(?:diakses|diunduh|accessed|retrieved|dikunjungi|available|tersedia)\b[^.;)]*\)?|\bvia the internet\b").unwrap()
});
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:(?P<m1>\p{{L}}+)\.?\s+\d{{1,2}},?\s+{YEAR}|\d{{1,2}}\s+(?P<m2>\p{{L}}+)\.?\s+{YEAR})\b\.?"
    ))
    .unwrap()
});
static LEFTOVER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:\b(?:dalam|in)\s*:?\s*)?[\s,.:;]*$").unwrap());

/// The tail without what is no part of the work's description: DOIs and database ids (kept
/// apart), access notes and dates of web pages, and what the removed web address leaves.
fn clean_tail(tail: &str) -> String {
    let s = DOI_NOTE.replace_all(tail, " ");
    let s = DATABASE_ID.replace_all(&s, " ");
    let s = ACCESS.replace_all(&s, " ");
    let s = DATE.replace_all(&s, |c: &regex::Captures<'_>| {
        let month = c.name("m1").or(c.name("m2")).map_or("", |m| m.as_str());
        match dates::month_number(month) {
            Some(_) => " ".to_string(),
            None => c[0].to_string(),
        }
    });
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = LEFTOVER.replace(&s, "");
    s.trim().to_string()
}

static ACCESS_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:diakses|diunduh|accessed|retrieved|dikunjungi)\b(?:\s+(?:on|pada|tanggal|tgl\.?))?\s*:?\s*(?:(?P<d>\d{{1,2}})\s+(?P<m>\p{{L}}+)\.?|(?P<m2>\p{{L}}+)\.?\s+(?P<d2>\d{{1,2}}),?)\s+(?P<y>{YEAR})"
    ))
    .unwrap()
});

/// `diakses 27 Oktober 2016`, `Accessed: 30 September 2019`, `Accessed April 19, 2004`: the
/// date a web page was read, and the note as written.
fn access_date(text: &str) -> (Option<[u16; 3]>, Option<String>) {
    let Some(c) = ACCESS_DATE.captures(text) else {
        return (None, None);
    };
    let month = c.name("m").or(c.name("m2")).map_or("", |m| m.as_str());
    let day = c.name("d").or(c.name("d2")).map_or("", |m| m.as_str());
    let date = match (c["y"].parse(), dates::month_number(month), day.parse()) {
        (Ok(y), Some(m), Ok(d)) => Some([y, u16::from(m), d]),
        _ => None,
    };
    let note = date.map(|_| c[0].to_string());
    (date, note)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn work(text: &str, sublist: Option<&str>) -> Work {
        describe(text, sublist, None)
    }

    fn name(family: &str, given: Option<&str>) -> Person {
        Person::Name {
            family: family.into(),
            given: given.map(Into::into),
        }
    }

    #[test]
    fn apa_journal_article_with_full_names() {
        let w = work("- Al Ghifari, M. A., & Wibawa, S. (2021). Penanggulangan Kejahatan Perdagangan Manusia di Indonesia. Padjadjaran Journal of International Relations, 3(2), 126. <https://doi.org/10.24198/padmir.v3i2.33698>.", None);
        assert_eq!(w.kind, WorkType::Article);
        assert_eq!(
            w.authors,
            [
                name("Al Ghifari", Some("M. A.")),
                name("Wibawa", Some("S."))
            ]
        );
        assert_eq!(
            w.container.as_deref(),
            Some("Padjadjaran Journal of International Relations")
        );
        assert_eq!(
            (w.volume.as_deref(), w.issue.as_deref(), w.pages.as_deref()),
            (Some("3"), Some("2"), Some("126"))
        );
        assert_eq!(w.doi.as_deref(), Some("10.24198/padmir.v3i2.33698"));
    }

    #[test]
    fn a_book_is_no_article() {
        let w = work("- Archer, C. (2001). International Organization: Role and Function of Organizations. 3rd ed. New York: Routledge.", None);
        assert_eq!(w.kind, WorkType::Book);
        assert_eq!(w.authors, [name("Archer", Some("C."))]);
        assert_eq!(w.edition.as_deref(), Some("3rd"));
        assert_eq!(w.place.as_deref(), Some("New York"));
        assert_eq!(w.publisher.as_deref(), Some("Routledge"));
        assert_eq!(w.container, None);
        let w = work("- Viotti, Paul R., dan Mark V. Kauppi. International Relations Theory: Realism, Pluralism, Globalism, and Beyond. 3rd. Boston: Allyn and Bacon, 1999.", Some("Buku"));
        assert_eq!(w.kind, WorkType::Book);
        assert_eq!(
            w.authors,
            [
                name("Viotti", Some("Paul R.")),
                name("Kauppi", Some("Mark V."))
            ]
        );
        assert_eq!(w.publisher.as_deref(), Some("Allyn and Bacon"));
        assert_eq!(w.edition.as_deref(), Some("3rd"));
    }

    #[test]
    fn organisations_write_reports() {
        let w = work("- United Nations Office on Drugs and Crime. Global Report on Trafficking in Persons 2016. Vienna: United Nations, 2016.", None);
        assert_eq!(w.kind, WorkType::Report);
        assert_eq!(
            w.authors,
            [Person::Literal(
                "United Nations Office on Drugs and Crime".into()
            )]
        );
        assert_eq!(w.publisher.as_deref(), Some("United Nations"));
        assert_eq!(w.place.as_deref(), Some("Vienna"));
        let w = work("American Bar Association. \"Human Trafficking Assessment Tool Report for Mexico.\" 2009.", Some("Laporan dan Dokumen Resmi"));
        assert_eq!(w.kind, WorkType::Report);
        assert_eq!(w.publisher.as_deref(), Some("American Bar Association"));
    }

    #[test]
    fn chapters_in_edited_books() {
        let w = work("- Chamie, Joseph. \"Human trafficking: a serious challenge to humanity.\" In Great Decisions. Foreign Policy Association, 2015.", Some("Artikel Jurnal"));
        assert_eq!(w.kind, WorkType::Chapter);
        assert_eq!(w.container.as_deref(), Some("Great Decisions"));
        assert_eq!(w.publisher.as_deref(), Some("Foreign Policy Association"));
        let w = work("Santoso, B. (2019). Perdagangan orang di perbatasan. Dalam R. Hidayat & S. Lestari (Ed.), Migrasi dan Keamanan Manusia (hlm. 45–67). Yogyakarta: Gadjah Mada University Press.", None);
        assert_eq!(w.kind, WorkType::Chapter);
        assert_eq!(w.container.as_deref(), Some("Migrasi dan Keamanan Manusia"));
        assert_eq!(
            w.editors,
            [name("Hidayat", Some("R.")), name("Lestari", Some("S."))]
        );
        assert_eq!(w.pages.as_deref(), Some("45–67"));
        assert_eq!(w.place.as_deref(), Some("Yogyakarta"));
        assert_eq!(w.publisher.as_deref(), Some("Gadjah Mada University Press"));
    }

    #[test]
    fn vancouver_chapters() {
        let w = work("12. Wilga CAD, Lauder GV (2004) Biomechanics of locomotion in sharks, rays and chimeras. In: Carrier JC, Musick JA, Heithaus MR, editors. Biology of Sharks and their Relatives. Boca Raton: CRC Press. pp. 139–164.", None);
        assert_eq!(w.kind, WorkType::Chapter);
        assert_eq!(
            w.container.as_deref(),
            Some("Biology of Sharks and their Relatives")
        );
        assert_eq!(w.editors[0], name("Carrier", Some("JC")));
        assert_eq!(w.editors.len(), 3);
        assert_eq!(w.publisher.as_deref(), Some("CRC Press"));
        assert_eq!(w.pages.as_deref(), Some("139–164"));
    }

    #[test]
    fn theses_by_degree() {
        let w = work("Pratiwi, D. (2020). Peran IOM dalam penanganan korban perdagangan orang. Skripsi. Universitas Indonesia.", None);
        assert_eq!(w.kind, WorkType::Thesis(Degree::Bachelor));
        assert_eq!(w.genre.as_deref(), Some("Skripsi"));
        assert_eq!(w.publisher.as_deref(), Some("Universitas Indonesia"));
        let w = work("Nasution, A. (2018). Diplomasi Indonesia. Disertasi, Universitas Gadjah Mada, Yogyakarta.", None);
        assert_eq!(w.kind, WorkType::Thesis(Degree::Doctoral));
        assert_eq!(w.publisher.as_deref(), Some("Universitas Gadjah Mada"));
        let w = work(
            "Lee, K. (2015). Migrant labour in Malaysia [Master's thesis, University of Leeds].",
            None,
        );
        assert_eq!(w.kind, WorkType::Thesis(Degree::Masters));
        assert_eq!(w.publisher.as_deref(), Some("University of Leeds"));
    }

    #[test]
    fn web_pages_with_access_dates() {
        let w = work(
            "ECPAT. About Us. Dalam : http://www.ecpat.org/about-ecpat/, diakses 27 Oktober 2016",
            Some("Internet:"),
        );
        assert_eq!(w.kind, WorkType::Web);
        assert_eq!(w.accessed, Some([2016, 10, 27]));
        assert_eq!(w.note.as_deref(), Some("diakses 27 Oktober 2016"));
        assert_eq!(w.publisher.as_deref(), Some("www.ecpat.org"));
        let w = work("- Kementrian PPPA. (2021). Hari Dunia Anti Perdagangan Orang 2021. Diakses melalui <https://www.kemenpppa.go.id/index.php/page/read/29/3315>.", None);
        assert_eq!(w.kind, WorkType::Web);
        assert_eq!(w.accessed, None);
    }

    #[test]
    fn vancouver_names_and_numbers() {
        let w = work("1. Siegel RL, Miller KD, Jemal A. Cancer statistics, 2015. CA: a cancer journal for clinicians. 2015;65(1):5–29. doi: 10.3322/caac.21254 25559415.", None);
        assert_eq!(w.kind, WorkType::Article);
        assert_eq!(
            w.authors,
            [
                name("Siegel", Some("RL")),
                name("Miller", Some("KD")),
                name("Jemal", Some("A"))
            ]
        );
        assert_eq!(
            w.container.as_deref(),
            Some("CA: a cancer journal for clinicians")
        );
        assert_eq!(
            (w.volume.as_deref(), w.issue.as_deref(), w.pages.as_deref()),
            (Some("65"), Some("1"), Some("5–29"))
        );
        let w = work("1. Kauffman SA 1969 Metabolic stability and epigenesis in randomly constructed genetic nets. J Theor Biol 22 437 467", None);
        assert_eq!(w.container.as_deref(), Some("J Theor Biol"));
        assert_eq!(
            (w.volume.as_deref(), w.pages.as_deref()),
            (Some("22"), Some("437–467"))
        );
        let w = work("1. Blackburn E Rowley J Reason as our guide. PLoS Biol 2004 2 e116 doi: 10.1371/journal.pbio.0020116", None);
        assert_eq!(w.container.as_deref(), Some("PLoS Biol"));
        assert_eq!(
            (w.volume.as_deref(), w.pages.as_deref()),
            (Some("2"), Some("e116"))
        );
        let w = work("9. BreierAM, GrossmanAD (2007) Whole-genome analysis of the chromosome partitioning. Mol Microbiol 64: 703–718.", None);
        assert_eq!(w.authors[0], name("Breier", Some("AM")));
        assert_eq!(
            (w.volume.as_deref(), w.pages.as_deref()),
            (Some("64"), Some("703–718"))
        );
    }

    #[test]
    fn chicago_journal_volumes_in_roman() {
        let w = work("- Pécoud, Antoine. \"What do we know about the International Organization for Migration?\" Journal of Ethnic and Migration Studies XLIV, no. 10 (2018).", Some("Artikel Jurnal"));
        assert_eq!(w.kind, WorkType::Article);
        assert_eq!(
            w.container.as_deref(),
            Some("Journal of Ethnic and Migration Studies")
        );
        assert_eq!(
            (w.volume.as_deref(), w.issue.as_deref()),
            (Some("XLIV"), Some("10"))
        );
    }

    #[test]
    fn a_date_is_no_volume() {
        let w = work("CNN. Human trafficking second only to drugs in Mexico. August 27, 2010. <http://edition.cnn.com/2010/WORLD/americas/08/26/mexico.human.trafficking/index.html>.", None);
        assert_eq!(w.kind, WorkType::Web);
        assert_eq!(w.volume, None);
    }
}
