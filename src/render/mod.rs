//! Render: plain data → what a person reads in a terminal.
//!
//! JSON output needs no code here (the model types serialize themselves); this module only
//! decides how passages and reports look to a human, with colour when the output is a terminal.
//! Search hits, passages, ingest, verify and stats reports are rendered here; citation listings
//! (text, CSV) in `cites`, bibliographies for reference managers (BibTeX, RIS, CSL-JSON) in
//! `bib`, reuse listings in `reuse`.

use std::fmt::Write;

use crate::model::{IngestReport, Passage};

/// ANSI styling, on or off for the stream written to.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Whether to emit ANSI codes. The CLI decides (`--color`, `NO_COLOR`, whether the stream
    /// is a terminal); the renderers only obey.
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
    /// Bold: ids and headings, what the eye looks for first.
    pub fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    /// Dim: titles, locations, notes, what is there for reference.
    pub fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    /// Bold yellow: a passage's kind and matched words.
    pub fn accent(&self, s: &str) -> String {
        self.paint("1;33", s)
    }
}

/// Where a passage stands: `BAB II — … › 2.1 Perspektif …`. A chapter that is also the
/// document's title (a thesis chapter file) is not said twice.
pub fn location(p: &Passage) -> String {
    let mut parts = Vec::new();
    if let Some(c) = p.chapter.as_ref().filter(|c| **c != p.title) {
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

/// Where a passage stands in words: `page 3, lines 12–20 · file lines 108–116` on a paged
/// source (the page's own line numbers are what a reader of the printed page counts), `lines
/// 8–45` in a file without pages; `· OCR` when the text was read by OCR (a reader should know
/// a word may be misread).
pub fn position(p: &Passage) -> String {
    let file = span("lines", "line", p.lines[0], p.lines[1]);
    let mut s = match (p.page, p.page_lines) {
        (Some(page), Some(lines)) => {
            format!("{} · file {file}", on_pages(page, p.page_end, lines))
        }
        (Some(page), None) => format!("{file} · page {page}"),
        (None, _) => file,
    };
    if p.ocr {
        s.push_str(" · OCR");
    }
    s
}

/// `page 3, lines 12–20`, or over a page break `page 3 line 40 – page 4 line 5`.
pub fn on_pages(page: u32, page_end: Option<u32>, [first, last]: [usize; 2]) -> String {
    match page_end.filter(|&e| e != page) {
        Some(end) => format!("page {page} line {first} – page {end} line {last}"),
        None => format!("page {page}, {}", span("lines", "line", first, last)),
    }
}

fn span(many: &str, one: &str, a: usize, b: usize) -> String {
    if a == b {
        format!("{one} {a}")
    } else {
        format!("{many} {a}–{b}")
    }
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
pub fn report(r: &IngestReport, st: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} files, {} documents, {} passages ({})",
        r.files,
        r.documents,
        r.passages,
        languages(&r.languages)
    );
    notes_and_skipped(&mut out, &r.no_text, &r.skipped, st);
    out
}

/// The summary of an index build.
pub fn build_report(r: &crate::index::BuildReport, st: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} documents, {} passages ({}); {} files indexed, {} unchanged, {} removed{}",
        r.documents,
        r.passages,
        languages(&r.languages),
        r.indexed_files,
        r.unchanged_files,
        r.removed_files,
        if r.rebuilt {
            "; built from scratch"
        } else {
            ""
        }
    );
    if let Some(why) = &r.repaired {
        let _ = writeln!(
            out,
            "  {} the live index could not be updated in place ({why}); it was rebuilt",
            st.bold("repaired:")
        );
    }
    notes_and_skipped(&mut out, &r.no_text, &r.skipped, st);
    out
}

/// Passages per language: `id 620, en 245`.
fn languages(counts: &std::collections::BTreeMap<String, usize>) -> String {
    let langs: Vec<String> = counts.iter().map(|(l, n)| format!("{l} {n}")).collect();
    langs.join(", ")
}

/// What a run read but could not search (no text) and what it skipped, and why.
fn notes_and_skipped(
    out: &mut String,
    no_text: &[crate::model::Skipped],
    skipped: &[crate::model::Skipped],
    st: Style,
) {
    for s in no_text {
        let _ = writeln!(out, "  {} {s}", st.dim("note:"));
    }
    if !skipped.is_empty() {
        let _ = writeln!(out, "{}", st.bold(&format!("skipped {}:", skipped.len())));
        for s in skipped {
            let _ = writeln!(out, "  {s}");
        }
    }
}

