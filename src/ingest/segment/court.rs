//! Court decisions (putusan): the structure every Indonesian criminal decision shares.
//!
//! A decision is no thesis. Its lines in capitals are defendants' names, its short lines are
//! the cells of an identity table, its `Bab I` is a reference to a statute, so the heading
//! rules for academic text label its passages with nonsense (`Agama Pekerjaan`, `8)`, `BAB III
//! — , pemeriksa mengambil kesimpulan …`, measured on corpus-large). What it does have is a
//! fixed order of parts, each opened by a formula the courts all use:
//!
//! | part | opened by |
//! |---|---|
//! | Kepala Putusan | `PUTUSAN` (`P U T U S A N`), then `Nomor …` and `DEMI KEADILAN …` |
//! | Identitas Terdakwa | `Nama lengkap :` |
//! | Duduk Perkara | `DUDUK PERKARA`, or the first `Terdakwa … diajukan`, `Membaca …` |
//! | Pertimbangan Hukum | `PERTIMBANGAN HUKUM`, `TENTANG PERTIMBANGAN …`, or `Menimbang, bahwa selanjutnya Majelis …` |
//! | Amar Putusan | `MENGADILI` (`M E N G A D I L I`, `MENGADILI SENDIRI`), `MENETAPKAN` |
//! | Penutup | `Demikian(lah) diputuskan …` |
//!
//! In a decision only these open a part, and the part's name is the section label of its
//! passages, so a reader can filter by it (`section_title`) and a label is always one of six.

use std::sync::LazyLock;

use regex::Regex;

use crate::ingest::normalize::Line;

/// The header formula every decision carries under its title.
static DEMI_KEADILAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)DEMI\s+KEADILAN\s+BERDASARKAN\s+KETUHANAN").unwrap());
/// `PUTUSAN` (or a court's `PENETAPAN`, a `PETIKAN PUTUSAN`, a `CATATAN PERSIDANGAN`), also
/// letter-spaced, alone or before its number or the `DEMI KEADILAN` formula.
static PUTUSAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(?:PETIKAN\s+)?(?:P\s?U\s?T\s?U\s?S\s?A\s?N|P\s?E\s?N\s?E\s?T\s?A\s?P\s?A\s?N|CATATAN\s+PERSIDANGAN)(?:\s+(?:Nomor|NOMOR|DEMI)\b.*|\s+".*|\s*)$"#).unwrap()
});
static MENGADILI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:M\s?E\s?N\s?G\s?A\s?D\s?I\s?L\s?I(?:\s+S\s?E\s?N\s?D\s?I\s?R\s?I)?|M\s?E\s?N\s?E\s?T\s?A\s?P\s?K\s?A\s?N)\s*[:;.]?$")
        .unwrap()
});
static DUDUK_PERKARA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:TENTANG\s+)?D\s?U\s?D\s?U\s?K\s+P\s?E\s?R\s?K\s?A\s?R\s?A(?:NYA)?\s*[:;.]?$")
        .unwrap()
});
static PERTIMBANGAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:TENTANG\s+)?(?:PERTIMBANGAN(?:\s+HUKUM|NYA)?|P\s?E\s?R\s?T\s?I\s?M\s?B\s?A\s?N\s?G\s?A\s?N\s+H\s?U\s?K\s?U\s?M)\s*[:;.]?$")
        .unwrap()
});
static IDENTITY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:\d+\.\s*)?Nama\s+lengkap\b").unwrap());
static CASE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:Menimbang,?\s+bahwa\s+)?(?:Terdakwa\b.{0,80}\bdiajukan\b|Membaca\b|Setelah\s+membaca\b|Pengadilan\s+Negeri\s+tersebut\b)")
        .unwrap()
});
/// Where the court starts weighing the case: `Menimbang, bahwa selanjutnya Majelis Hakim akan
/// mempertimbangkan …`, `… terhadap unsur-unsur tersebut …`, `… akan tetapi Mahkamah Agung
/// berpendapat …` (the openings of 318 of corpus-large's 533 decisions' considerations).
static CONSIDERING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^Menimbang,?\s+bahwa\s+(?:selanjutnya\s+Majelis|terhadap\s+unsur|terhadap\s+alasan|(?:akan\s+tetapi|atas\s+alasan[\w-]*\s+tersebut)\s+Mahkamah|sebelum\s+Majelis)")
        .unwrap()
});
static CLOSING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^Demikian(?:lah)?\s+(?:diputus|dijatuhkan)").unwrap());

