//! Threads kept awake through a training run, for Adam's updates ([`crate::common::optimizer`]).
//!
//! An iteration of `ch4_3_2` updates about 90,000 weights in two parts of about 0.05 ms
//! each, between which one thread does 0.2 ms of serial work. A thread spawned per part costs
//! about 0.1 ms here; a pool whose idle threads sleep at once (rayon's) costs about as much to
//! wake one, as the virtual processor it sleeps on halts. So the threads of a [`Team`] spin
//! briefly while they wait, and then sleep ([`thread::park`]) until they are woken: a helper
//! when a job is posted, the caller when the last job is done. The spin is bounded
//! ([`SPIN`]), so that a team on a machine it shares with other programs (or with more threads
//! than processors) gives their time back instead of burning it.

use std::any::Any;
use std::cell::Cell;
use std::marker::PhantomData;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// A job borrowed from the caller of [`Team::run`], which waits for it.
type Job<'a> = Box<dyn FnOnce() + Send + 'a>;

const IDLE: u8 = 0;
const POSTED: u8 = 1;
const DONE: u8 = 2;
const QUIT: u8 = 3;
/// a posted job taken, by its helper or, when the helper had not started it, by the caller
const RUNNING: u8 = 4;

/// How long a waiting thread spins before it sleeps: about the time between two jobs of a
/// training iteration, and short enough that a thread which waits in vain gives up its
/// processor soon.
pub const SPIN: Duration = Duration::from_micros(50);

/// One helper thread's mailbox.
struct Mailbox {
    state: AtomicU8,
    /// the thread that posted the job, woken when it is done
    caller: Mutex<Option<thread::Thread>>,
    job: Mutex<Option<Job<'static>>>,
    panic: Mutex<Option<Box<dyn Any + Send>>>,
}

/// The calling thread and `threads - 1` helpers. One thread at a time runs jobs on a team:
///
/// ```compile_fail
/// fn shared_between_threads<T: Sync>() {}
/// shared_between_threads::<zerotsuku2::team::Team>();
/// ```
pub struct Team {
    helpers: Vec<(Arc<Mailbox>, JoinHandle<()>)>,
    /// not `Sync`: two threads running jobs on one team at once would post into the same
    /// mailboxes, and one could return before its job had run
    not_sync: PhantomData<Cell<()>>,
}

impl Team {
    /// A team of `threads` threads in all: the caller of [`run`](Self::run) and
    /// `threads - 1` helpers started now.
    ///
    /// # Panics
    /// If `threads` is 0, or a thread cannot be started.
    pub fn new(threads: usize) -> Team {
        assert!(threads > 0, "Team::new: 0 threads");
        let helpers = (1..threads)
            .map(|_| {
                let mailbox = Arc::new(Mailbox {
                    state: AtomicU8::new(IDLE),
                    caller: Mutex::new(None),
                    job: Mutex::new(None),
                    panic: Mutex::new(None),
                });
                let theirs = Arc::clone(&mailbox);
                let handle = thread::Builder::new()
                    .name("zerotsuku2-team".to_string())
                    .spawn(move || serve(&theirs))
                    .expect("a thread for the team");
                (mailbox, handle)
            })
            .collect();
        Team { helpers, not_sync: PhantomData }
    }

    /// How many threads run jobs: the caller and the helpers.
    pub fn threads(&self) -> usize {
        self.helpers.len() + 1
    }

