//! Language of each passage: detected where the passage is long enough to tell
//! ([`crate::text::lang`]), inherited from its neighbours where it is not.
//!
//! Short passages (headings, captions, keywords) take the language of their neighbours instead
//! of a guess: a heading that of what follows it, anything else that of what precedes it.

use crate::model::{Kind, Passage};
use crate::text::lang::detect_scored;

/// Set `lang` on every passage of one document.
///
/// Headings take the language of what follows them (the `Abstract` heading is English when the
/// abstract is); other short passages take the language of the passage before them; the first
/// ones in a document fall back to its majority language or the source's own label.
pub fn assign(passages: &mut [Passage], doc_hint: Option<&str>) {
    let scored: Vec<Option<(&'static str, bool)>> =
        passages.iter().map(|p| detect_scored(&p.text)).collect();
    let detected: Vec<Option<&'static str>> = scored.iter().map(|d| d.map(|(l, _)| l)).collect();
    let mut counts: [(usize, &str); 2] = [(0, "id"), (0, "en")];
    for (p, d) in passages.iter().zip(&detected) {
        match d {
            Some("id") => counts[0].0 += p.text.len(),
            Some("en") => counts[1].0 += p.text.len(),
            _ => {}
        }
    }
    let majority = if counts[0].0 == 0 && counts[1].0 == 0 {
        doc_hint.filter(|h| !h.is_empty()).unwrap_or("id")
    } else if counts[1].0 > counts[0].0 {
        "en"
    } else {
        "id"
    };
    let n = passages.len();
    let mut out: Vec<&str> = vec![""; n];
    // A label from 10–19 words stands only where it agrees with a neighbour or the document:
    // an affiliation line full of names is no reason to call a passage English.
    for i in 0..n {
        if let Some((l, firm)) = scored[i] {
            let near = |j: Option<usize>| j.and_then(|j| detected.get(j).copied().flatten());
            let agrees =
                l == majority || near(i.checked_sub(1)) == Some(l) || near(Some(i + 1)) == Some(l);
            out[i] = if firm || agrees { l } else { "" };
        }
    }
    for i in 0..n {
        if !out[i].is_empty() {
            continue;
        }
        let next = (i + 1..n).find_map(|j| detected[j]);
        let prev = (0..i).rev().find_map(|j| detected[j]);
        out[i] = match passages[i].kind {
            Kind::Heading => next.or(prev),
            _ => prev.or(next),
        }
        .unwrap_or(majority);
    }
    for (p, l) in passages.iter_mut().zip(out) {
        p.lang = l.to_string();
    }
}
