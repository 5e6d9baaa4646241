//! Boilerplate removal must take page furniture and nothing else: tables, lists of figures and
//! numbered lists repeat the shape of a line on nearby lines, running headers and footers repeat
//! it a page apart. The two `measure_*` tests print what removal costs on the seed corpus and on
//! `../shared/corpus-large` (lines removed, the document losing most, a sample; the second is
//! `#[ignore]`d like every test that needs corpus-large, hence `--include-ignored`):
//!
//! ```sh
//! cargo test --release --test it boilerplate::measure -- --include-ignored --nocapture --test-threads 1
//! ```

use crate::common;

use std::collections::HashMap;
use std::fs;
use std::path::PathBuf;

use pustaka::ingest::normalize::removed_boilerplate;
use pustaka::ingest::read::{read_file, SourceFile};
use pustaka::{ingest, Document, Passage};

fn passages(text: &str) -> Vec<Passage> {
    ingest::passages_of(&Document {
        id: "synthetic.txt".into(),
        path: PathBuf::from("synthetic.txt"),
        record_line: None,
        title_hint: None,
        lang_hint: None,
        text: text.into(),
        encoding: "UTF-8",
        scanned: Default::default(),
    })
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// All passage text, white space squashed, so that a table row can be looked for whatever way
/// the segmenter joined the rows.
fn all_text(ps: &[Passage]) -> String {
    squash(
        &ps.iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Prose lines of the seed thesis 000, as its PDF extraction wrapped them: realistic body text
/// for the synthetic documents, each line different.
fn body_lines() -> Vec<String> {
    let text =
        fs::read_to_string(common::manifest_dir().join("corpus/000_fcc74d82d28cc91d.txt")).unwrap();
    text.lines()
        .map(str::trim)
        .filter(|l| l.len() > 50 && !l.contains("...."))
        .map(String::from)
        .collect()
}

fn assert_all_kept(ps: &[Passage], lines: &[String]) {
    let all = all_text(ps);
    let lost: Vec<&String> = lines.iter().filter(|l| !all.contains(&squash(l))).collect();
    assert!(
        lost.is_empty(),
        "{} of {} lines lost: {lost:?}",
        lost.len(),
        lines.len()
    );
}

/// A deterministic stream of small numbers, so the tables look like data, not a pattern.
fn numbers(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut state = seed;
    move |modulus| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % modulus
    }
}

#[test]
fn a_numeric_table_without_page_breaks_keeps_every_row() {
    let body = body_lines();
    let mut n = numbers(7);
    let rows: Vec<String> = (1..=60)
        .map(|i| {
            format!(
                "{i}  {}.{:02}  {}.{}  {}",
                n(10),
                n(100),
                n(100),
                n(10),
                n(1000)
            )
        })
        .collect();
    // Enough hard-wrapped prose around the table for the document to read as wrapped text,
    // where lines of bare numbers elsewhere are a chart's axis labels.
    let mut text = body[..60].join("\n");
    text.push_str("\nTabel 3. Indeks kerentanan per wilayah pengamatan\n");
    text.push_str("No  Rasio  Indeks  Kasus\n");
    text.push_str(&rows.join("\n"));
    text.push_str("\nSumber: Bareskrim Polri, 2020\n");
    text.push_str(&body[60..120].join("\n"));
    let ps = passages(&text);
    assert_all_kept(&ps, &rows);
}

#[test]
fn a_table_of_labelled_rows_without_page_breaks_keeps_every_row() {
    // `Tabel 3 … 2019 12,5 …`: every row has the same words around different numbers.
    let body = body_lines();
    let mut n = numbers(11);
    let rows: Vec<String> = (1..=60)
        .map(|i| {
            format!(
                "Kabupaten {i}  2019  {},{}  {},{}  {}",
                n(40),
                n(10),
                n(40),
                n(10),
                n(500)
            )
        })
        .collect();
    let mut text = body[..15].join("\n");
    text.push_str("\nTabel 3 Jumlah korban perdagangan orang menurut kabupaten, 2019\n");
    text.push_str(&rows.join("\n"));
    text.push('\n');
    text.push_str(&body[15..30].join("\n"));
    let ps = passages(&text);
    assert_all_kept(&ps, &rows);
}

#[test]
fn a_list_of_figures_and_a_numbered_list_keep_every_entry() {
    let body = body_lines();
    let figures: Vec<String> = (2015..=2022)
        .enumerate()
        .map(|(i, year)| {
            format!(
                "Gambar 4.{} Grafik Perkembangan Kasus TPPO Tahun {year} ........ {}",
                i + 1,
                45 + 2 * i
            )
        })
        .collect();
    let cases: Vec<String> = [
        "Putusan Nomor 1201/Pid.Sus/2019/PN Jkt.Utr tentang perdagangan orang.",
        "Putusan Nomor 87/Pid.Sus/2020/PN Jkt.Utr tentang perdagangan orang.",
        "Putusan Nomor 455/Pid.Sus/2020/PN Jkt.Utr tentang perdagangan orang.",
        "Putusan Nomor 1032/Pid.Sus/2021/PN Jkt.Utr tentang perdagangan orang.",
        "Putusan Nomor 16/Pid.Sus/2022/PN Jkt.Utr tentang perdagangan orang.",
    ]
    .iter()
    .enumerate()
    .map(|(i, c)| format!("{}. {c}", i + 1))
    .collect();
    let mut text = String::from("DAFTAR GAMBAR\n");
    text.push_str(&figures.join("\n"));
    text.push('\n');
    text.push_str(&body[..20].join("\n"));
    text.push_str("\nPutusan yang dikaji dalam penelitian ini adalah sebagai berikut:\n");
    text.push_str(&cases.join("\n"));
    text.push('\n');
    text.push_str(&body[20..40].join("\n"));
    let ps = passages(&text);
    assert_all_kept(&ps, &figures);
    assert_all_kept(&ps, &cases);
}

#[test]
fn subheadings_repeated_at_irregular_gaps_are_kept() {
    // A taxonomic paper (as PLOS pone.0120924 in corpus-large): every species description has
    // the same subheadings, at gaps that follow the length of each description.
    let body = body_lines();
    let mut n = numbers(13);
    let mut text = String::new();
    let mut at = 0;
    let mut headings = 0;
    for species in 1..=10 {
        text.push_str(&format!("Conus sp. {species}\n"));
        for heading in ["Material examined", "Description", "Remarks"] {
            text.push_str(heading);
            text.push('\n');
            headings += 1;
            let len = 2 + n(25) as usize;
            text.push_str(&body[at..at + len].join("\n"));
            text.push('\n');
            at += len;
        }
    }
    let removed = removed_boilerplate(&text);
    assert!(
        removed.is_empty(),
        "{} of {headings}: {removed:?}",
        removed.len()
    );
}

#[test]
fn a_running_header_every_fifty_lines_without_page_breaks_is_removed() {
    let body = body_lines();
    let header = "Jurnal Hubungan Internasional Vol. 9 No. 2 Desember 2020";
    let mut text = String::new();
    let mut n = numbers(3);
    let mut next = 0;
    for (i, line) in body[..400].iter().enumerate() {
        if i == next {
            text.push_str(header);
            text.push('\n');
            next += 47 + n(7) as usize;
        }
        text.push_str(line);
        text.push('\n');
    }
    let ps = passages(&text);
    let all = all_text(&ps);
    assert!(!all.contains("Jurnal Hubungan Internasional"), "{all}");
    assert_all_kept(&ps, &body[..5]);
}

#[test]
fn with_form_feeds_a_header_on_most_pages_is_removed() {
    let body = body_lines();
    let header = "Jurnal Ilmu Sosial dan Ilmu Politik Vol. 12 No. 1";
    let mut text = String::new();
    for page in 0..10 {
        if page < 8 {
            text.push_str(header);
            text.push('\n');
        }
        text.push_str(&body[page * 30..page * 30 + 30].join("\n"));
        text.push_str(&format!("\n{}\n\x0c", page + 1));
    }
    let ps = passages(&text);
    assert!(!all_text(&ps).contains("Ilmu Sosial dan Ilmu Politik"));
    assert!(ps.len() > 5);
}

#[test]
fn with_form_feeds_table_rows_on_many_pages_are_kept() {
    // A statistical appendix: the same shape of row many times on each page is a table, not a
    // running line, however many pages it runs over.
    let body = body_lines();
    let mut n = numbers(5);
    let mut rows = Vec::new();
    let mut text = String::new();
    for page in 0..6 {
        text.push_str("Jurnal Ilmu Sosial dan Ilmu Politik Vol. 12 No. 1\n");
        text.push_str(&body[page * 20..page * 20 + 20].join("\n"));
        text.push('\n');
        if (1..5).contains(&page) {
            for _ in 0..10 {
                let row = format!("{}  {}.{:02}  {}", n(100), n(10), n(100), n(1000));
                text.push_str(&row);
                text.push('\n');
                rows.push(row);
            }
        }
        text.push_str(&format!("{}\n\x0c", page + 1));
    }
    let ps = passages(&text);
    assert_all_kept(&ps, &rows);
    assert!(!all_text(&ps).contains("Ilmu Sosial dan Ilmu Politik"));
}

#[test]
fn a_three_page_decision_keeps_what_it_repeats_from_charge_to_verdict() {
    let body = body_lines();
    let evidence =
        "- 1 (satu) unit sepeda motor merk Honda Supra Fit warna hitam tanpa nomor polisi;";
    let judge = "Arif Budiman, S.H., M.H.";
    let mut text = String::new();
    for page in 0..3 {
        text.push_str("Direktori Putusan Mahkamah Agung Republik Indonesia\n");
        text.push_str(&body[page * 25..page * 25 + 25].join("\n"));
        text.push('\n');
        if page != 1 {
            text.push_str(&format!("Menetapkan barang bukti berupa:\n{evidence}\n"));
            text.push_str(&format!("Hakim Ketua,\n{judge}\n"));
        }
        text.push_str(&format!(
            "Halaman {} dari 3 Putusan Nomor 12/Pid.B/2024/PN Bkn\n\x0c",
            page + 1
        ));
    }
    let ps = passages(&text);
    let all = all_text(&ps);
    assert_eq!(all.matches(evidence).count(), 2, "{all}");
    assert_eq!(all.matches(judge).count(), 2, "{all}");
    assert!(!all.contains("Direktori Putusan"));
    assert!(!all.contains("dari 3 Putusan"));
}

/// Lines removed per document: `(id, removed lines as (line number, text))`.
type Removed = Vec<(String, Vec<(usize, String)>)>;

fn report(name: &str, removed: &Removed) {
    let total: usize = removed.iter().map(|(_, r)| r.len()).sum();
    let with_any = removed.iter().filter(|(_, r)| !r.is_empty()).count();
    let (max_doc, max) = removed
        .iter()
        .map(|(d, r)| (d.as_str(), r.len()))
        .max_by_key(|&(d, n)| (n, std::cmp::Reverse(d)))
        .unwrap_or(("-", 0));
    eprintln!(
        "{name}: {total} lines removed as boilerplate in {with_any} of {} documents; \
         most in one document: {max} ({max_doc})",
        removed.len()
    );
    let all: Vec<(&str, &(usize, String))> = removed
        .iter()
        .flat_map(|(d, r)| r.iter().map(move |l| (d.as_str(), l)))
        .collect();
    let mut forms: HashMap<String, usize> = HashMap::new();
    for (_, (_, text)) in &all {
        let form: String = text
            .chars()
            .map(|c| if c.is_ascii_digit() { '0' } else { c })
            .collect();
        *forms.entry(form).or_default() += 1;
    }
    let mut forms: Vec<(String, usize)> = forms.into_iter().collect();
    forms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    eprintln!("  most removed forms (digits as 0):");
    for (form, n) in forms.iter().take(8) {
        eprintln!("    {n:>6}  {form:?}");
    }
    eprintln!("  a sample:");
    let step = (all.len() / 12).max(1);
    for (d, (no, text)) in all.iter().step_by(step).take(12) {
        eprintln!("  {d}:{no}: {text:?}");
    }
}

#[test]
fn measure_seed_corpus() {
    let mut removed: Removed = Vec::new();
    let mut paths: Vec<PathBuf> = fs::read_dir(common::manifest_dir().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths {
        let text = fs::read_to_string(&path).unwrap();
        let id = path.file_name().unwrap().to_string_lossy().into_owned();
        removed.push((id, removed_boilerplate(&text)));
    }
    report("seed corpus", &removed);
    // The seed corpus has one running footer (003's `JOM FISIP Vol. 4 No.2 - Oktober 2017 Page
    // N`, where the extraction kept it whole); everything else that repeats there is content.
    let lines: Vec<&String> = removed
        .iter()
        .flat_map(|(_, r)| r.iter().map(|l| &l.1))
        .collect();
    assert!(lines.len() >= 3, "{lines:?}");
    assert!(
        lines.iter().all(|l| l.starts_with("JOM FISIP Vol. 4")),
        "{lines:?}"
    );
}

#[test]
#[ignore = "needs ../shared/corpus-large (run by .ci/run)"]
fn measure_corpus_large() {
    let files = common::corpus_large();
    let mut court: Removed = Vec::new();
    let mut plos: Removed = Vec::new();
    for file in &files {
        let (docs, _) = read_file(&SourceFile::from_path(file).unwrap()).unwrap();
        for doc in docs {
            let r = removed_boilerplate(&doc.text);
            if doc.text.contains('\x0c') {
                court.push((doc.id, r));
            } else {
                plos.push((doc.id, r));
            }
        }
    }
    report("corpus-large, court decisions (form feeds)", &court);
    report("corpus-large, PLOS articles (no page breaks)", &plos);
    // The PLOS texts were converted from XML: they have no page furniture at all, so whatever
    // is removed from them is content (section headings, table captions).
    let plos_removed: Vec<_> = plos.iter().filter(|(_, r)| !r.is_empty()).collect();
    assert!(
        plos_removed.is_empty(),
        "{:?}",
        &plos_removed[..plos_removed.len().min(3)]
    );
    assert!(court.iter().filter(|(_, r)| !r.is_empty()).count() >= 500);
}
