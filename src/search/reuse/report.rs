//! The editor's similarity report over a checked manuscript: one figure (the similarity index:
//! the share of the manuscript's words inside matched stretches), the sources ranked by how
//! much of the manuscript each accounts for, and every matched stretch beside its source with
//! the differing words marked and whether the manuscript cites the source there.
//!
//! Built from what `check` found ([`Checked`]) by pure functions: the engine's part (finding
//! the matches, telling whether a citation names a source's authors) is done before. The
//! filters editors expect are applied here, and stated in the report: text in quotation marks,
//! the manuscript's bibliography, stretches under [`DEFAULT_MIN_WORDS`] words, named documents
//! (the manuscript's own earlier version).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::Match;
use crate::model::{Kind, Location, Passage};

/// Stretches of fewer words are left out: a shared phrase of a few words is the field's
/// vocabulary, not reuse (iThenticate's editors often set 8 too).
pub const DEFAULT_MIN_WORDS: usize = 8;

/// What the report leaves out; the defaults are an editor's: quotations and the bibliography
/// are not reuse.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Stretches of fewer words are left out.
    pub min_words: usize,
    /// Count stretches inside quotation marks as reuse.
    pub include_quotes: bool,
    /// Count the manuscript's bibliography (its words and its matches).
    pub include_bibliography: bool,
    /// Documents whose matches are left out (an id or the start of one, as `doc:` takes).
    pub exclude_docs: Vec<String>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            min_words: DEFAULT_MIN_WORDS,
            include_quotes: false,
            include_bibliography: false,
            exclude_docs: Vec::new(),
        }
    }
}

/// One paragraph of the manuscript as `check` read it, with what it matched.
pub struct Checked {
    /// The paragraph (text as read, kind, citations, byte span in the input).
    pub paragraph: Passage,
    /// Its character span in the input.
    pub span: [usize; 2],
    /// The corpus passages it reuses.
    pub matches: Vec<Match>,
    /// For each matched document, whether one of the paragraph's citations names it.
    pub cites: HashMap<String, bool>,
}

/// The similarity report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// 0–1: the share of the manuscript's counted words inside matched stretches.
    pub similarity_index: f32,
    /// Words of the manuscript counted (its bibliography only when included).
    pub words: usize,
    /// Of `words`, those inside a matched stretch.
    pub matched_words: usize,
    /// The filters applied.
    pub filters: Filters,
    /// What the filters left out.
    pub left_out: LeftOut,
    /// The sources, the one accounting for most of the manuscript first.
    pub sources: Vec<Source>,
    /// The manuscript, paragraph by paragraph.
    pub paragraphs: Vec<ReportParagraph>,
    /// The matched stretches, in the manuscript's order.
    pub stretches: Vec<Stretch>,
    /// What of the manuscript could not be read and was not checked (a PDF's scanned or
    /// damaged pages), each naming the manuscript and why: the figure covers the rest only,
    /// and a report that did not say so would claim more than it checked.
    pub unread: Vec<String>,
}

/// The filters a report was made with, for its reader.
#[derive(Debug, Clone, Serialize)]
pub struct Filters {
    /// Stretches of fewer words were left out.
    pub min_words: usize,
    /// Stretches in quotation marks were counted.
    pub quotes_included: bool,
    /// The manuscript's bibliography was counted.
    pub bibliography_included: bool,
    /// Documents whose matches were left out.
    pub excluded_docs: Vec<String>,
}

/// What the filters left out.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LeftOut {
    /// Matched stretches inside quotation marks.
    pub quoted_stretches: usize,
    /// Matched stretches of fewer than `min_words` words.
    pub short_stretches: usize,
    /// Matched stretches of excluded documents.
    pub excluded_doc_stretches: usize,
    /// Words of the manuscript's bibliography.
    pub bibliography_words: usize,
}

/// A document of the corpus the manuscript reuses.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    /// Its id.
    pub doc: String,
    /// Its title.
    pub title: String,
    /// Its authors and year as cited (`Saragih & Alfajri (2023)`), where its text states them.
    pub cite_as: Option<String>,
    /// Manuscript words it accounts for: inside its stretches and not already counted for a
    /// source ranked above it, so that the sources' words add up to `matched_words`.
    pub words: usize,
    /// `words` as a share of the manuscript's counted words.
    pub share: f32,
    /// Its matched stretches.
    pub stretches: usize,
    /// Of `stretches`, those in a paragraph that cites it.
    pub attributed: usize,
    /// Of `stretches`, those translated from it.
    pub translated: usize,
    /// Its passages the stretches match, in its order.
    pub passages: Vec<SourcePassage>,
}

