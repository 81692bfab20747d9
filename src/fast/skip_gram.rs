//! Beyond the book: the book's `SkipGram` ([`crate::ch04::skip_gram`]) for the training engine, as
//! [`RowCBOW`](crate::fast::cbow::RowCBOW) is its `CBOW`: the gradients kept as the rows a batch
//! touched, the negatives from an alias table under `--seed`. A test holds it to the book's
//! class.

use crate::ch04::cbow::SAMPLE_SIZE;
use crate::ch04::negative_sampling_layer::UnigramSampler;
use crate::ch04::skip_gram::SkipGram;
use crate::fast::cbow::draw_negatives;
use crate::fast::{gather_into, AliasSampler, NegativeSamplingLoss, RowSlots};
use crate::np::random::RandomState;
use ndarray::{concatenate, s, Array2, ArrayView1, ArrayView2, Axis, NdFloat};

/// The book's `SkipGram` on the engine: the target's row of `W_in` is `h`, from which each of
/// the `2 * window_size` Negative Sampling layers on `W_out` scores its context word against 5
/// negatives.
pub struct RowSkipGram<A = f32> {
    /// `2 * window_size` Negative Sampling layers, one per context position, all on `W_out`
    pub loss_layers: Vec<NegativeSamplingLoss<A>>,
    /// the book's sampler, `np.random.choice` per row, for draws under `--numpy-seed`
    pub sampler: UnigramSampler,
    /// `[W_in, W_out]`, both `(V, H)`
    pub params: [Array2<A>; 2],
    /// the targets of the last forward
    target: Vec<usize>,
    slots: RowSlots,
}

impl<A: NdFloat> RowSkipGram<A> {
    /// The book's model ([`SkipGram`], made as the book makes it) taken over by the engine: its
    /// weights, its layers' number, its sampler, and an alias table of the sampler's
    /// probabilities.
    ///
    /// # Panics
    /// If `W_in` and `W_out` differ in shape.
    pub fn from_book(book: SkipGram<A>) -> Self {
        let SkipGram { mut loss_layers, w_in, w_out, .. } = book;
        assert_eq!(w_in.dim(), w_out.dim(), "RowSkipGram: W_in and W_out differ in shape");
        let layers = loss_layers.len();
        let sampler = loss_layers.swap_remove(0).sampler;
        let alias = AliasSampler::from_probabilities(&sampler.word_p, SAMPLE_SIZE);
        RowSkipGram {
            loss_layers: (0..layers)
                .map(|_| NegativeSamplingLoss::with_sampler(alias.clone()))
                .collect(),
            sampler,
            params: [w_in, w_out],
            target: Vec::new(),
            slots: RowSlots::default(),
        }
    }

    /// `self.word_vecs = W_in`
    pub fn word_vecs(&self) -> &Array2<A> {
        &self.params[0]
    }

    /// Each context column's negatives in the book's order, layer after layer, stacked:
    /// `(2 * window_size * N, 5)`, the rows of layer `i` from `i * N`.
    pub fn negatives(
        &self,
        contexts: ArrayView2<'_, usize>,
        rng: &mut RandomState,
    ) -> Array2<usize> {
        skip_gram_negatives(&self.sampler, &self.loss_layers[0].sampler, contexts, rng)
    }

    /// `h = W_in[target]`, then each layer's loss of its context column, summed, with the
    /// negatives given as [`negatives`](Self::negatives) stacks them.
    ///
    /// # Shapes
    /// `contexts: (N, 2 * window_size), target: (N,), negative_sample: (2 * window_size * N, 5)`
    ///
    /// # Panics
    /// If the shapes disagree, or an id is not below `V`.
    pub fn forward_with(
        &mut self,
        contexts: ArrayView2<'_, usize>,
        target: ArrayView1<'_, usize>,
        negative_sample: Array2<usize>,
    ) -> A {
        let (n, layers) = (target.len(), self.loss_layers.len());
        assert!(
            contexts.dim() == (n, layers) && negative_sample.nrows() == n * layers,
            "RowSkipGram::forward: contexts {:?} and negatives {:?} for {n} targets and {layers} layers",
            contexts.dim(),
            negative_sample.dim()
        );
        let [w_in, w_out] = &self.params;
        self.target = target.to_vec();
        // h = self.in_layer.forward(target)
        let mut h = Array2::zeros((0, 0));
        gather_into(&mut h, w_in, &self.target);
        // for i, layer in enumerate(self.loss_layers): loss += layer.forward(h, contexts[:, i])
        let mut loss = A::zero();
        for (i, layer) in self.loss_layers.iter_mut().enumerate() {
            let negatives = negative_sample.slice(s![i * n..(i + 1) * n, ..]).to_owned();
            loss += layer.forward_with(w_out, &h, &contexts.column(i).to_vec(), negatives);
        }
        loss
    }

