//! The models' row forms: the book's `CBOW` and `SkipGram` ([`crate::ch04`]) as the engine trains
//! them, on their own weights in place, but with the gradients kept as one row for each row the
//! batch read ([`super::rows`]) instead of the book's `(V, H)` arrays, and the negatives given
//! (drawn by [`super::sampler`]).
//!
//! The book builds `2 * window_size` Embedding layers on the one `W_in` and Embedding Dot layers
//! on the one `W_out`, so its `params` list each weight many times and its trainer adds their
//! gradients (`remove_duplicate`). Here each weight's row gradients are those sums, added in the
//! book's order: the tests hold the loss and every row gradient to the book's models in float64.

use crate::ch04::cbow::CBOW;
use crate::ch04::skip_gram::SkipGram;
use crate::fast::negative_sampling::RowNegativeSamplingLoss;
use crate::fast::rows::{add_row, gather, RowSlots};
use crate::fast::sampler::Sampler;
use crate::np::cast;
use ndarray::{s, Array2, ArrayView1, ArrayView2, NdFloat};

/// Which way a model predicts: CBOW the target from its contexts, SkipGram the contexts from
/// the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Architecture {
    Cbow,
    SkipGram,
}

/// What the engine's trainer ([`super::trainer`]) asks of a model it trains, in float32 (`A`
/// is float64 for the checks against the book's models).
pub trait RowModel<A = f32> {
    const ARCHITECTURE: Architecture;
    /// `[W_in, W_out]`, and apart from them the model's sampler
    fn weights_and_sampler(&mut self) -> ([&mut Array2<A>; 2], &Sampler);
    /// The forward with the negatives given: CBOW's `(N, 5)`, SkipGram's each context column's
    /// stacked ([`Sampler::draw_each_column`]).
    ///
    /// # Shapes
    /// `contexts: (N, 2 * window_size), target: (N,) -> loss: ()`
    ///
    /// # Panics
    /// If the shapes disagree, or an id is not below `V`.
    fn forward_with(
        &mut self,
        contexts: ArrayView2<'_, usize>,
        target: ArrayView1<'_, usize>,
        negative_sample: Array2<usize>,
    ) -> A;
    /// The backward into one gradient row for each of the batch's rows: row `k` of `grads[0]`
    /// is the gradient of `W_in`'s row `rows[0][k]`, of `grads[1]` that of `W_out`'s row
    /// `rows[1][k]`, each the sum the book's `(V, H)` gradient holds there, added in the book's
    /// order.
    ///
    /// # Panics
    /// If `forward_with` has not run, or `rows` are not sorted, distinct ids below `V` that
    /// include the ids the last forward read.
    fn backward_rows(&mut self, dout: A, rows: [&[usize]; 2], grads: &mut [Array2<A>; 2]);
}

/// The book's `CBOW` on the engine: the mean of the context words' rows of `W_in` is `h`, and
/// Negative Sampling on `W_out` scores the target against 5 negatives.
pub struct RowCBOW<'a, A = f32> {
    /// the book's model, whose `W_in` and `W_out` train in place
    pub book: &'a mut CBOW<A>,
    /// its Negative Sampling layer, on `W_out`
    pub ns_loss: RowNegativeSamplingLoss<A>,
    /// its `UnigramSampler`, and the alias table of its probabilities
    pub sampler: Sampler,
    /// the context ids of the last forward, `(N, 2 * window_size)`
    contexts: Array2<usize>,
    slots: RowSlots,
}

impl<'a, A: NdFloat> RowCBOW<'a, A> {
    /// The book's model, made by `CBOW(vocab_size, hidden_size, window_size, corpus)`, taken
    /// over by the engine.
    pub fn new(book: &'a mut CBOW<A>) -> Self {
        let sampler = Sampler::new(book.ns_loss.sampler.clone());
        let ns_loss = RowNegativeSamplingLoss::new(book.ns_loss.sample_size);
        RowCBOW {
            book,
            ns_loss,
            sampler,
            contexts: Array2::zeros((0, 0)),
            slots: RowSlots::default(),
        }
    }
}

