//! Mirrors the book's `ch04/skip_gram.py`: `SkipGram`, word2vec's skip-gram with an Embedding
//! layer in and one Negative Sampling layer per context position out, in float32 as the book
//! trains it.

use crate::ch04::cbow::SAMPLE_SIZE;
use crate::ch04::negative_sampling_layer::NegativeSamplingLoss;
use crate::common::layers::Embedding;
use crate::common::trainer::Model;
use crate::np::random::RandomState;
use ndarray::{Array2, ArrayView1, ArrayView2, NdFloat};

/// `class SkipGram`: the target's row of `W_in` is the hidden layer `h`, from which each of the
/// `2 * window_size` Negative Sampling layers, all on the one `W_out`, scores one context word
/// against 5 negatives.
///
/// As in [`crate::ch04::cbow::CBOW`], the model holds the shared weights and the layers borrow them
/// at their call, adding into one gradient each.
pub struct SkipGram<A = f32> {
    /// `Embedding(W_in)`, reading the target
    pub in_layer: Embedding,
    /// `2 * window_size` `NegativeSamplingLoss(W_out, corpus, power=0.75, sample_size=5)`
    pub loss_layers: Vec<NegativeSamplingLoss<A>>,
    /// `W_in`, `(V, H)`, the learned word vectors (`self.word_vecs = W_in`), and `W_out`
    pub w_in: Array2<A>,
    pub w_out: Array2<A>,
    /// `dW_in` and `dW_out`: the sums of their layers' gradients
    pub dw_in: Array2<A>,
    pub dw_out: Array2<A>,
}

impl SkipGram<f32> {
    /// `SkipGram(vocab_size, hidden_size, window_size, corpus)`: `W_in` and `W_out` drawn as
    /// `0.01 * rn(V, H).astype('f')`, in that order.
    ///
    /// # Panics
    /// As [`NegativeSamplingLoss::new`].
    pub fn new(
        vocab_size: usize,
        hidden_size: usize,
        window_size: usize,
        corpus: ArrayView1<'_, usize>,
        rng: &mut RandomState,
    ) -> Self {
        let (v, h) = (vocab_size, hidden_size);
        // 重みの初期化
        // W_in = 0.01 * rn(V, H).astype('f')
        let w_in = rng.randn((v, h)).mapv(|x| 0.01 * x as f32);
        // W_out = 0.01 * rn(V, H).astype('f')
        let w_out = rng.randn((v, h)).mapv(|x| 0.01 * x as f32);
        SkipGram::with_weights(w_in, w_out, window_size, corpus)
    }
}

impl<A: NdFloat> SkipGram<A> {
    /// The layers of `SkipGram.__init__` on given weights.
    pub fn with_weights(
        w_in: Array2<A>,
        w_out: Array2<A>,
        window_size: usize,
        corpus: ArrayView1<'_, usize>,
    ) -> Self {
        // レイヤの生成
        let loss_layers = (0..2 * window_size)
            .map(|_| NegativeSamplingLoss::new(corpus, 0.75, SAMPLE_SIZE))
            .collect();
        let (dw_in, dw_out) = (Array2::zeros(w_in.raw_dim()), Array2::zeros(w_out.raw_dim()));
        SkipGram { in_layer: Embedding::new(), loss_layers, w_in, w_out, dw_in, dw_out }
    }

    /// `remove_duplicate(model.params, model.grads)`, as [`crate::ch04::cbow::CBOW::params_and_grads`]:
    /// `[W_in, W_out]` and `[dW_in, dW_out]`.
    pub fn params_and_grads(&mut self) -> ([&mut Array2<A>; 2], [&Array2<A>; 2]) {
        ([&mut self.w_in, &mut self.w_out], [&self.dw_in, &self.dw_out])
    }

