//! Read: the only ingest stage that touches the disk.
//!
//! It owns three things: finding source files under the paths a user gives ([`discover`]),
//! turning their bytes into text whatever the encoding ([`decode`]) or, for a PDF, taking its
//! text layer ([`super::pdf`]) and, with `--ocr` ([`ReadOptions`]), reading its scanned pages
//! ([`super::ocr`]), for a Word or OpenDocument file its text ([`super::office`]), and splitting
//! JSON Lines files into records ([`read_file`]).
//! Everything after this stage works on [`Document`]s in memory, so positions computed later
//! (byte offsets, line numbers) refer to the text exactly as returned here: the text is never
//! altered beyond decoding (a PDF's: beyond extraction or OCR, pages joined by form feeds; a Word
//! file's: beyond writing its paragraphs, headings, tables and notes as [`super::office`] does).
//!
//! Bad input is never fatal: a file or record that cannot be used becomes a [`Skipped`] with a
//! reason a user can act on, and the rest of the corpus is still read.

use crate::model::{Document, Skipped};
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::UNIX_EPOCH;

/// Largest file read in one go. Generous on purpose: single-document PDF extractions of whole
/// books run to tens of megabytes and later stages cut long texts, so the cap only guards
/// against feeding something absurd (a disk image, a database dump) into memory.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// How much of the start of a file the control-character test looks at: binary formats show
/// themselves in their headers, and a bounded sample keeps the test cheap on huge files.
const SNIFF_BYTES: usize = 8 * 1024;

/// Share (in percent) of control characters in the sample above which bytes are called binary.
/// Real text has almost none; random bytes have about 11%.
const MAX_CONTROL_PERCENT: usize = 5;

/// How many bytes (from the first non-ASCII one) the encoding detector sees: enough for a
/// confident guess, bounded so a huge legacy file costs no more than a small one to detect.
const DETECT_BYTES: usize = 4 * 1024 * 1024;

/// Format of a source file, decided by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.txt` or `.md`: the whole file is one document, its id the file's `rel`.
    Text,
    /// `.jsonl`: one document per line, each a record with its own `id` and `text`.
    Jsonl,
    /// `.pdf`: the whole file is one document, its id the file's `rel`; its text is the text
    /// layer, pages separated by form feeds as in a pdftotext extraction.
    Pdf,
    /// `.docx` (Word 2007 and later): one document, its text written by [`super::office`].
    Docx,
    /// `.odt` (OpenDocument Text): as `.docx`.
    Odt,
}

/// The extensions read, as reasons name them.
const EXPECTED: &str = "expected .txt, .md, .jsonl, .pdf, .docx or .odt";

impl Format {
    /// Whether a file of this format is one document (its id is the file), so that the file
    /// can stand for the document, as `/api/docs/{doc}/file` serves it.
    pub fn whole_file(self) -> bool {
        match self {
            Format::Text | Format::Pdf | Format::Docx | Format::Odt => true,
            Format::Jsonl => false,
        }
    }

    /// The format a path's extension announces (`.txt`, `.md`, `.jsonl`, `.pdf`, `.docx`,
    /// `.odt`, any case), if any.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "md" => Some(Format::Text),
            "jsonl" => Some(Format::Jsonl),
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            "odt" => Some(Format::Odt),
            _ => None,
        }
    }

    /// The office package of this format, if it is one.
    pub fn package(self) -> Option<super::office::Package> {
        match self {
            Format::Docx => Some(super::office::Package::Docx),
            Format::Odt => Some(super::office::Package::Odt),
            _ => None,
        }
    }
}

/// A file Word (`~$name.docx`) or LibreOffice (`.~lock.name.odt#`, hidden anyway) keeps beside
/// a document while it is open: a few bytes naming who has it open, never a document. A
/// directory walk passes over it in silence; named on the command line it gets a reason.
pub fn is_lock_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.as_encoded_bytes().starts_with(b"~$"))
}

const LOCK_FILE: &str = "a lock file Word keeps beside a document while it is open (~$...), \
                         not a document; it goes when the document is closed";

/// A file found under one of the given roots.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path to open: a path given, or one found under a directory given (not canonical).
    pub path: PathBuf,
    /// Path relative to the root it was found under, with '/' separators (e.g. "000_abc.txt",
    /// "sub/dir/x.md"); for a file given directly, its file name. Becomes the document id of text files.
    pub rel: String,
    /// How to read it, from its extension.
    pub format: Format,
    /// Size in bytes when found; with `mtime`, how incremental indexing notices a change.
    pub len: u64,
    /// Modification time as seconds since the epoch (0 if unknown); used later for incremental indexing.
    pub mtime: u64,
}

impl SourceFile {
    /// Describe an existing file as if it had been given directly (its `rel` is its file name).
    /// Errors say why the file cannot be a source, in the same words as [`discover`].
    pub fn from_path(path: &Path) -> Result<SourceFile, Skipped> {
        let meta = fs::metadata(path).map_err(|e| skipped(path, None, access_reason(path, &e)))?;
        if !meta.is_file() {
            return Err(skipped(path, None, NOT_A_FILE));
        }
        let format =
            Format::of(path).ok_or_else(|| skipped(path, None, unsupported_reason(path)))?;
        Ok(source_file(path, file_name(path), format, &meta))
    }
}

