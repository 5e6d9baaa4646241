//! Splits (issue 19): the seed corpus, with a paragraph of one document planted in a new
//! document of another split, built as three separate indexes and as one. Read through a
//! metastore, the splits must rank every query exactly as the one index does, `align` over
//! candidate pairs from a fingerprint join must find the pairs `dupes` finds, and a split
//! changed since it was listed must be named, not read.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use pustaka::index::{self, splits, Engine};
use pustaka::search::reuse::{DupesRequest, Pair, MAX_SHARED};
use pustaka::SearchRequest;

use crate::common::{manifest_dir, run_bare, scratch};

/// Three splits (004 and the planted copy, 002+003, 000+001) and one index of all six files.
struct Built {
    metastore: PathBuf,
    one: PathBuf,
    all: PathBuf,
}

fn built() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| {
        let root = scratch("splits");
        // In another order than the one index holds them (its files in name order), so
        // that a tie broken by position in the index would show.
        let groups: [&[&str]; 3] = [&["004"], &["002", "003"], &["000", "001"]];
        let all = root.join("all");
        fs::create_dir_all(&all).unwrap();
        let planted = planted_text();
        let mut dirs = Vec::new();
        for (i, group) in groups.iter().enumerate() {
            let part = root.join(format!("part-{i}"));
            fs::create_dir_all(&part).unwrap();
            for f in fs::read_dir(manifest_dir().join("corpus")).unwrap() {
                let f = f.unwrap().path();
                let name = f.file_name().unwrap().to_string_lossy().into_owned();
                if group.iter().any(|g| name.starts_with(g)) {
                    fs::copy(&f, part.join(&name)).unwrap();
                    fs::copy(&f, all.join(&name)).unwrap();
                }
            }
            if i == 0 {
                fs::write(part.join("900_planted.txt"), &planted).unwrap();
                fs::write(all.join("900_planted.txt"), &planted).unwrap();
            }
            let split = root.join(format!("split-{i}"));
            index::build(&split, &[part], &mut |_| {}).unwrap();
            dirs.push(split);
        }
        let metastore = root.join("metastore.json");
        splits::write_metastore(&metastore, &dirs).unwrap();
        let one = root.join("one");
        index::build(&one, std::slice::from_ref(&all), &mut |_| {}).unwrap();
        Built {
            metastore,
            one,
            all,
        }
    })
}

/// A short document of its own words around two body passages of 000 (as `passages` cuts
/// them), which the splits hold in another split.
fn planted_text() -> String {
    let src = manifest_dir().join("corpus/000_fcc74d82d28cc91d.txt");
    let (out, err, ok) = run_bare(&["passages", "--json", src.to_str().unwrap()], None);
    assert!(ok, "{err}");
    let long: Vec<String> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["kind"] == "body" && v["text"].as_str().unwrap().split(' ').count() > 60)
        .map(|v| v["text"].as_str().unwrap().to_string())
        .collect();
    assert!(long.len() > 6, "000 has long body passages");
    format!(
        "Catatan Editor\n\nTulisan ini menguji penyalinan antarbagian indeks.\n\n{}\n\n{}\n\nAkhir catatan.\n",
        long[3], long[5]
    )
}

fn search(engine: &Engine, q: &str, per_doc: usize) -> (usize, Vec<(String, f32)>) {
    let r = engine
        .search(&SearchRequest {
            query: q.into(),
            limit: 20,
            per_doc,
            ..SearchRequest::default()
        })
        .unwrap_or_else(|e| panic!("{q}: {e}"));
    let hits = r
        .hits
        .iter()
        .map(|h| (h.passage.id.clone(), h.score))
        .collect();
    (r.total, hits)
}

