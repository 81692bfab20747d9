//! What numpy does for the book: `np.round`, `print(x)` (`array_str`), `x.shape` printed as
//! a Python tuple, `np.allclose`, the random draws (`np.random`), float16 arithmetic as numpy
//! computes it (`float16`), and the numerical gradient the series computes with numpy
//! (`gradient`, ゼロつく1's `common/gradient.py`).
//!
//! ndarray's own `{}` and `.shape()` print differently (`[1.00, -0.91]`, `[7, 3]`); a reader
//! only ever sees what these functions write.

mod arrayprint;
pub mod float16;
pub mod gradient;
pub mod random;

pub use arrayprint::{array_str, array_str_rows, float16_str, float32_str, float_str, Element};

use ndarray::{Array, ArrayBase, ArrayRef, Data, Dimension, NdFloat, Zip};

/// A Python float or int `x` as the array's float type `A`, as numpy takes one beside a float32
/// or float64 array (`h *= 1 / len(self.in_layers)`, `y + 1e-7`).
pub fn cast<A: NdFloat>(x: f64) -> A {
    <A as num_traits::NumCast>::from(x).expect("an f64 converts to any float type")
}

/// `np.round(x, decimals)`: scale by `10**decimals`, round half to even (`np.rint`), scale
/// back, exactly as numpy does, in the array's own type; negative `decimals` round to tens,
/// hundreds, ….
///
/// Not `f64::round` (0.125 would give 0.13) and not `format!("{:.2}")` (2.675 would give 2.67
/// for another reason). Small negatives round to `-0.`, which numpy prints with its sign.
pub fn round<A, S, D>(x: &ArrayBase<S, D>, decimals: i32) -> Array<A, D>
where
    A: Round,
    S: Data<Elem = A>,
    D: Dimension,
{
    x.mapv(|v| v.round_to(decimals))
}

/// A float `np.round` rounds in its own arithmetic: float64, or float32 as the book trains.
pub trait Round: Copy {
    fn round_to(self, decimals: i32) -> Self;
}

impl Round for f64 {
    fn round_to(self, decimals: i32) -> f64 {
        round_scalar(self, decimals)
    }
}

impl Round for f32 {
    /// numpy multiplies by `10**decimals` taken as a float32, and rounds in float32.
    fn round_to(self, decimals: i32) -> f32 {
        let scale = power_of_ten(decimals) as f32;
        if decimals >= 0 {
            (self * scale).round_ties_even() / scale
        } else {
            (self / scale).round_ties_even() * scale
        }
    }
}

/// `np.round(x, decimals)` of one number, as [`round`] does it element by element.
///
/// # Panics
/// If `decimals` is `i32::MIN`, whose negation numpy's C code cannot take either.
pub fn round_scalar(x: f64, decimals: i32) -> f64 {
    let scale = power_of_ten(decimals);
    if decimals >= 0 {
        (x * scale).round_ties_even() / scale
    } else {
        (x / scale).round_ties_even() * scale
    }
}

/// numpy's `power_of_ten(|decimals|)`: exact up to `1e8`, then `1e9` multiplied by 10 once per
/// further digit, which from `1e23` on is not the nearest double to the power.
///
/// # Panics
/// If `decimals` is `i32::MIN`.
fn power_of_ten(decimals: i32) -> f64 {
    assert!(decimals != i32::MIN, "np.round: decimals = {decimals} has no negation in 32 bits");
    let n = decimals.abs();
    if n < 9 {
        return 10f64.powi(n);
    }
    let mut scale = 1e9_f64;
    for _ in 9..n {
        scale *= 10.0;
        if scale.is_infinite() {
            break;
        }
    }
    scale
}

/// `x.shape` as Python prints the tuple: `(7, 3)`, `(6,)`, `()`.
pub fn shape<A, D: Dimension>(x: &ArrayRef<A, D>) -> String {
    match x.shape() {
        [] => "()".to_string(),
        [n] => format!("({n},)"),
        dims => {
            let dims: Vec<String> = dims.iter().map(|n| n.to_string()).collect();
            format!("({})", dims.join(", "))
        }
    }
}

/// `np.allclose(a, b)` with numpy's defaults: `|a - b| <= atol + rtol * |b|` everywhere,
/// `rtol = 1e-05`, `atol = 1e-08`.
///
/// # Panics
/// If the shapes differ (numpy would try to broadcast; the book never needs it here).
pub fn allclose<D: Dimension>(a: &ArrayRef<f64, D>, b: &ArrayRef<f64, D>) -> bool {
    allclose_with(a, b, 1e-05, 1e-08)
}

/// `np.allclose(a, b, rtol=rtol, atol=atol)`: `|a - b| <= atol + rtol * |b|` everywhere (NaN
/// never close).
///
/// # Panics
/// If the shapes differ.
pub fn allclose_with<D: Dimension>(
    a: &ArrayRef<f64, D>,
    b: &ArrayRef<f64, D>,
    rtol: f64,
    atol: f64,
) -> bool {
    assert_same_shape("allclose", a, b);
    Zip::from(a).and(b).all(|&x, &y| (x - y).abs() <= atol + rtol * y.abs())
}

/// `np.max(np.abs(a - b))`: the largest absolute difference, as a gradient check prints it;
/// NaN if any difference is NaN, as numpy's `max` gives it (so that no check passes on NaN).
///
/// # Panics
/// If the shapes differ, or the arrays are empty (numpy raises for an empty max).
pub fn max_abs_diff<A: NdFloat, D: Dimension>(a: &ArrayRef<A, D>, b: &ArrayRef<A, D>) -> A {
    assert_same_shape("max_abs_diff", a, b);
    assert!(!a.is_empty(), "max_abs_diff: the arrays are empty");
    Zip::from(a).and(b).fold(A::zero(), |m: A, &x, &y| {
        let d = (x - y).abs();
        // a NaN wins, and stays
        if !m.is_nan() && (d.is_nan() || d > m) {
            d
        } else {
            m
        }
    })
}

fn assert_same_shape<A, D: Dimension>(function: &str, a: &ArrayRef<A, D>, b: &ArrayRef<A, D>) {
    assert_eq!(a.shape(), b.shape(), "{function}: shapes {} and {} differ", shape(a), shape(b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nan_difference_is_the_largest_as_in_numpy() {
        let a = ndarray::array![1.0, f64::NAN, 3.0];
        let b = ndarray::array![1.5, 2.0, 3.0];
        assert!(max_abs_diff(&a, &b).is_nan());
        assert!(max_abs_diff(&b, &a).is_nan());
        assert_eq!(max_abs_diff(&b, &ndarray::array![1.0, 2.0, 2.0]), 1.0);
    }

    #[test]
    fn round_far_out_scales_as_numpy_does() {
        // numpy's power_of_ten(25) is 1e9 times 10 sixteen times, not the double nearest 1e25
        assert_ne!(power_of_ten(25), 1e25);
        assert_eq!(power_of_ten(8), 1e8);
        assert_eq!(power_of_ten(-3), 1e3);
        assert!(power_of_ten(400).is_infinite());
        assert!(power_of_ten(i32::MAX).is_infinite());
    }

    #[test]
    #[should_panic(expected = "decimals = -2147483648 has no negation in 32 bits")]
    fn round_to_i32_min_decimals_is_named() {
        round_scalar(1.0, i32::MIN);
    }
}
