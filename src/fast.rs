//! Beyond the book: the training engine, a separate, named step beside the book's classes, as
//! ndarray's docs do it (the direct translation first, the optimized version after), each part
//! proven equal to the mirror it stands beside by a test:
//!
//! - this file: 4.2's layers rewritten so that a call costs the same at any vocabulary size;
//! - [`cbow`]: [`RowCBOW`](cbow::RowCBOW), the book's `CBOW` with its gradients as the batch's
//!   rows (held to [`crate::ch04::cbow::CBOW`]);
//! - [`adam`]: [`RowAdam`](adam::RowAdam), the book's `Adam` on only those rows, the others'
//!   zero-gradient steps replayed in closed form (held to [`crate::common::optimizer::Adam`]);
//! - [`training`]: [`FastTrainer`](training::FastTrainer), the book's `Trainer.fit` in a
//!   [`Mode`](training::Mode), `AdamRows` or `Word2vec` (held to [`crate::common::trainer::Trainer`]
//!   and to the book's own `train.py`);
//! - [`word2vec`]: word2vec's own SGD (`--fast`), 16 floats at a time;
//! - [`team`]: the threads that share Adam's updates, or draw `--fast`'s next batch.
//!
//! The layers of this file:
//!
//! What changes, and why the book's version is slow at `V = 1,000,000`:
//! - the gradient holds only the touched rows ([`SparseGrad`]), where the book's `Embedding`
//!   zeroes and fills a whole `(V, H)` `dW` on every backward;
//! - negatives come from an alias table ([`AliasSampler`], O(1) a draw), where the book calls
//!   `np.random.choice(..., p=p)` once per row, which builds an O(V) cumulative table each time;
//! - `W` is borrowed for each call instead of owned, so one `W_out` serves every score column;
//! - any float type: `f32` as the book trains, `f64` to compare with the notebook's layers.
//!
//! The results are the same up to the order of the sums: the tests check losses, `dh` and
//! gradient rows against the faithful layers (within 1e-12 in float64), scattered into a dense
//! matrix, with repeated ids.

pub mod adam;
pub mod cbow;
pub mod simd;
pub mod skip_gram;
pub mod team;
pub mod training;
pub mod word2vec;

use crate::ch04::negative_sampling_layer::UnigramSampler;
use crate::common::layers::{add_at, check_ids};
use crate::np::cast;
use crate::np::random::RandomState;
use ndarray::{Array1, Array2, ArrayView1, NdFloat, Zip};

/// The rows of a `(V, H)` gradient that a batch touched: row `ids[i]` of `dW` gains
/// `rows[i]`. An id may repeat; its rows add up when scattered, as with `np.add.at`.
#[derive(Clone, Debug, PartialEq)]
pub struct SparseGrad<A> {
    pub ids: Vec<usize>,
    /// `(len(ids), H)`
    pub rows: Array2<A>,
}

impl<A: NdFloat> SparseGrad<A> {
    /// `np.add.at(dW, ids, rows)` ([`add_at`]): adds the rows into a dense gradient, in order.
    ///
    /// # Panics
    /// As [`add_at`].
    pub fn scatter_add(&self, dw: &mut Array2<A>) {
        add_at(dw, &self.ids, &self.rows);
    }

    /// The dense `(vocab_size, H)` gradient: zeros, then [`scatter_add`](Self::scatter_add).
    pub fn to_dense(&self, vocab_size: usize) -> Array2<A> {
        let mut dw = Array2::zeros((vocab_size, self.rows.ncols()));
        self.scatter_add(&mut dw);
        dw
    }
}

/// One gradient row for each of a batch's rows, for a model's `backward_rows`: where each id's
/// row is among the batch's, kept between batches.
#[derive(Default)]
pub struct RowSlots {
    /// each id's place among the rows of the last call, `(V,)`
    slots: Vec<u32>,
}

