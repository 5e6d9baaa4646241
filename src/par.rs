//! Work spread over threads, and the one panic policy that goes with it.
//!
//! Every stage that fans out (cutting documents into passages, loading and aligning reuse
//! candidates, scoring claims) does it through [`map`], so they all treat a panic the same
//! way: a panic on one item is a bug of ours on that item, caught and reported as
//! [`Panicked`] with its message, never a crashed run and never the user's mistake. What
//! the caller does with it is its own business: ingest skips that document and says so, search
//! turns it into [`Error::Internal`] (a 500 from the server, an error exit from the CLI).
//!
//! Items are handed out one at a time through an atomic counter (work stealing), so one slow
//! document or one huge candidate list does not leave the other threads idle, as fixed
//! chunks did.
//!
//! The threads are started once per process and width ([`pool`]) and kept: a build cuts its
//! documents a few at a time (`ingest::Cutter`), and new threads for every few documents
//! started each without the regex crate's per-thread match caches (its pool hands a cache to
//! one owner thread without a lock, to the others through shared stacks) or the stemmers'
//! per-thread memos, and with a fresh allocator heap: kept threads took 0.95× the CPU of a
//! build of corpus-large and 0.75× its peak memory (`scripts/ab.py 6ef6545 2965735 --what
//! build --rounds 4`: 5.94 → 5.66 CPU s, 351 → 262 MiB, medians).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};

/// An item whose work panicked, with the panic's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panicked(pub String);

impl std::fmt::Display for Panicked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Panicked> for Error {
    fn from(p: Panicked) -> Error {
        Error::Internal(p.0)
    }
}

/// Threads worth using on this machine: all of them, but at most 8 (beyond that the index
/// reads and the allocator, not the cores, bound the work).
pub fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8)
}

/// `f` over `items` on up to `threads` threads, results in the order of `items`; an item whose
/// `f` panicked is `Err(Panicked)` and the others are unaffected.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<Result<R, Panicked>> {
    if threads <= 1 || items.len() <= 1 {
        return items.iter().map(|x| guarded(&f, x)).collect();
    }
    let next = AtomicUsize::new(0);
    let workers = threads.min(items.len());
    let slots: Vec<Mutex<Done<R>>> = (0..workers).map(|_| Mutex::default()).collect();
    let run = |slot: &Mutex<Done<R>>| {
        let mine = steal(items, &next, &f);
        *slot.lock().unwrap_or_else(|e| e.into_inner()) = mine;
    };
    // The pool of the width asked for, whatever the items: a pool per count of items would
    // keep threads (and their caches) for every short list a process ever mapped.
    match pool(threads) {
        Some(pool) => pool.scope(|scope| {
            for slot in &slots {
                scope.spawn(|_| run(slot));
            }
        }),
        None => std::thread::scope(|scope| {
            for slot in &slots {
                scope.spawn(|| run(slot));
            }
        }),
    }
    // A worker catches every item's panic, so a slot is left empty only if the runtime itself
    // failed; its items are then reported as panicked below.
    let done = slots
        .into_iter()
        .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect();
    in_order(items.len(), done)
}

/// The threads of `threads`-wide work, started once per process and kept.
fn pool(threads: usize) -> Option<Arc<rayon::ThreadPool>> {
    static POOLS: Mutex<Vec<(usize, Arc<rayon::ThreadPool>)>> = Mutex::new(Vec::new());
    let mut pools = POOLS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, p)) = pools.iter().find(|(n, _)| *n == threads) {
        return Some(Arc::clone(p));
    }
    let p = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(move |i| format!("pustaka-par{threads}-{i}"))
        .build()
        .ok()?;
    let p = Arc::new(p);
    pools.push((threads, Arc::clone(&p)));
    Some(p)
}

