//! Ingest: read → normalize → segment, the first half of the one flow.
//!
//! Text processing here is pure (text in, passages out); only [`read`] touches the disk, so
//! everything else is tested on strings and the same corpus always gives the same passages.
//!
//! [`Cutter`] is the one driver that turns read documents into passages, for `pustaka passages`
//! ([`ingest`]) and for the index writer alike, so both skip the same documents for the same
//! reasons: a document whose cutting panicked (our bug, that document only) and a document
//! whose id another one already took.

pub mod hyphen;
pub mod normalize;
pub mod ocr;
pub mod office;
pub mod pdf;
pub mod pdfium;
pub mod read;
pub mod segment;

use std::collections::HashSet;
use std::path::PathBuf;

use crate::enrich::{self, fingerprint::Reading};
use crate::model::{DocMeta, Document, IngestReport, Passage, Skipped};
use crate::par;

/// A document cut into passages, with what its text says about itself.
#[derive(Debug, Clone, Default)]
pub struct Cut {
    /// Authors, year, journal, keywords, abstract: see [`enrich::meta`].
    pub meta: DocMeta,
    /// The passages, in document order.
    pub passages: Vec<Passage>,
}

/// One document cut: normalize, segment, then enrich (languages, citations, fingerprints,
/// metadata).
pub fn cut(doc: &Document) -> Cut {
    cut_as(doc, Reading::Fingerprints)
}

/// [`cut`], each passage also read for the words of its text fields ([`crate::text::forms()`]):
/// what a build indexes. Read here, on the cutting threads and with the fingerprints, not on
/// the indexing thread; left out where nothing indexes the passages (`passages`, `check`).
pub fn cut_for_index(doc: &Document) -> Cut {
    cut_as(doc, Reading::WithForms)
}

fn cut_as(doc: &Document, reading: Reading) -> Cut {
    let mut cut = cut_text(
        &doc.id,
        (doc.title_hint.as_deref(), doc.lang_hint.as_deref()),
        &doc.text,
        reading,
    );
    mark_ocr(&mut cut.passages, &doc.scanned.ocr);
    cut
}

/// Mark the passages that stand on pages read by OCR. A passage running over a page break
/// has the page it starts on, and is marked by that page.
fn mark_ocr(passages: &mut [Passage], ocr_pages: &[u32]) {
    if ocr_pages.is_empty() {
        return;
    }
    for p in passages {
        p.ocr = p.page.is_some_and(|n| ocr_pages.contains(&n));
    }
}

/// Passages of one document, as [`cut`] gives them.
pub fn passages_of(doc: &Document) -> Vec<Passage> {
    cut(doc).passages
}

/// Passages of a piece of text that is no corpus document (a draft pasted into `check`), read
/// exactly as a document is: a paragraph pasted from a PDF extraction (hard-wrapped,
/// hyphenated, with page headers) becomes one passage, as it did in the index. Passage ids are
/// `input#n`.
pub fn passages_of_text(text: &str, lang_hint: Option<&str>) -> Vec<Passage> {
    cut_text("input", (None, lang_hint), text, Reading::Fingerprints).passages
}

fn cut_text(
    id: &str,
    (title_hint, lang_hint): (Option<&str>, Option<&str>),
    text: &str,
    reading: Reading,
) -> Cut {
    let (lines, furniture) = normalize::clean(text);
    let mut passages = segment::segment(id, title_hint, &lines);
    enrich::lang::assign(&mut passages, lang_hint);
    enrich::cite::annotate(&mut passages);
    enrich::fingerprint::annotate(&mut passages, reading);
    let head: Vec<&str> = lines
        .iter()
        .map(|l| l.text.as_str())
        .filter(|t| !t.is_empty())
        .take(enrich::meta::HEAD_LINES)
        .collect();
    let running: Vec<&str> = furniture.iter().map(|(_, t)| t.as_str()).collect();
    let meta = enrich::meta::extract(&head, &running, &passages);
    enrich::meta::assign(&mut passages, &meta);
    Cut { meta, passages }
}

/// Read every document under `paths` and hand each one's passages to `sink`, in a stable order.
///
/// A file that cannot be read is recorded in the report and skipped, and so is a document the
/// [`Cutter`] rejects; nothing here aborts the run.
pub fn ingest(paths: &[PathBuf], sink: impl FnMut(&Document, Cut)) -> IngestReport {
    ingest_with(paths, read::ReadOptions::default(), sink)
}

