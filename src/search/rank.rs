//! The ranking formula, in one place and in plain numbers.
//!
//! A passage's score is
//!
//! ```text
//! (bm25 + Σ worth of the query words it contains) × kind weight × language preference
//!     × formula weight × length weight
//! ```
//!
//! - **bm25**: tantivy's BM25 over the three indexed forms of each word (exact, Indonesian root,
//!   English stem), each boosted by how much that form says ([`W_EXACT`] most); it orders
//!   passages that contain the same words.
//! - **worth**: a fixed amount per query word found, weighted by the word's rarity
//!   ([`word_worth`]); this is what makes a passage with more of the query outrank one that
//!   repeats a single word. Phrases, prefixes and typo matches are worth what a word of their
//!   rarity would be, a typo a little less.
//! - **context**: a query word missing from the passage but in the title of its section,
//!   chapter or document earns a share of its worth ([`context_share`]): what a heading says
//!   holds for the paragraphs beneath it.
//! - **kind weight** ([`kind_weight`]): body text is what a reader quotes; a bibliography entry
//!   matching the same words is rarely the answer.
//! - **language preference** ([`LANG_PREFERENCE`]): when the query's language is clear, a
//!   passage in that language comes first among equals.
//! - **formula weight** ([`FORMULA_WEIGHT`]): a passage the corpus repeats in many documents
//!   ([`super::formula`]) says nothing of its own; it ranks below one that holds the same words
//!   among its own facts, and still answers a query that only a formula matches.
//!
//! - **length weight** ([`length_weight`]): a fragment of a few words ranks below the
//!   paragraphs, however well BM25 likes its length.
//!
//! The weights were tuned on the development relevance set (see the README's relevance
//! figures); the query builder and the re-ranker in `search` only call these functions, so a
//! change of formula is a change here, under these tests.

use crate::model::Kind;

/// What finding a query word in a passage is worth, per unit of idf.
pub const PRESENCE: f32 = 2.0;
/// BM25 boost of the exact (unstemmed) form.
pub const W_EXACT: f32 = 1.0;
/// BM25 boost of the Indonesian root.
pub const W_ID: f32 = 0.7;
/// BM25 boost of the English stem.
pub const W_EN: f32 = 0.5;
/// BM25 boost of a word taken for a typo: less than the exact word would score.
pub const W_FUZZY: f32 = 0.6;
/// BM25 boost of a quoted phrase.
pub const W_PHRASE: f32 = 2.0;
/// BM25 boost of an Indonesian loanword found for an English query word.
pub const W_COGNATE: f32 = 0.8;
/// BM25 boost of a query word's dictionary translation ([`crate::text::lexicon`]): less than
/// a cognate, which shares the word's form as well as its meaning.
pub const W_TRANSLATION: f32 = 0.5;
/// Share of a query word's worth that a passage earns when it holds the word only in
/// translation.
pub const TRANSLATION_SHARE: f32 = 0.8;
/// How much a passage in the query's own language is preferred, when that language is clear.
pub const LANG_PREFERENCE: f32 = 1.15;
/// What a word taken for a typo is worth, against the word found as typed.
pub const TYPO_DISCOUNT: f32 = 0.9;
/// What a formulaic passage's score is multiplied by.
pub const FORMULA_WEIGHT: f32 = 0.5;
/// BM25 boost of a query word found in the title of the section a passage is in: a passage
/// under `Dampak Psikologis Korban` that says only `cemas, stres, takut` is a candidate for
/// `dampak psikologis`, weaker than one whose own words say it.
pub const W_SECTION: f32 = 0.15;
/// Share of a word's worth that a passage earns when its own text lacks the word but the title
/// of its section has it ([`context_share`]).
pub const CONTEXT_SECTION: f32 = 0.5;
/// The same for its chapter (a court decision's part, a thesis's BAB).
pub const CONTEXT_CHAPTER: f32 = 0.3;
/// The same for its document's title.
pub const CONTEXT_TITLE: f32 = 0.2;
/// Words from which a passage counts in full ([`length_weight`]); tuned on both judged sets
/// (corpus-large nDCG@10 0.456 → 0.503 from no prior to 45 words, a plateau from 45 to 70; the
/// seed set 0.821 → 0.828).
pub const FULL_LENGTH: f32 = 45.0;
/// Share of passages above which a word is too common to select passages by itself.
pub const COMMON_SHARE: f32 = 0.2;

