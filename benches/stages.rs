//! The stages of `pustaka index` that its profile on corpus-large names (issue 18), each beside a
//! baseline in the same criterion group, so a change to one shows as MB/s against a floor that
//! does not move: language detection (whatlang, 15% of the profile), `normalize` (10.8%),
//! segmentation (5.2%), fingerprints (7.1%) and the three analyzers of the passage text
//! (`text_id`, `text_en`, `text_exact`: about 27% of tantivy's `add_document`); and tantivy's
//! own indexing of pustaka's documents beside tantivy-py's default one-field build
//! (`indexing`), the part of a build no stage of pustaka's can make cheaper.
//!
//!   cargo bench --bench stages
//!   cargo bench --bench stages -- tokenize        (one group)
//!
//! Input is real text, read at start: the seed corpus `corpus/*.txt` and, when
//! `PUSTAKA_CORPUS_LARGE` (default ../shared/corpus-large) holds them, the first
//! `PUSTAKA_STAGES_MB` (2) MB of whole records of `id_court_decisions.jsonl` and of
//! `en_plos_fulltext.jsonl`, read by pustaka's own JSON Lines reader (nothing is copied into the
//! repository). Documents are cut as `ingest::cut` cuts them: `normalize::clean`, then
//! `segment::segment`; the passage-level stages run over those passages.
//!
//! Throughput is in bytes of what each stage is handed: the documents' raw text for `normalize`
//! and `segment` (so their MB/s compare), passage text for `language` and `tokenize`, and the
//! text of the passages that carry fingerprints (body, abstract, caption, table) for
//! `fingerprints`, passage text again for `indexing`. One thread; the Indonesian stemmer's per-thread memo is warm after the first
//! iteration, as it is a few documents into an index run. Each bench is short (sample size 10,
//! flat sampling, 3 s): the whole run takes two to three minutes on 2 cores. Needs
//! `[[bench]] name = "stages"` with `harness = false` in Cargo.toml.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, Criterion, SamplingMode, Throughput,
};
use pustaka::enrich;
use pustaka::ingest;
use pustaka::ingest::normalize::{self, Line};
use pustaka::ingest::read::{self, ReadOptions, SourceFile};
use pustaka::ingest::segment;
use pustaka::text::hash::fnv;
use pustaka::text::{self, fingerprint};
use pustaka::{Document, Passage};
use tantivy::schema::{Schema, STORED, STRING, TEXT};
use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer, TokenStream};
use tantivy::{doc, Index, IndexWriter, TantivyDocument};

/// The allocator of the `pustaka` command (src/main.rs): this measures what the command runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const LARGE_FILES: [&str; 2] = ["id_court_decisions.jsonl", "en_plos_fulltext.jsonl"];
const DEFAULT_MB: usize = 2;

/// The documents of the bench and what the stages before each one made of them.
struct Input {
    docs: Vec<Document>,
    /// `normalize::clean(doc.text).0`, per document.
    lines: Vec<Vec<Line>>,
    /// `segment::segment` of those lines, languages assigned, per document.
    passages: Vec<Vec<Passage>>,
}

impl Input {
    fn load() -> Input {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut docs = Vec::new();
        let (files, _) = read::discover(&[root.join("corpus")]);
        for f in files
            .iter()
            .filter(|f| f.path.extension() == Some("txt".as_ref()))
        {
            match read::read_file(f) {
                Ok((d, _)) => docs.extend(d),
                Err(s) => eprintln!("  note: skipped {s}"),
            }
        }
        let seed = docs.len();
        let large = std::env::var_os("PUSTAKA_CORPUS_LARGE")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("../shared/corpus-large"));
        let mb: usize = std::env::var("PUSTAKA_STAGES_MB")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(DEFAULT_MB);
        for name in LARGE_FILES {
            let path = large.join(name);
            if !path.is_file() || mb == 0 {
                println!("stages: no {} (corpus-large left out)", path.display());
                continue;
            }
            let n = docs.len();
            docs.extend(head_records(&path, mb << 20));
            println!("stages: {} records of {}", docs.len() - n, path.display());
        }
        assert!(!docs.is_empty(), "no input: corpus/ holds no .txt file");
        println!("stages: {seed} seed documents from corpus/");
        let (lines, passages) = docs
            .iter()
            .map(|d| {
                let (lines, _) = normalize::clean(&d.text);
                let mut ps = segment::segment(&d.id, d.title_hint.as_deref(), &lines);
                enrich::lang::assign(&mut ps, d.lang_hint.as_deref());
                (lines, ps)
            })
            .unzip();
        Input {
            docs,
            lines,
            passages,
        }
    }

    fn raw_bytes(&self) -> u64 {
        self.docs.iter().map(|d| d.text.len() as u64).sum()
    }

    fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.passages.iter().flatten().map(|p| p.text.as_str())
    }

    /// The passages `enrich::fingerprint::annotate` fingerprints.
    fn reusable(&self) -> impl Iterator<Item = &str> {
        self.passages
            .iter()
            .flatten()
            .filter(|p| enrich::fingerprint::reusable(p.kind))
            .map(|p| p.text.as_str())
    }
}

