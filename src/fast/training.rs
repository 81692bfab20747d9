//! Beyond the book: the book's training loop (`common/trainer.py`, mirrored in
//! [`crate::common::trainer`]) run faster, in one of two [`Mode`]s: Adam on only the batch's rows, the
//! book's arithmetic to float32 rounding; or word2vec's own SGD. The batches are drawn as the
//! book's `Trainer.fit` draws them, in one loop over the run's batches so that `--fast` can draw
//! the next batch on a second thread.

use crate::ch04::negative_sampling_layer::UnigramSampler;
use crate::fast::adam::RowAdam;
use crate::fast::cbow::{draw_negatives, RowCBOW};
use crate::fast::prefetch;
use crate::fast::skip_gram::{skip_gram_negatives, RowSkipGram};
use crate::fast::team::Team;
use crate::fast::word2vec::{Examples, Sgd, Windows};
use crate::fast::AliasSampler;
use crate::np::random::RandomState;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2};
use std::io::{self, IsTerminal, Write};
use std::time::Instant;

/// How a [`FastTrainer`] steps the weights.
#[derive(Clone, Copy, Debug)]
pub enum Mode {
    /// the book's Adam on only the rows the batch reads, the others' zero-gradient steps
    /// replayed when they are next read ([`RowAdam::update_rows`]): the book's arithmetic to
    /// float32 rounding
    AdamRows,
    /// word2vec's SGD, target by target (`--fast`), with the next batch drawn on a second
    /// thread when the optimizer has more than one
    Word2vec(Sgd),
}

/// Which way a model predicts: CBOW the target from its contexts, skip-gram the contexts from
/// the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Architecture {
    Cbow,
    SkipGram,
}

/// A model the engine trains: the book's CBOW or SkipGram taken over ([`RowCBOW`],
/// [`RowSkipGram`]), its `forward` and `backward` on only the batch's rows.
pub trait RowModel {
    const ARCHITECTURE: Architecture;
    /// `[W_in, W_out]`, and apart from them the book's sampler and the alias table
    fn parts(&mut self) -> (&mut [Array2<f32>; 2], (&UnigramSampler, &AliasSampler));
    /// the forward with the negatives given, as [`Batches`] draws them for the model
    fn forward_with(
        &mut self,
        contexts: ArrayView2<'_, usize>,
        target: ArrayView1<'_, usize>,
        negative_sample: Array2<usize>,
    ) -> f32;
    /// the backward into one gradient row for each of the batch's rows ([`batch_rows`])
    fn backward_rows(&mut self, dout: f32, rows: [&[usize]; 2], grads: &mut [Array2<f32>; 2]);
}

/// `RowModel` for each engine model: its architecture, and where its alias table is (beside
/// its `params` and its book's `sampler`).
macro_rules! row_model {
    ($($model:ident: $architecture:ident, ($($alias:tt)+));*) => {$(
        impl RowModel for $model {
            const ARCHITECTURE: Architecture = Architecture::$architecture;
            fn parts(&mut self) -> (&mut [Array2<f32>; 2], (&UnigramSampler, &AliasSampler)) {
                (&mut self.params, (&self.sampler, &self.$($alias)+))
            }
            fn forward_with(
                &mut self,
                contexts: ArrayView2<'_, usize>,
                target: ArrayView1<'_, usize>,
                negative_sample: Array2<usize>,
            ) -> f32 {
                $model::forward_with(self, contexts, target, negative_sample)
            }
            fn backward_rows(
                &mut self,
                dout: f32,
                rows: [&[usize]; 2],
                grads: &mut [Array2<f32>; 2],
            ) {
                $model::backward_rows(self, dout, rows, grads)
            }
        }
    )*};
}
row_model!(RowCBOW: Cbow, (ns_loss.sampler); RowSkipGram: SkipGram, (loss_layers[0].sampler));

/// The book's `Trainer` (shuffle each epoch; each batch's forward, backward and update; the
/// mean loss every `eval_interval` iterations) on a [`RowModel`], in a [`Mode`].
pub struct FastTrainer<M = RowCBOW> {
    pub model: M,
    pub optimizer: RowAdam,
    pub mode: Mode,
    /// the mean losses printed, one per `eval_interval` iterations
    pub loss_list: Vec<f64>,
    /// every iteration's loss
    pub losses: Vec<f32>,
    pub eval_interval: usize,
    pub current_epoch: usize,
    /// stop after this many iterations in all (`--max-iters`)
    pub stop_after: Option<usize>,
}

