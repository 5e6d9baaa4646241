//! Walker: one pass over a document's lines that gathers them into blocks (a paragraph, a
//! heading, a caption, a table, a bibliography entry, a footnote).
//!
//! This is the only stateful part of segmentation: whether a line continues the open block
//! depends on the block so far (does it end a sentence? is it a heading whose title may wrap?),
//! and the place (chapter, section) is carried from heading to heading. What a line *is* is
//! asked of [`super::headings`] and [`super::layout`]; footnote reading is in
//! [`super::footnotes`].

use std::sync::LazyLock;

use regex::Regex;

use super::column::{column_heading, item_number};
use super::court;
use super::footnotes::FOOTNOTE_DONE;
use super::headings::{
    bib_subheading, classify, is_markdown_heading, is_strong_heading, Heading, Part, Place, Titles,
    KEYWORDS, YEAR,
};
use super::layout::{
    caps_share, char_len, ends_sentence, is_row, layout, starts_lower, starts_upper_or_digit,
    table_lines, upper_share, Layout,
};
use crate::ingest::hyphen::{self, Join, Lexicon};
use crate::ingest::normalize::{Line, LineKind};
use crate::model::Kind;

static NUMERIC_DEBRIS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d[\d.,%]*(?:\s+\d[\d.,%]*)+$").unwrap());
static BIB_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-•]\s+)?(?:\p{Lu}[\p{L}'’-]+(?:,\s+\p{Lu}|\.\s|\s+\p{Lu}|\s+(?:dan|and|&)\s)|\p{Lu}{2,}[\s.,])")
        .unwrap()
});

/// A run of lines that becomes one or more passages.
#[derive(Debug, Default)]
pub(super) struct Block {
    pub(super) kind: Option<Kind>,
    pub(super) text: String,
    /// `(offset in text, index into lines, byte in the line where the text starts)`.
    pub(super) spans: Vec<(usize, usize, usize)>,
    /// Footnote numbers, each with the offset in `text` where its marker stands and the
    /// marker's line number.
    pub(super) footnotes: Vec<(u32, usize, usize)>,
    /// Where the block stands: chapter, section, part.
    pub(super) place: Place,
}

impl Block {
    pub(super) fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    pub(super) fn first_line(&self) -> usize {
        self.spans.first().map_or(usize::MAX, |s| s.1)
    }

    pub(super) fn push_line(&mut self, idx: usize, line: &Line, skip: usize, how: Join) {
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

/// The state of the walk over a document's lines.
pub(super) struct Walker<'a> {
    pub(super) lines: &'a [Line],
    pub(super) lex: Lexicon<'a>,
    pub(super) lay: Layout,
    pub(super) place: Place,
    pub(super) blocks: Vec<Block>,
    /// The open body-stream block.
    pub(super) cur: Block,
    titles: Titles,
    /// The open footnote, while reading below a footnote rule.
    pub(super) note: Block,
    pub(super) in_footnotes: bool,
    /// The document has footnote rules; without them a lone number is no footnote marker.
    pub(super) has_rules: bool,
    /// A footnote marker stood between the previous line and the next: one visual line.
    pub(super) marker_pending: bool,
    /// The highest footnote number read so far: footnotes count up, so `27 Oktober 2016` is no footnote.
    pub(super) last_note: u32,
    /// Lines that belong to a table (runs of short cells in single-column wrapped text).
    table: Vec<bool>,
    /// The next line to look at, past lines a heading took.
    skip_to: usize,
    /// The document is a court decision: only its parts' formulas open parts ([`super::court`]).
    court: bool,
    /// In a decision, the kind of the inner heading (charge, element) that titles the text now.
    inner: Option<court::Inner>,
    /// The number of the last numbered heading of each style (`3.`, `C.`), so that the next
    /// one in the sequence is a heading even where the paragraph before it has no full stop.
    items: [Option<u32>; 2],
}

impl<'a> Walker<'a> {
    pub(super) fn new(lines: &'a [Line]) -> Self {
        let lay = layout(lines);
        Walker {
            lines,
            lex: Lexicon::of_lines(lines),
            lay,
            place: Place::default(),
            blocks: Vec::new(),
            cur: Block::default(),
            titles: Titles::Nothing,
            note: Block::default(),
            in_footnotes: false,
            has_rules: lines.iter().any(|l| l.kind == LineKind::FootnoteRule),
            marker_pending: false,
            last_note: 0,
            table: table_lines(lines, lay),
            skip_to: 0,
            court: court::is_court_decision(lines),
            inner: None,
            items: [None; 2],
        }
    }

