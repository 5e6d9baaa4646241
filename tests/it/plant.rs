//! The planting generator the reuse tests share: a fixed-seed random source and PAN-style
//! artificial obfuscation (words deleted, inserted, replaced by other words, locally
//! reordered) at three strengths and none, so that a copy's rewording is known exactly.

/// xorshift64*: a fixed seed gives the same plants on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Verbatim,
    Light,
    Medium,
    Heavy,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Verbatim, Level::Light, Level::Medium, Level::Heavy];
    /// Share of words touched by an operation.
    pub fn rate(self) -> f64 {
        match self {
            Level::Verbatim => 0.0,
            Level::Light => 0.10,
            Level::Medium => 0.25,
            Level::Heavy => 0.45,
        }
    }
}

/// [`obfuscate_kept`]'s text alone.
pub fn obfuscate(text: &str, level: Level, vocab: &[String], rng: &mut Rng) -> String {
    obfuscate_kept(text, level, vocab, rng).0
}

/// Obfuscate like PAN's artificial obfuscation: each word, with the level's probability, is
/// deleted, replaced by a word from elsewhere, gets a word inserted after it, or swaps with the
/// next word. Returns the text and, for each of its (whitespace-separated) words, whether it is
/// one of the original's words (kept, perhaps moved) rather than one put in from `vocab`.
pub fn obfuscate_kept(
    text: &str,
    level: Level,
    vocab: &[String],
    rng: &mut Rng,
) -> (String, Vec<bool>) {
    let mut words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    let mut out: Vec<(String, bool)> = Vec::with_capacity(words.len() + 8);
    let mut i = 0;
    while i < words.len() {
        if !rng.chance(level.rate()) {
            out.push((words[i].clone(), true));
            i += 1;
            continue;
        }
        match rng.below(4) {
            0 => {}
            1 => out.push((vocab[rng.below(vocab.len())].clone(), false)),
            2 => {
                out.push((words[i].clone(), true));
                out.push((vocab[rng.below(vocab.len())].clone(), false));
            }
            _ => {
                if i + 1 < words.len() {
                    words.swap(i, i + 1);
                }
                out.push((words[i].clone(), true));
            }
        }
        i += 1;
    }
    let text = out
        .iter()
        .map(|(w, _)| w.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    (text, out.into_iter().map(|(_, kept)| kept).collect())
}