impl<M: RowModel> FastTrainer<M> {
    pub fn new(model: M, optimizer: RowAdam, mode: Mode) -> Self {
        FastTrainer {
            model,
            optimizer,
            mode,
            loss_list: Vec::new(),
            losses: Vec::new(),
            eval_interval: 20,
            current_epoch: 0,
            stop_after: None,
        }
    }

    /// `trainer.fit(x, t, max_epoch, batch_size)`, printing the book's lines into `out`
    /// (`| epoch 1 |  iter 1 / 9295 | time 0[s] | loss 4.16`), and a progress bar on stderr
    /// when stderr is a terminal.
    ///
    /// The book's two loops, over the epochs and over each epoch's batches, are one loop here
    /// over the run's batches (`done`; `iters = done % max_iters`), each drawn by `Batches`
    /// in the book's order (the shuffle at an epoch's start), so that `--fast` can draw the
    /// next batch on a second thread.
    ///
    /// # Panics
    /// If `x` and `t` differ in length, or `batch_size` or `eval_interval` is 0.
    pub fn fit(
        &mut self,
        out: &mut dyn Write,
        x: &Array2<usize>,
        t: &Array1<usize>,
        max_epoch: usize,
        batch_size: usize,
        rng: &mut RandomState,
    ) -> io::Result<()> {
        assert_eq!(
            x.nrows(),
            t.len(),
            "FastTrainer::fit: x has {} rows but t has {}",
            x.nrows(),
            t.len()
        );
        assert!(batch_size > 0, "FastTrainer::fit: batch_size is 0");
        assert!(self.eval_interval > 0, "FastTrainer::fit: eval_interval is 0");
        // data_size = len(x); max_iters = data_size // batch_size
        let data_size = x.nrows();
        let max_iters = data_size / batch_size;
        let eval_interval = self.eval_interval;
        let mut batches = Batches {
            x,
            t,
            batch_size,
            max_iters,
            order: (0..data_size).collect(),
            architecture: M::ARCHITECTURE,
            windows: match self.mode {
                Mode::Word2vec(sgd) => Some(sgd.windows),
                Mode::AdamRows => None,
            },
        };
        // total_loss = 0; loss_count = 0
        let mut total_loss = 0.0f32;
        let mut loss_count = 0;

        let planned =
            max_epoch.saturating_mul(max_iters).min(self.stop_after.unwrap_or(usize::MAX));
        if max_iters == 0 && self.stop_after != Some(0) {
            // epochs without a whole batch, which only shuffle
            for _epoch in 0..max_epoch {
                batches.shuffle(rng);
            }
            self.current_epoch += max_epoch;
        }
        let progress = progress_bar(planned as u64);
        let mut batch_rows_of = [Vec::new(), Vec::new()];
        let mut row_grads = [Array2::zeros((0, 0)), Array2::zeros((0, 0))];
        // word2vec's steps on this thread while a second draws the next batch
        let team = (matches!(self.mode, Mode::Word2vec(_)) && self.optimizer.threads > 1)
            .then(|| Team::new(2));
        let start_time = Instant::now();
        let mut failed = None;
        let mut next = (planned > 0).then(|| batches.draw_with(0, rng, self.model.parts().1));
        // for epoch in range(max_epoch): ... for iters in range(max_iters):
        for done in 0..planned {
            let DrawnBatch { x: batch_x, t: batch_t, spans, negative_sample } =
                next.take().expect("each batch drawn before its turn");
            let (batch_x, batch_t) = (batch_x.view(), batch_t.view());
            let iters = done % max_iters;
            let more = done + 1 < planned;

            // 勾配を求め、パラメータを更新
            let loss = match self.mode {
                // the book's step on only the rows the batch reads
                Mode::AdamRows => {
                    let (input, output) = match M::ARCHITECTURE {
                        Architecture::Cbow => (batch_x, batch_t.insert_axis(ndarray::Axis(1))),
                        Architecture::SkipGram => (batch_t.insert_axis(ndarray::Axis(1)), batch_x),
                    };
                    batch_rows(&mut batch_rows_of, input, output, &negative_sample);
                    let [rows_in, rows_out] = &batch_rows_of;
                    let rows = [rows_in.as_slice(), rows_out.as_slice()];
                    self.optimizer.replay_rows(self.model.parts().0, &rows);
                    let loss = self.model.forward_with(batch_x, batch_t, negative_sample);
                    // model.backward(), one gradient row for each of the batch's rows
                    self.model.backward_rows(1.0, rows, &mut row_grads);
                    self.optimizer.update_rows(self.model.parts().0, &row_grads, &rows);
                    loss
                }
                // beyond the book: word2vec's updates, target by target
                Mode::Word2vec(sgd) => {
                    let rate = sgd.rate(done, planned);
                    let (params, samplers) = self.model.parts();
                    let examples = Examples {
                        architecture: M::ARCHITECTURE,
                        contexts: batch_x,
                        target: batch_t,
                        spans: &spans,
                        negative_sample: &negative_sample,
                    };
                    let mut step = || sgd.step(params, &examples, rate);
                    match &team {
                        // the next batch drawn meanwhile, from the same generator in the
                        // same order: the same draws and steps for any number of threads
                        Some(team) if more => {
                            let mut loss = 0.0;
                            let (batches, rng, next) = (&mut batches, &mut *rng, &mut next);
                            team.run(vec![
                                Box::new(|| loss = step()),
                                Box::new(move || {
                                    *next = Some(batches.draw_with(done + 1, rng, samplers))
                                }),
                            ]);
                            loss
                        }
                        _ => step(),
                    }
                }
            };
            total_loss += loss;
            loss_count += 1;
            self.losses.push(loss);
            progress.inc(1);

            // 評価
            if iters.is_multiple_of(eval_interval) {
                let avg_loss = total_loss / loss_count as f32;
                let elapsed_time = start_time.elapsed().as_secs();
                let line = format!(
                    "| epoch {} |  iter {} / {} | time {}[s] | loss {:.2}",
                    self.current_epoch + 1,
                    iters + 1,
                    max_iters,
                    elapsed_time,
                    avg_loss as f64
                );
                // each line as it comes, as Python's print does on a terminal
                let written =
                    progress.suspend(|| writeln!(out, "{line}").and_then(|()| out.flush()));
                if let Err(e) = written {
                    failed = Some(e);
                    break;
                }
                self.loss_list.push(avg_loss as f64);
                (total_loss, loss_count) = (0.0, 0);
            }
            if iters + 1 == max_iters {
                self.current_epoch += 1;
            }
            if more && next.is_none() {
                next = Some(batches.draw_with(done + 1, rng, self.model.parts().1));
            }
        }
        progress.finish_and_clear();
        // the rows RowAdam left behind, brought up to date also when the output failed
        self.optimizer.replay_all(self.model.parts().0);
        failed.map_or(Ok(()), Err)
    }

