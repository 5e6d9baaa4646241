//! Headings wrapped in narrow columns.
//!
//! A two-column journal page extracted column by column gives lines of thirty-odd characters, so
//! a heading wraps over two to five lines (`4. ECPAT Meksiko Mengadakan` / `Workshop Pelatihan
//! Pencegahan` / …) and a body line is as short as a heading line: "a short line standing
//! apart" tells nothing. What still tells them apart is the text on both sides of the break:
//! a heading reads as a title (numbered, or Title Case with no sentence end) and the line after
//! it opens a sentence in lower-case prose, or another heading. [`column_heading`] looks for the
//! shortest run of lines from a candidate line with both, so the run ends where the prose
//! starts and not one line early (`Konteksutal` / `Eksternal`) or late.

use std::sync::LazyLock;

use regex::Regex;

use super::headings::{ends_with_function_word, is_strong_heading, unnumbered, NUMBERED};
use super::layout::FUNCTION_WORDS;
use super::layout::{caps_share, char_len, ends_sentence, starts_upper_or_digit, Layout};
use crate::ingest::normalize::{Line, LineKind};

/// The most lines one heading takes: the longest in the seed article's columns takes five.
const MAX_LINES: usize = 5;

/// Lines of the text after a candidate heading that are read to tell prose from more title.
const PROSE_WINDOW: usize = 4;

/// A list item of lower-case letters (`a. ECPAT Meksiko`, `b)`): an item of an enumeration,
/// which no heading run goes on into.
static LETTER_ITEM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[a-z][.)]\s").unwrap());

/// A heading of lines `i..=i + extra` in wrapped text: its title and `extra`. The lines are no
/// longer than the wrap width, none ends a sentence or a clause, together they read as a title
/// ([`reads_as_title`]), and the line after them opens prose or another heading
/// ([`opens_after`]). Of the runs from `i` that have all of that, the one followed by the
/// plainest prose: the shortest may end inside the title, where the names of its last lines
/// would pass for a sentence's (`Anak (ESKA), dengan` / `Kepolisian Kota Oaxaca` / `Workshop
/// ini` …). `None` when no run has it.
pub(super) fn column_heading(lines: &[Line], i: usize, lay: Layout) -> Option<(String, usize)> {
    let first = lines.get(i)?.text.trim();
    if !starts_upper_or_digit(first) || first.starts_with(['(', '[', '"', '-', '\'']) {
        return None;
    }
    let numbered = NUMBERED.is_match(first);
    let run = title_run(lines, i, lay);
    let mut best: Option<(f32, usize)> = None;
    for k in 0..run.len() {
        let title = run[..=k].join(" ");
        if !reads_as_title(&title, numbered) || ends_with_function_word(&title) {
            continue;
        }
        let score = opens_after(lines, i + k + 1);
        if score.is_some_and(|s| best.is_none_or(|(b, _)| s > b)) {
            best = score.map(|s| (s, k));
        }
    }
    best.map(|(_, k)| (run[..=k].join(" "), k))
}

/// The lines from `i` that a heading may take: text lines up to the wrap width that end no
/// sentence or clause, up to the next list item, strong heading or sentence start (a
/// capitalised function word) or, where the source gave geometry, a line set apart, at most
/// [`MAX_LINES`].
fn title_run(lines: &[Line], i: usize, lay: Layout) -> Vec<&str> {
    let mut run = Vec::new();
    for (k, l) in lines.iter().enumerate().skip(i).take(MAX_LINES) {
        let t = l.text.trim();
        let fits = l.kind == LineKind::Text && char_len(t) <= lay.width;
        let ends = ends_sentence(t) || t.ends_with(',');
        let item = k > i
            && (NUMBERED.is_match(t)
                || LETTER_ITEM.is_match(t)
                || is_strong_heading(t)
                || opens_with_function_word(t));
        // Where the source saw the page, a line with space above it stands apart from the title.
        let apart = k > i && lay.laid_out && l.gap_before;
        if !fits || ends || item || apart {
            break;
        }
        run.push(t);
    }
    run
}

/// A run of lines that reads as a title. A numbered one (`2. ECPAT Meksiko bekerjasama dengan
/// Perusahaan Kosmetik …`) has most of its content words capitalised; an unnumbered one has
/// nothing but its capitals to go by, so nearly all of them are, and it holds no digit and no
/// comma, which a paragraph's first line often has (`Pada 5 Juni 2012, ECPAT`).
fn reads_as_title(title: &str, numbered: bool) -> bool {
    let words = title.split_whitespace().count();
    if opens_with_function_word(unnumbered(title)) {
        return false;
    }
    if numbered {
        return words <= 25 && caps_share(unnumbered(title)) >= 0.7;
    }
    words <= 12
        && caps_share(title) >= 0.85
        && !title.contains(',')
        && !title.chars().any(|c| c.is_ascii_digit())
}

