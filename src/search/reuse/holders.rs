//! Which passages hold given fingerprints, and in how many each stands: one read of the
//! fingerprint column for a whole question (a draft's paragraphs, a list of pairs).
//!
//! Why not the inverted index: fingerprints are nearly all distinct (most stand in one passage),
//! so indexing them as terms made a term dictionary with nearly a key per value: 14.7 of
//! corpus-large's 89.5 MB and an eighth of its build's CPU (`scripts/bench.sh`, `scripts/ab.py`,
//! issue 18). Their column is kept anyway for `dupes`, and reading it whole, each value checked
//! against a hash set of the few thousand fingerprints a question has, is one pass over the
//! column per question, where a draft's alignments read and cut dozens of passages each.

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::{DocAddress, Searcher};

use crate::error::Result;
use crate::index::Engine;
use crate::search::cancel::Cancel;

/// What the column says of the fingerprints asked for.
#[derive(Debug, Default)]
pub(super) struct Holders {
    /// In how many passages each fingerprint stands, counted as tantivy counts a term's
    /// document frequency: a passage once, however often it holds the fingerprint, and deleted
    /// passages too (until a merge drops them). Fingerprints in no passage are absent.
    pub(super) df: FxHashMap<u64, u64>,
    /// The live passages holding each fingerprint, in index order, for the fingerprints that
    /// stand in at most `max_held` passages (the others have none listed).
    pub(super) held: FxHashMap<u64, Vec<DocAddress>>,
}

impl Holders {
    /// The document frequency of `h`: 0 when no passage holds it.
    pub(super) fn df(&self, h: u64) -> u64 {
        self.df.get(&h).copied().unwrap_or(0)
    }

    /// The live passages holding `h` (none listed when it stands in too many).
    pub(super) fn held(&self, h: u64) -> &[DocAddress] {
        self.held.get(&h).map_or(&[], Vec::as_slice)
    }
}

/// Docs between two looks at the cancel flag.
const CHECK_EVERY: u32 = 4096;

impl Engine {
    /// Document frequencies of the fingerprints in `wanted`, over every segment `searcher`
    /// reads, and the live passages holding those that stand in at most `max_held` passages
    /// (0: none listed).
    pub(super) fn fingerprint_holders(
        &self,
        searcher: &Searcher,
        wanted: &FxHashSet<u64>,
        max_held: usize,
        cancel: &Cancel,
    ) -> Result<Holders> {
        let mut out = Holders::default();
        if wanted.is_empty() {
            return Ok(out);
        }
        let mut in_doc: Vec<u64> = Vec::new();
        for (ord, seg) in searcher.segment_readers().iter().enumerate() {
            let col = self.fast_u64(seg, self.fields.fp)?;
            let alive = seg.alive_bitset();
            for doc in 0..seg.max_doc() {
                if doc % CHECK_EVERY == 0 {
                    cancel.check()?;
                }
                in_doc.clear();
                in_doc.extend(col.values_for_doc(doc).filter(|h| wanted.contains(h)));
                if in_doc.is_empty() {
                    continue;
                }
                in_doc.sort_unstable();
                in_doc.dedup();
                let live = alive.is_none_or(|a| a.is_alive(doc));
                for &h in &in_doc {
                    let df = out.df.entry(h).or_insert(0);
                    *df += 1;
                    if live && *df as usize <= max_held {
                        out.held
                            .entry(h)
                            .or_default()
                            .push(DocAddress::new(ord as u32, doc));
                    }
                }
            }
        }
        out.held.retain(|h, _| out.df[h] as usize <= max_held);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::scratch;
    use std::path::Path;

    use crate::text::fingerprint;

    /// Every passage holding each of `wanted`, counted from the column passage by passage:
    /// (document frequency, live holders in index order).
    fn naive(engine: &Engine, wanted: &FxHashSet<u64>) -> FxHashMap<u64, (u64, Vec<DocAddress>)> {
        let searcher = engine.searcher();
        let mut out: FxHashMap<u64, (u64, Vec<DocAddress>)> = FxHashMap::default();
        for (ord, seg) in searcher.segment_readers().iter().enumerate() {
            let col = engine.fast_u64(seg, engine.fields.fp).unwrap();
            for doc in 0..seg.max_doc() {
                let mut hs: Vec<u64> = col.values_for_doc(doc).collect();
                hs.sort_unstable();
                hs.dedup();
                for h in hs.into_iter().filter(|h| wanted.contains(h)) {
                    let e = out.entry(h).or_default();
                    e.0 += 1;
                    if seg.alive_bitset().is_none_or(|a| a.is_alive(doc)) {
                        e.1.push(DocAddress::new(ord as u32, doc));
                    }
                }
            }
        }
        out
    }

    /// The holders of a paragraph copied into two notes and found in its source: document
    /// frequencies and live holders as counted naively, holders cut past `max_held`, and after
    /// a note is removed (its passages deleted but still in the segment) the frequencies still
    /// count it while the holders no longer list it.
    #[test]
    fn holders_are_the_passages_the_column_says_hold_each_fingerprint() {
        let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let source = std::fs::read_to_string(seed.join("002_82c8e82c87f6ea65.txt")).unwrap();
        let para = source
            .split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .find(|p| p.split(' ').count() >= 60)
            .expect("a long paragraph");
        let root = scratch("holders-notes");
        let (corpus, index) = (root.join("corpus"), root.join("index"));
        std::fs::create_dir_all(&corpus).unwrap();
        std::fs::copy(
            seed.join("002_82c8e82c87f6ea65.txt"),
            corpus.join("002.txt"),
        )
        .unwrap();
        for n in ["a", "b"] {
            let note = format!("Catatan {n}\n\n{para}\n");
            std::fs::write(corpus.join(format!("note-{n}.txt")), note).unwrap();
        }
        crate::index::build(&index, std::slice::from_ref(&corpus), &mut |_| {}).unwrap();
        let wanted: FxHashSet<u64> = fingerprint::fingerprints(&para).into_iter().collect();
        assert!(wanted.len() >= 10, "{}", wanted.len());
        let check = |max_held: usize, live: usize| {
            let engine = Engine::open(&index).unwrap();
            let searcher = engine.searcher();
            let got = engine
                .fingerprint_holders(&searcher, &wanted, max_held, &Cancel::never())
                .unwrap();
            let expected = naive(&engine, &wanted);
            assert_eq!(got.df.len(), expected.len());
            let mut shared = 0;
            for (h, (df, held)) in &expected {
                assert_eq!(got.df(*h), *df);
                let listed = if *df as usize <= max_held {
                    &held[..]
                } else {
                    &[]
                };
                assert_eq!(got.held(*h), listed);
                shared += usize::from(held.len() == live);
            }
            // The copied paragraph's fingerprints stand in the source and the live notes.
            assert!(shared * 2 >= wanted.len(), "{shared} of {}", wanted.len());
            got
        };
        let all = check(40, 3);
        assert!(all.df.values().any(|&df| df == 3));
        let cut = check(2, 3);
        assert!(cut.held.is_empty() || cut.held.keys().all(|h| cut.df(*h) <= 2));
        std::fs::remove_file(corpus.join("note-b.txt")).unwrap();
        crate::index::build(&index, std::slice::from_ref(&corpus), &mut |_| {}).unwrap();
        let after = check(40, 2);
        for h in all.df.keys() {
            assert_eq!(after.df(*h), all.df(*h), "a deleted passage still counts");
            assert!(after.held(*h).len() < all.held(*h).len() || all.held(*h).is_empty());
        }
        let _ = std::fs::remove_dir_all(root);
    }
}
