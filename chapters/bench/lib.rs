//! Chapter 3's full output layer, the baseline that section 4.2 replaces, for the benchmark
//! (`section_4_2.rs`) to measure beside the Negative Sampling layers.

use ndarray::{Array2, NdFloat};
use zerotsuku2::common::functions::softmax;
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

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::ArrayView1;
    use zerotsuku2::common::layers::{MatMul, SoftmaxWithLoss};
    use zerotsuku2::np::max_abs_diff;

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
}
