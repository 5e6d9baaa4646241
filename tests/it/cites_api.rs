//! Citations through the index: `cites:`/`year:`/`work:` in search, `pustaka cites` (occurrences
//! and the most cited works) and `pustaka refs` (the editor's check), via the library API that
//! the CLI and the server share, and the CLI's JSON contract.

use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use pustaka::index::Engine;
use pustaka::search::cites::CitesRequest;
use pustaka::SearchRequest;

use crate::common::{self, manifest_dir};

fn index_dir() -> &'static Path {
    common::seed_index()
}

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::open(index_dir()).unwrap())
}

fn source_line(doc: &str, line: usize) -> String {
    let text = fs::read_to_string(manifest_dir().join("corpus").join(doc)).unwrap();
    text.lines().nth(line - 1).unwrap_or("").to_string()
}

fn search(q: &str) -> pustaka::SearchResponse {
    engine()
        .search(&SearchRequest {
            query: q.into(),
            limit: 50,
            ..SearchRequest::default()
        })
        .unwrap_or_else(|e| panic!("{q}: {e}"))
}

#[test]
fn cites_and_year_mean_one_citation_and_combine_with_words() {
    let r = search(r#"cites:"Correa-Cabrera" year:2016"#);
    assert!(r.total >= 2, "{}", r.total);
    for h in &r.hits {
        assert!(h.text.contains("Correa-Cabrera & Clark, 2016"), "{}", h.id);
    }
    // Words rank within the filtered passages.
    let r = search(r#"cites:"Correa-Cabrera" year:2016 Siglo XXI"#);
    assert!(r.hits[0].text.contains("Siglo XXI"), "{}", r.hits[0].text);
    // The author is cited, and 2020 is cited, but never together: no passage.
    let r = search(r#"cites:"Correa-Cabrera" year:2020"#);
    assert_eq!(r.total, 0);
    // The acronym finds the organisation; the work key finds the work.
    let r = search("cites:unodc");
    assert_eq!(r.total, 4);
    assert!(r.hits.iter().all(|h| h.text.contains("UNODC, 2020")));
    let r = search("work:correa-cabrera-2016");
    assert_eq!(r.total, search(r#"cites:"Correa-Cabrera""#).total);
    // A bad year says what to write.
    let e = engine()
        .search(&SearchRequest {
            query: "cites:unodc year:20x6".into(),
            limit: 5,
            ..SearchRequest::default()
        })
        .unwrap_err()
        .to_string();
    assert!(e.contains("four digits"), "{e}");
}

#[test]
fn occurrences_point_at_the_line_of_the_citation() {
    let r = engine()
        .citations(&CitesRequest {
            author: Some("UNODC".into()),
            ..CitesRequest::default()
        })
        .unwrap();
    assert_eq!(r.total, 4);
    for o in &r.citations {
        assert_eq!(o.year.as_deref(), Some("2020"));
        assert!(o.entry.is_none(), "000 has no bibliography");
        // The group starts on its line and may wrap over the next (blank lines between).
        let line = source_line(&o.at.doc, o.line);
        assert!(line.contains('('), "line {} is {line:?}", o.line);
        let from_here: String = (o.line..=o.line + 2)
            .map(|l| source_line(&o.at.doc, l))
            .collect();
        assert!(from_here.contains("UNODC"), "{from_here:?}");
        assert!(o.at.lines[0] <= o.line && o.line <= o.at.lines[1]);
    }
    // A footnote citation: the body passage with the marker cites the footnote's work, linked
    // to the bibliography entry.
    let r = engine()
        .citations(&CitesRequest {
            author: Some("Estes".into()),
            year: Some("2001".into()),
            ..CitesRequest::default()
        })
        .unwrap();
    assert_eq!(r.total, 1);
    let o = &r.citations[0];
    assert_eq!(o.number, Some(1));
    let entry = o.entry.as_ref().expect("linked");
    assert!(
        entry.text.starts_with("Estes, Richard J."),
        "{}",
        entry.text
    );
    assert_eq!(
        source_line(&o.at.doc, o.line).trim(),
        "1",
        "the marker's own line"
    );
}

#[test]
fn top_works_count_citations_and_documents() {
    let all = CitesRequest::default();
    let top = engine().top_works(200, &all).unwrap();
    assert!(top
        .windows(2)
        .all(|w| (w[0].documents, w[0].passages) >= (w[1].documents, w[1].passages)));
    let archer = top
        .iter()
        .find(|w| w.work == "archer-2001")
        .expect("Archer 2001 is cited");
    // Cited by 003 (footnote 3) and 004 `(Archer,2001)`: one work across two documents.
    assert_eq!(archer.documents, 2, "{archer:?}");
    assert!(archer.docs.iter().any(|d| d.starts_with("003")));
    assert!(archer.docs.iter().any(|d| d.starts_with("004")));
    assert_eq!(engine().top_works(3, &all).unwrap().len(), 3);
    // Narrowed to one author: only that author's works, still by documents.
    let by = CitesRequest {
        author: Some("Archer".into()),
        ..CitesRequest::default()
    };
    let archer_only = engine().top_works(10, &by).unwrap();
    assert!(!archer_only.is_empty());
    assert!(
        archer_only.iter().all(|w| w.work.starts_with("archer")),
        "{archer_only:?}"
    );
    assert_eq!(archer_only[0].work, "archer-2001");
}

#[test]
fn refs_checks_a_bibliography_against_its_citations() {
    let r = engine().refs("004").unwrap();
    assert_eq!(r.entries.len(), 27);
    let total_links: usize = r.entries.iter().map(|e| e.cited).sum();
    let citations = engine()
        .citations(&CitesRequest {
            doc: Some("004".into()),
            ..CitesRequest::default()
        })
        .unwrap();
    assert_eq!(total_links + r.unmatched.len(), citations.total);
    assert!(r.unmatched.iter().any(|o| o.raw == "(minangwan)"));
    let winadya = r
        .entries
        .iter()
        .find(|e| e.entry.authors == ["Winadya"])
        .unwrap();
    assert_eq!(winadya.cited, 0);
    assert!(r.uncited.contains(&winadya.entry.index));
    let rosenberg = r
        .entries
        .iter()
        .find(|e| e.entry.authors == ["Rosenberg"])
        .unwrap();
    assert_eq!(
        rosenberg.cited, 2,
        "a figure source and a parenthetical citation"
    );

    // 002: dittos resolved, sub-lists kept, nothing cited (a conclusion without citations).
    let r = engine().refs("002").unwrap();
    assert_eq!(r.entries.len(), 87);
    assert_eq!(r.uncited.len(), 87);
    let ditto = r.entries.iter().find(|e| e.entry.lines[0] == 127).unwrap();
    assert!(ditto.ditto);
    assert_eq!(
        ditto.entry.authors,
        ["International Organization for Migration"]
    );
    assert_eq!(ditto.sublist.as_deref(), Some("Situs Elektronik"));

    let e = engine().refs("999").unwrap_err().to_string();
    assert!(e.contains("no document"), "{e}");
    let e = engine().refs("00").unwrap_err().to_string();
    assert!(e.contains("ambiguous"), "{e}");
}

fn pustaka(args: &[&str]) -> (String, String, bool) {
    common::run_cli(index_dir(), args, None)
}

#[test]
fn cli_json_csv_and_bibtex() {
    let _ = engine();
    let (out, err, ok) = pustaka(&[
        "cites",
        "--author",
        "Correa-Cabrera",
        "--year",
        "2016",
        "--json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let cites = v["citations"].as_array().unwrap();
    assert_eq!(cites.len(), 4);
    for c in cites {
        for key in [
            "authors",
            "year",
            "raw",
            "doc",
            "passage_id",
            "lines",
            "entry",
        ] {
            assert!(c.get(key).is_some(), "{key} missing in {c}");
        }
        assert_eq!(c["authors"][0], "Correa-Cabrera");
        assert!(c["entry"].is_null());
    }

    let (out, err, ok) = pustaka(&["cites", "--top", "5", "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["works"].as_array().unwrap().len(), 5);

    let (out, err, ok) = pustaka(&["refs", "004", "--format", "csv"]);
    assert!(ok, "{err}");
    let rows: Vec<&str> = out.lines().collect();
    assert!(rows[0].starts_with("status,index,authors,year,title"));
    assert_eq!(
        rows.iter()
            .filter(|r| r.starts_with("cited,") || r.starts_with("uncited,"))
            .count(),
        27
    );
    assert_eq!(
        rows.iter().filter(|r| r.starts_with("unmatched,")).count(),
        1
    );

    let (out, err, ok) = pustaka(&["refs", "004", "--format", "bibtex"]);
    assert!(ok, "{err}");
    assert_eq!(
        out.matches("\n@").count() + usize::from(out.starts_with('@')),
        27
    );
    // Full names, family first (issue 14); the old export braced surnames alone.
    assert!(
        out.contains("author = {Iskandar, I. and Nursiti, N.}"),
        "{out}"
    );

    let (_, err, ok) = pustaka(&["cites", "--year", "soon"]);
    assert!(!ok);
    assert!(err.contains("four digits"), "{err}");
}
