//! The book's `NegativeSamplingLoss` ([`crate::ch04::negative_sampling_layer`]) as the engine
//! runs it, at a cost that does not grow with `V`: `W` borrowed, so one `W_out` serves every
//! score column and SkipGram's ten layers; its gradient kept as the rows it touched
//! ([`SparseGrad`]), where the book's `Embedding` zeroes and fills a whole `(V, H)` `dW` on every
//! backward; and its buffers kept between calls. The negatives come from outside: the book's
//! sampler or the alias table ([`super::sampler`]).
//!
//! The tests hold it to the book's layer in float64: the same loss, `dh` and gradient rows (once
//! scattered into a `(V, H)` array), for the same negatives, within 1e-12.

use crate::fast::rows::gather;
use crate::np::cast;
use ndarray::{Array2, ArrayView1, NdFloat};

/// The rows of a `(V, H)` gradient that a batch touched: row `ids[i]` of `dW` gains
/// `rows[i]`. An id may repeat; its rows add up when scattered, as with `np.add.at`.
#[derive(Clone, Debug, PartialEq)]
pub struct SparseGrad<A> {
    pub ids: Vec<usize>,
    /// `(len(ids), H)`
    pub rows: Array2<A>,
}

/// The book's `NegativeSamplingLoss` with a borrowed `W` and its gradient as the rows it
/// touched. All `sample_size + 1` score columns live in one set of buffers kept between calls:
/// row `c * N + i` holds column `c` (the target first, then each negative) of example `i`.
pub struct RowNegativeSamplingLoss<A = f32> {
    pub sample_size: usize,
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

impl<A: NdFloat> RowNegativeSamplingLoss<A> {
    /// `NegativeSamplingLoss(W, corpus, power=0.75, sample_size)`, with `W` and the sampler
    /// given at each call.
    pub fn new(sample_size: usize) -> Self {
        RowNegativeSamplingLoss {
            sample_size,
            grad: SparseGrad { ids: Vec::new(), rows: Array2::zeros((0, 0)) },
            negative_sample: Array2::zeros((0, 0)),
            h: Array2::zeros((0, 0)),
            target_w: Array2::zeros((0, 0)),
            y: Vec::new(),
            picked: Vec::new(),
        }
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
            "RowNegativeSamplingLoss::forward: negative_sample is {:?}, not (batch_size, sample_size)",
            negative_sample.dim()
        );
        assert_eq!(
            h.dim(),
            (batch_size, w.ncols()),
            "RowNegativeSamplingLoss::forward: h is {:?} but target has {batch_size} ids and W rows have width {}",
            h.dim(),
            w.ncols()
        );
        let ids = &mut self.grad.ids;
        ids.clear();
        ids.extend_from_slice(target);
        for column in negative_sample.columns() {
            ids.extend(column.iter());
        }
        gather(&mut self.target_w, w, ids);
        if self.h.dim() == h.dim() {
            self.h.assign(h);
        } else {
            self.h = h.clone();
        }
        self.negative_sample = negative_sample;

        let (one, eps) = (A::one(), cast::<A>(1e-7));
        let n = cast::<A>(batch_size as f64);
        let width = w.ncols();
        let target_w = self.target_w.as_slice().expect("gather makes it contiguous");
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
        assert!(!self.y.is_empty(), "RowNegativeSamplingLoss::backward: forward has not run");
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
    use crate::fast::sampler::AliasSampler;
    use crate::np::random::{RandomState, Seed};
    use ndarray::array;

    /// How far the fast path may be from the faithful layers in float64: they add the same
    /// terms, perhaps in another order (ndarray may change how it sums a dot product).
    const TOLERANCE: f64 = 1e-12;

    /// The gradient rows scattered into the `(V, H)` gradient the book's layer holds:
    /// `np.add.at(dW, ids, rows)`.
    fn dense(grad: &SparseGrad<f64>, vocab_size: usize) -> Array2<f64> {
        let mut dw = Array2::zeros((vocab_size, grad.rows.ncols()));
        crate::common::layers::add_at(&mut dw, &grad.ids, &grad.rows);
        dw
    }

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

        let mut fast = RowNegativeSamplingLoss::<f64>::new(3);
        let loss = fast.forward_with(&w, &h, &target, negative_sample);
        let dh = fast.backward(1.0);

        assert!((loss - book_loss).abs() < TOLERANCE);
        close(&dh, &book_dh);
        close(&dense(&fast.grad, 10), &book_dw);
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
        close(&dense(&fast.grad, 10), &book_dw);
    }

    #[test]
    fn float32_agrees_with_float64_to_float32_precision() {
        let corpus = array![0, 1, 2, 3, 4, 1, 5, 6];
        let w = weights(7, 3);
        let h = hidden(6, 3);
        let target = [1, 2, 3, 4, 1, 5];
        let negatives = AliasSampler::new(corpus.view(), 0.75, 5)
            .get_negative_sample(&target, &mut RandomState::default());
        let mut wide = RowNegativeSamplingLoss::<f64>::new(5);
        let loss64 = wide.forward_with(&w, &h, &target, negatives.clone());
        let dh64 = wide.backward(1.0);
        let mut narrow = RowNegativeSamplingLoss::<f32>::new(5);
        let loss32 =
            narrow.forward_with(&w.mapv(|x| x as f32), &h.mapv(|x| x as f32), &target, negatives);
        let dh32 = narrow.backward(1.0);
        assert!((loss32 as f64 - loss64).abs() < 1e-5 * loss64.abs());
        assert!(crate::np::max_abs_diff(&dh32.mapv(|x| x as f64), &dh64) < 1e-6);
    }
}
