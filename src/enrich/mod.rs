//! Enrich: what a passage is about beyond its words — its language and its citations
//! (fingerprints to come).

pub mod cite;
pub mod lang;
