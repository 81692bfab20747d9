//! What one call of a Negative Sampling layer, one iteration of the training engine, and
//! 4.4.2's scoring of a large vocabulary allocate, counted by a global allocator of this test
//! binary's own (inside the library's tests it would count for every test).

use ndarray::{Array1, Array2, ArrayView1};
use zerotsuku2::ch04::negative_sampling_layer as faithful;
use zerotsuku2::fast::negative_sampling::RowNegativeSamplingLoss;
use zerotsuku2::fast::sampler::AliasSampler;
use zerotsuku2::np::random::RandomState;

/// Counts the bytes this thread allocates, to show what a call allocates.
mod counting {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;

    thread_local! {
        /// bytes allocated, in all
        static BYTES: Cell<usize> = const { Cell::new(0) };
        /// bytes held now, and the most held since the last `peak_during`
        static LIVE: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
    }

    fn held(grown: usize, shrunk: usize) {
        let _ = LIVE.try_with(|live| {
            let (now, peak) = live.get();
            let now = (now + grown).saturating_sub(shrunk);
            live.set((now, peak.max(now)));
        });
    }

    pub struct Counting;

    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let _ = BYTES.try_with(|b| b.set(b.get() + layout.size()));
            held(layout.size(), 0);
            unsafe { System.alloc(layout) }
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            let _ = BYTES.try_with(|b| b.set(b.get() + layout.size()));
            held(layout.size(), 0);
            unsafe { System.alloc_zeroed(layout) }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let _ = BYTES.try_with(|b| b.set(b.get() + new_size));
            held(new_size, layout.size());
            unsafe { System.realloc(ptr, layout, new_size) }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            held(0, layout.size());
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    #[global_allocator]
    static GLOBAL: Counting = Counting;

    /// The most bytes this thread held at once while `f` ran, beyond what it held before.
    pub fn peak_during(f: impl FnOnce()) -> usize {
        let (before, _) = LIVE.with(Cell::get);
        LIVE.with(|live| live.set((before, before)));
        f();
        LIVE.with(Cell::get).1 - before
    }

    /// Bytes allocated on this thread while `f` runs.
    pub fn allocated_during(f: impl FnOnce()) -> usize {
        let before = BYTES.with(Cell::get);
        f();
        BYTES.with(Cell::get) - before
    }
}

/// A corpus where every id of `0..vocab_size` appears, the first ones more often.
fn corpus_of(vocab_size: usize) -> Array1<usize> {
    (0..vocab_size).chain((0..vocab_size).step_by(7)).collect()
}

#[test]
fn a_fast_call_allocates_the_same_at_any_vocabulary_size() {
    let (batch_size, hidden_size) = (100, 100);
    let target: Vec<usize> = (0..batch_size).map(|i| i * 7 % 1000).collect();
    let h = Array2::<f32>::ones((batch_size, hidden_size));
    let mut per_vocab = Vec::new();
    for vocab_size in [1_000, 100_000] {
        let w = Array2::<f32>::ones((vocab_size, hidden_size));
        let mut layer = RowNegativeSamplingLoss::<f32>::new(5);
        let sampler = AliasSampler::new(corpus_of(vocab_size).view(), 0.75, 5);
        let mut rng = RandomState::default();
        let bytes = counting::allocated_during(|| {
            layer.forward_with(&w, &h, &target, sampler.get_negative_sample(&target, &mut rng));
            layer.backward(1.0);
        });
        per_vocab.push(bytes);
    }
    assert_eq!(per_vocab[0], per_vocab[1], "bytes at V = 1,000 and 100,000");
    // a few copies of the (N, 6, H) rows, not of the (V, H) weights
    assert!(per_vocab[0] < 20 * batch_size * 6 * hidden_size * 4, "{per_vocab:?}");
}

#[test]
fn the_faithful_layer_allocates_in_proportion_to_the_vocabulary() {
    let (batch_size, hidden_size) = (100, 10);
    let target: Vec<usize> = (0..batch_size).map(|i| i * 7 % 1000).collect();
    let h = Array2::<f64>::ones((batch_size, hidden_size));
    let mut per_vocab = Vec::new();
    for vocab_size in [1_000, 100_000] {
        let w = Array2::<f64>::ones((vocab_size, hidden_size));
        let mut layer = faithful::NegativeSamplingLoss::new(corpus_of(vocab_size).view(), 0.75, 5);
        let mut dw = Array2::zeros(w.raw_dim());
        let mut rng = RandomState::default();
        let bytes = counting::allocated_during(|| {
            layer.forward(&w, &h, ArrayView1::from(&target), &mut rng);
            // the book's layers zero their dW on every backward
            dw.fill(0.0);
            layer.backward(1.0, &mut dw);
        });
        per_vocab.push(bytes);
    }
    // one copy of word_p and one cumulative table per row: O(N V)
    assert!(per_vocab[1] > 50 * per_vocab[0], "{per_vocab:?}");
}

