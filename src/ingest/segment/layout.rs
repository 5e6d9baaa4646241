//! Layout: the shape of a document's lines, which every later judgement depends on.
//!
//! A PDF extraction is hard-wrapped at some width, so a short line that ends a sentence ends a
//! paragraph; a markdown conversion or a JSON Lines article has one paragraph per line, so line
//! length says nothing. This module tells the two apart ([`layout`]), finds table cells
//! ([`table_lines`]), and holds the small tests on one line's text (ends a sentence, title case,
//! share of capitals) that headings and the walker both use. All of it is pure.

use super::headings::is_strong_heading;
use crate::ingest::normalize::{Line, LineKind};

/// The layout of a document's lines.
#[derive(Debug, Clone, Copy)]
pub(super) struct Layout {
    /// Lines are hard-wrapped (at about `width` characters) rather than one paragraph per line.
    pub(super) wrapped: bool,
    /// The 90th-percentile length of the text lines: the wrap width when `wrapped`.
    pub(super) width: usize,
    /// The source saw the page (a PDF read with positions: some line is known to run to its
    /// column's edge or stop short): `gap_before` is space above a line, not a blank line, and
    /// a centred title block, which has no edge, is laid out too.
    pub(super) laid_out: bool,
}

pub(super) fn layout(lines: &[Line]) -> Layout {
    let mut lens: Vec<usize> = lines
        .iter()
        .filter(|l| l.kind == LineKind::Text)
        .map(|l| char_len(&l.text))
        .collect();
    if lens.is_empty() {
        return Layout {
            wrapped: false,
            width: 80,
            laid_out: false,
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
        laid_out: lines.iter().any(|l| l.fills.is_some()),
    }
}

/// Table cells in single-column wrapped text: a run of at least five short lines of several
/// words each (single words in a row are justified prose split by the extractor, not a table).
pub(super) fn table_lines(lines: &[Line], lay: Layout) -> Vec<bool> {
    let mut out = vec![false; lines.len()];
    if !lay.wrapped || lay.width < 60 {
        return out;
    }
    let mut i = 0;
    while i < lines.len() {
        // After a line the source saw run to its column's edge comes the rest of a paragraph.
        let ends_paragraph = i > 0 && lines[i - 1].fills == Some(true);
        if !is_cell(&lines[i], lay) || ends_paragraph {
            i += 1;
            continue;
        }
        let j = cell_run_end(lines, i, lay);
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

/// A line short enough to be a table cell (up to 55% of the width), and no heading.
fn is_cell(l: &Line, lay: Layout) -> bool {
    l.kind == LineKind::Text
        && char_len(&l.text) * 100 <= lay.width * 55
        && !is_strong_heading(&l.text)
}

/// The end of the run of cells from `i`. A row may hold one longer cell, so a single line of up
/// to 80% width between two cells does not end the run.
fn cell_run_end(lines: &[Line], i: usize, lay: Layout) -> usize {
    let bridge = |l: &Line| l.kind == LineKind::Text && char_len(&l.text) * 100 <= lay.width * 80;
    let mut j = i;
    while j < lines.len() {
        if is_cell(&lines[j], lay) {
            j += 1;
        } else if bridge(&lines[j]) && lines.get(j + 1).is_some_and(|l| is_cell(l, lay)) {
            j += 2;
        } else {
            break;
        }
    }
    j
}

/// A table row: cells parted by tabs.
pub(super) fn is_row(line: &Line) -> bool {
    line.text.contains('\t')
}

/// Ends a sentence (allowing closing quotes and brackets after the stop).
pub(super) fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(['"', '\'', ')', ']', '»']);
    t.ends_with(['.', '?', '!', ':', ';'])
}

pub(super) fn starts_lower(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_lowercase)
}

pub(super) fn starts_upper_or_digit(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

pub(super) fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Share of letters that are uppercase (0 when there are fewer than four letters).
pub(super) fn upper_share(text: &str) -> f32 {
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

/// Words a title leaves in lower case, and a title never ends with.
pub(super) const FUNCTION_WORDS: &[&str] = &[
    "dan", "di", "ke", "dari", "dalam", "untuk", "pada", "yang", "sebagai", "atau", "of", "the",
    "and", "in", "on", "for", "to", "a", "an", "with", "by", "at", "/", "&", "-", "terhadap",
];

/// Share of content words that start with a capital or a digit.
pub(super) fn caps_share(text: &str) -> f32 {
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
pub(super) fn title_case(text: &str) -> bool {
    text.split_whitespace().count() <= 12 && caps_share(text) >= 0.7
}
