//! Snippets: which words of a passage matched the query, and the best window around them.
//!
//! tantivy's `SnippetGenerator` works on one field with one analyzer, and a passage may match
//! through the Indonesian stem, the English stem, the exact word, a typo or a prefix. So the
//! matching is redone here on the stored text, with the same analyzers, for the few hits shown.

use rustc_hash::FxHashSet as HashSet;

use crate::text;

/// The forms a query word can match in.
#[derive(Debug, Default, Clone)]
pub struct Matcher {
    /// Words matched as they are (after the exact analyzer): the query words, phrase words,
    /// and the typo neighbours and cognates found in the index.
    pub exact: HashSet<String>,
    /// Indonesian roots of the query words: a passage word with one of these roots matches.
    pub id: HashSet<String>,
    /// English stems of the query words: a passage word with one of these stems matches.
    pub en: HashSet<String>,
    /// Stems of `en` that match the other words of their stem but not the word that is the stem
    /// itself: that word is an Indonesian one, sought in English passages alone, where
    /// `translated`'s English forms hold it (`orang` for `orange`).
    pub en_not_as_written: HashSet<String>,
    /// Prefixes of `word*` queries, analyzed: a passage word starting with one matches.
    pub prefixes: Vec<String>,
    /// The forms of the query words' translations, and of their own forms kept to one language,
    /// by that language: they match only in a passage of it, as they were searched for.
    pub translated: Vec<(String, Matcher)>,
}

/// The highlighting of one search's hits: its matcher's screens, and the needles that say
/// which words of a hit can match at all, made once for all its hits.
///
/// Reading every word of a hit (the analyzer) was most of a highlight's cost, though few words
/// match. Each form sought leaves bytes that any word it matches holds, whatever the word's
/// case: an exact word or a prefix itself, an Indonesian root after its first letter
/// ([`root_tail`]), an English stem's first three bytes. So only the stretches of text between
/// whitespace that hold one of these (in the text lowercased), or a byte the analyzer may
/// rewrite (non-ASCII letters fold, an apostrophe is elided inside a word), are read; words
/// never span whitespace, and a stretch reads as it does within the whole text. The needles
/// are a handful of short strings, looked for all at once ([`Needles`]): an Aho–Corasick
/// automaton over them took longer to build than the reading it spared, a SIMD pass per
/// needle did not, nor does one packed pass for all.
pub struct Highlighter<'m> {
    own: Screened<'m>,
    /// Each language a translation is in: its translations' screens, and the needles of those
    /// and of the query's own forms.
    langs: Vec<(&'m str, Vec<Screened<'m>>, LazyNeedles<'m>)>,
    /// The needles of the query's own forms, for a passage in a language of no translation.
    own_needles: LazyNeedles<'m>,
    /// Whether needles are found in one packed pass ([`Needles`]).
    packed: bool,
    /// The hit being read, ASCII-lowercased, for the needles to be found in.
    lowered: std::cell::RefCell<Vec<u8>>,
}

/// What finds the needles ([`Screened::needles`]) in a hit: all of them in one pass, with the
/// packed SIMD multi-pattern search (Teddy) that the regex crate's literal prefilters run; or,
/// where the CPU lacks it or the needles are too many or too short for it, `memchr`'s finder
/// for each, a pass apiece. `cargo bench --bench analysis -- highlight` (2026-12-07, the
/// seed corpus's paragraphs, 9 and 12 needles): the highlighter took 0.53× the time of
/// reading every word with a pass per needle (1.68 against 3.17 ms), 0.40× with one pass for
/// all (1.31 against 3.32 ms), 0.75× of what it took.
enum Needles<'m> {
    Packed(aho_corasick::packed::Searcher),
    Each(Vec<memchr::memmem::Finder<'m>>),
}

