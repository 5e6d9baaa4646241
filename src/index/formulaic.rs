//! Which passages are formulaic, worked out once when a build commits and kept beside its
//! segments, so that a search need not work it out again.
//!
//! Whether a passage is formulaic depends on the whole index (its fingerprints' document
//! frequencies over every segment, the rule of [`crate::text::fingerprint::is_formulaic`]
//! applied by [`formulaic_of`] as `dupes` applies it), never on the query. A server keeps what
//! it found per set of segments; a one-query `pustaka search` starts cold, and looking up the
//! fingerprints of its candidates in the term dictionary, page faults and all, was a fifth of
//! its CPU. So the build counts every fingerprint once (a scan of the fingerprint column, about
//! a tenth of a CPU second on corpus-large, 1% of its build) and writes the flags to [`FILE`]
//! in the generation directory; a search reads them (14 KB for corpus-large) instead.
//!
//! The file names the segments it was computed for, and is used only by a searcher that reads
//! exactly those: an incremental build commits new segments before it rewrites the file, and a
//! set of splits read as one index (`--splits`) has other document frequencies than any one
//! split. Anything else (no file, another set, a damaged file) falls back to counting them
//! again ([`compute`], once per set of segments and process), which gives the same flags: the
//! file is a cache, never the truth.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashSet;
use tantivy::index::SegmentId;
use tantivy::schema::Field;
use tantivy::{Index, ReloadPolicy, Searcher, SegmentReader};

use crate::error::{Error, Result};
use crate::text::fingerprint::{formulaic_of, FORMULA_PASSAGES};
use crate::text::hash::fnv;

/// The flags file, in a generation directory.
pub(crate) const FILE: &str = "formulaic.flags";
/// The file's first bytes, with its format's version.
const MAGIC: &[u8] = b"pustaka formulaic flags 1\n";

/// The flags of every passage of one segment, by document number: 1 not formulaic, 2
/// formulaic (the codes `search::formula` keeps, 0 meaning not checked yet).
pub(crate) type SegmentFlags = (SegmentId, Vec<u8>);

/// The flags of every passage `searcher` reads, by segment, from its fingerprints in `field`.
///
/// Counts as `InvertedIndexReader::doc_freq` counts a term: a passage once per fingerprint,
/// deleted passages included (a delete leaves the frequencies as they were until a merge), so
/// that a passage's flag does not move when another passage is deleted.
pub(crate) fn compute(searcher: &Searcher, field: Field) -> Result<Vec<SegmentFlags>> {
    let name = searcher.schema().get_field_name(field).to_string();
    let columns = searcher
        .segment_readers()
        .iter()
        .map(|r| Ok((r, r.fast_fields().u64(&name)?)))
        .collect::<tantivy::Result<Vec<_>>>()?;
    // Every (fingerprint, passage) once, sorted: a run of one fingerprint is its document
    // frequency. A sort beats a map of counts here (most fingerprints stand in one passage).
    let mut all: Vec<u64> = Vec::new();
    let mut seen: Vec<u64> = Vec::new();
    for (reader, column) in &columns {
        for doc in 0..reader.max_doc() {
            seen.clear();
            seen.extend(column.values_for_doc(doc));
            seen.sort_unstable();
            seen.dedup();
            all.extend_from_slice(&seen);
        }
    }
    all.sort_unstable();
    let formulas: FxHashSet<u64> = all
        .chunk_by(|a, b| a == b)
        .filter(|run| run.len() as u64 >= FORMULA_PASSAGES)
        .map(|run| run[0])
        .collect();
    drop(all);
    let formulas = &formulas;
    let flags = |reader: &SegmentReader, column: &tantivy::columnar::Column<u64>| {
        let marks = (0..reader.max_doc()).flat_map(|doc| {
            column
                .values_for_doc(doc)
                .map(move |h| (doc, formulas.contains(&h)))
        });
        formulaic_of(reader.max_doc() as usize, marks)
            .into_iter()
            .map(|formulaic| if formulaic { 2 } else { 1 })
            .collect()
    };
    Ok(columns
        .iter()
        .map(|(reader, column)| (reader.segment_id(), flags(reader, column)))
        .collect())
}

/// Compute the flags of what `index` holds now and write them into its generation directory
/// `generation`, beside and renamed over the old file: a reader sees the old file or the new
/// one, and either names its segments. Nothing is written when the file there already holds
/// them.
pub(crate) fn write(generation: &Path, index: &Index, field: Field) -> Result<()> {
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let searcher = reader.searcher();
    if read(generation, &searcher).is_some() {
        // Kept already for these very segments (a run that changed nothing): the flags of a
        // set of segments never change.
        return Ok(());
    }
    let bytes = encode(&compute(&searcher, field)?);
    super::store::write_into_generation(generation, FILE, &bytes)
}

