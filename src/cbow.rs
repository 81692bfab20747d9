//! Mirrors the book's `ch04/cbow.py`: `CBOW`, word2vec's continuous bag of words with
//! Embedding layers in and Negative Sampling out, in float32 as the book trains it.

use crate::fast::{AliasSampler, NegativeSamplingLoss};
use crate::negative_sampling_layer::UnigramSampler;
use crate::np::random::RandomState;
use ndarray::{Array2, ArrayView1, ArrayView2};

/// `class CBOW`: the mean of the `2 * window_size` context words' rows of `W_in` is the hidden
/// layer `h`, and Negative Sampling on `W_out` scores the target against 5 negatives.
///
/// The book builds `2 * window_size` Embedding layers on the one `W_in` and six EmbeddingDot
/// layers on the one `W_out`, so its `params` list `W_in` ten times and `W_out` six times, and
/// the trainer adds their gradients (`remove_duplicate`). Here `params` are the two arrays
/// themselves and `grads` those sums, made during the backward: the rows each layer touched,
/// added into one `dW_in` and one `dW_out` (from [`crate::fast`], which 4.2 proved equal to
/// the book's layers).
pub struct CBOW {
    /// `2 * window_size`: one Embedding layer per context position, all reading `W_in`
    pub in_layers: usize,
    /// the Negative Sampling layer on `W_out`
    pub ns_loss: NegativeSamplingLoss<f32>,
    /// the book's sampler, `np.random.choice` per row, for draws under `--numpy-seed`
    pub sampler: UnigramSampler,
    /// `[W_in, W_out]`, both `(V, H)`
    pub params: [Array2<f32>; 2],
    /// `[dW_in, dW_out]`: each the sum of its layers' gradients
    pub grads: [Array2<f32>; 2],
    /// the context ids of the last forward, `(N, 2 * window_size)`
    contexts: Array2<usize>,
    /// the rows of `grads` the last backward wrote, to be zeroed by the next one
    touched: [Vec<usize>; 2],
}

impl CBOW {
    /// `CBOW(vocab_size, hidden_size, window_size, corpus)`: `W_in` and `W_out` drawn as
    /// `0.01 * np.random.randn(V, H).astype('f')`, in that order.
    ///
    /// # Panics
    /// If `corpus` holds an id at or above `vocab_size`, its ids have a gap, or the vocabulary
    /// has fewer than 6 words (5 negatives besides the target).
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

        // レイヤの生成
        // self.ns_loss = NegativeSamplingLoss(W_out, corpus, power=0.75, sample_size=5)
        let sampler = UnigramSampler::new(corpus, 0.75, 5);
        assert_eq!(
            sampler.vocab_size, vocab_size,
            "CBOW::new: the corpus has {} words but vocab_size is {vocab_size}",
            sampler.vocab_size
        );
        let ns_loss = NegativeSamplingLoss::with_sampler(AliasSampler::from_probabilities(
            &sampler.word_p,
            5,
        ));

        CBOW {
            in_layers: 2 * window_size,
            ns_loss,
            sampler,
            grads: [Array2::zeros((v, h)), Array2::zeros((v, h))],
            params: [w_in, w_out],
            contexts: Array2::zeros((0, 0)),
            touched: [Vec::new(), Vec::new()],
        }
    }

    /// `self.word_vecs = W_in`: the learned word vectors, one row per word.
    pub fn word_vecs(&self) -> &Array2<f32> {
        &self.params[0]
    }

    /// `h` the mean of the context rows, then the Negative Sampling loss of `target`. The
    /// negatives are the book's `np.random.choice` per row under `--numpy-seed`, and otherwise
    /// an alias table (the same distribution, O(1) a draw; see [`crate::fast`]).
    ///
    /// # Shapes
    /// `contexts: (N, 2 * window_size), target: (N,) -> loss: ()`
    ///
    /// # Panics
    /// If `contexts` does not have `2 * window_size` columns and `target`'s `N` rows, or an id
    /// is not below `V`.
    pub fn forward(
        &mut self,
        contexts: ArrayView2<'_, usize>,
        target: ArrayView1<'_, usize>,
        rng: &mut RandomState,
    ) -> f32 {
        let batch_size = target.len();
        assert_eq!(
            contexts.dim(),
            (batch_size, self.in_layers),
            "CBOW::forward: contexts is {:?}, not (len(target), 2 * window_size) = ({batch_size}, {})",
            contexts.dim(),
            self.in_layers
        );
        let [w_in, w_out] = &self.params;
        let vocab_size = w_in.nrows();
        if let Some(id) = contexts.iter().find(|&&id| id >= vocab_size) {
            panic!("CBOW::forward: context id {id} is not below vocab_size {vocab_size}");
        }

        // h = 0
        // for i, layer in enumerate(self.in_layers):
        //     h += layer.forward(contexts[:, i])
        let mut h = Array2::<f32>::zeros((batch_size, w_in.ncols()));
        for i in 0..self.in_layers {
            for (mut row, &id) in h.rows_mut().into_iter().zip(contexts.column(i)) {
                row += &w_in.row(id);
            }
        }
        // h *= 1 / len(self.in_layers)
        h *= (1.0 / self.in_layers as f64) as f32;
        self.contexts = contexts.to_owned();

        // loss = self.ns_loss.forward(h, target)
        let target = target
            .as_slice()
            .map_or_else(|| target.to_vec(), <[usize]>::to_vec);
        if rng.is_numpy() {
            let negative_sample = self
                .sampler
                .get_negative_sample(ArrayView1::from(&target), rng);
            self.ns_loss
                .forward_with(w_out, &h, &target, negative_sample)
        } else {
            self.ns_loss.forward(w_out, &h, &target, rng)
        }
    }

    /// The Negative Sampling backward gives `dh`; each Embedding layer adds `dh / (2 *
    /// window_size)` into the rows of its context words. Fills `grads`.
    ///
    /// # Panics
    /// If `forward` has not run.
    pub fn backward(&mut self, dout: f32) {
        // dout = self.ns_loss.backward(dout)
        let mut dout = self.ns_loss.backward(dout);
        // dout *= 1 / len(self.in_layers)
        dout *= (1.0 / self.in_layers as f64) as f32;

        let [dw_in, dw_out] = &mut self.grads;
        for (dw, touched) in [&mut *dw_in, &mut *dw_out].into_iter().zip(&self.touched) {
            for &id in touched {
                dw.row_mut(id).fill(0.0);
            }
        }
        // for layer in self.in_layers:
        //     layer.backward(dout)
        for i in 0..self.in_layers {
            for (&id, row) in self.contexts.column(i).iter().zip(dout.rows()) {
                let mut dw_row = dw_in.row_mut(id);
                dw_row += &row;
            }
        }
        self.ns_loss.grad.scatter_add(dw_out);
        self.touched[0] = self.contexts.iter().copied().collect();
        self.touched[1] = self.ns_loss.grad.ids.clone();
    }
}
