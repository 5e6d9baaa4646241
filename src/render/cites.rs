//! Citation listings for people (text) and for other tools (CSV); BibTeX, RIS and CSL-JSON
//! are in `bib`.

use std::fmt::Write as _;

use super::Style;
use crate::search::cites::{CitesResponse, Occurrence, RefsReport, WorkCount};

fn who(authors: &[String], year: Option<&str>) -> String {
    let names = match authors.len() {
        0 => "?".to_string(),
        1 => authors[0].clone(),
        2 => format!("{} & {}", authors[0], authors[1]),
        _ => format!("{} et al.", authors[0]),
    };
    format!("{names} ({})", year.unwrap_or("n.d."))
}

fn place(o: &Occurrence) -> String {
    let mut parts = vec![o.at.doc.clone()];
    if let Some(s) = o.at.section.as_ref().or(o.at.section_title.as_ref()) {
        parts.push(s.clone());
    }
    parts.push(format!("line {}", o.line));
    parts.join(" · ")
}

/// `pustaka cites`: one block per occurrence.
pub fn cites(r: &CitesResponse, st: Style) -> String {
    let mut out = String::new();
    if r.citations.is_empty() && r.total == 0 {
        let _ = writeln!(out, "no citations match");
        return out;
    }
    for o in &r.citations {
        let _ = writeln!(
            out,
            "{}  {}  {}",
            st.bold(&who(&o.authors, o.year.as_deref())),
            st.dim(&place(o)),
            st.dim(&o.at.passage_id)
        );
        let _ = writeln!(out, "    {}", o.raw);
        match &o.entry {
            Some(e) => {
                let _ = writeln!(out, "    {} {}", st.dim("→"), e.text);
            }
            None => {
                let _ = writeln!(out, "    {}", st.dim("→ no bibliography entry"));
            }
        }
    }
    let shown = match r.offset {
        Some(o) if r.citations.is_empty() => {
            format!("{} citations; none listed from offset {o}", r.total)
        }
        Some(o) if r.citations.len() < r.total => format!(
            "{} citations; listed {}–{} (--offset, --limit for others)",
            r.total,
            (o + 1).min(r.total),
            o + r.citations.len()
        ),
        _ => format!("{} citations", r.total),
    };
    let _ = writeln!(out, "{}", st.dim(&shown));
    out
}

/// `pustaka cites --top N`.
pub fn top_works(works: &[WorkCount], st: Style) -> String {
    let mut out = String::new();
    for (i, w) in works.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:>3}. {}  {} citations in {} passages, {} documents",
            i + 1,
            st.bold(&who(&w.authors, w.year.as_deref())),
            w.citations,
            w.passages,
            w.documents
        );
        if let Some(t) = &w.title {
            let _ = writeln!(out, "     {t}");
        }
        let _ = writeln!(
            out,
            "     {}",
            st.dim(&format!("work:{}  {}", w.work, w.docs.join(", ")))
        );
    }
    out
}

/// `pustaka refs DOC`: the bibliography, then what does not match.
pub fn refs_text(r: &RefsReport, st: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}", st.bold(&r.doc), r.title);
    let mut sublist: Option<&str> = None;
    for e in &r.entries {
        if e.sublist.as_deref() != sublist {
            sublist = e.sublist.as_deref();
            if let Some(s) = sublist {
                let _ = writeln!(out, "  {}", st.bold(s));
            }
        }
        let count = match e.cited {
            0 => st.accent("never cited"),
            1 => "cited once".to_string(),
            n => format!("cited {n}×"),
        };
        let _ = writeln!(
            out,
            "  [{}] {}  {}  {}",
            e.entry.index,
            st.bold(&who(&e.entry.authors, e.entry.year.as_deref())),
            count,
            st.dim(&format!("line {}", e.entry.lines[0]))
        );
        let _ = writeln!(out, "      {}", e.entry.text);
    }
    let _ = writeln!(out, "\n{}", refs_summary(r));
    for o in &r.unmatched {
        let _ = writeln!(
            out,
            "  {} {}  {}",
            st.accent("unmatched:"),
            who(&o.authors, o.year.as_deref()),
            st.dim(&format!("{} line {}  {}", o.at.passage_id, o.line, o.raw))
        );
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// CSV: one row per entry, then one per citation that matches no entry (`status` tells).
pub fn refs_csv(r: &RefsReport) -> String {
    let mut out = String::from(
        "status,index,authors,year,title,container,url,doi,sublist,cited,cited_by,line,work,text\n",
    );
    let row = |cols: &[String]| {
        cols.iter()
            .map(|c| csv_field(c))
            .collect::<Vec<_>>()
            .join(",")
            + "\n"
    };
    for e in &r.entries {
        out.push_str(&row(&[
            if e.cited > 0 { "cited" } else { "uncited" }.into(),
            e.entry.index.to_string(),
            e.entry.authors.join("; "),
            e.entry.year.clone().unwrap_or_default(),
            e.entry.title.clone().unwrap_or_default(),
            e.container.clone().unwrap_or_default(),
            e.entry.url.clone().unwrap_or_default(),
            e.doi.clone().unwrap_or_default(),
            e.sublist.clone().unwrap_or_default(),
            e.cited.to_string(),
            e.cited_by.join(" "),
            e.entry.lines[0].to_string(),
            e.work.clone(),
            e.entry.text.clone(),
        ]));
    }
    for o in &r.unmatched {
        out.push_str(&row(&[
            "unmatched".into(),
            String::new(),
            o.authors.join("; "),
            o.year.clone().unwrap_or_default(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            o.at.passage_id.clone(),
            o.line.to_string(),
            o.work.clone(),
            o.raw.clone(),
        ]));
    }
    out
}

/// `12 entries, 1 never cited, 2 citations match no entry`
pub(super) fn refs_summary(r: &RefsReport) -> String {
    format!(
        "{} entries, {} never cited, {} citations match no entry",
        r.entries.len(),
        r.uncited.len(),
        r.unmatched.len()
    )
}
