//! `np.random`: where the book's random draws come from.
//!
//! The book never seeds numpy, so its numbers change on every run. Ours come from one seeded
//! generator, drawn in the book's order, so every run prints the same. Two generators:
//!
//! - [`Seed::Pcg64`], the default: a small, fast, well-tested generator (rand's `Pcg64`).
//! - [`Seed::Numpy`]: numpy's legacy global generator after `np.random.seed(N)`, MT19937 with
//!   numpy's polar-method normals, so that the page's Python seeded with the same `N` prints
//!   the same digits as we do.
//!
//! The discrete draws (`choice`, `randint`, `permutation`, `random_sample`) follow numpy's
//! legacy algorithms on top of either generator's 32-bit outputs, so under `Seed::Numpy` they
//! reproduce numpy's draws exactly.

use ndarray::{Array, Array1, ShapeBuilder};
use ndarray_rand::rand::RngCore;
use ndarray_rand::rand::SeedableRng;
use ndarray_rand::rand_distr::StandardNormal;
use ndarray_rand::RandomExt;
use rand_mt::Mt;
use rand_pcg::Pcg64;

/// The seed used when the command line gives none.
pub const DEFAULT_SEED: u64 = 0;

/// Which generator, and its seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seed {
    /// `Pcg64::seed_from_u64(seed)`
    Pcg64(u64),
    /// `np.random.seed(seed)`: numpy accepts 0 to 2**32 - 1
    Numpy(u32),
}

impl Default for Seed {
    fn default() -> Self {
        Seed::Pcg64(DEFAULT_SEED)
    }
}

/// The random state the chapters draw from, as the book draws from numpy's global one. A clone
/// draws what the original would draw next (numpy's `get_state` and `set_state`).
#[derive(Clone)]
pub struct RandomState {
    seed: Seed,
    source: Source,
}

#[derive(Clone)]
enum Source {
    Pcg64(Pcg64),
    // 2.5 KB of MT19937 state, boxed so the enum stays small
    Numpy(Box<LegacyGauss>),
}

impl Default for RandomState {
    fn default() -> Self {
        RandomState::new(Seed::default())
    }
}

impl RandomState {
    pub fn new(seed: Seed) -> Self {
        let source = match seed {
            Seed::Pcg64(seed) => Source::Pcg64(Pcg64::seed_from_u64(seed)),
            Seed::Numpy(seed) => Source::Numpy(Box::new(LegacyGauss::seed(seed))),
        };
        RandomState { seed, source }
    }

    /// Whether this is numpy's generator (`--numpy-seed`), under which the book's own
    /// algorithms must be drawn from to print the book's numbers.
    pub fn is_numpy(&self) -> bool {
        matches!(self.seed, Seed::Numpy(_))
    }

    /// Which generator and seed, for the header a chapter prints.
    pub fn description(&self) -> String {
        match self.seed {
            Seed::Pcg64(seed) => format!("Pcg64、シード {seed}"),
            Seed::Numpy(seed) => format!("numpy の MT19937、np.random.seed({seed})"),
        }
    }

    /// `np.random.randn(d0, d1, …)`: standard normal draws filling `shape` in row-major order,
    /// as numpy fills it.
    pub fn randn<Sh: ShapeBuilder>(&mut self, shape: Sh) -> Array<f64, Sh::Dim> {
        match &mut self.source {
            Source::Pcg64(rng) => Array::random_using(shape, StandardNormal, rng),
            Source::Numpy(legacy) => Array::from_shape_simple_fn(shape, || legacy.gauss()),
        }
    }

    /// The bit generator's next 32 bits (`next_uint32`), for samplers built on top (inlined
    /// into them: the alias sampler takes two a draw).
    #[inline]
    pub fn next_u32(&mut self) -> u32 {
        match &mut self.source {
            Source::Pcg64(rng) => rng.next_u32(),
            Source::Numpy(legacy) => legacy.mt.next_u32(),
        }
    }

    /// `legacy_double`: a uniform double in [0, 1).
    fn next_double(&mut self) -> f64 {
        legacy_double(|| self.next_u32())
    }

