//! From a parsed query to a tantivy query for one searcher: each word in its indexed forms
//! (exact, Indonesian root, English stem, Indonesian loanword, or a typo's neighbours), phrases,
//! prefixes and filters, with what each is worth taken from [`super::rank`].

use tantivy::query::{
    AllQuery, Bm25StatisticsProvider, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery,
    Occur as TOccur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{Searcher, Term};

use super::held::WhereHeld;
use super::looked::Looked;
use super::prefix;
use super::query::{self, Atom, FilterField, Occur, ParsedQuery};
use super::rank::{self, W_COGNATE, W_EN, W_FUZZY, W_ID, W_PHRASE, W_SECTION, W_TRANSLATION};
use super::snippet::Matcher;
use super::union::{Part, Union};
use super::{cognate, typo};
use crate::error::Result;
use crate::index::schema::lexicon_lang_code;
use crate::index::Engine;
use crate::text::lexicon::Lang;
use crate::text::{self, function_words, names};

mod translate;
pub(super) use translate::Translation;

/// Most indexed words a typo stands for (the most frequent ones): a short word has many
/// neighbours one edit away, and each is a posting list to merge.
const MAX_TYPO_TERMS: usize = 16;
/// Most words a correction note names (the most frequent first).
const MAX_NAMED_CORRECTIONS: usize = 3;

fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// The indexed forms of one query word, and what finding any of them is worth.
pub(super) struct WordForms {
    pub(super) terms: Vec<Term>,
    /// Its forms kept to the passages of one language (with that language's `lang_code`): an
    /// English stem that is also an Indonesian word ([`english_only`]).
    pub(super) kept: Vec<(Term, u64)>,
    pub(super) worth: f32,
    /// Its translations found in the index, each with its language's `lang_code`: a passage
    /// in that language holding one earns a share of the word's worth
    /// ([`rank::TRANSLATION_SHARE`]).
    pub(super) translated: Vec<(Term, u64)>,
    /// The word in the fields that hold a passage's context (section title, chapter, document
    /// title), for passages whose own text lacks it.
    pub(super) context: Vec<(Term, rank::Context)>,
}

/// A query word's form found in the index: the term, its BM25 boost, its document frequency.
struct Found {
    term: Term,
    boost: f32,
    df: u64,
    /// An Indonesian loanword of the word (`infeksi` for `infection`), not the word itself.
    cognate: bool,
    /// The language of the only passages it is looked for in, if it is kept to one.
    only: Option<Lang>,
}

/// Turns parsed queries into tantivy queries for one searcher.
pub(super) struct Builder<'a> {
    engine: &'a Engine,
    searcher: &'a Searcher,
    /// What the snippet highlights: every form the query was looked for in.
    pub(super) matcher: Matcher,
    /// The forms of each query word, to count which words a candidate contains.
    pub(super) coverage: Vec<WordForms>,
    /// Query words nowhere in the index, with the indexed words taken for them.
    pub(super) corrections: Vec<super::Correction>,
    /// Whether query words are also looked for in their translations ([`translate`]).
    pub(super) translate: bool,
    /// The translations of each query word still to be added to its query.
    translated: std::collections::HashMap<String, Vec<Translation>>,
    /// Every translation the query looks for, to tell a hit which of its words matched
    /// through one.
    pub(super) via: Vec<Translation>,
    /// The term dictionary entries the search has looked up ([`Builder::df`], and after it
    /// the first pass, re-ranking and `via`).
    pub(super) looked: Looked,
    /// Tokens per field in the index, for BM25, looked up so far.
    tokens: std::cell::RefCell<rustc_hash::FxHashMap<Field, u64>>,
    exact: TextAnalyzer,
    id: TextAnalyzer,
    en: TextAnalyzer,
    num_docs: f32,
    /// Years asked for with `year:`, which `cites:` pairs with.
    cited_years: Vec<String>,
    /// Whether the query's optional words include subject words, so that its function words
    /// (`terhadap`, `the`) are left out ([`text::function_words`]).
    skip_function_words: bool,
}

