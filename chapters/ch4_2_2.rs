//! 4.2.2 多値分類から二値分類へ — from multi-class to binary: the page's 数式による確認, then in numbers.
//! Run: `cargo run --example ch4_2_2 [-- --seed N | --numpy-seed N]`.
//! Deviations: the page's formulas are printed for its sizes (V = 7, H = 3, N = 6) with `ds_i` for
//! ∂L/∂s_i; the numeric checks after them go beyond the page.

use ndarray::{Array1, Array2};
use std::io::{self, Write};
use std::process::ExitCode;
use zerotsuku2::ch04::negative_sampling_layer::EmbeddingDot;
use zerotsuku2::np::gradient::{numerical_gradient, H};
use zerotsuku2::np::{self, random::RandomState};
use zerotsuku2::page::cli::Page;
use zerotsuku2::page::notebook::{print, print_shape, prologue, py_bool, table, Prologue};

pub fn run(out: &mut dyn Write, rng: &mut RandomState) -> io::Result<()> {
    let Prologue { id_to_word, target, vocab_size, hidden_size, h, .. } =
        prologue(out, "4.2.2 多値分類から二値分類へ", rng, "本と同じ順に W_in、W_out、ds を生成")?;
    let n = target.len();
    let word = |id: usize| id_to_word[id].as_str();

    writeln!(out, "\n» -- 4.2.2 数式による確認 --")?;
    writeln!(
        out,
        "» 出力層の重み W_out ({hidden_size} × {vocab_size}): 各行は中間層のニューロン、各列は単語ID"
    )?;
    let words: Vec<String> = (0..vocab_size).map(|j| format!("{j} {}", word(j))).collect();
    writeln!(out, "{}", symbolic_matrix(hidden_size, &words, w))?;

    writeln!(out, "\n» ターゲット (単語ID)")?;
    let t_names: Vec<String> = (0..n).map(|j| format!("t_{j}")).collect();
    let t_values: Vec<String> = target.iter().map(|t| t.to_string()).collect();
    writeln!(out, "t = ({}) = ({})", t_names.join(" "), t_values.join(" "))?;

    writeln!(
        out,
        "\n» Embeddingレイヤで抽出した重み W_target ({hidden_size} × {n}): j 列目は W_out の t_j 列目"
    )?;
    let targets: Vec<String> = (0..n).map(|j| format!("t_{j} = {}", target[j])).collect();
    writeln!(out, "{}", symbolic_matrix(hidden_size, &targets, |k, j| w(k, target[j])))?;

    writeln!(out, "\n» 中間層のニューロン h ({n} × {hidden_size}): 各行はコンテキストの各要素")?;
    writeln!(out, "{}", symbolic_matrix(n, &indices(hidden_size), |i, k| format!("h_{i}{k}")))?;

    writeln!(out, "\n» スコア: s_i は h の i 行目と W_target の i 列目の内積")?;
    writeln!(out, "»   (Embedding Dotレイヤの順伝播)")?;
    for (i, &t) in target.iter().enumerate() {
        let terms: Vec<String> =
            (0..hidden_size).map(|k| format!("h_{i}{k} {}", w(k, t))).collect();
        writeln!(out, "s_{i} = {}  (= Σ_k h_{i}k w_k{t}, target {})", terms.join(" + "), word(t))?;
    }

    writeln!(out, "\n» 逆伝播 (ds_i = ∂L/∂s_i): ∂L/∂h_ik = ds_i ∂s_i/∂h_ik = ds_i w_k,t_i")?;
    writeln!(
        out,
        "{}",
        symbolic_matrix(n, &indices(hidden_size), |i, k| { format!("ds_{i} {}", w(k, target[i])) })
    )?;

    writeln!(out, "\n» ∂L/∂W_target の k 行 j 列 = ds_j ∂s_j/∂w_k,t_j = ds_j h_jk")?;
    writeln!(
        out,
        "{}",
        symbolic_matrix(hidden_size, &indices(n), |k, j| format!("ds_{j} h_{j}{k}"))
    )?;

    writeln!(out, "\n» Embeddingレイヤの逆伝播:")?;
    writeln!(out, "»   ∂L/∂W_out の j 列 = t_i = j となる ∂L/∂W_target の i 列の和")?;
    for j in 0..vocab_size {
        let positions: Vec<usize> = (0..n).filter(|&i| target[i] == j).collect();
        let column = if positions.is_empty() {
            "0 (ターゲットに現れない)".to_string()
        } else {
            let entries: Vec<String> = (0..hidden_size)
                .map(|k| {
                    let terms: Vec<String> =
                        positions.iter().map(|i| format!("ds_{i} h_{i}{k}")).collect();
                    terms.join(" + ")
                })
                .collect();
            format!("({})", entries.join(", "))
        };
        writeln!(out, "{j} {:<8} {column}", word(j))?;
    }

    writeln!(out, "\n» -- 数値で確認 (ここからは本の先) --")?;
    writeln!(out, "# 出力層の重みをランダムに生成: 実装の W_out は (V, H)")?;
    // W_out = np.random.randn(vocab_size, hidden_size)
    let w_out = rng.randn((vocab_size, hidden_size));
    print(out, &np::round(&w_out, 2))?;
    print_shape(out, &w_out)?;
    writeln!(out, "» 数式の W_out は (H, V): 実装の W_out の転置 W_out.T")?;
    // W_out_math = W_out.T
    let w_out_math = w_out.t();
    print(out, &np::round(&w_out_math, 2))?;
    print_shape(out, &w_out_math)?;

    writeln!(out, "\n# 逆伝播の入力を適当に生成")?;
    // ds = np.random.randn(target.shape[0])
    let ds = rng.randn(n);
    print(out, &ds)?;
    print_shape(out, &ds)?;

    writeln!(out, "\n» 多値分類のスコア h W_out ({n}, {vocab_size}) のうち、")?;
    writeln!(out, "»   二値分類は各行の t_i 列 [ ] だけを計算する")?;
    // score_all = np.dot(h, W_out_math)
    let score_all = h.dot(&w_out_math);
    let mut embed_dot_layer = EmbeddingDot::new();
    // s = embed_dot_layer.forward(h, target)
    let s = embed_dot_layer.forward(&w_out, &h, target.view());
    // print(np.round(score_all, 2))
    print(out, &np::round(&score_all, 2))?;
    // print(score_all.shape)
    print_shape(out, &score_all)?;
    let mut header = vec!["i".to_string()];
    header.extend((0..vocab_size).map(|j| format!("{j} {}", word(j))));
    header.push("s[i]".to_string());
    let rows: Vec<Vec<String>> = (0..n)
        .map(|i| {
            let mut row = vec![format!("{i}")];
            row.extend((0..vocab_size).map(|j| {
                let value = np::float_str(np::round_scalar(score_all[[i, j]], 2));
                if j == target[i] {
                    format!("[{value}]")
                } else {
                    value
                }
            }));
            row.push(np::float_str(np::round_scalar(s[i], 2)));
            row
        })
        .collect();
    writeln!(out, "{}", table(&header, &rows))?;
    let picked: Array1<f64> = (0..n).map(|i| score_all[[i, target[i]]]).collect();
    writeln!(
        out,
        "» np.allclose(s, score_all[np.arange({n}), target]): {}",
        py_bool(np::allclose(&s, &picked))
    )?;

    writeln!(out, "\n» 数式どおりに計算した勾配と EmbeddingDot.backward の勾配")?;
    // dh = embed_dot_layer.backward(ds); dW_out, = embed_dot_layer.grads
    let mut dw_out = Array2::zeros(w_out.raw_dim());
    let dh = embed_dot_layer.backward(ds.view(), &mut dw_out);
    let dw_out = &dw_out;
    // ∂L/∂h_ik = ds_i w_k,t_i
    let dh_formula =
        Array2::from_shape_fn((n, hidden_size), |(i, k)| ds[i] * w_out_math[[k, target[i]]]);
    // ∂L/∂W_out[k, j] = Σ_{i: t_i = j} ds_i h_ik, in the math's (H, V)
    let dw_out_math_formula = Array2::from_shape_fn((hidden_size, vocab_size), |(k, j)| {
        (0..n).filter(|&i| target[i] == j).map(|i| ds[i] * h[[i, k]]).sum::<f64>()
    });
    writeln!(out, "∂L/∂h = ds_i w_k,t_i: {}", py_bool(np::allclose(&dh, &dh_formula)))?;
    writeln!(
        out,
        "∂L/∂W_out = Σ ds_i h_ik (dW_out.T と比較): {}",
        py_bool(np::allclose(&dw_out.t(), &dw_out_math_formula))
    )?;

    writeln!(
        out,
        "\n» 中心差分による数値微分 (h = {}) と比較: L = Σ_i ds_i s_i",
        np::float_str(H)
    )?;
    let loss = |w_out: &Array2<f64>, h: &Array2<f64>| {
        (&EmbeddingDot::new().forward(w_out, h, target.view()) * &ds).sum()
    };
    let numerical_dh = numerical_gradient(&h, |h| loss(&w_out, h));
    let numerical_dw_out = numerical_gradient(&w_out, |w_out| loss(w_out, &h));
    writeln!(out, "» max |dh - numerical|: {:.1e}", np::max_abs_diff(&dh, &numerical_dh))?;
    writeln!(
        out,
        "» max |dW_out - numerical|: {:.1e}",
        np::max_abs_diff(dw_out, &numerical_dw_out)
    )?;
    writeln!(
        out,
        "» np.allclose: dh {}, dW_out {}",
        py_bool(np::allclose(&dh, &numerical_dh)),
        py_bool(np::allclose(dw_out, &numerical_dw_out))
    )?;
    Ok(())
}

