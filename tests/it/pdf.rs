//! PDFs read directly (issue 15, first slice), on PDFs made here from the seed texts: a
//! running header and a page number on every page, lines wrapped as a typesetter would,
//! paragraphs running over page breaks. Nothing binary is committed; lopdf writes the files.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use lopdf::Document as Pdf;
use pustaka::ingest::passages_of;
use pustaka::ingest::read::{discover, read_file, SourceFile};
use pustaka::model::Passage;

use crate::common::{manifest_dir, run_cli, scratch, seed_index, words_only as norm};
use crate::pdf_layout::{lay_out, layout_pdf, page_content, pdf_document, save, Layout, HEADER};

/// The seed article 004 from its introduction up to its first table (tables are laid out
/// differently in a PDF): its text-file lines, as they are, and as paragraphs without the
/// markdown emphasis a PDF does not have.
fn seed_span() -> (String, Vec<String>) {
    let text = fs::read_to_string(manifest_dir().join("corpus/004_ee0b6ec72090fab7.txt")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| *l == "PENDAHULUAN").unwrap();
    let end = start
        + lines[start..]
            .iter()
            .position(|l| l.starts_with("Tabel 1"))
            .unwrap();
    let span = lines[start..end].join("\n");
    let paragraphs = lines[start..end]
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.replace('*', ""))
        .collect();
    (span, paragraphs)
}

fn passages_of_file(path: &Path) -> Vec<Passage> {
    let (docs, bad) = read_file(&SourceFile::from_path(path).unwrap()).unwrap();
    assert!(bad.is_empty(), "{bad:?}");
    passages_of(&docs[0])
}

/// The page each normalized word offset of the laid-out text stands on.
fn page_at(layout: &Layout) -> (String, Vec<(usize, u32)>) {
    let mut stream = String::new();
    let mut starts = Vec::new();
    for (i, lines) in layout.pages.iter().enumerate() {
        starts.push((stream.len(), i as u32 + 1));
        for (_, line) in lines {
            stream.push_str(&norm(line));
            stream.push(' ');
        }
    }
    (stream, starts)
}

fn expected_page(stream: &str, starts: &[(usize, u32)], text: &str) -> Option<u32> {
    let at = stream.find(text)?;
    starts.iter().rev().find(|(s, _)| *s <= at).map(|(_, p)| *p)
}

#[test]
fn a_pdf_of_a_seed_text_gives_its_passages_with_their_pages() {
    let dir = scratch("pdf_seed");
    let (span, paragraphs) = seed_span();
    let layout = lay_out(&paragraphs);
    assert!(layout.pages.len() >= 3, "{} pages", layout.pages.len());
    fs::create_dir_all(dir.join("txt")).unwrap();
    fs::write(dir.join("txt/004.txt"), &span).unwrap();
    fs::write(dir.join("004.pdf"), layout_pdf(&layout)).unwrap();

    let started = Instant::now();
    let from_pdf = passages_of_file(&dir.join("004.pdf"));
    let took = started.elapsed();
    let from_txt = passages_of_file(&dir.join("txt/004.txt"));
    let pdf_norms: Vec<String> = from_pdf.iter().map(|p| norm(&p.text)).collect();
    let found = from_txt
        .iter()
        .filter(|t| pdf_norms.contains(&norm(&t.text)))
        .count();
    let coverage = found as f64 / from_txt.len() as f64;
    eprintln!(
        "PDF of 004 ({} pages): {found} of {} text-file passages found ({:.1}%), {} PDF passages, \
         read and cut in {:.1} ms ({:.1} ms a page)",
        layout.pages.len(),
        from_txt.len(),
        coverage * 100.0,
        from_pdf.len(),
        took.as_secs_f64() * 1000.0,
        took.as_secs_f64() * 1000.0 / layout.pages.len() as f64
    );
    assert!(coverage >= 0.97, "only {:.1}% found", coverage * 100.0);

    let (stream, starts) = page_at(&layout);
    for (p, n) in from_pdf.iter().zip(&pdf_norms) {
        assert!(!n.contains(&norm(HEADER)), "running header in {}", p.text);
        assert!(
            !n.chars().all(|c| c.is_ascii_digit() || c == ' '),
            "page number as a passage: {}",
            p.text
        );
        assert_eq!(p.page, expected_page(&stream, &starts, n), "{}", p.text);
    }

    let (i, over) = (layout.spans.iter().enumerate())
        .find(|(_, (first, last))| first != last)
        .expect("a paragraph runs over a page break");
    let whole = norm(&paragraphs[i]);
    let one = from_pdf
        .iter()
        .zip(&pdf_norms)
        .find(|(_, n)| n.contains(&whole));
    let (p, n) = one.unwrap_or_else(|| panic!("paragraph over pages {over:?} split: {whole}"));
    assert_eq!((p.page, p.page_end), (Some(over.0), Some(over.1)));
    assert!(n.starts_with(&whole[..40]), "{n}");

    let pages = page_texts(&dir.join("004.pdf"));
    for (p, n) in from_pdf.iter().zip(&pdf_norms) {
        assert_starts_and_ends_on_its_page_lines(p, n, &pages);
    }
}

