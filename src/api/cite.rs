//! How a passage is cited: APA 7 and BibTeX of its document, with the passage's page or lines.
//!
//! One formatter for the CLI (`search --cite`, `cite`) and the HTTP server (`/api/cite`, the
//! web page's cite button), so a student gets the same reference wherever they copy it from. It
//! cites only what the document states ([`DocMeta`]): no author becomes the title in the
//! author's place, no year `n.d.`, as APA says, rather than a guess.

use crate::model::{is_organisation, surname, Cited, DocMeta, Passage};
use crate::search::cites::DocInfo;

/// The citation of passage `p` of document `doc`.
pub fn cite(p: &Passage, doc: &DocInfo) -> Cited {
    Cited {
        passage_id: p.id.clone(),
        in_text: in_text(p, doc),
        apa: apa(doc),
        bibtex: bibtex(p, doc),
    }
}

/// Where the passage stands, as a citation gives it: `p. 5` (`pp. 5–6` over a page break),
/// else `ll. 120–134`.
fn place(p: &Passage) -> String {
    match (p.page, p.lines) {
        (Some(page), _) => match p.page_end.filter(|&e| e != page) {
            Some(end) => format!("pp. {page}–{end}"),
            None => format!("p. {page}"),
        },
        (None, [a, b]) if a == b => format!("l. {a}"),
        (None, [a, b]) => format!("ll. {a}–{b}"),
    }
}

fn year(meta: &DocMeta) -> String {
    meta.year.map_or("n.d.".to_string(), |y| y.to_string())
}

fn in_text(p: &Passage, doc: &DocInfo) -> String {
    let who = doc
        .meta
        .short_authors()
        .unwrap_or_else(|| format!("\u{201c}{}\u{201d}", short_title(&doc.title)));
    format!("({who}, {}, {})", year(&doc.meta), place(p))
}

/// The first words of a title, as APA cites a work without author.
fn short_title(title: &str) -> String {
    let words: Vec<&str> = title.split_whitespace().collect();
    match words.len() > 6 {
        true => format!("{}…", words[..6].join(" ")),
        false => words.join(" "),
    }
}

/// `Saragih, E., & Alfajri`: surname and initials, the last one after `&`; more than twenty
/// authors as APA 7 gives them (the first nineteen, an ellipsis, the last).
fn apa_authors(authors: &[String]) -> String {
    let names: Vec<String> = authors.iter().map(|a| apa_name(a)).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] if names.len() <= 20 => format!("{}, & {last}", init.join(", ")),
        _ => format!("{}, … {}", names[..19].join(", "), names[names.len() - 1]),
    }
}

/// `Scott R. Sponheim` → `Sponheim, S. R.`; `Michael-Paul Schallmo` → `Schallmo, M.-P.`; a
/// single name or an organisation as it is.
fn apa_name(name: &str) -> String {
    let last = surname(name);
    if is_organisation(name) || last == name {
        return name.to_string();
    }
    let given = name[..name.len() - last.len()].trim();
    let initials: Vec<String> = given.split_whitespace().map(initials_of).collect();
    format!("{last}, {}", initials.join(" "))
}

fn initials_of(word: &str) -> String {
    word.split('-')
        .filter_map(|part| part.chars().next())
        .map(|c| format!("{c}."))
        .collect::<Vec<_>>()
        .join("-")
}

/// The APA 7 reference: `Authors. (Year). Title. Journal, Volume(Issue). https://doi.org/…`
fn apa(doc: &DocInfo) -> String {
    let m = &doc.meta;
    let title = end_with_period(&doc.title);
    let mut out = match m.authors.is_empty() {
        true => format!("{title} ({}).", year(m)),
        false => format!(
            "{} ({}). {title}",
            end_with_period(&apa_authors(&m.authors)),
            year(m)
        ),
    };
    if let Some(j) = &m.journal {
        out.push_str(&format!(" {j}"));
        if let Some(v) = &m.volume {
            out.push_str(&format!(", {v}"));
            if let Some(i) = &m.issue {
                out.push_str(&format!("({i})"));
            }
        }
        out.push('.');
    }
    if let Some(d) = &m.doi {
        out.push_str(&format!(" https://doi.org/{d}"));
    }
    out
}

fn end_with_period(s: &str) -> String {
    let s = s.trim();
    match s.ends_with(['.', '?', '!']) {
        true => s.to_string(),
        false => format!("{s}."),
    }
}

/// A BibTeX record: `@article` when a journal is known, else `@misc`; names as `Last, First`
/// joined by `and`, organisations braced so BibTeX does not split them.
fn bibtex(p: &Passage, doc: &DocInfo) -> String {
    let m = &doc.meta;
    let mut fields = vec![("title", format!("{{{}}}", tex(&doc.title)))];
    if !m.authors.is_empty() {
        let names: Vec<String> = m.authors.iter().map(|a| bib_name(a)).collect();
        fields.insert(0, ("author", names.join(" and ")));
    }
    let mut push = |k: &'static str, v: &Option<String>| {
        if let Some(v) = v {
            fields.push((k, tex(v)));
        }
    };
    push("journal", &m.journal);
    push("volume", &m.volume);
    push("number", &m.issue);
    push("year", &m.year.map(|y| y.to_string()));
    push("doi", &m.doi);
    if !m.keywords.is_empty() {
        fields.push(("keywords", tex(&m.keywords.join(", "))));
    }
    fields.push((
        "note",
        tex(&format!("{}; pustaka passage {}", place(p), p.id)),
    ));
    let kind = if m.journal.is_some() {
        "article"
    } else {
        "misc"
    };
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("  {k} = {{{v}}}"))
        .collect();
    format!("@{kind}{{{},\n{}\n}}\n", bib_key(doc), body.join(",\n"))
}