/// `w_kj` of the page: row k (a hidden neuron), column j (a word id) of the math's `W_out`.
fn w(k: usize, j: usize) -> String {
    format!("w_{k}{j}")
}

/// A matrix of symbols as the page typesets it: rows numbered, columns labelled.
fn symbolic_matrix(
    rows: usize,
    column_labels: &[String],
    entry: impl Fn(usize, usize) -> String,
) -> String {
    let body: Vec<Vec<String>> = (0..rows)
        .map(|r| {
            let mut row = vec![format!("{r}")];
            row.extend((0..column_labels.len()).map(|c| entry(r, c)));
            row
        })
        .collect();
    let mut header = vec![String::new()];
    header.extend(column_labels.iter().cloned());
    table(&header, &body)
}

/// Column labels `0`, `1`, … for a matrix indexed by position.
fn indices(count: usize) -> Vec<String> {
    (0..count).map(|c| c.to_string()).collect()
}

fn main() -> ExitCode {
    let page = Page { name: "ch4_2_2", flags: &[], draws: true };
    zerotsuku2::page::cli::main(page, |out, rng, _| Ok(run(out, rng)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerotsuku2::np::random::Seed;
    use zerotsuku2::page::cli::capture;

    #[test]
    fn arrays_equal_numpys_for_every_committed_seed() {
        zerotsuku2_testing::assert_matches_numpy("ch4_2_2", |n| capture(run, Seed::Numpy(n)));
    }

    #[test]
    fn output_with_the_default_seed() {
        let text = capture(run, Seed::default());
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("ch4_2_2", text);
        });
    }

    #[test]
    fn the_pages_own_formulas_are_printed() {
        // written out on the page (4.2.2), with ∂L/∂s_i as ds_i; table borders dropped
        let text = capture(run, Seed::default());
        let flat: String = text.replace('|', " ").split_whitespace().collect::<Vec<_>>().join(" ");
        for formula in [
            // the scores
            "s_0 = h_00 w_01 + h_01 w_11 + h_02 w_21",
            "s_1 = h_10 w_02 + h_11 w_12 + h_12 w_22",
            "s_4 = h_40 w_01 + h_41 w_11 + h_42 w_21",
            "s_5 = h_50 w_05 + h_51 w_15 + h_52 w_25",
            // W_target, its first row
            "0 w_01 w_02 w_03 w_04 w_01 w_05",
            // ∂L/∂h, rows 0, 4 and 5
            "0 ds_0 w_01 ds_0 w_11 ds_0 w_21",
            "4 ds_4 w_01 ds_4 w_11 ds_4 w_21",
            "5 ds_5 w_05 ds_5 w_15 ds_5 w_25",
            // ∂L/∂W_target, its first row
            "0 ds_0 h_00 ds_1 h_10 ds_2 h_20 ds_3 h_30 ds_4 h_40 ds_5 h_50",
        ] {
            assert!(flat.contains(formula), "the page's {formula:?} is missing");
        }
    }

    /// Every check the page prints holds, under the default seed and three of numpy's: the
    /// layers against finite differences and the book's formulas, not only in the snapshot.
    #[test]
    fn every_check_the_page_prints_holds() {
        zerotsuku2_testing::assert_every_check_holds(
            |numpy| capture(run, numpy.map_or(Seed::default(), Seed::Numpy)),
            4,
        );
    }
}