    /// numpy's `random_interval(max)`: a uniform integer in `0..=max` by masked rejection, which
    /// draws 32 bits, keeps the bits of the smallest mask covering `max`, and retries above it.
    fn random_interval(&mut self, max: u32) -> u32 {
        if max == 0 {
            return 0;
        }
        let mask = mask_of(max);
        loop {
            let value = self.next_u32() & mask;
            if value <= max {
                return value;
            }
        }
    }

    /// `np.random.random_sample(n)` (and `np.random.rand(n)`): uniform in [0, 1).
    pub fn random_sample(&mut self, n: usize) -> Array1<f64> {
        (0..n).map(|_| self.next_double()).collect()
    }

    /// `np.random.randint(0, high, size=n)`: numpy's masked rejection, which draws 32 bits,
    /// keeps the bits of the smallest mask covering `high - 1`, and retries above it.
    ///
    /// # Panics
    /// If `high` is 0 (numpy: "high <= 0") or over 2**32 (this port draws 32-bit values).
    pub fn randint(&mut self, high: usize, n: usize) -> Array1<usize> {
        assert!(high > 0, "randint: high is 0, the range [0, 0) is empty");
        assert!(
            high as u64 <= 1 << 32,
            "randint: high = {high} is over 2**32, the largest range this port draws"
        );
        let max = (high - 1) as u32;
        (0..n).map(|_| self.random_interval(max) as usize).collect()
    }

    /// `np.random.permutation(n)`: `arange(n)` shuffled by numpy's Fisher-Yates, from the last
    /// position down, each swap partner drawn by `random_interval` (masked rejection).
    pub fn permutation(&mut self, n: usize) -> Array1<usize> {
        let mut arr: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = self.random_interval(i as u32) as usize;
            arr.swap(i, j);
        }
        Array1::from(arr)
    }

    /// `np.random.choice(a, size, replace, p)` with `a` an integer (draw ids `0..a`); for a
    /// list, index it with the ids. numpy's legacy algorithm for each case:
    ///
    /// - with replacement, no `p`: `randint(0, a, size)`;
    /// - with replacement and `p`: `cdf = cumsum(p) / cdf[-1]`, one uniform per draw, and the
    ///   id is `cdf.searchsorted(u, side='right')`;
    /// - without replacement, no `p`: the first `size` of `permutation(a)`;
    /// - without replacement and `p`: draw `size` ids as above, keep the first of each repeat,
    ///   zero the found ids' probabilities and draw the missing ones again, until `size`
    ///   distinct ids are found.
    ///
    /// A scalar `np.random.choice(a)` draws exactly as `size = 1` does.
    ///
    /// # Panics
    /// If `a` is 0 and `size` is not; if `p` has a length other than `a`, a negative entry,
    /// or a sum farther than `sqrt(eps)` from 1; if `size > a` without replacement, or `p`
    /// has fewer than `size` nonzero entries then.
    pub fn choice(
        &mut self,
        a: usize,
        size: usize,
        replace: bool,
        p: Option<&Array1<f64>>,
    ) -> Array1<usize> {
        assert!(
            a > 0 || size == 0,
            "choice: a is 0, so there is nothing to draw {size} samples from"
        );
        if size == 0 {
            // numpy returns an empty array; it draws nothing, except without replacement and
            // p, where it takes permutation(a)[:0] and so shuffles all of a
            if !replace && p.is_none() {
                self.permutation(a);
            }
            return Array1::zeros(0);
        }
        if let Some(p) = p {
            assert_eq!(p.len(), a, "choice: p has {} entries but a is {a}", p.len());
            if let Some(bad) = p.iter().find(|&&x| x < 0.0 || x.is_nan()) {
                panic!("choice: p holds {bad}; probabilities must be non-negative");
            }
            let sum: f64 = p.sum();
            let atol = f64::EPSILON.sqrt();
            assert!(
                (sum - 1.0).abs() <= atol,
                "choice: p sums to {sum}, farther than {atol:e} from 1"
            );
        }
        match (replace, p) {
            (true, None) => self.randint(a, size),
            (true, Some(p)) => {
                let cdf = normalized_cdf(p);
                (0..size)
                    .map(|_| {
                        let u = self.next_double();
                        search_sorted_right(&cdf, u)
                    })
                    .collect()
            }
            (false, None) => {
                assert!(
                    size <= a,
                    "choice: cannot take {size} samples from {a} without replacement"
                );
                self.permutation(a).iter().take(size).copied().collect()
            }
            (false, Some(p)) => {
                let nonzero = p.iter().filter(|&&x| x > 0.0).count();
                assert!(
                    size <= nonzero,
                    "choice: cannot take {size} distinct samples: p has {nonzero} nonzero entries"
                );
                let mut p = p.clone();
                let mut found: Vec<usize> = Vec::with_capacity(size);
                while found.len() < size {
                    let x = self.random_sample(size - found.len());
                    for &id in &found {
                        p[id] = 0.0;
                    }
                    let cdf = normalized_cdf(&p);
                    for u in x {
                        let new = search_sorted_right(&cdf, u);
                        // np.unique(new, return_index=True) with the indices sorted keeps the
                        // first occurrence of each id; ids found earlier have p = 0 and
                        // cannot come back
                        if !found.contains(&new) {
                            found.push(new);
                        }
                    }
                }
                Array1::from(found)
            }
        }
    }
}

