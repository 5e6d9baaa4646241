//! Cooperative cancellation of long computations (`dupes`, `check`, restated claims, searches).
//!
//! A server request that timed out, or whose client went away, must stop using the cores: the
//! work checks a shared flag, or a deadline, in its loops and returns [`Error::Cancelled`] once
//! it is set or past. Threads cannot be killed safely, so the work has to look for itself.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

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

/// A query that stops matching once its [`Cancel`] fires. A search's pass over the postings is
/// the one part of it whose work grows with the corpus, and tantivy's loop over the matches
/// has no way out: the scorer ends early instead, and the caller, finding the flag set, throws
/// the partial answer away ([`Cancel::check`]).
#[derive(Debug)]
pub(crate) struct Stoppable {
    inner: Box<dyn Query>,
    cancel: Cancel,
}

impl Clone for Stoppable {
    fn clone(&self) -> Self {
        Stoppable::new(self.inner.box_clone(), self.cancel.clone())
    }
}

impl Stoppable {
    pub(crate) fn new(inner: Box<dyn Query>, cancel: Cancel) -> Stoppable {
        Stoppable { inner, cancel }
    }
}

impl Query for Stoppable {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(StoppableWeight {
            inner: self.inner.weight(scoring)?,
            cancel: self.cancel.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct StoppableWeight {
    inner: Box<dyn Weight>,
    cancel: Cancel,
}

impl Weight for StoppableWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(StoppableScorer {
            inner: self.inner.scorer(reader, boost)?,
            clock: Clock::new(&self.cancel),
            stopped: false,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }

    /// The scored pass of a search, with the inner scorer driven directly: through
    /// [`StoppableScorer`] each match costs three more dynamic calls (about 2% of `kind:body`,
    /// which matches most of corpus-large, in a measurement by hand over HTTP).
    fn for_each(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        let scorer = self.inner.scorer(reader, 1.0)?;
        let mut clock = Clock::new(&self.cancel);
        // A search's union of words, driven without a dynamic call a match.
        match scorer.downcast::<UnionScorer>() {
            Ok(mut union) => drive(&mut *union, callback, || clock.fired()),
            Err(mut other) => drive(other.as_mut(), callback, || clock.fired()),
        }
        Ok(())
    }
}

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

struct StoppableScorer {
    inner: Box<dyn Scorer>,
    clock: Clock,
    stopped: bool,
}

impl StoppableScorer {
    fn halt(&mut self) -> bool {
        self.stopped = self.stopped || self.clock.fired();
        self.stopped
    }
}

impl DocSet for StoppableScorer {
    fn advance(&mut self) -> DocId {
        if self.halt() {
            return TERMINATED;
        }
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.halt() {
            return TERMINATED;
        }
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        if self.stopped {
            TERMINATED
        } else {
            self.inner.doc()
        }
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for StoppableScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
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
    /// nothing fires, about one check's worth once the flag is set.
    #[test]
    fn a_stoppable_query_ends_its_matches_once_cancelled() {
        use crate::search::union::{Part, Union};
        use tantivy::collector::Count;
        use tantivy::query::TermQuery;
        use tantivy::schema::{IndexRecordOption, Schema, STRING};
        use tantivy::{doc, Index};

        let mut schema = Schema::builder();
        let word = schema.add_text_field("word", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for _ in 0..5_000 {
            writer.add_document(doc!(word => "padi")).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let padi = Term::from_field_text(word, "padi");
        let term = TermQuery::new(padi.clone(), IndexRecordOption::Basic);
        // A term query, and a search's union of words (driven without its box).
        let queries: [Box<dyn Query>; 2] = [
            Box::new(term.clone()),
            Box::new(Union::new(vec![
                Part::term(padi.clone(), 1.0),
                Part::term(padi, 2.0),
            ])),
        ];
        for query in queries {
            let count = |cancel: &Cancel| {
                let q = Stoppable::new(query.box_clone(), cancel.clone());
                searcher.search(&q, &Count).unwrap()
            };
            // Scored, as a search's first pass is: the weight's own loop.
            let scored = |cancel: &Cancel| {
                let q = Stoppable::new(query.box_clone(), cancel.clone());
                let top = tantivy::collector::TopDocs::with_limit(1).order_by_score();
                searcher.search(&q, &(top, Count)).unwrap().1
            };
            let live = Cancel::new();
            assert_eq!((count(&live), scored(&live)), (5_000, 5_000), "{query:?}");
            live.cancel();
            for stopped in [count(&live), scored(&live)] {
                assert!(stopped <= CHECK_EVERY as usize, "{query:?}: {stopped}");
            }
        }
    }
}
