//! The editor's similarity report as one HTML file to attach to a decision letter: the figure,
//! the manuscript with every matched stretch in its source's colour beside the sources ranked,
//! then each stretch over its source's words, as iThenticate and Turnitin users are used to.
//!
//! One file and nothing fetched: an attachment is opened offline, years later, in mail clients
//! that block remote content, so the styles and the small script are inline and the page reads
//! whole with scripts off (plain anchors link each highlight to its detail and back). Nothing
//! varies but the report (no date, no counter, no map order), so a report gives the same bytes
//! every time and two runs can be compared with `diff`.

use std::fmt::Write as _;

use super::report::{filters_line, percent, plural};
use crate::model::Location;
use crate::search::reuse::report::{Attribution, Report, ReportParagraph, Source, Stretch};

/// Source colours by rank, cycling past the last: a light fill black text stays legible on,
/// and a dark edge drawn under the highlight so that a black-and-white print still shows where
/// a stretch runs (its superscript number says whose it is).
const PALETTE: [(&str, &str); 10] = [
    ("#ffc9c9", "#c62828"),
    ("#c9dcff", "#1f5fbf"),
    ("#c8efc8", "#2e7d32"),
    ("#ffdcb3", "#d35400"),
    ("#e4d2ff", "#6a1b9a"),
    ("#bfeee8", "#00796b"),
    ("#fff0a0", "#9a7b00"),
    ("#ffd0ea", "#ad1457"),
    ("#e6d6c6", "#6d4c41"),
    ("#d5dde5", "#37474f"),
];

