//! Document metadata: authors, affiliation, year, journal, keywords and abstract, read from the
//! places a paper or a decision states them, so that a hit can say `Saragih & Alfajri (2023)`
//! and be cited.
//!
//! Only what the text states is taken: the byline under the title, the affiliation and e-mail
//! lines under it, a running journal line (`JOM FISIP Vol. 4 No.2 - Oktober 2017`), a court's
//! name, its case number and the date it decided on. When no year is printed, the latest year in
//! the document's own bibliography stands in, and `year_basis` says so.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{DocMeta, Kind, Passage};
use crate::text::dates;

/// How many clean lines from the top [`extract`] is given: a court's name stands within them
/// even where the extraction put each word of the header on its own line.
pub const HEAD_LINES: usize = 80;
/// How many clean lines from the top a byline may stand in: the title (up to four lines), the
/// byline, affiliations and addresses come before the abstract in every layout we have seen.
const BYLINE_LINES: usize = 24;
/// Affiliations stand in the few lines under the byline.
const AFFILIATION_LINES: usize = 4;

/// Read a document's metadata.
///
/// `head`: its first clean lines (at most [`HEAD_LINES`]); `running`: the page furniture
/// normalization removed (running headers and footers, where journal lines stand); `passages`:
/// the document cut and annotated (titles, keywords, abstracts and parsed bibliography entries).
pub fn extract(head: &[&str], running: &[&str], passages: &[Passage]) -> DocMeta {
    let title = passages.first().map_or("", |p| p.title.as_str());
    let mut meta = DocMeta::default();
    if let Some(number) = court_case(title) {
        court(&mut meta, head, passages, number);
    } else {
        header(&mut meta, head, title);
    }
    journal(&mut meta, head.iter().chain(running));
    if meta.year.is_none() {
        meta.year = latest_cited_year(passages);
        meta.year_basis = meta.year.map(|_| "latest cited work".to_string());
    }
    meta.keywords = keywords(passages);
    meta.abstract_text = abstract_text(passages);
    meta
}

/// Set each passage's `cite_as` from its document's metadata.
pub fn assign(passages: &mut [Passage], meta: &DocMeta) {
    let cite_as = meta.cite_as();
    for p in passages {
        p.cite_as = cite_as.clone();
    }
}

/// The byline, affiliations and addresses of an article's head.
fn header(meta: &mut DocMeta, head: &[&str], title: &str) {
    let title_words = words_of(title);
    let head = &head[..head.len().min(BYLINE_LINES)];
    let mut after_byline = None;
    for (i, line) in head.iter().enumerate() {
        if after_byline.is_some_and(|b| i > b + AFFILIATION_LINES) {
            break;
        }
        if after_byline.is_none() {
            if in_title(line, &title_words) || !meta.authors.is_empty() {
                continue;
            }
            if let Some(names) = byline(line, head.get(i + 1..).unwrap_or_default()) {
                meta.authors = names;
                after_byline = Some(i);
            }
            continue;
        }
        if let Some(a) = affiliation(line) {
            meta.affiliations.push(a);
        }
    }
    for line in head {
        for m in EMAIL.find_iter(line) {
            meta.emails
                .push(m.as_str().trim_end_matches('.').to_string());
        }
    }
}

fn words_of(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// A line of the title (which may wrap over several lines): all its words are the title's.
fn in_title(line: &str, title_words: &[String]) -> bool {
    let w = words_of(line);
    !w.is_empty() && w.iter().all(|w| title_words.contains(w))
}

/// Affiliation marks around a name: `¹` (NFKC: `1`), `^{1,2}`, `*`, `†`, `a,b`.
static MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\^?\{[\d,\s]*\}|\^|[*†‡§]|\d+(?:,\d+)*").unwrap());
/// Academic degrees and ranks that some bylines print with the name.
static DEGREE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|\s)(?:prof|dr|drs|ir|s\.?\s?h|m\.?\s?h|s\.?\s?ip|m\.?\s?si|s\.?\s?sos|m\.?\s?a|ph\.?\s?d|m\.?\s?sc|m\.?\s?pd|s\.?\s?pd|s\.?\s?kom)\.?(?:\s|,|$)").unwrap()
});
static SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*(?:,|;|&|\band\b|\bdan\b)\s*").unwrap());
/// One word of a person's name: `Eriston`, `Matisoo-Smith`, `O'Brien`, an initial `R.` or `LR`.
static NAME_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:\p{Lu}\.-)?\p{Lu}[\p{Ll}'’]+(?:\p{Lu}[\p{Ll}]+)?(?:-\p{Lu}?[\p{Ll}'’]+)*|\p{Lu}{1,2}\.?|(?:\p{Lu}\.-?)+\p{Lu}?\.?)$")
        .unwrap()
});
const PARTICLES: [&str; 12] = [
    "de", "van", "der", "von", "da", "dos", "del", "la", "le", "bin", "binti", "di",
];
const NO_NAME: [&str; 16] = [
    "Abstract",
    "Abstrak",
    "Introduction",
    "Pendahuluan",
    "Keywords",
    "Email",
    "Universitas",
    "University",
    "Program",
    "Fakultas",
    "Jurnal",
    "Journal",
    "Volume",
    "Department",
    "Latar",
    "Bab",
];

