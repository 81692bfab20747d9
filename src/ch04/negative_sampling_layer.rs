//! Mirrors the book's `ch04/negative_sampling_layer.py`: `EmbeddingDot`, `UnigramSampler`,
//! `NegativeSamplingLoss`.

use crate::common::layers::{add_at, take_rows, SigmoidWithLoss};
use crate::np::random::RandomState;
use ndarray::{Array1, Array2, ArrayView1, Axis, NdFloat};

/// `class EmbeddingDot`: the score of the target word alone, its row of `W_out` (the
/// Embedding forward) dotted with the hidden row, instead of `h` times the whole `W_out`.
///
/// The book's six layers of a [`NegativeSamplingLoss`] hold one `W` object. Rust gives an
/// array one owner, so this layer borrows `W` in `forward` and adds its gradient rows into the
/// `dW` it is handed in `backward`: the page's `EmbeddingDot(W_out)` reads
/// `EmbeddingDot::new()`, `forward(&W_out, h, target)`, `backward(ds, &mut dW_out)`.
#[derive(Default)]
pub struct EmbeddingDot<A = f32> {
    /// `idx`, `(h, target_W)` from the last forward
    cache: Option<(Vec<usize>, Array2<A>, Array2<A>)>,
}

impl<A: NdFloat> EmbeddingDot<A> {
    pub fn new() -> Self {
        EmbeddingDot { cache: None }
    }

    /// `target_W = self.embed.forward(idx)`, `out = np.sum(target_W * h, axis=1)`.
    ///
    /// # Shapes
    /// `W: (V, H), h: (N, H), idx: (N,) -> out: (N,)`
    ///
    /// # Panics
    /// If `h` is not `(len(idx), H)`, or an id is not below `V`.
    pub fn forward(
        &mut self,
        w: &Array2<A>,
        h: &Array2<A>,
        idx: ArrayView1<'_, usize>,
    ) -> Array1<A> {
        assert_eq!(
            h.dim(),
            (idx.len(), w.ncols()),
            "EmbeddingDot::forward: h is {:?} but idx has {} ids and W rows have width {}",
            h.dim(),
            idx.len(),
            w.ncols()
        );
        let idx = idx.to_vec();
        let target_w = take_rows("EmbeddingDot::forward", w, &idx);
        let out = (&target_w * h).sum_axis(Axis(1));

        self.cache = Some((idx, h.clone(), target_w));
        out
    }

    /// `dtarget_W = dout * h` into the Embedding backward (`np.add.at(dW, idx, dtarget_W)`,
    /// added to what `dw` holds); returns `dh = dout * target_W`.
    ///
    /// # Shapes
    /// `dout: (N,) -> dh: (N, H)`; `dW: (V, H)`
    ///
    /// # Panics
    /// If `forward` has not run, or `dout` does not have its `N` elements.
    pub fn backward(&mut self, dout: ArrayView1<'_, A>, dw: &mut Array2<A>) -> Array2<A> {
        let (idx, h, target_w) =
            self.cache.as_ref().expect("EmbeddingDot::backward: forward has not run");
        assert_eq!(
            dout.len(),
            h.nrows(),
            "EmbeddingDot::backward: dout has {} elements but forward scored {} rows",
            dout.len(),
            h.nrows()
        );
        // dout = dout.reshape(dout.shape[0], 1)
        let dout = dout.to_shape((dout.len(), 1)).expect("a 1-d array reshapes to a column");

        let dtarget_w = &dout * h;
        add_at(dw, idx, &dtarget_w);
        &dout * target_w
    }
}

/// `class UnigramSampler`: negatives drawn in proportion to each word's count to the `power`
/// (0.75 in the book, which lifts rare words a little).
#[derive(Clone)]
pub struct UnigramSampler {
    pub sample_size: usize,
    pub vocab_size: usize,
    /// `(V,)`: `count ** power`, normalized to sum to 1
    pub word_p: Array1<f64>,
}

