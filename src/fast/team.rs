//! The thread team: `--fast` draws the next batch on a second thread while the first trains on
//! this one ([`super::trainer`]). A batch of `--fast` takes about 50 µs: a thread spawned per
//! batch costs about as much, and a sleeping thread (rayon's) takes about as long to wake, as
//! its virtual processor halts. So the helper of a [`Team`] spins briefly while it waits, then
//! sleeps ([`thread::park`]) until it is woken; the spin is bounded (`SPIN`, 50 µs), so that a team
//! on a machine it shares with other programs gives their time back, and a job the helper has
//! not started by the time the caller is done, the caller runs itself. It computes nothing, so
//! equals nothing of the book's: the trainer's tests show that 1 and 2 threads give the same
//! bytes, and the tests below that it waits without burning a processor.

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
/// the posted job taken, by the helper or, when the helper had not started it, by the caller
const RUNNING: u8 = 4;

/// How long a waiting thread spins before it sleeps: about the time between two jobs, and
/// short enough that a thread which waits in vain soon gives up its processor.
const SPIN: Duration = Duration::from_micros(50);

/// The helper's mailbox.
struct Mailbox {
    state: AtomicU8,
    /// the thread that posted the job, woken when it is done
    caller: Mutex<Option<thread::Thread>>,
    job: Mutex<Option<Job<'static>>>,
    panic: Mutex<Option<Box<dyn Any + Send>>>,
}

/// The calling thread and one helper, which run two jobs at once. Not `Sync`: two threads
/// running jobs on one team at once would post into the same mailbox, and one could return
/// before its job had run (a test checks that `Team` stays so).
pub struct Team {
    mailbox: Arc<Mailbox>,
    helper: Option<JoinHandle<()>>,
    not_sync: PhantomData<Cell<()>>,
}

impl Team {
    /// The caller of [`run`](Self::run), and a helper started now.
    ///
    /// # Panics
    /// If the thread cannot be started.
    pub fn start() -> Team {
        let mailbox = Arc::new(Mailbox {
            state: AtomicU8::new(IDLE),
            caller: Mutex::new(None),
            job: Mutex::new(None),
            panic: Mutex::new(None),
        });
        let theirs = Arc::clone(&mailbox);
        let helper = thread::Builder::new()
            .name("zerotsuku2-team".to_string())
            .spawn(move || serve(&theirs))
            .expect("a thread for the team");
        Team { mailbox, helper: Some(helper), not_sync: PhantomData }
    }

    /// Runs `own` on this thread and `other` on the helper at once, and returns when both
    /// have finished. Either may borrow from the caller.
    ///
    /// # Panics
    /// If a job panicked (after both have finished).
    pub fn run<'a>(&self, own: Job<'a>, other: Job<'a>) {
        // SAFETY: the job may borrow from the caller's frame for 'a. `Posted` waits, in its
        // drop, until the job has run and been dropped, and `run` does not return or unwind
        // before it is dropped; so nothing the job borrows ends while the job lives.
        let other: Job<'static> = unsafe { std::mem::transmute::<Job<'a>, Job<'static>>(other) };
        let mailbox = &*self.mailbox;
        *mailbox.job.lock().unwrap() = Some(other);
        *mailbox.caller.lock().unwrap() = Some(thread::current());
        mailbox.state.store(POSTED, Ordering::Release);
        self.helper.as_ref().expect("a helper until dropped").thread().unpark();
        // waits for the posted job when it is dropped, also when `own` panics
        let mut posted = Posted(Some(mailbox));
        own();
        if let Some(payload) = posted.wait() {
            panic::resume_unwind(payload);
        }
    }
}

/// The mailbox of the job [`Team::run`] posted, until it is done.
struct Posted<'a>(Option<&'a Mailbox>);

