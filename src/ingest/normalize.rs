//! Normalize: raw PDF-extraction text → clean lines that still know where they came from.
//!
//! This stage owns everything that is decided one line at a time or by counting lines over a
//! whole document: Unicode normalization (NFKC through lindera's character filter, plus the
//! look-alikes NFKC leaves alone: non-breaking hyphens, curly quotes), markdown emphasis,
//! form feeds as page breaks, running headers/footers and other repeated boilerplate, and the
//! scattered letters of a diagonal watermark. It does *not* join lines into paragraphs: that
//! needs the structure that [`super::segment`] works out. What a source that saw the page
//! knows about a line's geometry (the PDF reader: whether it runs to its column's edge, space
//! above it) arrives as marks at the line's ends ([`FILLS`], [`STOPS_SHORT`], [`SPACE_BEFORE`]),
//! read here into [`Line`]'s facts and left out of its text.
//!
//! Every clean line keeps a sparse map back to byte offsets in the source text, so that a
//! passage cut anywhere inside a line can still say exactly where it starts and ends.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::LazyLock;

use lindera_analysis::character_filter::unicode_normalize::{
    UnicodeNormalizeCharacterFilter, UnicodeNormalizeKind,
};
use lindera_analysis::character_filter::{CharacterFilter, OffsetMapping};
use regex::Regex;
use unicode_normalization::{is_nfkc_quick, IsNormalized};

/// What a clean line is, as far as one line can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Ordinary text.
    Text,
    /// A rule of blanks or underscores that a PDF extraction leaves above a page's footnotes.
    FootnoteRule,
    /// A line holding only a small number: a superscript footnote marker (or footnote number)
    /// that the extraction put on its own line.
    Number(u32),
}

/// One clean line of a document.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number in the source text (form feeds do not count as line breaks).
    pub no: usize,
    /// Clean text, trimmed; empty only for a [`LineKind::FootnoteRule`].
    pub text: String,
    /// What the line is: text, or one of the marks of a page's footnotes that segmentation
    /// reads rather than shows.
    pub kind: LineKind,
    /// Page, counted from 1 at each form feed; `None` when the document has no form feeds.
    pub page: Option<u32>,
    /// 1-based line within its page (the text after a form feed is line 1), as a reader
    /// counts lines down a printed page; `None` when the document has no form feeds.
    pub page_line: Option<usize>,
    /// One or more blank (or dropped) lines stand between this line and the previous kept one,
    /// or the source marked space above it ([`SPACE_BEFORE`]).
    pub gap_before: bool,
    /// The source line starts with white space (pdftotext's mark of a new block or column).
    pub indented: bool,
    /// Whether the line runs to its column's right edge (`Some(true)`) or stops short of it
    /// (`Some(false)`), where the source knew its geometry and said so by ending the line with
    /// [`FILLS`] or [`STOPS_SHORT`]; `None` for plain text, where only its length in characters
    /// hints at it.
    pub fills: Option<bool>,
    /// A page break (form feed) or dropped page furniture stands right before this line.
    pub page_break_before: bool,
    map: OffsetMap,
}

impl Line {
    /// Byte offset in the source text of byte `pos` of the clean text (`pos == len` maps to the
    /// end of the source segment).
    pub fn src_offset(&self, pos: usize) -> usize {
        self.map.to_source(pos)
    }

    /// Byte range of the whole line in the source text.
    pub fn src_range(&self) -> (usize, usize) {
        (self.map.to_source(0), self.map.end)
    }
}

/// Clean byte offset → source byte offset, for one line.
///
/// Edits are rare (a stripped `*`, a folded quote, an NFKC change), so the map keeps only
/// checkpoints where the offset shift changes, and lindera's own map for NFKC.
#[derive(Debug, Clone)]
struct OffsetMap {
    /// Absolute source offset of the start of the (trimmed) raw segment.
    base: usize,
    /// Absolute source offset of the end of the (trimmed) raw segment.
    end: usize,
    /// `(clean, pre_clean)` checkpoints: from `clean` on, `pre_clean = p - clean + pre_clean`.
    points: Vec<(usize, usize)>,
    /// NFKC offsets → raw offsets, when NFKC changed the line.
    nfkc: Option<(OffsetMapping, usize)>,
}

impl OffsetMap {
    fn to_source(&self, pos: usize) -> usize {
        let i = self.points.partition_point(|&(c, _)| c <= pos);
        let (c, n) = if i == 0 { (0, 0) } else { self.points[i - 1] };
        let mid = n + (pos - c);
        let raw = match &self.nfkc {
            Some((m, len)) => m.correct_offset(mid, *len),
            None => mid,
        };
        (self.base + raw).min(self.end)
    }
}

static NFKC: LazyLock<UnicodeNormalizeCharacterFilter> =
    LazyLock::new(|| UnicodeNormalizeCharacterFilter::new(UnicodeNormalizeKind::NFKC));

