//! Structure against the hand-checked key in `tests/data/structure/key.json` (35 documents: the
//! five seed files, 20 court decisions and 10 PLOS articles chosen by
//! `scripts/structure_sample.py`; how the key was made is in its README): heading precision and
//! recall, and titles, per genre. Printed, and bounded below by what the segmenter reaches today
//! so that no change makes it worse; issue 13's targets (precision ≥ 0.95, recall ≥ 0.90, titles
//! ≥ 95%) are printed beside them.

use std::collections::HashMap;

use pustaka::{ingest, Kind, Passage};
use serde_json::Value;

use crate::common::{self, manifest_dir};

/// One document's truth from the key.
struct Truth {
    title: String,
    headings: Vec<(String, bool)>,
}

fn key() -> HashMap<String, (String, Truth)> {
    let path = manifest_dir().join("tests/data/structure/key.json");
    let key: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut out = HashMap::new();
    for d in key["documents"].as_array().unwrap() {
        let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
        let headings = d["headings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                let text = h["text"].as_str().unwrap().to_string();
                (text, h["match"].as_str() == Some("prefix"))
            })
            .collect();
        let truth = Truth {
            title: s("title"),
            headings,
        };
        out.insert(s("id"), (s("source"), truth));
    }
    out
}

/// A heading's words, lowercased, without the numbering a heading may or may not print
/// (`BAB IV`, `2.1.`, `Ad.1.`, `A.`), for comparing a found heading with the key's.
fn words(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut w: Vec<String> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let numbering = |t: &str| {
        t.chars().all(|c| c.is_ascii_digit())
            || t.chars().all(|c| "ivxlc".contains(c))
            || t.len() == 1
            || t == "bab"
            || t == "ad"
    };
    let lead = w.iter().take_while(|t| numbering(t)).count();
    w.drain(..lead.min(w.len().saturating_sub(1)));
    w
}

