//! Breadth over depth: on a corpus of hundreds of documents one of them can hold the ten best
//! passages for a query, and a first page that shows only it hides that other documents discuss
//! the subject too. The passage stays the unit of a hit, but a page shows at most `per_doc`
//! passages of one document before the next-best passages of other documents
//! ([`spread`]); each document's last hit on a page says how many more of its passages match
//! (`more`). `search --docs` ranks documents instead: their best passage and how many match
//! ([`Engine::search_docs`]).
//!
//! Match counts per document come from one pass over every match ([`DocCounts`]), the pass
//! that counts the total anyway, so `more` costs no query of its own.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::error::Result;
use crate::index::Engine;

/// Passages of one document a page shows before other documents' when a request does not say.
pub const DEFAULT_PER_DOC: usize = 3;

/// The order in which ranked hits are shown when a page shows at most `cap` passages of one
/// document before the others': positions into `docs` (the document of each hit, best first).
/// A document's first `cap` hits keep their rank among the first `cap` of every document; its
/// next `cap` come after all of those, and so on, so nothing is dropped, only deferred. A cap of
/// 0 keeps the ranked order.
pub fn spread<S: AsRef<str>>(docs: &[S], cap: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    if cap == 0 {
        return order;
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let rounds: Vec<usize> = docs
        .iter()
        .map(|d| {
            let n = seen.entry(d.as_ref()).or_insert(0);
            *n += 1;
            (*n - 1) / cap
        })
        .collect();
    order.sort_by_key(|&i| rounds[i]);
    order
}

/// How many matches of each document were not shown on this page or the ones before it, for
/// the last hit of each document on the page (`None` for the other hits): `shown` is the
/// document of every hit up to the end of this page, in shown order; `page` the range of this
/// page in it.
pub fn more_after(
    shown: &[&str],
    page: std::ops::Range<usize>,
    counts: &HashMap<String, usize>,
) -> Vec<usize> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for d in shown {
        *seen.entry(d).or_insert(0) += 1;
    }
    let mut out = vec![0; page.len()];
    let mut last: HashMap<&str, usize> = HashMap::new();
    for (k, i) in page.clone().enumerate() {
        last.insert(shown[i], k);
    }
    for (doc, k) in last {
        let total = counts.get(doc).copied().unwrap_or(0);
        out[k] = total.saturating_sub(seen[doc]);
    }
    out
}

/// Counts the matches of a query per document, reading the `doc` fast field of each match.
pub(crate) struct DocCounts {
    pub(crate) field: String,
}

pub(crate) struct SegmentDocCounts {
    column: Option<StrColumn>,
    counts: HashMap<u64, usize>,
}

impl Collector for DocCounts {
    type Fruit = HashMap<String, usize>;
    type Child = SegmentDocCounts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(SegmentDocCounts {
            column: reader.fast_fields().str(&self.field)?,
            counts: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all = HashMap::new();
        for fruit in fruits {
            for (doc, n) in fruit {
                *all.entry(doc).or_insert(0) += n;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for SegmentDocCounts {
    type Fruit = HashMap<String, usize>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(column) = &self.column {
            for ord in column.term_ords(doc) {
                *self.counts.entry(ord).or_insert(0) += 1;
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        let Some(column) = self.column else {
            return HashMap::new();
        };
        let mut out = HashMap::with_capacity(self.counts.len());
        let mut name = String::new();
        for (ord, n) in self.counts {
            if column.ord_to_str(ord, &mut name).unwrap_or(false) {
                out.insert(name.clone(), n);
            }
        }
        out
    }
}

/// One document in the answer of `search --docs`.
#[derive(Debug, Clone, Serialize)]
pub struct DocHit {
    /// The document id, as `doc:` takes it.
    pub doc: String,
    /// Its title, as the index holds it.
    pub title: String,
    /// How many of its passages match the query.
    pub matches: usize,
    /// Its best passage for the query, with snippet and score: what the document is ranked by.
    pub best: super::Hit,
}

/// The answer of `search --docs`: documents ranked by their best passage.
#[derive(Debug, Clone, Serialize)]
pub struct DocsResponse {
    /// The query as the request gave it.
    pub query: String,
    /// Documents with at least one matching passage.
    pub total_docs: usize,
    /// Matching passages in all of them.
    pub total: usize,
    /// Time spent in the engine, in milliseconds.
    pub took_ms: f64,
    /// The requested page of documents, best first.
    pub docs: Vec<DocHit>,
    /// As in a passage search: repairs and filters that match nothing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// As in a passage search: words taken for typos.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<super::Correction>,
}

impl Engine {
    /// The document of each of `addrs`, read from the `doc` fast field.
    pub(crate) fn docs_of(&self, searcher: &Searcher, addrs: &[DocAddress]) -> Result<Vec<String>> {
        let name = searcher
            .schema()
            .get_field_name(self.fields.doc)
            .to_string();
        let mut columns: HashMap<u32, Option<StrColumn>> = HashMap::new();
        let mut out = Vec::with_capacity(addrs.len());
        let mut buf = String::new();
        for a in addrs {
            let column = match columns.entry(a.segment_ord) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => {
                    let reader = searcher.segment_reader(a.segment_ord);
                    e.insert(reader.fast_fields().str(&name)?)
                }
            };
            buf.clear();
            if let Some(column) = column {
                if let Some(ord) = column.term_ords(a.doc_id).next() {
                    column
                        .ord_to_str(ord, &mut buf)
                        .map_err(tantivy::TantivyError::from)?;
                }
            }
            out.push(buf.clone());
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_gives_way_after_its_cap() {
        let docs = ["a", "a", "a", "a", "b", "a", "c", "b"];
        let order = spread(&docs, 2);
        let shown: Vec<&str> = order.iter().map(|&i| docs[i]).collect();
        assert_eq!(shown, ["a", "a", "b", "c", "b", "a", "a", "a"]);
        assert_eq!(order, [0, 1, 4, 6, 7, 2, 3, 5]);
    }

    #[test]
    fn no_cap_keeps_the_rank_order() {
        let docs = ["a", "a", "b"];
        assert_eq!(spread(&docs, 0), [0, 1, 2]);
        assert_eq!(spread(&docs, 5), [0, 1, 2]);
    }

    #[test]
    fn more_is_said_once_per_document_on_its_last_hit() {
        let counts: HashMap<String, usize> = [("a".to_string(), 7), ("b".to_string(), 2)].into();
        // Page 2 of 2 hits: a b | a b.
        let shown = ["a", "b", "a", "b"];
        assert_eq!(more_after(&shown, 2..4, &counts), [5, 0]);
        assert_eq!(more_after(&shown[..2], 0..2, &counts), [6, 1]);
    }
}
