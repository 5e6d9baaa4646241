//! Names of authors and works: folding, keys, acronyms, and when two spellings are one author.
//!
//! Citations and bibliographies spell the same author differently (`Kementerian PPPA` and
//! `Kementrian PPPA`, `SRE` and `Secretaría de Relaciones Exteriores`, `Correa‑Cabrera` with a
//! non-breaking hyphen); everything that compares names goes through here so they agree.

use unicode_normalization::UnicodeNormalization;

/// Lower-case, without diacritics, hyphens and dashes as `-`, spaces collapsed.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'æ' | 'Æ' => {
                out.push_str("ae");
                continue;
            }
            'ø' | 'Ø' => 'o',
            'ß' => {
                out.push_str("ss");
                continue;
            }
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.extend(c.to_lowercase());
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Letters and digits only: `Correa-Cabrera` → `correacabrera`. Equal keys are one name.
pub fn key(s: &str) -> String {
    key_of_folded(&fold(s))
}

/// [`key`] of a name already folded.
fn key_of_folded(folded: &str) -> String {
    folded.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// A readable id part: `Gobierno de México` → `gobierno-de-mexico`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in fold(s).chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Words that organisation acronyms skip (`United Nations Office on Drugs and Crime` → `UNODC`).
const PARTICLES: &[&str] = &[
    "of", "on", "and", "the", "for", "in", "to", "de", "del", "la", "las", "los", "el", "y", "e",
    "para", "dan", "untuk", "di", "pada", "van", "von", "der", "den", "des", "du", "le", "et",
];

/// Initials of an organisation's name, or `None` for a one-word name.
pub fn acronym(name: &str) -> Option<String> {
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || c == '-' || c == '\u{2010}' || c == '\u{2011}')
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() < 2 {
        return None;
    }
    let mut out = String::new();
    for w in words {
        if PARTICLES.contains(&fold(w).as_str()) {
            continue;
        }
        let c = w.chars().next()?;
        if !c.is_alphabetic() {
            continue;
        }
        out.push_str(&fold(&c.to_string()));
    }
    (out.len() >= 2).then_some(out)
}

/// Whether a name is written in capitals, like `IOM`, `UNODC`, `ECPAT`.
pub fn is_acronym(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.len() <= 12 && letters.iter().all(|c| c.is_uppercase())
}

/// Edit distance, for spellings one typo apart; `None` when more than `max` apart.
fn within_edits(a: &str, b: &str, max: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()] <= max
}

/// How well a cited name matches an author of a reference: 0 none, higher is closer.
///
/// 3: same name; 2: one is the acronym of the other, or one typo apart; 1: one name's words
/// end the other's (`Fadli` ↔ `Rijal Fadli`) or start it (`YPP` ↔ `YPP Summary Report`).
pub fn name_match(cited: &str, author: &str) -> u8 {
    Name::new(cited).matches(&Name::new(author))
}

/// A name folded once, to be compared with many: a citation listing filtered by author
/// compares the one name asked for with every cited author of thousands of passages, and
/// folding both sides again for each comparison (several times over) was half its time.
pub struct Name<'a> {
    raw: &'a str,
    /// [`key`] of the name.
    pub key: String,
    /// Its words, folded.
    words: Vec<String>,
    /// Whether it is written as an acronym ([`is_acronym`]).
    capitals: bool,
    /// Its [`acronym`], made the first time it is asked for: most comparisons never need it.
    initials: std::cell::OnceCell<Option<String>>,
}

impl<'a> Name<'a> {
    /// `raw` folded, keyed and split into words once.
    pub fn new(raw: &'a str) -> Name<'a> {
        let folded = fold(raw);
        Name {
            raw,
            key: key_of_folded(&folded),
            words: folded
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect(),
            capitals: is_acronym(raw),
            initials: std::cell::OnceCell::new(),
        }
    }

    /// [`acronym`] of the name, made once.
    pub fn acronym(&self) -> Option<&str> {
        self.initials.get_or_init(|| acronym(self.raw)).as_deref()
    }

    /// [`name_match`] of this name, as cited, and `author`.
    pub fn matches(&self, author: &Name) -> u8 {
        let (kc, ka) = (&self.key, &author.key);
        if kc.is_empty() || ka.is_empty() {
            return 0;
        }
        if kc == ka {
            return 3;
        }
        let acro = |long: &Name, short: &Name| {
            short.capitals && long.acronym() == Some(short.key.as_str())
        };
        if acro(author, self) || acro(self, author) {
            return 2;
        }
        // One typo in a long name (`Kementerian`/`Kementrian`); short names differ by one
        // letter too often (`Breier`/`Dreier`).
        if kc.len() >= 8 && ka.len() >= 8 && within_edits(kc, ka, 1) {
            return 2;
        }
        let (wc, wa) = (&self.words, &author.words);
        let (short, long, short_capitals) = if wc.len() <= wa.len() {
            (wc, wa, self.capitals)
        } else {
            (wa, wc, author.capitals)
        };
        if !short.is_empty() && short.len() < long.len() {
            if long.ends_with(short) {
                return 1;
            }
            if long.starts_with(short) && short_capitals {
                return 1;
            }
        }
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_diacritics_and_hyphens() {
        assert_eq!(fold("Gobierno de México"), "gobierno de mexico");
        assert_eq!(key("Correa\u{2011}Cabrera"), key("Correa-Cabrera"));
        assert_eq!(slug("Gobierno de México"), "gobierno-de-mexico");
        assert_eq!(fold("Encyclopædia"), "encyclopaedia");
    }

    #[test]
    fn acronyms_skip_particles() {
        assert_eq!(
            acronym("United Nations Office on Drugs and Crime").as_deref(),
            Some("unodc")
        );
        assert_eq!(
            acronym("Secretaría de Relaciones Exteriores").as_deref(),
            Some("sre")
        );
        assert_eq!(acronym("Inter-Parliamentary Union").as_deref(), Some("ipu"));
        assert_eq!(acronym("Archer"), None);
    }

    #[test]
    fn matches_spellings_of_one_author() {
        assert_eq!(name_match("SRE", "Secretaría de Relaciones Exteriores"), 2);
        assert_eq!(name_match("Kementerian PPPA", "Kementrian PPPA"), 2);
        assert_eq!(name_match("Fadli", "Rijal Fadli"), 1);
        assert_eq!(name_match("Castañeda", "Castaneda"), 3);
        assert_eq!(name_match("Archer", "Anita"), 0);
        assert_eq!(name_match("IOM", "IOM Indonesia"), 1);
        assert_eq!(name_match("Indonesia", "IOM Indonesia"), 1);
        assert_eq!(name_match("Smith", "Smithson"), 0);
        assert_eq!(name_match("Breier", "Dreier"), 0);
    }
}
