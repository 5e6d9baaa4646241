//! Ingest: read → normalize → segment, the first half of the one flow.
//!
//! Text processing here is pure (text in, passages out); only [`read`] touches the disk, so
//! everything else is tested on strings and the same corpus always gives the same passages.

pub mod hyphen;
pub mod normalize;
pub mod read;
pub mod segment;

use std::path::PathBuf;

use crate::enrich;
use crate::model::{Document, IngestReport, Passage, Skipped};

/// Passages of one document: normalize, segment, then enrich (languages, citations,
/// fingerprints).
pub fn passages_of(doc: &Document) -> Vec<Passage> {
    let lines = normalize::clean_lines(&doc.text);
    let mut passages = segment::segment(&doc.id, doc.title_hint.as_deref(), &lines);
    enrich::lang::assign(&mut passages, doc.lang_hint.as_deref());
    enrich::cite::annotate(&mut passages);
    enrich::fingerprint::annotate(&mut passages);
    passages
}

/// Read every document under `paths` and hand each one's passages to `sink`, in a stable order.
///
/// A file that cannot be read is recorded in the report and skipped; nothing here aborts the run.
pub fn ingest(paths: &[PathBuf], mut sink: impl FnMut(&Document, Vec<Passage>)) -> IngestReport {
    let (files, skipped) = read::discover(paths);
    let mut report = IngestReport {
        files: files.len(),
        skipped,
        ..IngestReport::default()
    };
    for file in &files {
        match read::read_file(file) {
            Ok((docs, bad)) => {
                report.skipped.extend(bad);
                for doc in docs {
                    let passages = passages_of(&doc);
                    report.documents += 1;
                    if passages.is_empty() {
                        report.no_text.push(Skipped {
                            path: doc.path.clone(),
                            line: doc.record_line,
                            reason: format!(
                                "document {:?} has no text beyond page headers, footers and watermarks (a scanned PDF without a text layer?)",
                                doc.id
                            ),
                        });
                    }
                    report.passages += passages.len();
                    for p in &passages {
                        *report.languages.entry(p.lang.clone()).or_default() += 1;
                    }
                    sink(&doc, passages);
                }
            }
            Err(s) => report.skipped.push(s),
        }
    }
    report
}
