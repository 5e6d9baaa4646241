//! Enrich: what a passage is about beyond its words — its language, its citations, and the
//! fingerprints that find it when it is reused.

pub mod cite;
pub mod fingerprint;
pub mod lang;