impl RowSlots {
    /// Makes `grad` the zeros of `(rows.len(), width)`, in the storage it had, and checks that
    /// each of `ids` has its row among `rows`.
    ///
    /// # Panics
    /// If `rows` are not sorted, distinct ids below `vocab_size` that include `ids`; the
    /// message names `who` and `rows[k]`.
    pub fn prepare<A: NdFloat>(
        &mut self,
        (who, k): (&str, usize),
        rows: &[usize],
        ids: &[usize],
        (vocab_size, width): (usize, usize),
        grad: &mut Array2<A>,
    ) {
        if self.slots.len() != vocab_size {
            self.slots = vec![u32::MAX; vocab_size];
        }
        let wrong = || {
            panic!("{who}::backward_rows: rows[{k}] are not the sorted, distinct ids below V that include the last forward's")
        };
        if !rows.windows(2).all(|w| w[0] < w[1]) || rows.last().is_some_and(|&r| r >= vocab_size) {
            wrong();
        }
        for (slot, &row) in rows.iter().enumerate() {
            self.slots[row] = slot as u32;
        }
        // each id has its row (a row without an id has a zero gradient, which is right)
        if !ids.iter().all(|&id| rows.get(self.slots[id] as usize) == Some(&id)) {
            wrong();
        }
        // zeros of the batch's shape, in the storage of the last batch's
        let mut storage =
            std::mem::replace(grad, Array2::zeros((0, 0))).into_raw_vec_and_offset().0;
        storage.clear();
        storage.resize(rows.len() * width, A::zero());
        *grad = Array2::from_shape_vec((rows.len(), width), storage).expect("the size just made");
    }

    /// Adds each of `rows` into the row of its id in `ids`, in order.
    pub fn add_rows<A: NdFloat>(&self, grad: &mut Array2<A>, ids: &[usize], rows: &Array2<A>) {
        for (&id, row) in ids.iter().zip(rows.rows()) {
            self.add(grad, id, row);
        }
    }

    /// Adds `row` into id's row of `grad`, as [`prepare`](Self::prepare) placed it.
    #[inline]
    pub fn add<A: NdFloat>(&self, grad: &mut Array2<A>, id: usize, row: ArrayView1<'_, A>) {
        let width = grad.ncols();
        let slot = self.slots[id] as usize;
        let grad = grad.as_slice_mut().expect("prepare makes it contiguous");
        add_row(&mut grad[slot * width..(slot + 1) * width], row);
    }
}

/// `row += other` for a row of 100: a plain loop, which ndarray's `+=` costs several times
/// over at this size.
pub fn add_row<A: NdFloat>(row: &mut [A], other: ArrayView1<'_, A>) {
    match other.as_slice() {
        // slices, which the compiler turns into vector instructions
        Some(other) => row.iter_mut().zip(other).for_each(|(a, &b)| *a += b),
        None => row.iter_mut().zip(other).for_each(|(a, &b)| *a += b),
    }
}

/// `out = W[idx]` into a buffer kept between calls, checking each id against `V`.
fn gather_into<A: NdFloat>(out: &mut Array2<A>, w: &Array2<A>, idx: &[usize]) {
    let shape = (idx.len(), w.ncols());
    if out.dim() != shape {
        *out = Array2::zeros(shape);
    }
    check_ids("fast", w.nrows(), idx);
    for (position, (mut row, &id)) in out.rows_mut().into_iter().zip(idx).enumerate() {
        if let Some(&ahead) = idx.get(position + PREFETCH_AHEAD) {
            if let Some(row_ahead) = w.row(ahead).as_slice() {
                prefetch(row_ahead);
            }
        }
        match (row.as_slice_mut(), w.row(id).to_slice()) {
            (Some(row), Some(from)) => row.copy_from_slice(from),
            (_, _) => row.assign(&w.row(id)),
        }
    }
}

/// How many draws ahead [`AliasSampler::sample_into`] picks its columns.
const DRAWS_AHEAD: usize = 8;

/// How many rows ahead of the copy [`gather_into`] asks for a row of `W`.
const PREFETCH_AHEAD: usize = 8;

/// Asks the CPU to start loading `data` into cache. The rows a batch gathers are scattered over
/// a `W` far larger than the caches; loaded one after another, each waits for memory, while
/// asked for a few rows ahead, their loads overlap. Only a hint: it changes no value.
#[inline]
pub fn prefetch<A>(data: &[A]) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // every 64-byte line the bytes touch, the last too when they start mid-line
        let start = data.as_ptr() as *const i8;
        let (bytes, skew) = (std::mem::size_of_val(data), start as usize % 64);
        for offset in (0..bytes + skew).step_by(64).take_while(|_| bytes > 0) {
            // SAFETY: a prefetch never faults or writes, and the address lies inside `data`
            // (the line at `offset - skew`, clamped to the first byte)
            unsafe { _mm_prefetch::<_MM_HINT_T0>(start.add(offset.saturating_sub(skew))) };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = data;
}

