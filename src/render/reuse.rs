//! Reuse listings for people: pairs of passages and checked paragraphs, matches highlighted.

use std::fmt::Write as _;

use super::report::plural;
use super::Style;
use crate::search::reuse::{
    CheckResponse, DocumentPair, DupesResponse, Pair, PairKind, PairSide, Side,
};

/// `text` with the character spans painted.
fn painted(text: &str, spans: &[[usize; 2]], st: Style) -> String {
    let mut out = String::new();
    let mut pos = 0;
    let chars: Vec<char> = text.chars().collect();
    for &[s, e] in spans {
        let (s, e) = (s.min(chars.len()), e.min(chars.len()));
        if s < pos {
            continue;
        }
        out.extend(&chars[pos..s]);
        out.push_str(&st.accent(&chars[s..e].iter().collect::<String>()));
        pos = e;
    }
    out.extend(&chars[pos..]);
    out
}

fn side(out: &mut String, s: &Side, st: Style) {
    let cited = if s.cited {
        let works: Vec<String> = s
            .citations
            .iter()
            .map(|c| {
                format!(
                    "{} {}",
                    c.authors.first().map_or("?", String::as_str),
                    c.year.as_deref().unwrap_or("n.d.")
                )
            })
            .collect();
        format!("cites {}", works.join("; "))
    } else {
        "no citation".to_string()
    };
    let _ = writeln!(
        out,
        "  {}  {}  {}",
        st.bold(&s.at.passage_id),
        st.dim(&format!("lines {}–{}", s.at.lines[0], s.at.lines[1])),
        st.dim(&cited)
    );
    let _ = writeln!(out, "    {}", painted(&s.text, &s.spans, st));
}

/// `pustaka dupes`: the pairs, most distinctive first; with `--cross-doc` under their
/// document pair, the document pairs in the order of how much they share.
pub fn dupes(r: &DupesResponse, st: Style) -> String {
    let mut out = String::new();
    if r.documents.is_empty() {
        r.pairs.iter().for_each(|p| pair(&mut out, p, st));
    }
    for d in &r.documents {
        let _ = writeln!(out, "{}\n", st.bold(&document_head(d)));
        let of = |p: &&Pair| p.a.at.doc == d.a && p.b.at.doc == d.b;
        r.pairs
            .iter()
            .filter(of)
            .for_each(|p| pair(&mut out, p, st));
    }
    let _ = writeln!(out, "{}", dupes_summary(r));
    out
}

fn pair(out: &mut String, p: &Pair, st: Style) {
    let _ = writeln!(out, "{}", st.bold(&pair_head(p)));
    side(out, &p.a, st);
    side(out, &p.b, st);
    out.push('\n');
}

/// A document pair as an editor reads it: who reuses how much of whom, and without credit.
fn document_head(d: &DocumentPair) -> String {
    let uncited = match d.uncited {
        0 => "each citing the other's document".to_string(),
        n if n == d.pairs => "none citing the other's document".to_string(),
        n => format!("{n} without citing the other's document"),
    };
    format!(
        "== {} ({}) and {} ({}): {} reused, {} of the one in {} of the other, {} shared words; {uncited}",
        d.a,
        d.a_title,
        d.b,
        d.b_title,
        plural(d.pairs, "passage pair", "passage pairs"),
        plural(d.passages_a, "passage", "passages"),
        plural(d.passages_b, "passage", "passages"),
        d.shared_words
    )
}

