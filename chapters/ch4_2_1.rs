//! 4.2.1 中間層以降の計算の問題点 — the cost of scoring every word, measured against 4.2's few.
//! Run: `cargo run --release --example ch4_2_1 [-- --full]`; `--full` adds the book's V = 1,000,000.
//! Deviations: the book states the cost; we measure it (batch 100, H = 100, float64). Lines
//! marked ⏱ are timings, the only output that depends on the machine.

use ndarray::Array1;
use std::io::{self, Write};
use std::process::ExitCode;
use zerotsuku2::ch04::negative_sampling_layer::NegativeSamplingLoss;
use zerotsuku2::common::layers::{MatMul, SoftmaxWithLoss};
use zerotsuku2::fast::negative_sampling::RowNegativeSamplingLoss;
use zerotsuku2::fast::sampler::AliasSampler;
use zerotsuku2::np::random::RandomState;
use zerotsuku2::page::cli::{Flag, Page};
use zerotsuku2::page::notebook::{best_of_three, opening, show_duration, table, TIMING};

const BATCH_SIZE: usize = 100;
const HIDDEN_SIZE: usize = 100;
const SAMPLE_SIZE: usize = 5;
const DEFAULT_SIZES: [usize; 3] = [1_000, 10_000, 100_000];
const FULL_SIZES: [usize; 4] = [1_000, 10_000, 100_000, 1_000_000];

pub fn run(out: &mut dyn Write, rng: &mut RandomState) -> io::Result<()> {
    run_sizes(out, rng, &DEFAULT_SIZES)
}

fn run_sizes(out: &mut dyn Write, rng: &mut RandomState, sizes: &[usize]) -> io::Result<()> {
    opening(out, "4.2.1 中間層以降の計算の問題点", rng, "h、続いて V ごとに W_out を生成")?;
    writeln!(
        out,
        "\n» 中間層 H = {HIDDEN_SIZE}、バッチ N = {BATCH_SIZE}、float64。出力層の順伝播 + 逆伝播 1回あたり"
    )?;
    writeln!(out, "» 多値分類 (〜4.1): score = h · W_out (N × V) と V 語すべての Softmax")?;
    writeln!(out, "»   → 語彙数 V に比例")?;
    writeln!(
        out,
        "» 二値分類 (4.2): ターゲットと負例 {SAMPLE_SIZE} 語の行だけの Embedding Dot と Sigmoid"
    )?;
    writeln!(out, "»   → V によらない")?;
    // h = np.random.randn(N, H)
    let h = rng.randn((BATCH_SIZE, HIDDEN_SIZE));

    let mut rows = Vec::new();
    for &vocab_size in sizes {
        // W_out = 0.01 * np.random.randn(V, H): one row per word, as Embedding takes it
        let w_out = rng.randn((vocab_size, HIDDEN_SIZE)) * 0.01;
        let target: Array1<usize> = (0..BATCH_SIZE).map(|i| i * 7919 % vocab_size).collect();
        let corpus: Array1<usize> = (0..vocab_size).chain((0..vocab_size).step_by(7)).collect();

        // the full output layer of chapter 3: MatMul's W is (H, V)
        let mut matmul = MatMul::new(w_out.t().as_standard_layout().into_owned());
        let mut softmax_with_loss = SoftmaxWithLoss::new();
        let full = best_of_three(|| {
            let score = matmul.forward(&h);
            softmax_with_loss.forward(&score, target.view());
            matmul.backward(&softmax_with_loss.backward(1.0));
        });
        drop((matmul, softmax_with_loss));

        // 4.2 as the book writes it: its sampler and its dense dW cost O(V) per call
        let mut book = NegativeSamplingLoss::new(corpus.view(), 0.75, SAMPLE_SIZE);
        let mut dw_out = w_out.clone();
        let faithful = best_of_three(|| {
            book.forward(&w_out, &h, target.view(), rng);
            // the book's layers zero their dW on every backward
            dw_out.fill(0.0);
            book.backward(1.0, &mut dw_out);
        });
        drop((book, dw_out));

        // 4.2 with the fast path: sparse gradient rows and an alias-table sampler
        let sampler = AliasSampler::new(corpus.view(), 0.75, SAMPLE_SIZE);
        let mut layer = RowNegativeSamplingLoss::<f64>::new(SAMPLE_SIZE);
        let target_ids = target.to_vec();
        let fast = best_of_three(|| {
            let negative_sample = sampler.get_negative_sample(&target_ids, rng);
            layer.forward_with(&w_out, &h, &target_ids, negative_sample);
            layer.backward(1.0);
        });

        let [full_bytes, faithful_bytes, fast_bytes] = bytes_touched(vocab_size);
        rows.push(vec![
            format!("{vocab_size}"),
            megabytes(full_bytes),
            megabytes(faithful_bytes),
            megabytes(fast_bytes),
            format!("{:.0}x", full_bytes as f64 / fast_bytes as f64),
        ]);
        writeln!(
            out,
            "{TIMING}V = {vocab_size}: 多値分類 {}, 二値分類 (本のまま) {},\n\
             {TIMING}  二値分類 (速い版) {}: 多値分類の {:.0} 分の1",
            show_duration(full),
            show_duration(faithful),
            show_duration(fast),
            full.as_secs_f64() / fast.as_secs_f64()
        )?;
    }

    writeln!(out, "\n» 読み書きする配列の大きさ (MB、主な配列を1回ずつ数えた概算)")?;
    writeln!(
        out,
        "{}",
        table(
            &["V", "多値分類", "二値分類 (本のまま)", "二値分類 (速い版)", "多値 / 速い版"],
            &rows
        )
    )?;
    writeln!(out, "» 多値分類: W_out と dW_out (H × V)、score・softmax・dscore (N × V)。")?;
    writeln!(out, "» 本のまま: 毎回ゼロにする dW_out (V × H) と、")?;
    writeln!(out, "»   1行ごとに p のコピーと累積和 (V) を作るサンプラー。")?;
    writeln!(out, "» 速い版: 6N 行の W_out の行と、その勾配の行だけ: V によらない。")?;
    Ok(())
}