    /// `trainer.plot()`, as [`Trainer::plot`](crate::common::trainer::Trainer::plot) draws it.
    ///
    /// # Errors
    /// `cannot write PATH: REASON`; the file is then as it was.
    pub fn plot(&self, path: &std::path::Path) -> Result<(), String> {
        let svg = crate::common::trainer::loss_svg(&self.loss_list, self.eval_interval);
        crate::page::files::write_whole(path, svg.as_bytes())
    }
}

/// The batches of a run in the book's order: each epoch's shuffle, then each batch's rows of
/// `x` and `t` and its negatives, all drawn from the one generator.
struct Batches<'a> {
    x: &'a Array2<usize>,
    t: &'a Array1<usize>,
    batch_size: usize,
    max_iters: usize,
    /// x and t as the book's `x = x[idx]` leaves them, kept as the rows they came from
    order: Vec<usize>,
    /// how the model draws its negatives: for each target, or for each context column
    architecture: Architecture,
    /// word2vec's windows, drawn for each target (`--fast`)
    windows: Option<Windows>,
}

/// One batch: `batch_x`, `batch_t`, its negatives, and for word2vec the part of each window
/// each target uses (see [`Examples::spans`]; empty for Adam's mode).
struct DrawnBatch {
    x: Array2<usize>,
    t: Array1<usize>,
    spans: Vec<[u8; 2]>,
    negative_sample: Array2<usize>,
}