fn bib_name(name: &str) -> String {
    let last = surname(name);
    if is_organisation(name) {
        return format!("{{{}}}", tex(name));
    }
    let given = name[..name.len() - last.len()].trim();
    match given.is_empty() {
        true => tex(last),
        false => format!("{}, {}", tex(last), tex(given)),
    }
}

/// `saragih2023upaya`: first author's surname, year, first long title word, ASCII only.
fn bib_key(doc: &DocInfo) -> String {
    let ascii = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let who = doc.meta.authors.first().map_or(String::new(), |a| {
        ascii(surname(a).split(' ').next().unwrap_or(""))
    });
    let word = doc
        .title
        .split_whitespace()
        .map(ascii)
        .find(|w| w.len() > 3)
        .unwrap_or_default();
    let key = format!(
        "{who}{}{word}",
        doc.meta.year.map_or(String::new(), |y| y.to_string())
    );
    match key.is_empty() {
        true => ascii(&doc.id),
        false => key,
    }
}

/// Escapes the characters BibTeX and LaTeX read as commands.
fn tex(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '*' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(authors: &[&str], year: Option<u16>, journal: Option<&str>) -> DocInfo {
        DocInfo {
            id: "004_x".into(),
            title: "Upaya IOM dalam Menangani Kasus Human Trafficking".into(),
            cite_as: None,
            meta: DocMeta {
                authors: authors.iter().map(|s| s.to_string()).collect(),
                year,
                journal: journal.map(str::to_string),
                volume: journal.map(|_| "4".to_string()),
                issue: journal.map(|_| "2".to_string()),
                ..DocMeta::default()
            },
        }
    }

    fn passage(page: Option<u32>, lines: [usize; 2]) -> Passage {
        let mut p = crate::ingest::passages_of_text(
            "Kebijakan luar negeri Meksiko sejak awal 1990-an hingga saat ini menampilkan transformasi strategis.",
            None,
        )
        .remove(0);
        p.id = "004_x#12".into();
        p.page = page;
        p.lines = lines;
        p
    }

    #[test]
    fn apa_names_surnames_and_initials() {
        assert_eq!(apa_name("Scott R. Sponheim"), "Sponheim, S. R.");
        assert_eq!(apa_name("Michael-Paul Schallmo"), "Schallmo, M.-P.");
        assert_eq!(apa_name("Alfajri"), "Alfajri");
        let d = doc(
            &["Eriston Saragih", "Alfajri"],
            Some(2023),
            Some("JOM FISIP"),
        );
        assert_eq!(
            apa(&d),
            "Saragih, E., & Alfajri. (2023). Upaya IOM dalam Menangani Kasus Human Trafficking. JOM FISIP, 4(2)."
        );
    }

    #[test]
    fn the_place_is_a_page_or_the_lines() {
        let d = doc(&["Eriston Saragih", "Alfajri"], Some(2023), None);
        assert_eq!(
            in_text(&passage(Some(5), [10, 12]), &d),
            "(Saragih & Alfajri, 2023, p. 5)"
        );
        assert_eq!(
            in_text(&passage(None, [120, 134]), &d),
            "(Saragih & Alfajri, 2023, ll. 120–134)"
        );
        let mut over = passage(Some(5), [10, 12]);
        over.page_end = Some(6);
        assert_eq!(in_text(&over, &d), "(Saragih & Alfajri, 2023, pp. 5–6)");
    }

    #[test]
    fn without_author_the_title_leads_and_without_year_nd() {
        let d = doc(&[], None, None);
        assert_eq!(
            apa(&d),
            "Upaya IOM dalam Menangani Kasus Human Trafficking. (n.d.)."
        );
        assert!(in_text(&passage(None, [3, 3]), &d).starts_with("(\u{201c}Upaya IOM dalam"));
    }

    #[test]
    fn bibtex_is_an_article_with_braced_organisations() {
        let d = doc(
            &["Eriston Saragih", "Alfajri"],
            Some(2023),
            Some("JOM FISIP"),
        );
        let b = bibtex(&passage(Some(5), [10, 12]), &d);
        assert!(b.starts_with("@article{saragih2023upaya,\n"), "{b}");
        assert!(b.contains("author = {Saragih, Eriston and Alfajri}"), "{b}");
        assert!(
            b.contains("note = {p. 5; pustaka passage 004\\_x\\#12}"),
            "{b}"
        );
        let court = doc(&["Pengadilan Negeri Nunukan"], Some(2020), None);
        let b = bibtex(&passage(None, [1, 2]), &court);
        assert!(b.starts_with("@misc{"), "{b}");
        assert!(b.contains("author = {{Pengadilan Negeri Nunukan}}"), "{b}");
    }
}
