//! Section 4.3's training one iteration at a time, on the shipped corpus (V = 10,000,
//! H = 100, batch 100, window 5): where an iteration of `ch4_3_2`'s default goes, and the
//! Negative Sampling layer inside it, with the batch's rows just brought up to date as
//! training leaves them: `cargo bench -p zerotsuku2-bench --bench section_4_3`.
//!
//! Each phase is timed inside whole iterations (criterion's `iter_custom`), so the caches
//! hold what training leaves in them; the phases add up to about the whole.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ndarray::{Array1, Array2};
use std::hint::black_box;
use std::time::{Duration, Instant};
use zerotsuku2::ch04::cbow::CBOW;
use zerotsuku2::common::optimizer::Adam;
use zerotsuku2::common::util::create_contexts_target;
use zerotsuku2::dataset::ptb::{load_data, sotu_train};
use zerotsuku2::fast::models::{RowCBOW, RowModel};
use zerotsuku2::fast::replay::RowAdam;
use zerotsuku2::fast::rows::batch_rows;
use zerotsuku2::np::random::RandomState;

const BATCH_SIZE: usize = 100;

const PHASES: [&str; 7] = [
    "whole",
    "negatives",
    "replay_rows",
    "ns_loss_forward_backward",
    "forward",
    "backward",
    "update_rows",
];

/// A training run on the shipped corpus, after a warm-up long enough for every row to
/// have waited and been replayed.
struct Run<'a> {
    model: RowCBOW<'a>,
    adam: RowAdam<'a>,
    contexts: Array2<usize>,
    target: Array1<usize>,
    order: Vec<usize>,
    next: usize,
    rng: RandomState,
    rows: [Vec<usize>; 2],
    row_grads: [Array2<f32>; 2],
}

impl<'a> Run<'a> {
    /// The run of the book's `CBOW` and `Adam`, made as `train.py` makes them.
    fn new(book: &'a mut CBOW, optimizer: &'a mut Adam, mut rng: RandomState) -> Run<'a> {
        let corpus = load_data(&sotu_train());
        let (contexts, target) = create_contexts_target(&corpus.corpus, 5);
        let order = rng.permutation(contexts.nrows()).to_vec();
        let mut run = Run {
            model: RowCBOW::new(book),
            adam: RowAdam::new(optimizer),
            contexts,
            target,
            order,
            next: 0,
            rng,
            rows: [Vec::new(), Vec::new()],
            row_grads: [Array2::zeros((0, 0)), Array2::zeros((0, 0))],
        };
        let mut times = [Duration::ZERO; PHASES.len()];
        for _ in 0..1000 {
            run.iteration(&mut times);
        }
        run
    }

    /// One iteration as `Trainer::fit` runs it, adding each phase's time into `times`.
    fn iteration(&mut self, times: &mut [Duration; PHASES.len()]) {
        let whole = Instant::now();
        if self.next + BATCH_SIZE > self.order.len() {
            self.next = 0;
        }
        let rows = &self.order[self.next..self.next + BATCH_SIZE];
        self.next += BATCH_SIZE;
        let batch_x = Array2::from_shape_fn((BATCH_SIZE, self.contexts.ncols()), |(i, j)| {
            self.contexts[[rows[i], j]]
        });
        let batch_t: Array1<usize> = rows.iter().map(|&row| self.target[row]).collect();

        let mut phase = |k: usize, start: Instant| times[k] += start.elapsed();
        let start = Instant::now();
        let negative_sample = self.model.sampler.draw(batch_t.view(), &mut self.rng);
        phase(1, start);

        let start = Instant::now();
        batch_rows(
            &mut self.rows,
            batch_x.view(),
            batch_t.view().insert_axis(ndarray::Axis(1)),
            &negative_sample,
        );
        let [rows_in, rows_out] = &self.rows;
        let rows = [rows_in.as_slice(), rows_out.as_slice()];
        let book = &mut *self.model.book;
        self.adam.replay_rows(&mut [&mut book.w_in, &mut book.w_out], &rows);
        phase(2, start);

        // the layer alone, on the batch's mean context rows, its rows of W_out just brought
        let extra = Instant::now();
        let h = mean_rows(&self.model.book.w_in, &batch_x);
        let start = Instant::now();
        let ns_loss = &mut self.model.ns_loss;
        black_box(ns_loss.forward_with(
            &self.model.book.w_out,
            &h,
            batch_t.as_slice().unwrap(),
            negative_sample.clone(),
        ));
        black_box(ns_loss.backward(1.0));
        phase(3, start);
        let not_training = extra.elapsed();

        let start = Instant::now();
        black_box(self.model.forward_with(batch_x.view(), batch_t.view(), negative_sample));
        phase(4, start);
        let start = Instant::now();
        self.model.backward_rows(1.0, rows, &mut self.row_grads);
        phase(5, start);
        let start = Instant::now();
        let book = &mut *self.model.book;
        self.adam.update_rows(&mut [&mut book.w_in, &mut book.w_out], &self.row_grads, &rows);
        phase(6, start);
        // the whole, less the layer's second run and its h
        times[0] += whole.elapsed() - not_training;
    }
}

/// CBOW's `h`: the mean of each example's context rows.
fn mean_rows(w_in: &Array2<f32>, contexts: &Array2<usize>) -> Array2<f32> {
    let mut h = Array2::zeros((contexts.nrows(), w_in.ncols()));
    for (mut row, ids) in h.rows_mut().into_iter().zip(contexts.rows()) {
        for &id in ids {
            row += &w_in.row(id);
        }
        row /= ids.len() as f32;
    }
    h
}

fn section_4_3(c: &mut Criterion) {
    let vocab_size = load_data(&sotu_train()).id_to_word.len();
    let corpus = load_data(&sotu_train()).corpus;
    let mut rng = RandomState::default();
    let mut book = CBOW::new(vocab_size, 100, 5, corpus.view(), &mut rng);
    let mut optimizer = Adam::default();
    let mut run = Run::new(&mut book, &mut optimizer, rng);
    let mut group = c.benchmark_group("iteration");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for (k, &name) in PHASES.iter().enumerate() {
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter_custom(|iters| {
                let mut times = [Duration::ZERO; PHASES.len()];
                for _ in 0..iters {
                    run.iteration(&mut times);
                }
                times[k]
            })
        });
    }
    group.finish();
}

criterion_group!(benches, section_4_3);
criterion_main!(benches);
