//! word2vec's SGD (`ch4_3_2 --fast`), beyond the book: CBOW and skip-gram trained as word2vec
//! itself trains them (Mikolov et al. 2013; the C tool and gensim): stochastic gradient descent
//! one example at a time, on only the rows the example touches, with a learning rate falling
//! linearly to 0.0001 over the run, the corpus read in its order, and word2vec's windows: each
//! target's shrunk to a random 1 to 5 words a side, and none reaching past a sentence's end.
//! The book's Adam moves all 2,000,000 weights on every batch; this moves 16 rows of 100 a CBOW
//! target. [`Sgd::word2vec`] names where `--fast` departs from word2vec's own settings.
//!
//! Not the book's algorithm, so no mirror equals it: the tests hold one step to the gradient of
//! the book's CBOW (to word2vec's table of σ), a batch to a plain transcription of word2vec's
//! loop, and the kinds of lanes ([`super::lanes`]) to the same bits.

use crate::fast::lanes::{in_widest, load_block, store_block, Kernel, Lanes, LANES};
use crate::fast::models::Architecture;
use crate::fast::sampler::Sampler;
use crate::np::random::RandomState;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2};
use std::ops::Range;

/// word2vec's learning rate, `alpha` at the start falling linearly to `min_alpha` at the end,
/// its windows, and the power of the counts its negatives are drawn by.
#[derive(Clone, Copy, Debug)]
pub struct Sgd {
    pub alpha: f32,
    pub min_alpha: f32,
    pub windows: Windows,
    /// the negatives' distribution, the words' counts to this power (the book's and word2vec's
    /// 0.75): the book's sampler made with it ([`crate::page::training::fast_negatives`])
    pub power: f64,
}

impl Default for Sgd {
    /// word2vec's and gensim's skip-gram defaults, 0.025 falling to 0.0001, each window shrunk
    /// at random, no sentence end known, the negatives from the counts to 0.75.
    fn default() -> Self {
        Sgd {
            alpha: 0.025,
            min_alpha: 0.0001,
            windows: Windows { shrink: true, sentence_end: None },
            power: 0.75,
        }
    }
}

impl Sgd {
    /// `--fast`'s settings for `architecture`, windows stopped at `sentence_end`: word2vec's,
    /// but for the learning rate and CBOW's negatives, which made its vectors here as good as
    /// the best of word2vec's tools (chapters/bench/README.md): CBOW from 0.065 (word2vec.c's
    /// and fastText's 0.05), its negatives from the counts to the power 0.4 (word2vec's 0.75,
    /// fastText's 0.5); skip-gram from 0.035 (word2vec's 0.025) with word2vec's 0.75. Both
    /// read the corpus in its order, as word2vec, fastText and gensim do.
    pub fn word2vec(architecture: Architecture, sentence_end: Option<usize>) -> Sgd {
        let windows = Windows { shrink: true, sentence_end };
        let (alpha, power) = match architecture {
            Architecture::Cbow => (0.065, 0.4),
            Architecture::SkipGram => (0.035, 0.75),
        };
        Sgd { alpha, windows, power, ..Sgd::default() }
    }
}

/// word2vec's windows, where the book gives every target its 5 words a side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Windows {
    /// each target's window cut to a random size from 1 to `window_size` a side (word2vec's
    /// `b = next_random % window`), so that nearer words weigh more: a word `k` places away is
    /// in the window with chance `(window_size - k + 1) / window_size`
    pub shrink: bool,
    /// the id that ends a sentence (the corpus's `<eos>`): never a target, and no window
    /// reaches past it, as word2vec trains one sentence at a time
    pub sentence_end: Option<usize>,
}