impl UnigramSampler {
    /// `counts` of each id, `word_p = np.power(counts, power)`, `word_p /= np.sum(word_p)`.
    ///
    /// # Panics
    /// If the corpus is empty, its ids do not run from 0 without gaps (the book would drop the
    /// ids above `len(counts)`), it has no more than `sample_size` words, or `power` is not
    /// finite.
    pub fn new(corpus: ArrayView1<'_, usize>, power: f64, sample_size: usize) -> Self {
        assert!(power.is_finite(), "UnigramSampler::new: power = {power} is not a finite number");
        let max_id =
            corpus.iter().copied().max().expect("UnigramSampler::new: the corpus is empty");
        // ids without gaps are fewer than the words: past that, a table of len + 1 finds a gap
        let bound = max_id.min(corpus.len());
        let mut counts = vec![0usize; bound + 1];
        for &word_id in corpus.iter().filter(|&&id| id <= bound) {
            counts[word_id] += 1;
        }
        if let Some(missing) = counts.iter().position(|&c| c == 0) {
            panic!("UnigramSampler::new: id {missing} never appears but id {max_id} does; ids must run 0..V without gaps");
        }
        let vocab_size = counts.len();
        assert!(
            sample_size < vocab_size,
            "UnigramSampler::new: the corpus has {vocab_size} distinct words, which leaves fewer than sample_size = {sample_size} negatives besides a target"
        );

        let word_p: Array1<f64> = counts.iter().map(|&c| (c as f64).powf(power)).collect();
        let total = word_p.sum();
        UnigramSampler { sample_size, vocab_size, word_p: word_p / total }
    }

    /// The book's CPU path: for each target, `np.random.choice(vocab_size, size=sample_size,
    /// replace=False, p=p)` with `p[target] = 0` and `p /= p.sum()`.
    ///
    /// # Shapes
    /// `target: (N,) -> negative_sample: (N, sample_size)`
    ///
    /// # Panics
    /// If a target is not below `vocab_size`.
    pub fn get_negative_sample(
        &self,
        target: ArrayView1<'_, usize>,
        rng: &mut RandomState,
    ) -> Array2<usize> {
        let batch_size = target.len();
        let mut negative_sample = Array2::zeros((batch_size, self.sample_size));
        for (i, &target_idx) in target.iter().enumerate() {
            assert!(
                target_idx < self.vocab_size,
                "UnigramSampler::get_negative_sample: target[{i}] = {target_idx} is not below vocab_size {}",
                self.vocab_size
            );
            let mut p = self.word_p.clone();
            p[target_idx] = 0.0;
            p /= p.sum();
            let row = rng.choice(self.vocab_size, self.sample_size, false, Some(&p));
            negative_sample.row_mut(i).assign(&row);
        }
        negative_sample
    }
}

/// `class NegativeSamplingLoss`: the target's loss (label 1) plus `sample_size` negatives'
/// (label 0), each scored by an Embedding Dot layer on the one `W`.
///
/// Like [`EmbeddingDot`], the layer borrows `W` at its call and adds its gradient into the `dW`
/// it is handed, so that several layers can share one `W` (SkipGram's `2 * window_size`): the
/// book's `NegativeSamplingLoss(W, corpus)` reads `NegativeSamplingLoss::new(corpus, …)`,
/// `forward(&W, h, target, rng)`, `backward(dout, &mut dW)`. The book's six Embedding Dot layers
/// each keep a `dW` that its trainer adds up later (`remove_duplicate`); here they add into the
/// one `dW` as the backward goes.
pub struct NegativeSamplingLoss<A = f32> {
    pub sample_size: usize,
    pub sampler: UnigramSampler,
    /// `sample_size + 1` of each: the target's first, then each negative's
    pub loss_layers: Vec<SigmoidWithLoss<A>>,
    pub embed_dot_layers: Vec<EmbeddingDot<A>>,
    /// the negatives of the last forward, `(N, sample_size)`
    pub negative_sample: Option<Array2<usize>>,
}

