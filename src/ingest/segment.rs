//! Segment: clean lines → passages that know their chapter, section, kind and source position.
//!
//! The hard part is that PDF extractions lose layout. Blank lines are not paragraph breaks (some
//! extractions put one after every line), so a paragraph ends where the evidence says it does:
//! a line that ends a sentence and stops short of the text width, a heading, a caption, a
//! footnote rule. Documents whose paragraphs are already single lines (markdown conversions,
//! JSON Lines articles) are told apart from hard-wrapped ones by the shape of their line lengths.
//!
//! Footnotes that a two-column extraction interleaves into the body are lifted out into
//! footnote passages; their markers (a lone number on its own line) are kept on the body
//! passage, so citations can later be linked through them.

use std::sync::LazyLock;

use regex::Regex;

use super::hyphen::{self, Join, Lexicon};
use super::normalize::{Line, LineKind};
use crate::model::{Kind, Passage};
use crate::text::sentence::sentence_ends;

/// Passages longer than this are cut at sentence boundaries.
pub const TARGET_CHARS: usize = 1500;

static CHAPTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:BAB|CHAPTER)\s+([IVXLC]+|\d+)\b\.?\s*(.*)$").unwrap());
static SECTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+(?:\.\d+)+)\.?\s+(\S.{0,160})$").unwrap());
static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\d{1,2}|[IVX]{1,4}|[A-H])[.)]\s+(\S.*)$").unwrap());
static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:(?:gambar|tabel|table|figure|fig\.|grafik|diagram|bagan|chart|foto)\s+\d+(?:[.-]\d+)*\b|(?:sumber|source)\s*:)",
    )
    .unwrap()
});
static KEYWORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:key\s?words|kata[\s-]kunci|kata-kata kunci)\s*[:.]").unwrap()
});
static FOOTNOTE_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3})\s+(\S.*)$").unwrap());
static FOOTNOTE_DONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:\b(?:hlmn|hlm|hal|halaman|pp?|page|pages)\.?\s*:?\s*\d+(?:\s*[-–]\s*\d+)?\s*[.;]?|\bdiakses\b.*\b(?:19|20)\d\d\.?)$",
    )
    .unwrap()
});
static NUMERIC_DEBRIS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d[\d.,%]*(?:\s+\d[\d.,%]*)+$").unwrap());
static BIB_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-•]\s+)?(?:\p{Lu}[\p{L}'’-]+(?:,\s+\p{Lu}|\.\s|\s+\p{Lu}|\s+(?:dan|and|&)\s)|\p{Lu}{2,}[\s.,])")
        .unwrap()
});
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(?:19|20)\d\d[a-z]?\b").unwrap());

/// Named parts of a paper: (lowercase name, is bibliography, is abstract).
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Other,
    Abstract,
    Bibliography,
}

fn named_part(text: &str) -> Option<Part> {
    let t = text
        .trim_end_matches([':', '.', ' '])
        .trim_start_matches(|c: char| c == '#' || c.is_whitespace());
    if t.len() > 40 {
        return None;
    }
    let t = t.to_lowercase();
    NAMED_PARTS.iter().find(|(n, _)| *n == t).map(|&(_, p)| p)
}

/// Ends a sentence (allowing closing quotes and brackets after the stop).
fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(['"', '\'', ')', ']', '»']);
    t.ends_with(['.', '?', '!', ':', ';'])
}

fn starts_lower(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_lowercase)
}

fn starts_upper_or_digit(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Share of letters that are uppercase (0 when there are fewer than four letters).
fn upper_share(text: &str) -> f32 {
    let (mut up, mut all) = (0u32, 0u32);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        all += 1;
        if c.is_uppercase() {
            up += 1;
        }
    }
    if all < 4 {
        0.0
    } else {
        up as f32 / all as f32
    }
}

const FUNCTION_WORDS: &[&str] = &[
    "dan", "di", "ke", "dari", "dalam", "untuk", "pada", "yang", "sebagai", "atau", "of", "the",
    "and", "in", "on", "for", "to", "a", "an", "with", "by", "at", "/", "&", "-", "terhadap",
];

