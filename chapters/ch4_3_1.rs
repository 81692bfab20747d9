//! 4.3.1 CBOWモデルの実装 — the book's `CBOW` class, then its `SkipGram`, on the sentence of 3 and 4.
//! Run: `cargo run --example ch4_3_1 [-- --seed N | --numpy-seed N]`.
//! Deviations: seeded draws; the book only defines the class, we run it once (forward,
//! backward, one Adam step) and check its gradients by finite differences.

use ndarray::Array2;
use std::io::{self, Write};
use std::process::ExitCode;
use zerotsuku2::ch04::cbow::CBOW;
use zerotsuku2::ch04::skip_gram::SkipGram;
use zerotsuku2::common::optimizer::Adam;
use zerotsuku2::common::util::{create_contexts_target, preprocess};
use zerotsuku2::np::gradient::{numerical_gradient, H};
use zerotsuku2::np::{self, random::RandomState};
use zerotsuku2::page::cli::Page;
use zerotsuku2::page::notebook::{dict_str, opening, print, py_bool, TEXT};

pub fn run(out: &mut dyn Write, rng: &mut RandomState) -> io::Result<()> {
    opening(
        out,
        "4.3.1 CBOWモデルの実装",
        rng,
        "本と同じ順に W_in、W_out を生成し、負例をサンプリング",
    )?;

    writeln!(out, "\n» -- 前章までの準備 (3.3) --")?;
    // corpus, word_to_id, id_to_word = preprocess(text)
    let (corpus, _, id_to_word) = preprocess(TEXT);
    writeln!(out, "corpus = {}", np::array_str(&corpus))?;
    writeln!(out, "word_to_id =\n{}", dict_str(&id_to_word))?;
    // contexts, target = create_contexts_target(corpus, window_size=1)
    let window_size = 1;
    let (contexts, target) = create_contexts_target(&corpus, window_size);
    writeln!(out, "contexts =\n{}", np::array_str(&contexts))?;
    writeln!(out, "target = {}", np::array_str(&target))?;

    writeln!(out, "\n» -- 4.3.1 --")?;
    // vocab_size = len(word_to_id); hidden_size = 3
    let (vocab_size, hidden_size) = (id_to_word.len(), 3);
    writeln!(
        out,
        "vocab_size = {vocab_size}, hidden_size = {hidden_size}, window_size = {window_size}"
    )?;
    writeln!(out, "# 重みの初期化 (float32)")?;
    // model = CBOW(vocab_size, hidden_size, window_size, corpus)
    let mut model = CBOW::new(vocab_size, hidden_size, window_size, corpus.view(), rng);
    let (w_in, w_out) = (model.w_in.clone(), model.w_out.clone());
    // print(W_in); print(W_out)
    writeln!(out, "W_in =\n{}", np::array_str(&w_in))?;
    writeln!(out, "W_out =\n{}", np::array_str(&w_out))?;
    writeln!(out, "# レイヤの生成")?;
    writeln!(
        out,
        "» in_layers: W_in を共有する Embeddingレイヤ {} 個 (コンテキストの単語ごとに1つ)",
        model.in_layers.len()
    )?;
    writeln!(out, "» ns_loss: NegativeSamplingLoss(W_out, corpus, power=0.75, sample_size=5)")?;

    writeln!(out, "\n# 順伝播: h = 2つのコンテキストの平均、正例1つと負例5つの損失")?;
    // the generator as the forward finds it, to draw the same negatives again below
    let at_forward = rng.clone();
    // loss = model.forward(contexts, target)
    let loss = model.forward(contexts.view(), target.view(), rng);
    let negative_sample = model.ns_loss.negative_sample.clone().expect("drawn by the forward");
    writeln!(out, "negative_sample =\n{}", np::array_str(&negative_sample))?;
    // print(loss)
    writeln!(out, "loss = {}", np::float32_str(loss))?;

    writeln!(out, "\n# 逆伝播: 共有された重みの勾配は1つに集約 (remove_duplicate)")?;
    // model.backward()
    model.backward(1.0);
    let (_, [dw_in, dw_out]) = model.params_and_grads();
    writeln!(out, "dW_in =\n{}", np::array_str(dw_in))?;
    writeln!(out, "dW_out =\n{}", np::array_str(dw_out))?;

    let loss_with = |w_in: &Array2<f64>, w_out: &Array2<f64>| {
        CBOW::with_weights(w_in.clone(), w_out.clone(), window_size, corpus.view()).forward(
            contexts.view(),
            target.view(),
            &mut at_forward.clone(),
        )
    };
    gradient_check(out, [&w_in, &w_out], [dw_in, dw_out], loss_with)?;

    writeln!(out, "\n# Adamで1回更新 (4.3.2 の学習の1ステップ)")?;
    // optimizer = Adam(); optimizer.update(model.params, model.grads)
    let (mut params, grads) = model.params_and_grads();
    Adam::default().update(&mut params, &grads);
    adam_step(out, [&w_in, &w_out], params)?;

    writeln!(out, "\n» -- SkipGram (ch04/skip_gram.py): ターゲットからコンテキストを予測 --")?;
    writeln!(out, "# 重みの初期化 (float32)")?;
    // model = SkipGram(vocab_size, hidden_size, window_size, corpus)
    let mut model = SkipGram::new(vocab_size, hidden_size, window_size, corpus.view(), rng);
    let (w_in, w_out) = (model.w_in.clone(), model.w_out.clone());
    writeln!(out, "W_in =\n{}", np::array_str(&w_in))?;
    writeln!(out, "W_out =\n{}", np::array_str(&w_out))?;
    writeln!(out, "# レイヤの生成")?;
    writeln!(out, "» in_layer: W_in の Embeddingレイヤ (ターゲットの行が h)")?;
    writeln!(
        out,
        "» loss_layers: W_out を共有する NegativeSamplingLoss {} 個 (コンテキストの列ごと)",
        model.loss_layers.len()
    )?;

    writeln!(out, "\n» 順伝播: 列ごとに正例1つと負例5つの損失、その和")?;
    let at_forward = rng.clone();
    // loss = model.forward(contexts, target)
    let loss = model.forward(contexts.view(), target.view(), rng);
    for (i, layer) in model.loss_layers.iter().enumerate() {
        let negative_sample = layer.negative_sample.as_ref().expect("drawn by the forward");
        writeln!(out, "loss_layers[{i}] の negative_sample =\n{}", np::array_str(negative_sample))?;
    }
    // print(loss)
    writeln!(out, "loss = {}", np::float32_str(loss))?;

    writeln!(out, "\n» 逆伝播: 各列の dh の和が W_in のターゲットの行へ、dW_out は1つに集約")?;
    // model.backward()
    model.backward(1.0);
    let (_, [dw_in, dw_out]) = model.params_and_grads();
    writeln!(out, "dW_in =\n{}", np::array_str(dw_in))?;
    writeln!(out, "dW_out =\n{}", np::array_str(dw_out))?;
    let loss_with = |w_in: &Array2<f64>, w_out: &Array2<f64>| {
        SkipGram::with_weights(w_in.clone(), w_out.clone(), window_size, corpus.view()).forward(
            contexts.view(),
            target.view(),
            &mut at_forward.clone(),
        )
    };
    gradient_check(out, [&w_in, &w_out], [dw_in, dw_out], loss_with)?;

    writeln!(out, "\n» Adamで1回更新")?;
    let (mut params, grads) = model.params_and_grads();
    Adam::default().update(&mut params, &grads);
    adam_step(out, [&w_in, &w_out], params)
}

