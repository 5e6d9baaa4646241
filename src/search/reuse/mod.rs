//! Reuse: passages that repeat or nearly repeat each other (`dupes`), and a pasted text checked
//! against the corpus (`check`).
//!
//! Candidates come from the fingerprints stored at index time: `dupes` reads them from a fast
//! field and pairs passages that share some, `check` reads the same field once for the passages
//! sharing the pasted text's fingerprints (`holders.rs`: they are not terms of the index);
//! fingerprints found in very many passages (page furniture,
//! court formulae, `sumber:` lines) are skipped, so boilerplate never makes everything a
//! duplicate. Only candidates are aligned word by word ([`align`]), which gives the similarity,
//! the containment and the matching spans. On request `dupes` also pairs passages where one
//! restates a claim of the other in other words ([`super::claims`], pairs of kind `restated`).
//!
//! This file holds what both share (the alignment, the answer types); `dupes.rs` and `check.rs`
//! hold the two searches, step by step.

mod check;
mod dupes;
mod given;
mod holders;
mod local;
pub mod report;
mod translated;

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use tantivy::DocAddress;

use crate::error::{Error, Result};
use crate::index::Engine;
use crate::model::{Citation, Location, Passage};
use crate::search::claims;
use crate::text::fingerprint::{self, Word, K};
use crate::text::names;
use dupes::LoadedPassage;

/// A fingerprint in more passages than this is boilerplate, not reuse.
pub const MAX_SHARED: usize = 40;
/// Words between two matching shingles that still count as one reused stretch (a word
/// inserted, deleted or replaced).
const GAP: usize = 4;
/// Largest pasted text `check` takes, in bytes.
pub const MAX_CHECK_BYTES: usize = 2 << 20;
/// Similarity or containment from which two passages are reported, when a request does not say.
pub const DEFAULT_MIN_SIMILARITY: f32 = 0.5;

/// The one rule for a similarity, a containment or a claim score: a number from 0 to 1.
/// `name` as the CLI spells the option; `example` a sensible value to suggest.
fn fraction(name: &str, value: f32, example: f32) -> Result<()> {
    if (0.0..=1.0).contains(&value) {
        return Ok(());
    }
    Err(Error::Invalid(format!(
        "{name} {value} is not between 0 and 1; e.g. {example}"
    )))
}

/// The word-level alignment of two texts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Alignment {
    /// Share of both texts' words inside matching stretches: `(a + b) / (|a| + |b|)`.
    pub similarity: f32,
    /// Share of the more covered text inside matching stretches.
    pub containment: f32,
    /// Matching stretches as `[start, end)` byte spans in `a`, sorted and disjoint; empty when
    /// nothing matches. Answers turn them into character offsets before showing them.
    pub spans_a: Vec<[usize; 2]>,
    /// The same stretches as byte spans in `b`.
    pub spans_b: Vec<[usize; 2]>,
    /// Content words of `a` inside matching stretches.
    pub words_a: usize,
    /// Content words of `b` inside matching stretches.
    pub words_b: usize,
    /// Words of `a` in the longest single stretch.
    pub longest: usize,
}

#[derive(Debug, Clone, Copy)]
struct Region {
    a0: usize,
    a1: usize,
    b0: usize,
    b1: usize,
    seeds: usize,
}

/// Align two texts already cut into content words: shingles shared by both are seeds, seeds
/// close to each other on both sides chain into one stretch, and a stretch of a single shingle
/// (three common words in common) is noise.
pub fn align(a: &[Word], b: &[Word]) -> Alignment {
    alignment_of(&seeded_regions(a, b), a, b)
}