impl<A: NdFloat> NegativeSamplingLoss<A> {
    /// `NegativeSamplingLoss(W, corpus, power=0.75, sample_size=5)`, `W` given at each call.
    ///
    /// # Panics
    /// As [`UnigramSampler::new`].
    pub fn new(corpus: ArrayView1<'_, usize>, power: f64, sample_size: usize) -> Self {
        NegativeSamplingLoss {
            sample_size,
            sampler: UnigramSampler::new(corpus, power, sample_size),
            loss_layers: (0..=sample_size).map(|_| SigmoidWithLoss::new()).collect(),
            embed_dot_layers: (0..=sample_size).map(|_| EmbeddingDot::new()).collect(),
            negative_sample: None,
        }
    }

    /// `negative_sample = self.sampler.get_negative_sample(target)`, then
    /// [`forward_with`](Self::forward_with) them.
    pub fn forward(
        &mut self,
        w: &Array2<A>,
        h: &Array2<A>,
        target: ArrayView1<'_, usize>,
        rng: &mut RandomState,
    ) -> A {
        let negative_sample = self.sampler.get_negative_sample(target, rng);
        self.forward_with(w, h, target, negative_sample)
    }

    /// The positive example's loss with label 1, then each negative column's with label 0.
    ///
    /// # Shapes
    /// `W: (V, H), h: (N, H), target: (N,), negative_sample: (N, sample_size) -> loss: ()`
    ///
    /// # Panics
    /// If the shapes disagree, or an id is not below `V`.
    pub fn forward_with(
        &mut self,
        w: &Array2<A>,
        h: &Array2<A>,
        target: ArrayView1<'_, usize>,
        negative_sample: Array2<usize>,
    ) -> A {
        let batch_size = target.len();
        assert_eq!(
            negative_sample.dim(),
            (batch_size, self.sample_size),
            "NegativeSamplingLoss::forward: negative_sample is {:?}, not (batch_size, sample_size) = ({batch_size}, {})",
            negative_sample.dim(),
            self.sample_size
        );
        // 正例のフォワード
        let score = self.embed_dot_layers[0].forward(w, h, target);
        let correct_label = Array1::<usize>::ones(batch_size);
        let mut loss = self.loss_layers[0].forward(&score, correct_label.view());

        // 負例のフォワード
        let negative_label = Array1::<usize>::zeros(batch_size);
        for i in 0..self.sample_size {
            let negative_target = negative_sample.column(i);
            let score = self.embed_dot_layers[1 + i].forward(w, h, negative_target);
            loss += self.loss_layers[1 + i].forward(&score, negative_label.view());
        }

        self.negative_sample = Some(negative_sample);
        loss
    }