    /// Runs the jobs at once, the first on this thread and job `i` on helper `i - 1`, and
    /// returns when all have finished. A job may borrow from the caller.
    ///
    /// # Panics
    /// If there are more jobs than threads, or a job panicked (after all have finished).
    pub fn run<'a>(&self, jobs: Vec<Job<'a>>) {
        assert!(
            jobs.len() <= self.threads(),
            "Team::run: {} jobs for {} threads",
            jobs.len(),
            self.threads()
        );
        let mut jobs = jobs.into_iter();
        let Some(own) = jobs.next() else { return };
        // waits for the posted jobs when it is dropped, also when `own` panics
        let mut posted = Posted(Vec::new());
        for (job, (mailbox, handle)) in jobs.zip(&self.helpers) {
            // SAFETY: the job may borrow from the caller's frame for 'a. `posted` waits, in
            // its drop, until the helper has run the job and dropped it, and `run` does not
            // return or unwind before `posted` is dropped; so nothing the job borrows ends
            // while the job lives.
            let job: Job<'static> = unsafe { std::mem::transmute::<Job<'a>, Job<'static>>(job) };
            *mailbox.job.lock().unwrap() = Some(job);
            *mailbox.caller.lock().unwrap() = Some(thread::current());
            mailbox.state.store(POSTED, Ordering::Release);
            handle.thread().unpark();
            posted.0.push(&**mailbox);
        }
        own();
        let panics = posted.wait();
        if let Some(payload) = panics.into_iter().next() {
            panic::resume_unwind(payload);
        }
    }
}

/// The mailboxes of the jobs [`Team::run`] posted.
struct Posted<'a>(Vec<&'a Mailbox>);

impl Posted<'_> {
    /// Waits until every posted job is done; their panics. A job its helper has not started
    /// yet (the helper is asleep, or its processor busy with another program) the caller runs
    /// itself: the caller never waits for a helper that is not working, so a team is never
    /// much slower than one thread. Nothing in it panics, and a mailbox leaves the list only
    /// once its job is done.
    fn wait(&mut self) -> Vec<Box<dyn Any + Send>> {
        let mut panics = Vec::new();
        while let Some(mailbox) = self.0.last() {
            if mailbox
                .state
                .compare_exchange(POSTED, RUNNING, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                let job = mailbox.job.lock().unwrap_or_else(|e| e.into_inner()).take();
                if let Some(job) = job {
                    panics.extend(panic::catch_unwind(AssertUnwindSafe(job)).err());
                }
                mailbox.caller.lock().unwrap_or_else(|e| e.into_inner()).take();
                mailbox.state.store(IDLE, Ordering::Release);
                self.0.pop();
                continue;
            }
            let start = Instant::now();
            while mailbox.state.load(Ordering::Acquire) != DONE {
                if start.elapsed() < SPIN {
                    std::hint::spin_loop();
                } else {
                    // woken by the helper once the job is done (or at once if it already was)
                    thread::park();
                }
            }
            mailbox.state.store(IDLE, Ordering::Relaxed);
            panics.extend(mailbox.panic.lock().unwrap_or_else(|e| e.into_inner()).take());
            self.0.pop();
        }
        panics
    }
}

impl Drop for Posted<'_> {
    fn drop(&mut self) {
        self.wait();
    }
}

/// A helper's loop: take and run what is posted (unless the caller took it first), spin for
/// at most [`SPIN`] after a job, then sleep until the next is posted.
fn serve(mailbox: &Mailbox) {
    let mut idle_since = Instant::now();
    loop {
        match mailbox.state.load(Ordering::Acquire) {
            POSTED
                if mailbox
                    .state
                    .compare_exchange(POSTED, RUNNING, Ordering::AcqRel, Ordering::Acquire)
                    .is_ok() =>
            {
                let job = mailbox.job.lock().unwrap().take();
                if let Some(job) = job {
                    if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(job)) {
                        *mailbox.panic.lock().unwrap() = Some(payload);
                    }
                }
                let caller = mailbox.caller.lock().unwrap().take();
                mailbox.state.store(DONE, Ordering::Release);
                if let Some(caller) = caller {
                    caller.unpark();
                }
                idle_since = Instant::now();
            }
            QUIT => return,
            _ if idle_since.elapsed() < SPIN => std::hint::spin_loop(),
            // woken by the next `run` (or `drop`), which unparks after posting
            _ => thread::park(),
        }
    }
}