impl<A: NdFloat> RowModel<A> for RowCBOW<'_, A> {
    const ARCHITECTURE: Architecture = Architecture::Cbow;

    fn weights_and_sampler(&mut self) -> ([&mut Array2<A>; 2], &Sampler) {
        ([&mut self.book.w_in, &mut self.book.w_out], &self.sampler)
    }

    /// `h` the mean of the context rows, then the Negative Sampling loss of `target` against
    /// `negative_sample`.
    fn forward_with(
        &mut self,
        contexts: ArrayView2<'_, usize>,
        target: ArrayView1<'_, usize>,
        negative_sample: Array2<usize>,
    ) -> A {
        let (batch_size, in_layers) = (target.len(), self.book.in_layers.len());
        assert_eq!(
            contexts.dim(),
            (batch_size, in_layers),
            "RowCBOW::forward_with: contexts is {:?}, not (len(target), 2 * window_size) = ({batch_size}, {in_layers})",
            contexts.dim(),
        );
        let w_in = &self.book.w_in;
        let vocab_size = w_in.nrows();
        if let Some(id) = contexts.iter().find(|&&id| id >= vocab_size) {
            panic!("RowCBOW::forward_with: context id {id} is not below vocab_size {vocab_size}");
        }
        // h = 0
        // for i, layer in enumerate(self.in_layers): h += layer.forward(contexts[:, i])
        let mut h = Array2::<A>::zeros((batch_size, w_in.ncols()));
        for i in 0..in_layers {
            for (mut row, &id) in h.rows_mut().into_iter().zip(contexts.column(i)) {
                add_row(row.as_slice_mut().expect("a new array"), w_in.row(id));
            }
        }
        // h *= 1 / len(self.in_layers)
        h *= cast::<A>(1.0 / in_layers as f64);
        self.contexts = contexts.to_owned();
        // loss = self.ns_loss.forward(h, target)
        self.ns_loss.forward_with(&self.book.w_out, &h, &target.to_vec(), negative_sample)
    }

    /// `dout = self.ns_loss.backward(dout)`, `dout *= 1 / len(self.in_layers)`, then each
    /// in-layer's backward, into one row for each of the batch's rows (see
    /// [`RowModel::backward_rows`]).
    fn backward_rows(&mut self, dout: A, rows: [&[usize]; 2], grads: &mut [Array2<A>; 2]) {
        let mut dout = self.ns_loss.backward(dout);
        dout *= cast::<A>(1.0 / self.book.in_layers.len() as f64);
        let shape = self.book.w_in.dim();
        let contexts: Vec<usize> = self.contexts.iter().copied().collect();
        let [grad_in, grad_out] = grads;
        // the book's order of sums: layer by layer, example by example
        self.slots.prepare(("RowCBOW", 0), rows[0], &contexts, shape, grad_in);
        for i in 0..self.book.in_layers.len() {
            for (&id, row) in self.contexts.column(i).iter().zip(dout.rows()) {
                self.slots.add(grad_in, id, row);
            }
        }
        let grad = &self.ns_loss.grad;
        self.slots.prepare(("RowCBOW", 1), rows[1], &grad.ids, shape, grad_out);
        self.slots.add_rows(grad_out, &grad.ids, &grad.rows);
    }
}

/// The book's `SkipGram` on the engine: the target's row of `W_in` is `h`, from which each of
/// the `2 * window_size` Negative Sampling layers on `W_out` scores its context word against 5
/// negatives.
pub struct RowSkipGram<'a, A = f32> {
    /// the book's model, whose `W_in` and `W_out` train in place
    pub book: &'a mut SkipGram<A>,
    /// one Negative Sampling layer per context position, all on `W_out`
    pub loss_layers: Vec<RowNegativeSamplingLoss<A>>,
    /// the book's sampler (each of its layers has the same), and the alias table of it
    pub sampler: Sampler,
    /// the targets of the last forward
    target: Vec<usize>,
    slots: RowSlots,
}

impl<'a, A: NdFloat> RowSkipGram<'a, A> {
    /// The book's model, made by `SkipGram(vocab_size, hidden_size, window_size, corpus)`, taken
    /// over by the engine.
    pub fn new(book: &'a mut SkipGram<A>) -> Self {
        let first = &book.loss_layers[0];
        let sampler = Sampler::new(first.sampler.clone());
        let loss_layers = (0..book.loss_layers.len())
            .map(|_| RowNegativeSamplingLoss::new(first.sample_size))
            .collect();
        RowSkipGram { book, loss_layers, sampler, target: Vec::new(), slots: RowSlots::default() }
    }
}

