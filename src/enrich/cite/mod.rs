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

pub use crate::model::{Citation, Reference, Style};
use crate::model::{Kind, Passage};
use crate::text::names;

/// Fill in `citations` and `reference` for the passages of one document (in document order).
pub fn annotate(passages: &mut [Passage]) {
    let bib = parse_bibliography(passages);
    parse_footnotes(passages);
    let numbered = bib.iter().any(|(_, r)| r.number.is_some());

    // Names this document cites: its bibliography's authors, then its parenthetical citations.
    let mut known: Vec<String> = bib
        .iter()
        .flat_map(|(_, r)| r.authors.iter().cloned().chain(r.abbrev.clone()))
        .collect();
    let citable = |p: &Passage| !matches!(p.kind, Kind::Bibliography | Kind::Footnote);
    // Read once here, kept for the full pass below (by passage index).
    let parenthetical: Vec<Vec<intext::Found>> = passages
        .iter()
        .map(|p| match citable(p) {
            true => intext::parenthetical(&p.text),
            false => Vec::new(),
        })
        .collect();
    for f in parenthetical.iter().flatten() {
        known.extend(f.authors.first().cloned());
    }
    let known_keys: rustc_hash::FxHashSet<String> = known
        .iter()
        .map(|n| names::key(n))
        .filter(|k| k.len() >= 2)
        .collect();
    let is_known = |n: &str| known_keys.contains(&names::key(n));

    // Abbreviations declared anywhere in the document: `SRE` → `Secretaría de Relaciones Exteriores`.
    let mut abbrevs: Vec<(String, String)> = bib
        .iter()
        .filter_map(|(_, r)| Some((r.abbrev.clone()?, r.authors.first()?.clone())))
        .collect();

    let notes: Vec<(u32, Reference, String)> = passages
        .iter()
        .filter(|p| p.kind == Kind::Footnote)
        .filter_map(|p| Some((*p.footnotes.first()?, p.reference.clone()?, p.text.clone())))
        .collect();

    let last_number = bib.iter().filter_map(|(_, r)| r.number).max().unwrap_or(0);
    for (p, paren) in passages.iter_mut().zip(parenthetical) {
        if !citable(p) {
            continue;
        }
        let mut found = intext::find_around(&p.text, paren, &is_known, numbered);
        // `[140, 160]` past the end of the reference list, or `[0, 180]`, is an interval.
        let bad_spans: Vec<(usize, usize)> = found
            .iter()
            .filter(|f| f.number.is_some_and(|n| n == 0 || n > last_number))
            .map(|f| f.span)
            .collect();
        found.retain(|f| f.number.is_none() || !bad_spans.contains(&f.span));
        let mut cites: Vec<Citation> = found
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
            .collect();
        for &(n, at, line) in &p.marks {
            if let Some((_, r, text)) = notes.iter().find(|(m, _, _)| *m == n) {
                if !is_note_reference(r) {
                    continue;
                }
                cites.push(Citation {
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
        }
        for c in &cites {
            if let (Some(ab), Some(long)) = (&c.abbrev, c.authors.first()) {
                abbrevs.push((ab.clone(), long.clone()));
            }
        }
        p.citations = cites;
    }

    // Link, then key every work.
    let refs: Vec<&Reference> = bib.iter().map(|(_, r)| r).collect();
    let footnote_links: Vec<(u32, Option<usize>)> = notes
        .iter()
        .map(|(n, r, _)| {
            (
                *n,
                link(
                    r.authors.first().map(String::as_str),
                    r.year.as_deref(),
                    None,
                    r.title.as_deref(),
                    &refs,
                    &abbrevs,
                ),
            )
        })
        .collect();
    let work_of_ref: Vec<String> = work_keys(&refs, &abbrevs);
    for (i, (pi, _)) in bib.iter().enumerate() {
        if let Some(r) = passages[*pi].reference.as_mut() {
            r.work = work_of_ref[i].clone();
        }
    }
    for p in passages.iter_mut() {
        for c in &mut p.citations {
            c.entry = match c.style {
                Style::Numbered => refs.iter().position(|r| r.number == c.number),
                Style::Footnote => footnote_links
                    .iter()
                    .find(|(n, _)| Some(*n) == c.number)
                    .and_then(|(_, e)| *e),
                _ => link(
                    c.authors.first().map(String::as_str),
                    c.year.as_deref(),
                    c.abbrev.as_deref(),
                    None,
                    &refs,
                    &abbrevs,
                ),
            };
            if let Some(e) = c.entry {
                let r = refs[e];
                if c.authors.is_empty() {
                    c.authors = r.authors.clone();
                    c.year = r.year.clone();
                }
                c.work = work_of_ref[e].clone();
            } else {
                let first = c.authors.first().map_or("", String::as_str);
                c.work = work_key(&canonical(first, &abbrevs), c.year.as_deref());
            }
        }
        if p.kind == Kind::Footnote {
            if let Some(r) = p.reference.as_mut() {
                let first = r.authors.first().map_or("", String::as_str);
                let linked = link(
                    Some(first),
                    r.year.as_deref(),
                    None,
                    r.title.as_deref(),
                    &refs,
                    &abbrevs,
                );
                r.work = match linked {
                    Some(e) => work_of_ref[e].clone(),
                    None => work_key(&canonical(first, &abbrevs), r.year.as_deref()),
                };
            }
        }
    }
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
    let score = |r: &Reference| -> u8 {
        let a = r.authors.first().map_or("", String::as_str);
        let mut s = names::name_match(first, a).max(names::name_match(&long, a));
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
    };
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
    if let Some((_, i)) = best {
        if let (Some(t), None, true) = (title, suffix, same_year.len() > 1) {
            // Several undated pages of one site: the title tells them apart.
            let words = |s: &str| -> Vec<String> {
                names::fold(s)
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| w.len() > 2)
                    .map(str::to_string)
                    .collect()
            };
            let tw = words(t);
            let overlap = |j: &usize| {
                let rw = words(refs[*j].title.as_deref().unwrap_or(""));
                tw.iter().filter(|w| rw.contains(w)).count()
            };
            if let Some(j) = same_year
                .iter()
                .copied()
                .max_by_key(|j| (overlap(j), usize::MAX - j))
            {
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