/// [`ingest`], reading files as `opts` say (`passages --ocr`).
pub fn ingest_with(
    paths: &[PathBuf],
    opts: read::ReadOptions,
    mut sink: impl FnMut(&Document, Cut),
) -> IngestReport {
    let (files, skipped) = read::discover(paths);
    let mut report = IngestReport {
        files: files.len(),
        skipped,
        ..IngestReport::default()
    };
    let mut cutter = Cutter::new(par::threads());
    for file in &files {
        match read::read_file_with(file, opts) {
            Ok((docs, bad)) => {
                report.skipped.extend(bad);
                let sunk = cutter.cut(&docs, &mut report, |d, c| {
                    sink(d, c);
                    Ok::<(), std::convert::Infallible>(())
                });
                let Ok(()) = sunk;
            }
            Err(s) => report.skipped.push(s),
        }
    }
    report
}

/// Cuts the documents of a run into passages on several threads, and decides which documents
/// the run keeps.
pub struct Cutter {
    threads: usize,
    /// Document ids taken so far: by the documents kept in this run and, for an index update,
    /// by the files the index keeps as they are. Two documents with one id would make `show`
    /// and the passage ids ambiguous.
    taken: HashSet<String>,
    /// What cuts one document: [`cut`], or a stand-in that panics in tests.
    cut: fn(&Document) -> Cut,
}

impl Cutter {
    /// A cutter working on `threads` threads (at least one), with no document id taken yet:
    /// a new index, or a plain ingest run.
    pub fn new(threads: usize) -> Cutter {
        Cutter {
            threads: threads.max(1),
            taken: HashSet::new(),
            cut,
        }
    }

    /// The same, cutting for an index ([`cut_for_index`]).
    pub fn for_index(mut self) -> Cutter {
        self.cut = cut_for_index;
        self
    }

    /// The same, with `ids` already taken (the documents of an index being updated).
    pub fn with_taken(mut self, ids: impl IntoIterator<Item = String>) -> Cutter {
        self.taken.extend(ids);
        self
    }

    /// Free a document id (its file is being re-indexed or dropped).
    pub fn release(&mut self, id: &str) {
        self.taken.remove(id);
    }

    /// Cut `docs` into passages and hand each kept document's passages to `sink`, in the order
    /// of `docs`; counts, languages and the documents skipped or without text go into `report`.
    ///
    /// Documents are cut a few per thread at a time, not all at once, so a file of a hundred
    /// thousand records never holds all its passages in memory. A document whose cutting
    /// panicked or whose id is taken is skipped and reported; an error of `sink` (the index
    /// writer failing) stops the run and is returned.
    pub fn cut<E>(
        &mut self,
        docs: &[Document],
        report: &mut IngestReport,
        mut sink: impl FnMut(&Document, Cut) -> Result<(), E>,
    ) -> Result<(), E> {
        let cut = self.cut;
        for batch in docs.chunks(self.threads * 4) {
            for (d, c) in batch.iter().zip(par::map(batch, self.threads, cut)) {
                if let Some(c) = self.keep(d, c, report) {
                    sink(d, c)?;
                }
            }
        }
        Ok(())
    }

    /// The passages of a document the run keeps, counted in `report`; `None`, with the reason
    /// in `report.skipped`, for one it cannot keep.
    fn keep(
        &mut self,
        d: &Document,
        cut: Result<Cut, par::Panicked>,
        report: &mut IngestReport,
    ) -> Option<Cut> {
        let skip = |reason: String| Skipped {
            path: d.path.clone(),
            line: d.record_line,
            reason,
        };
        let cut = match cut {
            Ok(c) => c,
            Err(panicked) => {
                report.skipped.push(skip(format!(
                    "internal error while cutting into passages: {panicked}"
                )));
                return None;
            }
        };
        if !self.taken.insert(d.id.clone()) {
            report.skipped.push(skip(format!(
                "document id {:?} is already taken by another file; rename one of them",
                d.id
            )));
            return None;
        }
        if cut.passages.is_empty() {
            report.no_text.push(skip(format!(
                "document {:?} has no text beyond page headers, footers and watermarks (a scanned PDF without a text layer?)",
                d.id
            )));
        }
        report.documents += 1;
        report.passages += cut.passages.len();
        for p in &cut.passages {
            *report.languages.entry(p.lang.clone()).or_default() += 1;
        }
        Some(cut)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, text: &str) -> Document {
        Document {
            id: id.into(),
            path: PathBuf::from(format!("{id}.txt")),
            record_line: None,
            title_hint: None,
            lang_hint: None,
            text: text.into(),
            encoding: "UTF-8",
            scanned: Default::default(),
        }
    }