/// The text of each page of a PDF as pustaka extracts it.
fn page_texts(path: &Path) -> Vec<String> {
    let bytes = fs::read(path).unwrap();
    let len = bytes.len();
    let text = pustaka::ingest::pdf::extract(bytes, pustaka::ingest::pdf::budget(len))
        .unwrap()
        .text;
    text.split('\x0c').map(str::to_string).collect()
}

/// A passage's page lines point at the lines of the page text it starts and ends on: the first
/// word of its first line opens it, the last word of its last line closes it.
fn assert_starts_and_ends_on_its_page_lines(p: &Passage, n: &str, pages: &[String]) {
    let [a, b] = p
        .page_lines
        .unwrap_or_else(|| panic!("no page lines: {}", p.text));
    let line = |page: Option<u32>, no: usize| {
        let page = &pages[page.unwrap() as usize - 1];
        norm(page.lines().nth(no - 1).unwrap_or(""))
    };
    let (first, last) = (line(p.page, a), line(p.page_end, b));
    let opening = first.split(' ').next().unwrap_or("");
    let closing = last.rsplit(' ').next().unwrap_or("");
    assert!(
        !opening.is_empty() && n.starts_with(opening),
        "page {:?} line {a} is {first:?}, the passage opens {n:.40}",
        p.page
    );
    assert!(
        !closing.is_empty() && n.ends_with(closing),
        "page {:?} line {b} is {last:?}, the passage closes {:?}",
        p.page_end,
        &n[n.len().saturating_sub(40)..]
    );
}

/// A directory with one good PDF and every kind of bad one.
pub(crate) fn bad_pdfs(dir: &Path) -> Vec<(PathBuf, &'static str)> {
    let (_, paragraphs) = seed_span();
    let good = layout_pdf(&lay_out(&paragraphs[..3]));
    fs::write(dir.join("good.pdf"), &good).unwrap();
    let mut bad = Vec::new();
    let mut put = |name: &str, bytes: &[u8], reason: &'static str| {
        fs::write(dir.join(name), bytes).unwrap();
        bad.push((dir.join(name), reason));
    };
    put("empty.pdf", b"", "empty file");
    put(
        "cut.pdf",
        &good[..good.len() / 2],
        "damaged or truncated PDF",
    );
    put(
        "notes.pdf",
        "Catatan rapat, bukan PDF.\n".as_bytes(),
        "not a PDF although named .pdf",
    );
    let scan = b"0 0 1 RG 100 100 300 400 re S\n".to_vec();
    put(
        "scan.pdf",
        &save(pdf_document(&[scan], true)),
        "no text layer in its 1 page",
    );
    let lines = [(700, "Satu baris teks.".to_string())];
    let no_box = save(pdf_document(&[page_content(1, &lines)], false));
    put("panics.pdf", &no_box, "no page of the PDF could be read");
    put(
        "locked.pdf",
        &encrypted(&good, "rahasia"),
        "encrypted PDF that needs a password",
    );
    bad
}