/// numpy's `gen_mask`: the smallest all-ones bit mask covering `max`.
fn mask_of(max: u32) -> u32 {
    let mut mask = max;
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
    mask
}

/// `legacy_double`: a uniform double in [0, 1) from 53 random bits, the top 27 and 26 bits of
/// two 32-bit outputs.
fn legacy_double(mut next_u32: impl FnMut() -> u32) -> f64 {
    let a = next_u32() >> 5;
    let b = next_u32() >> 6;
    (a as f64 * 67108864.0 + b as f64) / 9007199254740992.0
}

/// `cdf = np.cumsum(p); cdf /= cdf[-1]`
fn normalized_cdf(p: &Array1<f64>) -> Vec<f64> {
    let owned;
    let p = match p.as_slice() {
        Some(p) => p,
        None => {
            owned = p.to_vec();
            &owned
        }
    };
    // a bare loop over a slice: the book's sampler runs this for every row, and the tests build
    // it barely optimized, where an iterator's every step is a call
    let mut cdf = vec![0.0; p.len()];
    let mut acc = 0.0;
    let mut i = 0;
    while i < p.len() {
        acc += p[i];
        cdf[i] = acc;
        i += 1;
    }
    i = 0;
    while i < cdf.len() {
        cdf[i] /= acc;
        i += 1;
    }
    cdf
}

/// `cdf.searchsorted(u, side='right')`: how many entries are `<= u`.
fn search_sorted_right(cdf: &[f64], u: f64) -> usize {
    cdf.partition_point(|&c| c <= u)
}

/// numpy's legacy `RandomState`: MT19937 (from `rand_mt`, seeded by `init_genrand` as
/// `np.random.seed` seeds it from an integer) and `legacy_gauss`, which makes normals two at a
/// time by the polar method and keeps the second for the next call.
#[derive(Clone)]
struct LegacyGauss {
    mt: Mt,
    /// `has_gauss` / `gauss`
    kept: Option<f64>,
}

impl LegacyGauss {
    fn seed(seed: u32) -> Self {
        LegacyGauss { mt: Mt::new(seed), kept: None }
    }

