//! Beyond the book: CBOW trained as word2vec itself trains it (Mikolov et al. 2013; the C tool
//! and gensim): stochastic gradient descent one target at a time, on only the rows the target
//! touches, with a learning rate falling linearly from 0.025 to 0.0001 over the run. The
//! book's Adam moves all 2,000,000 weights on every batch; this moves 16 rows of 100 a target.
//! `ch4_3_2 --fast` trains with it; the book's algorithm stays the default.

use crate::fast::prefetch;
use ndarray::{Array2, ArrayView1, ArrayView2};

/// word2vec's learning rate: `alpha` at the start, falling linearly to `min_alpha` at the end.
#[derive(Clone, Copy, Debug)]
pub struct Sgd {
    pub alpha: f32,
    pub min_alpha: f32,
}

impl Default for Sgd {
    /// word2vec's and gensim's defaults for CBOW: 0.025 falling to 0.0001.
    fn default() -> Self {
        Sgd { alpha: 0.025, min_alpha: 0.0001 }
    }
}

impl Sgd {
    /// The learning rate after `done` of `planned` batches.
    pub fn rate(&self, done: usize, planned: usize) -> f32 {
        let progress = done as f32 / planned.max(1) as f32;
        self.alpha - (self.alpha - self.min_alpha) * progress
    }

    /// One batch, one target after another, each updating the weights before the next: `h`
    /// the mean of the target's context rows of `W_in`; the target (label 1) and its negatives
    /// (label 0) each move their row of `W_out` by `rate * (label - σ(score)) * h` and add
    /// `rate * (label - σ(score)) * W_out[row]` to `h`'s step, which then moves each context
    /// row of `W_in` whole (word2vec does not divide it among the rows as the mean's gradient
    /// would). Returns the batch's mean loss, as the book's layers compute it.
    ///
    /// # Shapes
    /// `W_in, W_out: (V, H), contexts: (N, C), target: (N,), negative_sample: (N, S)`
    ///
    /// # Panics
    /// If the shapes disagree or an id is not below `V`.
    pub fn step(
        &self,
        params: &mut [Array2<f32>; 2],
        contexts: ArrayView2<'_, usize>,
        target: ArrayView1<'_, usize>,
        negative_sample: &Array2<usize>,
        rate: f32,
    ) -> f32 {
        let [w_in, w_out] = params;
        let (vocab_size, width) = w_in.dim();
        assert!(
            w_out.dim() == (vocab_size, width)
                && contexts.nrows() == target.len()
                && negative_sample.nrows() == target.len(),
            "Sgd::step: W_in {:?}, W_out {:?}, contexts {:?}, target {}, negatives {:?}",
            w_in.dim(),
            w_out.dim(),
            contexts.dim(),
            target.len(),
            negative_sample.dim()
        );
        if let Some(id) = contexts
            .iter()
            .chain(target.iter())
            .chain(negative_sample.iter())
            .find(|&&id| id >= vocab_size)
        {
            panic!("Sgd::step: id {id} is not below vocab_size {vocab_size}");
        }
        let w_in = w_in.as_slice_mut().expect("weights are contiguous");
        let w_out = w_out.as_slice_mut().expect("weights are contiguous");
        let batch = Batch { contexts, target, negative_sample, rate };
        batch.run(w_in, w_out, width) / target.len() as f32
    }
}

/// One batch's ids and rate, to run in the widest vectors the processor has: the same IEEE
/// operations in any width, so the same bits.
struct Batch<'a> {
    contexts: ArrayView2<'a, usize>,
    target: ArrayView1<'a, usize>,
    negative_sample: &'a Array2<usize>,
    rate: f32,
}