impl Drop for Team {
    fn drop(&mut self) {
        for (mailbox, handle) in &self.helpers {
            mailbox.state.store(QUIT, Ordering::Release);
            handle.thread().unpark();
        }
        for (_, handle) in self.helpers.drain(..) {
            let _ = handle.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_borrow_from_the_caller_and_all_run() {
        let team = Team::new(3);
        let mut parts = vec![vec![0u64; 1000]; 3];
        for round in 1..=100u64 {
            let jobs: Vec<Job> = parts
                .iter_mut()
                .map(|part| -> Job { Box::new(move || part.iter_mut().for_each(|x| *x += round)) })
                .collect();
            team.run(jobs);
        }
        assert!(parts.iter().flatten().all(|&x| x == 5050));
    }

    #[test]
    fn a_team_of_one_runs_on_the_caller() {
        let team = Team::new(1);
        let mut ran = false;
        team.run(vec![Box::new(|| ran = true)]);
        assert!(ran);
    }

    #[test]
    fn a_helpers_panic_reaches_the_caller_after_every_job_ends() {
        let team = Team::new(2);
        let mut finished = false;
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            team.run(vec![
                Box::new(|| {
                    thread::sleep(Duration::from_millis(20));
                    finished = true;
                }),
                Box::new(|| panic!("in the helper")),
            ])
        }));
        let payload = result.expect_err("the helper's panic");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"in the helper"));
        assert!(finished);
        // and the team still works
        let mut ran = [false, false];
        let [a, b] = &mut ran;
        team.run(vec![Box::new(|| *a = true), Box::new(|| *b = true)]);
        assert_eq!(ran, [true, true]);
    }

    /// The caller's own job panics while the helper's still runs: `run` unwinds only after
    /// the helper's job has ended, so what it borrowed is still there when it writes.
    #[test]
    fn the_callers_panic_waits_for_the_helpers_job() {
        let team = Team::new(2);
        let mut finished = false;
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            team.run(vec![
                Box::new(|| panic!("in the caller")),
                Box::new(|| {
                    thread::sleep(Duration::from_millis(50));
                    finished = true;
                }),
            ])
        }));
        assert_eq!(result.expect_err("the caller's panic").downcast_ref(), Some(&"in the caller"));
        assert!(finished);
    }

    /// The processor time this thread has used, in clock ticks (user and system).
    #[cfg(target_os = "linux")]
    fn ticks_of_this_thread() -> u64 {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
        // the fields after the command's closing parenthesis; utime and stime are 14 and 15
        let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
        fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
    }

    /// A caller whose helper works for 400 ms sleeps through the wait: it spins for at most
    /// [`SPIN`], then parks until woken, so its processor goes to other programs. (Waiting by
    /// spinning or yielding costs the whole 400 ms, 40 ticks at Linux's usual 100 a second.)
    #[cfg(target_os = "linux")]
    #[test]
    fn a_waiting_caller_sleeps() {
        let team = Team::new(2);
        let before = ticks_of_this_thread();
        team.run(vec![Box::new(|| ()), Box::new(|| thread::sleep(Duration::from_millis(400)))]);
        let used = ticks_of_this_thread() - before;
        assert!(used <= 5, "the caller used {used} ticks while it waited 400 ms");
    }

    /// So does an idle helper, between two runs 400 ms apart.
    #[cfg(target_os = "linux")]
    #[test]
    fn an_idle_helper_sleeps() {
        let team = Team::new(2);
        let mut ticks = [0, 0];
        let [before, after] = &mut ticks;
        team.run(vec![Box::new(|| ()), Box::new(|| *before = ticks_of_this_thread())]);
        thread::sleep(Duration::from_millis(400));
        team.run(vec![Box::new(|| ()), Box::new(|| *after = ticks_of_this_thread())]);
        let used = ticks[1] - ticks[0];
        assert!(used <= 5, "the helper used {used} ticks while it idled 400 ms");
    }

    #[test]
    #[should_panic(expected = "Team::run: 3 jobs for 2 threads")]
    fn more_jobs_than_threads_panic() {
        Team::new(2).run(vec![Box::new(|| ()), Box::new(|| ()), Box::new(|| ())]);
    }
}