/// The documents of the first whole records of a JSON Lines file, up to `max` bytes (at least
/// one record), read by pustaka's reader from memory.
fn head_records(path: &Path, max: usize) -> Vec<Document> {
    let file = match SourceFile::from_path(path) {
        Ok(f) => f,
        Err(s) => {
            eprintln!("  note: skipped {s}");
            return Vec::new();
        }
    };
    let mut bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("  note: cannot read {}: {e}", path.display());
            return Vec::new();
        }
    };
    let mut end = 0;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            end = i + 1;
            if end >= max {
                break;
            }
        }
    }
    if end > 0 {
        bytes.truncate(end);
    }
    match read::read_bytes(&file, bytes, ReadOptions::default()) {
        Ok((docs, _)) => docs,
        Err(s) => {
            eprintln!("  note: skipped {s}");
            Vec::new()
        }
    }
}

/// A group of the short benches this file runs: one iteration over the whole input is tens to
/// hundreds of milliseconds, so samples are flat (the same iteration count each).
fn group<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(name);
    g.sampling_mode(SamplingMode::Flat);
    g
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn stages(c: &mut Criterion) {
    let input = Input::load();
    let n_pass: usize = input.passages.iter().map(Vec::len).sum();
    let pass_bytes: u64 = input.paragraphs().map(|t| t.len() as u64).sum();
    let reuse_bytes: u64 = input.reusable().map(|t| t.len() as u64).sum();
    println!(
        "stages: {} documents, {:.2} MB raw text; {n_pass} passages, {:.2} MB; {} fingerprinted passages, {:.2} MB",
        input.docs.len(),
        mb(input.raw_bytes()),
        mb(pass_bytes),
        input.reusable().count(),
        mb(reuse_bytes),
    );
    language(c, &input, pass_bytes);
    normalize_stage(c, &input);
    segment_stage(c, &input);
    tokenize(c, &input, pass_bytes);
    fingerprints(c, &input, reuse_bytes);
    indexing(c, &input, pass_bytes);
}

