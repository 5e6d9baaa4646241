//! PDFs read directly (issue 15, first slice), on PDFs made here from the seed texts: a
//! running header and a page number on every page, lines wrapped as a typesetter would,
//! paragraphs running over page breaks. Nothing binary is committed; lopdf writes the files.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use lopdf::{dictionary, Document as Pdf, Object, Stream};
use pustaka::ingest::passages_of;
use pustaka::ingest::read::{discover, read_file, SourceFile};
use pustaka::model::Passage;

use crate::common::{manifest_dir, run_cli, scratch, seed_index};

const HEADER: &str = "Jurnal Dinamika Global | Vol. 9 No. 1 | Juni 2024";
/// Characters per body line, about what a 10 pt Helvetica line of an A4 page holds.
const WIDTH: usize = 80;
const TOP: i32 = 770;
const BOTTOM: i32 = 100;
const LEADING: i32 = 13;

/// Body lines placed on pages (`(y, text)` per line), and each paragraph's first and last page.
struct Layout {
    pages: Vec<Vec<(i32, String)>>,
    spans: Vec<(u32, u32)>,
}

fn wrap(text: &str) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().unwrap();
        if !line.is_empty() && line.len() + 1 + word.len() > WIDTH {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

/// Paragraphs flowed down the pages, a blank line between two.
fn lay_out(paragraphs: &[String]) -> Layout {
    let mut pages = vec![Vec::new()];
    let mut spans = Vec::new();
    let mut y = TOP;
    for p in paragraphs {
        if y != TOP {
            y -= LEADING;
        }
        let mut first = None;
        for line in wrap(p) {
            if y < BOTTOM {
                pages.push(Vec::new());
                y = TOP;
            }
            first.get_or_insert(pages.len() as u32);
            pages.last_mut().unwrap().push((y, line));
            y -= LEADING;
        }
        spans.push((first.unwrap(), pages.len() as u32));
    }
    Layout { pages, spans }
}

/// A PDF string literal of `text` in WinAnsi (the encoding the font is declared with).
fn literal(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable, "not WinAnsi: {text}");
    let mut out = vec![b'('];
    for &b in bytes.iter() {
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b')');
    out
}

fn show(out: &mut Vec<u8>, size: u32, x: i32, y: i32, text: &str) {
    out.extend_from_slice(format!("BT /F1 {size} Tf 1 0 0 1 {x} {y} Tm ").as_bytes());
    out.extend_from_slice(&literal(text));
    out.extend_from_slice(b" Tj ET\n");
}

/// One page's content: the running header, the body lines, the page number.
fn page_content(n: usize, lines: &[(i32, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    show(&mut out, 9, 72, 805, HEADER);
    for (y, line) in lines {
        show(&mut out, 10, 72, *y, line);
    }
    show(&mut out, 9, 295, 50, &n.to_string());
    out
}

/// A PDF of these page contents, Helvetica with WinAnsi encoding; `media_box: false` leaves
/// out the page size, which makes pdf-extract panic.
fn pdf_document(contents: &[Vec<u8>], media_box: bool) -> Pdf {
    let mut doc = Pdf::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids = Vec::new();
    for content in contents {
        let stream = doc.add_object(Stream::new(dictionary! {}, content.clone()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => stream,
        });
        kids.push(Object::Reference(page));
    }
    let mut pages = dictionary! {
        "Type" => "Pages", "Count" => kids.len() as i64, "Kids" => kids,
        "Resources" => resources,
    };
    if media_box {
        pages.set("MediaBox", vec![0.into(), 0.into(), 595.into(), 842.into()]);
    }
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let id = Object::string_literal("pustaka-test-pdf");
    doc.trailer.set("ID", vec![id.clone(), id]);
    doc
}

fn save(mut doc: Pdf) -> Vec<u8> {
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

fn layout_pdf(layout: &Layout) -> Vec<u8> {
    let contents: Vec<Vec<u8>> = (layout.pages.iter().enumerate())
        .map(|(i, lines)| page_content(i + 1, lines))
        .collect();
    save(pdf_document(&contents, true))
}

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

/// Words only, lower case: how a passage's text is compared across the two sources.
fn norm(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap()
            } else {
                ' '
            }
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
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
    assert_eq!(p.page, Some(over.0));
    assert!(n.starts_with(&whole[..40]), "{n}");
}

/// A directory with one good PDF and every kind of bad one.
fn bad_pdfs(dir: &Path) -> Vec<(PathBuf, &'static str)> {
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

/// Extraction time per page, bare and with cutting into passages, on all of seed 004's
/// paragraphs laid out four times over (`cargo test --release --test it pdf::measure --
/// --nocapture` prints it). Not ignored: it takes a fraction of a second and needs no data a
/// clone lacks (the ignored tests are the ones that do).
#[test]
fn measure() {
    let text = fs::read_to_string(manifest_dir().join("corpus/004_ee0b6ec72090fab7.txt")).unwrap();
    let paragraphs: Vec<String> = (text.lines().filter(|l| !l.trim().is_empty()))
        .map(|l| {
            l.replace(['*', '\t'], " ")
                .replace(['\u{b9}', '\u{b2}'], "")
        })
        .collect();
    let all: Vec<String> = (0..4).flat_map(|_| paragraphs.clone()).collect();
    let layout = lay_out(&all);
    let bytes = layout_pdf(&layout);
    let pages = layout.pages.len() as f64;
    let started = Instant::now();
    let pdf = pustaka::ingest::pdf::extract(bytes.clone(), std::time::Duration::from_secs(60));
    let bare = started.elapsed().as_secs_f64();
    assert_eq!(pdf.unwrap().pages as f64, pages);
    let dir = scratch("pdf_measure");
    fs::write(dir.join("big.pdf"), &bytes).unwrap();
    let started = Instant::now();
    let n = passages_of_file(&dir.join("big.pdf")).len();
    let whole = started.elapsed().as_secs_f64();
    eprintln!(
        "{pages} pages, {} KiB: extraction {:.2} ms a page ({:.0} pages/s); read and cut into \
         {n} passages {:.2} ms a page",
        bytes.len() / 1024,
        bare * 1000.0 / pages,
        pages / bare,
        whole * 1000.0 / pages
    );
}
