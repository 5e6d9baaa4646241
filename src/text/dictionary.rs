//! The Indonesian root dictionary: one copy, shared by the stemmer (a split is accepted only
//! when its root is here) and by ingest's line joining (a word split for layout is glued back
//! when the glued word is a root).
//!
//! It is the KBBI-based list that ships with sastrawi-rs (29,932 roots, embedded in the crate),
//! loaded once on first use.

use std::sync::OnceLock;

use sastrawi::Dictionary;

static DICTIONARY: OnceLock<Dictionary> = OnceLock::new();

/// Shortest root accepted: two-letter "roots" in the dictionary are mostly interjections and
/// letter names, and stripping down to them merges unrelated words.
pub const MIN_ROOT: usize = 3;

/// The sastrawi root dictionary.
pub fn dictionary() -> &'static Dictionary {
    DICTIONARY.get_or_init(Dictionary::new)
}

/// Whether `word` (lowercase) is an Indonesian root of at least [`MIN_ROOT`] bytes.
pub fn is_root(word: &str) -> bool {
    word.len() >= MIN_ROOT && dictionary().find(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_and_not_roots() {
        assert!(is_root("perintah"));
        assert!(is_root("kembang"));
        assert!(!is_root("pemerintah"));
        assert!(!is_root("di"));
    }
}
