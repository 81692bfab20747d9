//! The sampler: the negatives of the book's `UnigramSampler`
//! ([`crate::ch04::negative_sampling_layer::UnigramSampler`]) at O(1) a draw.
//!
//! The book calls `np.random.choice(V, 5, replace=False, p=p)` for every row of a batch, which
//! builds an O(V) cumulative table each time. [`AliasSampler`] draws from the same distribution
//! by Vose's alias table, and [`Sampler`] picks between the two: the book's own draws under
//! `--numpy-seed` (the very numbers numpy draws), the alias table under `--seed`. The tests at
//! the end hold the alias draws to the book's distribution: the probabilities, the target never
//! drawn, no word twice in a row, and the renormalized distribution that follows.

use crate::ch04::negative_sampling_layer::UnigramSampler;
use crate::fast::rows::prefetch;
use crate::np::random::RandomState;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};

/// The negatives of a model: the book's `UnigramSampler` and an alias table of its
/// probabilities.
#[derive(Clone)]
pub struct Sampler {
    pub unigram: UnigramSampler,
    pub alias: AliasSampler,
}

impl Sampler {
    /// The alias table of the book's sampler's `word_p`.
    ///
    /// # Panics
    /// As [`AliasSampler::from_probabilities`].
    pub fn new(unigram: UnigramSampler) -> Self {
        let alias = AliasSampler::from_probabilities(&unigram.word_p, unigram.sample_size);
        Sampler { unigram, alias }
    }

    /// `sampler.get_negative_sample(target)`, `(N, sample_size)`: the book's
    /// `np.random.choice` per row under `--numpy-seed`, the alias table otherwise.
    pub fn draw(&self, target: ArrayView1<'_, usize>, rng: &mut RandomState) -> Array2<usize> {
        if rng.is_numpy() {
            self.unigram.get_negative_sample(target, rng)
        } else {
            self.alias.get_negative_sample(&target.to_vec(), rng)
        }
    }

    /// SkipGram's negatives: each context column's, layer after layer as the book's loss layers
    /// draw them, stacked, `(columns * N, sample_size)`.
    pub fn draw_each_column(
        &self,
        contexts: ArrayView2<'_, usize>,
        rng: &mut RandomState,
    ) -> Array2<usize> {
        let layers: Vec<Array2<usize>> =
            contexts.columns().into_iter().map(|column| self.draw(column, rng)).collect();
        let views: Vec<_> = layers.iter().map(|l| l.view()).collect();
        ndarray::concatenate(Axis(0), &views).expect("each layer's negatives are (N, 5)")
    }
}

/// How many draws ahead [`AliasSampler::get_negative_sample`] picks its columns.
const DRAWS_AHEAD: usize = 8;

/// The probability a row may have ruled out (its target and the negatives drawn) before its
/// other negatives are drawn from what is left rather than drawn again until one fits: past
/// it, a draw would fit less often than one time in two. (A few frequent words hold under a
/// tenth of the shipped corpus's probability, so there the redrawing alone runs.)
const REDRAW_LIMIT: f64 = 0.5;

/// Vose's alias table over `word_p`: a draw is one uniform column and one biased coin, O(1)
/// whatever `V`.
#[derive(Clone)]
pub struct AliasSampler {
    pub sample_size: usize,
    pub vocab_size: usize,
    /// per column: the probability of keeping it rather than its alias, as a 32-bit
    /// threshold, and the alias; side by side so that a draw reads one cache line
    table: Vec<(u32, u32)>,
    /// `word_p`, and its running sums (`np.cumsum`), for the draws past [`REDRAW_LIMIT`]
    word_p: Vec<f64>,
    cumulative: Vec<f64>,
    /// whether a row can reach [`REDRAW_LIMIT`]: not when the `sample_size` likeliest words
    /// hold less, and then no row need count what it ruled out
    may_redraw: bool,
}

