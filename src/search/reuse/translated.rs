//! Reuse across languages: a paragraph of a checked text that translates a corpus passage (an
//! English paper that renders an Indonesian thesis, or the reverse).
//!
//! Fingerprints cannot see it: not one word is shared. So the source is looked for the way a
//! reader would: the paragraph's words, translated by the lexicon, as a search in the other
//! language ([`crate::search`] with translation on), which puts the source first for 19 of the
//! 20 planted translations. A candidate is then aligned sentence by sentence: an input
//! sentence and a candidate sentence fit when most of the words of each have a counterpart in
//! the other (the word itself, a loanword, or a translation, compared by root or stem). The
//! paragraph is a translation when the sentences that fit hold most of its words; the aligned
//! sentences are what the report shows.

use std::collections::HashSet;

use tantivy::DocAddress;

use super::dupes::{passage_no, LoadedPassage};
use super::{
    char_span, cites_sides, merge_ranges, AlignedSentences, DupesRequest, Match, Pair, PairKind,
    Side,
};
use crate::error::Result;
use crate::index::schema::lexicon_lang_code;
use crate::index::Engine;
use crate::model::{Kind, Passage};
use crate::par;
use crate::search::cancel::Cancel;
use crate::search::cognate;
use crate::search::SearchRequest;
use crate::text::lexicon::{lexicon, Lang};
use crate::text::{self, function_words, sentence};

/// Passages of the other language aligned with a paragraph: the best of its translated search.
const CANDIDATES: usize = 3;
/// Content words a passage needs for `dupes` to look for its translation: a heading or a
/// one-line caption says too little to be told from a passage on the same subject.
const MIN_PAIR_WORDS: usize = 12;
/// Content words of a paragraph its translated search asks with.
const QUERY_WORDS: usize = 40;
/// How well two sentences must fit (the mean of the shares of each one's words with a
/// counterpart in the other) to be aligned.
pub const MIN_SENTENCE_FIT: f32 = 0.4;
/// Share of a paragraph's content words, in aligned sentences, for it to be a translation.
pub const MIN_ALIGNED: f32 = 0.6;
/// Mean fit of the aligned sentences for a paragraph to be a translation: the 20 planted
/// translations fit their sources at 0.67–0.89, the passages next to them that share a
/// subject at 0.42–0.48.
pub const MIN_TRANSLATION_FIT: f32 = 0.55;

/// Most of a paragraph's content words a candidate may hold as they are and still be its
/// translation: more is the same language (a passage whose language was misread, a quoted
/// passage), which fingerprints judge. The 20 planted translations share at most 0.48 of
/// their words with their sources (names, numbers, loanwords).
pub const MAX_SAME_WORDS: f32 = 0.75;

/// Share of the words that found a counterpart, in the aligned sentences, that found it only
/// through another word (a translation, a loanword spelling, a stem) for the paragraph to be a
/// translation. The planted translations and the corpus's own abstract pairs find 0.29–1.00
/// of theirs that way; in corpus-large, passages of the same Indonesian decision, one of them
/// misread as English (lists of seized phones, URLs, card numbers), fit through the very same
/// words and find 0.00–0.11 through another.
pub const MIN_THROUGH_TRANSLATION: f32 = 0.2;

/// A sentence: where it stands and its content words.
struct Sentence {
    span: (usize, usize),
    words: Vec<String>,
}

/// Fewest content words a sentence needs to be aligned: fewer is a label or a scrap of a
/// formula, and two such fit anything.
const MIN_SENTENCE_WORDS: usize = 3;

/// The content words of `text` as the exact analyzer leaves them: function words, single
/// letters and single digits left out. Letter-spaced extractions (`d i t e r i ma`) and
/// formulas (`s ̂ = a 0 + ∑ i`) are made of those, and would fit one another in any language.
fn content_words(text: &str) -> Vec<String> {
    text::words(text)
        .into_iter()
        .filter(|w| {
            w.chars().count() >= 2
                && w.chars().any(char::is_alphanumeric)
                && !function_words::is_function_word(w)
                && (w.chars().count() >= 3 || w.chars().all(|c| c.is_ascii_digit()))
        })
        .collect()
}

fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut ends = sentence::sentence_ends(text);
    ends.push(text.len());
    for end in ends {
        let words = content_words(&text[start..end]);
        if words.len() >= MIN_SENTENCE_WORDS {
            out.push(Sentence {
                span: (start, end),
                words,
            });
        }
        start = end;
    }
    out
}

/// What a word of language `lang` may stand as in the other language: itself (names, numbers,
/// shared terms), its loanword spellings, and its translations, each reduced there.
fn counterparts(word: &str, lang: Lang) -> Vec<String> {
    let reduce = lang.other().reduce();
    let mut out = vec![word.to_string(), reduce(word)];
    if lang == Lang::En {
        out.extend(cognate::id_cognates(word).iter().map(|c| reduce(c)));
    }
    for t in lexicon().translate(word, lang) {
        out.extend(t.split(' ').map(reduce));
    }
    out
}

/// The forms a sentence of language `lang` holds, to look counterparts up in.
fn forms(s: &Sentence, lang: Lang) -> HashSet<String> {
    s.words
        .iter()
        .flat_map(|w| [w.clone(), lang.reduce()(w)])
        .collect()
}

/// How well input sentence `a` (its words' counterparts) and corpus sentence `b` (of language
/// `lb`, its forms) fit: the mean of the share of `a`'s words with a counterpart in `b` and the
/// share of `b`'s words that are a counterpart of one of `a`'s; with how many of `a`'s words
/// found one, and how many of those only through another word (a translation, a loanword
/// spelling, a stem).
fn fit(a: &[Vec<String>], b: &Sentence, b_forms: &HashSet<String>, lb: Lang) -> Fit {
    let mut found = 0;
    let mut translated = 0;
    for cs in a {
        if cs.iter().any(|c| b_forms.contains(c)) {
            found += 1;
            translated += usize::from(!b_forms.contains(&cs[0]));
        }
    }
    let a_all: HashSet<&String> = a.iter().flatten().collect();
    let b_has = b
        .words
        .iter()
        .filter(|w| a_all.contains(w) || a_all.contains(&lb.reduce()(w)))
        .count();
    let share = |n: usize, of: usize| n as f32 / of.max(1) as f32;
    Fit {
        fit: (share(found, a.len()) + share(b_has, b.words.len())) / 2.0,
        found,
        translated,
    }
}

/// How two sentences fit ([`fit`]).
#[derive(Clone, Copy)]
struct Fit {
    fit: f32,
    found: usize,
    translated: usize,
}

/// The share of `words` that `text` holds as they are.
fn same_words(words: &[String], text: &str) -> f32 {
    let there: HashSet<String> = content_words(text).into_iter().collect();
    let same = words.iter().filter(|w| there.contains(*w)).count();
    same as f32 / words.len().max(1) as f32
}

/// Whether aligned sentences translate rather than repeat: see [`MIN_THROUGH_TRANSLATION`].
fn translates(pairs: &[Aligned]) -> bool {
    let found: usize = pairs.iter().map(|p| p.fit.found).sum();
    let translated: usize = pairs.iter().map(|p| p.fit.translated).sum();
    translated as f32 >= MIN_THROUGH_TRANSLATION * found.max(1) as f32
}

/// A sentence of the paragraph aligned with one of the passage: their byte spans, and the fit.
struct Aligned {
    a: (usize, usize),
    b: (usize, usize),
    fit: Fit,
}

/// A paragraph to align: its sentences, each with its words' counterparts, worked out once for
/// all its candidates.
struct Paragraph {
    lang: Lang,
    sentences: Vec<(Sentence, Vec<Vec<String>>)>,
    words: usize,
}

impl Paragraph {
    fn new(text: &str, lang: Lang) -> Paragraph {
        let sentences: Vec<_> = sentences(text)
            .into_iter()
            .map(|s| {
                let cs = s.words.iter().map(|w| counterparts(w, lang)).collect();
                (s, cs)
            })
            .collect();
        let words = sentences.iter().map(|(s, _)| s.words.len()).sum();
        Paragraph {
            lang,
            sentences,
            words,
        }
    }

