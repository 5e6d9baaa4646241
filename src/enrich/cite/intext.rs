//! In-text citations of one passage: parenthetical groups, narrative forms, figure sources,
//! `menurut (X)` cues and numbered brackets.
//!
//! Each finder accepts only what has the whole shape of a citation (names that look like names
//! and a year, or a name already known to be an author of this document); a lone year in prose
//! (`pada 2020`, `Jepang (2005)`) or an acronym in parentheses (`(PBB)`) never is one.

use std::sync::LazyLock;

use regex::Regex;

use super::reference::YEAR;
use crate::model::Style;
use crate::text::{dates, names};

/// A citation as found in the text, before linking.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Cited names as written, white space normalized (`Correa-Cabrera`, `Inter-Parliamentary
    /// Union`); `et al.` and `dkk.` dropped. Empty for a numbered citation, whose names come
    /// from the reference it points at once linked.
    pub authors: Vec<String>,
    /// The year with its suffix letter (`2016`, `2023a`); `None` for `n.d.`/`t.t.`, a `menurut
    /// (X)` cue and a numbered citation.
    pub year: Option<String>,
    /// An abbreviation the citation declares for its author (`[IPU]` in `(Inter-Parliamentary
    /// Union [IPU], 2023a)`), so that later citations of `IPU` alone link to the same work.
    pub abbrev: Option<String>,
    /// The number of a numbered citation (`[3]`); `None` for every other style.
    pub number: Option<u32>,
    /// Which form the citation takes in the text (parenthetical, narrative, source line, cue,
    /// numbered).
    pub style: Style,
    /// Byte span of the citation in the passage text.
    pub span: (usize, usize),
}

/// Group sizes beyond this are garbage, not citations; parse no further.
const MAX_GROUP: usize = 600;
const MAX_NAMES: usize = 12;

static PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?xi)^
        (?:(?:see|see\ also|lihat|lihat\ juga|vide|e\.g\.,?|cf\.|dalam|in|menurut|juga|also|for\ example|misalnya)\s+)*
        (?P<names>[^\d;()]{{1,240}}?)(?P<comma>,\s*|\s+)
        (?P<years>(?:{YEAR}[a-z]?|n\.\s?d\.?|t\.\s?t(?:hn)?\.?)(?:\s*,\s*(?:{YEAR}[a-z]?|[a-z]\b))*)
        (?:\s*[,:]\s*(?:(?:p|pp|hlm|hal|h|para|ch|chap)\.?\s*)?\d+(?:\s*[-–]\s*\d+)?)?
        \.?$"
    ))
    .unwrap()
});
static YEARS_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\((?P<years>{YEAR}[a-z]?(?:\s*[,;]\s*{YEAR}[a-z]?)*)(?:\s*[,:]\s*(?:(?:p|pp|hlm|hal|h)\.?\s*)?\d+(?:\s*[-–]\s*\d+)?)?\)"
    ))
    .unwrap()
});
static ONE_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<y>{YEAR})(?P<s>[a-z])?\b|(?P<nd>n\.\s?d|t\.\s?t)"
    ))
    .unwrap()
});
/// The words that label a source (`Sumber: …`), in [`SOURCE`] and [`SOURCE_WORD`] alike.
const SOURCE_LABEL: &str = r"(?i)\b(?:sumber|source|sources)";
static SOURCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"{SOURCE_LABEL}\s*:\s*")).unwrap());
static CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:menurut|according to)\s+\((?P<n>[^()\d;,]{2,60})\)").unwrap()
});
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\[(?P<list>\d{1,4}(?:\s*[,–-]\s*\d{1,4}){0,40})\](?:\s*[–-]\s*\[(?P<to>\d{1,4})\])?",
    )
    .unwrap()
});

/// Lower-case words that may stand inside a name (`Gobierno de México`, `van der Berg`).
const PARTICLES: &[&str] = &[
    "de", "del", "la", "las", "los", "el", "y", "van", "von", "der", "den", "da", "di", "do",
    "dos", "du", "le", "of", "on", "and", "the", "for", "in", "to", "para", "untuk", "dan", "e",
    "bin", "binti", "al", "d'",
];