/// Text with its matched words highlighted (bold yellow with colour, plain without: the words
/// are where the query put them, and brackets would change the text a script greps).
fn highlighted(text: &str, marks: &[[usize; 2]], st: Style) -> String {
    let mut out = String::new();
    let mut pos = 0;
    for m in marks {
        if m[0] < pos || m[1] > text.len() {
            continue;
        }
        out.push_str(&text[pos..m[0]]);
        out.push_str(&st.accent(&text[m[0]..m[1]]));
        pos = m[1];
    }
    out.push_str(&text[pos..]);
    out
}

/// A hit's `snippet` for a terminal: the HTML the web page needs (`&amp;`, `<mark>`) turned
/// back into text, with the marked words highlighted as [`highlighted`] does.
pub fn snippet_text(snippet: &str, st: Style) -> String {
    let unescape = |s: &str| {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    };
    let mut out = String::new();
    let mut rest = snippet;
    while let Some((before, after)) = rest.split_once("<mark>") {
        out.push_str(&unescape(before));
        let (marked, tail) = after.split_once("</mark>").unwrap_or((after, ""));
        out.push_str(&st.accent(&unescape(marked)));
        rest = tail;
    }
    out.push_str(&unescape(rest));
    out
}

/// What the CLI knows about a listing of hits that the response does not carry.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchView {
    /// The whole passage under each hit instead of its snippet.
    pub full: bool,
    /// The page asked for, to say why no hit is listed when some match.
    pub limit: usize,
    /// Hits skipped first.
    pub offset: usize,
}

/// The line that stands for the hits when none is listed: how many match, and why none is
/// shown (`--limit 0` asks for the count alone, an `--offset` past the last hit for an empty
/// page), so an empty page is never mistaken for no match.
fn nothing_listed(r: &crate::search::SearchResponse, view: SearchView) -> String {
    if r.total == 0 {
        format!("no passage matches {:?} ({:.1} ms)", r.query, r.took_ms)
    } else if view.limit == 0 {
        format!(
            "{} passages match {:?} ({:.1} ms)",
            r.total, r.query, r.took_ms
        )
    } else {
        format!(
            "{} passages match {:?}, none listed on this page: --offset {} is past the last \
             ({:.1} ms)",
            r.total, r.query, view.offset, r.took_ms
        )
    }
}

/// Search results for a person: each hit's snippet, or with `view.full` its whole passage.
pub fn search(r: &crate::search::SearchResponse, st: Style, view: SearchView) -> String {
    let mut out = String::new();
    for n in &r.notes {
        let _ = writeln!(out, "{} {n}", st.dim("note:"));
    }
    if r.hits.is_empty() {
        let _ = writeln!(out, "{}", nothing_listed(r, view));
        return out;
    }
    for h in &r.hits {
        out.push_str(&hit(h, st, view));
    }
    let _ = writeln!(
        out,
        "{}",
        st.dim(&format!(
            "{} to {} of {} passages ({:.1} ms)",
            view.offset + 1,
            view.offset + r.hits.len(),
            r.total,
            r.took_ms
        ))
    );
    out
}

/// One hit: its id, kind and place, its document, then its snippet or whole text, and, when
/// passages per document are capped, how many more of its document's match.
fn hit(h: &crate::search::Hit, st: Style, view: SearchView) -> String {
    let mut out = String::new();
    let p = &h.passage;
    let _ = writeln!(
        out,
        "{}  {}{} · {} · {} · {}",
        st.bold(&h.id),
        st.accent(h.kind.as_str()),
        if h.formulaic { " (formulaic)" } else { "" },
        h.lang,
        position(p),
        st.dim(&format!("score {:.2}", h.score))
    );
    let loc = location(p);
    let _ = writeln!(
        out,
        "  {}{}{}",
        h.cite_as
            .as_deref()
            .map_or(String::new(), |c| format!("{c} · ")),
        st.dim(&h.title),
        if loc.is_empty() {
            String::new()
        } else {
            st.dim(&format!(" › {loc}"))
        }
    );
    let text = if view.full {
        highlighted(&h.text, &h.highlights, st)
    } else {
        snippet_text(&h.snippet, st)
    };
    let _ = writeln!(out, "  {text}");
    if !h.via.is_empty() {
        let pairs: Vec<String> = h
            .via
            .iter()
            .map(|v| format!("{} → {}", v.word, v.to))
            .collect();
        let _ = writeln!(
            out,
            "  {}",
            st.dim(&format!("through translation: {}", pairs.join(", ")))
        );
    }
    out.push('\n');
    if let Some(c) = &h.cite {
        out.push_str(&cited(c, st));
        out.push('\n');
    }
    if h.more > 0 {
        let _ = writeln!(
            out,
            "  {}\n",
            st.dim(&format!(
                "{} more from this document (--doc {})",
                h.more, h.passage.doc
            ))
        );
    }
    out
}

