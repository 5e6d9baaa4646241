//! Query words in the other language: each word's dictionary translations that the index holds
//! ([`crate::text::lexicon`]), the senses that fit the query chosen by what occurs together.
//!
//! A dictionary gives every sense of a word; a query means one. `court` is `pengadilan` in a
//! question about verdicts and `lapangan` in one about tennis, and the corpus says which: the
//! translation that occurs in passages with the query's other words (or their translations) is
//! the one meant. So each word keeps the translations that co-occur with the other words'
//! translations at least a quarter as often as its best one does; a query with one translated
//! word, or whose other translations never meet any of a word's, keeps them all.
//!
//! A translated word is found by its root, so that its inflections find it too, unless the
//! root's words mean other things: derivation in Indonesian often changes the meaning
//! (`perlakuan`, treatment; `melakukan`, to do; `pelaku`, the perpetrator). Such a word is
//! found by its kin as written ([`crate::text::lexicon::Compiled::kin`]).

use tantivy::query::{PhraseQuery, Query};
use tantivy::schema::Field;
use tantivy::Term;

use super::{analyze, Builder};
use crate::error::Result;
use crate::search::in_lang::InLanguage;
use crate::search::query::{self, Atom, ParsedQuery};
use crate::search::rank;
use crate::search::union::{Only, Part};
use crate::text::function_words;
use crate::text::lexicon::{lexicon, Lang};

/// Most query words a dictionary phrase spans (`trafficking in persons`).
const MAX_PHRASE_WORDS: usize = 3;
/// Most translations one query word is looked for in, the first-listed senses that fit first:
/// each is a posting list to score, and the dictionary lists the common senses first.
const MAX_TRANSLATIONS: usize = 3;
/// Share of the best-fitting translation's co-occurrence a sense needs to be kept.
const MIN_FIT: f32 = 0.25;

/// A translation of a query word that the index holds.
#[derive(Clone)]
pub(in crate::search) struct Translation {
    /// The query word (or words, for a phrase) as the exact analyzer left them.
    pub(in crate::search) word: String,
    /// The translation as the lexicon lists it (`perempuan`, `duta besar`).
    pub(in crate::search) to: String,
    /// What finds it, any of them: its root or stem as written and its root's or stem's
    /// other words, or its kin as written, or its words in order.
    pub(in crate::search) queries: Vec<Part>,
    /// The term that stands for it: its root or stem (or the word, looked for as written, as
    /// is the first of its kin), or the rarest word of a phrase.
    pub(in crate::search) term: Term,
    /// The terms a passage holding it holds one of, for coverage and `via`: its root or stem
    /// in both fields that hold one ([`crate::text::forms()`]), its kin, or `term`.
    pub(in crate::search) terms: Vec<Term>,
    /// Passages holding it (a root's or stem's family, [`Builder::df`]).
    pub(in crate::search) df: u64,
    /// The translation's language: only passages in it are found through it.
    pub(in crate::search) lang: Lang,
    /// The word's own forms in the index: a passage holding one matched the word itself.
    pub(in crate::search) own: Vec<Term>,
}

impl Translation {
    /// Whether `other` is found as this is: by the same term, both phrases or both words (a
    /// phrase's rarest word may be a word's own translation, `duta` of `duta besar`), so that
    /// two senses of one root count once.
    fn finds_as(&self, other: &Translation) -> bool {
        self.term == other.term && self.to.contains(' ') == other.to.contains(' ')
    }
}

