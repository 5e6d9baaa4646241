//! Query syntax → a plain query tree (no tantivy here, so it is tested on strings).
//!
//! The syntax is what people type into a search box: words (ORed, ranked by how many match),
//! `"quoted phrases"`, `+must` and `-not`, `word*` prefixes, and `field:value` filters
//! (`lang:en`, `doc:003`, `section:2.1`, `kind:footnote`, `chapter:"BAB II"`, `title:…`).
//! Nothing a user types makes it fail with a parser error: an unbalanced quote closes at the
//! end, a stray `:` is a space, an unknown field is searched as words; each such repair is
//! reported as a note. Only a filter with an impossible value is an error, with the fix.

use crate::model::Kind;

/// How a clause takes part in the match, as the user marked it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occur {
    /// Unmarked: optional, but each one found raises the passage.
    Should,
    /// `+word`: a passage without it is not a hit.
    Must,
    /// `-word` or `NOT word`: a passage with it is not a hit.
    MustNot,
}

/// What a clause looks for, as typed (analysis happens when the tantivy query is built).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Atom {
    /// A bare word, found in any of its forms (exact, root, stem, or a typo away).
    Word(String),
    /// `"quoted words"`, found in that order, unstemmed.
    Phrase(String),
    /// `word*` without the star: any indexed word that begins so (at least two letters).
    Prefix(String),
}

/// One word, phrase or prefix of a query with its operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// Optional, required or excluded.
    pub occur: Occur,
    /// What to look for.
    pub atom: Atom,
}

/// The fields a `field:value` filter may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterField {
    /// A language code (`lang:en`).
    Lang,
    /// A document id or its beginning (`doc:003`).
    Doc,
    /// A section number, its subsections included (`section:2.1`).
    Section,
    /// A kind of passage (`kind:footnote`).
    Kind,
    /// Words of the chapter heading, all of them (`chapter:"BAB II"`).
    Chapter,
    /// Words of the document title, all of them (`title:meksiko`).
    Title,
    /// A cited author or organisation (`cites:unodc`, `cites:"Correa-Cabrera"`).
    Cites,
    /// A cited year; with `cites:` it means a citation of that author in that year.
    Year,
    /// A cited work's key (`work:correa-cabrera-2016`).
    Work,
}

impl FilterField {
    const ALL: [(&'static str, FilterField); 9] = [
        ("lang", FilterField::Lang),
        ("doc", FilterField::Doc),
        ("section", FilterField::Section),
        ("kind", FilterField::Kind),
        ("chapter", FilterField::Chapter),
        ("title", FilterField::Title),
        ("cites", FilterField::Cites),
        ("year", FilterField::Year),
        ("work", FilterField::Work),
    ];

    fn parse(name: &str) -> Option<FilterField> {
        let name = name.to_ascii_lowercase();
        FilterField::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, f)| f)
    }

    /// The name typed before the colon (`lang`), for messages.
    pub fn name(self) -> &'static str {
        FilterField::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("", |(n, _)| n)
    }
}

/// One `field:value` filter: every hit must match it (or, negated, must not), whatever words
/// the query asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// The field filtered on.
    pub field: FilterField,
    /// The value as [`check_filter`] normalized it (`lang:EN` → `en`, `section:2.1.` → `2.1`).
    pub value: String,
    /// `-lang:en`: passages that do *not* match the filter.
    pub negated: bool,
}

/// A query as parsed: what to look for, what to keep, and what was repaired on the way.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Words, phrases and prefixes, in the order typed; at most [`MAX_CLAUSES`].
    pub clauses: Vec<Clause>,
    /// Filters, in the order typed (the request's own filter fields are added after these).
    pub filters: Vec<Filter>,
    /// What was repaired, for the user to see.
    pub notes: Vec<String>,
}

/// Longest query accepted; a pasted page belongs to `pustaka check`.
pub const MAX_QUERY_CHARS: usize = 2000;
/// Most words and phrases one query may hold.
pub const MAX_CLAUSES: usize = 64;

