//! Typo tolerance: the indexed words one edit away from a word that is nowhere in the index.
//!
//! A Levenshtein automaton run over the whole term dictionary explores every first letter (a
//! first-letter substitution is one edit), which made it most of a search's time. Split
//! instead: edits that keep the first letter are found by the automaton of the rest of the word,
//! run only under that letter; edits that touch the first letter (a few dozen words) are looked
//! up one by one. Together they are exactly the words one edit away.

use tantivy_fst::Automaton;

/// Letters tried at the first position: what the exact analyzer leaves (folded, lower case).
const ALPHABET: &str = "abcdefghijklmnopqrstuvwxyz0123456789";

/// An automaton for `first` followed by whatever `rest` accepts.
pub struct AfterPrefix<A> {
    /// The literal bytes that must come first: the word's first letter, UTF-8 encoded.
    pub first: Vec<u8>,
    /// What must follow them: the Levenshtein automaton of the rest of the word.
    pub rest: A,
}

/// Inside the literal prefix (bytes read so far), in the rest automaton, or off the path.
#[derive(Clone)]
pub enum State<S> {
    /// This many bytes of `first` read, all matching.
    Prefix(usize),
    /// `first` read whole; the rest automaton's own state.
    Rest(S),
    /// A byte differed from `first`: nothing under this path can match.
    Dead,
}

impl<A: Automaton> Automaton for AfterPrefix<A>
where
    A::State: Clone,
{
    type State = State<A::State>;

    fn start(&self) -> Self::State {
        match self.first.is_empty() {
            true => State::Rest(self.rest.start()),
            false => State::Prefix(0),
        }
    }

    fn is_match(&self, state: &Self::State) -> bool {
        matches!(state, State::Rest(s) if self.rest.is_match(s))
    }

    fn can_match(&self, state: &Self::State) -> bool {
        match state {
            State::Prefix(_) => true,
            State::Rest(s) => self.rest.can_match(s),
            State::Dead => false,
        }
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        match state {
            State::Prefix(i) if self.first[*i] == byte => match i + 1 == self.first.len() {
                true => State::Rest(self.rest.start()),
                false => State::Prefix(i + 1),
            },
            State::Rest(s) => State::Rest(self.rest.accept(s, byte)),
            _ => State::Dead,
        }
    }
}

/// The word split at its first letter, for [`AfterPrefix`].
pub fn split_first(word: &str) -> (&str, &str) {
    let cut = word.chars().next().map_or(0, char::len_utf8);
    word.split_at(cut)
}

/// Every word one edit away from `word` that changes its first letter: deleted, replaced,
/// swapped with the second, or a letter inserted before it.
pub fn first_letter_edits(word: &str) -> Vec<String> {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return Vec::new();
    };
    let rest = chars.as_str();
    let mut out = Vec::with_capacity(2 * ALPHABET.len() + 2);
    out.push(rest.to_string());
    let mut second = rest.chars();
    if let Some(c) = second.next() {
        if c != first {
            out.push(format!("{c}{first}{}", second.as_str()));
        }
    }
    for c in ALPHABET.chars() {
        if c != first {
            out.push(format!("{c}{rest}"));
        }
        out.push(format!("{c}{word}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A literal automaton for tests: matches exactly `word`.
    struct Literal(&'static [u8]);
    impl Automaton for Literal {
        type State = Option<usize>;
        fn start(&self) -> Option<usize> {
            Some(0)
        }
        fn is_match(&self, s: &Option<usize>) -> bool {
            *s == Some(self.0.len())
        }
        fn can_match(&self, s: &Option<usize>) -> bool {
            s.is_some()
        }
        fn accept(&self, s: &Option<usize>, b: u8) -> Option<usize> {
            s.filter(|&i| self.0.get(i) == Some(&b)).map(|i| i + 1)
        }
    }

    fn run<A: Automaton>(a: &A, w: &str) -> bool
    where
        A::State: Clone,
    {
        let mut s = a.start();
        for &b in w.as_bytes() {
            if !a.can_match(&s) {
                return false;
            }
            s = a.accept(&s, b);
        }
        a.is_match(&s)
    }

    #[test]
    fn the_prefix_must_come_first() {
        let a = AfterPrefix {
            first: "m".into(),
            rest: Literal(b"eksiko"),
        };
        assert!(run(&a, "meksiko"));
        assert!(!run(&a, "neksiko"));
        assert!(!run(&a, "eksiko"));
        let (f, r) = split_first("émigré");
        assert_eq!((f, r), ("é", "migré"));
    }

    #[test]
    fn first_letter_typos_are_listed() {
        let e = first_letter_edits("tapachula");
        for typo_of in ["apachula", "atpachula", "rapachula", "xtapachula"] {
            assert!(e.iter().any(|w| w == typo_of), "{typo_of}");
        }
        assert!(!e.iter().any(|w| w == "tapachula"));
        // Letters past the first are the automaton's: not listed here.
        assert!(!e.iter().any(|w| w == "tapachla"));
    }
}
