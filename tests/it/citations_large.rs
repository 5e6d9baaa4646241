//! Citation extraction on `../shared/corpus-large`: every document of the 121 PLOS articles
//! (numbered citations `[3]`, `[3]–[5]`, `[2,7]` and a numbered reference list) and the 533
//! Indonesian court decisions goes through the whole pipeline without a panic, numbered
//! citations are linked to their entries, and ten numbered citations read by hand are linked
//! to the entry the article means. Skipped, with a message, where that corpus is not present
//! (a user's clone).

use crate::common;

use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

use pustaka::enrich::cite::Style;
use pustaka::ingest::{self, read};
use pustaka::{Document, Kind, Passage};

const PLOS: &str = "en_plos_fulltext.jsonl";
const COURT: &str = "id_court_decisions.jsonl";

fn documents(path: &Path) -> Vec<Document> {
    let file = read::SourceFile::from_path(path).unwrap_or_else(|e| panic!("{e}"));
    let (docs, skipped) = read::read_file(&file).unwrap_or_else(|e| panic!("{e}"));
    assert!(skipped.is_empty(), "{path:?}: skipped records {skipped:?}");
    docs
}

/// `passages_of` for every document, on two threads; a panic in either fails the test.
fn all_passages(docs: &[Document]) -> Vec<(String, Vec<Passage>)> {
    let halves: Vec<Vec<(usize, String, Vec<Passage>)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|t| {
                s.spawn(move || {
                    docs.iter()
                        .enumerate()
                        .filter(|(i, _)| i % 2 == t)
                        .map(|(i, d)| (i, d.id.clone(), ingest::passages_of(d)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut out: Vec<(usize, String, Vec<Passage>)> = halves.into_iter().flatten().collect();
    out.sort_by_key(|(i, _, _)| *i);
    out.into_iter().map(|(_, id, p)| (id, p)).collect()
}

const STYLES: [Style; 6] = [
    Style::Parenthetical,
    Style::Narrative,
    Style::Source,
    Style::Cue,
    Style::Numbered,
    Style::Footnote,
];

#[derive(Default)]
struct Counts {
    documents: usize,
    passages: usize,
    citations: usize,
    by_style: [usize; 6],
    numbered: usize,
    numbered_linked: usize,
    /// Documents with a numbered reference list (an entry with `number`).
    numbered_lists: usize,
    /// Numbered citations in documents without a numbered reference list.
    numbered_without_list: usize,
    /// Bibliography entries, and those the parser found no year in.
    entries: usize,
    entries_without_year: usize,
    /// Entries whose first author still carries initials (`Kim J`, `BreierAM`).
    entries_author_initials: usize,
    problems: Vec<String>,
}

impl Counts {
    fn of(docs: &[(String, Vec<Passage>)]) -> Counts {
        let mut c = Counts {
            documents: docs.len(),
            ..Counts::default()
        };
        for (id, passages) in docs {
            c.passages += passages.len();
            let entries: HashSet<usize> = passages
                .iter()
                .filter(|p| p.kind == Kind::Bibliography)
                .filter_map(|p| p.reference.as_ref()?.index)
                .collect();
            let has_list = passages
                .iter()
                .filter(|p| p.kind == Kind::Bibliography)
                .any(|p| p.reference.as_ref().is_some_and(|r| r.number.is_some()));
            c.numbered_lists += usize::from(has_list);
            for r in passages
                .iter()
                .filter(|p| p.kind == Kind::Bibliography)
                .filter_map(|p| p.reference.as_ref())
            {
                c.entries += 1;
                c.entries_without_year += usize::from(r.year.is_none());
                c.entries_author_initials +=
                    usize::from(r.authors.first().is_some_and(|a| carries_initials(a)));
            }
            for p in passages {
                for cite in &p.citations {
                    c.citations += 1;
                    let k = STYLES.iter().position(|s| *s == cite.style).unwrap_or(0);
                    c.by_style[k] += 1;
                    if cite.style == Style::Numbered {
                        c.numbered += 1;
                        c.numbered_linked += usize::from(cite.entry.is_some());
                        if !has_list {
                            c.numbered_without_list += 1;
                        }
                    }
                    let [a, b] = cite.span;
                    if a > b
                        || b > p.text.len()
                        || !p.text.is_char_boundary(a)
                        || !p.text.is_char_boundary(b)
                    {
                        c.problems
                            .push(format!("{id} {}: bad span {:?}", p.id, cite.span));
                    }
                    if let Some(e) = cite.entry {
                        if !entries.contains(&e) {
                            c.problems.push(format!(
                                "{id} {}: {:?} links to entry {e}, which is no bibliography entry",
                                p.id, cite.raw
                            ));
                        }
                    }
                }
            }
        }
        c
    }

    fn linked_share(&self) -> f64 {
        if self.numbered == 0 {
            1.0
        } else {
            self.numbered_linked as f64 / self.numbered as f64
        }
    }

    fn print(&self, name: &str) {
        let styles: Vec<String> = STYLES
            .iter()
            .zip(self.by_style)
            .map(|(s, n)| format!("{s:?}={n}"))
            .collect();
        println!(
            "{name}: documents={} passages={} citations={} [{}]",
            self.documents,
            self.passages,
            self.citations,
            styles.join(" ")
        );
        println!(
            "{name}: numbered={} linked={} ({:.1}%) docs_with_numbered_list={} numbered_without_list={}",
            self.numbered,
            self.numbered_linked,
            100.0 * self.linked_share(),
            self.numbered_lists,
            self.numbered_without_list
        );
        println!(
            "{name}: bibliography_entries={} without_year={} first_author_with_initials={}",
            self.entries, self.entries_without_year, self.entries_author_initials
        );
    }
}

/// `Kim J`, `Gatenby R`, `BreierAM`: a surname with the initials still attached.
fn carries_initials(author: &str) -> bool {
    let last = author.split_whitespace().last().unwrap_or("");
    let caps = last.chars().rev().take_while(|c| c.is_uppercase()).count();
    let rest = last.chars().count() - caps;
    let spaced = author.split_whitespace().count() > 1 && rest == 0 && (1..=3).contains(&caps);
    let fused = rest >= 2
        && (1..=3).contains(&caps)
        && last.chars().nth(rest - 1).is_some_and(char::is_lowercase);
    spaced || fused
}

#[test]
#[ignore = "needs ../shared/corpus-large (run by .ci/run)"]
fn every_document_yields_citations_without_panic() {
    let [court, plos] = common::corpus_large();
    let start = Instant::now();
    let mut all = Vec::new();
    for (name, path) in [(PLOS, &plos), (COURT, &court)] {
        let docs = documents(path);
        let t = Instant::now();
        let passages = all_passages(&docs);
        let counts = Counts::of(&passages);
        counts.print(name);
        println!("{name}: {:.1} s", t.elapsed().as_secs_f64());
        all.push((name, counts));
    }
    println!("total: {:.1} s", start.elapsed().as_secs_f64());

    let (_, plos) = &all[0];
    let (_, court) = &all[1];
    let problems: Vec<&String> = plos.problems.iter().chain(&court.problems).collect();
    assert!(
        problems.is_empty(),
        "{} problems, first: {:#?}",
        problems.len(),
        &problems[..problems.len().min(20)]
    );
    assert_eq!(plos.documents, 121);
    assert_eq!(court.documents, 533);
    assert!(
        plos.numbered > 1000,
        "PLOS: only {} numbered citations",
        plos.numbered
    );
    assert!(
        plos.linked_share() >= 0.90,
        "PLOS: {} of {} numbered citations linked ({:.1}%), want at least 90%",
        plos.numbered_linked,
        plos.numbered,
        100.0 * plos.linked_share()
    );
    // Brackets are read as citations only next to a numbered reference list, and court
    // decisions have none to speak of.
    for (name, c) in &all {
        assert_eq!(
            c.numbered_without_list, 0,
            "{name}: numbered citations in documents without a numbered list"
        );
    }
    assert!(
        court.numbered <= 50,
        "court decisions: {} numbered citations",
        court.numbered
    );
}

/// One numbered citation read by hand: in article `doc`, the passage containing `after` is
/// followed by a bracket citing `number`, and entry `number` of the article's reference list
/// is by `surname` (first author) in `year`.
struct Case {
    doc: &'static str,
    after: &'static str,
    number: u32,
    surname: &'static str,
    year: &'static str,
}

/// Read by hand from the article's text and its "References" list: fused initials
/// (`BreierAM`), `Surname I, Surname I (year)`, and the year between authors and title.
const CASES: [Case; 10] = [
    // "... spread on the DNA template in the parS-adjacent region [8]–[10] to form ..."
    // 9. BreierAM, GrossmanAD (2007) Whole-genome analysis of the chromosome partitioning ...
    Case {
        doc: "plos-journal.pone.0052690",
        after: "spread on the DNA template in the parS-adjacent region",
        number: 9,
        surname: "Breier",
        year: "2007",
    },
    // "... for the ParABS-mediated DNA movement in many bacteria [3]–[4], [11]–[14]."
    // 12. VecchiarelliAG, HanYW, TanX, MizuuchiM, GhirlandoR, et al. (2010) ATP control of ...
    Case {
        doc: "plos-journal.pone.0052690",
        after: "ParABS-mediated DNA movement in many bacteria [3]–[4],",
        number: 12,
        surname: "Vecchiarelli",
        year: "2010",
    },
    // "... bacterial genomes harbor genes for the segrosome components [5]–[6]."
    // 5. GerdesK, Møller-JensenJ, Bugge-JensenR (2000) Plasmid and chromosome partitioning ...
    // (entry 2 is GerdesK too, of 2010: only the number tells them apart)
    Case {
        doc: "plos-journal.pone.0052690",
        after: "harbor genes for the segrosome components",
        number: 5,
        surname: "Gerdes",
        year: "2000",
    },
    // "This process requires high levels of glucose uptake and is known as the Warburg effect [7, 8]."
    // 8. Kim J, Dang C (2006) Cancer's molecular sweet tooth and the Warburg effect. ...
    Case {
        doc: "plos-journal.pone.0114370",
        after: "glucose uptake and is known as the Warburg effect",
        number: 8,
        surname: "Kim",
        year: "2006",
    },
    // "... in the hostile (hypoxic) tumor microenvironment, leading to longer survival [8, 10]."
    // 10. Gatenby R, Gillies R (2004) Why do cancers have high aerobic glycolysis? ...
    Case {
        doc: "plos-journal.pone.0114370",
        after: "tumor microenvironment, leading to longer survival",
        number: 10,
        surname: "Gatenby",
        year: "2004",
    },
    // "... these antigen-presenting cells are critical to induce resistance to infection [2]–[4]."
    // 3. Mellman I Steinman R. M 2001 Dendritic cells specialized and regulated antigen ...
    Case {
        doc: "plos-journal.pbio.1001315",
        after: "cells are critical to induce resistance to infection",
        number: 3,
        surname: "Mellman",
        year: "2001",
    },
    // "... potently enhances their capacity to trans-infect bystander CD4+ T cells [15],[21],[25]–[27]."
    // 26. McDonald D Wu L Bohks S. M KewalRamani V. N Unutmaz D 2003 Recruitment of HIV ...
    Case {
        doc: "plos-journal.pbio.1001315",
        after: "capacity to trans-infect bystander CD4+ T cells [15],[21],",
        number: 26,
        surname: "McDonald",
        year: "2003",
    },
    // "... has been produced [18] following the style used for other reporting guidelines [19]–[21]."
    // 20. Bossuyt PM Reitsma JB Bruns DE Gatsonis CA Glasziou PP 2003 Towards complete and ...
    Case {
        doc: "plos-journal.pmed.1000097",
        after: "following the style used for other reporting guidelines",
        number: 20,
        surname: "Bossuyt",
        year: "2003",
    },
    // "Clinicians read them to keep up to date with their field [1],[2], and they are ..."
    // 2. Swingler GH Volmink J Ioannidis JP 2003 Number of published systematic reviews ...
    Case {
        doc: "plos-journal.pmed.1000097",
        after: "Clinicians read them to keep up to date with their field [1],",
        number: 2,
        surname: "Swingler",
        year: "2003",
    },
    // "... the cell cycle process is now considered a series of irreversible transitions from
    // one state to another [19–21]."
    // 20. Ferrell JE Jr, Tsai T, Yang Q. Modeling the Cell Cycle: Why Do Certain Circuits
    // Oscillate? Cell. 2011;144: 874–885.
    Case {
        doc: "plos-journal.pcbi.1004156",
        after: "a series of irreversible transitions from one state to another",
        number: 20,
        surname: "Ferrell",
        year: "2011",
    },
];

/// What the library made of one case: `Err` says what went wrong.
fn check(case: &Case, passages: &[Passage]) -> Result<(), String> {
    let holding: Vec<&Passage> = passages
        .iter()
        .filter(|p| p.text.contains(case.after))
        .collect();
    let [p] = holding.as_slice() else {
        return Err(format!(
            "{} passages contain {:?}, want exactly one",
            holding.len(),
            case.after
        ));
    };
    let end = p.text.find(case.after).unwrap_or(0) + case.after.len();
    // The citation is the bracket right after the substring (a space at most between).
    let cite = p
        .citations
        .iter()
        .filter(|c| c.style == Style::Numbered && c.number == Some(case.number))
        .filter(|c| c.span[0] >= end && c.span[0] <= end + 1)
        .min_by_key(|c| c.span[0])
        .ok_or_else(|| {
            format!(
                "no Numbered citation of {} right after {:?} in {}; its citations: {:?}",
                case.number,
                case.after,
                p.id,
                p.citations
                    .iter()
                    .map(|c| (&c.raw, c.style, c.number, c.span))
                    .collect::<Vec<_>>()
            )
        })?;
    let entry = cite
        .entry
        .ok_or_else(|| format!("citation {:?} ({}) has no entry", cite.raw, case.number))?;
    let r = passages
        .iter()
        .filter(|q| q.kind == Kind::Bibliography)
        .filter_map(|q| q.reference.as_ref().map(|r| (q, r)))
        .find(|(_, r)| r.index == Some(entry))
        .map(|(_, r)| r)
        .ok_or_else(|| format!("entry {entry} is no bibliography passage"))?;
    let got = (
        r.number,
        r.authors.first().map(String::as_str),
        r.year.as_deref(),
    );
    let want = (Some(case.number), Some(case.surname), Some(case.year));
    if got != want {
        return Err(format!(
            "citation {:?} → entry {entry}: (number, first author, year) = {got:?}, want {want:?}; \
             entry: {r:?}",
            cite.raw
        ));
    }
    Ok(())
}

#[test]
#[ignore = "needs ../shared/corpus-large (run by .ci/run)"]
fn numbered_citations_spot_checked_by_hand() {
    let [_, plos] = common::corpus_large();
    let docs = documents(&plos);
    let ids: HashSet<&str> = CASES.iter().map(|c| c.doc).collect();
    assert!(ids.len() >= 3, "cases from at least three articles");
    let mut failures = Vec::new();
    for id in {
        let mut v: Vec<&str> = ids.into_iter().collect();
        v.sort();
        v
    } {
        let doc = docs
            .iter()
            .find(|d| d.id == id)
            .unwrap_or_else(|| panic!("{id} not in {PLOS}"));
        let passages = ingest::passages_of(doc);
        for case in CASES.iter().filter(|c| c.doc == id) {
            match check(case, &passages) {
                Ok(()) => println!("ok   {id} [{}] {} {}", case.number, case.surname, case.year),
                Err(e) => {
                    println!("FAIL {id} [{}]: {e}", case.number);
                    failures.push(format!("{id} [{}]: {e}", case.number));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} hand-checked citations wrong:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}