impl Needles<'_> {
    /// Each offset of `hay` where a needle begins, but only the first in each stretch between
    /// whitespace of `text` (`hay` lowercased): the reading starts there.
    fn first_in_each_stretch(&self, text: &[u8], hay: &[u8], starts: &mut Vec<usize>) {
        match self {
            Needles::Packed(packed) => {
                let mut from = 0;
                while let Some(m) = packed.find_in(hay, aho_corasick::Span::from(from..hay.len())) {
                    starts.push(m.start());
                    from = stretch_end(text, m.start());
                }
            }
            Needles::Each(finders) => {
                for n in finders {
                    let mut from = 0;
                    while let Some(k) = n.find(&hay[from..]) {
                        starts.push(from + k);
                        from = stretch_end(text, from + k);
                    }
                }
            }
        }
    }
}

impl<'m> Highlighter<'m> {
    /// The highlighter of a search whose forms `m` holds.
    pub fn new(m: &'m Matcher) -> Self {
        Highlighter::finding(m, true)
    }

    /// The same, its needles found in one packed pass where the CPU and the needles allow it
    /// (`packed`), else a pass apiece.
    fn finding(m: &'m Matcher, packed: bool) -> Self {
        let own = Screened::new(m);
        let mut langs: Vec<(&str, Vec<Screened>, LazyNeedles)> = Vec::new();
        for (lang, t) in &m.translated {
            match langs.iter_mut().find(|(l, _, _)| l == lang) {
                Some((_, ts, _)) => ts.push(Screened::new(t)),
                None => langs.push((lang, vec![Screened::new(t)], Default::default())),
            }
        }
        Highlighter {
            own,
            langs,
            own_needles: Default::default(),
            packed,
            lowered: Default::default(),
        }
    }

    /// Byte ranges of matched words in `text`, a passage in the language `lang`, in order: the
    /// query's own forms, and its translations into that language.
    pub fn highlights_in(&self, text: &str, lang: &str) -> Vec<[usize; 2]> {
        let (translated, needles): (&[Screened], _) =
            match self.langs.iter().find(|(l, _, _)| *l == lang) {
                Some((_, ts, needles)) => {
                    (ts, needles.get_or_init(|| self.needles_of(ts)).as_ref())
                }
                None => (&[], self.own_needles()),
            };
        let hit = |w: &str| self.own.matches(w) || translated.iter().any(|t| t.matches(w));
        let mut out = match needles {
            Some(needles) => {
                let mut lowered = self.lowered.borrow_mut();
                let starts = stretches_to_read(text, needles, &mut lowered);
                marked_in(text, &starts, hit)
            }
            None => marked(text, hit),
        };
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The needles of the query's own forms and of `translated`.
    fn needles_of(&self, translated: &[Screened<'m>]) -> Option<Needles<'m>> {
        needles_of(std::iter::once(&self.own).chain(translated), self.packed)
    }

    /// The needles of the query's own forms alone.
    fn own_needles(&self) -> Option<&Needles<'m>> {
        self.own_needles
            .get_or_init(|| self.needles_of(&[]))
            .as_ref()
    }
}

/// Needles made on the first hit that needs them: a page's hits are often all in one
/// language, and the packed searchers of every language, built for each search whether a hit
/// needed them or not, were 2.6% of a search's samples on corpus-large, 0.2% built on demand
/// (perf, 2026-12-07).
type LazyNeedles<'m> = std::cell::OnceCell<Option<Needles<'m>>>;

/// Most needles a search looks for before the analyzer reads every word instead: each needle
/// is one more pass over every hit where they are looked for one by one, and more candidates
/// to check in the packed pass, so past some tens the search would cost more than the reading
/// it spares. A query of three words has 9–15 (the 40 of `benches/queries.txt`), its
/// translations' included; with 9 and 12 (Indonesian and English hits) the seed corpus's
/// paragraphs highlight in 0.40× the time of reading every word ([`Needles`]).
const MAX_NEEDLES: usize = 24;

/// The needles of `screens` ([`Screened::needles`]), or `None` when some form leaves none (a
/// root of one letter) or there are more than [`MAX_NEEDLES`]: then every word is read.
fn needles_of<'a, 'm: 'a>(
    screens: impl Iterator<Item = &'a Screened<'m>>,
    packed: bool,
) -> Option<Needles<'m>> {
    let mut needles: Vec<&[u8]> = Vec::new();
    for s in screens {
        if !s.needles(&mut needles) {
            return None;
        }
    }
    needles.sort_unstable();
    needles.dedup();
    if needles.len() > MAX_NEEDLES {
        return None;
    }
    let packed = packed
        .then(|| {
            aho_corasick::packed::Config::new()
                .builder()
                .extend(&needles)
                .build()
        })
        .flatten();
    Some(match packed {
        Some(p) => Needles::Packed(p),
        None => Needles::Each(
            needles
                .into_iter()
                .map(memchr::memmem::Finder::new)
                .collect(),
        ),
    })
}

