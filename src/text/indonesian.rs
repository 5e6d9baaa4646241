//! Indonesian stemming: an Enhanced Confix Stripping search over sastrawi-rs's root dictionary,
//! made affix-safe.
//!
//! sastrawi-rs 0.5.3's `Stemmer` makes systematic errors on frequent words of this corpus
//! (STACK-NOTES): its prefix rules stop at the first rule that matches and commit to recodings the
//! dictionary never confirmed (`pemerintah` and `penerimaan` stay whole, `berada` → `rada`,
//! `kekerasan` → `kerasan`, `pengawasan` → `kawasan`). The reference PySastrawi has its own
//! (`berikan` → `ikan`, `memerangi` → `rang`, `kerusakan` → `rusa`). So the word is analysed here
//! by enumerating candidate splits in ECS order (particle, possessive and derivational suffix
//! first, then up to three prefix layers, then the suffixes put back one by one), and a split is
//! accepted only when its root is in the sastrawi dictionary ([`super::dictionary`]). Corrections
//! to the reference are general rules, not a word table:
//!
//! - every alternative of every matching prefix rule is tried, never only the last one, so the
//!   recoding the dictionary confirms wins (`penerimaan` → `terima`, `mengembangkan` → `kembang`,
//!   `pemerintah` → `perintah`, `peperangan` → `perang`);
//! - `mem-`/`pem-` before `e` try the `p` root before the `m` root (`memerangi` → `perang`, not
//!   `merang`; `pemetaan` → `peta`): roots in `pe…` far outnumber roots in `me…`;
//! - the ECS prefix-first precedence keeps its root for `me/di/pe/ter-…-i` (`pencari` → `cari`),
//!   but for `be-…-an/-lah` only when that root is longer than the suffix-first one, so a root
//!   ending in those letters is not over-stemmed (`berikan` → `beri`, not `ikan`);
//! - Nazief–Adriani's disallowed confixes (me-/di-/ter- with -an, ber- with -i, ke-/se-/peN- with
//!   -kan) are taken only when no other split exists (`memesan` → `pesan`, `kerusakan` → `rusak`,
//!   yet `dipersidangan`, written for `di persidangan`, → `sidang`);
//! - a root reached by removing a particle or possessive yields to a longer root that keeps those
//!   letters (`menikah` → `nikah`, not `meni`; `pemangku` → `pangku`);
//! - borrowed suffixes -is/-isme/-isasi need a root of five letters (`berbasis` → `basis`, not
//!   `bas`); a root has at least three letters; `menge-`/`penge-` only before one syllable;
//! - not modelled, because on this corpus they only did harm: the infixes -el-/-em-/-er-/-in-
//!   (`feminis` → `finis`, `minute` → `mute`) and the proclitics ku-/kau- (`Kumar` → `mar`);
//! - a word with no dictionary root is left as it is: names and English terms inside Indonesian
//!   text (`trafficking`, `bondage`) come through unharmed, so English queries still match them.
//!   sastrawi-rs's own `Stemmer` is not consulted even as a fallback: on the seed corpus it added
//!   no right root and turned `feminis` into `finis` and `removal` into `oval`.
//!
//! Against PySastrawi 1.2.1 on the seed corpus vocabulary (3,448 distinct words): 99.3%
//! identical, 25 words differ (`stems_agree_with_pysastrawi_on_the_seed_vocabulary` in
//! `tests/it/analysis.rs` lists them); every disagreement but two was judged a reference error:
//! `memadai` (`mada` here, `pada` there) and `ditelisik` (kept whole here, as `telisik` is not
//! in the dictionary; `tisik` there).
//!
//! The other way, [`voices`] puts a verb in its other voices by the same prefix rules
//! (`buat` → `membuat`, `dibuat`; `memperlakukan` → `diperlakukan`): the lexicon's kin of a
//! translation ([`super::lexicon::Compiled::kin`]) list them where the dictionary does not.

use std::borrow::Cow;

use super::analyzer::{stem_through, StemMemo};
use super::dictionary::{dictionary, is_root, MIN_ROOT};
use super::tokenizer::fold_word;

