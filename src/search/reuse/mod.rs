//! Reuse: passages that repeat or nearly repeat each other (`dupes`), and a pasted text checked
//! against the corpus (`check`).
//!
//! Candidates come from the fingerprints stored at index time: `dupes` reads them from a fast
//! field and pairs passages that share some, `check` asks the inverted index for passages sharing
//! the pasted text's fingerprints; fingerprints found in very many passages (page furniture,
//! court formulae, `sumber:` lines) are skipped, so boilerplate never makes everything a
//! duplicate. Only candidates are aligned word by word ([`align`]), which gives the similarity,
//! the containment and the matching spans. On request `dupes` also pairs passages where one
//! restates a claim of the other in other words ([`super::claims`], pairs of kind `restated`).

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::index::{from_document, index_error, Engine};
use crate::model::{Citation, Passage};
use crate::search::cancel::Cancel;
use crate::search::claims::{self, Restatement, Sentence};
use crate::text::fingerprint::{self, Word, K};

/// A fingerprint in more passages than this is boilerplate, not reuse.
pub const MAX_SHARED: usize = 40;
/// Shared (non-boilerplate) fingerprints that make two passages a candidate pair. One: a pair
/// whose only shared run of five words is the one a reworded copy left intact is still aligned.
const MIN_SHARED: u16 = 1;
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
    /// Matching stretches as byte spans in `a` and in `b`.
    pub spans_a: Vec<[usize; 2]>,
    pub spans_b: Vec<[usize; 2]>,
    /// Words of `a` and of `b` inside matching stretches.
    pub words_a: usize,
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
    let (sa, sb) = (fingerprint::shingles(a), fingerprint::shingles(b));
    if sa.is_empty() || sb.is_empty() {
        return Alignment::default();
    }
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
    regions.retain(|r| r.seeds >= 2);
    let longest = regions.iter().map(|r| r.a1 - r.a0).max().unwrap_or(0);
    let cover = |ranges: Vec<[usize; 2]>, words: &[Word]| -> (usize, Vec<[usize; 2]>) {
        let merged = merge_ranges(ranges);
        let n = merged.iter().map(|[s, e]| e - s).sum();
        let spans = merged
            .iter()
            .map(|&[s, e]| [words[s].start, words[e.min(words.len()) - 1].end])
            .collect();
        (n, spans)
    };
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
    pub passage_id: String,
    pub doc: String,
    pub title: String,
    pub section: Option<String>,
    pub section_title: Option<String>,
    pub lines: [usize; 2],
    /// Shared by every pair the passage is in: a passage repeated across a large corpus is in
    /// hundreds of pairs, and one copy of its text each made `dupes` hold gigabytes.
    pub text: Arc<str>,
    /// Matching stretches as character offsets in `text`.
    pub spans: Vec<[usize; 2]>,
    pub citations: Arc<[Citation]>,
    /// Whether this side cites anything: reuse with attribution or without.
    pub cited: bool,
}

/// A passage as the pairs show it, loaded once however many pairs it is in.
struct Shown {
    passage: Passage,
    text: Arc<str>,
    citations: Arc<[Citation]>,
}

impl Shown {
    fn new(passage: Passage) -> Shown {
        Shown {
            text: Arc::from(passage.text.as_str()),
            citations: Arc::from(passage.citations.as_slice()),
            passage,
        }
    }
}

