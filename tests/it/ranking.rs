//! What issue 14 asked of ranking, on real text: function words neither select nor count, a
//! section's title counts for the paragraphs beneath it (and its heading does not outrank them),
//! a page shows at most `per_doc` passages of one document and says how many more match, and
//! `search --docs` ranks documents. The judged set of corpus-large is scored here too.

use std::collections::{HashMap, HashSet};

use crate::common::{self, manifest_dir};
use pustaka::index::Engine;
use pustaka::{Kind, SearchRequest};

fn engine() -> &'static Engine {
    common::seed_engine()
}

fn search(q: &str, limit: usize, per_doc: usize) -> pustaka::SearchResponse {
    common::seed_search(SearchRequest {
        query: q.into(),
        limit,
        per_doc,
        ..SearchRequest::default()
    })
}

/// The seed corpus's passages for `q` as ranked (no cap per document), by the words as typed
/// only (no translations).
fn untranslated(q: &str, limit: usize) -> pustaka::SearchResponse {
    common::seed_search(SearchRequest {
        query: q.into(),
        limit,
        per_doc: 0,
        translate: false,
        ..SearchRequest::default()
    })
}

fn ids(r: &pustaka::SearchResponse) -> Vec<String> {
    r.hits.iter().map(|h| h.id.clone()).collect()
}

#[test]
fn function_words_neither_select_nor_count() {
    // The question and its subject words alone give the same passages in the same order.
    let question = search(
        "apa dampak perdagangan manusia terhadap perempuan di Meksiko",
        10,
        0,
    );
    let subject = search("dampak perdagangan manusia perempuan Meksiko", 10, 0);
    // The function words select no passage of their own; they still tell the query's language,
    // which orders passages among equals, so the first hits agree, not every rank.
    assert_eq!(question.total, subject.total);
    assert_eq!(ids(&question)[..3], ids(&subject)[..3]);
    // Nor are they highlighted.
    let h = &question.hits[0];
    for [s, e] in &h.highlights {
        let w = h.text[*s..*e].to_lowercase();
        assert!(!["apa", "terhadap", "di"].contains(&w.as_str()), "{w}");
    }
    // English too.
    let en = search("what is the role of the IOM in Mexico", 10, 0);
    let bare = search("role IOM Mexico", 10, 0);
    assert_eq!(en.total, bare.total);
    assert_eq!(ids(&en)[..3], ids(&bare)[..3]);
}

#[test]
fn a_word_whose_root_is_a_function_word_is_not_found_by_that_root() {
    // `pendapat` (opinion) reduces to `dapat` ("can"), `peserta` (participant) to `serta`
    // ("and"), `bagian` (part) to `bagi` ("for"): by their roots they found, and marked, every
    // "can", "and" or "for" of the seed corpus.
    for (q, root) in [
        ("pendapat", "dapat"),
        ("peserta", "serta"),
        ("bagian", "bagi"),
    ] {
        let r = untranslated(q, 100);
        assert!(!r.hits.is_empty(), "{q}");
        let bare = untranslated(root, 0);
        assert!(
            bare.total > 2 * r.total,
            "{q}: {} vs {root}: {}",
            r.total,
            bare.total
        );
        for h in &r.hits {
            let marked = common::marked(h);
            assert!(!marked.is_empty(), "{q}: nothing marked in {}", h.text);
            assert!(!marked.iter().any(|m| m == root), "{q}: {marked:?}");
        }
    }
}

#[test]
fn a_word_that_is_its_own_root_or_stem_still_finds_its_inflections() {
    // `eksploitasi` is its own Indonesian root and `migrant` its own English stem; the seed
    // corpus also writes `dieksploitasi`, `mengeksploitasi` and `migrants`, in passages without
    // the bare word. A root or stem equal to the word was once folded into the word as
    // written, which lost those passages (8 of 38 and 9 of 12): the inflected query found more
    // than the bare one.
    let holds = |text: &str, w: &str| {
        text.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .any(|t| t == w)
    };
    for (q, inflected) in [("eksploitasi", "dieksploitasi"), ("migrant", "migrants")] {
        let r = untranslated(q, 100);
        assert!(r.total <= 100, "{q}: {}", r.total);
        let only_inflected: Vec<&pustaka::Hit> = r
            .hits
            .iter()
            .filter(|h| holds(&h.text, inflected) && !holds(&h.text, q))
            .collect();
        assert!(
            !only_inflected.is_empty(),
            "{q}: no passage with only {inflected}"
        );
        // Found by the inflection, which is marked.
        for h in &only_inflected {
            let marked = common::marked(h);
            assert!(marked.iter().any(|m| m == inflected), "{q}: {marked:?}");
        }
        // The bare word finds at least every passage the inflected word finds.
        let by_inflected = untranslated(inflected, 0);
        assert!(
            r.total >= by_inflected.total,
            "{q}: {} < {}",
            r.total,
            by_inflected.total
        );
    }
}

