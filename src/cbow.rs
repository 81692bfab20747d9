//! Mirrors the book's `ch04/cbow.py`: `CBOW`, word2vec's continuous bag of words with
//! Embedding layers in and Negative Sampling out, in float32 as the book trains it. (The
//! book's sigmoid backward turns float64, float32 minus int32 labels; ours stays float32, and
//! agrees with the book's run within float32 rounding: see `trainer`'s tests.)

use crate::layers::Embedding;
use crate::negative_sampling_layer::NegativeSamplingLoss;
use crate::np::random::RandomState;
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
    /// `NegativeSamplingLoss(W_out, corpus, power=0.75, sample_size=5)`, which holds `W_out`
    pub ns_loss: NegativeSamplingLoss<A>,
    /// `W_in`, `(V, H)`: the in-layers' weight, and `word_vecs`
    pub w_in: Array2<A>,
    /// `dW_in`: the sum of the in-layers' gradients
    pub dw_in: Array2<A>,
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
    /// If `W_in` and `W_out` differ in shape, or as [`NegativeSamplingLoss::new`].
    pub fn with_weights(
        w_in: Array2<A>,
        w_out: Array2<A>,
        window_size: usize,
        corpus: ArrayView1<'_, usize>,
    ) -> Self {
        assert_eq!(
            w_in.dim(),
            w_out.dim(),
            "CBOW: W_in is {:?} but W_out {:?}",
            w_in.dim(),
            w_out.dim()
        );
        // レイヤの生成
        // self.in_layers = [Embedding(W_in) for i in range(2 * window_size)]
        let in_layers = (0..2 * window_size).map(|_| Embedding::new()).collect();
        // self.ns_loss = NegativeSamplingLoss(W_out, corpus, power=0.75, sample_size=5)
        let ns_loss = NegativeSamplingLoss::new(w_out, corpus, 0.75, SAMPLE_SIZE);
        CBOW { in_layers, ns_loss, dw_in: Array2::zeros(w_in.raw_dim()), w_in }
    }

    /// `self.word_vecs = W_in`: the learned word vectors, one row per word.
    pub fn word_vecs(&self) -> &Array2<A> {
        &self.w_in
    }

    /// `remove_duplicate(model.params, model.grads)`: the book's `params` list `W_in` once per
    /// in-layer and `W_out` once per Embedding Dot layer, and its trainer keeps each weight
    /// once with the sum of its gradients. Here each weight is held once and its layers add
    /// into one gradient as the backward goes, so this is that sum: `[W_in, W_out]` and
    /// `[dW_in, dW_out]`.
    pub fn params_and_grads(&mut self) -> ([&mut Array2<A>; 2], [&Array2<A>; 2]) {
        let NegativeSamplingLoss { params: [w_out], grads: [dw_out], .. } = &mut self.ns_loss;
        ([&mut self.w_in, w_out], [&self.dw_in, dw_out])
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
        assert_eq!(
            contexts.ncols(),
            self.in_layers.len(),
            "CBOW::forward: contexts has {} columns, not 2 * window_size = {}",
            contexts.ncols(),
            self.in_layers.len()
        );
        // h = 0
        let mut h = Array2::zeros((contexts.nrows(), self.w_in.ncols()));
        // for i, layer in enumerate(self.in_layers): h += layer.forward(contexts[:, i])
        for (i, layer) in self.in_layers.iter_mut().enumerate() {
            h += &layer.forward(&self.w_in, contexts.column(i));
        }
        // h *= 1 / len(self.in_layers)
        h *= A::from(1.0 / self.in_layers.len() as f64).expect("a float");
        // loss = self.ns_loss.forward(h, target)
        self.ns_loss.forward(&h, target, rng)
    }

    /// `dout = self.ns_loss.backward(dout)`, `dout *= 1 / len(self.in_layers)`, then each
    /// in-layer's backward, adding into the one `dW_in`.
    ///
    /// # Panics
    /// If `forward` has not run.
    pub fn backward(&mut self, dout: A) {
        // dout = self.ns_loss.backward(dout)
        let mut dout = self.ns_loss.backward(dout);
        // dout *= 1 / len(self.in_layers)
        dout *= A::from(1.0 / self.in_layers.len() as f64).expect("a float");
        // for layer in self.in_layers: layer.backward(dout), their sum in one dW_in
        self.dw_in.fill(A::zero());
        for layer in &mut self.in_layers {
            layer.backward(&dout, &mut self.dw_in);
        }
    }
}
