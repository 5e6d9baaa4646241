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
//! In a decision only these open a part, and the part's name is the chapter label of its
//! passages, so a reader can filter by it (`chapter`) and that label is always one of six.
//!
//! Inside the parts a decision has headings of its own, one level down ([`inner_heading`]):
//! the charges of the indictment on their own line (`KESATU`, `Kedua :`, `PRIMAIR`,
//! `Lebih Subsidair:`), the labels of the recital (`DAKWAAN`, `KRONOLOGI`, `FAKTA HUKUM`) and the
//! elements of the offence the court weighs one by one (`Ad.1. Unsur “Setiap Orang”`). They
//! title the passages beneath them (`section_title`) until the next one, a new part, or the
//! formula that closes them ([`ends_inner`]): a student quoting the court's reasoning on one
//! element, or one charge, wants that label, not only `Pertimbangan Hukum`.

use std::sync::LazyLock;

use regex::{Regex, RegexSet};

use crate::ingest::normalize::Line;

/// The header formula every decision carries under its title.
static DEMI_KEADILAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)DEMI\s+KEADILAN\s+BERDASARKAN\s+KETUHANAN").unwrap());
/// The formula as a line of its own (quoted, in some decisions), not a thesis quoting it.
static DEMI_KEADILAN_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^["“]?DEMI\s+KEADILAN\s+BERDASARKAN\s+KETUHANAN"#).unwrap());
/// The opening of a summary trial's decision (tindak pidana ringan, `Pid.C`), which has no
/// `PUTUSAN` heading: `Catatan putusan yang dibuat oleh Hakim …`, `Catatan dari persidangan …`.
static CATATAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^Catatan\s+(?:putusan|dari\s+persidangan)\b").unwrap());
static COURT_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:Pengadilan\s+(?:Negeri|Tinggi)|Mahkamah\s+Agung)\b").unwrap()
});
/// `PUTUSAN` (or a court's `PENETAPAN`, a `PETIKAN PUTUSAN`, a `CATATAN PERSIDANGAN`), also
/// letter-spaced, alone or before its number or the `DEMI KEADILAN` formula.
const PUTUSAN_PATTERN: &str = r#"^[`'’]?(?:PETIKAN\s+)?(?:P\s?U\s?T\s?U\s?S\s?A\s?N|P\s?E\s?N\s?E\s?T\s?A\s?P\s?A\s?N|CATATAN\s+PERSIDANGAN)(?:\s+(?:Nomor|NOMOR|DEMI)\b.*|\s+".*|\s*)$"#;
static PUTUSAN: LazyLock<Regex> = LazyLock::new(|| Regex::new(PUTUSAN_PATTERN).unwrap());
const MENGADILI_PATTERN: &str = r"^(?:M\s?E\s?N\s?G\s?A\s?D\s?I\s?L\s?I(?:\s+S\s?E\s?N\s?D\s?I\s?R\s?I)?|M\s?E\s?N\s?E\s?T\s?A\s?P\s?K\s?A\s?N)\s*[:;.]?$";
const DUDUK_PERKARA_PATTERN: &str =
    r"^(?:TENTANG\s+)?D\s?U\s?D\s?U\s?K\s+P\s?E\s?R\s?K\s?A\s?R\s?A(?:NYA)?\s*[:;.]?$";