impl Batches<'_> {
    /// An epoch's shuffle.
    fn shuffle(&mut self, rng: &mut RandomState) {
        // シャッフル
        // idx = numpy.random.permutation(numpy.arange(data_size))
        let idx = rng.permutation(self.order.len());
        // x = x[idx]; t = t[idx]: the rows in that order, without copying them
        self.order = idx.iter().map(|&i| self.order[i]).collect();
    }

    /// Batch `done` of the run, its negatives drawn with the model's samplers as the model
    /// draws them ([`RowCBOW::negatives`], [`RowSkipGram::negatives`]).
    fn draw_with(
        &mut self,
        done: usize,
        rng: &mut RandomState,
        (book, alias): (&UnigramSampler, &AliasSampler),
    ) -> DrawnBatch {
        let (iters, batch_size, x, t) = (done % self.max_iters, self.batch_size, self.x, self.t);
        if iters == 0 {
            self.shuffle(rng);
        }
        // batch_x = x[iters*batch_size:(iters+1)*batch_size]
        let rows = &self.order[iters * batch_size..(iters + 1) * batch_size];
        // (as x.select(Axis(0), rows), which costs here a tenth of --fast's time): each row
        // copied whole from x's storage
        let width = x.ncols();
        let batch_x = match x.as_slice() {
            Some(all) => {
                let mut copied = Vec::with_capacity(batch_size * width);
                for &row in rows {
                    copied.extend_from_slice(&all[row * width..(row + 1) * width]);
                }
                Array2::from_shape_vec((batch_size, width), copied).expect("batch_size rows")
            }
            None => Array2::from_shape_fn((batch_size, width), |(i, j)| x[[rows[i], j]]),
        };
        let batch_t: Array1<usize> = rows.iter().map(|&row| t[row]).collect();
        // the next batch's rows, scattered over x's 74 MB, asked for while this one runs
        if let (Some(next), Some(x)) =
            (self.order.get((iters + 1) * batch_size..(iters + 2) * batch_size), x.as_slice())
        {
            for &row in next {
                prefetch(&x[row * batch_x.ncols()..(row + 1) * batch_x.ncols()]);
                prefetch(std::slice::from_ref(&t[row]));
            }
        }
        let (spans, negative_sample) = match (self.windows, self.architecture) {
            (Some(windows), architecture) => {
                windows.draw(architecture, (book, alias), batch_x.view(), batch_t.view(), rng)
            }
            (None, Architecture::Cbow) => {
                (Vec::new(), draw_negatives(book, alias, batch_t.view(), rng))
            }
            (None, Architecture::SkipGram) => {
                (Vec::new(), skip_gram_negatives(book, alias, batch_x.view(), rng))
            }
        };
        DrawnBatch { x: batch_x, t: batch_t, spans, negative_sample }
    }
}

/// The rows a batch reads, sorted and without repeats, into `rows`' storage: `W_in`'s (the
/// ids read in, CBOW's contexts or skip-gram's targets) and `W_out`'s (the ids scored, and their
/// negatives). `RowAdam::update_rows` steps these.
pub fn batch_rows(
    rows: &mut [Vec<usize>; 2],
    input: ArrayView2<'_, usize>,
    output: ArrayView2<'_, usize>,
    negative_sample: &Array2<usize>,
) {
    let distinct = |into: &mut Vec<usize>, ids: &mut dyn Iterator<Item = &usize>| {
        into.clear();
        into.extend(ids);
        into.sort_unstable();
        into.dedup();
    };
    let [rows_in, rows_out] = rows;
    distinct(rows_in, &mut input.iter());
    distinct(rows_out, &mut output.iter().chain(negative_sample));
}

