//! 4.2.7 Negative Samplingの実装 — NegativeSamplingLoss on the toy data.
//! Run: `cargo run --example ch4_2_7 [-- --seed N | --numpy-seed N]`.
//! Deviations: seeded draws; the six EmbeddingDot layers add into one `dW_out` where the book's
//! keep six and sum them later (see the » notes); the arrays printed under their names.

use ndarray::Array1;
use std::io::{self, Write};
use std::process::ExitCode;
use zerotsuku2::ch04::negative_sampling_layer::NegativeSamplingLoss;
use zerotsuku2::np::gradient::{numerical_gradient, H};
use zerotsuku2::np::{self, random::RandomState};
use zerotsuku2::page::cli::Page;
use zerotsuku2::page::notebook::{print, print_shape, prologue, py_bool, table, Prologue};

pub fn run(out: &mut dyn Write, rng: &mut RandomState) -> io::Result<()> {
    let Prologue { corpus, id_to_word, target, vocab_size, hidden_size, h, .. } = prologue(
        out,
        "4.2.7 Negative Samplingの実装",
        rng,
        "本と同じ順に W_in、W_out を生成し、負例をサンプリング",
    )?;
    let word = |id: usize| id_to_word[id].as_str();

    writeln!(out, "\n» -- 4.2.7 --")?;
    writeln!(out, "# 出力層の重みをランダムに生成")?;
    // W_out = np.random.randn(vocab_size, hidden_size)
    let w_out = rng.randn((vocab_size, hidden_size));
    // print(np.round(W_out, 2))
    print(out, &np::round(&w_out, 2))?;
    // print(W_out.shape)
    print_shape(out, &w_out)?;

    writeln!(out, "\n# Negative Samplingレイヤのインスタンスを作成")?;
    // layer = NegativeSamplingLoss(W_out, corpus, power=0.75, sample_size=5), W_out at each call
    let mut layer = NegativeSamplingLoss::new(corpus.view(), 0.75, 5);
    // print(layer.sampler.word_p)
    writeln!(out, "word_p =\n{}", np::array_str(&layer.sampler.word_p))?;

    writeln!(out, "\n# 順伝播: 負例をサンプリングして、正例1つと負例5つの損失の和")?;
    // loss = layer.forward(h, target)
    let loss = layer.forward(&w_out, &h, target.view(), rng);
    let negative_sample = layer.negative_sample.clone().expect("forward keeps its negatives");
    // print(negative_sample)
    writeln!(out, "negative_sample =\n{}", np::array_str(&negative_sample))?;
    // print(np.array([l.loss for l in layer.loss_layers]))
    let losses: Array1<f64> =
        layer.loss_layers.iter().map(|l| l.loss.expect("forward ran")).collect();
    writeln!(out, "各レイヤの損失 (正例1つ、負例5つ) =\n{}", np::array_str(&losses))?;
    // print(loss)
    writeln!(out, "loss = {}", np::float_str(loss))?;

    writeln!(
        out,
        "\n» 各行の負例: ターゲット以外から重複なしで5語 (語彙は7語なので、残り6語から5語)"
    )?;
    let rows: Vec<Vec<String>> = (0..target.len())
        .map(|i| {
            let negatives: Vec<&str> = negative_sample.row(i).iter().map(|&id| word(id)).collect();
            vec![format!("{i}"), format!("{} {}", target[i], word(target[i])), negatives.join(" ")]
        })
        .collect();
    writeln!(out, "{}", table(&["i", "target[i]", "負例"], &rows))?;
    writeln!(
        out,
        "» 損失の内訳: 正例 (ラベル 1) {}\n»   + 負例 (ラベル 0) {}\n»   = {}",
        np::float_str(np::round_scalar(losses[0], 4)),
        losses
            .iter()
            .skip(1)
            .map(|&l| np::float_str(np::round_scalar(l, 4)))
            .collect::<Vec<_>>()
            .join(" + "),
        np::float_str(np::round_scalar(loss, 4))
    )?;

    writeln!(out, "\n# 逆伝播")?;
    // dh = layer.backward(), its layers' gradients summed into dW_out (np.zeros_like(W_out))
    let mut dw_out = ndarray::Array2::zeros(w_out.raw_dim());
    let dh = layer.backward(1.0, &mut dw_out);
    // print(np.round(dh, 2))
    writeln!(out, "dh =\n{}", np::array_str(&np::round(&dh, 2)))?;
    // print(dh.shape)
    print_shape(out, &dh)?;
    let dw_out = &dw_out;
    // print(np.round(dW_out, 2))
    writeln!(out, "dW_out =\n{}", np::array_str(&np::round(dw_out, 2)))?;
    // print(dW_out.shape)
    print_shape(out, dw_out)?;

    writeln!(out, "\n» 本は同じ W_out を共有する EmbeddingDot を6つ持ち、")?;
    writeln!(out, "»   6つの dW を学習時に足し合わせる (remove_duplicate)。")?;
    writeln!(out, "» このレイヤは W_out を呼び出しのたびに借り、6つのスコアの勾配を")?;
    writeln!(out, "»   np.add.at で、渡された1つの dW_out に足す。")?;
    writeln!(out, "» dW_out の各行に足された (正例または負例として選ばれた) 回数:")?;
    let rows: Vec<Vec<String>> = (0..vocab_size)
        .map(|id| {
            let as_target = target.iter().filter(|&&t| t == id).count();
            let as_negative = negative_sample.iter().filter(|&&n| n == id).count();
            vec![format!("{id} {}", word(id)), as_target.to_string(), as_negative.to_string()]
        })
        .collect();
    writeln!(out, "{}", table(&["単語", "正例として", "負例として"], &rows))?;

    writeln!(out, "\n» 中心差分による数値微分 (h = {}、負例は固定) と比較", np::float_str(H))?;
    let loss_with = |w_out: &ndarray::Array2<f64>, h: &ndarray::Array2<f64>| {
        NegativeSamplingLoss::new(corpus.view(), 0.75, 5).forward_with(
            w_out,
            h,
            target.view(),
            negative_sample.clone(),
        )
    };
    let numerical_dh = numerical_gradient(&h, |h| loss_with(&w_out, h));
    let numerical_dw_out = numerical_gradient(&w_out, |w| loss_with(w, &h));
    writeln!(out, "» max |dh - numerical|: {:.1e}", np::max_abs_diff(&dh, &numerical_dh))?;
    writeln!(
        out,
        "» max |dW_out - numerical|: {:.1e}",
        np::max_abs_diff(dw_out, &numerical_dw_out)
    )?;
    writeln!(out, "» (log の中の 1e-7 の分だけ ずれる: 確率 p の項で相対 1e-7/p ほど)")?;
    writeln!(
        out,
        "» np.allclose(rtol=1e-3, atol=1e-6): dh {}, dW_out {}",
        py_bool(np::allclose_with(&dh, &numerical_dh, 1e-3, 1e-6)),
        py_bool(np::allclose_with(dw_out, &numerical_dw_out, 1e-3, 1e-6))
    )?;
    Ok(())
}

fn main() -> ExitCode {
    let page = Page { name: "ch4_2_7", flags: &[], draws: true };
    zerotsuku2::page::cli::main(page, |out, rng, _| Ok(run(out, rng)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerotsuku2::np::random::Seed;
    use zerotsuku2::page::cli::capture;

    #[test]
    fn arrays_equal_numpys_for_every_committed_seed() {
        zerotsuku2_testing::assert_matches_numpy("ch4_2_7", |n| capture(run, Seed::Numpy(n)));
    }

    #[test]
    fn output_with_the_default_seed() {
        let text = capture(run, Seed::default());
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("ch4_2_7", text);
        });
    }

    /// Every check the page prints holds, under the default seed and three of numpy's: the
    /// layers against finite differences and the book's formulas, not only in the snapshot.
    #[test]
    fn every_check_the_page_prints_holds() {
        zerotsuku2_testing::assert_every_check_holds(
            |numpy| capture(run, numpy.map_or(Seed::default(), Seed::Numpy)),
            1,
        );
    }
}