    /// The book's backward (`dh` summed over the layers, then the in-layer's), into one
    /// gradient row for each of the batch's rows: row `k` of `grads[0]` is `W_in`'s row
    /// `rows[0][k]`, of `grads[1]` `W_out`'s row `rows[1][k]`, each the sum the book's `(V, H)`
    /// gradients hold there, added in the same order.
    ///
    /// # Panics
    /// If `forward` has not run, or `rows` are not sorted, distinct ids below `V` that include
    /// the targets, and the contexts and negatives, of the last forward.
    pub fn backward_rows(&mut self, dout: A, rows: [&[usize]; 2], grads: &mut [Array2<A>; 2]) {
        let shape = self.params[0].dim();
        let [grad_in, grad_out] = grads;
        let ids: Vec<usize> =
            self.loss_layers.iter().flat_map(|layer| layer.grad.ids.iter().copied()).collect();
        self.slots.prepare(("RowSkipGram", 1), rows[1], &ids, shape, grad_out);
        // dh = 0; for i, layer in enumerate(self.loss_layers): dh += layer.backward(dout)
        let mut dh = Array2::zeros((self.target.len(), shape.1));
        for layer in &mut self.loss_layers {
            dh += &layer.backward(dout);
            self.slots.add_rows(grad_out, &layer.grad.ids, &layer.grad.rows);
        }
        // self.in_layer.backward(dh)
        self.slots.prepare(("RowSkipGram", 0), rows[0], &self.target, shape, grad_in);
        self.slots.add_rows(grad_in, &self.target, &dh);
    }
}

/// [`RowSkipGram::negatives`] from the model's two samplers, borrowed apart from its weights.
pub fn skip_gram_negatives(
    book: &UnigramSampler,
    alias: &AliasSampler,
    contexts: ArrayView2<'_, usize>,
    rng: &mut RandomState,
) -> Array2<usize> {
    let layers: Vec<Array2<usize>> = contexts
        .columns()
        .into_iter()
        .map(|column| draw_negatives(book, alias, column, rng))
        .collect();
    let views: Vec<_> = layers.iter().map(|l| l.view()).collect();
    concatenate(Axis(0), &views).expect("each layer's negatives are (N, 5)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::util::{create_contexts_target, preprocess};
    use crate::np::random::Seed;

    /// The book's SkipGram and ours on the same float64 weights and the same negatives: the
    /// same loss, and each row gradient the book's `(V, H)` gradient's row, to float64
    /// rounding; twice, the second batch into the first's storage.
    #[test]
    fn computes_what_the_books_skip_gram_computes() {
        let (corpus, _, _) = preprocess("You say goodbye and I say hello.");
        let (contexts, target) = create_contexts_target(&corpus, 1);
        let w_in = Array2::from_shape_fn((7, 3), |(i, j)| ((i * 3 + j) as f64 * 0.61).sin());
        let w_out = Array2::from_shape_fn((7, 3), |(i, j)| ((i * 3 + j) as f64 * 0.29).cos());
        let book = || SkipGram::with_weights(w_in.clone(), w_out.clone(), 1, corpus.view());
        let mut model = RowSkipGram::from_book(book());
        let mut grads = [Array2::zeros((0, 0)), Array2::zeros((0, 0))];
        for seed in [0, 1] {
            let mut book = book();
            let rng = || RandomState::new(Seed::Numpy(seed));
            let book_loss = book.forward(contexts.view(), target.view(), &mut rng());
            book.backward(1.0);
            let negatives = model.negatives(contexts.view(), &mut rng());
            // the book draws layer after layer from one generator: the same negatives
            let drawn: Vec<_> =
                book.loss_layers.iter().map(|l| l.negative_sample.clone().unwrap()).collect();
            assert_eq!(
                negatives,
                concatenate(Axis(0), &drawn.iter().map(|d| d.view()).collect::<Vec<_>>()).unwrap()
            );
            let loss = model.forward_with(contexts.view(), target.view(), negatives.clone());
            assert!((loss - book_loss).abs() < 1e-14, "{loss} vs {book_loss}");
            let distinct = |ids: Vec<usize>| {
                let mut ids = ids;
                ids.sort_unstable();
                ids.dedup();
                ids
            };
            let rows_in = distinct(target.to_vec());
            let rows_out = distinct(contexts.iter().chain(&negatives).copied().collect());
            model.backward_rows(1.0, [&rows_in, &rows_out], &mut grads);
            let (_, dense) = book.params_and_grads();
            for (grad, (rows, dense)) in grads.iter().zip([&rows_in, &rows_out].iter().zip(dense)) {
                let worst = crate::np::max_abs_diff(grad, &dense.select(Axis(0), rows));
                assert!(worst < 1e-15, "{worst:e}");
                assert!(grad.iter().any(|&g| g != 0.0), "a gradient to compare");
            }
        }
    }

    #[test]
    #[should_panic(expected = "RowSkipGram::backward_rows: rows[0] are not the sorted")]
    fn row_gradients_need_every_target_row() {
        let (corpus, _, _) = preprocess("You say goodbye and I say hello.");
        let (contexts, target) = create_contexts_target(&corpus, 1);
        let mut rng = RandomState::new(Seed::Numpy(0));
        let book = SkipGram::new(7, 3, 1, corpus.view(), &mut rng);
        let mut model = RowSkipGram::from_book(book);
        let negatives = model.negatives(contexts.view(), &mut rng);
        model.forward_with(contexts.view(), target.view(), negatives);
        let mut grads = [Array2::zeros((0, 0)), Array2::zeros((0, 0))];
        // W_in's rows without the first target's
        let rows_in: Vec<usize> = (0..7).filter(|&id| id != target[0]).collect();
        model.backward_rows(1.0, [&rows_in, &[0, 1, 2, 3, 4, 5, 6]], &mut grads);
    }
}
