//! The schema: which passage fields are stored, which are filters, and how text is analyzed.
//!
//! Passage text is indexed three times: with the Indonesian analyzer, the English one and
//! unstemmed. Every passage goes into all three, whatever its language, so that English terms
//! inside Indonesian text (`human security`, `debt bondage`) still meet English queries, and so
//! that phrases, typos and prefixes have an unstemmed field to work on.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};

use crate::text::{self, names};

/// Bumped whenever the schema or the analysis changes, so an old index is rebuilt, not misread.
pub const SCHEMA_VERSION: u32 = 5;

/// Handles to every field, resolved once.
#[derive(Debug, Clone)]
pub struct Fields {
    /// The passage id `doc#n` (one untokenized term): how `show` and `passage` find it.
    pub id: Field,
    /// The document id, one term; a regex over it serves `doc:003` (an id's beginning).
    pub doc: Field,
    /// The source file the passage came from (its key in the manifest), for incremental updates.
    pub file: Field,
    /// The document title, stored and analyzed unstemmed: `title:meksiko` needs every word.
    pub title: Field,
    /// The chapter heading, stored and analyzed unstemmed for `chapter:"BAB II"`.
    pub chapter: Field,
    /// The section number as shown (`2.1.1`), stored; filtering goes through `section_path`.
    pub section: Field,
    /// Every prefix of the section number (`2`, `2.1`, `2.1.1`): `section:2.1` finds the
    /// subsections too.
    pub section_path: Field,
    /// The section title, stored and analyzed unstemmed.
    pub section_title: Field,
    /// The kind's name ([`crate::model::Kind::as_str`]), one term: `kind:` filters and the
    /// counts of `stats`.
    pub kind: Field,
    /// The kind as a number ([`crate::model::Kind::code`]), a fast field for ranking.
    pub kind_code: Field,
    /// The passage's language code (`id`, `en`), one term: `lang:` filters.
    pub lang: Field,
    /// The language as a number ([`lang_code`]), a fast field for ranking.
    pub lang_code: Field,
    /// 1-based page, 0 when the source marks none (read back as no page).
    pub page: Field,
    /// The passage's 1-based place in its document (the `n` of `doc#n`), a fast field.
    pub ord: Field,
    /// 1-based first source line of the passage.
    pub line_start: Field,
    /// 1-based last source line of the passage.
    pub line_end: Field,
    /// Byte offset where the passage starts in the decoded source (stored only).
    pub byte_start: Field,
    /// Byte offset just past the passage's end (stored only).
    pub byte_end: Field,
    /// Footnote numbers the passage marks or is, one value each (stored only).
    pub footnotes: Field,
    /// The passage text as shown (stored only).
    pub text: Field,
    /// The text through the Indonesian analyzer: roots (`perdagangan` → `dagang`).
    pub text_id: Field,
    /// The text through the English analyzer: stems (`trafficking` → `traffick`).
    pub text_en: Field,
    /// The text lowercased and ASCII-folded, unstemmed: exact words, phrases, prefixes, typos.
    pub text_exact: Field,
    /// Cited names (authors, organisations, their abbreviations), analyzed like exact text:
    /// `cites:unodc`, `cites:"Correa-Cabrera"`.
    pub cites: Field,
    /// `name-key|year` pairs, so `cites:X year:Y` means one citation of X in Y, not X somewhere
    /// and Y somewhere else in the passage.
    pub cite_year: Field,
    /// Cited years (`year:2016`).
    pub year: Field,
    /// Work keys of cited works (`work:correa-cabrera-2016`), and of the work a bibliography
    /// entry or footnote describes.
    pub work: Field,
    /// `y` on passages that carry citations, so listing them touches no other passage.
    pub cited: Field,
    /// Citations and the parsed reference as JSON (stored only).
    pub citations: Field,
    /// The parsed [`crate::model::Reference`] of a bibliography entry or footnote, as JSON
    /// (stored only).
    pub reference: Field,
    /// Reuse fingerprints (winnowed shingle hashes): indexed, so `check` asks only for passages
    /// sharing one; fast, so `dupes` reads them all without touching the stored text.
    pub fp: Field,
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

/// The schema of a new index and the handles to its fields: the one place fields are declared
/// (a change here is a [`SCHEMA_VERSION`] bump).
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let num = || {
        NumericOptions::default()
            .set_stored()
            .set_fast()
            .set_indexed()
    };
    let f = Fields {
        id: b.add_text_field("id", STRING | STORED),
        doc: b.add_text_field("doc", STRING | STORED | FAST),
        file: b.add_text_field("file", STRING),
        title: b.add_text_field("title", analyzed(text::EXACT, true)),
        chapter: b.add_text_field("chapter", analyzed(text::EXACT, true)),
        section: b.add_text_field("section", STRING | STORED),
        section_path: b.add_text_field("section_path", STRING),
        section_title: b.add_text_field("section_title", analyzed(text::EXACT, true)),
        kind: b.add_text_field("kind", STRING | STORED | FAST),
        kind_code: b.add_u64_field("kind_code", NumericOptions::default().set_fast()),
        lang: b.add_text_field("lang", STRING | STORED | FAST),
        lang_code: b.add_u64_field("lang_code", NumericOptions::default().set_fast()),
        page: b.add_u64_field("page", num()),
        ord: b.add_u64_field("ord", num()),
        line_start: b.add_u64_field("line_start", num()),
        line_end: b.add_u64_field("line_end", num()),
        byte_start: b.add_u64_field("byte_start", NumericOptions::default().set_stored()),
        byte_end: b.add_u64_field("byte_end", NumericOptions::default().set_stored()),
        footnotes: b.add_u64_field("footnotes", NumericOptions::default().set_stored()),
        text: b.add_text_field("text", STORED),
        text_id: b.add_text_field("text_id", analyzed(text::ID, false)),
        text_en: b.add_text_field("text_en", analyzed(text::EN, false)),
        text_exact: b.add_text_field("text_exact", analyzed(text::EXACT, false)),
        cites: b.add_text_field("cites", analyzed(text::EXACT, false)),
        cite_year: b.add_text_field("cite_year", STRING),
        year: b.add_text_field("year", STRING),
        work: b.add_text_field("work", STRING),
        cited: b.add_text_field("cited", STRING),
        citations: b.add_text_field("citations", STORED),
        reference: b.add_text_field("reference", STORED),
        fp: b.add_u64_field("fp", NumericOptions::default().set_indexed().set_fast()),
    };
    (b.build(), f)
}

