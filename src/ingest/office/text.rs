//! The text both readers write: paragraphs, headings, list items, table rows and notes, laid
//! out as the module doc of [`super`] says.

/// Headings longer than this are paragraphs given a heading style (a layout trick, or a whole
/// paragraph kept with the next), not titles.
const MAX_HEADING_CHARS: usize = 250;

/// How many notes the segmenter can number (it reads up to three digits).
const MAX_NOTES: u32 = 999;

/// One paragraph's text as its runs give it, white space collapsed, with the places of its
/// note references.
#[derive(Debug, Default, Clone)]
pub(super) struct Para {
    pub(super) text: String,
    /// `(byte offset in text, note number)`.
    pub(super) marks: Vec<(usize, u32)>,
}

impl Para {
    /// Append text: any run of white space (tabs and line breaks inside a paragraph too)
    /// becomes one space, and control characters go.
    pub(super) fn push_str(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_whitespace() {
                if !self.text.is_empty() && !self.text.ends_with(' ') {
                    self.text.push(' ');
                }
            } else if !c.is_control() && c != '\u{AD}' {
                self.text.push(c);
            }
        }
    }

    pub(super) fn mark(&mut self, note: u32) {
        self.marks.push((self.text.len(), note));
    }

    /// Another paragraph's text after this one's (the paragraphs of a table cell or a note).
    pub(super) fn append(&mut self, other: Para) {
        if !self.text.is_empty() && !other.text.is_empty() {
            self.push_str(" ");
        }
        let base = self.text.len();
        self.text.push_str(&other.text);
        self.marks
            .extend(other.marks.into_iter().map(|(at, n)| (base + at, n)));
    }

    fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// The document's text as it is written, and its notes.
#[derive(Debug, Default)]
pub(super) struct Writer {
    blocks: Vec<String>,
    notes: Vec<String>,
}

impl Writer {
    /// Number a note: the next number, its text kept for the end. `None` past what the
    /// segmenter can number: the note's text then stays out.
    pub(super) fn note(&mut self, text: Para) -> Option<u32> {
        let n = u32::try_from(self.notes.len() + 1).ok()?;
        (n <= MAX_NOTES).then(|| {
            self.notes.push(text.text.trim().to_string());
            n
        })
    }

    /// A heading of `level` (1 for the top), with its number if the document numbers it.
    pub(super) fn heading(&mut self, level: usize, label: &str, para: Para) {
        let len = para.text.chars().count();
        if para.is_blank() || len > MAX_HEADING_CHARS {
            return self.paragraph(label, para);
        }
        let hashes = "#".repeat(level.clamp(1, 6));
        let title = join_label(label, para.text.trim());
        // A heading's markers stand after it: the segmenter ends a heading at its line.
        let mut lines = vec![format!("{hashes} {title}")];
        lines.extend(para.marks.iter().map(|(_, n)| n.to_string()));
        self.blocks.push(lines.join("\n"));
    }

    /// A paragraph (or list item, `label` its bullet or number), its note markers each on a
    /// line of its own where the reference stands.
    pub(super) fn paragraph(&mut self, label: &str, para: Para) {
        if para.is_blank() && para.marks.is_empty() {
            return;
        }
        if is_rule(&para.text) {
            // A line of underscores or dashes is a footnote rule to the segmenter.
            return;
        }
        let mut lines = Vec::new();
        let mut last = 0;
        for &(at, n) in &para.marks {
            push_segment(&mut lines, &para.text[last..at]);
            lines.push(n.to_string());
            last = at;
        }
        push_segment(&mut lines, &para.text[last..]);
        if let Some(first) = lines.first_mut() {
            *first = join_label(label, first);
        }
        self.blocks.push(lines.join("\n"));
    }

    /// A table: one line a row, its cells separated by tabs; the markers of its notes after it.
    pub(super) fn table(&mut self, rows: Vec<Vec<Para>>) {
        let mut lines = Vec::new();
        let mut marks = Vec::new();
        for row in rows {
            let cells: Vec<String> = row
                .into_iter()
                .map(|cell| {
                    marks.extend(cell.marks.iter().map(|(_, n)| n.to_string()));
                    cell.text.trim().replace('\t', " ")
                })
                .collect();
            if cells.iter().any(|c| !c.is_empty()) {
                lines.push(cells.join("\t"));
            }
        }
        if lines.is_empty() {
            return;
        }
        lines.extend(marks);
        self.blocks.push(lines.join("\n"));
    }

    /// The whole text: the blocks, a blank line between two, then the notes after a rule.
    pub(super) fn finish(self) -> String {
        let mut out = self.blocks.join("\n\n");
        if !self.notes.is_empty() {
            out.push_str("\n\n__________\n");
            for (i, note) in self.notes.iter().enumerate() {
                out.push_str(format!("{} {note}", i + 1).trim_end());
                out.push('\n');
            }
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out
    }
}

fn push_segment(lines: &mut Vec<String>, segment: &str) {
    let segment = segment.trim();
    if !segment.is_empty() {
        lines.push(segment.to_string());
    }
}

fn join_label(label: &str, text: &str) -> String {
    match (label.trim(), text) {
        ("", t) => t.to_string(),
        (l, "") => l.to_string(),
        (l, t) => format!("{l} {t}"),
    }
}

/// Only rule characters: a drawn line, not text.
fn is_rule(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() >= 3
        && t.chars()
            .all(|c| matches!(c, '_' | '-' | '=' | '*' | '—' | '–'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(parts: &[&str]) -> Para {
        let mut p = Para::default();
        for part in parts {
            match part.strip_prefix('^') {
                Some(_) => {
                    let n = p.marks.len() as u32 + 1;
                    p.mark(n)
                }
                None => p.push_str(part),
            }
        }
        p
    }

    #[test]
    fn markers_stand_on_lines_of_their_own_and_notes_come_last() {
        let mut w = Writer::default();
        w.heading(2, "2.1", para(&["Latar  Belakang", "^"]));
        w.paragraph(
            "",
            para(&[
                "Prostitusi anak (orangtua,\tguru, dll).",
                "^",
                " Prostitusi anak berawal.",
            ]),
        );
        w.paragraph("-", para(&["Butir ", "^"]));
        w.paragraph("", para(&["__________"]));
        w.table(vec![vec![para(&["Tahun"]), para(&["Kasus", "^"])]]);
        for _ in 0..4 {
            w.note(para(&["Estes,\nRichard J. 2001."]));
        }
        assert_eq!(
            w.finish(),
            "## 2.1 Latar Belakang\n1\n\n\
             Prostitusi anak (orangtua, guru, dll).\n1\nProstitusi anak berawal.\n\n\
             - Butir\n1\n\n\
             Tahun\tKasus\n1\n\n\
             __________\n1 Estes, Richard J. 2001.\n2 Estes, Richard J. 2001.\n\
             3 Estes, Richard J. 2001.\n4 Estes, Richard J. 2001.\n"
        );
    }

    #[test]
    fn a_long_heading_is_a_paragraph() {
        let mut w = Writer::default();
        w.heading(1, "", para(&["kata ".repeat(60).as_str()]));
        assert!(!w.finish().starts_with('#'));
    }
}