#[test]
fn a_phrase_still_needs_its_function_words_and_a_query_of_them_alone_works() {
    let phrase = search("\"perdagangan manusia di Meksiko\"", 50, 0);
    assert!(phrase.total > 0);
    for h in &phrase.hits {
        assert!(
            h.text
                .to_lowercase()
                .contains("perdagangan manusia di meksiko"),
            "{}",
            h.id
        );
    }
    // Without quotes, `di` is dropped, so more passages match.
    assert!(search("perdagangan manusia di Meksiko", 0, 0).total > phrase.total);
    // Nothing but function words: they are all the query asks for.
    assert!(search("yang dan di", 10, 0).total > 0);
}

#[test]
fn a_section_title_counts_for_the_paragraphs_beneath_it() {
    // 003's `Dampak Fisik dan Psikologis Korban` heads a numbered list (`2. Post Traumatic
    // Stress Disorder (PTSD)`); the PTSD paragraph says `cemas, stres atau rasa takut` and none
    // of the query's words. Translations are left out: they add the English abstracts about
    // victims as candidates, which is beside what this asks of the ranking.
    let r = engine()
        .search(&SearchRequest {
            // The paragraph ranks below the passages that say `korban` themselves (29th of
            // them when written, 30th since the roots' field holds only inflected words).
            query: "dampak psikologis korban".into(),
            limit: 40,
            translate: false,
            ..SearchRequest::default()
        })
        .unwrap();
    let ptsd = r
        .hits
        .iter()
        .position(|h| h.text.contains("cemas, stres"))
        .expect("the PTSD paragraph is found through its section's title");
    let p = &r.hits[ptsd];
    assert_eq!(
        p.parent_title.as_deref(),
        Some("Dampak Fisik dan Psikologis Korban")
    );
    for w in ["dampak", "psikologis", "korban"] {
        assert!(!p.text.to_lowercase().contains(w), "{w}");
    }
    // It ranks above every passage that holds no query word and no such title.
    for h in &r.hits[ptsd + 1..] {
        assert!(h.score <= p.score);
    }
    // The heading itself ranks below the best paragraph beneath it.
    let heading = r
        .hits
        .iter()
        .position(|h| h.kind == Kind::Heading && h.text == "Dampak Fisik dan Psikologis Korban")
        .expect("the heading matches");
    let first_beneath = r
        .hits
        .iter()
        .position(|h| {
            h.kind != Kind::Heading
                && h.parent_title.as_deref() == Some("Dampak Fisik dan Psikologis Korban")
        })
        .unwrap();
    assert!(first_beneath < heading, "{first_beneath} vs {heading}");
}

#[test]
fn a_heading_above_a_paragraph_beneath_it_moves_below_that_paragraph() {
    // On the seed corpus this query ranks 003's heading `4. ECPAT Meksiko Mengadakan ...` by
    // BM25 above paragraphs of its own section; the heading must not be what a reader meets
    // first. Over the whole re-ranked window (per_doc 0: no spreading), every heading either
    // stands right below a paragraph beneath it, or has none beneath it further down.
    let r = search("anak dilecehkan pendeta Oaxaca", 100, 0);
    let beneath = |p: &pustaka::Hit, heading: &str| {
        p.kind != Kind::Heading
            && [&p.section_title, &p.parent_title]
                .iter()
                .any(|t| t.as_deref() == Some(heading))
    };
    let mut moved = 0;
    for (k, h) in r.hits.iter().enumerate() {
        if h.kind != Kind::Heading {
            continue;
        }
        let below_its_own = k > 0 && beneath(&r.hits[k - 1], &h.text) && r.hits[k - 1].doc == h.doc;
        let later = r.hits[k + 1..]
            .iter()
            .find(|p| p.doc == h.doc && beneath(p, &h.text));
        assert!(
            below_its_own || later.is_none(),
            "heading {} at {k} ranks above {} beneath it",
            h.id,
            later.map_or("", |p| p.id.as_str())
        );
        moved += usize::from(below_its_own);
    }
    assert!(
        moved > 0,
        "no heading of this query has a paragraph beneath it"
    );
}

/// How many passages of `doc` match `q`: the same query restricted to the document.
fn matches_in(q: &str, doc: &str) -> usize {
    engine()
        .search(&SearchRequest {
            query: q.into(),
            limit: 0,
            doc: Some(doc.into()),
            ..SearchRequest::default()
        })
        .unwrap()
        .total
}