/// Walk `paths` (files or directories, recursively, following no symlink loops), keep `.txt`, `.md`, `.jsonl`,
/// `.pdf`, `.docx`, `.odt` (case-insensitive extension), but not Word's lock files ([`is_lock_file`]), skip hidden files/dirs (name starting with '.'), and return them sorted by
/// `rel` (deterministic). Anything that cannot be walked (nonexistent path, unreadable directory, permission error)
/// goes into the `Vec<Skipped>` with its path and a clear reason; it never aborts. A path given explicitly that
/// has another extension is reported as skipped ("unsupported file type ... (expected .txt, .md, .jsonl, ...)").
///
/// Inside directories, files of other types are ignored silently. A PDF beside its own text
/// extraction (`x.pdf` and `x.txt` or `x.md`, both found) is skipped, saying so: corpus folders
/// often hold both, the extraction is what the user prepared (and what was indexed before PDFs
/// were read), and indexing both would give every passage twice. The same file reached twice
/// (given twice, or through a symbolic link) is kept once. Two different files with the same
/// `rel` (e.g. `a/x.txt` and `b/x.txt` given as roots `a` and `b`) would get the same document
/// id, so the later one is skipped.
pub fn discover(paths: &[PathBuf]) -> (Vec<SourceFile>, Vec<Skipped>) {
    let mut found: Vec<(SourceFile, usize)> = Vec::new();
    let mut skips = Vec::new();
    for (root_index, root) in paths.iter().enumerate() {
        let meta = match fs::metadata(root) {
            Ok(meta) => meta,
            Err(e) => {
                skips.push(skipped(root, None, access_reason(root, &e)));
                continue;
            }
        };
        if meta.is_dir() {
            walk_dir(root, root_index, &mut found, &mut skips);
        } else if !meta.is_file() {
            skips.push(skipped(root, None, NOT_A_FILE));
        } else if let Some(format) = Format::of(root) {
            found.push((
                source_file(root, file_name(root), format, &meta),
                root_index,
            ));
        } else {
            skips.push(skipped(root, None, unsupported_reason(root)));
        }
    }

    skip_pdfs_beside_their_text(&mut found, &mut skips);
    // Duplicates are settled in the order the paths were given (the first path wins), so the
    // id a file gets does not depend on how its name sorts against another root's.
    found.sort_by(|(a, ai), (b, bi)| (ai, &a.rel, &a.path).cmp(&(bi, &b.rel, &b.path)));
    let mut seen_files = HashSet::new();
    let mut seen_rels: HashMap<String, PathBuf> = HashMap::new();
    let mut files = Vec::with_capacity(found.len());
    for (file, _) in found {
        let canonical = fs::canonicalize(&file.path).unwrap_or_else(|_| file.path.clone());
        if !seen_files.insert(canonical) {
            continue;
        }
        if let Some(first) = seen_rels.get(&file.rel) {
            let reason = format!(
                "same document id \"{}\" as {}; give the parent directory instead so that ids differ",
                file.rel,
                first.display()
            );
            skips.push(skipped(&file.path, None, reason));
            continue;
        }
        seen_rels.insert(file.rel.clone(), file.path.clone());
        files.push(file);
    }
    files.sort_by(|a, b| (&a.rel, &a.path).cmp(&(&b.rel, &b.path)));
    (files, skips)
}

/// Drop every PDF whose text extraction (same directory, same stem, `.txt` or `.md`) was found
/// too, with a skip saying which file is read instead.
fn skip_pdfs_beside_their_text(found: &mut Vec<(SourceFile, usize)>, skips: &mut Vec<Skipped>) {
    let texts: HashMap<PathBuf, &Path> = found
        .iter()
        .filter(|(f, _)| f.format == Format::Text)
        .map(|(f, _)| (f.path.with_extension(""), f.path.as_path()))
        .collect();
    let mut beside = HashSet::new();
    for (i, (f, _)) in found.iter().enumerate() {
        if f.format != Format::Pdf {
            continue;
        }
        if let Some(text) = texts.get(&f.path.with_extension("")) {
            let name = text.file_name().unwrap_or_default().to_string_lossy();
            let reason = format!("its text extraction {name} is read instead");
            skips.push(skipped(&f.path, None, reason));
            beside.insert(i);
        }
    }
    let mut i = 0;
    found.retain(|_| {
        i += 1;
        !beside.contains(&(i - 1))
    });
}