/// Per-passage language, as `ingest::cut` gives it: `enrich::lang::assign` per document (which
/// calls `text::lang::detect_scored` on every passage, then lets short ones inherit).
fn language(c: &mut Criterion, input: &Input, bytes: u64) {
    let mut g = group(c, "language");
    g.throughput(Throughput::Bytes(bytes));
    let mut passages = input.passages.clone();
    g.bench_function("pustaka_enrich_lang_assign", |b| {
        b.iter(|| {
            for (ps, d) in passages.iter_mut().zip(&input.docs) {
                enrich::lang::assign(black_box(ps), d.lang_hint.as_deref());
            }
        })
    });
    g.bench_function("pustaka_detect_scored", |b| {
        b.iter(|| {
            input
                .paragraphs()
                .filter(|t| text::lang::detect_scored(black_box(t)).is_some())
                .count()
        })
    });
    // The same labels without the function-word quick path: whatlang's trigrams on every passage.
    g.bench_function("pustaka_detect_by_trigrams", |b| {
        b.iter(|| {
            input
                .paragraphs()
                .filter(|t| text::lang::detect_by_trigrams(black_box(t)).is_some())
                .count()
        })
    });
    g.bench_function("baseline_whatlang_detect", |b| {
        b.iter(|| {
            input
                .paragraphs()
                .filter(|t| whatlang::detect(black_box(t)).is_some())
                .count()
        })
    });
    // What pustaka's detector does on a long passage, and nothing else: Indonesian or English,
    // on its first 400 bytes.
    let id_en = whatlang::Detector::with_allowlist(vec![whatlang::Lang::Ind, whatlang::Lang::Eng]);
    g.bench_function("baseline_whatlang_id_en_400B", |b| {
        b.iter(|| {
            input
                .paragraphs()
                .filter(|t| id_en.detect(black_box(head(t, 400))).is_some())
                .count()
        })
    });
    g.bench_function("floor_count_words", |b| {
        b.iter(|| {
            input
                .paragraphs()
                .map(|t| black_box(t).split_whitespace().count())
                .sum::<usize>()
        })
    });
    g.finish();
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
fn head(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `normalize::clean`, what `ingest::cut` calls on a document's text (`clean_lines` is its
/// first half).
fn normalize_stage(c: &mut Criterion, input: &Input) {
    let mut g = group(c, "normalize");
    g.throughput(Throughput::Bytes(input.raw_bytes()));
    g.bench_function("pustaka_normalize_clean", |b| {
        b.iter(|| {
            input
                .docs
                .iter()
                .map(|d| normalize::clean(black_box(&d.text)).0.len())
                .sum::<usize>()
        })
    });
    g.bench_function("baseline_trim_lines", |b| {
        b.iter(|| {
            input
                .docs
                .iter()
                .map(|d| {
                    let mut out = String::with_capacity(d.text.len());
                    for l in black_box(&d.text).lines() {
                        out.push_str(l.trim());
                        out.push('\n');
                    }
                    out.len()
                })
                .sum::<usize>()
        })
    });
    g.finish();
}

/// `segment::segment` on a document's clean lines, what `ingest::cut` calls after `normalize`.
fn segment_stage(c: &mut Criterion, input: &Input) {
    let mut g = group(c, "segment");
    g.throughput(Throughput::Bytes(input.raw_bytes()));
    g.bench_function("pustaka_segment", |b| {
        b.iter(|| {
            input
                .docs
                .iter()
                .zip(&input.lines)
                .map(|(d, lines)| {
                    segment::segment(&d.id, d.title_hint.as_deref(), black_box(lines)).len()
                })
                .sum::<usize>()
        })
    });
    g.bench_function("baseline_split_blank_lines", |b| {
        b.iter(|| {
            input
                .docs
                .iter()
                .map(|d| {
                    black_box(&d.text)
                        .split("\n\n")
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .map(str::to_string)
                        .collect::<Vec<String>>()
                        .len()
                })
                .sum::<usize>()
        })
    });
    g.finish();
}

/// Tokens `analyzer` makes of every paragraph, and their bytes (so nothing is optimised away).
fn run(analyzer: &mut TextAnalyzer, text: &str) -> usize {
    let mut stream = analyzer.token_stream(text);
    let mut n = 0;
    while stream.advance() {
        n += stream.token().text.len() + 1;
    }
    n
}

/// A passage's text read for its three fields: once, as a build reads it ([`text::forms`],
/// which also hands the roots to the fingerprints); by the three analyzers those fields' words
/// come from (`text_id` [`text::ID`], `text_en` [`text::EN`], `text_exact` [`text::EXACT`]),
/// as a build read it before; each analyzer alone; and tantivy's plain tokenizer.
fn tokenize(c: &mut Criterion, input: &Input, bytes: u64) {
    let mut id = text::indonesian_analyzer();
    let mut en = text::english_analyzer();
    let mut exact = text::exact_analyzer();
    let mut simple = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .build();
    let mut g = group(c, "tokenize");
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("pustaka_forms", |b| {
        b.iter(|| {
            input
                .paragraphs()
                .map(|t| {
                    let f = text::forms(black_box(t), |_, _| {});
                    f.exact.len() + f.roots.len() + f.stems.len()
                })
                .sum::<usize>()
        })
    });
    g.bench_function("pustaka_id_en_exact", |b| {
        b.iter(|| {
            input
                .paragraphs()
                .map(|t| {
                    let t = black_box(t);
                    run(&mut id, t) + run(&mut en, t) + run(&mut exact, t)
                })
                .sum::<usize>()
        })
    });
    for (name, analyzer) in [
        ("pustaka_id", &mut id),
        ("pustaka_en", &mut en),
        ("pustaka_exact", &mut exact),
        ("baseline_simple_lowercase", &mut simple),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                input
                    .paragraphs()
                    .map(|t| run(analyzer, black_box(t)))
                    .sum::<usize>()
            })
        });
    }
    g.finish();
}

