//! pustaka: full-text search for academic corpora in Indonesian and English.
//!
//! One flow, one direction: read → normalize → segment → enrich → index → query → render.
//! The CLI and the HTTP server are thin shells over the functions of this crate, so they never
//! disagree about what a passage is or how a query is answered.

pub mod enrich;
pub mod ingest;
pub mod model;
pub mod render;

pub use model::{Document, Kind, Passage, Skipped};