/// What a character becomes in clean text; `None` keeps it.
fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        // Hyphens that NFKC keeps distinct but readers (and queries) treat as `-`.
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => "-",
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => "",
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => "\"",
        // Markdown emphasis: the words stay, the markers go.
        '*' => "",
        '\u{00A0}' | '\u{2007}' | '\u{202F}' => " ",
        // Private-use glyphs of PDF symbol fonts (Symbol, Wingdings), which text extraction of
        // a Word list keeps: in the court decisions they are list markers (bullets, squares,
        // arrows, check marks), and shown as they are they are empty boxes. The Symbol minus is
        // a dash; any other private-use character stands for nothing a reader could type.
        '\u{F02D}' => "-",
        '\u{F0B7}' | '\u{F0A7}' | '\u{F0D8}' | '\u{F06E}' | '\u{F0FC}' | '\u{F076}'
        | '\u{F0AA}' | '\u{F09F}' | '\u{F06C}' => "\u{2022}",
        '\u{E000}'..='\u{F8FF}' => "",
        c if c.is_control() && c != '\t' => " ",
        _ => return None,
    })
}

/// Clean one raw segment (already trimmed) that starts at `base` in the source: NFKC, then the
/// folds NFKC leaves out, then trimming what the folds left at the ends; the offset map records
/// each step so clean offsets still lead back to the source.
fn clean_segment(raw: &str, base: usize) -> (String, OffsetMap) {
    if is_plain(raw) {
        // Nothing for NFKC, the folds or the trim to do: most lines of most corpora.
        let map = OffsetMap {
            base,
            end: base + raw.len(),
            points: Vec::new(),
            nfkc: None,
        };
        return (raw.to_string(), map);
    }
    let (nfkc_text, nfkc) = nfkc(raw);
    let (out, points) = fold(nfkc_text.as_deref().unwrap_or(raw));
    let map = OffsetMap {
        base,
        end: base + raw.len(),
        points,
        nfkc,
    };
    trim_mapped(out, map)
}

/// Printable ASCII that [`fold_char`] keeps, with no two spaces in a row: what cleaning leaves
/// as it is (`raw` is trimmed already).
fn is_plain(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    bytes
        .iter()
        .all(|&b| (b' '..=b'~').contains(&b) && b != b'*' && b != b'`')
        && !bytes.windows(2).any(|w| w == b"  ")
}

/// `raw` in NFKC with lindera's map back, or `(None, None)` when it already is (the common case,
/// checked cheaply) or cannot be normalized.
fn nfkc(raw: &str) -> (Option<String>, Option<(OffsetMapping, usize)>) {
    if is_nfkc_quick(raw.chars()) == IsNormalized::Yes {
        return (None, None);
    }
    let mut s = raw.to_string();
    match NFKC.apply(&mut s) {
        Ok(m) => {
            let len = s.len();
            (Some(s), Some((m, len)))
        }
        Err(_) => (None, None),
    }
}

/// `input` with [`fold_char`] applied and runs of spaces (often left by removed markers)
/// collapsed to one, tabs kept (they mark table cells); with `(clean, input)` checkpoints
/// wherever the offset shift changes.
fn fold(input: &str) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(input.len());
    let mut points = Vec::new();
    let mut shifted = false;
    for (i, c) in input.char_indices() {
        let folded = match fold_char(c) {
            Some(" ") | None if c.is_whitespace() && c != '\t' && out.ends_with(' ') => Some(""),
            f => f,
        };
        match folded {
            Some(r) => {
                points.push((out.len(), i));
                out.push_str(r);
                shifted = true;
            }
            None => {
                if shifted {
                    points.push((out.len(), i));
                    shifted = false;
                }
                out.push(c);
            }
        }
    }
    if shifted {
        points.push((out.len(), input.len()));
    }
    (out, points)
}

/// Trim white space that folding left at the ends (a removed `*`, a folded no-break space),
/// moving the map's checkpoints by what was cut at the start.
fn trim_mapped(out: String, mut map: OffsetMap) -> (String, OffsetMap) {
    let trimmed_start = out.len() - out.trim_start().len();
    if trimmed_start == 0 && out.trim_end().len() == out.len() {
        return (out, map);
    }
    if trimmed_start > 0 {
        let shift = trimmed_start;
        let old = std::mem::take(&mut map.points);
        let mut pts: Vec<(usize, usize)> = vec![(0, map_pre(&old, shift))];
        pts.extend(
            old.into_iter()
                .filter(|&(c, _)| c > shift)
                .map(|(c, n)| (c - shift, n)),
        );
        map.points = pts;
    }
    (out.trim().to_string(), map)
}

fn map_pre(points: &[(usize, usize)], pos: usize) -> usize {
    let i = points.partition_point(|&(c, _)| c <= pos);
    let (c, n) = if i == 0 { (0, 0) } else { points[i - 1] };
    n + (pos - c)
}

/// The key under which running headers and footers repeat: letters and masked digit runs only,
/// so that `Pid. Sus/2019/PN Jkt. Utr` on page 1 and `Pid.Sus/2019/PN Jkt.Utr` on page 2 are one
/// footer, and a page number glued to either end (`2 Agung Republik Indonesia`) does not count.
///
/// Made for nearly every line, so a byte at a time where the line is ASCII: a character at a
/// time, through [`push_key_char`], it was a sixth of cleaning (perf, `stages -- normalize`).
fn boilerplate_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.bytes().position(|b| !b.is_ascii()) {
        push_ascii_key(&mut key, &rest.as_bytes()[..at]);
        let c = rest[at..].chars().next().unwrap_or_default();
        push_key_char(&mut key, c);
        rest = &rest[at + c.len_utf8()..];
    }
    push_ascii_key(&mut key, rest.as_bytes());
    finish_key(key)
}

