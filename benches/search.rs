//! Criterion benches on the seed corpus (`corpus/`): query latency and the ingest pipeline.
//!
//! `cargo bench --bench search`
//!
//! - `search/*`: [`Engine::search`] (limit 10) for three representative queries, on an index of
//!   `corpus/` built once into a temporary directory by [`pustaka::index::build`].
//! - `ingest/*`: [`pustaka::ingest::passages_of`] (normalize, segment, detect languages) over
//!   every seed document, next to a baseline in the same group that only splits the same text
//!   on whitespace. Both report throughput in bytes of source text, so they read as a ratio:
//!   how many times the cost of the least possible text processing ingest costs.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pustaka::index::Engine;
use pustaka::ingest::read;
use pustaka::model::Document;
use pustaka::search::SearchRequest;

/// An Indonesian query (stemmed field), an English one, and one mixing both languages.
const QUERIES: [(&str, &str); 3] = [
    ("id_perdagangan_manusia", "perdagangan manusia di Meksiko"),
    ("en_child_exploitation", "sexual exploitation of children"),
    (
        "mixed_feminist_policy",
        "kebijakan luar negeri feminist foreign policy",
    ),
];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// A temporary directory removed on drop (no dev-dependency for so little).
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("pustaka-bench-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temporary directory");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn seed_documents() -> Vec<Document> {
    let (files, skipped) = read::discover(&[corpus_dir()]);
    assert!(skipped.is_empty(), "seed corpus: {skipped:?}");
    let docs: Vec<Document> = files
        .iter()
        .flat_map(|f| read::read_file(f).expect("read seed document").0)
        .collect();
    assert!(
        !docs.is_empty(),
        "no documents in {}",
        corpus_dir().display()
    );
    docs
}

fn bench_search(c: &mut Criterion) {
    let tmp = TempDir::new("search");
    let index_dir = tmp.0.join("index");
    pustaka::index::build(&index_dir, &[corpus_dir()], &mut |_| {}).expect("build seed index");
    let engine = Engine::open(&index_dir).expect("open seed index");

    let mut group = c.benchmark_group("search");
    for (name, query) in QUERIES {
        let req = SearchRequest {
            query: query.to_string(),
            limit: 10,
            ..SearchRequest::default()
        };
        let resp = engine.search(&req).expect("search");
        assert!(
            !resp.hits.is_empty(),
            "query {query:?} finds nothing in the seed corpus"
        );
        group.bench_function(name, |b| {
            b.iter(|| engine.search(black_box(&req)).expect("search"))
        });
    }
    group.finish();
    drop(engine);
    drop(tmp);
}

fn bench_ingest(c: &mut Criterion) {
    let docs = seed_documents();
    let bytes: u64 = docs.iter().map(|d| d.text.len() as u64).sum();

    let mut group = c.benchmark_group("ingest");
    // passages_of takes tens of milliseconds over the seed corpus: fewer samples keep the run short.
    group.sample_size(30);
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("baseline_split_whitespace", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| black_box(&d.text).split_whitespace().count())
                .sum::<usize>()
        })
    });
    group.bench_function("passages_of", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| pustaka::ingest::passages_of(black_box(d)).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_search, bench_ingest);
criterion_main!(benches);
