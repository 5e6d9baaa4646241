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
    align, char_span, cites_meta, cites_sides, fraction, groups, merge_ranges, Alignment,
    ClaimMatch, DocumentPair, DupesProgress, DupesRequest, DupesResponse, DupesStep, Pair,
    PairKind, PairSide, Side, DEFAULT_MIN_SIMILARITY, MAX_SHARED,
};
use crate::error::Result;
use crate::index::Engine;
use crate::model::{Citation, DocMeta, Passage};
use crate::par;
use crate::search::cancel::Cancel;
use crate::search::claims::{self, Restatement, Sentence};
use crate::search::formula;
use crate::text::fingerprint::{self, Word};

/// Items per parallel batch of the long steps: between batches, progress is told and
/// `dupes` decides whether aligning more could change the list.
const CHUNK: usize = 16_384;

impl Engine {
    /// Passages that repeat or nearly repeat each other, most distinctive first.
    pub fn dupes(&self, req: &DupesRequest) -> Result<DupesResponse> {
        self.dupes_cancellable(req, &Cancel::never())
    }

    /// [`Engine::dupes`], stopping with [`crate::Error::Cancelled`] soon after `cancel` is set:
    /// on a large corpus it runs for minutes, long after a server stopped waiting for it.
    pub fn dupes_cancellable(&self, req: &DupesRequest, cancel: &Cancel) -> Result<DupesResponse> {
        self.dupes_observed(req, cancel, &|_| {})
    }

    /// [`Engine::dupes_cancellable`], telling `progress` how far the long steps are (a
    /// terminal shows a bar).
    pub fn dupes_observed(
        &self,
        req: &DupesRequest,
        cancel: &Cancel,
        progress: &(dyn Fn(DupesProgress) + Sync),
    ) -> Result<DupesResponse> {
        let started = std::time::Instant::now();
        let req = &req.effective();
        fraction("min-similarity", req.min_similarity, DEFAULT_MIN_SIMILARITY)?;
        fraction("min-claim", req.min_claim, claims::MIN_SCORE)?;
        let scan = self.scan_fingerprints(cancel)?;
        let formulaic = formulaic_passages(&scan.postings, scan.addrs.len());
        let candidates = candidate_pairs(&scan.postings, cancel)?;
        let found = Found {
            scan,
            formulaic,
            candidates,
        };
        self.dupes_among(found, req, cancel, progress, started)
    }

    /// `dupes` from its candidate pairs on: align them, on request add the restated claims
    /// and translations, rank and list. `req` is effective and checked.
    pub(super) fn dupes_among(
        &self,
        found: Found,
        req: &DupesRequest,
        cancel: &Cancel,
        progress: &(dyn Fn(DupesProgress) + Sync),
        started: std::time::Instant,
    ) -> Result<DupesResponse> {
        let Found {
            scan,
            formulaic,
            mut candidates,
        } = found;
        let left_out = |x: u32| !req.formulaic && formulaic[x as usize];
        candidates.retain(|c| req.aligns() && !left_out(c.x) && !left_out(c.y));
        let needed = needed_passages(req.claims, scan.addrs.len(), &candidates);
        let (words, sentences) =
            self.read_words(&scan.addrs, &needed, req.claims, cancel, progress)?;
        let pool = Pool { needed, words };
        let mut work = pool.align_candidates(&candidates, req, cancel, progress)?;
        let mut claim_counts = (None, None);
        if req.claims {
            let (counts, restated) = pool.restated(&sentences, &work.found, req, cancel)?;
            claim_counts = (Some(counts.0), Some(counts.1));
            work.found.extend(restated);
            work.found.retain(|f| !left_out(f.a) && !left_out(f.b));
        }
        if let Some(kind) = req.kind {
            work.found.retain(|f| f.kind() == kind);
        }
        pool.rank(&mut work.found);
        if req.translated {
            work.translated = self.translated_pairs(&scan.addrs, &left_out, req, cancel)?;
        }
        let listed = self.listed(&pool, &scan, &formulaic, &mut work, req, cancel)?;
        Ok(DupesResponse {
            passages: scan.addrs.len(),
            formulaic: formulaic.iter().filter(|&&f| f).count(),
            claim_sentences: claim_counts.0,
            restated: claim_counts.1,
            kind: req.kind,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            ..listed
        })
    }