/// [`align`] for `check`, widened by the local alignment of the two texts' words
/// ([`local::regions`]): a heavily reworded paragraph keeps too few runs of three words for the
/// seeds to cover it, and an editor's figure must count all of it. A local region counts where
/// it holds a chain of seeds (it widens what the seeds found) or scores [`local::STRONG`] on
/// its own; a weaker one alone is the shared vocabulary of one subject, as often as a copy
/// (measured on `tests/it/reuse_planted.rs`: counting every region made check's precision
/// 0.925 from 0.996). `None` when the pair is no reuse at `min` ([`is_reuse`]).
pub fn align_check(a: &[Word], b: &[Word], min: f32) -> Option<Alignment> {
    let mut regions = seeded_regions(a, b);
    let seeded = alignment_of(&regions, a, b);
    let holds_seeds = |l: &local::Local| {
        regions
            .iter()
            .any(|r| r.a0 < l.a1 && l.a0 < r.a1 && r.b0 < l.b1 && l.b0 < r.b1)
    };
    let locals = local::regions(a, b);
    let strong = locals.iter().any(|l| l.score >= local::STRONG);
    if !is_reuse(&seeded, min) && !strong {
        return None;
    }
    let found = locals
        .into_iter()
        .filter(|l| l.score >= local::STRONG || holds_seeds(l))
        .map(|l| Region {
            a0: l.a0,
            a1: l.a1,
            b0: l.b0,
            b1: l.b1,
            seeds: 2,
        })
        .collect::<Vec<Region>>();
    regions.extend(found);
    Some(alignment_of(&regions, a, b))
}

/// The regions of shingle seeds that chain (at least two seeds each).
fn seeded_regions(a: &[Word], b: &[Word]) -> Vec<Region> {
    let (sa, sb) = (fingerprint::shingles(a), fingerprint::shingles(b));
    if sa.is_empty() || sb.is_empty() {
        return Vec::new();
    }
    let mut regions = chain(seeds(&sa, &sb));
    regions.retain(|r| r.seeds >= 2);
    regions
}

/// The alignment the regions make of `a` and `b`.
fn alignment_of(regions: &[Region], a: &[Word], b: &[Word]) -> Alignment {
    if regions.is_empty() {
        return Alignment::default();
    }
    let longest = regions.iter().map(|r| r.a1 - r.a0).max().unwrap_or(0);
    let (wa, spans_a) = cover(regions.iter().map(|r| [r.a0, r.a1]).collect(), a);
    let (wb, spans_b) = cover(regions.iter().map(|r| [r.b0, r.b1]).collect(), b);
    let similarity = (wa + wb) as f32 / (a.len() + b.len()) as f32;
    let containment = (wa as f32 / a.len() as f32).max(wb as f32 / b.len() as f32);
    Alignment {
        similarity,
        containment,
        spans_a,
        spans_b,
        words_a: wa,
        words_b: wb,
        longest,
    }
}

/// Positions `(i, j)` where shingle `i` of `a` is shingle `j` of `b`, in the order of `a`.
fn seeds(sa: &[u64], sb: &[u64]) -> Vec<(usize, usize)> {
    let mut at_b: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    for (j, h) in sb.iter().enumerate() {
        at_b.entry(*h).or_default().push(j);
    }
    let mut seeds: Vec<(usize, usize)> = Vec::new();
    for (i, h) in sa.iter().enumerate() {
        if let Some(js) = at_b.get(h) {
            // A shingle repeated many times in `b` is a refrain, not a seed.
            if js.len() <= 8 {
                seeds.extend(js.iter().map(|&j| (i, j)));
            }
        }
    }
    seeds
}

/// Seeds chained into regions: a seed within [`GAP`] words of a recent region on both sides
/// extends it (a word inserted, deleted or replaced does not break a reused stretch).
fn chain(seeds: Vec<(usize, usize)>) -> Vec<Region> {
    let mut regions: Vec<Region> = Vec::new();
    for (i, j) in seeds {
        let near =
            regions.iter_mut().rev().take(6).find(|r| {
                i <= r.a1 + GAP && i + K >= r.a0 && j <= r.b1 + GAP && j + K + GAP >= r.b0
            });
        match near {
            Some(r) => {
                r.a0 = r.a0.min(i);
                r.a1 = r.a1.max(i + K);
                r.b0 = r.b0.min(j);
                r.b1 = r.b1.max(j + K);
                r.seeds += 1;
            }
            None => regions.push(Region {
                a0: i,
                a1: i + K,
                b0: j,
                b1: j + K,
                seeds: 1,
            }),
        }
    }
    regions
}

