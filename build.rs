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
//! It also writes where each line of the compiled lexicon starts and a hash table of the lines'
//! keys (`lexicon_lines.rs` in `OUT_DIR`), so that a lookup hashes its key and compares a line
//! or two (see `src/text/lexicon.rs`), with nothing computed when a process starts.
use std::fmt::Write as _;

/// The FNV-1a pustaka hashes with: the table's keys are hashed as `src/text/lexicon.rs` hashes a
/// key it looks up.
#[path = "src/text/hash.rs"]
mod hash;

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

/// The byte offsets of the compiled lexicon's lines, its `#` header left out, and the table of
/// their keys ([`key_table`]), as Rust arrays.
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
    let table = key_table(&text, &starts);
    let mut out = format!("static LINE_STARTS: [u32; {}] = [", starts.len());
    for s in &starts {
        let _ = write!(out, "{s},");
    }
    out.push_str("];\n");
    let _ = write!(out, "static LINE_TABLE: [u32; {}] = [", table.len());
    for line in table {
        let _ = write!(out, "{line},");
    }
    out.push_str("];\n");
    let path =
        std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("lexicon_lines.rs");
    std::fs::write(path, out).expect("OUT_DIR is writable");
}

/// An open-addressing table of the lexicon's lines by key: slot `hash & (len - 1)`, or the next
/// free one after it, holds the line's index + 1 (0 is an empty slot); `hash` is the FNV-1a of
/// the line up to its second tab (`dir<TAB>key<TAB>`), by `src/text/hash.rs` itself. At
/// most half the slots are taken, so a lookup compares one or two lines.
fn key_table(text: &str, starts: &[u32]) -> Vec<u32> {
    let len = (starts.len() * 2).next_power_of_two().max(2);
    let mut table = vec![0u32; len];
    for (i, &s) in starts.iter().enumerate() {
        let line = &text.as_bytes()[s as usize..];
        let mut tabs = line.iter().enumerate().filter(|(_, &b)| b == b'\t');
        let head = tabs
            .nth(1)
            .map(|(k, _)| k + 1)
            .expect("a line `dir<TAB>key<TAB>...`");
        let mut slot = hash::fnv(&line[..head]) as usize & (len - 1);
        while table[slot] != 0 {
            slot = (slot + 1) & (len - 1);
        }
        table[slot] = u32::try_from(i + 1).expect("fewer than 4 G lines");
    }
    table
}