/// Words of dates besides the months, capitalised but never authors (`Tahun 2019`, `Table 3`).
const DATE_WORDS: &[&str] = &["tahun", "year", "table", "tabel", "figure", "gambar", "fig"];

/// A month name or a date word (`Mei`, `September`, `Tahun`), never an author.
pub fn is_month(word: &str) -> bool {
    dates::month_number(word).is_some() || DATE_WORDS.contains(&names::fold(word).as_str())
}

/// Every citation in `text`. `known` says whether a name is an author of this document (from
/// its bibliography or its parenthetical citations); narrative forms need it. Numbered brackets
/// are read only when the document has a numbered reference list.
pub fn find(text: &str, known: &dyn Fn(&str) -> bool, numbered: bool) -> Vec<Found> {
    find_around(text, parenthetical(text), known, numbered)
}

/// [`find`] given the text's [`parenthetical`] citations, already read (a document reads them
/// once for all passages to learn its authors before the narrative pass).
pub fn find_around(
    text: &str,
    mut out: Vec<Found>,
    known: &dyn Fn(&str) -> bool,
    numbered: bool,
) -> Vec<Found> {
    out.extend(sources(text, &out));
    out.extend(cued(text, &out));
    out.extend(narrative(text, known));
    if numbered {
        out.extend(numbers(text));
    }
    out.sort_by_key(|f| (f.span.0, f.span.1));
    out.dedup_by(|b, a| {
        a.span == b.span && a.authors == b.authors && a.year == b.year && a.number == b.number
    });
    out
}

/// Parenthetical groups: `(A, 2001; B & C, 2002a)`.
pub fn parenthetical(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for (open, _) in text.match_indices('(') {
        let Some(close) = closing(text, open) else {
            continue;
        };
        let inner = &text[open + 1..close];
        let style = if after_source_label(&text[..open]) {
            Style::Source
        } else {
            Style::Parenthetical
        };
        let parts = inner.split(';').filter_map(parse_part);
        push_parts(&mut out, parts, style, (open, close + 1));
    }
    out
}

/// The label word of [`SOURCE`] at the end of a text.
static SOURCE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("{SOURCE_LABEL}$")).unwrap());

/// Whether `before` ends with a [`SOURCE`] label (`Sumber: `), so that the group after it names
/// the source of a table or figure. Read from its end: running `SOURCE` over everything before
/// each parenthesis was quadratic in a passage's length (a court decision's long passages hold
/// dozens of groups).
fn after_source_label(before: &str) -> bool {
    let Some(word) = before.trim_end().strip_suffix(':') else {
        return false;
    };
    let word = word.trim_end();
    // The longest label is seven characters: with two more, the window holds the character
    // before it, which says whether the label starts a word.
    let from = word.char_indices().rev().nth(8).map_or(0, |(i, _)| i);
    SOURCE_WORD.is_match(&word[from..])
}

/// One citation per work and year of a group's parts, all spanning the group.
fn push_parts(
    out: &mut Vec<Found>,
    parts: impl Iterator<Item = Part>,
    style: Style,
    span: (usize, usize),
) {
    for (authors, abbrev, years) in parts {
        for year in years {
            out.push(Found {
                authors: authors.clone(),
                year,
                abbrev: abbrev.clone(),
                number: None,
                style,
                span,
            });
        }
    }
}

