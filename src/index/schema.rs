//! The schema: which passage fields are stored, which are filters, and how text is analyzed.
//!
//! Passage text is indexed three times: with the Indonesian analyzer, the English one and
//! unstemmed. Every passage goes into all three, whatever its language, so that English terms
//! inside Indonesian text (`human security`, `debt bondage`) still meet English queries, and so
//! that phrases, typos and prefixes have an unstemmed field to work on.

use tantivy::schema::{
    BytesOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    FAST, STORED, STRING,
};

use crate::text::{self, names};

/// Bumped whenever the schema or the analysis changes, so an old index is rebuilt, not misread.
pub const SCHEMA_VERSION: u32 = 14;

/// The one table of fields: each field's name, how it is added and what it is for, written
/// once. From it come the [`Fields`] handles, [`build`] (a new index's schema) and
/// [`Fields::of`] (an existing index's), so the three cannot disagree.
macro_rules! field_table {
    ($($(#[doc = $doc:literal])* $name:ident: $add:ident($opts:expr),)*) => {
        /// Handles to every field, resolved once.
        #[derive(Debug, Clone)]
        pub struct Fields {
            $($(#[doc = $doc])* pub $name: Field,)*
        }

        /// A new index's schema, with the handles to its fields (a change to the table is a
        /// `SCHEMA_VERSION` bump).
        pub fn build() -> (Schema, Fields) {
            let mut b = Schema::builder();
            let f = Fields {
                $($name: b.$add(stringify!($name), $opts),)*
            };
            (b.build(), f)
        }

        impl Fields {
            /// Resolve the fields of an existing index's schema; `None` if it lacks one of them.
            pub fn of(schema: &Schema) -> Option<Fields> {
                Some(Fields {
                    $($name: schema.get_field(stringify!($name)).ok()?,)*
                })
            }
        }
    };
}

field_table! {
    /// The passage id `doc#n` (one untokenized term): how `show` and `passage` find it.
    id: add_text_field(STRING | STORED),
    /// The document id, one term; a range of its terms serves `doc:003` (an id's beginning).
    doc: add_text_field(STRING | STORED | FAST),
    /// The source file the passage came from (its key in the manifest), for incremental updates.
    file: add_text_field(STRING),
    /// The document title, stored and analyzed unstemmed: `title:meksiko` needs every word.
    title: add_text_field(analyzed(text::EXACT, true)),
    /// Authors and year as a citation names the document (`Saragih & Alfajri (2023)`), stored
    /// on every passage so that a hit shows it without a second read.
    cite_as: add_text_field(STORED),
    /// The document's [`crate::model::DocMeta`] as JSON, stored on its first passage only (what
    /// `docs` lists and a citation is made from).
    meta: add_text_field(STORED),
    /// The chapter heading, stored and analyzed unstemmed for `chapter:"BAB II"`.
    chapter: add_text_field(analyzed(text::EXACT, true)),
    /// The section number as shown (`2.1.1`), stored; filtering goes through `section_path`.
    section: add_text_field(STRING | STORED),
    /// Every prefix of the section number (`2`, `2.1`, `2.1.1`): `section:2.1` finds the
    /// subsections too.
    section_path: add_text_field(STRING),
    /// The section title, stored and analyzed unstemmed, without positions: a search looks
    /// its words up one by one (context, [`crate::search`]), no filter or phrase reads it.
    section_title: add_text_field(freqs(text::EXACT).set_stored()),
    /// The title of the heading a numbered list of sub-headings stands under, stored and
    /// analyzed unstemmed: context that search counts for the passages beneath.
    parent_title: add_text_field(freqs(text::EXACT).set_stored()),
    /// The kind's name ([`crate::model::Kind::as_str`]), one term: `kind:` filters and the
    /// counts of `stats`.
    kind: add_text_field(STRING | STORED | FAST),
    /// The kind as a number ([`crate::model::Kind::code`]), a fast field for ranking.
    kind_code: add_u64_field(NumericOptions::default().set_fast()),
    /// [`title_key`]s: of a heading's own text, or of the titles a passage stands beneath (its
    /// section title and parent title). A search moves a heading below a paragraph of its own
    /// section; comparing these is how it finds one among its candidates without reading
    /// them from the store (reading them was a tenth of a search on corpus-large, perf).
    title_keys: add_u64_field(NumericOptions::default().set_fast()),
    /// The passage's language code (`id`, `en`), one term: `lang:` filters.
    lang: add_text_field(STRING | STORED | FAST),
    /// The language as a number ([`lang_code`]), a fast field for ranking.
    lang_code: add_u64_field(NumericOptions::default().set_fast()),
    /// 1-based page, 0 when the source marks none (read back as no page).
    page: add_u64_field(num()),
    /// The page the passage ends on, 0 without pages (stored only: shown, never searched).
    page_end: add_u64_field(NumericOptions::default().set_stored()),
    /// Its first line within its first page, 0 without pages (stored only).
    page_line_start: add_u64_field(NumericOptions::default().set_stored()),
    /// Its last line within its last page, 0 without pages (stored only).
    page_line_end: add_u64_field(NumericOptions::default().set_stored()),
    /// The passage's 1-based place in its document (the `n` of `doc#n`), a fast field.
    ord: add_u64_field(num()),
    /// 1-based first source line of the passage.
    line_start: add_u64_field(num()),
    /// 1-based last source line of the passage.
    line_end: add_u64_field(num()),
    /// Byte offset where the passage starts in the decoded source (stored only).
    byte_start: add_u64_field(NumericOptions::default().set_stored()),
    /// Byte offset just past the passage's end (stored only).
    byte_end: add_u64_field(NumericOptions::default().set_stored()),
    /// 1 when the passage's text was read by OCR from a scanned page (stored only).
    ocr: add_u64_field(NumericOptions::default().set_stored()),
    /// Footnote numbers the passage marks or is, one value each (stored only).
    footnotes: add_u64_field(NumericOptions::default().set_stored()),
    /// The passage text as shown (stored only).
    text: add_text_field(STORED),
    /// The text through the Indonesian analyzer: roots (`perdagangan` → `dagang`), only those
    /// that differ from their word (`text_exact` holds the others: a root is looked for in
    /// both). Without positions: phrases are matched on `text_exact`, and positions of the
    /// two stemmed fields were a tenth of the index. Its words arrive analyzed
    /// ([`text::forms()`]), as do those of `text_en` and `text_exact`: the text is read once
    /// for the three.
    text_id: add_text_field(other_words()),
    /// The text through the English analyzer: stems (`trafficking` → `traffick`) that differ
    /// from their word, without positions, as `text_id`.
    text_en: add_text_field(other_words()),
    /// The text lowercased and ASCII-folded, unstemmed: exact words, phrases, prefixes, typos.
    text_exact: add_text_field(analyzed(text::PRE, false)),
    /// Cited names (authors, organisations, their abbreviations), analyzed like exact text:
    /// `cites:unodc`, `cites:"Correa-Cabrera"`.
    cites: add_text_field(analyzed(text::EXACT, false)),
    /// `name-key|year` pairs, so `cites:X year:Y` means one citation of X in Y, not X somewhere
    /// and Y somewhere else in the passage.
    cite_year: add_text_field(STRING),
    /// Cited years (`year:2016`).
    year: add_text_field(STRING),
    /// Work keys of cited works (`work:correa-cabrera-2016`), and of the work a bibliography
    /// entry or footnote describes.
    work: add_text_field(STRING),
    /// `y` on passages that carry citations, so listing them touches no other passage.
    cited: add_text_field(STRING),
    /// Citations and the parsed reference as JSON (stored only).
    citations: add_text_field(STORED),
    /// The parsed [`crate::model::Reference`] of a bibliography entry or footnote, as JSON
    /// (stored only).
    reference: add_text_field(STORED),
    /// Reuse fingerprints (winnowed shingle hashes), a fast field only: `dupes`, `check` and the
    /// formula flags read the whole column at once, never one fingerprint's passages. Indexed
    /// as terms they were nearly all distinct: 14.7 of corpus-large's 89.5 MB and an eighth of
    /// its build's CPU ([`crate::search::reuse`]).
    fp: add_u64_field(NumericOptions::default().set_fast()),
    /// The passage's sentence embedding ([`super::dense`]), present when the index was built
    /// with `--embed`: a fast field, so a query scores every passage without the stored text.
    emb: add_bytes_field(BytesOptions::default().set_fast()),
}

/// A number that is stored, filterable and a fast field.
fn num() -> NumericOptions {
    NumericOptions::default()
        .set_stored()
        .set_fast()
        .set_indexed()
}

/// Indexed with frequencies but no positions: a field no phrase query reads.
fn freqs(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqs),
    )
}

/// The roots' or stems' field: frequencies, no positions (no phrase query reads it) and no
/// lengths. It holds only the roots or stems that differ from their word
/// ([`text::forms()`]), so its length would be the count of a passage's inflected words,
/// which says little of how long the passage is; BM25 weighs length on `text_exact`, which
/// holds the words as written, a root or stem among them. Scored by that count, the judged
/// set of corpus-large lost 0.006 nDCG@10 ranked and 0.015 as a page shows it; without a
/// length it gained 0.011 ranked and lost 0.001 as a page (the seed set the same either way).
fn other_words() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(text::PRE)
            .set_index_option(IndexRecordOption::WithFreqs)
            .set_fieldnorms(false),
    )
}

