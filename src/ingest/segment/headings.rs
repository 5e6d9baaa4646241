//! Headings: which lines open a chapter, section, named part or caption, and where that puts the
//! passages that follow.
//!
//! Two questions are kept apart. [`classify`] looks at a line (and its neighbours) and says what
//! kind of heading it is, if any. [`Place::after`] takes the current place in the document and a
//! heading and says where the text after it stands; [`Place::retitled`] does the same when a
//! heading's title turns out to go on over the next line (`BAB II` / `KEBIJAKAN LUAR NEGERI`).
//! Both are pure, so chapter and section assignment is tested on plain strings, and the chapter
//! label (`BAB II — KEBIJAKAN LUAR NEGERI FEMINIST MEKSIKO`) is built in one place,
//! [`chapter_label`].

use std::sync::LazyLock;

use regex::Regex;

use super::column::{column_heading, opens_with_function_word};
use super::layout::{
    char_len, ends_sentence, is_row, starts_lower, starts_upper_or_digit, title_case, upper_share,
    Layout, FUNCTION_WORDS,
};
use crate::ingest::normalize::{Line, LineKind};

static CHAPTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:BAB|CHAPTER)\s+([IVXLC]+|\d+)\b\.?\s*(.*)$").unwrap());
static SECTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+(?:\.\d+)+)\.?\s+(\S.{0,160})$").unwrap());
pub(super) static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\d{1,2}|[IVX]{1,4}|[A-H])[.)]\s+(\S.*)$").unwrap());
static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:(?:gambar|tabel|table|figure|fig\.|grafik|diagram|bagan|chart|foto)\s+S?\d+(?:[.-]\d+)*\b|(?:text|protocol|dataset|data|video|movie|audio|file|checklist|appendix)\s+S\d+\b|(?:sumber|source)\s*:)",
    )
    .unwrap()
});
pub(super) static KEYWORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:key\s?words|kata[\s-]kunci|kata-kata kunci)\s*[:.]").unwrap()
});
pub(super) static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:19|20)\d\d[a-z]?\b").unwrap());

/// Named parts of a paper: (lowercase name, which kind of part it opens).
const NAMED_PARTS: &[(&str, Part)] = &[
    ("abstract", Part::Abstract),
    ("abstrak", Part::Abstract),
    ("summary", Part::Abstract),
    ("author summary", Part::Abstract),
    ("pendahuluan", Part::Other),
    ("introduction", Part::Other),
    ("latar belakang", Part::Other),
    ("tinjauan pustaka", Part::Other),
    ("kajian pustaka", Part::Other),
    ("kerangka teori", Part::Other),
    ("literature review", Part::Other),
    ("metode penelitian", Part::Other),
    ("metodologi penelitian", Part::Other),
    ("metode", Part::Other),
    ("research method", Part::Other),
    ("research methods", Part::Other),
    ("methods", Part::Other),
    ("materials and methods", Part::Other),
    ("methodology", Part::Other),
    ("hasil dan pembahasan", Part::Other),
    ("hasil penelitian", Part::Other),
    ("pembahasan", Part::Other),
    ("results", Part::Other),
    ("discussion", Part::Other),
    ("results and discussion", Part::Other),
    ("simpulan", Part::Other),
    ("kesimpulan", Part::Other),
    ("kesimpulan dan saran", Part::Other),
    ("simpulan dan saran", Part::Other),
    ("saran", Part::Other),
    ("penutup", Part::Other),
    ("conclusion", Part::Other),
    ("conclusions", Part::Other),
    ("acknowledgments", Part::Other),
    ("acknowledgements", Part::Other),
    ("ucapan terima kasih", Part::Other),
    ("daftar pustaka", Part::Bibliography),
    ("daftar referensi", Part::Bibliography),
    ("referensi", Part::Bibliography),
    ("references", Part::Bibliography),
    ("bibliography", Part::Bibliography),
    ("bibliografi", Part::Bibliography),
    ("works cited", Part::Bibliography),
];

