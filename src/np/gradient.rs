//! Central finite differences, the check independent of any backward pass: the numerical
//! gradient of ゼロつく1 §4.4 (`numerical_gradient`, `h = 1e-4`).

use ndarray::{Array, Dimension};

/// The step of the central difference, as in ゼロつく1.
pub const H: f64 = 1e-4;

/// `numerical_gradient(f, x)`: for each element, `(f(x + h) - f(x - h)) / 2h` with only that
/// element moved.
///
/// # Shapes
/// `x: any -> grad: same as x`
pub fn numerical_gradient<D: Dimension>(
    x: &Array<f64, D>,
    f: impl Fn(&Array<f64, D>) -> f64,
) -> Array<f64, D> {
    let mut probe = x.as_standard_layout().into_owned();
    let mut grad = Array::zeros(x.raw_dim());
    let grad_values = grad.as_slice_mut().expect("a new array is contiguous");
    for (k, g) in grad_values.iter_mut().enumerate() {
        let original = probe.as_slice().expect("standard layout")[k];
        probe.as_slice_mut().expect("standard layout")[k] = original + H;
        let f_plus = f(&probe);
        probe.as_slice_mut().expect("standard layout")[k] = original - H;
        let f_minus = f(&probe);
        probe.as_slice_mut().expect("standard layout")[k] = original;
        *g = (f_plus - f_minus) / (2.0 * H);
    }
    grad
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn gradient_of_a_known_function() {
        // f(x) = x0^2 + 3 x0 x1 + sin(x1): df/dx0 = 2 x0 + 3 x1, df/dx1 = 3 x0 + cos(x1)
        let x = array![1.5, -0.5];
        let grad = numerical_gradient(&x, |x| x[0] * x[0] + 3.0 * x[0] * x[1] + x[1].sin());
        let exact = array![2.0 * 1.5 + 3.0 * -0.5, 3.0 * 1.5 + (-0.5f64).cos()];
        assert!(crate::np::max_abs_diff(&grad, &exact) < 1e-7, "{grad} vs {exact}");
    }
}