/// Words up to this length are never stemmed (as in Sastrawi).
const MAX_UNSTEMMED: usize = 3;
/// Nazief–Adriani: at most three prefix layers (`di-per-ke-…`).
const MAX_PREFIXES: usize = 3;

/// Whether `word` is an Indonesian word: a root of the dictionary, or one by its affixes.
pub fn is_word(word: &str) -> bool {
    let w = word.to_lowercase();
    is_root(&w) || is_root(&stem_id(&w))
}

/// Stems one Indonesian word to its dictionary root; see the module doc. Input is lowercased and
/// ASCII-folded first. A word that is not plain letters (numbers, codes) or whose root is not found
/// comes back unchanged (folded). Hyphenated input is stemmed part by part, and a full
/// reduplication collapses to one root (`anak-anak` → `anak`).
pub fn stem_id(word: &str) -> String {
    let folded;
    let word = if word.bytes().all(|b| b.is_ascii_lowercase()) {
        word
    } else {
        folded = fold_word(word);
        &folded
    };
    if word.contains('-') {
        let mut parts: Vec<String> = Vec::new();
        for part in word.split('-').filter(|p| !p.is_empty()) {
            let stem = stem_id(part);
            if parts.last() != Some(&stem) {
                parts.push(stem);
            }
        }
        return parts.join("-");
    }
    let mut text = word.to_string();
    stem_in_place(&mut text);
    text
}

/// The root of a lowercase ASCII word, or `None` when it is to be left as it is.
fn stem_plain(word: &str) -> Option<String> {
    if word.len() <= MAX_UNSTEMMED || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    if dictionary().find(word) {
        return None;
    }
    match prefix_precedence(word) {
        Precedence::SuffixFirst => suffix_first(word),
        Precedence::PrefixFirst => prefix_first(word).or_else(|| suffix_first(word)),
        // Over-stemming guard: ber-…-an/-lah may hide a root ending in those letters, so the
        // prefix reading must keep a longer root to win (`berikan` → `beri`, not `ikan`).
        Precedence::Longer => match (prefix_first(word), suffix_first(word)) {
            (Some(p), Some(s)) => Some(if p.len() > s.len() { p } else { s }),
            (p, s) => p.or(s),
        },
    }
}

enum Precedence {
    SuffixFirst,
    PrefixFirst,
    Longer,
}

/// Confix patterns for which ECS removes the prefix before the suffix (Asian 2007). With -i the
/// prefix reading is right (`pencari` → `cari`, not `pencar`; `petani` → `tani`).
fn prefix_precedence(w: &str) -> Precedence {
    let starts = |p: &[&str]| p.iter().any(|p| w.starts_with(p));
    if w.ends_with('i') && starts(&["me", "di", "pe", "ter"]) {
        Precedence::PrefixFirst
    } else if w.starts_with("be") && (w.ends_with("lah") || w.ends_with("an")) {
        Precedence::Longer
    } else {
        Precedence::SuffixFirst
    }
}

/// Nazief–Adriani's disallowed confixes (outermost prefix with derivational suffix), which mark
/// a doubtful split: `memesan` is me-pesan, not me-pes-an; `kerusakan` is ke-rusak-an, not
/// ke-rusa-kan. (ke-…-i is left out: `ketahui`.)
fn valid_confix(outer: Prefix, suffix: &str) -> bool {
    !matches!(
        (outer, suffix),
        (Prefix::Me | Prefix::Di | Prefix::Ter, "an")
            | (Prefix::Ber, "i")
            | (Prefix::Ke | Prefix::Se | Prefix::PeN, "kan")
    )
}

const PARTICLES: &[&str] = &["lah", "kah", "tah", "pun"];
const POSSESSIVES: &[&str] = &["nya", "ku", "mu"];
/// Longest first: the first match is the one Sastrawi's regex takes.
const DERIVATIONAL: &[&str] = &["isasi", "isme", "kan", "an", "is", "i"];
/// Borrowed suffixes go on borrowed roots, which are long (`nasionalisme` → `nasional`,
/// `teroris` → `teror`); on short stems they are a coincidence (`tipis`, `basis`, `eksis`).
const FOREIGN: &[&str] = &["isasi", "isme", "is"];
const MIN_FOREIGN_ROOT: usize = 5;

