//! The editor's similarity report (issue 17) on planted manuscripts over `../shared/corpus-large`:
//! a slice of it is indexed (court decisions and PLOS articles), and manuscripts are assembled
//! from text the index does not hold (PLOS articles held out, the Indonesian seed corpus) with
//! known stretches of indexed documents planted in them: copied verbatim, lightly reworded
//! (PAN-style obfuscation, [`crate::plant`]), inside quotation marks, each with a citation of
//! its source's authors and year in its paragraph, of another work, or of none. Half the
//! manuscripts are English (PLOS sources), half Indonesian (court decisions).
//!
//! Held per manuscript: the similarity index within 2 points of the planted share, counted as
//! the report counts words (every word of each planted stretch, over the manuscript's words
//! without its bibliography), with quotations left out and with them counted; the top source
//! is the document planted most. Over all stretches: attribution right on ≥ 95%.
//!
//! Heavily reworded stretches (45% of the words touched) stand in manuscripts of their own and
//! are held the same way, every word of the stretch counted: the aligner's shingle seeds find
//! only the runs such rewording left intact, and the report counts the whole stretch through the
//! local alignment of its words ([`pustaka::search::reuse`]'s `local`). How many of their
//! words the rewording kept is printed beside.
//!
//! Stretches are runs of whole sentences of 40 to 90 words: a lightly reworded one of about 30
//! words can hold no unbroken run of 12 content words and too small a share of its paragraph
//! for the aligner to call reuse (one such was missed in a first version with 25 to 70).
//!
//! Planted stretches are chosen so that their source is unambiguous: no run of five words of
//! one is in another indexed document (court decisions share their formulae, which would be
//! real reuse of several documents). Filler sentences share no run of five words with any
//! indexed document, and neither hold citations nor quotation marks, so that the truth is known.

use crate::common;
use crate::plant::{obfuscate_kept, Level, Rng};

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use pustaka::index::{self, Engine};
use pustaka::search::cancel::Cancel;
use pustaka::search::reuse::report::{word_spans, Attribution, Report, ReportOptions};
use pustaka::{ingest, Kind};

/// Court decisions and PLOS articles indexed: the first of each file. The PLOS articles after
/// them are held out as English filler.
const COURT_INDEXED: usize = 450;
const PLOS_INDEXED: usize = 80;
/// Manuscripts per language with verbatim, light and quoted plants; and with heavy ones.
const MANUSCRIPTS: usize = 7;
const HEAVY_MANUSCRIPTS: usize = 2;
/// Words of a planted stretch.
const STRETCH_WORDS: [usize; 2] = [40, 90];
/// Words of a filler sentence.
const FILLER_WORDS: [usize; 2] = [8, 45];
/// A run of this many words shared with another document makes text not unique to one.
const GRAM: usize = 5;

/// How a planted stretch's paragraph cites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cite {
    /// The source's authors and year.
    Source,
    /// Another work.
    Other,
    None,
}

impl Cite {
    fn expected(self) -> Attribution {
        match self {
            Cite::Source => Attribution::Attributed,
            Cite::Other => Attribution::CitesOther,
            Cite::None => Attribution::Uncited,
        }
    }
}

/// An indexed document that stretches are planted from.
struct SourceDoc {
    id: String,
    lang: String,
    /// `(Dutt et al., 2004)`, from the authors and year the index states for it.
    cite: String,
    /// Its bibliography entry.
    entry: String,
    /// Runs of whole sentences of its body passages, unique to it.
    stretches: Vec<String>,
}

/// One planted stretch.
struct Planted {
    doc: String,
    level: Level,
    quoted: bool,
    cite: Cite,
    /// The stretch as planted.
    text: String,
    /// Its words, as the report counts them.
    words: usize,
    /// Of `words`, those the rewording kept from the source.
    kept: usize,
    /// The filler sentence its paragraph starts with, which finds the paragraph.
    lead: String,
}