impl<'a> Builder<'a> {
    pub(super) fn new(engine: &'a Engine, searcher: &'a Searcher) -> Builder<'a> {
        Builder {
            engine,
            searcher,
            matcher: Matcher::default(),
            coverage: Vec::new(),
            corrections: Vec::new(),
            translate: true,
            translated: Default::default(),
            via: Vec::new(),
            looked: Looked::default(),
            tokens: Default::default(),
            exact: text::exact_analyzer(),
            id: text::indonesian_analyzer(),
            en: text::english_analyzer(),
            num_docs: searcher.num_docs() as f32,
            cited_years: Vec::new(),
            skip_function_words: false,
        }
    }

    /// A term's document frequency, looked up once per query: a lookup visits every segment's
    /// term dictionary, and a word's forms, its translations and their senses ask again.
    fn df(&self, term: &Term) -> Result<u64> {
        Ok(Bm25StatisticsProvider::doc_freq(self, term)?)
    }

    /// Passages holding `term` itself, looked up once per query ([`Builder::df`] counts a
    /// root's or stem's family).
    fn own_df(&self, term: &Term) -> tantivy::Result<u64> {
        self.looked.doc_freq(self.searcher, term)
    }

    /// The passages in `lang` that hold `term`, for a form looked for in them alone: its
    /// document frequency counts the passages of every language. Reads the term's postings, so
    /// only for the few forms kept to one language ([`english_only`]).
    fn df_in(&self, term: &Term, lang: Lang) -> Result<u64> {
        let part = Part::Term {
            term: term.clone(),
            boost: 1.0,
            only: Some(self.only(lang)?),
        };
        let lists = part.matches(self.searcher, &self.looked)?;
        Ok(lists.iter().map(|l| l.len() as u64).sum())
    }

    /// Whether `field` holds the other words of roots or stems (`text_id`, `text_en`), whose
    /// words as written are in `text_exact` ([`crate::text::forms()`]).
    fn holds_other_words(&self, field: Field) -> bool {
        let f = &self.engine.fields;
        field == f.text_id || field == f.text_en
    }

    /// A root's or stem's term as written (`text_exact`), for a term of the field of its other
    /// words; `None` for a term of any other field.
    fn written(&self, term: &Term) -> Option<Term> {
        let value = term.value();
        self.holds_other_words(term.field()).then(|| {
            let text = value.as_str().unwrap_or_default();
            self.term(self.engine.fields.text_exact, text)
        })
    }

    fn term(&self, field: Field, text: &str) -> Term {
        Term::from_field_text(field, text)
    }

    /// The queries for one query word (one per token it analyzes to), each with the document
    /// frequency of its rarest form: BM25 over the forms found in the index, or, when none is,
    /// its typo neighbours at a fixed worth.
    /// An optional word that is a function word is left out when the query has subject words:
    /// it neither selects passages nor counts toward how much of the query one holds.
    fn word(&mut self, raw: &str, optional: bool) -> Result<Vec<(Forms, u64)>> {
        let exact = analyze(&mut self.exact, raw);
        let ids = analyze(&mut self.id, raw);
        let ens = analyze(&mut self.en, raw);
        let mut out: Vec<(Forms, u64)> = Vec::new();
        for (k, t) in exact.iter().enumerate() {
            if optional && self.skip_function_words && function_words::is_function_word(t) {
                continue;
            }
            let root = ids.get(k).unwrap_or(t);
            let root = root_is_looked_for(t, root).then_some(root.as_str());
            let stem = ens.get(k).unwrap_or(t);
            self.matcher.exact.insert(t.clone());
            if let Some(root) = root {
                self.matcher.id.insert(root.to_string());
            }
            self.matcher.en.insert(stem.clone());
            let stem_only_en = english_only(t, root, stem);
            if stem_only_en {
                self.matcher.en_not_as_written.insert(stem.clone());
            }
            let found = self.found_forms(t, root, (stem, stem_only_en))?;
            let translated = self.translations_beside(t, &found);
            if found.is_empty() && translated.is_empty() {
                out.extend(self.typo(t)?.map(|q| (q, 1)));
                continue;
            }
            // The rarest form decides how much finding the word is worth (see `rerank`); its
            // translations decide only for a word the index holds in no form of its own.
            let df = found
                .iter()
                .map(|x| x.df)
                .min()
                .or_else(|| translated.iter().map(|x| x.df).min())
                .unwrap_or(1);
            let mut bm25: Forms = Vec::with_capacity(found.len());
            for x in &found {
                bm25.push(Part::Term {
                    term: x.term.clone(),
                    boost: x.boost,
                    only: x.only.map(|lang| self.only(lang)).transpose()?,
                });
            }
            for x in &translated {
                for q in &x.queries {
                    bm25.push(q.boosted(W_TRANSLATION));
                }
                self.highlight_translation(x);
            }
            let context = self.context_terms(t)?;
            // A required word (`+ECPAT`) must be in the passage itself, not only above it.
            let section = context
                .iter()
                .filter(|c| optional && c.1 == rank::Context::Section);
            for (term, _) in section {
                let q = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
                let q = WhereHeld::new(term.field(), Box::new(q));
                bm25.push(Part::Query(Box::new(BoostQuery::new(
                    Box::new(q),
                    W_SECTION,
                ))));
            }
            self.count_word((found, translated), df, context);
            out.push((bm25, df));
        }
        Ok(out)
    }

    /// Records what one query word was looked for in: its forms, translations and context
    /// terms for re-ranking by coverage, its translations for `via`.
    fn count_word(
        &mut self,
        (found, translated): (Vec<Found>, Vec<Translation>),
        df: u64,
        context: Vec<(Term, rank::Context)>,
    ) {
        let (kept, everywhere): (Vec<Found>, Vec<Found>) =
            found.into_iter().partition(|x| x.only.is_some());
        let terms: Vec<Term> = everywhere.into_iter().map(|x| x.term).collect();
        let in_langs = translated
            .iter()
            .flat_map(|x| {
                x.terms
                    .iter()
                    .map(|t| (t.clone(), lexicon_lang_code(x.lang)))
            })
            .collect();
        self.via.extend(translated.into_iter().map(|mut x| {
            x.own.clone_from(&terms);
            x
        }));
        self.coverage.push(WordForms {
            terms,
            kept: kept
                .into_iter()
                .filter_map(|x| Some((x.term, lexicon_lang_code(x.only?))))
                .collect(),
            worth: rank::word_worth(df, self.num_docs),
            translated: in_langs,
            context,
        });
    }

    /// The translations of query word `t` still to be looked for, less those that are a
    /// loanword among its `found` forms already (`infeksi` for `infection`): found once, they
    /// count once.
    fn translations_beside(&mut self, t: &str, found: &[Found]) -> Vec<Translation> {
        let mut translated = self.translated.remove(t).unwrap_or_default();
        let cognates: Vec<String> = found
            .iter()
            .filter(|x| x.cognate)
            .filter_map(|x| x.term.value().as_str().map(text::stem_id))
            .collect();
        // A translation found by its root (`text_id`) or by its kin as written has the root of
        // an Indonesian word.
        let root = |x: &Translation| -> Option<String> {
            if x.term.field() == self.engine.fields.text_id {
                x.term.value().as_str().map(str::to_string)
            } else {
                (x.lang == Lang::Id && !x.to.contains(' ')).then(|| text::stem_id(&x.to))
            }
        };
        if !cognates.is_empty() {
            translated.retain(|x| root(x).is_none_or(|r| !cognates.contains(&r)));
        }
        translated
    }

    /// Highlight the words a translation is found by: its root or stem, the word as written, or
    /// a phrase's words.
    fn highlight_translation(&mut self, x: &Translation) {
        let engine = self.engine;
        let f = &engine.fields;
        let m = self.matcher_in(x.lang);
        let value = x.term.value().as_str().unwrap_or_default().to_string();
        if x.to.contains(' ') {
            m.exact.extend(x.to.split(' ').map(str::to_string));
        } else if x.term.field() == f.text_exact {
            m.exact.extend(
                x.terms
                    .iter()
                    .filter_map(|t| Some(t.value().as_str()?.to_string())),
            );
        } else if x.term.field() == f.text_id {
            m.id.insert(value);
        } else {
            m.en.insert(value);
        }
    }

    /// What highlights the forms looked for in the passages of `lang` only.
    fn matcher_in(&mut self, lang: Lang) -> &mut Matcher {
        let lang = lang.code();
        let at = match self.matcher.translated.iter().position(|(l, _)| l == lang) {
            Some(at) => at,
            None => {
                self.matcher
                    .translated
                    .push((lang.to_string(), Matcher::default()));
                self.matcher.translated.len() - 1
            }
        };
        &mut self.matcher.translated[at].1
    }

    /// The word in the fields of a passage's context that hold it: the title of its section or
    /// of the heading its numbered section stands under (which also makes passages beneath
    /// such a title candidates), its chapter, its document's title. These fields keep words unstemmed, so the word is looked for as typed.
    fn context_terms(&self, word: &str) -> Result<Vec<(Term, rank::Context)>> {
        let f = &self.engine.fields;
        let mut out = Vec::new();
        for (field, at) in [
            (f.section_title, rank::Context::Section),
            (f.parent_title, rank::Context::Section),
            (f.chapter, rank::Context::Chapter),
            (f.title, rank::Context::Title),
        ] {
            let term = self.term(field, word);
            if self.df(&term)? > 0 {
                out.push((term, at));
            }
        }
        Ok(out)
    }

    /// The forms of one word that are in the index: the word, its root, its stem and its
    /// Indonesian loanwords. A root or a stem is two terms: as written (`text_exact`), and its
    /// other words (its own field, [`crate::text::forms()`]), both counted by the family's
    /// passages ([`Builder::df`]); a root or stem that is the word itself is the word's own
    /// term, its boost added to the word's ([`rank::written_boosts`]). A root far broader than
    /// the word (`keadaan` → `ada`, in a third of all court passages) would match everything
    /// and cost the most, so when the word has rarer forms, the common ones are dropped. A stem
    /// kept to English passages (`stem_only_en`, [`english_only`]) is looked for as written in
    /// them alone; its other words (`text_en`) in every passage, as any stem's.
    fn found_forms(
        &mut self,
        word: &str,
        root: Option<&str>,
        (stem, stem_only_en): (&str, bool),
    ) -> Result<Vec<Found>> {
        let f = self.engine.fields.clone();
        let en = stem_only_en.then_some(Lang::En);
        let mut found = Vec::with_capacity(5);
        let mut keep = |term, boost, (own_df, df): (u64, u64), cognate, only| {
            if own_df > 0 {
                found.push(Found {
                    term,
                    boost,
                    df,
                    cognate,
                    only,
                });
            }
        };
        let families = [(root, f.text_id, W_ID), (Some(stem), f.text_en, W_EN)];
        for (form, boost) in rank::written_boosts(word, root, stem) {
            let term = self.term(f.text_exact, form);
            let only = en.filter(|_| form == stem);
            // Kept to English passages, it counts those alone: `orang` is in none of them.
            let own_df = match only {
                Some(lang) => self.df_in(&term, lang)?,
                None => self.own_df(&term)?,
            };
            let df = match families.iter().find(|x| x.0 == Some(form) && form != word) {
                Some(&(_, field, _)) if only.is_some() => {
                    own_df + self.own_df(&self.term(field, form))?
                }
                Some(&(_, field, _)) => self.df(&self.term(field, form))?,
                None => own_df,
            };
            keep(term, boost, (own_df, df), false, only);
        }
        for (reduced, field, boost) in families {
            if let Some(reduced) = reduced {
                let term = self.term(field, reduced);
                let (own_df, df) = (self.own_df(&term)?, self.df(&term)?);
                keep(term, boost, (own_df, df), false, None);
            }
        }
        for c in cognate::id_cognates(word) {
            let term = self.term(f.text_exact, &c);
            let df = self.df(&term)?;
            keep(term, W_COGNATE, (df, df), true, None);
        }
        let common = |df: u64| rank::is_common(df, self.num_docs);
        if found.iter().any(|x| !common(x.df)) {
            found.retain(|x| !common(x.df));
        }
        // Cognates found are highlighted too.
        for x in &found {
            if x.term.field() == f.text_exact {
                if let Some(c) = x.term.value().as_str() {
                    let m = match x.only {
                        Some(lang) => self.matcher_in(lang),
                        None => &mut self.matcher,
                    };
                    m.exact.insert(c.to_string());
                }
            }
        }
        Ok(found)
    }

    /// A word nowhere in the index: a typo? One edit on words of five letters or more. The
    /// words taken for it are scored by BM25 like an exact word (boosted less) and are worth a
    /// little less than a rare word found exactly, so corrected matches rank among themselves
    /// by how much they hold the word, below exact ones; the correction is reported.
    fn typo(&mut self, word: &str) -> Result<Option<Forms>> {
        if word.chars().count() < 5 || word.chars().all(|c| c.is_ascii_digit()) {
            return Ok(None);
        }
        let typos = self.engine.typo_terms(self.searcher, word)?;
        if typos.is_empty() {
            return Ok(None);
        }
        let words: Vec<String> = typos
            .iter()
            .filter_map(|t| t.value().as_str().map(str::to_string))
            .collect();
        self.matcher.exact.extend(words.iter().cloned());
        self.corrections.push(super::Correction {
            word: word.to_string(),
            to: words.into_iter().take(MAX_NAMED_CORRECTIONS).collect(),
        });
        let mut df = u64::MAX;
        for t in &typos {
            df = df.min(self.df(t)?);
        }
        let bm25: Forms = typos
            .iter()
            .map(|term| Part::term(term.clone(), W_FUZZY))
            .collect();
        self.coverage.push(WordForms {
            terms: typos,
            worth: rank::typo_worth(df, self.num_docs),
            kept: Vec::new(),
            translated: Vec::new(),
            context: Vec::new(),
        });
        Ok(Some(bm25))
    }

    fn phrase(&mut self, text: &str) -> Result<Option<Box<dyn Query>>> {
        let f = self.engine.fields.clone();
        let words = analyze(&mut self.exact, text);
        for w in &words {
            self.matcher.exact.insert(w.clone());
        }
        let terms: Vec<Term> = words.iter().map(|w| self.term(f.text_exact, w)).collect();
        let q: Box<dyn Query> = match terms.len() {
            0 => return Ok(None),
            1 => Box::new(TermQuery::new(
                terms[0].clone(),
                IndexRecordOption::WithFreqs,
            )),
            _ => Box::new(PhraseQuery::new(terms)),
        };
        let mut df = u64::MAX;
        for w in &words {
            df = df.min(self.df(&self.term(f.text_exact, w))?);
        }
        let worth = rank::phrase_worth(df, words.len(), self.num_docs);
        let presence = ConstScoreQuery::new(q.box_clone(), worth);
        Ok(Some(Box::new(BooleanQuery::union(vec![
            Box::new(BoostQuery::new(q, W_PHRASE)),
            Box::new(presence),
        ]))))
    }

    fn prefix(&mut self, p: &str) -> Result<Option<Box<dyn Query>>> {
        let Some(p) = analyze(&mut self.exact, p).into_iter().next() else {
            return Ok(None);
        };
        self.matcher.prefixes.push(p.clone());
        let words = prefix::beginning_with(self.engine.fields.text_exact, &p);
        // Worth as much as finding a word of the prefix's own rarity (the prefix as a word,
        // else a rare word).
        let df = self.df(&self.term(self.engine.fields.text_exact, &p))?;
        let worth = rank::prefix_worth(df, self.num_docs);
        Ok(Some(Box::new(ConstScoreQuery::new(words, worth))))
    }

    fn filter(&mut self, field: FilterField, value: &str) -> Result<Box<dyn Query>> {
        let f = &self.engine.fields;
        let exact_terms = |b: &mut Self, field: Field| -> Box<dyn Query> {
            let words = analyze(&mut b.exact, value);
            let qs: Vec<Box<dyn Query>> = words
                .iter()
                .map(|w| held_term(Term::from_field_text(field, w)))
                .collect();
            if qs.is_empty() {
                Box::new(AllQuery)
            } else {
                Box::new(BooleanQuery::intersection(qs))
            }
        };
        let term = |field: Field| held_term(Term::from_field_text(field, value));
        Ok(match field {
            FilterField::Lang => term(f.lang),
            FilterField::Kind => term(f.kind),
            FilterField::Section => term(f.section_path),
            // An id or its beginning: `doc:003` finds `003_232135048410f2ab.txt`.
            FilterField::Doc => prefix::beginning_with(f.doc, value),
            FilterField::Chapter => {
                let field = f.chapter;
                exact_terms(self, field)
            }
            FilterField::Title => {
                let field = f.title;
                exact_terms(self, field)
            }
            FilterField::Cites if !self.cited_years.is_empty() => {
                // With `year:`, one citation must name both: `correacabrera|2016`.
                let key = names::key(value);
                let qs: Vec<Box<dyn Query>> = self
                    .cited_years
                    .iter()
                    .map(|y| held_term(Term::from_field_text(f.cite_year, &format!("{key}|{y}"))))
                    .collect();
                Box::new(BooleanQuery::union(qs))
            }
            FilterField::Cites => {
                let field = f.cites;
                exact_terms(self, field)
            }
            FilterField::Year => term(f.year),
            FilterField::Work => term(f.work),
        })
    }

    /// When nothing matched: which filters match no passage at all, by themselves, so the user
    /// learns that `lang:ms` or `section:9.9` is what emptied the result, not the words.
    pub(super) fn empty_filters(&mut self, filters: &[query::Filter]) -> Result<Vec<String>> {
        let mut notes = Vec::new();
        for flt in filters.iter().filter(|f| !f.negated) {
            let q = self.filter(flt.field, &flt.value)?;
            if q.count(self.searcher)? > 0 {
                continue;
            }
            let what = format!("{}:{}", flt.field.name(), flt.value);
            notes.push(match flt.field {
                FilterField::Lang => format!(
                    "{what} matches no passage; the languages in the index are {}",
                    self.engine
                        .languages()?
                        .into_keys()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                FilterField::Kind => format!("{what} matches no passage in this index"),
                FilterField::Doc => format!(
                    "{what} matches no document: doc: takes a document id or its beginning, \
                     as each hit shows it (003_232135048410f2ab.txt, or doc:003)"
                ),
                _ => format!("{what} matches no passage"),
            });
        }
        Ok(notes)
    }

    /// Whether some word of the query, optional or required, is not a function word: then the
    /// optional function words can go. A query of function words alone (`to be or not to be`)
    /// keeps them all, since they are all it asks for.
    fn has_subject_words(&mut self, q: &ParsedQuery) -> bool {
        q.clauses.iter().any(|c| match &c.atom {
            Atom::Word(w) if c.occur != Occur::MustNot => analyze(&mut self.exact, w)
                .iter()
                .any(|t| !function_words::is_function_word(t)),
            Atom::Phrase(_) | Atom::Prefix(_) => c.occur != Occur::MustNot,
            _ => false,
        })
    }

    /// The forms of one clause of the query, each with the document frequency of its rarest
    /// (0 for a phrase or a prefix, which is never common).
    fn clause_forms(&mut self, c: &query::Clause) -> Result<Vec<(Forms, u64)>> {
        let alone = |q: Option<Box<dyn Query>>| q.map(|q| (vec![Part::Query(q)], 0));
        Ok(match &c.atom {
            Atom::Word(w) => self.word(w, c.occur == Occur::Should)?,
            Atom::Phrase(p) => alone(self.phrase(p)?).into_iter().collect(),
            Atom::Prefix(p) => alone(self.prefix(p)?).into_iter().collect(),
        })
    }

    pub(super) fn build(&mut self, q: &ParsedQuery) -> Result<Box<dyn Query>> {
        let mut should: Vec<(Forms, u64)> = Vec::new();
        let mut clauses: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        let mut has_must = false;
        self.skip_function_words = self.has_subject_words(q);
        if self.translate {
            self.translate_query(q)?;
        }
        for c in &q.clauses {
            let parts = self.clause_forms(c)?;
            if c.occur == Occur::Should {
                should.extend(parts);
                continue;
            }
            let parts: Vec<Box<dyn Query>> = parts.into_iter().map(|(q, _)| Union::of(q)).collect();
            match c.occur {
                Occur::Should => {}
                Occur::Must => {
                    has_must = true;
                    if parts.is_empty() {
                        // A required word that is nowhere: nothing can match.
                        return Ok(Box::new(tantivy::query::EmptyQuery));
                    }
                    clauses.extend(parts.into_iter().map(|p| (TOccur::Must, p)));
                }
                Occur::MustNot => clauses.extend(parts.into_iter().map(|p| (TOccur::MustNot, p))),
            }
        }
        let words_given = q.clauses.iter().any(|c| c.occur == Occur::Should);
        // A word in more than a fifth of all passages (`yang`, `dan`, `the`) next to rarer
        // ones does not decide which passages match: scoring its postings would cost most of
        // the query's time for a sliver of score. It still counts in the re-ranking by coverage.
        let common = |df: u64| rank::is_common(df, self.num_docs);
        if should.iter().any(|(_, df)| !common(*df)) {
            should.retain(|(_, df)| !common(*df));
        }
        // One union of every form of every optional word: a passage's score is the sum over
        // them, as it was over a union per word, without a union's buffering at two levels.
        let should: Forms = should.into_iter().flat_map(|(q, _)| q).collect();
        if !should.is_empty() {
            let union: Box<dyn Query> =
                Box::new(Union::new(should).looking_up_in(self.looked.clone()));
            clauses.push((
                if has_must {
                    TOccur::Should
                } else {
                    TOccur::Must
                },
                union,
            ));
        } else if words_given && !has_must {
            // Words were asked for and none is in the index.
            return Ok(Box::new(tantivy::query::EmptyQuery));
        }
        self.cited_years = q
            .filters
            .iter()
            .filter(|f| f.field == FilterField::Year && !f.negated)
            .map(|f| f.value.clone())
            .collect();
        clauses.extend(self.filter_clauses(&q.filters)?);
        if !clauses.iter().any(|(o, _)| *o == TOccur::Must) {
            clauses.push((TOccur::Must, Box::new(AllQuery)));
        }
        // The words alone (no filter, nothing required or excluded): their union is the
        // query, which the first pass then drives directly ([`super::union`]).
        if let [(TOccur::Must, _)] = clauses.as_slice() {
            return Ok(clauses.pop().expect("one clause").1);
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }
}

impl Builder<'_> {
    /// The query's filters as clauses: `lang:id` must hold, `-kind:heading` must not.
    fn filter_clauses(
        &mut self,
        filters: &[query::Filter],
    ) -> Result<Vec<(TOccur, Box<dyn Query>)>> {
        let mut out = Vec::with_capacity(filters.len());
        for flt in filters {
            let occur = if flt.negated {
                TOccur::MustNot
            } else {
                TOccur::Must
            };
            out.push((occur, self.filter(flt.field, &flt.value)?));
        }
        Ok(out)
    }

    /// The passages the query's filters allow, whatever its words: `None` when it has none.
    pub(super) fn filters_only(&mut self, q: &ParsedQuery) -> Result<Option<Box<dyn Query>>> {
        if q.filters.is_empty() {
            return Ok(None);
        }
        let mut clauses = self.filter_clauses(&q.filters)?;
        clauses.push((TOccur::Must, Box::new(AllQuery)));
        Ok(Some(Box::new(BooleanQuery::new(clauses))))
    }
}

