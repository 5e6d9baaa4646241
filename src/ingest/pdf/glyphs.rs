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

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

/// A superscript is at most this share of its line's type size...
const SUPERSCRIPT_SIZE: f64 = 0.8;
/// ...and its baseline is raised by at least this share of it.
const SUPERSCRIPT_RISE: f64 = 0.15;
/// Footnotes are set at most this share of the page's body type size (captions, a little
/// smaller than the body, are not).
const NOTE_SIZE: f64 = 0.88;
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
    fn text(&self) -> String {
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
        for (i, g) in self.glyphs.iter().enumerate().skip(lead) {
            space |= self.space_before[i];
            if sup[i] {
                match markers.last_mut() {
                    Some(m) if in_marker => m.push_str(&g.text),
                    _ => markers.push(g.text.clone()),
                }
                in_marker = true;
                continue;
            }
            in_marker = false;
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push_str(&g.text);
        }
        markers.push(out);
        markers.join("\n")
    }

    fn lowest(&self) -> f64 {
        self.glyphs.iter().map(|g| g.y).fold(f64::MIN, f64::max)
    }
}

/// Glyphs into lines, by pdf-extract's rules: a new line where a word starts well below (or
/// above) the last glyph, or to its left and lower.
fn lines(glyphs: Vec<Glyph>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    let (mut last_y, mut last_end) = (0.0, 100_000.0);
    for g in glyphs {
        let mut space = false;
        let mut new_line = out.is_empty();
        if g.word_start && !new_line {
            let dy = (g.y - last_y).abs();
            new_line = dy > g.size * 1.5 || g.x < last_end && dy > g.size * 0.5;
            space = !new_line && g.x > last_end + g.size * 0.1;
        }
        if new_line {
            out.push(Line::default());
        }
        last_y = g.y;
        last_end = g.end;
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

/// Which body lines start indented from their column's left edge (a paragraph's first line):
/// the edge is the leftmost start of the body lines a few ems to the left.
fn indented(lines: &[Line], body: f64) -> Vec<bool> {
    let starts: Vec<Option<f64>> = lines
        .iter()
        .map(|l| {
            let first = l.glyphs.first()?;
            (l.main().0 > body * NOTE_SIZE).then_some(first.x)
        })
        .collect();
    starts
        .iter()
        .map(|&x| {
            let Some(x) = x else { return false };
            let edge = starts
                .iter()
                .flatten()
                .filter(|&&e| e <= x + 0.5 && e >= x - 5.0 * body)
                .fold(x, |m, &e| m.min(e));
            x - edge > 0.4 * body
        })
        .collect()
}

/// The text of one page from its glyphs, footnotes last under a text rule, a paragraph's
/// indented first line led by spaces as pdftotext marks it.
pub(super) fn page_text(collected: Glyphs) -> String {
    let height = collected.height;
    let lines = lines(collected.glyphs);
    let body = body_size(&lines);
    let mut texts: Vec<String> = lines.iter().map(Line::text).collect();
    for (text, indent) in texts.iter_mut().zip(indented(&lines, body)) {
        if indent {
            let at = text.rfind('\n').map_or(0, |i| i + 1);
            text.insert_str(at, "  ");
        }
    }
    let is_note = note_lines(&lines, &texts, body, height);
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
        let mut g = Glyphs {
            height: 800.0,
            ..Glyphs::default()
        };
        let x = run(&mut g, "guru, dll).", 72.0, 100.0, 11.0);
        let x = run(&mut g, "1", x - 3.0, 96.0, 6.5);
        run(&mut g, "Prostitusi anak", x, 100.0, 11.0);
        assert_eq!(page_text(g), "1\nguru, dll). Prostitusi anak");
    }

    #[test]
    fn notes_go_last_under_a_rule_and_the_page_number_stays_below_them() {
        let mut g = Glyphs {
            height: 800.0,
            ..Glyphs::default()
        };
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
        let mut g = Glyphs {
            height: 800.0,
            ..Glyphs::default()
        };
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
        let mut g = Glyphs {
            height: 800.0,
            ..Glyphs::default()
        };
        run(&mut g, "Badan teks halaman ini", 72.0, 100.0, 11.0);
        run(&mut g, "Gambar 1. Data TPPO", 72.0, 600.0, 10.0);
        assert_eq!(page_text(g), "Badan teks halaman ini\nGambar 1. Data TPPO");
    }
}
