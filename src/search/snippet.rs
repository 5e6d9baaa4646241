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
    /// Prefixes of `word*` queries, analyzed: a passage word starting with one matches.
    pub prefixes: Vec<String>,
    /// The forms of the query words' translations, by the language they are in: they match
    /// only in a passage of that language, as they were searched for.
    pub translated: Vec<(String, Matcher)>,
}

/// Byte ranges of matched words in `text`, a passage in the language `lang`: the query's own
/// forms and its translations into that language. The text is read once for all of them:
/// reading it (the analyzer) is most of a highlight's cost.
pub fn highlights_in(text: &str, m: &Matcher, lang: &str) -> Vec<[usize; 2]> {
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

/// Byte ranges of matched words in `text`.
pub fn highlights(text: &str, m: &Matcher) -> Vec<[usize; 2]> {
    let m = Screened::new(m);
    marked(text, |w| m.matches(w))
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
    stem_heads: Vec<[u8; 3]>,
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
        let stem_heads =
            m.en.iter()
                .filter_map(|s| s.as_bytes().first_chunk::<3>().copied())
                .collect();
        Screened {
            m,
            first,
            lens,
            root_tails,
            stem_heads,
        }
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
        let head = word.first_chunk::<3>();
        head.is_some_and(|h| self.stem_heads.contains(h)) && m.en.contains(&text::stem_en(w))
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
            translated: Vec::new(),
        };
        let marks = highlights(text, &m);
        let words: Vec<&str> = marks.iter().map(|r| &text[r[0]..r[1]]).collect();
        assert_eq!(
            words,
            ["pemberantasan", "perdagangan", "Meksiko", "internasional"]
        );
        let s = snippet(text, &marks);
        assert!(s.contains("<mark>Meksiko</mark>"), "{s}");
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
        let s = snippet(&text, &highlights(&text, &m));
        assert!(
            s.starts_with('…') && s.ends_with('…') && s.contains("<mark>kunci</mark>"),
            "{s}"
        );
        assert!(s.chars().count() < SNIPPET_CHARS * 5);
    }
}
