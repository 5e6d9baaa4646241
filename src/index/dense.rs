//! How a passage's sentence embedding is stored (the `emb` fast field) and read back for a
//! query: the vectors of a segment loaded once and scored against a query vector by brute
//! force.
//!
//! Why brute force: a query scores every passage in a few milliseconds (113,000 passages × 384
//! bytes is 43 MB of sequential reads), and an approximate index (HNSW) would be a second
//! structure to keep in step with tantivy's segments, merges and deletions. Why one byte per
//! dimension: the vectors are unit length, so each dimension scaled by its vector's largest
//! magnitude keeps the cosine within about 0.01 of the float one at a quarter of the size.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::{DocAddress, Searcher, SegmentReader};

use super::Engine;
use crate::error::Result;

/// Words a passage needs to be embedded: a line of a few words is a label, not a statement.
pub const MIN_WORDS: usize = 8;

/// A stored vector: a little-endian f32 scale, then one signed byte per dimension.
pub fn encode(v: &[f32]) -> Vec<u8> {
    let max = v
        .iter()
        .fold(0f32, |m, x| m.max(x.abs()))
        .max(f32::MIN_POSITIVE);
    let scale = max / 127.0;
    let mut out = Vec::with_capacity(4 + v.len());
    out.extend_from_slice(&scale.to_le_bytes());
    out.extend(
        v.iter()
            .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8 as u8),
    );
    out
}

/// The dot product of query vector `q` with stored vector `stored` (0 when malformed).
pub fn dot(q: &[f32], stored: &[u8]) -> f32 {
    if stored.len() != 4 + q.len() {
        return 0.0;
    }
    let scale = f32::from_le_bytes([stored[0], stored[1], stored[2], stored[3]]);
    let sum: f32 = q
        .iter()
        .zip(&stored[4..])
        .map(|(x, &b)| x * f32::from(b as i8))
        .sum();
    sum * scale
}

/// The vectors of one segment, by document (empty where a passage has none).
#[derive(Default)]
pub(crate) struct SegmentVectors {
    by_doc: Vec<Option<Arc<[u8]>>>,
}

/// The vectors of the segments read so far: a segment never changes, so its vectors are read
/// once per process (a server) whatever the commits since.
#[derive(Default)]
pub(crate) struct VectorCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentVectors>>>,
}

impl Engine {
    /// Whether the passages of this index carry embeddings (`index --embed`).
    pub fn has_embeddings(&self) -> bool {
        self.embedded
    }

    /// The `k` passages whose vectors are nearest `q` (cosine), among those `keep` allows.
    pub(crate) fn nearest(
        &self,
        searcher: &Searcher,
        q: &[f32],
        k: usize,
        keep: &dyn Fn(DocAddress) -> bool,
    ) -> Result<Vec<(f32, DocAddress)>> {
        let mut scored = Vec::new();
        for (ord, seg) in searcher.segment_readers().iter().enumerate() {
            let vectors = self.segment_vectors(seg)?;
            for (doc, v) in vectors.by_doc.iter().enumerate() {
                let Some(v) = v else { continue };
                let addr = DocAddress::new(ord as u32, doc as u32);
                if seg.alive_bitset().is_some_and(|a| !a.is_alive(doc as u32)) || !keep(addr) {
                    continue;
                }
                scored.push((dot(q, v), addr));
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored.truncate(k);
        Ok(scored)
    }

    fn segment_vectors(&self, seg: &SegmentReader) -> Result<Arc<SegmentVectors>> {
        let id = seg.segment_id();
        if let Some(v) = self.vectors.segments.lock().unwrap().get(&id) {
            return Ok(v.clone());
        }
        let v = Arc::new(read_vectors(seg, self.fields.emb)?);
        self.vectors.segments.lock().unwrap().insert(id, v.clone());
        Ok(v)
    }
}

/// Every vector of a segment: the column's dictionary streamed once (values by ordinal), then
/// each document's ordinal.
fn read_vectors(seg: &SegmentReader, field: tantivy::schema::Field) -> Result<SegmentVectors> {
    let name = seg.schema().get_field_name(field);
    let Some(col) = seg.fast_fields().bytes(name)? else {
        return Ok(SegmentVectors::default());
    };
    let mut values: Vec<Arc<[u8]>> = Vec::new();
    let mut stream = col
        .dictionary()
        .stream()
        .map_err(|e| crate::Error::Internal(format!("reading the vectors: {e}")))?;
    while stream.advance() {
        values.push(stream.key().into());
    }
    let by_doc = (0..seg.max_doc())
        .map(|doc| {
            col.ords()
                .values_for_doc(doc)
                .next()
                .and_then(|o| values.get(o as usize).cloned())
        })
        .collect();
    Ok(SegmentVectors { by_doc })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_vector_scores_as_the_float_one() {
        let v: Vec<f32> = (0..384)
            .map(|i| ((i * 37 % 101) as f32 - 50.0) / 300.0)
            .collect();
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        let v: Vec<f32> = v.iter().map(|x| x / norm).collect();
        let q: Vec<f32> = v.iter().rev().copied().collect();
        let exact: f32 = v.iter().zip(&q).map(|(a, b)| a * b).sum();
        let stored = encode(&v);
        assert_eq!(stored.len(), 388);
        assert!(
            (dot(&q, &stored) - exact).abs() < 0.01,
            "{} {exact}",
            dot(&q, &stored)
        );
        assert!((dot(&v, &stored) - 1.0).abs() < 0.01);
        assert_eq!(dot(&q, &stored[..100]), 0.0);
    }
}