struct Manuscript {
    lang: String,
    heavy: bool,
    text: String,
    /// Words before the bibliography, as the report counts them.
    words: usize,
    planted: Vec<Planted>,
}

/// Hashes of the lower-cased runs of [`GRAM`] words of `text`.
fn grams(text: &str) -> Vec<u64> {
    let chars: Vec<char> = text.chars().collect();
    let words: Vec<String> = word_spans(text)
        .iter()
        .map(|&[s, e]| chars[s..e].iter().collect::<String>().to_lowercase())
        .collect();
    words
        .windows(GRAM)
        .map(|w| {
            let mut h = DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect()
}

/// Which indexed document each run of words stands in ([`MANY`] for several).
type Grams = HashMap<u64, usize>;
const MANY: usize = usize::MAX;

fn add_grams(map: &mut Grams, doc: usize, text: &str) {
    for g in grams(text) {
        let e = map.entry(g).or_insert(doc);
        if *e != doc {
            *e = MANY;
        }
    }
}

/// Sentences of `text` (ending in `.`, `;`, `?` or `!` before a space), as word lists.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for w in text.split_whitespace() {
        cur.push(w);
        if w.ends_with(['.', ';', '?', '!']) && w.chars().count() > 3 {
            out.push(cur.join(" "));
            cur.clear();
        }
    }
    out
}

/// Whether a piece of text is free of what would blur the truth: citations (parenthetical,
/// numbered, narrative), quotation marks.
fn clean(text: &str) -> bool {
    !text.contains(['(', ')', '[', ']', '"', '“', '”', '„', '«', '»', '\''])
        && !text.contains("et al")
}

fn count_words(text: &str) -> usize {
    word_spans(text).len()
}

/// Runs of whole consecutive sentences of `text` of [`STRETCH_WORDS`] words, clean and with
/// every run of words unique to document `doc`; at most one per passage.
fn stretches_in(text: &str, doc: usize, map: &Grams) -> Option<String> {
    let ss = sentences(text);
    for i in 0..ss.len() {
        let mut run = String::new();
        for s in &ss[i..] {
            run = if run.is_empty() {
                s.clone()
            } else {
                format!("{run} {s}")
            };
            let n = count_words(&run);
            if n > STRETCH_WORDS[1] || !clean(&run) {
                break;
            }
            if n >= STRETCH_WORDS[0] && grams(&run).iter().all(|g| map.get(g) == Some(&doc)) {
                return Some(run);
            }
        }
    }
    None
}

/// The first `n` records of a JSON Lines file, and the rest.
fn records(path: &Path, n: usize) -> (Vec<String>, Vec<String>) {
    let lines: Vec<String> = BufReader::new(fs::File::open(path).unwrap())
        .lines()
        .map(Result::unwrap)
        .collect();
    let rest = lines[n.min(lines.len())..].to_vec();
    let mut first = lines;
    first.truncate(n);
    (first, rest)
}

