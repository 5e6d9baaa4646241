//! A page's text from its positioned glyphs: pdf-extract's plain-text rules for lines and
//! spaces, plus what only sizes and positions tell, written the way the later stages read a
//! pdftotext extraction.
//!
//! - A superscript number inside a line is a footnote marker: it goes on a line of its own (as
//!   pdftotext leaves it), before its line, never glued to the word before it (`dll).1
//!   Prostitusi`), where it would change the word and hide the marker.
//! - A page's footnotes are the run of lines at its lower half, in a smaller type than the
//!   page's body, that opens with a numbered line. A typesetter separates them by a drawn rule,
//!   which has no text: they get a text rule (`__________`) instead, and move to the end of
//!   the page (before what lies below them, the page number), so that in two columns the first
//!   column's notes do not cut its paragraph from the second column.
//! - A line that runs to its column's right edge ends with a mark that it does, one that stops
//!   short of the edge with a mark that it does not (`normalize::FILLS`, `STOPS_SHORT`): in
//!   justified text that is where paragraphs end, which characters alone cannot tell. A line
//!   with more space above it than a paragraph's lines have starts with a mark of that
//!   (`normalize::SPACE_BEFORE`): a heading stands apart, a wrapped heading's lines do not.

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use crate::ingest::normalize::{FILLS, SPACE_BEFORE, STOPS_SHORT};

/// A superscript is at most this share of its line's type size...
const SUPERSCRIPT_SIZE: f64 = 0.8;
/// ...and its baseline is raised by at least this share of it.
const SUPERSCRIPT_RISE: f64 = 0.15;
/// Footnotes are set at most this share of the page's body type size (captions, a little
/// smaller than the body, are not).
const NOTE_SIZE: f64 = 0.88;
/// Words further apart than this many ems, in a line that is not justified, stand in
/// different table cells.
const CELL_GAP: f64 = 1.5;
/// A line has space above it when it stands this share of the body type further down than
/// the paragraph's line pitch would put it (paragraph spacing is a third of the type or more).
const SPACE_ABOVE: f64 = 0.25;
/// The text rule the footnotes get, as the normalizer recognises one.
const RULE: &str = "__________";

/// One glyph as drawn: its position (y down from the page top), type size and advance.
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    size: f64,
    end: f64,
    text: String,
    /// The first glyph of a text-showing operation: only there do lines and spaces break.
    word_start: bool,
}

/// Collects a page's glyphs (one page per collector).
#[derive(Default)]
pub(super) struct Glyphs {
    height: f64,
    word_start: bool,
    glyphs: Vec<Glyph>,
}