/// `pdf` encrypted (RC4, 128 bits) with this user password; an empty one makes a PDF that
/// opens without asking, only "protected" against copying.
fn encrypted(pdf: &[u8], user_password: &str) -> Vec<u8> {
    let mut doc = Pdf::load_mem(pdf).unwrap();
    let version = lopdf::EncryptionVersion::V2 {
        document: &doc,
        owner_password: "pemilik",
        user_password,
        key_length: 128,
        permissions: lopdf::Permissions::empty(),
    };
    let state = lopdf::EncryptionState::try_from(version).unwrap();
    doc.encrypt(&state).unwrap();
    save(doc)
}

#[test]
fn bad_pdfs_are_skipped_with_their_reasons_and_the_rest_is_indexed() {
    let dir = scratch("pdf_bad");
    let corpus = dir.join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    let bad = bad_pdfs(&corpus);
    let good = fs::read(corpus.join("good.pdf")).unwrap();
    fs::write(corpus.join("protected.pdf"), encrypted(&good, "")).unwrap();
    fs::write(
        corpus.join("catatan.txt"),
        "Catatan penelitian tentang migrasi.\n",
    )
    .unwrap();

    let report = pustaka::index::build(&dir.join("index"), &[corpus], &mut |_| {}).unwrap();
    eprintln!(
        "{}",
        pustaka::render::build_report(&report, pustaka::render::Style { color: false })
    );
    for (path, reason) in &bad {
        let skip = report.skipped.iter().find(|s| &s.path == path);
        let skip = skip.unwrap_or_else(|| panic!("{} not skipped: {report:?}", path.display()));
        assert!(skip.reason.starts_with(reason), "{}", skip.reason);
    }
    assert_eq!(report.skipped.len(), bad.len(), "{:?}", report.skipped);
    // good.pdf, protected.pdf (no password needed to open it) and the text file.
    assert_eq!(report.documents, 3, "{report:?}");
}

#[test]
fn a_panic_in_the_pdf_reader_costs_its_file_quietly() {
    let dir = scratch("pdf_panic");
    bad_pdfs(&dir);
    let (out, err, ok) = run_cli(
        &dir.join("index"),
        &["passages", dir.to_str().unwrap()],
        None,
    );
    assert!(ok, "{err}");
    assert!(out.contains("good.pdf"), "{out}");
    assert!(
        err.contains("panics.pdf") && err.contains("MediaBox"),
        "{err}"
    );
    assert!(
        !err.contains("panicked at") && !err.contains("backtrace"),
        "{err}"
    );
    assert!(err.contains("scan.pdf") && err.contains("OCR"), "{err}");
}

#[test]
fn a_pdf_beside_its_text_extraction_is_skipped_for_it() {
    let dir = scratch("pdf_beside");
    let (span, paragraphs) = seed_span();
    fs::write(dir.join("004.txt"), &span).unwrap();
    fs::write(dir.join("004.pdf"), layout_pdf(&lay_out(&paragraphs))).unwrap();
    fs::write(dir.join("lain.PDF"), layout_pdf(&lay_out(&paragraphs[..2]))).unwrap();

    let (files, skips) = discover(std::slice::from_ref(&dir));
    let rels: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
    assert_eq!(rels, ["004.txt", "lain.PDF"]);
    assert_eq!(skips.len(), 1, "{skips:?}");
    assert_eq!(skips[0].path, dir.join("004.pdf"));
    assert_eq!(
        skips[0].reason,
        "its text extraction 004.txt is read instead"
    );

    // Alone, the PDF is read.
    let (files, skips) = discover(&[dir.join("004.pdf")]);
    assert!(skips.is_empty() && files.len() == 1, "{skips:?}");
}