impl Fields {
    /// Resolve the fields of an existing index's schema; `None` if it lacks one of them.
    pub fn of(schema: &Schema) -> Option<Fields> {
        let g = |name: &str| schema.get_field(name).ok();
        Some(Fields {
            id: g("id")?,
            doc: g("doc")?,
            file: g("file")?,
            title: g("title")?,
            chapter: g("chapter")?,
            section: g("section")?,
            section_path: g("section_path")?,
            section_title: g("section_title")?,
            kind: g("kind")?,
            kind_code: g("kind_code")?,
            lang: g("lang")?,
            lang_code: g("lang_code")?,
            page: g("page")?,
            ord: g("ord")?,
            line_start: g("line_start")?,
            line_end: g("line_end")?,
            byte_start: g("byte_start")?,
            byte_end: g("byte_end")?,
            footnotes: g("footnotes")?,
            text: g("text")?,
            text_id: g("text_id")?,
            text_en: g("text_en")?,
            text_exact: g("text_exact")?,
            cites: g("cites")?,
            cite_year: g("cite_year")?,
            year: g("year")?,
            work: g("work")?,
            cited: g("cited")?,
            citations: g("citations")?,
            reference: g("reference")?,
            fp: g("fp")?,
        })
    }
}

/// The languages ranking tells apart: 1 Indonesian, 2 English, 0 anything else.
pub fn lang_code(lang: &str) -> u64 {
    match lang {
        "id" => 1,
        "en" => 2,
        _ => 0,
    }
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
