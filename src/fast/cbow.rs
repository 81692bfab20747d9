//! Beyond the book: the book's `CBOW` ([`crate::ch04::cbow`]) for the training engine, its gradients
//! summed as the rows a batch touched (and, for [`RowCBOW::backward_rows`], kept as those rows),
//! and its negatives from an alias table under `--seed`. A test holds it to the book's class.

use crate::ch04::cbow::{CBOW, SAMPLE_SIZE};
use crate::ch04::negative_sampling_layer::NegativeSamplingLoss as BookLoss;
use crate::ch04::negative_sampling_layer::UnigramSampler;
use crate::common::layers::add_at;
use crate::fast::{add_row, AliasSampler, NegativeSamplingLoss, RowSlots};
use crate::np::cast;
use crate::np::random::RandomState;
use ndarray::{Array2, ArrayView1, ArrayView2, NdFloat};

/// The book's `CBOW` on the engine: the mean of the `2 * window_size` context words' rows of
/// `W_in` is the hidden layer `h`, and Negative Sampling on `W_out` scores the target against 5
/// negatives.
///
/// The book builds `2 * window_size` Embedding layers on the one `W_in` and six EmbeddingDot
/// layers on the one `W_out`, so its `params` list `W_in` ten times and `W_out` six times, and
/// the trainer adds their gradients (`remove_duplicate`). Here `params` are the two arrays
/// themselves and `grads` those sums, made during the backward: the rows each layer touched,
/// added into one `dW_in` and one `dW_out` (from [`crate::fast`], which 4.2's tests hold equal
/// to the book's layers).
///
/// `RowCBOW<f32>` trains; `RowCBOW<f64>` computes the same in float64, for checks by finite
/// differences.
pub struct RowCBOW<A = f32> {
    /// `2 * window_size`: one Embedding layer per context position, all reading `W_in`
    pub in_layers: usize,
    /// the Negative Sampling layer on `W_out`
    pub ns_loss: NegativeSamplingLoss<A>,
    /// the book's sampler, `np.random.choice` per row, for draws under `--numpy-seed`
    pub sampler: UnigramSampler,
    /// `[W_in, W_out]`, both `(V, H)`
    pub params: [Array2<A>; 2],
    /// `[dW_in, dW_out]`: each the sum of its layers' gradients
    pub grads: [Array2<A>; 2],
    /// the context ids of the last forward, `(N, 2 * window_size)`
    contexts: Array2<usize>,
    /// the rows of `grads` the last backward wrote, to be zeroed by the next one
    touched: [Vec<usize>; 2],
    /// for [`backward_rows`](Self::backward_rows): each row's place in its list
    slots: RowSlots,
}

impl<A: NdFloat> RowCBOW<A> {
    /// The book's model ([`CBOW`], made by `CBOW(vocab_size, hidden_size, window_size, corpus)`
    /// as the book makes it) taken over by the engine: its weights, its window, its sampler, and
    /// an alias table of the sampler's probabilities.
    ///
    /// # Panics
    /// If `W_in` and `W_out` differ in shape, or the vocabulary leaves fewer than 5 negatives
    /// besides a target.
    pub fn from_book(book: CBOW<A>) -> Self {
        let CBOW { in_layers, ns_loss: BookLoss { sampler, .. }, w_in, w_out, .. } = book;
        assert_eq!(
            w_in.dim(),
            w_out.dim(),
            "RowCBOW: W_in is {:?}, W_out {:?}",
            w_in.dim(),
            w_out.dim()
        );
        let (vocab_size, hidden_size) = w_in.dim();
        let ns_loss = NegativeSamplingLoss::with_sampler(AliasSampler::from_probabilities(
            &sampler.word_p,
            SAMPLE_SIZE,
        ));
        RowCBOW {
            in_layers: in_layers.len(),
            ns_loss,
            sampler,
            grads: [
                Array2::zeros((vocab_size, hidden_size)),
                Array2::zeros((vocab_size, hidden_size)),
            ],
            params: [w_in, w_out],
            contexts: Array2::zeros((0, 0)),
            touched: [Vec::new(), Vec::new()],
            slots: RowSlots::default(),
        }
    }

