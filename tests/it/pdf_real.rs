//! PDF reading on real articles (issue 15): two Journal of Statistical Software papers as R
//! typesets them (LaTeX, Type 1 fonts with ligatures, running heads that alternate between
//! title and authors with the page number beside them, centred sentence-case section
//! headings, an abstract set in from both margins, footnotes, a bibliography), from Debian's
//! r-cran-sandwich and r-cran-zoo: `tests/data/pdf/SOURCES.md`. What is asserted here was read
//! off the printed pages, not off pustaka's output.

use std::sync::OnceLock;

use pustaka::ingest::passages_of;
use pustaka::ingest::read::{read_file, SourceFile};
use pustaka::{Kind, Passage};

use crate::common::manifest_dir;

const SANDWICH: &str = "jss-sandwich-oop";
const ZOO: &str = "jss-zoo";

const SANDWICH_HEAD: &str = "Object-Oriented Computation of Sandwich Estimators";
const ZOO_HEAD: &str = "zoo: An S3 Class and Methods for Indexed Totally Ordered Observations";

/// A PDF's passages, with the skip reasons its pages gave (none expected).
fn read(name: &str) -> &'static [Passage] {
    static SANDWICH_P: OnceLock<Vec<Passage>> = OnceLock::new();
    static ZOO_P: OnceLock<Vec<Passage>> = OnceLock::new();
    let cell = if name == SANDWICH {
        &SANDWICH_P
    } else {
        &ZOO_P
    };
    cell.get_or_init(|| {
        let path = manifest_dir().join(format!("tests/data/pdf/{name}.pdf"));
        let (docs, bad) = read_file(&SourceFile::from_path(&path).unwrap()).unwrap();
        assert!(bad.is_empty(), "{name}: every page is read: {bad:?}");
        passages_of(&docs[0])
    })
}

fn pages(name: &str) -> u32 {
    read(name).iter().filter_map(|p| p.page_end).max().unwrap()
}

#[test]
fn every_page_is_read_though_a_font_map_would_make_the_reader_panic() {
    // Ghostscript wrote one-byte values into a ToUnicode map; read as it is, pages 2 and 4–7
    // of the sandwich article were lost to a panic in the CMap parser.
    assert_eq!(pages(SANDWICH), 16);
    assert_eq!(pages(ZOO), 30);
    for page in 1..=16 {
        assert!(
            read(SANDWICH)
                .iter()
                .any(|p| p.page == Some(page) && p.text.len() > 40),
            "page {page} has text"
        );
    }
}

#[test]
fn running_heads_and_page_numbers_are_gone_and_the_title_block_stays() {
    for (name, head, authors) in [
        (SANDWICH, SANDWICH_HEAD, "Achim Zeileis"),
        (ZOO, ZOO_HEAD, "Achim Zeileis, Gabor Grothendieck"),
    ] {
        let passages = read(name);
        for p in passages {
            let cited = matches!(p.kind, Kind::Bibliography);
            assert!(
                cited || p.page == Some(1) || !p.text.contains(head),
                "{name}: running head in {} (page {:?}): {}",
                p.id,
                p.page,
                p.text
            );
            assert!(
                !p.text.contains(authors) || name == SANDWICH,
                "{}: {}",
                p.id,
                p.text
            );
            assert!(
                !p.text.trim().chars().all(|c| c.is_ascii_digit()),
                "{name}: a page number is a passage: {} on page {:?}",
                p.id,
                p.page
            );
        }
    }
    // The first page sets the same words as the title and the byline, without a number.
    let first = &read(SANDWICH)[0];
    assert_eq!(
        (first.kind, first.text.as_str()),
        (Kind::Heading, SANDWICH_HEAD)
    );
    assert_eq!(first.title, SANDWICH_HEAD);
    let byline = read(SANDWICH)
        .iter()
        .filter(|p| p.page == Some(1) && p.text.contains("Achim Zeileis"))
        .count();
    assert_eq!(byline, 1, "the author's name on the first page is kept");
    let affiliation = read(SANDWICH)
        .iter()
        .any(|p| p.page == Some(16) && p.text.contains("Achim Zeileis"));
    assert!(
        affiliation,
        "and the one in the affiliation on the last page"
    );
}

#[test]
fn ligatures_become_letters() {
    let text: String = read(SANDWICH).iter().map(|p| p.text.as_str()).collect();
    assert!(!text.contains(['\u{FB00}', '\u{FB01}', '\u{FB02}', '\u{FB03}', '\u{FB04}']));
    for word in [
        "fitted",
        "fillings",
        "misspecification",
        "flexibility",
        "Affiliation",
    ] {
        assert!(text.contains(word), "{word}");
    }
}