/// What the ASCII `bytes` add to a key: a letter lowercased, a digit run's mask once, nothing
/// else.
fn push_ascii_key(key: &mut String, bytes: &[u8]) {
    for &b in bytes {
        if b.is_ascii_digit() {
            if !key.ends_with('#') {
                key.push('#');
            }
        } else if b.is_ascii_alphabetic() {
            key.push(char::from(b.to_ascii_lowercase()));
        }
    }
}

/// [`boilerplate_key`] of the characters `chars` (about `len` bytes of them): that of two
/// lines read as one without joining them first.
fn key_of_chars(chars: impl Iterator<Item = char>, len: usize) -> String {
    let mut key = String::with_capacity(len);
    for c in chars {
        push_key_char(&mut key, c);
    }
    finish_key(key)
}

/// A key's masks at the ends trimmed, and a short tail after its last number cut.
fn finish_key(mut key: String) -> String {
    // Masks at the ends go; trimmed in place, as this runs for nearly every line.
    let start = key.len() - key.trim_start_matches('#').len();
    let end = key.trim_end_matches('#').len().max(start);
    // A footer that the extraction breaks differently from page to page (`…/PN Mdn` here,
    // `…/PN` + `Mdn` there) keeps its numbered stem: cut after the last number.
    let cut = match key[start..end].rfind('#') {
        Some(i) if end - start - i <= 8 => start + i + 1,
        _ => end,
    };
    key.truncate(cut);
    key.drain(..start);
    key
}

/// What `c` adds to a key: a letter lowercased, a digit run's mask once, nothing else.
fn push_key_char(key: &mut String, c: char) {
    if c.is_ascii() {
        push_ascii_key(key, &[c as u8]);
    } else if c.is_alphabetic() {
        key.extend(c.to_lowercase());
    }
}

/// Bytes of a key's beginning that [`mark_broken_furniture`] compares before it makes a whole
/// key: a furniture key that covers a line pair ([`covered`]) is at least this long.
const HEAD: usize = 6;

/// The first [`HEAD`] bytes of the key of `chars` (fewer when the key is shorter): those of
/// [`key_of_chars`], whose leading masks are trimmed and whose end alone is ever cut.
fn key_head(chars: impl Iterator<Item = char>) -> Vec<u8> {
    let mut head = String::new();
    for c in chars {
        if head.is_empty() && c.is_ascii_digit() {
            continue;
        }
        push_key_char(&mut head, c);
        if head.len() >= HEAD {
            break;
        }
    }
    head.as_bytes()[..head.len().min(HEAD)].to_vec()
}

/// Lines that can be running headers/footers: long enough to be more than a stray word.
fn may_be_boilerplate(text: &str) -> bool {
    if text.len() > 400 {
        return false;
    }
    if text.split_whitespace().nth(1).is_some() {
        return true;
    }
    // One token: a domain, a page label, or a capitalised label such as `Disclaimer`.
    text.len() >= 6
        && (text.chars().any(|c| !c.is_alphabetic())
            || text.chars().next().is_some_and(char::is_uppercase))
}

/// Words of at most three letters that stand alone on a line in real text, and so are never
/// taken for watermark debris.
const SHORT_WORDS: &[&str] = &[
    "di", "ke", "dan", "ini", "itu", "ada", "dia", "yg", "tsb", "dll", "dkk", "the", "and", "of",
    "to", "for", "or", "is", "as", "at", "by", "an", "be", "no", "PBB", "HAM", "RI",
];

fn is_fragment(text: &str) -> bool {
    if text.len() > 12 {
        return false;
    }
    let n = text.chars().count();
    (1..=3).contains(&n) && text.chars().all(char::is_alphabetic) && !SHORT_WORDS.contains(&text)
}

/// Page labels in the forms every PDF extraction of these corpora uses, whether or not they
/// repeat: `Halaman 3 dari 26 …`, `Hal. 2 dari 26 hal. …`, `Page 4 of 10`, a lone `Halaman 3`.
static PAGE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:halaman|hal\.?|page)\s*\d+\s*(?:dari|of|/)\s*\d+\b.{0,120}|(?:halaman|hal\.|page)\s*\d+)$").unwrap()
});

/// A footnote rule: five underscores or more, or ten hyphens or more, alone on the line.
/// Asked of every line, so by hand rather than by a regex (whose set-up per call cost more than
/// the test).
fn is_rule(line: &str) -> bool {
    let all = |c: u8| line.bytes().all(|b| b == c);
    line.len() >= 5 && all(b'_') || line.len() >= 10 && all(b'-')
}

/// One source segment between line breaks (or form feeds).
struct RawLine<'a> {
    no: usize,
    start: usize,
    text: &'a str,
    page: u32,
    /// 1-based line within the page.
    page_line: usize,
}