/// A batch as word2vec trains it: each target's context words, those of its window that it
/// uses, and each example's negatives.
pub struct Examples<'a> {
    pub architecture: Architecture,
    /// `(N, 2 * window_size)`, as `create_contexts_target` makes them
    pub contexts: ArrayView2<'a, usize>,
    /// `(N,)`
    pub target: ArrayView1<'a, usize>,
    /// for each target, how many context words it uses on its left and on its right: those
    /// nearest it, columns `window_size - left .. window_size + right` of its row
    pub spans: &'a [[u8; 2]],
    /// `(M, 5)`: the negatives of each example in turn, CBOW's one a target with a context,
    /// skip-gram's one a context word (of `left + right` a target)
    pub negative_sample: &'a Array2<usize>,
}

impl<'a> Examples<'a> {
    /// Each example's input ids (a CBOW target's contexts, or one context word) and the id it
    /// scores, in the order of `negative_sample`'s rows.
    ///
    /// # Panics
    /// If `contexts` is not in standard layout, or a span is wider than the window.
    fn iter(&self) -> impl Iterator<Item = (&'a [usize], usize)> + 'a {
        let window_size = self.contexts.ncols() / 2;
        let width = self.contexts.ncols();
        let contexts = self.contexts.to_slice().expect("contexts in standard layout");
        let (architecture, spans, target) = (self.architecture, self.spans, self.target);
        target.into_iter().zip(spans).enumerate().flat_map(move |(i, (&target, span))| {
            let row = &contexts[i * width..(i + 1) * width];
            let used = &row[window_size - span[0] as usize..window_size + span[1] as usize];
            // CBOW: one example of all the words used, if any; skip-gram: one a word (word2vec's
            // skip-gram: each context word's in-vector scores the target)
            let size = match architecture {
                Architecture::Cbow => used.len().max(1),
                Architecture::SkipGram => 1,
            };
            used.chunks(size).map(move |inputs| (inputs, target))
        })
    }
}

impl Windows {
    /// Each target's span (see [`Examples::spans`]): the window, shrunk by one draw a target
    /// when `shrink` (`rng.randint(window_size, N)`, all the batch's at once), and cut at the
    /// nearest sentence end on each side.
    pub fn spans(
        &self,
        contexts: ArrayView2<'_, usize>,
        target: ArrayView1<'_, usize>,
        rng: &mut RandomState,
    ) -> Vec<[u8; 2]> {
        let window_size = contexts.ncols() / 2;
        assert!(window_size <= 255, "Windows::spans: window_size {window_size} is above 255");
        let shrunk: Array1<usize> = if self.shrink {
            rng.randint(window_size, target.len()).mapv(|b| window_size - b)
        } else {
            Array1::from_elem(target.len(), window_size)
        };
        // no id is usize::MAX: without a sentence end, nothing ends a window
        let end = self.sentence_end.unwrap_or(usize::MAX);
        let contexts = contexts.as_standard_layout();
        let rows = contexts.as_slice().expect("standard layout").chunks_exact(2 * window_size);
        rows.zip(target.iter().zip(&shrunk))
            .map(|(row, (&t, &size))| {
                if t == end {
                    return [0, 0];
                }
                // the nearest `size` a side, up to the first sentence end
                let (before, after) = (&row[window_size - size..window_size], &row[window_size..]);
                let left = before.iter().rev().position(|&id| id == end).unwrap_or(size);
                let right = after[..size].iter().position(|&id| id == end).unwrap_or(size);
                [left as u8, right as u8]
            })
            .collect()
    }

    /// A batch's spans, then each example's negatives, drawn in that order (the negatives as
    /// [`Sampler::draw`] draws them, none the id it scores).
    pub fn draw(
        &self,
        architecture: Architecture,
        sampler: &Sampler,
        contexts: ArrayView2<'_, usize>,
        target: ArrayView1<'_, usize>,
        rng: &mut RandomState,
    ) -> (Vec<[u8; 2]>, Array2<usize>) {
        let spans = self.spans(contexts, target, rng);
        let none = Array2::zeros((0, 0));
        let examples =
            Examples { architecture, contexts, target, spans: &spans, negative_sample: &none };
        let scored: Vec<usize> = examples.iter().map(|(_, scored)| scored).collect();
        let negative_sample = sampler.draw(ArrayView1::from(&scored), rng);
        (spans, negative_sample)
    }
}

impl Sgd {
    /// The learning rate once `trained` of `total` batches are trained.
    pub fn rate(&self, trained: usize, total: usize) -> f32 {
        let progress = trained as f32 / total.max(1) as f32;
        self.alpha - (self.alpha - self.min_alpha) * progress
    }

