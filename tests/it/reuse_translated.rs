//! Reuse across languages in `check`: a paragraph that translates a corpus passage is reported
//! as `translated`, with its source and the sentences aligned; unrelated paragraphs are not.

use std::collections::HashSet;

use crate::common::{self, manifest_dir};
use pustaka::index::Engine;

fn engine() -> &'static Engine {
    common::seed_engine()
}

/// `tests/data/translated/id-to-en.jsonl`: (source passage id, the hand translation).
fn planted() -> Vec<(String, String)> {
    let path = manifest_dir().join("tests/data/translated/id-to-en.jsonl");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["source"].as_str().unwrap().to_string(),
                v["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn planted_translations_are_reported_with_their_source() {
    let planted = planted();
    let (mut found, mut reported, mut right) = (0, 0, 0);
    for (source, text) in &planted {
        let r = engine().check(text, 0.3).unwrap();
        let translated: Vec<_> = r.matches.iter().filter(|m| m.translated).collect();
        reported += translated.len();
        right += translated
            .iter()
            .filter(|m| &m.at.passage_id == source)
            .count();
        if let Some(m) = translated.iter().find(|m| &m.at.passage_id == source) {
            found += 1;
            // The aligned sentences come in pairs, each inside its text.
            assert_eq!(m.input_spans.len(), m.spans.len());
            assert!(!m.spans.is_empty());
            let chars = m.text.chars().count();
            assert!(m.spans.iter().all(|s| s[0] < s[1] && s[1] <= chars));
        }
    }
    let recall = found as f32 / planted.len() as f32;
    let precision = right as f32 / reported.max(1) as f32;
    println!(
        "translated reuse: {found} of {} planted found (recall {recall:.2}), {right} of \
         {reported} reported right (precision {precision:.2})",
        planted.len()
    );
    assert!(planted.len() >= 20);
    assert!(recall >= 0.80, "recall {recall:.2}");
    assert!(precision >= 0.95, "precision {precision:.2}");
}

#[test]
fn an_abstract_and_its_translation_in_the_corpus_are_a_translated_pair() {
    // 004 gives its abstract in English and in Indonesian.
    let english = engine()
        .search(&pustaka::SearchRequest {
            query: "\"This research discusses the efforts of IOM\"".into(),
            limit: 1,
            ..pustaka::SearchRequest::default()
        })
        .unwrap();
    let abs = &english.hits[0];
    assert_eq!(abs.lang, "en");
    let r = engine().check(&abs.text, 0.3).unwrap();
    let m = r
        .matches
        .iter()
        .find(|m| m.translated)
        .expect("the Indonesian abstract is found as its translation");
    assert!(
        m.text.starts_with("Penelitian ini membahas upaya IOM"),
        "{}",
        m.text
    );
    assert!(!m.input_cited);
}

/// Paragraphs of `file` in `../shared/corpus-large` of at least 40 words: every 30th, so the
/// sample is fixed and spread over the whole file.
fn sample(file: &str) -> Vec<String> {
    let path = manifest_dir().join("../shared/corpus-large").join(file);
    let mut out = Vec::new();
    for line in std::fs::read_to_string(path).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for p in v["text"].as_str().unwrap_or("").split("\n\n") {
            let p = p.split_whitespace().collect::<Vec<_>>().join(" ");
            if p.split(' ').count() >= 40 {
                out.push(p);
            }
        }
    }
    out.into_iter().step_by(30).collect()
}

#[test]
#[ignore = "needs ../shared/corpus-large (run by .ci/run)"]
fn unrelated_paragraphs_are_no_translation_of_anything() {
    let mut checked = 0;
    let mut false_pairs = HashSet::new();
    for file in ["en_plos_fulltext.jsonl", "id_court_decisions.jsonl"] {
        for chunk in sample(file).chunks(50) {
            let r = engine().check(&chunk.join("\n\n"), 0.3).unwrap();
            checked += r.paragraphs;
            for m in r.matches.iter().filter(|m| m.translated) {
                false_pairs.insert((m.input_text.clone(), m.at.passage_id.clone()));
            }
        }
    }
    println!(
        "{checked} unrelated paragraphs checked, {} translated pairs",
        false_pairs.len()
    );
    assert!(checked >= 500, "{checked}");
    assert!(false_pairs.is_empty(), "{false_pairs:#?}");
}
