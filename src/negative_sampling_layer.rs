//! Mirrors the book's `ch04/negative_sampling_layer.py`.

use crate::layers::Embedding;
use ndarray::{Array1, Array2, ArrayView1, Axis};

/// `class EmbeddingDot`: the score of the target word alone. It picks the target's row of
/// `W_out` (an [`Embedding`]) and takes its dot product with the hidden row, instead of
/// multiplying `h` by the whole `W_out`.
pub struct EmbeddingDot {
    pub embed: Embedding,
    /// `(h, target_W)` from the last forward
    cache: Option<(Array2<f64>, Array2<f64>)>,
}

impl EmbeddingDot {
    /// `EmbeddingDot(W)` with `W` as `(V, H)`: row `i` is word `i`'s output vector.
    pub fn new(w: Array2<f64>) -> Self {
        EmbeddingDot {
            embed: Embedding::new(w),
            cache: None,
        }
    }

    /// `self.params`: the embedding's `[W]`.
    pub fn params(&self) -> &[Array2<f64>; 1] {
        &self.embed.params
    }

    /// `self.grads`: the embedding's `[dW]`.
    pub fn grads(&self) -> &[Array2<f64>; 1] {
        &self.embed.grads
    }

    /// `target_W = self.embed.forward(idx)`, `out = np.sum(target_W * h, axis=1)`:
    /// `out[i]` is the dot product of row `i` of `h` with row `idx[i]` of `W`.
    ///
    /// # Shapes
    /// `h: (N, H), idx: (N,) -> out: (N,)`
    ///
    /// # Panics
    /// If `h` has a row count other than `idx`'s length or a width other than `W`'s, or an id
    /// is not below `V` (see [`Embedding::forward`]).
    pub fn forward(&mut self, h: &Array2<f64>, idx: ArrayView1<'_, usize>) -> Array1<f64> {
        let [w] = self.params();
        assert_eq!(
            h.dim(),
            (idx.len(), w.ncols()),
            "EmbeddingDot::forward: h is {:?} but idx has {} ids and W rows have width {}",
            h.dim(),
            idx.len(),
            w.ncols()
        );
        let target_w = self.embed.forward(idx);
        let out = (&target_w * h).sum_axis(Axis(1));

        self.cache = Some((h.clone(), target_w));
        out
    }

    /// `dout` as a column, `dtarget_W = dout * h` into the embedding's backward (filling
    /// `grads`), and `dh = dout * target_W` returned.
    ///
    /// # Shapes
    /// `dout: (N,) -> dh: (N, H)`; `dW: (V, H)` in `grads`
    ///
    /// # Panics
    /// If `forward` has not run, or `dout` does not have `N` elements.
    pub fn backward(&mut self, dout: ArrayView1<'_, f64>) -> Array2<f64> {
        let (h, target_w) = self
            .cache
            .as_ref()
            .expect("EmbeddingDot::backward: forward has not run, so there is no cache");
        assert_eq!(
            dout.len(),
            h.nrows(),
            "EmbeddingDot::backward: dout has {} elements but forward scored {} rows",
            dout.len(),
            h.nrows()
        );
        // dout = dout.reshape(dout.shape[0], 1)
        let dout = dout
            .to_shape((dout.len(), 1))
            .expect("a 1-d array reshapes to a column");

        let dtarget_w = &dout * h;
        self.embed.backward(&dtarget_w);
        &dout * target_w
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradient_check::numerical_gradient;
    use crate::np::max_abs_diff;
    use ndarray::array;

    fn arange(n: usize, shape: (usize, usize)) -> Array2<f64> {
        Array1::range(0.0, n as f64, 1.0)
            .into_shape_with_order(shape)
            .unwrap()
    }

    #[test]
    fn the_books_small_example() {
        // W = np.arange(21).reshape(7, 3); idx = np.array([0, 3, 1]); h = np.arange(9).reshape(3, 3)
        let mut layer = EmbeddingDot::new(arange(21, (7, 3)));
        let s = layer.forward(&arange(9, (3, 3)), array![0, 3, 1].view());
        assert_eq!(s, array![5.0, 122.0, 86.0]);
        assert_eq!(crate::np::array_str(&s), "[  5. 122.  86.]");
    }

    #[test]
    fn gradients_match_finite_differences_with_repeated_ids() {
        let idx = array![1, 2, 3, 4, 1, 5];
        let w = Array2::from_shape_fn((7, 3), |(i, j)| ((i * 3 + j) as f64 * 0.61).sin());
        let h = Array2::from_shape_fn((6, 3), |(i, j)| ((i * 3 + j) as f64 * 0.29).cos());
        let ds = array![-1.6, -0.87, 1.33, 0.94, 0.34, -0.06];
        // L = sum(ds * s), so dL/ds = ds: what backward receives
        let loss = |w: &Array2<f64>, h: &Array2<f64>| {
            let mut probe = EmbeddingDot::new(w.clone());
            (&probe.forward(h, idx.view()) * &ds).sum()
        };

        let mut layer = EmbeddingDot::new(w.clone());
        layer.forward(&h, idx.view());
        let dh = layer.backward(ds.view());
        let [dw] = layer.grads();

        let numeric_dh = numerical_gradient(&h, |h| loss(&w, h));
        let numeric_dw = numerical_gradient(&w, |w| loss(w, &h));
        assert!(max_abs_diff(&dh, &numeric_dh) < 1e-9);
        assert!(max_abs_diff(dw, &numeric_dw) < 1e-9);
        // word 1 is the target twice: its gradient row is the sum of both
        assert_eq!(dw.row(1), &(&h.row(0) * ds[0]) + &(&h.row(4) * ds[4]));
    }

    #[test]
    #[should_panic(expected = "h is (5, 3) but idx has 6 ids")]
    fn h_with_the_wrong_row_count_panics() {
        let mut layer = EmbeddingDot::new(arange(21, (7, 3)));
        layer.forward(&Array2::zeros((5, 3)), array![1, 2, 3, 4, 1, 5].view());
    }

    #[test]
    #[should_panic(expected = "idx[1] = 9 is out of range: W has 7 rows")]
    fn an_id_outside_the_vocabulary_panics() {
        let mut layer = EmbeddingDot::new(arange(21, (7, 3)));
        layer.forward(&Array2::zeros((2, 3)), array![1, 9].view());
    }

    #[test]
    #[should_panic(expected = "dout has 2 elements but forward scored 3 rows")]
    fn dout_with_the_wrong_length_panics() {
        let mut layer = EmbeddingDot::new(arange(21, (7, 3)));
        layer.forward(&arange(9, (3, 3)), array![0, 3, 1].view());
        layer.backward(array![1.0, 2.0].view());
    }
}
