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

use rustc_hash::FxHashMap;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::error::Result;

/// A fingerprint in at least this many passages is a formula's: the decisions of one court
/// repeat their formulas hundreds of times; a quotation shared by a handful of papers is reuse
/// worth showing.
pub const FORMULA_PASSAGES: u64 = 10;
/// Share of a passage's fingerprints that must be a formula's for the passage to be formulaic:
/// a passage that wraps a formula around its own facts (names, amounts) is not.
pub const FORMULA_SHARE: f32 = 0.6;
/// Fewest fingerprints a formulaic passage has: a short line says too little to tell.
pub const MIN_FINGERPRINTS: usize = 3;

/// Whether a passage with `total` fingerprints, `common` of them in at least
/// [`FORMULA_PASSAGES`] passages, is formulaic.
pub fn is_formulaic(total: usize, common: usize) -> bool {
    total >= MIN_FINGERPRINTS && common as f32 >= FORMULA_SHARE * total as f32
}

/// Tells formulaic passages by their fingerprints' document frequencies, each looked up once.
pub(crate) struct FormulaCheck<'a> {
    searcher: &'a Searcher,
    field: Field,
    common: FxHashMap<u64, bool>,
}

impl<'a> FormulaCheck<'a> {
    /// A check over `searcher`'s index, whose fingerprints are in `field`.
    pub(crate) fn new(searcher: &'a Searcher, field: Field) -> FormulaCheck<'a> {
        FormulaCheck {
            searcher,
            field,
            common: FxHashMap::default(),
        }
    }

    /// Whether the passage with these fingerprints is formulaic. Lookups stop as soon as the
    /// answer is settled: most passages are not formulaic, and show it once two fifths of their
    /// fingerprints are found rare; each lookup visits every segment's term dictionary.
    pub(crate) fn formulaic(&mut self, hashes: impl Iterator<Item = u64>) -> Result<bool> {
        let hashes: Vec<u64> = hashes.collect();
        let total = hashes.len();
        if total < MIN_FINGERPRINTS {
            return Ok(false);
        }
        let (mut common, mut rare) = (0, 0);
        for h in hashes {
            if self.is_common(h)? {
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

    fn is_common(&mut self, h: u64) -> Result<bool> {
        if let Some(&c) = self.common.get(&h) {
            return Ok(c);
        }
        let df = self
            .searcher
            .doc_freq(&Term::from_field_u64(self.field, h))?;
        let c = df >= FORMULA_PASSAGES;
        self.common.insert(h, c);
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_fingerprints_common_and_enough_of_them() {
        assert!(is_formulaic(10, 6));
        assert!(!is_formulaic(10, 5));
        assert!(!is_formulaic(2, 2));
        assert!(is_formulaic(3, 2));
        assert!(!is_formulaic(0, 0));
    }
}