/// Where the flags of the splits a metastore lists are kept: beside it, named after it
/// (`metastore.json` → `metastore.json.formulaic`). A split's own file counts its own
/// fingerprints only; read as one, the splits have the whole corpus's frequencies, and
/// counting them in every process that opens the splits (a one-query `search --splits`) cost
/// that process a scan and sort of every fingerprint of every split.
pub(crate) fn beside_metastore(metastore: &Path) -> PathBuf {
    let mut name = metastore.file_name().unwrap_or_default().to_os_string();
    name.push(".formulaic");
    metastore.with_file_name(name)
}

/// Count the flags of the splits `searcher` reads as one and keep them at `path`
/// ([`beside_metastore`]), written beside and renamed over it. A file there that is not a flags
/// file is not replaced: an error says so.
pub(crate) fn write_for_splits(path: &Path, searcher: &Searcher, field: Field) -> Result<()> {
    replaceable(path)?;
    let bytes = encode(&compute(searcher, field)?);
    super::store::replace_file_beside(path, &bytes)
}

/// An error unless `path` is free or holds a flags file (pustaka replaces only its own files).
pub(crate) fn replaceable(path: &Path) -> Result<()> {
    match std::fs::read(path) {
        Ok(old) if !old.starts_with(MAGIC) => Err(Error::Invalid(format!(
            "{} exists and is not a pustaka flags file; not replacing it",
            path.display()
        ))),
        _ => Ok(()),
    }
}

/// The flags kept in `generation` for exactly the segments `searcher` reads; `None` when there
/// is no such file, it was made for other segments, or it is damaged.
pub(crate) fn read(generation: &Path, searcher: &Searcher) -> Option<Vec<SegmentFlags>> {
    read_file(&generation.join(FILE), searcher)
}

/// The flags in the file at `path`, when they are for exactly the segments `searcher` reads.
pub(crate) fn read_file(path: &Path, searcher: &Searcher) -> Option<Vec<SegmentFlags>> {
    let bytes = std::fs::read(path).ok()?;
    let flags = decode(&bytes)?;
    let mut want: Vec<(SegmentId, usize)> = searcher
        .segment_readers()
        .iter()
        .map(|r| (r.segment_id(), r.max_doc() as usize))
        .collect();
    let mut have: Vec<(SegmentId, usize)> = flags.iter().map(|(id, f)| (*id, f.len())).collect();
    want.sort();
    have.sort();
    (want == have).then_some(flags)
}

/// The file's bytes: [`MAGIC`], then per segment its id (32 hex digits), its number of
/// documents (u32, little-endian) and one bit per document (set: formulaic), then an FNV-1a
/// hash of everything before it (u64, little-endian).
fn encode(flags: &[SegmentFlags]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    for (id, f) in flags {
        out.extend_from_slice(id.uuid_string().as_bytes());
        out.extend_from_slice(&(f.len() as u32).to_le_bytes());
        let mut bits = vec![0u8; f.len().div_ceil(8)];
        for (doc, &flag) in f.iter().enumerate() {
            if flag == 2 {
                bits[doc / 8] |= 1 << (doc % 8);
            }
        }
        out.extend_from_slice(&bits);
    }
    let hash = fnv(&out);
    out.extend_from_slice(&hash.to_le_bytes());
    out
}

fn decode(bytes: &[u8]) -> Option<Vec<SegmentFlags>> {
    let (body, tail) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if fnv(body).to_le_bytes() != tail {
        return None;
    }
    let mut rest = body.strip_prefix(MAGIC)?;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (id, r) = rest.split_at_checked(32)?;
        let id = SegmentId::from_uuid_string(std::str::from_utf8(id).ok()?).ok()?;
        let (n, r) = r.split_at_checked(4)?;
        let n = u32::from_le_bytes(n.try_into().ok()?) as usize;
        let (bits, r) = r.split_at_checked(n.div_ceil(8))?;
        let mut f = vec![0u8; bits.len() * 8];
        for (eight, &b) in f.chunks_exact_mut(8).zip(bits) {
            for (k, flag) in eight.iter_mut().enumerate() {
                *flag = 1 + ((b >> k) & 1);
            }
        }
        f.truncate(n);
        out.push((id, f));
        rest = r;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_survive_the_file_and_damage_is_refused() {
        let a = SegmentId::generate_random();
        let b = SegmentId::generate_random();
        let flags = vec![
            (a, vec![1, 2, 2, 1, 1, 1, 1, 1, 2]),
            (b, vec![]),
            (b, vec![2]),
        ];
        let bytes = encode(&flags);
        assert_eq!(decode(&bytes), Some(flags));
        for i in [0, MAGIC.len() + 3, bytes.len() - 9, bytes.len() - 1] {
            let mut bad = bytes.clone();
            bad[i] ^= 0x20;
            assert_eq!(decode(&bad), None, "byte {i} changed");
        }
        assert_eq!(decode(&bytes[..bytes.len() - 1]), None);
        assert_eq!(decode(b""), None);
    }
}
