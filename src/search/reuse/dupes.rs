//! `dupes`: every pair of passages of the index that repeat each other, in steps: read the
//! fingerprints, pair passages sharing some ([`candidate_pairs`]), cut the passages of those
//! pairs into words, align each pair, on request add the restated claims, rank, and load the
//! text of the pairs shown.
//!
//! Passages are named by their number in the run (`u32`, an index into the addresses of
//! [`FingerprintScan`]) until the pairs shown are loaded: a large corpus has millions of
//! candidate pairs, and a number is all a pair needs to carry until then.

use std::collections::hash_map::Entry;
use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::DocAddress;

use super::{
    align, char_span, fraction, groups, merge_ranges, Alignment, ClaimMatch, DupesRequest,
    DupesResponse, Pair, PairKind, PairSide, Side, DEFAULT_MIN_SIMILARITY, MAX_SHARED,
};
use crate::error::Result;
use crate::index::Engine;
use crate::model::{Citation, Passage};
use crate::par;
use crate::search::cancel::Cancel;
use crate::search::claims::{self, Restatement, Sentence};
use crate::search::formula;
use crate::text::fingerprint::{self, Word};

impl Engine {
    /// Passages that repeat or nearly repeat each other, most similar first.
    pub fn dupes(&self, req: &DupesRequest) -> Result<DupesResponse> {
        self.dupes_cancellable(req, &Cancel::never())
    }

