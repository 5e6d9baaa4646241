//! PDF fidelity (issue 15) on PDFs that LibreOffice typeset from seed texts 003 and 004, one
//! and two columns, with running headers, page numbers and (003) real footnotes:
//! `tests/data/pdf/`, made by `scripts/make_seed_pdfs.sh` (how and from what: SOURCES.md there).
//! Each PDF has beside it the page on which pdftotext finds every passage of the text file,
//! the page key, recorded when the PDF was made and independent of pustaka's PDF reader.
//!
//! The text file is the reference: what pustaka reads in it, it should read in the PDF too.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use pustaka::ingest::passages_of;
use pustaka::ingest::read::{read_file, SourceFile};
use pustaka::{Kind, Passage};
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

use crate::common::manifest_dir;
use crate::structure::same_heading;

const PDFS: [&str; 4] = ["003-1col", "003-2col", "004-1col", "004-2col"];

/// The running header each seed's PDFs carry on every page.
fn header(pdf: &str) -> &'static str {
    if pdf.starts_with("003") {
        "JOM FISIP Vol. 4 No. 2 - Oktober 2017"
    } else {
        "Saragih & Alfajri | Upaya IOM dalam Menangani Kasus Human Trafficking di Indonesia"
    }
}

/// NFKC, lower case, letters and digits only: text compared across the two readings.
fn norm(text: &str) -> String {
    text.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

fn passages_of_file(path: PathBuf) -> Vec<Passage> {
    let (docs, bad) = read_file(&SourceFile::from_path(&path).unwrap()).unwrap();
    assert!(bad.is_empty(), "{}: {bad:?}", path.display());
    passages_of(&docs[0])
}

/// The passages of the seed text a PDF was made from (`003` → `corpus/003_….txt`).
fn text_passages(pdf: &str) -> &'static [Passage] {
    static P: OnceLock<HashMap<String, Vec<Passage>>> = OnceLock::new();
    let all = P.get_or_init(|| {
        let mut all = HashMap::new();
        for entry in std::fs::read_dir(manifest_dir().join("corpus")).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.starts_with("003_") || name.starts_with("004_") {
                all.insert(name[..3].to_string(), passages_of_file(path));
            }
        }
        all
    });
    &all[&pdf[..3]]
}

fn pdf_passages(pdf: &str) -> &'static [Passage] {
    static P: OnceLock<HashMap<&str, Vec<Passage>>> = OnceLock::new();
    let all = P.get_or_init(|| {
        PDFS.iter()
            .map(|&n| {
                let path = manifest_dir().join(format!("tests/data/pdf/{n}.pdf"));
                (n, passages_of_file(path))
            })
            .collect()
    });
    &all[pdf]
}

/// One passage of the page key: its kind, first words and first page.
struct Truth {
    kind: String,
    head: String,
    page: Option<u32>,
}

fn truth(pdf: &str) -> Vec<Truth> {
    let path = manifest_dir().join(format!("tests/data/pdf/{pdf}.json"));
    let key: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let entries = key.as_array().unwrap();
    let page = |e: &Value, k: &str| e[k].as_u64().map(|p| p as u32);
    entries
        .iter()
        .map(|e| Truth {
            kind: e["kind"].as_str().unwrap().to_string(),
            head: norm(e["head"].as_str().unwrap()),
            page: page(e, "page"),
        })
        .collect()
}

/// How well a PDF's passages give back the text file's body passages.
#[derive(Default)]
struct Fidelity {
    body: usize,
    found: usize,
    paged: usize,
    /// For each body passage found, the index of the PDF passage holding it.
    order: Vec<usize>,
    missed: Vec<String>,
    wrong_page: Vec<String>,
}

impl Fidelity {
    fn recall(&self) -> f64 {
        self.found as f64 / self.body.max(1) as f64
    }
    fn pages_right(&self) -> f64 {
        self.paged as f64 / self.body.max(1) as f64
    }
}

fn measure(pdf: &str) -> Fidelity {
    let truth = truth(pdf);
    let found_in: Vec<String> = pdf_passages(pdf).iter().map(|p| norm(&p.text)).collect();
    let mut f = Fidelity::default();
    // Both are looked for in document order first: 003's conclusion repeats its body's words.
    let (mut at_key, mut at_pdf) = (0, 0);
    for t in text_passages(pdf).iter().filter(|p| p.kind == Kind::Body) {
        f.body += 1;
        let text = norm(&t.text);
        let is_key = |e: &Truth| e.kind == "body" && text.starts_with(&e.head);
        at_key = first_from(&truth, at_key, is_key).unwrap_or_else(|| {
            panic!(
                "no page key for {:?}: rerun scripts/make_seed_pdfs.sh",
                t.text
            )
        });
        let key = &truth[at_key];
        let Some(i) = first_from(&found_in, at_pdf, |s| s.contains(&text)) else {
            f.missed.push(t.text.chars().take(80).collect());
            continue;
        };
        f.found += 1;
        f.order.push(i);
        at_pdf = i;
        let page = pdf_passages(pdf)[i].page;
        if page.is_some() && page == key.page {
            f.paged += 1;
        } else {
            let head: String = t.text.chars().take(60).collect();
            f.wrong_page
                .push(format!("{head:?}: {page:?}, key {:?}", key.page));
        }
    }
    f
}

