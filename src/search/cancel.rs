//! Cooperative cancellation of long computations (`dupes`, `check`, restated claims, searches).
//!
//! A server request that timed out, or whose client went away, must stop using the cores: the
//! work checks a shared flag, or a deadline, in its loops and returns [`Error::Cancelled`] once
//! it is set or past. Threads cannot be killed safely, so the work has to look for itself.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::Weight;
use tantivy::{SegmentOrdinal, SegmentReader};

use super::union::{drive, UnionScorer};
use crate::error::{Error, Result};

/// A flag the requester sets and the work reads (clones share it), and a time after which the
/// work stops by itself.
#[derive(Debug, Clone, Default)]
pub struct Cancel {
    flag: Option<Arc<AtomicBool>>,
    until: Option<Instant>,
}

impl Cancel {
    /// A flag that can be set.
    pub fn new() -> Cancel {
        Cancel {
            flag: Some(Arc::new(AtomicBool::new(false))),
            until: None,
        }
    }

    /// Work nobody will cancel (the CLI: Ctrl-C ends the whole process).
    pub fn never() -> Cancel {
        Cancel::default()
    }

    /// Work that stops once `until` has passed, or when cancelled (for the server: a request's
    /// timeout, or the slice of time a search may take on the thread that reads requests).
    pub fn until(until: Instant) -> Cancel {
        Cancel {
            until: Some(until),
            ..Cancel::new()
        }
    }

    /// Whether the work may have to stop: false for [`Cancel::never`], whose checks can be
    /// left out.
    pub fn can_fire(&self) -> bool {
        self.flag.is_some() || self.until.is_some()
    }

    /// Ask the work to stop, in every clone; it stops at its next check. Does nothing on a
    /// [`Cancel::never`].
    pub fn cancel(&self) {
        if let Some(f) = &self.flag {
            f.store(true, Ordering::Relaxed);
        }
    }

    /// Whether [`Cancel::cancel`] was called on this flag or a clone of it, or its time is up.
    pub fn is_cancelled(&self) -> bool {
        self.flag
            .as_ref()
            .is_some_and(|f| f.load(Ordering::Relaxed))
            || self.until.is_some_and(|t| Instant::now() >= t)
    }

