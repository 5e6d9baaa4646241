//! The tantivy analyzers pustaka indexes and queries with, registered in one place.
//!
//! This module owns how text becomes terms: one tokenizer for every language
//! ([`tokenizer`](super::tokenizer): words, numbers, hyphenated forms and reduplication,
//! apostrophes, lowercase and ASCII folding), the Indonesian stemmer
//! ([`indonesian`]: an affix-safe Enhanced Confix Stripping search over
//! sastrawi-rs's root dictionary) and the English one ([`english`]: Snowball via
//! tantivy). Three analyzers are built from them:
//!
//! | name | pipeline | for |
//! |---|---|---|
//! | [`ID`] `pustaka_id` | words → Indonesian root | Indonesian words of queries and passages |
//! | [`EN`] `pustaka_en` | words → Snowball English stem | English words of queries and passages |
//! | [`EXACT`] `pustaka_exact` | words, unstemmed | exact words, phrases, fuzzy and prefix queries; titles, chapters, cited names |
//!
//! A passage's own text is read by all three at once ([`mod@super::forms`]): its three fields take
//! their words pre-analyzed, through a fourth tokenizer ([`super::forms::PRE`]) that only splits
//! them, and make the index the three analyzers would.
//!
//! Every analyzer drops tokens longer than [`MAX_TOKEN_BYTES`] (extraction debris, URLs, hashes).
//! Stop words are kept: phrase queries need them and BM25 already weighs them down. Measured on
//! the 40 MB of Indonesian court decisions in `corpus-large`, one thread: EXACT 65–85 MB/s, ID
//! 35–45 MB/s (the stemmer memoizes per thread), EN 20–28 MB/s.
//!
//! tantivy does not store tokenizers with an index: call [`register`] each time an index is
//! created or opened, before indexing, parsing queries or building snippets.

use std::cell::RefCell;
use std::thread::LocalKey;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{
    RemoveLongFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::Index;

use super::tokenizer::WordTokenizer;
use super::{english, indonesian};

/// Indonesian: tokenize, lowercase, ASCII-fold, Indonesian stemming.
pub const ID: &str = "pustaka_id";
/// English: tokenize, lowercase, ASCII-fold, Snowball English stemming.
pub const EN: &str = "pustaka_en";
/// Unstemmed: tokenize, lowercase, ASCII-fold.
pub const EXACT: &str = "pustaka_exact";

/// Longest token kept, in bytes (tantivy's own default analyzer uses the same limit).
pub const MAX_TOKEN_BYTES: usize = 40;

/// The Indonesian analyzer ([`ID`]).
pub fn indonesian_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES + 1))
        .filter(StemFilter(indonesian::stem_in_place))
        .build()
}

/// The English analyzer ([`EN`]).
pub fn english_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES + 1))
        .filter(StemFilter(english::stem_in_place))
        .build()
}

/// The unstemmed analyzer ([`EXACT`]).
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES + 1))
        .build()
}

/// Registers every pustaka analyzer on `index`'s tokenizer manager. Tokenizers are not stored
/// with a tantivy index, so this must be called each time an index is created or opened.
pub fn register(index: &Index) {
    let manager = index.tokenizers();
    manager.register(ID, indonesian_analyzer());
    manager.register(EN, english_analyzer());
    manager.register(EXACT, exact_analyzer());
    manager.register(super::forms::PRE, super::forms::PreAnalyzed::default());
}

/// The analyzer for a language code, used to analyze query text: `id` (also `ind`, `in`,
/// `id-ID`) → [`ID`], `en` (also `eng`, `en-GB`) → [`EN`], anything else → [`EXACT`].
pub fn analyzer_for(lang: &str) -> TextAnalyzer {
    let code = lang.split(['-', '_']).next().unwrap_or("").trim();
    if ["id", "ind", "in"]
        .iter()
        .any(|c| code.eq_ignore_ascii_case(c))
    {
        indonesian_analyzer()
    } else if ["en", "eng"].iter().any(|c| code.eq_ignore_ascii_case(c)) {
        english_analyzer()
    } else {
        exact_analyzer()
    }
}

