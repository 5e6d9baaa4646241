//! Fingerprints of the passages that can carry reused text; the words, shingles and winnowing
//! are [`crate::text::fingerprint`], shared with reuse search.

use crate::model::{Kind, Passage};
use crate::text::fingerprint::fingerprints;

/// Whether a passage of this kind can carry a claim worth checking for reuse; headings,
/// keywords, footnotes and bibliography entries repeat by nature.
pub fn reusable(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Body | Kind::Abstract | Kind::Caption | Kind::Table
    )
}

/// Fill in the fingerprints of a document's passages.
pub fn annotate(passages: &mut [Passage]) {
    for p in passages.iter_mut().filter(|p| reusable(p.kind)) {
        p.fingerprints = fingerprints(&p.text);
    }
}
