//! PDF: the text layer of a PDF file, page by page, as the later stages expect a PDF
//! extraction to look (pages separated by form feeds).
//!
//! Extraction is done by `pdf-extract` (pure Rust, so `cargo build` is all the set-up a user
//! needs). It is written for well-formed files and panics on many odd ones (a font without
//! widths, a page without a media box), and a damaged file could make it loop or take all
//! memory: so every file is extracted on a worker thread of its own, with its panics caught and
//! a time budget, inside a child process under a memory budget when the CLI runs it
//! ([`worker`]), and a file that fails any of that becomes a skip reason, never a crashed or
//! stalled run. Font maps it would panic on are mended first ([`cmap`]).
//!
//! Only the bytes come in (`read` owns the disk). What comes out is each page's text as
//! pdf-extract breaks it into lines and words, with what only type sizes and positions show
//! written the way a pdftotext extraction shows it (footnote markers on lines of their own, a
//! page's footnotes under a rule, indented first lines: see `glyphs`), less the few characters
//! the extractor leaves that no text file would hold.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::panic::{self, catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::Once;
use std::thread;
use std::time::Duration;

use lopdf::Document as Pdf;

use super::normalize::{FILLS, STOPS_SHORT};

mod cmap;
mod glyphs;
pub mod worker;

/// Largest PDF read. Below the cap for text files: the parsed document lives in memory beside
/// its bytes (several times their size), and a PDF this large is a scanned book or a set of
/// images, whose text layer (if any) is better extracted by a dedicated tool.
pub const MAX_PDF_BYTES: u64 = 200 * 1024 * 1024;

/// Time every PDF gets whatever its size: parsing and font set-up dominate small files.
const BASE_BUDGET: Duration = Duration::from_secs(30);

/// Time added per MiB of file: generous (pdf-extract reads a typical page in milliseconds), so
/// that only a file that makes it loop runs out of time.
const BUDGET_PER_MIB: Duration = Duration::from_secs(2);

/// Stack of the worker thread: deeply nested forms and page trees recurse, and a stack
/// overflow aborts the process instead of unwinding, so the worker gets far more than it needs.
const WORKER_STACK: usize = 64 * 1024 * 1024;

/// How much of a panic message a skip reason quotes: pdf-extract's messages can carry a whole
/// font dictionary.
const MAX_MESSAGE: usize = 160;

/// The text layer of a PDF.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Extracted {
    /// Page texts, each ended by a form feed (page `n` follows the `n-1`-th form feed).
    pub text: String,
    /// Pages in the document.
    pub pages: usize,
    /// Pages whose text could not be read (1-based), with why; they are empty in `text`.
    pub failed: BTreeMap<u32, String>,
    /// Pages without a text layer that OCR could read (1-based), empty in `text`: every page
    /// of a PDF with no text at all (a scan), else the pages without text that show an image
    /// (a scanned page in a born-digital file; a blank page is not worth a tesseract run).
    pub scanned: Vec<u32>,
}

impl Extracted {
    /// Whether no page has text: a scan, to be read by OCR or skipped.
    pub fn is_scan(&self) -> bool {
        self.scanned.len() == self.pages
    }
}

/// The time budget of a file of `len` bytes.
pub fn budget(len: usize) -> Duration {
    let mib = u32::try_from(len / (1024 * 1024)).unwrap_or(u32::MAX);
    BASE_BUDGET.saturating_add(BUDGET_PER_MIB.saturating_mul(mib))
}