#[test]
fn centred_sentence_case_sections_head_their_passages() {
    let passages = read(SANDWICH);
    let headings: Vec<&str> = passages
        .iter()
        .filter(|p| p.kind == Kind::Heading && p.page != Some(1) || p.text == "1. Introduction")
        .map(|p| p.text.as_str())
        .collect();
    for h in [
        "1. Introduction",
        "2. Model frame",
        "3. Existing R infrastructure",
        "4. Covariance matrix estimators",
        "4.1. The bread",
        "4.2. The meat",
        "4.3. The sandwich",
        "5. Illustrations",
        "5.1. Count data regression",
        "5.2. Probit and tobit models",
        "6. Discussion",
        "Acknowledgments",
        "References",
    ] {
        assert!(headings.contains(&h), "{h:?} not among {headings:?}");
    }
    let under = |start: &str| {
        let p = passages.iter().find(|p| p.text.starts_with(start)).unwrap();
        p.section_title.clone().unwrap_or_default()
    };
    assert!(under("To make use of the theory outlined").contains("Existing R infrastructure"));
    assert!(under("To fix notations, let us assume").contains("Model frame"));
}

#[test]
fn the_abstract_is_three_paragraphs_not_a_passage_per_line() {
    // Set in from both margins: its lines end at its own right edge, not the body's.
    let abstract_: Vec<&Passage> = read(SANDWICH)
        .iter()
        .filter(|p| p.kind == Kind::Abstract)
        .collect();
    let starts: Vec<&str> = abstract_.iter().map(|p| &p.text[..20]).collect();
    assert_eq!(
        starts,
        [
            "This introduction to",
            "Sandwich covariance ",
            "Therefore, conceptua"
        ]
    );
    assert!(abstract_[2]
        .text
        .ends_with("types of sandwich estimators can be computed."));
}

#[test]
fn a_paragraph_over_a_page_break_is_one_passage_on_both_pages() {
    let p = read(SANDWICH)
        .iter()
        .find(|p| p.text.contains("The most important of these is"))
        .unwrap();
    assert!(
        p.text
            .contains("The most important of these is a method for extracting the empirical"),
        "{}",
        p.text
    );
    assert_eq!((p.page, p.page_end), (Some(1), Some(2)));
    assert_eq!(
        p.page_lines.unwrap()[1],
        3,
        "it ends on the third line of page 2"
    );
}

#[test]
fn the_footnote_at_the_page_bottom_is_a_footnote_passage() {
    let note = read(ZOO)
        .iter()
        .find(|p| {
            p.text
                .starts_with("In principle, more general objects can be indexed")
        })
        .unwrap();
    assert_eq!((note.kind, note.page), (Kind::Footnote, Some(2)));
    assert_eq!(note.footnotes, [1]);
}

#[test]
fn citations_and_bibliography_are_read() {
    let passages = read(SANDWICH);
    let cites_2004 = passages
        .iter()
        .filter(|p| {
            p.citations.iter().any(|c| {
                c.authors.iter().any(|a| a == "Zeileis") && c.year.as_deref() == Some("2004")
            })
        })
        .count();
    assert!(
        cites_2004 >= 2,
        "Zeileis (2004) is cited in the introduction twice"
    );
    let entries: Vec<&Passage> = passages
        .iter()
        .filter(|p| p.kind == Kind::Bibliography)
        .collect();
    assert!(entries
        .iter()
        .any(|p| p.text.starts_with("Andrews DWK (1991).")));
    let white = entries
        .iter()
        .find(|p| p.text.starts_with("White H (1994)"))
        .unwrap();
    assert_eq!(white.page, Some(15));
    // Its later lines are set in (a hanging indent): they stay with their entry.
    let cribari = entries
        .iter()
        .find(|p| p.text.starts_with("Cribari-Neto F (2004)"))
        .unwrap();
    assert!(cribari
        .text
        .contains("Computational Statistics & Data Analysis, 45"));
    // `White H`, `Cameron AC, Trivedi PK`: surnames with initials after them; the in-text
    // citations are linked to these entries.
    let linked = |author: &str, year: &str| {
        passages.iter().any(|p| {
            p.citations.iter().any(|c| {
                c.authors.iter().any(|a| a == author)
                    && c.year.as_deref() == Some(year)
                    && c.entry.is_some()
            })
        })
    };
    for (author, year) in [("White", "1994"), ("Cameron", "2005"), ("Zeileis", "2004")] {
        assert!(
            linked(author, year),
            "{author} ({year}) is linked to its entry"
        );
    }
}