    /// `for l0, l1 in zip(self.loss_layers, self.embed_dot_layers)`: `dh` summed and returned,
    /// each layer's `dW` added into `dw` (which the owner of `W` zeroes).
    ///
    /// # Panics
    /// If `forward` has not run.
    pub fn backward(&mut self, dout: A, dw: &mut Array2<A>) -> Array2<A> {
        let negative_sample = self
            .negative_sample
            .as_ref()
            .expect("NegativeSamplingLoss::backward: forward has not run");
        let mut dh = Array2::zeros((negative_sample.nrows(), dw.ncols()));
        for (l0, l1) in self.loss_layers.iter_mut().zip(&mut self.embed_dot_layers) {
            // dscore = l0.backward(dout)
            let dscore = l0.backward(dout);
            // dh += l1.backward(dscore)
            dh += &l1.backward(dscore.view(), dw);
        }
        dh
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::np::gradient::numerical_gradient;
    use crate::np::max_abs_diff;
    use crate::np::random::Seed;
    use ndarray::array;

    #[test]
    #[should_panic(expected = "idx[0] = 6 is out of range: W has 5 rows")]
    fn a_w_smaller_than_the_vocabulary_panics_at_the_forward() {
        let mut layer = NegativeSamplingLoss::new(array![0, 1, 2, 3, 4, 5, 6].view(), 0.75, 2);
        let w = Array2::<f64>::zeros((5, 3));
        layer.forward_with(&w, &Array2::zeros((1, 3)), array![6].view(), array![[0, 1]]);
    }

    #[test]
    #[should_panic(
        expected = "the corpus has 1 distinct words, which leaves fewer than sample_size = 1"
    )]
    fn a_one_word_corpus_is_named_at_construction() {
        UnigramSampler::new(array![0, 0, 0].view(), 0.75, 1);
    }

    #[test]
    #[should_panic(expected = "id 1 never appears but id 18446744073709551615 does")]
    fn the_largest_id_is_a_gap_not_an_overflow() {
        UnigramSampler::new(array![0, usize::MAX].view(), 0.75, 1);
    }

    fn arange(n: usize, shape: (usize, usize)) -> Array2<f64> {
        Array1::range(0.0, n as f64, 1.0).into_shape_with_order(shape).unwrap()
    }

    #[test]
    fn the_books_small_example() {
        // W = np.arange(21).reshape(7, 3); idx = np.array([0, 3, 1]); h = np.arange(9).reshape(3, 3)
        let mut layer = EmbeddingDot::new();
        let s = layer.forward(&arange(21, (7, 3)), &arange(9, (3, 3)), array![0, 3, 1].view());
        assert_eq!(s, array![5.0, 122.0, 86.0]);
        assert_eq!(crate::np::array_str(&s), "[  5. 122.  86.]");
    }

    #[test]
    fn gradients_match_finite_differences_with_repeated_ids() {
        let idx = array![1, 2, 3, 4, 1, 5];
        let w = Array2::from_shape_fn((7, 3), |(i, j)| ((i * 3 + j) as f64 * 0.61).sin());
        let h = Array2::from_shape_fn((6, 3), |(i, j)| ((i * 3 + j) as f64 * 0.29).cos());
        let ds = array![-1.6, -0.87, 1.33, 0.94, 0.34, -0.06];
        // L = sum(ds * s), so dL/ds = ds: what backward receives
        let loss = |w: &Array2<f64>, h: &Array2<f64>| {
            let mut probe = EmbeddingDot::new();
            (&probe.forward(w, h, idx.view()) * &ds).sum()
        };

        let mut layer = EmbeddingDot::new();
        layer.forward(&w, &h, idx.view());
        let mut dw = Array2::zeros(w.raw_dim());
        let dh = layer.backward(ds.view(), &mut dw);
        let dw = &dw;

        let numeric_dh = numerical_gradient(&h, |h| loss(&w, h));
        let numeric_dw = numerical_gradient(&w, |w| loss(w, &h));
        assert!(max_abs_diff(&dh, &numeric_dh) < 1e-9);
        assert!(max_abs_diff(dw, &numeric_dw) < 1e-9);
        // word 1 is the target twice: its gradient row is the sum of both
        assert_eq!(dw.row(1), &(&h.row(0) * ds[0]) + &(&h.row(4) * ds[4]));
    }

    #[test]
    fn sampler_draws_what_numpy_draws() {
        // the book's 4.2.6 example; numpy after np.random.seed(0) gives [[3 2] [2 1] [3 2]]
        let corpus = array![0, 1, 2, 3, 4, 1, 2, 3];
        let sampler = UnigramSampler::new(corpus.view(), 0.75, 2);
        assert_eq!(sampler.vocab_size, 5);
        // counts [1 2 2 2 1] ** 0.75, normalized
        let expected = array![1.0, 2f64.powf(0.75), 2f64.powf(0.75), 2f64.powf(0.75), 1.0];
        assert!(crate::np::allclose(&sampler.word_p, &(&expected / expected.sum())));
        let mut rng = RandomState::new(Seed::Numpy(0));
        let negative_sample = sampler.get_negative_sample(array![1, 3, 0].view(), &mut rng);
        assert_eq!(negative_sample, array![[3, 2], [2, 1], [3, 2]]);
    }

    #[test]
    fn negatives_are_never_the_target_and_never_repeat_in_a_row() {
        let corpus = array![0, 1, 2, 3, 4, 1, 5, 6];
        let sampler = UnigramSampler::new(corpus.view(), 0.75, 5);
        let target = array![1, 2, 3, 4, 1, 5];
        for seed in 0..200 {
            let mut rng = RandomState::new(Seed::Pcg64(seed));
            let negative_sample = sampler.get_negative_sample(target.view(), &mut rng);
            for (row, &t) in negative_sample.rows().into_iter().zip(&target) {
                let mut ids = row.to_vec();
                assert!(!ids.contains(&t), "seed {seed}: {row} holds target {t}");
                ids.sort();
                ids.dedup();
                assert_eq!(ids.len(), 5, "seed {seed}: {row} repeats an id");
            }
        }
    }

    #[test]
    #[should_panic(expected = "id 2 never appears but id 3 does")]
    fn a_corpus_with_a_gap_in_its_ids_panics() {
        UnigramSampler::new(array![0, 1, 3].view(), 0.75, 1);
    }

    /// The toy data of 4.2.7, with negatives drawn once and then held fixed.
    struct Toy {
        w: Array2<f64>,
        h: Array2<f64>,
        target: Array1<usize>,
        negative_sample: Array2<usize>,
        corpus: Array1<usize>,
    }

    fn toy() -> Toy {
        let corpus = array![0, 1, 2, 3, 4, 1, 5, 6];
        let target = array![1, 2, 3, 4, 1, 5];
        let sampler = UnigramSampler::new(corpus.view(), 0.75, 5);
        Toy {
            w: Array2::from_shape_fn((7, 3), |(i, j)| ((i * 3 + j) as f64 * 0.61).sin()),
            h: Array2::from_shape_fn((6, 3), |(i, j)| ((i * 3 + j) as f64 * 0.29).cos()),
            negative_sample: sampler
                .get_negative_sample(target.view(), &mut RandomState::default()),
            target,
            corpus,
        }
    }

    #[test]
    fn one_summed_gradient_equals_the_books_six_layers_and_remove_duplicate() {
        let Toy { w, h, target, negative_sample, corpus } = toy();
        let mut layer = NegativeSamplingLoss::new(corpus.view(), 0.75, 5);
        let loss = layer.forward_with(&w, &h, target.view(), negative_sample.clone());
        let mut dw = Array2::zeros(w.raw_dim());
        let dh = layer.backward(1.0, &mut dw);

        // the book: six EmbeddingDot layers on the same W, six SigmoidWithLoss layers
        let mut embed_dot_layers: Vec<EmbeddingDot<f64>> =
            (0..6).map(|_| EmbeddingDot::new()).collect();
        let mut loss_layers: Vec<SigmoidWithLoss<f64>> =
            (0..6).map(|_| SigmoidWithLoss::new()).collect();
        let score = embed_dot_layers[0].forward(&w, &h, target.view());
        let mut book_loss = loss_layers[0].forward(&score, Array1::ones(6).view());
        for i in 0..5 {
            let score = embed_dot_layers[1 + i].forward(&w, &h, negative_sample.column(i));
            book_loss += loss_layers[1 + i].forward(&score, Array1::zeros(6).view());
        }
        let mut book_dh = Array2::zeros((6, 3));
        let mut book_dws = Vec::new();
        for (l0, l1) in loss_layers.iter_mut().zip(embed_dot_layers.iter_mut()) {
            let dscore = l0.backward(1.0);
            // each of the book's layers has a dW of its own
            let mut own_dw = Array2::zeros(w.raw_dim());
            book_dh += &l1.backward(dscore.view(), &mut own_dw);
            book_dws.push(own_dw);
        }
        // remove_duplicate: grads[0] += grads[j] for each layer sharing W
        let mut book_dw = book_dws[0].clone();
        for dw in &book_dws[1..] {
            book_dw += dw;
        }

        // the shared dW: the same terms as remove_duplicate's, added in another grouping
        assert!(crate::np::max_abs_diff(&dw, &book_dw) < 1e-14);
        assert!(book_dw.iter().any(|&x| x != 0.0));
        // the loss and dh from the formulas of 4.2.5 and 4.2.7, with no layer: for each row, the
        // target's -log(σ(s) + 1e-7) and each negative's -log(1 - σ(s) + 1e-7), over N; and
        // dh the sum of (σ(s) - label) W[id] / N
        let sigma = |s: f64| 1.0 / (1.0 + (-s).exp());
        let (mut formula_loss, mut formula_dh) = (0.0, Array2::<f64>::zeros((6, 3)));
        for i in 0..6 {
            let negatives = negative_sample.row(i);
            let ids =
                std::iter::once((target[i], 1.0)).chain(negatives.iter().map(|&id| (id, 0.0)));
            for (id, label) in ids {
                let y = sigma(w.row(id).dot(&h.row(i)));
                let p = if label == 1.0 { y } else { 1.0 - y };
                formula_loss -= (p + 1e-7).ln() / 6.0;
                formula_dh.row_mut(i).scaled_add((y - label) / 6.0, &w.row(id));
            }
        }
        assert!((loss - formula_loss).abs() < 1e-12 && (book_loss - formula_loss).abs() < 1e-12);
        assert!(crate::np::max_abs_diff(&dh, &formula_dh) < 1e-12);
        assert!(crate::np::max_abs_diff(&book_dh, &formula_dh) < 1e-12);
    }

    #[test]
    fn negative_sampling_gradients_match_finite_differences() {
        let Toy { w, h, target, negative_sample, corpus } = toy();
        let loss = |w: &Array2<f64>, h: &Array2<f64>| {
            NegativeSamplingLoss::new(corpus.view(), 0.75, 5).forward_with(
                w,
                h,
                target.view(),
                negative_sample.clone(),
            )
        };
        let mut layer = NegativeSamplingLoss::new(corpus.view(), 0.75, 5);
        layer.forward_with(&w, &h, target.view(), negative_sample.clone());
        let mut dw = Array2::zeros(w.raw_dim());
        let dh = layer.backward(1.0, &mut dw);
        let numeric_dh = numerical_gradient(&h, |h| loss(&w, h));
        let numeric_dw = numerical_gradient(&w, |w| loss(w, &h));
        // ~1e-7, not rounding: the 1e-7 inside the log (see layers' tests)
        assert!(max_abs_diff(&dh, &numeric_dh) < 1e-6);
        assert!(max_abs_diff(&dw, &numeric_dw) < 1e-6);
    }

    #[test]
    #[should_panic(expected = "h is (5, 3) but idx has 6 ids")]
    fn h_with_the_wrong_row_count_panics() {
        let mut layer = EmbeddingDot::new();
        layer.forward(&arange(21, (7, 3)), &Array2::zeros((5, 3)), array![1, 2, 3, 4, 1, 5].view());
    }

    #[test]
    #[should_panic(expected = "idx[1] = 9 is out of range: W has 7 rows")]
    fn an_id_outside_the_vocabulary_panics() {
        let mut layer = EmbeddingDot::new();
        layer.forward(&arange(21, (7, 3)), &Array2::zeros((2, 3)), array![1, 9].view());
    }

    #[test]
    #[should_panic(expected = "dout has 2 elements but forward scored 3 rows")]
    fn dout_with_the_wrong_length_panics() {
        let mut layer = EmbeddingDot::new();
        layer.forward(&arange(21, (7, 3)), &arange(9, (3, 3)), array![0, 3, 1].view());
        layer.backward(array![1.0, 2.0].view(), &mut Array2::zeros((7, 3)));
    }
}
