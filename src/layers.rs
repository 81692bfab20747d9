//! Mirrors the book's `common/layers.py`: the layers chapter 4 uses.

use ndarray::{Array2, ArrayView1, Axis};

/// `class Embedding`: picks rows of `W` by word id, instead of multiplying a one-hot matrix.
///
/// In chapter 4 the weights are `(V, H)`, one row per word: the input layer's `W_in`, and the
/// output layer's `W_out` stored as the transpose of the `(H, V)` matrix of the math in 4.2.2.
pub struct Embedding {
    /// `[W]`, `(V, H)`
    pub params: [Array2<f64>; 1],
    /// `[dW]`, `(V, H)`, filled by `backward`
    pub grads: [Array2<f64>; 1],
    idx: Option<Vec<usize>>,
}

impl Embedding {
    /// `Embedding(W)`: the gradient starts as `np.zeros_like(W)`.
    pub fn new(w: Array2<f64>) -> Self {
        let dw = Array2::zeros(w.raw_dim());
        Embedding {
            params: [w],
            grads: [dw],
            idx: None,
        }
    }

    /// `out = W[idx]`: row `idx[i]` of `W` becomes row `i` of `out`; a repeated id gives a
    /// repeated row.
    ///
    /// # Shapes
    /// `W: (V, H), idx: (N,) -> out: (N, H)`
    ///
    /// # Panics
    /// If an id in `idx` is not below `V`, naming the id, its position and `V`.
    pub fn forward(&mut self, idx: ArrayView1<'_, usize>) -> Array2<f64> {
        let [w] = &self.params;
        let vocab_size = w.nrows();
        for (position, &id) in idx.iter().enumerate() {
            assert!(
                id < vocab_size,
                "Embedding::forward: idx[{position}] = {id} is out of range: W has {vocab_size} rows (word ids 0..{vocab_size})"
            );
        }
        let idx = idx.to_vec();
        let out = w.select(Axis(0), &idx);
        self.idx = Some(idx);
        out
    }

    /// `dW[...] = 0`, then `np.add.at(dW, self.idx, dout)`: row `i` of `dout` is added to row
    /// `idx[i]` of `dW`, so a word that appears twice gets the sum of its two rows, and a word
    /// that does not appear keeps a zero row. Returns nothing, as the book's returns `None`.
    ///
    /// # Shapes
    /// `dout: (N, H) -> dW: (V, H)`
    ///
    /// # Panics
    /// If `forward` has not run, or `dout` is not `(N, H)` for the `N` ids of that forward.
    pub fn backward(&mut self, dout: &Array2<f64>) {
        let idx = self
            .idx
            .as_ref()
            .expect("Embedding::backward: forward has not run, so there are no ids to add into");
        let [dw] = &mut self.grads;
        assert_eq!(
            dout.dim(),
            (idx.len(), dw.ncols()),
            "Embedding::backward: dout is {:?} but forward took {} ids of width {}",
            dout.dim(),
            idx.len(),
            dw.ncols()
        );
        dw.fill(0.0);
        for (&id, row) in idx.iter().zip(dout.rows()) {
            let mut dw_row = dw.row_mut(id);
            dw_row += &row;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradient_check::numerical_gradient;
    use ndarray::{array, Array1};

    fn w() -> Array2<f64> {
        Array1::range(0.0, 21.0, 1.0)
            .into_shape_with_order((7, 3))
            .unwrap()
    }

    #[test]
    fn forward_picks_rows_and_repeats_them() {
        let mut layer = Embedding::new(w());
        let out = layer.forward(array![1, 2, 1].view());
        assert_eq!(
            out,
            array![[3.0, 4.0, 5.0], [6.0, 7.0, 8.0], [3.0, 4.0, 5.0]]
        );
    }

    #[test]
    fn backward_adds_repeated_rows_like_np_add_at() {
        let mut layer = Embedding::new(w());
        layer.forward(array![1, 2, 1].view());
        layer.backward(&array![
            [1.0, 2.0, 3.0],
            [10.0, 20.0, 30.0],
            [100.0, 200.0, 300.0]
        ]);
        let [dw] = &layer.grads;
        let mut expected = Array2::zeros((7, 3));
        expected.row_mut(1).assign(&array![101.0, 202.0, 303.0]);
        expected.row_mut(2).assign(&array![10.0, 20.0, 30.0]);
        assert_eq!(dw, &expected);
    }

    #[test]
    fn backward_zeroes_what_the_last_call_left() {
        let mut layer = Embedding::new(w());
        layer.forward(array![4].view());
        layer.backward(&array![[1.0, 1.0, 1.0]]);
        layer.forward(array![0].view());
        layer.backward(&array![[2.0, 2.0, 2.0]]);
        let [dw] = &layer.grads;
        assert_eq!(dw.row(4), array![0.0, 0.0, 0.0]);
        assert_eq!(dw.row(0), array![2.0, 2.0, 2.0]);
    }

    #[test]
    fn gradient_matches_finite_differences_with_repeated_ids() {
        // L = sum(dout * W[idx]); its gradient with respect to W is what backward computes
        let idx = array![1, 2, 3, 4, 1, 5];
        let dout = Array2::from_shape_fn((6, 3), |(i, j)| (i as f64 - 2.5) * 0.3 + j as f64 * 0.7);
        let mut layer = Embedding::new(w().mapv(|x| (x * 0.37).sin()));
        layer.forward(idx.view());
        layer.backward(&dout);

        let numeric = numerical_gradient(&layer.params[0], |w| {
            let mut probe = Embedding::new(w.clone());
            (&probe.forward(idx.view()) * &dout).sum()
        });
        let [dw] = &layer.grads;
        assert!(crate::np::max_abs_diff(dw, &numeric) < 1e-9);
        // the repeated id really did add up, and absent ids stayed zero
        assert_eq!(dw.row(1), &dout.row(0) + &dout.row(4));
        assert_eq!(dw.row(0), array![0.0, 0.0, 0.0]);
    }

    #[test]
    #[should_panic(expected = "idx[2] = 7 is out of range: W has 7 rows")]
    fn an_id_outside_the_vocabulary_panics() {
        Embedding::new(w()).forward(array![0, 6, 7].view());
    }

    #[test]
    #[should_panic(expected = "forward has not run")]
    fn backward_before_forward_panics() {
        Embedding::new(w()).backward(&Array2::zeros((1, 3)));
    }

    #[test]
    #[should_panic(expected = "dout is (2, 3) but forward took 3 ids of width 3")]
    fn backward_with_the_wrong_row_count_panics() {
        let mut layer = Embedding::new(w());
        layer.forward(array![0, 1, 2].view());
        layer.backward(&Array2::zeros((2, 3)));
    }
}
