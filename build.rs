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
fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" && std::env::var_os("PUSTAKA_PIE").is_none() {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-env-changed=PUSTAKA_PIE");
    println!("cargo:rerun-if-changed=build.rs");
}
