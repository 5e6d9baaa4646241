//! Snippets: which words of a passage matched the query, and the best window around them.
//!
//! tantivy's `SnippetGenerator` works on one field with one analyzer, and a passage may match
//! through the Indonesian stem, the English stem, the exact word, a typo or a prefix. So the
//! matching is redone here on the stored text, with the same analyzers, for the few hits shown.

use rustc_hash::FxHashSet as HashSet;

use tantivy::tokenizer::TokenStream;

use crate::analysis;

/// The forms a query word can match in.
#[derive(Debug, Default, Clone)]
pub struct Matcher {
    pub exact: HashSet<String>,
    pub id: HashSet<String>,
    pub en: HashSet<String>,
    pub prefixes: Vec<String>,
    /// Words matched with one edit (typo tolerance).
    pub fuzzy: Vec<String>,
}

/// Byte ranges of matched words in `text`.
pub fn highlights(text: &str, m: &Matcher) -> Vec<[usize; 2]> {
    let mut analyzer = analysis::exact_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        let hit = matches(&t.text, m);
        if hit {
            out.push([t.offset_from, t.offset_to]);
        }
    }
    out
}

fn matches(w: &str, m: &Matcher) -> bool {
    if m.exact.contains(w) || m.prefixes.iter().any(|p| w.starts_with(p.as_str())) {
        return true;
    }
    if m.fuzzy.iter().any(|f| within_one_edit(f, w)) {
        return true;
    }
    // Indonesian roots are memoized by the analyzer; the English stemmer is not, so it runs
    // only on words that begin like a stem sought.
    if m.id.contains(&analysis::stem_id(w)) {
        return true;
    }
    let begins = |s: &String| s.len() >= 3 && w.as_bytes().get(..3) == s.as_bytes().get(..3);
    m.en.iter().any(begins) && m.en.contains(&analysis::stem_en(w))
}

/// Levenshtein distance ≤ 1 with adjacent transposition, as tantivy's fuzzy query counts it.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if pre == a.len() && pre == b.len() {
        return true;
    }
    let (ra, rb) = (&a[pre..], &b[pre..]);
    let suffix_eq = |x: &[char], y: &[char]| x == y;
    match ra.len().cmp(&rb.len()) {
        std::cmp::Ordering::Equal => {
            suffix_eq(&ra[1..], &rb[1..])
                || ra.len() >= 2
                    && ra[0] == rb[1]
                    && ra[1] == rb[0]
                    && suffix_eq(&ra[2..], &rb[2..])
        }
        std::cmp::Ordering::Greater => suffix_eq(&ra[1..], rb),
        std::cmp::Ordering::Less => suffix_eq(ra, &rb[1..]),
    }
}

/// Characters of context a snippet shows.
pub const SNIPPET_CHARS: usize = 240;

fn floor(s: &str, i: usize) -> usize {
    (0..=i.min(s.len()))
        .rev()
        .find(|&k| s.is_char_boundary(k))
        .unwrap_or(0)
}

fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
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
        escape(&text[pos..m[0]], &mut out);
        out.push_str("<mark>");
        escape(&text[m[0]..m[1]], &mut out);
        out.push_str("</mark>");
        pos = m[1];
    }
    escape(&text[pos..end], &mut out);
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
            exact: HashSet::from_iter(["meksiko".to_string()]),
            id: HashSet::from_iter([analysis::stem_id("memberantas")]),
            en: HashSet::default(),
            prefixes: vec!["internasion".into()],
            fuzzy: vec!["perdagangn".into()],
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
    fn one_edit() {
        assert!(within_one_edit("perdagangan", "perdagangn"));
        assert!(within_one_edit("traficking", "trafficking"));
        assert!(within_one_edit("mkesiko", "meksiko"));
        assert!(!within_one_edit("meksiko", "mexico"));
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
