//! Scanned PDFs (issue 15): skipped without `--ocr`, saying what they are and what to install;
//! read by tesseract with it, their passages marked OCR. The scan is
//! `tests/data/pdf/scanned-004.pdf`, two pages of seed 004 typeset, rasterized and wrapped as
//! images (`scripts/make_scanned_pdf.sh`, `tests/data/pdf/SOURCES.md`); what OCR should give
//! back is read from the seed itself.
//!
//! The tests that run tesseract are `#[ignore]`d: a user's machine may not have it. `.ci/run`
//! installs `tesseract-ocr tesseract-ocr-ind poppler-utils` and runs them.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use lopdf::{dictionary, Document as Pdf, Object, Stream};
use pustaka::ingest::read::{read_file, read_file_with, ReadOptions, SourceFile};

use crate::common::{manifest_dir, run_cli, scratch};

fn scan() -> PathBuf {
    manifest_dir().join("tests/data/pdf/scanned-004.pdf")
}

/// The seed lines each page of the scan was typeset from (1-based, inclusive), as
/// `scripts/make_scanned_pdf.sh` takes them.
const PAGES: [(u32, usize, usize); 2] = [(1, 13, 17), (2, 19, 25)];

/// The words of page `n` of the scan, from the seed text it was made of.
fn seed_words(n: u32) -> Vec<String> {
    let seed = fs::read_to_string(manifest_dir().join("corpus/004_ee0b6ec72090fab7.txt")).unwrap();
    let (_, first, last) = PAGES.iter().find(|p| p.0 == n).unwrap();
    let lines: Vec<&str> = seed
        .lines()
        .skip(first - 1)
        .take(last - first + 1)
        .collect();
    words(&lines.join("\n"))
}

/// Lowercased runs of letters and digits: what a reader compares, whatever the punctuation.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Share of `expected` words (with repeats) found in `got`, each found word used once.
fn recall(expected: &[String], got: &[String]) -> f64 {
    let mut have: HashMap<&str, usize> = HashMap::new();
    for w in got {
        *have.entry(w).or_default() += 1;
    }
    let found = expected
        .iter()
        .filter(|w| match have.get_mut(w.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        })
        .count();
    found as f64 / expected.len() as f64
}

/// `pustaka ARGS` with environment variables set; stdout, stderr, success.
fn cli_env(index: &Path, args: &[&str], env: &[(&str, &str)]) -> (String, String, bool) {
    let out = Command::new(env!("CARGO_BIN_EXE_pustaka"))
        .arg("--index")
        .arg(index)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    )
}

/// A corpus of the scan and one seed text beside it, so that a run is seen to go on.
fn corpus_with_scan(name: &str) -> PathBuf {
    let dir = scratch(name);
    let corpus = dir.join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    fs::copy(scan(), corpus.join("scanned-004.pdf")).unwrap();
    fs::copy(
        manifest_dir().join("corpus/000_fcc74d82d28cc91d.txt"),
        corpus.join("000.txt"),
    )
    .unwrap();
    dir
}

#[test]
fn a_scan_without_ocr_is_skipped_naming_scanning_and_its_pages() {
    let why = read_file(&SourceFile::from_path(&scan()).unwrap())
        .unwrap_err()
        .reason;
    assert!(
        why.contains("no text layer in its 2 pages (a scanned PDF)"),
        "{why}"
    );
    assert!(
        why.contains("rerun with --ocr (needs Debian's tesseract-ocr and tesseract-ocr-ind)"),
        "{why}"
    );
    let dir = corpus_with_scan("ocr_off");
    let (out, err, ok) = run_cli(
        &dir.join("index"),
        &["index", dir.join("corpus").to_str().unwrap()],
        None,
    );
    assert!(ok, "{err}");
    assert!(out.contains("1 documents"), "{out}");
    assert!(
        out.contains("scanned-004.pdf: no text layer in its 2 pages"),
        "{out}"
    );
}