/// Whether the analyzer may read `b` as other than its ASCII lowercase: a byte of a non-ASCII
/// character (folded), or an apostrophe (elided inside a word).
fn rewritten(b: u8) -> bool {
    !b.is_ascii() || b == b'\'' || b == b'`'
}

/// Offsets in `text` that begin stretches to read ([`Highlighter`]), ascending: where a needle
/// is found in the text lowercased (into `lowered`), and the first byte the analyzer may
/// rewrite in each stretch between whitespace.
fn stretches_to_read(text: &str, needles: &Needles, lowered: &mut Vec<u8>) -> Vec<usize> {
    let bytes = text.as_bytes();
    lowered.clear();
    lowered.extend_from_slice(bytes);
    lowered.make_ascii_lowercase();
    let mut starts: Vec<usize> = Vec::new();
    needles.first_in_each_stretch(bytes, lowered, &mut starts);
    // By blocks of 32 bytes, which the compiler checks at once: most blocks hold no such byte.
    let mut i = 0;
    while i < bytes.len() {
        let block = &bytes[i..(i + 32).min(bytes.len())];
        if !block.iter().fold(false, |any, &b| any | rewritten(b)) {
            i += block.len();
            continue;
        }
        let k = i + block.iter().position(|&b| rewritten(b)).unwrap_or(0);
        starts.push(k);
        i = stretch_end(bytes, k);
    }
    starts.sort_unstable();
    starts
}

/// Where the stretch between whitespace holding offset `at` ends (exclusive).
fn stretch_end(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(u8::is_ascii_whitespace)
        .map_or(bytes.len(), |k| at + k)
}

/// [`marked`], reading only the stretches between whitespace that hold an offset of `starts`
/// (ascending).
fn marked_in(text: &str, starts: &[usize], hit: impl Fn(&str) -> bool) -> Vec<[usize; 2]> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut done = 0;
    for &at in starts.iter() {
        if at < done {
            continue;
        }
        let start = bytes[..at]
            .iter()
            .rposition(u8::is_ascii_whitespace)
            .map_or(0, |k| k + 1);
        let end = stretch_end(bytes, at);
        text::for_each_exact_token(&text[start..end], |t| {
            if hit(&t.text) {
                out.push([start + t.offset_from, start + t.offset_to]);
            }
        });
        done = end;
    }
    out
}

/// What [`Highlighter::highlights_in`] gives, with every word of `text` read: the reference
/// the tests hold it to and the benches' baseline.
#[doc(hidden)]
pub fn highlights_reading_every_word(text: &str, m: &Matcher, lang: &str) -> Vec<[usize; 2]> {
    let own = Screened::new(m);
    let translated: Vec<Screened> = m
        .translated
        .iter()
        .filter(|(l, _)| l == lang)
        .map(|(_, t)| Screened::new(t))
        .collect();
    let mut out = marked(text, |w| {
        own.matches(w) || translated.iter().any(|t| t.matches(w))
    });
    out.sort_unstable();
    out.dedup();
    out
}

