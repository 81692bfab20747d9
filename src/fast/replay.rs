//! Adam's replay: the book's `Adam` ([`crate::common::optimizer::Adam`]) stepping only the rows a
//! batch has a gradient for, the other rows' zero-gradient steps replayed in closed form when a
//! batch next reads them (`Replay`, below), in the widest vectors the processor has ([`super::lanes`]).
//!
//! The book's Adam moves all 2,000,000 weights every iteration, though a batch reads about 900
//! of the 20,000 rows: the others' steps only decay their moments, which the replay sums at once.
//! The tests hold it to the book's `Adam` on every row over 1,200 steps with gaps up to 700, to
//! float32 rounding, and a replay to the skipped steps summed one by one in float64.

use crate::common::optimizer::Adam;
use crate::fast::lanes::{in_widest, load_block, store_block, Kernel, Lanes, LANES};
use ndarray::Array2;

/// The book's [`Adam`] (its rates, step count and moments, borrowed) on only the rows with a
/// gradient, the step `lr_t * m / (sqrt(v) + 1e-7)` divided in float32: the book's arithmetic to
/// float32 rounding.
pub struct RowAdam<'a> {
    /// `lr`, `beta1`, `beta2`, `iter`, `m` and `v`, the book's `Adam`'s own, which it steps
    pub adam: &'a mut Adam,
    /// what [`update_rows`](Self::update_rows) keeps to replay the rows it did not step
    replay: Option<Replay>,
}

impl<'a> RowAdam<'a> {
    /// The book's `Adam()`, taken over: it goes on from the step it is at.
    pub fn new(adam: &'a mut Adam) -> Self {
        RowAdam { adam, replay: None }
    }

    /// `lr_t` of step `iter`, as the book's `Adam::update` computes it in float64.
    fn lr_t(&self, iter: i32) -> f64 {
        let Adam { lr, beta1, beta2, .. } = *self.adam;
        lr * (1.0 - beta2.powf(iter as f64)).sqrt() / (1.0 - beta1.powf(iter as f64))
    }

    /// Steps the given `rows` of each param (sorted, distinct) with the book's rule, `grads[i]`
    /// holding one gradient row for each of `rows[i]` (as
    /// [`RowModel::backward_rows`](crate::fast::models::RowModel::backward_rows) makes them),
    /// and leaves every other row's steps, in which its gradient is zero, to be replayed by
    /// [`replay_rows`](Self::replay_rows) or [`replay_all`](Self::replay_all) (see `Replay`).
    /// A row must be brought up to date before it is read.
    ///
    /// # Panics
    /// As [`replay_rows`](Self::replay_rows), or if `grads[i]` is not one row of the param's
    /// width for each of `rows[i]`.
    pub fn update_rows(
        &mut self,
        params: &mut [&mut Array2<f32>],
        grads: &[Array2<f32>],
        rows: &[&[usize]],
    ) {
        assert!(
            params.len() == grads.len() && params.len() == rows.len(),
            "RowAdam::update_rows: {} params, {} grads, {} row lists",
            params.len(),
            grads.len(),
            rows.len()
        );
        // rows not yet brought to the last step are brought first
        self.replay_rows(params, rows);

        self.adam.iter += 1;
        let t = self.adam.iter as usize;
        let lr_t = self.lr_t(self.adam.iter);
        // (1 - self.beta1), Python floats that numpy takes as float32 here
        let rates = AdamStep {
            one_minus_beta1: (1.0 - self.adam.beta1) as f32,
            one_minus_beta2: (1.0 - self.adam.beta2) as f32,
            lr_t,
        };
        let (m, v) = (self.adam.m.as_mut().unwrap(), self.adam.v.as_mut().unwrap());
        for (i, param) in params.iter_mut().enumerate() {
            let width = param.ncols();
            assert_eq!(
                grads[i].dim(),
                (rows[i].len(), width),
                "RowAdam::update_rows: grad {i} is {:?}, not one row of param {i}'s width for each of its {} rows",
                grads[i].dim(),
                rows[i].len()
            );
            let grad = grads[i].as_slice().expect("grads are contiguous");
            let arrays = [&mut **param, &mut m[i], &mut v[i]].map(slice_of);
            in_widest(StepRows { rates, width, rows: rows[i], grad, arrays });
        }
        let replay = self.replay.as_mut().expect("made by replay_rows");
        for (i, rows) in rows.iter().enumerate() {
            replay.record(i, rows, t);
        }
        replay.advance(lr_t, t);

        // rows that have waited the whole horizon are replayed now
        let due = replay.due(t, params.len());
        let due: Vec<&[usize]> = due.iter().map(Vec::as_slice).collect();
        replay.apply(params, m, v, &due, t);
    }

