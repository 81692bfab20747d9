//! `np.random`: where the book's random draws come from.
//!
//! The book never seeds numpy, so its numbers change on every run. Ours come from one seeded
//! generator, drawn in the book's order, so every run prints the same.

use ndarray::{Array, ShapeBuilder};
use ndarray_rand::rand::SeedableRng;
use ndarray_rand::rand_distr::StandardNormal;
use ndarray_rand::RandomExt;
use rand_pcg::Pcg64;

/// The seed used when the command line gives none.
pub const DEFAULT_SEED: u64 = 0;

/// The random state the chapters draw from, as the book draws from numpy's global one.
pub struct RandomState {
    rng: Pcg64,
    description: String,
}

impl RandomState {
    /// A `Pcg64` seeded with `seed` (`Pcg64::seed_from_u64`).
    pub fn pcg64(seed: u64) -> Self {
        RandomState {
            rng: Pcg64::seed_from_u64(seed),
            description: format!("Pcg64, seed {seed}"),
        }
    }

    /// Which generator and seed, for the header a chapter prints.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// `np.random.randn(d0, d1, …)`: standard normal draws filling `shape` in row-major order,
    /// as numpy fills it.
    pub fn randn<Sh: ShapeBuilder>(&mut self, shape: Sh) -> Array<f64, Sh::Dim> {
        Array::random_using(shape, StandardNormal, &mut self.rng)
    }
}

impl Default for RandomState {
    fn default() -> Self {
        RandomState::pcg64(DEFAULT_SEED)
    }
}