/// Share of content words that start with a capital or a digit.
fn caps_share(text: &str) -> f32 {
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| !FUNCTION_WORDS.contains(&w.to_lowercase().as_str()))
        .collect();
    if words.is_empty() {
        return 0.0;
    }
    let caps = words.iter().filter(|w| starts_upper_or_digit(w)).count();
    caps as f32 / words.len() as f32
}

/// Most content words capitalised, as in a title.
fn title_case(text: &str) -> bool {
    text.split_whitespace().count() <= 12 && caps_share(text) >= 0.7
}

/// The layout of a document's lines.
#[derive(Debug, Clone, Copy)]
struct Layout {
    /// Lines are hard-wrapped at about `width` characters.
    wrapped: bool,
    width: usize,
}

fn layout(lines: &[Line]) -> Layout {
    let mut lens: Vec<usize> = lines
        .iter()
        .filter(|l| l.kind == LineKind::Text)
        .map(|l| char_len(&l.text))
        .collect();
    if lens.is_empty() {
        return Layout {
            wrapped: false,
            width: 80,
        };
    }
    let p90 = (lens.len() * 9 / 10).min(lens.len() - 1);
    let width = (*lens.select_nth_unstable(p90).1).max(1);
    let near = lens.iter().filter(|&&n| n * 10 >= width * 6).count();
    // Hard-wrapped text has almost no line far beyond its width; a paper whose paragraphs are
    // single lines has some, however many short bibliography lines it also has.
    let beyond = lens.iter().filter(|&&n| n * 10 > width * 16).count();
    Layout {
        wrapped: width <= 220 && near * 10 >= lens.len() * 4 && beyond * 50 < lens.len(),
        width,
    }
}

/// A heading, with what it sets.
#[derive(Debug, Clone)]
enum Heading {
    Chapter {
        label: String,
        title: String,
    },
    Section {
        number: String,
        title: String,
    },
    Part {
        title: String,
        part: Part,
    },
    /// `extra` lines already belong to it; an `open` one may take more (a title in capitals
    /// wrapped over lines).
    Sub {
        title: String,
        extra: usize,
        open: bool,
    },
    Caption,
}