    /// Replays the skipped steps of the given rows (sorted, distinct, one list per param), so
    /// that they hold what the book's update of every row would have left in them.
    ///
    /// # Panics
    /// If `rows` does not hold one sorted, distinct list of rows below the param's row count
    /// for each param, or the params differ in number or shape from the first call's.
    pub fn replay_rows(&mut self, params: &mut [&mut Array2<f32>], rows: &[&[usize]]) {
        assert_eq!(
            params.len(),
            rows.len(),
            "RowAdam::replay_rows: {} params but {} row lists",
            params.len(),
            rows.len()
        );
        // if self.m is None: self.m, self.v = [np.zeros_like(param) ...], [...]
        let zeros = || params.iter().map(|p| Array2::zeros(p.raw_dim())).collect();
        if self.adam.m.is_none() {
            self.adam.m = Some(zeros());
            self.adam.v = Some(zeros());
        }
        let (beta1, beta2, now) = (self.adam.beta1, self.adam.beta2, self.adam.iter as usize);
        let (m, v) = (self.adam.m.as_mut().unwrap(), self.adam.v.as_mut().unwrap());
        let replay = self.replay.get_or_insert_with(|| {
            // b1 = 1 - (1 - beta1) as float32 makes it, as the book's steps decay m
            let (b1, b2) = (1.0 - (1.0 - beta1) as f32 as f64, 1.0 - (1.0 - beta2) as f32 as f64);
            Replay::new(params, now, b1, b2)
        });
        for (i, rows) in rows.iter().enumerate() {
            let height = params[i].nrows();
            assert!(
                rows.windows(2).all(|w| w[0] < w[1]) && rows.last().is_none_or(|&r| r < height),
                "RowAdam::replay_rows: the rows of param {i} are not sorted, distinct and below {height}"
            );
            assert!(
                params[i].dim() == m[i].dim() && params[i].is_standard_layout(),
                "RowAdam::replay_rows: param {i} is {:?}, its moments {:?}",
                params[i].dim(),
                m[i].dim()
            );
        }
        replay.apply(params, m, v, rows, now);
    }

    /// [`replay_rows`](Self::replay_rows) for every row: after it the params are what the book's
    /// update of every row would have made them.
    ///
    /// # Panics
    /// As [`replay_rows`](Self::replay_rows).
    pub fn replay_all(&mut self, params: &mut [&mut Array2<f32>]) {
        if self.replay.is_some() {
            let all: Vec<Vec<usize>> = params.iter().map(|p| (0..p.nrows()).collect()).collect();
            let all: Vec<&[usize]> = all.iter().map(Vec::as_slice).collect();
            self.replay_rows(params, &all);
        }
    }
}

/// An array's elements as one slice.
fn slice_of(array: &mut Array2<f32>) -> &mut [f32] {
    array.as_slice_mut().expect("params and moments are contiguous")
}

/// How many steps a row may go without a gradient before its steps are replayed anyway: by
/// then its `m` has fallen to 0.9^300 ≈ 2e-14 of what it was.
const REPLAY_HORIZON: usize = 300;

/// Terms of the series below: the next would change a replay by less than 1e-11 of it.
const TERMS: usize = 6;

