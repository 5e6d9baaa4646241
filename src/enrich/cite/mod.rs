//! Citations: in-text citations found in each passage, references parsed from the
//! bibliography and the footnotes, the two linked within a document, and a work key that makes
//! the same work one work across the corpus.
//!
//! This runs per document after segmentation, because a citation means something only next to
//! its document's bibliography and footnotes: `(SRE, 2024)` links to `Secretaría de Relaciones
//! Exteriores [SRE]`, a marker `1` links to footnote 1, `[3]` to entry 3. It is pure: passages in,
//! passages with `citations` and `reference` filled out.

pub mod intext;
pub mod reference;
pub mod work;

pub use crate::model::{Citation, Reference, Style};
use crate::model::{Kind, Passage};
use crate::text::names;

/// Fill in `citations` and `reference` for the passages of one document (in document order).
///
/// Three passes, because each needs the one before: references first (the bibliography and the
/// footnotes), since they say which names count as cited authors; then the in-text citations of
/// every other passage; then linking, once all abbreviations the document declares are known.
pub fn annotate(passages: &mut [Passage]) {
    let bib = parse_bibliography(passages);
    parse_footnotes(passages);
    let numbered = bib.iter().any(|(_, r)| r.number.is_some());
    let last_number = bib.iter().filter_map(|(_, r)| r.number).max().unwrap_or(0);
    // Read once here, kept for the full pass below (by passage index).
    let parenthetical: Vec<Vec<intext::Found>> = passages
        .iter()
        .map(|p| match citable(p) {
            true => intext::parenthetical(&p.text),
            false => Vec::new(),
        })
        .collect();
    let known_keys = known_names(&bib, &parenthetical);
    let is_known = |n: &str| known_keys.contains(&names::key(n));
    let mut abbrevs: Vec<(String, String)> = bib
        .iter()
        .filter_map(|(_, r)| Some((r.abbrev.clone()?, r.authors.first()?.clone())))
        .collect();
    let notes = note_references(passages);
    for (p, paren) in passages.iter_mut().zip(parenthetical) {
        if !citable(p) {
            continue;
        }
        let found = intext::find_around(&p.text, paren, &is_known, numbered);
        let mut cites = intext_citations(p, found, last_number);
        cites.extend(footnote_citations(p, &notes));
        // Abbreviations declared in the text: `(Secretaría de Relaciones Exteriores [SRE], 2020)`.
        abbrevs.extend(
            cites
                .iter()
                .filter_map(|c| Some((c.abbrev.clone()?, c.authors.first()?.clone()))),
        );
        p.citations = cites.into();
    }
    link_document(passages, &bib, &notes, &abbrevs);
}

/// Passages that cite (not those that are references themselves).
fn citable(p: &Passage) -> bool {
    !matches!(p.kind, Kind::Bibliography | Kind::Footnote)
}

/// Keys of the names this document cites: its bibliography's authors and abbreviations, then
/// the first authors of its parenthetical citations. A bare `Surname (2019)` in running text
/// counts as a citation only when the name is one of these.
fn known_names(
    bib: &[(usize, Reference)],
    parenthetical: &[Vec<intext::Found>],
) -> rustc_hash::FxHashSet<String> {
    let from_bib = bib
        .iter()
        .flat_map(|(_, r)| r.authors.iter().cloned().chain(r.abbrev.clone()));
    let from_text = parenthetical
        .iter()
        .flatten()
        .filter_map(|f| f.authors.first().cloned());
    from_bib
        .chain(from_text)
        .map(|n| names::key(&n))
        .filter(|k| k.len() >= 2)
        .collect()
}

/// A document's footnotes as references: `(number, reference, text)`.
type Note = (u32, Reference, String);

fn note_references(passages: &[Passage]) -> Vec<Note> {
    passages
        .iter()
        .filter(|p| p.kind == Kind::Footnote)
        .filter_map(|p| Some((*p.footnotes.first()?, p.reference.clone()?, p.text.clone())))
        .collect()
}