/// The final score of a candidate: see the module doc.
pub fn score(bm25: f32, worth_found: f32, kind: Kind, same_lang: bool, formulaic: bool) -> f32 {
    let lang = if same_lang { LANG_PREFERENCE } else { 1.0 };
    let formula = if formulaic { FORMULA_WEIGHT } else { 1.0 };
    (bm25 + worth_found) * kind_weight(kind) * lang * formula
}

/// How much a passage of `words` words counts: a fragment of a few words (a list item
/// `Psikotropika; k. Perdagangan manusia; l.`, a line cut off a table) holds a query word in
/// so little text that BM25's length normalization ranks it above the paragraphs that discuss
/// the subject, yet it answers nothing. Below [`FULL_LENGTH`] words a passage's score is scaled
/// by the square root of its share of that length, a length prior as document priors are used
/// in IR; a paragraph of two sentences or more is not touched.
pub fn length_weight(words: u32) -> f32 {
    ((words as f32 + 1.0) / FULL_LENGTH).sqrt().min(1.0)
}

/// How much a match counts by the kind of passage. A `kind:` filter makes this moot.
pub fn kind_weight(kind: Kind) -> f32 {
    match kind {
        Kind::Body | Kind::Abstract => 1.0,
        Kind::Table => 0.9,
        // A heading holds its section's subject in few words, so BM25 loves it; the paragraphs
        // beneath are what a reader quotes (issue 14: a heading must not outrank them).
        Kind::Heading => 0.5,
        Kind::Keywords | Kind::Footnote => 0.7,
        Kind::Caption => 0.6,
        Kind::Bibliography => 0.45,
    }
}

/// BM25's idf, so that the worth of a word and its BM25 score grow alike with rarity.
pub fn idf(df: u64, num_docs: f32) -> f32 {
    (1.0 + (num_docs - df as f32 + 0.5) / (df as f32 + 0.5)).ln()
}

/// Whether a word in `df` of `num_docs` passages is too common to decide which passages match
/// (`yang`, `dan`, `the`): scoring its postings would cost most of a query's time for a sliver
/// of score. It still counts in the worth of the passages that contain it.
pub fn is_common(df: u64, num_docs: f32) -> bool {
    df as f32 > num_docs * COMMON_SHARE
}

/// What finding a word whose rarest indexed form is in `df` passages is worth.
pub fn word_worth(df: u64, num_docs: f32) -> f32 {
    PRESENCE * idf(df, num_docs)
}

/// What finding a word taken for a typo is worth, the commonest of those words in `df`
/// passages: what the word would be worth, a little less, so that a passage holding a query
/// word as typed ranks above one holding a guess at another.
pub fn typo_worth(df: u64, num_docs: f32) -> f32 {
    TYPO_DISCOUNT * word_worth(df, num_docs)
}

/// Where a passage's context holds a query word its own text lacks: the nearer, the more it
/// says about the passage (the way BM25F weighs a heading field below the body).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// The title of the passage's section.
    Section,
    /// Its chapter.
    Chapter,
    /// Its document's title.
    Title,
}

/// The share of a word's worth earned by finding it in a passage's context only.
pub fn context_share(at: Context) -> f32 {
    match at {
        Context::Section => CONTEXT_SECTION,
        Context::Chapter => CONTEXT_CHAPTER,
        Context::Title => CONTEXT_TITLE,
    }
}

/// What finding a phrase of `words` words, the rarest in `df` passages, is worth.
pub fn phrase_worth(df: u64, words: usize, num_docs: f32) -> f32 {
    word_worth(df, num_docs) * words as f32
}

/// What a prefix match is worth: a word of the prefix's own rarity, found exactly.
pub fn prefix_worth(df: u64, num_docs: f32) -> f32 {
    (PRESENCE + W_EXACT) * idf(df.max(1), num_docs)
}

