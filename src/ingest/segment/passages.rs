//! Passages: blocks cut to search-sized pieces, each with its place and source position.
//!
//! A block's text joins its lines, so every piece maps back through the block's spans to a line
//! and a byte of the source: a search hit can then quote the page and lines it came from.

use std::sync::LazyLock;

use regex::Regex;

use super::court;
use super::headings::{chapter_title, is_section, named_part};
use super::layout::char_len;
use super::walker::Block;
use super::TARGET_CHARS;
use crate::ingest::normalize::Line;
use crate::model::{Kind, Passage};
use crate::text::sentence::sentence_ends;

/// Cut a long paragraph into pieces of at most [`TARGET_CHARS`] characters, at sentence ends
/// where there are any, else at word boundaries, else anywhere (a 50 MB line with no spaces).
fn split_points(text: &str) -> Vec<(usize, usize)> {
    if char_len(text) <= TARGET_CHARS {
        return vec![(0, text.len())];
    }
    let ends = sentence_ends(text);
    let mut pieces = Vec::new();
    let mut start = 0usize;
    let mut k = 0usize;
    while start < text.len() {
        let rest = &text[start..];
        if char_len_upto(rest, TARGET_CHARS + 1) <= TARGET_CHARS {
            pieces.push((start, text.len()));
            break;
        }
        let limit = start + byte_at_char(rest, TARGET_CHARS);
        while k < ends.len() && ends[k] <= start {
            k += 1;
        }
        let mut cut = None;
        let mut m = k;
        while m < ends.len() && ends[m] <= limit {
            cut = Some(ends[m]);
            m += 1;
        }
        let min = start + byte_at_char(rest, TARGET_CHARS / 3);
        let cut = match cut {
            Some(c) if c > min => c,
            _ => match text[min..limit].rfind(char::is_whitespace) {
                Some(p) => min + p,
                None => limit,
            },
        };
        pieces.push((start, cut));
        start = cut;
        while start < text.len() && text.as_bytes()[start] == b' ' {
            start += 1;
        }
    }
    pieces
}

fn char_len_upto(s: &str, max: usize) -> usize {
    s.chars().take(max).count()
}

fn byte_at_char(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(b, _)| b)
}

fn block_title(b: &Block) -> String {
    b.text
        .trim_matches(|c: char| c == '#' || c.is_whitespace())
        .to_string()
}

/// The document's title: a court decision's own number, else the source's title, else its
/// chapter (`BAB IV — KESIMPULAN`) or first real title line, else the topic its text states
/// (`Penelitian ini membahas tentang …`), else the opening of its first paragraph.
fn doc_title(title_hint: Option<&str>, blocks: &[Block]) -> String {
    if let Some(t) = decision_title(blocks) {
        return t;
    }
    if let Some(t) = title_hint.map(str::trim).filter(|t| !t.is_empty()) {
        return t.to_string();
    }
    for b in blocks.iter().take(12) {
        if b.kind != Some(Kind::Heading) {
            continue;
        }
        if let Some(t) = chapter_title(&b.text) {
            // The chapter with its number: two chapter files are both titled `KESIMPULAN`,
            // but one is `BAB IV — KESIMPULAN` and the other `BAB V — KESIMPULAN`.
            if !t.is_empty() {
                return b.place.chapter.clone().unwrap_or(t);
            }
            continue;
        }
        if named_part(&b.text).is_none() && !is_section(&b.text) {
            return block_title(b);
        }
    }
    if let Some(t) = blocks.iter().take(40).find_map(|b| stated_topic(&b.text)) {
        return t;
    }
    let first = blocks
        .iter()
        .find(|b| matches!(b.kind, Some(Kind::Body) | Some(Kind::Abstract)))
        .or(blocks.first());
    first.map_or(String::new(), |b| opening_sentence(&b.text))
}

/// What a paper says it is about, in the words a title would use: `Penelitian ini membahas
/// tentang Peran ECPAT … di Meksiko.` → `Peran ECPAT … di Meksiko`. A paper extracted without
/// its title page still states its topic this way; the opening of its abstract is a finding,
/// not a title.
fn stated_topic(text: &str) -> Option<String> {
    static TOPIC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:(?:penelitian|artikel|tulisan|skripsi|makalah|kajian|studi) ini|this (?:paper|article|study|research))\s+(?:membahas|mengkaji|menganalisis|meneliti|discusses|examines|analy[sz]es|investigates)\s+(?:tentang\s+|mengenai\s+|about\s+)?")
            .unwrap()
    });
    let m = TOPIC.find(text.trim_start())?;
    let rest = &text.trim_start()[m.end()..];
    let end = sentence_ends(rest).first().copied()?;
    let topic = rest[..end].trim().trim_end_matches('.');
    (topic.starts_with(char::is_uppercase) && (3..=200).contains(&char_len(topic)))
        .then(|| topic.to_string())
}

/// A court decision's title, from the text of its header part ([`court::title`]).
fn decision_title(blocks: &[Block]) -> Option<String> {
    let header: Vec<&str> = blocks
        .iter()
        .take_while(|b| b.place.chapter.as_deref() != Some(court::IDENTITY_PART))
        .filter(|b| b.place.chapter.as_deref() == Some(court::HEADER))
        .map(|b| b.text.as_str())
        .collect();
    if header.is_empty() {
        return None;
    }
    court::title(&header.join(" "))
}

/// The first sentence of `text`, cut to 120 characters.
fn opening_sentence(text: &str) -> String {
    let end = sentence_ends(text).first().copied().unwrap_or(text.len());
    let t = text[..end].trim();
    if char_len(t) > 120 {
        format!("{}…", &t[..byte_at_char(t, 117)])
    } else {
        t.to_string()
    }
}