/// A form to look for a root in: the shortest root it may yield, the derivational suffix removed
/// to reach it, and whether a particle or possessive was removed.
struct Base<'a> {
    form: Cow<'a, str>,
    min_root: usize,
    suffix: &'static str,
    inflected: bool,
}

impl Base<'_> {
    fn root(&self, f: &Form, strict: bool) -> bool {
        let valid = !strict || valid_confix(f.outer, self.suffix);
        f.text.len() >= self.min_root && valid && is_root(&f.text)
    }
}

/// Removes the first suffix of `set` that `w` ends with; returns the rest and the suffix.
fn strip<'a>(w: &'a str, set: &[&'static str]) -> Option<(&'a str, &'static str)> {
    set.iter()
        .find(|s| w.len() > s.len() && w.ends_with(*s))
        .map(|s| (&w[..w.len() - s.len()], *s))
}

/// Strips particle, possessive and derivational suffix in turn from a prefix-stripped form,
/// returning the first root met.
fn strip_suffixes(form: &Form) -> Option<String> {
    let mut current = form.text.as_str();
    for (i, set) in [PARTICLES, POSSESSIVES, DERIVATIONAL]
        .into_iter()
        .enumerate()
    {
        if let Some((rest, suffix)) = strip(current, set) {
            current = rest;
            let min_root = if FOREIGN.contains(&suffix) {
                MIN_FOREIGN_ROOT
            } else {
                MIN_ROOT
            };
            let valid = i < 2 || valid_confix(form.outer, suffix);
            if current.len() >= min_root && valid && is_root(current) {
                return Some(current.to_string());
            }
        }
    }
    None
}

/// Nazief–Adriani order, then a check on inflectional suffixes: when the root was reached by
/// removing a particle or possessive, a longer root that keeps those letters wins
/// (`menikah` is me-nikah, not meni-kah; `pemangku` is pe-pangku, not pe-mang-ku).
fn suffix_first(word: &str) -> Option<String> {
    let (root, inflection_removed) = nazief_adriani(word)?;
    if inflection_removed {
        let whole = prefix_layers(word)
            .into_iter()
            .find_map(|layer| layer.into_iter().find(|f| is_root(&f.text)));
        if let Some(whole) = whole.filter(|w| w.text.len() > root.len()) {
            return Some(whole.text);
        }
    }
    Some(root)
}

/// Strip particle, possessive, derivational suffix (checking the dictionary after each), then
/// prefixes, then put the suffixes back one at a time (`-kan` first as `-k`). Returns the root
/// and whether a particle or possessive was removed to reach it.
fn nazief_adriani(word: &str) -> Option<(String, bool)> {
    let stripped = match strip_suffix_layers(word) {
        Ok(found) => return Some(found),
        Err(stripped) => stripped,
    };
    let bases = stripped.bases();
    let layers: Vec<Vec<Vec<Form>>> = bases.iter().map(|b| prefix_layers(&b.form)).collect();
    // A split with a disallowed confix is taken only when no other split is found: real text
    // writes `di persidangan` as `dipersidangan` and `menunjukkan` as `menunjukan`.
    for strict in [true, false] {
        for (i, (base, base_layers)) in bases.iter().zip(&layers).enumerate() {
            for layer in base_layers {
                if let Some(found) = layer.iter().find(|f| base.root(f, strict)) {
                    return Some((found.text.clone(), base.inflected));
                }
            }
            // The -k form itself is tried last: `kedudukan` is ke-duduk-an, not keduduk-an.
            if stripped.kan && i == 1 && base.form.len() >= MIN_ROOT && is_root(&base.form) {
                return Some((base.form.to_string(), base.inflected));
            }
        }
    }
    None
}

/// A word with its suffixes stripped, and no root found yet.
struct Unsuffixed<'a> {
    /// The word before each suffix was removed (the word itself first).
    subjects: Vec<&'a str>,
    /// What is left once every suffix is off.
    current: &'a str,
    /// The last suffix removed was `-kan`.
    kan: bool,
    /// A particle or possessive was removed.
    inflected: bool,
    min_root: usize,
    /// The derivational suffix removed last, if that was the last suffix removed.
    last_suffix: &'static str,
}

