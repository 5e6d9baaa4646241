//! How two hard-wrapped lines join: with a space, glued, or with a layout hyphen removed.
//!
//! A hyphen at a line end is ambiguous. Indonesian reduplication (`praktek-`/`praktek`), prefixes
//! (`non-`/`pemerintah`), compounds (`anak-`/`dewasa`) and URLs (`about-`/`ecpat/`) keep it; a
//! word split for layout (`perda-`/`gangan`) loses it. No single rule is right, so the decision
//! weighs evidence: reduplication, the document's own vocabulary (how it spells the word when
//! it is not broken), and the Indonesian root dictionary that ships with sastrawi.

use std::cell::OnceCell;

use rustc_hash::FxHashMap as HashMap;

use super::normalize::Line;
use crate::text::dictionary::is_root;

/// How to join the end of one line to the start of the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    /// Ordinary word boundary.
    Space,
    /// No space, keep everything (a real hyphen, a URL broken across lines).
    Glue,
    /// Drop the trailing hyphen and glue (a word hyphenated for layout).
    Dehyphenate,
}

/// Word counts of one document, the evidence for how it spells words it also hyphenates.
///
/// Counted on the first look ([`Lexicon::of_lines`]): most line-end hyphens are decided before
/// the counts are asked (a URL, a capital or a digit after it, a reduplication), and a
/// document without such a hyphen never asks; counting every word of every document was 4.1%
/// of a build's CPU on corpus-large (`scripts/profile.py` at fe7250b; 1.8% at ff24a2b).
#[derive(Debug, Default)]
pub struct Lexicon<'a> {
    /// The lines whose words are counted.
    lines: &'a [Line],
    counts: OnceCell<HashMap<String, u32>>,
}

impl<'a> Lexicon<'a> {
    /// The lexicon of a document's lines, counted when first asked.
    pub fn of_lines(lines: &'a [Line]) -> Lexicon<'a> {
        Lexicon {
            lines,
            counts: OnceCell::new(),
        }
    }

    /// The lexicon of `texts`, counted now.
    pub fn from_texts<'t>(texts: impl Iterator<Item = &'t str>) -> Lexicon<'a> {
        Lexicon {
            lines: &[],
            counts: OnceCell::from(count_words(texts)),
        }
    }

    fn count(&self, w: &str) -> u32 {
        let counts = self
            .counts
            .get_or_init(|| count_words(self.lines.iter().map(|l| l.text.as_str())));
        counts.get(w).copied().unwrap_or(0)
    }

    fn knows(&self, w: &str) -> bool {
        self.count(w) > 0 || is_root(w)
    }
}

/// Count the words (hyphenated ones whole, lowercased, two characters or more) of a
/// document's lines: the spellings a broken word is checked against.
///
/// A word is lowercased into one buffer and copied only the first time it is seen: most of
/// a document's words are repeats, and a string made for each (`to_lowercase`) was most of
/// the count's time, itself 3% of a build (perf).
///
/// Never inlined: `scripts/profile.py` names a build stage by this function (one call per
/// document costs nothing measurable).
#[inline(never)]
fn count_words<'t>(texts: impl Iterator<Item = &'t str>) -> HashMap<String, u32> {
    let mut counts: HashMap<String, u32> = HashMap::default();
    let mut lower = String::new();
    for t in texts {
        for w in t.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
            let w = w.trim_matches('-');
            if w.len() < 2 || !w.chars().any(char::is_alphabetic) {
                continue;
            }
            lowercase_into(w, &mut lower);
            match counts.get_mut(lower.as_str()) {
                Some(n) => *n += 1,
                None => {
                    counts.insert(lower.clone(), 1);
                }
            }
        }
    }
    counts
}

/// `word` lowercased into `out`, as `str::to_lowercase` makes it (which a word that is not
/// ASCII goes through: its final sigma is not a character's lowercase alone).
fn lowercase_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else {
        out.push_str(&word.to_lowercase());
    }
}

/// Prefixes written with a hyphen in both languages of the corpus.
const HYPHEN_PREFIXES: &[&str] = &[
    "non", "anti", "pasca", "pro", "neo", "ex", "self", "co", "semi", "multi", "inter", "intra",
    "sub", "trans", "pre", "post", "cross",
];

fn is_url(tok: &str) -> bool {
    let t = tok.trim_start_matches(['<', '(', '[']);
    t.starts_with("http://") || t.starts_with("https://") || t.starts_with("www.")
}