/// Words covered by word ranges of one text, and the ranges merged as byte spans of it.
fn cover(ranges: Vec<[usize; 2]>, words: &[Word]) -> (usize, Vec<[usize; 2]>) {
    let merged = merge_ranges(ranges);
    let n = merged.iter().map(|[s, e]| e - s).sum();
    let spans = merged
        .iter()
        .map(|&[s, e]| [words[s].start, words[e.min(words.len()) - 1].end])
        .collect();
    (n, spans)
}

/// `[start, end)` ranges sorted, overlapping or touching ones made one.
fn merge_ranges(mut ranges: Vec<[usize; 2]>) -> Vec<[usize; 2]> {
    ranges.sort_unstable();
    let mut merged: Vec<[usize; 2]> = Vec::with_capacity(ranges.len());
    for [s, e] in ranges {
        match merged.last_mut() {
            Some(last) if s <= last[1] => last[1] = last[1].max(e),
            _ => merged.push([s, e]),
        }
    }
    merged
}

/// Byte span → character span in `text`.
fn char_span(text: &str, [s, e]: [usize; 2]) -> [usize; 2] {
    let c = |b: usize| text[..b.min(text.len())].chars().count();
    [c(s), c(e)]
}

/// One side of a pair of reused passages.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// Where the passage stands (`passage_id`, `doc`, `title`, `lines`, ...).
    #[serde(flatten)]
    pub at: Location,
    /// The passage's text as indexed, in which `spans` count. Shared by every pair the passage
    /// is in: a passage repeated across a large corpus is in hundreds of pairs, and one copy of
    /// its text each made `dupes` hold gigabytes.
    pub text: Arc<str>,
    /// Matching stretches as `[start, end)` character (not byte) offsets in `text`, sorted and
    /// disjoint: for `reuse` the aligned runs of words, for `restated` the claim sentences and
    /// the sentences restating them.
    pub spans: Vec<[usize; 2]>,
    /// The citations of the passage, so a reader can see whom each side credits; shared like
    /// `text`.
    pub citations: Arc<[Citation]>,
    /// Whether this side cites anything: reuse with attribution or without.
    pub cited: bool,
    /// Whether the passage is formulaic ([`crate::search::formula`]): listed only when the
    /// request included formulaic passages.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub formulaic: bool,
}

impl Side {
    fn new(s: &LoadedPassage, spans: &[[usize; 2]]) -> Side {
        let p = &s.passage;
        Side {
            at: p.location(),
            text: s.text.clone(),
            spans: spans.iter().map(|&sp| char_span(&p.text, sp)).collect(),
            cited: !p.citations.is_empty(),
            citations: s.citations.clone(),
            formulaic: false,
        }
    }
}

/// Why two passages are paired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PairKind {
    /// Copied or reworded text: runs of the same words ([`align`]).
    Reuse,
    /// The same claim in other words: a sentence of one restates sentences of the other
    /// ([`claims`]).
    Restated,
    /// One translates the other: passages in two languages whose sentences align through the
    /// lexicon ([`translated`]).
    Translated,
}

impl PairKind {
    /// Every kind, in the order `dupes` finds them.
    pub const ALL: [PairKind; 3] = [PairKind::Reuse, PairKind::Restated, PairKind::Translated];

    /// The kind's name, as in JSON and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            PairKind::Reuse => "reuse",
            PairKind::Restated => "restated",
            PairKind::Translated => "translated",
        }
    }
}

impl std::str::FromStr for PairKind {
    type Err = Error;

    /// A kind by name, any case; an unknown name is an error that lists the names.
    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim();
        PairKind::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let names: Vec<&str> = PairKind::ALL.iter().map(|k| k.name()).collect();
                Error::Invalid(format!(
                    "unknown kind {s:?}; kind must be one of {}",
                    names.join(", ")
                ))
            })
    }
}

