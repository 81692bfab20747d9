//! Beyond the book: the book's `Adam` ([`crate::common::optimizer`]) stepping only the rows a batch has a
//! gradient for, the other rows' zero-gradient steps replayed in closed form when they are next
//! read ([`Replay`]), in the widest vectors the processor has, on a team of threads.

use crate::common::optimizer::Adam;
use crate::fast::simd::{self, Widest};
use crate::fast::team::Team;
use ndarray::Array2;

/// The book's [`Adam`] (its rates, step count and moments) on only the rows with a gradient, the
/// step `lr_t * m / (sqrt(v) + 1e-7)` divided in float32: the book's arithmetic to float32
/// rounding, a test holds it to the book's `Adam` on every row.
pub struct RowAdam {
    /// `lr`, `beta1`, `beta2`, `iter`, `m` and `v`, as the book's `Adam` keeps them
    pub book: Adam,
    /// how many threads share an update; the result is the same for any number
    pub threads: usize,
    /// what [`update_rows`](Self::update_rows) keeps to replay the rows it did not step
    pub replay: Option<Replay>,
    /// the threads beside this one, started by the first update with `threads > 1`
    pub team: Option<Team>,
}

impl Default for RowAdam {
    /// `RowAdam()`: `lr=0.001, beta1=0.9, beta2=0.999`.
    fn default() -> Self {
        RowAdam::new(0.001, 0.9, 0.999)
    }
}

impl RowAdam {
    pub fn new(lr: f64, beta1: f64, beta2: f64) -> Self {
        RowAdam { book: Adam::new(lr, beta1, beta2), threads: 1, replay: None, team: None }
    }

    /// Starts the team of `threads` threads the first time it is needed (none for one).
    fn start_team(&mut self) {
        if self.threads > 1 && self.team.as_ref().is_none_or(|t| t.threads() != self.threads) {
            self.team = Some(Team::new(self.threads));
        }
    }

    /// `lr_t` of step `iter`, as the book's `Adam::update` computes it in float64.
    fn lr_t(&self, iter: i32) -> f64 {
        let Adam { lr, beta1, beta2, .. } = self.book;
        lr * (1.0 - beta2.powf(iter as f64)).sqrt() / (1.0 - beta1.powf(iter as f64))
    }

    /// `1 - beta1` and `1 - beta2`, Python floats that numpy takes as float32 here.
    fn one_minus_betas(&self) -> (f32, f32) {
        ((1.0 - self.book.beta1) as f32, (1.0 - self.book.beta2) as f32)
    }

    fn init_moments(&mut self, params: &[Array2<f32>]) {
        if self.book.m.is_none() {
            self.book.m = Some(params.iter().map(|p| Array2::zeros(p.raw_dim())).collect());
            self.book.v = Some(params.iter().map(|p| Array2::zeros(p.raw_dim())).collect());
        }
    }

    /// Beyond the book, the same arithmetic on only the rows with a gradient: steps the
    /// given `rows` of each param (sorted, distinct) with the book's rule, `grads[i]` holding
    /// one gradient row for each of `rows[i]` (as [`RowCBOW::backward_rows`] makes them), and
    /// leaves every other row's steps, in which its gradient is zero, to be replayed later by
    /// [`replay_rows`](Self::replay_rows) or [`replay_all`](Self::replay_all) (see [`Replay`]).
    /// A row must be brought before it is read. The result does not depend on `threads`.
    ///
    /// [`RowCBOW::backward_rows`]: crate::fast::cbow::RowCBOW::backward_rows
    ///
    /// # Panics
    /// As [`replay_rows`](Self::replay_rows), or if `grads[i]` is not one row of the param's
    /// width for each of `rows[i]`.
    pub fn update_rows(
        &mut self,
        params: &mut [Array2<f32>],
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

        self.book.iter += 1;
        let t = self.book.iter as usize;
        let lr_t = self.lr_t(self.book.iter);
        let (one_minus_beta1, one_minus_beta2) = self.one_minus_betas();
        let rates = AdamStep { one_minus_beta1, one_minus_beta2, lr_t };
        for (i, (param, grad)) in params.iter().zip(grads).enumerate() {
            assert_eq!(
                grad.dim(),
                (rows[i].len(), param.ncols()),
                "RowAdam::update_rows: grad {i} is {:?}, not one row of param {i}'s width for each of its {} rows",
                grad.dim(),
                rows[i].len()
            );
        }
        self.start_team();
        let team = self.team.as_ref().filter(|_| self.threads > 1);
        let (m, v) = (self.book.m.as_mut().unwrap(), self.book.v.as_mut().unwrap());
        each_part(team, parts(params, m, v, rows), &|part: RowsOfParam<'_>| {
            let grad = grads[part.param].as_slice().expect("grads are contiguous");
            let width = part.width;
            part.for_rows(|k, _, p, m, v| {
                in_widest_vectors(rates, p, &grad[k * width..(k + 1) * width], m, v)
            });
        });
        let replay = self.replay.as_mut().unwrap();
        for (i, rows) in rows.iter().enumerate() {
            replay.record(i, rows, t);
        }
        replay.advance(lr_t, t);