fn analyzed(tokenizer: &str, stored: bool) -> TextOptions {
    let opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored {
        opts.set_stored()
    } else {
        opts
    }
}

/// The `title_keys` value of a title or heading text: its FNV-1a hash (stable across builds,
/// as a value kept in the index must be).
pub fn title_key(title: &str) -> u64 {
    text::hash::fnv(title.as_bytes())
}

/// The languages ranking tells apart: 1 Indonesian, 2 English, 0 anything else.
pub fn lang_code(lang: &str) -> u64 {
    match lang {
        "id" => 1,
        "en" => 2,
        _ => 0,
    }
}

/// [`lang_code`] of a language of the lexicon: the `lang_code` column's value for passages
/// in the language a translation is meant for.
pub fn lexicon_lang_code(lang: text::lexicon::Lang) -> u64 {
    lang_code(lang.code())
}

/// The `name-key|year` terms of a cited name: its whole key, each of its words, its acronym.
pub fn cite_year_terms(name: &str, year: &str) -> Vec<String> {
    let mut keys = vec![names::key(name)];
    keys.extend(
        names::fold(name)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() >= 2)
            .map(str::to_string),
    );
    keys.extend(names::acronym(name));
    keys.sort();
    keys.dedup();
    keys.retain(|k| !k.is_empty());
    let year: String = year.chars().take(4).collect();
    keys.into_iter().map(|k| format!("{k}|{year}")).collect()
}