/// The names of a byline, or `None` for a line that is not one.
///
/// Several names, each of two words or more (`Marc Haber, Dominique Gauguier`), or names with
/// affiliation marks (`1Eriston Saragih & 2Alfajri`, where a one-word name is common). One name
/// alone counts only when the next line is an affiliation, an address or the abstract, since a
/// two-word heading (`Latar Belakang`) looks like a name too.
fn byline(line: &str, after: &[&str]) -> Option<Vec<String>> {
    let plain = line.replace(['*', '_'], "");
    let marked = MARK.is_match(&plain) && plain.chars().next().is_some_and(|c| !c.is_alphabetic())
        || plain.contains('^');
    let names: Vec<String> = SEPARATOR
        .split(plain.trim())
        .map(|part| {
            let name = DEGREE
                .replace_all(&MARK.replace_all(part, " "), " ")
                .into_owned();
            name.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .filter(|n| !n.is_empty())
        .collect();
    let persons = names.iter().filter(|n| person(n)).count();
    let long = names.iter().all(|n| n.contains(' '));
    let ok = match names.len() {
        0 => false,
        _ if persons < names.len() => group_byline(&names, persons),
        1 => long && after.first().is_some_and(|n| introduces_body(n)),
        _ => marked || long,
    };
    ok.then_some(names)
}

/// A long byline may name groups among the persons (`HEBON`, `GEMO Study Collaborators`, `the
/// International Sheep Genomics Consortium`): accepted when at least three names stand in it
/// and three in four are persons of two words or more.
fn group_byline(names: &[String], persons: usize) -> bool {
    let long_persons = names
        .iter()
        .filter(|n| person(n) && n.contains(' '))
        .count();
    names.len() >= 3
        && long_persons * 4 >= names.len() * 3
        && names
            .iter()
            .all(|n| person(n) || n.split(' ').count() <= 6 && n.chars().any(char::is_uppercase))
        && persons >= 2
}

/// A person's name: one to five words, each capitalized (or an initial, or a particle), no word
/// that names a part of a paper.
fn person(name: &str) -> bool {
    let words: Vec<&str> = name.split(' ').collect();
    (1..=5).contains(&words.len())
        && words.iter().any(|w| w.chars().count() > 2)
        && words.iter().all(|w| {
            (NAME_WORD.is_match(w) || PARTICLES.contains(&w.to_lowercase().as_str()))
                && !NO_NAME.contains(w)
        })
}

/// A line after a lone name that shows the name was a byline.
fn introduces_body(line: &str) -> bool {
    let t = line.trim().trim_matches('*').to_lowercase();
    affiliation(line).is_some()
        || EMAIL.is_match(line)
        || ["abstract", "abstrak", "toc"].contains(&t.as_str())
}

static AFFILIATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:universit|institut|fakultas|faculty|department|departemen|program studi|jurusan|school of|college|sekolah tinggi|politeknik|laborator|hospital|rumah sakit)").unwrap()
});
static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+").unwrap());

/// An affiliation line without its marks (`^{1,2} Program Studi …` → `Program Studi …`).
fn affiliation(line: &str) -> Option<String> {
    if !AFFILIATION.is_match(line) || EMAIL.is_match(line) || line.chars().count() > 250 {
        return None;
    }
    let t = line.trim_start_matches(|c: char| {
        c.is_ascii_digit() || "^{},*†‡ ".contains(c) || c.is_whitespace()
    });
    Some(t.trim().trim_matches('*').trim().to_string())
}

