//! 4.1.1 Embeddingレイヤ — a one-hot row times W_in only picks out one row of W_in.
//! Run: `cargo run --release --example ch4_1_1 [-- --full]`; `--full` adds the book's V = 1,000,000.
//! Deviations: the book states the waste; we show it on 7 words and measure it (H = 100,
//! float64). Lines marked ⏱ are timings, the only output that depends on the machine.

use ndarray::{array, Array1, Array2, Axis};
use std::io::{self, Write};
use std::process::ExitCode;
use zerotsuku2::np::random::RandomState;
use zerotsuku2::page::cli::{Flag, Page};
use zerotsuku2::page::notebook::{
    best_of_three, opening, print, py_bool, show_duration, table, TIMING,
};

const HIDDEN_SIZE: usize = 100;
const DEFAULT_SIZES: [usize; 3] = [1_000, 10_000, 100_000];
const FULL_SIZES: [usize; 4] = [1_000, 10_000, 100_000, 1_000_000];

pub fn run(out: &mut dyn Write, rng: &mut RandomState) -> io::Result<()> {
    run_sizes(out, rng, &DEFAULT_SIZES)
}

fn run_sizes(out: &mut dyn Write, rng: &mut RandomState, sizes: &[usize]) -> io::Result<()> {
    opening(out, "4.1.1 Embeddingレイヤ", rng, "V ごとに W_in を生成")?;

    writeln!(out, "\n» 図4-3: one-hot 表現の c と W_in の積は、W_in の行を1つ抜き出すだけ")?;
    // c = np.array([[0, 0, 1, 0, 0, 0, 0]])
    let c: Array2<i64> = array![[0, 0, 1, 0, 0, 0, 0]];
    print(out, &c)?;
    // W = np.arange(21).reshape(7, 3)
    let w = Array1::from_iter(0..21i64).into_shape_with_order((7, 3)).expect("21 = 7 x 3");
    print(out, &w)?;
    // print(np.dot(c, W))
    print(out, &c.dot(&w))?;
    // print(W[2])
    print(out, &w.row(2))?;

    writeln!(
        out,
        "\n» 本の規模 V = 1,000,000、H = {HIDDEN_SIZE} では、積は V × H の W_in をすべて読み、"
    )?;
    writeln!(out, "»   抜き出しは H 個を読むだけ。1単語あたりの時間 (3回の最速):")?;
    let mut rows = Vec::new();
    for &vocab_size in sizes {
        // W_in = np.random.randn(V, H)
        let w_in = rng.randn((vocab_size, HIDDEN_SIZE));
        let word_id = vocab_size / 2;
        // c: the word's one-hot row, (1, V)
        let mut c = Array2::<f64>::zeros((1, vocab_size));
        c[[0, word_id]] = 1.0;
        let (mut by_product, mut by_row) = (Array2::zeros((0, 0)), Array2::zeros((0, 0)));
        // h = np.dot(c, W_in)
        let product = best_of_three(|| by_product = c.dot(&w_in));
        // h = W_in[[word_id]]
        let row = best_of_three(|| by_row = w_in.select(Axis(0), &[word_id]));
        writeln!(
            out,
            "{TIMING}V = {vocab_size}: 積 {}, 抜き出し {}: 積は {:.0} 倍",
            show_duration(product),
            show_duration(row),
            product.as_secs_f64() / row.as_secs_f64()
        )?;
        rows.push(vec![
            vocab_size.to_string(),
            format!("{:.1}", (vocab_size * HIDDEN_SIZE + vocab_size) as f64 * 8.0 / 1e6),
            format!("{:.1}", (HIDDEN_SIZE * 8) as f64 / 1e3),
            py_bool(by_product == by_row).to_string(),
        ]);
    }
    writeln!(out, "\n» 読む配列の大きさと、2つの h が等しいか (np.array_equal)")?;
    writeln!(out, "{}", table(&["V", "積 (MB)", "抜き出し (KB)", "等しい"], &rows))?;
    writeln!(out, "» 積は c (V) と W_in (V × H) のすべてを読む: V に比例する。")?;
    writeln!(out, "» 抜き出し (Embeddingレイヤ) は W_in の1行 (H) だけ: V によらない。")?;
    Ok(())
}

fn main() -> ExitCode {
    const FLAGS: [Flag; 1] = [Flag {
        name: "--full",
        value: None,
        help: "add the book's V = 1,000,000 (about 1 GB, a few seconds)",
        help_ja: "本の V = 1,000,000 も (メモリ約 1 GB、数秒)",
    }];
    let page = Page { name: "ch4_1_1", flags: &FLAGS, draws: true };
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

    #[test]
    fn output_with_the_default_seed() {
        let measured = capture(run, Seed::default());
        let text = redact_timings(&measured);
        // one timing line per vocabulary size, and nothing else, is redacted
        let changed = measured.lines().zip(text.lines()).filter(|(a, b)| a != b).count();
        assert_eq!(changed, DEFAULT_SIZES.len());
        // the one-hot product is the row, at every size
        assert_eq!(text.matches(" True |").count(), DEFAULT_SIZES.len(), "{text}");
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("ch4_1_1", text);
        });
    }
}
