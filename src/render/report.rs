//! The editor's similarity report for people: the figure, the filters, the sources ranked, and
//! each matched stretch over its source's words, the differing words marked.

use std::fmt::Write as _;

use super::Style;
use crate::search::reuse::report::{Report, Stretch};

/// A share as a whole percentage, as reports print it (`23%`; `<1%` for a trace).
pub fn percent(share: f32) -> String {
    let p = (share * 100.0).round();
    if p == 0.0 && share > 0.0 {
        "<1%".to_string()
    } else {
        format!("{p:.0}%")
    }
}

/// The filters as a sentence: what was left out and how much.
pub fn filters_line(r: &Report) -> String {
    let f = &r.filters;
    let l = &r.left_out;
    let quotes = if f.quotes_included {
        "quotations counted".to_string()
    } else {
        format!("quotations left out ({} stretches)", l.quoted_stretches)
    };
    let bib = if f.bibliography_included {
        "bibliography counted".to_string()
    } else {
        format!("bibliography left out ({} words)", l.bibliography_words)
    };
    let docs = if f.excluded_docs.is_empty() {
        "no document excluded".to_string()
    } else {
        format!(
            "documents {} excluded ({} stretches)",
            f.excluded_docs.join(", "),
            l.excluded_doc_stretches
        )
    };
    format!(
        "stretches under {} words left out ({}); {quotes}; {bib}; {docs}",
        f.min_words, l.short_stretches
    )
}

/// What of the manuscript was not read, a line each: the figure covers the rest only.
pub(super) fn not_checked(r: &Report, st: Style) -> String {
    r.unread
        .iter()
        .map(|note| format!("{} {note}\n", st.bold("not checked:")))
        .collect()
}

/// `lines 4–7`, or `line 4` for one.
fn lines([a, b]: [usize; 2]) -> String {
    super::span("lines", "line", a, b)
}

/// `1 word`, `2 words`.
pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `text` with the character spans marked: coloured on a terminal, in brackets otherwise,
/// so that a piped or printed report still shows them.
fn marked(text: &str, spans: &[[usize; 2]], st: Style) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut pos = 0;
    for &[s, e] in spans {
        let (s, e) = (s.min(chars.len()), e.min(chars.len()));
        if s < pos {
            continue;
        }
        out.extend(&chars[pos..s]);
        let word: String = chars[s..e].iter().collect();
        if st.color {
            out.push_str(&st.accent(&word));
        } else {
            let _ = write!(out, "[{word}]");
        }
        pos = e;
    }
    out.extend(&chars[pos..]);
    out
}

/// The part `[s, e)` of `text` with `spans` (character offsets in `text`) marked.
fn part(text: &str, [s, e]: [usize; 2], spans: &[[usize; 2]], st: Style) -> String {
    let inner: String = text.chars().skip(s).take(e.saturating_sub(s)).collect();
    let shifted: Vec<[usize; 2]> = spans
        .iter()
        .filter(|x| x[0] >= s && x[1] <= e)
        .map(|x| [x[0] - s, x[1] - s])
        .collect();
    marked(&inner, &shifted, st)
}

fn stretch(out: &mut String, n: usize, s: &Stretch, r: &Report, st: Style) {
    let how = match (s.translated, s.quoted) {
        (true, _) => "translated, ",
        (_, true) => "quoted, ",
        _ => "",
    };
    let _ = writeln!(
        out,
        "{} paragraph {}, {} words, {how}{} · source {}",
        st.bold(&format!("[{n}]")),
        s.paragraph + 1,
        s.words,
        s.attribution.label(),
        s.source + 1
    );
    let p = &r.paragraphs[s.paragraph];
    let _ = writeln!(
        out,
        "    manuscript: {}",
        part(&p.text, s.span, &s.differs, st)
    );
    let page = s
        .passage
        .page
        .map_or(String::new(), |p| format!("p. {p}, "));
    let _ = writeln!(
        out,
        "    ← {} {}{}: {}",
        st.bold(&s.passage.passage_id),
        page,
        st.dim(&lines(s.passage.lines)),
        part(&s.passage_text, s.passage_span, &s.passage_differs, st)
    );
}

/// `pustaka check`: the report.
pub fn report(r: &Report, st: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} similarity index: {} of the manuscript's {} stand in {} from {}",
        st.bold(&percent(r.similarity_index)),
        r.matched_words,
        plural(r.words, "word", "words"),
        plural(r.stretches.len(), "matched stretch", "matched stretches"),
        plural(r.sources.len(), "source", "sources")
    );
    let _ = writeln!(out, "{}", st.dim(&format!("filters: {}", filters_line(r))));
    out.push_str(&not_checked(r, st));
    if !r.sources.is_empty() {
        let _ = writeln!(out, "\n{}", st.bold("Sources"));
    }
    for (i, src) in r.sources.iter().enumerate() {
        let who = src.cite_as.as_deref().unwrap_or("");
        let _ = writeln!(
            out,
            "{:>3}. {:>4}  {} {}{}",
            i + 1,
            percent(src.share),
            st.bold(&src.doc),
            who,
            st.dim(&format!(" · {}", src.title))
        );
        let passages: Vec<String> = src
            .passages
            .iter()
            .map(|p| {
                let page = p.page.map_or(String::new(), |n| format!("p. {n}, "));
                format!("{} ({page}{})", p.passage_id, lines(p.lines))
            })
            .collect();
        let _ = writeln!(
            out,
            "       {} in {}, {} citing it{}; {}",
            plural(src.words, "word", "words"),
            plural(src.stretches, "stretch", "stretches"),
            src.attributed,
            if src.translated > 0 {
                format!(", {} translated", src.translated)
            } else {
                String::new()
            },
            st.dim(&passages.join(", "))
        );
    }
    if !r.stretches.is_empty() {
        let _ = writeln!(
            out,
            "\n{} {}",
            st.bold("Stretches"),
            st.dim(if st.color {
                "(differing words highlighted)"
            } else {
                "(differing words in [brackets])"
            })
        );
    }
    for (i, s) in r.stretches.iter().enumerate() {
        stretch(&mut out, i + 1, s, r, st);
    }
    out
}