/// What one line opens, judged with its neighbours.
fn classify(
    lines: &[Line],
    i: usize,
    lay: Layout,
    in_bib: bool,
    para_open: bool,
) -> Option<Heading> {
    let l = &lines[i];
    let t = l.text.trim_start_matches('#').trim();
    let len = char_len(t);
    if let Some(c) = CHAPTER.captures(t) {
        return Some(Heading::Chapter {
            label: format!("{} {}", t.split_whitespace().next().unwrap_or("BAB"), &c[1]),
            title: c[2].trim().to_string(),
        });
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
    if len > 160 || ends_sentence(t) && !t.ends_with(':') || t.ends_with(',') {
        return None;
    }
    if let Some(c) = SECTION.captures(t) {
        let title = c[2].trim();
        if starts_upper_or_digit(title) && !YEAR.is_match(&c[1]) {
            return Some(Heading::Section {
                number: c[1].to_string(),
                title: title.to_string(),
            });
        }
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
    let bare = NUMBERED
        .captures(t)
        .map_or(t, |c| c.get(1).unwrap().as_str());
    if t.starts_with(['(', '[', '"', '-', '\'']) || t.ends_with([';', ',', '-']) {
        return None;
    }
    // A line of capitals: `PENDAHULUAN`, `DEMI KEADILAN BERDASARKAN ...`, `TENTANG DUDUK PERKARA`.
    if upper_share(bare) >= 0.8 && len <= 120 {
        return Some(Heading::Sub {
            title: t.trim_end_matches([':', ' ']).to_string(),
            extra: 0,
            open: !t.ends_with(':'),
        });
    }
    if t.ends_with([':', '.']) {
        return None;
    }
    let next = lines.get(i + 1);
    if !lay.wrapped {
        // Unwrapped text: a short line standing alone before a longer paragraph (`Ethics statement`).
        let alone = (l.gap_before || i == 0)
            && next.is_some_and(|n| {
                n.gap_before
                    && !starts_lower(&n.text)
                    && (char_len(&n.text) > len * 2 || NUMBERED.is_match(&n.text))
            });
        return (len <= 100 && alone && starts_upper_or_digit(t) && !t.contains(',')).then(|| {
            Heading::Sub {
                title: t.to_string(),
                extra: 0,
                open: false,
            }
        });
    }
    // Wrapped text: a short title-case line (`Faktor Penyebab Prostitusi Anak`), perhaps with one
    // more line (`di Meksiko`), after which a sentence starts.
    let short = |n: usize| n * 4 <= lay.width * 3;
    if !short(len) || !title_case(bare) {
        return None;
    }
    let mut title = t.to_string();
    let mut extra = 0;
    if let Some(n) = next.filter(|n| n.kind == LineKind::Text) {
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
    let last_word = title
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .to_lowercase();
    if FUNCTION_WORDS.contains(&last_word.as_str()) {
        return None;
    }
    let after = lines.get(i + 1 + extra).map_or("", |n| n.text.as_str());
    (after.is_empty() || starts_upper_or_digit(after)).then_some(Heading::Sub {
        title,
        extra,
        open: false,
    })
}

/// A sub-list label inside a bibliography: `Buku`, `Jurnal:`, `Situs Elektronik`.
fn bib_subheading(t: &str, standalone: bool) -> bool {
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
fn is_strong_heading(t: &str) -> bool {
    CAPTION.is_match(t) || SECTION.is_match(t) || CHAPTER.is_match(t) || named_part(t).is_some()
}

/// Table cells in single-column wrapped text: a run of at least five short lines of several
/// words each (single words in a row are justified prose split by the extractor, not a table).
fn table_lines(lines: &[Line], lay: Layout) -> Vec<bool> {
    let mut out = vec![false; lines.len()];
    if !lay.wrapped || lay.width < 60 {
        return out;
    }
    let short = |l: &Line| {
        l.kind == LineKind::Text
            && char_len(&l.text) * 100 <= lay.width * 55
            && !is_strong_heading(&l.text)
    };
    let mut i = 0;
    while i < lines.len() {
        if !short(&lines[i]) {
            i += 1;
            continue;
        }
        // A row may hold one longer cell: bridge a single line of up to 80% width.
        let bridge =
            |l: &Line| l.kind == LineKind::Text && char_len(&l.text) * 100 <= lay.width * 80;
        let mut j = i;
        while j < lines.len() {
            if short(&lines[j]) {
                j += 1;
            } else if bridge(&lines[j]) && lines.get(j + 1).is_some_and(short) {
                j += 2;
            } else {
                break;
            }
        }
        let words: usize = lines[i..j]
            .iter()
            .map(|l| l.text.split_whitespace().count())
            .sum();
        if j - i >= 5 && words * 10 >= (j - i) * 25 {
            out[i..j].iter_mut().for_each(|t| *t = true);
        }
        i = j;
    }
    out
}

/// A run of lines that becomes one or more passages.
#[derive(Debug, Default)]
struct Block {
    kind: Option<Kind>,
    text: String,
    /// `(offset in text, index into lines, byte in the line where the text starts)`.
    spans: Vec<(usize, usize, usize)>,
    /// Footnote numbers with the offset in `text` where their marker stands and its line.
    footnotes: Vec<(u32, usize, usize)>,
    /// Chapter/section context of the block.
    ctx: Context,
}

#[derive(Debug, Default, Clone)]
struct Context {
    chapter: Option<String>,
    section: Option<String>,
    section_title: Option<String>,
    part: Option<Part>,
}

impl Block {
    fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    fn first_line(&self) -> usize {
        self.spans.first().map_or(usize::MAX, |s| s.1)
    }

    fn push_line(&mut self, idx: usize, line: &Line, skip: usize, how: Join) {
        if !self.text.is_empty() {
            match how {
                Join::Space => self.text.push(' '),
                Join::Glue => {}
                Join::Dehyphenate => {
                    self.text.pop();
                }
            }
        }
        self.spans.push((self.text.len(), idx, skip));
        self.text.push_str(&line.text[skip..]);
    }
}

/// What the open heading block names, so that a title wrapped over two lines is whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Titles {
    Nothing,
    Chapter,
    Section,
}

/// The state of the walk over a document's lines.
struct Walker<'a> {
    lines: &'a [Line],
    lex: Lexicon,
    lay: Layout,
    ctx: Context,
    blocks: Vec<Block>,
    /// The open body-stream block.
    cur: Block,
    titles: Titles,
    /// The open footnote, while reading below a footnote rule.
    note: Block,
    in_footnotes: bool,
    has_rules: bool,
    /// A footnote marker stood between the previous line and the next: one visual line.
    marker_pending: bool,
    /// The highest footnote number read so far: footnotes count up, so `27 Oktober 2016` is no footnote.
    last_note: u32,
    /// Lines that belong to a table (runs of short cells in single-column wrapped text).
    table: Vec<bool>,
    /// The next line to look at, past lines a heading took.
    skip_to: usize,
}

impl<'a> Walker<'a> {
    fn flush(&mut self) {
        if !self.cur.is_empty() {
            let b = std::mem::take(&mut self.cur);
            self.blocks.push(b);
        }
        self.cur = Block {
            ctx: self.ctx.clone(),
            ..Block::default()
        };
        self.titles = Titles::Nothing;
        self.marker_pending = false;
    }

    fn flush_note(&mut self) {
        if !self.note.is_empty() {
            let b = std::mem::take(&mut self.note);
            self.blocks.push(b);
        }
        self.note = Block::default();
    }

    fn start(&mut self, kind: Kind) {
        self.flush();
        self.cur.kind = Some(kind);
    }

    fn default_kind(&self) -> Kind {
        match self.ctx.part {
            Some(Part::Abstract) => Kind::Abstract,
            Some(Part::Bibliography) => Kind::Bibliography,
            _ => Kind::Body,
        }
    }

    fn last_line(&self) -> Option<&'a Line> {
        self.cur.spans.last().map(|&(_, i, _)| &self.lines[i])
    }

    /// Does line `i` continue the open block (rather than start a new paragraph)?
    fn continues(&self, i: usize) -> bool {
        let Some(prev) = self.last_line() else {
            return false;
        };
        let line = &self.lines[i];
        let text = self.cur.text.as_str();
        let kind = self.cur.kind.unwrap_or(Kind::Body);
        if kind == Kind::Table {
            return line.text.contains('\t');
        }
        if text.ends_with('-') || line.text.starts_with(['.', ',', ';', ')']) || self.marker_pending
        {
            return true;
        }
        if kind == Kind::Bibliography {
            return self.bib_continues(i);
        }
        if !self.lay.wrapped {
            // Paragraphs are lines; only a sentence cut by a page break carries on.
            return !ends_sentence(text) && (starts_lower(&line.text) || !line.gap_before);
        }
        if !ends_sentence(text) || starts_lower(&line.text) {
            return true;
        }
        // A sentence ends at the line end: a new paragraph unless the line ran to full width.
        char_len(&prev.text) * 100 >= self.lay.width * 85 && !line.indented
    }

    fn bib_continues(&self, i: usize) -> bool {
        let line = &self.lines[i];
        let t = line.text.as_str();
        let text = self.cur.text.as_str();
        if t.starts_with('<') || t.starts_with("http") || t.starts_with("www.") || starts_lower(t) {
            return true;
        }
        if !self.lay.wrapped {
            return !line.gap_before && !BIB_START.is_match(t) && !t.starts_with(['-', '—', '•']);
        }
        // Hard-wrapped entries: a new entry (or sub-list label) starts once the last one is complete.
        let stop = text.trim_end_matches(['"', '\'', ')']);
        let complete = stop.ends_with(['.', '!', '?', ';']) && entry_complete(text)
            || FOOTNOTE_DONE.is_match(text.trim_end());
        let opens =
            BIB_START.is_match(t) || t.starts_with(['-', '—', '•']) || bib_subheading(t, false);
        !(complete && opens)
    }

    /// A wrapped heading or caption goes on: a short line, nothing that ends a sentence.
    fn title_continues(&self, i: usize) -> bool {
        let line = &self.lines[i];
        let t = line.text.as_str();
        let text = self.cur.text.trim_end();
        if text.ends_with(['.', ':', ';', '?', '!']) || line.kind != LineKind::Text {
            return false;
        }
        if is_strong_heading(t) || ends_sentence(t) {
            return false;
        }
        if self.cur.kind == Some(Kind::Caption) && starts_lower(t) {
            return true; // `Sumber: A study by UNICEF Mexico and` / `the DIF/National System ...`
        }
        let len = char_len(t);
        if !self.lay.wrapped {
            return !line.gap_before && len <= 100;
        }
        // Short, or nearly full but followed by the start of a sentence.
        let after = self.lines.get(i + 1).map_or("", |n| n.text.as_str());
        let near = if self.cur.kind == Some(Kind::Caption) {
            100
        } else {
            85
        };
        let title_like = !t.contains(',') && (starts_lower(t) || caps_share(t) >= 0.5);
        len * 10 <= self.lay.width * 6
            || len * 100 <= self.lay.width * near
                && title_like
                && (after.is_empty() || starts_upper_or_digit(after))
    }

    fn set_title_from_block(&mut self) {
        let text = self.cur.text.clone();
        match self.titles {
            Titles::Nothing => {}
            Titles::Chapter => {
                let title = CHAPTER
                    .captures(&text)
                    .map(|c| {
                        format!(
                            "{} {} — {}",
                            text.split_whitespace().next().unwrap_or("BAB"),
                            &c[1],
                            c[2].trim()
                        )
                    })
                    .unwrap_or(text);
                self.ctx.chapter = Some(title.trim_end_matches([' ', '—']).to_string());
            }
            Titles::Section => {
                let title = SECTION
                    .captures(&text)
                    .map_or(text.clone(), |c| c[2].trim().to_string());
                self.ctx.section_title = Some(title);
            }
        }
        self.cur.ctx = self.ctx.clone();
    }

    /// Handle one line of the body stream; returns the next line to look at.
    fn step(&mut self, i: usize) {
        let line = &self.lines[i];
        let open_kind = self.cur.kind;
        if matches!(open_kind, Some(Kind::Heading) | Some(Kind::Caption)) && !self.cur.is_empty() {
            if self.title_continues(i)
                || self.titles == Titles::Chapter
                    && upper_share(&line.text) >= 0.8
                    && char_len(&line.text) <= 120
            {
                self.cur.push_line(i, line, 0, Join::Space);
                self.set_title_from_block();
                return;
            }
            self.flush();
        }
        if self.table[i] && !is_strong_heading(&line.text) {
            if self.cur.kind != Some(Kind::Table) {
                self.start(Kind::Table);
            }
            self.cur.push_line(i, line, 0, Join::Space);
            return;
        }
        let cont = !self.cur.is_empty() && self.continues(i);
        let in_bib = self.ctx.part == Some(Part::Bibliography);
        let heading = classify(self.lines, i, self.lay, in_bib, cont);
        // Strong patterns always open a heading; weak ones only where a paragraph has ended.
        let heading = match heading {
            Some(Heading::Sub { .. }) if cont => None,
            Some(Heading::Section { .. })
                if cont && !ends_sentence(&self.cur.text) && !line.gap_before =>
            {
                None
            }
            h => h,
        };
        if let Some(h) = heading {
            match h {
                Heading::Chapter { label, title } => {
                    self.ctx = Context {
                        chapter: Some(if title.is_empty() {
                            label
                        } else {
                            format!("{label} — {title}")
                        }),
                        ..Context::default()
                    };
                    self.start(Kind::Heading);
                    self.titles = Titles::Chapter;
                }
                Heading::Section { number, title } => {
                    self.ctx.section = Some(number);
                    self.ctx.section_title = Some(title);
                    if self.ctx.part != Some(Part::Other) {
                        self.ctx.part = None;
                    }
                    self.start(Kind::Heading);
                    self.titles = Titles::Section;
                }
                Heading::Part { title, part } => {
                    self.ctx.section = None;
                    self.ctx.section_title = Some(title);
                    self.ctx.part = Some(part);
                    self.start(Kind::Heading);
                }
                Heading::Sub { title, extra, open } => {
                    if !in_bib {
                        self.ctx.section = None;
                        self.ctx.section_title = Some(title);
                        self.ctx.part = None;
                    }
                    self.start(Kind::Heading);
                    self.cur.push_line(i, line, 0, Join::Space);
                    for k in 1..=extra {
                        self.cur
                            .push_line(i + k, &self.lines[i + k], 0, Join::Space);
                    }
                    self.skip_to = i + 1 + extra;
                    if open && !in_bib {
                        self.titles = Titles::Section;
                    } else {
                        self.flush();
                    }
                    return;
                }
                Heading::Caption => self.start(Kind::Caption),
            }
            self.cur.push_line(i, line, 0, Join::Space);
            return;
        }
        if KEYWORDS.is_match(&line.text) {
            self.start(Kind::Keywords);
            self.cur.push_line(i, line, 0, Join::Space);
            return;
        }
        if !self.lay.wrapped && line.text.contains('\t') && self.cur.kind != Some(Kind::Table) {
            self.start(Kind::Table);
            self.cur.push_line(i, line, 0, Join::Space);
            return;
        }
        if cont {
            let how = if self.cur.kind == Some(Kind::Table) {
                Join::Space
            } else if line.text.starts_with(['.', ',', ';', ')']) {
                Join::Glue
            } else {
                hyphen::join(&self.cur.text, &line.text, &self.lex)
            };
            self.cur.push_line(i, line, 0, how);
            self.marker_pending = false;
            return;
        }
        let kind = self.default_kind();
        self.start(kind);
        self.cur.push_line(i, line, 0, Join::Space);
    }

    /// Footnotes count up: `n` can open the next one.
    fn next_note(&self, n: u32) -> bool {
        n > self.last_note && (self.last_note == 0 || n <= self.last_note + 3)
    }

    fn open_note(&mut self, n: u32) {
        self.flush_note();
        self.last_note = n;
        self.note.kind = Some(Kind::Footnote);
        self.note.footnotes.push((n, 0, 0));
        self.note.ctx = self.ctx.clone();
    }

    /// Handle one line while reading footnotes; false when the body has resumed.
    fn footnote_step(&mut self, i: usize) -> bool {
        let line = &self.lines[i];
        if line.page_break_before && !self.note.is_empty() {
            self.in_footnotes = false;
            self.flush_note();
            return false;
        }
        match line.kind {
            LineKind::Number(n) if self.next_note(n) => {
                self.open_note(n);
                return true;
            }
            LineKind::FootnoteRule => return true,
            _ => {}
        }
        if let Some(c) = FOOTNOTE_START.captures(&line.text) {
            let n: u32 = c[1].parse().unwrap_or(0);
            if self.next_note(n) {
                self.open_note(n);
                let skip = c.get(2).map_or(0, |m| m.start());
                self.note.push_line(i, line, skip, Join::Space);
                return true;
            }
        }
        if self.note.is_empty() {
            if self.note.kind.is_none() {
                self.note.kind = Some(Kind::Footnote);
                self.note.ctx = self.ctx.clone();
            }
            self.note.push_line(i, line, 0, Join::Space);
            return true;
        }
        let text = self.note.text.trim_end();
        let done = FOOTNOTE_DONE.is_match(text)
            || (starts_lower(&line.text) || line.indented)
                && line.text.split_whitespace().nth(1).is_some()
                && text.ends_with(['.', ')']);
        if done {
            self.in_footnotes = false;
            self.flush_note();
            return false;
        }
        let how = hyphen::join(&self.note.text, &line.text, &self.lex);
        self.note.push_line(i, line, 0, how);
        true
    }
}

/// A bibliography entry has its year and something after it (or no year at all).
fn entry_complete(text: &str) -> bool {
    match YEAR.find_iter(text).next() {
        Some(m) => {
            text[m.end()..]
                .chars()
                .filter(|c| c.is_alphabetic())
                .count()
                >= 3
        }
        None => true,
    }
}

/// Cut a document's clean lines into passages (language still unset).
pub fn segment(doc_id: &str, title_hint: Option<&str>, lines: &[Line]) -> Vec<Passage> {
    let mut w = Walker {
        lines,
        lex: Lexicon::from_texts(lines.iter().map(|l| l.text.as_str())),
        lay: layout(lines),
        ctx: Context::default(),
        blocks: Vec::new(),
        cur: Block::default(),
        titles: Titles::Nothing,
        note: Block::default(),
        in_footnotes: false,
        has_rules: lines.iter().any(|l| l.kind == LineKind::FootnoteRule),
        marker_pending: false,
        last_note: 0,
        table: Vec::new(),
        skip_to: 0,
    };
    w.table = table_lines(lines, w.lay);
    for (i, line) in lines.iter().enumerate() {
        if i < w.skip_to {
            continue;
        }
        if w.in_footnotes && w.footnote_step(i) {
            continue;
        }
        match line.kind {
            LineKind::FootnoteRule => {
                if w.has_rules {
                    w.in_footnotes = true;
                    w.flush_note();
                }
            }
            LineKind::Number(_) if w.ctx.part == Some(Part::Bibliography) => w.step(i),
            LineKind::Number(n) => {
                if w.has_rules {
                    // A superscript marker on its own line: note it, keep the paragraph whole.
                    match w.cur.is_empty() {
                        false => {
                            w.cur.footnotes.push((n, w.cur.text.len(), line.no));
                            w.marker_pending = true;
                        }
                        true => {
                            if let Some(b) = w
                                .blocks
                                .iter_mut()
                                .rev()
                                .find(|b| b.kind != Some(Kind::Footnote))
                            {
                                b.footnotes.push((n, b.text.len(), line.no));
                            }
                        }
                    }
                }
            }
            LineKind::Text => {
                // Numbers left by a chart's axes, but not the rows of a numeric table.
                if w.lay.wrapped && NUMERIC_DEBRIS.is_match(&line.text) && !w.table[i] {
                    continue;
                }
                w.step(i);
            }
        }
    }
    w.flush();
    w.flush_note();
    let mut blocks = w.blocks;
    blocks.sort_by_key(Block::first_line);
    build_passages(doc_id, title_hint, lines, blocks)
}

/// Cut a long paragraph into pieces of at most [`TARGET_CHARS`] characters, at sentence ends
/// where there are any, else at word boundaries, else anywhere (a 50 MB line with no spaces).
fn split_points(text: &str) -> Vec<(usize, usize)> {
    if char_len(text) <= TARGET_CHARS {
        return vec![(0, text.len())];
    }
    let ends = sentence_ends(text);
    let mut pieces = Vec::new();
    let mut start = 0usize;
    let mut k = 0usize;
    while start < text.len() {
        let rest = &text[start..];
        if char_len_upto(rest, TARGET_CHARS + 1) <= TARGET_CHARS {
            pieces.push((start, text.len()));
            break;
        }
        let limit = start + byte_at_char(rest, TARGET_CHARS);
        while k < ends.len() && ends[k] <= start {
            k += 1;
        }
        let mut cut = None;
        let mut m = k;
        while m < ends.len() && ends[m] <= limit {
            cut = Some(ends[m]);
            m += 1;
        }
        let min = start + byte_at_char(rest, TARGET_CHARS / 3);
        let cut = match cut {
            Some(c) if c > min => c,
            _ => match text[min..limit].rfind(char::is_whitespace) {
                Some(p) => min + p,
                None => limit,
            },
        };
        pieces.push((start, cut));
        start = cut;
        while start < text.len() && text.as_bytes()[start] == b' ' {
            start += 1;
        }
    }
    pieces
}

fn char_len_upto(s: &str, max: usize) -> usize {
    s.chars().take(max).count()
}

fn byte_at_char(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(b, _)| b)
}

