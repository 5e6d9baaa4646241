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
//! - `open/*`: [`Engine::open`] on an index of 5 files and of 1,500, each beside tantivy
//!   opening the same generation ([`bench_open`]).

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pustaka::index::Engine;
use pustaka::ingest::read;
use pustaka::model::Document;
use pustaka::search::SearchRequest;

/// The allocator of the `pustaka` command (src/main.rs): this measures what the command runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

/// The seed corpus's text cut into `n` files of a few paragraphs each, in `dir`: a library of
/// many small files, as a user's folder of articles is.
fn many_files(dir: &Path, n: usize) {
    let paragraphs: Vec<String> = seed_documents()
        .iter()
        .flat_map(|d| d.text.split("\n\n").map(str::to_string).collect::<Vec<_>>())
        .filter(|p| p.trim().len() > 40)
        .collect();
    let per = paragraphs.len().div_ceil(n).max(1);
    for (i, chunk) in paragraphs.chunks(per).enumerate() {
        let name = format!("article-{i:05}-of-a-library-folder.txt");
        std::fs::write(dir.join(name), chunk.join("\n\n")).expect("write a library file");
    }
}

/// `open/*`: what opening an index costs a command (a one-shot `pustaka search` opens one
/// per process), on the seed corpus as five files and cut into 1,500, beside tantivy opening
/// the same generation with a reader (the floor) in the same group. The manifest's table of
/// files is out of `meta.json` (src/index/manifest.rs), so the two sizes should cost alike.
fn bench_open(c: &mut Criterion) {
    let mut group = c.benchmark_group("open");
    let tmp = TempDir::new("open");
    for (name, files) in [("5_files", None), ("1500_files", Some(1500))] {
        let corpus = match files {
            None => corpus_dir(),
            Some(n) => {
                let dir = tmp.0.join(format!("corpus-{name}"));
                std::fs::create_dir_all(&dir).expect("create a corpus directory");
                many_files(&dir, n);
                dir
            }
        };
        let index_dir = tmp.0.join(format!("index-{name}"));
        pustaka::index::build(&index_dir, &[corpus], &mut |_| {}).expect("build the index");
        let current = std::fs::read_to_string(index_dir.join("CURRENT")).expect("CURRENT");
        let generation = index_dir.join(current.trim());
        group.bench_function(format!("baseline_tantivy_{name}"), |b| {
            b.iter(|| {
                let index = tantivy::Index::open_in_dir(&generation).expect("open");
                black_box(index.reader().expect("reader"))
            })
        });
        group.bench_function(format!("engine_{name}"), |b| {
            b.iter(|| black_box(Engine::open(&index_dir).expect("open")))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_search, bench_ingest, bench_open);
criterion_main!(benches);