/// What lets [`RowAdam::update_rows`] skip the rows without a gradient, and replay their steps
/// at once when they are next read.
///
/// With a zero gradient from step `t0` on, an element's moments only decay, `m_j = b1^j m`
/// and `v_j = b2^j v` (`b1 = 1 - 0.1`, `b2 = 1 - 0.001` as float32 makes them), so the `k`
/// skipped steps move the weight by
///
/// `Σ_j lr_{t0+j} b1^j m / (β^j s + eps)`,  `s = sqrt(v)`, `β = sqrt(b2)`, `j = 1..k`.
///
/// With `S = s + eps`, `w = s / S` and `δ_j = 1 - β^j`, each term is
/// `(m / S) lr b1^j / (1 - w δ_j)`, a geometric series in `w δ_j` (below 0.14 over the
/// horizon), so the sum is `(m / S) Σ_n w^n D_n` with `D_n = Σ_j lr_{t0+j} b1^j δ_j^n`:
/// numbers shared by every element last stepped at `t0`, kept here as the steps go. A replay
/// then costs one square root and one division an element, whatever `k` is; the book's
/// loop rounds the weight to float32 at every step, the replay once, so the two agree to a
/// few float32 units in the last place.
struct Replay {
    /// per param, the step each row holds
    last: Vec<Vec<usize>>,
    /// by `t % (REPLAY_HORIZON + 1)`: the rows stepped at step `t`, as (param, row)
    at: Vec<Vec<(usize, usize)>>,
    /// by `t0 % (REPLAY_HORIZON + 1)`: `D_n` from `t0` to the present
    sums: Vec<[f64; TERMS]>,
    /// for `j` in `0..=REPLAY_HORIZON`: `b1^j δ_j^n`
    coef: Vec<[f64; TERMS]>,
    /// for `j` in `0..=REPLAY_HORIZON`: `(b1^j, b2^j)`
    decay: Vec<(f64, f64)>,
}

impl Replay {
    fn new(params: &[&mut Array2<f32>], now: usize, b1: f64, b2: f64) -> Self {
        let beta = b2.sqrt();
        let coef = (0..=REPLAY_HORIZON)
            .map(|j| {
                let delta = 1.0 - beta.powi(j as i32);
                std::array::from_fn(|n| b1.powi(j as i32) * delta.powi(n as i32))
            })
            .collect();
        let decay = (0..=REPLAY_HORIZON).map(|j| (b1.powi(j as i32), b2.powi(j as i32))).collect();
        let mut at = vec![Vec::new(); REPLAY_HORIZON + 1];
        at[now % (REPLAY_HORIZON + 1)] = (0..params.len())
            .flat_map(|i| (0..params[i].nrows()).map(move |row| (i, row)))
            .collect();
        Replay {
            last: params.iter().map(|p| vec![now; p.nrows()]).collect(),
            at,
            sums: vec![[0.0; TERMS]; REPLAY_HORIZON + 1],
            coef,
            decay,
        }
    }

    /// The rows of param `i` hold step `t`.
    fn record(&mut self, i: usize, rows: &[usize], t: usize) {
        for &row in rows {
            if self.last[i][row] != t {
                self.last[i][row] = t;
                self.at[t % (REPLAY_HORIZON + 1)].push((i, row));
            }
        }
    }

    /// Step `t`, at `lr_t`, adds its term to the sums of every `t0` in the horizon.
    fn advance(&mut self, lr_t: f64, t: usize) {
        for j in 1..=REPLAY_HORIZON.min(t) {
            let sums = &mut self.sums[(t - j) % (REPLAY_HORIZON + 1)];
            for (sum, coef) in sums.iter_mut().zip(&self.coef[j]) {
                *sum += lr_t * coef;
            }
        }
        self.sums[t % (REPLAY_HORIZON + 1)] = [0.0; TERMS];
    }