/// A decision's number as its header states it: `2008 K / Pid.Sus / 2015`, `268 PK/Pid.Sus/2018`,
/// `45/Pid.Sus/2025/PN Kgn` (with the court, when it follows).
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:Nomor|NOMOR|No\.)\s*:?\s*(\d+\s*(?:P?K\s*)?/\s*[A-Za-z][\w.\-]*(?:\s*/\s*[\w.\-]+)*?\s*/\s*\d{4}(?:\s*/\s*(?:PN|PT|PA|PTUN|PM)\b\.?[\s\-]*[A-Z][A-Za-z]+)?)")
        .unwrap()
});

/// The parts of a decision, in order.
pub(super) const HEADER: &str = "Kepala Putusan";
pub(super) const IDENTITY_PART: &str = "Identitas Terdakwa";
pub(super) const CASE: &str = "Duduk Perkara";
pub(super) const CONSIDERATIONS: &str = "Pertimbangan Hukum";
pub(super) const VERDICT: &str = "Amar Putusan";
pub(super) const CLOSING_PART: &str = "Penutup";

/// What a line of a decision does to its structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// The line is the heading of a part (`MENGADILI`): a heading passage, then the part.
    Heading(&'static str),
    /// The line is the first of a part that has no heading (`Nama lengkap : …`).
    Starts(&'static str),
}

/// Whether these lines are a court decision: `PUTUSAN` and the `DEMI KEADILAN` formula near
/// the top, as every decision of the Supreme Court's directory begins.
pub(super) fn is_court_decision(lines: &[Line]) -> bool {
    let top = &lines[..lines.len().min(80)];
    top.iter().any(|l| PUTUSAN.is_match(l.text.trim()))
        && top.iter().any(|l| DEMI_KEADILAN.is_match(&l.text))
}

/// What line `text` does in a decision whose current part is `part`. A part's formula counts
/// only after the parts before it (a `Nama lengkap` quoted in the considerations is no new
/// identity), and a heading never moves back (it may repeat its part: `MENGADILI SENDIRI`
/// after `MENGADILI`).
pub(super) fn step(text: &str, part: Option<&str>) -> Option<Step> {
    let t = text.trim();
    let at = rank(part);
    let heading = if PUTUSAN.is_match(t) {
        Some(HEADER)
    } else if DUDUK_PERKARA.is_match(t) {
        Some(CASE)
    } else if PERTIMBANGAN.is_match(t) {
        Some(CONSIDERATIONS)
    } else if MENGADILI.is_match(t) {
        Some(VERDICT)
    } else {
        None
    };
    if let Some(h) = heading.filter(|&h| rank(Some(h)) >= at) {
        return Some(Step::Heading(h));
    }
    let starts = if IDENTITY.is_match(t) {
        IDENTITY_PART
    } else if CASE_START.is_match(t) {
        CASE
    } else if CONSIDERING.is_match(t) {
        CONSIDERATIONS
    } else if CLOSING.is_match(t) {
        CLOSING_PART
    } else {
        return None;
    };
    (rank(Some(starts)) > at).then_some(Step::Starts(starts))
}

/// The title a reader gives a decision, from its header: `Putusan Nomor 45/Pid.Sus/2025/PN Kgn`
/// (`Penetapan …` for a court's order). The header's own number, not a title given beside the
/// text: in corpus-large the given title is the lower court's number, or a file name, for about
/// one decision in six.
pub(super) fn title(header: &str) -> Option<String> {
    let flat = header.split_whitespace().collect::<Vec<_>>().join(" ");
    let number = NUMBER.captures(&flat)?;
    let kind = if flat.contains("PENETAPAN") || flat.contains("P E N E T A P A N") {
        "Penetapan"
    } else {
        "Putusan"
    };
    Some(format!("{kind} Nomor {}", &number[1]))
}

/// A part's place in the order; 0 before the first.
fn rank(part: Option<&str>) -> usize {
    let order = [
        HEADER,
        IDENTITY_PART,
        CASE,
        CONSIDERATIONS,
        VERDICT,
        CLOSING_PART,
    ];
    part.and_then(|p| order.iter().position(|&o| o == p))
        .map_or(0, |k| k + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of corpus-large decisions, in the order a decision has them.
    #[test]
    fn the_parts_open_in_order() {
        let lines = [
            ("PUTUSAN", Some(Step::Heading(HEADER))),
            ("Nomor 2008 K / Pid.Sus / 2015", None),
            ("DEMI KEADILAN BERDASARKAN KETUHANAN YANG MAHA ESA", None),
            ("Nama lengkap", Some(Step::Starts(IDENTITY_PART))),
            ("Agama", None),
            ("MUKSIN SHIDIQ, S. KOM", None),
            (
                "Terdakwa diajukan ke persidangan oleh Penuntut Umum didakwa",
                Some(Step::Starts(CASE)),
            ),
            ("KESATU", None),
            ("BAB III , pemeriksa mengambil kesimpulan bahwa", None),
            (
                "Menimbang, bahwa selanjutnya Majelis Hakim akan mempertimbangkan",
                Some(Step::Starts(CONSIDERATIONS)),
            ),
            ("PERTIMBANGAN HUKUM", Some(Step::Heading(CONSIDERATIONS))),
            ("Nama lengkap saksi", None),
            ("M E N G A D I L I :", Some(Step::Heading(VERDICT))),
            ("MENGADILI SENDIRI", Some(Step::Heading(VERDICT))),
            (
                "Demikianlah diputuskan dalam rapat musyawarah Majelis Hakim",
                Some(Step::Starts(CLOSING_PART)),
            ),
            ("MENGADILI", None),
        ];
        let mut part: Option<&str> = None;
        for (text, want) in lines {
            let got = step(text, part);
            assert_eq!(got, want, "{text:?} in {part:?}");
            if let Some(Step::Heading(p) | Step::Starts(p)) = got {
                part = Some(p);
            }
        }
    }

    #[test]
    fn a_decision_is_titled_by_its_own_number() {
        let cases = [
            (
                "PUTUSAN Nomor 2008 K / Pid.Sus / 2015 DEMI KEADILAN",
                "Putusan Nomor 2008 K / Pid.Sus / 2015",
            ),
            (
                "P U T U S A N Nomor 45/Pid.Sus/2025/PN Kgn DEMI KEADILAN BERDASARKAN",
                "Putusan Nomor 45/Pid.Sus/2025/PN Kgn",
            ),
            (
                "PUTUSAN Nomor 268 PK/Pid.Sus/2018 MAHKAMAH AGUNG",
                "Putusan Nomor 268 PK/Pid.Sus/2018",
            ),
            (
                "PENETAPAN Nomor 108/Pdt.P/2025/PA.Batg DEMI KEADILAN",
                "Penetapan Nomor 108/Pdt.P/2025/PA.Batg",
            ),
        ];
        for (header, want) in cases {
            assert_eq!(title(header).as_deref(), Some(want), "{header:?}");
        }
        assert_eq!(title("PUTUSAN DEMI KEADILAN BERDASARKAN KETUHANAN"), None);
    }

    #[test]
    fn a_thesis_is_no_decision() {
        use crate::ingest::normalize::clean_lines;
        let thesis = clean_lines("BAB II\nKEBIJAKAN LUAR NEGERI\n2.1 Perspektif\n");
        assert!(!is_court_decision(&thesis));
        let decision = clean_lines(
            "P U T U S A N\nNomor 45/Pid.Sus/2025/PN Kgn\n\
             DEMI KEADILAN BERDASARKAN KETUHANAN YANG MAHA ESA\n",
        );
        assert!(is_court_decision(&decision));
    }
}
