//! Mirrors the book's `common/layers.py`: the layers chapter 4 uses, in the book's order
//! (`MatMul`, `SoftmaxWithLoss`, `SigmoidWithLoss`, `Embedding`).

use crate::common::functions::{cross_entropy_error, sigmoid, softmax};
use crate::np::cast;
use ndarray::{stack, Array1, Array2, ArrayView1, Axis, NdFloat};

/// `class MatMul`: `out = x · W`, the full output layer of chapter 3 that 4.2 replaces.
pub struct MatMul<A = f32> {
    /// `[W]`, `(H, V)`
    pub params: [Array2<A>; 1],
    /// `[dW]`, `(H, V)`
    pub grads: [Array2<A>; 1],
    x: Option<Array2<A>>,
}

impl<A: NdFloat> MatMul<A> {
    pub fn new(w: Array2<A>) -> Self {
        let dw = Array2::zeros(w.raw_dim());
        MatMul { params: [w], grads: [dw], x: None }
    }

    /// `out = np.dot(x, W)`
    ///
    /// # Shapes
    /// `x: (N, H), W: (H, V) -> out: (N, V)`
    ///
    /// # Panics
    /// If `x`'s width is not `W`'s height.
    pub fn forward(&mut self, x: &Array2<A>) -> Array2<A> {
        let [w] = &self.params;
        assert_eq!(
            x.ncols(),
            w.nrows(),
            "MatMul::forward: x has {} columns but W has {} rows",
            x.ncols(),
            w.nrows()
        );
        let out = x.dot(w);
        self.x = Some(x.clone());
        out
    }

    /// `dx = np.dot(dout, W.T)`, `dW = np.dot(self.x.T, dout)` into `grads`.
    ///
    /// # Shapes
    /// `dout: (N, V) -> dx: (N, H)`; `dW: (H, V)` in `grads`
    ///
    /// # Panics
    /// If `forward` has not run, or `dout` is not `(N, V)`.
    pub fn backward(&mut self, dout: &Array2<A>) -> Array2<A> {
        let x = self.x.as_ref().expect("MatMul::backward: forward has not run");
        let [w] = &self.params;
        assert_eq!(
            dout.dim(),
            (x.nrows(), w.ncols()),
            "MatMul::backward: dout is {:?}, not (N, V) = ({}, {})",
            dout.dim(),
            x.nrows(),
            w.ncols()
        );
        let dx = dout.dot(&w.t());
        self.grads[0].assign(&x.t().dot(dout));
        dx
    }
}

/// `class SoftmaxWithLoss`: softmax over every word of the vocabulary, then the cross
/// entropy of the correct one.
#[derive(Default)]
pub struct SoftmaxWithLoss<A = f32> {
    /// the softmax output of the last forward, `(N, V)`
    pub y: Option<Array2<A>>,
    /// the labels of the last forward, `(N,)`
    pub t: Option<Array1<usize>>,
}

impl<A: NdFloat> SoftmaxWithLoss<A> {
    pub fn new() -> Self {
        SoftmaxWithLoss { y: None, t: None }
    }

    /// `y = softmax(x)`, `loss = cross_entropy_error(y, t)`.
    ///
    /// # Shapes
    /// `x: (N, V), t: (N,) -> loss: ()`
    pub fn forward(&mut self, x: &Array2<A>, t: ArrayView1<'_, usize>) -> A {
        // self.t = t
        self.t = Some(t.to_owned());
        // self.y = softmax(x)
        let y = self.y.insert(softmax(x));
        // loss = cross_entropy_error(self.y, self.t)
        cross_entropy_error(y, t)
    }

    /// `dx = y; dx[arange(N), t] -= 1; dx *= dout; dx / N`
    ///
    /// # Panics
    /// If `forward` has not run.
    pub fn backward(&mut self, dout: A) -> Array2<A> {
        let (y, t) = self
            .y
            .as_ref()
            .zip(self.t.as_ref())
            .expect("SoftmaxWithLoss::backward: forward has not run");
        let batch_size = t.len();
        let mut dx = y.clone();
        for (i, &label) in t.iter().enumerate() {
            dx[[i, label]] -= A::one();
        }
        dx *= dout;
        dx / cast::<A>(batch_size as f64)
    }
}

/// `class SigmoidWithLoss`: the sigmoid of each score, then the cross entropy of a two-class
/// problem (label 1: the word is the target; label 0: it is not).
#[derive(Default)]
pub struct SigmoidWithLoss<A = f32> {
    /// the loss of the last forward
    pub loss: Option<A>,
    /// the sigmoid output of the last forward, `(N,)`
    pub y: Option<Array1<A>>,
    /// the labels of the last forward, `(N,)`
    pub t: Option<Array1<usize>>,
}

