//! Formulaic passages: text that many documents of the corpus repeat (a court's `Menimbang,
//! bahwa untuk menjatuhkan pidana … perlu dipertimbangkan terlebih dahulu keadaan yang
//! memberatkan dan yang meringankan`, a journal's licence paragraph), so that search ranks them
//! below what a document says of its own and `dupes` leaves them out unless asked.
//!
//! A formula is told by the corpus, not by a list: a passage is formulaic when most of its
//! reuse fingerprints stand in many passages of the index. That holds for any genre and any
//! language, follows the corpus as it grows, and needs no field at index time: the fingerprints
//! are indexed already, and their document frequency is a term lookup. The same rule serves
//! search ([`FormulaCheck`], by term lookups) and `dupes` (by the fingerprint runs it scans).

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::schema::Field;
use tantivy::{DocAddress, InvertedIndexReader, Searcher, SegmentOrdinal, SegmentReader, Term};

use super::memo::BySegments;
use crate::error::Result;
use crate::index::formulaic::SegmentFlags;
use crate::index::Engine;

pub use crate::text::fingerprint::{
    is_formulaic, FORMULA_PASSAGES, FORMULA_SHARE, MIN_FINGERPRINTS,
};

/// What is known of each passage of a set of segments, by segment and document: 0 not checked
/// yet, 1 not formulaic, 2 formulaic.
type Flags = Arc<Mutex<HashMap<SegmentId, Vec<u8>>>>;

/// The flags of the passages checked so far in the segments `searcher` reads. Whether a
/// passage is formulaic depends on the index, not on the query (its fingerprints' document
/// frequencies over every segment), so a server checks each passage once per set of segments
/// ([`super::memo`]) instead of once per query that ranks it: looking the frequencies up was
/// most of a search's CPU once the candidates' names were cheap (issue 18).
///
/// The first time a set is met, the flags the build kept for it ([`Engine::formulaic_flags`])
/// are taken as known, when there are any.
fn known_flags(searcher: &Searcher, kept: impl FnOnce() -> Option<Vec<SegmentFlags>>) -> Flags {
    /// Sets of segments whose flags are kept: the one a server reads, the one it reloads
    /// into, and a few more for a process that opens several indexes (the tests).
    static KNOWN: BySegments<Flags> = BySegments::new(4);
    KNOWN.get_or_insert_with(searcher, || {
        Arc::new(Mutex::new(kept().unwrap_or_default().into_iter().collect()))
    })
}

/// Tells formulaic passages by their fingerprints' document frequencies, each looked up once
/// per check, and each passage once per set of segments ([`known_flags`]).
pub(crate) struct FormulaCheck {
    field: Field,
    /// The inverted index of `field` in each segment, opened once per check rather than once
    /// per lookup and segment (as `Searcher::doc_freq` does).
    segments: Vec<Arc<InvertedIndexReader>>,
    /// Each segment's id (the key of its passages' flags) and its number of documents, by
    /// ordinal.
    ids: Vec<(SegmentId, u32)>,
    known: Flags,
    /// The fingerprints column of each segment read so far.
    fps: HashMap<SegmentOrdinal, Column<u64>>,
    common: FxHashMap<u64, bool>,
}

impl FormulaCheck {
    /// A check over `engine`'s index as `searcher` reads it.
    pub(crate) fn new(engine: &Engine, searcher: &Searcher) -> Result<FormulaCheck> {
        let known = known_flags(searcher, || engine.formulaic_flags(searcher));
        FormulaCheck::knowing(searcher, engine.fields.fp, known)
    }

    /// A check over `searcher`'s index, whose fingerprints are in `field`, that takes the
    /// passages in `known` as known.
    fn knowing(searcher: &Searcher, field: Field, known: Flags) -> Result<FormulaCheck> {
        let readers = searcher.segment_readers();
        Ok(FormulaCheck {
            field,
            segments: readers
                .iter()
                .map(|r| r.inverted_index(field))
                .collect::<tantivy::Result<_>>()?,
            ids: readers
                .iter()
                .map(|r| (r.segment_id(), r.max_doc()))
                .collect(),
            known,
            fps: HashMap::new(),
            common: FxHashMap::default(),
        })
    }