/// The BM25 boosts of one word's forms as written (in `text_exact`): the word ([`W_EXACT`]),
/// its root ([`W_ID`]) and its stem ([`W_EN`]), a form that is another's the same term with
/// the boosts added (`korban` is its own root and stem: one term, boosted by all three). The
/// other words of the root and of the stem are in their own fields, boosted [`W_ID`] and
/// [`W_EN`] ([`crate::text::forms()`]).
pub fn written_boosts<'a>(
    word: &'a str,
    root: Option<&'a str>,
    stem: &'a str,
) -> Vec<(&'a str, f32)> {
    let mut out = vec![(word, W_EXACT)];
    for (form, boost) in root.map(|r| (r, W_ID)).into_iter().chain([(stem, W_EN)]) {
        match out.iter_mut().find(|(f, _)| *f == form) {
            Some(same) => same.1 += boost,
            None => out.push((form, boost)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const N: f32 = 10_000.0;

    #[test]
    fn a_rare_word_is_worth_more_than_a_common_one() {
        assert!(word_worth(3, N) > word_worth(300, N));
        assert!(word_worth(300, N) > 0.0);
    }

    #[test]
    fn two_words_found_beat_one_word_repeated() {
        // One passage scores higher BM25 by repeating a word; the other holds both words.
        let one = score(4.0, word_worth(50, N), Kind::Body, false, false);
        let both = score(
            2.0,
            word_worth(50, N) + word_worth(80, N),
            Kind::Body,
            false,
            false,
        );
        assert!(both > one, "{both} vs {one}");
    }

    #[test]
    fn body_text_outranks_a_bibliography_entry_with_the_same_words() {
        let body = score(3.0, word_worth(10, N), Kind::Body, false, false);
        let bib = score(3.0, word_worth(10, N), Kind::Bibliography, false, false);
        assert!(body > bib);
        assert!(
            score(3.0, 0.0, Kind::Caption, false, false)
                < score(3.0, 0.0, Kind::Table, false, false)
        );
    }

    #[test]
    fn the_query_language_breaks_ties_but_not_coverage() {
        let same = score(3.0, word_worth(10, N), Kind::Body, true, false);
        let other = score(3.0, word_worth(10, N), Kind::Body, false, false);
        assert!(same > other);
        let more_words = score(3.0, 2.0 * word_worth(10, N), Kind::Body, false, false);
        assert!(more_words > same);
    }

    #[test]
    fn a_formula_ranks_below_own_words_unless_it_matches_more() {
        let own = score(3.0, word_worth(10, N), Kind::Body, false, false);
        let formula = score(3.0, word_worth(10, N), Kind::Body, false, true);
        assert!(own > formula && formula > 0.0);
        let formula_more = score(3.0, 3.0 * word_worth(10, N), Kind::Body, false, true);
        assert!(formula_more > own);
    }

    #[test]
    fn a_typo_is_worth_less_than_the_word_found_as_typed() {
        assert!(typo_worth(40, N) < word_worth(40, N));
        assert!(typo_worth(40, N) > word_worth(400, N));
    }

    #[test]
    fn a_fifth_of_all_passages_is_common() {
        assert!(!is_common(2_000, N));
        assert!(is_common(2_001, N));
    }

    #[test]
    fn a_root_or_stem_equal_to_the_word_is_the_word_s_term() {
        assert_eq!(
            written_boosts("korban", Some("korban"), "korban"),
            [("korban", W_EXACT + W_ID + W_EN)]
        );
        assert_eq!(
            written_boosts("perdagangan", Some("dagang"), "perdagangan"),
            [("perdagangan", W_EXACT + W_EN), ("dagang", W_ID)]
        );
        assert_eq!(
            written_boosts("sites", Some("sites"), "site"),
            [("sites", W_EXACT + W_ID), ("site", W_EN)]
        );
        assert_eq!(
            written_boosts("berlari", Some("lari"), "lari"),
            [("berlari", W_EXACT), ("lari", W_ID + W_EN)]
        );
        assert_eq!(
            written_boosts("yang", None, "yang"),
            [("yang", W_EXACT + W_EN)]
        );
    }

    #[test]
    fn context_counts_less_than_the_passage_s_own_words_and_nearer_context_more() {
        assert!(context_share(Context::Section) < 1.0);
        assert!(context_share(Context::Section) > context_share(Context::Chapter));
        assert!(context_share(Context::Chapter) > context_share(Context::Title));
    }

    #[test]
    fn a_fragment_counts_less_than_a_paragraph() {
        assert!(length_weight(2) < 0.3);
        assert!(length_weight(20) < length_weight(30));
        assert_eq!(length_weight(44), 1.0);
        assert_eq!(length_weight(300), 1.0);
    }

    #[test]
    fn a_phrase_is_worth_its_words() {
        assert_eq!(phrase_worth(5, 3, N), 3.0 * word_worth(5, N));
        assert!(prefix_worth(0, N) == prefix_worth(1, N));
    }
}
