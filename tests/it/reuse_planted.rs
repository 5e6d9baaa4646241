//! Reuse detection measured on planted copies, as in the PAN plagiarism corpora: passages of
//! the seed corpus copied verbatim or obfuscated (words deleted, inserted, replaced by other
//! words, locally reordered; light, medium and heavy) into court decisions of
//! `../shared/corpus-large`, then found again with `dupes` and with `check`.
//!
//! Prints, per level, recall of `dupes` and of `check`, precision overall, and plagdet-style
//! character precision/recall of the aligned spans; holds them to the targets (recall ≥ 0.98
//! verbatim, ≥ 0.95 light, ≥ 0.85 medium; precision ≥ 0.95).

use crate::common;
use crate::plant::{obfuscate, Level, Rng};

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use pustaka::index::{self, Engine};
use pustaka::search::reuse::{align, is_reuse, DupesRequest};
use pustaka::text::fingerprint;
use pustaka::{ingest, Kind, Passage};

struct Plant {
    level: Level,
    /// The seed passage the plant was made from.
    source: String,
    /// The court decision it was planted in, and the planted text.
    host: String,
    text: String,
}

struct Setup {
    engine: Engine,
    plants: Vec<Plant>,
    seed: Vec<Passage>,
    /// Passages of the planted decisions, by document.
    hosts: BTreeMap<String, Vec<Passage>>,
    negatives: Vec<String>,
}

fn setup(court: &Path) -> Setup {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut seed = Vec::new();
    ingest::ingest(
        &[common::manifest_dir().join("corpus")],
        |_, ingest::Cut { passages: ps, .. }| seed.extend(ps),
    );
    let sources: Vec<&Passage> = seed
        .iter()
        .filter(|p| p.kind == Kind::Body && p.text.split_whitespace().count() >= 40)
        .collect();
    assert!(sources.len() >= 30, "{}", sources.len());

    let reader = BufReader::new(fs::File::open(court).unwrap());
    let records: Vec<serde_json::Value> = reader
        .lines()
        .take(420)
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect();
    let vocab: Vec<String> = records
        .iter()
        .take(20)
        .flat_map(|r| {
            r["text"]
                .as_str()
                .unwrap_or("")
                .split_whitespace()
                .filter(|w| w.len() > 3 && w.chars().all(char::is_alphabetic))
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();

    // 40 plants per level, each in its own decision; the rest of the decisions unplanted.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reuse_planted");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("corpus")).unwrap();
    for e in fs::read_dir(common::manifest_dir().join("corpus")).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), dir.join("corpus").join(e.file_name())).unwrap();
    }
    let mut out = fs::File::create(dir.join("corpus/planted.jsonl")).unwrap();
    let mut plants = Vec::new();
    let per_level = 40;
    for (k, rec) in records.iter().enumerate().skip(20) {
        let mut rec = rec.clone();
        let id = rec["id"].as_str().unwrap().to_string();
        if k - 20 < per_level * 4 {
            let level = Level::ALL[(k - 20) % 4];
            let src = sources[rng.below(sources.len())];
            let planted = obfuscate(&src.text, level, &vocab, &mut rng);
            let text = rec["text"].as_str().unwrap().to_string();
            // At a paragraph break near the middle of the decision.
            let mid = text.len() / 2;
            let at = text[mid..].find("\n\n").map_or(text.len(), |i| mid + i);
            let new = format!("{}\n\n{}\n\n{}", &text[..at], planted, &text[at..]);
            rec["text"] = serde_json::Value::String(new);
            plants.push(Plant {
                level,
                source: src.id.clone(),
                host: id,
                text: planted,
            });
        }
        writeln!(out, "{rec}").unwrap();
    }
    drop(out);
    index::build(&dir.join("index"), &[dir.join("corpus")], &mut |_| {}).unwrap();
    let engine = Engine::open(&dir.join("index")).unwrap();

    let mut hosts: BTreeMap<String, Vec<Passage>> = BTreeMap::new();
    ingest::ingest(
        &[dir.join("corpus/planted.jsonl")],
        |d, ingest::Cut { passages: ps, .. }| {
            if plants.iter().any(|p| p.host == d.id) {
                hosts.insert(d.id.clone(), ps);
            }
        },
    );
    // Texts reused nowhere: paragraphs of PLOS articles, which are not in this index. (Unindexed
    // court decisions would not do: decisions share their formulae, which is real reuse.)
    let plos = court.with_file_name("en_plos_fulltext.jsonl");
    let negatives: Vec<String> = BufReader::new(fs::File::open(plos).unwrap())
        .lines()
        .take(40)
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(&l.ok()?).ok()?;
            let t = v["text"].as_str()?.to_string();
            let mid = t.len() / 2;
            let start = t[..mid].rfind("\n\n").unwrap_or(0);
            let end = (start + 1200).min(t.len());
            let end = (0..=end)
                .rev()
                .find(|&i| t.is_char_boundary(i))
                .unwrap_or(0);
            Some(t[start..end].to_string())
        })
        .collect();
    Setup {
        engine,
        plants,
        seed,
        hosts,
        negatives,
    }
}