/// Bytes of the main arrays each way reads or writes per call, each counted once, float64.
fn bytes_touched(vocab_size: usize) -> [usize; 3] {
    let (n, h, v, s) = (BATCH_SIZE, HIDDEN_SIZE, vocab_size, SAMPLE_SIZE + 1);
    let nh = n * h;
    // W_out and dW_out (H, V); score, softmax and dscore (N, V); h and dh (N, H)
    let full = 2 * h * v + 3 * n * v + 2 * nh;
    // rows of W_out, target_W and their gradient rows (s N, H); h, dh; the dense dW_out
    // (V, H); per example, a copy of word_p and its cumulative sum (2 V)
    let rows = 3 * s * nh + 2 * nh;
    let faithful = rows + v * h + 2 * n * v;
    // the same rows, nothing of size V
    let fast = rows;
    [full * 8, faithful * 8, fast * 8]
}

fn megabytes(bytes: usize) -> String {
    format!("{:.1}", bytes as f64 / 1e6)
}

fn main() -> ExitCode {
    const FLAGS: [Flag; 1] = [Flag {
        name: "--full",
        value: None,
        help: "add the book's V = 1,000,000 (about 7 GB, a minute)",
        help_ja: "本の V = 1,000,000 も (メモリ約 7 GB、1分ほど)",
    }];
    let page = Page { name: "ch4_2_1", flags: &FLAGS, draws: true };
    zerotsuku2::page::cli::main(page, |out, rng, args| {
        if args.has("--full") {
            Ok(run_sizes(out, rng, &FULL_SIZES)?)
        } else {
            Ok(run(out, rng)?)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerotsuku2::np::random::Seed;
    use zerotsuku2::page::cli::capture;
    use zerotsuku2_testing::redact_timings;

    /// The book has no code for 4.2.1: after the title, every line is ours, marked `»`, or a
    /// table of ours.
    #[test]
    fn every_line_after_the_title_is_marked_as_ours() {
        let mut out = Vec::new();
        run_sizes(&mut out, &mut RandomState::default(), &[1_000]).unwrap();
        let text = String::from_utf8(out).unwrap();
        let unmarked: Vec<&str> = text
            .lines()
            .skip(1)
            .filter(|line| !(line.is_empty() || line.starts_with("» ") || line.starts_with('|')))
            .collect();
        assert!(unmarked.is_empty(), "lines without »: {unmarked:#?}");
    }

    #[test]
    fn output_with_the_default_seed() {
        let measured = capture(run, Seed::default());
        let text = redact_timings(&measured);
        // two timing lines per vocabulary size, and nothing else, are redacted
        let changed = measured.lines().zip(text.lines()).filter(|(a, b)| a != b).count();
        assert_eq!(changed, 2 * DEFAULT_SIZES.len());
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("ch4_2_1", text);
        });
    }
}