/// The text of a PDF, extracted within `budget` (in a child process under a memory budget
/// when the CLI named one, see [`worker`], else on a worker thread); `Err` holds a skip reason
/// a user can act on (what is wrong with the file, and what to do).
pub fn extract(bytes: Vec<u8>, budget: Duration) -> Result<Extracted, String> {
    let outcome = match worker::child_exe() {
        Some(exe) => worker::extract(exe, bytes, budget),
        None => {
            isolated(budget, move || extract_here(&bytes)).map_err(worker::ChildFailure::Thread)
        }
    };
    const INSTEAD: &str = "give its text extraction (e.g. pdftotext) instead";
    match outcome {
        Ok(result) => result,
        Err(worker::ChildFailure::Thread(Failure::Panicked(msg))) => Err(format!(
            "the PDF reader failed on this file ({msg}); it may be damaged or use a feature \
             pdf-extract does not support: {INSTEAD}"
        )),
        Err(worker::ChildFailure::Thread(Failure::TimedOut)) => Err(format!(
            "the PDF reader did not finish within {} s (a damaged or unusually complex file); \
             {INSTEAD}",
            budget.as_secs()
        )),
        Err(worker::ChildFailure::OutOfMemory(bytes)) => Err(format!(
            "the PDF reader needed more than its {} MiB of memory (a damaged or unusually \
             complex file; {} sets the budget); {INSTEAD}",
            bytes / (1024 * 1024),
            worker::MEMORY_ENV
        )),
        Err(worker::ChildFailure::Crashed(how)) => Err(format!(
            "the PDF reader ended without an answer ({how}); the file may be damaged: {INSTEAD}"
        )),
    }
}

/// Why isolated work gave no result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// It panicked, with this message (shortened).
    Panicked(String),
    /// It was still running when its budget ran out; its thread is left behind, detached, and
    /// ends with the process.
    TimedOut,
}

thread_local! {
    /// Set on the worker threads, whose panics are caught and reported as skip reasons, so
    /// the panic hook keeps quiet about them.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// `work` on a worker thread of its own, its panic caught, waited for at most `budget`.
///
/// A detached thread does not keep the process alive, so a file that loops costs a core until
/// the run ends, never the run itself.
pub fn isolated<R: Send + 'static>(
    budget: Duration,
    work: impl FnOnce() -> R + Send + 'static,
) -> Result<R, Failure> {
    quiet_panic_hook();
    let (tx, rx) = mpsc::channel();
    let spawned = thread::Builder::new()
        .name("pustaka-pdf".into())
        .stack_size(WORKER_STACK)
        .spawn(move || {
            QUIET.with(|q| q.set(true));
            let result = catch_unwind(AssertUnwindSafe(work)).map_err(|p| panic_message(&*p));
            let _ = tx.send(result);
        });
    if let Err(e) = spawned {
        return Err(Failure::Panicked(format!("cannot start a thread: {e}")));
    }
    match rx.recv_timeout(budget) {
        Ok(result) => result.map_err(Failure::Panicked),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Failure::TimedOut),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err(Failure::Panicked("the worker thread died".into()))
        }
    }
}

/// Wrap whatever panic hook is installed (the CLI's, or the default one that prints a
/// backtrace note) so that it stays silent on the worker threads: their panics are expected,
/// caught, and reported once, as a skip reason.
fn quiet_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into());
    shorten(&msg)
}