        // rows that have waited the whole window are replayed now
        let due = replay.due(t, params.len());
        let due: Vec<&[usize]> = due.iter().map(Vec::as_slice).collect();
        replay.apply(team, params, m, v, &due, t);
    }

    /// Replays the skipped steps of the given rows (sorted, distinct, one list per param), so
    /// that they hold what the book's update of every row would have left in them.
    ///
    /// # Panics
    /// If `rows` does not hold one sorted, distinct list of rows below the param's row count
    /// for each param, or the params differ in number or shape from the first call's.
    pub fn replay_rows(&mut self, params: &mut [Array2<f32>], rows: &[&[usize]]) {
        assert_eq!(
            params.len(),
            rows.len(),
            "RowAdam::replay_rows: {} params but {} row lists",
            params.len(),
            rows.len()
        );
        self.init_moments(params);
        self.start_team();
        let team = self.team.as_ref().filter(|_| self.threads > 1);
        let (m, v) = (self.book.m.as_mut().unwrap(), self.book.v.as_mut().unwrap());
        let replay = self.replay.get_or_insert_with(|| {
            let (one_minus_beta1, one_minus_beta2) =
                ((1.0 - self.book.beta1) as f32 as f64, (1.0 - self.book.beta2) as f32 as f64);
            Replay::new(
                params,
                self.book.iter as usize,
                1.0 - one_minus_beta1,
                1.0 - one_minus_beta2,
            )
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
        replay.apply(team, params, m, v, rows, self.book.iter as usize);
    }

    /// [`replay_rows`](Self::replay_rows) for every row: after it the params are what the book's
    /// update of every row would have made them.
    ///
    /// # Panics
    /// As [`replay_rows`](Self::replay_rows).
    pub fn replay_all(&mut self, params: &mut [Array2<f32>]) {
        if self.replay.is_some() {
            let all: Vec<Vec<usize>> = params.iter().map(|p| (0..p.nrows()).collect()).collect();
            let all: Vec<&[usize]> = all.iter().map(Vec::as_slice).collect();
            self.replay_rows(params, &all);
        }
    }
}

/// How many steps a row may go without a gradient before its steps are replayed anyway: by
/// then its `m` has fallen to 0.9^300 ≈ 2e-14 of what it was.
const WINDOW: usize = 300;

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
/// window), so the sum is `(m / S) Σ_n w^n D_n` with `D_n = Σ_j lr_{t0+j} b1^j δ_j^n`:
/// numbers shared by every element last stepped at `t0`, kept here as the steps go. A replay
/// then costs one square root and one division an element, whatever `k` is; the book's
/// loop rounds the weight to float32 at every step, the replay once, so the two agree to a
/// few float32 units in the last place.
pub struct Replay {
    /// per param, the step each row holds
    last: Vec<Vec<usize>>,
    /// by `t % (WINDOW + 1)`: the rows stepped at step `t`, as (param, row)
    at: Vec<Vec<(usize, usize)>>,
    /// by `t0 % (WINDOW + 1)`: `D_n` from `t0` to the present
    sums: Vec<[f64; TERMS]>,
    /// for `j` in `0..=WINDOW`: `b1^j δ_j^n`
    coef: Vec<[f64; TERMS]>,
    /// for `j` in `0..=WINDOW`: `(b1^j, b2^j)`
    decay: Vec<(f64, f64)>,
}

impl Replay {
    fn new(params: &[Array2<f32>], now: usize, b1: f64, b2: f64) -> Self {
        let beta = b2.sqrt();
        let coef = (0..=WINDOW)
            .map(|j| {
                let delta = 1.0 - beta.powi(j as i32);
                std::array::from_fn(|n| b1.powi(j as i32) * delta.powi(n as i32))
            })
            .collect();
        let decay = (0..=WINDOW).map(|j| (b1.powi(j as i32), b2.powi(j as i32))).collect();
        let mut at = vec![Vec::new(); WINDOW + 1];
        at[now % (WINDOW + 1)] = (0..params.len())
            .flat_map(|i| (0..params[i].nrows()).map(move |row| (i, row)))
            .collect();
        Replay {
            last: params.iter().map(|p| vec![now; p.nrows()]).collect(),
            at,
            sums: vec![[0.0; TERMS]; WINDOW + 1],
            coef,
            decay,
        }
    }

    /// The rows of param `i` hold step `t`.
    fn record(&mut self, i: usize, rows: &[usize], t: usize) {
        for &row in rows {
            if self.last[i][row] != t {
                self.last[i][row] = t;
                self.at[t % (WINDOW + 1)].push((i, row));
            }
        }
    }

    /// Step `t`, at `lr_t`, adds its term to the sums of every `t0` in the window.
    fn advance(&mut self, lr_t: f64, t: usize) {
        for j in 1..=WINDOW.min(t) {
            let sums = &mut self.sums[(t - j) % (WINDOW + 1)];
            for (sum, coef) in sums.iter_mut().zip(&self.coef[j]) {
                *sum += lr_t * coef;
            }
        }
        self.sums[t % (WINDOW + 1)] = [0.0; TERMS];
    }

    /// For each of `n` params, the rows last stepped `WINDOW` steps before `t`, sorted.
    fn due(&mut self, t: usize, n: usize) -> Vec<Vec<usize>> {
        let mut due = vec![Vec::new(); n];
        if t >= WINDOW {
            let t0 = t - WINDOW;
            for (i, row) in std::mem::take(&mut self.at[t0 % (WINDOW + 1)]) {
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
        team: Option<&Team>,
        params: &mut [Array2<f32>],
        m: &mut [Array2<f32>],
        v: &mut [Array2<f32>],
        rows: &[&[usize]],
        now: usize,
    ) {
        let (last, sums, decay) = (&self.last, &self.sums, &self.decay);
        each_part(team, parts(params, m, v, rows), &|part: RowsOfParam<'_>| {
            let last = &last[part.param];
            part.for_rows(|_, row, p, m, v| {
                let k = now - last[row];
                if k > 0 {
                    assert!(k <= WINDOW, "a row waited {k} steps, more than {WINDOW}");
                    let decay = Decay::new(&sums[last[row] % (WINDOW + 1)], decay[k]);
                    in_widest_vectors(decay, p, &[], m, v);
                }
            });
        });
        for (i, rows) in rows.iter().enumerate() {
            self.record(i, rows, now);
        }
    }
}

/// One row's replay (see [`Replay`]): with `D_n` from the row's last step and the decays of
/// its `k` skipped steps, `b1^k` and `b2^k`.
#[derive(Clone, Copy)]
struct Decay {
    sums: [f32; TERMS],
    b1_k: f32,
    b2_k: f32,
}

impl Decay {
    /// In float32, as the book's step: the replay is as exact as one step of it.
    fn new(sums: &[f64; TERMS], (b1_k, b2_k): (f64, f64)) -> Decay {
        Decay { sums: sums.map(|sum| sum as f32), b1_k: b1_k as f32, b2_k: b2_k as f32 }
    }
}

impl RowUpdate for Decay {
    /// (No gradient.)
    #[inline(always)]
    fn update(self, p: &mut [f32], _: &[f32], m: &mut [f32], v: &mut [f32]) {
        let Decay { sums, b1_k, b2_k } = self;
        for ((p, m), v) in p.iter_mut().zip(m.iter_mut()).zip(v.iter_mut()) {
            // S = sqrt(v) + eps, w = sqrt(v) / S
            let s = v.sqrt();
            let inv = 1.0 / (s + 1e-7_f32);
            let w = s * inv;
            // Σ_n w^n D_n
            let mut series = sums[TERMS - 1];
            for n in (0..TERMS - 1).rev() {
                series = series * w + sums[n];
            }
            *p -= *m * inv * series;
            *m *= b1_k;
            *v *= b2_k;
        }
    }
}

/// Some rows of one param and of its moments, for one thread: the slices `p`, `m` and `v`
/// hold the param's rows from `slice_start_row` on, of which `rows` (sorted, distinct) are to
/// be updated.
struct RowsOfParam<'a> {
    /// which param
    param: usize,
    /// where `rows[0]` stands in the param's whole list of rows to update
    list_start: usize,
    /// the row of the param that the slices start at
    slice_start_row: usize,
    width: usize,
    p: &'a mut [f32],
    m: &'a mut [f32],
    v: &'a mut [f32],
    rows: &'a [usize],
}

impl<'a> RowsOfParam<'a> {
    /// `f(k, row, param, m, v)` for the `k`-th row of the param's list, on that row of the three
    /// arrays.
    fn for_rows(self, f: impl Fn(usize, usize, &mut [f32], &mut [f32], &mut [f32])) {
        let RowsOfParam { list_start, slice_start_row, width, p, m, v, rows, .. } = self;
        for (k, &row) in rows.iter().enumerate() {
            let span = (row - slice_start_row) * width..(row - slice_start_row + 1) * width;
            f(list_start + k, row, &mut p[span.clone()], &mut m[span.clone()], &mut v[span]);
        }
    }

    /// The first half of the rows, and the second, each with its own part of the arrays.
    fn split(self) -> (RowsOfParam<'a>, RowsOfParam<'a>) {
        let (before, after) = self.rows.split_at(self.rows.len() / 2);
        let cut = (after[0] - self.slice_start_row) * self.width;
        let (p0, p1) = self.p.split_at_mut(cut);
        let (m0, m1) = self.m.split_at_mut(cut);
        let (v0, v1) = self.v.split_at_mut(cut);
        let part = |list_start, slice_start_row, p, m, v, rows| RowsOfParam {
            param: self.param,
            list_start,
            slice_start_row,
            width: self.width,
            p,
            m,
            v,
            rows,
        };
        let second = self.list_start + before.len();
        (
            part(self.list_start, self.slice_start_row, p0, m0, v0, before),
            part(second, after[0], p1, m1, v1, after),
        )
    }
}

fn parts<'a>(
    params: &'a mut [Array2<f32>],
    m: &'a mut [Array2<f32>],
    v: &'a mut [Array2<f32>],
    rows: &'a [&'a [usize]],
) -> Vec<RowsOfParam<'a>> {
    params
        .iter_mut()
        .zip(m)
        .zip(v)
        .zip(rows)
        .enumerate()
        .map(|(i, (((param, m), v), rows))| RowsOfParam {
            param: i,
            list_start: 0,
            slice_start_row: 0,
            width: param.ncols(),
            p: param.as_slice_mut().expect("params are contiguous"),
            m: m.as_slice_mut().expect("a new array is contiguous"),
            v: v.as_slice_mut().expect("a new array is contiguous"),
            rows,
        })
        .collect()
}

