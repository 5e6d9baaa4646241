//! Citation extraction measured against the hand-written answer keys of the seed corpus
//! (`tests/data/citations/00N.json`: every in-text citation, footnote and bibliography entry).
//!
//! Prints precision/recall of in-text citations, footnote citations, bibliography author+year
//! accuracy and linking accuracy, lists what is missed, and holds them to the targets.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::common;
use pustaka::enrich::cite::Style;
use pustaka::text::names;
use pustaka::{ingest, Kind, Passage};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Key {
    doc: String,
    in_text: Vec<KeyCite>,
    footnotes: Vec<KeyNote>,
    bibliography: Vec<KeyEntry>,
}

#[derive(Debug, Deserialize)]
struct KeyCite {
    line: usize,
    raw: String,
    authors: Vec<String>,
    year: Option<String>,
    entry: Option<usize>,
}

#[derive(Debug, Deserialize)]
struct KeyNote {
    number: u32,
    marker_line: usize,
    authors: Vec<String>,
    year: Option<String>,
    entry: Option<usize>,
}

#[derive(Debug, Deserialize)]
struct KeyEntry {
    index: usize,
    line: usize,
    raw: String,
    authors: Vec<String>,
    year: Option<String>,
}

fn root() -> PathBuf {
    common::manifest_dir().to_path_buf()
}

fn keys() -> Vec<Key> {
    (0..5)
        .map(|i| {
            let path = root().join(format!("tests/data/citations/{i:03}.json"));
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
        })
        .collect()
}

fn seed() -> &'static [Passage] {
    static P: OnceLock<Vec<Passage>> = OnceLock::new();
    P.get_or_init(|| {
        let mut all = Vec::new();
        let report = ingest::ingest(
            &[root().join("corpus")],
            |_, ingest::Cut { passages: ps, .. }| all.extend(ps),
        );
        assert_eq!(report.documents, 5);
        all
    })
}

fn same_author(a: &[String], b: &[String]) -> bool {
    match (a.first(), b.first()) {
        (Some(x), Some(y)) => names::name_match(x, y) > 0,
        _ => false,
    }
}

/// The extracted bibliography entry (its index) that stands on `line` of `doc`.
fn entry_on_line(doc: &str, line: usize) -> Option<usize> {
    seed()
        .iter()
        .filter(|p| p.doc == doc && p.kind == Kind::Bibliography)
        .find(|p| p.lines[0] <= line && line <= p.lines[1])
        .and_then(|p| p.reference.as_ref()?.index)
}

/// Map an extracted entry index to the key's entry index, through the line it stands on.
fn key_entry_of(key: &Key, extracted: Option<usize>) -> Option<usize> {
    let e = extracted?;
    let p = seed()
        .iter()
        .find(|p| p.doc == key.doc && p.reference.as_ref().is_some_and(|r| r.index == Some(e)))?;
    key.bibliography
        .iter()
        .find(|k| p.lines[0] <= k.line && k.line <= p.lines[1])
        .map(|k| k.index)
}

#[derive(Default)]
struct Tally {
    key: usize,
    found: usize,
    matched: usize,
    missed: Vec<String>,
    spurious: Vec<String>,
}

impl Tally {
    fn precision(&self) -> f64 {
        self.matched as f64 / self.found.max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.matched as f64 / self.key.max(1) as f64
    }
}