/// One of the two sides of a pair (`a` or `b`): where a restated claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PairSide {
    /// The pair's `a` side (`"a"` in JSON).
    A,
    /// The pair's `b` side (`"b"` in JSON).
    B,
}

impl PairSide {
    fn other(self) -> PairSide {
        match self {
            PairSide::A => PairSide::B,
            PairSide::B => PairSide::A,
        }
    }
}

/// One restated claim of a pair: the claim sentence on one side, the sentences restating it on
/// the other, as character offsets in each side's `text` (byte offsets until the texts are
/// loaded).
#[derive(Debug, Clone, Serialize)]
pub struct ClaimMatch {
    /// The side whose sentence is the claim.
    pub claim: PairSide,
    /// Its `[start, end)` span in the text of `a`: the claim sentence, or the sentences
    /// restating it.
    pub a: [usize; 2],
    /// Its `[start, end)` span in the text of `b`, likewise.
    pub b: [usize; 2],
    /// The claim score ([`claims::score`]), 0–1: the geometric mean of `coverage` and the
    /// weighted cosine of the claim and the sentences restating it.
    pub score: f32,
    /// Share of the claim (its stems, weighted by rarity) the other side holds, 0–1.
    pub coverage: f32,
}

/// Two passages that repeat each other (copied or reworded text) or where one restates a
/// claim of the other: one entry of [`DupesResponse::pairs`].
#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    /// How much distinctive text the two share, the figure pairs are listed by (highest
    /// first): `shared_words` weighted by how rare the shared text is in the corpus. A stretch
    /// only these two passages hold counts in full; one that each of them shares with `n`
    /// other passages too (a template sentence, a court's wording) counts `1/n`. For
    /// `restated` and `translated`, the words matched times how well they match. A long
    /// paragraph copied between two works ranks above a one-line formula repeated everywhere,
    /// however similar the two lines are.
    pub distinctive: f32,
    /// Content words the two share: for `reuse`, those inside the matching stretches of the
    /// less covered side; for `restated`, those of the claim sentences; for `translated`, those
    /// of the aligned sentences of the shorter side.
    pub shared_words: usize,
    /// 0–1. For `reuse`, the share of both texts' content words inside matching stretches; for
    /// `restated`, the best claim score of the pair; for `translated`, how well the sentences
    /// fit.
    pub similarity: f32,
    /// 0–1. For `reuse`, the share of the more covered text inside matching stretches (1 when
    /// one passage is wholly inside the other); for `restated`, the largest share of a claim
    /// the other side holds.
    pub containment: f32,
    /// Why the two are paired: `reuse` (runs of the same words) or `restated` (the same claim
    /// in other words).
    pub kind: PairKind,
    /// The earlier passage of the two, by document id and then passage number, so a pair
    /// reads the same way on every build.
    pub a: Side,
    /// The later passage.
    pub b: Side,
    /// For `restated`: each claim and what restates it (the spans of `a` and `b` are their
    /// union).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<ClaimMatch>,
    /// For `translated`: the sentences aligned, in pairs (the spans of `a` and `b` are their
    /// union).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sentences: Vec<AlignedSentences>,
    /// The sides whose passage cites the other side's document (by its authors and year):
    /// reuse with credit, or without when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cites_other: Vec<PairSide>,
}

impl Pair {
    /// The passage ids of its two sides.
    fn ids(&self) -> (&str, &str) {
        (&self.a.at.passage_id, &self.b.at.passage_id)
    }

    /// The same pair read the other way round.
    fn swap(&mut self) {
        std::mem::swap(&mut self.a, &mut self.b);
        for s in &mut self.sentences {
            std::mem::swap(&mut s.a, &mut s.b);
        }
        for c in &mut self.claims {
            std::mem::swap(&mut c.a, &mut c.b);
            c.claim = c.claim.other();
        }
        for s in &mut self.cites_other {
            *s = s.other();
        }
    }
}

