//! Formulaic passages: text that many documents of the corpus repeat (a court's `Menimbang,
//! bahwa untuk menjatuhkan pidana … perlu dipertimbangkan terlebih dahulu keadaan yang
//! memberatkan dan yang meringankan`, a journal's licence paragraph), so that search ranks them
//! below what a document says of its own and `dupes` leaves them out unless asked.
//!
//! A formula is told by the corpus, not by a list: a passage is formulaic when most of its
//! reuse fingerprints stand in many passages of the index. That holds for any genre and any
//! language, follows the corpus as it grows, and needs no field at index time: the fingerprints
//! are a column of the index already, and one sort of it gives every document frequency. The
//! same rule serves search ([`FormulaCheck`], counted once per set of segments) and `dupes` (by
//! the fingerprint runs it scans).

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::index::SegmentId;
use tantivy::{DocAddress, Searcher, SegmentReader};

use super::memo::BySegments;
use crate::error::Result;
use crate::index::formulaic;
use crate::index::Engine;

pub use crate::text::fingerprint::{
    is_formulaic, FORMULA_PASSAGES, FORMULA_SHARE, MIN_FINGERPRINTS,
};

/// Whether each passage of a set of segments is formulaic: by segment, by document, the codes
/// of [`formulaic::SegmentFlags`] (1 not formulaic, 2 formulaic).
type Flags = Arc<HashMap<SegmentId, Vec<u8>>>;

/// The flags of every passage in the segments `searcher` reads. Whether a passage is
/// formulaic depends on the index, not on the query (its fingerprints' document frequencies
/// over every segment), so they are worked out once per set of segments and process
/// ([`super::memo`]): taken from the build's file when it was counted for exactly these
/// segments ([`Engine::formulaic_flags`]), else counted now over all of them (one scan and
/// sort of the fingerprint column, about a tenth of a CPU second on corpus-large: the
/// fingerprints are not terms of the index, so there is nothing to look up one by one).
fn flags(engine: &Engine, searcher: &Searcher) -> Result<Flags> {
    /// Sets of segments whose flags are kept: the one a server reads, the one it reloads
    /// into, and a few more for a process that opens several indexes (the tests).
    static KNOWN: BySegments<Flags> = BySegments::new(4);
    KNOWN.get_or_make(searcher, || {
        let flags = match engine.formulaic_flags(searcher) {
            Some(kept) => kept,
            None => formulaic::compute(searcher, engine.fields.fp)?,
        };
        Ok(Arc::new(flags.into_iter().collect()))
    })
}

/// Tells formulaic passages, from the flags of the searcher's segments ([`flags`]).
pub(crate) struct FormulaCheck {
    flags: Flags,
}

impl FormulaCheck {
    /// A check over `engine`'s index as `searcher` reads it.
    pub(crate) fn new(engine: &Engine, searcher: &Searcher) -> Result<FormulaCheck> {
        Ok(FormulaCheck {
            flags: flags(engine, searcher)?,
        })
    }

