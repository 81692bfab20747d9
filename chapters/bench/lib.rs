//! What the benchmark (`section_4_2.rs`) measures beside the book's layers and the engine's:
//! chapter 3's full output layer, the baseline that section 4.2 replaces, and the Embedding Dot
//! layer on its own as the engine would run it.

use ndarray::{Array1, Array2, ArrayView1, NdFloat, Zip};
use zerotsuku2::common::functions::softmax;
use zerotsuku2::fast::negative_sampling::SparseGrad;
use zerotsuku2::fast::rows::gather;
use zerotsuku2::np::cast;

/// The full output layer of chapter 3 for any float, the cost 4.2 removes: `score = h · W`
/// over the whole vocabulary, softmax, cross entropy, and the backward (`dh`, `dW`).
///
/// # Shapes
/// `h: (N, H), W: (H, V), t: (N,) -> (loss, dh: (N, H), dW: (H, V))`
pub fn full_output_layer<A: NdFloat>(
    h: &Array2<A>,
    w: &Array2<A>,
    t: &[usize],
) -> (A, Array2<A>, Array2<A>) {
    assert_eq!(
        (h.nrows(), h.ncols()),
        (t.len(), w.nrows()),
        "full_output_layer: h is {:?} but t has {} labels and W is {:?}",
        h.dim(),
        t.len(),
        w.dim()
    );
    if let Some(i) = t.iter().position(|&label| label >= w.ncols()) {
        panic!("full_output_layer: t[{i}] = {} is not below V = {}", t[i], w.ncols());
    }
    let score = h.dot(w);
    let mut y = softmax(&score);
    let batch_size = cast::<A>(t.len() as f64);
    let eps = cast::<A>(1e-7);
    let mut loss = A::zero();
    for (i, &label) in t.iter().enumerate() {
        loss -= (y[[i, label]] + eps).ln();
        y[[i, label]] -= A::one();
    }
    // y now holds the softmax minus the one-hot labels: dscore before the batch division
    y.mapv_inplace(|v| v / batch_size);
    let dh = y.dot(&w.t());
    let dw = h.t().dot(&y);
    (loss / batch_size, dh, dw)
}

/// The matrix products alone of [`full_output_layer`]: `h · W`, `dscore · W.T`, `h.T ·
/// dscore`. What the full layer cannot go below.
pub fn full_output_matmuls<A: NdFloat>(h: &Array2<A>, w: &Array2<A>) -> (Array2<A>, Array2<A>) {
    let score = h.dot(w);
    let dh = score.dot(&w.t());
    let dw = h.t().dot(&score);
    (dh, dw)
}

/// The book's `EmbeddingDot` as the engine would run it: a borrowed `W`, the gradient as the rows
/// it touched, and its buffers kept between calls, so that after the first call it allocates only
/// what it returns. The engine's Negative Sampling layer does this for all its score columns at
/// once; this one layer is measured here beside the book's.
pub struct RowEmbeddingDot<A> {
    /// the touched rows of `dW` from the last backward
    pub grad: SparseGrad<A>,
    h: Array2<A>,
    target_w: Array2<A>,
}

impl<A: NdFloat> Default for RowEmbeddingDot<A> {
    fn default() -> Self {
        Self::new()
    }
}

impl<A: NdFloat> RowEmbeddingDot<A> {
    pub fn new() -> Self {
        RowEmbeddingDot {
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
            "RowEmbeddingDot::forward: h is {:?} but idx has {} ids and W rows have width {}",
            h.dim(),
            idx.len(),
            w.ncols()
        );
        gather(&mut self.target_w, w, idx);
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
            "RowEmbeddingDot::backward: dout has {} elements but forward scored {} rows",
            dout.len(),
            self.grad.ids.len()
        );
        scale_rows_into(&mut self.grad.rows, &self.h, |i| dout[i]);
        let mut dh = Array2::zeros(self.target_w.raw_dim());
        scale_rows_into(&mut dh, &self.target_w, |i| dout[i]);
        dh
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;
    use ndarray::ArrayView1;
    use zerotsuku2::ch04::negative_sampling_layer as faithful;
    use zerotsuku2::common::layers::{MatMul, SoftmaxWithLoss};
    use zerotsuku2::np::max_abs_diff;

    fn close<D: ndarray::Dimension>(a: &ndarray::Array<f64, D>, b: &ndarray::Array<f64, D>) {
        let worst = max_abs_diff(a, b);
        assert!(worst < 1e-12, "differ by {worst:e}");
    }

    fn weights(v: usize, h: usize) -> Array2<f64> {
        Array2::from_shape_fn((v, h), |(i, j)| ((i * h + j) as f64 * 0.37).sin())
    }

    fn hidden(n: usize, h: usize) -> Array2<f64> {
        Array2::from_shape_fn((n, h), |(i, j)| ((i * h + j) as f64 * 0.23).cos())
    }

    #[test]
    fn full_output_layer_equals_matmul_and_softmax_with_loss() {
        let h = hidden(4, 3);
        let w = weights(3, 9);
        let t = [2, 8, 0, 2];
        let (loss, dh, dw) = full_output_layer(&h, &w, &t);
        let mut matmul = MatMul::new(w.clone());
        let mut softmax_with_loss = SoftmaxWithLoss::new();
        let book_loss = softmax_with_loss.forward(&matmul.forward(&h), ArrayView1::from(&t));
        let book_dh = matmul.backward(&softmax_with_loss.backward(1.0));
        assert!((loss - book_loss).abs() < 1e-14);
        assert!(max_abs_diff(&dh, &book_dh) < 1e-14);
        assert!(max_abs_diff(&dw, &matmul.grads[0]) < 1e-14);
    }

    #[test]
    #[should_panic(expected = "t[1] = 7 is not below V = 7")]
    fn a_label_outside_the_vocabulary_panics() {
        full_output_layer(&Array2::<f64>::zeros((2, 3)), &Array2::zeros((3, 7)), &[0, 7]);
    }

    #[test]
    #[should_panic(expected = "h is (2, 3) but t has 1 labels")]
    fn fewer_labels_than_rows_panic() {
        full_output_layer(&Array2::<f64>::zeros((2, 3)), &Array2::zeros((3, 7)), &[0]);
    }

    #[test]
    fn embedding_dot_equals_the_faithful_layer_with_repeated_ids() {
        let w = weights(7, 21);
        let h = hidden(6, 21);
        let idx = [1, 2, 3, 4, 1, 5];
        let ds = array![-1.6, -0.87, 1.33, 0.94, 0.34, -0.06];

        let mut book = faithful::EmbeddingDot::new();
        let book_s = book.forward(&w, &h, ArrayView1::from(&idx));
        let mut book_dw = Array2::zeros(w.raw_dim());
        let book_dh = book.backward(ds.view(), &mut book_dw);

        let mut fast = RowEmbeddingDot::new();
        let s = fast.forward(&w, &h, &idx);
        let dh = fast.backward(ds.view());
        let grad = fast.grad;

        // the same sums, maybe in another order: equal to far below float64's 1e-16 relative
        // rounding of these sizes times the 21 terms
        close(&s, &book_s);
        close(&dh, &book_dh);
        let mut dw = Array2::zeros(w.raw_dim());
        zerotsuku2::common::layers::add_at(&mut dw, &grad.ids, &grad.rows);
        close(&dw, &book_dw);
        assert_eq!(grad.ids, idx, "one row per id, repeats kept");
    }
}