impl Engine {
    /// The indexed words (exact field) one edit away from `word`, the most frequent first: what
    /// a search takes a word that is nowhere in the index to be a typo of. Not part of the API:
    /// public only so that an integration test can check the expansion against a brute-force
    /// scan of the whole term dictionary.
    #[doc(hidden)]
    pub fn one_edit_away(&self, word: &str) -> Result<Vec<String>> {
        let searcher = self.searcher();
        Ok(self
            .typo_terms(&searcher, word)?
            .iter()
            .filter_map(|t| t.value().as_str().map(str::to_string))
            .collect())
    }

    /// The indexed words one edit (or one transposition) away from `word`, the most frequent
    /// first. Expanded once here, rather than by a fuzzy query, so that the term dictionary is
    /// walked once per search (not again for the count), and the highlighter can match the
    /// expansions exactly instead of measuring edits against every word it shows.
    pub(super) fn typo_terms(&self, searcher: &Searcher, word: &str) -> Result<Vec<Term>> {
        let field = self.fields.text_exact;
        let (first, rest) = typo::split_first(word);
        let automaton = typo::AfterPrefix {
            first: first.as_bytes().to_vec(),
            rest: FuzzyTermQuery::new(Term::from_field_text(field, rest), 1, true).automaton()?,
        };
        let first_edits = typo::first_letter_edits(word);
        let mut found: Vec<Vec<u8>> = Vec::new();
        let mut add = |k: &[u8]| {
            if !found.iter().any(|f| f.as_slice() == k) {
                found.push(k.to_vec());
            }
        };
        for seg in searcher.segment_readers() {
            let inv = seg.inverted_index(field)?;
            let dict = inv.terms();
            let mut stream = dict
                .search(&automaton)
                .into_stream()
                .map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                add(stream.key());
            }
            for w in &first_edits {
                if dict
                    .get(w.as_bytes())
                    .map_err(tantivy::TantivyError::from)?
                    .is_some()
                {
                    add(w.as_bytes());
                }
            }
        }
        let mut terms: Vec<(Term, u64)> = Vec::with_capacity(found.len());
        for key in found {
            if let Ok(text) = std::str::from_utf8(&key) {
                let term = Term::from_field_text(field, text);
                let df = searcher.doc_freq(&term)?;
                terms.push((term, df));
            }
        }
        // Equally frequent words in word order, not in the order the segments' dictionaries
        // gave them: the same corpus cut into other segments names the same corrections.
        terms.sort_by(|a, b| {
            b.1.cmp(&a.1).then_with(|| {
                a.0.serialized_value_bytes()
                    .cmp(b.0.serialized_value_bytes())
            })
        });
        terms.truncate(MAX_TYPO_TERMS);
        Ok(terms.into_iter().map(|(t, _)| t).collect())
    }
}