/// The `)` that closes the `(` at `open`, if the group is short enough to be a citation.
fn closing(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text[open..].char_indices() {
        if i > MAX_GROUP {
            return None;
        }
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

type Part = (Vec<String>, Option<String>, Vec<Option<String>>);

/// `Correa-Cabrera & Clark, 2016` → authors, declared abbreviation, years.
fn parse_part(part: &str) -> Option<Part> {
    parse_part_with(part, false)
}

/// As [`parse_part`]; `comma` demands `Name, Year` (for a source line outside parentheses,
/// where `Report 2012` is a title, not a citation).
fn parse_part_with(part: &str, comma: bool) -> Option<Part> {
    let part = part.trim();
    let m = PART.captures(part)?;
    if comma && !m["comma"].starts_with(',') {
        return None;
    }
    let (mut authors, abbrev) = cited_names(&m["names"])?;
    // `(Hill and Sternberg 1992)` needs no comma, but `(UUD 1945)` is a law, not a citation.
    if !m["comma"].starts_with(',') && authors.iter().any(|a| names::is_acronym(a)) {
        return None;
    }
    // `(Moeljatno, Asas-asas Hukum Pidana, Bina Aksara, Jakarta, 1983: 126)`: without a
    // conjunction, only single-word surnames make a list of authors; otherwise the first
    // name is the author and the rest is title, publisher and city.
    let conj = [" & ", " and ", " dan "]
        .iter()
        .any(|c| m["names"].contains(c));
    if !conj && authors.len() > 1 && !authors.iter().all(|a| !a.contains(' ')) {
        authors.truncate(1);
    }
    let mut years = Vec::new();
    let mut last_year: Option<String> = None;
    for y in ONE_YEAR.captures_iter(&m["years"]) {
        if y.name("nd").is_some() {
            years.push(None);
        } else if let Some(full) = y.name("y") {
            let s = y.name("s").map_or("", |s| s.as_str());
            last_year = Some(full.as_str().to_string());
            years.push(Some(format!("{}{s}", full.as_str())));
        }
    }
    // `2023a, b`: a bare suffix letter repeats the last year.
    let bare: Vec<&str> = m["years"]
        .split(',')
        .map(str::trim)
        .filter(|t| t.len() == 1 && t.chars().all(|c| c.is_ascii_lowercase()))
        .collect();
    if let Some(y) = &last_year {
        years.extend(bare.iter().map(|s| Some(format!("{y}{s}"))));
    }
    (!years.is_empty()).then_some((authors, abbrev, years))
}

/// Names of a citation: `Correa-Cabrera & Clark`, `Inter-Parliamentary Union [IPU]`,
/// `Oktavian et al.`; `None` when it is prose, a date or too long to be names.
fn cited_names(s: &str) -> Option<(Vec<String>, Option<String>)> {
    let mut s = s.trim().trim_end_matches(',').trim().to_string();
    let mut abbrev = None;
    if let (Some(a), Some(b)) = (s.find('['), s.rfind(']')) {
        if a < b {
            let ab = s[a + 1..b].trim().to_string();
            if !names::is_acronym(&ab) {
                return None;
            }
            abbrev = Some(ab);
            s.replace_range(a..=b, " ");
        }
    }
    let s = s
        .replace(" et al.", " ")
        .replace(" et al", " ")
        .replace(" dkk.", " ")
        .replace(" dkk", " ")
        .replace(" & ", ",")
        .replace(" and ", ",")
        .replace(" dan ", ",");
    let mut out = Vec::new();
    let max_words = if abbrev.is_some() { 16 } else { 8 };
    for name in s.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if !is_name(name, max_words) {
            return None;
        }
        out.push(name.split_whitespace().collect::<Vec<_>>().join(" "));
        if out.len() == MAX_NAMES {
            break;
        }
    }
    (!out.is_empty()).then_some((out, abbrev))
}

/// A name: capitalised words and particles, starting with a capital, at most `max_words` words
/// (an organisation that declares an abbreviation may have a long name).
fn is_name(name: &str, max_words: usize) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() || words.len() > max_words {
        return false;
    }
    let first_cap = words.iter().any(|w| starts_upper(w));
    first_cap
        && !words.iter().any(|w| is_month(w))
        && words.iter().all(|w| {
            let f = names::fold(w);
            (starts_upper(w)
                && w.chars()
                    .all(|c| c.is_alphabetic() || "-'’.&\u{2010}\u{2011}/".contains(c)))
                || PARTICLES.contains(&f.as_str())
        })
        && words
            .first()
            .is_some_and(|w| starts_upper(w) || PARTICLES.contains(&names::fold(w).as_str()))
}

fn starts_upper(w: &str) -> bool {
    w.trim_start_matches(['\'', '’', '"', '“'])
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
}

