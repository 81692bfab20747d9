//! 4.2.3 シグモイド関数と交差エントロピー誤差 — the sigmoid and the cross-entropy error of a binary problem.
//! Run: `cargo run --example ch4_2_3 [-- --seed N | --numpy-seed N]`.
//! Deviations: seeded draws; the book shows this step as formulas and figures, so the cells apply
//! `common/functions.py` and `SigmoidWithLoss` to the scores of 4.2.4; the checks marked » are ours.

use ndarray::{stack, Array1, Axis};
use std::io::{self, Write};
use std::process::ExitCode;
use zerotsuku2::ch04::negative_sampling_layer::EmbeddingDot;
use zerotsuku2::common::functions::{cross_entropy_error, sigmoid};
use zerotsuku2::common::layers::SigmoidWithLoss;
use zerotsuku2::np::gradient::{numerical_gradient, H};
use zerotsuku2::np::{self, random::RandomState};
use zerotsuku2::page::cli::Page;
use zerotsuku2::page::notebook::{
    previous_w_out, print, print_shape, prologue, py_bool, table, Prologue,
};

pub fn run(out: &mut dyn Write, rng: &mut RandomState) -> io::Result<()> {
    let Prologue { id_to_word, target, vocab_size, hidden_size, h, .. } = prologue(
        out,
        "4.2.3 シグモイド関数と交差エントロピー誤差",
        rng,
        "本と同じ順に W_in、W_out を生成",
    )?;

    let w_out = previous_w_out(out, rng, vocab_size, hidden_size)?;
    writeln!(out, "# Embedding Dotレイヤでスコアを計算")?;
    // s = EmbeddingDot(W_out).forward(h, target)
    let s = EmbeddingDot::new().forward(&w_out, &h, target.view());
    writeln!(out, "s =\n{}", np::array_str(&np::round(&s, 2)))?;

    writeln!(out, "\n» -- 4.2.3 --")?;
    writeln!(out, "# シグモイド関数: スコアを確率に変換")?;
    // y = sigmoid(s)
    let y = sigmoid(&s);
    // print(np.round(y, 2))
    print(out, &np::round(&y, 2))?;
    // print(y.shape)
    print_shape(out, &y)?;

    writeln!(out, "\n# 正解ラベル: ターゲットはすべて正例 (1)")?;
    // t = np.ones(target.shape[0], dtype=np.int32)
    let t = Array1::<usize>::ones(target.len());
    // print(t)
    print(out, &t)?;

    writeln!(out, "\n# 交差エントロピー誤差: L = -(t log y + (1 - t) log(1 - y)) のバッチ平均")?;
    // loss = cross_entropy_error(np.c_[1 - y, y], t)
    let both = stack(Axis(1), &[(1.0 - &y).view(), y.view()]).expect("two equal columns");
    let loss = cross_entropy_error(&both, t.view());
    // print(loss)
    writeln!(out, "{}", np::float_str(loss))?;

    writeln!(out, "\n» 各ターゲットの損失 -log(y + 1e-7) (t = 1 なので log y の項だけ)")?;
    let rows: Vec<Vec<String>> = (0..target.len())
        .map(|i| {
            vec![
                format!("{i}"),
                format!("{} {}", target[i], id_to_word[target[i]]),
                np::float_str(np::round_scalar(s[i], 2)),
                np::float_str(np::round_scalar(y[i], 2)),
                np::float_str(np::round_scalar(-(y[i] + 1e-7).ln(), 4)),
            ]
        })
        .collect();
    writeln!(
        out,
        "{}",
        table(&["i", "target[i]", "s", "y = sigmoid(s)", "-log(y + 1e-7)"], &rows)
    )?;

    writeln!(out, "\n# Sigmoid with Lossレイヤ")?;
    // sigmoid_with_loss = SigmoidWithLoss()
    let mut sigmoid_with_loss = SigmoidWithLoss::new();
    // loss = sigmoid_with_loss.forward(s, t)
    let loss_layer = sigmoid_with_loss.forward(&s, t.view());
    // print(loss)
    writeln!(out, "{}", np::float_str(loss_layer))?;

    writeln!(out, "\n# 逆伝播: dx = (y - t) * dout / batch_size")?;
    // dx = sigmoid_with_loss.backward(1)
    let dx = sigmoid_with_loss.backward(1.0);
    // print(dx)
    print(out, &dx)?;
    // print(dx.shape)
    print_shape(out, &dx)?;

    writeln!(
        out,
        "\n» 4.2.3 の結論 ∂L/∂x = y - t (ここではバッチ平均なので 1/{} 倍)",
        target.len()
    )?;
    let y_minus_t = &y - &t.mapv(|label| label as f64);
    writeln!(out, "» y - t =\n{}", np::array_str(&y_minus_t))?;
    writeln!(
        out,
        "» np.allclose(dx, (y - t) / {}): {}",
        target.len(),
        py_bool(np::allclose(&dx, &(&y_minus_t / target.len() as f64)))
    )?;

    writeln!(out, "\n» 中心差分による数値微分 (h = {}) と比較", np::float_str(H))?;
    let numerical_dx = numerical_gradient(&s, |s| SigmoidWithLoss::new().forward(s, t.view()));
    writeln!(out, "» max |dx - numerical|: {:.1e}", np::max_abs_diff(&dx, &numerical_dx))?;
    writeln!(out, "» (log の中の 1e-7 の分だけ ずれる: 丸め誤差ではなく、確率 p の項で")?;
    writeln!(out, "»  相対 1e-7/p ほど。相対 1e-3 まで一致すれば正しい)")?;
    let close = np::allclose_with(&dx, &numerical_dx, 1e-3, 1e-6);
    writeln!(out, "» np.allclose(rtol=1e-3, atol=1e-6): {}", py_bool(close))?;
    Ok(())
}

fn main() -> ExitCode {
    let page = Page { name: "ch4_2_3", flags: &[], draws: true };
    zerotsuku2::page::cli::main(page, |out, rng, _| Ok(run(out, rng)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerotsuku2::np::random::Seed;
    use zerotsuku2::page::cli::capture;

    #[test]
    fn arrays_equal_numpys_for_every_committed_seed() {
        zerotsuku2_testing::assert_matches_numpy("ch4_2_3", |n| capture(run, Seed::Numpy(n)));
    }

    #[test]
    fn output_with_the_default_seed() {
        let text = capture(run, Seed::default());
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("ch4_2_3", text);
        });
    }

    /// Every check the page prints holds, under the default seed and three of numpy's: the
    /// layers against finite differences and the book's formulas, not only in the snapshot.
    #[test]
    fn every_check_the_page_prints_holds() {
        zerotsuku2_testing::assert_every_check_holds(
            |numpy| capture(run, numpy.map_or(Seed::default(), Seed::Numpy)),
            2,
        );
    }
}
