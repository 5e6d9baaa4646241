//! What a search would otherwise work out again for every query, kept per process: answers
//! that belong to the index, not to the query.
//!
//! A segment never changes once written (its id names its files), so what is read from one
//! segment alone ([`BySegment`]: the names of its documents) holds for as long as the process
//! lives. What depends on every segment of the index together ([`BySegments`]: whether a
//! passage is a formula the corpus repeats, counted over all segments; whether the index
//! carries embeddings) holds for one set of segments: a commit that adds, merges or
//! replaces segments gets its own. A delete does not change either (document frequencies count
//! deleted passages until a merge, and a merge makes new segments).
//!
//! Both are bounded, so a server re-indexed for months keeps nothing of segments merged away
//! long ago: past the bound the oldest entries go, and are read again if they are ever asked
//! for.

use std::sync::Mutex;

use tantivy::index::SegmentId;
use tantivy::Searcher;

/// Values by segment, at most `cap` of them.
pub(crate) struct BySegment<T> {
    cap: usize,
    entries: Mutex<Vec<(SegmentId, T)>>,
}

impl<T: Clone> BySegment<T> {
    /// An empty memo of at most `cap` segments.
    pub(crate) const fn new(cap: usize) -> Self {
        BySegment {
            cap,
            entries: Mutex::new(Vec::new()),
        }
    }

    /// The value of segment `id`, made by `make` the first time (outside the lock, so that
    /// other searches are not held up by it; two searches may then both make it, alike).
    pub(crate) fn get_or_make<E>(
        &self,
        id: SegmentId,
        make: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        get_or_make(&self.entries, self.cap, id, make)
    }
}

/// Values by set of segments (the segments a searcher reads), at most `cap` sets.
pub(crate) struct BySegments<T> {
    cap: usize,
    entries: Mutex<Vec<(Vec<SegmentId>, T)>>,
}

impl<T: Clone> BySegments<T> {
    /// An empty memo of at most `cap` sets of segments.
    pub(crate) const fn new(cap: usize) -> Self {
        BySegments {
            cap,
            entries: Mutex::new(Vec::new()),
        }
    }

    /// The value for the segments `searcher` reads, made by `make` the first time (outside
    /// the lock, as [`BySegment::get_or_make`]).
    pub(crate) fn get_or_make<E>(
        &self,
        searcher: &Searcher,
        make: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        let mut key: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|r| r.segment_id())
            .collect();
        key.sort();
        get_or_make(&self.entries, self.cap, key, make)
    }

    /// As [`Self::get_or_make`], for a value that cannot fail to be made.
    pub(crate) fn get_or_insert_with(&self, searcher: &Searcher, make: impl FnOnce() -> T) -> T {
        let made: Result<T, std::convert::Infallible> = self.get_or_make(searcher, || Ok(make()));
        made.unwrap_or_else(|never| match never {})
    }
}

/// The value of `key` in `entries`, the most recently used last; a new one is made by `make`
/// and pushes out the least recently used past `cap`.
fn get_or_make<K: PartialEq, T: Clone, E>(
    entries: &Mutex<Vec<(K, T)>>,
    cap: usize,
    key: K,
    make: impl FnOnce() -> Result<T, E>,
) -> Result<T, E> {
    let lock = || entries.lock().unwrap_or_else(|e| e.into_inner());
    {
        let mut entries = lock();
        if let Some(i) = entries.iter().position(|(k, _)| *k == key) {
            let entry = entries.remove(i);
            let value = entry.1.clone();
            entries.push(entry);
            return Ok(value);
        }
    }
    let value = make()?;
    let mut entries = lock();
    if !entries.iter().any(|(k, _)| *k == key) {
        if entries.len() >= cap.max(1) {
            entries.remove(0);
        }
        entries.push((key, value.clone()));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_and_the_least_recently_used_goes_first() {
        let entries = Mutex::new(Vec::new());
        let mut made = 0;
        let mut get = |k: u32| {
            get_or_make(&entries, 2, k, || {
                made += 1;
                Ok::<u32, ()>(k * 10)
            })
            .unwrap()
        };
        assert_eq!(get(1), 10);
        assert_eq!(get(2), 20);
        assert_eq!(get(1), 10);
        // 2 is the least recently used now: 3 pushes it out, 1 stays.
        assert_eq!(get(3), 30);
        assert_eq!(get(1), 10);
        assert_eq!(get(2), 20);
        assert_eq!(made, 4);
    }
}
