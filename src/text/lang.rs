//! Language detection, with whatlang: the codes a passage is labelled with at index time
//! (`enrich::lang`) and the language a query is guessed to be in at query time, from the same
//! detectors.
//!
//! whatlang has no Malay model, and on short Indonesian text its mistakes go to Javanese,
//! Tagalog or Spanish; restricted to Indonesian and English it is right about 94% of the time
//! from ten words up. So text is judged between those two first, and another language is
//! accepted only when the full detector is sure of it on a long passage.
//!
//! Most passages never reach whatlang: their function words (`yang`, `dan`, `the`, `of`…) say
//! Indonesian or English beyond doubt at a fraction of the cost, and language detection was
//! the largest single cost of indexing. Where function words decide, whatlang says the same on
//! every passage of the seed corpus and on all but 11 of corpus-large's 113,218 (those 11 are
//! Indonesian sentences full of English software terms, which whatlang calls English).

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
    let words = alphabetic_words(text);
    let lang = detect_unscored(text, words)?;
    Some((lang, words >= FIRM_WORDS))
}

/// Words that make a label firm (see [`detect_scored`]).
const FIRM_WORDS: usize = 20;

/// The words of `text` with a letter in them, counted up to [`FIRM_WORDS`]: what says whether a
/// text is long enough to tell its language (numbers and punctuation tell nothing). Past that
/// count nothing changes, and a court decision's passage may run to thousands of words.
fn alphabetic_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .take(FIRM_WORDS)
        .count()
}

fn detect_unscored(text: &str, words: usize) -> Option<&'static str> {
    if words < MIN_WORDS {
        // Scripts tell even on short text; Latin script tells nothing, and is most of them.
        if text.is_ascii() || whatlang::detect_script(text) == Some(whatlang::Script::Latin) {
            return None;
        }
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
    if let Some(lang) = by_function_words(sample) {
        return Some(lang);
    }
    trigrams(sample, words)
}

/// The language by whatlang's trigram models alone: Indonesian or English, or another language
/// the full detector is sure of. What [`detect`] asks when function words leave it in doubt;
/// public so that the benches and tests can hold the quick path against it.
#[doc(hidden)]
pub fn detect_by_trigrams(text: &str) -> Option<&'static str> {
    let words = alphabetic_words(text);
    if words < MIN_WORDS {
        return detect_unscored(text, words);
    }
    trigrams(&text[..floor_char_boundary(text, 400)], words)
}

fn trigrams(sample: &str, words: usize) -> Option<&'static str> {
    let main = ID_EN.detect(sample)?;
    // The full detector (ten times slower) is asked only when the Indonesian/English call is
    // unsure, which is where Spanish, French or German text ends up.
    if words >= FIRM_WORDS
        && (main.confidence() < 0.9 || !main.is_reliable() || foreign_hint(sample))
    {
        if let Some(info) = ANY.detect(sample) {
            if accept_other(info.lang()) && info.is_reliable() && info.confidence() > 0.9 {
                return Some(code(info.lang()));
            }
        }
    }
    Some(code(main.lang()))
}

