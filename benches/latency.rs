//! Query latency on a large index, against a plain tantivy BM25 baseline on the same index.
//!
//! `PUSTAKA_BENCH_INDEX=DIR cargo bench --bench latency`
//!
//! Runs every query of `benches/queries.txt` (or `PUSTAKA_BENCH_QUERIES`) as a user's search:
//! an [`api::Search`] with the query and limit 10, everything else left to the defaults the CLI
//! (`pustaka search`) and the HTTP API (`/api/search`) fill in ([`api::Search::answer`]: at most
//! [`api::DEFAULT_PER_DOC`] passages of one document before other documents', translations
//! on, meaning too when the index carries embeddings). One warm-up round, then
//! `PUSTAKA_BENCH_ROUNDS` (20) rounds. In the same rounds, interleaved so that all see the same
//! machine state (the order reversed every other round), it runs, each arm a sweep over every
//! query before the next arm's:
//!
//! - the same search with `per_doc` 0 (no spreading over documents: ranking alone);
//! - the same search without its dictionary translations (`no_translate`), so that what the
//!   lexicon layer costs is a ratio of the same run;
//! - the baseline: tantivy's `QueryParser` over the unstemmed text field (`text_exact`), terms
//!   ORed, BM25 top 10 by score, and the stored fields of those 10 loaded (a search that returns
//!   nothing to show is not a search).
//!
//! Each call is timed three ways: wall (`Instant`), the calling thread's CPU time
//! (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`) and the process's CPU time
//! (`CLOCK_PROCESS_CPUTIME_ID`). `Engine::search` runs on the caller's thread (tantivy's
//! single-thread executor, nothing of `pustaka::par`), so thread CPU is its CPU; the process
//! figure is the check of that (it also holds the index reader's reload watcher, which polls
//! once every half second). Prints p50/p99/mean in milliseconds, human-readable and as one JSON
//! line holding `"bench":"latency"`, with our latency as a ratio to the baseline's.
//!
//! Why sweeps: a search right after another search for the same words finds the postings,
//! dictionary blocks and stored passages it reads still in the CPU's caches. With the arms
//! interleaved query by query (until 2026-12-07), a user's search ran after up to three searches
//! for the same query and took 0.16 ms at p50, where a sweep, each search after a different
//! query, takes 0.23 ms: what a user who types a new query meets.
//!
//! Without `PUSTAKA_BENCH_INDEX` (or with a directory that holds no index) it prints how to run
//! it and exits 0, so `cargo bench` stays green on a fresh checkout.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use pustaka::api;
use pustaka::index::Engine;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument};

/// The allocator of the `pustaka` command (src/main.rs): this measures what the command runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const LIMIT: usize = 10;
/// The unstemmed text field of pustaka's schema, the baseline's default field.
const BASELINE_FIELD: &str = "text_exact";

/// What is timed, in the order of each round (reversed every other round).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arm {
    /// A user's search: the CLI's and the HTTP API's defaults.
    Users,
    /// The same with `per_doc` 0.
    PerDoc0,
    /// The same without translations.
    Untranslated,
    /// Plain tantivy BM25.
    Baseline,
}

const ARMS: [Arm; 4] = [Arm::Users, Arm::PerDoc0, Arm::Untranslated, Arm::Baseline];