#[test]
fn splits_rank_every_query_as_one_index_of_the_same_documents() {
    let b = built();
    let split = Engine::open_splits(&b.metastore).unwrap();
    let one = Engine::open(&b.one).unwrap();
    let queries = [
        "perdagangan manusia",
        "\"perdagangan orang\" Meksiko",
        "kebijakan luar negeri feminis",
        "trafficking cartel violence",
        "exploitations",
        "perdagngan",
        "cites:unodc",
        "migrasi lang:id",
        "human trafficking in mexico",
        "korban kind:body",
        // Filters alone score every passage alike: the order is the passages' own.
        "kind:bibliography",
        "lang:en kind:heading",
    ];
    for q in queries {
        for per_doc in [0, 3] {
            let (a, b) = (search(&one, q, per_doc), search(&split, q, per_doc));
            assert_eq!(a.0, b.0, "{q}: totals");
            assert!(!a.1.is_empty(), "{q}: no hit");
            let ids = |h: &[(String, f32)]| h.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
            assert_eq!(ids(&a.1), ids(&b.1), "{q} (per_doc {per_doc}): ranking");
            for (x, y) in a.1.iter().zip(&b.1) {
                assert!(
                    (x.1 - y.1).abs() < 1e-4,
                    "{q}: {} scores {} vs {}",
                    x.0,
                    x.1,
                    y.1
                );
            }
        }
    }
    let (s, o) = (split.stats().unwrap(), one.stats().unwrap());
    assert_eq!((s.documents, s.passages), (o.documents, o.passages));
    assert_eq!(s.segments, 3, "one segment per split");
}

/// Candidate pairs as a corpus-wide join finds them: passages sharing a fingerprint that 2 to
/// MAX_SHARED passages hold, from `passages --json --fingerprints`.
fn joined_candidates(all: &Path) -> Vec<(String, String)> {
    let (out, err, ok) = run_bare(
        &[
            "passages",
            "--json",
            "--fingerprints",
            all.to_str().unwrap(),
        ],
        None,
    );
    assert!(ok, "{err}");
    let mut by_fp: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for f in v["fingerprints"].as_array().unwrap() {
            let f = f.as_str().unwrap();
            assert_eq!(f.len(), 16, "16 hex digits: {f}");
            by_fp
                .entry(f.into())
                .or_default()
                .insert(v["id"].as_str().unwrap().into());
        }
    }
    let mut pairs = BTreeSet::new();
    for ids in by_fp
        .values()
        .filter(|s| (2..=MAX_SHARED).contains(&s.len()))
    {
        let ids: Vec<&String> = ids.iter().collect();
        for (i, a) in ids.iter().enumerate() {
            for b in &ids[i + 1..] {
                pairs.insert(((*a).clone(), (*b).clone()));
            }
        }
    }
    pairs.into_iter().collect()
}

/// What identifies a pair and its figures, to compare two answers.
fn key(p: &Pair) -> String {
    format!(
        "{} {} {:?} {:.4} {:.4} {} {:.4} {:?} {:?} {:?}",
        p.a.at.passage_id,
        p.b.at.passage_id,
        p.kind,
        p.similarity,
        p.containment,
        p.shared_words,
        p.distinctive,
        p.a.spans,
        p.b.spans,
        p.cites_other
    )
}

#[test]
fn align_over_joined_candidates_finds_the_pairs_dupes_finds() {
    let b = built();
    let candidates = joined_candidates(&b.all);
    let split = Engine::open_splits(&b.metastore).unwrap();
    let one = Engine::open(&b.one).unwrap();
    for formulaic in [false, true] {
        let req = DupesRequest {
            formulaic,
            ..DupesRequest::default()
        };
        let given = split
            .dupes_of_pairs(&candidates, &req, &pustaka::search::cancel::Cancel::never())
            .unwrap();
        let all = one
            .dupes(&DupesRequest {
                limit: Some(100_000),
                count_all: true,
                ..req.clone()
            })
            .unwrap();
        assert_eq!(given.total, all.total, "formulaic {formulaic}");
        assert_eq!(given.candidates, all.candidates, "formulaic {formulaic}");
        let a: BTreeSet<String> = all.pairs.iter().map(key).collect();
        let g: BTreeSet<String> = given.pairs.iter().map(key).collect();
        assert_eq!(a, g, "formulaic {formulaic}");
    }
    // The planted copy pairs passages of two splits; the join saw it.
    let given = split
        .dupes_of_pairs(
            &candidates,
            &DupesRequest::default(),
            &pustaka::search::cancel::Cancel::never(),
        )
        .unwrap();
    let planted = given
        .pairs
        .iter()
        .filter(|p| p.b.at.doc == "900_planted.txt" && p.a.at.doc.starts_with("000"))
        .count();
    assert!(
        planted >= 2,
        "both planted paragraphs found across splits: {planted}"
    );
}