/// The passages of a document's blocks, numbered in order.
pub(super) fn build_passages(
    doc_id: &str,
    title_hint: Option<&str>,
    lines: &[Line],
    blocks: Vec<Block>,
) -> Vec<Passage> {
    let title = doc_title(title_hint, &blocks);
    let mut out = Vec::new();
    for b in &blocks {
        for (s, e) in split_points(&b.text) {
            let heading = b.kind == Some(Kind::Heading);
            let Some((s, e)) = trimmed(&b.text, s, e, heading) else {
                continue;
            };
            let mut p = passage(b, lines, s, e);
            p.id = format!("{doc_id}#{}", out.len() + 1);
            p.doc = doc_id.to_string();
            p.title = title.clone();
            out.push(p);
        }
    }
    out
}

/// The piece `s..e` of a text without its surrounding white space, and for a heading without
/// its Markdown `#`s (markup, not words); `None` when nothing is left.
fn trimmed(text: &str, s: usize, e: usize, heading: bool) -> Option<(usize, usize)> {
    let piece = &text[s..e];
    let start = if heading {
        piece.trim_start_matches(|c: char| c == '#' || c.is_whitespace())
    } else {
        piece.trim_start()
    };
    let lead = piece.len() - start.len();
    let len = start.trim_end().len();
    (len > 0).then_some((s + lead, s + lead + len))
}

/// The passage for bytes `s..e` of block `b` (id, document and title left for the caller).
fn passage(b: &Block, lines: &[Line], s: usize, e: usize) -> Passage {
    let kind = b.kind.unwrap_or(Kind::Body);
    let (l0, b0) = locate(b, lines, s, false);
    let (l1, b1) = locate(b, lines, e, true);
    Passage {
        id: String::new(),
        doc: String::new(),
        title: String::new(),
        cite_as: None,
        chapter: b.place.chapter.clone(),
        section: b.place.section.clone(),
        section_title: b.place.section_title.clone(),
        parent_title: b.place.parent_title.clone(),
        kind,
        lang: String::new(),
        page: lines[l0].page,
        page_end: lines[l1].page,
        page_lines: lines[l0]
            .page_line
            .zip(lines[l1].page_line)
            .map(|(a, b)| [a, b]),
        lines: [lines[l0].no, lines[l1].no],
        bytes: [b0, b1],
        text: b.text[s..e].to_string(),
        line_map: line_map(b, lines, s, e, lines[l0].no),
        // A footnote's own number is no marker in its text.
        marks: b
            .footnotes
            .iter()
            .filter(|&&(_, at, _)| kind != Kind::Footnote && at >= s && at <= e)
            .map(|&(n, at, line)| (n, at - s, line))
            .collect(),
        citations: Default::default(),
        reference: None,
        fingerprints: Vec::new(),
        forms: None,
        ocr: false,
        footnotes: footnote_numbers(b, kind, s, e),
    }
}

/// Map a byte in the block text to (line index, byte in the source); an end position belongs to
/// the line it closes.
fn locate(b: &Block, lines: &[Line], pos: usize, end: bool) -> (usize, usize) {
    let k = if end {
        b.spans.partition_point(|s| s.0 < pos)
    } else {
        b.spans.partition_point(|s| s.0 <= pos)
    };
    let (start, li, skip) = b.spans[k.max(1) - 1];
    let line = &lines[li];
    let in_line = (skip + pos.saturating_sub(start)).min(line.text.len());
    (li, line.src_offset(in_line))
}

/// `(offset in the piece, line number)` where each source line of bytes `s..e` starts, the first
/// at 0 on `first_no`.
fn line_map(b: &Block, lines: &[Line], s: usize, e: usize, first_no: usize) -> Vec<(usize, usize)> {
    b.spans
        .iter()
        .filter(|sp| sp.0 > s && sp.0 < e)
        .map(|sp| (sp.0 - s, lines[sp.1].no))
        .fold(vec![(0, first_no)], |mut v, x| {
            if v.last().is_some_and(|l| l.1 != x.1) {
                v.push(x);
            }
            v
        })
}

/// The footnote numbers a piece refers to, once each: all of a footnote's, else those whose
/// marker stands in `s..=e`.
fn footnote_numbers(b: &Block, kind: Kind, s: usize, e: usize) -> Vec<u32> {
    b.footnotes
        .iter()
        .filter(|&&(_, at, _)| kind == Kind::Footnote || at >= s && at <= e)
        .map(|&(n, _, _)| n)
        .fold(Vec::new(), |mut v, n| {
            if !v.contains(&n) {
                v.push(n);
            }
            v
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stated_topic_is_a_title_and_a_finding_is_not() {
        let t = "Penelitian ini membahas tentang Peran ECPAT (End Child Prostitution, Child Pornography, and Trafficking of Children for Sexual Purposes) dalam Menangani Kasus Prostitusi Anak di Meksiko. Prostitusi anak terdiri dari praktek-praktek kriminal.";
        assert_eq!(
            stated_topic(t).as_deref(),
            Some("Peran ECPAT (End Child Prostitution, Child Pornography, and Trafficking of Children for Sexual Purposes) dalam Menangani Kasus Prostitusi Anak di Meksiko")
        );
        assert_eq!(
            stated_topic("This study examines Feminist Foreign Policy in Mexico. It finds")
                .as_deref(),
            Some("Feminist Foreign Policy in Mexico")
        );
        assert_eq!(
            stated_topic(
                "Mexico is one of the leading hot spot for sexual exploitation of children."
            ),
            None
        );
        assert_eq!(
            stated_topic("Penelitian ini membahas bagaimana negara bertindak."),
            None
        );
    }
}
