//! The read stage on bad input: binary files, legacy encodings, empty files, huge lines, broken
//! JSON Lines, odd paths. Each bad file must be reported with a reason a user can act on, and
//! never stop the good files from being read.

use crate::common;

use pustaka::ingest::read::{decode, discover, read_file, Format, SourceFile};
use pustaka::model::Skipped;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A few lines of /work/shared/corpus/000_fcc74d82d28cc91d.txt, as the PDF extraction left them
/// (trailing spaces, blank lines between lines).
const THESIS: &str = "\nBAB II  \n\nKEBIJAKAN LUAR NEGERI FEMINIST MEKSIKO \n\n\
2.1. Perspektif Foreign Policy di Meksiko  \n\n\
Kebijakan luar negeri Meksiko sejak awal 1990-an hingga saat ini \n\n\
menampilkan transformasi strategis yang berfokus pada diversifikasi kemitraan \n\n\
dan penguatan posisi negara di berbagai forum internasional. Secara historis, \n\n\
Meksiko menganut doktrin non-intervensi dan penghormatan kedaulatan, yang \n\n\
terejawantah melalui keaktifannya di Perserikatan Bangsa-Bangsa (PBB), \n\n\
Organisasi Negara-Negara Amerika (OAS), dan Konferensi Tingkat Tinggi \n\n\
Amerika Latin dan Karibia (CELAC) (Secretaría de Relaciones Exteriores, 2020). \n";

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("pustaka-read-{}-{n}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    /// Write `bytes` to `rel` (creating parent directories) and return the full path.
    fn file(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The file as `discover` would describe it when given directly.
fn source(path: &Path) -> SourceFile {
    let (files, skips) = discover(&[path.to_path_buf()]);
    assert!(skips.is_empty(), "unexpected skips: {skips:?}");
    assert_eq!(files.len(), 1);
    files.into_iter().next().unwrap()
}

fn rels(files: &[SourceFile]) -> Vec<&str> {
    files.iter().map(|f| f.rel.as_str()).collect()
}

fn skip_for<'a>(skips: &'a [Skipped], path: &Path) -> &'a Skipped {
    skips
        .iter()
        .find(|s| s.path == path)
        .unwrap_or_else(|| panic!("no skip for {}: {skips:?}", path.display()))
}

#[test]
fn good_utf8_text_is_one_document_with_text_unchanged() {
    let dir = TempDir::new("good");
    let path = dir.file("000_fcc74d82d28cc91d.txt", THESIS);
    let file = source(&path);
    assert_eq!(file.rel, "000_fcc74d82d28cc91d.txt");
    assert_eq!(file.format, Format::Text);
    assert_eq!(file.len, THESIS.len() as u64);
    assert!(file.mtime > 0);

    let (docs, skips) = read_file(&file).unwrap();
    assert!(skips.is_empty());
    assert_eq!(docs.len(), 1);
    let doc = &docs[0];
    assert_eq!(doc.id, "000_fcc74d82d28cc91d.txt");
    assert_eq!(doc.path, path);
    assert_eq!(doc.record_line, None);
    assert_eq!(doc.title_hint, None);
    assert_eq!(doc.lang_hint, None);
    assert_eq!(doc.encoding, "UTF-8");
    assert_eq!(doc.text, THESIS);
}

#[test]
fn crlf_and_form_feeds_are_kept_as_is() {
    // Later stages compute byte offsets into the text: not a byte may change.
    let dir = TempDir::new("crlf");
    let text = THESIS.replace('\n', "\r\n") + "\x0c\t12\r\n\x0cBAB III\r\n";
    let path = dir.file("bab.txt", &text);
    let (docs, _) = read_file(&source(&path)).unwrap();
    assert_eq!(docs[0].text, text);
}

#[test]
fn utf8_bom_is_stripped() {
    let dir = TempDir::new("bom");
    let path = dir.file(
        "bom.md",
        [b"\xEF\xBB\xBF".as_slice(), THESIS.as_bytes()].concat(),
    );
    let (docs, _) = read_file(&source(&path)).unwrap();
    assert_eq!(docs[0].text, THESIS);
    assert_eq!(docs[0].encoding, "UTF-8");
}