/// A passage of a source, where a reader finds it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct SourcePassage {
    /// The passage id.
    pub passage_id: String,
    /// Its page, for a paged source.
    pub page: Option<u32>,
    /// Its lines in the source file.
    pub lines: [usize; 2],
}

/// A paragraph of the manuscript.
#[derive(Debug, Clone, Serialize)]
pub struct ReportParagraph {
    /// Its character span in the input.
    pub span: [usize; 2],
    /// Its text as read (lines joined, hyphenation resolved): stretch spans point into it.
    pub text: String,
    /// What it is (body, heading, bibliography, ...).
    pub kind: Kind,
    /// Its words.
    pub words: usize,
    /// Whether its words count (false for an excluded bibliography).
    pub counted: bool,
}

/// Whether the manuscript cites the source where it reuses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribution {
    /// The paragraph cites the source (a citation names its authors, with its year where both
    /// give one).
    Attributed,
    /// The paragraph cites other works, not the source.
    CitesOther,
    /// The paragraph cites nothing.
    Uncited,
}

impl Attribution {
    /// How a report says it.
    pub fn label(self) -> &'static str {
        match self {
            Attribution::Attributed => "cites the source",
            Attribution::CitesOther => "cites other works, not the source",
            Attribution::Uncited => "cites nothing",
        }
    }
}

/// A stretch of the manuscript matching a source passage.
#[derive(Debug, Clone, Serialize)]
pub struct Stretch {
    /// The paragraph it stands in (an index into `paragraphs`).
    pub paragraph: usize,
    /// Its character span in the paragraph's text.
    pub span: [usize; 2],
    /// Its text.
    pub text: String,
    /// Its words.
    pub words: usize,
    /// Its source (an index into `sources`).
    pub source: usize,
    /// The source passage, where it stands.
    pub passage: Location,
    /// The source passage's text.
    pub passage_text: String,
    /// The matching part of the source passage, as a character span of `passage_text`.
    pub passage_span: [usize; 2],
    /// Words of the stretch the source does not have there (reworded, inserted), as character
    /// spans of the paragraph's text; empty for a translation.
    pub differs: Vec<[usize; 2]>,
    /// Words of the source's part the stretch does not have, as character spans of
    /// `passage_text`.
    pub passage_differs: Vec<[usize; 2]>,
    /// Whether the manuscript cites the source there.
    pub attribution: Attribution,
    /// The stretch translates the source (its aligned sentences).
    pub translated: bool,
    /// The stretch stands inside quotation marks (counted only when quotes are included).
    pub quoted: bool,
}

/// The report over the checked paragraphs.
pub fn build(checked: &[Checked], opts: &ReportOptions) -> Report {
    let mut left_out = LeftOut::default();
    let mut paragraphs = Vec::new();
    let mut found = Vec::new();
    // Each paragraph's words, cut once: the stretches count them, the sources claim them.
    let spans: Vec<Vec<[usize; 2]>> = checked
        .iter()
        .map(|c| word_spans(&c.paragraph.text))
        .collect();
    for (i, c) in checked.iter().enumerate() {
        let words = spans[i].len();
        let counted = opts.include_bibliography || !in_bibliography(checked, i);
        if !counted {
            left_out.bibliography_words += words;
        }
        paragraphs.push(ReportParagraph {
            span: c.span,
            text: c.paragraph.text.clone(),
            kind: c.paragraph.kind,
            words,
            counted,
        });
        if counted {
            found.extend(stretches_of(i, c, &spans[i], opts, &mut left_out));
        }
    }
    drop_nested(&mut found);
    let words: usize = paragraphs
        .iter()
        .filter(|p| p.counted)
        .map(|p| p.words)
        .sum();
    let (sources, matched_words) = rank_sources(&mut found, &spans, words);
    found.sort_by_key(|s| (s.paragraph, s.span[0], s.source));
    Report {
        similarity_index: matched_words as f32 / words.max(1) as f32,
        words,
        matched_words,
        filters: Filters {
            min_words: opts.min_words,
            quotes_included: opts.include_quotes,
            bibliography_included: opts.include_bibliography,
            excluded_docs: opts.exclude_docs.clone(),
        },
        left_out,
        sources,
        paragraphs,
        stretches: found,
        unread: Vec::new(),
    }
}