/// Whether a passage of a planted decision holds the plant: it contains a run of the plant's
/// words.
fn holds(p: &Passage, plant: &Plant) -> bool {
    let words: Vec<&str> = plant.text.split_whitespace().collect();
    let probe = |i: usize| words[i..(i + 4).min(words.len())].join(" ");
    (0..words.len().saturating_sub(4))
        .step_by(5)
        .any(|i| p.text.contains(&probe(i)))
}

/// Character span of the plant inside a host passage's text (the passage may hold neighbouring
/// decision text too): from its first to its last recognisable word run.
fn plant_span(p: &Passage, plant: &Plant) -> [usize; 2] {
    let words: Vec<&str> = plant.text.split_whitespace().collect();
    let chars = |b: usize| p.text[..b].chars().count();
    let mut first = None;
    let mut last = None;
    for i in 0..words.len().saturating_sub(3) {
        let probe = words[i..i + 3].join(" ");
        if let Some(b) = p.text.find(&probe) {
            first.get_or_insert(chars(b));
            last = Some(chars(b + probe.len()));
        }
    }
    match (first, last) {
        (Some(s), Some(e)) if e > s => [s, e],
        _ => [0, p.text.chars().count()],
    }
}

/// Whether two original texts share reused text by the library's own measure: the seed
/// corpus repeats itself (003's conclusion), so a source's copy also matches those repeats.
fn naturally_shares(a: &str, b: &str) -> bool {
    is_reuse(&align(&fingerprint::words(a), &fingerprint::words(b)), 0.5)
}

/// plagdet-style character precision and recall of detected spans against the true span.
fn char_pr(spans: &[[usize; 2]], truth: [usize; 2]) -> (f64, f64) {
    let det: usize = spans.iter().map(|s| s[1] - s[0]).sum();
    let hit: usize = spans
        .iter()
        .map(|s| s[1].min(truth[1]).saturating_sub(s[0].max(truth[0])))
        .sum();
    (
        hit as f64 / det.max(1) as f64,
        hit as f64 / (truth[1] - truth[0]).max(1) as f64,
    )
}

