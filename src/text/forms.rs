//! A passage's words read once for every field that indexes them.
//!
//! The passage text goes into three analyzed fields (Indonesian roots, English stems, exact
//! words), and its roots make its reuse fingerprints too. Each analyzer reads the text with the
//! same tokenizer and differs only in what it makes of a word, so reading the text four times
//! did the same tokenizing four times and looked each word's root up twice (a fifth of a
//! build's CPU, perf). [`forms()`] reads it once and writes each field's words out as a
//! [`PreAnalyzed`] text: one piece per token, each ended by [`SEP`], a token the analyzers drop
//! for its length standing as [`GAP`] so that positions stay what the analyzer gives them. The
//! fields' tokenizer ([`PRE`]) only splits those pieces; the index is the one the three
//! analyzers made, less what the paragraph below leaves out
//! (`forms_are_what_the_three_analyzers_make` holds them to it).
//!
//! The root and stem texts hold only the roots and stems that differ from their word
//! (`perdagangan` gives `dagang`, `korban` nothing): `text_exact` holds the word as written
//! already, so a word that is its own root was indexed twice, and a passage's roots and stems
//! were two thirds of the words a build indexed (75% of `text_id`'s words and 90% of
//! `text_en`'s were the word itself, corpus-large). A root or stem is found in passages by
//! both fields: the word as written, in `text_exact`, and its other inflections, here (the
//! query builder looks in both). The two fields have no positions, so their pieces need none.
//!
//! Only the index reads these fields through [`PRE`]: queries are analyzed with the analyzers
//! themselves ([`super::analyzer`]), never with a field's tokenizer.

use std::cell::RefCell;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

pub use crate::model::Forms;

use super::analyzer::{MAX_TOKEN_BYTES, MEMO_CAP};
use super::tokenizer::WordTokenizer;
use super::{english, indonesian};

/// The tokenizer of the passage text fields (`text_id`, `text_en`, `text_exact`).
pub const PRE: &str = "pustaka_pre";

/// What ends each piece of a pre-analyzed text. No token holds it: the tokenizer's words are
/// letters and digits.
pub const SEP: char = ' ';
/// The piece that stands for a token dropped for its length: it takes a position and is not
/// indexed, as `RemoveLongFilter` leaves a gap in the positions after it.
pub const GAP: &str = "\u{1}";

/// Reads `text` once: its [`Forms`] (roots and stems only where they differ from the word),
/// and each kept token (offsets as in `text`) with its root handed to `each`, for what else
/// is made of the roots (fingerprints).
///
/// Never inlined: `scripts/profile.py` names a build stage by this function, and once its
/// callers changed the compiler inlined it into them and the stage read 0% (one call per
/// passage costs nothing measurable).
#[inline(never)]
pub fn forms(text: &str, mut each: impl FnMut(&Token, &str)) -> Forms {
    let mut out = Forms {
        exact: String::with_capacity(text.len()),
        roots: String::with_capacity(text.len()),
        stems: String::with_capacity(text.len()),
    };
    let mut tokenizer = WordTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        while stream.advance() {
            let t = stream.token();
            // As `RemoveLongFilter::limit(MAX_TOKEN_BYTES + 1)` drops them.
            if t.text.len() > MAX_TOKEN_BYTES {
                push_piece(&mut out.exact, GAP);
                continue;
            }
            let word = t.text.as_str();
            let reduced = match memo.get(word) {
                Some(known) => known,
                None => remember(&mut memo, word),
            };
            push_piece(&mut out.exact, word);
            if let Some(root) = &reduced.root {
                push_piece(&mut out.roots, root);
            }
            if let Some(stem) = &reduced.stem {
                push_piece(&mut out.stems, stem);
            }
            each(t, reduced.root.as_deref().unwrap_or(word));
        }
    });
    out
}

/// A word's root and stem, `None` where the stemmer leaves the word as it is.
struct Reduced {
    root: Option<Box<str>>,
    stem: Option<Box<str>>,
}

thread_local! {
    /// Each word's root and stem: one lookup per token for both, where the two stemmers' own
    /// memos took two (hashing and comparing the word twice was a fortieth of a build, perf).
    static MEMO: RefCell<FxHashMap<Box<str>, Reduced>> = RefCell::default();
}

/// `word`'s root and stem as the analyzers' stemmers make them, kept in the memo.
fn remember<'m>(memo: &'m mut FxHashMap<Box<str>, Reduced>, word: &str) -> &'m Reduced {
    if memo.len() >= MEMO_CAP {
        memo.clear();
    }
    let made = Reduced {
        root: indonesian::root_unmemoized(word).map(Into::into),
        stem: english::stem_unmemoized(word).map(Into::into),
    };
    memo.entry(word.into()).or_insert(made)
}

fn push_piece(out: &mut String, piece: &str) {
    out.push_str(piece);
    out.push(SEP);
}

/// The tokenizer of pre-analyzed text ([`PRE`]): each piece ended by [`SEP`] is a token, in
/// the position after the piece before it; a [`GAP`] takes a position and is not a token.
#[derive(Clone, Default)]
pub struct PreAnalyzed {
    token: Token,
}