#[test]
fn align_on_the_command_line_reads_pairs_and_names_a_bad_line() {
    let b = built();
    let splits = b.metastore.to_str().unwrap();
    let (rules, _, ok) = run_bare(&["align", "--rules"], None);
    assert!(ok);
    let rules: serde_json::Value = serde_json::from_str(&rules).unwrap();
    assert_eq!(rules["max_shared"], MAX_SHARED);
    let input: String = joined_candidates(&b.all)
        .iter()
        .map(|(a, x)| format!("{{\"a\": \"{a}\", \"b\": \"{x}\"}}\n"))
        .collect();
    let (out, err, ok) = run_bare(&["--splits", splits, "align"], Some(input.as_bytes()));
    assert!(ok, "{err}");
    let docs: BTreeSet<(String, String)> = out
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["a"]["doc"].as_str().unwrap().into(),
                v["b"]["doc"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(docs.iter().any(|(_, b)| b == "900_planted.txt"), "{docs:?}");
    let (_, err, ok) = run_bare(&["--splits", splits, "align"], Some(b"{\"a\": \"x#1\"}\n"));
    assert!(!ok && err.contains("line 1"), "{err}");
    let (_, err, ok) = run_bare(
        &["--splits", splits, "align"],
        Some(b"{\"a\": \"nope#1\", \"b\": \"nope#2\"}\n"),
    );
    assert!(!ok && err.contains("nope#1"), "{err}");
    let (_, err, ok) = run_bare(&["--splits", splits, "index"], None);
    assert!(!ok && err.contains("--splits"), "{err}");
    let (_, err, ok) = run_bare(&["--splits", splits, "--index", "x", "stats"], None);
    assert!(!ok && err.contains("cannot be used with"), "{err}");
}

#[test]
fn a_split_changed_since_it_was_listed_is_named_and_a_foreign_file_is_kept() {
    let root = scratch("splits_changed");
    let part = root.join("part");
    fs::create_dir_all(&part).unwrap();
    fs::copy(
        manifest_dir().join("corpus/001_b45e124878fca27f.txt"),
        part.join("001.txt"),
    )
    .unwrap();
    let split = root.join("split-a");
    index::build(&split, std::slice::from_ref(&part), &mut |_| {}).unwrap();
    // Not a metastore: refused, and left as it was.
    let foreign = root.join("notes.json");
    fs::write(&foreign, "{\"mine\": true}\n").unwrap();
    let err = splits::write_metastore(&foreign, std::slice::from_ref(&split)).unwrap_err();
    assert!(err.to_string().contains("not a pustaka metastore"), "{err}");
    assert_eq!(fs::read_to_string(&foreign).unwrap(), "{\"mine\": true}\n");
    // Nor is a file where the splits' formulaic flags would go: the metastore is not written.
    let (other, other_flags) = (root.join("other.json"), root.join("other.json.formulaic"));
    fs::write(&other_flags, "my notes\n").unwrap();
    let err = splits::write_metastore(&other, std::slice::from_ref(&split)).unwrap_err();
    assert!(
        err.to_string().contains("not a pustaka flags file"),
        "{err}"
    );
    assert!(!other.exists());
    assert_eq!(fs::read_to_string(&other_flags).unwrap(), "my notes\n");
    let metastore = root.join("metastore.json");
    let meta = splits::write_metastore(&metastore, std::slice::from_ref(&split)).unwrap();
    assert_eq!(meta.splits[0].path, "split-a", "relative to the metastore");
    let flags = root.join("metastore.json.formulaic");
    assert!(
        flags.is_file(),
        "the splits' flags are kept beside the metastore"
    );
    assert!(Engine::open_splits(&metastore).is_ok());
    assert!(splits::verify(&metastore)
        .unwrap()
        .iter()
        .all(|r| r.report.ok));
    fs::copy(
        manifest_dir().join("corpus/002_82c8e82c87f6ea65.txt"),
        part.join("002.txt"),
    )
    .unwrap();
    index::build(&split, &[part], &mut |_| {}).unwrap();
    let err = Engine::open_splits(&metastore)
        .err()
        .expect("a changed split is refused");
    assert!(
        err.to_string()
            .contains("changed since the metastore was written"),
        "{err}"
    );
    let reports = splits::verify(&metastore).unwrap();
    assert!(!reports[0].report.ok, "verify names the change too");
    assert!(
        reports[0].report.problems[0].contains("changed since"),
        "{:?}",
        reports[0].report
    );
    // Listed again, it is read.
    splits::write_metastore(&metastore, &[split]).unwrap();
    assert_eq!(
        Engine::open_splits(&metastore)
            .unwrap()
            .stats()
            .unwrap()
            .documents,
        2
    );
}

#[test]
fn serve_over_splits_answers_as_one_index() {
    let b = built();
    let (mut child, port) =
        crate::common::spawn_server(&["--splits".as_ref(), b.metastore.as_os_str()], &[]);
    let (status, _, body) = crate::common::request(
        port,
        "GET",
        "/api/search?q=perdagangan%20manusia&limit=10",
        None,
    );
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let served = crate::common::hit_ids(&String::from_utf8_lossy(&body));
    // The same request, with the API's defaults, over the one index.
    let one = Engine::open(&b.one).unwrap();
    let r = pustaka::api::Search {
        query: "perdagangan manusia".into(),
        limit: Some(10),
        ..Default::default()
    }
    .answer(&one)
    .unwrap();
    let direct: Vec<String> = r.hits.iter().map(|h| h.passage.id.clone()).collect();
    assert_eq!(served, direct);
}

/// A JSON answer without its timings, which differ run to run.
fn untimed(mut v: serde_json::Value) -> serde_json::Value {
    match &mut v {
        serde_json::Value::Object(m) => {
            m.remove("took_ms");
            for x in m.values_mut() {
                *x = untimed(x.take());
            }
        }
        serde_json::Value::Array(a) => {
            for x in a.iter_mut() {
                *x = untimed(x.take());
            }
        }
        _ => {}
    }
    v
}

#[test]
fn check_over_splits_reports_as_over_one_index() {
    let b = built();
    // The planted document's text and a body passage of 003, as a manuscript.
    let mut text = fs::read_to_string(b.all.join("900_planted.txt")).unwrap();
    let (out, _, _) = run_bare(
        &[
            "passages",
            "--json",
            b.all.join("003_232135048410f2ab.txt").to_str().unwrap(),
        ],
        None,
    );
    let body = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["kind"] == "body" && v["text"].as_str().unwrap().len() > 400)
        .unwrap();
    text.push_str(&format!("\n\n{}\n", body["text"].as_str().unwrap()));
    let req = pustaka::api::Check {
        text,
        ..Default::default()
    };
    let never = pustaka::search::cancel::Cancel::never();
    let one = req.answer(&Engine::open(&b.one).unwrap(), &never).unwrap();
    let split = req
        .answer(&Engine::open_splits(&b.metastore).unwrap(), &never)
        .unwrap();
    assert!(
        one.reused >= 3,
        "the planted and the copied paragraphs: {}",
        one.reused
    );
    assert_eq!(
        untimed(serde_json::to_value(&one).unwrap()),
        untimed(serde_json::to_value(&split).unwrap())
    );
}
