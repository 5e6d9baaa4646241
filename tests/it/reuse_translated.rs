//! Reuse across languages in `check`: a paragraph that translates a corpus passage is reported
//! as `translated`, with its source and the sentences aligned; unrelated paragraphs are not.

use std::collections::HashSet;

use crate::common::{self, manifest_dir};
use pustaka::index::Engine;
use pustaka::search::reuse::PairKind;

fn engine() -> &'static Engine {
    common::seed_engine()
}

/// `tests/data/translated/id-to-en.jsonl`: (source passage id, the hand translation).
fn planted() -> Vec<(String, String)> {
    translations("id-to-en.jsonl")
        .into_iter()
        .map(|t| (t.source, t.text))
        .collect()
}

/// A hand translation of a seed passage (`tests/data/translated/`, see its README).
struct Translation {
    source: String,
    text: String,
    /// Other passages its translation rightly matches, judged by reading.
    also: Vec<String>,
}

fn translations(file: &str) -> Vec<Translation> {
    let path = manifest_dir().join("tests/data/translated").join(file);
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let text = |k: &str| v[k].as_str().unwrap().to_string();
            let also = v["also"].as_array().map_or(Vec::new(), |a| {
                a.iter().map(|x| x.as_str().unwrap().to_string()).collect()
            });
            Translation {
                source: text("source"),
                text: text("text"),
                also,
            }
        })
        .collect()
}

/// Translations written after the thresholds were set, both ways: each is reported with its
/// source, and with nothing that is not its source (or a passage judged by reading to say the
/// same).
#[test]
fn held_out_translations_both_ways_are_reported_with_their_source() {
    for (file, min) in [
        ("heldout-id-to-en.jsonl", 12),
        ("heldout-en-to-id.jsonl", 4),
    ] {
        let set = translations(file);
        assert!(set.len() >= min, "{file}");
        let (mut found, mut reported, mut right) = (0, 0, 0);
        for t in &set {
            let r = engine().check(&t.text, 0.3).unwrap();
            let ids: Vec<&str> = r
                .matches
                .iter()
                .filter(|m| m.translated)
                .map(|m| m.at.passage_id.as_str())
                .collect();
            found += usize::from(ids.contains(&t.source.as_str()));
            reported += ids.len();
            right += ids
                .iter()
                .filter(|id| **id == t.source || t.also.iter().any(|a| a == *id))
                .count();
        }
        let recall = found as f32 / set.len() as f32;
        let precision = right as f32 / reported.max(1) as f32;
        println!(
            "{file}: {found} of {} found (recall {recall:.2}), {right} of {reported} right \
             (precision {precision:.2})",
            set.len()
        );
        assert!(recall >= 0.80, "{file}: recall {recall:.2}");
        assert!(precision >= 0.95, "{file}: precision {precision:.2}");
    }
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
    // And the other way: the Indonesian abstract checked finds the English one.
    let r = engine().check(&m.text, 0.3).unwrap();
    let back = r.matches.iter().find(|m| m.translated);
    assert_eq!(back.map(|m| &m.at.passage_id), Some(&abs.id));
}

#[test]
fn a_translation_says_whether_it_cites_its_source() {
    // Saragih & Alfajri (2023) is how 004 names itself; the translation of its passage #25
    // credits it, or credits another work, or nothing.
    let (source, text) = planted()
        .into_iter()
        .find(|(s, _)| s == "004_ee0b6ec72090fab7.txt#25")
        .unwrap();
    let cites_source = |with: &str| {
        let r = engine().check(&format!("{text}{with}"), 0.3).unwrap();
        let m = r
            .matches
            .iter()
            .find(|m| m.translated && m.at.passage_id == source);
        m.unwrap_or_else(|| panic!("{with:?}: the source is found"))
            .cites_source
    };
    assert_eq!(cites_source(" (Saragih & Alfajri, 2023)"), Some(true));
    assert_eq!(cites_source(" (Saragih & Alfajri, 2019)"), Some(false));
    assert_eq!(cites_source(" (UNODC, 2020)"), Some(false));
    assert_eq!(cites_source(""), Some(false));
}