/// The first item from `start` on that passes, else the first before it.
fn first_from<T>(items: &[T], start: usize, pass: impl Fn(&T) -> bool) -> Option<usize> {
    let after = items[start..].iter().position(&pass).map(|i| start + i);
    after.or_else(|| items[..start].iter().position(pass))
}

/// Issue 15's target: the share of the text file's body passages found in a PDF's passages,
/// on their page. Measured 2026-12-02, since the glyph reader marks how each line meets its
/// column's edge and the space above it: 1.000 in all four PDFs (before: 0.984, 0.922, 0.976,
/// 0.965, where in narrow justified columns a full line that ends a sentence looked short).
const TARGET: f64 = 0.97;

/// The text file's body passages are in the PDF's passages, on their page: at least
/// [`TARGET`].
#[test]
fn body_passages_are_found_on_their_pages() {
    let mut poor = Vec::new();
    for pdf in PDFS {
        let f = measure(pdf);
        println!(
            "{pdf}: {} body passages, found {} ({:.3}), on the right page {} ({:.3}); \
             missed {:?}; wrong pages {:?}",
            f.body,
            f.found,
            f.recall(),
            f.paged,
            f.pages_right(),
            f.missed,
            f.wrong_page
        );
        if f.body < 60 || f.recall() < TARGET || f.pages_right() < TARGET {
            poor.push(format!(
                "{pdf}: {} passages, recall {:.3}, pages right {:.3}",
                f.body,
                f.recall(),
                f.pages_right()
            ));
        }
    }
    assert!(poor.is_empty(), "{poor:#?}");
}

/// Two columns are read column by column: the body passages come in the text file's order.
#[test]
fn two_columns_are_read_in_column_order() {
    for pdf in ["003-2col", "004-2col"] {
        let f = measure(pdf);
        let backwards: Vec<_> = f.order.windows(2).filter(|w| w[1] < w[0]).collect();
        println!(
            "{pdf}: {} body passages found, {} out of order",
            f.order.len(),
            backwards.len()
        );
        assert!(
            f.order.len() * 10 >= f.body * 8,
            "{pdf}: {} found",
            f.order.len()
        );
        assert!(backwards.is_empty(), "{pdf}: out of order {backwards:?}");
    }
}

/// The running header and the page numbers are gone: no passage holds the header, none is a
/// bare number, and no page number is read as a footnote marker.
#[test]
fn no_running_header_or_page_number_survives() {
    for pdf in PDFS {
        let head = norm(header(pdf));
        let notes: Vec<u32> = text_passages(pdf)
            .iter()
            .flat_map(|p| p.footnotes.iter().copied())
            .collect();
        for p in pdf_passages(pdf) {
            assert!(!norm(&p.text).contains(&head), "{pdf}: header in {p:#?}");
            assert!(
                !p.text.trim().chars().all(|c| c.is_ascii_digit()),
                "{pdf}: a bare number {p:#?}"
            );
            let strays: Vec<_> = p.footnotes.iter().filter(|n| !notes.contains(n)).collect();
            assert!(strays.is_empty(), "{pdf}: markers {strays:?} in {p:#?}");
        }
    }
}

/// `(text, chapter, section, section title)` of each passage of `kind`.
fn places(ps: &[Passage], kind: Kind) -> Vec<(String, String)> {
    ps.iter()
        .filter(|p| p.kind == kind)
        .map(|p| {
            let place = format!("{:?} {:?} {:?}", p.chapter, p.section, p.section_title);
            (norm(&p.text), place)
        })
        .collect()
}

/// What of a text file's structure a PDF keeps: the key's headings that the text file finds
/// found too, and the heading and caption passages of the text file found as such with the
/// same chapter and section. Returns how many checks there were, the misses, and the key's
/// headings left out because the text file misses them (the PDF was made from its reading:
/// 003's `Rekomendasi` is inside a paragraph there).
fn structure_misses(pdf: &str, key: &Value) -> (usize, Vec<String>, Vec<String>) {
    let doc = key["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"].as_str().unwrap().starts_with(&pdf[..3]))
        .unwrap();
    let headings = |ps: &'static [Passage]| -> Vec<&'static str> {
        ps.iter()
            .filter(|p| p.kind == Kind::Heading)
            .map(|p| p.text.as_str())
            .collect()
    };
    let (found, in_text) = (headings(pdf_passages(pdf)), headings(text_passages(pdf)));
    let (mut misses, mut left_out) = (Vec::new(), Vec::new());
    let mut checked = 0;
    for h in doc["headings"].as_array().unwrap() {
        let text = h["text"].as_str().unwrap();
        let prefix = h["match"].as_str() == Some("prefix");
        if !in_text.iter().any(|f| same_heading(f, text, prefix)) {
            left_out.push(text.to_string());
            continue;
        }
        checked += 1;
        if !found.iter().any(|f| same_heading(f, text, prefix)) {
            misses.push(format!("key heading {text:?} not found"));
        }
    }
    for kind in [Kind::Heading, Kind::Caption] {
        let got = places(pdf_passages(pdf), kind);
        for w in places(text_passages(pdf), kind) {
            checked += 1;
            if !got.contains(&w) {
                misses.push(format!("{kind:?} {w:?} not found with that place"));
            }
        }
    }
    (checked, misses, left_out)
}