impl Batch<'_> {
    /// The sum of the targets' losses.
    fn run(&self, w_in: &mut [f32], w_out: &mut [f32], width: usize) -> f32 {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512f") {
                // SAFETY: the processor has AVX-512F, checked just above
                return unsafe { self.run_avx512(w_in, w_out, width) };
            }
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the processor has AVX2, checked just above
                return unsafe { self.run_avx2(w_in, w_out, width) };
            }
        }
        self.run_plain(w_in, w_out, width)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    unsafe fn run_avx512(&self, w_in: &mut [f32], w_out: &mut [f32], width: usize) -> f32 {
        self.run_plain(w_in, w_out, width)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn run_avx2(&self, w_in: &mut [f32], w_out: &mut [f32], width: usize) -> f32 {
        self.run_plain(w_in, w_out, width)
    }

    #[inline(always)]
    fn run_plain(&self, w_in: &mut [f32], w_out: &mut [f32], width: usize) -> f32 {
        let tables = Tables::get();
        let mut h = vec![0f32; width];
        let mut dh = vec![0f32; width];
        let mut loss = 0f32;
        for (i, &t) in self.target.iter().enumerate() {
            // the next target's rows, asked for now: each is a load from far memory
            if let Some(&next) = self.target.get(i + AHEAD) {
                for &c in self.contexts.row(i + AHEAD) {
                    prefetch(&w_in[c * width..(c + 1) * width]);
                }
                prefetch(&w_out[next * width..(next + 1) * width]);
                for &n in self.negative_sample.row(i + AHEAD) {
                    prefetch(&w_out[n * width..(n + 1) * width]);
                }
            }
            let negatives = self.negative_sample.row(i);
            let scored = std::iter::once((t, 1.0)).chain(negatives.iter().map(|&n| (n, 0.0)));
            let context = self.contexts.row(i);
            loss +=
                one_target(w_in, w_out, width, context, scored, self.rate, tables, &mut h, &mut dh);
        }
        loss
    }
}

const AHEAD: usize = 1;

/// One target's update (see [`Sgd::step`]); its loss.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn one_target(
    w_in: &mut [f32],
    w_out: &mut [f32],
    width: usize,
    context: ArrayView1<'_, usize>,
    scored: impl Iterator<Item = (usize, f32)>,
    rate: f32,
    tables: &Tables,
    h: &mut [f32],
    dh: &mut [f32],
) -> f32 {
    let row = |id: usize| id * width..(id + 1) * width;
    // h = mean of the context rows
    h.fill(0.0);
    for &c in context {
        for (h, &x) in h.iter_mut().zip(&w_in[row(c)]) {
            *h += x;
        }
    }
    let scale = 1.0 / context.len() as f32;
    h.iter_mut().for_each(|h| *h *= scale);

    dh.fill(0.0);
    let mut loss = 0f32;
    for (id, label) in scored {
        let out_row = &mut w_out[row(id)];
        let score = dot(h, out_row);
        // σ(score) and the loss -log σ(±score) from word2vec's tables
        let (y, log_y) = tables.sigmoid(if label == 1.0 { score } else { -score });
        let y = if label == 1.0 { y } else { 1.0 - y };
        loss -= log_y;
        let g = rate * (label - y);
        for ((d, o), &x) in dh.iter_mut().zip(out_row.iter_mut()).zip(h.iter()) {
            *d += g * *o;
            *o += g * x;
        }
    }
    // as word2vec and gensim (cbow_mean=1) do, each context row takes the whole of h's
    // step, not its 1 / C share: the in-vectors learn C times faster than the gradient says
    for &c in context {
        for (x, &d) in w_in[row(c)].iter_mut().zip(dh.iter()) {
            *x += d;
        }
    }
    loss
}

/// word2vec's `expTable`: σ(x) at 1,000 points over [-6, 6), read by the nearest point below,
/// and beside it log σ(x) for the loss; outside, σ is 0 or 1 (and log σ(x) is x or 0).
pub struct Tables {
    sigmoid: Vec<f32>,
    log_sigmoid: Vec<f32>,
}

const EXP_TABLE_SIZE: usize = 1000;
const MAX_EXP: f32 = 6.0;

impl Tables {
    fn get() -> &'static Tables {
        static TABLES: std::sync::OnceLock<Tables> = std::sync::OnceLock::new();
        TABLES.get_or_init(|| {
            let x = |i: usize| (i as f32 / EXP_TABLE_SIZE as f32 * 2.0 - 1.0) * MAX_EXP;
            Tables {
                sigmoid: (0..EXP_TABLE_SIZE).map(|i| 1.0 / (1.0 + (-x(i)).exp())).collect(),
                log_sigmoid: (0..EXP_TABLE_SIZE).map(|i| -(1.0 + (-x(i)).exp()).ln()).collect(),
            }
        })
    }

    /// `(σ(x), log σ(x))`
    #[inline(always)]
    fn sigmoid(&self, x: f32) -> (f32, f32) {
        if x >= MAX_EXP {
            (1.0, 0.0)
        } else if x <= -MAX_EXP {
            (0.0, x)
        } else {
            // just below MAX_EXP the product can round up to the table's length
            let i = ((x + MAX_EXP) * (EXP_TABLE_SIZE as f32 / MAX_EXP / 2.0)) as usize;
            let i = i.min(EXP_TABLE_SIZE - 1);
            (self.sigmoid[i], self.log_sigmoid[i])
        }
    }
}