    /// `Err(Error::Cancelled)` once cancelled, so loops can stop with `?`.
    pub fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// Cancels when dropped: held by whoever waits for the work, so that giving up waiting (a
/// timeout, a client that disconnected and dropped the request) stops the work too.
#[derive(Debug)]
pub struct CancelOnDrop(pub Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// A collector's pass over a query's matches that stops once its [`Cancel`] fires, driving
/// the query's scorer itself. A search's pass over the postings is the one part of it whose
/// work grows with the corpus, and tantivy's loop over the matches has no way out: this loop
/// looks at the clock every [`CHECK_EVERY`] matches and ends early, and the caller, finding
/// the flag set, throws the partial answer away ([`Cancel::check`]).
///
/// Why the loop is ours: tantivy hands each match to the collector through a dynamic callback
/// (its `Weight::for_each`), so a search's union ([`UnionScorer`], recovered from the scorer's
/// box) and the first pass's collectors ([`super::ties`]) were three calls a match that the
/// compiler could not see through; here the scorer's loop and the collectors' `collect` are one
/// function ([`UnionScorer::drain`]).
pub(crate) struct Stopping<C> {
    inner: C,
    cancel: Cancel,
}

impl<C> Stopping<C> {
    pub(crate) fn new(inner: C, cancel: &Cancel) -> Stopping<C> {
        Stopping {
            inner,
            cancel: cancel.clone(),
        }
    }
}

impl<C: Collector> Collector for Stopping<C> {
    type Fruit = C::Fruit;
    type Child = C::Child;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<C::Child> {
        self.inner.for_segment(ord, reader)
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit<C>>) -> tantivy::Result<C::Fruit> {
        self.inner.merge_fruits(fruits)
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFruit<C>> {
        let mut child = self.inner.for_segment(ord, reader)?;
        let scorer = weight.scorer(reader, 1.0)?;
        let mut clock = Clock::new(&self.cancel);
        let alive = reader.alive_bitset();
        let collect = |doc, score| {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                child.collect(doc, score);
            }
        };
        match scorer.downcast::<UnionScorer>() {
            Ok(mut union) => union.drain(collect, || clock.fired()),
            Err(mut other) => drive(other.as_mut(), collect, || clock.fired()),
        }
        Ok(child.harvest())
    }
}

/// What one segment's collector of `C` gives.
type SegmentFruit<C> = <<C as Collector>::Child as SegmentCollector>::Fruit;

/// Matches between two looks at the clock: a match costs tens of nanoseconds, the clock about
/// twenty, so the check is lost in the noise and a search overruns its time by well under a
/// millisecond.
const CHECK_EVERY: u32 = 1024;

/// A [`Cancel`] looked at once every [`CHECK_EVERY`] matches.
struct Clock {
    cancel: Cancel,
    until_check: u32,
}

impl Clock {
    fn new(cancel: &Cancel) -> Clock {
        Clock {
            cancel: cancel.clone(),
            until_check: CHECK_EVERY,
        }
    }

    /// Counts one match; whether the cancel fired, when this match is one to look at it.
    fn fired(&mut self) -> bool {
        self.until_check -= 1;
        if self.until_check > 0 {
            return false;
        }
        self.until_check = CHECK_EVERY;
        self.cancel.is_cancelled()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_flag_and_never_stays_unset() {
        let c = Cancel::new();
        let seen = c.clone();
        assert!(seen.check().is_ok());
        drop(CancelOnDrop(c));
        assert!(matches!(seen.check(), Err(Error::Cancelled)));
        let n = Cancel::never();
        n.cancel();
        assert!(!n.is_cancelled());
        assert!(!n.can_fire());
    }

    #[test]
    fn a_deadline_fires_once_past_and_a_clone_can_still_be_cancelled() {
        let later = Cancel::until(Instant::now() + std::time::Duration::from_secs(3600));
        assert!(later.can_fire() && !later.is_cancelled());
        let clone = later.clone();
        later.cancel();
        assert!(clone.is_cancelled());
        let past = Cancel::until(Instant::now());
        assert!(matches!(past.check(), Err(Error::Cancelled)));
    }

    /// Every match of a 5,000-passage index, counted through the wrapper: all of them while
    /// nothing fires (less those deleted), about one check's worth once the flag is set; and
    /// the same best match as the collector alone.
    #[test]
    fn a_stopping_pass_ends_its_matches_once_cancelled() {
        use crate::search::union::{Part, Union};
        use tantivy::collector::{Count, TopDocs};
        use tantivy::query::{Query, TermQuery};
        use tantivy::schema::{IndexRecordOption, Schema, STRING};
        use tantivy::{doc, Index, Term};

        let mut schema = Schema::builder();
        let word = schema.add_text_field("word", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for k in 0..5_000 {
            let extra = if k % 7 == 0 { "padi padi" } else { "beras" };
            writer
                .add_document(doc!(word => "padi", word => extra))
                .unwrap();
        }
        writer.commit().unwrap();
        writer.delete_term(Term::from_field_text(word, "beras"));
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let padi = Term::from_field_text(word, "padi");
        let term = TermQuery::new(padi.clone(), IndexRecordOption::WithFreqs);
        // A term query, and a search's union of words (driven without its box).
        let queries: [Box<dyn Query>; 2] = [
            Box::new(term.clone()),
            Box::new(Union::new(vec![
                Part::term(padi.clone(), 1.0),
                Part::term(padi, 2.0),
            ])),
        ];
        let alive = 5_000usize.div_ceil(7);
        for query in queries {
            let top = || TopDocs::with_limit(3).order_by_score();
            let alone = searcher.search(&query, &(top(), Count)).unwrap();
            assert_eq!(alone.1, alive);
            let count = |cancel: &Cancel| searcher.search(&query, &Stopping::new(Count, cancel));
            // Scored, as a search's first pass is.
            let scored =
                |cancel: &Cancel| searcher.search(&query, &Stopping::new((top(), Count), cancel));
            let live = Cancel::new();
            assert_eq!(count(&live).unwrap(), alive, "{query:?}");
            assert_eq!(scored(&live).unwrap(), alone, "{query:?}");
            live.cancel();
            for stopped in [count(&live).unwrap(), scored(&live).unwrap().1] {
                assert!(stopped <= CHECK_EVERY as usize, "{query:?}: {stopped}");
            }
        }
    }
}
