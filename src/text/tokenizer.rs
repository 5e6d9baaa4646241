//! The word tokenizer shared by every pustaka analyzer: segmentation, lowercasing and ASCII
//! folding in one pass, so the stemmers downstream only ever see lowercase folded words.
//!
//! Rules (each chosen for search over academic Indonesian/English text):
//! - A word is a run of alphanumeric characters; everything else separates words. Numbers are
//!   words (`2020`); `1990-an` gives `1990`, `an`.
//! - Superscript and subscript digits (`¹²³`, `₂`) separate words: in these texts they are
//!   footnote markers glued to a word (`Saragih¹`), not part of it.
//! - Hyphenated forms (`-`, U+2010 and the non-breaking U+2011, plus the small and full-width
//!   hyphens) give their parts as separate words, so `non-pemerintah` is found by `pemerintah`.
//!   A part equal to the part before it is dropped: full reduplication `hak-hak`, `anak-anak`,
//!   `praktek-praktek` gives the word once, so it matches the query `hak` and a phrase query
//!   `hak asasi` matches `hak-hak asasi`. Partial reduplication (`sayur-mayur`,
//!   `bermain-main`) keeps both parts.
//! - Apostrophes (`'`, `’`, `‘`, `ʼ`, `′`, `` ` ``, `´`) between two letters: an English
//!   possessive `'s` at the end of a word is dropped (`Mexico's` → `mexico`, the `s` is not
//!   kept: it would only match every other possessive); any other inner apostrophe is elided
//!   (`Jum'at` → `jumat`, `Qur’an` → `quran`), matching the usual unapostrophed spelling.
//! - Soft hyphens, zero-width joiners and word joiners inside a word are ignored (PDF text).
//! - Folding: lowercase, then compatibility decomposition with combining marks dropped
//!   (`México` → `mexico`, `ﬁ` → `fi`), plus the Latin letters that do not decompose
//!   (`ß` → `ss`, `ø` → `o`, `ł` → `l`, …). Letters of other scripts are kept, lowercased and
//!   without their combining marks.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Tokenizer emitting lowercase, ASCII-folded words (see the module doc for the rules).
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
    previous_part: String,
}

/// Token stream of [`WordTokenizer`].
pub struct WordTokenStream<'a> {
    text: &'a str,
    /// Byte offset where scanning resumes.
    cursor: usize,
    /// Byte offset where the last word (emitted or dropped) ended, for hyphen groups.
    last_end: Option<usize>,
    token: &'a mut Token,
    /// Folded text of the previous part of the current hyphen group.
    previous_part: &'a mut String,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        self.token.reset();
        self.previous_part.clear();
        WordTokenStream {
            text,
            cursor: 0,
            last_end: None,
            token: &mut self.token,
            previous_part: &mut self.previous_part,
        }
    }
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric() && !is_script_digit(c)
}