fn shorten(msg: &str) -> String {
    let one_line = msg.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(MAX_MESSAGE) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

/// The extraction proper, on the worker thread: by PDFium when the user named one (see
/// [`super::pdfium`]), else by pdf-extract.
fn extract_here(bytes: &[u8]) -> Result<Extracted, String> {
    if let Some(reason) = not_a_pdf(bytes) {
        return Err(reason);
    }
    let (pages, doc) = match super::pdfium::configured() {
        Some(engine) => (super::pdfium::pages(engine?, bytes)?, None),
        None => {
            let (pages, doc) = builtin_pages(bytes)?;
            (pages, Some(doc))
        }
    };
    if pages.is_empty() {
        return Err("a PDF without pages (damaged, or only a container of attachments)".into());
    }
    let mut texts = Vec::with_capacity(pages.len());
    let mut failed = BTreeMap::new();
    for (n, page) in (1u32..).zip(pages) {
        match page {
            Ok(text) => texts.push(clean(&text)),
            Err(why) => {
                failed.insert(n, why);
                texts.push(String::new());
            }
        }
    }
    check_text_layer(&texts, &failed)?;
    let scanned = scanned_pages(doc, bytes, &texts, &failed);
    Ok(Extracted {
        text: with_page_breaks(&texts),
        pages: texts.len(),
        failed,
        scanned,
    })
}

/// Every page's text by pdf-extract on lopdf's parse, each page's failure kept to that page,
/// and the parse (OCR looks in it for the images of pages without text).
fn builtin_pages(bytes: &[u8]) -> Result<(super::pdfium::Pages, Pdf), String> {
    let mut doc = Pdf::load_mem(bytes).map_err(|e| damaged_reason(&e))?;
    decrypt(&mut doc)?;
    cmap::mend_to_unicode(&mut doc);
    let ids = doc.get_pages();
    let pages = ids.iter().map(|(&n, &id)| page_text(&doc, n, id)).collect();
    Ok((pages, doc))
}

/// The pages OCR could read (see [`Extracted::scanned`]).
///
/// `doc` is lopdf's parse when pdf-extract read the file; after PDFium it is parsed here, and
/// only when some page but not all has no text.
fn scanned_pages(
    doc: Option<Pdf>,
    bytes: &[u8],
    pages: &[String],
    failed: &BTreeMap<u32, String>,
) -> Vec<u32> {
    let blank = |i: usize| pages[i].trim().is_empty();
    let numbers = (1..=pages.len() as u32).filter(|n| !failed.contains_key(n));
    if (0..pages.len()).all(blank) {
        return numbers.collect();
    }
    if !(0..pages.len()).any(blank) {
        return Vec::new();
    }
    let Some(doc) = doc.or_else(|| Pdf::load_mem(bytes).ok()) else {
        return Vec::new();
    };
    let ids = doc.get_pages();
    numbers
        .filter(|&n| blank(n as usize - 1))
        .filter(|n| {
            ids.get(n)
                .and_then(|&id| doc.get_page_images(id).ok())
                .is_some_and(|images| !images.is_empty())
        })
        .collect()
}

/// `text` (pages ended by form feeds, as in [`Extracted::text`]) with the text of some pages
/// (1-based) replaced: OCR's text put where the text layer had none.
pub fn replace_pages(text: &str, replacements: &BTreeMap<u32, String>) -> String {
    let pages: Vec<String> = text
        .split_terminator('\x0c')
        .enumerate()
        .map(|(i, page)| match replacements.get(&(i as u32 + 1)) {
            Some(new) => clean(new),
            None => page.to_string(),
        })
        .collect();
    with_page_breaks(&pages)
}

/// Pages as pdftotext gives them: each ended by a form feed, so that even a one-page PDF has
/// pages (the later stages number pages only in a text with form feeds).
fn with_page_breaks(pages: &[String]) -> String {
    let mut text = String::with_capacity(pages.iter().map(|p| p.len() + 1).sum());
    for page in pages {
        text.push_str(page);
        text.push('\x0c');
    }
    text
}

/// Why bytes named `.pdf` are not a PDF: the `%PDF-` header must start within the first KiB
/// (the specification lets some junk precede it, and real files have a few bytes of it).
fn not_a_pdf(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return None;
    }
    let looks = if std::str::from_utf8(head).is_ok() || head.is_ascii() {
        "it looks like text; rename it to .txt if that is what it is"
    } else {
        "it looks like some other binary file"
    };
    Some(format!(
        "not a PDF although named .pdf (no %PDF- header at its start); {looks}"
    ))
}

/// What a parse error of lopdf means to a user: almost always a damaged or cut-off file.
fn damaged_reason(e: &lopdf::Error) -> String {
    format!(
        "damaged or truncated PDF ({e}); if it opens in a PDF viewer, save a fresh copy \
         (\"print to PDF\") or give its text extraction instead"
    )
}

/// Open an encrypted PDF the way viewers do: with the empty user password, which is all that
/// most "protected" PDFs (no copying, no printing) need. One that needs a real password is a
/// skip the user can fix.
///
/// lopdf already decrypts with the empty password while loading, and says so by keeping the
/// encryption state; decrypting again would garble every stream (pdf-extract's own
/// `maybe_decrypt` does, and finds no text).
fn decrypt(doc: &mut Pdf) -> Result<(), String> {
    if !doc.is_encrypted() || doc.encryption_state.is_some() {
        return Ok(());
    }
    doc.decrypt("").map_err(|e| {
        format!(
            "encrypted PDF that needs a password to open ({e}); save an unprotected copy \
             (e.g. qpdf --decrypt --password=PASSWORD in.pdf out.pdf) and index that"
        )
    })
}

