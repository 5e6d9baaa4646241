//! `/api/stats` and `/health` from one index generation.
//!
//! [`Engine::stats`] reads the manifest of the newest commit on disk but counts passages with
//! the reader, which follows commits a moment later: under re-indexing one reply in 481 mixed
//! two commits. Here the commit's metadata is read only when its segments are the searcher's,
//! so every figure describes the same generation. The reply names the index directory, not its
//! absolute path: that is nobody's business over HTTP.

use tantivy::query::{Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::error::{Error, Result};
use crate::index::{writer, Engine, Stats};
use crate::model::Kind;

/// Attempts to catch the searcher and the newest commit agreeing while commits keep coming.
const TRIES: usize = 5;

/// The searcher together with the manifest of the very commit it reads.
fn snapshot(engine: &Engine) -> Result<(Searcher, writer::Manifest)> {
    for _ in 0..TRIES {
        let searcher = engine.searcher();
        let metas = searcher
            .index()
            .load_metas()
            .map_err(|e| Error::Invalid(format!("reading the index metadata: {e}")))?;
        let mut on_disk: Vec<_> = metas
            .segments
            .iter()
            .map(|s| (s.id(), s.num_deleted_docs()))
            .collect();
        let mut seen: Vec<_> = searcher
            .segment_readers()
            .iter()
            .map(|s| (s.segment_id(), s.num_deleted_docs()))
            .collect();
        on_disk.sort_unstable();
        seen.sort_unstable();
        if on_disk == seen {
            let manifest = metas
                .payload
                .and_then(|p| serde_json::from_str(&p).ok())
                .unwrap_or_default();
            return Ok((searcher, manifest));
        }
        // A commit the reader has not picked up yet: pick it up now and look again.
        engine.reload()?;
    }
    // Commits faster than a reload: say so (503) rather than mix them.
    Err(Error::Locked {
        dir: engine.dir().file_name().map(Into::into).unwrap_or_default(),
    })
}

/// The index summary as [`Engine::stats`] gives it, every figure from one generation.
pub(crate) fn stats(engine: &Engine) -> Result<Stats> {
    let (searcher, manifest) = snapshot(engine)?;
    let kind = searcher
        .schema()
        .get_field("kind")
        .map_err(|e| Error::Invalid(e.to_string()))?;
    let mut kinds = std::collections::BTreeMap::new();
    for k in Kind::ALL {
        let q = TermQuery::new(
            Term::from_field_text(kind, k.as_str()),
            IndexRecordOption::Basic,
        );
        let n = q
            .count(&searcher)
            .map_err(|e| Error::Invalid(e.to_string()))? as u64;
        if n > 0 {
            kinds.insert(k.as_str().to_string(), n);
        }
    }
    let dir = engine.dir();
    let size_bytes = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0);
    Ok(Stats {
        dir: dir.file_name().map(Into::into).unwrap_or_default(),
        files: manifest.files.len(),
        documents: manifest.files.values().map(|e| e.docs.len()).sum(),
        passages: searcher.num_docs(),
        languages: manifest.languages(),
        kinds,
        segments: searcher.segment_readers().len(),
        size_bytes,
    })
}