#[test]
fn without_tesseract_ocr_names_the_packages_and_the_run_goes_on() {
    let dir = corpus_with_scan("ocr_missing");
    let corpus = dir.join("corpus");
    let env = [("PUSTAKA_TESSERACT", "/nonexistent/tesseract")];
    let args = ["index", "--ocr", corpus.to_str().unwrap()];
    let (out, err, ok) = cli_env(&dir.join("index"), &args, &env);
    assert!(ok, "{err}");
    assert!(out.contains("1 documents"), "{out}");
    let line = out
        .lines()
        .find(|l| l.contains("scanned-004.pdf"))
        .unwrap_or_else(|| panic!("no reason for the scan: {out}"));
    for needed in [
        "scanned PDF (2 pages) not read by OCR",
        "tesseract not found (PUSTAKA_TESSERACT=/nonexistent/tesseract)",
        "tesseract-ocr and tesseract-ocr-ind",
        "sudo apt-get install tesseract-ocr tesseract-ocr-ind",
    ] {
        assert!(line.contains(needed), "{needed:?} not in {line}");
    }
    // The same for a PDF given to check.
    let (_, err, ok) = cli_env(
        &dir.join("index"),
        &["check", "--ocr", scan().to_str().unwrap()],
        &env,
    );
    assert!(!ok);
    assert!(
        err.contains("apt-get install tesseract-ocr tesseract-ocr-ind"),
        "{err}"
    );
}

/// The passages `pustaka passages --ocr --json` gives for `pdf`, with `env` set.
fn ocr_passages(pdf: &Path, env: &[(&str, &str)]) -> Vec<serde_json::Value> {
    let dir = scratch("ocr_passages_index");
    let args = ["passages", "--ocr", "--json", pdf.to_str().unwrap()];
    let (out, err, ok) = cli_env(&dir, &args, env);
    assert!(ok, "{err}");
    assert!(!err.contains("skipped"), "{err}");
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// At least 90% of each page's words come back, on that page, and every passage is marked.
fn check_pages(passages: &[serde_json::Value], pages: &[u32]) {
    assert!(!passages.is_empty());
    for p in passages {
        assert_eq!(p["ocr"], true, "{p}");
    }
    for &n in pages {
        let text: Vec<&str> = passages
            .iter()
            .filter(|p| p["page"] == n)
            .map(|p| p["text"].as_str().unwrap())
            .collect();
        let r = recall(&seed_words(n), &words(&text.join("\n")));
        eprintln!("page {n}: {:.1}% of the seed's words", r * 100.0);
        assert!(r >= 0.9, "page {n}: only {:.1}% of its words", r * 100.0);
    }
}

#[test]
#[ignore = "needs tesseract-ocr and tesseract-ocr-ind"]
fn ocr_reads_the_scan_page_by_page() {
    let opts = ReadOptions {
        ocr: true,
        ..ReadOptions::default()
    };
    let (docs, bad) = read_file_with(&SourceFile::from_path(&scan()).unwrap(), opts).unwrap();
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(docs[0].scanned.ocr, [1, 2]);
    assert_eq!(docs[0].text.matches('\x0c').count(), 2);
    let passages: Vec<serde_json::Value> = pustaka::ingest::passages_of(&docs[0])
        .iter()
        .map(|p| serde_json::to_value(p).unwrap())
        .collect();
    check_pages(&passages, &[1, 2]);
}

#[test]
#[ignore = "needs tesseract-ocr and tesseract-ocr-ind"]
fn without_pdftoppm_the_pages_own_jpegs_are_read() {
    let env = [("PUSTAKA_PDFTOPPM", "/nonexistent/pdftoppm")];
    check_pages(&ocr_passages(&scan(), &env), &[1, 2]);
}

/// Page 2 of the scan as 8-bit grey pixels (rendered by pdftoppm), in a PDF of its own whose
/// image is compressed with Flate: what some scanners write instead of JPEG.
fn flate_scan(dir: &Path) -> PathBuf {
    let stem = dir.join("page");
    let status = Command::new("pdftoppm")
        .args(["-r", "150", "-gray", "-singlefile", "-f", "2", "-l", "2"])
        .arg(scan())
        .arg(&stem)
        .status()
        .expect("pdftoppm (poppler-utils) renders the test's page");
    assert!(status.success());
    let pgm = fs::read(stem.with_extension("pgm")).unwrap();
    let header: Vec<&[u8]> = pgm.splitn(4, |&b| b == b'\n').collect();
    let size: Vec<i64> = std::str::from_utf8(header[1])
        .unwrap()
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect();
    let mut doc = Pdf::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut image = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => size[0], "Height" => size[1],
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        },
        header[3].to_vec(),
    );
    image.compress().unwrap();
    let image = doc.add_object(image);
    let (w, h) = (size[0] * 72 / 150, size[1] * 72 / 150);
    let content = format!("q {w} 0 0 {h} 0 0 cm /Im0 Do Q").into_bytes();
    let content = doc.add_object(Stream::new(dictionary! {}, content));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content,
        "MediaBox" => vec![0.into(), 0.into(), w.into(), h.into()],
        "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Count" => 1, "Kids" => vec![Object::Reference(page)],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let path = dir.join("flate-scan.pdf");
    doc.save(&path).unwrap();
    path
}

