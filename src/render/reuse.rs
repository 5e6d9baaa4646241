//! Reuse listings for people: pairs of passages and checked paragraphs, matches highlighted.

use std::fmt::Write as _;

use super::report::plural;
use super::Style;
use crate::search::reuse::{CheckResponse, DupesResponse, Pair, PairKind, PairSide, Side};

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

/// `pustaka dupes`.
pub fn dupes(r: &DupesResponse, st: Style) -> String {
    let mut out = String::new();
    for p in &r.pairs {
        let head = pair_head(p);
        let _ = writeln!(out, "{}", st.bold(&head));
        side(&mut out, &p.a, st);
        side(&mut out, &p.b, st);
        out.push('\n');
    }
    let _ = writeln!(out, "{}", dupes_summary(r));
    out
}

/// The line under the pairs: how many there are, what was looked at, and what was not looked
/// for (with the flag that asks for it).
fn dupes_summary(r: &DupesResponse) -> String {
    let what = r
        .kind
        .map_or("pairs".to_string(), |k| format!("{} pairs", k.name()));
    // A capped listing says so, and how many there are.
    let shown = if r.total > r.pairs.len() {
        format!(
            "the {} most similar of {} {what} (--limit shows more)",
            r.pairs.len(),
            r.total
        )
    } else {
        format!("{} {what}", r.pairs.len())
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
        "{shown} in {} groups ({} passages with fingerprints, {} of them formulaic, {} candidate pairs aligned, {:.0} ms){tail}",
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
            "similarity {:.2}, containment {:.2}",
            p.similarity, p.containment
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
        PairKind::Translated => {
            let cites = match p.cites_other.as_slice() {
                [] => "neither cites the other",
                [PairSide::A] => "the first cites the second",
                [PairSide::B] => "the second cites the first",
                _ => "each cites the other",
            };
            format!(
                "translated: {} sentences aligned, fit {:.2}, {:.2} of the words; {cites}",
                p.sentences.len(),
                p.similarity,
                p.containment
            )
        }
    }
}

/// `pustaka check`: the report, then how many paragraphs were checked.
pub fn check(r: &CheckResponse, st: Style) -> String {
    if r.matches.is_empty() {
        return format!(
            "no reuse found: none of the {} paragraphs checked matches a passage of the corpus\n",
            r.paragraphs
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