fn main() {
    let Some(dir) = std::env::var_os("PUSTAKA_BENCH_INDEX").map(PathBuf::from) else {
        println!("skipping: set PUSTAKA_BENCH_INDEX to a built index");
        return;
    };
    let pustaka::index::store::State::Ready { path: live, .. } = pustaka::index::store::state(&dir)
    else {
        println!(
            "skipping: set PUSTAKA_BENCH_INDEX to a built index ({} holds none)",
            dir.display()
        );
        return;
    };
    let queries_path = std::env::var_os("PUSTAKA_BENCH_QUERIES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/queries.txt"));
    let rounds: usize = std::env::var("PUSTAKA_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(20);
    let queries = read_queries(&queries_path);
    if queries.is_empty() {
        eprintln!("error: no queries in {}", queries_path.display());
        std::process::exit(2);
    }

    let t = Instant::now();
    let engine = match Engine::open(&dir) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let open_ms = ms(t);
    let baseline = Baseline::open(&live);
    if baseline.is_none() {
        println!("note: no `{BASELINE_FIELD}` field in the index schema: baseline skipped");
    }

    // As `pustaka search Q --limit 10` and `GET /api/search?q=Q&limit=10` ask.
    let users: Vec<api::Search> = queries
        .iter()
        .map(|q| api::Search {
            query: q.clone(),
            limit: Some(LIMIT),
            ..api::Search::default()
        })
        .collect();
    let per_doc0: Vec<api::Search> = users
        .iter()
        .map(|s| api::Search {
            per_doc: Some(0),
            ..s.clone()
        })
        .collect();
    let untranslated: Vec<api::Search> = users
        .iter()
        .map(|s| api::Search {
            no_translate: true,
            ..s.clone()
        })
        .collect();
    let searches = |arm: Arm| match arm {
        Arm::Users => &users,
        Arm::PerDoc0 => &per_doc0,
        Arm::Untranslated => &untranslated,
        Arm::Baseline => unreachable!("the baseline is no api::Search"),
    };

    // Warm-up: page the index in, fill caches; also records what each query finds.
    let mut totals = BTreeMap::new();
    let mut empty = Vec::new();
    for (i, q) in queries.iter().enumerate() {
        for arm in [Arm::Users, Arm::PerDoc0, Arm::Untranslated] {
            match searches(arm)[i].answer(&engine) {
                Ok(resp) if arm == Arm::Users => {
                    if resp.hits.is_empty() {
                        empty.push(q.clone());
                    }
                    totals.insert(q.clone(), resp.total);
                }
                Ok(_) => {}
                Err(e) => {
                    eprintln!("error: query {q:?}: {e}");
                    std::process::exit(1);
                }
            }
        }
        if let Some(b) = &baseline {
            b.search(q);
        }
    }

    let n = rounds * queries.len();
    let mut series = vec![Series::with_capacity(n); ARMS.len()];
    let mut per_query: Vec<Series> = vec![Series::with_capacity(rounds); queries.len()];
    let mut reported_ms = Vec::with_capacity(n);
    for round in 0..rounds {
        let mut order = ARMS.to_vec();
        if round % 2 == 1 {
            // So that no arm always runs right after the same one.
            order.reverse();
        }
        for &arm in &order {
            for (i, q) in queries.iter().enumerate() {
                let sample = if arm == Arm::Baseline {
                    match &baseline {
                        Some(b) => b.search(q),
                        None => continue,
                    }
                } else {
                    let (sample, resp) = timed(|| {
                        searches(arm)[i]
                            .answer(&engine)
                            .expect("query failed after warm-up")
                    });
                    std::hint::black_box(&resp);
                    if arm == Arm::Users {
                        per_query[i].push(sample);
                        reported_ms.push(resp.took_ms);
                    }
                    sample
                };
                series[arm as usize].push(sample);
            }
        }
    }

    let of = |arm: Arm| &series[arm as usize];
    let ours = of(Arm::Users).summaries();
    let flat = of(Arm::PerDoc0).summaries();
    let plain = of(Arm::Untranslated).summaries();
    let base = (!of(Arm::Baseline).wall.is_empty()).then(|| of(Arm::Baseline).summaries());
    let reported_s = Summary::of(&reported_ms);
    let slowest = |pick: fn(&Series) -> &[f64]| -> Vec<(f64, &str)> {
        let mut v: Vec<(f64, &str)> = per_query
            .iter()
            .zip(&queries)
            .map(|(s, q)| (Summary::of(pick(s)).p50, q.as_str()))
            .collect();
        v.sort_by(|a, b| b.0.total_cmp(&a.0));
        v.truncate(5);
        v
    };
    let slowest_wall = slowest(|s| &s.wall);
    let slowest_cpu = slowest(|s| &s.thread);

    println!(
        "index {} ({} queries x {} rounds, limit {LIMIT}, per_doc {} unless said, opened in {open_ms:.1} ms)",
        dir.display(),
        queries.len(),
        rounds,
        api::DEFAULT_PER_DOC,
    );
    println!("  pustaka, a user's search (api::Search::answer)");
    ours.human("    ");
    println!("  the same, per_doc 0");
    flat.human("    ");
    println!("  the same, untranslated");
    plain.human("    ");
    println!(
        "  ratio with/without lexicon  wall {}  thread CPU {}",
        ours.wall.ratio(&plain.wall),
        ours.thread.ratio(&plain.thread)
    );
    println!("  (took_ms as reported)  {}", reported_s.human());
    if let Some(b) = &base {
        println!("  tantivy QueryParser BM25");
        b.human("    ");
        println!(
            "  ratio pustaka/baseline  wall {}  thread CPU {}",
            ours.wall.ratio(&b.wall),
            ours.thread.ratio(&b.thread)
        );
    }
    println!("  slowest queries (p50 thread CPU ms):");
    for (p50, q) in &slowest_cpu {
        println!("    {p50:8.3}  {q}");
    }
    if !empty.is_empty() {
        println!("  queries without hits: {empty:?}");
    }

    let ratios = |a: &Summary, b: &Summary| {
        serde_json::json!({
            "p50": round3(a.p50 / b.p50),
            "p99": round3(a.p99 / b.p99),
            "mean": round3(a.mean / b.mean),
        })
    };
    let list = |v: &[(f64, &str)]| {
        v.iter()
            .map(|(ms, q)| serde_json::json!({"query": q, "p50_ms": round3(*ms)}))
            .collect::<Vec<_>>()
    };
    // Keys without a suffix are wall times (as before the CPU figures were added).
    let json = serde_json::json!({
        "bench": "latency",
        "index": dir.display().to_string(),
        "queries": queries.len(),
        "rounds": rounds,
        "limit": LIMIT,
        "per_doc": api::DEFAULT_PER_DOC,
        "request": format!("api::Search {{ query, limit: Some({LIMIT}), ..default }}.answer(): the CLI's and HTTP API's defaults (per_doc {}, translations, meaning when embedded)", api::DEFAULT_PER_DOC),
        "cpu_clock": "clock_gettime CLOCK_THREAD_CPUTIME_ID (thread), CLOCK_PROCESS_CPUTIME_ID (process, the check)",
        "open_ms": round3(open_ms),
        "pustaka": ours.wall.json(),
        "pustaka_thread_cpu": ours.thread.json(),
        "pustaka_process_cpu": ours.process.json(),
        "pustaka_reported_took_ms": reported_s.json(),
        "pustaka_per_doc0": flat.wall.json(),
        "pustaka_per_doc0_thread_cpu": flat.thread.json(),
        "pustaka_untranslated": plain.wall.json(),
        "pustaka_untranslated_thread_cpu": plain.thread.json(),
        "lexicon_ratio": ratios(&ours.wall, &plain.wall),
        "lexicon_ratio_thread_cpu": ratios(&ours.thread, &plain.thread),
        "baseline": base.as_ref().map(|b| b.wall.json()),
        "baseline_thread_cpu": base.as_ref().map(|b| b.thread.json()),
        "baseline_process_cpu": base.as_ref().map(|b| b.process.json()),
        "baseline_kind": base.as_ref().map(|_| format!("tantivy QueryParser on {BASELINE_FIELD}, OR, BM25 top {LIMIT} + stored docs")),
        "ratio": base.as_ref().map(|b| ratios(&ours.wall, &b.wall)),
        "ratio_thread_cpu": base.as_ref().map(|b| ratios(&ours.thread, &b.thread)),
        "queries_without_hits": empty,
        "totals": totals,
        "slowest_p50_ms": list(&slowest_wall),
        "slowest_thread_cpu_p50_ms": list(&slowest_cpu),
        "per_query_thread_cpu_p50_ms": per_query
            .iter()
            .zip(&queries)
            .map(|(s, q)| (q.clone(), round3(Summary::of(&s.thread).p50)))
            .collect::<BTreeMap<_, _>>(),
    });
    println!("{json}");
}