    /// One batch, one example after another, each updating the weights before the next: `h`
    /// the mean of the example's input rows of `W_in` (CBOW's context words, or skip-gram's one
    /// context word); the id it scores (label 1) and its negatives (label 0) each move their
    /// row of `W_out` by `rate * (label - σ(score)) * h` and add `rate * (label - σ(score)) *
    /// W_out[row]` to `h`'s step, which then moves each input row of `W_in` whole (word2vec
    /// does not divide it among the rows as the mean's gradient would). Returns the batch's
    /// loss summed over each target's examples, as the book's layers compute it, and averaged
    /// over the targets.
    ///
    /// The scores are all taken before any row moves. word2vec takes each after the row
    /// before it has moved, which is the same when an example's negatives differ from one
    /// another and from the id it scores, as the book draws them.
    ///
    /// # Shapes
    /// `W_in, W_out: (V, H)`; `examples` as [`Examples`] says
    ///
    /// # Panics
    /// If the shapes disagree, a span is wider than the window, there are not as many rows of
    /// negatives as examples, or an id is not below `V`.
    pub fn step(&self, weights: [&mut Array2<f32>; 2], examples: &Examples<'_>, rate: f32) -> f32 {
        let [w_in, w_out] = weights;
        let (vocab_size, width) = w_in.dim();
        let Examples { contexts, target, spans, negative_sample, .. } = examples;
        let window_size = contexts.ncols() / 2;
        let fits = spans.iter().all(|s| s.iter().all(|&k| k as usize <= window_size));
        // the examples' count: CBOW's a target with a context word, skip-gram's a context word
        let used = spans.iter().map(|&[left, right]| left as usize + right as usize);
        let count = match examples.architecture {
            Architecture::Cbow => used.filter(|&n| n > 0).count(),
            Architecture::SkipGram => used.sum(),
        };
        assert!(
            w_out.dim() == (vocab_size, width)
                && contexts.is_standard_layout()
                && contexts.nrows() == target.len()
                && spans.len() == target.len()
                && fits
                && negative_sample.nrows() == count,
            "Sgd::step: W_in {:?}, W_out {:?}, contexts {:?}, target {}, spans {} (within {window_size}), negatives {:?} for {count} examples",
            w_in.dim(),
            w_out.dim(),
            contexts.dim(),
            target.len(),
            spans.len(),
            negative_sample.dim()
        );
        if let Some(id) = contexts
            .iter()
            .chain(target.iter())
            .chain(negative_sample.iter())
            .find(|&&id| id >= vocab_size)
        {
            panic!("Sgd::step: id {id} is not below vocab_size {vocab_size}");
        }
        let w_in = w_in.as_slice_mut().expect("weights are contiguous");
        let w_out = w_out.as_slice_mut().expect("weights are contiguous");
        in_widest(SgdBatch { examples, rate, weights: [w_in, w_out], width })
            / target.len().max(1) as f32
    }
}

/// One batch: its examples and rate, and the weights `[W_in, W_out]` as slices of rows of
/// `width`; its output, the sum of the targets' losses.
struct SgdBatch<'a, 'b> {
    examples: &'a Examples<'b>,
    rate: f32,
    weights: [&'a mut [f32]; 2],
    width: usize,
}

impl Kernel for SgdBatch<'_, '_> {
    type Output = f32;
    /// With AVX-512, 8 blocks of 16 at a time stay in registers (a row of 100 in one group);
    /// otherwise 4.
    #[inline(always)]
    fn run<L: Lanes>(self, proof: L::Proof) -> f32 {
        if L::WIDE {
            self.run_in::<L, 8>(proof)
        } else {
            self.run_in::<L, 4>(proof)
        }
    }
}

impl SgdBatch<'_, '_> {
    /// Each target in turn, `G` blocks of `L` at a time.
    #[inline(always)]
    fn run_in<L: Lanes, const G: usize>(self, proof: L::Proof) -> f32 {
        let (width, [w_in, w_out]) = (self.width, self.weights);
        let tables = Tables::get();
        let mut scratch = Scratch { h: vec![0f32; width], scored: Vec::new() };
        let negatives = self.examples.negative_sample.as_standard_layout();
        let (negatives, k) = (negatives.as_slice().expect("standard layout"), negatives.ncols());
        let mut loss = 0f32;
        for (i, (context, target)) in self.examples.iter().enumerate() {
            let example = Example { context, target, negatives: &negatives[i * k..(i + 1) * k] };
            let weights = [&mut *w_in, &mut *w_out];
            // the book's 100 columns known when compiled, so that their blocks unroll
            loss += match width {
                100 => example.step::<L, G, 100>(proof, weights, self.rate, tables, &mut scratch),
                _ => example.step::<L, G, 0>(proof, weights, self.rate, tables, &mut scratch),
            };
        }
        loss
    }
}

/// One training example: a target, its context words and its negatives.
struct Example<'a> {
    context: &'a [usize],
    target: usize,
    negatives: &'a [usize],
}

impl Example<'_> {
    /// The target's update (see [`Sgd::step`]); its loss. The rows go `G` blocks of
    /// `LANES` floats at a time, which stay in registers: `h` then `dh` for those columns.
    /// `scratch` keeps `h` between the two passes and each scored row's running score.
    #[inline(always)]
    fn step<L: Lanes, const G: usize, const WIDTH: usize>(
        &self,
        proof: L::Proof,
        [w_in, w_out]: [&mut [f32]; 2],
        rate: f32,
        tables: &Tables,
        scratch: &mut Scratch<L>,
    ) -> f32 {
        let Scratch { h: h_kept, scored } = scratch;
        // `WIDTH` columns (0: any, `h`'s)
        let width = if WIDTH > 0 { WIDTH } else { h_kept.len() };
        let h_kept = &mut h_kept[..width];
        let row = |id: usize| id * width..(id + 1) * width;
        let groups = (0..width).step_by(G * LANES).map(|start| start..width.min(start + G * LANES));
        scored.clear();
        scored.push((self.target, 1.0, L::splat(proof, 0.0)));
        scored.extend(self.negatives.iter().map(|&n| (n, 0.0, L::splat(proof, 0.0))));

        // h = mean of the context rows, and each scored row's score h · W_out[row], all from
        // the weights as the target found them (see Sgd::step)
        let scale = L::splat(proof, 1.0 / self.context.len() as f32);
        for columns in groups.clone() {
            let mut h = [L::splat(proof, 0.0); G];
            for &c in self.context {
                let x = &w_in[row(c)][columns.clone()];
                each_block(&mut h, &columns, |b, h| *h = h.add(load_block(proof, x, b)));
            }
            each_block(&mut h, &columns, |b, h| {
                *h = h.mul(scale);
                store_block(*h, &mut h_kept[columns.clone()], b);
            });
            for (id, _, sum) in scored.iter_mut() {
                let o = &w_out[row(*id)][columns.clone()];
                // summed in a register, not through `scored`'s memory at each block
                let mut running = *sum;
                each_block(&mut h, &columns, |b, h| {
                    running = running.add(h.mul(load_block(proof, o, b)))
                });
                *sum = running;
            }
        }
        let mut loss = 0f32;
        for (_, label, sum) in scored.iter_mut() {
            let score = sum.sum();
            // σ(score) and the loss -log σ(±score) from word2vec's tables
            let (y, log_y) = tables.sigmoid(if *label == 1.0 { score } else { -score });
            let y = if *label == 1.0 { y } else { 1.0 - y };
            loss -= log_y;
            // the row's step, in place of its label
            *label = rate * (*label - y);
        }

        // each scored row of W_out moves by g * h and adds g * W_out[row] to h's step dh,
        // which then moves each context row of W_in whole (as word2vec and gensim with
        // cbow_mean=1 do: not its 1 / C share, so the in-vectors learn C times faster than
        // the gradient says)
        for columns in groups {
            let mut h = [L::splat(proof, 0.0); G];
            each_block(&mut h, &columns, |b, h| {
                *h = load_block(proof, &h_kept[columns.clone()], b)
            });
            let mut dh = [L::splat(proof, 0.0); G];
            for &(id, g, _) in scored.iter() {
                let (o, g) = (&mut w_out[row(id)][columns.clone()], L::splat(proof, g));
                each_block(&mut dh, &columns, |b, dh| {
                    let x = load_block(proof, o, b);
                    *dh = dh.add(g.mul(x));
                    store_block(x.add(g.mul(h[b])), o, b);
                });
            }
            for &c in self.context {
                let x = &mut w_in[row(c)][columns.clone()];
                each_block(&mut dh, &columns, |b, dh| {
                    store_block(load_block::<L>(proof, x, b).add(*dh), x, b)
                });
            }
        }
        loss
    }
}

