#![warn(missing_docs)]
// Doc comments link the internals they explain (a module's doc names the private type doing its
// work): `cargo doc --document-private-items`, the developers' documentation, resolves those
// links, and the public docs show them as plain names.
#![allow(rustdoc::private_intra_doc_links)]
//! pustaka: full-text search for academic corpora in Indonesian and English.
//!
//! One flow, one direction: read → normalize → segment → enrich → index → query → render.
//! The CLI and the HTTP server are thin shells over the functions of this crate, so they never
//! disagree about what a passage is or how a query is answered.
//!
//! Imports run one way too: a module uses only the modules above it in this table (`error` ←
//! `model` ← `text` ← `enrich` ← `ingest` ← `index` ← `search` ← `api` ← `render`/`server`).
//!
//! | stage | module |
//! |---|---|
//! | the one error type, whose messages say what to run or fix | [`error`] |
//! | plain data the stages pass on | [`model`] |
//! | work spread over threads, one panic policy | [`par`] |
//! | shared vocabulary: analyzers, stemmers, sentences, languages, names, fingerprints | [`text`] |
//! | language, citations, fingerprints per passage | [`enrich`] |
//! | read, normalize, segment, then enrich each document's passages | [`ingest`] |
//! | schema, building, the [`Engine`] | [`index`] |
//! | the index directory: lock, generations, what may be deleted | [`index::store`] |
//! | query syntax, ranking, snippets; citations, reuse and restated claims | [`search`] |
//! | the requests users make: defaults, bounds, answers (CLI and HTTP alike) | [`api`] |
//! | terminal output | [`render`] |
//! | the HTTP server: JSON API, web page, limits on what clients may take | [`server`] |

pub mod api;
pub mod enrich;
pub mod error;
pub mod index;
pub mod ingest;
pub mod model;
pub mod par;
pub mod render;
pub mod search;
pub mod server;
#[cfg(test)]
mod testing;
pub mod text;

pub use error::{Error, Result};
pub use index::Engine;
pub use model::{Document, Kind, Passage, Skipped};
pub use search::{Hit, SearchRequest, SearchResponse};