#[test]
fn a_changed_pdf_is_read_again_and_an_unchanged_one_is_not() {
    let dir = scratch("pdf_incremental");
    let corpus = dir.join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    let (_, paragraphs) = seed_span();
    let fewer = &paragraphs[..paragraphs.len() - 2];
    fs::write(corpus.join("a.pdf"), layout_pdf(&lay_out(fewer))).unwrap();
    let index = dir.join("index");
    let first = pustaka::index::build(&index, std::slice::from_ref(&corpus), &mut |_| {}).unwrap();
    assert_eq!(first.documents, 1);
    let again = pustaka::index::build(&index, std::slice::from_ref(&corpus), &mut |_| {}).unwrap();
    assert_eq!((again.unchanged_files, again.indexed_files), (1, 0));

    fs::write(corpus.join("a.pdf"), layout_pdf(&lay_out(&paragraphs))).unwrap();
    let changed = pustaka::index::build(&index, &[corpus], &mut |_| {}).unwrap();
    assert_eq!(changed.indexed_files, 1, "{changed:?}");
    assert!(changed.passages > first.passages, "{changed:?}");

    let (out, err, ok) = run_cli(&index, &["search", "--json", "perdagangan"], None);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let hits = v["hits"].as_array().unwrap();
    assert!(!hits.is_empty(), "{out}");
    for h in hits {
        assert_eq!(h["doc"], "a.pdf", "{h}");
        assert!(h["page"].as_u64().is_some_and(|p| p >= 1), "{h}");
    }
}

#[test]
fn a_pdf_draft_is_checked_against_the_corpus() {
    let dir = scratch("pdf_check");
    let (_, paragraphs) = seed_span();
    let pdf = dir.join("draft.pdf");
    fs::write(&pdf, layout_pdf(&lay_out(&paragraphs[..4]))).unwrap();
    let (out, err, ok) = run_cli(seed_index(), &["check", pdf.to_str().unwrap()], None);
    assert!(ok, "{err}");
    assert!(out.contains("← 004_ee0b6ec72090fab7.txt#"), "{out}");
}

/// The optional engine (PDFium, `PUSTAKA_PDFIUM`) on the same PDF of 004 as the built-in one:
/// the same passages with the same pages. `.ci/run` installs PyPI's pypdfium2 and names its
/// library in `PUSTAKA_TEST_PDFIUM`; the test passes it to the CLI alone, so no other test
/// runs on PDFium.
#[test]
#[ignore = "needs libpdfium.so (pip install pypdfium2) named in PUSTAKA_TEST_PDFIUM"]
fn pdfium_gives_the_passages_and_pages_of_the_builtin_reader() {
    let lib = std::env::var("PUSTAKA_TEST_PDFIUM").expect("PUSTAKA_TEST_PDFIUM names libpdfium.so");
    let dir = scratch("pdf_pdfium");
    let (_, paragraphs) = seed_span();
    let layout = lay_out(&paragraphs);
    fs::write(dir.join("004.pdf"), layout_pdf(&layout)).unwrap();
    let pdf = dir.join("004.pdf");
    let passages = |engine: Option<&str>| -> Vec<(String, Option<u32>, Option<u32>)> {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_pustaka"));
        cmd.args(["passages", "--json"])
            .arg(&pdf)
            .env_remove("PUSTAKA_PDFIUM");
        if let Some(lib) = engine {
            cmd.env("PUSTAKA_PDFIUM", lib);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<Passage>(l).unwrap())
            .map(|p| (norm(&p.text), p.page, p.page_end))
            .collect()
    };
    let builtin = passages(None);
    let pdfium = passages(Some(&lib));
    let same = builtin.iter().filter(|p| pdfium.contains(p)).count();
    eprintln!(
        "PDFium: {same} of {} passages as pdf-extract's",
        builtin.len()
    );
    let differ: Vec<_> = builtin.iter().filter(|p| !pdfium.contains(p)).collect();
    assert!(
        same as f64 >= 0.97 * builtin.len() as f64,
        "pdf-extract's, not PDFium's: {differ:#?}"
    );

    let missing = dir.join("none.so");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_pustaka"));
    let out = cmd
        .args(["passages", "--json"])
        .arg(&pdf)
        .env("PUSTAKA_PDFIUM", &missing)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("PUSTAKA_PDFIUM=") && err.contains("cannot be loaded"),
        "{err}"
    );
}

