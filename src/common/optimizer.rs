//! Mirrors the book's `common/optimizer.py`: `Adam`, the optimizer `ch04/train.py` uses, as
//! written: every element of every parameter, every step. (Stepping only the rows with a
//! gradient, the same to float32 rounding, is beyond the book, in the training engine.)

use ndarray::{Array2, Zip};

/// `class Adam` (<http://arxiv.org/abs/1412.6980v8>), on float32 parameters as the book
/// trains them, with numpy 2's types (NEP 50): `m` and `v` in float32, the step
/// `lr_t * m / (sqrt(v) + 1e-7)` in float64 (`lr_t` is a `np.float64`), rounded to float32
/// when it is subtracted. Bit for bit the book's under numpy 2.
pub struct Adam {
    pub lr: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub iter: i32,
    pub m: Option<Vec<Array2<f32>>>,
    pub v: Option<Vec<Array2<f32>>>,
}

impl Default for Adam {
    /// `Adam()`: `lr=0.001, beta1=0.9, beta2=0.999`.
    fn default() -> Self {
        Adam::new(0.001, 0.9, 0.999)
    }
}

impl Adam {
    pub fn new(lr: f64, beta1: f64, beta2: f64) -> Self {
        Adam { lr, beta1, beta2, iter: 0, m: None, v: None }
    }

    /// `update(params, grads)`: one step of every element of every parameter.
    ///
    /// # Panics
    /// If a param's shape differs from its grad's, or from the first call's.
    pub fn update(&mut self, params: &mut [&mut Array2<f32>], grads: &[&Array2<f32>]) {
        // if self.m is None: self.m, self.v = [np.zeros_like(param) ...], [...]
        let zeros = || params.iter().map(|p| Array2::zeros(p.raw_dim())).collect();
        let m = self.m.get_or_insert_with(zeros);
        let v = self.v.get_or_insert_with(zeros);

        self.iter += 1;
        let iter = self.iter as f64;
        let lr_t = self.lr * (1.0 - self.beta2.powf(iter)).sqrt() / (1.0 - self.beta1.powf(iter));
        // (1 - self.beta1), Python floats that numpy takes as float32 beside float32 arrays
        let (one_minus_beta1, one_minus_beta2) =
            ((1.0 - self.beta1) as f32, (1.0 - self.beta2) as f32);

        for i in 0..params.len() {
            assert!(
                params[i].dim() == grads[i].dim() && params[i].dim() == m[i].dim(),
                "Adam::update: param {i} is {:?}, its grad {:?}, its moments {:?}",
                params[i].dim(),
                grads[i].dim(),
                m[i].dim()
            );
            Zip::from(&mut *params[i]).and(grads[i]).and(&mut m[i]).and(&mut v[i]).for_each(
                |param, &grad, m, v| {
                    // self.m[i] += (1 - self.beta1) * (grads[i] - self.m[i])
                    *m += one_minus_beta1 * (grad - *m);
                    // self.v[i] += (1 - self.beta2) * (grads[i]**2 - self.v[i])
                    *v += one_minus_beta2 * (grad * grad - *v);
                    // params[i] -= lr_t * self.m[i] / (np.sqrt(self.v[i]) + 1e-7)
                    let step = lr_t * *m as f64 / (v.sqrt() + 1e-7_f32) as f64;
                    *param = (*param as f64 - step) as f32;
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerotsuku2_testing::{f32_hex, golden};

    /// `chapters/golden/adam_book.py`: the book's own `Adam` on three float32 params, six
    /// steps; every bit of every step must match.
    #[test]
    fn updates_as_the_books_adam_does_bit_for_bit() {
        let text = golden("chapters/golden/adam_book.txt");
        let mut lines = text.lines().filter(|l| !l.starts_with('#'));
        let mut params = Vec::new();
        for i in 0..3 {
            let header = lines.next().unwrap();
            let dims: Vec<usize> =
                header.rsplit(' ').next().unwrap().split(',').map(|d| d.parse().unwrap()).collect();
            assert!(header.starts_with(&format!("param {i} ")));
            // a (5,) param as one row
            let shape = if dims.len() == 2 { (dims[0], dims[1]) } else { (1, dims[0]) };
            params.push(Array2::from_shape_vec(shape, f32_hex(lines.next().unwrap())).unwrap());
        }
        let mut adam = Adam::default();
        let mut steps = 0;
        while let Some(header) = lines.next() {
            let mut grads = Vec::new();
            let mut expected = Vec::new();
            for (i, param) in params.iter().enumerate() {
                let header = if i == 0 { header } else { lines.next().unwrap() };
                assert!(header.starts_with("grad "), "{header}");
                grads.push(
                    Array2::from_shape_vec(param.raw_dim(), f32_hex(lines.next().unwrap()))
                        .unwrap(),
                );
                assert!(lines.next().unwrap().starts_with("after "));
                expected.push(f32_hex(lines.next().unwrap()));
            }
            let mut refs: Vec<&mut Array2<f32>> = params.iter_mut().collect();
            adam.update(&mut refs, &grads.iter().collect::<Vec<_>>());
            steps += 1;
            for (i, (param, expected)) in params.iter().zip(&expected).enumerate() {
                let bits: Vec<u32> = param.iter().map(|x| x.to_bits()).collect();
                let want: Vec<u32> = expected.iter().map(|x| x.to_bits()).collect();
                assert_eq!(bits, want, "step {steps}, param {i}");
            }
        }
        assert_eq!(steps, 6);
    }
}
