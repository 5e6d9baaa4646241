//! Render: plain data → what a person reads in a terminal.
//!
//! JSON output needs no code here (the model types serialize themselves); this module only
//! decides how passages and reports look to a human, with colour when the output is a terminal.

use std::fmt::Write;

use crate::ingest::Report;
use crate::model::Passage;

/// ANSI styling that switches off when the output is piped.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    pub fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    pub fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    pub fn accent(&self, s: &str) -> String {
        self.paint("1;33", s)
    }
}

/// Where a passage stands: `BAB II — … › 2.1 Perspektif …`.
pub fn location(p: &Passage) -> String {
    let mut parts = Vec::new();
    if let Some(c) = &p.chapter {
        parts.push(c.clone());
    }
    match (&p.section, &p.section_title) {
        (Some(n), Some(t)) => parts.push(format!("{n} {t}")),
        (Some(n), None) => parts.push(n.clone()),
        (None, Some(t)) => parts.push(t.clone()),
        (None, None) => {}
    }
    parts.join(" › ")
}

/// `lines 8–45 · page 3`
pub fn position(p: &Passage) -> String {
    let mut s = if p.lines[0] == p.lines[1] {
        format!("line {}", p.lines[0])
    } else {
        format!("lines {}–{}", p.lines[0], p.lines[1])
    };
    if let Some(page) = p.page {
        let _ = write!(s, " · page {page}");
    }
    s
}

/// A passage with all its fields, for `pustaka passages`.
pub fn passage(p: &Passage, st: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  {} · {} · {}",
        st.bold(&p.id),
        st.accent(p.kind.as_str()),
        p.lang,
        position(p)
    );
    let loc = location(p);
    let _ = writeln!(
        out,
        "  {}{}",
        st.dim(&p.title),
        if loc.is_empty() {
            String::new()
        } else {
            st.dim(&format!(" › {loc}"))
        }
    );
    if !p.footnotes.is_empty() {
        let notes: Vec<String> = p.footnotes.iter().map(u32::to_string).collect();
        let _ = writeln!(
            out,
            "  {}",
            st.dim(&format!("footnotes: {}", notes.join(", ")))
        );
    }
    let _ = writeln!(out, "  {}", p.text);
    out
}

/// The summary of an ingest run, with every skipped file and why.
pub fn report(r: &Report, st: Style) -> String {
    let mut out = String::new();
    let langs: Vec<String> = r
        .languages
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    let _ = writeln!(
        out,
        "{} files, {} documents, {} passages ({})",
        r.files,
        r.documents,
        r.passages,
        langs.join(", ")
    );
    for s in &r.no_text {
        let _ = writeln!(out, "  {} {s}", st.dim("note:"));
    }
    if !r.skipped.is_empty() {
        let _ = writeln!(out, "{}", st.bold(&format!("skipped {}:", r.skipped.len())));
        for s in &r.skipped {
            let _ = writeln!(out, "  {s}");
        }
    }
    out
}
