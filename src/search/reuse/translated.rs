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

use super::{char_span, Match};
use crate::error::Result;
use crate::index::Engine;
use crate::model::Passage;
use crate::search::cognate;
use crate::search::SearchRequest;
use crate::text::lexicon::{lexicon, Lang};
use crate::text::{self, function_words, sentence};

/// Passages of the other language aligned with a paragraph: the best of its translated search.
const CANDIDATES: usize = 3;
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

/// A sentence: where it stands and its content words.
struct Sentence {
    span: (usize, usize),
    words: Vec<String>,
}

/// The content words of `text` as the exact analyzer leaves them, function words left out.
fn content_words(text: &str) -> Vec<String> {
    text::words(text)
        .into_iter()
        .filter(|w| !function_words::is_function_word(w) && w.chars().any(char::is_alphanumeric))
        .collect()
}

fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut ends = sentence::sentence_ends(text);
    ends.push(text.len());
    for end in ends {
        let words = content_words(&text[start..end]);
        if !words.is_empty() {
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
/// share of `b`'s words that are a counterpart of one of `a`'s.
fn fit(a: &[Vec<String>], b: &Sentence, b_forms: &HashSet<String>, lb: Lang) -> f32 {
    let a_has = a
        .iter()
        .filter(|cs| cs.iter().any(|c| b_forms.contains(c)))
        .count();
    let a_all: HashSet<&String> = a.iter().flatten().collect();
    let b_has = b
        .words
        .iter()
        .filter(|w| a_all.contains(w) || a_all.contains(&lb.reduce()(w)))
        .count();
    let share = |n: usize, of: usize| n as f32 / of.max(1) as f32;
    (share(a_has, a.len()) + share(b_has, b.words.len())) / 2.0
}

/// A sentence of the paragraph aligned with one of the passage: their byte spans, and the fit.
struct Pair {
    a: (usize, usize),
    b: (usize, usize),
    fit: f32,
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
    fn align(&self, b: &str) -> (Vec<Pair>, f32) {
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
                .max_by(|x, y| x.0.total_cmp(&y.0));
            if let Some((f, span)) = best.filter(|b| b.0 >= MIN_SENTENCE_FIT) {
                pairs.push(Pair {
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

impl Engine {
    /// The corpus passages in the other language that paragraph `para` of `input` translates.
    pub(super) fn translated_matches(&self, input: &str, para: &Passage) -> Result<Vec<Match>> {
        let Some(la) = Lang::from_code(&para.lang) else {
            return Ok(Vec::new());
        };
        let mut seen = HashSet::new();
        let query: Vec<String> = content_words(&para.text)
            .into_iter()
            .filter(|w| w.chars().all(char::is_alphanumeric) && seen.insert(w.clone()))
            .take(QUERY_WORDS)
            .collect();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let hits = self.search(&SearchRequest {
            query: query.join(" "),
            limit: CANDIDATES,
            lang: Some(la.other().code().to_string()),
            ..SearchRequest::default()
        })?;
        let paragraph = Paragraph::new(&para.text, la);
        let mut out = Vec::new();
        for hit in hits.hits {
            let (pairs, share) = paragraph.align(&hit.passage.text);
            if share < MIN_ALIGNED {
                continue;
            }
            let mean = pairs.iter().map(|p| p.fit).sum::<f32>() / pairs.len().max(1) as f32;
            if mean < MIN_TRANSLATION_FIT {
                continue;
            }
            let p = hit.passage;
            out.push(Match {
                input_span: char_span(input, para.bytes),
                input_text: para.text.clone(),
                input_spans: pairs
                    .iter()
                    .map(|x| char_span(&para.text, [x.a.0, x.a.1]))
                    .collect(),
                input_cited: !para.citations.is_empty(),
                similarity: mean,
                containment: share,
                spans: pairs
                    .iter()
                    .map(|x| char_span(&p.text, [x.b.0, x.b.1]))
                    .collect(),
                at: p.location(),
                text: p.text,
                citations: p.citations,
                translated: true,
            });
        }
        Ok(out)
    }
}
