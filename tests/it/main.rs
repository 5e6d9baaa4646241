//! The integration tests, as one test binary (`cargo test --release` builds and runs it once).
//! Each module was a test file of its own; `common` holds what they share, among it the one
//! index of the seed corpus that the tests which only read it use.
//!
//! The tests that need `../shared/corpus-large`, and those that run tesseract (`ocr`), are
//! `#[ignore]`d: `cargo test --release -- --ignored` runs them (`.ci/run` does, after the
//! README's test command, installing tesseract first); without the corpus or tesseract they fail.

mod common;

mod analysis;
mod api_rules;
mod architecture;
mod bad_input_ingest;
mod bad_input_read;
mod boilerplate;
mod citations;
mod citations_fuzz;
mod citations_large;
mod cites_api;
mod claims_seed;
mod cli;
mod dense;
mod docx;
mod faults;
mod formula;
mod ingest_large;
mod ingest_seed;
mod metadata;
mod ocr;
mod pdf;
mod pdf_layout;
mod pdf_real;
mod pdf_seed;
mod plant;
mod ranking;
mod refs_export;
mod report;
mod report_planted;
mod reuse_planted;
mod reuse_seed;
mod reuse_translated;
mod search;
mod server;
mod splits;
mod structure;
mod translate;