fn block_title(b: &Block) -> String {
    b.text
        .trim_matches(|c: char| c == '#' || c.is_whitespace())
        .to_string()
}

/// The document's title: the source's own, else its chapter or first real title line, else the
/// opening of its first paragraph.
fn doc_title(title_hint: Option<&str>, blocks: &[Block]) -> String {
    if let Some(t) = title_hint.map(str::trim).filter(|t| !t.is_empty()) {
        return t.to_string();
    }
    for b in blocks.iter().take(12) {
        if b.kind != Some(Kind::Heading) {
            continue;
        }
        if let Some(c) = CHAPTER.captures(&b.text) {
            if !c[2].trim().is_empty() {
                return c[2].trim().to_string();
            }
            continue;
        }
        if named_part(&b.text).is_none() && !SECTION.is_match(&b.text) {
            return block_title(b);
        }
    }
    let first = blocks
        .iter()
        .find(|b| matches!(b.kind, Some(Kind::Body) | Some(Kind::Abstract)))
        .or(blocks.first());
    match first {
        Some(b) => {
            let end = sentence_ends(&b.text)
                .first()
                .copied()
                .unwrap_or(b.text.len());
            let t = b.text[..end].trim();
            if char_len(t) > 120 {
                format!("{}…", &t[..byte_at_char(t, 117)])
            } else {
                t.to_string()
            }
        }
        None => String::new(),
    }
}