/// Check a filter value, normalizing it; `Err` says what would be valid.
pub fn check_filter(field: FilterField, value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(format!(
            "{}: needs a value, e.g. {}",
            field.name(),
            example(field)
        ));
    }
    match field {
        FilterField::Lang => {
            let v = v.to_ascii_lowercase();
            if v.len() < 2 || v.len() > 3 || !v.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(format!("lang:{value} is not a language code; use a two-letter code such as lang:id or lang:en"));
            }
            Ok(v)
        }
        FilterField::Kind => Kind::parse(v)
            .map(|k| k.as_str().to_string())
            .ok_or_else(|| {
                let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                format!(
                    "kind:{value} is not a kind of passage; use one of {}",
                    kinds.join(", ")
                )
            }),
        FilterField::Section => {
            let v = v.trim_end_matches('.');
            if v.is_empty()
                || !v
                    .split('.')
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
            {
                return Err(format!("section:{value} is not a section number; use digits and dots, e.g. section:2.1"));
            }
            Ok(v.to_string())
        }
        FilterField::Year => {
            let ok = v.len() == 4 && v.chars().all(|c| c.is_ascii_digit());
            match ok {
                true => Ok(v.to_string()),
                false => Err(format!(
                    "year:{value} is not a year; use four digits, e.g. year:2016"
                )),
            }
        }
        FilterField::Work => Ok(v.to_lowercase()),
        FilterField::Doc | FilterField::Chapter | FilterField::Title | FilterField::Cites => {
            Ok(v.to_string())
        }
    }
}

fn example(field: FilterField) -> &'static str {
    match field {
        FilterField::Lang => "lang:en",
        FilterField::Doc => "doc:003",
        FilterField::Section => "section:2.1",
        FilterField::Kind => "kind:footnote",
        FilterField::Chapter => "chapter:\"BAB II\"",
        FilterField::Title => "title:meksiko",
        FilterField::Cites => "cites:unodc",
        FilterField::Year => "year:2016",
        FilterField::Work => "work:correa-cabrera-2016",
    }
}

/// Parse a query string.
pub fn parse(input: &str) -> Result<ParsedQuery, String> {
    let n = input.chars().count();
    if n > MAX_QUERY_CHARS {
        return Err(format!(
            "the query has {n} characters (at most {MAX_QUERY_CHARS}); to find where a pasted text stands in the corpus, use `pustaka check`"
        ));
    }
    let mut q = ParsedQuery::default();
    let mut s = Scanner {
        chars: input.chars().collect(),
        i: 0,
    };
    let mut pending_not = false;
    while s.skip_space() {
        let occur = s.operator(std::mem::take(&mut pending_not));
        if s.peek() == Some('"') {
            let (text, closed) = s.quoted();
            if !closed {
                q.notes
                    .push("unbalanced quote: the phrase was closed at the end of the query".into());
            }
            if !text.trim().is_empty() {
                q.clauses.push(Clause {
                    occur,
                    atom: Atom::Phrase(text.trim().to_string()),
                });
            }
            continue;
        }
        let token = s.bare_token();
        if token.contains(':') {
            field_or_words(&mut q, &mut s, occur, &token)?;
            continue;
        }
        match token.as_str() {
            "AND" | "OR" | "&&" | "||" => {}
            "NOT" => pending_not = true,
            _ => push_word(&mut q, occur, &token),
        }
    }
    if q.clauses.len() > MAX_CLAUSES {
        return Err(format!(
            "the query has {} words and phrases (at most {MAX_CLAUSES}); shorten it, or use `pustaka check` for a pasted text",
            q.clauses.len()
        ));
    }
    Ok(q)
}

/// The query's characters and where the parser stands in them.
struct Scanner {
    chars: Vec<char>,
    i: usize,
}

impl Scanner {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    /// Skip white space; whether anything is left.
    fn skip_space(&mut self) -> bool {
        while self.peek().is_some_and(char::is_whitespace) {
            self.i += 1;
        }
        self.i < self.chars.len()
    }

    /// A `+` or `-` glued to what follows, or a `NOT` before it, says how the clause occurs.
    fn operator(&mut self, after_not: bool) -> Occur {
        let glued = self
            .chars
            .get(self.i + 1)
            .is_some_and(|n| !n.is_whitespace());
        match self.peek() {
            Some('+') if glued => {
                self.i += 1;
                Occur::Must
            }
            Some('-') if glued => {
                self.i += 1;
                Occur::MustNot
            }
            _ if after_not => Occur::MustNot,
            _ => Occur::Should,
        }
    }

    /// The text between the quote at the cursor and the next one (or the end of the query),
    /// and whether a closing quote was found.
    fn quoted(&mut self) -> (String, bool) {
        let start = self.i + 1;
        let end = self.chars[start..]
            .iter()
            .position(|&c| c == '"')
            .map(|p| start + p);
        let text = self.chars[start..end.unwrap_or(self.chars.len())]
            .iter()
            .collect();
        self.i = end.map_or(self.chars.len(), |e| e + 1);
        (text, end.is_some())
    }

    /// A bare token up to white space (a quote inside it starts a new token).
    fn bare_token(&mut self) -> String {
        let start = self.i;
        while self.peek().is_some_and(|c| !c.is_whitespace() && c != '"') {
            self.i += 1;
        }
        self.chars[start..self.i].iter().collect()
    }
}