/// `out = x * d` row by row, into a buffer kept between calls.
fn scale_rows_into<A: NdFloat>(out: &mut Array2<A>, x: &Array2<A>, d: impl Fn(usize) -> A) {
    if out.dim() != x.dim() {
        *out = Array2::zeros(x.raw_dim());
    }
    for (i, (mut out_row, x_row)) in out.rows_mut().into_iter().zip(x.rows()).enumerate() {
        let d = d(i);
        Zip::from(&mut out_row).and(&x_row).for_each(|o, &v| *o = d * v);
    }
}

/// EmbeddingDot with a borrowed `W` and a sparse gradient. Its buffers are kept between
/// calls, so after the first call it allocates only what it returns.
pub struct EmbeddingDot<A> {
    /// the touched rows of `dW` from the last backward
    pub grad: SparseGrad<A>,
    h: Array2<A>,
    target_w: Array2<A>,
}

impl<A: NdFloat> Default for EmbeddingDot<A> {
    fn default() -> Self {
        Self::new()
    }
}

impl<A: NdFloat> EmbeddingDot<A> {
    pub fn new() -> Self {
        EmbeddingDot {
            grad: SparseGrad { ids: Vec::new(), rows: Array2::zeros((0, 0)) },
            h: Array2::zeros((0, 0)),
            target_w: Array2::zeros((0, 0)),
        }
    }

    /// `out[i] = W[idx[i]] · h[i]`
    ///
    /// # Shapes
    /// `W: (V, H), h: (N, H), idx: (N,) -> out: (N,)`
    ///
    /// # Panics
    /// If `h` is not `(N, H)` or an id is not below `V`.
    pub fn forward(&mut self, w: &Array2<A>, h: &Array2<A>, idx: &[usize]) -> Array1<A> {
        assert_eq!(
            h.dim(),
            (idx.len(), w.ncols()),
            "fast::EmbeddingDot::forward: h is {:?} but idx has {} ids and W rows have width {}",
            h.dim(),
            idx.len(),
            w.ncols()
        );
        gather_into(&mut self.target_w, w, idx);
        if self.h.dim() == h.dim() {
            self.h.assign(h);
        } else {
            self.h = h.clone();
        }
        self.grad.ids.clear();
        self.grad.ids.extend_from_slice(idx);
        // row by row dot products: the same sums, in the same order, as
        // np.sum(target_W * h, axis=1) in the faithful layer
        self.target_w.rows().into_iter().zip(h.rows()).map(|(t, h)| t.dot(&h)).collect()
    }

    /// `dh = dout * target_W`; the gradient rows `dout * h` at ids `idx` into `grad`.
    ///
    /// # Shapes
    /// `dout: (N,) -> dh: (N, H)`
    ///
    /// # Panics
    /// If `forward` has not run or `dout` does not have `N` elements.
    pub fn backward(&mut self, dout: ArrayView1<'_, A>) -> Array2<A> {
        assert_eq!(
            dout.len(),
            self.grad.ids.len(),
            "fast::EmbeddingDot::backward: dout has {} elements but forward scored {} rows",
            dout.len(),
            self.grad.ids.len()
        );
        scale_rows_into(&mut self.grad.rows, &self.h, |i| dout[i]);
        let mut dh = Array2::zeros(self.target_w.raw_dim());
        scale_rows_into(&mut dh, &self.target_w, |i| dout[i]);
        dh
    }
}

/// Vose's alias table over `word_p`: a draw is one uniform column and one biased coin, O(1)
/// whatever `V`.
#[derive(Clone)]
pub struct AliasSampler {
    pub sample_size: usize,
    pub vocab_size: usize,
    /// per column: the probability of keeping it rather than its alias, as a 32-bit
    /// threshold, and the alias; side by side so that a draw reads one cache line
    table: Vec<(u32, u32)>,
}

impl AliasSampler {
    /// The table for the book's unigram distribution (counts to the `power`, normalized).
    ///
    /// # Panics
    /// As [`UnigramSampler::new`], or if the vocabulary has fewer than `sample_size + 1`
    /// words (each row needs `sample_size` distinct words other than its target), or more
    /// than 2**32.
    pub fn new(corpus: ArrayView1<'_, usize>, power: f64, sample_size: usize) -> Self {
        let word_p = UnigramSampler::new(corpus, power, sample_size).word_p;
        Self::from_probabilities(&word_p, sample_size)
    }