    /// How the paragraph aligns with passage text `b`: for each of its sentences that fits
    /// one of `b`'s, the pair; and the share of its content words in the aligned sentences.
    fn align(&self, b: &str) -> (Vec<Aligned>, f32) {
        let lb = self.lang.other();
        let sb: Vec<(Sentence, HashSet<String>)> = sentences(b)
            .into_iter()
            .map(|s| {
                let f = forms(&s, lb);
                (s, f)
            })
            .collect();
        let mut pairs = Vec::new();
        let mut aligned = 0;
        for (s, cs) in &self.sentences {
            let best = sb
                .iter()
                .map(|(t, tf)| (fit(cs, t, tf, lb), t.span))
                .max_by(|x, y| x.0.fit.total_cmp(&y.0.fit));
            if let Some((f, span)) = best.filter(|b| b.0.fit >= MIN_SENTENCE_FIT) {
                pairs.push(Aligned {
                    a: s.span,
                    b: span,
                    fit: f,
                });
                aligned += s.words.len();
            }
        }
        (pairs, aligned as f32 / self.words.max(1) as f32)
    }
}

/// A passage of the other language that a paragraph translates.
struct Translation {
    passage: Passage,
    /// The sentences aligned.
    pairs: Vec<Aligned>,
    /// Their mean fit.
    fit: f32,
    /// The share of the paragraph's content words they hold.
    share: f32,
}