    /// `self.word_vecs = W_in`: the learned word vectors, one row per word.
    pub fn word_vecs(&self) -> &Array2<A> {
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
    ) -> A {
        let h = self.hidden(contexts, target.len());
        // loss = self.ns_loss.forward(h, target), which draws the negatives first
        let negative_sample = self.negatives(target, rng);
        let [_, w_out] = &self.params;
        self.ns_loss.forward_with(w_out, &h, &target.to_vec(), negative_sample)
    }

    /// The negatives of each target, `(N, 5)`: the book's `np.random.choice` per row under
    /// `--numpy-seed`, the alias table otherwise.
    pub fn negatives(&self, target: ArrayView1<'_, usize>, rng: &mut RandomState) -> Array2<usize> {
        draw_negatives(&self.sampler, &self.ns_loss.sampler, target, rng)
    }

    /// [`forward`](Self::forward) with the negatives given, `(N, 5)`.
    ///
    /// # Panics
    /// As [`forward`](Self::forward), or if `negative_sample` is not `(N, 5)`.
    pub fn forward_with(
        &mut self,
        contexts: ArrayView2<'_, usize>,
        target: ArrayView1<'_, usize>,
        negative_sample: Array2<usize>,
    ) -> A {
        let h = self.hidden(contexts, target.len());
        let [_, w_out] = &self.params;
        self.ns_loss.forward_with(w_out, &h, &target.to_vec(), negative_sample)
    }

    /// `h`: the in-layers' rows of `W_in` for each context position, summed and divided by
    /// their number. Keeps `contexts` for the backward.
    fn hidden(&mut self, contexts: ArrayView2<'_, usize>, batch_size: usize) -> Array2<A> {
        assert_eq!(
            contexts.dim(),
            (batch_size, self.in_layers),
            "RowCBOW::forward: contexts is {:?}, not (len(target), 2 * window_size) = ({batch_size}, {})",
            contexts.dim(),
            self.in_layers
        );
        let [w_in, _] = &self.params;
        let vocab_size = w_in.nrows();
        if let Some(id) = contexts.iter().find(|&&id| id >= vocab_size) {
            panic!("RowCBOW::forward: context id {id} is not below vocab_size {vocab_size}");
        }

        // h = 0
        // for i, layer in enumerate(self.in_layers):
        //     h += layer.forward(contexts[:, i])
        let mut h = Array2::<A>::zeros((batch_size, w_in.ncols()));
        for i in 0..self.in_layers {
            for (mut row, &id) in h.rows_mut().into_iter().zip(contexts.column(i)) {
                add_row(row.as_slice_mut().unwrap(), w_in.row(id));
            }
        }
        // h *= 1 / len(self.in_layers)
        h *= cast::<A>(1.0 / self.in_layers as f64);
        self.contexts = contexts.to_owned();
        h
    }

    /// The Negative Sampling backward gives `dh`; each Embedding layer adds `dh / (2 *
    /// window_size)` into the rows of its context words. Fills `grads`.
    ///
    /// # Panics
    /// If `forward` has not run.
    pub fn backward(&mut self, dout: A) {
        let dout = self.hidden_grad(dout);
        let [dw_in, dw_out] = &mut self.grads;
        for (dw, touched) in [&mut *dw_in, &mut *dw_out].into_iter().zip(&self.touched) {
            let width = dw.ncols();
            let dw = dw.as_slice_mut().expect("the gradients are contiguous");
            for &id in touched {
                dw[id * width..(id + 1) * width].fill(A::zero());
            }
        }
        // for layer in self.in_layers:
        //     layer.backward(dout)
        for i in 0..self.in_layers {
            add_at(dw_in, &self.contexts.column(i).to_vec(), &dout);
        }
        self.ns_loss.grad.scatter_add(dw_out);
        self.touched[0] = self.contexts.iter().copied().collect();
        self.touched[1] = self.ns_loss.grad.ids.clone();
    }