/// The citations found in passage `p`, less numbers that cannot be entry numbers: `[140, 160]`
/// past the end of the reference list, or `[0, 180]`, is an interval.
fn intext_citations(p: &Passage, mut found: Vec<intext::Found>, last_number: u32) -> Vec<Citation> {
    let bad_spans: Vec<(usize, usize)> = found
        .iter()
        .filter(|f| f.number.is_some_and(|n| n == 0 || n > last_number))
        .map(|f| f.span)
        .collect();
    found.retain(|f| f.number.is_none() || !bad_spans.contains(&f.span));
    found
        .into_iter()
        .map(|f| Citation {
            raw: p.text[f.span.0..f.span.1].to_string(),
            line: p.line_at(f.span.0),
            span: [f.span.0, f.span.1],
            authors: f.authors,
            year: f.year,
            style: f.style,
            abbrev: f.abbrev,
            number: f.number,
            entry: None,
            work: String::new(),
        })
        .collect()
}

/// A citation for each footnote marker in `p` whose note reads as a reference.
fn footnote_citations(p: &Passage, notes: &[Note]) -> Vec<Citation> {
    let mut out = Vec::new();
    for &(n, at, line) in &p.marks {
        let Some((_, r, text)) = notes.iter().find(|(m, _, _)| *m == n) else {
            continue;
        };
        if !is_note_reference(r) {
            continue;
        }
        out.push(Citation {
            authors: r.authors.clone(),
            year: r.year.clone(),
            raw: truncate(text, 240),
            style: Style::Footnote,
            abbrev: r.abbrev.clone(),
            number: Some(n),
            line,
            span: [at, at],
            entry: None,
            work: String::new(),
        });
    }
    out
}

/// A document's bibliography, as citations are linked to it.
struct Entries<'a> {
    refs: Vec<&'a Reference>,
    /// The work key of each entry.
    works: Vec<String>,
    abbrevs: &'a [(String, String)],
}

impl Entries<'_> {
    /// The entry for first author `first`, `year`, and what else the citation says.
    fn link(
        &self,
        first: Option<&str>,
        year: Option<&str>,
        abbrev: Option<&str>,
        title: Option<&str>,
    ) -> Option<usize> {
        link(first, year, abbrev, title, &self.refs, self.abbrevs)
    }

    /// The work key of entry `entry`; without one, of the (canonical) author and the year.
    fn work(&self, entry: Option<usize>, first: &str, year: Option<&str>) -> String {
        match entry {
            Some(e) => self.works[e].clone(),
            None => work_key(&canonical(first, self.abbrevs), year),
        }
    }
}

/// Link every citation to its entry, then key every work: the bibliography's entries, the
/// citations (through their entry when linked) and the footnotes that are references.
fn link_document(
    passages: &mut [Passage],
    bib: &[(usize, Reference)],
    notes: &[Note],
    abbrevs: &[(String, String)],
) {
    let refs: Vec<&Reference> = bib.iter().map(|(_, r)| r).collect();
    let entries = Entries {
        works: work_keys(&refs, abbrevs),
        refs,
        abbrevs,
    };
    let footnote_links: Vec<(u32, Option<usize>)> = notes
        .iter()
        .map(|(n, r, _)| {
            let first = r.authors.first().map(String::as_str);
            let entry = entries.link(first, r.year.as_deref(), None, r.title.as_deref());
            (*n, entry)
        })
        .collect();
    for (i, (pi, _)) in bib.iter().enumerate() {
        if let Some(r) = passages[*pi].reference.as_mut() {
            r.work = entries.works[i].clone();
        }
    }
    for p in passages.iter_mut() {
        for c in &mut p.citations {
            link_citation(c, &entries, &footnote_links);
        }
        if p.kind == Kind::Footnote {
            if let Some(r) = p.reference.as_mut() {
                let first = r.authors.first().map_or("", String::as_str);
                let linked = entries.link(Some(first), r.year.as_deref(), None, r.title.as_deref());
                r.work = entries.work(linked, first, r.year.as_deref());
            }
        }
    }
}

/// Set a citation's entry and work. A numbered citation links by number, a footnote marker
/// through its note, the rest by author and year; a linked citation without names of its own
/// (`[3]`) takes the entry's.
fn link_citation(c: &mut Citation, entries: &Entries, footnote_links: &[(u32, Option<usize>)]) {
    c.entry = match c.style {
        Style::Numbered => entries.refs.iter().position(|r| r.number == c.number),
        Style::Footnote => footnote_links
            .iter()
            .find(|(n, _)| Some(*n) == c.number)
            .and_then(|(_, e)| *e),
        _ => entries.link(
            c.authors.first().map(String::as_str),
            c.year.as_deref(),
            c.abbrev.as_deref(),
            None,
        ),
    };
    if let Some(e) = c.entry {
        let r = entries.refs[e];
        if c.authors.is_empty() {
            c.authors = r.authors.clone();
            c.year = r.year.clone();
        }
    }
    let first = c.authors.first().map_or("", String::as_str);
    c.work = entries.work(c.entry, first, c.year.as_deref());
}

