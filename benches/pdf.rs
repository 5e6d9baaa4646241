//! PDF ingest on a 500-page PDF drawn from the seed texts (running header, page numbers,
//! paragraphs over page breaks): pdf-extract's bare extraction, the baseline, beside pustaka's
//! whole read-and-cut of the same file (extraction, cleaning, segmentation, enrichment), in
//! pages per second of wall time (criterion) and per CPU second, with the peak heap of each.
//! Needs `[[bench]] name = "pdf"` with `harness = false` in Cargo.toml; `scripts/bench_pdf.sh`
//! runs it and prints the figures the README quotes.

use std::alloc::{GlobalAlloc, Layout as AllocLayout, System};
use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pustaka::ingest::passages_of;
use pustaka::ingest::pdf;
use pustaka::ingest::read::{read_file, SourceFile};

#[path = "../tests/it/pdf_layout.rs"]
#[allow(dead_code)]
mod pdf_layout;

/// Pages of the bench PDF: a thesis or a book, the size the issue asks to measure.
const PAGES: usize = 500;

/// The system allocator, counting the bytes live and their peak: memory of a step is its
/// peak heap above what was live when it started.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: AllocLayout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: AllocLayout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Paragraphs of all five seed texts (lines as paragraphs, markdown emphasis dropped), repeated
/// until the laid-out text fills `PAGES` pages.
fn bench_pdf() -> (Vec<u8>, usize) {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files: Vec<PathBuf> = fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let paragraphs: Vec<String> = files
        .iter()
        .flat_map(|f| {
            let text = fs::read_to_string(f).unwrap();
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(winansi)
                .collect::<Vec<_>>()
        })
        .collect();
    let mut all = Vec::new();
    loop {
        all.extend(paragraphs.iter().cloned());
        let layout = pdf_layout::lay_out(&all);
        if layout.pages.len() >= PAGES {
            let pages: Vec<_> = layout.pages.into_iter().take(PAGES).collect();
            let cut = pdf_layout::Layout {
                pages,
                spans: Vec::new(),
            };
            return (pdf_layout::layout_pdf(&cut), PAGES);
        }
    }
}

/// A line as the test font can draw it (WinAnsi): what it cannot encode becomes `?`.
fn winansi(line: &str) -> String {
    line.replace(['*', '\t'], " ")
        .chars()
        .map(|c| {
            let mut buf = [0u8; 4];
            let (_, _, bad) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
            if bad || c.is_control() {
                '?'
            } else {
                c
            }
        })
        .collect()
}

/// CPU seconds this process has used (user + system), from /proc: the extraction runs on a
/// worker thread, so the whole process is counted.
fn cpu_seconds() -> f64 {
    let stat = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Fields 14 and 15 of stat (utime, stime), counted here from field 3, in 1/100 s.
    (ticks(11) + ticks(12)) / 100.0
}

/// CPU seconds and peak heap (MiB above the start) of one run of `work`.
fn measured<R>(work: impl FnOnce() -> R) -> (f64, f64, R) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let cpu = cpu_seconds();
    let out = work();
    let cpu = cpu_seconds() - cpu;
    let peak = (PEAK.load(Ordering::Relaxed) - base) as f64 / (1024.0 * 1024.0);
    (cpu, peak, out)
}

fn extract(bytes: &[u8]) -> usize {
    let got = pdf::extract(bytes.to_vec(), Duration::from_secs(600)).unwrap();
    got.text.len()
}

fn read_and_cut(path: &Path) -> usize {
    let (docs, bad) = read_file(&SourceFile::from_path(path).unwrap()).unwrap();
    assert!(bad.is_empty(), "{bad:?}");
    docs.iter().map(|d| passages_of(d).len()).sum()
}

/// One pass of each step with CPU time and peak heap, printed as the lines
/// `scripts/bench_pdf.sh` reports.
fn report(bytes: &[u8], path: &Path, pages: usize) {
    let (cpu_x, heap_x, _) = measured(|| extract(bytes));
    let (cpu_c, heap_c, passages) = measured(|| read_and_cut(path));
    let pages = pages as f64;
    println!(
        "pdf-bench: {pages} pages, {:.1} MiB file, {passages} passages",
        bytes.len() as f64 / (1024.0 * 1024.0)
    );
    println!(
        "pdf-bench: extraction (baseline) {:.0} pages/CPU-s, peak heap {heap_x:.0} MiB",
        pages / cpu_x
    );
    println!(
        "pdf-bench: read and cut {:.0} pages/CPU-s, peak heap {heap_c:.0} MiB; \
         {:.2}x the extraction's CPU time",
        pages / cpu_c,
        cpu_c / cpu_x
    );
}

fn pdf_ingest(c: &mut Criterion) {
    let (bytes, pages) = bench_pdf();
    let dir = std::env::temp_dir().join(format!("pustaka-bench-pdf-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bench.pdf");
    fs::write(&path, &bytes).unwrap();
    report(&bytes, &path, pages);

    let mut group = c.benchmark_group("pdf_500_pages");
    group.throughput(Throughput::Elements(pages as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("extract", |b| b.iter(|| extract(black_box(&bytes))));
    group.bench_function("read_and_cut", |b| {
        b.iter(|| read_and_cut(black_box(&path)))
    });
    group.finish();
    // Only what this bench wrote.
    let _ = fs::remove_file(&path);
    let _ = fs::remove_dir(&dir);
}

criterion_group!(benches, pdf_ingest);
criterion_main!(benches);