/// A two-page PDF whose first page says one line and whose second page's content is `unit`
/// `times` over, deflated (a few KiB on disk).
pub(crate) fn pdf_with_a_big_page(dir: &Path, unit: &[u8], times: usize) -> PathBuf {
    pdf_with_big_pages(dir, unit, times, 1)
}

/// As [`pdf_with_a_big_page`], with `heavy` such pages after the first (one content stream
/// they share): a reader takes longer, and holds one page at a time.
pub(crate) fn pdf_with_big_pages(dir: &Path, unit: &[u8], times: usize, heavy: usize) -> PathBuf {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(&unit.repeat(times)).unwrap();
    let bomb = z.finish().unwrap();
    let lines = [(700, "Satu baris teks tentang migrasi.".to_string())];
    let mut contents = vec![page_content(1, &lines)];
    contents.resize(heavy + 1, Vec::new());
    let mut doc = pdf_document(&contents, true);
    let content = doc.add_object(lopdf::Stream::new(
        lopdf::dictionary! { "Filter" => "FlateDecode" },
        bomb,
    ));
    for n in 2..=heavy as u32 + 1 {
        let page = doc.get_pages()[&n];
        doc.get_object_mut(page)
            .unwrap()
            .as_dict_mut()
            .unwrap()
            .set("Contents", content);
    }
    let path = dir.join("bomb.pdf");
    fs::write(&path, save(doc)).unwrap();
    path
}

/// A page whose content inflates past the reader's memory budget (a decompression bomb: 65 MiB
/// of blanks in 65 KiB of Flate) costs that page, with the reason, and the PDF's other page
/// is read.
#[test]
fn a_page_that_inflates_past_the_budget_costs_only_that_page() {
    let dir = scratch("pdf_bomb");
    let size = pustaka::ingest::pdf::MAX_PAGE_CONTENT as usize + 1;
    let path = pdf_with_a_big_page(&dir, b" ", size);
    let (docs, bad) = read_file(&SourceFile::from_path(&path).unwrap()).unwrap();
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(
        bad[0].reason.contains("page 2") && bad[0].reason.contains("inflates past 64 MiB"),
        "{}",
        bad[0].reason
    );
    let ps = passages_of(&docs[0]);
    assert!(
        ps.iter()
            .any(|p| p.text.contains("tentang migrasi") && p.page == Some(1)),
        "{ps:#?}"
    );
}

/// The CLI reads each PDF in a child process whose address space is capped: a file whose
/// reading takes more than the budget is skipped with the reason, the run goes on, and the
/// same file is read under the default budget. The page here (4 MiB of content, under the
/// page budget) is a million drawing operations, which the reader holds parsed at once: more
/// than 500 MiB at its peak, over a 200 MiB budget and under the default 1 GiB.
#[test]
fn the_cli_reads_a_pdf_in_a_child_under_a_memory_budget() {
    let dir = scratch("pdf_memory");
    let corpus = dir.join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    pdf_with_a_big_page(&corpus, b"0 w\n", 1 << 20);
    fs::write(
        corpus.join("note.txt"),
        "Catatan tentang perdagangan orang di perbatasan.\n",
    )
    .unwrap();
    let index = |budget: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_pustaka"));
        cmd.arg("--index")
            .arg(dir.join("index"))
            .arg("index")
            .arg(&corpus);
        if let Some(mib) = budget {
            cmd.env(pustaka::ingest::pdf::worker::MEMORY_ENV, mib);
        }
        let out = cmd.output().unwrap();
        let said = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.success(), said)
    };
    let (ok, said) = index(Some("200"));
    assert!(ok, "{said}");
    assert!(
        said.contains("bomb.pdf") && said.contains("more than its 200 MiB of memory"),
        "{said}"
    );
    assert!(
        said.contains("1 documents"),
        "the text file is indexed: {said}"
    );
    let (ok, said) = index(None);
    assert!(ok && !said.contains("memory"), "{said}");
    assert!(said.contains("2 documents"), "{said}");
}
