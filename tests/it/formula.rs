//! Formulaic passages (issue 13): text the corpus repeats in many documents, such as the court
//! formulas every decision carries, ranks low in search and stays out of `dupes` unless asked
//! for. On the seed corpus nothing is formulaic; on corpus-large (ignored without it) the
//! formulas are flagged, a substantive query is not drowned by them, and `dupes` lists far
//! fewer pairs by default.

use pustaka::api;
use pustaka::index::Engine;
use pustaka::search::cancel::Cancel;
use pustaka::search::reuse::{DupesResponse, Side};
use pustaka::Hit;

use crate::common;

fn hits(engine: &Engine, q: &str, limit: usize) -> Vec<Hit> {
    api::Search {
        query: q.into(),
        limit: Some(limit),
        ..api::Search::default()
    }
    .answer(engine)
    .unwrap()
    .hits
}

#[test]
fn five_documents_repeat_no_formula() {
    let engine = Engine::open(common::seed_index()).unwrap();
    let d = api::Dupes::default()
        .answer(&engine, &Cancel::never())
        .unwrap();
    assert_eq!(d.formulaic, 0);
    assert!(d.total > 0, "the seed's own repeats are still pairs");
    for q in [
        "perdagangan manusia",
        "kebijakan luar negeri feminis",
        "IOM",
    ] {
        assert!(hits(&engine, q, 20).iter().all(|h| !h.formulaic), "{q}");
    }
}

#[test]
#[ignore = "needs ../shared/corpus-large (run by .ci/run)"]
fn court_formulas_are_flagged_and_rank_below_facts() {
    let engine = common::large_engine();
    // Every decision that charges costs says so in one formula.
    let formula = hits(engine, "\"dibebani pula untuk membayar biaya perkara\"", 50);
    let flagged = formula.iter().filter(|h| h.formulaic).count();
    println!(
        "formula query: {flagged} of {} hits formulaic",
        formula.len()
    );
    assert!(flagged * 10 >= formula.len() * 8, "{flagged}");
    // A query about facts finds facts first.
    for q in [
        "pencurian sepeda motor",
        "pidana penjara",
        "narkotika sabu",
        "gene expression",
    ] {
        let top = hits(engine, q, 10);
        let flagged = top.iter().filter(|h| h.formulaic).count();
        println!("{q:?}: {flagged} of the top 10 formulaic");
        assert!(flagged <= 2, "{q}: {flagged}");
        assert!(!top[0].formulaic, "{q}");
    }
    // PLOS articles share almost no formulas (a funding or licence line at most).
    let plos = hits(engine, "doc:plos study results", 50);
    assert!(plos.iter().filter(|h| h.formulaic).count() <= 2);
}

#[test]
#[ignore = "needs ../shared/corpus-large (run by .ci/run)"]
fn dupes_leaves_formulas_out_unless_asked() {
    let engine = common::large_engine();
    let ask = |formulaic| {
        api::Dupes {
            cross_doc: true,
            limit: Some(1),
            formulaic,
            count_all: true,
            ..api::Dupes::default()
        }
        .answer(engine, &Cancel::never())
        .unwrap()
    };
    let (default, all) = (ask(false), ask(true));
    let share = default.formulaic as f64 / default.passages as f64;
    println!(
        "{} of {} passages formulaic ({share:.3}); pairs {} by default, {} with formulas",
        default.formulaic, default.passages, default.total, all.total
    );
    // 2026-12-02: 25,828 of 74,255 passages (0.348); across documents 30,102 pairs by default,
    // 213,205 with formulas.
    assert!((0.2..0.5).contains(&share));
    assert!(default.total * 5 < all.total);
    assert_eq!(default.formulaic, all.formulaic);
}

/// The editor's list on corpus-large: the pairs sharing the most distinctive text across
/// decisions are substantive paragraphs (facts, reasoning, evidence of sister cases), never a
/// court's formula, even with formulaic passages included: a formula repeated in many
/// decisions counts little in the ranking however similar its copies are. The list with a
/// limit is the list after aligning every candidate, for a fraction of the work.
#[test]
#[ignore = "needs ../shared/corpus-large (run by .ci/run)"]
fn the_top_of_dupes_across_documents_is_substantive_reuse_not_formulas() {
    let engine = common::large_engine();
    let ask = |formulaic, count_all| {
        api::Dupes {
            cross_doc: true,
            limit: Some(20),
            formulaic,
            count_all,
            ..api::Dupes::default()
        }
        .answer(engine, &Cancel::never())
        .unwrap()
    };
    let ids = |r: &DupesResponse| -> Vec<(String, String)> {
        let id = |s: &Side| s.at.passage_id.clone();
        r.pairs.iter().map(|p| (id(&p.a), id(&p.b))).collect()
    };
    let (top, with_formulas, all) = (ask(false, false), ask(true, false), ask(false, true));
    println!(
        "top 20 across documents: {} of {} candidates aligned ({} with --count-all), {} document pairs",
        top.candidates,
        top.candidates + top.skipped,
        all.candidates,
        top.documents.len()
    );
    assert_eq!(ids(&top), ids(&all), "the limit changed the list");
    assert!(
        top.candidates * 3 < all.candidates,
        "the limit saved little work"
    );
    assert!(!top.exhaustive && all.exhaustive);
    assert_eq!(
        ids(&top),
        ids(&with_formulas),
        "formulas entered the top 20"
    );
    for p in &with_formulas.pairs {
        assert!(
            !p.a.formulaic && !p.b.formulaic,
            "{:?}",
            ids(&with_formulas)
        );
        // A paragraph's worth, held by a handful of passages (sister decisions of one case
        // share their evidence three ways), where a formula's stands in ten or more.
        assert!(p.shared_words >= 50, "{} shared words", p.shared_words);
        assert!(p.distinctive >= p.shared_words as f32 / 3.0);
        assert!(p.a.at.doc != p.b.at.doc);
    }
    // Every listed pair is counted under its document pair, with the whole of it.
    for d in &top.documents {
        let listed = top
            .pairs
            .iter()
            .filter(|p| p.a.at.doc == d.a && p.b.at.doc == d.b);
        assert!(listed.count() <= d.pairs && d.uncited <= d.pairs);
        let same = all
            .documents
            .iter()
            .find(|e| (&e.a, &e.b) == (&d.a, &d.b))
            .unwrap();
        assert_eq!(
            (d.pairs, d.uncited),
            (same.pairs, same.uncited),
            "{}–{}",
            d.a,
            d.b
        );
    }
}