    fn panics_on_boom(d: &Document) -> Cut {
        if d.id == "boom" {
            panic!("cannot cut {}", d.id);
        }
        cut(d)
    }

    const TEXT: &str = "Kebijakan luar negeri Meksiko sejak awal 1990-an hingga saat ini menampilkan transformasi strategis yang berfokus pada diversifikasi kemitraan.";

    #[test]
    fn a_document_cut_for_the_index_carries_its_words_and_the_same_fingerprints() {
        // The first seed document, cut both ways: the index's cut reads each passage's words
        // for its fields, and its fingerprints come from that reading; they must be the ones
        // the plain cut makes with the Indonesian analyzer.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let text = std::fs::read_to_string(&files[0]).unwrap();
        let d = doc("seed", &text);
        let (plain, indexed) = (cut(&d), cut_for_index(&d));
        assert_eq!(plain.passages.len(), indexed.passages.len());
        let mut with_prints = 0;
        for (a, b) in plain.passages.iter().zip(&indexed.passages) {
            assert!(a.forms.is_none());
            let made = crate::text::forms(&b.text, |_, _| {});
            assert_eq!(b.forms.as_deref(), Some(&made), "{}", b.id);
            assert_eq!(a.fingerprints, b.fingerprints, "{}", b.id);
            with_prints += usize::from(!b.fingerprints.is_empty());
        }
        assert!(with_prints > 20, "{with_prints}");
        let mut cutter = Cutter::new(2).for_index();
        let mut report = IngestReport::default();
        let mut all_read = true;
        let done = cutter.cut(&[d], &mut report, |_, c| {
            all_read &= c.passages.iter().all(|p| p.forms.is_some());
            Ok::<(), ()>(())
        });
        assert!(done.is_ok() && all_read);
    }

    #[test]
    fn a_panic_costs_its_document_and_a_taken_id_is_refused() {
        let docs = [
            doc("a", TEXT),
            doc("boom", TEXT),
            doc("b", TEXT),
            doc("a", TEXT),
            doc("c", ""),
        ];
        for threads in [1, 3] {
            let mut cutter = Cutter::new(threads);
            cutter.cut = panics_on_boom;
            let mut report = IngestReport::default();
            let mut kept = Vec::new();
            cutter
                .cut(&docs, &mut report, |d, c| {
                    kept.push((d.id.clone(), c.passages.len()));
                    Ok::<(), ()>(())
                })
                .unwrap();
            let ids: Vec<&str> = kept.iter().map(|(id, _)| id.as_str()).collect();
            assert_eq!(ids, ["a", "b", "c"]);
            assert_eq!(report.documents, 3);
            assert_eq!(report.passages, kept.iter().map(|(_, n)| n).sum::<usize>());
            let reasons: Vec<&str> = report.skipped.iter().map(|s| s.reason.as_str()).collect();
            assert_eq!(reasons.len(), 2, "{reasons:?}");
            assert_eq!(
                reasons[0],
                "internal error while cutting into passages: cannot cut boom"
            );
            assert!(reasons[1].contains("\"a\" is already taken"), "{reasons:?}");
            assert_eq!(report.no_text.len(), 1);
        }
    }

    #[test]
    fn an_id_taken_by_the_index_is_refused_until_released() {
        let mut cutter = Cutter::new(1).with_taken(["a".to_string()]);
        let mut report = IngestReport::default();
        let mut n = 0;
        let mut count = |_: &Document, _| {
            n += 1;
            Ok::<(), ()>(())
        };
        cutter
            .cut(&[doc("a", TEXT)], &mut report, &mut count)
            .unwrap();
        cutter.release("a");
        cutter
            .cut(&[doc("a", TEXT)], &mut report, &mut count)
            .unwrap();
        assert_eq!((n, report.skipped.len()), (1, 1));
    }

    #[test]
    fn pasted_text_is_cut_as_a_document_is() {
        let text = "Kebijakan luar negeri Meksiko sejak awal 1990-an hingga saat ini menampilkan trans-\nformasi strategis yang berfokus pada diversifikasi kemitraan.";
        assert_eq!(
            passages_of_text(text, None),
            passages_of(&doc("input", text))
        );
    }
}
