//! Restated claims: a sentence that says again, in other words, what another passage says (a
//! conclusion restating the body), which word alignment cannot see because few runs of words
//! survive a paraphrase.
//!
//! A passage is cut into sentences; a sentence becomes the set of its content stems (the
//! stemmed, function-word-free words of [`crate::text::fingerprint::words`]), words inside
//! citations left out: two sentences citing the same work share the names, not the claim.
//! Stems weigh their rarity among the passages compared (inverse passage frequency), so the
//! subject every passage of a thesis shares weighs little and the names, numbers and uncommon
//! words that carry a particular claim weigh much.
//!
//! A claim sentence is compared with every run of up to [`WINDOW`] consecutive sentences of
//! another passage, since a restatement often condenses two or three sentences into one. The
//! score ([`score`]) is the geometric mean of how much of the claim the run covers and the
//! cosine of the two: coverage alone would let a long run match any short claim, the cosine
//! alone would miss a one-sentence summary of a long run. Each claim keeps only its best
//! passage, the one it restates; the others on the same subject are echoes. Candidates are
//! passages sharing [`MIN_RARE`] rare stems with the claim, found through those stems' postings,
//! so the work grows with the corpus, not with its square. Pure functions only.

use std::ops::Range;

use rustc_hash::FxHashMap;

use crate::error::Result;
use crate::par;
use crate::search::cancel::Cancel;
use crate::text::fingerprint::Word;
use crate::text::sentence::sentence_ends;

/// A claim sentence needs this many distinct content stems: shorter ones (a figure number, a
/// transition such as `Perkembangan positif ini juga tercermin di lembaga yudikatif.`) carry no
/// claim of their own to compare.
pub const MIN_STEMS: usize = 6;
/// Longer "sentences" are tables or run-on lists, not one claim.
pub const MAX_STEMS: usize = 80;
/// A stem in more passages than this is too common to propose a candidate (it still counts in
/// the score).
pub const MAX_DF: u32 = 60;
/// Rare stems a claim and a passage must share to be compared.
pub const MIN_RARE: usize = 3;
/// Consecutive sentences of the other passage a claim is compared with.
pub const WINDOW: usize = 3;
/// Score from which a claim restates a passage. Measured on the seed corpus's 001 against 000
/// (`tests/it/claims_seed.rs`, answer key `tests/data/claims/000-001.json`).
pub const MIN_SCORE: f32 = 0.25;
/// Within one document, passages closer than this are one argument going on, not a restatement.
pub const MIN_GAP: usize = 3;

/// A sentence of a passage, as the claim matcher sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    /// Byte span in the passage text.
    pub span: [usize; 2],
    /// Distinct content stems (hashes), sorted.
    pub stems: Vec<u64>,
}

impl Sentence {
    /// Whether the sentence is long enough to be compared as a claim.
    pub fn is_claim(&self) -> bool {
        (MIN_STEMS..=MAX_STEMS).contains(&self.stems.len())
    }
}

/// Byte spans of the sentences of `text`, trimmed; abbreviations, initials and decimal numbers
/// do not end a sentence (the splitter long passages are cut with).
pub fn sentence_spans(text: &str) -> Vec<[usize; 2]> {
    let mut out = Vec::new();
    let mut start = 0;
    for end in sentence_ends(text).into_iter().chain([text.len()]) {
        if end <= start {
            continue;
        }
        let piece = &text[start..end];
        let lead = piece.len() - piece.trim_start().len();
        let trail = piece.len() - piece.trim_end().len();
        if lead + trail < piece.len() {
            out.push([start + lead, end - trail]);
        }
        start = end;
    }
    out
}

/// The sentences of a passage, every one (short ones are part of the runs a claim is compared
/// with): `words` are its content words ([`crate::text::fingerprint::words`]), `skip` byte
/// spans whose words do not count (citations).
pub fn sentences(text: &str, words: &[Word], skip: &[[usize; 2]]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut w = 0;
    for span in sentence_spans(text) {
        let mut stems = Vec::new();
        while w < words.len() && words[w].start < span[1] {
            let word = &words[w];
            w += 1;
            if word.start >= span[0] && !skip.iter().any(|&[s, e]| (s..e).contains(&word.start)) {
                stems.push(word.hash);
            }
        }
        stems.sort_unstable();
        stems.dedup();
        out.push(Sentence { span, stems });
    }
    out
}