/// Byte ranges of the words of `text` (as the exact analyzer reads them) that `hit` accepts.
fn marked(text: &str, hit: impl Fn(&str) -> bool) -> Vec<[usize; 2]> {
    let mut out = Vec::new();
    text::for_each_exact_token(text, |t| {
        if hit(&t.text) {
            out.push([t.offset_from, t.offset_to]);
        }
    });
    out
}

/// A matcher with a screen before its set of exact words: most words of a passage match
/// nothing, and hashing each of them to find that out was a sixth of the highlighter's time
/// (perf); a word whose first byte and length no exact word has is not looked up.
struct Screened<'a> {
    m: &'a Matcher,
    /// Bit `b` set when some exact word begins with the byte `b`.
    first: [u64; 4],
    /// Bit `n` set when some exact word is `n` bytes long (63 for 63 and longer).
    lens: u64,
    /// The Indonesian roots sought, after their first letter ([`may_hold_root`]).
    root_tails: Vec<&'a [u8]>,
    /// The first three bytes of the English stems sought (stems of three bytes or more).
    stem_heads: Vec<&'a [u8]>,
}

impl<'a> Screened<'a> {
    fn new(m: &'a Matcher) -> Self {
        let mut first = [0u64; 4];
        let mut lens = 0u64;
        for w in &m.exact {
            if let Some(&b) = w.as_bytes().first() {
                first[usize::from(b >> 6)] |= 1 << (b & 63);
            }
            lens |= 1 << w.len().min(63);
        }
        let root_tails = m.id.iter().map(|r| root_tail(r)).collect();
        let stem_heads = m.en.iter().filter_map(|s| s.as_bytes().get(..3)).collect();
        Screened {
            m,
            first,
            lens,
            root_tails,
            stem_heads,
        }
    }

    /// Adds to `out` bytes that every word [`Screened::matches`] accepts holds (ASCII case
    /// aside): each exact word, prefix, root tail and stem head. `false` when some form leaves
    /// none (a root of one letter, an empty prefix): any word may match.
    fn needles(&self, out: &mut Vec<&'a [u8]>) -> bool {
        let m = self.m;
        let words = m.exact.iter().chain(&m.prefixes).map(|w| w.as_bytes());
        let tails = self.root_tails.iter().copied();
        for n in words.chain(tails) {
            if n.is_empty() {
                return false;
            }
            out.push(n);
        }
        // Stems without a head are never matched as stems (see `matches`).
        out.extend(self.stem_heads.iter().copied());
        true
    }