impl Posted<'_> {
    /// Waits until the posted job is done; its panic. If the helper has not started it yet
    /// (it is asleep, or its processor busy with another program), the caller runs it itself:
    /// the caller never waits for a helper that is not working, so a team is never much slower
    /// than one thread. Nothing in it panics.
    fn wait(&mut self) -> Option<Box<dyn Any + Send>> {
        let mailbox = self.0.take()?;
        if mailbox
            .state
            .compare_exchange(POSTED, RUNNING, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            let job = mailbox.job.lock().unwrap_or_else(|e| e.into_inner()).take();
            let panicked = job.and_then(|job| panic::catch_unwind(AssertUnwindSafe(job)).err());
            mailbox.caller.lock().unwrap_or_else(|e| e.into_inner()).take();
            mailbox.state.store(IDLE, Ordering::Release);
            return panicked;
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
        mailbox.panic.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

impl Drop for Posted<'_> {
    fn drop(&mut self) {
        self.wait();
    }
}

/// The helper's loop: take and run what is posted (unless the caller took it first), spin for
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
        self.mailbox.state.store(QUIT, Ordering::Release);
        if let Some(helper) = self.helper.take() {
            helper.thread().unpark();
            let _ = helper.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;

    /// Waits (by sleeping, for at most 5 s) until `flag` is set: so that a caller's job waits
    /// for the helper to start the other one, which it would otherwise run itself.
    fn until(flag: &AtomicBool) {
        let start = Instant::now();
        while !flag.load(Ordering::Acquire) {
            assert!(start.elapsed() < Duration::from_secs(5), "the helper never started");
            thread::sleep(Duration::from_millis(1));
        }
    }

    /// Whether this thread is the team's helper.
    fn on_the_helper() -> bool {
        thread::current().name() == Some("zerotsuku2-team")
    }

    #[test]
    fn jobs_borrow_from_the_caller_and_both_run() {
        let team = Team::start();
        let (mut mine, mut theirs) = (vec![0u64; 1000], vec![0u64; 1000]);
        for round in 1..=100u64 {
            let (a, b) = (&mut mine, &mut theirs);
            team.run(
                Box::new(move || a.iter_mut().for_each(|x| *x += round)),
                Box::new(move || b.iter_mut().for_each(|x| *x += 2 * round)),
            );
        }
        assert!(mine.iter().all(|&x| x == 5050) && theirs.iter().all(|&x| x == 10100));
    }

    /// The second job runs on the helper when it is there to take it, and on the caller when
    /// the caller is done first and the helper has not started it: either way it runs once.
    #[test]
    fn the_second_job_runs_on_the_helper_or_on_the_caller() {
        let team = Team::start();
        let (started, mut where_it_ran) = (AtomicBool::new(false), None);
        let ran = &mut where_it_ran;
        team.run(
            Box::new(|| until(&started)),
            Box::new(|| {
                started.store(true, Ordering::Release);
                *ran = Some(on_the_helper());
            }),
        );
        assert_eq!(where_it_ran, Some(true));
        let mut where_it_ran = None;
        let ran = &mut where_it_ran;
        // the helper asleep for 0.2 s (after this run's post, it wakes within the spin); a job
        // the caller finds unstarted when done, it runs itself
        team.run(Box::new(|| ()), Box::new(|| *ran = Some(on_the_helper())));
        assert!(where_it_ran.is_some());
    }

    #[test]
    fn a_helpers_panic_reaches_the_caller_after_both_jobs_end() {
        let team = Team::start();
        let (started, mut finished) = (AtomicBool::new(false), false);
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            team.run(
                Box::new(|| {
                    until(&started);
                    thread::sleep(Duration::from_millis(20));
                    finished = true;
                }),
                Box::new(|| {
                    started.store(true, Ordering::Release);
                    assert!(on_the_helper());
                    panic!("in the helper")
                }),
            )
        }));
        let payload = result.expect_err("the helper's panic");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"in the helper"));
        assert!(finished);
        // and the team still works
        let mut ran = [false, false];
        let [a, b] = &mut ran;
        team.run(Box::new(|| *a = true), Box::new(|| *b = true));
        assert_eq!(ran, [true, true]);
    }

    /// The caller's own job panics while the helper's still runs: `run` unwinds only after
    /// the helper's job has ended, so what it borrowed is still there when it writes.
    #[test]
    fn the_callers_panic_waits_for_the_helpers_job() {
        let team = Team::start();
        let (started, mut finished) = (AtomicBool::new(false), false);
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            team.run(
                Box::new(|| {
                    until(&started);
                    panic!("in the caller")
                }),
                Box::new(|| {
                    started.store(true, Ordering::Release);
                    assert!(on_the_helper());
                    thread::sleep(Duration::from_millis(50));
                    finished = true;
                }),
            )
        }));
        assert_eq!(result.expect_err("the caller's panic").downcast_ref(), Some(&"in the caller"));
        assert!(finished);
    }

    /// A team is not `Sync` (see [`Team`]). This does not compile if it were: for a `Sync`
    /// type both impls below apply and `Which<_>` cannot be inferred; for `Team` only the first
    /// does.
    #[test]
    fn a_team_is_not_shared_between_threads() {
        trait Which<T> {
            fn which() -> &'static str;
        }
        impl<T: ?Sized> Which<()> for T {
            fn which() -> &'static str {
                "not Sync"
            }
        }
        struct IfSync;
        impl<T: ?Sized + Sync> Which<IfSync> for T {
            fn which() -> &'static str {
                "Sync"
            }
        }
        assert_eq!(<Team as Which<_>>::which(), "not Sync");
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
        let team = Team::start();
        let started = AtomicBool::new(false);
        let mut used = 0;
        let caller = &mut used;
        team.run(
            Box::new(|| {
                until(&started);
                let before = ticks_of_this_thread();
                // the rest of the wait: inside `run`, after this job, measured below
                *caller = before;
            }),
            Box::new(|| {
                started.store(true, Ordering::Release);
                assert!(on_the_helper());
                thread::sleep(Duration::from_millis(400));
            }),
        );
        let used = ticks_of_this_thread() - used;
        assert!(used <= 5, "the caller used {used} ticks while it waited 400 ms");
    }

    /// So does an idle helper, between two runs 400 ms apart.
    #[cfg(target_os = "linux")]
    #[test]
    fn an_idle_helper_sleeps() {
        let team = Team::start();
        let mut ticks = [0, 0];
        for (round, ticks) in ticks.iter_mut().enumerate() {
            if round == 1 {
                thread::sleep(Duration::from_millis(400));
            }
            let started = AtomicBool::new(false);
            team.run(
                Box::new(|| until(&started)),
                Box::new(|| {
                    assert!(on_the_helper());
                    *ticks = ticks_of_this_thread();
                    started.store(true, Ordering::Release);
                }),
            );
        }
        let used = ticks[1] - ticks[0];
        assert!(used <= 5, "the helper used {used} ticks while it idled 400 ms");
    }
}