/// `Putusan Nomor 123/Pid.Sus/2020/PN Nnk` → the number.
fn court_case(title: &str) -> Option<&str> {
    title
        .strip_prefix("Putusan Nomor ")
        .or_else(|| title.strip_prefix("Penetapan Nomor "))
}

static COURT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(Pengadilan\s+(?:Negeri|Tinggi|Agama|Militer)(?:\s+[\p{Lu}][\p{L}.]*){1,3}|Mahkamah\s+Agung)\b").unwrap()
});
/// The court's name without what the header prints after it (`Kelas IB`, `Jl. Jend. …`, `dalam
/// daftar`); `None` when no place is left (`Pengadilan Negeri tersebut`).
fn court_name(found: &str) -> Option<String> {
    const STOP: [&str; 18] = [
        "Kelas",
        "Klas",
        "Jl.",
        "Jl",
        "Jalan",
        "Dalam",
        "Yang",
        "Tersebut",
        "Nomor",
        "Untuk",
        "Hakim",
        "Kabupaten",
        "Perpanjangan",
        "Oleh",
        "Ketua",
        "Panitera",
        "Sejak",
        "Tanggal",
    ];
    let words: Vec<&str> = found
        .split_whitespace()
        .take_while(|w| !STOP.contains(w))
        .collect();
    (words.len() >= 3 || words == ["Mahkamah", "Agung"]).then(|| words.join(" "))
}

static CASE_YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"/\s*((?:19|20)\d\d)\b").unwrap());
static DECIDED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)diputuskan\b.{0,300}?\b\d{1,2}\s+(\p{L}+)\s+((?:19|20)\d\d)\b").unwrap()
});

/// A court decision: the court is its author; the year is the date it was decided on, else the
/// year in its case number.
fn court(meta: &mut DocMeta, head: &[&str], passages: &[Passage], number: &str) {
    // Cassation and review (`K/`, `PK/`) are decided by the Supreme Court, whatever lower court
    // the recital names first.
    let supreme = [" K/", " K /", " PK/", " PK /"]
        .iter()
        .any(|k| number.contains(k));
    let court = match supreme {
        true => Some("Mahkamah Agung".to_string()),
        false => {
            // pdftotext may put each word of the header on its own line: read it as one text.
            let joined: Vec<&str> = head
                .iter()
                .copied()
                .filter(|l| !l.contains("Direktori"))
                .collect();
            COURT
                .captures_iter(&joined.join(" "))
                .find_map(|c| court_name(&c[1]))
        }
    };
    meta.authors.extend(court);
    let decided = passages.iter().rev().find_map(|p| {
        let c = DECIDED.captures(&p.text)?;
        dates::month_number(&c[1]).and_then(|_| c[2].parse().ok())
    });
    let registered: Option<u16> = CASE_YEAR.captures(number).and_then(|c| c[1].parse().ok());
    // A case is decided after it is registered: an earlier date is another decision's, quoted.
    match (decided, registered) {
        (Some(d), r) if r.is_none_or(|r| d >= r) => {
            meta.year = Some(d);
            meta.year_basis = Some("stated".into());
        }
        (_, Some(r)) => {
            meta.year = Some(r);
            meta.year_basis = Some("case number".into());
        }
        _ => {}
    }
}

static JOURNAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<j>\p{L}[\p{L}\s.&:()-]{1,80}?)[\s,.:-]*\bVol(?:ume|\.)?\s*(?P<v>\d+)[\s,.]*(?:(?:No|Nomor|Issue|Iss)\.?\s*|\()(?P<n>\d+)\)?(?P<rest>.*)$").unwrap()
});
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b((?:19|20)\d\d)\b").unwrap());
static DOI: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(10\.\d{4,9}/[^\s\x22<>]+[^\s\x22<>.,;)])").unwrap());

