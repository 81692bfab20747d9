//! The progress bar of a long training run: its rate and the time left, on stderr, in the
//! reader's language, and only when stderr is a terminal (never in a pipe, a file or a test).
//! Ctrl-C (or a SIGTERM) while it is drawn clears its line before the run ends, so that no
//! half-drawn bar is left above the shell's prompt.

use crate::page::lang::pick;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::io::{self, IsTerminal};
use std::time::Duration;

/// A bar to hand the engine's trainer ([`crate::fast::trainer::FastTrainer::showing`]), which
/// sets its length; hidden when stderr is not a terminal.
pub fn bar() -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    clear_on_interrupt();
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    // ASCII: block characters are of ambiguous width, two columns on some Japanese terminals
    let template = pick(
        "[{bar:30}] {pos}/{len} iterations, {rate} it/s, {left} left",
        "[{bar:30}] {pos}/{len} イテレーション、{rate} it/s、残り {left}",
    );
    bar.set_style(
        ProgressStyle::with_template(template)
            .expect("a valid template")
            .with_key("rate", |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}", state.per_sec());
            })
            .with_key("left", |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}", time_left(state.eta()));
            })
            .progress_chars("=> "),
    );
    bar
}

/// The time left as the reader says it: `1m 05s`, `1分05秒`.
fn time_left(eta: Duration) -> String {
    let seconds = eta.as_secs();
    match (seconds / 60, seconds % 60) {
        (0, s) => pick(format!("{s}s"), format!("{s}秒")),
        (m, s) => pick(format!("{m}m {s:02}s"), format!("{m}分{s:02}秒")),
    }
}

/// On SIGINT and SIGTERM, clears the terminal's line (where the bar is) and ends the run by the
/// signal, as it would have ended without the handler.
fn clear_on_interrupt() {
    #[cfg(unix)]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        /// Async-signal-safe: a write, then the default action again, raised.
        extern "C" fn clear_then_end(signal: libc::c_int) {
            const CLEAR: &[u8] = b"\r\x1b[2K";
            // SAFETY: write(2), signal(2) and raise(3) may be called in a signal handler; the
            // buffer is a static one of the length given
            unsafe {
                libc::write(libc::STDERR_FILENO, CLEAR.as_ptr().cast(), CLEAR.len());
                libc::signal(signal, libc::SIG_DFL);
                libc::raise(signal);
            }
        }
        ONCE.call_once(|| {
            let handler = clear_then_end as extern "C" fn(libc::c_int) as libc::sighandler_t;
            // SAFETY: the handler above does only what a signal handler may do
            unsafe {
                libc::signal(libc::SIGINT, handler);
                libc::signal(libc::SIGTERM, handler);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::lang::{in_lang, Lang};

    #[test]
    fn the_time_left_in_each_language() {
        assert_eq!(time_left(Duration::from_secs(65)), "1m 05s");
        assert_eq!(time_left(Duration::from_secs(9)), "9s");
        in_lang(Lang::Ja, || assert_eq!(time_left(Duration::from_secs(65)), "1分05秒"));
    }
}