/// A bar with the rate and the time left, drawn on stderr only when stderr is a terminal:
/// never in a pipe, a file or a test.
fn progress_bar(len: u64) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ch04::cbow::CBOW;
    use crate::ch04::skip_gram::SkipGram;
    use crate::chapter_tests::{f32_hex, golden, redact_timings};
    use crate::common::optimizer::Adam;
    use crate::common::trainer::{Model, Trainer};
    use crate::common::util::create_contexts_target;
    use crate::dataset::ptb::{load_data, sotu_train};
    use crate::np::random::Seed;

    /// What `chapters/golden/train_book.py` recorded of the book's own `train.py` for one seed:
    /// its header, printed lines, every iteration's loss, and for seed 0 the final weights.
    #[derive(Default)]
    struct BookRun {
        header: String,
        lines: String,
        losses: Vec<f32>,
        word_vecs: Vec<f32>,
        w_out: Vec<f32>,
    }

    fn book_runs(file: &str) -> Vec<(u32, BookRun)> {
        let text = golden(&format!("chapters/golden/{file}"));
        let mut runs = Vec::new();
        let mut lines = text.lines().filter(|l| !l.starts_with('#'));
        while let Some(header) = lines.next() {
            let seed = header.strip_prefix("seed ").expect("a seed line").parse().unwrap();
            let mut run =
                BookRun { header: lines.next().unwrap().to_string(), ..BookRun::default() };
            let mut into = "";
            for line in lines.by_ref() {
                match line {
                    "end" => break,
                    "losses" | "word_vecs" | "w_out" => into = line,
                    _ if line.starts_with("| epoch") => run.lines += &format!("{line}\n"),
                    _ if line.starts_with("sha256") || line.starts_with("loss_dtype") => {}
                    _ => match into {
                        "losses" => {
                            run.losses = line.split(' ').map(|l| l.parse().unwrap()).collect()
                        }
                        "word_vecs" => run.word_vecs.extend(f32_hex(line)),
                        "w_out" => run.w_out.extend(f32_hex(line)),
                        _ => panic!("unexpected line {line:?}"),
                    },
                }
            }
            runs.push((seed, run));
        }
        runs
    }

    /// The largest difference relative to the book's value (or to 0.01 for smaller values).
    fn worst(ours: &[f32], theirs: &[f32]) -> f32 {
        assert_eq!(ours.len(), theirs.len());
        ours.iter().zip(theirs).map(|(a, b)| (a - b).abs() / b.abs().max(1e-2)).fold(0f32, f32::max)
    }

    /// The book's `train.py` on the first 100 lines of the shipped corpus, 10 epochs of 28
    /// iterations, under `np.random.seed(S)`, by the default and by the book's loop as written
    /// (`dense`): the same draws, the same printed lines, every iteration's loss and the
    /// weights equal up to float32 rounding (numpy's exp and log are not always rounded as
    /// Rust's are, it sums some terms in another order, and its sigmoid backward runs in
    /// float64; the default also replays Adam's skipped steps at once and steps in float32).
    #[test]
    fn trains_as_the_books_own_code_under_its_seed() {
        // measured: the losses 1.9e-7 at most; the default's W_in and W_out 5.0e-6 and 4.9e-6
        // (as float16, what the pickle saves, 24 and 33 of their 91,000 values differ), the
        // book's loop's 6.1e-6 and 3.1e-6 (9 and 11)
        trains_as_the_books_own_code(
            ("train_book.txt", 1e-5),
            |corpus, v, rng| CBOW::new(v, 100, 5, corpus, rng),
            |corpus, v, rng| RowCBOW::from_book(CBOW::new(v, 100, 5, corpus, rng)),
        );
    }

    /// As [`trains_as_the_books_own_code_under_its_seed`], with the book's `SkipGram`: the
    /// commented line of its `train.py`.
    #[test]
    fn trains_the_books_skip_gram_as_its_own_code() {
        // measured: the losses 1.9e-7 at most; the default's W_in and W_out 4.5e-6 and 1.1e-5,
        // the book's loop's 5.5e-6 and 1.4e-5. W_out gains 10 layers' gradients: the book's
        // remove_duplicate adds the layers' whole (V, H) gradients one after another, where
        // ours adds each row as it comes, which rounds otherwise
        trains_as_the_books_own_code(
            ("train_book_skip_gram.txt", 3e-5),
            |corpus, v, rng| SkipGram::new(v, 100, 5, corpus, rng),
            |corpus, v, rng| RowSkipGram::from_book(SkipGram::new(v, 100, 5, corpus, rng)),
        );
    }

    /// The run `file` recorded, by the mirror (`Trainer` on the model `mirror` makes) and by the
    /// engine's default (`FastTrainer` on `engine`'s model), each under `np.random.seed(S)`:
    /// the same lines, the losses within 1e-6 and the weights within `bound` (relative).
    fn trains_as_the_books_own_code<M: Model, E: RowModel>(
        (file, bound): (&str, f32),
        mirror: impl Fn(ArrayView1<'_, usize>, usize, &mut RandomState) -> M,
        engine: impl Fn(ArrayView1<'_, usize>, usize, &mut RandomState) -> E,
    ) {
        let text: String = sotu_train().split_inclusive('\n').take(100).collect();
        let corpus = load_data(&text);
        let vocab_size = corpus.id_to_word.len();
        let (contexts, target) = create_contexts_target(&corpus.corpus, 5);
        let runs = book_runs(file);
        assert_eq!(runs.iter().map(|(seed, _)| *seed).collect::<Vec<_>>(), [0, 1]);
        for (seed, book) in runs {
            assert_eq!(
                book.header,
                format!(
                    "vocab {vocab_size} tokens {} iters_per_epoch {}",
                    corpus.corpus.len(),
                    contexts.nrows() / 100
                )
            );
            // the book's loop as written (the mirror), and the default (AdamRows)
            for mode in ["the book's loop", "AdamRows"] {
                let mut rng = RandomState::new(Seed::Numpy(seed));
                let mut out = Vec::new();
                let (losses, w_in, w_out) = if mode == "AdamRows" {
                    let model = engine(corpus.corpus.view(), vocab_size, &mut rng);
                    let mut trainer = FastTrainer::new(model, RowAdam::default(), Mode::AdamRows);
                    trainer.fit(&mut out, &contexts, &target, 10, 100, &mut rng).unwrap();
                    let [w_in, w_out] = std::mem::take(trainer.model.parts().0);
                    (trainer.losses, w_in, w_out)
                } else {
                    let model = mirror(corpus.corpus.view(), vocab_size, &mut rng);
                    let mut trainer = Trainer::new(model, Adam::default());
                    trainer.fit(&mut out, &contexts, &target, 10, 100, &mut rng).unwrap();
                    let ([w_in, w_out], _) = trainer.model.params_and_grads();
                    (trainer.losses, std::mem::take(w_in), std::mem::take(w_out))
                };
                let printed = String::from_utf8(out).unwrap();
                let run = format!("{file}, seed {seed}, {mode}");
                assert_eq!(redact_timings(&printed), redact_timings(&book.lines), "{run}");
                let losses = worst(&losses, &book.losses);
                assert!(losses < 1e-6, "{run}: a loss differs by {losses:e} (relative)");
                if seed == 0 {
                    for (name, ours, theirs) in
                        [("W_in", &w_in, &book.word_vecs), ("W_out", &w_out, &book.w_out)]
                    {
                        let worst = worst(ours.as_slice().unwrap(), theirs);
                        assert!(worst < bound, "{run}: {name} differs by {worst:e} (relative)");
                    }
                }
            }
        }
    }

    /// A trainer of hidden size `hidden` on the first 100 lines of the shipped corpus, window 5,
    /// with its contexts, targets and generator.
    fn small(hidden: usize) -> (FastTrainer, Array2<usize>, Array1<usize>, RandomState) {
        small_of(|v, corpus, rng| RowCBOW::from_book(CBOW::new(v, hidden, 5, corpus, rng)))
    }

    /// [`small`] with the model `make` makes of `(vocab_size, corpus, rng)`.
    fn small_of<M: RowModel>(
        make: impl Fn(usize, ArrayView1<'_, usize>, &mut RandomState) -> M,
    ) -> (FastTrainer<M>, Array2<usize>, Array1<usize>, RandomState) {
        let text: String = sotu_train().split_inclusive('\n').take(100).collect();
        let corpus = load_data(&text);
        let (contexts, target) = create_contexts_target(&corpus.corpus, 5);
        let mut rng = RandomState::default();
        let model = make(corpus.id_to_word.len(), corpus.corpus.view(), &mut rng);
        (FastTrainer::new(model, RowAdam::default(), Mode::AdamRows), contexts, target, rng)
    }

    /// [`small`] on the book's SkipGram.
    fn small_skip_gram(
        hidden: usize,
    ) -> (FastTrainer<RowSkipGram>, Array2<usize>, Array1<usize>, RandomState) {
        small_of(|v, corpus, rng| RowSkipGram::from_book(SkipGram::new(v, hidden, 5, corpus, rng)))
    }

    /// The default (only the batch's rows stepped, the rest replayed) against the book's loop
    /// as written (the mirror: every row stepped every iteration), 15 epochs of 28 iterations,
    /// longer than a row may wait unreplayed, with the book's draws (`np.random.seed(3)`): the
    /// same losses and weights to float32 rounding; and 1, 2 and 3 threads give the same bits.
    #[test]
    fn stepping_only_the_batchs_rows_trains_as_the_books_loop() {
        let text: String = sotu_train().split_inclusive('\n').take(100).collect();
        let corpus = load_data(&text);
        let (contexts, target) = create_contexts_target(&corpus.corpus, 5);
        let vocab_size = corpus.id_to_word.len();
        let rows = |threads: usize| {
            let mut rng = RandomState::new(Seed::Numpy(3));
            let model =
                RowCBOW::from_book(CBOW::new(vocab_size, 100, 5, corpus.corpus.view(), &mut rng));
            let mut trainer = FastTrainer::new(model, RowAdam::default(), Mode::AdamRows);
            trainer.optimizer.threads = threads;
            trainer.fit(&mut Vec::new(), &contexts, &target, 15, 100, &mut rng).unwrap();
            trainer
        };
        let mut rng = RandomState::new(Seed::Numpy(3));
        let model = CBOW::new(vocab_size, 100, 5, corpus.corpus.view(), &mut rng);
        let mut book = Trainer::new(model, Adam::default());
        book.fit(&mut Vec::new(), &contexts, &target, 15, 100, &mut rng).unwrap();
        let sparse = rows(1);
        assert_eq!(sparse.losses.len(), 420);
        let losses = worst(&sparse.losses, &book.losses);
        let ([w_in, w_out], _) = book.model.params_and_grads();
        let [w_in, w_out] = [(0, &*w_in), (1, &*w_out)]
            .map(|(i, w)| worst(sparse.model.params[i].as_slice().unwrap(), w.as_slice().unwrap()));
        // measured: 1.9e-7 for the losses, 4.3e-6 and 2.6e-6 for W_in and W_out
        assert!(losses < 1e-6 && w_in < 1e-5 && w_out < 1e-5, "{losses:e} {w_in:e} {w_out:e}");
        for threads in [2, 3] {
            let other = rows(threads);
            assert_eq!(other.losses, sparse.losses, "{threads} threads");
            assert_eq!(other.model.params, sparse.model.params, "{threads} threads");
        }
    }

    /// `--fast`: word2vec's SGD through the same loop learns too (its own math is tested in
    /// `word2vec`), and touches neither RowAdam nor the model's backward.
    #[test]
    fn word2vecs_sgd_learns_in_the_same_loop() {
        let (mut trainer, contexts, target, mut rng) = small(100);
        trainer.mode = Mode::Word2vec(Sgd::default());
        trainer.fit(&mut Vec::new(), &contexts, &target, 10, 100, &mut rng).unwrap();
        let first = trainer.losses[..28].iter().sum::<f32>() / 28.0;
        let last = trainer.losses[trainer.losses.len() - 28..].iter().sum::<f32>() / 28.0;
        assert!(last < 0.8 * first, "{first} -> {last}");
        assert_eq!(trainer.optimizer.book.iter, 0);
    }

    /// `--fast`'s skip-gram learns in the same loop too.
    #[test]
    fn word2vecs_skip_gram_learns_in_the_same_loop() {
        let (mut trainer, contexts, target, mut rng) = small_skip_gram(100);
        trainer.mode = Mode::Word2vec(Sgd::default());
        trainer.fit(&mut Vec::new(), &contexts, &target, 10, 100, &mut rng).unwrap();
        let first = trainer.losses[..28].iter().sum::<f32>() / 28.0;
        let last = trainer.losses[trainer.losses.len() - 28..].iter().sum::<f32>() / 28.0;
        assert!(last < 0.8 * first, "{first} -> {last}");
    }

    /// `--fast` on two threads draws the next batch on the second while the first steps: the
    /// same draws in the same order, so the same losses, weights, printed lines, epochs and
    /// generator state after the run as on one thread, also when the run stops inside an
    /// epoch or at an epoch's end; for CBOW and skip-gram.
    #[test]
    fn drawing_the_next_batch_on_a_second_thread_changes_nothing() {
        for (stop_after, skip_gram) in
            [(None, false), (Some(45), false), (Some(56), false), (Some(45), true)]
        {
            let run = |threads: usize| {
                if skip_gram {
                    let (trainer, contexts, target, mut rng) = small_skip_gram(20);
                    return run_fast(trainer, threads, stop_after, &contexts, &target, &mut rng);
                }
                let (trainer, contexts, target, mut rng) = small(20);
                run_fast(trainer, threads, stop_after, &contexts, &target, &mut rng)
            };
            let one = run(1);
            assert_eq!(one.0.len(), stop_after.unwrap_or(3 * 28));
            assert_eq!(one.3, stop_after.unwrap_or(3 * 28) / 28);
            assert_eq!(one.4.len(), one.0.len().div_ceil(20).max(one.3 * 2));
            assert_eq!(run(2), one, "{stop_after:?}, skip-gram {skip_gram}");
        }
    }

    type FastRun = (Vec<f32>, [Array2<f32>; 2], u32, usize, Vec<String>);

    /// 3 epochs of `--fast` on `threads`: the losses, weights, generator's next draw, epochs
    /// and printed lines without their times.
    fn run_fast<M: RowModel>(
        mut trainer: FastTrainer<M>,
        threads: usize,
        stop_after: Option<usize>,
        contexts: &Array2<usize>,
        target: &Array1<usize>,
        rng: &mut RandomState,
    ) -> FastRun {
        trainer.mode = Mode::Word2vec(Sgd::default());
        trainer.optimizer.threads = threads;
        trainer.stop_after = stop_after;
        let mut out = Vec::new();
        trainer.fit(&mut out, contexts, target, 3, 100, rng).unwrap();
        let out = String::from_utf8(out).unwrap();
        // each line without its time
        let without_time = |line: &str| {
            line.split(" | ").filter(|f| !f.starts_with("time ")).collect::<Vec<_>>().join(" | ")
        };
        let out: Vec<String> = out.lines().map(without_time).collect();
        let params = trainer.model.parts().0.clone();
        (trainer.losses, params, rng.next_u32(), trainer.current_epoch, out)
    }

    /// Fewer examples than a batch: the book's epochs only shuffle, and count.
    #[test]
    fn epochs_without_a_whole_batch_only_shuffle() {
        let (mut trainer, contexts, target, mut rng) = small(10);
        let (_, _, _, mut shuffled) = small(10);
        let mut out = Vec::new();
        trainer.fit(&mut out, &contexts, &target, 2, contexts.nrows() + 1, &mut rng).unwrap();
        assert_eq!((trainer.current_epoch, trainer.losses.len(), out.len()), (2, 0, 0));
        for _epoch in 0..2 {
            shuffled.permutation(contexts.nrows());
        }
        assert_eq!(rng.next_u32(), shuffled.next_u32());
    }

    /// The book's loop ends with `current_epoch == max_epoch`; a stop at an epoch's end is
    /// that epoch's end; a stop at 0 runs nothing.
    #[test]
    fn epochs_are_counted_as_the_books_trainer_counts_them() {
        for (stop_after, epochs, iterations) in [(None, 2, 56), (Some(28), 1, 28), (Some(0), 0, 0)]
        {
            let (mut trainer, contexts, target, mut rng) = small(10);
            trainer.stop_after = stop_after;
            let mut out = Vec::new();
            trainer.fit(&mut out, &contexts, &target, 2, 100, &mut rng).unwrap();
            assert_eq!((trainer.current_epoch, trainer.losses.len()), (epochs, iterations));
            let lines = String::from_utf8(out).unwrap().lines().count();
            assert_eq!(lines, iterations.div_ceil(20).max(epochs * 2), "{stop_after:?}");
        }
    }

    /// A writer that fails at the second printed line (iteration 21): `fit` returns the error,
    /// and the weights are what 21 iterations leave, every row brought up to date.
    #[test]
    fn a_failed_output_still_brings_every_row_up_to_date() {
        struct FailsAt(usize);
        impl Write for FailsAt {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                self.0 -= buf.iter().filter(|&&b| b == b'\n').count().min(self.0);
                match self.0 {
                    0 => Err(io::Error::other("full")),
                    _ => Ok(buf.len()),
                }
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let (mut failing, contexts, target, mut rng) = small(10);
        let error = failing.fit(&mut FailsAt(2), &contexts, &target, 2, 100, &mut rng);
        assert_eq!(error.unwrap_err().to_string(), "full");
        let (mut stopped, contexts, target, mut rng) = small(10);
        stopped.stop_after = Some(21);
        stopped.fit(&mut Vec::new(), &contexts, &target, 2, 100, &mut rng).unwrap();
        assert_eq!(failing.losses.len(), 21);
        assert_eq!(failing.model.params, stopped.model.params);
    }

    #[test]
    fn max_iters_stops_at_the_iteration_given() {
        let (mut trainer, contexts, target, mut rng) = small(10);
        // 28 iterations an epoch: the 30th is the second of epoch 2
        trainer.stop_after = Some(30);
        let mut out = Vec::new();
        trainer.fit(&mut out, &contexts, &target, 10, 100, &mut rng).unwrap();
        assert_eq!((trainer.losses.len(), trainer.optimizer.book.iter), (30, 30));
        assert_eq!(trainer.current_epoch, 1);
        let printed = String::from_utf8(out).unwrap();
        assert!(
            printed.ends_with(&format!(
                "| epoch 2 |  iter 1 / 28 | time 0[s] | loss {:.2}\n",
                trainer.loss_list[2]
            )),
            "{printed}"
        );
    }
}
