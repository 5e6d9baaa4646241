//! English stemming: Snowball English (Porter2) through tantivy's own `Stemmer` filter, so the
//! index and [`stem_en`] can never disagree and no stemmer crate is added to the build.

use std::cell::RefCell;

use rustc_hash::FxHashMap;
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
    snowball(&fold_word(word))
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

/// Thread-local memo of English stems, as the Indonesian stemmer keeps one: Snowball costs
/// more than a lookup, and a corpus says its few tens of thousands of words millions of times.
/// Cleared when it grows past its cap.
const CACHE_CAP: usize = 100_000;

thread_local! {
    static CACHE: RefCell<FxHashMap<Box<str>, Box<str>>> = RefCell::new(FxHashMap::default());
}

/// Replaces `text` (a lowercase folded word) by its Snowball English stem, through the memo.
pub(crate) fn stem_in_place(text: &mut String) {
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(stem) = cache.get(text.as_str()) {
            if **stem != **text {
                text.clear();
                text.push_str(stem);
            }
            return;
        }
        let stem = snowball(text);
        if cache.len() >= CACHE_CAP {
            cache.clear();
        }
        cache.insert(text.as_str().into(), stem.as_str().into());
        *text = stem;
    });
}