    /// `h = self.in_layer.forward(target)`, then the sum of each context column's loss.
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
        assert_eq!(contexts.ncols(), self.loss_layers.len(), "SkipGram: contexts' columns");
        // h = self.in_layer.forward(target)
        let h = self.in_layer.forward(&self.w_in, target);
        // loss = 0
        // for i, layer in enumerate(self.loss_layers): loss += layer.forward(h, contexts[:, i])
        let mut loss = A::zero();
        for (i, layer) in self.loss_layers.iter_mut().enumerate() {
            loss += layer.forward(&self.w_out, &h, contexts.column(i), rng);
        }
        loss
    }

    /// `dh` summed over the loss layers, their gradients summed in one `dW_out`; then the
    /// in-layer's backward into `dW_in`.
    ///
    /// # Panics
    /// If `forward` has not run.
    pub fn backward(&mut self, dout: A) {
        // dh = 0; for i, layer in enumerate(self.loss_layers): dh += layer.backward(dout)
        self.dw_out.fill(A::zero());
        let batch_size = self.in_layer.idx.as_ref().map_or(0, Vec::len);
        let mut dh = Array2::zeros((batch_size, self.w_in.ncols()));
        for layer in &mut self.loss_layers {
            dh += &layer.backward(dout, &mut self.dw_out);
        }
        // self.in_layer.backward(dh)
        self.dw_in.fill(A::zero());
        self.in_layer.backward(&dh, &mut self.dw_in);
    }
}