/// The kind of a named part: it decides the kind of the paragraphs in it (abstract,
/// bibliography entry or body).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    Other,
    Abstract,
    Bibliography,
}

pub(super) fn named_part(text: &str) -> Option<Part> {
    let t = text
        .trim_end_matches([':', '.', ' '])
        .trim_start_matches(|c: char| c == '#' || c.is_whitespace());
    if t.len() > 40 {
        return None;
    }
    let t = t.to_lowercase();
    NAMED_PARTS.iter().find(|(n, _)| *n == t).map(|&(_, p)| p)
}

/// A heading, with what it sets.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Heading {
    /// `BAB II KEBIJAKAN …`, `Chapter 3`; `label` is the whole chapter label ([`chapter_label`]).
    Chapter {
        label: String,
    },
    /// `2.1.1 Title`.
    Section {
        number: String,
        title: String,
    },
    /// A named part: `Abstract`, `PENDAHULUAN`, `DAFTAR PUSTAKA`.
    Part {
        title: String,
        part: Part,
    },
    /// Any other heading (a line of capitals, a short title-case line, a bibliography sub-list
    /// label). `extra` lines already belong to it; an `open` one may take more (a title in
    /// capitals wrapped over lines).
    Sub {
        title: String,
        extra: usize,
        open: bool,
    },
    Caption,
}

/// What the open heading block names, so that a title wrapped over two lines is whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Titles {
    Nothing,
    Chapter,
    Section,
}

/// Whether a heading is an item of a numbered or lettered run (`2. Post Traumatic`, `b) …`).
fn enumerated(title: &str) -> bool {
    let head: String = title.chars().take(4).collect();
    let mut chars = head.chars();
    let first = chars.next();
    let digits = head.chars().take_while(char::is_ascii_digit).count();
    let after = match (first, digits) {
        (_, 1..=2) => head.chars().nth(digits),
        (Some(c), 0) if c.is_ascii_lowercase() => chars.next(),
        _ => None,
    };
    matches!(after, Some('.') | Some(')'))
        && head
            .chars()
            .nth(digits.max(1) + 1)
            .is_none_or(char::is_whitespace)
}

/// Where a passage stands in its document: chapter, section and the named part it is in.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Place {
    pub(super) chapter: Option<String>,
    pub(super) section: Option<String>,
    pub(super) section_title: Option<String>,
    /// The heading a numbered run of sub-headings (`1. HIV/AIDS`, `2. …`) stands under.
    pub(super) parent_title: Option<String>,
    pub(super) part: Option<Part>,
}

impl Place {
    pub(super) fn in_bibliography(&self) -> bool {
        self.part == Some(Part::Bibliography)
    }

    /// The place after heading `h`: a chapter starts afresh (no section, no part); a numbered
    /// section sets number and title and ends an abstract or bibliography (not a named body
    /// part such as `PENDAHULUAN`, whose sub-sections it numbers); a named part sets the title
    /// and the part; any other heading sets the title and ends the part, except inside a
    /// bibliography, where it only labels a sub-list (`Buku`, `Jurnal:`).
    pub(super) fn after(&self, h: &Heading) -> Place {
        let mut p = self.clone();
        match h {
            Heading::Chapter { label } => {
                return Place {
                    chapter: Some(label.clone()),
                    ..Place::default()
                }
            }
            Heading::Section { number, title } => {
                p.section = Some(number.clone());
                p.section_title = Some(title.clone());
                p.parent_title = None;
                if p.part != Some(Part::Other) {
                    p.part = None;
                }
            }
            Heading::Part { title, part } => {
                p.section = None;
                p.section_title = Some(title.clone());
                p.parent_title = None;
                p.part = Some(*part);
            }
            Heading::Sub { title, .. } if !self.in_bibliography() => {
                p.section = None;
                p.parent_title = self.parent_of(title);
                p.section_title = Some(title.clone());
                p.part = None;
            }
            Heading::Sub { .. } | Heading::Caption => {}
        }
        p
    }