/// Collect the source files under one directory root.
fn walk_dir(
    root: &Path,
    root_index: usize,
    found: &mut Vec<(SourceFile, usize)>,
    skips: &mut Vec<Skipped>,
) {
    // Following links lets a corpus be assembled from symlinked folders; walkdir detects loops.
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        match entry {
            Ok(entry) => {
                if !entry.file_type().is_file() {
                    continue;
                }
                let Some(format) = Format::of(entry.path()) else {
                    continue;
                };
                let lock = format.package().is_some() && is_lock_file(entry.path());
                if describes_the_corpus(entry.file_name()) || lock {
                    continue;
                }
                // With follow_links, this is the metadata of the link's target.
                match entry.metadata() {
                    Ok(meta) => {
                        let rel = rel_path(root, entry.path());
                        found.push((source_file(entry.path(), rel, format, &meta), root_index));
                    }
                    Err(e) => skips.push(walk_error(root, &e)),
                }
            }
            Err(e) => {
                // Errors arrive before filter_entry sees the entry, so apply the same filters
                // here: a broken link to a hidden or non-text file is none of our business.
                if let Some(path) = e.path() {
                    let is_root = path == root;
                    let hidden = path.file_name().is_some_and(is_hidden);
                    let other_type = path.extension().is_some() && Format::of(path).is_none();
                    if !is_root && (hidden || other_type) {
                        continue;
                    }
                }
                skips.push(walk_error(root, &e));
            }
        }
    }
}

fn walk_error(root: &Path, e: &walkdir::Error) -> Skipped {
    let path = e.path().unwrap_or(root);
    let reason = if let Some(ancestor) = e.loop_ancestor() {
        format!(
            "symbolic link loop (points back to {}); not followed",
            ancestor.display()
        )
    } else if let Some(io) = e.io_error() {
        access_reason(path, io)
    } else {
        e.to_string()
    };
    skipped(path, None, reason)
}

/// Why a path cannot be opened, with the OS error text and the common causes named.
pub(crate) fn access_reason(path: &Path, e: &io::Error) -> String {
    if e.kind() == io::ErrorKind::NotFound {
        if let Ok(meta) = fs::symlink_metadata(path) {
            if meta.file_type().is_symlink() {
                let target = fs::read_link(path)
                    .map(|t| t.display().to_string())
                    .unwrap_or_else(|_| "?".into());
                return format!("dangling symbolic link: its target {target} does not exist");
            }
        }
        return "no such file or directory; check the path".into();
    }
    if e.kind() == io::ErrorKind::PermissionDenied {
        let what = if path.is_dir() {
            "list this directory"
        } else {
            "open"
        };
        return format!("cannot {what}: {e}; check its permissions");
    }
    format!("cannot access: {e}")
}

const NOT_A_FILE: &str =
    "not a regular file or directory (a device, socket or pipe); give a file or a directory";

fn unsupported_reason(path: &Path) -> String {
    match path.extension() {
        Some(ext) => format!(
            "unsupported file type \".{}\" ({EXPECTED})",
            ext.to_string_lossy()
        ),
        None => format!("unsupported file type: no extension ({EXPECTED})"),
    }
}

/// Files that sit beside a corpus to describe it (`README.md`, `SOURCES.md`, a licence), not
/// documents of it: a directory walk leaves them out, so a search for a word of the corpus's own
/// description does not answer with it. Named on the command line, they are read like any file.
fn describes_the_corpus(name: &std::ffi::OsStr) -> bool {
    const NAMES: [&str; 9] = [
        "readme",
        "sources",
        "license",
        "licence",
        "changelog",
        "contributing",
        "notice",
        "authors",
        "copying",
    ];
    let name = name.to_string_lossy().to_ascii_lowercase();
    let stem = name.split('.').next().unwrap_or("");
    NAMES.contains(&stem)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string_lossy().into_owned())
}

/// `path` relative to `root`, '/'-separated on every platform so ids do not depend on the OS.
fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<_> = rel.iter().map(|c| c.to_string_lossy()).collect();
    parts.join("/")
}

fn source_file(path: &Path, rel: String, format: Format, meta: &fs::Metadata) -> SourceFile {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    SourceFile {
        path: path.to_path_buf(),
        rel,
        format,
        len: meta.len(),
        mtime,
    }
}

fn skipped(path: &Path, line: Option<usize>, reason: impl Into<String>) -> Skipped {
    Skipped {
        path: path.to_path_buf(),
        line,
        reason: reason.into(),
    }
}

/// How files are read: what a user chose on the command line (`--ocr`), handed down from the
/// CLI through [`super::ingest_with`] and the index build to [`read_file_with`], the one place
/// that decides what each option does.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// Read the pages of PDFs that have no text layer with tesseract ([`super::ocr`]); without
    /// it a scanned PDF is skipped, saying so.
    pub ocr: bool,
    /// Longest the reader of one PDF or Word file may run, below what the file's size earns
    /// ([`super::pdf::budget`]): the server sets its request timeout here, so a reader never
    /// outlives the request it answers. `None`: the size's budget alone.
    pub max_time: Option<std::time::Duration>,
}

/// Read one file into documents, with the default [`ReadOptions`] (no OCR).
pub fn read_file(file: &SourceFile) -> Result<(Vec<Document>, Vec<Skipped>), Skipped> {
    read_file_with(file, ReadOptions::default())
}

