//! Enrich: what a passage is about beyond its words — its citations, linked within its document.

pub mod cite;