#[test]
fn extraction_matches_the_answer_keys() {
    let keys = keys();
    let mut cites = Tally::default();
    let mut notes = Tally::default();
    let (mut bib_total, mut bib_right, mut bib_wrong) = (0, 0, Vec::new());
    let (mut link_total, mut link_right, mut link_wrong) = (0, 0, Vec::new());
    let mut false_links = 0;
    let mut bib_extra: Vec<String> = Vec::new();

    for key in &keys {
        let passages: Vec<&Passage> = seed().iter().filter(|p| p.doc == key.doc).collect();
        assert!(!passages.is_empty(), "{} not ingested", key.doc);

        // In-text citations (author–year, sources, cues): greedy one-to-one matching.
        let extracted: Vec<_> = passages
            .iter()
            .flat_map(|p| p.citations.iter())
            .filter(|c| c.style != Style::Footnote)
            .collect();
        let mut used = vec![false; extracted.len()];
        cites.key += key.in_text.len();
        cites.found += extracted.len();
        for k in &key.in_text {
            let hit = extracted.iter().enumerate().position(|(i, c)| {
                !used[i]
                    && c.line.abs_diff(k.line) <= 1
                    && c.year == k.year
                    && same_author(&c.authors, &k.authors)
            });
            match hit {
                Some(i) => {
                    used[i] = true;
                    cites.matched += 1;
                    let got = key_entry_of(key, extracted[i].entry);
                    if k.entry.is_some() {
                        link_total += 1;
                        if got == k.entry {
                            link_right += 1;
                        } else {
                            link_wrong.push(format!(
                                "{}:{} {} → {:?}, key {:?}",
                                key.doc, k.line, k.raw, got, k.entry
                            ));
                        }
                    } else if got.is_some() {
                        false_links += 1;
                    }
                }
                None => {
                    if k.entry.is_some() {
                        link_total += 1;
                        link_wrong.push(format!("{}:{} {} not extracted", key.doc, k.line, k.raw));
                    }
                    cites
                        .missed
                        .push(format!("{}:{} {}", key.doc, k.line, k.raw));
                }
            }
        }
        for (i, c) in extracted.iter().enumerate() {
            if !used[i] {
                cites.spurious.push(format!(
                    "{}:{} {:?} {:?} {:?}",
                    key.doc, c.line, c.raw, c.authors, c.year
                ));
            }
        }

        // Footnote citations: the body passage holding the marker cites the footnote's work.
        let foot: Vec<_> = passages
            .iter()
            .flat_map(|p| p.citations.iter())
            .filter(|c| c.style == Style::Footnote)
            .collect();
        notes.key += key.footnotes.len();
        notes.found += foot.len();
        for k in &key.footnotes {
            let hit = foot.iter().find(|c| {
                c.number == Some(k.number)
                    && c.line.abs_diff(k.marker_line) <= 1
                    && c.year == k.year
                    && same_author(&c.authors, &k.authors)
            });
            match hit {
                Some(c) => {
                    notes.matched += 1;
                    if k.entry.is_some() {
                        link_total += 1;
                        let got = key_entry_of(key, c.entry);
                        if got == k.entry {
                            link_right += 1;
                        } else {
                            link_wrong.push(format!(
                                "{} footnote {} → {:?}, key {:?}",
                                key.doc, k.number, got, k.entry
                            ));
                        }
                    }
                }
                None => {
                    notes.missed.push(format!(
                        "{} footnote {} (line {})",
                        key.doc, k.number, k.marker_line
                    ));
                    if k.entry.is_some() {
                        link_total += 1;
                        link_wrong.push(format!("{} footnote {} not extracted", key.doc, k.number));
                    }
                }
            }
        }

        // Bibliography entries: author and year of the entry standing on the key's line.
        for k in &key.bibliography {
            bib_total += 1;
            let got = entry_on_line(&key.doc, k.line).and_then(|i| {
                passages
                    .iter()
                    .filter_map(|p| p.reference.as_ref())
                    .find(|r| r.index == Some(i))
            });
            match got {
                Some(r) if r.year == k.year && same_author(&r.authors, &k.authors) => {
                    bib_right += 1
                }
                Some(r) => bib_wrong.push(format!(
                    "{}:{} #{} {:?} {:?} (key {:?} {:?}): {}",
                    key.doc,
                    k.line,
                    k.index,
                    r.authors,
                    r.year,
                    k.authors,
                    k.year,
                    k.raw.chars().take(70).collect::<String>()
                )),
                None => bib_wrong.push(format!("{}:{} #{} not an entry", key.doc, k.line, k.index)),
            }
        }
        bib_extra.extend(
            passages
                .iter()
                .filter(|p| p.reference.as_ref().is_some_and(|r| r.index.is_some()))
                .filter(|p| {
                    !key.bibliography
                        .iter()
                        .any(|k| p.lines[0] <= k.line && k.line <= p.lines[1])
                })
                .map(|p| format!("{}:{} {}", key.doc, p.lines[0], p.text)),
        );
    }

    let bib = bib_right as f64 / bib_total.max(1) as f64;
    let linked = link_right as f64 / link_total.max(1) as f64;
    println!("citation extraction against the answer keys of the seed corpus:");
    println!(
        "  in-text citations: {} in key, {} extracted, {} matched: precision {:.3}, recall {:.3}",
        cites.key,
        cites.found,
        cites.matched,
        cites.precision(),
        cites.recall()
    );
    println!(
        "  footnote citations: {} in key, {} extracted, {} matched: precision {:.3}, recall {:.3}",
        notes.key,
        notes.found,
        notes.matched,
        notes.precision(),
        notes.recall()
    );
    println!(
        "  bibliography entries with correct author and year: {bib_right}/{bib_total} = {bib:.3}"
    );
    println!(
        "  citations linked to the right entry (where one exists): {link_right}/{link_total} = {linked:.3}; linked where the key has none: {false_links}"
    );
    for (what, list) in [
        ("missed in-text", &cites.missed),
        ("spurious in-text", &cites.spurious),
        ("missed footnotes", &notes.missed),
        ("bibliography wrong", &bib_wrong),
        ("links wrong", &link_wrong),
        ("entries not in the key", &bib_extra),
    ] {
        for m in list.iter() {
            println!("  {what}: {m}");
        }
    }
    assert!(
        cites.precision() >= 0.97,
        "in-text precision {:.3}",
        cites.precision()
    );
    assert!(
        cites.recall() >= 0.95,
        "in-text recall {:.3}",
        cites.recall()
    );
    assert!(
        notes.recall() >= 0.95 && notes.precision() >= 0.97,
        "footnotes"
    );
    assert!(bib >= 0.95, "bibliography author+year {bib:.3}");
    assert!(linked >= 0.90, "linking {linked:.3}");
    assert!(bib_extra.is_empty(), "entries that the keys do not have");
}