/// Particle, possessive and derivational suffix off in turn: `Ok` with the root (and whether
/// it was inflected) as soon as what is left is one, else what stripping left.
fn strip_suffix_layers(word: &str) -> Result<(String, bool), Unsuffixed<'_>> {
    let mut u = Unsuffixed {
        subjects: Vec::with_capacity(3),
        current: word,
        kan: false,
        inflected: false,
        min_root: MIN_ROOT,
        last_suffix: "",
    };
    for (i, set) in [PARTICLES, POSSESSIVES, DERIVATIONAL]
        .into_iter()
        .enumerate()
    {
        if let Some((rest, suffix)) = strip(u.current, set) {
            u.subjects.push(u.current);
            u.kan = suffix == "kan";
            u.inflected |= i < 2;
            u.last_suffix = if i == 2 { suffix } else { "" };
            if FOREIGN.contains(&suffix) {
                u.min_root = MIN_FOREIGN_ROOT;
            }
            u.current = rest;
            if u.current.len() >= u.min_root && is_root(u.current) {
                return Ok((u.current.to_string(), u.inflected));
            }
        }
    }
    Err(u)
}

impl<'a> Unsuffixed<'a> {
    /// Forms to strip prefixes from, in the order they are tried: the stripped word, then the
    /// loop pengembalian akhiran (suffixes restored innermost first; `-kan` may hide a root in
    /// -k, tried second).
    fn bases(&self) -> Vec<Base<'a>> {
        let current = self.current;
        let mut bases = vec![Base {
            form: Cow::Borrowed(current),
            min_root: self.min_root,
            suffix: if self.subjects.is_empty() {
                ""
            } else {
                self.last_suffix
            },
            inflected: self.inflected,
        }];
        for (k, subject) in self.subjects.iter().enumerate().rev() {
            if self.kan && k + 1 == self.subjects.len() {
                bases.push(Base {
                    form: Cow::Owned(format!("{current}k")),
                    min_root: MIN_ROOT,
                    suffix: "an",
                    inflected: self.inflected,
                });
            }
            bases.push(Base {
                form: Cow::Borrowed(*subject),
                min_root: MIN_ROOT,
                suffix: "",
                // subjects[k] still carries every suffix removed at steps k.. (0 is the word).
                inflected: k > 0 && self.inflected,
            });
        }
        bases
    }
}

/// ECS precedence adjustment: prefixes first; at each prefix layer the forms are checked as they
/// are, then with their suffixes stripped.
fn prefix_first(word: &str) -> Option<String> {
    for layer in prefix_layers(word) {
        if let Some(found) = layer.iter().find(|f| is_root(&f.text)) {
            return Some(found.text.clone());
        }
        if let Some(root) = layer.iter().find_map(strip_suffixes) {
            return Some(root);
        }
    }
    None
}

/// What a prefix rule removed: repeated prefixes are not stripped again, and the outermost one
/// decides which suffixes it can combine with.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Prefix {
    Di,
    Ke,
    Se,
    Ber,
    Ter,
    Me,
    /// pe- and peN- (nominalizing, pairs with meN-)
    PeN,
    Per,
}

/// A form left by prefix removal, and the outermost prefix removed to reach it.
struct Form {
    text: String,
    outer: Prefix,
}