/// The backward's `[dW_in, dW_out]` against central differences of `loss_with`, in float64,
/// the negatives drawn again as the forward drew them.
fn gradient_check(
    out: &mut dyn Write,
    [w_in, w_out]: [&Array2<f32>; 2],
    [dw_in, dw_out]: [&Array2<f32>; 2],
    loss_with: impl Fn(&Array2<f64>, &Array2<f64>) -> f64,
) -> io::Result<()> {
    writeln!(
        out,
        "\n» 中心差分による数値微分 (h = {}, float64, 負例は固定) と比較",
        np::float_str(H)
    )?;
    let wide = |w: &Array2<f32>| w.mapv(f64::from);
    let numerical_dw_in = numerical_gradient(&wide(w_in), |w| loss_with(w, &wide(w_out)));
    let numerical_dw_out = numerical_gradient(&wide(w_out), |w| loss_with(&wide(w_in), w));
    let (dw_in, dw_out) = (wide(dw_in), wide(dw_out));
    writeln!(out, "» max |dW_in - numerical|: {:.1e}", np::max_abs_diff(&dw_in, &numerical_dw_in))?;
    writeln!(
        out,
        "» max |dW_out - numerical|: {:.1e}",
        np::max_abs_diff(&dw_out, &numerical_dw_out)
    )?;
    writeln!(
        out,
        "» np.allclose: dW_in {}, dW_out {}",
        py_bool(np::allclose(&dw_in, &numerical_dw_in)),
        py_bool(np::allclose(&dw_out, &numerical_dw_out))
    )
}

/// The weights after one Adam step, and the step in units of `lr`.
fn adam_step(
    out: &mut dyn Write,
    old: [&Array2<f32>; 2],
    new: [&mut Array2<f32>; 2],
) -> io::Result<()> {
    let [new_w_in, new_w_out] = new;
    writeln!(out, "W_in =\n{}", np::array_str(new_w_in))?;
    writeln!(out, "W_out =\n{}", np::array_str(new_w_out))?;
    writeln!(out, "\n» Adamの最初の1歩は ±lr (勾配の符号)。勾配が小さい所は eps = 1e-7")?;
    writeln!(out, "» の分だけ小さい。(W - 前の W) / lr =")?;
    let step = |new: &Array2<f32>, old: &Array2<f32>| np::round(&((new - old) / 0.001), 2);
    print(out, &step(new_w_in, old[0]))?;
    print(out, &step(new_w_out, old[1]))
}

fn main() -> ExitCode {
    let page = Page { name: "ch4_3_1", flags: &[], draws: true };
    zerotsuku2::page::cli::main(page, |out, rng, _| Ok(run(out, rng)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerotsuku2::np::random::Seed;
    use zerotsuku2::page::cli::capture;

    #[test]
    fn output_with_the_default_seed() {
        let text = capture(run, Seed::default());
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("ch4_3_1", text);
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