const PERTIMBANGAN_PATTERN: &str = r"^(?:TENTANG\s+HUKUMNYA|(?:TENTANG\s+)?(?:PERTIMBANGAN(?:\s+HUKUM|NYA)?|P\s?E\s?R\s?T\s?I\s?M\s?B\s?A\s?N\s?G\s?A\s?N\s+H\s?U\s?K\s?U\s?M))\s*[:;.]?$";
const IDENTITY_PATTERN: &str = r"(?i)^(?:\d+\.\s*)?Nama\s+lengkap\b";
const CASE_START_PATTERN: &str = r"(?i)^(?:Menimbang,?\s+bahwa\s+)?(?:Terdakwa\b.{0,80}\bdiajukan\b|Membaca\b|Setelah\s+membaca\b|Pengadilan\s+Negeri\s+tersebut\b)";
/// Where the court starts weighing the case: `Menimbang, bahwa selanjutnya Majelis Hakim akan
/// mempertimbangkan …`, `… terhadap unsur-unsur tersebut …`, `… akan tetapi Mahkamah Agung
/// berpendapat …` (the openings of 318 of corpus-large's 533 decisions' considerations).
const CONSIDERING_PATTERN: &str = r"(?i)^Menimbang,?\s+bahwa\s+(?:selanjutnya\s+Majelis|terhadap\s+unsur|terhadap\s+alasan|(?:akan\s+tetapi|atas\s+alasan[\w-]*\s+tersebut)\s+Mahkamah|sebelum\s+Majelis)";
const CLOSING_PATTERN: &str = r"(?i)^Demikian(?:lah)?\s+(?:diputus|dijatuhkan)";

/// [`step`]'s formulas in its order: the parts' headings ([`STEP_HEADINGS`]), then the lines
/// that start a part ([`STEP_STARTS`]). One pass of a set over a line that may step: trying
/// the eight regexes one after another was 2.1% of a build of corpus-large (perf).
static STEP: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new([
        PUTUSAN_PATTERN,
        DUDUK_PERKARA_PATTERN,
        PERTIMBANGAN_PATTERN,
        MENGADILI_PATTERN,
        IDENTITY_PATTERN,
        CASE_START_PATTERN,
        CONSIDERING_PATTERN,
        CLOSING_PATTERN,
    ])
    .unwrap()
});
/// The part each of [`STEP`]'s first four patterns heads.
const STEP_HEADINGS: [&str; 4] = [HEADER, CASE, CONSIDERATIONS, VERDICT];
/// The part each of [`STEP`]'s last four patterns starts.
const STEP_STARTS: [&str; 4] = [IDENTITY_PART, CASE, CONSIDERATIONS, CLOSING_PART];

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

/// Whether these lines are a court decision: near the top, a decision's heading (`PUTUSAN`, or
/// the `Catatan putusan …` of a summary trial) or the `DEMI KEADILAN` formula, and either both or
/// one of them beside the name of a court. The page footer `Putusan Nomor …` that pdftotext
/// repeats is taken for furniture, and with it, in some decisions, the `PUTUSAN` line itself
/// (25 of corpus-large's 533 decisions were read as theses for that).
pub(super) fn is_court_decision(lines: &[Line]) -> bool {
    let top = &lines[..lines.len().min(80)];
    let any = |re: &Regex| top.iter().any(|l| re.is_match(l.text.trim()));
    let heading = any(&PUTUSAN) || any(&CATATAN);
    let formula = any(&DEMI_KEADILAN_LINE);
    heading && any(&DEMI_KEADILAN) || (heading || formula) && any(&COURT_NAME)
}

/// What line `text` does in a decision whose current part is `part`. A part's formula counts
/// only after the parts before it (a `Nama lengkap` quoted in the considerations is no new
/// identity), and a heading never moves back (it may repeat its part: `MENGADILI SENDIRI`
/// after `MENGADILI`), except `MENGADILI` after the closing formula: in 3 of corpus-large's
/// decisions the PDF's reading order puts the verdict and `Demikianlah diputuskan …` before it.
pub(super) fn step(text: &str, part: Option<&str>) -> Option<Step> {
    let t = text.trim();
    if !may_step(t) {
        return None;
    }
    let at = rank(part);
    let found = STEP.matches(t);
    // The first of the `n` patterns from `from` that matched, counted from `from`.
    let first = |from: usize, n: usize| {
        (from..from + n)
            .find(|&i| found.matched(i))
            .map(|i| i - from)
    };
    let heading = first(0, STEP_HEADINGS.len()).map(|i| STEP_HEADINGS[i]);
    let back_to_verdict = |h: &str| h == VERDICT && part == Some(CLOSING_PART);
    if let Some(h) = heading.filter(|&h| rank(Some(h)) >= at || back_to_verdict(h)) {
        return Some(Step::Heading(h));
    }
    let starts = STEP_STARTS[first(STEP_HEADINGS.len(), STEP_STARTS.len())?];
    (rank(Some(starts)) > at).then_some(Step::Starts(starts))
}