/// Whether a query word is also looked for by its Indonesian root: not when the root is a
/// function word other than the word. `pendapat` (opinion) reduces to `dapat` ("can"),
/// `keadaan` (circumstances) to `ada` ("there is"), `bagian` (part) to `bagi` ("for"). By
/// its root, `pendapat` matched 9,677 passages of corpus-large where 688 hold the word, and
/// highlighted every "can". The word is still found as written, by its English stem and by
/// its translations. (A translation whose root is a function word is looked for as written
/// for the same reason: `word_term` in [`translate`].)
fn root_is_looked_for(word: &str, root: &str) -> bool {
    root == word || !function_words::is_function_word(root)
}

/// Whether a query word's English stem is looked for as written in English passages only: when
/// it is not the word, nor the word's Indonesian root, and is a short Indonesian word
/// ([`LOANWORD_STEM`]). In an Indonesian passage such a stem is that Indonesian word, which
/// shares nothing with the query word but its letters: `orange` → `orang` (person, in 8,068
/// court passages of corpus-large, where 114 hold "orange"), `bins` → `bin` (son of),
/// `mobility` → `mobil` (car), `many` → `mani`, `raised` → `rais`. Where the two words do mean
/// the same (`videos` → `video`, `July` → `juli`), the word's loanwords ([`cognate`]: `video`
/// for `videos`) and translations find the Indonesian passages, in those passages only. A stem
/// that is no Indonesian word (`run` for `running`) is still looked for in every passage: an
/// Indonesian passage that holds it holds the English word. The stem's other words (`text_en`:
/// `oranges` for `orange`, `seks` for `seks`, whose stem is `sek`) are found in every passage,
/// as any stem's are: they are the words that reduce to it, not a word that happens to be it.
fn english_only(word: &str, root: Option<&str>, stem: &str) -> bool {
    stem != word
        && root != Some(stem)
        && stem.chars().count() < LOANWORD_STEM
        && text::dictionary::is_root(stem)
}