/// Read one file into documents. Err(Skipped) when the whole file is unusable (unreadable, empty, binary,
/// a PDF without a text layer and no `--ocr`, ...). For JSON Lines, bad records are reported in the returned `Vec<Skipped>`
/// (with their 1-based line) and the good records still come back; for a PDF, pages that could not be read.
pub fn read_file_with(
    file: &SourceFile,
    opts: ReadOptions,
) -> Result<(Vec<Document>, Vec<Skipped>), Skipped> {
    let path = &file.path;
    let fail = |reason: String| skipped(path, None, reason);
    if file.format.package().is_some() && is_lock_file(path) {
        return Err(fail(LOCK_FILE.into()));
    }
    // Ask the file system again: the file may have changed since discovery.
    let meta = fs::metadata(path).map_err(|e| fail(read_error(path, &e)))?;
    if let Some(reason) = too_large(file.format, meta.len()) {
        return Err(fail(reason));
    }
    let bytes = fs::read(path).map_err(|e| fail(read_error(path, &e)))?;
    read_bytes(file, bytes, opts)
}

/// Read the bytes of `file`, already in memory, into documents, as [`read_file_with`] reads
/// them from disk: a manuscript sent to the server is read by the rules a file in the corpus
/// is (`api::Manuscript`). `file.path` names it in reasons, and is where OCR reads a scanned
/// PDF's pages from, so `opts.ocr` wants the file on disk.
pub fn read_bytes(
    file: &SourceFile,
    bytes: Vec<u8>,
    opts: ReadOptions,
) -> Result<(Vec<Document>, Vec<Skipped>), Skipped> {
    let path = &file.path;
    let fail = |reason: String| skipped(path, None, reason);
    if let Some(reason) = too_large(file.format, bytes.len() as u64) {
        return Err(fail(reason));
    }
    if bytes.is_empty() {
        return Err(fail("empty file".into()));
    }
    if file.format == Format::Pdf {
        return read_pdf(file, bytes, opts);
    }
    if let Some(package) = file.format.package() {
        return read_office(file, package, bytes, opts);
    }
    let (text, encoding) = decode_owned(bytes).map_err(fail)?;
    if text.trim().is_empty() {
        return Err(fail("empty file (only whitespace)".into()));
    }
    match file.format {
        Format::Text => {
            let doc = Document {
                id: file.rel.clone(),
                path: path.clone(),
                record_line: None,
                title_hint: None,
                lang_hint: None,
                text,
                encoding,
                scanned: Default::default(),
            };
            Ok((vec![doc], Vec::new()))
        }
        Format::Jsonl => read_jsonl(path, &text, encoding),
        Format::Pdf | Format::Docx | Format::Odt => unreachable!("read above"),
    }
}

/// Why a file of `len` bytes is not read, if it is too large for its format.
fn too_large(format: Format, len: u64) -> Option<String> {
    const MIB: u64 = 1024 * 1024;
    if format == Format::Pdf && len > super::pdf::MAX_PDF_BYTES {
        return Some(format!(
            "PDF is {} MiB, over the {} MiB limit for one PDF; give its text extraction \
             (e.g. pdftotext) instead",
            len / MIB,
            super::pdf::MAX_PDF_BYTES / MIB
        ));
    }
    (len > MAX_FILE_BYTES).then(|| {
        format!(
            "file is {} MiB, over the {} MiB limit for one file; split it into several files \
             (or one JSON Lines record per document)",
            len / MIB,
            MAX_FILE_BYTES / MIB
        )
    })
}

/// A PDF's text layer as one document, its scanned pages read by OCR when `opts` say so, and a
/// skip for each page that could not be read (the document keeps the others, and its page
/// numbers).
fn read_pdf(
    file: &SourceFile,
    bytes: Vec<u8>,
    opts: ReadOptions,
) -> Result<(Vec<Document>, Vec<Skipped>), Skipped> {
    let fail = |reason: String| skipped(&file.path, None, reason);
    let budget = budget(bytes.len(), opts);
    let mut pdf = super::pdf::extract(bytes, budget).map_err(fail)?;
    let mut bad: Vec<Skipped> = pdf
        .failed
        .iter()
        .map(|(page, why)| fail(page_reason(*page, pdf.pages, why, "")))
        .collect();
    let mut doc = Document {
        id: file.rel.clone(),
        path: file.path.clone(),
        record_line: None,
        title_hint: None,
        lang_hint: None,
        text: std::mem::take(&mut pdf.text),
        encoding: "PDF text layer",
        scanned: Default::default(),
    };
    if pdf.scanned.is_empty() {
        return Ok((vec![doc], bad));
    }
    if !opts.ocr {
        if pdf.is_scan() {
            return Err(fail(super::pdf::scan_reason(pdf.pages)));
        }
        bad.push(fail(unread_pages_reason(&pdf.scanned, pdf.pages)));
        doc.scanned.unread = pdf.scanned;
        return Ok((vec![doc], bad));
    }
    if let Err(why) = ocr_pages(&mut doc, &pdf, &mut bad) {
        let n = pdf.scanned.len();
        let pages = super::pdf::plural(n, "page");
        if pdf.is_scan() {
            return Err(fail(format!(
                "scanned PDF ({n} {pages}) not read by OCR: {why}"
            )));
        }
        bad.push(fail(format!(
            "{n} scanned {pages} not read by OCR: {why}; the other pages are indexed"
        )));
        doc.scanned.unread = pdf.scanned;
        return Ok((vec![doc], bad));
    }
    if doc.scanned.ocr.is_empty() && pdf.is_scan() {
        // Nothing to index: one reason for the file (its page reasons would be lost with it).
        let n = pdf.pages;
        let why = match bad.first() {
            Some(first) => format!("no page could be read by OCR; {}", first.reason),
            None => "OCR found no text on them (blank pages, or no writing)".into(),
        };
        return Err(fail(format!(
            "scanned PDF ({n} {}): {why}",
            super::pdf::plural(n, "page")
        )));
    }
    Ok((vec![doc], bad))
}