/// A sentence of one side of a `translated` pair and the sentence of the other side it
/// translates, as character offsets in each side's `text`.
#[derive(Debug, Clone, Serialize)]
pub struct AlignedSentences {
    /// Its `[start, end)` span in the text of `a`.
    pub a: [usize; 2],
    /// Its `[start, end)` span in the text of `b`.
    pub b: [usize; 2],
    /// How well they fit, 0–1: the mean of the shares of each one's content words with a
    /// counterpart in the other.
    pub fit: f32,
}

/// The sides named by whether `a` and `b` cite the other's document.
fn cites_sides([a, b]: [bool; 2]) -> Vec<PairSide> {
    [(a, PairSide::A), (b, PairSide::B)]
        .into_iter()
        .filter(|x| x.0)
        .map(|x| x.1)
        .collect()
}

/// Whether one of `citations` names a work of the document described by `meta`: a cited
/// author is one of its authors and the years agree where both are known.
fn cites_meta(citations: &[Citation], meta: &crate::model::DocMeta) -> bool {
    citations.iter().any(|c| {
        let year = match (&c.year, meta.year) {
            (Some(y), Some(m)) => y.trim_end_matches(char::is_alphabetic) == m.to_string(),
            _ => true,
        };
        year && c
            .authors
            .iter()
            .any(|who| meta.authors.iter().any(|a| names::name_match(who, a) > 0))
    })
}

/// What `dupes` looks for.
#[derive(Debug, Clone)]
pub struct DupesRequest {
    /// Report a pair when its similarity or its containment reaches this.
    pub min_similarity: f32,
    /// Only pairs from two different documents.
    pub cross_doc: bool,
    /// At most this many pairs (the most similar).
    pub limit: Option<usize>,
    /// Also restated claims ([`claims`]): sentences saying what another passage says in other
    /// words. `min_similarity` does not apply to them; `min_claim` does.
    pub claims: bool,
    /// Claim score from which a claim is restated (default [`claims::MIN_SCORE`]; higher is
    /// more precise, see README).
    pub min_claim: f32,
    /// Also pairs of passages that translate each other ([`translated`]): each passage of
    /// the language with fewer passages searched for in the other, which costs a search per
    /// passage.
    pub translated: bool,
    /// Also pairs of formulaic passages ([`crate::search::formula`]): a court's formulas repeat
    /// in every decision and would fill the list.
    pub formulaic: bool,
    /// Only pairs of this kind, counted alone: with `Restated` the claims are looked for, with
    /// `Translated` the translations, and the passes that find other kinds are skipped. Without
    /// it, translated pairs compete with reuse pairs for the `limit`, and on a large corpus
    /// a thousand exact repeats hide every translation.
    pub kind: Option<PairKind>,
    /// Align every candidate pair even with a `limit`, so that `total` and `groups` count
    /// every pair: without it the alignment stops once no pair left could be listed.
    pub count_all: bool,
}

impl DupesRequest {
    /// The request as run: `kind` turns on the pass that finds its pairs and off the others.
    fn effective(&self) -> DupesRequest {
        let mut req = self.clone();
        match self.kind {
            None => {}
            Some(PairKind::Reuse) => (req.claims, req.translated) = (false, false),
            Some(PairKind::Restated) => (req.claims, req.translated) = (true, false),
            Some(PairKind::Translated) => (req.claims, req.translated) = (false, true),
        }
        req
    }

    /// Whether the pass aligning candidate pairs word by word runs: its pairs are reuse, and
    /// restated claims are looked for beside them.
    fn aligns(&self) -> bool {
        self.kind != Some(PairKind::Translated)
    }
}

impl Default for DupesRequest {
    fn default() -> Self {
        DupesRequest {
            min_similarity: DEFAULT_MIN_SIMILARITY,
            cross_doc: false,
            limit: None,
            claims: false,
            min_claim: claims::MIN_SCORE,
            formulaic: false,
            translated: false,
            kind: None,
            count_all: false,
        }
    }
}