#[test]
fn a_page_shows_at_most_per_doc_passages_of_a_document_and_says_how_many_more() {
    let q = "perdagangan manusia";
    let uncapped = search(q, 10, 0);
    let mut per: HashMap<&str, usize> = HashMap::new();
    for h in &uncapped.hits {
        *per.entry(h.doc.as_str()).or_default() += 1;
    }
    assert!(
        per.values().any(|&n| n > 2),
        "the test needs a document with more than 2 hits"
    );
    assert!(
        uncapped.hits.iter().all(|h| h.more == 0),
        "no cap, no `more`"
    );

    let mut seen = HashSet::new();
    let mut shown: HashMap<String, usize> = HashMap::new();
    for page in 0..3 {
        let r = engine()
            .search(&SearchRequest {
                query: q.into(),
                limit: 10,
                offset: page * 10,
                per_doc: 2,
                ..SearchRequest::default()
            })
            .unwrap();
        assert_eq!(
            r.total, uncapped.total,
            "the cap hides nothing from the count"
        );
        let mut on_page: HashMap<&str, usize> = HashMap::new();
        for h in &r.hits {
            assert!(seen.insert(h.id.clone()), "{} on two pages", h.id);
            *on_page.entry(h.doc.as_str()).or_default() += 1;
            *shown.entry(h.doc.clone()).or_default() += 1;
        }
        if page == 0 {
            // A document's third hit comes after every document's first two: with five
            // documents, some holding fewer than two, the page is filled with third hits
            // rather than left short.
            let mut nth: HashMap<&str, usize> = HashMap::new();
            let rounds: Vec<usize> = r
                .hits
                .iter()
                .map(|h| {
                    let n = nth.entry(h.doc.as_str()).or_default();
                    *n += 1;
                    (*n - 1) / 2
                })
                .collect();
            assert!(rounds.windows(2).all(|w| w[0] <= w[1]), "{rounds:?}");
            assert!(rounds[0] == 0 && on_page.len() >= 4, "{on_page:?}");
        }
        // `more` is on a document's last hit of the page: its matches not shown so far.
        for (k, h) in r.hits.iter().enumerate() {
            let last = !r.hits[k + 1..].iter().any(|x| x.doc == h.doc);
            if last {
                assert_eq!(h.more, matches_in(q, &h.doc) - shown[&h.doc], "{}", h.id);
            } else {
                assert_eq!(h.more, 0);
            }
        }
    }
    // A query that names its document shows it all.
    let one = engine()
        .search(&SearchRequest {
            query: q.into(),
            limit: 10,
            per_doc: 2,
            doc: Some("004".into()),
            ..SearchRequest::default()
        })
        .unwrap();
    assert!(one.hits.len() > 2 && one.hits.iter().all(|h| h.more == 0));
}

#[test]
fn documents_are_ranked_by_their_best_passage_with_how_many_match() {
    let q = "perdagangan manusia";
    let req = SearchRequest {
        query: q.into(),
        limit: 10,
        ..SearchRequest::default()
    };
    let r = engine().search_docs(&req).unwrap();
    let passages = search(q, 0, 0);
    assert_eq!(r.total, passages.total);
    assert_eq!(r.docs.iter().map(|d| d.matches).sum::<usize>(), r.total);
    assert_eq!(r.total_docs, r.docs.len(), "five seed documents fit a page");
    for pair in r.docs.windows(2) {
        assert!(pair[0].best.score >= pair[1].best.score);
    }
    for d in &r.docs {
        assert_eq!(d.matches, matches_in(q, &d.doc), "{}", d.doc);
        let best = engine()
            .search(&SearchRequest {
                query: q.into(),
                limit: 1,
                doc: Some(d.doc.clone()),
                ..SearchRequest::default()
            })
            .unwrap();
        assert_eq!(best.hits[0].id, d.best.id);
    }
}

/// The judged set of corpus-large (`tests/data/relevance/large.json`): natural-language
/// questions about the court decisions and the PLOS articles, scored like `../shared/eval`.
/// The floors are the figures of the commit that added function words, context and the length
/// prior (0.503 overall, 0.343 on the Indonesian questions, 0.624 on the English ones; the
/// ranking before them scored 0.448, 0.304, 0.574, and plain BM25 scores 0.311, 0.174, 0.452).
#[test]
#[ignore = "needs ../shared/corpus-large (run by .ci/run)"]
fn corpus_large_judged_set_reaches_its_floors() {
    let engine = common::large_engine();
    let path = manifest_dir().join("tests/data/relevance/large.json");
    let ranked = crate::search::ndcg_by_kind(engine, &path, 0);
    assert!(ranked["ALL"] >= 0.50, "{:.3}", ranked["ALL"]);
    assert!(
        ranked["id-question"] >= 0.34,
        "{:.3}",
        ranked["id-question"]
    );
    assert!(
        ranked["en-question"] >= 0.62,
        "{:.3}",
        ranked["en-question"]
    );
}
