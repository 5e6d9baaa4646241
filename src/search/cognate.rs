//! English → Indonesian cognates, so an English query also reaches Indonesian passages.
//!
//! Academic Indonesian borrows most of its Latinate vocabulary with regular spelling changes:
//! `qualitative` → `kualitatif`, `migration` → `migrasi`, `infection` → `infeksi`, `literature`
//! → `literatur`, `Mexico` → `Meksiko`, `pedophiles` → `pedofil`. These rules generate candidate
//! spellings; search keeps only candidates that occur in the index, so a wrong guess costs a
//! dictionary lookup and nothing else. No word list is involved: the rules are the loanword
//! conventions of Indonesian orthography (EYD), not a glossary tuned to any query.

/// Suffix rewrites, longest first: (English ending, Indonesian ending).
const SUFFIXES: &[(&str, &str)] = &[
    ("ization", "isasi"),
    ("isation", "isasi"),
    ("ication", "ikasi"),
    ("ational", "asional"),
    ("itional", "isional"),
    ("ctional", "ksional"),
    ("tional", "sional"),
    ("ction", "ksi"),
    ("ation", "asi"),
    ("ition", "isi"),
    ("ution", "usi"),
    ("ssion", "si"),
    ("sion", "si"),
    ("tion", "si"),
    ("ivity", "ivitas"),
    ("ality", "alitas"),
    ("ility", "ilitas"),
    ("ity", "itas"),
    ("ical", "is"),
    ("ics", "ika"),
    ("ism", "isme"),
    ("ist", "is"),
    // The Latin adjectives' `-tive` and `-sive` (`active` → `aktif`, `massive` → `masif`), not
    // any `-ive`: `arrive` is not `arif` (a name), `alive` not `alif`.
    ("tive", "tif"),
    ("sive", "sif"),
    ("ure", "ur"),
    // `police` → `polisi`, `province` → `provinsi`, `reference` → `referensi`: English `-ce`
    // read as Indonesian `-si`, a rule of its own rather than an `i` guessed after every
    // consonant (see `id_cognates`).
    ("nce", "nsi"),
    ("ice", "isi"),
    ("logy", "logi"),
    ("graphy", "grafi"),
    ("phy", "fi"),
    // A final English `-y` is Indonesian `-i` after the endings Latin and Greek loanwords
    // share (`theory` → `teori`, `industry` → `industri`, `economy` → `ekonomi`, `study` →
    // `studi`, `energy` → `energi`, `therapy` → `terapi`, `frequency` → `frekuensi`), and
    // `-ary` is `-er` (`military` → `militer`, `primary` → `primer`), as Dutch gave them. Not
    // after every consonant: `city` would be `Siti` and `many` `mani`.
    ("ergy", "ergi"),
    ("tegy", "tegi"),
    ("ory", "ori"),
    ("ery", "eri"),
    ("try", "tri"),
    ("ary", "er"),
    ("udy", "udi"),
    ("edy", "edi"),
    ("omy", "omi"),
    ("emy", "emi"),
    ("apy", "api"),
    ("ony", "oni"),
    ("acy", "asi"),
    ("ncy", "nsi"),
    ("sy", "si"),
    ("ic", "ik"),
    // An adverb of a Latinate adjective (`sexually` → `seksual`, `publicly` → `publik`,
    // `explicitly` → `eksplisit`), not any `-ly`: `costly` is not `kost` (a boarding house),
    // `mainly` not `main` (play), `shortly` not the English `short` of a court decision.
    ("ally", "al"),
    ("ely", "e"),
    ("ntly", "nt"),
    ("icly", "ik"),
    ("itly", "it"),
];

/// Letters an English word keeps before a suffix rewritten by [`SUFFIXES`]: a suffix after a
/// single letter is no suffix (`very`, `mice`, `vice`, `bony` are not `veri`, `misi`, `visi`,
/// `boni`, each a word or a name of the court decisions).
const MIN_STEM: usize = 2;

/// Letter-level spelling changes of loanwords.
fn respell(w: &str) -> String {
    let b: Vec<char> = w.chars().collect();
    let mut out = String::with_capacity(w.len() + 2);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        match (c, next) {
            ('x', _) => out.push_str("ks"),
            ('q', Some('u')) => {
                out.push_str("ku");
                i += 1;
            }
            ('p', Some('h')) => {
                out.push('f');
                i += 1;
            }
            ('t', Some('h')) | ('r', Some('h')) | ('k', Some('h')) => {
                out.push(c);
                i += 1;
            }
            ('c', Some('k')) => {
                out.push('k');
                i += 1;
            }
            ('c', Some('e' | 'i' | 'y')) => out.push('s'),
            ('c', _) => out.push('k'),
            ('y', _) if i > 0 && i + 1 < b.len() => out.push('i'),
            _ => {
                // Double consonants become single.
                if out.ends_with(c) && !"aeiou".contains(c) {
                } else {
                    out.push(c);
                }
            }
        }
        i += 1;
    }
    out
}

