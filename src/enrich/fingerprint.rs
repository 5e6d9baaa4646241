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

/// What [`annotate`] reads a passage's text for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Fingerprints only: nothing will index the passages.
    Fingerprints,
    /// Fingerprints and each passage's [`crate::model::Forms`], the text read once for both.
    WithForms,
}

/// Fill in the fingerprints of a document's passages that can carry reuse and, when asked,
/// the words of every passage's text fields, reading each text once for both.
pub fn annotate(passages: &mut [Passage], reading: Reading) {
    let mut words: Vec<Word> = Vec::new();
    for p in passages.iter_mut() {
        let prints = reusable(p.kind);
        match reading {
            Reading::WithForms => {
                words.clear();
                let f = forms(&p.text, |t, root| {
                    if prints {
                        words.extend(Word::of(t, root));
                    }
                });
                p.forms = Some(Box::new(f));
                if prints {
                    p.fingerprints = fingerprint::of_words(&words);
                }
            }
            Reading::Fingerprints if prints => {
                p.fingerprints = fingerprint::fingerprints(&p.text);
            }
            Reading::Fingerprints => {}
        }
    }
}