    /// `dout = self.ns_loss.backward(dout)`, `dout *= 1 / len(self.in_layers)`: what each
    /// Embedding layer's backward receives.
    fn hidden_grad(&mut self, dout: A) -> Array2<A> {
        let mut dout = self.ns_loss.backward(dout);
        dout *= cast::<A>(1.0 / self.in_layers as f64);
        dout
    }

    /// [`backward`](Self::backward) into one row for each of the last forward's rows, not into
    /// `grads`: row `k` of `grads[0]` is the gradient of `W_in`'s row `rows[0][k]`, and of
    /// `grads[1]` that of `W_out`'s row `rows[1][k]`, each the same sum as `backward` makes.
    /// Beyond the book: a batch's 900 or so rows stay in cache, where the `(V, H)` gradients'
    /// rows are scattered over 8 MB.
    ///
    /// # Panics
    /// If `forward` has not run, or `rows` are not sorted, distinct ids below `V` that include
    /// the contexts, and the targets and negatives, of the last forward.
    pub fn backward_rows(&mut self, dout: A, rows: [&[usize]; 2], grads: &mut [Array2<A>; 2]) {
        let dout = self.hidden_grad(dout);
        let shape = (self.params[0].nrows(), dout.ncols());
        let contexts: Vec<usize> = self.contexts.iter().copied().collect();
        let [grad_in, grad_out] = grads;
        // the same order of sums as `backward`: layer by layer, example by example
        self.slots.prepare(("RowCBOW", 0), rows[0], &contexts, shape, grad_in);
        for i in 0..self.in_layers {
            for (&id, row) in self.contexts.column(i).iter().zip(dout.rows()) {
                self.slots.add(grad_in, id, row);
            }
        }
        let grad = &self.ns_loss.grad;
        self.slots.prepare(("RowCBOW", 1), rows[1], &grad.ids, shape, grad_out);
        self.slots.add_rows(grad_out, &grad.ids, &grad.rows);
    }
}

