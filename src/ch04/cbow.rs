//! Mirrors the book's `ch04/cbow.py`: `CBOW`, word2vec's continuous bag of words with
//! Embedding layers in and Negative Sampling out, in float32 as the book trains it. (The
//! book's sigmoid backward turns float64, float32 minus int32 labels; ours stays float32, and
//! agrees with the book's run within float32 rounding: the engine's tests hold the book's
//! `train.py` to the book's own run.)

use crate::ch04::negative_sampling_layer::NegativeSamplingLoss;
use crate::common::layers::Embedding;
use crate::common::trainer::Model;
use crate::np::{cast, random::RandomState};
use ndarray::{Array2, ArrayView1, ArrayView2, NdFloat};

/// The negatives per target: the book's `sample_size=5`.
pub const SAMPLE_SIZE: usize = 5;

/// `class CBOW`: the mean of the `2 * window_size` context words' rows of `W_in` is the hidden
/// layer `h`, and Negative Sampling on `W_out` scores the target against 5 negatives.
///
/// The book's in-layers all hold the one `W_in`; here the model holds it and each layer borrows
/// it at its call ([`Embedding`]). `CBOW<f32>` is the book's model; `CBOW<f64>` computes the
/// same in float64, for checks by finite differences.
pub struct CBOW<A = f32> {
    /// `2 * window_size` Embedding layers, one per context position, all reading `W_in`
    pub in_layers: Vec<Embedding>,
    /// `NegativeSamplingLoss(W_out, corpus, power=0.75, sample_size=5)`, reading `W_out`
    pub ns_loss: NegativeSamplingLoss<A>,
    /// `W_in`, `(V, H)`: the in-layers' weight, and the learned word vectors, one row per word
    /// (`self.word_vecs = W_in`)
    pub w_in: Array2<A>,
    /// `W_out`, `(V, H)`: the Negative Sampling layer's
    pub w_out: Array2<A>,
    /// `dW_in` and `dW_out`: the sums of their layers' gradients
    pub dw_in: Array2<A>,
    pub dw_out: Array2<A>,
}

impl CBOW<f32> {
    /// `CBOW(vocab_size, hidden_size, window_size, corpus)`: `W_in` and `W_out` drawn as
    /// `0.01 * np.random.randn(V, H).astype('f')`, in that order.
    ///
    /// # Panics
    /// As [`with_weights`](Self::with_weights).
    pub fn new(
        vocab_size: usize,
        hidden_size: usize,
        window_size: usize,
        corpus: ArrayView1<'_, usize>,
        rng: &mut RandomState,
    ) -> Self {
        let (v, h) = (vocab_size, hidden_size);

        // 重みの初期化
        // W_in = 0.01 * np.random.randn(V, H).astype('f')
        let w_in = rng.randn((v, h)).mapv(|x| 0.01 * x as f32);
        // W_out = 0.01 * np.random.randn(V, H).astype('f')
        let w_out = rng.randn((v, h)).mapv(|x| 0.01 * x as f32);

        CBOW::with_weights(w_in, w_out, window_size, corpus)
    }
}

impl<A: NdFloat> CBOW<A> {
    /// The layers of `CBOW.__init__` on given weights.
    ///
    /// # Panics
    /// As [`NegativeSamplingLoss::new`]; weights of other shapes than `(V, H)` each, as the
    /// layers do at the forward.
    pub fn with_weights(
        w_in: Array2<A>,
        w_out: Array2<A>,
        window_size: usize,
        corpus: ArrayView1<'_, usize>,
    ) -> Self {
        // レイヤの生成
        // self.in_layers = [Embedding(W_in) for i in range(2 * window_size)]
        let in_layers = (0..2 * window_size).map(|_| Embedding::new()).collect();
        // self.ns_loss = NegativeSamplingLoss(W_out, corpus, power=0.75, sample_size=5)
        let ns_loss = NegativeSamplingLoss::new(corpus, 0.75, SAMPLE_SIZE);
        let (dw_in, dw_out) = (Array2::zeros(w_in.raw_dim()), Array2::zeros(w_out.raw_dim()));
        CBOW { in_layers, ns_loss, w_in, w_out, dw_in, dw_out }
    }

    /// `remove_duplicate(model.params, model.grads)`: the book's `params` list `W_in` once per
    /// in-layer and `W_out` once per Embedding Dot layer, and its trainer keeps each weight
    /// once with the sum of its gradients. Here each weight is held once and its layers add
    /// into one gradient as the backward goes, so this is that sum: `[W_in, W_out]` and
    /// `[dW_in, dW_out]`.
    pub fn params_and_grads(&mut self) -> ([&mut Array2<A>; 2], [&Array2<A>; 2]) {
        ([&mut self.w_in, &mut self.w_out], [&self.dw_in, &self.dw_out])
    }

    /// The mean of the context rows is `h`; then the Negative Sampling loss of `target`, its
    /// negatives drawn by the book's `UnigramSampler`.
    ///
    /// # Shapes
    /// `contexts: (N, 2 * window_size), target: (N,) -> loss: ()`
    ///
    /// # Panics
    /// If `contexts` does not have `2 * window_size` columns, or as the layers do.
    pub fn forward(
        &mut self,
        contexts: ArrayView2<'_, usize>,
        target: ArrayView1<'_, usize>,
        rng: &mut RandomState,
    ) -> A {
        assert_eq!(contexts.ncols(), self.in_layers.len(), "CBOW: 2 * window_size columns");
        // h = 0
        let mut h = Array2::zeros((contexts.nrows(), self.w_in.ncols()));
        // for i, layer in enumerate(self.in_layers): h += layer.forward(contexts[:, i])
        for (i, layer) in self.in_layers.iter_mut().enumerate() {
            h += &layer.forward(&self.w_in, contexts.column(i));
        }
        // h *= 1 / len(self.in_layers)
        h *= cast::<A>(1.0 / self.in_layers.len() as f64);
        // loss = self.ns_loss.forward(h, target)
        self.ns_loss.forward(&self.w_out, &h, target, rng)
    }