    fn may_be_exact(&self, w: &str) -> bool {
        let Some(&b) = w.as_bytes().first() else {
            return false;
        };
        self.lens & (1 << w.len().min(63)) != 0
            && self.first[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }

    fn matches(&self, w: &str) -> bool {
        let m = self.m;
        if (self.may_be_exact(w) && m.exact.contains(w))
            || m.prefixes.iter().any(|p| w.starts_with(p.as_str()))
        {
            return true;
        }
        // Stemming every word shown is most of the highlighter's time, so it runs only on
        // words that could have a root sought: an Indonesian root stays inside its word but
        // for a first letter that a prefix's nasal may have replaced (`pukul` in `memukul`);
        // an English stem keeps the word's first three letters.
        let word = w.as_bytes();
        if self.root_tails.iter().any(|t| may_hold_root(word, t))
            && m.id.contains(&text::stem_id(w))
        {
            return true;
        }
        let head = word.get(..3);
        head.is_some_and(|h| self.stem_heads.contains(&h)) && {
            let stem = text::stem_en(w);
            m.en.contains(&stem)
                && !(m.en_not_as_written.contains(&stem) && stem.eq_ignore_ascii_case(w))
        }
    }
}

/// An Indonesian root after its first letter: what a word with that root holds, whatever a
/// prefix's nasal did to the first letter (`pukul` in `memukul`).
fn root_tail(root: &str) -> &[u8] {
    let tail = root.char_indices().nth(1).map_or(root.len(), |(i, _)| i);
    &root.as_bytes()[tail..]
}

/// Whether `word` could have a root of tail `tail` ([`root_tail`]): it holds the tail.
fn may_hold_root(word: &[u8], tail: &[u8]) -> bool {
    // Words and roots are a few bytes: comparing the windows that begin with the tail's first
    // byte costs less than `str::contains` setting up its searcher for each word of every hit
    // (3% of a search, perf), and less than comparing every window (a `memcmp` call each, 2%).
    let Some((&first, rest)) = tail.split_first() else {
        return true;
    };
    word.windows(tail.len())
        .any(|w| w[0] == first && &w[1..] == rest)
}

/// Characters of context a snippet shows.
pub const SNIPPET_CHARS: usize = 240;

fn floor(s: &str, i: usize) -> usize {
    (0..=i.min(s.len()))
        .rev()
        .find(|&k| s.is_char_boundary(k))
        .unwrap_or(0)
}

/// The window of the text with the most matched words, HTML-escaped, matches in `<mark>`.
pub fn snippet(text: &str, marks: &[[usize; 2]]) -> String {
    let budget = SNIPPET_CHARS;
    let (start, end) = if text.len() <= budget {
        (0, text.len())
    } else if marks.is_empty() {
        (0, floor(text, budget))
    } else {
        // Slide over the marks: the window starting at mark i covers marks i..j.
        let mut best = (0usize, 0usize);
        let mut j = 0;
        for i in 0..marks.len() {
            while j < marks.len() && marks[j][1] <= marks[i][0] + budget {
                j += 1;
            }
            if j - i > best.1 {
                best = (i, j - i);
            }
        }
        let first = marks[best.0][0];
        let s = floor(text, first.saturating_sub(budget / 6));
        let s = text[..s]
            .rfind(char::is_whitespace)
            .map_or(s, |p| p + 1)
            .min(first);
        (s, floor(text, s + budget))
    };
    let end = if end < text.len() {
        text[start..end]
            .rfind(char::is_whitespace)
            .map_or(end, |p| start + p)
    } else {
        end
    };
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut pos = start;
    for m in marks.iter().filter(|m| m[0] >= start && m[1] <= end) {
        crate::text::escape_html(&text[pos..m[0]], &mut out);
        out.push_str("<mark>");
        crate::text::escape_html(&text[m[0]..m[1]], &mut out);
        out.push_str("</mark>");
        pos = m[1];
    }
    crate::text::escape_html(&text[pos..end], &mut out);
    if end < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_typos_and_prefixes_are_highlighted() {
        let text =
            "Upaya pemberantasan perdagangan manusia di Meksiko melalui kerja sama internasional.";
        let m = Matcher {
            // A typo's expansions are matched as words (`perdagangn` → `perdagangan`).
            exact: HashSet::from_iter(["meksiko".to_string(), "perdagangan".to_string()]),
            id: HashSet::from_iter([text::stem_id("memberantas")]),
            en: HashSet::default(),
            prefixes: vec!["internasion".into()],
            ..Matcher::default()
        };
        let marks = highlights_reading_every_word(text, &m, "id");
        let words: Vec<&str> = marks.iter().map(|r| &text[r[0]..r[1]]).collect();
        assert_eq!(
            words,
            ["pemberantasan", "perdagangan", "Meksiko", "internasional"]
        );
        let s = snippet(text, &marks);
        assert!(s.contains("<mark>Meksiko</mark>"), "{s}");
    }

    #[test]
    fn a_stem_kept_to_english_marks_its_other_words_and_itself_in_english_alone() {
        // `orange` stems to `orang` (person): in an Indonesian passage that word is no form of
        // it, its other words are; in an English one the stem as written is sought too.
        let mut m = matcher(&["orange"], &[], &["orange"], &[]);
        m.en_not_as_written.insert(text::stem_en("orange"));
        let mut english = Matcher::default();
        english.exact.insert("orang".into());
        m.translated.push(("en".into(), english));
        let text = "Dua orang membeli oranges dan Orange; orang.";
        let marks = |lang: &str| -> Vec<Vec<&str>> {
            let every_word = highlights_reading_every_word(text, &m, lang);
            let screened = Highlighter::new(&m).highlights_in(text, lang);
            [every_word, screened]
                .iter()
                .map(|ms| ms.iter().map(|&[a, b]| &text[a..b]).collect())
                .collect()
        };
        for words in marks("id") {
            assert_eq!(words, ["oranges", "Orange"]);
        }
        for words in marks("en") {
            assert_eq!(words, ["orang", "oranges", "Orange", "orang"]);
        }
    }

    #[test]
    fn every_root_in_the_corpus_stays_inside_its_word() {
        // The highlighter skips stemming words that fail `may_hold_root`: it must never skip
        // a word whose root it seeks. Checked on every word of the seed corpus.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut analyzer = text::exact_analyzer();
        let mut words = 0;
        for f in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
            let mut stream = analyzer.token_stream(&text);
            while stream.advance() {
                let w = &stream.token().text;
                let root = text::stem_id(w);
                assert!(
                    may_hold_root(w.as_bytes(), root_tail(&root)),
                    "{w} → {root}"
                );
                words += 1;
            }
        }
        assert!(words > 15_000, "{words}");
        let holds = |w: &str, root: &str| may_hold_root(w.as_bytes(), root_tail(root));
        assert!(holds("memukul", "pukul") && !holds("memukul", "pakai"));
        assert!(holds("dibunuh", "bunuh") && !holds("dibunuh", "bunuk"));
        assert!(holds("x", "a") && !holds("pukul", "pukulan"));
    }