/// The answer to `dupes`: the pairs of passages that repeat each other, how many there are in
/// all, and how much of the corpus was looked at to find them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DupesResponse {
    /// The pairs sharing the most distinctive text ([`Pair::distinctive`]), at most the
    /// request's `limit`.
    pub pairs: Vec<Pair>,
    /// With `cross_doc`: the document pairs of the pairs listed, each counting every pair
    /// found between its two documents, most distinctive shared text first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<DocumentPair>,
    /// Pairs found, listed or not (the `limit` cuts `pairs`, not this count); when not
    /// `exhaustive`, those found among the candidates aligned.
    pub total: usize,
    /// Of `total`, the pairs that join two different documents: reuse across works rather
    /// than a document repeating itself.
    pub total_cross_doc: usize,
    /// Passages that repeat each other, as groups of passage ids connected by the pairs found
    /// (all of them, not only those listed), each sorted, largest group first.
    pub groups: Vec<Vec<String>>,
    /// Passages with fingerprints: the passages `dupes` looked at (too short ones have none).
    pub passages: usize,
    /// Of `passages`, the formulaic ones: left out of the pairs unless the request asked for
    /// them.
    pub formulaic: usize,
    /// Candidate pairs (passages sharing a fingerprint that is not boilerplate) aligned word
    /// by word: the work done, whatever was found.
    pub candidates: usize,
    /// Candidate pairs not aligned because none of them could share enough distinctive text
    /// to be listed: the work the `limit` saved.
    pub skipped: usize,
    /// Whether every candidate was aligned, so that `total`, `total_cross_doc` and `groups`
    /// count every pair (a request's `count_all` makes sure of it).
    pub exhaustive: bool,
    /// Sentences compared as claims; absent unless the request asked for restated claims.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim_sentences: Option<usize>,
    /// Claims found restated (before pairs already found as reuse are left out); absent
    /// unless the request asked for restated claims.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restated: Option<usize>,
    /// Of `total`, the pairs of passages that translate each other; absent unless the request
    /// asked for them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translated: Option<usize>,
    /// The only kind of pair looked for, when the request named one: `total` and `groups`
    /// count that kind alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<PairKind>,
    /// Wall-clock time of the search in milliseconds, loading the listed passages included.
    pub took_ms: f64,
}

/// Two documents joined by pairs of `dupes --cross-doc`: how much of one stands in the other,
/// and how much of it without credit.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentPair {
    /// The first document's id (the `a` side of its pairs).
    pub a: String,
    /// Its title.
    pub a_title: String,
    /// The second document's id.
    pub b: String,
    /// Its title.
    pub b_title: String,
    /// Pairs of passages found between the two.
    pub pairs: usize,
    /// Distinct passages of `a` in those pairs.
    pub passages_a: usize,
    /// Distinct passages of `b` in those pairs.
    pub passages_b: usize,
    /// Of `pairs`, those where neither passage cites the other's document.
    pub uncited: usize,
    /// Sum of the pairs' shared content words.
    pub shared_words: usize,
    /// Sum of the pairs' [`Pair::distinctive`]: what document pairs are ranked by.
    pub distinctive: f32,
    #[serde(skip)]
    seen: (FxHashSet<String>, FxHashSet<String>),
}

impl DocumentPair {
    fn new(p: &Pair) -> DocumentPair {
        DocumentPair {
            a: p.a.at.doc.clone(),
            a_title: p.a.at.title.clone(),
            b: p.b.at.doc.clone(),
            b_title: p.b.at.title.clone(),
            pairs: 0,
            passages_a: 0,
            passages_b: 0,
            uncited: 0,
            shared_words: 0,
            distinctive: 0.0,
            seen: Default::default(),
        }
    }