#[test]
fn utf16_with_bom_is_decoded() {
    let dir = TempDir::new("utf16");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(THESIS.encode_utf16().flat_map(u16::to_le_bytes));
    let path = dir.file("utf16.txt", bytes);
    let (docs, _) = read_file(&source(&path)).unwrap();
    assert_eq!(docs[0].text, THESIS);
    assert_eq!(docs[0].encoding, "UTF-16LE");
}

/// Indonesian text with letters beyond ASCII (é, the en dash), as a Windows tool exports it.
const THESIS_ACCENTS: &str = "Presiden Andrés Manuel López Obrador (2018–2024) menegaskan \
kebijakan luar negeri feminis; café, résumé dan élite adalah kata serapan.\r\n";

fn utf16_no_bom(text: &str, little_endian: bool) -> Vec<u8> {
    text.encode_utf16()
        .flat_map(|u| {
            if little_endian {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            }
        })
        .collect()
}

#[test]
fn utf16_without_bom_is_detected_and_decoded() {
    let dir = TempDir::new("utf16-nobom");
    let text = format!("{THESIS}{THESIS_ACCENTS}");
    for (little_endian, name) in [(true, "UTF-16LE"), (false, "UTF-16BE")] {
        let path = dir.file(&format!("{name}.txt"), utf16_no_bom(&text, little_endian));
        let (docs, skips) = read_file(&source(&path)).unwrap();
        assert!(skips.is_empty());
        assert_eq!(docs[0].text, text);
        assert_eq!(docs[0].encoding, name);
        // A short one: a single line still has its NULs in the right column.
        let (short, encoding) = decode(&utf16_no_bom("Andrés – é", little_endian)).unwrap();
        assert_eq!((short.as_str(), encoding), ("Andrés – é", name));
    }
}

#[test]
fn binaries_with_regular_nuls_are_not_taken_for_utf16() {
    // 16-bit samples or a table of small integers: a zero in every other byte, like UTF-16
    // text, but the other bytes are not text.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let samples: Vec<u8> = (0..4096)
        .flat_map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            [(state >> 56) as u8, 0]
        })
        .collect();
    let reason = decode(&samples).unwrap_err();
    assert!(reason.contains("binary"), "{reason}");
    // An ELF executable: its header and tables are full of zero bytes.
    let mut elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0\x01\0\0\0".to_vec();
    elf.extend((0..2000u32).flat_map(|i| (i * 0x40).to_le_bytes()));
    let reason = decode(&elf).unwrap_err();
    assert!(reason.contains("binary"), "{reason}");
    // UTF-16 of text followed by binary garbage (an odd byte count): not text either.
    let mut torn = utf16_no_bom(THESIS, true);
    torn.extend(b"\x01\x02\x03");
    assert!(decode(&torn).is_err());
}

#[test]
fn windows_1252_text_decodes_to_the_right_letters() {
    let dir = TempDir::new("cp1252");
    // What a Windows export of a thesis on Mexico looks like: accented letters as single bytes.
    let bytes: &[u8] =
        b"Kebijakan luar negeri M\xe9xico di bawah Presiden Andr\xe9s Manuel L\xf3pez \
Obrador dan Enrique Pe\xf1a Nieto dirumuskan oleh Secretar\xeda de Relaciones Exteriores \
(SRE). Menurut Canciller\xeda, pol\xedtica exterior feminista berarti se\xf1alar y combatir \
las desigualdades de g\xe9nero en la acci\xf3n exterior del Estado mexicano.\r\n";
    let path = dir.file("meksiko.txt", bytes);
    let (docs, skips) = read_file(&source(&path)).unwrap();
    assert!(skips.is_empty());
    let doc = &docs[0];
    assert_eq!(doc.encoding, "windows-1252");
    for word in [
        "México",
        "Andrés",
        "López",
        "Peña",
        "Secretaría",
        "Cancillería",
        "política",
        "señalar",
        "género",
        "acción",
    ] {
        assert!(
            doc.text.contains(word),
            "{word} missing from {:?}",
            doc.text
        );
    }
    assert!(!doc.text.contains('\u{FFFD}'));
    assert!(doc.text.ends_with("mexicano.\r\n"));
}

