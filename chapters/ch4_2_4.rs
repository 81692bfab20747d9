//! 4.2.4 多値分類から二値分類へ(実装編) — from multi-class to binary: Embedding Dot, in code.
//! Run: `cargo run --example ch4_2_4 [-- --seed N | --numpy-seed N]`.
//! Deviations: seeded draws; `dh`, `dtarget_W`, `dW_out` printed as values too; tables after
//! three cells; EmbeddingDot is handed `W_out` in forward and `dW_out` in backward (4.2.7).

use ndarray::{Array1, Array2, Axis};
use std::io::{self, Write};
use std::process::ExitCode;
use zerotsuku2::ch04::negative_sampling_layer::EmbeddingDot;
use zerotsuku2::common::layers::Embedding;
use zerotsuku2::np::{self, random::RandomState};
use zerotsuku2::page::cli::Page;
use zerotsuku2::page::notebook::{print, print_shape, prologue, py_bool, table, Prologue};

pub fn run(out: &mut dyn Write, rng: &mut RandomState) -> io::Result<()> {
    let Prologue { id_to_word, target, vocab_size, hidden_size, h, .. } = prologue(
        out,
        "4.2.4 多値分類から二値分類へ(実装編)",
        rng,
        "本と同じ順に W_in、W_out、ds を生成",
    )?;
    let word = |id: usize| id_to_word[id].as_str();

    writeln!(out, "\n» -- 4.2.4 処理の確認 --")?;
    writeln!(out, "# 出力層の重みをランダムに生成")?;
    // W_out = np.random.randn(vocab_size, hidden_size)
    let w_out = rng.randn((vocab_size, hidden_size));
    // print(np.round(W_out, 2))
    print(out, &np::round(&w_out, 2))?;
    // print(W_out.shape)
    print_shape(out, &w_out)?;

    writeln!(out, "\n# Embeddingレイヤのインスタンスを作成")?;
    // embed_layer_out = Embedding(W_out)
    let mut embed_layer_out = Embedding::new();
    writeln!(out, "# 入力層の順伝播を計算")?;
    // target_W = embed_layer_out.forward(target)
    let target_w = embed_layer_out.forward(&w_out, target.view());
    // print(target)
    print(out, &target)?;
    // print(np.round(target_W, 2))
    print(out, &np::round(&target_w, 2))?;
    // print(target_W.shape)
    print_shape(out, &target_w)?;

    writeln!(out, "\n» target_W の i 行目は W_out の target[i] 行目 (say は2回並ぶ)")?;
    let w_out_rows = np::array_str_rows(&np::round(&w_out, 2));
    let target_w_rows = np::array_str_rows(&np::round(&target_w, 2));
    let rows: Vec<Vec<String>> = target
        .iter()
        .enumerate()
        .map(|(i, &t)| {
            vec![
                format!("{i}"),
                format!("{t} {}", word(t)),
                w_out_rows[t].clone(),
                target_w_rows[i].clone(),
            ]
        })
        .collect();
    writeln!(out, "{}", table(&["i", "target[i]", "W_out[target[i]]", "target_W[i]"], &rows))?;

    writeln!(out, "\n# スコア(内積)を計算")?;
    // s = np.sum(target_W * h, axis=1)
    let s = (&target_w * &h).sum_axis(Axis(1));
    // print(np.round(s, 2))
    print(out, &np::round(&s, 2))?;
    // print(s.shape)
    print_shape(out, &s)?;

    writeln!(out, "\n» s[i] は target_W の i 行目と h の i 行目の内積 (要素ごとの積の和)")?;
    let products = np::array_str_rows(&np::round(&(&target_w * &h), 2));
    let h_rows = np::array_str_rows(&np::round(&h, 2));
    let rows: Vec<Vec<String>> = (0..s.len())
        .map(|i| {
            vec![
                format!("{i}"),
                target_w_rows[i].clone(),
                h_rows[i].clone(),
                products[i].clone(),
                np::float_str(np::round_scalar(s[i], 2)),
            ]
        })
        .collect();
    writeln!(out, "{}", table(&["i", "target_W[i]", "h[i]", "target_W[i] * h[i]", "s[i]"], &rows))?;

    writeln!(out, "\n# 逆伝播の入力を適当に生成")?;
    // ds = np.random.randn(target.shape[0])
    let ds = rng.randn(target.len());
    // print(ds)
    print(out, &ds)?;
    // print(ds.shape)
    print_shape(out, &ds)?;

    writeln!(out, "\n# 1次元配列を2次元配列に変換")?;
    // ds = ds.reshape(ds.shape[0], 1)
    let ds_column: Array2<f64> =
        ds.to_shape((ds.len(), 1)).expect("a 1-d array reshapes to a column").to_owned();
    // print(ds)
    print(out, &ds_column)?;
    // print(ds.shape)
    print_shape(out, &ds_column)?;

    writeln!(out, "\n# 中間層のニューロンに関する勾配を計算")?;
    // dh = ds * target_W
    let dh = &ds_column * &target_w;
    print(out, &np::round(&dh, 2))?;
    // print(dh.shape)
    print_shape(out, &dh)?;

    writeln!(out, "\n# ターゲットの重みに関する勾配を計算")?;
    // dtarget_W = ds * h
    let dtarget_w = &ds_column * &h;
    print(out, &np::round(&dtarget_w, 2))?;
    // print(dtarget_W.shape)
    print_shape(out, &dtarget_w)?;

    writeln!(out, "# 出力層の重みに関する勾配を計算")?;
    // embed_layer_out.backward(dtarget_W), into the dW_out it is given (np.zeros_like(W_out))
    let mut dw_out = Array2::zeros(w_out.raw_dim());
    embed_layer_out.backward(&dtarget_w, &mut dw_out);
    writeln!(out, "# 出力層の重みに関する勾配を取得")?;
    // dW_out, = embed_layer_out.grads
    let dw_out = &dw_out;
    print(out, &np::round(dw_out, 2))?;
    // print(dW_out.shape)
    print_shape(out, dw_out)?;

    writeln!(out, "\n» dW_out の各行 = その単語が target に現れた位置の dtarget_W 行の和")?;
    writeln!(out, "»   (現れない単語は 0)")?;
    let dw_out_rows = np::array_str_rows(&np::round(dw_out, 2));
    let rows: Vec<Vec<String>> = (0..vocab_size)
        .map(|id| {
            let positions: Vec<usize> = (0..target.len()).filter(|&i| target[i] == id).collect();
            let source = if positions.is_empty() {
                "0 (target に現れない)".to_string()
            } else {
                let terms: Vec<String> =
                    positions.iter().map(|i| format!("dtarget_W[{i}]")).collect();
                terms.join(" + ")
            };
            // the same sum, added here row by row without the layer
            let mut expected = Array1::<f64>::zeros(hidden_size);
            for &i in &positions {
                expected += &dtarget_w.row(i);
            }
            vec![
                format!("{id} {}", word(id)),
                source,
                dw_out_rows[id].clone(),
                py_bool(dw_out.row(id) == expected).to_string(),
            ]
        })
        .collect();
    writeln!(out, "{}", table(&["id 単語", "dW_out[id] =", "dW_out[id]", "一致"], &rows))?;

    writeln!(out, "\n» -- 4.2.4 実装 --")?;
    writeln!(
        out,
        "# Embedding Dotレイヤの実装 → src/ch04/negative_sampling_layer.rs (EmbeddingDot)"
    )?;
    writeln!(out, "\n# Embedding Dotレイヤのインスタンスを作成")?;
    // embed_dot_layer = EmbeddingDot(W_out)
    let mut embed_dot_layer = EmbeddingDot::new();
    writeln!(out, "# 順伝播の処理(スコアを計算)")?;
    // s = embed_dot_layer.forward(h, target)
    let s_layer = embed_dot_layer.forward(&w_out, &h, target.view());
    // print(np.round(s, 2))
    print(out, &np::round(&s_layer, 2))?;
    // print(s.shape)
    print_shape(out, &s_layer)?;

    writeln!(out, "\n# 逆伝播の処理(勾配を計算)")?;
    // dh = embed_dot_layer.backward(ds)  (the (6, 1) ds; backward makes its column itself)
    // dW_out, = embed_dot_layer.grads: the layer adds its rows into the dW_out it is given
    let mut dw_out_layer = Array2::zeros(w_out.raw_dim());
    let dh_layer = embed_dot_layer.backward(ds.view(), &mut dw_out_layer);
    let dw_out_layer = &dw_out_layer;
    print(out, &np::round(&dh_layer, 2))?;
    // print(dh.shape)
    print_shape(out, &dh_layer)?;
    print(out, &np::round(dw_out_layer, 2))?;
    // print(dW_out.shape)
    print_shape(out, dw_out_layer)?;

    writeln!(out, "\n» クラスの結果は処理の確認と同じ値 (np.array_equal)")?;
    writeln!(out, "s: {}", py_bool(s_layer == s))?;
    writeln!(out, "dh: {}", py_bool(dh_layer == dh))?;
    writeln!(out, "dW_out: {}", py_bool(dw_out_layer == dw_out))?;
    Ok(())
}

