//! pustaka: full-text search for academic corpora in Indonesian and English.
//!
//! One flow, one direction: read → normalize → segment → enrich → index → query → render.
//! The CLI and the HTTP server are thin shells over the functions of this crate, so they never
//! disagree about what a passage is or how a query is answered.
//!
//! | stage | module |
//! |---|---|
//! | read, normalize, segment | [`ingest`] |
//! | language (citations, fingerprints to come) | [`enrich`] |
//! | analyzers (Indonesian, English, exact) | [`analysis`] |
//! | schema, building, the [`Engine`] | [`index`] |
//! | the index directory: lock, generations, what may be deleted | [`index::store`] |
//! | query syntax, ranking, snippets | [`search`] |
//! | the requests users make: defaults, bounds, answers (CLI and HTTP alike) | [`api`] |
//! | terminal output | [`render`] |

pub mod analysis;
pub mod api;
pub mod enrich;
pub mod error;
pub mod index;
pub mod ingest;
pub mod model;
pub mod render;
pub mod search;
pub mod server;

pub use error::{Error, Result};
pub use index::Engine;
pub use model::{Document, Kind, Passage, Skipped};
pub use search::{Hit, SearchRequest, SearchResponse};