fn read_queries(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("error: {}: {e}", path.display());
        std::process::exit(2);
    });
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The CPU time of `clock` (a thread's or the process's), in milliseconds.
fn cpu_ms(clock: libc::clockid_t) -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock ids are the POSIX ones Linux has.
    let rc = unsafe { libc::clock_gettime(clock, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime({clock})");
    ts.tv_sec as f64 * 1000.0 + ts.tv_nsec as f64 / 1e6
}

/// One call: wall, the calling thread's CPU and the process's CPU, in milliseconds.
#[derive(Clone, Copy)]
struct Sample {
    wall: f64,
    thread: f64,
    process: f64,
}

/// Runs `f` once and times it.
fn timed<R>(f: impl FnOnce() -> R) -> (Sample, R) {
    let p0 = cpu_ms(libc::CLOCK_PROCESS_CPUTIME_ID);
    let t0 = cpu_ms(libc::CLOCK_THREAD_CPUTIME_ID);
    let w0 = Instant::now();
    let r = f();
    let wall = ms(w0);
    let thread = cpu_ms(libc::CLOCK_THREAD_CPUTIME_ID) - t0;
    let process = cpu_ms(libc::CLOCK_PROCESS_CPUTIME_ID) - p0;
    (
        Sample {
            wall,
            thread,
            process,
        },
        r,
    )
}

#[derive(Clone, Default)]
struct Series {
    wall: Vec<f64>,
    thread: Vec<f64>,
    process: Vec<f64>,
}

impl Series {
    fn with_capacity(n: usize) -> Series {
        Series {
            wall: Vec::with_capacity(n),
            thread: Vec::with_capacity(n),
            process: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, s: Sample) {
        self.wall.push(s.wall);
        self.thread.push(s.thread);
        self.process.push(s.process);
    }

    fn summaries(&self) -> Summaries {
        Summaries {
            wall: Summary::of(&self.wall),
            thread: Summary::of(&self.thread),
            process: Summary::of(&self.process),
        }
    }
}

struct Summaries {
    wall: Summary,
    thread: Summary,
    process: Summary,
}

impl Summaries {
    fn human(&self, indent: &str) {
        println!("{indent}wall         {}", self.wall.human());
        println!("{indent}thread CPU   {}", self.thread.human());
        println!("{indent}process CPU  {}", self.process.human());
    }
}

/// Plain tantivy: the index's own schema and analyzers, nothing of pustaka's query handling.
struct Baseline {
    reader: IndexReader,
    parser: QueryParser,
}

impl Baseline {
    fn open(dir: &Path) -> Option<Baseline> {
        let index = Index::open_in_dir(dir).ok()?;
        let field = index.schema().get_field(BASELINE_FIELD).ok()?;
        // Analyzers are not stored with an index: register pustaka's, as its engine does.
        pustaka::text::register(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .ok()?;
        // QueryParser's default conjunction is OR, like the peers' queries in scripts/peers.py.
        // The field's own tokenizer reads pre-analyzed words (`text::forms`): a query is read
        // by the analyzer that made them.
        let tokenizers = tantivy::tokenizer::TokenizerManager::default();
        tokenizers.register(pustaka::text::PRE, pustaka::text::exact_analyzer());
        let parser = QueryParser::new(index.schema(), vec![field], tokenizers);
        Some(Baseline { reader, parser })
    }

    /// One query, timed: parse, top 10 by BM25, load their stored documents.
    fn search(&self, q: &str) -> Sample {
        timed(|| {
            let searcher = self.reader.searcher();
            let (query, _errors) = self.parser.parse_query_lenient(q);
            let top = searcher
                .search(&query, &TopDocs::with_limit(LIMIT).order_by_score())
                .expect("baseline search");
            for (_, addr) in &top {
                let d: TantivyDocument = searcher.doc(*addr).expect("baseline doc");
                std::hint::black_box(d);
            }
        })
        .0
    }
}

struct Summary {
    n: usize,
    p50: f64,
    p99: f64,
    mean: f64,
    min: f64,
    max: f64,
}

impl Summary {
    fn of(samples: &[f64]) -> Summary {
        let mut s = samples.to_vec();
        s.sort_by(f64::total_cmp);
        let n = s.len();
        // Nearest rank, as scripts/peers.py computes it.
        let pct = |p: usize| s[((n * p).div_ceil(100)).max(1) - 1];
        Summary {
            n,
            p50: pct(50),
            p99: pct(99),
            mean: s.iter().sum::<f64>() / n as f64,
            min: s[0],
            max: s[n - 1],
        }
    }

    /// p50, p99 and mean of `self` over those of `base`.
    fn ratio(&self, base: &Summary) -> String {
        format!(
            "p50 {:.2}x  p99 {:.2}x  mean {:.2}x",
            self.p50 / base.p50,
            self.p99 / base.p99,
            self.mean / base.mean
        )
    }

    fn human(&self) -> String {
        format!(
            "p50 {:8.3} ms  p99 {:8.3} ms  mean {:8.3} ms  (min {:.3}, max {:.3}, n {})",
            self.p50, self.p99, self.mean, self.min, self.max, self.n
        )
    }

    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "n": self.n,
            "p50_ms": round3(self.p50),
            "p99_ms": round3(self.p99),
            "mean_ms": round3(self.mean),
            "min_ms": round3(self.min),
            "max_ms": round3(self.max),
        })
    }
}