/// Whether paragraph `i` belongs to the manuscript's bibliography: one of its entries, or the
/// heading it stands under (`References`, `DAFTAR PUSTAKA`: a heading followed by an entry),
/// whose words are no more the manuscript's prose than the entries'.
fn in_bibliography(checked: &[Checked], i: usize) -> bool {
    let kind = |k: usize| checked.get(k).map(|c| c.paragraph.kind);
    kind(i) == Some(Kind::Bibliography)
        || (kind(i) == Some(Kind::Heading) && kind(i + 1) == Some(Kind::Bibliography))
}

/// The stretches of paragraph `i` that pass the filters, their source not yet ranked
/// (`source` 0).
/// `ws` are the paragraph's word spans ([`word_spans`]).
fn stretches_of(
    i: usize,
    c: &Checked,
    ws: &[[usize; 2]],
    opts: &ReportOptions,
    left: &mut LeftOut,
) -> Vec<Stretch> {
    let text = &c.paragraph.text;
    let quotes = quoted_regions(text);
    let mut out = Vec::new();
    for m in &c.matches {
        if opts
            .exclude_docs
            .iter()
            .any(|d| !d.is_empty() && m.at.doc.starts_with(d.as_str()))
        {
            left.excluded_doc_stretches += m.input_spans.len();
            continue;
        }
        let attribution = match (c.cites.get(&m.at.doc), c.paragraph.citations.is_empty()) {
            (Some(true), _) => Attribution::Attributed,
            (_, false) => Attribution::CitesOther,
            (_, true) => Attribution::Uncited,
        };
        for k in 0..m.input_spans.len() {
            let (span, passage_span) = grown(text, m, k);
            let words = words_in(ws, span);
            if words < opts.min_words {
                left.short_stretches += 1;
                continue;
            }
            let quoted = quoted_stretch(&quotes, ws, span, opts.min_words);
            if quoted && !opts.include_quotes {
                left.quoted_stretches += 1;
                continue;
            }
            let (differs, passage_differs) = if m.translated {
                (Vec::new(), Vec::new())
            } else {
                word_diff(text, span, &m.text, passage_span)
            };
            out.push(Stretch {
                paragraph: i,
                span,
                text: slice(text, span),
                words,
                source: 0,
                passage: m.at.clone(),
                passage_text: m.text.clone(),
                passage_span,
                differs,
                passage_differs,
                attribution,
                translated: m.translated,
                quoted,
            });
        }
    }
    out
}

/// Stretch `k` of match `m` (of paragraph text `text`) and the part of the source it faces
/// ([`source_part`]), grown on both sides over the words beside them that are the same words
/// in the same order: the function words the fingerprints leave out (`the`, `yang`) at the
/// ends of a copied stretch are copied too. Only where the ends already face each other (the
/// same word on both sides); a translation's stretches are left as they are.
fn grown(text: &str, m: &Match, k: usize) -> ([usize; 2], [usize; 2]) {
    let (span, part) = (m.input_spans[k], source_part(m, k, text));
    if m.translated {
        return (span, part);
    }
    let (wa, ka) = keyed_words(text, [0, usize::MAX]);
    let (wb, kb) = keyed_words(&m.text, [0, usize::MAX]);
    let (Some(mut a0), Some(mut a1), Some(mut b0), Some(mut b1)) = (
        wa.iter().position(|w| w[0] >= span[0]),
        wa.iter().rposition(|w| w[1] <= span[1]),
        wb.iter().position(|w| w[0] >= part[0]),
        wb.iter().rposition(|w| w[1] <= part[1]),
    ) else {
        return (span, part);
    };
    if a1 < a0 || b1 < b0 {
        return (span, part);
    }
    if ka[a0] == kb[b0] {
        while a0 > 0 && b0 > 0 && ka[a0 - 1] == kb[b0 - 1] {
            (a0, b0) = (a0 - 1, b0 - 1);
        }
    }
    if ka[a1] == kb[b1] {
        while a1 + 1 < ka.len() && b1 + 1 < kb.len() && ka[a1 + 1] == kb[b1 + 1] {
            (a1, b1) = (a1 + 1, b1 + 1);
        }
    }
    (
        [wa[a0][0].min(span[0]), wa[a1][1].max(span[1])],
        [wb[b0][0].min(part[0]), wb[b1][1].max(part[1])],
    )
}