    fn add(&mut self, p: &Pair) {
        self.pairs += 1;
        self.uncited += usize::from(p.cites_other.is_empty());
        self.shared_words += p.shared_words;
        self.distinctive += p.distinctive;
        self.seen.0.insert(p.a.at.passage_id.clone());
        self.seen.1.insert(p.b.at.passage_id.clone());
    }

    fn finish(mut self) -> DocumentPair {
        let (a, b) = std::mem::take(&mut self.seen);
        (self.passages_a, self.passages_b) = (a.len(), b.len());
        self
    }
}

/// The long steps of `dupes`, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DupesStep {
    /// Reading and cutting into words the passages of the candidate pairs.
    Reading,
    /// Aligning candidate pairs word by word.
    Aligning,
}

/// How far a step of `dupes` is: `done` of `total` items.
#[derive(Debug, Clone, Copy)]
pub struct DupesProgress {
    /// The step.
    pub step: DupesStep,
    /// Items done.
    pub done: usize,
    /// Items in the step.
    pub total: usize,
}

impl DupesProgress {
    fn new(step: DupesStep, done: usize, total: usize) -> DupesProgress {
        DupesProgress { step, done, total }
    }
}

/// A stretch of the checked text that reuses a passage.
#[derive(Debug, Clone, Serialize)]
pub struct Match {
    /// The checked paragraph, as character offsets in the input.
    pub input_span: [usize; 2],
    /// The checked paragraph as pustaka reads it (lines joined, hyphenation and page furniture
    /// resolved, as for corpus passages).
    pub input_text: String,
    /// The matching stretches, as character offsets in `input_text`.
    pub input_spans: Vec<[usize; 2]>,
    /// Whether the checked paragraph cites anything itself.
    pub input_cited: bool,
    /// For `translated`: whether the checked paragraph cites the source's document (one of
    /// its authors, and its year where both are known).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cites_source: Option<bool>,
    /// 0–1: the share of the content words of the paragraph and the passage together inside
    /// matching stretches.
    pub similarity: f32,
    /// 0–1: the share of the more covered of the two (paragraph or passage) inside matching
    /// stretches; 1 when one is wholly inside the other.
    pub containment: f32,
    /// Where the reused passage stands (`passage_id`, `doc`, `title`, `lines`, ...).
    #[serde(flatten)]
    pub at: Location,
    /// The reused passage's text, as indexed.
    pub text: String,
    /// Matching stretches as character offsets in the passage's `text`.
    pub spans: Vec<[usize; 2]>,
    /// The citations of the source passage.
    pub citations: Vec<Citation>,
    /// The paragraph translates the passage (it is in the other language): the stretches are
    /// the sentences aligned, in pairs, `similarity` is how well they fit and `containment` the
    /// share of the paragraph's words they hold ([`translated`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub translated: bool,
}

/// The answer to `check`: every passage of the corpus the checked text reuses, paragraph by
/// paragraph.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResponse {
    /// The editor's report over the whole text: the similarity index, the sources ranked,
    /// the stretches with their attribution, after the filters. First in JSON, where a reader
    /// (and `check -o`, telling its own reports) looks for it.
    pub report: report::Report,
    /// Each (paragraph, reused passage) found, in the order of the input, the most similar
    /// passage first for a paragraph; a paragraph reusing several passages has several.
    pub matches: Vec<Match>,
    /// Paragraphs of the input long enough to check (too few content words to fingerprint
    /// are not counted).
    pub paragraphs: usize,
    /// Of `paragraphs`, how many reuse corpus text (have at least one match).
    pub reused: usize,
    /// Wall-clock time of the check in milliseconds.
    pub took_ms: f64,
}

/// Whether an alignment is reuse: a good share of one text or the other, or one long stretch
/// (a copied sentence inside a longer paragraph); a few common phrases are not.
pub fn is_reuse(al: &Alignment, min: f32) -> bool {
    !al.spans_a.is_empty()
        && (al.similarity >= min || al.containment >= min || al.longest >= LONG_STRETCH)
}