    /// The title a sub-heading stands under: a numbered item (`2. Post Traumatic …`) under
    /// an unnumbered heading takes that heading as its parent, and its numbered siblings keep
    /// it; an unnumbered sub-heading has none.
    fn parent_of(&self, title: &str) -> Option<String> {
        if !enumerated(title) {
            return None;
        }
        match &self.section_title {
            Some(t) if !enumerated(t) => Some(t.clone()),
            _ => self.parent_title.clone(),
        }
    }

    /// The place once the open heading block, which names `titles`, reads `text` in full (its
    /// title went on over more lines).
    pub(super) fn retitled(&self, titles: Titles, text: &str) -> Place {
        let mut p = self.clone();
        match titles {
            Titles::Nothing => {}
            Titles::Chapter => {
                let label = chapter_label(text)
                    .unwrap_or_else(|| text.trim_end_matches([' ', '—']).to_string());
                p.chapter = Some(label);
            }
            Titles::Section => {
                let title = SECTION
                    .captures(text)
                    .map_or(text.to_string(), |c| c[2].trim().to_string());
                p.section_title = Some(title);
            }
        }
        p
    }
}

/// The chapter label of a chapter heading, its title (if any) after a dash:
/// `BAB II KEBIJAKAN LUAR NEGERI` → `BAB II — KEBIJAKAN LUAR NEGERI`, `Chapter 3` → `Chapter 3`.
/// `None` when `text` is no chapter heading. The word (`BAB`, `CHAPTER`, `Chapter`) is kept as
/// written, so a label reads as the document does.
pub(super) fn chapter_label(text: &str) -> Option<String> {
    let t = text.trim_start_matches('#').trim();
    let c = CHAPTER.captures(t)?;
    let word = t.split_whitespace().next().unwrap_or("BAB");
    let label = format!("{word} {} — {}", &c[1], c[2].trim());
    Some(label.trim_end_matches([' ', '—']).to_string())
}

/// The title a chapter heading carries on its own line (`BAB II KEBIJAKAN` → `KEBIJAKAN`);
/// `None` when `text` is no chapter heading, `Some("")` for a bare `BAB II`.
pub(super) fn chapter_title(text: &str) -> Option<String> {
    CHAPTER.captures(text).map(|c| c[2].trim().to_string())
}

pub(super) fn is_section(text: &str) -> bool {
    SECTION.is_match(text)
}

/// What line `i` opens, judged with its neighbours. `in_bib`: the line is inside a
/// bibliography; `para_open`: a paragraph is open before it.
pub(super) fn classify(
    lines: &[Line],
    i: usize,
    lay: Layout,
    in_bib: bool,
    para_open: bool,
) -> Option<Heading> {
    let l = &lines[i];
    let t = l.text.trim_start_matches('#').trim();
    if let Some(h) = explicit_heading(t) {
        return Some(h);
    }
    if is_markdown_heading(&l.text) {
        // The writer said so: `# Catatan penelitian` is a heading whatever its words.
        return Some(Heading::Sub {
            title: t.to_string(),
            extra: 0,
            open: false,
        });
    }
    // An indented line the source saw run to its column's edge opens a paragraph; a row of
    // cells above another is a table's.
    let table_row = is_row(l) && lines.get(i + 1).is_some_and(is_row);
    if !may_be_heading(t) || l.fills == Some(true) && l.indented || table_row {
        return None;
    }
    if in_bib {
        return bib_subheading(t, !lay.wrapped && l.gap_before).then(|| Heading::Sub {
            title: t
                .trim_start_matches(['-', ' '])
                .trim_end_matches([':', ' '])
                .to_string(),
            extra: 0,
            open: false,
        });
    }
    if para_open && !l.gap_before && lay.wrapped {
        return None;
    }
    if t.starts_with(['(', '[', '"', '-', '\'']) || t.ends_with([';', ',', '-']) {
        return None;
    }
    if let Some(h) = capitals_heading(t) {
        return Some(h);
    }
    if t.ends_with([':', '.']) {
        return None;
    }
    if lay.wrapped {
        column_heading(lines, i, lay)
            .map(|(title, extra)| Heading::Sub {
                title,
                extra,
                open: false,
            })
            .or_else(|| wrapped_heading(lines, i, t, lay))
            .or_else(|| set_apart_heading(lines, i, t, lay))
    } else {
        standalone_heading(lines, i, t)
    }
}