    /// The table for any probabilities summing to 1.
    ///
    /// # Panics
    /// As [`new`](Self::new).
    pub fn from_probabilities(word_p: &Array1<f64>, sample_size: usize) -> Self {
        let vocab_size = word_p.len();
        if let Some(bad) = word_p.iter().find(|p| !(p.is_finite() && **p >= 0.0)) {
            panic!("AliasSampler: a probability is {bad}; each must be a number from 0 up");
        }
        // each row needs sample_size distinct words besides its target: a word of probability
        // 0 is never drawn, and the redrawing would go on forever
        let drawable = word_p.iter().filter(|&&p| p > 0.0).count();
        assert!(
            drawable > sample_size,
            "AliasSampler: {drawable} of {vocab_size} words can be drawn, fewer than sample_size = {sample_size} negatives besides the target"
        );
        assert!(vocab_size as u64 <= 1 << 32, "AliasSampler: {vocab_size} words is over 2**32");
        let n = vocab_size as f64;
        let mut scaled: Vec<f64> = word_p.iter().map(|&p| p * n).collect();
        let mut keep = vec![u32::MAX; vocab_size];
        let mut alias: Vec<u32> = (0..vocab_size as u32).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) =
            (0..vocab_size).partition(|&i| scaled[i] < 1.0);
        while let (Some(&s), Some(&l)) = (small.last(), large.last()) {
            small.pop();
            keep[s] = (scaled[s] * 4294967296.0).min(4294967295.0) as u32;
            alias[s] = l as u32;
            scaled[l] -= 1.0 - scaled[s];
            if scaled[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        // what is left is 1 up to rounding: keep it always
        AliasSampler { sample_size, vocab_size, table: keep.into_iter().zip(alias).collect() }
    }

    /// One id drawn with probability `word_p[id]`.
    pub fn draw(&self, rng: &mut RandomState) -> usize {
        let column = self.column(rng);
        self.resolve(column, rng.next_u32())
    }

    /// A uniform column, by multiply-shift (its bias is below V / 2**32).
    fn column(&self, rng: &mut RandomState) -> usize {
        ((rng.next_u32() as u64 * self.vocab_size as u64) >> 32) as usize
    }

    /// The biased coin of `column`: the column itself, or its alias.
    fn resolve(&self, column: usize, coin: u32) -> usize {
        let (keep, alias) = self.table[column];
        if coin < keep || keep == u32::MAX {
            column
        } else {
            alias as usize
        }
    }

    /// The book's CPU semantics at O(1) a draw: for each target, `sample_size` distinct ids
    /// other than the target. Each is drawn from `word_p` and drawn again if it is the target
    /// or already in its row, which gives the same distribution as zeroing those
    /// probabilities and renormalizing, as the book does.
    ///
    /// # Shapes
    /// `target: (N,) -> negative_sample: (N, sample_size)`
    pub fn get_negative_sample(&self, target: &[usize], rng: &mut RandomState) -> Array2<usize> {
        let mut negative_sample = Array2::zeros((target.len(), self.sample_size));
        self.sample_into(&mut negative_sample, target, rng);
        negative_sample
    }

    /// [`get_negative_sample`](Self::get_negative_sample) into a buffer kept between calls.
    pub fn sample_into(
        &self,
        negative_sample: &mut Array2<usize>,
        target: &[usize],
        rng: &mut RandomState,
    ) {
        if let Some(i) = target.iter().position(|&t| t >= self.vocab_size) {
            panic!(
                "AliasSampler: target[{i}] = {} is not below vocab_size {}",
                target[i], self.vocab_size
            );
        }
        if negative_sample.dim() != (target.len(), self.sample_size) {
            *negative_sample = Array2::zeros((target.len(), self.sample_size));
        }
        // columns are drawn a few draws ahead, and their table entries asked for then: in a
        // table larger than the caches, each would otherwise wait for memory in turn
        let mut ahead = [0usize; DRAWS_AHEAD];
        for slot in &mut ahead {
            *slot = self.column(rng);
            prefetch(&self.table[*slot..=*slot]);
        }
        let mut next = 0;
        for (mut row, &t) in negative_sample.rows_mut().into_iter().zip(target) {
            for k in 0..self.sample_size {
                row[k] = loop {
                    let column = ahead[next];
                    ahead[next] = self.column(rng);
                    prefetch(&self.table[ahead[next]..=ahead[next]]);
                    next = (next + 1) % DRAWS_AHEAD;
                    let id = self.resolve(column, rng.next_u32());
                    if id != t && !row.iter().take(k).any(|&x| x == id) {
                        break id;
                    }
                };
            }
        }
    }
}

/// `NegativeSamplingLoss` with a borrowed `W`, the alias sampler and one sparse gradient.
/// All `sample_size + 1` score columns live in one set of buffers kept between calls: row
/// `c * N + i` holds column `c` (the target first, then each negative) of example `i`.
pub struct NegativeSamplingLoss<A> {
    pub sample_size: usize,
    pub sampler: AliasSampler,
    /// the touched rows of `dW` from the last backward: the target's ids, then each negative
    /// column's
    pub grad: SparseGrad<A>,
    /// the negatives of the last forward, `(N, sample_size)`
    pub negative_sample: Array2<usize>,
    h: Array2<A>,
    /// `((sample_size + 1) N, H)`: `W` rows of every score column
    target_w: Array2<A>,
    /// the sigmoid of every score, in the same order
    y: Vec<A>,
    /// one column's `log` terms, summed as the faithful layer sums them
    picked: Vec<A>,
}

impl<A: NdFloat> NegativeSamplingLoss<A> {
    pub fn new(corpus: ArrayView1<'_, usize>, power: f64, sample_size: usize) -> Self {
        Self::with_sampler(AliasSampler::new(corpus, power, sample_size))
    }