/// The forms left by removing one, two and three prefixes (one list per layer), trying every
/// alternative of every matching rule, in rule order.
fn prefix_layers(word: &str) -> Vec<Vec<Form>> {
    let mut layers: Vec<Vec<Form>> = Vec::with_capacity(MAX_PREFIXES);
    // The last prefix removed to reach each form of the newest layer.
    let mut lasts: Vec<Prefix> = Vec::new();
    let mut alternatives: Vec<(Prefix, String)> = Vec::new();
    for _ in 0..MAX_PREFIXES {
        let mut layer: Vec<Form> = Vec::new();
        let mut layer_lasts: Vec<Prefix> = Vec::new();
        let sources: Vec<(&str, Option<Prefix>, Option<Prefix>)> = match layers.last() {
            None => vec![(word, None, None)],
            Some(previous) => previous
                .iter()
                .zip(&lasts)
                .map(|(f, last)| (f.text.as_str(), Some(f.outer), Some(*last)))
                .collect(),
        };
        for (form, outer, last) in sources {
            alternatives.clear();
            prefix_alternatives(form, &mut alternatives);
            for (kind, rest) in alternatives.drain(..) {
                let too_short = rest.len() < MIN_ROOT;
                // A prefix is not removed twice in a row, except se- (`seseorang`).
                let repeated = Some(kind) == last && kind != Prefix::Se;
                if too_short || repeated || layer.iter().any(|f| f.text == rest) {
                    continue;
                }
                layer.push(Form {
                    text: rest,
                    outer: outer.unwrap_or(kind),
                });
                layer_lasts.push(kind);
            }
        }
        if layer.is_empty() {
            break;
        }
        layers.push(layer);
        lasts = layer_lasts;
    }
    layers
}

/// One vowel group: the roots that take menge-/penge- (`bom`, `cat`, `tik`, `las`).
fn is_monosyllable(s: &str) -> bool {
    let b = s.as_bytes();
    let groups = (0..b.len())
        .filter(|&i| is_vowel(b[i]) && (i == 0 || !is_vowel(b[i - 1])))
        .count();
    groups == 1
}

/// Consonants other than the sonorants l, m, n, r, w, y (rules 35 and 36).
fn is_obstruent(b: u8) -> bool {
    is_consonant(b) && !matches!(b, b'l' | b'm' | b'n' | b'r' | b'w' | b'y')
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'i' | b'u' | b'e' | b'o')
}

fn is_consonant(b: u8) -> bool {
    b.is_ascii_lowercase() && !is_vowel(b)
}

/// The Nazief–Adriani / CS / ECS prefix disambiguation rules (numbered as in Sastrawi), each
/// giving every recoding; pushed in rule order (one function per prefix family, in that order).
fn prefix_alternatives(w: &str, out: &mut Vec<(Prefix, String)>) {
    let mut push = |kind: Prefix, recode: &str, rest: &str| {
        let mut s = String::with_capacity(recode.len() + rest.len());
        s.push_str(recode);
        s.push_str(rest);
        out.push((kind, s));
    };
    match w.as_bytes().get(..2).unwrap_or_default() {
        b"di" => push(Prefix::Di, "", &w[2..]),
        b"ke" => push(Prefix::Ke, "", &w[2..]),
        b"se" => push(Prefix::Se, "", &w[2..]),
        _ => {}
    }
    ber_rules(w, &mut push);
    ter_rules(w, &mut push);
    if w.starts_with("me") {
        me_pe_nasal(w, Prefix::Me, &mut push);
    }
    if w.starts_with("pe") {
        pe_rules(w, &mut push);
    }
    // 37–40, the infixes -er-, -el-, -em-, -in-, are not stripped: they are no longer
    // productive, the words that have them are dictionary entries or lexicalized (`kinerja` is not
    // `kerja`), and on this corpus every removal was wrong (`feminis` → `finis`, `minute` → `mute`).
    // 41, 42: the proclitics ku-, kau- are left alone: rare in academic prose, and they turn
    // names into roots (`Kumar` → `mar`).
}

/// The byte at `i`, 0 past the end (so a short word fails every test on it).
fn byte_at(w: &str, i: usize) -> u8 {
    w.as_bytes().get(i).copied().unwrap_or(0)
}

