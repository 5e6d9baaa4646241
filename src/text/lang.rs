//! Language detection, with whatlang: the codes a passage is labelled with at index time
//! (`enrich::lang`) and the language a query is guessed to be in at query time, from the same
//! detectors.
//!
//! whatlang has no Malay model, and on short Indonesian text its mistakes go to Javanese,
//! Tagalog or Spanish; restricted to Indonesian and English it is right about 94% of the time
//! from ten words up. So text is judged between those two first, and another language is
//! accepted only when the full detector is sure of it on a long passage.

use std::sync::LazyLock;

use whatlang::{Detector, Lang};

/// Below this many words a label is not trusted (a passage inherits one from its neighbours).
pub const MIN_WORDS: usize = 10;

static ID_EN: LazyLock<Detector> =
    LazyLock::new(|| Detector::with_allowlist(vec![Lang::Ind, Lang::Eng]));
static ANY: LazyLock<Detector> = LazyLock::new(Detector::new);

/// ISO 639-1 code of a whatlang language, where there is one we use.
fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::Ind => "id",
        Lang::Eng => "en",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Ita => "it",
        Lang::Nld => "nl",
        Lang::Jpn => "ja",
        Lang::Kor => "ko",
        Lang::Cmn => "zh",
        Lang::Ara => "ar",
        Lang::Rus => "ru",
        _ => "",
    }
}

/// Languages other than Indonesian and English that a long passage may be labelled with.
/// Malay's neighbours (Javanese, Tagalog, Sundanese...) are left out on purpose.
fn accept_other(lang: Lang) -> bool {
    matches!(
        lang,
        Lang::Spa
            | Lang::Por
            | Lang::Fra
            | Lang::Deu
            | Lang::Ita
            | Lang::Nld
            | Lang::Jpn
            | Lang::Kor
            | Lang::Cmn
            | Lang::Ara
            | Lang::Rus
    )
}

/// Detect the language of one text, or `None` when it is too short to trust.
pub fn detect(text: &str) -> Option<&'static str> {
    detect_scored(text).map(|(l, _)| l)
}

/// The language, and whether the label is firm enough to overrule a document's main language
/// (20 words or more).
pub fn detect_scored(text: &str) -> Option<(&'static str, bool)> {
    let words = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    let lang = detect_unscored(text, words)?;
    Some((lang, words >= 20))
}

fn detect_unscored(text: &str, words: usize) -> Option<&'static str> {
    if words < MIN_WORDS {
        // Scripts tell even on short text.
        return ANY
            .detect(text)
            .filter(|i| {
                matches!(
                    i.lang(),
                    Lang::Jpn | Lang::Kor | Lang::Cmn | Lang::Ara | Lang::Rus
                )
            })
            .map(|i| code(i.lang()));
    }
    // Trigram statistics settle long before 400 bytes; the rest only costs time.
    let sample = &text[..floor_char_boundary(text, 400)];
    let main = ID_EN.detect(sample)?;
    // The full detector (ten times slower) is asked only when the Indonesian/English call is
    // unsure, which is where Spanish, French or German text ends up.
    if words >= 20 && (main.confidence() < 0.9 || !main.is_reliable() || foreign_hint(sample)) {
        if let Some(info) = ANY.detect(sample) {
            if accept_other(info.lang()) && info.is_reliable() && info.confidence() > 0.9 {
                return Some(code(info.lang()));
            }
        }
    }
    Some(code(main.lang()))
}

/// Function words of the other languages the corpus quotes (Spanish, Portuguese, French,
/// German, Dutch, Italian) that never stand in Indonesian or English prose: enough of them and
/// the full detector is worth its cost.
fn foreign_hint(sample: &str) -> bool {
    const WORDS: &[&str] = &[
        "el", "los", "las", "del", "y", "que", "por", "para", "con", "una", "les", "des", "du",
        "et", "une", "est", "der", "die", "und", "das", "ist", "mit", "het", "een", "della",
        "sobre", "entre", "como", "em", "dos", "uma", "não",
    ];
    let (mut hits, mut total) = (0usize, 0usize);
    for w in sample
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        total += 1;
        if WORDS.iter().any(|f| f.eq_ignore_ascii_case(w)) {
            hits += 1;
        }
    }
    hits >= 3 && hits * 12 >= total
}

fn floor_char_boundary(s: &str, max: usize) -> usize {
    if max >= s.len() {
        return s.len();
    }
    (0..=max)
        .rev()
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(0)
}

/// The language a short query is most likely in, with whatlang's confidence; `None` for a
/// single word or when it cannot tell. Ranking uses it only as a mild preference.
pub fn query_language(words: &str) -> Option<(&'static str, f64)> {
    words.split_whitespace().nth(1)?;
    ID_EN
        .detect(words)
        .map(|i| (code(i.lang()), i.confidence()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_not_trusted() {
        assert_eq!(detect("Kata Kunci: IOM, Perdagangan Manusia"), None);
    }

    #[test]
    fn indonesian_and_english_from_the_seed_corpus() {
        let id = "Kebijakan luar negeri Meksiko sejak awal 1990-an hingga saat ini menampilkan transformasi strategis yang berfokus pada diversifikasi kemitraan";
        let en = "Mexico is one of the leading hot spot for sexual exploitation of children. ECPAT as NGO which fights against sexual exploitation of children have some role";
        assert_eq!(detect(id), Some("id"));
        assert_eq!(detect(en), Some("en"));
    }
}
