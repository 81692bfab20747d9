//! numpy's float16 arithmetic, as it runs on the book's vectors: each operation in float32
//! and rounded to float16 once (exact, since float32 holds twice float16's digits and more);
//! `np.sum` pairwise in float32 and `np.dot` sequential in float32, each rounded once at the
//! end. Checked bit for bit against numpy 2.4 over the book's whole pretrained matrix.

use half::f16;
use ndarray::{Array1, ArrayView1};

fn round(x: f32) -> f16 {
    f16::from_f32(x)
}

pub fn add(a: f16, b: f16) -> f16 {
    round(a.to_f32() + b.to_f32())
}

pub fn sub(a: f16, b: f16) -> f16 {
    round(a.to_f32() - b.to_f32())
}

pub fn mul(a: f16, b: f16) -> f16 {
    round(a.to_f32() * b.to_f32())
}

pub fn div(a: f16, b: f16) -> f16 {
    round(a.to_f32() / b.to_f32())
}

pub fn sqrt(a: f16) -> f16 {
    round(a.to_f32().sqrt())
}

/// `np.sum(x)`: 0 plus numpy's pairwise sum in float32, rounded once.
pub fn sum(x: &[f16]) -> f16 {
    let wide: Vec<f32> = x.iter().map(|v| v.to_f32()).collect();
    round(0.0 + pairwise_sum(&wide))
}

/// numpy's `pairwise_sum`: eight running sums over blocks of eight, combined in pairs,
/// then the tail; halves summed separately above 128 elements.
pub fn pairwise_sum(a: &[f32]) -> f32 {
    let n = a.len();
    if n < 8 {
        a.iter().fold(0.0, |s, &v| s + v)
    } else if n <= 128 {
        let mut r = [0f32; 8];
        r.copy_from_slice(&a[..8]);
        let blocks = n - n % 8;
        for block in a[8..blocks].chunks_exact(8) {
            for (r, &v) in r.iter_mut().zip(block) {
                *r += v;
            }
        }
        let mut s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &v in &a[blocks..] {
            s += v;
        }
        s
    } else {
        let half = n / 2;
        let half = half - half % 8;
        pairwise_sum(&a[..half]) + pairwise_sum(&a[half..])
    }
}

/// `np.dot(x, y)` of float16 vectors: products summed in order in float32, rounded once.
///
/// # Panics
/// If the lengths differ.
pub fn dot(x: ArrayView1<'_, f16>, y: ArrayView1<'_, f16>) -> f16 {
    assert_eq!(x.len(), y.len(), "np::float16::dot: lengths {} and {} differ", x.len(), y.len());
    round(x.iter().zip(&y).fold(0f32, |acc, (a, b)| acc + a.to_f32() * b.to_f32()))
}

/// `x / (np.sqrt(np.sum(x ** 2)) + eps)` with `eps = 1e-8`, which is 0 in float16.
pub fn divided_by_norm(x: ArrayView1<'_, f16>) -> Array1<f16> {
    let squares: Vec<f16> = x.iter().map(|&v| mul(v, v)).collect();
    let norm = add(sqrt(sum(&squares)), f16::from_f64(1e-8));
    x.mapv(|v| div(v, norm))
}