/// The distinct stems of some sentences, sorted, into `out` (a buffer reused across calls).
fn distinct_stems(sentences: &[Sentence], out: &mut Vec<u64>) {
    out.clear();
    out.extend(sentences.iter().flat_map(|s| s.stems.iter().copied()));
    out.sort_unstable();
    out.dedup();
}

/// In how many passages each stem occurs.
#[derive(Debug, Default, Clone)]
pub struct Frequencies {
    /// Passages counted: the `N` of the inverse passage frequency.
    pub passages: u32,
    /// Passages each stem (by its hash) occurs in, counted once per passage; a stem in none is
    /// absent.
    pub df: FxHashMap<u64, u32>,
}

impl Frequencies {
    /// Count the stems of each passage (given as its sentences) once.
    pub fn of<'a>(passages: impl IntoIterator<Item = &'a [Sentence]>) -> Frequencies {
        let mut f = Frequencies::default();
        let mut seen: Vec<u64> = Vec::new();
        for p in passages {
            distinct_stems(p, &mut seen);
            f.passages += 1;
            for h in &seen {
                *f.df.entry(*h).or_default() += 1;
            }
        }
        f
    }

    /// In how many of the counted passages `stem` occurs; 0 for a stem never seen.
    pub fn df(&self, stem: u64) -> u32 {
        self.df.get(&stem).copied().unwrap_or(0)
    }

    /// Inverse passage frequency, smoothed: a stem in every passage weighs almost nothing.
    pub fn idf(&self, stem: u64) -> f32 {
        let df = self.df(stem).max(1) as f32;
        ((1.0 + self.passages as f32) / (0.5 + df)).ln().max(0.0)
    }

    fn rare(&self, stem: u64) -> bool {
        (2..=MAX_DF).contains(&self.df(stem))
    }
}

/// How well a run of sentences restates a claim.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ClaimScore {
    /// `sqrt(coverage × cosine)`, 0–1.
    pub score: f32,
    /// Share of the claim's weight (idf²) the run holds.
    pub coverage: f32,
    /// Weighted cosine of the claim and the run.
    pub cosine: f32,
    /// Rare stems (in 2 to [`MAX_DF`] passages) shared.
    pub rare: usize,
}

/// Score a claim (its sorted stems) against a run of sentences (their stems merged, sorted).
pub fn score(claim: &[u64], run: &[u64], f: &Frequencies) -> ClaimScore {
    score_normed(claim, norm(claim, f), run, norm(run, f), f)
}

/// Sum of the squared weights of a set of stems.
fn norm(stems: &[u64], f: &Frequencies) -> f32 {
    stems.iter().map(|&h| f.idf(h).powi(2)).sum()
}

/// [`score`] with both norms known.
fn score_normed(claim: &[u64], nc: f32, run: &[u64], nr: f32, f: &Frequencies) -> ClaimScore {
    let w2 = |h: u64| f.idf(h).powi(2);
    if nc <= 0.0 || nr <= 0.0 {
        return ClaimScore::default();
    }
    let (mut dot, mut rare) = (0.0f32, 0);
    for h in intersect(claim, run) {
        dot += w2(h);
        rare += usize::from(f.rare(h));
    }
    let coverage = dot / nc;
    let cosine = dot / (nc * nr).sqrt();
    ClaimScore {
        score: (coverage * cosine).sqrt().min(1.0),
        coverage,
        cosine,
        rare,
    }
}

fn intersect<'a>(a: &'a [u64], b: &'a [u64]) -> impl Iterator<Item = u64> + 'a {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    let h = a[i];
                    i += 1;
                    j += 1;
                    return Some(h);
                }
            }
        }
        None
    })
}