impl Side {
    fn new(s: &Shown, spans: &[[usize; 2]]) -> Side {
        let p = &s.passage;
        Side {
            passage_id: p.id.clone(),
            doc: p.doc.clone(),
            title: p.title.clone(),
            section: p.section.clone(),
            section_title: p.section_title.clone(),
            lines: p.lines,
            text: s.text.clone(),
            spans: spans.iter().map(|&sp| char_span(&p.text, sp)).collect(),
            cited: !p.citations.is_empty(),
            citations: s.citations.clone(),
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
}

/// Which side of a pair a restated claim stands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Which {
    A,
    B,
}

/// One restated claim of a pair: the claim sentence on one side, the sentences restating it on
/// the other, as character offsets in each side's `text` (byte offsets until the texts are
/// loaded).
#[derive(Debug, Clone, Serialize)]
pub struct ClaimMatch {
    /// The side whose sentence is the claim.
    pub claim: Which,
    pub a: [usize; 2],
    pub b: [usize; 2],
    /// The claim score ([`claims::score`]) and the share of the claim the other side holds.
    pub score: f32,
    pub coverage: f32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    /// For `reuse`, the share of both texts inside matching stretches; for `restated`, the best
    /// claim score of the pair.
    pub similarity: f32,
    /// For `reuse`, the share of the more covered text inside matching stretches; for
    /// `restated`, the largest share of a claim the other side holds.
    pub containment: f32,
    pub kind: PairKind,
    pub a: Side,
    pub b: Side,
    /// For `restated`: each claim and what restates it (the spans of `a` and `b` are their
    /// union).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<ClaimMatch>,
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
}

impl Default for DupesRequest {
    fn default() -> Self {
        DupesRequest {
            min_similarity: DEFAULT_MIN_SIMILARITY,
            cross_doc: false,
            limit: None,
            claims: false,
            min_claim: claims::MIN_SCORE,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DupesResponse {
    /// The most similar pairs, at most the request's `limit`.
    pub pairs: Vec<Pair>,
    /// Pairs found, listed or not, and how many of them join two different documents.
    pub total: usize,
    pub total_cross_doc: usize,
    /// Passages that repeat each other, as groups of ids (connected by the pairs).
    pub groups: Vec<Vec<String>>,
    /// Passages with fingerprints, and candidate pairs aligned.
    pub passages: usize,
    pub candidates: usize,
    /// With claims: sentences compared as claims, and pairs of them found restated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim_sentences: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restated: Option<usize>,
    pub took_ms: f64,
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
    pub similarity: f32,
    pub containment: f32,
    pub passage_id: String,
    pub doc: String,
    pub title: String,
    pub lines: [usize; 2],
    pub text: String,
    /// Matching stretches as character offsets in the passage's `text`.
    pub spans: Vec<[usize; 2]>,
    /// The citations of the source passage.
    pub citations: Vec<Citation>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckResponse {
    pub matches: Vec<Match>,
    /// Paragraphs of the input long enough to check, and how many of them reuse corpus text.
    pub paragraphs: usize,
    pub reused: usize,
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
    fn load(&self, addr: DocAddress) -> Result<Passage> {
        let searcher = self.searcher();
        let d: TantivyDocument = searcher.doc(addr).map_err(|e| index_error(&self.dir, e))?;
        Ok(from_document(&self.fields, &d))
    }

    /// Passages that repeat or nearly repeat each other, most similar first.
    pub fn dupes(&self, req: &DupesRequest) -> Result<DupesResponse> {
        self.dupes_cancellable(req, &Cancel::never())
    }

    /// [`Engine::dupes`], stopping with [`Error::Cancelled`] soon after `cancel` is set: on a
    /// large corpus it runs for minutes, long after a server stopped waiting for it.
    pub fn dupes_cancellable(&self, req: &DupesRequest, cancel: &Cancel) -> Result<DupesResponse> {
        let started = std::time::Instant::now();
        fraction("min-similarity", req.min_similarity, DEFAULT_MIN_SIMILARITY)?;
        fraction("min-claim", req.min_claim, claims::MIN_SCORE)?;
        let searcher = self.searcher();
        // Every (fingerprint, passage) of the index, from the fast field.
        let mut addrs: Vec<DocAddress> = Vec::new();
        let mut pairs_of: Vec<(u64, u32)> = Vec::new();
        let mut count: Vec<u16> = Vec::new();
        for (ord, seg) in searcher.segment_readers().iter().enumerate() {
            let col = seg
                .fast_fields()
                .u64("fp")
                .map_err(|e| index_error(&self.dir, e))?;
            let alive = seg.alive_bitset();
            for doc in 0..seg.max_doc() {
                if doc.is_multiple_of(4096) {
                    cancel.check()?;
                }
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                let id = addrs.len() as u32;
                let before = pairs_of.len();
                pairs_of.extend(col.values_for_doc(doc).map(|h| (h, id)));
                if pairs_of.len() > before {
                    addrs.push(DocAddress::new(ord as u32, doc));
                    count.push((pairs_of.len() - before).min(u16::MAX as usize) as u16);
                }
            }
        }
        pairs_of.sort_unstable();
        // Passages sharing fingerprints; boilerplate fingerprints skipped.
        let mut shared: FxHashMap<(u32, u32), u16> = FxHashMap::default();
        let mut i = 0;
        let mut seen: u32 = 0;
        while i < pairs_of.len() {
            seen = seen.wrapping_add(1);
            if seen.is_multiple_of(1024) {
                cancel.check()?;
            }
            let h = pairs_of[i].0;
            let mut j = i;
            while j < pairs_of.len() && pairs_of[j].0 == h {
                j += 1;
            }
            if (2..=MAX_SHARED).contains(&(j - i)) {
                for x in i..j {
                    for y in x + 1..j {
                        let k = (pairs_of[x].1, pairs_of[y].1);
                        *shared.entry(k).or_default() += 1;
                    }
                }
            }
            i = j;
        }
        // Pairs sharing enough fingerprints (see MIN_SHARED).
        let mut candidates: Vec<(u32, u32)> = shared
            .into_iter()
            .filter(|&((x, y), n)| n >= MIN_SHARED || count[x as usize].min(count[y as usize]) <= 2)
            .map(|(k, _)| k)
            .collect();
        candidates.sort_unstable();
        let n_candidates = candidates.len();
        // The words of every passage in a candidate pair (with claims: of every passage), read
        // and cut once, in parallel.
        let needed: Vec<u32> = if req.claims {
            (0..addrs.len() as u32).collect()
        } else {
            let mut v: Vec<u32> = candidates.iter().flat_map(|&(x, y)| [x, y]).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let threads = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(1, 8);
        let loaded: Vec<(Light, Vec<Sentence>)> = parallel(&needed, threads, |&id| {
            cancel.check()?;
            let p = self.load(addrs[id as usize])?;
            let words = fingerprint::words(&p.text);
            let sentences = if req.claims {
                let cites: Vec<[usize; 2]> = p.citations.iter().map(|c| c.span).collect();
                claims::sentences(&p.text, &words, &cites)
            } else {
                Vec::new()
            };
            let light = Light {
                words,
                no: passage_no(&p.id),
                id: p.id,
                doc: p.doc,
            };
            Ok((light, sentences))
        })?;
        let (light, sentences): (Vec<Light>, Vec<Vec<Sentence>>) = loaded.into_iter().unzip();
        let at = |id: u32| &light[needed.binary_search(&id).unwrap_or(0)];
        // Document order within a pair, the earlier passage first: the alignment is not
        // symmetric, and the index's order differs between builds.
        let ordered = |x: u32, y: u32| {
            let (pa, pb) = (at(x), at(y));
            if (pa.doc.as_str(), pa.no) <= (pb.doc.as_str(), pb.no) {
                (x, y)
            } else {
                (y, x)
            }
        };
        // Align every candidate pair, in parallel.
        let aligned: Vec<Option<(Alignment, u32, u32)>> =
            parallel(&candidates, threads, |&(x, y)| {
                cancel.check()?;
                if req.cross_doc && at(x).doc == at(y).doc {
                    return Ok(None);
                }
                let (x, y) = ordered(x, y);
                let al = align(&at(x).words, &at(y).words);
                if al.similarity.max(al.containment) < req.min_similarity || al.spans_a.is_empty() {
                    return Ok(None);
                }
                Ok(Some((al, x, y)))
            })?;
        let mut found: Vec<Found> = aligned
            .into_iter()
            .flatten()
            .map(|(al, x, y)| Found::Reuse(al, x, y))
            .collect();
        // Restated claims, for the pairs of passages reuse did not pair already.
        let (mut claim_sentences, mut n_restated) = (None, None);
        if req.claims {
            claim_sentences = Some(sentences.iter().flatten().filter(|s| s.is_claim()).count());
            let freq = claims::Frequencies::of(sentences.iter().map(Vec::as_slice));
            // `light` is indexed by passage id here (`needed` is every id). The passage a claim
            // restates best is the same with --cross-doc or without: only its report is left out.
            let allow = |x: usize, y: usize| {
                let (pa, pb) = (&light[x], &light[y]);
                pa.doc != pb.doc || pa.no.abs_diff(pb.no) >= claims::MIN_GAP
            };
            let mut restated =
                claims::restatements(&sentences, &freq, req.min_claim, allow, threads, cancel)?;
            if req.cross_doc {
                restated.retain(|r| light[r.claim.0].doc != light[r.target.0].doc);
            }
            n_restated = Some(restated.len());
            let reused: FxHashSet<(u32, u32)> = found.iter().map(Found::ids).collect();
            let mut by_pair: BTreeMap<(u32, u32), Vec<Restatement>> = BTreeMap::new();
            for r in restated {
                let key = ordered(r.claim.0 as u32, r.target.0 as u32);
                if !reused.contains(&key) {
                    by_pair.entry(key).or_default().push(r);
                }
            }
            found.extend(by_pair.into_iter().map(|((x, y), rs)| {
                let spans = rs
                    .iter()
                    .map(|r| {
                        let claim = sentences[r.claim.0][r.claim.1].span;
                        let target = &sentences[r.target.0];
                        let held = [
                            target[r.target.1.start].span[0],
                            target[r.target.1.end - 1].span[1],
                        ];
                        let claim_in_a = r.claim.0 as u32 == x;
                        let (a, b) = if claim_in_a {
                            (claim, held)
                        } else {
                            (held, claim)
                        };
                        ClaimMatch {
                            claim: if claim_in_a { Which::A } else { Which::B },
                            a,
                            b,
                            score: r.score.score,
                            coverage: r.score.coverage,
                        }
                    })
                    .collect();
                Found::Restated(spans, x, y)
            }));
        }
        found.sort_by(|p, q| {
            q.similarity()
                .total_cmp(&p.similarity())
                .then_with(|| at(p.ids().0).id.cmp(&at(q.ids().0).id))
                .then_with(|| at(p.ids().1).id.cmp(&at(q.ids().1).id))
        });
        let groups = groups(found.iter().map(|f| {
            let (x, y) = f.ids();
            (at(x).id.as_str(), at(y).id.as_str())
        }));
        let total = found.len();
        let total_cross_doc = found
            .iter()
            .filter(|f| {
                let (x, y) = f.ids();
                at(x).doc != at(y).doc
            })
            .count();
        if let Some(n) = req.limit {
            found.truncate(n);
        }
        // Only the pairs shown carry their passages' text and citations.
        let mut full: FxHashMap<u32, Shown> = FxHashMap::default();
        let mut pairs = Vec::with_capacity(found.len());
        for f in found {
            cancel.check()?;
            let (x, y) = f.ids();
            for id in [x, y] {
                if let std::collections::hash_map::Entry::Vacant(e) = full.entry(id) {
                    e.insert(Shown::new(self.load(addrs[id as usize])?));
                }
            }
            let (pa, pb) = (&full[&x], &full[&y]);
            let similarity = f.similarity();
            pairs.push(match f {
                Found::Reuse(al, _, _) => Pair {
                    similarity,
                    containment: al.containment,
                    kind: PairKind::Reuse,
                    a: Side::new(pa, &al.spans_a),
                    b: Side::new(pb, &al.spans_b),
                    claims: Vec::new(),
                },
                Found::Restated(rs, _, _) => {
                    let union = |side: fn(&ClaimMatch) -> [usize; 2]| {
                        merge_ranges(rs.iter().map(side).collect())
                    };
                    Pair {
                        similarity,
                        containment: rs.iter().map(|r| r.coverage).fold(0.0, f32::max),
                        kind: PairKind::Restated,
                        a: Side::new(pa, &union(|r| r.a)),
                        b: Side::new(pb, &union(|r| r.b)),
                        claims: rs
                            .iter()
                            .map(|r| ClaimMatch {
                                claim: r.claim,
                                a: char_span(&pa.passage.text, r.a),
                                b: char_span(&pb.passage.text, r.b),
                                score: r.score,
                                coverage: r.coverage,
                            })
                            .collect(),
                    }
                }
            });
        }
        Ok(DupesResponse {
            pairs,
            total,
            total_cross_doc,
            groups,
            passages: addrs.len(),
            candidates: n_candidates,
            claim_sentences,
            restated: n_restated,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }

    /// Check a pasted paragraph or a whole draft: for each of its paragraphs that reuses corpus
    /// text, the passages it reuses, with the matching stretches on both sides.
    pub fn check(&self, text: &str, min_similarity: f32) -> Result<CheckResponse> {
        self.check_cancellable(text, min_similarity, &Cancel::never())
    }

    /// [`Engine::check`], stopping with [`Error::Cancelled`] soon after `cancel` is set.
    pub fn check_cancellable(
        &self,
        text: &str,
        min_similarity: f32,
        cancel: &Cancel,
    ) -> Result<CheckResponse> {
        let started = std::time::Instant::now();
        fraction("min-similarity", min_similarity, DEFAULT_MIN_SIMILARITY)?;
        if text.len() > MAX_CHECK_BYTES {
            return Err(Error::Invalid(format!(
                "the text to check is {} bytes; the limit is {} bytes (check a draft in parts)",
                text.len(),
                MAX_CHECK_BYTES
            )));
        }
        let searcher = self.searcher();
        let mut matches = Vec::new();
        let (mut checked, mut reused) = (0, 0);
        // The input is read like a corpus document: a paragraph pasted from a PDF extraction
        // (hard-wrapped, hyphenated, with page headers) is one paragraph, as in the index.
        let doc = crate::model::Document {
            id: "input".into(),
            path: std::path::PathBuf::from("-"),
            record_line: None,
            title_hint: None,
            lang_hint: None,
            text: text.to_string(),
            encoding: "UTF-8",
        };
        for unit in crate::ingest::passages_of(&doc) {
            cancel.check()?;
            let para = unit.text.as_str();
            let [s, e] = unit.bytes;
            let words = fingerprint::words(para);
            if words.len() < fingerprint::MIN_WORDS {
                continue;
            }
            checked += 1;
            let fps = fingerprint::winnow(&fingerprint::shingles(&words));
            let mut terms: Vec<Box<dyn Query>> = Vec::new();
            for h in fps {
                let t = Term::from_field_u64(self.fields.fp, h);
                let df = searcher
                    .doc_freq(&t)
                    .map_err(|e| index_error(&self.dir, e))?;
                if df == 0 || df as usize > MAX_SHARED {
                    continue;
                }
                terms.push(Box::new(ConstScoreQuery::new(
                    Box::new(TermQuery::new(t, IndexRecordOption::Basic)),
                    1.0,
                )));
            }
            if terms.is_empty() {
                continue;
            }
            let q = BooleanQuery::new(terms.into_iter().map(|t| (Occur::Should, t)).collect());
            let top = searcher
                .search(&q, &TopDocs::with_limit(30).order_by_score())
                .map_err(|e| index_error(&self.dir, e))?;
            let mut found = false;
            for (_, addr) in top {
                cancel.check()?;
                let p = self.load(addr)?;
                let pw = fingerprint::words(&p.text);
                let al = align(&words, &pw);
                if !is_reuse(&al, min_similarity) {
                    continue;
                }
                found = true;
                matches.push(Match {
                    input_span: char_span(text, [s, e]),
                    input_text: unit.text.clone(),
                    input_spans: al.spans_a.iter().map(|&sp| char_span(para, sp)).collect(),
                    input_cited: !unit.citations.is_empty(),
                    similarity: al.similarity,
                    containment: al.containment,
                    spans: al
                        .spans_b
                        .iter()
                        .map(|&sp| char_span(&p.text, sp))
                        .collect(),
                    passage_id: p.id,
                    doc: p.doc,
                    title: p.title,
                    lines: p.lines,
                    text: p.text,
                    citations: p.citations,
                });
            }
            reused += usize::from(found);
        }
        matches.sort_by(|a, b| {
            a.input_span[0]
                .cmp(&b.input_span[0])
                .then(b.similarity.total_cmp(&a.similarity))
        });
        Ok(CheckResponse {
            matches,
            paragraphs: checked,
            reused,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }
}

fn passage_no(id: &str) -> usize {
    id.rsplit_once('#')
        .and_then(|(_, n)| n.parse().ok())
        .unwrap_or(0)
}

/// What `dupes` keeps of a candidate passage while aligning: its words and where it stands.
struct Light {
    id: String,
    doc: String,
    no: usize,
    words: Vec<Word>,
}

/// A pair found, by passage ids, the earlier passage first.
enum Found {
    Reuse(Alignment, u32, u32),
    Restated(Vec<ClaimMatch>, u32, u32),
}

impl Found {
    fn ids(&self) -> (u32, u32) {
        match self {
            Found::Reuse(_, x, y) | Found::Restated(_, x, y) => (*x, *y),
        }
    }

    fn similarity(&self) -> f32 {
        match self {
            Found::Reuse(al, _, _) => al.similarity,
            Found::Restated(rs, _, _) => rs.iter().map(|r| r.score).fold(0.0, f32::max),
        }
    }
}

/// `f` over `items` on `threads` threads, results in the order of `items`; the first error wins.
fn parallel<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let chunk = items.len().div_ceil(threads.max(1));
    let parts: Vec<Result<Vec<R>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| scope.spawn(|| c.iter().map(&f).collect::<Result<Vec<R>>>()))
            .collect();
        handles
            .into_iter()
            // A panic is our bug, not the user's request: it goes on up (the server answers
            // 500, the CLI exits 2), never as an error a client would be told to fix.
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut out = Vec::with_capacity(items.len());
    for p in parts {
        out.extend(p?);
    }
    Ok(out)
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
