//! Links the `pustaka` binary as a position-dependent executable on Linux.
//!
//! Why: a one-shot `pustaka search` is a process that starts, answers and exits, and a
//! position-independent executable spends about a tenth of that start applying its ~60,000
//! relative relocations (the tables of trait objects, the dictionaries' and the tokenizer's
//! static tables) and copying the pages they sit on. Linked `-no-pie`, the addresses are fixed
//! at link time: 181 relocations are left, the pages stay shared with the page cache, and the
//! process takes 0.88× the CPU (`python3 scripts/ab.py`; see the README's benchmarks).
//! The price is that the executable's own image is not placed at a random address (the
//! libraries, the heap and the stacks still are); in a memory-safe program that matters less
//! than in C, and the library and the tests are unaffected.
//!
//! Only the binary: a flag in `RUSTFLAGS` would reach the proc-macro crates too, which must be
//! position-independent shared objects.
//!
//! It also writes where each line of the compiled lexicon starts (`lexicon_lines.rs` in
//! `OUT_DIR`), so that a lookup is a binary search over line starts rather than over bytes
//! (finding the line around every probe; see `src/text/lexicon.rs`), with nothing computed
//! when a process starts.
use std::fmt::Write as _;

fn main() {
    link_without_pie();
    lexicon_line_starts();
}

fn link_without_pie() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" && std::env::var_os("PUSTAKA_PIE").is_none() {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-env-changed=PUSTAKA_PIE");
    println!("cargo:rerun-if-changed=build.rs");
}

/// The byte offsets of the compiled lexicon's lines, its `#` header left out, as a Rust array.
fn lexicon_line_starts() {
    const LEXICON: &str = "src/text/lexicon/compiled.tsv";
    println!("cargo:rerun-if-changed={LEXICON}");
    let text = std::fs::read_to_string(LEXICON).expect("the compiled lexicon");
    let mut starts = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if !line.starts_with('#') && !line.trim().is_empty() {
            starts.push(u32::try_from(at).expect("a lexicon under 4 GiB"));
        }
        at += line.len();
    }
    let mut out = format!("static LINE_STARTS: [u32; {}] = [", starts.len());
    for s in starts {
        let _ = write!(out, "{s},");
    }
    out.push_str("];\n");
    let path =
        std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("lexicon_lines.rs");
    std::fs::write(path, out).expect("OUT_DIR is writable");
}