/// Whether `line` (trimmed) can start as one of [`step`]'s patterns does: each begins with one of
/// a few letters, a digit or a quote, so most lines of a decision are turned away by their first
/// byte before the eight patterns are tried on them (a line not starting with ASCII is left to
/// the patterns: their case-insensitive letters also match the likes of `ſ` and `K`).
fn may_step(line: &str) -> bool {
    match line.as_bytes().first() {
        None => false,
        Some(b) if !b.is_ascii() => true,
        Some(b) => matches!(
            b.to_ascii_lowercase(),
            b'`' | b'\'' | b'c' | b'd' | b'm' | b'n' | b'p' | b's' | b't' | b'0'..=b'9'
        ),
    }
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

/// A charge of the indictment alone on its line: `KESATU`, `Kedua :`, `PRIMAIR`, `Lebih
/// Subsidair:`, `ATAU KEDUA`, `DAKWAAN KEDUA`, `KE EMPAT`.
static CHARGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:(?:ATAU\s+)?(?:DAKWAAN\s+)?(?:KE\s?SATU|KEDUA|KETIGA|KE\s?EMPAT|KE\s?LIMA|KEENAM|PERTAMA|PRIMAIR|PRIMER|(?:LEBIH\s+)*SUBSID(?:I?AIR|ER)))\s*[:;.]?$")
        .unwrap()
});
/// The labels a recital or a memorandum sets on a line of their own (`DAKWAAN`, `Dakwaan :`,
/// `KRONOLOGI`, `FAKTA HUKUM`); the ones corpus-large's decisions print standing apart.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:DAKWAAN|TUNTUTAN|KRONOLOGI(?:\s+KEJADIAN|\s+PERKARA)?|FAKTA(?:-FAKTA)?\s+HUKUM|ANALIS[AI]S?\s+YURIDIS)\s*[:;.]?$")
        .unwrap()
});
/// An element of the offence the court weighs: `Ad.1. Unsur “Setiap Orang”`, `Ad. 2 Barang
/// siapa;`, `Ad.2 .Unsur …`, a bare `Ad. 3.` (its title on the next line or lost); in 363 of
/// corpus-large's 533 decisions.
static ELEMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Ad\s?[.,]?\s?\d{1,2}\b\s*\.?\s*(.*)$").unwrap());
/// What comes between two charges and does not end one: `ATAU`, `--Atau--`, `Dan`, a rule.
static CONNECTIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[-–—=\s]*(?i:atau|dan)?[-–—=\s:;]*$").unwrap());
/// A numbered item of the verdict (`2. Menjatuhkan pidana …`): the `… dalam dakwaan Primair;`
/// before it ends a sentence, it is no charge.
static VERDICT_ITEM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{1,2}\s*\.").unwrap());
/// The formulas that open a recital's paragraphs (`Menimbang, bahwa …`, `Membaca …`): the
/// quoted indictment has ended, and no element's title goes on there.
static RECITAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Menimbang|Membaca|Mendengar|Memperhatikan|Mengingat|Setelah\s+membaca)\b")
        .unwrap()
});
/// `Menimbang, bahwa oleh karena semua unsur dari Pasal … telah terpenuhi`: the court is done
/// with the elements one by one.
static ALL_ELEMENTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^Menimbang,?\s+bahwa\b.{0,60}?\b(?:semua|seluruh)\s+unsur").unwrap()
});

/// The kinds of heading inside a decision's parts; they differ in where their reach ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Inner {
    /// A charge or a recital label: until the next recital formula (`Menimbang …`).
    Charge,
    /// An element of the offence: until the court sums the elements up.
    Element,
}

