//! Enrich: what a passage is about beyond its words — its language, its citations, and the
//! fingerprints that find it when it is reused — and what its document says about itself
//! (authors, year, journal: [`meta`]). These steps run per document after segmentation
//! and decide for passages in their document; the rules they share with query time (language
//! detection, name keys, fingerprint hashing) are in [`crate::text`].

pub mod cite;
pub mod fingerprint;
pub mod lang;
pub mod meta;