/// The unstemmed lowercase folded words of `text`, as the [`EXACT`] analyzer emits them.
pub fn words(text: &str) -> Vec<String> {
    let mut analyzer = exact_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(std::mem::take(&mut stream.token_mut().text));
    }
    out
}

/// Each token of `text` as the [`EXACT`] analyzer emits it, handed to `each` as it is read: the
/// same words without the analyzer's boxed stream and filter, for the highlighter, which reads
/// every word of every hit shown (a call through the box per word was a share of it).
pub fn for_each_exact_token(text: &str, mut each: impl FnMut(&Token)) {
    let mut tokenizer = WordTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    while stream.advance() {
        let token = stream.token();
        // As `RemoveLongFilter::limit(MAX_TOKEN_BYTES + 1)` keeps them.
        if token.text.len() <= MAX_TOKEN_BYTES {
            each(token);
        }
    }
}

/// A token filter that stems every token in place with its function: the Indonesian stemmer
/// and Snowball English, each memoized per thread behind that function, share it.
#[derive(Clone, Copy)]
pub struct StemFilter(pub fn(&mut String));

impl TokenFilter for StemFilter {
    type Tokenizer<T: Tokenizer> = Stemmed<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> Stemmed<T> {
        Stemmed {
            inner,
            stem: self.0,
        }
    }
}

/// A tokenizer whose tokens [`StemFilter`] stems.
#[derive(Clone)]
pub struct Stemmed<T> {
    inner: T,
    stem: fn(&mut String),
}

impl<T: Tokenizer> Tokenizer for Stemmed<T> {
    type TokenStream<'a> = StemmedStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemmedStream {
            tail: self.inner.token_stream(text),
            stem: self.stem,
        }
    }
}

/// Token stream of [`Stemmed`].
pub struct StemmedStream<T> {
    tail: T,
    stem: fn(&mut String),
}

impl<T: TokenStream> TokenStream for StemmedStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        (self.stem)(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// A thread's memo of stems: each word seen, with its stem, `None` where the stemmer leaves the
/// word as it is. Fx, not SipHash: the keys are the corpus's own words, looked up once per
/// token indexed.
pub(crate) type StemMemo = RefCell<FxHashMap<Box<str>, Option<Box<str>>>>;

/// Most words a memo keeps; past it, it starts over.
pub(crate) const MEMO_CAP: usize = 100_000;

/// Replaces `text` by what `stem` makes of it (`None`: unchanged), asking `stem` only for a
/// word the thread's `memo` has not seen: what both stemmers' filters call per token.
pub(crate) fn stem_through(
    memo: &'static LocalKey<StemMemo>,
    text: &mut String,
    stem: impl FnOnce(&str) -> Option<String>,
) {
    memo.with(|memo| {
        let mut memo = memo.borrow_mut();
        if let Some(known) = memo.get(text.as_str()) {
            if let Some(stem) = known {
                text.clear();
                text.push_str(stem);
            }
            return;
        }
        let stemmed = stem(text);
        if memo.len() >= MEMO_CAP {
            memo.clear();
        }
        memo.insert(text.as_str().into(), stemmed.as_deref().map(Into::into));
        if let Some(stemmed) = stemmed {
            *text = stemmed;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_tokens_read_directly_are_the_analyzer_s() {
        let long = "x".repeat(MAX_TOKEN_BYTES + 1);
        let exact = "y".repeat(MAX_TOKEN_BYTES);
        let text = format!(
            "Hak-hak {long} Perempuan di México's {exact} non-pemerintah, Jum'at 1990-an ¹²"
        );
        let mut analyzer = exact_analyzer();
        let mut stream = analyzer.token_stream(&text);
        let mut boxed = Vec::new();
        while stream.advance() {
            let t = stream.token();
            boxed.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        let mut direct = Vec::new();
        for_each_exact_token(&text, |t| {
            direct.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        });
        assert_eq!(direct, boxed);
        assert!(direct.iter().any(|t| t.0 == exact));
        assert!(!direct.iter().any(|t| t.0 == long));
    }
}