impl<A: NdFloat> RowModel<A> for RowSkipGram<'_, A> {
    const ARCHITECTURE: Architecture = Architecture::SkipGram;

    fn weights_and_sampler(&mut self) -> ([&mut Array2<A>; 2], &Sampler) {
        ([&mut self.book.w_in, &mut self.book.w_out], &self.sampler)
    }

    /// `h = W_in[target]`, then each layer's loss of its context column, summed, with the
    /// negatives stacked as [`Sampler::draw_each_column`] draws them.
    fn forward_with(
        &mut self,
        contexts: ArrayView2<'_, usize>,
        target: ArrayView1<'_, usize>,
        negative_sample: Array2<usize>,
    ) -> A {
        let (n, layers) = (target.len(), self.loss_layers.len());
        assert!(
            contexts.dim() == (n, layers) && negative_sample.nrows() == n * layers,
            "RowSkipGram::forward_with: contexts {:?} and negatives {:?} for {n} targets and {layers} layers",
            contexts.dim(),
            negative_sample.dim()
        );
        self.target = target.to_vec();
        // h = self.in_layer.forward(target)
        let mut h = Array2::zeros((0, 0));
        gather(&mut h, &self.book.w_in, &self.target);
        // for i, layer in enumerate(self.loss_layers): loss += layer.forward(h, contexts[:, i])
        let mut loss = A::zero();
        for (i, layer) in self.loss_layers.iter_mut().enumerate() {
            let negatives = negative_sample.slice(s![i * n..(i + 1) * n, ..]).to_owned();
            let column = contexts.column(i).to_vec();
            loss += layer.forward_with(&self.book.w_out, &h, &column, negatives);
        }
        loss
    }

    /// The book's backward (`dh` summed over the layers, then the in-layer's), into one row for
    /// each of the batch's rows (see [`RowModel::backward_rows`]), added in the book's order.
    fn backward_rows(&mut self, dout: A, rows: [&[usize]; 2], grads: &mut [Array2<A>; 2]) {
        let shape = self.book.w_in.dim();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::util::{create_contexts_target, preprocess};
    use crate::fast::rows::batch_rows;
    use crate::np::max_abs_diff;
    use crate::np::random::{RandomState, Seed};
    use ndarray::{Array1, Axis};

    /// The 4.2 corpus with window 1, and float64 weights.
    fn toy() -> (Array1<usize>, Array2<usize>, Array1<usize>, [Array2<f64>; 2]) {
        let (corpus, _, _) = preprocess("You say goodbye and I say hello.");
        let (contexts, target) = create_contexts_target(&corpus, 1);
        let w_in = Array2::from_shape_fn((7, 3), |(i, j)| ((i * 3 + j) as f64 * 0.61).sin());
        let w_out = Array2::from_shape_fn((7, 3), |(i, j)| ((i * 3 + j) as f64 * 0.29).cos());
        (corpus, contexts, target, [w_in, w_out])
    }

    /// Each row gradient against the book's `(V, H)` gradient's row, to float64 rounding, and
    /// something to compare (a gradient not all zero).
    fn rows_agree(grads: &[Array2<f64>; 2], rows: &[Vec<usize>; 2], book: [&Array2<f64>; 2]) {
        for ((grad, rows), dense) in grads.iter().zip(rows).zip(book) {
            let worst = max_abs_diff(grad, &dense.select(Axis(0), rows));
            assert!(worst < 1e-15, "{worst:e}");
            assert!(grad.iter().any(|&g| g != 0.0), "a gradient to compare");
        }
    }

    /// The book's CBOW and ours on the same float64 weights and the same negatives (the book's
    /// sampler draws them from the same generator): the same loss, and each row gradient the
    /// book's `(V, H)` gradient's row; twice, the second batch into the first's storage.
    #[test]
    fn computes_what_the_books_cbow_computes() {
        let (corpus, contexts, target, [w_in, w_out]) = toy();
        let mut taken = CBOW::with_weights(w_in.clone(), w_out.clone(), 1, corpus.view());
        let mut model = RowCBOW::new(&mut taken);
        let mut grads = [Array2::zeros((0, 0)), Array2::zeros((0, 0))];
        for seed in [0, 1] {
            let mut book = CBOW::with_weights(w_in.clone(), w_out.clone(), 1, corpus.view());
            let rng = || RandomState::new(Seed::Numpy(seed));
            let book_loss = book.forward(contexts.view(), target.view(), &mut rng());
            book.backward(1.0);
            let negatives = model.sampler.draw(target.view(), &mut rng());
            assert_eq!(&negatives, book.ns_loss.negative_sample.as_ref().unwrap());
            let loss = model.forward_with(contexts.view(), target.view(), negatives.clone());
            assert!((loss - book_loss).abs() < 1e-15, "{loss} vs {book_loss}");
            let mut rows = [Vec::new(), Vec::new()];
            let output = target.view().insert_axis(Axis(1));
            batch_rows(&mut rows, contexts.view(), output, &negatives);
            model.backward_rows(1.0, [&rows[0], &rows[1]], &mut grads);
            rows_agree(&grads, &rows, book.params_and_grads().1);
        }
    }

    /// The same for SkipGram, whose ten layers draw their negatives one after another.
    #[test]
    fn computes_what_the_books_skip_gram_computes() {
        let (corpus, contexts, target, [w_in, w_out]) = toy();
        let mut taken = SkipGram::with_weights(w_in.clone(), w_out.clone(), 1, corpus.view());
        let mut model = RowSkipGram::new(&mut taken);
        let mut grads = [Array2::zeros((0, 0)), Array2::zeros((0, 0))];
        for seed in [0, 1] {
            let mut book = SkipGram::with_weights(w_in.clone(), w_out.clone(), 1, corpus.view());
            let rng = || RandomState::new(Seed::Numpy(seed));
            let book_loss = book.forward(contexts.view(), target.view(), &mut rng());
            book.backward(1.0);
            let negatives = model.sampler.draw_each_column(contexts.view(), &mut rng());
            let drawn: Vec<_> =
                book.loss_layers.iter().map(|l| l.negative_sample.clone().unwrap()).collect();
            let views: Vec<_> = drawn.iter().map(|d| d.view()).collect();
            assert_eq!(negatives, ndarray::concatenate(Axis(0), &views).unwrap());
            let loss = model.forward_with(contexts.view(), target.view(), negatives.clone());
            assert!((loss - book_loss).abs() < 1e-14, "{loss} vs {book_loss}");
            let mut rows = [Vec::new(), Vec::new()];
            let input = target.view().insert_axis(Axis(1));
            batch_rows(&mut rows, input, contexts.view(), &negatives);
            model.backward_rows(1.0, [&rows[0], &rows[1]], &mut grads);
            rows_agree(&grads, &rows, book.params_and_grads().1);
        }
    }

    #[test]
    #[should_panic(expected = "RowCBOW::backward_rows: rows[1] are not the sorted")]
    fn row_gradients_need_every_row_of_the_batch() {
        let (corpus, contexts, target, [w_in, w_out]) = toy();
        let mut book = CBOW::with_weights(w_in, w_out, 1, corpus.view());
        let mut model = RowCBOW::new(&mut book);
        let negatives = model.sampler.draw(target.view(), &mut RandomState::default());
        model.forward_with(contexts.view(), target.view(), negatives);
        let mut grads = [Array2::zeros((0, 0)), Array2::zeros((0, 0))];
        // W_out's rows without the first target's
        let rows_out: Vec<usize> = (0..7).filter(|&id| id != target[0]).collect();
        model.backward_rows(1.0, [&[0, 1, 2, 3, 4, 5, 6], &rows_out], &mut grads);
    }

    #[test]
    #[should_panic(expected = "RowSkipGram::backward_rows: rows[0] are not the sorted")]
    fn row_gradients_need_every_target_row() {
        let (corpus, contexts, target, [w_in, w_out]) = toy();
        let mut book = SkipGram::with_weights(w_in, w_out, 1, corpus.view());
        let mut model = RowSkipGram::new(&mut book);
        let negatives =
            model.sampler.draw_each_column(contexts.view(), &mut RandomState::default());
        model.forward_with(contexts.view(), target.view(), negatives);
        let mut grads = [Array2::zeros((0, 0)), Array2::zeros((0, 0))];
        // W_in's rows without the first target's
        let rows_in: Vec<usize> = (0..7).filter(|&id| id != target[0]).collect();
        model.backward_rows(1.0, [&rows_in, &[0, 1, 2, 3, 4, 5, 6]], &mut grads);
    }

    #[test]
    #[should_panic(expected = "context id 9 is not below vocab_size 7")]
    fn a_context_outside_the_vocabulary_panics() {
        let (corpus, mut contexts, target, [w_in, w_out]) = toy();
        let mut book = CBOW::with_weights(w_in, w_out, 1, corpus.view());
        let mut model = RowCBOW::new(&mut book);
        contexts[[2, 1]] = 9;
        let negatives = model.sampler.draw(target.view(), &mut RandomState::default());
        model.forward_with(contexts.view(), target.view(), negatives);
    }
}