/// Token stream of [`PreAnalyzed`].
pub struct PreAnalyzedStream<'a> {
    text: &'a str,
    cursor: usize,
    token: &'a mut Token,
}

impl Tokenizer for PreAnalyzed {
    type TokenStream<'a> = PreAnalyzedStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PreAnalyzedStream<'a> {
        self.token.reset();
        PreAnalyzedStream {
            text,
            cursor: 0,
            token: &mut self.token,
        }
    }
}

impl TokenStream for PreAnalyzedStream<'_> {
    fn advance(&mut self) -> bool {
        let bytes = self.text.as_bytes();
        while self.cursor < bytes.len() {
            let from = self.cursor;
            // Pieces are a word long: a plain scan finds their end sooner than `memchr`, and
            // a byte compares sooner than a string (the two were a twentieth of a build).
            // A text that does not end with a separator ends with its last piece.
            let len = bytes[from..]
                .iter()
                .position(|&b| b == SEP as u8)
                .unwrap_or(bytes.len() - from);
            self.cursor += len + 1;
            self.token.position = self.token.position.wrapping_add(1);
            if len == 1 && bytes[from] == GAP.as_bytes()[0] {
                continue;
            }
            // The separator is ASCII: the piece's ends are character boundaries.
            let piece = &self.text[from..from + len];
            self.token.text.clear();
            self.token.text.push_str(piece);
            self.token.offset_from = from;
            self.token.offset_to = from + len;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analyzer::{english_analyzer, exact_analyzer, indonesian_analyzer};
    use tantivy::tokenizer::TextAnalyzer;

    /// (text, position) of every token `analyzer` makes of `text`.
    fn stream_of(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position));
        }
        out
    }

    fn pre(text: &str) -> Vec<(String, usize)> {
        let mut analyzer = TextAnalyzer::from(PreAnalyzed::default());
        stream_of(&mut analyzer, text)
    }

    /// The texts of a pre-analyzed text's tokens.
    fn texts_of(text: &str) -> Vec<String> {
        pre(text).into_iter().map(|(t, _)| t).collect()
    }

    /// The texts of `reduced`'s tokens that differ from the word at their position.
    fn differing(reduced: &[(String, usize)], words: &[(String, usize)]) -> Vec<String> {
        assert_eq!(reduced.len(), words.len());
        reduced
            .iter()
            .zip(words)
            .filter(|(r, w)| r.0 != w.0)
            .map(|(r, _)| r.0.clone())
            .collect()
    }

    #[test]
    fn forms_are_what_the_three_analyzers_make() {
        // Every paragraph of the seed corpus, and the tokenizer's hard cases: a token too long
        // to keep (a gap in the positions), hyphens and reduplication, apostrophes, folding,
        // superscript markers, other scripts, an empty text.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut texts: Vec<String> = vec![
            format!("sebelum {} sesudah hak-hak anak-anak", "x".repeat(60)),
            "Mexico's Jum'at non-pemerintah México ß Saragih¹ 1990-an ﬁnal".into(),
            "Россия 日本語 perdagangan-orang memberikan diberikan".into(),
            String::new(),
        ];
        for f in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
            texts.extend(text.split("\n\n").map(str::to_string));
        }
        let (mut id, mut en, mut exact) =
            (indonesian_analyzer(), english_analyzer(), exact_analyzer());
        let (mut tokens, mut derived) = (0, 0);
        for text in &texts {
            let mut roots_seen = Vec::new();
            let f = forms(text, |t, root| {
                roots_seen.push((t.position, root.to_string()))
            });
            let words = stream_of(&mut exact, text);
            assert_eq!(pre(&f.exact), words, "{text}");
            let roots = stream_of(&mut id, text);
            let stems = stream_of(&mut en, text);
            assert_eq!(texts_of(&f.roots), differing(&roots, &words), "{text}");
            assert_eq!(texts_of(&f.stems), differing(&stems, &words), "{text}");
            let handed: Vec<(String, usize)> =
                roots_seen.into_iter().map(|(p, r)| (r, p)).collect();
            assert_eq!(handed, roots);
            tokens += roots.len();
            derived += texts_of(&f.roots).len();
        }
        assert!(tokens > 15_000, "{tokens}");
        // Some words are not their own root, most are.
        assert!(
            derived > tokens / 10 && derived < tokens / 2,
            "{derived} of {tokens}"
        );
        // The long token is a gap: `sesudah` comes two positions after `sebelum`.
        let gap = pre(&forms(&texts[0], |_, _| {}).exact);
        assert_eq!(gap[0], ("sebelum".to_string(), 0));
        assert_eq!(gap[1], ("sesudah".to_string(), 2));
    }

    #[test]
    fn a_text_without_its_last_separator_keeps_its_last_piece() {
        let tokens = pre("a b\u{1} c");
        assert_eq!(
            tokens,
            [
                ("a".to_string(), 0),
                ("b\u{1}".to_string(), 1),
                ("c".to_string(), 2)
            ]
        );
        let tokens = pre("a \u{1} c");
        assert_eq!(tokens, [("a".to_string(), 0), ("c".to_string(), 2)]);
    }
}