    /// Whether the passage at `addr` in `reader` (its segment) is formulaic.
    pub(crate) fn formulaic(&self, reader: &SegmentReader, addr: DocAddress) -> bool {
        self.flags
            .get(&reader.segment_id())
            .and_then(|f| f.get(addr.doc_id as usize))
            .is_some_and(|&code| code == 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::formulaic::SegmentFlags;
    use crate::testing::scratch;
    use std::path::Path;

    /// Every passage's flag as the build kept it, and as counted again when no flags are
    /// kept ([`formulaic::compute`]), equals the one told passage by passage from document
    /// frequencies counted naively (a set of passages per fingerprint, deleted passages
    /// included, as tantivy counts a term's); the number of formulaic passages.
    fn kept_flags_match_lookups(dir: &Path) -> usize {
        let engine = Engine::open(dir).unwrap();
        let searcher = engine.searcher();
        let kept = engine
            .formulaic_flags(&searcher)
            .expect("the build kept flags for the segments it committed");
        let counted = formulaic::compute(&searcher, engine.fields.fp).unwrap();
        let name = searcher
            .schema()
            .get_field_name(engine.fields.fp)
            .to_string();
        let columns: Vec<_> = searcher
            .segment_readers()
            .iter()
            .map(|r| r.fast_fields().u64(&name).unwrap())
            .collect();
        let mut holders: HashMap<u64, std::collections::HashSet<(usize, u32)>> = HashMap::new();
        for (ord, (reader, column)) in searcher.segment_readers().iter().zip(&columns).enumerate() {
            for doc in 0..reader.max_doc() {
                for h in column.values_for_doc(doc) {
                    holders.entry(h).or_default().insert((ord, doc));
                }
            }
        }
        let mut formulaic = 0;
        for (ord, (reader, column)) in searcher.segment_readers().iter().zip(&columns).enumerate() {
            let flags_in = |all: &[SegmentFlags]| {
                all.iter()
                    .find(|(id, _)| *id == reader.segment_id())
                    .unwrap()
                    .1
                    .clone()
            };
            let (kept, counted) = (flags_in(&kept), flags_in(&counted));
            assert_eq!(kept.len(), reader.max_doc() as usize);
            assert_eq!(counted, kept, "segment {ord}");
            for doc in 0..reader.max_doc() {
                let hs: std::collections::HashSet<u64> = column.values_for_doc(doc).collect();
                let common = hs
                    .iter()
                    .filter(|h| holders[h].len() as u64 >= FORMULA_PASSAGES)
                    .count();
                let found = is_formulaic(hs.len(), common);
                assert_eq!(
                    kept[doc as usize] == 2,
                    found,
                    "segment {ord}, passage {doc}"
                );
                formulaic += usize::from(found);
            }
        }
        formulaic
    }

    /// Twelve court notes, each a formula the courts repeat (from the decisions of
    /// corpus-large) and a paragraph of its own (from the seed corpus); then four of them gone,
    /// whose passages stay in the segments, deleted, and still count.
    #[test]
    fn the_flags_a_build_keeps_are_the_ones_looked_up() {
        let formula = "Menimbang, bahwa untuk menjatuhkan pidana terhadap Terdakwa, maka perlu \
            dipertimbangkan terlebih dahulu keadaan yang memberatkan dan yang meringankan \
            Terdakwa sebagaimana ditentukan dalam Pasal 197 ayat (1) huruf f KUHAP.";
        let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut own: Vec<String> = std::fs::read_dir(&seed)
            .unwrap()
            .map(|f| f.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .flat_map(|p| {
                let text = std::fs::read_to_string(p).unwrap();
                let paragraphs: Vec<String> = text
                    .split("\n\n")
                    .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|p| p.split(' ').count() >= 40)
                    .collect();
                paragraphs
            })
            .collect();
        own.truncate(12);
        assert_eq!(own.len(), 12, "the seed corpus has a dozen long paragraphs");
        let root = scratch("formula-notes");
        let (corpus, index) = (root.join("corpus"), root.join("index"));
        std::fs::create_dir_all(&corpus).unwrap();
        for (i, p) in own.iter().enumerate() {
            let note = format!("Catatan {i}\n\n{formula}\n\n{p}\n");
            std::fs::write(corpus.join(format!("note{i:02}.txt")), note).unwrap();
        }
        crate::index::build(&index, std::slice::from_ref(&corpus), &mut |_| {}).unwrap();
        assert_eq!(
            kept_flags_match_lookups(&index),
            12,
            "the formula, in every note"
        );
        for i in 0..4 {
            std::fs::remove_file(corpus.join(format!("note{i:02}.txt"))).unwrap();
        }
        crate::index::build(&index, std::slice::from_ref(&corpus), &mut |_| {}).unwrap();
        let engine = Engine::open(&index).unwrap();
        assert_eq!(
            engine.searcher().num_docs() as usize,
            8 * 3,
            "three passages a note"
        );
        assert!(kept_flags_match_lookups(&index) >= 8);
        // A run that changes nothing leaves the file as it was: the segments are the same.
        let file = crate::index::store::current_generation(&index)
            .map(|g| index.join(g).join(crate::index::formulaic::FILE))
            .unwrap();
        let written = std::fs::metadata(&file).unwrap().modified().unwrap();
        crate::index::build(&index, &[corpus], &mut |_| {}).unwrap();
        assert_eq!(
            std::fs::metadata(&file).unwrap().modified().unwrap(),
            written
        );
        assert!(kept_flags_match_lookups(&index) >= 8);
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    #[ignore = "needs ../shared/corpus-large (run by .ci/run)"]
    fn the_flags_kept_for_corpus_large_are_the_ones_looked_up() {
        let large = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-large");
        let files = ["id_court_decisions.jsonl", "en_plos_fulltext.jsonl"].map(|f| large.join(f));
        let index = scratch("formula-large");
        crate::index::build(&index, &files, &mut |_| {}).unwrap();
        let formulaic = kept_flags_match_lookups(&index);
        println!("{formulaic} formulaic passages");
        assert!(formulaic > 1000, "{formulaic}");
        let _ = std::fs::remove_dir_all(index);
    }

    #[test]
    fn most_fingerprints_common_and_enough_of_them() {
        assert!(is_formulaic(10, 6));
        assert!(!is_formulaic(10, 5));
        assert!(!is_formulaic(2, 2));
        assert!(is_formulaic(3, 2));
        assert!(!is_formulaic(0, 0));
    }
}