    /// The layer for a sampler built elsewhere (from probabilities, say).
    pub fn with_sampler(sampler: AliasSampler) -> Self {
        NegativeSamplingLoss {
            sample_size: sampler.sample_size,
            sampler,
            grad: SparseGrad { ids: Vec::new(), rows: Array2::zeros((0, 0)) },
            negative_sample: Array2::zeros((0, 0)),
            h: Array2::zeros((0, 0)),
            target_w: Array2::zeros((0, 0)),
            y: Vec::new(),
            picked: Vec::new(),
        }
    }

    /// Draws the negatives, then scores them as [`forward_with`](Self::forward_with) does.
    pub fn forward(
        &mut self,
        w: &Array2<A>,
        h: &Array2<A>,
        target: &[usize],
        rng: &mut RandomState,
    ) -> A {
        let mut negative_sample = std::mem::take(&mut self.negative_sample);
        self.sampler.sample_into(&mut negative_sample, target, rng);
        self.forward_with(w, h, target, negative_sample)
    }

    /// The positive example with label 1, then each negative column with label 0, summed in
    /// that order as the book sums them.
    ///
    /// # Shapes
    /// `W: (V, H), h: (N, H), target: (N,), negative_sample: (N, sample_size) -> loss: ()`
    ///
    /// # Panics
    /// If the shapes disagree or an id is not below `V`.
    pub fn forward_with(
        &mut self,
        w: &Array2<A>,
        h: &Array2<A>,
        target: &[usize],
        negative_sample: Array2<usize>,
    ) -> A {
        let batch_size = target.len();
        assert_eq!(
            negative_sample.dim(),
            (batch_size, self.sample_size),
            "fast::NegativeSamplingLoss::forward: negative_sample is {:?}, not (batch_size, sample_size)",
            negative_sample.dim()
        );
        assert_eq!(
            h.dim(),
            (batch_size, w.ncols()),
            "fast::NegativeSamplingLoss::forward: h is {:?} but target has {batch_size} ids and W rows have width {}",
            h.dim(),
            w.ncols()
        );
        let ids = &mut self.grad.ids;
        ids.clear();
        ids.extend_from_slice(target);
        for column in negative_sample.columns() {
            ids.extend(column.iter());
        }
        gather_into(&mut self.target_w, w, ids);
        if self.h.dim() == h.dim() {
            self.h.assign(h);
        } else {
            self.h = h.clone();
        }
        self.negative_sample = negative_sample;

        let (one, eps) = (A::one(), cast::<A>(1e-7));
        let n = cast::<A>(batch_size as f64);
        let width = w.ncols();
        let target_w = self.target_w.as_slice().expect("gather_into makes it contiguous");
        let h = self.h.as_slice().expect("a copy in standard layout");
        self.y.clear();
        let mut loss = A::zero();
        for column in 0..=self.sample_size {
            self.picked.clear();
            for i in 0..batch_size {
                let k = column * batch_size + i;
                let t_row = &target_w[k * width..(k + 1) * width];
                let h_row = &h[i * width..(i + 1) * width];
                let y =
                    one / (one + (-ArrayView1::from(t_row).dot(&ArrayView1::from(h_row))).exp());
                self.y.push(y);
                // np.c_[1 - y, y][arange(N), t]: label 1 for the target, 0 for negatives
                let p = if column == 0 { y } else { one - y };
                self.picked.push((p + eps).ln());
            }
            let column_loss = -ArrayView1::from(&self.picked).sum() / n;
            loss = if column == 0 { column_loss } else { loss + column_loss };
        }
        loss
    }