#[test]
#[ignore = "needs tesseract-ocr and tesseract-ocr-ind"]
fn without_pdftoppm_flate_grey_pixels_are_read() {
    let dir = scratch("ocr_flate");
    let pdf = flate_scan(&dir);
    let env = [("PUSTAKA_PDFTOPPM", "/nonexistent/pdftoppm")];
    let passages = ocr_passages(&pdf, &env);
    // The page is page 1 of its own PDF: compare it with the seed's page 2.
    let text: Vec<&str> = passages
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert!(passages.iter().all(|p| p["ocr"] == true && p["page"] == 1));
    let r = recall(&seed_words(2), &words(&text.join("\n")));
    assert!(r >= 0.9, "only {:.1}% of its words", r * 100.0);
}

#[test]
#[ignore = "needs tesseract-ocr and tesseract-ocr-ind"]
fn ocr_passages_are_indexed_marked_and_shown_so() {
    let dir = corpus_with_scan("ocr_index");
    let index = dir.join("index");
    let corpus = dir.join("corpus");
    let (out, err, ok) = run_cli(&index, &["index", "--ocr", corpus.to_str().unwrap()], None);
    assert!(ok, "{err}");
    assert!(out.contains("2 documents"), "{out}");
    assert!(!out.contains("skipped"), "{out}");
    // A word of page 2 (the Indonesian abstract), found in the OCR'd text.
    let (out, _, ok) = run_cli(
        &index,
        &["search", "kampanye", "doc:scanned", "--json"],
        None,
    );
    assert!(ok, "{out}");
    let resp: serde_json::Value = serde_json::from_str(&out).unwrap();
    let hit = &resp["hits"][0];
    assert_eq!(
        (hit["ocr"].clone(), hit["page"].clone()),
        (true.into(), 2.into()),
        "{hit}"
    );
    let id = hit["id"].as_str().unwrap();
    let (out, _, _) = run_cli(&index, &["search", "kampanye", "doc:scanned"], None);
    assert!(
        out.contains("page 2, lines ") && out.contains(" · OCR"),
        "{out}"
    );
    let (out, _, ok) = run_cli(&index, &["show", id, "--json"], None);
    assert!(ok);
    let shown: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(shown["passage"]["ocr"], true, "{shown}");
    // A text document's passages are not marked.
    let (out, _, _) = run_cli(
        &index,
        &["search", "perdagangan", "doc:000", "--json"],
        None,
    );
    let resp: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(resp["hits"][0].get("ocr").is_none(), "{}", resp["hits"][0]);
}

/// The scan with a text layer on its first page (a line of the seed's English abstract over
/// the image): a born-digital PDF with a scanned page in it.
fn mixed_pdf(dir: &Path) -> PathBuf {
    let mut doc = Pdf::load(scan()).unwrap();
    let first = doc.get_pages()[&1];
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let text = b"BT /F1 10 Tf 72 20 Td (This research discusses the efforts of IOM) Tj ET".to_vec();
    let text = doc.add_object(Stream::new(dictionary! {}, text));
    let page = doc.get_object_mut(first).unwrap().as_dict_mut().unwrap();
    let image_content = page.get(b"Contents").unwrap().clone();
    page.set("Contents", vec![image_content, Object::Reference(text)]);
    let resources = page.get_mut(b"Resources").unwrap().as_dict_mut().unwrap();
    resources.set("Font", dictionary! { "F1" => font });
    let path = dir.join("mixed.pdf");
    doc.save(&path).unwrap();
    path
}