/// Candidate Indonesian spellings of an English word (lowercase, ASCII). May be empty.
pub fn id_cognates(word: &str) -> Vec<String> {
    if word.len() < 4 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Vec::new();
    }
    let mut bases = vec![word.to_string()];
    if let Some(b) = word.strip_suffix("ies") {
        bases.push(format!("{b}y"));
    } else if let Some(b) = word.strip_suffix("es") {
        // Not `orang` for `oranges`: after `g` the `e` is the word's own (below).
        if !b.ends_with('g') {
            bases.push(b.to_string());
        }
        bases.push(format!("{b}e"));
    } else if let Some(b) = word
        .strip_suffix('s')
        .filter(|b| !b.ends_with('s') && !b.ends_with('i'))
    {
        // Not after `i`: `-is` is a singular's own ending (`analysis`, `crisis`, `tennis`, and
        // names: `Harris` is not `hari`, day, nor `Paris` `pari`, a ray).
        bases.push(b.to_string());
    }
    for b in bases.clone() {
        for ending in ["ed", "ing"] {
            if let Some(stem) = b.strip_suffix(ending).filter(|s| s.len() >= 4) {
                // `arranged` is `arrange` with its `e` dropped before the ending, not `arang`
                // (charcoal): after `ng`, `rg` or `dg` a `g` is soft, its `e` the word's own.
                let soft_g = ["ng", "rg", "dg"].iter().any(|e| stem.ends_with(e));
                bases.push(if soft_g {
                    format!("{stem}e")
                } else {
                    stem.to_string()
                });
            }
        }
    }
    let mut out: Vec<String> = Vec::new();
    for b in bases {
        let suffixed = SUFFIXES
            .iter()
            .find(|(en, _)| b.len() >= en.len() + MIN_STEM && b.ends_with(en))
            .map(|(en, id)| format!("{}{}", &b[..b.len() - en.len()], id));
        for form in [Some(b.clone()), suffixed].into_iter().flatten() {
            let r = respell(&form);
            // English drops the sound of a final `e`, Indonesian its letter (`volume` →
            // `volum`, `vaccine` → `vaksin`), but not after `g`: that `e` makes the `g` soft,
            // which Indonesian never writes `g` (`image` → `imaji`, `package` → `paket`), and
            // `orange` → `orang` (person) met 8,068 court passages, `range` → `rang`.
            let r = match r.strip_suffix('e') {
                Some(b) if !b.ends_with('g') => b.to_string(),
                _ => r,
            };
            // A final `e` is added only after a consonant (`metode`): no loanword ends in two
            // vowels so, and each guess is a dictionary lookup at every search. Not a final
            // `i`: guessed after every consonant, it found 205 words of corpus-large's court
            // decisions for the English words its PLOS articles write five times or more
            // (counted once, 2026-12-07), nearly all native words or names (`call` → `kali`,
            // `came` → `kami`, `member` → `memberi`, `past` → `pasti`, `risk` → `Riski`,
            // `site` → `Siti`); most loanwords among them end in `-nsi` or `-isi` and have
            // their suffix rules, and the few others (`revised` → `revisi`) are found through
            // their nouns (`revision`).
            let vowel_end = r.ends_with(['a', 'e', 'i', 'o', 'u']);
            let added = (!vowel_end).then(|| format!("{r}e"));
            for cand in std::iter::once(r.clone()).chain(added) {
                if cand != word && cand.len() >= 4 && !out.contains(&cand) {
                    out.push(cand);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latinate_english_meets_its_indonesian_loanword() {
        for (en, id) in [
            ("qualitative", "kualitatif"),
            ("narrative", "naratif"),
            ("literature", "literatur"),
            ("migration", "migrasi"),
            ("organization", "organisasi"),
            ("infections", "infeksi"),
            ("sexually", "seksual"),
            ("publicly", "publik"),
            ("explicitly", "eksplisit"),
            ("finally", "final"),
            ("mexico", "meksiko"),
            ("pedophiles", "pedofil"),
            ("national", "nasional"),
            ("method", "metode"),
            ("prostitution", "prostitusi"),
            ("exploitation", "eksploitasi"),
            ("university", "universitas"),
            ("police", "polisi"),
            ("provinces", "provinsi"),
            ("reference", "referensi"),
            ("consequence", "konsekuensi"),
            ("theory", "teori"),
            ("studies", "studi"),
            ("industry", "industri"),
            ("economy", "ekonomi"),
            ("energy", "energi"),
            ("strategies", "strategi"),
            ("therapy", "terapi"),
            ("frequency", "frekuensi"),
            ("democracy", "demokrasi"),
            ("military", "militer"),
            ("categories", "kategori"),
            ("autopsy", "autopsi"),
        ] {
            assert!(
                id_cognates(en).contains(&id.to_string()),
                "{en} → {:?}",
                id_cognates(en)
            );
        }
        assert!(id_cognates("the").is_empty());
        // Native Indonesian words and names are not taken for loanwords of English words
        // that end in a consonant (corpus-large holds every one of these guesses).
        for (en, id) in [
            ("risk", "riski"),
            ("member", "memberi"),
            ("called", "kali"),
            ("past", "pasti"),
            ("lack", "laki"),
            ("site", "siti"),
            ("came", "kami"),
            ("city", "siti"),
            ("many", "mani"),
            ("very", "veri"),
            ("mice", "misi"),
            ("body", "bodi"),
            ("policy", "polisi"),
            ("orange", "orang"),
            ("oranges", "orang"),
            ("arranged", "arang"),
            ("harris", "hari"),
            ("paris", "pari"),
            ("arrive", "arif"),
            ("costly", "kost"),
            ("mainly", "main"),
            ("ranging", "rang"),
            ("range", "rang"),
        ] {
            assert!(
                !id_cognates(en).contains(&id.to_string()),
                "{en} → {:?}",
                id_cognates(en)
            );
        }
        // A vowel ends no guess with another one: `narkotika` is not looked for as `narkotikai`.
        let guesses = id_cognates("narkotika");
        assert!(
            guesses
                .iter()
                .all(|g| !g.ends_with("ae") && !g.ends_with("ai")),
            "{guesses:?}"
        );
    }
}