/// The page's styles, the palette's rules aside (see [`palette_css`]).
const STYLE: &str = r#"
:root{color-scheme:light}
*{box-sizing:border-box}
html{scroll-behavior:smooth}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:#1a1a1a;background:#fff}
header.top{display:flex;gap:1.5rem;align-items:center;padding:1.25rem 1.5rem;border-bottom:2px solid #333}
.index{text-align:center;min-width:7.5rem}
.index .big{display:block;font-size:3.4rem;font-weight:700;line-height:1}
.index .lbl{font-size:.75rem;text-transform:uppercase;letter-spacing:.06em;color:#555}
h1{font-size:1.3rem;margin:0 0 .3rem}
h1 .doc{font-weight:400;overflow-wrap:anywhere}
h2{font-size:1.05rem;margin:0 0 .6rem;text-transform:uppercase;letter-spacing:.05em;color:#444}
.summary{margin:.1rem 0;font-size:1.05rem}
.filters{margin:.2rem 0 0;color:#555;font-size:.85rem}
.unread{margin:.2rem 0 0;color:#8a1c1c;font-size:.85rem}
.cols{display:grid;grid-template-columns:minmax(0,3fr) minmax(17rem,2fr);gap:2rem;padding:1.25rem 1.5rem}
.manuscript{grid-column:1;grid-row:1}
aside.sources{grid-column:2;grid-row:1;position:sticky;top:0;align-self:start;max-height:100vh;overflow:auto;padding-bottom:1rem}
.para{font-family:Georgia,"Times New Roman",serif;font-size:1.02rem;line-height:1.7;margin:0 0 .9em}
.para.k-heading{font-weight:700}
.para.excluded{color:#8a8a8a}
.note{display:inline-block;font:.72rem/1.4 system-ui,sans-serif;color:#555;border:1px solid #bbb;border-radius:3px;padding:0 .35em;margin-right:.4em;vertical-align:.1em}
a.hit,a.also{color:inherit;text-decoration:none}
mark.hl{color:inherit;padding:.05em .08em;border-bottom:2px solid}
sup.sn{font:700 .66rem system-ui,sans-serif;margin-left:.1em;color:#222}
a.hit:target mark.hl,a.also:target sup{outline:2px solid #222}
.faded mark.hl{background:none!important;border-bottom-color:transparent!important}
.faded sup.sn{color:#aaa}
.stretch.faded{opacity:.45}
ol.srcs{list-style:none;margin:0;padding:0}
li.source{border-top:1px solid #ddd;padding:.55rem 0}
.srow{display:flex;align-items:center;gap:.5rem}
.sw{display:inline-block;width:1rem;height:1rem;border:2px solid;border-radius:3px;flex:none;vertical-align:-.15em}
.rank{font-weight:700}
.share{font-weight:700;font-size:1.15rem;margin-left:auto}
code{font:.85em ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;overflow-wrap:anywhere}
.cite{font-weight:600}
.stitle{color:#333}
.counts,.plist,.slinks{font-size:.82rem;color:#555}
.plist{margin:.2rem 0 0;padding-left:1.1rem}
.pick{font:inherit;font-size:.75rem;padding:0 .4em;cursor:pointer}
.pick[aria-pressed="true"]{background:#222;color:#fff}
section.details{padding:0 1.5rem 2rem}
.legend{font-size:.85rem;color:#555;margin:0 0 .8rem}
.stretch{border:1px solid #ccc;border-left:6px solid;border-radius:4px;margin:0 0 1rem;padding:.6rem 1rem .8rem;break-inside:avoid}
.stretch:target{outline:3px solid #222}
.stretch h3{font-size:1rem;margin:0;display:flex;flex-wrap:wrap;gap:.45rem;align-items:center}
.stretch .meta{font-size:.85rem;color:#444;margin:.2rem 0 .5rem}
.flag,.att{display:inline-block;font-size:.75rem;font-weight:600;border-radius:3px;padding:0 .4em;border:1px solid}
.att-attributed{color:#1b5e20}
.att-cites_other{color:#8a5a00}
.att-uncited{color:#b71c1c}
.flag{color:#333}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.pair h4{font-size:.72rem;text-transform:uppercase;letter-spacing:.06em;color:#666;margin:0 0 .2rem}
.pair blockquote{margin:0;font-family:Georgia,"Times New Roman",serif;line-height:1.6;background:#fafafa;border:1px solid #e2e2e2;border-radius:3px;padding:.4rem .6rem}
.loc{font-size:.8rem;color:#555;margin:.3rem 0 0}
mark.diff{background:#ffe27a;color:inherit;font-weight:700;border-bottom:1px dashed #7a5c00}
.flash{animation:flash 1.6s ease-out}
@keyframes flash{0%{background:#fff59d}100%{background:transparent}}
@media (max-width:60rem){.cols{grid-template-columns:1fr}.manuscript,aside.sources{grid-column:1;grid-row:auto}aside.sources{position:static;max-height:none}}
@media (max-width:40rem){.pair{grid-template-columns:1fr}header.top{flex-direction:column;align-items:flex-start}}
@media (prefers-reduced-motion:reduce){html{scroll-behavior:auto}.flash{animation:none}}
@page{margin:1.6cm}
@media print{
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
html{scroll-behavior:auto}
body{font-size:10pt}
header.top{padding:0 0 .6rem}
.cols{display:block;padding:.8rem 0}
aside.sources{position:static;max-height:none;overflow:visible;margin-bottom:1rem}
section.details{padding:0}
li.source{break-inside:avoid}
h2,h3{break-after:avoid}
.pick{display:none}
a{color:inherit;text-decoration:none}
.stretch:target,a.hit:target mark.hl,a.also:target sup{outline:none}
}
"#;

/// Flashes the detail a highlight leads to (and the highlight a detail leads back to), and
/// lets the editor show one source's stretches alone. The buttons are hidden until it runs, so
/// a page read with scripts off offers nothing that does not work.
const SCRIPT: &str = r##"
(function(){
  function flash(id){
    var t=document.getElementById(id);
    if(!t)return;
    t.classList.remove('flash');void t.offsetWidth;t.classList.add('flash');
  }
  function focus(k){
    document.querySelectorAll('.hit,.also,.stretch').forEach(function(e){
      e.classList.toggle('faded',k!==''&&e.getAttribute('data-source')!==k);
    });
    document.querySelectorAll('.pick').forEach(function(b){
      b.setAttribute('aria-pressed',String(b.getAttribute('data-source')===k));
    });
  }
  document.querySelectorAll('.pick').forEach(function(b){b.hidden=false;});
  document.addEventListener('click',function(e){
    var b=e.target.closest('.pick');
    if(b){focus(b.getAttribute('aria-pressed')==='true'?'':b.getAttribute('data-source'));return;}
    var a=e.target.closest('a[href^="#"]');
    if(a)flash(a.getAttribute('href').slice(1));
  });
})();
"##;

/// The similarity report as a self-contained HTML5 page; `title` names what was checked (the
/// manuscript's file name). The sources come first in the markup and are placed on the right
/// by the stylesheet, so that a print or a narrow screen shows them before the long manuscript.
pub fn report_html(r: &Report, title: &str) -> String {
    let mut out = String::new();
    head(&mut out, title);
    header(&mut out, r, title);
    out.push_str("<div class=\"cols\">\n");
    sources(&mut out, r);
    manuscript(&mut out, r);
    out.push_str("</div>\n");
    details(&mut out, r);
    let _ = write!(out, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

/// Text made safe in an element or a quoted attribute ([`crate::text::escape_html`]).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    crate::text::escape_html(s, &mut out);
    out
}

/// [`escape`] over characters: the report's spans count characters, not bytes.
fn escape_chars(chars: &[char]) -> String {
    escape(&chars.iter().collect::<String>())
}

/// The colour class of the source of rank `k` (0-based).
fn colour(k: usize) -> usize {
    k % PALETTE.len()
}

/// One rule per colour, from [`PALETTE`], so that the palette is stated once.
fn palette_css() -> String {
    let mut css = String::new();
    for (i, (fill, edge)) in PALETTE.iter().enumerate() {
        let _ = writeln!(
            css,
            "mark.c{i}{{background:{fill};border-bottom-color:{edge}}}\
             .sw.c{i}{{background:{fill};border-color:{edge}}}\
             .stretch.c{i}{{border-left-color:{edge}}}"
        );
    }
    css
}

fn head(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"pustaka\">\n\
         <title>Similarity report: {}</title>\n<style>{STYLE}{}</style>\n</head>\n<body>\n",
        escape(title),
        palette_css()
    );
}

/// The figure first and large, as editors look for it, then what it counts and what the
/// filters left out (a figure without its filters cannot be compared with another).
fn header(out: &mut String, r: &Report, title: &str) {
    let _ = write!(
        out,
        "<header class=\"top\">\n<div class=\"index\"><span class=\"big\">{}</span>\
         <span class=\"lbl\">similarity index</span></div>\n<div>\n\
         <h1>Similarity report: <span class=\"doc\">{}</span></h1>\n\
         <p class=\"summary\">{} of {} in {} from {}</p>\n\
         <p class=\"filters\">Filters: {}</p>\n{}</div>\n</header>\n",
        escape(&percent(r.similarity_index)),
        escape(title),
        r.matched_words,
        plural(r.words, "word", "words"),
        plural(r.stretches.len(), "matched stretch", "matched stretches"),
        plural(r.sources.len(), "source", "sources"),
        escape(&filters_line(r)),
        unread(r)
    );
}

/// What of the manuscript was not read, where the figure is: it covers the rest only.
fn unread(r: &Report) -> String {
    r.unread
        .iter()
        .map(|note| format!("<p class=\"unread\">Not checked: {}</p>\n", escape(note)))
        .collect()
}

/// The stretches of each paragraph (indices into `r.stretches`), by start: the report sorts
/// them so, but a hand-made or filtered report need not.
fn by_paragraph(r: &Report) -> Vec<Vec<usize>> {
    let mut groups = vec![Vec::new(); r.paragraphs.len()];
    for (n, s) in r.stretches.iter().enumerate() {
        if let Some(g) = groups.get_mut(s.paragraph) {
            g.push(n);
        }
    }
    for g in &mut groups {
        g.sort_by_key(|&n| (r.stretches[n].span[0], n));
    }
    groups
}

/// The whole manuscript, so that an editor sees each stretch where it stands; a left-out
/// bibliography is shown dimmed, not dropped, so the reader knows it was read.
fn manuscript(out: &mut String, r: &Report) {
    out.push_str("<section class=\"manuscript\">\n<h2>Manuscript</h2>\n");
    for (i, (p, idx)) in r.paragraphs.iter().zip(by_paragraph(r)).enumerate() {
        paragraph(out, i, p, r, &idx);
    }
    out.push_str("</section>\n");
}

fn paragraph(out: &mut String, i: usize, p: &ReportParagraph, r: &Report, idx: &[usize]) {
    let excluded = if p.counted { "" } else { " excluded" };
    let note = if p.counted {
        String::new()
    } else {
        format!(
            "<span class=\"note\">{}: left out of the count</span>",
            p.kind.as_str()
        )
    };
    let _ = writeln!(
        out,
        "<p class=\"para k-{}{excluded}\" id=\"p-{}\">{note}{}</p>",
        p.kind.as_str(),
        i + 1,
        highlighted(&p.text, r, idx)
    );
}

/// A paragraph's text with its stretches (`idx`, by start) highlighted in their sources'
/// colours, each a link to its detail. A stretch starting inside the one before cannot be
/// highlighted apart from it; it is given a bare superscript link after that one instead, so
/// that every stretch is still reached from the manuscript.
fn highlighted(text: &str, r: &Report, idx: &[usize]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut pos = 0;
    for &n in idx {
        let s = &r.stretches[n];
        let (a, b) = (s.span[0].min(chars.len()), s.span[1].min(chars.len()));
        let (id, k) = (n + 1, s.source + 1);
        if a < pos || a >= b {
            let _ = write!(
                out,
                "<a class=\"also\" id=\"m-{id}\" href=\"#s-{id}\" data-source=\"{k}\" \
                 title=\"stretch {id}, source {k} (overlaps the one before)\">\
                 <sup class=\"sn\">{k}</sup></a>"
            );
            continue;
        }
        out.push_str(&escape_chars(&chars[pos..a]));
        let _ = write!(
            out,
            "<a class=\"hit\" id=\"m-{id}\" href=\"#s-{id}\" data-source=\"{k}\" \
             title=\"stretch {id}, source {k}\"><mark class=\"hl c{}\">{}</mark>\
             <sup class=\"sn\">{k}</sup></a>",
            colour(s.source),
            escape_chars(&chars[a..b])
        );
        pos = b;
    }
    out.push_str(&escape_chars(&chars[pos..]));
    out
}

/// The sources ranked, each with the numbers an editor weighs (share, whether it is cited,
/// whether translated) and where in it the matched passages stand.
fn sources(out: &mut String, r: &Report) {
    out.push_str("<aside class=\"sources\">\n<h2>Sources</h2>\n");
    if r.sources.is_empty() {
        out.push_str("<p>No source matched.</p>\n");
    } else {
        let mut of_source = vec![Vec::new(); r.sources.len()];
        for (n, s) in r.stretches.iter().enumerate() {
            if let Some(v) = of_source.get_mut(s.source) {
                v.push(n + 1);
            }
        }
        out.push_str("<ol class=\"srcs\">\n");
        for (k, (src, ns)) in r.sources.iter().zip(&of_source).enumerate() {
            source(out, k, src, ns);
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</aside>\n");
}

/// Source of rank `k` (0-based); `ns` are the 1-based numbers of its stretches.
fn source(out: &mut String, k: usize, src: &Source, ns: &[usize]) {
    let n = k + 1;
    let _ = write!(
        out,
        "<li class=\"source\" id=\"src-{n}\" data-source=\"{n}\">\n<div class=\"srow\">\
         <span class=\"sw c{}\"></span><span class=\"rank\">{n}</span><code>{}</code>\
         <button type=\"button\" class=\"pick\" data-source=\"{n}\" aria-pressed=\"false\" \
         hidden>only this</button><span class=\"share\">{}</span></div>\n",
        colour(k),
        escape(&src.doc),
        escape(&percent(src.share))
    );
    if let Some(c) = &src.cite_as {
        let _ = writeln!(out, "<div class=\"cite\">{}</div>", escape(c));
    }
    let translated = if src.translated > 0 {
        format!(" · {} translated", src.translated)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "<div class=\"stitle\">{}</div>\n<div class=\"counts\">{} · {} · {} of them cite it\
         {translated}</div>",
        escape(&src.title),
        plural(src.words, "word", "words"),
        plural(src.stretches, "stretch", "stretches"),
        src.attributed
    );
    let links: Vec<String> = ns
        .iter()
        .map(|i| format!("<a href=\"#s-{i}\">{i}</a>"))
        .collect();
    let _ = writeln!(
        out,
        "<div class=\"slinks\">stretches {}</div>",
        links.join(", ")
    );
    out.push_str("<ul class=\"plist\">");
    for p in &src.passages {
        let page = p.page.map_or(String::new(), |n| format!("p. {n}, "));
        let _ = write!(
            out,
            "<li><code>{}</code> ({page}{})</li>",
            escape(&p.passage_id),
            super::span("lines", "line", p.lines[0], p.lines[1])
        );
    }
    out.push_str("</ul>\n</li>\n");
}

/// One block per stretch, in the manuscript's order and numbered as the highlights link to.
fn details(out: &mut String, r: &Report) {
    if r.stretches.is_empty() {
        return;
    }
    out.push_str(
        "<section class=\"details\">\n<h2>Matched stretches</h2>\n<p class=\"legend\">Each \
         stretch beside the part of the source it matches; <mark class=\"diff\">marked</mark> \
         words are not on the other side (reworded, added or left out). “Stretch n ↑” leads \
         back to the manuscript.</p>\n",
    );
    for (i, s) in r.stretches.iter().enumerate() {
        detail(out, i + 1, s, r);
    }
    out.push_str("</section>\n");
}

/// Stretch `n` (1-based): whose it is, whether the manuscript cites it there, and the two
/// texts side by side with their differing words marked, so that an editor judges the reuse
/// without opening the source.
fn detail(out: &mut String, n: usize, s: &Stretch, r: &Report) {
    let k = s.source + 1;
    let who = r.sources.get(s.source).map_or(String::new(), |src| {
        let cite = src
            .cite_as
            .as_deref()
            .map_or(String::new(), |c| format!("{c} · "));
        format!("{cite}{}", src.title)
    });
    let _ = write!(
        out,
        "<article class=\"stretch c{}\" id=\"s-{n}\" data-source=\"{k}\">\n<h3>\
         <a href=\"#m-{n}\" title=\"back to the manuscript\">Stretch {n} ↑</a>\
         <span class=\"sw c{}\"></span><a href=\"#src-{k}\">source {k}</a>\
         <span class=\"stitle\">{}</span></h3>\n<p class=\"meta\">{}</p>\n<div class=\"pair\">\n",
        colour(s.source),
        colour(s.source),
        escape(&who),
        meta(s)
    );
    let (mine, differs) = match r.paragraphs.get(s.paragraph) {
        Some(p) => (p.text.as_str(), s.differs.as_slice()),
        None => (s.text.as_str(), &[][..]),
    };
    let span = if r.paragraphs.get(s.paragraph).is_some() {
        s.span
    } else {
        [0, s.text.chars().count()]
    };
    let _ = write!(
        out,
        "<div><h4>Manuscript, paragraph <a href=\"#p-{}\">{}</a></h4><blockquote>{}</blockquote>\
         </div>\n<div><h4>Source</h4><blockquote>{}</blockquote>\n<p class=\"loc\">{}</p></div>\
         \n</div>\n</article>\n",
        s.paragraph + 1,
        s.paragraph + 1,
        marked(mine, span, differs),
        marked(&s.passage_text, s.passage_span, &s.passage_differs),
        escape(&where_in_source(&s.passage))
    );
}

/// The line under a stretch's heading: its size, whether it is cited there, and how it was
/// taken (a translation has no words compared, which the line says so that no mark is not
/// read as no change).
fn meta(s: &Stretch) -> String {
    let att = match s.attribution {
        Attribution::Attributed => "attributed",
        Attribution::CitesOther => "cites_other",
        Attribution::Uncited => "uncited",
    };
    let mut m = format!(
        "{} · <span class=\"att att-{att}\">{}</span>",
        plural(s.words, "word", "words"),
        escape(s.attribution.label())
    );
    if s.translated {
        m.push_str(" <span class=\"flag\">translated</span> (words not compared)");
    }
    if s.quoted {
        m.push_str(" <span class=\"flag\">quoted</span>");
    }
    m
}

/// Where the source passage stands, as a reader of the source finds it: the page's own line
/// numbers on a paged source (what a reader of the printed page counts), the file's otherwise,
/// then the section.
fn where_in_source(l: &Location) -> String {
    let file = super::span("lines", "line", l.lines[0], l.lines[1]);
    let mut parts = vec![l.passage_id.clone()];
    match (l.page, l.page_lines) {
        (Some(page), Some(lines)) => {
            parts.push(super::on_pages(page, l.page_end, lines));
            parts.push(format!("file {file}"));
        }
        (Some(page), None) => parts.push(format!("page {page}, file {file}")),
        (None, _) => parts.push(file),
    }
    let section = match (&l.section, &l.section_title) {
        (Some(n), Some(t)) => Some(format!("{n} {t}")),
        (Some(x), None) | (None, Some(x)) => Some(x.clone()),
        (None, None) => l.chapter.clone(),
    };
    parts.extend(section);
    parts.join(" · ")
}

/// The part `[s, e)` of `text` (characters), escaped, with `spans` (character offsets in
/// `text`) marked as differing. A span reaching past the part is cut to it, and one starting
/// inside the span before is skipped, so that marks never nest or cross.
fn marked(text: &str, [s, e]: [usize; 2], spans: &[[usize; 2]]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let e = e.min(chars.len());
    let s = s.min(e);
    let mut out = String::new();
    let mut pos = s;
    for &[a, b] in spans {
        let (a, b) = (a.max(s), b.min(e));
        if a < pos || a >= b {
            continue;
        }
        out.push_str(&escape_chars(&chars[pos..a]));
        let _ = write!(
            out,
            "<mark class=\"diff\">{}</mark>",
            escape_chars(&chars[a..b])
        );
        pos = b;
    }
    out.push_str(&escape_chars(&chars[pos..e]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;
    use crate::search::reuse::report::{Filters, LeftOut, SourcePassage};

    /// Character span of `needle` in `hay`.
    fn at(hay: &str, needle: &str) -> [usize; 2] {
        let b = hay.find(needle).expect("needle in text");
        let s = hay[..b].chars().count();
        [s, s + needle.chars().count()]
    }

    fn location(id: &str, doc: &str, title: &str, page: Option<u32>) -> Location {
        Location {
            passage_id: id.into(),
            doc: doc.into(),
            title: title.into(),
            cite_as: None,
            chapter: None,
            section: Some("2.1".into()),
            section_title: Some("Kajian Pustaka".into()),
            page,
            page_end: page,
            page_lines: page.map(|_| [4, 9]),
            lines: [40, 45],
        }
    }

    fn paragraph(text: &str, kind: Kind, counted: bool) -> ReportParagraph {
        ReportParagraph {
            span: [0, text.chars().count()],
            text: text.into(),
            kind,
            words: text.split_whitespace().count(),
            counted,
        }
    }

    /// Stretch `part` of paragraph `paragraph` (text `r_para`) over source `source`'s
    /// `passage`, with the words of each side the other lacks (`diffs`).
    fn stretch(
        r_para: &str,
        paragraph: usize,
        part: &str,
        source: usize,
        at_: Location,
        passage: &str,
        (differs, passage_differs): (&[&str], &[&str]),
    ) -> Stretch {
        let span = at(r_para, part);
        Stretch {
            paragraph,
            span,
            text: part.into(),
            words: part.split_whitespace().count(),
            source,
            passage: at_,
            passage_text: passage.into(),
            passage_span: [0, passage.chars().count()],
            differs: differs.iter().map(|d| at(r_para, d)).collect(),
            passage_differs: passage_differs.iter().map(|d| at(passage, d)).collect(),
            attribution: Attribution::Uncited,
            translated: false,
            quoted: false,
        }
    }

    fn sample() -> Report {
        let p0 = "Pekerja anak di Indonesia bekerja lebih dari dua puluh jam setiap minggu \
                  menurut survei nasional.";
        let p1 = "Kata <script>alert(1)</script> & “kutipan” tentang kebijakan sekolah \
                  yang berubah setiap tahun ajaran baru.";
        let p2 = "Saragih, A. (2023). Pekerja anak. Jurnal Sosial.";
        let a = location("saragih#3", "saragih", "Pekerja Anak & Sekolah", Some(7));
        let b = location("lim#12", "lim", "School Policy <Reform>", None);
        let mut s0 = stretch(
            p0,
            0,
            "Pekerja anak di Indonesia bekerja lebih dari dua puluh jam",
            0,
            a.clone(),
            "Pekerja anak di Indonesia bekerja lebih dari tiga puluh jam",
            (&["dua"], &["tiga"]),
        );
        s0.attribution = Attribution::Attributed;
        let s1 = stretch(
            p0,
            0,
            "dua puluh jam setiap minggu",
            1,
            b.clone(),
            "dua puluh jam tiap minggu",
            (&["setiap"], &["tiap"]),
        );
        let mut s2 = stretch(
            p1,
            1,
            "tentang kebijakan sekolah yang berubah setiap tahun",
            0,
            a,
            "school policy that changes every year",
            (&[], &[]),
        );
        s2.translated = true;
        s2.quoted = true;
        Report {
            similarity_index: 0.42,
            words: 40,
            matched_words: 17,
            filters: Filters {
                min_words: 8,
                quotes_included: true,
                bibliography_included: false,
                excluded_docs: Vec::new(),
            },
            left_out: LeftOut {
                bibliography_words: 7,
                ..LeftOut::default()
            },
            sources: vec![
                Source {
                    doc: "saragih".into(),
                    title: "Pekerja Anak & Sekolah".into(),
                    cite_as: Some("Saragih & Alfajri (2023)".into()),
                    words: 14,
                    share: 0.35,
                    stretches: 2,
                    attributed: 1,
                    translated: 1,
                    passages: vec![SourcePassage {
                        passage_id: "saragih#3".into(),
                        page: Some(7),
                        lines: [40, 45],
                    }],
                },
                Source {
                    doc: "lim".into(),
                    title: "School Policy <Reform>".into(),
                    cite_as: None,
                    words: 3,
                    share: 0.07,
                    stretches: 1,
                    attributed: 0,
                    translated: 0,
                    passages: vec![SourcePassage {
                        passage_id: "lim#12".into(),
                        page: None,
                        lines: [40, 45],
                    }],
                },
            ],
            paragraphs: vec![
                paragraph(p0, Kind::Body, true),
                paragraph(p1, Kind::Body, true),
                paragraph(p2, Kind::Bibliography, false),
            ],
            stretches: vec![s0, s1, s2],
            unread: vec!["naskah.pdf: page 2 of 2 has no text layer (scanned) <left out>".into()],
        }
    }

    #[test]
    fn the_page_fetches_nothing() {
        let html = report_html(&sample(), "naskah.docx");
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<meta charset=\"utf-8\">"));
        assert!(html.contains("<meta name=\"generator\" content=\"pustaka\">"));
        for external in [
            "src=",
            "href=\"http",
            "href='http",
            "@import",
            "url(",
            "<link",
        ] {
            assert!(!html.contains(external), "{external} in the page");
        }
    }

    #[test]
    fn every_stretch_has_a_detail_and_links_both_ways() {
        let html = report_html(&sample(), "naskah.docx");
        for n in 1..=3 {
            assert_eq!(html.matches(&format!("id=\"s-{n}\"")).count(), 1);
            assert_eq!(html.matches(&format!("id=\"m-{n}\"")).count(), 1);
            assert!(html.contains(&format!("href=\"#s-{n}\"")));
            assert!(html.contains(&format!("href=\"#m-{n}\"")));
        }
    }

    #[test]
    fn highlights_are_marks_in_their_sources_colours_and_overlaps_are_still_linked() {
        let html = report_html(&sample(), "naskah.docx");
        assert!(html.contains(
            "<mark class=\"hl c0\">Pekerja anak di Indonesia bekerja lebih dari dua puluh jam\
             </mark><sup class=\"sn\">1</sup></a>"
        ));
        assert!(html.contains("<mark class=\"hl c0\">tentang kebijakan sekolah"));
        // Stretch 2 starts inside stretch 1: not highlighted, but linked right after it.
        assert!(!html.contains("<mark class=\"hl c1\">"));
        assert!(html.contains("<a class=\"also\" id=\"m-2\" href=\"#s-2\""));
    }

    #[test]
    fn differing_words_are_marked_on_both_sides() {
        let html = report_html(&sample(), "naskah.docx");
        for w in ["dua", "tiga", "setiap", "tiap"] {
            assert!(
                html.contains(&format!("<mark class=\"diff\">{w}</mark>")),
                "{w} not marked"
            );
        }
        assert!(html.contains("<span class=\"flag\">translated</span>"));
        assert!(html.contains("<span class=\"flag\">quoted</span>"));
        assert!(html.contains("cites the source"));
        assert!(html.contains("saragih#3 · page 7, lines 4–9 · file lines 40–45 · 2.1 Kajian"));
    }

    #[test]
    fn text_from_the_report_is_escaped() {
        let html = report_html(&sample(), "a<b>&\"c\".docx");
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("Kata &lt;script&gt;alert(1)&lt;/script&gt; &amp; “kutipan”"));
        assert!(html.contains("School Policy &lt;Reform&gt;"));
        assert!(html.contains("Saragih &amp; Alfajri (2023)"));
        assert!(html.contains("a&lt;b&gt;&amp;&quot;c&quot;.docx"));
        assert_eq!(html.matches("<script>").count(), 1);
        assert_eq!(escape("'"), "&#39;");
    }

    #[test]
    fn the_figures_and_sources_are_shown() {
        let html = report_html(&sample(), "naskah.docx");
        assert!(html.contains("<span class=\"big\">42%</span>"));
        assert!(html.contains("17 of 40 words in 3 matched stretches from 2 sources"));
        assert!(html.contains("bibliography left out (7 words)"));
        assert!(html.contains("<span class=\"share\">35%</span>"));
        assert!(html.contains("<span class=\"share\">7%</span>"));
        assert!(html.contains("Pekerja Anak &amp; Sekolah"));
        assert!(html.contains("<code>lim#12</code> (lines 40–45)"));
        assert!(html.contains("para k-bibliography excluded"));
        assert!(html.contains(
            "<p class=\"unread\">Not checked: naskah.pdf: page 2 of 2 has no text layer \
             (scanned) &lt;left out&gt;</p>"
        ));
        let mut whole = sample();
        whole.unread.clear();
        assert!(!report_html(&whole, "x").contains("Not checked"));
    }

    #[test]
    fn the_same_report_gives_the_same_page_and_an_empty_one_renders() {
        let r = sample();
        assert_eq!(report_html(&r, "x"), report_html(&r, "x"));
        let mut empty = r;
        empty.stretches.clear();
        empty.sources.clear();
        let html = report_html(&empty, "x");
        assert!(html.contains("No source matched."));
        assert!(!html.contains("id=\"s-1\""));
        assert!(html.ends_with("</html>\n"));
    }

    #[test]
    fn spans_past_the_text_are_cut_not_panicked_on() {
        assert_eq!(
            marked("añb", [0, 99], &[[1, 2], [1, 3], [2, 50]]),
            "a<mark class=\"diff\">ñ</mark><mark class=\"diff\">b</mark>"
        );
    }
}