/// [`RowCBOW::negatives`] from a model's two samplers, borrowed apart from its weights.
pub fn draw_negatives(
    book: &UnigramSampler,
    alias: &AliasSampler,
    target: ArrayView1<'_, usize>,
    rng: &mut RandomState,
) -> Array2<usize> {
    if rng.is_numpy() {
        book.get_negative_sample(target, rng)
    } else {
        alias.get_negative_sample(&target.to_vec(), rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::util::{create_contexts_target, preprocess};
    use crate::np::max_abs_diff;
    use crate::np::random::Seed;

    /// The 4.2 corpus with window 1, weights in float64, and negatives drawn once.
    fn toy() -> (RowCBOW<f64>, Array2<usize>, ndarray::Array1<usize>, Array2<usize>) {
        let (corpus, _, _) = preprocess("You say goodbye and I say hello.");
        let (contexts, target) = create_contexts_target(&corpus, 1);
        let w_in = Array2::from_shape_fn((7, 3), |(i, j)| ((i * 3 + j) as f64 * 0.61).sin());
        let w_out = Array2::from_shape_fn((7, 3), |(i, j)| ((i * 3 + j) as f64 * 0.29).cos());
        let model = RowCBOW::from_book(crate::ch04::cbow::CBOW::with_weights(
            w_in,
            w_out,
            1,
            corpus.view(),
        ));
        let negative_sample =
            model.sampler.get_negative_sample(target.view(), &mut RandomState::new(Seed::Numpy(0)));
        (model, contexts, target, negative_sample)
    }

    /// The same loss and gradients as the book's `CBOW` (the mirror) on the same weights and
    /// negatives, to float64 rounding.
    #[test]
    fn computes_what_the_books_cbow_computes() {
        let (mut model, contexts, target, negative_sample) = toy();
        let [w_in, w_out] = model.params.clone();
        let loss = model.forward_with(contexts.view(), target.view(), negative_sample);
        model.backward(1.0);
        let corpus = ndarray::array![0, 1, 2, 3, 4, 1, 5, 6];
        let mut book = crate::ch04::cbow::CBOW::with_weights(w_in, w_out, 1, corpus.view());
        // the book's sampler on the same generator draws the same negatives
        let book_loss =
            book.forward(contexts.view(), target.view(), &mut RandomState::new(Seed::Numpy(0)));
        book.backward(1.0);
        assert!((loss - book_loss).abs() < 1e-15, "{loss} {book_loss}");
        let (_, [dw_in, dw_out]) = book.params_and_grads();
        assert!(max_abs_diff(&model.grads[0], dw_in) < 1e-15);
        assert!(max_abs_diff(&model.grads[1], dw_out) < 1e-15);
    }

    #[test]
    fn a_second_backward_clears_the_rows_of_the_first() {
        let (mut model, contexts, target, negative_sample) = toy();
        model.forward_with(contexts.view(), target.view(), negative_sample.clone());
        model.backward(1.0);
        let once = model.grads.clone();
        // a batch of only the first example: the other rows must not keep the first gradients
        model.forward_with(
            contexts.slice(ndarray::s![..1, ..]),
            target.slice(ndarray::s![..1]),
            negative_sample.slice(ndarray::s![..1, ..]).to_owned(),
        );
        model.backward(1.0);
        let [dw_in, _] = &model.grads;
        // example 0's contexts are words 0 ('you') and 2 ('goodbye'); word 3 is only in later ones
        assert!(dw_in.row(3).iter().all(|&g| g == 0.0));
        assert!(once[0].row(3).iter().any(|&g| g != 0.0));
    }

    /// One gradient row for each of the batch's rows: the rows `backward` writes into `grads`,
    /// bit for bit (the same sums in the same order).
    #[test]
    fn row_gradients_are_the_rows_of_the_dense_ones() {
        let (mut model, contexts, target, negative_sample) = toy();
        model.forward_with(contexts.view(), target.view(), negative_sample.clone());
        model.backward(1.0);
        let dense = model.grads.clone();
        let distinct = |ids: Vec<usize>| {
            let mut ids = ids;
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        let rows_in = distinct(contexts.iter().copied().collect());
        let rows_out = distinct(target.iter().chain(&negative_sample).copied().collect());
        let mut grads = [Array2::zeros((0, 0)), Array2::zeros((0, 0))];
        // twice, the second into the first's storage
        for _ in 0..2 {
            model.forward_with(contexts.view(), target.view(), negative_sample.clone());
            model.backward_rows(1.0, [&rows_in, &rows_out], &mut grads);
            for (grad, (rows, dense)) in grads.iter().zip([&rows_in, &rows_out].iter().zip(&dense))
            {
                assert_eq!(grad, &dense.select(ndarray::Axis(0), rows));
            }
        }
    }

    #[test]
    #[should_panic(expected = "rows[1] are not the sorted, distinct ids below V")]
    fn row_gradients_need_every_row_of_the_batch() {
        let (mut model, contexts, target, negative_sample) = toy();
        model.forward_with(contexts.view(), target.view(), negative_sample);
        let mut grads = [Array2::zeros((0, 0)), Array2::zeros((0, 0))];
        // W_out's rows without the first target's
        let rows_out: Vec<usize> = (0..7).filter(|&id| id != target[0]).collect();
        model.backward_rows(1.0, [&[0, 1, 2, 3, 4, 5, 6], &rows_out], &mut grads);
    }

    #[test]
    #[should_panic(expected = "context id 9 is not below vocab_size 7")]
    fn a_context_outside_the_vocabulary_panics() {
        let (mut model, mut contexts, target, negative_sample) = toy();
        contexts[[2, 1]] = 9;
        model.forward_with(contexts.view(), target.view(), negative_sample);
    }
}