    /// The answer's lists and counts from the pairs found: the pairs listed (at most the
    /// limit, loaded), all of them counted and grouped, and with `cross_doc` the document
    /// pairs of those listed.
    fn listed(
        &self,
        pool: &Pool,
        scan: &FingerprintScan,
        formulaic: &[bool],
        work: &mut Alignments,
        req: &DupesRequest,
        cancel: &Cancel,
    ) -> Result<DupesResponse> {
        let found = std::mem::take(&mut work.found);
        let translated = std::mem::take(&mut work.translated);
        let ids = found.iter().map(|f| (pool.id(f.a), pool.id(f.b)));
        let groups = groups(ids.chain(translated.iter().map(|p| p.ids())));
        let translated_total = translated.len();
        let total_cross_doc = found.iter().filter(|f| pool.cross_doc(f.a, f.b)).count()
            + translated
                .iter()
                .filter(|p| p.a.at.doc != p.b.at.doc)
                .count();
        let total = found.len() + translated_total;
        let limit = req.limit.unwrap_or(usize::MAX);
        let shown = Shown {
            addrs: &scan.addrs,
            formulaic,
            limit,
            cross_doc: req.cross_doc,
        };
        let mut pairs = self.load_pairs(found, &shown, pool, cancel)?;
        pairs.extend(translated);
        rank_pairs(&mut pairs);
        let documents = match req.cross_doc {
            true => document_pairs(&pairs, limit),
            false => Vec::new(),
        };
        pairs.truncate(limit);
        Ok(DupesResponse {
            pairs,
            total,
            total_cross_doc,
            groups,
            documents,
            candidates: work.aligned,
            skipped: work.skipped,
            exhaustive: work.skipped == 0,
            translated: req.translated.then_some(translated_total),
            ..DupesResponse::default()
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
        cancel: &Cancel,
        progress: &(dyn Fn(DupesProgress) + Sync),
    ) -> Result<(Vec<PassageWords>, Vec<Vec<Sentence>>)> {
        let mut read = Vec::with_capacity(needed.len());
        for chunk in needed.chunks(CHUNK) {
            progress(DupesProgress::new(
                DupesStep::Reading,
                read.len(),
                needed.len(),
            ));
            read.extend(par::try_map(chunk, par::threads(), |&id| {
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
            })?);
        }
        progress(DupesProgress::new(
            DupesStep::Reading,
            read.len(),
            needed.len(),
        ));
        Ok(read.into_iter().unzip())
    }

    /// The pairs to show, with their passages' text and citations (loaded once per passage,
    /// however many pairs it is in), and whether each side cites the other's document: the
    /// first `limit` of `found` (ranked), and with `cross_doc` every other pair of the same
    /// document pairs, which the document pairs count.
    fn load_pairs(
        &self,
        found: Vec<PairByIds>,
        to: &Shown,
        pool: &Pool,
        cancel: &Cancel,
    ) -> Result<Vec<Pair>> {
        let (addrs, limit) = (to.addrs, to.limit);
        let docs = |f: &PairByIds| pool.docs_of(f.a, f.b);
        let shown: FxHashSet<(&str, &str)> = match to.cross_doc {
            true => found.iter().take(limit).map(docs).collect(),
            false => FxHashSet::default(),
        };
        let mut loaded: FxHashMap<u32, LoadedPassage> = FxHashMap::default();
        let mut cites = CitesCache::default();
        let mut pairs = Vec::with_capacity(found.len().min(limit));
        for (rank, f) in found.into_iter().enumerate() {
            if rank >= limit && !shown.contains(&docs(&f)) {
                continue;
            }
            cancel.check()?;
            for id in [f.a, f.b] {
                if let Entry::Vacant(e) = loaded.entry(id) {
                    e.insert(LoadedPassage::new(self.load(addrs[id as usize])?));
                }
            }
            let (a, b) = (&loaded[&f.a], &loaded[&f.b]);
            let cited = [cites.of(self, a, b)?, cites.of(self, b, a)?];
            let formulaic = [to.formulaic[f.a as usize], to.formulaic[f.b as usize]];
            let mut pair = f.into_pair(a, b, cited);
            (pair.a.formulaic, pair.b.formulaic) = (formulaic[0], formulaic[1]);
            pairs.push(pair);
        }
        Ok(pairs)
    }
}

/// What of the pairs found is shown: at most `limit` (with `cross_doc` the other pairs of
/// their document pairs too), their passages at `addrs`, marked when `formulaic`.
struct Shown<'a> {
    addrs: &'a [DocAddress],
    formulaic: &'a [bool],
    limit: usize,
    cross_doc: bool,
}

/// Documents' metadata looked up once per document while pairs are loaded: whether a
/// passage cites the other side's document is asked for every pair.
#[derive(Default)]
struct CitesCache(FxHashMap<String, Option<DocMeta>>);

impl CitesCache {
    /// Whether passage `p` cites a work of the document of passage `other`.
    fn of(&mut self, engine: &Engine, p: &LoadedPassage, other: &LoadedPassage) -> Result<bool> {
        if p.citations.is_empty() {
            return Ok(false);
        }
        let doc = &other.passage.doc;
        if !self.0.contains_key(doc) {
            let meta = engine.document(doc)?.map(|d| d.meta);
            self.0.insert(doc.clone(), meta);
        }
        Ok(self.0[doc]
            .as_ref()
            .is_some_and(|m| cites_meta(&p.citations, m)))
    }
}

/// Pairs most distinctive first, then most similar; ties by the passage ids, so the order is
/// the same on every run.
fn rank_pairs(pairs: &mut [Pair]) {
    pairs.sort_by(|p, q| {
        q.distinctive
            .total_cmp(&p.distinctive)
            .then(q.similarity.total_cmp(&p.similarity))
            .then_with(|| p.ids().cmp(&q.ids()))
    });
}

/// The document pairs of the first `limit` pairs, each with every pair of `pairs` between
/// its two documents counted, most distinctive shared text first.
fn document_pairs(pairs: &[Pair], limit: usize) -> Vec<DocumentPair> {
    let key = |p: &Pair| (p.a.at.doc.clone(), p.b.at.doc.clone());
    let shown: FxHashSet<(String, String)> = pairs.iter().take(limit).map(key).collect();
    let mut by: BTreeMap<(String, String), DocumentPair> = BTreeMap::new();
    for p in pairs.iter().filter(|p| shown.contains(&key(p))) {
        by.entry(key(p))
            .or_insert_with(|| DocumentPair::new(p))
            .add(p);
    }
    let mut out: Vec<DocumentPair> = by.into_values().map(DocumentPair::finish).collect();
    out.sort_by(|x, y| {
        y.distinctive
            .total_cmp(&x.distinctive)
            .then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b)))
    });
    out
}

