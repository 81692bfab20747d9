//! The progress bar of a long training run: its rate and the time left, on stderr, and only
//! when stderr is a terminal (never in a pipe, a file or a test).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::io::{self, IsTerminal};

/// A bar to hand the engine's trainer ([`crate::fast::trainer::FastTrainer::showing`]), which
/// sets its length; hidden when stderr is not a terminal.
pub fn bar() -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    // ASCII: block characters are of ambiguous width, two columns on some Japanese terminals
    bar.set_style(
        ProgressStyle::with_template("[{bar:30}] {pos}/{len} iterations, {rate} it/s, {eta} left")
            .expect("a valid template")
            .with_key("rate", |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}", state.per_sec());
            })
            .progress_chars("=> "),
    );
    bar
}
