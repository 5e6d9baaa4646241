//! Fingerprints for reuse detection: what lets `dupes` and `check` find copied and lightly
//! reworded text without comparing every passage with every other.
//!
//! A passage becomes a sequence of content words (the Indonesian analyzer's roots, function
//! words dropped, so `memberikan`/`diberikan` and a changed `yang` do not matter), then shingles
//! of [`K`] consecutive words hashed order-free (a local swap keeps the shingle), then winnowed
//! (Schleimer, Wilkerson & Aiken, 2003): the smallest hash of every window of [`W`] shingles is
//! kept. Two passages sharing a run of `K + W - 1` content words are guaranteed to share a
//! fingerprint; fewer, smaller fingerprints keep the index small. Pure functions only.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;
use tantivy::tokenizer::{Token, TokenStream};

use super::analyzer;
use super::hash::fnv;

/// Words per shingle.
pub const K: usize = 3;
/// Shingles per winnowing window.
pub const W: usize = 3;
/// Passages with fewer content words are too short to call reuse (a caption, a `sumber:` line).
pub const MIN_WORDS: usize = 8;

// The formula rule: what `search::formula`, `dupes` and the index's formulaic flags
// (`index::formulaic`) call a passage the corpus repeats. Here, below all of them, so that each
// applies the same numbers.

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

/// Which of `passages` passages are formulaic, from one mark per (fingerprint, passage): the
/// passage's number and whether that fingerprint is common ([`FORMULA_PASSAGES`]).
pub fn formulaic_of(passages: usize, marks: impl IntoIterator<Item = (u32, bool)>) -> Vec<bool> {
    let (mut total, mut common) = (vec![0usize; passages], vec![0usize; passages]);
    for (id, is_common) in marks {
        total[id as usize] += 1;
        common[id as usize] += usize::from(is_common);
    }
    total
        .into_iter()
        .zip(common)
        .map(|(t, c)| is_formulaic(t, c))
        .collect()
}

/// Function words of Indonesian and English: too common to tell copying from topic.
const STOP: &[&str] = &[
    "yang", "dan", "di", "ke", "dari", "dalam", "untuk", "dengan", "pada", "ini", "itu", "atau",
    "juga", "oleh", "sebagai", "adalah", "akan", "tidak", "telah", "serta", "bahwa", "karena",
    "para", "lebih", "dapat", "ada", "tersebut", "secara", "antara", "bagi", "hal", "saat",
    "masih", "sudah", "namun", "the", "of", "and", "a", "an", "to", "in", "is", "are", "was",
    "were", "for", "on", "with", "as", "by", "that", "this", "it", "be", "at", "from", "or",
    "which", "have", "has", "had", "not", "been", "their", "its", "also", "into", "than", "these",
    "those", "nya", "se", "pun", "lah", "kah",
];

/// Whether `word` is in [`STOP`]: a hash set, not the list searched word by word, because it
/// is asked for every word of the corpus.
fn is_stop(word: &str) -> bool {
    static SET: LazyLock<FxHashSet<&'static str>> =
        LazyLock::new(|| STOP.iter().copied().collect());
    SET.contains(word)
}

/// A content word with its byte span in the text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// FNV-1a of the word's Indonesian root: equal roots, equal hashes, in every run.
    pub hash: u64,
    /// Byte offset where the word starts in the text.
    pub start: usize,
    /// Byte offset just past the word's end: with `start`, what a reused span highlights.
    pub end: usize,
}

/// The content words of `text`: stemmed, folded, function words dropped.
pub fn words(text: &str) -> Vec<Word> {
    let mut analyzer = analyzer::indonesian_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.extend(Word::of(t, &t.text));
    }
    out
}

impl Word {
    /// The content word of a token whose Indonesian root is `root`; `None` for a function word.
    pub fn of(token: &Token, root: &str) -> Option<Word> {
        (!root.is_empty() && !is_stop(root)).then(|| Word {
            hash: fnv(root.as_bytes()),
            start: token.offset_from,
            end: token.offset_to,
        })
    }
}

