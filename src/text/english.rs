//! English stemming: Snowball English (Porter2) through tantivy's own `Stemmer` filter, so the
//! index and [`stem_en`] can never disagree and no stemmer crate is added to the build.

use std::cell::RefCell;

use tantivy::tokenizer::{Language, RawTokenizer, Stemmer, TextAnalyzer};

use super::analyzer::{stem_through, StemMemo};
use super::tokenizer::fold_word;

thread_local! {
    static SNOWBALL: RefCell<TextAnalyzer> = RefCell::new(
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(Stemmer::new(Language::English))
            .build(),
    );
}

/// Stems one English word with Snowball English, as the [`EN`](super::EN) analyzer does. Input
/// is lowercased and ASCII-folded first. Through the thread's memo, as the analyzer: a search
/// stems its words' translations and the words of the hits it highlights, and running Snowball
/// for each was about a hundredth of a server's CPU (perf).
pub fn stem_en(word: &str) -> String {
    let mut text = fold_word(word);
    stem_in_place(&mut text);
    text
}

/// Snowball English on a word already lowercased and folded.
fn snowball(word: &str) -> String {
    SNOWBALL.with(|analyzer| {
        let mut analyzer = analyzer.borrow_mut();
        let mut stream = analyzer.token_stream(word);
        if stream.advance() {
            std::mem::take(&mut stream.token_mut().text)
        } else {
            word.to_string()
        }
    })
}

thread_local! {
    /// Memo of English stems, as the Indonesian stemmer keeps one: Snowball costs more than a
    /// lookup, and a corpus says its few tens of thousands of words millions of times.
    static MEMO: StemMemo = StemMemo::default();
}

/// The Snowball English stem of `word` (a lowercase folded word), `None` where it is the word
/// itself; without the memo, for a caller that keeps its own ([`super::forms`]).
pub(crate) fn stem_unmemoized(word: &str) -> Option<String> {
    let stem = snowball(word);
    (stem != word).then_some(stem)
}

/// Replaces `text` (a lowercase folded word) by its Snowball English stem, through the memo.
pub(crate) fn stem_in_place(text: &mut String) {
    stem_through(&MEMO, text, stem_unmemoized);
}