#[test]
fn dupes_pairs_translations_in_the_corpus_with_their_sources() {
    // The seed corpus and each planted translation as a document of its own.
    let dir = common::scratch("dupes_translated");
    let corpus = dir.join("corpus");
    common::copy_seed_corpus(&corpus);
    let planted = planted();
    for (i, (_, text)) in planted.iter().enumerate() {
        std::fs::write(corpus.join(format!("zz-planted-{i:02}.txt")), text).unwrap();
    }
    let index = dir.join("index");
    pustaka::index::build(&index, &[corpus], &mut |_| {}).unwrap();
    let engine = Engine::open(&index).unwrap();
    let r = engine
        .dupes(&pustaka::search::reuse::DupesRequest {
            translated: true,
            limit: Some(1000),
            ..Default::default()
        })
        .unwrap();
    let translated: Vec<_> = r
        .pairs
        .iter()
        .filter(|p| p.kind == PairKind::Translated)
        .collect();
    let partner = |doc: &str| -> Vec<&str> {
        let mut out = Vec::new();
        for p in &translated {
            if p.a.at.doc == doc {
                out.push(p.b.at.passage_id.as_str());
            } else if p.b.at.doc == doc {
                out.push(p.a.at.passage_id.as_str());
            }
        }
        out
    };
    let (mut found, mut reported, mut right) = (0, 0, 0);
    for (i, (source, _)) in planted.iter().enumerate() {
        let partners = partner(&format!("zz-planted-{i:02}.txt"));
        reported += partners.len();
        right += partners.iter().filter(|p| *p == source).count();
        found += usize::from(partners.contains(&source.as_str()));
    }
    let recall = found as f32 / planted.len() as f32;
    let precision = right as f32 / reported.max(1) as f32;
    println!(
        "dupes --translated: {found} of {} planted paired with their source (recall \
         {recall:.2}), {right} of {reported} pairs right (precision {precision:.2}); {} \
         translated pairs in all",
        planted.len(),
        translated.len()
    );
    assert!(recall >= 0.80, "recall {recall:.2}");
    assert!(precision >= 0.95, "precision {precision:.2}");
    // The corpus's own pair: 004's English abstract and its Indonesian one, sentence by
    // sentence, and neither cites the other.
    let abstracts = translated
        .iter()
        .find(|p| {
            p.a.text
                .starts_with("This research discusses the efforts of IOM")
        })
        .expect("004's abstracts are paired");
    assert!(abstracts
        .b
        .text
        .starts_with("Penelitian ini membahas upaya IOM"));
    assert!(
        abstracts.sentences.len() >= 5,
        "{}",
        abstracts.sentences.len()
    );
    assert!(abstracts.cites_other.is_empty());
    // Without asking, no translated pair.
    let plain = engine.dupes(&Default::default()).unwrap();
    assert!(plain.pairs.iter().all(|p| p.kind != PairKind::Translated));
    // Asked for by kind: the same translated pairs alone, counted alone, without the
    // word-by-word pass; and asked for the other kinds, none of them.
    let only = engine
        .dupes(&pustaka::search::reuse::DupesRequest {
            kind: Some(PairKind::Translated),
            limit: Some(1000),
            ..Default::default()
        })
        .unwrap();
    let ids = |ps: &[&pustaka::search::reuse::Pair]| -> Vec<(String, String)> {
        let mut v: Vec<_> = ps
            .iter()
            .map(|p| (p.a.at.passage_id.clone(), p.b.at.passage_id.clone()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        ids(&only.pairs.iter().collect::<Vec<_>>()),
        ids(&translated)
    );
    assert_eq!(
        (only.total, only.translated),
        (translated.len(), Some(translated.len()))
    );
    assert_eq!(only.candidates, 0);
    assert!(plain.total > 0);
    for kind in [PairKind::Reuse, PairKind::Restated] {
        let other = engine
            .dupes(&pustaka::search::reuse::DupesRequest {
                kind: Some(kind),
                translated: true,
                ..Default::default()
            })
            .unwrap();
        assert!(other.total > 0, "{kind:?}");
        assert!(other.pairs.iter().all(|p| p.kind == kind), "{kind:?}");
        assert_eq!(other.translated, None);
    }
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

/// Court decisions of corpus-large in which `dupes --translated` once paired passages of the
/// same decision: lists of seized phones, card numbers, gambling sites' URLs, some read as
/// English, which fit one another through the very same names and numbers.
const MISREAD_DECISIONS: [&str; 4] = [
    "idcourt-siber-829ca9aaec",
    "idcourt-siber-2816f92a42",
    "idcourt-tppo-3699296e13",
    "idcourt-tppo-00037b54a2",
];

#[test]
#[ignore = "needs ../shared/corpus-large (run by .ci/run)"]
fn passages_repeating_the_same_names_and_numbers_are_no_translation() {
    let [court, _] = common::corpus_large();
    let lines: Vec<String> = std::fs::read_to_string(court)
        .unwrap()
        .lines()
        .filter(|l| MISREAD_DECISIONS.iter().any(|id| l.contains(id)))
        .map(String::from)
        .collect();
    assert_eq!(lines.len(), MISREAD_DECISIONS.len());
    let dir = common::scratch("misread_decisions");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("decisions.jsonl"), lines.join("\n")).unwrap();
    let index = dir.join("index");
    pustaka::index::build(&index, &[corpus], &mut |_| {}).unwrap();
    let engine = Engine::open(&index).unwrap();
    // The decisions do hold passages read as English, which the pass looks for in Indonesian.
    let english = engine
        .search(&pustaka::search::SearchRequest {
            query: "unit".into(),
            lang: Some("en".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(english.total > 0);
    let r = engine
        .dupes(&pustaka::search::reuse::DupesRequest {
            kind: Some(PairKind::Translated),
            limit: Some(1000),
            ..Default::default()
        })
        .unwrap();
    let pairs: Vec<_> = r
        .pairs
        .iter()
        .map(|p| (&p.a.at.passage_id, &p.b.at.passage_id))
        .collect();
    assert_eq!(r.translated, Some(0), "{pairs:#?}");
    assert!(r.pairs.is_empty());
}