    /// [`Engine::dupes`], stopping with [`crate::Error::Cancelled`] soon after `cancel` is set:
    /// on a large corpus it runs for minutes, long after a server stopped waiting for it.
    pub fn dupes_cancellable(&self, req: &DupesRequest, cancel: &Cancel) -> Result<DupesResponse> {
        let started = std::time::Instant::now();
        let req = &req.effective();
        fraction("min-similarity", req.min_similarity, DEFAULT_MIN_SIMILARITY)?;
        fraction("min-claim", req.min_claim, claims::MIN_SCORE)?;
        let scan = self.scan_fingerprints(cancel)?;
        let formulaic = formulaic_passages(&scan.postings, scan.addrs.len());
        let left_out = |x: u32| !req.formulaic && formulaic[x as usize];
        let mut candidates = candidate_pairs(&scan.postings, cancel)?;
        candidates.retain(|&(x, y)| req.aligns() && !left_out(x) && !left_out(y));
        let threads = par::threads();
        let needed = needed_passages(req.claims, scan.addrs.len(), &candidates);
        let (words, sentences) =
            self.read_words(&scan.addrs, &needed, req.claims, threads, cancel)?;
        let pool = Pool { needed, words };
        let mut found = pool.align_candidates(&candidates, req, threads, cancel)?;
        let mut claim_counts = (None, None);
        if req.claims {
            let (counts, restated) = pool.restated(&sentences, &found, req, threads, cancel)?;
            claim_counts = (Some(counts.0), Some(counts.1));
            found.extend(restated);
            found.retain(|f| !left_out(f.a) && !left_out(f.b));
        }
        if let Some(kind) = req.kind {
            found.retain(|f| f.kind() == kind);
        }
        pool.rank(&mut found);
        let translated = match req.translated {
            true => self.translated_pairs(&scan.addrs, &left_out, req, cancel)?,
            false => Vec::new(),
        };
        let ids = found.iter().map(|f| (pool.id(f.a), pool.id(f.b)));
        let groups = groups(ids.chain(translated.iter().map(|p| p.ids())));
        let translated_total = translated.len();
        let total = found.len() + translated_total;
        let total_cross_doc = found.iter().filter(|f| pool.cross_doc(f.a, f.b)).count()
            + translated
                .iter()
                .filter(|p| p.a.at.doc != p.b.at.doc)
                .count();
        let limit = req.limit.unwrap_or(usize::MAX);
        found.truncate(limit);
        let mut pairs = self.load_pairs(found, &scan.addrs, cancel)?;
        if !translated.is_empty() {
            pairs.extend(translated);
            pairs.sort_by(|p, q| {
                q.similarity
                    .total_cmp(&p.similarity)
                    .then(p.ids().cmp(&q.ids()))
            });
            pairs.truncate(limit);
        }
        Ok(DupesResponse {
            pairs,
            total,
            total_cross_doc,
            groups,
            passages: scan.addrs.len(),
            formulaic: formulaic.iter().filter(|&&f| f).count(),
            candidates: candidates.len(),
            claim_sentences: claim_counts.0,
            restated: claim_counts.1,
            translated: req.translated.then_some(translated_total),
            kind: req.kind,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }

    /// Every (fingerprint, passage) of the index, from the fast field, sorted by fingerprint.
    fn scan_fingerprints(&self, cancel: &Cancel) -> Result<FingerprintScan> {
        let searcher = self.searcher();
        let mut scan = FingerprintScan::default();
        for (ord, seg) in searcher.segment_readers().iter().enumerate() {
            let col = self.fast_u64(seg, self.fields.fp)?;
            let alive = seg.alive_bitset();
            for doc in 0..seg.max_doc() {
                if doc.is_multiple_of(4096) {
                    cancel.check()?;
                }
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                let id = scan.addrs.len() as u32;
                let before = scan.postings.len();
                scan.postings
                    .extend(col.values_for_doc(doc).map(|h| (h, id)));
                if scan.postings.len() > before {
                    scan.addrs.push(DocAddress::new(ord as u32, doc));
                }
            }
        }
        scan.postings.sort_unstable();
        Ok(scan)
    }

    /// The words of the `needed` passages (and with claims their sentences), read and cut
    /// once, in parallel: a passage is in many candidate pairs.
    fn read_words(
        &self,
        addrs: &[DocAddress],
        needed: &[u32],
        with_sentences: bool,
        threads: usize,
        cancel: &Cancel,
    ) -> Result<(Vec<PassageWords>, Vec<Vec<Sentence>>)> {
        let read = par::try_map(needed, threads, |&id| {
            cancel.check()?;
            let p = self.load(addrs[id as usize])?;
            let words = fingerprint::words(&p.text);
            let sentences = if with_sentences {
                let cites: Vec<[usize; 2]> = p.citations.iter().map(|c| c.span).collect();
                claims::sentences(&p.text, &words, &cites)
            } else {
                Vec::new()
            };
            Ok((PassageWords::new(p, words), sentences))
        })?;
        Ok(read.into_iter().unzip())
    }

    /// The pairs shown, with their passages' text and citations (loaded once per passage,
    /// however many pairs it is in).
    fn load_pairs(
        &self,
        found: Vec<PairByIds>,
        addrs: &[DocAddress],
        cancel: &Cancel,
    ) -> Result<Vec<Pair>> {
        let mut loaded: FxHashMap<u32, LoadedPassage> = FxHashMap::default();
        let mut pairs = Vec::with_capacity(found.len());
        for f in found {
            cancel.check()?;
            for id in [f.a, f.b] {
                if let Entry::Vacant(e) = loaded.entry(id) {
                    e.insert(LoadedPassage::new(self.load(addrs[id as usize])?));
                }
            }
            let (a, b) = (f.a, f.b);
            pairs.push(f.into_pair(&loaded[&a], &loaded[&b]));
        }
        Ok(pairs)
    }
}

/// Every passage with fingerprints (its address, by its number in the run) and every
/// (fingerprint, passage number) of the index.
#[derive(Default)]
struct FingerprintScan {
    addrs: Vec<DocAddress>,
    postings: Vec<(u64, u32)>,
}

/// Pairs of passages sharing a fingerprint, sorted; fingerprints in more than [`MAX_SHARED`]
/// passages are boilerplate and pair nothing. One shared fingerprint is enough: a pair whose
/// only shared run of five words is the one a reworded copy left intact is still aligned.
fn candidate_pairs(postings: &[(u64, u32)], cancel: &Cancel) -> Result<Vec<(u32, u32)>> {
    let mut shared: FxHashSet<(u32, u32)> = FxHashSet::default();
    let mut i = 0;
    let mut seen: u32 = 0;
    while i < postings.len() {
        seen = seen.wrapping_add(1);
        if seen.is_multiple_of(1024) {
            cancel.check()?;
        }
        let h = postings[i].0;
        let j = i + postings[i..].partition_point(|p| p.0 == h);
        if (2..=MAX_SHARED).contains(&(j - i)) {
            for x in i..j {
                for y in x + 1..j {
                    shared.insert((postings[x].1, postings[y].1));
                }
            }
        }
        i = j;
    }
    let mut candidates: Vec<(u32, u32)> = shared.into_iter().collect();
    candidates.sort_unstable();
    Ok(candidates)
}

/// Which passages (by number in the scan) are formulaic ([`formula::is_formulaic`]): the
/// fingerprints the scan holds sorted are counted in runs, each passage once per run.
fn formulaic_passages(postings: &[(u64, u32)], passages: usize) -> Vec<bool> {
    let (mut total, mut common) = (vec![0usize; passages], vec![0usize; passages]);
    for run in postings.chunk_by(|a, b| a.0 == b.0) {
        let mut ids: Vec<u32> = run.iter().map(|&(_, id)| id).collect();
        ids.dedup();
        let is_common = ids.len() as u64 >= formula::FORMULA_PASSAGES;
        for id in ids {
            total[id as usize] += 1;
            common[id as usize] += usize::from(is_common);
        }
    }
    total
        .into_iter()
        .zip(common)
        .map(|(t, c)| formula::is_formulaic(t, c))
        .collect()
}

/// The passages whose words are needed: those of the candidate pairs, or with claims every
/// passage (a claim may be restated by a passage it shares no fingerprint with).
fn needed_passages(claims: bool, passages: usize, candidates: &[(u32, u32)]) -> Vec<u32> {
    if claims {
        return (0..passages as u32).collect();
    }
    let mut v: Vec<u32> = candidates.iter().flat_map(|&(x, y)| [x, y]).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// What `dupes` keeps of a passage while aligning: its content words and where it stands.
struct PassageWords {
    id: String,
    doc: String,
    /// Its number in its document (`doc#n`).
    no: usize,
    words: Vec<Word>,
}

impl PassageWords {
    fn new(p: Passage, words: Vec<Word>) -> PassageWords {
        PassageWords {
            no: passage_no(&p.id),
            id: p.id,
            doc: p.doc,
            words,
        }
    }
}

pub(super) fn passage_no(id: &str) -> usize {
    id.rsplit_once('#')
        .and_then(|(_, n)| n.parse().ok())
        .unwrap_or(0)
}

/// The words of the needed passages, by passage number.
struct Pool {
    /// Passage numbers, sorted; `words[i]` is of `needed[i]`.
    needed: Vec<u32>,
    words: Vec<PassageWords>,
}

impl Pool {
    /// The words of passage `n`. Every passage of a candidate pair was loaded
    /// (`needed_passages`), so a miss is a bug: it panics (an internal error, see [`crate::par`])
    /// rather than answer with another passage's words.
    fn at(&self, n: u32) -> &PassageWords {
        let k = self.needed.binary_search(&n);
        &self.words[k.expect("every passage of a candidate pair is loaded")]
    }

    fn id(&self, n: u32) -> &str {
        &self.at(n).id
    }

    fn cross_doc(&self, x: u32, y: u32) -> bool {
        self.at(x).doc != self.at(y).doc
    }

    /// Document order within a pair, the earlier passage first: the alignment is not
    /// symmetric, and the index's order differs between builds.
    fn ordered(&self, x: u32, y: u32) -> (u32, u32) {
        let (pa, pb) = (self.at(x), self.at(y));
        if (pa.doc.as_str(), pa.no) <= (pb.doc.as_str(), pb.no) {
            (x, y)
        } else {
            (y, x)
        }
    }

    /// Align every candidate pair, in parallel; the pairs that are reuse.
    fn align_candidates(
        &self,
        candidates: &[(u32, u32)],
        req: &DupesRequest,
        threads: usize,
        cancel: &Cancel,
    ) -> Result<Vec<PairByIds>> {
        let aligned = par::try_map(candidates, threads, |&(x, y)| {
            cancel.check()?;
            if req.cross_doc && !self.cross_doc(x, y) {
                return Ok(None);
            }
            let (a, b) = self.ordered(x, y);
            let al = align(&self.at(a).words, &self.at(b).words);
            if al.similarity.max(al.containment) < req.min_similarity || al.spans_a.is_empty() {
                return Ok(None);
            }
            Ok(Some(PairByIds {
                a,
                b,
                evidence: Evidence::Reuse(al),
            }))
        })?;
        Ok(aligned.into_iter().flatten().collect())
    }

    /// Restated claims ([`claims`]) for the pairs of passages reuse did not pair already
    /// (`reused`); also the claim sentences compared and the claims restated. `sentences` is
    /// indexed by passage number (with claims every passage is needed).
    fn restated(
        &self,
        sentences: &[Vec<Sentence>],
        reused: &[PairByIds],
        req: &DupesRequest,
        threads: usize,
        cancel: &Cancel,
    ) -> Result<((usize, usize), Vec<PairByIds>)> {
        let claim_sentences = sentences.iter().flatten().filter(|s| s.is_claim()).count();
        let freq = claims::Frequencies::of(sentences.iter().map(Vec::as_slice));
        // The passage a claim restates best is the same with --cross-doc or without: only its
        // report is left out.
        let allow = |x: usize, y: usize| {
            let (pa, pb) = (self.at(x as u32), self.at(y as u32));
            pa.doc != pb.doc || pa.no.abs_diff(pb.no) >= claims::MIN_GAP
        };
        let mut restated =
            claims::restatements(sentences, &freq, req.min_claim, allow, threads, cancel)?;
        if req.cross_doc {
            restated.retain(|r| self.cross_doc(r.claim.0 as u32, r.target.0 as u32));
        }
        let counts = (claim_sentences, restated.len());
        let reused: FxHashSet<(u32, u32)> = reused.iter().map(|f| (f.a, f.b)).collect();
        let mut by_pair: BTreeMap<(u32, u32), Vec<Restatement>> = BTreeMap::new();
        for r in restated {
            let key = self.ordered(r.claim.0 as u32, r.target.0 as u32);
            if !reused.contains(&key) {
                by_pair.entry(key).or_default().push(r);
            }
        }
        let pairs = by_pair.into_iter().map(|((a, b), rs)| PairByIds {
            a,
            b,
            evidence: Evidence::Restated(rs.iter().map(|r| claim_match(sentences, r, a)).collect()),
        });
        Ok((counts, pairs.collect()))
    }

    /// Most similar first; ties by the passage ids, so the order is the same on every run.
    fn rank(&self, found: &mut [PairByIds]) {
        found.sort_by(|p, q| {
            q.similarity()
                .total_cmp(&p.similarity())
                .then_with(|| self.id(p.a).cmp(self.id(q.a)))
                .then_with(|| self.id(p.b).cmp(self.id(q.b)))
        });
    }
}

/// A restatement as the spans of a pair whose first passage is `a` (byte offsets until the
/// texts are loaded): the claim sentence on its side, the sentences holding it on the other.
fn claim_match(sentences: &[Vec<Sentence>], r: &Restatement, a: u32) -> ClaimMatch {
    let claim = sentences[r.claim.0][r.claim.1].span;
    let target = &sentences[r.target.0];
    let held = [
        target[r.target.1.start].span[0],
        target[r.target.1.end - 1].span[1],
    ];
    let claim_in_a = r.claim.0 as u32 == a;
    let (span_a, span_b) = if claim_in_a {
        (claim, held)
    } else {
        (held, claim)
    };
    ClaimMatch {
        claim: if claim_in_a { PairSide::A } else { PairSide::B },
        a: span_a,
        b: span_b,
        score: r.score.score,
        coverage: r.score.coverage,
    }
}

/// A pair found, by passage numbers, the earlier passage first, with what pairs them.
struct PairByIds {
    a: u32,
    b: u32,
    evidence: Evidence,
}

/// Why two passages are paired, before their texts are loaded.
enum Evidence {
    /// Runs of the same words.
    Reuse(Alignment),
    /// Claims of one restated by the other (spans in bytes).
    Restated(Vec<ClaimMatch>),
}

impl PairByIds {
    fn kind(&self) -> PairKind {
        match self.evidence {
            Evidence::Reuse(_) => PairKind::Reuse,
            Evidence::Restated(_) => PairKind::Restated,
        }
    }

    fn similarity(&self) -> f32 {
        match &self.evidence {
            Evidence::Reuse(al) => al.similarity,
            Evidence::Restated(rs) => rs.iter().map(|r| r.score).fold(0.0, f32::max),
        }
    }

    /// The pair as the answer shows it, its spans in characters of the loaded texts.
    fn into_pair(self, pa: &LoadedPassage, pb: &LoadedPassage) -> Pair {
        let similarity = self.similarity();
        match self.evidence {
            Evidence::Reuse(al) => Pair {
                similarity,
                containment: al.containment,
                kind: PairKind::Reuse,
                a: Side::new(pa, &al.spans_a),
                b: Side::new(pb, &al.spans_b),
                claims: Vec::new(),
                sentences: Vec::new(),
                cites_other: Vec::new(),
            },
            Evidence::Restated(rs) => {
                let union = |side: fn(&ClaimMatch) -> [usize; 2]| {
                    merge_ranges(rs.iter().map(side).collect())
                };
                Pair {
                    similarity,
                    containment: rs.iter().map(|r| r.coverage).fold(0.0, f32::max),
                    kind: PairKind::Restated,
                    a: Side::new(pa, &union(|r| r.a)),
                    b: Side::new(pb, &union(|r| r.b)),
                    claims: rs.iter().map(|r| r.in_chars(pa, pb)).collect(),
                    sentences: Vec::new(),
                    cites_other: Vec::new(),
                }
            }
        }
    }
}

impl ClaimMatch {
    /// The same match with its byte spans as character offsets in the two texts.
    fn in_chars(&self, pa: &LoadedPassage, pb: &LoadedPassage) -> ClaimMatch {
        ClaimMatch {
            a: char_span(&pa.passage.text, self.a),
            b: char_span(&pb.passage.text, self.b),
            ..self.clone()
        }
    }
}

/// A passage of the pairs shown, loaded once however many pairs it is in; its text and
/// citations are shared by all of them ([`Side::text`]).
pub(super) struct LoadedPassage {
    pub(super) passage: Passage,
    pub(super) text: std::sync::Arc<str>,
    pub(super) citations: std::sync::Arc<[Citation]>,
}

impl LoadedPassage {
    pub(super) fn new(passage: Passage) -> LoadedPassage {
        LoadedPassage {
            text: passage.text.as_str().into(),
            citations: passage.citations.as_slice().into(),
            passage,
        }
    }
}
