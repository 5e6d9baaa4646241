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
pub mod forms;
pub mod function_words;
pub mod hash;
pub mod indonesian;
pub mod lang;
pub mod lexicon;
pub mod names;
pub mod sentence;
pub mod tokenizer;

pub use analyzer::{
    analyzer_for, english_analyzer, exact_analyzer, for_each_exact_token, indonesian_analyzer,
    register, words, EN, EXACT, ID, MAX_TOKEN_BYTES,
};
pub use english::stem_en;
pub use forms::{forms, PRE};
pub use indonesian::stem_id;
pub use tokenizer::WordTokenizer;

/// `s` made safe inside an HTML element or a quoted attribute, appended to `out`: snippets and
/// reports carry the corpus's and a manuscript's words as read, and either may hold markup.
///
/// The text between the five characters is copied in runs, not a character at a time (each
/// hit's snippet went through here char by char, 1.7% of a search, perf).
pub fn escape_html(s: &str, out: &mut String) {
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let escaped = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // ASCII bytes are character boundaries: the runs are whole characters.
        out.push_str(&s[from..i]);
        out.push_str(escaped);
        from = i + 1;
    }
    out.push_str(&s[from..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_html_escapes_the_five_and_keeps_every_other_character() {
        let mut out = String::from("«");
        escape_html("<b>Ngô & \"Đức\"</b>'s — 5 > 3ẞ", &mut out);
        assert_eq!(
            out,
            "«&lt;b&gt;Ngô &amp; &quot;Đức&quot;&lt;/b&gt;&#39;s — 5 &gt; 3ẞ"
        );
        let mut plain = String::new();
        escape_html("tanpa tanda apa pun", &mut plain);
        assert_eq!(plain, "tanpa tanda apa pun");
        escape_html("", &mut plain);
        assert_eq!(plain, "tanpa tanda apa pun");
    }
}