#[test]
fn mostly_utf8_with_a_stray_byte_stays_utf8_and_says_lossy() {
    // One Latin-1 byte pasted into a UTF-8 file must not turn every other accent into mojibake.
    let mut bytes = THESIS.as_bytes().to_vec();
    bytes.extend_from_slice(
        "Presiden Andrés Manuel López Obrador dan Enrique Peña Nieto.\n".as_bytes(),
    );
    bytes.extend_from_slice(b"Dalam bahasa Spanyol: Canciller\xeda.\n");
    let (text, encoding) = decode(&bytes).unwrap();
    assert!(text.contains("(Secretaría de Relaciones Exteriores, 2020)"));
    assert!(text.contains("Andrés Manuel López Obrador dan Enrique Peña Nieto"));
    assert!(text.contains("Canciller\u{FFFD}a."));
    assert!(encoding.starts_with("UTF-8") && encoding.contains("lossy"));
}

#[test]
fn binary_files_are_skipped_with_a_reason() {
    let dir = TempDir::new("binary");
    // A PNG saved with a .txt name: header, then chunks full of NULs.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0".to_vec();
    png.extend(std::iter::repeat_n(0u8, 64));
    let png_path = dir.file("gambar.txt", png);
    let err = read_file(&source(&png_path)).unwrap_err();
    assert_eq!(err.path, png_path);
    assert_eq!(err.line, None);
    assert!(err.reason.contains("binary"), "{}", err.reason);
    assert!(err.reason.contains("PNG"), "{}", err.reason);

    // Text that turns binary later: a NUL past the first 8 KiB is still found, with its offset.
    let mut late_nul = THESIS.repeat(20).into_bytes();
    let at = late_nul.len();
    late_nul.extend_from_slice(b"abc\0def");
    let late_path = dir.file("late.txt", late_nul);
    let err = read_file(&source(&late_path)).unwrap_err();
    assert!(err.reason.contains("binary"), "{}", err.reason);
    assert!(
        err.reason.contains(&format!("offset {}", at + 3)),
        "{}",
        err.reason
    );

    // Random bytes (a fixed LCG so the test is repeatable).
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 56) as u8
        })
        .collect();
    let random_path = dir.file("acak.md", &random);
    let err = read_file(&source(&random_path)).unwrap_err();
    assert!(err.reason.contains("binary"), "{}", err.reason);
}

#[test]
fn control_characters_make_binary_but_pdf_whitespace_does_not() {
    // No NUL at all, yet clearly not text.
    let noisy: Vec<u8> = b"ab\x01\x02\x03\x1b\x7f\x10".repeat(200);
    let reason = decode(&noisy).unwrap_err();
    assert!(
        reason.contains("binary") && reason.contains("control"),
        "{reason}"
    );

    // pdftotext output: form feed between pages, tabs in tables, CRLF line ends.
    let pdf_text =
        format!("{THESIS}\x0c\r\nTabel 1\tNegara\tTahun\r\nMeksiko\t2020\r\n\x0c").repeat(50);
    let (text, encoding) = decode(pdf_text.as_bytes()).unwrap();
    assert_eq!(text, pdf_text);
    assert_eq!(encoding, "UTF-8");
}

#[test]
fn utf32_is_refused_with_advice() {
    let mut bytes = vec![0xFF, 0xFE, 0, 0];
    bytes.extend("BAB II".chars().flat_map(|c| (c as u32).to_le_bytes()));
    let reason = decode(&bytes).unwrap_err();
    assert!(
        reason.contains("UTF-32") && reason.contains("UTF-8"),
        "{reason}"
    );
}

#[test]
fn files_over_the_size_cap_are_skipped_without_being_read() {
    let dir = TempDir::new("cap");
    let path = dir.file("dump.txt", "");
    // A sparse file: 600 MiB long, no disk used, and nothing read if the cap works.
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(600 * 1024 * 1024)
        .unwrap();
    let err = read_file(&source(&path)).unwrap_err();
    assert!(
        err.reason.contains("600 MiB") && err.reason.contains("512 MiB limit"),
        "{}",
        err.reason
    );
}

