//! Reuse detection (`dupes`): what its parts cost, and what it finds against an exact all-pairs
//! comparison.
//!
//!   cargo bench --bench reuse
//!   PUSTAKA_BENCH_INDEX=DIR cargo bench --bench reuse     (DIR: an index of all of corpus-large)
//!
//! (a) criterion, on the eligible passages (fingerprinted: body, abstract, caption, table; eight
//!     content words or more) of the seed corpus `corpus/`: `fingerprint::words` per passage, and
//!     `align` on neighbouring passages (mostly unrelated: the common case of a candidate that
//!     is not reuse), on each passage with itself (a verbatim copy), and on the seed corpus's own
//!     reused pairs (max(similarity, containment) ≥ 0.5, found by aligning all its pairs).
//! (b) printed plainly, not criterion: recall against exact all-pairs. A deterministic sample of
//!     `PUSTAKA_REUSE_SAMPLE` (3000) eligible passages of ../shared/corpus-large (every k-th in
//!     file and document order) is aligned pair by pair — all n(n-1)/2 pairs, on as many threads
//!     as `dupes` uses — and the exact set is the pairs with max(similarity, containment) ≥ 0.5,
//!     what `dupes --min-similarity 0.5` reports. Then:
//!     - sample index: each sampled passage written as one JSON Lines record (id = passage id
//!       with `#` → `_`, its title, language and text), indexed, and `Engine::dupes` run on it;
//!       pairs map back through the record id (`passage.doc`) of each side, so a record that
//!       re-reads as two passages still counts once. Recall = |dupes ∩ exact| / |exact|,
//!       precision = |dupes ∩ exact| / |dupes|, and the speed ratio all-pairs / dupes.
//!       In 3000 passages few fingerprints reach the boilerplate cut (in more than 40 passages),
//!       so this is recall of the candidate rule more than of the cut.
//!     - whole corpus (only with `PUSTAKA_BENCH_INDEX`, an index of all of corpus-large): the
//!       real `dupes` run over every passage, restricted to pairs whose both sides are sampled;
//!       this includes the boilerplate cut at its real scale. Passage ids are the same as the
//!       ones read here (same records, same ingest).
//!     Missed pairs are sorted by what they share (no fingerprint, only boilerplate ones, one,
//!     more; reaching 0.5 in both alignment orders or in one only: `align` is not symmetric and
//!     `dupes` aligns each candidate once, in index order) and a few are printed.
//!     Ends with one JSON line holding `"bench":"reuse_recall"` (scripts/bench_reuse.sh reads it).
//!
//! (b) runs only under `cargo bench` (criterion's `--bench` flag), not under `cargo test
//! --benches`, and is skipped with a message when the corpus is absent. Environment:
//! `PUSTAKA_CORPUS_LARGE` (default ../shared/corpus-large), `PUSTAKA_REUSE_SAMPLE` (3000; at
//! 3000, about 4.5 M alignments), `PUSTAKA_REUSE_MICRO=0` to skip (a), `PUSTAKA_REUSE_RECALL=0`
//! to skip (b), `PUSTAKA_BENCH_KEEP=1` to keep the sample index. Needs `[[bench]] name = "reuse"`
//! with `harness = false` in Cargo.toml.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use pustaka::ingest::{passages_of, read};
use pustaka::search::reuse::{align, Alignment, DupesRequest, MAX_SHARED};
use pustaka::text::fingerprint::{self, Word};
use pustaka::{Engine, Passage};
use rustc_hash::FxHashMap;

/// The allocator of the `pustaka` command (src/main.rs): this measures what the command runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const MIN_SIMILARITY: f32 = 0.5;
const DEFAULT_SAMPLE: usize = 3000;
const LARGE_FILES: [&str; 2] = ["id_court_decisions.jsonl", "en_plos_fulltext.jsonl"];

fn main() {
    let under_bench = std::env::args().any(|a| a == "--bench");
    if env_flag("PUSTAKA_REUSE_MICRO") {
        let mut c = Criterion::default()
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3))
            .configure_from_args();
        micro(&mut c);
        c.final_summary();
    }
    if !env_flag("PUSTAKA_REUSE_RECALL") {
        return;
    }
    if !under_bench {
        println!("reuse recall: skipped (runs under `cargo bench --bench reuse` only)");
        return;
    }
    recall();
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).map_or(true, |v| v != "0")
}