/// The fewest letters of an Indonesian word that an English stem spells for it to be taken for
/// the English word's loanword, looked for in every passage as any stem. Of the PLOS words
/// written five times or more whose stem is another word and an Indonesian root, the stems the
/// court decisions write most (counted once, 2026-12-07) of six letters or more are all
/// loanwords of the same meaning (`januari`, `transfer`, `materi`, `status`, `memori`,
/// `deposit`, `program`, `industri`, `profil`, `individu`, `monitor`, ...), and several are
/// found by nothing else (`industrial` → `industri`, no loanword rule spells it); the shorter
/// ones are as often native words and names (`orang`, `bin`, `mobil`, `aris`, `tri`, `mani`,
/// `ani`, `mari`, `adam`, `nur`, `api`, `per`) as loanwords.
const LOANWORD_STEM: usize = 6;

/// A filter's term, found only in segments holding its field ([`held`]): an optional field
/// (chapter, citations, year) may be missing from a segment.
fn held_term(term: Term) -> Box<dyn Query> {
    let field = term.field();
    let q = TermQuery::new(term, IndexRecordOption::Basic);
    Box::new(WhereHeld::new(field, Box::new(q)))
}

/// What finds one query word, any of them: its forms, translations and context terms, as
/// parts of the query's [`Union`].
type Forms = Vec<Part>;

