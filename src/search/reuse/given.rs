//! `dupes` over candidate pairs given from outside: the pairs a corpus-wide join of
//! fingerprints found (`pustaka align`, which the Spark job in `contrib/spark/` runs per
//! partition of those pairs).
//!
//! Why the join is not done here: over tens of millions of passages the (fingerprint,
//! passage) list does not fit one machine, and grouping it is what a distributed engine is
//! for. Everything after the join is `dupes`' own code: the passages' formulaic flags and each
//! pair's rarity come from the fingerprints' document frequencies over the whole index (every
//! split, read as one), so a pair found this way is the pair `dupes` finds on one index of the
//! same documents, with the same figures.

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::Searcher;

use super::dupes::{rarity, Candidate, FingerprintScan, Found};
use super::{DupesRequest, DupesResponse, MAX_SHARED};
use crate::error::{Error, Result};
use crate::index::Engine;
use crate::search::cancel::Cancel;
use crate::search::formula;
use crate::text::fingerprint;

impl Engine {
    /// The pairs `dupes` finds among the candidate `pairs` (passage ids, in either order):
    /// a pair is a candidate when the two share a fingerprint held by 2 to [`MAX_SHARED`]
    /// passages of the index, as in `dupes`; other pairs are dropped. Every candidate is
    /// aligned (no `limit` cut), so the answer lists them all. Restated claims and
    /// translations need every passage, not pairs, and are refused.
    pub fn dupes_of_pairs(
        &self,
        pairs: &[(String, String)],
        req: &DupesRequest,
        cancel: &Cancel,
    ) -> Result<DupesResponse> {
        let started = std::time::Instant::now();
        let req = DupesRequest {
            limit: None,
            ..req.effective()
        };
        if req.claims || req.translated {
            return Err(Error::Invalid(
                "given pairs are aligned word by word only: no claims, no translations".into(),
            ));
        }
        super::fraction(
            "min-similarity",
            req.min_similarity,
            super::DEFAULT_MIN_SIMILARITY,
        )?;
        let searcher = self.searcher();
        let (scan, numbers) = self.scan_given(&searcher, pairs)?;
        let wanted = scan.postings.iter().map(|&(h, _)| h).collect();
        let df = self.fingerprint_holders(&searcher, &wanted, 0, cancel)?.df;
        let found = Found {
            formulaic: formulaic_flags(&scan, &df),
            candidates: given_candidates(&scan, &numbers, pairs, &df),
            scan,
        };
        self.dupes_among(found, &req, cancel, &|_| {}, started)
    }

    /// The passages of `pairs` numbered in id order, with their fingerprints as a
    /// [`FingerprintScan`] of them alone; and each id's number.
    fn scan_given<'a>(
        &self,
        searcher: &Searcher,
        pairs: &'a [(String, String)],
    ) -> Result<(FingerprintScan, FxHashMap<&'a str, u32>)> {
        let mut ids: Vec<&str> = pairs
            .iter()
            .flat_map(|(a, b)| [a.as_str(), b.as_str()])
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut scan = FingerprintScan::default();
        let mut numbers = FxHashMap::default();
        for id in ids {
            let addr = self
                .address(searcher, id)?
                .ok_or_else(|| Error::NotFound(format!("no passage {id} in the index")))?;
            let seg = searcher.segment_reader(addr.segment_ord);
            let col = self.fast_u64(seg, self.fields.fp)?;
            let n = scan.addrs.len() as u32;
            let mut hs: Vec<u64> = col.values_for_doc(addr.doc_id).collect();
            hs.sort_unstable();
            hs.dedup();
            scan.postings.extend(hs.into_iter().map(|h| (h, n)));
            scan.addrs.push(addr);
            numbers.insert(id, n);
        }
        scan.postings.sort_unstable();
        Ok((scan, numbers))
    }
}

/// Which passages of the scan are formulaic ([`formula::is_formulaic`]), from the index-wide
/// frequencies of their fingerprints.
fn formulaic_flags(scan: &FingerprintScan, df: &FxHashMap<u64, u64>) -> Vec<bool> {
    let marks = scan
        .postings
        .iter()
        .map(|&(h, n)| (n, df[&h] >= formula::FORMULA_PASSAGES));
    fingerprint::formulaic_of(scan.addrs.len(), marks)
}

/// The given pairs that are candidates, sorted: their shared fingerprints held by 2 to
/// [`MAX_SHARED`] passages, the rarity summed in fingerprint order as `dupes` sums it.
fn given_candidates(
    scan: &FingerprintScan,
    numbers: &FxHashMap<&str, u32>,
    pairs: &[(String, String)],
    df: &FxHashMap<u64, u64>,
) -> Vec<Candidate> {
    let mut of: Vec<Vec<u64>> = vec![Vec::new(); scan.addrs.len()];
    for &(h, n) in &scan.postings {
        of[n as usize].push(h);
    }
    let mut seen = FxHashSet::default();
    let mut out = Vec::new();
    for (a, b) in pairs {
        let (x, y) = (numbers[a.as_str()], numbers[b.as_str()]);
        let (x, y) = (x.min(y), x.max(y));
        if x == y || !seen.insert((x, y)) {
            continue;
        }
        let set: FxHashSet<u64> = of[y as usize].iter().copied().collect();
        let (mut n, mut sum) = (0u32, 0f32);
        for h in of[x as usize].iter().filter(|h| set.contains(h)) {
            let d = df[h] as usize;
            if (2..=MAX_SHARED).contains(&d) {
                n += 1;
                sum += rarity(d);
            }
        }
        if n > 0 {
            out.push(Candidate {
                x,
                y,
                rarity: sum / n as f32,
            });
        }
    }
    out.sort_unstable_by_key(|c| (c.x, c.y));
    out
}