/// `search --docs`: each document with how many of its passages match, then its best one.
pub fn search_docs(r: &crate::search::group::DocsResponse, st: Style, view: SearchView) -> String {
    let mut out = String::new();
    for n in &r.notes {
        let _ = writeln!(out, "{} {n}", st.dim("note:"));
    }
    if r.docs.is_empty() {
        let _ = writeln!(
            out,
            "no document listed: {} passages in {} documents match",
            r.total, r.total_docs
        );
        return out;
    }
    for d in &r.docs {
        let _ = writeln!(
            out,
            "{}  {} · {}",
            st.bold(&d.doc),
            d.title,
            st.accent(&format!(
                "{} matching passage{}",
                d.matches,
                if d.matches == 1 { "" } else { "s" }
            ))
        );
        for line in hit(&d.best, st, view).lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    let _ = writeln!(
        out,
        "{}",
        st.dim(&format!(
            "{} to {} of {} documents, {} passages ({:.1} ms)",
            view.offset + 1,
            view.offset + r.docs.len(),
            r.total_docs,
            r.total,
            r.took_ms
        ))
    );
    out
}

/// A passage's citation: in-text, APA, then the BibTeX record indented.
pub fn cited(c: &crate::model::Cited, st: Style) -> String {
    let mut out = format!(
        "  {} {}\n  {} {}\n",
        st.dim("cite:"),
        c.in_text,
        st.dim("APA: "),
        c.apa
    );
    for line in c.bibtex.lines() {
        let _ = writeln!(out, "    {line}");
    }
    out
}

/// The documents of the index, each with its authors and year, journal and keywords.
pub fn docs(d: &crate::api::Docs, st: Style) -> String {
    let mut out = String::new();
    for doc in &d.docs {
        let m = &doc.meta;
        let _ = writeln!(out, "{}  {}", st.bold(&doc.id), doc.title);
        let mut about = Vec::new();
        about.extend(doc.cite_as.clone());
        if let Some(j) = &m.journal {
            let vol = match (&m.volume, &m.issue) {
                (Some(v), Some(i)) => format!(" {v}({i})"),
                (Some(v), None) => format!(" {v}"),
                _ => String::new(),
            };
            about.push(format!("{j}{vol}"));
        }
        match (&doc.cite_as, m.year, m.year_basis.as_deref()) {
            (None, Some(y), Some("stated")) => about.push(y.to_string()),
            (None, Some(y), Some(b)) => about.push(format!("{y} (year from the {b})")),
            (Some(_), Some(_), Some(b)) if b != "stated" => {
                about.push(format!("year from the {b}"))
            }
            _ => {}
        }
        if !about.is_empty() {
            let _ = writeln!(out, "  {}", about.join(" · "));
        }
        if !m.authors.is_empty() {
            let _ = writeln!(out, "  {} {}", st.dim("authors:"), m.authors.join("; "));
        }
        for a in &m.affiliations {
            let _ = writeln!(out, "  {} {a}", st.dim("affiliation:"));
        }
        if !m.keywords.is_empty() {
            let _ = writeln!(out, "  {} {}", st.dim("keywords:"), m.keywords.join("; "));
        }
    }
    let _ = writeln!(out, "{} documents", d.docs.len());
    out
}

/// A passage in its context, for `pustaka show`.
pub fn context(c: &crate::index::Context, st: Style) -> String {
    let mut out = String::new();
    for p in &c.before {
        let _ = writeln!(out, "{}", st.dim(&passage(p, Style { color: false })));
    }
    let _ = writeln!(out, "{}", passage(&c.passage, st));
    for p in &c.after {
        let _ = writeln!(out, "{}", st.dim(&passage(p, Style { color: false })));
    }
    out
}

/// What an index holds.
/// The roots of an index, for `pustaka index --list-roots`.
pub fn roots(roots: &[crate::index::RootInfo], st: Style) -> String {
    let mut out = String::new();
    for r in roots {
        let _ = writeln!(
            out,
            "{}  {} files, {} documents{}",
            st.bold(&r.path),
            r.files,
            r.documents,
            if r.exists {
                ""
            } else {
                "  (gone: --prune or --remove-root drops it)"
            }
        );
    }
    if roots.is_empty() {
        out.push_str("no roots recorded\n");
    }
    out
}

/// What `pustaka verify` found.
pub fn verify(r: &crate::index::VerifyReport, st: Style) -> String {
    let mut out = String::new();
    if r.ok {
        let _ = writeln!(
            out,
            "ok: {} documents, {} passages, {} files checked ({})",
            r.documents,
            r.passages,
            r.files_checked,
            r.generation.as_deref().unwrap_or("")
        );
    } else {
        let _ = writeln!(out, "{}", st.bold("the index is damaged or incomplete:"));
        for p in &r.problems {
            let _ = writeln!(out, "  {p}");
        }
        out.push_str("rebuild it with `pustaka index --rebuild`\n");
    }
    for n in &r.notes {
        let _ = writeln!(out, "  {} {n}", st.dim("note:"));
    }
    out
}

/// `pustaka stats`: what the index holds, one figure a line; the size in MB (10⁶ bytes).
pub fn stats(s: &crate::index::Stats, st: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", st.bold(&format!("index at {}", s.dir.display())));
    let _ = writeln!(out, "  files      {}", s.files);
    let _ = writeln!(out, "  documents  {}", s.documents);
    let _ = writeln!(out, "  passages   {}", s.passages);
    let langs: Vec<String> = s
        .languages
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    let _ = writeln!(out, "  languages  {}", langs.join(", "));
    let kinds: Vec<String> = s.kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let _ = writeln!(out, "  kinds      {}", kinds.join(", "));
    let _ = writeln!(out, "  segments   {}", s.segments);
    let _ = writeln!(out, "  size       {:.1} MB", s.size_bytes as f64 / 1e6);
    let tokens: Vec<String> = s.tokens.iter().map(|(f, n)| format!("{f} {n}")).collect();
    let _ = writeln!(out, "  words      {}", tokens.join(", "));
    out
}

/// A passage as `passages --json --fingerprints` prints it: every field `--json` prints, and
/// its fingerprints as 16 hex digits each (JSON numbers lose 64-bit integers in many readers,
/// Spark's among them: its longs are signed).
#[derive(serde::Serialize)]
pub struct WithFingerprints<'a> {
    #[serde(flatten)]
    passage: &'a Passage,
    fingerprints: Vec<String>,
}

