//! The editor's similarity report of `check` (issue 17) on a manuscript assembled from seed
//! passages with known reuse: one paragraph copied without a citation, one reworded with a
//! citation of its source, one copied under another work's citation, a quotation, fresh
//! paragraphs and a bibliography. The figure, the sources, the attribution of each stretch and
//! every filter.

use crate::common::{self, run_cli, scratch, seed_index};
use pustaka::search::reuse::report::{word_spans, Attribution, ReportOptions};
use pustaka::search::reuse::CheckResponse;

fn passage(id: &str) -> String {
    common::seed_engine().passage(id).unwrap().unwrap().text
}

const FRESH_1: &str = "Penelitian ini menelaah bagaimana lembaga pemerintah daerah di Jawa \
    Barat menyusun layanan bagi penyintas eksploitasi, dengan wawancara kepada dua belas \
    petugas lapangan selama tahun 2024.";
const FRESH_2: &str = "Temuan lapangan kami menunjukkan bahwa koordinasi antarinstansi di \
    tingkat kabupaten masih bergantung pada hubungan pribadi para petugas, bukan pada prosedur \
    tertulis yang disepakati bersama.";
const BIBLIOGRAPHY: &str = "DAFTAR PUSTAKA\n\nSaragih, H. M., & Alfajri, A. (2023). Upaya IOM \
    dalam menangani kasus human trafficking di Indonesia tahun 2017-2022. Jurnal Ilmu Sosial, \
    12(1), 1-20.\n\nUNODC. (2020). Global report on trafficking in persons 2020. United Nations.";

/// The manuscript and the paragraphs planted in it: (text, planted reuse paragraphs).
fn manuscript() -> (String, Vec<String>) {
    let copied = passage("004_ee0b6ec72090fab7.txt#94");
    // 004#109 reworded: a few words replaced, one sentence dropped, a citation of its source.
    let reworded = passage("004_ee0b6ec72090fab7.txt#109")
        .replacen("terdapat", "ada", 1)
        .replacen("keterbatasan dana", "dana yang terbatas", 1)
        .replacen("terhadap korban", "pada korban", 1)
        .replacen(
            "di Indonesia.",
            "di Indonesia (Saragih & Alfajri, 2023).",
            1,
        );
    // 000's passage copied under a citation of another work.
    let other = passage("000_fcc74d82d28cc91d.txt#70");
    let other = format!("{} (UNODC, 2020)", other.trim_end());
    let quoted = "Seperti dicatat sebelumnya, \"PSO ini diharapkan dapat memberikan bantuan \
        terbaik bagi para korban perdagangan manusia, bahkan selama wabah COVID-19\" dan hal itu \
        menjadi titik tolak kajian ini.";
    let text = [
        "Perlindungan Korban dalam Kerja Sama Internasional",
        FRESH_1,
        &copied,
        &reworded,
        quoted,
        &other,
        FRESH_2,
        BIBLIOGRAPHY,
    ]
    .join("\n\n");
    (text, vec![copied, reworded, other])
}

fn check(text: &str, opts: &ReportOptions) -> CheckResponse {
    common::seed_engine()
        .check_cancellable(text, 0.5, opts, &pustaka::search::cancel::Cancel::never())
        .unwrap()
}

#[test]
fn the_report_gives_the_share_reused_the_source_and_who_cites_it() {
    let (text, planted) = manuscript();
    let r = check(&text, &ReportOptions::default()).report;
    // The planted paragraphs' words over the words counted (the bibliography left out).
    let planted_words: usize = planted.iter().map(|p| word_spans(p).len()).sum();
    let expected = planted_words as f32 / r.words as f32;
    println!(
        "similarity index {:.3} (planted {expected:.3}), {} of {} words, {} stretches, sources {:?}",
        r.similarity_index,
        r.matched_words,
        r.words,
        r.stretches.len(),
        r.sources.iter().map(|s| (&s.doc, s.words)).collect::<Vec<_>>()
    );
    assert!(
        (r.similarity_index - expected).abs() <= 0.05,
        "index {:.3}, planted {expected:.3}",
        r.similarity_index
    );
    assert_eq!(r.sources.len(), 2, "{:?}", r.sources);
    assert!(r.sources[0].doc.starts_with("004"));
    assert!(r.sources[1].doc.starts_with("000"));
    assert_eq!(
        r.sources.iter().map(|s| s.words).sum::<usize>(),
        r.matched_words
    );
    // Each planted paragraph's stretch says whether the manuscript cites its source there.
    let attribution_of = |needle: &str| {
        let s = r
            .stretches
            .iter()
            .find(|s| r.paragraphs[s.paragraph].text.contains(needle))
            .unwrap_or_else(|| panic!("no stretch in the paragraph with {needle:?}"));
        s.attribution
    };
    assert_eq!(attribution_of("Revisi Prosedur"), Attribution::Uncited);
    assert_eq!(
        attribution_of("(Saragih & Alfajri, 2023)"),
        Attribution::Attributed
    );
    assert_eq!(attribution_of("(UNODC, 2020)"), Attribution::CitesOther);
    // The reworded words are marked on both sides.
    let reworded = r
        .stretches
        .iter()
        .find(|s| s.attribution == Attribution::Attributed)
        .unwrap();
    let marked = |text: &str, spans: &[[usize; 2]]| -> Vec<String> {
        spans
            .iter()
            .map(|&[a, b]| text.chars().skip(a).take(b - a).collect())
            .collect()
    };
    let mine = marked(&r.paragraphs[reworded.paragraph].text, &reworded.differs);
    let theirs = marked(&reworded.passage_text, &reworded.passage_differs);
    assert!(mine.contains(&"ada".to_string()), "{mine:?}");
    assert!(theirs.contains(&"terdapat".to_string()), "{theirs:?}");
    // The fresh paragraphs hold no stretch; the quotation and bibliography are left out.
    assert!(r
        .stretches
        .iter()
        .all(|s| !r.paragraphs[s.paragraph].text.contains("Jawa")
            && !r.paragraphs[s.paragraph].text.contains("koordinasi")
            && !s.quoted));
    assert!(r.left_out.quoted_stretches >= 1, "{:?}", r.left_out);
    assert!(r.left_out.bibliography_words >= 30, "{:?}", r.left_out);
}