    /// Whether the passage at `addr` in `reader` (its segment) is formulaic: as found before in
    /// the same segments, or found now and kept. Its fingerprints are read only when it is not
    /// known yet.
    pub(crate) fn formulaic(&mut self, reader: &SegmentReader, addr: DocAddress) -> Result<bool> {
        let (id, max_doc) = self.ids[addr.segment_ord as usize];
        let doc = addr.doc_id as usize;
        let known = |flags: &Flags| {
            let flags = flags.lock().unwrap_or_else(|e| e.into_inner());
            flags.get(&id).and_then(|f| f.get(doc)).copied()
        };
        match known(&self.known) {
            Some(1) => return Ok(false),
            Some(2) => return Ok(true),
            _ => {}
        }
        let hashes = match self.fps.entry(addr.segment_ord) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => {
                let name = reader.schema().get_field_name(self.field);
                e.insert(reader.fast_fields().u64(name)?)
            }
        };
        let hashes: Vec<u64> = hashes.values_for_doc(addr.doc_id).collect();
        let formulaic = self.check(addr.segment_ord, hashes)?;
        let mut flags = self.known.lock().unwrap_or_else(|e| e.into_inner());
        let segment = flags.entry(id).or_insert_with(|| vec![0; max_doc as usize]);
        if let Some(f) = segment.get_mut(doc) {
            *f = if formulaic { 2 } else { 1 };
        }
        Ok(formulaic)
    }

    /// Whether the passage with these fingerprints, in segment `own`, is formulaic. Lookups
    /// stop as soon as the answer is settled: most passages are not formulaic, and show it once
    /// two fifths of their fingerprints are found rare.
    fn check(&mut self, own: SegmentOrdinal, hashes: Vec<u64>) -> Result<bool> {
        let total = hashes.len();
        if total < MIN_FINGERPRINTS {
            return Ok(false);
        }
        let (mut common, mut rare) = (0, 0);
        for h in hashes {
            if self.is_common(h, own)? {
                common += 1;
            } else {
                rare += 1;
            }
            if is_formulaic(total, common) {
                return Ok(true);
            }
            if !is_formulaic(total, total - rare) {
                return Ok(false);
            }
        }
        Ok(is_formulaic(total, common))
    }

    /// Whether fingerprint `h` stands in [`FORMULA_PASSAGES`] passages or more. The passage's
    /// own segment `own` holds it, and a formula's fingerprint usually reaches the bar there
    /// alone, so that segment is read first and the sum stops at the bar: the answer is the
    /// index's document frequency compared with it, whichever segments it took.
    fn is_common(&mut self, h: u64, own: SegmentOrdinal) -> Result<bool> {
        if let Some(&c) = self.common.get(&h) {
            return Ok(c);
        }
        let term = Term::from_field_u64(self.field, h);
        let own = own as usize;
        let order = std::iter::once(own).chain((0..self.segments.len()).filter(|&s| s != own));
        let mut df = 0u64;
        for s in order {
            let Some(segment) = self.segments.get(s) else {
                continue;
            };
            df += u64::from(
                segment
                    .doc_freq(&term)
                    .map_err(tantivy::TantivyError::from)?,
            );
            if df >= FORMULA_PASSAGES {
                break;
            }
        }
        let c = df >= FORMULA_PASSAGES;
        self.common.insert(h, c);
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    /// Every passage's flag as the build kept it equals the one looked up, fingerprint by
    /// fingerprint, in the index at `dir`; the number of formulaic passages.
    fn kept_flags_match_lookups(dir: &Path) -> usize {
        let engine = Engine::open(dir).unwrap();
        let searcher = engine.searcher();
        let kept = engine
            .formulaic_flags(&searcher)
            .expect("the build kept flags for the segments it committed");
        let mut live =
            FormulaCheck::knowing(&searcher, engine.fields.fp, Flags::default()).unwrap();
        let mut formulaic = 0;
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let flags = &kept
                .iter()
                .find(|(id, _)| *id == reader.segment_id())
                .unwrap()
                .1;
            assert_eq!(flags.len(), reader.max_doc() as usize);
            for doc in 0..reader.max_doc() {
                let found = live
                    .formulaic(reader, DocAddress::new(ord as u32, doc))
                    .unwrap();
                assert_eq!(
                    flags[doc as usize] == 2,
                    found,
                    "segment {ord}, passage {doc}"
                );
                formulaic += usize::from(found);
            }
        }
        formulaic
    }

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("pustaka-formula-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
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
        let root = scratch("notes");
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
        let index = scratch("large");
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