fn raw_lines(text: &str) -> (Vec<RawLine<'_>>, bool) {
    let mut out = Vec::new();
    let mut page = 1u32;
    let mut has_ff = false;
    let mut start = 0usize;
    // The source line number of the page's first line.
    let mut page_top = 1usize;
    for (no, line) in text.split('\n').enumerate() {
        let line_start = start;
        start += line.len() + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut seg_start = 0usize;
        for (k, seg) in line.split('\x0c').enumerate() {
            if k > 0 {
                page += 1;
                has_ff = true;
                page_top = no + 1;
            }
            out.push(RawLine {
                no: no + 1,
                start: line_start + seg_start,
                text: seg,
                page,
                page_line: no + 2 - page_top,
            });
            seg_start += seg.len() + 1;
        }
    }
    (out, has_ff)
}

/// Clean a document's text into lines, dropping boilerplate and debris.
///
/// Headers and footers are found by repetition, not by a list of known journals (see
/// `furniture_keys`). Watermark debris (lines of one to three letters) is dropped only where a
/// document is full of it, so that a stray `AS` in an ordinary paper survives.
pub fn clean_lines(text: &str) -> Vec<Line> {
    clean(text).0
}

/// The lines [`clean_lines`] drops as page furniture (running headers and footers, page labels),
/// as `(source line number, clean text)`: what boilerplate removal costs, for measuring it.
pub fn removed_boilerplate(text: &str) -> Vec<(usize, String)> {
    clean(text).1
}

/// Both at once: the clean lines and the furniture dropped from them (where a running journal
/// line states the volume and year).
pub fn clean(text: &str) -> (Vec<Line>, Vec<(usize, String)>) {
    let (raws, has_ff) = raw_lines(text);
    let pre = pre_lines(&raws);
    let fragments = pre
        .iter()
        .filter(|p| p.kind == LineKind::Text && is_fragment(&p.text))
        .count();
    let watermarked = fragments >= 10 && fragments * 50 >= pre.len();
    let drop = boilerplate_marks(&pre, &raws, has_ff, watermarked);
    let removed = pre
        .iter()
        .zip(&drop)
        .filter(|(_, &d)| d)
        .map(|(p, _)| (raws[p.raw].no, p.text.clone()))
        .collect();
    (assemble(pre, drop, &raws, has_ff, watermarked), removed)
}

/// Ends a source line that runs to its column's right edge: written by the PDF reader,
/// which sees glyph positions. U+2028 LINE SEPARATOR, a break inside a paragraph.
pub const FILLS: char = '\u{2028}';
/// Ends a source line that stops short of its column's right edge. U+2029 PARAGRAPH
/// SEPARATOR: in justified text, where a paragraph (or a heading) ends.
pub const STOPS_SHORT: char = '\u{2029}';

/// Starts a source line that has more space above it than a paragraph's lines: written by
/// the PDF reader. U+2029 PARAGRAPH SEPARATOR again, read as a blank line before the line
/// ([`Line::gap_before`]) without being one, so that the lines of a page still count as
/// printed.
pub const SPACE_BEFORE: char = '\u{2029}';

/// What a source line's end mark says (see [`Line::fills`]). The marks are white space to
/// Unicode, so trimming the line drops them from its text.
fn end_mark(raw: &str) -> Option<bool> {
    match raw.trim_end_matches([' ', '\t', '\r']).chars().next_back() {
        Some(FILLS) => Some(true),
        Some(STOPS_SHORT) => Some(false),
        _ => None,
    }
}

/// A line after Unicode cleaning, before boilerplate is decided.
struct Pre {
    raw: usize,
    text: String,
    kind: LineKind,
    indented: bool,
    /// The source marked space above the line ([`SPACE_BEFORE`]).
    spaced: bool,
    fills: Option<bool>,
    map: OffsetMap,
}

fn pre_lines(raws: &[RawLine<'_>]) -> Vec<Pre> {
    let mut pre: Vec<Pre> = Vec::with_capacity(raws.len());
    for (i, r) in raws.iter().enumerate() {
        let blank = r.text.trim().is_empty();
        if blank && r.text.len() >= 20 || is_rule(r.text.trim()) {
            let base = r.start;
            pre.push(Pre {
                raw: i,
                text: String::new(),
                kind: LineKind::FootnoteRule,
                indented: false,
                spaced: false,
                fills: None,
                map: OffsetMap {
                    base,
                    end: base + r.text.len(),
                    points: Vec::new(),
                    nfkc: None,
                },
            });
            continue;
        }
        let trimmed = r.text.trim();
        if trimmed.is_empty() {
            continue;
        }
        let spaced = r.text.starts_with(SPACE_BEFORE);
        let indent = r.text.trim_start_matches(SPACE_BEFORE);
        let lead = r.text.len() - r.text.trim_start().len();
        let (clean, map) = clean_segment(trimmed, r.start + lead);
        if clean.is_empty() {
            continue;
        }
        let kind = match clean.parse::<u32>() {
            Ok(n) if clean.len() <= 3 && clean.bytes().all(|b| b.is_ascii_digit()) => {
                LineKind::Number(n)
            }
            _ => LineKind::Text,
        };
        pre.push(Pre {
            raw: i,
            indented: indent.len() > indent.trim_start().len(),
            spaced,
            fills: end_mark(r.text),
            text: clean,
            kind,
            map,
        });
    }
    pre
}

/// Where one boilerplate key stands: positions among the clean lines, and pages.
#[derive(Default)]
struct Occurrences {
    /// Indices into the clean lines.
    at: Vec<usize>,
    /// The number that opens or closes each of those lines, if any: a page number when it runs
    /// up from one occurrence to the next.
    edge_numbers: Vec<Option<u64>>,
    on_pages: u32,
    last_page: u32,
    several_words: bool,
}

fn occurrences<'k>(
    pre: &[Pre],
    keys: &'k [Option<String>],
    raws: &[RawLine<'_>],
) -> HashMap<&'k str, Occurrences> {
    let mut seen: HashMap<&str, Occurrences> = HashMap::default();
    for (i, (p, key)) in pre.iter().zip(keys).enumerate() {
        let Some(key) = key else { continue };
        let page = raws[p.raw].page;
        let e = seen.entry(key.as_str()).or_default();
        if e.at.is_empty() {
            e.several_words = p.text.split_whitespace().nth(2).is_some();
        }
        e.at.push(i);
        e.edge_numbers.push(edge_number(&p.text));
        if e.last_page != page {
            e.on_pages += 1;
            e.last_page = page;
        }
    }
    seen
}