    /// Walk every line; the blocks in document order (of their first lines).
    pub(super) fn walk(mut self) -> Vec<Block> {
        for i in 0..self.lines.len() {
            if i < self.skip_to {
                continue;
            }
            if self.in_footnotes && self.footnote_step(i) {
                continue;
            }
            self.body_line(i);
        }
        self.flush();
        self.flush_note();
        let mut blocks = self.blocks;
        blocks.sort_by_key(Block::first_line);
        blocks
    }

    /// One line outside the footnotes.
    fn body_line(&mut self, i: usize) {
        let line = &self.lines[i];
        match line.kind {
            LineKind::FootnoteRule => {
                if self.has_rules {
                    self.in_footnotes = true;
                    self.flush_note();
                }
            }
            // Bibliographies number their entries; there a lone number is text.
            LineKind::Number(_) if self.place.in_bibliography() => self.step(i),
            LineKind::Number(n) => {
                if self.has_rules {
                    self.footnote_marker(n, line.no);
                }
            }
            LineKind::Text => {
                // Numbers left by a chart's axes, but not the rows of a numeric table.
                if self.lay.wrapped && NUMERIC_DEBRIS.is_match(&line.text) && !self.table[i] {
                    return;
                }
                self.step(i);
            }
        }
    }

    pub(super) fn flush(&mut self) {
        if !self.cur.is_empty() {
            let b = std::mem::take(&mut self.cur);
            self.blocks.push(b);
        }
        self.cur = Block {
            place: self.place.clone(),
            ..Block::default()
        };
        self.titles = Titles::Nothing;
        self.marker_pending = false;
    }

    fn start(&mut self, kind: Kind) {
        self.flush();
        self.cur.kind = Some(kind);
    }

    /// Start a block of `kind` with line `i`.
    fn start_with(&mut self, kind: Kind, i: usize) {
        self.start(kind);
        self.cur.push_line(i, &self.lines[i], 0, Join::Space);
    }