/// An ATX heading of Markdown: one to six `#`, a space, a title.
pub(super) fn is_markdown_heading(line: &str) -> bool {
    let hashes = line.len() - line.trim_start_matches('#').len();
    (1..=6).contains(&hashes)
        && line[hashes..].starts_with([' ', '\t'])
        && !line[hashes..].trim().is_empty()
}

/// A heading that its own words make one, wherever it stands: a chapter, a named part, a
/// caption, a numbered section (`2.1 Title`, but not `2.1 percent.` nor `2019.1 …`). `t` is the
/// line without markdown `#`s.
pub(super) fn explicit_heading(t: &str) -> Option<Heading> {
    if let Some(label) = chapter_label(t) {
        return Some(Heading::Chapter { label });
    }
    if let Some(p) = named_part(t) {
        return Some(Heading::Part {
            title: t.trim_end_matches([':', ' ']).to_string(),
            part: p,
        });
    }
    if CAPTION.is_match(t) {
        return Some(Heading::Caption);
    }
    if !may_be_heading(t) {
        return None;
    }
    let c = SECTION.captures(t)?;
    let title = c[2].trim();
    (starts_upper_or_digit(title) && !YEAR.is_match(&c[1])).then(|| Heading::Section {
        number: c[1].to_string(),
        title: title.to_string(),
    })
}

/// Short, and not ending like a sentence or a clause (a colon may end a heading), and no
/// formula (`ˆMHAC = 1`, set apart like a heading in a PDF).
fn may_be_heading(t: &str) -> bool {
    !(char_len(t) > 160
        || t.contains(" = ")
        || ends_sentence(t) && !t.ends_with(':')
        || t.ends_with(',')
        || is_byline(t))
}

/// An article's byline: names with affiliation marks glued to them (`¹Eriston Saragih &
/// ²Alfajri`, which NFKC makes `1Eriston Saragih & 2Alfajri`), joined by `&`, `,`, `and`, `dan`.
/// It stands alone in capitals like a heading, but it names people, not a part of the text.
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    let name = r"(?:\d{1,2}|[*†‡])?\p{Lu}[\p{L}.'-]*(?:\s+\p{Lu}[\p{L}.'-]*)*";
    Regex::new(&format!(
        r"^{name}(?:\s*(?:,|&|\band\b|\bdan\b)\s*{name})+$"
    ))
    .unwrap()
});
static AFFILIATION_MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[\s,&])(?:\d{1,2}|[*†‡])\p{Lu}\p{Ll}").unwrap());

fn is_byline(t: &str) -> bool {
    AFFILIATION_MARK.is_match(t) && BYLINE.is_match(t)
}

/// The line without a list number: `2. Tujuan Penelitian` → `Tujuan Penelitian`.
pub(super) fn unnumbered(t: &str) -> &str {
    NUMBERED
        .captures(t)
        .map_or(t, |c| c.get(1).unwrap().as_str())
}

/// A line of capitals: `PENDAHULUAN`, `DEMI KEADILAN BERDASARKAN ...`, `TENTANG DUDUK PERKARA`.
/// Without a closing colon its title may go on over the next line.
fn capitals_heading(t: &str) -> Option<Heading> {
    (upper_share(unnumbered(t)) >= 0.8 && char_len(t) <= 120).then(|| Heading::Sub {
        title: t.trim_end_matches([':', ' ']).to_string(),
        extra: 0,
        open: !t.ends_with(':'),
    })
}