/// Every passage with fingerprints (its address, by its number in the run) and every
/// (fingerprint, passage number) of the index.
#[derive(Default)]
pub(super) struct FingerprintScan {
    pub(super) addrs: Vec<DocAddress>,
    pub(super) postings: Vec<(u64, u32)>,
}

/// What `dupes` aligns: the passages scanned, which of them are formulaic, and the pairs of
/// them sharing fingerprints (from the whole index, or given: [`super::given`]).
pub(super) struct Found {
    pub(super) scan: FingerprintScan,
    pub(super) formulaic: Vec<bool>,
    pub(super) candidates: Vec<Candidate>,
}

/// Two passages sharing fingerprints, by their numbers in the scan (`x < y`), and how
/// distinctive what they share is.
#[derive(Debug, Clone, Copy)]
pub(super) struct Candidate {
    pub(super) x: u32,
    pub(super) y: u32,
    /// The mean rarity of the fingerprints they share, 0–1 ([`rarity`]).
    pub(super) rarity: f32,
}

/// How much a fingerprint held by `n` passages says about any one pair of them: 1 when only
/// the two share it, `1 / (n − 1)` when each of them shares it with `n − 1` others. A
/// template sentence of ten decisions counts a tenth as much as a paragraph two works share.
pub(super) fn rarity(n: usize) -> f32 {
    1.0 / n.saturating_sub(1).max(1) as f32
}

