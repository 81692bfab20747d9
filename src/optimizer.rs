//! Mirrors the book's `common/optimizer.py`: `Adam`, the optimizer `ch04/train.py` uses.

use ndarray::Array2;

/// `class Adam` (<http://arxiv.org/abs/1412.6980v8>), on float32 parameters as the book
/// trains them, with the book's update rule and numpy 2's types (NEP 50): `m` and `v` in
/// float32, the step `lr_t * m / (sqrt(v) + 1e-7)` in float64 (`lr_t` is a `np.float64`),
/// rounded to float32 when it is subtracted. Bit for bit the book's under numpy 2.
pub struct Adam {
    pub lr: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub iter: i32,
    pub m: Option<Vec<Array2<f32>>>,
    pub v: Option<Vec<Array2<f32>>>,
    /// how many threads share an update; the result is the same for any number
    pub threads: usize,
}

impl Default for Adam {
    /// `Adam()`: `lr=0.001, beta1=0.9, beta2=0.999`.
    fn default() -> Self {
        Adam::new(0.001, 0.9, 0.999)
    }
}

impl Adam {
    pub fn new(lr: f64, beta1: f64, beta2: f64) -> Self {
        Adam {
            lr,
            beta1,
            beta2,
            iter: 0,
            m: None,
            v: None,
            threads: 1,
        }
    }

    /// One step for every parameter: `params[i] -= lr_t * m[i] / (sqrt(v[i]) + 1e-7)`.
    ///
    /// # Panics
    /// If `params` and `grads` differ in number or shapes, or differ from the first call's.
    pub fn update(&mut self, params: &mut [Array2<f32>], grads: &[Array2<f32>]) {
        assert_eq!(
            params.len(),
            grads.len(),
            "Adam::update: {} params but {} grads",
            params.len(),
            grads.len()
        );
        if self.m.is_none() {
            self.m = Some(params.iter().map(|p| Array2::zeros(p.raw_dim())).collect());
            self.v = Some(params.iter().map(|p| Array2::zeros(p.raw_dim())).collect());
        }

        self.iter += 1;
        let lr_t = self.lr * (1.0 - self.beta2.powf(self.iter as f64)).sqrt()
            / (1.0 - self.beta1.powf(self.iter as f64));
        // (1 - self.beta1) is a Python float, which numpy takes as float32 here
        let (one_minus_beta1, one_minus_beta2) =
            ((1.0 - self.beta1) as f32, (1.0 - self.beta2) as f32);

        let (m, v) = (self.m.as_mut().unwrap(), self.v.as_mut().unwrap());
        for i in 0..params.len() {
            assert!(
                params[i].dim() == grads[i].dim() && params[i].dim() == m[i].dim(),
                "Adam::update: param {i} is {:?}, its grad {:?}, its moments {:?}",
                params[i].dim(),
                grads[i].dim(),
                m[i].dim()
            );
            let param = params[i].as_slice_mut().expect("params are contiguous");
            let grad = grads[i].as_slice().expect("grads are contiguous");
            let m = m[i].as_slice_mut().expect("a new array is contiguous");
            let v = v[i].as_slice_mut().expect("a new array is contiguous");
            let rates = Rates {
                one_minus_beta1,
                one_minus_beta2,
                lr_t,
            };
            let step = |param: &mut [f32], grad: &[f32], m: &mut [f32], v: &mut [f32]| {
                rates.step(param, grad, m, v)
            };
            in_chunks(self.threads, param, grad, m, v, step);
        }
    }
}

/// The numbers of one update, the same for every element.
#[derive(Clone, Copy)]
struct Rates {
    one_minus_beta1: f32,
    one_minus_beta2: f32,
    lr_t: f64,
}

impl Rates {
    /// The update of every element of one parameter, in the widest vectors the processor has:
    /// the same IEEE operations in any width (Rust never fuses a multiply and an add), so the
    /// same bits, found at run time because a build for any x86-64 stops at 128-bit vectors.
    fn step(self, param: &mut [f32], grad: &[f32], m: &mut [f32], v: &mut [f32]) {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512f") {
                // SAFETY: the processor has AVX-512F, checked just above
                return unsafe { self.step_avx512(param, grad, m, v) };
            }
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the processor has AVX2, checked just above
                return unsafe { self.step_avx2(param, grad, m, v) };
            }
        }
        self.step_scalar(param, grad, m, v)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    unsafe fn step_avx512(self, param: &mut [f32], grad: &[f32], m: &mut [f32], v: &mut [f32]) {
        self.step_scalar(param, grad, m, v)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn step_avx2(self, param: &mut [f32], grad: &[f32], m: &mut [f32], v: &mut [f32]) {
        self.step_scalar(param, grad, m, v)
    }

    #[inline(always)]
    fn step_scalar(self, param: &mut [f32], grad: &[f32], m: &mut [f32], v: &mut [f32]) {
        let Rates {
            one_minus_beta1,
            one_minus_beta2,
            lr_t,
        } = self;
        for (((p, &g), m), v) in param.iter_mut().zip(grad).zip(m).zip(v) {
            // self.m[i] += (1 - self.beta1) * (grads[i] - self.m[i])
            *m += one_minus_beta1 * (g - *m);
            // self.v[i] += (1 - self.beta2) * (grads[i]**2 - self.v[i])
            *v += one_minus_beta2 * (g * g - *v);
            // params[i] -= lr_t * self.m[i] / (np.sqrt(self.v[i]) + 1e-7)
            let denominator = v.sqrt() + 1e-7_f32;
            *p = (*p as f64 - lr_t * *m as f64 / denominator as f64) as f32;
        }
    }
}

