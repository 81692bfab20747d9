//! 4.2.5 Negative Sampling — the target's loss with label 1 plus a few negatives' with label 0.
//! Run: `cargo run --example ch4_2_5 [-- --seed N | --numpy-seed N]`.
//! Deviations: seeded draws; the book shows this step as a figure (context you, goodbye; target
//! say; negatives hello, I), so the cells compute that figure with the layers of 4.2.3 and 4.2.4.

use ndarray::{array, s};
use std::io::{self, Write};
use std::process::ExitCode;
use zerotsuku2::ch04::negative_sampling_layer::EmbeddingDot;
use zerotsuku2::common::functions::sigmoid;
use zerotsuku2::common::layers::SigmoidWithLoss;
use zerotsuku2::np::{self, random::RandomState};
use zerotsuku2::page::cli::Page;
use zerotsuku2::page::notebook::{previous_w_out, print, print_shape, prologue, table, Prologue};

pub fn run(out: &mut dyn Write, rng: &mut RandomState) -> io::Result<()> {
    let Prologue { word_to_id, vocab_size, hidden_size, h, .. } =
        prologue(out, "4.2.5 Negative Sampling", rng, "本と同じ順に W_in、W_out を生成")?;

    let w_out = previous_w_out(out, rng, vocab_size, hidden_size)?;

    writeln!(out, "\n» -- 4.2.5 --")?;
    writeln!(out, "# 図4-17: コンテキスト you, goodbye の中間層 (h の0行目)、")?;
    writeln!(out, "#   正例 say、負例 hello と i")?;
    // h0 = h[0:1]
    let h0 = h.slice(s![0..1, ..]).to_owned();
    // print(np.round(h0, 2))
    print(out, &np::round(&h0, 2))?;
    // print(h0.shape)
    print_shape(out, &h0)?;

    writeln!(out, "\n# 正例のフォワード (ラベル 1)")?;
    // embed_dot = EmbeddingDot(W_out)
    let mut embed_dot = EmbeddingDot::new();
    // score = embed_dot.forward(h0, np.array([word_to_id['say']]))
    let positive = word_to_id["say"];
    let score = embed_dot.forward(&w_out, &h0, array![positive].view());
    // print(np.round(score, 2))
    print(out, &np::round(&score, 2))?;
    // loss_layer = SigmoidWithLoss()
    let mut loss_layer = SigmoidWithLoss::new();
    // loss = loss_layer.forward(score, np.array([1]))
    let mut loss = loss_layer.forward(&score, array![1].view());
    // print(loss)
    writeln!(out, "{}", np::float_str(loss))?;
    let mut rows = vec![row("say", 1, score[0], loss)];

    writeln!(out, "\n# 負例のフォワード (ラベル 0)")?;
    // for word in ['hello', 'i']:
    for word in ["hello", "i"] {
        // score = embed_dot.forward(h0, np.array([word_to_id[word]]))
        let score = embed_dot.forward(&w_out, &h0, array![word_to_id[word]].view());
        // print(np.round(score, 2))
        print(out, &np::round(&score, 2))?;
        // negative_loss = SigmoidWithLoss().forward(score, np.array([0]))
        let negative_loss = SigmoidWithLoss::new().forward(&score, array![0].view());
        // print(negative_loss)
        writeln!(out, "{}", np::float_str(negative_loss))?;
        // loss += negative_loss
        loss += negative_loss;
        rows.push(row(word, 0, score[0], negative_loss));
    }

    writeln!(out, "\n# 正例と負例の損失の和")?;
    // print(loss)
    writeln!(out, "{}", np::float_str(loss))?;

    writeln!(out, "\n» 学習は正例の σ(score) を 1 に、負例の σ(score) を 0 に近づける:")?;
    writeln!(out, "»   損失はそこからの離れ具合")?;
    writeln!(out, "{}", table(&["単語", "ラベル", "score", "sigmoid(score)", "損失"], &rows))?;
    writeln!(
        out,
        "語彙数 {vocab_size} のうち計算したのは 1 + 2 語だけ: 語彙が 100万語でも 3 語のまま"
    )?;
    Ok(())
}

/// A table row: the word, its label, its score, the score's sigmoid and the loss term.
fn row(word: &str, label: usize, score: f64, loss: f64) -> Vec<String> {
    vec![
        word.to_string(),
        label.to_string(),
        np::float_str(np::round_scalar(score, 2)),
        np::float_str(np::round_scalar(sigmoid(&array![score])[0], 2)),
        np::float_str(np::round_scalar(loss, 4)),
    ]
}

fn main() -> ExitCode {
    let page = Page { name: "ch4_2_5", flags: &[], draws: true };
    zerotsuku2::page::cli::main(page, |out, rng, _| Ok(run(out, rng)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerotsuku2::np::random::Seed;
    use zerotsuku2::page::cli::capture;

    #[test]
    fn arrays_equal_numpys_for_every_committed_seed() {
        zerotsuku2_testing::assert_matches_numpy("ch4_2_5", |n| capture(run, Seed::Numpy(n)));
    }

    #[test]
    fn output_with_the_default_seed() {
        let text = capture(run, Seed::default());
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("ch4_2_5", text);
        });
    }
}