#[test]
fn empty_and_whitespace_only_files_are_skipped() {
    let dir = TempDir::new("empty");
    let empty = dir.file("kosong.txt", "");
    let blank = dir.file("spasi.md", " \n\n\t \r\n\x0c\n");
    let blank_jsonl = dir.file("kosong.jsonl", "\n\n   \n");
    for path in [&empty, &blank, &blank_jsonl] {
        let err = read_file(&source(path)).unwrap_err();
        assert_eq!(&err.path, path);
        assert!(err.reason.contains("empty"), "{}", err.reason);
    }
}

#[test]
fn a_50_mb_single_line_is_read_whole() {
    let dir = TempDir::new("huge");
    const LEN: usize = 50 * 1024 * 1024;
    // Doubling copies keep this fast even in a debug build.
    let block = "kebijakan luar negeri feminis Meksiko diplomasi multilateral ";
    let mut line = block.repeat(LEN / block.len() + 1);
    line.truncate(LEN);
    let path = dir.file("satu-baris.txt", &line);
    drop(line);
    let file = source(&path);
    assert_eq!(file.len, LEN as u64);
    let (docs, skips) = read_file(&file).unwrap();
    assert!(skips.is_empty());
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].text.len(), LEN);
    assert!(!docs[0].text.contains('\n'));
    assert!(docs[0].text.starts_with(block));
}

#[test]
fn jsonl_keeps_good_records_and_reports_bad_ones_by_line() {
    let dir = TempDir::new("jsonl");
    let lines = [
        // 1: good, with title and lang and an ignored field
        r#"{"id": "idcourt-1", "title": "Putusan Nomor 2008 K / Pid.Sus / 2015", "lang": "id", "text": "PUTUSAN\nNomor 2008 K / Pid.Sus / 2015\n\nDEMI KEADILAN BERDASARKAN KETUHANAN YANG MAHA ESA", "source": {"url": "https://putusan.mahkamahagung.go.id"}}"#,
        // 2: truncated in the middle of the text
        r#"{"id": "idcourt-2", "text": "Yang memeriksa dan mengadili perkara pidana"#,
        // 3: no text
        r#"{"id": "idcourt-3", "title": "Putusan tanpa isi"}"#,
        // 4: blank, ignored
        "",
        // 5: good, no title
        r#"{"id": "plos-1", "lang": "en", "text": "Taking the Stem Cell Debate to the Public\n\nIn response to the Blackburn and Rowley essay..."}"#,
        // 6: duplicate of line 1
        r#"{"id": "idcourt-1", "text": "Salinan kedua putusan yang sama"}"#,
        // 7: syntax error (missing comma)
        r#"{"id": "idcourt-4" "text": "Menimbang, bahwa terdakwa"}"#,
        // 8: empty text
        r#"{"id": "idcourt-5", "text": "   "}"#,
        // 9: not an object
        r#"["idcourt-6", "Mengadili sendiri"]"#,
        // 10: text of the wrong type
        r#"{"id": "idcourt-7", "text": 2015}"#,
        // 11: integer id, CRLF line end
        "{\"id\": 42, \"text\": \"Menyatakan Terdakwa BUDI DAENG DULLA alias IWAN terbukti\"}\r",
        // 12: no id
        r#"{"text": "Membebankan biaya perkara kepada Terdakwa"}"#,
    ];
    let path = dir.file("putusan.jsonl", lines.join("\n") + "\n");
    let file = source(&path);
    assert_eq!(file.format, Format::Jsonl);
    let (docs, skips) = read_file(&file).unwrap();

    let ids: Vec<_> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["idcourt-1", "plos-1", "42"]);
    let lines_of: Vec<_> = docs.iter().map(|d| d.record_line).collect();
    assert_eq!(lines_of, [Some(1), Some(5), Some(11)]);
    assert_eq!(
        docs[0].title_hint.as_deref(),
        Some("Putusan Nomor 2008 K / Pid.Sus / 2015")
    );
    assert_eq!(docs[0].lang_hint.as_deref(), Some("id"));
    assert!(docs[0].text.starts_with("PUTUSAN\nNomor 2008"));
    assert_eq!(docs[1].title_hint, None);
    assert_eq!(docs[1].lang_hint.as_deref(), Some("en"));
    assert!(docs.iter().all(|d| d.path == path && d.encoding == "UTF-8"));

    let by_line = |n: usize| -> &str {
        &skips
            .iter()
            .find(|s| s.line == Some(n))
            .unwrap_or_else(|| panic!("line {n} not reported: {skips:?}"))
            .reason
    };
    assert_eq!(skips.len(), 8, "{skips:?}");
    assert!(skips.iter().all(|s| s.path == path));
    assert!(by_line(2).contains("invalid JSON"), "{}", by_line(2));
    assert!(by_line(3).contains("no \"text\""), "{}", by_line(3));
    assert!(
        by_line(6).contains("duplicate id \"idcourt-1\"") && by_line(6).contains("line 1"),
        "{}",
        by_line(6)
    );
    assert!(
        by_line(7).contains("invalid JSON at column") && by_line(7).contains("expected `,` or `}`"),
        "{}",
        by_line(7)
    );
    assert!(by_line(8).contains("empty \"text\""), "{}", by_line(8));
    assert!(by_line(9).contains("not a JSON object"), "{}", by_line(9));
    assert!(by_line(10).contains("must be a string"), "{}", by_line(10));
    assert!(by_line(12).contains("no \"id\""), "{}", by_line(12));
}