impl<'a> WithFingerprints<'a> {
    /// The passage with its fingerprints.
    pub fn of(passage: &'a Passage) -> WithFingerprints<'a> {
        WithFingerprints {
            fingerprints: passage
                .fingerprints
                .iter()
                .map(|h| format!("{h:016x}"))
                .collect(),
            passage,
        }
    }
}

pub mod bib;
mod cites;
pub mod report;
pub mod report_html;
mod reuse;
pub use bib::{refs_bibtex, refs_csl, refs_ris};
pub use cites::{cites, refs_csv, refs_text, top_works};
pub use reuse::{check, dupes};

/// A document's bibliography in `format`: what `pustaka refs --format` prints and
/// `/api/refs?format=` answers, byte for byte (the server writes text without colour).
pub fn refs(
    r: &crate::search::cites::RefsReport,
    format: crate::api::RefsFormat,
    st: Style,
) -> String {
    use crate::api::RefsFormat;
    match format {
        RefsFormat::Text => refs_text(r, st),
        RefsFormat::Json => serde_json::to_string(r).map_or_else(|e| e.to_string(), |j| j + "\n"),
        RefsFormat::Csv => refs_csv(r),
        RefsFormat::Bibtex => refs_bibtex(r),
        RefsFormat::Ris => refs_ris(r),
        RefsFormat::CslJson => refs_csl(r),
    }
}