/// Whether a footnote reads as a reference (`Estes, Richard J. 2001. Title`, `ECPAT UK. Title`)
/// rather than a remark or a stray numbered line: an author that starts with a capital and is
/// short enough to be a name, and a year or a title.
fn is_note_reference(r: &Reference) -> bool {
    let Some(a) = r.authors.first() else {
        return false;
    };
    let words = a.split_whitespace().count();
    a.chars().next().is_some_and(char::is_uppercase)
        && words <= 8
        && !a.contains(['(', ')', ':', ';'])
        && (r.year.is_some() || r.title.is_some())
        && !intext::is_month(a.split_whitespace().next().unwrap_or(""))
}

/// Parse the bibliography entries, in order, resolving dittos and sub-lists; returns
/// `(passage index, reference)` for each entry.
fn parse_bibliography(passages: &mut [Passage]) -> Vec<(usize, Reference)> {
    let mut out: Vec<(usize, Reference)> = Vec::new();
    let mut sublist: Option<String> = None;
    let mut part: Option<String> = None;
    for (i, p) in passages.iter_mut().enumerate() {
        if p.section_title != part {
            part = p.section_title.clone();
            sublist = None;
        }
        match p.kind {
            Kind::Heading
                if is_bibliography_part(p.section_title.as_deref())
                    && Some(p.text.as_str()) != p.section_title.as_deref() =>
            {
                sublist = Some(p.text.clone());
            }
            Kind::Bibliography => {
                let prev = out.last().map(|(_, r)| r);
                match reference::parse_entry(&p.text, prev) {
                    reference::EntryLine::Sublist(s) => sublist = Some(s),
                    reference::EntryLine::Fragment => {}
                    reference::EntryLine::Entry(r) => {
                        let mut r = *r;
                        r.index = Some(out.len());
                        r.sublist = sublist.clone();
                        p.reference = Some(r.clone());
                        out.push((i, r));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn is_bibliography_part(title: Option<&str>) -> bool {
    let t = names::fold(title.unwrap_or(""));
    [
        "daftar pustaka",
        "references",
        "bibliography",
        "referensi",
        "daftar referensi",
        "works cited",
        "literature cited",
    ]
    .iter()
    .any(|k| t.contains(k))
}

/// Footnotes are references too; `Ibid.` repeats the previous one.
fn parse_footnotes(passages: &mut [Passage]) {
    let mut prev: Option<Reference> = None;
    for p in passages.iter_mut().filter(|p| p.kind == Kind::Footnote) {
        let t = names::fold(&p.text);
        let mut r =
            if t.starts_with("ibid") || t.starts_with("op. cit") || t.starts_with("loc. cit") {
                prev.clone().unwrap_or_default()
            } else {
                reference::parse_reference(&p.text)
            };
        r.number = p.footnotes.first().copied();
        r.index = None;
        prev = Some(r.clone());
        p.reference = Some(r);
    }
}

/// The full name behind an abbreviation, when the document declares one.
fn canonical(name: &str, abbrevs: &[(String, String)]) -> String {
    abbrevs
        .iter()
        .find(|(ab, _)| names::key(ab) == names::key(name))
        .map_or_else(|| name.to_string(), |(_, long)| long.clone())
}

/// The entry a citation of `first` in `year` refers to.
///
/// Best is the same author and year (the n-th such entry for a suffix `b`); else, when only one
/// entry has that author, that one (a citation that got the year wrong still means it).
fn link(
    first: Option<&str>,
    year: Option<&str>,
    abbrev: Option<&str>,
    title: Option<&str>,
    refs: &[&Reference],
    abbrevs: &[(String, String)],
) -> Option<usize> {
    let first = first?;
    let long = canonical(first, abbrevs);
    let score = |r: &Reference| author_score(first, &long, abbrev, r);
    let (_, suffix) = split_year(year);
    if let Some((i, same_year)) = best_same_year(refs, year, &score) {
        if let (Some(t), None, true) = (title, suffix, same_year.len() > 1) {
            // Several undated pages of one site: the title tells them apart.
            if let Some(j) = closest_title(t, &same_year, refs) {
                return Some(j);
            }
        }
        // `2023b` with two plain 2023 entries of the author: the second.
        let k = suffix.map_or(0, |c| (c as u8).saturating_sub(b'a') as usize);
        return Some(same_year.get(k).copied().unwrap_or(i));
    }
    let by_author: Vec<usize> = refs
        .iter()
        .enumerate()
        .filter(|(_, r)| score(r) >= 2)
        .map(|(i, _)| i)
        .collect();
    (by_author.len() == 1).then(|| by_author[0])
}

/// How well entry `r`'s first author matches a citation of `first` (`long`: its declared full
/// name), 0 for no match: 1 or 2 by name ([`names::name_match`]), 2 when an abbreviation matches
/// the cited name, 3 when the citation's own abbreviation is the entry's.
fn author_score(first: &str, long: &str, abbrev: Option<&str>, r: &Reference) -> u8 {
    let a = r.authors.first().map_or("", String::as_str);
    let mut s = names::name_match(first, a).max(names::name_match(long, a));
    if let Some(ab) = abbrev.or(r.abbrev.as_deref()) {
        if names::key(ab) == names::key(first)
            || r.abbrev
                .as_deref()
                .is_some_and(|x| names::key(x) == names::key(first))
        {
            s = s.max(2);
        }
    }
    if let Some(ra) = &r.abbrev {
        if abbrev.is_some_and(|ab| names::key(ab) == names::key(ra)) {
            s = s.max(3);
        }
    }
    s
}

/// Among entries of the cited year (and suffix, where the entry has one), the first with the
/// best author score, and all with that score, in order. `None` when no entry of that year
/// matches the author at all.
fn best_same_year(
    refs: &[&Reference],
    year: Option<&str>,
    score: &dyn Fn(&Reference) -> u8,
) -> Option<(usize, Vec<usize>)> {
    let (y, suffix) = split_year(year);
    let mut best: Option<(u8, usize)> = None;
    let mut same_year: Vec<usize> = Vec::new();
    for (i, r) in refs.iter().enumerate() {
        let s = score(r);
        if s == 0 {
            continue;
        }
        let (ry, rs) = split_year(r.year.as_deref());
        if ry == y && (rs.is_none() || rs == suffix) {
            if best.is_none_or(|(b, _)| s > b) {
                best = Some((s, i));
                same_year.clear();
            }
            if best.is_some_and(|(b, _)| b == s) {
                same_year.push(i);
            }
        }
    }
    best.map(|(_, i)| (i, same_year))
}

/// Of `candidates`, the entry whose title shares most words (of three letters or more) with
/// `title`; the earliest on a tie.
fn closest_title(title: &str, candidates: &[usize], refs: &[&Reference]) -> Option<usize> {
    let words = |s: &str| -> Vec<String> {
        names::fold(s)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 2)
            .map(str::to_string)
            .collect()
    };
    let tw = words(title);
    let overlap = |j: &usize| {
        let rw = words(refs[*j].title.as_deref().unwrap_or(""));
        tw.iter().filter(|w| rw.contains(w)).count()
    };
    candidates
        .iter()
        .copied()
        .max_by_key(|j| (overlap(j), usize::MAX - j))
}

fn split_year(year: Option<&str>) -> (Option<&str>, Option<char>) {
    match year {
        Some(y) if y.len() == 5 => (Some(&y[..4]), y.chars().nth(4)),
        Some(y) => (Some(y), None),
        None => (None, None),
    }
}

/// `correa-cabrera-2016`; `-nd` for works without a year.
pub fn work_key(first_author: &str, year: Option<&str>) -> String {
    let a = names::slug(first_author);
    let a = if a.is_empty() { "anon".to_string() } else { a };
    format!("{a}-{}", year.unwrap_or("nd"))
}

/// Keys for a document's entries; entries that would share one (three IOM works of 2011, forty
/// undated web pages) are told apart by their titles.
fn work_keys(refs: &[&Reference], abbrevs: &[(String, String)]) -> Vec<String> {
    let base: Vec<String> = refs
        .iter()
        .map(|r| {
            let first = r.authors.first().map_or("", String::as_str);
            work_key(&canonical(first, abbrevs), r.year.as_deref())
        })
        .collect();
    base.iter()
        .zip(refs)
        .map(|(k, r)| {
            if base.iter().filter(|b| *b == k).count() > 1 {
                let t: String = names::slug(r.title.as_deref().unwrap_or(""))
                    .split('-')
                    .take(5)
                    .collect::<Vec<_>>()
                    .join("-");
                format!("{k}-{t}")
            } else {
                k.clone()
            }
        })
        .collect()
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}
