//! Fingerprints of the passages that can carry reused text; the words, shingles and winnowing
//! are [`crate::text::fingerprint`], shared with reuse search. The same reading of a passage
//! gives the words its three text fields index ([`crate::text::forms()`]).

use crate::model::{Kind, Passage};
use crate::text::fingerprint::{self, Word};
use crate::text::forms;

/// Whether a passage of this kind can carry a claim worth checking for reuse; headings,
/// keywords, footnotes and bibliography entries repeat by nature.
pub fn reusable(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Body | Kind::Abstract | Kind::Caption | Kind::Table
    )
}

/// Whether [`annotate`] also reads the words of every passage's text fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forms {
    /// Fingerprints only: nothing will index the passages.
    Not,
    /// Fingerprints and each passage's [`crate::model::Forms`], the text read once for both.
    Read,
}

/// Fill in the fingerprints of a document's passages and, when asked, the words of every
/// passage's text fields, reading each text once for both.
pub fn annotate(passages: &mut [Passage], read: Forms) {
    let mut words: Vec<Word> = Vec::new();
    for p in passages.iter_mut() {
        if read == Forms::Not {
            if reusable(p.kind) {
                p.fingerprints = fingerprint::fingerprints(&p.text);
            }
            continue;
        }
        words.clear();
        let f = forms(&p.text, |t, root| words.extend(Word::of(t, root)));
        p.forms = Some(Box::new(f));
        if reusable(p.kind) {
            p.fingerprints = fingerprint::of_words(&words);
        }
    }
}