/// The structure key's headings that the text file finds are headings in the PDFs too, each
/// with the chapter and section the text file gives it, and captions stay captions: all of
/// them (2026-12-02: 68 checks on each PDF of 003, 38 on each of 004; before the reader
/// marked line edges and spacing, 61, 56, 30 and 26 of them passed).
#[test]
fn headings_and_captions_of_the_pdfs_match_the_text_files() {
    let key: Value = serde_json::from_str(
        &std::fs::read_to_string(manifest_dir().join("tests/data/structure/key.json")).unwrap(),
    )
    .unwrap();
    let mut poor = Vec::new();
    for pdf in PDFS {
        let (checked, misses, left_out) = structure_misses(pdf, &key);
        println!(
            "{pdf}: structure {} of {checked} right; left out (the text file misses them): \
             {left_out:?}; {misses:#?}",
            checked - misses.len()
        );
        assert!(
            checked >= 38 && left_out.len() <= 1,
            "{pdf}: {checked}, {left_out:?}"
        );
        if !misses.is_empty() {
            poor.push(format!("{pdf}: {misses:#?}"));
        }
    }
    assert!(poor.is_empty(), "{poor:#?}");
}

/// 003's footnotes are footnote passages of the PDFs, numbered 1 to 17 with the text file's
/// text; their text is in no body passage, and each marker stays on its body passage.
#[test]
fn footnotes_of_003_are_lifted_out_of_the_pdfs() {
    let text = text_passages("003");
    let want: Vec<(Vec<u32>, String)> = text
        .iter()
        .filter(|p| p.kind == Kind::Footnote)
        .map(|p| (p.footnotes.clone(), norm(&p.text)))
        .collect();
    assert_eq!(want.len(), 17);
    for pdf in ["003-1col", "003-2col"] {
        let ps = pdf_passages(pdf);
        let got: Vec<(Vec<u32>, String)> = ps
            .iter()
            .filter(|p| p.kind == Kind::Footnote)
            .map(|p| (p.footnotes.clone(), norm(&p.text)))
            .collect();
        assert_eq!(got, want, "{pdf}");
        for p in ps.iter().filter(|p| p.kind == Kind::Body) {
            let body = norm(&p.text);
            let inside = want
                .iter()
                .find(|(_, note)| body.contains(&note[..note.len().min(40)]));
            assert!(inside.is_none(), "{pdf}: note {inside:?} in {p:#?}");
        }
        // Where the body passage is found whole (recall is measured above), its markers too.
        for t in text
            .iter()
            .filter(|p| p.kind == Kind::Body && !p.footnotes.is_empty())
        {
            let n = norm(&t.text);
            if let Some(p) = ps.iter().find(|p| norm(&p.text).contains(&n)) {
                assert_eq!(p.footnotes, t.footnotes, "{pdf}: {}", t.text);
            }
        }
    }
}

/// `show --page` gives the page a passage stands on: every passage of 004's two-column PDF
/// whose pages meet that passage's, and nothing else, in document order; a passage running
/// over a page break brings both pages.
#[test]
fn show_page_gives_every_passage_of_the_page() {
    let dir = crate::common::scratch("pdf_show_page");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let src = manifest_dir().join("tests/data/pdf/004-2col.pdf");
    std::fs::copy(&src, corpus.join("004-2col.pdf")).unwrap();
    let index = dir.join("index");
    pustaka::index::build(&index, &[corpus], &mut |_| {}).unwrap();
    let all = pdf_passages("004-2col");
    let spanning = all
        .iter()
        .position(|p| p.page_end.is_some_and(|e| Some(e) > p.page))
        .expect("a passage over a page break");
    for at in [3, spanning] {
        let id = format!("004-2col.pdf#{}", at + 1);
        let (out, err, ok) =
            crate::common::run_cli(&index, &["show", &id, "--page", "--json"], None);
        assert!(ok, "{err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        let shown: Vec<String> = ["before", "passage", "after"]
            .iter()
            .flat_map(|k| match &v[k] {
                Value::Array(ps) => ps.clone(),
                p => vec![p.clone()],
            })
            .map(|p| p["text"].as_str().unwrap().to_string())
            .collect();
        let (first, last) = (
            all[at].page.unwrap(),
            all[at].page_end.unwrap_or(all[at].page.unwrap()),
        );
        let want: Vec<String> = all
            .iter()
            .filter(|p| {
                p.page
                    .is_some_and(|a| a <= last && p.page_end.unwrap_or(a) >= first)
            })
            .map(|p| p.text.clone())
            .collect();
        assert!(want.len() >= 3, "{want:?}");
        assert_eq!(shown, want, "{id}");
    }
}