/// Unwrapped text: a short line standing alone before a longer paragraph (`Ethics statement`).
fn standalone_heading(lines: &[Line], i: usize, t: &str) -> Option<Heading> {
    let l = &lines[i];
    let len = char_len(t);
    let alone = (l.gap_before || i == 0)
        && lines.get(i + 1).is_some_and(|n| {
            n.gap_before
                && !starts_lower(&n.text)
                && (char_len(&n.text) > len * 2 || NUMBERED.is_match(&n.text))
        });
    (len <= 100 && alone && starts_upper_or_digit(t) && !t.contains(',')).then(|| Heading::Sub {
        title: t.to_string(),
        extra: 0,
        open: false,
    })
}

/// Wrapped text: a short title-case line (`Faktor Penyebab Prostitusi Anak`), perhaps with one
/// more line (`di Meksiko`), after which a sentence starts.
fn wrapped_heading(lines: &[Line], i: usize, t: &str, lay: Layout) -> Option<Heading> {
    let short = |n: usize| n * 4 <= lay.width * 3;
    if !short(char_len(t)) || !title_case(unnumbered(t)) || opens_with_function_word(unnumbered(t))
    {
        return None;
    }
    // Only a number lets a title hold a comma; a paragraph's first line often has one
    // (`Pada 5 Juni 2012, ECPAT`).
    if t.contains(',') && !NUMBERED.is_match(t) {
        return None;
    }
    let mut title = t.to_string();
    let mut extra = 0;
    if let Some(n) = lines.get(i + 1).filter(|n| n.kind == LineKind::Text) {
        let nt = n.text.as_str();
        let cont = short(char_len(nt))
            && !ends_sentence(nt)
            && !NUMBERED.is_match(nt)
            && !CAPTION.is_match(nt)
            && (starts_lower(nt) || title_case(nt));
        if cont {
            title.push(' ');
            title.push_str(nt);
            extra = 1;
        }
    }
    if ends_with_function_word(&title) {
        return None;
    }
    let after = lines.get(i + 1 + extra).map_or("", |n| n.text.as_str());
    (after.is_empty() || starts_upper_or_digit(after)).then_some(Heading::Sub {
        title,
        extra,
        open: false,
    })
}

/// A heading in sentence case (`3. Existing R infrastructure`, `Computational details`), which
/// words alone cannot tell from a paragraph's first line: where a PDF's layout shows it, a
/// short line of words with space above it and above the line after, which does not run to
/// the column's edge, before a paragraph that starts with a capital.
fn set_apart_heading(lines: &[Line], i: usize, t: &str, lay: Layout) -> Option<Heading> {
    let l = &lines[i];
    let next = lines.get(i + 1)?;
    let words = unnumbered(t);
    let letters = words.chars().filter(|c| c.is_alphabetic()).count();
    let ok = lay.laid_out
        && l.gap_before
        && next.gap_before
        && l.fills != Some(true)
        && next.kind == LineKind::Text
        && char_len(t) * 2 <= lay.width
        && words.starts_with(char::is_uppercase)
        && letters * 10 >= words.chars().filter(|c| !c.is_whitespace()).count() * 8
        && !ends_with_function_word(t)
        && !NUMBERED.is_match(&next.text)
        && starts_upper_or_digit(&next.text);
    ok.then(|| Heading::Sub {
        title: t.to_string(),
        extra: 0,
        open: false,
    })
}

/// `Peran Negara dalam` goes on over the next line; no title ends there.
pub(super) fn ends_with_function_word(title: &str) -> bool {
    let last_word = title
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .to_lowercase();
    FUNCTION_WORDS.contains(&last_word.as_str())
}

/// A sub-list label inside a bibliography: `Buku`, `Jurnal:`, `Situs Elektronik`.
pub(super) fn bib_subheading(t: &str, standalone: bool) -> bool {
    let t = t.trim_start_matches(['-', ' ']);
    let bare = t.trim_end_matches(':');
    char_len(t) <= 40
        && bare.split_whitespace().count() <= 4
        && !t.chars().any(|c| c.is_ascii_digit())
        && !bare.contains(['.', ',', '(', '"'])
        && starts_upper_or_digit(t)
        && (t.ends_with(':') || standalone)
}