/// `x · y` with eight running sums, which the compiler can keep in one vector register.
#[inline(always)]
fn dot(x: &[f32], y: &[f32]) -> f32 {
    let mut sums = [0f32; 8];
    let blocks = x.len() / 8 * 8;
    for (xb, yb) in x[..blocks].chunks_exact(8).zip(y[..blocks].chunks_exact(8)) {
        for k in 0..8 {
            sums[k] += xb[k] * yb[k];
        }
    }
    let mut sum = sums.iter().sum::<f32>();
    for (a, b) in x[blocks..].iter().zip(&y[blocks..]) {
        sum += a * b;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cbow::CBOW;
    use crate::gradient_check::numerical_gradient;
    use crate::util::{create_contexts_target, preprocess};
    use ndarray::array;

    /// A step with a tiny rate moves the weights by `-rate` times the gradient of the book's
    /// loss, which the float64 CBOW's backward gives (held to finite differences itself), up to
    /// word2vec's table of σ: read at the point below, 0.012 apart, it is off by up to 0.003.
    #[test]
    fn a_small_step_follows_the_books_gradient() {
        let (corpus, _, _) = preprocess("You say goodbye and I say hello.");
        let (contexts, target) = create_contexts_target(&corpus, 1);
        // one target, so that SGD's one-after-another is one gradient step
        let (contexts, target) =
            (contexts.slice(ndarray::s![1..2, ..]), target.slice(ndarray::s![1..2]));
        let negatives = array![[0, 4, 6, 5, 1]];
        let w_in = Array2::from_shape_fn((7, 3), |(i, j)| ((i * 3 + j) as f64 * 0.61).sin());
        let w_out = Array2::from_shape_fn((7, 3), |(i, j)| ((i * 3 + j) as f64 * 0.29).cos());
        let mut book = CBOW::with_weights(w_in.clone(), w_out.clone(), 1, corpus.view());
        let book_loss = book.forward_with(contexts, target, negatives.clone());
        book.backward(1.0);

        let rate = 1e-3;
        let mut params = [w_in.mapv(|x| x as f32), w_out.mapv(|x| x as f32)];
        let loss = Sgd::default().step(&mut params, contexts, target, &negatives, rate);
        // log σ is read 0.012 apart, and moves by at most that much between points: 6 pairs
        assert!((loss as f64 - book_loss).abs() < 6.0 * 0.012, "{loss} vs {book_loss}");
        // one gradient step: W_out by -rate times the book's gradient, W_in by -rate times the
        // window's 2 rows times it (word2vec gives each row the whole step of h)
        for (moved, start, grad, times) in
            [(&params[0], &w_in, &book.grads[0], 2.0), (&params[1], &w_out, &book.grads[1], 1.0)]
        {
            let step = (moved.mapv(|x| x as f64) - start) / -(rate as f64);
            let worst = crate::np::max_abs_diff(&step, &(grad * times));
            // σ off by up to 0.003 for each of the 6 pairs, times rows and h of size below 1
            assert!(worst < times * 6.0 * 0.003, "{worst:e}");
        }
        // and the book's gradient is the loss's
        let numerical = numerical_gradient(&w_out, |w| {
            CBOW::with_weights(w_in.clone(), w.clone(), 1, corpus.view()).forward_with(
                contexts,
                target,
                negatives.clone(),
            )
        });
        assert!(crate::np::max_abs_diff(&numerical, &book.grads[1]) < 1e-6);
    }

    #[test]
    fn the_rate_falls_linearly() {
        let sgd = Sgd::default();
        assert_eq!(sgd.rate(0, 100), 0.025);
        assert!((sgd.rate(50, 100) - 0.01255).abs() < 1e-7);
        assert!((sgd.rate(100, 100) - 0.0001).abs() < 1e-9);
    }
}