/// `f` on each part, the parts shared among the team's threads: the largest halved until
/// there is one for each. Each row is updated on its own, so the result is the same for any
/// number of threads.
fn each_part(
    team: Option<&Team>,
    mut parts: Vec<RowsOfParam<'_>>,
    f: &(impl Fn(RowsOfParam<'_>) + Sync),
) {
    let Some(team) = team else {
        return parts.into_iter().for_each(f);
    };
    while parts.len() < team.threads() {
        let largest = (0..parts.len()).max_by_key(|&k| parts[k].rows.len());
        match largest {
            Some(k) if parts[k].rows.len() >= 2 => {
                let (a, b) = parts.swap_remove(k).split();
                parts.extend([a, b]);
            }
            _ => break,
        }
    }
    let mut shares: Vec<Vec<RowsOfParam<'_>>> = (0..team.threads()).map(|_| Vec::new()).collect();
    for (k, part) in parts.into_iter().enumerate() {
        shares[k % team.threads()].push(part);
    }
    team.run(
        shares
            .into_iter()
            .filter(|share| !share.is_empty())
            .map(|share| -> Box<dyn FnOnce() + Send + '_> {
                Box::new(move || share.into_iter().for_each(f))
            })
            .collect(),
    );
}

/// An update of one row of a param and its moments (and its gradient, if it has one), element
/// by element: the same IEEE operations in any vector width (Rust never fuses a multiply and
/// an add), so the same bits.
trait RowUpdate: Copy {
    /// Marked `#[inline(always)]`, so that each width below compiles it again.
    fn update(self, p: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32]);
}