/// Which language's grammar a short word belongs to: words that are most of the grammar of
/// Indonesian prose and never stand in English prose, the same for English, and function
/// words of the third languages the corpus quotes ([`is_foreign`]). `word` is lower case.
fn function_word(word: &str) -> Option<Marks> {
    Some(match word {
        "yang" | "dan" | "di" | "ke" | "dari" | "dalam" | "untuk" | "dengan" | "pada" | "ini"
        | "itu" | "adalah" | "tidak" | "oleh" | "atau" | "akan" | "telah" | "bahwa"
        | "tersebut" | "sebagai" | "karena" | "juga" | "dapat" | "kepada" | "terhadap"
        | "sudah" | "bagi" | "serta" | "maka" | "secara" | "tentang" | "antara" | "namun"
        | "belum" | "sebuah" | "seorang" | "mereka" | "kami" | "kita" | "saya" | "ia" | "agar"
        | "sehingga" | "yaitu" | "jika" | "apabila" | "atas" | "sejak" | "sampai" | "berikut"
        | "selama" | "tanggal" | "yakni" | "setelah" | "sebelum" | "lalu" | "kemudian"
        | "bersama" | "sesuai" | "berdasarkan" | "hari" | "bulan" | "tahun" | "sebesar"
        | "melalui" | "menurut" => Marks::Id,
        "the" | "of" | "and" | "to" | "in" | "is" | "that" | "for" | "with" | "as" | "by"
        | "are" | "was" | "be" | "this" | "which" | "on" | "from" | "were" | "have" | "has"
        | "it" | "at" | "or" | "not" | "their" | "these" | "been" | "we" | "can" | "between"
        | "than" | "also" | "its" | "such" | "they" | "into" | "our" | "there" | "who"
        | "would" | "should" | "may" | "using" | "each" | "both" | "after" | "when" | "however"
        | "showed" | "through" | "within" | "during" | "found" | "other" => Marks::En,
        // French `et`, but far more often the `et al.` of a citation.
        "et" => return None,
        w if is_foreign(w) => Marks::Foreign,
        _ => return None,
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Marks {
    Id,
    En,
    Foreign,
}

/// Indonesian or English from function words alone, when they leave no doubt: a fraction of
/// whatlang's cost, and whatlang (restricted to the two) says the same on every passage of
/// corpus-large and the seed corpus where this decides. `None` — ask the trigram models — when
/// both languages' words are there, when they are too few, or when a word of a third language
/// is.
pub fn by_function_words(sample: &str) -> Option<&'static str> {
    let (mut id, mut en, mut total) = (0usize, 0usize, 0usize);
    let mut buf = [0u8; 12];
    for w in sample
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        total += 1;
        if w.len() > buf.len() || !w.is_ascii() {
            continue;
        }
        let lower = &mut buf[..w.len()];
        lower.copy_from_slice(w.as_bytes());
        lower.make_ascii_lowercase();
        match std::str::from_utf8(lower).ok().and_then(function_word) {
            Some(Marks::Id) => id += 1,
            Some(Marks::En) => en += 1,
            Some(Marks::Foreign) => return None,
            None => {}
        }
    }
    let clear = |own: usize, other: usize| own >= 2 && own >= 8 * other && own * 8 >= total;
    if clear(id, en) {
        Some("id")
    } else if clear(en, id) {
        Some("en")
    } else {
        None
    }
}

/// Function words of the other languages the corpus quotes (Spanish, Portuguese, French,
/// German, Dutch, Italian) that never stand in Indonesian or English prose; `word` is lower
/// case. Not `para` (Spanish and Portuguese "for"): it is Indonesian too, the plural of persons
/// (`para terdakwa`), and as a foreign word it sent 3,667 passages of corpus-large, nearly all
/// Indonesian, past their function words to the trigram models. A `match`, not a list
/// scanned: [`function_word`] asks it of most words of a passage.
// A `match` rather than `matches!`, which rustfmt lays out a word to a line.
#[allow(clippy::match_like_matches_macro)]
fn is_foreign(word: &str) -> bool {
    match word {
        "el" | "los" | "las" | "del" | "y" | "que" | "por" | "con" | "una" | "les" | "des"
        | "du" | "et" | "une" | "est" | "der" | "die" | "und" | "das" | "ist" | "mit" | "het"
        | "een" | "della" | "sobre" | "entre" | "como" | "em" | "dos" | "uma" | "não" | "il"
        | "che" | "gli" | "nel" | "sono" => true,
        _ => false,
    }
}

/// Enough foreign function words ([`is_foreign`]) that the full detector is worth its cost.
fn foreign_hint(sample: &str) -> bool {
    let (mut hits, mut total) = (0usize, 0usize);
    let mut lower = String::new();
    for w in sample
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        total += 1;
        lower.clear();
        lower.push_str(w);
        lower.make_ascii_lowercase();
        if is_foreign(&lower) {
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
    fn function_words_decide_only_clear_cases() {
        let id = "Terdakwa ditahan dalam tahanan rumah oleh penyidik sejak tanggal 4 Oktober";
        let en = "The members of the cohort were followed for two years after the trial";
        assert_eq!(by_function_words(id), Some("id"));
        assert_eq!(by_function_words(en), Some("en"));
        // Both languages' words, or a third language's: whatlang is asked.
        let mixed = "Kasus human trafficking di Indonesia is one of the worst in the region";
        assert_eq!(by_function_words(mixed), None);
        let es = "Los peces marinos de Venezuela y la fauna del Caribe con una nota";
        assert_eq!(by_function_words(es), None);
        // `et al.` is a citation, not French.
        let cited = "as was shown in the earlier work of Hill et al. for the worm and in flies";
        assert_eq!(by_function_words(cited), Some("en"));
        // `para` is the Indonesian plural of persons as well as Spanish "for".
        let para = "Bahwa Saksi tidak mengenal para Terdakwa dan tidak ada hubungan keluarga";
        assert_eq!(by_function_words(para), Some("id"));
        let es_para = "La lista de especies para la costa de Venezuela con una nota";
        assert_eq!(by_function_words(es_para), None);
    }

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