/// The part of the source passage that stretch `k` of match `m` (of paragraph text `text`)
/// matches: the stretch of the same rank when both sides have as many (a translation's
/// sentence pairs, an alignment's runs); else from the first to the last of the passage's
/// stretches that share a fifth of their words with it (an alignment merges the runs of each
/// side apart, so one stretch of the manuscript may face two of the source).
fn source_part(m: &Match, k: usize, text: &str) -> [usize; 2] {
    if m.spans.len() == m.input_spans.len() {
        return m.spans[k];
    }
    let mine: std::collections::HashSet<String> =
        keyed_words(text, m.input_spans[k]).1.into_iter().collect();
    let facing = m.spans.iter().filter(|span| {
        let theirs = keyed_words(&m.text, **span).1;
        let shared = theirs.iter().filter(|w| mine.contains(*w)).count();
        shared > 0 && shared * 5 >= theirs.len()
    });
    let (mut start, mut end) = (usize::MAX, 0);
    for s in facing {
        start = start.min(s[0]);
        end = end.max(s[1]);
    }
    if start < end {
        [start, end]
    } else {
        m.spans.first().copied().unwrap_or([0, 0])
    }
}

/// Leave out a stretch wholly inside another of the same paragraph and document (the
/// paragraph matching two passages of a source that repeats itself): the longer says it.
fn drop_nested(stretches: &mut Vec<Stretch>) {
    let keep: Vec<bool> = (0..stretches.len())
        .map(|i| {
            let s = &stretches[i];
            !stretches.iter().enumerate().any(|(j, o)| {
                j != i
                    && o.paragraph == s.paragraph
                    && o.passage.doc == s.passage.doc
                    && o.span[0] <= s.span[0]
                    && o.span[1] >= s.span[1]
                    && (o.span != s.span || j < i)
            })
        })
        .collect();
    let mut k = keep.into_iter();
    stretches.retain(|_| k.next().unwrap_or(true));
}

/// Rank the sources of `stretches` by the manuscript words each accounts for, claiming each
/// word once, for the source covering most words first; sets each stretch's `source`.
/// Returns the sources and the words matched in all.
/// `spans` are each paragraph's word spans.
fn rank_sources(
    stretches: &mut [Stretch],
    spans: &[Vec<[usize; 2]>],
    words: usize,
) -> (Vec<Source>, usize) {
    // The words (paragraph, word number) each document's stretches cover.
    let mut covered: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    for s in stretches.iter() {
        let ws = &spans[s.paragraph];
        let inside = (0..ws.len()).filter(|&w| ws[w][0] >= s.span[0] && ws[w][1] <= s.span[1]);
        covered
            .entry(s.passage.doc.as_str())
            .or_default()
            .extend(inside.map(|w| (s.paragraph, w)));
    }
    for v in covered.values_mut() {
        v.sort_unstable();
        v.dedup();
    }
    let mut order: Vec<(&str, Vec<(usize, usize)>)> = covered.into_iter().collect();
    order.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let mut claimed = std::collections::HashSet::new();
    let mut claims: Vec<(String, usize)> = Vec::new();
    for (doc, ws) in &order {
        let n = ws.iter().filter(|w| claimed.insert(**w)).count();
        claims.push((doc.to_string(), n));
    }
    claims.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let rank: HashMap<&str, usize> = claims
        .iter()
        .enumerate()
        .map(|(i, (d, _))| (d.as_str(), i))
        .collect();
    let mut sources: Vec<Source> = claims
        .iter()
        .map(|(doc, n)| Source {
            doc: doc.clone(),
            title: String::new(),
            cite_as: None,
            words: *n,
            share: *n as f32 / words.max(1) as f32,
            stretches: 0,
            attributed: 0,
            translated: 0,
            passages: Vec::new(),
        })
        .collect();
    for s in stretches.iter_mut() {
        s.source = rank[s.passage.doc.as_str()];
        let src = &mut sources[s.source];
        src.title.clone_from(&s.passage.title);
        src.cite_as.clone_from(&s.passage.cite_as);
        src.stretches += 1;
        src.attributed += usize::from(s.attribution == Attribution::Attributed);
        src.translated += usize::from(s.translated);
        src.passages.push(SourcePassage {
            passage_id: s.passage.passage_id.clone(),
            page: s.passage.page,
            lines: s.passage.lines,
        });
    }
    for src in &mut sources {
        src.passages
            .sort_by_key(|p| (p.lines, p.passage_id.clone()));
        src.passages.dedup();
    }
    (sources, claimed.len())
}