/// A token with a colon: `field:value` (the value possibly quoted, right after the colon), or
/// words around a stray colon, with a note saying how it was read.
fn field_or_words(
    q: &mut ParsedQuery,
    s: &mut Scanner,
    occur: Occur,
    token: &str,
) -> Result<(), String> {
    let (name, rest) = token.split_once(':').unwrap_or((token, ""));
    if let Some(field) = FilterField::parse(name) {
        let value = if rest.is_empty() && s.peek() == Some('"') {
            let (v, closed) = s.quoted();
            if !closed {
                q.notes.push(format!(
                    "unbalanced quote after {name}: closed at the end of the query"
                ));
            }
            v
        } else {
            rest.to_string()
        };
        let value = check_filter(field, &value)?;
        q.filters.push(Filter {
            field,
            value,
            negated: occur == Occur::MustNot,
        });
        return Ok(());
    }
    if !name.is_empty() && name.chars().all(char::is_alphabetic) && !rest.is_empty() {
        let known: Vec<&str> = FilterField::ALL.iter().map(|(n, _)| *n).collect();
        q.notes.push(format!(
            "{name}: is not a filter (filters: {}); searched as words",
            known.join(", ")
        ));
    } else {
        q.notes
            .push(format!("stray ':' in {token:?} read as a space"));
    }
    for part in token.split(':').filter(|p| !p.is_empty()) {
        push_word(q, occur, part);
    }
    Ok(())
}

fn push_word(q: &mut ParsedQuery, occur: Occur, token: &str) {
    let token = token.trim_matches(|c: char| {
        matches!(c, '(' | ')' | '[' | ']' | '{' | '}' | ',' | ';' | '!' | '?')
    });
    if !token.chars().any(char::is_alphanumeric) {
        return;
    }
    let atom = match token.strip_suffix('*') {
        Some(p) if p.chars().filter(|c| c.is_alphanumeric()).count() >= 2 => {
            Atom::Prefix(p.to_string())
        }
        Some(p) if !p.is_empty() => {
            q.notes.push(format!(
                "{token}: a prefix needs at least two letters; searched as a word"
            ));
            Atom::Word(p.to_string())
        }
        Some(_) => return,
        None => Atom::Word(token.to_string()),
    };
    q.clauses.push(Clause { occur, atom });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(q: &ParsedQuery) -> Vec<(Occur, Atom)> {
        q.clauses
            .iter()
            .map(|c| (c.occur, c.atom.clone()))
            .collect()
    }

    #[test]
    fn words_phrases_operators_and_filters() {
        let q = parse(r#"perdagangan +manusia -narkoba "human security" traffick* lang:id section:2.1. kind:footnote"#).unwrap();
        assert_eq!(
            words(&q),
            vec![
                (Occur::Should, Atom::Word("perdagangan".into())),
                (Occur::Must, Atom::Word("manusia".into())),
                (Occur::MustNot, Atom::Word("narkoba".into())),
                (Occur::Should, Atom::Phrase("human security".into())),
                (Occur::Should, Atom::Prefix("traffick".into())),
            ]
        );
        let f: Vec<(FilterField, &str)> = q
            .filters
            .iter()
            .map(|f| (f.field, f.value.as_str()))
            .collect();
        assert_eq!(
            f,
            vec![
                (FilterField::Lang, "id"),
                (FilterField::Section, "2.1"),
                (FilterField::Kind, "footnote")
            ]
        );
        assert!(q.notes.is_empty());
    }

    #[test]
    fn broken_queries_are_repaired_not_rejected() {
        let q = parse(r#""human security"#).unwrap();
        assert_eq!(
            words(&q),
            vec![(Occur::Should, Atom::Phrase("human security".into()))]
        );
        assert_eq!(q.notes.len(), 1);
        let q = parse("IOM : Meksiko").unwrap();
        assert_eq!(q.clauses.len(), 2);
        let q = parse("foo:bar trafficking").unwrap();
        assert_eq!(q.clauses.len(), 3);
        assert!(q.notes[0].contains("not a filter"));
        let q = parse("chapter:\"BAB II\" -lang:en").unwrap();
        assert_eq!(q.filters[0].value, "BAB II");
        assert!(q.filters[1].negated);
        assert!(parse("* - + \"\"").unwrap().clauses.is_empty());
    }

    #[test]
    fn impossible_filters_say_what_to_fix() {
        assert!(parse("kind:chapter").unwrap_err().contains("footnote"));
        assert!(parse("lang:").unwrap_err().contains("lang:en"));
        assert!(parse("section:abc").unwrap_err().contains("section:2.1"));
        assert!(parse(&"kata ".repeat(500))
            .unwrap_err()
            .contains("pustaka check"));
    }
}