fn main() -> ExitCode {
    let page = Page { name: "ch4_2_4", flags: &[], draws: true };
    zerotsuku2::page::cli::main(page, |out, rng, _| Ok(run(out, rng)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerotsuku2::np::random::Seed;
    use zerotsuku2::page::cli::capture;

    #[test]
    fn arrays_equal_numpys_for_every_committed_seed() {
        zerotsuku2_testing::assert_matches_numpy("ch4_2_4", |n| capture(run, Seed::Numpy(n)));
    }

    #[test]
    fn output_with_the_default_seed() {
        let text = capture(run, Seed::default());
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("ch4_2_4", text);
        });
    }
    #[test]
    fn the_pages_cells_and_shapes_come_in_the_pages_order() {
        // each cell's comments and the shapes the page prints under them, copied from the page
        let page = [
            "# 出力層の重みをランダムに生成",
            "(7, 3)",
            "# Embeddingレイヤのインスタンスを作成",
            "# 入力層の順伝播を計算",
            "[1 2 3 4 1 5]",
            "(6, 3)",
            "# スコア(内積)を計算",
            "(6,)",
            "# 逆伝播の入力を適当に生成",
            "(6,)",
            "# 1次元配列を2次元配列に変換",
            "(6, 1)",
            "# 中間層のニューロンに関する勾配を計算",
            "(6, 3)",
            "# ターゲットの重みに関する勾配を計算",
            "(6, 3)",
            "# 出力層の重みに関する勾配を計算",
            "# 出力層の重みに関する勾配を取得",
            "(7, 3)",
            "# Embedding Dotレイヤのインスタンスを作成",
            "# 順伝播の処理(スコアを計算)",
            "(6,)",
            "# 逆伝播の処理(勾配を計算)",
            "(6, 3)",
            "(7, 3)",
        ];
        let text = capture(run, Seed::default());
        let missing = zerotsuku2_testing::first_missing(&text, &page);
        assert_eq!(missing, None, "out of the page's order or missing");
    }

    #[test]
    fn the_readme_excerpt_is_real_output() {
        let text = capture(run, Seed::default());
        let readme = zerotsuku2_testing::golden("README.md");
        let excerpt = readme
            .split("```text\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("the README shows an excerpt in a ```text block");
        for part in excerpt.split("...\n") {
            assert!(text.contains(part), "README excerpt not in the output:\n{part}");
        }
    }
}