/// `kernel.update(…)` in the widest vectors the processor has ([`simd::widest`]).
fn in_widest_vectors<K: RowUpdate>(
    kernel: K,
    p: &mut [f32],
    g: &[f32],
    m: &mut [f32],
    v: &mut [f32],
) {
    in_vectors(simd::widest(), kernel, p, g, m, v)
}

/// `kernel.update(…)` compiled for the given vectors.
fn in_vectors<K: RowUpdate>(
    vectors: Widest,
    kernel: K,
    p: &mut [f32],
    g: &[f32],
    m: &mut [f32],
    v: &mut [f32],
) {
    match vectors {
        // SAFETY: the proof HasAvx512 is made only once the processor said it has AVX-512F
        #[cfg(target_arch = "x86_64")]
        Widest::Avx512(_) => unsafe { with_avx512(kernel, p, g, m, v) },
        // SAFETY: the proof HasAvx2 is made only once the processor said it has AVX2
        #[cfg(target_arch = "x86_64")]
        Widest::Avx2(_) => unsafe { with_avx2(kernel, p, g, m, v) },
        _ => kernel.update(p, g, m, v),
    }
}

/// `kernel.update(…)` compiled with AVX-512F: the same loop, in 512-bit vectors.
///
/// # Safety
/// The processor must have AVX-512F.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn with_avx512<K: RowUpdate>(k: K, p: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32]) {
    k.update(p, g, m, v)
}

