//! 4.1.2 Embeddingレイヤの実装 — W[idx] picks rows; the backward adds them back, repeats and all.
//! Run: `cargo run --example ch4_1_2 [-- --seed N | --numpy-seed N]`.
//! Deviations: `print()` in place of the book's interactive echo; the layer runs on W as float64;
//! `dout` is drawn at random, and the tables and the check by finite differences are ours.

use ndarray::{array, Array1, Array2};
use std::io::{self, Write};
use std::process::ExitCode;
use zerotsuku2::common::layers::Embedding;
use zerotsuku2::np::gradient::{numerical_gradient, H};
use zerotsuku2::np::{self, random::RandomState};
use zerotsuku2::page::cli::Page;
use zerotsuku2::page::notebook::{opening, print, print_shape, py_bool, table};

pub fn run(out: &mut dyn Write, rng: &mut RandomState) -> io::Result<()> {
    opening(out, "4.1.2 Embeddingレイヤの実装", rng, "逆伝播に流す dout だけを生成")?;

    writeln!(out, "\n» W = np.arange(21).reshape(7, 3) と、その行 W[2]、W[5]")?;
    // W = np.arange(21).reshape(7, 3)
    let w = Array1::range(0.0, 21.0, 1.0).into_shape_with_order((7, 3)).expect("21 = 7 x 3");
    let int = |x: &Array2<f64>| x.mapv(|v| v as i64);
    // W
    print(out, &int(&w))?;
    // W[2]
    print(out, &int(&w).row(2))?;
    // W[5]
    print(out, &int(&w).row(5))?;

    writeln!(out, "\n» idx = np.array([1, 0, 3, 0]) の行をまとめて: W[idx]")?;
    // idx = np.array([1, 0, 3, 0])
    let idx = array![1, 0, 3, 0];
    // W[idx]
    print(out, &int(&w.select(ndarray::Axis(0), idx.as_slice().expect("a new array"))))?;

    writeln!(out, "\n» Embedding(W) の順伝播 out = W[idx] (W は float64)")?;
    // layer = Embedding(W); out = layer.forward(idx)
    let mut layer = Embedding::new();
    let embedded = layer.forward(&w, idx.view());
    print(out, &embedded)?;
    print_shape(out, &embedded)?;

    writeln!(out, "\n» 逆伝播: 上流からの勾配 dout = np.random.randn(4, 3) (小数2桁に丸める)")?;
    // dout = np.random.randn(4, 3)
    let dout = np::round(&rng.randn((4, 3)), 2);
    print(out, &dout)?;

    writeln!(out, "\n» 最初の backward: dW[...] = 0; dW[self.idx] = dout")?;
    writeln!(out, "# 実は悪い例")?;
    let mut dw_bad = Array2::<f64>::zeros(w.raw_dim());
    for (i, &word_id) in idx.iter().enumerate() {
        // dW[self.idx] = dout: a repeated id keeps the last row written
        dw_bad.row_mut(word_id).assign(&dout.row(i));
    }
    print(out, &dw_bad)?;

    writeln!(
        out,
        "\n» 直した backward: for i, word_id in enumerate(self.idx): dW[word_id] += dout[i]"
    )?;
    writeln!(out, "# もしくは")?;
    writeln!(out, "# np.add.at(dW, self.idx, dout)")?;
    let mut dw = Array2::<f64>::zeros(w.raw_dim());
    // layer.backward(dout): np.add.at(dW, self.idx, dout)
    layer.backward(&dout, &mut dw);
    print(out, &dw)?;

    writeln!(out, "\n» idx = [1 0 3 0]: 単語 0 は2回現れる。代入では後の dout[3] が")?;
    writeln!(out, "»   dout[1] を上書きし、加算では両方が足される")?;
    let rows: Vec<Vec<String>> = [0, 1, 3]
        .iter()
        .map(|&id| {
            let positions: Vec<String> = idx
                .iter()
                .enumerate()
                .filter(|&(_, &word_id)| word_id == id)
                .map(|(i, _)| format!("dout[{i}]"))
                .collect();
            vec![
                id.to_string(),
                positions.join(" + "),
                np::array_str(&dw_bad.row(id)),
                np::array_str(&dw.row(id)),
            ]
        })
        .collect();
    writeln!(out, "{}", table(&["単語", "正しい dW の行", "代入 (悪い例)", "加算"], &rows))?;

    writeln!(out, "\n» 中心差分による数値微分 (h = {}): L = sum(dout * W[idx])", np::float_str(H))?;
    let numerical =
        numerical_gradient(&w, |w| (&Embedding::new().forward(w, idx.view()) * &dout).sum());
    writeln!(out, "» max |加算 - numerical|: {:.1e}", np::max_abs_diff(&dw, &numerical))?;
    writeln!(out, "» max |代入 - numerical|: {:.1e}", np::max_abs_diff(&dw_bad, &numerical))?;
    writeln!(
        out,
        "» np.allclose: 加算 {}, 代入 {}",
        py_bool(np::allclose(&dw, &numerical)),
        py_bool(np::allclose(&dw_bad, &numerical))
    )?;
    Ok(())
}

fn main() -> ExitCode {
    let page = Page { name: "ch4_1_2", flags: &[], draws: true };
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
            insta::assert_snapshot!("ch4_1_2", text);
        });
    }

    /// The book's own printed arrays (its interactive echo, `array([6, 7, 8])`), as `print`
    /// prints them.
    #[test]
    fn the_books_cells_print_as_the_book_shows_them() {
        let text = capture(run, Seed::default());
        for cell in [
            "[[ 0  1  2]\n [ 3  4  5]\n [ 6  7  8]\n [ 9 10 11]\n [12 13 14]\n [15 16 17]\n [18 19 20]]",
            "\n[6 7 8]\n",
            "\n[15 16 17]\n",
            "[[ 3  4  5]\n [ 0  1  2]\n [ 9 10 11]\n [ 0  1  2]]",
        ] {
            assert!(text.contains(cell), "{cell} not in\n{text}");
        }
        // the fix agrees with finite differences and the book's first backward does not
        assert!(text.contains("» np.allclose: 加算 True, 代入 False"), "{text}");
    }
}