#[test]
#[ignore = "needs ../shared/corpus-large (run by .ci/run)"]
fn planted_reuse_is_found_at_every_level() {
    let [court, _] = common::corpus_large();
    let s = setup(&court);
    let source_of = |id: &str| s.seed.iter().find(|p| p.id == id).unwrap();
    let is_plant_passage = |doc: &str, pid: &str| -> Option<&Plant> {
        s.plants
            .iter()
            .find(|pl| pl.host == doc && s.hosts[doc].iter().any(|p| p.id == pid && holds(p, pl)))
    };

    // dupes
    let d = s
        .engine
        .dupes(&DupesRequest {
            cross_doc: true,
            ..DupesRequest::default()
        })
        .unwrap();
    let mut found: BTreeMap<Level, (usize, usize)> = BTreeMap::new();
    let (mut cp, mut cr, mut cn) = (0.0, 0.0, 0);
    for pl in &s.plants {
        let e = found.entry(pl.level).or_default();
        e.1 += 1;
        let hit = d.pairs.iter().find(|p| {
            let (src, other) = if p.a.at.passage_id == pl.source {
                (&p.a, &p.b)
            } else if p.b.at.passage_id == pl.source {
                (&p.b, &p.a)
            } else {
                return false;
            };
            let _ = src;
            other.at.doc == pl.host
                && is_plant_passage(&other.at.doc, &other.at.passage_id).is_some()
        });
        if let Some(p) = hit {
            e.0 += 1;
            let (host_side, src_side) = if p.a.at.passage_id == pl.source {
                (&p.b, &p.a)
            } else {
                (&p.a, &p.b)
            };
            let hp = s.hosts[&pl.host]
                .iter()
                .find(|x| x.id == host_side.at.passage_id)
                .unwrap();
            let (p1, r1) = char_pr(&host_side.spans, plant_span(hp, pl));
            let src = source_of(&pl.source);
            let (p2, r2) = char_pr(&src_side.spans, [0, src.text.chars().count()]);
            cp += (p1 + p2) / 2.0;
            cr += (r1 + r2) / 2.0;
            cn += 1;
        }
    }
    // Precision over the pairs that involve a plant or a planting source; pairs of decisions
    // with each other (court formulae) and seed repeats are natural duplicates, counted apart.
    let (mut right, mut wrong, mut natural) = (0, 0, 0);
    let mut wrong_examples = Vec::new();
    for p in &d.pairs {
        let plant_a = is_plant_passage(&p.a.at.doc, &p.a.at.passage_id);
        let plant_b = is_plant_passage(&p.b.at.doc, &p.b.at.passage_id);
        let src_a = s.plants.iter().any(|pl| pl.source == p.a.at.passage_id);
        let src_b = s.plants.iter().any(|pl| pl.source == p.b.at.passage_id);
        if plant_a.is_none() && plant_b.is_none() {
            natural += 1;
            continue;
        }
        // Right: plant and source, two plants of one source, or a pair whose matching text lies
        // outside the plant (the plant merged into a decision paragraph that repeats a court
        // formula), or a passage the source itself is reused in.
        let outside = |side: &pustaka::search::reuse::Side, pl: &Plant| {
            let hp = s.hosts[&side.at.doc]
                .iter()
                .find(|x| x.id == side.at.passage_id)
                .unwrap();
            let span = plant_span(hp, pl);
            char_pr(&side.spans, span).0 < 0.5
        };
        let ok = match (plant_a, plant_b) {
            (Some(x), Some(y)) => x.source == y.source,
            (Some(x), None) => {
                p.b.at.passage_id == x.source
                    || outside(&p.a, x)
                    || naturally_shares(&source_of(&x.source).text, &p.b.text)
            }
            (None, Some(y)) => {
                p.a.at.passage_id == y.source
                    || outside(&p.b, y)
                    || naturally_shares(&source_of(&y.source).text, &p.a.text)
            }
            (None, None) => unreachable!(),
        };
        let _ = (src_a, src_b);
        if ok {
            right += 1;
        } else {
            wrong += 1;
            wrong_examples.push(format!(
                "{} ~ {} ({:.2})",
                p.a.at.passage_id, p.b.at.passage_id, p.similarity
            ));
        }
    }
    let dupes_precision = right as f64 / (right + wrong).max(1) as f64;

    // check: each plant's text as a pasted paragraph; and texts reused nowhere.
    let mut check_found: BTreeMap<Level, (usize, usize)> = BTreeMap::new();
    let (mut c_right, mut c_wrong) = (0, 0);
    for pl in &s.plants {
        let r = s.engine.check(&pl.text, 0.5).unwrap();
        let e = check_found.entry(pl.level).or_default();
        e.1 += 1;
        if r.matches.iter().any(|m| m.at.passage_id == pl.source) {
            e.0 += 1;
        }
        for m in &r.matches {
            // Right: the source, another plant of it, or a passage the source itself is
            // reused in (the seed corpus repeats itself), judged on the original texts.
            let ok = m.at.passage_id == pl.source
                || is_plant_passage(&m.at.doc, &m.at.passage_id)
                    .is_some_and(|x| x.source == pl.source)
                || naturally_shares(&source_of(&pl.source).text, &m.text);
            if ok {
                c_right += 1;
            } else {
                c_wrong += 1;
                if c_wrong <= 8 {
                    let inp: Vec<char> = pl.text.chars().collect();
                    let txt: Vec<char> = m.text.chars().collect();
                    println!(
                        "  check wrong: {} ~ {} sim {:.2} cont {:.2}: {:?} || {:?}",
                        pl.source,
                        m.at.passage_id,
                        m.similarity,
                        m.containment,
                        m.input_spans
                            .iter()
                            .map(|&[a, b]| inp[a..b].iter().collect::<String>())
                            .collect::<Vec<_>>(),
                        m.spans
                            .iter()
                            .map(|&[a, b]| txt[a..b].iter().collect::<String>())
                            .collect::<Vec<_>>()
                    );
                }
            }
        }
    }
    let mut neg_hits = 0;
    for t in &s.negatives {
        let r = s.engine.check(t, 0.5).unwrap();
        neg_hits += r.matches.len();
        c_wrong += r.matches.len();
    }
    let check_precision = c_right as f64 / (c_right + c_wrong).max(1) as f64;

    println!("planted reuse ({} plants in {} court decisions, {} passages with fingerprints, dupes in {:.0} ms):", s.plants.len(), s.hosts.len(), d.passages, d.took_ms);
    println!("  level     dupes recall   check recall");
    for l in Level::ALL {
        let (a, n) = found[&l];
        let (b, m) = check_found[&l];
        println!(
            "  {:<9} {:>5}/{:<3} {:.3}   {:>3}/{:<3} {:.3}",
            format!("{l:?}"),
            a,
            n,
            a as f64 / n as f64,
            b,
            m,
            b as f64 / m as f64
        );
    }
    println!("  dupes precision {dupes_precision:.3} ({right} right, {wrong} wrong; {natural} natural pairs of decisions or seed passages not counted)");
    println!("  check precision {check_precision:.3} ({c_right} right, {c_wrong} wrong; {neg_hits} matches for {} texts reused nowhere)", s.negatives.len());
    println!("  aligned spans, character level: precision {:.3}, recall {:.3} (over {cn} detected plants)", cp / cn.max(1) as f64, cr / cn.max(1) as f64);
    for w in wrong_examples.iter().take(10) {
        println!("  wrong pair: {w}");
    }
    let rate = |m: &BTreeMap<Level, (usize, usize)>, l: Level| m[&l].0 as f64 / m[&l].1 as f64;
    for (m, what) in [(&found, "dupes"), (&check_found, "check")] {
        assert!(rate(m, Level::Verbatim) >= 0.98, "{what} verbatim");
        assert!(rate(m, Level::Light) >= 0.95, "{what} light");
        assert!(rate(m, Level::Medium) >= 0.85, "{what} medium");
    }
    assert!(dupes_precision >= 0.95 && check_precision >= 0.95);
}