/// The line under the pairs: how many there are, what was looked at, and what was not looked
/// for (with the flag that asks for it).
fn dupes_summary(r: &DupesResponse) -> String {
    let what = r
        .kind
        .map_or("pairs".to_string(), |k| format!("{} pairs", k.name()));
    // A capped listing says so, and how many there are.
    let at_least = if r.exhaustive { "" } else { "at least " };
    let shown = if r.total > r.pairs.len() || !r.exhaustive {
        format!(
            "the {} sharing the most distinctive text of {at_least}{} {what} (--limit shows more)",
            r.pairs.len(),
            r.total
        )
    } else {
        format!("{} {what}", r.pairs.len())
    };
    let skipped = match r.skipped {
        0 => String::new(),
        n => format!(", {n} left unaligned as none could be listed (--count-all aligns them)"),
    };
    let mut tail = String::new();
    if let (Some(n), Some(k), Some(PairKind::Restated)) = (r.claim_sentences, r.restated, r.kind) {
        let _ = write!(tail, "; {k} of {n} claim sentences restated");
    } else if let (Some(n), Some(k)) = (r.claim_sentences, r.restated) {
        let restated = r
            .pairs
            .iter()
            .filter(|p| p.kind == PairKind::Restated)
            .count();
        let _ = write!(
            tail,
            "; {restated} of the pairs are restated claims ({k} of {n} claim sentences restated)"
        );
    } else if r.kind.is_none() {
        // Paraphrase is not looked for by default: say how to ask for it.
        tail.push_str("; claims restated in other words are not looked for: add --claims");
    }
    if let (Some(t), None) = (r.translated, r.kind) {
        let _ = write!(tail, "; {t} of the pairs translate each other");
    }
    format!(
        "{shown} in {at_least}{} groups ({} passages with fingerprints, {} of them formulaic and left out unless --include-formulaic, {} candidate pairs aligned{skipped}, {:.0} ms){tail}",
        r.groups.len(),
        r.passages,
        r.formulaic,
        r.candidates,
        r.took_ms
    )
}

/// The heading of a pair: its scores, and for restated claims which way they go.
fn pair_head(p: &Pair) -> String {
    match p.kind {
        PairKind::Reuse => format!(
            "{} shared ({:.1} distinctive), similarity {:.2}, containment {:.2}; {}",
            plural(p.shared_words, "word", "words"),
            p.distinctive,
            p.similarity,
            p.containment,
            who_cites(p)
        ),
        PairKind::Restated => {
            let (a, b) = p.claims.iter().fold((0, 0), |(a, b), c| match c.claim {
                PairSide::A => (a + 1, b),
                PairSide::B => (a, b + 1),
            });
            let who = match (a, b) {
                (_, 0) => format!("{} restated by the second", plural(a, "claim", "claims")),
                (0, _) => format!("{} restated by the first", plural(b, "claim", "claims")),
                _ => format!("{} restated both ways", plural(a + b, "claim", "claims")),
            };
            format!(
                "restated claim: score {:.2}, covers {:.2} of the claim; {who}",
                p.similarity, p.containment
            )
        }
        PairKind::Translated => format!(
            "translated: {} sentences aligned, fit {:.2}, {:.2} of the words; {}",
            p.sentences.len(),
            p.similarity,
            p.containment,
            who_cites(p)
        ),
    }
}

/// Which side of a pair credits the other's document.
fn who_cites(p: &Pair) -> &'static str {
    match p.cites_other.as_slice() {
        [] => "neither cites the other",
        [PairSide::A] => "the first cites the second",
        [PairSide::B] => "the second cites the first",
        _ => "each cites the other",
    }
}

/// `pustaka check`: the report, then how many paragraphs were checked.
pub fn check(r: &CheckResponse, st: Style) -> String {
    if r.matches.is_empty() {
        // Nothing found in what was read is no finding about what was not.
        return format!(
            "no reuse found: none of the {} paragraphs checked matches a passage of the corpus\n{}",
            r.paragraphs,
            super::report::not_checked(&r.report, st)
        );
    }
    let mut out = super::report::report(&r.report, st);
    if r.report.stretches.is_empty() {
        let _ = writeln!(
            out,
            "no reuse counted: every match was left out by the filters above"
        );
    }
    let _ = writeln!(
        out,
        "\n{} of {} paragraphs checked reuse corpus text ({:.0} ms)",
        r.reused, r.paragraphs, r.took_ms
    );
    out
}