/// BM25's statistics, for scoring the query the builder made (`search_with_statistics_provider`):
/// the same numbers as the searcher's, but each document frequency looked up once per query.
/// The builder has looked up nearly every term's already to choose its forms, and scoring
/// would otherwise look each up again in every segment's term dictionary.
impl Bm25StatisticsProvider for Builder<'_> {
    /// The roots' and stems' fields keep no lengths (their scorers read a length of 1 for
    /// every passage, [`crate::index::schema`]): one token a passage on average, so that BM25
    /// scores their matches without a length factor.
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        if self.holds_other_words(field) {
            return Bm25StatisticsProvider::total_num_docs(self.searcher);
        }
        if let Some(&n) = self.tokens.borrow().get(&field) {
            return Ok(n);
        }
        let n = self.searcher.total_num_tokens(field)?;
        self.tokens.borrow_mut().insert(field, n);
        Ok(n)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_docs(self.searcher)
    }

    /// A root's or stem's (a `text_id` or `text_en` term's) counts the passages of its whole
    /// family: those holding it as written (`text_exact`) and those holding another word of
    /// it (its own field), as the field counted them before it left out what `text_exact`
    /// holds ([`crate::text::forms()`]). A passage holding both counts twice; on corpus-large the
    /// sum is the family's own count within 0.5–16% (`korban` 6,107 against 6,076, `dagang`
    /// 910 against 908, `site` 594 against 510), where the other words' count alone made a
    /// root look rare (`korban` 81) and its other words outrank the word itself.
    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let own = self.own_df(term)?;
        let Some(written) = self.written(term) else {
            return Ok(own);
        };
        let written = self.own_df(&written)?;
        Ok((own + written).min(Bm25StatisticsProvider::total_num_docs(self.searcher)?))
    }
}