#[test]
fn pretty_printed_json_named_jsonl_gets_one_clear_reason() {
    let dir = TempDir::new("pretty");
    let json = "[\n  {\n    \"id\": \"a\",\n    \"text\": \"Kebijakan luar negeri\"\n  }\n]\n";
    let path = dir.file("export.jsonl", json);
    let err = read_file(&source(&path)).unwrap_err();
    assert!(err.reason.contains("not JSON Lines"), "{}", err.reason);
}

#[test]
fn discover_keeps_text_files_sorted_and_ignores_the_rest() {
    let dir = TempDir::new("walk");
    let root = &dir.0;
    dir.file("001_b45e124878fca27f.txt", THESIS);
    dir.file("000_fcc74d82d28cc91d.txt", THESIS);
    dir.file("bab/2/KESIMPULAN.MD", THESIS);
    dir.file("bab/1/pendahuluan.Txt", THESIS);
    dir.file("putusan.jsonl", r#"{"id": "a", "text": "b"}"#);
    dir.file("skripsi.pdf", b"%PDF-1.5\n");
    dir.file("gambar.png", b"\x89PNG\r\n\x1a\n\0");
    dir.file("catatan", THESIS);
    dir.file(".draft.txt", THESIS);
    dir.file(".git/notes.txt", THESIS);
    dir.file("bab/.ipynb_checkpoints/pendahuluan.txt", THESIS);

    let (files, skips) = discover(std::slice::from_ref(root));
    assert!(skips.is_empty(), "{skips:?}");
    assert_eq!(
        rels(&files),
        [
            "000_fcc74d82d28cc91d.txt",
            "001_b45e124878fca27f.txt",
            "bab/1/pendahuluan.Txt",
            "bab/2/KESIMPULAN.MD",
            "putusan.jsonl",
            "skripsi.pdf",
        ]
    );
    assert_eq!(files[2].path, root.join("bab/1/pendahuluan.Txt"));
    let formats: Vec<_> = files.iter().map(|f| f.format).collect();
    assert_eq!(
        formats,
        [
            Format::Text,
            Format::Text,
            Format::Text,
            Format::Text,
            Format::Jsonl,
            Format::Pdf
        ]
    );

    // The same tree given twice, plus one of its files directly: each file once, and the
    // first path given decides its id.
    let direct = root.join("bab/1/pendahuluan.Txt");
    let (again, skips) = discover(&[root.clone(), direct.clone(), root.clone()]);
    assert!(skips.is_empty(), "{skips:?}");
    assert_eq!(rels(&again), rels(&files));
    let (direct_first, skips) = discover(&[direct, root.clone()]);
    assert!(skips.is_empty(), "{skips:?}");
    assert_eq!(
        rels(&direct_first),
        [
            "000_fcc74d82d28cc91d.txt",
            "001_b45e124878fca27f.txt",
            "bab/2/KESIMPULAN.MD",
            "pendahuluan.Txt",
            "putusan.jsonl",
            "skripsi.pdf",
        ]
    );
}

/// `SOURCES.md` beside corpus-large's JSON Lines files, a README or a licence beside a corpus
/// describe it; a directory walk leaves them out, and naming one reads it.
#[test]
fn files_that_describe_a_corpus_are_read_only_when_named() {
    let dir = TempDir::new("beside");
    let root = &dir.0;
    dir.file("putusan.jsonl", r#"{"id": "a", "text": "b"}"#);
    dir.file(
        "SOURCES.md",
        "# Sources\n\nCourt decisions from the Supreme Court directory.",
    );
    dir.file("README.md", THESIS);
    dir.file("LICENSE.txt", "CC BY 4.0");
    dir.file("bab/readme.TXT", THESIS);
    dir.file("readme-kuliah.txt", THESIS);
    let (files, skips) = discover(std::slice::from_ref(root));
    assert!(skips.is_empty(), "{skips:?}");
    assert_eq!(rels(&files), ["putusan.jsonl", "readme-kuliah.txt"]);
    let (named, skips) = discover(&[root.join("SOURCES.md")]);
    assert!(skips.is_empty(), "{skips:?}");
    assert_eq!(rels(&named), ["SOURCES.md"]);
}

#[test]
fn discover_reports_missing_unsupported_and_dangling_paths() {
    let dir = TempDir::new("odd");
    let good = dir.file("corpus/000_a.txt", THESIS);
    let docx = dir.file("skripsi.pages", b"PK\x03\x04");
    let missing = dir.0.join("tidak-ada");
    let dangling = dir.0.join("hilang.txt");
    let inner_dangling = dir.0.join("corpus/001_hilang.txt");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.0.join("nowhere.txt"), &dangling).unwrap();
        std::os::unix::fs::symlink(dir.0.join("nowhere.txt"), &inner_dangling).unwrap();
        // A dangling link to a non-text file inside a corpus is no business of ours.
        std::os::unix::fs::symlink(dir.0.join("nowhere.png"), dir.0.join("corpus/x.png")).unwrap();
    }

    let (files, skips) = discover(&[
        missing.clone(),
        dir.0.join("corpus"),
        docx.clone(),
        dangling.clone(),
        good.clone(),
    ]);
    // The file found under `corpus` and given directly is the same file: kept once.
    assert_eq!(rels(&files), ["000_a.txt"]);

    let reason = &skip_for(&skips, &missing).reason;
    assert!(reason.contains("no such file"), "{reason}");
    let reason = &skip_for(&skips, &docx).reason;
    assert!(
        reason.contains("unsupported file type") && reason.contains(".pages"),
        "{reason}"
    );
    assert!(
        reason.contains("expected .txt, .md, .jsonl, .pdf, .docx or .odt"),
        "{reason}"
    );
    #[cfg(unix)]
    {
        for link in [&dangling, &inner_dangling] {
            let reason = &skip_for(&skips, link).reason;
            assert!(reason.contains("dangling symbolic link"), "{reason}");
            assert!(reason.contains("nowhere.txt"), "{reason}");
        }
        assert_eq!(skips.len(), 4, "{skips:?}");
    }
}