/// A journal line (`JOM FISIP Vol. 4 No.2 - Oktober 2017 Page 3`): journal, volume, issue and,
/// when the line has one, the year; the most frequent such line wins (a running footer repeats
/// on every page, a reference to another journal does not). A DOI on a head or running line.
fn journal<'a>(meta: &mut DocMeta, lines: impl Iterator<Item = &'a &'a str>) {
    let mut seen: Vec<(String, usize)> = Vec::new();
    for line in lines {
        let line = line.trim().trim_matches('*');
        if meta.doi.is_none() {
            meta.doi = DOI.captures(line).map(|c| c[1].to_string());
        }
        if names_a_volume(line) && JOURNAL.is_match(line) {
            let key = strip_page(line);
            match seen.iter_mut().find(|(l, _)| *l == key) {
                Some((_, n)) => *n += 1,
                None => seen.push((key, 1)),
            }
        }
    }
    let Some((line, _)) = seen.iter().max_by_key(|(_, n)| *n) else {
        return;
    };
    let Some(c) = JOURNAL.captures(line) else {
        return;
    };
    meta.journal = Some(
        c["j"]
            .trim()
            .trim_end_matches([',', '-', ':'])
            .trim()
            .to_string(),
    );
    meta.volume = Some(c["v"].to_string());
    meta.issue = Some(c["n"].to_string());
    if meta.year.is_none() {
        if let Some(y) = YEAR.captures(&c["rest"]) {
            meta.year = y[1].parse().ok();
            meta.year_basis = Some("stated".into());
        }
    }
}

/// Whether `line` says `Vol` in any case: what [`JOURNAL`] needs, checked first because the
/// running lines of a long decision are hundreds of page footers, and the regex (Unicode
/// classes, case-insensitive, a lazy prefix) cost more than reading the rest of the metadata.
fn names_a_volume(line: &str) -> bool {
    line.as_bytes()
        .windows(3)
        .any(|w| w.eq_ignore_ascii_case(b"vol"))
}

/// The line without a trailing page label, so that every page's footer is one line.
fn strip_page(line: &str) -> String {
    static PAGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)[\s|,-]*(?:page|hal(?:aman)?\.?|hlm\.?)?\s*\d+\s*$").unwrap()
    });
    let t = PAGE.replace(line, "");
    // Only a page label goes: a footer ending in its year keeps the year, one ending in its
    // issue number keeps the number.
    match YEAR.is_match(&line[t.len().min(line.len())..]) || !JOURNAL.is_match(&t) {
        true => line.to_string(),
        false => t.into_owned(),
    }
}

/// The latest year the bibliography cites; only years a reference states, never a future one.
fn latest_cited_year(passages: &[Passage]) -> Option<u16> {
    passages
        .iter()
        .filter(|p| p.kind == Kind::Bibliography)
        .filter_map(|p| {
            p.reference
                .as_ref()?
                .year
                .as_deref()?
                .get(..4)?
                .parse()
                .ok()
        })
        .max()
}

/// The keywords of every keyword line, split at top-level commas and semicolons.
fn keywords(passages: &[Passage]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in passages.iter().filter(|p| p.kind == Kind::Keywords) {
        let list = p.text.split_once(':').map_or(p.text.as_str(), |(_, l)| l);
        for k in split_top_level(list) {
            let k = k
                .trim()
                .trim_end_matches('.')
                .trim()
                .replace(['*', '_'], "");
            if !k.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(&k)) {
                out.push(k);
            }
        }
    }
    out
}