/// The words of `text` (runs of letters and digits, with inner apostrophes and hyphens) as
/// character spans.
pub fn word_spans(text: &str) -> Vec<[usize; 2]> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_alphanumeric()
                || (matches!(chars[i], '\'' | '’' | '-')
                    && chars.get(i + 1).is_some_and(|c| c.is_alphanumeric())))
        {
            i += 1;
        }
        out.push([start, i]);
    }
    out
}

/// Of a text's word spans `words`, those wholly inside character span `span`.
fn words_in(words: &[[usize; 2]], span: [usize; 2]) -> usize {
    words
        .iter()
        .filter(|w| w[0] >= span[0] && w[1] <= span[1])
        .count()
}

/// The characters of `text` in span `[s, e)`.
fn slice(text: &str, [s, e]: [usize; 2]) -> String {
    text.chars().skip(s).take(e.saturating_sub(s)).collect()
}

/// Character spans of `text` inside double quotation marks (`"…"`, `“…”`, `„…“`, `«…»`),
/// the marks included. An opening mark without its closing one quotes nothing.
pub fn quoted_regions(text: &str) -> Vec<[usize; 2]> {
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (i, c) in text.chars().enumerate() {
        match open {
            None if matches!(c, '"' | '“' | '„' | '«') => open = Some((i, c)),
            Some((start, o)) if closes(o, c) => {
                out.push([start, i + 1]);
                open = None;
            }
            _ => {}
        }
    }
    out
}

fn closes(open: char, c: char) -> bool {
    match open {
        '"' => c == '"' || c == '”',
        '“' => c == '”' || c == '"',
        '„' => c == '“' || c == '”',
        '«' => c == '»',
        _ => false,
    }
}

/// Whether the stretch at `span` (of a text with word spans `ws`) is a quotation: most of it
/// stands inside quotation marks ([`inside`]), or it reaches into one and its words outside
/// them are fewer than `min_words`, too few to be a stretch of their own (a quotation whose
/// alignment runs on over the citation after it, or the words before it).
fn quoted_stretch(
    regions: &[[usize; 2]],
    ws: &[[usize; 2]],
    span: [usize; 2],
    min_words: usize,
) -> bool {
    let in_quotes = |w: &&[usize; 2]| regions.iter().any(|r| w[0] >= r[0] && w[1] <= r[1]);
    let in_span: Vec<&[usize; 2]> = ws
        .iter()
        .filter(|w| w[0] >= span[0] && w[1] <= span[1])
        .collect();
    let quoted = in_span.iter().filter(|w| in_quotes(w)).count();
    let outside = in_span.len() - quoted;
    inside(regions, span) || (quoted > 0 && outside < min_words)
}

/// Whether most (four fifths) of `span`'s characters stand inside `regions`.
fn inside(regions: &[[usize; 2]], span: [usize; 2]) -> bool {
    let len = span[1].saturating_sub(span[0]);
    let covered: usize = regions
        .iter()
        .map(|r| r[1].min(span[1]).saturating_sub(r[0].max(span[0])))
        .sum();
    len > 0 && covered * 5 >= len * 4
}

/// Longest stretches compared word by word; past it, every word is marked as differing
/// rather than spend quadratic time.
const MAX_DIFF_WORDS: usize = 2_000;