/// Content words in one matching stretch that make reuse whatever the shares (a sentence).
pub const LONG_STRETCH: usize = 12;

impl Engine {
    /// The passage at `addr`, read with the searcher of the moment.
    fn load(&self, addr: DocAddress) -> Result<Passage> {
        self.fetch(&self.searcher(), addr)
    }

    /// Whether one of `citations` names a work of document `doc` ([`cites_meta`]).
    fn cites_document(&self, citations: &[Citation], doc: &str) -> Result<bool> {
        if citations.is_empty() {
            return Ok(false);
        }
        Ok(self
            .document(doc)?
            .is_some_and(|d| cites_meta(citations, &d.meta)))
    }
}

/// Connected components of the pairs, each sorted, largest first.
fn groups<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<Vec<String>> {
    let mut parent: BTreeMap<String, String> = BTreeMap::new();
    fn find(parent: &mut BTreeMap<String, String>, x: &str) -> String {
        let p = parent.get(x).cloned().unwrap_or_else(|| x.to_string());
        if p == x {
            return p;
        }
        let r = find(parent, &p);
        parent.insert(x.to_string(), r.clone());
        r
    }
    for (a, b) in pairs {
        parent.entry(a.to_string()).or_insert_with(|| a.to_string());
        parent.entry(b.to_string()).or_insert_with(|| b.to_string());
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent.insert(ra, rb);
        }
    }
    let keys: Vec<String> = parent.keys().cloned().collect();
    let mut by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut seen = FxHashSet::default();
    for k in keys {
        let r = find(&mut parent, &k);
        if seen.insert(k.clone()) {
            by.entry(r).or_default().push(k);
        }
    }
    let mut out: Vec<Vec<String>> = by.into_values().collect();
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: &str =
        "Tapachula, yang terletak di negara bagian Chiapas, menjadi pintu gerbang utama \
        bagi migrasi dari Amerika Tengah ke Meksiko, sehingga secara geografis menempati posisi \
        strategis dalam jaringan perdagangan manusia. Arus besar migran ini menciptakan kondisi \
        massa kritis di mana para penyelundup dan perekrut memanfaatkan kepanikan para migran.";

    fn al(a: &str, b: &str) -> Alignment {
        align(&fingerprint::words(a), &fingerprint::words(b))
    }

    #[test]
    fn verbatim_and_reworded_copies_align() {
        let same = al(P, P);
        assert!(same.similarity > 0.99, "{same:?}");
        let edited = P
            .replace("terletak", "berada")
            .replace("utama", "penting")
            .replace("Arus besar migran", "Arus migran yang besar");
        let a = al(P, &edited);
        assert!(a.similarity > 0.8, "{a:?}");
        assert_eq!(a.spans_a.len(), 1, "one stretch despite the changes: {a:?}");
    }

    #[test]
    fn a_copied_sentence_inside_other_text_is_found_with_its_span() {
        let sentence = "Arus besar migran ini menciptakan kondisi massa kritis di mana para penyelundup dan perekrut memanfaatkan kepanikan para migran.";
        let draft = format!("Pendahuluan singkat tentang hukum laut internasional dan sengketa wilayah perairan. {sentence} Kesimpulan tentang kebijakan energi terbarukan di kawasan Asia Tenggara.");
        let a = al(&draft, P);
        assert_eq!(a.spans_a.len(), 1);
        let [s, e] = a.spans_a[0];
        assert!(
            draft[s..e].starts_with("Arus besar migran"),
            "{}",
            &draft[s..e]
        );
        assert!(a.containment < 0.8 && a.words_a >= 12, "{a:?}");
    }

    #[test]
    fn a_shared_topic_is_not_reuse() {
        let other = "Perdagangan manusia di Meksiko melibatkan jaringan kartel yang merekrut perempuan migran \
            dari Amerika Tengah dengan janji pekerjaan, lalu memaksa mereka bekerja di bar.";
        let a = al(P, other);
        assert!(a.similarity < 0.2, "{a:?}");
    }
}