/// [`map`] for work that can fail: the results in order, or the first error in the order of
/// `items` (a panic as [`Error::Internal`]). Once an item has failed, the items not started yet
/// are not started at all.
pub fn try_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    let failed = AtomicBool::new(false);
    let results = map(items, threads, |x| {
        if failed.load(Ordering::Relaxed) {
            return None;
        }
        let r = f(x);
        if r.is_err() {
            failed.store(true, Ordering::Relaxed);
        }
        Some(r)
    });
    let mut out = Vec::with_capacity(items.len());
    let mut first_error = None;
    for r in results {
        match r {
            Ok(Some(Ok(v))) => out.push(v),
            Ok(Some(Err(e))) => {
                first_error.get_or_insert(e);
            }
            Err(p) => {
                first_error.get_or_insert(p.into());
            }
            // Skipped after an error, which is then reported.
            Ok(None) => {}
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// What one worker did: each of its items' results, with the item's index.
type Done<R> = Vec<(usize, Result<R, Panicked>)>;

/// One worker: take the next item until there is none, keeping each result with its index.
fn steal<T, R>(items: &[T], next: &AtomicUsize, f: &(impl Fn(&T) -> R + Sync)) -> Done<R> {
    let mut mine = Vec::new();
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(x) = items.get(i) else { break };
        mine.push((i, guarded(f, x)));
    }
    mine
}

/// The workers' results put back in the order of the items.
fn in_order<R>(n: usize, done: Vec<Done<R>>) -> Vec<Result<R, Panicked>> {
    let mut slots: Vec<Option<Result<R, Panicked>>> = (0..n).map(|_| None).collect();
    for (i, r) in done.into_iter().flatten() {
        slots[i] = Some(r);
    }
    slots
        .into_iter()
        .map(|s| s.unwrap_or_else(|| Err(Panicked("a worker thread died".into()))))
        .collect()
}

/// `f(x)`, its panic caught and turned into its message. The work is pure or only reads shared
/// state, so nothing is left half-changed for the other items to see (hence
/// `AssertUnwindSafe`).
fn guarded<T, R>(f: &impl Fn(&T) -> R, x: &T) -> Result<R, Panicked> {
    catch_unwind(AssertUnwindSafe(|| f(x))).map_err(|payload| {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into());
        Panicked(msg)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boom_on_3(x: &usize) -> usize {
        if *x == 3 {
            panic!("three is {}", "bad");
        }
        x * 10
    }

    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<usize> = (0..1000).collect();
        for threads in [1, 2, 3, 8] {
            let out = map(&items, threads, |x| x * 2);
            let out: Vec<usize> = out.into_iter().map(|r| r.unwrap()).collect();
            assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_panicking_item_is_reported_with_its_message_and_the_rest_are_kept() {
        let items: Vec<usize> = (0..10).collect();
        for threads in [1, 4] {
            let out = map(&items, threads, boom_on_3);
            for (i, r) in out.iter().enumerate() {
                match i {
                    3 => assert_eq!(r, &Err(Panicked("three is bad".into()))),
                    _ => assert_eq!(r, &Ok(i * 10)),
                }
            }
        }
    }

    #[test]
    fn one_thread_runs_on_the_calling_thread() {
        let me = std::thread::current().id();
        let out = map(&[1, 2, 3], 1, |_| std::thread::current().id());
        assert!(out.into_iter().all(|r| r.unwrap() == me));
    }

    /// However few the items, the work runs on the pool of the width asked for: no pool is
    /// started (and kept) for each count of items.
    #[test]
    fn short_lists_run_on_the_pool_of_the_width_asked_for() {
        for n in [2, 3, 5] {
            let items: Vec<usize> = (0..n).collect();
            for name in map(&items, 5, |_| {
                std::thread::current().name().map(str::to_string)
            }) {
                let name = name.unwrap().unwrap_or_default();
                assert!(name.starts_with("pustaka-par5-"), "{n} items: {name}");
            }
        }
    }

    #[test]
    fn no_items_no_results() {
        assert!(map(&Vec::<u8>::new(), 4, |x| *x).is_empty());
        assert!(try_map(&Vec::<u8>::new(), 4, |x| Ok(*x))
            .unwrap()
            .is_empty());
    }

    #[test]
    fn try_map_turns_a_panic_into_an_internal_error_and_keeps_errors_first_in_order() {
        let items: Vec<usize> = (0..10).collect();
        match try_map(&items, 4, |x| Ok(boom_on_3(x))) {
            Err(Error::Internal(msg)) => assert_eq!(msg, "three is bad"),
            other => panic!("{other:?}"),
        }
        let r = try_map(&items, 1, |&x| match x {
            2 => Err(Error::Invalid("two".into())),
            _ => Ok(x),
        });
        assert!(matches!(r, Err(Error::Invalid(m)) if m == "two"));
        assert_eq!(
            try_map(&items, 3, |&x| Ok(x + 1)).unwrap(),
            (1..11).collect::<Vec<_>>()
        );
    }
}
