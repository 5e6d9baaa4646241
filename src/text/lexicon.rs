//! An English–Indonesian lexicon, so a query in one language also finds passages in the other.
//!
//! Cognates are found by rule ([`crate::search::cognate`]); this is for the rest: `women` →
//! `perempuan`, `killed` → `bunuh`, `border` → `perbatasan`, `hakim` → `judge`. Two files,
//! compiled into the binary so that nothing is read or downloaded at run time:
//!
//! - `lexicon/freedict-eng-ind.tsv`: FreeDict's English–Indonesian dictionary (from Wiktionary
//!   via WikDict, CC BY-SA 3.0), as Debian's `dict-freedict-eng-ind` ships it, reduced by
//!   `scripts/build_lexicon.py` to one line per headword: `english<TAB>pos<TAB>id|id|…`, first
//!   sense first. About 9,400 headwords and 13,700 pairs.
//! - `lexicon/pustaka-eng-ind.tsv`: our own hand-checked lines. `english<TAB>id|id` adds
//!   pairs the dictionary lacks and academic and legal text needs (`verdict` → `putusan`,
//!   `method` → `metode`); `-english<TAB>id|id` drops senses that mislead in such text
//!   (`court` → `lapangan`, a sports court). Each was checked by reading.
//!
//! Keys are matched as the analyzers leave words: an English headword also by its Snowball
//! stem (`killed`, `kills` → `kill`), an Indonesian translation also by its root (`dibunuh` →
//! `bunuh`), and a headword of several words (`human trafficking`) by its words in order, so a
//! query holding them is translated as a phrase. Which senses fit a query is not decided here:
//! search keeps the translations that occur in the index and prefers those that occur with the
//! query's other words.

use std::collections::HashMap;

use super::english::stem_en;
use super::indonesian::{stem_id, voices};
use super::tokenizer::fold_word;

/// The two source files, read only to compile the lexicon (see [`Lexicon::compiled`]).
pub const SOURCES: [&str; 2] = [
    include_str!("lexicon/freedict-eng-ind.tsv"),
    include_str!("lexicon/pustaka-eng-ind.tsv"),
];
/// The lexicon as search reads it: both directions, every key (word, stem, root) on a line of
/// its own, sorted, so a lookup is a binary search over the text compiled into the binary and
/// nothing is parsed at start-up (parsing and stemming the sources takes about 50 ms, which a
/// one-shot `pustaka search` would pay every time). `cargo test` checks it against the
/// sources; `PUSTAKA_BLESS=1 cargo test --lib lexicon` rewrites it after they change.
const COMPILED: &str = include_str!("lexicon/compiled.tsv");
/// The compiled lines' direction column for an Indonesian word's kin ([`Compiled::kin`]).
const KIN: &str = "kin";

/// Most translations kept for one headword: the first senses, which the dictionary lists first
/// because they are the common ones.
pub const MAX_SENSES: usize = 6;

/// The language a translation is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Indonesian.
    Id,
}

/// Both directions of the lexicon, keyed by folded words and by their stems or roots.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// English word or phrase (and its stems) → Indonesian translations.
    en_id: HashMap<String, Senses>,
    /// Indonesian word or phrase (and its roots) → English translations.
    id_en: HashMap<String, Senses>,
}

/// One key's translations, kept in three lists because a search wants fewer than all: those of
/// the key itself (`orang`: person, people, man); those it has as the stem or root of other
/// words (`orang` of `perseorangan`'s private and `orang-orangan`'s scarecrow); and, apart,
/// those of English words derived from its stem rather than inflected (`respons` of
/// `responsibility`, `present` of `presenter`: [`inflects`]). Compiled as
/// `own|own;by_root|by_root;derived|derived`.
#[derive(Debug, Default)]
struct Senses {
    own: Vec<String>,
    by_root: Vec<String>,
    derived: Vec<String>,
}

impl Senses {
    /// All three lists in order (a translation may be in more than one).
    fn all(&self) -> impl Iterator<Item = &String> {
        self.own.iter().chain(&self.by_root).chain(&self.derived)
    }

    /// The compiled column: the three lists, each translation in the first it is in, empty
    /// lists at the end left out.
    fn column(&self) -> String {
        let mut seen: Vec<&String> = Vec::new();
        let mut lists: Vec<String> = Vec::new();
        for list in [&self.own, &self.by_root, &self.derived] {
            let fresh: Vec<&str> = list
                .iter()
                .filter(|t| !seen.contains(t))
                .map(String::as_str)
                .collect();
            seen.extend(list);
            lists.push(fresh.join("|"));
        }
        while lists.len() > 1 && lists.last().is_some_and(String::is_empty) {
            lists.pop();
        }
        lists.join(";")
    }
}

