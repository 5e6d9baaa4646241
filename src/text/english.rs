//! English stemming: Snowball English (Porter2) through tantivy's own `Stemmer` filter, so the
//! index and [`stem_en`] can never disagree and no stemmer crate is added to the build.

use std::cell::RefCell;

use tantivy::tokenizer::{Language, RawTokenizer, Stemmer, TextAnalyzer};

use super::tokenizer::fold_word;

thread_local! {
    static SNOWBALL: RefCell<TextAnalyzer> = RefCell::new(
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(Stemmer::new(Language::English))
            .build(),
    );
}

/// Stems one English word with Snowball English, as the [`EN`](super::EN) analyzer does. Input
/// is lowercased and ASCII-folded first.
pub fn stem_en(word: &str) -> String {
    let word = fold_word(word);
    SNOWBALL.with(|analyzer| {
        let mut analyzer = analyzer.borrow_mut();
        let mut stream = analyzer.token_stream(&word);
        if stream.advance() {
            std::mem::take(&mut stream.token_mut().text)
        } else {
            word.clone()
        }
    })
}