/// Headings and captions that stand out whatever surrounds them.
pub(super) fn is_strong_heading(t: &str) -> bool {
    CAPTION.is_match(t) || SECTION.is_match(t) || CHAPTER.is_match(t) || named_part(t).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(t: &str) -> Heading {
        explicit_heading(t).unwrap_or_else(|| panic!("{t:?} is no heading"))
    }

    fn chapter(p: &Place) -> Option<&str> {
        p.chapter.as_deref()
    }

    fn bab2_section() -> Place {
        Place {
            chapter: Some("BAB II".into()),
            section: Some("2.1".into()),
            section_title: Some("Latar Belakang".into()),
            parent_title: None,
            part: Some(Part::Other),
        }
    }

    #[test]
    fn chapter_label_joins_number_and_title_with_a_dash() {
        let cases = [
            (
                "BAB II KEBIJAKAN LUAR NEGERI",
                Some("BAB II — KEBIJAKAN LUAR NEGERI"),
            ),
            ("BAB 1 PENDAHULUAN", Some("BAB 1 — PENDAHULUAN")),
            ("BAB II", Some("BAB II")),
            (
                "Bab III. Metode Penelitian",
                Some("Bab III — Metode Penelitian"),
            ),
            ("CHAPTER 4. Results", Some("CHAPTER 4 — Results")),
            ("Chapter 3", Some("Chapter 3")),
            ("## BAB IV Penutup", Some("BAB IV — Penutup")),
            ("BAB II —", Some("BAB II")),
            ("Babak baru dimulai", None),
            ("Bab ini membahas", None),
        ];
        for (text, want) in cases {
            assert_eq!(chapter_label(text).as_deref(), want, "{text:?}");
        }
    }

    #[test]
    fn bab_heading_with_its_title_on_the_next_line() {
        let p = Place::default().after(&heading("BAB II"));
        assert_eq!(chapter(&p), Some("BAB II"));
        let p = p.retitled(
            Titles::Chapter,
            "BAB II KEBIJAKAN LUAR NEGERI FEMINIST MEKSIKO",
        );
        assert_eq!(
            chapter(&p),
            Some("BAB II — KEBIJAKAN LUAR NEGERI FEMINIST MEKSIKO")
        );
        assert_eq!(p.section, None);
    }

    #[test]
    fn a_new_chapter_clears_section_and_part() {
        let p = bab2_section().after(&heading("BAB III METODE PENELITIAN"));
        assert_eq!(
            p,
            Place {
                chapter: Some("BAB III — METODE PENELITIAN".into()),
                ..Place::default()
            }
        );
    }

    #[test]
    fn a_numbered_section_sets_number_and_title_and_keeps_the_chapter() {
        let h = heading("2.1.1 Faktor Penyebab Prostitusi Anak");
        assert_eq!(
            h,
            Heading::Section {
                number: "2.1.1".into(),
                title: "Faktor Penyebab Prostitusi Anak".into()
            }
        );
        let p = bab2_section().after(&h);
        assert_eq!(chapter(&p), Some("BAB II"));
        assert_eq!(p.section.as_deref(), Some("2.1.1"));
        assert_eq!(
            p.section_title.as_deref(),
            Some("Faktor Penyebab Prostitusi Anak")
        );
        // Inside a named body part the part stays; an abstract or bibliography ends.
        assert_eq!(p.part, Some(Part::Other));
        let in_bib = Place {
            part: Some(Part::Bibliography),
            ..Place::default()
        };
        assert_eq!(in_bib.after(&h).part, None);
    }

    #[test]
    fn a_wrapped_section_title_is_read_whole() {
        let p = bab2_section().after(&heading("2.2 Faktor Penyebab"));
        let p = p.retitled(
            Titles::Section,
            "2.2 Faktor Penyebab Prostitusi Anak di Meksiko",
        );
        assert_eq!(p.section.as_deref(), Some("2.2"));
        assert_eq!(
            p.section_title.as_deref(),
            Some("Faktor Penyebab Prostitusi Anak di Meksiko")
        );
        // An open heading in capitals has no number to drop.
        let p = p.retitled(Titles::Section, "TENTANG DUDUK PERKARA");
        assert_eq!(p.section_title.as_deref(), Some("TENTANG DUDUK PERKARA"));
    }

    #[test]
    fn numbers_that_are_no_sections() {
        for t in [
            "2.5 percent of the sample was lost.",
            "2019.2 Laporan Tahunan",
            "1.2 juta penduduk,",
            "3.1 dari responden",
        ] {
            assert_eq!(explicit_heading(t), None, "{t:?}");
        }
    }

    /// A PLOS article's supporting-information items (`Table S2 …`, `Text S1 … (PDF)`) are
    /// captions of files, not headings of the text.
    #[test]
    fn supporting_information_items_are_captions() {
        for item in [
            "Table S2 Populations selected for this study. (XLS)",
            "Text S1 Description of the ROLLOFF analysis. (PDF)",
            "Protocol S1 Trial protocol. (PDF)",
            "Figure S3 Distribution of scores",
        ] {
            assert_eq!(explicit_heading(item), Some(Heading::Caption), "{item}");
        }
        assert_eq!(explicit_heading("Text mining of the abstracts"), None);
    }

    #[test]
    fn a_byline_is_no_heading() {
        assert!(is_byline("1Eriston Saragih & 2Alfajri"));
        assert!(is_byline("1Ana Putri, 2Budi Santoso dan 3Citra Dewi"));
        for heading in [
            "Hasil dan Pembahasan",
            "1. Peran Organisasi Internasional Menurut Clive Archer",
            "Sejarah Human Trafficking",
            "Materials and Methods",
        ] {
            assert!(!is_byline(heading), "{heading}");
        }
    }

    #[test]
    fn named_parts_set_the_title_and_the_part() {
        let cases = [
            ("Abstract", "Abstract", Part::Abstract),
            ("ABSTRAK", "ABSTRAK", Part::Abstract),
            ("PENDAHULUAN", "PENDAHULUAN", Part::Other),
            (
                "Materials and Methods",
                "Materials and Methods",
                Part::Other,
            ),
            ("Hasil dan Pembahasan", "Hasil dan Pembahasan", Part::Other),
            ("DAFTAR PUSTAKA", "DAFTAR PUSTAKA", Part::Bibliography),
            ("References:", "References", Part::Bibliography),
        ];
        for (text, title, part) in cases {
            let p = bab2_section().after(&heading(text));
            assert_eq!(chapter(&p), Some("BAB II"), "{text:?}");
            assert_eq!(p.section, None, "{text:?}");
            assert_eq!(p.section_title.as_deref(), Some(title), "{text:?}");
            assert_eq!(p.part, Some(part), "{text:?}");
        }
    }

    #[test]
    fn other_headings_set_the_title_except_inside_a_bibliography() {
        let sub = Heading::Sub {
            title: "Ethics statement".into(),
            extra: 0,
            open: false,
        };
        let p = bab2_section().after(&sub);
        assert_eq!(chapter(&p), Some("BAB II"));
        assert_eq!(p.section, None);
        assert_eq!(p.section_title.as_deref(), Some("Ethics statement"));
        assert_eq!(p.part, None);

        let bib = Place::default().after(&heading("DAFTAR PUSTAKA"));
        let label = Heading::Sub {
            title: "Buku".into(),
            extra: 0,
            open: false,
        };
        assert_eq!(bib.after(&label), bib);
        assert_eq!(bib.after(&Heading::Caption), bib);
    }

    #[test]
    fn captions_leave_the_place_alone() {
        for t in [
            "Gambar 2.1 Peta Meksiko",
            "Table 3 Results",
            "Sumber: BPS 2020",
        ] {
            assert_eq!(heading(t), Heading::Caption, "{t:?}");
            assert_eq!(bab2_section().after(&heading(t)), bab2_section());
        }
    }
}
