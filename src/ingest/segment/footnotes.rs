//! Footnotes: reading the notes below a footnote rule, and noting the markers in the body.
//!
//! An extraction with footnote rules interleaves each page's footnotes into the body text. Below
//! a rule the walker reads footnotes until the body resumes (a page break, or a line that cannot
//! go on with the note); they become footnote passages of their own. A marker (a lone number on
//! its own line) is kept on the body block it stands in, with its offset, so that a citation can
//! later be linked through it to its note. Footnote numbers count up, which tells a note's
//! number from a date or a page number at the start of a line.

use std::sync::LazyLock;

use regex::Regex;

use super::layout::starts_lower;
use super::walker::{Block, Walker};
use crate::ingest::hyphen::{self, Join};
use crate::ingest::normalize::LineKind;
use crate::model::Kind;

static FOOTNOTE_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3})\s+(\S.*)$").unwrap());
/// The end of a note or a bibliography entry: a page reference or an access date.
pub(super) static FOOTNOTE_DONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:\b(?:hlmn|hlm|hal|halaman|pp?|page|pages)\.?\s*:?\s*\d+(?:\s*[-–]\s*\d+)?\s*[.;]?|\bdiakses\b.*\b(?:19|20)\d\d\.?)$",
    )
    .unwrap()
});

impl Walker<'_> {
    pub(super) fn flush_note(&mut self) {
        if !self.note.is_empty() {
            let b = std::mem::take(&mut self.note);
            self.blocks.push(b);
        }
        self.note = Block::default();
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
        self.note.place = self.place.clone();
    }

    /// A superscript marker `n` on its own line (line number `no`): note it on the open block,
    /// or on the last body block when none is open, and keep the paragraph whole.
    pub(super) fn footnote_marker(&mut self, n: u32, no: usize) {
        if !self.cur.is_empty() {
            self.cur.footnotes.push((n, self.cur.text.len(), no));
            self.marker_pending = true;
        } else if let Some(b) = self
            .blocks
            .iter_mut()
            .rev()
            .find(|b| b.kind != Some(Kind::Footnote))
        {
            b.footnotes.push((n, b.text.len(), no));
        }
    }

    /// Handle one line while reading footnotes; false when the body has resumed.
    pub(super) fn footnote_step(&mut self, i: usize) -> bool {
        let line = &self.lines[i];
        if line.page_break_before && !self.note.is_empty() {
            return self.end_footnotes();
        }
        match line.kind {
            LineKind::Number(n) if self.next_note(n) => {
                self.open_note(n);
                return true;
            }
            LineKind::FootnoteRule => return true,
            _ => {}
        }
        if self.opens_numbered_note(i) {
            return true;
        }
        if self.note.is_empty() {
            if self.note.kind.is_none() {
                self.note.kind = Some(Kind::Footnote);
                self.note.place = self.place.clone();
            }
            self.note.push_line(i, line, 0, Join::Space);
            return true;
        }
        if self.note_done(i) {
            return self.end_footnotes();
        }
        let how = hyphen::join(&self.note.text, &line.text, &self.lex);
        self.note.push_line(i, line, 0, how);
        true
    }

    /// Line `i` is `12 Text of the note`, with the next note number: open that note with it.
    fn opens_numbered_note(&mut self, i: usize) -> bool {
        let line = &self.lines[i];
        let Some(c) = FOOTNOTE_START.captures(&line.text) else {
            return false;
        };
        let n: u32 = c[1].parse().unwrap_or(0);
        if !self.next_note(n) {
            return false;
        }
        self.open_note(n);
        let skip = c.get(2).map_or(0, |m| m.start());
        self.note.push_line(i, line, skip, Join::Space);
        true
    }

    /// The open note is complete and line `i` reads as body text again (lower case or indented,
    /// more than one word).
    fn note_done(&self, i: usize) -> bool {
        let line = &self.lines[i];
        let text = self.note.text.trim_end();
        FOOTNOTE_DONE.is_match(text)
            || (starts_lower(&line.text) || line.indented)
                && line.text.split_whitespace().nth(1).is_some()
                && text.ends_with(['.', ')'])
    }

    /// The body resumes: close the open note. Always false (the line is the body's).
    fn end_footnotes(&mut self) -> bool {
        self.in_footnotes = false;
        self.flush_note();
        false
    }
}