/// The lexicon, shared.
pub fn lexicon() -> &'static Compiled {
    static LEXICON: Compiled = Compiled {
        text: COMPILED,
        starts: &LINE_STARTS,
        table: &LINE_TABLE,
    };
    &LEXICON
}

/// The compiled lexicon: sorted lines `en|id<TAB>key<TAB>own|own;by_root|by_root;derived`
/// ([`Senses`]), and `kin<TAB>word<TAB>word|word` ([`Compiled::kin`]).
///
/// Looked up in a hash table of its lines' keys that `build.rs` makes when the binary is built:
/// an index made at run time meant a pass over all 650 KB of it, page faults included, on the
/// first lookup of every process (a tenth of a one-query `pustaka search`); a binary search
/// over its bytes had to find the line around every probe (some twenty per lookup, 2.5% of a
/// search on corpus-large, perf), and one over the starts of its lines still compared some
/// fifteen lines in as many places (3.5% of a server's CPU, perf), where the table compares one
/// or two.
#[derive(Debug)]
pub struct Compiled {
    text: &'static str,
    /// Where each line of `text` starts, the comment header left out.
    starts: &'static [u32],
    /// The lines by key: slot `fnv("dir<TAB>key<TAB>") & (len - 1)`, or the next free one
    /// after it, holds the line's index in `starts` + 1; 0 is an empty slot, and at most half
    /// the slots are taken.
    table: &'static [u32],
}

include!(concat!(env!("OUT_DIR"), "/lexicon_lines.rs"));

impl Compiled {
    /// The translations column of the line for `key` in the direction `from`: each line is
    /// compared as bytes with `dir<TAB>key<TAB>`, without cutting it into its columns.
    fn get(&self, from: Lang, key: &str) -> Option<&'static str> {
        self.get_in(from.code(), key)
    }

    /// The last column of the line `dir<TAB>key<TAB>…`, if there is one.
    fn get_in(&self, dir: &str, key: &str) -> Option<&'static str> {
        let want: [&[u8]; 4] = [dir.as_bytes(), b"\t", key.as_bytes(), b"\t"];
        let mut hash = super::hash::Fnv::default();
        want.iter().for_each(|part| hash.write(part));
        let mask = self.table.len() - 1;
        let mut slot = hash.finish() as usize & mask;
        let bytes = self.text.as_bytes();
        loop {
            let line = *self.table.get(slot)? as usize;
            let start = *self.starts.get(line.checked_sub(1)?)? as usize;
            if begins_with(&bytes[start..], want) {
                let width: usize = want.iter().map(|p| p.len()).sum();
                return Some(self.line_at(start + width));
            }
            slot = (slot + 1) & mask;
        }
    }

    /// The line starting at byte `start` of the text, without its newline.
    fn line_at(&self, start: usize) -> &'static str {
        let rest = self.text.get(start..).unwrap_or("");
        rest.split_once('\n').map_or(rest, |(line, _)| line)
    }

    /// The words an Indonesian translation is found by when its root's family is too wide,
    /// itself first: the words of its root the dictionary lists with an English sense it
    /// shares (`perubahan`, change: `ubah`; not `melakukan`, to do, for `perlakuan`,
    /// treatment, nor `pelaku`, the perpetrator, nor `berlaku`, to be valid), and their verbs
    /// in the other voices (`ubah`: `mengubah`, `diubah`, `berubah`; [`voices`]). A root
    /// stands for every word made from it, and in Indonesian derivation often changes the
    /// meaning: found by its root `laku`, `treatment` matched 15,844 court passages, most of
    /// them for `dilakukan` (done), where `perlakuan` is in 34. `None` when every listed word
    /// of the root shares a sense with it (or it has none): its root finds it.
    pub fn kin(&self, word: &str) -> Option<std::str::Split<'static, char>> {
        self.get_in(KIN, word).map(|line| line.split('|'))
    }

    /// Translations of `word` (one word or several, as the exact analyzer leaves them) from
    /// `from` into the other language: those of the word itself, then those of its stem or
    /// root (`killed`: `dibunuh`, then `bunuh`), and of the words sharing either.
    pub fn translate(&self, word: &str, from: Lang) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        let reduced = reduced(word, from.reduce());
        let keys = std::iter::once(word).chain((reduced != word).then_some(reduced.as_str()));
        for line in keys.filter_map(|key| self.get(from, key)) {
            add_line(&mut out, line);
        }
        out
    }

    /// The senses of `word` a search looks for: those the dictionary lists for the word
    /// itself, or, when it lists none, those of the words it is the stem or root of, or of the
    /// English word it inflects ([`bases`]), or of its own stem or root. A derived word means
    /// what its own entry says, often not what its root does: `kekerasan` is violence or abuse,
    /// `keras` hard or stiff, and `hard` found for it (a sense the root adds, which occurs with
    /// `home` in English passages more often than `violence` does) turned `kekerasan rumah
    /// tangga`, domestic violence, into hard homes.
    /// Nor does a root mean what its derived words do: `orang` (person) is not `perseorangan`'s
    /// private or `orang-orangan`'s scarecrow, `berat` (heavy) not `keberatan`'s objection.
    /// Nor does an English word mean what the other words of its stem do, Snowball's stems
    /// reaching past inflection: `response` is not `responsibility`'s `tanggung jawab`, nor
    /// `presented` `presenter`'s `pembawa acara` ([`inflects`]). [`Compiled::translate`] keeps
    /// them all for telling whether two passages translate each other, where more senses find
    /// more.
    pub fn senses(&self, word: &str, from: Lang) -> Vec<&'static str> {
        let mut out = Vec::new();
        if let Some(line) = self.get(from, word) {
            let (own, by_root, _) = split_senses(line);
            add_senses(&mut out, if own.is_empty() { by_root } else { own });
            return out;
        }
        if from == Lang::En {
            // An inflection of a listed word (`conditions`, `similarly`) takes that word's own.
            let own = bases(word)
                .iter()
                .filter_map(|b| self.get(from, b))
                .map(|line| split_senses(line).0)
                .find(|own| !own.is_empty());
            if let Some(own) = own {
                add_senses(&mut out, own);
                return out;
            }
        }
        let reduced = reduced(word, from.reduce());
        let of_reduced = reduced != word && (from == Lang::Id || inflects(word, &reduced));
        if let Some(line) = of_reduced.then(|| self.get(from, &reduced)).flatten() {
            let (own, by_root, _) = split_senses(line);
            add_senses(&mut out, own);
            add_senses(&mut out, by_root);
        }
        out
    }
}

