//! Section 4.2's claim at full scale: `cargo bench -p zerotsuku2-bench` (or add
//! `--bench section_4_2`).
//!
//! Batch 100, hidden 100, V in {10,000, 100,000, 1,000,000}, forward + backward per call:
//! the faithful layers (float64, as the notebook has them), the fast path (float32, as the
//! book trains), the full output layer it replaces, and the matrix products alone.
//! `chapters/bench/compare.py BOOK_DIR` runs this and the book's own NumPy side by side.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ndarray::{Array1, Array2, ArrayView1};
use std::hint::black_box;
use std::time::Duration;
use zerotsuku2::ch04::negative_sampling_layer as faithful;
use zerotsuku2::fast::negative_sampling::RowNegativeSamplingLoss;
use zerotsuku2::fast::sampler::AliasSampler;
use zerotsuku2::np::random::RandomState;

const BATCH_SIZE: usize = 100;
const HIDDEN_SIZE: usize = 100;
const SAMPLE_SIZE: usize = 5;
const VOCAB_SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];

/// Every id of `0..vocab_size` once, every seventh once more: a unigram distribution that is
/// not flat, over the whole vocabulary.
fn corpus_of(vocab_size: usize) -> Array1<usize> {
    (0..vocab_size).chain((0..vocab_size).step_by(7)).collect()
}

fn section_4_2(c: &mut Criterion) {
    let mut rng = RandomState::default();
    let h64: Array2<f64> = rng.randn((BATCH_SIZE, HIDDEN_SIZE));
    let h32 = h64.mapv(|x| x as f32);
    let ds64: Array1<f64> = rng.randn(BATCH_SIZE);
    let ds32 = ds64.mapv(|x| x as f32);

    for vocab_size in VOCAB_SIZES {
        let target: Vec<usize> = (0..BATCH_SIZE).map(|i| i * 7919 % vocab_size).collect();
        let corpus = corpus_of(vocab_size);
        let w64: Array2<f64> = rng.randn((vocab_size, HIDDEN_SIZE)) * 0.01;
        let w32 = w64.mapv(|x| x as f32);
        // the cost of the big ones decides how many samples fit a few seconds
        let samples = if vocab_size >= 1_000_000 { 10 } else { 20 };

        let mut group = c.benchmark_group("embedding_dot");
        group.sample_size(samples).warm_up_time(Duration::from_secs(1));
        let mut layer = faithful::EmbeddingDot::new();
        let mut dw64 = Array2::zeros(w64.raw_dim());
        group.bench_function(BenchmarkId::new("faithful_f64", vocab_size), |b| {
            b.iter(|| {
                layer.forward(&w64, &h64, ArrayView1::from(&target));
                // the book's Embedding backward: dW[...] = 0, then np.add.at
                dw64.fill(0.0);
                black_box(layer.backward(ds64.view(), &mut dw64))
            })
        });
        drop(dw64);
        drop(layer);
        let mut layer = zerotsuku2_bench::RowEmbeddingDot::<f32>::new();
        group.bench_function(BenchmarkId::new("fast_f32", vocab_size), |b| {
            b.iter(|| {
                layer.forward(&w32, &h32, &target);
                black_box(layer.backward(ds32.view()))
            })
        });
        group.finish();

        let mut group = c.benchmark_group("negative_sampling");
        group.sample_size(samples).warm_up_time(Duration::from_secs(1));
        let mut layer = faithful::NegativeSamplingLoss::new(corpus.view(), 0.75, SAMPLE_SIZE);
        let mut dw64 = Array2::zeros(w64.raw_dim());
        group.bench_function(BenchmarkId::new("faithful_f64", vocab_size), |b| {
            b.iter(|| {
                layer.forward(&w64, &h64, ArrayView1::from(&target), &mut rng);
                // the book's layers zero their dW on every backward
                dw64.fill(0.0);
                black_box(layer.backward(1.0, &mut dw64))
            })
        });
        drop(layer);
        let mut layer = RowNegativeSamplingLoss::<f32>::new(SAMPLE_SIZE);
        let sampler = AliasSampler::new(corpus.view(), 0.75, SAMPLE_SIZE);
        group.bench_function(BenchmarkId::new("fast_f32", vocab_size), |b| {
            b.iter(|| {
                let negative_sample = sampler.get_negative_sample(&target, &mut rng);
                layer.forward_with(&w32, &h32, &target, negative_sample);
                black_box(layer.backward(1.0))
            })
        });
        group.finish();

        let mut group = c.benchmark_group("sampler");
        group.sample_size(samples).warm_up_time(Duration::from_secs(1));
        let sampler = AliasSampler::new(corpus.view(), 0.75, SAMPLE_SIZE);
        group.bench_function(BenchmarkId::new("alias_100x5", vocab_size), |b| {
            b.iter(|| black_box(sampler.get_negative_sample(&target, &mut rng)))
        });
        group.finish();
        drop((w64, corpus));

        let mut group = c.benchmark_group("full_output_layer");
        group.sample_size(10).warm_up_time(Duration::from_secs(1));
        // MatMul's W is (H, V): one column per word
        let w_out = w32.t().as_standard_layout().into_owned();
        drop(w32);
        group.bench_function(BenchmarkId::new("softmax_f32", vocab_size), |b| {
            b.iter(|| black_box(zerotsuku2_bench::full_output_layer(&h32, &w_out, &target)))
        });
        group.bench_function(BenchmarkId::new("matmuls_only_f32", vocab_size), |b| {
            b.iter(|| black_box(zerotsuku2_bench::full_output_matmuls(&h32, &w_out)))
        });
        group.finish();
    }
}

criterion_group!(benches, section_4_2);
criterion_main!(benches);