/// ber- (rules 1–5).
fn ber_rules(w: &str, push: &mut dyn FnMut(Prefix, &str, &str)) {
    let at = |i: usize| byte_at(w, i);
    if let Some(rest) = w.strip_prefix("ber") {
        let (c1, c2) = (at(3), at(4));
        if is_vowel(c1) {
            // 1a ber-V, 1b be-rV
            push(Prefix::Ber, "", rest);
            push(Prefix::Ber, "r", rest);
        } else if is_consonant(c1) && c2.is_ascii_lowercase() {
            if !w[5..].starts_with("er") {
                push(Prefix::Ber, "", rest); // 2 ber-CAP, P != er
            } else if c1 != b'r' && is_vowel(at(7)) {
                push(Prefix::Ber, "", rest); // 3 ber-CAerV
            }
        }
    }
    if w == "belajar" {
        push(Prefix::Ber, "", "ajar"); // 4
    }
    if let Some(rest) = w.strip_prefix("be") {
        let c1 = at(2);
        if is_consonant(c1) && c1 != b'r' && at(3) == b'e' && at(4) == b'r' && is_consonant(at(5)) {
            push(Prefix::Ber, "", rest); // 5 be-C1erC2
        }
    }
}

/// ter- (rules 6–9 and 35).
fn ter_rules(w: &str, push: &mut dyn FnMut(Prefix, &str, &str)) {
    let at = |i: usize| byte_at(w, i);
    if let Some(rest) = w.strip_prefix("ter") {
        let c1 = at(3);
        if is_vowel(c1) {
            // 6a ter-V, 6b te-rV
            push(Prefix::Ter, "", rest);
            push(Prefix::Ter, "r", rest);
        } else if is_consonant(c1) && c1 != b'r' {
            if at(4) == b'e' && at(5) == b'r' {
                if is_vowel(at(6)) {
                    push(Prefix::Ter, "", rest); // 7 ter-CerV
                } else if is_consonant(at(6)) && is_obstruent(c1) {
                    push(Prefix::Ter, "", rest); // 35 ter-C1erC2
                }
            } else {
                push(Prefix::Ter, "", rest); // 8 ter-CP
            }
        }
    }
    if let Some(rest) = w.strip_prefix("te") {
        let c1 = at(2);
        if is_consonant(c1) && c1 != b'r' && at(3) == b'e' && at(4) == b'r' && is_consonant(at(5)) {
            push(Prefix::Ter, "", rest); // 9 te-C1erC2
        }
    }
}

/// pe- and per- (rules 20–36, the nasal ones shared with meN-), for a word that starts `pe`.
fn pe_rules(w: &str, push: &mut dyn FnMut(Prefix, &str, &str)) {
    let at = |i: usize| byte_at(w, i);
    let rest = &w[2..];
    let c2 = at(2);
    if matches!(c2, b'w' | b'y') && is_vowel(at(3)) {
        push(Prefix::PeN, "", rest); // 20 pe-{w|y}V
    }
    if c2 == b'r' && is_vowel(at(3)) {
        // 21a per-V, 21b pe-rV
        push(Prefix::Per, "", &rest[1..]);
        push(Prefix::PeN, "", rest);
    }
    if c2 == b'r' && is_consonant(at(3)) && at(4).is_ascii_lowercase() {
        if !rest[3..].starts_with("er") {
            push(Prefix::Per, "", &rest[1..]); // 23 per-CAP
        } else if at(3) != b'r' && is_vowel(at(7)) {
            push(Prefix::Per, "", &rest[1..]); // 24 per-CAerV
        }
    }
    me_pe_nasal(w, Prefix::PeN, push);
    if w == "pelajar" {
        push(Prefix::PeN, "", "ajar"); // 32
    } else if c2 == b'l' && is_vowel(at(3)) {
        push(Prefix::PeN, "", rest); // 32 pe-lV
    }
    let cer = is_consonant(c2) && at(3) == b'e' && at(4) == b'r';
    if is_consonant(c2) && !cer {
        push(Prefix::PeN, "", rest); // 34 pe-CP
    }
    if cer && is_obstruent(c2) && is_consonant(at(5)) {
        push(Prefix::PeN, "", rest); // 36 pe-C1erC2
    }
    if cer && is_vowel(at(5)) {
        // pe-CerV, which neither 34 nor 36 covers (`peperangan` → `perang`)
        push(Prefix::PeN, "", rest);
    }
}