/// Letters and digits only, lowercased, numbering kept: `Ad. 1.` → `ad1`.
fn squeezed(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a found heading is the key's: the same words, or one the beginning of the other
/// where the key says only the first line is reliable or the shorter has three words or more.
/// Where the key gives only the first printed line (`"match": "prefix"`), a found heading
/// that starts with it is right, as the key's README says, even when that line is a bare
/// number (`Ad. 3.`), which has no words left once the numbering is dropped.
pub(crate) fn same_heading(found: &str, truth: &str, prefix: bool) -> bool {
    if prefix && squeezed(found).starts_with(&squeezed(truth)) {
        return true;
    }
    let (f, t) = (words(found), words(truth));
    if f == t {
        return true;
    }
    let shorter = f.len().min(t.len());
    (prefix || shorter >= 3) && shorter > 0 && f[..shorter] == t[..shorter]
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Per genre: (headings found, of them right, headings in the key, of them found, titles, right).
#[derive(Default, Debug)]
struct Score {
    found: usize,
    right: usize,
    truth: usize,
    recalled: usize,
    docs: usize,
    titles: usize,
    wrong: Vec<String>,
}

fn score(scores: &mut HashMap<String, Score>, genre: &str, truth: &Truth, ps: &[Passage]) {
    let s = scores.entry(genre.to_string()).or_default();
    let found: Vec<&str> = ps
        .iter()
        .filter(|p| p.kind == Kind::Heading)
        .map(|p| p.text.as_str())
        .collect();
    s.found += found.len();
    s.right += found
        .iter()
        .filter(|f| {
            truth
                .headings
                .iter()
                .any(|(t, pre)| same_heading(f, t, *pre))
        })
        .count();
    s.truth += truth.headings.len();
    s.recalled += truth
        .headings
        .iter()
        .filter(|(t, pre)| found.iter().any(|f| same_heading(f, t, *pre)))
        .count();
    s.docs += 1;
    let title = ps.first().map(|p| p.title.as_str()).unwrap_or_default();
    if flat(title).eq_ignore_ascii_case(&flat(&truth.title)) {
        s.titles += 1;
    } else {
        s.wrong.push(format!("{title:?} (key: {:?})", truth.title));
    }
}

fn report(scores: &HashMap<String, Score>, genre: &str) -> (f64, f64, f64) {
    let s = &scores[genre];
    let p = s.right as f64 / s.found.max(1) as f64;
    let r = s.recalled as f64 / s.truth.max(1) as f64;
    let t = s.titles as f64 / s.docs.max(1) as f64;
    println!(
        "{genre}: heading precision {p:.2} ({}/{}), recall {r:.2} ({}/{}), titles {}/{} \
         (targets 0.95, 0.90, 95%); wrong titles: {:?}",
        s.right, s.found, s.recalled, s.truth, s.titles, s.docs, s.wrong
    );
    (p, r, t)
}

/// The five seed files.
#[test]
fn seed_structure_against_the_key() {
    let key = key();
    let mut scores = HashMap::new();
    ingest::ingest(
        &[manifest_dir().join("corpus")],
        |doc, ingest::Cut { passages: ps, .. }| {
            let id = doc.id.trim_end_matches(".txt");
            if let Some((genre, truth)) = key.get(id) {
                score(&mut scores, genre, truth, &ps);
            }
        },
    );
    assert_eq!(scores["seed"].docs, 5);
    let (p, r, t) = report(&scores, "seed");
    // 2026-12-02: precision 0.98 (44/45), recall 0.69 (44/64), titles 5 of 5 (003 has no title
    // line: its title is the topic its introduction states, as the key gives it). Since 003's
    // headings wrapped in its narrow columns are read whole (segment::column): precision 0.98
    // (62/63: 004's title line), recall 0.97 (62/64: 002's `- Perjanjian Internasional**` and
    // 003's `Rekomendasi`, which follows a recap item with no full stop).
    assert!(p >= 0.97 && r >= 0.96 && t >= 1.0, "{p} {r} {t}");
}

/// The 30 corpus-large documents of the key.
#[test]
#[ignore = "needs ../shared/corpus-large (run by .ci/run)"]
fn corpus_large_structure_against_the_key() {
    let key = key();
    let mut scores = HashMap::new();
    ingest::ingest(
        &common::corpus_large(),
        |doc, ingest::Cut { passages: ps, .. }| {
            if let Some((genre, truth)) = key.get(&doc.id) {
                score(&mut scores, genre, truth, &ps);
            }
        },
    );
    assert_eq!((scores["court"].docs, scores["plos"].docs), (20, 10));
    let (cp, cr, ct) = report(&scores, "court");
    let (pp, pr, pt) = report(&scores, "plos");
    // Floors at 2026-12-02's figures (printed above), so that nothing gets worse.
    assert!(
        cp >= FLOOR[0] && cr >= FLOOR[1] && ct >= FLOOR[2],
        "court {cp} {cr} {ct}"
    );
    assert!(
        pp >= FLOOR[3] && pr >= FLOOR[4] && pt >= FLOOR[5],
        "plos {pp} {pr} {pt}"
    );
}

/// Court precision, recall, titles; PLOS precision, recall, titles. 2026-12-02: court 0.97
/// (108/111), 0.97 (108/111), 19/20 (before the decisions' inner headings — charges, recital
/// labels, elements `Ad.1. Unsur …` — 0.71 (36/51), 0.32 (36/111)); PLOS 0.99 (200/203;
/// supporting-information items are captions now), 0.90 (200/221), 10/10. Of the court
/// "errors", `MENGADILI SENDIRI` (5d2df5301f) and the fourth and fifth charges of 67db5fb64f
/// (`Keempat :`, `Kelima:`, between `ATAU` and `Bahwa ia terdakwa …`) are printed as headings
/// but missing from the key; the misses are two charges whose lines the PDF's reading order
/// scrambled into the text and a `PUTUSAN` line that cleaning drops with the page footer.
const FLOOR: [f64; 6] = [0.96, 0.96, 0.95, 0.97, 0.89, 1.0];