/// The runs of up to [`WINDOW`] consecutive sentences of a passage, as sentence ranges with
/// their stems merged (one run for a passage of up to [`WINDOW`] sentences).
pub fn runs(sentences: &[Sentence]) -> Vec<(Range<usize>, Vec<u64>)> {
    let n = sentences.len();
    if n == 0 {
        return Vec::new();
    }
    (0..n.saturating_sub(WINDOW - 1).max(1))
        .map(|i| {
            let r = i..(i + WINDOW).min(n);
            let mut stems = Vec::new();
            distinct_stems(&sentences[r.clone()], &mut stems);
            (r, stems)
        })
        .collect()
}

/// A claim of one passage restated by another.
#[derive(Debug, Clone, PartialEq)]
pub struct Restatement {
    /// The passage and sentence making the claim.
    pub claim: (usize, usize),
    /// The passage restating it, and the sentences of it that hold the shared stems.
    pub target: (usize, Range<usize>),
    /// How well those sentences restate the claim: at least the `min_score` asked for.
    pub score: ClaimScore,
}

/// Every claim of `passages` (each given as its sentences) with the passage that restates it
/// best, when that one scores at least `min_score` (see [`MIN_SCORE`]). `allow(x, y)` says
/// whether passages `x` and `y` may be paired at all (never a passage with itself; see
/// [`MIN_GAP`]). Claims are split over `threads` threads, which stop early (and the whole is
/// [`crate::Error::Cancelled`]) once `cancel` is set: on a large corpus this runs for minutes. A
/// panic on a thread is [`crate::Error::Internal`] ([`par`]).
pub fn restatements(
    passages: &[Vec<Sentence>],
    f: &Frequencies,
    min_score: f32,
    allow: impl Fn(usize, usize) -> bool + Sync,
    threads: usize,
    cancel: &Cancel,
) -> Result<Vec<Restatement>> {
    let matcher = Matcher {
        passages,
        f,
        postings: rare_postings(passages, f),
        runs: runs_with_norms(passages, f, threads, cancel)?,
        allow,
        min_score,
    };
    let claims = claims_of(passages);
    // Claims go out in slices, not one by one: each slice reuses one scratch counter as long
    // as the corpus, and there are still enough slices for the threads to share them evenly.
    let slices: Vec<&[(usize, usize)]> = claims
        .chunks(claims.len().div_ceil(threads.max(1) * 8).max(1))
        .collect();
    let found = par::try_map(&slices, threads, |slice| {
        let mut scratch = Scratch::new(passages.len());
        let mut out = Vec::new();
        for &claim in *slice {
            if cancel.is_cancelled() {
                break;
            }
            out.extend(matcher.best(claim, &mut scratch));
        }
        Ok(out)
    })?;
    cancel.check()?;
    Ok(found.into_iter().flatten().collect())
}

/// A run of up to [`WINDOW`] sentences: its sentence range, its stems, their norm.
type Run = (Range<usize>, Vec<u64>, f32);

/// Postings of the rare stems: stem → the passages holding it. Only rare stems propose
/// candidates, so a claim is compared with the few passages sharing its particular words, not
/// with the whole corpus.
fn rare_postings(passages: &[Vec<Sentence>], f: &Frequencies) -> FxHashMap<u64, Vec<u32>> {
    let mut postings: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    let mut stems: Vec<u64> = Vec::new();
    for (i, p) in passages.iter().enumerate() {
        distinct_stems(p, &mut stems);
        for &h in &stems {
            if f.rare(h) {
                postings.entry(h).or_default().push(i as u32);
            }
        }
    }
    postings
}

/// Every sentence long enough to be a claim, as (passage, sentence).
fn claims_of(passages: &[Vec<Sentence>]) -> Vec<(usize, usize)> {
    passages
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            p.iter()
                .enumerate()
                .filter(|(_, s)| s.is_claim())
                .map(move |(j, _)| (i, j))
        })
        .collect()
}