/// Runs `step` on `threads` equal chunks of the four slices at once. Each element is updated
/// on its own, so the result does not depend on the split.
fn in_chunks(
    threads: usize,
    param: &mut [f32],
    grad: &[f32],
    m: &mut [f32],
    v: &mut [f32],
    step: impl Fn(&mut [f32], &[f32], &mut [f32], &mut [f32]) + Sync,
) {
    let chunk = param.len().div_ceil(threads.max(1)).max(1);
    if threads <= 1 || param.len() < 4096 {
        return step(param, grad, m, v);
    }
    std::thread::scope(|scope| {
        let parts = param
            .chunks_mut(chunk)
            .zip(grad.chunks(chunk))
            .zip(m.chunks_mut(chunk))
            .zip(v.chunks_mut(chunk));
        for (((param, grad), m), v) in parts {
            let step = &step;
            scope.spawn(move || step(param, grad, m, v));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chapter_tests::f32_hex;

    /// `chapters/golden/adam_book.py`: the book's own `Adam` on three float32 params, six
    /// steps; every bit of every step must match.
    #[test]
    fn updates_as_the_books_adam_does_bit_for_bit() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/chapters/golden/adam_book.txt");
        let text = std::fs::read_to_string(path).expect("the committed golden file");
        let mut lines = text.lines().filter(|l| !l.starts_with('#'));
        let mut params = Vec::new();
        for i in 0..3 {
            let header = lines.next().unwrap();
            let dims: Vec<usize> = header
                .rsplit(' ')
                .next()
                .unwrap()
                .split(',')
                .map(|d| d.parse().unwrap())
                .collect();
            assert!(header.starts_with(&format!("param {i} ")));
            // a (5,) param as one row
            let shape = if dims.len() == 2 {
                (dims[0], dims[1])
            } else {
                (1, dims[0])
            };
            params.push(Array2::from_shape_vec(shape, f32_hex(lines.next().unwrap())).unwrap());
        }
        let mut adam = Adam {
            threads: 2,
            ..Adam::default()
        };
        let mut steps = 0;
        while let Some(header) = lines.next() {
            let mut grads = Vec::new();
            let mut expected = Vec::new();
            for (i, param) in params.iter().enumerate() {
                let header = if i == 0 {
                    header
                } else {
                    lines.next().unwrap()
                };
                assert!(header.starts_with("grad "), "{header}");
                grads.push(
                    Array2::from_shape_vec(param.raw_dim(), f32_hex(lines.next().unwrap()))
                        .unwrap(),
                );
                assert!(lines.next().unwrap().starts_with("after "));
                expected.push(f32_hex(lines.next().unwrap()));
            }
            adam.update(&mut params, &grads);
            steps += 1;
            for (i, (param, expected)) in params.iter().zip(&expected).enumerate() {
                let bits: Vec<u32> = param.iter().map(|x| x.to_bits()).collect();
                let want: Vec<u32> = expected.iter().map(|x| x.to_bits()).collect();
                assert_eq!(bits, want, "step {steps}, param {i}");
            }
        }
        assert_eq!(steps, 6);
    }

    /// The loop in the widest vectors the processor has gives the bits of the plain loop, on
    /// more elements than a vector holds and an odd tail, with zeros, subnormals and large
    /// gradients.
    #[test]
    fn every_vector_width_gives_the_same_bits() {
        let n = 1037;
        let grad: Vec<f32> = (0..n)
            .map(|i| match i % 7 {
                0 => 0.0,
                1 => 1e-40,
                2 => 250.0 * (i as f32 * 0.1).sin(),
                _ => (i as f32 * 0.37).sin() * 1e-3,
            })
            .collect();
        let start: Vec<f32> = (0..n).map(|i| (i as f32 * 0.11).cos() * 0.01).collect();
        let rates = Rates {
            one_minus_beta1: 0.1,
            one_minus_beta2: 0.001,
            lr_t: 0.000316,
        };
        type Step<'a> = &'a dyn Fn(&mut [f32], &[f32], &mut [f32], &mut [f32]);
        let run = |step: Step| {
            let (mut p, mut m, mut v) = (start.clone(), vec![0f32; n], vec![1e-6f32; n]);
            for _ in 0..3 {
                step(&mut p, &grad, &mut m, &mut v);
            }
            [p, m, v].map(|x| x.iter().map(|f| f.to_bits()).collect::<Vec<_>>())
        };
        let plain = run(&|p, g, m, v| rates.step_scalar(p, g, m, v));
        assert_eq!(run(&|p, g, m, v| rates.step(p, g, m, v)), plain);
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, checked just above
            assert_eq!(
                run(&|p, g, m, v| unsafe { rates.step_avx2(p, g, m, v) }),
                plain
            );
        }
    }

    #[test]
    fn any_number_of_threads_gives_the_same_bits() {
        let grad = Array2::from_shape_fn((300, 50), |(i, j)| ((i * 50 + j) as f32 * 0.37).sin());
        let start = Array2::from_shape_fn((300, 50), |(i, j)| ((i + j) as f32 * 0.11).cos());
        let run = |threads| {
            let mut adam = Adam {
                threads,
                ..Adam::default()
            };
            let mut params = [start.clone()];
            for _ in 0..3 {
                adam.update(&mut params, std::slice::from_ref(&grad));
            }
            params[0].clone()
        };
        let one = run(1);
        assert_eq!(one, run(2));
        assert_eq!(one, run(3));
        assert_ne!(one, start);
    }
}