impl Builder<'_> {
    /// The translations of every word the query looks for, by the word as the exact analyzer
    /// leaves it; dictionary phrases spanning several query words go to each of those words.
    pub(super) fn translate_query(&mut self, q: &ParsedQuery) -> Result<()> {
        let words = self.words_looked_for(q);
        // A phrase's translations come first for each of its words: they say more than the
        // words' own (`human trafficking` is `perdagangan manusia`, not any `manusia`).
        let mut found: Vec<Vec<Translation>> = words.iter().map(|_| Vec::new()).collect();
        for start in 0..words.len() {
            for n in 2..=MAX_PHRASE_WORDS.min(words.len() - start) {
                let phrase = words[start..start + n].join(" ");
                for t in self.translations(&phrase)? {
                    for of_word in &mut found[start..start + n] {
                        of_word.push(t.clone());
                    }
                }
            }
        }
        for (w, of_word) in words.iter().zip(&mut found) {
            for t in self.translations(w)? {
                if !of_word.iter().any(|o| o.finds_as(&t)) {
                    of_word.push(t);
                }
            }
        }
        self.choose_senses(&mut found)?;
        for (w, mut ts) in words.into_iter().zip(found) {
            ts.truncate(MAX_TRANSLATIONS);
            self.translated.entry(w).or_default().extend(ts);
        }
        Ok(())
    }

    /// The words of the query's optional and required word clauses, in order, function words
    /// left out as [`Builder::word`] leaves them out.
    fn words_looked_for(&mut self, q: &ParsedQuery) -> Vec<String> {
        let mut out = Vec::new();
        for c in &q.clauses {
            let Atom::Word(w) = &c.atom else { continue };
            if c.occur == query::Occur::MustNot {
                continue;
            }
            for t in analyze(&mut self.exact, w) {
                if !(self.skip_function_words && function_words::is_function_word(&t)) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// The translations of `word` (English into Indonesian, and Indonesian into English) that
    /// the index holds: a single word by its root or stem, a phrase by its words in order.
    fn translations(&self, word: &str) -> Result<Vec<Translation>> {
        let f = &self.engine.fields;
        let mut out: Vec<Translation> = Vec::new();
        let mut kin_roots: Vec<String> = Vec::new();
        for (from, field) in [(Lang::En, f.text_id), (Lang::Id, f.text_en)] {
            let (lang, reduce) = (from.other(), from.other().reduce());
            let tos = lexicon().senses(word, from);
            for &to in &tos {
                if to == word || function_words::is_function_word(to) {
                    continue;
                }
                let has_kin = lang == Lang::Id && lexicon().kin(to).is_some();
                let t = if to.contains(' ') {
                    self.phrase_translation(word, to, lang)?
                } else if has_kin {
                    let Some(kin) = kin_of_root(to, &tos, &mut kin_roots) else {
                        continue;
                    };
                    self.kin_translation(word, to, kin, lang)?
                } else {
                    let term = self.word_term(to, (field, reduce), &tos);
                    self.word_translation(word, to, term, lang)?
                };
                if let Some(t) = t.filter(|t| !out.iter().any(|o| o.finds_as(t))) {
                    out.push(t);
                }
            }
        }
        Ok(out)
    }

    /// A translation of one word, found by `term` ([`Builder::word_term`]).
    fn word_translation(
        &self,
        word: &str,
        to: &str,
        term: Term,
        lang: Lang,
    ) -> Result<Option<Translation>> {
        let df = self.df(&term)?;
        if df == 0 || rank::is_common(df, self.num_docs) {
            return Ok(None);
        }
        // A root or stem is in two fields: as written, and as the other words' ([`Builder::df`]).
        let mut terms = Vec::with_capacity(2);
        for t in std::iter::once(term.clone()).chain(self.written(&term)) {
            if self.own_df(&t)? > 0 {
                terms.push(t);
            }
        }
        // Indonesian roots are indexed only for passages not in English, so a root found is
        // found where the filter would look (but for a passage in a third language holding an
        // Indonesian root: 14 of corpus-large's 113,218 passages are in one, or an English
        // passage holding the root as written, which `text_exact` holds for every passage;
        // only a passage in the translation's language earns its share of the word's worth,
        // `rerank`, so such a passage gets the translation's BM25 alone). Left bare, a
        // translation into Indonesian spares a look at each passage's language; a translation
        // into English is kept to English passages as the union scores it ([`Part::Term`]'s
        // `only`: the union reads the passage's language before it scores, and stays a union
        // of term scorers).
        let only = if term.field() == self.engine.fields.text_id {
            None
        } else {
            Some(self.only(lang)?)
        };
        let queries = terms
            .iter()
            .map(|t| Part::Term {
                term: t.clone(),
                boost: 1.0,
                only: only.clone(),
            })
            .collect();
        Ok(Some(Translation {
            word: word.to_string(),
            to: to.to_string(),
            queries,
            term,
            terms,
            df,
            lang,
            own: Vec::new(),
        }))
    }

    /// A translation found by its kin as written ([`crate::text::lexicon::Compiled::kin`]), each
    /// with its possessive `-nya`, rather than by its root's every word: the words it is
    /// found by in `terms`, all of them in `text_exact`.
    fn kin_translation(
        &self,
        word: &str,
        to: &str,
        kin: Vec<&str>,
        lang: Lang,
    ) -> Result<Option<Translation>> {
        let f = self.engine.fields.text_exact;
        let mut held: Vec<(Term, u64)> = Vec::new();
        for k in kin {
            for form in [k.to_string(), format!("{k}nya")] {
                let term = self.term(f, &form);
                let n = self.own_df(&term)?;
                if n > 0 {
                    held.push((term, n));
                }
            }
        }
        let df: u64 = held.iter().map(|h| h.1).sum();
        let Some(term) = held.first().map(|h| h.0.clone()) else {
            return Ok(None);
        };
        if rank::is_common(df, self.num_docs) {
            return Ok(None);
        }
        // Each form weighs what the kin do together, as a root's words do under their root:
        // by its own rarity a rare form (`pertemuan` of `temu`) would outrank the common one
        // that is the word's usual sense (`ditemukan`).
        let idf = rank::idf(df, self.num_docs);
        let queries = held
            .iter()
            .map(|(t, n)| Part::Term {
                term: t.clone(),
                boost: idf / rank::idf(*n, self.num_docs),
                only: None,
            })
            .collect();
        let terms = held.into_iter().map(|h| h.0).collect();
        Ok(Some(Translation {
            word: word.to_string(),
            to: to.to_string(),
            queries,
            term,
            terms,
            df,
            lang,
            own: Vec::new(),
        }))
    }

    /// What finds one translated word: its root or stem (in `field`, by `reduce`), so that its
    /// inflections find it too, unless that is a function word the dictionary does not give
    /// for the query word (`tos`, all it gives). `penentangan` (resistance) reduces to
    /// `tentang`, which alone means "about": every passage saying "about" held the
    /// translation, 5,584 of corpus-large's, none of them about resistance. Such a word is
    /// looked for as written. `sendirian` (alone) reduces to `sendiri`, a function word the
    /// dictionary gives for `alone` too, so it stays found by its root.
    fn word_term(
        &self,
        to: &str,
        (field, reduce): (Field, fn(&str) -> String),
        tos: &[&str],
    ) -> Term {
        let reduced = reduce(to);
        if reduced != to
            && function_words::is_function_word(&reduced)
            && !tos.contains(&reduced.as_str())
        {
            self.term(self.engine.fields.text_exact, to)
        } else {
            self.term(field, &reduced)
        }
    }

    /// Passages in the language `lang` only: an English word found in an Indonesian passage
    /// (a programme's English name, a quoted title) is not the passage's meaning.
    pub(super) fn only(&self, lang: Lang) -> Result<Only> {
        Ok(Only {
            code: crate::index::schema::lexicon_lang_code(lang),
            columns: self.engine.columns(self.searcher)?,
        })
    }

    /// `q` for passages in the language `lang` only ([`Self::only`]).
    fn in_language(&self, q: Box<dyn Query>, lang: Lang) -> Result<Box<dyn Query>> {
        let only = self.only(lang)?;
        Ok(Box::new(InLanguage::new(q, only.code, only.columns)))
    }

    /// A translation of several words, found as those words in order, unstemmed.
    fn phrase_translation(&self, word: &str, to: &str, lang: Lang) -> Result<Option<Translation>> {
        let f = self.engine.fields.text_exact;
        let mut terms = Vec::new();
        let mut rarest: Option<(Term, u64)> = None;
        for w in to.split(' ') {
            let term = self.term(f, w);
            let df = self.df(&term)?;
            if df == 0 {
                return Ok(None);
            }
            if rarest.as_ref().is_none_or(|r| df < r.1) {
                rarest = Some((term.clone(), df));
            }
            terms.push(term);
        }
        let Some((term, df)) = rarest else {
            return Ok(None);
        };
        Ok(Some(Translation {
            word: word.to_string(),
            to: to.to_string(),
            queries: vec![Part::Query(
                self.in_language(Box::new(PhraseQuery::new(terms)), lang)?,
            )],
            terms: vec![term.clone()],
            term,
            df,
            lang,
            own: Vec::new(),
        }))
    }

    /// Keep, for each word with several translations, those that fit the query: see the module
    /// doc. What a translation co-occurs with is the other words' translations (the passages
    /// in its own language; the words as typed are in the other). Each translation's passages
    /// are read once, as a list per segment; only the words' unions are bit sets (a bit set per
    /// translation, zeroed and freed at every search, was a twentieth of some searches).
    fn choose_senses(&self, found: &mut [Vec<Translation>]) -> Result<()> {
        let translated = found.iter().filter(|ts| !ts.is_empty()).count();
        if translated < 2 || found.iter().all(|ts| ts.len() < 2) {
            return Ok(());
        }
        let lists: Vec<Vec<Vec<Docs>>> = found
            .iter()
            .map(|ts| ts.iter().map(|t| self.docs(&t.queries)).collect())
            .collect::<Result<_>>()?;
        let words: Vec<usize> = self
            .searcher
            .segment_readers()
            .iter()
            .map(|r| (r.max_doc() as usize).div_ceil(64))
            .collect();
        let empty = || -> Vec<Bits> { words.iter().map(|&n| vec![0; n]).collect() };
        let word_sets: Vec<Vec<Bits>> = lists
            .iter()
            .map(|ts| {
                let mut all = empty();
                ts.iter().for_each(|t| set_all(&mut all, t));
                all
            })
            .collect();
        let mut others = empty();
        for (i, ts) in found.iter_mut().enumerate() {
            if ts.len() < 2 {
                continue;
            }
            others.iter_mut().for_each(|s| s.fill(0));
            for (_, set) in word_sets.iter().enumerate().filter(|&(j, _)| j != i) {
                or_into(&mut others, set);
            }
            let fit: Vec<u64> = lists[i].iter().map(|t| held_in(t, &others)).collect();
            let best = fit.iter().copied().max().unwrap_or(0);
            if best > 0 {
                let mut k = fit.into_iter();
                ts.retain(|_| k.next().is_some_and(|c| c as f32 >= best as f32 * MIN_FIT));
            }
        }
        Ok(())
    }

    /// The passages any of `qs` matches, in order, one list per segment: each query's list
    /// read on its own ([`Part::matches`]) and the lists merged (a union scorer over a root's
    /// two terms cost more than reading them apart, perf).
    fn docs(&self, qs: &[Part]) -> Result<Vec<Docs>> {
        let mut out: Vec<Docs> = vec![Vec::new(); self.searcher.segment_readers().len()];
        for q in qs {
            for (docs, list) in out.iter_mut().zip(q.matches(self.searcher, &self.looked)?) {
                merge_into(docs, &list);
            }
        }
        Ok(out)
    }
}

/// The kin of every sense in `tos` that has the root of `to` (`belajar` and `mempelajari` of
/// `study`, both of `ajar`), as one translation: a root's senses found by its root were one
/// term, and counted once against the senses a word keeps ([`MAX_TRANSLATIONS`]), and so are
/// they found by their kin. `None` when an earlier sense had the root (`roots`, those done).
fn kin_of_root(to: &str, tos: &[&str], roots: &mut Vec<String>) -> Option<Vec<&'static str>> {
    let root = crate::text::stem_id(to);
    if roots.contains(&root) {
        return None;
    }
    let mut kin: Vec<&'static str> = Vec::new();
    let same_root = tos
        .iter()
        .filter(|t| **t == to || (!t.contains(' ') && crate::text::stem_id(t) == root));
    for words in same_root.filter_map(|t| lexicon().kin(t)) {
        for w in words {
            if !kin.contains(&w) {
                kin.push(w);
            }
        }
    }
    roots.push(root);
    Some(kin)
}

/// `docs` and `more` (both ascending, without repeats) merged into `docs`, still so: a
/// sort of the two lists concatenated was a third of reading them (perf).
fn merge_into(docs: &mut Docs, more: &[u32]) {
    if docs.is_empty() {
        docs.extend_from_slice(more);
        return;
    }
    let mut merged = Vec::with_capacity(docs.len() + more.len());
    let (mut a, mut b) = (docs.iter().peekable(), more.iter().peekable());
    while let (Some(&&x), Some(&&y)) = (a.peek(), b.peek()) {
        merged.push(x.min(y));
        if x <= y {
            a.next();
        }
        if y <= x {
            b.next();
        }
    }
    merged.extend(a.chain(b));
    *docs = merged;
}

/// One segment's passages, in order.
type Docs = Vec<u32>;

/// One segment's passages, a bit per passage.
type Bits = Vec<u64>;

/// Set the bits of `docs` (per segment) in `into`.
fn set_all(into: &mut [Bits], docs: &[Docs]) {
    for (bits, docs) in into.iter_mut().zip(docs) {
        for &d in docs {
            bits[d as usize / 64] |= 1 << (d % 64);
        }
    }
}

fn or_into(into: &mut [Bits], from: &[Bits]) {
    for (a, b) in into.iter_mut().zip(from) {
        for (x, y) in a.iter_mut().zip(b) {
            *x |= y;
        }
    }
}

/// How many of `docs` (per segment) have their bit set in `set`.
fn held_in(docs: &[Docs], set: &[Bits]) -> u64 {
    docs.iter()
        .zip(set)
        .map(|(docs, bits)| {
            docs.iter()
                .filter(|&&d| bits[d as usize / 64] & (1 << (d % 64)) != 0)
                .count() as u64
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::merge_into;

    #[test]
    fn merged_lists_stay_ascending_without_repeats() {
        let mut docs = vec![];
        merge_into(&mut docs, &[3, 9]);
        assert_eq!(docs, [3, 9]);
        merge_into(&mut docs, &[1, 3, 4, 12]);
        assert_eq!(docs, [1, 3, 4, 9, 12]);
        merge_into(&mut docs, &[]);
        assert_eq!(docs, [1, 3, 4, 9, 12]);
    }
}