/// Superscript and subscript digits: footnote markers and formula indices, never part of a word.
fn is_script_digit(c: char) -> bool {
    matches!(
        c,
        '\u{00B2}' | '\u{00B3}' | '\u{00B9}' | '\u{2070}'..='\u{209F}'
    )
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{FE63}' | '\u{FF0D}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{2032}' | '`' | '\u{00B4}'
    )
}

/// Invisible characters that PDF extraction leaves inside words.
fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Length of the run of ASCII letters and digits that `bytes` starts with.
fn ascii_alnum_run(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(bytes.len())
}

fn char_at(text: &str, offset: usize) -> Option<char> {
    // Most text is ASCII: one byte is one character.
    match text.as_bytes().get(offset) {
        Some(&b) if b.is_ascii() => Some(b as char),
        _ => text.get(offset..).and_then(|rest| rest.chars().next()),
    }
}

impl WordTokenStream<'_> {
    /// Scans one word starting at `start` (a word character): returns its end offset (exclusive,
    /// in the source) and the offset where scanning resumes, and writes its folded text.
    fn scan_word(&mut self, start: usize) -> (usize, usize) {
        let text = self.text;
        let out = &mut self.token.text;
        out.clear();
        let mut pos = start;
        let mut end = start;
        loop {
            // Most words are ASCII letters and digits: copied and lowercased as one run, not
            // character by character (what a search's highlighting and every indexed field
            // spend most of their reading on).
            let run = ascii_alnum_run(&text.as_bytes()[pos..]);
            if run > 0 {
                let from = out.len();
                out.push_str(&text[pos..pos + run]);
                out[from..].make_ascii_lowercase();
                pos += run;
                end = pos;
            }
            let Some(c) = char_at(text, pos) else { break };
            let width = c.len_utf8();
            if is_word_char(c) || (!c.is_ascii() && is_combining_mark(c) && pos > start) {
                push_folded(c, out);
                pos += width;
                end = pos;
            } else if is_ignorable(c) && char_at(text, pos + width).is_some_and(is_word_char) {
                pos += width;
            } else if is_apostrophe(c) {
                let after = pos + width;
                match char_at(text, after) {
                    Some(next) if is_word_char(next) => {
                        let after_next = after + next.len_utf8();
                        let ends_after_s = !char_at(text, after_next).is_some_and(is_word_char);
                        if (next == 's' || next == 'S') && ends_after_s {
                            // English possessive: drop the `'s`.
                            return (end, after_next);
                        }
                        // Elided apostrophe: the word goes on.
                        pos = after;
                    }
                    _ => break,
                }
            } else {
                break;
            }
        }
        (end, end.max(pos))
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let text = self.text;
        loop {
            // Find the start of the next word, noting a single hyphen right before it.
            let mut hyphen_at: Option<usize> = None;
            let mut start = None;
            let mut pos = self.cursor;
            while let Some(c) = char_at(text, pos) {
                if is_word_char(c) {
                    start = Some(pos);
                    break;
                }
                hyphen_at = if is_hyphen(c) && Some(pos) == self.last_end {
                    Some(pos)
                } else {
                    None
                };
                pos += c.len_utf8();
            }
            let Some(start) = start else {
                self.cursor = text.len();
                return false;
            };
            let joined =
                hyphen_at.is_some_and(|h| h + char_at(text, h).map_or(1, char::len_utf8) == start);
            let (end, resume) = self.scan_word(start);
            self.cursor = resume;
            self.last_end = Some(resume);
            if self.token.text.is_empty() {
                continue;
            }
            if joined && *self.previous_part == self.token.text {
                // Full reduplication (`hak-hak`): the word was already emitted.
                continue;
            }
            self.previous_part.clear();
            self.previous_part.push_str(&self.token.text);
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.token.position = self.token.position.wrapping_add(1);
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Appends `c` lowercased and folded to ASCII where Latin (see the module doc).
pub(crate) fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if is_combining_mark(c) {
        return;
    }
    for lower in c.to_lowercase() {
        if let Some(s) = fold_special(lower) {
            out.push_str(s);
            continue;
        }
        decompose_compatible(lower, |d| {
            if d.is_ascii() {
                if d.is_ascii_alphanumeric() {
                    out.push(d.to_ascii_lowercase());
                }
            } else if let Some(s) = fold_special(d) {
                out.push_str(s);
            } else if d.is_alphanumeric() {
                out.extend(d.to_lowercase());
            }
        });
    }
}

/// Latin letters without a canonical or compatibility decomposition to ASCII.
fn fold_special(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ł' => "l",
        'ı' => "i",
        'ħ' => "h",
        'ŧ' => "t",
        'ŋ' => "ng",
        'ĸ' => "k",
        'ſ' => "s",
        'ƒ' => "f",
        _ => return None,
    })
}

/// Lowercases and folds a whole word (what the tokenizer does to each word it emits).
pub(crate) fn fold_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        push_folded(c, &mut out);
    }
    out
}