    /// `legacy_gauss`
    fn gauss(&mut self) -> f64 {
        if let Some(kept) = self.kept.take() {
            return kept;
        }
        let (x1, x2, r2) = loop {
            let x1 = 2.0 * legacy_double(|| self.mt.next_u32()) - 1.0;
            let x2 = 2.0 * legacy_double(|| self.mt.next_u32()) - 1.0;
            let r2 = x1 * x1 + x2 * x2;
            if r2 < 1.0 && r2 != 0.0 {
                break (x1, x2, r2);
            }
        };
        // Polar method, a more efficient version of the Box-Muller approach.
        let f = (-2.0 * r2.ln() / r2).sqrt();
        self.kept = Some(f * x1);
        f * x2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numpy_seed_0_gives_numpys_first_normals() {
        // python3 -c "import numpy as np; np.random.seed(0); print(repr(np.random.randn(5)))"
        let mut rng = RandomState::new(Seed::Numpy(0));
        let x = rng.randn(5);
        assert_eq!(
            x.to_vec(),
            [
                1.764052345967664,
                0.4001572083672233,
                0.9787379841057392,
                2.240893199201458,
                1.8675579901499675
            ]
        );
    }

    #[test]
    fn an_odd_count_keeps_the_second_normal_for_the_next_call() {
        // np.random.seed(0); randn(3); randn(2) draws the same five numbers as randn(5)
        let mut whole = RandomState::new(Seed::Numpy(0));
        let mut split = RandomState::new(Seed::Numpy(0));
        let five = whole.randn(5).to_vec();
        let mut parts = split.randn(3).to_vec();
        parts.extend(split.randn(2));
        assert_eq!(five, parts);
    }

    #[test]
    fn discrete_draws_equal_numpys() {
        // np.random.seed(0); np.random.choice(10); np.random.choice(10) -> 5 0
        let mut rng = RandomState::new(Seed::Numpy(0));
        assert_eq!(rng.choice(10, 1, true, None)[0], 5);
        assert_eq!(rng.choice(10, 1, true, None)[0], 0);
        // words = ['you', 'say', 'goodbye', 'I', 'hello', '.'], continuing the same state:
        // choice(words) -> 'I'; size=5 -> I I say I .; size=5, replace=False -> say you . I hello;
        // p=[0.5, 0.1, 0.05, 0.2, 0.05, 0.1] -> '.'
        assert_eq!(rng.choice(6, 1, true, None).to_vec(), [3]);
        assert_eq!(rng.choice(6, 5, true, None).to_vec(), [3, 3, 1, 3, 5]);
        assert_eq!(rng.choice(6, 5, false, None).to_vec(), [1, 0, 5, 3, 4]);
        let p = ndarray::array![0.5, 0.1, 0.05, 0.2, 0.05, 0.1];
        assert_eq!(rng.choice(6, 1, true, Some(&p)).to_vec(), [5]);
    }

    #[test]
    fn no_samples_draw_nothing() {
        let mut rng = RandomState::new(Seed::Numpy(0));
        assert!(rng.choice(0, 0, true, None).is_empty());
        assert!(rng.choice(5, 0, true, None).is_empty());
        let p = ndarray::array![0.2, 0.2, 0.2, 0.2, 0.2];
        assert!(rng.choice(5, 0, true, Some(&p)).is_empty());
        assert!(rng.choice(5, 0, false, Some(&p)).is_empty());
        // the state is untouched: numpy's first draw for seed 0 comes next
        assert_eq!(rng.choice(10, 1, true, None)[0], 5);
    }

    #[test]
    fn no_samples_without_replacement_still_shuffle_as_numpy_does() {
        // np.random.seed(0); np.random.choice(5, 0, replace=False); np.random.choice(10) -> 3
        let mut rng = RandomState::new(Seed::Numpy(0));
        assert!(rng.choice(5, 0, false, None).is_empty());
        assert_eq!(rng.choice(10, 1, true, None)[0], 3);
    }

    #[test]
    #[should_panic(expected = "choice: p sums to 0.9")]
    fn probabilities_must_sum_to_one() {
        let p = ndarray::array![0.5, 0.4];
        RandomState::default().choice(2, 1, true, Some(&p));
    }

    #[test]
    #[should_panic(expected = "cannot take 3 samples from 2 without replacement")]
    fn too_many_samples_without_replacement_panics() {
        RandomState::default().choice(2, 3, false, None);
    }

    #[test]
    #[should_panic(expected = "cannot take 2 distinct samples: p has 1 nonzero entries")]
    fn too_few_nonzero_probabilities_panics() {
        let p = ndarray::array![1.0, 0.0, 0.0];
        RandomState::default().choice(3, 2, false, Some(&p));
    }

    #[test]
    fn pcg64_is_fixed_by_its_seed() {
        let a = RandomState::new(Seed::Pcg64(7)).randn((2, 3));
        let b = RandomState::new(Seed::Pcg64(7)).randn((2, 3));
        let c = RandomState::new(Seed::Pcg64(8)).randn((2, 3));
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