fn build_passages(
    doc_id: &str,
    title_hint: Option<&str>,
    lines: &[Line],
    blocks: Vec<Block>,
) -> Vec<Passage> {
    let title = doc_title(title_hint, &blocks);
    let mut out = Vec::new();
    for b in blocks {
        let kind = b.kind.unwrap_or(Kind::Body);
        // Map a byte in the block text to (line index, byte in the source); an end position
        // belongs to the line it closes.
        let locate = |pos: usize, end: bool| -> (usize, usize) {
            let k = if end {
                b.spans.partition_point(|s| s.0 < pos)
            } else {
                b.spans.partition_point(|s| s.0 <= pos)
            };
            let (start, li, skip) = b.spans[k.max(1) - 1];
            let line = &lines[li];
            let in_line = (skip + pos.saturating_sub(start)).min(line.text.len());
            (li, line.src_offset(in_line))
        };
        for (s, e) in split_points(&b.text) {
            let piece = &b.text[s..e];
            let lead = piece.len() - piece.trim_start().len();
            let text = piece.trim();
            if text.is_empty() {
                continue;
            }
            let (s, e) = (s + lead, s + lead + text.len());
            let (l0, b0) = locate(s, false);
            let (l1, b1) = locate(e, true);
            out.push(Passage {
                id: format!("{doc_id}#{}", out.len() + 1),
                doc: doc_id.to_string(),
                title: title.clone(),
                chapter: b.ctx.chapter.clone(),
                section: b.ctx.section.clone(),
                section_title: b.ctx.section_title.clone(),
                kind,
                lang: String::new(),
                page: lines[l0].page,
                lines: [lines[l0].no, lines[l1].no],
                bytes: [b0, b1],
                text: text.to_string(),
                line_map: b
                    .spans
                    .iter()
                    .filter(|sp| sp.0 > s && sp.0 < e)
                    .map(|sp| (sp.0 - s, lines[sp.1].no))
                    .fold(vec![(0, lines[l0].no)], |mut v, x| {
                        if v.last().is_some_and(|l| l.1 != x.1) {
                            v.push(x);
                        }
                        v
                    }),
                marks: b
                    .footnotes
                    .iter()
                    .filter(|&&(_, at, _)| kind != Kind::Footnote && at >= s && at <= e)
                    .map(|&(n, at, line)| (n, at - s, line))
                    .collect(),
                citations: Vec::new(),
                reference: None,
                fingerprints: Vec::new(),
                footnotes: b
                    .footnotes
                    .iter()
                    .filter(|&&(_, at, _)| kind == Kind::Footnote || at >= s && at <= e)
                    .map(|&(n, _, _)| n)
                    .fold(Vec::new(), |mut v, n| {
                        if !v.contains(&n) {
                            v.push(n);
                        }
                        v
                    }),
            });
        }
    }
    out
}