fn edge_number(text: &str) -> Option<u64> {
    let last = text.split_whitespace().next_back()?;
    let first = text.split_whitespace().next()?;
    last.parse().or_else(|_| first.parse()).ok()
}

/// Fewest clean lines between two occurrences of a running line when no form feed marks the
/// pages: about half the shortest page. Rows of a table, entries of a list of figures and items
/// of a numbered list stand closer than that, so their shared shape never makes them furniture.
const MIN_PAGE_LINES: usize = 20;

/// The keys of running headers and footers.
///
/// With page breaks, a page says where furniture stands: a line of several words on a third of
/// the pages (a single word on half) is furniture even when the extraction breaks it
/// differently elsewhere, as long as it stands about once a page; a line that comes several
/// times a page is content (table rows, the witness formula of a decision). In a decision of
/// three or four pages, two pages are not enough: the evidence list and the judges' names
/// repeat from the charge to the verdict, so there furniture must stand on every page with text.
/// Without page breaks, see [`runs_a_page_apart`].
fn furniture_keys<'k>(
    seen: &HashMap<&'k str, Occurrences>,
    has_ff: bool,
    pages: u32,
    text_pages: u32,
) -> HashSet<&'k str> {
    seen.iter()
        .filter(|(key, o)| {
            if has_ff && pages >= 2 {
                let share = if o.several_words { 3 } else { 2 };
                o.on_pages >= 2
                    && o.on_pages * share >= pages
                    && (o.on_pages >= 3 || o.on_pages >= text_pages)
                    && o.at.len() <= 2 * o.on_pages as usize
            } else {
                runs_a_page_apart(key, o)
            }
        })
        .map(|(k, _)| *k)
        .collect()
}

/// Without page breaks, a line is a running header or footer only when every two of its
/// occurrences stand a page apart and either it numbers the pages (`JOM FISIP Vol. 4 No.2 -
/// Oktober 2017 Page 3`, then `Page 4`, `Page 15`: several words and a number at one end that
/// runs up at a page's pace) or it comes back at regular intervals (five times or more, three
/// gaps in four within 15% of the usual one). Repeating alone proves nothing: section headings of a taxonomic paper
/// (`Material examined`), table rows and list entries repeat too, at irregular or short gaps.
fn runs_a_page_apart(key: &str, o: &Occurrences) -> bool {
    let gaps: Vec<usize> = o.at.windows(2).map(|w| w[1] - w[0]).collect();
    if o.at.len() < 3 || gaps.iter().any(|&g| g < MIN_PAGE_LINES) {
        return false;
    }
    let numbered = o.several_words && key.len() >= 8 && numbers_pages(&o.at, &o.edge_numbers);
    numbered || regular(&gaps)
}

/// Page numbers run up with the text at a page's pace: each step of the number covers about as
/// many lines as every other step, unlike a numbered heading (`Conus sp. 3`, then `Conus sp.
/// 4`) whose blocks are as long as what they describe.
fn numbers_pages(at: &[usize], numbers: &[Option<u64>]) -> bool {
    let Some(numbers) = numbers.iter().copied().collect::<Option<Vec<u64>>>() else {
        return false;
    };
    if !numbers.windows(2).all(|w| w[0] < w[1]) {
        return false;
    }
    let per_page: Vec<f64> = at
        .windows(2)
        .zip(numbers.windows(2))
        .map(|(a, n)| (a[1] - a[0]) as f64 / (n[1] - n[0]) as f64)
        .collect();
    let mut sorted = per_page.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    per_page
        .iter()
        .all(|&p| p >= MIN_PAGE_LINES as f64 && p >= median * 0.65 && p <= median * 1.35)
}

fn regular(gaps: &[usize]) -> bool {
    if gaps.len() < 4 {
        return false;
    }
    let mut sorted = gaps.to_vec();
    sorted.sort_unstable();
    let median = sorted[sorted.len() / 2];
    let near = gaps
        .iter()
        .filter(|&&g| g * 20 >= median * 17 && g * 20 <= median * 23)
        .count();
    near * 4 >= gaps.len() * 3
}