fn threads() -> usize {
    // As `dupes` does.
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8)
}

/// The passages of every document under `paths` (in file and document order) that carry
/// fingerprints; documents read on `threads` threads.
fn eligible_passages(paths: &[PathBuf], threads: usize) -> Vec<Passage> {
    let (files, skipped) = read::discover(paths);
    for s in &skipped {
        eprintln!("  note: skipped {s}");
    }
    let mut docs = Vec::new();
    for f in &files {
        match read::read_file(f) {
            Ok((d, _bad)) => docs.extend(d),
            Err(s) => eprintln!("  note: skipped {s}"),
        }
    }
    let per_doc = par_map(&docs, threads, |d| {
        let mut ps = passages_of(d);
        ps.retain(|p| !p.fingerprints.is_empty());
        for p in &mut ps {
            // Only the fields this bench reads are kept.
            p.line_map = Vec::new();
            p.marks = Vec::new();
            p.citations = Default::default();
            p.reference = None;
        }
        ps
    });
    per_doc.into_iter().flatten().collect()
}

/// `f` over `items` on `threads` threads (item i on thread i % threads, which balances a list
/// ordered by size), results in the order of `items`.
fn par_map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads.max(1);
    let mut parts: Vec<Vec<(usize, R)>> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..threads)
            .map(|t| {
                let f = &f;
                s.spawn(move || {
                    (t..items.len())
                        .step_by(threads)
                        .map(|i| (i, f(&items[i])))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        hs.into_iter()
            .map(|h| h.join().expect("worker panicked"))
            .collect()
    });
    let mut out: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    for part in parts.iter_mut() {
        for (i, r) in part.drain(..) {
            out[i] = Some(r);
        }
    }
    out.into_iter()
        .map(|r| r.expect("every item mapped"))
        .collect()
}

/// Every pair `(i, j)`, `i < j`, whose `align(words[i], words[j])` (or, `reverse`, whose
/// `align(words[j], words[i])`) reaches `min` in similarity or containment; rows interleaved
/// over `threads` threads.
fn all_pairs(words: &[Vec<Word>], threads: usize, min: f32, reverse: bool) -> Vec<(u32, u32)> {
    let rows: Vec<usize> = (0..words.len()).collect();
    let found = par_map(&rows, threads, |&i| {
        let mut out = Vec::new();
        for j in i + 1..words.len() {
            let al = if reverse {
                align(&words[j], &words[i])
            } else {
                align(&words[i], &words[j])
            };
            if reaches(&al, min) {
                out.push((i as u32, j as u32));
            }
        }
        out
    });
    found.into_iter().flatten().collect()
}

/// What `dupes` reports.
fn reaches(al: &Alignment, min: f32) -> bool {
    al.similarity.max(al.containment) >= min && !al.spans_a.is_empty()
}

// ---------------------------------------------------------------------------------------------
// (a) criterion: words and align on the seed corpus

fn micro(c: &mut Criterion) {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    if !seed.is_dir() {
        println!(
            "reuse micro-benchmarks: skipped, no seed corpus at {}",
            seed.display()
        );
        return;
    }
    let passages = eligible_passages(&[seed], threads());
    if passages.len() < 2 {
        println!("reuse micro-benchmarks: skipped, fewer than 2 eligible passages in corpus/");
        return;
    }
    let words: Vec<Vec<Word>> = passages
        .iter()
        .map(|p| fingerprint::words(&p.text))
        .collect();
    let reused: Vec<(usize, usize)> = all_pairs(&words, threads(), MIN_SIMILARITY, false)
        .into_iter()
        .map(|(i, j)| (i as usize, j as usize))
        .collect();
    let n = passages.len();
    let mean_words = words.iter().map(Vec::len).sum::<usize>() as f64 / n as f64;
    println!(
        "seed corpus: {n} eligible passages, {mean_words:.1} content words on average, {} reused pairs (of {})",
        reused.len(),
        n * (n - 1) / 2
    );

    let mut g = c.benchmark_group("reuse_words");
    g.sample_size(30);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("per_passage", |b| {
        b.iter(|| {
            passages
                .iter()
                .map(|p| fingerprint::words(black_box(&p.text)).len())
                .sum::<usize>()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("reuse_align");
    g.sample_size(30);
    g.throughput(Throughput::Elements((n - 1) as u64));
    g.bench_function("neighbours", |b| {
        b.iter(|| {
            words
                .windows(2)
                .map(|w| align(black_box(&w[0]), black_box(&w[1])).words_a)
                .sum::<usize>()
        })
    });
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("self", |b| {
        b.iter(|| {
            words
                .iter()
                .map(|w| align(black_box(w), black_box(w)).words_a)
                .sum::<usize>()
        })
    });
    if !reused.is_empty() {
        g.throughput(Throughput::Elements(reused.len() as u64));
        g.bench_function("reused_pairs", |b| {
            b.iter(|| {
                reused
                    .iter()
                    .map(|&(i, j)| align(black_box(&words[i]), black_box(&words[j])).words_a)
                    .sum::<usize>()
            })
        });
    }
    g.finish();
}

// ---------------------------------------------------------------------------------------------
// (b) recall against exact all-pairs

/// A sampled passage.
struct Sampled {
    id: String,
    title: String,
    lang: String,
    text: String,
    fps: Vec<u64>,
    words: Vec<Word>,
}

/// A pair of the exact set: its alignment in both orders.
struct Exact {
    fwd: Alignment,
    rev: Alignment,
}

impl Exact {
    /// (similarity, containment) of the better order.
    fn best(&self) -> (f32, f32) {
        let score = |a: &Alignment| a.similarity.max(a.containment);
        let al = if score(&self.fwd) >= score(&self.rev) {
            &self.fwd
        } else {
            &self.rev
        };
        (al.similarity, al.containment)
    }
    /// Reaches the threshold in one order only.
    fn one_order(&self) -> bool {
        reaches(&self.fwd, MIN_SIMILARITY) != reaches(&self.rev, MIN_SIMILARITY)
    }
}

/// Classes of exact pairs recall is also reported for.
#[derive(Clone, Copy)]
enum Class {
    /// similarity ≥ 0.5: most of both passages match.
    Near,
    /// containment ≥ 0.5 only: most of one passage is inside the other.
    Contained,
    /// The two share at least one fingerprint in at most 40 passages of the whole corpus.
    NotBoilerplate,
    /// The shorter of the two has at least [`LONG_WORDS`] content words: on shorter ones,
    /// matching stretches chained across gaps can cover most of a passage on their own.
    Long,
}

const LONG_WORDS: usize = 20;

/// How a `dupes` run did against the exact set.
struct Score {
    found: usize,
    hit: usize,
    missed: Vec<(u32, u32)>,
    extra: Vec<(u32, u32)>,
}

impl Score {
    fn of(found: &HashSet<(u32, u32)>, exact: &BTreeMap<(u32, u32), Exact>) -> Score {
        let hit = exact.keys().filter(|k| found.contains(k)).count();
        let missed: Vec<(u32, u32)> = exact
            .keys()
            .filter(|k| !found.contains(k))
            .copied()
            .collect();
        let mut extra: Vec<(u32, u32)> = found
            .iter()
            .filter(|k| !exact.contains_key(k))
            .copied()
            .collect();
        extra.sort_unstable();
        Score {
            found: found.len(),
            hit,
            missed,
            extra,
        }
    }
    fn recall(&self, exact: usize) -> f64 {
        ratio(self.hit, exact)
    }
    fn precision(&self) -> f64 {
        ratio(self.hit, self.found)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

fn recall() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = std::env::var_os("PUSTAKA_CORPUS_LARGE")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/corpus-large"));
    let files: Vec<PathBuf> = LARGE_FILES.iter().map(|f| corpus.join(f)).collect();
    if let Some(missing) = files.iter().find(|f| !f.is_file()) {
        println!(
            "reuse recall: skipped, {} is missing (set PUSTAKA_CORPUS_LARGE to a directory holding {})",
            missing.display(),
            LARGE_FILES.join(" and ")
        );
        return;
    }
    let want: usize = std::env::var("PUSTAKA_REUSE_SAMPLE")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&n| n >= 2)
        .unwrap_or(DEFAULT_SAMPLE);
    let threads = threads();
    println!("\n== reuse recall against exact all-pairs ({threads} threads, min similarity {MIN_SIMILARITY})");

    // Every eligible passage of the large corpus, as the index holds them.
    let t = Instant::now();
    let all = eligible_passages(&files, threads);
    println!(
        "read {}: {} eligible passages in {:.1} s",
        corpus.display(),
        all.len(),
        secs(t)
    );
    if all.len() < 2 {
        println!("reuse recall: skipped, fewer than 2 eligible passages");
        return;
    }
    // Fingerprint frequencies over the whole corpus, as `dupes` counts them.
    let mut df_all: FxHashMap<u64, u32> = FxHashMap::default();
    for p in &all {
        for h in &p.fingerprints {
            *df_all.entry(*h).or_default() += 1;
        }
    }
    let total_eligible = all.len();

    // Every k-th passage.
    let k = (all.len() / want).max(1);
    let mut sample: Vec<Sampled> = all
        .into_iter()
        .step_by(k)
        .take(want)
        .map(|p| Sampled {
            id: p.id,
            title: p.title,
            lang: p.lang,
            text: p.text,
            fps: p.fingerprints,
            words: Vec::new(),
        })
        .collect();
    let n = sample.len();
    let from_court = sample
        .iter()
        .filter(|s| s.id.starts_with("idcourt"))
        .count();
    let n_pairs = n * (n - 1) / 2;
    println!(
        "sample: every {k}th eligible passage, {n} passages ({from_court} from court decisions, {} from PLOS), {n_pairs} pairs",
        n - from_court
    );

    // Exact: all pairs, in the order dupes would meet them (sample order), then reversed.
    let t = Instant::now();
    let words = par_map(&sample, threads, |s| fingerprint::words(&s.text));
    let words_s = secs(t);
    let t = Instant::now();
    let fwd = all_pairs(&words, threads, MIN_SIMILARITY, false);
    let align_s = secs(t);
    let t = Instant::now();
    let rev = all_pairs(&words, threads, MIN_SIMILARITY, true);
    let rev_s = secs(t);
    for (s, w) in sample.iter_mut().zip(words) {
        s.words = w;
    }
    let allpairs_s = words_s + align_s;
    let exact: BTreeMap<(u32, u32), Exact> = fwd
        .iter()
        .chain(&rev)
        .map(|&(i, j)| {
            let (a, b) = (&sample[i as usize].words, &sample[j as usize].words);
            (
                (i, j),
                Exact {
                    fwd: align(a, b),
                    rev: align(b, a),
                },
            )
        })
        .collect();
    let one_order = exact.values().filter(|e| e.one_order()).count();
    let class_of = |&(x, y): &(u32, u32), c: Class| -> bool {
        let (s, _) = exact[&(x, y)].best();
        match c {
            Class::Near => s >= MIN_SIMILARITY,
            Class::Contained => s < MIN_SIMILARITY,
            Class::NotBoilerplate => {
                let (a, b) = (&sample[x as usize], &sample[y as usize]);
                a.fps.iter().any(|h| {
                    b.fps.contains(h) && df_all.get(h).map_or(0, |&d| d as usize) <= MAX_SHARED
                })
            }
            Class::Long => {
                let (a, b) = (&sample[x as usize], &sample[y as usize]);
                a.words.len().min(b.words.len()) >= LONG_WORDS
            }
        }
    };
    let count_class = |c: Class| exact.keys().filter(|k| class_of(k, c)).count();
    let (n_near, n_contained, n_not_bp) = (
        count_class(Class::Near),
        count_class(Class::Contained),
        count_class(Class::NotBoilerplate),
    );
    println!(
        "exact all-pairs: {} pairs reach {MIN_SIMILARITY} ({n_near} by similarity, {n_contained} by containment only; {n_not_bp} share a fingerprint in at most {MAX_SHARED} passages of the whole corpus; {one_order} reach it in one alignment order only)",
        exact.len()
    );
    println!(
        "  words {words_s:.2} s + align {align_s:.1} s ({:.2} µs a pair); the reverse order, for the exact set only, {rev_s:.1} s",
        align_s * 1e6 / n_pairs.max(1) as f64
    );

    // Sample index: one record per sampled passage.
    let tmp = std::env::temp_dir().join(format!("pustaka-bench-reuse-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).expect("temp dir");
    let jsonl = tmp.join("sample.jsonl");
    let mut lines = String::new();
    let mut of_record: HashMap<String, u32> = HashMap::new();
    for (i, s) in sample.iter().enumerate() {
        let rid = s.id.replace('#', "_");
        of_record.insert(rid.clone(), i as u32);
        lines.push_str(
            &serde_json::json!({"id": rid, "title": s.title, "lang": s.lang, "text": s.text})
                .to_string(),
        );
        lines.push('\n');
    }
    std::fs::write(&jsonl, lines).expect("write sample.jsonl");
    let fidelity = refidelity(&jsonl, &sample, &of_record);
    let dir = tmp.join("index");
    let t = Instant::now();
    if let Err(e) = pustaka::index::build(&dir, std::slice::from_ref(&jsonl), &mut |_| {}) {
        eprintln!("error: building the sample index: {e}");
        std::process::exit(1);
    }
    let build_s = secs(t);
    let engine = Engine::open(&dir).expect("open the sample index");
    let req = DupesRequest {
        min_similarity: MIN_SIMILARITY,
        cross_doc: false,
        limit: None,
        claims: false,
        min_claim: pustaka::search::claims::MIN_SCORE,
        // The planted reuse may sit in formulaic passages: measure every pair, as before.
        formulaic: true,
        translated: false,
        kind: None,
        count_all: true,
    };
    let t = Instant::now();
    let resp = engine.dupes(&req).expect("dupes on the sample index");
    let dupes_s = secs(t);
    let mut found_sample: HashSet<(u32, u32)> = HashSet::new();
    let mut same_record = 0;
    for p in &resp.pairs {
        let (Some(&x), Some(&y)) = (of_record.get(&p.a.at.doc), of_record.get(&p.b.at.doc)) else {
            continue;
        };
        if x == y {
            same_record += 1;
            continue;
        }
        found_sample.insert((x.min(y), x.max(y)));
    }
    let sample_score = Score::of(&found_sample, &exact);
    let sample_dupes = (
        resp.passages,
        resp.candidates,
        resp.pairs.len(),
        resp.took_ms,
    );
    drop((engine, resp));
    if std::env::var("PUSTAKA_BENCH_KEEP").as_deref() == Ok("1") {
        println!("kept {}", tmp.display());
    } else {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    println!(
        "sample index: built in {build_s:.1} s; dupes {dupes_s:.3} s: {} passages with fingerprints, {} candidates, {} pairs ({same_record} within one record, ignored)",
        sample_dupes.0, sample_dupes.1, sample_dupes.2
    );
    println!("  sampled passages re-read as records: {fidelity}");

    // Whole-corpus dupes restricted to the sample.
    struct Whole {
        score: Score,
        s: f64,
        passages: usize,
        candidates: usize,
        pairs: usize,
    }
    let mut whole: Option<Whole> = None;
    match std::env::var_os("PUSTAKA_BENCH_INDEX").map(PathBuf::from) {
        Some(dir) if pustaka::index::store::current_generation(&dir).is_some() => {
            let engine = Engine::open(&dir).expect("open PUSTAKA_BENCH_INDEX");
            let t = Instant::now();
            let resp = engine.dupes(&req).expect("dupes on the whole corpus");
            let s = secs(t);
            let of_id: HashMap<&str, u32> = sample
                .iter()
                .enumerate()
                .map(|(i, p)| (p.id.as_str(), i as u32))
                .collect();
            let mut found = HashSet::new();
            for p in &resp.pairs {
                if let (Some(&x), Some(&y)) = (
                    of_id.get(p.a.at.passage_id.as_str()),
                    of_id.get(p.b.at.passage_id.as_str()),
                ) {
                    found.insert((x.min(y), x.max(y)));
                }
            }
            println!(
                "whole corpus ({}): dupes {s:.1} s: {} passages with fingerprints, {} candidates, {} pairs, {} of them between two sampled passages",
                dir.display(),
                resp.passages,
                resp.candidates,
                resp.pairs.len(),
                found.len()
            );
            if resp.passages != total_eligible {
                println!(
                    "  note: that index holds {} passages with fingerprints, {total_eligible} read here: is it all of corpus-large, built from this checkout?",
                    resp.passages
                );
            }
            whole = Some(Whole {
                score: Score::of(&found, &exact),
                s,
                passages: resp.passages,
                candidates: resp.candidates,
                pairs: resp.pairs.len(),
            });
        }
        Some(dir) => println!(
            "note: PUSTAKA_BENCH_INDEX={} holds no index: whole-corpus recall skipped",
            dir.display()
        ),
        None => println!(
            "note: set PUSTAKA_BENCH_INDEX to an index of all of corpus-large for the whole-corpus recall"
        ),
    }

    // Table.
    let speed = allpairs_s / dupes_s.max(1e-9);
    println!();
    let head = format!(
        "{:<36} {:>7} {:>7} {:>7} {:>7} {:>7} {:>9} {:>9}",
        "", "exact", "found", "both", "missed", "recall", "precision", "time (s)"
    );
    println!("{head}");
    println!("{}", "-".repeat(head.chars().count()));
    println!(
        "{:<36} {:>7} {:>7} {:>7} {:>7} {:>7} {:>9} {:>9.2}",
        format!("exact all-pairs, {n} passages"),
        exact.len(),
        exact.len(),
        exact.len(),
        0,
        "1.000",
        "1.000",
        allpairs_s
    );
    let row = |label: &str, sc: &Score, time: f64| {
        println!(
            "{:<36} {:>7} {:>7} {:>7} {:>7} {:>7.3} {:>9.3} {:>9.2}",
            label,
            exact.len(),
            sc.found,
            sc.hit,
            sc.missed.len(),
            sc.recall(exact.len()),
            sc.precision(),
            time
        )
    };
    row("dupes, sample index", &sample_score, dupes_s);
    if let Some(w) = &whole {
        row(
            &format!("dupes, whole corpus ({} p.)", w.passages),
            &w.score,
            w.s,
        );
    }
    // Recall by class of pair.
    let class_recall = |sc: &Score, c: Class| -> (usize, usize) {
        let all = exact.keys().filter(|k| class_of(k, c)).count();
        let missed = sc.missed.iter().filter(|k| class_of(k, c)).count();
        (all - missed, all)
    };
    let classes = [
        (Class::Near, "similarity ≥ 0.5 (near copies)"),
        (Class::Contained, "containment ≥ 0.5 only"),
        (
            Class::NotBoilerplate,
            "share a fingerprint in ≤ 40 passages",
        ),
        (Class::Long, "both ≥ 20 content words"),
    ];
    println!();
    let head2 = format!(
        "{:<38} {:>22} {:>22}",
        "recall by kind of exact pair", "sample index", "whole corpus"
    );
    println!("{head2}");
    println!("{}", "-".repeat(head2.chars().count()));
    let mut class_json = serde_json::Map::new();
    for (c, label) in classes {
        let (hs, ns) = class_recall(&sample_score, c);
        let w = whole.as_ref().map(|w| class_recall(&w.score, c));
        let cell = |(h, n): (usize, usize)| format!("{h}/{n} = {:.3}", ratio(h, n));
        println!(
            "{:<38} {:>22} {:>22}",
            label,
            cell((hs, ns)),
            w.map_or("—".to_string(), cell)
        );
        class_json.insert(
            label.to_string(),
            serde_json::json!({"exact": ns, "sample_index": hs, "whole_corpus": w.map(|x| x.0)}),
        );
    }
    println!();
    println!("speed: all-pairs / dupes on the same {n} passages = {speed:.1}x ({allpairs_s:.2} s / {dupes_s:.3} s)");
    let est_full_s = align_s * (total_eligible as f64 / n as f64).powi(2);
    match &whole {
        Some(w) => println!(
            "       all-pairs over all {total_eligible} eligible passages would take ≈ {:.1} h (n² from the sample) against {:.1} s of dupes: ≈ {:.0}x",
            est_full_s / 3600.0,
            w.s,
            est_full_s / w.s
        ),
        None => println!(
            "       all-pairs over all {total_eligible} eligible passages would take ≈ {:.1} h (n² from the sample)",
            est_full_s / 3600.0
        ),
    }

    // Why pairs were missed.
    let mut df_sample: FxHashMap<u64, u32> = FxHashMap::default();
    for s in &sample {
        for h in &s.fps {
            *df_sample.entry(*h).or_default() += 1;
        }
    }
    let mut reasons_json = serde_json::Map::new();
    let mut explain = |label: &str, key: &str, sc: &Score, df: &FxHashMap<u64, u32>| {
        if sc.missed.is_empty() && sc.extra.is_empty() {
            return;
        }
        let mut why: BTreeMap<&'static str, Vec<(u32, u32)>> = BTreeMap::new();
        for &(x, y) in &sc.missed {
            let e = &exact[&(x, y)];
            why.entry(miss_reason(&sample[x as usize], &sample[y as usize], e, df))
                .or_default()
                .push((x, y));
        }
        println!(
            "\n{label}: {} missed, {} reported that are not in the exact set",
            sc.missed.len(),
            sc.extra.len()
        );
        for (reason, pairs) in &why {
            println!("  {:>6}  {reason}", pairs.len());
        }
        reasons_json.insert(
            key.into(),
            serde_json::json!(why
                .iter()
                .map(|(r, v)| (r.to_string(), v.len()))
                .collect::<BTreeMap<_, _>>()),
        );
        // Examples: the most similar missed pairs of each reason.
        for (reason, pairs) in &why {
            let mut pairs = pairs.clone();
            let score = |k: &(u32, u32)| {
                let (s, c) = exact[k].best();
                s.max(c)
            };
            pairs.sort_by(|a, b| score(b).total_cmp(&score(a)).then(a.cmp(b)));
            for &(x, y) in pairs.iter().take(2) {
                let (s, c) = exact[&(x, y)].best();
                let (a, b) = (&sample[x as usize], &sample[y as usize]);
                println!("    missed ({reason}): similarity {s:.2}, containment {c:.2}");
                for p in [a, b] {
                    println!(
                        "      {} ({} content words, {} fingerprints): {}",
                        p.id,
                        p.words.len(),
                        p.fps.len(),
                        clip(&p.text, 240)
                    );
                }
            }
        }
        for &(x, y) in sc.extra.iter().take(2) {
            let (a, b) = (&sample[x as usize], &sample[y as usize]);
            let (f, r) = (align(&a.words, &b.words), align(&b.words, &a.words));
            println!(
                "    reported, not exact: similarity {:.2} / {:.2}, containment {:.2} / {:.2} on the sampled texts (both orders)",
                f.similarity, r.similarity, f.containment, r.containment
            );
            println!("      {}: {}", a.id, clip(&a.text, 160));
            println!("      {}: {}", b.id, clip(&b.text, 160));
        }
    };
    explain(
        "dupes, sample index",
        "sample_index",
        &sample_score,
        &df_sample,
    );
    if let Some(w) = &whole {
        explain("dupes, whole corpus", "whole_corpus", &w.score, &df_all);
    }

    let score_json = |sc: &Score| {
        serde_json::json!({
            "found": sc.found,
            "both": sc.hit,
            "missed": sc.missed.len(),
            "recall": round3(sc.recall(exact.len())),
            "precision": round3(sc.precision()),
        })
    };
    let json = serde_json::json!({
        "bench": "reuse_recall",
        "threads": threads,
        "min_similarity": MIN_SIMILARITY,
        "eligible_passages": total_eligible,
        "sample": n,
        "every_kth": k,
        "sample_from_court": from_court,
        "pairs": n_pairs,
        "exact": exact.len(),
        "exact_one_order_only": one_order,
        "allpairs_s": round3(allpairs_s),
        "allpairs_words_s": round3(words_s),
        "allpairs_align_s": round3(align_s),
        "reverse_order_s": round3(rev_s),
        "align_us_per_pair": round3(align_s * 1e6 / n_pairs.max(1) as f64),
        "sample_index": {
            "build_s": round3(build_s),
            "dupes_s": round3(dupes_s),
            "passages": sample_dupes.0,
            "candidates": sample_dupes.1,
            "pairs": sample_dupes.2,
            "score": score_json(&sample_score),
            "reread": fidelity.json(),
        },
        "speed_ratio": round3(speed),
        "whole_corpus": whole.as_ref().map(|w| serde_json::json!({
            "dupes_s": round3(w.s),
            "passages": w.passages,
            "candidates": w.candidates,
            "pairs": w.pairs,
            "score": score_json(&w.score),
            "allpairs_estimate_s": round3(est_full_s),
        })),
        "recall_by_class": class_json,
        "missed_by_reason": reasons_json,
    });
    println!("\n{json}");
}

/// What a missed pair shares, in the terms of `dupes`' candidate step (fingerprints shared,
/// boilerplate ones — in more than 40 passages — left out) and of its alignment (`dupes` aligns
/// a candidate once, in index order, and `align` is not symmetric). Descriptive, so that it
/// stays true whatever the candidate rule is.
fn miss_reason(a: &Sampled, b: &Sampled, e: &Exact, df: &FxHashMap<u64, u32>) -> &'static str {
    let shared: Vec<u64> = a
        .fps
        .iter()
        .filter(|h| b.fps.contains(h))
        .copied()
        .collect();
    if shared.is_empty() {
        return "no shared fingerprint (the matching shingles were not winnowed)";
    }
    let kept = shared
        .iter()
        .filter(|h| df.get(h).map_or(0, |&n| n as usize) <= MAX_SHARED)
        .count();
    match (kept, e.one_order()) {
        (0, _) => "only boilerplate fingerprints shared (each in > 40 passages)",
        (1, true) => "1 shared fingerprint; reaches 0.5 in one alignment order only",
        (1, false) => "1 shared fingerprint; both alignment orders reach 0.5",
        (_, true) => "2+ shared fingerprints; reaches 0.5 in one alignment order only",
        (_, false) => "2+ shared fingerprints; both alignment orders reach 0.5",
    }
}

/// How the sampled passages came back when each was re-read as a record of its own.
struct Fidelity {
    same: usize,
    changed: usize,
    split: usize,
    none: usize,
}

impl std::fmt::Display for Fidelity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} as the same single passage, {} as one passage with other text, {} as several passages, {} with no eligible passage",
            self.same, self.changed, self.split, self.none
        )
    }
}

impl Fidelity {
    fn json(&self) -> serde_json::Value {
        serde_json::json!({"same": self.same, "changed": self.changed, "split": self.split, "none": self.none})
    }
}

fn refidelity(jsonl: &Path, sample: &[Sampled], of_record: &HashMap<String, u32>) -> Fidelity {
    let mut fid = Fidelity {
        same: 0,
        changed: 0,
        split: 0,
        none: 0,
    };
    let Ok(file) = read::SourceFile::from_path(jsonl) else {
        return fid;
    };
    let Ok((docs, _)) = read::read_file(&file) else {
        return fid;
    };
    for d in &docs {
        let ps: Vec<Passage> = passages_of(d)
            .into_iter()
            .filter(|p| !p.fingerprints.is_empty())
            .collect();
        let orig = of_record.get(&d.id).map(|&i| &sample[i as usize]);
        match (ps.len(), orig) {
            (0, _) => fid.none += 1,
            (1, Some(o)) if ps[0].text == o.text => fid.same += 1,
            (1, _) => fid.changed += 1,
            _ => fid.split += 1,
        }
    }
    fid
}

fn clip(s: &str, n: usize) -> String {
    let s = s.replace('\n', " ");
    if s.chars().count() <= n {
        s
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
