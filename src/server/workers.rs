//! The threads dupes and check compute on: as many as there are heavy permits, living as long
//! as the server.
//!
//! Why not tokio's blocking pool, like searches: its threads come and go, and the regex crate
//! keeps a match cache per thread in each pattern, and the citation patterns are statics. A
//! check on a thread the pattern had not seen added about half a MB per pattern that was never
//! given back: a server at 30 MB idle held 44 MB after one round of searches with checks, 58 MB
//! after two (`scripts/soak.sh`). On threads that stay, each check reuses the caches of the
//! last, so memory settles after the first few requests.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Arc, Mutex, OnceLock};

use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send>;

/// A fixed set of threads taking jobs from one queue, started on the first job.
pub(super) struct Workers {
    threads: usize,
    queue: OnceLock<mpsc::Sender<Job>>,
}

impl Workers {
    pub(super) fn new(threads: usize) -> Workers {
        Workers {
            threads: threads.max(1),
            queue: OnceLock::new(),
        }
    }

    /// Runs `f` on one of the threads. The receiver fails if `f` panicked (the thread itself
    /// lives on) or no thread could be started.
    pub(super) fn run<T, F>(&self, f: F) -> oneshot::Receiver<T>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = reply.send(f());
        });
        // A send fails only when every thread is gone: the job, and its reply, are dropped.
        let _ = self.queue().send(job);
        answer
    }

    fn queue(&self) -> &mpsc::Sender<Job> {
        self.queue.get_or_init(|| {
            let (queue, jobs) = mpsc::channel::<Job>();
            let jobs = Arc::new(Mutex::new(jobs));
            for i in 0..self.threads {
                let jobs = jobs.clone();
                let started = std::thread::Builder::new()
                    .name(format!("pustaka-heavy-{i}"))
                    .spawn(move || work(&jobs));
                if let Err(e) = started {
                    eprintln!("pustaka: could not start a worker thread: {e}");
                }
            }
            queue
        })
    }
}

/// Takes jobs until the server (the queue's sender) is gone.
fn work(jobs: &Mutex<mpsc::Receiver<Job>>) {
    loop {
        let job = match jobs.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        // A panicking job drops its reply: the request gets a 500, the thread takes the next.
        let _ = catch_unwind(AssertUnwindSafe(job));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_run_on_the_same_few_threads_and_a_panic_only_fails_its_own() {
        let workers = Workers::new(2);
        let names: Vec<String> = (0..20)
            .map(|_| {
                workers
                    .run(|| std::thread::current().name().unwrap_or("").to_string())
                    .blocking_recv()
                    .unwrap()
            })
            .collect();
        let mut distinct = names.clone();
        distinct.sort();
        distinct.dedup();
        assert!(distinct.len() <= 2, "{distinct:?}");
        assert!(distinct.iter().all(|n| n.starts_with("pustaka-heavy-")));
        assert!(workers
            .run(|| -> u8 { panic!("a bug") })
            .blocking_recv()
            .is_err());
        assert_eq!(workers.run(|| 7).blocking_recv().unwrap(), 7);
    }
}