impl Lang {
    /// The language's code, as passages carry it (`lang`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Id => "id",
        }
    }

    /// The language of a passage's code, if the lexicon has it.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "id" => Some(Lang::Id),
            _ => None,
        }
    }

    /// The language the lexicon translates this one into.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Id,
            Lang::Id => Lang::En,
        }
    }

    /// How a word in this language is reduced, as its analyzer does: the English stem, the
    /// Indonesian root.
    pub fn reduce(self) -> fn(&str) -> String {
        match self {
            Lang::En => stem_en,
            Lang::Id => stem_id,
        }
    }
}

/// A line's translations column as its three lists ([`Senses`]): `(own, by_root, derived)`.
fn split_senses(column: &'static str) -> (&'static str, &'static str, &'static str) {
    let mut lists = column.splitn(3, ';');
    let mut next = || lists.next().unwrap_or("");
    (next(), next(), next())
}

/// Adds the lists of a line's translations column to `out`, in order.
fn add_line(out: &mut Vec<&'static str>, column: &'static str) {
    let (own, by_root, derived) = split_senses(column);
    for list in [own, by_root, derived] {
        add_senses(out, list);
    }
}

/// Whether English `word` (or phrase) is its Snowball `stem` with at most an inflection, word
/// by word: `trafficking` and `trafficked` of `traffick`, `studies` and `study` of `studi`,
/// `planned` of `plan`, `making` of `make`; not a derivation, which often means something else
/// (`responsibility` of `respons`, `presenter` of `present`, `position` of `posit`).
fn inflects(word: &str, stem: &str) -> bool {
    let (words, stems): (Vec<&str>, Vec<&str>) =
        (word.split(' ').collect(), stem.split(' ').collect());
    words.len() == stems.len() && words.iter().zip(&stems).all(|(w, s)| inflects_word(w, s))
}