/// A Word or OpenDocument file's text as one document. It is read on a worker thread with its
/// panics caught and a time budget, as a PDF is: the zip and XML readers are made for
/// untrusted input, but a bug met on one odd file must cost that file, not the run.
fn read_office(
    file: &SourceFile,
    package: super::office::Package,
    bytes: Vec<u8>,
    opts: ReadOptions,
) -> Result<(Vec<Document>, Vec<Skipped>), Skipped> {
    let budget = budget(bytes.len(), opts);
    let text = office_text(package, bytes, budget).map_err(|r| skipped(&file.path, None, r))?;
    let doc = Document {
        id: file.rel.clone(),
        path: file.path.clone(),
        record_line: None,
        title_hint: None,
        lang_hint: None,
        text,
        scanned: Default::default(),
        encoding: match package {
            super::office::Package::Docx => "DOCX text",
            super::office::Package::Odt => "ODT text",
        },
    };
    Ok((vec![doc], Vec::new()))
}

/// The time the reader of a file of `len` bytes gets: what its size earns, at most what
/// `opts` allow.
fn budget(len: usize, opts: ReadOptions) -> std::time::Duration {
    let earned = super::pdf::budget(len);
    opts.max_time.map_or(earned, |most| earned.min(most))
}

/// The text of a Word or OpenDocument file's bytes, isolated as [`read_office`] says, within
/// `budget`; `Err` holds the skip reason.
fn office_text(
    package: super::office::Package,
    bytes: Vec<u8>,
    budget: std::time::Duration,
) -> Result<String, String> {
    match super::pdf::isolated(budget, move || super::office::extract(package, &bytes)) {
        Ok(result) => result,
        Err(super::pdf::Failure::Panicked(msg)) => Err(format!(
            "internal error while reading this file ({msg}); save it again, or as .txt"
        )),
        Err(super::pdf::Failure::TimedOut) => Err(format!(
            "reading this file did not finish within {} s; save it again, or as .txt",
            budget.as_secs()
        )),
    }
}

/// The scanned pages of `pdf` read by OCR into `doc`, a skip for each that failed. `Err` when
/// OCR cannot run at all; a scan is then skipped, a mixed PDF keeps its text pages (the
/// caller decides from the `Err`).
fn ocr_pages(
    doc: &mut Document,
    pdf: &super::pdf::Extracted,
    bad: &mut Vec<Skipped>,
) -> Result<(), String> {
    let read = super::ocr::recognize(&doc.path, &pdf.scanned)?;
    for (page, why) in &read.failed {
        bad.push(skipped(
            &doc.path,
            None,
            page_reason(*page, pdf.pages, why, " by OCR"),
        ));
    }
    let texts: std::collections::BTreeMap<u32, String> = read
        .texts
        .into_iter()
        .filter(|(_, t)| !t.trim().is_empty())
        .collect();
    doc.text = super::pdf::replace_pages(&doc.text, &texts);
    doc.scanned.ocr = texts.keys().copied().collect();
    doc.scanned.unread = read.failed.keys().copied().collect();
    doc.encoding = if pdf.is_scan() {
        "PDF scan, read by OCR"
    } else {
        "PDF text layer, scanned pages read by OCR"
    };
    Ok(())
}

fn page_reason(page: u32, pages: usize, why: &str, how: &str) -> String {
    format!("page {page} of {pages} could not be read{how} ({why}); the other pages are indexed")
}

/// Pages of a PDF with text elsewhere that show only an image, read without `--ocr`.
fn unread_pages_reason(scanned: &[u32], pages: usize) -> String {
    let list: Vec<String> = scanned.iter().map(u32::to_string).collect();
    format!(
        "{} {} of {pages} {} no text layer (scanned); rerun with --ocr (needs Debian's \
         tesseract-ocr and tesseract-ocr-ind) to read them by OCR; the other pages are indexed",
        super::pdf::plural(scanned.len(), "page"),
        list.join(", "),
        if scanned.len() == 1 { "has" } else { "have" }
    )
}

fn read_error(path: &Path, e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => access_reason(path, e),
        io::ErrorKind::PermissionDenied => format!("cannot read: {e}; check its permissions"),
        _ => format!("cannot read: {e}"),
    }
}

