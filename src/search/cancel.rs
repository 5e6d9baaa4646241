//! Cooperative cancellation of long computations (`dupes`, `check`, restated claims).
//!
//! A server request that timed out, or whose client went away, must stop using the cores: the
//! work checks a shared flag in its loops and returns [`Error::Cancelled`] once it is set.
//! Threads cannot be killed safely, so the work has to look for itself.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::error::{Error, Result};

/// A flag the requester sets and the work reads; clones share it.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Option<Arc<AtomicBool>>);

impl Cancel {
    /// A flag that can be set.
    pub fn new() -> Cancel {
        Cancel(Some(Arc::new(AtomicBool::new(false))))
    }

    /// Work nobody will cancel (the CLI: Ctrl-C ends the whole process).
    pub fn never() -> Cancel {
        Cancel(None)
    }

    /// Ask the work to stop, in every clone; it stops at its next check. Does nothing on a
    /// [`Cancel::never`].
    pub fn cancel(&self) {
        if let Some(f) = &self.0 {
            f.store(true, Ordering::Relaxed);
        }
    }

    /// Whether [`Cancel::cancel`] was called on this flag or a clone of it.
    pub fn is_cancelled(&self) -> bool {
        self.0.as_ref().is_some_and(|f| f.load(Ordering::Relaxed))
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
    }
}