    /// Each column's `dscore = (y - t) * dout / N` through its Embedding Dot: `dh` summed over
    /// the columns and returned, the gradient rows `dscore * h` into `grad`.
    ///
    /// # Panics
    /// If `forward` has not run.
    pub fn backward(&mut self, dout: A) -> Array2<A> {
        assert!(!self.y.is_empty(), "fast::NegativeSamplingLoss::backward: forward has not run");
        let batch_size = self.h.nrows();
        let n = cast::<A>(batch_size as f64);
        let dscore = |k: usize| {
            let label = if k < batch_size { A::one() } else { A::zero() };
            (self.y[k] - label) * dout / n
        };
        if self.grad.rows.dim() != self.target_w.dim() {
            self.grad.rows = Array2::zeros(self.target_w.raw_dim());
        }
        let width = self.h.ncols();
        let mut dh = Array2::zeros(self.h.raw_dim());
        let dh_all = dh.as_slice_mut().expect("a new array is contiguous");
        let h = self.h.as_slice().expect("standard layout");
        let target_w = self.target_w.as_slice().expect("standard layout");
        let grad_rows = self.grad.rows.as_slice_mut().expect("standard layout");
        for k in 0..self.target_w.nrows() {
            let d = dscore(k);
            let i = k % batch_size;
            let h_row = &h[i * width..(i + 1) * width];
            let t_row = &target_w[k * width..(k + 1) * width];
            for (g, &v) in grad_rows[k * width..(k + 1) * width].iter_mut().zip(h_row) {
                *g = d * v;
            }
            for (o, &v) in dh_all[i * width..(i + 1) * width].iter_mut().zip(t_row) {
                *o += d * v;
            }
        }
        dh
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ch04::negative_sampling_layer as faithful;
    use crate::common::layers::Embedding;
    use crate::np::random::Seed;
    use ndarray::array;

    /// How far the fast path may be from the faithful layers in float64: they add the same
    /// terms, perhaps in another order (ndarray may change how it sums a dot product).
    const TOLERANCE: f64 = 1e-12;

    fn close<D: ndarray::Dimension>(a: &ndarray::Array<f64, D>, b: &ndarray::Array<f64, D>) {
        let worst = crate::np::max_abs_diff(a, b);
        assert!(worst < TOLERANCE, "differ by {worst:e}");
    }

    fn weights(v: usize, h: usize) -> Array2<f64> {
        Array2::from_shape_fn((v, h), |(i, j)| ((i * h + j) as f64 * 0.37).sin())
    }

    fn hidden(n: usize, h: usize) -> Array2<f64> {
        Array2::from_shape_fn((n, h), |(i, j)| ((i * h + j) as f64 * 0.23).cos())
    }

    #[test]
    fn embedding_dot_equals_the_faithful_layer_with_repeated_ids() {
        // a width of 21 runs both the 8-wide unrolled sums and their tail
        let w = weights(7, 21);
        let h = hidden(6, 21);
        let idx = [1, 2, 3, 4, 1, 5];
        let ds = array![-1.6, -0.87, 1.33, 0.94, 0.34, -0.06];

        let mut book = faithful::EmbeddingDot::new();
        let book_s = book.forward(&w, &h, ArrayView1::from(&idx));
        let mut book_dw = Array2::zeros(w.raw_dim());
        let book_dh = book.backward(ds.view(), &mut book_dw);

        let mut fast = EmbeddingDot::new();
        let s = fast.forward(&w, &h, &idx);
        let dh = fast.backward(ds.view());
        let grad = fast.grad;

        // the same sums, maybe in another order: equal to far below float64's 1e-16 relative
        // rounding of these sizes times the 21 terms
        close(&s, &book_s);
        close(&dh, &book_dh);
        close(&grad.to_dense(7), &book_dw);
        assert_eq!(grad.ids, idx, "one row per id, repeats kept");
    }

    #[test]
    fn negative_sampling_equals_the_faithful_layer_for_the_same_negatives() {
        let corpus = array![0, 1, 2, 3, 4, 1, 5, 6, 2, 2, 8, 7, 1, 9, 3];
        let w = weights(10, 21);
        let h = hidden(8, 21);
        let target = [1, 2, 3, 1, 5, 2, 2, 9];
        let sampler = AliasSampler::new(corpus.view(), 0.75, 3);
        let negative_sample = sampler.get_negative_sample(&target, &mut RandomState::default());
        assert!(
            negative_sample.iter().any(|&id| target.contains(&id)),
            "ids repeat across columns"
        );

        let mut book = faithful::NegativeSamplingLoss::new(corpus.view(), 0.75, 3);
        let book_loss =
            book.forward_with(&w, &h, ArrayView1::from(&target), negative_sample.clone());
        let mut book_dw = Array2::zeros(w.raw_dim());
        let book_dh = book.backward(1.0, &mut book_dw);

        let mut fast = NegativeSamplingLoss::<f64>::new(corpus.view(), 0.75, 3);
        let loss = fast.forward_with(&w, &h, &target, negative_sample);
        let dh = fast.backward(1.0);

        assert!((loss - book_loss).abs() < TOLERANCE);
        close(&dh, &book_dh);
        close(&fast.grad.to_dense(10), &book_dw);
        // and again, reusing the buffers of the first call
        let negative_sample =
            sampler.get_negative_sample(&target, &mut RandomState::new(Seed::Pcg64(9)));
        let book_loss =
            book.forward_with(&w, &h, ArrayView1::from(&target), negative_sample.clone());
        book_dw.fill(0.0);
        let book_dh = book.backward(0.5, &mut book_dw);
        assert!(
            (fast.forward_with(&w, &h, &target, negative_sample) - book_loss).abs() < TOLERANCE
        );
        close(&fast.backward(0.5), &book_dh);
        close(&fast.grad.to_dense(10), &book_dw);
    }

    #[test]
    fn float32_agrees_with_float64_to_float32_precision() {
        let corpus = array![0, 1, 2, 3, 4, 1, 5, 6];
        let w = weights(7, 3);
        let h = hidden(6, 3);
        let target = [1, 2, 3, 4, 1, 5];
        let negatives = AliasSampler::new(corpus.view(), 0.75, 5)
            .get_negative_sample(&target, &mut RandomState::default());
        let mut wide = NegativeSamplingLoss::<f64>::new(corpus.view(), 0.75, 5);
        let loss64 = wide.forward_with(&w, &h, &target, negatives.clone());
        let dh64 = wide.backward(1.0);
        let mut narrow = NegativeSamplingLoss::<f32>::new(corpus.view(), 0.75, 5);
        let loss32 =
            narrow.forward_with(&w.mapv(|x| x as f32), &h.mapv(|x| x as f32), &target, negatives);
        let dh32 = narrow.backward(1.0);
        assert!((loss32 as f64 - loss64).abs() < 1e-5 * loss64.abs());
        assert!(crate::np::max_abs_diff(&dh32.mapv(|x| x as f64), &dh64) < 1e-6);
    }

    #[test]
    fn alias_draws_follow_the_probabilities() {
        let p = array![0.5, 0.1, 0.05, 0.2, 0.05, 0.1];
        let sampler = AliasSampler::from_probabilities(&p, 1);
        let mut rng = RandomState::new(Seed::Pcg64(3));
        let mut counts = [0usize; 6];
        let draws = 200_000;
        for _ in 0..draws {
            counts[sampler.draw(&mut rng)] += 1;
        }
        for (i, &c) in counts.iter().enumerate() {
            let expected = p[i] * draws as f64;
            // five standard deviations of a binomial count
            let sd = (draws as f64 * p[i] * (1.0 - p[i])).sqrt();
            assert!((c as f64 - expected).abs() < 5.0 * sd, "id {i}: {c} vs {expected}");
        }
    }

    #[test]
    fn alias_negatives_keep_the_books_cpu_semantics() {
        let corpus = array![0, 1, 2, 3, 4, 1, 5, 6];
        let sampler = AliasSampler::new(corpus.view(), 0.75, 5);
        let target = [1, 2, 3, 4, 1, 5];
        for seed in 0..200 {
            let negative_sample =
                sampler.get_negative_sample(&target, &mut RandomState::new(Seed::Pcg64(seed)));
            for (row, &t) in negative_sample.rows().into_iter().zip(&target) {
                let mut ids = row.to_vec();
                assert!(!ids.contains(&t));
                ids.sort();
                ids.dedup();
                assert_eq!(ids.len(), 5);
            }
        }
    }

    #[test]
    fn negatives_without_the_target_follow_the_books_renormalized_distribution() {
        // one negative per row: P(id) = p[id] / (1 - p[target])
        let p = array![0.4, 0.3, 0.2, 0.1];
        let sampler = AliasSampler::from_probabilities(&p, 1);
        let mut rng = RandomState::new(Seed::Pcg64(11));
        let rows = 100_000;
        let negatives = sampler.get_negative_sample(&vec![0; rows], &mut rng);
        for id in 1..4 {
            let count = negatives.iter().filter(|&&x| x == id).count() as f64;
            let q = p[id] / 0.6;
            let sd = (rows as f64 * q * (1.0 - q)).sqrt();
            assert!((count - rows as f64 * q).abs() < 5.0 * sd, "id {id}");
        }
    }

    #[test]
    fn the_dense_embedding_gradient_is_the_scattered_sparse_one() {
        let w = weights(5, 2);
        let mut book = Embedding::new();
        book.forward(&w, array![4, 0, 4].view());
        let dout = hidden(3, 2);
        let mut dw = Array2::zeros(w.raw_dim());
        book.backward(&dout, &mut dw);
        let sparse = SparseGrad { ids: vec![4, 0, 4], rows: dout };
        assert_eq!(sparse.to_dense(5), dw);
    }

    #[test]
    #[should_panic(expected = "5 distinct words, which leaves fewer than sample_size = 5")]
    fn a_vocabulary_too_small_for_the_negatives_panics() {
        AliasSampler::new(array![0, 1, 2, 3, 4].view(), 0.75, 5);
    }

    #[test]
    #[should_panic(expected = "2 of 3 words can be drawn, fewer than sample_size = 2")]
    fn words_that_cannot_be_drawn_do_not_count() {
        // once target 0 is excluded, only word 1 could be drawn: it would never find 2
        AliasSampler::from_probabilities(&array![0.5, 0.5, 0.0], 2);
    }

    #[test]
    fn bad_probabilities_and_targets_are_named() {
        for (p, message) in [
            (array![0.5, f64::NAN, 0.5], "a probability is NaN"),
            (array![0.75, -0.25, 0.5], "a probability is -0.25"),
        ] {
            let panic = std::panic::catch_unwind(|| {
                AliasSampler::from_probabilities(&p, 1);
            });
            let text = *panic.unwrap_err().downcast::<String>().unwrap();
            assert!(text.contains(message), "{text}");
        }
        let sampler = AliasSampler::from_probabilities(&array![0.25, 0.25, 0.5], 1);
        let panic = std::panic::catch_unwind(|| {
            sampler.get_negative_sample(&[0, 3], &mut RandomState::default())
        });
        let text = *panic.unwrap_err().downcast::<String>().unwrap();
        assert_eq!(text, "AliasSampler: target[1] = 3 is not below vocab_size 3");
    }

    #[test]
    #[should_panic(expected = "power = NaN is not a finite number")]
    fn a_power_that_is_not_a_number_panics() {
        AliasSampler::new(array![0, 1, 2, 3, 4].view(), f64::NAN, 2);
    }

    #[test]
    #[should_panic(expected = "add_at: dout is (1, 3) for 2 ids")]
    fn fewer_gradient_rows_than_ids_panic() {
        let grad = SparseGrad { ids: vec![0, 1], rows: Array2::<f64>::ones((1, 3)) };
        grad.to_dense(4);
    }
}