/// The nasal prefixes meN- and peN- (rules 10–19 and 25–31), which share their recodings.
fn me_pe_nasal(w: &str, kind: Prefix, push: &mut dyn FnMut(Prefix, &str, &str)) {
    let b = w.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let me = kind == Prefix::Me;
    match (at(2), at(3)) {
        (b'l' | b'r' | b'w' | b'y', v) if me && is_vowel(v) => push(kind, "", &w[2..]), // 10
        (b'm', b'b' | b'f' | b'v') => push(kind, "", &w[3..]),                          // 11, 25
        (b'm', b'p') if me && at(4) == b'e' => push(kind, "", &w[3..]),                 // 12 mem-pe
        (b'm', b'p') if me && at(4) != b'n' => push(kind, "", &w[3..]),                 // 19 mem-pA
        (b'm', v) if is_vowel(v) => {
            // 13, 26: me-m{V} or me-p{V}; a root in pe… is likelier than one in me….
            if v == b'e' {
                push(kind, "p", &w[3..]);
                push(kind, "m", &w[3..]);
            } else {
                push(kind, "m", &w[3..]);
                push(kind, "p", &w[3..]);
            }
        }
        (b'm', b'r') if is_vowel(at(4)) => {
            // mem-rV / pem-rV before a pr- root (`pemrosesan` → `proses`), as sastrawi-rs does
            push(kind, "p", &w[3..]);
            push(kind, "m", &w[3..]);
        }
        (b'n', b'c' | b'd' | b'j' | b's' | b't' | b'z') => push(kind, "", &w[3..]), // 14, 27
        (b'n', v) if is_vowel(v) => {
            // 15, 28: me-n{V} or me-t{V}
            push(kind, "n", &w[3..]);
            push(kind, "t", &w[3..]);
        }
        (b'n', b'g') => {
            let c = at(4);
            if me && matches!(c, b'g' | b'h' | b'q' | b'k') || !me && is_consonant(c) {
                push(kind, "", &w[4..]); // 16, 29
            } else if is_vowel(c) {
                // 17, 30: meng-V, meng-kV, menge-C (monosyllabic roots), me-ngV
                push(kind, "", &w[4..]);
                push(kind, "k", &w[4..]);
                if c == b'e' && is_monosyllable(&w[5..]) {
                    push(kind, "", &w[5..]);
                }
                if me {
                    push(kind, "ng", &w[4..]);
                }
            }
        }
        (b'n', b'y') if is_vowel(at(4)) => {
            // 18, 31: me-nyV or meny-sV
            push(kind, "ny", &w[4..]);
            push(kind, "s", &w[4..]);
        }
        _ => {}
    }
}

thread_local! {
    /// Memo of roots: the corpus vocabulary is small next to its token count, and the
    /// dictionary search costs a few microseconds per word.
    static MEMO: StemMemo = StemMemo::default();
}

/// The root of `word` (a lowercase folded word), `None` where it is its own root; without the
/// memo, for a caller that keeps its own ([`super::forms`]).
pub(crate) fn root_unmemoized(word: &str) -> Option<String> {
    stem_plain(word).filter(|root| root != word)
}

/// Replaces `text` (a lowercase folded word) by its root, in place, through the memo.
pub(crate) fn stem_in_place(text: &mut String) {
    if text.len() <= MAX_UNSTEMMED || !text.bytes().all(|b| b.is_ascii_lowercase()) {
        return;
    }
    stem_through(&MEMO, text, root_unmemoized);
}

/// The verbs an Indonesian word is in other voices, which the dictionary lists under one
/// voice or under none: a root's own verbs (`buat`: `membuat`, `dibuat`, `terbuat`,
/// `berbuat`), an active verb's passive (`memperlakukan`: `diperlakukan`). Only the prefixes,
/// not the suffixes `-kan` and `-i`, which often make another word (`alam`, nature;
/// `mengalami`, to experience).
pub(crate) fn voices(word: &str) -> Vec<String> {
    if stem_id(word) != word {
        return passive(word).into_iter().collect();
    }
    let Some(active) = active(word) else {
        return Vec::new();
    };
    let r = if word.starts_with('r') { "" } else { "r" };
    vec![
        active,
        format!("di{word}"),
        format!("te{r}{word}"),
        format!("be{r}{word}"),
    ]
}