/// `enrich::fingerprint::annotate` per document (every passage read once by `text::forms`
/// for its text fields' words and its roots; on each passage that can carry reuse, content
/// words, shingles of `K`, winnowing); the content words alone as reuse search reads them,
/// `fingerprint::words` (the Indonesian analyzer, function words dropped); and a baseline
/// hashing every `K`-gram of plain words with FNV, no stemming, stop words or winnowing.
fn fingerprints(c: &mut Criterion, input: &Input, bytes: u64) {
    let mut g = group(c, "fingerprints");
    g.throughput(Throughput::Bytes(bytes));
    let mut passages = input.passages.clone();
    g.bench_function("pustaka_enrich_fingerprint_annotate", |b| {
        b.iter(|| {
            for ps in passages.iter_mut() {
                enrich::fingerprint::annotate(
                    black_box(ps),
                    enrich::fingerprint::Reading::WithForms,
                );
            }
        })
    });
    g.bench_function("pustaka_words_only", |b| {
        b.iter(|| {
            input
                .reusable()
                .map(|t| fingerprint::words(black_box(t)).len())
                .sum::<usize>()
        })
    });
    g.bench_function("baseline_fnv_word_kgrams", |b| {
        b.iter(|| {
            input
                .reusable()
                .map(|t| fnv_kgrams(black_box(t)).len())
                .sum::<usize>()
        })
    });
    g.finish();
}

/// tantivy's own work on what a build adds: the passages (cut whole as a build cuts them,
/// citations, fingerprints and their fields' words read once included, outside the timing) as
/// pustaka's documents into an index made as a build makes one (`index::bench_index`: its
/// schema, analyzers and store settings), committed; beside the baseline, what tantivy-py's
/// default build does with the same passages: an id and the text in one field of tantivy's
/// default analyzer, stored. One indexing thread each, as a build has. The ratio is the floor
/// under the build's ratio to tantivy-py that the cutting stages above cannot lower.
fn indexing(c: &mut Criterion, input: &Input, bytes: u64) {
    let passages: Vec<Passage> = input
        .docs
        .iter()
        .flat_map(|d| ingest::cut_for_index(d).passages)
        .collect();
    let mut g = group(c, "indexing");
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("pustaka_fields", |b| {
        b.iter(|| {
            let (index, docs) = pustaka::index::bench_index(black_box(&passages));
            commit_all(&index, docs)
        })
    });
    // What of it is making the documents (fields, citation JSON), not indexing them.
    g.bench_function("pustaka_documents_only", |b| {
        b.iter(|| pustaka::index::bench_index(black_box(&passages)).1.len())
    });
    g.bench_function("baseline_id_and_default_text", |b| {
        b.iter(|| {
            let mut schema = Schema::builder();
            let id = schema.add_text_field("id", STRING | STORED);
            let text = schema.add_text_field("text", TEXT | STORED);
            let index = Index::create_in_ram(schema.build());
            let docs = black_box(&passages)
                .iter()
                .map(|p| doc!(id => p.id.as_str(), text => p.text.as_str()))
                .collect();
            commit_all(&index, docs)
        })
    });
    g.finish();
}

/// Adds `docs` to `index` through one indexing thread and commits; the documents indexed.
fn commit_all(index: &Index, docs: Vec<TantivyDocument>) -> u64 {
    let mut writer: IndexWriter = index
        .writer_with_num_threads(1, 100_000_000)
        .expect("a writer");
    for d in docs {
        writer.add_document(d).expect("a document added");
    }
    writer.commit().expect("a commit");
    index.reader().expect("a reader").searcher().num_docs()
}

/// FNV of every word, then of every run of `K` consecutive word hashes.
fn fnv_kgrams(text: &str) -> Vec<u64> {
    let words: Vec<u64> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| fnv(w.as_bytes()))
        .collect();
    words
        .windows(fingerprint::K)
        .map(|w| {
            w.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, x| {
                (h ^ x).wrapping_mul(0x0100_0000_01b3)
            })
        })
        .collect()
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .without_plots();
    targets = stages
}
criterion_main!(benches);