/// Which clean lines are page furniture.
fn boilerplate_marks(
    pre: &[Pre],
    raws: &[RawLine<'_>],
    has_ff: bool,
    watermarked: bool,
) -> Vec<bool> {
    let keys: Vec<Option<String>> = pre
        .iter()
        .map(|p| {
            (p.kind == LineKind::Text && may_be_boilerplate(&p.text))
                .then(|| boilerplate_key(&p.text))
        })
        .collect();
    let pages = raws.last().map_or(1, |r| r.page);
    let seen = occurrences(pre, &keys, raws);
    let mut text_pages: Vec<u32> = pre
        .iter()
        .filter(|p| p.kind != LineKind::FootnoteRule)
        .map(|p| raws[p.raw].page)
        .collect();
    text_pages.dedup();
    let furniture = furniture_keys(&seen, has_ff, pages, text_pages.len() as u32);
    let mut drop: Vec<bool> = pre
        .iter()
        .zip(&keys)
        .map(|(p, key)| p.kind == LineKind::Text && is_boilerplate(&p.text, key, &furniture))
        .collect();
    if !furniture.is_empty() {
        mark_broken_furniture(pre, &furniture, watermarked, &mut drop);
    }
    if has_ff {
        let numbered = numbered_heads(&furniture, &seen, pre, raws);
        keep_unnumbered_heads(pre, &keys, &numbered, &mut drop);
        mark_page_numbers(pre, raws, text_pages.len(), &mut drop);
    }
    drop
}

/// Running heads that carry the page number (`2  Object-Oriented Computation of Sandwich
/// Estimators`, `Achim Zeileis  3`): on two occurrences in three or more, a number at one end
/// that runs with the page. Journals set a paper's title and authors so on every page but the
/// first.
fn numbered_heads<'k>(
    furniture: &HashSet<&'k str>,
    seen: &HashMap<&'k str, Occurrences>,
    pre: &[Pre],
    raws: &[RawLine<'_>],
) -> HashSet<&'k str> {
    let runs_with_page = |o: &Occurrences| {
        let offsets: Vec<i64> =
            o.at.iter()
                .zip(&o.edge_numbers)
                .filter_map(|(&i, n)| {
                    Some(i64::from(raws[pre[i].raw].page) - i64::try_from((*n)?).ok()?)
                })
                .collect();
        offsets.len() >= 2
            && offsets.len() * 3 >= o.at.len() * 2
            && offsets.iter().all(|&d| d == offsets[0])
    };
    furniture
        .iter()
        .filter(|k| seen.get(*k).is_some_and(runs_with_page))
        .copied()
        .collect()
}

/// The same words as a numbered running head, without the number, are the title block of the
/// first page or an author's name in the affiliations, not furniture: a line whose key is such a
/// head's, or two lines that make one together (`Object-Oriented Computation of Sandwich` /
/// `Estimators`), is kept when none of it has a number at its ends.
fn keep_unnumbered_heads(
    pre: &[Pre],
    keys: &[Option<String>],
    numbered: &HashSet<&str>,
    drop: &mut [bool],
) {
    if numbered.is_empty() {
        return;
    }
    let dropped: Vec<bool> = drop.to_vec();
    let no_page_number = |i: usize| edge_number(&pre[i].text).is_none();
    let unnumbered = |i: usize| dropped[i] && no_page_number(i);
    for i in 0..pre.len() {
        let Some(key) = keys[i].as_deref() else {
            continue;
        };
        if unnumbered(i) && numbered.contains(key) {
            drop[i] = false;
        }
        let Some(next) = keys.get(i + 1).and_then(Option::as_deref) else {
            continue;
        };
        let pair = [i, i + 1];
        if pair.iter().any(|&j| dropped[j])
            && pair.iter().all(|&j| no_page_number(j))
            && numbered.contains(format!("{key}{next}").as_str())
        {
            drop[i] = false;
            drop[i + 1] = false;
        }
    }
}

