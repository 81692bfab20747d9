//! Mirrors the book's `common/functions.py`: the activation and loss functions.
//!
//! The 4.2 pages compute in numpy's default float64 and 4.3 trains in float32 (`astype('f')`),
//! so what both use takes either: one float type `A`, bound by ndarray's `NdFloat` (`f32` or
//! `f64`), whose Python floats (`1`, `1e-7`) are `A::from`-converted as numpy converts them.

use crate::np::cast;
use ndarray::{Array1, Array2, ArrayView1, Axis, NdFloat};

/// `sigmoid(x) = 1 / (1 + np.exp(-x))`
pub fn sigmoid<A: NdFloat>(x: &Array1<A>) -> Array1<A> {
    x.mapv(|v| A::one() / (A::one() + (-v).exp()))
}

/// `softmax(x)` of a batch: each row minus its maximum (so `exp` cannot overflow), then
/// `exp`, then divided by the row's sum.
///
/// # Shapes
/// `x: (N, V) -> y: (N, V)`
pub fn softmax<A: NdFloat>(x: &Array2<A>) -> Array2<A> {
    let max = x.fold_axis(Axis(1), A::neg_infinity(), |&m, &v| m.max(v));
    let mut y = x - &max.insert_axis(Axis(1));
    y.mapv_inplace(A::exp);
    let sum = y.sum_axis(Axis(1)).insert_axis(Axis(1));
    y /= &sum;
    y
}

/// `cross_entropy_error(y, t)` with `t` as labels: `-np.sum(np.log(y[np.arange(N), t] +
/// 1e-7)) / N`. The `1e-7` keeps `log(0)` finite.
///
/// # Shapes
/// `y: (N, C), t: (N,) -> loss: ()`
///
/// # Panics
/// If `t` does not have `N` labels, or a label is not below `C`.
pub fn cross_entropy_error<A: NdFloat>(y: &Array2<A>, t: ArrayView1<'_, usize>) -> A {
    let (batch_size, classes) = y.dim();
    assert_eq!(
        t.len(),
        batch_size,
        "cross_entropy_error: t has {} labels but y has {batch_size} rows",
        t.len()
    );
    let eps = cast(1e-7);
    let picked: Array1<A> = t
        .iter()
        .enumerate()
        .map(|(i, &label)| {
            assert!(
                label < classes,
                "cross_entropy_error: t[{i}] = {label} is not below the {classes} classes of y"
            );
            (y[[i, label]] + eps).ln()
        })
        .collect();
    -picked.sum() / cast(batch_size as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn sigmoid_of_known_values() {
        let y = sigmoid(&array![0.0, 2.0f64.ln(), -(3.0f64.ln())]);
        assert_eq!(y, array![0.5, 2.0 / 3.0, 0.25]);
    }

    #[test]
    fn softmax_rows_sum_to_one_and_ignore_shifts() {
        let x: Array2<f64> = array![[1.0, 2.0, 3.0], [1001.0, 1002.0, 1003.0]];
        let y = softmax(&x);
        for row in y.rows() {
            assert!((row.sum() - 1.0).abs() < 1e-15);
        }
        assert!(crate::np::allclose(&y.row(0), &y.row(1)));
        let e = [1.0f64.exp(), 2.0f64.exp(), 3.0f64.exp()];
        assert!((y[[0, 2]] - e[2] / (e[0] + e[1] + e[2])).abs() < 1e-15);
    }

    #[test]
    fn cross_entropy_of_the_books_example() {
        // ゼロつく1 §4.2.2: y = [0.1, 0.05, 0.6, 0, 0.05, 0.1, 0, 0.1, 0, 0], t = 2 -> 0.51082545709933802
        let y = array![[0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]];
        let loss: f64 = cross_entropy_error(&y, array![2].view());
        assert!((loss - 0.510825457099338).abs() < 1e-12, "{loss}");
    }

    #[test]
    #[should_panic(expected = "t[1] = 2 is not below the 2 classes of y")]
    fn a_label_outside_the_classes_panics() {
        cross_entropy_error(&array![[0.5, 0.5], [0.5, 0.5]], array![0, 2].view());
    }
}