/// `kernel.update(…)` compiled with AVX2: the same loop, in 256-bit vectors.
///
/// # Safety
/// The processor must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn with_avx2<K: RowUpdate>(k: K, p: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32]) {
    k.update(p, g, m, v)
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

impl RowUpdate for AdamStep {
    #[inline(always)]
    fn update(self, param: &mut [f32], grad: &[f32], m: &mut [f32], v: &mut [f32]) {
        let AdamStep { one_minus_beta1, one_minus_beta2, lr_t } = self;
        for (((p, &g), m), v) in param.iter_mut().zip(grad).zip(m).zip(v) {
            // self.m[i] += (1 - self.beta1) * (grads[i] - self.m[i])
            *m += one_minus_beta1 * (g - *m);
            // self.v[i] += (1 - self.beta2) * (grads[i]**2 - self.v[i])
            *v += one_minus_beta2 * (g * g - *v);
            // params[i] -= lr_t * self.m[i] / (np.sqrt(self.v[i]) + 1e-7)
            *p -= lr_t as f32 * *m / (v.sqrt() + 1e-7_f32);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The loops in the widest vectors the processor has give the bits of the plain loops, on
    /// more elements than a vector holds and an odd tail, with zeros, subnormals and large
    /// gradients: the book's float64 step, the float32 one, and the replay.
    #[test]
    fn every_vector_width_gives_the_same_bits() {
        let (one_minus_beta1, one_minus_beta2, lr_t) = (0.1, 0.001, 0.000316);

        widths_agree(AdamStep { one_minus_beta1, one_minus_beta2, lr_t });
        widths_agree(Decay::new(
            &[3e-3, 2e-5, 1e-7, 4e-10, 1e-12, 3e-15],
            (0.9f64.powi(7), 0.999f64.powi(7)),
        ));
    }

    fn widths_agree<K: RowUpdate>(kernel: K) {
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
        let v_start: Vec<f32> = (0..n).map(|i| [1e-6, 1e-16, 0.0, 1e-40][i % 4]).collect();
        type Update<'a> = &'a dyn Fn(&mut [f32], &[f32], &mut [f32], &mut [f32]);
        let run = |update: Update| {
            let (mut p, mut m, mut v) = (start.clone(), vec![1e-4f32; n], v_start.clone());
            for _ in 0..3 {
                update(&mut p, &grad, &mut m, &mut v);
            }
            [p, m, v].map(|x| x.iter().map(|f| f.to_bits()).collect::<Vec<_>>())
        };
        let plain = run(&|p, g, m, v| kernel.update(p, g, m, v));
        assert_ne!(plain[0], start.iter().map(|f| f.to_bits()).collect::<Vec<_>>());
        for vectors in simd::every_kind() {
            let got = run(&|p, g, m, v| in_vectors(vectors, kernel, p, g, m, v));
            assert_eq!(got, plain, "{vectors:?}");
        }
    }

    /// Three rows of 40 elements whose gradients span 1e-9 to 1e-1 (so `sqrt(v)` falls far
    /// below `eps`, near it and far above it), each row with a gradient at its own irregular
    /// steps, gaps from 1 step to 700 (past the window): the book's update of every row, and
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
        let mut dense = crate::common::optimizer::Adam::default();
        let mut sparse = RowAdam::default();
        let (mut by_dense, mut by_rows) = ([start.clone()], [start.clone()]);
        let mut worst = [0f32; 3];
        for t in 1..=1200 {
            let grad = [grad_at(t)];
            dense.update(&mut [&mut by_dense[0]], &[&grad[0]]);
            let rows: Vec<usize> = (0..height).filter(|&r| touched(r, t)).collect();
            let row_grad = [grad[0].select(ndarray::Axis(0), &rows)];
            sparse.update_rows(&mut by_rows, &row_grad, &[&rows]);
            if t % 50 == 0 || t == 1200 {
                sparse.replay_all(&mut by_rows);
                let pairs = [
                    (&by_dense[0], &by_rows[0]),
                    (&dense.m.as_ref().unwrap()[0], &sparse.book.m.as_ref().unwrap()[0]),
                    (&dense.v.as_ref().unwrap()[0], &sparse.book.v.as_ref().unwrap()[0]),
                ];
                for (k, (a, b)) in pairs.into_iter().enumerate() {
                    for (a, b) in a.iter().zip(b) {
                        // relative; for weights near 0 to the 1e-2 they move by, and for m
                        // and v near 0 (as they decay) absolute
                        let floor = [1e-2, 1e-12, 1e-20][k];
                        worst[k] = worst[k].max((a - b).abs() / a.abs().max(floor));
                    }
                }
            }
        }
        // measured: 3.6e-6, 2.7e-5 and 2.8e-6, the same with a replay in float64: the book's
        // loop rounds the weight and the moments to float32 at each of up to 700 steps, the
        // replay once (m's worst is in row 0, where gradients of both signs have cancelled m
        // down to about 1e-10: one rounding of its size before)
        assert!(worst[0] < 1e-5 && worst[1] < 1e-4 && worst[2] < 1e-5, "{worst:?}");
        assert_ne!(by_rows[0], start);
    }

    /// A replay against the skipped steps summed one by one in float64: one gradient at step
    /// 3, then none for `k` steps, for gradients from 1e-10 (`sqrt(v)` far below `eps`) to 1.
    #[test]
    fn a_replay_is_the_sum_of_the_skipped_steps_it_stands_for() {
        let scales: Vec<f32> = (0..11).map(|e| 10f32.powi(-e)).collect();
        for k in [1, 2, 7, 150, 299, 300, 301, 1000] {
            let mut adam = RowAdam::default();
            let start = Array2::from_shape_fn((1, scales.len()), |(_, j)| 0.05 - 0.01 * j as f32);
            let mut params = [start.clone()];
            let zero = [Array2::zeros(start.raw_dim())];
            let no_rows = [Array2::zeros((0, start.ncols()))];
            let grad = [Array2::from_shape_vec(start.raw_dim(), scales.clone()).unwrap()];
            for t in 1..=3 {
                let g = if t == 3 { &grad } else { &zero };
                adam.update_rows(&mut params, g, &[&[0]]);
            }
            let (p0, m0, v0) = (
                params[0].clone(),
                adam.book.m.as_ref().unwrap()[0].clone(),
                adam.book.v.as_ref().unwrap()[0].clone(),
            );
            for _ in 0..k {
                adam.update_rows(&mut params, &no_rows, &[&[]]);
            }
            adam.replay_all(&mut params);
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
                let got = params[0][[0, j]] as f64;
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

    #[test]
    fn any_number_of_threads_gives_the_same_bits() {
        let grad = Array2::from_shape_fn((300, 50), |(i, j)| ((i * 50 + j) as f32 * 0.37).sin());
        let start = Array2::from_shape_fn((300, 50), |(i, j)| ((i + j) as f32 * 0.11).cos());
        let run = |threads| {
            let mut adam = RowAdam { threads, ..RowAdam::default() };
            let mut params = [start.clone()];
            let (all, some): (Vec<usize>, Vec<usize>) =
                ((0..300).collect(), (0..300).step_by(3).collect());
            for step in 0..6 {
                let rows = if step % 2 == 0 { &all } else { &some };
                let grads = [grad.select(ndarray::Axis(0), rows)];
                adam.update_rows(&mut params, &grads, &[rows]);
            }
            adam.replay_all(&mut params);
            params[0].clone()
        };
        let one = run(1);
        assert_eq!(one, run(2));
        assert_eq!(one, run(3));
        assert_ne!(one, start);
    }
}