/// Pairs of passages sharing a fingerprint, sorted, with the rarity of what they share;
/// fingerprints in more than [`MAX_SHARED`] passages are boilerplate and pair nothing. One
/// shared fingerprint is enough: a pair whose only shared run of five words is the one a
/// reworded copy left intact is still aligned.
fn candidate_pairs(postings: &[(u64, u32)], cancel: &Cancel) -> Result<Vec<Candidate>> {
    let mut shared: FxHashMap<(u32, u32), (u32, f32)> = FxHashMap::default();
    for (seen, run) in postings.chunk_by(|a, b| a.0 == b.0).enumerate() {
        if seen.is_multiple_of(1024) {
            cancel.check()?;
        }
        let mut ids: Vec<u32> = run.iter().map(|&(_, id)| id).collect();
        ids.dedup();
        if !(2..=MAX_SHARED).contains(&ids.len()) {
            continue;
        }
        let weight = rarity(ids.len());
        for (i, &x) in ids.iter().enumerate() {
            for &y in &ids[i + 1..] {
                let e = shared.entry((x, y)).or_default();
                *e = (e.0 + 1, e.1 + weight);
            }
        }
    }
    let mut candidates: Vec<Candidate> = shared
        .into_iter()
        .map(|((x, y), (n, sum))| Candidate {
            x,
            y,
            rarity: sum / n as f32,
        })
        .collect();
    candidates.sort_unstable_by_key(|c| (c.x, c.y));
    Ok(candidates)
}

/// Which passages (by number in the scan) are formulaic ([`formula::is_formulaic`]): the
/// fingerprints the scan holds sorted are counted in runs, each passage once per run.
fn formulaic_passages(postings: &[(u64, u32)], passages: usize) -> Vec<bool> {
    let marks = postings.chunk_by(|a, b| a.0 == b.0).flat_map(|run| {
        let mut ids: Vec<u32> = run.iter().map(|&(_, id)| id).collect();
        ids.dedup();
        let is_common = ids.len() as u64 >= formula::FORMULA_PASSAGES;
        ids.into_iter().map(move |id| (id, is_common))
    });
    fingerprint::formulaic_of(passages, marks)
}