impl AliasSampler {
    /// The table for the book's unigram distribution (counts to the `power`, normalized).
    ///
    /// # Panics
    /// As [`UnigramSampler::new`] and [`from_probabilities`](Self::from_probabilities).
    pub fn new(corpus: ArrayView1<'_, usize>, power: f64, sample_size: usize) -> Self {
        let word_p = UnigramSampler::new(corpus, power, sample_size).word_p;
        Self::from_probabilities(&word_p, sample_size)
    }

    /// The table for any probabilities summing to 1.
    ///
    /// # Panics
    /// If a probability is negative or not a number, fewer than `sample_size + 1` words can be
    /// drawn (each row needs `sample_size` distinct words other than its target), or the
    /// vocabulary has more than 2**32 words.
    pub fn from_probabilities(word_p: &Array1<f64>, sample_size: usize) -> Self {
        let vocab_size = word_p.len();
        if let Some(bad) = word_p.iter().find(|p| !(p.is_finite() && **p >= 0.0)) {
            panic!("AliasSampler: a probability is {bad}; each must be a number from 0 up");
        }
        // each row needs sample_size distinct words besides its target: a word of probability
        // 0 is never drawn, and the redrawing would go on forever
        let drawable = word_p.iter().filter(|&&p| p > 0.0).count();
        assert!(
            drawable > sample_size,
            "AliasSampler: {drawable} of {vocab_size} words can be drawn, fewer than sample_size = {sample_size} negatives besides the target"
        );
        assert!(vocab_size as u64 <= 1 << 32, "AliasSampler: {vocab_size} words is over 2**32");
        let n = vocab_size as f64;
        let mut scaled: Vec<f64> = word_p.iter().map(|&p| p * n).collect();
        let mut keep = vec![u32::MAX; vocab_size];
        let mut alias: Vec<u32> = (0..vocab_size as u32).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) =
            (0..vocab_size).partition(|&i| scaled[i] < 1.0);
        while let (Some(&s), Some(&l)) = (small.last(), large.last()) {
            small.pop();
            keep[s] = (scaled[s] * 4294967296.0).min(4294967295.0) as u32;
            alias[s] = l as u32;
            scaled[l] -= 1.0 - scaled[s];
            if scaled[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        // what is left is 1 up to rounding: keep it always
        let table = keep.into_iter().zip(alias).collect();
        let word_p = word_p.to_vec();
        let cumulative =
            word_p.iter().scan(0.0, |sum, &p| Some(*sum + p).inspect(|&s| *sum = s)).collect();
        let likeliest = word_p.iter().fold(0f64, |a, &b| a.max(b));
        let may_redraw = likeliest * sample_size as f64 >= REDRAW_LIMIT * 0.99;
        AliasSampler { sample_size, vocab_size, table, word_p, cumulative, may_redraw }
    }

    /// A uniform column, by multiply-shift (its bias is below V / 2**32).
    fn column(&self, rng: &mut RandomState) -> usize {
        ((rng.next_u32() as u64 * self.vocab_size as u64) >> 32) as usize
    }

    /// The biased coin of `column`: the column itself, or its alias.
    fn resolve(&self, column: usize, coin: u32) -> usize {
        let (keep, alias) = self.table[column];
        if coin < keep || keep == u32::MAX {
            column
        } else {
            alias as usize
        }
    }

    /// The book's CPU semantics at O(1) a draw: for each target, `sample_size` distinct ids
    /// other than the target. Each is drawn from `word_p` and drawn again if it is the target
    /// or already in its row, which gives the same distribution as zeroing those
    /// probabilities and renormalizing, as the book does (numpy's `choice(replace=False, p)`).
    /// Once those words hold more than half the probability (`REDRAW_LIMIT`), as one word can in
    /// a corpus made mostly of it, the row's other negatives are drawn from the rest at once
    /// (`draw_excluding`), in O(log V): a row never costs more than a
    /// few draws.
    ///
    /// # Shapes
    /// `target: (N,) -> negative_sample: (N, sample_size)`
    ///
    /// # Panics
    /// If a target is not below `vocab_size`.
    pub fn get_negative_sample(&self, target: &[usize], rng: &mut RandomState) -> Array2<usize> {
        if let Some(i) = target.iter().position(|&t| t >= self.vocab_size) {
            panic!(
                "AliasSampler: target[{i}] = {} is not below vocab_size {}",
                target[i], self.vocab_size
            );
        }
        let mut negative_sample = Array2::zeros((target.len(), self.sample_size));
        // columns are drawn a few draws ahead, and their table entries asked for then: in a
        // table larger than the caches, each would otherwise wait for memory in turn
        let mut ahead = [0usize; DRAWS_AHEAD];
        for slot in &mut ahead {
            *slot = self.column(rng);
            prefetch(&self.table[*slot..=*slot]);
        }
        let mut next = 0;
        let rows = negative_sample.as_slice_mut().expect("a new array");
        let rows = rows.chunks_exact_mut(self.sample_size.max(1));
        for (row, &t) in rows.zip(target) {
            let mut excluded = if self.may_redraw { self.word_p[t] } else { 0.0 };
            for k in 0..self.sample_size {
                if self.may_redraw && excluded > REDRAW_LIMIT {
                    let taken = [&row[..k], &[t]].concat();
                    row[k] = self.draw_excluding(&taken, rng);
                    excluded += self.word_p[row[k]];
                    continue;
                }
                row[k] = loop {
                    let column = ahead[next];
                    ahead[next] = self.column(rng);
                    prefetch(&self.table[ahead[next]..=ahead[next]]);
                    next = (next + 1) % DRAWS_AHEAD;
                    let id = self.resolve(column, rng.next_u32());
                    if id != t && !row[..k].contains(&id) {
                        break id;
                    }
                };
                if self.may_redraw {
                    excluded += self.word_p[row[k]];
                }
            }
        }
        negative_sample
    }

    /// One id drawn from `word_p` with the `taken` ids' probabilities zeroed and the rest
    /// renormalized, by the running sums: a uniform point on the line without the taken ids'
    /// intervals, carried onto the whole line past each of them, then searched for.
    fn draw_excluding(&self, taken: &[usize], rng: &mut RandomState) -> usize {
        let mut taken = taken.to_vec();
        taken.sort_unstable();
        taken.dedup();
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let left = total - taken.iter().map(|&id| self.word_p[id]).sum::<f64>();
        // a uniform point in [0, left)
        let mut x = rng.random_sample(1)[0] * left;
        for &id in &taken {
            if x >= self.cumulative[id] - self.word_p[id] {
                x += self.word_p[id];
            }
        }
        let found = self.cumulative.partition_point(|&sum| sum <= x).min(self.vocab_size - 1);
        // rounding may land on a taken id, or one that cannot be drawn: the next that can
        let drawable = |id: &usize| self.word_p[*id] > 0.0 && taken.binary_search(id).is_err();
        (found..self.vocab_size).chain(0..found).find(drawable).expect("a word left to draw")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::np::random::Seed;
    use ndarray::{array, Array1};

    /// One id drawn with probability `word_p[id]`.
    fn draw(sampler: &AliasSampler, rng: &mut RandomState) -> usize {
        let column = sampler.column(rng);
        sampler.resolve(column, rng.next_u32())
    }

    #[test]
    fn alias_draws_follow_the_probabilities() {
        let p = array![0.5, 0.1, 0.05, 0.2, 0.05, 0.1];
        let sampler = AliasSampler::from_probabilities(&p, 1);
        let mut rng = RandomState::new(Seed::Pcg64(3));
        let mut counts = [0usize; 6];
        let draws = 200_000;
        for _ in 0..draws {
            counts[draw(&sampler, &mut rng)] += 1;
        }
        for (i, &c) in counts.iter().enumerate() {
            let expected = p[i] * draws as f64;
            // five standard deviations of a binomial count
            let sd = (draws as f64 * p[i] * (1.0 - p[i])).sqrt();
            assert!((c as f64 - expected).abs() < 5.0 * sd, "id {i}: {c} vs {expected}");
        }
    }

    #[test]
    fn alias_negatives_keep_the_books_cpu_semantics() {
        let corpus = array![0, 1, 2, 3, 4, 1, 5, 6];
        let sampler = AliasSampler::new(corpus.view(), 0.75, 5);
        let target = [1, 2, 3, 4, 1, 5];
        for seed in 0..200 {
            let negative_sample =
                sampler.get_negative_sample(&target, &mut RandomState::new(Seed::Pcg64(seed)));
            for (row, &t) in negative_sample.rows().into_iter().zip(&target) {
                let mut ids = row.to_vec();
                assert!(!ids.contains(&t));
                ids.sort();
                ids.dedup();
                assert_eq!(ids.len(), 5);
            }
        }
    }

    #[test]
    fn negatives_without_the_target_follow_the_books_renormalized_distribution() {
        // one negative per row: P(id) = p[id] / (1 - p[target])
        let p = array![0.4, 0.3, 0.2, 0.1];
        let sampler = AliasSampler::from_probabilities(&p, 1);
        let mut rng = RandomState::new(Seed::Pcg64(11));
        let rows = 100_000;
        let negatives = sampler.get_negative_sample(&vec![0; rows], &mut rng);
        for id in 1..4 {
            let count = negatives.iter().filter(|&&x| x == id).count() as f64;
            let q = p[id] / 0.6;
            let sd = (rows as f64 * q * (1.0 - q)).sqrt();
            assert!((count - rows as f64 * q).abs() < 5.0 * sd, "id {id}");
        }
    }

    /// Under `--numpy-seed` the book's own draws, under `--seed` the alias table's; SkipGram's
    /// column after column, as its loss layers draw them one after another.
    #[test]
    fn the_sampler_draws_as_the_book_under_its_seed() {
        // the book's 4.2.6 example
        let corpus = array![0, 1, 2, 3, 4, 1, 2, 3];
        let sampler = Sampler::new(UnigramSampler::new(corpus.view(), 0.75, 2));
        let contexts = array![[1, 3], [0, 4], [2, 1]];
        let numpy = || RandomState::new(Seed::Numpy(0));
        let mut book = numpy();
        let columns =
            [0, 1].map(|i| sampler.unigram.get_negative_sample(contexts.column(i), &mut book));
        let stacked =
            ndarray::concatenate(Axis(0), &[columns[0].view(), columns[1].view()]).unwrap();
        assert_eq!(sampler.draw_each_column(contexts.view(), &mut numpy()), stacked);
        // numpy prints [[3 2] [2 1] [3 2]] after np.random.seed(0)
        assert_eq!(
            sampler.draw(array![1, 3, 0].view(), &mut numpy()),
            array![[3, 2], [2, 1], [3, 2]]
        );
        let pcg = || RandomState::new(Seed::Pcg64(5));
        assert_eq!(
            sampler.draw(array![1, 3, 0].view(), &mut pcg()),
            sampler.alias.get_negative_sample(&[1, 3, 0], &mut pcg())
        );
    }

    /// On a corpus made mostly of one word, what `chapters/golden/skewed_choice.py` recorded of
    /// numpy's `choice(replace=False, p)` for three targets, 100,000 rows each: how often each
    /// word came at each of the 5 places. Ours, drawing as many rows, comes within five standard
    /// deviations of each count (past the first place, most rows draw from what is left,
    /// [`AliasSampler::draw_excluding`]).
    #[test]
    fn negatives_of_a_skewed_corpus_follow_numpys_frequencies() {
        let golden = zerotsuku2_testing::golden("chapters/golden/skewed_choice.txt");
        let mut lines = golden.lines().filter(|l| !l.starts_with('#'));
        let numbers = |line: &str, skip: usize| -> Vec<f64> {
            line.split(' ').skip(skip).map(|n| n.parse().unwrap()).collect()
        };
        let counts = numbers(lines.next().unwrap(), 1);
        let rows = numbers(lines.next().unwrap(), 1)[0] as usize;
        let word_p = counts.iter().map(|c| c.powf(0.75)).collect::<Array1<f64>>();
        let sampler = AliasSampler::from_probabilities(&(&word_p / word_p.sum()), 5);
        let mut rng = RandomState::new(Seed::Pcg64(4));
        let mut targets = 0;
        while let Some(header) = lines.next() {
            let target: usize = header.strip_prefix("target ").unwrap().parse().unwrap();
            let drawn = sampler.get_negative_sample(&vec![target; rows], &mut rng);
            for place in 0..5 {
                let numpy = numbers(lines.next().unwrap(), 0);
                for (id, &expected) in numpy.iter().enumerate() {
                    let ours = drawn.column(place).iter().filter(|&&x| x == id).count() as f64;
                    let q = expected / rows as f64;
                    // five standard deviations of the difference of two binomial counts
                    let sd = (2.0 * rows as f64 * q * (1.0 - q)).sqrt().max(1.0);
                    assert!(
                        (ours - expected).abs() < 5.0 * sd,
                        "target {target}, place {place}, id {id}: {ours} against numpy's {expected}"
                    );
                }
            }
            targets += 1;
        }
        assert_eq!(targets, 3);
    }

    /// A word that holds all but 6e-12 of the probability: drawing again until a negative fits
    /// would take about 1e11 draws a row, which never ends in a test; from what is left, a row
    /// takes five.
    #[test]
    fn a_word_that_is_almost_all_the_corpus_does_not_stall_the_sampler() {
        let mut word_p = Array1::from_elem(7, 1e-12);
        word_p[0] = 1.0 - 6e-12;
        let sampler = AliasSampler::from_probabilities(&word_p, 5);
        let drawn = sampler.get_negative_sample(&[0; 1000], &mut RandomState::default());
        for row in drawn.rows() {
            let mut ids = row.to_vec();
            ids.sort_unstable();
            ids.dedup();
            assert!(ids.len() == 5 && !ids.contains(&0), "{row}");
        }
    }

    #[test]
    #[should_panic(expected = "5 distinct words, which leaves fewer than sample_size = 5")]
    fn a_vocabulary_too_small_for_the_negatives_panics() {
        AliasSampler::new(array![0, 1, 2, 3, 4].view(), 0.75, 5);
    }

    #[test]
    #[should_panic(expected = "2 of 3 words can be drawn, fewer than sample_size = 2")]
    fn words_that_cannot_be_drawn_do_not_count() {
        // once target 0 is excluded, only word 1 could be drawn: it would never find 2
        AliasSampler::from_probabilities(&array![0.5, 0.5, 0.0], 2);
    }

    #[test]
    fn bad_probabilities_and_targets_are_named() {
        for (p, message) in [
            (array![0.5, f64::NAN, 0.5], "a probability is NaN"),
            (array![0.75, -0.25, 0.5], "a probability is -0.25"),
        ] {
            let panic = std::panic::catch_unwind(|| {
                AliasSampler::from_probabilities(&p, 1);
            });
            let text = *panic.unwrap_err().downcast::<String>().unwrap();
            assert!(text.contains(message), "{text}");
        }
        let sampler = AliasSampler::from_probabilities(&array![0.25, 0.25, 0.5], 1);
        let panic = std::panic::catch_unwind(|| {
            sampler.get_negative_sample(&[0, 3], &mut RandomState::default())
        });
        let text = *panic.unwrap_err().downcast::<String>().unwrap();
        assert_eq!(text, "AliasSampler: target[1] = 3 is not below vocab_size 3");
    }

    #[test]
    #[should_panic(expected = "power = NaN is not a finite number")]
    fn a_power_that_is_not_a_number_panics() {
        AliasSampler::new(array![0, 1, 2, 3, 4].view(), f64::NAN, 2);
    }
}