impl OutputDev for Glyphs {
    fn begin_page(
        &mut self,
        _: u32,
        media: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.height = media.ury - media.lly;
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        let sx = font_size * (trm.m11 + trm.m21);
        let sy = font_size * (trm.m12 + trm.m22);
        let size = (sx * sy).abs().sqrt();
        let (x, y) = (trm.m31, self.height - trm.m32);
        self.glyphs.push(Glyph {
            x,
            y,
            size,
            end: x + width * size,
            text: char.to_string(),
            word_start: std::mem::take(&mut self.word_start),
        });
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.word_start = true;
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// A line of glyphs, as pdf-extract's plain text breaks them.
#[derive(Debug, Default)]
struct Line {
    glyphs: Vec<Glyph>,
    /// Spaces before each glyph (pdf-extract's rule: a gap of a tenth of the type size).
    space_before: Vec<bool>,
}

impl Line {
    /// The type size most of the line is set in, and that type's baseline.
    fn main(&self) -> (f64, f64) {
        let mut best = (0.0, 0.0, 0usize);
        for g in &self.glyphs {
            let n = self
                .glyphs
                .iter()
                .filter(|h| (h.size - g.size).abs() < 0.25)
                .count();
            if n > best.2 {
                best = (g.size, g.y, n);
            }
        }
        (best.0, best.1)
    }

    fn is_superscript(&self, i: usize, size: f64, base: f64) -> bool {
        let g = &self.glyphs[i];
        g.size <= size * SUPERSCRIPT_SIZE
            && base - g.y >= size * SUPERSCRIPT_RISE
            && g.text.chars().all(|c| c.is_ascii_digit())
    }

    /// The line's text. A superscript number opening the line is the number of the note the
    /// line opens (`1 Estes, …`); elsewhere it is a marker, set on a line of its own before the
    /// line's text, which keeps its words and its width (the segmenter tells a paragraph's end
    /// by a short last line): the marker's offset is the line's start, not its word's end.
    /// Where `cells` (the line is not justified), a gap of [`CELL_GAP`] ems or more between
    /// two words parts table cells, and becomes a tab as a table's cells are in a text file.
    fn text(&self, cells: bool) -> String {
        let (size, base) = self.main();
        let sup: Vec<bool> = (0..self.glyphs.len())
            .map(|i| self.is_superscript(i, size, base))
            .collect();
        let lead = sup.iter().take_while(|&&s| s).count();
        let mut out: String = self.glyphs[..lead]
            .iter()
            .map(|g| g.text.as_str())
            .collect();
        let mut markers: Vec<String> = Vec::new();
        let (mut space, mut in_marker) = (lead > 0, false);
        let mut tab = false;
        let mut last_end = f64::MAX;
        for (i, g) in self.glyphs.iter().enumerate().skip(lead) {
            space |= self.space_before[i];
            if cells && g.text.trim().is_empty() {
                space = true;
                continue;
            }
            tab |= cells && g.x - last_end >= CELL_GAP * g.size;
            last_end = g.end;
            if sup[i] {
                match markers.last_mut() {
                    Some(m) if in_marker => m.push_str(&g.text),
                    _ => markers.push(g.text.clone()),
                }
                in_marker = true;
                continue;
            }
            in_marker = false;
            if tab && !out.is_empty() {
                out.push('\t');
            } else if space && !out.is_empty() {
                out.push(' ');
            }
            (space, tab) = (false, false);
            out.push_str(&g.text);
        }
        markers.push(out);
        markers.join("\n")
    }

    fn left(&self) -> f64 {
        self.glyphs.iter().map(|g| g.x).fold(f64::MAX, f64::min)
    }

    fn right(&self) -> f64 {
        self.glyphs.iter().map(|g| g.end).fold(f64::MIN, f64::max)
    }

    fn lowest(&self) -> f64 {
        self.glyphs.iter().map(|g| g.y).fold(f64::MIN, f64::max)
    }
}

/// Glyphs into lines, by pdf-extract's rules: a new line where a word starts well below (or
/// above) the last glyph, or to its left and lower. Distances are measured in the larger type
/// of the two glyphs: a superscript marker set a hair left of the full stop before it
/// (`Angelopolis.⁸ Banyak`) is raised by a third of the body type, which is more than half its
/// own small size, but it is no new line.
fn lines(glyphs: Vec<Glyph>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    let (mut last_y, mut last_end, mut last_size) = (0.0, 100_000.0, 0.0);
    for g in glyphs {
        let mut space = false;
        let mut new_line = out.is_empty();
        if g.word_start && !new_line {
            let dy = (g.y - last_y).abs();
            let size = g.size.max(last_size);
            new_line = dy > size * 1.5 || g.x < last_end && dy > size * 0.5;
            space = !new_line && g.x > last_end + g.size * 0.1;
        }
        if new_line {
            out.push(Line::default());
        }
        last_y = g.y;
        last_end = g.end;
        last_size = g.size;
        let line = out.last_mut().expect("a line was pushed");
        line.space_before.push(space);
        line.glyphs.push(g);
    }
    out
}

/// The type size most glyphs of the page are set in: its body text.
fn body_size(lines: &[Line]) -> f64 {
    let mut counts: Vec<(f64, usize)> = Vec::new();
    for g in lines.iter().flat_map(|l| &l.glyphs) {
        match counts.iter_mut().find(|(s, _)| (s - g.size).abs() < 0.25) {
            Some(c) => c.1 += 1,
            None => counts.push((g.size, 1)),
        }
    }
    counts.iter().max_by_key(|c| c.1).map_or(0.0, |c| c.0)
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Whether lines `i..` open a run of footnotes: small type, lower half, a numbered first line
/// with text after its number.
fn opens_notes(line: &Line, text: &str, body: f64, height: f64) -> bool {
    let (size, _) = line.main();
    let numbered = text
        .split_once(' ')
        .is_some_and(|(n, rest)| n.len() <= 3 && is_number(n) && !rest.is_empty());
    size <= body * NOTE_SIZE && line.lowest() > height / 2.0 && numbered
}

/// Which lines are footnotes: runs of small type in the page's lower half that hold a numbered
/// line (a run may open with the end of a note begun in the column or page before). A bare
/// number at the foot of the page is the page's number, not a note's.
fn note_lines(lines: &[Line], texts: &[String], body: f64, height: f64) -> Vec<bool> {
    let bottom = lines.iter().map(Line::lowest).fold(f64::MIN, f64::max);
    let small: Vec<bool> = lines
        .iter()
        .zip(texts)
        .map(|(l, t)| {
            let page_number = is_number(t) && l.lowest() >= bottom - 1.0;
            l.main().0 <= body * NOTE_SIZE && l.lowest() > height / 2.0 && !page_number
        })
        .collect();
    let opens: Vec<bool> = lines
        .iter()
        .zip(texts)
        .map(|(l, t)| opens_notes(l, t, body, height))
        .collect();
    let mut out = vec![false; lines.len()];
    for i in 0..lines.len() {
        out[i] = if i > 0 && out[i - 1] {
            small[i]
        } else {
            (i..lines.len()).take_while(|&j| small[j]).any(|j| opens[j])
        };
    }
    out
}

/// Which body lines start indented from their column's left edge (a paragraph's first line).
/// The edge is where most of the nearby lines (three before, three after) start, of those that
/// start a little to the left: so a block set in from both margins (a journal's abstract) has
/// its own edge and its lines are not all indented. Where none does (a line between headings),
/// the leftmost start of the page's body lines a few ems to the left.
fn indented(lines: &[Line], body: f64) -> Vec<bool> {
    let starts: Vec<Option<f64>> = lines
        .iter()
        .map(|l| {
            let first = l.glyphs.first()?;
            (l.main().0 > body * NOTE_SIZE).then_some(first.x)
        })
        .collect();
    let near_left = |x: f64, e: f64| e <= x + 0.5 && e >= x - 5.0 * body;
    (0..starts.len())
        .map(|i| {
            let Some(x) = starts[i] else { return false };
            let nearby: Vec<f64> = (i.saturating_sub(NEARBY_LINES)..=i + NEARBY_LINES)
                .filter(|&j| j != i)
                .filter_map(|j| starts.get(j).copied().flatten())
                .filter(|&e| near_left(x, e))
                .collect();
            let edge = most_common(&nearby).unwrap_or_else(|| {
                starts
                    .iter()
                    .flatten()
                    .filter(|&&e| near_left(x, e))
                    .fold(x, |m, &e| m.min(e))
            });
            x - edge > 0.4 * body
        })
        .collect()
}

/// Lines before and after a line that say where its block's left edge is.
const NEARBY_LINES: usize = 3;

/// The start most of `xs` share (within half a point), the leftmost of a tie.
fn most_common(xs: &[f64]) -> Option<f64> {
    let count = |x: f64| xs.iter().filter(|&&y| (y - x).abs() <= 0.5).count();
    xs.iter()
        .copied()
        .max_by(|&a, &b| count(a).cmp(&count(b)).then(b.total_cmp(&a)))
}

/// Lines ending within this distance (pt) of each other end at one edge.
const EDGE_TOLERANCE: f64 = 1.0;
/// A column's right edge is where at least this many lines of its type end...
const EDGE_LINES: usize = 3;
/// ...and at least this share of the lines beside them: in justified text most lines end
/// there, in ragged text a few lines that end together by chance make no edge.
const EDGE_SHARE: f64 = 0.3;
/// ...counting only the lines that start within this many ems of the line's own start: a
/// block set in from both margins (a journal's abstract) has its own right edge, which the
/// wider body around it would otherwise outvote. A first-line or hanging indent stays within.
const PEER_INDENT: f64 = 2.0;

/// Whether each line runs to its column's right edge (`Some(true)`: justified text wrapped
/// there, the paragraph goes on) or stops short of it (`Some(false)`: a paragraph's last
/// line, a heading, a caption); `None` where no edge lies at or beyond the line's end (ragged
/// text, a page of a few lines), and the segmenter goes by characters. An edge is where
/// several lines, and a good share, of the lines beside the line (sharing some of its width,
/// starting near its start, in the same class of type: body or notes) end; a line is judged
/// against the nearest edge at or beyond its own end. This is what characters cannot tell in narrow justified columns,
/// where a full line that ends a sentence can be shorter than a paragraph's last line.
fn fills_column(lines: &[Line], body: f64) -> Vec<Option<bool>> {
    let spans: Vec<(f64, f64, bool)> = lines
        .iter()
        .map(|l| (l.left(), l.right(), l.main().0 <= body * NOTE_SIZE))
        .collect();
    spans
        .iter()
        .map(|&(left, right, small)| {
            let ends: Vec<f64> = spans
                .iter()
                .filter(|&&(l, r, s)| {
                    s == small && l < right && r > left && (l - left).abs() <= PEER_INDENT * body
                })
                .map(|s| s.1)
                .collect();
            let is_edge = |e: f64| {
                let at = ends
                    .iter()
                    .filter(|&&x| (x - e).abs() <= EDGE_TOLERANCE)
                    .count();
                at >= EDGE_LINES && at as f64 >= ends.len() as f64 * EDGE_SHARE
            };
            if is_edge(right) {
                return Some(true);
            }
            ends.iter()
                .any(|&e| e > right + EDGE_TOLERANCE && is_edge(e))
                .then_some(false)
        })
        .collect()
}

/// Which lines have more space above them than the lines of a paragraph: a new paragraph or
/// a heading, where a wrapped heading's lines follow each other closely. The paragraph's line
/// pitch is the page's most common step between body lines; a line of larger type steps that
/// much further. Only a step down the page counts (a new column starts higher).
fn space_above(lines: &[Line], body: f64) -> Vec<bool> {
    let mains: Vec<(f64, f64)> = lines.iter().map(Line::main).collect();
    let steps = mains
        .windows(2)
        .map(|w| (w[1].1 - w[0].1, w[0].0.max(w[1].0)));
    let mut counts: Vec<(f64, usize)> = Vec::new();
    for (dy, size) in steps.clone() {
        if (size - body).abs() < 0.25 && dy > 0.0 && dy < body * 3.0 {
            match counts.iter_mut().find(|(p, _)| (p - dy).abs() < 0.5) {
                Some(c) => c.1 += 1,
                None => counts.push((dy, 1)),
            }
        }
    }
    let Some(&(pitch, _)) = counts.iter().max_by_key(|c| c.1) else {
        return vec![false; lines.len()];
    };
    let mut out = vec![false];
    out.extend(steps.map(|(dy, size)| dy > pitch * size / body + body * SPACE_ABOVE));
    out.truncate(lines.len());
    out
}

/// Writes into each line's text what its place on the page shows, as the normalizer reads it:
/// an indented first line led by spaces (as pdftotext marks it), space above it by
/// [`SPACE_BEFORE`], and how it meets its column's edge by [`FILLS`] or [`STOPS_SHORT`]. A
/// line's footnote markers stay on lines of their own before it.
fn mark_layout(texts: &mut [String], lines: &[Line], fills: &[Option<bool>], body: f64) {
    let indents = indented(lines, body);
    let gaps = space_above(lines, body);
    for (i, text) in texts.iter_mut().enumerate() {
        let at = text.rfind('\n').map_or(0, |i| i + 1);
        if indents[i] {
            text.insert_str(at, "  ");
        }
        if gaps[i] {
            text.insert(at, SPACE_BEFORE);
        }
        match fills[i] {
            Some(true) => text.push(FILLS),
            Some(false) => text.push(STOPS_SHORT),
            None => {}
        }
    }
}

/// The text of one page from its glyphs, footnotes last under a text rule, a paragraph's
/// indented first line led by spaces as pdftotext marks it.
pub(super) fn page_text(collected: Glyphs) -> String {
    let height = collected.height;
    let lines = lines(collected.glyphs);
    let body = body_size(&lines);
    let fills = fills_column(&lines, body);
    let texts: Vec<String> = lines
        .iter()
        .zip(&fills)
        .map(|(l, f)| l.text(*f != Some(true)))
        .collect();
    let is_note = note_lines(&lines, &texts, body, height);
    let mut texts = texts;
    mark_layout(&mut texts, &lines, &fills, body);
    let mut main = Vec::new();
    let mut notes: Vec<(f64, &str)> = Vec::new();
    for ((line, text), note) in lines.iter().zip(&texts).zip(is_note) {
        let item = (line.lowest(), text.as_str());
        if note {
            notes.push(item);
        } else {
            main.push(item);
        }
    }
    if notes.is_empty() {
        return texts.join("\n");
    }
    // What lies below the lowest note (the page number) stays below them.
    let floor = notes.iter().map(|n| n.0).fold(f64::MIN, f64::max);
    let (below, above): (Vec<_>, Vec<_>) = main.into_iter().partition(|m| m.0 > floor);
    let mut out: Vec<&str> = above.into_iter().map(|m| m.1).collect();
    out.push(RULE);
    out.extend(notes.into_iter().map(|n| n.1));
    out.extend(below.into_iter().map(|m| m.1));
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An empty page 800 pt high.
    fn page() -> Glyphs {
        Glyphs {
            height: 800.0,
            ..Glyphs::default()
        }
    }

    /// Glyphs of `text` from `x` on baseline `y` in type of `size`, one text-showing operation
    /// per word, advancing half the type size per character.
    fn run(out: &mut Glyphs, text: &str, x: f64, y: f64, size: f64) -> f64 {
        let mut x = x;
        for word in text.split(' ') {
            out.word_start = true;
            for c in word.chars() {
                out.glyphs.push(Glyph {
                    x,
                    y,
                    size,
                    end: x + size * 0.5,
                    text: c.to_string(),
                    word_start: std::mem::take(&mut out.word_start),
                });
                x += size * 0.5;
            }
            x += size * 0.3;
        }
        x
    }

    #[test]
    fn a_superscript_marker_gets_a_line_of_its_own() {
        let mut g = page();
        let x = run(&mut g, "guru, dll).", 72.0, 100.0, 11.0);
        let x = run(&mut g, "1", x - 3.0, 96.0, 6.5);
        run(&mut g, "Prostitusi anak", x, 100.0, 11.0);
        assert_eq!(page_text(g), "1\nguru, dll). Prostitusi anak");
    }

    #[test]
    fn notes_go_last_under_a_rule_and_the_page_number_stays_below_them() {
        let mut g = page();
        run(&mut g, "Jurnal Header", 72.0, 40.0, 9.0);
        run(
            &mut g,
            "Badan teks kolom pertama yang panjang",
            72.0,
            100.0,
            11.0,
        );
        run(&mut g, "2 Catatan kaki kedua.", 72.0, 700.0, 9.0);
        run(
            &mut g,
            "Kolom kedua berlanjut di sini saja",
            320.0,
            100.0,
            11.0,
        );
        run(&mut g, "7", 300.0, 780.0, 9.0);
        assert_eq!(
            page_text(g),
            "Jurnal Header\nBadan teks kolom pertama yang panjang\n\
             Kolom kedua berlanjut di sini saja\n__________\n2 Catatan kaki kedua.\n7"
        );
    }

    #[test]
    fn a_paragraph_s_indented_first_line_is_marked() {
        let mut g = page();
        run(&mut g, "akhir paragraf pertama.", 72.0, 100.0, 11.0);
        run(&mut g, "Paragraf kedua mulai", 89.0, 113.0, 11.0);
        run(&mut g, "dan berlanjut di sini.", 72.0, 126.0, 11.0);
        assert_eq!(
            page_text(g),
            "akhir paragraf pertama.\n  Paragraf kedua mulai\ndan berlanjut di sini."
        );
    }

    #[test]
    fn small_type_without_a_number_is_no_note() {
        let mut g = page();
        run(&mut g, "Badan teks halaman ini", 72.0, 100.0, 11.0);
        run(&mut g, "Gambar 1. Data TPPO", 72.0, 600.0, 10.0);
        assert_eq!(page_text(g), "Badan teks halaman ini\nGambar 1. Data TPPO");
    }

    /// A justified paragraph of `rows` lines in a column from x 72 to 300, pitch 13, the last
    /// line short; returns the y after it.
    fn paragraph(out: &mut Glyphs, first: &str, rows: usize, y: f64) -> f64 {
        let mut y = y;
        for k in 0..rows {
            let last = k + 1 == rows;
            let words = if k == 0 { first } else { "kata kata kata" };
            run(out, words, 72.0, y, 11.0);
            if !last {
                // Justified: the line's last glyph ends at the column's right edge.
                run(out, "x", 294.5, y, 11.0);
            }
            y += 13.0;
        }
        y
    }

    #[test]
    fn lines_say_how_they_meet_the_column_edge_and_the_space_above_them() {
        let mut g = page();
        let y = paragraph(&mut g, "Satu.", 4, 100.0);
        // A heading after paragraph spacing, then the next paragraph right under it.
        run(&mut g, "Judul Bagian", 72.0, y + 8.0, 11.0);
        paragraph(&mut g, "Dua", 3, y + 21.0);
        let text = page_text(g);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].ends_with(FILLS), "{lines:?}");
        assert!(lines[3].ends_with(STOPS_SHORT), "{lines:?}");
        assert!(lines[4].starts_with(SPACE_BEFORE), "{lines:?}");
        assert!(lines[4].ends_with(STOPS_SHORT), "{lines:?}");
        assert!(!lines[5].starts_with(SPACE_BEFORE), "{lines:?}");
        assert!(lines[5].ends_with(FILLS), "{lines:?}");
        assert!(!lines[1].starts_with(SPACE_BEFORE), "{lines:?}");
    }

    #[test]
    fn a_wide_gap_in_a_line_that_is_not_justified_parts_table_cells() {
        let mut g = page();
        run(&mut g, "Proses", 72.0, 100.0, 11.0);
        run(&mut g, "Cara/Jalan", 160.0, 100.0, 11.0);
        run(&mut g, "Tujuan", 250.0, 100.0, 11.0);
        run(&mut g, "Perekrutan", 72.0, 113.0, 11.0);
        run(&mut g, "Ancaman", 160.0, 113.0, 11.0);
        assert_eq!(
            page_text(g),
            "Proses\tCara/Jalan\tTujuan\nPerekrutan\tAncaman"
        );
    }
}