/// The runs of every passage with their norms, built once: a passage is a candidate for many
/// claims.
fn runs_with_norms(
    passages: &[Vec<Sentence>],
    f: &Frequencies,
    threads: usize,
    cancel: &Cancel,
) -> Result<Vec<Vec<Run>>> {
    par::try_map(passages, threads, |p| {
        cancel.check()?;
        Ok(runs(p)
            .into_iter()
            .map(|(r, st)| {
                let n = norm(&st, f);
                (r, st, n)
            })
            .collect())
    })
}

/// Per-thread counters of rare stems shared with the claim at hand, reset after each claim.
struct Scratch {
    /// Rare stems each passage shares with the claim.
    shared: Vec<u16>,
    /// The passages whose count is not zero.
    touched: Vec<u32>,
}

impl Scratch {
    fn new(passages: usize) -> Scratch {
        Scratch {
            shared: vec![0; passages],
            touched: Vec::new(),
        }
    }
}

/// What a claim is compared against: the passages, their runs, and which may be paired.
struct Matcher<'a, A> {
    passages: &'a [Vec<Sentence>],
    f: &'a Frequencies,
    postings: FxHashMap<u64, Vec<u32>>,
    runs: Vec<Vec<Run>>,
    allow: A,
    min_score: f32,
}

impl<A: Fn(usize, usize) -> bool> Matcher<'_, A> {
    /// The passage that restates the claim `(p, s)` best, if one restates it at all.
    fn best(&self, (p, s): (usize, usize), scratch: &mut Scratch) -> Option<Restatement> {
        let claim = &self.passages[p][s].stems;
        let nc = norm(claim, self.f);
        self.count_shared(claim, scratch);
        let mut best: Option<Restatement> = None;
        for &q in &scratch.touched {
            let q = q as usize;
            if (scratch.shared[q] as usize) < MIN_RARE || q == p || !(self.allow)(p, q) {
                continue;
            }
            for (r, run, nr) in &self.runs[q] {
                let sc = score_normed(claim, nc, run, *nr, self.f);
                if sc.rare >= MIN_RARE
                    && sc.score >= self.min_score
                    && best.as_ref().is_none_or(|b| sc.score > b.score.score)
                {
                    best = Some(Restatement {
                        claim: (p, s),
                        target: (q, holding(claim, &self.passages[q], r.clone(), self.f)),
                        score: sc,
                    });
                }
            }
        }
        for q in scratch.touched.drain(..) {
            scratch.shared[q as usize] = 0;
        }
        best
    }

    /// Count, for every passage, the rare stems it shares with `claim`.
    fn count_shared(&self, claim: &[u64], scratch: &mut Scratch) {
        for h in claim {
            for &q in self.postings.get(h).map_or(&[][..], Vec::as_slice) {
                let c = &mut scratch.shared[q as usize];
                if *c == 0 {
                    scratch.touched.push(q);
                }
                *c = c.saturating_add(1);
            }
        }
    }
}

