//! Function words: the words of a query that carry its grammar, not its subject.
//!
//! A student types `dampak perdagangan manusia terhadap perempuan migran`; `terhadap` is in half
//! the court passages and says nothing about which one answers. Counted like a subject word, it
//! lets `Terdakwa tidak menimbulkan korban dan dampak yang luas terhadap …` (one subject word,
//! three function words) outrank a passage about trafficked migrant women. Search therefore
//! leaves these words out of a query that has subject words ([`crate::search`]); a quoted
//! phrase still matches them, word for word.
//!
//! The lists are closed classes only (prepositions, conjunctions, pronouns, determiners,
//! auxiliaries, particles, question words), taken from two published lists:
//!
//! - Indonesian: the stopword list of F. Z. Tala, *A Study of Stemming Effects on Information
//!   Retrieval in Bahasa Indonesia* (M.Sc. thesis, Universiteit van Amsterdam, 2003), the list
//!   Lucene's `IndonesianAnalyzer` and NLTK ship. Tala's list also holds content words (`jumlah`,
//!   `tahun`, `waktu`, `masalah`, `hukum`…) that a reader of court decisions searches for; those
//!   are left out here.
//! - English: the Snowball English stop list (M. Porter, snowballstem.org), which is closed-class
//!   already, plus the modal verbs and the prepositions it lacks (`can`, `may`, `must`, `upon`,
//!   `within`, `among`…).
//!
//! Words are matched as the exact analyzer leaves them: lower case, ASCII-folded.

/// Indonesian function words (see the module doc for the source).
const INDONESIAN: &[&str] = &[
    // prepositions
    "di", "ke", "dari", "pada", "kepada", "daripada", "dalam", "untuk", "bagi", "oleh", "dengan",
    "tentang", "terhadap", "antara", "sejak", "hingga", "sampai", "menuju", "melalui", "atas",
    "tanpa", "demi", "menurut", "sekitar", "selama", "seperti", "sebagai", "per", "akan",
    "mengenai", "menjelang", "semenjak", "sesuai", "terkait",
    // conjunctions
    "dan", "atau", "tetapi", "tapi", "namun", "serta", "sedangkan", "melainkan", "bahwa",
    "karena", "sebab", "jika", "kalau", "apabila", "bila", "agar", "supaya", "sehingga",
    "meskipun", "walaupun", "walau", "biarpun", "ketika", "sementara", "setelah", "sesudah",
    "sebelum", "maka", "lalu", "kemudian", "yaitu", "yakni", "ialah", "adalah", "merupakan",
    "bahkan", "padahal", "seraya", "sambil", "andaikan", "seandainya", "asalkan",
    // pronouns and determiners
    "saya", "aku", "kami", "kita", "anda", "kamu", "engkau", "dia", "ia", "mereka", "beliau",
    "nya", "ini", "itu", "tersebut", "sini", "situ", "sana", "sebuah", "seorang", "suatu",
    "sesuatu", "setiap", "tiap", "semua", "seluruh", "beberapa", "berbagai", "para", "sang",
    "si", "sendiri", "masing", "segala", "segenap",
    // question words
    "apa", "apakah", "siapa", "siapakah", "mengapa", "kenapa", "bagaimana", "bagaimanakah",
    "berapa", "berapakah", "kapan", "kapankah", "dimana", "manakah", "mana",
    // auxiliaries, adverbs of aspect and degree, particles
    "yang", "tidak", "tak", "bukan", "belum", "sudah", "telah", "sedang", "masih", "dapat",
    "bisa", "boleh", "harus", "sangat", "lebih", "paling", "amat", "pula", "saja", "pun", "lah",
    "kah", "tah", "se", "ada", "adanya", "juga", "hanya", "secara", "begitu", "demikian",
    "lagi", "sudahlah", "agak", "cukup", "terlalu", "hal",
];

/// English function words (see the module doc for the source).
const ENGLISH: &[&str] = &[
    // Snowball's English stop list
    "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours",
    "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself",
    "it", "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which",
    "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be",
    "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "would",
    "should", "could", "ought", "a", "an", "the", "and", "but", "if", "or", "because", "as",
    "until", "while", "of", "at", "by", "for", "with", "about", "against", "between", "into",
    "through", "during", "before", "after", "above", "below", "to", "from", "up", "down", "in",
    "out", "on", "off", "over", "under", "again", "further", "then", "once", "here", "there",
    "when", "where", "why", "how", "all", "any", "both", "each", "few", "more", "most", "other",
    "some", "such", "no", "nor", "not", "only", "own", "same", "so", "than", "too", "very",
    // modal verbs and prepositions the Snowball list lacks
    "can", "will", "shall", "may", "might", "must", "also", "upon", "within", "without",
    "among", "amongst", "whether", "via", "per", "onto", "towards", "toward",
];

/// Whether `word` (lower case, folded) is a function word of Indonesian or English.
pub fn is_function_word(word: &str) -> bool {
    INDONESIAN.contains(&word) || ENGLISH.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar_words_of_both_languages_are_function_words() {
        for w in ["terhadap", "yang", "dan", "of", "the", "berapa", "bagaimana", "what"] {
            assert!(is_function_word(w), "{w}");
        }
    }

    #[test]
    fn subject_words_are_not() {
        for w in [
            "dampak", "perdagangan", "manusia", "perempuan", "migran", "hukuman", "jumlah",
            "tahun", "malaria", "children", "trafficking",
        ] {
            assert!(!is_function_word(w), "{w}");
        }
    }

    #[test]
    fn the_lists_hold_no_word_twice() {
        let mut all: Vec<&str> = INDONESIAN.iter().chain(ENGLISH).copied().collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        // `per` is a preposition in both languages.
        assert_eq!(all.len(), n - 1);
    }
}