    #[test]
    fn the_screen_passes_every_exact_word() {
        // The screen before the exact words must never turn one away: every word of the seed
        // corpus is matched against a set holding every fifth distinct word, as the set says.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut analyzer = text::exact_analyzer();
        let mut words = Vec::new();
        for f in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
            let mut stream = analyzer.token_stream(&text);
            while stream.advance() {
                words.push(stream.token().text.clone());
            }
        }
        let mut distinct = words.clone();
        distinct.sort();
        distinct.dedup();
        let m = Matcher {
            exact: distinct.iter().step_by(5).cloned().collect(),
            ..Matcher::default()
        };
        let screened = Screened::new(&m);
        let found = words.iter().filter(|w| screened.matches(w)).count();
        let held = words.iter().filter(|w| m.exact.contains(*w)).count();
        assert_eq!(found, held);
        assert!(
            held > 1_000 && found < words.len(),
            "{held} of {}",
            words.len()
        );
        // And the screen does turn words away: those starting with a byte no set word has.
        let few = Matcher {
            exact: HashSet::from_iter(["perdagangan".to_string()]),
            ..Matcher::default()
        };
        let few = Screened::new(&few);
        assert!(few.matches("perdagangan") && !few.may_be_exact("manusia"));
        assert!(!few.may_be_exact("perdagang") && !few.may_be_exact(""));
    }

    fn matcher(exact: &[&str], ids: &[&str], ens: &[&str], prefixes: &[&str]) -> Matcher {
        Matcher {
            exact: exact.iter().map(|w| w.to_string()).collect(),
            id: ids.iter().map(|w| text::stem_id(w)).collect(),
            en: ens.iter().map(|w| text::stem_en(w)).collect(),
            prefixes: prefixes.iter().map(|w| w.to_string()).collect(),
            ..Matcher::default()
        }
    }

    #[test]
    fn reading_only_where_needles_are_marks_what_reading_everything_does() {
        // Every paragraph of the seed corpus, in three languages, against matchers of every
        // kind of form: words, roots (a nasal prefix's changed first letter), stems, prefixes,
        // translations, and forms that leave no needle (a one-letter root, an empty prefix).
        let mut with_translation = matcher(&["anak"], &["melindungi"], &["children"], &[]);
        with_translation.translated = vec![
            ("en".into(), matcher(&[], &[], &["protection"], &[])),
            ("id".into(), matcher(&["perdagangan"], &["pukul"], &[], &[])),
            (
                "en".into(),
                matcher(&["human", "trafficking"], &[], &[], &[]),
            ),
        ];
        let matchers = [
            matcher(&["perdagangan", "manusia", "unodc", "2020"], &[], &[], &[]),
            matcher(
                &[],
                &["memperdagangkan", "pemukulan", "penegakan"],
                &[],
                &[],
            ),
            matcher(
                &[],
                &[],
                &["trafficking", "victims", "exploitation", "be"],
                &[],
            ),
            matcher(
                &["mexico"],
                &["eksploitasi"],
                &["sexual"],
                &["internasion", "traf"],
            ),
            matcher(
                &["jumat", "quran", "mexico", "strasse", "s"],
                &[],
                &[],
                &["ko"],
            ),
            with_translation,
            matcher(&["a"], &["a"], &[], &[]),
            matcher(&["anak"], &[], &[], &[""]),
        ];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut texts: Vec<String> = vec![
            "Jum'at  Mexico's  Qur\u{2019}an  M\u{e9}xico  STRA\u{df}E  hak-hak  ANAK-anak".into(),
            "\tPerdagangan\n\rmanusia\u{a0}di\u{ad}Meksiko\u{200b}: Traffickers\u{b9} traf-\nficking"
                .into(),
            "`quran` (jum`at) KO-KO\u{2011}ko".into(),
            String::new(),
        ];
        for f in std::fs::read_dir(dir).unwrap() {
            if let Ok(text) = std::fs::read_to_string(f.unwrap().path()) {
                texts.extend(text.split("\n\n").map(str::to_string));
            }
        }
        assert!(texts.len() > 1_000, "{}", texts.len());
        let mut marks = 0;
        for m in &matchers {
            // The needles found in one packed pass (where this CPU has it), and a pass apiece.
            let (h, apiece) = (Highlighter::new(m), Highlighter::finding(m, false));
            for text in &texts {
                for lang in ["id", "en", "de"] {
                    let want = highlights_reading_every_word(text, m, lang);
                    assert_eq!(h.highlights_in(text, lang), want, "{lang}: {text:?}");
                    assert_eq!(apiece.highlights_in(text, lang), want, "{lang}: {text:?}");
                    marks += want.len();
                }
            }
        }
        let apiece = Highlighter::finding(&matchers[0], false);
        assert!(matches!(apiece.own_needles(), Some(Needles::Each(_))));
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("ssse3") {
            let packed = Highlighter::new(&matchers[0]);
            assert!(matches!(packed.own_needles(), Some(Needles::Packed(_))));
        }
        assert!(marks > 5_000, "{marks}");
        // Forms leaving no needle read every word; the others read by needles.
        assert!(Highlighter::new(&matchers[6]).own_needles().is_none());
        assert!(Highlighter::new(&matchers[7]).own_needles().is_none());
        assert!(Highlighter::new(&matchers[0]).own_needles().is_some());
        // So do more needles than are worth a pass each, with the same marks.
        let words: Vec<String> = (0..=MAX_NEEDLES).map(|k| format!("kata{k}")).collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let many = matcher(&words, &[], &[], &[]);
        let h = Highlighter::new(&many);
        assert!(h.own_needles().is_none());
        let text = "kata3 dan KATA24, bukan kata25 atau kata";
        assert_eq!(h.highlights_in(text, "id"), [[0, 5], [10, 16]]);
    }

    #[test]
    fn long_text_windows_on_the_matches() {
        let text = format!(
            "{} kata kunci di sini {}",
            "awal ".repeat(300),
            "akhir ".repeat(300)
        );
        let m = Matcher {
            exact: HashSet::from_iter(["kunci".to_string()]),
            ..Matcher::default()
        };
        let s = snippet(&text, &highlights_reading_every_word(&text, &m, "id"));
        assert!(
            s.starts_with('…') && s.ends_with('…') && s.contains("<mark>kunci</mark>"),
            "{s}"
        );
        assert!(s.chars().count() < SNIPPET_CHARS * 5);
    }
}