/// The text of page `n` (1-based), a panic on it costing that page only, and so does content
/// that inflates past [`MAX_PAGE_CONTENT`].
fn page_text(doc: &Pdf, n: u32, id: lopdf::ObjectId) -> Result<String, String> {
    check_content_size(doc, id)?;
    let done = catch_unwind(AssertUnwindSafe(|| {
        let mut out = glyphs::Glyphs::default();
        pdf_extract::output_doc_page(doc, &mut out, n).map(|()| glyphs::page_text(out))
    }));
    match done {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(e)) => Err(shorten(&e.to_string())),
        Err(payload) => Err(format!("the reader panicked: {}", panic_message(&*payload))),
    }
}

/// The memory budget of a page: the reader inflates a page's content streams whole, and a few
/// hundred kilobytes of Flate can inflate to gigabytes (a damaged file, or a decompression
/// bomb). No real page's drawing comes near this.
pub const MAX_PAGE_CONTENT: u64 = 64 * 1024 * 1024;

/// A page's content streams, inflated here under [`MAX_PAGE_CONTENT`] (and thrown away)
/// before the reader inflates them without a cap. Only Flate, the filter of nearly all content
/// streams, is inflated; other streams count as stored.
fn check_content_size(doc: &Pdf, page: lopdf::ObjectId) -> Result<(), String> {
    let mut total = 0u64;
    for id in doc.get_page_contents(page) {
        let Ok(stream) = doc.get_object(id).and_then(|o| o.as_stream()) else {
            continue;
        };
        let flate = (stream.dict.get(b"Filter").and_then(|f| f.as_name()))
            .is_ok_and(|name| name == b"FlateDecode");
        let left = MAX_PAGE_CONTENT + 1 - total;
        total += if flate {
            inflated_len(&stream.content, left)
        } else {
            stream.content.len() as u64
        };
        if total > MAX_PAGE_CONTENT {
            return Err(format!(
                "its content inflates past {} MiB (a damaged page or a decompression bomb); \
                 left out",
                MAX_PAGE_CONTENT / (1024 * 1024)
            ));
        }
    }
    Ok(())
}

/// How many bytes Flate `data` inflates to, counted up to `cap`; a stream that breaks off
/// counts what came before the break.
fn inflated_len(data: &[u8], cap: u64) -> u64 {
    use std::io::Read;
    let mut inflate = flate2::read::ZlibDecoder::new(data).take(cap);
    let mut buf = vec![0u8; 64 * 1024];
    let mut n = 0;
    while let Ok(k @ 1..) = inflate.read(&mut buf) {
        n += k as u64;
    }
    n
}

/// A PDF none of whose pages could be read is damaged or beyond the reader: say so. (One whose
/// pages were read and hold no text is a scan, for the caller to OCR or skip, see
/// [`scan_reason`].)
fn check_text_layer(pages: &[String], failed: &BTreeMap<u32, String>) -> Result<(), String> {
    if pages.iter().any(|p| !p.trim().is_empty()) {
        return Ok(());
    }
    let n = pages.len();
    match failed.iter().next() {
        Some((page, why)) => Err(format!(
            "no page of the PDF could be read ({n} {}; page {page}: {why}); it may be damaged \
             or use a feature pdf-extract does not support: give its text extraction instead",
            plural(n, "page")
        )),
        None => Ok(()),
    }
}

/// `n page` or `n pages`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// Why a scan is skipped without `--ocr`: what it is, its page count, and what to do.
pub fn scan_reason(pages: usize) -> String {
    format!(
        "no text layer in its {pages} {} (a scanned PDF); rerun with --ocr (needs Debian's \
         tesseract-ocr and tesseract-ocr-ind) to read it by OCR",
        plural(pages, "page")
    )
}