/// How plainly line `j` (past footnote markers) opens what follows a heading: the end of the
/// text or another heading (a strong one, or a numbered title) fully, a paragraph of prose by
/// its share of lower-case words ([`prose_share`]); `None` when it opens nothing.
fn opens_after(lines: &[Line], j: usize) -> Option<f32> {
    let mut rest = lines[j.min(lines.len())..]
        .iter()
        .filter(|l| l.kind == LineKind::Text)
        .map(|l| l.text.trim());
    let Some(next) = rest.next() else {
        return Some(1.0);
    };
    if is_strong_heading(next) || NUMBERED.is_match(next) && caps_share(unnumbered(next)) >= 0.7 {
        return Some(1.0);
    }
    let window: Vec<&str> = std::iter::once(next)
        .chain(rest.take(PROSE_WINDOW - 1))
        .collect();
    prose_share(&window)
}

/// Whether lines open a paragraph of prose, and how plainly: the share of lower-case content
/// words after the first word. The first line starts with a capital and has two words or more
/// (a lone word is the tail of a wrapped title: `Eksternal`, `Korban`), and either opens with a
/// capitalised function word, which a title keeps in lower case and a sentence does not
/// (`Pada tanggal 9 September` / `2009, Kampanye Stop Trafficking of` / …, where the names
/// would outvote the prose: share 1), or has a lower-case word itself and, over the window,
/// more than 40% of the content words are lower case — a title capitalises them, a sentence
/// only its names (`Untuk menangani kasus` / `ESKA dan prostitusi anak di` / `Meksiko, ECPAT
/// …`).
pub(super) fn prose_share(window: &[&str]) -> Option<f32> {
    let first = window.first()?;
    if LETTER_ITEM.is_match(first)
        || !starts_upper_or_digit(first)
        || first.split_whitespace().count() < 2
    {
        return None;
    }
    if opens_with_function_word(first) {
        return Some(1.0);
    }
    if !has_lower_word(first) {
        return None;
    }
    let words: Vec<&str> = window
        .iter()
        .flat_map(|l| l.split_whitespace())
        .skip(1)
        .filter(|w| w.chars().any(char::is_alphabetic))
        .filter(|w| !FUNCTION_WORDS.contains(&w.to_lowercase().as_str()))
        .collect();
    let lower = words.iter().filter(|w| !starts_upper_or_digit(w)).count();
    let share = lower as f32 / words.len().max(1) as f32;
    (words.len() >= 3 && share > 0.4).then_some(share)
}

/// After its first word, the line has a content word in lower case: `Faktor kontekstual`, not
/// `Pemerintah Meksiko`, which may as well be the last line of a title.
fn has_lower_word(line: &str) -> bool {
    line.split_whitespace()
        .skip(1)
        .map(|w| w.trim_start_matches(['(', '"', '\'']))
        .filter(|w| !FUNCTION_WORDS.contains(&w.to_lowercase().as_str()))
        .any(|w| w.chars().next().is_some_and(char::is_lowercase))
}

/// The line opens with a function word written with a capital (`Pada 5 Juni 2012, ECPAT`,
/// `Untuk menangani kasus`): a sentence's first word, since a title leaves those in lower case.
pub(super) fn opens_with_function_word(t: &str) -> bool {
    let word = t.split_whitespace().next().unwrap_or("");
    starts_upper_or_digit(word) && FUNCTION_WORDS.contains(&word.to_lowercase().as_str())
}

