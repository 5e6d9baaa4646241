//! Analyzer throughput on a paragraph of the seed corpus, [`stem_id`] word by word (as the
//! snippet code calls it; mostly hits of its per-thread memo), and a search's highlighting of
//! the seed corpus's paragraphs beside reading every word of them. Needs `[[bench]] name =
//! "analysis"` with `harness = false` in Cargo.toml.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pustaka::search::snippet::{highlights_reading_every_word, Highlighter, Matcher};
use pustaka::text::{analyzer_for, stem_en, stem_id};
use tantivy::tokenizer::TokenStream;

/// The allocator of the `pustaka` command (src/main.rs): this measures what the command runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// From corpus/004_ee0b6ec72090fab7.txt.
const PARAGRAPH: &str = "Human trafficking merupakan kejahatan terorganisir yang sulit diatasi. \
Praktik *human trafficking* telah ada sejak lama, dan contoh pertamanya adalah perdagangan budak \
Afrika yang melibatkan Amerika, Eropa, dan berbagai suku Afrika. Meskipun banyak pemerintah telah \
memperhatikan masalah ini, tantangan utamanya adalah menghentikan siklus perdagangan manusia. Saat \
ini, dikenal setidaknya 510 jenis perdagangan manusia di seluruh dunia. Perdagangan manusia \
melibatkan jaringan yang luas, terutama dalam perdagangan perempuan dan anak-anak untuk \
prostitusi. Kasus *human trafficking* di Indonesia terus meningkat setiap tahunnya, dan pemahaman \
tentang definisi perdagangan manusia menjadi penting untuk memahami isu ini secara keseluruhan.";

fn analyzers(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyze_paragraph");
    group.throughput(Throughput::Bytes(PARAGRAPH.len() as u64));
    for lang in ["id", "en", "exact"] {
        let mut analyzer = analyzer_for(lang);
        group.bench_function(lang, |b| {
            b.iter(|| {
                let mut stream = analyzer.token_stream(black_box(PARAGRAPH));
                let mut n = 0usize;
                while stream.advance() {
                    n += stream.token().text.len();
                }
                n
            })
        });
    }
    group.finish();
}

fn stemmer(c: &mut Criterion) {
    let words: Vec<&str> = PARAGRAPH
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut group = c.benchmark_group("stem_id");
    group.throughput(Throughput::Elements(words.len() as u64));
    group.bench_function("paragraph_words", |b| {
        b.iter(|| {
            words
                .iter()
                .map(|w| stem_id(black_box(w)).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

/// The forms a search for `perdagangan manusia eksploitasi` highlights, as its builder makes
/// them: the words, their roots and stems, and their English translations' stems.
fn query_matcher() -> Matcher {
    let words = ["perdagangan", "manusia", "eksploitasi"];
    let english = Matcher {
        en: ["trafficking", "human", "exploitation"]
            .iter()
            .map(|w| stem_en(w))
            .collect(),
        ..Matcher::default()
    };
    Matcher {
        exact: words.iter().map(|w| w.to_string()).collect(),
        id: words.iter().map(|w| stem_id(w)).collect(),
        en: words.iter().map(|w| stem_en(w)).collect(),
        translated: vec![("en".to_string(), english)],
        ..Matcher::default()
    }
}

/// Every paragraph of the seed corpus, as hits to highlight in Indonesian and in English.
fn highlight(c: &mut Criterion) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut paragraphs: Vec<String> = Vec::new();
    for f in std::fs::read_dir(dir).expect("corpus/") {
        if let Ok(text) = std::fs::read_to_string(f.expect("entry").path()) {
            paragraphs.extend(text.split("\n\n").map(str::to_string));
        }
    }
    let bytes: usize = paragraphs.iter().map(String::len).sum();
    let m = query_matcher();
    let mut group = c.benchmark_group("highlight");
    group.throughput(Throughput::Bytes(2 * bytes as u64));
    group.bench_function("reading_every_word", |b| {
        b.iter(|| {
            let mut n = 0;
            for p in &paragraphs {
                for lang in ["id", "en"] {
                    n += highlights_reading_every_word(black_box(p), &m, lang).len();
                }
            }
            n
        })
    });
    group.bench_function("highlighter", |b| {
        b.iter(|| {
            let h = Highlighter::new(&m);
            let mut n = 0;
            for p in &paragraphs {
                for lang in ["id", "en"] {
                    n += h.highlights_in(black_box(p), lang).len();
                }
            }
            n
        })
    });
    group.finish();
}

criterion_group!(benches, analyzers, stemmer, highlight);
criterion_main!(benches);
