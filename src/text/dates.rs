//! Month names, Indonesian and English: one list for the citation parser (a capitalised month
//! is a date, not an author) and for document metadata (the date a court decided on).

use super::names;

/// Month names by number, Indonesian first, then the English spellings that differ.
const MONTHS: [(&str, u8); 20] = [
    ("januari", 1),
    ("februari", 2),
    ("maret", 3),
    ("april", 4),
    ("mei", 5),
    ("juni", 6),
    ("juli", 7),
    ("agustus", 8),
    ("september", 9),
    ("oktober", 10),
    ("november", 11),
    ("desember", 12),
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("october", 10),
];

/// The number of a month named in either language, any case (`Mei` → 5, `December` → 12).
pub fn month_number(word: &str) -> Option<u8> {
    let w = names::fold(word);
    match w.as_str() {
        "december" => Some(12),
        _ => MONTHS.iter().find(|(m, _)| *m == w).map(|&(_, n)| n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_any_case() {
        assert_eq!(month_number("Mei"), Some(5));
        assert_eq!(month_number("DESEMBER"), Some(12));
        assert_eq!(month_number("December"), Some(12));
        assert_eq!(month_number("march"), Some(3));
        assert_eq!(month_number("Maret"), Some(3));
        assert_eq!(month_number("Tahun"), None);
    }
}