    /// For each of `n` params, the rows last stepped `REPLAY_HORIZON` steps before `t`, sorted.
    fn due(&mut self, t: usize, n: usize) -> Vec<Vec<usize>> {
        let mut due = vec![Vec::new(); n];
        if t >= REPLAY_HORIZON {
            let t0 = t - REPLAY_HORIZON;
            for (i, row) in std::mem::take(&mut self.at[t0 % (REPLAY_HORIZON + 1)]) {
                if self.last[i][row] == t0 {
                    due[i].push(row);
                }
            }
        }
        for rows in &mut due {
            rows.sort_unstable();
        }
        due
    }

    /// Replays the steps the given rows of each param missed until step `now`.
    fn apply(
        &mut self,
        params: &mut [&mut Array2<f32>],
        m: &mut [Array2<f32>],
        v: &mut [Array2<f32>],
        rows: &[&[usize]],
        now: usize,
    ) {
        for (i, param) in params.iter_mut().enumerate() {
            let width = param.ncols();
            let arrays = [&mut **param, &mut m[i], &mut v[i]].map(slice_of);
            let (last, sums, decay) = (&self.last[i], &self.sums, &self.decay);
            in_widest(ReplayRows { now, last, sums, decay, width, rows: rows[i], arrays });
        }
        for (i, rows) in rows.iter().enumerate() {
            self.record(i, rows, now);
        }
    }
}

/// The numbers of one step of Adam, the same for every element, with the step
/// `lr_t * m / (sqrt(v) + eps)` in float32 rather than the book's float64: a third of the
/// time, the same to float32 rounding.
#[derive(Clone, Copy)]
struct AdamStep {
    one_minus_beta1: f32,
    one_minus_beta2: f32,
    lr_t: f64,
}

/// One Adam step of the given rows of a param and its moments, `arrays` = `[param, m, v]`,
/// `grad` one row for each of `rows`.
struct StepRows<'a> {
    rates: AdamStep,
    width: usize,
    rows: &'a [usize],
    grad: &'a [f32],
    arrays: [&'a mut [f32]; 3],
}

impl Kernel for StepRows<'_> {
    type Output = ();
    #[inline(always)]
    fn run<L: Lanes>(self, proof: L::Proof) {
        let StepRows { rates, width, rows, grad, arrays: [param, m, v] } = self;
        let b1 = L::splat(proof, rates.one_minus_beta1);
        let b2 = L::splat(proof, rates.one_minus_beta2);
        let (lr_t, eps) = (L::splat(proof, rates.lr_t as f32), L::splat(proof, 1e-7));
        for (k, &row) in rows.iter().enumerate() {
            let span = row * width..(row + 1) * width;
            let g = &grad[k * width..(k + 1) * width];
            let (p, m, v) = (&mut param[span.clone()], &mut m[span.clone()], &mut v[span]);
            for b in 0..width.div_ceil(LANES) {
                let g = load_block::<L>(proof, g, b);
                let (m_old, v_old) = (load_block::<L>(proof, m, b), load_block::<L>(proof, v, b));
                // self.m[i] += (1 - self.beta1) * (grads[i] - self.m[i])
                let m_new = m_old.add(b1.mul(g.sub(m_old)));
                // self.v[i] += (1 - self.beta2) * (grads[i]**2 - self.v[i])
                let v_new = v_old.add(b2.mul(g.mul(g).sub(v_old)));
                // params[i] -= lr_t * self.m[i] / (np.sqrt(self.v[i]) + 1e-7)
                let step = lr_t.mul(m_new).div(v_new.sqrt().add(eps));
                store_block(load_block::<L>(proof, p, b).sub(step), p, b);
                store_block(m_new, m, b);
                store_block(v_new, v, b);
            }
        }
    }
}

/// The replay of the given rows of a param and its moments (see `Replay`), each row from the
/// step it holds, `last[row]`, to `now`.
struct ReplayRows<'a> {
    now: usize,
    last: &'a [usize],
    sums: &'a [[f64; TERMS]],
    decay: &'a [(f64, f64)],
    width: usize,
    rows: &'a [usize],
    arrays: [&'a mut [f32]; 3],
}