#[test]
fn a_scanned_page_among_text_pages_is_named_and_the_rest_indexed() {
    let dir = scratch("ocr_mixed");
    let pdf = mixed_pdf(&dir);
    let (docs, bad) = read_file(&SourceFile::from_path(&pdf).unwrap()).unwrap();
    assert!(
        docs[0].text.contains("This research discusses"),
        "{}",
        docs[0].text
    );
    assert_eq!(docs[0].scanned.unread, [2]);
    let reasons: Vec<&str> = bad.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(
        reasons[0].starts_with("page 2 of 2 has no text layer (scanned); rerun with --ocr"),
        "{reasons:?}"
    );
}

#[test]
#[ignore = "needs tesseract-ocr and tesseract-ocr-ind"]
fn an_index_run_with_ocr_reads_the_scanned_page_of_an_unchanged_pdf() {
    let dir = scratch("ocr_mixed_index");
    let corpus = dir.join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    mixed_pdf(&corpus);
    let index = dir.join("index");
    let root = corpus.to_str().unwrap();
    let (out, err, ok) = run_cli(&index, &["index", root], None);
    assert!(ok, "{err}");
    assert!(out.contains("page 2 of 2 has no text layer"), "{out}");
    let (out, _, ok) = run_cli(&index, &["search", "kampanye"], None);
    assert!(!ok, "page 2 is not indexed yet: {out}");
    // The file has not changed; --ocr reads it again for its scanned page.
    let (out, err, ok) = run_cli(&index, &["index", "--ocr", root], None);
    assert!(ok, "{err}");
    assert!(out.contains("1 files indexed"), "{out}");
    assert!(!out.contains("skipped"), "{out}");
    let (out, _, ok) = run_cli(&index, &["search", "kampanye", "--json"], None);
    assert!(ok, "{out}");
    let resp: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(resp["hits"][0]["page"], 2);
    assert_eq!(resp["hits"][0]["ocr"], true);
    let (out, _, ok) = run_cli(&index, &["search", "\"efforts of IOM\"", "--json"], None);
    assert!(ok, "{out}");
    let resp: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(resp["hits"][0]["page"], 1);
    assert!(resp["hits"][0].get("ocr").is_none());
}

/// A manuscript checked with a page left unread says so in its report, on the command line and
/// over HTTP alike (the server reads uploads without OCR): the figure covers the rest only.
#[test]
fn a_checked_manuscript_with_an_unread_page_says_so_in_its_report() {
    let dir = scratch("ocr_mixed_check");
    let pdf = mixed_pdf(&dir);
    let said = |report: &serde_json::Value| {
        let unread = report["unread"].as_array().expect("report.unread").clone();
        assert_eq!(unread.len(), 1, "{unread:?}");
        let note = unread[0].as_str().unwrap().to_string();
        assert!(note.contains("page 2 of 2 has no text layer"), "{note}");
        note
    };
    let index = crate::common::seed_index();
    let (out, err, _) = run_cli(index, &["check", "--json", pdf.to_str().unwrap()], None);
    let cli: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{err}"));
    let note = said(&cli["report"]);
    let (text, _, _) = run_cli(index, &["check", pdf.to_str().unwrap()], None);
    assert!(text.contains(&format!("not checked: {note}")), "{text}");

    let args = [std::ffi::OsStr::new("--index"), index.as_os_str()];
    let (mut server, port) = crate::common::spawn_server(&args, &[]);
    let bytes = fs::read(&pdf).unwrap();
    let post = |query: &str| {
        let path = format!("/api/check?filename=mixed.pdf{query}");
        crate::common::post_typed(port, &path, "application/pdf", &bytes)
    };
    let (status, _, body) = post("");
    let served: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status, 200, "{served}");
    assert!(said(&served["report"]).contains("page 2 of 2"));
    let (status, _, html) = post("&format=html");
    let html = String::from_utf8(html).unwrap();
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Not checked: ") && html.contains("no text layer"));
    server.kill().unwrap();
    server.wait().unwrap();
}
