//! Query latency on a large index, against a plain tantivy BM25 baseline on the same index.
//!
//! `PUSTAKA_BENCH_INDEX=DIR cargo bench --bench latency`
//!
//! Runs every query of `benches/queries.txt` (or `PUSTAKA_BENCH_QUERIES`) through
//! [`Engine::search`] with limit 10: one warm-up round, then `PUSTAKA_BENCH_ROUNDS` (20) rounds.
//! In the same rounds, interleaved so that both see the same machine state, it runs the
//! baseline: tantivy's `QueryParser` over the unstemmed text field (`text_exact`), terms ORed,
//! BM25 top 10 by score, and the stored fields of those 10 loaded (a search that returns nothing
//! to show is not a search). Prints p50/p99/mean in milliseconds, human-readable and as one JSON
//! line holding `"bench":"latency"` (keys sorted), and our latency as a ratio to the baseline.
//! The same rounds also run each query without its dictionary translations
//! (`SearchRequest::translate` off), so what the lexicon layer costs is a ratio of the same run.
//!
//! Without `PUSTAKA_BENCH_INDEX` (or with a directory that holds no index) it prints how to run
//! it and exits 0, so `cargo bench` stays green on a fresh checkout.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use pustaka::index::Engine;
use pustaka::search::SearchRequest;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument};

const LIMIT: usize = 10;
/// The unstemmed text field of pustaka's schema, the baseline's default field.
const BASELINE_FIELD: &str = "text_exact";

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

    let requests: Vec<SearchRequest> = queries
        .iter()
        .map(|q| SearchRequest {
            query: q.clone(),
            limit: LIMIT,
            ..SearchRequest::default()
        })
        .collect();

    let untranslated: Vec<SearchRequest> = requests
        .iter()
        .map(|r| SearchRequest {
            translate: false,
            ..r.clone()
        })
        .collect();

    // Warm-up: page the index in, fill caches; also records what each query finds.
    let mut totals = BTreeMap::new();
    let mut empty = Vec::new();
    for (q, req) in queries.iter().zip(&requests) {
        match engine.search(req) {
            Ok(resp) => {
                if resp.hits.is_empty() {
                    empty.push(q.clone());
                }
                totals.insert(q.clone(), resp.total);
            }
            Err(e) => {
                eprintln!("error: query {q:?}: {e}");
                std::process::exit(1);
            }
        }
        if let Some(b) = &baseline {
            b.search(q);
        }
    }

    let mut ours = Vec::with_capacity(rounds * queries.len());
    let mut plain = Vec::with_capacity(rounds * queries.len());
    let mut base = Vec::with_capacity(rounds * queries.len());
    let mut per_query: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); queries.len()];
    let mut reported_ms = Vec::with_capacity(rounds * queries.len());
    for round in 0..rounds {
        for (i, req) in requests.iter().enumerate() {
            // Alternate which engine goes first, so neither always runs on the other's warm cache.
            let base_first = round % 2 == 1;
            if base_first {
                if let Some(b) = &baseline {
                    base.push(b.search(&queries[i]));
                }
            }
            let timed = |r: &SearchRequest| {
                let t = Instant::now();
                let resp = engine.search(r).expect("query failed after warm-up");
                (ms(t), resp)
            };
            if base_first {
                plain.push(timed(&untranslated[i]).0);
            }
            let (elapsed, resp) = timed(req);
            if !base_first {
                plain.push(timed(&untranslated[i]).0);
            }
            std::hint::black_box(&resp);
            ours.push(elapsed);
            per_query[i].push(elapsed);
            reported_ms.push(resp.took_ms);
            if !base_first {
                if let Some(b) = &baseline {
                    base.push(b.search(&queries[i]));
                }
            }
        }
    }

    let ours_s = Summary::of(&ours);
    let plain_s = Summary::of(&plain);
    let base_s = (!base.is_empty()).then(|| Summary::of(&base));
    let reported_s = Summary::of(&reported_ms);
    let mut slowest: Vec<(f64, &str)> = per_query
        .iter()
        .zip(&queries)
        .map(|(v, q)| (Summary::of(v).p50, q.as_str()))
        .collect();
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    slowest.truncate(5);

    println!(
        "index {} ({} queries x {} rounds, limit {LIMIT}, opened in {open_ms:.1} ms)",
        dir.display(),
        queries.len(),
        rounds
    );
    println!("  pustaka Engine::search   {}", ours_s.human());
    println!("  the same, untranslated   {}", plain_s.human());
    println!("  ratio with/without lexicon {}", ours_s.ratio(&plain_s));
    println!("  (took_ms as reported)    {}", reported_s.human());
    if let Some(b) = &base_s {
        println!("  tantivy QueryParser BM25 {}", b.human());
        println!("  ratio pustaka/baseline   {}", ours_s.ratio(b));
    }
    println!("  slowest queries (p50 ms):");
    for (p50, q) in &slowest {
        println!("    {p50:8.3}  {q}");
    }
    if !empty.is_empty() {
        println!("  queries without hits: {empty:?}");
    }

    let json = serde_json::json!({
        "bench": "latency",
        "index": dir.display().to_string(),
        "queries": queries.len(),
        "rounds": rounds,
        "limit": LIMIT,
        "open_ms": round3(open_ms),
        "pustaka": ours_s.json(),
        "pustaka_reported_took_ms": reported_s.json(),
        "pustaka_untranslated": plain_s.json(),
        "lexicon_ratio": {
            "p50": round3(ours_s.p50 / plain_s.p50),
            "p99": round3(ours_s.p99 / plain_s.p99),
            "mean": round3(ours_s.mean / plain_s.mean),
        },
        "baseline": base_s.as_ref().map(Summary::json),
        "baseline_kind": base_s.as_ref().map(|_| format!("tantivy QueryParser on {BASELINE_FIELD}, OR, BM25 top {LIMIT} + stored docs")),
        "ratio": base_s.as_ref().map(|b| serde_json::json!({
            "p50": round3(ours_s.p50 / b.p50),
            "p99": round3(ours_s.p99 / b.p99),
            "mean": round3(ours_s.mean / b.mean),
        })),
        "queries_without_hits": empty,
        "totals": totals,
        "slowest_p50_ms": slowest.iter().map(|(ms, q)| serde_json::json!({"query": q, "p50_ms": round3(*ms)})).collect::<Vec<_>>(),
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
        // QueryParser's default conjunction is OR, like FTS5's baseline query and BM25 peers.
        let parser = QueryParser::for_index(&index, vec![field]);
        Some(Baseline { reader, parser })
    }

    /// One query, in milliseconds: parse, top 10 by BM25, load their stored documents.
    fn search(&self, q: &str) -> f64 {
        let t = Instant::now();
        let searcher = self.reader.searcher();
        let (query, _errors) = self.parser.parse_query_lenient(q);
        let top = searcher
            .search(&query, &TopDocs::with_limit(LIMIT).order_by_score())
            .expect("baseline search");
        for (_, addr) in &top {
            let d: TantivyDocument = searcher.doc(*addr).expect("baseline doc");
            std::hint::black_box(d);
        }
        ms(t)
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
        // Nearest rank, as scripts/fts5_baseline.py computes it.
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