/// The active (`meN-`) verb of an Indonesian root, its nasal as the root's first sounds ask:
/// `buat` → `membuat`, `tulis` → `menulis`, `kirim` → `mengirim`, `sapu` → `menyapu`, `ubah`
/// → `mengubah`, `lapor` → `melapor`, `bom` → `mengebom`; a consonant cluster keeps its first
/// letter (`proses` → `memproses`).
fn active(root: &str) -> Option<String> {
    let b = root.as_bytes();
    let first = *b.first()?;
    let then_vowel = b.get(1).is_some_and(|&c| is_vowel(c));
    // A vowel a syllable, less the diphthongs `ai`, `au`, `oi` (`buat` has two, `klaim` one).
    let diphthongs = ["ai", "au", "oi"]
        .iter()
        .map(|d| root.matches(d).count())
        .sum::<usize>();
    let syllables = b.iter().filter(|&&c| is_vowel(c)).count() - diphthongs;
    if syllables == 1 {
        return Some(format!("menge{root}"));
    }
    let (nasal, drops) = match first {
        b'a' | b'e' | b'i' | b'o' | b'u' | b'g' | b'h' => ("meng", false),
        b'k' => ("meng", true),
        b'b' | b'f' | b'v' => ("mem", false),
        b'p' => ("mem", true),
        b'd' | b'c' | b'j' | b'z' => ("men", false),
        b't' => ("men", true),
        b's' => ("meny", true),
        b'l' | b'm' | b'n' | b'r' | b'w' | b'y' => ("me", false),
        _ => return None,
    };
    let rest = if drops && then_vowel {
        &root[1..]
    } else {
        root
    };
    let nasal = if drops && !then_vowel && first == b's' {
        "men"
    } else {
        nasal
    };
    Some(format!("{nasal}{rest}"))
}

/// The passive (`di-`) of an Indonesian active verb (`meN-`), the same verb in the other voice,
/// which the dictionary lists under the active alone: `memperlakukan` → `diperlakukan`,
/// `menunjang` → `ditunjang` (the nasal took the root's `t`), `menyatakan` → `dinyatakan`.
fn passive(word: &str) -> Option<String> {
    let rest = word.strip_prefix("me")?;
    let root = stem_id(word);
    // The root as written after the prefix, or without the first letter the nasal replaced.
    let (at, restored) = match rest.find(root.as_str()) {
        Some(at) => (at, ""),
        None => {
            let first = root
                .get(..1)
                .filter(|c| matches!(*c, "k" | "p" | "t" | "s"))?;
            (rest.find(root.get(1..)?)?, first)
        }
    };
    let prefix = &rest[..at];
    let after_nasal = ["ng", "ny", "m", "n"]
        .iter()
        .find_map(|n| prefix.strip_prefix(n))
        .unwrap_or(prefix);
    let inner = match (restored, after_nasal) {
        ("", "" | "per") => after_nasal,
        (_, "") if !prefix.is_empty() => "",
        _ => return None,
    };
    Some(format!("di{inner}{restored}{}", &rest[at..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_indonesian_verb_is_put_in_its_other_voices() {
        for (root, active_verb) in [
            ("buat", "membuat"),
            ("tulis", "menulis"),
            ("kirim", "mengirim"),
            ("sapu", "menyapu"),
            ("ubah", "mengubah"),
            ("lapor", "melapor"),
            ("pukul", "memukul"),
            ("dukung", "mendukung"),
            ("bom", "mengebom"),
            ("proses", "memproses"),
        ] {
            assert_eq!(active(root).as_deref(), Some(active_verb), "{root}");
            assert_eq!(
                voices(root)[..2],
                [active_verb.to_string(), format!("di{root}")]
            );
        }
        assert_eq!(voices("rawat")[2..], ["terawat", "berawat"]);
        for (active_verb, passive_verb) in [
            ("memperlakukan", "diperlakukan"),
            ("menyatakan", "dinyatakan"),
            ("menunjang", "ditunjang"),
            ("mengobati", "diobati"),
            ("merawat", "dirawat"),
            ("memberi", "diberi"),
        ] {
            assert_eq!(voices(active_verb), [passive_verb], "{active_verb}");
        }
        // Not a verb in `me-`: no passive is made up.
        assert!(passive("meja").is_none());
    }
}
