//! Text: the vocabulary that index time and query time must agree on.
//!
//! A query finds a passage only when both went through the same rules: the same words
//! ([`tokenizer`]), the same roots ([`indonesian`], [`english`], over one root [`dictionary`]), the
//! same analyzers registered on the index ([`analyzer`]), the same sentence ends and
//! abbreviations ([`sentence`]), the same language codes ([`lang`]), the same keys for author
//! names ([`names`]), the same month names ([`dates`]), the same function words ([`function_words`]), the same fingerprints for reused text ([`fingerprint`]) and the same stable
//! hash ([`hash`]). Each of these lives here once, so ingest, the index and every kind of search
//! call the same function instead of keeping a copy that may drift.
//!
//! This is the layer just above [`crate::model`]: it imports only from the model, from itself
//! and [`crate::error`], never from a stage (ingest, enrich, index, search, render, server).

pub mod analyzer;
pub mod dates;
pub mod dictionary;
pub mod embed;
pub mod english;
pub mod fingerprint;
pub mod function_words;
pub mod hash;
pub mod indonesian;
pub mod lang;
pub mod lexicon;
pub mod names;
pub mod sentence;
pub mod tokenizer;

pub use analyzer::{
    analyzer_for, english_analyzer, exact_analyzer, indonesian_analyzer, register, words, EN,
    EXACT, ID, MAX_TOKEN_BYTES,
};
pub use english::stem_en;
pub use indonesian::stem_id;
pub use tokenizer::WordTokenizer;

/// `s` made safe inside an HTML element or a quoted attribute, appended to `out`: snippets and
/// reports carry the corpus's and a manuscript's words as read, and either may hold markup.
pub fn escape_html(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}