/// The words of span `a` of text `ta` not in span `b` of text `tb` and the reverse, by a
/// longest common subsequence of their words (case and accents aside), as character spans of
/// each text.
fn word_diff(
    ta: &str,
    a: [usize; 2],
    tb: &str,
    b: [usize; 2],
) -> (Vec<[usize; 2]>, Vec<[usize; 2]>) {
    let (wa, ka) = keyed_words(ta, a);
    let (wb, kb) = keyed_words(tb, b);
    if wa.len() > MAX_DIFF_WORDS || wb.len() > MAX_DIFF_WORDS {
        return (wa, wb);
    }
    let (same_a, same_b) = lcs(&ka, &kb);
    let differs = |ws: &[[usize; 2]], same: &[bool]| -> Vec<[usize; 2]> {
        ws.iter()
            .zip(same)
            .filter(|(_, &s)| !s)
            .map(|(w, _)| *w)
            .collect()
    };
    (differs(&wa, &same_a), differs(&wb, &same_b))
}

/// The words of `text` inside `span`, with the keys they are compared by.
fn keyed_words(text: &str, span: [usize; 2]) -> (Vec<[usize; 2]>, Vec<String>) {
    let chars: Vec<char> = text.chars().collect();
    let ws: Vec<[usize; 2]> = word_spans(text)
        .into_iter()
        .filter(|w| w[0] >= span[0] && w[1] <= span[1])
        .collect();
    let keys = ws
        .iter()
        .map(|w| {
            let word: String = chars[w[0]..w[1]].iter().collect();
            crate::text::names::fold(&word)
        })
        .collect();
    (ws, keys)
}

/// Which items of `a` and of `b` are in a longest common subsequence of the two.
fn lcs(a: &[String], b: &[String]) -> (Vec<bool>, Vec<bool>) {
    let (n, m) = (a.len(), b.len());
    let mut t = vec![vec![0u16; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[i][j] = if a[i] == b[j] {
                t[i + 1][j + 1] + 1
            } else {
                t[i + 1][j].max(t[i][j + 1])
            };
        }
    }
    let (mut sa, mut sb) = (vec![false; n], vec![false; m]);
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            sa[i] = true;
            sb[j] = true;
            i += 1;
            j += 1;
        } else if t[i + 1][j] >= t[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    (sa, sb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_letters_and_digits_with_inner_hyphens() {
        let t = "Anak-anak (usia 5–17) bekerja, kata UNICEF's laporan.";
        let ws: Vec<String> = word_spans(t).iter().map(|&s| slice(t, s)).collect();
        assert_eq!(
            ws,
            [
                "Anak-anak",
                "usia",
                "5",
                "17",
                "bekerja",
                "kata",
                "UNICEF's",
                "laporan"
            ]
        );
    }

    #[test]
    fn quotation_marks_of_each_style_make_regions() {
        let t = "Dia berkata “korban adalah anak” lalu \"pergi\" dan «fin» tanpa \"akhir";
        let rs: Vec<String> = quoted_regions(t).iter().map(|&s| slice(t, s)).collect();
        assert_eq!(rs, ["“korban adalah anak”", "\"pergi\"", "«fin»"]);
        let q = quoted_regions(t);
        assert!(inside(&q, [12, 31]));
        assert!(!inside(&q, [0, 31]));
    }

    #[test]
    fn a_quotation_whose_match_runs_on_over_its_citation_is_still_a_quotation() {
        let t = "Dia menulis “satu dua tiga empat lima enam tujuh delapan sembilan sepuluh” \
                 (Pengadilan Negeri Medan, 2019) lalu pergi.";
        let (q, ws) = (quoted_regions(t), word_spans(t));
        let run_on = [t.find('s').unwrap(), t.find(", 2019").unwrap()];
        let run_on = [
            t[..run_on[0]].chars().count(),
            t[..run_on[1]].chars().count(),
        ];
        assert!(!inside(&q, run_on));
        assert!(quoted_stretch(&q, &ws, run_on, 8));
        // Eight words or more outside the marks make a stretch of their own.
        let whole = [0, t.chars().count()];
        assert!(!quoted_stretch(&q, &ws, whole, 8));
    }

    #[test]
    fn the_words_that_differ_are_marked_on_both_sides() {
        let a = "the number of women serving as ambassadors rose sharply";
        let b = "the share of women serving as ambassadors rose";
        let (da, db) = word_diff(a, [0, a.chars().count()], b, [0, b.chars().count()]);
        let show =
            |t: &str, d: &[[usize; 2]]| -> Vec<String> { d.iter().map(|&s| slice(t, s)).collect() };
        assert_eq!(show(a, &da), ["number", "sharply"]);
        assert_eq!(show(b, &db), ["share"]);
    }
}