#[cfg(unix)]
#[test]
fn discover_survives_a_symlink_loop() {
    let dir = TempDir::new("loop");
    dir.file("corpus/bab1/isi.txt", THESIS);
    std::os::unix::fs::symlink(dir.0.join("corpus"), dir.0.join("corpus/bab1/kembali")).unwrap();
    let (files, skips) = discover(&[dir.0.join("corpus")]);
    assert_eq!(rels(&files), ["bab1/isi.txt"]);
    assert_eq!(skips.len(), 1, "{skips:?}");
    assert!(skips[0].reason.contains("loop"), "{}", skips[0].reason);
}

#[test]
fn same_relative_path_under_two_roots_is_reported() {
    let dir = TempDir::new("collide");
    dir.file("a/bab1.txt", THESIS);
    let second = dir.file("b/bab1.txt", THESIS.to_uppercase());
    let (files, skips) = discover(&[dir.0.join("a"), dir.0.join("b")]);
    assert_eq!(rels(&files), ["bab1.txt"]);
    assert_eq!(files[0].path, dir.0.join("a/bab1.txt"));
    let reason = &skip_for(&skips, &second).reason;
    assert!(reason.contains("same document id"), "{reason}");
}

#[test]
fn unreadable_files_are_skipped_with_the_os_error() {
    let dir = TempDir::new("unreadable");
    // A directory where a file is expected: read fails on every platform and for every user.
    let not_a_file = dir.0.join("bab.txt");
    fs::create_dir_all(&not_a_file).unwrap();
    let file = SourceFile {
        path: not_a_file.clone(),
        rel: "bab.txt".into(),
        format: Format::Text,
        len: 0,
        mtime: 0,
    };
    let err = read_file(&file).unwrap_err();
    assert_eq!(err.path, not_a_file);
    assert!(err.reason.contains("cannot read"), "{}", err.reason);
    assert!(err.reason.contains("directory"), "{}", err.reason);

    // A file deleted between discovery and reading.
    let gone = dir.file("hilang.txt", THESIS);
    let file = source(&gone);
    fs::remove_file(&gone).unwrap();
    let err = read_file(&file).unwrap_err();
    assert!(err.reason.contains("no such file"), "{}", err.reason);

    // Permission denied: only testable when not running as root (root reads anything).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = dir.file("terkunci.txt", THESIS);
        let file = source(&locked);
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        if fs::read(&locked).is_ok() {
            eprintln!("skipping permission check: running as a user who can read mode 000 files");
        } else {
            let err = read_file(&file).unwrap_err();
            assert!(err.reason.contains("Permission denied"), "{}", err.reason);
        }
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).unwrap();

        // A directory that cannot be listed: reported, and its siblings still found.
        dir.file("corpus/000_a.txt", THESIS);
        let sealed = dir.0.join("corpus/rahasia");
        dir.file("corpus/rahasia/001_b.txt", THESIS);
        fs::set_permissions(&sealed, fs::Permissions::from_mode(0o000)).unwrap();
        let (files, skips) = discover(&[dir.0.join("corpus")]);
        if fs::read_dir(&sealed).is_ok() {
            eprintln!("skipping unlistable-directory check: running as root");
        } else {
            assert_eq!(rels(&files), ["000_a.txt"]);
            let reason = &skip_for(&skips, &sealed).reason;
            assert!(reason.contains("Permission denied"), "{reason}");
            assert!(reason.contains("cannot list this directory"), "{reason}");
        }
        fs::set_permissions(&sealed, fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn seed_corpus_is_discovered_in_order_and_read_cleanly() {
    let corpus = common::manifest_dir().join("corpus");
    assert!(corpus.is_dir(), "corpus/ is part of the repository");
    let (files, skips) = discover(std::slice::from_ref(&corpus));
    assert!(skips.is_empty(), "{skips:?}");
    assert!(!files.is_empty());
    let names: Vec<_> = rels(&files);
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    for file in &files {
        assert!(!file.rel.contains('/') && file.rel.ends_with(".txt"));
        assert_eq!(file.path, corpus.join(&file.rel));
        let (docs, skips) = read_file(file).unwrap();
        assert!(skips.is_empty());
        assert_eq!(docs[0].id, file.rel);
        assert_eq!(docs[0].encoding, "UTF-8");
        assert_eq!(docs[0].text.len() as u64, file.len);
    }
}

#[test]
#[ignore = "needs ../shared/corpus-large (run by .ci/run)"]
fn large_jsonl_corpus_reads_completely() {
    let [court, _] = common::corpus_large();
    let dir = court.parent().unwrap().to_path_buf();
    let (mut files, skips) = discover(std::slice::from_ref(&dir));
    assert!(skips.is_empty(), "{skips:?}");
    // The folder also holds SOURCES.md, a text file like any other to `discover`.
    files.retain(|f| f.format == Format::Jsonl);
    assert_eq!(
        rels(&files),
        ["en_plos_fulltext.jsonl", "id_court_decisions.jsonl"]
    );
    let mut counts = Vec::new();
    for file in &files {
        let (docs, skips) = read_file(file).unwrap();
        assert!(skips.is_empty(), "{skips:?}");
        assert!(docs
            .iter()
            .all(|d| !d.text.is_empty() && d.title_hint.is_some() && d.lang_hint.is_some()));
        counts.push(docs.len());
    }
    assert_eq!(counts, [121, 533]);
}