/// The sentences of a run that hold the claim: those carrying a fair share (a quarter of the
/// best one's) of the shared weight, first to last.
fn holding(
    claim: &[u64],
    sentences: &[Sentence],
    run: Range<usize>,
    f: &Frequencies,
) -> Range<usize> {
    let weight: Vec<f32> = sentences[run.clone()]
        .iter()
        .map(|s| intersect(claim, &s.stems).map(|h| f.idf(h).powi(2)).sum())
        .collect();
    let top = weight.iter().copied().fold(0.0f32, f32::max);
    let keep: Vec<usize> = (0..weight.len())
        .filter(|&i| top > 0.0 && weight[i] * 4.0 >= top)
        .collect();
    match (keep.first(), keep.last()) {
        (Some(&a), Some(&b)) => run.start + a..run.start + b + 1,
        _ => run,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fingerprint::words;

    /// 001's first two sentences and 000's passage 7, as in the seed corpus.
    const CONCLUSION: &str = "Berdasarkan hasil penelitian, dapat disimpulkan bahwa kebijakan luar negeri feminis (Feminist Foreign Policy/FFP) yang diadopsi oleh Pemerintah Meksiko pada tahun 2020 merupakan langkah transformatif dalam merespons tingginya kerentanan perempuan migran terhadap perdagangan manusia (trafficking in persons), khususnya pada masa pemerintahan Presiden Andrés Manuel López Obrador (AMLO) periode 2018–2023. Kebijakan ini tidak hanya bersifat simbolik atau normatif, melainkan dilandasi oleh kebutuhan domestik yang nyata, termasuk tingginya tingkat femisida, ketimpangan gender struktural, dan tekanan internasional serta nasional untuk mereformasi sistem migrasi dan hak asasi manusia.";
    const BODY: &str = "Meksiko mengadopsi Feminist Foreign Policy (FFP) di bawah kepemimpinan Presiden Andrés Manuel López Obrador (AMLO) sebagai respons terhadap tantangan dan dinamika global yang menuntut adanya inklusivitas dan kesetaraan gender dan pada periode 2018–2023, AMLO melihat bahwa pendekatan tradisional dalam diplomasi tidak lagi memadai untuk mengatasi isu-isu global seperti ketidaksetaraan gender dan pelanggaran hak asasi perempuan (UN Women, 2021). Dalam konteks ini, FFP dipandang sebagai instrumen untuk memperkuat posisi Meksiko di panggung internasional serta untuk menegaskan nilai-nilai progresif yang dapat menarik simpati dan dukungan dari komunitas global.";
    /// Passages of 000 on the same subject that restate neither sentence of the conclusion.
    const TOPIC: &[&str] = &[
        "Kebijakan luar negeri Meksiko sejak awal 1990-an hingga saat ini menampilkan transformasi strategis yang berfokus pada diversifikasi kemitraan dan penguatan posisi negara di berbagai forum internasional.",
        "Selama masa jabatan AMLO, Meksiko secara konsisten berpartisipasi dalam forum-forum global yang menitikberatkan isu-isu gender, serta memperkuat kerjasama bilateral dengan negara-negara yang juga mengusung agenda serupa.",
        "Tapachula, yang terletak di negara bagian Chiapas, menjadi pintu gerbang utama bagi migrasi dari Amerika Tengah ke Meksiko, sehingga secara geografis menempati posisi strategis dalam jaringan perdagangan manusia.",
        "Perempuan sebagai imigran memegang peran sentral dalam wacana hak asasi manusia karena hak-hak mereka sebagai manusia merupakan hak fundamental yang diakui dalam kerangka Deklarasi Universal Hak Asasi Manusia.",
        "Sebagai kelanjutan dari capaian representasi perempuan pada masa pemerintahan Presiden Andrés Manuel López Obrador (2018–2023), data pasca-2023 menunjukkan bahwa Meksiko mempertahankan posisi politik perempuan di tiga cabang pemerintahan.",
        "Dalam forum PBB dan lembaga internasional, isu-isu mengenai perlindungan hak-hak perempuan imigran terus diangkat sebagai bagian dari agenda global untuk menjamin keadilan dan keamanan.",
    ];

    fn texts(spans: &[[usize; 2]], text: &str) -> Vec<String> {
        spans.iter().map(|&[s, e]| text[s..e].to_string()).collect()
    }

    fn of(text: &str) -> Vec<Sentence> {
        sentences(text, &words(text), &[])
    }

    #[test]
    fn sentences_end_at_stops_not_at_abbreviations_or_citations() {
        let t = "Komposisi serupa juga terlihat di Senat, di mana perempuan menempati sekitar 49 % hingga 50 % dari total 128 kursi (U.S. Congressional Research Service, 2022). Bahkan, posisi-posisi strategis dalam komisi legislatif juga dipimpin oleh perempuan (IPU, 2023).";
        let s = texts(&sentence_spans(t), t);
        assert_eq!(s.len(), 2, "{s:?}");
        assert!(s[0].ends_with("2022)."), "{s:?}");
        assert!(s[1].starts_with("Bahkan,"), "{s:?}");
        let t = "meski kritik tetap muncul (Zhukova et al., 2022). Januari 2020 Peluncuran resmi FFP oleh Kementerian Luar Negeri.";
        assert_eq!(sentence_spans(t).len(), 2);
        let t = "  Kebijakan ini telah membuka ruang institusional  ";
        assert_eq!(
            texts(&sentence_spans(t), t),
            ["Kebijakan ini telah membuka ruang institusional"]
        );
        assert!(sentence_spans("   ").is_empty());
    }

    #[test]
    fn citations_do_not_count_and_short_sentences_are_no_claims() {
        let ws = words(BODY);
        let all = sentences(BODY, &ws, &[]);
        assert_eq!(all.len(), 2);
        let cite = BODY.find("(UN Women, 2021)").unwrap();
        let without = sentences(BODY, &ws, &[[cite, cite + "(UN Women, 2021)".len()]]);
        assert_eq!(without[0].stems.len() + 3, all[0].stems.len());
        let short = of("Perkembangan positif ini juga tercermin di lembaga yudikatif.");
        assert_eq!(short.len(), 1);
        assert!(!short[0].is_claim());
        assert!(all[0].is_claim());
    }

    fn corpus() -> Vec<Vec<Sentence>> {
        let mut ps = vec![of(CONCLUSION), of(BODY)];
        ps.extend(TOPIC.iter().map(|t| of(t)));
        ps
    }

    #[test]
    fn a_restated_claim_outscores_the_same_topic() {
        let ps = corpus();
        let f = Frequencies::of(ps.iter().map(Vec::as_slice));
        let run = |p: &[Sentence]| runs(p)[0].1.clone();
        // Adopted under AMLO, 2018–2023: the conclusion's first sentence and 000#7.
        let restated = score(&ps[0][0].stems, &run(&ps[1]), &f);
        assert!(restated.rare >= MIN_RARE, "{restated:?}");
        // Passages on the same subject score well below it, even the one with the same
        // president and period (women's representation, ps[6]).
        for p in &ps[2..] {
            let topic = score(&ps[0][0].stems, &run(p), &f);
            assert!(topic.score * 1.5 < restated.score, "{topic:?} {restated:?}");
        }
        // The conclusion's second sentence (domestic needs) restates nothing here.
        for p in &ps[1..] {
            let s = score(&ps[0][1].stems, &run(p), &f);
            assert!(s.score * 1.5 < restated.score, "{s:?}");
        }
        // A claim restates itself fully; a claim and a run sharing nothing score 0.
        assert!(score(&ps[1][0].stems, &ps[1][0].stems, &f).score > 0.99);
        assert_eq!(score(&[1, 2, 3], &[4, 5, 6], &f).score, 0.0);
    }

    #[test]
    fn each_claim_keeps_its_best_passage() {
        let ps = corpus();
        let f = Frequencies::of(ps.iter().map(Vec::as_slice));
        // In eight passages every stem is "rare" and idf is flat: a lower bar than the
        // corpus's [`MIN_SCORE`].
        let min = 0.15;
        let found = restatements(&ps, &f, min, |_, _| true, 2, &Cancel::never()).unwrap();
        let first: Vec<&Restatement> = found.iter().filter(|r| r.claim == (0, 0)).collect();
        assert_eq!(first.len(), 1, "{found:?}");
        assert_eq!(first[0].target.0, 1);
        assert_eq!(
            first[0].target.1,
            0..1,
            "the sentence of 000#7 holding the claim"
        );
        // Not allowed: not found.
        let none = restatements(
            &ps,
            &f,
            min,
            |x, y| x.min(y) != 0 || x.max(y) != 1,
            1,
            &Cancel::never(),
        )
        .unwrap();
        assert!(!none.iter().any(|r| r.claim == (0, 0) && r.target.0 == 1));
    }

    #[test]
    fn runs_cover_every_sentence() {
        let ps = corpus();
        assert_eq!(runs(&ps[1]).len(), 1);
        assert!(runs(&[]).is_empty());
        let five: Vec<Sentence> = (0..5)
            .map(|i| Sentence {
                span: [i, i + 1],
                stems: vec![i as u64],
            })
            .collect();
        let r = runs(&five);
        assert_eq!(r.len(), 3);
        assert_eq!(r[2].0, 2..5);
        assert_eq!(r[1].1, vec![1, 2, 3]);
    }
}