/// The words an English `word` may inflect, in the order tried: `conditions` → `condition`,
/// `studies` → `study`, `planned` → `plan`, `making` → `make`, `similarly` → `similar`,
/// `specifically` → `specific`.
fn bases(word: &str) -> Vec<String> {
    const ENDINGS: [(&str, &str); 10] = [
        ("ies", "y"),
        ("ied", "y"),
        ("ally", ""),
        ("ly", ""),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
    ];
    let mut out: Vec<String> = Vec::new();
    for (ending, put) in ENDINGS {
        let Some(stem) = word.strip_suffix(ending).filter(|s| s.len() >= 3) else {
            continue;
        };
        // `-es` after a sibilant only (`classes`, not `sites` → `sit`); `-ally` after `-ic`
        // only (`specifically`, not `finally` → `fin`).
        let sibilant = ["s", "x", "z", "ch", "sh"]
            .iter()
            .any(|e| stem.ends_with(e));
        if (ending == "es" && !sibilant) || (ending == "ally" && !stem.ends_with("ic")) {
            continue;
        }
        let mut candidates = vec![format!("{stem}{put}")];
        // A final consonant doubled before the ending: `planned` → `plan`.
        let b = stem.as_bytes();
        if put.is_empty() && b.len() >= 4 && b[b.len() - 1] == b[b.len() - 2] {
            candidates.push(stem[..stem.len() - 1].to_string());
        }
        for c in candidates {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

fn inflects_word(word: &str, stem: &str) -> bool {
    const ENDINGS: [&str; 8] = ["", "s", "es", "e", "ed", "d", "ing", "ings"];
    // Snowball writes a final `y` as `i` (`study` → `studi`) and drops a final `e` (`make`).
    let rest = word
        .strip_prefix(stem)
        .or_else(|| {
            word.strip_prefix(stem.strip_suffix('i')?)?
                .strip_prefix('y')
        })
        .or_else(|| word.strip_prefix(stem.strip_suffix('e')?));
    let Some(rest) = rest else {
        return false;
    };
    // A final consonant doubled before the ending: `planned`, `planning`.
    let rest = match (stem.as_bytes().last(), rest.as_bytes().first()) {
        (Some(a), Some(b)) if a == b && rest.len() > 1 => &rest[1..],
        _ => rest,
    };
    ENDINGS.contains(&rest)
}

/// Adds each of a list of translations (`a|b|c`) to `out` once.
fn add_senses(out: &mut Vec<&'static str>, list: &'static str) {
    for t in list.split('|').filter(|t| !t.is_empty()) {
        if !out.contains(&t) {
            out.push(t);
        }
    }
}

/// Whether `text` (from a line's start on) begins with the concatenation of `parts`: the line's
/// first columns are the key's.
fn begins_with(text: &[u8], parts: [&[u8]; 4]) -> bool {
    let mut rest = text;
    for p in parts {
        match rest.strip_prefix(p) {
            Some(after) => rest = after,
            None => return false,
        }
    }
    true
}

/// A line of a lexicon file: the headword, its translations, and whether they are dropped.
fn line(l: &str) -> Option<(bool, String, Vec<String>)> {
    if l.starts_with('#') || l.trim().is_empty() {
        return None;
    }
    let mut cols = l.split('\t');
    let head = cols.next()?.trim();
    // The dictionary's lines carry a part of speech in the middle; ours do not.
    let ids = cols.next_back()?;
    let (drop, head) = match head.strip_prefix('-') {
        Some(h) => (true, h),
        None => (false, head),
    };
    let ids = ids
        .split('|')
        .map(normal)
        .filter(|s| !s.is_empty())
        .collect();
    Some((drop, normal(head), ids))
}

/// A word or phrase as the exact analyzer leaves its words: folded, single spaces.
fn normal(s: &str) -> String {
    s.split_whitespace()
        .map(fold_word)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text`'s words each reduced by `reduce`, joined by spaces. A single word (most lookups) is
/// reduced alone: collecting and joining its one piece cost as much as the stem (perf).
fn reduced(text: &str, reduce: fn(&str) -> String) -> String {
    if !text.contains(' ') {
        return reduce(text);
    }
    text.split(' ').map(reduce).collect::<Vec<_>>().join(" ")
}

impl Lexicon {
    /// Parse lexicon files, later files adding to and dropping from earlier ones.
    pub fn parse(files: &[&str]) -> Lexicon {
        let mut pairs: Vec<(String, Vec<String>)> = Vec::new();
        let mut at: HashMap<String, usize> = HashMap::new();
        for (drop, head, ids) in files.iter().flat_map(|f| f.lines()).filter_map(line) {
            let k = *at.entry(head.clone()).or_insert_with(|| {
                pairs.push((head.clone(), Vec::new()));
                pairs.len() - 1
            });
            let have = &mut pairs[k].1;
            if drop {
                have.retain(|t| !ids.contains(t));
            } else {
                for t in ids {
                    if !have.contains(&t) && t != head {
                        have.push(t);
                    }
                }
            }
        }
        let mut lex = Lexicon::default();
        for (en, ids) in pairs {
            for id in ids.iter().take(MAX_SENSES) {
                add(&mut lex.en_id, &en, id, Lang::En);
                add(&mut lex.id_en, id, &en, Lang::Id);
            }
        }
        lex
    }

    /// Translations of `word` from `from`, as [`Compiled::translate`] finds them.
    pub fn translate(&self, word: &str, from: Lang) -> Vec<&str> {
        let map = match from {
            Lang::En => &self.en_id,
            Lang::Id => &self.id_en,
        };
        let mut out: Vec<&str> = Vec::new();
        for key in [word.to_string(), reduced(word, from.reduce())] {
            for t in map.get(&key).into_iter().flat_map(Senses::all) {
                if !out.contains(&t.as_str()) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// The lexicon as [`Compiled`] reads it: see [`COMPILED`].
    pub fn compiled(&self) -> String {
        let mut lines: Vec<String> = Vec::new();
        for (dir, map) in [("en", &self.en_id), ("id", &self.id_en)] {
            for (key, ts) in map {
                lines.push(format!("{dir}\t{key}\t{}", ts.column()));
            }
        }
        for (word, kin) in self.kin() {
            lines.push(format!("{KIN}\t{word}\t{}", kin.join("|")));
        }
        lines.sort_by(|a, b| {
            let cols = |l: &str| {
                let mut c = l.splitn(3, '\t');
                (
                    c.next().unwrap_or("").to_string(),
                    c.next().unwrap_or("").to_string(),
                )
            };
            cols(a).cmp(&cols(b))
        });
        let mut out = String::from(
            "# Compiled from freedict-eng-ind.tsv (CC BY-SA 3.0) and pustaka-eng-ind.tsv by\n\
             # src/text/lexicon.rs; do not edit: PUSTAKA_BLESS=1 cargo test --lib lexicon\n",
        );
        for l in lines {
            out.push_str(&l);
            out.push('\n');
        }
        out
    }

    /// For each Indonesian word whose root's other listed words do not all share a sense with
    /// it, those that do (itself first): what a search finds it by ([`Compiled::kin`]).
    fn kin(&self) -> Vec<(String, Vec<String>)> {
        let mut families: HashMap<String, Vec<&str>> = HashMap::new();
        for (key, senses) in &self.id_en {
            if !key.contains(' ') && !senses.own.is_empty() {
                families.entry(stem_id(key)).or_default().push(key);
            }
        }
        let mut out = Vec::new();
        for members in families.values().filter(|m| m.len() > 1) {
            // Each member's sense stems, made once for the family, not once per pair.
            let meanings: Vec<Vec<String>> = members
                .iter()
                .map(|w| sense_stems(&self.id_en[*w].own))
                .collect();
            for (i, &word) in members.iter().enumerate() {
                let mut kin = vec![word.to_string()];
                kin.extend(
                    members
                        .iter()
                        .zip(&meanings)
                        .enumerate()
                        .filter(|&(j, (_, m))| j != i && shares_sense(&meanings[i], m))
                        .map(|(_, (w, _))| w.to_string()),
                );
                if kin.len() < members.len() {
                    kin[1..].sort();
                    let voices: Vec<String> = kin.iter().flat_map(|m| voices(m)).collect();
                    for v in voices {
                        if !kin.contains(&v) {
                            kin.push(v);
                        }
                    }
                    out.push((word.to_string(), kin));
                }
            }
        }
        out
    }
}

/// The stems of the content words of English senses (`take care of` → `take`, `care`).
fn sense_stems(senses: &[String]) -> Vec<String> {
    let mut out: Vec<String> = senses
        .iter()
        .flat_map(|s| s.split(' '))
        .filter(|w| w.len() > 2 && !super::function_words::is_function_word(w))
        .map(stem_en)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether two words' sense stems ([`sense_stems`]) share one: the same stem, or one the
/// other's beginning of at least four letters (`grow` of `growth`, `treat` of `treatment`,
/// `state` of `statement`), which Snowball leaves apart.
fn shares_sense(a: &[String], b: &[String]) -> bool {
    let same = |x: &str, y: &str| {
        let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
        short == long || (short.len() >= 4 && long.starts_with(short))
    };
    a.iter().any(|x| b.iter().any(|y| same(x, y)))
}

/// Map `key` (in the language `from`) to `value` as its own sense, and `key`'s reduced form to
/// it as a sense by root, or, for an English word derived from its stem, as a derived one;
/// the first-listed senses first.
fn add(map: &mut HashMap<String, Senses>, key: &str, value: &str, from: Lang) {
    let push = |v: &mut Vec<String>| {
        if !v.iter().any(|x| x == value) {
            v.push(value.to_string());
        }
    };
    push(&mut map.entry(key.to_string()).or_default().own);
    let r = reduced(key, from.reduce());
    if r != key {
        let at = map.entry(r.clone()).or_default();
        if from == Lang::En && !inflects(key, &r) {
            push(&mut at.derived);
        } else {
            push(&mut at.by_root);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_lexicon_is_the_sources_compiled() {
        let fresh = Lexicon::parse(&SOURCES).compiled();
        if std::env::var_os("PUSTAKA_BLESS").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/text/lexicon/compiled.tsv");
            std::fs::write(path, &fresh).unwrap();
            return;
        }
        assert!(
            fresh == COMPILED,
            "src/text/lexicon/compiled.tsv is out of date: PUSTAKA_BLESS=1 cargo test --lib lexicon"
        );
    }

    #[test]
    fn every_compiled_line_is_found_by_its_key_and_no_other_key_is() {
        let lex = lexicon();
        let entries: Vec<(&str, &str, &str)> = COMPILED
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| {
                let mut cols = l.splitn(3, '\t');
                let mut next = || cols.next().unwrap();
                (next(), next(), next())
            })
            .collect();
        let keys: std::collections::HashSet<(&str, &str)> =
            entries.iter().map(|&(d, k, _)| (d, k)).collect();
        for &(dir, key, translations) in &entries {
            assert_eq!(lex.get_in(dir, key), Some(translations), "{dir} {key}");
            // Keys between the lines (a space more, a letter less) find nothing.
            let longer = format!("{key} ");
            assert_eq!(lex.get_in(dir, &longer), None, "{dir} {key}");
            let shorter = &key[..key.floor_char_boundary(key.len() - 1)];
            let found = lex.get_in(dir, shorter).is_some();
            assert_eq!(found, keys.contains(&(dir, shorter)), "{dir} {shorter}");
        }
        assert!(entries.len() > 20_000, "{}", entries.len());
        // `build.rs` found the start of every line and of nothing else, and keyed each once in
        // a table at most half full.
        assert_eq!(lex.starts.len(), entries.len());
        let taken = lex.table.iter().filter(|&&line| line != 0).count();
        assert_eq!(taken, entries.len());
        assert!(lex.table.len() >= 2 * taken && lex.table.len().is_power_of_two());
        assert_eq!(lex.get(Lang::En, ""), None);
        assert_eq!(lex.get(Lang::Id, "zzzzzzzz"), None);
    }

    #[test]
    fn english_words_find_indonesian_ones_by_their_stem() {
        let lex = lexicon();
        assert!(lex
            .translate("killed", Lang::En)
            .iter()
            .any(|&t| t == "bunuh" || t == "membunuh"));
        assert!(lex.translate("border", Lang::En).contains(&"perbatasan"));
        assert!(lex.translate("judge", Lang::En).contains(&"hakim"));
    }

    #[test]
    fn a_search_takes_a_listed_word_s_own_senses_and_an_unlisted_one_s_root_s() {
        let lex = lexicon();
        // `kekerasan` is listed: violence, not its root `keras`'s hard or stiff.
        assert_eq!(lex.senses("kekerasan", Lang::Id), ["abuse", "violence"]);
        assert!(lex.translate("kekerasan", Lang::Id).contains(&"hard"));
        // `membunuhnya` (killed him) is not: its root `bunuh`'s.
        assert_eq!(lex.get(Lang::Id, "membunuhnya"), None);
        assert!(lex.senses("membunuhnya", Lang::Id).contains(&"kill"));
        assert!(lex.senses("killings", Lang::En).contains(&"pembunuhan"));
        assert!(lex.senses("zzzzzzzz", Lang::En).is_empty());
        // `orang` (person) is listed too: not `perseorangan`'s private nor `orang-orangan`'s
        // scarecrow, the senses of the words it is the root of, which telling translations
        // apart still reads.
        let orang = lex.senses("orang", Lang::Id);
        assert!(
            orang.contains(&"person") && orang.contains(&"people"),
            "{orang:?}"
        );
        assert!(
            !orang.contains(&"private") && !orang.contains(&"scarecrow"),
            "{orang:?}"
        );
        assert!(lex.translate("orang", Lang::Id).contains(&"private"));
        assert!(lex.senses("perseorangan", Lang::Id).contains(&"private"));
        // `adil` (just) is in the lexicon only as the root of other words: theirs.
        assert_eq!(
            lex.get(Lang::Id, "adil").map(|l| l.starts_with(';')),
            Some(true)
        );
        assert!(lex.senses("adil", Lang::Id).contains(&"justice"));
        // `berat` is serious, not severe: a translation into English is looked for by its
        // stem, and Snowball gives `severe` and `several` the one stem `sever`.
        let berat = lex.senses("berat", Lang::Id);
        assert!(
            berat.contains(&"serious") && !berat.contains(&"severe"),
            "{berat:?}"
        );
        assert_eq!(stem_en("severe"), stem_en("several"));
        // A witness is not seen: the dictionary's `see` → `saksi` is dropped.
        assert_eq!(lex.senses("saksi", Lang::Id), ["witness", "witnesses"]);
        // Nor is a result a `buah`, the classifier of every seized item in a court decision.
        let result = lex.senses("result", Lang::En);
        assert!(
            result.contains(&"hasil") && !result.contains(&"buah"),
            "{result:?}"
        );
        // Nor is a mean angry (`marah`), a patient `sabar` (forbearing), a figure `sosok` (the
        // classifier of a corpse, `sesosok jenazah`).
        // Science is not `alam` (nature, whose root's family is `pengalaman`, experience), nor
        // nature `ilmu` (science).
        for (en, id) in [
            ("mean", "marah"),
            ("patient", "sabar"),
            ("figure", "sosok"),
            ("science", "alam"),
            ("nature", "ilmu"),
            // Nor a match a `korek api` (a matchstick), a finding the court's `amar putusan`,
            // a stable a `kandang` (and by its root the town of Kandangan), a square a fence.
            ("match", "korek api"),
            ("finding", "amar putusan"),
            ("stable", "kandang"),
            ("square", "pagar"),
            ("late", "almarhum"),
            ("turn", "pas"),
            // Nor change the money given back, a medium a psychic, a tool a bird, a cell a
            // mobile phone, a hand a clock's.
            ("change", "uang kembalian"),
            ("medium", "cenayang"),
            ("medium", "tanggung"),
            ("tool", "burung"),
            ("cell", "telepon seluler"),
            ("hand", "jarum"),
            ("failure", "pecundang"),
        ] {
            assert!(!lex.senses(en, Lang::En).contains(&id), "{en} → {id}");
        }
        // Support is backing (`mendukung`, `dukungan`), not an allowance (`tunjangan`); its
        // common senses come first, as a search keeps the first.
        let support = lex.senses("support", Lang::En);
        assert_eq!(support[..2], ["mendukung", "menunjang"], "{support:?}");
        assert!(
            support.contains(&"dukungan") && !support.contains(&"tunjangan"),
            "{support:?}"
        );
        // A school is no gang (`kawanan`, whose root `kawan` is a friend), water no urinating.
        assert_eq!(lex.senses("school", Lang::En)[0], "fakultas");
        let water = lex.senses("water", Lang::En);
        assert!(
            water.contains(&"air")
                && !water
                    .iter()
                    .any(|w| w.contains("kencing") || w.contains("buang")),
            "{water:?}"
        );
    }

    #[test]
    fn an_english_word_takes_the_senses_of_the_word_it_inflects_not_of_its_stem_s_others() {
        let lex = lexicon();
        // Snowball stems `response` and `responsibility` alike, `presented` and `presenter`,
        // `positive` and `position`: none of them is listed, and none takes the others' senses.
        assert_eq!(stem_en("response"), stem_en("responsibility"));
        assert!(!lex.senses("response", Lang::En).contains(&"tanggung jawab"));
        assert!(!lex.senses("presented", Lang::En).contains(&"pembawa acara"));
        assert!(!lex.senses("positive", Lang::En).contains(&"posisi"));
        assert!(lex
            .translate("response", Lang::En)
            .contains(&"tanggung jawab"));
        // An inflection takes the senses of the word it inflects.
        assert_eq!(lex.get(Lang::En, "conditions"), None);
        assert!(lex.senses("conditions", Lang::En).contains(&"kondisi"));
        assert!(lex.senses("similarly", Lang::En).contains(&"serupa"));
        assert!(lex
            .senses("trafficked", Lang::En)
            .contains(&"diperdagangkan"));
        assert_eq!(
            lex.senses("killings", Lang::En),
            lex.senses("killing", Lang::En)
        );
    }

    #[test]
    fn inflections_are_told_from_derivations() {
        for (word, stem) in [
            ("trafficking", "traffick"),
            ("studies", "studi"),
            ("study", "studi"),
            ("planned", "plan"),
            ("making", "make"),
            ("human rights", "human right"),
        ] {
            assert!(inflects(word, stem), "{word} {stem}");
        }
        for (word, stem) in [
            ("responsibility", "respons"),
            ("presenter", "present"),
            ("position", "posit"),
            ("human rights", "human"),
        ] {
            assert!(!inflects(word, stem), "{word} {stem}");
        }
        assert_eq!(bases("classes")[0], "class");
        assert!(!bases("sites").contains(&"sit".to_string()));
        assert!(!bases("finally").contains(&"fin".to_string()));
        assert!(bases("specifically").contains(&"specific".to_string()));
        assert!(bases("planned").contains(&"plan".to_string()));
    }

    #[test]
    fn a_key_s_own_senses_come_apart_from_those_of_the_words_it_is_the_root_of() {
        let lex = Lexicon::parse(&[
            "person\tn\torang\nprivate\tadj\tperseorangan|pribadi\n",
            "people\torang\n",
        ]);
        let orang = &lex.id_en["orang"];
        assert_eq!(orang.own, ["person", "people"]);
        assert_eq!(orang.by_root, ["private"]);
        assert_eq!(
            lex.translate("orang", Lang::Id),
            ["person", "people", "private"]
        );
        let compiled = lex.compiled();
        assert!(
            compiled.contains("\nid\torang\tperson|people;private\n"),
            "{compiled}"
        );
        assert!(
            compiled.contains("\nid\tperseorangan\tprivate\n"),
            "{compiled}"
        );
    }

    #[test]
    fn indonesian_words_find_english_ones_by_their_root() {
        let lex = lexicon();
        assert!(lex.translate("hakim", Lang::Id).contains(&"judge"));
        assert!(lex.translate("dibunuh", Lang::Id).contains(&"kill"));
        assert!(lex.translate("perbatasan", Lang::Id).contains(&"border"));
    }

    #[test]
    fn our_lines_add_and_drop_senses() {
        let lex = Lexicon::parse(&[
            "court\tn\tlapangan|pengadilan|mahkamah\n",
            "-court\tlapangan\nverdict\tputusan|vonis\n",
        ]);
        assert_eq!(lex.translate("court", Lang::En), ["pengadilan", "mahkamah"]);
        assert_eq!(lex.translate("verdicts", Lang::En), ["putusan", "vonis"]);
        assert!(lex.translate("lapangan", Lang::Id).is_empty());
        assert_eq!(lex.translate("putusan", Lang::Id), ["verdict"]);
    }

    #[test]
    fn a_translation_s_kin_are_the_words_of_its_root_that_share_a_sense_with_it() {
        let kin = |w: &str| lexicon().kin(w).map(|k| k.collect::<Vec<_>>());
        // `perlakuan` (treatment): not `melakukan` (to do), `pelaku` (a perpetrator) nor
        // `berlaku` (valid), which its root `laku` stands for too.
        let perlakuan = kin("perlakuan").unwrap();
        assert_eq!(perlakuan[0], "perlakuan");
        for other in ["melakukan", "pelaku", "berlaku", "laku", "dilakukan"] {
            assert!(!perlakuan.contains(&other), "{perlakuan:?}");
        }
        // A root's kin are its verbs in every voice: `buat` is made, `membuat`, `dibuat`.
        let buat = kin("buat").unwrap();
        assert!(["membuat", "dibuat", "terbuat"]
            .iter()
            .all(|w| buat.contains(w)));
        // An active verb's passive, which the dictionary does not list: `mendukung` (to
        // support) is also `didukung`; `pendukung` (a supporter) shares its sense.
        let mendukung = kin("mendukung").unwrap();
        assert!(["didukung", "pendukung"]
            .iter()
            .all(|w| mendukung.contains(w)));
        // `pertumbuhan` (growth) keeps `tumbuh` (to grow): `grow` begins `growth`.
        assert!(kin("pertumbuhan").unwrap().contains(&"tumbuh"));
        // A word whose root's listed words all share a sense with it has no kin line: its
        // root finds it.
        let coherent = COMPILED
            .lines()
            .filter(|l| l.starts_with("id\t") && !l[3..].contains(' '))
            .map(|l| l.split('\t').nth(1).unwrap())
            .find(|w| kin(w).is_none() && stem_id(w) != *w);
        assert!(coherent.is_some());
    }

    #[test]
    fn phrases_are_keyed_by_their_words() {
        let lex = Lexicon::parse(&["human trafficking\tperdagangan manusia|perdagangan orang\n"]);
        assert_eq!(
            lex.translate("human trafficking", Lang::En),
            ["perdagangan manusia", "perdagangan orang"]
        );
        assert_eq!(
            lex.translate("perdagangan orang", Lang::Id),
            ["human trafficking"]
        );
    }
}
