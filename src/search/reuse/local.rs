//! Local alignment of content words (Smith & Waterman, 1981) for `check`: a heavily reworded
//! copy keeps about half its words, too few runs of three for the shingle seeds of [`super::align`]
//! to chain, yet its words still come in the same order. Scored word by word (a shared root
//! gains, any other word or gap costs), such a stretch scores well above the few words a
//! paragraph on the same subject shares by chance, and its whole extent is found, not only
//! the runs the rewording left intact.
//!
//! Only for a paragraph and a passage the fingerprints already paired: the work is the product
//! of their lengths, fine for the thirty candidates of a paragraph, not for every pair of a
//! corpus.

use crate::text::fingerprint::Word;

/// What a shared word gains: three times what another word costs, so a stretch that keeps
/// half its words in order (heavy rewording, with words inserted and dropped) still gains
/// through its changed words and is counted to its ends (measured on the planted manuscripts
/// of `tests/it/report_planted.rs`: at 2 the heavily reworded ones lost up to 3 points).
const MATCH: i32 = 3;
/// What any other word, or a word of one side with none on the other, costs.
const COST: i32 = 1;
/// Score from which a region is reuse: more than a shared phrase of a common subject makes
/// (the three content words of `perdagangan manusia di Indonesia` make 9, four in a row 12).
pub const MIN_SCORE: i32 = 14;
/// Score from which a region is reuse on its own, with no chain of shingle seeds in it: some
/// twenty words shared in order through the changes.
pub const STRONG: i32 = 40;
/// Regions looked for in one pair, the best first.
const MAX_REGIONS: usize = 4;
/// Longest side aligned: beyond it the table would cost more than the check is worth.
const MAX_WORDS: usize = 2_000;

/// A region of words `[a0, a1)` of one text aligned to `[b0, b1)` of the other, its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Local {
    pub a0: usize,
    pub a1: usize,
    pub b0: usize,
    pub b1: usize,
    pub score: i32,
}

/// The regions where `a` and `b` share their words in order, best first, each scoring at
/// least [`MIN_SCORE`] and disjoint on both sides.
pub fn regions(a: &[Word], b: &[Word]) -> Vec<Local> {
    if a.is_empty() || b.is_empty() || a.len() > MAX_WORDS || b.len() > MAX_WORDS {
        return Vec::new();
    }
    let (mut used_a, mut used_b) = (vec![false; a.len()], vec![false; b.len()]);
    let mut out = Vec::new();
    while out.len() < MAX_REGIONS {
        let Some(r) = best(a, b, &used_a, &used_b) else {
            break;
        };
        used_a[r.a0..r.a1].iter_mut().for_each(|u| *u = true);
        used_b[r.b0..r.b1].iter_mut().for_each(|u| *u = true);
        out.push(r);
    }
    out
}

/// The best-scoring region not crossing a used word, if it reaches [`MIN_SCORE`].
fn best(a: &[Word], b: &[Word], used_a: &[bool], used_b: &[bool]) -> Option<Local> {
    let (n, m) = (a.len(), b.len());
    let w = m + 1;
    let mut h = vec![0i32; (n + 1) * w];
    let mut top = (0, 0, 0);
    for i in 1..=n {
        for j in 1..=m {
            if used_a[i - 1] || used_b[j - 1] {
                continue;
            }
            let diag = h[(i - 1) * w + j - 1]
                + if a[i - 1].hash == b[j - 1].hash {
                    MATCH
                } else {
                    -COST
                };
            let v = diag
                .max(h[(i - 1) * w + j] - COST)
                .max(h[i * w + j - 1] - COST)
                .max(0);
            h[i * w + j] = v;
            if v > top.0 {
                top = (v, i, j);
            }
        }
    }
    let (score, i1, j1) = top;
    if score < MIN_SCORE {
        return None;
    }
    let (i0, j0) = trace_back(a, b, &h, (i1, j1));
    Some(Local {
        a0: i0,
        a1: i1,
        b0: j0,
        b1: j1,
        score,
    })
}

/// Where the region ending at `(i, j)` starts: back along the moves that made each score,
/// to the first cell of the run of positive scores.
fn trace_back(a: &[Word], b: &[Word], h: &[i32], (mut i, mut j): (usize, usize)) -> (usize, usize) {
    let w = b.len() + 1;
    let at = |i: usize, j: usize| h[i * w + j];
    while i > 0 && j > 0 && at(i, j) > 0 {
        let gain = if a[i - 1].hash == b[j - 1].hash {
            MATCH
        } else {
            -COST
        };
        if at(i, j) == at(i - 1, j - 1) + gain {
            (i, j) = (i - 1, j - 1);
        } else if at(i, j) == at(i - 1, j) - COST {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    // The region starts at its first shared word: the walk may stop just before it.
    while i < a.len() && j < b.len() && a[i].hash != b[j].hash {
        if at(i + 1, j + 1) > 0 {
            break;
        }
        i += 1;
        j += 1;
    }
    (i, j)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fingerprint::words;

    const SOURCE: &str = "Tapachula, yang terletak di negara bagian Chiapas, menjadi pintu \
        gerbang utama bagi migrasi dari Amerika Tengah ke Meksiko, sehingga secara geografis \
        menempati posisi strategis dalam jaringan perdagangan manusia. Arus besar migran ini \
        menciptakan kondisi massa kritis di mana para penyelundup dan perekrut memanfaatkan \
        kepanikan para migran.";

    #[test]
    fn a_heavily_reworded_copy_is_one_region_over_its_whole_extent() {
        // About half the content words changed, no three kept words in a row in places.
        let reworded = "Kota Tapachula, berada di wilayah Chiapas, adalah gerbang penting \
            migrasi orang dari Amerika Selatan menuju Meksiko, karena itu secara geografis \
            berada di posisi kunci bagi jaringan penyelundupan manusia. Gelombang besar migran \
            itu menimbulkan keadaan kritis tempat penyelundup serta perekrut memakai kepanikan \
            orang migran.";
        let (a, b) = (words(reworded), words(SOURCE));
        let r = regions(&a, &b);
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(
            r[0].a1 - r[0].a0 >= a.len() * 8 / 10,
            "{r:?} of {}",
            a.len()
        );
    }

    #[test]
    fn a_paragraph_on_the_same_subject_is_no_region() {
        let other = "Perdagangan manusia di Meksiko melibatkan jaringan kartel yang merekrut \
            perempuan migran dari Amerika Tengah dengan janji pekerjaan, lalu memaksa mereka \
            bekerja di bar dan rumah bordil di kota perbatasan.";
        assert!(regions(&words(other), &words(SOURCE)).is_empty());
    }
}