/// Decode bytes to text: UTF-8 (strip a BOM), UTF-16 with BOM or without (see
/// `bomless_utf16`), else detect the legacy encoding with chardetng
/// (e.g. Windows-1252) and decode with encoding_rs. Returns the text and the encoding name. Err with a reason when
/// the bytes are binary (NUL bytes, or a high share of control characters in the first 8 KiB — but form feed \x0c,
/// tab, CR, LF are normal in PDF text extractions and must be accepted).
///
/// Text that decodes only with replacement characters (invalid UTF-8 that is still mostly UTF-8,
/// or a legacy guess that does not fit every byte) is returned with the encoding name marked
/// `(lossy: ...)`, so a user can see why some characters came out as U+FFFD.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), String> {
    decode_cow(Cow::Borrowed(bytes))
}

/// [`decode`] without copying valid UTF-8: a large file is then held in memory once, not twice.
fn decode_owned(bytes: Vec<u8>) -> Result<(String, &'static str), String> {
    decode_cow(Cow::Owned(bytes))
}

fn decode_cow(bytes: Cow<'_, [u8]>) -> Result<(String, &'static str), String> {
    // UTF-32 BOMs start like UTF-16LE's; catch them first, or they would pass for binary UTF-16.
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Err("UTF-32 text is not supported; convert it to UTF-8 first \
                    (e.g. iconv -f UTF-32 -t UTF-8)"
            .into());
    }
    match Encoding::for_bom(&bytes) {
        Some((enc, bom)) if enc == UTF_16LE || enc == UTF_16BE => {
            let body = &bytes[bom..];
            if let Some(reason) = utf16_binary_reason(body, enc == UTF_16LE, bom) {
                return Err(reason);
            }
            let (text, had_errors) = enc.decode_without_bom_handling(body);
            let name = if had_errors {
                lossy_name(enc)
            } else {
                enc.name()
            };
            return Ok((text.into_owned(), name));
        }
        Some((_, bom)) => {
            // UTF-8 BOM: trust it, even if some bytes turn out invalid.
            if let Some(reason) = binary_reason(&bytes) {
                return Err(reason);
            }
            return Ok(match into_utf8(strip_prefix(bytes, bom)) {
                Ok(text) => (text, UTF_8.name()),
                Err(bytes) => (
                    String::from_utf8_lossy(&bytes).into_owned(),
                    lossy_name(UTF_8),
                ),
            });
        }
        None => {}
    }
    if let Some(decoded) = bomless_utf16(&bytes) {
        return Ok(decoded);
    }
    if let Some(reason) = binary_reason(&bytes) {
        return Err(reason);
    }
    let bytes = match into_utf8(bytes) {
        Ok(text) => return Ok((text, UTF_8.name())),
        Err(bytes) => bytes,
    };
    // Mostly valid UTF-8 with a few stray bytes (a bad concatenation, a truncated copy) is
    // UTF-8: reading it as a legacy encoding would garble every one of its accented letters.
    // A valid multi-byte sequence almost never arises by chance in legacy text, so a tie counts
    // for UTF-8.
    let (valid_non_ascii, invalid) = utf8_stats(&bytes);
    if valid_non_ascii >= invalid {
        return Ok((
            String::from_utf8_lossy(&bytes).into_owned(),
            lossy_name(UTF_8),
        ));
    }
    let start = Encoding::ascii_valid_up_to(&bytes);
    let end = bytes.len().min(start.saturating_add(DETECT_BYTES));
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(&bytes[..end], end == bytes.len());
    let enc = detector.guess(None, Utf8Detection::Allow);
    if enc == UTF_8 {
        return Ok((
            String::from_utf8_lossy(&bytes).into_owned(),
            lossy_name(UTF_8),
        ));
    }
    let (text, had_errors) = enc.decode_without_bom_handling(&bytes);
    let name = if had_errors {
        lossy_name(enc)
    } else {
        enc.name()
    };
    Ok((text.into_owned(), name))
}

