//! Terms that begin with a prefix: `doc:003` (a document id's beginning), `traffick*` (a word's),
//! and a citation listing narrowed to documents by their id's beginning.
//!
//! Why not a regex (`003.*`): tantivy compiles a regex into a DFA for every query that holds
//! one, about 0.2 ms, which was half of a `doc:` search on corpus-large and all of the extra
//! cost of its note when nothing matched (the filter is built twice then). The terms that begin
//! with a prefix are one range of the sorted term dictionary, from the prefix itself up to its
//! [`successor`], which tantivy reads without compiling anything.

use std::ops::Bound;

use tantivy::query::{InvertedIndexRangeQuery, Query};
use tantivy::schema::Field;
use tantivy::Term;

/// Every passage with a term of the text field `field` beginning with `prefix`, each scored
/// alike, as a regex query over the same terms would.
pub(crate) fn beginning_with(field: Field, prefix: &str) -> Box<dyn Query> {
    let lower = Term::from_field_text(field, prefix);
    let upper = successor(prefix.as_bytes()).map_or(Bound::Unbounded, |bytes| {
        let mut term = Term::from_field_text(field, "");
        term.set_bytes(&bytes);
        Bound::Excluded(term)
    });
    Box::new(InvertedIndexRangeQuery::new(Bound::Included(lower), upper))
}

/// The least byte string above every string that begins with `prefix`: the prefix with its
/// last byte below 0xFF raised by one and what followed it dropped. `None` when there is no
/// such byte (an empty prefix begins everything; UTF-8 never holds 0xFF).
fn successor(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut bytes = prefix.to_vec();
    while let Some(last) = bytes.pop() {
        if last < 0xFF {
            bytes.push(last + 1);
            return Some(bytes);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::DocSetCollector;
    use tantivy::query::RegexQuery;
    use tantivy::schema::{Schema, STRING};
    use tantivy::{doc, Index, IndexWriter};

    #[test]
    fn the_successor_bounds_every_string_with_the_prefix() {
        assert_eq!(successor(b"003"), Some(b"004".to_vec()));
        assert_eq!(successor(b"ab\xff"), Some(b"ac".to_vec()));
        assert_eq!(successor(b"\xff\xff"), None);
        assert_eq!(successor(b""), None);
        // `é` is C3 A9: the bound is `cafê` (C3 AA), above every word beginning with `café`
        // and, being excluded, not `cafê` itself.
        let s = successor("café".as_bytes()).unwrap();
        assert!(s.as_slice() > "caféteria".as_bytes() && s.as_slice() == "cafê".as_bytes());
    }

    #[test]
    fn the_range_finds_what_the_regex_found() {
        let mut schema = Schema::builder();
        let id = schema.add_text_field("doc", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let ids = [
            "003_232135048410f2ab.txt",
            "003_9.txt",
            "0030.txt",
            "004_a.txt",
            "00",
            "idcourt-campuran-ffa5a67553",
            "idcourt-pidana-1",
            "idcourt",
            "plos-journal.pone.0052690",
            "café",
            "caféteria",
            "cafe",
            "cafê",
            "a.b",
            "axb",
        ];
        for (k, name) in ids.iter().enumerate() {
            writer.add_document(doc!(id => *name)).unwrap();
            if k % 4 == 3 {
                writer.commit().unwrap(); // several segments, as a grown index has
            }
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let prefixes = [
            "003",
            "003_",
            "0030",
            "00",
            "0",
            "004_a.txt",
            "idcourt",
            "idcourt-",
            "plos",
            "caf",
            "café",
            "cafe",
            "a.",
            "zzz",
            "003_232135048410f2ab.txt",
        ];
        for p in prefixes {
            let pattern = format!("{}.*", regex::escape(p));
            let by_regex = RegexQuery::from_pattern(&pattern, id).unwrap();
            let want = searcher.search(&by_regex, &DocSetCollector).unwrap();
            let got = searcher
                .search(beginning_with(id, p).as_ref(), &DocSetCollector)
                .unwrap();
            let expected = ids.iter().filter(|i| i.starts_with(p)).count();
            assert_eq!(got, want, "{p}");
            assert_eq!(got.len(), expected, "{p}");
        }
    }
}