impl Engine {
    /// The passages in the other language that `para` translates, the best of its translated
    /// search (formulaic ones only when `formulaic`).
    fn translations_of(&self, para: &Passage, formulaic: bool) -> Result<Vec<Translation>> {
        let Some(la) = Lang::from_code(&para.lang) else {
            return Ok(Vec::new());
        };
        let words = content_words(&para.text);
        let mut seen = HashSet::new();
        let query: Vec<&String> = words
            .iter()
            .filter(|w| w.chars().all(char::is_alphanumeric) && seen.insert(*w))
            .take(QUERY_WORDS)
            .collect();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let hits = self.search(&SearchRequest {
            query: query
                .iter()
                .map(|w| w.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            limit: CANDIDATES,
            lang: Some(la.other().code().to_string()),
            ..SearchRequest::default()
        })?;
        let paragraph = Paragraph::new(&para.text, la);
        let mut out = Vec::new();
        for hit in hits.hits.into_iter().filter(|h| formulaic || !h.formulaic) {
            if same_words(&words, &hit.passage.text) > MAX_SAME_WORDS {
                continue;
            }
            let (pairs, share) = paragraph.align(&hit.passage.text);
            let fit = pairs.iter().map(|p| p.fit.fit).sum::<f32>() / pairs.len().max(1) as f32;
            if share >= MIN_ALIGNED && fit >= MIN_TRANSLATION_FIT && translates(&pairs) {
                out.push(Translation {
                    passage: hit.passage,
                    pairs,
                    fit,
                    share,
                });
            }
        }
        Ok(out)
    }

    /// The corpus passages in the other language that paragraph `para` of `input` translates.
    pub(super) fn translated_matches(&self, input: &str, para: &Passage) -> Result<Vec<Match>> {
        let mut out = Vec::new();
        for t in self.translations_of(para, true)? {
            let cites_source = self.cites_document(&para.citations, &t.passage.doc)?;
            let p = t.passage;
            out.push(Match {
                input_span: char_span(input, para.bytes),
                input_text: para.text.clone(),
                input_spans: t
                    .pairs
                    .iter()
                    .map(|x| char_span(&para.text, [x.a.0, x.a.1]))
                    .collect(),
                input_cited: !para.citations.is_empty(),
                cites_source: Some(cites_source),
                similarity: t.fit,
                containment: t.share,
                spans: t
                    .pairs
                    .iter()
                    .map(|x| char_span(&p.text, [x.b.0, x.b.1]))
                    .collect(),
                at: p.location(),
                text: p.text,
                citations: p.citations.into(),
                translated: true,
            });
        }
        Ok(out)
    }

    /// Pairs of passages of the index that translate each other: each passage of the language
    /// with fewer passages (of those numbered in `addrs`, less those `left_out`) looked for in
    /// the other, as `check` does with a paragraph.
    pub(super) fn translated_pairs(
        &self,
        addrs: &[DocAddress],
        left_out: &(dyn Fn(u32) -> bool + Sync),
        req: &DupesRequest,
        cancel: &Cancel,
    ) -> Result<Vec<Pair>> {
        let langs = self.languages_of(addrs)?;
        let count = |l: Lang| langs.iter().filter(|&&x| x == Some(l)).count();
        let from = if count(Lang::Id) <= count(Lang::En) {
            Lang::Id
        } else {
            Lang::En
        };
        let todo: Vec<u32> = (0..addrs.len() as u32)
            .filter(|&n| langs[n as usize] == Some(from) && !left_out(n))
            .collect();
        let found = par::try_map(&todo, par::threads(), |&n| {
            cancel.check()?;
            let p = self.load(addrs[n as usize])?;
            let prose = matches!(p.kind, Kind::Body | Kind::Abstract | Kind::Footnote);
            if !prose || content_words(&p.text).len() < MIN_PAIR_WORDS {
                return Ok(Vec::new());
            }
            let ts = self.translations_of(&p, req.formulaic)?;
            Ok(ts
                .into_iter()
                .filter(|t| !req.cross_doc || t.passage.doc != p.doc)
                .map(|t| (p.clone(), t))
                .collect::<Vec<_>>())
        })?;
        let mut out = Vec::new();
        for (p, t) in found.into_iter().flatten() {
            out.push(self.translated_pair(p, t)?);
        }
        Ok(out)
    }

    /// The language of each passage numbered in `addrs`, as far as the lexicon has it.
    fn languages_of(&self, addrs: &[DocAddress]) -> Result<Vec<Option<Lang>>> {
        let searcher = self.searcher();
        let mut columns = Vec::new();
        for seg in searcher.segment_readers() {
            columns.push(self.fast_u64(seg, self.fields.lang_code)?);
        }
        Ok(addrs
            .iter()
            .map(|a| {
                let code = columns[a.segment_ord as usize]
                    .values_for_doc(a.doc_id)
                    .next();
                [Lang::Id, Lang::En]
                    .into_iter()
                    .find(|&l| Some(lexicon_lang_code(l)) == code)
            })
            .collect())
    }

    /// Passage `p` and its translation `t` as a pair, the earlier passage first.
    fn translated_pair(&self, p: Passage, t: Translation) -> Result<Pair> {
        let cites = [
            self.cites_document(&p.citations, &t.passage.doc)?,
            self.cites_document(&t.passage.citations, &p.doc)?,
        ];
        let sentences: Vec<AlignedSentences> = t
            .pairs
            .iter()
            .map(|x| AlignedSentences {
                a: char_span(&p.text, [x.a.0, x.a.1]),
                b: char_span(&t.passage.text, [x.b.0, x.b.1]),
                fit: x.fit.fit,
            })
            .collect();
        let words = |text: &str, spans: &mut dyn Iterator<Item = (usize, usize)>| -> usize {
            spans.map(|(s, e)| content_words(&text[s..e]).len()).sum()
        };
        let shared_words = words(&p.text, &mut t.pairs.iter().map(|x| x.a))
            .min(words(&t.passage.text, &mut t.pairs.iter().map(|x| x.b)));
        let first = (p.doc.as_str(), passage_no(&p.id))
            <= (t.passage.doc.as_str(), passage_no(&t.passage.id));
        let (pa, pb) = (LoadedPassage::new(p), LoadedPassage::new(t.passage));
        let spans = |f: fn(&Aligned) -> [usize; 2]| merge_ranges(t.pairs.iter().map(f).collect());
        let mut pair = Pair {
            distinctive: shared_words as f32 * t.fit,
            shared_words,
            similarity: t.fit,
            containment: t.share,
            kind: PairKind::Translated,
            a: Side::new(&pa, &spans(|x| [x.a.0, x.a.1])),
            b: Side::new(&pb, &spans(|x| [x.b.0, x.b.1])),
            claims: Vec::new(),
            sentences,
            cites_other: cites_sides(cites),
        };
        if !first {
            pair.swap();
        }
        Ok(pair)
    }
}