/// An inner heading of a decision: its kind, its text (the lines it takes joined) and how many
/// lines after the first it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct InnerHeading {
    pub(super) kind: Inner,
    pub(super) text: String,
    pub(super) extra: usize,
}

/// The inner heading that `lines[0]` opens, if any; `prev` is the line before it, `lines[1..]`
/// the next few, `width` the text width. Charges and labels are words that also occur inside
/// sentences, broken one per line by the extraction (`… dakwaan alternatif` / `PERTAMA` /
/// `sebagaimana diatur …`), so they count only where they stand apart: with a colon of their
/// own, after a sentence or a clause has ended (or after `ATAU`, another label; not after a
/// verdict item's bare number `2.`), or before the indictment's `Bahwa …`; not before a
/// numbered item of the verdict.
pub(super) fn inner_heading(prev: &str, lines: &[&str], width: usize) -> Option<InnerHeading> {
    let t = lines.first()?.trim();
    // Asked of every line of a decision: the pattern's fixed opening, and the capital a label
    // needs, are checked before a regex runs (the regexes on every line were 1.4% of a build).
    if let Some(c) = t.starts_with("Ad").then(|| ELEMENT.captures(t)).flatten() {
        let (text, extra) = element_title(t, c[1].trim().is_empty(), &lines[1..], width);
        return Some(InnerHeading {
            kind: Inner::Element,
            text,
            extra,
        });
    }
    if !t.starts_with(char::is_uppercase) || !(CHARGE.is_match(t) || LABEL.is_match(t)) {
        return None;
    }
    let next = lines.get(1).map_or("", |n| n.trim());
    let p = prev.trim();
    let after_break = p.is_empty()
        || p.ends_with(['.', ':', ';']) && p.contains(char::is_alphabetic)
        || CONNECTIVE.is_match(p)
        || (CHARGE.is_match(p) || LABEL.is_match(p)) && p.starts_with(char::is_uppercase);
    let indictment = next
        .trim_start_matches(['-', '–', ' '])
        .starts_with("Bahwa");
    let colon = t.ends_with(':');
    (colon || (after_break || indictment) && !VERDICT_ITEM.is_match(next)).then(|| InnerHeading {
        kind: Inner::Charge,
        text: t.to_string(),
        extra: 0,
    })
}

/// An element heading's text and the lines after the first it takes. A bare `Ad. 1.` takes the
/// next line when that names the element (`Unsur Setiap Orang;`), not when the court's reasoning
/// starts there; a title goes on while a quotation is open or the line ran to the full width,
/// for at most two more lines.
fn element_title(first: &str, bare: bool, next: &[&str], width: usize) -> (String, usize) {
    let mut text = first.to_string();
    let goes_on = |n: &str| !n.is_empty() && !RECITAL.is_match(n) && !ELEMENT.is_match(n);
    if bare {
        let names = next.first().map(|n| n.trim()).filter(|n| {
            goes_on(n) && n.starts_with(|c: char| c.is_uppercase() || "“\"".contains(c))
        });
        return match names.filter(|n| n.chars().count() <= 120) {
            Some(n) => (format!("{text} {n}"), 1),
            None => (text, 0),
        };
    }
    let mut extra = 0;
    let mut last = first;
    while let Some(n) = next.get(extra).map(|n| n.trim()) {
        let open_quote = text.matches('“').count() > text.matches('”').count()
            || text.matches('"').count() % 2 == 1;
        let full = last.chars().count() * 100 >= width * 80;
        let ended = text.ends_with([';', ':', '.', '”', '"']);
        if extra == 2 || ended || !(open_quote || full) || !goes_on(n) {
            break;
        }
        text = format!("{text} {n}");
        last = n;
        extra += 1;
    }
    (text, extra)
}