/// The number of a numbered line and its style: `3. …` → `(0, 3)`, `C. …` → `(1, 3)`; Roman
/// numerals and other labels → `None`.
pub(super) fn item_number(t: &str) -> Option<(usize, u32)> {
    let label = t.split(['.', ')']).next()?;
    if !NUMBERED.is_match(t) {
        return None;
    }
    if let Ok(n) = label.parse::<u32>() {
        return Some((0, n));
    }
    let mut c = label.chars();
    match (c.next(), c.next()) {
        (Some(l @ 'A'..='H'), None) => Some((1, l as u32 - 'A' as u32 + 1)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::normalize::clean_lines;

    /// Lines of the seed article 003 (JOM FISIP, two columns), one text line each, with the
    /// blank line pdftotext leaves between them.
    fn column(text: &str) -> Vec<Line> {
        let spaced: Vec<&str> = text.lines().collect();
        clean_lines(&spaced.join("\n\n"))
    }

    /// The wrap width of 003's columns (its 90th-percentile line length).
    const WIDTH: Layout = Layout {
        wrapped: true,
        width: 35,
        laid_out: false,
    };

    fn heading_at(text: &str, i: usize) -> Option<(String, usize)> {
        column_heading(&column(text), i, WIDTH)
    }

    #[test]
    fn a_numbered_heading_wrapped_over_five_lines_ends_where_the_prose_starts() {
        let text = "4. ECPAT Meksiko Mengadakan
Workshop Pelatihan Pencegahan
Eksploitasi Seksual Komersial
Anak (ESKA), dengan
Kepolisian Kota Oaxaca
Workshop ini
diselenggarakan pada 4 sampai 9
Juni 2012 dengan partisipasi aktif
dari 60 Polres. Beberapa topik yang";
        let (title, extra) = heading_at(text, 0).unwrap();
        assert_eq!(extra, 4);
        assert!(title.ends_with("dengan Kepolisian Kota Oaxaca"), "{title}");
    }

    #[test]
    fn a_lone_word_is_the_tail_of_the_title_not_the_start_of_the_paragraph() {
        let text = "1. Faktor Makro / Konteksutal
Eksternal
Faktor kontekstual
memberikan kontribusi yang
signifikan terhadap lingkungan yang
membuat eksploitasi seksual terjadi.";
        assert_eq!(
            heading_at(text, 0),
            Some(("1. Faktor Makro / Konteksutal Eksternal".into(), 1))
        );
    }

    #[test]
    fn an_unnumbered_title_followed_by_a_numbered_heading() {
        let text = "Dampak Fisik dan Psikologis
Korban
1. HIV/AIDS
Meskipun bukti empiris
mengenai pengalaman remaja terlibat
dalam pekerjaan seks kurang, data";
        assert_eq!(
            heading_at(text, 0),
            Some(("Dampak Fisik dan Psikologis Korban".into(), 1))
        );
        assert_eq!(heading_at(text, 2), Some(("1. HIV/AIDS".into(), 0)));
    }

    /// A paragraph's first line full of names and a date is no heading: it has digits and a
    /// comma, and what follows it is a sentence going on.
    #[test]
    fn a_paragraph_opening_with_a_date_and_names_is_no_heading() {
        let text = "Pada 5 Juni 2012, ECPAT
Meksiko meminta pemerintah dari
Oaxaca untuk menyelidiki dan
menghukum para pendeta yang";
        assert_eq!(heading_at(text, 0), None);
        let text = "Meksiko merupakan negara
asal, transit, dan tujuan perdagangan
perempuan dan anak. Perempuan dan";
        assert_eq!(heading_at(text, 0), None);
    }

    /// The recap inside a conclusion lists the headings again, as items with sub-items
    /// (`a.`, `b.`) rather than paragraphs under them: no prose follows, so no heading.
    #[test]
    fn a_recap_list_of_titles_is_no_heading() {
        let text = "1. Peran ECPAT dan Pemerintah
Meksiko
a. ECPAT Internasional
membuat Global Youth
Partnership Project di
Meksiko
b. ECPAT Meksiko";
        assert_eq!(heading_at(text, 0), None);
    }

    /// A recommendation item states something: it is no title (`hukuman pada`).
    #[test]
    fn an_enumerated_recommendation_is_no_heading() {
        let text = "1. Memberi hukuman pada
pelaku kejahatan, bukan
kepada anak. Anak yang
menjadi pekerja seks";
        assert_eq!(heading_at(text, 0), None);
    }

    /// A two-word last line of names (`Pemerintah Meksiko`) is the end of the title, not the
    /// paragraph's first line, which here opens with `Pada`.
    #[test]
    fn a_last_line_of_names_stays_with_the_title() {
        let text = "2. ECPAT Meksiko Mendukung
Laporan dan Mendata Korban
Prostitusi yang disampaikan
Pemerintah Meksiko
Pada tanggal 17 Juni 2010,
ECPAT Meksiko mendukung
laporan awal yang disampaikan oleh";
        let (title, extra) = heading_at(text, 0).unwrap();
        assert_eq!(extra, 3);
        assert!(title.ends_with("disampaikan Pemerintah Meksiko"), "{title}");
    }

    #[test]
    fn list_numbers_by_style() {
        assert_eq!(item_number("3. Infeksi Menular Seksual"), Some((0, 3)));
        assert_eq!(
            item_number("B. Peran ECPAT dan Perusahaan di"),
            Some((1, 2))
        );
        assert_eq!(item_number("IV. Penutup"), None);
        assert_eq!(item_number("2.1 Latar Belakang"), None);
        assert_eq!(item_number("Meksiko"), None);
    }

    #[test]
    fn a_capitalised_function_word_opens_a_sentence() {
        assert!(opens_with_function_word("Pada 5 Juni 2012, ECPAT"));
        assert!(opens_with_function_word("Untuk menangani kasus"));
        assert!(!opens_with_function_word("di Meksiko"));
        assert!(!opens_with_function_word("Peran ECPAT dalam Menangani"));
    }
}