    /// `dout = self.ns_loss.backward(dout)`, `dout *= 1 / len(self.in_layers)`, then each
    /// in-layer's backward, adding into the one `dW_in`.
    ///
    /// # Panics
    /// If `forward` has not run.
    pub fn backward(&mut self, dout: A) {
        // dout = self.ns_loss.backward(dout), its layers' gradients summed in one dW_out
        self.dw_out.fill(A::zero());
        let mut dout = self.ns_loss.backward(dout, &mut self.dw_out);
        // dout *= 1 / len(self.in_layers)
        dout *= cast::<A>(1.0 / self.in_layers.len() as f64);
        // for layer in self.in_layers: layer.backward(dout), their sum in one dW_in
        self.dw_in.fill(A::zero());
        for layer in &mut self.in_layers {
            layer.backward(&dout, &mut self.dw_in);
        }
    }
}

/// What the book's `Trainer` and `train.py` ask of `model`.
impl Model for CBOW {
    fn forward(
        &mut self,
        contexts: ArrayView2<'_, usize>,
        target: ArrayView1<'_, usize>,
        rng: &mut RandomState,
    ) -> f32 {
        CBOW::forward(self, contexts, target, rng)
    }
    fn backward(&mut self, dout: f32) {
        CBOW::backward(self, dout)
    }
    fn params_and_grads(&mut self) -> ([&mut Array2<f32>; 2], [&Array2<f32>; 2]) {
        CBOW::params_and_grads(self)
    }
    /// `self.word_vecs = W_in`
    fn word_vecs(&self) -> &Array2<f32> {
        &self.w_in
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::util::{create_contexts_target, preprocess};
    use crate::np::gradient::numerical_gradient;
    use crate::np::max_abs_diff;
    use crate::np::random::Seed;

    /// `np.random.seed(0); W_in = 0.01 * np.random.randn(7, 3).astype('f')`, then `W_out`
    /// likewise: the bits numpy gives (printed by numpy 2.4.6).
    #[test]
    fn weights_are_drawn_as_the_books_under_its_seed() {
        let (corpus, _, _) = preprocess("You say goodbye and I say hello.");
        let model = CBOW::new(7, 3, 1, corpus.view(), &mut RandomState::new(Seed::Numpy(0)));
        let bits = |w: &Array2<f32>, n: usize| -> Vec<u32> {
            w.iter().take(n).map(|x| x.to_bits()).collect()
        };
        assert_eq!(bits(&model.w_in, 3), [0x3c9082dc, 0x3b831f9f, 0x3c205b3f]);
        assert_eq!(bits(&model.w_out, 2), [0x3bd62d80, 0x3c0da115]);
    }

    /// The 4.2 corpus with window 1, in float64: the backward's gradients against central
    /// differences of the forward's loss, its negatives drawn anew from the same generator.
    #[test]
    fn gradients_match_finite_differences() {
        let (corpus, _, _) = preprocess("You say goodbye and I say hello.");
        let (contexts, target) = create_contexts_target(&corpus, 1);
        let w_in = Array2::from_shape_fn((7, 3), |(i, j)| ((i * 3 + j) as f64 * 0.61).sin());
        let w_out = Array2::from_shape_fn((7, 3), |(i, j)| ((i * 3 + j) as f64 * 0.29).cos());
        let rng = RandomState::new(Seed::Numpy(0));
        let loss = |w_in: &Array2<f64>, w_out: &Array2<f64>| {
            CBOW::with_weights(w_in.clone(), w_out.clone(), 1, corpus.view()).forward(
                contexts.view(),
                target.view(),
                &mut rng.clone(),
            )
        };
        let mut model = CBOW::with_weights(w_in.clone(), w_out.clone(), 1, corpus.view());
        model.forward(contexts.view(), target.view(), &mut rng.clone());
        model.backward(1.0);
        let numerical_dw_in = numerical_gradient(&w_in, |w| loss(w, &w_out));
        let numerical_dw_out = numerical_gradient(&w_out, |w| loss(&w_in, w));
        let (_, [dw_in, dw_out]) = model.params_and_grads();
        // ~1e-7, not rounding: the 1e-7 inside the log (see layers' tests)
        assert!(max_abs_diff(dw_in, &numerical_dw_in) < 1e-6);
        assert!(max_abs_diff(dw_out, &numerical_dw_out) < 1e-6);
        // every word's row moved: each is a context of some example
        assert!(dw_in.rows().into_iter().all(|row| row.iter().any(|&g| g != 0.0)));
    }

    #[test]
    #[should_panic(expected = "CBOW: 2 * window_size columns\n  left: 3\n right: 2")]
    fn contexts_of_the_wrong_window_are_named() {
        let (corpus, _, _) = preprocess("You say goodbye and I say hello.");
        let mut model = CBOW::new(7, 3, 1, corpus.view(), &mut RandomState::default());
        model.forward(
            Array2::zeros((2, 3)).view(),
            ndarray::array![1, 2].view(),
            &mut RandomState::default(),
        );
    }
}