/// One iteration of `ch4_3_2`'s default training, as the engine's trainer runs it (its batch
/// drawn, the rows brought up to date, forward, backward, Adam on the batch's rows): what a run
/// of 6 iterations allocates beyond a run of 5 does not grow with the vocabulary, where what a
/// run sets up (Adam's moments, the replay's bookkeeping, the alias table) does.
#[test]
fn a_training_iteration_allocates_nothing_in_proportion_to_the_vocabulary() {
    use zerotsuku2::ch04::cbow::CBOW;
    use zerotsuku2::common::optimizer::Adam;
    use zerotsuku2::common::trainer::Trainer;
    use zerotsuku2::common::util::create_contexts_target;
    use zerotsuku2::fast::{self, Mode};

    let hidden_size = 10;
    let mut per_vocab = Vec::new();
    for vocab_size in [1_000, 100_000] {
        let corpus = corpus_of(vocab_size);
        let (contexts, target) = create_contexts_target(&corpus, 5);
        let run = |iterations: usize| {
            let mut rng = RandomState::default();
            let model = CBOW::new(vocab_size, hidden_size, 5, corpus.view(), &mut rng);
            let mut trainer = Trainer::new(Box::new(model), Adam::default());
            trainer.stop_after = Some(iterations);
            counting::allocated_during(|| {
                let mut engine = fast::train(&mut trainer, Mode::AdamRows);
                engine.fit(&mut Vec::new(), &contexts, &target, 1, 100, &mut rng).unwrap();
            })
        };
        let (five, six) = (run(5), run(6));
        // the moments and the replay's table of rows: two (V, H) arrays and more
        assert!(five > 2 * vocab_size * hidden_size * 4, "{five}");
        per_vocab.push(six - five);
    }
    // the batch's rows (a few (N, 6, H) copies) and row lists; at V = 100,000 one (V, H)
    // array alone would be 4,000,000 bytes
    assert!(per_vocab.iter().all(|&bytes| bytes < 400_000), "{per_vocab:?}");
    // a larger vocabulary repeats fewer ids among the batch's 1,600, so its lists of distinct
    // rows are longer, up to that many; in proportion to the vocabulary the second would be 100
    // times the first
    assert!(per_vocab[1] < 2 * per_vocab[0], "{per_vocab:?}");
}

/// `ch4_4_2 --params` on a million words of one dimension (a 27 MB pickle), those of Google's
/// first section among them: the pickle read and all of its 506 questions answered, holding at
/// most a few times the words' own size at once. Each batch of questions was scored against every
/// word at once, 256 × V float64: 2 GB here.
#[test]
fn scoring_a_million_words_holds_memory_to_their_size() {
    use half::f16;
    use std::collections::HashMap;
    use zerotsuku2::page::{analogies, pickle};
    let sections = analogies::parse(analogies::QUESTIONS_WORDS).unwrap();
    let mut id_to_word: Vec<String> = Vec::new();
    for word in sections[0].questions.iter().flatten() {
        if !id_to_word.contains(word) {
            id_to_word.push(word.clone());
        }
    }
    let vocab_size = 1_000_000;
    id_to_word.extend((id_to_word.len()..vocab_size).map(|i| format!("w{i}")));
    let word_to_id: HashMap<String, usize> =
        id_to_word.iter().enumerate().map(|(i, w)| (w.clone(), i)).collect();
    let word_vecs =
        Array2::from_shape_fn((vocab_size, 1), |(i, _)| f16::from_f32((i as f32).sin()));
    let bytes = pickle::dumps(&pickle::Params { word_vecs, word_to_id, id_to_word });
    drop(sections);
    let peak = counting::peak_during(|| {
        let params = pickle::loads(&bytes).unwrap();
        let sections = analogies::parse(analogies::QUESTIONS_WORDS).unwrap();
        let word_vecs = params.word_vecs.mapv(f16::to_f32);
        let report =
            analogies::evaluate(word_vecs.view(), &params.word_to_id, &sections, vocab_size);
        assert_eq!(report.sections[0].2.answered, 506);
    });
    // measured: 268 MB (the words' strings twice, in a dict and a list, and the pickle's
    // values while it is read), where scoring 256 questions at once held 2,073 MB
    assert!(peak < 350 << 20, "{} MB at the peak", peak >> 20);
}