/// Page numbers printed alone on a line: a lone number among the first two or last two lines
/// of its page, where page and number differ by the same amount on at least three pages and
/// half the pages with text. Such a line has no words to repeat, so the rule above never sees
/// it, and left in, a document with footnotes reads it as a footnote marker.
fn mark_page_numbers(pre: &[Pre], raws: &[RawLine<'_>], text_pages: usize, drop: &mut [bool]) {
    let page = |i: usize| raws[pre[i].raw].page;
    let mut found: Vec<(usize, i64)> = Vec::new();
    for (i, p) in pre.iter().enumerate() {
        let LineKind::Number(n) = p.kind else {
            continue;
        };
        let on_page = |j: Option<usize>| j.is_some_and(|j| j < pre.len() && page(j) == page(i));
        let near_top = !on_page(i.checked_sub(2));
        let near_bottom = !on_page(Some(i + 2));
        if near_top || near_bottom {
            found.push((i, i64::from(page(i)) - i64::from(n)));
        }
    }
    let mut counts: HashMap<i64, usize> = HashMap::default();
    for &(_, offset) in &found {
        *counts.entry(offset).or_default() += 1;
    }
    let Some((&offset, &n)) = counts.iter().max_by_key(|(o, n)| (**n, -o.abs(), **o)) else {
        return;
    };
    if n >= 3 && n * 2 >= text_pages {
        for &(i, o) in &found {
            drop[i] |= o == offset;
        }
    }
}

/// Furniture, or two pieces of it run together (each piece at least six letters long): the same
/// furniture also comes broken differently on one page, as a prefix of a running footer
/// (`Halaman 1 dari 11 Putusan Nomor …/PN` + `Mdn`), or two running lines that the extraction put
/// on one (`Direktori Putusan Mahkamah` + `Agung Republik Indonesia`).
///
/// The split is looked for from the furniture's side (each key that could be the first piece),
/// not at every byte of `key`: furniture is a handful of keys, lines are many and long.
fn covered(key: &str, furniture: &HashSet<&str>) -> bool {
    furniture.contains(key)
        || furniture.iter().any(|f| {
            (6..key.len().saturating_sub(5)).contains(&f.len())
                && key.starts_with(f)
                && furniture.contains(&key[f.len()..])
        })
}

fn is_boilerplate(t: &str, key: &Option<String>, furniture: &HashSet<&str>) -> bool {
    // A page label starts with `h` or `p`: the regex runs only on lines that do.
    let label_start = t.bytes().next().is_some_and(|b| b"hHpP".contains(&b));
    if t.len() < 160 && label_start && PAGE_LABEL.is_match(t) {
        return true;
    }
    let Some(key) = key.as_deref().filter(|_| !furniture.is_empty()) else {
        return false;
    };
    covered(key, furniture)
        || key.len() >= 20
            && furniture
                .iter()
                .any(|f| f.len() * 7 <= key.len() * 10 && f.starts_with(key))
}

/// A running line that this page breaks in two (`Direktori Putusan Mahkamah` / `Agung Republik
/// Indonesia`), where neither half repeats on its own.
fn mark_broken_furniture(
    pre: &[Pre],
    furniture: &HashSet<&str>,
    watermarked: bool,
    drop: &mut [bool],
) {
    // A pair is covered by a furniture key (12 characters or more) or by two (the first of 6
    // or more) that its key begins with: pairs whose key begins otherwise, nearly all, are
    // passed over without making their key (making it for every pair of lines was a tenth of
    // cleaning a court decision).
    let heads: HashSet<&[u8]> = furniture
        .iter()
        .filter(|f| f.len() >= HEAD)
        .map(|f| &f.as_bytes()[..HEAD])
        .collect();
    // Watermark letters may stand between the two halves.
    let text_lines: Vec<usize> = (0..pre.len())
        .filter(|&i| pre[i].kind == LineKind::Text && !(watermarked && is_fragment(&pre[i].text)))
        .collect();
    for w in text_lines.windows(2) {
        let (i, j) = (w[0], w[1]);
        let (a, b) = (&pre[i], &pre[j]);
        if drop[i] || drop[j] || a.text.len() + b.text.len() > 300 {
            continue;
        }
        if !heads.contains(key_head(a.text.chars().chain(b.text.chars())).as_slice()) {
            continue;
        }
        // The key skips spaces: a's characters then b's are the key of the two as one line.
        let joined = key_of_chars(
            a.text.chars().chain(b.text.chars()),
            a.text.len() + b.text.len(),
        );
        if joined.len() >= 12 && covered(&joined, furniture) {
            drop[i] = true;
            drop[j] = true;
        }
    }
}

/// The kept lines, each knowing whether a gap or a page break stands before it.
fn assemble(
    pre: Vec<Pre>,
    drop: Vec<bool>,
    raws: &[RawLine<'_>],
    has_ff: bool,
    watermarked: bool,
) -> Vec<Line> {
    let mut out = Vec::with_capacity(pre.len());
    let mut last_raw: Option<usize> = None;
    let mut dropped = false;
    let mut furniture = false;
    for (p, dropped_line) in pre.into_iter().zip(drop) {
        let r = &raws[p.raw];
        if last_raw.is_some_and(|l| raws[l].page != r.page) {
            furniture = true;
        }
        if dropped_line {
            dropped = true;
            furniture = true;
            continue;
        }
        if p.kind == LineKind::Text && watermarked && is_fragment(&p.text) {
            dropped = true;
            continue;
        }
        let gap_before = dropped || p.spaced || last_raw.is_some_and(|l| p.raw > l + 1);
        let page_break_before = furniture;
        dropped = false;
        furniture = false;
        last_raw = Some(p.raw);
        out.push(Line {
            no: r.no,
            text: p.text,
            kind: p.kind,
            page: has_ff.then_some(r.page),
            page_line: has_ff.then_some(r.page_line),
            gap_before,
            indented: p.indented,
            fills: p.fills,
            page_break_before,
            map: p.map,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_s_key_made_a_byte_at_a_time_is_the_key_of_its_characters() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut lines: Vec<String> = [
            "Direktori Putusan Mahkamah Agung Republik Indonesia",
            "Halaman 3 dari 26 Putusan Nomor 123/Pid.Sus/2019/PN Jkt.Utr",
            "2 Agung Republik Indonesia 17",
            "ÉTUDE sur la Traite — Ünïcödé 12 ΣΊΣΥΦΟΣ 3ª ﬁnal",
            "123",
            "",
            "ß9ẞ İstanbul ǅ 2020ｘ",
        ]
        .map(String::from)
        .to_vec();
        for f in std::fs::read_dir(&corpus).unwrap() {
            let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
            lines.extend(text.lines().map(str::to_string));
        }
        let non_ascii = lines.iter().filter(|l| !l.is_ascii()).count();
        assert!(
            lines.len() > 1000 && non_ascii > 10,
            "{} lines",
            lines.len()
        );
        for l in &lines {
            assert_eq!(
                boilerplate_key(l),
                key_of_chars(l.chars(), l.len()),
                "{l:?}"
            );
        }
    }

    #[test]
    fn layout_marks_become_line_facts_and_leave_the_text() {
        let src = "Baris penuh\u{2028}\nakhir paragraf.\u{2029}\n\u{2029}  Paragraf baru\nbiasa";
        let lines = clean_lines(src);
        let facts: Vec<_> = lines
            .iter()
            .map(|l| (l.text.as_str(), l.fills, l.gap_before, l.indented))
            .collect();
        assert_eq!(
            facts,
            [
                ("Baris penuh", Some(true), false, false),
                ("akhir paragraf.", Some(false), false, false),
                ("Paragraf baru", None, true, true),
                ("biasa", None, false, false),
            ]
        );
        assert_eq!(lines[2].page_line, None);
        let (start, _) = lines[2].src_range();
        assert_eq!(&src[start..start + 8], "Paragraf");
    }

    #[test]
    fn offsets_survive_stripped_emphasis_and_nfkc() {
        let src = "xx\n  **UPAYA IOM (*INTERNATIONAL*) \u{FB01}nal\n";
        let lines = clean_lines(src);
        assert_eq!(lines.len(), 2);
        let l = &lines[1];
        assert_eq!(l.text, "UPAYA IOM (INTERNATIONAL) final");
        assert_eq!(l.no, 2);
        let p = l.text.find("INTERNATIONAL").unwrap();
        let s = l.src_offset(p);
        assert_eq!(&src[s..s + 13], "INTERNATIONAL");
        let p = l.text.find("final").unwrap();
        let s = l.src_offset(p);
        assert_eq!(&src[s..s + 3], "\u{FB01}");
        assert_eq!(l.src_range().1, src.rfind('l').unwrap() + 1);
    }

    #[test]
    fn nonbreaking_hyphen_and_curly_quotes_fold() {
        let lines =
            clean_lines("Sidang Umum PBB ke\u{2011}74 \u{201C}Paridad en Todo\u{201D} it\u{2019}s");
        assert_eq!(
            lines[0].text,
            "Sidang Umum PBB ke-74 \"Paridad en Todo\" it's"
        );
    }

    /// Lines from corpus-large's court decisions as extracted, symbol-font list markers and all.
    #[test]
    fn symbol_font_bullets_become_bullets_not_boxes() {
        let src = "\u{F0B7} 5 (lima) paket narkotika\n\u{F0A7} Bahwa terdakwa mengakui\n\
                   \u{F02D}\n\u{E000} Berawal dari Terdakwa";
        let lines = clean_lines(src);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "\u{2022} 5 (lima) paket narkotika",
                "\u{2022} Bahwa terdakwa mengakui",
                "-",
                "Berawal dari Terdakwa"
            ]
        );
        let p = lines[3].text.find("Berawal").unwrap();
        assert_eq!(&src[lines[3].src_offset(p)..][..7], "Berawal");
    }

    #[test]
    fn form_feeds_count_pages_and_repeated_footers_go() {
        let mut src = String::new();
        let body = [
            "Menimbang, bahwa Terdakwa",
            "Mengingat Pasal 2 ayat (1)",
            "Menyatakan Terdakwa bersalah",
            "Menetapkan masa penahanan",
        ];
        for (p, b) in (1..=4).zip(body) {
            src.push_str(&format!(
                "{b}.\n\nHalaman {p} dari 4 halaman Putusan Nomor 1/Pid.Sus/2020/PN Jkt\n\x0c"
            ));
        }
        let lines = clean_lines(&src);
        assert!(lines.iter().all(|l| !l.text.contains("dari 4 halaman")));
        assert_eq!(
            lines.iter().map(|l| l.page.unwrap()).collect::<Vec<_>>(),
            vec![1, 2, 3, 4]
        );
        // Each page's text starts its page: line 1 after the form feed, whatever line of the
        // file it is.
        assert_eq!(
            lines
                .iter()
                .map(|l| (l.no, l.page_line))
                .collect::<Vec<_>>(),
            vec![(1, Some(1)), (4, Some(1)), (7, Some(1)), (10, Some(1))]
        );
        let lines = clean_lines("Satu.\nDua\x0cTiga\nEmpat\n\nLima\x0c");
        assert_eq!(
            lines
                .iter()
                .map(|l| l.page_line.unwrap())
                .collect::<Vec<_>>(),
            vec![1, 2, 1, 2, 4]
        );
        assert!(clean_lines("Satu.\nDua")
            .iter()
            .all(|l| l.page_line.is_none()));
    }
}