fn strip_prefix(bytes: Cow<'_, [u8]>, n: usize) -> Cow<'_, [u8]> {
    match bytes {
        Cow::Borrowed(b) => Cow::Borrowed(&b[n..]),
        Cow::Owned(mut v) => {
            v.drain(..n);
            Cow::Owned(v)
        }
    }
}

/// Valid UTF-8 as a `String`, reusing the buffer when we own it; the bytes back otherwise.
fn into_utf8(bytes: Cow<'_, [u8]>) -> Result<String, Cow<'_, [u8]>> {
    match bytes {
        Cow::Borrowed(b) => match std::str::from_utf8(b) {
            Ok(s) => Ok(s.to_owned()),
            Err(_) => Err(Cow::Borrowed(b)),
        },
        Cow::Owned(v) => String::from_utf8(v).map_err(|e| Cow::Owned(e.into_bytes())),
    }
}

/// Count valid non-ASCII characters and invalid sequences: which of the two dominates tells
/// UTF-8 with a few bad bytes from a legacy-encoded file.
fn utf8_stats(bytes: &[u8]) -> (usize, usize) {
    let mut valid_non_ascii = 0;
    let mut invalid = 0;
    for chunk in bytes.utf8_chunks() {
        valid_non_ascii += chunk.valid().bytes().filter(|&b| b >= 0xC0).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    (valid_non_ascii, invalid)
}

/// Encoding names are `&'static str` in [`Document`]; the lossy variants are made once per
/// encoding (a few dozen at most) and kept for the life of the process.
fn lossy_name(enc: &'static Encoding) -> &'static str {
    static NAMES: OnceLock<Mutex<HashMap<&'static str, &'static str>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    names.entry(enc.name()).or_insert_with(|| {
        let name = format!("{} (lossy: undecodable bytes replaced)", enc.name());
        Box::leak(name.into_boxed_str())
    })
}

/// Control characters that do not occur in text. Tab, LF, CR and form feed do: pdftotext
/// separates pages with form feeds.
fn is_odd_control(c: u32) -> bool {
    (c < 0x20 && !matches!(c, 0x09 | 0x0A | 0x0C | 0x0D)) || c == 0x7F
}

/// Why these (non-UTF-16) bytes are not text, if they are not.
fn binary_reason(bytes: &[u8]) -> Option<String> {
    if let Some(reason) = known_binary(bytes) {
        return Some(reason);
    }
    // `contains` on bytes is a memchr: cheap even on a 500 MB file.
    if bytes.contains(&0) {
        let at = bytes.iter().position(|&b| b == 0).unwrap_or(0);
        return Some(format!(
            "binary file (NUL byte at offset {at}); not a text extraction"
        ));
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let controls = head.iter().filter(|&&b| is_odd_control(b.into())).count();
    control_share_reason(controls, head.len())
}

fn control_share_reason(controls: usize, total: usize) -> Option<String> {
    (total > 0 && controls * 100 > total * MAX_CONTROL_PERCENT).then(|| {
        format!(
            "binary file ({}% control characters in the first 8 KiB); not a text extraction",
            controls * 100 / total
        )
    })
}

/// Like [`binary_reason`] for the code units of UTF-16, where zero bytes are normal but a zero
/// code unit is not.
fn utf16_binary_reason(body: &[u8], little_endian: bool, bom: usize) -> Option<String> {
    let unit = |pair: &[u8]| -> u32 {
        let pair = [pair[0], pair[1]];
        u32::from(if little_endian {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        })
    };
    if let Some(i) = body.chunks_exact(2).position(|p| unit(p) == 0) {
        return Some(format!(
            "binary file (NUL character at offset {}); not a text extraction",
            bom + 2 * i
        ));
    }
    let head = &body[..body.len().min(SNIFF_BYTES)];
    let units = head.len() / 2;
    let controls = head
        .chunks_exact(2)
        .filter(|p| {
            let u = unit(p);
            // C1 controls and noncharacters: what binary bytes read as UTF-16 turn into, and
            // what no text tool writes.
            is_odd_control(u) || (0x80..0xA0).contains(&u) || u >= 0xFFFE
        })
        .count();
    control_share_reason(controls, units)
}

/// UTF-16 without a BOM (what some Windows tools write): in Latin-script text nearly every code
/// unit has a zero high byte, so zeros fill one column of byte pairs (odd offsets for
/// little-endian, even for big-endian) and almost never the other. Binaries have zeros in both
/// columns or in none; one that happens to look like this (16-bit samples, a table of small
/// integers) still fails the test of [`utf16_binary_reason`] (a NUL unit, or control
/// characters), or does not decode, and is then reported as binary by the caller.
fn bomless_utf16(bytes: &[u8]) -> Option<(String, &'static str)> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES) & !1];
    let units = head.len() / 2;
    if units < 2 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let zeros = |column: usize| {
        head.iter()
            .skip(column)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    let mostly = |n: usize| n * 10 >= units * 7;
    let enc = match (even, odd) {
        (e, o) if mostly(o) && e * 20 <= units => UTF_16LE,
        (e, o) if mostly(e) && o * 20 <= units => UTF_16BE,
        _ => return None,
    };
    if utf16_binary_reason(bytes, enc == UTF_16LE, 0).is_some() {
        return None;
    }
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    (!had_errors).then(|| (text.into_owned(), enc.name()))
}

/// Formats people commonly drop into a corpus folder by mistake, named so the reason can say
/// what to do instead.
fn known_binary(bytes: &[u8]) -> Option<String> {
    const MAGIC: &[(&[u8], &str, &str)] = &[
        (
            b"%PDF-",
            "a PDF document",
            "name it .pdf to have its text layer read",
        ),
        (
            b"PK\x03\x04",
            "a ZIP archive, e.g. .docx or .odt",
            "name a Word or OpenDocument file .docx or .odt to have its text read",
        ),
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "a legacy Office document, e.g. .doc",
            "save it as .docx (or as plain text) first",
        ),
        (b"\x1F\x8B", "gzip-compressed", "decompress it first"),
        (b"\x89PNG\r\n\x1A\n", "a PNG image", "not a text extraction"),
        (b"\xFF\xD8\xFF", "a JPEG image", "not a text extraction"),
        (b"GIF8", "a GIF image", "not a text extraction"),
    ];
    MAGIC
        .iter()
        .find(|(magic, _, _)| bytes.starts_with(magic))
        .map(|(_, what, todo)| format!("binary file ({what}); {todo}"))
}

/// A JSON Lines record as it comes; fields are checked afterwards so that reasons can name
/// the field at fault. Unknown fields are skipped without being built.
#[derive(Deserialize)]
struct Record {
    id: Option<Field>,
    text: Option<Field>,
    title: Option<Field>,
    lang: Option<Field>,
}

/// One record field of whatever JSON type, so that a wrong type becomes a clear reason
/// ("\"text\" must be a string, found a number") rather than serde's generic message.
enum Field {
    Str(String),
    /// Integer ids are common in exports and unambiguous; they are accepted as their digits.
    Int(String),
    Other(&'static str),
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FieldVisitor)
    }
}

struct FieldVisitor;

impl<'de> Visitor<'de> for FieldVisitor {
    type Value = Field;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Field, E> {
        Ok(Field::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Field, E> {
        Ok(Field::Str(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Field, E> {
        Ok(Field::Int(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Field, E> {
        Ok(Field::Int(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Field, E> {
        Ok(Field::Other("a number"))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Field, E> {
        Ok(Field::Other("a boolean"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Field, E> {
        Ok(Field::Other("null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Field, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Field::Other("an array"))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Field, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Field::Other("an object"))
    }
}

fn read_jsonl(
    path: &Path,
    text: &str,
    encoding: &'static str,
) -> Result<(Vec<Document>, Vec<Skipped>), Skipped> {
    let mut docs = Vec::new();
    let mut skips = Vec::new();
    let mut first_line_of: HashMap<String, usize> = HashMap::new();
    for (i, line) in text.split('\n').enumerate() {
        let n = i + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        match parse_record(line) {
            Ok(rec) => {
                if let Some(first) = first_line_of.get(&rec.id) {
                    let reason = format!(
                        "duplicate id \"{}\" (first used on line {first}); record skipped",
                        rec.id
                    );
                    skips.push(skipped(path, Some(n), reason));
                    continue;
                }
                first_line_of.insert(rec.id.clone(), n);
                docs.push(Document {
                    id: rec.id,
                    path: path.to_path_buf(),
                    record_line: Some(n),
                    title_hint: rec.title,
                    lang_hint: rec.lang,
                    text: rec.text,
                    encoding,
                    scanned: Default::default(),
                });
            }
            Err(reason) => skips.push(skipped(path, Some(n), reason)),
        }
    }
    // A pretty-printed JSON file named .jsonl fails on every line; one clear reason beats
    // hundreds of "invalid JSON" lines.
    if docs.is_empty() && skips.len() > 1 && serde_json::from_str::<IgnoredAny>(text).is_ok() {
        return Err(skipped(
            path,
            None,
            "a single JSON document, not JSON Lines; put one record per line \
             (e.g. jq -c '.[]' file.json > file.jsonl)",
        ));
    }
    Ok((docs, skips))
}

/// A record that passed every check.
struct GoodRecord {
    id: String,
    text: String,
    title: Option<String>,
    lang: Option<String>,
}

fn parse_record(line: &str) -> Result<GoodRecord, String> {
    // serde would read `["a", "b"]` as a struct too (fields by position); a record must be an object.
    let first = line.trim_start().chars().next().unwrap_or(' ');
    if first != '{' {
        return Err(format!(
            "record is not a JSON object (line starts with `{first}`); expected one {{...}} per line"
        ));
    }
    let rec: Record = serde_json::from_str(line).map_err(|e| json_reason(&e))?;
    let id = match rec.id {
        None if rec.text.is_none() => {
            return Err("record has neither an \"id\" nor a \"text\" field".into())
        }
        None => return Err("record has no \"id\" field".into()),
        Some(Field::Str(s) | Field::Int(s)) => s,
        Some(Field::Other(kind)) => return Err(format!("\"id\" must be a string, found {kind}")),
    };
    if id.trim().is_empty() {
        return Err("record has an empty \"id\"".into());
    }
    let text = match rec.text {
        None => return Err("record has no \"text\" field".into()),
        Some(Field::Str(s)) => s,
        Some(Field::Int(_)) => return Err("\"text\" must be a string, found a number".into()),
        Some(Field::Other(kind)) => return Err(format!("\"text\" must be a string, found {kind}")),
    };
    if text.trim().is_empty() {
        return Err(format!("record \"{id}\" has an empty \"text\""));
    }
    Ok(GoodRecord {
        id,
        text,
        title: hint(rec.title),
        lang: hint(rec.lang),
    })
}

/// Optional hints of the wrong type or empty are dropped, not fatal: the text is still good.
fn hint(field: Option<Field>) -> Option<String> {
    match field {
        Some(Field::Str(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}

/// serde_json's message without its "at line 1 column N" tail (the line is ours to report).
fn json_reason(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let msg = full
        .rfind(" at line ")
        .map_or(full.as_str(), |i| &full[..i]);
    match e.classify() {
        serde_json::error::Category::Eof => {
            "invalid JSON: the line ends inside the record (truncated, or one record split over \
             several lines?)"
                .into()
        }
        serde_json::error::Category::Syntax => {
            format!("invalid JSON at column {}: {msg}", e.column())
        }
        _ => format!("invalid record at column {}: {msg}", e.column()),
    }
}