impl<A: NdFloat> SigmoidWithLoss<A> {
    pub fn new() -> Self {
        SigmoidWithLoss { loss: None, y: None, t: None }
    }

    /// `y = 1 / (1 + np.exp(-x))`, `loss = cross_entropy_error(np.c_[1 - y, y], t)`.
    ///
    /// # Shapes
    /// `x: (N,), t: (N,) -> loss: ()`
    ///
    /// # Panics
    /// If `t` does not have `N` labels, or a label is not 0 or 1.
    pub fn forward(&mut self, x: &Array1<A>, t: ArrayView1<'_, usize>) -> A {
        // self.t = t
        self.t = Some(t.to_owned());
        // self.y = 1 / (1 + np.exp(-x))
        let y = self.y.insert(sigmoid(x));
        // np.c_[1 - y, y]: column 0 is the probability of label 0, column 1 of label 1
        let both = stack(Axis(1), &[y.mapv(|y| A::one() - y).view(), y.view()])
            .expect("two columns of the same length");
        // self.loss = cross_entropy_error(np.c_[1 - self.y, self.y], self.t)
        *self.loss.insert(cross_entropy_error(&both, t))
    }

    /// `dx = (y - t) * dout / batch_size`
    ///
    /// # Shapes
    /// `dout: () -> dx: (N,)`
    ///
    /// # Panics
    /// If `forward` has not run.
    pub fn backward(&mut self, dout: A) -> Array1<A> {
        let (y, t) = self
            .y
            .as_ref()
            .zip(self.t.as_ref())
            .expect("SigmoidWithLoss::backward: forward has not run");
        let batch_size: A = cast(t.len() as f64);
        (y - &t.mapv(|label| cast(label as f64))) * dout / batch_size
    }
}

/// `class Embedding`: picks rows of `W` by word id, instead of multiplying a one-hot matrix.
///
/// In chapter 4 the weights are `(V, H)`, one row per word: the input layer's `W_in`, and the
/// output layer's `W_out` stored as the transpose of the `(H, V)` matrix of the math in 4.2.2.
///
/// The book's layer holds `W`; `CBOW` builds one per context word on the one `W_in`. Rust gives
/// an array one owner, so this layer borrows `W` in `forward` and adds its gradient rows into
/// the `dW` it is handed in `backward`, as [`EmbeddingDot`] does: the book's `Embedding(W)`
/// reads `Embedding::new()`, `forward(&W, idx)`, `backward(dout, &mut dW)`.
///
/// [`EmbeddingDot`]: crate::ch04::negative_sampling_layer::EmbeddingDot
#[derive(Default)]
pub struct Embedding {
    /// the ids of the last forward
    pub idx: Option<Vec<usize>>,
}

impl Embedding {
    pub fn new() -> Self {
        Embedding { idx: None }
    }

    /// `out = W[idx]`: row `idx[i]` of `W` becomes row `i` of `out`; a repeated id gives a
    /// repeated row.
    ///
    /// # Shapes
    /// `W: (V, H), idx: (N,) -> out: (N, H)`
    ///
    /// # Panics
    /// If an id in `idx` is not below `V`, naming the id, its position and `V`.
    pub fn forward<A: NdFloat>(&mut self, w: &Array2<A>, idx: ArrayView1<'_, usize>) -> Array2<A> {
        // self.idx = idx
        let idx = self.idx.insert(idx.to_vec());
        // out = W[idx]
        take_rows("Embedding::forward", w, idx)
    }

    /// `np.add.at(dW, self.idx, dout)`: row `i` of `dout` is added to row `idx[i]` of `dW`, so a
    /// word that appears twice gets the sum of its two rows, and a word that does not appear
    /// keeps its row. The book's layer first zeroes its own `dW` (`dW[...] = 0`); here the
    /// owner of the `dW` zeroes it, once for all the layers that add into it. Returns nothing,
    /// as the book's returns `None`.
    ///
    /// # Shapes
    /// `dout: (N, H) -> dW: (V, H)`
    ///
    /// # Panics
    /// If `forward` has not run, or `dout` is not `(N, H)` for the `N` ids of that forward.
    pub fn backward<A: NdFloat>(&mut self, dout: &Array2<A>, dw: &mut Array2<A>) {
        let idx = self
            .idx
            .as_ref()
            .expect("Embedding::backward: forward has not run, so there are no ids to add into");
        assert_eq!(
            dout.dim(),
            (idx.len(), dw.ncols()),
            "Embedding::backward: dout is {:?} but forward took {} ids of width {}",
            dout.dim(),
            idx.len(),
            dw.ncols()
        );
        add_at(dw, idx, dout);
    }
}

/// `W[idx]`, for `who`: the Embedding forward of [`Embedding`] and of the Embedding Dot layer.
///
/// # Panics
/// If an id is not below `V`, naming `who`, the id, its position and `V`.
pub fn take_rows<A: NdFloat>(who: &str, w: &Array2<A>, idx: &[usize]) -> Array2<A> {
    check_ids(who, w.nrows(), idx);
    w.select(Axis(0), idx)
}