/// Hash of every shingle of [`K`] words, order-free within the shingle; one per start position.
pub fn shingles(words: &[Word]) -> Vec<u64> {
    if words.len() < K {
        return Vec::new();
    }
    words
        .windows(K)
        .map(|w| {
            let mut hs: [u64; K] = [0; K];
            for (i, x) in w.iter().enumerate() {
                hs[i] = x.hash;
            }
            hs.sort_unstable();
            let mut h: u64 = 0x9e37_79b9_7f4a_7c15;
            for x in hs {
                h = (h ^ x).wrapping_mul(0x0100_0000_01b3).rotate_left(23);
            }
            // Fit a tantivy u64 term comfortably and keep 0 free.
            (h >> 1) | 1
        })
        .collect()
}

/// Winnowing: the minimum of every window of [`W`] shingle hashes (rightmost on ties), each
/// selected position once. Sorted, without duplicates.
pub fn winnow(shingles: &[u64]) -> Vec<u64> {
    if shingles.is_empty() {
        return Vec::new();
    }
    if shingles.len() <= W {
        let mut v = vec![*shingles.iter().min().unwrap_or(&0)];
        v.dedup();
        return v;
    }
    let mut picked: Vec<usize> = Vec::new();
    for start in 0..=shingles.len() - W {
        let window = &shingles[start..start + W];
        let mut best = 0;
        for (i, h) in window.iter().enumerate() {
            if *h <= window[best] {
                best = i;
            }
        }
        let pos = start + best;
        if picked.last() != Some(&pos) {
            picked.push(pos);
        }
    }
    let mut out: Vec<u64> = picked.into_iter().map(|p| shingles[p]).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The fingerprints of a text; empty when it is too short to call reuse.
pub fn fingerprints(text: &str) -> Vec<u64> {
    of_words(&words(text))
}

/// The fingerprints of a text's content words ([`words`]); empty when too few to call reuse.
pub fn of_words(w: &[Word]) -> Vec<u64> {
    if w.len() < MIN_WORDS {
        return Vec::new();
    }
    winnow(&shingles(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "Tapachula, yang terletak di negara bagian Chiapas, menjadi pintu gerbang utama \
        bagi migrasi dari Amerika Tengah ke Meksiko, sehingga secara geografis menempati posisi \
        strategis dalam jaringan perdagangan manusia.";

    #[test]
    fn inflection_and_function_words_do_not_change_fingerprints() {
        let a = fingerprints(TEXT);
        let b = fingerprints(&TEXT.replace("terletak", "letaknya").replace(" yang ", " "));
        assert!(!a.is_empty());
        let shared = a.iter().filter(|h| b.contains(h)).count();
        assert!(shared * 10 >= a.len() * 8, "{shared} of {}", a.len());
    }

    #[test]
    fn a_local_swap_keeps_the_shingle() {
        let w1 = words("kerja paksa eksploitasi seksual korban");
        let w2 = words("eksploitasi kerja paksa seksual korban");
        assert_eq!(shingles(&w1)[0], shingles(&w2)[0]);
    }

    #[test]
    fn every_long_enough_shared_run_shares_a_fingerprint() {
        // Guarantee of winnowing: a shared run of K + W - 1 content words.
        let run = "perempuan migran terjebak jaringan perdagangan kartel";
        let a = fingerprints(&format!(
            "{run} hujan deras turun sore hari kota Jakarta banjir"
        ));
        let b = fingerprints(&format!(
            "laporan tahunan pemerintah provinsi mencatat {run}"
        ));
        assert!(a.iter().any(|h| b.contains(h)));
        let c =
            fingerprints("laporan tahunan pemerintah provinsi mencatat angka kelahiran naik tajam");
        assert!(!a.iter().any(|h| c.contains(h)));
    }

    #[test]
    fn short_text_has_none() {
        assert!(fingerprints("sumber: (SRE, 2024)").is_empty());
    }
}