/// Decide how `left` (text so far) continues into `right` (the next line).
pub fn join(left: &str, right: &str, lex: &Lexicon) -> Join {
    let Some(last) = left.split_whitespace().next_back() else {
        return Join::Space;
    };
    let Some(first) = right.split_whitespace().next() else {
        return Join::Space;
    };
    if is_url(last) && !last.ends_with(['.', ',', '>', ')', ';']) {
        let continues = last.ends_with(['-', '/', '_', '=', '&', '?'])
            || first.contains(['/', '.', '?', '=', '&', '_'])
            || first.starts_with('-');
        if continues && !first.starts_with(['(', '<']) && !is_url(first) {
            return Join::Glue;
        }
    }
    let Some(stem) = last.strip_suffix('-') else {
        return Join::Space;
    };
    // The word part before the hyphen: `aktor-aktor non-` → `non`, `(Negara-` → `Negara`.
    let l = stem
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    if l.is_empty() || !l.chars().any(char::is_alphabetic) {
        return Join::Space; // a dash, not a hyphen: `2018 -`
    }
    let r: &str = first
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    if r.is_empty() {
        return Join::Glue;
    }
    if r.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()) {
        return Join::Glue; // `Youth-`/`Led`, `COVID-`/`19`
    }
    let (ll, rl) = (l.to_lowercase(), r.to_lowercase());
    if rl.starts_with(&ll) || ll.ends_with(&rl) {
        return Join::Glue; // reduplication: `anak-`/`anak`, `kadang-`/`kadang`, `Negara-`/`negara`
    }
    let hyphened = format!("{ll}-{rl}");
    let solid = format!("{ll}{rl}");
    let (h, s) = (lex.count(&hyphened), lex.count(&solid));
    if h > s {
        return Join::Glue;
    }
    if s > 0 {
        return Join::Dehyphenate;
    }
    if HYPHEN_PREFIXES.contains(&ll.as_str()) {
        return Join::Glue;
    }
    if is_root(&solid) {
        return Join::Dehyphenate;
    }
    if ll.chars().count() >= 3 && rl.chars().count() >= 3 && lex.knows(&ll) && lex.knows(&rl) {
        return Join::Glue; // two words of their own: a compound (`anak-`/`dewasa`)
    }
    Join::Dehyphenate
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(text: &str) -> Lexicon<'static> {
        Lexicon::from_texts(std::iter::once(text))
    }

    /// A document's lines counted on the first look decide every line end as the lines
    /// counted up front do; a line end decided before the counts never counts them.
    #[test]
    fn the_lexicon_of_lines_counts_when_asked_and_decides_the_same() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/003_232135048410f2ab.txt"
        );
        let lines = super::super::normalize::clean_lines(&std::fs::read_to_string(path).unwrap());
        let eager = Lexicon::from_texts(lines.iter().map(|l| l.text.as_str()));
        let lazy = Lexicon::of_lines(&lines);
        assert_eq!(
            join("lihat https://www.ecpat.org/about-", "us/", &lazy),
            Join::Glue
        );
        assert!(
            lazy.counts.get().is_none(),
            "a URL's line end counted the words"
        );
        let mut hyphens = 0;
        for pair in lines.windows(2) {
            let (left, right) = (&pair[0].text, &pair[1].text);
            hyphens += usize::from(left.ends_with('-'));
            assert_eq!(
                join(left, right, &lazy),
                join(left, right, &eager),
                "{left:?} {right:?}"
            );
        }
        assert!(hyphens >= 5, "{hyphens} line ends with a hyphen");
        assert_eq!(lazy.counts.get(), eager.counts.get());
    }

    #[test]
    fn the_lexicon_counts_lowercased_words_as_to_lowercase_makes_them() {
        let text = "Perdagangan perdagangan PERDAGANGAN anak-anak -non- x 2020 \
                    México méxico ΟΔΟΣ οδος Straße";
        let l = lex(text);
        let mut naive: HashMap<String, u32> = HashMap::default();
        for w in text.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
            let w = w.trim_matches('-');
            if w.len() >= 2 && w.chars().any(char::is_alphabetic) {
                *naive.entry(w.to_lowercase()).or_default() += 1;
            }
        }
        assert_eq!(l.counts.get(), Some(&naive));
        assert_eq!(l.count("perdagangan"), 3);
        assert_eq!(l.count("méxico"), 2);
        assert_eq!(l.count("x"), 0);
        // The final sigma of a word in capitals, as `to_lowercase` writes it (`ς`, not `σ`).
        let mut out = String::from("stale");
        lowercase_into("ΟΔΟΣ", &mut out);
        assert_eq!(out, "ΟΔΟΣ".to_lowercase());
        assert!(out.ends_with('ς'));
    }

    #[test]
    fn reduplication_and_prefixes_keep_the_hyphen() {
        let l = lex("");
        assert_eq!(
            join("terdiri dari praktek-", "praktek kriminal", &l),
            Join::Glue
        );
        assert_eq!(
            join("oleh aktor-aktor non-", "pemerintah yang", &l),
            Join::Glue
        );
        assert_eq!(
            join("Tier 2 merupakan Negara-", "negara yang", &l),
            Join::Glue
        );
    }

    #[test]
    fn layout_hyphenation_is_removed_by_evidence() {
        assert_eq!(
            join("kasus perda-", "gangan orang", &lex("")),
            Join::Dehyphenate
        );
        let l = lex("the organisation of exploitation");
        assert_eq!(join("the exploi-", "tation of", &l), Join::Dehyphenate);
    }

    #[test]
    fn urls_are_glued_whole() {
        let l = lex("");
        assert_eq!(
            join("Dalam http://www.ecpat.org/about-", "ecpat/, diakses", &l),
            Join::Glue
        );
        assert_eq!(
            join("http://ecpatmexico.org.mx/pu", "blicaciones.php?id=7", &l),
            Join::Glue
        );
        assert_eq!(
            join("lihat http://x.org/a>.", "Berikutnya", &l),
            Join::Space
        );
    }

    #[test]
    fn plain_words_get_a_space() {
        assert_eq!(join("pada tahun 2018 -", "2023", &lex("")), Join::Space);
        assert_eq!(join("kebijakan luar", "negeri", &lex("")), Join::Space);
    }
}
