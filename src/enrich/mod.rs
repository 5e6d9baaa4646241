//! Enrich: what a passage is about beyond its words — its language now; citations and
//! fingerprints as they come.

pub mod lang;