#[test]
fn each_filter_changes_the_report_as_it_says() {
    let (text, _) = manuscript();
    let base = check(&text, &ReportOptions::default()).report;
    // Quotations counted: the quoted stretch is in, marked quoted, and the index rises.
    let quotes = check(
        &text,
        &ReportOptions {
            include_quotes: true,
            ..ReportOptions::default()
        },
    )
    .report;
    assert!(quotes.stretches.iter().any(|s| s.quoted));
    assert!(quotes.matched_words > base.matched_words);
    assert_eq!(quotes.left_out.quoted_stretches, 0);
    // The bibliography counted: more words, its paragraphs counted.
    let bib = check(
        &text,
        &ReportOptions {
            include_bibliography: true,
            ..ReportOptions::default()
        },
    )
    .report;
    assert_eq!(bib.words, base.words + base.left_out.bibliography_words);
    assert!(bib.paragraphs.iter().all(|p| p.counted));
    // A document excluded (the manuscript's own earlier version): its matches go.
    let without = check(
        &text,
        &ReportOptions {
            exclude_docs: vec!["004".into()],
            ..ReportOptions::default()
        },
    )
    .report;
    assert!(without.sources.iter().all(|s| !s.doc.starts_with("004")));
    assert!(without.left_out.excluded_doc_stretches >= 2);
    assert!(without.similarity_index < base.similarity_index);
    // A long bar for stretches leaves only whole copied paragraphs.
    let long = check(
        &text,
        &ReportOptions {
            min_words: 60,
            ..ReportOptions::default()
        },
    )
    .report;
    assert!(long.stretches.iter().all(|s| s.words >= 60));
    assert!(long.left_out.short_stretches > 0);
}

#[test]
fn the_cli_writes_the_report_as_text_json_and_html_and_keeps_other_files() {
    let (text, _) = manuscript();
    let dir = scratch("report_cli");
    let ms = dir.join("naskah.txt");
    std::fs::write(&ms, &text).unwrap();
    let ms = ms.to_str().unwrap();
    let (out, err, ok) = run_cli(seed_index(), &["check", ms], None);
    assert!(ok, "{err}");
    let first = out.lines().next().unwrap();
    assert!(first.contains("% similarity index: "), "{first}");
    assert!(out.contains("quotations left out"), "{out}");
    assert!(out.contains("← 004_ee0b6ec72090fab7.txt#94"), "{out}");
    assert!(out.contains("[terdapat]"), "{out}");
    // JSON: the report first, the same figure as text.
    let (json, _, ok) = run_cli(seed_index(), &["check", ms, "--format", "json"], None);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let index = v["report"]["similarity_index"].as_f64().unwrap();
    assert!(
        first.starts_with(&format!("{:.0}%", index * 100.0)),
        "{first}"
    );
    // HTML to a file; written again over its own report, never over another file.
    let html = dir.join("report.html");
    let args = [
        "check",
        ms,
        "--format",
        "html",
        "-o",
        html.to_str().unwrap(),
    ];
    for _ in 0..2 {
        let (_, err, ok) = run_cli(seed_index(), &args, None);
        assert!(ok, "{err}");
    }
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("004_ee0b6ec72090fab7.txt"));
    let mine = dir.join("notes.html");
    std::fs::write(&mine, "<p>my notes</p>").unwrap();
    let args = [
        "check",
        ms,
        "--format",
        "html",
        "-o",
        mine.to_str().unwrap(),
    ];
    let (_, err, ok) = run_cli(seed_index(), &args, None);
    assert!(!ok);
    assert!(err.contains("is not a report pustaka wrote"), "{err}");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "<p>my notes</p>");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}
