//! The search response cache, bounded in bytes.
//!
//! Bounded by entries it held 262 MB after 4,000 distinct `limit=100` searches: a response is
//! anywhere from a few hundred bytes to a few hundred kilobytes, so only a byte budget bounds
//! memory. The least recently used responses go first, so the queries people repeat stay;
//! a new index generation drops the old one's at once (they can never be served again).

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use bytes::Bytes;

/// What an entry costs beyond its key and body (map slots, the recency index, the header).
const OVERHEAD: usize = 96;

pub(crate) struct Cache {
    max_bytes: usize,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<String, Entry>,
    /// Recency: tick → key, the oldest first.
    order: BTreeMap<u64, String>,
    tick: u64,
    bytes: usize,
    /// The generation the entries were computed on.
    generation: u64,
}

struct Entry {
    generation: u64,
    body: Bytes,
    tick: u64,
}

fn cost(key: &str, body: &Bytes) -> usize {
    key.len() * 2 + body.len() + OVERHEAD
}

impl Cache {
    pub(crate) fn new(max_bytes: usize) -> Cache {
        Cache {
            max_bytes,
            inner: Mutex::new(Inner::default()),
        }
    }

    /// The response for `key` computed on `generation`, marked as just used.
    pub(crate) fn get(&self, key: &str, generation: u64) -> Option<Bytes> {
        let mut guard = self.inner.lock().ok()?;
        let inner = &mut *guard;
        inner.tick += 1;
        let tick = inner.tick;
        let e = inner
            .entries
            .get_mut(key)
            .filter(|e| e.generation == generation)?;
        let old = std::mem::replace(&mut e.tick, tick);
        let body = e.body.clone();
        if let Some(k) = inner.order.remove(&old) {
            inner.order.insert(tick, k);
        }
        Some(body)
    }

    /// Keep a response, evicting the least recently used until the total fits. A response
    /// larger than an eighth of the budget is not kept: it would flush many small ones.
    pub(crate) fn put(&self, key: String, generation: u64, body: Bytes) {
        let size = cost(&key, &body);
        if size > self.max_bytes / 8 {
            return;
        }
        let Ok(mut guard) = self.inner.lock() else {
            return;
        };
        let inner = &mut *guard;
        if inner.generation != generation {
            *inner = Inner {
                generation,
                ..Inner::default()
            };
        }
        if let Some(old) = inner.entries.remove(&key) {
            inner.order.remove(&old.tick);
            inner.bytes -= cost(&key, &old.body);
        }
        while inner.bytes + size > self.max_bytes {
            let Some((_, k)) = inner.order.pop_first() else {
                break;
            };
            if let Some(e) = inner.entries.remove(&k) {
                inner.bytes -= cost(&k, &e.body);
            }
        }
        inner.tick += 1;
        let tick = inner.tick;
        inner.order.insert(tick, key.clone());
        inner.bytes += size;
        inner.entries.insert(
            key,
            Entry {
                generation,
                body,
                tick,
            },
        );
    }

    /// Bytes held now (keys, bodies and bookkeeping).
    pub(crate) fn bytes(&self) -> usize {
        self.inner.lock().map_or(0, |i| i.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_recently_used_go_first_and_the_total_stays_under_the_budget() {
        let body = Bytes::from(vec![b'x'; 1000]);
        let each = cost("q0", &body);
        let c = Cache::new(each * 8 + 100);
        for i in 0..8 {
            c.put(format!("q{i}"), 1, body.clone());
        }
        assert!(c.get("q0", 1).is_some()); // q0 is now the most recent
        c.put("q8".into(), 1, body.clone());
        assert!(c.get("q1", 1).is_none(), "the least recently used was kept");
        assert!(c.get("q0", 1).is_some());
        assert!(c.get("q0", 2).is_none(), "another generation");
        c.put("new".into(), 2, body.clone());
        assert_eq!(c.bytes(), cost("new", &body), "the old generation was kept");
        assert!(c.get("q0", 1).is_none());
        for i in 9..100 {
            c.put(format!("q{i}"), 1, body.clone());
            assert!(c.bytes() <= each * 8 + 100);
        }
        c.put("big".into(), 1, Bytes::from(vec![b'x'; each * 2]));
        assert!(c.get("big", 1).is_none());
    }
}