/// Whether line `text` ends the reach of an inner heading of `kind`.
pub(super) fn ends_inner(kind: Inner, text: &str) -> bool {
    let t = text.trim();
    match kind {
        Inner::Charge => RECITAL.is_match(t),
        Inner::Element => ALL_ELEMENTS.is_match(t),
    }
}

/// The label an inner heading gives the passages beneath it: its text without the closing
/// `;`/`:`, and cut to ten words, so that with its part it reads as a label, not a sentence
/// (an element can be a statute's whole clause).
pub(super) fn inner_label(text: &str) -> String {
    let t = text.trim().trim_end_matches([';', ':', '.', ',', ' ']);
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.len() <= 10 {
        words.join(" ")
    } else {
        format!("{} …", words[..9].join(" "))
    }
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

    /// Whether any of [`step`]'s patterns matches `t`, without the screen by first byte.
    fn any_pattern(t: &str) -> bool {
        STEP.is_match(t)
    }

    #[test]
    fn the_first_byte_screen_turns_away_no_line_a_pattern_takes() {
        let taken = [
            "PUTUSAN",
            "`PUTUSAN Nomor 1",
            "\u{2019}PENETAPAN",
            "CATATAN PERSIDANGAN",
            "P U T U S A N",
            "TENTANG DUDUK PERKARA",
            "DUDUK PERKARA",
            "PERTIMBANGAN HUKUM",
            "MENGADILI :",
            "MENETAPKAN",
            "1. Nama lengkap : X",
            "nama lengkap",
            "Menimbang, bahwa Terdakwa telah diajukan",
            "Terdakwa diajukan",
            "setelah membaca berkas",
            "Pengadilan Negeri tersebut",
            "Demikianlah diputuskan",
            "\u{17F}etelah membaca",
        ];
        for t in taken {
            assert!(any_pattern(t), "{t}");
            assert!(may_step(t), "{t}");
        }
        for t in ["", "Agama", "Bahwa ia Terdakwa", "(1) Nama", "Hakim Ketua"] {
            assert!(!any_pattern(t) && !may_step(t), "{t}");
        }
    }

    #[test]
    #[ignore = "needs ../shared/corpus-large (run by .ci/run)"]
    fn the_first_byte_screen_keeps_every_line_of_corpus_large_a_pattern_takes() {
        let large = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-large");
        let text = std::fs::read_to_string(large.join("id_court_decisions.jsonl")).unwrap();
        let (mut lines, mut taken, mut screened) = (0, 0, 0);
        for record in text.lines() {
            let doc: serde_json::Value = serde_json::from_str(record).unwrap();
            for line in doc["text"].as_str().unwrap_or("").lines() {
                let t = line.trim();
                lines += 1;
                if any_pattern(t) {
                    taken += 1;
                    assert!(may_step(t), "{t}");
                }
                screened += usize::from(!may_step(t));
            }
        }
        println!("{lines} lines, {taken} taken by a pattern, {screened} turned away by the screen");
        assert!(
            taken > 1_000 && screened > lines / 2,
            "{lines} {taken} {screened}"
        );
    }

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
            ("MENGADILI", Some(Step::Heading(VERDICT))),
            ("PUTUSAN", None),
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
    fn inner(prev: &str, lines: &[&str]) -> Option<(Inner, String, usize)> {
        inner_heading(prev, lines, 75).map(|h| (h.kind, h.text, h.extra))
    }

    /// Element headings of corpus-large decisions, with the lines after them.
    #[test]
    fn elements_of_the_offence_are_headings() {
        let el = |t: &str, extra| Some((Inner::Element, t.to_string(), extra));
        let prev = "mempertimbangkan sebagai berikut :";
        assert_eq!(
            inner(
                prev,
                &["Ad.1. Unsur “Setiap Orang”", "Menimbang, bahwa unsur"]
            ),
            el("Ad.1. Unsur “Setiap Orang”", 0)
        );
        assert_eq!(
            inner(
                prev,
                &[
                    "Ad.2 .Unsur melakukan penganiayaan :",
                    "Bahwa pada hari Rabu"
                ]
            ),
            el("Ad.2 .Unsur melakukan penganiayaan :", 0)
        );
        // A bare number takes the element's name from the next line, not the reasoning.
        assert_eq!(
            inner(prev, &["Ad. 1.", "Unsur Setiap Orang;", "Menimbang, bahwa"]),
            el("Ad. 1. Unsur Setiap Orang;", 1)
        );
        assert_eq!(
            inner(
                prev,
                &["Ad. 1.", "Menimbang, bahwa unsur “Setiap Orang” disini"]
            ),
            el("Ad. 1.", 0)
        );
        // An open quotation, or a line run to the full width, goes on.
        assert_eq!(
            inner(
                prev,
                &[
                    "Ad.2. Unsur “secara bersama-sama menyalahgunakan Narkotika Golongan",
                    "I bagi diri mereka sendiri”",
                    "Menimbang, bahwa yang dimaksud dengan Narkotika sesuai",
                ]
            ),
            el(
                "Ad.2. Unsur “secara bersama-sama menyalahgunakan Narkotika Golongan I bagi diri mereka sendiri”",
                1
            )
        );
        assert_eq!(
            inner(
                prev,
                &[
                    "Ad.2. Unsur mengambil sesuatu barang yang sebagian atau seluruhnya milik",
                    "orang lain dengan maksud untuk dimiliki secara melawan hukum;",
                    "Menimbang, bahwa",
                ]
            ),
            el(
                "Ad.2. Unsur mengambil sesuatu barang yang sebagian atau seluruhnya milik orang lain dengan maksud untuk dimiliki secara melawan hukum;",
                1
            )
        );
        // A short title ends on its line, whatever the scrambled text after it.
        assert_eq!(
            inner(
                prev,
                &[
                    "Ad.2 Unsur Tanpa Hak atau Melawan Hukum",
                    "hukum",
                    "materiil"
                ]
            ),
            el("Ad.2 Unsur Tanpa Hak atau Melawan Hukum", 0)
        );
        assert_eq!(inner(prev, &["Adapun unsur-unsur tersebut adalah"]), None);
    }

    /// Charges and recital labels stand apart; the same words inside a sentence, broken one per
    /// line by the extraction, do not.
    #[test]
    fn charges_are_headings_where_they_stand_apart() {
        let charge = |t: &str| Some((Inner::Charge, t.to_string(), 0));
        let bahwa = "Bahwa Terdakwa ABDUSSALAM Bin BAHRUN pada hari Kamis tanggal";
        let berikut = "Umum didakwa berdasarkan surat dakwaan sebagai berikut:";
        assert_eq!(inner(berikut, &["KESATU", bahwa]), charge("KESATU"));
        assert_eq!(
            inner("ATAU", &["KEDUA", "identitasnya ada"]),
            charge("KEDUA")
        );
        assert_eq!(
            inner("tentang Narkotika.", &["Lebih Subsidair:", bahwa]),
            charge("Lebih Subsidair:")
        );
        assert_eq!(inner("No.Reg", &["Primair:", bahwa]), charge("Primair:"));
        assert_eq!(
            inner("dalam Pasal 363 ayat (2) KUHPidana", &["Subsidair", bahwa]),
            charge("Subsidair")
        );
        assert_eq!(
            inner(
                "sebagai berikut:",
                &["KRONOLOGI:", "1. Bahwa pada hari senin"]
            ),
            charge("KRONOLOGI:")
        );
        assert_eq!(
            inner(
                "Terdakwa dapat dinyatakan bersalah;",
                &["DAKWAAN", "Kesatu Pasal 114"]
            ),
            charge("DAKWAAN")
        );
        // Inside sentences.
        let within = [
            (
                "alternatif",
                "PERTAMA",
                "sebagaimana diatur Pasal 12 Jo Pasal 2 UU",
            ),
            ("dakwaan", "Subsidair", "dengan memperhatikan"),
            ("Tingkat", "Pertama", "menyatakan para Terdakwa terbukti"),
            ("unsur", "pertama", "yaitu"),
            // The verdict: `2.` / `Dakwaan Kedua;` is the end of an item.
            ("2.", "Dakwaan Kedua;", "Menjatuhkan pidana kepada Terdakwa"),
            (
                "sebagaimana dalam",
                "Dakwaan Primair;",
                "2. Menjatuhkan pidana",
            ),
            // `ATAU` between charges is no heading.
            (
                "Pemberantasan Tindak Pidana Perdagangan Orang.",
                "ATAU",
                "Ketiga :",
            ),
        ];
        for (prev, t, next) in within {
            assert_eq!(inner(prev, &[t, next]), None, "{t:?} after {prev:?}");
        }
    }

    #[test]
    fn an_inner_heading_reaches_to_its_closing_formula() {
        let menimbang = "Menimbang, bahwa terhadap dakwaan tersebut Terdakwa";
        assert!(ends_inner(Inner::Charge, menimbang));
        assert!(!ends_inner(
            Inner::Charge,
            "Bahwa ia Terdakwa pada hari Rabu"
        ));
        assert!(!ends_inner(Inner::Element, menimbang));
        assert!(ends_inner(
            Inner::Element,
            "Menimbang, bahwa oleh karena semua unsur dari Pasal 363 Ayat (1) ke-"
        ));
        assert!(ends_inner(
            Inner::Element,
            "Menimbang, bahwa oleh karena seluruh unsur Pasal pada dakwaan tersebut"
        ));
    }

    #[test]
    fn a_long_element_is_cut_to_a_label() {
        assert_eq!(
            inner_label("Ad.1. Unsur “Setiap Orang”;"),
            "Ad.1. Unsur “Setiap Orang”"
        );
        assert_eq!(inner_label("Kedua :"), "Kedua");
        let long = "Ad.2. Unsur “Mengambil barang sesuatu, yang seluruhnya atau sebagian kepunyaan orang lain”";
        assert_eq!(
            inner_label(long),
            "Ad.2. Unsur “Mengambil barang sesuatu, yang seluruhnya atau sebagian …"
        );
        assert!(inner_label(long).split_whitespace().count() <= 10);
    }

    /// Decisions whose `PUTUSAN` line the extraction lost (taken for the page footer), that
    /// print it after a stray quote mark, or that are a summary trial's `Catatan putusan`.
    #[test]
    fn decisions_without_a_clean_putusan_line() {
        use crate::ingest::normalize::clean_lines;
        let lost = clean_lines(
            "DEMI KEADILAN BERDASARKAN KETUHANAN YANG MAHA ESA\n\
             Pengadilan Negeri Pasaman Barat yang mengadili perkara pidana dengan\n",
        );
        assert!(is_court_decision(&lost));
        let quoted = clean_lines("`PUTUSAN\n\nDEMI KEADILAN BERDASARKAN KETUHANAN YANG MAHA ESA\n");
        assert!(is_court_decision(&quoted));
        assert_eq!(step("'PUTUSAN", None), Some(Step::Heading(HEADER)));
        let summary = clean_lines(
            "PENGADILAN NEGERI PULAU PUNJUNG\nCatatan putusan yang dibuat oleh\n\
             Hakim Pengadilan Negeri dalam daftar catatan perkara\n",
        );
        assert!(is_court_decision(&summary));
        // A thesis that quotes the formula inside a sentence is no decision.
        let thesis = clean_lines(
            "BAB II\nSetiap putusan memuat irah-irah DEMI KEADILAN BERDASARKAN KETUHANAN\n\
             YANG MAHA ESA, kata Pengadilan Negeri Medan dalam putusannya.\n",
        );
        assert!(!is_court_decision(&thesis));
        assert_eq!(
            step("TENTANG HUKUMNYA", Some(CASE)),
            Some(Step::Heading(CONSIDERATIONS))
        );
    }
}