/// `a, b (c, d); e` → `a`, `b (c, d)`, `e`.
fn split_top_level(s: &str) -> Vec<&str> {
    let (mut depth, mut start, mut out) = (0i32, 0, Vec::new());
    for (i, c) in s.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' | ';' if depth <= 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// The first abstract: its passages up to the next passage of another kind.
fn abstract_text(passages: &[Passage]) -> Option<String> {
    let first = passages.iter().position(|p| p.kind == Kind::Abstract)?;
    let parts: Vec<&str> = passages[first..]
        .iter()
        .take_while(|p| p.kind == Kind::Abstract)
        .map(|p| p.text.as_str())
        .collect();
    Some(parts.join("\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_of_indonesian_and_plos_articles() {
        let after = ["1,2 Program Studi Hubungan Internasional Universitas Islam Riau"];
        assert_eq!(
            byline("1Eriston Saragih & 2Alfajri", &after).unwrap(),
            ["Eriston Saragih", "Alfajri"]
        );
        assert_eq!(
            byline(
                "Michael-Paul Schallmo, Scott R. Sponheim, Cheryl A. Olman",
                &[]
            )
            .unwrap(),
            [
                "Michael-Paul Schallmo",
                "Scott R. Sponheim",
                "Cheryl A. Olman"
            ]
        );
        let group = "Michael P. Heaton, Barry Simpson, Kreg A. Leymaster, the International Sheep Genomics Consortium";
        assert_eq!(byline(group, &[]).unwrap().len(), 4);
        let groups = "Rob B. van der Luijt, Cora M. Aalfs, Quinten Waisfisz, Juul Wijnen, HEBON, F.-Xabier Contreras, Thorkild I.A Sørensen, GEMO Study Collaborators, Amanda B. Spurdle, Jonathan Beesley, Xiaoqing Chen, Sue Healey";
        assert_eq!(byline(groups, &[]).unwrap().len(), 12);
        assert_eq!(byline("Joel Lexchin", &["Toc"]).unwrap(), ["Joel Lexchin"]);
        assert_eq!(
            byline("Leonard I Zon", &["Abstract"]).unwrap(),
            ["Leonard I Zon"]
        );
    }

    #[test]
    fn headings_and_titles_are_no_bylines() {
        for line in [
            "Latar Belakang",
            "Abstract",
            "KEBIJAKAN LUAR NEGERI FEMINIST MEKSIKO",
            "Taking the Stem Cell Debate to the Public",
            "Genes, Brains, and Behavior",
            "Pendahuluan",
            "Keywords: ECPAT, Mexico",
        ] {
            assert_eq!(byline(line, &["Abstract"]), None, "{line}");
        }
        assert_eq!(byline("Latar Belakang", &["Penelitian ini membahas"]), None);
    }

    #[test]
    fn a_running_journal_footer_gives_journal_volume_issue_and_year() {
        let running = [
            "JOM FISIP Vol. 4 No.2 - Oktober 2017 Page 3",
            "JOM FISIP Vol. 4 No.2 - Oktober 2017 Page 4",
        ];
        let mut m = DocMeta::default();
        journal(&mut m, running.iter());
        assert_eq!(m.journal.as_deref(), Some("JOM FISIP"));
        assert_eq!(
            (m.volume.as_deref(), m.issue.as_deref()),
            (Some("4"), Some("2"))
        );
        assert_eq!(
            (m.year, m.year_basis.as_deref()),
            (Some(2017), Some("stated"))
        );
    }

    #[test]
    fn a_court_is_named_without_class_or_address() {
        assert_eq!(
            court_name("Pengadilan Negeri Kandangan Kelas IB").as_deref(),
            Some("Pengadilan Negeri Kandangan")
        );
        assert_eq!(
            court_name("Pengadilan Negeri Kisaran Jl. Jend").as_deref(),
            Some("Pengadilan Negeri Kisaran")
        );
        assert_eq!(court_name("Pengadilan Negeri Dalam Daftar"), None);
        let head = [
            "PUTUSAN",
            "Nomor 109/Pdt.G/2025/PA.Batg",
            "Pengadilan",
            "Agama",
            "Bantaeng,",
            "yang",
        ];
        let mut m = DocMeta::default();
        court(&mut m, &head, &[], "109/Pdt.G/2025/PA.Batg");
        assert_eq!(m.authors, ["Pengadilan Agama Bantaeng"]);
        assert_eq!(
            (m.year, m.year_basis.as_deref()),
            (Some(2025), Some("case number"))
        );
    }

    #[test]
    fn a_journal_line_ending_in_its_issue_keeps_it() {
        let mut m = DocMeta::default();
        journal(&mut m, ["Jurnal Hukum Vol. 3 No. 2"].iter());
        assert_eq!(
            (m.volume.as_deref(), m.issue.as_deref()),
            (Some("3"), Some("2"))
        );
        assert_eq!(m.year, None);
    }

    #[test]
    fn keywords_split_at_top_level_only() {
        assert_eq!(
            split_top_level("ECPAT, CSEC (Commercial Sexual Exploitations of Children), Child"),
            [
                "ECPAT",
                " CSEC (Commercial Sexual Exploitations of Children)",
                " Child"
            ]
        );
    }

    #[test]
    fn an_affiliation_loses_its_marks() {
        assert_eq!(
            affiliation("^{1,2} Program Studi Hubungan Internasional Universitas Islam Riau")
                .as_deref(),
            Some("Program Studi Hubungan Internasional Universitas Islam Riau")
        );
        assert_eq!(affiliation("Email: a@uir.ac.id"), None);
    }
}