impl Kernel for ReplayRows<'_> {
    type Output = ();
    #[inline(always)]
    fn run<L: Lanes>(self, proof: L::Proof) {
        let ReplayRows { now, last, sums, decay, width, rows, arrays: [param, m, v] } = self;
        let (one, eps) = (L::splat(proof, 1.0), L::splat(proof, 1e-7));
        for &row in rows {
            let k = now - last[row];
            if k == 0 {
                continue;
            }
            assert!(k <= REPLAY_HORIZON, "a row waited {k} steps, more than {REPLAY_HORIZON}");
            // in float32, as the book's step: the replay is as exact as one step of it
            let sums =
                sums[last[row] % (REPLAY_HORIZON + 1)].map(|sum| L::splat(proof, sum as f32));
            let (b1_k, b2_k) = decay[k];
            let (b1_k, b2_k) = (L::splat(proof, b1_k as f32), L::splat(proof, b2_k as f32));
            let span = row * width..(row + 1) * width;
            let (p, m, v) = (&mut param[span.clone()], &mut m[span.clone()], &mut v[span]);
            for b in 0..width.div_ceil(LANES) {
                let (m_old, v_old) = (load_block::<L>(proof, m, b), load_block::<L>(proof, v, b));
                // S = sqrt(v) + eps, w = sqrt(v) / S
                let s = v_old.sqrt();
                let inv = one.div(s.add(eps));
                let w = s.mul(inv);
                // Σ_n w^n D_n
                let mut series = sums[TERMS - 1];
                for n in (0..TERMS - 1).rev() {
                    series = series.mul(w).add(sums[n]);
                }
                store_block(load_block::<L>(proof, p, b).sub(m_old.mul(inv).mul(series)), p, b);
                store_block(m_old.mul(b1_k), m, b);
                store_block(v_old.mul(b2_k), v, b);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each kind of lanes gives the bits of the plain loops the kernels stand for (the book's
    /// step as it ran element by element, and the replay), on rows wider than a vector with an
    /// odd tail, with zeros, subnormals and large gradients.
    #[test]
    fn every_kind_of_lanes_gives_the_plain_loops_bits() {
        let (width, rows) = (1037, [0usize, 1]);
        let grad: Vec<f32> = (0..2 * width)
            .map(|i| match i % 7 {
                0 => 0.0,
                1 => 1e-40,
                2 => 250.0 * (i as f32 * 0.1).sin(),
                _ => (i as f32 * 0.37).sin() * 1e-3,
            })
            .collect();
        let start: Vec<f32> = (0..2 * width).map(|i| (i as f32 * 0.11).cos() * 0.01).collect();
        let v_start: Vec<f32> = (0..2 * width).map(|i| [1e-6, 1e-16, 0.0, 1e-40][i % 4]).collect();
        let rates = AdamStep { one_minus_beta1: 0.1, one_minus_beta2: 0.001, lr_t: 0.000316 };
        let sums64 = [3e-3, 2e-5, 1e-7, 4e-10, 1e-12, 3e-15];
        let decay64 = vec![(1.0, 1.0); 7].into_iter().chain([(0.9f64.powi(7), 0.999f64.powi(7))]);
        let decay: Vec<(f64, f64)> = decay64.collect();
        let sums = vec![sums64; REPLAY_HORIZON + 1];
        let last = [0, 0];
        let bits = |x: &[f32]| x.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
        type Arrays = [Vec<f32>; 3];
        // three steps, then a replay of 7 skipped steps
        let run = |step: &dyn Fn(&mut Arrays), replay: &dyn Fn(&mut Arrays)| {
            let mut arrays = [start.clone(), vec![1e-4f32; 2 * width], v_start.clone()];
            for _ in 0..3 {
                step(&mut arrays);
            }
            replay(&mut arrays);
            arrays.map(|x| bits(&x))
        };
        // the definition: the book's update (and the replay) element by element
        let plain = run(
            &|[p, m, v]| {
                for (((p, &g), m), v) in p.iter_mut().zip(&grad).zip(m).zip(v) {
                    *m += rates.one_minus_beta1 * (g - *m);
                    *v += rates.one_minus_beta2 * (g * g - *v);
                    *p -= rates.lr_t as f32 * *m / (v.sqrt() + 1e-7_f32);
                }
            },
            &|[p, m, v]| {
                let (b1_k, b2_k) = (decay[7].0 as f32, decay[7].1 as f32);
                let sums = sums64.map(|s| s as f32);
                for ((p, m), v) in p.iter_mut().zip(m).zip(v) {
                    let s = v.sqrt();
                    let inv = 1.0 / (s + 1e-7_f32);
                    let w = s * inv;
                    let mut series = sums[TERMS - 1];
                    for n in (0..TERMS - 1).rev() {
                        series = series * w + sums[n];
                    }
                    *p -= *m * inv * series;
                    *m *= b1_k;
                    *v *= b2_k;
                }
            },
        );
        assert_ne!(plain[0], bits(&start));
        for kind in crate::fast::lanes::every_kind() {
            let got = run(
                &|arrays| {
                    let arrays = arrays.each_mut().map(|a| a.as_mut_slice());
                    let kernel = StepRows { rates, width, rows: &rows, grad: &grad, arrays };
                    crate::fast::lanes::in_lanes(kind, kernel);
                },
                &|arrays| {
                    let arrays = arrays.each_mut().map(|a| a.as_mut_slice());
                    let (sums, decay) = (&sums[..], &decay[..]);
                    let kernel =
                        ReplayRows { now: 7, last: &last, sums, decay, width, rows: &rows, arrays };
                    crate::fast::lanes::in_lanes(kind, kernel);
                },
            );
            assert_eq!(got, plain, "{kind:?}");
        }
    }

    /// Three rows of 40 elements whose gradients span 1e-9 to 1e-1 (so `sqrt(v)` falls far
    /// below `eps`, near it and far above it), each row with a gradient at its own irregular
    /// steps, gaps from 1 step to 700 (past the replay's horizon): the book's update of every row, and
    /// `update_rows` on the rows with a gradient with the rest replayed, agree at every
    /// checkpoint to float32 rounding.
    #[test]
    fn replayed_rows_hold_what_the_books_update_of_every_row_gives() {
        let (height, width) = (3, 40);
        let start = Array2::from_shape_fn((height, width), |(i, j)| {
            ((i * width + j) as f32 * 0.7).sin() * 0.05
        });
        let touched = |row: usize, t: usize| match row {
            0 => !t.is_multiple_of(3),
            1 => t % 97 == 5 || t.is_multiple_of(89),
            _ => t < 20 || (t > 730 && t.is_multiple_of(7)),
        };
        let grad_at = |t: usize| {
            Array2::from_shape_fn((height, width), |(i, j)| {
                if touched(i, t) {
                    let scale = 10f32.powi(-1 - (j as i32 % 9));
                    scale * ((t * 31 + i * 7 + j) as f32 * 0.3).sin()
                } else {
                    0.0
                }
            })
        };
        // the book's Adam, every row every step (the mirror)
        let mut dense = Adam::default();
        let mut taken = Adam::default();
        let mut sparse = RowAdam::new(&mut taken);
        let (mut by_dense, mut by_rows) = (start.clone(), start.clone());
        let mut worst = [0f32; 3];
        for t in 1..=1200 {
            let grad = [grad_at(t)];
            dense.update(&mut [&mut by_dense], &[&grad[0]]);
            let rows: Vec<usize> = (0..height).filter(|&r| touched(r, t)).collect();
            let row_grad = [grad[0].select(ndarray::Axis(0), &rows)];
            sparse.update_rows(&mut [&mut by_rows], &row_grad, &[&rows]);
            if t % 50 == 0 || t == 1200 {
                sparse.replay_all(&mut [&mut by_rows]);
                let pairs = [
                    (&by_dense, &by_rows),
                    (&dense.m.as_ref().unwrap()[0], &sparse.adam.m.as_ref().unwrap()[0]),
                    (&dense.v.as_ref().unwrap()[0], &sparse.adam.v.as_ref().unwrap()[0]),
                ];
                for (k, (a, b)) in pairs.into_iter().enumerate() {
                    for (a, b) in a.iter().zip(b) {
                        // relative; for weights near 0 to the 1e-2 they move by, and for m
                        // and v near 0 (as they decay) absolute
                        let floor = [1e-2, 1e-12, 1e-20][k];
                        let d = (a - b).abs() / a.abs().max(floor);
                        // a NaN stays, to fail the bound below
                        let m = worst[k];
                        worst[k] = if !m.is_nan() && (d.is_nan() || d > m) { d } else { m };
                    }
                }
            }
        }
        // measured: 3.6e-6, 2.7e-5 and 2.8e-6, the same with a replay in float64: the book's
        // loop rounds the weight and the moments to float32 at each of up to 700 steps, the
        // replay once (m's worst is in row 0, where gradients of both signs have cancelled m
        // down to about 1e-10: one rounding of its size before)
        assert!(worst[0] < 1e-5 && worst[1] < 1e-4 && worst[2] < 1e-5, "{worst:?}");
        assert_ne!(by_rows, start);
    }

    /// A replay against the skipped steps summed one by one in float64: one gradient at step
    /// 3, then none for `k` steps, for gradients from 1e-10 (`sqrt(v)` far below `eps`) to 1.
    #[test]
    fn a_replay_is_the_sum_of_the_skipped_steps_it_stands_for() {
        let scales: Vec<f32> = (0..11).map(|e| 10f32.powi(-e)).collect();
        for k in [1, 2, 7, 150, 299, 300, 301, 1000] {
            let mut book = Adam::default();
            let mut adam = RowAdam::new(&mut book);
            let start = Array2::from_shape_fn((1, scales.len()), |(_, j)| 0.05 - 0.01 * j as f32);
            let mut param = start.clone();
            let zero = [Array2::zeros(start.raw_dim())];
            let no_rows = [Array2::zeros((0, start.ncols()))];
            let grad = [Array2::from_shape_vec(start.raw_dim(), scales.clone()).unwrap()];
            for t in 1..=3 {
                let g = if t == 3 { &grad } else { &zero };
                adam.update_rows(&mut [&mut param], g, &[&[0]]);
            }
            let (p0, m0, v0) = (
                param.clone(),
                adam.adam.m.as_ref().unwrap()[0].clone(),
                adam.adam.v.as_ref().unwrap()[0].clone(),
            );
            for _ in 0..k {
                adam.update_rows(&mut [&mut param], &no_rows, &[&[]]);
            }
            adam.replay_all(&mut [&mut param]);
            let (b1, b2) = (1.0 - 0.1f32 as f64, 1.0 - 0.001f32 as f64);
            for j in 0..scales.len() {
                let (m, v) = (m0[[0, j]] as f64, v0[[0, j]] as f64);
                let moved: f64 = (1..=k)
                    .map(|i| {
                        let (m, v) = (m * b1.powi(i), v * b2.powi(i));
                        adam.lr_t(3 + i) * m / (v.sqrt() + 1e-7_f32 as f64)
                    })
                    .sum();
                let want = p0[[0, j]] as f64 - moved;
                let got = param[[0, j]] as f64;
                // float32 rounding of the result, and 1e-6 of the way it moved
                let bound = want.abs() * 2f64.powi(-24) + moved.abs() * 1e-6;
                assert!(
                    (got - want).abs() <= bound,
                    "k {k}, gradient {:e}: {got:e} but {want:e} (moved {moved:e})",
                    scales[j]
                );
            }
        }
    }
}