/// What the book's `Trainer` and `train.py` ask of `model`.
impl Model for SkipGram {
    fn forward(
        &mut self,
        contexts: ArrayView2<'_, usize>,
        target: ArrayView1<'_, usize>,
        rng: &mut RandomState,
    ) -> f32 {
        SkipGram::forward(self, contexts, target, rng)
    }
    fn backward(&mut self, dout: f32) {
        SkipGram::backward(self, dout)
    }
    fn params_and_grads(&mut self) -> ([&mut Array2<f32>; 2], [&Array2<f32>; 2]) {
        SkipGram::params_and_grads(self)
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
    use zerotsuku2_testing::f32_hex;

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
            SkipGram::with_weights(w_in.clone(), w_out.clone(), 1, corpus.view()).forward(
                contexts.view(),
                target.view(),
                &mut rng.clone(),
            )
        };
        let mut model = SkipGram::with_weights(w_in.clone(), w_out.clone(), 1, corpus.view());
        model.forward(contexts.view(), target.view(), &mut rng.clone());
        model.backward(1.0);
        let numerical_dw_in = numerical_gradient(&w_in, |w| loss(w, &w_out));
        let numerical_dw_out = numerical_gradient(&w_out, |w| loss(&w_in, w));
        let (_, [dw_in, dw_out]) = model.params_and_grads();
        // ~1e-7, not rounding: the 1e-7 inside the log (see layers' tests)
        assert!(max_abs_diff(dw_in, &numerical_dw_in) < 1e-6);
        assert!(max_abs_diff(dw_out, &numerical_dw_out) < 1e-6);
        // only the targets' rows of W_in have a gradient: 'you' (0) and '.' (6) are no target
        assert!(dw_in.row(0).iter().chain(dw_in.row(6)).all(|&g| g == 0.0));
        assert!(dw_in.row(1).iter().any(|&g| g != 0.0));
    }

    /// The loss is the sum of the context columns' losses: two columns, two layers, each
    /// drawing its own negatives in turn from the one generator.
    #[test]
    fn the_loss_sums_one_negative_sampling_loss_per_context_column() {
        let (corpus, _, _) = preprocess("You say goodbye and I say hello.");
        let (contexts, target) = create_contexts_target(&corpus, 1);
        let mut rng = RandomState::new(Seed::Numpy(3));
        let mut model = SkipGram::new(7, 3, 1, corpus.view(), &mut rng);
        let (w_in, w_out) = (model.w_in.clone(), model.w_out.clone());
        let mut replay = rng.clone();
        let loss = model.forward(contexts.view(), target.view(), &mut rng);
        let h = w_in.select(ndarray::Axis(0), target.as_slice().unwrap());
        let mut sum = 0.0;
        for i in 0..2 {
            let mut layer = NegativeSamplingLoss::new(corpus.view(), 0.75, SAMPLE_SIZE);
            sum += layer.forward(&w_out, &h, contexts.column(i), &mut replay);
        }
        assert_eq!(loss, sum);
    }

    /// `chapters/golden/skip_gram_book.py`: the book's own `SkipGram` under `np.random.seed(S)`
    /// on the sentence, window 1: the same weights and negatives bit for bit, then the loss,
    /// the summed gradients and the weights after one `Adam` step to float32 rounding (the
    /// book's sigmoid backward runs in float64 and rounds into float32 `dW`).
    #[test]
    fn steps_as_the_books_own_skip_gram() {
        let golden = zerotsuku2_testing::golden("chapters/golden/skip_gram_book.txt");
        let (corpus, _, _) = preprocess("You say goodbye and I say hello.");
        let (contexts, target) = create_contexts_target(&corpus, 1);
        let mut seeds = 0;
        for block in golden.split("seed ").skip(1) {
            let mut lines = block.lines();
            let seed: u32 = lines.next().unwrap().parse().unwrap();
            let mut arrays = std::collections::HashMap::new();
            let (mut book_loss, mut negatives) = (0.0, Vec::new());
            while let Some(line) = lines.next() {
                if let Some(loss) = line.strip_prefix("loss ") {
                    book_loss = loss.split(' ').next().unwrap().parse::<f64>().unwrap();
                } else if line == "negative_sample" {
                    negatives = (0..2).map(|_| lines.next().unwrap().to_string()).collect();
                } else if let Some((name, "float32")) = line.split_once(' ') {
                    let rows: Vec<f32> =
                        (0..7).flat_map(|_| f32_hex(lines.next().unwrap())).collect();
                    arrays.insert(name.to_string(), Array2::from_shape_vec((7, 3), rows).unwrap());
                }
            }
            let mut rng = RandomState::new(Seed::Numpy(seed));
            let mut model = SkipGram::new(7, 3, 1, corpus.view(), &mut rng);
            assert_eq!(model.w_in, arrays["w_in"], "seed {seed}");
            assert_eq!(model.w_out, arrays["w_out"], "seed {seed}");
            let loss = model.forward(contexts.view(), target.view(), &mut rng);
            for (layer, book) in model.loss_layers.iter().zip(&negatives) {
                let ours = layer.negative_sample.as_ref().unwrap();
                let rows: Vec<String> = ours
                    .rows()
                    .into_iter()
                    .map(|r| r.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(" "))
                    .collect();
                assert_eq!(&rows.join(";"), book, "seed {seed}: negatives");
            }
            // measured: 0 for seed 0 and 1
            assert!(((loss as f64 - book_loss) / book_loss).abs() < 1e-6, "{loss} {book_loss}");
            model.backward(1.0);
            let close = |ours: &Array2<f32>, theirs: &Array2<f32>, name: &str| {
                let scale = theirs.iter().fold(0f32, |m, x| m.max(x.abs()));
                let worst = max_abs_diff(ours, theirs) / scale;
                // measured: at most 1.7e-7 (dW_out, seed 0), the weights after Adam 1.8e-8
                assert!(worst < 1e-6, "seed {seed}: {name} differs by {worst:e} of its largest");
            };
            close(&model.dw_in, &arrays["dw_in"], "dW_in");
            close(&model.dw_out, &arrays["dw_out"], "dW_out");
            let (mut params, grads) = model.params_and_grads();
            crate::common::optimizer::Adam::default().update(&mut params, &grads);
            close(&model.w_in, &arrays["w_in_after"], "W_in after Adam");
            close(&model.w_out, &arrays["w_out_after"], "W_out after Adam");
            seeds += 1;
        }
        assert_eq!(seeds, 2);
    }
}