/// The extractor's text with what it leaves that no text file holds taken out, every line
/// otherwise as extracted: NULs (glyphs its font tables do not map), carriage returns, form
/// feeds (they would read as page breaks), other control characters. A soft hyphen (U+00AD)
/// at a line end is the typesetter's word break and becomes `-`, so that `ingest::hyphen`
/// decides the join as for any hyphen at a line end; elsewhere it goes. The glyph reader's
/// mark of how a line meets its column's edge stays last on the line. PDFium's own marks of a
/// line-end hyphen (U+FFFE, U+0002) are restored first, wherever they stand.
pub fn clean(text: &str) -> String {
    let text = line_end_hyphens_restored(text);
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = line.trim_end_matches([' ', '\t', '\r']);
        let (line, mark) = match line.strip_suffix([FILLS, STOPS_SHORT]) {
            Some(rest) => (rest.trim_end_matches([' ', '\t']), line.chars().next_back()),
            None => (line, None),
        };
        let (body, soft) = match line.strip_suffix('\u{AD}') {
            Some(body) => (body, true),
            None => (line, false),
        };
        out.extend(body.chars().filter_map(keep_char));
        if soft {
            out.push('-');
        }
        out.extend(mark);
    }
    out
}

/// PDFium marks a hyphen it takes for a word break at a line end as U+FFFE (older builds:
/// U+0002) and joins the two lines: the mark becomes `-` and the line break comes back, so
/// that `ingest::hyphen` decides the join (`hal-hal` keeps its hyphen) and lines count as
/// on the page.
fn line_end_hyphens_restored(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['\u{FFFE}', '\u{2}']) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{FFFE}' && c != '\u{2}' {
            out.push(c);
            continue;
        }
        out.push('-');
        if !matches!(chars.peek(), Some('\n' | '\r') | None) {
            out.push('\n');
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A character of a page's text as it stays in the document text.
fn keep_char(c: char) -> Option<char> {
    match c {
        '\t' => Some('\t'),
        '\u{AD}' => None,
        '\x0c' | '\x0b' => Some(' '),
        c if c.is_control() => None,
        c => Some(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artefacts_go_and_soft_hyphens_at_a_line_end_become_hyphens() {
        let raw =
            "Kebijakan luar\u{0} negeri trans\u{AD}\r\nformasi strate\u{2}\ngis\u{AD}nya\x0cdan";
        assert_eq!(
            clean(raw),
            "Kebijakan luar negeri trans-\nformasi strate-\ngisnya dan"
        );
        assert_eq!(clean("\n\nA\n"), "\n\nA\n");
        // PDFium's mark of a line-end hyphen, with the two lines joined.
        assert_eq!(
            clean("mengurus hal\u{FFFE}hal yang"),
            "mengurus hal-\nhal yang"
        );
    }

    #[test]
    fn a_panic_is_caught_quietly_and_reported() {
        let r: Result<(), _> = isolated(Duration::from_secs(5), || panic!("missing width for 3"));
        assert_eq!(r, Err(Failure::Panicked("missing width for 3".into())));
    }

    #[test]
    fn work_over_its_budget_is_left_behind() {
        let start = std::time::Instant::now();
        let r = isolated(Duration::from_millis(50), || {
            thread::sleep(Duration::from_secs(30));
        });
        assert_eq!(r, Err(Failure::TimedOut));
        assert!(start.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn bytes_without_a_pdf_header_are_named() {
        let why = extract(b"just some text".to_vec(), budget(14)).unwrap_err();
        assert!(why.starts_with("not a PDF although named .pdf"), "{why}");
        assert!(why.contains("looks like text"), "{why}");
        let why = extract(b"%PDF-1.4\n1 0 obj".to_vec(), budget(16)).unwrap_err();
        assert!(why.starts_with("damaged or truncated PDF"), "{why}");
    }

    #[test]
    fn budgets_grow_with_size() {
        assert_eq!(budget(0), BASE_BUDGET);
        assert_eq!(budget(10 << 20), BASE_BUDGET + BUDGET_PER_MIB * 10);
    }
}