/// `Sumber: Rosenberg, 2003.`: a source line without parentheses.
fn sources(text: &str, already: &[Found]) -> Vec<Found> {
    let mut out = Vec::new();
    for m in SOURCE.find_iter(text) {
        let start = m.end();
        if text[start..].starts_with('(') || already.iter().any(|f| f.span.0 == start) {
            continue;
        }
        let rest = &text[start..];
        let end = rest
            .find(". ")
            .or_else(|| rest.find('\n'))
            .unwrap_or(rest.len())
            .min(MAX_GROUP);
        let end = floor_char(rest, end);
        let body = rest[..end].trim_end_matches('.');
        let parts = body.split(';').filter_map(|p| parse_part_with(p, true));
        push_parts(
            &mut out,
            parts,
            Style::Source,
            (m.start(), start + body.len()),
        );
    }
    out
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `menurut (minangwan)`: a name as the source of a view, with no year.
fn cued(text: &str, already: &[Found]) -> Vec<Found> {
    CUE.captures_iter(text)
        .filter_map(|c| {
            let n = c.name("n")?;
            let name = n.as_str().trim();
            let words = name.split_whitespace().count();
            let open = n.start() - 1;
            // A lowercase name must be no word of the language (`(penderitaan)` is a gloss).
            let lower_word = !starts_upper(name)
                && name
                    .split_whitespace()
                    .any(crate::text::indonesian::is_word);
            let ok = (1..=3).contains(&words)
                && !lower_word
                && !names::is_acronym(name)
                && name
                    .chars()
                    .all(|c| c.is_alphabetic() || c == ' ' || c == '-')
                && !already.iter().any(|f| f.span.0 == open);
            ok.then(|| Found {
                authors: vec![name.to_string()],
                year: None,
                abbrev: None,
                number: None,
                style: Style::Cue,
                span: (open, n.end() + 1),
            })
        })
        .collect()
}

/// `Correa-Cabrera (2016)`, `Hill and Sternberg (1992)`, `Oktavian et al. (2022)`.
fn narrative(text: &str, known: &dyn Fn(&str) -> bool) -> Vec<Found> {
    let mut out = Vec::new();
    for c in YEARS_ONLY.captures_iter(text) {
        let Some(whole) = c.get(0) else { continue };
        let before = &text[..whole.start()];
        let Some((start, authors, et_al)) = names_before(before) else {
            continue;
        };
        // A capitalised word before a year is a country, a law, a month just as often: only
        // a name this document cites elsewhere, or the `et al.` shape, makes it an author.
        let Some(first) = authors.first() else {
            continue;
        };
        let authors = if known(first) {
            authors
        } else if let Some(k) = (1..first.split_whitespace().count())
            .map(|skip| {
                first
                    .split_whitespace()
                    .skip(skip)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .find(|s| known(s))
        {
            let mut a = authors.clone();
            a[0] = k;
            a
        } else if et_al && first.split_whitespace().count() == 1 {
            authors
        } else {
            continue;
        };
        for y in ONE_YEAR.captures_iter(&c["years"]) {
            let Some(full) = y.name("y") else { continue };
            let s = y.name("s").map_or("", |s| s.as_str());
            out.push(Found {
                authors: authors.clone(),
                year: Some(format!("{}{s}", full.as_str())),
                abbrev: None,
                number: None,
                style: Style::Narrative,
                span: (start, whole.end()),
            });
        }
    }
    out
}

/// The names standing right before a `(year)`: start offset, names, whether `et al.` was there.
fn names_before(before: &str) -> Option<(usize, Vec<String>, bool)> {
    let (mut tokens, et_al) = name_tokens(before.trim_end());
    // Drop leading conjunctions and particles.
    while tokens.first().is_some_and(|(_, t)| !starts_upper(t)) {
        tokens.remove(0);
    }
    let start = tokens.first()?.0;
    let names = group_names(&tokens);
    if names.is_empty() || is_month(&names[0]) {
        return None;
    }
    Some((start, names, et_al))
}

/// The words of names at the end of `trimmed` (at most ten, in text order, with their offsets),
/// read backwards until a word that is no name, conjunction, particle or `et al.`, or
/// punctuation; and whether `et al.` (`dkk.`) was among them.
fn name_tokens(trimmed: &str) -> (Vec<(usize, &str)>, bool) {
    let mut end = trimmed.len();
    let mut tokens: Vec<(usize, &str)> = Vec::new();
    let mut et_al = false;
    while tokens.len() < 10 {
        let head = &trimmed[..end];
        let start = head
            .char_indices()
            .rfind(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let tok = &head[start..];
        if tok.is_empty() {
            break;
        }
        let f = names::fold(tok);
        let is_conj = matches!(f.as_str(), "&" | "and" | "dan");
        let etal = matches!(f.as_str(), "al." | "al" | "dkk." | "dkk") || (f == "et" && et_al);
        let namey = starts_upper(tok)
            && tok
                .chars()
                .all(|c| c.is_alphabetic() || "-'’\u{2010}\u{2011}".contains(c));
        let particle = PARTICLES.contains(&f.as_str()) && !is_conj && !tokens.is_empty();
        if etal {
            et_al = true;
        } else if !(namey || is_conj || particle) {
            break;
        }
        tokens.push((start, tok));
        if start == 0 {
            break;
        }
        end = head[..start].trim_end().len();
        if end < start.saturating_sub(2) {
            break; // more than a space between words: punctuation stopped us
        }
    }
    tokens.reverse();
    (tokens, et_al)
}

/// Name words grouped into names at the conjunctions, `et al.` left out:
/// `Correa Cabrera and Smith` → `[Correa Cabrera, Smith]`.
fn group_names(tokens: &[(usize, &str)]) -> Vec<String> {
    let mut groups: Vec<Vec<&str>> = vec![Vec::new()];
    for (_, t) in tokens {
        let f = names::fold(t);
        if matches!(f.as_str(), "&" | "and" | "dan") {
            groups.push(Vec::new());
        } else if !matches!(f.as_str(), "et" | "al." | "al" | "dkk." | "dkk") {
            if let Some(g) = groups.last_mut() {
                g.push(t);
            }
        }
    }
    groups
        .into_iter()
        .filter(|g| !g.is_empty())
        .map(|g| g.join(" "))
        .collect()
}

/// `[3]`, `[2,7]`, `[3–5]`, `[3]–[5]`: one citation per number.
fn numbers(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for c in NUMBERED.captures_iter(text) {
        let Some(whole) = c.get(0) else { continue };
        let mut nums: Vec<u32> = Vec::new();
        for item in c["list"].split(',') {
            let mut ends = item.split(['–', '-']).map(|t| t.trim().parse::<u32>());
            match (ends.next(), ends.next()) {
                (Some(Ok(a)), Some(Ok(b))) if a <= b && b - a <= 200 => nums.extend(a..=b),
                (Some(Ok(a)), None) => nums.push(a),
                _ => {}
            }
        }
        if let Some(to) = c.name("to").and_then(|t| t.as_str().parse::<u32>().ok()) {
            if let Some(&from) = nums.last() {
                if from < to && to - from <= 200 {
                    nums.extend(from + 1..=to);
                }
            }
        }
        for n in nums.into_iter().filter(|&n| n > 0) {
            out.push(Found {
                authors: Vec::new(),
                year: None,
                abbrev: None,
                number: Some(n),
                style: Style::Numbered,
                span: (whole.start(), whole.end()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_label_is_found_from_the_end_as_the_label_pattern_finds_it() {
        let by_pattern = |before: &str| {
            SOURCE
                .find_iter(before)
                .last()
                .is_some_and(|m| m.end() == before.len())
        };
        let mut befores: Vec<String> = [
            "Sumber: ",
            "Source :\n ",
            "resources: ",
            "SOURCES:",
            "Sumber:: ",
            "sumber ",
            "xsumber: ",
            "\u{17f}ource: ",
            "Tabel 1. Sumber\u{a0}:\u{2003}",
            "Sources: a; b. Sumber: ",
            "Source: Sumber",
            ": ",
            "",
            "Data sumber:",
            "ıSUMBER: ",
            "Źródło sumber : ",
        ]
        .map(String::from)
        .to_vec();
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        for f in std::fs::read_dir(&corpus).unwrap() {
            let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
            befores.extend(text.match_indices('(').map(|(i, _)| text[..i].to_string()));
        }
        let labelled = befores.iter().filter(|b| by_pattern(b)).count();
        assert!(
            befores.len() > 300 && labelled >= 5,
            "{} / {labelled}",
            befores.len()
        );
        for b in &befores {
            let from = b.char_indices().rev().nth(39).map_or(0, |(i, _)| i);
            assert_eq!(after_source_label(b), by_pattern(b), "{:?}", &b[from..]);
        }
    }

    fn cites(text: &str) -> Vec<(Vec<String>, Option<String>)> {
        find(text, &|n| n == "Correa-Cabrera" || n == "Marlina", true)
            .into_iter()
            .map(|f| (f.authors, f.year))
            .collect()
    }

    fn one(a: &[&str], y: &str) -> (Vec<String>, Option<String>) {
        (
            a.iter().map(|s| s.to_string()).collect(),
            Some(y.to_string()),
        )
    }

    #[test]
    fn groups_split_into_works() {
        assert_eq!(
            cites("kebijakan luar negeri (Breuning, 2007; Gobierno de México, 2020)."),
            [
                one(&["Breuning"], "2007"),
                one(&["Gobierno de México"], "2020")
            ]
        );
        assert_eq!(
            cites("(Correa-Cabrera & Clark, 2016) dan (Oktavian et al., 2022)"),
            [
                one(&["Correa-Cabrera", "Clark"], "2016"),
                one(&["Oktavian"], "2022")
            ]
        );
        let f = find(
            "(Inter-Parliamentary Union [IPU], 2023a)",
            &|_| false,
            false,
        );
        assert_eq!(f[0].abbrev.as_deref(), Some("IPU"));
        assert_eq!(f[0].year.as_deref(), Some("2023a"));
        assert_eq!(
            cites("(Hill and Sternberg 1992)"),
            [one(&["Hill", "Sternberg"], "1992")]
        );
        // A non-breaking hyphen (U+2011) is still one name, the same as with `-`.
        let f = find("(Correa\u{2011}Cabrera & Clark, 2016)", &|_| false, false);
        assert_eq!(names::key(&f[0].authors[0]), names::key("Correa-Cabrera"));
    }

    #[test]
    fn prose_years_and_acronyms_are_not_citations() {
        for text in [
            "Perserikatan Bangsa-Bangsa (PBB) pada 2020 menyatakan",
            "Jepang (2005) dan Korea Selatan (2016)",
            "(Feminist Foreign Policy, FFP)",
            "López Obrador (2018–2023)",
            "(sekitar 45 %) pada September 2019",
            "Violencia (2007) dan “Paridad en Todo” (2019)",
        ] {
            assert!(cites(text).is_empty(), "{text}: {:?}", cites(text));
        }
    }

    #[test]
    fn narrative_needs_a_known_author_or_et_al() {
        assert_eq!(
            cites("Menurut Correa-Cabrera (2016), kartel"),
            [one(&["Correa-Cabrera"], "2016")]
        );
        assert_eq!(
            cites("Smith et al. (2001) found"),
            [one(&["Smith"], "2001")]
        );
        assert!(cites("Korea Selatan (2016) juga").is_empty());
    }

    #[test]
    fn sources_cues_and_numbers() {
        assert_eq!(
            cites("Sumber: Rosenberg, 2003."),
            [one(&["Rosenberg"], "2003")]
        );
        assert!(cites("Sumber: Trafficking in Person Report 2015").is_empty());
        assert_eq!(cites("(Archer,2001)"), [one(&["Archer"], "2001")]);
        let f = find("sumber: (SRE, 2024)", &|_| false, false);
        assert_eq!(f[0].style, Style::Source);
        let f = find(
            "Adapun pendapat lain menurut (minangwan) human trafficking",
            &|_| false,
            false,
        );
        assert_eq!(f[0].authors, ["minangwan"]);
        assert!(find("menurut (PBB) ini", &|_| false, false).is_empty());
        assert!(find(
            "mengatakan bahwa menurut (penderitaan), rasa",
            &|_| false,
            false
        )
        .is_empty());
        assert!(cites("(UUD 1945) dan ( Tamat Tahun 2007 )").is_empty());
        assert_eq!(
            cites("(Moeljatno, Asas-asas Hukum Pidana, Bina Aksara, Jakarta, 1983: 126)"),
            [one(&["Moeljatno"], "1983")]
        );
        assert_eq!(
            cites("(Vide Noyon-Langameijer, 1954, hal. 7)"),
            [one(&["Noyon-Langameijer"], "1954")]
        );
        let n: Vec<u32> = find("shown [2,7] and [3]–[5] and [9-10]", &|_| false, true)
            .iter()
            .filter_map(|f| f.number)
            .collect();
        assert_eq!(n, [2, 7, 3, 4, 5, 9, 10]);
    }
}