/// `Dutt, A., Canevascini, S., & Hajnal, A.`: authors as a reference list names them.
fn entry_authors(authors: &[String]) -> String {
    let one = |a: &String| -> String {
        let parts: Vec<&str> = a.split_whitespace().collect();
        match parts.split_last() {
            Some((last, first)) if !first.is_empty() && a.chars().any(char::is_lowercase) => {
                let initials: Vec<String> = first
                    .iter()
                    .filter_map(|p| p.chars().next().map(|c| format!("{c}.")))
                    .collect();
                format!("{last}, {}", initials.join(" "))
            }
            _ => a.clone(),
        }
    };
    let names: Vec<String> = authors.iter().map(one).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}, & {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

/// The indexed slice's documents that can be planted from: with authors and a year to cite,
/// and at least three unique stretches. Ingested as the index ingests them.
fn source_docs(corpus: &Path) -> (Vec<SourceDoc>, Grams) {
    let mut docs = Vec::new();
    let mut map = Grams::new();
    let mut texts: Vec<Vec<String>> = Vec::new();
    ingest::ingest(&[corpus.to_path_buf()], |d, cut| {
        let k = texts.len();
        let body: Vec<String> = cut
            .passages
            .iter()
            .filter(|p| p.kind == Kind::Body)
            .map(|p| p.text.clone())
            .collect();
        for p in &cut.passages {
            add_grams(&mut map, k, &p.text);
        }
        texts.push(body);
        let (Some(names), Some(year)) = (cut.meta.short_authors(), cut.meta.year) else {
            docs.push(None);
            return;
        };
        docs.push(Some(SourceDoc {
            id: d.id.clone(),
            lang: if d.id.starts_with("plos-") {
                "en"
            } else {
                "id"
            }
            .to_string(),
            cite: format!("({names}, {year})"),
            entry: format!(
                "{} ({year}). {}.",
                entry_authors(&cut.meta.authors),
                cut.passages.first().map_or("", |p| p.title.as_str())
            ),
            stretches: Vec::new(),
        }));
    });
    let mut out = Vec::new();
    for (k, doc) in docs.into_iter().enumerate() {
        let Some(mut doc) = doc else { continue };
        for run in texts[k].iter().filter_map(|t| stretches_in(t, k, &map)) {
            // A decision repeats itself (the charge, then the facts): one stretch per text.
            let taken: Vec<u64> = doc.stretches.iter().flat_map(|s| grams(s)).collect();
            if !grams(&run).iter().any(|g| taken.contains(g)) {
                doc.stretches.push(run);
            }
        }
        if doc.stretches.len() >= 3 {
            out.push(doc);
        }
    }
    (out, map)
}

/// Filler sentences of one language from `paragraphs` (text the index does not hold): clean,
/// of [`FILLER_WORDS`] words, sharing no run of words with any indexed document.
fn filler(paragraphs: impl Iterator<Item = String>, map: &Grams) -> Vec<String> {
    paragraphs
        .filter(|p| count_words(p) >= 30)
        .flat_map(|p| sentences(&p))
        .filter(|s| {
            let n = count_words(s);
            n >= FILLER_WORDS[0]
                && n <= FILLER_WORDS[1]
                && clean(s)
                && grams(s).iter().all(|g| !map.contains_key(g))
        })
        .collect()
}

/// English filler: the paragraphs of the held-out PLOS articles. Indonesian: the seed corpus's
/// body passages (court decisions held out would not do: they share the indexed ones' formulae
/// in other words too, which is real reuse).
fn fillers(held_out_plos: &[String], map: &Grams) -> [Vec<String>; 2] {
    let en = held_out_plos.iter().flat_map(|l| {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        let t = v["text"].as_str().unwrap_or("").to_string();
        t.split("\n\n").map(str::to_string).collect::<Vec<_>>()
    });
    let en = filler(en, map);
    let mut seed = Vec::new();
    ingest::ingest(&[common::manifest_dir().join("corpus")], |_, cut| {
        seed.extend(
            cut.passages
                .into_iter()
                .filter(|p| p.kind == Kind::Body && p.lang == "id")
                .map(|p| p.text),
        )
    });
    let id = filler(seed.into_iter(), map);
    [en, id]
}

/// Words to reword with: the filler's own longer words.
fn vocab(sentences: &[String]) -> Vec<String> {
    sentences
        .iter()
        .flat_map(|s| s.split_whitespace())
        .filter(|w| w.chars().count() > 3 && w.chars().all(char::is_alphabetic))
        .map(str::to_string)
        .collect()
}

/// One language's material: its sources (used in turn), filler sentences (in turn), words to
/// reword with, and works that are none of the sources to cite.
struct Material {
    lang: &'static str,
    docs: Vec<SourceDoc>,
    next_doc: usize,
    filler: Vec<String>,
    next_filler: usize,
    vocab: Vec<String>,
    others: [(&'static str, &'static str); 3],
}

const OTHERS_EN: [(&str, &str); 3] = [
    (
        "(Okonkwo & Lindqvist, 2017)",
        "Okonkwo, C., & Lindqvist, M. (2017). Measurement error in field surveys.",
    ),
    (
        "(Haverkamp et al., 2012)",
        "Haverkamp, J., Moreau, L., & Brandt, K. (2012). A review of cohort designs.",
    ),
    (
        "(Tanaka, 2009)",
        "Tanaka, H. (2009). Notes on sampling in clinical practice.",
    ),
];
const OTHERS_ID: [(&str, &str); 3] = [
    (
        "(Wirawan, 2018)",
        "Wirawan, B. (2018). Hukum pidana dalam praktik peradilan. Jakarta: Pustaka Hukum.",
    ),
    (
        "(Siregar & Hutapea, 2020)",
        "Siregar, T., & Hutapea, R. (2020). Pembuktian di persidangan. Medan: Sinar Ilmu.",
    ),
    (
        "(Nugroho et al., 2016)",
        "Nugroho, A., Lestari, D., & Purba, S. (2016). Kajian putusan hakim. Bandung: Alfabeta.",
    ),
];

impl Material {
    fn new(lang: &'static str, docs: Vec<SourceDoc>, filler: Vec<String>) -> Material {
        let vocab = vocab(&filler);
        let others = if lang == "en" { OTHERS_EN } else { OTHERS_ID };
        Material {
            lang,
            docs: docs.into_iter().filter(|d| d.lang == lang).collect(),
            next_doc: 0,
            filler,
            next_filler: 0,
            vocab,
            others,
        }
    }

    /// The next `n` filler sentences, as one piece of text.
    fn sentences(&mut self, n: usize) -> String {
        let out: Vec<&str> = (0..n)
            .map(|k| self.filler[(self.next_filler + k) % self.filler.len()].as_str())
            .collect();
        self.next_filler += n;
        out.join(" ")
    }
}

/// What planted stretch number `g` (over all manuscripts) is: the levels and citations cycle so
/// that every combination comes round; every fifth is quoted verbatim. In a heavy manuscript
/// every stretch is heavily reworded.
fn spec(g: usize, heavy: bool) -> (Level, bool, Cite) {
    let cite = [Cite::Source, Cite::Other, Cite::None][(g / 2) % 3];
    if heavy {
        (Level::Heavy, false, cite)
    } else if g % 5 == 4 {
        (Level::Verbatim, true, cite)
    } else {
        ([Level::Verbatim, Level::Light][g % 2], false, cite)
    }
}

/// Stretch `k` of source `doc` of `mat`, reworded and cited as `spec` says.
fn plant(
    mat: &Material,
    doc: usize,
    k: usize,
    spec: (Level, bool, Cite),
    rng: &mut Rng,
) -> Planted {
    let (level, quoted, cite) = spec;
    let d = &mat.docs[doc];
    let (text, kept) = obfuscate_kept(&d.stretches[k], level, &mat.vocab, rng);
    let kept_words = text
        .split_whitespace()
        .zip(&kept)
        .filter(|(_, k)| **k)
        .map(|(w, _)| count_words(w))
        .sum();
    Planted {
        doc: d.id.clone(),
        level,
        quoted,
        cite,
        words: count_words(&text),
        kept: kept_words,
        text,
        lead: String::new(),
    }
}

/// The paragraph a stretch stands in: a filler sentence, the stretch (in quotation marks if
/// quoted) with its citation after it, another filler sentence; and the reference list's entry
/// for what it cites.
fn paragraph(
    mat: &mut Material,
    doc: usize,
    p: &mut Planted,
    rng: &mut Rng,
) -> (String, Option<String>) {
    let (cite, entry) = match p.cite {
        Cite::Source => (
            mat.docs[doc].cite.clone(),
            Some(mat.docs[doc].entry.clone()),
        ),
        Cite::Other => {
            let (c, e) = mat.others[rng.below(mat.others.len())];
            (c.to_string(), Some(e.to_string()))
        }
        Cite::None => (String::new(), None),
    };
    let body = if p.quoted {
        format!("“{}”", p.text)
    } else {
        p.text.clone()
    };
    let body = if cite.is_empty() {
        body
    } else {
        format!("{} {cite}.", body.trim_end_matches(['.', ';', ',', ':']))
    };
    let (lead, tail) = (mat.sentences(1), mat.sentences(1));
    p.lead.clone_from(&lead);
    (format!("{lead} {body} {tail}"), entry)
}

/// Manuscript `n` of `mat`'s language: three sources planted three, two and one times (the
/// first is the top source), among two to six filler paragraphs, then a reference list. `g`
/// counts the stretches planted so far.
fn manuscript(
    mat: &mut Material,
    n: usize,
    heavy: bool,
    g: &mut usize,
    rng: &mut Rng,
) -> Manuscript {
    let first = mat.next_doc;
    mat.next_doc += 3;
    assert!(
        mat.next_doc <= mat.docs.len(),
        "too few {} sources",
        mat.lang
    );
    let (mut planted, mut paragraphs, mut entries) = (Vec::new(), Vec::new(), Vec::new());
    for rank in 0..3 {
        for k in 0..3 - rank {
            let mut p = plant(mat, first + rank, k, spec(*g, heavy), rng);
            *g += 1;
            let (para, entry) = paragraph(mat, first + rank, &mut p, rng);
            paragraphs.push(para);
            entries.extend(entry);
            planted.push(p);
        }
    }
    for _ in 0..2 + rng.below(5) {
        let k = 2 + rng.below(3);
        paragraphs.push(mat.sentences(k));
    }
    for i in (1..paragraphs.len()).rev() {
        paragraphs.swap(i, rng.below(i + 1));
    }
    let (title, refs) = if mat.lang == "en" {
        (
            format!("Manuscript {n}: a review of the evidence"),
            "References",
        )
    } else {
        (
            format!("Naskah {n}: tinjauan atas putusan"),
            "DAFTAR PUSTAKA",
        )
    };
    let body = std::iter::once(title)
        .chain(paragraphs)
        .collect::<Vec<_>>()
        .join("\n\n");
    entries.sort();
    entries.dedup();
    let text = format!("{body}\n\n{refs}\n\n{}", entries.join("\n\n"));
    Manuscript {
        lang: mat.lang.to_string(),
        heavy,
        words: count_words(&body),
        text,
        planted,
    }
}

/// The slice indexed under `dir`, and the held-out PLOS records.
fn index_slice(dir: &Path) -> Vec<String> {
    let [court, plos] = common::corpus_large();
    let corpus = dir.join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    let (court_in, _) = records(&court, COURT_INDEXED);
    let (plos_in, plos_out) = records(&plos, PLOS_INDEXED);
    for (name, recs) in [("court.jsonl", court_in), ("plos.jsonl", plos_in)] {
        let mut f = fs::File::create(corpus.join(name)).unwrap();
        for r in recs {
            writeln!(f, "{r}").unwrap();
        }
    }
    index::build(&dir.join("index"), &[corpus], &mut |_| {}).unwrap();
    plos_out
}

/// The index of the slice and the manuscripts, the same on every run.
fn setup() -> (Engine, Vec<Manuscript>) {
    let dir = common::scratch("report_planted");
    let held_out = index_slice(&dir);
    let engine = Engine::open(&dir.join("index")).unwrap();
    let (docs, map) = source_docs(&dir.join("corpus"));
    let [en, id] = fillers(&held_out, &map);
    let (en_docs, id_docs): (Vec<_>, Vec<_>) = docs.into_iter().partition(|d| d.lang == "en");
    println!(
        "sources with 3+ unique stretches: {} en, {} id; filler sentences: {} en, {} id",
        en_docs.len(),
        id_docs.len(),
        en.len(),
        id.len()
    );
    let mut rng = Rng(0x5eed_0017_2026_1204);
    let mut g = 0;
    let mut out = Vec::new();
    for mut mat in [
        Material::new("en", en_docs, en),
        Material::new("id", id_docs, id),
    ] {
        for n in 0..MANUSCRIPTS + HEAVY_MANUSCRIPTS {
            out.push(manuscript(
                &mut mat,
                n + 1,
                n >= MANUSCRIPTS,
                &mut g,
                &mut rng,
            ));
        }
    }
    (engine, out)
}

fn check(engine: &Engine, text: &str, include_quotes: bool) -> Report {
    let opts = ReportOptions {
        include_quotes,
        ..ReportOptions::default()
    };
    engine
        .check_cancellable(text, 0.5, &opts, &Cancel::never())
        .unwrap()
        .report
}

/// Planted words by source, as the report should count them: a stretch's words, a quoted
/// one's only when quotations are counted.
fn planted_by_doc(m: &Manuscript, quotes: bool) -> BTreeMap<&str, usize> {
    let mut by = BTreeMap::new();
    for p in m.planted.iter().filter(|p| quotes || !p.quoted) {
        *by.entry(p.doc.as_str()).or_default() += p.words;
    }
    by
}

/// Whether the report's stretches in planted stretch `p`'s paragraph that face `p`'s source
/// give the attribution planted (and are marked quoted when `p` is); `None` when it has none.
fn attribution_right(r: &Report, p: &Planted) -> Option<bool> {
    let para = r
        .paragraphs
        .iter()
        .position(|q| common::words_only(&q.text).starts_with(&common::words_only(&p.lead)))?;
    let facing: Vec<_> = r
        .stretches
        .iter()
        .filter(|s| s.paragraph == para && s.passage.doc == p.doc)
        .collect();
    if facing.is_empty() {
        return None;
    }
    Some(
        facing
            .iter()
            .all(|s| s.attribution == p.cite.expected() && s.quoted == p.quoted),
    )
}

/// One manuscript's figures: [quotations left out, counted].
struct Row {
    name: String,
    words: usize,
    report_words: usize,
    planted: [f32; 2],
    index: [f32; 2],
    top_planted: String,
    top_reported: String,
    /// Words of sources planted nowhere in the manuscript (quotations left out).
    stray_words: usize,
    /// Quoted stretches left out, with quotations left out.
    quoted_left_out: usize,
    /// Per planted stretch: its level, whether quoted, and whether the report attributes it
    /// right (`None`: not found).
    attribution: Vec<(Level, bool, Option<bool>)>,
}

fn measure(engine: &Engine, m: &Manuscript, name: String) -> Row {
    let reports = [check(engine, &m.text, false), check(engine, &m.text, true)];
    let planted =
        [false, true].map(|q| planted_by_doc(m, q).values().sum::<usize>() as f32 / m.words as f32);
    let by = planted_by_doc(m, false);
    let top_planted = by
        .iter()
        .max_by_key(|(d, n)| (**n, std::cmp::Reverse(**d)))
        .map(|(d, _)| d.to_string())
        .unwrap_or_default();
    let r = &reports[0];
    Row {
        name,
        words: m.words,
        report_words: r.words,
        planted,
        index: [r.similarity_index, reports[1].similarity_index],
        top_planted,
        top_reported: r.sources.first().map(|s| s.doc.clone()).unwrap_or_default(),
        stray_words: r
            .sources
            .iter()
            .filter(|s| !m.planted.iter().any(|p| p.doc == s.doc))
            .map(|s| s.words)
            .sum(),
        quoted_left_out: r.left_out.quoted_stretches,
        attribution: m
            .planted
            .iter()
            .map(|p| (p.level, p.quoted, attribution_right(&reports[1], p)))
            .collect(),
    }
}

fn print_table(rows: &[Row]) {
    println!("manuscript      words  planted  index   (quotes counted: planted  index)  top source right  stray words  attribution right/found/planted");
    for r in rows {
        let found = r.attribution.iter().filter(|a| a.2.is_some()).count();
        let right = r.attribution.iter().filter(|a| a.2 == Some(true)).count();
        println!(
            "{:<14} {:>6}  {:>6.1}%  {:>5.1}%                    {:>6.1}%  {:>5.1}%   {:<5} {:<38}  {:>4}         {right}/{found}/{}",
            r.name,
            r.words,
            r.planted[0] * 100.0,
            r.index[0] * 100.0,
            r.planted[1] * 100.0,
            r.index[1] * 100.0,
            r.top_planted == r.top_reported,
            r.top_reported,
            r.stray_words,
            r.attribution.len()
        );
    }
}

/// Attribution over the stretches of `rows` at `levels`: right, found, planted.
fn attribution_over(rows: &[Row], levels: &[Level]) -> (usize, usize, usize) {
    let all: Vec<_> = rows
        .iter()
        .flat_map(|r| &r.attribution)
        .filter(|a| levels.contains(&a.0))
        .collect();
    (
        all.iter().filter(|a| a.2 == Some(true)).count(),
        all.iter().filter(|a| a.2.is_some()).count(),
        all.len(),
    )
}

#[test]
#[ignore = "needs ../shared/corpus-large (run by .ci/run)"]
fn the_report_measures_planted_manuscripts() {
    let started = std::time::Instant::now();
    let (engine, manuscripts) = setup();
    println!(
        "index and manuscripts in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let rows: Vec<Row> = manuscripts
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let kind = if m.heavy { "heavy" } else { "mixed" };
            measure(
                &engine,
                m,
                format!(
                    "{}-{kind}-{}",
                    m.lang,
                    i % (MANUSCRIPTS + HEAVY_MANUSCRIPTS) + 1
                ),
            )
        })
        .collect();
    print_table(&rows);
    let (right, found, planted) = attribution_over(&rows, &[Level::Verbatim, Level::Light]);
    println!("attribution, verbatim and light (quoted among them): right {right}, found {found}, planted {planted}");
    let (h_right, h_found, h_planted) = attribution_over(&rows, &[Level::Heavy]);
    let heavy = manuscripts
        .iter()
        .flat_map(|m| &m.planted)
        .filter(|p| p.level == Level::Heavy);
    let (kept, words) = heavy.fold((0, 0), |(k, w), p| (k + p.kept, w + p.words));
    println!(
        "heavy: found {h_found} of {h_planted} stretches, attribution right on {h_right}; \
         the rewording kept {kept} of their {words} words"
    );
    println!("in {:.1} s", started.elapsed().as_secs_f64());
    let mut failures = Vec::new();
    for r in &rows {
        if r.words != r.report_words {
            failures.push(format!(
                "{}: {} words, the report counts {}",
                r.name, r.words, r.report_words
            ));
        }
        if r.top_planted != r.top_reported {
            failures.push(format!(
                "{}: top source {} planted, {} reported",
                r.name, r.top_planted, r.top_reported
            ));
        }
        if r.quoted_left_out
            < r.attribution
                .iter()
                .filter(|a| a.1 && a.2.is_some())
                .count()
        {
            failures.push(format!("{}: quoted stretches not all left out", r.name));
        }
        for q in 0..2 {
            let off = r.index[q] - r.planted[q];
            if off.abs() > 0.02 {
                failures.push(format!(
                    "{} (quotes counted: {}): index {:.3}, planted {:.3}",
                    r.name,
                    q == 1,
                    r.index[q],
                    r.planted[q]
                ));
            }
        }
    }
    if (right as f64) < 0.95 * planted as f64 {
        failures.push(format!(
            "attribution right on {right} of {planted} stretches"
        ));
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