/// Room kept between targets: `h`, `(H,)`, and for each scored row its id, label (then its
/// step) and running score.
struct Scratch<L> {
    h: Vec<f32>,
    scored: Vec<(usize, f32, L)>,
}

/// `f(b, &mut blocks[b])` for each of the `G` blocks that `columns` reaches into; a loop the
/// compiler unrolls, so that `blocks` stays in registers.
#[inline(always)]
fn each_block<L: Lanes, const G: usize>(
    blocks: &mut [L; G],
    columns: &Range<usize>,
    mut f: impl FnMut(usize, &mut L),
) {
    for (b, block) in blocks.iter_mut().enumerate() {
        if b * LANES >= columns.len() {
            break;
        }
        f(b, block);
    }
}

/// word2vec's `expTable`: σ(x) at 1,000 points over [-6, 6), read by the nearest point below,
/// and beside it log σ(x) for the loss; outside, σ is 0 or 1 (and log σ(x) is x or 0).
struct Tables {
    sigmoid: Vec<f32>,
    log_sigmoid: Vec<f32>,
}

const EXP_TABLE_SIZE: usize = 1000;
const MAX_EXP: f32 = 6.0;

impl Tables {
    fn get() -> &'static Tables {
        static TABLES: std::sync::OnceLock<Tables> = std::sync::OnceLock::new();
        TABLES.get_or_init(|| {
            let x = |i: usize| (i as f32 / EXP_TABLE_SIZE as f32 * 2.0 - 1.0) * MAX_EXP;
            Tables {
                sigmoid: (0..EXP_TABLE_SIZE).map(|i| 1.0 / (1.0 + (-x(i)).exp())).collect(),
                log_sigmoid: (0..EXP_TABLE_SIZE).map(|i| -(1.0 + (-x(i)).exp()).ln()).collect(),
            }
        })
    }

    /// `(σ(x), log σ(x))`
    #[inline(always)]
    fn sigmoid(&self, x: f32) -> (f32, f32) {
        if x >= MAX_EXP {
            (1.0, 0.0)
        } else if x <= -MAX_EXP {
            (0.0, x)
        } else {
            // just below MAX_EXP the product can round up to the table's length
            let i = ((x + MAX_EXP) * (EXP_TABLE_SIZE as f32 / MAX_EXP / 2.0)) as usize;
            let i = i.min(EXP_TABLE_SIZE - 1);
            (self.sigmoid[i], self.log_sigmoid[i])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ch04::cbow::CBOW;
    use crate::common::util::{create_contexts_target, preprocess};
    use crate::fast::lanes::{every_kind, in_lanes, Kind};
    use crate::fast::models::{RowCBOW, RowModel};
    use crate::np::gradient::numerical_gradient;
    use crate::np::max_abs_diff;
    use crate::np::random::RandomState;
    use ndarray::array;

    /// CBOW's examples with the given spans, the negatives one row a target.
    fn cbow<'a>(
        contexts: ArrayView2<'a, usize>,
        target: ArrayView1<'a, usize>,
        spans: &'a [[u8; 2]],
        negative_sample: &'a Array2<usize>,
    ) -> Examples<'a> {
        Examples { architecture: Architecture::Cbow, contexts, target, spans, negative_sample }
    }

    /// A step with a tiny rate moves the weights by `-rate` times the gradient of the book's
    /// loss, which the float64 CBOW's backward gives (held to finite differences itself), up to
    /// word2vec's table of σ: read at the point below, 0.012 apart, it is off by up to 0.003.
    #[test]
    fn a_small_step_follows_the_books_gradient() {
        let (corpus, _, _) = preprocess("You say goodbye and I say hello.");
        let (contexts, target) = create_contexts_target(&corpus, 1);
        // one target, so that SGD's one-after-another is one gradient step
        let (contexts, target) =
            (contexts.slice(ndarray::s![1..2, ..]), target.slice(ndarray::s![1..2]));
        let negatives = array![[0, 4, 6, 5, 1]];
        let w_in = Array2::from_shape_fn((7, 3), |(i, j)| ((i * 3 + j) as f64 * 0.61).sin());
        let w_out = Array2::from_shape_fn((7, 3), |(i, j)| ((i * 3 + j) as f64 * 0.29).cos());
        // the book's CBOW in float64, its gradients as every row's (all 7 rows read)
        let mut taken = CBOW::with_weights(w_in.clone(), w_out.clone(), 1, corpus.view());
        let mut book = RowCBOW::new(&mut taken);
        let book_loss = book.forward_with(contexts, target, negatives.clone());
        let (every_row, mut grads) =
            ([0, 1, 2, 3, 4, 5, 6], [Array2::zeros((0, 0)), Array2::zeros((0, 0))]);
        book.backward_rows(1.0, [&every_row, &every_row], &mut grads);

        let rate = 1e-3;
        let [mut moved_in, mut moved_out] = [&w_in, &w_out].map(|w| w.mapv(|x| x as f32));
        let examples = cbow(contexts, target, &[[1, 1]], &negatives);
        let loss = Sgd::default().step([&mut moved_in, &mut moved_out], &examples, rate);
        // log σ is read 0.012 apart, and moves by at most that much between points: 6 pairs
        assert!((loss as f64 - book_loss).abs() < 6.0 * 0.012, "{loss} vs {book_loss}");
        // one gradient step: W_out by -rate times the book's gradient, W_in by -rate times the
        // window's 2 rows times it (word2vec gives each row the whole step of h)
        for (moved, start, grad, times) in
            [(&moved_in, &w_in, &grads[0], 2.0), (&moved_out, &w_out, &grads[1], 1.0)]
        {
            let step = (moved.mapv(|x| x as f64) - start) / -(rate as f64);
            let worst = max_abs_diff(&step, &(grad * times));
            // σ off by up to 0.003 for each of the 6 pairs, times rows and h of size below 1
            assert!(worst < times * 6.0 * 0.003, "{worst:e}");
        }
        // and the book's gradient is the loss's
        let numerical = numerical_gradient(&w_out, |w| {
            let mut book = CBOW::with_weights(w_in.clone(), w.clone(), 1, corpus.view());
            RowCBOW::new(&mut book).forward_with(contexts, target, negatives.clone())
        });
        assert!(max_abs_diff(&numerical, &grads[1]) < 1e-6);
    }

    /// A batch of `n` targets over `vocab_size` rows of `width`: the weights, and ids with
    /// each target's negatives distinct and other than it.
    fn batch(
        vocab_size: usize,
        width: usize,
        n: usize,
    ) -> ([Array2<f32>; 2], Array2<usize>, ndarray::Array1<usize>, Array2<usize>) {
        let mut state = 7u64;
        let mut draw = move |below: usize| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as usize % below
        };
        let w_in = Array2::from_shape_fn((vocab_size, width), |(i, j)| {
            ((i * width + j) as f32 * 0.37).sin() * 0.5
        });
        let w_out = Array2::from_shape_fn((vocab_size, width), |(i, j)| {
            ((i * width + j) as f32 * 0.11).cos() * 0.5
        });
        let contexts = Array2::from_shape_fn((n, 4), |_| draw(vocab_size));
        let target = ndarray::Array1::from_shape_fn(n, |_| draw(vocab_size));
        let mut negatives = Array2::zeros((n, 3));
        for (i, mut row) in negatives.rows_mut().into_iter().enumerate() {
            let mut taken = vec![target[i]];
            for slot in row.iter_mut() {
                *slot = std::iter::repeat_with(|| draw(vocab_size))
                    .find(|id| !taken.contains(id))
                    .unwrap();
                taken.push(*slot);
            }
        }
        ([w_in, w_out], contexts, target, negatives)
    }

    /// word2vec's steps as its C code runs them, one row after another in plain loops (each
    /// dot product summed left to right), against ours, whose dot products add 16 partial sums:
    /// the same up to float32 rounding; for CBOW and skip-gram, with windows whole, shrunk,
    /// one-sided and empty.
    #[test]
    fn a_batch_is_word2vecs_loop() {
        let some_spans = [[2, 2], [1, 0], [0, 0], [0, 2], [2, 1], [1, 1]];
        for (architecture, width) in [3, 100, 150]
            .into_iter()
            .flat_map(|width| [(Architecture::Cbow, width), (Architecture::SkipGram, width)])
        {
            let (mut params, contexts, target, _) = batch(40, width, 30);
            let spans: Vec<[u8; 2]> = (0..30).map(|i| some_spans[i % some_spans.len()]).collect();
            // each example's inputs and the id it scores, then its 3 negatives, none that id
            let mut examples = Vec::new();
            for (i, &[left, right]) in spans.iter().enumerate() {
                let used: Vec<usize> = contexts
                    .row(i)
                    .iter()
                    .skip(2 - left as usize)
                    .take((left + right) as usize)
                    .copied()
                    .collect();
                match architecture {
                    Architecture::Cbow if used.is_empty() => {}
                    Architecture::Cbow => examples.push((used, target[i])),
                    Architecture::SkipGram => {
                        examples.extend(used.iter().map(|&c| (vec![c], target[i])))
                    }
                }
            }
            let negatives = Array2::from_shape_fn((examples.len(), 3), |(k, j)| {
                (examples[k].1 + 1 + j * (1 + k % 5)) % 40
            });
            let [mut w_in, mut w_out] = params.clone();
            let (rate, tables) = (0.3, Tables::get());
            let mut expected_loss = 0.0;
            for ((inputs, scores), negatives) in examples.iter().zip(negatives.rows()) {
                let h = inputs.iter().fold(ndarray::Array1::zeros(width), |h, &c| h + w_in.row(c))
                    / inputs.len() as f32;
                let mut dh = ndarray::Array1::<f32>::zeros(width);
                let scored =
                    std::iter::once((*scores, 1.0)).chain(negatives.iter().map(|&n| (n, 0.0)));
                for (id, label) in scored {
                    let score = h.iter().zip(w_out.row(id)).fold(0.0, |sum, (a, b)| sum + a * b);
                    let (y, log_y) = tables.sigmoid(if label == 1.0 { score } else { -score });
                    let y = if label == 1.0 { y } else { 1.0 - y };
                    expected_loss -= log_y;
                    let g = rate * (label - y);
                    dh.scaled_add(g, &w_out.row(id));
                    w_out.row_mut(id).scaled_add(g, &h);
                }
                for &c in inputs {
                    w_in.row_mut(c).scaled_add(1.0, &dh);
                }
            }
            let examples = Examples {
                architecture,
                contexts: contexts.view(),
                target: target.view(),
                spans: &spans,
                negative_sample: &negatives,
            };
            let [ours_in, ours_out] = &mut params;
            let loss = Sgd::default().step([ours_in, ours_out], &examples, rate);
            let run = format!("{architecture:?}, width {width}");
            let expected_loss = expected_loss / target.len() as f32;
            assert!((loss - expected_loss).abs() < 1e-5, "{run}: {loss} vs {expected_loss}");
            let start = batch(40, width, 30).0;
            for ((ours, expected), start) in params.iter().zip([&w_in, &w_out]).zip(&start) {
                let diff = max_abs_diff(ours, expected);
                assert!(diff < 1e-5, "{run}: {diff:e}");
                // and the step moved them: the check compares something
                assert!(max_abs_diff(ours, start) > 1e-2);
            }
        }
    }

    /// Each target's span: the window cut by one draw in 1 to `window_size` a side when
    /// shrinking, then at the nearest sentence end; a sentence end as target has none.
    #[test]
    fn windows_shrink_and_stop_at_sentence_ends() {
        // window 3; 9 is the sentence end
        let contexts = ndarray::array![
            [1, 2, 3, 4, 5, 6],
            [1, 9, 3, 4, 5, 9],
            [9, 2, 3, 4, 9, 6],
            [1, 2, 9, 9, 5, 6],
            [1, 2, 3, 4, 5, 6],
        ];
        let target = ndarray::array![7, 7, 7, 7, 9];
        let mut rng = RandomState::default();
        let whole = Windows { shrink: false, sentence_end: Some(9) };
        assert_eq!(
            whole.spans(contexts.view(), target.view(), &mut rng),
            [[3, 3], [1, 2], [2, 1], [0, 0], [0, 0]]
        );
        // shrunk: every size from 1 to 3, about equally often, and never past the sentence end
        let shrink = Windows { shrink: true, sentence_end: Some(9) };
        let mut seen = [0; 4];
        for _ in 0..3000 {
            let spans = shrink.spans(contexts.view(), target.view(), &mut rng);
            assert_eq!(spans[0][0], spans[0][1]);
            seen[spans[0][0] as usize] += 1;
            assert!(spans[1][0] <= 1 && spans[1][1] <= 2 && spans[1][0] >= 1);
            assert_eq!(spans[3], [0, 0]);
            assert_eq!(spans[4], [0, 0]);
        }
        assert_eq!(seen[0], 0);
        assert!(seen[1..].iter().all(|&n| (900..1100).contains(&n)), "{seen:?}");
    }

    /// Plain lanes, AVX2 and AVX-512 (where the processor has them) give the same bits, for
    /// rows in whole blocks, with a part block, and in more than one group of blocks.
    #[test]
    fn the_vector_widths_give_the_same_bits() {
        for width in [96, 100, 150, 300] {
            let (params, contexts, target, negatives) = batch(50, width, 40);
            let spans = vec![[2, 2]; target.len()];
            let examples = cbow(contexts.view(), target.view(), &spans, &negatives);
            let run = |kind: Kind| {
                let [mut w_in, mut w_out] = params.clone();
                let weights = [w_in.as_slice_mut().unwrap(), w_out.as_slice_mut().unwrap()];
                let batch = SgdBatch { examples: &examples, rate: 0.2, weights, width };
                let loss = in_lanes(kind, batch);
                (loss.to_bits(), [w_in, w_out])
            };
            let plain = run(Kind::Plain);
            assert!(max_abs_diff(&plain.1[1], &params[1]) > 1e-2, "the batch moved W_out");
            for kind in every_kind() {
                assert_eq!(run(kind), plain, "{kind:?}, width {width}");
            }
        }
    }

    #[test]
    fn the_rate_falls_linearly() {
        let sgd = Sgd::default();
        assert_eq!(sgd.rate(0, 100), 0.025);
        assert!((sgd.rate(50, 100) - 0.01255).abs() < 1e-7);
        assert!((sgd.rate(100, 100) - 0.0001).abs() < 1e-9);
    }
}