/// The passages whose words are needed: those of the candidate pairs, or with claims every
/// passage (a claim may be restated by a passage it shares no fingerprint with).
fn needed_passages(claims: bool, passages: usize, candidates: &[Candidate]) -> Vec<u32> {
    if claims {
        return (0..passages as u32).collect();
    }
    let mut v: Vec<u32> = candidates.iter().flat_map(|c| [c.x, c.y]).collect();
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

    /// Align the candidate pairs, in parallel, those that could share the most distinctive
    /// text first; the pairs that are reuse. With a limit (and neither `count_all` nor
    /// `claims`) it stops
    /// once no pair left could rank among the first `limit`: the list is the same as after
    /// aligning them all, in a fraction of the time. With `cross_doc` the pairs left between
    /// the documents of those listed are aligned too, so their document pairs count them all.
    fn align_candidates(
        &self,
        candidates: &[Candidate],
        req: &DupesRequest,
        cancel: &Cancel,
        progress: &(dyn Fn(DupesProgress) + Sync),
    ) -> Result<Alignments> {
        let order = self.by_bound(candidates, req.cross_doc);
        // Restated claims are looked for beside the reuse pairs, among pairs not aligned as
        // reuse: a pair the cut left unaligned would be taken for a restatement.
        let cut = req.limit.filter(|_| !req.count_all && !req.claims);
        let (mut found, mut aligned) = (Vec::new(), 0);
        for chunk in order.chunks(CHUNK) {
            progress(DupesProgress::new(
                DupesStep::Aligning,
                aligned,
                order.len(),
            ));
            let bar = cut.and_then(|k| kth_best(&found, k));
            if bar.is_some_and(|bar| chunk[0].0 < bar) {
                break;
            }
            let ids: Vec<u32> = chunk.iter().map(|&(_, i)| i).collect();
            found.extend(self.align_all(&ids, candidates, req, cancel)?);
            aligned += chunk.len();
        }
        progress(DupesProgress::new(
            DupesStep::Aligning,
            order.len(),
            order.len(),
        ));
        let mut rest: Vec<u32> = order[aligned..].iter().map(|&(_, i)| i).collect();
        if req.cross_doc && !rest.is_empty() {
            let shown = self.document_pairs_of(&mut found, req.limit.unwrap_or(usize::MAX));
            rest.retain(|&i| {
                shown.contains(&self.docs_of(candidates[i as usize].x, candidates[i as usize].y))
            });
            found.extend(self.align_all(&rest, candidates, req, cancel)?);
            aligned += rest.len();
        }
        Ok(Alignments {
            found,
            translated: Vec::new(),
            aligned,
            skipped: order.len() - aligned,
        })
    }

    /// The candidates to align (with `cross_doc` only those joining two documents), as
    /// (bound, index in `candidates`), the highest bound first. The bound is the most
    /// distinctive text the pair could share: all the words of the shorter passage, weighted
    /// by the rarity of their shared fingerprints.
    fn by_bound(&self, candidates: &[Candidate], cross_doc: bool) -> Vec<(f32, u32)> {
        let mut order: Vec<(f32, u32)> = candidates
            .iter()
            .enumerate()
            .filter(|(_, c)| !cross_doc || self.cross_doc(c.x, c.y))
            .map(|(i, c)| {
                let shorter = self.at(c.x).words.len().min(self.at(c.y).words.len());
                (shorter as f32 * c.rarity, i as u32)
            })
            .collect();
        order.sort_unstable_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)));
        order
    }

    /// The candidates numbered `ids` aligned in parallel; those that are reuse.
    fn align_all(
        &self,
        ids: &[u32],
        candidates: &[Candidate],
        req: &DupesRequest,
        cancel: &Cancel,
    ) -> Result<Vec<PairByIds>> {
        let aligned = par::try_map(ids, par::threads(), |&i| {
            cancel.check()?;
            Ok(self.align_one(&candidates[i as usize], req))
        })?;
        Ok(aligned.into_iter().flatten().collect())
    }

    /// One candidate aligned word by word: a pair when it is reuse at `min_similarity`.
    fn align_one(&self, c: &Candidate, req: &DupesRequest) -> Option<PairByIds> {
        let (a, b) = self.ordered(c.x, c.y);
        let al = align(&self.at(a).words, &self.at(b).words);
        if al.similarity.max(al.containment) < req.min_similarity || al.spans_a.is_empty() {
            return None;
        }
        let shared = al.words_a.min(al.words_b);
        Some(PairByIds {
            a,
            b,
            shared,
            distinctive: shared as f32 * c.rarity,
            evidence: Evidence::Reuse(al),
        })
    }

    /// The documents of passages `x` and `y`, in name order: what names a document pair.
    fn docs_of(&self, x: u32, y: u32) -> (&str, &str) {
        let (x, y) = (self.at(x).doc.as_str(), self.at(y).doc.as_str());
        (x.min(y), x.max(y))
    }

    /// The document pairs (in name order) of the first `limit` of `found`, which it ranks.
    fn document_pairs_of(&self, found: &mut [PairByIds], limit: usize) -> FxHashSet<(&str, &str)> {
        self.rank(found);
        found
            .iter()
            .take(limit)
            .map(|f| self.docs_of(f.a, f.b))
            .collect()
    }

    /// Restated claims ([`claims`]) for the pairs of passages reuse did not pair already
    /// (`reused`); also the claim sentences compared and the claims restated. `sentences` is
    /// indexed by passage number (with claims every passage is needed).
    fn restated(
        &self,
        sentences: &[Vec<Sentence>],
        reused: &[PairByIds],
        req: &DupesRequest,
        cancel: &Cancel,
    ) -> Result<((usize, usize), Vec<PairByIds>)> {
        let threads = par::threads();
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
        let pairs = by_pair.into_iter().map(|((a, b), rs)| {
            let matches: Vec<ClaimMatch> =
                rs.iter().map(|r| claim_match(sentences, r, a)).collect();
            let words: Vec<usize> = matches.iter().map(|m| self.claim_words(m, a, b)).collect();
            PairByIds {
                a,
                b,
                shared: words.iter().sum(),
                distinctive: words
                    .iter()
                    .zip(&matches)
                    .map(|(&n, m)| n as f32 * m.score)
                    .sum(),
                evidence: Evidence::Restated(matches),
            }
        });
        Ok((counts, pairs.collect()))
    }

    /// Content words of the claim sentence of a restatement between passages `a` and `b`.
    fn claim_words(&self, m: &ClaimMatch, a: u32, b: u32) -> usize {
        let (passage, [s, e]) = match m.claim {
            PairSide::A => (a, m.a),
            PairSide::B => (b, m.b),
        };
        let words = &self.at(passage).words;
        words.iter().filter(|w| w.start >= s && w.end <= e).count()
    }

    /// Most distinctive first, then most similar; ties by the passage ids, so the order is
    /// the same on every run.
    fn rank(&self, found: &mut [PairByIds]) {
        found.sort_by(|p, q| {
            q.distinctive
                .total_cmp(&p.distinctive)
                .then(q.similarity().total_cmp(&p.similarity()))
                .then_with(|| self.id(p.a).cmp(self.id(q.a)))
                .then_with(|| self.id(p.b).cmp(self.id(q.b)))
        });
    }
}

