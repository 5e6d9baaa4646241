//! Where sentences end, and the abbreviations whose full stop ends none.
//!
//! One splitter and one abbreviation list for every place that cuts text into sentences: ingest
//! cuts long paragraphs at sentence ends and takes a document's title from its first sentence,
//! the bibliography parser splits an entry into its fields, and reuse search compares the
//! sentences of a query text with those of indexed passages. If they cut differently, a claim
//! checked at query time would not line up with the same sentence at index time.

/// Abbreviations followed by a full stop that does not end a sentence (`Vol. 2`, `dkk. (2020)`,
/// `Jl. Sudirman`, `12 Agt. 2020`): lowercase, without the final dot. One list for running text
/// and bibliography entries alike.
#[rustfmt::skip]
pub const ABBREVIATIONS: &[&str] = &[
    // References, English and Latin.
    "al", "approx", "bd", "ca", "cf", "cit", "co", "corp", "dept", "e.g", "ed", "edn", "eds",
    "etc", "fig", "i.e", "ibid", "inc", "ltd", "no", "nos", "nr", "op", "p", "pp", "resp", "rev",
    "trans", "u.s", "univ", "vol", "vs",
    // Titles.
    "dr", "drs", "ir", "jr", "m.h", "mr", "mrs", "ms", "prof", "s.h", "sdr", "sr", "st", "yth",
    // Indonesian.
    "ayat", "cv", "dkk", "dll", "dsb", "hal", "hlm", "hlmn", "jl", "nomor", "psl", "pt", "rp",
    "tbk",
    // Months, English and Indonesian (`Agt.` and `Agu.` both stand for Agustus).
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "agt", "agu", "sep", "sept", "oct", "okt",
    "nov", "dec", "des",
];

/// Whether `word` (lowercase, without its final dot) is one of the [`ABBREVIATIONS`].
pub fn is_abbreviation(word: &str) -> bool {
    ABBREVIATIONS.contains(&word)
}

/// Byte offsets where a sentence may end (just after its punctuation and closing quotes): a `.`,
/// `?` or `!` followed by a space and a capital, a digit, `(` or `"`; not the full stop of an
/// abbreviation, of a single letter (an initial), or inside a number (`1. 2`).
pub fn sentence_ends(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'.' || c == b'?' || c == b'!' {
            let mut j = i + 1;
            while j < b.len() && matches!(b[j], b'"' | b'\'' | b')' | b']') {
                j += 1;
            }
            if j < b.len() && b[j] == b' ' {
                let next = text[j + 1..].chars().next();
                let next_ok = next.is_some_and(|n| {
                    n.is_uppercase() || n.is_ascii_digit() || n == '(' || n == '"'
                });
                let word_start = text[..i]
                    .rfind(|ch: char| ch.is_whitespace() || ch == '(')
                    .map_or(0, |p| {
                        p + text[p..].chars().next().map_or(1, char::len_utf8)
                    });
                let word = text[word_start..i].to_lowercase();
                let abbrev = c == b'.'
                    && (is_abbreviation(&word)
                        || word.chars().count() == 1 && word.chars().all(char::is_alphabetic)
                        || word.ends_with(|ch: char| ch.is_ascii_digit())
                            && text[j + 1..].starts_with(|ch: char| ch.is_ascii_digit()));
                if next_ok && !abbrev {
                    out.push(j);
                }
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut start = 0;
        for end in sentence_ends(text).into_iter().chain([text.len()]) {
            out.push(text[start..end].trim());
            start = end;
        }
        out
    }

    #[test]
    fn abbreviations_initials_and_numbers_end_no_sentence() {
        assert_eq!(
            split("Lihat Vol. 2 karya Prof. Hadi dan J. Smith. Nilainya 3. 5 persen? Ya! Selesai."),
            [
                "Lihat Vol. 2 karya Prof. Hadi dan J. Smith.",
                "Nilainya 3. 5 persen?",
                "Ya!",
                "Selesai."
            ]
        );
    }

    #[test]
    fn a_word_after_wide_whitespace() {
        // U+2028 survives normalization; the word before the dot starts after all its bytes.
        assert_eq!(split("Kata\u{2028}Ini. Itu."), ["Kata\u{2028}Ini.", "Itu."]);
        assert_eq!(
            split("Tanggal 5 Agu. 2020 dan Agt. 2021."),
            ["Tanggal 5 Agu. 2020 dan Agt. 2021."]
        );
    }

    #[test]
    fn a_lowercase_continuation_is_no_sentence_end() {
        assert_eq!(split("Kata ini. dan itu."), ["Kata ini. dan itu."]);
        assert_eq!(
            split("\"Kutipan.\" Lalu (itu)."),
            ["\"Kutipan.\"", "Lalu (itu)."]
        );
    }
}