    fn default_kind(&self) -> Kind {
        match self.place.part {
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
            return is_row(line) || wrapped_cell(&self.lines[i..]);
        }
        // A marker stands inside a paragraph the extraction broke around it; in text of one
        // paragraph per line, a blank line after it ends the paragraph it closed.
        let marker_inside = self.marker_pending && (self.lay.wrapped || !line.gap_before);
        if text.ends_with('-') || line.text.starts_with(['.', ',', ';', ')']) || marker_inside {
            return true;
        }
        if kind == Kind::Bibliography {
            return self.bib_continues(i);
        }
        if let Some(fills) = prev.fills {
            // The source saw the column: in justified text a paragraph ends where a line stops
            // short of the edge, and a new one starts indented.
            return fills && !line.indented;
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
        // A hanging indent, where the PDF shows one: an entry's later lines are set in
        // (`Computational Statistics & Data Analysis, 45, …` under `Cribari-Neto F (2004). “…”`).
        if self.lay.laid_out && line.indented {
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
        if self.lay.laid_out {
            // Seen in the source: a wrapped title's lines follow each other with no space
            // between them, and none runs to the column's edge as justified prose does (but a
            // centred line of capitals may reach it).
            let prose = line.fills == Some(true) && upper_share(t) < 0.8;
            return !line.gap_before && !prose;
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

    /// Handle one line of the body stream: it extends the open heading, joins a table, opens a
    /// heading or a keywords line, continues the open paragraph, or starts a new one.
    fn step(&mut self, i: usize) {
        if self.court {
            return self.court_step(i);
        }
        if self.extends_title(i) || self.joins_table(i) {
            return;
        }
        let cont = !self.cur.is_empty() && self.continues(i);
        if let Some(h) = self.heading_at(i, cont) {
            return self.open_heading(i, h);
        }
        let line = &self.lines[i];
        if KEYWORDS.is_match(&line.text) {
            return self.start_with(Kind::Keywords, i);
        }
        // Tabs part cells: in a text of one paragraph per line a row is a line; in hard-wrapped
        // text (where the PDF reader writes a tab only for a gap as wide as a cell's) a table
        // is at least two such rows.
        let cells = !self.lay.wrapped || self.lines.get(i + 1).is_some_and(is_row);
        if cells && is_row(line) && self.cur.kind != Some(Kind::Table) {
            return self.start_with(Kind::Table, i);
        }
        if cont {
            return self.continue_block(i);
        }
        self.start_with(self.default_kind(), i);
    }

    /// An open heading or caption takes line `i` when its title goes on there (a chapter's title
    /// in capitals on the lines after `BAB II`); otherwise it is closed. True when it took it.
    fn extends_title(&mut self, i: usize) -> bool {
        let line = &self.lines[i];
        let open = matches!(self.cur.kind, Some(Kind::Heading) | Some(Kind::Caption));
        if !open || self.cur.is_empty() {
            return false;
        }
        let chapter_title = self.titles == Titles::Chapter
            && upper_share(&line.text) >= 0.8
            && char_len(&line.text) <= 120;
        if self.title_continues(i) || chapter_title {
            self.cur.push_line(i, line, 0, Join::Space);
            self.place = self.place.retitled(self.titles, &self.cur.text);
            self.cur.place = self.place.clone();
            return true;
        }
        self.flush();
        false
    }

    /// A table cell joins the open table (or starts one). True when line `i` was one.
    fn joins_table(&mut self, i: usize) -> bool {
        let line = &self.lines[i];
        if !self.table[i] || is_strong_heading(&line.text) {
            return false;
        }
        if self.cur.kind != Some(Kind::Table) {
            self.start(Kind::Table);
        }
        self.cur.push_line(i, line, 0, Join::Space);
        true
    }

    /// The heading line `i` opens. Strong patterns always open one; weak ones only where a
    /// paragraph has ended (`cont`: line `i` would continue the open one).
    fn heading_at(&self, i: usize, cont: bool) -> Option<Heading> {
        let line = &self.lines[i];
        let in_bib = self.place.in_bibliography();
        let h = classify(self.lines, i, self.lay, in_bib, cont);
        if is_markdown_heading(&line.text) {
            // Marked up as a heading: no paragraph runs on through it.
            return h;
        }
        match h {
            Some(Heading::Sub { .. }) if cont && !self.column_break(i) => None,
            Some(Heading::Section { .. })
                if cont && !ends_sentence(&self.cur.text) && !line.gap_before =>
            {
                None
            }
            h => h,
        }
    }

    /// A heading wrapped in a column ([`column_heading`]) breaks the open block, which the
    /// joining rules would carry on, when that block ends a sentence (its last line ran to the
    /// full width of the column) or when the heading's number follows the last heading's
    /// (`3. Infeksi Menular Seksual` after `2. …`, below a paragraph with no full stop).
    fn column_break(&self, i: usize) -> bool {
        if !self.lay.wrapped || column_heading(self.lines, i, self.lay).is_none() {
            return false;
        }
        let next_item = item_number(&self.lines[i].text)
            .is_some_and(|(style, n)| self.items[style].is_some_and(|m| m + 1 == n));
        ends_sentence(&self.cur.text) || next_item
    }

    /// Remember the number of heading `h` (a numbered title opens the next level down afresh);
    /// any other heading starts the numbering over.
    fn count_item(&mut self, h: &Heading) {
        match h {
            Heading::Sub { title, .. } => {
                if let Some((style, n)) = item_number(title) {
                    self.items[style] = Some(n);
                    self.items[..style].iter_mut().for_each(|m| *m = None);
                }
            }
            Heading::Caption => {}
            _ => self.items = [None; 2],
        }
    }

    /// Line `i` of a court decision: a part's heading or first line opens the part, an inner
    /// heading (a charge, an element) titles what follows within it, a recital formula may end
    /// that; every other line is body text, joined as in any document.
    fn court_step(&mut self, i: usize) {
        let part = self.place.chapter.as_deref();
        let text = self.lines[i].text.as_str();
        match court::step(text, part) {
            Some(court::Step::Heading(title)) => {
                self.enter_part(title);
                self.start_with(Kind::Heading, i);
                self.flush();
            }
            Some(court::Step::Starts(title)) => {
                self.enter_part(title);
                self.start_with(Kind::Body, i);
            }
            None => {
                if let Some(h) = self.inner_heading_at(i) {
                    return self.open_inner(i, h);
                }
                if self.inner.is_some_and(|k| court::ends_inner(k, text)) {
                    self.inner = None;
                    self.place.section_title = None;
                    return self.start_with(Kind::Body, i);
                }
                if !self.cur.is_empty() && self.continues(i) {
                    self.continue_block(i);
                } else {
                    self.start_with(Kind::Body, i);
                }
            }
        }
    }

    /// The inner heading of a decision that line `i` opens, judged with the line before it and
    /// the three after it.
    fn inner_heading_at(&self, i: usize) -> Option<court::InnerHeading> {
        let prev = i.checked_sub(1).map_or("", |k| self.lines[k].text.as_str());
        let texts: Vec<&str> = self.lines[i..self.lines.len().min(i + 4)]
            .iter()
            .take_while(|l| l.kind == LineKind::Text)
            .map(|l| l.text.as_str())
            .collect();
        court::inner_heading(prev, &texts, self.lay.width)
    }

    /// A heading passage of the lines inner heading `h` takes from line `i`, which titles the
    /// passages after it, under the part.
    fn open_inner(&mut self, i: usize, h: court::InnerHeading) {
        self.inner = Some(h.kind);
        self.place.section = None;
        self.place.section_title = Some(court::inner_label(&h.text));
        self.start(Kind::Heading);
        for k in i..=i + h.extra {
            self.cur.push_line(k, &self.lines[k], 0, Join::Space);
        }
        self.skip_to = i + 1 + h.extra;
        self.flush();
    }

    /// A decision's part is the chapter of its passages; a new part ends any inner heading.
    fn enter_part(&mut self, title: &str) {
        self.inner = None;
        self.place = Place {
            chapter: Some(title.to_string()),
            ..Place::default()
        };
    }

    /// Move to the place after heading `h` and open its block with line `i`.
    fn open_heading(&mut self, i: usize, h: Heading) {
        let in_bib = self.place.in_bibliography();
        self.place = self.place.after(&h);
        self.count_item(&h);
        match h {
            Heading::Chapter { .. } => {
                self.start_with(Kind::Heading, i);
                self.titles = Titles::Chapter;
            }
            Heading::Section { .. } => {
                self.start_with(Kind::Heading, i);
                self.titles = Titles::Section;
            }
            Heading::Part { .. } => self.start_with(Kind::Heading, i),
            Heading::Sub { extra, open, .. } => self.open_sub(i, extra, open && !in_bib),
            Heading::Caption => self.start_with(Kind::Caption, i),
        }
    }

    /// A heading of lines `i..=i + extra`; one whose title may go on stays open.
    fn open_sub(&mut self, i: usize, extra: usize, open: bool) {
        self.start(Kind::Heading);
        for k in i..=i + extra {
            self.cur.push_line(k, &self.lines[k], 0, Join::Space);
        }
        self.skip_to = i + 1 + extra;
        if open {
            self.titles = Titles::Section;
        } else {
            self.flush();
        }
    }

    /// Line `i` goes on with the open block, glued, spaced or de-hyphenated.
    fn continue_block(&mut self, i: usize) {
        let line = &self.lines[i];
        let how = if self.cur.kind == Some(Kind::Table) {
            Join::Space
        } else if line.text.starts_with(['.', ',', ';', ')']) {
            Join::Glue
        } else {
            hyphen::join(&self.cur.text, &line.text, &self.lex)
        };
        self.cur.push_line(i, line, 0, how);
        self.marker_pending = false;
    }
}

/// A bibliography entry has its year and something after it (or no year at all).
/// Whether `lines[0]`, which has no tab, is the wrapped end of a cell in the row above: no
/// justified prose, no space above it, and a row follows within a few lines.
fn wrapped_cell(lines: &[Line]) -> bool {
    lines[0].fills != Some(true) && !lines[0].gap_before && lines.iter().skip(1).take(3).any(is_row)
}

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