/// The `limit`-th highest distinctive share of `found`, once there are that many: the bar a
/// pair must pass to be listed.
fn kth_best(found: &[PairByIds], limit: usize) -> Option<f32> {
    if limit == 0 || found.len() < limit {
        return None;
    }
    let mut scores: Vec<f32> = found.iter().map(|f| f.distinctive).collect();
    let (_, kth, _) = scores.select_nth_unstable_by(limit - 1, |p, q| q.total_cmp(p));
    Some(*kth)
}

/// What aligning the candidates found, and how much work it took; with the translations
/// found beside them.
struct Alignments {
    found: Vec<PairByIds>,
    translated: Vec<Pair>,
    /// Candidate pairs aligned.
    aligned: usize,
    /// Candidate pairs left unaligned: none of them could be listed.
    skipped: usize,
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
    /// [`Pair::shared_words`].
    shared: usize,
    /// [`Pair::distinctive`].
    distinctive: f32,
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
    fn into_pair(self, pa: &LoadedPassage, pb: &LoadedPassage, cited: [bool; 2]) -> Pair {
        let similarity = self.similarity();
        let (shared_words, distinctive) = (self.shared, self.distinctive);
        let cites_other = cites_sides(cited);
        match self.evidence {
            Evidence::Reuse(al) => Pair {
                similarity,
                containment: al.containment,
                kind: PairKind::Reuse,
                a: Side::new(pa, &al.spans_a),
                b: Side::new(pb, &al.spans_b),
                claims: Vec::new(),
                sentences: Vec::new(),
                shared_words,
                distinctive,
                cites_other,
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
                    shared_words,
                    distinctive,
                    cites_other,
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