/// That every id of `idx` names a row of a `W` of `vocab_size` rows.
///
/// # Panics
/// At the first id that does not, naming `who`, the id, its position and `V`.
pub fn check_ids(who: &str, vocab_size: usize, idx: &[usize]) {
    if let Some(position) = idx.iter().position(|&id| id >= vocab_size) {
        panic!(
            "{who}: idx[{position}] = {} is out of range: W has {vocab_size} rows (word ids 0..{vocab_size})",
            idx[position]
        );
    }
}

/// `np.add.at(dW, idx, dout)`: adds row `i` of `dout` into row `idx[i]` of `dW`, one after
/// another, so repeated ids accumulate.
///
/// # Shapes
/// `dW: (V, H), idx: (N,), dout: (N, H)`
pub fn add_at<A: NdFloat>(dw: &mut Array2<A>, idx: &[usize], dout: &Array2<A>) {
    assert_eq!(
        (dout.nrows(), dout.ncols()),
        (idx.len(), dw.ncols()),
        "add_at: dout is {:?} for {} ids and rows of width {}",
        dout.dim(),
        idx.len(),
        dw.ncols()
    );
    if let Some(i) = idx.iter().position(|&id| id >= dw.nrows()) {
        panic!("add_at: idx[{i}] = {} is not below dW's {} rows", idx[i], dw.nrows());
    }
    for (&id, row) in idx.iter().zip(dout.rows()) {
        // element by element: ndarray's `+=` costs several times more on rows of 100
        dw.row_mut(id).iter_mut().zip(row).for_each(|(d, &g)| *d += g);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::np::gradient::numerical_gradient;
    use ndarray::{array, Array1};

    #[test]
    #[should_panic(expected = "MatMul::backward: dout is (2, 5), not (N, V) = (2, 7)")]
    fn matmul_backward_names_a_wrongly_shaped_dout() {
        let mut layer = MatMul::<f64>::new(Array2::zeros((3, 7)));
        layer.forward(&Array2::zeros((2, 3)));
        layer.backward(&Array2::zeros((2, 5)));
    }

    #[test]
    #[should_panic(expected = "add_at: idx[1] = 7 is not below dW's 7 rows")]
    fn add_at_names_an_id_out_of_range() {
        add_at(&mut Array2::<f64>::zeros((7, 3)), &[1, 7], &Array2::zeros((2, 3)));
    }

    #[test]
    #[should_panic(expected = "add_at: dout is (1, 3) for 2 ids")]
    fn add_at_never_drops_ids_without_rows() {
        add_at(&mut Array2::<f64>::zeros((7, 3)), &[1, 2], &Array2::zeros((1, 3)));
    }

    fn w() -> Array2<f64> {
        Array1::range(0.0, 21.0, 1.0).into_shape_with_order((7, 3)).unwrap()
    }

    #[test]
    fn sigmoid_with_loss_gradient_is_y_minus_t_over_n() {
        let x = array![0.05, -0.48, 1.15, 0.12];
        let t = array![1, 0, 1, 1];
        let mut layer = SigmoidWithLoss::new();
        layer.forward(&x, t.view());
        let dx = layer.backward(1.0);
        let numeric = numerical_gradient(&x, |x| SigmoidWithLoss::new().forward(x, t.view()));
        // backward is the exact gradient of the loss without the 1e-7 inside the log; that
        // term moves the true gradient by about 1e-7 / y, so agreement is to ~1e-7, while a
        // wrong sign, label or batch division would be off by more than 0.01
        assert!(crate::np::max_abs_diff(&dx, &numeric) < 1e-6);
        let y = crate::common::functions::sigmoid(&x);
        let expected = (&y - &array![1.0, 0.0, 1.0, 1.0]) / 4.0;
        assert_eq!(dx, expected);
    }

    #[test]
    fn sigmoid_with_loss_is_the_binary_cross_entropy() {
        // -(t log y + (1 - t) log(1 - y)), averaged, with the 1e-7 inside the log
        let x: Array1<f64> = array![0.3, -1.2];
        let t = array![1, 0];
        let y = crate::common::functions::sigmoid(&x);
        let expected = -((y[0] + 1e-7).ln() + (1.0 - y[1] + 1e-7).ln()) / 2.0;
        let loss = SigmoidWithLoss::new().forward(&x, t.view());
        assert!((loss - expected).abs() < 1e-15);
    }

    #[test]
    fn matmul_and_softmax_with_loss_gradients_match_finite_differences() {
        let x = Array2::from_shape_fn((2, 3), |(i, j)| ((i * 3 + j) as f64 * 0.7).sin());
        let w = Array2::from_shape_fn((3, 5), |(i, j)| ((i * 5 + j) as f64 * 0.3).cos());
        let t = array![4, 1];
        let loss = |x: &Array2<f64>, w: &Array2<f64>| {
            let score = MatMul::new(w.clone()).forward(x);
            SoftmaxWithLoss::new().forward(&score, t.view())
        };
        let mut matmul = MatMul::new(w.clone());
        let mut softmax_with_loss = SoftmaxWithLoss::new();
        softmax_with_loss.forward(&matmul.forward(&x), t.view());
        let dscore = softmax_with_loss.backward(1.0);
        let dx = matmul.backward(&dscore);
        let numeric_dx = numerical_gradient(&x, |x| loss(x, &w));
        let numeric_dw = numerical_gradient(&w, |w| loss(&x, w));
        // to ~1e-7, not to rounding: see the 1e-7 inside the log, as above
        assert!(crate::np::max_abs_diff(&dx, &numeric_dx) < 1e-6);
        assert!(crate::np::max_abs_diff(&matmul.grads[0], &numeric_dw) < 1e-6);
    }

    #[test]
    fn forward_picks_rows_and_repeats_them() {
        let mut layer = Embedding::new();
        let out = layer.forward(&w(), array![1, 2, 1].view());
        assert_eq!(out, array![[3.0, 4.0, 5.0], [6.0, 7.0, 8.0], [3.0, 4.0, 5.0]]);
    }

    #[test]
    fn backward_adds_repeated_rows_like_np_add_at() {
        let mut layer = Embedding::new();
        layer.forward(&w(), array![1, 2, 1].view());
        let mut dw = Array2::zeros((7, 3));
        layer
            .backward(&array![[1.0, 2.0, 3.0], [10.0, 20.0, 30.0], [100.0, 200.0, 300.0]], &mut dw);
        let mut expected = Array2::zeros((7, 3));
        expected.row_mut(1).assign(&array![101.0, 202.0, 303.0]);
        expected.row_mut(2).assign(&array![10.0, 20.0, 30.0]);
        assert_eq!(dw, expected);
    }

    /// Layers that share one weight add into one gradient: the sum the book's
    /// `remove_duplicate` makes of their separate ones.
    #[test]
    fn two_layers_on_one_weight_add_into_one_gradient() {
        let (mut first, mut second) = (Embedding::new(), Embedding::new());
        first.forward(&w(), array![4, 1].view());
        second.forward(&w(), array![1].view());
        let mut dw = Array2::zeros((7, 3));
        first.backward(&array![[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]], &mut dw);
        second.backward(&array![[5.0, 5.0, 5.0]], &mut dw);
        assert_eq!(dw.row(4), array![1.0, 1.0, 1.0]);
        assert_eq!(dw.row(1), array![7.0, 7.0, 7.0]);
        assert_eq!(dw.sum(), 3.0 + 21.0);
    }

    #[test]
    fn gradient_matches_finite_differences_with_repeated_ids() {
        // L = sum(dout * W[idx]); its gradient with respect to W is what backward computes
        let idx = array![1, 2, 3, 4, 1, 5];
        let dout = Array2::from_shape_fn((6, 3), |(i, j)| (i as f64 - 2.5) * 0.3 + j as f64 * 0.7);
        let w = w().mapv(|x| (x * 0.37).sin());
        let mut layer = Embedding::new();
        layer.forward(&w, idx.view());
        let mut dw = Array2::zeros(w.raw_dim());
        layer.backward(&dout, &mut dw);

        let numeric = numerical_gradient(&w, |w| {
            let mut probe = Embedding::new();
            (&probe.forward(w, idx.view()) * &dout).sum()
        });
        assert!(crate::np::max_abs_diff(&dw, &numeric) < 1e-9);
        // the repeated id really did add up, and absent ids stayed zero
        assert_eq!(dw.row(1), &dout.row(0) + &dout.row(4));
        assert_eq!(dw.row(0), array![0.0, 0.0, 0.0]);
    }

    #[test]
    #[should_panic(expected = "idx[2] = 7 is out of range: W has 7 rows")]
    fn an_id_outside_the_vocabulary_panics() {
        Embedding::new().forward(&w(), array![0, 6, 7].view());
    }

    #[test]
    #[should_panic(expected = "Embedding::backward: forward has not run")]
    fn backward_before_forward_panics() {
        Embedding::new().backward(&Array2::zeros((1, 3)), &mut w());
    }

    #[test]
    #[should_panic(expected = "dout is (2, 3) but forward took 3 ids of width 3")]
    fn backward_with_the_wrong_row_count_panics() {
        let mut layer = Embedding::new();
        layer.forward(&w(), array![0, 1, 2].view());
        layer.backward(&Array2::zeros((2, 3)), &mut w());
    }
}
